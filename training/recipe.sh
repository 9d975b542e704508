#!/usr/bin/env bash
# The shipped model's whole recipe, both stages, from scratch (about 4 h on 2 CPU cores, minutes on a GPU):
#   stage 1: TinyDETR without the stride-4 detail sampler, 4,000 steps (training/runs/main)
#   stage 2: from stage 1's EMA weights, the detail sampler added (zero-initialised), a fresh 3,000-step cosine
#            at half the learning rate on new scenes (data offset 4,000) (training/runs/detail)
# The model to ship is training/runs/detail/model.onnx. Run from anywhere; extra arguments go to both stages
# (e.g. --threads 8).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
nice -n 19 "$PY" training/train.py --steps 4000 --out training/runs/main "$@"
nice -n 19 "$PY" training/train.py --init training/runs/main/last.pt --detail-points 4 --data-offset 4000 \
  --steps 3000 --lr 3e-4 --warmup 100 --out training/runs/detail "$@"
