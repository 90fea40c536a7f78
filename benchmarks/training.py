"""Training benchmark: bptutor against peers doing the SAME work, in the same run, as ratios.

1. The 2-2-2 example of the BP notes trained for 10,000 steps (one sample, plain
   gradient descent, η = 0.5 output / 0.1 hidden): `bptutor train`'s loop
   (`bptutor.train.loop.train`, which picks the scalar path here), its traced
   path (`bptutor.core.trace.run`, for scale), a plain Python loop and NumPy
   written out by hand, micrograd, and PyTorch (CPU, float64).
2. XOR on a 2-4-1 network (ReLU hidden, linear output, half squared error, the
   mean over the 4 samples), 5,000 full-batch steps of gradient descent: the
   same peers.
3. A 784-16-16-10 sigmoid network (13,002 parameters), half squared error,
   batch 100, 100 steps of gradient descent on fixed random data: bptutor's
   vectorised path (`bptutor.train.vectorised`), NumPy written directly, PyTorch (CPU, float64).
4. The peak resident memory (RSS) of each run of (3), each in its own process.

PyTorch is timed warm (the workload run once in the same process first, so its
one-time start-up of about a second is not counted) and, separately, cold.
micrograd (`pip install "bptutor[bench]"`) is an optional peer: without it its
rows are left out with a message. It has no sigmoid; the 2-2-2 workload gives it
one, written as its own operations are (value and local derivative).

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
XOR_STEPS = 5_000
XOR_RATE = 0.1
XOR_INPUTS = ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))
XOR_TARGETS = (0.0, 1.0, 1.0, 0.0)
XOR_HIDDEN = ((0.5, -0.4), (0.3, 0.8), (-0.7, 0.6), (0.9, 0.2))  # weights of the 4 hidden neurons
XOR_HIDDEN_BIASES = (0.1, -0.1, 0.05, -0.2)
XOR_OUTPUT = (0.7, -0.6, 0.4, -0.5)
XOR_OUTPUT_BIAS = 0.2
BIG_SIZES = (784, 16, 16, 10)
BIG_BATCH = 100
BIG_STEPS = 100
BIG_RATE = 0.1

# ── the workloads; each is a function run in its own process ───────────────────


def small_scenario():  # type: ignore[no-untyped-def]
    from bptutor.loading.builtin import builtin_path
    from bptutor.loading.scenario import load_scenario

    return load_scenario(builtin_path("two_two_two"))


def small_bptutor(scenario) -> float:  # type: ignore[no-untyped-def]
    """`train` as the command runs it (graph, network, its code, the loop, the loss curve), the file read before."""
    from bptutor.train.loop import train

    return train(scenario, steps=SMALL_STEPS).losses[-1]


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


def small_numpy() -> float:
    """The 2-2-2 network written directly in NumPy (a 1-sample batch)."""
    import numpy as np

    x, t = np.array([[0.1, 0.2]]), np.array([[0.01, 0.99]])
    w1, b1 = np.array([[0.1, 0.2], [0.3, 0.4]]), np.array([0.55, 0.56])
    w2, b2 = np.array([[0.5, 0.6], [0.7, 0.8]]), np.array([0.66, 0.67])
    for _ in range(SMALL_STEPS):
        h = 1.0 / (1.0 + np.exp(-(x @ w1.T + b1)))
        o = 1.0 / (1.0 + np.exp(-(h @ w2.T + b2)))
        d2 = (o - t) * o * (1 - o)
        d1 = (d2 @ w2) * h * (1 - h)
        w2 -= 0.5 * d2.T @ h
        b2 -= 0.5 * d2.sum(axis=0)
        w1 -= 0.1 * d1.T @ x
        b1 -= 0.1 * d1.sum(axis=0)
    o = 1.0 / (1.0 + np.exp(-(1.0 / (1.0 + np.exp(-(x @ w1.T + b1))) @ w2.T + b2)))
    return float(0.5 * ((t - o) ** 2).sum())


def small_micrograd() -> float:
    import math

    from micrograd.engine import Value

    def sigmoid(z: Value) -> Value:
        value = 1 / (1 + math.exp(-z.data))
        out = Value(value, (z,), "sigmoid")

        def _backward() -> None:
            z.grad += value * (1 - value) * out.grad

        out._backward = _backward
        return out

    w = [Value(v) for v in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)]
    b = [Value(v) for v in (0.55, 0.56, 0.66, 0.67)]
    rates = [0.1] * 4 + [0.5] * 4
    bias_rates = [0.1, 0.1, 0.5, 0.5]

    def loss() -> Value:
        h1 = sigmoid(w[0] * 0.1 + w[1] * 0.2 + b[0])
        h2 = sigmoid(w[2] * 0.1 + w[3] * 0.2 + b[1])
        o1 = sigmoid(w[4] * h1 + w[5] * h2 + b[2])
        o2 = sigmoid(w[6] * h1 + w[7] * h2 + b[3])
        return 0.5 * (0.01 - o1) ** 2 + 0.5 * (0.99 - o2) ** 2

    for _ in range(SMALL_STEPS):
        for p in w + b:
            p.grad = 0
        loss().backward()
        for p, rate in zip(w + b, rates + bias_rates, strict=True):
            p.data -= rate * p.grad
    return float(loss().data)


def xor_scenario_data() -> dict:
    """The XOR workload as a bptutor scenario."""
    hidden = {
        f"h{j + 1}": {"bias": f"b{j + 1}", "weights": {"x1": f"w{j + 1}_1", "x2": f"w{j + 1}_2"}} for j in range(4)
    }
    parameters = {f"w{j + 1}_{k + 1}": XOR_HIDDEN[j][k] for j in range(4) for k in range(2)}
    parameters |= {f"b{j + 1}": XOR_HIDDEN_BIASES[j] for j in range(4)}
    parameters |= {f"v{j + 1}": XOR_OUTPUT[j] for j in range(4)} | {"c": XOR_OUTPUT_BIAS}
    return {
        "name": "xor241",
        "samples": [
            {"inputs": {"x1": x[0], "x2": x[1]}, "targets": {"o": t}}
            for x, t in zip(XOR_INPUTS, XOR_TARGETS, strict=True)
        ],
        "layers": [
            {"name": "hidden", "activation": "relu", "neurons": hidden},
            {"name": "output", "activation": "linear",
             "neurons": {"o": {"bias": "c", "weights": {f"h{j + 1}": f"v{j + 1}" for j in range(4)}}}},
        ],
        "parameters": parameters,
        "loss": "half_sse",
        "learning_rate": XOR_RATE,
        "training": {"steps": XOR_STEPS, "batch_size": "all"},
    }


def xor_scenario():  # type: ignore[no-untyped-def]
    from bptutor.loading.scenario import scenario_from_data

    return scenario_from_data(xor_scenario_data())


def xor_bptutor(scenario) -> float:  # type: ignore[no-untyped-def]
    from bptutor.train.loop import train

    return train(scenario).losses[-1]


def xor_python() -> float:
    """XOR 2-4-1 written out by hand in plain Python floats, the batch gradient as the mean over the samples."""
    w = [list(row) for row in XOR_HIDDEN]
    b = list(XOR_HIDDEN_BIASES)
    v = list(XOR_OUTPUT)
    c = XOR_OUTPUT_BIAS
    samples = list(zip(XOR_INPUTS, XOR_TARGETS, strict=True))
    m = len(samples)

    def forward(x: tuple[float, float]) -> tuple[list[float], list[float], float]:
        z = [w[j][0] * x[0] + w[j][1] * x[1] + b[j] for j in range(4)]
        h = [zj if zj > 0 else 0.0 for zj in z]
        return z, h, sum(v[j] * h[j] for j in range(4)) + c

    for _ in range(XOR_STEPS):
        gw = [[0.0, 0.0] for _ in range(4)]
        gb, gv, gc = [0.0] * 4, [0.0] * 4, 0.0
        for x, t in samples:
            z, h, o = forward(x)
            d = (o - t) / m
            gc += d
            for j in range(4):
                gv[j] += d * h[j]
                e = d * v[j] if z[j] > 0 else 0.0
                gb[j] += e
                gw[j][0] += e * x[0]
                gw[j][1] += e * x[1]
        for j in range(4):
            v[j] -= XOR_RATE * gv[j]
            b[j] -= XOR_RATE * gb[j]
            w[j][0] -= XOR_RATE * gw[j][0]
            w[j][1] -= XOR_RATE * gw[j][1]
        c -= XOR_RATE * gc
    return sum(0.5 * (t - forward(x)[2]) ** 2 for x, t in samples) / m


def xor_numpy() -> float:
    import numpy as np

    x, t = np.array(XOR_INPUTS), np.array(XOR_TARGETS)[:, None]
    w1, b1 = np.array(XOR_HIDDEN), np.array(XOR_HIDDEN_BIASES)
    w2, b2 = np.array([XOR_OUTPUT]), np.array([XOR_OUTPUT_BIAS])
    m = len(x)
    for _ in range(XOR_STEPS):
        z = x @ w1.T + b1
        h = np.maximum(z, 0.0)
        o = h @ w2.T + b2
        d2 = (o - t) / m
        d1 = (d2 @ w2) * (z > 0)
        w2 -= XOR_RATE * d2.T @ h
        b2 -= XOR_RATE * d2.sum(axis=0)
        w1 -= XOR_RATE * d1.T @ x
        b1 -= XOR_RATE * d1.sum(axis=0)
    o = np.maximum(x @ w1.T + b1, 0.0) @ w2.T + b2
    return float((0.5 * (t - o) ** 2).sum(axis=1).mean())


def xor_micrograd() -> float:
    from micrograd.engine import Value

    w = [[Value(value) for value in row] for row in XOR_HIDDEN]
    b = [Value(value) for value in XOR_HIDDEN_BIASES]
    v = [Value(value) for value in XOR_OUTPUT]
    c = Value(XOR_OUTPUT_BIAS)
    parameters = [p for row in w for p in row] + b + v + [c]
    samples = list(zip(XOR_INPUTS, XOR_TARGETS, strict=True))

    def loss() -> Value:
        total = Value(0.0)
        for x, t in samples:
            h = [(w[j][0] * x[0] + w[j][1] * x[1] + b[j]).relu() for j in range(4)]
            o = sum((v[j] * h[j] for j in range(4)), c)
            total = total + 0.5 * (t - o) ** 2
        return total * (1 / len(samples))

    for _ in range(XOR_STEPS):
        for p in parameters:
            p.grad = 0
        loss().backward()
        for p in parameters:
            p.data -= XOR_RATE * p.grad
    return float(loss().data)


def xor_torch() -> float:
    import torch

    x = torch.tensor(XOR_INPUTS, dtype=torch.float64)
    t = torch.tensor(XOR_TARGETS, dtype=torch.float64)[:, None]
    hidden = torch.nn.Linear(2, 4).double()
    output = torch.nn.Linear(4, 1).double()
    with torch.no_grad():
        hidden.weight.copy_(torch.tensor(XOR_HIDDEN))
        hidden.bias.copy_(torch.tensor(XOR_HIDDEN_BIASES))
        output.weight.copy_(torch.tensor([XOR_OUTPUT]))
        output.bias.copy_(torch.tensor([XOR_OUTPUT_BIAS]))
    optimizer = torch.optim.SGD([*hidden.parameters(), *output.parameters()], lr=XOR_RATE)
    for _ in range(XOR_STEPS):
        optimizer.zero_grad()
        loss = (0.5 * (t - output(torch.relu(hidden(x)))) ** 2).sum(dim=1).mean()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return float((0.5 * (t - output(torch.relu(hidden(x)))) ** 2).sum(dim=1).mean())


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
    "small_numpy": small_numpy,
    "small_micrograd": small_micrograd,
    "small_torch": small_torch,
    "small_torch_cold": small_torch,
    "xor_bptutor": xor_bptutor,
    "xor_python": xor_python,
    "xor_numpy": xor_numpy,
    "xor_micrograd": xor_micrograd,
    "xor_torch": xor_torch,
    "xor_torch_cold": xor_torch,
    "big_bptutor": big_bptutor,
    "big_numpy": big_numpy,
    "big_torch": big_torch,
    "big_torch_cold": big_torch,
}

PREPARED = {"small_bptutor": small_scenario, "xor_bptutor": xor_scenario}

# ── measuring ─────────────────────────────────────────────────────────────────


def _child(name: str) -> None:
    """Run one workload (its imports included in nothing: they are done first) and report time, loss, peak RSS."""
    import time

    if "torch" in name:
        import torch

        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    if name.startswith("big") or "numpy" in name:
        import numpy  # noqa: F401
    if "micrograd" in name:
        import micrograd.engine  # noqa: F401
    if "bptutor" in name or "traced" in name:
        import bptutor.loading.scenario
        import bptutor.train.loop
        import bptutor.train.scalar
        import bptutor.train.vectorised  # noqa: F401
    if name.endswith("torch"):  # warm: PyTorch's one-time start-up (first kernels, autograd) is not counted
        WORKLOADS[name]()
    arguments = [PREPARED[name]()] if name in PREPARED else []  # the scenario file read (not timed)
    start = time.perf_counter()
    loss = WORKLOADS[name](*arguments)
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
    parser.add_argument("--only", help="comma-separated workload names (default: all)")
    arguments = parser.parse_args()
    if arguments.child:
        _child(arguments.child)
        return
    names = [name for name in WORKLOADS if not (arguments.no_traced and name == "small_traced")]
    if arguments.only:
        names = [name for name in names if name in arguments.only.split(",")]
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        names = [name for name in names if "torch" not in name]
        print("PyTorch is not installed: its rows are left out (pip install torch==2.13.0)")
    if importlib.util.find_spec("micrograd") is None:
        names = [name for name in names if "micrograd" not in name]
        print('micrograd is not installed: its rows are left out (pip install "bptutor[bench]")')
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for _ in range(arguments.repeat):
        for name in names:
            if name == "small_traced" and runs[name]:
                continue  # once is enough for the slow reference path
            runs[name].append(_measure(name, arguments.threads))
    median = {name: statistics.median(run["seconds"] for run in results) for name, results in runs.items()}
    one, five, fifteen = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; {arguments.threads} BLAS/PyTorch thread(s); "
        f"median of {arguments.repeat} runs each (imports not timed); load average {one:.2f}, {five:.2f}, {fifteen:.2f}"
    )
    for name, results in runs.items():
        peak = max(run["peak_mib"] for run in results)
        loss = results[0]["loss"]
        print(f"  {name:17} {1000 * median[name]:9.1f} ms   final loss {loss:.12g}   peak RSS {peak:7.1f} MiB")
    print("ratios (time of bptutor / time of the peer; below 1: bptutor is faster):")

    def ratio(ours: str, peer: str, target: str = "") -> None:
        if peer in median and ours in median:
            print(f"  {ours:12} / {peer:17} = {median[ours] / median[peer]:6.2f}   {target}")

    ratio("small_bptutor", "small_python", "(target ≤ 3)")
    for peer in ("small_numpy", "small_micrograd", "small_torch", "small_torch_cold", "small_traced"):
        ratio("small_bptutor", peer, "(target < 1)" if peer == "small_torch" else "")
    ratio("xor_bptutor", "xor_numpy", "(target ≤ 1.5)")
    for peer in ("xor_python", "xor_micrograd", "xor_torch", "xor_torch_cold"):
        ratio("xor_bptutor", peer, "(target < 1)" if peer == "xor_torch" else "")
    ratio("big_bptutor", "big_numpy", "(target ≤ 1.1)")
    ratio("big_bptutor", "big_torch", "(target < 1)")
    ratio("big_bptutor", "big_torch_cold")
    for name in ("big_bptutor", "big_numpy", "big_torch"):
        if name in runs:
            print(f"  peak RSS {name:12} {max(run['peak_mib'] for run in runs[name]):7.1f} MiB")
    print(f"after: load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
