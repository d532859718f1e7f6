"""What every training script here shares: logging, the cache of simulated data, and the training loop.

The loop is Adam with a cosine schedule fitted to a time budget, because the project trains on shared CPUs whose
speed is unknown in advance: the first CALIBRATION steps run at full rate and time the machine, and the total is
then cut to what fits in ``max_seconds`` so the schedule still ends at a low learning rate. Re-running with
``steps`` set to the recorded count and a large budget gives the same schedule and random stream.
"""
from __future__ import annotations

import hashlib
import math
import os
import pickle
import time
from typing import Callable, Iterable

import numpy as np
import torch

CALIBRATION = 20


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def prepare(threads: int, seed: int, *folders: str) -> np.random.Generator:
    """Thread count and seeds of a training run, and its output folders; returns the run's numpy generator."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    for folder in folders:
        os.makedirs(folder, exist_ok=True)
    return np.random.default_rng(seed)


def cached(work: str, name: str, seeds: list[int], make: Callable[[], object], sources: Iterable[str]):
    """Simulated data are reused between runs while the simulator's ``sources`` (file paths) are unchanged."""
    digest = hashlib.sha256()
    for path in sources:
        with open(path, "rb") as fh:
            digest.update(fh.read())
    path = os.path.join(work, f"sim-{name}-{seeds[0]}-{len(seeds)}-{digest.hexdigest()[:12]}.pkl")
    if os.path.exists(path):
        with open(path, "rb") as fh:
            return pickle.load(fh)
    data = make()
    with open(path, "wb") as fh:
        pickle.dump(data, fh, protocol=4)
    return data


def train(model, sampler, steps: int, batch: int, lr: float, max_seconds: float,
          loss_of: Callable[[torch.nn.Module, tuple], torch.Tensor], by_time: bool = False) -> tuple[int, list[float]]:
    """Trains ``model`` on ``sampler.batch(batch)`` (a tuple of numpy arrays) with ``loss_of(model, tensors)``.

    ``by_time``: the cosine runs over wall time instead (``max_seconds``; ``steps`` only a cap). On a machine whose
    load swings (shared, oversubscribed) a step plan made in the first seconds can be far off; the schedule then
    follows the clock rather than a step count. Returns the steps taken and the loss of each.
    """
    plan = {"steps": steps}
    began = time.time()

    def rate(s: int) -> float:
        if s < CALIBRATION:
            return 1.0
        if by_time:
            t = min((time.time() - began) / max_seconds, 1.0)
        else:
            t = min((s - CALIBRATION) / max(plan["steps"] - CALIBRATION, 1), 1.0)
        return 0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * t))

    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, rate)
    start, losses, step = time.time(), [], 0
    model.train()
    while step < plan["steps"]:
        if by_time and step >= CALIBRATION and time.time() - start >= max_seconds:
            log(f"time budget reached after {step} steps")
            break
        if step == CALIBRATION and not by_time:
            per_step = (time.time() - start) / step
            fit = int(max_seconds / per_step)
            if fit < plan["steps"]:
                plan["steps"] = max(fit, CALIBRATION + 1)
                log(f"{per_step:.2f} s/step: {plan['steps']} steps fit the time budget")
        if time.time() - start > 1.5 * max_seconds:  # the machine slowed down a lot: stop anyway
            log(f"hard time limit reached after {step} steps")
            break
        tensors = tuple(torch.from_numpy(a.copy()) for a in sampler.batch(batch))
        loss = loss_of(model, tensors)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(float(loss))
        step += 1
        if step % 50 == 0:
            log(f"step {step}/{plan['steps']} loss {np.mean(losses[-50:]):.4f} ({(time.time() - start) / step:.2f} s/step)")
    return step, losses
