"""The numbers: a forward pass, a backward pass and an update, each step kept as a record.

Gradients are returned as data. For every quantity q the backward pass records
each path back from the loss as a `PathTerm`: the consumer c it goes through,
upstream ∂E/∂c, local ∂c/∂q and their product; ∂E/∂q is the sum of its terms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cached_property, partial
from typing import TypeVar

from bptutor.core.arithmetic import Arithmetic, Number
from bptutor.core.formula import TIMES, Formula, Ref, join
from bptutor.core.graph import Activate, Equation, Graph, Kind, TotalLoss, WeightedSum, build
from bptutor.core.numbers import format_number
from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
from bptutor.core.optim import STATE_NAMES, initial_state, update
from bptutor.core.scenario import Scenario
from bptutor.errors import DivergenceError
from bptutor.i18n import Message
from bptutor.records import dataclass

MAX_STEPS = 100_000


@dataclass(frozen=True)
class ForwardStep:
    quantity: str
    kind: Kind
    formula: Formula  # in the quantities it reads: w5·out_h1 + w6·out_h2 + b3
    expansion: Formula | None  # the function written out, when there is one: 1/(1 + e^(−in_h1))
    value: Number


@dataclass(frozen=True)
class LocalFactor:
    """∂of/∂wrt, one edge of the graph."""

    of: str
    wrt: str
    formula: Formula
    value: Number


@dataclass(frozen=True)
class PathTerm:
    """One way back from the loss to a quantity: ∂E/∂via · ∂via/∂quantity."""

    via: str
    upstream: Number  # ∂E/∂via
    local: LocalFactor  # ∂via/∂quantity
    value: Number  # their product


@dataclass(frozen=True)
class BackwardStep:
    """∂E/∂quantity, the sum of its path terms."""

    quantity: str
    kind: Kind
    neuron: str | None
    terms: tuple[PathTerm, ...]
    value: Number


@dataclass(frozen=True)
class Update:
    parameter: str
    old: Number
    gradient: Number  # ∂E/∂p, whatever sign convention the backward steps are shown in
    rate: Number
    new: Number
    frozen: bool
    # training (several samples, or an optimizer other than plain gradient descent):
    per_sample: tuple[Number, ...] = ()  # ∂E_sample/∂p for each sample of the batch, in batch order
    decayed: Number | None = None  # g + λ·p, when there is weight decay
    state: tuple[tuple[str, Number], ...] = ()  # the optimizer's new state: (v, …) or (m, …), (s, …)
    corrected: tuple[tuple[str, Number], ...] = ()  # adam: (m̂, …), (ŝ, …)


@dataclass(frozen=True)
class SampleTrace:
    """One sample of a batch: its forward and backward pass with the step's parameters."""

    index: int  # into the scenario's samples, from 0
    forward: tuple[ForwardStep, ...]
    backward: tuple[BackwardStep, ...]
    notes: tuple[Message, ...]

    @property
    def loss(self) -> Number:
        return self.forward[-1].value


@dataclass(frozen=True)
class StepTrace:
    forward: tuple[ForwardStep, ...]
    backward: tuple[BackwardStep, ...]
    updates: tuple[Update, ...]
    notes: tuple[Message, ...]  # warnings a student should read (e.g. a saturated neuron)
    sign: Number = 1.0  # backward values are sign·∂E/∂q: −1 under the textbook error convention
    # training: every sample of this step's batch traced (forward and backward above are the first's)
    samples: tuple[SampleTrace, ...] = ()
    batch_loss: Number | None = None  # the mean (or sum) of the batch's losses
    epoch: int = 1

    @property
    def loss(self) -> Number:
        if self.batch_loss is not None:
            return self.batch_loss
        return self.forward[-1].value

    def value(self, name: str) -> Number:
        return self._forward_index[name].value

    def gradient(self, name: str) -> Number:
        """∂E/∂name, whatever sign convention the backward steps are shown in."""
        return self.sign * self._backward_index[name].value  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal

    @cached_property
    def _forward_index(self) -> dict[str, ForwardStep]:
        index: dict[str, ForwardStep] = {}
        for step in self.forward:
            index.setdefault(step.quantity, step)
        return index

    @cached_property
    def _backward_index(self) -> dict[str, BackwardStep]:
        index: dict[str, BackwardStep] = {}
        for step in self.backward:
            index.setdefault(step.quantity, step)
        return index

    @property
    def gradients(self) -> dict[str, Number]:
        """∂E/∂p for every parameter, in declaration order."""
        return {update.parameter: update.gradient for update in self.updates}

    @property
    def new_parameters(self) -> dict[str, Number]:
        return {update.parameter: update.new for update in self.updates}


@dataclass(frozen=True)
class Run:
    graph: Graph
    steps: tuple[StepTrace, ...]
    final_loss: Number  # the loss with the parameters after the last update

    @property
    def scenario(self) -> Scenario:
        return self.graph.scenario

    @property
    def first(self) -> StepTrace:
        return self.steps[0]


def run(
    scenario: Scenario, steps: int = 1, keep: Callable[[int], bool] | None = None, fused: bool = True
) -> Run:
    """Trace `steps` rounds of forward pass, backward pass and update.

    `keep(number)` says which steps (from 1) keep their whole trace; the others
    keep only their loss (`thin`), so memory does not grow with the number of
    steps. Default: every step is kept. `fused=False`: a loss that cancels its output
    activation's derivative is still taken through it (softmax's Jacobian), see `graph.build`.
    """
    if not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_STEPS}")
    graph = build(scenario, fused)
    if not scenario.is_single_example:
        return _run_training(graph, steps, keep)
    arithmetic = Arithmetic(scenario.rounding)
    with arithmetic.context():
        parameters = {name: arithmetic.number(value) for name, value in scenario.parameters}
        traces: list[StepTrace] = []
        for number in range(1, steps + 1):
            step = _checked(partial(trace_step, graph, parameters), number)
            parameters = step.new_parameters
            traces.append(step if keep is None or keep(number) else thin(step))
        final = _checked(lambda: forward(graph, parameters), steps + 1)
    return Run(graph, tuple(traces), final[-1].value)


def thin(step: StepTrace) -> StepTrace:
    """A step that keeps only its loss (and epoch): no values, factors or updates."""
    return StepTrace((), (), (), (), step.sign, (), step.loss, step.epoch)


def is_thin(step: StepTrace) -> bool:
    return not step.forward and not step.updates


_Result = TypeVar("_Result", "StepTrace", "list[ForwardStep]")  # what one guarded computation returns


def _checked(compute: Callable[[], _Result], number: int) -> _Result:
    """Run one step; turn float overflow (inf, nan) into a DivergenceError that names the step."""
    try:
        result = compute()
    except ArithmeticError:  # float OverflowError, or a decimal overflow
        result = None
    values = [] if result is None else _all_numbers(result)
    if result is None or not all(math.isfinite(value) for value in values):
        raise DivergenceError(Message.of("error.diverged", step=number))
    return result


def _all_numbers(result: StepTrace | list[ForwardStep]) -> list[Number]:
    if isinstance(result, StepTrace):
        numbers = [step.value for step in result.forward] + [step.value for step in result.backward]
        numbers += [result.batch_loss] if result.batch_loss is not None else []
        return numbers + [update.new for update in result.updates]
    return [step.value for step in result]


def trace_step(graph: Graph, parameters: dict[str, Number]) -> StepTrace:
    """One forward pass, backward pass and update with the given parameter values."""
    arithmetic = Arithmetic(graph.scenario.rounding)
    forward_steps = forward(graph, parameters)
    values = {step.quantity: step.value for step in forward_steps}
    backward_steps, notes = backward(graph, values)
    sign = -arithmetic.one if graph.scenario.conventions.error_term == "textbook" else arithmetic.one
    gradients = {step.quantity: sign * step.value for step in backward_steps}  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
    frozen = set(graph.frozen)
    updates = []
    for name, given_rate in graph.learning_rates:
        rate = arithmetic.number(given_rate)
        old, gradient = values[name], gradients[name]
        new = old if name in frozen else arithmetic.written(old - rate * gradient, "parameters")  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
        updates.append(Update(name, old, gradient, rate, new, name in frozen))
    return StepTrace(tuple(forward_steps), tuple(backward_steps), tuple(updates), tuple(notes), sign)


# ── training: batches of samples, an optimizer ─────────────────────────────


def sample_graph(graph: Graph, index: int) -> Graph:
    """The same graph with sample `index`'s inputs and targets as its givens."""
    scenario = graph.scenario
    samples = scenario.samples
    if samples is None:
        return graph
    inputs = tuple((name, value) for (name, _), value in zip(scenario.inputs, samples.inputs[index], strict=True))
    targets = tuple((name, value) for (name, _), value in zip(scenario.targets, samples.targets[index], strict=True))
    return replace(graph, scenario=replace(scenario, inputs=inputs, targets=targets))


def _run_training(graph: Graph, steps: int, keep: Callable[[int], bool] | None = None) -> Run:
    """Steps over batches of samples: each sample traced, the batch gradient their mean (or sum), then the optimizer."""
    from bptutor.core.schedule import batches

    scenario = graph.scenario
    count = len(scenario.samples) if scenario.samples is not None else 1
    graphs = [sample_graph(graph, index) for index in range(count)]
    reduction = scenario.training.reduction if scenario.training is not None else "mean"
    parameters: dict[str, Number] = dict(scenario.parameters)
    state = {name: initial_state(scenario.optimizer, 0.0) for name in parameters}
    resumed = scenario.resumed  # taken up at step K: the optimizer's state so far, and K counts on
    earlier, epoch = (resumed.step - 1, resumed.epoch - 1) if resumed is not None else (0, 0)
    state.update(dict(resumed.state) if resumed is not None else {})
    traces: list[StepTrace] = []
    for batch in batches(scenario.training, count, steps):
        train_step = partial(_train_step, graphs, batch.indices, parameters, state, earlier + batch.step, reduction)
        step = _checked(train_step, earlier + batch.step)
        parameters = step.new_parameters
        state = {update.parameter: tuple(value for _, value in update.state) for update in step.updates}
        step = replace(step, epoch=epoch + batch.epoch)
        traces.append(step if keep is None or keep(batch.step) else thin(step))
    final = _checked(lambda: [_mean_loss(graphs, range(count), parameters, "mean")], steps + 1)
    return Run(graph, tuple(traces), final[0].value)


def _mean_loss(
    graphs: list[Graph], indices: Iterable[int], parameters: dict[str, Number], reduction: str
) -> ForwardStep:
    losses = [forward(graphs[index], parameters)[-1].value for index in indices]
    total = math.fsum(losses)
    return ForwardStep("", Kind.LOSS, (), None, total / len(losses) if reduction == "mean" else total)


def _train_step(
    graphs: list[Graph],
    indices: tuple[int, ...],
    parameters: dict[str, Number],
    state: dict[str, tuple[Number, ...]],
    t: int,
    reduction: str,
) -> StepTrace:
    """Trace each sample of the batch, combine their gradients, and update with the optimizer."""
    graph = graphs[0]
    scenario = graph.scenario
    sign = -1.0 if scenario.conventions.error_term == "textbook" else 1.0
    samples = []
    for index in indices:
        forward_steps = forward(graphs[index], parameters)
        values = {step.quantity: step.value for step in forward_steps}
        backward_steps, notes = backward(graphs[index], values)
        samples.append(SampleTrace(index, tuple(forward_steps), tuple(backward_steps), tuple(notes)))
    scale = 1.0 / len(indices) if reduction == "mean" else 1.0
    frozen = set(graph.frozen)
    names = STATE_NAMES[scenario.optimizer.name]
    updates = []
    for name, rate in graph.learning_rates:
        per_sample = tuple(sign * _backward_value(sample, name) for sample in samples)  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
        gradient = math.fsum(per_sample) * scale
        old = parameters[name]
        if name in frozen:
            kept = tuple(zip(names, state[name], strict=True))
            updates.append(Update(name, old, gradient, rate, old, True, per_sample, None, kept))
            continue
        result = update(scenario.optimizer, old, gradient, state[name], rate, t)
        decayed = result.gradient if scenario.optimizer.weight_decay else None
        corrected = tuple(zip(("m̂", "ŝ"), result.corrected, strict=False))
        new_state = tuple(zip(names, result.state, strict=True))
        updates.append(Update(name, old, gradient, rate, result.new, False, per_sample, decayed, new_state, corrected))
    losses = math.fsum(sample.loss for sample in samples)
    batch_loss = losses * scale
    batch_notes = tuple(dict.fromkeys(note for sample in samples for note in sample.notes))
    first = samples[0]
    return StepTrace(first.forward, first.backward, tuple(updates), batch_notes, sign, tuple(samples), batch_loss)


def _backward_value(sample: SampleTrace, name: str) -> Number:
    for step in sample.backward:
        if step.quantity == name:
            return step.value
    raise KeyError(name)


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
            total += values[weight] * values[source]  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
            parts.append((ref(weight), TIMES, ref(source)))
        formula = join(parts, " + ")
        if equation.bias is not None and equation.threshold:
            total -= values[equation.bias]  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
            formula = (*formula, " − ", ref(equation.bias))
        elif equation.bias is not None:
            total += values[equation.bias]  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
            formula = (*formula, " + ", ref(equation.bias))
        total = arithmetic.written(total, "pre_activations")
        values[equation.output] = total
        return [ForwardStep(equation.output, Kind.PRE_ACTIVATION, formula, None, total)]

    if isinstance(equation, Activate) and equation.group:  # softmax: a_i from every z of the layer
        assert isinstance(equation.activation, str)  # a layer-wide activation is a built-in (softmax)
        layer_op = LAYER_ACTIVATIONS[equation.activation]
        outputs = layer_op.forward([values[name] for name in equation.group])
        value = arithmetic.written(outputs[equation.group.index(equation.argument)], "activations")
        values[equation.output] = value
        formula = (f"{layer_op.symbol}(", ref(equation.argument), ")")
        expansion = layer_op.definition(ref(equation.argument), [ref(name) for name in equation.group])
        return [ForwardStep(equation.output, Kind.ACTIVATION, formula, expansion, value)]

    if isinstance(equation, Activate):
        op = activation_of(equation.activation)
        z = values[equation.argument]
        value = arithmetic.written(op.forward(z, arithmetic.number(equation.slope)), "activations")
        values[equation.output] = value
        formula = (f"{op.symbol}(", ref(equation.argument), ")")
        expansion = op.definition(ref(equation.argument), equation.slope)
        shown = None if expansion == (ref(equation.argument),) else expansion
        return [ForwardStep(equation.output, Kind.ACTIVATION, formula, shown, value)]

    loss = loss_of(equation.loss)
    fused = [term.logit for term in equation.terms if term.logit is not None]
    if fused:  # from the logits: no log(0), no overflow, even where out is exactly 0 or 1
        targets = [values[term.target] for term in equation.terms]
        assert loss.logit_terms is not None  # only a loss with logit terms is fused with its activation
        computed = loss.logit_terms(targets, [values[name] for name in fused])
    else:
        computed = [loss.term(values[term.target], values[term.output]) for term in equation.terms]
    if len(equation.terms) == 1 and not loss.root:  # one output: the loss is its term, written out once
        (term,) = equation.terms
        value = arithmetic.written(computed[0], "losses")
        values[term.name] = values[equation.output] = value
        return [
            ForwardStep(equation.output, Kind.LOSS, loss.term_formula(ref(term.target), ref(term.output)), None, value)
        ]
    steps = []
    term_values = []
    for term, term_value in zip(equation.terms, computed, strict=True):
        term_value = arithmetic.written(term_value, "losses")
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
    if loss.root:
        total = total.sqrt() if hasattr(total, "sqrt") else math.sqrt(total)
        formula = ("√(", *formula, ")")
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
            total += term.value  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
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
            contributions[local.wrt].append(PathTerm(name, total, local, total * local.value))  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
            note = _saturation_note(definition, local)
            if note:
                notes.append(note)

    def updated_weight(local: LocalFactor) -> LocalFactor:
        """∂z/∂a = w, with w as already updated in this step (when it has been)."""
        (weight_ref,) = [token for token in local.formula if isinstance(token, Ref)]
        weight = weight_ref.name
        if weight in frozen or weight not in recorded:
            return local
        exact = values[weight] - arithmetic.number(rates[weight]) * sign * recorded[weight]  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
        new = arithmetic.written(exact, "parameters")
        return LocalFactor(local.of, local.wrt, (Ref(f"{weight}′", new),), new)

    loss_equation = graph.definition(graph.loss_name)
    assert isinstance(loss_equation, TotalLoss)
    for local in local_factors(loss_equation, values, arithmetic):
        if sign != arithmetic.one:
            local = LocalFactor(local.of, local.wrt, _error_formula(graph, local), sign * local.value)  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
        contributions[local.wrt].append(PathTerm(graph.loss_name, arithmetic.one, local, local.value))

    skipped = {term.output for term in loss_equation.terms if term.logit is not None}  # outputs the loss skips
    if skipped:
        notes.append(Message.of(f"note.cancels.{loss_of(loss_equation.loss).fused_with}", loss=graph.loss_name))
    last_layer_of = {name: min(layers) for name, layers in graph.parameter_layers}
    for index in reversed(range(len(scenario.layers))):
        neurons = scenario.layers[index].neurons
        whole_layer = scenario.layers[index].activation in LAYER_ACTIVATIONS  # softmax: each z reads every a
        for neuron in neurons:
            if scenario.notation.act(neuron.name) not in skipped:
                record(scenario.notation.act(neuron.name))
            if not whole_layer:
                record(scenario.notation.pre(neuron.name))
        for neuron in neurons if whole_layer else ():
            record(scenario.notation.pre(neuron.name))
        for name, _ in scenario.parameters:
            if last_layer_of[name] == index:
                record(name)
        for via, upstream, local in downward:
            if conventions.hidden_error_weights == "updated":
                local = updated_weight(local)
            contributions[local.wrt].append(PathTerm(via, upstream, local, upstream * local.value))  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
        downward.clear()
    if conventions.hidden_error_weights == "updated" and len(scenario.layers) > 1:
        notes.append(Message.of("note.updated_weights"))
    return steps, notes


def _error_formula(graph: Graph, local: LocalFactor) -> Formula:
    """The textbook error of an output, −∂E/∂out: (t − o) for half_sse."""
    equation = graph.definition(graph.loss_name)
    assert isinstance(equation, TotalLoss)
    loss = loss_of(equation.loss)
    (term,) = [term for term in equation.terms if local.wrt in (term.output, term.logit)]
    refs = {token.name: token for token in local.formula if isinstance(token, Ref)}
    if term.logit is not None:  # −δ = target − out
        count = len(equation.terms)
        return ("(", refs[term.target], " − ", refs[term.output], ")" if not loss.mean or count == 1 else f")/{count}")
    if loss.root:
        return ("(", refs[term.target], " − ", refs[term.output], *local.formula[4:])
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

    if isinstance(equation, Activate) and equation.group:  # softmax: ∂a_i/∂z_j = a_i·(δ_ij − a_j) for every z_j
        assert isinstance(equation.activation, str)  # a layer-wide activation is a built-in (softmax)
        layer_op = LAYER_ACTIVATIONS[equation.activation]
        outputs = [values[_activation_of(name, equation)] for name in equation.group]
        index = equation.group.index(equation.argument)
        return [
            LocalFactor(
                out,
                name,
                layer_op.jacobian_formula(ref(out), ref(_activation_of(name, equation))),
                layer_op.jacobian(outputs, index, column),
            )
            for column, name in enumerate(equation.group)
        ]

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
        if term.logit is not None:  # ∂E/∂z = out − target: the activation's derivative has cancelled
            local = (o - t) / count if loss.mean else o - t  # type: ignore[operator]  # one arithmetic per trace: never float with Decimal
            assert loss.delta_formula is not None  # only a loss with a fused δ has logits
            formula = loss.delta_formula(ref(term.target), ref(term.output), count)
            factors.append(LocalFactor(out, term.logit, formula, local))
            continue
        local = loss.term_derivative(t, o) / count if loss.mean else loss.term_derivative(t, o)
        formula = loss.derivative_formula(ref(term.target), ref(term.output), count)
        if loss.root:  # E = √(mean): ∂E/∂out = ∂mean/∂out / (2E) = (out − target)/(n·E), 0 where E = 0
            total = values[out]
            local = local / (2 * total) if total else arithmetic.zero
            formula = ("(", ref(term.output), " − ", ref(term.target), f")/({count}", TIMES, ref(out), ")")
        factors.append(LocalFactor(out, term.output, formula, local))
    return factors


def _activation_of(pre: str, equation: Activate) -> str:
    """The activation of a softmax layer that the pre-activation `pre` of the same layer feeds."""
    return equation.siblings[equation.group.index(pre)]


SATURATED_BELOW = 1e-8  # a sigmoid or tanh neuron whose slope f′(z) is below this passes almost nothing back


def _saturation_note(equation: Equation, local: LocalFactor) -> Message | None:
    """A note for a sigmoid or tanh neuron so far out on its flat part that f′(z) is (almost) 0."""
    slope_value = local.value  # |f′(z)| ≥ SATURATED_BELOW, written without abs() so that it types for Decimal too
    if not isinstance(equation, Activate) or equation.group:  # softmax's Jacobian entries are not a slope
        return None
    if slope_value >= SATURATED_BELOW or slope_value <= -SATURATED_BELOW:
        return None
    op = activation_of(equation.activation)
    if not op.saturates:
        return None
    slope = format_number(local.value, 4)
    return Message.of("note.saturated", output=local.of, function=op.symbol, argument=local.wrt, slope=slope)


__all__ = ["Run", "StepTrace", "backward", "forward", "local_factors", "run", "trace_step"]
