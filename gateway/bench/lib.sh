# Shared by the benchmark scripts of this folder; sourced after ROOT, OUT and the ports are set.
#   require_tools HINT TOOL...       exit 2 naming the first missing tool, with an install HINT
#   require_free_ports HINT PORT...  exit 2 when a port on 127.0.0.1 is in use (HINT says what to set)
#   start NAME COMMAND...            COMMAND in the background (niceness BENCH_NICE, default 0),
#                                    output in $OUT/NAME.log, PID in NAME_PID; stopped on exit
#   wait_for WHAT SECONDS TEST...    polls TEST every 0.2 s; exit 1 when it never succeeds
#   log TEXT...                      a UTC-stamped line on stderr and in $OUT/run.log
# Every process started with `start` is killed, by its PID only, when the script ends.

require_tools() {
  local hint=$1; shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool ($hint)" >&2; exit 2; }
  done
}

require_free_ports() {
  local hint=$1; shift
  for p in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "port $p is in use; $hint" >&2
      exit 2
    fi
  done
}

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 143' INT TERM

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }

start() {
  local name=$1; shift
  nice -n "${BENCH_NICE:-0}" "$@" >"$OUT/$name.log" 2>&1 &
  PIDS+=($!)
  printf -v "${name}_PID" '%s' "$!"
}

wait_for() {
  local what=$1 seconds=$2; shift 2
  for _ in $(seq $((seconds * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "$what did not come up within ${seconds}s; see $OUT" >&2
  exit 1
}

children() { ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' ' || true; } # pid: its child processes

cpu_ticks() { # pids...: user + system clock ticks of these processes (all their threads)
  local t=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")))
  done
  echo "$t"
}

ctx_switches() { # pids...: voluntary + involuntary context switches of all their threads
  # (a thread may end between the glob and the read: that is not an error)
  local pid
  for pid in "$@"; do cat /proc/"$pid"/task/*/status 2>/dev/null || true; done |
    awk '/ctxt_switches/ { n += $2 } END { print n + 0 }'
}

parse_wrk() { # wrk output file → req/s, p50, p90, p99 (ms), errors, requests (tab-separated)
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +90%/ { p90 = ms($2) } /^ +99%/ { p99 = ms($2) }
    / requests in / { n = $1 }
    /Requests\/sec/ { rps = $2 }
    /Non-2xx/ { err += $NF }
    /Socket errors/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    END { printf "%.0f\t%.3f\t%.3f\t%.3f\t%d\t%d\n", rps, p50, p90, p99, err, n }' "$1"
}
