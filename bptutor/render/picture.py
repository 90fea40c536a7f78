"""The computational graph as a picture model: nodes with value and gradient, edges with local derivatives.

A `GraphPicture` is data, printed by `bptutor.render.graph` as terminal text,
Graphviz DOT, Mermaid, SVG or PNG. It is generic: any traced graph whose nodes
are named quantities fits, a layered network (`picture_from_run`) or an
expression's circuit of gates (`picture_from_circuit`).

For a network the picture is the full computational graph, one node per
quantity the tracer differentiates: inputs, parameters, each neuron's
pre-activation and activation, and the loss. Each node carries its value and
∂E/∂node; each edge source → target carries the local derivative
∂target/∂source and its share of the source's gradient, upstream × local =
∂E/∂target · ∂target/∂source, so that ∂E/∂node is the sum of its edges' shares.
Every number is read from the trace, never computed here.

Columns follow `bptutor.core.columns`, the rule the handout figure uses: the inputs
and the parameters of the first layer, then for each layer a column of
pre-activations and a column of activations (with the parameters of the next
layer beside them), then the loss.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bptutor.core.arithmetic import Arithmetic, Number
from bptutor.core.columns import neuron_columns, parameter_columns
from bptutor.core.formula import Formula
from bptutor.core.graph import Graph, Kind
from bptutor.core.trace import LocalFactor, Run, StepTrace, local_factors
from bptutor.i18n import Message
from bptutor.records import dataclass

if TYPE_CHECKING:
    from bptutor.core.circuit import CircuitRun

NODE_KINDS = ("input", "parameter", "pre_activation", "activation", "loss", "gate")


@dataclass(frozen=True)
class PictureNode:
    """One quantity: its value and ∂output/∂name (None where the trace computes none, as for inputs)."""

    name: str
    kind: str  # one of NODE_KINDS
    value: Number
    gradient: Number | None
    column: int
    operation: str = ""  # what the node computes: a gate's op ("add", "mul", …), a layer's activation, the loss
    formula: Formula = ()  # a gate's forward formula in the names it reads (x + y), shown in its label


@dataclass(frozen=True)
class PictureEdge:
    """source → target, with ∂target/∂source and, where the trace has it, upstream × local."""

    source: str
    target: str
    local: Number  # ∂target/∂source
    formula: Formula  # the local derivative in symbols (w5, out_h1·(1 − out_h1)); may be empty
    share: Number | None  # ∂output/∂target · ∂target/∂source, this edge's part of ∂output/∂source
    upstream: Number | None  # ∂output/∂target


@dataclass(frozen=True)
class PictureColumn:
    """The names standing in one column, top to bottom, and what the column holds (for its heading)."""

    names: tuple[str, ...]
    heading: tuple[Message, ...]


@dataclass(frozen=True)
class GraphPicture:
    title: str
    scenario: str  # the scenario's name
    output: str  # the quantity differentiated: E_total, or the expression's result
    nodes: tuple[PictureNode, ...]  # column by column, top to bottom
    edges: tuple[PictureEdge, ...]  # in the order of their sources, then of their targets
    columns: tuple[PictureColumn, ...]

    def node(self, name: str) -> PictureNode:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)

    def edges_from(self, name: str) -> tuple[PictureEdge, ...]:
        return tuple(edge for edge in self.edges if edge.source == name)

    def __post_init__(self) -> None:
        names = [node.name for node in self.nodes]
        assert len(set(names)) == len(names), "a node is listed twice"
        assert [name for column in self.columns for name in column.names] == names, "columns and nodes disagree"
        known = set(names)
        for edge in self.edges:
            assert edge.source in known and edge.target in known, f"edge {edge.source} → {edge.target}"


# ── a layered network ─────────────────────────────────────────────────────────

_KINDS = {
    Kind.INPUT: "input",
    Kind.PARAMETER: "parameter",
    Kind.PRE_ACTIVATION: "pre_activation",
    Kind.ACTIVATION: "activation",
    Kind.LOSS: "loss",
}


def picture_from_run(run: Run, title: str | None = None) -> GraphPicture:
    """The computational graph of the run's first step, with the trace's values and gradients."""
    graph, step = run.graph, run.first
    scenario = graph.scenario
    notation = scenario.notation
    columns = _network_columns(graph)
    values = {record.quantity: record.value for record in step.forward}
    edges = _edges(graph, step, values, [name for column in columns for name in column.names])
    loss_gradient = _loss_gradient(step, graph.loss_name)
    operations = {notation.act(n.name): layer.activation for layer in scenario.layers for n in layer.neurons}
    nodes = []
    for column_index, column in enumerate(columns):
        for name in column.names:
            kind = graph.quantity(name).kind
            gradient = loss_gradient if kind is Kind.LOSS else _gradient(step, name)
            operation = operations.get(name, scenario.loss if kind is Kind.LOSS else "")
            nodes.append(PictureNode(name, _KINDS[kind], values[name], gradient, column_index, str(operation)))
    return GraphPicture(
        title=scenario.title if title is None else title,
        scenario=scenario.name,
        output=graph.loss_name,
        nodes=tuple(nodes),
        edges=edges,
        columns=columns,
    )


def _network_columns(graph: Graph) -> tuple[PictureColumn, ...]:
    """Inputs and the first layer's parameters; per layer its pre-activations, then its activations
    beside the next layer's parameters; the loss."""
    scenario = graph.scenario
    notation = scenario.notation
    neurons = neuron_columns(scenario)
    parameters = parameter_columns(scenario)
    columns = []
    for index, layer in enumerate(scenario.layers):
        if index == 0:
            sources, heading = neurons[0], [Message.of("graphpic.column.inputs")]
        else:
            below = scenario.layers[index - 1]
            sources = tuple(notation.act(name) for name in neurons[index])
            heading = [Message.of("graphpic.column.activations", layer=below.name, activation=below.activation)]
        if parameters[index]:
            heading.append(Message.of("graphpic.column.parameters", layer=layer.name))
        columns.append(PictureColumn(sources + parameters[index], tuple(heading)))
        pre = tuple(notation.pre(name) for name in neurons[index + 1])
        columns.append(PictureColumn(pre, (Message.of("graphpic.column.pre_activations", layer=layer.name),)))
    last = scenario.layers[-1]
    outputs = tuple(notation.act(name) for name in neurons[-1])
    last_heading = Message.of("graphpic.column.activations", layer=last.name, activation=last.activation)
    columns.append(PictureColumn(outputs, (last_heading,)))
    columns.append(PictureColumn((graph.loss_name,), (Message.of("graphpic.column.loss", loss=scenario.loss),)))
    return tuple(columns)


def _gradient(step: StepTrace, name: str) -> Number | None:
    try:
        return step.gradient(name)
    except KeyError:  # an input: the trace computes no ∂E/∂input
        return None


def _loss_gradient(step: StepTrace, loss: str) -> Number:
    """∂E/∂E = 1, as the trace starts its backward pass (a float 1.0 or an exact Decimal 1)."""
    for record in step.backward:
        for term in record.terms:
            if term.via == loss:
                return term.upstream
    raise AssertionError(f"the backward pass never starts from {loss}")


def _edges(graph: Graph, step: StepTrace, values: dict[str, Number], order: list[str]) -> tuple[PictureEdge, ...]:
    """Every edge argument → quantity of every equation, except from the targets (constants of the loss).

    The local derivative is the one the backward pass used: the path term's local
    factor where there is one (under the `updated` convention, ∂in_o1/∂out_h1 is
    the updated w5′), else the trace's own `local_factors` (edges from inputs, which
    the backward pass does not follow). Under the textbook error convention the
    trace keeps −∂E/∂q and the loss's local factor signed (t − o); the picture
    shows ∂E/∂q and ∂E/∂out, the trace's numbers times the sign (±1, exact).
    """
    sign = step.sign
    arithmetic = Arithmetic(graph.scenario.rounding)
    with arithmetic.context():
        factors: dict[tuple[str, str], LocalFactor] = {}
        for equation in graph.equations:
            for factor in local_factors(equation, values, arithmetic):
                factors[(factor.of, factor.wrt)] = factor
    shares: dict[tuple[str, str], tuple[Number, Number]] = {}
    for record in step.backward:
        for term in record.terms:
            key = (term.via, record.quantity)
            if term.via != graph.loss_name:
                factors[key] = term.local  # the factor the backward pass used
            shares[key] = (sign * term.upstream if term.via != graph.loss_name else term.upstream, sign * term.value)  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
    position = {name: index for index, name in enumerate(order)}
    edges = []
    for (target, source), factor in factors.items():
        if source not in position:  # a target value: a constant of the loss
            continue
        upstream, share = shares.get((target, source), (None, None))
        edges.append(PictureEdge(source, target, factor.value, factor.formula, share, upstream))
    edges.sort(key=lambda edge: (position[edge.source], position[edge.target]))
    return tuple(edges)


# ── an expression's circuit of gates ──────────────────────────────────────────


def picture_from_circuit(circuit: CircuitRun, title: str | None = None) -> GraphPicture:
    """The circuit's gates and leaves with the run's values and gradients, edges with upstream × local.

    Columns by depth: the leaves first, then each gate one column after the deepest
    value it reads. Constants (the 2 of 2·p) are not nodes: the run follows no edge
    into them, and the gate's formula in its label shows them. A gate that reads one
    value twice (x·x) has two edges from it, one per argument.
    """
    graph = circuit.graph
    constants = {text for text, _ in graph.constants}
    depth = dict.fromkeys(graph.leaves, 0)
    for gate in graph.gates:
        depth[gate.name] = 1 + max((depth[name] for name in gate.inputs if name not in constants), default=0)
    count = max(depth.values()) + 1
    names: list[list[str]] = [[] for _ in range(count)]
    for name in list(graph.leaves) + [gate.name for gate in graph.gates]:
        names[depth[name]].append(name)
    columns = [PictureColumn(tuple(names[0]), (Message.of("graphpic.column.inputs"),))]
    for index in range(1, count):
        columns.append(PictureColumn(tuple(names[index]), (Message.of("graphpic.column.gates", depth=index),)))
    formulas = {record.gate.name: record.formula for record in circuit.forward}
    operations = {gate.name: gate.op for gate in graph.gates}
    nodes = []
    for index, column in enumerate(columns):
        for name in column.names:
            kind = "gate" if name in operations else "input"
            value, gradient = circuit.value(name), circuit.gradient(name)
            operation, formula = operations.get(name, ""), formulas.get(name, ())
            nodes.append(PictureNode(name, kind, value, gradient, index, operation, formula))
    order = {node.name: index for index, node in enumerate(nodes)}
    edges = [
        (
            order[edge.input],
            order[edge.gate],
            edge.position,
            PictureEdge(edge.input, edge.gate, edge.local, edge.local_formula, edge.downstream, edge.upstream),
        )
        for record in circuit.gradients
        for edge in record.edges
    ]
    edges.sort(key=lambda item: item[:3])
    return GraphPicture(
        title=circuit.scenario.title if title is None else title,
        scenario=circuit.scenario.name,
        output=graph.output,
        nodes=tuple(nodes),
        edges=tuple(item[3] for item in edges),
        columns=tuple(columns),
    )


__all__ = [
    "NODE_KINDS",
    "GraphPicture",
    "PictureColumn",
    "PictureEdge",
    "PictureNode",
    "picture_from_circuit",
    "picture_from_run",
]
