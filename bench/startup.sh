#!/usr/bin/env bash
# Start-to-ready time of `run` (median of N starts), idle RSS a few seconds after ready, and jar size.
# Usage: bench/startup.sh [N]   (builds the jar first when it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
[ -f target/satellite.jar ] || ./mvnw -B -q -DskipTests package
port=${BENCH_HTTP_PORT:-18080}
admin=${BENCH_ADMIN_PORT:-19090}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
times=()
rss=()
for i in $(seq 1 "$n"); do
  start=$(date +%s%N)
  (cd "$work" && exec java -jar "$OLDPWD/target/satellite.jar" run --set http.port=$port --set admin.port=$admin \
      --set http.host=127.0.0.1 >"$work/node-$i.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 600); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; then break; fi
    sleep 0.01
  done
  ready=$(date +%s%N)
  times+=($(( (ready - start) / 1000000 )))
  sleep 3
  rss+=($(ps -o rss= -p "$pid" | tr -d ' '))
  kill -TERM "$pid"; wait "$pid" || true
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "start-to-ready ms: ${times[*]} (median $(median "${times[@]}"))"
echo "idle RSS KiB 3 s after ready: ${rss[*]} (median $(median "${rss[@]}"))"
echo "jar: $(du -h target/satellite.jar | cut -f1) ($(stat -c %s target/satellite.jar) bytes)"
