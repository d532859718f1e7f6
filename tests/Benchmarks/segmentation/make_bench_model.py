#!/usr/bin/python3
"""A stand-in segmentation model for timing only, used when models/he-tumour-seg is not there: the shape of the
bundled model's contract (NCHW RGB float32 [-1,3,256,256], range 0..255, 2-class logits, caller applies softmax,
1 µm/px, tile 256, overlap 32) with a small fully convolutional body (3x3 convs 3->16->16->16, ReLU, 1x1 to 2
classes; ~0.33 GMAC per tile) and random weights. Its output means nothing; its cost is that of a small real model.

usage: make_bench_model.py <output folder>   (writes model.onnx and card.json)
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(7)
nodes, weights, previous, channels = [], [], "input", 3
for i, (width, kernel) in enumerate([(16, 3), (16, 3), (16, 3), (2, 1)]):
    w = (rng.standard_normal((width, channels, kernel, kernel)) / np.sqrt(channels * kernel * kernel)).astype(np.float32)
    weights += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(np.zeros(width, np.float32), f"b{i}")]
    name = "logits" if width == 2 else f"c{i}"
    nodes.append(helper.make_node("Conv", [previous, f"w{i}", f"b{i}"], [name], pads=[kernel // 2] * 4))
    if width != 2:
        nodes.append(helper.make_node("Relu", [name], [f"r{i}"]))
        name = f"r{i}"
    previous, channels = name, width
graph = helper.make_graph(nodes, "bench_convnet",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 256, 256])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 2, 256, 256])], weights)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="halflife-bench")
model.ir_version = 7
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
card = {
    "name": "bench-convnet", "version": "0.0.1", "task": "segmentation",
    "description": "Timing stand-in with random weights (tests/Benchmarks/segmentation); its output means nothing.",
    "inputs": [{"name": "input", "layout": "NCHW", "shape": [-1, 3, 256, 256], "dtype": "float32", "channel_order": "RGB",
                "scaling": {"type": "range", "min": 0, "max": 255}}],
    "outputs": [{"name": "logits", "layout": "NCHW", "shape": [-1, 2, 256, 256], "dtype": "float32", "activation": "softmax",
                 "classes": ["background", "random"]}],
    "tiling": {"tile_size": 256, "overlap": 32, "microns_per_pixel": 1.0},
}
with open(os.path.join(out, "card.json"), "w") as f:
    json.dump(card, f, indent=2)
