#!/usr/bin/env bash
# Rebuilds the parity golden file from Python DECIMER 2.8 in a private virtual environment.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${DECIMER_BEAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/decimer-beam}
venv="$cache/venv/python-decimer-2.8.1"
if [ ! -f "$venv/.complete" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -r "$here/requirements.txt"
  touch "$venv/.complete"
fi
# Same oneDNN setting as the JVM side (TensorFlow's default: on).
TF_CPP_MIN_LOG_LEVEL=2 CUDA_VISIBLE_DEVICES="" "$venv/bin/python" "$here/reference.py" \
  --cache "$cache" --out "$root/src/test/resources/parity/python-decimer-2.8.1.jsonl" \
  "$root/src/test/resources/images/real" "$root/src/test/resources/images/generated"
