"""Cell nuclei drawn into a hematoxylin concentration map.

A nucleus is an ellipse whose outline is perturbed by a few low harmonics (pleomorphism),
filled with hematoxylin whose strength follows the cell type (hyperchromasia) and whose
chromatin is fine or coarse; tumour nuclei may show a nucleolus and chromatin clumped at
the rim. Sizes are in pixels at 1 micrometre per pixel (the simulator's scale).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Nucleus:
    kind: str  # "epithelial", "fibroblast", "lymphocyte", "tumour"
    y: float
    x: float
    a: float  # semi-axes, px
    b: float
    angle: float  # radians
    hematoxylin: float  # peak concentration, OD units
    irregularity: float  # amplitude of the outline's harmonics (0 = ellipse)
    chromatin: float  # contrast of the chromatin texture (0 = smooth)
    nucleolus: bool

    @property
    def area(self) -> float:
        return float(np.pi * self.a * self.b)


class NucleusPainter:
    """Paints nuclei into shared H and E maps and keeps a label image of who is where."""

    def __init__(self, h: np.ndarray, e: np.ndarray, rng: np.random.Generator):
        self.h, self.e, self.rng = h, e, rng
        self.nuclear = np.zeros(h.shape, np.float32)  # soft coverage 0..1
        self.drawn: list[Nucleus] = []
        # One chromatin texture for the whole tile, read under each nucleus: cheaper than per-nucleus noise.
        from scipy import ndimage
        fine = ndimage.gaussian_filter(rng.normal(0, 1, h.shape), 0.7)
        coarse = ndimage.gaussian_filter(rng.normal(0, 1, h.shape), 1.4)
        self.fine = fine / fine.std()
        self.coarse = coarse / coarse.std()

    def paint(self, n: Nucleus) -> None:
        rows, cols = self.h.shape
        reach = int(np.ceil(max(n.a, n.b) * (1 + 2 * n.irregularity) + 2))
        y0, y1 = max(int(n.y) - reach, 0), min(int(n.y) + reach + 1, rows)
        x0, x1 = max(int(n.x) - reach, 0), min(int(n.x) + reach + 1, cols)
        if y0 >= y1 or x0 >= x1:
            return
        yy, xx = np.mgrid[y0:y1, x0:x1]
        dy, dx = yy - n.y, xx - n.x
        c, s = np.cos(n.angle), np.sin(n.angle)
        u, v = (dx * c + dy * s) / n.a, (-dx * s + dy * c) / n.b
        radius, phi = np.hypot(u, v), np.arctan2(v, u)
        outline = np.ones_like(phi)
        rng = self.rng
        if n.irregularity > 0:
            for k in (2, 3, 4, 5):
                outline += n.irregularity * rng.uniform(0.3, 1.0) / (k - 1) * np.cos(k * phi + rng.uniform(0, 2 * np.pi))
        depth = radius / np.maximum(outline, 0.3)  # 0 at the centre, 1 on the outline
        # About one pixel of soft edge whatever the size.
        alpha = np.clip((1.0 - depth) * min(n.a, n.b) + 0.5, 0.0, 1.0)
        texture = self.coarse if n.kind == "tumour" else self.fine
        density = n.hematoxylin * (1.0 + n.chromatin * texture[y0:y1, x0:x1])
        if n.kind == "tumour":
            density = density * (0.8 + 0.35 * np.clip(depth, 0, 1) ** 3)  # chromatin clumped at the membrane
        if n.nucleolus:
            ny, nx = n.y + rng.uniform(-0.3, 0.3) * n.b, n.x + rng.uniform(-0.3, 0.3) * n.a
            r = rng.uniform(1.0, 1.8)
            dot = np.clip(r + 0.5 - np.hypot(yy - ny, xx - nx), 0, 1)
            density = density + 0.5 * n.hematoxylin * dot
            self.e[y0:y1, x0:x1] += 0.25 * dot  # nucleoli are amphophilic
        density = np.clip(density, 0.05, None) * alpha
        self.h[y0:y1, x0:x1] = np.maximum(self.h[y0:y1, x0:x1], density)
        self.e[y0:y1, x0:x1] *= 1.0 - 0.6 * alpha  # little eosin inside the nucleus
        self.nuclear[y0:y1, x0:x1] = np.maximum(self.nuclear[y0:y1, x0:x1], alpha)
        self.drawn.append(n)


def epithelial(rng, y, x, angle) -> Nucleus:
    """Normal glandular epithelium: small, oval, regular, evenly stained, fine chromatin."""
    a = rng.uniform(3.2, 4.2)
    return Nucleus("epithelial", y, x, a, a / rng.uniform(1.3, 1.8), angle, rng.uniform(0.55, 0.8),
                   rng.uniform(0.0, 0.05), 0.12, False)


def fibroblast(rng, y, x, angle) -> Nucleus:
    """Stromal spindle cell: thin and elongated along the fibres."""
    a = rng.uniform(4.0, 7.0)
    return Nucleus("fibroblast", y, x, a, a / rng.uniform(2.8, 4.5), angle, rng.uniform(0.6, 0.9), 0.03, 0.1, False)


def lymphocyte(rng, y, x) -> Nucleus:
    """Small, round, very dark and uniform: crowded and dark, but NOT enlarged or pleomorphic."""
    r = rng.uniform(2.8, 3.6)
    return Nucleus("lymphocyte", y, x, r, r / rng.uniform(1.0, 1.15), rng.uniform(0, np.pi), rng.uniform(1.0, 1.4),
                   0.03, 0.1, False)


def tumour(rng, y, x, grade: float) -> Nucleus:
    """Malignant epithelium: enlarged (x1.5-3), variable in size and shape, hyperchromatic, coarse
    chromatin, often a nucleolus. ``grade`` 0..1 scales how abnormal the population is."""
    a = float(np.clip(rng.lognormal(np.log(5.0 + 2.5 * grade), 0.18 + 0.12 * grade), 4.2, 13.0))
    return Nucleus("tumour", y, x, a, a / rng.uniform(1.0, 1.6), rng.uniform(0, np.pi),
                   float(rng.uniform(0.8, 1.25) * (1 + 0.2 * grade)), rng.uniform(0.06, 0.12 + 0.12 * grade),
                   rng.uniform(0.2, 0.35), bool(rng.random() < 0.25 + 0.4 * grade))


def squamous(rng, y, x) -> Nucleus:
    """Benign stratified squamous (or other solid benign) epithelium: cells in a sheet, but nuclei
    modest, round to oval, regular and normochromatic, with plenty of cytoplasm between them."""
    a = rng.uniform(3.0, 4.3)
    return Nucleus("squamous", y, x, a, a / rng.uniform(1.0, 1.4), rng.uniform(0, np.pi), rng.uniform(0.5, 0.8),
                   rng.uniform(0.0, 0.05), 0.12, False)


def basal(rng, y, x) -> Nucleus:
    """Basal layer of a benign epithelium: crowded and dark, yet small, oval and uniform."""
    a = rng.uniform(3.0, 3.9)
    return Nucleus("basal", y, x, a, a / rng.uniform(1.2, 1.6), rng.uniform(0, np.pi), rng.uniform(0.8, 1.05),
                   rng.uniform(0.0, 0.05), 0.1, False)
