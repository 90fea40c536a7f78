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
from dataclasses import field, fields, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

from bptutor.core.arithmetic import PRECISION, DecimalArithmetic
from bptutor.core.formula import TIMES, Formula, Ref, join
from bptutor.core.graph import Activate, Graph, TotalLoss, WeightedSum, build
from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
from bptutor.core.resume import at_step
from bptutor.core.scenario import Optimizer, Rounding, Scenario
from bptutor.records import dataclass

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
# a step of training on a batch of samples (each sample's own steps are the kinds above, named out_o1[2])
BATCH_LOSS = "batch_loss"  # E_total = (E_total[1] + E_total[2])/2, or their sum
BATCH_GRADIENT = "batch_gradient"  # ∂E_total/∂w5 = (∂E_total/∂w5[1] + ∂E_total/∂w5[2])/2, or their sum
DECAYED = "decayed"  # g_w5 = ∂E_total/∂w5 + λ·w5 (weight decay)
VELOCITY = "velocity"  # v_w5′ = β·v_w5 + g (momentum)
FIRST_MOMENT = "first_moment"  # m_w5′ = β1·m_w5 + (1 − β1)·g (adam)
SECOND_MOMENT = "second_moment"  # s_w5′ = β2·s_w5 + (1 − β2)·g² (adam)
CORRECTED = "corrected"  # m̂_w5 = m_w5′/(1 − β1^t), ŝ_w5 = s_w5′/(1 − β2^t) (adam)
STATE_KINDS = (DECAYED, VELOCITY, FIRST_MOMENT, SECOND_MOMENT, CORRECTED)

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
    reduction: a batch gradient taken as the "mean" or the "sum" whatever the scenario says (None: as it says).
    single_sample: a batch gradient taken as that sample's gradient alone (1-based in the batch).
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
    softmax: str = "exact"
    log10: bool = False
    reduction: str | None = None
    single_sample: int | None = None
    renamed: tuple[tuple[str, str, str], ...] = ()


CORRECT = Slip()

# the fields of `Slip` that change how every step of some kinds is worked (see `WorkedSteps.touched`)
_KINDS_A_SLIP_CHANGES: dict[str, tuple[str, ...]] = {
    "error_sign": (OUTPUT_GRADIENT,),
    "update_sign": (NEW_PARAMETER,),
    "softmax": (ACTIVATION, DELTA),
    "log10": (LOSS_TERM, LOSS),
}

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
    sample: int | None = None  # in a batch: the sample it belongs to (1-based, in batch order), named out_o1[2]


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


def in_sample(name: str, number: int) -> str:
    """A quantity of one sample of a batch: out_o1[2] is out_o1 of sample 2."""
    return f"{name}[{number}]"


def state_name(kind: str, parameter: str) -> str:
    """An optimizer's state of a parameter before the step: v_w5, m_w5, s_w5 (after it: v_w5′ …)."""
    return f"{kind}_{parameter}"


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
        self.made_from = self.scenario  # as given: a training scenario is worked at its step (below)
        if not self.scenario.is_single_example:  # a training scenario: its first step, unless taken up at a later one
            self.scenario = at_step(self.scenario, 1)
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
        self.samples: tuple[WorkedSteps, ...] = ()  # a batch: each sample worked as a single example
        self._shared: frozenset[str] = frozenset()
        self._base: dict[str, str] = {}  # a sample's step name (out_o1[2]) → its name in that sample (out_o1)
        if self.scenario.is_single_example:
            self.steps = tuple(_steps(self.graph))
        else:
            self.steps = tuple(self._batch_steps())
        self._by_name = {step.name: step for step in self.steps}

    # ── a step of training on a batch ─────────────────────────────────────────

    @property
    def batch(self) -> bool:
        """Whether this works a training step on a batch (or with an optimizer) rather than one example."""
        return not self.scenario.is_single_example

    @property
    def step_number(self) -> int:
        """The training step worked (1 unless the scenario is taken up at a later step)."""
        return self.scenario.resumed.step if self.scenario.resumed is not None else 1

    @property
    def reduction(self) -> str:
        training = self.scenario.training
        return training.reduction if training is not None else "mean"

    def _batch_steps(self) -> list[Step]:
        """Each sample's forward and backward steps (as a single example's), the batch's loss and gradient,
        then the optimizer's steps and the new parameters."""
        scenario = self.scenario
        notation = scenario.notation
        arithmetic = self.arithmetic
        single = replace(scenario, samples=None, training=None, optimizer=Optimizer(), resumed=None)
        samples = scenario.samples
        rows = list(zip(samples.inputs, samples.targets, strict=True)) if samples is not None else [
            (tuple(value for _, value in scenario.inputs), tuple(value for _, value in scenario.targets))
        ]
        parameters = {name for name, _ in scenario.parameters}
        self._shared = frozenset({"", *parameters})  # names every sample reads as they are
        children = []
        steps: list[Step] = []
        with localcontext(prec=PRECISION):
            for number, (row_inputs, row_targets) in enumerate(rows, start=1):
                given_inputs = tuple(
                    (name, value) for (name, _), value in zip(scenario.inputs, row_inputs, strict=True)
                )
                given_targets = tuple(
                    (name, value) for (name, _), value in zip(scenario.targets, row_targets, strict=True)
                )
                child = WorkedSteps(replace(single, inputs=given_inputs, targets=given_targets))
                children.append(child)
                for name, value in given_inputs:
                    self.givens[in_sample(name, number)] = arithmetic.number(value)
                for name, value in given_targets:
                    self.givens[in_sample(notation.tgt(name), number)] = arithmetic.number(value)

                def renamed(name: str, number: int = number) -> str:
                    return name if not name or name in parameters else in_sample(name, number)

                # a sample's own update is not the batch's: kept only where the sample reads it (the hidden error
                # terms of the updated-weights convention, as the tracer does), and never asked for
                read = {used for step in child.steps if step.section != UPDATE for used in step.inputs}
                for step in child.steps:
                    if step.section == UPDATE and step.name not in read:
                        continue
                    name = renamed(step.name)
                    self._base[name] = step.name
                    inputs_renamed = tuple(renamed(used) for used in step.inputs)
                    optional = step.optional or step.section == UPDATE
                    steps.append(replace(step, name=name, inputs=inputs_renamed, sample=number, optional=optional))
            self.samples = tuple(children)
            count = len(children)
            loss = self.graph.loss_name
            steps.append(Step(loss, FORWARD, BATCH_LOSS, tuple(in_sample(loss, n) for n in range(1, count + 1))))
            owners = {step.parameter: step.neuron for step in children[0].steps if step.kind == GRADIENT}
            for name, _ in scenario.parameters:
                if name not in owners:
                    continue
                gradient = derivative_name(loss, name)
                inputs = tuple(in_sample(gradient, n) for n in range(1, count + 1))
                steps.append(Step(gradient, BACKWARD, BATCH_GRADIENT, inputs, owners[name], name))
            optimizer = scenario.optimizer
            state = dict(scenario.resumed.state) if scenario.resumed is not None else {}
            frozen = set(self.graph.frozen)
            for name, _ in self.graph.learning_rates:
                owner = owners.get(name)
                if name in frozen or owner is None:
                    steps.append(Step(updated_name(name), UPDATE, NEW_PARAMETER, (name,), owner, name))
                    continue
                used = derivative_name(loss, name)
                if optimizer.weight_decay:
                    decayed = state_name("g", name)
                    steps.append(Step(decayed, UPDATE, DECAYED, (used, name), owner, name))
                    used = decayed
                kinds = {"sgd": (), "momentum": ("v",), "adam": ("m", "s")}[optimizer.name]
                before = state.get(name, tuple(0.0 for _ in kinds))
                for kind, value in zip(kinds, before, strict=True):
                    self.givens[state_name(kind, name)] = arithmetic.number(value)
                if optimizer.name == "momentum":
                    velocity = updated_name(state_name("v", name))
                    steps.append(Step(velocity, UPDATE, VELOCITY, (state_name("v", name), used), owner, name))
                    steps.append(Step(updated_name(name), UPDATE, NEW_PARAMETER, (name, velocity), owner, name))
                elif optimizer.name == "adam":
                    first, second = updated_name(state_name("m", name)), updated_name(state_name("s", name))
                    steps.append(Step(first, UPDATE, FIRST_MOMENT, (state_name("m", name), used), owner, name))
                    steps.append(Step(second, UPDATE, SECOND_MOMENT, (state_name("s", name), used), owner, name))
                    first_hat, second_hat = state_name("m̂", name), state_name("ŝ", name)
                    steps.append(Step(first_hat, UPDATE, CORRECTED, (first,), owner, name))
                    steps.append(Step(second_hat, UPDATE, CORRECTED, (second,), owner, name))
                    inputs = (name, first_hat, second_hat)
                    steps.append(Step(updated_name(name), UPDATE, NEW_PARAMETER, inputs, owner, name))
                else:
                    steps.append(Step(updated_name(name), UPDATE, NEW_PARAMETER, (name, used), owner, name))
        return steps

    def sample_of(self, name: str) -> tuple[int, str] | None:
        """For a sample's step of a batch (out_o1[2]): its sample and its own name (2, out_o1); else None."""
        if name not in self._base:
            return None
        step = self._by_name[name]
        assert step.sample is not None
        return step.sample, self._base[name]

    def _sample_slip(self, number: int) -> Slip:
        """The slip as it applies inside one sample: its step names as that sample names them."""
        slip = self.slip
        if slip == CORRECT:
            return slip

        def own(names: tuple[str, ...]) -> tuple[str, ...] | None:
            found = self.sample_of(names[0])
            if found is None or found[0] != number:
                return None
            return tuple(self._base.get(name, name.removesuffix(f"[{number}]")) for name in names)

        def ints(pair: tuple[str, int] | None) -> tuple[str, int] | None:
            renamed = own((pair[0],)) if pair else None
            return (renamed[0], pair[1]) if renamed and pair else None

        substitute = own(slip.substitute) if slip.substitute else None
        dropped = own(slip.dropped) if slip.dropped else None
        exchanged = own(slip.exchanged) if slip.exchanged else None
        return Slip(
            slip.derivative,
            slip.derivative_neurons,
            slip.error_sign,
            1,
            (substitute[0], substitute[1], substitute[2]) if substitute else None,
            ints(slip.early_rounding),
            (dropped[0], dropped[1]) if dropped else None,
            (exchanged[0], exchanged[1]) if exchanged else None,
        )

    def with_slip(self, slip: Slip) -> WorkedSteps:
        """The same scenario worked with `slip`: the graph and the steps do not depend on it, so they are shared."""
        import copy

        other = copy.copy(self)
        other.slip = slip
        return other

    def with_parameters_of(self, scenario: Scenario) -> WorkedSteps | None:
        """`scenario` worked, when it is this one's single example with other parameter values (two weights
        swapped): the graph and the steps do not depend on the values, so they are shared. Else None."""
        if not (self.scenario.is_single_example and scenario.is_single_example and self.slip == CORRECT):
            return None
        if replace(scenario, parameters=self.scenario.parameters) != self.scenario:
            return None
        import copy

        other = copy.copy(self)
        other.scenario = other.made_from = scenario
        with localcontext(prec=PRECISION):
            changed = {name: self.arithmetic.number(value) for name, value in scenario.parameters}
            other.givens = {**self.givens, **changed}
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

    def evaluation(
        self, name: str, overrides: Mapping[str, Decimal] = {}, like: Evaluation | None = None
    ) -> Evaluation:
        """One step's value from `overrides`, kept so that it can be recomputed with one of them changed.

        `like`: the same step evaluated from the same values by the correct solution this one was made from
        (`with_slip`, `with_parameters_of`). Every step that neither the slip works differently nor reads such a
        step or a changed given keeps `like`'s value, and is not computed again.
        """
        return Evaluation(self, name, overrides, like, self._differences(like, overrides))

    def _differences(self, like: Evaluation | None, overrides: Mapping[str, Decimal]) -> frozenset[str] | None:
        """The steps this solution works differently from `like`'s, the givens it changes and the values
        given to one evaluation and not the other (or given otherwise); None: anything may differ."""
        if like is None:
            return None
        other = like.solution
        if other.graph is not self.graph or other.slip != CORRECT or other.givens.keys() != self.givens.keys():
            return None
        touched = self.touched()
        if touched is None:
            return None
        changed = {name for name, value in self.givens.items() if other.givens[name] != value}
        for name in overrides.keys() | like.overrides.keys():
            mine, theirs = overrides.get(name), like.overrides.get(name)
            if mine is not theirs and (mine is None or theirs is None or mine.as_tuple() != theirs.as_tuple()):
                changed.add(name)  # (the same number written otherwise, 0.10 for 0.1, counts as changed)
        return touched | changed

    def touched(self) -> frozenset[str] | None:
        """The steps the slip works differently from the correct solution (or more); None when it cannot say.

        Each field of `Slip` is read by the rule of one kind of step, or names the steps it changes; a field
        not listed here (or a batch, whose slips apply inside samples) makes every step count as touched.
        """
        slip = self.slip
        if slip == CORRECT:
            return frozenset()
        if not self.scenario.is_single_example:
            return None
        kinds: set[str] = set()
        names: set[str] = set()
        for item in fields(slip):
            value = getattr(slip, item.name)
            if value == item.default:
                continue
            if item.name in _KINDS_A_SLIP_CHANGES:
                kinds.update(_KINDS_A_SLIP_CHANGES[item.name])
            elif item.name in ("derivative", "derivative_neurons"):  # f′ as 1 or as f, in some neurons or all
                chosen = slip.derivative_neurons
                names.update(
                    step.name
                    for step in self.steps
                    if (step.kind == SLOPE and (not chosen or step.neuron in chosen))
                    or (step.kind == DELTA and step.rule == FUSED)  # every fused δ is then worked factor by factor
                )
            elif item.name in ("substitute", "early_rounding", "dropped"):
                names.add(value[0])
            elif item.name == "exchanged":
                names.update(value)
            elif item.name == "renamed":
                names.update(at for at, _, _ in value)
            else:
                return None
        names.update(step.name for step in self.steps if step.kind in kinds)
        return frozenset(names)

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
        if step.sample is not None:  # a sample of a batch: worked as that sample's single example
            number = step.sample
            child = self.samples[number - 1].with_slip(self._sample_slip(number))
            shared = self._shared

            def renamed(name: str) -> str:
                return name if name in shared else in_sample(name, number)

            def read_in_sample(name: str) -> Decimal:
                return read(renamed(name))

            worked = child._compute(child.step(self._base[step.name]), read_in_sample)
            formula = tuple(
                Ref(renamed(token.name), token.value) if isinstance(token, Ref) else token for token in worked.formula
            )
            return Working(step.name, formula, worked.value)
        slip = self.slip
        if not (slip.renamed or slip.substitute or slip.early_rounding or slip.exchanged):  # reads as written

            def plain_ref(name: str) -> Ref:
                return Ref(name, read(name))

            formula, value = _COMPUTE[step.kind](self, step, read, plain_ref)
            return Working(step.name, formula, value)
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
        """What the step `name` reads, as the slip works it (an exchanged step reads the other's inputs).

        It depends on the steps and the slip's `exchanged` only (`Grader.uses` is kept on those)."""
        exchanged = self.slip.exchanged
        if exchanged and name in exchanged:
            return self._by_name[exchanged[1] if name == exchanged[0] else exchanged[0]].inputs
        return self._by_name[name].inputs

    def dropped(self, step: Step, factor: str) -> bool:
        """Whether the slip leaves `factor` out of `step`."""
        return self.slip.dropped == (step.name, factor)


class Evaluation:
    """One step's value computed from given values, remembering what each step computed on the way read.

    `changed(name, value)` recomputes the step with one given value changed, computing again only the steps
    that read it (directly or through others): the rest keep their values. That is exact, not an estimate,
    because a step reads its inputs only through the `read` function of `WorkedSteps._compute`; the same holds
    for the steps an evaluation shares with the correct solution's (`WorkedSteps.evaluation`).
    """

    def __init__(
        self,
        solution: WorkedSteps,
        name: str,
        overrides: Mapping[str, Decimal],
        like: Evaluation | None = None,
        differences: frozenset[str] | None = None,
    ) -> None:
        """`like` and `differences`: an evaluation whose steps this one shares, except those that read one of
        `differences` or are one (see `WorkedSteps.evaluation`); None: nothing shared."""
        self.solution = solution
        self.name = name
        self.overrides = dict(overrides)
        self._like = like if differences is not None else None
        self._differences = differences or frozenset()
        self._memo: dict[str, Decimal] = {}
        self._reads: dict[str, frozenset[str]] = {}  # each step computed → every name it read, on every path
        self._changed: dict[tuple[str, Decimal], tuple[dict[str, Decimal], dict[str, frozenset[str]]]] = {}
        if self._like is not None:
            self._share(self._like._memo, self._like._reads, self._memo, self._reads)
        self.value = self._run(self.overrides, self._memo, self._reads)

    def changed(self, name: str, value: Decimal) -> Decimal:
        """The step's value with the given value `name` changed to `value`."""
        memo = {step: known for step, known in self._memo.items() if name not in self._reads[step]}
        reads = {step: self._reads[step] for step in memo}
        if self._like is not None:
            self._share(*self._like._changed_steps(name, value), memo, reads)
        result = self._run({**self.overrides, name: value}, memo, reads)
        self._changed[name, value] = (memo, reads)
        return result

    def _changed_steps(self, name: str, value: Decimal) -> tuple[dict[str, Decimal], dict[str, frozenset[str]]]:
        """The steps' values (and what they read) with `name` changed to `value`: worked out once."""
        if (name, value) not in self._changed:
            self.changed(name, value)
        return self._changed[name, value]

    def _share(
        self,
        memo: dict[str, Decimal],
        reads: dict[str, frozenset[str]],
        into: dict[str, Decimal],
        into_reads: dict[str, frozenset[str]],
    ) -> None:
        """Take every step of `memo` that neither is one of the differences nor read one."""
        differences = self._differences
        for step, known in memo.items():
            if step not in into and step not in differences and differences.isdisjoint(reads[step]):
                into[step] = known
                into_reads[step] = reads[step]

    def _run(
        self, overrides: dict[str, Decimal], memo: dict[str, Decimal], reads: dict[str, frozenset[str]]
    ) -> Decimal:
        solution = self.solution
        givens = solution.givens
        by_name = solution._by_name
        frames: list[set[str]] = [set()]

        def read(name: str) -> Decimal:
            if name in overrides:
                frames[-1].add(name)
                return overrides[name]
            if name in givens:
                frames[-1].add(name)
                return givens[name]
            if name not in memo:
                frames.append(set())
                memo[name] = solution._compute(by_name[name], read).value
                reads[name] = frozenset(frames.pop())
            frame = frames[-1]
            frame.add(name)
            frame.update(reads[name])
            return memo[name]

        with localcontext(prec=PRECISION):
            return solution._compute(by_name[self.name], read).value


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
        weight_ref, source_ref = ref(weight), ref(source)
        total += _exact(weight_ref) * _exact(source_ref)
        parts.append((weight_ref, TIMES, source_ref))
    formula = join(parts, " + ")
    if equation.bias is not None:
        bias = ref(equation.bias)
        if equation.threshold:
            total -= _exact(bias)
            formula = (*formula, " − ", bias)
        else:
            total += _exact(bias)
            formula = (*formula, " + ", bias)
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
        refs = [ref(name) for name in equation.group]
        outputs = layer_op.forward([_exact(z) for z in refs])
        # e^(z_i)/(e^(z_1) + e^(z_2) + …): softmax(z_i) alone would hide that every z of the layer is read
        formula: Formula = ("e^(", argument, ")/(", *join([("e^(", z, ")") for z in refs], " + "), ")")
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
    rate = Ref("η", solution.rates[step.inputs[0]])
    if len(step.inputs) == 3:  # adam: p′ = p − η·m̂/(√ŝ + ε)
        first, second = ref(step.inputs[1]), ref(step.inputs[2])
        epsilon = _constant(solution, "ε", solution.scenario.optimizer.epsilon)
        sign = solution.slip.update_sign
        change = _exact(rate) * _exact(first) / (_exact(second).sqrt() + _exact(epsilon))
        value = _exact(old) - sign * change
        formula: Formula = (old, " − " if sign > 0 else " + ", rate, TIMES, first, "/(√", second, " + ", epsilon, ")")
        return formula, solution.arithmetic.written(value, "parameters")
    gradient = ref(step.inputs[1])
    if solution.slip.update_sign < 0:
        value = _exact(old) + _exact(rate) * _exact(gradient)
        return (old, " + ", rate, TIMES, gradient), solution.arithmetic.written(value, "parameters")
    value = _exact(old) - _exact(rate) * _exact(gradient)
    return (old, " − ", rate, TIMES, gradient), solution.arithmetic.written(value, "parameters")


def _batch_loss(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    terms = [ref(name) for name in step.inputs]
    total = sum((_exact(term) for term in terms), solution.arithmetic.zero)
    formula = join([(term,) for term in terms], " + ")
    if (solution.slip.reduction or solution.reduction) == "mean" and len(terms) > 1:
        total /= len(terms)
        formula = ("(", *formula, f")/{len(terms)}")
    return formula, solution.arithmetic.written(total, "losses")


def _batch_gradient(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    """The mean (or the sum) of the samples' gradients; a slip may take the other, or one sample's alone."""
    terms = [ref(name) for name in step.inputs]
    slip = solution.slip
    if slip.single_sample is not None:
        term = terms[slip.single_sample - 1]
        return (term,), solution.arithmetic.written(_exact(term), "gradients")
    total = sum((_exact(term) for term in terms), solution.arithmetic.zero)
    formula = join([(term,) for term in terms], " + ")
    if (slip.reduction or solution.reduction) == "mean" and len(terms) > 1:
        total /= len(terms)
        formula = ("(", *formula, f")/{len(terms)}")
    return formula, solution.arithmetic.written(total, "gradients")


def _constant(solution: WorkedSteps, symbol: str, value: float) -> Ref:
    return Ref(symbol, solution.arithmetic.number(value))


def _decayed(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    """g = ∂E/∂p + λ·p (L2 weight decay)."""
    gradient, parameter = ref(step.inputs[0]), ref(step.inputs[1])
    decay = _constant(solution, "λ", solution.scenario.optimizer.weight_decay)
    value = _exact(gradient) + _exact(decay) * _exact(parameter)
    return (gradient, " + ", decay, TIMES, parameter), solution.arithmetic.written(value, "gradients")


def _velocity(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    """v′ = β·v + g."""
    velocity, gradient = ref(step.inputs[0]), ref(step.inputs[1])
    beta = _constant(solution, "β", solution.scenario.optimizer.beta)
    value = _exact(beta) * _exact(velocity) + _exact(gradient)
    return (beta, TIMES, velocity, " + ", gradient), value


def _moment(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    """m′ = β1·m + (1 − β1)·g, or s′ = β2·s + (1 − β2)·g²."""
    moment, gradient = ref(step.inputs[0]), ref(step.inputs[1])
    optimizer = solution.scenario.optimizer
    first = step.kind == FIRST_MOMENT
    beta = _constant(solution, "β1" if first else "β2", optimizer.beta1 if first else optimizer.beta2)
    one = solution.arithmetic.one
    g = _exact(gradient) if first else _exact(gradient) * _exact(gradient)
    value = _exact(beta) * _exact(moment) + (one - _exact(beta)) * g
    power: Formula = (gradient,) if first else ("(", gradient, ")²")
    return (beta, TIMES, moment, " + (1 − ", beta, ")", TIMES, *power), value


def _corrected(solution: WorkedSteps, step: Step, get: Getter, ref: RefMaker) -> tuple[Formula, Decimal]:
    """m̂ = m′/(1 − β1^t) or ŝ = s′/(1 − β2^t), t the step's number."""
    moment = ref(step.inputs[0])
    optimizer = solution.scenario.optimizer
    first = step.name.startswith("m̂")
    beta = _constant(solution, "β1" if first else "β2", optimizer.beta1 if first else optimizer.beta2)
    t = solution.step_number
    value = _exact(moment) / (solution.arithmetic.one - _exact(beta) ** t)
    return (moment, "/(1 − ", beta, f"^{t})"), value


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
    BATCH_LOSS: _batch_loss,
    BATCH_GRADIENT: _batch_gradient,
    DECAYED: _decayed,
    VELOCITY: _velocity,
    FIRST_MOMENT: _moment,
    SECOND_MOMENT: _moment,
    CORRECTED: _corrected,
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
    "in_sample",
    "state_name",
    "updated_name",
]
