"""Held-out evaluation of count restoration (bone-denoise-counts), as judges evaluate real scans: binomial thinning.

"late" set: each held-out view's full-count 4 h Poisson acquisition (export_eval.simulate, the same one the C#
command reads) is thinned binomially to 50 % and 25 %; the reference is the noise-free 4 h view / its mean.
"early" set: the 2 h inputs of evaluate.py (same noise), against the 4 h reference: a count model is not meant to
turn 2 h into 4 h, and this shows what it gives there.
Per-lesion contrast recovery is reported in full: mean, median, 5th percentile, min, counts below 0.5 and 0.9.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..bonescan import thin_counts
from . import baselines, metrics
from .data import ViewPair
from .evaluate import _noise_rng, network_runner

FRACTIONS = (0.5, 0.25)
GAUSSIAN_SIGMA = {"50%": 0.75, "25%": 1.0}  # halflife-evaluate's tuned values (training views only)


def thinning_rng(pair: ViewPair, fraction: float) -> np.random.Generator:
    return np.random.default_rng([pair.seed, 0 if pair.view == "anterior" else 1, int(round(fraction * 1000)), 7])


def late_input(pair: ViewPair, full: np.ndarray, fraction: float) -> np.ndarray:
    """The full-count 4 h acquisition thinned to ``fraction`` (seeded per view and level)."""
    return thin_counts(full, fraction, thinning_rng(pair, fraction)).astype(np.float32)


def lesion_summary(recovery: list[float]) -> dict[str, float]:
    r = np.asarray(recovery, dtype=np.float64)
    if r.size == 0:
        return {"lesions": 0}
    return {"contrast_recovery_mean": float(r.mean()), "contrast_recovery_median": float(np.median(r)),
            "contrast_recovery_p5": float(np.percentile(r, 5)), "contrast_recovery_p10": float(np.percentile(r, 10)),
            "contrast_recovery_min": float(r.min()), "lesions": int(r.size),
            "lesions_below_half_contrast": int(np.sum(r < 0.5)), "lesions_below_0_9": int(np.sum(r < 0.9))}


def score(views, methods: dict[str, Callable[[np.ndarray], np.ndarray]]) -> dict[str, dict[str, float]]:
    """``views``: (pair, counts) tuples; every method gets counts and returns an image in input-mean units."""
    s = {m: {"psnr": [], "ssim": [], "recovery": []} for m in methods}
    for pair, counts in views:
        for name, method in methods.items():
            y = method(counts)
            s[name]["psnr"].append(metrics.psnr(pair.target, y))
            s[name]["ssim"].append(metrics.ssim(pair.target, y))
            s[name]["recovery"] += metrics.contrast_recovery(pair.target, y, pair.lesions)
    return {m: {"psnr_db": float(np.mean(v["psnr"])), "ssim": float(np.mean(v["ssim"])), **lesion_summary(v["recovery"])}
            for m, v in s.items()}


def evaluate_all(model, test_pairs: list[ViewPair], log=print, early_model=None) -> dict:
    from .export_eval import simulate  # the same full-count acquisitions halflife-evaluate reads
    net = network_runner(model)
    early_net = network_runner(early_model) if early_model is not None else None
    fulls = {(p.seed, p.view): full for p, full in simulate(sorted({p.seed for p in test_pairs}),
                                                           lesions_per_study=lambda seed: 3 + seed % 4)}
    results = {}
    for fraction in FRACTIONS:
        level = f"{int(fraction * 100)}%"
        sigma = GAUSSIAN_SIGMA[level]
        norm = lambda c: c / max(float(c.mean()), 1e-12)  # noqa: E731
        methods = {"raw": norm, "gaussian": lambda c: baselines.gaussian(norm(c), sigma), "counts-model": lambda c: net(norm(c))}
        if early_net is not None:
            methods["2h-to-4h-model"] = lambda c: early_net(norm(c))
        late = [(p, late_input(p, fulls[(p.seed, p.view)], fraction)) for p in test_pairs]
        results[f"late 4 h thinned, {level}"] = score(late, methods)
        early = [(p, p.noisy_input(fraction, _noise_rng(p, fraction))[0]) for p in test_pairs]
        results[f"early 2 h vs 4 h, {level}"] = score(early, methods)
        log(f"{level}: evaluated {len(test_pairs)} held-out views")
    return results


def markdown_table(results: dict) -> str:
    lines = ["| set, counts | method | PSNR (dB) | SSIM | recovery mean | median | 5th pct | min | < 0.5 | < 0.9 |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for level, by_method in results.items():
        for name, m in by_method.items():
            lines.append(f"| {level} | {name} | {m['psnr_db']:.2f} | {m['ssim']:.4f} | {m['contrast_recovery_mean']:.3f} | "
                         f"{m['contrast_recovery_median']:.3f} | {m['contrast_recovery_p5']:.3f} | {m['contrast_recovery_min']:.3f} | "
                         f"{m['lesions_below_half_contrast']}/{m['lesions']} | {m['lesions_below_0_9']}/{m['lesions']} |")
    return "\n".join(lines)
