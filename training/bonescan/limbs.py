"""Joint positions of arms and legs for a patient's pose.

Side 0 is the patient's right, drawn at negative x (the viewer's left in the anterior view).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .patient import Patient

Point = tuple[float, float]


@dataclass(frozen=True)
class ArmPose:
    sign: int
    shoulder: Point
    elbow: Point
    wrist: Point
    fingertip: Point


@dataclass(frozen=True)
class LegPose:
    sign: int
    hip: Point
    thigh_root: Point
    trochanter: Point
    knee: Point
    ankle: Point


@dataclass(frozen=True)
class LimbPose:
    arms: tuple[ArmPose, ArmPose]
    legs: tuple[LegPose, LegPose]


def _along(origin: Point, length: float, angle_deg: float, sign: int) -> Point:
    a = np.deg2rad(angle_deg)
    return origin[0] + sign * length * float(np.sin(a)), origin[1] + length * float(np.cos(a))


def _arm(p: Patient, sign: int, abduction: float) -> ArmPose:
    from .body import torso_at  # local import: body depends on this module's types

    m = p.marks
    shoulder = (p.shift_x + sign * p.w(0.112), p.y(m.shoulder + 0.007))
    # Arms rest beside the trunk: open the angle until the forearm clears the soft tissue of
    # the flanks and hips, as on a real table where arms lie alongside, not inside, the body.
    angle = abduction
    for _ in range(40):
        elbow = _along(shoulder, m.upper_arm * p.height, angle, sign)
        wrist = _along(elbow, m.forearm * p.height, angle + 3.0, sign)
        clear_elbow = abs(elbow[0] - p.shift_x) - torso_at(p, (elbow[1] - p.vertex_y) / p.height)[0]
        clear_wrist = abs(wrist[0] - p.shift_x) - torso_at(p, min((wrist[1] - p.vertex_y) / p.height, 0.5))[0]
        if clear_elbow > p.soft(0.020, 0.5) and clear_wrist > 0.0 or angle > 20.0:
            break
        angle += 0.75
    fingertip = _along(wrist, m.hand * p.height, angle + 1.0, sign)
    return ArmPose(sign, shoulder, elbow, wrist, fingertip)


def _leg(p: Patient, sign: int) -> LegPose:
    m = p.marks
    hip = (p.shift_x + sign * p.w(0.050), p.y(m.hip))
    knee = _along(hip, (m.knee - m.hip) * p.height, p.leg_spread_deg - 1.0, sign)
    ankle = _along(knee, (m.ankle - m.knee) * p.height, p.leg_spread_deg, sign)
    return LegPose(
        sign=sign,
        hip=hip,
        thigh_root=(p.shift_x + sign * p.soft(0.052, 0.5), p.y(0.475)),
        trochanter=(hip[0] + sign * p.w(0.043), hip[1] + 1.5),
        knee=knee,
        ankle=ankle,
    )


def limb_pose(p: Patient) -> LimbPose:
    right, left = p.arm_abduction_deg
    return LimbPose(arms=(_arm(p, -1, right), _arm(p, 1, left)), legs=(_leg(p, -1), _leg(p, 1)))
