"""The symbolic side: the network's equations as sympy expressions, built from the Graph.

This module never reads the numeric tracer. It knows each quantity's defining
expression, differentiates it with sympy, and evaluates every value itself
(30 significant digits, from the exact binary values of the scenario's
numbers), so tests can hold the tracer and this module against each other.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sympy
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from bptutor.core.arithmetic import as_decimal, round_decimal
from bptutor.core.graph import Activate, Equation, Graph, LossTerm, TotalLoss, WeightedSum
from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
from bptutor.core.records import dataclass
from bptutor.core.scenario import Rounding

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
        """∂of/∂wrt as sympy computes it from the definition of `of`."""
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
    """A float's exact binary value as a sympy Float at full working precision."""
    return sympy.Float(value, PRECISION)


def _definition(equation: Equation, symbols: dict[str, Any]) -> Any:
    if isinstance(equation, WeightedSum):
        # unevaluated, so the terms print in the order of the scenario: w5·out_h1 + w6·out_h2 + b3
        terms = [sympy.Mul(symbols[w], symbols[a], evaluate=False) for w, a in equation.terms]
        if equation.bias is not None:
            terms.append(-symbols[equation.bias] if equation.threshold else symbols[equation.bias])
        return sympy.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]
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
    symbols = {q.name: sympy.Symbol(q.name, real=True) for q in graph.quantities}
    definitions = {eq.output: _definition(eq, symbols) for eq in graph.equations}
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
    total = sympy.Integer(0)
    for weight, source in equation.terms:
        total += values[weight] * values[source]
    if equation.bias is not None:
        total = total - values[equation.bias] if equation.threshold else total + values[equation.bias]
    return sympy.N(total, precision)


_KIND_OF_VALUE = {WeightedSum: "pre_activations", Activate: "activations", TotalLoss: "losses"}


__all__ = ["PRECISION", "ROUNDING_PRECISION", "SymbolicNetwork", "TextbookPrinter", "build_symbolic", "to_text"]
