"""COCO-style AP50 on the committed validation set, computed in Python.

Method (documented in training/README.md):
- Predictions: every query of the last decoder layer. "one label per query": score = max sigmoid over the
  joint states, label = argmax (what a single-head decoder with no extra labels reports). "top-k labels":
  every (query, state) pair is a candidate with its own sigmoid score and the best 100 per image are kept
  (DETR's post-processing; alternative labels of a query can then still match).
- Matching per image and class: detections sorted by score; each takes the unmatched ground truth of that
  class with the highest IoU, matched when IoU >= 0.5 (COCO's greedy rule; no "crowd" or "ignore" regions).
- AP: 101-point interpolated precision envelope (COCO), averaged over the classes that have ground truth.
  Class-agnostic AP50: the same with every label mapped to one class.
- Strict frame pass rate at score threshold t: detections with score >= t (one label per query); a frame
  passes when they match its ground truth one-to-one (IoU >= 0.5, same state) with no miss and no extra.

    /usr/bin/python3 training/evaluate.py --model training/runs/main/last.pt   (or --onnx ... not supported:
    onnxruntime is not installed for Python; the Java CLI evaluates the ONNX export)
"""

import argparse
import json
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import NUM_CLASSES, STATES  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VAL_DIR = os.path.join(ROOT, "detectors", "src", "test", "resources", "trafficlights")


def load_validation(folder=VAL_DIR):
    """-> list of (image uint8 HxWx3, gt boxes [n, 4] xyxy pixels, gt labels [n], image record)."""
    with open(os.path.join(folder, "annotations.json")) as f:
        coco = json.load(f)
    by_img = {im["id"]: [] for im in coco["images"]}
    for a in coco["annotations"]:
        by_img[a["image_id"]].append(a)
    out = []
    for im in coco["images"]:
        img = np.asarray(Image.open(os.path.join(folder, im["file_name"])).convert("RGB"))
        anns = by_img[im["id"]]
        boxes = np.array([[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                          for a in anns], dtype=np.float64).reshape(-1, 4)
        labels = np.array([a["category_id"] - 1 for a in anns], dtype=np.int64)
        out.append((img, boxes, labels, im))
    return out


def iou_matrix(a, b):
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(rb - lt, 0, None).prod(-1)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / np.maximum(area_a[:, None] + area_b[None, :] - inter, 1e-9)


def greedy_match(db, ds, gb, iou_thr=0.5):
    """COCO's greedy rule: detections in score order each take the unmatched truth of highest IoU >= iou_thr.

    Returns (order: detection indices by decreasing score, tp: bool per detection in that order, used: bool per
    truth)."""
    order = np.argsort(-ds, kind="stable")
    tp = np.zeros(len(db), dtype=bool)
    used = np.zeros(len(gb), dtype=bool)
    if len(gb):
        ious = iou_matrix(db[order], gb)
        for r in range(len(order)):
            cand = np.where(~used, ious[r], -1.0)
            j = int(np.argmax(cand))
            if cand[j] >= iou_thr:
                used[j] = True
                tp[r] = True
    return order, tp, used


def average_precision(dets, gts, num_classes, iou_thr=0.5):
    """dets: per image (boxes [k,4], scores [k], labels [k]); gts: per image (boxes [n,4], labels [n]).

    Returns (mean AP over classes with ground truth, {class: AP}).
    """
    aps = {}
    for c in range(num_classes):
        n_gt = sum(int((gl == c).sum()) for _, gl in gts)
        if n_gt == 0:
            continue
        records = []  # (score, is_tp)
        for (db, ds, dl), (gb, gl) in zip(dets, gts):
            m = dl == c
            db_c, ds_c = db[m], ds[m]
            order, tp, _ = greedy_match(db_c, ds_c, gb[gl == c], iou_thr)
            records.extend((float(ds_c[k]), bool(t)) for k, t in zip(order, tp))
        if not records:
            aps[c] = 0.0
            continue
        records.sort(key=lambda x: -x[0])
        tps = np.cumsum([r[1] for r in records])
        fps = np.cumsum([not r[1] for r in records])
        recall = tps / n_gt
        precision = tps / np.maximum(tps + fps, 1e-9)
        # precision envelope, sampled at 101 recall points (COCO)
        for i in range(len(precision) - 2, -1, -1):
            precision[i] = max(precision[i], precision[i + 1])
        rs = np.linspace(0, 1, 101)
        idx = np.searchsorted(recall, rs, side="left")
        q = np.array([precision[i] if i < len(precision) else 0.0 for i in idx])
        aps[c] = float(q.mean())
    return (float(np.mean(list(aps.values()))) if aps else 0.0), aps


def frame_passes(det, gt, iou_thr=0.5):
    db, ds, dl = det
    gb, gl = gt
    if len(db) != len(gb):
        return False
    if len(gb) == 0:
        return True
    ious = iou_matrix(db[np.argsort(-ds)], gb)
    dl = dl[np.argsort(-ds)]
    used = np.zeros(len(gb), dtype=bool)
    for r in range(len(db)):
        cand = np.where((~used) & (gl == dl[r]), ious[r], -1.0)
        j = int(np.argmax(cand))
        if cand[j] < iou_thr:
            return False
        used[j] = True
    return True


SIZE_BINS = ((0, 7), (7, 9), (9, 12), (12, 18), (18, 1e9))


def recall_by_size(dets, gts, threshold=0.3, iou_thr=0.5, bins=SIZE_BINS):
    """Class-agnostic recall at `threshold` per housing short-side bin (px): detections in score order each take
    the unmatched truth of highest IoU >= iou_thr (the AP matching). -> {"5-7": [found, lights], ...}."""
    out = {f"{lo:g}-{hi:g}" if hi < 1e9 else f"{lo:g}+": [0, 0] for lo, hi in bins}
    keys = list(out)
    for (db, ds, _), (gb, _) in zip(dets, gts):
        keep = ds >= threshold
        _, _, used = greedy_match(db[keep], ds[keep], gb, iou_thr)
        short = np.minimum(gb[:, 2] - gb[:, 0], gb[:, 3] - gb[:, 1])
        for i, s in enumerate(short):
            b = next(k for k, (lo, hi) in zip(keys, bins) if lo <= s < hi)
            out[b][1] += 1
            out[b][0] += int(used[i])
    return out


def decode(logits, boxes, size=320, mode="one", topk=100):
    """logits [Q, C] raw, boxes [Q, 4] cxcywh normalised -> (boxes xyxy px, scores, labels)."""
    p = 1 / (1 + np.exp(-logits))
    b = np.stack([boxes[:, 0] - boxes[:, 2] / 2, boxes[:, 1] - boxes[:, 3] / 2,
                  boxes[:, 0] + boxes[:, 2] / 2, boxes[:, 1] + boxes[:, 3] / 2], -1) * size
    if mode == "one":
        return b, p.max(1), p.argmax(1)
    flat = p.reshape(-1)
    k = min(topk, flat.size)
    idx = np.argsort(-flat, kind="stable")[:k]
    return b[idx // p.shape[1]], flat[idx], idx % p.shape[1]


def evaluate_outputs(all_logits, all_boxes, val, thresholds=(0.3, 0.4, 0.5, 0.6)):
    """all_logits [N, Q, C], all_boxes [N, Q, 4] for the validation images in order -> metrics dict."""
    gts = [(g[1], g[2]) for g in val]
    one = [decode(l, b, mode="one") for l, b in zip(all_logits, all_boxes)]
    topk = [decode(l, b, mode="topk") for l, b in zip(all_logits, all_boxes)]
    agn_gts = [(gb, np.zeros_like(gl)) for gb, gl in gts]
    agn_ap, _ = average_precision([(b, s, np.zeros_like(l)) for b, s, l in one], agn_gts, 1)
    joint_ap, per_class = average_precision(one, gts, NUM_CLASSES)
    joint_ap_topk, _ = average_precision(topk, gts, NUM_CLASSES)
    dense = [i for i, g in enumerate(val) if g[3].get("dense")]
    dense_agn, _ = average_precision([(one[i][0], one[i][1], np.zeros_like(one[i][2])) for i in dense],
                                     [agn_gts[i] for i in dense], 1)
    dense_joint, _ = average_precision([one[i] for i in dense], [gts[i] for i in dense], NUM_CLASSES)
    pass_rate = {}
    for t in thresholds:
        ok = 0
        for (b, s, l), gt in zip(one, gts):
            keep = s >= t
            ok += frame_passes((b[keep], s[keep], l[keep]), gt)
        pass_rate[f"{t:.2f}"] = ok / len(gts)
    return {
        "images": len(val), "lights": int(sum(len(g[1]) for g in gts)),
        "ap50_class_agnostic": agn_ap, "ap50_joint_state": joint_ap, "ap50_joint_state_topk_labels": joint_ap_topk,
        "ap50_per_state": {STATES[c]: v for c, v in per_class.items()},
        "dense_images": len(dense), "dense_ap50_class_agnostic": dense_agn, "dense_ap50_joint_state": dense_joint,
        "strict_frame_pass_rate": pass_rate,
        "recall_by_short_side_at_0.30": recall_by_size(one, gts),
    }


def run_model(model, val, batch=8):
    import torch
    model.eval()
    L, B = [], []
    with torch.no_grad():
        for i in range(0, len(val), batch):
            x = torch.from_numpy(np.stack([v[0] for v in val[i:i + batch]])).permute(0, 3, 1, 2).float() / 255.0
            out = model(x)
            L.append(out["logits"][-1].numpy())
            B.append(out["boxes"][-1].numpy())
    return np.concatenate(L), np.concatenate(B)


def main():
    import torch
    from model import TinyDETR
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="a checkpoint written by train.py (uses the EMA weights)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    ck = torch.load(args.model, map_location="cpu")
    model = TinyDETR(**ck["model_args"])
    model.load_state_dict(ck["ema"])
    val = load_validation()
    logits, boxes = run_model(model, val)
    print(json.dumps(evaluate_outputs(logits, boxes, val), indent=1))


if __name__ == "__main__":
    main()
