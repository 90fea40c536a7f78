"""Pins for the graph and the conventions: frozen weights, shared parameters, what counts as a bias.

Expected values are worked by hand (small linear networks, decimals written out) or computed
here with plain floats, never taken from the tracer.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from bptutor.core.graph import build
from bptutor.core.scenario import LearningRate
from bptutor.core.trace import run
from bptutor.errors import ScenarioError
from bptutor.loading.scenario import load_scenario_text

CLOSE = {"rel": 1e-12, "abs": 1e-15}


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_a_frozen_weight_stays_as_it_was_in_the_hidden_error_terms(two_two_two):
    """hidden_error_weights: updated with w5 frozen: δ_h1 = (w5·δ_o1 + w7′·δ_o2)·out_h1(1 − out_h1), w5 = 0.5."""
    out_h1 = sigmoid(0.1 * 0.1 + 0.2 * 0.2 + 0.55)
    out_h2 = sigmoid(0.3 * 0.1 + 0.4 * 0.2 + 0.56)
    out_o1 = sigmoid(0.5 * out_h1 + 0.6 * out_h2 + 0.66)
    out_o2 = sigmoid(0.7 * out_h1 + 0.8 * out_h2 + 0.67)
    delta_o1 = -(0.01 - out_o1) * out_o1 * (1 - out_o1)
    delta_o2 = -(0.99 - out_o2) * out_o2 * (1 - out_o2)
    w7_new = 0.7 - 0.5 * delta_o2 * out_h1  # the output layer learns at η = 0.5
    expected = (0.5 * delta_o1 + w7_new * delta_o2) * out_h1 * (1 - out_h1)
    w5_new = 0.5 - 0.5 * delta_o1 * out_h1
    if_updated = (w5_new * delta_o1 + w7_new * delta_o2) * out_h1 * (1 - out_h1)
    assert abs(expected - if_updated) > 1e-4  # the two readings are far apart

    scenario = replace(
        two_two_two,
        frozen=("w5",),
        conventions=replace(two_two_two.conventions, hidden_error_weights="updated"),
    )
    step = run(scenario).first
    assert step.gradient("in_h1") == pytest.approx(expected, **CLOSE)
    (w5,) = [update for update in step.updates if update.parameter == "w5"]
    assert w5.frozen and w5.new == w5.old == 0.5


SHARED = """\
name: shared
inputs: {x: 1}
targets: {o: 0.5}
layers:
  - name: hidden
    activation: sigmoid
    neurons:
      h: {bias: b1, weights: {x: s}}
  - name: out
    activation: sigmoid
    neurons:
      o: {bias: b2, weights: {h: s}}
parameters: {s: 0.5, b1: 0.1, b2: 0.2}
loss: half_sse
"""


def test_a_parameter_shared_by_layers_with_different_rates_is_refused():
    """Refused where the file says it (the loader, at learning_rate's line), and by the graph for a
    Scenario made in code, which no loader has checked."""
    with pytest.raises(ScenarioError, match="'s' is shared by layers with different learning rates") as caught:
        load_scenario_text(SHARED + "learning_rate: {default: 0.5, hidden: 0.1}\n", "shared.yaml")
    assert caught.value.field == "learning_rate" and caught.value.location.line is not None
    settled = load_scenario_text(SHARED + "learning_rate: {default: 0.5, hidden: 0.1, s: 0.2}\n", "shared.yaml")
    unsettled = replace(settled, learning_rate=LearningRate(0.5, by_layer=(("hidden", 0.1),)))
    with pytest.raises(ScenarioError, match="'s' is shared by layers with different learning rates"):
        build(unsettled)


@pytest.mark.parametrize(
    ("rates", "rate_of_s"),
    [
        ("{default: 0.5, hidden: 0.1, s: 0.2}", 0.2),  # its own entry settles it
        ("{default: 0.5, hidden: 0.5}", 0.5),  # both layers at the same rate
        ("0.3", 0.3),
    ],
)
def test_a_shared_parameter_with_one_rate_is_accepted(rates, rate_of_s):
    graph = build(load_scenario_text(SHARED + f"learning_rate: {rates}\n", "shared.yaml"))
    assert dict(graph.learning_rates)["s"] == rate_of_s


BIAS_AND_WEIGHT = """\
name: bias_and_weight
inputs: {x: 1}
targets: {o: 0.5}
layers:
  - name: hidden
    activation: linear
    neurons:
      h: {bias: s, weights: {x: w}}
  - name: out
    activation: linear
    neurons:
      o: {bias: b, weights: {h: s}}
parameters: {w: 0.5, s: 0.2, b: 0.1}
loss: half_sse
learning_rate: 0.5
update_biases: false
"""


def test_update_biases_false_keeps_a_parameter_that_is_also_a_weight_learning():
    """s is h's bias and o's weight: only b, a bias and nothing else, is kept.

    h = w·x + s = 0.5 + 0.2 = 0.7; o = s·h + b = 0.14 + 0.1 = 0.24; ∂E/∂o = −(0.5 − 0.24) = −0.26;
    ∂E/∂s = −0.26 × (h + s·1) = −0.26 × 0.9 = −0.234, so s′ = 0.2 + 0.5 × 0.234 = 0.317;
    ∂E/∂w = −0.26 × s × x = −0.052, so w′ = 0.5 + 0.026 = 0.526; b stays 0.1.
    """
    scenario = load_scenario_text(BIAS_AND_WEIGHT, "bias_and_weight.yaml")
    assert build(scenario).frozen == ("b",)
    step = run(scenario).first
    new = step.new_parameters
    assert new["s"] == pytest.approx(0.317, **CLOSE)
    assert new["w"] == pytest.approx(0.526, **CLOSE)
    assert new["b"] == 0.1
    assert step.gradients["b"] == pytest.approx(-0.26, **CLOSE)  # still computed and shown
