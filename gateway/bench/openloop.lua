-- wrk script: a fixed-rate (open-loop) load with latency corrected for coordinated omission,
-- the way wrk2 measures, for "added latency at half of peak load" (passthrough.sh, mode paced).
--
-- RATE (requests/s, all threads together) is split evenly over THREADS (default 2, give wrk
-- the same -t). Each thread hands out send times ("slots") on a fixed schedule, 1/rate apart:
-- a connection that has its answer claims the next slot and waits for it (wrk's delay() has
-- millisecond resolution, so requests leave up to 2 ms before their slot, in small batches). The rate is thus
-- the same for every target, whatever its latency, as long as the connections suffice; when a
-- target stalls (a GC pause, a descheduled process), the slots that fall in the stall are sent
-- late, back to back, and each one's latency is counted from its slot, not from when it could
-- finally leave. That is the latency a client sending at this rate sees; wrk's own numbers
-- (from the moment of sending) leave the stall out for all but one request per connection.
--
-- Pairing an answer with its slot: every request carries `X-Start: <µs>`, the earlier of its
-- slot and its actual send time, and the backend echoes the header (the static backend of
-- passthrough.sh does: `add_header X-Start $http_x_start`); the proxies pass it both ways.
-- Answers without the header are counted as `unpaired` and left out of the corrected numbers.
--
-- At the end one machine-readable line (microseconds):
--   SUMMARY requests=N errors=E p50_us=.. p90_us=.. p99_us=.. p999_us=.. max_us=.. (wrk's own,
--     from sending) rate=<achieved req/s> cp50_us=.. cp90_us=.. cp99_us=.. cp999_us=.. cmax_us=..
--     (corrected, from the slot) paired=N unpaired=N late1ms=<requests sent > 1 ms after their slot>
--     maxlate_us=..
-- With DUMP=<file>, every answer's wrk thread, arrival (CLOCK_MONOTONIC µs) and corrected latency
-- (µs) are also written there, a line each, for gateway/bench/tail.py.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } ficus_timespec;
  int clock_gettime(int clock, ficus_timespec *ts);
]]
local ts = ffi.new("ficus_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local gap_us, next_slot
local slots, head, tail = {}, 1, 0 -- FIFO of claimed slots, oldest first
lat, arrived, paired, unpaired, late, maxlate = {}, {}, 0, 0, 0, 0

function init(args)
  local rate = tonumber(os.getenv("RATE") or "")
  local nthreads = tonumber(os.getenv("THREADS") or "2")
  assert(rate and rate > 0, "openloop.lua needs RATE=<requests per second>")
  gap_us = 1000000 * nthreads / rate
end

function delay()
  local now = now_us()
  if not next_slot then next_slot = now end
  local slot = next_slot
  next_slot = next_slot + gap_us
  tail = tail + 1
  slots[tail] = slot
  -- Aim a millisecond early: wrk's timers have millisecond resolution and may fire up to a
  -- millisecond late, and that lateness belongs to wrk, not to the target. A request that
  -- leaves before its slot is timed from when it leaves.
  local wait = math.floor((slot - now) / 1000) - 1
  if wait <= 0 then return 0 end
  return wait
end

function request()
  local now = now_us()
  local start = now
  if head <= tail then -- the earliest claimed slot goes with the request that leaves first
    local slot = slots[head]
    slots[head] = nil
    head = head + 1
    if slot < start then
      start = slot
      local l = now - slot
      if l > 1000 then late = late + 1 end
      if l > maxlate then maxlate = l end
    end
  end
  wrk.headers["X-Start"] = string.format("%d", start)
  return wrk.format()
end

function response(status, headers, body)
  local s = headers["X-Start"] or headers["x-start"] or headers["X-START"]
  if s then
    local t = now_us()
    lat[#lat + 1] = t - tonumber(s)
    arrived[#arrived + 1] = t
    paired = paired + 1
  else
    unpaired = unpaired + 1
  end
end

local function pct(sorted, p)
  local n = #sorted
  if n == 0 then return 0 end
  local i = math.ceil(p / 100 * n)
  if i < 1 then i = 1 end
  return sorted[i]
end

function done(summary, latency, requests)
  local all, np, nu, nl, ml = {}, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("lat")) do all[#all + 1] = v end
    np = np + t:get("paired"); nu = nu + t:get("unpaired"); nl = nl + t:get("late")
    ml = math.max(ml, t:get("maxlate"))
  end
  local dump = os.getenv("DUMP")
  if dump and dump ~= "" then
    local f = assert(io.open(dump, "w"))
    for k, t in ipairs(threads) do
      local ls, ts = t:get("lat"), t:get("arrived")
      for i = 1, #ls do f:write(string.format("%d %d %d\n", k, ts[i], ls[i])) end
    end
    f:close()
  end
  table.sort(all)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format("SUMMARY requests=%d errors=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d"
    .. " rate=%.0f cp50_us=%d cp90_us=%d cp99_us=%d cp999_us=%d cmax_us=%d paired=%d unpaired=%d late1ms=%d maxlate_us=%d\n",
    summary.requests, errors, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, summary.requests / (summary.duration / 1000000),
    pct(all, 50), pct(all, 90), pct(all, 99), pct(all, 99.9), all[#all] or 0, np, nu, nl, ml))
end
