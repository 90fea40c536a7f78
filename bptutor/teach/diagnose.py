"""Why is a value wrong? Common mistakes, each tested by recomputing with it.

A hypothesis is a changed calculation: a changed scenario (another neuron's
bias, one bias for a whole layer, two weights swapped, the ½ dropped from the
loss, another layer's learning rate, the already-updated weights in the hidden
error terms) or a changed rule (`Slip`: σ′ forgotten, σ′ written as σ, the sign
of (t − o) flipped, in used where out belongs or the reverse, values rounded
too early). It is recomputed from the student's own earlier values, and it
explains the wrong value when it gives that value at the precision it was
written with. Nothing is guessed from the number alone, except the slips of
the pen — a rounding slip in the last digit, two digits swapped, a digit
miscopied, dropped or doubled, a lost sign, a moved decimal point — which are
read off the digits of the value that should have been written.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Decimal

from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
from bptutor.core.scenario import Layer, Scenario
from bptutor.errors import ScenarioError
from bptutor.i18n import DEFAULT_LANGUAGE, Message
from bptutor.records import dataclass
from bptutor.teach.answers import Claim
from bptutor.teach.grading import Diagnosis, Grader, Judgement
from bptutor.teach.solution import (
    ACTIVATION,
    BATCH_GRADIENT,
    BATCH_LOSS,
    CORRECT,
    DELTA,
    GRADIENT,
    LOSS,
    LOSS_TERM,
    NEW_PARAMETER,
    OUTPUT_GRADIENT,
    PRE_ACTIVATION,
    SLOPE,
    Evaluation,
    Slip,
    Step,
    WorkedSteps,
    Working,
)

MAX_HYPOTHESES = 600  # per wrong value: enough for every network a person works by hand
MAX_SWAPPED_PAIRS = 200
MAX_EARLY_DECIMALS = 8
MAX_REGION_SHOWN = 4  # steps of corrected working shown when no mistake explains a value


@dataclass(frozen=True)
class Hypothesis:
    key: str
    message: Message
    scenario: Scenario
    slip: Slip = CORRECT


def diagnose_judgement(grader: Grader, judgement: Judgement) -> Judgement:
    """The judgement with every mistake that explains its value, and the corrected working."""
    claim = judgement.claim
    assert claim is not None
    name = judgement.step.name
    uses = judgement.uses
    overrides = grader.overrides(uses)
    base_value, spread = judgement.correct, Decimal(0)
    base: Evaluation | None = None  # the value worked from the student's values without a mistake
    try:
        base = grader.solution.evaluation(name, overrides)
        if uses:
            base_value = base.value
    except ArithmeticError:  # the student's values leave a domain (ln of −0.5): worked from the correct ones
        uses, overrides, base = (), {}, None
    region = _open_region(grader, name)
    found: list[Diagnosis] = []
    seen_values: set[tuple[str, str]] = set()
    for count, hypothesis in enumerate(hypotheses(grader, name, region)):
        if count >= MAX_HYPOTHESES:
            break
        try:
            if hypothesis.scenario is grader.solution.scenario:
                solution = grader.solution.with_slip(hypothesis.slip)
            else:
                solution = grader.worked(hypothesis.scenario).with_slip(hypothesis.slip)
        except (ScenarioError, ArithmeticError):  # a scenario the graph refuses (or that overflows) is no candidate
            continue
        if not solution.has(name):
            continue
        mine = grader.uses(name, solution)  # the mistake may read other values (w5′ for w5)
        try:
            evaluation = solution.evaluation(name, grader.overrides(mine), like=base)
            value = evaluation.value
            if value == base_value:  # the mistake changes nothing here
                continue
            spread = grader.spread(evaluation, mine) if mine else Decimal(0)
        except ArithmeticError:  # the mistake leaves the domain (ln of a raw score ≤ 0): it cannot give this value
            continue
        truncated = not grader.judge.matches(value, claim, spread)
        if truncated and (not grader.judge.cut_off(value, claim) or grader.judge.cut_off(base_value, claim)):
            continue
        key = (hypothesis.key, str(hypothesis.message.render(DEFAULT_LANGUAGE)))
        if key in seen_values:
            continue
        seen_values.add(key)
        working = _working(grader.solution, solution, name, region, overrides)
        found.append(Diagnosis(hypothesis.key, hypothesis.message, value, working, truncated))
    if not found:
        found.extend(_pen_slips(grader, claim, base_value))
    if not found and uses:
        found.extend(_pen_slips(grader, claim, judgement.correct))
    corrected_names = _changed_names(found, name)
    if not found and len(region) <= MAX_REGION_SHOWN:
        corrected_names = region
    corrected = tuple(grader.solution.working(step, overrides) for step in corrected_names)
    return replace(judgement, diagnoses=tuple(found), corrected=corrected, uses=uses)


def _open_region(grader: Grader, name: str) -> tuple[str, ...]:
    """The steps recomputed for `name` from the student's values: its ancestors not given, and itself."""
    solution = grader.solution
    region: list[str] = []
    seen: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current in seen or not solution.has(current):
            continue
        seen.add(current)
        region.append(current)
        for used in solution.step(current).inputs:
            if used not in grader.claims:
                stack.append(used)
    order = {step.name: index for index, step in enumerate(solution.steps)}
    return tuple(sorted(region, key=order.__getitem__))


def _working(
    correct: WorkedSteps, slipped: WorkedSteps, name: str, region: tuple[str, ...], overrides: dict[str, Decimal]
) -> tuple[Working, ...]:
    """The slipped working: each step of the region whose value or formula the slip changed, and the value itself."""
    steps = []
    for step in region:
        mine = slipped.working(step, overrides) if slipped.has(step) else None
        right = correct.working(step, overrides)
        if mine is not None and (step == name or mine.value != right.value or mine.formula != right.formula):
            steps.append(mine)
    return tuple(steps)


def _changed_names(found: list[Diagnosis], name: str) -> tuple[str, ...]:
    names = [working.step for diagnosis in found[:1] for working in diagnosis.working]
    return tuple(dict.fromkeys([*names, name])) if names else (name,)


# ── the hypotheses ────────────────────────────────────────────────────────────


def hypotheses(grader: Grader, name: str, region: tuple[str, ...]) -> Iterator[Hypothesis]:
    """Every mistake worth recomputing for the value `name`, most common first."""
    solution = grader.solution
    scenario = grader.scenario
    step = solution.step(name)
    read = {used for current in region for used in solution.step(current).inputs}
    neurons_in_region = [
        solution.step(current).neuron for current in region if solution.step(current).kind == PRE_ACTIVATION
    ]
    kinds = {solution.step(current).kind for current in region}
    yield from _batch_hypotheses(solution, kinds)
    yield from _bias_hypotheses(scenario, neurons_in_region)
    yield from _loss_hypotheses(scenario, kinds)
    yield from _output_hypotheses(solution, region, kinds)
    yield from _derivative_hypotheses(solution, step, region)
    if OUTPUT_GRADIENT in kinds and any(
        solution.step(c).neuron in solution.output_neurons for c in region if solution.step(c).kind == OUTPUT_GRADIENT
    ):
        yield Hypothesis("error_sign", Message.of("diagnosis.error_sign"), scenario, Slip(error_sign=-1))
    yield from _substitution_hypotheses(solution, region)
    hidden_sums = [
        current
        for current in region
        if solution.step(current).kind == OUTPUT_GRADIENT
        and solution.step(current).neuron not in solution.output_neurons
    ]
    yield from _unmultiplied_hypotheses(grader, region)
    yield from _untransposed_hypotheses(solution, hidden_sums)
    yield from _one_path_hypotheses(solution, hidden_sums)
    if len(scenario.layers) > 1 and (DELTA in kinds or hidden_sums):
        conventions = scenario.conventions
        other = "original" if conventions.hidden_error_weights == "updated" else "updated"
        key = "updated_weights" if other == "updated" else "original_weights"
        changed = replace(scenario, conventions=replace(conventions, hidden_error_weights=other))
        yield Hypothesis(key, Message.of(f"diagnosis.{key}"), changed)
    if NEW_PARAMETER in kinds:
        yield from _rate_hypotheses(solution, region)
        yield Hypothesis("update_sign", Message.of("diagnosis.update_sign"), scenario, Slip(update_sign=-1))
    yield from _swap_hypotheses(scenario, read)
    transposed = dict(_transposed_gradients(solution, region))
    yield from transposed.values()
    yield from _exchange_hypotheses(solution, region, set(transposed))
    claim_decimals = max((claim.decimals for claim in grader.claims.get(name, [])), default=0)
    for decimals in range(1, min(claim_decimals, MAX_EARLY_DECIMALS + 1)):
        message = Message.of("diagnosis.early_rounding", decimals=decimals, step=name)
        yield Hypothesis("early_rounding", message, scenario, Slip(early_rounding=(name, decimals)))


def _batch_hypotheses(solution: WorkedSteps, kinds: set[str]) -> Iterator[Hypothesis]:
    """A batch's gradient (or loss) as the sum where the mean is asked (1/m forgotten), the mean where the sum is,
    or one sample's gradient taken for the batch's."""
    if not kinds & {BATCH_GRADIENT, BATCH_LOSS}:
        return
    count = len(solution.samples)
    if count < 2:
        return
    scenario = solution.scenario
    if solution.reduction == "mean":
        yield Hypothesis("no_mean", Message.of("diagnosis.no_mean", count=count), scenario, Slip(reduction="sum"))
    else:
        message = Message.of("diagnosis.mean_for_sum", count=count)
        yield Hypothesis("mean_for_sum", message, scenario, Slip(reduction="mean"))
    if BATCH_GRADIENT in kinds:
        for number in range(1, count + 1):
            message = Message.of("diagnosis.one_sample", number=number, count=count)
            yield Hypothesis("one_sample", message, scenario, Slip(single_sample=number))


def _with_bias(scenario: Scenario, neurons: dict[str, str | None]) -> Scenario:
    """The scenario with some neurons' bias parameters changed."""
    layers = tuple(
        replace(
            layer, neurons=tuple(replace(n, bias=neurons[n.name]) if n.name in neurons else n for n in layer.neurons)
        )
        for layer in scenario.layers
    )
    return replace(scenario, layers=layers)


def _bias_hypotheses(scenario: Scenario, neurons: list[str | None]) -> Iterator[Hypothesis]:
    biases = list(dict.fromkeys(n.bias for layer in scenario.layers for n in layer.neurons if n.bias))
    layer_of = {n.name: layer for layer in scenario.layers for n in layer.neurons}
    own = {n.name: n.bias for layer in scenario.layers for n in layer.neurons}
    for neuron in neurons:
        if neuron is None or own.get(neuron) is None:
            continue
        bias = own[neuron]
        for other in biases:
            if other != bias:
                message = Message.of("diagnosis.wrong_bias", used=other, neuron=neuron, bias=bias)
                yield Hypothesis("wrong_bias", message, _with_bias(scenario, {neuron: other}))
    layers_seen: list[str] = []
    for neuron in neurons:
        if neuron is None or neuron not in layer_of:
            continue
        layer: Layer = layer_of[neuron]
        if layer.name in layers_seen:
            continue
        layers_seen.append(layer.name)
        layer_biases = list(dict.fromkeys(n.bias for n in layer.neurons if n.bias))
        if len(layer_biases) < 2:
            continue
        for shared in layer_biases:
            message = Message.of(
                "diagnosis.shared_bias", bias=shared, layer=layer.name, biases=", ".join(layer_biases)
            )
            yield Hypothesis("shared_bias", message, _with_bias(scenario, {n.name: shared for n in layer.neurons}))
    for neuron in neurons:
        if neuron is not None and own.get(neuron):
            message = Message.of("diagnosis.no_bias", neuron=neuron, bias=own[neuron])
            yield Hypothesis("no_bias", message, _with_bias(scenario, {neuron: None}))


def _loss_hypotheses(scenario: Scenario, kinds: set[str]) -> Iterator[Hypothesis]:
    if not kinds & {LOSS, LOSS_TERM, OUTPUT_GRADIENT, DELTA, GRADIENT, NEW_PARAMETER}:
        return
    if scenario.loss == "half_sse":
        yield Hypothesis("half_dropped", Message.of("diagnosis.half_dropped"), replace(scenario, loss="sse"))
    elif scenario.loss == "sse":
        yield Hypothesis("half_kept", Message.of("diagnosis.half_kept"), replace(scenario, loss="half_sse"))


def _output_hypotheses(solution: WorkedSteps, region: tuple[str, ...], kinds: set[str]) -> Iterator[Hypothesis]:
    """The mistakes of a softmax or a logarithmic loss: only the diagonal of softmax's Jacobian used,
    softmax skipped (the raw scores as probabilities), log10 where ln belongs."""
    scenario = solution.scenario
    output = scenario.layers[-1]
    notation = scenario.notation
    if output.activation in LAYER_ACTIVATIONS:
        acts = {notation.act(neuron.name) for neuron in output.neurons}
        if any(solution.step(current).rule for current in region if solution.step(current).kind == DELTA):
            message = Message.of("diagnosis.softmax_diagonal", loss=notation.loss)
            yield Hypothesis("softmax_diagonal", message, scenario, Slip(softmax="diagonal"))
        if acts & set(region):
            message = Message.of("diagnosis.softmax_skipped", out=notation.act("k"), pre=notation.pre("k"))
            yield Hypothesis("softmax_skipped", message, scenario, Slip(softmax="skipped"))
    if kinds & {LOSS, LOSS_TERM} and loss_of(scenario.loss).fused_with is not None:  # a loss made of logarithms
        yield Hypothesis("log10", Message.of("diagnosis.log10"), scenario, Slip(log10=True))


def _derivative_hypotheses(solution: WorkedSteps, step: Step, region: tuple[str, ...]) -> Iterator[Hypothesis]:
    """f′ forgotten or written as f: in one neuron (the value's own first, then each in the region), or everywhere."""
    slopes = [solution.step(current).neuron for current in region if solution.step(current).kind == SLOPE]
    if not slopes:
        return
    scenario = solution.scenario
    neurons = list(dict.fromkeys([step.neuron, *slopes]) if step.neuron in slopes else dict.fromkeys(slopes))
    for rule, key in (("one", "no_derivative"), ("activation", "derivative_as_activation")):
        for neuron in neurons:
            if neuron is None:
                continue
            symbol = _derivative_symbol(scenario, neuron)
            act = scenario.notation.act(neuron)
            pre = scenario.notation.pre(neuron)
            message = Message.of(
                f"diagnosis.{key}", symbol=symbol, function=symbol.removesuffix("′"), out=act, pre=pre
            )
            yield Hypothesis(key, message, scenario, Slip(derivative=rule, derivative_neurons=frozenset({neuron})))
        symbol = _derivative_symbol(scenario, step.neuron)
        message = Message.of(f"diagnosis.{key}_everywhere", symbol=symbol, function=symbol.removesuffix("′"))
        yield Hypothesis(key, message, scenario, Slip(derivative=rule))


def _unmultiplied_hypotheses(grader: Grader, region: tuple[str, ...]) -> Iterator[Hypothesis]:
    """∂out/∂in written down, but the error term taken as ∂E/∂out alone."""
    solution = grader.solution
    for current in region:
        step = solution.step(current)
        if step.kind != DELTA or step.rule or step.inputs[1] not in grader.claims:
            continue
        upstream, slope = step.inputs
        message = Message.of("diagnosis.slope_not_multiplied", slope=slope, delta=current, upstream=upstream)
        yield Hypothesis("slope_not_multiplied", message, solution.scenario, Slip(dropped=(current, slope)))


def _one_path_hypotheses(solution: WorkedSteps, hidden_sums: list[str]) -> Iterator[Hypothesis]:
    """A hidden neuron's ∂E/∂out summed over only some of the neurons it feeds."""
    for current in hidden_sums:
        step = solution.step(current)
        pairs = list(zip(step.inputs[::2], step.inputs[1::2], strict=True))
        if len(pairs) < 2:
            continue
        consumers = {solution.scenario.notation.dlt(n.name): n.name for layer in solution.scenario.layers
                     for n in layer.neurons}
        for delta, weight in pairs:
            message = Message.of(
                "diagnosis.one_path",
                neuron=step.neuron,
                consumer=consumers.get(delta, delta),
                delta=delta,
                weight=weight,
                step=current,
            )
            yield Hypothesis("one_path", message, solution.scenario, Slip(dropped=(current, delta)))


def _square_places(scenario: Scenario) -> dict[int, list[list[str]]]:
    """The weight matrix W^(l) of each square, fully connected layer (n_l = n_(l−1)), by layer index from 0."""
    below = [name for name, _ in scenario.inputs]
    places: dict[int, list[list[str]]] = {}
    for index, layer in enumerate(scenario.layers):
        rows = [dict(neuron.weights) for neuron in layer.neurons]
        if len(rows) == len(below) > 1 and all(set(row) == set(below) for row in rows):
            places[index] = [[row[source] for source in below] for row in rows]
        below = [neuron.name for neuron in layer.neurons]
    return places


def _untransposed_hypotheses(solution: WorkedSteps, hidden_sums: list[str]) -> Iterator[Hypothesis]:
    """δ^(l) from W^(l+1) δ^(l+1) where (W^(l+1))ᵀ δ^(l+1) belongs: neuron k's sum reads w_kj where w_jk belongs.

    Only a square W^(l+1) can be used untransposed, and its diagonal is the same either way."""
    scenario = solution.scenario
    square = _square_places(scenario)
    position = {n.name: (index, k) for index, layer in enumerate(scenario.layers) for k, n in enumerate(layer.neurons)}
    for current in hidden_sums:
        step = solution.step(current)
        if step.neuron is None or step.neuron not in position:
            continue
        index, k = position[step.neuron]
        weights = square.get(index + 1)
        if weights is None:
            continue
        renamed = tuple(
            (current, weights[k][j], weights[j][k]) for j in range(len(weights)) if weights[j][k] != weights[k][j]
        )
        if not renamed or not all(weight in step.inputs for _, _, weight in renamed):
            continue
        read = ", ".join(f"{used}/{instead}" for _, used, instead in renamed)
        message = Message.of(
            "diagnosis.untransposed_weights", step=current, layer=index + 2, below=index + 1, pairs=read
        )
        yield Hypothesis("untransposed_weights", message, scenario, Slip(renamed=renamed))


def _transposed_gradients(solution: WorkedSteps, region: tuple[str, ...]) -> Iterator[tuple[str, Hypothesis]]:
    """∂E/∂W^(l) transposed: ∂E/∂w_jk worked as ∂E/∂w_kj (a square layer's off-diagonal pairs), keyed by step."""
    gradient_of = {step.parameter: step.name for step in solution.steps if step.kind == GRADIENT and step.parameter}
    for index, weights in _square_places(solution.scenario).items():
        for j, row in enumerate(weights):
            for k, weight in enumerate(row):
                mirror = weights[k][j]
                first, second = gradient_of.get(weight), gradient_of.get(mirror)
                if j == k or first is None or second is None or first not in region:
                    continue
                message = Message.of("diagnosis.transposed_gradient", first=first, second=second, layer=index + 1)
                yield first + "\x00" + second, Hypothesis(
                    "transposed_gradient", message, solution.scenario, Slip(exchanged=(first, second))
                )


def _exchange_hypotheses(
    solution: WorkedSteps, region: tuple[str, ...], transposed: Collection[str] = ()
) -> Iterator[Hypothesis]:
    """Two gradients of one layer exchanged: each worked as the other (∂E/∂w6 as δ_o2·out_h1).

    Pairs in `transposed` (the two step names joined by a NUL) are left out: a transposed ∂E/∂W, named as such."""
    layer_of = {n.name: layer.name for layer in solution.scenario.layers for n in layer.neurons}
    gradients = [step for step in solution.steps if step.kind == GRADIENT]
    pairs = 0
    for current in region:
        step = solution.step(current)
        if step.kind != GRADIENT:
            continue
        for other in gradients:
            if other.name == current or layer_of.get(other.neuron or "") != layer_of.get(step.neuron or ""):
                continue
            if current + "\x00" + other.name in transposed:
                continue
            pairs += 1
            if pairs > MAX_SWAPPED_PAIRS:
                return
            message = Message.of("diagnosis.exchanged", first=current, second=other.name)
            yield Hypothesis("exchanged", message, solution.scenario, Slip(exchanged=(current, other.name)))


def _derivative_symbol(scenario: Scenario, neuron: str | None) -> str:
    layers = [layer for layer in scenario.layers if any(n.name == neuron for n in layer.neurons)]
    activation = (layers or [scenario.layers[-1]])[0].activation
    if isinstance(activation, str) and activation in LAYER_ACTIVATIONS:
        return f"{LAYER_ACTIVATIONS[activation].symbol}′"
    return f"{activation_of(activation).symbol}′"


def _substitution_hypotheses(solution: WorkedSteps, region: tuple[str, ...]) -> Iterator[Hypothesis]:
    """in used where out belongs (or the reverse), in one step of the region."""
    notation = solution.scenario.notation
    pre_of = {notation.act(n.name): notation.pre(n.name) for layer in solution.scenario.layers for n in layer.neurons}
    act_of = {pre: act for act, pre in pre_of.items()}
    for current in reversed(region):
        step = solution.step(current)
        for used in dict.fromkeys(step.inputs):
            if used in pre_of and step.kind != ACTIVATION:
                message = Message.of("diagnosis.in_for_out", used=pre_of[used], instead=used, step=current)
                yield Hypothesis(
                    "in_for_out", message, solution.scenario, Slip(substitute=(current, pre_of[used], used))
                )
            elif used in act_of and step.kind not in (ACTIVATION,):
                message = Message.of("diagnosis.out_for_in", used=act_of[used], instead=used, step=current)
                yield Hypothesis(
                    "out_for_in", message, solution.scenario, Slip(substitute=(current, act_of[used], used))
                )


def _rate_hypotheses(solution: WorkedSteps, region: tuple[str, ...]) -> Iterator[Hypothesis]:
    scenario = solution.scenario
    rates = dict(solution.graph.learning_rates)
    distinct = list(dict.fromkeys(rates.values()))
    for current in region:
        step = solution.step(current)
        if step.kind != NEW_PARAMETER or step.parameter is None:
            continue
        own = rates[step.parameter]
        for other in distinct:
            if other == own:
                continue
            changed = replace(
                scenario,
                learning_rate=replace(
                    scenario.learning_rate, by_parameter=(*scenario.learning_rate.by_parameter, (step.parameter, other))
                ),
            )
            message = Message.of(
                "diagnosis.learning_rate", rate=_plain(other), parameter=step.parameter, own=_plain(own)
            )
            yield Hypothesis("learning_rate", message, changed)


def _plain(value: float) -> str:
    from bptutor.core.numbers import format_number

    return format_number(value)


def _swap_hypotheses(scenario: Scenario, read: set[str]) -> Iterator[Hypothesis]:
    """Two weights of one layer swapped: the wiring read the wrong way."""
    values = dict(scenario.parameters)
    pairs = 0
    for layer in scenario.layers:
        weights = list(dict.fromkeys(w for n in layer.neurons for _, w in n.weights))
        for index, first in enumerate(weights):
            for second in weights[index + 1 :]:
                if first not in read and second not in read:
                    continue
                if values[first] == values[second]:
                    continue
                pairs += 1
                if pairs > MAX_SWAPPED_PAIRS:
                    return
                swapped = dict(values, **{first: values[second], second: values[first]})
                message = Message.of("diagnosis.swapped_weights", first=first, second=second)
                yield Hypothesis("swapped_weights", message, scenario.with_parameters(swapped))


# ── slips of the pen, read off the digits ─────────────────────────────────────


def _pen_slips(grader: Grader, claim: Claim, reference: Decimal) -> list[Diagnosis]:
    """A rounding slip or a typo: the claim against the digits of the value that should have been written."""
    decimals = claim.decimals
    should = grader.judge.rounded(reference, decimals)
    found: list[Diagnosis] = []
    unit = Decimal(1).scaleb(-decimals)
    shown = _fixed(should, decimals)
    if abs(claim.value - should) == unit:
        truncated = reference.quantize(unit, rounding=ROUND_DOWN)
        other_way = reference.quantize(unit, rounding=ROUND_CEILING if claim.value > should else ROUND_FLOOR)
        key = "rounding_truncated" if claim.value == truncated else "rounding_slip"
        if claim.value in (truncated, other_way):
            found.append(Diagnosis(key, Message.of(f"diagnosis.{key}", value=shown, digits=decimals), claim.value, ()))
            return found
    written = _fixed(claim.value, decimals)
    if claim.value == -should and claim.value != 0:
        found.append(Diagnosis("typo_sign", Message.of("diagnosis.typo_sign", value=shown), claim.value, ()))
        return found
    a, b = _digits(_fixed(claim.value, decimals)), _digits(shown)
    if len(a) == len(b) and a.startswith("-") == b.startswith("-"):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        if (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and a[differ[0]] == b[differ[1]]
            and a[differ[1]] == b[differ[0]]
        ):
            message = Message.of("diagnosis.typo_transposed", value=shown, pair=b[differ[0]] + b[differ[1]])
            found.append(Diagnosis("typo_transposed", message, claim.value, ()))
        elif len(differ) == 1:
            i = differ[0]
            message = Message.of("diagnosis.typo_digit", value=shown, wrote=a[i], digit=b[i])
            found.append(Diagnosis("typo_digit", message, claim.value, ()))
    if found:
        return found
    if decimals >= 1:
        longer = _fixed(grader.judge.rounded(reference, decimals + 1), decimals + 1)
        if _one_removed(longer, written):
            found.append(Diagnosis("typo_dropped", Message.of("diagnosis.typo_dropped", value=longer), claim.value, ()))
            return found
        shorter = _fixed(grader.judge.rounded(reference, decimals - 1), decimals - 1)
        if _one_removed(written, shorter):
            found.append(Diagnosis("typo_extra", Message.of("diagnosis.typo_extra", value=shorter), claim.value, ()))
            return found
    for shift in (1, -1):
        moved = grader.judge.rounded(reference.scaleb(shift), decimals)
        if moved == claim.value and moved != 0:
            found.append(Diagnosis("typo_point", Message.of("diagnosis.typo_point", value=shown), claim.value, ()))
            return found
    return found


def _fixed(value: Decimal, decimals: int) -> str:
    return format(value.quantize(Decimal(1).scaleb(-decimals)), "f")


def _digits(text: str) -> str:
    """The sign and digits of a number's text, without the decimal point (the point is compared apart)."""
    return text.replace(".", "")


def _one_removed(longer: str, shorter: str) -> bool:
    """Whether deleting one digit of `longer` (never its point or sign) gives `shorter`."""
    if len(longer) != len(shorter) + 1:
        return False
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)) if longer[i].isdigit())


__all__ = ["Hypothesis", "diagnose_judgement", "hypotheses"]
