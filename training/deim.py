"""DEIMv2 (COCO-pretrained, Apache-2.0) made trainable through onnx_torch, with the joint-state class head.

The raw DEIMv2 graph (``../shared/models/deimv2_hgnetv2_{atto,femto}_coco_raw.onnx``) outputs ``pred_logits``
[N, 100, 80] (COCO classes) and ``pred_boxes`` [N, 100, 4]. Two class heads read the 80 COCO classes:

- ``enc_score_head`` (encoder, [64, 80] + bias): its per-token maximum picks the 100 query tokens (``TopK``);
- ``dec_score_head.<last>`` (decoder, [64, 80] + bias): the final logits (plus the LQE quality term).

``replace_class_heads`` gives both heads the joint states (``common.STATES``) instead, every new column and bias
copied from COCO's "traffic light" column (index 9): the model starts as the COCO traffic-light detector, with
all states equally likely, and training separates the states. The rest of the graph is unchanged, so the trained
weights written back into the same graph (``export_deim``) are the raw ``detr_raw`` layout the SDK reads.
"""

import json
import os
import re

import numpy as np
import onnx
import torch

from common import STATES, onnx_metadata
from onnx_torch import OnnxGraphModule

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COCO_TRAFFIC_LIGHT = 9
VARIANTS = {"atto": ("deimv2_hgnetv2_atto_coco_raw.onnx", 320), "femto": ("deimv2_hgnetv2_femto_coco_raw.onnx", 416)}
BACKBONE = "/model/backbone/"
# what stays frozen at the COCO weights (and is cached once per image): the whole backbone (stride-16 output), or
# its stem and first two stages only (stride-8 output), so that stage 2 (276k of the backbone's 387k weights, at
# about the same cost per step) is fine-tuned too
FROZEN = {"backbone": (BACKBONE,),
          "stages01": ("/model/backbone/stem/", "/model/backbone/stages.0/", "/model/backbone/stages.1/")}
TOPK_NODE = "/model/decoder/TopK"
ENC_SCORE = "/model/decoder/enc_score_head/Add_output_0"
ENC_BOX_UNACT = "/model/decoder/Add_output_0"


def shared_models_dir():
    env = os.environ.get("EDGEVISION_SHARED_DIR")
    base = env if env else os.path.join(os.path.dirname(ROOT), "shared")
    return os.path.join(base, "models")


def variant_path(variant):
    if variant not in VARIANTS:
        raise ValueError(f"expected a DEIMv2 variant in {sorted(VARIANTS)}, got {variant!r}")
    return os.path.join(shared_models_dir(), VARIANTS[variant][0])


def _head(g, node_pattern):
    """-> (weight initializer name, bias initializer name) of a MatMul + Add class head."""
    mm = [k for k, n in enumerate(g.node_names) if re.fullmatch(node_pattern + "/MatMul", n)]
    if len(mm) != 1:
        raise ValueError(f"expected one node matching {node_pattern}/MatMul, got {len(mm)}")
    op, ins, outs, _ = g.nodes[mm[0]]
    weight = ins[1]
    for op2, ins2, _, _ in g.nodes:
        if op2 == "Add" and outs[0] in ins2:
            bias = [i for i in ins2 if i != outs[0]][0]
            return weight, bias
    raise ValueError(f"no bias Add after {node_pattern}/MatMul")


def class_heads(g):
    last = max(int(m.group(1)) for n in g.node_names
               for m in [re.match(r"/model/decoder/decoder/dec_score_head\.(\d+)/MatMul", n)] if m)
    return {"enc": _head(g, r"/model/decoder/enc_score_head"),
            "dec": _head(g, rf"/model/decoder/decoder/dec_score_head\.{last}")}


def replace_class_heads(g, num_classes=len(STATES), source_class=COCO_TRAFFIC_LIGHT):
    """Both class heads -> `num_classes` columns, each a copy of COCO column `source_class`."""
    for weight, bias in class_heads(g).values():
        w, b = g.tensor(weight).detach(), g.tensor(bias).detach()
        if w.shape[1] == num_classes:
            continue
        g.replace(weight, w[:, [source_class] * num_classes])
        g.replace(bias, b[[source_class] * num_classes])
    return g


def build(variant="atto", path=None, num_classes=len(STATES)):
    """The COCO DEIMv2 graph as a torch module with the joint-state heads."""
    g = OnnxGraphModule(onnx.load(path or variant_path(variant)))
    return replace_class_heads(g, num_classes)


def topk_index_name(g):
    k = g.node_names.index(TOPK_NODE)
    return g.nodes[k][2][1]


def outputs_with_proposals(out, g):
    """Adds the encoder proposals of the 100 selected tokens: enc_logits [N, 100, C], enc_boxes [N, 100, 4]."""
    idx = out[topk_index_name(g)]
    enc = out[ENC_SCORE]
    enc_logits = torch.gather(enc, 1, idx.unsqueeze(-1).expand(-1, -1, enc.shape[-1]))
    return {"logits": out["pred_logits"], "boxes": out["pred_boxes"], "enc_logits": enc_logits,
            "enc_boxes": torch.sigmoid(out[ENC_BOX_UNACT])}


def extra_outputs(g):
    return [topk_index_name(g), ENC_SCORE, ENC_BOX_UNACT]


def metadata(input_size, extra=None):
    """The SDK metadata of the fine-tuned model (the TinyDETR keys with this model's input size)."""
    meta = onnx_metadata(extra)
    meta["edgevision.input_size"] = f"{input_size}x{input_size}"
    return meta


def export_deim(g, path, input_size, extra_meta=None, doc=None, light_only=False):
    """Writes the graph with the current weights, the joint-state output shape and the SDK metadata; with
    `light_only` a generic one-class "traffic light" detector instead (collapse_to_light, no label schema)."""
    m = g.to_onnx()
    num_classes = g.tensor(class_heads(g)["dec"][1]).shape[0]
    for out in m.graph.output:
        if out.name == "pred_logits":
            dims = out.type.tensor_type.shape.dim
            dims[2].Clear()
            dims[2].dim_value = num_classes
    meta = metadata(input_size, extra_meta)
    if light_only:
        collapse_to_light(m)
        meta["edgevision.labels"] = json.dumps([LIGHT_LABEL])
        del meta["edgevision.label_schema"]
    del m.metadata_props[:]
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    m.producer_name = "edgevision-training"
    m.doc_string = doc or ("EdgeVision traffic-light detector: DEIMv2 (Apache-2.0, COCO-pretrained) fine-tuned on "
                           "cinTA_v2 by wawan-pradana (Roboflow Universe, CC BY 4.0) and synthetic scenes")
    onnx.checker.check_model(m)
    tmp = path + ".tmp"
    onnx.save(m, tmp)
    os.replace(tmp, path)
    return os.path.getsize(path)


LIGHT_LABEL = "traffic light"


def collapse_to_light(m):
    """Turns a joint-state export into a generic one-class detector: pred_logits [N, Q, 1] = the maximum over the
    states' logits (sigmoid is monotonic, so its score is the best state's score, the class-agnostic ranking of
    the joint model). The SDK then treats the file as a generic "traffic light" detector whose states come from
    the second-stage classifier. Modifies and returns the ModelProto."""
    g = m.graph
    out = [o for o in g.output if o.name == "pred_logits"][0]
    for n in g.node:
        n.output[:] = ["pred_state_logits" if o == "pred_logits" else o for o in n.output]
    g.node.append(onnx.helper.make_node("ReduceMax", ["pred_state_logits"], ["pred_logits"], axes=[2], keepdims=1,
                                        name="/edgevision/light_score/ReduceMax"))
    dims = out.type.tensor_type.shape.dim
    dims[2].Clear()
    dims[2].dim_value = 1
    return m


def labels_json():
    return json.dumps(STATES)


def preprocess(img_uint8_hwc):
    """uint8 HxWx3 RGB (already at the input size) -> float [3, H, W] in [0, 1]."""
    return torch.from_numpy(np.ascontiguousarray(img_uint8_hwc)).permute(2, 0, 1).float() / 255.0
