#!/usr/bin/env bash
# OSRA as a possible third reader (measurement only; OSRA is GPL and is only ever run as a
# separate program, never linked): runs `osra -f smi` on every 5th labelled real drawing of the
# OCSR calibration sets (as bench/real-drawings.sh reads them) and records its SMILES,
# InChIKey and CPU seconds per image, one JSON line each, resumable, into
# bench/recorded/ocsr-calibration-osra.jsonl. Needs the osra program (Debian: apt-get install
# osra; 2.1.3 measured) and GNU time. Run it niced on a busy machine:
#   nice -n 19 bench/osra-readings.sh
# Arguments, if any, replace the set folders. JAVA_OPTS passes -Devery=N, -DtimeoutSeconds=S,
# -Dconcurrency=N, -Dosra=PATH. Then scores it (OsraContribution), also kept in bench/out/.
source "$(dirname "$0")/common.sh"
data=${OCSR_CALIBRATION:-../shared/data/ocsr-calibration}
if [ $# -eq 0 ]; then
  set -- "$data/uspto" "$data/maybridge" "$data/trec"
fi
cp=$(project_classpath)
mkdir -p bench/recorded
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -cp "$cp" decimerbeam.bench.OsraReadings \
  bench/recorded/ocsr-calibration-osra.jsonl "$@"
# Per set: OSRA's accuracy, failures and CPU; with the DECIMER/MolVec readings where recorded.
java -cp "$cp" decimerbeam.bench.OsraContribution bench/recorded/ocsr-calibration-osra.jsonl \
  bench/recorded/ocsr-calibration-readings.jsonl | tee "bench/out/osra-contribution-$(date +%F).md"
