"""Fast checks of the generator, the committed test data, the metrics and the model/export plumbing.

    /usr/bin/python3 -m unittest discover -s training -p 'test_*.py'
"""

import json
import os
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import NUM_CLASSES, STATES, label_schema, onnx_metadata  # noqa: E402
from evaluate import VAL_DIR, average_precision, frame_passes, recall_by_size  # noqa: E402
from make_testdata import VAL_COUNT, val_scene_args  # noqa: E402
from scenes import ARROW_MIN_SHORT, generate_scene  # noqa: E402
from sequences import LEGAL_NEXT, is_legal  # noqa: E402


class SceneTest(unittest.TestCase):
    def test_deterministic(self):
        a, la, _ = generate_scene(123)
        b, lb, _ = generate_scene(123)
        self.assertTrue(np.array_equal(a, b))
        self.assertEqual([L.to_dict() for L in la], [L.to_dict() for L in lb])
        c, _, _ = generate_scene(124)
        self.assertFalse(np.array_equal(a, c))

    def test_lights_valid(self):
        for seed in range(20):
            img, lights, _ = generate_scene(seed)
            self.assertEqual(img.shape, (320, 320, 3))
            for L in lights:
                self.assertIn(L.state, STATES)
                self.assertGreaterEqual(L.x, 0)
                self.assertLessEqual(L.x + L.w, 320)
                self.assertGreaterEqual(L.short, 4.99)
                if L.state.endswith("_left"):
                    self.assertGreaterEqual(L.short, ARROW_MIN_SHORT)


class CommittedDataTest(unittest.TestCase):
    def test_annotations_match_generator(self):
        with open(os.path.join(VAL_DIR, "annotations.json")) as f:
            coco = json.load(f)
        self.assertEqual(len(coco["images"]), VAL_COUNT)
        self.assertEqual([c["name"] for c in coco["categories"]], STATES)
        for a in coco["annotations"]:
            self.assertEqual(STATES[a["category_id"] - 1], a["state"])
            self.assertEqual(a["attributes"]["state"], a["state"])
        for i in (0, 2, 7):  # regenerate a few scenes: same lights as committed
            seed, dense = val_scene_args(i)
            _, lights, _ = generate_scene(seed, dense=dense)
            anns = [a for a in coco["annotations"] if a["image_id"] == i + 1]
            self.assertEqual([L.state for L in lights], [a["state"] for a in anns])
            for L, a in zip(lights, anns):
                np.testing.assert_allclose([round(v, 2) for v in L.box()], a["bbox"], atol=1e-6)
            self.assertTrue(os.path.exists(os.path.join(VAL_DIR, coco["images"][i]["file_name"])))

    def test_sequences_legal(self):
        with open(os.path.join(VAL_DIR, "sequences", "index.json")) as f:
            names = json.load(f)["sequences"]
        self.assertGreaterEqual(len(names), 5)
        events = set()
        for name in names:
            with open(os.path.join(VAL_DIR, "sequences", name, "sequence.json")) as f:
                seq = json.load(f)
            modes = {t["track_id"]: t["mode"] for t in seq["tracks"]}
            prev = {}
            for fr in seq["frames"]:
                self.assertTrue(os.path.exists(os.path.join(VAL_DIR, "sequences", name, fr["file"])))
                for o in fr["objects"]:
                    events.add(o["event"])
                    tid = o["track_id"]
                    if tid in prev:
                        if modes[tid] == "cycle":
                            self.assertTrue(is_legal(prev[tid], o["state"]), (name, prev[tid], o["state"]))
                        else:
                            self.assertIn(o["state"], ("off", "yellow", "red"))
                    prev[tid] = o["state"]
                visible = {o["track_id"] for o in fr["objects"] if o["visible"]}
                self.assertEqual(visible, {d["track_id"] for d in fr["detections"]})
        self.assertTrue({"occluded", "misread", "flicker"} <= events)
        self.assertEqual(set(LEGAL_NEXT) | {"off"}, set(STATES))


class MetricTest(unittest.TestCase):
    def test_perfect_and_wrong(self):
        gb = np.array([[10, 10, 20, 40], [30, 10, 40, 40]], float)
        gl = np.array([0, 2])
        ap, _ = average_precision([(gb, np.array([0.9, 0.8]), gl)], [(gb, gl)], NUM_CLASSES)
        self.assertAlmostEqual(ap, 1.0)
        ap, _ = average_precision([(gb, np.array([0.9, 0.8]), np.array([1, 1]))], [(gb, gl)], NUM_CLASSES)
        self.assertAlmostEqual(ap, 0.0)
        # a duplicate ranked above the second true light: precision at full recall 2/3
        db = np.vstack([gb[:1], gb[:1] + 0.5, gb[1:]])
        ap, _ = average_precision([(db, np.array([0.9, 0.85, 0.8]), np.array([0, 0, 0]))],
                                  [(gb, np.array([0, 0]))], 1)
        self.assertAlmostEqual(ap, (51 * 1.0 + 50 * (2 / 3)) / 101, places=6)
        self.assertTrue(frame_passes((gb, np.array([0.9, 0.8]), gl), (gb, gl)))
        # recall by short side: the 10 px light is found, the duplicate cannot take the 10 px light twice, and
        # a detection below the threshold finds nothing
        small = np.array([[50, 50, 56, 68]], float)
        both = np.vstack([gb, small])
        r = recall_by_size([(db, np.array([0.9, 0.85, 0.2]), np.zeros(3, int))], [(both, np.zeros(3, int))])
        self.assertEqual(r["0-7"], [0, 1])
        self.assertEqual(r["9-12"], [1, 2])
        self.assertEqual(sum(n for _, n in r.values()), 3)
        self.assertFalse(frame_passes((db, np.ones(3), np.array([0, 0, 2])), (gb, gl)))


class ModelTest(unittest.TestCase):
    def test_forward_and_export(self):
        import onnx
        import torch
        from export import export_onnx
        from losses import make_denoising, total_loss
        from model import TinyDETR
        torch.manual_seed(0)
        m = TinyDETR()
        self.assertTrue(0.8e6 < sum(p.numel() for p in m.parameters()) < 1.2e6)
        x = torch.rand(2, 3, 320, 320)
        targets = [{"boxes": torch.tensor([[0.5, 0.5, 0.05, 0.15]]), "labels": torch.tensor([3])},
                   {"boxes": torch.zeros(0, 4), "labels": torch.zeros(0, dtype=torch.long)}]
        dn, meta = make_denoising(m, targets)
        out = m(x, dn)
        self.assertEqual(tuple(out["logits"].shape), (3, 2, 60, NUM_CLASSES))
        loss, parts = total_loss(out, targets, meta)
        loss.backward()
        self.assertTrue(np.isfinite(float(loss)))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.onnx")
            export_onnx(m, path)
            mo = onnx.load(path)
            meta = {p.key: p.value for p in mo.metadata_props}
            self.assertEqual(meta, onnx_metadata())
            self.assertEqual(json.loads(meta["edgevision.label_schema"]), label_schema())
            outs = {o.name: [d.dim_value or d.dim_param for d in o.type.tensor_type.shape.dim]
                    for o in mo.graph.output}
            self.assertEqual(outs, {"pred_logits": ["N", 60, 6], "pred_boxes": ["N", 60, 4]})

    def test_detail_sampler_starts_as_the_model_without_it(self):
        # the fine-tuning stage loads a detail-free model's weights: its zero-initialised projections must leave
        # the outputs unchanged, and gradients must reach them so the stage can learn to use them
        import torch
        from losses import total_loss
        from model import TinyDETR
        torch.manual_seed(0)
        base = TinyDETR().eval()
        torch.manual_seed(1)
        fine = TinyDETR(detail_points=4)
        missing, unexpected = fine.load_state_dict(base.state_dict(), strict=False)
        self.assertEqual(unexpected, [])
        self.assertTrue(missing and all(k.startswith("detail_proj.") for k in missing), missing)
        fine.eval()
        x = torch.rand(2, 3, 320, 320)
        with torch.no_grad():
            a, b = base(x), fine(x)
        self.assertEqual(float((a["logits"] - b["logits"]).abs().max()), 0.0)
        self.assertEqual(float((a["boxes"] - b["boxes"]).abs().max()), 0.0)
        fine.train()
        targets = [{"boxes": torch.tensor([[0.3, 0.4, 0.02, 0.06]]), "labels": torch.tensor([0])}] * 2
        loss, _ = total_loss(fine(x), targets, None)
        loss.backward()
        self.assertGreater(float(fine.detail_proj[2].weight.grad.abs().sum()), 0.0)

    def test_detail_samples_follow_the_box(self):
        # a feature map that is 1 in one stride-4 cell: only a box around that cell sees it
        import torch
        from model import TinyDETR
        m = TinyDETR(detail_points=4)
        f4 = torch.zeros(1, m.backbone.detail_channels, 80, 80)
        f4[0, :, 40, 20] = 1.0  # cell centre at x = (20 + 0.5) / 80, y = (40 + 0.5) / 80
        ref = torch.tensor([[[20.5 / 80, 40.5 / 80, 4 / 320, 12 / 320], [0.8, 0.2, 4 / 320, 12 / 320]]])
        s = m.sample_detail(f4, ref)
        self.assertEqual(tuple(s.shape), (1, 2, 16 * m.backbone.detail_channels))
        self.assertGreater(float(s[0, 0].max()), 0.2)
        self.assertEqual(float(s[0, 1].abs().max()), 0.0)


if __name__ == "__main__":
    unittest.main()
