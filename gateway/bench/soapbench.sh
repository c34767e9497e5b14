#!/usr/bin/env bash
# Fronts compared on the same backends, in one run (docs/performance.md, "SOAP (issue 2)"):
# issue 2, requirement 11.
#
#   gateway/bench/soapbench.sh                                  build, then measure (~12 min)
#   SKIP_BUILD=1 DURATION=5s ROUNDS=1 gateway/bench/soapbench.sh  a quick check (~3 min)
#   gateway/bench/soapbench.sh summary OUT                      the table again, from a finished run
#
# The call measured is the demo's GET /api/customers/{CUSTOMER} (getCustomer). Everything on
# 127.0.0.1, started here, stopped here by PID:
#   cxf      the CXF sample service (the realistic backend; about 200 us of CPU per call)
#   backend  a light backend: nginx answering POST /ws/customers with the exact reply the CXF
#            service gave for that customer (captured at start, with CXF's Content-Type), and
#            GET /api/... with the exact JSON Ficus gave for it (captured at start)
#   ficus    Ficus (-Xmx256m) with only the customers mapping, twice: one on cxf, one on backend
#   camel    the Camel route of gateway/bench/camel (-Xmx256m), twice: on cxf and on backend
#   proxy    nginx as a plain reverse proxy (keep-alive upstream pool) to backend's JSON
# Targets (backend:front): cxf:direct cxf:ficus cxf:camel light:direct light:ficus light:camel
# json:direct json:nginx. "direct" calls the backend itself (the SOAP envelope POSTed, or the JSON
# GET). Each round runs every target at 1 connection (wrk -t1 -c1), then every target at 64
# (wrk -t2 -c64), the order rotating each round. Around each wrk run the script reads user+system
# CPU of the front process(es) and of the backend process(es) from /proc/PID/stat and divides
# by the requests wrk completed; also wrk's own CPU, the front's context switches, and the front
# JVM's CPU by thread (OUT/threads-*.txt; JIT compiler share in the table). The warm-up and every
# round hold /tmp/ficus-bench.lock (flock; one hold is 5 x WARMUP or 8 x DURATION), so do NOT
# wrap this script in flock yourself: it would wait for itself until LOCK_WAIT runs out.
#
# Environment (defaults): DURATION=10s ROUNDS=3 WARMUP=30s (per JVM target) CUSTOMER=1 (or "created": a ~2 KB
#   customer with nine addresses, created through Ficus on cxf, as in session 1's run.sh)
#   TARGETS="<all eight>" BASE_PORT=19600 (uses BASE_PORT..+6) NGINX_WORKERS=2 SKIP_BUILD=0
#   LOCK=/tmp/ficus-bench.lock LOCK_WAIT=1200 (seconds to wait for it) OUT=<new temp dir>
# Output: the table and ratios on stdout (also OUT/summary.txt), every round in OUT/results.tsv,
#   raw wrk output, logs and the captured bodies in OUT.
# Needs: java 17, mvn, wrk, nginx, curl, flock.
set -euo pipefail
{ # the braces: bash reads the whole script before running it, so an edit during a run is harmless

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BENCH=gateway/bench
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-30s}
ROUNDS=${ROUNDS:-3}
CUSTOMER=${CUSTOMER:-1}
BASE_PORT=${BASE_PORT:-19600}
NGINX_WORKERS=${NGINX_WORKERS:-2}
LOCK=${LOCK:-/tmp/ficus-bench.lock}
LOCK_WAIT=${LOCK_WAIT:-1200}
ALL_TARGETS="cxf:direct cxf:ficus cxf:camel light:direct light:ficus light:camel json:direct json:nginx"
read -r -a TARGETS <<<"${TARGETS:-$ALL_TARGETS}"
# --- the table; `gateway/bench/soapbench.sh summary OUT` prints it again from a finished run ---
summary() {
  echo
  echo "Ficus and the baselines; medians over the rounds (every round in $OUT/results.tsv)"
  grep -E '^(date|commit|settings|call):' "$OUT/environment.txt"
  echo "load average (1 min) during the rounds: $(awk -F'\t' 'NR > 1 { print $13 }' "$OUT/results.tsv" | sort -n | sed -n '1p;$p' | paste -sd- -)"
  echo
  awk -F'\t' -v order="$ALL_TARGETS" '
    NR > 1 { k = $2 SUBSEP $3; n[k]++; i = n[k]
      rps[k, i] = $4; p50[k, i] = $5; p99[k, i] = $7; err[k] += $8; fc[k, i] = $10; cs[k, i] = $11; bc[k, i] = $12; wk[k, i] = $14; jt[k, i] = ($15 == "" ? "-" : $15) }
    function med(a, k, c,   i, j, t, v) {
      if (a[k, 1] == "-") return "-"
      for (i = 1; i <= c; i++) v[i] = a[k, i] + 0
      for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
    function num(x, fmt) { return x == "-" ? "-" : sprintf(fmt, x) }
    END {
      printf "%-13s %5s %8s %8s %8s %6s %12s %13s %12s %14s %11s\n", "target", "conns", "req/s", "p50 ms", "p99 ms", "errors", "front us/req", "(of it JIT)", "front cs/req", "backend us/req", "wrk us/req"
      split(order, ts, " "); split("1 64", cc, " ")
      for (a = 1; a <= 2; a++) for (b = 1; b <= 8; b++) { k = cc[a] SUBSEP ts[b]; if (!(k in n)) continue; c = n[k]
        printf "%-13s %5s %8.0f %8.3f %8.3f %6d %12s %13s %12s %14s %11s\n", ts[b], cc[a], med(rps, k, c), med(p50, k, c), med(p99, k, c), err[k], num(med(fc, k, c), "%.0f"), num(med(jt, k, c), "%.0f"), num(med(cs, k, c), "%.1f"), num(med(bc, k, c), "%.0f"), num(med(wk, k, c), "%.0f") }
    }' "$OUT/results.tsv"
  echo
  echo "Issue 2, requirement 11 (per round; median):"
  awk -F'\t' '
    NR > 1 { v[$1, $2, $3, "rps"] = $4; v[$1, $2, $3, "p50"] = $5; v[$1, $2, $3, "cpu"] = $10; r[$1] = 1 }
    function line(label, conns, a, b, kind, target, cmp,   x, list, vals, m, c, i, j, t) {
      c = 0; list = ""
      for (x = 1; x in r; x++) {
        if (!((x, conns, a, kind) in v) || !((x, conns, b, kind) in v) || v[x, conns, a, kind] == "-" || v[x, conns, b, kind] == "-") continue
        if (kind == "p50") t = v[x, conns, a, kind] - v[x, conns, b, kind]
        else { if (v[x, conns, b, kind] + 0 == 0) continue; t = v[x, conns, a, kind] / v[x, conns, b, kind] }
        vals[++c] = t; list = list sprintf(kind == "p50" ? " %.3f" : " %.2f", t) }
      if (c == 0) return
      for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (vals[j] < vals[i]) { t = vals[i]; vals[i] = vals[j]; vals[j] = t }
      m = c % 2 ? vals[(c + 1) / 2] : (vals[c / 2] + vals[c / 2 + 1]) / 2
      printf "  %-64s%s; median %s", label, list, sprintf(kind == "p50" ? "%.3f ms" : "%.2f x", m)
      if (cmp == ">=") printf "  (target >= %s: %s)", target, (m >= target ? "met" : "NOT met")
      else if (cmp == "<=") printf "  (target <= %s ms: %s)", target, (m <= target ? "met" : "NOT met")
      printf "\n" }
    END {
      line("64 conns, light backend: Ficus / Camel req/s", 64, "light:ficus", "light:camel", "rps", 5, ">=")
      line("64 conns: Ficus (light) / nginx proxying the JSON, req/s", 64, "light:ficus", "json:nginx", "rps", 0.5, ">=")
      line("1 conn, light backend: Ficus p50 - direct p50", 1, "light:ficus", "light:direct", "p50", 0.3, "<=")
      line("1 conn, CXF backend: Ficus p50 - direct p50", 1, "cxf:ficus", "cxf:direct", "p50", 0.3, "<=")
      print "  for reference:"
      line("64 conns, CXF backend: Ficus / Camel req/s", 64, "cxf:ficus", "cxf:camel", "rps")
      line("64 conns, light backend: Camel / Ficus CPU per request", 64, "light:camel", "light:ficus", "cpu")
      line("64 conns: Ficus (light) / nginx proxy CPU per request", 64, "light:ficus", "json:nginx", "cpu")
      line("64 conns: nginx proxy / Camel (light) req/s (ceiling of the 5x)", 64, "json:nginx", "light:camel", "rps")
      line("1 conn, light backend: Camel p50 - direct p50", 1, "light:camel", "light:direct", "p50")
      line("1 conn: nginx proxy p50 - JSON direct p50", 1, "json:nginx", "json:direct", "p50")
    }' "$OUT/results.tsv"
  echo
  echo "front us/req, backend us/req: user+system CPU per request of the process(es) in front of the"
  echo "backend and of the backend (/proc/PID/stat); (of it JIT): the part spent by the front JVM's JIT"
  echo "compiler threads (high = not warmed up yet); front cs/req: their context switches per request;"
  echo "wrk us/req: the load generator's own CPU (it shares the machine's CPUs with everything else)."
  local t f
  for t in light-ficus light-camel; do
    f=$(ls "$OUT"/threads-64-*-"$t".txt 2>/dev/null | sort -V | tail -1)
    [ -n "$f" ] || continue
    echo
    echo "where ${t/-/:}'s CPU went at 64 connections, us per request by thread ($(basename "$f"); digits folded to N):"
    head -8 "$f"
  done
}
if [ "${1:-}" = summary ]; then
  OUT=${2:?usage: $0 summary OUT}
  summary
  exit 0
fi

OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/ficus-soapbench.XXXXXX")}
mkdir -p "$OUT"
TOKEN=legacy-secret

CXF_PORT=$BASE_PORT
BACKEND_PORT=$((BASE_PORT + 1))
FICUS_CXF_PORT=$((BASE_PORT + 2))
FICUS_LIGHT_PORT=$((BASE_PORT + 3))
CAMEL_CXF_PORT=$((BASE_PORT + 4))
CAMEL_LIGHT_PORT=$((BASE_PORT + 5))
PROXY_PORT=$((BASE_PORT + 6))

. "$ROOT/gateway/bench/lib.sh"
require_tools "apt-get install -y wrk nginx curl; a JDK 17; Maven" java mvn wrk nginx curl flock timeout
require_free_ports "set BASE_PORT to a free range of 7 ports" $(seq "$BASE_PORT" "$PROXY_PORT")

locked() { # command...: runs it (a function is fine) holding the shared benchmark lock
  (
    flock -w "$LOCK_WAIT" 9 || { echo "could not get $LOCK within ${LOCK_WAIT}s" >&2; exit 3; }
    "$@"
  ) 9>"$LOCK"
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building Ficus and the samples (mvn -o -q -DskipTests package)"
  mvn -o -q -DskipTests package
  log "building the Camel baseline (mvn -o -q -f $BENCH/camel/pom.xml package)"
  mvn -o -q -f "$BENCH/camel/pom.xml" package
fi
log "results in $OUT"

# --- the realistic backend -------------------------------------------------------------------
start cxf java -jar samples/target/ficus-samples-all.jar --soap-port "$CXF_PORT" --token "$TOKEN" \
  --monolith-port 0 --new-service-port 0 --grpc-port 0
wait_for "the CXF samples" 60 grep -q '^READY' "$OUT/cxf.log"

# --- Ficus: only the customers mapping. The repository's mappings/gateway.yaml puts a split and a
# shadow on GET /api/customers/{id} (the strangler-fig demo), which is not the call measured here.
mkdir -p "$OUT/ficus-conf"
cat >"$OUT/ficus-conf/gateway.yaml" <<'YAML'
ficus: gateway/v1
listen: ${FICUS_LISTEN:-127.0.0.1:8080}
limits:
  maxBodySize: 1MB
  maxResponseSize: 16MB
defaults:
  timeout: 10s
  unknownFields: reject
YAML
sed "s#\.\./wsdl/#$ROOT/wsdl/#" mappings/customers.yaml >"$OUT/ficus-conf/customers.yaml"

ficus() { # name port soap-url
  CUSTOMER_SOAP_URL=$3 start "$1" java -Xmx256m -jar gateway/target/ficus.jar run -c "$OUT/ficus-conf" \
    --listen "127.0.0.1:$2"
}
camel() { # name port soap-url
  start "$1" java -Xmx256m -cp "$BENCH/camel/target/classes:$(cat "$BENCH/camel/target/classpath.txt")" \
    dev.ficus.bench.camel.CamelBaseline --port "$2" --soap-url "$3" --token "$TOKEN"
}
CXF_URL=http://127.0.0.1:$CXF_PORT/ws/customers
LIGHT_URL=http://127.0.0.1:$BACKEND_PORT/ws/customers
ficus ficus_cxf "$FICUS_CXF_PORT" "$CXF_URL"
ficus ficus_light "$FICUS_LIGHT_PORT" "$LIGHT_URL"
camel camel_cxf "$CAMEL_CXF_PORT" "$CXF_URL"
camel camel_light "$CAMEL_LIGHT_PORT" "$LIGHT_URL"
wait_for "Ficus (on cxf)" 60 grep -q 'Ficus listening' "$OUT/ficus_cxf.log"

if [ "$CUSTOMER" = created ]; then
  for attempt in 1 2 3; do # the first calls of freshly started JVMs can hit the mapping's 5 s timeout
    created=$(curl -s -H 'Content-Type: application/json' \
      --data-binary @gateway/src/test/resources/dev/ficus/soap/create-customer.json \
      "http://127.0.0.1:$FICUS_CXF_PORT/api/customers" || true)
    case $created in '{"id":'*) break ;; esac
    log "creating the customer failed (attempt $attempt): $created"
    sleep 2
  done
  CUSTOMER=$(printf '%s' "$created" | sed -E 's/^\{"id":([0-9]+).*/\1/')
fi
case $CUSTOMER in ''|*[!0-9]*) echo "CUSTOMER must be a number or 'created': $CUSTOMER" >&2; exit 2 ;; esac
PATH_GET=/api/customers/$CUSTOMER

# --- capture what the light backend will serve: CXF's reply (body and Content-Type), Ficus's JSON
export ENVELOPE=$OUT/get-customer-request.xml
printf '%s' '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:example:customers:v1"><soap:Header><c:authHeader><c:token>'"$TOKEN"'</c:token></c:authHeader></soap:Header><soap:Body><c:getCustomer><c:customerId>'"$CUSTOMER"'</c:customerId></c:getCustomer></soap:Body></soap:Envelope>' >"$ENVELOPE"
mkdir -p "$OUT/www" "$OUT/nginx-tmp"
SOAP_TYPE=$(curl -sf -o "$OUT/www/get-customer-reply.xml" -w '%{content_type}' \
  -H 'Content-Type: text/xml; charset=UTF-8' -H 'SOAPAction: "urn:example:customers:getCustomer"' \
  --data-binary @"$ENVELOPE" "$CXF_URL")
grep -q '<customer>' "$OUT/www/get-customer-reply.xml" || { echo "CXF did not return customer $CUSTOMER; see $OUT" >&2; exit 1; }
curl -sf -o "$OUT/www/customer.json" "http://127.0.0.1:$FICUS_CXF_PORT$PATH_GET"
chmod 755 "$OUT" "$OUT/www"; chmod 644 "$OUT/www/"*

nginx_common() { # name: the top of an nginx.conf
  cat <<CONF
worker_processes $NGINX_WORKERS;
daemon off;
pid $OUT/$1.pid;
error_log $OUT/$1-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  server_tokens off;
  etag off;
  types {}
  keepalive_requests 1000000;
  client_body_temp_path $OUT/nginx-tmp/$1-body;
  proxy_temp_path $OUT/nginx-tmp/$1-proxy;
  fastcgi_temp_path $OUT/nginx-tmp/$1-fastcgi;
  uwsgi_temp_path $OUT/nginx-tmp/$1-uwsgi;
  scgi_temp_path $OUT/nginx-tmp/$1-scgi;
CONF
}
{
  nginx_common backend
  cat <<CONF
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    # The SOAP call: nginx's static module refuses POST on a file (405); error_page turns that
    # into an internal GET of the same URI, answered 200 with the file: CXF's reply, byte for byte.
    location = /ws/customers {
      default_type "$SOAP_TYPE";
      alias $OUT/www/get-customer-reply.xml;
      error_page 405 =200 \$uri;
    }
    # The plain JSON call, for the nginx proxy baseline: the JSON Ficus answers, byte for byte.
    location /api/ {
      default_type application/json;
      root $OUT/www;
      try_files /customer.json =404;
    }
  }
}
CONF
} >"$OUT/backend.conf"
{
  nginx_common proxy
  cat <<CONF
  upstream json_backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://json_backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
} >"$OUT/proxy.conf"
start backend nginx -p "$OUT" -c "$OUT/backend.conf"
start proxy nginx -p "$OUT" -c "$OUT/proxy.conf"
wait_for "the light backend" 20 curl -sf "http://127.0.0.1:$BACKEND_PORT$PATH_GET"
wait_for "the nginx proxy" 20 curl -sf "http://127.0.0.1:$PROXY_PORT$PATH_GET"
wait_for "Ficus (on backend)" 60 grep -q 'Ficus listening' "$OUT/ficus_light.log"
wait_for "Camel (on cxf)" 60 grep -q '^READY' "$OUT/camel_cxf.log"
wait_for "Camel (on backend)" 60 grep -q '^READY' "$OUT/camel_light.log"

url_of() {
  case $1 in
    cxf:direct) echo "$CXF_URL" ;;
    cxf:ficus) echo "http://127.0.0.1:$FICUS_CXF_PORT$PATH_GET" ;;
    cxf:camel) echo "http://127.0.0.1:$CAMEL_CXF_PORT$PATH_GET" ;;
    light:direct) echo "$LIGHT_URL" ;;
    light:ficus) echo "http://127.0.0.1:$FICUS_LIGHT_PORT$PATH_GET" ;;
    light:camel) echo "http://127.0.0.1:$CAMEL_LIGHT_PORT$PATH_GET" ;;
    json:direct) echo "http://127.0.0.1:$BACKEND_PORT$PATH_GET" ;;
    json:nginx) echo "http://127.0.0.1:$PROXY_PORT$PATH_GET" ;;
    *) echo "unknown target $1 (one of: $ALL_TARGETS)" >&2; return 2 ;;
  esac
}
BACKEND_PIDS="$backend_PID $(children "$backend_PID")"
PROXY_PIDS="$proxy_PID $(children "$proxy_PID")"
front_pids() {
  case $1 in
    *:direct) ;;
    cxf:ficus) echo "$ficus_cxf_PID" ;;
    light:ficus) echo "$ficus_light_PID" ;;
    cxf:camel) echo "$camel_cxf_PID" ;;
    light:camel) echo "$camel_light_PID" ;;
    json:nginx) echo "$PROXY_PIDS" ;;
  esac
}
backend_pids() { case $1 in cxf:*) echo "$cxf_PID" ;; *) echo "$BACKEND_PIDS" ;; esac; }

# --- check that every front answers the same bytes, and what sizes travel --------------------
body() { # target → the response body
  case $1 in
    *:direct) [ "${1%%:*}" = json ] && curl -sf "$(url_of "$1")" || curl -sf -H 'Content-Type: text/xml; charset=UTF-8' \
      -H 'SOAPAction: "urn:example:customers:getCustomer"' --data-binary @"$ENVELOPE" "$(url_of "$1")" ;;
    *) curl -sf "$(url_of "$1")" ;;
  esac
}
{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
  echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java: $(java -version 2>&1 | head -1); wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); $(nginx -v 2>&1)"
  echo "settings: DURATION=$DURATION ROUNDS=$ROUNDS WARMUP=$WARMUP CUSTOMER=$CUSTOMER NGINX_WORKERS=$NGINX_WORKERS"
  echo "call: GET $PATH_GET; getCustomer envelope $(wc -c <"$ENVELOPE") B; CXF reply $(wc -c <"$OUT/www/get-customer-reply.xml") B ($SOAP_TYPE)"
  for t in "${TARGETS[@]}"; do
    b=$(body "$t" | tee "$OUT/body-${t/:/-}.out" | wc -c)
    echo "  $t answers $b B (status 200)"
  done
} >"$OUT/environment.txt"
cmp -s "$OUT/www/get-customer-reply.xml" <(body light:direct) || { echo "the light backend's reply differs from CXF's" >&2; exit 1; }
for t in cxf:ficus light:ficus json:direct json:nginx; do
  [[ " ${TARGETS[*]} " == *" $t "* ]] || continue
  cmp -s "$OUT/www/customer.json" "$OUT/body-${t/:/-}.out" || { echo "$t does not answer the JSON Ficus gave on cxf; see $OUT" >&2; exit 1; }
done
if [[ " ${TARGETS[*]} " == *" cxf:camel "* && " ${TARGETS[*]} " == *" light:camel "* ]]; then
  cmp -s "$OUT/body-cxf-camel.out" "$OUT/body-light-camel.out" || { echo "Camel answers differently on the two backends; see $OUT" >&2; exit 1; }
fi
cat "$OUT/environment.txt" >&2

# --- measuring ---------------------------------------------------------------------------------
TICK_US=$((1000000 / $(getconf CLK_TCK)))

wrk_run() { # target threads connections duration outfile
  local target=$1 threads=$2 conns=$3 duration=$4 outfile=$5 script=()
  case $target in cxf:direct|light:direct) script=(-s "$BENCH/soap-get.lua") ;; esac
  timeout $((${duration%s} + 60)) wrk -t"$threads" -c"$conns" -d"$duration" --timeout 5s --latency \
    "${script[@]}" "$(url_of "$target")" >"$outfile"
}

# wrk's text → "rps p50 p90 p99 errors requests" (latencies in ms)

warm_up() { # the JVMs (fronts and CXF) only: nginx needs none
  log "warm-up: $WARMUP per JVM target at 16 connections"
  for t in "${TARGETS[@]}"; do
    case $t in light:direct|json:*) continue ;; esac
    wrk_run "$t" 2 16 "$WARMUP" "$OUT/warmup-${t/:/-}.txt"
  done
}

children_snapshot() { # file: the CPU of this shell's finished children (user, system) as `times` says
  times >"$1"   # a builtin run in this shell (no fork, no command substitution): line 2 = children
}
children_us() { # file1 file2: children CPU between the two snapshots, in microseconds
  awk 'FNR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] } s[++k] = t }
    END { printf "%.0f", (s[2] - s[1]) * 1e6 }' "$1" "$2"
}

thread_ticks() { # pid: "thread name group<TAB>clock ticks" (digits in names folded to N)
  local f
  for f in /proc/"$1"/task/*/stat; do cat "$f" 2>/dev/null || true; done | awk '{
    name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) [^)]*$/, "", name); gsub(/[0-9]+/, "N", name)
    rest = $0; sub(/^.*\) /, "", rest); split(rest, a, " "); t[name] += a[12] + a[13] }
    END { for (n in t) printf "%s\t%d\n", n, t[n] }'
}

one_round() { # round threads connections: every target once, order rotated by round
  local round=$1 threads=$2 conns=$3 n=${#TARGETS[@]} i
  for i in $(seq 0 $((n - 1))); do
    local t=${TARGETS[$(((i + round - 1) % n))]}
    local f="$OUT/wrk-$conns-$round-${t/:/-}.txt" fp bp f0 b0 c0 f1 b1 c1 load row cpu jvm= jit=-
    fp=$(front_pids "$t"); bp=$(backend_pids "$t")
    case $t in *:ficus|*:camel) jvm=$fp ;; esac
    load=$(cut -d' ' -f1 /proc/loadavg)
    [ -z "$jvm" ] || thread_ticks "$jvm" >"$OUT/.threads0"
    # shellcheck disable=SC2086
    f0=$(cpu_ticks $fp); b0=$(cpu_ticks $bp); c0=$(ctx_switches $fp)
    children_snapshot "$OUT/.times0"
    wrk_run "$t" "$threads" "$conns" "$DURATION" "$f"
    children_snapshot "$OUT/.times1"
    # shellcheck disable=SC2086
    f1=$(cpu_ticks $fp); b1=$(cpu_ticks $bp); c1=$(ctx_switches $fp)
    row=$(parse_wrk "$f")
    local requests; requests=$(cut -f6 <<<"$row")
    if [ -n "$jvm" ]; then # where the front's CPU went, by thread (group), per request
      thread_ticks "$jvm" | awk -F'\t' -v n="$requests" -v us="$TICK_US" 'NR == FNR { b[$1] = $2; next }
        { d = $2 - b[$1]; if (d > 0) printf "%8.1f  %s\n", d * us / (n < 1 ? 1 : n), $1 }' "$OUT/.threads0" - |
        sort -rn >"$OUT/threads-$conns-$round-${t/:/-}.txt"
      jit=$(awk '/CompilerThre/ { s += $1 } END { printf "%.0f", s }' "$OUT/threads-$conns-$round-${t/:/-}.txt")
    fi
    cpu=$(awk -v n="$requests" -v f=$((f1 - f0)) -v b=$((b1 - b0)) -v c=$((c1 - c0)) -v w="$(children_us "$OUT/.times0" "$OUT/.times1")" -v us="$TICK_US" -v front="$fp" -v load="$load" \
      'BEGIN { if (n < 1) n = 1; if (front == "") printf "-\t-"; else printf "%.0f\t%.1f", f * us / n, c / n; printf "\t%.0f\t%s\t%.0f", b * us / n, load, w / n }')
    echo -e "$round\t$conns\t$t\t$row\t$cpu\t$jit" >>"$OUT/results.tsv"
    log "round $round c$conns $t: $(awk -F'\t' '{printf "%s req/s, p50 %s ms, p99 %s ms, %s errors; CPU us/request: front %s, backend %s, wrk %s; front context switches/request %s, JIT compiler CPU/request in front %s; load %s", $1, $2, $4, $5, $7, $9, $11, $8, $12, $10}' <<<"$row	$cpu	$jit")"
  done
}

echo -e "round\tconnections\ttarget\trps\tp50_ms\tp90_ms\tp99_ms\terrors\trequests\tfront_cpu_us_per_req\tfront_cs_per_req\tbackend_cpu_us_per_req\tload1\twrk_cpu_us_per_req\tfront_jit_cpu_us_per_req" \
  >"$OUT/results.tsv"
locked warm_up
for round in $(seq "$ROUNDS"); do
  locked one_round "$round" 1 1
  locked one_round "$round" 2 64
done

summary | tee "$OUT/summary.txt"
log "done; raw results in $OUT"
exit
}
