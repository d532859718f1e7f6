"""Random patient: size, build, pose and the per-patient uptake pattern.

All lengths are in cm. Landmark heights are fractions of standing height H measured from the
vertex, from standard anthropometric proportions (Drillis & Contini segment lengths; vertebral
column about 0.33 H from C1 to L5). They are approximations meant to give plausible, varied
whole-body geometry, not an anatomical atlas.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Landmarks:
    """Heights of anatomical levels as fractions of H from the vertex."""

    chin: float = 0.130
    c1_top: float = 0.125
    c7_bottom: float = 0.194
    t12_bottom: float = 0.354
    l5_bottom: float = 0.457
    shoulder: float = 0.190
    iliac_crest: float = 0.425
    hip: float = 0.478
    knee: float = 0.715
    ankle: float = 0.955
    upper_arm: float = 0.186  # length of the humerus
    forearm: float = 0.146
    hand: float = 0.108


@dataclass
class Patient:
    height: float  # H, cm
    frame: float  # skeletal width scale
    build: float  # soft-tissue girth scale (1 = average)
    vertex_y: float  # cm from the top of the field of view
    shift_x: float
    arm_abduction_deg: tuple[float, float]  # right, left
    leg_spread_deg: float
    scoliosis_cm: float
    joint_uptake: dict[str, float] = field(default_factory=dict)
    spine_uptake: np.ndarray | None = None  # per-vertebra multiplier (degenerative change)
    kidney_scale: float = 1.0
    bladder_radius: float = 4.0
    marks: Landmarks = field(default_factory=Landmarks)

    def y(self, fraction: float) -> float:
        return self.vertex_y + fraction * self.height

    def w(self, fraction: float) -> float:
        """A skeletal width given as a fraction of H."""
        return fraction * self.height * self.frame

    def soft(self, fraction: float, power: float = 1.0) -> float:
        """A soft-tissue width given as a fraction of H, widened by build."""
        return fraction * self.height * self.build ** power


JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "sacroiliac", "sternoclavicular", "acromioclavicular")


def sample_patient(rng: np.random.Generator) -> Patient:
    height = float(rng.uniform(150.0, 195.0))
    abduction = float(rng.uniform(2.0, 12.0))
    joints = {name: float(rng.uniform(1.1, 2.0)) for name in JOINTS}
    # Degenerative uptake is common in older patients' knees, shoulders and lower spine.
    if rng.random() < 0.4:
        joints["knee"] *= float(rng.uniform(1.2, 1.8))
    spine = rng.uniform(0.9, 1.1, size=24)
    if rng.random() < 0.5:
        level = int(rng.integers(17, 24))  # lower lumbar facet arthropathy
        spine[level] *= float(rng.uniform(1.3, 1.8))
    return Patient(
        height=height,
        frame=float(rng.uniform(0.94, 1.06)),
        build=float(rng.uniform(0.85, 1.25)),
        vertex_y=float(rng.uniform(4.0, 12.0)),
        shift_x=float(rng.uniform(-2.0, 2.0)),
        arm_abduction_deg=(abduction + float(rng.uniform(-2, 2)), abduction + float(rng.uniform(-2, 2))),
        leg_spread_deg=float(rng.uniform(0.0, 4.0)),
        scoliosis_cm=float(rng.uniform(-1.2, 1.2)),
        joint_uptake=joints,
        spine_uptake=spine,
        kidney_scale=float(rng.uniform(0.9, 1.1)),
        bladder_radius=float(rng.uniform(2.5, 5.5)),
    )
