"""Label schema, model descriptor and small helpers shared by the generator, training and export."""

import json

# Joint traffic-light states in head output order (the single sigmoid class head).
STATES = ["red", "yellow", "green", "red_left", "green_left", "off"]
STATE_INDEX = {s: i for i, s in enumerate(STATES)}
STATE_COLOUR = {"red": "red", "yellow": "yellow", "green": "green",
                "red_left": "red", "green_left": "green", "off": "off"}
STATE_ARROW = {"red": "none", "yellow": "none", "green": "none",
               "red_left": "left", "green_left": "left", "off": "none"}
NUM_CLASSES = len(STATES)

INPUT_SIZE = 320
SCHEMA_NAME = "edgevision-traffic-lights-v1"


def label_schema():
    """The label schema in the postprocess module's JSON format (classes in head order)."""
    return {
        "name": SCHEMA_NAME,
        "classes": [{"name": s, "colour": STATE_COLOUR[s], "arrows": [STATE_ARROW[s]]} for s in STATES],
    }


def onnx_metadata(extra=None):
    """The edgevision.* metadata_props the SDK reads (all values are strings)."""
    meta = {
        "edgevision.input_name": "images",
        "edgevision.input_size": f"{INPUT_SIZE}x{INPUT_SIZE}",
        "edgevision.resize": "stretch",
        "edgevision.color": "rgb",
        "edgevision.scale": "0.00392156862745098",
        "edgevision.layout": "nchw",
        "edgevision.output_layout": "detr_raw",
        "edgevision.labels": json.dumps(STATES),
        "edgevision.label_schema": json.dumps(label_schema()),
    }
    if extra:
        meta.update({k: str(v) for k, v in extra.items()})
    return meta


def coco_categories():
    """COCO categories: id = head index + 1 (COCO ids start at 1)."""
    return [{"id": i + 1, "name": s, "supercategory": "traffic_light",
             "colour": STATE_COLOUR[s], "arrows": [STATE_ARROW[s]]} for i, s in enumerate(STATES)]
