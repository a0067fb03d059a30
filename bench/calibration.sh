#!/usr/bin/env bash
# Calibration (README, "Calibration"): DECIMER's accuracy on the test images by mean and lowest
# token confidence, by warning and by trust, from the recorded Python DECIMER answers, then with
# MolVec's second opinion read from the same images. Needs no model. Prints the markdown tables;
# also kept in bench/out/calibration-<date>.md.
source "$(dirname "$0")/common.sh"
cp=$(project_classpath)
java -cp "$cp" decimerbeam.bench.Calibration \
  src/test/resources/parity/python-decimer-2.8.1.jsonl \
  src/test/resources/images/generated src/test/resources/images/real \
  | tee "bench/out/calibration-$(date +%F).md"
