"""The numbers: a forward pass, a backward pass and an update, each step kept as a record.

Gradients are returned as data. For every quantity q the backward pass records
each path back from the loss as a `PathTerm`: the consumer c it goes through,
upstream ∂E/∂c, local ∂c/∂q and their product; ∂E/∂q is the sum of its terms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bptutor.arithmetic import Arithmetic, Number
from bptutor.errors import DivergenceError
from bptutor.formula import TIMES, Formula, Ref, join
from bptutor.graph import Activate, Equation, Graph, Kind, TotalLoss, WeightedSum, build
from bptutor.i18n import Message
from bptutor.numbers import format_number
from bptutor.ops import activation_of, loss_of
from bptutor.scenario import Scenario

MAX_STEPS = 100_000


@dataclass(frozen=True)
class ForwardStep:
    quantity: str
    kind: Kind
    formula: Formula  # in the quantities it reads: w5·out_h1 + w6·out_h2 + b3
    expansion: Formula | None  # the function written out, when there is one: 1/(1 + e^(−in_h1))
    value: float


@dataclass(frozen=True)
class LocalFactor:
    """∂of/∂wrt, one edge of the graph."""

    of: str
    wrt: str
    formula: Formula
    value: float


@dataclass(frozen=True)
class PathTerm:
    """One way back from the loss to a quantity: ∂E/∂via · ∂via/∂quantity."""

    via: str
    upstream: float  # ∂E/∂via
    local: LocalFactor  # ∂via/∂quantity
    value: float  # their product


@dataclass(frozen=True)
class BackwardStep:
    """∂E/∂quantity, the sum of its path terms."""

    quantity: str
    kind: Kind
    neuron: str | None
    terms: tuple[PathTerm, ...]
    value: float


@dataclass(frozen=True)
class Update:
    parameter: str
    old: Number
    gradient: Number  # ∂E/∂p, whatever sign convention the backward steps are shown in
    rate: Number
    new: Number
    frozen: bool


@dataclass(frozen=True)
class StepTrace:
    forward: tuple[ForwardStep, ...]
    backward: tuple[BackwardStep, ...]
    updates: tuple[Update, ...]
    notes: tuple[Message, ...]  # warnings a student should read (e.g. a saturated neuron)
    sign: Number = 1.0  # backward values are sign·∂E/∂q: −1 under the textbook error convention

    @property
    def loss(self) -> float:
        return self.forward[-1].value

    def value(self, name: str) -> float:
        for step in self.forward:
            if step.quantity == name:
                return step.value
        raise KeyError(name)

    def gradient(self, name: str) -> Number:
        """∂E/∂name, whatever sign convention the backward steps are shown in."""
        for step in self.backward:
            if step.quantity == name:
                return self.sign * step.value
        raise KeyError(name)

    @property
    def gradients(self) -> dict[str, float]:
        """∂E/∂p for every parameter, in declaration order."""
        return {update.parameter: update.gradient for update in self.updates}

    @property
    def new_parameters(self) -> dict[str, float]:
        return {update.parameter: update.new for update in self.updates}


@dataclass(frozen=True)
class Run:
    graph: Graph
    steps: tuple[StepTrace, ...]
    final_loss: float  # the loss with the parameters after the last update

    @property
    def scenario(self) -> Scenario:
        return self.graph.scenario

    @property
    def first(self) -> StepTrace:
        return self.steps[0]


def run(scenario: Scenario, steps: int = 1) -> Run:
    """Trace `steps` rounds of forward pass, backward pass and update."""
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_STEPS}")
    graph = build(scenario)
    arithmetic = Arithmetic(scenario.rounding)
    with arithmetic.context():
        parameters = {name: arithmetic.number(value) for name, value in scenario.parameters}
        traces: list[StepTrace] = []
        for number in range(1, steps + 1):
            step = _checked(lambda: trace_step(graph, parameters), number)
            traces.append(step)
            parameters = step.new_parameters
        final = _checked(lambda: forward(graph, parameters), steps + 1)
    return Run(graph, tuple(traces), final[-1].value)


def _checked(compute, number):  # type: ignore[no-untyped-def]
    """Run one step; turn float overflow (inf, nan) into a DivergenceError that names the step."""
    try:
        result = compute()
    except ArithmeticError:  # float OverflowError, or a decimal overflow
        result = None
    values = [] if result is None else _all_numbers(result)
    if result is None or not all(math.isfinite(value) for value in values):
        raise DivergenceError(Message.of("error.diverged", step=number))
    return result


def _all_numbers(result: StepTrace | list[ForwardStep]) -> list[float]:
    if isinstance(result, StepTrace):
        numbers = [step.value for step in result.forward] + [step.value for step in result.backward]
        return numbers + [update.new for update in result.updates]
    return [step.value for step in result]


def trace_step(graph: Graph, parameters: dict[str, Number]) -> StepTrace:
    """One forward pass, backward pass and update with the given parameter values."""
    arithmetic = Arithmetic(graph.scenario.rounding)
    forward_steps = forward(graph, parameters)
    values = {step.quantity: step.value for step in forward_steps}
    backward_steps, notes = backward(graph, values)
    sign = -arithmetic.one if graph.scenario.conventions.error_term == "textbook" else arithmetic.one
    gradients = {step.quantity: sign * step.value for step in backward_steps}
    frozen = set(graph.frozen)
    updates = []
    for name, given_rate in graph.learning_rates:
        rate = arithmetic.number(given_rate)
        old, gradient = values[name], gradients[name]
        new = old if name in frozen else arithmetic.written(old - rate * gradient, "parameters")
        updates.append(Update(name, old, gradient, rate, new, name in frozen))
    return StepTrace(tuple(forward_steps), tuple(backward_steps), tuple(updates), tuple(notes), sign)


# ── forward ───────────────────────────────────────────────────────────────────


def forward(graph: Graph, parameters: dict[str, Number]) -> list[ForwardStep]:
    """Every value, in forward order. Loss terms get a step of their own before the total."""
    scenario = graph.scenario
    arithmetic = Arithmetic(scenario.rounding)
    given: dict[str, Number] = dict(scenario.inputs)
    given.update({scenario.notation.tgt(name): value for name, value in scenario.targets})
    given.update(parameters)
    values = {name: arithmetic.number(value) for name, value in given.items()}
    steps = [ForwardStep(q.name, q.kind, (), None, values[q.name]) for q in graph.quantities[: len(values)]]
    for equation in graph.equations:
        steps += _forward_equation(equation, values, arithmetic)
    return steps


def _forward_equation(equation: Equation, values: dict[str, Number], arithmetic: Arithmetic) -> list[ForwardStep]:
    def ref(name: str) -> Ref:
        return Ref(name, values[name])

    if isinstance(equation, WeightedSum):
        total = arithmetic.zero
        parts: list[Formula] = []
        for weight, source in equation.terms:
            total += values[weight] * values[source]
            parts.append((ref(weight), TIMES, ref(source)))
        formula = join(parts, " + ")
        if equation.bias is not None and equation.threshold:
            total -= values[equation.bias]
            formula = (*formula, " − ", ref(equation.bias))
        elif equation.bias is not None:
            total += values[equation.bias]
            formula = (*formula, " + ", ref(equation.bias))
        total = arithmetic.written(total, "pre_activations")
        values[equation.output] = total
        return [ForwardStep(equation.output, Kind.PRE_ACTIVATION, formula, None, total)]

    if isinstance(equation, Activate):
        op = activation_of(equation.activation)
        z = values[equation.argument]
        value = arithmetic.written(op.forward(z, arithmetic.number(equation.slope)), "activations")
        values[equation.output] = value
        formula: Formula = (f"{op.symbol}(", ref(equation.argument), ")")
        expansion = op.definition(ref(equation.argument), equation.slope)
        shown = None if expansion == (ref(equation.argument),) else expansion
        return [ForwardStep(equation.output, Kind.ACTIVATION, formula, shown, value)]

    loss = loss_of(equation.loss)
    if len(equation.terms) == 1:  # one output: the loss is its term, written out once
        (term,) = equation.terms
        value = arithmetic.written(loss.term(values[term.target], values[term.output]), "losses")
        values[term.name] = values[equation.output] = value
        return [ForwardStep(equation.output, Kind.LOSS, loss.term_formula(ref(term.target), ref(term.output)), None, value)]
    steps = []
    term_values = []
    for term in equation.terms:
        term_value = arithmetic.written(loss.term(values[term.target], values[term.output]), "losses")
        values[term.name] = term_value
        term_values.append(term_value)
        steps.append(
            ForwardStep(term.name, Kind.LOSS, loss.term_formula(ref(term.target), ref(term.output)), None, term_value)
        )
    total = sum(term_values, arithmetic.zero)
    formula = join([(ref(term.name),) for term in equation.terms], " + ")
    if loss.mean:
        total /= len(term_values)
        formula = ("(", *formula, f")/{len(term_values)}")
    total = arithmetic.written(total, "losses")
    values[equation.output] = total
    steps.append(ForwardStep(equation.output, Kind.LOSS, formula, None, total))
    return steps


# ── backward ──────────────────────────────────────────────────────────────────


ROUNDED_AS = {Kind.PRE_ACTIVATION: "deltas", Kind.PARAMETER: "gradients"}


def backward(graph: Graph, values: dict[str, Number]) -> tuple[list[BackwardStep], list[Message]]:
    """The backward pass, from the output layer back, every path term kept.

    Each step records ∂E/∂q, or under the textbook error convention the error
    signal −∂E/∂q (Err = (t − o)·f′(z)), for every activation, pre-activation and
    parameter. Order: a layer's activations and pre-activations, then the
    parameters that layer uses, then the paths down to the layer below (through
    the weights of this step, or the already-updated ones when the scenario says
    so), and so on; each quantity comes after everything it feeds.
    """
    scenario = graph.scenario
    conventions = scenario.conventions
    arithmetic = Arithmetic(scenario.rounding)
    sign = -arithmetic.one if conventions.error_term == "textbook" else arithmetic.one
    rates = dict(graph.learning_rates)
    frozen = set(graph.frozen)
    contributions: dict[str, list[PathTerm]] = {q.name: [] for q in graph.quantities}
    recorded: dict[str, Number] = {}
    steps: list[BackwardStep] = []
    notes: list[Message] = []
    downward: list[tuple[str, Number, LocalFactor]] = []  # paths into the layer below, held back

    def record(name: str) -> None:
        quantity = graph.quantity(name)
        terms = tuple(contributions[name])
        total = arithmetic.zero
        for term in terms:
            total += term.value
        if quantity.kind in ROUNDED_AS:
            total = arithmetic.written(total, ROUNDED_AS[quantity.kind])
        recorded[name] = total
        steps.append(BackwardStep(name, quantity.kind, quantity.neuron, terms, total))
        definition = graph.definition(name)
        if definition is None:
            return
        for local in local_factors(definition, values, arithmetic):
            wrt_kind = graph.quantity(local.wrt).kind
            if wrt_kind in (Kind.INPUT, Kind.TARGET):
                continue
            if wrt_kind is Kind.ACTIVATION and isinstance(definition, WeightedSum):
                downward.append((name, total, local))
                continue
            contributions[local.wrt].append(PathTerm(name, total, local, total * local.value))
            note = _saturation_note(graph, definition, local)
            if note:
                notes.append(note)

    def updated_weight(local: LocalFactor) -> LocalFactor:
        """∂z/∂a = w, with w as already updated in this step (when it has been)."""
        (weight_ref,) = [token for token in local.formula if isinstance(token, Ref)]
        weight = weight_ref.name
        if weight in frozen or weight not in recorded:
            return local
        new = arithmetic.written(values[weight] - arithmetic.number(rates[weight]) * sign * recorded[weight], "parameters")
        return LocalFactor(local.of, local.wrt, (Ref(f"{weight}′", new),), new)

    for local in local_factors(graph.definition(graph.loss_name), values, arithmetic):  # type: ignore[arg-type]
        if sign != arithmetic.one:
            local = LocalFactor(local.of, local.wrt, _error_formula(graph, local), sign * local.value)
        contributions[local.wrt].append(PathTerm(graph.loss_name, arithmetic.one, local, local.value))

    last_layer_of = {name: min(layers) for name, layers in graph.parameter_layers}
    for index in reversed(range(len(scenario.layers))):
        for neuron in scenario.layers[index].neurons:
            record(scenario.notation.act(neuron.name))
            record(scenario.notation.pre(neuron.name))
        for name, _ in scenario.parameters:
            if last_layer_of[name] == index:
                record(name)
        for via, upstream, local in downward:
            if conventions.hidden_error_weights == "updated":
                local = updated_weight(local)
            contributions[local.wrt].append(PathTerm(via, upstream, local, upstream * local.value))
        downward.clear()
    if conventions.hidden_error_weights == "updated" and len(scenario.layers) > 1:
        notes.append(Message.of("note.updated_weights"))
    return steps, notes


def _error_formula(graph: Graph, local: LocalFactor) -> Formula:
    """The textbook error of an output, −∂E/∂out: (t − o) for half_sse."""
    equation = graph.definition(graph.loss_name)
    assert isinstance(equation, TotalLoss)
    loss = loss_of(equation.loss)
    (term,) = [term for term in equation.terms if term.output == local.wrt]
    refs = {token.name: token for token in local.formula if isinstance(token, Ref)}
    return loss.error_formula(refs[term.target], refs[term.output], len(equation.terms))


def local_factors(equation: Equation, values: dict[str, Number], arithmetic: Arithmetic) -> list[LocalFactor]:
    """∂output/∂argument for each argument of one equation, as formulas and numbers."""

    def ref(name: str) -> Ref:
        return Ref(name, values[name])

    out = equation.output
    if isinstance(equation, WeightedSum):
        factors = []
        for weight, source in equation.terms:
            factors.append(LocalFactor(out, weight, (ref(source),), values[source]))
            factors.append(LocalFactor(out, source, (ref(weight),), values[weight]))
        if equation.bias is not None:
            if equation.threshold:
                factors.append(LocalFactor(out, equation.bias, ("(−1)",), -arithmetic.one))
            else:
                factors.append(LocalFactor(out, equation.bias, ("1",), arithmetic.one))
        return factors

    if isinstance(equation, Activate):
        op = activation_of(equation.activation)
        z, a = values[equation.argument], values[out]
        formula = op.textbook_derivative(ref(equation.argument), ref(out), equation.slope)
        slope = arithmetic.number(equation.slope)
        return [LocalFactor(out, equation.argument, formula, op.derivative(z, a, slope))]

    assert isinstance(equation, TotalLoss)
    loss = loss_of(equation.loss)
    count = len(equation.terms)
    factors = []
    for term in equation.terms:
        t, o = values[term.target], values[term.output]
        local = loss.term_derivative(t, o) / count if loss.mean else loss.term_derivative(t, o)
        formula = loss.derivative_formula(ref(term.target), ref(term.output), count)
        factors.append(LocalFactor(out, term.output, formula, local))
    return factors


SATURATED_BELOW = 1e-8  # a sigmoid or tanh neuron whose slope f′(z) is below this passes almost nothing back


def _saturation_note(graph: Graph, equation: Equation, local: LocalFactor) -> Message | None:
    """A note for a sigmoid or tanh neuron so far out on its flat part that f′(z) is (almost) 0."""
    if not isinstance(equation, Activate) or abs(local.value) >= SATURATED_BELOW:
        return None
    op = activation_of(equation.activation)
    if not op.saturates:
        return None
    slope = format_number(local.value, 4)
    return Message.of("note.saturated", output=local.of, function=op.symbol, argument=local.wrt, slope=slope)


__all__ = ["run", "trace_step", "forward", "backward", "local_factors", "Run", "StepTrace"]
