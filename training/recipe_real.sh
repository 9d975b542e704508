#!/usr/bin/env bash
# The real-photo models of issue 11, from the shared data, seeded (training/README.md, "Real photos"):
#   1. the second-stage state classifier on cinTA_v2 crops + synthetic off/arrow crops (training/runs/state)
#   2. the frozen COCO DEIMv2 atto backbone run once over the hold-out, train and synthetic images (cache)
#   3. DEIMv2 atto fine-tuned (encoder, decoder, joint-state heads) on the cache (training/runs/deim), exported
#      as a one-class detector; 4. the same for DEIMv2 femto with small-light splits (training/runs/femto2)
# Needs ../shared/models and ../shared/data/traffic_lights/cinta_v2 (or EDGEVISION_SHARED_DIR).
# Shipped: training/runs/state/state.onnx (edgevision-light-state.onnx), training/runs/deim/light.onnx
# (edgevision-traffic-lights-real.onnx), training/runs/femto2/light.onnx (edgevision-traffic-lights-real-femto.onnx).
# Run from anywhere; extra arguments go to the fine-tuning stages (e.g. --threads 4).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
"$PY" training/state_classifier.py --out training/runs/state --threads 1 --synthetic-scenes 300 \
  --synthetic-copies 2 --real-copies 3 --epochs 20
# (the shipped run cached train/ in two processes, --shards 2; the same two shards in turn give the same files)
"$PY" training/finetune_deim.py cache --out training/runs/deim --splits holdout --holdout-max 48
"$PY" training/finetune_deim.py cache --out training/runs/deim --splits train --shards 2 --shard 0
"$PY" training/finetune_deim.py cache --out training/runs/deim --splits train --shards 2 --shard 1
"$PY" training/finetune_deim.py cache --out training/runs/deim --splits synthetic --synthetic 232
"$PY" training/finetune_deim.py train --out training/runs/deim --steps 2000 --batch 16 --synthetic-share 0.25 \
  --lr 2e-4 --head-lr-mult 10 --warmup 50 --ckpt-every 200 --log-every 20 --threads 1 "$@"
"$PY" training/finetune_deim.py export --ckpt training/runs/deim/last.pt --onnx training/runs/deim/light.onnx --light-only
# DEIMv2 femto (416x416), the shipped default (training/runs/femto2): all train photos, 600 generated scenes, and two
# small-light splits read as part of train/: 500 mosaics of 2x2/3x3 shrunk photos and 300 blurred photos
"$PY" training/finetune_deim.py cache --variant femto --out training/runs/femto2 --threads 2 \
  --splits holdout,train,synthetic,train_zoom,train_degrade --holdout-max 48 --synthetic 600 --zoom 500 --degrade 300
"$PY" training/finetune_deim.py train --variant femto --out training/runs/femto2 --steps 600 --batch 16 \
  --synthetic-share 0.3 --lr 2e-4 --head-lr-mult 10 --warmup 30 --ckpt-every 100 --log-every 10 --threads 2 "$@"
"$PY" training/finetune_deim.py export --ckpt training/runs/femto2/last.pt --onnx training/runs/femto2/light.onnx --light-only
