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
from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
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
JACOBIAN = "jacobian"  # ∂a_i/∂z_j of a softmax layer: a_i·(δ_ij − a_j)
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
    softmax: "diagonal" (an output's δ_j from the diagonal of softmax's Jacobian only: ∂E/∂a_j·a_j·(1 − a_j)),
    or "skipped" (the raw scores z used as the probabilities a).
    log10: the logarithm of the loss taken to base 10 instead of e.
    """

    derivative: str = "exact"
    derivative_neurons: frozenset[str] = frozenset()
    error_sign: int = 1
    update_sign: int = 1
    substitute: tuple[str, str, str] | None = None
    early_rounding: tuple[str, int] | None = None
    dropped: tuple[str, str] | None = None
    exchanged: tuple[str, str] | None = None
    softmax: str = "exact"
    log10: bool = False


CORRECT = Slip()

FUSED, THROUGH_JACOBIAN = "fused", "jacobian"  # how an output's δ is worked (Step.rule)


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
    # an output's δ: "" (∂E/∂out·f′), FUSED (out − target: the loss cancels f′; inputs out, target)
    # or THROUGH_JACOBIAN (Σ_i ∂E/∂a_i·∂a_i/∂z_j over a softmax layer; inputs in pairs)
    rule: str = ""


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
        if slip.substitute and slip.substitute[0] == step.name:
            _, used, instead_of = slip.substitute

            def get(name: str) -> Decimal:
                return read(used if name == instead_of else name)

            def shown(name: str) -> str:
                return used if name == instead_of else name

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
            reads = equation.group or (equation.argument,)  # softmax reads every z of its layer
            steps.append(Step(equation.output, FORWARD, ACTIVATION, reads, owner))
        else:
            assert isinstance(equation, TotalLoss)
            if len(equation.terms) == 1 and not loss_of(equation.loss).root:
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
    loss_equation = graph.definition(loss_name)
    assert isinstance(loss_equation, TotalLoss)
    for index in reversed(range(len(layers))):
        worked_apart = index == len(layers) - 1 and _output_rule(graph) is not None
        if worked_apart:  # softmax, or a loss that cancels f′
            steps += _output_steps(graph, loss_equation)
        for neuron in layers[index].neurons if not worked_apart else ():
            pre, act = notation.pre(neuron.name), notation.act(neuron.name)
            if index == len(layers) - 1:
                inputs = (notation.tgt(neuron.name), act)
                if loss_of(loss_equation.loss).root:  # ∂E/∂out = (out − target)/(n·E) reads E
                    inputs += (loss_name,)
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


def _output_rule(graph: Graph) -> str | None:
    """How the output layer's δ are worked when it is not ∂E/∂out·f′: FUSED, THROUGH_JACOBIAN, or None."""
    equation = graph.definition(graph.loss_name)
    assert isinstance(equation, TotalLoss)
    if any(term.logit is not None for term in equation.terms):
        return FUSED
    if graph.scenario.layers[-1].activation in LAYER_ACTIVATIONS:
        return THROUGH_JACOBIAN
    return None


def _output_steps(graph: Graph, loss: TotalLoss) -> list[Step]:
    """The output layer's backward steps when the loss cancels f′ (δ = out − target, each factor optional)
    or the layer is a softmax (∂E/∂a_i, every Jacobian entry ∂a_i/∂z_j, δ_j = Σ_i ∂E/∂a_i·∂a_i/∂z_j)."""
    notation = graph.scenario.notation
    layer = graph.scenario.layers[-1]
    rule = _output_rule(graph)
    fused = rule == FUSED
    softmax = layer.activation in LAYER_ACTIVATIONS
    loss_name = graph.loss_name
    root = loss_of(loss.loss).root
    steps: list[Step] = []
    names = [(n.name, notation.pre(n.name), notation.act(n.name), notation.tgt(n.name)) for n in layer.neurons]
    for neuron, _, act, target in names:
        inputs: tuple[str, ...] = (target, act, loss_name) if root else (target, act)
        steps.append(Step(derivative_name(loss_name, act), BACKWARD, OUTPUT_GRADIENT, inputs, neuron, optional=fused))
    for neuron, pre, act, target in names:
        pairs: tuple[str, ...] = ()
        if softmax:
            for _, _, other, _ in names:
                entry = derivative_name(other, pre)
                reads = (other,) if other == act else (other, act)
                steps.append(Step(entry, BACKWARD, JACOBIAN, reads, neuron, optional=fused))
                pairs += (derivative_name(loss_name, other), entry)
        else:
            steps.append(Step(derivative_name(act, pre), BACKWARD, SLOPE, (pre, act), neuron, optional=True))
        inputs = (act, target) if fused else pairs
        steps.append(Step(notation.dlt(neuron), BACKWARD, DELTA, inputs, neuron, rule=rule or ""))
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
    if equation.group:  # softmax: e^(z_i)/Σ_j e^(z_j) over the layer's z as read
        assert isinstance(equation.activation, str)
        layer_op = LAYER_ACTIVATIONS[equation.activation]
        argument = ref(equation.argument)
        if solution.slip.softmax == "skipped":  # the raw score taken as the probability
            return (argument,), solution.arithmetic.written(_exact(argument), "activations")
        zs = [_exact(ref(name)) for name in equation.group]
        outputs = layer_op.forward(zs)
        formula: Formula = (f"{layer_op.symbol}(", argument, ")")
        return formula, solution.arithmetic.written(outputs[equation.group.index(equation.argument)], "activations")
    op = activation_of(equation.activation)
    argument = ref(equation.argument)
    value = op.forward(argument.value, solution.arithmetic.number(equation.slope))
    formula = (f"{op.symbol}(", argument, ")")
    return formula, solution.arithmetic.written(value, "activations")


def _loss_term(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    loss = loss_of(solution.scenario.loss)
    target, out = (ref(name) for name in step.inputs)
    value = loss.term(target.value, out.value)
    formula = loss.term_formula(target, out)
    if solution.slip.log10:  # every ln of the term taken to base 10: the term over ln 10
        value /= Decimal(10).ln()
        formula = tuple(token.replace("ln(", "log10(") if isinstance(token, str) else token for token in formula)
    return formula, solution.arithmetic.written(value, "losses")


def _loss(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    loss = loss_of(solution.scenario.loss)
    if len(solution.output_neurons) == 1 and not loss.root:  # one output: the loss is its term
        return _loss_term(solution, step, get, ref)
    terms = [ref(name) for name in step.inputs]
    total = sum((_exact(term) for term in terms), solution.arithmetic.zero)
    formula = join([(term,) for term in terms], " + ")
    if loss.mean:
        total /= len(terms)
        formula = ("(", *formula, f")/{len(terms)}")
    if loss.root:
        total = total.sqrt()
        formula = ("√(", *formula, ")")
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
        if loss.root:  # E = √(mean): ∂E/∂out = ∂mean/∂out/(2E), 0 where E = 0
            whole = ref(step.inputs[2])
            value = value / (2 * _exact(whole)) if _exact(whole) else solution.arithmetic.zero
            if solution.slip.error_sign < 0:
                return ("(", target, " − ", out, f")/({count}", TIMES, whole, ")"), -value
            return ("(", out, " − ", target, f")/({count}", TIMES, whole, ")"), value
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


def _jacobian(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    """∂a_i/∂z_j = a_i·(1 − a_i) on the diagonal, −a_i·a_j off it."""
    out = ref(step.inputs[0])
    if len(step.inputs) == 1:
        return (out, TIMES, "(1 − ", out, ")"), _exact(out) * (1 - _exact(out))
    other = ref(step.inputs[1])
    return ("−", out, TIMES, other), -_exact(out) * _exact(other)


def _output_delta(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    """δ of an output worked FUSED (out − target) or THROUGH_JACOBIAN (Σ_i ∂E/∂a_i·∂a_i/∂z_j), or as a slip has it."""
    arithmetic = solution.arithmetic
    sign = solution.sign
    loss = loss_of(solution.scenario.loss)
    count = len(solution.output_neurons)
    if step.rule == FUSED:
        out, target = ref(step.inputs[0]), ref(step.inputs[1])
        if solution.slip.softmax == "diagonal" or solution.slip.derivative != "exact":
            # the chain of a fused δ worked factor by factor: ∂E/∂a_j·a_j·(1 − a_j), only the diagonal of a softmax
            upstream = loss.term_derivative(_exact(target), _exact(out)) / (count if loss.mean else 1)
            slope = _exact(out) * (1 - _exact(out))
            slip = solution.slip
            if slip.derivative != "exact" and (not slip.derivative_neurons or step.neuron in slip.derivative_neurons):
                slope = arithmetic.one if slip.derivative == "one" else _exact(out)
            gradient = Ref(derivative_name(solution.graph.loss_name, out.name), upstream)
            formula: Formula = (gradient, TIMES, out, TIMES, "(1 − ", out, ")")
            return formula, arithmetic.written(sign * upstream * slope, "deltas")
        value = _exact(out) - _exact(target)
        if loss.mean and count > 1:
            value /= count
        formula = (out, " − ", target) if sign > 0 else (target, " − ", out)
        return formula, arithmetic.written(sign * value, "deltas")
    pairs = list(zip(step.inputs[::2], step.inputs[1::2], strict=True))
    if solution.slip.softmax == "diagonal":  # only ∂a_j/∂z_j: the entry of the neuron's own activation
        pairs = [(upstream, entry) for upstream, entry in pairs if solution.step(entry).inputs[1:] == ()]
    total = arithmetic.zero
    parts: list[Formula] = []
    for upstream_name, entry_name in pairs:
        upstream, entry = ref(upstream_name), ref(entry_name)
        total += _exact(upstream) * _exact(entry)
        parts.append((upstream, TIMES, entry))
    formula = join(parts, " + ")
    if sign < 0:
        formula = ("−(", *formula, ")")
    return formula, arithmetic.written(sign * total, "deltas")


def _delta(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    if step.rule:
        return _output_delta(solution, step, get, ref)
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
    JACOBIAN: _jacobian,
}


__all__ = [
    "CORRECT",
    "FUSED",
    "SECTIONS",
    "THROUGH_JACOBIAN",
    "Slip",
    "Step",
    "WorkedSteps",
    "Working",
    "derivative_name",
    "updated_name",
]
