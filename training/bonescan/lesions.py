"""Bone metastases: hot (osteoblastic) spheres and cold (photopenic, lytic) defects.

Lesions are placed inside bones where metastases are common (axial skeleton first), with
diameters of 1-4 cm. Hot lesions are extra spheres of bone-seeking activity; cold lesions
remove a share of the host bone's activity. The list of lesions is returned as ground truth
so that contrast can be measured in the right places.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import Footprint, Grid, ellipsoid

# Share of metastases per region: spine, ribs and pelvis dominate (red-marrow distribution).
REGION_WEIGHTS = {"spine": 0.35, "rib": 0.20, "pelvis": 0.15, "femur": 0.08, "skull": 0.07,
                  "sternum": 0.05, "humerus": 0.05, "scapula": 0.05}


@dataclass(frozen=True)
class Lesion:
    row: float  # centre, pixel row (same in both views)
    col: float  # centre, pixel column in the anterior view (mirror it for the posterior view)
    radius_px: float
    kind: str  # "hot" or "cold"
    uptake_ratio: float  # lesion / host bone concentration (>1 hot, <1 cold)
    host: str
    region: str
    z_cm: float

    def col_in(self, view: str, cols: int) -> float:
        return self.col if view == "anterior" else cols - 1 - self.col


def place_lesions(grid: Grid, bones: list[Footprint], rng: np.random.Generator, count: int,
                  cold_fraction: float = 0.2) -> tuple[list[Lesion], list[Footprint]]:
    """Place ``count`` lesions; cold ones edit their host in place, hot ones come back as new footprints."""
    hosts = {r: [b for b in bones if b.region == r] for r in REGION_WEIGHTS}
    regions = [r for r in REGION_WEIGHTS if hosts[r]]
    weights = np.array([REGION_WEIGHTS[r] for r in regions])
    lesions: list[Lesion] = []
    extra: list[Footprint] = []
    attempts = 0
    while len(lesions) < count and attempts < 50 * max(count, 1):
        attempts += 1
        region = regions[rng.choice(len(regions), p=weights / weights.sum())]
        host = hosts[region][rng.integers(len(hosts[region]))]
        rows, cols = np.nonzero(host.activity >= 0.5 * host.activity.max())
        if rows.size == 0:
            continue
        i = rng.integers(rows.size)
        r = float(rng.uniform(0.5, 2.0))  # radius in cm: 1-4 cm diameter
        row, col = host.box[0] + rows[i], host.box[2] + cols[i]
        if any(np.hypot(row - l.row, col - l.col) * grid.pixel_cm < r + l.radius_px * grid.pixel_cm + 1.0 for l in lesions):
            continue
        x = (col + 0.5 - grid.cols / 2) * grid.pixel_cm
        y = (row + 0.5) * grid.pixel_cm
        z = float(host.z[rows[i], cols[i]])
        sphere = ellipsoid(grid, f"lesion {len(lesions)}", "bone", (x, y), (r, r), r, 1.0, z)
        if sphere is None:
            continue
        if rng.random() < cold_fraction:
            ratio = float(rng.uniform(0.05, 0.4))
            _carve(host, sphere, r, ratio)
            kind = "cold"
        else:
            ratio = float(rng.uniform(1.6, 5.0))
            sphere.activity *= np.float32((ratio - 1.0) * host.density)
            extra.append(sphere)
            kind = "hot"
        lesions.append(Lesion(float(row), float(col), r / grid.pixel_cm, kind, ratio, host.name, region, z))
    return lesions, extra


def _carve(host: Footprint, sphere: Footprint, r: float, ratio: float) -> None:
    """Scale the host's activity down to ``ratio`` in the sphere's core, smoothly at its rim."""
    hr0, hr1, hc0, hc1 = host.box
    sr0, sr1, sc0, sc1 = sphere.box
    r0, r1, c0, c1 = max(hr0, sr0), min(hr1, sr1), max(hc0, sc0), min(hc1, sc1)
    if r0 >= r1 or c0 >= c1:
        return
    weight = sphere.activity[r0 - sr0:r1 - sr0, c0 - sc0:c1 - sc0] / (2.0 * r)
    host.activity[r0 - hr0:r1 - hr0, c0 - hc0:c1 - hc0] *= 1.0 - (1.0 - ratio) * weight
