"""`explain NAME` on an expression scenario: ∂f/∂NAME along every path, derived with sympy.

Built from the parsed program (never from user text: the sympy objects are made
from the allow-listed tree of `bptutor.core.expression`), and independent of the numeric
circuit run: every number here is sympy's own, from exact inputs, at 30 digits.

For each path from the output back to NAME, the local derivatives of its edges
(∂gate/∂input, in the textbook forms the run shows) multiply; the paths add up.
As a check, the output is also written as one expression in the leaves and
differentiated by sympy in one go.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import islice
from typing import Any

import sympy

from bptutor.core.circuit import (
    ExpressionScenario,
    Gate,
    GateGraph,
    build_gates,
    local_formula,
)
from bptutor.core.formula import Formula, Ref
from bptutor.core.ops import ACTIVATIONS
from bptutor.derive.symbolic import to_text
from bptutor.errors import UsageError
from bptutor.i18n import Message
from bptutor.records import dataclass

DIGITS = 30
MAX_PATHS = 24  # paths written out; all of them are counted and summed
MAX_WHOLE_SIZE = 48  # nodes of the output written out as one tree in the leaves, for sympy's one-expression check


@dataclass(frozen=True)
class PathEdge:
    gate: str
    input: str
    formula: Formula  # ∂gate/∂input in the textbook form, its names carrying sympy's values
    value: Any  # sympy Float


@dataclass(frozen=True)
class CircuitPath:
    edges: tuple[PathEdge, ...]
    value: Any


@dataclass(frozen=True)
class CircuitDerivation:
    """∂output/∂name of an expression scenario derived in sympy, path by path and as one expression."""

    scenario: ExpressionScenario
    graph: GateGraph
    name: str
    output: str
    values: dict[str, Any]  # every value of the circuit (leaves and gates), sympy Floats
    paths: tuple[CircuitPath, ...]  # the first MAX_PATHS paths
    path_count: int
    gradient: Any  # the sum over every path
    whole: str | None  # the output as one expression in the leaves (or in NAME and the leaves, for a gate)
    derivative: str | None  # sympy's derivative of it (both None when the expression is too large: see whole_size)
    derivative_value: Any  # that derivative's value, or else the graph's own reverse pass
    whole_size: int = 0  # nodes of the output written out as a tree (forks copy their subtrees)


def symbol(name: str) -> Any:
    return sympy.Symbol(name, real=True)


def rational(value: float | Decimal) -> Any:
    """The exact rational of a number as written (0.1 is 1/10): from its shortest decimal text."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    numerator, denominator = exact.as_integer_ratio()
    return sympy.Rational(numerator, denominator)


def gate_expression(gate: Gate, args: list[Any]) -> Any:
    """The gate's operation on sympy arguments."""
    op = gate.op
    a = args[0]
    b = args[1] if len(args) > 1 else None
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "div":
        return a / b
    if op == "pow":
        return a ** rational(gate.exponent if gate.exponent is not None else Decimal(1))
    if op == "neg":
        return -a
    if op == "reciprocal":
        return 1 / a
    if op == "identity":
        return a
    if op == "exp":
        return sympy.exp(a)
    if op == "log":
        return sympy.log(a)
    if op in ("sigmoid", "tanh"):
        return ACTIVATIONS[op].sympy_forward(a, 0)
    if op == "relu":
        return sympy.Max(0, a)
    if op == "abs":
        return sympy.Abs(a)
    if op == "max":
        return sympy.Max(a, b)
    if op == "min":
        return sympy.Min(a, b)
    raise AssertionError(op)


def compose(graph: GateGraph, cut: str | None = None) -> dict[str, Any]:
    """Every value as a sympy expression in the leaves (and in the gate `cut`, kept as a symbol)."""
    expressions: dict[str, Any] = {leaf: symbol(leaf) for leaf in graph.leaves}
    expressions.update({text: rational(value) for text, value in graph.constants})
    for gate in graph.gates:
        if gate.name == cut:
            expressions[gate.name] = symbol(gate.name)
        else:
            expressions[gate.name] = gate_expression(gate, [expressions[name] for name in gate.inputs])
    return expressions


def explain_circuit(scenario: ExpressionScenario, name: str) -> CircuitDerivation:
    graph = build_gates(scenario.program, scenario.gates)
    gate_names = [gate.name for gate in graph.gates]
    if name not in graph.leaves and name not in gate_names:
        names = ", ".join([*graph.leaves, *gate_names])
        raise UsageError(Message.of("expression.unknown_name", name=name, names=names))
    size = whole_size(graph)
    if size > MAX_WHOLE_SIZE:
        return _explain_large(scenario, graph, name, size)
    exact_leaves = {symbol(leaf): rational(value) for leaf, value in scenario.values}
    expressions = compose(graph)
    exact = {key: expression.subs(exact_leaves) for key, expression in expressions.items()}
    values = {key: value.evalf(DIGITS) for key, value in exact.items()}
    counts: dict[str, int] = {}
    count = _count_paths(graph, graph.output, name, counts)
    found = _paths(graph, graph.output, name, counts)
    written = tuple(_path(path, exact, values) for path in islice(found, MAX_PATHS))
    cut = None if name in graph.leaves else name
    whole_expression = compose(graph, cut)[graph.output]
    derivative = sympy.diff(whole_expression, symbol(name))
    at = dict(exact_leaves)
    if cut is not None:
        at[symbol(cut)] = exact[cut]
    derivative_value = derivative.subs(at).evalf(DIGITS)
    if count <= MAX_PATHS:
        gradient = sum((path.value for path in written), sympy.Integer(0)).evalf(DIGITS)
    else:  # too many paths to write out: the total is the one-expression derivative's
        gradient = derivative_value
    return CircuitDerivation(
        scenario, graph, name, graph.output, values, written, count, gradient,
        to_text(whole_expression), to_text(derivative), derivative_value, size,
    )


def whole_size(graph: GateGraph) -> int:
    """Nodes of the output written out as one tree in the leaves: each fork copies its subtree (so 2ⁿ is possible)."""
    sizes: dict[str, int] = {}
    for gate in graph.gates:
        sizes[gate.name] = 1 + sum(sizes.get(name, 1) for name in gate.inputs)
    return sizes[graph.output]


def _explain_large(scenario: ExpressionScenario, graph: GateGraph, name: str, size: int) -> CircuitDerivation:
    """A program whose output, written out, is too large for sympy: values gate by gate, ∂f/∂NAME by the reverse pass.

    Every number is still sympy's at 30 digits, from the exact inputs; only the one-expression check is replaced
    by the graph's reverse pass (each gate's adjoint, the sum of upstream × local over its consumers), which is
    linear in the program where the written-out expression can be exponential.
    """
    values: dict[str, Any] = {leaf: rational(value).evalf(DIGITS) for leaf, value in scenario.values}
    values.update({text: rational(value).evalf(DIGITS) for text, value in graph.constants})
    for gate in graph.gates:
        values[gate.name] = gate_expression(gate, [values[input] for input in gate.inputs]).evalf(DIGITS)
    counts: dict[str, int] = {}
    count = _count_paths(graph, graph.output, name, counts)
    found = _paths(graph, graph.output, name, counts)
    forms: LocalForms = {}
    written = tuple(_path(path, values, values, forms) for path in islice(found, MAX_PATHS))
    adjoint: dict[str, Any] = {graph.output: sympy.Integer(1)}
    for gate in reversed(graph.gates):
        upstream = adjoint.get(gate.name, sympy.Integer(0))
        if gate.name == name or upstream == 0:
            continue
        for position, input in enumerate(gate.inputs):
            local = _local_value(gate, position, values, forms)
            adjoint[input] = adjoint.get(input, sympy.Integer(0)) + upstream * local
    gradient = sympy.Float(adjoint.get(name, sympy.Integer(0)), DIGITS)
    return CircuitDerivation(
        scenario, graph, name, graph.output, values, written, count, gradient, None, None, gradient, size
    )


def _local_value(gate: Gate, position: int, values: dict[str, Any], forms: LocalForms) -> Any:
    """∂gate/∂input number `position`, at the inputs' values (30 digits)."""
    arguments, local = _local_form(gate, position, forms)
    return local.subs(dict(zip(arguments, (values[name] for name in gate.inputs), strict=True))).evalf(DIGITS)


def _count_paths(graph: GateGraph, start: str, target: str, memo: dict[str, int]) -> int:
    """How many paths lead from `start` back to `target` (counted, not listed: forks can make very many)."""
    if start == target:
        return 1
    if start not in memo:
        gate = graph.find(start)
        inputs = gate.inputs if gate is not None else ()
        memo[start] = sum(_count_paths(graph, name, target, memo) for name in inputs)
    return memo[start]


def _paths(graph: GateGraph, start: str, target: str, counts: dict[str, int]) -> Iterator[list[tuple[Gate, int]]]:
    """The paths of edges (gate, argument position) from `start` back to `target`, one at a time.

    Only inputs that lead to `target` (by the counts) are followed, so each path is found without detours.
    """
    if start == target:
        yield []
        return
    gate = graph.find(start)
    if gate is None:
        return
    for position, name in enumerate(gate.inputs):
        if name != target and counts.get(name, 0) == 0:
            continue
        for rest in _paths(graph, name, target, counts):
            yield [(gate, position), *rest]


LocalForms = dict[tuple[str, Decimal | None, int, int], tuple[list[Any], Any]]


def _local_form(gate: Gate, position: int, forms: LocalForms) -> tuple[list[Any], Any]:
    """∂gate/∂input `position` in dummy arguments, differentiated once per kind of gate (not once per path)."""
    key = (gate.op, gate.exponent, len(gate.inputs), position)
    if key not in forms:
        arguments = [sympy.Dummy(f"a{index}", real=True) for index in range(len(gate.inputs))]
        forms[key] = arguments, sympy.diff(gate_expression(gate, arguments), arguments[position])
    return forms[key]


def _path(
    path: list[tuple[Gate, int]], exact: dict[str, Any], values: dict[str, Any], forms: LocalForms | None = None
) -> CircuitPath:
    forms = {} if forms is None else forms
    edges = []
    product = sympy.Integer(1)
    for gate, position in path:
        arguments, local = _local_form(gate, position, forms)
        local_exact = local.subs({argument: exact[name] for argument, name in zip(arguments, gate.inputs, strict=True)})
        local_value = local_exact.evalf(DIGITS)
        product = product * local_exact
        refs = tuple(Ref(name, float(values[name])) for name in gate.inputs)
        formula = local_formula(gate, refs, Ref(gate.name, float(values[gate.name])), position)
        edges.append(PathEdge(gate.name, gate.inputs[position], formula, local_value))
    return CircuitPath(tuple(edges), product.evalf(DIGITS))


__all__ = ["CircuitDerivation", "CircuitPath", "PathEdge", "compose", "explain_circuit", "gate_expression", "rational"]
