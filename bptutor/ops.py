"""The one table of operations: every activation and loss in one record each.

Each record carries its numeric forward value, its numeric derivative, the
textbook formulas shown to students (σ(1 − σ) rather than e^(−z)/(1 + e^(−z))²),
and its sympy form. Tests check the views of each row against each other.
Adding an activation is adding one row.

sympy is imported only inside the `sympy_*` functions, so the numeric path
(`bptutor run`) never pays for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bptutor.formula import TIMES, Formula, Ref

# ── activations ────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Activation:
    """a = f(z). Derivatives may use z, a and the leaky slope."""

    name: str
    symbol: str  # the name of f in formulas: σ, tanh, ReLU, …
    forward: Callable[[Any, Any], Any]  # (z, slope) → a, for floats or Decimals alike
    derivative: Callable[[Any, Any, Any], Any]  # (z, a, slope) → da/dz
    definition: Callable[[Ref, float], Formula]  # f(z) written out, e.g. 1/(1 + e^(−z))
    textbook_derivative: Callable[[Ref, Ref, float], Formula]  # e.g. a(1 − a)
    sympy_forward: Callable[[Any, Any], Any]  # (z symbol, slope) → sympy expression
    sympy_textbook_derivative: Callable[[Any, Any, Any], Any]  # (z, a, slope) → da/dz in textbook form
    saturates: bool = False  # whether f′ can underflow to exactly 0 in float64 for large |z|


def _like(z: Any, value: int) -> Any:
    """The integer `value` as the same kind of number as z (float or Decimal)."""
    return Decimal(value) if isinstance(z, Decimal) else float(value)


def _exp(z: Any) -> Any:
    return z.exp() if isinstance(z, Decimal) else math.exp(z)


def _sigmoid(z: Any, slope: Any = 0.0) -> Any:
    """σ(z) = 1/(1 + e^(−z)), in the branch that cannot overflow (floats or decimals)."""
    if z >= 0:
        return 1 / (1 + _exp(-z))
    exp_z = _exp(z)
    return exp_z / (1 + exp_z)


def _sigmoid_derivative(z: Any, a: Any, slope: Any = 0.0) -> Any:
    """σ′(z) = σ(z)(1 − σ(z)).

    With decimals (a hand calculation) it is a(1 − a) from the written-down a, as
    a person computes it. With floats it is e^(−|z|)/(1 + e^(−|z|))², which keeps
    every digit where a(1 − a) would lose them: for z = 20, 1 − a keeps only 8.
    """
    if isinstance(z, Decimal):
        return a * (1 - a)
    small = math.exp(-abs(z))
    return small / (1.0 + small) ** 2


def _tanh_derivative(z: Any, a: Any, slope: Any = 0.0) -> Any:
    """tanh′(z) = 1 − tanh²(z): from the written-down a with decimals; 4e^(−2|z|)/(1 + e^(−2|z|))² with floats."""
    if isinstance(z, Decimal):
        return 1 - a * a
    small = math.exp(-2.0 * abs(z))
    return 4.0 * small / (1.0 + small) ** 2


def _tanh(z: Any, slope: Any = 0.0) -> Any:
    """tanh z = (1 − e^(−2z))/(1 + e^(−2z)), in the branch that cannot overflow."""
    if not isinstance(z, Decimal):
        return math.tanh(z)
    if z >= 0:
        small = (-2 * z).exp()
        return (1 - small) / (1 + small)
    small = (2 * z).exp()
    return (small - 1) / (small + 1)


def _sympy_sigmoid(z: Any, slope: Any) -> Any:
    import sympy

    # built unevaluated: it prints as written, and skips sympy's costly first simplification
    return sympy.Pow(sympy.Add(1, sympy.exp(-z, evaluate=False), evaluate=False), -1, evaluate=False)


def _sympy_tanh(z: Any, slope: Any) -> Any:
    import sympy

    return sympy.tanh(z)


def _sympy_relu(z: Any, slope: Any) -> Any:
    import sympy

    return sympy.Piecewise((z, z > 0), (0, True))


def _sympy_relu_derivative(z: Any, a: Any, slope: Any) -> Any:
    import sympy

    return sympy.Piecewise((1, z > 0), (0, True))


def _sympy_leaky(z: Any, slope: Any) -> Any:
    import sympy

    return sympy.Piecewise((z, z > 0), (slope * z, True))


def _sympy_leaky_derivative(z: Any, a: Any, slope: Any) -> Any:
    import sympy

    return sympy.Piecewise((1, z > 0), (slope, True))


def _sympy_one(z: Any, a: Any, slope: Any) -> Any:
    import sympy

    return sympy.Integer(1)


def _step_formula(z: Ref, when_positive: str, otherwise: str) -> Formula:
    """ReLU-style derivative: shows which branch applies for this z."""
    if z.value > 0:
        return (when_positive, " (since ", z, " > 0)")
    return (otherwise, " (since ", z, " ≤ 0)")


SIGMOID = Activation(
    name="sigmoid",
    symbol="σ",
    forward=_sigmoid,
    derivative=_sigmoid_derivative,
    definition=lambda z, slope: ("1/(1 + e^(−", z, "))"),
    textbook_derivative=lambda z, a, slope: (a, TIMES, "(1 − ", a, ")"),
    sympy_forward=_sympy_sigmoid,
    sympy_textbook_derivative=lambda z, a, slope: a * (1 - a),
    saturates=True,
)

TANH = Activation(
    name="tanh",
    symbol="tanh",
    forward=_tanh,
    derivative=_tanh_derivative,
    definition=lambda z, slope: ("(e^", z, " − e^(−", z, "))/(e^", z, " + e^(−", z, "))"),
    textbook_derivative=lambda z, a, slope: ("1 − ", a, "²"),
    sympy_forward=_sympy_tanh,
    sympy_textbook_derivative=lambda z, a, slope: 1 - a**2,
    saturates=True,
)

RELU = Activation(
    name="relu",
    symbol="ReLU",
    forward=lambda z, slope: z if z > 0 else _like(z, 0),
    derivative=lambda z, a, slope: _like(z, 1 if z > 0 else 0),
    definition=lambda z, slope: ("max(0, ", z, ")"),
    textbook_derivative=lambda z, a, slope: _step_formula(z, "1", "0"),
    sympy_forward=_sympy_relu,
    sympy_textbook_derivative=_sympy_relu_derivative,
)

LEAKY_RELU = Activation(
    name="leaky_relu",
    symbol="LeakyReLU",
    forward=lambda z, slope: z if z > 0 else slope * z,
    derivative=lambda z, a, slope: _like(z, 1) if z > 0 else slope,
    definition=lambda z, slope: (z, " if ", z, " > 0, else ", Ref("α", slope), TIMES, z),
    textbook_derivative=lambda z, a, slope: _step_formula(z, "1", f"α = {slope!r}"),
    sympy_forward=_sympy_leaky,
    sympy_textbook_derivative=_sympy_leaky_derivative,
)

LINEAR = Activation(
    name="linear",
    symbol="id",
    forward=lambda z, slope: z,
    derivative=lambda z, a, slope: _like(z, 1),
    definition=lambda z, slope: (z,),
    textbook_derivative=lambda z, a, slope: ("1",),
    sympy_forward=lambda z, slope: z,
    sympy_textbook_derivative=_sympy_one,
)

ACTIVATIONS: dict[str, Activation] = {
    op.name: op for op in (SIGMOID, TANH, RELU, LEAKY_RELU, LINEAR)
}

# ── losses ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Loss:
    """E = Σ term(t, o), or the mean of the terms. n is the number of output neurons."""

    name: str
    description: str
    mean: bool  # E is the mean of the terms (else their sum)
    term: Callable[[Any, Any], Any]  # (target, out) → one output's term (floats or Decimals)
    term_derivative: Callable[[Any, Any], Any]  # d term / d out
    term_formula: Callable[[Ref, Ref], Formula]
    derivative_formula: Callable[[Ref, Ref, int], Formula]  # ∂E/∂out, including any 1/n
    error_formula: Callable[[Ref, Ref, int], Formula]  # the textbook error −∂E/∂out
    sympy_term: Callable[[Any, Any], Any]
    # the textbook forms of ∂E/∂out and of the error −∂E/∂out, unevaluated so they print as written
    sympy_derivative: Callable[[Any, Any, int], Any]
    sympy_error: Callable[[Any, Any, int], Any]


def _difference(t: Any, o: Any) -> Any:
    import sympy

    return sympy.Add(t, -o, evaluate=False)


def _scaled(coefficient: Any, t: Any, o: Any) -> Any:
    """coefficient·(t − o), kept as written: −(t − o), 2(t − o), −(2/n)(t − o)."""
    import sympy

    if coefficient == 1:
        return _difference(t, o)
    return sympy.Mul(sympy.Rational(coefficient), _difference(t, o), evaluate=False)


def _fraction(numerator: int, denominator: int) -> Any:
    import sympy

    return sympy.Rational(numerator, denominator)


HALF_SSE = Loss(
    name="half_sse",
    description="E = Σ ½(target − out)²",
    mean=False,
    term=lambda t, o: (t - o) ** 2 / 2,
    term_derivative=lambda t, o: -(t - o),
    term_formula=lambda t, o: ("½(", t, " − ", o, ")²"),
    derivative_formula=lambda t, o, n: ("−(", t, " − ", o, ")"),
    error_formula=lambda t, o, n: ("(", t, " − ", o, ")"),
    sympy_term=lambda t, o: (t - o) ** 2 / 2,
    sympy_derivative=lambda t, o, n: _scaled(-1, t, o),
    sympy_error=lambda t, o, n: _scaled(1, t, o),
)

SSE = Loss(
    name="sse",
    description="E = Σ (target − out)²",
    mean=False,
    term=lambda t, o: (t - o) ** 2,
    term_derivative=lambda t, o: -2 * (t - o),
    term_formula=lambda t, o: ("(", t, " − ", o, ")²"),
    derivative_formula=lambda t, o, n: ("−2(", t, " − ", o, ")"),
    error_formula=lambda t, o, n: ("2(", t, " − ", o, ")"),
    sympy_term=lambda t, o: (t - o) ** 2,
    sympy_derivative=lambda t, o, n: _scaled(-2, t, o),
    sympy_error=lambda t, o, n: _scaled(2, t, o),
)

MSE = Loss(
    name="mse",
    description="E = (1/n) Σ (target − out)², the mean over the n output neurons",
    mean=True,
    term=lambda t, o: (t - o) ** 2,
    term_derivative=lambda t, o: -2 * (t - o),
    term_formula=lambda t, o: ("(", t, " − ", o, ")²"),
    derivative_formula=lambda t, o, n: ("−2(", t, " − ", o, f")/{n}"),
    error_formula=lambda t, o, n: ("2(", t, " − ", o, f")/{n}"),
    sympy_term=lambda t, o: (t - o) ** 2,
    sympy_derivative=lambda t, o, n: _scaled(_fraction(-2, n), t, o),
    sympy_error=lambda t, o, n: _scaled(_fraction(2, n), t, o),
)

LOSSES: dict[str, Loss] = {op.name: op for op in (HALF_SSE, SSE, MSE)}


# ── one way in, for built-ins and custom functions alike ───────────────────────


def activation_of(spec: Any) -> Activation:
    """The row of a layer's activation: a built-in by name, or a custom one (`bptutor.custom`) built from its tree."""
    if isinstance(spec, str):
        return ACTIVATIONS[spec]
    from bptutor.custom import activation_record

    return activation_record(spec)


def loss_of(spec: Any) -> Loss:
    """The row of a scenario's loss: a built-in by name, or a custom one built from its tree."""
    if isinstance(spec, str):
        return LOSSES[spec]
    from bptutor.custom import loss_record

    return loss_record(spec)
