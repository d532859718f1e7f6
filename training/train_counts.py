"""One command for the count-restoration model: simulate, train, export, verify, evaluate, write the card.

    /usr/bin/python3 -m training.train_counts      (from the repository root; see restore/train_counts.sh)

Starts from the bone-restore weights (training/runs/bone-restore-v1.pt) when they are there, so that a short CPU run
is enough: the features that tell noise from structure carry over; only "remove the extra soft tissue" has to go.
Deterministic for a given --seed as long as --max-minutes does not cut the run short (the card records the steps).
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import torch

from .restore import card, counts_eval, onnx_check
from .restore.counts_data import BLOB_SIGMA_PX, MEAN_COUNT_RANGE, CountPatchSampler, simulate_scenes
from .restore.data import simulate_pairs
from .restore.model import STRIDE, RestorationUNet, parameter_count
from . import loop
from .train import TEST_SEED_BASE, cached, log, train

NAME = "bone-denoise-counts"
VERSION = "1.0.0"
DESCRIPTION = ("Removes Poisson noise from a planar NM view (trained on Tc-99m MDP whole-body bone scans at any time "
               "after injection, with widely varied soft tissue, kidneys, bladder and random organ shapes). Keeps the "
               "biodistribution, shape and contrast as they are: count restoration, not 2 h -> 4 h.")
OUTPUT = "noise-free estimate of the same view in the input's units (counts / mean(input counts)); >= 0"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--train-studies", type=int, default=40)
    ap.add_argument("--test-studies", type=int, default=10)
    ap.add_argument("--steps", type=int, default=4000, help="a cap; the wall-time budget usually ends the run first")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--patch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--lesion-weight", type=float, default=10.0)
    ap.add_argument("--peak-weight", type=float, default=4.0, help="extra weight on compact local maxima of the target")
    ap.add_argument("--init", default="training/runs/bone-restore-v1.pt", help="start weights ('' for none)")
    ap.add_argument("--early-model", default="", help="2 h -> 4 h weights to compare in the table (halflife-evaluate compares both anyway)")
    ap.add_argument("--max-minutes", type=float, default=30.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--by-steps", action="store_true",
                    help="plan the cosine schedule in steps timed at the start (as train.py) instead of over --max-minutes of "
                         "wall time; the default suits a shared machine whose load swings")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=f"models/{NAME}")
    ap.add_argument("--work", default="training/runs")
    args = ap.parse_args(argv)
    if args.patch % STRIDE:
        ap.error(f"--patch must be a multiple of {STRIDE}")

    rng = loop.prepare(args.threads, args.seed, args.out, args.work)

    # Training seeds differ from bone-restore's (0-47) and never reach the held-out ones (100000+).
    train_seeds = list(range(args.seed * 10_000, args.seed * 10_000 + args.train_studies))
    test_seeds = list(range(TEST_SEED_BASE, TEST_SEED_BASE + args.test_studies))
    log(f"simulating {len(train_seeds)} training studies (compartments)")
    scenes = cached(args.work, "scenes", train_seeds, lambda: simulate_scenes(train_seeds))
    log(f"simulating {len(test_seeds)} held-out studies")
    test_pairs = cached(args.work, "test", test_seeds,
                        lambda: simulate_pairs(test_seeds, lesions_per_study=lambda seed: 3 + seed % 4))

    model = RestorationUNet()
    start = "random"
    if args.init and os.path.exists(args.init):
        model.load_state_dict(torch.load(args.init))
        start = args.init
    log(f"training {NAME} ({parameter_count(model)} parameters, from {start}), {args.steps} steps of {args.batch}x{args.patch}^2")
    sampler = CountPatchSampler(scenes, args.patch, rng, args.lesion_weight, args.peak_weight)
    steps_done, losses = train(model, sampler, args.steps, args.batch, args.lr, args.max_minutes * 60, by_time=not args.by_steps)
    torch.save(model.state_dict(), os.path.join(args.work, f"{NAME}-v1.pt"))

    onnx_name = f"{NAME}-v1.onnx"
    onnx_path = os.path.join(args.out, onnx_name)
    onnx_check.export(model, onnx_path)
    probe = [np.ascontiguousarray(sampler.batch(1)[0][:, :, :, :]),
             np.random.default_rng(2).gamma(1.0, 1.0, size=(2, 1, 48, 80)).astype(np.float32)]
    worst = onnx_check.compare(model, onnx_path, probe)
    log(f"ONNX checker passed; NumPy execution vs torch: max relative difference {worst:.2e}")
    if worst > 1e-4:
        raise SystemExit("exported graph does not reproduce the torch model")

    early_model = None
    if args.early_model and os.path.exists(args.early_model):  # for comparison in the table only
        early_model = RestorationUNet()
        early_model.load_state_dict(torch.load(args.early_model))
    results = counts_eval.evaluate_all(model, test_pairs, log, early_model)
    table = counts_eval.markdown_table(results)
    print(table, flush=True)

    training_info = {
        "data": "training/bonescan simulator compartments (Tc-99m MDP whole-body planar, anterior + posterior, 256x1024), "
                "remixed per patch: soft tissue 0.5-4x, kidneys and bladder 0.1-4x the 4 h level, 15 % of patches with "
                f"bone at 0.05-0.5; half the views with 1-4 random hot or cold organ blobs (sigma {BLOB_SIGMA_PX[0]:g}-"
                f"{BLOB_SIGMA_PX[1]:g} px); horizontal and vertical flips",
        "train_study_seeds": [train_seeds[0], train_seeds[-1]],
        "held_out_study_seeds": [test_seeds[0], test_seeds[-1]],
        "views": 2 * len(train_seeds),
        "input": f"Poisson counts of the mixed view at {MEAN_COUNT_RANGE[0]:g}-{MEAN_COUNT_RANGE[1]:g} mean counts per pixel "
                 "(log-uniform): binomial thinning of a real scan gives exactly this",
        "target": "the same view's noise-free expected counts divided by their mean",
        "loss": f"L1, weight {args.lesion_weight:g} inside lesions (radius + 1 px), up to {args.peak_weight:g} on compact "
                "local maxima of the target",
        "optimizer": f"Adam lr {args.lr}, cosine decay to 2 %" + (" over wall time" if not args.by_steps else ""),
        "initial_weights": start,
        "steps": steps_done, "steps_planned": args.steps, "batch": args.batch, "patch": args.patch,
        "seed": args.seed, "final_loss": float(np.mean(losses[-50:])) if losses else None,
        "command": "training/restore/train_counts.sh",
        "framework": f"torch {torch.__version__} (CPU, {args.threads} threads)",
    }
    card.write_card(os.path.join(args.out, "model-card.json"), onnx_file=onnx_name, params=parameter_count(model),
                    opset=onnx_check.OPSET, operators=onnx_check.operator_set(onnx_path), training=training_info,
                    evaluation={"held_out_views": len(test_pairs), "definitions": "docs/restoration.md", "results": results},
                    baseline_params={"gaussian_sigma_px": counts_eval.GAUSSIAN_SIGMA},
                    onnx_check={"onnx.checker": "passed (full_check)", "numpy_vs_torch_max_relative_diff": worst},
                    name=NAME, version=VERSION, description=DESCRIPTION, output_meaning=OUTPUT)
    with open(os.path.join(args.work, f"{NAME}-evaluation.md"), "w") as f:
        f.write(table + "\n")
    with open(os.path.join(args.work, f"{NAME}-losses.json"), "w") as f:
        json.dump(losses, f)
    log("done")


if __name__ == "__main__":
    main()
