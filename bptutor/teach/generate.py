"""Exercises to hand out: small networks with "nice" numbers, drawn from a seed.

`generate(options)` returns one `Exercise` per number 1…count: the scenario as
commented YAML text (what `bptutor generate` writes) and the `Scenario` the real
loader reads back from that text. Nothing here touches the global random state:
exercise k is drawn by `random.Random` seeded from the seed and k alone, so the
same seed gives the same exercises, byte for byte, on any machine, and
exercise 3 stays the same whatever `--count` is.

Given numbers are "nice": inputs are multiples of 0.1 in [−1, 1], weights and
biases multiples of 0.05 in [−1, 1] (one or two decimals), none of them zero;
targets are multiples of 0.05 inside the range of the output activation. A draw
is kept only when the worked solution stays readable (`problems` says why not):

- no saturated neuron: |z| ≤ 3 for sigmoid (σ′ ≥ 0.045), |z| ≤ 2 for tanh;
- no dead or borderline ReLU: z ≥ 0.05 for relu, |z| ≥ 0.05 for leaky ReLU (the draw
  keeps leaky ReLU neurons on the positive side too: with one sample, the negative
  side's slope 0.01 scales every gradient through the neuron down a hundredfold);

  these limits, and the range of each output's targets, are each activation's
  `exercise` rule in the table of operations (bptutor.core.ops); an activation
  without one, or a name with no row, is refused;
- each output misses its target by at least 0.05;
- every ∂E/∂p is at least one unit of the last printed decimal (10^−D), and
  every update changes its parameter when written to D decimals.

Otherwise the exercise is drawn again from the same generator, so redraws are
as reproducible as the first draw.
"""

from __future__ import annotations

import itertools
import json
import random
from decimal import Decimal

from bptutor.core.ops import LAYER_ACTIVATIONS, Activation, ExerciseRule, activation_named, loss_named, unknown
from bptutor.core.scenario import ACTIVATIONS, DEFAULT_LEAKY_SLOPE, EXERCISE_LOSSES, LOSSES, Scenario
from bptutor.errors import UsageError
from bptutor.i18n import DEFAULT_LANGUAGE, LANGUAGES, Message, message
from bptutor.records import dataclass

MIN_LAYERS, MAX_LAYERS = 2, 4  # numbers in a shape: inputs, hidden layers…, outputs
MAX_WIDTH = 6
MAX_COUNT = 200
MIN_DECIMALS, MAX_DECIMALS = 1, 8
MAX_ATTEMPTS = 500  # networks drawn per exercise before giving up
NEURON_TRIES = 200  # draws of one neuron's weights and bias before the network is drawn again
FLOAT_MARGIN = 0.01  # the float pre-check keeps this far inside each limit, so the exact check rarely disagrees

KINK_MARGIN = Decimal("0.05")  # a ReLU-type z this close to 0 (or below, for relu) is refused
MIN_ERROR = Decimal("0.05")  # |target − out| of every output at least this
HIDDEN_NAMES = ("h", "k", "m")  # neuron letters of the hidden layers, in order


@dataclass(frozen=True)
class Options:
    shape: tuple[int, ...]  # inputs, hidden layer widths…, outputs
    count: int = 20
    seed: int = 1
    activation: str = "sigmoid"  # hidden layers
    output_activation: str = "sigmoid"
    loss: str = "half_sse"
    decimals: int = 4  # the rounding policy (every value written to D decimals), and the answers' precision
    exact: bool = False  # compute at full precision; answers are still asked to D decimals
    rate: Decimal = Decimal("0.5")

    def shape_text(self) -> str:
        return "-".join(str(width) for width in self.shape)


@dataclass(frozen=True)
class Exercise:
    number: int
    name: str  # exercise-01
    text: str  # the scenario file, commented YAML
    scenario: Scenario  # read back from `text` by the loader
    attempts: int  # draws it took to find nice numbers


def parse_shape(text: str) -> tuple[int, ...]:
    """`2-2-2` → (2, 2, 2): 2 to 4 numbers, each 1 to 6."""
    parts = text.strip().split("-")
    widths: list[int] = []
    for part in parts:
        if not part.isdigit() or not part.isascii():
            raise UsageError(Message.of("generate.bad_shape", shape=text))
        widths.append(int(part))
    if not MIN_LAYERS <= len(widths) <= MAX_LAYERS or not all(1 <= width <= MAX_WIDTH for width in widths):
        raise UsageError(Message.of("generate.bad_shape", shape=text))
    return tuple(widths)


def check_options(options: Options) -> None:
    """Options the command line cannot check by itself."""
    if not MIN_LAYERS <= len(options.shape) <= MAX_LAYERS or not all(1 <= w <= MAX_WIDTH for w in options.shape):
        raise UsageError(Message.of("generate.bad_shape", shape=options.shape_text()))
    if options.activation in LAYER_ACTIVATIONS:  # softmax reads its whole layer: an output layer's activation
        usable = tuple(name for name in ACTIVATIONS if _row(name).exercise is not None)
        raise unknown("--activation", options.activation, usable)
    exercise_rule(options.activation, "--activation")
    exercise_rule(options.output_activation, "--output-activation")
    if options.loss not in EXERCISE_LOSSES:  # the classic losses, and those fused with their output activation
        raise unknown("--loss", options.loss, EXERCISE_LOSSES)
    fused = loss_named(options.loss).fused_with
    if fused is not None and fused != options.output_activation:  # bce needs sigmoid, cross_entropy softmax
        raise UsageError(Message.of("generate.loss_needs_output", loss=options.loss, activation=fused))
    if options.output_activation in LAYER_ACTIVATIONS and fused is None and options.loss not in LOSSES:
        raise UsageError(Message.of("generate.loss_needs_output", loss=options.loss, activation="sigmoid"))
    if options.loss not in LOSSES and not options.exact:  # computed from the logits: no hand-rounded version
        raise UsageError(Message.of("generate.loss_exact", loss=options.loss))
    if options.output_activation in LAYER_ACTIVATIONS and options.shape[-1] < 2:
        raise UsageError(Message.of("generate.softmax_outputs", shape=options.shape_text()))
    if not 1 <= options.count <= MAX_COUNT:
        raise ValueError(f"count must be between 1 and {MAX_COUNT}")
    if not MIN_DECIMALS <= options.decimals <= MAX_DECIMALS:
        raise ValueError(f"decimals must be between {MIN_DECIMALS} and {MAX_DECIMALS}")


def generate(options: Options, lang: str = DEFAULT_LANGUAGE, attempts: int = MAX_ATTEMPTS) -> list[Exercise]:
    """Exercises 1…count. Raises UsageError when `attempts` draws of an exercise find no nice numbers."""
    check_options(options)
    return [exercise(options, number, lang, attempts) for number in range(1, options.count + 1)]


def exercise(options: Options, number: int, lang: str = DEFAULT_LANGUAGE, attempts: int = MAX_ATTEMPTS) -> Exercise:
    """Exercise `number`: drawn until nice, from a generator seeded by the seed and the number."""
    from bptutor.loading.scenario import load_scenario_text

    rng = random.Random(f"bptutor generate {options.seed} {number}")
    network = _Network(options)
    name = f"exercise-{number:02d}"
    for attempt in range(1, attempts + 1):
        values = network.draw(rng)
        if values is None:
            continue
        text = network.yaml(name, number, values, lang)
        scenario = load_scenario_text(text, f"{name}.yaml")
        if not problems(scenario, options):
            return Exercise(number, name, text, scenario, attempt)
    raise UsageError(Message.of("generate.no_nice_numbers", shape=options.shape_text(), attempts=attempts))


def exercise_rule(activation: str, option: str = "activation") -> ExerciseRule:
    """The rule by which exercises with this activation are drawn; UsageError for a name with no rule."""
    if activation in LAYER_ACTIVATIONS:
        rule = LAYER_ACTIVATIONS[activation].exercise
    else:
        rule = _row(activation).exercise if activation in ACTIVATIONS else None
    if rule is None:
        usable = tuple(name for name in ACTIVATIONS if _row(name).exercise is not None)
        raise unknown(option, activation, usable)
    return rule


def _row(activation: str) -> Activation:
    return activation_named(activation)


def rounding_yaml(decimals: int) -> str:
    kinds = ("pre_activations", "activations", "losses", "deltas", "gradients", "parameters")
    return "{" + ", ".join(f"{kind}: {decimals}" for kind in kinds) + ", method: half_up}"


def problems(scenario: Scenario, options: Options) -> list[str]:
    """Why the worked solution of `scenario` would not be nice (empty when it is), from the tracer's own run."""
    from bptutor.core.graph import Kind
    from bptutor.core.trace import run

    step = run(scenario).first
    found: list[str] = []
    activation_of = {neuron.name: layer.activation for layer in scenario.layers for neuron in layer.neurons}
    notation = scenario.notation
    for record in step.forward:
        if record.kind is not Kind.PRE_ACTIVATION:
            continue
        neuron = next(n for n in activation_of if notation.pre(n) == record.quantity)
        z = Decimal(str(record.value))
        rule = exercise_rule(str(activation_of[neuron]))
        if rule.saturation is not None and abs(z) > rule.saturation:
            found.append(f"{neuron} saturated (z = {z})")
        if rule.dead_below and z < KINK_MARGIN:
            found.append(f"{neuron} dead or at the kink (z = {z})")
        elif rule.kink and abs(z) < KINK_MARGIN:
            found.append(f"{neuron} at the kink (z = {z})")
    for output, target in scenario.targets:
        miss = abs(Decimal(str(target)) - Decimal(str(step.value(notation.act(output)))))
        if miss < MIN_ERROR:
            found.append(f"{output} already at its target")
    unit = Decimal(1).scaleb(-options.decimals)
    for update in step.updates:
        gradient = abs(Decimal(str(update.gradient)))
        if gradient < unit:
            found.append(f"∂E/∂{update.parameter} vanishes at {options.decimals} decimals")
        written_old = Decimal(str(update.old)).quantize(unit)
        written_new = Decimal(str(update.new)).quantize(unit)
        if written_old == written_new:
            found.append(f"{update.parameter} unchanged at {options.decimals} decimals")
    return found


# ── drawing one network ───────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Values:
    inputs: tuple[Decimal, ...]
    weights: tuple[Decimal, ...]  # w1, w2, … in the order they are numbered
    biases: tuple[Decimal, ...]  # b1, b2, …
    targets: tuple[Decimal, ...]


def _multiple(rng: random.Random, step: Decimal, low: int, high: int, zero: bool = False) -> Decimal:
    """A multiple k·step with low ≤ k ≤ high (k ≠ 0 unless `zero`)."""
    while True:
        k = rng.randint(low, high)
        if k or zero:
            return _plain(k * step)


def _plain(value: Decimal) -> Decimal:
    """0.50 → 0.5 and 1.00 → 1: the shortest way to write it."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


TENTH, TWENTIETH = Decimal("0.1"), Decimal("0.05")


def _fits(activation: str, z: float) -> bool:
    """Whether a neuron with this z is neither saturated nor dead nor at a kink (with a margin)."""
    rule = exercise_rule(activation)
    if rule.saturation is not None:
        return abs(z) <= rule.saturation - FLOAT_MARGIN
    if rule.kink:  # on the negative side leaky ReLU's α = 0.01 makes gradients vanish
        return z >= float(KINK_MARGIN) + FLOAT_MARGIN
    return True


def _activate(activation: str, z: float) -> float:
    """f(z) by the table's own forward function; an unknown name is an error, never read as linear."""
    value: float = _row(activation).forward(z, DEFAULT_LEAKY_SLOPE)
    return value


class _Network:
    """Names and wiring of a shape, numbered as in the BP notes (w1, w2 into h1, then w3, w4 into h2, …)."""

    def __init__(self, options: Options) -> None:
        self.options = options
        shape = options.shape
        self.inputs = [f"i{j}" for j in range(1, shape[0] + 1)]
        hidden = shape[1:-1]
        self.layers: list[tuple[str, str, list[str]]] = []  # (layer name, activation, neurons)
        for index, width in enumerate(hidden):
            letter = HIDDEN_NAMES[index]
            layer = "hidden" if len(hidden) == 1 else f"hidden{index + 1}"
            self.layers.append((layer, options.activation, [f"{letter}{j}" for j in range(1, width + 1)]))
        self.layers.append(("output", options.output_activation, [f"o{j}" for j in range(1, shape[-1] + 1)]))
        self.weight_count = sum(a * b for a, b in itertools.pairwise(shape))
        self.bias_count = sum(shape[1:])

    def draw(self, rng: random.Random) -> _Values | None:
        """One network, drawn neuron by neuron: a neuron's weights and bias are drawn again (up to
        `NEURON_TRIES` times) while its z, in a float forward pass, is saturated, dead or at a kink;
        each target likewise while its output is already near it. None when a neuron never fits.
        The exact check (`problems`) repeats every test on the tracer's own numbers."""
        inputs = tuple(_multiple(rng, TENTH, -10, 10) for _ in self.inputs)
        activations = [float(x) for x in inputs]
        weights: list[Decimal] = []
        biases: list[Decimal] = []
        for _, activation, neurons in self.layers:
            following: list[float] = []
            for _ in neurons:
                for _ in range(NEURON_TRIES):
                    incoming = [_multiple(rng, TWENTIETH, -20, 20) for _ in activations]
                    bias = _multiple(rng, TWENTIETH, -20, 20)
                    z = sum(float(w) * a for w, a in zip(incoming, activations, strict=True)) + float(bias)
                    if _fits(activation, z):
                        break
                else:
                    return None
                weights += incoming
                biases.append(bias)
                following.append(z)
            if activation in LAYER_ACTIVATIONS:  # softmax: every z of the layer at once
                activations = [float(a) for a in LAYER_ACTIVATIONS[activation].forward(following)]
            else:
                activations = [_activate(activation, z) for z in following]
        if exercise_rule(self.options.output_activation).one_hot:
            chosen = self._one_hot(rng, activations)
            if chosen is None:
                return None
            return _Values(inputs, tuple(weights), tuple(biases), chosen)
        targets = []
        for output in activations:
            for _ in range(NEURON_TRIES):
                target = self._target(rng)
                if abs(float(target) - output) >= float(MIN_ERROR) + FLOAT_MARGIN:
                    break
            else:
                return None
            targets.append(target)
        return _Values(inputs, tuple(weights), tuple(biases), tuple(targets))

    def _target(self, rng: random.Random) -> Decimal:
        """k·0.05 in the output activation's range (its exercise rule), k ≠ 0."""
        low, high = exercise_rule(self.options.output_activation).targets
        return _multiple(rng, TWENTIETH, low, high)

    def _one_hot(self, rng: random.Random, outputs: list[float]) -> tuple[Decimal, ...] | None:
        """One class drawn: target 1 for it, 0 for the others, each output missing its target by at least 0.05."""
        for _ in range(NEURON_TRIES):
            chosen = rng.randrange(len(outputs))
            targets = tuple(Decimal(1 if index == chosen else 0) for index in range(len(outputs)))
            if all(abs(float(t) - a) >= float(MIN_ERROR) + FLOAT_MARGIN for t, a in zip(targets, outputs, strict=True)):
                return targets
        return None


    def yaml(self, name: str, number: int, values: _Values, lang: str) -> str:
        options = self.options
        shape = options.shape_text()
        titles = {
            code: message(
                "generate.title", code, number=number, shape=shape, activation=options.activation, seed=options.seed
            )
            for code in LANGUAGES
        }
        weights = iter(f"w{j}" for j in range(1, self.weight_count + 1))
        biases = iter(f"b{j}" for j in range(1, self.bias_count + 1))
        lines = [
            "# " + message("generate.yaml_made", lang, shape=shape, seed=options.seed, number=number),
            "# " + message("generate.yaml_check", lang, name=name),
            f"name: {name}",
            "title: {"
            + ", ".join(f"{code}: {json.dumps(text, ensure_ascii=False)}" for code, text in titles.items())
            + "}",
            "notation: in_out",
            "inputs: {" + ", ".join(f"{i}: {v}" for i, v in zip(self.inputs, values.inputs, strict=True)) + "}",
            "targets: {"
            + ", ".join(f"{o}: {v}" for o, v in zip(self.layers[-1][2], values.targets, strict=True))
            + "}",
            "layers:",
        ]
        sources = self.inputs
        for layer, activation, neurons in self.layers:
            lines += [f"  - name: {layer}", f"    activation: {activation}", "    neurons:"]
            for neuron in neurons:
                wiring = ", ".join(f"{source}: {next(weights)}" for source in sources)
                lines.append(f"      {neuron}: {{bias: {next(biases)}, weights: {{{wiring}}}}}")
            sources = neurons
        lines.append("parameters:")
        lines += [f"  w{j}: {v}" for j, v in enumerate(values.weights, 1)]
        lines += [f"  b{j}: {v}" for j, v in enumerate(values.biases, 1)]
        lines.append(f"loss: {options.loss}")
        lines.append(f"learning_rate: {options.rate}")
        if not options.exact:
            lines.append("# " + message("generate.yaml_rounding", lang, decimals=options.decimals))
            lines.append(f"rounding: {rounding_yaml(options.decimals)}")
        return "\n".join(lines) + "\n"


__all__ = ["Exercise", "Options", "check_options", "exercise", "generate", "parse_shape", "problems"]
