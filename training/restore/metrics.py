"""Image quality: PSNR, SSIM and lesion contrast recovery against the 4 h reference.

The peak used for PSNR and SSIM is the 99th percentile of the reference (not its maximum):
the bladder is often the hottest object and would otherwise set the scale for the skeleton.
"""
from __future__ import annotations

import numpy as np
from skimage.metrics import structural_similarity


def peak(reference: np.ndarray) -> float:
    return float(np.percentile(reference, 99.0))


def psnr(reference: np.ndarray, image: np.ndarray) -> float:
    mse = float(np.mean((reference.astype(np.float64) - image) ** 2))
    return float("inf") if mse == 0 else 10.0 * np.log10(peak(reference) ** 2 / mse)


def ssim(reference: np.ndarray, image: np.ndarray) -> float:
    """Wang et al. (2004) SSIM: Gaussian window sigma 1.5, K1 0.01, K2 0.03."""
    return float(structural_similarity(reference.astype(np.float64), image.astype(np.float64), data_range=peak(reference),
                                       gaussian_weights=True, sigma=1.5, use_sample_covariance=False))


def lesion_contrast(image: np.ndarray, row: float, col: float, radius_px: float) -> float:
    """(mean in lesion core - mean in a surrounding ring) / mean in the ring.

    Core: within 0.8 radius (at least 1.5 px). Ring: from radius + 2 px to radius + 6 px.
    """
    rr, cc = np.ogrid[0:image.shape[0], 0:image.shape[1]]
    d = np.sqrt((rr - row) ** 2 + (cc - col) ** 2)
    core = d <= max(0.8 * radius_px, 1.5)
    ring = (d >= radius_px + 2.0) & (d <= radius_px + 6.0)
    background = float(image[ring].mean())
    if background <= 0:
        return float("nan")
    return (float(image[core].mean()) - background) / background


def contrast_recovery(reference: np.ndarray, image: np.ndarray, lesions, min_reference_contrast: float = 0.1) -> list[float]:
    """Per lesion: contrast in image / contrast in reference, for lesions visible in the reference."""
    out = []
    for row, col, radius in lesions:
        c_ref = lesion_contrast(reference, row, col, radius)
        if not np.isfinite(c_ref) or abs(c_ref) < min_reference_contrast:
            continue
        out.append(lesion_contrast(image, row, col, radius) / c_ref)
    return out
