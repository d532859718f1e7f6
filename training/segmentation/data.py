"""Simulated tile sets and the training sampler (crops, flips, rotations, stain jitter)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .simulator import simulate_tile


@dataclass
class TileSet:
    rgb: np.ndarray  # (N, H, W, 3) uint8
    mask: np.ndarray  # (N, H, W) uint8, 1 = tumour-like
    lymphoid: np.ndarray  # (N, H, W) bool, lymphoid aggregates (hard negatives)
    squamous: np.ndarray  # (N, H, W) bool, benign solid epithelium (hard negatives)
    tissue: np.ndarray  # (N, H, W) bool
    scenes: list[str]


def simulate_set(seeds, scenes: dict[int, str] | None = None) -> TileSet:
    tiles = [simulate_tile(int(s), scene=None if scenes is None else scenes.get(int(s))) for s in seeds]
    return TileSet(np.stack([t.rgb for t in tiles]), np.stack([t.mask for t in tiles]),
                   np.stack([t.lymphoid for t in tiles]), np.stack([t.squamous for t in tiles]), np.stack([t.tissue for t in tiles]), [t.scene for t in tiles])


def to_input(rgb: np.ndarray) -> np.ndarray:
    """(..., H, W, 3) uint8 -> (..., 3, H, W) float32 0..1: what the card's scaling (range 0..255) gives."""
    return np.moveaxis(rgb.astype(np.float32) / 255.0, -1, -3)


class TileSampler:
    """Random crops of the simulated tiles, in the 8 orientations (a section has no up or left), with
    an extra per-channel stretch in optical density on top of the simulator's stain variation."""

    def __init__(self, rgb: np.ndarray, mask: np.ndarray, crop: int, rng: np.random.Generator):
        self.rgb, self.mask, self.crop, self.rng = rgb, mask, crop, rng

    def batch(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        c, rng = self.crop, self.rng
        xs = np.empty((size, 3, c, c), np.float32)
        ys = np.empty((size, c, c), np.int64)
        n, h, w = self.mask.shape
        for i in range(size):
            k = int(rng.integers(n))
            r, q = int(rng.integers(0, h - c + 1)), int(rng.integers(0, w - c + 1))
            img = self.rgb[k, r:r + c, q:q + c].astype(np.float32)
            lab = self.mask[k, r:r + c, q:q + c]
            turns = int(rng.integers(4))
            img, lab = np.rot90(img, turns), np.rot90(lab, turns)
            if rng.random() < 0.5:
                img, lab = img[:, ::-1], lab[:, ::-1]
            od = -np.log(np.clip(img, 1, 255) / 255.0)
            od = od * rng.uniform(0.85, 1.15, 3) * rng.uniform(0.9, 1.1)
            img = 255.0 * np.exp(-od)
            xs[i] = np.moveaxis(np.clip(img, 0, 255) / 255.0, -1, 0)
            ys[i] = lab
        return xs, ys
