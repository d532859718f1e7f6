"""Soft tissue outline, kidneys and bladder.

The body is a union of elliptic cylinders (head, neck, torso, limbs). Each gives, per pixel,
the tissue thickness along the viewing axis; the union takes the maximum. Thickness drives
both the soft-tissue signal and the attenuation of everything inside the body.
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter

from .geometry import Footprint, Grid, ellipsoid, tube
from .limbs import LimbPose, limb_pose
from .patient import Patient


def torso_profile(p: Patient) -> list[tuple[float, float, float]]:
    """(height fraction, half-width, AP depth) along the torso, shoulders to crotch."""
    b = p.build
    return [
        (0.170, p.soft(0.055, 0.5), p.soft(0.070, 0.5)),
        (0.195, p.w(0.118) * b ** 0.4, p.soft(0.100)),
        (0.250, p.soft(0.100), p.soft(0.118)),
        (0.350, p.soft(0.092), p.soft(0.118, 1.2)),
        (0.400, p.soft(0.088), p.soft(0.122, 1.4)),
        (0.470, p.soft(0.100), p.soft(0.118, 1.2)),
        (0.515, p.soft(0.070), p.soft(0.095)),
    ]


def torso_at(p: Patient, fraction: float) -> tuple[float, float]:
    """Half-width and AP depth of the torso at a height fraction."""
    prof = np.array(torso_profile(p))
    return float(np.interp(fraction, prof[:, 0], prof[:, 1])), float(np.interp(fraction, prof[:, 0], prof[:, 2]))


def _cylinder(grid: Grid, name: str, points, half_widths, depths) -> Footprint | None:
    # A tube with density D/(2w) projects to D*sqrt(1-(d/w)^2): the chord of an elliptic section.
    w = np.asarray(half_widths, float)
    return tube(grid, name, "body", points, w, np.asarray(depths, float) / (2 * w), 0.0)


def thickness_map(grid: Grid, p: Patient, pose: LimbPose) -> np.ndarray:
    """Tissue thickness (cm) along the viewing axis at each pixel."""
    sx = p.shift_x
    parts: list[Footprint | None] = [
        ellipsoid(grid, "head", "body", (sx, p.y(0.062)), (p.soft(0.046, 0.3), p.height * 0.066),
                  p.soft(0.056, 0.3), 1.0, 0.0),
        _cylinder(grid, "neck", [(sx, p.y(0.11)), (sx, p.y(0.18))], [p.soft(0.032, 0.6)] * 2, [p.soft(0.07, 0.6)] * 2),
    ]
    prof = torso_profile(p)
    parts.append(_cylinder(grid, "torso", [(sx, p.y(f)) for f, _, _ in prof], [w for _, w, _ in prof], [d for _, _, d in prof]))
    for side in (0, 1):
        arm = pose.arms[side]
        r_up, r_fa, r_hand = p.soft(0.027, 0.7), p.soft(0.020, 0.5), p.soft(0.013, 0.3)
        parts.append(_cylinder(grid, f"arm{side}", [arm.shoulder, arm.elbow, arm.wrist, arm.fingertip],
                               [r_up, r_fa, r_hand, 0.6 * r_hand], [2 * r_up, 2 * r_fa, 1.2 * r_hand, r_hand]))
        leg = pose.legs[side]
        r_th, r_kn, r_calf, r_an = p.soft(0.050, 1.0), p.soft(0.031, 0.6), p.soft(0.031, 0.6), p.soft(0.016, 0.3)
        calf = (0.65 * leg.knee[0] + 0.35 * leg.ankle[0], 0.65 * leg.knee[1] + 0.35 * leg.ankle[1])
        parts.append(_cylinder(grid, f"leg{side}", [leg.thigh_root, leg.knee, calf, leg.ankle],
                               [r_th, r_kn, r_calf, r_an], [2 * r_th, 2 * r_kn, 2 * r_calf, 2 * r_an]))
        parts.append(ellipsoid(grid, f"foot{side}", "body", (leg.ankle[0], leg.ankle[1] + 3.5),
                               (p.height * 0.022, p.height * 0.025), p.height * 0.07, 1.0, 0.0))
    thick = np.zeros((grid.rows, grid.cols), np.float32)
    for part in parts:
        if part is None:
            continue
        r0, r1, c0, c1 = part.box
        np.maximum(thick[r0:r1, c0:c1], part.activity, out=thick[r0:r1, c0:c1])
    return thick


def soft_tissue_map(thick: np.ndarray, mu_per_cm: float, rng: np.random.Generator, grid: Grid) -> np.ndarray:
    """Soft-tissue signal, identical in both views for a uniform, symmetric body:
    integral over depth of exp(-mu z) = (1 - exp(-mu T)) / mu.

    A smooth random field (+-15 %) stands in for muscle/fat differences, breasts and the like,
    so that a model cannot rely on perfectly flat soft tissue.
    """
    signal = (1.0 - np.exp(-mu_per_cm * thick)) / mu_per_cm
    field = gaussian_filter(rng.standard_normal(thick.shape), sigma=6.0 / grid.pixel_cm)
    field /= field.std() + 1e-12
    return (signal * np.clip(1.0 + 0.15 * field, 0.6, 1.4)).astype(np.float32)


def organ_footprints(grid: Grid, p: Patient) -> list[Footprint]:
    """Kidneys (renal excretion of MDP) and the urinary bladder."""
    out: list[Footprint | None] = []
    _, depth_abd = torso_at(p, 0.37)
    ks = p.kidney_scale * p.height / 175.0
    for side, (sign, level) in enumerate(((-1, 0.385), (1, 0.372))):  # right kidney lies lower
        centre = (p.shift_x + sign * p.w(0.036), p.y(level))
        z = depth_abd / 2 - 6.0
        # Cortex carries most of the activity, hence a hollow ellipsoid.
        out.append(ellipsoid(grid, f"kidney{side}", "kidney", centre, (2.9 * ks, 5.6 * ks), 2.6 * ks, 1.0, z,
                             angle_deg=sign * 14.0, shell_cm=1.1))
    _, depth_pel = torso_at(p, 0.48)
    r = p.bladder_radius
    out.append(ellipsoid(grid, "bladder", "bladder", (p.shift_x, p.y(0.478) + 0.2 * r), (1.25 * r, r), 0.9 * r, 1.0,
                         -depth_pel / 2 + r + 1.5))
    return [f for f in out if f is not None]
