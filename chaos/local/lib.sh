# Shared helpers for the local chaos experiments: start a node from the built jar on loopback with the
# fault API on, talk to it, and always stop it when the experiment ends.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ -f target/satellite.jar ] || ./mvnw -B -q -DskipTests package

HTTP_PORT=${CHAOS_HTTP_PORT:-18180}
ADMIN_PORT=${CHAOS_ADMIN_PORT:-19190}
TOKEN=chaos-$$
LOG=$(mktemp)
NODE_PID=

start_node() {
  SATELLITE_ADMIN_TOKEN=$TOKEN SATELLITE_CHAOS_ENABLED=true java -jar target/satellite.jar run \
    --set http.host=127.0.0.1 --set http.port="$HTTP_PORT" --set admin.port="$ADMIN_PORT" "$@" >"$LOG" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$HTTP_PORT/health/ready" && return 0
    sleep 0.1
  done
  echo "node not ready; log:"; cat "$LOG"; return 1
}

stop_node() {
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
    kill -TERM "$NODE_PID"; wait "$NODE_PID" || true
  fi
  rm -f "$LOG"
}
trap stop_node EXIT

inject() {
  curl -fs -H "Authorization: Bearer $TOKEN" -X POST "http://127.0.0.1:$ADMIN_PORT/admin/chaos/faults" -d "$1"
  echo
}

status_of() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$HTTP_PORT$1" || echo 000
}

supervision() {
  curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ADMIN_PORT/admin/supervision"
}

verdict() {
  if [ "$1" = ok ]; then echo "PASS: $2"; else echo "FAIL: $2"; exit 1; fi
}
