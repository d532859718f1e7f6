"""Export to ONNX and the independent check of the exported graph.

The graph uses the same operators as the restoration model (Conv, ConvTranspose, Relu, MaxPool,
Concat), so the NumPy interpreter of training/restore/onnx_check.py executes it: Debian's
python3-onnx 1.12 has no onnx.reference and there is no onnxruntime for Debian's Python.
"""
from __future__ import annotations

import onnx
import torch

from ..restore.onnx_check import OPSET, compare, operator_set, run_numpy

__all__ = ["OPSET", "compare", "export", "operator_set", "run_numpy"]


def export(model: torch.nn.Module, path: str) -> None:
    model.eval()
    with torch.no_grad():
        torch.onnx.export(model, torch.zeros(1, 3, 64, 64), path, opset_version=OPSET, input_names=["input"],
                          output_names=["logits"],
                          dynamic_axes={"input": {0: "N", 2: "H", 3: "W"}, "logits": {0: "N", 2: "H", 3: "W"}},
                          do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path), full_check=True)
