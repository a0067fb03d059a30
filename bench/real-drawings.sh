#!/usr/bin/env bash
# Real drawings (BENCHMARKS.md benchmark 8, README "Which answer to believe"): every reader the
# pipeline has, on labelled patent images (image beside its reference molfile), scored by
# Standard InChI identity; then the choice rule and trust levels on those readings.
#
#   bench/real-drawings.sh [SET_DIR...]     default: $OCSR_CALIBRATION/{uspto,maybridge,trec}
#
# OCSR_CALIBRATION (default ../shared/data/ocsr-calibration, beside the repository) holds the
# three sets: every third image/molfile pair of the USPTO, UOB and TREC-CHEM sets as MolVec's
# regression-test data distributes them (github.com/ncats/molvec, src/test/resources/
# regressionTest/); fifteen of them are in src/test/resources/ocsr-calibration/.
#
# READINGS (default bench/recorded/ocsr-calibration-readings.jsonl) keeps one line per image;
# images already in it are not read again, so an interrupted run resumes and a finished one only
# re-scores. RESCORE_ONLY=1 skips reading (needs no model). Tables also go to
# bench/out/real-drawings-<date>.md.
source "$(dirname "$0")/common.sh"
cp=$(project_classpath)
readings=${READINGS:-bench/recorded/ocsr-calibration-readings.jsonl}
if [ $# -eq 0 ]; then
  data=${OCSR_CALIBRATION:-../shared/data/ocsr-calibration}
  set -- "$data/uspto" "$data/maybridge" "$data/trec"
fi
mkdir -p "$(dirname "$readings")"
if [ "${RESCORE_ONLY:-0}" != 1 ]; then
  java -cp "$cp" decimerbeam.bench.RealImageReadings "$readings" "$@" 2> >(grep -v '^SLF4J\|StereoElementFactory' >&2)
fi
java -cp "$cp" decimerbeam.bench.ReaderChoiceEvaluation "$readings" \
  | tee "bench/out/real-drawings-$(date +%F).md"
