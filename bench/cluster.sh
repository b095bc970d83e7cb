#!/usr/bin/env bash
# Event-bus and cluster figures:
#  1. actor API vs raw eventBus().request throughput (in-process, one event loop, median of rounds), and
#     cross-node request/reply latency on loopback (two clustered nodes in one JVM) — BusBench;
#  2. second-node join time, and time from kill -9 / SIGSTOP of a node to the last failed request on the
#     survivor, from the built jar (ports 18181/18182, 19191/19192) — FailoverBench.
# Usage: bench/cluster.sh [ROUNDS] [RUNS]
set -euo pipefail
rounds=${1:-11}
runs=${2:-3}
source "$(dirname "$0")/lib.sh"
java -cp "$cp" dev.satellite.bench.BusBench "$rounds" 300000 2>/dev/null | grep -E '^(round|actor|cross)'
java -cp "$cp" dev.satellite.bench.FailoverBench target/satellite.jar "$runs" 2>/dev/null
