"""Runs the model over the real H&E slide in ../shared/data (read in place with OpenSlide) and
says where it fires. The slide is skin with no cancer annotation, so this is no accuracy
measurement: it shows how a model trained only on simulated tiles behaves on real tissue.

    /usr/bin/python3 -m training.segmentation.slide_check [slide] [overlay.png]
"""
from __future__ import annotations

import sys

import numpy as np
import torch
from PIL import Image
from scipy import ndimage

from .data import to_input
from .simulator import MICRONS_PER_PIXEL, TILE
from .stains import hematoxylin_od

OVERLAP = 32


def read_at_model_resolution(path: str) -> tuple[np.ndarray, float]:
    import openslide  # Debian python3-openslide; only this check needs it

    with openslide.OpenSlide(path) as slide:
        mpp = float(slide.properties.get(openslide.PROPERTY_NAME_MPP_X, 0) or 0)
        if mpp <= 0:
            raise ValueError(f"{path} does not state its microns per pixel")
        image = slide.read_region((0, 0), 0, slide.dimensions).convert("RGB")
    scale = mpp / MICRONS_PER_PIXEL
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return np.asarray(image.resize(size, Image.BOX)), mpp


def tiled_probability(model: torch.nn.Module, rgb: np.ndarray) -> np.ndarray:
    """Tiles of 256 overlapping by 32 px; each keeps its inner part (as the service stitches)."""
    h, w = rgb.shape[:2]
    ph, pw = max(h, TILE), max(w, TILE)
    padded = np.pad(rgb, ((0, ph - h), (0, pw - w), (0, 0)), mode="constant", constant_values=255)
    step = TILE - OVERLAP
    total = np.zeros((ph, pw), np.float64)
    weight = np.zeros((ph, pw), np.float64)
    inner = np.full((TILE, TILE), 1e-3)
    inner[OVERLAP // 2:TILE - OVERLAP // 2, OVERLAP // 2:TILE - OVERLAP // 2] = 1.0
    ys = sorted({*range(0, ph - TILE + 1, step), ph - TILE})
    xs = sorted({*range(0, pw - TILE + 1, step), pw - TILE})
    model.eval()
    with torch.no_grad():
        for y in ys:
            batch = np.stack([padded[y:y + TILE, x:x + TILE] for x in xs])
            prob = torch.softmax(model(torch.from_numpy(to_input(batch))), dim=1)[:, 1].numpy()
            for x, p in zip(xs, prob):
                total[y:y + TILE, x:x + TILE] += p * inner
                weight[y:y + TILE, x:x + TILE] += inner
    return (total / weight)[:h, :w]


def check(model: torch.nn.Module, path: str, overlay_png: str | None = None) -> dict:
    rgb, mpp = read_at_model_resolution(path)
    prob = tiled_probability(model, rgb)
    od = -np.log10(np.clip(rgb.astype(np.float64), 1, None) / 245.0).sum(axis=2)
    tissue = ndimage.binary_opening(od > 0.3, iterations=2)
    # Where in the tissue: hematoxylin-rich (cellular: here the epidermis and hair follicle
    # epithelium) versus eosin-rich (dermal collagen), by the local mean hematoxylin density.
    h_local = ndimage.uniform_filter(hematoxylin_od(rgb), 31)
    cellular = tissue & (h_local > np.quantile(h_local[tissue], 0.7))
    fires = prob >= 0.5
    result = {
        "slide": "cmu-1-small-region.svs (H&E skin, Aperio, 0.499 um/px; no cancer annotation)",
        "read_at_um_per_px": MICRONS_PER_PIXEL, "slide_um_per_px": mpp,
        "pixels": int(prob.size), "tissue_fraction": round(float(tissue.mean()), 4),
        "positive_fraction_of_tissue": round(float(fires[tissue].mean()), 4),
        "positive_fraction_of_background": round(float(fires[~tissue].mean()), 4),
        "positive_fraction_of_most_cellular_30pct_of_tissue": round(float(fires[cellular].mean()), 4),
        "positive_fraction_of_other_tissue": round(float(fires[tissue & ~cellular].mean()), 4),
        "threshold": 0.5,
    }
    if overlay_png:
        over = rgb.astype(np.float64).copy()
        alpha = np.clip((prob - 0.5) * 2, 0, 1)[..., None] * 0.6
        over = over * (1 - alpha) + np.array([230, 25, 75]) * alpha
        Image.fromarray(over.astype(np.uint8)).save(overlay_png)
    return result


def main(argv=None) -> None:
    import json
    import os

    from .model import SegmentationUNet

    argv = sys.argv[1:] if argv is None else argv
    path = argv[0] if argv else os.path.join("..", "shared", "data", "wsi", "cmu-1-small-region.svs")
    model = SegmentationUNet()
    model.load_state_dict(torch.load("training/runs/segmentation/he-tumour-seg-v1.pt"))
    print(json.dumps(check(model, path, argv[1] if len(argv) > 1 else None), indent=2))


if __name__ == "__main__":
    main()
