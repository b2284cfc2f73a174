#!/usr/bin/env bash
# The CLI figures of docs/benchmarks.md: whole-process `ingest --threads 1` on the 14 camera JPEGs (71 MP),
# with and without the class-data-sharing archive of bin/lightly-s3-ingest, against a libjpeg-turbo decode
# of each file (djpeg, one process per file; Pillow, one process) and Lightly's own Python computation.
# Prints wall and CPU (user+sys) seconds, the median of RUNS runs (default 3; Lightly's Python: 1 run).
# Usage: bench/cli-floor.sh   (from the repository root; needs python3-pil, python3-numpy, libjpeg-turbo-progs)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
images=target/camera14
jar=functions/target/lightly-s3-ingest.jar
[ -f "$jar" ] || mvn -B -o -q -pl functions -am package -DskipTests
[ -d "$images" ] || /usr/bin/python3 bench/make_camera_set.py "$images"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# median wall and CPU of $runs runs of "$@"; output of the command discarded
measure() {
  local label=$1 n=$2; shift 2
  for _ in $(seq "$n"); do
    rm -rf "$out/records"
    /usr/bin/time -f "%e %U %S" -o "$out/time" "$@" >/dev/null 2>&1
    cat "$out/time"
  done | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin]
wall = statistics.median(float(r[0]) for r in rows)
cpu = statistics.median(float(r[1]) + float(r[2]) for r in rows)
print(f"| {sys.argv[1]} | {wall:.2f} | {cpu:.2f} | {len(rows)} |")' "$label"
}

echo "$(date -I) $(uptime)"
echo "| run | wall s | CPU s (user+sys) | runs |"
echo "|---|---|---|---|"
measure "djpeg per file (libjpeg-turbo $(dpkg-query -W -f '${Version}' libjpeg62-turbo))" "$runs" \
  sh -c "for f in $images/*.jpg; do djpeg -outfile /dev/null \"\$f\"; done"
measure "Pillow Image.load() per file, one process" "$runs" /usr/bin/python3 bench/python_floor.py decode "$images"
measure "ingest --threads 1, java -jar" "$runs" \
  java -jar "$jar" ingest --input "$images" --output "$out/records" --threads 1
rm -f "${jar%.jar}.jsa"
bin/lightly-s3-ingest ingest --input "$images" --output "$out/records" --threads 1 >/dev/null 2>&1
measure "ingest --threads 1, bin/lightly-s3-ingest (CDS archive)" "$runs" \
  bin/lightly-s3-ingest ingest --input "$images" --output "$out/records" --threads 1
measure "Lightly's Python computation (Pillow + numpy + WebP)" 1 \
  /usr/bin/python3 bench/python_floor.py lightly "$images"
echo "$(uptime)"
