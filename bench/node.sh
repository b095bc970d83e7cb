# Sourced by bench scripts that start nodes: readiness without forking, and a memory limit as a container's.
#   node_ready PORT       /health/ready on PORT answers 200 (image/ready.sh, shared with the image's training run)
#   node_await PID PORT LOG   polls node_ready every 10 ms until it holds; if PID exits first, or is not ready
#                         within 60 s (BENCH_READY_SECONDS; under a memory limit far too small the JVM need not
#                         die: it can crawl, its file pages reclaimed and read again), kills it, prints LOG, exits 1
#   cgroup_create LIMIT   a memory cgroup of its own under this shell's, limited to LIMIT (512m, 512M or 512Mi);
#                         sets $cgroup; exits 2 where none can be made (needs root and a writable cgroup v1
#                         memory hierarchy, or v2 with memory in this cgroup's cgroup.subtree_control)
#   cgroup_enter          in a subshell: moves it, and what it then execs, into $cgroup (no-op without one)
#   node_sh_done          for the script's EXIT trap, after its nodes are stopped: removes $cgroup (waiting up to
#                         5 s for its processes to go) and the helper process of the poll
# The JVM reads the limit from the cgroup as it does in a pod: it sizes the heap from it and, under 1.75 GiB, picks
# the serial collector unless told otherwise. -XX:MaxRAM alone sizes the heap the same but keeps G1 on two CPUs.
cgroup=
cgroup_create() {
  local bytes v1 v2
  bytes=$(numfmt --from=iec "$(tr a-z A-Z <<<"${1%i}")")
  v1=/sys/fs/cgroup/memory$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup)
  v2=/sys/fs/cgroup$(sed -n 's/^0::\(.*\)$/\1/p' /proc/self/cgroup)
  if [ -w "$v1" ] && mkdir "$v1/bench-$$" 2>/dev/null; then
    cgroup=$v1/bench-$$
    echo "$bytes" >"$cgroup/memory.limit_in_bytes"
  elif grep -qw memory "$v2/cgroup.subtree_control" 2>/dev/null && mkdir "$v2/bench-$$" 2>/dev/null; then
    cgroup=$v2/bench-$$
    echo "$bytes" >"$cgroup/memory.max"
  else
    echo "a memory limit needs a memory cgroup this user may create (root; cgroup v1, or v2 with memory in $v2/cgroup.subtree_control)" >&2
    exit 2
  fi
  echo "processes in cgroup $cgroup, memory limit $1" >&2
}
cgroup_enter() { [ -z "$cgroup" ] || echo "$BASHPID" >"$cgroup/cgroup.procs"; }
node_sh_done() {
  kill "$node_sh_sleeper" 2>/dev/null || true
  [ -n "$cgroup" ] || return 0
  for _ in $(seq 1 50); do [ -n "$(cat "$cgroup/cgroup.procs")" ] || break; sleep 0.1; done # (size is 0 there)
  rmdir "$cgroup" 2>/dev/null || echo "could not remove $cgroup (a process is still in it)" >&2
}

exec 9< <(exec sleep 100000) # read -t on this fd waits without a process of its own
node_sh_sleeper=$!
. image/ready.sh
node_await() {
  local deadline=$(( $(date +%s) + ${BENCH_READY_SECONDS:-60} ))
  until node_ready "$2"; do
    kill -0 "$1" 2>/dev/null || { echo "the node exited:" >&2; cat "$3" >&2; exit 1; }
    if [ "$(date +%s)" -ge "$deadline" ]; then
      kill -KILL "$1" 2>/dev/null || true
      echo "the node was not ready within ${BENCH_READY_SECONDS:-60} s (killed):" >&2; tail -20 "$3" >&2; exit 1
    fi
    read -r -t 0.01 -u 9 || true
  done
}
