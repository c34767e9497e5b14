-- wrk script: moderate, steady load for the memory soak. Each connection waits PACE_MS
-- (default 4) milliseconds before each request, so 8 connections send at most ~2000 requests/s.
local pace = tonumber(os.getenv("PACE_MS") or "4")

function delay()
  return pace
end
