"""H&E tile simulator and the tumour-like region segmentation model (models/he-tumour-seg).

Public entry point of the simulator: :func:`simulate_tile`.
"""
from .simulator import MICRONS_PER_PIXEL, SCENES, TILE, SimulatedTile, simulate_tile

__all__ = ["MICRONS_PER_PIXEL", "SCENES", "TILE", "SimulatedTile", "simulate_tile"]
