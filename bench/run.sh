#!/usr/bin/env bash
# Side-by-side benchmark: Satellite against raw Vert.x, Go net/http, Node.js http (and Express), and, as a
# reverse proxy, against nginx — same machine, same load generator, servers interleaved round by round.
# Installs what it needs (wrk, hey, nginx, Go from Debian packages; Express from npm) and skips, with a
# line saying so, any peer that cannot be installed. Results: target/bench/results.md, results.json,
# chart.svg. Ports 18380-18391 and 19380-19381.
# Usage: bench/run.sh [--quick] [--rounds N] [--warmup S]
#   --quick: 1 round of 1 s warm-up + 1 s measured, to check the harness; --rounds N: N rounds (default 5);
#   --warmup S: S seconds of warm-up per server and round (default 5), e.g. 20 to compare servers warmed up
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=5 warmup=5 measure=5
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) rounds=1 warmup=1 measure=1 ;;
    --rounds) rounds="${2:?--rounds needs a number}"; shift ;;
    --warmup) warmup="${2:?--warmup needs a number of seconds}"; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--rounds N] [--warmup S]" >&2; exit 2 ;;
  esac
  shift
done
[[ "$rounds" =~ ^[1-9][0-9]*$ && "$warmup" =~ ^[0-9]+$ ]] \
  || { echo "bench/run.sh: --rounds takes a positive number, --warmup a number of seconds" >&2; exit 2; }

missing=()
for tool in wrk nginx go taskset; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  echo "installing: wrk nginx-light golang-go util-linux (missing: ${missing[*]})"
  apt-get update -qq && apt-get install -y -qq wrk nginx-light golang-go util-linux >/dev/null || true
fi
command -v wrk >/dev/null || { echo "wrk is not installed and could not be: no load generator, no benchmark"; exit 1; }

source bench/lib.sh
mkdir -p target/bench/peers

go_peer=""
if command -v go >/dev/null && (cd bench/peers/go && GOFLAGS=-mod=mod go build -o ../../../target/bench/peers/go-peer .); then
  go_peer=target/bench/peers/go-peer
else
  echo "Go peer skipped: no Go toolchain, or the peer did not build"
fi
express=""
if (cd bench/peers/express && timeout 180 npm install --silent --no-audit --no-fund >/dev/null 2>&1); then
  express=bench/peers/express/server.js
else
  echo "Express peer skipped: npm could not install express"
fi
command -v nginx >/dev/null || echo "nginx proxy peer skipped: nginx could not be installed"

java -Djar=target/satellite.jar -Dcp="$cp" -Dgo="$go_peer" -Dexpress="$express" -Dout=target/bench \
  -Drounds="$rounds" -Dwarmup="$warmup" -Dmeasure="$measure" -cp "$cp" dev.satellite.bench.SideBySide 2>/dev/null \
  | grep --line-buffered -vE '^[0-9:.]+ (WARN|INFO|ERROR)'
