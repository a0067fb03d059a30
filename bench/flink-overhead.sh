#!/usr/bin/env bash
# Benchmark 2 on Flink: the raw engine loop in a JVM of its own, then the pipeline on a
# standalone Flink session cluster on this machine (tools/flink-cluster.sh with
# runner-configs/flink/local-2core.yaml: one TaskManager, 8 slots, --parallelism=8), over the same
# 117 images from a local folder, with --secondOpinion=none and molvec. Writes
# bench/out/flink-overhead-<date>.jsonl and prints the table for BENCHMARKS.md.
# Environment: DIRS (image folders, default the 117 test images), JOB_JAR (stage this jar, e.g.
# target/decimer-beam-0.1.0-SNAPSHOT-flink-job.jar, instead of the classpath), RAW_JAVA_OPTS
# (the raw engine JVM's flags, default -Xmx1g as the TaskManager's task heap), JAVA_OPTS (the
# launcher's, e.g. -DpipelineArgs="..." or -Dseconds=none), SKIP_RAW=1 (keep the raw rows of
# an earlier run the same day), COPIES (each image read that many times, default 1; with
# RAW_JAVA_OPTS="-Xmx1g -Dpasses=warm" the raw loop skips its cold pass).
source "$(dirname "$0")/common.sh"
dirs=${DIRS:-"src/test/resources/images/real src/test/resources/images/generated"}
out="bench/out/flink-overhead-$(date +%F).jsonl"
smiles="bench/out/flink-overhead-raw-smiles.json"
python3 tools/prepare_model.py >/dev/null
cp=$(project_classpath)
export TF_CPP_MIN_LOG_LEVEL=2
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ -z "${SKIP_RAW:-}" ]; then
  rm -f "$out"
  # shellcheck disable=SC2086
  java ${RAW_JAVA_OPTS:--Xmx1g} -Dcopies="${COPIES:-1}" -cp "$cp" \
    decimerbeam.bench.FlinkOverhead raw "$out" "$smiles" $dirs 2>bench/out/flink-overhead-raw.log
fi
echo "load average after the raw loop: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
jar=()
if [ -n "${JOB_JAR:-}" ]; then jar=(-DjobJar="$JOB_JAR"); fi
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -Dcopies="${COPIES:-1}" "${jar[@]}" -cp "$cp" \
  decimerbeam.bench.FlinkOverhead flink "$out" "$smiles" $dirs 2>bench/out/flink-overhead.log
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
