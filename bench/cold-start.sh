#!/usr/bin/env bash
# Init and first-invocation times of the ingestion function under AWS's runtime interface client, with and
# without SnapStart priming (ColdStartBench, docs/benchmarks.md). Usage: bench/cold-start.sh [runs per mode]
set -euo pipefail
cd "$(dirname "$0")/.."
# One invocation: the contract module's classes then come from the reactor, not from a local repository.
mvn -B -o -q -pl functions -am package dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
cp="functions/target/test-classes:functions/target/classes:$(cat functions/target/test.classpath)"
uptime
java -cp "$cp" io.github.lightlys3ingest.lambda.ColdStartBench functions/target/lightly-s3-ingest.jar "${1:-3}"
uptime
