"""Procedural H&E tiles with a pixel mask of "tumour-like" tissue.

What it emulates (general histology knowledge, not any data set): a 256 x 256 tile of an
H&E section at 1.0 micrometre per pixel (about a 10x objective) of glandular tissue.

* normal tissue: pink, fibrous stroma (eosin) with sparse spindle-shaped fibroblast nuclei,
  and glands: a white lumen lined by one layer of epithelium whose small, regular, evenly
  stained nuclei sit side by side at the base;
* tumour-like tissue (the label): solid sheets of cells with loss of glandular architecture
  and the nuclear features pathologists read as malignant: crowding, enlargement (1.5-3x),
  pleomorphism (variable size and outline), hyperchromasia, coarse chromatin, nucleoli, and
  a more basophilic (purple) cytoplasm;
* hard negatives: lymphoid aggregates (crowded, very dark but small, round, uniform nuclei),
  benign solid epithelium such as squamous epithelium (a sheet of cells with purple-pink
  cytoplasm and regular, normochromatic nuclei, and a crowded, dark basal layer at its edge),
  tissue edges against the white glass, fat or tear holes;
* staining and scanning: stain hue and strength, illumination, blur, noise and JPEG
  compression vary per tile (stains.StainStyle).

The mask marks the region the tumour-like cells were drawn in; it is the ground truth the
model learns and is measured against. Nothing here comes from patient data, and the model
trained on it is a demonstration, not a diagnostic tool (training/segmentation/README.md).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from . import nuclei as cells
from .stains import StainStyle, render

MICRONS_PER_PIXEL = 1.0
TILE = 256
SCENES = ("normal", "tumour", "lymphoid", "squamous", "stroma", "edge")
SCENE_WEIGHTS = (0.20, 0.38, 0.14, 0.14, 0.06, 0.08)


@dataclass
class SimulatedTile:
    seed: int
    scene: str
    rgb: np.ndarray  # (H, W, 3) uint8
    mask: np.ndarray  # (H, W) uint8, 1 = tumour-like
    tissue: np.ndarray  # (H, W) bool, False = glass or lumen
    lymphoid: np.ndarray  # (H, W) bool, lymphoid aggregate region (a negative)
    squamous: np.ndarray  # (H, W) bool, benign solid epithelium (a negative)
    nuclei: list[cells.Nucleus]
    hematoxylin: np.ndarray  # (H, W) float32, noise-free concentration before staining variation
    nuclear: np.ndarray  # (H, W) float32, nuclear coverage 0..1
    style: StainStyle


def _smooth_noise(rng, shape, sigma) -> np.ndarray:
    f = ndimage.gaussian_filter(rng.normal(0, 1, shape), sigma)
    return (f - f.mean()) / (f.std() + 1e-12)


def _blob(rng, size, cover: float, sigma: float) -> np.ndarray:
    """A random smooth region covering about ``cover`` of the tile."""
    f = _smooth_noise(rng, (size, size), sigma)
    return f > np.quantile(f, 1.0 - cover)


def _fibres(rng, size, angle: float) -> np.ndarray:
    """Collagen: noise smeared along one direction (wavy bundles), 0..1."""
    big = int(size * 1.5)
    f = ndimage.gaussian_filter(rng.normal(0, 1, (big, big)), (0.9, 7.0))
    f = ndimage.rotate(f, np.degrees(angle), reshape=False, order=1, mode="reflect")
    o = (big - size) // 2
    f = f[o:o + size, o:o + size]
    return np.clip(0.5 + 0.5 * f / (f.std() + 1e-12), 0, 1)


def _grid_points(rng, mask: np.ndarray, spacing: float, jitter: float, dropout: float) -> list[tuple[float, float]]:
    """Jittered hexagonal packing restricted to ``mask``: crowded but not overlapping much."""
    rows, cols = mask.shape
    pts = []
    dy = spacing * np.sqrt(3) / 2
    for i, y in enumerate(np.arange(rng.uniform(0, dy), rows, dy)):
        for x in np.arange((i % 2) * spacing / 2 + rng.uniform(0, spacing / 2), cols, spacing):
            py, px = y + rng.normal(0, jitter * spacing), x + rng.normal(0, jitter * spacing)
            if 0 <= py < rows and 0 <= px < cols and mask[int(py), int(px)] and rng.random() >= dropout:
                pts.append((py, px))
    return pts


def _glands(rng, size, free: np.ndarray, count: int, h, e, painter) -> np.ndarray:
    """Normal glands: lumen, one epithelial layer, basal nuclei in a regular row. Returns the lumen mask."""
    lumen_all = np.zeros((size, size), bool)
    occupied = ~free
    yy, xx = np.mgrid[0:size, 0:size]
    for _ in range(count):
        for _attempt in range(12):
            a = rng.uniform(9, 30)
            b = a * rng.uniform(0.45, 1.0)
            t = rng.uniform(9, 13)  # epithelium thickness
            cy, cx, ang = rng.uniform(0, size), rng.uniform(0, size), rng.uniform(0, np.pi)
            c, s = np.cos(ang), np.sin(ang)
            u, v = (xx - cx) * c + (yy - cy) * s, -(xx - cx) * s + (yy - cy) * c
            outer = (u / (a + t + 3)) ** 2 + (v / (b + t + 3)) ** 2 <= 1
            if (outer & occupied).sum() <= 0.02 * outer.sum():
                break
        else:
            continue
        occupied |= outer
        lumen = (u / a) ** 2 + (v / b) ** 2 <= 1
        epithelium = ((u / (a + t)) ** 2 + (v / (b + t)) ** 2 <= 1) & ~lumen
        h[epithelium] = 0.10 + rng.uniform(0, 0.04)
        e[epithelium] = rng.uniform(0.18, 0.28)
        h[lumen] = 0.0
        e[lumen] = rng.uniform(0.0, 0.08) if rng.random() < 0.4 else 0.0  # some hold pale secretion
        lumen_all |= lumen
        # Nuclei in a row near the basement membrane, evenly spaced, long axis perpendicular to it.
        ts = np.linspace(0, 2 * np.pi, 720, endpoint=False)
        ra, rb = a + 0.65 * t, b + 0.65 * t
        px_, py_ = ra * np.cos(ts), rb * np.sin(ts)
        arc = np.concatenate([[0], np.cumsum(np.hypot(np.diff(px_), np.diff(py_)))])
        step = rng.uniform(7.0, 9.0)
        for target in np.arange(rng.uniform(0, step), arc[-1], step):
            k = int(np.searchsorted(arc, target))
            k = min(k, len(ts) - 1)
            ox, oy = px_[k], py_[k]
            x, y = cx + ox * c - oy * s, cy + ox * s + oy * c
            normal = np.arctan2(oy / rb ** 2, ox / ra ** 2) + ang
            if 0 <= y < size and 0 <= x < size and free[int(y), int(x)]:
                painter.paint(cells.epithelial(rng, y + rng.normal(0, 0.5), x + rng.normal(0, 0.5), normal))
    return lumen_all


def simulate_tile(seed: int, size: int = TILE, scene: str | None = None) -> SimulatedTile:
    rng = np.random.default_rng(seed)
    if scene is None:
        scene = str(rng.choice(SCENES, p=SCENE_WEIGHTS))
    if scene not in SCENES:
        raise ValueError(f"unknown scene '{scene}' (one of {', '.join(SCENES)})")

    # Tissue against glass: an edge tile, or now and then a tear or a fat cell inside tissue.
    tissue = np.ones((size, size), bool)
    if scene == "edge" or rng.random() < 0.12:
        ramp = np.linspace(-1, 1, size)
        d = rng.uniform(0, 2 * np.pi)
        field = 2.2 * (np.cos(d) * ramp[None, :] + np.sin(d) * ramp[:, None]) + 0.6 * _smooth_noise(rng, (size, size), 18)
        tissue = field > np.quantile(field, rng.uniform(0.2, 0.7))
    if rng.random() < 0.3:
        tissue &= ~_blob(rng, size, rng.uniform(0.02, 0.08), rng.uniform(5, 10))

    # Stroma: eosinophilic collagen with a trace of hematoxylin.
    fibre_angle = rng.uniform(0, np.pi)
    e = (rng.uniform(0.22, 0.42) + rng.uniform(0.12, 0.3) * _fibres(rng, size, fibre_angle)).astype(np.float64)
    e *= 1 + 0.15 * _smooth_noise(rng, (size, size), 20)
    h = np.full((size, size), rng.uniform(0.02, 0.06))

    tumour_region = np.zeros((size, size), bool)
    lymph_region = np.zeros((size, size), bool)
    if scene == "tumour":
        tumour_region = np.ones_like(tissue) if rng.random() < 0.15 else _blob(rng, size, rng.uniform(0.15, 0.7), rng.uniform(12, 30))
    if scene == "lymphoid" or (scene == "tumour" and rng.random() < 0.2):
        lymph_region = _blob(rng, size, rng.uniform(0.12, 0.5), rng.uniform(10, 22)) & ~ndimage.binary_dilation(tumour_region, iterations=4)
    squamous_region = np.zeros((size, size), bool)
    if scene == "squamous" or (scene in ("tumour", "lymphoid") and rng.random() < 0.2):
        squamous_region = _blob(rng, size, rng.uniform(0.25, 0.75), rng.uniform(14, 30)) \
            & ~ndimage.binary_dilation(tumour_region | lymph_region, iterations=6)
    tumour_region &= tissue
    lymph_region &= tissue
    squamous_region &= tissue

    painter = cells.NucleusPainter(h, e, rng)
    free = tissue & ~ndimage.binary_dilation(tumour_region | lymph_region | squamous_region, iterations=6)
    gland_count = {"normal": rng.integers(2, 7), "tumour": rng.integers(0, 4), "lymphoid": rng.integers(0, 3),
                   "squamous": rng.integers(0, 2), "stroma": 0, "edge": rng.integers(0, 4)}[scene]
    lumen = _glands(rng, size, free, int(gland_count), h, e, painter)
    tissue &= ~lumen

    # Tumour-like cells: solid sheet, basophilic cytoplasm, crowded abnormal nuclei.
    if tumour_region.any():
        grade = rng.uniform(0, 1)
        h[tumour_region] = rng.uniform(0.12, 0.2)
        e[tumour_region] = rng.uniform(0.14, 0.26) * (1 + 0.2 * _smooth_noise(rng, (size, size), 3))[tumour_region]
        for y, x in _grid_points(rng, tumour_region, rng.uniform(10.5, 15.0) - 1.5 * grade, 0.22, 0.06):
            painter.paint(cells.tumour(rng, y, x, grade))
    if lymph_region.any():
        e[lymph_region] *= 0.45  # scant cytoplasm
        for y, x in _grid_points(rng, lymph_region, rng.uniform(6.8, 8.6), 0.22, 0.08):
            painter.paint(cells.lymphocyte(rng, y, x))

    if squamous_region.any():
        h[squamous_region] = rng.uniform(0.07, 0.15)
        e[squamous_region] = rng.uniform(0.26, 0.42) * (1 + 0.15 * _smooth_noise(rng, (size, size), 4))[squamous_region]
        edge_band = squamous_region & ~ndimage.binary_erosion(squamous_region, iterations=int(rng.integers(6, 11)))
        for y, x in _grid_points(rng, squamous_region & ~edge_band, rng.uniform(10.0, 15.0), 0.2, 0.05):
            painter.paint(cells.squamous(rng, y, x))
        for y, x in _grid_points(rng, edge_band, rng.uniform(6.5, 8.5), 0.2, 0.1):
            painter.paint(cells.basal(rng, y, x))

    stroma = tissue & ~ndimage.binary_dilation(tumour_region | lymph_region | squamous_region, iterations=2) & (h < 0.09)
    density = rng.uniform(1 / 1100, 1 / 450)
    for _ in range(rng.poisson(density * stroma.sum())):
        y, x = rng.uniform(0, size), rng.uniform(0, size)
        if stroma[int(y), int(x)]:
            painter.paint(cells.fibroblast(rng, y, x, -fibre_angle + rng.normal(0, 0.25)))

    glass = ~tissue & ~lumen
    h[glass], e[glass] = 0.0, 0.0
    h_clean = h.astype(np.float32)  # before the stain style scales it
    style = StainStyle.random(rng)
    rgb = render(h, e, style, rng)
    return SimulatedTile(int(seed), scene, rgb, tumour_region.astype(np.uint8), tissue, lymph_region, squamous_region, painter.drawn,
                         h_clean, painter.nuclear, style)
