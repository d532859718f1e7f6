"""Checks of the committed he-tumour-seg model and its card.

Run from the repository root:  /usr/bin/python3 -m unittest discover -s training/tests -t .
"""
from __future__ import annotations

import json
import os
import unittest

import numpy as np
import onnx

from training.segmentation import simulate_tile
from training.segmentation.data import to_input
from training.segmentation.metrics import PixelScores, dice
from training.segmentation.onnx_check import run_numpy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL_DIR = os.path.join(ROOT, "models", "he-tumour-seg")
# Far from the training seeds (0..) and the held-out seeds of the card (1 000 000..).
UNSEEN = 7_000_000


def tumour_probability(path: str, rgb: np.ndarray) -> np.ndarray:
    logits = run_numpy(path, np.ascontiguousarray(to_input(rgb[None])))[0].astype(np.float64)
    e = np.exp(logits - logits.max(axis=0))
    return e[1] / e.sum(axis=0)


class SegmentationModelCardTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(MODEL_DIR, "card.json")) as f:
            cls.card = json.load(f)
        cls.path = os.path.join(MODEL_DIR, cls.card["file"])

    def test_card_states_the_agreed_interface(self):
        c = self.card
        self.assertEqual((c["name"], c["version"], c["task"]), ("he-tumour-seg", "1.0.0", "segmentation"))
        i, o = c["inputs"][0], c["outputs"][0]
        self.assertEqual((i["name"], i["layout"], i["dtype"], i["channel_order"]), ("input", "NCHW", "float32", "RGB"))
        self.assertEqual(i["shape"], [-1, 3, -1, -1])
        self.assertEqual((i["scaling"]["type"], i["scaling"]["min"], i["scaling"]["max"]), ("range", 0, 255))
        self.assertEqual((o["name"], o["layout"], o["activation"]), ("logits", "NCHW", "softmax"))
        self.assertEqual(o["classes"], ["background", "tumour-like"])
        self.assertEqual(c["tiling"], {"tile_size": 256, "overlap": 32, "microns_per_pixel": 1.0})
        self.assertTrue(any("NOT validated for diagnosis" in line for line in c["limitations"]))
        held_out = c["metrics"]["held_out_simulated"]
        self.assertGreaterEqual(held_out["tiles"], 100)
        self.assertTrue(0 <= held_out["pixel_dice"] <= 1 and 0.5 <= held_out["pixel_auc"] <= 1)

    def test_onnx_graph_matches_the_card(self):
        m = onnx.load(self.path)
        onnx.checker.check_model(m, full_check=True)
        self.assertEqual(m.opset_import[0].version, self.card["format"]["opset"])
        self.assertLess(os.path.getsize(self.path), 8 * 1024 * 1024)
        dims = lambda t: [d.dim_param or d.dim_value for d in t.type.tensor_type.shape.dim]  # noqa: E731
        self.assertEqual([t.name for t in m.graph.input], ["input"])
        self.assertEqual(dims(m.graph.input[0]), ["N", 3, "H", "W"])
        self.assertEqual([t.name for t in m.graph.output], ["logits"])
        self.assertEqual(dims(m.graph.output[0]), ["N", 2, "H", "W"])
        self.assertEqual(sorted({n.op_type for n in m.graph.node}), self.card["format"]["operators"])

    def test_model_finds_tumour_in_unseen_simulated_tiles_and_spares_normal_ones(self):
        scores = PixelScores()
        for k in range(3):
            t = simulate_tile(UNSEEN + k, scene="tumour")
            p = tumour_probability(self.path, t.rgb)
            self.assertEqual(p.shape, t.mask.shape)
            self.assertGreater(dice(p >= 0.5, t.mask), 0.5, f"seed {UNSEEN + k}")
            scores.add(p, t.mask)
        self.assertGreater(scores.auc(), 0.9)
        for k in range(2):
            t = simulate_tile(UNSEEN + 10 + k, scene="normal")
            p = tumour_probability(self.path, t.rgb)
            self.assertLess(float((p >= 0.5).mean()), 0.05, f"normal seed {UNSEEN + 10 + k}")

    def test_output_follows_input_size_for_any_multiple_of_16(self):
        t = simulate_tile(UNSEEN + 20, scene="tumour")
        logits = run_numpy(self.path, np.ascontiguousarray(to_input(t.rgb[None, :96, :160])))
        self.assertEqual(logits.shape, (1, 2, 96, 160))
        self.assertTrue(np.isfinite(logits).all())


if __name__ == "__main__":
    unittest.main()
