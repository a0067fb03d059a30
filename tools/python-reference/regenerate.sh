#!/usr/bin/env bash
# Rebuilds the parity golden file from Python DECIMER 2.8.1 in a private virtual environment.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=$("$here/venv.sh")
# Same oneDNN setting as the JVM side (TensorFlow's default: on).
TF_CPP_MIN_LOG_LEVEL=2 CUDA_VISIBLE_DEVICES="" "$python" "$here/reference.py" \
  --out "$root/src/test/resources/parity/python-decimer-2.8.1.jsonl" \
  "$root/src/test/resources/images/real" "$root/src/test/resources/images/generated"
