#!/usr/bin/env bash
# Benchmark 2: the full DirectRunner pipeline on Azurite vs the raw engine loop, same 117 images,
# same concurrency, one loaded model, one JVM. Writes bench/out/pipeline-overhead-<date>.jsonl
# and prints the table for BENCHMARKS.md. Environment: ROUNDS (default 1), extra pipeline JVM
# flags in JAVA_OPTS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dirs="src/test/resources/images/real src/test/resources/images/generated"
mkdir -p bench/out
out="bench/out/pipeline-overhead-$(date +%F).jsonl"
npm install --no-audit --no-fund --prefix .ci/node azurite@3.37.0 >/dev/null 2>&1 \
  || { echo "npm install azurite@3.37.0 failed" >&2; exit 1; }
python3 tools/prepare_model.py >/dev/null
mvn -q -B -Dstyle.color=never compile
mvn -q -B -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
export TF_CPP_MIN_LOG_LEVEL=2
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -cp "target/classes:$(cat target/bench-classpath.txt)" \
  decimerbeam.bench.PipelineOverhead "${ROUNDS:-1}" "$out" $dirs 2>bench/out/pipeline-overhead.log
