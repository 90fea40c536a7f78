"""The symbolic side: the network's equations as sympy expressions, built from the Graph.

This module never reads the numeric tracer. It knows each quantity's defining
expression, differentiates it with sympy, and evaluates every value itself
(30 significant digits, from the exact binary values of the scenario's
numbers), so tests can hold the tracer and this module against each other.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import sympy
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from bptutor.core.arithmetic import as_decimal, round_decimal
from bptutor.core.graph import Activate, Equation, Graph, LossTerm, TotalLoss, WeightedSum
from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
from bptutor.core.scenario import Rounding
from bptutor.records import dataclass

PRECISION = 30
ROUNDING_PRECISION = 50
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class TextbookPrinter(StrPrinter):  # type: ignore[misc]  # sympy has no types: StrPrinter is Any
    """sympy's str printer, written the way a textbook page is: e^(…), x², no **."""

    def _print_Pow(self, expr: Any, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        base_text: str = self.parenthesize(base, PRECEDENCE["Pow"], strict=False)
        if exponent.is_Integer and 2 <= int(exponent) <= 9:
            return base_text + str(int(exponent)).translate(_SUPERSCRIPTS)
        if exponent.is_Integer and int(exponent) == -1:
            return "1/" + base_text
        exponent_text: str = self.parenthesize(exponent, PRECEDENCE["Pow"], strict=False)
        return base_text + "^" + exponent_text

    def _print_exp(self, expr: Any) -> str:
        return f"e^({self._print(expr.args[0])})"

    def _print_Piecewise(self, expr: Any) -> str:
        pieces = []
        for value, condition in expr.args:
            if condition is sympy.true:
                pieces.append(f"{self._print(value)} otherwise")
            else:
                pieces.append(f"{self._print(value)} if {self._print(condition)}")
        return "(" + ", ".join(pieces) + ")"

    def _print_log(self, expr: Any) -> str:
        return f"ln({self._print(expr.args[0])})"

    def _print_Half(self, expr: Any) -> str:
        return "½"


def to_text(expression: Any) -> str:
    """One sympy expression as textbook text: · for products, − for minus."""
    text: str = TextbookPrinter({"order": "none"}).doprint(expression)
    text = text.replace("*", "·").replace(" - ", " − ").replace("(-", "(−").replace("<=", "≤")
    return "−" + text[1:] if text.startswith("-") else text


@dataclass(frozen=True)
class SymbolicNetwork:
    """Every quantity as a sympy symbol, its definition, and its 30-digit value."""

    graph: Graph
    symbols: dict[str, Any]
    definitions: dict[str, Any]  # quantity → expression in the symbols of its arguments
    values: dict[str, Any]  # quantity (and loss term) → sympy Float

    def symbol(self, name: str) -> Any:
        return self.symbols[name]

    @property
    def rounding(self) -> Rounding | None:
        return self.graph.scenario.rounding

    @property
    def precision(self) -> int:
        """Digits of evaluation: more under a rounding policy, so rounding sees the true digits."""
        return PRECISION if self.rounding is None else ROUNDING_PRECISION

    def given(self, value: float) -> Any:
        """A number of the scenario: its exact binary value, or under a policy the decimal as written."""
        if self.rounding is None:
            return _exact(value)
        return sympy.Rational(str(as_decimal(value)))

    def written(self, value: Any, kind: str) -> Any:
        """The value as written down: rounded (to an exact Rational) when the policy rounds this kind."""
        if self.rounding is None or self.rounding.decimals(kind) is None:
            return value
        decimals = self.rounding.decimals(kind)
        assert decimals is not None
        exact = Decimal(str(sympy.N(value, ROUNDING_PRECISION)))
        return sympy.Rational(str(round_decimal(exact, decimals, self.rounding.method)))

    def local_value(self, of: str, wrt: str) -> Any:
        """∂of/∂wrt as a number, in the form a hand calculation uses (σ′ as a·(1 − a))."""
        if isinstance(self.graph.definition(of), Activate):
            return self.evaluate(self.textbook_derivative(of, wrt))
        if self.fused_term(of, wrt) is not None:
            return self.evaluate(self.fused_delta(wrt))
        return self.evaluate(self.local_derivative(of, wrt))

    def fused_term(self, of: str, wrt: str) -> LossTerm | None:
        """The loss term whose logit `wrt` is, when `of` is a loss fused with its output activation (else None)."""
        equation = self.graph.definition(of)
        if not isinstance(equation, TotalLoss):
            return None
        return next((term for term in equation.terms if term.logit == wrt), None)

    def fused_delta(self, logit: str) -> Any:
        """δ = ∂E/∂z of an output whose activation the loss cancels: out − target (over n outputs of a mean, /n)."""
        equation = self.graph.definition(self.graph.loss_name)
        assert isinstance(equation, TotalLoss)
        (term,) = [term for term in equation.terms if term.logit == logit]
        difference = sympy.Add(self.symbols[term.output], -self.symbols[term.target], evaluate=False)
        if loss_of(equation.loss).mean and len(equation.terms) > 1:
            return sympy.Mul(sympy.Rational(1, len(equation.terms)), difference, evaluate=False)
        return difference

    def local_derivative(self, of: str, wrt: str) -> Any:
        """∂of/∂wrt as sympy computes it from the definition of `of`.

        A weighted sum's derivative is read off its terms, as sympy's diff would give it:
        ∂(Σ w·a + b)/∂a_k = w_k, ∂/∂w_k = a_k, ∂/∂b = 1 (−1 for a threshold θ) — without
        differentiating hundreds of terms whose derivative is 0.
        """
        equation = self.graph.definition(of)
        if isinstance(equation, WeightedSum):
            return _weighted_sum_derivative(equation, self.symbols, wrt)
        return sympy.diff(self.definitions[of], self.symbols[wrt])

    def evaluate(self, expression: Any) -> Any:
        substitutions = {symbol: self.values[symbol.name] for symbol in expression.free_symbols}
        return sympy.N(expression.xreplace(substitutions), self.precision)

    def textbook_derivative(self, of: str, wrt: str) -> Any:
        """The textbook form of an activation's derivative (σ(1 − σ)), in the symbols of z and a."""
        equation = self.graph.definition(of)
        assert isinstance(equation, Activate)
        if equation.group:  # softmax: ∂a_i/∂z_j = a_i·(δ_ij − a_j)
            assert isinstance(equation.activation, str)
            layer_op = LAYER_ACTIVATIONS[equation.activation]
            outputs = [self.symbols[name] for name in equation.siblings]
            row, column = equation.siblings.index(of), equation.group.index(wrt)
            return layer_op.sympy_textbook_jacobian(outputs, row, column)
        op = activation_of(equation.activation)
        return op.sympy_textbook_derivative(self.symbols[wrt], self.symbols[of], _exact(equation.slope))



def _exact(value: float) -> Any:
    """A float's exact binary value as a sympy Float at full working precision.

    What `sympy.Float(value, PRECISION)` makes, built directly from mpmath's number
    (tens of thousands of them for a large network).
    """
    if type(value) is float and math.isfinite(value):
        from mpmath.libmp import dps_to_prec, from_float  # type: ignore[import-untyped]  # mpmath ships no type information

        bits = dps_to_prec(PRECISION)
        return sympy.Float._new(from_float(value, bits, "n"), bits, zero=False)
    return sympy.Float(value, PRECISION)


def _weighted_sum_expression(equation: WeightedSum, symbols: dict[str, Any], only: str | None = None) -> Any:
    """Σ w·a + b, unevaluated, so the terms print in the order of the scenario: w5·out_h1 + w6·out_h2 + b3.

    With `only`, just the terms in which that name appears (0 if none).
    """
    terms = [
        sympy.Mul(symbols[w], symbols[a], evaluate=False) for w, a in equation.terms if only is None or only in (w, a)
    ]
    if equation.bias is not None and only in (None, equation.bias):
        terms.append(-symbols[equation.bias] if equation.threshold else symbols[equation.bias])
    if not terms:
        return sympy.Integer(0)
    return sympy.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]


def _weighted_sum_derivative(equation: WeightedSum, symbols: dict[str, Any], wrt: str) -> Any:
    """∂(Σ w·a + b)/∂wrt: the sum of the coefficients of `wrt` in the terms it appears in."""
    parts = [symbols[a] for w, a in equation.terms if w == wrt]  # the product rule, term by term
    parts += [symbols[w] for w, a in equation.terms if a == wrt]
    if equation.bias == wrt:
        parts.append(sympy.Integer(-1) if equation.threshold else sympy.Integer(1))
    return sympy.Add(*parts)


class _Symbols(dict[str, Any]):
    """A real sympy symbol for each quantity of the graph, made when first asked for."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self._names = names

    def __missing__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        symbol = sympy.Symbol(name, real=True)
        self[name] = symbol
        return symbol

    def __contains__(self, name: object) -> bool:
        return name in self._names


class _Definitions(dict[str, Any]):
    """Each quantity's defining expression, built when first asked for (a 784-term sum costs)."""

    def __init__(self, graph: Graph, symbols: dict[str, Any]) -> None:
        super().__init__()
        self._graph, self._symbols = graph, symbols

    def __missing__(self, name: str) -> Any:
        equation = self._graph.definition(name)
        if equation is None:
            raise KeyError(name)
        expression = _definition(equation, self._symbols)
        self[name] = expression
        return expression


def _definition(equation: Equation, symbols: dict[str, Any]) -> Any:
    if isinstance(equation, WeightedSum):
        return _weighted_sum_expression(equation, symbols)
    if isinstance(equation, Activate) and equation.group:  # softmax: e^(z_i)/Σ_j e^(z_j)
        assert isinstance(equation.activation, str)
        layer_op = LAYER_ACTIVATIONS[equation.activation]
        group = [symbols[name] for name in equation.group]
        return layer_op.sympy_forward(group, equation.group.index(equation.argument))
    if isinstance(equation, Activate):
        op = activation_of(equation.activation)
        return op.sympy_forward(symbols[equation.argument], _exact(equation.slope))
    assert isinstance(equation, TotalLoss)
    loss = loss_of(equation.loss)
    terms = [loss.sympy_term(symbols[term.target], symbols[term.output]) for term in equation.terms]
    total = sympy.Add(*terms)
    mean = total / len(terms) if loss.mean else total
    return sympy.sqrt(mean) if loss.root else mean


def build_symbolic(graph: Graph, parameters: dict[str, float] | None = None) -> SymbolicNetwork:
    """Symbols, definitions and values of every quantity of the graph.

    Full precision: values are 30-digit Floats from the exact binary values of
    the scenario's numbers. Under a rounding policy: the numbers are the
    decimals as written (exact Rationals), and each value is rounded as the
    policy says when it is written down, exactly as the tracer does.
    """
    scenario = graph.scenario
    symbols = _Symbols({q.name for q in graph.quantities})
    definitions = _Definitions(graph, symbols)
    given = dict(scenario.inputs)
    given.update({scenario.notation.tgt(name): value for name, value in scenario.targets})
    given.update(parameters if parameters is not None else scenario.parameter_values)
    network = SymbolicNetwork(graph, symbols, definitions, {})
    values = network.values
    values.update({name: network.given(value) for name, value in given.items()})
    for equation in graph.equations:
        if isinstance(equation, WeightedSum):  # Σ w·a + b in sympy numbers, without building the expression again
            total = _weighted_sum(equation, values, network.precision)
            values[equation.output] = network.written(total, "pre_activations")
            continue
        substitutions = {symbol: values[symbol.name] for symbol in definitions[equation.output].free_symbols}
        if isinstance(equation, TotalLoss):
            loss = loss_of(equation.loss)
            for term in equation.terms:
                term_value = loss.sympy_term(symbols[term.target], symbols[term.output]).xreplace(substitutions)
                values[term.name] = network.written(sympy.N(term_value, network.precision), "losses")
        value = sympy.N(definitions[equation.output].xreplace(substitutions), network.precision)
        values[equation.output] = network.written(value, _KIND_OF_VALUE[type(equation)])
    return network


def _weighted_sum(equation: WeightedSum, values: dict[str, Any], precision: int) -> Any:
    """z = Σ w·a + b (or − θ), evaluated term by term in sympy numbers at `precision` digits."""
    fast = _weighted_sum_of_floats(equation, values, precision)
    if fast is not None:
        return fast
    total = sympy.Integer(0)
    for weight, source in equation.terms:
        total += values[weight] * values[source]
    if equation.bias is not None:
        total = total - values[equation.bias] if equation.threshold else total + values[equation.bias]
    return sympy.N(total, precision)


def _weighted_sum_of_floats(equation: WeightedSum, values: dict[str, Any], precision: int) -> Any:
    """The same sum when every number is a sympy Float at `precision` digits: the same mpmath
    operations sympy's Float performs (multiply, then add, rounded to nearest at the Floats'
    precision), without building a sympy number for each of hundreds of terms. None otherwise.
    """
    from mpmath.libmp import dps_to_prec, fzero, mpf_add, mpf_mul, mpf_neg

    bits = dps_to_prec(precision)
    names = [name for term in equation.terms for name in term]
    if equation.bias is not None:
        names.append(equation.bias)
    numbers = [values[name] for name in names]
    if not all(type(number) is sympy.Float and number._prec == bits for number in numbers):
        return None
    total = fzero
    for index in range(0, 2 * len(equation.terms), 2):
        product = mpf_mul(numbers[index]._mpf_, numbers[index + 1]._mpf_, bits, "n")
        total = mpf_add(total, product, bits, "n")
    if equation.bias is not None:
        bias = numbers[-1]._mpf_
        total = mpf_add(total, mpf_neg(bias) if equation.threshold else bias, bits, "n")
    if total == fzero:
        return None  # sympy makes an exact 0 of it: leave that to sympy
    return sympy.N(sympy.Float._new(total, bits), precision)


_KIND_OF_VALUE = {WeightedSum: "pre_activations", Activate: "activations", TotalLoss: "losses"}


__all__ = ["PRECISION", "ROUNDING_PRECISION", "SymbolicNetwork", "TextbookPrinter", "build_symbolic", "to_text"]
