"""The parametric skeleton: every bone as a handful of primitives with MDP uptake densities.

Densities are relative bone-tracer concentrations (vertebral body = 0.8). Joints, the
sacroiliac joints and metaphyses are denser, long-bone shafts less dense, which reproduces the
familiar look of a normal adult bone scan. Depth ``z`` (cm, + posterior) places the spine,
scapulae and sacrum near the back and the sternum, clavicles, patellae and pubis near the front,
which is what makes the two views differ.
"""
from __future__ import annotations

import numpy as np

from .body import torso_at
from .geometry import Footprint, Grid, ellipsoid, plate, tube
from .limbs import LimbPose
from .patient import Patient


def _tag(fp: Footprint | None, region: str, density: float) -> Footprint | None:
    if fp is not None:
        fp.region, fp.density = region, density
    return fp


def skull(g: Grid, p: Patient) -> list:
    sx, s = p.shift_x, p.height / 175.0 * p.frame
    return [
        _tag(ellipsoid(g, "calvarium", "bone", (sx, p.y(0.052)), (7.3 * s, 9.2 * s), 9.4 * s, 0.75, 0.0, shell_cm=0.75),
             "skull", 0.75),
        ellipsoid(g, "facial bones", "bone", (sx, p.y(0.098)), (4.6 * s, 3.2 * s), 2.2 * s, 0.45, -5.0),
        ellipsoid(g, "skull base", "bone", (sx, p.y(0.085)), (5.8 * s, 1.4 * s), 4.0 * s, 0.2, 1.0),
        tube(g, "mandible", "bone",
             [(sx - 5.2 * s, p.y(0.083)), (sx - 4.3 * s, p.y(0.118)), (sx, p.y(0.129)), (sx + 4.3 * s, p.y(0.118)),
              (sx + 5.2 * s, p.y(0.083))], 0.65 * s, 0.85, [1.0, -3.0, -7.0, -3.0, 1.0]),
    ]


def spine_centre(p: Patient, y: float) -> float:
    """Lateral position of the spine at height y, with a mild scoliotic curve."""
    top, bottom = p.y(p.marks.c7_bottom), p.y(p.marks.l5_bottom)
    t = np.clip((y - top) / (bottom - top), 0.0, 1.0)
    return p.shift_x + p.scoliosis_cm * float(np.sin(np.pi * t))


def spine(g: Grid, p: Patient) -> list:
    m, out = p.marks, []
    bounds = np.concatenate([
        np.linspace(m.c1_top, m.c7_bottom, 8),
        np.linspace(m.c7_bottom, m.t12_bottom, 13)[1:],
        np.linspace(m.t12_bottom, m.l5_bottom, 6)[1:],
    ])
    k = p.height / 175.0 * p.frame
    for i in range(24):
        y0, y1 = p.y(bounds[i]), p.y(bounds[i + 1])
        yc, h = 0.5 * (y0 + y1), 0.5 * (y1 - y0)
        x = spine_centre(p, yc)
        if i < 7:
            half_w, region = (1.1 + 0.05 * i) * k, "spine"
            z = 1.0
        elif i < 19:
            half_w, region = (1.5 + 0.06 * (i - 7)) * k, "spine"
            z = torso_at(p, bounds[i])[1] / 2 - 5.5
        else:
            half_w, region = (2.3 + 0.1 * (i - 19)) * k, "spine"
            z = torso_at(p, bounds[i])[1] / 2 - 7.5
        u = 0.8 * float(p.spine_uptake[i])
        out.append(_tag(ellipsoid(g, f"vertebral body {i}", "bone", (x, yc), (half_w, 0.86 * h), half_w, u, z),
                        region, u))
        # Pedicles, facets and the spinous process sit 3-5 cm behind the body.
        for sgn in (-1, 1):
            out.append(ellipsoid(g, f"facet {i}{sgn}", "bone", (x + sgn * 0.75 * half_w, yc + 0.3 * h),
                                 (0.45 * half_w, 0.6 * h), 0.8, 1.1 * u, z + 3.0))
        out.append(ellipsoid(g, f"spinous {i}", "bone", (x, yc + 0.5 * h), (0.35 * half_w, 0.7 * h), 1.2, 0.9 * u,
                             z + 5.0))
        if i >= 19:
            for sgn in (-1, 1):
                out.append(tube(g, f"transverse {i}{sgn}", "bone", [(x + sgn * half_w, yc), (x + sgn * 2.2 * half_w, yc - 0.3)],
                                0.45, 0.6 * u, z + 2.5))
    return out


def thorax(g: Grid, p: Patient) -> list:
    m, out = p.marks, []
    k = p.height / 175.0 * p.frame
    notch_y = p.y(m.shoulder + 0.002)
    _, depth_chest = torso_at(p, 0.27)
    cage_half_depth = 0.5 * depth_chest - 2.0
    widths = np.array([5.8, 8.8, 10.8, 12.0, 12.9, 13.6, 14.0, 14.1, 13.8, 13.2, 11.8, 9.2]) * k
    drops = np.array([4.0, 7.5, 10.0, 12.0, 13.0, 13.5, 13.5, 12.0, 10.0, 8.0, 5.0, 3.0]) * k
    ends = np.array([0.86, 0.88, 0.88, 0.88, 0.88, 0.86, 0.84, 0.76, 0.72, 0.68, 0.52, 0.40]) * np.pi
    t_levels = np.linspace(m.c7_bottom, m.t12_bottom, 13)
    for n in range(12):
        y_post = p.y(0.5 * (t_levels[n] + t_levels[n + 1])) - 0.6
        theta = np.linspace(0.0, ends[n], 16)
        x_spine = spine_centre(p, y_post)
        for sign in (-1, 1):
            xs = x_spine + sign * (1.5 + (widths[n] - 1.5) * np.sin(theta))
            ys = y_post + drops[n] * (0.55 * theta / np.pi + 0.45 * (1 - np.cos(theta)) / 2)
            zs = 1.0 + cage_half_depth * np.cos(theta)
            out.append(_tag(tube(g, f"rib {n + 1}{sign}", "bone", np.c_[xs, ys], 0.55 * k, 0.9, zs), "rib", 0.9))
    sternum_z = -0.5 * depth_chest + 0.8
    out.append(_tag(ellipsoid(g, "manubrium", "bone", (p.shift_x, notch_y + 2.6 * k), (2.6 * k, 2.4 * k), 0.9, 0.9,
                              sternum_z), "sternum", 0.9))
    out.append(_tag(tube(g, "sternal body", "bone", [(p.shift_x, notch_y + 5.2 * k), (p.shift_x, notch_y + 16.5 * k)],
                         [1.4 * k, 1.1 * k], 0.8, sternum_z), "sternum", 0.8))
    sc = p.joint_uptake["sternoclavicular"]
    ac = p.joint_uptake["acromioclavicular"]
    for sign in (-1, 1):
        acromion = (p.shift_x + sign * p.w(0.118), p.y(m.shoulder - 0.004))
        pts = [(p.shift_x + sign * 1.6, notch_y), (p.shift_x + sign * 6.5 * k, notch_y - 1.0),
               (p.shift_x + sign * 11.0 * k, notch_y - 0.2), acromion]
        out.append(tube(g, f"clavicle{sign}", "bone", pts, 0.75 * k, 0.9, [sternum_z, sternum_z + 1, -2.0, 0.0]))
        out.append(ellipsoid(g, f"sternoclavicular{sign}", "bone", pts[0], (1.1, 1.0), 0.9, 0.9 * sc, sternum_z))
        out.append(ellipsoid(g, f"acromioclavicular{sign}", "bone", acromion, (1.2, 1.0), 1.0, 0.9 * ac, 0.0))
        # Scapula: a thin blade with a thick spine and lateral border, lying on the back.
        z_scap = cage_half_depth + 0.5
        top = (p.shift_x + sign * p.w(0.047), p.y(m.shoulder + 0.008))
        glenoid = (p.shift_x + sign * p.w(0.100), p.y(m.shoulder + 0.012))
        bottom = (p.shift_x + sign * p.w(0.060), p.y(m.shoulder + 0.100))
        medial_low = (p.shift_x + sign * p.w(0.045), p.y(m.shoulder + 0.075))
        out.append(_tag(plate(g, f"scapula{sign}", "bone", [top, glenoid, bottom, medial_low], 0.9, 0.7, z_scap),
                        "scapula", 0.7))
        out.append(tube(g, f"scapular spine{sign}", "bone", [(top[0], top[1] + 3.0 * k), acromion], 0.6 * k, 0.8, z_scap))
        out.append(tube(g, f"lateral border{sign}", "bone", [glenoid, bottom], 0.55 * k, 0.8, z_scap))
        out.append(ellipsoid(g, f"glenoid{sign}", "bone", glenoid, (1.3, 2.0), 1.2, 0.9, z_scap - 2.0))
    return out


def pelvis(g: Grid, p: Patient) -> list:
    m, out = p.marks, []
    k = p.height / 175.0 * p.frame
    _, depth_pel = torso_at(p, 0.46)
    top_sacrum = p.y(m.l5_bottom)
    z_sacrum = depth_pel / 2 - 4.0
    x0 = spine_centre(p, top_sacrum)
    out.append(_tag(plate(g, "sacrum", "bone", [(x0 - 5.0 * k, top_sacrum), (x0 + 5.0 * k, top_sacrum),
                                                 (x0 + 1.2 * k, top_sacrum + 11.0 * k), (x0 - 1.2 * k, top_sacrum + 11.0 * k)],
                          2.2, 0.75, z_sacrum), "pelvis", 0.75))
    si = p.joint_uptake["sacroiliac"]
    hip_u = p.joint_uptake["hip"]
    crest_y = p.y(m.iliac_crest)
    for sign in (-1, 1):
        c = lambda dx, dy: (p.shift_x + sign * dx * k, dy)  # noqa: E731 - tiny local helper
        hip = (p.shift_x + sign * p.w(0.050), p.y(m.hip))
        wing = [c(4.2, top_sacrum - 1.0), c(7.5, crest_y - 1.0), c(12.0, crest_y), c(14.5, crest_y + 3.0),
                c(13.5, crest_y + 6.0), (hip[0] + sign * 1.0, hip[1] - 3.0), c(4.6, top_sacrum + 8.0)]
        out.append(_tag(plate(g, f"iliac wing{sign}", "bone", wing, 1.4, 0.75, 2.0), "pelvis", 0.75))
        out.append(tube(g, f"iliac crest{sign}", "bone", wing[:5], 0.8 * k, 0.9, [3.0, 3.0, 1.5, -1.0, -2.0]))
        out.append(tube(g, f"sacroiliac{sign}", "bone", [c(4.3, top_sacrum + 0.5), c(4.0, top_sacrum + 7.5)], 0.8 * k,
                        1.1 * si, z_sacrum - 1.0))
        out.append(_tag(ellipsoid(g, f"acetabulum{sign}", "bone", hip, (3.0 * k, 3.0 * k), 3.0, 0.55 * hip_u, 0.0,
                                  shell_cm=0.9), "pelvis", 0.55))
        # Pubic and ischial rami around the obturator foramen.
        cx, cy, ax, ay = p.shift_x + sign * 4.6 * k, hip[1] + 3.6 * k, 3.4 * k, 3.6 * k
        ang = np.linspace(0, 2 * np.pi, 19)
        ring = np.c_[cx + ax * np.cos(ang), cy + ay * np.sin(ang)]
        ring_z = np.where(np.cos(ang) * sign < 0, -depth_pel / 2 + 3.5, 1.0)
        out.append(_tag(tube(g, f"obturator ring{sign}", "bone", ring, 0.8 * k, 0.85, ring_z), "pelvis", 0.85))
    return out


def limbs(g: Grid, p: Patient, pose: LimbPose) -> list:
    out = []
    k = p.height / 175.0 * p.frame
    j = p.joint_uptake
    for arm in pose.arms:
        sg = arm.sign
        head = (arm.shoulder[0] - sg * 0.6, arm.shoulder[1])
        out.append(_tag(ellipsoid(g, f"humeral head{sg}", "bone", head, (2.5 * k, 2.6 * k), 2.4, 0.5 * j["shoulder"], 0.0),
                        "humerus", 0.5))
        out.append(_tag(tube(g, f"humerus{sg}", "bone", [head, arm.elbow], [1.2 * k, 1.0 * k], 0.5, 0.0), "humerus", 0.5))
        out.append(ellipsoid(g, f"elbow{sg}", "bone", arm.elbow, (2.6 * k, 1.6 * k), 1.6, 0.6 * j["elbow"], 0.0))
        dx = np.array(arm.wrist) - np.array(arm.elbow)
        perp = np.array([dx[1], -dx[0]]) / np.hypot(*dx)
        for off, name in ((0.8, "radius"), (-0.8, "ulna")):
            a = np.array(arm.elbow) + off * perp * k
            b = np.array(arm.wrist) + off * 1.2 * perp * k
            out.append(tube(g, f"{name}{sg}", "bone", [a, b], [0.6 * k, 0.5 * k], 0.5, 0.0))
        out.append(ellipsoid(g, f"wrist{sg}", "bone", arm.wrist, (2.2 * k, 1.6 * k), 1.2, 0.7 * j["wrist"], 0.0))
        hand = np.array(arm.fingertip) - np.array(arm.wrist)
        hp = np.array([hand[1], -hand[0]]) / np.hypot(*hand)
        for f in range(5):
            base = np.array(arm.wrist) + 0.35 * hand + (f - 2) * 0.9 * hp * k
            tip = np.array(arm.wrist) + (0.95 - 0.04 * abs(f - 2)) * hand + (f - 2) * 1.1 * hp * k
            out.append(tube(g, f"hand ray {f}{sg}", "bone", [np.array(arm.wrist) + 0.12 * hand, base, tip], 0.35 * k, 0.5, 0.0))
    for leg in pose.legs:
        sg = leg.sign
        out.append(_tag(ellipsoid(g, f"femoral head{sg}", "bone", leg.hip, (2.4 * k, 2.4 * k), 2.4, 0.45 * j["hip"], 0.0),
                        "femur", 0.45))
        out.append(tube(g, f"femoral neck{sg}", "bone", [leg.hip, leg.trochanter], 1.5 * k, 0.6, 0.0))
        out.append(_tag(ellipsoid(g, f"trochanter{sg}", "bone", leg.trochanter, (2.0 * k, 2.6 * k), 2.2, 0.7, 0.5),
                        "femur", 0.7))
        shaft_top = (leg.trochanter[0] - sg * 1.2 * k, leg.trochanter[1] + 3.0)
        knee_top = (leg.knee[0], leg.knee[1] - 4.0)
        out.append(_tag(tube(g, f"femur{sg}", "bone", [shaft_top, knee_top], [1.5 * k, 1.3 * k], 0.5, 0.0), "femur", 0.5))
        kn = j["knee"]
        out.append(ellipsoid(g, f"femoral condyles{sg}", "bone", (leg.knee[0], leg.knee[1] - 1.8), (4.2 * k, 2.6 * k), 2.6,
                             0.42 * kn, 0.0))
        out.append(ellipsoid(g, f"tibial plateau{sg}", "bone", (leg.knee[0], leg.knee[1] + 1.8), (4.0 * k, 2.2 * k), 2.4,
                             0.42 * kn, 0.0))
        out.append(ellipsoid(g, f"patella{sg}", "bone", (leg.knee[0], leg.knee[1] - 1.2), (2.1 * k, 2.5 * k), 1.0, 0.8 * kn,
                             -4.5))
        out.append(tube(g, f"tibia{sg}", "bone", [(leg.knee[0], leg.knee[1] + 3.0), (leg.ankle[0], leg.ankle[1] - 2.0)],
                        [1.5 * k, 1.1 * k], 0.5, -1.0))
        out.append(tube(g, f"fibula{sg}", "bone", [(leg.knee[0] + sg * 2.8 * k, leg.knee[1] + 2.5),
                                                    (leg.ankle[0] + sg * 2.4 * k, leg.ankle[1] + 0.5)], 0.5 * k, 0.5, 1.0))
        an = j["ankle"]
        out.append(ellipsoid(g, f"ankle{sg}", "bone", leg.ankle, (2.6 * k, 1.8 * k), 2.0, 0.7 * an, 0.0))
        out.append(ellipsoid(g, f"foot{sg}", "bone", (leg.ankle[0] + sg * 0.5, leg.ankle[1] + 3.2), (2.6 * k, 2.6 * k), 6.0,
                             0.3 * an, 0.0))
    return out


def skeleton(g: Grid, p: Patient, pose: LimbPose) -> list[Footprint]:
    parts = skull(g, p) + spine(g, p) + thorax(g, p) + pelvis(g, p) + limbs(g, p, pose)
    return [f for f in parts if f is not None]
