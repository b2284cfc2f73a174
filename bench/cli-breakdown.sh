#!/usr/bin/env bash
# Where the CPU time of a whole-process `ingest --threads 1` goes (docs/benchmarks.md, "CLI"): CPU per kind
# of thread (bench/ThreadCpu.java: main = JVM start, class loading, command line, listing; jit = compiler
# threads; gc; ended = the worker that analysed and wrote, incl. its warm-up) without and with the CDS archive,
# the number of classes loaded, and the steady-state analysis against a bare ImageIO decode (`bench`).
# Usage: bench/cli-breakdown.sh   (from the repository root, after bench/cli-floor.sh made target/camera14)
set -euo pipefail
cd "$(dirname "$0")/.."
images=target/camera14
jar=functions/target/lightly-s3-ingest.jar
[ -d "$images" ] || /usr/bin/python3 bench/make_camera_set.py "$images"
mkdir -p target/bench-classes
javac -d target/bench-classes bench/ThreadCpu.java
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rm -f "$out/app.jsa"
java -XX:ArchiveClassesAtExit="$out/app.jsa" '-Xlog:cds*=off' -jar "$jar" ingest --input "$images" \
  --output "$out/train" --threads 1 >/dev/null 2>&1
echo "$(date -I) $(uptime)"
for archive in none "$out/app.jsa" none "$out/app.jsa"; do
  rm -rf "$out/records"
  flags=()
  [ "$archive" = none ] || flags=(-XX:SharedArchiveFile="$archive")
  echo "CDS archive: $archive"
  java "${flags[@]}" -Xlog:class+load:file="$out/classes.txt" -cp "$jar:target/bench-classes" ThreadCpu \
    ingest --input "$images" --output "$out/records" --threads 1 2>&1 | grep thread-cpu
  echo "  classes loaded: $(grep -c 'source:' "$out/classes.txt"), from the archives:" \
    "$(grep -c 'shared objects file' "$out/classes.txt")"
done
echo "steady state, 2 warm-up + 5 timed rounds:"
java -jar "$jar" bench --threads 1 --warmup 2 --iterations 5 "$images" | tail -2
echo "$(uptime)"
