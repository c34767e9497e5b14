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

-- done(): report.lua's, from the same folder as this script.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")
