#!/usr/bin/env bash
# Claim: one crashed actor instance is replaced by a fresh one at once; the node keeps serving.
# Steps: crash `hello` once through the fault API; the request that crashed it gets 503; the next ones 200;
# /admin/supervision counts 1 restart.
source "$(dirname "$0")/lib.sh"
start_node
inject '{"type":"crash","target":"hello","count":1}'
first=$(status_of /hello)
ok=0
for _ in $(seq 1 50); do [ "$(status_of /hello)" = 200 ] && ok=$((ok + 1)); done
restarts=$(supervision | grep -o '"restarts" : [0-9]*' | head -1 | grep -o '[0-9]*$')
echo "crashing request: $first; then $ok/50 requests 200; restarts: $restarts"
[ "$first" = 503 ] && [ "$ok" = 50 ] && [ "$restarts" = 1 ] && verdict ok "crash once" || verdict fail "crash once"
