#!/usr/bin/env bash
# Two builds of the node head to head on GET /hello (default config): each jar alone on the machine, the node
# pinned to CPU 1 and wrk (-t1 -c64) to CPU 0, WARMUP s of load then MEASURE s measured, rounds interleaved so
# drift hits both. Prints one line per round and jar, then the medians. Port 18480 (admin 19480).
# Usage: bench/jars.sh BEFORE.jar AFTER.jar [ROUNDS] [WARMUP] [MEASURE]   (defaults 3, 12, 5)
# Make the BEFORE jar from an earlier commit: git worktree add /tmp/before <rev> && (cd /tmp/before && ./mvnw -B -q
# -o package -DskipTests)
set -euo pipefail
before="${1:?usage: bench/jars.sh BEFORE.jar AFTER.jar [ROUNDS] [WARMUP] [MEASURE]}"
after="${2:?usage: bench/jars.sh BEFORE.jar AFTER.jar [ROUNDS] [WARMUP] [MEASURE]}"
rounds="${3:-3}" warmup="${4:-12}" measure="${5:-5}"
command -v wrk >/dev/null || { echo "needs wrk (Debian package wrk)" >&2; exit 2; }
pin_node=() pin_load=()
if command -v taskset >/dev/null; then pin_node=(taskset -c 1); pin_load=(taskset -c 0); fi
work="$(mktemp -d)"
node_pid=""
cleanup() { [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

one() { # jar → req/s
  (cd "$work" && exec "${pin_node[@]}" java -jar "$1" run --set http.port=18480 --set admin.port=19480 \
    --set http.host=127.0.0.1 >"$work/node.log" 2>&1) &
  node_pid=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null http://127.0.0.1:19480/health/ready && break
    sleep 0.2
  done
  "${pin_load[@]}" wrk -t1 -c64 -d"${warmup}s" http://127.0.0.1:18480/hello >/dev/null
  local rps
  rps="$("${pin_load[@]}" wrk -t1 -c64 -d"${measure}s" http://127.0.0.1:18480/hello | awk '/Requests\/sec/ {print int($2)}')"
  kill "$node_pid"; wait "$node_pid" 2>/dev/null || true; node_pid=""
  echo "$rps"
}

declare -a b a
for r in $(seq 1 "$rounds"); do
  b+=("$(one "$before")"); echo "round $r before ${b[-1]} req/s"
  a+=("$(one "$after")"); echo "round $r after  ${a[-1]} req/s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2)}'; }
mb="$(median "${b[@]}")" ma="$(median "${a[@]}")"
echo "median before $mb req/s, after $ma req/s ($(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%+.1f", (a-b)*100/b}') %)"
