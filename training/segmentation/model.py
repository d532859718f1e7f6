"""A small U-Net for tumour-like region segmentation of RGB tiles, shaped for CPU training.

Same plan as the restoration network (training/restore/model.py): a 2x2 stride-2 stem so the
3x3 layers run at half resolution or less, four scales (total stride 16, so height and width
must be multiples of 16), and no normalisation layers, so a tile's output never depends on
the other tiles of its batch. The deepest layers see about 140 px (micrometres at 1 um/px):
enough to judge crowding and nuclear size against the neighbourhood.

Input: (N, 3, H, W) RGB scaled to 0..1. Output: (N, 2, H, W) logits for
["background", "tumour-like"]; the caller applies softmax over the class axis.
"""
from __future__ import annotations

import torch
from torch import nn

STRIDE = 16
CLASSES = ("background", "tumour-like")


def _conv(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True)]


class SegmentationUNet(nn.Module):
    def __init__(self, widths: tuple[int, int, int, int] = (16, 32, 64, 96), classes: int = len(CLASSES)):
        super().__init__()
        w1, w2, w3, w4 = widths
        self.stem = nn.Sequential(nn.Conv2d(3, w1, 2, stride=2), nn.ReLU(inplace=True))
        self.enc1 = nn.Sequential(*_conv(w1, w1), *_conv(w1, w1))
        self.enc2 = nn.Sequential(*_conv(w1, w2), *_conv(w2, w2))
        self.enc3 = nn.Sequential(*_conv(w2, w3), *_conv(w3, w3))
        self.bottom = nn.Sequential(*_conv(w3, w4), *_conv(w4, w4))
        self.pool = nn.MaxPool2d(2)
        self.up3, self.dec3 = nn.ConvTranspose2d(w4, w3, 2, stride=2), nn.Sequential(*_conv(2 * w3, w3))
        self.up2, self.dec2 = nn.ConvTranspose2d(w3, w2, 2, stride=2), nn.Sequential(*_conv(2 * w2, w2))
        self.up1, self.dec1 = nn.ConvTranspose2d(w2, w1, 2, stride=2), nn.Sequential(*_conv(2 * w1, w1))
        self.up0 = nn.ConvTranspose2d(w1, 8, 2, stride=2)
        self.head = nn.Sequential(*_conv(8 + 3, 8), nn.Conv2d(8, classes, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s1 = self.enc1(self.stem(x))
        s2 = self.enc2(self.pool(s1))
        s3 = self.enc3(self.pool(s2))
        h = self.bottom(self.pool(s3))
        h = self.dec3(torch.cat([self.up3(h), s3], dim=1))
        h = self.dec2(torch.cat([self.up2(h), s2], dim=1))
        h = self.dec1(torch.cat([self.up1(h), s1], dim=1))
        return self.head(torch.cat([self.up0(h), x], dim=1))


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
