"""Pins for operations at their kinks and for training conventions, each a fault no other test noticed.

Every expected value is worked by hand in the test (small linear or ReLU networks).
"""

from __future__ import annotations

import pytest

from bptutor.core.trace import run
from bptutor.loading.scenario import load_scenario_text

CLOSE = {"rel": 1e-12, "abs": 1e-15}

KINK = """\
name: kink
inputs: {x: 1}
targets: {o: 1}
layers:
  - name: out
    activation: ACTIVATION
    neurons:
      o: {bias: b, weights: {x: w}}
parameters: {w: 0.5, b: -0.5}
loss: half_sse
learning_rate: 0.5
"""


def test_relu_prime_at_zero_is_zero():
    """z = 0.5 × 1 − 0.5 = 0 exactly: ReLU′(0) is taken as 0 (as PyTorch takes it), so nothing flows back."""
    step = run(load_scenario_text(KINK.replace("ACTIVATION", "relu"), "kink.yaml")).first
    assert step.value("in_o") == 0.0 and step.value("out_o") == 0.0
    assert step.gradient("out_o") == -1.0  # −(t − out) = −(1 − 0)
    assert step.gradient("in_o") == 0.0
    assert step.gradients == {"w": 0.0, "b": 0.0}


def test_leaky_relu_prime_at_zero_is_the_slope():
    """Leaky ReLU at z = 0 is on its sloped side: ∂out/∂in = α = 0.01, so δ = −1 × 0.01."""
    text = KINK.replace("activation: ACTIVATION", "activation: leaky_relu\n    slope: 0.01")
    step = run(load_scenario_text(text, "kink.yaml")).first
    assert step.value("in_o") == 0.0
    assert step.gradient("in_o") == pytest.approx(-0.01, **CLOSE)


TRAINING = """\
name: frozen_training
layers:
  - name: out
    activation: linear
    neurons:
      o: {bias: b, weights: {x: w}}
parameters: {w: 0.5, b: 0.1}
samples:
  - {inputs: {x: 1}, targets: {o: 1}}
  - {inputs: {x: 2}, targets: {o: 0}}
training: {steps: 1, batch_size: all}
loss: half_sse
learning_rate: 0.1
frozen: [b]
"""


def test_a_frozen_parameter_stays_frozen_in_training():
    """Outputs 0.5 + 0.1 = 0.6 and 1.0 + 0.1 = 1.1. ∂E/∂w: −(1 − 0.6) × 1 = −0.4 and −(0 − 1.1) × 2 = 2.2,
    mean 0.9, so w′ = 0.5 − 0.1 × 0.9 = 0.41. ∂E/∂b: −0.4 and 1.1, mean 0.35, shown; b stays 0.1."""
    step = run(load_scenario_text(TRAINING, "frozen_training.yaml")).first
    w, b = step.updates
    assert w.parameter == "w" and not w.frozen
    assert w.gradient == pytest.approx(0.9, **CLOSE)
    assert w.new == pytest.approx(0.41, **CLOSE)
    assert b.parameter == "b" and b.frozen
    assert b.per_sample == pytest.approx((-0.4, 1.1), **CLOSE)
    assert b.gradient == pytest.approx(0.35, **CLOSE)
    assert b.new == 0.1
