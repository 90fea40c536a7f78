"""The matrix form of the four BP equations, with the numbers of a traced step.

Each layer l of a layered scenario is read off the trace as matrices: W^(l)
(n_l × n_(l−1), row j the weights into neuron j, column k those out of neuron k of
the layer below), b^(l), z^(l), a^(l), g′(z^(l)), ∂E/∂a^(l) and δ^(l) = ∂E/∂z^(l).
Every entry is the trace's own number, so the matrix form and the scalar form agree
to the last digit; the equations are then

    (BP1)  δ^(L) = ∇_a E ⊙ g′(z^(L))
    (BP2)  δ^(l) = ((W^(l+1))ᵀ δ^(l+1)) ⊙ g′(z^(l))
    (BP3)  ∂E/∂b^(l) = δ^(l)
    (BP4)  ∂E/∂W^(l) = δ^(l) (a^(l−1))ᵀ

A batch of m samples puts the samples in columns, as the deep-learning notes do:
A^(l) and Δ^(l) are n_l × m, ∂E/∂W^(l) = (1/m) Δ^(l) (A^(l−1))ᵀ and ∂E/∂b^(l) the
row means of Δ^(l) (no 1/m when the scenario's reduction is a sum).

A softmax output layer has no elementwise g′: its δ is Jᵀ ∇_a E with the Jacobian
J_ij = ∂a_i/∂z_j. A loss fused with its output activation (cross-entropy on softmax,
binary cross-entropy on sigmoid) gives δ^(L) = a^(L) − y directly.

The values are always gradients (δ = ∂E/∂z), whatever error-term convention the
scenario's scalar tables are shown in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal

from bptutor.core.arithmetic import Number
from bptutor.core.graph import TotalLoss
from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
from bptutor.core.trace import BackwardStep, ForwardStep, Run
from bptutor.errors import UsageError
from bptutor.i18n import Message
from bptutor.records import dataclass

Matrix = tuple[tuple[Number, ...], ...]  # rows of entries

MAX_PARAMETERS = 400  # every entry is printed: beyond this a matrix is pages wide (as for a worked solution)
MAX_SAMPLES = 32  # columns of A and Δ in one batch

# how δ of the output layer is found
ELEMENTWISE = "elementwise"  # δ = ∇_a E ⊙ g′(z)
JACOBIAN = "jacobian"  # δ = Jᵀ ∇_a E (softmax)
FUSED = "fused"  # δ = a − y, the activation's derivative cancelled in the loss


@dataclass(frozen=True)
class LayerMatrices:
    """One layer's matrices; columns of z, a, slope, upstream and delta are the samples (one column: one example)."""

    number: int  # l, from 1
    name: str  # the scenario's name of the layer
    activation: str  # its activation's name
    neurons: tuple[str, ...]  # rows: the layer's neurons
    sources: tuple[str, ...]  # columns of W: the inputs, or the neurons of the layer below
    weight_names: tuple[tuple[str | None, ...], ...]  # the parameter at each place of W (None: no connection)
    weights: Matrix  # W^(l), n_l × n_(l−1); a missing connection is 0
    bias_names: tuple[str | None, ...]
    biases: tuple[Number, ...]  # b^(l) (a threshold θ is shown as the b = −θ it subtracts)
    z: Matrix  # n_l × m
    a: Matrix  # n_l × m
    upstream: Matrix | None  # ∂E/∂a^(l), n_l × m: ∇_a E at the output, (W^(l+1))ᵀ δ^(l+1) below (None when fused)
    slope: Matrix | None  # g′(z^(l)), n_l × m (None for softmax and a fused output)
    jacobians: tuple[Matrix, ...]  # softmax: J = ∂a/∂z of each sample, n_l × n_l
    delta: Matrix  # δ^(l) = ∂E/∂z^(l), n_l × m
    weight_gradient: Matrix  # ∂E/∂W^(l), n_l × n_(l−1)
    bias_gradient: tuple[Number, ...]  # ∂E/∂b^(l)
    rule: str  # ELEMENTWISE, JACOBIAN or FUSED (the output layer); ELEMENTWISE below it
    threshold: bool = False  # the scenario's biases are thresholds θ: z = W a − θ
    symbol: str = "g"  # the activation's name in formulas: σ, tanh, ReLU, softmax (f for a custom one)
    fused_over: int = 1  # FUSED: δ = (a − y)/fused_over, the number of outputs when the loss is their mean
    error_weights: Matrix = ()  # the W^(l) that BP2 of the layer below reads: W^(l), or W^(l)′ as already updated

    @property
    def size(self) -> int:
        return len(self.neurons)

    @property
    def fan_in(self) -> int:
        return len(self.sources)


@dataclass(frozen=True)
class MatrixForm:
    """Every layer's matrices of one traced step, and how the batch is laid out."""

    scenario: str
    inputs: tuple[str, ...]  # rows of a^(0) = x
    x: Matrix  # a^(0), n_0 × m
    targets: Matrix  # y, n_L × m
    layers: tuple[LayerMatrices, ...]
    samples: tuple[int, ...]  # the scenario's sample of each column (from 0); (0,) for one example
    reduction: str  # mean or sum: the batch gradient
    loss: str  # the loss's name, as shown
    textbook_signs: bool  # the scalar tables show −∂E/∂z (the textbook convention); these matrices do not
    updated_weights: bool  # BP2 used the already-updated W^(l+1) (a classic text's convention)

    @property
    def m(self) -> int:
        return len(self.samples)

    @property
    def batch(self) -> bool:
        return self.m > 1

    @property
    def scale(self) -> Number:
        """1/m for a mean over the batch, 1 for a sum or one example."""
        return 1.0 / self.m if self.reduction == "mean" and self.batch else 1.0

    def layer(self, number: int) -> LayerMatrices:
        return self.layers[number - 1]


def transpose(matrix: Matrix) -> Matrix:
    return tuple(zip(*matrix, strict=True)) if matrix else ()


def column(matrix: Matrix, index: int) -> tuple[Number, ...]:
    return tuple(row[index] for row in matrix)


def shape(matrix: Matrix) -> tuple[int, int]:
    return (len(matrix), len(matrix[0]) if matrix else 0)


def matrix_form(run: Run, step: int = 1) -> MatrixForm:
    """The matrix form of step `step` (from 1) of a traced run; a UsageError when the network is not layer to layer."""
    scenario = run.scenario
    trace = run.steps[step - 1]
    notation = scenario.notation
    if len(scenario.parameters) > MAX_PARAMETERS:
        raise UsageError(Message.of("matrix.too_large", count=len(scenario.parameters), most=MAX_PARAMETERS))
    if len(trace.samples) > MAX_SAMPLES:
        raise UsageError(Message.of("matrix.too_many_samples", count=len(trace.samples), most=MAX_SAMPLES))
    graph = run.graph
    inputs = tuple(name for name, _ in scenario.inputs)
    passes: list[tuple[int, Sequence[ForwardStep], Sequence[BackwardStep]]]
    if trace.samples:
        passes = [(sample.index, sample.forward, sample.backward) for sample in trace.samples]
    else:
        passes = [(0, trace.forward, trace.backward)]
    values = [{step.quantity: step.value for step in forward} for _, forward, _ in passes]
    backs = [{step.quantity: step for step in backward} for _, _, backward in passes]
    sign = trace.sign
    loss_equation = graph.definition(graph.loss_name)
    assert isinstance(loss_equation, TotalLoss)
    fused = {term.output for term in loss_equation.terms if term.logit is not None}
    gradients = trace.gradients
    shared = _shared(graph.parameter_layers, scenario)
    scale = 1.0 / len(passes) if len(passes) > 1 and _reduction(run) == "mean" else 1.0
    layers: list[LayerMatrices] = []
    below = inputs
    threshold = scenario.conventions.bias == "threshold"
    for index, layer in enumerate(scenario.layers):
        names = tuple(neuron.name for neuron in layer.neurons)
        sources = below
        places: list[tuple[str | None, ...]] = []
        for neuron in layer.neurons:
            row: dict[str, str] = {}
            for source, parameter in neuron.weights:
                if source not in sources:
                    raise UsageError(Message.of("matrix.not_layered", neuron=neuron.name, source=source))
                row[source] = parameter
            places.append(tuple(row.get(source) for source in sources))
        first = values[0]
        parameter_values = {name: first[name] for name, _ in scenario.parameters}
        zero = _zero(first)
        weights = tuple(tuple(parameter_values[p] if p else zero for p in row) for row in places)
        bias_names = tuple(neuron.bias for neuron in layer.neurons)
        biases = tuple(
            (-parameter_values[b] if threshold else parameter_values[b]) if b else zero
            for b in bias_names
        )
        pre = [notation.pre(name) for name in names]
        act = [notation.act(name) for name in names]
        source_quantities = [name if index == 0 else notation.act(name) for name in sources]
        z = _columns([[value[q] for q in pre] for value in values])
        a = _columns([[value[q] for q in act] for value in values])
        deltas = _columns([[sign * back[q].value for q in pre] for back in backs])  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
        last = index == len(scenario.layers) - 1
        rule = ELEMENTWISE
        upstream: Matrix | None = None
        slope: Matrix | None = None
        jacobians: tuple[Matrix, ...] = ()
        if last and any(q in fused for q in act):
            rule = FUSED
        elif isinstance(layer.activation, str) and layer.activation in LAYER_ACTIVATIONS:
            rule = JACOBIAN
        if rule != FUSED:
            upstream = _columns([[sign * back[q].value for q in act] for back in backs])  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
        if rule == ELEMENTWISE:
            slope = _columns([[_local(back[q], via) for q, via in zip(pre, act, strict=True)] for back in backs])
        if rule == JACOBIAN:
            jacobians = tuple(
                tuple(tuple(_local(back[zj], ai) for zj in pre) for ai in act) for back in backs
            )
        # ∂E/∂W: the trace's gradient where one parameter sits at one place; else δ_j·a_k summed over the samples
        sources_values = [[value[q] for q in source_quantities] for value in values]
        weight_gradient = tuple(
            tuple(
                gradients[parameter]
                if parameter is not None and parameter not in shared
                else _dot(scale, [deltas[j][s] for s in range(len(passes))], [sv[k] for sv in sources_values])
                for k, parameter in enumerate(places[j])
            )
            for j in range(len(names))
        )
        ones = [[_one(first)] for _ in passes]
        bias_gradient = tuple(
            (-gradients[b] if threshold else gradients[b])
            if b is not None and b not in shared
            else _dot(scale, [deltas[j][s] for s in range(len(passes))], [o[0] for o in ones])
            for j, b in enumerate(bias_names)
        )
        # the weights BP2 reads for the layer below: each path's local ∂z_j/∂a_k as the trace took it (w, or w′)
        error_weights = weights
        if index > 0:
            first_back = backs[0]
            error_weights = tuple(
                tuple(_local_or(first_back[notation.act(source)], pre[j], zero) for source in sources)
                for j in range(len(names))
            )
        activation = layer.activation if isinstance(layer.activation, str) else str(layer.activation)
        if isinstance(layer.activation, str) and layer.activation in LAYER_ACTIVATIONS:
            symbol = LAYER_ACTIVATIONS[layer.activation].symbol
        else:
            symbol = activation_of(layer.activation).symbol
        layers.append(
            LayerMatrices(
                index + 1, layer.name, activation, names, sources, tuple(places), weights, bias_names, biases,
                z, a, upstream, slope, jacobians, deltas, weight_gradient, bias_gradient, rule, threshold, symbol,
                len(names) if rule == FUSED and loss_of(scenario.loss).mean else 1, error_weights,
            )
        )
        below = names
    x = _columns([[value[name] for name in inputs] for value in values])
    targets = _columns([[value[notation.tgt(name)] for name in layers[-1].neurons] for value in values])
    loss = scenario.loss if isinstance(scenario.loss, str) else str(scenario.loss)
    return MatrixForm(
        scenario.name,
        inputs,
        x,
        targets,
        tuple(layers),
        tuple(index for index, _, _ in passes),
        _reduction(run),
        loss,
        scenario.conventions.error_term == "textbook",
        scenario.conventions.hidden_error_weights == "updated" and len(layers) > 1,
    )


def _reduction(run: Run) -> str:
    training = run.scenario.training
    return training.reduction if training is not None else "mean"


def _shared(parameter_layers: tuple[tuple[str, tuple[int, ...]], ...], scenario: object) -> set[str]:
    """Parameters used at more than one place of the network: their gradient sums several entries."""
    from bptutor.core.scenario import Scenario

    assert isinstance(scenario, Scenario)
    count: dict[str, int] = {}
    for layer in scenario.layers:
        for neuron in layer.neurons:
            for _, parameter in neuron.weights:
                count[parameter] = count.get(parameter, 0) + 1
            if neuron.bias is not None:
                count[neuron.bias] = count.get(neuron.bias, 0) + 1
    return {name for name, times in count.items() if times > 1}


def _zero(values: dict[str, Number]) -> Number:
    sample = next(iter(values.values()))
    return Decimal(0) if isinstance(sample, Decimal) else 0.0


def _one(values: dict[str, Number]) -> Number:
    sample = next(iter(values.values()))
    return Decimal(1) if isinstance(sample, Decimal) else 1.0


def _columns(per_sample: list[list[Number]]) -> Matrix:
    """Rows of quantities, one column per sample."""
    return tuple(zip(*per_sample, strict=True))


def _local(step: BackwardStep, via: str) -> Number:
    """∂via/∂quantity, the local factor of the path term through `via`."""
    for term in step.terms:
        if term.via == via:
            return term.local.value
    raise KeyError(via)


def _local_or(step: BackwardStep, via: str, missing: Number) -> Number:
    """∂via/∂quantity, or `missing` where no path goes through `via` (no connection)."""
    for term in step.terms:
        if term.via == via:
            return term.local.value
    return missing


def _dot(scale: Number, left: list[Number], right: list[Number]) -> Number:
    products = [x * y for x, y in zip(left, right, strict=True)]  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
    if isinstance(products[0], Decimal):
        total: Number = sum(products, Decimal(0))
        return total * Decimal(scale) if scale != 1.0 else total  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
    return math.fsum(products) * scale  # type: ignore[operator]  # float products: a Decimal trace returned above


# ── names of whole layers, as `explain` takes them ───────────────────────────

MATRIX_SYMBOLS = {
    "W": "W",
    "dW": "dW",
    "dw": "dW",
    "∂E/∂W": "dW",
    "dE/dW": "dW",
    "delta": "δ",
    "δ": "δ",
    "Δ": "δ",
    "dz": "δ",
    "db": "db",
    "∂E/∂b": "db",
    "dE/db": "db",
}
_LAYER = r"(?:\^\{\((?P<l1>\d+)\)\}|\^\((?P<l2>\d+)\)|\^\{(?P<l3>\d+)\}|\^(?P<l4>\d+)|\((?P<l5>\d+)\)|_?(?P<l6>\d+))"
_MATRIX_NAME = re.compile(r"(?P<symbol>∂E/∂W|dE/dW|∂E/∂b|dE/db|dW|dw|W|delta|δ|Δ|dz|db)" + _LAYER)


@dataclass(frozen=True)
class LayerName:
    """A whole layer's matrix someone asked for: W^(2) is ("W", 2), δ^(2) is ("δ", 2), ∂E/∂W^(2) is ("dW", 2)."""

    symbol: str  # W, dW, δ or db
    layer: int


def layer_name(typed: str) -> LayerName | None:
    """The layer matrix a name means (W2, W^(2), dW^(2), delta^(2), δ2, dz^(2), db2 …), or None."""
    text = typed.strip().replace(" ", "")
    match = _MATRIX_NAME.fullmatch(text)
    if match is None:
        return None
    layer = next(group for group in (match.group(f"l{i}") for i in range(1, 7)) if group is not None)
    return LayerName(MATRIX_SYMBOLS[match.group("symbol")], int(layer))


def layer_of(form: MatrixForm, typed: str, graph_names: dict[str, tuple[str, int]]) -> LayerName | None:
    """A layer name, or the layer holding a scalar name (w5 → dW of its layer, δ_o1 → δ of its layer), or None."""
    named = layer_name(typed)
    if named is not None:
        if not 1 <= named.layer <= len(form.layers):
            raise UsageError(
                Message.of("matrix.no_layer", name=typed, layers=len(form.layers), scenario=form.scenario)
            )
        return named
    if typed in graph_names:
        symbol, number = graph_names[typed]
        return LayerName(symbol, number)
    return None


def scalar_names(run: Run) -> dict[str, tuple[str, int]]:
    """Each scalar name that belongs to one layer's matrix: weights → dW, biases → db, z and δ names → δ."""
    scenario = run.scenario
    notation = scenario.notation
    names: dict[str, tuple[str, int]] = {}
    for number, layer in enumerate(scenario.layers, start=1):
        for neuron in layer.neurons:
            for _, parameter in neuron.weights:
                names.setdefault(parameter, ("dW", number))
            if neuron.bias is not None:
                names.setdefault(neuron.bias, ("db", number))
            delta = notation.dlt(neuron.name)
            for spelled in (delta, delta.replace("δ", "delta"), notation.pre(neuron.name), notation.act(neuron.name)):
                names.setdefault(spelled, ("δ", number))
    return names


def suggestions(form: MatrixForm) -> str:
    """The layer names a scenario has, for an error message: W^(1), δ^(1), dW^(1), db^(1), …"""
    return ", ".join(f"{symbol}^({layer.number})" for layer in form.layers for symbol in ("W", "δ", "dW", "db"))


__all__ = [
    "ELEMENTWISE",
    "FUSED",
    "JACOBIAN",
    "LayerMatrices",
    "LayerName",
    "Matrix",
    "MatrixForm",
    "column",
    "layer_name",
    "layer_of",
    "matrix_form",
    "scalar_names",
    "shape",
    "suggestions",
    "transpose",
]
