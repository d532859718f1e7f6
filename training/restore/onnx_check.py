"""Export to ONNX and an independent check of the exported graph.

Debian's python3-onnx (1.12) has no onnx.reference, so the graph is executed here by a small
NumPy interpreter for exactly the operators this model uses. Any other operator is reported
as an error rather than skipped, so the check cannot silently pass on a graph it did not run.
"""
from __future__ import annotations

import numpy as np
import onnx
import torch
from onnx import numpy_helper

OPSET = 17


def export(model: torch.nn.Module, path: str) -> None:
    model.eval()
    dynamic = {0: "N", 2: "H", 3: "W"}
    with torch.no_grad():
        torch.onnx.export(model, torch.zeros(1, 1, 64, 64), path, opset_version=OPSET, input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": dynamic, "output": dynamic},
                          do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)


def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def _conv(x, w, b, node):
    strides = _attr(node, "strides", [1, 1])
    pads = _attr(node, "pads", [0, 0, 0, 0])
    if _attr(node, "group", 1) != 1 or _attr(node, "dilations", [1, 1]) != [1, 1]:
        raise NotImplementedError("grouped or dilated Conv")
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    kh, kw = w.shape[2:]
    sh, sw = strides
    oh = (xp.shape[2] - kh) // sh + 1
    ow = (xp.shape[3] - kw) // sw + 1
    out = np.zeros((x.shape[0], w.shape[0], oh, ow), np.float64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw]
            out += np.einsum("oc,nchw->nohw", w[:, :, i, j], patch, optimize=True)
    return out + (0 if b is None else b[None, :, None, None])


def _conv_transpose(x, w, b, node):
    if _attr(node, "strides") != [2, 2] or list(w.shape[2:]) != [2, 2] or any(_attr(node, "pads", [0, 0, 0, 0])):
        raise NotImplementedError("only 2x2 stride-2 ConvTranspose without padding")
    n, _, h, wd = x.shape
    out = np.einsum("nchw,coij->nohiwj", x, w, optimize=True).reshape(n, w.shape[1], 2 * h, 2 * wd)
    return out + (0 if b is None else b[None, :, None, None])


def _max_pool(x, node):
    if _attr(node, "kernel_shape") != [2, 2] or _attr(node, "strides") != [2, 2] or any(_attr(node, "pads", [0, 0, 0, 0])):
        raise NotImplementedError("only 2x2 stride-2 MaxPool")
    n, c, h, w = x.shape
    return x[:, :, :h - h % 2, :w - w % 2].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def run_numpy(path: str, x: np.ndarray) -> np.ndarray:
    m = onnx.load(path)
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in m.graph.initializer}
    env[m.graph.input[0].name] = x.astype(np.float64)
    for node in m.graph.node:
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Conv":
            y = _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, node)
        elif op == "ConvTranspose":
            y = _conv_transpose(ins[0], ins[1], ins[2] if len(ins) > 2 else None, node)
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "MaxPool":
            y = _max_pool(ins[0], node)
        elif op == "Concat":
            y = np.concatenate(ins, axis=_attr(node, "axis"))
        elif op == "Add":
            y = ins[0] + ins[1]
        elif op == "Identity":
            y = ins[0]
        else:
            raise NotImplementedError(f"operator {op} is not supported by the NumPy check")
        env[node.output[0]] = y
    return env[m.graph.output[0].name].astype(np.float32)


def compare(model: torch.nn.Module, path: str, inputs: list[np.ndarray]) -> float:
    """Largest |torch - onnx| relative to the output's peak, over all inputs."""
    worst = 0.0
    model.eval()
    for x in inputs:
        with torch.no_grad():
            ref = model(torch.from_numpy(x)).numpy()
        got = run_numpy(path, x)
        if got.shape != ref.shape:
            raise AssertionError(f"shape {got.shape} != {ref.shape}")
        worst = max(worst, float(np.abs(got - ref).max() / max(float(np.abs(ref).max()), 1e-6)))
    return worst


def operator_set(path: str) -> list[str]:
    return sorted({n.op_type for n in onnx.load(path).graph.node})
