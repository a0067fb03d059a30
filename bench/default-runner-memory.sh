#!/usr/bin/env bash
# The default runner's memory (BENCHMARKS.md benchmark 10): README's own command,
# `mvn -B -q compile exec:java -Dexec.args="--input=<dir> --output=<dir>"`, over real patent
# drawings with the real model and no heap flag of ours (the heap is what .mvn/jvm.config gives
# Maven's JVM, or what MAVEN_OPTS adds); the resident set of Maven's process and its children
# is read from /proc once a second. Prints the peak RSS, the time and the images answered.
#
#   bench/default-runner-memory.sh [SET_DIR...]   default: $OCSR_CALIBRATION/{uspto,trec}
#
# Each SET_DIR's images (not its molfiles) are copied to one input directory each under
# target/default-runner-memory/input/ (1,034 images with the defaults); the output is written
# afresh to target/default-runner-memory/output/. Environment: MVN_FLAGS (e.g. -o) go before
# `-B`; STOP_AFTER_S stops the run (SIGTERM) after that many seconds, for the growth alone.
# Samples: target/default-runner-memory/rss.tsv (seconds, RSS MiB of the tree, peak so far);
# the run's own output: target/default-runner-memory/run.log. Summary also in
# bench/out/default-runner-memory-<date>.md.
source "$(dirname "$0")/common.sh"
if [ $# -eq 0 ]; then
  data=${OCSR_CALIBRATION:-../shared/data/ocsr-calibration}
  set -- "$data/uspto" "$data/trec"
fi
work=target/default-runner-memory
rm -rf "$work"
mkdir -p "$work/input"
for set_dir in "$@"; do
  dest="$work/input/$(basename "$set_dir")"
  mkdir -p "$dest"
  find "$set_dir" -maxdepth 1 -type f \
    \( -iname '*.tif' -o -iname '*.tiff' -o -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \
       -o -iname '*.gif' -o -iname '*.bmp' \) -exec cp {} "$dest/" \;
done
images=$(find "$work/input" -type f | wc -l)
echo "images: $images in $# directories; MAVEN_OPTS=${MAVEN_OPTS:-(unset)}" >&2
[ -n "${MAVEN_OPTS:-}" ] && echo "note: MAVEN_OPTS is set; README's command runs without it" >&2

# RSS (KiB) of a process and all its descendants.
tree_rss_kib() {
  local pids=("$1") i=0 total=0 p kib
  while [ $i -lt ${#pids[@]} ]; do
    for p in $(cat "/proc/${pids[$i]}/task/"*/children 2>/dev/null); do pids+=("$p"); done
    i=$((i + 1))
  done
  for p in "${pids[@]}"; do
    kib=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${kib:-0}))
  done
  echo "$total"
}

heap_flags=$(grep -E -- '^-X(mx|ms)|^-XX:(Max|Initial)RAMPercentage|^-XX:\+Use.*GC' .mvn/jvm.config \
  | tr '\n' ' ' || true)
start=$(date +%s)
# shellcheck disable=SC2086
mvn ${MVN_FLAGS:-} -B -q compile exec:java \
  -Dexec.args="--input=$root/$work/input --output=$root/$work/output" >"$work/run.log" 2>&1 &
mvn_pid=$!
peak=0
hwm=0
echo -e "seconds\trss_mib\tpeak_mib" >"$work/rss.tsv"
while kill -0 "$mvn_pid" 2>/dev/null; do
  kib=$(tree_rss_kib "$mvn_pid")
  [ "$kib" -gt "$peak" ] && peak=$kib
  # The kernel's own high-water mark of the JVM (mvn execs java), between the samples too.
  h=$(awk '/^VmHWM:/ {print $2}' "/proc/$mvn_pid/status" 2>/dev/null || true)
  [ "${h:-0}" -gt "$hwm" ] && hwm=$h
  now=$(($(date +%s) - start))
  echo -e "$now\t$((kib / 1024))\t$((peak / 1024))" >>"$work/rss.tsv"
  if [ -n "${STOP_AFTER_S:-}" ] && [ "$now" -ge "$STOP_AFTER_S" ]; then
    kill -TERM "$mvn_pid" 2>/dev/null || true
  fi
  sleep 1
done
status=0
wait "$mvn_pid" || status=$?
seconds=$(($(date +%s) - start))
answered=$(cat "$work"/output/*/*/results.jsonl 2>/dev/null | wc -l || true)
staged=$(find "$work/output" -path '*/_staging/*' -type f 2>/dev/null | wc -l || true)
{
  echo "| | |"
  echo "|---|---|"
  echo "| command | \`mvn ${MVN_FLAGS:-}${MVN_FLAGS:+ }-B -q compile exec:java -Dexec.args=\"--input=<dir> --output=<dir>\"\` |"
  echo "| MAVEN_OPTS | ${MAVEN_OPTS:-(unset)} |"
  echo "| .mvn/jvm.config heap | ${heap_flags:-none, the JVM default of a quarter of RAM} |"
  echo "| images | $images |"
  echo "| rows written | $answered |"
  echo "| exit status | $status |"
  echo "| run time | ${seconds} s |"
  echo "| peak RSS, process tree (1 s samples) | $((peak / 1024)) MiB |"
  echo "| peak RSS, JVM (VmHWM) | $((hwm / 1024)) MiB |"
} | tee "bench/out/default-runner-memory-$(date +%F).md"
[ "$staged" -gt 0 ] && echo "($staged staged-row files left: the run did not finish)" >&2
exit "$status"
