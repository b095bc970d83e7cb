#!/usr/bin/env bash
# Claim: a hung actor (it stops answering without blocking its event loop) is found by liveness pings
# and replaced; the requests it held fail with 503 as soon as it is replaced, long before their 1 s
# deadline; after the hang every request is 200 again. (A hang much longer than the liveness timeout
# makes every fresh instance hang too: that is a crash loop, and the node exits 70 by design.)
source "$(dirname "$0")/lib.sh"
# pings every 200 ms, two misses in a row make a hang; more restarts allowed than the default so the
# experiment watches detection, not the restart limit (a hang longer than detection is a crash loop)
start_node --set supervision.liveness.interval=200ms --set supervision.liveness.timeout=200ms \
  --set supervision.maxRestarts=50
inject '{"type":"hang","target":"hello","durationMs":1500}'
codes=""
for _ in $(seq 1 10); do codes="$codes $(status_of /hello)"; sleep 0.1; done
sleep 1.5
after=0
for _ in $(seq 1 50); do [ "$(status_of /hello)" = 200 ] && after=$((after + 1)); done
unresponsive=$(supervision | grep -c 'unresponsive' || true)
echo "during the hang:$codes"
echo "after the hang: $after/50 requests 200; supervision mentions unresponsive: $unresponsive"
[ "$after" = 50 ] && [ "$unresponsive" -ge 1 ] && verdict ok "hang detected and healed" || verdict fail "hang detected and healed"
