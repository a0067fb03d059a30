#!/usr/bin/env bash
# Benchmark 1: the Java engine vs Python DECIMER 2.8.1 on the same 117 images, same weights,
# same machine, one after the other in one run. Writes bench/out/engine-vs-python-<date>.jsonl
# and prints the table for BENCHMARKS.md. Environment: LEVELS (Java concurrency levels, default
# 1..cores), INTRA_OP / INTER_OP (TensorFlow threads, default 0 = one per core), JAVA_OPTS (flags
# for the Java engine's JVM, e.g. -Xmx1g), DECODERS (Java decoders to run, default "full cached"),
# CACHED_LEVELS (concurrency levels of the cached decoder, default 16 = its batch), MAX_BATCH,
# CACHED_INTER_OP (the cached decoder's inter-op threads; default INTER_OP).
source "$(dirname "$0")/common.sh"
dirs="src/test/resources/images/real src/test/resources/images/generated"
out="bench/out/engine-vs-python-$(date +%F)-intra${INTRA_OP:-0}-inter${INTER_OP:-0}.jsonl"
python=$(tools/python-reference/venv.sh)
python3 tools/prepare_model.py >/dev/null
cp=$(project_classpath)
export TF_CPP_MIN_LOG_LEVEL=2 CUDA_VISIBLE_DEVICES=""
echo "python DECIMER ..." >&2
"$python" bench/python_decimer_loop.py $dirs > "$out"
for decoder in ${DECODERS:-full cached}; do
  echo "java engine, $decoder decoder ..." >&2
  inter=${INTER_OP:-0}
  if [ "$decoder" = cached ]; then
    levels=${CACHED_LEVELS:-16}
    inter=${CACHED_INTER_OP:-$inter}
  else
    levels=${LEVELS:-$(seq -s, 1 "$(nproc)")}
  fi
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -Ddecoder="$decoder" -DmaxBatch="${MAX_BATCH:-16}" -cp "$cp" \
    decimerbeam.bench.EngineThroughput "$levels" "${INTRA_OP:-0}" "$inter" $dirs \
    2>"bench/out/java-engine-$decoder.log" >> "$out"
done
python3 bench/report.py "$out"
