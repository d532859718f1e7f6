"""Rasterising 3-D primitives into planar projections on the detector grid.

Every primitive returns a :class:`Footprint`: the projected activity (activity x path
length, per pixel) inside a bounding box, plus the coronal-plane depth ``z`` (cm, 0 = body
mid-plane, positive = posterior) of the source at each pixel. The camera later turns ``z``
into a distance to each detector, which drives attenuation and collimator blur.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from skimage.draw import polygon as draw_polygon


@dataclass(frozen=True)
class Grid:
    """Detector pixel grid; x is lateral (cm, 0 = centre), y runs head to feet (cm, 0 = top row)."""

    rows: int = 1024
    cols: int = 256
    pixel_cm: float = 0.24

    def col_of(self, x_cm: float) -> float:
        return x_cm / self.pixel_cm + self.cols / 2 - 0.5

    def row_of(self, y_cm: float) -> float:
        return y_cm / self.pixel_cm - 0.5

    def box(self, x0: float, x1: float, y0: float, y1: float) -> tuple[int, int, int, int] | None:
        """Pixel bounding box (r0, r1, c0, c1), clipped to the grid; None when fully outside."""
        c0 = max(int(np.floor(self.col_of(x0))), 0)
        c1 = min(int(np.ceil(self.col_of(x1))) + 1, self.cols)
        r0 = max(int(np.floor(self.row_of(y0))), 0)
        r1 = min(int(np.ceil(self.row_of(y1))) + 1, self.rows)
        if c0 >= c1 or r0 >= r1:
            return None
        return r0, r1, c0, c1

    def coords(self, box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
        r0, r1, c0, c1 = box
        x = (np.arange(c0, c1) + 0.5 - self.cols / 2) * self.pixel_cm
        y = (np.arange(r0, r1) + 0.5) * self.pixel_cm
        return np.meshgrid(x, y)


@dataclass
class Footprint:
    name: str
    kind: str  # "bone", "kidney" or "bladder": each has its own time-activity curve
    box: tuple[int, int, int, int]
    activity: np.ndarray  # projected activity (concentration x path length), float32
    z: np.ndarray  # depth of the source, cm from mid-plane (+ posterior)
    region: str = ""  # skeletal region a lesion may be placed in ("" = never)
    density: float = 1.0  # nominal uptake density, the reference for lesion contrast


def tube(grid: Grid, name: str, kind: str, points, radius, density, z) -> Footprint | None:
    """A bone shaft (or soft-tissue limb) along a polyline; each vertex has its own radius,
    density and depth, linearly interpolated along segments.

    The projected value is density x chord length of a circular cross-section, so shafts look
    brightest along their axis and fall off at the edges, as a solid cylinder projects.
    """
    p = np.asarray(points, dtype=np.float64)
    k = len(p)
    r = np.broadcast_to(np.asarray(radius, dtype=np.float64), (k,))
    u = np.broadcast_to(np.asarray(density, dtype=np.float64), (k,))
    zz = np.broadcast_to(np.asarray(z, dtype=np.float64), (k,))
    rmax = r.max()
    box = grid.box(p[:, 0].min() - rmax, p[:, 0].max() + rmax, p[:, 1].min() - rmax, p[:, 1].max() + rmax)
    if box is None:
        return None
    gx, gy = grid.coords(box)
    best = np.zeros(gx.shape)
    best_z = np.full(gx.shape, zz.mean())
    for i in range(k - 1):
        a, b = p[i], p[i + 1]
        ab = b - a
        length2 = max(float(ab @ ab), 1e-12)
        t = np.clip(((gx - a[0]) * ab[0] + (gy - a[1]) * ab[1]) / length2, 0.0, 1.0)
        dx = gx - (a[0] + t * ab[0])
        dy = gy - (a[1] + t * ab[1])
        rad = r[i] + t * (r[i + 1] - r[i])
        chord = 2.0 * np.sqrt(np.clip(rad * rad - dx * dx - dy * dy, 0.0, None))
        val = chord * (u[i] + t * (u[i + 1] - u[i]))
        take = val > best
        best = np.where(take, val, best)
        best_z = np.where(take, zz[i] + t * (zz[i + 1] - zz[i]), best_z)
    return Footprint(name, kind, box, best.astype(np.float32), best_z.astype(np.float32))


def ellipsoid(grid: Grid, name: str, kind: str, centre, half_axes, depth_half, density, z,
              angle_deg: float = 0.0, shell_cm: float | None = None) -> Footprint | None:
    """A (possibly hollow) ellipsoid seen along its depth axis.

    With ``shell_cm`` the inner ellipsoid is removed, so the projection is bright at the rim
    and dimmer in the middle: the way the calvarium, vertebral cortex or a femoral head look.
    """
    cx, cy = centre
    a, b = half_axes
    reach = max(a, b)
    box = grid.box(cx - reach, cx + reach, cy - reach, cy + reach)
    if box is None:
        return None
    gx, gy = grid.coords(box)
    th = np.deg2rad(angle_deg)
    xr = (gx - cx) * np.cos(th) + (gy - cy) * np.sin(th)
    yr = -(gx - cx) * np.sin(th) + (gy - cy) * np.cos(th)

    def chord(aa, bb, cc):
        q = 1.0 - (xr / aa) ** 2 - (yr / bb) ** 2
        return 2.0 * cc * np.sqrt(np.clip(q, 0.0, None))

    val = chord(a, b, depth_half)
    if shell_cm is not None:
        ia, ib, ic = a - shell_cm, b - shell_cm, depth_half - shell_cm
        if min(ia, ib, ic) > 0:
            val = val - chord(ia, ib, ic)
    val = np.clip(val, 0.0, None) * density
    return Footprint(name, kind, box, val.astype(np.float32), np.full(val.shape, z, np.float32))


def plate(grid: Grid, name: str, kind: str, vertices, thickness_cm: float, density: float, z: float) -> Footprint | None:
    """A thin flat bone (scapula blade, iliac wing) lying roughly in the coronal plane."""
    v = np.asarray(vertices, dtype=np.float64)
    box = grid.box(v[:, 0].min(), v[:, 0].max(), v[:, 1].min(), v[:, 1].max())
    if box is None:
        return None
    r0, r1, c0, c1 = box
    cols = np.array([grid.col_of(x) for x in v[:, 0]]) - c0
    rows = np.array([grid.row_of(y) for y in v[:, 1]]) - r0
    mask = np.zeros((r1 - r0, c1 - c0), np.float32)
    rr, cc = draw_polygon(rows, cols, shape=mask.shape)
    mask[rr, cc] = 1.0
    return Footprint(name, kind, box, mask * np.float32(thickness_cm * density), np.full(mask.shape, z, np.float32))
