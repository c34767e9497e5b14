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
