"""One simulated whole-body study: a patient, both views, both time points."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .body import organ_footprints, soft_tissue_map, thickness_map
from .camera import MU_PER_CM, VIEWS, project, sample_counts, soft_tissue_views
from .geometry import Grid
from .kinetics import COMPARTMENTS, Uptake, sample_uptake
from .lesions import Lesion, place_lesions
from .limbs import limb_pose
from .patient import Patient, sample_patient
from .skeleton import skeleton

ScanGrid = Grid
TIMES = ("2h", "4h")


@dataclass
class StudySimulation:
    seed: int
    grid: Grid
    patient: Patient
    uptake: dict[str, Uptake]
    lesions: list[Lesion]
    thickness: np.ndarray
    components: dict[str, dict[str, np.ndarray]]  # view -> compartment -> unit-concentration image
    counts_4h: float  # total expected counts of the 4 h anterior view

    def _shape(self, view: str, time: str) -> np.ndarray:
        if view not in VIEWS or time not in TIMES:
            raise ValueError(f"unknown view/time {view!r}/{time!r}")
        u = self.uptake[time]
        parts = self.components[view]
        return sum(u.weight(c) * parts[c] for c in COMPARTMENTS if c in parts)

    def expected(self, view: str, time: str, fraction_of_4h: float = 1.0) -> np.ndarray:
        """Noise-free expected counts. The anterior view of the time point holds
        ``fraction_of_4h * counts_4h`` counts; the posterior view keeps its physical ratio
        to the anterior one (attenuation differs, so its total differs)."""
        if fraction_of_4h <= 0:
            raise ValueError("fraction_of_4h must be positive")
        scale = fraction_of_4h * self.counts_4h / float(self._shape("anterior", time).sum())
        return (self._shape(view, time) * scale).astype(np.float32)

    def counts(self, view: str, time: str, fraction_of_4h: float, rng: np.random.Generator) -> np.ndarray:
        return sample_counts(self.expected(view, time, fraction_of_4h), rng)

    def lesion_mask(self, view: str) -> np.ndarray:
        """Boolean image, True inside any lesion's radius (in the given view's orientation)."""
        rr, cc = np.mgrid[0:self.grid.rows, 0:self.grid.cols]
        mask = np.zeros((self.grid.rows, self.grid.cols), bool)
        for l in self.lesions:
            mask |= (rr - l.row) ** 2 + (cc - l.col_in(view, self.grid.cols)) ** 2 <= l.radius_px ** 2
        return mask


def simulate_study(seed: int, grid: Grid | None = None, lesion_count: int | None = None,
                   counts_4h: float | None = None) -> StudySimulation:
    """Deterministic for a given seed: the same seed gives the same patient and images."""
    grid = grid or Grid()
    rng = np.random.default_rng(seed)
    patient = sample_patient(rng)
    pose = limb_pose(patient)
    thick = thickness_map(grid, patient, pose)
    bones = skeleton(grid, patient, pose)
    n = int(rng.integers(0, 7)) if lesion_count is None else lesion_count
    lesions, hot = place_lesions(grid, bones, rng, n)
    footprints = bones + hot + organ_footprints(grid, patient)
    components = project(grid, footprints, thick)
    soft = soft_tissue_views(grid, soft_tissue_map(thick, MU_PER_CM, rng, grid), thick)
    for view in VIEWS:
        components[view]["soft"] = soft[view]
    total = float(rng.uniform(2.0e6, 4.0e6)) if counts_4h is None else counts_4h
    return StudySimulation(seed, grid, patient, sample_uptake(rng), lesions, thick, components, total)
