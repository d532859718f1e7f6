"""Pixel metrics for a binary tumour-like mask, accumulated over a whole tile set."""
from __future__ import annotations

import numpy as np

BINS = 1000


class PixelScores:
    """Counts for Dice/IoU at a threshold and a probability histogram per class for the pixel ROC AUC
    (1000 bins: the AUC is exact up to ties within a bin, far below the digits reported)."""

    def __init__(self, threshold: float = 0.5):
        self.threshold = threshold
        self.tp = self.fp = self.fn = self.tn = 0
        self.pos_hist = np.zeros(BINS, np.int64)
        self.neg_hist = np.zeros(BINS, np.int64)

    def add(self, prob: np.ndarray, truth: np.ndarray) -> None:
        truth = truth.astype(bool)
        pred = prob >= self.threshold
        self.tp += int((pred & truth).sum())
        self.fp += int((pred & ~truth).sum())
        self.fn += int((~pred & truth).sum())
        self.tn += int((~pred & ~truth).sum())
        bins = np.clip((prob * BINS).astype(np.int64), 0, BINS - 1)
        self.pos_hist += np.bincount(bins[truth], minlength=BINS)
        self.neg_hist += np.bincount(bins[~truth], minlength=BINS)

    def dice(self) -> float:
        return 2 * self.tp / max(2 * self.tp + self.fp + self.fn, 1)

    def iou(self) -> float:
        return self.tp / max(self.tp + self.fp + self.fn, 1)

    def sensitivity(self) -> float:
        return self.tp / max(self.tp + self.fn, 1)

    def specificity(self) -> float:
        return self.tn / max(self.tn + self.fp, 1)

    def positive_fraction(self) -> float:
        return (self.tp + self.fp) / max(self.tp + self.fp + self.tn + self.fn, 1)

    def auc(self) -> float:
        """P(score of a random tumour pixel > score of a random other pixel), ties counted half."""
        pos, neg = self.pos_hist.sum(), self.neg_hist.sum()
        if pos == 0 or neg == 0:
            return float("nan")
        below = np.concatenate([[0], np.cumsum(self.neg_hist)[:-1]])
        return float((self.pos_hist * (below + 0.5 * self.neg_hist)).sum() / (pos * neg))


def dice(pred: np.ndarray, truth: np.ndarray) -> float:
    pred, truth = pred.astype(bool), truth.astype(bool)
    denom = pred.sum() + truth.sum()
    return 1.0 if denom == 0 else float(2 * (pred & truth).sum() / denom)
