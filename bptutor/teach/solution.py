"""A worked solution as named steps that can be recomputed from anyone's numbers.

`check` and `quiz` judge a student's values one quantity at a time, and to give
method marks they recompute a quantity from the student's *own* earlier numbers.
So the solution here is a list of `Step`s — in_h1, out_h1, …, E_total,
∂E_total/∂out_o1, ∂out_o1/∂in_o1, δ_o1, ∂E_total/∂w5, …, w5′ — each computed
from the steps and givens it reads, with any of them replaced by a value the
student wrote (`overrides`).

The maths is the tracer's: the same graph (`graph.build`), the same table of
operations (`ops`), the same hand-rounding policy (`Arithmetic.written`), in
exact decimals at 50 digits. The tests hold every step against `trace.run`.
A `Slip` changes one rule of the calculation (σ′ forgotten, the sign of
(t − o) flipped, in_h1 used where out_h1 belongs, …) so that a common mistake
can be recomputed rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from bptutor.core.arithmetic import PRECISION, DecimalArithmetic
from bptutor.core.formula import TIMES, Formula, Ref, join
from bptutor.core.graph import Activate, Graph, TotalLoss, WeightedSum, build
from bptutor.core.ops import activation_of, loss_of
from bptutor.core.records import dataclass
from bptutor.core.scenario import Rounding, Scenario

FORWARD, BACKWARD, UPDATE = "forward", "backward", "update"
SECTIONS = (FORWARD, BACKWARD, UPDATE)

# the kinds of step
PRE_ACTIVATION = "pre_activation"  # in_h1 = w1·i1 + w2·i2 + b1
ACTIVATION = "activation"  # out_h1 = σ(in_h1)
LOSS_TERM = "loss_term"  # E_o1 = ½(target_o1 − out_o1)²
LOSS = "loss"  # E_total = E_o1 + E_o2
OUTPUT_GRADIENT = "output_gradient"  # ∂E/∂out, of any neuron
SLOPE = "slope"  # ∂out/∂in = f′(in)
DELTA = "delta"  # the error term δ = ∂E/∂in (Err = −∂E/∂in under the textbook convention)
GRADIENT = "gradient"  # ∂E/∂p of a parameter
LOCAL = "local"  # ∂in/∂p, the factor a parameter's gradient takes from its neuron (optional)
NEW_PARAMETER = "new_parameter"  # p′ = p − η·∂E/∂p

@dataclass(frozen=True)
class Slip:
    """One rule of the calculation done differently. The default is the correct calculation.

    derivative: "one" (f′ forgotten: taken as 1) or "activation" (f′ written as f, the neuron's out),
    applied to the neurons in `derivative_neurons` (all when empty).
    error_sign: −1 for ∂E/∂out of an output written as (t − o) instead of −(t − o).
    update_sign: −1 for p′ = p + η·∂E/∂p.
    substitute: (step, used, instead_of): in that step the value `used` is read where `instead_of` belongs.
    early_rounding: (step, decimals): that step's inputs rounded (half up) before use.
    dropped: (step, input): in that step one factor left out — the local ∂out/∂in of an error term
    (taken as 1), or one path's δ·w of a hidden neuron's ∂E/∂out (not summed).
    exchanged: (step, other): each of the two worked as the other (∂E/∂w6 as δ_o2·out_h1, and back).
    renamed: (step, used, instead_of) triples, as `substitute` but several at once (W read where Wᵀ belongs).
    """

    derivative: str = "exact"
    derivative_neurons: frozenset[str] = frozenset()
    error_sign: int = 1
    update_sign: int = 1
    substitute: tuple[str, str, str] | None = None
    early_rounding: tuple[str, int] | None = None
    dropped: tuple[str, str] | None = None
    exchanged: tuple[str, str] | None = None
    renamed: tuple[tuple[str, str, str], ...] = ()


CORRECT = Slip()


@dataclass(frozen=True)
class Step:
    """One named value of the worked solution."""

    name: str  # as shown: in_h1, ∂E_total/∂w5, δ_o1, w5′
    section: str  # forward, backward or update
    kind: str
    inputs: tuple[str, ...]  # the steps and givens it reads
    neuron: str | None = None  # the neuron it belongs to (a parameter's: the neuron it feeds)
    parameter: str | None = None
    optional: bool = False  # listed only when someone gives it (∂in_o1/∂w5)


@dataclass(frozen=True)
class Working:
    """A step worked out: its formula (names and numbers together) and its value."""

    step: str
    formula: Formula
    value: Decimal


def derivative_name(of: str, wrt: str) -> str:
    return f"∂{of}/∂{wrt}"


def updated_name(parameter: str) -> str:
    return f"{parameter}′"


def decimal_arithmetic(scenario: Scenario) -> DecimalArithmetic:
    """Exact decimals, rounded where the scenario's policy rounds (nowhere without one)."""
    return DecimalArithmetic(scenario.rounding or Rounding())


@dataclass
class WorkedSteps:
    """The worked solution as gradable steps: one scenario's first training step, and how to compute each.

    (The public `bptutor.api.Solution` is the traced run for people; this is what `check` and `quiz` grade against.)
    """

    scenario: Scenario
    slip: Slip = CORRECT
    graph: Graph = field(init=False)
    steps: tuple[Step, ...] = field(init=False)
    givens: dict[str, Decimal] = field(init=False)

    def __post_init__(self) -> None:
        self.graph = build(self.scenario)
        self.arithmetic = decimal_arithmetic(self.scenario)
        notation = self.scenario.notation
        arithmetic = self.arithmetic
        with localcontext(prec=PRECISION):
            givens = {name: arithmetic.number(value) for name, value in self.scenario.inputs}
            givens.update({notation.tgt(name): arithmetic.number(value) for name, value in self.scenario.targets})
            givens.update({name: arithmetic.number(value) for name, value in self.scenario.parameters})
            self.rates = {name: arithmetic.number(rate) for name, rate in self.graph.learning_rates}
        self.givens = givens
        self.output_neurons = frozenset(neuron.name for neuron in self.scenario.layers[-1].neurons)
        self.steps = tuple(_steps(self.graph))
        self._by_name = {step.name: step for step in self.steps}

    def with_slip(self, slip: Slip) -> WorkedSteps:
        """The same scenario worked with `slip`: the graph and the steps do not depend on it, so they are shared."""
        import copy

        other = copy.copy(self)
        other.slip = slip
        return other

    # ── lookup ────────────────────────────────────────────────────────────────

    def step(self, name: str) -> Step:
        return self._by_name[name]

    def has(self, name: str) -> bool:
        return name in self._by_name

    @property
    def sign(self) -> int:
        """−1 when error terms are written as Err = −∂E/∂in (the textbook convention)."""
        return -1 if self.scenario.conventions.error_term == "textbook" else 1

    # ── evaluation ────────────────────────────────────────────────────────────

    def values(self, overrides: Mapping[str, Decimal] = {}, names: tuple[str, ...] | None = None) -> dict[str, Decimal]:
        """The value of each step (all, or `names`), reading `overrides` wherever a step is overridden."""
        with localcontext(prec=PRECISION):
            memo: dict[str, Decimal] = {}
            wanted = names if names is not None else tuple(step.name for step in self.steps)
            return {name: self._value(name, overrides, memo) for name in wanted}

    def value(self, name: str, overrides: Mapping[str, Decimal] = {}) -> Decimal:
        """One step's value computed from its inputs (its own override is not used)."""
        with localcontext(prec=PRECISION):
            memo: dict[str, Decimal] = {}
            return self._compute(self._by_name[name], lambda n: self._value(n, overrides, memo)).value

    def working(self, name: str, overrides: Mapping[str, Decimal] = {}) -> Working:
        """One step computed from its inputs, with its formula (its own override is not used)."""
        with localcontext(prec=PRECISION):
            memo: dict[str, Decimal] = {}
            return self._compute(self._by_name[name], lambda n: self._value(n, overrides, memo))

    def _value(self, name: str, overrides: Mapping[str, Decimal], memo: dict[str, Decimal]) -> Decimal:
        if name in overrides:
            return overrides[name]
        if name in self.givens:
            return self.givens[name]
        if name not in memo:
            memo[name] = self._compute(self._by_name[name], lambda n: self._value(n, overrides, memo)).value
        return memo[name]

    def _compute(self, step: Step, read: Callable[[str], Decimal]) -> Working:
        """Work out one step, reading its inputs with `read` (as changed by the slip)."""
        slip = self.slip
        get = read
        renames = {instead: used for at, used, instead in slip.renamed if at == step.name}
        if slip.substitute and slip.substitute[0] == step.name:
            renames[slip.substitute[2]] = slip.substitute[1]
        if renames:

            def get(name: str) -> Decimal:
                return read(renames.get(name, name))

            def shown(name: str) -> str:
                return renames.get(name, name)

        else:

            def shown(name: str) -> str:
                return name

        if slip.early_rounding and slip.early_rounding[0] == step.name:
            decimals = slip.early_rounding[1]
            unrounded = get

            def get(name: str) -> Decimal:
                value = unrounded(name)
                if name in self.givens:
                    return value
                return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)

        def ref(name: str) -> Ref:
            return Ref(shown(name), get(name))

        rule = step
        if slip.exchanged and step.name in slip.exchanged:
            first, second = slip.exchanged
            rule = self._by_name[second if step.name == first else first]
        formula, value = _COMPUTE[rule.kind](self, rule, get, ref)
        return Working(step.name, formula, value)

    def reads(self, name: str) -> tuple[str, ...]:
        """What the step `name` reads, as the slip works it (an exchanged step reads the other's inputs)."""
        exchanged = self.slip.exchanged
        if exchanged and name in exchanged:
            return self._by_name[exchanged[1] if name == exchanged[0] else exchanged[0]].inputs
        return self._by_name[name].inputs

    def dropped(self, step: Step, factor: str) -> bool:
        """Whether the slip leaves `factor` out of `step`."""
        return self.slip.dropped == (step.name, factor)


# ── the steps of a scenario, in the order the tracer shows them ──────────────


def _steps(graph: Graph) -> list[Step]:
    scenario = graph.scenario
    notation = scenario.notation
    loss_name = graph.loss_name
    steps: list[Step] = []
    for equation in graph.equations:
        if isinstance(equation, WeightedSum):
            owner = graph.quantity(equation.output).neuron
            inputs: tuple[str, ...] = tuple(name for pair in equation.terms for name in pair)
            inputs += (equation.bias,) if equation.bias else ()
            steps.append(Step(equation.output, FORWARD, PRE_ACTIVATION, inputs, owner))
        elif isinstance(equation, Activate):
            owner = graph.quantity(equation.output).neuron
            steps.append(Step(equation.output, FORWARD, ACTIVATION, (equation.argument,), owner))
        else:
            assert isinstance(equation, TotalLoss)
            if len(equation.terms) == 1:
                (term,) = equation.terms
                steps.append(Step(equation.output, FORWARD, LOSS, (term.target, term.output)))
            else:
                for term in equation.terms:
                    owner = graph.quantity(term.output).neuron
                    steps.append(Step(term.name, FORWARD, LOSS_TERM, (term.target, term.output), owner))
                steps.append(Step(equation.output, FORWARD, LOSS, tuple(term.name for term in equation.terms)))

    layers = scenario.layers
    frozen = set(graph.frozen)
    lowest_layer = {name: min(used) for name, used in graph.parameter_layers if used}
    for index in reversed(range(len(layers))):
        for neuron in layers[index].neurons:
            pre, act = notation.pre(neuron.name), notation.act(neuron.name)
            if index == len(layers) - 1:
                inputs = (notation.tgt(neuron.name), act)
            else:
                inputs = ()
                for consumer in layers[index + 1].neurons:
                    for source, weight in consumer.weights:
                        if source == neuron.name:
                            shown_weight = weight
                            if scenario.conventions.hidden_error_weights == "updated" and weight not in frozen:
                                shown_weight = updated_name(weight)
                            inputs += (notation.dlt(consumer.name), shown_weight)
            steps.append(Step(derivative_name(loss_name, act), BACKWARD, OUTPUT_GRADIENT, inputs, neuron.name))
            steps.append(Step(derivative_name(act, pre), BACKWARD, SLOPE, (pre, act), neuron.name))
            slope = derivative_name(act, pre)
            steps.append(
                Step(notation.dlt(neuron.name), BACKWARD, DELTA, (derivative_name(loss_name, act), slope), neuron.name)
            )
        for name, _ in scenario.parameters:
            if lowest_layer.get(name) != index:
                continue
            inputs = ()
            owner = None
            for layer in layers:
                for neuron in layer.neurons:
                    for source, weight in neuron.weights:
                        if weight == name:
                            source_name = source if source in dict(scenario.inputs) else notation.act(source)
                            pre = notation.pre(neuron.name)
                            steps.append(
                                Step(
                                    derivative_name(pre, name), BACKWARD, LOCAL, (source_name,), neuron.name, name, True
                                )
                            )
                            inputs += (notation.dlt(neuron.name), source_name)
                            owner = owner or neuron.name
                    if neuron.bias == name:
                        pre = notation.pre(neuron.name)
                        steps.append(Step(derivative_name(pre, name), BACKWARD, LOCAL, (), neuron.name, name, True))
                        inputs += (notation.dlt(neuron.name), "")
                        owner = owner or neuron.name
            steps.append(Step(derivative_name(loss_name, name), BACKWARD, GRADIENT, inputs, owner, name))

    owners = {step.parameter: step.neuron for step in steps if step.kind == GRADIENT}
    for name, _ in graph.learning_rates:
        kept = name in frozen or name not in owners  # frozen, or not used at all (after a slip moved a bias)
        inputs = (name,) if kept else (name, derivative_name(loss_name, name))
        steps.append(Step(updated_name(name), UPDATE, NEW_PARAMETER, inputs, owners.get(name), name))
    return steps


# ── how each kind of step is computed ────────────────────────────────────────

Getter = Callable[[str], Decimal]
RefMaker = Callable[[str], Ref]


def _exact(ref: Ref) -> Decimal:
    """The value of a reference that a solution made: always a Decimal (see WorkedSteps._compute)."""
    value = ref.value
    assert isinstance(value, Decimal)
    return value


def _pre_activation(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    equation = solution.graph.definition(step.name)
    assert isinstance(equation, WeightedSum)
    arithmetic = solution.arithmetic
    total = arithmetic.zero
    parts: list[Formula] = []
    for weight, source in equation.terms:
        total += get(weight) * get(source)
        parts.append((ref(weight), TIMES, ref(source)))
    formula = join(parts, " + ")
    if equation.bias is not None and equation.threshold:
        total -= get(equation.bias)
        formula = (*formula, " − ", ref(equation.bias))
    elif equation.bias is not None:
        total += get(equation.bias)
        formula = (*formula, " + ", ref(equation.bias))
    return formula, arithmetic.written(total, "pre_activations")


def _activation(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    equation = solution.graph.definition(step.name)
    assert isinstance(equation, Activate)
    op = activation_of(equation.activation)
    argument = ref(equation.argument)
    value = op.forward(argument.value, solution.arithmetic.number(equation.slope))
    formula: Formula = (f"{op.symbol}(", argument, ")")
    return formula, solution.arithmetic.written(value, "activations")


def _loss_term(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    loss = loss_of(solution.scenario.loss)
    target, out = (ref(name) for name in step.inputs)
    return loss.term_formula(target, out), solution.arithmetic.written(loss.term(target.value, out.value), "losses")


def _loss(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    loss = loss_of(solution.scenario.loss)
    if len(solution.output_neurons) == 1:  # one output: the loss is its term
        return _loss_term(solution, step, get, ref)
    terms = [ref(name) for name in step.inputs]
    total = sum((term.value for term in terms), solution.arithmetic.zero)
    formula = join([(term,) for term in terms], " + ")
    if loss.mean:
        total /= len(terms)
        formula = ("(", *formula, f")/{len(terms)}")
    return formula, solution.arithmetic.written(total, "losses")


def _output_gradient(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    equation = solution.graph.definition(solution.graph.loss_name)
    assert isinstance(equation, TotalLoss)
    if step.neuron in solution.output_neurons:
        loss = loss_of(solution.scenario.loss)
        count = len(equation.terms)
        target, out = ref(step.inputs[0]), ref(step.inputs[1])
        value = loss.term_derivative(target.value, out.value)
        if loss.mean:
            value /= count
        if solution.slip.error_sign < 0:
            return loss.error_formula(target, out, count), -value
        return loss.derivative_formula(target, out, count), value
    # a hidden neuron: Σ over the neurons it feeds of δ·w (error terms in gradient sign)
    parts: list[Formula] = []
    total = solution.arithmetic.zero
    pairs = list(zip(step.inputs[::2], step.inputs[1::2], strict=True))
    for delta, weight in pairs:
        if solution.dropped(step, delta):
            continue
        delta_ref, weight_ref = ref(delta), ref(weight)
        total += solution.sign * _exact(delta_ref) * _exact(weight_ref)
        parts.append((delta_ref, TIMES, weight_ref))
    formula = join(parts, " + ")
    if solution.sign < 0:
        formula = ("−(", *formula, ")")
    return formula, total


def _slope(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    pre, act = step.inputs
    equation = solution.graph.definition(act)
    assert isinstance(equation, Activate)
    op = activation_of(equation.activation)
    z, a = ref(pre), ref(act)
    slip = solution.slip
    if slip.derivative != "exact" and (not slip.derivative_neurons or step.neuron in slip.derivative_neurons):
        if slip.derivative == "one":
            return ("1",), solution.arithmetic.one
        return (a,), _exact(a)
    slope = solution.arithmetic.number(equation.slope)
    if slip.substitute and slip.substitute[0] == step.name and slip.substitute[2] == pre:
        # f′ evaluated at another value than in: f′(v) = f′ computed from v and f(v)
        return (f"{op.symbol}′(", z, ")"), op.derivative(z.value, op.forward(z.value, slope), slope)
    return op.textbook_derivative(z, a, equation.slope), op.derivative(z.value, a.value, slope)


def _delta(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    upstream, local = (ref(name) for name in step.inputs)
    if solution.dropped(step, step.inputs[1]):
        value = solution.sign * _exact(upstream)
        formula: Formula = (upstream,)
        if solution.sign < 0:
            formula = ("−", *formula)
        return formula, solution.arithmetic.written(value, "deltas")
    value = solution.sign * _exact(upstream) * _exact(local)
    formula = (upstream, TIMES, local)
    if solution.sign < 0:
        formula = ("−", *formula)
    return formula, solution.arithmetic.written(value, "deltas")


def _gradient(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    threshold = solution.scenario.conventions.bias == "threshold"
    total = solution.arithmetic.zero
    parts: list[Formula] = []
    for delta, source in zip(step.inputs[::2], step.inputs[1::2], strict=True):
        delta_ref = ref(delta)
        signed = solution.sign * _exact(delta_ref)
        if source:
            source_ref = ref(source)
            total += signed * _exact(source_ref)
            parts.append((delta_ref, TIMES, source_ref))
        elif threshold:
            total -= signed
            parts.append((delta_ref, TIMES, "(−1)"))
        else:
            total += signed
            parts.append((delta_ref, TIMES, "1"))
    formula = join(parts, " + ")
    if solution.sign < 0:
        formula = ("−(", *formula, ")")
    return formula, solution.arithmetic.written(total, "gradients")


def _local(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    if step.inputs:
        source = ref(step.inputs[0])
        return (source,), _exact(source)
    if solution.scenario.conventions.bias == "threshold":
        return ("−1",), -solution.arithmetic.one
    return ("1",), solution.arithmetic.one


def _new_parameter(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    old = ref(step.inputs[0])
    if len(step.inputs) == 1:  # frozen: kept as it is
        return (old,), _exact(old)
    gradient = ref(step.inputs[1])
    rate = Ref("η", solution.rates[step.inputs[0]])
    if solution.slip.update_sign < 0:
        value = _exact(old) + _exact(rate) * _exact(gradient)
        return (old, " + ", rate, TIMES, gradient), solution.arithmetic.written(value, "parameters")
    value = _exact(old) - _exact(rate) * _exact(gradient)
    return (old, " − ", rate, TIMES, gradient), solution.arithmetic.written(value, "parameters")


_COMPUTE: dict[str, Callable[[WorkedSteps, Step, Getter, RefMaker], tuple[Formula, Decimal]]] = {
    PRE_ACTIVATION: _pre_activation,
    ACTIVATION: _activation,
    LOSS_TERM: _loss_term,
    LOSS: _loss,
    OUTPUT_GRADIENT: _output_gradient,
    SLOPE: _slope,
    DELTA: _delta,
    GRADIENT: _gradient,
    LOCAL: _local,
    NEW_PARAMETER: _new_parameter,
}


__all__ = ["CORRECT", "SECTIONS", "Slip", "Step", "WorkedSteps", "Working", "derivative_name", "updated_name"]
