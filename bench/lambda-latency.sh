#!/usr/bin/env bash
# Wall time per SQS batch of ten objects and billed GB-seconds per 1,000 objects, with 20 ms per S3 round
# trip and 150 ms per Lightly call (LatencyBench, docs/benchmarks.md). One vCPU (1,769 MB): the handler's JVM
# on CPU 0, moto + Lightly stand-in + proxies on CPU 1. Two vCPUs (3,008 MB): everything on CPUs 0-1.
# Usage: bench/lambda-latency.sh [1769|3008|all]   (from the repository root; needs moto_server, python3-pil)
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
images=target/bench-images
[ -f "$images/bench_12mp.jpg" ] || /usr/bin/python3 functions/src/test/python/make_bench_images.py "$images" >/dev/null
# One invocation: the contract module's classes then come from the reactor, not from a local repository.
mvn -B -o -q -pl functions -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
cp="functions/target/test-classes:functions/target/classes:$(cat functions/target/test.classpath)"
main=io.github.lightlys3ingest.lambda.LatencyBench
uptime
if [ "$which" = all ] || [ "$which" = 1769 ]; then
  /usr/bin/time -f "1769 MB run: %e s wall, %U s user, %S s sys" taskset -c 0 java -XX:ActiveProcessorCount=1 \
    -Xmx1300m -Dbench.remoteCpus=1 -cp "$cp" "$main" "$images/bench_12mp.jpg" 1769MB 2/2 2/10
fi
if [ "$which" = all ] || [ "$which" = 3008 ]; then
  /usr/bin/time -f "3008 MB run: %e s wall, %U s user, %S s sys" taskset -c 0,1 java -XX:ActiveProcessorCount=2 \
    -Xmx2400m -Dbench.remoteCpus=0,1 -cp "$cp" "$main" "$images/bench_12mp.jpg" 3008MB 2/2 2/10
fi
uptime
