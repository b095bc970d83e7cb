#!/usr/bin/env bash
# Claim: a crash loop that the supervisor counts is not hidden by restarts: the root supervisor gives up within
# 10 s and the process exits 70 at once (Kubernetes then starts a clean pod). The route's circuit breaker is
# switched off here: with it on (the default), a request that crashes the actor is a poison crash that the
# breaker contains and the supervisor does not count, so requests cannot end the node (breaker-shields.sh).
source "$(dirname "$0")/lib.sh"
start_node --set defaults.breaker.maxFailures=0
inject '{"type":"crash","target":"hello","count":100000}'
t0=$(date +%s%3N)
while kill -0 "$NODE_PID" 2>/dev/null; do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$HTTP_PORT/hello" || true
  [ $(( $(date +%s%3N) - t0 )) -gt 15000 ] && break
done
code=0; wait "$NODE_PID" || code=$?
t1=$(date +%s%3N)
grep -m1 FATAL "$LOG" || true
echo "exit code $code after $((t1 - t0)) ms of crash loop"
NODE_PID=
[ "$code" = 70 ] && [ $((t1 - t0)) -lt 10000 ] && verdict ok "crash loop exits 70" || verdict fail "crash loop exits 70"
