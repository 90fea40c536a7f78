"""Each row of the operation table, its numeric, sympy and textbook views held against each other."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from bptutor.core.ops import ACTIVATIONS, LOSSES, SIGMOID, SOFTMAX, softmax

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
    t_symbol, o_symbol = sympy.Symbol("t", real=True), sympy.Symbol("o", real=True)
    term = loss.sympy_term(t_symbol, o_symbol)
    derivative = sympy.diff(term, o_symbol)
    points = [(0.01, 0.79), (0.99, 0.2), (0.3, 0.3)] + ([] if loss.fused_with else [(-0.5, 1.5)])
    for target, out in points:
        values = {t_symbol: target, o_symbol: out}
        assert loss.term(target, out) == pytest.approx(float(term.subs(values)), rel=1e-14, abs=1e-300)
        assert loss.term_derivative(target, out) == pytest.approx(float(derivative.subs(values)), rel=1e-14)
        # the textbook form of ∂E/∂out (for one output, n = 1) is the same derivative
        assert float(loss.sympy_derivative(t_symbol, o_symbol, 1).subs(values)) == pytest.approx(
            float(derivative.subs(values)), rel=1e-14
        )
        if loss.numpy_term is not None:
            assert float(loss.numpy_term(np.float64(target), np.float64(out))) == pytest.approx(loss.term(target, out), rel=1e-15)
            assert float(loss.numpy_term_derivative(np.float64(target), np.float64(out))) == pytest.approx(
                loss.term_derivative(target, out), rel=1e-15
            )


@pytest.mark.parametrize("name", sorted(name for name, loss in LOSSES.items() if loss.fused_with))
def test_a_fused_loss_from_logits_is_its_term_of_the_activation(name):
    """bce and cross_entropy computed from the logits equal the term of σ(z) or softmax(z), and −δ = target − out."""
    loss = LOSSES[name]
    logits, targets = [0.4, -1.3, 2.2], [0.2, 0.5, 0.3]
    outs = softmax(logits) if loss.fused_with == "softmax" else [SIGMOID.forward(z, 0.0) for z in logits]
    for value, t, o in zip(loss.logit_terms(targets, logits), targets, outs, strict=True):
        assert value == pytest.approx(loss.term(t, o), rel=1e-14)
    arrays = loss.numpy_logit_terms(np.array([targets]), np.array([logits]))[0]
    assert list(arrays) == pytest.approx(loss.logit_terms(targets, logits), rel=1e-15)


@pytest.mark.parametrize("name", sorted(name for name, loss in LOSSES.items() if loss.fused_with))
@pytest.mark.parametrize("logit", [-800.0, 800.0, -1e5, 1e5])
def test_fused_losses_are_finite_at_huge_logits(name, logit):
    """No log(0) and no overflow at logits of ±800: the loss is exactly the margin it should be."""
    loss = LOSSES[name]
    logits = [logit, -logit] if loss.fused_with == "softmax" else [logit]
    targets = [1.0, 0.0] if loss.fused_with == "softmax" else [1.0]
    (value, *_) = loss.logit_terms(targets, logits)
    expected = 0.0 if logit > 0 else 2 * abs(logit) if loss.fused_with == "softmax" else abs(logit)
    assert value == expected
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        arrays = loss.numpy_logit_terms(np.array([targets]), np.array([logits]))
    assert float(arrays.sum()) == expected


def test_softmax_row_agrees_with_sympy_and_its_jacobian():
    z = sympy.symbols("z0:3", real=True)
    a = sympy.symbols("a0:3", real=True)
    point = [0.3, -1.1, 2.0]
    values = SOFTMAX.forward(point)
    assert sum(values) == pytest.approx(1.0, abs=1e-15)
    for i in range(3):
        expression = SOFTMAX.sympy_forward(z, i)
        assert values[i] == pytest.approx(float(expression.subs(dict(zip(z, point, strict=True)))), rel=1e-14)
        for j in range(3):
            exact = float(sympy.diff(expression, z[j]).subs(dict(zip(z, point, strict=True))))
            assert SOFTMAX.jacobian(values, i, j) == pytest.approx(exact, rel=1e-12)
            textbook = SOFTMAX.sympy_textbook_jacobian(a, i, j).subs(dict(zip(a, values, strict=True)))
            assert float(textbook) == pytest.approx(exact, rel=1e-12)
    assert list(SOFTMAX.numpy_forward(np.array([point]))[0]) == pytest.approx(values, rel=1e-15)
    assert SOFTMAX.forward([800.0, -800.0]) == [1.0, 0.0]


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_numpy_forms_of_the_activations_agree_with_the_rows(name):
    op = ACTIVATIONS[name]
    points = np.array([*POINTS, -800.0, 800.0])
    forward = op.numpy_forward(points, SLOPE)
    derivative = op.numpy_derivative(points, forward, SLOPE)
    for z, a, slope in zip(points, forward, derivative, strict=True):
        assert a == pytest.approx(op.forward(float(z), SLOPE), rel=1e-15)
        assert slope == pytest.approx(op.derivative(float(z), float(a), SLOPE), rel=1e-15)


@pytest.mark.parametrize("z", [-1000.0, -800.0, -40.0, 40.0, 800.0, 1000.0])
def test_sigmoid_does_not_overflow(z):
    value = SIGMOID.forward(z, 0.0)
    assert 0.0 <= value <= 1.0
    assert math.isfinite(SIGMOID.derivative(z, value, 0.0))


def test_sigmoid_is_exact_at_zero_and_symmetric():
    assert SIGMOID.forward(0.0, 0.0) == 0.5
    for z in (0.3, 1.7, 12.0):
        assert SIGMOID.forward(z, 0.0) + SIGMOID.forward(-z, 0.0) == pytest.approx(1.0, abs=1e-16)
