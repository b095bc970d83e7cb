# Sourced by image/runtime.sh and bench/node.sh: is a node started on this machine ready?
#   node_ready PORT   /health/ready on 127.0.0.1:PORT answers 200 (the node serves, and has joined its cluster when
#                     clustered). A bash /dev/tcp request, no process of its own: a poll that started curl every 10 ms
#                     took enough CPU from a starting JVM on two cores to slow it (bench/RESULTS.md, 2026-12-03).
node_ready() {
  local status
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3
  IFS= read -r -t 5 status <&3 || status=
  exec 3<&-
  [[ $status == "HTTP/1.1 200"* ]]
}
