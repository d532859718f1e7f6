#!/usr/bin/python3
"""Independent reference for the C# ONNX Runtime binding: evaluates an ONNX graph in numpy (float64).

Debian 12's python3-onnx (1.12) predates onnx.reference.ReferenceEvaluator (added in 1.13), so this
is a small evaluator of its own. It knows only the operators the test models use and refuses any
other, so a model that grows a new operator fails loudly instead of being compared against nonsense.

usage: reference_eval.py MODEL.onnx INPUT_NAME INPUT.raw N,C,H,W OUTPUT.raw
INPUT.raw is little-endian float32 in C order; OUTPUT.raw receives the model's first output the same way.
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def conv(x, w, b, attrs):
    if attrs.get("group", 1) != 1:
        raise NotImplementedError("grouped Conv")
    if any(d != 1 for d in attrs.get("dilations", [1, 1])):
        raise NotImplementedError("dilated Conv")
    if attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("auto_pad")
    top, left, bottom, right = attrs.get("pads", [0, 0, 0, 0])
    stride_h, stride_w = attrs.get("strides", [1, 1])
    kernel_h, kernel_w = w.shape[2], w.shape[3]
    padded = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kernel_h, kernel_w), axis=(2, 3))
    windows = windows[:, :, ::stride_h, ::stride_w]
    y = np.einsum("nchwij,mcij->nmhw", windows, w, optimize=True)
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y


def evaluate(model, feeds):
    values = dict(feeds)
    for initializer in model.graph.initializer:
        values[initializer.name] = numpy_helper.to_array(initializer).astype(np.float64)
    for node in model.graph.node:
        args = [values[name] if name else None for name in node.input]
        attrs = attributes(node)
        if node.op_type == "Conv":
            result = conv(args[0], args[1], args[2] if len(args) > 2 else None, attrs)
        elif node.op_type == "Relu":
            result = np.maximum(args[0], 0.0)
        elif node.op_type == "Sub":
            result = args[0] - args[1]
        elif node.op_type == "Add":
            result = args[0] + args[1]
        elif node.op_type == "Identity":
            result = args[0]
        else:
            raise NotImplementedError("operator " + node.op_type)
        values[node.output[0]] = result
    return values[model.graph.output[0].name]


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__)
    model_path, input_name, input_path, shape_text, output_path = argv[1:]
    shape = tuple(int(d) for d in shape_text.split(","))
    model = onnx.load(model_path)  # also reads the external .onnx.data beside it
    x = np.fromfile(input_path, dtype="<f4").reshape(shape).astype(np.float64)
    y = evaluate(model, {input_name: x})
    y.astype("<f4").tofile(output_path)


if __name__ == "__main__":
    main(sys.argv)
