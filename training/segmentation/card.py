"""The model card of he-tumour-seg: how to feed the model, how to read it, and what it is (not) for."""
from __future__ import annotations

import json

LIMITATIONS = [
    "Demonstration model trained ONLY on procedurally simulated H&E tiles (training/segmentation). It has never "
    "seen a labelled real slide and is NOT validated for diagnosis or any clinical use.",
    "It marks regions of crowded, enlarged, dark (hyperchromatic), irregular nuclei without glandular architecture: "
    "the look of a solid carcinoma sheet in the simulator. It does not know organs, tumour types, grades, invasion "
    "or margins.",
    "It will also fire on benign tissue that looks like that: basal and squamous epithelium with crowded nuclei, "
    "lymphoid aggregates and other hypercellular tissue, tangentially cut epithelium, thick or folded sections, "
    "over-stained slides. In the simulator, lymphoid aggregates and benign solid epithelium with a dark basal layer "
    "were trained negatives, yet a third of the simulated lymphoid aggregate pixels are still called tumour-like "
    "(metrics); real lymphoid tissue has not been measured.",
    "It does not detect tumour that lacks those nuclear features (for example single infiltrating cells, well "
    "differentiated gland-forming tumour, lobular or mucinous patterns).",
    "Resolution matters: it was trained at 1.0 um/px (about a 10x objective); run at another scale it sees "
    "nuclei of the wrong size.",
    "For real use upload a model trained and validated on annotated slides, for example on CAMELYON16 lymph-node "
    "metastases, with its own card (docs/segmentation.md).",
]

# Written by a person after looking at the overlay slide_check saves (training/runs/segmentation/slide-overlay.png);
# it must be looked at again whenever the model is retrained.
SLIDE_OBSERVATION = (
    "Fires on the darkest, most compact epithelium: the thick squamous epithelium along the keratin and around the "
    "hair follicle in the middle of the slide and the epithelium at the lower right; most of the epidermis on the "
    "left, the pink dermal collagen with its scattered fibroblast and inflammatory nuclei, and the glass are left "
    "unmarked. The slide has no cancer annotation, so these marks cannot be scored; they lie on epithelium that "
    "looks benign, i.e. most likely false positives of the kind the limitations describe."
)


def write_card(path: str, *, onnx_file: str, params: int, opset: int, operators: list[str], classes: list[str],
               stride: int, training: dict, held_out: dict, slide: dict | None, verification: dict) -> None:
    card = {
        "name": "he-tumour-seg",
        "version": "1.0.0",
        "task": "segmentation",
        "description": "Demonstration model: marks tumour-like regions (crowded, enlarged, pleomorphic, hyperchromatic "
                       "nuclei with loss of architecture) in H&E tiles at 1.0 um/px. Trained on simulated tiles "
                       "only; not for diagnosis.",
        "file": onnx_file,
        "format": {"type": "onnx", "opset": opset, "operators": operators},
        "inputs": [{
            "name": "input", "layout": "NCHW", "shape": [-1, 3, -1, -1], "dtype": "float32",
            "channels": ["r", "g", "b"], "channel_order": "RGB",
            "constraints": {"height_multiple_of": stride, "width_multiple_of": stride, "min_height": stride,
                            "min_width": stride},
            "scaling": {"type": "range", "min": 0, "max": 255, "scope": "fixed: 8-bit RGB / 255, no stain normalisation"},
        }],
        "outputs": [{
            "name": "logits", "layout": "NCHW", "shape": [-1, len(classes), -1, -1], "dtype": "float32",
            "activation": "softmax",
            "meaning": "per-pixel class logits, same height and width as the input; the graph applies no activation: "
                       "the caller applies softmax over the class axis (C) to get probabilities",
            "classes": classes,
        }],
        "classes": classes,
        "tiling": {"tile_size": 256, "overlap": 32, "microns_per_pixel": 1.0},
        "preprocessing": {
            "resolution": "resample the slide to 1.0 um per pixel (for a 0.5 um/px, 20x scan: downsample by 2)",
            "colour": "RGB as scanned, 0..255 divided by 255; tiles outside tissue may be skipped (background)",
        },
        "postprocessing": {
            "probability": "softmax over the 2 channels; channel 1 is tumour-like",
            "threshold": 0.5,
            "stitching": "fully convolutional; with 32 px overlap keep each tile's inner part or blend",
        },
        "intended_use": "Demonstrating and testing the segmentation pipeline (tiling, stitching, overlay, AI "
                        "annotation layer) end to end with a model the project may ship. Research and "
                        "software testing only.",
        "limitations": LIMITATIONS,
        "training": training,
        "metrics": {
            "held_out_simulated": held_out,
            "definitions": "pixel-level over all held-out simulated tiles (seeds never used in training), tumour-like "
                           "probability >= threshold; AUC = pixel ROC AUC; positive_fraction_by_scene = fraction of "
                           "pixels called tumour-like in tiles of each simulated scene (only 'tumour' tiles contain "
                           "tumour); the simulated test set is easier than real slides and says nothing about "
                           "clinical accuracy",
        },
        "real_slide_check": None if slide is None else {**slide, "observation": SLIDE_OBSERVATION},
        "verification": verification,
        "parameters": params,
        "license": "Trained by the project on simulated data only; no patient data.",
    }
    with open(path, "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
