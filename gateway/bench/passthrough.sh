#!/usr/bin/env bash
# Pass-through benchmark (issue 4): the legacy monolith sample called directly, through nginx
# as a plain reverse proxy, through Ficus, and through a Ficus route that also shadows every
# request (compared). All on 127.0.0.1; every wrk run is bounded by -d. Starts only its own
# processes and stops them by PID at the end.
#
#   gateway/bench/passthrough.sh            # build, then measure
#   SKIP_BUILD=1 DURATION=15s gateway/bench/passthrough.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-2}
BASE=${BASE_PORT:-19500}
MONO=$((BASE)); NEWS=$((BASE + 1)); SOAP=$((BASE + 2)); FICUS=$((BASE + 3)); NGINX=$((BASE + 4))
OUT=${OUT:-$(mktemp -d)}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

[ "${SKIP_BUILD:-0}" = 1 ] || mvn -q -o -DskipTests package
java -jar samples/target/ficus-samples-all.jar --soap-port "$SOAP" --monolith-port "$MONO" \
  --new-service-port "$NEWS" > "$OUT/samples.log" 2>&1 & PIDS+=($!)
mkdir -p "$OUT/ficus"
cat > "$OUT/ficus/gateway.yaml" <<YAML
ficus: gateway/v1
upstreams:
  monolith: { url: http://127.0.0.1:$MONO }
  shadow: { url: http://127.0.0.1:$NEWS }   # the new customer service answers the same path
routes:
  - path: /shadowed/**
    to: monolith
    stripPrefix: /shadowed
    shadow: { to: shadow }
  - path: /**
    to: monolith
YAML
java -Xmx256m -jar gateway/target/ficus.jar run -c "$OUT/ficus" --listen "127.0.0.1:$FICUS" \
  > "$OUT/ficus.log" 2>&1 & PIDS+=($!)
cat > "$OUT/nginx.conf" <<CONF
worker_processes 2;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream monolith { server 127.0.0.1:$MONO; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX;
    location / { proxy_pass http://monolith; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
nginx -p "$OUT" -c "$OUT/nginx.conf" -g 'daemon off;' & PIDS+=($!)
for i in $(seq 1 120); do
  grep -q READY "$OUT/samples.log" 2>/dev/null && grep -q "Ficus listening" "$OUT/ficus.log" 2>/dev/null && break
  sleep 0.5
done
PATH_UNDER_TEST=/api/customers/4
declare -A URL=(
  [direct]="http://127.0.0.1:$MONO$PATH_UNDER_TEST"
  [nginx]="http://127.0.0.1:$NGINX$PATH_UNDER_TEST"
  [ficus]="http://127.0.0.1:$FICUS$PATH_UNDER_TEST"
  [ficus-shadow]="http://127.0.0.1:$FICUS/shadowed$PATH_UNDER_TEST")
for t in direct nginx ficus ficus-shadow; do curl -sf "${URL[$t]}" > /dev/null; wrk -t2 -c16 -d5s "${URL[$t]}" > /dev/null; done
printf 'round\ttarget\tconnections\treq_per_s\tp50_ms\tp99_ms\terrors\n' | tee "$OUT/results.tsv"
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.3f", v}'; }
for r in $(seq 1 "$ROUNDS"); do
  for c in 64 8; do
    for t in direct nginx ficus ficus-shadow; do
      o=$(wrk -t2 -c"$c" -d"$DURATION" --latency --timeout 5s "${URL[$t]}")
      rps=$(echo "$o" | awk '/Requests\/sec/ {print $2}')
      p50=$(echo "$o" | awk '$1=="50%" {print $2}' | ms)
      p99=$(echo "$o" | awk '$1=="99%" {print $2}' | ms)
      err=$(echo "$o" | awk '/Non-2xx|Socket errors/ {s=s $0 " "} END {print (s==""?"0":s)}')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$t" "$c" "$rps" "$p50" "$p99" "$err" | tee -a "$OUT/results.tsv"
    done
  done
done
echo "raw results in $OUT"
