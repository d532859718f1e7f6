"""One command: simulate, train, export, verify, evaluate and write the model card.

    /usr/bin/python3 -m training.train            (from the repository root; see train.sh)

Deterministic for a given --seed as long as the run is not cut short by --max-minutes
(the card records the number of steps actually taken).
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import torch

from . import loop
from .loop import log
from .restore import card, evaluate, onnx_check
from .restore.data import FRACTION_RANGE, PatchSampler, simulate_pairs
from .restore.model import STRIDE, RestorationUNet, parameter_count

TEST_SEED_BASE = 100_000


def cached(work: str, name: str, seeds: list[int], make):
    """Simulated pairs are reused between runs while the bone-scan simulator's source is unchanged."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bonescan")
    sources = [os.path.join(src, f) for f in sorted(os.listdir(src)) if f.endswith(".py")]
    return loop.cached(work, name, seeds, make, sources)


def weighted_l1(model, tensors) -> torch.Tensor:
    """L1 weighted 4x inside lesions: small hot spots must not be averaged away."""
    x, y, w = tensors
    return (w * (model(x) - y).abs()).sum() / w.sum()


def train(model, sampler, steps, batch, lr, max_seconds, by_time: bool = False) -> tuple[int, list[float]]:
    """The shared loop (training/loop.py) with the restoration loss."""
    return loop.train(model, sampler, steps, batch, lr, max_seconds, weighted_l1, by_time)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--train-studies", type=int, default=48)
    ap.add_argument("--test-studies", type=int, default=10)
    ap.add_argument("--tune-studies", type=int, default=3, help="training studies used to tune the baselines")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--patch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--lesion-weight", type=float, default=10.0, help="L1 weight inside lesions (1 elsewhere)")
    ap.add_argument("--max-minutes", type=float, default=22.0)
    ap.add_argument("--by-time", action="store_true",
                    help="cosine schedule over --max-minutes of wall time, --steps only a cap (for a machine whose load swings)")
    # One thread: on a shared, oversubscribed CPU, OpenMP threads wait for each other at every
    # operator and two threads ran 3-6x slower than one (measured 11 s vs 1.8 s per step).
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--init", default="", help="start weights, e.g. training/runs/bone-restore-v1.pt to continue a run ('' for random)")
    ap.add_argument("--out", default="models/bone-restore")
    ap.add_argument("--work", default="training/runs")
    args = ap.parse_args(argv)
    if args.patch % STRIDE:
        ap.error(f"--patch must be a multiple of {STRIDE}")

    rng = loop.prepare(args.threads, args.seed, args.out, args.work)

    train_seeds = list(range(args.seed * 10_000, args.seed * 10_000 + args.train_studies))
    test_seeds = list(range(TEST_SEED_BASE, TEST_SEED_BASE + args.test_studies))
    log(f"simulating {len(train_seeds)} training studies")
    train_pairs = cached(args.work, "train", train_seeds, lambda: simulate_pairs(train_seeds))
    log(f"simulating {len(test_seeds)} held-out studies")
    test_pairs = cached(args.work, "test", test_seeds,
                        lambda: simulate_pairs(test_seeds, lesions_per_study=lambda seed: 3 + seed % 4))

    model = RestorationUNet()
    if args.init:
        model.load_state_dict(torch.load(args.init))
    log(f"training U-Net ({parameter_count(model)} parameters, from {args.init or 'random'}), {args.steps} steps of {args.batch}x{args.patch}^2")
    steps_done, losses = train(model, PatchSampler(train_pairs, args.patch, rng, args.lesion_weight), args.steps, args.batch, args.lr,
                               args.max_minutes * 60, by_time=args.by_time)
    torch.save(model.state_dict(), os.path.join(args.work, "bone-restore-v1.pt"))

    onnx_name = "bone-restore-v1.onnx"
    onnx_path = os.path.join(args.out, onnx_name)
    onnx_check.export(model, onnx_path)
    probe = [np.ascontiguousarray(train_pairs[0].noisy_input(0.4, np.random.default_rng(1))[1][None, None, 256:512, :]),
             np.random.default_rng(2).gamma(1.0, 1.0, size=(2, 1, 48, 80)).astype(np.float32)]
    worst = onnx_check.compare(model, onnx_path, probe)
    log(f"ONNX checker passed; NumPy execution vs torch: max relative difference {worst:.2e}")
    if worst > 1e-4:
        raise SystemExit("exported graph does not reproduce the torch model")

    results, tuned = {}, {}
    run = evaluate.network_runner(model)
    tune_pairs = train_pairs[: 2 * args.tune_studies]
    for fraction in (0.5, 0.25):
        level = f"{int(fraction * 100)}%"
        tuned[level] = evaluate.tune_baselines(tune_pairs, fraction)
        log(f"{level}: tuned baselines on training views: {tuned[level]}")
        results[level] = evaluate.evaluate(test_pairs, fraction, tuned[level], run)
    table = evaluate.markdown_table(results)
    print(table, flush=True)

    training_info = {
        "data": "training/bonescan simulator (Tc-99m MDP whole-body planar, anterior + posterior, 256x1024, 2.4 mm pixels)",
        "train_study_seeds": [train_seeds[0], train_seeds[-1]],
        "held_out_study_seeds": [test_seeds[0], test_seeds[-1]],
        "views": 2 * len(train_seeds),
        "input": f"2 h biodistribution, Poisson counts at {FRACTION_RANGE[0]:.2f}-{FRACTION_RANGE[1]:.2f} of the 4 h count "
                 "level (4 h anterior total 2-4 million counts)",
        "target": "4 h noise-free expected view divided by its mean",
        "loss": f"L1, weight {args.lesion_weight:g} inside lesions (radius + 1 px)",
        "optimizer": f"Adam lr {args.lr}, cosine decay to 2 %" + (" over wall time" if args.by_time else ""),
        "steps": steps_done, "steps_planned": args.steps, "batch": args.batch, "patch": args.patch,
        "augmentation": "horizontal flip; fresh Poisson noise and count fraction per patch; half of the patches centred near a lesion",
        "seed": args.seed, "final_loss": float(np.mean(losses[-50:])) if losses else None,
        "initial_weights": args.init or "random",
        "command": "training/train.sh",
        "framework": f"torch {torch.__version__} (CPU, {args.threads} threads)",
    }
    card.write_card(os.path.join(args.out, "model-card.json"), onnx_file=onnx_name, params=parameter_count(model),
                    opset=onnx_check.OPSET, operators=onnx_check.operator_set(onnx_path), training=training_info,
                    evaluation={"held_out_views": len(test_pairs), "definitions": "docs/restoration.md", "results": results},
                    baseline_params=tuned,
                    onnx_check={"onnx.checker": "passed (full_check)", "numpy_vs_torch_max_relative_diff": worst})
    with open(os.path.join(args.work, "evaluation.md"), "w") as f:
        f.write(table + "\n")
    with open(os.path.join(args.work, "losses.json"), "w") as f:
        json.dump(losses, f)
    log("done")


if __name__ == "__main__":
    main()
