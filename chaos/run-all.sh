#!/usr/bin/env bash
# Runs every shipped experiment (full length unless CHAOS_SECONDS is set) from the built jar, one after another,
# and prints a line per experiment: verdict, duration, and what the load measured. Journals and reports go to
# ${OUT:-target/chaos}. Exit 1 if any experiment did not pass.
set -uo pipefail
cd "$(dirname "$0")/.."
jar=target/satellite.jar
[ -f "$jar" ] || ./mvnw -B -q -DskipTests package
out=${OUT:-target/chaos}
mkdir -p "$out"
failed=0
printf '%-16s %-9s %8s %8s %8s %9s %9s\n' experiment verdict seconds sent errors p50_ms p99_ms
for f in chaos/experiments/*.yaml; do
  name=$(basename "$f" .yaml)
  [ "$name" = example-http ] && continue
  java -jar "$jar" chaos run "$f" --journal "$out/$name.json" --report "$out/$name.html" >"$out/$name.log" 2>&1 || failed=1
  java -cp "$jar" dev.satellite.experiment.JournalSummary "$out/$name.json" "$name"
done
exit $failed
