#!/usr/bin/env bash
# Event-bus and cluster figures:
#  1. actor API vs raw eventBus().request throughput (in-process, one event loop, median of rounds), and
#     cross-node request/reply latency on loopback (two clustered nodes in one JVM) — BusBench;
#  2. from the built jar, each event RUNS times, min / median / max (ports 18401-18403, 19401-19403) — ClusterFigures:
#     start to ready of a lone clustered node, of a second node, of three started together; SIGKILL and SIGSTOP of
#     one node of two and of three under clients spread over every event loop (failures, per client, how late);
#     a node started with a taken id; the cost and accuracy of a cluster-wide rate limit; false ejections on a busy
#     machine (needs wrk).
# Usage: bench/cluster.sh [ROUNDS] [RUNS] [SCENARIOS]   e.g. bench/cluster.sh 11 3 kill2,stop2
set -euo pipefail
rounds=${1:-11}
runs=${2:-3}
scenarios=${3:-start,join,together,kill2,stop2,kill3,stop3,duplicate,ratelimit,busy}
source "$(dirname "$0")/lib.sh"
java -cp "$cp" dev.satellite.bench.BusBench "$rounds" 300000 2>/dev/null | grep -E '^(round|actor|cross)'
java -cp "$cp" dev.satellite.bench.ClusterFigures target/satellite.jar "$runs" "$scenarios" 2>/dev/null
