"""Count-level-invariant intensity scaling shared by training, evaluation and the model card.

Input:  x = counts / mean(counts)       (mean over every pixel of the view)
Output: y in the same units; restored counts = y * mean(counts).

Dividing by the mean makes the model see the same intensity range for a 0.5 M-count and a
4 M-count scan; only the noise level differs, which the model learns to read from the image.
"""
from __future__ import annotations

import numpy as np


def normalise(counts: np.ndarray) -> tuple[np.ndarray, float]:
    c = np.asarray(counts, dtype=np.float32)
    scale = float(c.mean())
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError("image has no counts to normalise by")
    return c / scale, scale


def denormalise(y: np.ndarray, scale: float) -> np.ndarray:
    return np.asarray(y, dtype=np.float32) * np.float32(scale)
