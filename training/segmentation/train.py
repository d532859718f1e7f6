"""One command: simulate, train, export, verify, evaluate, check on the real slide and write the card.

    /usr/bin/python3 -m training.segmentation.train      (from the repository root; see train.sh)

Deterministic for a given --seed as long as the run is not cut short by --max-minutes (the card
records the number of steps actually taken; re-run with --steps <that> --max-minutes 1000).
"""
from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from .. import loop
from ..loop import log
from . import card, evaluate, onnx_check, slide_check
from .data import TileSampler, simulate_set, to_input
from .model import CLASSES, STRIDE, SegmentationUNet, parameter_count

TEST_SEED_BASE = 1_000_000
# Held-out tiles are drawn per scene so that every kind of tissue is measured, not just the common ones.
TEST_SCENES = {"tumour": 0.4, "normal": 0.15, "lymphoid": 0.15, "squamous": 0.1, "stroma": 0.1, "edge": 0.1}


def cached(work: str, name: str, seeds: list[int], make):
    """Simulated tiles are reused between runs while the H&E simulator's source is unchanged."""
    here = os.path.dirname(os.path.abspath(__file__))
    sources = [os.path.join(here, f) for f in ("simulator.py", "nuclei.py", "stains.py", "data.py")]
    return loop.cached(work, name, seeds, make, sources)


def loss_fn(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Cross-entropy plus soft Dice on the tumour-like class: CE alone under-segments when tumour
    covers a small part of a batch; Dice alone is unstable on batches without tumour."""
    ce = F.cross_entropy(logits, target)
    p = torch.softmax(logits, dim=1)[:, 1]
    t = target.float()
    soft_dice = 1 - (2 * (p * t).sum() + 1) / (p.sum() + t.sum() + 1)
    return ce + 0.5 * soft_dice


def train(model, sampler, steps, batch, lr, max_seconds) -> tuple[int, list[float]]:
    """The shared loop (training/loop.py: Adam, cosine schedule fitted to the time budget) with this loss."""
    return loop.train(model, sampler, steps, batch, lr, max_seconds, lambda m, t: loss_fn(m(t[0]), t[1]))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--train-tiles", type=int, default=240)
    ap.add_argument("--test-tiles", type=int, default=100)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--crop", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--max-minutes", type=float, default=28.0)
    ap.add_argument("--threads", type=int, default=1, help="one thread: the machine's CPUs are shared (training/train.py)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--slide", default=os.path.join("..", "shared", "data", "wsi", "cmu-1-small-region.svs"))
    ap.add_argument("--out", default="models/he-tumour-seg")
    ap.add_argument("--work", default="training/runs/segmentation")
    args = ap.parse_args(argv)
    if args.crop % STRIDE:
        ap.error(f"--crop must be a multiple of {STRIDE}")

    rng = loop.prepare(args.threads, args.seed, args.out, args.work)
    began = time.time()

    train_seeds = list(range(args.seed * 100_000, args.seed * 100_000 + args.train_tiles))
    test_seeds = list(range(TEST_SEED_BASE, TEST_SEED_BASE + args.test_tiles))
    bounds = np.cumsum([0] + [round(f * args.test_tiles) for f in TEST_SCENES.values()])
    test_scenes = {s: name for name, lo, hi in zip(TEST_SCENES, bounds[:-1], bounds[1:]) for s in test_seeds[lo:hi]}
    log(f"simulating {len(train_seeds)} training tiles")
    train_set = cached(args.work, "train", train_seeds, lambda: simulate_set(train_seeds))
    log(f"simulating {len(test_seeds)} held-out tiles")
    test_set = cached(args.work, "test", test_seeds, lambda: simulate_set(test_seeds, test_scenes))
    simulated_s = time.time() - began

    model = SegmentationUNet()
    log(f"training U-Net ({parameter_count(model)} parameters), {args.steps} steps of {args.batch}x{args.crop}^2")
    t0 = time.time()
    steps_done, losses = train(model, TileSampler(train_set.rgb, train_set.mask, args.crop, rng), args.steps, args.batch,
                               args.lr, args.max_minutes * 60)
    train_s = time.time() - t0
    torch.save(model.state_dict(), os.path.join(args.work, "he-tumour-seg-v1.pt"))

    onnx_path = os.path.join(args.out, "model.onnx")
    onnx_check.export(model, onnx_path)
    probe = [np.ascontiguousarray(to_input(test_set.rgb[:1])),
             np.random.default_rng(2).random((2, 3, 48, 80), dtype=np.float32)]
    worst_abs = 0.0
    for x in probe:
        with torch.no_grad():
            ref = model(torch.from_numpy(x)).numpy()
        worst_abs = max(worst_abs, float(np.abs(onnx_check.run_numpy(onnx_path, x) - ref).max()))
    worst_rel = onnx_check.compare(model, onnx_path, probe)
    log(f"ONNX checker passed; NumPy execution vs torch: max abs difference {worst_abs:.2e} (relative {worst_rel:.2e})")
    if worst_abs > 1e-4:
        raise SystemExit("exported graph does not reproduce the torch model")

    results = evaluate.evaluate(model, test_set)
    log("held-out: " + json.dumps(results))
    slide = slide_check.check(model, args.slide, os.path.join(args.work, "slide-overlay.png")) if os.path.exists(args.slide) else None
    log(f"real slide: {json.dumps(slide)}")

    training_info = {
        "data": "training/segmentation simulator: procedural H&E tiles, 256x256 at 1.0 um/px; no patient data, "
                "no real slide used for training",
        "train_tile_seeds": [train_seeds[0], train_seeds[-1]],
        "train_tiles_by_scene": {s: train_set.scenes.count(s) for s in sorted(set(train_set.scenes))},
        "held_out_tile_seeds": [test_seeds[0], test_seeds[-1]],
        "loss": "cross-entropy + 0.5 soft Dice (tumour-like class)",
        "optimizer": f"Adam lr {args.lr}, cosine decay to 2 %",
        "steps": steps_done, "steps_planned": args.steps, "batch": args.batch, "crop": args.crop,
        "augmentation": "random crops, 8 orientations, per-channel optical-density stretch; per-tile stain, "
                        "illumination, blur, noise and JPEG variation in the simulator",
        "seed": args.seed, "final_loss": round(float(np.mean(losses[-50:])), 4) if losses else None,
        "training_seconds": round(train_s), "simulation_seconds": round(simulated_s),
        "command": "training/segmentation/train.sh",
        "framework": f"torch {torch.__version__} (CPU, {args.threads} threads)",
    }
    card.write_card(os.path.join(args.out, "card.json"), onnx_file="model.onnx", params=parameter_count(model),
                    opset=onnx_check.OPSET, operators=onnx_check.operator_set(onnx_path), classes=list(CLASSES),
                    stride=STRIDE, training=training_info, held_out=results, slide=slide,
                    verification={"onnx.checker": "passed (full_check)",
                                  "numpy_vs_torch_max_abs_diff": float(f"{worst_abs:.3g}")})
    with open(os.path.join(args.work, "losses.json"), "w") as f:
        json.dump(losses, f)
    log(f"done in {time.time() - began:.0f} s")


if __name__ == "__main__":
    main()
