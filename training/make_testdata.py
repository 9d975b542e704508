"""Writes the committed validation set and tracker sequences.

    /usr/bin/python3 training/make_testdata.py [--out detectors/src/test/resources/trafficlights]

Validation set: VAL_COUNT scenes from seeds VAL_SEED0.. (every third scene forced dense), 320x320 JPEG
quality 85, plus annotations.json (COCO). Sequences: one per kind in sequences.KINDS, each a folder with
sequence.json and frame_NNN.jpg. Training never uses these seeds (training seeds start at 10,000,000).
"""

import argparse
import io
import json
import os
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import STATE_ARROW, STATE_COLOUR, STATE_INDEX, STATES, coco_categories, label_schema  # noqa: E402
from scenes import ARROW_MIN_SHORT, generate_scene  # noqa: E402
from sequences import KINDS, generate_sequence  # noqa: E402

VAL_COUNT = 48
VAL_SEED0 = 1
SEQ_SEED0 = 900
SEQ_FRAMES = 24
JPEG_QUALITY = 85
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "detectors", "src", "test", "resources", "trafficlights")


def jpeg_bytes(img, quality=JPEG_QUALITY):
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def val_scene_args(i):
    """(seed, dense) of validation scene i."""
    return VAL_SEED0 + i, (True if i % 3 == 2 else None)


def write_validation(out):
    images, anns = [], []
    os.makedirs(out, exist_ok=True)
    for i in range(VAL_COUNT):
        seed, dense = val_scene_args(i)
        img, lights, meta = generate_scene(seed, dense=dense)
        name = f"scene_{i:03d}.jpg"
        with open(os.path.join(out, name), "wb") as f:
            f.write(jpeg_bytes(img))
        images.append({"id": i + 1, "file_name": name, "width": img.shape[1], "height": img.shape[0],
                       "seed": meta["seed"], "dense": meta["dense"], "time_of_day": meta["time_of_day"]})
        for L in lights:
            x, y, w, h = [round(v, 2) for v in L.box()]
            anns.append({
                "id": len(anns) + 1, "image_id": i + 1, "category_id": STATE_INDEX[L.state] + 1,
                "bbox": [x, y, w, h], "area": round(w * h, 2), "iscrowd": 0, "state": L.state,
                "attributes": {"state": L.state, "colour": STATE_COLOUR[L.state], "arrow": STATE_ARROW[L.state],
                               "orientation": L.orientation, "occluded": L.occluded, "row": L.row},
            })
    coco = {
        "info": {"description": "EdgeVision synthetic traffic-light validation set (training/make_testdata.py)",
                 "version": "1", "generator": "training/scenes.py", "seeds": [VAL_SEED0, VAL_SEED0 + VAL_COUNT - 1],
                 "arrow_min_short_px": ARROW_MIN_SHORT, "jpeg_quality": JPEG_QUALITY,
                 "bbox": "COCO [x, y, width, height] of the housing, pixels, top-left origin"},
        "label_schema": label_schema(),
        "images": images, "annotations": anns, "categories": coco_categories(),
    }
    with open(os.path.join(out, "annotations.json"), "w") as f:
        json.dump(coco, f, indent=1)
    return len(images), len(anns)


def write_sequences(out):
    names = []
    for k, kind in enumerate(KINDS):
        name = f"seq_{k + 1:02d}_{kind}"
        folder = os.path.join(out, "sequences", name)
        os.makedirs(folder, exist_ok=True)
        frames, meta = generate_sequence(SEQ_SEED0 + k, kind, n_frames=SEQ_FRAMES)
        recs = []
        for f, (img, objects, dets) in enumerate(frames):
            fn = f"frame_{f:03d}.jpg"
            with open(os.path.join(folder, fn), "wb") as fh:
                fh.write(jpeg_bytes(img, quality=80))
            recs.append({"index": f, "file": fn, "objects": objects, "detections": dets})
        doc = dict(meta, name=name, frames=recs)
        with open(os.path.join(folder, "sequence.json"), "w") as fh:
            json.dump(doc, fh, indent=1)
        names.append(name)
    with open(os.path.join(out, "sequences", "index.json"), "w") as fh:
        json.dump({"format": "edgevision-trafficlight-sequences-index-v1", "sequences": names}, fh, indent=1)
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    n_img, n_ann = write_validation(args.out)
    names = write_sequences(args.out)
    total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(args.out) for f in fs)
    print(f"validation: {n_img} images, {n_ann} lights; sequences: {', '.join(names)}; "
          f"{total / 1e6:.2f} MB in {args.out}")


if __name__ == "__main__":
    main()
