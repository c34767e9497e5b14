#!/usr/bin/env bash
# End-to-end load test of REST/JSON → gRPC transcoding (issue 3, requirement 11; see
# docs/performance.md, "gRPC transcoding (issue 3)").
#
#   gateway/bench/grpc.sh [throughput] [latency] [profile]     (default: throughput)
#
# Starts, on 127.0.0.1 only: the samples jar's gRPC inventory service; Ficus (-Xmx256m) with the
# demo's own mapping (mappings/inventory.yaml and proto/, copied into a config directory of its own
# with only a listener); and the Armeria baseline (gateway/bench/armeria/, -Xmx256m): Armeria's
# HTTP/JSON transcoding with a forwarding service that calls the same remote service through a
# grpc-java stub. Both answer the same unary GET, PATH_GET (the proto's GetItem route by default),
# and then, rounds interleaved (the order alternates every round) so that machine noise hits both
# alike:
#   throughput  wrk -t2 -c64 for DURATION per target and round
#   latency     wrk -t1 -c1  for DURATION per target and round
#   profile     JFR on Ficus (settings=profile) during DURATION of wrk -t2 -c64; prints the hottest
#               frames (self) and the Ficus / gRPC / Undertow frames (inclusive)
# For every run: req/s, latency p50/p99, errors, the CPU time (utime + stime from /proc/PID/stat,
# before and after) per request of the front process and of the gRPC backend, the front process's
# context switches per request (thread hand-offs), and its CPU per request by thread pool
# ($OUT/threads-MODE-ROUND-TARGET.txt).
# The measuring part holds flock /tmp/ficus-bench.lock (machine shared with other benchmarks);
# every run is bounded by DURATION; every process started here is stopped, by PID, on exit.
#
# Environment (defaults): DURATION=15s ROUNDS=3 WARMUP=40s (per target; less leaves the JIT compiling
#   during the first rounds on a busy machine) BASE_PORT=19740 (uses BASE_PORT..+4)
#   PATH_GET=/v1/warehouses/main/items/hammer SKIP_BUILD=0 FICUS_JAVA_OPTS= (extra JVM flags, e.g.
#   to compare a setting) OUT=<new temp dir> (raw wrk output, logs, results.tsv, summary.txt)
#   FICUS_JAR=gateway/target/ficus.jar SAMPLES_JAR=samples/target/ficus-samples-all.jar (copies of the
#   jars let the tree be rebuilt while a run waits for the lock)
#   REF_JAR= (another ficus.jar, e.g. built from an earlier commit: measured as a third target,
#   "ficus-ref", in the same interleaved rounds, to compare a change under the same noise)
# Needs: java 17 (with jcmd, jfr), mvn, wrk, curl, flock.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BENCH=gateway/bench
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-40s}
BASE_PORT=${BASE_PORT:-19740}
PATH_GET=${PATH_GET:-/v1/warehouses/main/items/hammer}
FICUS_JAVA_OPTS=${FICUS_JAVA_OPTS:-}
REF_JAR=${REF_JAR:-}
FICUS_JAR=${FICUS_JAR:-gateway/target/ficus.jar}
SAMPLES_JAR=${SAMPLES_JAR:-samples/target/ficus-samples-all.jar}
LOCK=/tmp/ficus-bench.lock
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/ficus-grpc-bench.XXXXXX")}
mkdir -p "$OUT"
MODES=("$@")
[ ${#MODES[@]} -eq 0 ] && MODES=(throughput)

GRPC_PORT=$BASE_PORT
SOAP_PORT=$((BASE_PORT + 1))   # the samples jar always serves SOAP too; unused here
FICUS_PORT=$((BASE_PORT + 2))
ARMERIA_PORT=$((BASE_PORT + 3))
REF_PORT=$((BASE_PORT + 4))
TARGETS=(ficus armeria)
[ -n "$REF_JAR" ] && TARGETS+=(ficus-ref)

. "$ROOT/gateway/bench/lib.sh"
require_tools "apt-get install -y wrk; a JDK 17; Maven" java jcmd jfr mvn wrk curl flock
require_free_ports "set BASE_PORT to a free range" $GRPC_PORT $SOAP_PORT $FICUS_PORT $ARMERIA_PORT $REF_PORT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building Ficus and the samples (mvn -o -q -DskipTests package)"
  mvn -o -q -DskipTests package
  log "building the Armeria baseline (mvn -q -f $BENCH/armeria/pom.xml package)"
  mvn -q -f "$BENCH/armeria/pom.xml" package
fi

log "results in $OUT"

# Ficus: the demo's inventory mapping and protos, unchanged, behind a listener-only gateway file.
mkdir -p "$OUT/ficus/config"
cp -r proto "$OUT/ficus/proto"
cp mappings/inventory.yaml "$OUT/ficus/config/inventory.yaml"
printf 'ficus: gateway/v1\nlisten: 127.0.0.1:%s\n' "$FICUS_PORT" >"$OUT/ficus/config/gateway.yaml"

start samples java -jar "$SAMPLES_JAR" --soap-port "$SOAP_PORT" \
  --monolith-port 0 --new-service-port 0 --grpc-port "$GRPC_PORT"
wait_for "the samples" 90 grep -q '^READY' "$OUT/samples.log"

# shellcheck disable=SC2086
INVENTORY_GRPC=127.0.0.1:$GRPC_PORT \
  start ficus java -Xmx256m $FICUS_JAVA_OPTS -jar "$FICUS_JAR" run -c "$OUT/ficus/config"
wait_for "Ficus" 90 grep -q 'Ficus listening' "$OUT/ficus.log"

if [ -n "$REF_JAR" ]; then
  mkdir -p "$OUT/ficus-ref"
  cp -r "$OUT/ficus/config" "$OUT/ficus-ref/config"
  cp -r proto "$OUT/ficus-ref/proto"
  printf 'ficus: gateway/v1\nlisten: 127.0.0.1:%s\n' "$REF_PORT" >"$OUT/ficus-ref/config/gateway.yaml"
  # shellcheck disable=SC2086
  INVENTORY_GRPC=127.0.0.1:$GRPC_PORT \
    start ficus_ref java -Xmx256m $FICUS_JAVA_OPTS -jar "$REF_JAR" run -c "$OUT/ficus-ref/config"
  wait_for "Ficus (reference jar)" 90 grep -q 'Ficus listening' "$OUT/ficus_ref.log"
fi

start armeria java -Xmx256m -cp "$BENCH/armeria/target/classes:$(cat "$BENCH/armeria/target/classpath.txt")" \
  dev.ficus.bench.armeria.ArmeriaBaseline --port "$ARMERIA_PORT" --target "127.0.0.1:$GRPC_PORT"
wait_for "the Armeria baseline" 90 grep -q '^READY' "$OUT/armeria.log"

url_of() {
  case $1 in
    ficus) echo "http://127.0.0.1:$FICUS_PORT$PATH_GET" ;;
    armeria) echo "http://127.0.0.1:$ARMERIA_PORT$PATH_GET" ;;
    ficus-ref) echo "http://127.0.0.1:$REF_PORT$PATH_GET" ;;
  esac
}

{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "ficus JVM flags: -Xmx256m $FICUS_JAVA_OPTS"
  [ -n "$REF_JAR" ] && echo "ficus-ref: $REF_JAR"
  echo "path: GET $PATH_GET"
  for t in "${TARGETS[@]}"; do
    curl -sf "$(url_of "$t")" >"$OUT/reply-$t.json" || { echo "$t does not answer GET $PATH_GET; see $OUT" >&2; exit 1; }
    echo "$t reply: $(wc -c <"$OUT/reply-$t.json") B: $(cat "$OUT/reply-$t.json")"
  done
} >"$OUT/environment.txt"
cat "$OUT/environment.txt" >&2

TICK_US=$((1000000 / $(getconf CLK_TCK)))


wrk_run() { # target threads connections duration outfile
  wrk -t"$2" -c"$3" -d"$4" --timeout 5s --latency "$(url_of "$1")" >"$5"
}

# wrk's text → "rps p50 p90 p99 errors requests" (latencies in ms)

echo -e "mode\tround\ttarget\tconnections\trps\tp50_ms\tp90_ms\tp99_ms\terrors\trequests\tfront_cpu_us_per_req\tbackend_cpu_us_per_req\tload1\tfront_context_switches_per_req\tfront_jit_cpu_us_per_req" \
  >"$OUT/results.tsv"


thread_cpu() { # pid: "thread-group ticks" per line; digits in thread names are dropped to group pools
  local t
  for t in /proc/"$1"/task/*; do
    awk '{ name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) [A-Z] .*$/, "", name); gsub(/[0-9]+/, "#", name);
           rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); print name "\t" f[12] + f[13] }' "$t/stat" 2>/dev/null || true
  done | awk -F'\t' '{ s[$1] += $2 } END { for (k in s) print k "\t" s[k] }'
}

pid_of() { case $1 in ficus) echo "$ficus_PID" ;; armeria) echo "$armeria_PID" ;; ficus-ref) echo "$ficus_ref_PID" ;; esac; }

warm_up() {
  log "warm-up: $WARMUP per target at 16 connections"
  for t in "${TARGETS[@]}"; do wrk_run "$t" 2 16 "$WARMUP" "$OUT/warmup-$t.txt"; done
}

measure() { # mode threads connections
  local mode=$1 threads=$2 conns=$3 round order i
  for round in $(seq "$ROUNDS"); do
    # The order alternates every round: forwards on odd rounds, backwards on even ones.
    order=("${TARGETS[@]}")
    if [ $((round % 2)) -eq 0 ]; then
      order=(); for ((i = ${#TARGETS[@]} - 1; i >= 0; i--)); do order+=("${TARGETS[$i]}"); done
    fi
    for t in "${order[@]}"; do
      local f="$OUT/wrk-$mode-$round-$t.txt" p0 b0 p1 b1 c0 c1 row cpu load jit
      thread_cpu "$(pid_of "$t")" >"$OUT/threads-$mode-$round-$t.before"
      c0=$(ctx_switches "$(pid_of "$t")")
      p0=$(cpu_ticks "$(pid_of "$t")"); b0=$(cpu_ticks "$samples_PID")
      wrk_run "$t" "$threads" "$conns" "$DURATION" "$f"
      p1=$(cpu_ticks "$(pid_of "$t")"); b1=$(cpu_ticks "$samples_PID")
      c1=$(ctx_switches "$(pid_of "$t")")
      thread_cpu "$(pid_of "$t")" >"$OUT/threads-$mode-$round-$t.after"
      load=$(cut -d' ' -f1 /proc/loadavg)
      row=$(parse_wrk "$f")
      # CPU time per request of the process in front of the backend, and of the backend.
      cpu=$(awk -v n="$(cut -f6 <<<"$row")" -v p=$((p1 - p0)) -v b=$((b1 - b0)) -v us="$TICK_US" -v cs=$((c1 - c0)) \
        'BEGIN { if (n < 1) n = 1; printf "%.1f\t%.1f\t%.2f", p * us / n, b * us / n, cs / n }')
      log "$mode round $round $t: $(echo -e "$row\t$cpu\t$load" | awk -F'\t' '{printf "%s req/s, p50 %s ms, p99 %s ms, errors %s, CPU/request: %s us front, %s us backend; %s context switches/request in front; load %s", $1, $2, $4, $5, $7, $8, $9, $10}')"
      # Where the front process spent it, by thread pool (us per request).
      awk -F'\t' -v n="$(cut -f6 <<<"$row")" -v us="$TICK_US" 'NR == FNR { b[$1] = $2; next }
        { d = $2 - b[$1]; if (d > 0 && n > 0) printf "%8.1f  %s\n", d * us / n, $1 }' \
        "$OUT/threads-$mode-$round-$t.before" "$OUT/threads-$mode-$round-$t.after" | sort -rn \
        >"$OUT/threads-$mode-$round-$t.txt"
      # The JIT compiler's share: still large after a short warm-up on a busy machine.
      jit=$(awk '/CompilerThre/ { s += $1 } END { printf "%.1f", s }' "$OUT/threads-$mode-$round-$t.txt")
      echo -e "$mode\t$round\t$t\t$conns\t$row\t$(cut -f1-2 <<<"$cpu")\t$load\t$(cut -f3 <<<"$cpu")\t$jit" >>"$OUT/results.tsv"
    done
  done
}

profile() {
  local pid=$ficus_PID
  log "profile: JFR on Ficus (pid $pid) during $DURATION of wrk -t2 -c64"
  wrk_run ficus 2 16 "$WARMUP" "$OUT/warmup-profile.txt"
  jcmd "$pid" JFR.start name=bench settings=profile filename="$OUT/ficus.jfr" >/dev/null
  wrk_run ficus 2 64 "$DURATION" "$OUT/wrk-profile.txt"
  jcmd "$pid" JFR.stop name=bench >/dev/null
  log "profile run: $(parse_wrk "$OUT/wrk-profile.txt" | awk -F'\t' '{printf "%s req/s, p50 %s ms, p99 %s ms", $1, $2, $4}')"
  jfr print --events jdk.ExecutionSample --stack-depth 96 "$OUT/ficus.jfr" >"$OUT/samples.txt"
  awk '
    /jdk.ExecutionSample/ { n++; first = 1; delete seen; next }
    /^[ \t]+[A-Za-z_$][A-Za-z0-9_$.]*\(/ {
      f = $1; sub(/\(.*/, "", f)
      if (first) { self[f]++; first = 0 }
      if (!(f in seen)) { seen[f] = 1; if (f ~ /^dev\.ficus|JsonFormat|DynamicMessage|io\.grpc\.(internal|stub|ClientCall|Metadata)|undertow\.server\.(Connectors|HttpServerExchange)|undertow\.io/) incl[f]++ }
    }
    END {
      printf "%d execution samples (JFR, settings=profile)\n-- top frames (self time)\n", n
      for (f in self) printf "%5.1f%%  %s\n", 100 * self[f] / n, f | "sort -rn | head -30"
      close("sort -rn | head -30")
      print "-- Ficus, protobuf, gRPC and Undertow frames (inclusive)"
      for (f in incl) printf "%5.1f%%  %s\n", 100 * incl[f] / n, f | "sort -rn | head -45"
    }' "$OUT/samples.txt" | tee "$OUT/profile.txt" >&2
  jfr summary "$OUT/ficus.jfr" | grep -E 'jdk.(ThreadStart|ObjectAllocationSample|ThreadPark|JavaMonitorWait) ' >>"$OUT/profile.txt" || true
}

summary() {
  echo
  echo "medians over $ROUNDS rounds (results.tsv has every round); GET $PATH_GET"
  printf "%-11s %-9s %5s %9s %8s %8s %7s %10s %8s %12s %6s\n" mode target conns req/s "p50 ms" "p99 ms" errors "front us/r" "of it JIT" "backend us/r" "cs/r"
  awk -F'\t' 'NR > 1 { k = $1 "\t" $3 "\t" $4; n[k]++; rps[k, n[k]] = $5; p50[k, n[k]] = $6; p99[k, n[k]] = $8; err[k] += $9; cpu[k, n[k]] = $11; bcpu[k, n[k]] = $12; cs[k, n[k]] = $14; jit[k, n[k]] = $15; keys[k] = 1 }
    function med(a, k, c,   i, j, t, v) { for (i = 1; i <= c; i++) v[i] = a[k, i]; for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }; return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
    END { for (k in keys) { split(k, f, "\t"); printf "%-11s %-9s %5s %9.0f %8.3f %8.3f %7d %10.1f %8.1f %12.1f %6.2f\n", f[1], f[2], f[3], med(rps, k, n[k]), med(p50, k, n[k]), med(p99, k, n[k]), err[k], med(cpu, k, n[k]), med(jit, k, n[k]), med(bcpu, k, n[k]), med(cs, k, n[k]) } }' \
    "$OUT/results.tsv" | sort
  awk -F'\t' 'NR > 1 { r[$1 "\t" $2, $3] = $5; c[$1 "\t" $2, $3] = $11; k[$1 "\t" $2] = 1 }
    END { for (x in k) if (r[x, "armeria"] > 0) {
      printf "%s: Ficus / Armeria req/s = %.2f, CPU per request = %.2f", x, r[x, "ficus"] / r[x, "armeria"], c[x, "ficus"] / c[x, "armeria"]
      if ((x, "ficus-ref") in r) printf "; ficus-ref / Armeria req/s = %.2f, CPU per request = %.2f", r[x, "ficus-ref"] / r[x, "armeria"], c[x, "ficus-ref"] / c[x, "armeria"]
      printf "\n" } }' \
    "$OUT/results.tsv" | sort | sed 's/\t/ round /'
}

# The measuring part holds the machine-wide benchmark lock (fd 9) until the script ends.
exec 9>"$LOCK"
log "waiting for $LOCK"
flock 9
log "load average when the lock was taken: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "load average at start of measurement: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/environment.txt"
for mode in "${MODES[@]}"; do
  case $mode in
    throughput) warm_up; measure throughput 2 64 ;;
    latency) warm_up; measure latency 1 1 ;;
    profile) profile ;;
    *) echo "unknown mode $mode (throughput, latency, profile)" >&2; exit 2 ;;
  esac
done
echo "load average at end of measurement: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/environment.txt"
summary | tee "$OUT/summary.txt"
log "done; raw results in $OUT"
