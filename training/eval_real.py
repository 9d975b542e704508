"""Python cross-check of a detector (and optional state classifier) on real photos: class-agnostic AP50 and the
colour accuracy of matched lights, the figure the SDK's `eval` does not print.

    /usr/bin/python3 training/eval_real.py --onnx FILE --yolo ../shared/data/traffic_lights/cinta_v2/valid
    /usr/bin/python3 training/eval_real.py --onnx RAW_COCO.onnx --classifier STATE.onnx --yolo DIR

The ONNX file runs through onnx_torch (checked against ONNX Runtime Java: max |diff| about 1e-4 on the logits),
images are stretched to the model's input size (bilinear, as the SDK). Detections: every query, score = the best
sigmoid over the joint states (for an 80-class COCO model: the "traffic light" column), no suppression (DETR's
one-to-one queries). AP50: COCO's greedy matching and 101-point envelope (evaluate.average_precision), one class.
Colour accuracy: among the lights matched at IoU >= 0.5 by a detection with score >= --threshold (greedy, in
score order), the share whose colour (red / yellow / green / off; an arrow state counts by its colour) is the
annotated colour; with --classifier the colour comes from the classifier on the crop (padding 0.15), as the
SDK's two-stage pipeline does.
"""

import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools"))
import onnx_torch  # noqa: E402
import state_classifier  # noqa: E402
from common import STATE_COLOUR, STATES  # noqa: E402
from evaluate import average_precision, iou_matrix  # noqa: E402
from yolo_to_coco import convert  # noqa: E402

COCO_TRAFFIC_LIGHT = 9


def load_coco(path):
    with open(path) as f:
        coco = json.load(f)
    names = {c["id"]: c["name"] for c in coco["categories"]}
    by = {im["id"]: [] for im in coco["images"]}
    for a in coco["annotations"]:
        by[a["image_id"]].append(a)
    return coco["images"], by, names


def input_size(model):
    meta = {p.key: p.value for p in model.metadata_props}
    if "edgevision.input_size" in meta:
        return int(meta["edgevision.input_size"].split("x")[0])
    return int(model.graph.input[0].type.tensor_type.shape.dim[2].dim_value)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--yolo", help="YOLO split folder (images/, labels/, data.yaml)")
    ap.add_argument("--coco", help="COCO JSON (with --images)")
    ap.add_argument("--images")
    ap.add_argument("--classifier", help="state classifier ONNX: colours from crops")
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="first N images only")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.yolo:
        coco = convert(args.yolo)
        images, img_dir = coco["images"], os.path.join(args.yolo, "images")
        by = {im["id"]: [] for im in images}
        for a in coco["annotations"]:
            by[a["image_id"]].append(a)
        names = {c["id"]: c["name"] for c in coco["categories"]}
    else:
        images, by, names = load_coco(args.coco)
        img_dir = args.images
    if args.limit:
        images = images[:args.limit]
    proto = onnx.load(args.onnx)
    size = input_size(proto)
    det = onnx_torch.OnnxGraphModule(proto).eval()
    cls = onnx_torch.OnnxGraphModule(onnx.load(args.classifier)).eval() if args.classifier else None
    dets, gts = [], []
    matched, colour_ok, tp_n, det_n, n_gt = 0, 0, 0, 0, 0
    for im in images:
        img = np.asarray(Image.open(os.path.join(img_dir, im["file_name"])).convert("RGB"))
        h, w = img.shape[:2]
        x = torch.from_numpy(img.copy()).permute(2, 0, 1).float().unsqueeze(0) / 255.0
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
        with torch.no_grad():
            out = det(x)
        p = torch.sigmoid(out["pred_logits"][0]).numpy()
        if p.shape[1] == 80:
            score, label = p[:, COCO_TRAFFIC_LIGHT], np.full(len(p), -1)
        else:
            score, label = p.max(1), p.argmax(1)
        b = out["pred_boxes"][0].numpy().astype(np.float64)
        db = np.stack([(b[:, 0] - b[:, 2] / 2) * w, (b[:, 1] - b[:, 3] / 2) * h, (b[:, 0] + b[:, 2] / 2) * w,
                       (b[:, 1] + b[:, 3] / 2) * h], 1)
        anns = [a for a in by[im["id"]] if names[a["category_id"]] in ("traffic light",) + tuple(STATES)]
        gb = np.array([[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                       for a in anns], dtype=np.float64).reshape(-1, 4)
        gcol = [STATE_COLOUR.get(names[a["category_id"]]) for a in anns]
        dets.append((db, score, np.zeros(len(db), dtype=np.int64)))
        gts.append((gb, np.zeros(len(gb), dtype=np.int64)))
        n_gt += len(gb)
        keep = np.where(score >= args.threshold)[0]
        keep = keep[np.argsort(-score[keep], kind="stable")]
        det_n += len(keep)
        if cls is not None and len(keep):
            crops = [state_classifier.crop_resize(img, state_classifier.crop_rect(db[k], w, h, 0.15)) for k in keep]
            with torch.no_grad():
                lab = cls(torch.stack(crops).float() / 255.0)["state_logits"].argmax(1).numpy()
            label = label.copy()
            label[keep] = lab
        taken = np.zeros(len(gb), dtype=bool)
        ious = iou_matrix(db[keep], gb)
        for r, k in enumerate(keep):
            if not len(gb):
                break
            cand = np.where(~taken, ious[r], -1.0)
            j = int(np.argmax(cand))
            if cand[j] >= 0.5:
                taken[j] = True
                tp_n += 1
                if gcol[j] is not None and label[k] >= 0:
                    matched += 1
                    colour_ok += STATE_COLOUR[STATES[label[k]]] == gcol[j]
    ap50, _ = average_precision(dets, gts, 1)
    res = {"onnx": os.path.basename(args.onnx), "classifier": os.path.basename(args.classifier or "") or None,
           "images": len(images), "lights": n_gt, "ap50_class_agnostic": round(ap50, 4),
           f"precision@{args.threshold}": round(tp_n / max(1, det_n), 4),
           f"recall@{args.threshold}": round(tp_n / max(1, n_gt), 4),
           "matched_with_state": matched, "colour_accuracy_matched": round(colour_ok / max(1, matched), 4)}
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
