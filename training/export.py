"""ONNX export with the metadata the EdgeVision SDK reads (see common.onnx_metadata).

    /usr/bin/python3 training/export.py --ckpt training/runs/main/last.pt --out training/runs/main/model.onnx
"""

import argparse
import os
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import INPUT_SIZE, onnx_metadata  # noqa: E402
from model import ExportWrapper, TinyDETR  # noqa: E402

OPSET = 17


def export_onnx(model, path, extra_meta=None):
    """Exports `model` (eval mode, CPU) to `path`; returns the file size in bytes."""
    model = model.eval()
    wrapper = ExportWrapper(model)
    dummy = torch.rand(1, 3, INPUT_SIZE, INPUT_SIZE)
    tmp = path + ".tmp"
    with torch.no_grad():
        torch.onnx.export(wrapper, dummy, tmp, opset_version=OPSET, input_names=["images"],
                          output_names=["pred_logits", "pred_boxes"], do_constant_folding=True,
                          dynamic_axes={"images": {0: "N"}, "pred_logits": {0: "N"}, "pred_boxes": {0: "N"}})
    m = onnx.load(tmp)
    # TopK hides the query count from shape inference: state the static output shapes [N, Q, C] / [N, Q, 4]
    for out, last in zip(m.graph.output, (model.C, 4)):
        dims = out.type.tensor_type.shape.dim
        dims[1].Clear()
        dims[1].dim_value = model.Q
        dims[2].Clear()
        dims[2].dim_value = last
    meta = onnx_metadata(extra_meta)
    del m.metadata_props[:]
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    m.producer_name = "edgevision-training"
    m.doc_string = "EdgeVision TinyDETR traffic-light detector (synthetic scenes, training/README.md)"
    onnx.checker.check_model(m)
    onnx.save(m, tmp)
    os.replace(tmp, path)
    return os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--raw", action="store_true", help="export the raw weights instead of the EMA weights")
    args = ap.parse_args()
    ck = torch.load(args.ckpt, map_location="cpu")
    model = TinyDETR(**ck["model_args"])
    model.load_state_dict(ck["model"] if args.raw else ck["ema"])
    size = export_onnx(model, args.out, {"training.steps": ck["step"]})
    print(f"wrote {args.out} ({size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
