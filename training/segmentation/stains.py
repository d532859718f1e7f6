"""H&E colour in optical-density (OD) space, and the scanner's view of it.

Bright-field microscopy follows the Beer-Lambert law: each stain adds optical density
OD = -log10(I / I0) in proportion to its concentration, with a fixed colour (OD vector).
Tiles are therefore composed as hematoxylin and eosin concentration maps and only turned
into RGB at the end, which is also where staining and scanning vary between laboratories:
stain hue and strength, illumination, optical blur, sensor noise and JPEG compression.

Two published sets of OD vectors bracket the colours: Ruifrok & Johnston (Anal Quant Cytol
Histol 2001; skimage.color.rgb2hed uses them), whose eosin is magenta, and the reference
vectors of Macenko et al. (ISBI 2009) as common stain-normalisation code ships them, whose
eosin is redder, like the real slide in ../shared/data/wsi. Each tile mixes the two and
jitters the result.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

def _unit(v) -> np.ndarray:
    v = np.asarray(v, np.float64)
    return v / np.linalg.norm(v)


HEMATOXYLIN = _unit([0.65, 0.70, 0.29])  # Ruifrok & Johnston
EOSIN = _unit([0.07, 0.99, 0.11])
HEMATOXYLIN_MACENKO = _unit([0.5626, 0.7201, 0.4062])  # Macenko reference
EOSIN_MACENKO = _unit([0.2159, 0.8012, 0.5581])


@dataclass(frozen=True)
class StainStyle:
    """One laboratory's staining and one scanner's optics for a tile."""
    hematoxylin: np.ndarray  # OD vector (unit length)
    eosin: np.ndarray
    h_strength: float  # concentration multipliers (over- or under-staining)
    e_strength: float
    illumination: np.ndarray  # I0 per RGB channel, 0..255
    blur_sigma: float  # px; 0 = sharp
    noise_sigma: float  # sensor noise, 0..255 units
    jpeg_quality: int | None  # None = not compressed

    @staticmethod
    def random(rng: np.random.Generator) -> "StainStyle":
        def mix(a: np.ndarray, b: np.ndarray, amount: float) -> np.ndarray:
            t = rng.uniform(0, 1)
            return _unit(np.clip((1 - t) * a + t * b + rng.normal(0, amount, 3), 0.02, None))

        return StainStyle(
            hematoxylin=mix(HEMATOXYLIN, HEMATOXYLIN_MACENKO, 0.04),
            eosin=mix(EOSIN, EOSIN_MACENKO, 0.05),
            h_strength=float(rng.lognormal(0, 0.18)),
            e_strength=float(rng.lognormal(0, 0.25)),
            illumination=np.clip(rng.uniform(228, 252) + rng.normal(0, 3, 3), 200, 255),
            blur_sigma=float(rng.choice([0.0, rng.uniform(0.3, 1.3)], p=[0.3, 0.7])),
            noise_sigma=float(rng.uniform(0.5, 3.5)),
            jpeg_quality=int(rng.integers(55, 96)) if rng.random() < 0.75 else None,
        )

    @staticmethod
    def reference() -> "StainStyle":
        """Standard vectors, no blur, no noise, no compression (used by tests)."""
        return StainStyle(HEMATOXYLIN, EOSIN, 1.0, 1.0, np.array([245.0, 245.0, 245.0]), 0.0, 0.0, None)


def render(h: np.ndarray, e: np.ndarray, style: StainStyle, rng: np.random.Generator) -> np.ndarray:
    """Hematoxylin and eosin concentration maps (OD units) -> 8-bit RGB as a scanner delivers it."""
    od = (h * style.h_strength)[..., None] * style.hematoxylin + (e * style.e_strength)[..., None] * style.eosin
    rgb = style.illumination * np.power(10.0, -od)
    if style.blur_sigma > 0:
        rgb = ndimage.gaussian_filter(rgb, sigma=(style.blur_sigma, style.blur_sigma, 0))
    if style.noise_sigma > 0:
        rgb = rgb + rng.normal(0, style.noise_sigma, rgb.shape)
    out = np.clip(np.rint(rgb), 0, 255).astype(np.uint8)
    if style.jpeg_quality is not None:
        buf = io.BytesIO()
        Image.fromarray(out).save(buf, format="JPEG", quality=style.jpeg_quality)
        out = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")).copy()
    return out


def hematoxylin_od(rgb: np.ndarray, illumination: float = 245.0) -> np.ndarray:
    """Colour deconvolution with the Ruifrok & Johnston vectors: hematoxylin concentration per pixel.

    Used to measure tiles (tests, realism checks), not by the model.
    """
    od = -np.log10(np.clip(rgb.astype(np.float64), 1, None) / illumination)
    residual = np.cross(HEMATOXYLIN, EOSIN)
    basis = np.stack([HEMATOXYLIN, EOSIN, residual / np.linalg.norm(residual)])
    return (od.reshape(-1, 3) @ np.linalg.inv(basis))[:, 0].reshape(rgb.shape[:2])
