#!/usr/bin/env bash
# Durable as it goes on the DirectRunner with the real model (BENCHMARKS.md benchmark 9): two
# directories of PER_DIR real patent drawings, the run killed with SIGKILL after KILL_S seconds;
# prints images answered and rows durable every 15 s, then at the kill.
#
#   bench/direct-runner-kill.sh [IMAGE_DIR]   default: $OCSR_CALIBRATION/uspto
#
# Environment: PER_DIR (200), KILL_S (300), CHECKPOINT_S (30, the default interval).
source "$(dirname "$0")/common.sh"
cp=$(project_classpath)
images=${1:-${OCSR_CALIBRATION:-../shared/data/ocsr-calibration}/uspto}
java -cp "$cp" decimerbeam.bench.DirectRunnerKill "$images" "${PER_DIR:-200}" "${KILL_S:-300}" \
  "${CHECKPOINT_S:-30}" target/direct-runner-kill \
  | tee "bench/out/direct-runner-kill-$(date +%F).md"
