"""Paired training data from the simulator: 2 h low-count input, 4 h noise-free target."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..bonescan import simulate_study
from ..bonescan.camera import VIEWS

# Input counts as a fraction of the 4 h count level (faster or earlier acquisitions).
FRACTION_RANGE = (0.25, 0.60)


@dataclass
class ViewPair:
    seed: int
    view: str
    early: np.ndarray  # expected counts of the 2 h view at the full 4 h count level
    target: np.ndarray  # 4 h noise-free view / its mean
    lesions: list[tuple[float, float, float]]  # (row, col, radius px) in this view

    def noisy_input(self, fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Poisson counts at ``fraction`` of the 4 h level and the normalised model input."""
        counts = rng.poisson(self.early.astype(np.float64) * fraction).astype(np.float32)
        return counts, counts / max(float(counts.mean()), 1e-12)


def simulate_pairs(seeds, lesions_per_study=None) -> list[ViewPair]:
    """``lesions_per_study(seed)`` fixes the lesion count (the held-out set always has some)."""
    pairs = []
    for seed in seeds:
        s = simulate_study(int(seed), lesion_count=None if lesions_per_study is None else lesions_per_study(seed))
        for view in VIEWS:
            early = s.expected(view, "2h", 1.0)
            four = s.expected(view, "4h", 1.0)
            lesions = [(l.row, l.col_in(view, s.grid.cols), l.radius_px) for l in s.lesions]
            pairs.append(ViewPair(int(seed), view, early, four / float(four.mean()), lesions))
    return pairs


class PatchSampler:
    """Random training patches; half of them centred near a lesion so that lesions, which
    cover well under 1 % of the pixels, are seen often enough to be kept by the model."""

    def __init__(self, pairs: list[ViewPair], patch: int, rng: np.random.Generator, lesion_weight: float = 4.0):
        self.pairs, self.patch, self.rng, self.lesion_weight = pairs, patch, rng, lesion_weight

    def _corner(self, pair: ViewPair) -> tuple[int, int]:
        rows, cols = pair.target.shape
        p = self.patch
        if pair.lesions and self.rng.random() < 0.5:
            row, col, _ = pair.lesions[self.rng.integers(len(pair.lesions))]
            r = int(row) - self.rng.integers(p // 4, 3 * p // 4)
            c = int(col) - self.rng.integers(p // 4, 3 * p // 4)
            return int(np.clip(r, 0, rows - p)), int(np.clip(c, 0, cols - p))
        for _ in range(20):  # prefer patches that contain body
            r, c = int(self.rng.integers(0, rows - p + 1)), int(self.rng.integers(0, cols - p + 1))
            if np.mean(pair.target[r:r + p, c:c + p] > 0.05) > 0.3:
                break
        return r, c

    def batch(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = self.patch
        xs, ys, ws = (np.empty((size, 1, p, p), np.float32) for _ in range(3))
        for i in range(size):
            pair = self.pairs[self.rng.integers(len(self.pairs))]
            r, c = self._corner(pair)
            fraction = self.rng.uniform(*FRACTION_RANGE)
            lam = pair.early[r:r + p, c:c + p].astype(np.float64) * fraction
            # Normalise by the whole view's mean count (what inference does), not the patch's.
            mean_count = float(pair.early.mean()) * fraction
            x = self.rng.poisson(lam) / mean_count
            y = pair.target[r:r + p, c:c + p]
            w = np.ones((p, p), np.float32)
            rr, cc = np.ogrid[r:r + p, c:c + p]
            for lr, lc, lrad in pair.lesions:
                w[(rr - lr) ** 2 + (cc - lc) ** 2 <= (lrad + 1.0) ** 2] = self.lesion_weight
            if self.rng.random() < 0.5:  # the two views are mirror images of each other
                x, y, w = x[:, ::-1], y[:, ::-1], w[:, ::-1]
            xs[i, 0], ys[i, 0], ws[i, 0] = x, y, w
        return xs, ys, ws
