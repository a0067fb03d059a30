#!/usr/bin/env bash
# A VM's TaskManager on this machine with the real model (BENCHMARKS.md benchmark 2c): the
# layout of runner-configs/flink/f16s_v2.yaml (64 slots) on a standalone session cluster
# (tools/flink-cluster.sh), its JVM told it has the VM's 16 cores so the job sizes 8 decoding
# loops, at 16 permits; one directory of the 117 test images, twice. Prints the report and
# writes it to bench/out/vm-shape-<date>.md.
# Environment: DIRS (image folders), JAVA_OPTS (e.g. -Dpermits=8 -DvmCores=16 -Dcopies=2
# -DjobJar=target/decimer-beam-0.1.0-SNAPSHOT-flink-job.jar).
source "$(dirname "$0")/common.sh"
dirs=${DIRS:-"src/test/resources/images/real src/test/resources/images/generated"}
python3 tools/prepare_model.py >/dev/null
cp=$(project_classpath)
export TF_CPP_MIN_LOG_LEVEL=2
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -cp "$cp" decimerbeam.bench.VmShape "bench/out/vm-shape-$(date +%F).md" \
  $dirs 2>bench/out/vm-shape.log
