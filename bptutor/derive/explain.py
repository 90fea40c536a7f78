"""`explain`: the textbook derivation of one gradient, or the definition of one quantity.

Built from the Graph and the sympy network (`bptutor.derive.symbolic`), never from the
numeric tracer: every number here is sympy's own, at 30 significant digits.
"""

from __future__ import annotations

import re
from typing import Any

import sympy

from bptutor.core.formula import TIMES, Formula, Ref, Token, join
from bptutor.core.graph import (
    Activate,
    Equation,
    Graph,
    Kind,
    TotalLoss,
    WeightedSum,
    build,
)
from bptutor.core.layered import canonical
from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
from bptutor.core.scenario import Scenario
from bptutor.derive.symbolic import SymbolicNetwork, build_symbolic, to_text
from bptutor.errors import UsageError
from bptutor.i18n import Message
from bptutor.records import dataclass

MAX_PATHS = 32  # beyond this many paths, only the δ form is written out
LARGE_NETWORK = 60  # parameters; in a larger network only a single path is written out, else the δ form

Edge = tuple[str, str]  # (of, wrt): the factor ∂of/∂wrt


@dataclass(frozen=True)
class Factor:
    """One chain-rule factor ∂of/∂wrt, derived three ways."""

    of: str
    wrt: str
    definition: str  # of = … (text)
    derivative: str  # what sympy's diff gives (text)
    textbook: str | None  # the textbook form when it differs, e.g. out_o1·(1 − out_o1)
    substituted: Formula  # the textbook form, as a formula the renderer prints with the numbers in
    value: Any  # sympy Float


@dataclass(frozen=True)
class PathValue:
    edges: tuple[Edge, ...]
    value: Any  # the product of every factor on the path
    head_value: Any  # the product of its factors before the tail all paths share


@dataclass(frozen=True)
class DeltaTerm:
    """One term of the δ form: δ_n · ∂in_n/∂p, with δ_n by the first or second BP equation."""

    neuron: str
    delta: Any
    local_name: str  # out_h1, or 1 for a bias
    local: Any
    value: Any
    delta_formula: Formula  # ∂E/∂out_o1·out_o1·(1 − out_o1), or (w5·δ_o1 + w7·δ_o2)·out_h1·(1 − out_h1)


@dataclass(frozen=True)
class Entry:
    """One factor of an output's δ taken through its activation: ∂E/∂a_i, or ∂a_i/∂z_j, written out and evaluated."""

    of: str
    wrt: str
    formula: Formula  # in the textbook's form: −y_i/a_i, a_i·(1 − a_i), −a_i·a_j
    value: Any


@dataclass(frozen=True)
class OutputDelta:
    """δ_j of an output through its activation's derivative: Σ_i ∂E/∂a_i·∂a_i/∂z_j (one term for a sigmoid)."""

    neuron: str
    pre: str
    upstream: tuple[Entry, ...]  # ∂E/∂a_i for each a_i that z_j feeds
    local: tuple[Entry, ...]  # ∂a_i/∂z_j, in the same order
    value: Any  # their sum of products: δ_j
    fused: bool  # the loss cancels the activation's derivative: δ_j = a_j − y_j


@dataclass(frozen=True)
class Definition:
    """A quantity's defining formula: its text, and the same as a formula to substitute into."""

    name: str
    symbols: str
    substituted: Formula
    value: Any


@dataclass(frozen=True)
class Derivation:
    """One quantity's gradient derived in sympy: every path of chain-rule factors, with their values.

    (The public `bptutor.api.Explanation` wraps it for people.)
    """

    network: SymbolicNetwork
    target: str  # the name asked about, as resolved (δ_h1 → in_h1)
    asked: str  # the name as the user wrote it
    kind: Kind
    definition: Definition | None  # for quantities that have one
    gradient: Any  # ∂E/∂target
    paths: tuple[PathValue, ...]  # every path from E down to the target (empty when too many)
    path_count: int
    common_tail: tuple[Edge, ...]  # edges shared by every path at the target's end
    factors: tuple[Factor, ...]  # each distinct factor, from the loss down
    delta_terms: tuple[DeltaTerm, ...]  # for parameters: ∂E/∂p = Σ δ·local
    rate: Any | None  # η, for parameters
    new_value: Any | None  # p − η·∂E/∂p (or p itself when frozen)
    frozen: bool
    jacobian: bool = False  # fused outputs derived through their activation's Jacobian (`--jacobian`)
    # the output error terms the derivation reads, each taken through its activation: why δ = a − y for a fused
    # loss, or with `jacobian` every δ of a softmax layer with the whole Jacobian it needs
    output_deltas: tuple[OutputDelta, ...] = ()

    @property
    def graph(self) -> Graph:
        return self.network.graph

    @property
    def loss(self) -> str:
        return self.graph.loss_name

    @property
    def chain_value(self) -> Any:
        """The exact chain rule: the sum over the paths of their products."""
        return sympy.Add(*(path.value for path in self.paths))

    @property
    def split_value(self) -> Any:
        """∂E/∂(the node where the paths meet): the sum of the paths' heads."""
        return sympy.Add(*(path.head_value for path in self.paths))

    @property
    def update_change(self) -> Any:
        """Σ Err·input, the change a textbook update adds (times η)."""
        return sympy.Add(*(term.value for term in self.delta_terms))


def resolve(graph: Graph, name: str) -> tuple[str, str]:
    """Map what the user typed to a quantity: δ_h1 (or delta_h1) to in_h1; names are exact otherwise."""
    notation = graph.scenario.notation
    known = {q.name for q in graph.quantities}
    if name in known:
        return name, name
    written = canonical(name)  # w^(2)_{3,5}, w2_3_5 … → w_2_3_5, the compact form's own name
    if written is not None and written != name:
        try:
            return resolve(graph, written)
        except UsageError:
            pass
    for quantity in graph.quantities:
        if quantity.kind is Kind.PRE_ACTIVATION and quantity.neuron is not None:
            delta = notation.dlt(quantity.neuron)
            if name in (delta, delta.replace("δ", "delta"), delta.replace("δ", "d")):
                return quantity.name, delta
    terms = {term.name for eq in graph.equations if isinstance(eq, TotalLoss) for term in eq.terms}
    if name in terms:
        return name, name
    import difflib

    candidates = sorted(known | terms)
    close = difflib.get_close_matches(name, candidates, n=3)
    hint: Message | str = Message.of("usage.did_you_mean", names=", ".join(close)) if close else ""
    sample = re.fullmatch(r"(.+)\[\d+\]", name.strip())
    if sample is not None and graph.scenario.samples is None:  # w5[2] names a sample of a batch; here is one example
        hint = Message.of("usage.one_example", name=sample.group(1))
    shown = ", ".join(q.name for q in graph.quantities if q.kind is Kind.PARAMETER)
    scenario = graph.scenario.name
    raise UsageError(Message.of("usage.not_a_quantity", name=name, scenario=scenario, hint=hint, parameters=shown))


def explain(scenario: Scenario, name: str, jacobian: bool = False) -> Derivation:
    """The derivation of ∂E/∂name. `jacobian`: an output whose activation the loss cancels (softmax with
    cross-entropy, sigmoid with bce) is derived through its activation's Jacobian instead of the fused δ."""
    graph = build(scenario)
    network = build_symbolic(graph)
    target, asked = resolve(graph, name)
    if target not in network.symbols:  # a loss term such as E_o1: definition only
        return _term_explanation(network, target)
    kind = graph.quantity(target).kind
    if kind in (Kind.INPUT, Kind.TARGET):
        raise UsageError(Message.of("usage.given", name=target, kind=Message.of(f"kind.{kind.value}")))
    paths = _paths(graph, target, jacobian)
    path_count = len(paths)
    large = len(scenario.parameters) > LARGE_NETWORK and path_count > 1
    shown_paths = paths if path_count <= MAX_PATHS and not large else []
    factors = _factors(network, shown_paths)
    tail = _common_tail(shown_paths)

    def product(edges: list[Edge]) -> Any:
        return sympy.N(sympy.Mul(*(_factor_value(factors, edge) for edge in edges)), network.precision)

    path_values = tuple(
        PathValue(tuple(path), product(path), product(path[: len(path) - len(tail)])) for path in shown_paths
    )
    gradient = _gradient(network, target)
    rate = new_value = None
    frozen = False
    if kind is Kind.PARAMETER:
        rate = network.given(dict(graph.learning_rates)[target])
        frozen = target in graph.frozen
        old = network.values[target]
        new_value = old if frozen else network.written(sympy.N(old - rate * gradient, network.precision), "parameters")
    return Derivation(
        network=network,
        target=target,
        asked=asked,
        kind=kind,
        definition=_definition(network, target),
        gradient=gradient,
        paths=path_values,
        path_count=path_count,
        common_tail=tail,
        factors=factors,
        delta_terms=_delta_terms(network, target, jacobian) if kind is Kind.PARAMETER else (),
        rate=rate,
        new_value=new_value,
        frozen=frozen,
        jacobian=jacobian,
        output_deltas=_output_deltas(network, paths, jacobian),
    )


def _term_explanation(network: SymbolicNetwork, name: str) -> Derivation:
    graph = network.graph
    (loss_equation,) = [eq for eq in graph.equations if isinstance(eq, TotalLoss)]
    (term,) = [t for t in loss_equation.terms if t.name == name]
    expression = loss_of(loss_equation.loss).sympy_term(network.symbol(term.target), network.symbol(term.output))
    definition = Definition(name, to_text(expression), _substitute(network, expression), network.values[name])
    return Derivation(network, name, name, Kind.LOSS, definition, None, (), 0, (), (), (), None, None, False, False)


def _substitute(network: SymbolicNetwork, expression: Any) -> Formula:
    """The expression's textbook text as a formula whose names carry their values."""
    return formula_from_text(to_text(expression), network.values)


def formula_from_text(text: str, values: dict[str, Any]) -> Formula:
    """Split a formula's text into tokens: known names become Refs, · becomes a product sign."""
    tokens: list[Token] = []
    position = 0
    for match in _NAME.finditer(text):
        name = match.group(0)
        if name not in values:
            continue
        tokens += _literal(text[position : match.start()])
        tokens.append(Ref(name, float(values[name])))
        position = match.end()
    tokens += _literal(text[position:])
    return tuple(tokens)


_NAME = re.compile(r"[^\W\d][\w']*")


def _literal(text: str) -> list[Token]:
    tokens: list[Token] = []
    for index, piece in enumerate(text.split("·")):
        if index:
            tokens.append(TIMES)
        if piece:
            tokens.append(piece)
    return tokens


def consumers(graph: Graph, name: str, jacobian: bool = False) -> tuple[Equation, ...]:
    """The equations `name` feeds on the way back from the loss.

    A logit that the loss reads itself (a loss fused with its output activation) feeds the loss
    directly (δ = out − target), or, with `jacobian`, only through the activations of its layer.
    """
    readers = graph.consumers(name)
    fused = [c for c in readers if isinstance(c, TotalLoss) and any(term.logit == name for term in c.terms)]
    if not fused:
        return readers
    return tuple(c for c in readers if isinstance(c, TotalLoss) != jacobian)


def _paths(graph: Graph, target: str, jacobian: bool = False) -> list[list[Edge]]:
    """Every path from the loss down to `target`, as lists of edges (of, wrt), in forward order of consumers."""
    loss = graph.loss_name
    memo: dict[str, list[list[Edge]]] = {}

    def down_to(name: str) -> list[list[Edge]]:
        # paths from the loss to `name`
        if name == loss:
            return [[]]
        if name in memo:
            return memo[name]
        found: list[list[Edge]] = []
        for consumer in consumers(graph, name, jacobian):
            for prefix in down_to(consumer.output):
                found.append([*prefix, (consumer.output, name)])
                if len(found) > MAX_PATHS:
                    break
        memo[name] = found
        return found

    return down_to(target)


def _common_tail(paths: list[list[Edge]]) -> tuple[Edge, ...]:
    if not paths:
        return ()
    tail: list[Edge] = []
    for edges in zip(*(reversed(path) for path in paths), strict=False):
        if all(edge == edges[0] for edge in edges):
            tail.insert(0, edges[0])
        else:
            break
    return tuple(tail)


def _factors(network: SymbolicNetwork, paths: list[list[Edge]]) -> tuple[Factor, ...]:
    """Each distinct factor once: path by path from the loss down, then the tail all paths share."""
    tail = _common_tail(paths)
    ordered: list[Edge] = []
    for path in paths:
        for edge in path[: len(path) - len(tail)]:
            if edge not in ordered:
                ordered.append(edge)
    ordered += [edge for edge in tail if edge not in ordered]
    return tuple(_factor(network, of, wrt) for of, wrt in ordered)


def _factor(network: SymbolicNetwork, of: str, wrt: str) -> Factor:
    if network.fused_term(of, wrt) is not None:  # δ = out − target: the activation's derivative has cancelled
        delta = network.fused_delta(wrt)
        definition = f"{of} = {to_text(network.definitions[of])}"
        value = network.local_value(of, wrt)
        return Factor(of, wrt, definition, to_text(delta), None, _substitute(network, delta), value)
    derivative = network.local_derivative(of, wrt)
    value = network.local_value(of, wrt)
    equation = network.graph.definition(of)
    textbook_expression = derivative
    if isinstance(equation, Activate):
        textbook_expression = network.textbook_derivative(of, wrt)
    textbook = to_text(textbook_expression)
    derivative_text = to_text(derivative)
    if isinstance(equation, TotalLoss):  # write −(t − o) as the notes do, not o − t
        (term,) = [t for t in equation.terms if t.output == wrt]
        textbook = _loss_textbook(loss_of(equation.loss), term.target, wrt, len(equation.terms), of)
    definition = f"{of} = {to_text(network.definitions[of])}"
    substituted = _substitute(network, textbook_expression)
    if isinstance(equation, TotalLoss):
        substituted = _substitute_text(network, textbook)
    updated = _updated_weight(network, of, wrt)
    if updated is not None:  # the classic variant: the weight as already updated in this step
        name, value = updated
        textbook, substituted = name, (Ref(name, float(value)),)
    return Factor(
        of=of,
        wrt=wrt,
        definition=definition,
        derivative=derivative_text,
        textbook=None if textbook == derivative_text else textbook,
        substituted=substituted,
        value=value,
    )


def _loss_textbook(loss: Any, target: str, output: str, count: int, total: str) -> str:
    if loss.root:  # E = √(mean): ∂E/∂out = (out − target)/(n·E), E the loss itself
        return f"({output} − {target})/({count}·{total})"
    pieces = loss.derivative_formula(Ref(target, 0.0), Ref(output, 0.0), count)
    return "".join(piece.name if isinstance(piece, Ref) else "·" if piece == TIMES else str(piece) for piece in pieces)


def _substitute_text(network: SymbolicNetwork, text: str) -> Formula:
    return formula_from_text(text, network.values)


def _factor_value(factors: tuple[Factor, ...], edge: Edge) -> Any:
    for factor in factors:
        if (factor.of, factor.wrt) == edge:
            return factor.value
    raise KeyError(edge)


def _gradient(network: SymbolicNetwork, target: str, jacobian: bool = False) -> Any:
    """∂E/∂target by the chain rule on sympy's own local derivatives.

    ∂E/∂q = Σ over the equations c that read q of ∂E/∂c · ∂c/∂q, from the loss
    down; every local derivative is sympy's diff of a definition, evaluated at
    30 digits. (The tests differentiate the whole loss in one piece as well.)
    """
    graph = network.graph
    memo: dict[str, Any] = {graph.loss_name: sympy.Integer(1)}

    def gradient_of(name: str) -> Any:
        if name not in memo:
            total: Any = sympy.Integer(0)
            for consumer in consumers(graph, name, jacobian):
                updated = _updated_weight(network, consumer.output, name)
                local = updated[1] if updated else network.local_value(consumer.output, name)
                total += gradient_of(consumer.output) * local
            kind = graph.quantity(name).kind
            rounded_as = {Kind.PRE_ACTIVATION: "deltas", Kind.PARAMETER: "gradients"}.get(kind)
            value = sympy.N(total, network.precision)
            memo[name] = network.written(value, rounded_as) if rounded_as else value
        return memo[name]

    return gradient_of(target)


def _definition(network: SymbolicNetwork, name: str) -> Definition | None:
    equation = network.graph.definition(name)
    if equation is None:
        return None
    expression = network.definitions[name]
    symbols = to_text(expression)
    if isinstance(equation, Activate) and equation.group:
        assert isinstance(equation.activation, str)
        symbols = f"{LAYER_ACTIVATIONS[equation.activation].symbol}({equation.argument}) = {symbols}"
    elif isinstance(equation, Activate):
        symbols = f"{activation_of(equation.activation).symbol}({equation.argument}) = {symbols}"
    return Definition(name, symbols, _substitute(network, expression), network.values[name])


def _delta_terms(network: SymbolicNetwork, parameter: str, jacobian: bool = False) -> tuple[DeltaTerm, ...]:
    """∂E/∂p = Σ over the neurons using p of δ_n · ∂in_n/∂p (the third BP equation)."""
    graph = network.graph
    terms = []
    for equation in graph.consumers(parameter):
        assert isinstance(equation, WeightedSum)
        neuron = graph.quantity(equation.output).neuron
        assert neuron is not None
        delta = error_sign(graph) * _gradient(network, equation.output)
        local_name, local = ("(−1)", sympy.Integer(-1)) if equation.threshold else ("1", sympy.Integer(1))
        for weight, source in equation.terms:
            if weight == parameter:
                local_name, local = source, network.values[source]
        terms.append(
            DeltaTerm(
                neuron,
                delta,
                local_name,
                local,
                sympy.N(delta * local, network.precision),
                _delta_equation(network, neuron, jacobian),
            )
        )
    return tuple(terms)


def _delta_equation(network: SymbolicNetwork, neuron: str, jacobian: bool = False) -> Formula:
    """δ of one neuron as the BP equations write it.

    Output layer:  δ_j = ∂E/∂a_j · f′(z_j)
    Hidden layer:  δ_j = (Σ_k w_kj·δ_k) · f′(z_j)
    """
    graph = network.graph
    notation = graph.scenario.notation
    sign = error_sign(graph)
    pre, act = notation.pre(neuron), notation.act(neuron)
    if not jacobian and network.fused_term(graph.loss_name, pre) is not None:  # δ = out − target
        fused = _substitute(network, network.fused_delta(pre))
        return ("−(", *fused, ")") if sign < 0 else fused
    definition = graph.definition(act)
    if isinstance(definition, Activate) and definition.group:  # softmax: δ_j = Σ_i ∂E/∂a_i·∂a_i/∂z_j
        return _softmax_delta_equation(network, definition, pre)
    parts: list[Formula] = []
    for consumer in graph.consumers(act):
        if isinstance(consumer, TotalLoss):
            if sign < 0:  # Err_o = (t − o)·f′(z): the error of the output itself
                (term,) = [t for t in consumer.terms if t.output == act]
                loss = loss_of(consumer.loss)
                target = Ref(term.target, float(network.values[term.target]))
                parts.append(loss.error_formula(target, Ref(act, float(network.values[act])), len(consumer.terms)))
            else:
                parts.append((Ref(f"∂{graph.loss_name}/∂{act}", float(_gradient(network, act))),))
            continue
        assert isinstance(consumer, WeightedSum)
        (weight,) = [w for w, source in consumer.terms if source == act]
        downstream = graph.quantity(consumer.output).neuron
        assert downstream is not None
        delta = Ref(notation.dlt(downstream), float(sign * _gradient(network, consumer.output)))
        updated = _updated_weight(network, consumer.output, act)
        shown = Ref(*updated) if updated else Ref(weight, float(network.values[weight]))
        parts.append((Ref(shown.name, float(shown.value)), TIMES, delta))
    upstream = join(parts, " + ")
    if len(parts) > 1:
        upstream = ("(", *upstream, ")")
    slope = _substitute(network, network.textbook_derivative(act, pre))
    if len(slope) > 1:
        slope = ("(", *slope, ")")
    return (*upstream, TIMES, *slope)


def _output_deltas(network: SymbolicNetwork, paths: list[list[Edge]], jacobian: bool) -> tuple[OutputDelta, ...]:
    """The output δs to derive through their activations: those a fused loss gives as a − y (why it does),
    and with `jacobian` every δ of a softmax output layer the paths reach (the whole Jacobian written out)."""
    graph = network.graph
    loss = graph.loss_name
    output_layer = graph.scenario.layers[-1]
    notation = graph.scenario.notation
    pres = [notation.pre(neuron.name) for neuron in output_layer.neurons]
    reached = {wrt for path in paths for _, wrt in path}
    fused = any(network.fused_term(loss, pre) is not None for pre in pres)
    softmax = output_layer.activation in LAYER_ACTIVATIONS
    if not (fused or softmax) or not reached & set(pres):
        return ()
    if not softmax and jacobian:
        return ()  # σ′ is a factor of the paths themselves
    # softmax through its Jacobian: the whole layer (each δ_j reads every a_i); else the fused outputs reached
    shown = pres if softmax and (jacobian or not fused) else [pre for pre in pres if pre in reached]
    deltas = []
    for neuron, pre in zip(output_layer.neurons, pres, strict=True):
        if pre not in shown:
            continue
        act = notation.act(neuron.name)
        outputs = [notation.act(other.name) for other in output_layer.neurons] if softmax else [act]
        upstream = tuple(_loss_entry(network, output) for output in outputs)
        local = tuple(_activation_entry(network, output, pre) for output in outputs)
        products = (u.value * f.value for u, f in zip(upstream, local, strict=True))
        value = sympy.N(sympy.Add(*products), network.precision)
        deltas.append(OutputDelta(neuron.name, pre, upstream, local, value, not jacobian and fused))
    return tuple(deltas)


def _loss_entry(network: SymbolicNetwork, output: str) -> Entry:
    """∂E/∂a of an output in the loss row's own form (−y/a for cross-entropy), and its value."""
    graph = network.graph
    equation = graph.definition(graph.loss_name)
    assert isinstance(equation, TotalLoss)
    (term,) = [t for t in equation.terms if t.output == output]
    loss = loss_of(equation.loss)
    text = _loss_textbook(loss, term.target, output, len(equation.terms), graph.loss_name)
    return Entry(graph.loss_name, output, _substitute_text(network, text), network.local_value(graph.loss_name, output))


def _activation_entry(network: SymbolicNetwork, output: str, pre: str) -> Entry:
    """∂a_i/∂z_j in the textbook's form (a_i·(δ_ij − a_j) for softmax, a·(1 − a) for σ), and its value."""
    expression = network.textbook_derivative(output, pre)
    return Entry(output, pre, _substitute(network, expression), network.local_value(output, pre))


def _softmax_delta_equation(network: SymbolicNetwork, equation: Activate, pre: str) -> Formula:
    """δ_j = Σ_i ∂E/∂a_i·∂a_i/∂z_j over the activations a_i of a softmax layer, each entry written a_i·(δ_ij − a_j)."""
    graph = network.graph
    parts: list[Formula] = []
    for output in equation.siblings:
        upstream = Ref(f"∂{graph.loss_name}/∂{output}", float(_gradient(network, output, jacobian=True)))
        entry = _substitute(network, network.textbook_derivative(output, pre))
        parts.append((upstream, TIMES, "(", *entry, ")") if len(entry) > 1 else (upstream, TIMES, *entry))
    formula = join(parts, " + ")
    return ("−(", *formula, ")") if error_sign(graph) < 0 else formula


def error_sign(graph: Graph) -> int:
    """+1 when error terms are δ = ∂E/∂z, −1 under the textbook convention Err = −∂E/∂z."""
    return -1 if graph.scenario.conventions.error_term == "textbook" else 1


def _updated_weight(network: SymbolicNetwork, of: str, wrt: str) -> tuple[str, Any] | None:
    """Under hidden_error_weights: updated, ∂z/∂a = w uses w as updated in this step: (w′, its value)."""
    graph = network.graph
    if graph.scenario.conventions.hidden_error_weights != "updated":
        return None
    equation = graph.definition(of)
    if not isinstance(equation, WeightedSum) or graph.quantity(wrt).kind is not Kind.ACTIVATION:
        return None
    (weight,) = [w for w, source in equation.terms if source == wrt]
    if weight in graph.frozen:
        return None
    rate = network.given(dict(graph.learning_rates)[weight])
    new = sympy.N(network.values[weight] - rate * _gradient(network, weight), network.precision)
    return f"{weight}′", network.written(new, "parameters")


__all__ = ["Derivation", "Entry", "Factor", "OutputDelta", "consumers", "error_sign", "explain", "resolve"]
