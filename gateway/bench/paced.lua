-- wrk script: a paced (open-ish loop) load. Each connection waits PACE_MS (default 4)
-- milliseconds after each answer before sending the next request, so C connections send about
-- C * 1000 / (PACE_MS + latency) requests/s whatever the server's capacity: the rate is the
-- same for every target called with the same C and PACE_MS. Used by the memory soak (run.sh)
-- and for "added latency at half of peak load" (passthrough.sh).
--
-- At the end it prints one machine-readable line with latency percentiles in microseconds:
--   SUMMARY requests=N errors=E p50_us=.. p90_us=.. p99_us=.. p999_us=.. max_us=..
local pace = tonumber(os.getenv("PACE_MS") or "4")

function delay()
  return pace
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format("SUMMARY requests=%d errors=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, errors, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
