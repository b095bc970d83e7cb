#!/usr/bin/env bash
# Push fan-out on one node from the built jar (ports 18480/19480) — PushBench: SUBSCRIBERS SSE streams of one topic
# (node RSS per subscriber), then MESSAGES published 4 at a time: deliveries per second to every subscriber and
# publish-to-receive p50/p99 on 50 of them. The client runs on the same machine (and cores) as the node.
# Usage: bench/push.sh [SUBSCRIBERS] [MESSAGES]   (default 10000 100; quick look: bench/push.sh 1000 50)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
java -Xmx1g -cp "$cp" dev.satellite.bench.PushBench target/satellite.jar "${1:-10000}" "${2:-100}" 2>/dev/null \
  | grep -vE '^[0-9:.]+ (WARN|INFO|ERROR)'
