"""The real traffic-light photos: cinTA_v2 by wawan-pradana (Roboflow Universe), CC BY 4.0, in YOLO format.

Found at run time, never copied into the repository: ``--cinta DIR``, else ``$EDGEVISION_SHARED_DIR/data/...``,
else ``../shared/data/traffic_lights/cinta_v2`` next to the checkout (the layout of the shared folder).

YOLO classes (``data.yaml``): 0 green, 1 red, 2 yellow -> the joint states ``green``, ``red``, ``yellow`` (no
off or arrow lights in this set). ``train/`` holds 3 augmented copies of each of 699 source photos (the file
name before ``.rf.`` is the source), so the model-selection split below is made by source photo, never by file.
"""

import hashlib
import os

import numpy as np

from common import STATE_INDEX

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
YOLO_NAMES = ["green", "red", "yellow"]
ATTRIBUTION = "cinTA_v2 by wawan-pradana (Roboflow Universe), CC BY 4.0"


def default_dir():
    env = os.environ.get("EDGEVISION_SHARED_DIR")
    base = env if env else os.path.join(os.path.dirname(ROOT), "shared")
    return os.path.join(base, "data", "traffic_lights", "cinta_v2")


def read_labels(path):
    """YOLO txt -> (boxes [n, 4] cx, cy, w, h normalised, joint-state labels [n])."""
    boxes, labels = [], []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) != 5:
                    continue
                c = int(parts[0])
                if not 0 <= c < len(YOLO_NAMES):
                    raise ValueError(f"{path}: expected a class in 0..{len(YOLO_NAMES) - 1}, got {c}")
                boxes.append([float(v) for v in parts[1:]])
                labels.append(STATE_INDEX[YOLO_NAMES[c]])
    return np.array(boxes, dtype=np.float32).reshape(-1, 4), np.array(labels, dtype=np.int64)


def source_of(file_name):
    """The source photo of a Roboflow export file (the part before ``.rf.``)."""
    return file_name.split(".rf.")[0]


def is_holdout(file_name, percent=8):
    """Deterministic model-selection split of train/ by source photo (about `percent` % of the sources)."""
    h = int(hashlib.sha256(source_of(file_name).encode()).hexdigest()[:8], 16)
    return h % 100 < percent


def list_split(split, folder=None):
    """-> sorted list of (image path, label path) of train/ or valid/."""
    folder = folder or default_dir()
    img_dir = os.path.join(folder, split, "images")
    if not os.path.isdir(img_dir):
        raise FileNotFoundError(f"expected cinTA_v2 images in {img_dir} (pass --cinta DIR)")
    out = []
    for name in sorted(os.listdir(img_dir)):
        if name.lower().endswith((".jpg", ".jpeg", ".png")):
            stem = os.path.splitext(name)[0]
            out.append((os.path.join(img_dir, name), os.path.join(folder, split, "labels", stem + ".txt")))
    return out
