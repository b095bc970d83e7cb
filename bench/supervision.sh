#!/usr/bin/env bash
# Supervision figures:
#  1. crash-to-serving time of one actor instance (p50/p99 over N crashes, in-process, limits raised,
#     backoff off) — CrashToServingBench;
#  2. time from the root supervisor giving up to process exit, from the built jar (R runs, ports
#     18080/19090): a crash loop is driven through the chaos API; the FATAL line's timestamp is compared
#     with the moment the process is gone — GiveUpToExitBench.
# Usage: bench/supervision.sh [CRASHES] [RUNS]
set -euo pipefail
crashes=${1:-2000}
runs=${2:-5}
source "$(dirname "$0")/lib.sh"
java -cp "$cp" dev.satellite.bench.CrashToServingBench "$crashes" 500 2>/dev/null | grep -v '^[0-9-]*T'

java -cp "$cp" dev.satellite.bench.GiveUpToExitBench target/satellite.jar "$runs"
