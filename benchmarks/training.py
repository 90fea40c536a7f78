"""Training benchmark: bptutor against peers doing the SAME work, in the same run, as ratios.

1. The 2-2-2 example of the BP notes trained for 10,000 steps (one sample, plain
   gradient descent, η = 0.5 output / 0.1 hidden): bptutor's vectorised path
   (`bptutor.train.loop.train`), its traced path (`bptutor.core.trace.run`, for scale),
   a plain Python loop written out by hand, and PyTorch (CPU, float64).
2. A 784-16-16-10 sigmoid network (13,002 parameters), half squared error,
   batch 100, 100 steps of gradient descent on fixed random data: bptutor's
   vectorised path (`bptutor.train.vectorised`), NumPy written directly, PyTorch (CPU, float64).
3. The peak resident memory (RSS) of each run of (2), each in its own process.

Every variant runs in a fresh subprocess (so memory is its own), several times,
interleaved; the median time is printed, then the ratios. Every variant gets
the same number of BLAS and PyTorch threads (`--threads`, default 1: on a small
shared machine more threads mostly measure contention). The variants check
that they computed the same final loss. This is a measurement, not a test.

Usage: python benchmarks/training.py [--repeat N]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SMALL_STEPS = 10_000
BIG_SIZES = (784, 16, 16, 10)
BIG_BATCH = 100
BIG_STEPS = 100
BIG_RATE = 0.1

# ── the workloads; each is a function run in its own process ───────────────────


def small_bptutor() -> float:
    from bptutor.loading.builtin import builtin_path
    from bptutor.loading.scenario import load_scenario
    from bptutor.train.loop import train

    return train(load_scenario(builtin_path("two_two_two")), steps=SMALL_STEPS).losses[-1]


def small_traced() -> float:
    from bptutor.core.trace import run
    from bptutor.loading.builtin import builtin_path
    from bptutor.loading.scenario import load_scenario

    return run(load_scenario(builtin_path("two_two_two")), SMALL_STEPS).final_loss


def small_python() -> float:
    """The 2-2-2 network written out by hand in plain Python floats."""
    import math

    i1, i2, t1, t2 = 0.1, 0.2, 0.01, 0.99
    w = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    b1, b2, b3, b4 = 0.55, 0.56, 0.66, 0.67

    def sigmoid(z: float) -> float:
        return 1 / (1 + math.exp(-z))

    for _ in range(SMALL_STEPS):
        h1 = sigmoid(w[0] * i1 + w[1] * i2 + b1)
        h2 = sigmoid(w[2] * i1 + w[3] * i2 + b2)
        o1 = sigmoid(w[4] * h1 + w[5] * h2 + b3)
        o2 = sigmoid(w[6] * h1 + w[7] * h2 + b4)
        d1 = (o1 - t1) * o1 * (1 - o1)
        d2 = (o2 - t2) * o2 * (1 - o2)
        e1 = (d1 * w[4] + d2 * w[6]) * h1 * (1 - h1)
        e2 = (d1 * w[5] + d2 * w[7]) * h2 * (1 - h2)
        w[4] -= 0.5 * d1 * h1
        w[5] -= 0.5 * d1 * h2
        w[6] -= 0.5 * d2 * h1
        w[7] -= 0.5 * d2 * h2
        b3 -= 0.5 * d1
        b4 -= 0.5 * d2
        w[0] -= 0.1 * e1 * i1
        w[1] -= 0.1 * e1 * i2
        w[2] -= 0.1 * e2 * i1
        w[3] -= 0.1 * e2 * i2
        b1 -= 0.1 * e1
        b2 -= 0.1 * e2
    h1 = sigmoid(w[0] * i1 + w[1] * i2 + b1)
    h2 = sigmoid(w[2] * i1 + w[3] * i2 + b2)
    o1 = sigmoid(w[4] * h1 + w[5] * h2 + b3)
    o2 = sigmoid(w[6] * h1 + w[7] * h2 + b4)
    return 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2


def small_torch() -> float:
    import torch

    x = torch.tensor([[0.1, 0.2]], dtype=torch.float64)
    t = torch.tensor([[0.01, 0.99]], dtype=torch.float64)
    hidden = torch.nn.Linear(2, 2).double()
    output = torch.nn.Linear(2, 2).double()
    with torch.no_grad():
        hidden.weight.copy_(torch.tensor([[0.1, 0.2], [0.3, 0.4]]))
        hidden.bias.copy_(torch.tensor([0.55, 0.56]))
        output.weight.copy_(torch.tensor([[0.5, 0.6], [0.7, 0.8]]))
        output.bias.copy_(torch.tensor([0.66, 0.67]))
    optimizer = torch.optim.SGD(
        [{"params": hidden.parameters(), "lr": 0.1}, {"params": output.parameters(), "lr": 0.5}]
    )
    for _ in range(SMALL_STEPS):
        optimizer.zero_grad()
        loss = 0.5 * ((t - torch.sigmoid(output(torch.sigmoid(hidden(x))))) ** 2).sum()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return float(0.5 * ((t - torch.sigmoid(output(torch.sigmoid(hidden(x))))) ** 2).sum())


def _big_data():  # type: ignore[no-untyped-def]
    import numpy as np

    rng = np.random.default_rng(0)
    inputs = rng.random((BIG_BATCH, BIG_SIZES[0]))
    targets = np.eye(BIG_SIZES[-1])[rng.integers(0, BIG_SIZES[-1], BIG_BATCH)]
    weights = [rng.normal(0, n_in**-0.5, (n_out, n_in)) for n_in, n_out in itertools.pairwise(BIG_SIZES)]
    biases = [np.zeros(n_out) for n_out in BIG_SIZES[1:]]
    return inputs, targets, weights, biases


def big_bptutor() -> float:
    from bptutor.core.scenario import Optimizer
    from bptutor.train.vectorised import Network, Trainer

    inputs, targets, weights, biases = _big_data()
    network = Network.from_arrays(weights, biases, ["sigmoid"] * 3, "half_sse", BIG_RATE)
    trainer = Trainer(network, Optimizer())
    for _ in range(BIG_STEPS):
        trainer.step(inputs, targets)
    return float(network.sample_losses(inputs, targets).mean())


def big_numpy() -> float:
    """The same network and steps in NumPy, written directly (plain 1/(1 + e^(−z)))."""
    import numpy as np

    inputs, targets, weights, biases = _big_data()
    m = len(inputs)

    def forward():  # type: ignore[no-untyped-def]
        activations = [inputs]
        for w, b in zip(weights, biases, strict=True):
            activations.append(1.0 / (1.0 + np.exp(-(activations[-1] @ w.T + b))))
        return activations

    for _ in range(BIG_STEPS):
        activations = forward()
        out = activations[-1]
        delta = (out - targets) * out * (1 - out) / m
        for layer in range(len(weights) - 1, -1, -1):
            below = activations[layer]
            grad_w, grad_b = delta.T @ below, delta.sum(axis=0)
            if layer:
                delta = (delta @ weights[layer]) * below * (1 - below)
            weights[layer] -= BIG_RATE * grad_w
            biases[layer] -= BIG_RATE * grad_b
    return float((0.5 * ((targets - forward()[-1]) ** 2).sum(axis=1)).mean())


def big_torch() -> float:
    import torch

    inputs, targets, weights, biases = _big_data()
    x, t = torch.from_numpy(inputs), torch.from_numpy(targets)
    layers = []
    for w, b in zip(weights, biases, strict=True):
        linear = torch.nn.Linear(w.shape[1], w.shape[0]).double()
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(w))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=BIG_RATE)
    for _ in range(BIG_STEPS):
        optimizer.zero_grad()
        loss = (0.5 * ((t - model(x)) ** 2).sum(dim=1)).mean()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return float((0.5 * ((t - model(x)) ** 2).sum(dim=1)).mean())


WORKLOADS = {
    "small_bptutor": small_bptutor,
    "small_traced": small_traced,
    "small_python": small_python,
    "small_torch": small_torch,
    "big_bptutor": big_bptutor,
    "big_numpy": big_numpy,
    "big_torch": big_torch,
}

# ── measuring ─────────────────────────────────────────────────────────────────


def _child(name: str) -> None:
    """Run one workload (its imports included in nothing: they are done first) and report time, loss, peak RSS."""
    import time

    if name.endswith("torch"):
        import torch
    if name.startswith("big"):
        import numpy  # noqa: F401
    if "bptutor" in name or "traced" in name:
        import bptutor.train.loop
        import bptutor.train.vectorised  # noqa: F401
    if name.endswith("torch"):
        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    start = time.perf_counter()
    loss = WORKLOADS[name]()
    elapsed = time.perf_counter() - start
    sys.stdout.write(json.dumps({"seconds": elapsed, "loss": loss, "peak_mib": _peak_mib()}) + "\n")


def _peak_mib() -> float:
    """This process's own peak resident memory (VmHWM; ru_maxrss would carry the parent's over exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(name: str, threads: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[variable] = str(threads)
    output = subprocess.run(
        [sys.executable, __file__, "--child", name], capture_output=True, text=True, check=True, env=env
    ).stdout
    return json.loads(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child")
    parser.add_argument("--threads", type=int, default=1, help="BLAS and PyTorch threads of every variant (default 1)")
    parser.add_argument("--no-traced", action="store_true", help="skip the traced path (slow)")
    arguments = parser.parse_args()
    if arguments.child:
        _child(arguments.child)
        return
    names = [name for name in WORKLOADS if not (arguments.no_traced and name == "small_traced")]
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        names = [name for name in names if not name.endswith("torch")]
        print("PyTorch is not installed: its rows are left out (pip install torch==2.13.0)")
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for _ in range(arguments.repeat):
        for name in names:
            if name == "small_traced" and runs[name]:
                continue  # once is enough for the slow reference path
            runs[name].append(_measure(name, arguments.threads))
    median = {name: statistics.median(run["seconds"] for run in results) for name, results in runs.items()}
    print(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {arguments.threads} BLAS/PyTorch thread(s); "
        f"median of {arguments.repeat} runs each (imports not timed)"
    )
    for name, results in runs.items():
        peak = max(run["peak_mib"] for run in results)
        loss = results[0]["loss"]
        print(f"  {name:14} {1000 * median[name]:9.1f} ms   final loss {loss:.12g}   peak RSS {peak:7.1f} MiB")
    print("ratios (time of the peer / time of bptutor; above 1: bptutor is faster):")

    def ratio(peer: str, ours: str, target: str) -> None:
        if peer in median and ours in median:
            print(f"  {peer:14} / {ours:14} = {median[peer] / median[ours]:6.2f}   {target}")

    ratio("small_torch", "small_bptutor", "(target: > 1, faster than PyTorch)")
    ratio("small_python", "small_bptutor", "(plain Python loop, for scale)")
    if "small_traced" in median:
        ratio("small_traced", "small_bptutor", "(the traced path, every factor kept)")
    ratio("big_numpy", "big_bptutor", "(target: ≥ 1/1.5 = 0.67, within 1.5× of direct NumPy)")
    ratio("big_torch", "big_bptutor", "(target: > 1, ahead of PyTorch CPU)")
    if "big_bptutor" in runs:
        for name in ("big_bptutor", "big_numpy", "big_torch"):
            if name in runs:
                print(f"  peak RSS {name:12} {max(run['peak_mib'] for run in runs[name]):7.1f} MiB")


if __name__ == "__main__":
    main()
