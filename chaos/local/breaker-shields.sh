#!/usr/bin/env bash
# Claim: the edge bends instead of breaking. A crash-looping actor behind a route with a circuit breaker
# (the default) does not take the node down: after 5 failures the breaker opens and requests to it get
# 503 at once without touching the actor, the root supervisor never reaches its restart limit, and the
# other routes keep answering 200.
source "$(dirname "$0")/lib.sh"
start_node
inject '{"type":"crash","target":"hello","count":100000}'
codes=""
for _ in $(seq 1 40); do codes="$codes $(status_of /hello)"; done
others=0
for _ in $(seq 1 20); do [ "$(status_of /whoami)" = 200 ] && others=$((others + 1)); done
alive=no; kill -0 "$NODE_PID" 2>/dev/null && alive=yes
breaker=$(curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ADMIN_PORT/admin/edges" | python3 -c '
import json, sys
print(next(r["breaker"]["state"] for r in json.load(sys.stdin)["routes"] if r["route"] == "/hello"))')
echo "/hello:$codes"
echo "/whoami: $others/20 ok; node alive: $alive; /hello breaker: $breaker"
[ "$alive" = yes ] && [ "$others" = 20 ] && [ "$breaker" = open ] && verdict ok "breaker shields" || verdict fail "breaker shields"
