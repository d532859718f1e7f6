"""Held-out evaluation on simulated tiles: what the card reports."""
from __future__ import annotations

import numpy as np
import torch

from .data import TileSet, to_input
from .metrics import PixelScores, dice


def probabilities(model: torch.nn.Module, rgb: np.ndarray, batch: int = 8) -> np.ndarray:
    """(N, H, W, 3) uint8 -> (N, H, W) tumour-like probability (softmax of the logits)."""
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(rgb), batch):
            logits = model(torch.from_numpy(to_input(rgb[i:i + batch])))
            out.append(torch.softmax(logits, dim=1)[:, 1].numpy())
    return np.concatenate(out)


def evaluate(model: torch.nn.Module, tiles: TileSet, threshold: float = 0.5) -> dict:
    prob = probabilities(model, tiles.rgb)
    overall = PixelScores(threshold)
    per_scene: dict[str, PixelScores] = {}
    tile_dice = []
    lymph_fp = lymph_px = squamous_fp = squamous_px = 0
    for k in range(len(prob)):
        overall.add(prob[k], tiles.mask[k])
        per_scene.setdefault(tiles.scenes[k], PixelScores(threshold)).add(prob[k], tiles.mask[k])
        if tiles.mask[k].any():
            tile_dice.append(dice(prob[k] >= threshold, tiles.mask[k]))
        lymph_fp += int((prob[k][tiles.lymphoid[k]] >= threshold).sum())
        lymph_px += int(tiles.lymphoid[k].sum())
        squamous_fp += int((prob[k][tiles.squamous[k]] >= threshold).sum())
        squamous_px += int(tiles.squamous[k].sum())
    return {
        "tiles": len(prob),
        "threshold": threshold,
        "pixel_dice": round(overall.dice(), 4),
        "pixel_iou": round(overall.iou(), 4),
        "pixel_auc": round(overall.auc(), 4),
        "sensitivity": round(overall.sensitivity(), 4),
        "specificity": round(overall.specificity(), 4),
        "mean_dice_of_tiles_with_tumour": round(float(np.mean(tile_dice)), 4) if tile_dice else None,
        "tiles_with_tumour": len(tile_dice),
        "false_positive_fraction_in_lymphoid_aggregates": round(lymph_fp / max(lymph_px, 1), 4),
        "false_positive_fraction_in_benign_solid_epithelium": round(squamous_fp / max(squamous_px, 1), 4),
        "positive_fraction_by_scene": {s: round(v.positive_fraction(), 4) for s, v in sorted(per_scene.items())},
        "tiles_by_scene": {s: tiles.scenes.count(s) for s in sorted(set(tiles.scenes))},
    }
