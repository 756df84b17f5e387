#!/usr/bin/env bash
# Drives `landed serve` with wrk on loopback (POST /v1/quotes, the 2-line example cart), and
# nginx serving the same response body as a static file with the same wrk settings, in
# alternating rounds, and prints the ratio of the medians and each server's CPU per request.
# Then it measures Landed's latency at about half its peak rate (wrk's delay() hook paces each
# connection). Everything binds to 127.0.0.1 and stops by itself.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
source tools/lib/common.sh
build bench Release -DLANDED_TESTS=OFF -DLANDED_BENCH=ON -- landed >/dev/null

DURATION=${DURATION:-8s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
LANDED_PORT=${LANDED_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
work=$(mktemp -d /tmp/landed-bench.XXXX)
cleanup() {
  [ -n "${landed_pid:-}" ] && kill "$landed_pid" 2>/dev/null && wait "$landed_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --stale-rates warn: the shipped rates are old by now, and a refused quote is not what is measured.
build/bench/src/app/landed serve --listen "127.0.0.1:$LANDED_PORT" --db "$work/landed.db" \
  --keys tools/dev-keys.json --threads "$(nproc)" --stale-rates warn >"$work/landed.out" 2>&1 &
landed_pid=$!
for _ in $(seq 50); do grep -q listening "$work/landed.out" 2>/dev/null && break; sleep 0.1; done

body=$(cat tools/examples/cart-us-hr.json)
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = [==[$body]==]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer dev-checkout-token"
done = function(summary, latency, requests)
  io.write(string.format("error responses (status >= 400): %d, socket errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
# The response body nginx will serve: a real quote.
curl -s -X POST "http://127.0.0.1:$LANDED_PORT/v1/quotes" -H 'Authorization: Bearer dev-checkout-token' \
  -H 'Content-Type: application/json' --data-binary @tools/examples/cart-us-hr.json >"$work/quote.json"
echo "response body: $(wc -c <"$work/quote.json") bytes"

mkdir -p "$work/nginx/logs" "$work/www"
cp "$work/quote.json" "$work/www/quote.json"
cat >"$work/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
  }
}
CONF
chmod -R a+rX "$work"  # nginx workers run unprivileged
nginx -p "$work/nginx" -c "$work/nginx.conf"

rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# CPU time (user + system, clock ticks) used so far by these processes, all their threads.
ticks() { for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | awk '{ s += $1 } END { print s }'; }
nginx_pids() { echo "$(cat "$work/nginx.pid") $(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')"; }
hz=$(getconf CLK_TCK)
# Microseconds of server CPU per request: ticks used during a run / requests it served.
per_request_us() { awk -v t="$1" -v hz="$hz" -v r="$2" 'BEGIN { printf "%.0f\n", t * 1e6 / hz / r }'; }
served() { awk '/requests in/ {print $1}' "$1"; }

# The machine is shared and its speed drifts, so the two servers take turns, ROUNDS times each,
# and the ratio is of the medians. Every landed round reloads the rules twice a second.
ROUNDS=${ROUNDS:-3}
: >"$work/reloads.txt"
for round in $(seq "$ROUNDS"); do
  echo
  echo "== round $round/$ROUNDS: landed POST /v1/quotes, wrk -t$THREADS -c$CONNS -d$DURATION, rules reloaded every 0.5 s"
  rm -f "$work/stop-reloads"
  (
    sleep 1
    while kill -0 "$landed_pid" 2>/dev/null && [ ! -f "$work/stop-reloads" ]; do
      curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$LANDED_PORT/v1/rules/reload" \
        -H 'Authorization: Bearer dev-admin-token' >>"$work/reloads.txt"
      sleep 0.5
    done
  ) &
  reloader=$!
  before=$(ticks "$landed_pid")
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$work/post.lua" "http://127.0.0.1:$LANDED_PORT/v1/quotes" >"$work/landed-$round.txt"
  used=$(( $(ticks "$landed_pid") - before ))
  touch "$work/stop-reloads"
  wait "$reloader" 2>/dev/null || true
  grep -E "Requests/sec|requests in|error responses|Socket errors| (50|99)%" "$work/landed-$round.txt"
  echo "landed CPU per quote: $(per_request_us "$used" "$(served "$work/landed-$round.txt")") us"
  rate "$work/landed-$round.txt" >>"$work/landed-rates.txt"
  per_request_us "$used" "$(served "$work/landed-$round.txt")" >>"$work/landed-cpu.txt"

  echo
  echo "== round $round/$ROUNDS: nginx static GET of the same body, wrk -t$THREADS -c$CONNS -d$DURATION"
  pids=$(nginx_pids)
  before=$(ticks $pids)
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "http://127.0.0.1:$NGINX_PORT/quote.json" >"$work/nginx-$round.txt"
  used=$(( $(ticks $pids) - before ))
  grep -E "Requests/sec|requests in|Socket errors| (50|99)%" "$work/nginx-$round.txt"
  echo "nginx CPU per request: $(per_request_us "$used" "$(served "$work/nginx-$round.txt")") us"
  rate "$work/nginx-$round.txt" >>"$work/nginx-rates.txt"
  per_request_us "$used" "$(served "$work/nginx-$round.txt")" >>"$work/nginx-cpu.txt"
done
echo
echo "reloads during the landed rounds: $(grep -c '^200$' "$work/reloads.txt") succeeded, $(grep -vc '^200$' "$work/reloads.txt") failed"

peak=$(median <"$work/landed-rates.txt")
nginx_rate=$(median <"$work/nginx-rates.txt")
# Half the peak: each of CONNS connections waits CONNS / (peak / 2) seconds between requests.
delay_ms=$(awk -v c="$CONNS" -v p="$peak" 'BEGIN { printf "%d", c * 1000 / (p / 2) }')
cat "$work/post.lua" >"$work/paced.lua"
echo "delay = function() return $delay_ms end" >>"$work/paced.lua"
echo
echo "== landed at about half of peak: each connection pauses ${delay_ms} ms between requests"
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$work/paced.lua" "http://127.0.0.1:$LANDED_PORT/v1/quotes" | tee "$work/half.txt"

echo
echo "== summary (medians of $ROUNDS alternating rounds)"
echo "landed rounds: $(tr '\n' ' ' <"$work/landed-rates.txt")quotes/s; nginx rounds: $(tr '\n' ' ' <"$work/nginx-rates.txt")req/s"
awk -v l="$peak" -v n="$nginx_rate" 'BEGIN { printf "landed %.0f quotes/s, nginx %.0f req/s, ratio landed/nginx %.2f (goal >= 0.5)\n", l, n, l / n }'
echo "server CPU per request: landed $(median <"$work/landed-cpu.txt") us per quote, nginx $(median <"$work/nginx-cpu.txt") us per static response"
echo "landed at peak (last round): p50 $(pct "$work/landed-$ROUNDS.txt" 50%)  p99 $(pct "$work/landed-$ROUNDS.txt" 99%)"
echo "landed at $(rate "$work/half.txt") quotes/s (~half of peak): p50 $(pct "$work/half.txt" 50%)  p99 $(pct "$work/half.txt" 99%) (goal p99 <= 5 ms)"
