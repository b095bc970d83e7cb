#!/usr/bin/env bash
# Push publish-to-receive latency across a cluster (PushLatencyBench): two clustered nodes from the built jar
# (ports 18491-18492 / 19491-19492), SUBSCRIBERS SSE streams of one topic on each, MESSAGES published on the first
# at PER_SECOND (open model: latency from each message's planned time). Prints p50/p90/p99/p99.9/max for the
# subscribers on the publishing node and on the other node. Client and nodes share the machine.
# Usage: bench/push-latency.sh [SUBSCRIBERS] [MESSAGES] [PER_SECOND]   (default 100 2000 200)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
java -Xmx1g -cp "$cp" dev.satellite.bench.PushLatencyBench target/satellite.jar "${1:-100}" "${2:-2000}" "${3:-200}" \
  2>/dev/null | grep -vE '^[0-9:.]+ (WARN|INFO|ERROR)'
