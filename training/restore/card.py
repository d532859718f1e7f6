"""The model card: everything a runtime needs to feed the model and to judge its output."""
from __future__ import annotations

import json


BONE_RESTORE_DESCRIPTION = ("Restores an early (2 h) or low-count Tc-99m MDP whole-body planar bone-scan view "
                            "to a 4 h-like, noise-reduced view.")
BONE_RESTORE_OUTPUT = "4 h-like noise-free view in the input's units (counts / mean(input counts)); >= 0"


def write_card(path: str, *, onnx_file: str, params: int, opset: int, operators: list[str], training: dict,
               evaluation: dict, baseline_params: dict, onnx_check: dict, name: str = "bone-restore",
               version: str = "1.0.0", description: str = BONE_RESTORE_DESCRIPTION,
               output_meaning: str = BONE_RESTORE_OUTPUT) -> None:
    card = {
        "name": name,
        "version": version,
        "task": "restoration",
        "description": description,
        "file": onnx_file,
        "format": {"type": "onnx", "opset": opset, "operators": operators},
        "inputs": [{"name": "input", "layout": "NCHW", "shape": [-1, 1, -1, -1], "dtype": "float32",
                    "channels": ["counts"],
                    "constraints": {"height_multiple_of": 16, "width_multiple_of": 16, "min_height": 16, "min_width": 16}}],
        "outputs": [{"name": "output", "layout": "NCHW", "shape": [-1, 1, -1, -1], "dtype": "float32",
                     "meaning": output_meaning}],
        "preprocessing": {
            "formula": "input = counts / mean(counts)",
            "mean": "arithmetic mean over every pixel of the single view (anterior or posterior) as acquired, "
                    "before any padding",
            "padding": "pad height and width up to multiples of 16 with zeros at the bottom/right; crop the output back",
            "orientation": "as stored; the model was trained with both views and horizontal flips",
        },
        "postprocessing": {
            "formula": "restored_counts = output * mean(counts)",
            "note": "this keeps the input's total count level; to show at another level N multiply output by N / (H*W)",
        },
        "intensity_scaling": {"type": "divide_by_mean", "scope": "per image"},
        "tiling": {"tile_size": None, "note": "fully convolutional; a whole 256x1024 view runs in one pass. If tiled, "
                   "normalise by the whole view's mean, not the tile's, and overlap tiles by >= 32 px."},
        "training": training,
        "baselines": baseline_params,
        "metrics": evaluation,
        "verification": onnx_check,
        "parameters": params,
        "license": "Trained by the project on simulated data only; no patient data.",
    }
    with open(path, "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
