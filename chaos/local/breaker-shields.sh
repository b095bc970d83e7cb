#!/usr/bin/env bash
# Claim: no client can end a node. Every actor behind the built-in routes crashes on every request (a "query of
# death" on all three routes at once), and for a whole minute (CHAOS_SECONDS) clients keep sending such requests
# on many connections. Each route's circuit breaker contains its poison: the crashes it lets through are poison
# crashes, which replace the instance but do not count towards the supervisor's restart intensity, and its probes
# come less and less often. The node must be alive at the end, the root supervisor running with no counted crash,
# and every poisoned request answered 503 (never a refused connection).
source "$(dirname "$0")/lib.sh"
SECONDS_TO_RUN=${CHAOS_SECONDS:-60}
start_node
for actor in hello whoami echo; do
  inject "{\"type\":\"crash\",\"target\":\"$actor\",\"count\":1000000}" >/dev/null
done
codes=$(mktemp)
end=$(( $(date +%s) + SECONDS_TO_RUN ))
workers=()
for worker in $(seq 1 8); do
  (
    while [ "$(date +%s)" -lt "$end" ] && kill -0 "$NODE_PID" 2>/dev/null; do
      # one write per line: the workers append to one file
      printf '%s\n' "$(status_of /hello)"
      printf '%s\n' "$(status_of /whoami)"
      printf '%s\n' "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'content-type: application/json' -d '{}' \
        "http://127.0.0.1:$HTTP_PORT/echo" || echo 000)"
      sleep 0.1
    done >>"$codes"
  ) &
  workers+=($!)
done
wait "${workers[@]}"

alive=no; kill -0 "$NODE_PID" 2>/dev/null && alive=yes
total=$(wc -l <"$codes"); refused=$(grep -c '^503$' "$codes" || true); dropped=$(grep -c '^000$' "$codes" || true)
ready=$(status_of /health/ready)
recent=$(supervision | python3 -c 'import json,sys; print(json.load(sys.stdin)["recentCrashes"])' 2>/dev/null || echo '?')
crashes=$(curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | grep '^satellite_supervisor_crashes_total' | awk '{s+=$2} END {print s+0}')
opened=$(curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | grep '^satellite_breaker_transitions_total.*state="open"' | awk '{s+=$2} END {print s+0}')
echo "answers by status: $(sort "$codes" | uniq -c | tr -s " " | tr "\n" ";")"
rm -f "$codes"
echo "${SECONDS_TO_RUN}s of poison on /hello, /whoami, /echo: $total requests, $refused answered 503, $dropped with no answer"
echo "node alive: $alive; ready: $ready; crashes: $crashes (counted towards giving up, last 10 s: $recent); breaker openings: $opened"
[ "$alive" = yes ] && [ "$ready" = 200 ] && [ "$dropped" = 0 ] && [ "$refused" = "$total" ] && [ "$recent" = 0 ] \
  && verdict ok "breaker shields: no client can end the node" || verdict fail "breaker shields"
