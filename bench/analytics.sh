#!/usr/bin/env bash
# Analytics ingestion figures from the built jar: acknowledged events/s for single events and batches of 100,
# one node and a 2-node cluster (wrk on node A, each request with a fresh Idempotency-Key); afterwards the
# events counted (GET /stats on every node) must equal the events of the 202 answers.
# Usage: bench/analytics.sh [SECONDS] [CONNECTIONS]   (quick look: bench/analytics.sh 5 32)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/satellite.jar ] || ./mvnw -B -q -DskipTests package
secs="${1:-10}"
conns="${2:-32}"
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT

start() { # id http admin cluster?
  local args=(run)
  [ "$4" = yes ] && args+=(--cluster)
  SATELLITE_NODE_ID=$1 SATELLITE_HTTP_HOST=127.0.0.1 SATELLITE_HTTP_PORT=$2 SATELLITE_ADMIN_PORT=$3 \
    SATELLITE_CLUSTER_NAME="bench-$$" SATELLITE_LOG_LEVEL=WARN \
    java -Xmx512m -jar target/satellite.jar "${args[@]}" >"$dir/$1.log" 2>&1 &
  pids+=($!)
}
ready() { for _ in $(seq 1 600); do curl -sf "localhost:$1/health/ready" >/dev/null && return 0; sleep 0.1; done; return 1; }
counted() { # http port: the sum of the counts of bench-0..9
  local total=0
  for i in $(seq 0 9); do
    c=$(curl -s "localhost:$1/stats/bench-$i" | sed -E 's/.*"count":([0-9]+).*/\1/')
    total=$((total + c))
  done
  echo "$total"
}
run() { # label events-per-request
  local out req bad
  round=$((round + 1))
  out=$(wrk -t2 -c"$conns" -d"${secs}s" -s bench/analytics.lua http://127.0.0.1:18380 -- "$2" "r$round" | tee "$dir/wrk.out" | grep BENCH)
  grep NOT202 "$dir/wrk.out" | sort -u | head -3 || true
  req=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$out")
  bad=$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<<"$out")
  secs_run=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$out")
  printf '%-28s %10.0f events/s  (%d requests, %d not 202; %s)\n' "$1" \
    "$(echo "($req - $bad) * $2 / $secs_run" | bc -l)" "$req" "$bad" "$(grep -oE 'p50ms=[0-9.]+ p99ms=[0-9.]+' <<<"$out")"
  acked=$((acked + (req - bad) * $2))
}

round=0
for mode in standalone cluster; do
  acked=0
  if [ "$mode" = cluster ]; then
    start a 18380 19380 yes; start b 18381 19381 yes
    ready 19380; ready 19381
  else
    start a 18380 19380 no; ready 19380
  fi
  run "$mode, warm-up (not a figure)" 100
  run "$mode, single events" 1
  run "$mode, batches of 100" 100
  got=$(counted 18380)
  # requests still in flight when wrk stops may be applied without their answer being counted: counted >= acked,
  # by at most CONNECTIONS x 100
  echo "$mode: events in 202 answers $acked, counted $got"
  [ "$mode" = cluster ] && echo "$mode: counted via node b $(counted 18381)"
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  pids=()
  sleep 1
done
