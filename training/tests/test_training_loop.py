"""The training loop and simulation cache that every training script shares (training/loop.py)."""
import os
import tempfile
import unittest

import numpy as np
import torch

from training import loop


class LineSampler:
    """Batches of y = 3x - 1 with a little noise: a problem a single linear layer solves."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def batch(self, n: int):
        x = self.rng.uniform(-1, 1, size=(n, 1)).astype(np.float32)
        y = (3 * x - 1 + self.rng.normal(0, 0.01, size=(n, 1))).astype(np.float32)
        return x, y


def mse(model, tensors):
    x, y = tensors
    return ((model(x) - y) ** 2).mean()


class TrainingLoopTest(unittest.TestCase):
    def test_learns_and_takes_the_requested_steps_within_budget(self):
        torch.manual_seed(0)
        model = torch.nn.Linear(1, 1)
        steps, losses = loop.train(model, LineSampler(0), steps=300, batch=32, lr=0.05, max_seconds=600, loss_of=mse)
        self.assertEqual(steps, 300)
        self.assertEqual(len(losses), 300)
        self.assertLess(np.mean(losses[-20:]), 0.01 * np.mean(losses[:5]))
        self.assertAlmostEqual(float(model.weight), 3.0, delta=0.05)
        self.assertAlmostEqual(float(model.bias), -1.0, delta=0.05)

    def test_stops_at_the_hard_time_limit(self):
        model = torch.nn.Linear(1, 1)
        steps, _ = loop.train(model, LineSampler(1), steps=10_000, batch=8, lr=0.01, max_seconds=1e-9, loss_of=mse)
        self.assertLess(steps, 10_000)


class PrepareTest(unittest.TestCase):
    def test_makes_the_folders_and_seeds_both_generators(self):
        with tempfile.TemporaryDirectory() as work:
            out = os.path.join(work, "model")
            rng = loop.prepare(1, 7, out, os.path.join(work, "runs"))
            first, torch_first = rng.random(), torch.rand(1)
            rng = loop.prepare(1, 7, out)
            self.assertEqual(first, rng.random())
            self.assertTrue(torch.equal(torch_first, torch.rand(1)))
            self.assertTrue(os.path.isdir(out) and os.path.isdir(os.path.join(work, "runs")))
            self.assertEqual(torch.get_num_threads(), 1)


class CacheTest(unittest.TestCase):
    def test_reuses_data_until_a_source_changes(self):
        with tempfile.TemporaryDirectory() as work:
            source = os.path.join(work, "simulator.py")
            with open(source, "w") as fh:
                fh.write("version = 1\n")
            made = []

            def make():
                made.append(1)
                return {"tiles": len(made)}

            first = loop.cached(work, "train", [5, 6], make, [source])
            again = loop.cached(work, "train", [5, 6], make, [source])
            self.assertEqual(first, again)
            self.assertEqual(len(made), 1)
            with open(source, "w") as fh:
                fh.write("version = 2\n")
            changed = loop.cached(work, "train", [5, 6], make, [source])
            self.assertEqual(len(made), 2)
            self.assertNotEqual(first, changed)


if __name__ == "__main__":
    unittest.main()
