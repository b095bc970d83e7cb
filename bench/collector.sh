#!/usr/bin/env bash
# How a pod's node uses its memory limit: a clustered node in a memory cgroup of the base Deployment's limit (512Mi),
# under SECONDS of load — POST /events (batches of 10 events, each with an Idempotency-Key the node keeps) and GET
# /hello, wrk with 32 connections each — three times, each with the image's JVM flags (the Dockerfile's JAVA_OPTS):
#   1. but without -XX:+UseG1GC: the collector the JVM picks by itself there (the serial collector: under 1.75 GiB of
#      memory the JVM does not count as a server machine)
#   2. as they are (G1)
#   3. with the heap committed and touched to its maximum at start: what the node takes beside a full heap, and
#      whether heap and the rest fit the limit (the kernel kills a container's process that goes past it)
# For each: collections (young / full), total and longest pause, heap after the last one, resident memory at the end
# of the load, requests per second of each kind.
# The node runs on the image's runtime (Java 25 + AOT cache) when JAVA25_HOME is set, else `java -jar` of the JDK on
# PATH. Needs wrk and a memory cgroup (bench/node.sh). Usage: bench/collector.sh [SECONDS] [LIMIT]  (40, 512Mi)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-40}
limit=${2:-512Mi}
command -v wrk >/dev/null || { echo "needs wrk" >&2; exit 2; }
[ -f target/satellite.jar ] || ./mvnw -B -q -DskipTests package
port=${BENCH_HTTP_PORT:-18080}
admin=${BENCH_ADMIN_PORT:-19090}
if [ -n "${JAVA25_HOME:-}" ]; then
  if ! [ -x target/bench-runtime-25/bin/satellite ] || ! [ target/bench-runtime-25/app/satellite.jar -nt target/satellite.jar ]; then
    JAVA_HOME=$JAVA25_HOME RUNTIME_TRAIN_HTTP_PORT=$port RUNTIME_TRAIN_ADMIN_PORT=$admin \
      bash image/runtime.sh --jar target/satellite.jar --out target/bench-runtime-25 --train-seconds 10 >&2
  fi
  node="$PWD/target/bench-runtime-25/bin/satellite"
else
  node="java \$JAVA_OPTS -jar $PWD/target/satellite.jar"
fi
work=$(mktemp -d)
. bench/node.sh
trap 'rm -rf "$work"; pkill -f "bench-collector-node" 2>/dev/null || true; node_sh_done' EXIT
cgroup_create "$limit"

one() { # $1 id, $2 label, $3 JVM flags: one node, the load, one table row
  local pid events rss rc
  (cd "$work" && cgroup_enter && export JAVA_OPTS="$3 -Xlog:gc:file=$work/gc-$1.log" \
    && eval exec -a bench-collector-node "$node" run --set http.host=127.0.0.1 --set http.port=$port \
      --set admin.port=$admin --set log.level=WARN --cluster --set cluster.name=bench-collector-$$ \
      >"$work/node-$1.log" 2>&1) &
  pid=$!
  if ! (node_await "$pid" "$admin" "$work/node-$1.log"); then
    rc=0; wait "$pid" || rc=$?
    echo "| $2 | not ready: exit $rc$([ "$rc" = 137 ] && echo " (SIGKILL: the cgroup's out-of-memory killer, or the wait for ready ran out)") |||||||| "
    return
  fi
  wrk -t1 -c32 -d"${secs}s" -s bench/analytics.lua "http://127.0.0.1:$port" -- 10 "collector-$$-$1" >"$work/events.txt" 2>&1 &
  events=$!
  wrk -t1 -c32 -d"${secs}s" "http://127.0.0.1:$port/hello" >"$work/hello.txt" 2>&1
  wait "$events" || true
  if kill -0 "$pid" 2>/dev/null; then
    rss="$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 )) MiB"
    kill -TERM "$pid"; wait "$pid" || true
  else
    rc=0; wait "$pid" || rc=$?
    rss="exited under load ($rc$([ "$rc" = 137 ] && echo ": killed, out of memory in the cgroup"))"
  fi
  awk -v label="$2" -v rss="$rss" \
    -v hello="$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/hello.txt")" \
    -v events="$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/events.txt")" \
    -v bad="$(awk '/Non-2xx/ {n += $NF} END {print n + 0}' "$work/events.txt" "$work/hello.txt")" '
    /Using / { for (i = 1; i <= NF; i++) if ($i == "Using") gc = $(i + 1) }
    / Pause / {
      ms = $NF; sub(/ms$/, "", ms); total += ms; if (ms + 0 > max) max = ms + 0
      if ($0 ~ /Pause Full/) full++; else young++
      heap = $(NF - 1); sub(/^.*->/, "", heap)
    }
    END { printf "| %s (%s) | %d / %d | %.0f ms | %.1f ms | %s | %s | %s | %s | %s |\n", label, gc, young, full,
      total, max, heap, rss, hello, events, bad }' "$work/gc-$1.log"
}

echo "| JVM flags (collector) | collections, young / full | paused in all | longest pause | heap after the last (committed) | RSS at the end | /hello req/s | /events req/s | non-2xx |"
echo "|---|---|---|---|---|---|---|---|---|"
image=$(sed -n 's/^ENV JAVA_OPTS="\(.*\)"$/\1/p' Dockerfile)
[ -n "$image" ] || { echo "no ENV JAVA_OPTS=\"...\" line in the Dockerfile" >&2; exit 1; }
percent=$(grep -o 'MaxRAMPercentage=[0-9.]*' <<<"$image" | cut -d= -f2)
echo "image's JAVA_OPTS: $image" >&2
one choice "without -XX:+UseG1GC: the JVM's choice" "${image//-XX:+UseG1GC/}"
one g1 "the image's flags" "$image"
one full "the image's, heap touched to its maximum" "$image -XX:InitialRAMPercentage=$percent -XX:+AlwaysPreTouch"
