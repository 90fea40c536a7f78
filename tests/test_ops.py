"""Each row of the operation table, its numeric, sympy and textbook views held against each other."""

from __future__ import annotations

import math

import pytest
import sympy

from bptutor.ops import ACTIVATIONS, LOSSES, SIGMOID

POINTS = [-3.0, -0.7, -0.01, 0.02, 0.6, 2.5]
SLOPE = 0.1


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_rows_agree(name):
    op = ACTIVATIONS[name]
    z_symbol, a_symbol = sympy.Symbol("z"), sympy.Symbol("a")
    slope = sympy.Float(SLOPE)
    forward = op.sympy_forward(z_symbol, slope)
    derivative = sympy.diff(forward, z_symbol)
    textbook = op.sympy_textbook_derivative(z_symbol, a_symbol, slope)
    for z in POINTS:
        a = op.forward(z, SLOPE)
        assert a == pytest.approx(float(forward.subs(z_symbol, z)), rel=1e-14, abs=1e-15)
        numeric = op.derivative(z, a, SLOPE)
        assert numeric == pytest.approx(float(derivative.subs(z_symbol, z)), rel=1e-12, abs=1e-15)
        assert numeric == pytest.approx(float(textbook.subs({z_symbol: z, a_symbol: a})), rel=1e-12, abs=1e-15)
        step = 1e-6
        central = (op.forward(z + step, SLOPE) - op.forward(z - step, SLOPE)) / (2 * step)
        assert numeric == pytest.approx(central, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_rows_agree(name):
    loss = LOSSES[name]
    t_symbol, o_symbol = sympy.Symbol("t"), sympy.Symbol("o")
    term = loss.sympy_term(t_symbol, o_symbol)
    derivative = sympy.diff(term, o_symbol)
    for target, out in [(0.01, 0.79), (0.99, 0.2), (-0.5, 1.5)]:
        values = {t_symbol: target, o_symbol: out}
        assert loss.term(target, out) == pytest.approx(float(term.subs(values)), rel=1e-14)
        assert loss.term_derivative(target, out) == pytest.approx(float(derivative.subs(values)), rel=1e-14)


@pytest.mark.parametrize("z", [-1000.0, -800.0, -40.0, 40.0, 800.0, 1000.0])
def test_sigmoid_does_not_overflow(z):
    value = SIGMOID.forward(z, 0.0)
    assert 0.0 <= value <= 1.0
    assert math.isfinite(SIGMOID.derivative(z, value, 0.0))


def test_sigmoid_is_exact_at_zero_and_symmetric():
    assert SIGMOID.forward(0.0, 0.0) == 0.5
    for z in (0.3, 1.7, 12.0):
        assert SIGMOID.forward(z, 0.0) + SIGMOID.forward(-z, 0.0) == pytest.approx(1.0, abs=1e-16)
