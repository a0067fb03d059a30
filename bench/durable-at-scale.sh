#!/usr/bin/env bash
# Benchmark 5: DIRS x PER_DIR stand-in images in Azurite (in memory) through the whole pipeline
# on a loopback Flink session cluster with durable staging; the stand-in spends COST_MS per image.
# Writes bench/out/durable-at-scale-<date>.jsonl and prints the result. Environment: DIRS (200),
# PER_DIR (100), COST_MS (5), CHECKPOINT_S (10).
source "$(dirname "$0")/common.sh"
out="bench/out/durable-at-scale-$(date +%F).jsonl"
install_azurite
cp=$(project_classpath)
java -cp "$cp" decimerbeam.bench.DurableAtScale "${DIRS:-200}" "${PER_DIR:-100}" \
  "${COST_MS:-5}" "${CHECKPOINT_S:-10}" "$out" target/durable-at-scale \
  2>bench/out/durable-at-scale.log
