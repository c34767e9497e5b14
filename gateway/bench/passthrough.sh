#!/usr/bin/env bash
# Pass-through benchmark (issue 4, requirement 8): one backend called directly, through nginx as
# a plain reverse proxy, through Ficus, and through a Ficus route that also shadows every request
# (compared). See docs/performance.md, "Strangler-fig pass-through (issue 4)".
#
#   gateway/bench/passthrough.sh                       # build, then peak + paced rounds
#   SKIP_BUILD=1 ROUNDS=2 DURATION=8s gateway/bench/passthrough.sh peak
#
# Modes (default: peak paced):
#   peak   closed loop, wrk -t2 -c$C for C in $CONNS: requests/s, p50/p99, and the CPU time each
#          proxy process (and the backend) spent per request, from utime+stime in /proc/PID/stat
#   paced  open loop at one fixed rate for every target (gateway/bench/openloop.lua, $PACED_CONNS
#          connections): requests leave on a fixed schedule whatever the target's latency, and
#          latency is counted from each request's scheduled send time, so a stall (GC pause,
#          descheduling) counts for every request it delays (no coordinated omission). The rate
#          defaults to half of Ficus's 64-connection peak measured just before (RATE=... to fix
#          it). Added latency is (through a proxy) - (direct), percentile by percentile, at that
#          rate; results.tsv has both wrk's own percentiles (from sending) and the corrected
#          ones (cp50_us..cmax_us, from the schedule), and how many requests left > 1 ms late.
# Targets are interleaved round by round, in alternating order, so that machine noise hits them
# alike. Every wrk run is bounded by DURATION; each round holds the machine-wide benchmark lock
# ($LOCK) so that no two benchmarks run at once. The lock does not stop builds and tests, so each
# run also records other_cpus: how many CPUs, on average over the run, were busy with anything but
# wrk, the backend and the proxy under test (from /proc/stat, minus those processes' own CPU time).
# It tells the noisy runs apart better than the load average (which lags and counts our own
# processes); the 1-minute load average is recorded too.
#
# Backend (BACKEND): static (default) - a one-worker nginx serving a fixed JSON customer (~460 bytes) on two
# ports (primary and shadow target), cheap and identical for every target; monolith - the samples'
# LegacyMonolith (primary) and new customer service (shadow target), Java processes that compete
# harder for the CPUs. nginx (the proxy): 2 workers, keep-alive upstream (64 idle connections),
# access log off, unlimited keep-alive requests - as Ficus, which logs no requests either.
#
# Environment (defaults): DURATION=10s ROUNDS=3 CONNS="64 8" PACED_CONNS=32 WARMUP=15s CHURN=3s
#   PACED_THREADS=2 TARGETS="direct nginx ficus ficus-shadow" BASE_PORT=19500 (uses BASE_PORT..+7) SKIP_BUILD=0
#   BACKEND=static RATE=<half of Ficus's peak> FICUS_OPTS="-Xmx256m" LOCK=/tmp/ficus-bench.lock
#   FICUS_JAR=gateway/target/ficus.jar FICUS_ROOT=<the checkout> (both let a copy of this script run
#   against copies of the jars while the tree is rebuilt)
#   OUT=<new temp dir> (raw wrk output, logs, results.tsv)
#   LATENCIES=1: paced runs also write every answer's latency to $OUT/lat-<round>-<target>.txt;
#   gateway/bench/tail.py then tells how the tail is made (stall episodes, GC pauses)
# A/B: the targets ficus-b and ficus-b-shadow are a second Ficus, from FICUS_B_JAR (default: the
# same jar) with FICUS_B_OPTS (default: FICUS_OPTS), on BASE_PORT+6: e.g. the jar of the previous
# commit against this one, or two JVM option sets, measured in the same interleaved rounds;
# FICUS_B_GATEWAY is a line added to its gateway.yaml (e.g. "ioThreads: 1"); FICUS_B_SHADOW, keys added to
# its shadowed route's shadow (e.g. "percent: 10").
# Baseline: the target netty is gateway/bench/netty's NettyBaseline (FICUS_OPTS, BASE_PORT+7), the
# least a JVM proxy can do for this GET, on Netty's native epoll transport instead of java.nio's
# selector: it tells the JVM's share of the tail from the front end's. Built here unless SKIP_BUILD=1.
# Pinning (PIN_LOAD, PIN_PROXY: CPU lists as taskset takes them, both or neither): wrk and the
# backend run on PIN_LOAD's CPUs, the proxy under test (nginx, every Ficus) on PIN_PROXY's, so the
# proxy has CPUs of its own as on a gateway host, and the load generator cannot take them; nginx
# then runs one worker per PIN_PROXY CPU, and the JVM sizes itself (GC, threads) to those CPUs.
# All on 127.0.0.1. Starts only its own processes and stops them by PID on exit.
set -euo pipefail
ROOT=${FICUS_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT"
BENCH=gateway/bench
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64 8}
WARMUP=${WARMUP:-15s}
CHURN=${CHURN:-3s}
TARGETS=(${TARGETS:-direct nginx ficus ficus-shadow})
BACKEND=${BACKEND:-static}
FICUS_OPTS=${FICUS_OPTS:--Xmx256m}
LOCK=${LOCK:-/tmp/ficus-bench.lock}
BASE=${BASE_PORT:-19500}
PACED_THREADS=${PACED_THREADS:-2}
BACK=$BASE; SHADOW=$((BASE + 1)); FICUS=$((BASE + 2)); NGINX=$((BASE + 3)); SOAP=$((BASE + 4)); FICUS_B=$((BASE + 6)); NETTY=$((BASE + 7))
FICUS_JAR=${FICUS_JAR:-gateway/target/ficus.jar}
FICUS_B_JAR=${FICUS_B_JAR:-$FICUS_JAR}
FICUS_B_OPTS=${FICUS_B_OPTS:-$FICUS_OPTS}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/ficus-passthrough.XXXXXX")}
mkdir -p "$OUT"
MODES=("$@")
PIN_LOAD=${PIN_LOAD:-}; PIN_PROXY=${PIN_PROXY:-}
if [ -n "$PIN_LOAD$PIN_PROXY" ] && { [ -z "$PIN_LOAD" ] || [ -z "$PIN_PROXY" ]; }; then
  echo "set both PIN_LOAD and PIN_PROXY, or neither" >&2; exit 2
fi
ON_LOAD=(); ON_PROXY=(); PROXY_WORKERS=2
if [ -n "$PIN_LOAD" ]; then
  ON_LOAD=(taskset -c "$PIN_LOAD"); ON_PROXY=(taskset -c "$PIN_PROXY")
  PROXY_WORKERS=$(taskset -c "$PIN_PROXY" nproc)
fi
[ ${#MODES[@]} -eq 0 ] && MODES=(peak paced)

. "$ROOT/gateway/bench/lib.sh"
require_free_ports "set BASE_PORT to a free range" $BACK $SHADOW $FICUS $NGINX $SOAP $FICUS_B $NETTY

[ "${SKIP_BUILD:-0}" = 1 ] || mvn -q -o -DskipTests package
case " ${TARGETS[*]} " in
  *" netty "*) [ "${SKIP_BUILD:-0}" = 1 ] || mvn -q -o -f "$BENCH/netty/pom.xml" package ;;
esac

PATH_UNDER_TEST=/api/customers/4
mkdir -p "$OUT/tmp" "$OUT/www"
if [ "$BACKEND" = static ]; then
  # A customer as the monolith answers it (about the same size).
  printf '%s' '{"id":4,"firstName":"Mei","lastName":"Nakamura","email":"mei.nakamura@example.org","phone":"+81 3 1234 5678","status":"ACTIVE","tier":"GOLD","createdAt":"2019-04-12T09:30:00Z","updatedAt":"2024-11-02T16:45:10Z","address":{"street":"2-11-3 Meguro","city":"Tokyo","postalCode":"153-0063","country":"JP"},"tags":["legacy","priority","newsletter"],"notes":"Prefers contact by e-mail; account migrated from the 2018 CRM.","balance":1234.56,"currency":"JPY"}' \
    >"$OUT/www/customer.json"
  cat >"$OUT/backend.conf" <<CONF
worker_processes 1;
pid $OUT/backend.pid;
error_log $OUT/backend-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  types {} default_type application/json;
  keepalive_requests 1000000;
  client_body_temp_path $OUT/tmp/b-body; proxy_temp_path $OUT/tmp/b-proxy;
  fastcgi_temp_path $OUT/tmp/b-fcgi; uwsgi_temp_path $OUT/tmp/b-uwsgi; scgi_temp_path $OUT/tmp/b-scgi;
  # X-Start echoed: gateway/bench/openloop.lua pairs each answer with its request's send slot.
  server { listen 127.0.0.1:$BACK; listen 127.0.0.1:$SHADOW; root $OUT/www;
    location / { add_header X-Start \$http_x_start; try_files /customer.json =404; } }
}
CONF
  chmod 755 "$OUT" "$OUT/www"; chmod 644 "$OUT/www/customer.json"
  start backend "${ON_LOAD[@]}" nginx -p "$OUT" -c "$OUT/backend.conf" -g 'daemon off;'
else
  start backend "${ON_LOAD[@]}" java -jar samples/target/ficus-samples-all.jar --soap-port "$SOAP" --monolith-port "$BACK" \
    --new-service-port "$SHADOW"
  wait_for "the samples" 60 grep -q READY "$OUT/backend.log"
fi
wait_for "the backend" 30 curl -sf "http://127.0.0.1:$BACK$PATH_UNDER_TEST"

mkdir -p "$OUT/ficus"
cat >"$OUT/ficus/gateway.yaml" <<YAML
ficus: gateway/v1
upstreams:
  monolith: { url: http://127.0.0.1:$BACK }
  shadow: { url: http://127.0.0.1:$SHADOW }
routes:
  - path: /shadowed/**
    to: monolith
    stripPrefix: /shadowed
    shadow: { to: shadow }
  - path: /**
    to: monolith
YAML
# shellcheck disable=SC2086
start ficus "${ON_PROXY[@]}" java $FICUS_OPTS -jar "$FICUS_JAR" run -c "$OUT/ficus" --listen "127.0.0.1:$FICUS"
case " ${TARGETS[*]} " in
  *" ficus-b"*)
    # shellcheck disable=SC2086
    cp -r "$OUT/ficus" "$OUT/ficus-b"
    [ -z "${FICUS_B_GATEWAY:-}" ] || printf '%s\n' "$FICUS_B_GATEWAY" >>"$OUT/ficus-b/gateway.yaml"
    [ -z "${FICUS_B_SHADOW:-}" ] || sed -i "s|shadow: { to: shadow }|shadow: { to: shadow, $FICUS_B_SHADOW }|" "$OUT/ficus-b/gateway.yaml"
    start ficus_b "${ON_PROXY[@]}" java $FICUS_B_OPTS -jar "$FICUS_B_JAR" run -c "$OUT/ficus-b" --listen "127.0.0.1:$FICUS_B"
    wait_for "Ficus B" 60 grep -q "Ficus listening" "$OUT/ficus_b.log" ;;
esac
cat >"$OUT/nginx.conf" <<CONF
worker_processes $PROXY_WORKERS;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $OUT/tmp/body; proxy_temp_path $OUT/tmp/proxy;
  fastcgi_temp_path $OUT/tmp/fcgi; uwsgi_temp_path $OUT/tmp/uwsgi; scgi_temp_path $OUT/tmp/scgi;
  upstream monolith { server 127.0.0.1:$BACK; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$NGINX;
    location / { proxy_pass http://monolith; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
start nginx "${ON_PROXY[@]}" nginx -p "$OUT" -c "$OUT/nginx.conf" -g 'daemon off;'
case " ${TARGETS[*]} " in
  *" netty "*)
    # shellcheck disable=SC2086
    start netty "${ON_PROXY[@]}" java $FICUS_OPTS -cp "$BENCH/netty/target/classes:$(cat "$BENCH/netty/target/classpath.txt")" \
      dev.ficus.bench.netty.NettyBaseline --listen "127.0.0.1:$NETTY" --upstream "127.0.0.1:$BACK"
    wait_for "the Netty baseline" 60 grep -q '^READY' "$OUT/netty.log" ;;
esac
wait_for "Ficus" 60 grep -q "Ficus listening" "$OUT/ficus.log"
wait_for "nginx" 20 curl -sf "http://127.0.0.1:$NGINX$PATH_UNDER_TEST"

declare -A URL=(
  [direct]="http://127.0.0.1:$BACK$PATH_UNDER_TEST"
  [nginx]="http://127.0.0.1:$NGINX$PATH_UNDER_TEST"
  [ficus]="http://127.0.0.1:$FICUS$PATH_UNDER_TEST"
  [ficus-shadow]="http://127.0.0.1:$FICUS/shadowed$PATH_UNDER_TEST"
  [ficus-b]="http://127.0.0.1:$FICUS_B$PATH_UNDER_TEST"
  [ficus-b-shadow]="http://127.0.0.1:$FICUS_B/shadowed$PATH_UNDER_TEST"
  [netty]="http://127.0.0.1:$NETTY$PATH_UNDER_TEST")
for t in "${TARGETS[@]}"; do
  [ "$(curl -sf "${URL[$t]}" | wc -c)" -gt 100 ] || { echo "$t does not answer ${URL[$t]}" >&2; exit 1; }
done

proxy_pids() { # target: the processes whose CPU time is the proxy's
  case $1 in
    direct) echo "" ;;
    nginx) echo "$nginx_PID $(children "$nginx_PID")" ;;
    ficus-b*) echo "$ficus_b_PID" ;;
    netty) echo "$netty_PID" ;;
    ficus*) echo "$ficus_PID" ;;
  esac
}
backend_pids() { echo "$backend_PID $(children "$backend_PID")"; }
machine_ticks() { # busy time of all CPUs (user, nice, system, irq, softirq, steal), in clock ticks
  awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))

{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java: $(java -version 2>&1 | head -1); Ficus: $FICUS_JAR, options: $FICUS_OPTS"
  [ -z "${ficus_b_PID:-}" ] || echo "Ficus B: $FICUS_B_JAR, options: $FICUS_B_OPTS"
  [ -z "${netty_PID:-}" ] || echo "Netty baseline: $BENCH/netty (Netty $(basename "$(grep -o '[^:]*netty-transport-[0-9][^:]*' "$BENCH/netty/target/classpath.txt")" .jar | sed 's/netty-transport-//')), options: $FICUS_OPTS"
  echo "nginx: $(nginx -v 2>&1); wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "backend: $BACKEND; body $(curl -sf "${URL[direct]}" | wc -c) bytes"
  [ -z "$PIN_LOAD" ] || echo "pinned: wrk and backend on CPUs $PIN_LOAD, proxy on CPUs $PIN_PROXY ($PROXY_WORKERS nginx workers)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/environment.txt"
cat "$OUT/environment.txt" >&2

exec 9>"$LOCK"
locked() { flock 9; }
unlocked() { flock -u 9; }

# wrk_one mode round target connections [paced]: one bounded wrk run with CPU accounting.
wrk_one() {
  local mode=$1 round=$2 t=$3 c=$4 raw="$OUT/wrk-$1-$2-$3-$4.txt" script
  local pp bp p0 b0 p1 b1 m0 m1 w0 w1 wt
  pp=$(proxy_pids "$t"); bp=$(backend_pids)
  script=$([ "$mode" = paced ] && echo "$BENCH/openloop.lua" || echo "$BENCH/report.lua")
  # shellcheck disable=SC2086
  p0=$(cpu_ticks $pp); b0=$(cpu_ticks $bp); m0=$(machine_ticks); w0=$(date +%s%N)
  local threads=2
  [ "$mode" = paced ] && threads=$PACED_THREADS
  local dump=""
  [ "$mode" = paced ] && [ -n "${LATENCIES:-}" ] && dump="$OUT/lat-$2-$3.txt"
  wt=$( { TIMEFORMAT='%U %S'; time DUMP="$dump" THREADS=$threads "${ON_LOAD[@]}" wrk -t"$threads" -c"$c" -d"$DURATION" --timeout 5s --latency -s "$script" \
    "${URL[$t]}" >"$raw" 2>"$raw.err"; } 2>&1 )
  # shellcheck disable=SC2086
  p1=$(cpu_ticks $pp); b1=$(cpu_ticks $bp); m1=$(machine_ticks); w1=$(date +%s%N)
  # other_cpus: CPUs busy (on average over the run) with anything but wrk, the backend and this
  # target's proxy - other people's builds and benchmarks; a better noise gauge than the load average.
  awk -v mode="$mode" -v round="$round" -v t="$t" -v c="$c" -v pt=$(((p1 - p0) * TICK_US)) \
      -v bt=$(((b1 - b0) * TICK_US)) -v mt=$(((m1 - m0) * TICK_US)) -v wall=$(((w1 - w0) / 1000)) -v wt="$wt" \
      -v load="$(cut -d' ' -f1 /proc/loadavg)" '
    /Requests\/sec/ { rps = $2 }
    /^SUMMARY/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END {
      n = v["requests"]; if (n == 0) n = 1
      split(wt, w, " "); wrk_us = (w[1] + w[2]) * 1000000
      printf "%s\t%s\t%s\t%s\t%.0f\t%d\t%d\t%d\t%d\t%d\t%s\t%.1f\t%.1f\t%s\t%.2f\t%.1f", mode, round, t, c, rps,
        v["p50_us"], v["p90_us"], v["p99_us"], v["p999_us"], v["max_us"], v["errors"], (t == "direct" ? 0 : pt / n),
        bt / n, load, (mt - pt - bt - wrk_us) / wall, wrk_us / n
      if (mode == "paced")
        printf "\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d", v["cp50_us"], v["cp90_us"], v["cp99_us"], v["cp999_us"],
          v["cmax_us"], v["late1ms"], v["maxlate_us"], v["unpaired"]
      printf "\n"
    }' "$raw" | tee -a "$OUT/results.tsv"
}

order() { # round: the targets, reversed on even rounds
  if [ $(($1 % 2)) -eq 1 ]; then printf '%s\n' "${TARGETS[@]}"; else printf '%s\n' "${TARGETS[@]}" | tac; fi
}

printf 'mode\tround\ttarget\tconns\trps\tp50_us\tp90_us\tp99_us\tp999_us\tmax_us\terrors\tproxy_cpu_us_per_req\tbackend_cpu_us_per_req\tload1\tother_cpus\twrk_cpu_us_per_req\tcp50_us\tcp90_us\tcp99_us\tcp999_us\tcmax_us\tlate1ms\tmaxlate_us\tunpaired\n' \
  | tee "$OUT/results.tsv"

locked
log "warm-up: $WARMUP per target (JIT)"
# With openloop.lua at an unreachable rate (a closed loop): the requests carry X-Start as in the
# paced runs, so the JIT has compiled that path too. Then 5 s at a low fixed rate on new
# connections: when clients first close their connections and when the IO thread first goes
# idle between requests, the JVM meets paths its compiled hot loop never took and throws much of
# that code away ("made not entrant" in -XX:+PrintCompilation); on one CPU the recompilation
# then stalls requests for tens of milliseconds. A gateway goes through that once, early on;
# no measured run should. Last, $CHURN of requests on connections closed after each answer: every
# measured run opens its connections anew, and a JVM that has accepted only a hundred so far meets
# that path still interpreted and compiles it then (PrintCompilation: Net.accept,
# setSocketOption...), a burst of late answers in each run's first 40 ms; a gateway that has been
# up a while, with clients coming and going, has long compiled it.
for t in "${TARGETS[@]}"; do
  RATE=100000000 THREADS=2 "${ON_LOAD[@]}" wrk -t2 -c64 -d"$WARMUP" -s "$BENCH/openloop.lua" "${URL[$t]}" \
    >"$OUT/warmup-$t.txt"
  RATE=2000 THREADS=2 "${ON_LOAD[@]}" wrk -t2 -c"${PACED_CONNS:-32}" -d5s -s "$BENCH/openloop.lua" "${URL[$t]}" \
    >>"$OUT/warmup-$t.txt"
  "${ON_LOAD[@]}" wrk -t2 -c8 -d"$CHURN" -H "Connection: close" "${URL[$t]}" >>"$OUT/warmup-$t.txt"
done
unlocked

for mode in "${MODES[@]}"; do
  case $mode in
    peak)
      for r in $(seq 1 "$ROUNDS"); do
        locked
        log "peak round $r (load $(cut -d' ' -f1-3 /proc/loadavg))"
        for c in $CONNS; do
          for t in $(order "$r"); do wrk_one peak "$r" "$t" "$c"; done
        done
        unlocked
      done
      ;;
    paced)
      if [ -z "${RATE:-}" ]; then
        RATE=$(awk -F'\t' '$1 == "peak" && $3 == "ficus" && $4 == 64 { s += $5; n++ } END { if (n) printf "%.0f", s / n / 2 }' \
          "$OUT/results.tsv")
        [ -n "$RATE" ] || { echo "paced needs RATE=... or a peak run with ficus at 64 connections first" >&2; exit 2; }
      fi
      # Open loop at a fixed rate (gateway/bench/openloop.lua): the same RATE for every target;
      # the connections only bound how many requests can be in flight at once.
      PACED_CONNS=${PACED_CONNS:-32}
      export RATE
      log "paced: fixed rate $RATE req/s over $PACED_CONNS connections (open loop, latency from each request's slot)"
      echo "paced: fixed rate $RATE req/s, $PACED_CONNS connections (openloop.lua)" >>"$OUT/environment.txt"
      for r in $(seq 1 "$ROUNDS"); do
        locked
        log "paced round $r (load $(cut -d' ' -f1-3 /proc/loadavg))"
        for t in $(order "$r"); do wrk_one paced "$r" "$t" "$PACED_CONNS"; done
        unlocked
      done
      ;;
    *) echo "unknown mode $mode (peak, paced)" >&2; exit 2 ;;
  esac
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/environment.txt"
grep -c . "$OUT/ficus.log" >/dev/null && tail -n 5 "$OUT/ficus.log" >"$OUT/ficus-tail.txt"
log "raw results in $OUT"
