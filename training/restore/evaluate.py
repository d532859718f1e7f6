"""Held-out comparison: raw input, Gaussian, Anscombe + NLM and the network at fixed count levels.

Baseline parameters are tuned for PSNR on training views only; the test views are used once.
"""
from __future__ import annotations

import time
from typing import Callable

import numpy as np
import torch

from . import baselines, metrics
from .data import ViewPair

SIGMAS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
NLM_H = (0.25, 0.35, 0.45, 0.6, 0.8, 1.0)


def _noise_rng(pair: ViewPair, fraction: float) -> np.random.Generator:
    return np.random.default_rng([pair.seed, 0 if pair.view == "anterior" else 1, int(round(fraction * 1000))])


def tune_baselines(pairs: list[ViewPair], fraction: float) -> dict[str, float]:
    inputs = [p.noisy_input(fraction, _noise_rng(p, fraction)) for p in pairs]
    best_sigma = max(SIGMAS, key=lambda s: np.mean([metrics.psnr(p.target, baselines.gaussian(x, s))
                                                       for p, (_, x) in zip(pairs, inputs)]))
    def nlm_score(h):
        return np.mean([metrics.psnr(p.target, baselines.anscombe_nlm(c, h) / c.mean()) for p, (c, _) in zip(pairs, inputs)])
    best_h = max(NLM_H, key=nlm_score)
    return {"gaussian_sigma_px": float(best_sigma), "nlm_h": float(best_h)}


def network_runner(model: torch.nn.Module) -> Callable[[np.ndarray], np.ndarray]:
    model.eval()

    def run(x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.from_numpy(np.ascontiguousarray(x, np.float32))[None, None]).numpy()[0, 0]
    return run


def evaluate(pairs: list[ViewPair], fraction: float, params: dict[str, float],
             network: Callable[[np.ndarray], np.ndarray]) -> dict[str, dict[str, float]]:
    methods = {
        "raw": lambda c, x: x,
        "gaussian": lambda c, x: baselines.gaussian(x, params["gaussian_sigma_px"]),
        "anscombe_nlm": lambda c, x: baselines.anscombe_nlm(c, params["nlm_h"]) / c.mean(),
        "network": lambda c, x: network(x),
    }
    scores: dict[str, dict[str, list[float]]] = {m: {"psnr": [], "ssim": [], "recovery": [], "seconds": []} for m in methods}
    for pair in pairs:
        counts, x = pair.noisy_input(fraction, _noise_rng(pair, fraction))
        for name, method in methods.items():
            t = time.time()
            y = method(counts, x)
            scores[name]["seconds"].append(time.time() - t)
            scores[name]["psnr"].append(metrics.psnr(pair.target, y))
            scores[name]["ssim"].append(metrics.ssim(pair.target, y))
            scores[name]["recovery"] += metrics.contrast_recovery(pair.target, y, pair.lesions)
    out = {}
    for name, s in scores.items():
        r = np.array(s["recovery"])
        out[name] = {
            "psnr_db": float(np.mean(s["psnr"])),
            "ssim": float(np.mean(s["ssim"])),
            "contrast_recovery_mean": float(r.mean()) if r.size else float("nan"),
            "contrast_recovery_median": float(np.median(r)) if r.size else float("nan"),
            "contrast_recovery_p10": float(np.percentile(r, 10)) if r.size else float("nan"),
            "contrast_recovery_min": float(r.min()) if r.size else float("nan"),
            "lesions": int(r.size),
            "lesions_below_half_contrast": int(np.sum(r < 0.5)),
            "seconds_per_view": float(np.mean(s["seconds"])),
        }
    return out


def markdown_table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| counts (of 4 h level) | method | PSNR (dB) | SSIM | contrast recovery mean | median | 10th pct | min | lesions < 0.5 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for level, by_method in results.items():
        for name, m in by_method.items():
            lines.append(f"| {level} | {name} | {m['psnr_db']:.2f} | {m['ssim']:.4f} | {m['contrast_recovery_mean']:.3f} | "
                         f"{m['contrast_recovery_median']:.3f} | {m['contrast_recovery_p10']:.3f} | {m['contrast_recovery_min']:.3f} | "
                         f"{m['lesions_below_half_contrast']}/{m['lesions']} |")
    return "\n".join(lines)
