#!/usr/bin/python3
"""Writes the tiny ONNX models the C# tests run, built with Debian's python3-onnx at test time.

usage: make_tiny_models.py OUTPUT_DIR
Every model has one input 'x' and one output 'y' with a dynamic batch and spatial size.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13  # old enough for onnx 1.12's checker, new enough for every operator used here


def dynamic(name, element_type):
    return helper.make_tensor_value_info(name, element_type, ["batch", 2, "height", "width"])


def save(graph, directory, file_name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="halflife-tests")
    model.ir_version = 8
    model.model_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(directory, file_name))


def main(directory):
    os.makedirs(directory, exist_ok=True)

    # float16 pass-through: proves Half crosses the boundary bit for bit.
    save(helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "identity_f16",
                           [dynamic("x", TensorProto.FLOAT16)], [dynamic("y", TensorProto.FLOAT16)]),
         directory, "identity_f16.onnx")

    # uint8 in, float out: the usual 8-bit image feeding a float network.
    save(helper.make_graph([helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)], "cast_u8_f32",
                           [dynamic("x", TensorProto.UINT8)], [dynamic("y", TensorProto.FLOAT)]),
         directory, "cast_u8_f32.onnx")

    # uint8 pass-through for the output direction.
    save(helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "identity_u8",
                           [dynamic("x", TensorProto.UINT8)], [dynamic("y", TensorProto.UINT8)]),
         directory, "identity_u8.onnx")

    # float32 x + 1.5: small enough that 10,000 runs take seconds, used by the leak test.
    offset = numpy_helper.from_array(np.array([1.5], dtype=np.float32), name="offset")
    save(helper.make_graph([helper.make_node("Add", ["x", "offset"], ["y"])], "add_f32",
                           [dynamic("x", TensorProto.FLOAT)], [dynamic("y", TensorProto.FLOAT)], [offset]),
         directory, "add_f32.onnx")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
