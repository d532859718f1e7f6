"""A small U-Net for tumour-like region segmentation of RGB tiles, shaped for CPU training.

The shared body of training/unet.py (as the restoration network): a 2x2 stride-2 stem so the
3x3 layers run at half resolution or less, four scales (total stride 16, so height and width
must be multiples of 16), and no normalisation layers. The deepest layers see about 140 px (micrometres at 1 um/px):
enough to judge crowding and nuclear size against the neighbourhood.

Input: (N, 3, H, W) RGB scaled to 0..1. Output: (N, 2, H, W) logits for
["background", "tumour-like"]; the caller applies softmax over the class axis.
"""
from __future__ import annotations

import torch
from torch import nn

from ..unet import HEAD_FEATURES, STRIDE, UNetBody, conv, parameter_count  # noqa: F401 (STRIDE, parameter_count re-exported)

CLASSES = ("background", "tumour-like")


class SegmentationUNet(UNetBody):
    def __init__(self, widths: tuple[int, int, int, int] = (16, 32, 64, 96), classes: int = len(CLASSES)):
        super().__init__(3, widths)
        self.head = nn.Sequential(*conv(HEAD_FEATURES + 3, 8), nn.Conv2d(8, classes, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))
