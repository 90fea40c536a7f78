"""An expression program as a circuit of gates: forward values and the backward pass, as data.

Each operation of the program is one gate. The forward pass records every gate's
value. The backward pass goes through the gates from the output back: for every
edge (a gate reading a value) it records upstream ∂f/∂gate, local ∂gate/∂input
and their product, the downstream contribution. Where a value forks (it is read
by several gates, or twice by one), its gradient is the sum of its edges' products,
and the sum is recorded too. Nothing is accumulated out of sight.

`gates: fine` shows a sigmoid as its four elementary gates (−z, exp, +1, 1/x), as
teaching material draws it; `grouped` (the default) as one gate with σ(1 − σ).

Numbers are float64; the local rules of σ, tanh and ReLU are those of the one
table of operations (`bptutor.core.ops`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from bptutor.core.expression import Apply, Name, Node, Number, Program
from bptutor.core.formula import TIMES, Formula, Ref
from bptutor.core.ops import ACTIVATIONS
from bptutor.errors import DivergenceError, Location, ScenarioError
from bptutor.i18n import Message
from bptutor.records import dataclass

GATE_MODES = ("grouped", "fine")


@dataclass(frozen=True)
class ExpressionScenario:
    """A scenario that gives an expression program and the values of its leaves, instead of layers."""

    name: str
    program: Program
    values: tuple[tuple[str, float], ...]  # the leaves, in the order the program first reads them
    gates: str = "grouped"  # or "fine"
    title: str = ""
    titles: tuple[tuple[str, str], ...] = ()
    source: str = "<memory>"
    lines: tuple[str, ...] = ()  # the program's lines as written
    positions: tuple[tuple[int | None, int | None], ...] = ()  # where each line starts in the file

    def title_in(self, lang: str) -> str:
        return dict(self.titles).get(lang, self.title)

    def locate(self, line: int, column: int) -> Location:
        return locate(self.source, self.positions, line, column)


def locate(source: str, positions: tuple[tuple[int | None, int | None], ...], line: int, column: int) -> Location:
    """The file position of column `column` (from 0) of program line `line` (from 0)."""
    if line < len(positions):
        file_line, file_column = positions[line]
        if file_line is not None and file_column is not None:
            return Location(source, file_line, file_column + column)
        return Location(source, file_line)
    return Location(source)


@dataclass(frozen=True)
class Gate:
    """One operation: `name = op(inputs)`. Inputs are leaves, constants (their text) or earlier gates."""

    name: str
    op: str  # add sub mul div pow neg reciprocal identity, or one of the expression functions
    inputs: tuple[str, ...]
    line: int  # the program line it comes from (from 0), and the column of its operation
    column: int
    exponent: Decimal | None = None  # for pow


@dataclass(frozen=True)
class GateGraph:
    leaves: tuple[str, ...]
    constants: tuple[tuple[str, Decimal], ...]  # written text → value, e.g. ("2", 2)
    gates: tuple[Gate, ...]  # in the order they are computed; the last one is the output

    @property
    def output(self) -> str:
        return self.gates[-1].name

    def find(self, name: str) -> Gate | None:
        """The gate that computes `name`, or None for a leaf or a constant."""
        for gate in self.gates:
            if gate.name == name:
                return gate
        return None


@dataclass(frozen=True)
class ForwardValue:
    gate: Gate
    formula: Formula  # the gate in the names it reads: g1·z
    value: float


@dataclass(frozen=True)
class Edge:
    """One edge of the backward pass: ∂f/∂input gets upstream ∂f/∂gate × local ∂gate/∂input."""

    gate: str
    input: str
    position: int  # which argument of the gate (a gate may read one value twice: x·x)
    upstream: float
    local: float
    local_formula: Formula  # ∂gate/∂input in names: z, 1, g·(1 − g)
    downstream: float


@dataclass(frozen=True)
class Gradient:
    """∂f/∂name: the sum of the downstream products of the edges into it (1 for the output itself)."""

    name: str
    is_leaf: bool
    edges: tuple[Edge, ...]
    value: float

    @property
    def forks(self) -> bool:
        return len(self.edges) > 1


@dataclass(frozen=True)
class CircuitRun:
    scenario: ExpressionScenario
    graph: GateGraph
    forward: tuple[ForwardValue, ...]
    gradients: tuple[Gradient, ...]  # the output, the gates from the output back, then the leaves
    notes: tuple[Message, ...]

    @property
    def output(self) -> float:
        return self.forward[-1].value

    def value(self, name: str) -> float:
        for record in self.forward:
            if record.gate.name == name:
                return record.value
        values = dict(self.scenario.values)
        if name in values:
            return values[name]
        raise KeyError(name)

    def gradient(self, name: str) -> float:
        for record in self.gradients:
            if record.name == name:
                return record.value
        raise KeyError(name)

    @property
    def leaf_gradients(self) -> dict[str, float]:
        return {record.name: record.value for record in self.gradients if record.is_leaf}


# ── building the gates ────────────────────────────────────────────────────────


def build_gates(program: Program, mode: str = "grouped") -> GateGraph:
    """One gate per operation; inner results are named g1, g2, … (skipping names the program uses)."""
    builder = _Builder(program, mode)
    for statement in program.statements:
        builder.statement(statement.name, statement.expression, statement.line)
    return GateGraph(program.leaves, tuple(builder.constants.items()), tuple(builder.gates))


class _Builder:
    def __init__(self, program: Program, mode: str) -> None:
        self.mode = mode
        self.taken = set(program.leaves) | {statement.name for statement in program.statements}
        self.gates: list[Gate] = []
        self.constants: dict[str, Decimal] = {}
        self.counter = 0

    def fresh(self) -> str:
        while True:
            self.counter += 1
            name = f"g{self.counter}"
            if name not in self.taken:
                self.taken.add(name)
                return name

    def statement(self, name: str, node: Node, line: int) -> None:
        if isinstance(node, Apply):
            self.emit(node, line, name)
        else:  # f = x, or f = 2: a gate that passes the value on
            self.gates.append(Gate(name, "identity", (self.emit(node, line),), line, node.column))

    def emit(self, node: Node, line: int, name: str | None = None) -> str:
        """The name of the value `node` computes, adding its gates."""
        if isinstance(node, Number):
            self.constants.setdefault(node.text, node.value)
            return node.text
        if isinstance(node, Name):
            return node.name
        inputs = tuple(self.emit(arg, line) for arg in node.args)
        if node.op == "sigmoid" and self.mode == "fine":
            negated = self.add("neg", (inputs[0],), line, node.column)
            exponential = self.add("exp", (negated,), line, node.column)
            self.constants.setdefault("1", Decimal(1))
            denominator = self.add("add", (exponential, "1"), line, node.column)
            return self.add("reciprocal", (denominator,), line, node.column, name)
        if node.op == "pow":
            exponent = node.args[1]
            assert isinstance(exponent, Number)
            return self.add("pow", inputs[:1], line, node.column, name, exponent.value)
        return self.add(node.op, inputs, line, node.column, name)

    def add(
        self, op: str, inputs: tuple[str, ...], line: int, column: int, name: str | None = None,
        exponent: Decimal | None = None,
    ) -> str:
        gate = Gate(name or self.fresh(), op, inputs, line, column, exponent)
        self.gates.append(gate)
        return gate.name


# ── the local rules: forward value, local derivative and their formulas ───────


class _Domain(Exception):
    """An operation outside its domain (log of 0, division by 0): the catalog key of the reason."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _power(base: float, exponent: Decimal) -> float:
    if exponent == exponent.to_integral_value():
        if base == 0 and exponent < 0:
            raise _Domain("expression.domain.zero_power")
        return float(base ** int(exponent))
    if base < 0:
        raise _Domain("expression.domain.negative_power")
    if base == 0 and exponent < 0:
        raise _Domain("expression.domain.zero_power")
    return float(base ** float(exponent))


def _divide(numerator: float, denominator: float) -> float:
    if denominator == 0:
        raise _Domain("expression.domain.division")
    return numerator / denominator


def _log(value: float) -> float:
    if value <= 0:
        raise _Domain("expression.domain.log")
    return math.log(value)


SIGMOID = ACTIVATIONS["sigmoid"]
TANH = ACTIVATIONS["tanh"]
RELU = ACTIVATIONS["relu"]

FORWARD: dict[str, Callable[[tuple[float, ...], Gate], float]] = {
    "add": lambda x, g: x[0] + x[1],
    "sub": lambda x, g: x[0] - x[1],
    "mul": lambda x, g: x[0] * x[1],
    "div": lambda x, g: _divide(x[0], x[1]),
    "pow": lambda x, g: _power(x[0], g.exponent or Decimal(1)),
    "neg": lambda x, g: -x[0],
    "reciprocal": lambda x, g: _divide(1.0, x[0]),
    "identity": lambda x, g: x[0],
    "exp": lambda x, g: math.exp(x[0]),
    "log": lambda x, g: _log(x[0]),
    "sigmoid": lambda x, g: float(SIGMOID.forward(x[0], 0.0)),
    "tanh": lambda x, g: float(TANH.forward(x[0], 0.0)),
    "relu": lambda x, g: float(RELU.forward(x[0], 0.0)),
    "abs": lambda x, g: abs(x[0]),
    "max": lambda x, g: max(x[0], x[1]),
    "min": lambda x, g: min(x[0], x[1]),
}


def _pow_local(x: tuple[float, ...], gate: Gate) -> float:
    exponent = gate.exponent or Decimal(1)
    return float(exponent) * _power(x[0], exponent - 1)


def _sign(value: float) -> float:
    return 1.0 if value > 0 else -1.0 if value < 0 else 0.0


# ∂gate/∂(argument i): (inputs, output, gate, i) → number
LOCAL: dict[str, Callable[[tuple[float, ...], float, Gate, int], float]] = {
    "add": lambda x, out, g, i: 1.0,
    "sub": lambda x, out, g, i: 1.0 if i == 0 else -1.0,
    "mul": lambda x, out, g, i: x[1 - i],
    "div": lambda x, out, g, i: _divide(1.0, x[1]) if i == 0 else -_divide(x[0], x[1] * x[1]),
    "pow": lambda x, out, g, i: _pow_local(x, g),
    "neg": lambda x, out, g, i: -1.0,
    "reciprocal": lambda x, out, g, i: -_divide(1.0, x[0] * x[0]),
    "identity": lambda x, out, g, i: 1.0,
    "exp": lambda x, out, g, i: out,
    "log": lambda x, out, g, i: _divide(1.0, x[0]),
    "sigmoid": lambda x, out, g, i: float(SIGMOID.derivative(x[0], out, 0.0)),
    "tanh": lambda x, out, g, i: float(TANH.derivative(x[0], out, 0.0)),
    "relu": lambda x, out, g, i: float(RELU.derivative(x[0], out, 0.0)),
    "abs": lambda x, out, g, i: _sign(x[0]),
    # the larger argument takes the whole gradient; at a tie, the first one does
    "max": lambda x, out, g, i: float((x[0] >= x[1]) == (i == 0)),
    "min": lambda x, out, g, i: float((x[0] <= x[1]) == (i == 0)),
}


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace("-", "−")


def forward_formula(gate: Gate, refs: tuple[Ref, ...]) -> Formula:
    """The gate in the names it reads: x + y, g1·z, σ(g2), 1/g4."""
    a = refs[0]
    b = refs[1] if len(refs) > 1 else a
    shapes: dict[str, Formula] = {
        "add": (a, " + ", b),
        "sub": (a, " − ", b),
        "mul": (a, TIMES, b),
        "div": (a, "/", b),
        "pow": (a, "^", _number_text(gate.exponent or Decimal(1))),
        "neg": ("−", a),
        "reciprocal": ("1/", a),
        "identity": (a,),
        "exp": ("e^", a),
        "log": ("log(", a, ")"),
        "sigmoid": ("σ(", a, ")"),
        "tanh": ("tanh(", a, ")"),
        "relu": ("max(0, ", a, ")"),
        "abs": ("|", a, "|"),
        "max": ("max(", a, ", ", b, ")"),
        "min": ("min(", a, ", ", b, ")"),
    }
    return shapes[gate.op]


def local_formula(gate: Gate, refs: tuple[Ref, ...], output: Ref, position: int) -> Formula:
    """∂gate/∂(argument `position`) in the textbook form, in names: z, 1, −x/y², g·(1 − g)."""
    a = refs[0]
    b = refs[1] if len(refs) > 1 else a
    other = refs[1 - position] if len(refs) > 1 else a
    mine = refs[position]
    op = gate.op
    if op in ("add", "identity") or (op == "sub" and position == 0):
        return ("1",)
    if op in ("sub", "neg"):
        return ("−1",)
    if op == "mul":
        return (other,)
    if op == "div":
        return ("1/", b) if position == 0 else ("−", a, "/", b, "²")
    if op == "pow":
        exponent = gate.exponent or Decimal(1)
        if exponent - 1 == 1:
            return (_number_text(exponent), TIMES, a)
        if exponent - 1 == 0:
            return ("1",)
        return (_number_text(exponent), TIMES, a, "^", _number_text(exponent - 1))
    if op == "reciprocal":
        return ("−1/", a, "²")
    if op == "exp":
        return ("e^", a)
    if op == "log":
        return ("1/", a)
    if op == "sigmoid":
        return (output, TIMES, "(1 − ", output, ")")
    if op == "tanh":
        return ("1 − ", output, "²")
    if op == "relu":
        return ("1 (since ", a, " > 0)") if a.value > 0 else ("0 (since ", a, " ≤ 0)")
    if op == "abs":
        if a.value == 0:
            return ("0 (since ", a, " = 0)")
        return ("1 (since ", a, " > 0)") if a.value > 0 else ("−1 (since ", a, " < 0)")
    # max and min: the gate routes the whole gradient to the argument it picked
    picked = (a.value >= b.value) if op == "max" else (a.value <= b.value)
    chosen = picked == (position == 0)
    relation = "≥" if chosen == (op == "max") else "<"
    if op == "min":
        relation = "≤" if chosen else ">"
    return ("1" if chosen else "0", " (since ", mine, f" {relation} ", other, ")")


# ── the run ───────────────────────────────────────────────────────────────────


def run(scenario: ExpressionScenario) -> CircuitRun:
    """Forward values of every gate, then every edge of the backward pass and the sums at forks."""
    graph = build_gates(scenario.program, scenario.gates)
    values: dict[str, float] = dict(scenario.values)
    values.update({text: float(value) for text, value in graph.constants})
    constants = {text for text, _ in graph.constants}
    forward = []
    for gate in graph.gates:
        inputs = tuple(values[name] for name in gate.inputs)
        values[gate.name] = _checked(scenario, gate, FORWARD[gate.op], inputs, gate)
        refs = tuple(Ref(name, values[name]) for name in gate.inputs)
        forward.append(ForwardValue(gate, forward_formula(gate, refs), values[gate.name]))
    edges_into: dict[str, list[Edge]] = {}
    totals: dict[str, float] = {graph.output: 1.0}
    order: list[str] = []
    for gate in reversed(graph.gates):
        upstream = totals.get(gate.name, 0.0)
        order.append(gate.name)
        inputs = tuple(values[name] for name in gate.inputs)
        refs = tuple(Ref(name, values[name]) for name in gate.inputs)
        output = Ref(gate.name, values[gate.name])
        for position, name in enumerate(gate.inputs):
            if name in constants:
                continue
            local = _checked(scenario, gate, LOCAL[gate.op], inputs, values[gate.name], gate, position)
            downstream = _finite(scenario, gate, upstream * local)
            edge = Edge(
                gate.name, name, position, upstream, local, local_formula(gate, refs, output, position), downstream
            )
            edges_into.setdefault(name, []).append(edge)
            totals[name] = _finite(scenario, gate, totals.get(name, 0.0) + downstream)
    gradients = [Gradient(name, False, tuple(edges_into.get(name, ())), totals.get(name, 0.0)) for name in order]
    gradients += [Gradient(name, True, tuple(edges_into.get(name, ())), totals.get(name, 0.0)) for name in graph.leaves]
    return CircuitRun(scenario, graph, tuple(forward), tuple(gradients), _notes(graph, values))


def _checked(scenario: ExpressionScenario, gate: Gate, compute: Callable[..., float], *arguments: object) -> float:
    """compute(*arguments), or a located error for an operation outside its domain; overflow is a DivergenceError."""
    try:
        value = compute(*arguments)
    except _Domain as problem:
        message = Message.of("expression.domain", gate=gate.name, reason=Message.of(problem.key))
        location = scenario.locate(gate.line, gate.column)
        raise ScenarioError(message, location, f"expression.{gate.name}") from None
    except OverflowError:
        value = math.inf
    return _finite(scenario, gate, value)


def _finite(scenario: ExpressionScenario, gate: Gate, value: float) -> float:
    if not math.isfinite(value):
        raise DivergenceError(
            Message.of("expression.overflow", gate=gate.name, where=str(scenario.locate(gate.line, gate.column)))
        )
    return value


def _notes(graph: GateGraph, values: dict[str, float]) -> tuple[Message, ...]:
    """Kinks where a gate is not differentiable: a tie of max or min, ReLU or |x| at 0."""
    notes = []
    for gate in graph.gates:
        inputs = [values[name] for name in gate.inputs]
        if gate.op in ("max", "min") and inputs[0] == inputs[1]:
            notes.append(Message.of("expression.note.tie", gate=gate.name, op=gate.op))
        elif gate.op in ("relu", "abs") and inputs[0] == 0:
            notes.append(Message.of("expression.note.kink", gate=gate.name, op=gate.op))
    return tuple(notes)


__all__ = [
    "GATE_MODES",
    "CircuitRun",
    "Edge",
    "ExpressionScenario",
    "ForwardValue",
    "Gate",
    "GateGraph",
    "Gradient",
    "build_gates",
    "run",
]
