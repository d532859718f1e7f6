"""The U-Net for count-image restoration (training/unet.py: the shared body, total stride 16).

The network predicts a correction added to its input (global residual); a final ReLU keeps
the output non-negative, like counts.
"""
from __future__ import annotations

import torch
from torch import nn

from ..unet import HEAD_FEATURES, STRIDE, UNetBody, conv, parameter_count  # noqa: F401 (STRIDE, parameter_count re-exported)


class RestorationUNet(UNetBody):
    def __init__(self, widths: tuple[int, int, int, int] = (16, 32, 48, 64)):
        super().__init__(1, widths)
        self.full = nn.Sequential(*conv(HEAD_FEATURES + 1, 8), nn.Conv2d(8, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.full(self.features(x)))
