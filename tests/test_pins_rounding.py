"""Pins for the hand-rounding path: each test fails on a wrong version a mutation run planted.

Every expected number is worked out in the test, with the arithmetic written down; the
tracer and the grader are only ever the thing under test.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest

from bptutor.core.trace import run
from bptutor.loading.scenario import load_scenario, load_scenario_text
from bptutor.teach.answers import Claim
from bptutor.teach.check import check
from bptutor.teach.grading import RIGHT, WRONG

ROOT = Path(__file__).resolve().parent.parent
D = Decimal

ONE_TANH_NEURON = """\
name: tanh_rounded
inputs: {x: 1}
targets: {o: 0.5}
layers:
  - name: out
    activation: tanh
    neurons:
      o: {bias: b, weights: {x: w}}
parameters: {w: WEIGHT, b: 0}
loss: half_sse
learning_rate: 0.5
rounding: {activations: 2}
"""


def tanh_neuron(weight: str):
    return load_scenario_text(ONE_TANH_NEURON.replace("WEIGHT", weight), "tanh_rounded.yaml")


def local_factor(step, quantity: str) -> Decimal:
    (term,) = [term for record in step.backward if record.quantity == quantity for term in record.terms]
    return term.local.value


@pytest.mark.parametrize("weight", ["0.5", "-0.5"])
def test_tanh_prime_under_a_policy_is_one_minus_the_written_out_squared(weight):
    """z = ±0.5, out = tanh(±0.5) = ±0.4621… written as ±0.46, tanh′ = 1 − 0.46² = 1 − 0.2116 = 0.7884.

    Both branches of the decimal tanh run (z ≥ 0 and z < 0); 1 − out would give 0.54 or 1.46.
    """
    sign = 1 if weight == "0.5" else -1
    assert 0.455 < math.tanh(0.5) < 0.465  # so tanh(0.5) written to 2 decimals is 0.46
    step = run(tanh_neuron(weight)).first
    assert step.value("in_o") == D(weight)
    assert step.value("out_o") == sign * D("0.46")
    assert local_factor(step, "in_o") == D("0.7884")
    # ∂E/∂out = −(t − out) = −(0.5 ∓ 0.46); δ = that × 0.7884; w′ = w − 0.5·δ·x
    upstream = -(D("0.5") - sign * D("0.46"))
    assert step.gradient("out_o") == upstream
    delta = upstream * D("0.7884")
    assert delta == (D("-0.031536") if sign == 1 else D("-0.756864"))
    assert step.gradients["w"] == delta
    assert step.new_parameters["w"] == D(weight) - D("0.5") * delta


SLIDES = (ROOT / "scenarios" / "one_one_one_rounded.yaml").read_text(encoding="utf-8")


def slides_with(rounding: str):
    return load_scenario_text(SLIDES.replace("rounding: {activations: 2}", rounding), "zero_decimals.yaml")


def test_a_policy_of_zero_decimals_rounds_to_whole_numbers():
    """activations: 0 is a policy (round to integers), not the absence of one.

    y_h = σ(0.2 × 1 + 0.1) = σ(0.3) = 0.574… → 1; z_o = 0.3 × 1 + 0.2 = 0.5; y_o = σ(0.5) = 0.622… → 1;
    Loss = ½(0.8 − 1)² = 0.02.
    """
    scenario = slides_with("rounding: {activations: 0}")
    assert scenario.rounding is not None and scenario.rounding.activations == 0
    assert 0.5 < 1 / (1 + math.exp(-0.3)) < 1 and 0.5 < 1 / (1 + math.exp(-0.5)) < 1
    step = run(scenario).first
    assert step.value("y_h") == D(1)
    assert step.value("z_o") == D("0.5")
    assert step.value("y_o") == D(1)
    assert step.loss == D("0.02")


def test_pre_activations_to_zero_decimals():
    """z_h = 0.3 → 0, so y_h = σ(0) = ½ exactly; z_o = 0.3 × 0.5 + 0.2 = 0.35 → 0 (half up), y_o = ½."""
    step = run(slides_with("rounding: {pre_activations: 0}")).first
    assert step.value("z_h") == 0 and step.value("y_h") == D("0.5")
    assert step.value("z_o") == 0 and step.value("y_o") == D("0.5")
    assert step.loss == D("0.045")  # ½(0.8 − 0.5)² = ½ × 0.09


@pytest.fixture(scope="module")
def slides():
    return load_scenario(ROOT / "scenarios" / "one_one_one_rounded.yaml")


def exact_y_o() -> float:
    """The slides' network computed without rounding: y_o = σ(0.3·σ(0.3) + 0.2) = 0.59202…"""
    y_h = 1 / (1 + math.exp(-0.3))
    return 1 / (1 + math.exp(-(0.3 * y_h + 0.2)))


def test_under_a_policy_the_exact_value_is_right_too(slides):
    """The policy writes y_o = 0.59 (from y_h = 0.57); the exact y_o = 0.5920… is also right, as documented."""
    exact = exact_y_o()
    assert f"{exact:.4f}" == "0.5920" and abs(exact * 1e4 - 5920) < 0.4  # far from a rounding tie
    assert verdict(check(slides, [Claim.of("y_o", "0.5920")]), "y_o") == RIGHT  # the exact value
    assert verdict(check(slides, [Claim.of("y_o", "0.5900")]), "y_o") == RIGHT  # the policy's value
    assert verdict(check(slides, [Claim.of("y_o", "0.5910")]), "y_o") == WRONG  # neither


def verdict(report, name: str) -> str:
    (row,) = [row for row in report.rows if row.step.name == name]
    return row.verdict
