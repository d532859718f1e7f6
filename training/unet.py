"""The small U-Net every model here is built on, shaped for CPU training.

The first layer is a 2x2 stride-2 convolution, so the expensive 3x3 layers run at half resolution or less; a light
3x3 layer at full resolution (the task's head, on the upsampled features concatenated with the input) restores
pixel detail. With three further 2x poolings the total stride is 16: height and width must be multiples of 16.
No normalisation layers, so a tile's output never depends on other tiles in the batch.
"""
from __future__ import annotations

import torch
from torch import nn

STRIDE = 16
# Channels of the full-resolution features handed to the head (besides the input's own).
HEAD_FEATURES = 8


def conv(cin: int, cout: int) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True)]


class UNetBody(nn.Module):
    """Encoder, decoder and skips; a subclass adds its head and calls ``features``."""

    def __init__(self, in_channels: int, widths: tuple[int, int, int, int]):
        super().__init__()
        w1, w2, w3, w4 = widths
        self.stem = nn.Sequential(nn.Conv2d(in_channels, w1, 2, stride=2), nn.ReLU(inplace=True))
        self.enc1 = nn.Sequential(*conv(w1, w1), *conv(w1, w1))
        self.enc2 = nn.Sequential(*conv(w1, w2), *conv(w2, w2))
        self.enc3 = nn.Sequential(*conv(w2, w3), *conv(w3, w3))
        self.bottom = nn.Sequential(*conv(w3, w4), *conv(w4, w4))
        self.pool = nn.MaxPool2d(2)
        self.up3, self.dec3 = nn.ConvTranspose2d(w4, w3, 2, stride=2), nn.Sequential(*conv(2 * w3, w3))
        self.up2, self.dec2 = nn.ConvTranspose2d(w3, w2, 2, stride=2), nn.Sequential(*conv(2 * w2, w2))
        self.up1, self.dec1 = nn.ConvTranspose2d(w2, w1, 2, stride=2), nn.Sequential(*conv(2 * w1, w1))
        self.up0 = nn.ConvTranspose2d(w1, HEAD_FEATURES, 2, stride=2)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Full-resolution features with the input appended: (N, HEAD_FEATURES + in_channels, H, W)."""
        s1 = self.enc1(self.stem(x))
        s2 = self.enc2(self.pool(s1))
        s3 = self.enc3(self.pool(s2))
        h = self.bottom(self.pool(s3))
        h = self.dec3(torch.cat([self.up3(h), s3], dim=1))
        h = self.dec2(torch.cat([self.up2(h), s2], dim=1))
        h = self.dec1(torch.cat([self.up1(h), s1], dim=1))
        return torch.cat([self.up0(h), x], dim=1)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
