#!/usr/bin/env bash
# Benchmark 1: the Java engine vs Python DECIMER 2.8.1 on the same 117 images, same weights,
# same machine, one after the other in one run. Writes bench/out/engine-vs-python-<date>.jsonl
# and prints the table for BENCHMARKS.md. Environment: LEVELS (Java concurrency levels, default
# 1..cores), INTRA_OP / INTER_OP (TensorFlow threads, default 0 = one per core), JAVA_OPTS (flags
# for the Java engine's JVM, e.g. -Xmx1g).
source "$(dirname "$0")/common.sh"
dirs="src/test/resources/images/real src/test/resources/images/generated"
out="bench/out/engine-vs-python-$(date +%F)-intra${INTRA_OP:-0}-inter${INTER_OP:-0}.jsonl"
python=$(tools/python-reference/venv.sh)
python3 tools/prepare_model.py >/dev/null
cp=$(project_classpath)
export TF_CPP_MIN_LOG_LEVEL=2 CUDA_VISIBLE_DEVICES=""
echo "python DECIMER ..." >&2
"$python" bench/python_decimer_loop.py $dirs > "$out"
echo "java engine ..." >&2
levels=${LEVELS:-$(seq -s, 1 "$(nproc)")}
# shellcheck disable=SC2086
java ${JAVA_OPTS:-} -cp "$cp" decimerbeam.bench.EngineThroughput "$levels" \
  "${INTRA_OP:-0}" "${INTER_OP:-0}" $dirs 2>"bench/out/java-engine.log" >> "$out"
python3 bench/report.py "$out"
