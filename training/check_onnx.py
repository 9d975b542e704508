"""Checks an ONNX export against PyTorch through ONNX Runtime Java (the runtime the SDK uses).

    /usr/bin/python3 training/check_onnx.py --ckpt training/runs/main/last.pt --onnx training/runs/main/model.onnx

Runs the checkpoint's EMA weights in PyTorch and the ONNX file in ONNX Runtime 1.29 (Java, from the local
Maven repository) on validation images, prints the largest differences and the validation AP50 computed from
the ONNX outputs. Scratch files go to training/runs/parity/ and are removed afterwards.
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import evaluate_outputs, load_validation, run_model  # noqa: E402
from model import TinyDETR  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def ort_jar():
    jars = sorted(glob.glob(os.path.expanduser("~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/*/onnxruntime-*.jar")))
    if not jars:
        sys.exit("onnxruntime jar not found in ~/.m2 (build the Java SDK once: ./mvnw -q install -DskipTests)")
    return jars[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--images", type=int, default=48)
    args = ap.parse_args()
    torch.set_num_threads(2)
    onnx.checker.check_model(onnx.load(args.onnx))
    ck = torch.load(args.ckpt, map_location="cpu")
    model = TinyDETR(**ck["model_args"])
    model.load_state_dict(ck["ema"])
    val = load_validation()[:args.images]
    t_logits, t_boxes = run_model(model, val)
    scratch = os.path.join(HERE, "runs", "parity")
    os.makedirs(scratch, exist_ok=True)
    try:
        x = np.stack([v[0] for v in val]).transpose(0, 3, 1, 2).astype(np.float32) / 255.0
        x.astype("<f4").tofile(os.path.join(scratch, "input.bin"))
        cmd = ["java", "-cp", ort_jar(), os.path.join(HERE, "tools", "OrtParity.java"), args.onnx,
               os.path.join(scratch, "input.bin"), *map(str, x.shape), os.path.join(scratch, "out_")]
        print(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip())
        n, q, c = t_logits.shape
        o_logits = np.fromfile(os.path.join(scratch, "out_pred_logits.bin"), "<f4").reshape(n, q, c)
        o_boxes = np.fromfile(os.path.join(scratch, "out_pred_boxes.bin"), "<f4").reshape(n, q, 4)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    res = {
        "images": n,
        "max_abs_diff_logits": float(np.abs(o_logits - t_logits).max()),
        "max_abs_diff_boxes": float(np.abs(o_boxes - t_boxes).max()),
        "onnx_metrics": evaluate_outputs(o_logits, o_boxes, val) if n == 48 else None,
        "torch_ap50": evaluate_outputs(t_logits, t_boxes, val)["ap50_class_agnostic"] if n == 48 else None,
    }
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
