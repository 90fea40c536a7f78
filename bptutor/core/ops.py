"""The one table of operations: every activation and loss in one record each.

Each record carries its numeric forward value, its numeric derivative, the
textbook formulas shown to students (σ(1 − σ) rather than e^(−z)/(1 + e^(−z))²),
and its sympy form. Tests check the views of each row against each other.
Adding an activation is adding one row: the loader's choices, the command
line's, `bptutor generate`, the LaTeX and MathML names of the handouts and the
tests all read this table (`tests/test_ops.py` walks every row).

sympy is imported only inside the `sympy_*` functions, so the numeric path
(`bptutor run`) never pays for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from bptutor.core.formula import TIMES, Formula, Ref
from bptutor.errors import UsageError
from bptutor.i18n import Message
from bptutor.records import dataclass

# ── activations ────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ExerciseRule:
    """How `bptutor generate` keeps a neuron readable, and where its targets lie.

    |z| ≤ saturation (when given) keeps f′ away from 0; `kink`: z ≥ margin (a ReLU-type
    function, drawn on its positive side), and `dead_below` also refuses every z < margin
    in the exact check (relu, whose negative side has f′ = 0). Targets are k·0.05 with
    low ≤ k ≤ high, inside the range of f; or, `one_hot`, one class (a layer-wide activation).
    """

    saturation: int | None = None
    kink: bool = False
    dead_below: bool = False
    targets: tuple[int, int] = (-20, 20)
    one_hot: bool = False  # targets are one class: 1 for one output, 0 for the others (softmax)


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
    # the same function and derivative over NumPy arrays, for the vectorised training path (bptutor.train.vectorised)
    numpy_forward: Callable[[Any, float], Any] | None = None  # (z array, slope) → a array
    numpy_derivative: Callable[[Any, Any, float], Any] | None = None  # (z, a, slope) → da/dz, elementwise
    latex: str = ""  # the name of f in LaTeX math: \\sigma, \\tanh (empty: \\operatorname{symbol})
    mathml: str = ""  # the name of f in MathML: <mi>σ</mi> (empty: the symbol, upright)
    takes_slope: bool = False  # a scenario may give `slope:` (leaky_relu's α)
    exercise: ExerciseRule | None = None  # how `bptutor generate` uses it; None: generate refuses it


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



def _np() -> Any:
    """NumPy, imported on first use: `bptutor run` and `--help` never load it."""
    import numpy

    return numpy


def _np_sigmoid(z: Any) -> Any:
    """σ(z) over an array, in the two-branch form that cannot overflow."""
    np = _np()
    small = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, small) / (1.0 + small)


def _np_sigmoid_derivative(z: Any) -> Any:
    """σ′(z) = e^(−|z|)/(1 + e^(−|z|))² over an array (the float form of _sigmoid_derivative)."""
    np = _np()
    small = np.exp(-np.abs(z))
    return small / (1.0 + small) ** 2


def _np_tanh_derivative(z: Any) -> Any:
    np = _np()
    small = np.exp(-2.0 * np.abs(z))
    return 4.0 * small / (1.0 + small) ** 2


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
    numpy_forward=lambda z, slope: _np_sigmoid(z),
    numpy_derivative=lambda z, a, slope: _np_sigmoid_derivative(z),
    latex="\\sigma",
    mathml="<mi>σ</mi>",
    exercise=ExerciseRule(saturation=3, targets=(1, 19)),  # σ′ ≥ 0.045; targets 0.05 … 0.95
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
    numpy_forward=lambda z, slope: _np().tanh(z),
    numpy_derivative=lambda z, a, slope: _np_tanh_derivative(z),
    latex="\\tanh",
    mathml='<mi mathvariant="normal">tanh</mi>',
    exercise=ExerciseRule(saturation=2, targets=(-18, 18)),  # targets −0.9 … 0.9
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
    numpy_forward=lambda z, slope: _np().where(z > 0, z, 0.0),
    numpy_derivative=lambda z, a, slope: _np().where(z > 0, 1.0, 0.0),
    latex="\\operatorname{ReLU}",
    mathml='<mi mathvariant="normal">ReLU</mi>',
    exercise=ExerciseRule(kink=True, dead_below=True, targets=(1, 20)),  # targets 0.05 … 1
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
    numpy_forward=lambda z, slope: _np().where(z > 0, z, slope * z),
    numpy_derivative=lambda z, a, slope: _np().where(z > 0, 1.0, slope),
    latex="\\operatorname{LeakyReLU}",
    mathml='<mi mathvariant="normal">LeakyReLU</mi>',
    takes_slope=True,
    # drawn on the positive side: with one sample, α = 0.01 would scale every gradient through it a hundredfold down
    exercise=ExerciseRule(kink=True),
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
    numpy_forward=lambda z, slope: z,
    numpy_derivative=lambda z, a, slope: _np().ones_like(z),
    latex="\\operatorname{id}",
    mathml='<mi mathvariant="normal">id</mi>',
    exercise=ExerciseRule(),
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
    # the term and its derivative over NumPy arrays (batch × outputs), for the vectorised path
    numpy_term: Callable[[Any, Any], Any] | None = None
    numpy_term_derivative: Callable[[Any, Any], Any] | None = None
    root: bool = False  # E = √(mean of the terms): root mean squared error
    # the output activation whose derivative this loss cancels (δ = out − target at the output):
    # "sigmoid" for binary cross-entropy, "softmax" for cross-entropy. The loss is then computed
    # from the logits (pre-activations), which cannot give log(0) or overflow.
    fused_with: str | None = None
    logit_terms: Callable[[Sequence[Any], Sequence[Any]], list[Any]] | None = None  # (targets, logits) → terms
    numpy_logit_terms: Callable[[Any, Any], Any] | None = None  # (T, Z) arrays → terms, elementwise
    delta_formula: Callable[[Ref, Ref, int], Formula] | None = None  # δ at the output when fused: out − target
    # a loss of the classic hand calculation: `bptutor generate` draws exercises with it and a rounding
    # policy may round it (every loss is worked by hand by explain, solve, check and quiz)
    classic: bool = False
    # what a target may be: "any" number, a "probability" in [0, 1], or a "distribution" (probabilities summing to 1)
    targets: str = "any"


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
    numpy_term=lambda t, o: (t - o) ** 2 / 2,
    numpy_term_derivative=lambda t, o: -(t - o),
    classic=True,
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
    numpy_term=lambda t, o: (t - o) ** 2,
    numpy_term_derivative=lambda t, o: -2 * (t - o),
    classic=True,
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
    numpy_term=lambda t, o: (t - o) ** 2,
    numpy_term_derivative=lambda t, o: -2 * (t - o),
    classic=True,
)



def _sign(value: Any) -> Any:
    """−1, 0 or 1, as the same kind of number: the derivative of |x| (0 at the kink, as PyTorch takes it)."""
    return _like(value, (value > 0) - (value < 0))


def _ln(value: Any) -> Any:
    return value.ln() if isinstance(value, Decimal) else math.log(value)


def _log1p_exp_minus(z: Any) -> Any:
    """ln(1 + e^(−|z|)), which never overflows and keeps its digits when e^(−|z|) is tiny."""
    if isinstance(z, Decimal):
        return (1 + (-abs(z)).exp()).ln()
    return math.log1p(math.exp(-abs(z)))


def _bce_logit_terms(targets: Sequence[Any], logits: Sequence[Any]) -> list[Any]:
    """−[t·ln σ(z) + (1 − t)·ln(1 − σ(z))] = max(z, 0) − z·t + ln(1 + e^(−|z|)), one per output."""
    return [max(z, _like(z, 0)) - z * t + _log1p_exp_minus(z) for t, z in zip(targets, logits, strict=True)]


def _log_sum_exp(logits: Sequence[Any]) -> Any:
    """ln Σ e^(z_j), shifted by the largest z so that no e^z overflows."""
    top = max(logits)
    return top + _ln(sum((_exp(z - top) for z in logits), _like(top, 0)))


def _cross_entropy_logit_terms(targets: Sequence[Any], logits: Sequence[Any]) -> list[Any]:
    """−t_i·ln softmax(z)_i = t_i·(ln Σ e^(z_j) − z_i), one per output."""
    log_sum = _log_sum_exp(logits)
    return [t * (log_sum - z) for t, z in zip(targets, logits, strict=True)]


def softmax(logits: Sequence[Any]) -> list[Any]:
    """a_i = e^(z_i)/Σ_j e^(z_j), shifted by the largest z (floats or decimals)."""
    top = max(logits)
    powers = [_exp(z - top) for z in logits]
    total = sum(powers, _like(top, 0))
    return [power / total for power in powers]


def _np_bce_logit_terms(t: Any, z: Any) -> Any:
    np = _np()
    return np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))


def _np_log_softmax(z: Any) -> Any:
    np = _np()
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _np_softmax(z: Any) -> Any:
    np = _np()
    powers = np.exp(z - z.max(axis=-1, keepdims=True))
    return powers / powers.sum(axis=-1, keepdims=True)


def _sympy_abs_difference(t: Any, o: Any) -> Any:
    import sympy

    return sympy.Abs(t - o)


def _sympy_sign(t: Any, o: Any, n: int) -> Any:
    import sympy

    return sympy.Mul(_fraction(1, n), sympy.sign(o - t), evaluate=False)


def _over(n: int) -> str:
    """The 1/n of a mean over n outputs, written after a term: nothing for one output."""
    return "" if n == 1 else f"/{n}"


def _sympy_bce(t: Any, o: Any) -> Any:
    import sympy

    return -(t * sympy.log(o) + (1 - t) * sympy.log(1 - o))


def _sympy_bce_derivative(t: Any, o: Any, n: int) -> Any:
    return _fraction(1, n) * (o - t) / (o * (1 - o))


def _sympy_cross_entropy(t: Any, o: Any) -> Any:
    import sympy

    return -t * sympy.log(o)


MAE = Loss(
    name="mae",
    description="E = (1/n) Σ |target − out|, the mean absolute error over the n output neurons",
    mean=True,
    term=lambda t, o: abs(t - o),
    term_derivative=lambda t, o: _sign(o - t),
    term_formula=lambda t, o: ("|", t, " − ", o, "|"),
    derivative_formula=lambda t, o, n: ("sign(", o, " − ", t, f")/{n}"),
    error_formula=lambda t, o, n: ("sign(", t, " − ", o, f")/{n}"),
    sympy_term=_sympy_abs_difference,
    sympy_derivative=_sympy_sign,
    sympy_error=lambda t, o, n: _sympy_sign(o, t, n),
    numpy_term=lambda t, o: _np().abs(t - o),
    numpy_term_derivative=lambda t, o: _np().sign(o - t),
)

RMSE = Loss(
    name="rmse",
    description="E = √((1/n) Σ (target − out)²), the root of the mean squared error",
    mean=True,
    root=True,
    term=lambda t, o: (t - o) ** 2,
    term_derivative=lambda t, o: -2 * (t - o),  # of the term; ∂E/∂out = (out − target)/(n·E)
    term_formula=lambda t, o: ("(", t, " − ", o, ")²"),
    derivative_formula=lambda t, o, n: ("(", o, " − ", t, f")/({n}·E)"),
    error_formula=lambda t, o, n: ("(", t, " − ", o, f")/({n}·E)"),
    sympy_term=lambda t, o: (t - o) ** 2,
    sympy_derivative=lambda t, o, n: _scaled(_fraction(-2, n), t, o),  # of the mean, before the root
    sympy_error=lambda t, o, n: _scaled(_fraction(2, n), t, o),
    numpy_term=lambda t, o: (t - o) ** 2,
    numpy_term_derivative=lambda t, o: -2 * (t - o),
)

BCE = Loss(
    name="bce",
    description="E = −(1/n) Σ [target·ln(out) + (1 − target)·ln(1 − out)], binary cross-entropy",
    mean=True,
    term=lambda t, o: -(t * _ln(o) + (1 - t) * _ln(1 - o)),
    term_derivative=lambda t, o: (o - t) / (o * (1 - o)),
    term_formula=lambda t, o: ("−[", t, TIMES, "ln(", o, ") + (1 − ", t, ")", TIMES, "ln(1 − ", o, ")]"),
    derivative_formula=lambda t, o, n: ("(", o, " − ", t, ")/(", o, TIMES, "(1 − ", o, "))" + _over(n)),
    error_formula=lambda t, o, n: ("(", t, " − ", o, ")/(", o, TIMES, "(1 − ", o, "))" + _over(n)),
    sympy_term=_sympy_bce,
    sympy_derivative=_sympy_bce_derivative,
    sympy_error=lambda t, o, n: -_sympy_bce_derivative(t, o, n),
    fused_with="sigmoid",
    logit_terms=_bce_logit_terms,
    numpy_logit_terms=_np_bce_logit_terms,
    delta_formula=lambda t, o, n: ("(", o, " − ", t, ")" if n == 1 else f")/{n}"),
    targets="probability",
)

CROSS_ENTROPY = Loss(
    name="cross_entropy",
    description="E = −Σ target·ln(out), cross-entropy on a softmax output layer",
    mean=False,
    term=lambda t, o: -t * _ln(o),
    term_derivative=lambda t, o: -t / o,
    term_formula=lambda t, o: ("−", t, TIMES, "ln(", o, ")"),
    derivative_formula=lambda t, o, n: ("−", t, "/", o),
    error_formula=lambda t, o, n: (t, "/", o),
    sympy_term=_sympy_cross_entropy,
    sympy_derivative=lambda t, o, n: -t / o,
    sympy_error=lambda t, o, n: t / o,
    fused_with="softmax",
    logit_terms=_cross_entropy_logit_terms,
    numpy_logit_terms=lambda t, z: -t * _np_log_softmax(z),
    delta_formula=lambda t, o, n: (o, " − ", t),
    targets="distribution",
)

LOSSES: dict[str, Loss] = {op.name: op for op in (HALF_SSE, SSE, MSE, MAE, RMSE, BCE, CROSS_ENTROPY)}

# ── an activation of a whole layer ─────────────────────────────────────────────


@dataclass(frozen=True)
class LayerActivation:
    """a = f(z⃗): each output depends on every pre-activation of its layer (softmax)."""

    name: str
    symbol: str
    forward: Callable[[Sequence[Any]], list[Any]]  # the layer's z values → its a values (floats or Decimals)
    definition: Callable[[Ref, Sequence[Ref]], Formula]  # a_i written out over the layer
    jacobian: Callable[[Sequence[Any], int, int], Any]  # (a values, i, j) → ∂a_i/∂z_j
    textbook_jacobian: str  # ∂a_i/∂z_j in words of a: a_i·(δ_ij − a_j)
    jacobian_formula: Callable[[Ref, Ref], Formula]  # (a_i, a_j) → ∂a_i/∂z_j written out: a_i·(1 − a_i) or −a_i·a_j
    sympy_forward: Callable[[Sequence[Any], int], Any]  # (z symbols, i) → a_i
    sympy_textbook_jacobian: Callable[[Sequence[Any], int, int], Any]  # (a symbols, i, j) → ∂a_i/∂z_j
    numpy_forward: Callable[[Any], Any]  # (batch × n) z → a, along the last axis
    latex: str = ""  # the name in LaTeX math
    mathml: str = ""  # the name in MathML
    exercise: ExerciseRule | None = None  # how `bptutor generate` uses it as an output layer; None: it refuses it


def _softmax_definition(z: Ref, layer: Sequence[Ref]) -> Formula:
    tokens: list[Any] = ["e^", z, "/("]
    for index, other in enumerate(layer):
        tokens += [" + " if index else "", "e^", other]
    return (*tokens, ")")


def _softmax_jacobian_formula(out: Ref, other: Ref) -> Formula:
    """∂a_i/∂z_j = a_i·(δ_ij − a_j): a_i·(1 − a_i) on the diagonal, −a_i·a_j off it."""
    if out.name == other.name:
        return (out, TIMES, "(1 − ", out, ")")
    return ("−", out, TIMES, other)


def _sympy_softmax(z: Sequence[Any], i: int) -> Any:
    import sympy

    return sympy.exp(z[i]) / sum(sympy.exp(zj) for zj in z)


SOFTMAX = LayerActivation(
    name="softmax",
    symbol="softmax",
    forward=softmax,
    definition=_softmax_definition,
    jacobian=lambda a, i, j: a[i] * ((1 if i == j else 0) - a[j]),
    textbook_jacobian="a_i·(δ_ij − a_j)",
    jacobian_formula=_softmax_jacobian_formula,
    sympy_forward=_sympy_softmax,
    sympy_textbook_jacobian=lambda a, i, j: a[i] * ((1 if i == j else 0) - a[j]),
    numpy_forward=_np_softmax,
    latex="\\operatorname{softmax}",
    mathml='<mi mathvariant="normal">softmax</mi>',
    exercise=ExerciseRule(saturation=3, one_hot=True),  # |z| ≤ 3: no probability too close to 0 or 1
)

LAYER_ACTIVATIONS: dict[str, LayerActivation] = {SOFTMAX.name: SOFTMAX}



# ── one way in, for built-ins and custom functions alike ───────────────────────


def unknown(what: str, name: str, choices: Sequence[str]) -> UsageError:
    """The error for a name that no row has: never read it as some default (linear, say)."""
    return UsageError(Message.of("generate.bad_choice", option=what, value=name, choices=", ".join(choices)))


def activation_named(name: str) -> Activation:
    """The built-in activation called `name`; UsageError when there is none."""
    if name not in ACTIVATIONS:
        raise unknown("activation", name, tuple(ACTIVATIONS))
    return ACTIVATIONS[name]


def loss_named(name: str) -> Loss:
    """The built-in loss called `name`; UsageError when there is none."""
    if name not in LOSSES:
        raise unknown("loss", name, tuple(LOSSES))
    return LOSSES[name]


def activation_of(spec: Any) -> Activation:
    """The row of a layer's activation: a built-in by name, or a custom one (`bptutor.core.custom`) from its tree."""
    if isinstance(spec, str):
        return activation_named(spec)
    row: Activation = spec.record()  # a CustomActivation builds its own row, so this table imports no module above it
    return row


def loss_of(spec: Any) -> Loss:
    """The row of a scenario's loss: a built-in by name, or a custom one built from its tree."""
    if isinstance(spec, str):
        return loss_named(spec)
    row: Loss = spec.record()  # a CustomLoss builds its own row
    return row
