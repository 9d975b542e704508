"""Checks of the real-photo pieces: the ONNX-to-torch interpreter, the DEIMv2 head swap and export, the cinTA_v2
reader and split, the YOLO -> COCO converter, the varied scene look and the state classifier's crops/export.

    /usr/bin/python3 -m unittest discover -s training -p 'test_*.py'

The DEIMv2 tests need ../shared/models (or $EDGEVISION_SHARED_DIR/models); they are skipped with a reason when it
is absent, and fail instead when EDGEVISION_REQUIRE_SHARED=true.
"""

import json
import os
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools"))
import cinta  # noqa: E402
import deim  # noqa: E402
import finetune_deim  # noqa: E402
import onnx_torch  # noqa: E402
import state_classifier  # noqa: E402
import yolo_to_coco  # noqa: E402
from common import STATE_INDEX, STATES  # noqa: E402
from scenes import generate_scene  # noqa: E402


def run_single(op, inputs, attrs=None, n_out=1, inits=None):
    """Builds a one-node ONNX graph (inputs: name -> array; inits: initializer name -> array) and runs it with
    onnx_torch; returns the outputs as numpy."""
    inits = inits or {}
    names = list(inputs) + list(inits)
    outs = [f"y{i}" for i in range(n_out)]
    node = helper.make_node(op, names, outs, **(attrs or {}))
    g = helper.make_graph([node], "t", [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in inputs],
                          [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outs],
                          [numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()])
    m = onnx_torch.OnnxGraphModule(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]))
    first = list(inputs)[0]
    m.input_name = first
    env = m._env()
    env.update({k: torch.from_numpy(np.asarray(v)) for k, v in inputs.items()})
    m._execute(env, lambda name: True)
    return [env[o].detach().numpy() for o in outs]


X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


class OnnxTorchOpsTest(unittest.TestCase):
    # (op, inputs, initializers, attributes, expected) — the ONNX semantics that differ from a naive torch call
    CASES = [
        # Reshape: 0 copies the input dimension, -1 is inferred
        ("Reshape", {"x": X}, {"s": np.array([0, -1], np.int64)}, {}, X.reshape(2, 12)),
        # Slice: negative start, an "until the end" INT64_MAX end, explicit axes
        ("Slice", {"x": X}, {"st": np.array([-2], np.int64), "en": np.array([2 ** 63 - 1], np.int64),
                             "ax": np.array([2], np.int64)}, {}, X[:, :, -2:]),
        # Gather with a scalar index drops the axis; negative indices count from the end
        ("Gather", {"x": X}, {"i": np.array(-1, np.int64)}, {"axis": 1}, X[:, -1]),
        ("Gather", {"x": X}, {"i": np.array([[0, 2]], np.int64)}, {"axis": 2}, X[:, :, [[0, 2]]]),
        # Unsqueeze of several axes at once (positions in the output)
        ("Unsqueeze", {"x": X}, {"a": np.array([0, 4], np.int64)}, {}, X[None, :, :, :, None]),
        # Pad: ONNX [begin..., end...] order, here the last axis 1 before and 2 after
        ("Pad", {"x": X}, {"p": np.array([0, 0, 1, 0, 0, 2], np.int64)}, {},
         np.pad(X, [(0, 0), (0, 0), (1, 2)])),
        # ReduceSum with axes as an input (opset 13+), keepdims
        ("ReduceSum", {"x": X}, {"a": np.array([1], np.int64)}, {"keepdims": 1}, X.sum(1, keepdims=True)),
        # ReduceMax with axes attribute, keepdims 0
        ("ReduceMax", {"x": X}, {}, {"axes": [-1], "keepdims": 0}, X.max(-1)),
        # Gemm with a transposed B and alpha/beta
        ("Gemm", {"x": X[0]}, {"b": np.ones((2, 4), np.float32), "c": np.ones(2, np.float32)},
         {"transB": 1, "alpha": 0.5, "beta": 2.0}, 0.5 * X[0] @ np.ones((4, 2)) + 2.0),
        # GatherElements along the last axis
        ("GatherElements", {"x": X}, {"i": np.zeros((2, 3, 1), np.int64) + 3}, {"axis": 2}, X[:, :, 3:4]),
        # Tile
        ("Tile", {"x": X}, {"r": np.array([1, 2, 1], np.int64)}, {}, np.tile(X, (1, 2, 1))),
        # Clip with only a max
        ("Clip", {"x": X}, {"lo": np.array(3.0, np.float32), "hi": np.array(5.0, np.float32)}, {},
         np.clip(X, 3, 5)),
    ]

    def test_ops_table(self):
        for op, ins, inits, attrs, expected in self.CASES:
            with self.subTest(op=op, attrs=attrs):
                out = run_single(op, ins, attrs, inits=inits)[0]
                np.testing.assert_allclose(out, expected, rtol=1e-6)

    def test_integer_div_truncates_and_topk_returns_indices(self):
        q = run_single("Div", {"a": np.array([7, -7], np.int64)}, inits={"b": np.array([2, 2], np.int64)})[0]
        np.testing.assert_array_equal(q, [3, -3])  # ONNX integer Div truncates toward zero
        v, i = run_single("TopK", {"x": np.array([[1.0, 5.0, 3.0]], np.float32)},
                          inits={"k": np.array([2], np.int64)}, n_out=2)
        np.testing.assert_array_equal(v, [[5.0, 3.0]])
        np.testing.assert_array_equal(i, [[1, 2]])

    def test_split_and_resize_nearest(self):
        a, b = run_single("Split", {"x": X}, {"axis": 2}, n_out=2, inits={"s": np.array([1, 3], np.int64)})
        np.testing.assert_array_equal(a, X[:, :, :1])
        np.testing.assert_array_equal(b, X[:, :, 1:])
        img = np.arange(4, dtype=np.float32).reshape(1, 1, 2, 2)
        up = run_single("Resize", {"x": img}, {"mode": "nearest", "coordinate_transformation_mode": "asymmetric",
                                               "nearest_mode": "floor"},
                        inits={"roi": np.zeros(0, np.float32), "sc": np.array([1, 1, 2, 2], np.float32)})[0]
        np.testing.assert_array_equal(up[0, 0], [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]])

    def test_unknown_op_is_named(self):
        node = helper.make_node("Erf", ["x"], ["y"])
        g = helper.make_graph([node], "t", [helper.make_tensor_value_info("x", TensorProto.FLOAT, None)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
        with self.assertRaisesRegex(NotImplementedError, "Erf"):
            onnx_torch.OnnxGraphModule(helper.make_model(g))


def conv_graph():
    """images [N,2,4,4] -> Conv(w, b) -> Mul(scale constant) -> y; plus a 0-d int constant in a Reshape."""
    rng = np.random.default_rng(0)
    inits = [numpy_helper.from_array(rng.normal(size=(3, 2, 3, 3)).astype(np.float32), "onnx::Conv_1"),
             numpy_helper.from_array(rng.normal(size=3).astype(np.float32), "onnx::Conv_2"),
             numpy_helper.from_array(np.array(2.0, np.float32), "/Constant_output_0"),
             numpy_helper.from_array(np.array([0, -1], np.int64), "/shape")]
    nodes = [helper.make_node("Conv", ["images", "onnx::Conv_1", "onnx::Conv_2"], ["c"], pads=[1, 1, 1, 1],
                              name="/model/backbone/conv"),
             helper.make_node("Mul", ["c", "/Constant_output_0"], ["m"], name="/model/head/mul"),
             helper.make_node("Reshape", ["m", "/shape"], ["y"], name="/model/head/reshape")]
    g = helper.make_graph(nodes, "t", [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["N", 2, 4, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 48])], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


class OnnxTorchTrainingTest(unittest.TestCase):
    def test_weights_are_parameters_constants_are_not(self):
        m = onnx_torch.OnnxGraphModule(conv_graph())
        self.assertEqual(sorted(m.key_of), ["onnx::Conv_1", "onnx::Conv_2"])
        x = torch.rand(2, 2, 4, 4)
        m(x)["y"].sum().backward()
        self.assertIsNotNone(m.tensor("onnx::Conv_1").grad)

    def test_round_trip_writes_trained_weights_and_keeps_scalars(self):
        m = onnx_torch.OnnxGraphModule(conv_graph())
        with torch.no_grad():
            m.tensor("onnx::Conv_2").add_(1.0)
        x = torch.rand(1, 2, 4, 4)
        expected = m(x)["y"].detach()
        proto = m.to_onnx()
        onnx.checker.check_model(proto)
        scal = [t for t in proto.graph.initializer if t.name == "/Constant_output_0"][0]
        self.assertEqual(numpy_helper.to_array(scal).shape, ())
        again = onnx_torch.OnnxGraphModule(proto)
        torch.testing.assert_close(again(x)["y"], expected)

    def test_freeze_and_split_at_a_prefix(self):
        m = onnx_torch.OnnxGraphModule(conv_graph())
        self.assertEqual(m.freeze(["/model/backbone/"]), 3 * 2 * 3 * 3 + 3)
        self.assertFalse(m.tensor("onnx::Conv_1").requires_grad)
        x = torch.rand(2, 2, 4, 4)
        cut = m.forward_part("/model/backbone/", x)
        self.assertEqual(list(cut), ["c"])
        torch.testing.assert_close(m.forward_rest("/model/backbone/", cut)["y"], m(x)["y"])


def shared_model(variant):
    path = deim.variant_path(variant)
    if not os.path.exists(path):
        if os.environ.get("EDGEVISION_REQUIRE_SHARED", "").lower() == "true":
            raise AssertionError(f"EDGEVISION_REQUIRE_SHARED=true but {path} is missing")
        raise unittest.SkipTest(f"shared DEIMv2 model not found at {path} (set EDGEVISION_SHARED_DIR)")
    return path


class DeimTest(unittest.TestCase):
    def test_heads_become_joint_states_copied_from_coco_traffic_light(self):
        path = shared_model("atto")
        torch.set_num_threads(2)
        coco = onnx_torch.load(path)
        g = deim.build("atto", path)
        for kind, (w, b) in deim.class_heads(g).items():
            with self.subTest(head=kind):
                self.assertEqual(tuple(g.tensor(w).shape), (coco.tensor(w).shape[0], len(STATES)))
                for k in range(len(STATES)):
                    torch.testing.assert_close(g.tensor(w)[:, k], coco.tensor(w)[:, deim.COCO_TRAFFIC_LIGHT])
                    torch.testing.assert_close(g.tensor(b)[k], coco.tensor(b)[deim.COCO_TRAFFIC_LIGHT])

    def test_each_frozen_cut_runs_as_the_whole_graph_and_freezes_only_its_part(self):
        path = shared_model("atto")
        torch.set_num_threads(2)
        x = torch.rand(2, 3, 320, 320)
        with torch.no_grad():
            ref = deim.build("atto", path)(x)
        for name, prefixes in deim.FROZEN.items():
            with self.subTest(frozen=name):
                g = deim.build("atto", path)
                with torch.no_grad():
                    cut = g.forward_part(prefixes, x)
                    out = g.forward_rest(prefixes, cut)
                self.assertEqual(len(cut), 1)                      # one tensor crosses the cut
                for k in ("pred_logits", "pred_boxes"):
                    torch.testing.assert_close(out[k], ref[k], rtol=1e-4, atol=1e-4)
                frozen = g.freeze(list(prefixes))
                stage2 = [p for n, key in g.key_of.items() if g.node_of[n].startswith("/model/backbone/stages.2/")
                          for p in [g.params[key]]]
                self.assertTrue(stage2)
                self.assertEqual(all(not p.requires_grad for p in stage2), name == "backbone")
                self.assertGreater(frozen, 0)

    def test_export_runs_as_the_module_and_carries_the_metadata(self):
        path = shared_model("atto")
        torch.set_num_threads(2)
        g = deim.build("atto", path)
        x = torch.rand(1, 3, 320, 320)
        with torch.no_grad():
            ref = g(x)
            with tempfile.TemporaryDirectory() as d:
                out = os.path.join(d, "m.onnx")
                deim.export_deim(g, out, 320, {"training.steps": 0})
                m = onnx.load(out)
                again = onnx_torch.OnnxGraphModule(m)(x)
                light = os.path.join(d, "light.onnx")
                deim.export_deim(g, light, 320, light_only=True)
                ml = onnx.load(light)
                one = onnx_torch.OnnxGraphModule(ml)(x)
        # the generic one-class file: its single logit is the best state's logit, labels ["traffic light"]
        meta_l = {p.key: p.value for p in ml.metadata_props}
        self.assertEqual(json.loads(meta_l["edgevision.labels"]), [deim.LIGHT_LABEL])
        self.assertNotIn("edgevision.label_schema", meta_l)
        self.assertEqual(ml.graph.output[0].type.tensor_type.shape.dim[2].dim_value, 1)
        torch.testing.assert_close(one["pred_logits"], ref["pred_logits"].max(-1, keepdim=True).values)
        torch.testing.assert_close(one["pred_boxes"], ref["pred_boxes"])
        meta = {p.key: p.value for p in m.metadata_props}
        self.assertEqual(meta["edgevision.input_size"], "320x320")
        self.assertEqual(meta["edgevision.output_layout"], "detr_raw")
        self.assertEqual(json.loads(meta["edgevision.labels"]), STATES)
        self.assertEqual(m.graph.output[0].type.tensor_type.shape.dim[2].dim_value, len(STATES))
        self.assertEqual(tuple(ref["pred_logits"].shape), (1, 100, len(STATES)))
        torch.testing.assert_close(again["pred_logits"], ref["pred_logits"])
        torch.testing.assert_close(again["pred_boxes"], ref["pred_boxes"])


class StubCache:
    """Two cached 'images' whose outputs a StubModel returns: image 0 has one light, image 1 none."""
    cut = "x"
    frozen = "backbone"
    targets = [{"boxes": torch.tensor([[0.5, 0.5, 0.2, 0.2]]), "labels": torch.tensor([0])},
               {"boxes": torch.zeros(0, 4), "labels": torch.zeros(0, dtype=torch.long)}]

    def __len__(self):
        return 2

    def batch(self, idx):
        return {"x": torch.zeros(len(idx))}, [self.targets[i] for i in idx]


class StubModel:
    def eval(self):
        return self

    def forward_rest(self, prefix, cut):
        logit = lambda p: float(np.log(p / (1 - p)))  # noqa: E731
        logits = torch.full((2, 3, 1), -9.0)
        boxes = torch.tensor([[0.5, 0.5, 0.2, 0.2], [0.1, 0.1, 0.1, 0.1], [0.8, 0.8, 0.1, 0.1]]).repeat(2, 1, 1)
        logits[0, 0, 0] = logit(0.6)   # the true light, score 0.6
        logits[0, 1, 0] = logit(0.4)   # a false light in image 0, score 0.4
        logits[1, 2, 0] = logit(0.2)   # a false light in image 1, score 0.2
        return {"pred_logits": logits, "pred_boxes": boxes}


class CalibrationTest(unittest.TestCase):
    def test_best_f1_threshold_drops_the_false_lights_and_keeps_the_true_one(self):
        f1, t = finetune_deim.best_f1_threshold(StubModel(), StubCache(), 320)
        self.assertAlmostEqual(f1, 1.0)
        self.assertGreater(t, 0.4)   # above both false scores
        self.assertLessEqual(t, 0.6)  # at most the true score

    def test_pooled_splits_and_ignored_lights(self):
        # two copies pooled: the same best point as one
        self.assertEqual(finetune_deim.best_f1_threshold(StubModel(), [StubCache(), StubCache()], 320),
                         finetune_deim.best_f1_threshold(StubModel(), StubCache(), 320))
        # the 0.4 light of image 0 is a teacher-labelled one: ignored, only the 0.2 false light must be cut
        cache = StubCache()
        cache.ignore = [finetune_deim.xyxy_pixels([[0.1, 0.1, 0.1, 0.1]], 1.0), np.zeros((0, 4))]
        f1, t = finetune_deim.best_f1_threshold(StubModel(), cache, 320, ignore=True)
        self.assertAlmostEqual(f1, 1.0)
        self.assertGreater(t, 0.2)
        self.assertLessEqual(t, 0.4)  # the first grid point above 0.2


def write_yolo(folder, names, files):
    """files: name -> (width, height, label lines)."""
    os.makedirs(os.path.join(folder, "images"))
    os.makedirs(os.path.join(folder, "labels"))
    with open(os.path.join(folder, "data.yaml"), "w") as f:
        f.write("names:\n" + "".join(f"- {n}\n" for n in names) + f"nc: {len(names)}\n")
    for name, (w, h, lines) in files.items():
        Image.new("RGB", (w, h)).save(os.path.join(folder, "images", name))
        with open(os.path.join(folder, "labels", os.path.splitext(name)[0] + ".txt"), "w") as f:
            f.write("\n".join(lines))


class PseudoLabelTest(unittest.TestCase):
    """The teacher's extra lights: which are kept, how they train (state unknown) and how metrics ignore them."""

    def test_teacher_extras_skip_labelled_weak_and_duplicate_lights(self):
        truth = np.array([[0.5, 0.5, 0.1, 0.2]])
        boxes = np.array([[0.5, 0.5, 0.1, 0.2],     # the labelled light itself: skipped (IoU 1)
                          [0.5, 0.45, 0.06, 0.08],  # a lamp inside the labelled housing: skipped (IoM 1)
                          [0.2, 0.2, 0.05, 0.1],    # an unlabelled light, score 0.9: kept
                          [0.205, 0.2, 0.05, 0.1],  # its duplicate, lower score: skipped (IoU >= 0.5)
                          [0.8, 0.8, 0.05, 0.1]])   # a light scored below the threshold: skipped
        score = np.array([0.95, 0.8, 0.9, 0.7, 0.3])
        extra = finetune_deim.teacher_extras(score, boxes, truth, 0.4)
        self.assertEqual(len(extra), 1)
        np.testing.assert_allclose(extra[0], [0.2, 0.2, 0.05, 0.1, 0.9])
        # no labelled light at all: every strong one is kept, best first, but the duplicate; the lamp box overlaps
        # the housing by IoU 0.24 only, so it stays (duplicates are judged by IoU alone)
        self.assertEqual([e[4] for e in finetune_deim.teacher_extras(score, boxes, np.zeros((0, 4)), 0.4)],
                         [0.95, 0.9, 0.8])

    def test_any_state_matches_and_trains_the_best_scored_class(self):
        from losses import ANY_STATE, hungarian_match, set_loss
        logits = torch.full((1, 2, 3), -4.0)
        logits[0, 0, 2] = 3.0  # query 0: sure of class 2 at the right place
        logits[0, 1, 0] = 0.0  # query 1: unsure, elsewhere
        boxes = torch.tensor([[[0.5, 0.5, 0.2, 0.2], [0.1, 0.1, 0.1, 0.1]]])
        targets = [{"boxes": torch.tensor([[0.5, 0.5, 0.2, 0.2]]), "labels": torch.tensor([ANY_STATE])}]
        idx = hungarian_match(logits, boxes, targets)
        self.assertEqual(idx[0][0].tolist(), [0])
        logits.requires_grad_(True)
        set_loss(logits, boxes, targets, idx, 1.0)["cls"].backward()
        # class 2 (the best now) is pushed up at query 0, the other classes down: the light, not a state, is taught
        self.assertLess(float(logits.grad[0, 0, 2]), 0)
        self.assertGreater(float(logits.grad[0, 0, 0]), 0)
        self.assertGreater(float(logits.grad[0, 0, 1]), 0)

    def test_ignored_lights_are_neither_true_nor_false_positives(self):
        logit = lambda p: float(np.log(p / (1 - p)))  # noqa: E731
        logits = np.full((1, 3, 1), -9.0)
        logits[0, 0, 0] = logit(0.9)  # on the teacher's unlabelled light
        logits[0, 1, 0] = logit(0.6)  # the labelled light
        logits[0, 2, 0] = logit(0.8)  # a plain false light
        boxes = np.array([[[0.2, 0.2, 0.1, 0.1], [0.5, 0.5, 0.2, 0.2], [0.8, 0.8, 0.1, 0.1]]])
        targets = [{"boxes": torch.tensor([[0.5, 0.5, 0.2, 0.2]]), "labels": torch.tensor([0])}]
        ignore = [finetune_deim.xyxy_pixels([[0.2, 0.2, 0.1, 0.1]], 1.0)]
        plain = finetune_deim.detection_metrics(logits, boxes, targets, 320)
        ignored = finetune_deim.detection_metrics(logits, boxes, targets, 320, ignore=ignore)
        self.assertAlmostEqual(plain["precision@0.3"], 1 / 3)
        self.assertAlmostEqual(ignored["precision@0.3"], 1 / 2)  # the plain false light still counts
        self.assertLess(plain["ap50_class_agnostic"], ignored["ap50_class_agnostic"])

    def test_pseudo_file_joins_targets_only_when_asked_and_is_required_then(self):
        with tempfile.TemporaryDirectory() as d:
            np.save(os.path.join(d, "cache_train.npy"), np.zeros((2, 1), dtype=np.float16))
            with open(os.path.join(d, "cache_train.json"), "w") as f:
                json.dump({"cut": "x", "variant": "femto", "size": 416, "frozen": "stages01",
                           "items": [{"item": ["cinta", "a.jpg"], "boxes": [[0.5, 0.5, 0.1, 0.2]], "labels": [2]},
                                     {"item": ["cinta", "b.jpg"], "boxes": [], "labels": []}]}, f)
            with open(os.path.join(d, "cache_train.done"), "w") as f:
                f.write("2")
            with self.assertRaisesRegex(SystemExit, "no teacher labels for split train"):
                finetune_deim.Cached(d, "train", pseudo=True)
            with open(finetune_deim.pseudo_path(d, "train"), "w") as f:
                json.dump({"items": [[[0.2, 0.2, 0.05, 0.1, 0.9]], []]}, f)
            plain = finetune_deim.Cached(d, "train")
            self.assertEqual(plain.targets[0]["labels"].tolist(), [2])
            np.testing.assert_allclose(plain.ignore[0], [[0.175, 0.15, 0.225, 0.25]])
            used = finetune_deim.Cached(d, "train", pseudo=True)
            self.assertEqual(used.targets[0]["labels"].tolist(), [2, -1])
            self.assertEqual(used.targets[1]["boxes"].shape, (0, 4))


class TeacherIgnoreTest(unittest.TestCase):
    """train --teacher-ignore: queries on the teacher's weaker lights get no classification loss."""

    # (band of teacher lights, targets, expected ignore boxes) for ignore_boxes; each with a comment
    BANDS = [
        ([[0.2, 0.2, 0.05, 0.1, 0.3]], [[0.5, 0.5, 0.1, 0.2]], [[0.2, 0.2, 0.05, 0.1]]),  # elsewhere: kept
        ([[0.5, 0.5, 0.1, 0.2, 0.9]], [[0.5, 0.5, 0.1, 0.2]], []),       # a target already (the >= 0.4 ones): dropped
        ([[0.51, 0.5, 0.1, 0.2, 0.2]], [[0.5, 0.5, 0.1, 0.2]], []),      # IoU 0.82 with a target: dropped
        ([[0.2, 0.2, 0.05, 0.1, 0.3]], np.zeros((0, 4)), [[0.2, 0.2, 0.05, 0.1]]),  # no targets: all kept
        ([], [[0.5, 0.5, 0.1, 0.2]], []),                                # nothing seen
    ]

    def test_ignore_boxes_leave_out_what_a_target_covers(self):
        for band, targets, expected in self.BANDS:
            with self.subTest(band=band):
                got = finetune_deim.ignore_boxes(band, np.asarray(targets, dtype=np.float64).reshape(-1, 4))
                np.testing.assert_allclose(np.asarray(got).reshape(-1, 4), np.asarray(expected).reshape(-1, 4))

    def test_unmatched_queries_on_ignore_boxes_get_no_classification_loss(self):
        from losses import hungarian_match, ignored_queries, set_loss
        logits = torch.full((1, 3, 1), -4.0)
        logits[0, 0, 0] = 2.0   # query 0: on the labelled light
        logits[0, 1, 0] = 1.0   # query 1: on the teacher's weak light (ignore box)
        logits[0, 2, 0] = 1.0   # query 2: on plain background, as sure as query 1
        boxes = torch.tensor([[[0.5, 0.5, 0.2, 0.2], [0.2, 0.2, 0.1, 0.1], [0.8, 0.8, 0.1, 0.1]]])
        base = {"boxes": torch.tensor([[0.5, 0.5, 0.2, 0.2]]), "labels": torch.tensor([0])}
        # the ignore box sits on the labelled light too: the matched query is never ignored
        targets = [dict(base, ignore=torch.tensor([[0.2, 0.2, 0.1, 0.1], [0.5, 0.5, 0.2, 0.2]]))]
        idx = hungarian_match(logits, boxes, targets)
        self.assertEqual(idx[0][0].tolist(), [0])
        self.assertEqual(ignored_queries(boxes, targets, idx)[0].tolist(), [False, True, False])
        logits.requires_grad_(True)
        set_loss(logits, boxes, targets, idx, 1.0)["cls"].backward()
        self.assertEqual(float(logits.grad[0, 1, 0]), 0.0)          # neither pushed up nor down
        self.assertGreater(float(logits.grad[0, 2, 0]), 0.0)        # background: pushed down as before
        self.assertLess(float(logits.grad[0, 0, 0]), 0.0)           # the light: pushed up
        plain = set_loss(logits.detach(), boxes, [base], idx, 1.0)["cls"]
        self.assertGreater(float(plain), float(set_loss(logits.detach(), boxes, targets, idx, 1.0)["cls"]))

    def test_cached_reads_the_named_band_and_requires_it(self):
        with tempfile.TemporaryDirectory() as d:
            np.save(os.path.join(d, "cache_train.npy"), np.zeros((1, 1), dtype=np.float16))
            with open(os.path.join(d, "cache_train.json"), "w") as f:
                json.dump({"cut": "x", "variant": "femto", "size": 416, "frozen": "stages01",
                           "items": [{"item": ["cinta", "a.jpg"], "boxes": [[0.5, 0.5, 0.1, 0.2]], "labels": [2]}]}, f)
            with open(os.path.join(d, "cache_train.done"), "w") as f:
                f.write("1")
            with self.assertRaisesRegex(SystemExit, "teacher_low_train.json"):
                finetune_deim.Cached(d, "train", teacher_ignore="teacher_low")
            with open(finetune_deim.pseudo_path(d, "train", "teacher_low"), "w") as f:
                json.dump({"items": [[[0.5, 0.5, 0.1, 0.2, 0.9], [0.2, 0.2, 0.05, 0.1, 0.2]]]}, f)
            c = finetune_deim.Cached(d, "train", teacher_ignore="teacher_low")
            self.assertEqual(c.targets[0]["labels"].tolist(), [2])
            np.testing.assert_allclose(c.targets[0]["ignore"].numpy(), [[0.2, 0.2, 0.05, 0.1]])
            self.assertNotIn("ignore", finetune_deim.Cached(d, "train").targets[0])


class CintaAndConverterTest(unittest.TestCase):
    def test_labels_map_yolo_classes_to_joint_states(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "a.txt")
            with open(p, "w") as f:
                f.write("0 0.5 0.5 0.1 0.2\n1 0.2 0.3 0.05 0.1\n2 0.9 0.9 0.1 0.1\n")
            boxes, labels = cinta.read_labels(p)
            self.assertEqual([STATES[i] for i in labels], ["green", "red", "yellow"])
            np.testing.assert_allclose(boxes[0], [0.5, 0.5, 0.1, 0.2])
            with open(p, "w") as f:
                f.write("3 0.5 0.5 0.1 0.1\n")
            with self.assertRaisesRegex(ValueError, "0..2"):
                cinta.read_labels(p)

    def test_holdout_split_keeps_the_copies_of_a_source_together(self):
        for src in ["traffic-light--1-_jpg", "IMG_2031_jpg", "x"]:
            copies = [f"{src}.rf.{h}.jpg" for h in ("aa", "bb", "cc")]
            self.assertEqual(len({cinta.is_holdout(c) for c in copies}), 1)
        sources = [f"s{i}_jpg.rf.0.jpg" for i in range(1000)]
        share = sum(cinta.is_holdout(s) for s in sources) / 1000
        self.assertTrue(0.05 < share < 0.11, share)

    def test_yolo_to_coco_pixels_and_states(self):
        with tempfile.TemporaryDirectory() as d:
            write_yolo(d, ["green", "red", "yellow"], {
                "b.jpg": (200, 100, ["1 0.5 0.5 0.1 0.2"]),          # red, 20 x 20 px at the centre
                "a.jpg": (400, 400, ["0 0.25 0.25 0.5 0.5", "2 0.1 0.1 0.1 0.1"]),
            })
            coco = yolo_to_coco.convert(d)
        self.assertEqual([im["file_name"] for im in coco["images"]], ["a.jpg", "b.jpg"])
        by = {(a["image_id"], a["state"]): a for a in coco["annotations"]}
        np.testing.assert_allclose(by[(2, "red")]["bbox"], [90, 40, 20, 20])
        np.testing.assert_allclose(by[(1, "green")]["bbox"], [0, 0, 200, 200])
        self.assertEqual(by[(1, "yellow")]["category_id"], STATE_INDEX["yellow"] + 1)
        self.assertEqual([c["name"] for c in coco["categories"]], STATES)
        one = yolo_to_coco.single_category(coco, "traffic light")
        self.assertEqual(one["categories"], [{"id": 1, "name": "traffic light", "supercategory": "traffic light"}])
        self.assertEqual({a["category_id"] for a in one["annotations"]}, {1})
        self.assertEqual([a["bbox"] for a in one["annotations"]], [a["bbox"] for a in coco["annotations"]])

    def test_yolo_class_outside_the_schema_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            write_yolo(d, ["green", "blue"], {"a.jpg": (10, 10, ["1 0.5 0.5 0.1 0.1"])})
            with self.assertRaisesRegex(ValueError, "blue"):
                yolo_to_coco.convert(d)


class SmallLightSplitsTest(unittest.TestCase):
    """finetune_deim's train_zoom mosaics and train_degrade photos: the boxes must follow the pixels."""

    def photos(self, d, n=3):
        out = []
        for k in range(n):
            img = np.zeros((416, 416, 3), np.uint8)
            x0, y0 = 40 + 60 * k, 100 + 30 * k                    # one white 52 x 104 "light" per photo
            img[y0:y0 + 104, x0:x0 + 52] = 255
            ip, lp = os.path.join(d, f"p{k}.png"), os.path.join(d, f"p{k}.txt")
            Image.fromarray(img).save(ip)
            with open(lp, "w") as f:
                f.write(f"1 {(x0 + 26) / 416} {(y0 + 52) / 416} {52 / 416} {104 / 416}\n")
            out.append(("cinta", ip, lp))
        return out

    def test_mosaic_boxes_land_on_the_shrunk_lights(self):
        with tempfile.TemporaryDirectory() as d:
            photos = self.photos(d)
            for seed in range(6):                                  # both grid sizes occur in six seeds
                img, boxes, labels = finetune_deim.zoom_sample(finetune_deim.ZOOM_SEED0 + seed, photos, 416)
                self.assertEqual(img.shape, (416, 416, 3))
                self.assertIn(len(boxes), (4, 9))                  # one light per cell, 2x2 or 3x3
                self.assertEqual(set(labels.tolist()), {STATE_INDEX["red"]})
                for cx, cy, w, h in boxes * 416:
                    self.assertLess(w, 52 / 2 + 1)                 # shrunk at least 2x
                    inner = img[int(cy - h / 4):int(cy + h / 4), int(cx - w / 4):int(cx + w / 4)]
                    self.assertGreater(inner.mean(), 150, (seed, cx, cy))   # white (even when blurred)
                    outside = img[int(cy - h / 2) - 6:int(cy - h / 2) - 3, int(cx - w / 2):int(cx + w / 2)]
                    self.assertLess(outside.mean(), 110, (seed, cx, cy))    # dark just above the box

    def test_degraded_photo_keeps_size_and_boxes(self):
        with tempfile.TemporaryDirectory() as d:
            photos = self.photos(d, 1)
            img = Image.open(photos[0][1]).convert("RGB")
            out = finetune_deim.degrade_image(img, np.random.default_rng([1]))
            self.assertEqual(out.size, img.size)
            a = np.asarray(out).astype(float)
            self.assertGreater(a[120:190, 55:80].mean(), 200)    # the light is still there
            self.assertLess(np.abs(np.diff(a[150, :, 0])).max(), 200)   # and its edges are blurred


class SyntheticSplitsTest(unittest.TestCase):
    """finetune_deim's synthetic_scaled pool and synthetic_holdout split (third femto run)."""

    def test_holdout_is_made_like_the_validation_set_from_other_seeds(self):
        from make_testdata import VAL_COUNT, VAL_SEED0, val_scene_args
        val_seeds = {val_scene_args(i)[0] for i in range(VAL_COUNT)}
        self.assertEqual(min(val_seeds), VAL_SEED0)
        for k in range(3):                                          # k = 2: forced dense, as validation scene 2
            seed = finetune_deim.SYN_HOLDOUT_SEED0 + k
            self.assertNotIn(seed, val_seeds)
            img, boxes, labels = finetune_deim.synthetic_holdout_sample(seed)
            ref, lights, meta = generate_scene(seed, size=320, dense=True if k == 2 else None, look="classic")
            self.assertEqual(img.shape, (320, 320, 3))              # the validation set's size
            self.assertEqual(len(boxes), len(lights))
            self.assertEqual(labels.tolist(), [STATE_INDEX[L.state] for L in lights])
            if k == 2:
                self.assertTrue(meta["dense"])

    def test_scaled_scenes_boxes_are_normalised_to_the_render_size(self):
        sizes = set()
        for k in range(8):
            seed = finetune_deim.SYN_SCALED_SEED0 + k
            img, boxes, labels = finetune_deim.synthetic_scaled_sample(seed, 416)
            h, w, _ = img.shape
            sizes.add(w)
            self.assertEqual(h, w)
            self.assertTrue(256 <= w <= 416, w)
            _, lights, _ = generate_scene(seed, size=w, dense=True if k % 3 == 2 else None,
                                          look=finetune_deim.synthetic_look(k))
            expect = np.array([[(L.x + L.w / 2) / w, (L.y + L.h / 2) / w, L.w / w, L.h / w] for L in lights],
                              dtype=np.float32).reshape(-1, 4)
            np.testing.assert_allclose(boxes, expect, atol=1e-6)   # cx cy w h in [0, 1] of the rendered scene
            self.assertTrue(((boxes >= 0) & (boxes <= 1)).all())
        self.assertGreater(len(sizes), 1)                           # the render size varies

    def test_select_refuses_a_cache_without_the_three_holdouts(self):
        import argparse
        with tempfile.TemporaryDirectory() as d:
            args = argparse.Namespace(cache=d, threads=1, report=None, ckpts=["unused.pt"])
            with self.assertRaisesRegex(SystemExit, "split holdout is not cached"):
                finetune_deim.cmd_select(args)

    def test_holdout_mosaics_use_holdout_photos_only(self):
        import argparse
        args = argparse.Namespace(cinta=None, synthetic=0, zoom=0, degrade=0, synthetic_scaled=0, synthetic_views=0,
                                  synthetic_holdout=0, holdout_zoom=3, holdout_max=5, train_max=0)
        if not os.path.isdir(cinta.default_dir()):
            self.skipTest("cinTA_v2 not found")
        items = finetune_deim.cache_items(args)
        self.assertEqual(len(items["holdout"]), 5)                 # --holdout-max cuts the cached hold-out only
        held = {p for _, p, _ in finetune_deim._HOLDOUT_PHOTOS}
        self.assertGreater(len(held), 5)
        self.assertFalse(held & {p for _, p, _ in finetune_deim._TRAIN_PHOTOS})   # disjoint from train
        self.assertEqual([k for k, _, _ in items["holdout_zoom"]], ["holdout_zoom"] * 3)

    def test_seed_ranges_do_not_overlap(self):
        starts = sorted([finetune_deim.SYN_SEED0, finetune_deim.ZOOM_SEED0, finetune_deim.DEGRADE_SEED0,
                         finetune_deim.SYN_SCALED_SEED0, finetune_deim.SYN_HOLDOUT_SEED0,
                         finetune_deim.HOLDOUT_ZOOM_SEED0, finetune_deim.SYN_VIEWS_SEED0])
        self.assertTrue(all(b - a >= 1_000_000 for a, b in zip(starts, starts[1:])))   # room for 10^6 items each


class VariedLookTest(unittest.TestCase):
    def test_classic_is_the_default_and_varied_keeps_the_layout(self):
        for seed in (3, 11, 123):
            with self.subTest(seed=seed):
                a, la, _ = generate_scene(seed)
                b, lb, _ = generate_scene(seed, look="classic")
                c, lc, meta = generate_scene(seed, look="varied")
                d, _, _ = generate_scene(seed, look="varied")
                self.assertTrue(np.array_equal(a, b))
                self.assertTrue(np.array_equal(c, d))  # seeded
                self.assertFalse(np.array_equal(a, c))
                self.assertEqual([L.to_dict() for L in la], [L.to_dict() for L in lc])
                self.assertEqual(meta["look"], "varied")

    def test_unknown_look_is_refused(self):
        with self.assertRaisesRegex(ValueError, "look"):
            generate_scene(1, look="cartoon")


class ViewsTest(unittest.TestCase):
    """Lights seen from the side or the back (generate_scene(views=...), split synthetic_views)."""

    def test_views_zero_leaves_every_scene_as_it_was(self):
        for seed, look in ((3, "classic"), (11, "varied"), (123, "varied")):
            with self.subTest(seed=seed, look=look):
                a, la, ma = generate_scene(seed, look=look)
                b, lb, mb = generate_scene(seed, look=look, views=0.0)
                self.assertTrue(np.array_equal(a, b))
                self.assertEqual([L.to_dict() for L in la], [L.to_dict() for L in lb])
                self.assertNotIn("views", mb)
                self.assertTrue(all("view" not in L.to_dict() for L in la))   # the committed JSON is unchanged

    def test_views_one_turns_every_light_and_keeps_boxes_in_the_scene(self):
        seen = set()
        for seed in range(20, 32):
            img, lights, meta = generate_scene(seed, size=320, look="varied", views=1.0)
            self.assertEqual(meta["views"], 1.0)
            for L in lights:
                seen.add(L.view)
                self.assertIn(L.view, ("side", "back"))
                if L.view == "side":
                    self.assertEqual(L.orientation, "vertical")        # only vertical housings are drawn edge-on
                if L.row >= 0:
                    self.assertEqual(L.view, "back")                   # a row on a mast arm is seen from behind
                self.assertGreaterEqual(L.x, 0.0)
                self.assertLessEqual(L.x + L.w, 320.0)
                self.assertEqual(L.to_dict()["view"], L.view)
        self.assertEqual(seen, {"side", "back"})

    def test_views_out_of_range_is_refused(self):
        for bad in (-0.1, 1.5):
            with self.subTest(views=bad), self.assertRaisesRegex(ValueError, "views"):
                generate_scene(1, views=bad)

    def test_drawn_housing_fills_its_box(self):
        # (view, facing): the painted pixels must reach every edge of the labelled box (the visors' tips included)
        from scenes import Light, render_light
        style = {"housing": (200, 160, 20), "plate": False, "plate_border": False, "glow": 0.0, "depth": 0.55,
                 "facing": 1, "lit_edge": 1, "visor_colour": None, "hue": np.zeros(3)}
        for view, facing in (("side", 1), ("side", -1), ("back", 1)):
            with self.subTest(view=view, facing=facing):
                canvas = np.zeros((80, 80, 3), dtype=np.float32)
                glow = np.zeros_like(canvas)
                L = Light(20, 10, 24, 48, "red", "vertical", style=dict(style, facing=facing), view=view)
                render_light(canvas, glow, L)
                ys, xs = np.nonzero(canvas.sum(2) > 30)
                self.assertLessEqual(abs(xs.min() - 20), 1)
                self.assertLessEqual(abs(xs.max() + 1 - 44), 1)
                self.assertLessEqual(abs(ys.min() - 10), 1)
                self.assertLessEqual(abs(ys.max() + 1 - 58), 1)
                red = canvas[..., 0] > canvas[..., 1] + 60             # no red lamp shows, though the state is red
                self.assertFalse(red.any())

    def test_views_split_labels_turned_lights_state_unknown(self):
        from losses import ANY_STATE
        turned = front = 0
        for k in range(6):
            seed = finetune_deim.SYN_VIEWS_SEED0 + k
            img, boxes, labels = finetune_deim.synthetic_views_sample(seed, 416)
            w = img.shape[1]
            _, lights, _ = generate_scene(seed, size=w, dense=True if k % 3 == 2 else None,
                                          look=finetune_deim.synthetic_look(k), views=finetune_deim.VIEWS_SHARE)
            self.assertEqual(labels.tolist(), [STATE_INDEX[L.state] if L.view == "front" else ANY_STATE
                                               for L in lights])
            self.assertEqual(len(boxes), len(lights))
            turned += sum(L.view != "front" for L in lights)
            front += sum(L.view == "front" for L in lights)
        self.assertGreater(turned, 0)
        self.assertGreater(front, turned)                               # most lights still face the camera


class StateClassifierTest(unittest.TestCase):
    # (box x1, y1, x2, y2, frame w, h, padding, expected rect x1, y1, x2, y2) as StateClassifier.cropRect
    CROPS = [
        ((10, 10, 20, 40), 100, 100, 0.15, (8, 5, 22, 45)),    # grown 1.5 / 4.5 px, rounded outwards
        ((0, 0, 10, 10), 100, 100, 0.5, (0, 0, 15, 15)),       # clamped at the top-left corner
        ((95, 95, 100, 100), 100, 100, 0.2, (94, 94, 100, 100)),  # clamped at the bottom-right corner
        ((50, 50, 50, 50), 100, 100, 0.15, (50, 50, 51, 51)),  # empty box: at least 1 x 1
    ]

    def test_crop_rect_matches_the_sdk(self):
        for box, w, h, pad, expected in self.CROPS:
            with self.subTest(box=box, pad=pad):
                self.assertEqual(state_classifier.crop_rect(box, w, h, pad), expected)

    def test_export_layout_and_metadata(self):
        torch.manual_seed(0)
        net = state_classifier.StateNet().eval()
        x = torch.rand(3, 3, state_classifier.SIZE, state_classifier.SIZE)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "s.onnx")
            state_classifier.export(net, path)
            m = onnx.load(path)
            out = onnx_torch.OnnxGraphModule(m)(x)
        meta = {p.key: p.value for p in m.metadata_props}
        self.assertEqual(meta["edgevision.input_size"], "32x32")
        self.assertEqual(json.loads(meta["edgevision.label_schema"])["classes"][5]["name"], "off")
        self.assertNotIn("edgevision.output_layout", meta)
        self.assertEqual([o.name for o in m.graph.output], ["state_logits"])
        with torch.no_grad():
            torch.testing.assert_close(out["state_logits"], net(x), rtol=1e-4, atol=1e-5)


if __name__ == "__main__":
    unittest.main()
