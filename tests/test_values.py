"""The shipped scenarios' numbers, asserted against values derived outside bptutor.

two_two_two: the exact float64 values stated for the 2-2-2 example of the BP
notes (section 2.2.2). The notes' own printed numbers contain slips (out_h2 is
printed as σ(0.66) instead of σ(0.67), for one); these are the right ones.

one_one_one: derived below step by step with mpmath at 30 digits from the
slide's givens (x = 1, y = 0.8, w_h = 0.2, b_h = 0.1, w_o = 0.3, b_o = 0.2,
η = 0.5); the slides round each value to 2 decimals, so their printed numbers
(y_h = 0.57, …) differ from these full-precision ones.
"""

from __future__ import annotations

import itertools

import pytest
from mpmath import exp, mp, mpf

from bptutor.core.trace import run

TEN_DIGITS = {"rel": 0, "abs": 5e-11}  # the stated values are rounded to 10 decimals


def test_two_two_two_forward_and_loss(two_two_two):
    step = run(two_two_two).first
    assert step.value("out_h1") == pytest.approx(0.6456563062, **TEN_DIGITS)
    assert step.value("out_h2") == pytest.approx(0.6615031592, **TEN_DIGITS)
    assert step.value("out_o1") == pytest.approx(0.7989476414, **TEN_DIGITS)
    assert step.value("out_o2") == pytest.approx(0.8390480283, **TEN_DIGITS)
    assert step.loss == pytest.approx(0.3226124393, **TEN_DIGITS)


def test_two_two_two_chain_rule_factors(two_two_two):
    step = run(two_two_two).first
    assert step.gradient("out_o1") == pytest.approx(0.7889476414, **TEN_DIGITS)
    (term,) = [t for s in step.backward if s.quantity == "in_o1" for t in s.terms]
    assert term.local.value == pytest.approx(0.1606303077, **TEN_DIGITS)  # ∂out_o1/∂in_o1
    assert step.gradients["w5"] == pytest.approx(0.0818233150, **TEN_DIGITS)
    assert step.gradients["w1"] == pytest.approx(0.0011232067, **TEN_DIGITS)


def test_two_two_two_updates_use_per_layer_rates(two_two_two):
    step = run(two_two_two).first
    assert step.new_parameters["w5"] == pytest.approx(0.4590883425, **TEN_DIGITS)  # η = 0.5
    assert step.new_parameters["w1"] == pytest.approx(0.0998876793, **TEN_DIGITS)  # hidden: η = 0.1
    rates = {u.parameter: u.rate for u in step.updates}
    assert rates == {"w1": 0.1, "w2": 0.1, "w3": 0.1, "w4": 0.1, "b1": 0.1, "b2": 0.1,
                     "w5": 0.5, "w6": 0.5, "w7": 0.5, "w8": 0.5, "b3": 0.5, "b4": 0.5}


def _one_one_one_by_hand() -> dict[str, mpf]:
    mp.dps = 30
    sigma = lambda z: 1 / (1 + exp(-z))  # noqa: E731
    x, y = mpf(1), mpf("0.8")
    w_h, b_h, w_o, b_o, eta = mpf("0.2"), mpf("0.1"), mpf("0.3"), mpf("0.2"), mpf("0.5")
    y_h = sigma(w_h * x + b_h)
    y_o = sigma(w_o * y_h + b_o)
    loss = (y - y_o) ** 2 / 2
    delta_o = -(y - y_o) * y_o * (1 - y_o)
    delta_h = delta_o * w_o * y_h * (1 - y_h)
    return {
        "y_h": y_h, "y_o": y_o, "Loss": loss, "δ_o": delta_o, "δ_h": delta_h,
        "∂w_o": delta_o * y_h, "∂b_o": delta_o, "∂w_h": delta_h * x, "∂b_h": delta_h,
        "w_o'": w_o - eta * delta_o * y_h, "b_o'": b_o - eta * delta_o,
        "w_h'": w_h - eta * delta_h * x, "b_h'": b_h - eta * delta_h,
    }


def test_one_one_one_against_hand_derivation(one_one_one):
    expected = _one_one_one_by_hand()
    step = run(one_one_one).first
    close = {"rel": 1e-13, "abs": 1e-16}
    assert step.value("y_h") == pytest.approx(float(expected["y_h"]), **close)
    assert step.value("y_o") == pytest.approx(float(expected["y_o"]), **close)
    assert step.loss == pytest.approx(float(expected["Loss"]), **close)
    assert step.gradient("z_o") == pytest.approx(float(expected["δ_o"]), **close)
    assert step.gradient("z_h") == pytest.approx(float(expected["δ_h"]), **close)
    for name in ("w_o", "b_o", "w_h", "b_h"):
        assert step.gradients[name] == pytest.approx(float(expected[f"∂{name}"]), **close)
        assert step.new_parameters[name] == pytest.approx(float(expected[f"{name}'"]), **close)


def test_one_one_one_printed_values(one_one_one):
    """The same values as 10-decimal literals (from the mpmath derivation above)."""
    step = run(one_one_one).first
    assert step.value("y_h") == pytest.approx(0.5744425168, **TEN_DIGITS)
    assert step.value("y_o") == pytest.approx(0.5920225338, **TEN_DIGITS)
    assert step.loss == pytest.approx(0.0216273132, **TEN_DIGITS)
    assert step.gradients["w_o"] == pytest.approx(-0.0288560760, **TEN_DIGITS)
    assert step.gradients["w_h"] == pytest.approx(-0.0036839757, **TEN_DIGITS)
    assert step.new_parameters["w_o"] == pytest.approx(0.3144280380, **TEN_DIGITS)
    assert step.new_parameters["b_h"] == pytest.approx(0.1018419879, **TEN_DIGITS)


def test_steps_repeat_the_update_and_report_the_final_loss(two_two_two):
    result = run(two_two_two, steps=3)
    assert len(result.steps) == 3
    for before, after in itertools.pairwise(result.steps):
        assert {u.parameter: u.old for u in after.updates} == before.new_parameters
    assert result.final_loss < result.steps[-1].loss < result.steps[0].loss
    assert result.final_loss == run(two_two_two.with_parameters(result.steps[-1].new_parameters)).first.loss


def test_frozen_parameters_keep_their_value_but_show_their_gradient(two_two_two):
    from dataclasses import replace

    frozen = replace(two_two_two, frozen=("w5", "b1"))
    step = run(frozen).first
    updates = {u.parameter: u for u in step.updates}
    assert updates["w5"].frozen and updates["w5"].new == 0.5
    assert updates["w5"].gradient == pytest.approx(0.0818233150, **TEN_DIGITS)
    assert updates["b1"].new == 0.55
    assert not updates["w6"].frozen
