"""Pins for the optimizers in the quick loop: one parameter, each rule worked by hand.

p = 2, g = 0.5, η = 0.1 throughout (the slower tests hold every optimizer against PyTorch).
"""

from __future__ import annotations

import pytest

from bptutor.core.optim import initial_state, update
from bptutor.core.scenario import Optimizer

CLOSE = {"rel": 1e-12, "abs": 1e-15}


def test_sgd_with_weight_decay():
    """g + λ·p = 0.5 + 0.1 × 2 = 0.7, so p′ = 2 − 0.1 × 0.7 = 1.93."""
    step = update(Optimizer(name="sgd", weight_decay=0.1), 2.0, 0.5, (), 0.1, 1)
    assert step.gradient == pytest.approx(0.7, **CLOSE)
    assert step.new == pytest.approx(1.93, **CLOSE)


def test_momentum_two_steps():
    """v₁ = 0.9 × 0 + 0.5 = 0.5, p₁ = 2 − 0.05 = 1.95; v₂ = 0.9 × 0.5 + 0.5 = 0.95, p₂ = 1.95 − 0.095 = 1.855."""
    optimizer = Optimizer(name="momentum", beta=0.9)
    first = update(optimizer, 2.0, 0.5, initial_state(optimizer, 0.0), 0.1, 1)
    assert first.state == pytest.approx((0.5,), **CLOSE) and first.new == pytest.approx(1.95, **CLOSE)
    second = update(optimizer, first.new, 0.5, first.state, 0.1, 2)
    assert second.state == pytest.approx((0.95,), **CLOSE)
    assert second.new == pytest.approx(1.855, **CLOSE)


def test_adam_first_step_with_a_large_epsilon():
    """m = 0.1 × 0.5 = 0.05, s = 0.001 × 0.25 = 0.00025; m̂ = 0.05/0.1 = 0.5, ŝ = 0.00025/0.001 = 0.25;
    p′ = 2 − 0.1 × 0.5/(√0.25 + 0.25) = 2 − 0.1 × 2/3."""
    optimizer = Optimizer(name="adam", beta1=0.9, beta2=0.999, epsilon=0.25)
    step = update(optimizer, 2.0, 0.5, initial_state(optimizer, 0.0), 0.1, 1)
    assert step.state == pytest.approx((0.05, 0.00025), **CLOSE)
    assert step.corrected == pytest.approx((0.5, 0.25), **CLOSE)
    assert step.new == pytest.approx(2 - 0.1 * 2 / 3, **CLOSE)


def test_adam_second_step():
    """t = 2 from m = 0.05, s = 0.00025 and g = 0.5 again: m = 0.9 × 0.05 + 0.05 = 0.095, s = 0.999 × 0.00025
    + 0.00025 = 0.00049975; m̂ = 0.095/(1 − 0.81) = 0.5, ŝ = 0.00049975/(1 − 0.998001) = 0.25."""
    optimizer = Optimizer(name="adam", beta1=0.9, beta2=0.999, epsilon=0.25)
    step = update(optimizer, 1.0, 0.5, (0.05, 0.00025), 0.1, 2)
    assert step.state == pytest.approx((0.095, 0.00049975), **CLOSE)
    assert step.corrected == pytest.approx((0.5, 0.25), **CLOSE)
    assert step.new == pytest.approx(1 - 0.1 * 0.5 / (0.5 + 0.25), **CLOSE)
