#!/usr/bin/env bash
# End-to-end load test of the demo route GET /api/customers/{id} (see docs/performance.md).
#
#   gateway/bench/run.sh [latency] [throughput] [memory]     (default: latency throughput)
#
# Starts, on 127.0.0.1 only: the CXF sample service, Ficus (-Xmx256m) in front of it, the Camel
# baseline (-Xmx256m) in front of the same service, and nginx proxying to a static copy of the
# JSON that Ficus returns. Creates one ~2 KB customer through Ficus and then measures, rounds
# interleaved so that machine noise hits every target alike:
#   latency     wrk -t1 -c1:  direct SOAP, Ficus, Camel, nginx; "added" = Ficus p50 - direct p50
#   throughput  wrk -t2 -c64: the same four; errors = non-2xx + socket errors
#   memory      Ficus under paced load for SOAK_SECONDS; every SAMPLE_EVERY s a full GC
#               (jcmd GC.run), then the old generation (= live set), heap used and committed
#               (jstat -gc) and RSS (/proc) are recorded
#   profile     JFR on Ficus (jcmd JFR.start, settings=profile) during DURATION of wrk -c64;
#               prints the hottest frames (self) and the Ficus/HTTP frames (inclusive)
# Every run is bounded by DURATION / SOAK_SECONDS; every process started here is stopped on exit.
#
# Environment (defaults): DURATION=20s ROUNDS=3 WARMUP=20s SOAK_SECONDS=600 SAMPLE_EVERY=30
#   PACE_MS=4 SOAK_CONNECTIONS=8 BASE_PORT=19400 (uses BASE_PORT..BASE_PORT+4) SKIP_BUILD=0
#   BENCH_NICE=0 (e.g. -5 on a shared machine: every process of the run gets the same niceness)
#   OUT=<new temp dir> (raw wrk output, logs, results.tsv, memory.tsv)
# Needs: java 17 (with jcmd), mvn, wrk, nginx, curl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BENCH=gateway/bench
DURATION=${DURATION:-20s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-20s}
SOAK_SECONDS=${SOAK_SECONDS:-600}
SAMPLE_EVERY=${SAMPLE_EVERY:-30}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-8}
export PACE_MS=${PACE_MS:-4}
BASE_PORT=${BASE_PORT:-19400}
BENCH_NICE=${BENCH_NICE:-0}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/ficus-bench.XXXXXX")}
mkdir -p "$OUT"
MODES=("$@")
[ ${#MODES[@]} -eq 0 ] && MODES=(latency throughput)

SOAP_PORT=$BASE_PORT
FICUS_PORT=$((BASE_PORT + 1))
CAMEL_PORT=$((BASE_PORT + 2))
NGINX_PORT=$((BASE_PORT + 3))
STATIC_PORT=$((BASE_PORT + 4))

. "$ROOT/gateway/bench/lib.sh"
require_tools "apt-get install -y wrk nginx; a JDK 17; Maven" java jcmd jstat jfr mvn wrk nginx curl
require_free_ports "set BASE_PORT to a free range" $SOAP_PORT $FICUS_PORT $CAMEL_PORT $NGINX_PORT $STATIC_PORT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building Ficus and the samples (mvn -o -q -DskipTests package)"
  mvn -o -q -DskipTests package
  log "building the Camel baseline (mvn -o -q -f $BENCH/camel/pom.xml package)"
  mvn -o -q -f "$BENCH/camel/pom.xml" package
fi

log "results in $OUT"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "memory: $(free -g | awk '/Mem:/ {print $2 " GiB"}')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "nginx: $(nginx -v 2>&1)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/environment.txt"

start samples java -jar samples/target/ficus-samples-all.jar --soap-port "$SOAP_PORT" --token legacy-secret
wait_for "the CXF samples" 60 grep -q '^READY' "$OUT/samples.log"

# The demo's customers mapping alone: mappings/gateway.yaml splits and shadows the customer route
# to a new service that this benchmark does not start, which would measure the split instead.
mkdir -p "$OUT/config"
sed "s|\.\./wsdl/|$ROOT/wsdl/|" mappings/customers.yaml >"$OUT/config/customers.yaml"
printf 'ficus: gateway/v1\n' >"$OUT/config/gateway.yaml"

CUSTOMER_SOAP_URL=http://127.0.0.1:$SOAP_PORT/ws/customers \
CALCULATOR_SOAP_URL=http://127.0.0.1:$SOAP_PORT/ws/calculator \
  start ficus java -Xmx256m -jar gateway/target/ficus.jar run -c "$OUT/config" --listen "127.0.0.1:$FICUS_PORT"
wait_for "Ficus" 60 grep -q 'Ficus listening' "$OUT/ficus.log"

start camel java -Xmx256m -cp "$BENCH/camel/target/classes:$(cat "$BENCH/camel/target/classpath.txt")" \
  dev.ficus.bench.camel.CamelBaseline --port "$CAMEL_PORT" --soap-url "http://127.0.0.1:$SOAP_PORT/ws/customers"
wait_for "the Camel baseline" 60 grep -q '^READY' "$OUT/camel.log"

# One ~2 KB customer (nine addresses), created through Ficus: also checks the POST direction.
created=$(curl -sf -H 'Content-Type: application/json' \
  --data-binary @gateway/src/test/resources/dev/ficus/soap/create-customer.json \
  "http://127.0.0.1:$FICUS_PORT/api/customers")
ID=$(printf '%s' "$created" | sed -E 's/^\{"id":([0-9]+).*/\1/')
case $ID in ''|*[!0-9]*) echo "could not create the customer: $created" >&2; exit 1 ;; esac
PATH_GET=/api/customers/$ID

export ENVELOPE=$OUT/get-customer.xml
printf '%s' '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:example:customers:v1"><soap:Header><c:authHeader><c:token>legacy-secret</c:token></c:authHeader></soap:Header><soap:Body><c:getCustomer><c:customerId>'"$ID"'</c:customerId></c:getCustomer></soap:Body></soap:Envelope>' >"$ENVELOPE"

mkdir -p "$OUT/www" "$OUT/nginx-tmp"
curl -sf "http://127.0.0.1:$FICUS_PORT$PATH_GET" >"$OUT/www/customer.json"
chmod 755 "$OUT" "$OUT/www"
chmod 644 "$OUT/www/customer.json"
sed -e "s#@OUT@#$OUT#g" -e "s#@NGINX_PORT@#$NGINX_PORT#g" -e "s#@STATIC_PORT@#$STATIC_PORT#g" \
  "$BENCH/nginx.conf.template" >"$OUT/nginx.conf"
start nginx nginx -p "$OUT" -c "$OUT/nginx.conf"
wait_for "nginx" 20 curl -sf "http://127.0.0.1:$NGINX_PORT$PATH_GET"

direct_bytes=$(curl -sf -H 'Content-Type: text/xml; charset=UTF-8' -H 'SOAPAction: "urn:example:customers:getCustomer"' \
  --data-binary @"$ENVELOPE" "http://127.0.0.1:$SOAP_PORT/ws/customers" | wc -c)
{
  echo "customer id: $ID"
  echo "direct: request $(wc -c <"$ENVELOPE") B envelope, reply $direct_bytes B envelope"
  for t in ficus camel nginx; do
    port_var=${t^^}_PORT
    echo "$t: reply $(curl -sf "http://127.0.0.1:${!port_var}$PATH_GET" | wc -c) B JSON"
  done
} >>"$OUT/environment.txt"
cat "$OUT/environment.txt" >&2

url_of() {
  case $1 in
    direct) echo "http://127.0.0.1:$SOAP_PORT/ws/customers" ;;
    ficus) echo "http://127.0.0.1:$FICUS_PORT$PATH_GET" ;;
    camel) echo "http://127.0.0.1:$CAMEL_PORT$PATH_GET" ;;
    nginx) echo "http://127.0.0.1:$NGINX_PORT$PATH_GET" ;;
  esac
}

wrk_run() { # target threads connections duration outfile
  local target=$1 threads=$2 conns=$3 duration=$4 outfile=$5 script=()
  [ "$target" = direct ] && script=(-s "$BENCH/soap-get.lua")
  nice -n "$BENCH_NICE" wrk -t"$threads" -c"$conns" -d"$duration" --timeout 5s --latency "${script[@]}" \
    "$(url_of "$target")" >"$outfile"
}

# wrk's text → "rps p50 p90 p99 errors" (latencies in ms)

TARGETS=(direct ficus camel nginx)
echo -e "mode\tround\ttarget\tconnections\trps\tp50_ms\tp90_ms\tp99_ms\terrors\tcpu_us_per_req\tbackend_cpu_us_per_req\tsystem_cpu_share\tcontext_switches_per_req" \
  >"$OUT/results.tsv"
TICK_US=$((1000000 / $(getconf CLK_TCK)))


sys_ticks() { # pids...: system (kernel) clock ticks only
  local t=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && t=$((t + $(awk '{ sub(/^.*\) /, ""); print $13 }' "/proc/$pid/stat")))
  done
  echo "$t"
}


proxy_pids() { # the processes that serve target $1 in front of the backend
  case $1 in
    direct) ;;
    ficus) echo "$ficus_PID" ;;
    camel) echo "$camel_PID" ;;
    nginx) echo "$nginx_PID $(pgrep -P "$nginx_PID" | tr '\n' ' ')" ;;
  esac
}

warm_up() {
  log "warm-up: $WARMUP per target at 16 connections"
  for t in "${TARGETS[@]}"; do wrk_run "$t" 2 16 "$WARMUP" "$OUT/warmup-$t.txt"; done
}

measure() { # mode threads connections
  local mode=$1 threads=$2 conns=$3
  for round in $(seq "$ROUNDS"); do
    for t in "${TARGETS[@]}"; do
      local f="$OUT/wrk-$mode-$round-$t.txt" p0 b0 p1 b1 s0 s1 c0 c1
      # shellcheck disable=SC2046
      p0=$(cpu_ticks $(proxy_pids "$t")); b0=$(cpu_ticks "$samples_PID")
      # shellcheck disable=SC2046
      s0=$(sys_ticks $(proxy_pids "$t")); c0=$(ctx_switches $(proxy_pids "$t"))
      wrk_run "$t" "$threads" "$conns" "$DURATION" "$f"
      # shellcheck disable=SC2046
      p1=$(cpu_ticks $(proxy_pids "$t")); b1=$(cpu_ticks "$samples_PID")
      # shellcheck disable=SC2046
      s1=$(sys_ticks $(proxy_pids "$t")); c1=$(ctx_switches $(proxy_pids "$t"))
      local row cpu
      row=$(parse_wrk "$f" | cut -f1-5)
      # CPU time per request of the process(es) in front of the backend, and of the backend.
      # Also: the kernel's share of that CPU time, and context switches per request (thread hand-offs).
      cpu=$(awk -v rps="$(cut -f1 <<<"$row")" -v d="${DURATION%s}" -v p=$((p1 - p0)) -v b=$((b1 - b0)) -v us="$TICK_US" \
        -v sy=$((s1 - s0)) -v cs=$((c1 - c0)) \
        'BEGIN { n = rps * d; if (n < 1) n = 1; printf "%.0f\t%.0f\t%.2f\t%.1f", p * us / n, b * us / n, (p > 0 ? sy / p : 0), cs / n }')
      echo -e "$mode\t$round\t$t\t$conns\t$row\t$cpu" >>"$OUT/results.tsv"
      log "$mode round $round $t: $(echo -e "$row\t$cpu" | awk -F'\t' '{printf "%s req/s, p50 %s ms, p90 %s ms, p99 %s ms, errors %s, CPU/request: %s us in front (kernel share %s), %s us backend; %s context switches/request in front", $1, $2, $3, $4, $5, $6, $8, $7, $9}')"
    done
  done
}

memory() {
  local pid=$ficus_PID
  log "memory: Ficus (pid $pid) under paced load ($SOAK_CONNECTIONS connections, ${PACE_MS} ms pause) for ${SOAK_SECONDS}s"
  echo -e "seconds\trss_mb\told_gen_after_full_gc_mb\theap_used_mb\theap_committed_mb" >"$OUT/memory.tsv"
  nice -n "$BENCH_NICE" wrk -t1 -c"$SOAK_CONNECTIONS" -d"${SOAK_SECONDS}s" --timeout 5s --latency \
    -s "$BENCH/paced.lua" "$(url_of ficus)" >"$OUT/wrk-memory.txt" &
  local wrk_pid=$!
  PIDS+=("$wrk_pid")
  local start_s=$SECONDS samples=$((SOAK_SECONDS / SAMPLE_EVERY))
  for i in $(seq 0 "$samples"); do
    local due=$((start_s + i * SAMPLE_EVERY))
    while [ "$SECONDS" -lt "$due" ]; do sleep 1; done
    jcmd "$pid" GC.run >/dev/null
    # Right after a full GC the old generation holds the live set; OU/OC of jstat -gc (KB).
    local heap rss
    heap=$(jstat -gc "$pid" | awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
        NR == 2 { printf "%.1f\t%.1f\t%.1f", $col["OU"] / 1024, ($col["EU"] + $col["S0U"] + $col["S1U"] + $col["OU"]) / 1024, ($col["EC"] + $col["S0C"] + $col["S1C"] + $col["OC"]) / 1024 }')
    rss=$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
    echo -e "$((SECONDS - start_s))\t$rss\t$heap" | tee -a "$OUT/memory.tsv" >&2
  done
  wait "$wrk_pid" || true
  echo -e "memory\t1\tficus\t$SOAK_CONNECTIONS\t$(parse_wrk "$OUT/wrk-memory.txt" | cut -f1-5)\t\t\t\t" >>"$OUT/results.tsv"
}

profile() {
  local pid=$ficus_PID
  log "profile: JFR on Ficus (pid $pid) during $DURATION of wrk -t2 -c64"
  wrk_run ficus 2 16 "$WARMUP" "$OUT/warmup-profile.txt"
  jcmd "$pid" JFR.start name=bench settings=profile filename="$OUT/ficus.jfr" >/dev/null
  wrk_run ficus 2 64 "$DURATION" "$OUT/wrk-profile.txt"
  jcmd "$pid" JFR.stop name=bench >/dev/null
  echo -e "profile\t1\tficus\t64\t$(parse_wrk "$OUT/wrk-profile.txt" | cut -f1-5)\t\t\t\t" >>"$OUT/results.tsv"
  jfr print --events jdk.ExecutionSample --stack-depth 64 "$OUT/ficus.jfr" >"$OUT/samples.txt"
  jfr print --events jdk.ThreadStart "$OUT/ficus.jfr" | grep -c 'jdk.ThreadStart' >"$OUT/thread-starts.txt" || true
  awk '
    /jdk.ExecutionSample/ { n++; first = 1; delete seen; next }
    /^[ \t]+[A-Za-z_$][A-Za-z0-9_$.]*\(/ {
      f = $1; sub(/\(.*/, "", f)
      if (first) { self[f]++; first = 0 }
      if (!(f in seen)) { seen[f] = 1; if (f ~ /^dev\.ficus|HttpClientImpl|SocketTube|Http1|undertow\.server\.Connectors|XMLStreamReaderImpl|jackson/) incl[f]++ }
    }
    END {
      printf "%d execution samples (JFR, settings=profile)\n-- top frames (self time)\n", n
      for (f in self) printf "%5.1f%%  %s\n", 100 * self[f] / n, f | "sort -rn | head -25"
      close("sort -rn | head -25")
      print "-- Ficus, Undertow, JDK HttpClient, StAX, Jackson frames (inclusive)"
      for (f in incl) printf "%5.1f%%  %s\n", 100 * incl[f] / n, f | "sort -rn | head -30"
    }' "$OUT/samples.txt" | tee "$OUT/profile.txt" >&2
  log "thread starts during the recording: $(cat "$OUT/thread-starts.txt")"
}

summary() {
  echo
  echo "medians over $ROUNDS rounds (results.tsv has every round):"
  printf "%-11s %-7s %5s %9s %8s %8s %8s %7s %9s %9s %6s %6s\n" mode target conns req/s "p50 ms" "p90 ms" "p99 ms" errors "cpu us/r" "bknd us/r" "kernel" "cs/r"
  awk -F'\t' 'NR > 1 && $1 != "memory" && $1 != "profile" { k = $1 "\t" $3 "\t" $4; n[k]++; rps[k, n[k]] = $5; p50[k, n[k]] = $6; p90[k, n[k]] = $7; p99[k, n[k]] = $8; err[k] += $9; cpu[k, n[k]] = $10; bcpu[k, n[k]] = $11; sys[k, n[k]] = $12; cs[k, n[k]] = $13; keys[k] = 1 }
    function med(a, k, c,   i, j, t, v) { for (i = 1; i <= c; i++) v[i] = a[k, i]; for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }; return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
    END { for (k in keys) { split(k, f, "\t"); printf "%-11s %-7s %5s %9.0f %8.3f %8.3f %8.3f %7d %9.0f %9.0f %6.2f %6.1f\n", f[1], f[2], f[3], med(rps, k, n[k]), med(p50, k, n[k]), med(p90, k, n[k]), med(p99, k, n[k]), err[k], med(cpu, k, n[k]), med(bcpu, k, n[k]), med(sys, k, n[k]), med(cs, k, n[k]) } }' \
    "$OUT/results.tsv" | sort
  awk -F'\t' '$1 == "latency" { p[$2, $3] = $6; r[$2] = 1 }
    END { for (x in r) { d = p[x, "ficus"] - p[x, "direct"]; printf "latency round %s: Ficus p50 - direct p50 = %.3f ms\n", x, d } }' \
    "$OUT/results.tsv" | sort
  if [ -f "$OUT/memory.tsv" ]; then
    echo "memory series (seconds, RSS MB, old generation after full GC MB, heap used MB, heap committed MB):"
    cat "$OUT/memory.tsv"
  fi
}

for mode in "${MODES[@]}"; do
  case $mode in
    latency) warm_up; measure latency 1 1 ;;
    throughput) warm_up; measure throughput 2 64 ;;
    memory) memory ;;
    profile) profile ;;
    *) echo "unknown mode $mode (latency, throughput, memory, profile)" >&2; exit 2 ;;
  esac
done
summary | tee "$OUT/summary.txt"
log "done; raw results in $OUT"
