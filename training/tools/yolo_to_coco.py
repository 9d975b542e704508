"""Converts a YOLO folder (images/ + labels/ + data.yaml) into a COCO JSON the SDK's `eval` reads.

    /usr/bin/python3 training/tools/yolo_to_coco.py ../shared/data/traffic_lights/cinta_v2/valid OUT.json

Writes OUT.json only (the images stay where they are: pass the folder's images/ as `eval --images`). Categories
are the joint states of the label schema (id = head index + 1, as the committed validation set's
annotations.json), so `eval` scores class-agnostic AP and the joint state; YOLO class names are mapped by name
(cinTA_v2: 0 green, 1 red, 2 yellow). A class name that is not a joint state stops with a message. Boxes are
converted from normalised (cx, cy, w, h) to pixel [x, y, w, h] with the image's real size.

`--single-category "traffic light"` writes every box as that one category instead (for `eval` of a generic
COCO detector, which is scored on its "traffic light" class alone; the state is then not scored).
"""

import argparse
import json
import os
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import STATE_INDEX, coco_categories, label_schema  # noqa: E402


def read_names(folder):
    """Class names from data.yaml next to (or one level above) the split folder: the `names:` list."""
    for cand in (os.path.join(folder, "data.yaml"), os.path.join(os.path.dirname(folder.rstrip("/")), "data.yaml")):
        if os.path.exists(cand):
            names, inside = [], False
            with open(cand) as f:
                for line in f:
                    s = line.rstrip("\n")
                    if s.startswith("names:"):
                        rest = s[len("names:"):].strip()
                        if rest.startswith("["):  # names: ['a', 'b']
                            return [n.strip().strip("'\"") for n in rest.strip("[]").split(",") if n.strip()]
                        inside = True
                        continue
                    if inside:
                        if s.startswith("- ") or s.startswith("  - "):
                            names.append(s.split("-", 1)[1].strip().strip("'\""))
                        elif s and not s.startswith(" "):
                            break
            if names:
                return names
    raise FileNotFoundError(f"expected data.yaml with a names: list in {folder} or its parent")


def single_category(coco, name):
    """All boxes as one category `name` (id 1); the joint state stays in each annotation's `state`."""
    out = dict(coco)
    out["categories"] = [{"id": 1, "name": name, "supercategory": name}]
    out["annotations"] = [dict(a, category_id=1) for a in coco["annotations"]]
    out.pop("label_schema", None)
    return out


def convert(folder, names=None):
    names = names or read_names(folder)
    for n in names:
        if n not in STATE_INDEX:
            raise ValueError(f"YOLO class {n!r} is not a joint state of the label schema {list(STATE_INDEX)}")
    img_dir, lab_dir = os.path.join(folder, "images"), os.path.join(folder, "labels")
    images, anns = [], []
    for k, name in enumerate(sorted(f for f in os.listdir(img_dir) if f.lower().endswith((".jpg", ".jpeg", ".png")))):
        w, h = Image.open(os.path.join(img_dir, name)).size
        images.append({"id": k + 1, "file_name": name, "width": w, "height": h})
        lab = os.path.join(lab_dir, os.path.splitext(name)[0] + ".txt")
        if not os.path.exists(lab):
            continue
        with open(lab) as f:
            for line in f:
                p = line.split()
                if len(p) != 5:
                    continue
                c = int(p[0])
                if not 0 <= c < len(names):
                    raise ValueError(f"{lab}: class {c} outside 0..{len(names) - 1}")
                cx, cy, bw, bh = (float(v) for v in p[1:])
                x, y = (cx - bw / 2) * w, (cy - bh / 2) * h
                state = names[c]
                anns.append({"id": len(anns) + 1, "image_id": k + 1, "category_id": STATE_INDEX[state] + 1,
                             "bbox": [round(x, 3), round(y, 3), round(bw * w, 3), round(bh * h, 3)],
                             "area": round(bw * w * bh * h, 3), "iscrowd": 0, "state": state})
    return {"images": images, "annotations": anns, "categories": coco_categories(), "label_schema": label_schema()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="YOLO split folder with images/ and labels/")
    ap.add_argument("out", help="COCO JSON to write")
    ap.add_argument("--single-category", help="write every box as this one category (e.g. 'traffic light')")
    args = ap.parse_args()
    coco = convert(args.folder)
    if args.single_category:
        coco = single_category(coco, args.single_category)
    with open(args.out, "w") as f:
        json.dump(coco, f)
    print(f"{args.out}: {len(coco['images'])} images, {len(coco['annotations'])} boxes")


if __name__ == "__main__":
    main()
