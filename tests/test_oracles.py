"""bptutor's numbers against three independent gradient oracles (see tests/oracles.py).

Tolerances:
- finite differences: rel 1e-6, abs 1e-8·max(1, |E|) (the rounding error of a central
  difference grows with |E|/h);
- sympy (exact, 30 digits) and autograd: rel 1e-12, abs 1e-15;
- loss values: rel 1e-12, abs 1e-15 against all three.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bptutor.core.scenario import (
    ACTIVATIONS,
    DEFAULT_LEAKY_SLOPE,
    LOSSES,
    Layer,
    LearningRate,
    Neuron,
    Scenario,
)
from bptutor.core.trace import run
from bptutor.errors import DivergenceError
from tests import oracles
from tests.hypothesis_profiles import examples
from tests.oracles import (
    assert_all_close,
    autograd_gradients,
    autograd_loss,
    autograd_neuron_gradients,
    close,
    finite_difference_gradients,
    learning_rate,
    plain_loss,
    plain_pre_activations,
    sympy_gradients,
    sympy_loss,
    sympy_neuron_gradients,
)

ROOT = Path(__file__).resolve().parent.parent
EXACT_REL, EXACT_ABS = 1e-12, 1e-15
FD_REL, FD_ABS = 1e-6, 1e-8
KINK_MARGIN = 1e-6

SHIPPED = {"two_two_two": oracles.two_two_two, "one_one_one": oracles.one_one_one}


# ── checks shared by the tests ─────────────────────────────────────────────────


def check_loss(scenario: Scenario, loss: float, *, with_sympy: bool = True) -> None:
    """bptutor's E against the plain-float, autograd and (optionally) exact sympy E."""
    expected = {"plain": plain_loss(scenario), "autograd": autograd_loss(scenario)}
    if with_sympy:
        expected["sympy"] = sympy_loss(scenario)
    for oracle, value in expected.items():
        assert close(loss, value, EXACT_REL, EXACT_ABS), f"loss: bptutor {loss!r}, {oracle} {float(value)!r}"


def check_finite_differences(scenario: Scenario, gradients: dict[str, float]) -> None:
    """∂E/∂p against central differences, abs tolerance scaled by max(1, |E|)."""
    scale = max(1.0, abs(plain_loss(scenario)))
    assert_all_close(gradients, finite_difference_gradients(scenario), FD_REL, FD_ABS * scale, "∂E/∂p vs finite differences")


def check_neurons(scenario: Scenario, trace, expected: oracles.NeuronGradients, oracle: str) -> None:
    """δ_n = ∂E/∂z_n and ∂E/∂a_n of every neuron, read from bptutor under the scenario's notation."""
    notation = scenario.notation
    names = oracles.neuron_names(scenario)
    deltas = {n: trace.gradient(notation.pre(n)) for n in names}
    recorded = {step.quantity for step in trace.backward}
    # a fused loss (cross-entropy on softmax, bce on sigmoid) goes from the loss straight to z: no ∂E/∂a of an output
    with_activation = [n for n in names if notation.act(n) in recorded]
    by_activation = {n: trace.gradient(notation.act(n)) for n in with_activation}
    assert_all_close(deltas, expected.delta, EXACT_REL, EXACT_ABS, f"δ = ∂E/∂z vs {oracle}")
    assert_all_close(
        by_activation, {n: expected.activation[n] for n in with_activation}, EXACT_REL, EXACT_ABS, f"∂E/∂a vs {oracle}"
    )


def check_forward_values(scenario: Scenario, trace) -> None:
    """z_n and a_n of every neuron against the plain-float forward pass."""
    zs, activations = oracles.forward_values(
        scenario, oracles.FLOAT, scenario.parameter_values, dict(scenario.inputs)
    )
    for name in oracles.neuron_names(scenario):
        z, a = trace.value(scenario.notation.pre(name)), trace.value(scenario.notation.act(name))
        assert close(z, zs[name], EXACT_REL, EXACT_ABS), f"z of {name}: {z!r} vs {zs[name]!r}"
        assert close(a, activations[name], EXACT_REL, EXACT_ABS), f"a of {name}: {a!r} vs {activations[name]!r}"


def away_from_kinks(scenario: Scenario, margin: float = KINK_MARGIN) -> bool:
    """No ReLU / leaky ReLU pre-activation within `margin` of 0 (where E is not differentiable)."""
    zs = plain_pre_activations(scenario)
    return all(
        abs(zs[neuron.name]) > margin
        for layer in scenario.layers
        if layer.activation in ("relu", "leaky_relu")
        for neuron in layer.neurons
    )


def kinks_unambiguous(scenario: Scenario, trace) -> bool:
    """Every ReLU-type z is exactly 0 in both bptutor and the oracle's forward pass (then the
    convention ReLU′(0) = 0, LeakyReLU′(0) = α applies to both), or clear of 0 by 1e-9 of the
    size of its terms in both (so rounding cannot put them on different sides)."""
    zs, sizes = plain_pre_activations(scenario), oracles.pre_activation_sizes(scenario)
    for layer in scenario.layers:
        if layer.activation not in ("relu", "leaky_relu"):
            continue
        for neuron in layer.neurons:
            mine, theirs = zs[neuron.name], trace.value(scenario.notation.pre(neuron.name))
            if mine == 0 and theirs == 0:
                continue
            if min(abs(mine), abs(theirs)) <= 1e-9 * sizes[neuron.name]:
                return False
    return True


def sympy_tractable(scenario: Scenario) -> bool:
    """At most 2 ReLU-type layers with at most 4 ReLU-type neurons in all.

    Each ReLU's Piecewise condition holds the whole expression below it, so the symbolic
    derivative of deeper ReLU stacks grows very fast (3 × 3 × 1 ReLU: ~80 s). Those networks
    are still checked against autograd and finite differences.
    """
    kinked = [layer for layer in scenario.layers if layer.activation in ("relu", "leaky_relu")]
    return len(kinked) <= 2 and sum(len(layer.neurons) for layer in kinked) <= 4


def kink_sides(scenario: Scenario, params: dict[str, float]) -> tuple[bool, ...]:
    """Which side of 0 each ReLU / leaky ReLU pre-activation is on."""
    zs = plain_pre_activations(scenario, params)
    return tuple(
        zs[neuron.name] > 0
        for layer in scenario.layers
        if layer.activation in ("relu", "leaky_relu")
        for neuron in layer.neurons
    )


def finite_differences_stay_on_one_side(scenario: Scenario) -> bool:
    """No finite-difference probe p ± h crosses a kink (else the central difference is meaningless)."""
    base = scenario.parameter_values
    sides = kink_sides(scenario, base)
    for name, value in base.items():
        h = oracles.FD_STEP * max(1.0, abs(value))
        for probe in (value - h, value + h):
            if kink_sides(scenario, {**base, name: probe}) != sides:
                return False
    return True


# ── the shipped scenarios ──────────────────────────────────────────────────────


@pytest.fixture(params=sorted(SHIPPED))
def shipped(request) -> Scenario:
    return SHIPPED[request.param]()


def test_shipped_loss_matches_all_oracles(shipped: Scenario) -> None:
    trace = run(shipped).first
    check_loss(shipped, trace.loss)
    check_forward_values(shipped, trace)


def test_shipped_gradients_match_finite_differences(shipped: Scenario) -> None:
    check_finite_differences(shipped, run(shipped).first.gradients)


def test_shipped_gradients_match_sympy(shipped: Scenario) -> None:
    assert_all_close(run(shipped).first.gradients, sympy_gradients(shipped), EXACT_REL, EXACT_ABS, "∂E/∂p vs sympy")


def test_shipped_gradients_match_autograd(shipped: Scenario) -> None:
    assert_all_close(
        run(shipped).first.gradients, autograd_gradients(shipped), EXACT_REL, EXACT_ABS, "∂E/∂p vs autograd"
    )


def test_shipped_neuron_gradients_match_sympy_and_autograd(shipped: Scenario) -> None:
    trace = run(shipped).first
    check_neurons(shipped, trace, sympy_neuron_gradients(shipped), "sympy")
    check_neurons(shipped, trace, autograd_neuron_gradients(shipped), "autograd")


def test_two_two_two_known_numbers() -> None:
    """A fixed point to catch the oracles and bptutor drifting together: 30-digit sympy values."""
    scenario = oracles.two_two_two()
    trace = run(scenario).first
    assert trace.loss == pytest.approx(0.3226124392928197103, rel=1e-15)
    assert trace.gradients["w5"] == pytest.approx(0.08182331501899741, rel=1e-14)
    assert trace.gradient("in_h1") == pytest.approx(0.0112320669546005005, rel=1e-14)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_three_steps(name: str) -> None:
    check_steps(SHIPPED[name](), steps=3, with_sympy=True)


# ── random networks ────────────────────────────────────────────────────────────

values = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_subnormal=False)
unit = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False, allow_subnormal=False)
rates = st.floats(min_value=0.01, max_value=1.0, allow_nan=False)


@st.composite
def networks(draw) -> Scenario:
    """1–3 inputs, 1–3 layers of 1–3 neurons, any activation and loss.

    Biases per layer: one per neuron, one shared by the layer, none, or some.
    Sometimes a weight reuses a parameter of an earlier layer (one parameter, two uses
    in different layers). Parameters are declared in a random order. Learning rates:
    a default, some layers, some parameters; some parameters frozen.
    """
    inputs = tuple((f"x{i}", draw(unit)) for i in range(draw(st.integers(1, 3))))
    previous = [name for name, _ in inputs]
    parameters: list[str] = []
    layers: list[Layer] = []
    for index in range(draw(st.integers(1, 3))):
        activation = draw(st.sampled_from(ACTIVATIONS))
        slope = draw(st.floats(0.0, 0.5)) if activation == "leaky_relu" else DEFAULT_LEAKY_SLOPE
        bias_style = draw(st.sampled_from(["own", "shared", "none", "some"]))
        neurons = []
        for j in range(draw(st.integers(1, 3))):
            weights = []
            for k, source in enumerate(previous):
                weight = f"w{index}_{j}_{k}"
                if parameters and draw(st.integers(0, 9)) == 0:  # tie to an earlier parameter
                    weight = draw(st.sampled_from(parameters))
                weights.append((source, weight))
            own = f"b{index}_{j}"
            bias = {
                "own": own,
                "shared": f"b{index}",
                "none": None,
                "some": own if draw(st.booleans()) else None,
            }[bias_style]
            neurons.append(Neuron(f"n{index}_{j}", tuple(weights), bias))
        for neuron in neurons:
            for name in [w for _, w in neuron.weights] + ([neuron.bias] if neuron.bias else []):
                if name not in parameters:
                    parameters.append(name)
        layers.append(Layer(f"L{index}", activation, tuple(neurons), slope))
        previous = [neuron.name for neuron in neurons]

    order = draw(st.permutations(parameters))
    by_layer = tuple((layer.name, draw(rates)) for layer in layers if draw(st.booleans()))
    by_parameter = [(name, draw(rates)) for name in order if draw(st.integers(0, 4)) == 0]
    scenario = Scenario(
        name="random",
        inputs=inputs,
        targets=tuple((neuron.name, draw(unit)) for neuron in layers[-1].neurons),
        layers=tuple(layers),
        parameters=tuple((name, draw(values)) for name in order),
        loss=draw(st.sampled_from(LOSSES)),
        learning_rate=LearningRate(draw(rates), by_layer, tuple(by_parameter)),
        frozen=tuple(name for name in order if draw(st.integers(0, 5)) == 0),
    )
    # A parameter used by layers with different rates needs its own rate (bptutor rejects it otherwise).
    named = dict(by_parameter)
    for name in order:
        if name not in named and _layer_rates(scenario, name) > 1:
            by_parameter.append((name, draw(rates)))
    return replace(scenario, learning_rate=LearningRate(scenario.learning_rate.default, by_layer, tuple(by_parameter)))


def _layer_rates(scenario: Scenario, name: str) -> int:
    """How many different layer rates apply to the layers using parameter `name`."""
    rate = scenario.learning_rate
    by_layer = dict(rate.by_layer)
    return len(
        {
            by_layer.get(layer.name, rate.default)
            for layer in scenario.layers
            for neuron in layer.neurons
            if name == neuron.bias or name in (w for _, w in neuron.weights)
        }
    )


SETTINGS = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(networks())
def test_random_gradients_match_finite_differences(scenario: Scenario) -> None:
    assume(away_from_kinks(scenario))
    assume(finite_differences_stay_on_one_side(scenario))
    trace = run(scenario).first
    assert math.isclose(trace.loss, plain_loss(scenario), rel_tol=EXACT_REL, abs_tol=EXACT_ABS)
    check_finite_differences(scenario, trace.gradients)


@SETTINGS
@given(networks())
def test_random_gradients_match_autograd(scenario: Scenario) -> None:
    trace = run(scenario).first
    assume(kinks_unambiguous(scenario, trace))
    check_loss(scenario, trace.loss, with_sympy=False)
    check_forward_values(scenario, trace)
    assert_all_close(trace.gradients, autograd_gradients(scenario), EXACT_REL, EXACT_ABS, "∂E/∂p vs autograd")
    check_neurons(scenario, trace, autograd_neuron_gradients(scenario), "autograd")


@pytest.mark.slow
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_random_gradients_match_sympy(scenario: Scenario) -> None:
    assume(sympy_tractable(scenario))
    assume(away_from_kinks(scenario))
    trace = run(scenario).first
    check_loss(scenario, trace.loss)
    assert_all_close(trace.gradients, sympy_gradients(scenario), EXACT_REL, EXACT_ABS, "∂E/∂p vs sympy")
    check_neurons(scenario, trace, sympy_neuron_gradients(scenario), "sympy")


# ── several steps ──────────────────────────────────────────────────────────────


def check_steps(
    scenario: Scenario,
    steps: int,
    guard: Callable[[bool], object] | None = None,
    *,
    with_sympy: bool = False,
) -> None:
    """Each step starts where the last ended, its gradients match autograd (and sympy, if
    asked) at its own parameters, and its update is p − η·∂E/∂p (η by parameter, else
    layer, else default; frozen parameters unchanged). `guard(kinks_unambiguous(...))` is
    called at each step's parameters when given (hypothesis's `assume`).

    If bptutor reports a divergence, the oracle's own descent must overflow float64 too.
    """
    try:
        result = run(scenario, steps=steps)
    except DivergenceError:
        assert oracle_overflows(scenario, steps), "bptutor diverged where the oracle's descent stays finite"
        return
    assert len(result.steps) == steps
    current = scenario
    for number, trace in enumerate(result.steps):
        old = {u.parameter: u.old for u in trace.updates}
        assert old == current.parameter_values, f"step {number} did not start from the previous parameters"
        if guard is not None:
            guard(kinks_unambiguous(current, trace))
        check_loss(current, trace.loss, with_sympy=False)
        expected_gradients = autograd_gradients(current)
        assert_all_close(trace.gradients, expected_gradients, EXACT_REL, EXACT_ABS, f"step {number}: ∂E/∂p vs autograd")
        if with_sympy:
            check_loss(current, trace.loss)
            exact = sympy_gradients(current)
            assert_all_close(trace.gradients, exact, EXACT_REL, EXACT_ABS, f"step {number}: ∂E/∂p vs sympy")
        expected_new = oracles.expected_update(current, expected_gradients)
        for update in trace.updates:
            name = update.parameter
            assert update.frozen == (name in scenario.frozen), name
            assert update.rate == learning_rate(scenario, name), f"η of {name}"
            if update.frozen:
                assert update.new == update.old, f"frozen {name} moved"
            else:
                assert update.new == update.old - update.rate * update.gradient, name
            # |Δ| = η·|∂E/∂p error| ≤ η·1e-12·|∂E/∂p|, measured against the sizes involved.
            scale = abs(update.old) + abs(update.rate * update.gradient)
            assert close(update.new, expected_new[name], EXACT_REL, EXACT_ABS + EXACT_REL * scale), (
                f"step {number}: new {name} = {update.new!r}, oracle {expected_new[name]!r}"
            )
        current = current.with_parameters(trace.new_parameters)
    assert close(result.final_loss, plain_loss(current), EXACT_REL, EXACT_ABS), "final loss"


def oracle_overflows(scenario: Scenario, steps: int) -> bool:
    """Whether p ← p − η·∂E/∂p (autograd gradients) leaves float64 within `steps` steps,
    counting the loss after the last one."""
    current = scenario
    with np.errstate(all="ignore"):
        for number in range(steps + 1):
            try:
                if not math.isfinite(plain_loss(current)):
                    return True
                if number == steps:
                    return False
                new = oracles.expected_update(current, autograd_gradients(current))
            except OverflowError:
                return True
            if not all(math.isfinite(value) for value in new.values()):
                return True
            current = current.with_parameters(new)
    return False


def test_divergence_is_reported_where_the_oracle_overflows() -> None:
    """A linear 1-1 network with η = 1e155: w = 1 → 1 − 1e155, and ½w² overflows."""
    scenario = Scenario(
        name="diverging",
        inputs=(("x", 1.0),),
        targets=(("o", 0.0),),
        layers=(Layer("output", "linear", (Neuron("o", (("x", "w"),), None),)),),
        parameters=(("w", 1.0),),
        loss="half_sse",
        learning_rate=LearningRate(1e155),
    )
    assert oracle_overflows(scenario, 1)
    with pytest.raises(DivergenceError):
        run(scenario, steps=1)
    check_steps(scenario, steps=1)
    assert not oracle_overflows(oracles.two_two_two(), 3)


@SETTINGS
@given(networks())
def test_random_three_steps(scenario: Scenario) -> None:
    check_steps(scenario, steps=3, guard=assume)


# ── sigmoid far from 0 ─────────────────────────────────────────────────────────


def saturated(weight: float, activation: str, hidden: bool) -> Scenario:
    """x = 1 → [hidden neuron with this weight →] output neuron; z = weight·1 = ±1000."""
    if hidden:
        layers = (
            Layer("hidden", activation, (Neuron("h", (("x", "w"),), None),)),
            Layer("output", "sigmoid", (Neuron("o", (("h", "v"),), "b"),)),
        )
        parameters = (("w", weight), ("v", 0.5), ("b", 0.1))
    else:
        layers = (Layer("output", activation, (Neuron("o", (("x", "w"),), None),)),)
        parameters = (("w", weight),)
    return Scenario(
        name="saturated",
        inputs=(("x", 1.0),),
        targets=(("o", 0.5),),
        layers=layers,
        parameters=parameters,
        loss="half_sse",
        learning_rate=LearningRate(0.5),
    )


@pytest.mark.parametrize("hidden", [False, True], ids=["1-1", "1-1-1"])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("weight", [1000.0, -1000.0])
def test_saturated_neuron_is_finite(weight: float, activation: str, hidden: bool) -> None:
    scenario = saturated(weight, activation, hidden)
    result = run(scenario, steps=3)
    for trace in result.steps:
        assert math.isfinite(trace.loss)
        assert all(math.isfinite(g) for g in trace.gradients.values())
        assert all(math.isfinite(step.value) for step in trace.backward)
    assert math.isfinite(result.final_loss)
    trace = result.first
    check_loss(scenario, trace.loss)
    # The exact gradients are about e^(−1000): bptutor's 0 is within the absolute tolerance.
    assert_all_close(trace.gradients, sympy_gradients(scenario), EXACT_REL, EXACT_ABS, "∂E/∂p vs sympy")
    assert_all_close(trace.gradients, autograd_gradients(scenario), EXACT_REL, EXACT_ABS, "∂E/∂p vs autograd")


# ── the kink convention ────────────────────────────────────────────────────────


@pytest.mark.parametrize(("activation", "slope", "expected_delta"), [("relu", 0.01, 0.0), ("leaky_relu", 0.2, -0.4)])
def test_kink_convention(activation: str, slope: float, expected_delta: float) -> None:
    """At z = 0 exactly (x = 1, w = 0.5, b = −0.5): ReLU′(0) = 0 and LeakyReLU′(0) = α.

    o = 2·a_h, target 1, half SSE: ∂E/∂a_h = 2(o − 1) = −2, so δ_h = −2·f′(0).
    """
    scenario = Scenario(
        name="kink",
        inputs=(("x", 1.0),),
        targets=(("o", 1.0),),
        layers=(
            Layer("hidden", activation, (Neuron("h", (("x", "w"),), "b"),), slope),
            Layer("output", "linear", (Neuron("o", (("h", "v"),), None),)),
        ),
        parameters=(("w", 0.5), ("b", -0.5), ("v", 2.0)),
        loss="half_sse",
        learning_rate=LearningRate(0.1),
    )
    trace = run(scenario).first
    assert trace.value("in_h") == 0.0
    assert trace.gradient("in_h") == expected_delta
    assert trace.gradients["w"] == trace.gradients["b"] == expected_delta
    assert_all_close(trace.gradients, autograd_gradients(scenario), EXACT_REL, EXACT_ABS, "∂E/∂p vs autograd")
    assert_all_close(trace.gradients, sympy_gradients(scenario), EXACT_REL, EXACT_ABS, "∂E/∂p vs sympy")
    check_neurons(scenario, trace, sympy_neuron_gradients(scenario), "sympy")


# ── precision of the saturated derivatives ─────────────────────────────────────
#
# σ′ = a(1 − a) and tanh′ = 1 − a² computed from the float a carry a's rounding into
# 1 − |a|: a relative error ≈ ε/(1 − |a|), 3e-10 at tanh z = 8, 3e-7 at z = 12, and an
# exact 0 once a rounds to ±1 (tanh |z| ≳ 19, σ z ≳ 37). These tests found that in bptutor
# and now hold it to full precision: σ′ and tanh′ in float64 must come from z.

SATURATION_POINTS = [("tanh", z) for z in (3.0, 5.0, 8.0, 12.0, 15.0, 18.0, 20.0, 30.0, 300.0)] + [
    ("sigmoid", z) for z in (5.0, 10.0, 20.0, 25.0, 30.0, 40.0, 100.0, 700.0)
]


@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["z>0", "z<0"])
@pytest.mark.parametrize(("activation", "z"), SATURATION_POINTS)
def test_saturated_derivative_keeps_its_digits(activation: str, z: float, sign: float) -> None:
    """One neuron at z = w·1: ∂E/∂w and δ to 1e-12 relative (no absolute floor) against sympy,
    also where a itself rounds to ±1 (the exact derivative is then tiny, not 0)."""
    scenario = saturated(sign * z, activation, hidden=False)
    trace = run(scenario).first
    exact_gradient = sympy_gradients(scenario)["w"]
    exact_delta = sympy_neuron_gradients(scenario).delta["o"]
    assert exact_gradient != 0
    assert close(trace.gradients["w"], exact_gradient, EXACT_REL, 0.0), (trace.gradients["w"], exact_gradient)
    assert close(trace.gradient(scenario.notation.pre("o")), exact_delta, EXACT_REL, 0.0)


def amplified(z: float, activation: str) -> Scenario:
    """x = 1 → h = f(w·x) → o = 100·h (linear), target 0: ∂E/∂w = 10⁴·f(z)·f′(z), not tiny."""
    return Scenario(
        name="amplified",
        inputs=(("x", 1.0),),
        targets=(("o", 0.0),),
        layers=(
            Layer("hidden", activation, (Neuron("h", (("x", "w"),), None),)),
            Layer("output", "linear", (Neuron("o", (("h", "v"),), None),)),
        ),
        parameters=(("w", z), ("v", 100.0)),
        loss="half_sse",
        learning_rate=LearningRate(0.5),
    )


@pytest.mark.parametrize(("activation", "z"), [("tanh", 8.0), ("tanh", -12.0), ("sigmoid", 20.0)])
def test_saturated_hidden_neuron_to_1e_12(activation: str, z: float) -> None:
    """At the usual tolerances, where a(1 − a) / 1 − a² were off by 3e-10 to 4e-8 relative
    (∂E/∂w ≈ 4.5e-3 for tanh at z = 8, ≈ 2e-5 for σ at z = 20)."""
    scenario = amplified(z, activation)
    trace = run(scenario).first
    assert_all_close(trace.gradients, sympy_gradients(scenario), EXACT_REL, EXACT_ABS, "∂E/∂p vs sympy")
    check_neurons(scenario, trace, sympy_neuron_gradients(scenario), "sympy")


# ── scenario files ─────────────────────────────────────────────────────────────

# the layered scenarios (the expression circuits are checked in tests/test_circuit.py)
SCENARIO_FILES = sorted(path for path in (ROOT / "scenarios").glob("*.yaml") if "\nexpression:" not in path.read_text("utf-8"))


def load(path: Path) -> Scenario:
    loader = pytest.importorskip("bptutor.loading.scenario")
    return loader.load_scenario(path)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_hand_built_scenarios_are_the_files(name: str) -> None:
    """The hand-built copies used above describe the same network as the shipped files."""
    loaded, built = load(ROOT / "scenarios" / f"{name}.yaml"), SHIPPED[name]()
    for attribute in ("inputs", "targets", "layers", "parameters", "loss", "learning_rate", "frozen"):
        assert getattr(loaded, attribute) == getattr(built, attribute), attribute
    for neuron in oracles.neuron_names(built):
        assert loaded.notation.pre(neuron) == built.notation.pre(neuron)
        assert loaded.notation.act(neuron) == built.notation.act(neuron)


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_scenario_file_matches_oracles(path: Path) -> None:
    # A file with a rounding policy is checked as the same network in full precision: its
    # rounded numbers are held against hand calculations in test_rounding.py.
    scenario = replace(load(path), rounding=None)
    if not scenario.is_single_example:
        pytest.skip("a training scenario (samples, an optimizer): test_torch_reference.py checks it")
    conventions = getattr(scenario, "conventions", None)
    if conventions is not None and conventions != type(conventions)():
        pytest.skip("non-default conventions: the oracles compute exact float64 gradient descent")
    trace = run(scenario).first
    check_loss(scenario, trace.loss)
    check_forward_values(scenario, trace)
    assert_all_close(trace.gradients, sympy_gradients(scenario), EXACT_REL, EXACT_ABS, "∂E/∂p vs sympy")
    assert_all_close(trace.gradients, autograd_gradients(scenario), EXACT_REL, EXACT_ABS, "∂E/∂p vs autograd")
    if away_from_kinks(scenario) and finite_differences_stay_on_one_side(scenario):
        check_finite_differences(scenario, trace.gradients)
    check_neurons(scenario, trace, sympy_neuron_gradients(scenario), "sympy")
    check_neurons(scenario, trace, autograd_neuron_gradients(scenario), "autograd")
    check_steps(scenario, steps=3, with_sympy=True)
