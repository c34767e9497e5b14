-- wrk script: no pacing (closed loop); at the end prints the same machine-readable line as
-- paced.lua, latency percentiles in microseconds:
--   SUMMARY requests=N errors=E p50_us=.. p90_us=.. p99_us=.. p999_us=.. max_us=..
function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format("SUMMARY requests=%d errors=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, errors, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
