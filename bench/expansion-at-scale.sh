#!/usr/bin/env bash
# Benchmark 3: 200,000 small blobs in 2,000 directories in Azurite (in memory), expanded by
# decimer-beam's expansion and by Beam's FileIO.match() on the equivalent glob, each in a fresh
# JVM. Writes bench/out/expansion-at-scale-<date>.jsonl and prints the table for BENCHMARKS.md.
# Environment: DIRS (default 2000), PER_DIR (100), ROUNDS (1), MODES (listing,pipeline:
# the storage calls alone and/or each expansion as a DirectRunner pipeline).
source "$(dirname "$0")/common.sh"
out="bench/out/expansion-at-scale-$(date +%F).jsonl"
install_azurite
cp=$(project_classpath)
# Beam's Azure file system, with its own Azure SDK versions, for the FileIO.match() side only;
# the same Beam as decimer-beam's (root pom.xml).
beam_version=$(root_property beam.version)
(cd bench/fileio-match && mvn -q -B -Dstyle.color=never dependency:build-classpath \
  -Dbeam.version="$beam_version" \
  -Dmdep.outputFile="$root/target/fileio-match-classpath.txt" >/dev/null)
java -cp "$cp" decimerbeam.bench.ExpansionAtScale \
  "${DIRS:-2000}" "${PER_DIR:-100}" "${ROUNDS:-1}" "${MODES:-listing,pipeline}" "$out" \
  target/fileio-match-classpath.txt \
  bench/out 2>bench/out/expansion-at-scale.log
