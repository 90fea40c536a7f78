"""The scalar path: a tiny network trained by Python code written for it, one float per parameter.

For a network of a few dozen parameters NumPy's cost per call (about a
microsecond for each of the ~20 array operations of a step) is most of the
time. Here the network's own forward and backward pass is written out as
Python statements, one per neuron and parameter, as one would write it by
hand, compiled once, and run for many steps with every parameter in a local
variable:

    z1_1 = w1_1_1*a0_1 + w1_1_2*a0_2 + b1_1;  a1_1 = σ(z1_1)                 forward
    d2_1 = (a2_1 − t1)·σ′(z2_1);  d1_1 = (d2_1·w2_1_1 + d2_2·w2_2_1)·σ′(z1_1)  backward
    g_w1_1_1 += d1_1·a0_1;  w1_1_1 −= η·g_w1_1_1                             update

The text is generated from the validated network only: variable names made
of layer and neuron indices, and numbers (learning rates, slopes, the
optimizer's constants) written with `repr`, which reads back as the same
float. Nothing a scenario file says is ever part of it. The operations are
those of the vectorised path (`vectorised.py`), in the same order, so the two
agree to rounding; the tests hold both to PyTorch.

`plan(network, optimizer)` says whether a network fits (elementwise
activations of `ops.py`, a loss of `LOSSES` below, no parameter shared
between two places) and returns the compiled `Program`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from bptutor.core.scenario import Optimizer
from bptutor.records import dataclass

STATE_PREFIXES = {"sgd": (), "momentum": ("v",), "adam": ("m", "s")}  # the optimizer's state per parameter
SCALAR_LIMIT = 160  # parameters: above this the vectorised path is as fast, and the code long

# z → a (`{s}` is a scratch name), and da/dz from z, a and s: the float forms of the NumPy rows of ops.py
ACTIVATIONS: dict[str, tuple[str, str]] = {
    "sigmoid": (
        "{s} = exp(-abs({z}))\n{a} = (1.0 if {z} >= 0.0 else {s}) / (1.0 + {s})",
        "{s} / ((1.0 + {s}) * (1.0 + {s}))",
    ),
    "tanh": ("{a} = tanh({z})\n{s} = exp(-2.0 * abs({z}))", "4.0 * {s} / ((1.0 + {s}) * (1.0 + {s}))"),
    "relu": ("{a} = {z} if {z} > 0.0 else 0.0", "(1.0 if {z} > 0.0 else 0.0)"),
    "leaky_relu": ("{a} = {z} if {z} > 0.0 else {slope} * {z}", "(1.0 if {z} > 0.0 else {slope})"),
    "linear": ("{a} = {z}", "1.0"),
}
# Only +, −, ×, ÷, exp of a number ≤ 0, tanh and √ appear: Python's `**` would raise OverflowError where
# NumPy gives inf, and a diverging training must end with the divergence error, not an exception.
# the loss of one output: its term from target t and output a (or logit z), ∂term/∂a; `mean` divides by n
LOSSES: dict[str, tuple[str, str, bool]] = {
    "half_sse": ("({t} - {a}) * ({t} - {a}) / 2", "-({t} - {a})", False),
    "sse": ("({t} - {a}) * ({t} - {a})", "-2 * ({t} - {a})", False),
    "mse": ("({t} - {a}) * ({t} - {a})", "-2 * ({t} - {a})", True),
    "bce": ("max({z}, 0.0) - {z} * {t} + log1p(exp(-abs({z})))", "", True),  # with sigmoid: δ = a − t
}


class Diverged(Exception):
    """A loss or a parameter is not finite after `step` steps."""

    def __init__(self, step: int) -> None:
        super().__init__(step)
        self.step = step


@dataclass(frozen=True)
class Program:
    """A network's training code: `run(P, S, X, T, batches, losses, step)` trains, `mean_loss(P, X, T)` evaluates."""

    source: str
    run: Callable[..., bool]
    mean_loss: Callable[..., float]
    state_count: int  # optimizer state values per parameter


def fits(network: Any, optimizer: Optimizer) -> bool:
    """Whether the scalar path can train this network (else the vectorised path does)."""
    layers = network.layers
    if network.parameter_count > SCALAR_LIMIT or any(len(places) > 1 for places in network.names.values()):
        return False
    if any(layer.activation not in ACTIVATIONS for layer in layers) or network.loss not in LOSSES:
        return False
    if network.loss == "bce" and layers[-1].activation != "sigmoid":
        return False
    return all(isinstance(rate, float) for rates in network.rates for rate in rates) or _rates_by_position(network)


def _rates_by_position(network: Any) -> bool:
    return all(hasattr(rate, "shape") or isinstance(rate, float) for rates in network.rates for rate in rates)


@dataclass(frozen=True)
class _Parameter:
    name: str  # the variable, e.g. w2_1_3
    layer: int  # 0-based index into network.layers
    kind: str  # "W" or "b"
    where: tuple[int, ...]
    rate: float


def parameters(network: Any) -> list[_Parameter]:
    """The network's parameters, layer by layer, weights row by row then biases: the order of P."""
    found: list[_Parameter] = []
    for index, layer in enumerate(network.layers):
        rate_w, rate_b = network.rates[index]
        rows, columns = layer.weights.shape
        for row in range(rows):
            for column in range(columns):
                if layer.weight_mask is None or layer.weight_mask[row, column]:
                    rate = _rate(rate_w, (row, column))
                    found.append(_Parameter(f"w{index + 1}_{row}_{column}", index, "W", (row, column), rate))
        for row in range(rows):
            if layer.bias_mask is None or layer.bias_mask[row]:
                found.append(_Parameter(f"b{index + 1}_{row}", index, "b", (row,), _rate(rate_b, (row,))))
    return found


def _rate(rate: Any, where: tuple[int, ...]) -> float:
    return float(rate) if isinstance(rate, float) else float(rate[where])


def read(network: Any) -> list[float]:
    """P: every parameter's value, in the order of `parameters`."""
    return [float(_array(network, p)[p.where]) for p in parameters(network)]


def write(network: Any, values: list[float]) -> None:
    """Put P back into the network's arrays."""
    for parameter, value in zip(parameters(network), values, strict=True):
        _array(network, parameter)[parameter.where] = value


def _array(network: Any, parameter: _Parameter) -> Any:
    layer = network.layers[parameter.layer]
    return layer.weights if parameter.kind == "W" else layer.biases


# ── the code ──────────────────────────────────────────────────────────────────


def compile_program(network: Any, optimizer: Optimizer, reduction: str) -> Program:
    """The training code of this network, compiled."""
    found = parameters(network)
    state_count = len(STATE_PREFIXES[optimizer.name])
    source = _source(network, found, optimizer, reduction, state_count)
    namespace: dict[str, Any] = {"exp": math.exp, "tanh": math.tanh, "log1p": math.log1p, "Diverged": Diverged}
    namespace["isfinite"] = math.isfinite
    exec(compile(source, "<bptutor scalar path>", "exec"), namespace)  # generated from indices and numbers only
    return Program(source, namespace["run"], namespace["mean_loss"], state_count)


def _source(network: Any, found: list[_Parameter], optimizer: Optimizer, reduction: str, state_count: int) -> str:
    names = [p.name for p in found]
    state = [f"{kind}_{name}" for kind in STATE_PREFIXES[optimizer.name] for name in names]
    unpack = _unpack(names, "P") + _unpack(state, "S")
    sample = _sample(network, found, gradients=True, reduction=reduction)
    forward = _sample(network, found, gradients=False)
    lines = [
        "def run(P, S, X, T, batches, losses, step, pending, count):",
        *_indent(unpack, 1),
        "    for rows, last in batches:",
        "        step += 1",
        "        m = len(rows)",
        "        E = 0.0",
        *_indent([f"g_{name} = 0.0" for name in names], 2),
        "        for r in rows:",
        *_indent(sample, 3),
        "        if pending:",
        "            if not isfinite(E):",
        "                raise Diverged(step - 1)",
        "            losses.append(E / count)",
        "            pending = False",
        "        if not isfinite(E):",
        "            raise Diverged(step)",
        *_indent(_updates(found, optimizer), 2),
        "        if last:",
        f"            if not isfinite({' + '.join(names)}) and not all(isfinite(v) for v in ({', '.join(names)},)):",
        "                raise Diverged(step)",
        "            if m == count:",
        "                pending = True",
        "            else:",
        "                losses.append(mean_loss([" + ", ".join(names) + "], X, T))",
        "                if not isfinite(losses[-1]):",
        "                    raise Diverged(step)",
        f"    P[:] = [{', '.join(names)}]",
        f"    S[:] = [{', '.join(state)}]",
        "    return pending",
        "",
        "def mean_loss(P, X, T):",
        *_indent(_unpack(names, "P"), 1),
        "    E = 0.0",
        "    for r in range(len(X)):",
        *_indent(forward, 2),
        "    return E / len(X)",
    ]
    return "\n".join(lines) + "\n"


def _unpack(names: list[str], source: str) -> list[str]:
    if not names:
        return []
    return [f"({', '.join(names)},) = {source}"]


def _indent(lines: Iterable[str], depth: int) -> list[str]:
    return ["    " * depth + line for text in lines for line in text.split("\n")]


def _sample(network: Any, found: list[_Parameter], gradients: bool, reduction: str = "sum") -> list[str]:
    """One sample r: the forward pass and its loss added to E; with `gradients`, δ and ∂E/∂p added to g_p."""
    layers = network.layers
    by_place = {(p.layer, p.kind, p.where): p.name for p in found}
    inputs = layers[0].weights.shape[1]
    lines = [f"({', '.join(f'a0_{k}' for k in range(inputs))},) = X[r]"]
    outputs = layers[-1].weights.shape[0]
    lines.append(f"({', '.join(f't{j}' for j in range(outputs))},) = T[r]")
    for index, layer in enumerate(layers):
        level = index + 1
        rows, columns = layer.weights.shape
        activation, _ = ACTIVATIONS[layer.activation]
        for row in range(rows):
            weights = [(k, by_place.get((index, "W", (row, k)))) for k in range(columns)]
            terms = [f"{weight} * a{index}_{k}" for k, weight in weights if weight is not None]
            bias = by_place.get((index, "b", (row,)))
            if bias is not None:
                terms.append(f"- {bias}" if layer.bias_sign != 1.0 else bias)
            total = " + ".join(terms).replace("+ - ", "- ") or "0.0"
            lines.append(f"z{level}_{row} = {total}")
            names = {"z": f"z{level}_{row}", "a": f"a{level}_{row}", "s": f"s{level}_{row}"}
            lines.append(activation.format(**names, slope=repr(float(layer.slope))))
    lines += _loss_lines(network, gradients, reduction)
    if gradients:
        lines += _backward_lines(network, by_place)
    return lines


def _loss_lines(network: Any, gradients: bool, reduction: str = "sum") -> list[str]:
    """E += the sample's loss; with gradients, the output error terms d{L}_j."""
    layers = network.layers
    level = len(layers)
    outputs = layers[-1].weights.shape[0]
    term, derivative, mean = LOSSES[network.loss]
    names = [{"t": f"t{j}", "a": f"a{level}_{j}", "z": f"z{level}_{j}"} for j in range(outputs)]
    total = " + ".join(f"({term.format(**n)})" for n in names)
    lines = [f"E += ({total}) / {outputs}" if mean else f"E += {total}"]
    if not gradients:
        return lines
    layer = layers[-1]
    _, slope = ACTIVATIONS[layer.activation]
    scale = f" / {outputs}" if mean else ""
    batch = " / m" if reduction == "mean" else ""  # as the vectorised path: Δ carries the 1/m of the batch mean
    for j, n in enumerate(names):
        if network.loss == "bce":
            lines.append(f"d{level}_{j} = (a{level}_{j} - t{j}){scale}{batch}")
        else:
            local = slope.format(z=n["z"], a=n["a"], s=f"s{level}_{j}", slope=repr(float(layer.slope)))
            lines.append(f"d{level}_{j} = ({derivative.format(**n)}) * {local}{scale}{batch}")
    return lines


def _backward_lines(network: Any, by_place: dict[tuple[int, str, tuple[int, ...]], str]) -> list[str]:
    """δ of every hidden neuron from the layer above, and every gradient added to g_p."""
    layers = network.layers
    lines: list[str] = []
    for index in range(len(layers) - 1, -1, -1):
        level = index + 1
        layer = layers[index]
        rows, columns = layer.weights.shape
        for row in range(rows):
            for k in range(columns):
                name = by_place.get((index, "W", (row, k)))
                if name is not None:
                    lines.append(f"g_{name} += d{level}_{row} * a{index}_{k}")
            bias = by_place.get((index, "b", (row,)))
            if bias is not None:
                lines.append(f"g_{bias} {'-' if layer.bias_sign != 1.0 else '+'}= d{level}_{row}")
        if index:
            below = layers[index - 1]
            _, slope = ACTIVATIONS[below.activation]
            for k in range(columns):
                weights = [(row, by_place.get((index, "W", (row, k)))) for row in range(rows)]
                terms = [f"d{level}_{row} * {weight}" for row, weight in weights if weight is not None]
                names = {"z": f"z{index}_{k}", "a": f"a{index}_{k}", "s": f"s{index}_{k}"}
                local = slope.format(**names, slope=repr(float(below.slope)))
                lines.append(f"d{index}_{k} = ({' + '.join(terms) or '0.0'}) * {local}")
    return lines


def _updates(found: list[_Parameter], optimizer: Optimizer) -> list[str]:
    """Each parameter's update from its gradient g_p, as optim.update does it."""
    lines: list[str] = []
    if optimizer.name == "adam":  # the bias corrections 1 − β^t, t = step
        lines += [f"k1 = 1.0 - {float(optimizer.beta1)!r} ** step", f"k2 = 1.0 - {float(optimizer.beta2)!r} ** step"]
    decay = repr(float(optimizer.weight_decay))
    for p in found:
        g = f"g_{p.name}"
        if optimizer.weight_decay:
            lines.append(f"{g} = {g} + {decay} * {p.name}")
        rate = repr(p.rate)
        if p.rate == 0.0:
            continue
        if optimizer.name == "sgd":
            lines.append(f"{p.name} = {p.name} - {rate} * {g}")
        elif optimizer.name == "momentum":
            lines.append(f"v_{p.name} = {float(optimizer.beta)!r} * v_{p.name} + {g}")
            lines.append(f"{p.name} = {p.name} - {rate} * v_{p.name}")
        else:
            one_minus_1 = repr(1.0 - float(optimizer.beta1))
            one_minus_2 = repr(1.0 - float(optimizer.beta2))
            lines.append(f"m_{p.name} = {float(optimizer.beta1)!r} * m_{p.name} + {one_minus_1} * {g}")
            lines.append(f"s_{p.name} = {float(optimizer.beta2)!r} * s_{p.name} + {one_minus_2} * {g} * {g}")
            epsilon = repr(float(optimizer.epsilon))
            lines.append(f"{p.name} = {p.name} - {rate} * (m_{p.name} / k1) / ((s_{p.name} / k2) ** 0.5 + {epsilon})")
    return lines


def train_steps(
    program: Program,
    values: list[float],
    state: list[float],
    data: tuple[list[tuple[float, ...]], list[tuple[float, ...]]],
    schedule: Iterator[tuple[tuple[int, ...], bool]],
    whole: bool,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> list[float]:
    """Run the schedule's `total` steps; returns the loss per epoch, the first before training.

    When every step sees every sample (`whole`), the loss after an epoch is the
    next step's own batch loss, and only the last one needs a pass of its own.
    """
    inputs, targets = data
    count = len(inputs)
    losses: list[float] = [] if whole else [program.mean_loss(values, inputs, targets)]
    pending = whole
    every = max(1, total // 200) if progress is not None else total
    step = 0
    while step < total:
        chunk = min(every, total - step)
        pending = program.run(values, state, inputs, targets, islice(schedule, chunk), losses, step, pending, count)
        step += chunk
        if progress is not None:
            progress(step, total)
    if pending:
        losses.append(program.mean_loss(values, inputs, targets))
        if not math.isfinite(losses[-1]):
            raise Diverged(total)
    return losses


__all__ = ["SCALAR_LIMIT", "Diverged", "Program", "compile_program", "fits", "read", "train_steps", "write"]
