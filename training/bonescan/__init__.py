"""Whole-body planar bone-scan simulator (Tc-99m MDP), anterior and posterior views.

Public entry points: :func:`simulate_study`, :func:`sample_counts` and :func:`thin_counts`.
"""
from .camera import sample_counts, thin_counts
from .simulator import ScanGrid, StudySimulation, simulate_study

__all__ = ["ScanGrid", "StudySimulation", "simulate_study", "sample_counts", "thin_counts"]
