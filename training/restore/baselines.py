"""Classical restorations the network is compared with."""
from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter
from skimage.restoration import denoise_nl_means


def gaussian(x: np.ndarray, sigma_px: float) -> np.ndarray:
    return gaussian_filter(x.astype(np.float32), sigma_px) if sigma_px > 0 else x


def anscombe(counts: np.ndarray) -> np.ndarray:
    """Variance-stabilising transform: Poisson counts -> approximately unit-variance Gaussian."""
    return 2.0 * np.sqrt(counts + 3.0 / 8.0)


def inverse_anscombe(a: np.ndarray) -> np.ndarray:
    """Closed-form approximation of the exact unbiased inverse (Makitalo & Foi, 2011)."""
    a = np.maximum(a, 1.0)
    return 0.25 * a ** 2 + 0.25 * np.sqrt(1.5) / a - 1.375 / a ** 2 + 0.625 * np.sqrt(1.5) / a ** 3 - 0.125


def anscombe_nlm(counts: np.ndarray, h: float, patch_size: int = 5, patch_distance: int = 6) -> np.ndarray:
    """Non-local means in the Anscombe domain (noise sigma = 1 there), back to counts."""
    a = anscombe(counts.astype(np.float64))
    d = denoise_nl_means(a, h=h, sigma=1.0, patch_size=patch_size, patch_distance=patch_distance, fast_mode=True)
    return np.clip(inverse_anscombe(d), 0.0, None).astype(np.float32)
