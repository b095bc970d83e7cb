#!/usr/bin/env bash
# Start-up side by side: Java 17 plain (`java -jar`), Java 17 + a dynamic AppCDS archive, Java 25 plain, Java 25 +
# an AOT cache (the image's runtime; both archives made by image/runtime.sh). For each, N starts (median):
#   wall ms      from launch to the first 200 of /health/ready (standalone), polled every 10 ms (without forking)
#   clustered    the same with --cluster (a one-member Hazelcast cluster: it waits out Hazelcast's 1 s join round)
#   joining      the same with --cluster, joining a member already running (as a replacement pod does)
#   node ms      the node's own figure: ms from the JVM's start to ready (satellite_start_to_ready_seconds)
#   warm s       from ready until a 1 s window of /hello load (wrk, 16 connections) first reaches 90 % of the
#                median of the last three of 10 windows (needs wrk; "-" without it)
#   RSS MiB      resident memory 3 s after ready, idle; standalone, and the lone clustered member
# Every row runs with the image's JVM flags (the Dockerfile's JAVA_OPTS).
# BENCH_MEMORY_LIMIT=512Mi starts every node in a memory cgroup with that limit, as the base Deployment's container
# limit does (bench/node.sh: needs root and a writable memory cgroup); the JVM sizes its heap from it.
# Java 25 comes from $JAVA25_HOME (rows skipped when unset). Runtimes are built into target/bench-runtime-*.
# Usage: bench/startup.sh [N]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
[ -f target/satellite.jar ] || ./mvnw -B -q -DskipTests package
java17=${JAVA17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
port=${BENCH_HTTP_PORT:-18080}
admin=${BENCH_ADMIN_PORT:-19090}
flags=$(sed -n 's/^ENV JAVA_OPTS="\(.*\)"$/\1/p' Dockerfile)
[ -n "$flags" ] || { echo "no ENV JAVA_OPTS=\"...\" line in the Dockerfile" >&2; exit 1; }
export JAVA_OPTS=$flags # what the image sets; the launcher of a linked runtime reads it
work=$(mktemp -d)
. bench/node.sh
trap 'rm -rf "$work"; pkill -f "bench-startup-node" 2>/dev/null || true; node_sh_done' EXIT
[ -z "${BENCH_MEMORY_LIMIT:-}" ] || cgroup_create "$BENCH_MEMORY_LIMIT"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

runtime() { # $1 JDK, $2 out: the linked runtime with its archive
  [ -x "$2/bin/satellite" ] && [ "$2/app/satellite.jar" -nt target/satellite.jar ] && return
  JAVA_HOME=$1 RUNTIME_TRAIN_HTTP_PORT=$port RUNTIME_TRAIN_ADMIN_PORT=$admin \
    bash image/runtime.sh --jar target/satellite.jar --out "$2" --train-seconds 10 >&2
}

one() { # $1 = command line; prints "wall nodeMs warmS rssMiB" for one start
  local start ready pid node rss warm
  start=$(date +%s%N)
  (cd "$work" && cgroup_enter && exec -a bench-startup-node $1 >"$work/node.log" 2>&1) &
  pid=$!
  node_await "$pid" "$admin" "$work/node.log"
  ready=$(date +%s%N)
  node=$(curl -fs "http://127.0.0.1:$admin/metrics/satellite_start_to_ready_seconds" | awk '{printf "%d", $1 * 1000}')
  warm=-
  if [ "${2:-}" = warm ] && command -v wrk >/dev/null; then
    local rates=() i steady
    for i in $(seq 1 10); do
      rates+=("$(wrk -t1 -c16 -d1s "http://127.0.0.1:$port/hello" 2>/dev/null | awk '/Requests\/sec/ {printf "%d", $2}')")
    done
    steady=$(median "${rates[@]:7:3}")
    warm=10
    for i in $(seq 0 9); do
      if [ "${rates[$i]}" -ge $(( steady * 9 / 10 )) ]; then warm=$(( i + 1 )); break; fi
    done
    echo "  /hello req/s by second after ready: ${rates[*]}" >&2
  fi
  sleep 3
  rss=$(( $(ps -o rss= -p "$pid" | tr -d ' ') / 1024 ))
  kill -TERM "$pid"; wait "$pid" || true
  echo "$(( (ready - start) / 1000000 )) $node $warm $rss"
}

row() { # $1 name, $2 command
  local walls=() clustered=() joins=() nodes=() warms=() rsss=() crsss=() r i member cluster
  for i in $(seq 1 "$n"); do
    read -r w nd wm rs <<<"$(one "$2" "$([ "$i" = 1 ] && echo warm)")"
    walls+=("$w"); nodes+=("$nd"); rsss+=("$rs"); [ "$wm" != - ] && warms+=("$wm")
    read -r w nd wm rs <<<"$(one "$2 --cluster --set cluster.name=bench-startup-$RANDOM")"
    clustered+=("$w"); crsss+=("$rs")
  done
  # joining a running member: what a replacement pod does (the lone member above waits out Hazelcast's join round)
  cluster=bench-startup-join-$RANDOM
  (cd "$work" && cgroup_enter && exec -a bench-startup-node $2 --cluster --set cluster.name=$cluster --set http.port=$(( port + 1 )) \
    --set admin.port=$(( admin + 1 )) >"$work/member.log" 2>&1) &
  member=$!
  node_await "$member" $(( admin + 1 )) "$work/member.log"
  for i in $(seq 1 "$n"); do
    read -r w nd wm rs <<<"$(one "$2 --cluster --set cluster.name=$cluster")"
    joins+=("$w")
  done
  kill -TERM "$member"; wait "$member" || true
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(median "${walls[@]}") (${walls[*]})" \
    "$(median "${clustered[@]}") (${clustered[*]})" "$(median "${joins[@]}") (${joins[*]})" "$(median "${nodes[@]}")" \
    "${warms[0]:--}" "$(median "${rsss[@]}")" "$(median "${crsss[@]}")"
}

set_ports="run --set http.host=127.0.0.1 --set http.port=$port --set admin.port=$admin --set log.level=WARN"
echo "| runtime | wall ms to ready, median (runs) | clustered, one member | joining a member | node ms | ready→90 % s | idle RSS MiB | clustered |"
echo "|---|---|---|---|---|---|---|---|"
row "Java 17, java -jar" "$java17/bin/java $flags -jar $PWD/target/satellite.jar $set_ports"
runtime "$java17" target/bench-runtime-17
row "Java 17 + AppCDS (linked runtime)" "$PWD/target/bench-runtime-17/bin/satellite $set_ports"
if [ -n "${JAVA25_HOME:-}" ]; then
  row "Java 25, java -jar" "$JAVA25_HOME/bin/java $flags -jar $PWD/target/satellite.jar $set_ports"
  runtime "$JAVA25_HOME" target/bench-runtime-25
  row "Java 25 + AOT cache (the image's runtime)" "$PWD/target/bench-runtime-25/bin/satellite $set_ports"
else
  echo "(Java 25 rows skipped: set JAVA25_HOME to a Java 25 JDK)" >&2
fi
echo "runtimes: $(du -sh target/bench-runtime-17 2>/dev/null | cut -f1) (17, with jar and archive), $(du -sh target/bench-runtime-25 2>/dev/null | cut -f1) (25)" >&2
