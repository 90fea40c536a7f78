"""Independent gradient oracles for bptutor's tracer.

Nothing here imports `bptutor.core.ops`, `bptutor.core.graph` or `bptutor.core.trace`: the
network is read straight from the `Scenario` dataclasses and evaluated again
from its definition.

The network (one generic forward pass, `forward_loss`, shared by all oracles):

    z_n = Σ_{(s, w) ∈ weights(n)} w · a_s  +  b_n        (b_n omitted when the bias is None)
    a_n = f_layer(z_n)
    E   = Σ_o ½(t_o − a_o)²      (half_sse)
        = Σ_o  (t_o − a_o)²      (sse)
        = (1/N) Σ_o (t_o − a_o)²  (mse, N = number of output neurons)
        = (1/N) Σ_o |t_o − a_o|   (mae)
        = √((1/N) Σ_o (t_o − a_o)²)  (rmse)
        = −(1/N) Σ_o [t_o·ln a_o + (1 − t_o)·ln(1 − a_o)]  (bce)
        = −Σ_o t_o·ln a_o         (cross_entropy)

where a source s is an input (its value) or a neuron of an earlier layer (its
activation), f is softmax over the whole layer (a_n = e^(z_n)/Σ_m e^(z_m), written out
here with the backend's exp, never shifted), or σ(z) = 1/(1 + e^(−z)), tanh z, ReLU(z) = z if z > 0 else 0,
LeakyReLU(z) = z if z > 0 else α·z, the identity, or a custom function the
scenario writes (and E = Σ ℓ(t_o, a_o), or its mean, for a custom loss term ℓ),
and the sum for E runs
over the neurons of the last layer with the scenario's targets. A parameter
name is one variable wherever it is used, so ∂E/∂p sums over all its uses.

A custom function comes as the tree the safe expression reader (`bptutor.core.expression`)
made of its text. That reader is shared with bptutor, so a misread text would
fool both sides alike; everything after it is independent: the tree is evaluated
here, in each number system, by `_custom`, and differentiated by each oracle's own
means (never by `bptutor.core.custom`'s derivative rules).

The three oracles differ in how they differentiate E:

1. `finite_difference_gradients`: central differences of the plain-float E;
2. `sympy_gradients`: E as one sympy expression (a real Symbol per parameter; inputs,
   targets and parameter values as the exact rationals of their floats), differentiated
   symbolically, then evaluated to 30 digits;
3. `autograd_gradients`: E written for autograd.numpy, reverse-mode autodiff, with σ and
   tanh written so that their autodiff derivatives keep full relative precision.

For neuron quantities (δ_n = ∂E/∂z_n and ∂E/∂a_n) the forward pass accepts
additive offsets ε_n on z_n and η_n on a_n: z_n ↦ z_n + ε_n, a_n ↦ a_n + η_n.
E does not change at ε = η = 0, and ∂E/∂ε_n|₀ = ∂E/∂z_n, ∂E/∂η_n|₀ = ∂E/∂a_n
exactly (the offset enters exactly where the quantity does).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import autograd
import autograd.numpy as anp
import sympy

from bptutor.core.expression import Name as ExpressionName
from bptutor.core.expression import Number as ExpressionNumber
from bptutor.core.scenario import Layer, LearningRate, Neuron, Notation, Scenario

# ── the generic forward pass ───────────────────────────────────────────────────


@dataclass(frozen=True)
class Backend:
    """The activation functions in one number system (float, autograd box, sympy expression)."""

    sigmoid: Callable[[Any], Any]
    tanh: Callable[[Any], Any]
    relu: Callable[[Any], Any]
    leaky_relu: Callable[[Any, float], Any]
    # for custom functions: a written number (a Decimal) in this system, and exp, log, abs, max, min
    number: Callable[[Decimal], Any] = float
    functions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)


def _custom(backend: Backend, node: Any, values: Mapping[str, Any]) -> Any:
    """A custom function's tree (from the expression reader) evaluated in the backend's numbers."""
    if isinstance(node, ExpressionNumber):
        return backend.number(node.value)
    if isinstance(node, ExpressionName):
        return values[node.name]
    x = [_custom(backend, arg, values) for arg in node.args]
    arithmetic = {
        "add": lambda: x[0] + x[1],
        "sub": lambda: x[0] - x[1],
        "mul": lambda: x[0] * x[1],
        "div": lambda: x[0] / x[1],
        "pow": lambda: x[0] ** backend.number(node.args[1].value),
        "neg": lambda: -x[0],
        "sigmoid": lambda: backend.sigmoid(x[0]),
        "tanh": lambda: backend.tanh(x[0]),
        "relu": lambda: backend.relu(x[0]),
    }
    if node.op in arithmetic:
        return arithmetic[node.op]()
    return backend.functions[node.op](*x)


def activate(backend: Backend, layer: Layer, z: Any) -> Any:
    """a = f(z) for the layer's activation."""
    name = layer.activation
    if not isinstance(name, str):  # custom: its tree in its one variable
        return _custom(backend, name.expression, {name.variable: z})
    if name == "sigmoid":
        return backend.sigmoid(z)
    if name == "tanh":
        return backend.tanh(z)
    if name == "relu":
        return backend.relu(z)
    if name == "leaky_relu":
        return backend.leaky_relu(z, layer.slope)
    if name == "linear":
        return z
    raise ValueError(f"unknown activation {name!r}")


def loss_of(kind: Any, pairs: list[tuple[Any, Any]], backend: Backend | None = None) -> Any:
    """E from (target, output) pairs: Σ½(t−o)², Σ(t−o)², (1/N)Σ(t−o)², or Σ (or mean) of a custom term."""
    if not isinstance(kind, str):
        assert backend is not None
        terms = [_custom(backend, kind.expression, {kind.target: t, kind.output: o}) for t, o in pairs]
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return total / len(terms) if kind.mean else total
    assert backend is not None or kind in ("half_sse", "sse", "mse")
    if kind in ("mae", "bce", "cross_entropy"):
        assert backend is not None
        log, absolute = backend.functions["log"], backend.functions["abs"]
        if kind == "mae":
            terms = [absolute(t - o) for t, o in pairs]
        elif kind == "bce":
            terms = [-(t * log(o) + (1 - t) * log(1 - o)) for t, o in pairs]
        else:
            terms = [-t * log(o) for t, o in pairs]
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return total if kind == "cross_entropy" else total / len(terms)
    squares = [(t - o) ** 2 for t, o in pairs]
    total = squares[0]
    for square in squares[1:]:
        total = total + square
    if kind == "half_sse":
        return total / 2
    if kind == "sse":
        return total
    if kind == "mse":
        return total / len(squares)
    if kind == "rmse":
        assert backend is not None
        return backend.functions["sqrt"](total / len(squares))
    raise ValueError(f"unknown loss {kind!r}")


def forward_values(
    scenario: Scenario,
    backend: Backend,
    params: Mapping[str, Any],
    inputs: Mapping[str, Any],
    z_offsets: Mapping[str, Any] | None = None,
    a_offsets: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every neuron's z_n and a_n (offsets added where given), layer by layer.

    A layer sees the inputs and the activations of the layers before it only.
    """
    visible: dict[str, Any] = dict(inputs)
    zs: dict[str, Any] = {}
    activations: dict[str, Any] = {}
    for layer in scenario.layers:
        this_layer: dict[str, Any] = {}
        layer_zs = {}
        for neuron in layer.neurons:
            z = _weighted_sum(neuron, params, visible)
            if z_offsets is not None:
                z = z + z_offsets[neuron.name]
            layer_zs[neuron.name] = z
        if layer.activation == "softmax":
            powers = {name: backend.functions["exp"](z) for name, z in layer_zs.items()}
            total: Any = 0
            for power in powers.values():
                total = total + power
        for neuron in layer.neurons:
            z = layer_zs[neuron.name]
            a = powers[neuron.name] / total if layer.activation == "softmax" else activate(backend, layer, z)
            if a_offsets is not None:
                a = a + a_offsets[neuron.name]
            zs[neuron.name] = z
            this_layer[neuron.name] = a
        visible.update(this_layer)
        activations.update(this_layer)
    return zs, activations


def _weighted_sum(neuron: Neuron, params: Mapping[str, Any], visible: Mapping[str, Any]) -> Any:
    """z = Σ w·a_source + b (no b term when the neuron has no bias)."""
    total: Any = 0
    for source, weight in neuron.weights:
        total = total + params[weight] * visible[source]
    if neuron.bias is not None:
        total = total + params[neuron.bias]
    return total


def forward_loss(
    scenario: Scenario,
    backend: Backend,
    params: Mapping[str, Any],
    inputs: Mapping[str, Any],
    targets: Mapping[str, Any],
    z_offsets: Mapping[str, Any] | None = None,
    a_offsets: Mapping[str, Any] | None = None,
) -> Any:
    """E of the network for the given parameters (see the module docstring)."""
    _, activations = forward_values(scenario, backend, params, inputs, z_offsets, a_offsets)
    pairs = [(targets[name], activations[name]) for name in output_names(scenario)]
    return loss_of(scenario.loss, pairs, backend)


def output_names(scenario: Scenario) -> list[str]:
    """The neurons of the last layer, in order (the ones the loss compares with targets)."""
    return [neuron.name for neuron in scenario.layers[-1].neurons]


def neuron_names(scenario: Scenario) -> list[str]:
    return [neuron.name for layer in scenario.layers for neuron in layer.neurons]


def parameter_names(scenario: Scenario) -> list[str]:
    return [name for name, _ in scenario.parameters]


# ── plain floats ───────────────────────────────────────────────────────────────


def _float_sigmoid(z: float) -> float:
    """σ(z) = ½(1 + tanh(z/2)) for z ≥ 0; e^z/(1 + e^z) for z < 0 (accurate as σ → 0, no overflow)."""
    if z >= 0:
        return 0.5 * (1.0 + math.tanh(0.5 * z))
    e = math.exp(z)
    return e / (1.0 + e)


FLOAT = Backend(
    sigmoid=_float_sigmoid,
    tanh=math.tanh,
    relu=lambda z: z if z > 0 else 0.0,
    leaky_relu=lambda z, slope: z if z > 0 else slope * z,
    functions={"exp": math.exp, "log": math.log, "abs": abs, "max": max, "min": min, "sqrt": math.sqrt},
)


def plain_loss(scenario: Scenario, params: Mapping[str, float] | None = None) -> float:
    """E in plain Python floats (the scenario's own parameter values unless given)."""
    values = scenario.parameter_values if params is None else params
    return forward_loss(scenario, FLOAT, values, dict(scenario.inputs), dict(scenario.targets))


def plain_pre_activations(scenario: Scenario, params: Mapping[str, float] | None = None) -> dict[str, float]:
    """z_n for every neuron, in plain floats."""
    values = scenario.parameter_values if params is None else params
    zs, _ = forward_values(scenario, FLOAT, values, dict(scenario.inputs))
    return zs


def plain_activations(scenario: Scenario, params: Mapping[str, float] | None = None) -> dict[str, float]:
    """a_n for every neuron, in plain floats."""
    values = scenario.parameter_values if params is None else params
    _, activations = forward_values(scenario, FLOAT, values, dict(scenario.inputs))
    return activations


def pre_activation_sizes(scenario: Scenario, params: Mapping[str, float] | None = None) -> dict[str, float]:
    """Σ|w·a_source| + |b| for every neuron: the size of the terms whose sum is z_n."""
    values = scenario.parameter_values if params is None else params
    magnitudes = {name: abs(v) for name, v in values.items()}
    inputs = {name: abs(v) for name, v in scenario.inputs}
    activations = plain_activations(scenario, values)
    sizes: dict[str, float] = {}
    visible: dict[str, float] = dict(inputs)
    for layer in scenario.layers:
        for neuron in layer.neurons:
            sizes[neuron.name] = _weighted_sum(neuron, magnitudes, visible)
        visible.update({neuron.name: abs(activations[neuron.name]) for neuron in layer.neurons})
    return sizes


# ── oracle 1: central finite differences ───────────────────────────────────────

FD_STEP = 1e-6


def finite_difference_gradients(scenario: Scenario) -> dict[str, float]:
    """∂E/∂p ≈ (E(p + h) − E(p − h)) / (2h), h = 1e-6 · max(1, |p|), for every parameter p.

    Error: truncation h²·E‴/6 plus rounding ≈ ε_mach·|E|/h, so expect agreement
    to about 1e-6 relative, or 1e-8·max(1, |E|) absolute, away from ReLU kinks.
    The difference is divided by the step actually taken, (p + h) − (p − h).
    """
    base = scenario.parameter_values
    gradients: dict[str, float] = {}
    for name in parameter_names(scenario):
        p = base[name]
        h = FD_STEP * max(1.0, abs(p))
        up, down = dict(base), dict(base)
        up[name], down[name] = p + h, p - h
        gradients[name] = (plain_loss(scenario, up) - plain_loss(scenario, down)) / (up[name] - down[name])
    return gradients


# ── oracle 2: sympy, exact ─────────────────────────────────────────────────────

DIGITS = 30

SYMPY = Backend(
    sigmoid=lambda z: 1 / (1 + sympy.exp(-z)),
    tanh=sympy.tanh,
    relu=lambda z: sympy.Piecewise((z, z > 0), (0, True)),
    leaky_relu=lambda z, slope: sympy.Piecewise((z, z > 0), (exact(slope) * z, True)),
    number=lambda value: sympy.Rational(*value.as_integer_ratio()),
    functions={
        "exp": sympy.exp,
        "log": sympy.log,
        "abs": sympy.Abs,
        "sqrt": sympy.sqrt,
        "max": lambda x, y: sympy.Piecewise((x, x >= y), (y, True)),
        "min": lambda x, y: sympy.Piecewise((x, x <= y), (y, True)),
    },
)


def exact(x: float) -> sympy.Rational:
    """The exact rational value of a float (the binary number bptutor computes with)."""
    return sympy.Rational(x)


@dataclass(frozen=True)
class SympyLoss:
    """E as one sympy expression in a (real) Symbol per parameter and per neuron offset."""

    expression: sympy.Expr
    parameters: dict[str, sympy.Symbol]
    z_offsets: dict[str, sympy.Symbol]  # ε_n, added to z_n
    a_offsets: dict[str, sympy.Symbol]  # η_n, added to a_n
    derivatives: dict[sympy.Symbol, sympy.Expr] = field(default_factory=dict)  # memo of diff(E, s)

    def at(self, scenario: Scenario, params: Mapping[str, float] | None = None) -> dict[sympy.Symbol, Any]:
        """The substitution: parameters by their exact values, every offset by 0."""
        values = scenario.parameter_values if params is None else params
        point: dict[sympy.Symbol, Any] = {s: exact(values[n]) for n, s in self.parameters.items()}
        point.update({s: sympy.Integer(0) for s in self.z_offsets.values()})
        point.update({s: sympy.Integer(0) for s in self.a_offsets.values()})
        return point

    def derivative(self, symbol: sympy.Symbol) -> sympy.Expr:
        """∂E/∂symbol, symbolically (computed once)."""
        if symbol not in self.derivatives:
            self.derivatives[symbol] = sympy.diff(self.expression, symbol)
        return self.derivatives[symbol]


def sympy_loss_expression(scenario: Scenario) -> SympyLoss:
    """Build E symbolically: inputs and targets as exact rationals, parameters as symbols.

    Memoised on what E depends on (not on the parameter values), so several steps or
    several questions about one network build and differentiate it once.
    """
    key = (scenario.inputs, scenario.targets, scenario.layers, tuple(parameter_names(scenario)), scenario.loss)
    return _sympy_loss_expression(key)


@functools.lru_cache(maxsize=64)  # the generated exercises of test_generate.py (42) are met twice
def _sympy_loss_expression(key: tuple) -> SympyLoss:
    inputs_, targets_, layers, names, loss = key
    shape = Scenario(
        name="shape",
        inputs=inputs_,
        targets=targets_,
        layers=layers,
        parameters=tuple((n, 0.0) for n in names),
        loss=loss,
        learning_rate=LearningRate(0.0),
    )
    # real=True: without it sympy's assumption queries make diff of nested σ/tanh very slow.
    parameters = {name: sympy.Symbol(f"p_{i}", real=True) for i, name in enumerate(names)}
    z_offsets = {name: sympy.Symbol(f"eps_{i}", real=True) for i, name in enumerate(neuron_names(shape))}
    a_offsets = {name: sympy.Symbol(f"eta_{i}", real=True) for i, name in enumerate(neuron_names(shape))}
    inputs = {name: exact(value) for name, value in inputs_}
    targets = {name: exact(value) for name, value in targets_}
    expression = forward_loss(shape, SYMPY, parameters, inputs, targets, z_offsets, a_offsets)
    return SympyLoss(sympy.sympify(expression), parameters, z_offsets, a_offsets)


EXTRA_PRECISION = 3000  # digits evalf may add to resolve cancellation (1 − tanh²(300) ≈ 1e-260 needs ~260)


def _evaluate(expression: sympy.Expr, point: Mapping[sympy.Symbol, Any]) -> sympy.Float:
    """Substitute exact values, then evaluate to DIGITS significant digits.

    Fails (rather than return a wrong number) if sympy could not reach DIGITS digits:
    evalf marks such a result with a low precision, e.g. `0.e-143`.
    """
    value = sympy.sympify(expression).xreplace(dict(point)).evalf(DIGITS, maxn=EXTRA_PRECISION)
    if not value.is_number or value.has(sympy.Piecewise):
        raise AssertionError(f"sympy could not evaluate {value}")
    if isinstance(value, sympy.Float) and value._prec < sympy.Float(1, DIGITS)._prec:
        raise AssertionError(f"sympy reached only {value._prec} bits: {value}")
    return value


def sympy_loss(scenario: Scenario, params: Mapping[str, float] | None = None) -> sympy.Float:
    """E to 30 digits."""
    built = sympy_loss_expression(scenario)
    return _evaluate(built.expression, built.at(scenario, params))


def sympy_gradients(scenario: Scenario, params: Mapping[str, float] | None = None) -> dict[str, sympy.Float]:
    """∂E/∂p = diff(E, p), then substituted and evaluated to 30 digits, for every parameter."""
    built = sympy_loss_expression(scenario)
    point = built.at(scenario, params)
    return {name: _evaluate(built.derivative(s), point) for name, s in built.parameters.items()}


@dataclass(frozen=True)
class NeuronGradients:
    """For every neuron n: δ_n = ∂E/∂z_n and ∂E/∂a_n."""

    delta: dict[str, Any]
    activation: dict[str, Any]


def sympy_neuron_gradients(scenario: Scenario, params: Mapping[str, float] | None = None) -> NeuronGradients:
    """δ_n = ∂E/∂ε_n and ∂E/∂a_n = ∂E/∂η_n at ε = η = 0, exactly, to 30 digits."""
    built = sympy_loss_expression(scenario)
    point = built.at(scenario, params)
    delta = {n: _evaluate(built.derivative(s), point) for n, s in built.z_offsets.items()}
    act = {n: _evaluate(built.derivative(s), point) for n, s in built.a_offsets.items()}
    return NeuronGradients(delta, act)


# ── oracle 3: autograd ─────────────────────────────────────────────────────────


def _autograd_sigmoid(z: Any) -> Any:
    """σ(z), branch chosen so that exp never overflows: 1/(1+e^(−z)) for z ≥ 0, e^z/(1+e^z) below."""
    if z >= 0:
        return 1.0 / (1.0 + anp.exp(-z))
    e = anp.exp(z)
    return e / (1.0 + e)


def _autograd_tanh(z: Any) -> Any:
    """tanh z, written so that autograd's derivative keeps full relative accuracy.

    For z ≥ ½, with u = e^(−2z) ≤ e^(−1): tanh z = (1 − u)/(1 + u), derivative 4u/(1 + u)²
    (no cancellation, even when tanh z rounds to 1). For 0 ≤ z < ½, with m = expm1(−2z):
    tanh z = −m/(2 + m) (accurate near 0). Odd symmetry for z < 0. (anp.tanh is avoided:
    autograd differentiates it as 1/cosh², which overflows for |z| ≳ 710.)
    """
    if z < 0:
        return -_autograd_tanh(-z)
    if z >= 0.5:
        u = anp.exp(-2.0 * z)
        return (1.0 - u) / (1.0 + u)
    m = anp.expm1(-2.0 * z)
    return -m / (2.0 + m)


AUTOGRAD = Backend(
    sigmoid=_autograd_sigmoid,
    tanh=_autograd_tanh,
    relu=lambda z: z if z > 0 else 0.0 * z,
    leaky_relu=lambda z, slope: z if z > 0 else slope * z,
    functions={
        "exp": anp.exp, "log": anp.log, "abs": anp.abs, "max": anp.maximum, "min": anp.minimum, "sqrt": anp.sqrt
    },
)


def autograd_loss_function(scenario: Scenario) -> Callable[[Any, Any, Any], Any]:
    """E(θ, ε, η): θ the parameters in declaration order, ε/η the neuron offsets in neuron order."""
    names = parameter_names(scenario)
    neurons = neuron_names(scenario)
    inputs, targets = dict(scenario.inputs), dict(scenario.targets)

    def loss(theta: Any, eps: Any, eta: Any) -> Any:
        params = {name: theta[i] for i, name in enumerate(names)}
        z_off = {name: eps[i] for i, name in enumerate(neurons)}
        a_off = {name: eta[i] for i, name in enumerate(neurons)}
        return forward_loss(scenario, AUTOGRAD, params, inputs, targets, z_off, a_off)

    return loss


def _autograd_point(scenario: Scenario, params: Mapping[str, float] | None) -> tuple[Any, Any, Any]:
    values = scenario.parameter_values if params is None else params
    theta = anp.array([float(values[name]) for name in parameter_names(scenario)])
    zeros = anp.zeros(len(neuron_names(scenario)))
    return theta, zeros, zeros.copy()


def autograd_loss(scenario: Scenario, params: Mapping[str, float] | None = None) -> float:
    return float(autograd_loss_function(scenario)(*_autograd_point(scenario, params)))


def autograd_gradients(scenario: Scenario, params: Mapping[str, float] | None = None) -> dict[str, float]:
    """∂E/∂θ by reverse-mode autodiff, one entry per parameter."""
    gradient = autograd.grad(autograd_loss_function(scenario), 0)(*_autograd_point(scenario, params))
    return {name: float(gradient[i]) for i, name in enumerate(parameter_names(scenario))}


def autograd_neuron_gradients(scenario: Scenario) -> NeuronGradients:
    """δ_n = ∂E/∂ε_n and ∂E/∂a_n = ∂E/∂η_n at ε = η = 0, by autodiff."""
    loss = autograd_loss_function(scenario)
    point = _autograd_point(scenario, None)
    by_z = autograd.grad(loss, 1)(*point)
    by_a = autograd.grad(loss, 2)(*point)
    neurons = neuron_names(scenario)
    return NeuronGradients(
        {n: float(by_z[i]) for i, n in enumerate(neurons)},
        {n: float(by_a[i]) for i, n in enumerate(neurons)},
    )


# ── learning rates ─────────────────────────────────────────────────────────────


def learning_rate(scenario: Scenario, parameter: str) -> float:
    """η for one parameter: by parameter name, else by the (one) rate of the layers using it, else the default."""
    rate = scenario.learning_rate
    by_parameter = dict(rate.by_parameter)
    if parameter in by_parameter:
        return by_parameter[parameter]
    by_layer = dict(rate.by_layer)
    rates = {
        by_layer.get(layer.name, rate.default)
        for layer in scenario.layers
        for neuron in layer.neurons
        if parameter == neuron.bias or parameter in (w for _, w in neuron.weights)
    }
    assert len(rates) <= 1, f"{parameter} is shared by layers with different rates"
    return rates.pop() if rates else rate.default


def expected_update(scenario: Scenario, gradients: Mapping[str, float]) -> dict[str, float]:
    """p ← p − η_p·∂E/∂p, frozen parameters unchanged."""
    values = scenario.parameter_values
    return {
        name: values[name] if name in scenario.frozen else values[name] - learning_rate(scenario, name) * gradients[name]
        for name in parameter_names(scenario)
    }


# ── comparison ─────────────────────────────────────────────────────────────────


def close(actual: float, expected: Any, rel: float, abs_: float) -> bool:
    """|actual − expected| ≤ max(rel·|expected|, abs_), with expected possibly a 30-digit sympy Float."""
    expected = sympy.Float(expected, DIGITS) if isinstance(expected, sympy.Basic) else expected
    difference = abs(sympy.Float(actual, DIGITS) - expected) if isinstance(expected, sympy.Basic) else abs(actual - expected)
    return bool(difference <= max(rel * abs(expected), abs_))


def assert_all_close(
    actual: Mapping[str, float], expected: Mapping[str, Any], rel: float, abs_: float, what: str
) -> None:
    """Same keys, and every value close; the message lists every mismatch."""
    assert set(actual) == set(expected), f"{what}: names differ: {sorted(actual)} vs {sorted(expected)}"
    bad = [
        f"  {name}: bptutor {actual[name]!r}, oracle {float(expected[name])!r}, "
        f"difference {float(actual[name]) - float(expected[name]):.3e}"
        for name in expected
        if not close(actual[name], expected[name], rel, abs_)
    ]
    assert not bad, f"{what} (rel {rel}, abs {abs_}):\n" + "\n".join(bad)


# ── the shipped scenarios, built by hand ───────────────────────────────────────


def two_two_two() -> Scenario:
    """scenarios/two_two_two.yaml: 2 inputs, 2 sigmoid hidden, 2 sigmoid outputs, half SSE."""
    return Scenario(
        name="two_two_two",
        title="2-2-2 sigmoid network (BP notes, section 2.2.2)",
        inputs=(("i1", 0.1), ("i2", 0.2)),
        targets=(("o1", 0.01), ("o2", 0.99)),
        layers=(
            Layer(
                "hidden",
                "sigmoid",
                (
                    Neuron("h1", (("i1", "w1"), ("i2", "w2")), "b1"),
                    Neuron("h2", (("i1", "w3"), ("i2", "w4")), "b2"),
                ),
            ),
            Layer(
                "output",
                "sigmoid",
                (
                    Neuron("o1", (("h1", "w5"), ("h2", "w6")), "b3"),
                    Neuron("o2", (("h1", "w7"), ("h2", "w8")), "b4"),
                ),
            ),
        ),
        parameters=(
            ("w1", 0.1), ("w2", 0.2), ("w3", 0.3), ("w4", 0.4),
            ("w5", 0.5), ("w6", 0.6), ("w7", 0.7), ("w8", 0.8),
            ("b1", 0.55), ("b2", 0.56), ("b3", 0.66), ("b4", 0.67),
        ),
        loss="half_sse",
        learning_rate=LearningRate(0.5, by_layer=(("hidden", 0.1),)),
    )


def one_one_one() -> Scenario:
    """scenarios/one_one_one.yaml: x → sigmoid h → sigmoid o, half SSE, slide notation z/y/Loss."""
    notation = Notation("custom", "z_{n}", "y_{n}", "Loss", "Loss_{n}", "y", "δ_{n}")
    return Scenario(
        name="one_one_one",
        title="1-1-1 sigmoid network (lecture slides, section 12.4)",
        inputs=(("x", 1.0),),
        targets=(("o", 0.8),),
        layers=(
            Layer("hidden", "sigmoid", (Neuron("h", (("x", "w_h"),), "b_h"),)),
            Layer("output", "sigmoid", (Neuron("o", (("h", "w_o"),), "b_o"),)),
        ),
        parameters=(("w_h", 0.2), ("b_h", 0.1), ("w_o", 0.3), ("b_o", 0.2)),
        loss="half_sse",
        learning_rate=LearningRate(0.5),
        notation=notation,
    )
