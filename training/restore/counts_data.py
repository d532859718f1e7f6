"""Training data for the count-restoration model (bone-denoise-counts): pure noise removal.

The 2 h -> 4 h model (bone-restore) also lowers the soft-tissue background. On a scan that is already late, or on
any other NM study, that changes the picture itself. This model only removes Poisson noise: its input is a scan at
some count level, its target the same scan with no noise, so shape and contrast are kept whatever the study is.

To keep it from learning "bone scan" as a prior, every patch comes from a freshly mixed biodistribution:
- the simulator's compartments (bone, soft tissue, kidneys, bladder) with weights drawn far wider than 2 h and 4 h
  differ (soft tissue 0.5-4x the 4 h level, kidneys and bladder 0.1-4x), and now and then little bone at all;
- for half the views, random smooth organ blobs (hot or cold ellipses of 5-40 px, as lungs, liver, thyroid, tumours
  in other studies look) added inside the body;
- a count level drawn log-uniformly from 0.2 to 40 mean counts per pixel (over the whole view), which covers binomial
  thinning of 0.3-4 M-count whole-body views to 10-70 % and smaller fields of view such as 256 x 256 studies.

Scaling is the card's ``divide_by_mean``: input = counts / mean(counts of the view); target = expected counts /
mean(expected counts of the view). Binomial thinning of Poisson counts is again Poisson, so Poisson sampling at the
thinned level is exactly what a thinned real scan looks like.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter

from ..bonescan import simulate_study
from ..bonescan.camera import VIEWS
from ..bonescan.kinetics import BLADDER_4H, KIDNEY_4H, SOFT_4H

MEAN_COUNT_RANGE = (0.2, 40.0)  # mean counts per pixel of the input view (log-uniform)
BLOB_SIGMA_PX = (5.0, 40.0)


@dataclass
class Scene:
    """One simulated view split into its compartments (unit concentration each), with its lesions."""

    seed: int
    view: str
    parts: dict[str, np.ndarray]
    part_means: dict[str, float]
    body: np.ndarray  # bool, inside the body outline
    body_pixels: tuple[np.ndarray, np.ndarray]
    lesions: list[tuple[float, float, float]]


def simulate_scenes(seeds) -> list[Scene]:
    scenes = []
    for seed in seeds:
        s = simulate_study(int(seed))
        body = s.thickness > 0
        for view in VIEWS:
            parts = {k: v.astype(np.float32) for k, v in s.components[view].items()}
            b = body if view == "anterior" else np.ascontiguousarray(body[:, ::-1])
            lesions = [(l.row, l.col_in(view, s.grid.cols), l.radius_px) for l in s.lesions]
            scenes.append(Scene(int(seed), view, parts, {k: float(v.mean()) for k, v in parts.items()}, b,
                                np.nonzero(b), lesions))
    return scenes


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


@dataclass
class Blob:
    row: float
    col: float
    sigma_r: float
    sigma_c: float
    amplitude: float  # in expected-count units of the scene (bone = 1 concentration)

    def image(self, r0: int, c0: int, rows: int, cols: int) -> np.ndarray:
        rr, cc = np.ogrid[r0:r0 + rows, c0:c0 + cols]
        return (self.amplitude * np.exp(-0.5 * (((rr - self.row) / self.sigma_r) ** 2 + ((cc - self.col) / self.sigma_c) ** 2))
                ).astype(np.float32)

    def total(self) -> float:
        return self.amplitude * 2.0 * np.pi * self.sigma_r * self.sigma_c


class CountPatchSampler:
    """Random (input, target, weight) patches for count restoration. Half are centred near a lesion; the weight is
    ``lesion_weight`` inside lesions (radius + 1 px) and up to ``peak_weight`` on compact local maxima of the target
    (any hot spot, lesion or not, must survive the smoothing)."""

    def __init__(self, scenes: list[Scene], patch: int, rng: np.random.Generator, lesion_weight: float = 10.0,
                 peak_weight: float = 4.0):
        self.scenes, self.patch, self.rng = scenes, patch, rng
        self.lesion_weight, self.peak_weight = lesion_weight, peak_weight

    def _mixture(self, scene: Scene) -> tuple[dict[str, float], list[Blob]]:
        rng = self.rng
        weights = {
            "bone": 1.0 if rng.random() > 0.15 else _log_uniform(rng, 0.05, 0.5),
            "soft": SOFT_4H * _log_uniform(rng, 0.5, 4.0),
            "kidney": KIDNEY_4H * _log_uniform(rng, 0.1, 4.0),
            "bladder": BLADDER_4H * _log_uniform(rng, 0.1, 4.0),
        }
        blobs = []
        if rng.random() < 0.5:
            base = sum(w * scene.part_means.get(k, 0.0) for k, w in weights.items()) / max(len(scene.body_pixels[0]), 1) \
                * scene.body.size  # mean expected value inside the body
            for _ in range(int(rng.integers(1, 5))):
                i = int(rng.integers(len(scene.body_pixels[0])))
                amp = base * _log_uniform(rng, 0.3, 6.0) * (-0.6 if rng.random() < 0.2 else 1.0)
                blobs.append(Blob(float(scene.body_pixels[0][i]), float(scene.body_pixels[1][i]),
                                  _log_uniform(rng, *BLOB_SIGMA_PX), _log_uniform(rng, *BLOB_SIGMA_PX), amp))
        return weights, blobs

    def _corner(self, scene: Scene, rows: int, cols: int) -> tuple[int, int]:
        p, rng = self.patch, self.rng
        if scene.lesions and rng.random() < 0.5:
            row, col, _ = scene.lesions[rng.integers(len(scene.lesions))]
            r = int(row) - int(rng.integers(p // 4, 3 * p // 4))
            c = int(col) - int(rng.integers(p // 4, 3 * p // 4))
            return int(np.clip(r, 0, rows - p)), int(np.clip(c, 0, cols - p))
        for _ in range(20):  # prefer patches that contain body
            r, c = int(rng.integers(0, rows - p + 1)), int(rng.integers(0, cols - p + 1))
            if np.mean(scene.body[r:r + p, c:c + p]) > 0.3:
                break
        return r, c

    def sample(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng, p = self.rng, self.patch
        scene = self.scenes[rng.integers(len(self.scenes))]
        rows, cols = scene.body.shape
        weights, blobs = self._mixture(scene)
        r, c = self._corner(scene, rows, cols)
        lam = sum(w * scene.parts[k][r:r + p, c:c + p] for k, w in weights.items() if k in scene.parts)
        view_total = sum(w * scene.part_means.get(k, 0.0) for k, w in weights.items()) * scene.body.size
        for b in blobs:
            lam = lam + b.image(r, c, p, p)
            view_total += b.total()
        lam = np.clip(lam, 0.0, None)
        view_mean = max(view_total / scene.body.size, 1e-9)
        y = (lam / view_mean).astype(np.float32)
        level = _log_uniform(rng, *MEAN_COUNT_RANGE)  # mean counts per pixel of the whole input view
        x = (rng.poisson(y.astype(np.float64) * level) / level).astype(np.float32)
        w = np.ones((p, p), np.float32)
        if self.peak_weight > 1:
            local = gaussian_filter(y, 3.0)
            excess = np.clip((y - local) / (local + 0.05 * float(y.mean()) + 1e-6), 0.0, 1.0)
            w += (self.peak_weight - 1.0) * excess
        rr, cc = np.ogrid[r:r + p, c:c + p]
        for lr, lc, lrad in scene.lesions:
            w[(rr - lr) ** 2 + (cc - lc) ** 2 <= (lrad + 1.0) ** 2] = self.lesion_weight
        if rng.random() < 0.5:  # the two views are mirror images of each other
            x, y, w = x[:, ::-1], y[:, ::-1], w[:, ::-1]
        if rng.random() < 0.5:  # other studies are not head-up: vertical flips too
            x, y, w = x[::-1], y[::-1], w[::-1]
        return x, y, w

    def batch(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = self.patch
        xs, ys, ws = (np.empty((size, 1, p, p), np.float32) for _ in range(3))
        for i in range(size):
            xs[i, 0], ys[i, 0], ws[i, 0] = self.sample()
        return xs, ys, ws
