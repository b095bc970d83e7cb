#!/usr/bin/env bash
# Edge-policy figures from the built jar (node pinned to CPU 1, generator to CPU 0, ports 18280/19280):
#  1. overhead of the full edge stack on GET /hello vs the same actor behind a route with no policies,
#     interleaved rounds, median ratio;
#  2. overload: 10x the capacity of a small route for OVERLOAD seconds: the node stays up, health answers,
#     accepted p99, refusals by status, 504s and connection errors reported apart — EdgeBench.
# Usage: bench/edge.sh [ROUNDS] [SECONDS] [OVERLOAD]   (quick look: bench/edge.sh 3 3 10)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
"${pin[@]}" java -cp "$cp" dev.satellite.bench.EdgeBench target/satellite.jar "${1:-5}" "${2:-5}" "${3:-30}" 2>/dev/null \
  | grep -vE '^[0-9:.]+ (WARN|INFO|ERROR)'
