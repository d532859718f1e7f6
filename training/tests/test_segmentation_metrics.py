"""The pixel metrics the he-tumour-seg card reports.

Run from the repository root:  /usr/bin/python3 -m unittest discover -s training/tests -t .
"""
from __future__ import annotations

import unittest

import numpy as np

from training.segmentation.metrics import PixelScores, dice


class PixelScoreTests(unittest.TestCase):
    def test_auc_equals_the_pairwise_definition(self):
        rng = np.random.default_rng(0)
        truth = rng.random((40, 40)) < 0.3
        prob = np.clip(0.35 * truth + rng.random((40, 40)) * 0.7, 0, 0.9999)
        s = PixelScores()
        s.add(prob, truth)
        pos, neg = prob[truth], prob[~truth]
        # Same 1/1000 binning as PixelScores, then Mann-Whitney over all pairs.
        bp, bn = np.floor(pos * 1000), np.floor(neg * 1000)
        pairwise = ((bp[:, None] > bn[None, :]).sum() + 0.5 * (bp[:, None] == bn[None, :]).sum()) / (len(bp) * len(bn))
        self.assertAlmostEqual(s.auc(), pairwise, places=9)
        self.assertTrue(0.6 < s.auc() < 1.0)

    def test_perfect_and_inverted_predictions(self):
        truth = np.zeros((8, 8), bool)
        truth[2:5, 3:7] = True
        good, bad = PixelScores(), PixelScores()
        good.add(truth * 0.9 + 0.05, truth)
        bad.add((~truth) * 0.9 + 0.05, truth)
        self.assertEqual((good.dice(), good.iou(), good.auc()), (1.0, 1.0, 1.0))
        self.assertEqual((bad.dice(), bad.iou(), bad.auc()), (0.0, 0.0, 0.0))
        self.assertEqual(good.positive_fraction(), truth.mean())

    def test_dice_and_iou_of_a_half_overlap(self):
        truth = np.zeros((4, 4), bool)
        truth[:, :2] = True
        pred = np.zeros((4, 4))
        pred[:, 1:3] = 1.0
        s = PixelScores()
        s.add(pred, truth)
        self.assertAlmostEqual(s.dice(), 0.5)
        self.assertAlmostEqual(s.iou(), 1 / 3)
        self.assertAlmostEqual(dice(pred >= 0.5, truth), 0.5)
        self.assertEqual(dice(np.zeros((2, 2)), np.zeros((2, 2))), 1.0)


if __name__ == "__main__":
    unittest.main()
