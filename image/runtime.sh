#!/usr/bin/env bash
# Builds a Java runtime for the node, with only the modules it needs, and its start-up archive:
#   <out>/bin/java ...   the linked runtime (jlink), from the JDK in $JAVA_HOME (else the `java` on PATH)
#   <out>/app/satellite.jar and conf/
#   <out>/app/satellite.jsa (Java 17-24: a dynamic AppCDS archive) or <out>/app/satellite.aot (Java 25+: an AOT
#     cache, JEP 483/514/515: classes loaded and linked ahead of time, and method profiles), made by a training run
#     that starts the node, sends it load, and stops it
#   <out>/bin/satellite  the launcher: `<out>/bin/satellite run ...` starts the node with the archive
# Usage: image/runtime.sh [--jar target/satellite.jar] [--out target/runtime] [--no-archive] [--train-seconds 5]
# The archive only fits the runtime and the jar it was made with, at the paths it was made at: move <out> whole.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/satellite.jar
out=target/runtime
archive=yes
train=5
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-archive) archive=no; shift ;;
    --train-seconds) train=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
for tool in jlink jdeps java; do
  [ -x "$jdk/bin/$tool" ] || { echo "no $tool in $jdk (set JAVA_HOME to a JDK)" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "no jar at $jar: build it first (./mvnw -B -q -DskipTests package)" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')

# The modules: what jdeps finds in the jar, plus what is loaded by name at run time (ExtendedSocketOptions for
# Hazelcast's keep-alive settings, the EC crypto provider for TLS, DNS lookups for Kubernetes discovery), minus
# modules only code paths the node never takes reach (Hazelcast's scripting and management, AWT/beans helpers,
# the compiler API, JFR).
found=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release "$feature" "$jar")
unused="java.desktop java.compiler java.scripting jdk.jfr"
modules=$(printf '%s\n' ${found//,/ } jdk.net jdk.crypto.ec jdk.naming.dns java.management jdk.management \
  | grep -vxF -f <(printf '%s\n' $unused) | sort -u | paste -sd, -)
compress=zip-6
[ "$feature" -lt 21 ] && compress=2
rm -rf "$out"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress="$compress" \
  $([ "$feature" -lt 25 ] && echo --generate-cds-archive) --output "$out" >/dev/null
mkdir -p "$out/app"
cp "$jar" "$out/app/satellite.jar"
cp -r conf "$out/app/conf"
echo "$modules" > "$out/app/modules"

# Java 23 and later warn on stderr, at every clustered start, that Hazelcast 5.3 reads memory through
# sun.misc.Unsafe (JEP 471); the node relies on that access, so it is allowed outright instead of warned about.
always=""
[ "$feature" -ge 23 ] && always="--sun-misc-unsafe-memory-access=allow"
flags=$always
if [ "$archive" = yes ]; then
  if [ "$feature" -ge 25 ]; then
    flags="$flags -XX:AOTCache=\$home/app/satellite.aot"
    make="-XX:AOTCacheOutput=$out/app/satellite.aot"
  else
    flags="$flags -XX:SharedArchiveFile=\$home/app/satellite.jsa"
    make="-XX:ArchiveClassesAtExit=$out/app/satellite.jsa"
  fi
  # The training run: start, serve load, stop; the JVM writes the archive as it exits. Clustered (a one-member
  # cluster on loopback, under a name of its own), as the node runs on Kubernetes: the archive then holds the
  # ~5,000 Hazelcast classes too, which takes about 1 s off a clustered start; a standalone start is as fast as
  # with an archive trained standalone, and resident memory is ~13 MiB larger (bench/RESULTS.md, 2026-12-03).
  work=$(mktemp -d)
  http=${RUNTIME_TRAIN_HTTP_PORT:-18601}
  admin=${RUNTIME_TRAIN_ADMIN_PORT:-18602}
  (cd "$work" && exec "$out/bin/java" $make $always -jar "$out/app/satellite.jar" run --set http.host=127.0.0.1 \
      --set http.port=$http --set admin.port=$admin --set log.level=WARN --cluster \
      --set cluster.name="satellite-train-$$-$RANDOM" >"$work/train.log" 2>&1) &
  node=$!
  . image/ready.sh
  for _ in $(seq 1 600); do
    kill -0 "$node" 2>/dev/null || { echo "the training node exited:" >&2; cat "$work/train.log" >&2; exit 1; }
    node_ready "$admin" && break
    sleep 0.1
  done
  node_ready "$admin" || { echo "the training node was not ready within 60 s:" >&2; cat "$work/train.log" >&2; kill -KILL "$node"; exit 1; }
  send() { # one request on a fresh connection, its answer read and dropped
    (exec 3<>"/dev/tcp/127.0.0.1/$http" && printf '%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
      "$1" "${#2}" "$2" >&3 && cat <&3 >/dev/null) 2>/dev/null || true
  }
  end=$(( $(date +%s) + train ))
  while [ "$(date +%s)" -lt "$end" ]; do
    for request in "GET /hello" "GET /whoami" "GET /health/ready" "GET /stats/train"; do
      send "$request" ""
    done
    send "POST /events" '{"name":"train","value":1}'
    send "POST /push/train" '{"train":1}'
    send "POST /echo" '{"a":1}'
  done
  kill -TERM "$node"
  wait "$node" || true
  rm -rf "$work"
  [ -f "$out/app/satellite.jsa" ] || [ -f "$out/app/satellite.aot" ] \
    || { echo "the training run made no archive" >&2; exit 1; }
fi

cat > "$out/bin/satellite" <<LAUNCHER
#!/bin/sh
# Starts the node on this runtime with its start-up archive. JAVA_OPTS adds JVM flags.
home=\$(cd "\$(dirname "\$0")/.." && pwd)
exec "\$home/bin/java" $flags \$JAVA_OPTS -jar "\$home/app/satellite.jar" "\$@"
LAUNCHER
chmod +x "$out/bin/satellite"
size() { du -sk "$1" | cut -f1; }
arch=0
for f in "$out"/app/satellite.jsa "$out"/app/satellite.aot; do [ -f "$f" ] && arch=$(size "$f"); done
echo "runtime: Java $feature, $(( ($(size "$out") - $(size "$out/app")) / 1024 )) MiB (the app's jar and conf not counted);" \
  "archive $(( arch / 1024 )) MiB; modules $modules"
