"""Export simulated evaluation views for the C# evaluation command (services/Evaluation).

    /usr/bin/python3 -m training.restore.export_eval --out /tmp/halflife-eval

Two sets, both with exactly the noisy inputs that training/restore/evaluate.py uses (same noise seeds), so the
C# and Python tables measure the same images:

- ``tune``: the first ``--tune-studies`` TRAINING studies (seeds 0..), both views. Baseline parameters (Gaussian
  sigma, NLM h) are tuned on these only.
- ``test``: the held-out studies (seeds 100000..; disjoint from training), 3-6 lesions each, both views.

Per view: ``<name>.target.npy`` (noise-free 4 h view / its mean, float32), ``<name>.counts-<pct>.npy`` (Poisson counts
of the 2 h view at pct % of the 4 h count level, float32), ``<name>.full.npy`` (Poisson counts of the 4 h view at
the full count level: what a real 4 h acquisition would record), ``<name>.late-<pct>.npy`` (that full-count 4 h
acquisition binomially thinned to pct %: what thinning a real scan gives; counts_eval.py scores the same inputs) and
an entry in ``manifest.json`` with the lesions (row, col, radius in px, in this view's coordinates).
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np

from ..bonescan import simulate_study
from ..bonescan.camera import VIEWS
from .data import ViewPair
from .counts_eval import late_input
from .evaluate import _noise_rng

TEST_SEED_BASE = 100_000  # as in training/train.py
FRACTIONS = (0.5, 0.25)


def simulate(seeds, lesions_per_study=None, with_expected=False):
    """As data.simulate_pairs (same pairs), plus each view's Poisson 4 h acquisition at the full count level (and, with
    ``with_expected``, its noise-free 4 h view in counts)."""
    for seed in seeds:
        s = simulate_study(int(seed), lesion_count=None if lesions_per_study is None else lesions_per_study(seed))
        for v, view in enumerate(VIEWS):
            early = s.expected(view, "2h", 1.0)
            four = s.expected(view, "4h", 1.0)
            lesions = [(l.row, l.col_in(view, s.grid.cols), l.radius_px) for l in s.lesions]
            full = np.random.default_rng([int(seed), v, 1000, 4]).poisson(four.astype(np.float64)).astype(np.float32)
            pair = ViewPair(int(seed), view, early, four / float(four.mean()), lesions)
            yield (pair, full, four) if with_expected else (pair, full)


def export(out: str, tune_studies: int, test_studies: int, fractions=FRACTIONS) -> dict:
    os.makedirs(out, exist_ok=True)
    sets = {
        "tune": simulate(range(0, tune_studies), with_expected=True),
        "test": simulate(range(TEST_SEED_BASE, TEST_SEED_BASE + test_studies), lesions_per_study=lambda seed: 3 + seed % 4,
                         with_expected=True),
    }
    manifest = {"description": "training/restore/export_eval.py", "fractions": list(fractions), "sets": {}}
    for set_name, pairs in sets.items():
        views = []
        for pair, full, four in pairs:
            name = f"{set_name}-{pair.seed}-{pair.view}"
            np.save(os.path.join(out, f"{name}.target.npy"), pair.target.astype(np.float32))
            np.save(os.path.join(out, f"{name}.full.npy"), full)
            # Noise-free views in counts at the full 4 h level: times the fraction, an input's expected counts.
            np.save(os.path.join(out, f"{name}.expected-2h.npy"), pair.early.astype(np.float32))
            np.save(os.path.join(out, f"{name}.expected-4h.npy"), four.astype(np.float32))
            counts, late = {}, {}
            for fraction in fractions:
                c, _ = pair.noisy_input(fraction, _noise_rng(pair, fraction))
                key = f"{int(round(fraction * 100))}"
                np.save(os.path.join(out, f"{name}.counts-{key}.npy"), c.astype(np.float32))
                counts[key] = f"{name}.counts-{key}.npy"
                np.save(os.path.join(out, f"{name}.late-{key}.npy"), late_input(pair, full, fraction))
                late[key] = f"{name}.late-{key}.npy"
            views.append({"name": name, "seed": pair.seed, "view": pair.view, "height": int(pair.target.shape[0]),
                          "width": int(pair.target.shape[1]), "target": f"{name}.target.npy", "full": f"{name}.full.npy", "counts": counts, "late": late,
                          "expected_2h": f"{name}.expected-2h.npy", "expected_4h": f"{name}.expected-4h.npy",
                          "lesions": [[float(r), float(c), float(rad)] for r, c, rad in pair.lesions]})
        manifest["sets"][set_name] = views
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tune-studies", type=int, default=3, help="training studies for tuning (as train.py)")
    ap.add_argument("--test-studies", type=int, default=10, help="held-out studies (as train.py)")
    args = ap.parse_args(argv)
    m = export(args.out, args.tune_studies, args.test_studies)
    print(f"exported {len(m['sets']['tune'])} tuning and {len(m['sets']['test'])} held-out views to {args.out}")


if __name__ == "__main__":
    main()
