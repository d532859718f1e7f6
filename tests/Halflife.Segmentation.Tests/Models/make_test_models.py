#!/usr/bin/python3
"""Small ONNX segmentation models whose answer is known, for the "any model" tests (tests/Halflife.Segmentation.Tests).

Each model classifies a pixel by its colour only, so the expected class map follows from the image. Each is right ONLY
when the pipeline honours its card: layout, channel order, scaling, element type, batch and output activation.

  nhwc_bgr_meanstd_softmax3.onnx  input "image" float32 [N,H,W,3] BGR, mean_std (mean 0.2,0.5,0.8 std 0.25 after
                                  0..255 -> 0..1); output "logits" [N,H,W,3] (caller applies softmax): 0 background
                                  (bright), 1 blue > red (hematoxylin-like), 2 red > blue (eosin-like).
  nchw_rgb_range_sigmoid.onnx     input "input" float32 [N,3,H,W] RGB, range 0..255; output "mask" [N,1,H,W] logit of
                                  blue > red (caller applies sigmoid).
  fixed_f16_softmax2.onnx         input "pixels" float16 [1,3,32,32] RGB, range 0..255; output "probabilities" float16
                                  [1,2,32,32] with softmax already in the graph: class 1 = blue > red.
  nchw_rgb_sigmoid_halfres.onnx   as nchw_rgb_range_sigmoid but the output is 2x2 average-pooled ([N,1,H/2,W/2]).
  tile_classifier_nc.onnx         a patch classifier as many CAMELYON16 models are: input "input" float32 [N,3,H,W] RGB,
                                  ImageNet mean_std (after 0..255 -> 0..1); output "logits" [N,2], one answer per
                                  tile (caller applies softmax): class 1 when the tile's mean blue > mean red.

usage: make_test_models.py <output folder>
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


def save(graph, folder, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="halflife-tests")
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(folder, name))


def nhwc_bgr_meanstd_softmax3(folder):
    # Intent on u = pixel / 255 in the model's channel order (B, G, R).
    intent = np.array([[40 / 3, 40 / 3, 40 / 3],   # background: bright
                       [40, 0, -40],                # blue > red
                       [-40, 0, 40]], np.float64)   # red > blue
    intent_bias = np.array([-40 * 0.85, 0, 0])
    mean = np.array([0.2, 0.5, 0.8])
    std = np.array([0.25, 0.25, 0.25])
    # The model sees x = (u - mean) / std, so u = std * x + mean: fold that into the weights.
    weight = (intent * std[None, :]).T.astype(np.float32)           # [3 in, 3 out] for x @ W
    bias = (intent @ mean + intent_bias).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["image", "W"], ["mm"]), helper.make_node("Add", ["mm", "B"], ["logits"])],
        "nhwc_bgr_meanstd_softmax3",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", "H", "W", 3])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", "H", "W", 3])],
        [numpy_helper.from_array(weight, "W"), numpy_helper.from_array(bias, "B")])
    save(graph, folder, "nhwc_bgr_meanstd_softmax3.onnx")


def blue_minus_red_conv(outputs, name_in, name_out, scale=40.0):
    weight = np.array([[[[-scale]], [[0.0]], [[scale]]]] * outputs, np.float32)  # [out, 3 (R,G,B), 1, 1]
    if outputs == 2:
        weight[0] *= -1  # class 0: red >= blue
    return helper.make_node("Conv", [name_in, "K"], [name_out]), numpy_helper.from_array(weight, "K")


def nchw_rgb_range_sigmoid(folder, halfres=False):
    conv, kernel = blue_minus_red_conv(1, "input", "conv" if halfres else "mask")
    nodes = [conv]
    if halfres:
        nodes.append(helper.make_node("AveragePool", ["conv"], ["mask"], kernel_shape=[2, 2], strides=[2, 2]))
    out_hw = ["H2", "W2"] if halfres else ["H", "W"]
    graph = helper.make_graph(
        nodes, "nchw_rgb_range_sigmoid",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, "H", "W"])],
        [helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["N", 1] + out_hw)],
        [kernel])
    save(graph, folder, "nchw_rgb_sigmoid_halfres.onnx" if halfres else "nchw_rgb_range_sigmoid.onnx")


def fixed_f16_softmax2(folder):
    # The range scaling (0..255 -> 0..1) is the pipeline's job; the model works on u.
    conv, kernel = blue_minus_red_conv(2, "u", "logits")
    nodes = [helper.make_node("Cast", ["pixels"], ["u"], to=TensorProto.FLOAT), conv,
             helper.make_node("Softmax", ["logits"], ["p"], axis=1),
             helper.make_node("Cast", ["p"], ["probabilities"], to=TensorProto.FLOAT16)]
    graph = helper.make_graph(
        nodes, "fixed_f16_softmax2",
        [helper.make_tensor_value_info("pixels", TensorProto.FLOAT16, [1, 3, 32, 32])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT16, [1, 2, 32, 32])],
        [kernel])
    save(graph, folder, "fixed_f16_softmax2.onnx")


IMAGENET_MEAN = np.array([0.485, 0.456, 0.406])
IMAGENET_STD = np.array([0.229, 0.224, 0.225])


def tile_classifier_nc(folder):
    intent = np.array([[40, 0, -40],    # class 0: red >= blue (on u = pixel / 255, R, G, B)
                       [-40, 0, 40]],   # class 1: blue > red
                      np.float64)
    weight = (intent * IMAGENET_STD[None, :]).T.astype(np.float32)  # x = (u - mean) / std folded in: [3 in, 2 out]
    bias = (intent @ IMAGENET_MEAN).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["input"], ["pooled"], axes=[2, 3], keepdims=0),
         helper.make_node("MatMul", ["pooled", "W"], ["mm"]), helper.make_node("Add", ["mm", "B"], ["logits"])],
        "tile_classifier_nc",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, "H", "W"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 2])],
        [numpy_helper.from_array(weight, "W"), numpy_helper.from_array(bias, "B")])
    save(graph, folder, "tile_classifier_nc.onnx")


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    nhwc_bgr_meanstd_softmax3(out)
    nchw_rgb_range_sigmoid(out)
    nchw_rgb_range_sigmoid(out, halfres=True)
    fixed_f16_softmax2(out)
    tile_classifier_nc(out)
    print("ok")
