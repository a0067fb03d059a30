#!/usr/bin/env bash
# Benchmark 3: 200,000 small blobs in 2,000 directories in Azurite (in memory), expanded by
# decimer-beam's expansion and by Beam's FileIO.match() on the equivalent glob, each in a fresh
# JVM. Writes bench/out/expansion-at-scale-<date>.jsonl and prints the table for BENCHMARKS.md.
# Environment: DIRS (default 2000), PER_DIR (100), ROUNDS (1), MODES (listing,pipeline:
# the storage calls alone and/or each expansion as a DirectRunner pipeline).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p bench/out
out="bench/out/expansion-at-scale-$(date +%F).jsonl"
npm install --no-audit --no-fund --prefix .ci/node azurite@3.37.0 >/dev/null 2>&1 \
  || { echo "npm install azurite@3.37.0 failed" >&2; exit 1; }
mvn -q -B -Dstyle.color=never compile
mvn -q -B -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
# Beam's Azure file system, with its own Azure SDK versions, for the FileIO.match() side only.
(cd bench/fileio-match && mvn -q -B -Dstyle.color=never dependency:build-classpath \
  -Dmdep.outputFile="$root/target/fileio-match-classpath.txt" >/dev/null)
java -cp "target/classes:$(cat target/bench-classpath.txt)" decimerbeam.bench.ExpansionAtScale \
  "${DIRS:-2000}" "${PER_DIR:-100}" "${ROUNDS:-1}" "${MODES:-listing,pipeline}" "$out" \
  target/fileio-match-classpath.txt \
  bench/out 2>bench/out/expansion-at-scale.log
