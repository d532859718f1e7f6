"""Checks of the count-restoration model (models/bone-denoise-counts), its card and its training data.

Run from the repository root:  /usr/bin/python3 -m unittest discover -s training/tests -t .
"""
from __future__ import annotations

import json
import os
import unittest

import numpy as np
import onnx

from training.bonescan import simulate_study, thin_counts
from training.restore import metrics
from training.restore.counts_data import CountPatchSampler, simulate_scenes
from training.restore.onnx_check import run_numpy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL_DIR = os.path.join(ROOT, "models", "bone-denoise-counts")


class CountSamplerTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scenes = simulate_scenes([424_242])

    def test_patches_are_poisson_noisy_versions_of_their_target_in_view_mean_units(self):
        sampler = CountPatchSampler(self.scenes, 64, np.random.default_rng(3))
        x, y, w = sampler.batch(64)
        self.assertEqual(x.shape, (64, 1, 64, 64))
        self.assertTrue(np.all(y >= 0) and np.all(np.isfinite(x)))
        # Noise, not a change of picture: the input's mean over many patches follows the target's.
        self.assertAlmostEqual(float(x.mean() / y.mean()), 1.0, delta=0.05)
        self.assertGreater(float(np.abs(x - y).mean()), 0.01)
        self.assertGreaterEqual(float(w.min()), 1.0)
        self.assertEqual(float(w.max()), 10.0)  # lesions weigh 10

    def test_same_seed_gives_the_same_patches(self):
        a = CountPatchSampler(self.scenes, 32, np.random.default_rng(5)).batch(4)
        b = CountPatchSampler(self.scenes, 32, np.random.default_rng(5)).batch(4)
        for u, v in zip(a, b):
            np.testing.assert_array_equal(u, v)


class CountModelTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(MODEL_DIR, "model-card.json")) as f:
            cls.card = json.load(f)
        cls.path = os.path.join(MODEL_DIR, cls.card["file"])

    def test_card_describes_the_model_interface(self):
        c = self.card
        self.assertEqual((c["name"], c["task"]), ("bone-denoise-counts", "restoration"))
        self.assertEqual(c["intensity_scaling"]["type"], "divide_by_mean")
        self.assertEqual(c["inputs"][0]["shape"], [-1, 1, -1, -1])
        self.assertIn("noise-free estimate of the same view", c["outputs"][0]["meaning"])

    def test_onnx_graph_is_valid_and_small(self):
        m = onnx.load(self.path)
        onnx.checker.check_model(m, full_check=True)
        self.assertLess(os.path.getsize(self.path), 5 * 1024 * 1024)

    def _restore(self, counts):
        x = (counts / counts.mean()).astype(np.float32)
        return x, run_numpy(self.path, np.ascontiguousarray(x[None, None]))[0, 0]

    def test_a_thinned_late_scan_is_denoised_and_keeps_its_picture_and_lesions(self):
        s = simulate_study(123_457, lesion_count=4)
        rows = slice(240, 496)  # thorax to pelvis
        four = s.expected("posterior", "4h", 1.0)[rows]
        full = np.random.default_rng(0).poisson(four.astype(np.float64)).astype(np.float32)
        x, y = self._restore(thin_counts(full, 0.25, np.random.default_rng(1)))
        target = four / four.mean()
        self.assertGreaterEqual(float(y.min()), 0.0)
        self.assertGreater(metrics.psnr(target, y), metrics.psnr(target, x) + 4.0)
        self.assertGreater(metrics.ssim(target, y), metrics.ssim(target, x) + 0.1)
        # Count restoration, not 2 h -> 4 h: the soft-tissue level and the total stay where they were.
        self.assertAlmostEqual(float(y.mean()), 1.0, delta=0.03)
        body = target > 0.05
        self.assertAlmostEqual(float(np.median(y[body] / target[body])), 1.0, delta=0.1)
        lesions = [(l.row - 240, l.col_in("posterior", s.grid.cols), l.radius_px) for l in s.lesions if 250 < l.row < 486]
        recovery = metrics.contrast_recovery(target, y, lesions)
        self.assertTrue(recovery, "the test view should hold measurable lesions")
        self.assertGreater(min(recovery), 0.5)

    def test_a_shape_no_bone_scan_has_is_kept(self):
        # Two smooth "lungs" and a hot spot on a flat background: nothing like the training anatomy.
        rr, cc = np.mgrid[0:256, 0:256]
        truth = 2.0 + 8.0 * (np.exp(-(((rr - 128) / 60.0) ** 2 + ((cc - 80) / 30.0) ** 2))
                             + np.exp(-(((rr - 128) / 60.0) ** 2 + ((cc - 176) / 30.0) ** 2)))
        truth += 6.0 * np.exp(-((rr - 60) ** 2 + (cc - 128) ** 2) / (2 * 2.5 ** 2))
        x, y = self._restore(np.random.default_rng(2).poisson(truth).astype(np.float32))
        target = truth / truth.mean()
        self.assertGreater(metrics.psnr(target, y), metrics.psnr(target, x) + 4.0)
        self.assertAlmostEqual(float(y.mean()), 1.0, delta=0.03)
        self.assertGreater(metrics.contrast_recovery(target, y, [(60, 128, 2.5)])[0], 0.5)


if __name__ == "__main__":
    unittest.main()
