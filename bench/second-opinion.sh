#!/usr/bin/env bash
# Benchmark 6: MolVec as a second opinion on DECIMER, on the 117 test images with ground truth
# (110 generated, 7 real). MolVec runs here, one image at a time; DECIMER's answers come from
# the Python DECIMER 2.8.1 parity file, which the JVM engine reproduces exactly (EngineParityIT).
# Writes bench/out/second-opinion-<date>.jsonl (one line per image) and prints the table for
# BENCHMARKS.md.
source "$(dirname "$0")/common.sh"
out="bench/out/second-opinion-$(date +%F).jsonl"
cp=$(project_classpath)
java ${JAVA_OPTS:-} -cp "$cp" decimerbeam.bench.SecondOpinionAccuracy \
  src/test/resources/parity/python-decimer-2.8.1.jsonl \
  src/test/resources/images/real src/test/resources/images/generated \
  | tee "$out" | grep -v '^{'
