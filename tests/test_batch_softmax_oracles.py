"""A batch step with a softmax or binary cross-entropy output, against sympy and against its matrix form.

sympy writes each network's whole batch loss in exact arithmetic — every sample's forward pass with the
parameters as symbols, the softmax as exp(z_k)/Σ exp(z_j), cross-entropy −Σ y·ln p, binary cross-entropy
−(1/n) Σ [y·ln a + (1 − y)·ln(1 − a)], mse (1/n) Σ (y − a)², then the batch's mean or sum — and differentiates
it: each sample's gradients, the batch gradient, then Adam's (or momentum's) update by its formulas from the
state the step starts with. The `WorkedSteps` of the step (what `check` holds as correct) must agree with all of
them. Then `run --form matrix`'s matrices of the same step (A, Z, Δ with a column per sample, ∂E/∂W, ∂E/∂b,
W′) must hold, entry by entry, the scalar values of each sample and of the batch.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sympy

from bptutor.core.resume import at_step
from bptutor.core.trace import run
from bptutor.derive.matrix import matrix_form
from bptutor.loading.scenario import load_scenario
from bptutor.teach.solution import WorkedSteps

DATA = Path(__file__).parent / "data"
SCENARIOS = (
    "batch_softmax_ce_mean",
    "batch_softmax_ce_sum",
    "batch_softmax_mse",
    "batch_sigmoid_bce",
    "batch_sigmoid_bce_sum",
)
DIGITS = 30


def exact(value: float) -> Any:
    return sympy.Rational(repr(float(value)))


def sample_loss(scenario, symbols: dict[str, Any], inputs, targets) -> Any:
    values: dict[str, Any] = {name: exact(value) for (name, _), value in zip(scenario.inputs, inputs, strict=True)}
    for layer in scenario.layers:
        zs = {}
        for neuron in layer.neurons:
            z = sum(symbols[weight] * values[source] for source, weight in neuron.weights)
            zs[neuron.name] = z + symbols[neuron.bias] if neuron.bias else z
        if layer.activation == "softmax":
            total = sum(sympy.exp(z) for z in zs.values())
            values.update({name: sympy.exp(z) / total for name, z in zs.items()})
        else:
            activate = {"sigmoid": lambda v: 1 / (1 + sympy.exp(-v)), "tanh": sympy.tanh, "relu": lambda v: v}
            for name, z in zs.items():
                # relu: the network's own values decide the piece; every z of these steps is checked positive below
                values[name] = activate[layer.activation](z)
    outputs = [values[neuron.name] for neuron in scenario.layers[-1].neurons]
    ys = [exact(value) for value in targets]
    n = len(outputs)
    if scenario.loss == "cross_entropy":
        return -sum(y * sympy.log(a) for y, a in zip(ys, outputs, strict=True))
    if scenario.loss == "bce":
        return -sum(y * sympy.log(a) + (1 - y) * sympy.log(1 - a) for y, a in zip(ys, outputs, strict=True)) / n
    return sum((y - a) ** 2 for y, a in zip(ys, outputs, strict=True)) / n


def number(expression: Any, at: dict[Any, Any]) -> Decimal:
    return Decimal(str(sympy.N(expression.subs(at), DIGITS)))


def close(found: Decimal, expected: Decimal) -> bool:
    return abs(found - expected) <= Decimal("1e-13") * max(Decimal(1), abs(expected))


@pytest.mark.slow  # sympy differentiates and evaluates ~30 s of exact expressions
@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("step", [1, 3])
def test_a_batch_step_agrees_with_sympy(name, step):
    scenario = at_step(load_scenario(DATA / f"{name}.yaml"), step)
    solution = WorkedSteps(scenario)
    values = solution.values()
    loss_name = solution.graph.loss_name
    resumed = scenario.resumed
    assert resumed is not None
    samples = load_scenario(DATA / f"{name}.yaml").samples  # the file's: the step's batch picks from them
    assert samples is not None
    batch = [(samples.inputs[i], samples.targets[i]) for i in resumed.indices]
    symbols = {parameter: sympy.Symbol(parameter) for parameter, _ in scenario.parameters}
    at = {symbols[parameter]: exact(value) for parameter, value in scenario.parameters}
    losses = [sample_loss(scenario, symbols, inputs, targets) for inputs, targets in batch]
    m = len(losses)
    training = scenario.training
    assert training is not None
    whole = sum(losses) / m if training.reduction == "mean" else sum(losses)
    assert close(values[loss_name], number(whole, at))
    spec = scenario.optimizer
    state = dict(resumed.state)
    rate = exact(scenario.learning_rate.default)
    checked = 0
    for parameter, value in scenario.parameters:
        p = exact(value)
        for i, sample in enumerate(losses, start=1):
            assert close(values[f"∂{loss_name}/∂{parameter}[{i}]"], number(sympy.diff(sample, symbols[parameter]), at))
        gradient = number(sympy.diff(whole, symbols[parameter]), at)
        assert close(values[f"∂{loss_name}/∂{parameter}"], gradient), parameter
        g = sympy.Rational(str(gradient)) + exact(spec.weight_decay) * p
        if spec.name == "adam":
            beta1, beta2, t = exact(spec.beta1), exact(spec.beta2), resumed.step
            m_before, s_before = (exact(v) for v in state.get(parameter, (0.0, 0.0)))  # step 1: both start at 0
            m_new = beta1 * m_before + (1 - beta1) * g
            s_new = beta2 * s_before + (1 - beta2) * g**2
            new = p - rate * (m_new / (1 - beta1**t)) / (sympy.sqrt(s_new / (1 - beta2**t)) + exact(spec.epsilon))
            assert close(values[f"m_{parameter}′"], number(m_new, {}))
            assert close(values[f"s_{parameter}′"], number(s_new, {}))
        else:
            (v_before,) = (exact(v) for v in state.get(parameter, (0.0,)))
            v_new = exact(spec.beta) * v_before + g
            new = p - rate * v_new
            assert close(values[f"v_{parameter}′"], number(v_new, {}))
        assert close(values[f"{parameter}′"], number(new, {})), parameter
        checked += 1
    assert checked == len(scenario.parameters)
    for layer in scenario.layers:  # relu written as the identity above: right only where every z is positive
        if layer.activation == "relu":
            for neuron in layer.neurons:
                for i in range(1, m + 1):
                    assert values[f"{scenario.notation.pre(neuron.name)}[{i}]"] > 0


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("step", [1, 2, 3])
def test_the_matrix_form_of_the_batch_holds_every_scalar_value(name, step):
    scenario = at_step(load_scenario(DATA / f"{name}.yaml"), step)
    solution = WorkedSteps(scenario)
    values = {key: float(value) for key, value in solution.values().items()}
    loss = solution.graph.loss_name
    notation = scenario.notation
    traced = run(scenario)
    form = matrix_form(traced)
    m = len(solution.samples)
    assert form.m == m
    if m > 1:
        training = scenario.training
        assert training is not None
        assert form.scale == (1 / m if training.reduction == "mean" else 1)
    entries = 0
    for layer in form.layers:
        for j, neuron in enumerate(layer.neurons):
            for i in range(m):
                suffix = f"[{i + 1}]"
                assert layer.a[j][i] == pytest.approx(values[notation.act(neuron) + suffix], rel=1e-12)
                assert layer.z[j][i] == pytest.approx(values[notation.pre(neuron) + suffix], rel=1e-12)
                assert layer.delta[j][i] == pytest.approx(values[notation.dlt(neuron) + suffix], rel=1e-12, abs=1e-15)
                entries += 3
            for k, parameter in enumerate(layer.weight_names[j]):
                assert parameter is not None
                assert layer.weight_gradient[j][k] == pytest.approx(values[f"∂{loss}/∂{parameter}"], rel=1e-12, abs=1e-15)
                assert traced.first.new_parameters[parameter] == pytest.approx(values[f"{parameter}′"], rel=1e-12)
                entries += 1
            bias = layer.bias_names[j]
            assert bias is not None
            assert layer.bias_gradient[j] == pytest.approx(values[f"∂{loss}/∂{bias}"], rel=1e-12, abs=1e-15)
            entries += 1
    assert entries == sum(layer.size * (3 * m + layer.fan_in + 1) for layer in form.layers)
