#!/usr/bin/env bash
# Creates (once) the virtual environment with Python DECIMER 2.8.1 and prints its python.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${DECIMER_BEAM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/decimer-beam}
venv="$cache/venv/python-decimer-2.8.1"
if [ ! -f "$venv/.complete" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -r "$here/requirements.txt" >&2
  touch "$venv/.complete"
fi
echo "$venv/bin/python"
