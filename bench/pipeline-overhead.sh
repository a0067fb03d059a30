#!/usr/bin/env bash
# Benchmark 2: the full DirectRunner pipeline on Azurite vs the raw engine loop, same 117 images,
# same concurrency, one loaded model, one JVM. Writes bench/out/pipeline-overhead-<date>.jsonl
# and prints the table for BENCHMARKS.md. Environment: ROUNDS (default 1), extra pipeline JVM
# flags in JAVA_OPTS (-DsecondOpinions=none: the pipeline without the second reader only),
# COPIES (default 1): each image that many times, in directories real-1, generated-1, ..., to
# time a run larger than the 117 images.
source "$(dirname "$0")/common.sh"
dirs="src/test/resources/images/real src/test/resources/images/generated"
if [ "${COPIES:-1}" -gt 1 ]; then
  copies=$(mktemp -d)
  trap 'rm -rf "$copies"' EXIT
  for i in $(seq 1 "$COPIES"); do
    for d in real generated; do
      cp -r "src/test/resources/images/$d" "$copies/$d-$i"
    done
  done
  dirs=$(ls -d "$copies"/*)
fi
out="bench/out/pipeline-overhead-$(date +%F).jsonl"
install_azurite
python3 tools/prepare_model.py >/dev/null
cp=$(project_classpath)
export TF_CPP_MIN_LOG_LEVEL=2
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -cp "$cp" \
  decimerbeam.bench.PipelineOverhead "${ROUNDS:-1}" "$out" $dirs 2>bench/out/pipeline-overhead.log
