"""Checks of the committed restoration model and its card.

Run from the repository root:  /usr/bin/python3 -m unittest discover -s training/tests -t .
"""
from __future__ import annotations

import json
import os
import unittest

import numpy as np
import onnx

from training.restore import metrics
from training.restore.data import simulate_pairs
from training.restore.onnx_check import run_numpy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL_DIR = os.path.join(ROOT, "models", "bone-restore")


class ModelCardTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(MODEL_DIR, "model-card.json")) as f:
            cls.card = json.load(f)
        cls.path = os.path.join(MODEL_DIR, cls.card["file"])

    def test_card_describes_the_model_interface(self):
        c = self.card
        self.assertEqual((c["name"], c["version"], c["task"]), ("bone-restore", "1.0.0", "restoration"))
        self.assertEqual(c["inputs"][0]["name"], "input")
        self.assertEqual(c["inputs"][0]["layout"], "NCHW")
        self.assertEqual(c["inputs"][0]["shape"], [-1, 1, -1, -1])
        self.assertEqual(c["inputs"][0]["dtype"], "float32")
        self.assertEqual(c["outputs"][0]["name"], "output")
        self.assertEqual(c["preprocessing"]["formula"], "input = counts / mean(counts)")

    def test_onnx_graph_is_valid_with_dynamic_batch_and_size(self):
        m = onnx.load(self.path)
        onnx.checker.check_model(m, full_check=True)
        self.assertTrue(13 <= m.opset_import[0].version <= 17)
        self.assertLess(os.path.getsize(self.path), 5 * 1024 * 1024)
        dims = m.graph.input[0].type.tensor_type.shape.dim
        self.assertEqual([d.dim_param or d.dim_value for d in dims], ["N", 1, "H", "W"])

    def test_model_restores_a_held_out_view_better_than_its_input(self):
        pair = next(p for p in simulate_pairs([123_456], lesions_per_study=lambda s: 4) if p.view == "posterior")
        _, x = pair.noisy_input(0.3, np.random.default_rng(0))
        rows = slice(240, 496)  # thorax to pelvis, where most lesions and organs are
        crop, target = x[rows], pair.target[rows]
        y = run_numpy(self.path, np.ascontiguousarray(crop[None, None]))[0, 0]
        self.assertEqual(y.shape, crop.shape)
        self.assertGreaterEqual(float(y.min()), 0.0)
        self.assertGreater(metrics.psnr(target, y), metrics.psnr(target, crop) + 3.0)
        self.assertGreater(metrics.ssim(target, y), metrics.ssim(target, crop))


if __name__ == "__main__":
    unittest.main()
