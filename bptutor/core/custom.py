"""Custom activations and losses: functions a scenario writes in the expression grammar.

    layers:
      - name: hidden
        activation: {expression: "t / 10", variable: t}
    loss: {expression: "(t - o)**2 / 2", target: t, output: o}

The text is read by the one safe expression reader (`bptutor.core.expression`), so a
custom function is a tree of allow-listed operations, never Python code. From
that tree this module makes the same kind of record the one table of
operations (`bptutor.core.ops`) holds for the built-ins:

- the forward value: the tree evaluated, in float64 or in exact decimals under a
  rounding policy (exp and log by the Decimal methods);
- the derivative: the tree differentiated here, by the textbook rules, into
  another tree of the same kind (a few plain simplifications: x·1 = x, x + 0 = x,
  −(−x) = x, numbers multiplied out), so `bptutor run` needs no sympy;
- the formulas shown in tables, written from the trees;
- the sympy forms for `explain` and handouts, built from the trees (sympy is
  imported only inside those functions).

The derivative of a kink (ReLU, |x|, max, min) uses internal operations that the
reader never produces from user text: step(u) (1 where u > 0, else 0), sign(u),
and "take du where u ≥ v, else dv" for max (u ≤ v for min): at a tie the first
argument takes the gradient, as in circuits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import field
from decimal import Decimal, Inexact, localcontext
from functools import lru_cache
from typing import Any

from bptutor.core.expression import Apply, Name, Node, Number, to_text
from bptutor.core.formula import Formula, Ref
from bptutor.core.numbers import format_number
from bptutor.core.ops import ACTIVATIONS, Activation, Loss
from bptutor.errors import Location, ScenarioError
from bptutor.i18n import Message
from bptutor.records import dataclass

CUSTOM_SYMBOL = "f"  # the name of a custom activation in formulas: out_h1 = f(in_h1)


@dataclass(frozen=True)
class CustomActivation:
    """a = f(variable), the expression in that one variable, e.g. f(t) = t/10."""

    expression: Node
    variable: str = "z"
    location: Location | None = field(default=None, compare=False)  # where the expression is written
    field_path: str = field(default="", compare=False)  # e.g. layers[0].activation.expression

    def __str__(self) -> str:
        return f"{CUSTOM_SYMBOL}({self.variable}) = {to_text(self.expression)}"

    def record(self) -> Activation:
        """This activation as a row of the operations table (`bptutor.core.ops.activation_of` asks for it)."""
        return activation_record(self)


@dataclass(frozen=True)
class CustomLoss:
    """E = Σ term(target, output) over the output neurons, or their mean."""

    expression: Node
    target: str = "t"
    output: str = "o"
    mean: bool = False
    location: Location | None = field(default=None, compare=False)
    field_path: str = field(default="", compare=False)

    def __str__(self) -> str:
        total = "(1/n) Σ" if self.mean else "Σ"
        return f"E = {total} {to_text(self.expression)}"

    def record(self) -> Loss:
        """This loss as a row of the operations table (`bptutor.core.ops.loss_of` asks for it)."""
        return loss_record(self)


# ── the derivative tree ───────────────────────────────────────────────────────


def _number(value: Decimal) -> Number:
    text = format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))
    return Number(text, value, 0)


ZERO = _number(Decimal(0))
ONE = _number(Decimal(1))


def _is(node: Node, value: int) -> bool:
    return isinstance(node, Number) and node.value == value


def _apply(op: str, *args: Node) -> Apply:
    return Apply(op, args, 0)


def _exact(compute: Callable[[], Decimal]) -> Decimal | None:
    """compute() in exact decimal arithmetic, or None when it does not come out exact and short."""
    with localcontext(prec=60) as context:
        context.traps[Inexact] = False
        context.clear_flags()  # the copy keeps the flags of whatever ran before in this thread
        value = compute()
        if context.flags[Inexact] or len(value.normalize().as_tuple().digits) > 20:
            return None
        return value


def neg(a: Node) -> Node:
    if isinstance(a, Number):
        return _number(-a.value)
    if isinstance(a, Apply) and a.op == "neg":
        return a.args[0]
    return _apply("neg", a)


def add(a: Node, b: Node) -> Node:
    if _is(a, 0):
        return b
    if _is(b, 0):
        return a
    if isinstance(a, Number) and isinstance(b, Number):
        total = _exact(lambda: a.value + b.value)
        if total is not None:
            return _number(total)
    if isinstance(b, Apply) and b.op == "neg":
        return sub(a, b.args[0])
    return _apply("add", a, b)


def sub(a: Node, b: Node) -> Node:
    if _is(b, 0):
        return a
    if _is(a, 0):
        return neg(b)
    if isinstance(a, Number) and isinstance(b, Number):
        difference = _exact(lambda: a.value - b.value)
        if difference is not None:
            return _number(difference)
    if isinstance(b, Apply) and b.op == "neg":
        return add(a, b.args[0])
    return _apply("sub", a, b)


def mul(a: Node, b: Node) -> Node:
    if _is(a, 0) or _is(b, 0):
        return ZERO
    if _is(a, 1):
        return b
    if _is(b, 1):
        return a
    if isinstance(a, Apply) and a.op == "neg":
        return neg(mul(a.args[0], b))
    if isinstance(b, Apply) and b.op == "neg":
        return neg(mul(a, b.args[0]))
    if isinstance(b, Number) and not isinstance(a, Number):
        return mul(b, a)  # the number first: 2·x
    if isinstance(a, Number):
        if a.value < 0:
            return neg(mul(_number(-a.value), b))
        if isinstance(b, Number):
            product = _exact(lambda: a.value * b.value)
            if product is not None:
                return _number(product)
        if isinstance(b, Apply) and b.op == "mul" and isinstance(b.args[0], Number):
            factor = b.args[0]
            product = _exact(lambda: a.value * factor.value)
            if product is not None:
                return mul(_number(product), b.args[1])
    if isinstance(b, Apply) and b.op == "div" and _is(b.args[0], 1):
        return div(a, b.args[1])  # t·(1/o) = t/o
    if isinstance(a, Apply) and a.op == "div" and _is(a.args[0], 1):
        return div(b, a.args[1])
    if isinstance(b, Apply) and b.op == "mul":
        return _apply("mul", mul(a, b.args[0]), b.args[1])  # a·(b·c) = a·b·c
    return _apply("mul", a, b)


def div(a: Node, b: Node) -> Node:
    if _is(a, 0):
        return ZERO
    if _is(b, 1):
        return a
    if isinstance(a, Apply) and a.op == "neg":
        return neg(div(a.args[0], b))
    if isinstance(a, Number) and a.value < 0:
        return neg(div(_number(-a.value), b))
    if isinstance(b, Number) and b.value < 0:
        return neg(div(a, _number(-b.value)))
    if isinstance(b, Number) and b.value != 0:
        if isinstance(a, Number):
            quotient = _exact(lambda: a.value / b.value)
            if quotient is not None:
                return _number(quotient)
        if isinstance(a, Apply) and a.op == "mul" and isinstance(a.args[0], Number):
            numerator = a.args[0]
            quotient = _exact(lambda: numerator.value / b.value)
            if quotient is not None:
                return mul(_number(quotient), a.args[1])
    return _apply("div", a, b)


def power(a: Node, exponent: Decimal) -> Node:
    if exponent == 1:
        return a
    if exponent == 0:
        return ONE
    return _apply("pow", a, _number(exponent))


def _reads(node: Node, variable: str) -> bool:
    if isinstance(node, Name):
        return node.name == variable
    if isinstance(node, Apply):
        return any(_reads(arg, variable) for arg in node.args)
    return False


def differentiate(node: Node, variable: str) -> Node:
    """d node / d variable, by the textbook rules; every other name is a constant."""
    if isinstance(node, Number):
        return ZERO
    if isinstance(node, Name):
        return ONE if node.name == variable else ZERO
    op, args = node.op, node.args
    d = [differentiate(arg, variable) for arg in args]
    u = args[0]
    if op == "add":
        return add(d[0], d[1])
    if op == "sub":
        return sub(d[0], d[1])
    if op == "neg":
        return neg(d[0])
    if op == "mul":
        return add(mul(d[0], args[1]), mul(u, d[1]))
    if op == "div":
        v = args[1]
        if not _reads(v, variable):
            return div(d[0], v)
        return sub(div(d[0], v), div(mul(u, d[1]), power(v, Decimal(2))))
    if op == "pow":
        exponent = args[1]
        assert isinstance(exponent, Number)
        return mul(mul(_number(exponent.value), power(u, exponent.value - 1)), d[0])
    if op == "exp":
        return mul(node, d[0])
    if op == "log":
        return div(d[0], u)
    if op == "sigmoid":
        return mul(mul(node, sub(ONE, node)), d[0])
    if op == "tanh":
        return mul(sub(ONE, power(node, Decimal(2))), d[0])
    if op == "relu":
        return mul(_apply("step", u), d[0])
    if op == "abs":
        return mul(_apply("sign", u), d[0])
    if op in ("max", "min"):
        if _is(d[0], 0) and _is(d[1], 0):
            return ZERO
        return _apply(f"pick_{op}", u, args[1], d[0], d[1])
    raise ValueError(f"no derivative rule for {op!r}")  # internal operations are never differentiated


# ── evaluating a tree ─────────────────────────────────────────────────────────


class DomainProblem(Exception):
    """An operation outside its domain: the catalog key of the reason."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def evaluate(node: Node, values: dict[str, Any]) -> Any:
    """The tree's value at `values` (floats, or Decimals under a rounding policy; never mixed)."""
    exact = any(isinstance(value, Decimal) for value in values.values())
    return _value(node, values, exact)


def _value(node: Node, values: dict[str, Any], exact: bool) -> Any:
    if isinstance(node, Number):
        return node.value if exact else float(node.value)
    if isinstance(node, Name):
        return values[node.name]
    op = node.op
    if op == "pick_max" or op == "pick_min":
        u, v = (_value(arg, values, exact) for arg in node.args[:2])
        first = u >= v if op == "pick_max" else u <= v
        return _value(node.args[2] if first else node.args[3], values, exact)
    x = [_value(arg, values, exact) for arg in node.args]
    zero = Decimal(0) if exact else 0.0
    one = Decimal(1) if exact else 1.0
    if op == "add":
        return x[0] + x[1]
    if op == "sub":
        return x[0] - x[1]
    if op == "mul":
        return x[0] * x[1]
    if op == "div":
        if x[1] == 0:
            raise DomainProblem("expression.domain.division")
        return x[0] / x[1]
    if op == "pow":
        exponent = node.args[1]
        assert isinstance(exponent, Number)  # the parser accepts only a written number as an exponent
        return _power(x[0], exponent.value, exact)
    if op == "neg":
        return -x[0]
    if op == "exp":
        return x[0].exp() if exact else math.exp(x[0])
    if op == "log":
        if x[0] <= 0:
            raise DomainProblem("expression.domain.log")
        return x[0].ln() if exact else math.log(x[0])
    if op == "sigmoid":
        return ACTIVATIONS["sigmoid"].forward(x[0], 0.0)
    if op == "tanh":
        return ACTIVATIONS["tanh"].forward(x[0], 0.0)
    if op == "relu":
        return x[0] if x[0] > 0 else zero
    if op == "abs":
        return abs(x[0])
    if op == "max":
        return x[0] if x[0] >= x[1] else x[1]
    if op == "min":
        return x[0] if x[0] <= x[1] else x[1]
    if op == "step":
        return one if x[0] > 0 else zero
    if op == "sign":
        return one if x[0] > 0 else -one if x[0] < 0 else zero
    raise ValueError(f"unknown operation {op!r}")


def _power(base: Any, exponent: Decimal, exact: bool) -> Any:
    if base == 0 and exponent < 0:
        raise DomainProblem("expression.domain.zero_power")
    if exponent == exponent.to_integral_value():
        return base ** int(exponent)
    if base < 0:
        raise DomainProblem("expression.domain.negative_power")
    return base ** (exponent if exact else float(exponent))


# ── writing a tree: formulas for the tables, sympy for the derivations ────────

_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}
_SIGN = {"add": " + ", "sub": " − ", "mul": "·", "div": "/", "pow": "^"}


def formula(node: Node, refs: dict[str, Ref]) -> Formula:
    """The tree written out with its names as references (so tables can show values): in_h1/10."""
    return tuple(_tokens(node, refs, 0))


def text(node: Node) -> str:
    """The tree written out in its own names; the same text as `expression.to_text` for a tree the reader made."""
    return "".join(token if isinstance(token, str) else token.name for token in _tokens(node, {}, 0))


def _tokens(node: Node, refs: dict[str, Ref], outer: int) -> list[Any]:
    if isinstance(node, Number):
        written = node.text.replace("-", "−")
        return [f"({written})" if written.startswith("−") and outer > 0 else written]
    if isinstance(node, Name):
        return [refs.get(node.name, node.name)]
    op = node.op
    if op in ("pick_max", "pick_min"):
        u, v, du, dv = (_tokens(arg, refs, 0) for arg in node.args)
        relation = " ≥ " if op == "pick_max" else " ≤ "
        return ["(", *du, " if ", *u, relation, *v, ", else ", *dv, ")"]
    if op not in _PRECEDENCE:  # a function: exp(…), max(…, …), step(…)
        tokens: list[Any] = [f"{op}("]
        for index, arg in enumerate(node.args):
            tokens += ([", "] if index else []) + _tokens(arg, refs, 0)
        return [*tokens, ")"]
    own = _PRECEDENCE[op]
    if op == "neg":
        tokens = ["−", *_tokens(node.args[0], refs, own)]
    else:
        left, right = node.args
        right_outer = own if op == "pow" else own + 1
        left_outer = own + 1 if op == "pow" else own
        tokens = [*_tokens(left, refs, left_outer), _SIGN[op], *_tokens(right, refs, right_outer)]
    return ["(", *tokens, ")"] if own < outer else tokens


def to_sympy(node: Node, symbols: dict[str, Any]) -> Any:
    """The tree as a sympy expression in the given symbols (numbers as exact rationals)."""
    import sympy

    if isinstance(node, Number):
        numerator, denominator = node.value.as_integer_ratio()
        return sympy.Rational(numerator, denominator)
    if isinstance(node, Name):
        return symbols[node.name]
    x = [to_sympy(arg, symbols) for arg in node.args]
    op = node.op
    simple = {
        "add": lambda: x[0] + x[1],
        "sub": lambda: x[0] - x[1],
        "mul": lambda: x[0] * x[1],
        "div": lambda: x[0] / x[1],
        "pow": lambda: x[0] ** x[1],
        "neg": lambda: -x[0],
        "exp": lambda: sympy.exp(x[0]),
        "log": lambda: sympy.log(x[0]),
        "sigmoid": lambda: 1 / (1 + sympy.exp(-x[0])),
        "tanh": lambda: sympy.tanh(x[0]),
        "relu": lambda: sympy.Piecewise((x[0], x[0] > 0), (0, True)),
        "abs": lambda: sympy.Abs(x[0]),
        "max": lambda: sympy.Piecewise((x[0], x[0] >= x[1]), (x[1], True)),
        "min": lambda: sympy.Piecewise((x[0], x[0] <= x[1]), (x[1], True)),
        "step": lambda: sympy.Piecewise((1, x[0] > 0), (0, True)),
        "sign": lambda: sympy.sign(x[0]),
        "pick_max": lambda: sympy.Piecewise((x[2], x[0] >= x[1]), (x[3], True)),
        "pick_min": lambda: sympy.Piecewise((x[2], x[0] <= x[1]), (x[3], True)),
    }
    return simple[op]()


# ── the records ───────────────────────────────────────────────────────────────


def _located(spec: CustomActivation | CustomLoss, problem: DomainProblem, point: dict[str, Any]) -> ScenarioError:
    at = ", ".join(f"{name} = {format_number(float(value), 10)}" for name, value in point.items())
    message = Message.of("custom.domain", function=str(spec), reason=Message.of(problem.key), at=at)
    return ScenarioError(message, spec.location or Location("<memory>"), spec.field_path)


def _evaluated(spec: CustomActivation | CustomLoss, node: Node, point: dict[str, Any]) -> Any:
    try:
        return evaluate(node, point)
    except DomainProblem as problem:
        raise _located(spec, problem, point) from None


def _reads_any(node: Node, names: tuple[str, ...]) -> bool:
    if isinstance(node, Apply):
        return node.op in names or any(_reads_any(arg, names) for arg in node.args)
    return False


@lru_cache(maxsize=64)
def activation_record(spec: CustomActivation) -> Activation:
    """The custom activation as a row like those of `bptutor.core.ops`."""
    variable, expression = spec.variable, spec.expression
    derivative = differentiate(expression, variable)
    return Activation(
        name=str(spec),
        symbol=CUSTOM_SYMBOL,
        forward=lambda z, slope: _evaluated(spec, expression, {variable: z}),
        derivative=lambda z, a, slope: _evaluated(spec, derivative, {variable: z}),
        definition=lambda z, slope: formula(expression, {variable: z}),
        textbook_derivative=lambda z, a, slope: formula(derivative, {variable: z}),
        sympy_forward=lambda z, slope: to_sympy(expression, {variable: z}),
        sympy_textbook_derivative=lambda z, a, slope: to_sympy(derivative, {variable: z}),
        saturates=_reads_any(expression, ("exp", "sigmoid", "tanh")),
    )


@lru_cache(maxsize=16)
def loss_record(spec: CustomLoss) -> Loss:
    """The custom loss as a row like those of `bptutor.core.ops`: ∂term/∂output from the tree."""
    target, output, expression = spec.target, spec.output, spec.expression
    derivative = differentiate(expression, output)
    error = neg(derivative)

    def point(t: Any, o: Any) -> dict[str, Any]:
        return {target: t, output: o}

    def refs(t: Ref, o: Ref) -> dict[str, Ref]:
        return {target: t, output: o}

    def averaged(written: Formula, n: int) -> Formula:
        return ("(", *written, f")/{n}") if spec.mean else written

    def sympy_averaged(expression: Any, n: int) -> Any:
        return expression / n if spec.mean else expression

    return Loss(
        name=str(spec),
        description=str(spec),
        mean=spec.mean,
        term=lambda t, o: _evaluated(spec, expression, point(t, o)),
        term_derivative=lambda t, o: _evaluated(spec, derivative, point(t, o)),
        term_formula=lambda t, o: formula(expression, refs(t, o)),
        derivative_formula=lambda t, o, n: averaged(formula(derivative, refs(t, o)), n),
        error_formula=lambda t, o, n: averaged(formula(error, refs(t, o)), n),
        sympy_term=lambda t, o: to_sympy(expression, point(t, o)),
        sympy_derivative=lambda t, o, n: sympy_averaged(to_sympy(derivative, point(t, o)), n),
        sympy_error=lambda t, o, n: sympy_averaged(to_sympy(error, point(t, o)), n),
    )


__all__ = [
    "CustomActivation",
    "CustomLoss",
    "activation_record",
    "differentiate",
    "evaluate",
    "formula",
    "loss_record",
    "text",
    "to_sympy",
]
