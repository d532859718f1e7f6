"""Tc-99m MDP biodistribution at 2 h and 4 h after injection, per compartment.

Values are relative concentrations (vertebral bone = 0.8 in skeleton.py). What matters is
how they change between 2 h and 4 h: skeletal uptake is nearly complete by 2 h, while soft
tissue (blood pool, extracellular fluid) keeps clearing through the kidneys, so the
bone-to-soft-tissue ratio rises with time. Physical decay (6.01 h half-life) only scales all
compartments together and is absorbed by the count level, which is set explicitly.
See docs/simulator.md for where the numbers come from and how rough they are.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COMPARTMENTS = ("bone", "soft", "kidney", "bladder")


@dataclass(frozen=True)
class Uptake:
    """Relative concentration per compartment at one time point."""

    bone: float
    soft: float
    kidney: float
    bladder: float

    def weight(self, compartment: str) -> float:
        return float(getattr(self, compartment))


# Soft-tissue concentration at 4 h relative to bone (per unit volume). With typical body
# thickness this yields bone-to-soft-tissue pixel ratios of roughly 4-8 at 4 h.
SOFT_4H = 0.035
KIDNEY_4H = 0.18
BLADDER_4H = 1.6


def sample_uptake(rng: np.random.Generator) -> dict[str, Uptake]:
    soft_4h = SOFT_4H * rng.uniform(0.7, 1.4)  # renal function and hydration vary
    kidney_4h = KIDNEY_4H * rng.uniform(0.5, 1.5)
    # Patients void before each acquisition; the refill over a similar interval is similar,
    # so the 4 h bladder is drawn close to the 2 h one rather than independently.
    bladder_2h = BLADDER_4H * rng.uniform(0.4, 2.0)
    four = Uptake(bone=1.0, soft=soft_4h, kidney=kidney_4h, bladder=bladder_2h * rng.uniform(0.8, 1.25))
    two = Uptake(
        bone=float(rng.uniform(0.85, 0.97)),  # skeletal uptake still rising slightly after 2 h
        soft=soft_4h * rng.uniform(1.6, 2.4),  # soft tissue clears with a ~1.5-2.5 h half-time
        kidney=kidney_4h * rng.uniform(1.3, 2.0),
        bladder=bladder_2h,
    )
    return {"2h": two, "4h": four}
