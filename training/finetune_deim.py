"""Fine-tunes COCO DEIMv2 (atto, 320x320) into the joint-state traffic-light detector (route A).

    /usr/bin/python3 training/finetune_deim.py cache --out training/runs/deim
    /usr/bin/python3 training/finetune_deim.py train --out training/runs/deim --steps 1200 [--resume]

Why two commands: on the 2-core development machine a full forward + backward of DEIMv2 atto takes about
1.2 s per image, so end-to-end training would see the 2,097 real photos about once in an hour. The backbone is
therefore frozen at its COCO weights and run once per image (``cache``: its stride-16 output, float16, into
OUT/cache_*.npy); ``train`` then trains the encoder (hybrid encoder), the decoder and both new class heads on
the cached features, several epochs in the same time. The exported model is the whole graph (frozen backbone +
trained rest), so the SDK sees one ONNX file.

Data: cinTA_v2 train/ (minus a held-out 8 % of its source photos for model selection; valid/ is never read
here) and ``--synthetic N`` generated scenes (scenes.py, seeds SYN_SEED0 + k, JPEG round trip as in data.py),
which bring the off and arrow states the real set lacks. Images are resized to 320x320 with a plain bilinear
stretch, as the SDK's preprocessing does (``edgevision.resize`` = stretch).

Loss: losses.py's Hungarian matching, sigmoid focal + L1 + GIoU, on the final decoder output and on the encoder
proposals of the 100 selected tokens. AdamW, warm-up then cosine, gradient clip, EMA weights exported.
Checkpoint (OUT/last.pt, resumable with --resume), hold-out metrics and ONNX export (OUT/model.onnx) every
--ckpt-every steps and at the end.
"""

import argparse
import copy
import io
import json
import math
import os
import shutil
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cinta  # noqa: E402
import deim  # noqa: E402
from common import STATE_COLOUR, STATE_INDEX, STATES  # noqa: E402
from evaluate import average_precision, greedy_match, iou_matrix  # noqa: E402
from losses import ANY_STATE, hungarian_match, set_loss  # noqa: E402

SYN_SEED0 = 30_000_000
ZOOM_SEED0 = 40_000_000
DEGRADE_SEED0 = 50_000_000
SYN_SCALED_SEED0 = 60_000_000
SYN_HOLDOUT_SEED0 = 70_000_000
HOLDOUT_ZOOM_SEED0 = 80_000_000
SYN_VIEWS_SEED0 = 90_000_000
VIEWS_SHARE = 0.3  # share of the lights of a synthetic_views scene seen from the side or the back


def resize_stretch(img, size):
    """uint8 HxWx3 -> float [3, size, size] in [0, 1], bilinear without antialiasing (OpenCV INTER_LINEAR)."""
    x = torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1).float().unsqueeze(0) / 255.0
    if x.shape[-2:] != (size, size):
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    return x[0].clamp(0, 1)


def synthetic_look(k):
    """Synthetic scene k: 7 in 10 with the varied look, 3 in 10 classic (scenes.generate_scene)."""
    return "varied" if k % 10 < 7 else "classic"


def synthetic_sample(seed, size):
    """Scene k of split synthetic: rendered at the model input size, dense 35 % of the time (the generator's rate)."""
    return _scene(seed, size, synthetic_look(seed - SYN_SEED0), None)


def synthetic_scaled_sample(seed, size):
    """Scene k of split synthetic_scaled: rendered at a seeded size (320, the validation set's size, half the time;
    otherwise 256-416), every third one dense, then stretched to the model input by the cache like a photo: the
    lights at the scale a 320-px scene gives after the SDK's stretch. -> (img, boxes cx cy w h normalised, labels)"""
    k = seed - SYN_SCALED_SEED0
    rng = np.random.default_rng([seed, 2])
    render = 320 if rng.random() < 0.5 else int(rng.integers(256, 417))
    return _scene(seed, render, synthetic_look(k), True if k % 3 == 2 else None)


def synthetic_views_sample(seed, size):
    """Scene k of split synthetic_views: made as synthetic_scaled is, but with VIEWS_SHARE of its lights seen from
    the side or the back (scenes.assign_views). Those lights show no state, so their label is ANY_STATE: they teach
    "a light" (the COCO convention street scenes are labelled with), never a colour.
    -> (img, boxes cx cy w h normalised, labels)"""
    k = seed - SYN_VIEWS_SEED0
    rng = np.random.default_rng([seed, 2])
    render = 320 if rng.random() < 0.5 else int(rng.integers(256, 417))
    return _scene(seed, render, synthetic_look(k), True if k % 3 == 2 else None, views=VIEWS_SHARE)


def synthetic_holdout_sample(seed):
    """Synthetic hold-out scene k (model selection only): made as the committed validation set is made (classic
    look, 320 px, every third scene dense), from seeds no other split and not the validation set uses."""
    k = seed - SYN_HOLDOUT_SEED0
    return _scene(seed, 320, "classic", True if k % 3 == 2 else None)


def _scene(seed, render, look, dense, views=0.0):
    """A generated scene rendered at `render` px, JPEG round trip (quality 70-95, seeded) as in data.py. A light
    not seen from the front is labelled ANY_STATE. -> (img, boxes cx cy w h normalised to the render size, labels)"""
    from scenes import generate_scene
    img, lights, _ = generate_scene(seed, size=render, dense=dense, look=look, views=views)
    q = int(np.random.default_rng([seed, 1]).integers(70, 96))
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=q)
    img = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    boxes = np.array([[(L.x + L.w / 2) / render, (L.y + L.h / 2) / render, L.w / render, L.h / render]
                      for L in lights], dtype=np.float32).reshape(-1, 4)
    labels = np.array([STATE_INDEX[L.state] if L.view == "front" else ANY_STATE for L in lights], dtype=np.int64)
    return img, boxes, labels


def zoom_sample(seed, photos, size):
    """Mosaic k: g x g train photos (g = 2 or 3, seeded), each stretched to size/g, so that the lights are 2-3x
    smaller than in cinTA_v2 (whose lights are 30-60 px at 416): the small lights of street and dashcam frames.
    One cell in three is also blurred as `degrade_image` does. -> (img, boxes cx cy w h normalised, labels)."""
    rng = np.random.default_rng([seed])
    g = int(rng.choice([2, 3]))
    cell = size // g
    canvas = np.full((size, size, 3), int(rng.integers(40, 200)), dtype=np.uint8)
    boxes, labels = [], []
    for r in range(g):
        for c in range(g):
            _, img_path, lab_path = photos[int(rng.integers(len(photos)))]
            img = Image.open(img_path).convert("RGB").resize((cell, cell), Image.BILINEAR)
            if rng.random() < 1 / 3:
                img = degrade_image(img, rng)
            canvas[r * cell:(r + 1) * cell, c * cell:(c + 1) * cell] = np.asarray(img)
            b, lab = cinta.read_labels(lab_path)
            for (cx, cy, w, h), l in zip(b, lab):
                boxes.append([(c * cell + cx * cell) / size, (r * cell + cy * cell) / size, w * cell / size,
                              h * cell / size])
                labels.append(l)
    return canvas, np.array(boxes, dtype=np.float32).reshape(-1, 4), np.array(labels, dtype=np.int64)


def degrade_image(img, rng):
    """A PIL image shrunk by 1.5-4x (area average) and stretched back (bilinear), then JPEG at quality 60-90: what
    a tile of a low-resolution frame looks like after sliced inference upscales it to the model input."""
    w, h = img.size
    f = float(rng.uniform(1.5, 4.0))
    small = img.resize((max(1, round(w / f)), max(1, round(h / f))), Image.BOX)
    img = small.resize((w, h), Image.BILINEAR)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=int(rng.integers(60, 91)))
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def cache_items(args):
    """-> {"train": [...], "holdout": [...], "synthetic": [...]} of (kind, path or seed, label path).

    The train items are in a seeded random order, so that any prefix of the cache (training may start before
    caching has finished, see Cached) is a random subset of the photos."""
    items = {"train": [], "holdout": []}
    for img_path, lab_path in cinta.list_split("train", args.cinta):
        name = os.path.basename(img_path)
        items["holdout" if cinta.is_holdout(name) else "train"].append(("cinta", img_path, lab_path))
    order = np.random.default_rng(1234).permutation(len(items["train"]))
    items["train"] = [items["train"][i] for i in order]
    items["synthetic"] = [("synthetic", SYN_SEED0 + k, None) for k in range(args.synthetic)]
    # extra train splits (cache_train_* files are read as part of train/): small lights and blurred photos
    items["train_zoom"] = [("zoom", ZOOM_SEED0 + k, None) for k in range(args.zoom)]
    items["train_degrade"] = [("degrade", DEGRADE_SEED0 + k, None) for k in range(args.degrade)]
    # more generated scenes (read with synthetic/ as one pool) and a synthetic hold-out for model selection
    items["synthetic_scaled"] = [("synthetic_scaled", SYN_SCALED_SEED0 + k, None) for k in range(args.synthetic_scaled)]
    items["synthetic_views"] = [("synthetic_views", SYN_VIEWS_SEED0 + k, None) for k in range(args.synthetic_views)]
    items["synthetic_holdout"] = [("synthetic_holdout", SYN_HOLDOUT_SEED0 + k, None)
                                  for k in range(args.synthetic_holdout)]
    # small-light hold-out: mosaics of hold-out photos only (model selection for small lights)
    items["holdout_zoom"] = [("holdout_zoom", HOLDOUT_ZOOM_SEED0 + k, None) for k in range(args.holdout_zoom)]
    global _HOLDOUT_PHOTOS
    _HOLDOUT_PHOTOS = list(items["holdout"])
    global _TRAIN_PHOTOS
    _TRAIN_PHOTOS = list(items["train"])
    if args.holdout_max:
        items["holdout"] = items["holdout"][:args.holdout_max]
    if args.train_max:
        items["train"] = items["train"][:args.train_max]
    return items


_TRAIN_PHOTOS = []  # the non-hold-out train photos in their seeded order (set by cache_items)
_HOLDOUT_PHOTOS = []  # all hold-out photos (set by cache_items; holdout_zoom mosaics are made of these only)


def load_item(item, size):
    kind, a, b = item
    if kind == "cinta":
        img = np.asarray(Image.open(a).convert("RGB"))
        boxes, labels = cinta.read_labels(b)
        return img, boxes, labels
    if kind == "zoom":
        return zoom_sample(a, _TRAIN_PHOTOS, size)
    if kind == "degrade":
        rng = np.random.default_rng([a])
        _, img_path, lab_path = _TRAIN_PHOTOS[int(rng.integers(len(_TRAIN_PHOTOS)))]
        boxes, labels = cinta.read_labels(lab_path)
        return np.asarray(degrade_image(Image.open(img_path).convert("RGB"), rng)), boxes, labels
    if kind == "holdout_zoom":
        return zoom_sample(a, _HOLDOUT_PHOTOS, size)
    if kind == "synthetic_scaled":
        return synthetic_scaled_sample(a, size)
    if kind == "synthetic_views":
        return synthetic_views_sample(a, size)
    if kind == "synthetic_holdout":
        return synthetic_holdout_sample(a)
    return synthetic_sample(a, size)


def read_done(path):
    """Items of a cache split written so far (its .done file; 0 before the first)."""
    if not os.path.exists(path):
        return 0
    with open(path) as f:
        return int(f.read())


def cmd_cache(args):
    """Caches the frozen backbone's output, item by item, resumable: OUT/cache_SPLIT.npy (float16, preallocated),
    OUT/cache_SPLIT.json (targets of every item, written first) and OUT/cache_SPLIT.done (items cached so far)."""
    torch.set_num_threads(args.threads)
    size = deim.VARIANTS[args.variant][1]
    g = deim.build(args.variant)
    g.eval()
    frozen = deim.FROZEN[args.frozen]
    os.makedirs(args.out, exist_ok=True)
    splits = args.splits.split(",") if args.splits else ["holdout", "train", "synthetic"]
    all_items = cache_items(args)
    for split in splits:
        items = all_items[split]
        if split == "train" and args.shards > 1:  # several caching processes, each its own files
            items = items[args.shard::args.shards]
            split = f"train{args.shard}"
        if not items:
            continue
        path = os.path.join(args.out, f"cache_{split}.npy")
        meta_path = os.path.join(args.out, f"cache_{split}.json")
        done_path = os.path.join(args.out, f"cache_{split}.done")
        done = read_done(done_path)
        if done >= len(items):
            print(f"{split}: all {len(items)} items cached already", flush=True)
            continue
        if done == 0:
            with torch.no_grad():
                probe = g.forward_part(frozen, torch.zeros(1, 3, size, size))
            if len(probe) != 1:
                raise SystemExit(f"expected one backbone output tensor, got {list(probe)}")
            cut_name, f0 = next(iter(probe.items()))
            feats = np.lib.format.open_memmap(path, mode="w+", dtype=np.float16,
                                              shape=(len(items),) + tuple(f0.shape[1:]))
            meta = []
            for it in items:  # targets of every item up front (cheap for photos; synthetic scenes: at cache time)
                meta.append({"item": [it[0], os.path.basename(str(it[1]))]})
            with open(meta_path, "w") as f:
                json.dump({"cut": cut_name, "variant": args.variant, "size": size, "frozen": args.frozen,
                           "items": meta}, f)
        else:
            feats = np.load(path, mmap_mode="r+")
        with open(meta_path) as f:
            meta_all = json.load(f)
        t0 = time.time()
        for s in range(done, len(items), args.batch):
            chunk = items[s:s + args.batch]
            loaded = [load_item(it, size) for it in chunk]
            x = torch.stack([resize_stretch(img, size) for img, _, _ in loaded])
            with torch.no_grad():
                cut = g.forward_part(frozen, x)
            feats[s:s + len(chunk)] = cut[meta_all["cut"]].numpy().astype(np.float16)
            feats.flush()
            for k, (_, boxes, labels) in enumerate(loaded):
                meta_all["items"][s + k].update({"boxes": boxes.tolist(), "labels": labels.tolist()})
            tmp = meta_path + ".tmp"
            with open(tmp, "w") as f:
                json.dump(meta_all, f)
            os.replace(tmp, meta_path)
            with open(done_path + ".tmp", "w") as f:
                f.write(str(s + len(chunk)))
            os.replace(done_path + ".tmp", done_path)
            if (s // args.batch) % 10 == 0:
                print(f"{split}: {s + len(chunk)}/{len(items)} {time.time() - t0:.0f}s", flush=True)
        del feats
        print(f"{split}: {len(items)} items cached in {time.time() - t0:.0f}s", flush=True)


class Cached:
    """A cache split, possibly still being written: only the first `done` items are used (refresh() re-reads).

    With `pseudo`, the teacher's extra lights (OUT/pseudo_SPLIT.json, the pseudo command) join each item's
    targets with the label ANY_STATE; `ignore` holds them either way (xyxy in [0, 1], empty without the file),
    for metrics that neither reward nor punish a detection of an unlabelled light. With `teacher_ignore` (a pseudo
    --name), each target also gets `ignore`: that file's lights no target covers (ignore_boxes), whose queries the
    loss leaves out (losses.ignored_queries)."""

    def __init__(self, out, split, pseudo=False, teacher_ignore=None):
        self.out, self.split, self.pseudo, self.teacher_ignore = out, split, pseudo, teacher_ignore
        self.done = 0
        self.refresh()

    def refresh(self):
        done_path = os.path.join(self.out, f"cache_{self.split}.done")
        done = read_done(done_path)
        if done == self.done and self.done:
            return
        with open(os.path.join(self.out, f"cache_{self.split}.json")) as f:
            m = json.load(f)
        self.cut = m["cut"]
        self.variant = m.get("variant", "atto")
        self.frozen = m.get("frozen", "backbone")  # caches written before --frozen existed: the whole backbone
        self.items = m["items"][:done]
        self.feats = np.load(os.path.join(self.out, f"cache_{self.split}.npy"), mmap_mode="r")
        extra = read_pseudo(self.out, self.split, len(self.items), required=self.pseudo)
        self.ignore = [xyxy_pixels(e, 1.0) for e in extra]
        band = (read_pseudo(self.out, self.split, len(self.items), required=True, name=self.teacher_ignore)
                if self.teacher_ignore else [[] for _ in self.items])
        self.targets = []
        for it, e, low in zip(self.items, extra, band):
            boxes, labels = list(it["boxes"]), list(it["labels"])
            if self.pseudo:
                boxes += e
                labels += [ANY_STATE] * len(e)
            t = {"boxes": torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
                 "labels": torch.tensor(labels, dtype=torch.long)}
            if self.teacher_ignore:
                t["ignore"] = torch.tensor(ignore_boxes(low, t["boxes"].numpy()), dtype=torch.float32).reshape(-1, 4)
            self.targets.append(t)
        self.done = done

    def __len__(self):
        return self.done

    def batch(self, idx):
        x = torch.from_numpy(np.stack([self.feats[i] for i in idx]).astype(np.float32))
        return {self.cut: x}, [self.targets[i] for i in idx]


class CachedSets:
    """Several cache files used as one (the shards of train/)."""

    def __init__(self, sets):
        self.sets = sets

    def refresh(self):
        for c in self.sets:
            c.refresh()

    def __len__(self):
        return sum(len(c) for c in self.sets)

    @property
    def frozen(self):
        kinds = {c.frozen for c in self.sets}
        if len(kinds) != 1:
            raise SystemExit(f"cache files cut at different places: {sorted(kinds)}")
        return kinds.pop()

    @property
    def targets(self):
        return [t for c in self.sets for t in c.targets]

    def batch(self, idx):
        parts, targets = [], []
        for i in idx:
            for c in self.sets:
                if i < len(c):
                    cut, t = c.batch([i])
                    parts.append(cut)
                    targets += t
                    break
                i -= len(c)
        name = next(iter(parts[0]))
        return {name: torch.cat([p[name] for p in parts])}, targets


def _cached_splits(out, prefix, exclude=()):
    """The cached splits of `out` whose names start with `prefix` (cache_PREFIX*.done), minus `exclude`."""
    return sorted(n for n in (f[len("cache_"):-len(".done")] for f in os.listdir(out)
                              if f.startswith("cache_" + prefix) and f.endswith(".done")) if n not in exclude)


def open_train_cache(out, pseudo=False, teacher_ignore=None):
    names = _cached_splits(out, "train")
    if not names:
        raise SystemExit(f"no cached train/ photos in {out}: run the cache command first")
    return CachedSets([Cached(out, n, pseudo, teacher_ignore) for n in names])


def pseudo_path(out, split, name="pseudo"):
    return os.path.join(out, f"{name}_{split}.json")


def ignore_boxes(band, targets, iou=0.5):
    """The teacher's lights of `band` ([[cx, cy, w, h, score], ...]) that no target (cxcywh [n, 4]) already covers
    (IoU < `iou`): the places training should neither reward nor punish. -> [[cx, cy, w, h], ...]"""
    cand = [b[:4] for b in band]
    if not cand or not len(targets):
        return cand
    ov = iou_matrix(xyxy_pixels(cand, 1.0), xyxy_pixels(targets, 1.0))
    return [c for c, o in zip(cand, ov) if o.max() < iou]


def read_pseudo(out, split, n, required=False, name="pseudo"):
    """The teacher's extra lights of the first n items of a cached split (cxcywh in [0, 1]), from OUT/NAME_SPLIT.json;
    empty lists when the split has no such file, unless `required`."""
    path = pseudo_path(out, split, name)
    if not os.path.exists(path):
        if required:
            raise SystemExit(f"no teacher labels for split {split}: expected {path}, written by "
                             f"`finetune_deim.py pseudo --cache {out} --splits {split}"
                             f"{'' if name == 'pseudo' else ' --name ' + name}`")
        return [[] for _ in range(n)]
    with open(path) as f:
        items = json.load(f)["items"]
    if len(items) < n:
        raise SystemExit(f"{path} labels {len(items)} items, but {n} of split {split} are cached: run the pseudo "
                         "command again for this split")
    return [[b[:4] for b in it] for it in items[:n]]


def open_synthetic_cache(out):
    """The generated-scene pool: every cache_synthetic* split but the synthetic hold-out, or None."""
    names = _cached_splits(out, "synthetic", exclude=("synthetic_holdout",))
    return CachedSets([Cached(out, n) for n in names]) if names else None


def total_loss(out, targets):
    num_boxes = max(1.0, float(sum(len(t["labels"]) for t in targets)))
    parts = {}
    for tag, lk, bk in (("d", "logits", "boxes"), ("enc", "enc_logits", "enc_boxes")):
        idx = hungarian_match(out[lk].detach(), out[bk].detach(), targets)
        for k, v in set_loss(out[lk], out[bk], targets, idx, num_boxes).items():
            parts[f"{tag}_{k}"] = v
    total = sum(parts.values())
    return total, {k: float(v) for k, v in parts.items()}


def xyxy_pixels(cxcywh, size):
    b = np.asarray(cxcywh, dtype=np.float64).reshape(-1, 4)
    return np.stack([b[:, 0] - b[:, 2] / 2, b[:, 1] - b[:, 3] / 2, b[:, 0] + b[:, 2] / 2,
                     b[:, 1] + b[:, 3] / 2], 1) * size


def drop_ignored(db, gb, ignore_px):
    """Mask of the detections to keep: those that do not fall on an unlabelled light (IoU >= 0.5 with an `ignore`
    box and < 0.5 with every labelled one); such a detection is neither a true nor a false positive."""
    if not len(db) or not len(ignore_px):
        return np.ones(len(db), dtype=bool)
    on_ignored = iou_matrix(db, ignore_px).max(1) >= 0.5
    on_truth = iou_matrix(db, gb).max(1) >= 0.5 if len(gb) else np.zeros(len(db), dtype=bool)
    return ~(on_ignored & ~on_truth)


def detection_metrics(logits, boxes, targets, size, threshold=0.3, ignore=None):
    """Class-agnostic AP50 (one label per query, all queries), and at `threshold`: precision, recall and the
    colour accuracy of the matched lights (colour of the label vs colour of the truth). `ignore`: per image, xyxy
    boxes in [0, 1] of unlabelled lights whose detections are left out (drop_ignored)."""
    dets, gts, dets1, gts1 = [], [], [], []
    matched, colour_ok, tp_n, det_n = 0, 0, 0, 0
    n_gt = 0
    for k_img, (lg, bx, t) in enumerate(zip(logits, boxes, targets)):
        p = 1 / (1 + np.exp(-lg))
        score, label = p.max(1), p.argmax(1)
        db = xyxy_pixels(bx, size)
        gb = xyxy_pixels(t["boxes"].numpy(), size)
        gl = t["labels"].numpy()
        if ignore is not None:
            shown = drop_ignored(db, gb, np.asarray(ignore[k_img]).reshape(-1, 4) * size)
            db, score, label = db[shown], score[shown], label[shown]
        dets.append((db, score, label))
        gts.append((gb, gl))
        dets1.append((db, score, np.zeros_like(label)))
        gts1.append((gb, np.zeros_like(gl)))
        keep = score >= threshold
        order, tp, used = greedy_match(db[keep], score[keep], gb)
        det_n += int(keep.sum())
        tp_n += int(tp.sum())
        n_gt += len(gb)
        # which truth each true positive took: redo the greedy match keeping the assignment
        kb, ks, kl = db[keep], score[keep], label[keep]
        taken = np.zeros(len(gb), dtype=bool)
        ious = iou_matrix(kb[order], gb) if len(gb) and len(kb) else np.zeros((len(order), len(gb)))
        for r in range(len(order)):
            if not len(gb):
                break
            cand = np.where(~taken, ious[r], -1.0)
            j = int(np.argmax(cand))
            if cand[j] >= 0.5:
                taken[j] = True
                matched += 1
                colour_ok += STATE_COLOUR[STATES[kl[order[r]]]] == STATE_COLOUR[STATES[gl[j]]]
    ap_agnostic, _ = average_precision(dets1, gts1, 1)
    ap_joint, _ = average_precision(dets, gts, len(STATES))
    return {"images": len(targets), "lights": n_gt, "ap50_class_agnostic": ap_agnostic, "ap50_joint_state": ap_joint,
            f"precision@{threshold}": tp_n / max(1, det_n), f"recall@{threshold}": tp_n / max(1, n_gt),
            "colour_accuracy_matched": colour_ok / max(1, matched), "matched": matched}


class EMA:
    def __init__(self, model, decay):
        self.model = copy.deepcopy(model).eval()
        self.decay = decay
        for p in self.model.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model, step):
        d = min(self.decay, (1 + step) / (10 + step))
        src = dict(model.named_parameters())
        for k, v in self.model.named_parameters():
            v.mul_(d).add_(src[k].detach(), alpha=1 - d)


def lr_at(step, args):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    t = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * (args.final_lr_frac + (1 - args.final_lr_frac) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def evaluate_cached(model, g_template, data, size, batch=16, ignore=False):
    """detection_metrics of `model` on a cached split; `ignore`: leave out detections of the split's
    teacher-labelled lights (Cached.ignore)."""
    model.eval()
    L, B = [], []
    with torch.no_grad():
        for s in range(0, len(data), batch):
            cut, _ = data.batch(list(range(s, min(len(data), s + batch))))
            out = model.forward_rest(deim.FROZEN[data.frozen], cut)
            L.append(out["pred_logits"].numpy())
            B.append(out["pred_boxes"].numpy())
    return detection_metrics(np.concatenate(L), np.concatenate(B), data.targets, size,
                             ignore=data.ignore if ignore else None)


def cmd_pseudo(args):
    """Teacher labels: the COCO model (deim.build with one class, COCO's traffic-light column) runs on each cached
    split from the cache's cut (the frozen part is the COCO backbone's, so this is the COCO model on the same
    image) and keeps the lights it scores >= --threshold that no labelled light covers (IoU < 0.3 and less than
    half of the smaller box inside a labelled one) and no higher-scored extra overlaps (IoU >= 0.5). cinTA_v2
    labels only lit lights facing the camera, so these are mostly distant, unlit, side-on or back-facing lights
    that the fine-tune would otherwise learn to call background. Writes OUT/NAME_SPLIT.json (--name, default
    pseudo). A second, lower-threshold set (e.g. --threshold 0.15 --name teacher_low) is what train
    --teacher-ignore reads: places where the teacher saw a possible light, left out of the classification loss."""
    torch.set_num_threads(args.threads)
    teachers = {}  # one teacher per variant, built once for all splits
    for split in args.splits.split(","):
        c = Cached(args.cache, split)
        variant = c.variant
        if variant not in teachers:
            teachers[variant] = deim.build(variant, num_classes=1).eval()
        g = teachers[variant]
        items, n_extra, t0 = [], 0, time.time()
        with torch.no_grad():
            for s in range(0, len(c), 16):
                idx = list(range(s, min(len(c), s + 16)))
                cut, targets = c.batch(idx)
                out = g.forward_rest(deim.FROZEN[c.frozen], cut)
                for p, b, t in zip(torch.sigmoid(out["pred_logits"][..., 0]).numpy(), out["pred_boxes"].numpy(),
                                   targets):
                    items.append(teacher_extras(p, b, t["boxes"].numpy(), args.threshold))
                    n_extra += len(items[-1])
        doc = {"teacher": f"DEIMv2 {variant} COCO, traffic-light column", "threshold": args.threshold,
               "split": split, "format": "per item: [cx, cy, w, h, score] in [0, 1]", "items": items}
        tmp = pseudo_path(args.cache, split, args.name) + ".tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f)
        os.replace(tmp, pseudo_path(args.cache, split, args.name))
        print(f"{split}: {n_extra} teacher lights on {sum(1 for i in items if i)} of {len(items)} items "
              f"({sum(len(t['labels']) for t in c.targets)} labelled) in {time.time() - t0:.0f}s", flush=True)


def teacher_extras(score, boxes, truth, threshold):
    """The teacher's lights (score [Q], boxes [Q, 4] cxcywh in [0, 1]) that are not already labelled (truth
    [n, 4] cxcywh), best first, without duplicates: [[cx, cy, w, h, score], ...]."""
    order = [int(q) for q in np.argsort(-score) if score[q] >= threshold]
    db = xyxy_pixels(boxes, 1.0)
    gb = xyxy_pixels(truth, 1.0)
    if len(gb) and order:  # overlap of each candidate with the labelled lights: IoU, and intersection / smaller area
        cand = db[order]
        iou = iou_matrix(cand, gb)
        inter = np.clip(np.minimum(cand[:, None, 2:], gb[None, :, 2:]) - np.maximum(cand[:, None, :2], gb[None, :, :2]),
                        0, None).prod(-1)
        area = lambda b: np.clip(b[:, 2] - b[:, 0], 0, None) * np.clip(b[:, 3] - b[:, 1], 0, None)  # noqa: E731
        iom = inter / np.maximum(1e-12, np.minimum(area(cand)[:, None], area(gb)[None, :]))
        order = [q for q, i, m in zip(order, iou, iom) if (i < 0.3).all() and (m < 0.5).all()]
    kept = []
    for q in order:
        if kept and iou_matrix(db[q:q + 1], db[kept])[0].max() >= 0.5:
            continue
        kept.append(q)
    return [[round(float(v), 5) for v in boxes[q]] + [round(float(score[q]), 4)] for q in kept]


def cmd_train(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    size = deim.VARIANTS[args.variant][1]
    cache = args.cache or args.out
    os.makedirs(args.out, exist_ok=True)
    train = open_train_cache(cache, pseudo=args.pseudo, teacher_ignore=args.teacher_ignore)
    holdout = Cached(cache, "holdout")
    syn = open_synthetic_cache(cache)
    syn_holdout = (Cached(cache, "synthetic_holdout")
                   if os.path.exists(os.path.join(cache, "cache_synthetic_holdout.done")) else None)
    model = deim.build(args.variant)
    if args.init:  # a second stage: start from an earlier run's EMA weights, with a fresh optimiser and schedule
        model.load_state_dict(torch.load(args.init, map_location="cpu")["ema"])
        print(f"initialised from the EMA weights of {args.init}", flush=True)
    for name, c in (("train", train), ("hold-out", holdout), ("synthetic", syn), ("synthetic hold-out", syn_holdout)):
        if c is not None and c.frozen != args.frozen:
            raise SystemExit(f"--frozen {args.frozen}: expected {name} cached with it, got a cache cut for "
                             f"--frozen {c.frozen} in {cache}")
    frozen = model.freeze(list(deim.FROZEN[args.frozen]))
    params = [p for p in model.parameters() if p.requires_grad]
    print(f"DEIMv2 {args.variant}: {sum(p.numel() for p in params):,} trained weights, {frozen:,} frozen "
          f"({args.frozen}); train {len(train)} cached photos, hold-out {len(holdout)}, synthetic "
          f"{len(syn) if syn else 0}", flush=True)
    head_ids = {id(model.tensor(n)) for pair in deim.class_heads(model).values() for n in pair}
    heads = [p for p in params if id(p) in head_ids]
    decay = [p for p in params if p.ndim >= 2 and id(p) not in head_ids]
    no_decay = [p for p in params if p.ndim < 2 and id(p) not in head_ids]
    # the new joint-state heads start as copies of one COCO column: a higher learning rate separates the states
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay, "mult": 1.0},
                             {"params": no_decay, "weight_decay": 0.0, "mult": 1.0},
                             {"params": heads, "weight_decay": 0.0, "mult": args.head_lr_mult}], lr=args.lr)
    ema = EMA(model, args.ema)
    ck_path = os.path.join(args.out, "last.pt")
    start, history = 0, []
    if args.resume and os.path.exists(ck_path):
        ck = torch.load(ck_path, map_location="cpu")
        model.load_state_dict(ck["model"])
        ema.model.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        start, history = ck["step"], ck["history"]
        print(f"resumed from {ck_path} at step {start}", flush=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    started = time.time()

    def checkpoint(step, final):
        tmp = ck_path + ".tmp"
        torch.save({"model": model.state_dict(), "ema": ema.model.state_dict(), "opt": opt.state_dict(),
                    "step": step, "history": history, "args": vars(args), "variant": args.variant}, tmp)
        os.replace(tmp, ck_path)
        if args.keep_checkpoints:  # every checkpoint kept, so that selection can pick any of them
            shutil.copyfile(ck_path, os.path.join(args.out, f"step{step:05d}.pt"))
        t0 = time.time()
        m = evaluate_cached(ema.model, model, holdout, size)
        deim.export_deim(ema.model, onnx_path, size, {"training.steps": step, "training.final": str(final).lower(),
                                                      "training.recipe": "training/finetune_deim.py"})
        rec = {"step": step, "final": final, "holdout": m, "wall_seconds": round(time.time() - started)}
        if syn_holdout is not None:
            ms = evaluate_cached(ema.model, model, syn_holdout, size)
            rec["synthetic_holdout"] = ms
            print(f"[ckpt {step}] synthetic hold-out AP50 agnostic {ms['ap50_class_agnostic']:.3f} "
                  f"P {ms['precision@0.3']:.3f} R {ms['recall@0.3']:.3f}", flush=True)
        with open(os.path.join(args.out, "checkpoints.jsonl"), "a") as f:
            f.write(json.dumps(rec) + "\n")
        print(f"[ckpt {step}] hold-out AP50 agnostic {m['ap50_class_agnostic']:.3f} joint "
              f"{m['ap50_joint_state']:.3f} colour {m['colour_accuracy_matched']:.3f} "
              f"P {m['precision@0.3']:.3f} R {m['recall@0.3']:.3f}; eval+export {time.time() - t0:.0f}s",
              flush=True)

    if start == 0 and args.eval_init:
        checkpoint(0, False)
    model.train()
    acc, acc_n, t_last = {}, 0, time.time()
    for step in range(start, args.steps):
        rng = np.random.default_rng([args.seed, step])
        n_syn = min(len(syn), int(round(args.batch * args.synthetic_share))) if syn else 0
        idx_real = rng.choice(len(train), min(len(train), args.batch - n_syn), replace=False)
        cut, targets = train.batch(idx_real)
        if n_syn:
            idx_syn = rng.choice(len(syn), n_syn, replace=False)
            cut2, t2 = syn.batch(idx_syn)
            cut = {k: torch.cat([v, cut2[k]]) for k, v in cut.items()}
            targets = targets + t2
        for gr in opt.param_groups:
            gr["lr"] = lr_at(step, args) * gr.get("mult", 1.0)
        raw = model.forward_rest(deim.FROZEN[args.frozen], cut, extra=deim.extra_outputs(model))
        out = deim.outputs_with_proposals(raw, model)
        loss, parts = total_loss(out, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gnorm = torch.nn.utils.clip_grad_norm_(params, args.clip)
        opt.step()
        ema.update(model, step)
        for k, v in parts.items():
            acc[k] = acc.get(k, 0.0) + v
        acc["loss"] = acc.get("loss", 0.0) + float(loss)
        acc["gnorm"] = acc.get("gnorm", 0.0) + float(gnorm)
        acc_n += 1
        done = step + 1
        if done % args.log_every == 0 or done == args.steps:
            now = time.time()
            rec = {"step": done, "lr": round(lr_at(step, args), 7), "sec_per_step": round((now - t_last) / acc_n, 3)}
            rec.update({k: round(v / acc_n, 4) for k, v in acc.items()})
            history.append(rec)
            with open(os.path.join(args.out, "log.jsonl"), "a") as f:
                f.write(json.dumps(rec) + "\n")
            print(f"step {done}/{args.steps} loss {rec['loss']:.3f} (cls {rec['d_cls']:.3f} l1 {rec['d_l1']:.3f} "
                  f"giou {rec['d_giou']:.3f}) lr {rec['lr']:.2e} {rec['sec_per_step']:.2f}s/step", flush=True)
            acc, acc_n, t_last = {}, 0, time.time()
        if done % args.ckpt_every == 0 and done != args.steps:
            checkpoint(done, False)
            train.refresh()
            if syn is not None:
                syn.refresh()
            print(f"cached items in use: train {len(train)}, synthetic {len(syn) if syn else 0}", flush=True)
            model.train()
            t_last = time.time()
    checkpoint(args.steps, True)


def best_f1_threshold(model, data, size, grid=np.arange(0.05, 0.951, 0.01), ignore=False, batch=16):
    """The score threshold of best F1 (one label per query, IoU >= 0.5, greedy in score order) on cached data: one
    split or a list of them, pooled. `ignore`: leave out detections of the splits' teacher-labelled lights."""
    model.eval()
    sets = data if isinstance(data, (list, tuple)) else [data]
    images = []  # per image: (scores, detection boxes, truth boxes) in pixels, teacher-labelled detections left out
    with torch.no_grad():
        for d in sets:
            for s in range(0, len(d), batch):
                idx = list(range(s, min(len(d), s + batch)))
                cut, targets = d.batch(idx)
                out = model.forward_rest(deim.FROZEN[d.frozen], cut)
                for i, sc, bx, tg in zip(idx, torch.sigmoid(out["pred_logits"]).numpy().max(-1),
                                         out["pred_boxes"].numpy(), targets):
                    db, gb = xyxy_pixels(bx, size), xyxy_pixels(tg["boxes"].numpy(), size)
                    if ignore:
                        shown = drop_ignored(db, gb, np.asarray(d.ignore[i]).reshape(-1, 4) * size)
                        sc, db = sc[shown], db[shown]
                    images.append((sc, db, gb))
    n_gt = sum(len(gb) for _, _, gb in images)
    best = (0.0, 0.3)
    for t in grid:
        tp = nd = 0
        for sc, db, gb in images:
            keep = sc >= t
            nd += int(keep.sum())
            _, ok, _ = greedy_match(db[keep], sc[keep], gb)
            tp += int(ok.sum())
        f1 = 2 * tp / max(1, nd + n_gt)
        if f1 > best[0] + 1e-9:
            best = (f1, float(t))
    return best


def cmd_export(args):
    """Re-exports a checkpoint's EMA weights (--light-only: the generic one-class detector; --calibrate: shift
    the final logits so that the SDK's default threshold 0.3 sits at the best-F1 threshold of --calibrate-splits,
    pooled; --ignore-pseudo: detections of the teacher's unlabelled lights count neither way)."""
    ck = torch.load(args.ckpt, map_location="cpu")
    variant = ck.get("variant", "atto")
    g = deim.build(variant)
    g.load_state_dict(ck["ema"])
    size = deim.VARIANTS[variant][1]
    meta = {"training.steps": ck["step"], "training.recipe": "training/finetune_deim.py"}
    if args.calibrate:
        splits = args.calibrate_splits.split(",")
        f1, t = best_f1_threshold(g, [Cached(args.cache, n) for n in splits], size, ignore=args.ignore_pseudo)
        meta["training.calibration_splits"] = args.calibrate_splits
        shift = math.log(0.3 / 0.7) - math.log(t / (1 - t))
        bias = deim.class_heads(g)["dec"][1]
        with torch.no_grad():
            g.tensor(bias).add_(shift)
        meta.update({"training.score_shift": round(shift, 4), "training.holdout_best_f1_threshold": round(t, 2)})
        print(f"{args.calibrate_splits}: best F1 {f1:.3f} at {t:.2f}: logits shifted by {shift:+.3f} so that 0.3 is "
              "that point")
    n = deim.export_deim(g, args.onnx, size, meta, light_only=args.light_only)
    print(f"wrote {args.onnx} ({n} bytes, step {ck['step']})")


SELECT_SPLITS = ("holdout", "holdout_zoom", "synthetic_holdout")


def cmd_select(args):
    """Model selection without cinTA_v2 valid: class-agnostic AP50 of each checkpoint's EMA weights on the three
    hold-outs (all hold-out photos, mosaics of them for small lights, generated scenes made like the validation
    set) and their sum; the checkpoint of the highest sum wins. Writes the table as JSON to --report."""
    torch.set_num_threads(args.threads)
    for name in SELECT_SPLITS:
        if not os.path.exists(os.path.join(args.cache, f"cache_{name}.done")):
            raise SystemExit(f"split {name} is not cached in {args.cache}: run the cache command with "
                             "--splits holdout,holdout_zoom,synthetic_holdout --holdout-zoom N --synthetic-holdout N")
    sets = {name: Cached(args.cache, name) for name in SELECT_SPLITS}
    rows = []
    for ck_path in args.ckpts:
        ck = torch.load(ck_path, map_location="cpu")
        variant = ck.get("variant", "atto")
        g = deim.build(variant)
        g.load_state_dict(ck["ema"])
        size = deim.VARIANTS[variant][1]
        row = {"ckpt": ck_path, "step": ck["step"]}
        for name, c in sets.items():
            row[name] = round(evaluate_cached(g, g, c, size, ignore=args.ignore_pseudo)["ap50_class_agnostic"], 4)
        row["sum"] = round(sum(row[n] for n in SELECT_SPLITS), 4)
        rows.append(row)
        print("  ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    best = max(rows, key=lambda r: r["sum"])
    print(f"selected: {best['ckpt']} (sum {best['sum']})")
    if args.report:
        with open(args.report, "w") as f:
            json.dump({"splits": {n: len(c) for n, c in sets.items()}, "rows": rows, "selected": best["ckpt"]}, f,
                      indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export")
    e.add_argument("--ckpt", required=True)
    e.add_argument("--onnx", required=True)
    e.add_argument("--light-only", action="store_true", help="generic one-class 'traffic light' detector")
    e.add_argument("--calibrate", action="store_true", help="shift the logits: 0.3 = best-F1 threshold of --calibrate-splits")
    e.add_argument("--calibrate-splits", default="holdout",
                   help="cached splits pooled for --calibrate (e.g. holdout,holdout_zoom,synthetic_holdout)")
    e.add_argument("--ignore-pseudo", action="store_true",
                   help="--calibrate: detections of the teacher's unlabelled lights count neither way")
    e.add_argument("--cache", default="training/runs/deim", help="folder with the hold-out cache")
    sel = sub.add_parser("select")
    sel.add_argument("--cache", required=True,
                     help="folder with the holdout, holdout_zoom and synthetic_holdout caches")
    sel.add_argument("--threads", type=int, default=2)
    sel.add_argument("--report", default=None, help="JSON file for the table")
    sel.add_argument("--ignore-pseudo", action="store_true",
                     help="leave out detections of the teacher's unlabelled lights (pseudo files of the hold-outs)")
    sel.add_argument("ckpts", nargs="+", help="checkpoints (last.pt, stepNNNNN.pt)")
    ps = sub.add_parser("pseudo")
    ps.add_argument("--cache", required=True, help="folder of the cache command's files")
    ps.add_argument("--splits", default="train,train_zoom,train_degrade,holdout,holdout_zoom",
                    help="cached splits to label (default: every photo-based one)")
    ps.add_argument("--threshold", type=float, default=0.4, help="teacher score a light needs")
    ps.add_argument("--name", default="pseudo",
                    help="files OUT/NAME_SPLIT.json (default pseudo: the labels train --pseudo reads)")
    ps.add_argument("--threads", type=int, default=2)
    for name in ("cache", "train"):
        p = sub.add_parser(name)
        p.add_argument("--out", required=True)
        p.add_argument("--variant", default="atto", choices=sorted(deim.VARIANTS))
        p.add_argument("--cinta", default=None, help="cinTA_v2 folder (default: ../shared/data/traffic_lights/cinta_v2)")
        p.add_argument("--threads", type=int, default=2)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--frozen", default="backbone", choices=sorted(deim.FROZEN),
                       help="what stays at the COCO weights and is cached: the whole backbone (default) or its "
                            "stem and stages 0-1 (stage 2 is trained too)")
    c = sub.choices["cache"]
    c.add_argument("--batch", type=int, default=8)
    c.add_argument("--synthetic", type=int, default=300, help="generated scenes to cache")
    c.add_argument("--zoom", type=int, default=0, help="mosaics of 2x2 or 3x3 shrunk train photos to cache "
                                                       "(split train_zoom: small lights)")
    c.add_argument("--degrade", type=int, default=0, help="blurred (shrunk and re-enlarged) train photos to cache "
                                                          "(split train_degrade)")
    c.add_argument("--synthetic-scaled", type=int, default=0,
                   help="generated scenes rendered at 256-416 px and stretched, every third dense (split "
                        "synthetic_scaled, read with synthetic/)")
    c.add_argument("--synthetic-views", type=int, default=0,
                   help="generated scenes made as synthetic_scaled, with 30 %% of their lights seen from the side or "
                        "the back, labelled state unknown (split synthetic_views, read with synthetic/)")
    c.add_argument("--synthetic-holdout", type=int, default=0,
                   help="generated scenes made like the validation set, for model selection (split "
                        "synthetic_holdout)")
    c.add_argument("--holdout-zoom", type=int, default=0,
                   help="mosaics of 2x2 or 3x3 shrunk hold-out photos, for model selection on small lights "
                        "(split holdout_zoom)")
    c.add_argument("--holdout-max", type=int, default=0, help="cache only the first N hold-out photos (0: all)")
    c.add_argument("--train-max", type=int, default=0, help="cache only the first N train photos of the seeded "
                                                             "order (a random subset; 0: all)")
    c.add_argument("--shards", type=int, default=1, help="train/ split over this many caching processes")
    c.add_argument("--shard", type=int, default=0, help="this process's shard of train/ (0-based)")
    c.add_argument("--splits", default=None,
                   help="comma-separated splits in caching order (default holdout,train,synthetic)")
    t = sub.choices["train"]
    t.add_argument("--steps", type=int, required=True)
    t.add_argument("--cache", default=None, help="folder of the cache command's files (default: --out)")
    t.add_argument("--resume", action="store_true")
    t.add_argument("--keep-checkpoints", action="store_true", help="also keep OUT/stepNNNNN.pt of every checkpoint")
    t.add_argument("--teacher-ignore", default=None, metavar="NAME",
                   help="teacher lights of OUT/NAME_SPLIT.json (a pseudo --name NAME run) that no target covers: "
                        "queries on them get no classification loss (neither light nor background)")
    t.add_argument("--pseudo", action="store_true",
                   help="add the teacher's lights (pseudo command) to the train/ photos' targets, state unknown")
    t.add_argument("--init", default=None, help="checkpoint (last.pt) whose EMA weights start this run")
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--synthetic-share", type=float, default=0.25)
    t.add_argument("--lr", type=float, default=2e-4)
    t.add_argument("--head-lr-mult", type=float, default=10.0, help="learning-rate factor of the two class heads")
    t.add_argument("--final-lr-frac", type=float, default=0.05)
    t.add_argument("--warmup", type=int, default=50)
    t.add_argument("--weight-decay", type=float, default=1e-4)
    t.add_argument("--clip", type=float, default=0.1)
    t.add_argument("--ema", type=float, default=0.998)
    t.add_argument("--ckpt-every", type=int, default=100)
    t.add_argument("--log-every", type=int, default=10)
    t.add_argument("--eval-init", action="store_true", help="evaluate and export the untrained model as step 0")
    args = ap.parse_args()
    {"cache": cmd_cache, "train": cmd_train, "export": cmd_export, "select": cmd_select,
     "pseudo": cmd_pseudo}[args.cmd](args)


if __name__ == "__main__":
    main()
