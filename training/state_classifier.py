"""The second-stage state classifier (route B): a small CNN that reads one light's joint state from its crop.

    /usr/bin/python3 training/state_classifier.py --out training/runs/state

It is what ``StateClassifier`` (detectors module) runs on every detected box: the box grown by a padding on each
side (the SDK's default 0.15), stretched to 32x32 RGB, /255, one softmax over the joint states
(``common.STATES``; output ``state_logits`` [N, 6], logits), the label schema in the ONNX metadata.

Training crops, all seeded:
- real: every box of cinTA_v2 train/ (by wawan-pradana, Roboflow Universe, CC BY 4.0) except the hold-out source
  photos (cinta.is_holdout), ``--real-copies`` crops per box with a random padding (0.05-0.35), centre shift and
  scale jitter (a detector's box is not the annotator's), red / yellow / green only;
- synthetic: lights of generated scenes (scenes.py; 7 in 10 with the varied look), all six states incl. off and
  the arrows, same jitter.
Augmentation at each step: brightness / contrast / gamma jitter (never a hue change: the hue is the label),
a horizontal flip for states without an arrow (a flip turns a left arrow into a right arrow).

Measured (printed and written to OUT/report.json): colour accuracy on the held-out train photos and on the boxes
of cinTA_v2 valid/ (exact annotated boxes, padding 0.15: the classifier alone, not the detector), joint-state
accuracy on the boxes of the synthetic validation set (detectors/src/test/resources/trafficlights).
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cinta  # noqa: E402
from common import STATE_COLOUR, STATE_INDEX, STATES, label_schema  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE = 32
PADDING = 0.15
SYN_SEED0 = 40_000_000
ARROW = {i for i, s in enumerate(STATES) if s.endswith("_left")}


class StateNet(nn.Module):
    """5 conv layers (BN folded at export) + global average pool + linear; ~90k parameters."""

    def __init__(self, num_classes=len(STATES), widths=(24, 32, 48, 64, 96)):
        super().__init__()
        layers, c = [], 3
        for i, w in enumerate(widths):
            stride = 1 if i in (0, 2) else 2
            layers += [nn.Conv2d(c, w, 3, stride, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
            c = w
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(0.1)
        self.fc = nn.Linear(c, num_classes)

    def forward(self, x):
        return self.fc(self.drop(self.features(x).mean((2, 3))))


def crop_rect(box_xyxy, w, h, padding):
    """The SDK's StateClassifier.cropRect: grow by padding, round outwards, clamp, at least 1x1."""
    x1, y1, x2, y2 = box_xyxy
    px, py = padding * (x2 - x1), padding * (y2 - y1)
    a = int(np.clip(np.floor(x1 - px), 0, w - 1))
    b = int(np.clip(np.floor(y1 - py), 0, h - 1))
    c = int(np.clip(np.ceil(x2 + px), a + 1, w))
    d = int(np.clip(np.ceil(y2 + py), b + 1, h))
    return a, b, c, d


def crop_resize(img, rect):
    """uint8 HxWx3 crop -> uint8 [3, SIZE, SIZE], bilinear stretch without antialiasing (OpenCV INTER_LINEAR)."""
    a, b, c, d = rect
    x = torch.from_numpy(np.ascontiguousarray(img[b:d, a:c])).permute(2, 0, 1).float().unsqueeze(0)
    x = F.interpolate(x, size=(SIZE, SIZE), mode="bilinear", align_corners=False)
    return x[0].round().clamp(0, 255).to(torch.uint8)


def jitter_box(box, rng):
    """Random centre shift (σ 8 % of the size) and scale (σ 10 %) of an xyxy box."""
    x1, y1, x2, y2 = box
    w, h = x2 - x1, y2 - y1
    cx = (x1 + x2) / 2 + rng.normal(0, 0.08) * w
    cy = (y1 + y2) / 2 + rng.normal(0, 0.08) * h
    w *= float(np.exp(rng.normal(0, 0.1)))
    h *= float(np.exp(rng.normal(0, 0.1)))
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def crops_of(img, boxes_xyxy, labels, rng, copies, jitter=True):
    xs, ys = [], []
    h, w = img.shape[:2]
    for box, lab in zip(boxes_xyxy, labels):
        for _ in range(copies):
            b = jitter_box(box, rng) if jitter else box
            pad = float(rng.uniform(0.05, 0.35)) if jitter else PADDING
            xs.append(crop_resize(img, crop_rect(b, w, h, pad)))
            ys.append(int(lab))
    return xs, ys


def yolo_xyxy(boxes, w, h):
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    return np.stack([(b[:, 0] - b[:, 2] / 2) * w, (b[:, 1] - b[:, 3] / 2) * h, (b[:, 0] + b[:, 2] / 2) * w,
                     (b[:, 1] + b[:, 3] / 2) * h], 1)


def real_crops(split, folder, rng, copies, jitter, holdout=None):
    xs, ys = [], []
    for img_path, lab_path in cinta.list_split(split, folder):
        if holdout is not None and cinta.is_holdout(os.path.basename(img_path)) != holdout:
            continue
        img = np.asarray(Image.open(img_path).convert("RGB"))
        boxes, labels = cinta.read_labels(lab_path)
        x, y = crops_of(img, yolo_xyxy(boxes, img.shape[1], img.shape[0]), labels, rng, copies, jitter)
        xs += x
        ys += y
    return xs, ys


def synthetic_crops(n_scenes, rng, copies, min_side=4):
    from scenes import generate_scene
    xs, ys = [], []
    for k in range(n_scenes):
        img, lights, _ = generate_scene(SYN_SEED0 + k, size=320, look="varied" if k % 10 < 7 else "classic")
        keep = [L for L in lights if min(L.w, L.h) >= min_side]
        boxes = [(L.x, L.y, L.x + L.w, L.y + L.h) for L in keep]
        x, y = crops_of(img, boxes, [STATE_INDEX[L.state] for L in keep], rng, copies, True)
        xs += x
        ys += y
    return xs, ys


def validation_crops():
    folder = os.path.join(ROOT, "detectors", "src", "test", "resources", "trafficlights")
    with open(os.path.join(folder, "annotations.json")) as f:
        coco = json.load(f)
    files = {im["id"]: im["file_name"] for im in coco["images"]}
    imgs = {}
    xs, ys = [], []
    for a in coco["annotations"]:
        if a["image_id"] not in imgs:
            imgs[a["image_id"]] = np.asarray(Image.open(os.path.join(folder, files[a["image_id"]])).convert("RGB"))
        img = imgs[a["image_id"]]
        x, y, w, h = a["bbox"]
        xs.append(crop_resize(img, crop_rect((x, y, x + w, y + h), img.shape[1], img.shape[0], PADDING)))
        ys.append(a["category_id"] - 1)
    return xs, ys


def augment(x, y, rng):
    """x uint8 [B, 3, S, S] -> float in [0, 1] with photometric jitter and flips of arrow-free states."""
    x = x.float() / 255.0
    b = x.shape[0]
    gain = torch.from_numpy(rng.uniform(0.6, 1.4, (b, 1, 1, 1))).float()
    gamma = torch.from_numpy(np.exp(rng.normal(0, 0.25, (b, 1, 1, 1)))).float()
    mean = x.mean((1, 2, 3), keepdim=True)
    contrast = torch.from_numpy(rng.uniform(0.7, 1.3, (b, 1, 1, 1))).float()
    x = ((x - mean) * contrast + mean).clamp(0, 1) ** gamma * gain
    x = x + torch.from_numpy(rng.normal(0, 0.02, x.shape)).float() * float(rng.uniform(0, 1))
    flip = torch.from_numpy(rng.uniform(0, 1, b) < 0.5) & ~torch.tensor([int(v) in ARROW for v in y])
    x[flip] = x[flip].flip(-1)
    return x.clamp(0, 1)


def predict(model, xs, batch=512):
    model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(xs), batch):
            out.append(model(torch.stack(xs[s:s + batch]).float() / 255.0).argmax(1))
    return torch.cat(out).numpy() if out else np.zeros(0, dtype=np.int64)


def accuracy(model, xs, ys):
    if not xs:
        return {"n": 0}
    pred = predict(model, xs)
    ys = np.asarray(ys)
    colour = np.array([STATE_COLOUR[STATES[p]] == STATE_COLOUR[STATES[t]] for p, t in zip(pred, ys)])
    per_state = {STATES[c]: round(float((pred[ys == c] == c).mean()), 4) for c in sorted(set(ys.tolist()))}
    return {"n": int(len(ys)), "colour_accuracy": round(float(colour.mean()), 4),
            "joint_accuracy": round(float((pred == ys).mean()), 4), "per_state_joint_accuracy": per_state}


def export(model, path, extra=None):
    model = model.eval()
    tmp = path + ".tmp"
    with torch.no_grad():
        torch.onnx.export(model, torch.rand(1, 3, SIZE, SIZE), tmp, opset_version=17, input_names=["images"],
                          output_names=["state_logits"], do_constant_folding=True,
                          dynamic_axes={"images": {0: "N"}, "state_logits": {0: "N"}})
    m = onnx.load(tmp)
    meta = {
        "edgevision.input_name": "images", "edgevision.input_size": f"{SIZE}x{SIZE}",
        "edgevision.resize": "stretch", "edgevision.color": "rgb", "edgevision.scale": "0.00392156862745098",
        "edgevision.layout": "nchw", "edgevision.labels": json.dumps(STATES),
        "edgevision.label_schema": json.dumps(label_schema()),
        "edgevision.crop_padding": str(PADDING),
    }
    meta.update({k: str(v) for k, v in (extra or {}).items()})
    del m.metadata_props[:]
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    m.producer_name = "edgevision-training"
    m.doc_string = ("EdgeVision traffic-light state classifier (training/state_classifier.py), trained on crops of "
                    "cinTA_v2 by wawan-pradana (Roboflow Universe, CC BY 4.0) and synthetic scenes")
    onnx.checker.check_model(m)
    onnx.save(m, tmp)
    os.replace(tmp, path)
    return os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cinta", default=None)
    ap.add_argument("--real-copies", type=int, default=3)
    ap.add_argument("--synthetic-scenes", type=int, default=700)
    ap.add_argument("--synthetic-copies", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    rx, ry = real_crops("train", args.cinta, rng, args.real_copies, True, holdout=False)
    sx, sy = synthetic_crops(args.synthetic_scenes, rng, args.synthetic_copies)
    hx, hy = real_crops("train", args.cinta, np.random.default_rng(1), 1, False, holdout=True)
    print(f"crops: real {len(rx)}, synthetic {len(sx)}, hold-out {len(hx)} ({time.time() - t0:.0f}s)", flush=True)
    x = torch.stack(rx + sx)
    y = np.array(ry + sy)
    # balance: each sample weighted by 1 / its state's count, real and synthetic pools weighted equally
    counts = np.bincount(y, minlength=len(STATES)).astype(np.float64)
    w = 1.0 / counts[y]
    w = w / w.sum()
    model = StateNet()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-3)
    steps_per_epoch = max(1, len(y) // args.batch)
    total = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=total, pct_start=0.15)
    step = 0
    for epoch in range(args.epochs):
        model.train()
        tot = 0.0
        for _ in range(steps_per_epoch):
            idx = rng.choice(len(y), args.batch, p=w)
            xb = augment(x[idx], y[idx], rng)
            loss = F.cross_entropy(model(xb), torch.from_numpy(y[idx]), label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss)
            step += 1
        h = accuracy(model, hx, hy)
        print(f"epoch {epoch + 1}/{args.epochs} loss {tot / steps_per_epoch:.4f} hold-out colour "
              f"{h.get('colour_accuracy', float('nan')):.4f} ({time.time() - t0:.0f}s)", flush=True)
    vx, vy = real_crops("valid", args.cinta, np.random.default_rng(2), 1, False)
    qx, qy = validation_crops()
    rep = {"params": sum(p.numel() for p in model.parameters()), "config": vars(args),
           "train_crops": {"real": len(rx), "synthetic": len(sx)},
           "holdout": accuracy(model, hx, hy), "cinta_valid_gt_boxes": accuracy(model, vx, vy),
           "synthetic_validation_gt_boxes": accuracy(model, qx, qy), "wall_seconds": round(time.time() - t0)}
    torch.save({"model": model.state_dict(), "args": vars(args)}, os.path.join(args.out, "state.pt"))
    size = export(model, os.path.join(args.out, "state.onnx"), {"training.recipe": "training/state_classifier.py"})
    rep["onnx_bytes"] = size
    with open(os.path.join(args.out, "report.json"), "w") as f:
        json.dump(rep, f, indent=1)
    print(json.dumps({k: rep[k] for k in ("holdout", "cinta_valid_gt_boxes", "synthetic_validation_gt_boxes")},
                     indent=1), flush=True)


if __name__ == "__main__":
    main()
