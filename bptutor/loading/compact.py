"""The compact form of a scenario: `shape: [784, 16, 16, 10]` instead of every neuron written out.

A compact scenario gives the number of neurons per layer, an activation (one
for all layers, or one per layer), how to initialise the parameters, one input
sample and its targets. It is expanded here into the same `Scenario` an
explicit file would give, so the graph, the tracer, `explain` and `solve` work
on it unchanged.

Names follow the layer-indexed notation of the four BP equations (layer 0 is
the inputs, layer L the outputs; neurons are counted from 1):

    a_0_k      input k                                    a^(0)_k
    w_l_j_k    weight into neuron j of layer l from k     w^(l)_{j,k}
    b_l_j      bias of neuron j of layer l                b^(l)_j
    z_l_j      pre-activation, a_l_j activation           z^(l)_j, a^(l)_j
    δ_l_j      error term ∂C/∂z_l_j                        δ^(l)_j
    y_L_j      target of output j, C the loss             y^(L)_j

(`bptutor.core.layered` turns these into the printed forms and reads the other
spellings people type.)

Initialisation is deterministic: one `random.Random(seed)` draws, layer by
layer and neuron by neuron, the weights w_l_j_1 … w_l_j_n and then (under
`uniform`) the bias b_l_j:

    uniform   w, b ~ U(−r, r), r = `range` (default 0.5)
    xavier    w ~ U(−√(6/(n_in + n_out)), +√(6/(n_in + n_out))), b = 0   (Glorot uniform)
    he        w ~ U(−√(6/n_in), +√(6/n_in)), b = 0                       (He uniform: variance 2/n_in)

`decimals: D` rounds every drawn value to D decimals (for exercises done by hand);
`parameters:` sets any parameter by name, over what was drawn.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from bptutor.core.ops import ACTIVATIONS as ACTIVATION_ROWS
from bptutor.core.scenario import (
    ACTIVATIONS,
    ALL_LOSSES,
    LAYER_ACTIVATIONS,
    LOSSES,
    NOTATION_PRESETS,
    Layer,
    Neuron,
    Notation,
    Samples,
    Scenario,
)
from bptutor.i18n import Message
from bptutor.loading.fields import (
    SCENARIO_NAME_RE,
    check_keys,
    expect_mapping,
    expect_sequence,
    read_choice,
    read_name,
    read_number,
)
from bptutor.loading.sections import (
    MAX_DECIMALS,
    MAX_LAYERS,
    POLICY_KEYS,
    TRAINING_KEYS,
    read_conventions,
    read_frozen,
    read_learning_rate,
    read_rounding,
    read_slope,
    read_titles,
)
from bptutor.loading.yamltree import (
    Context,
    LocatedMapping,
    LocatedScalar,
    LocatedSequence,
    LocatedValue,
    describe,
    index_path,
    is_absent,
    key_path,
    quote,
    word_of,
)
from bptutor.records import dataclass

COMPACT_KEYS = (
    "name",
    "title",
    "shape",
    "activation",
    "slope",
    "init",
    "inputs",
    "targets",
    "parameters",
    "loss",
    "learning_rate",
    *POLICY_KEYS,
    *TRAINING_KEYS,
)
COMPACT_REQUIRED = ("name", "shape", "activation", "inputs", "targets", "loss", "learning_rate")
WITH_SAMPLES_REQUIRED = tuple(key for key in COMPACT_REQUIRED if key not in ("inputs", "targets"))
SAMPLE_FILE_SUFFIXES = (".csv", ".npz")
INIT_KEYS = ("scheme", "seed", "range", "decimals")
INIT_SCHEMES = ("uniform", "xavier", "he")
GENERATE_KEYS = ("generate", "seed", "range")
GENERATORS = ("uniform",)
MIN_LAYERS = 2  # the inputs and the outputs
MAX_WIDTH = 4096  # neurons in one layer (784 pixels fit)
MAX_TOTAL_PARAMETERS = 200_000
DEFAULT_RANGE = 0.5
MAX_SEED = 2**63 - 1
NOTATION = NOTATION_PRESETS["z_a"]  # z_{n}, a_{n}, C, C_{n}, y_{n}, δ_{n}


# ── the names ─────────────────────────────────────────────────────────────────


def neuron_name(layer: int, index: int) -> str:
    """The neuron j of layer l is called `l_j`, so the z_a notation names z_l_j, a_l_j, δ_l_j."""
    return f"{layer}_{index}"


def input_name(index: int) -> str:
    return f"a_0_{index}"


def weight_name(layer: int, to: int, source: int) -> str:
    return f"w_{layer}_{to}_{source}"


def bias_name(layer: int, index: int) -> str:
    return f"b_{layer}_{index}"


def layer_name(layer: int) -> str:
    return f"layer{layer}"


# ── initialisation ────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Init:
    """How parameters are drawn: the scheme, the seed, the range r of `uniform`, decimals kept."""

    scheme: str
    seed: int
    range: float = DEFAULT_RANGE
    decimals: int | None = None


def weight_bound(init: Init, fan_in: int, fan_out: int) -> float:
    """The half-width of the uniform distribution weights are drawn from."""
    if init.scheme == "xavier":
        return math.sqrt(6.0 / (fan_in + fan_out))
    if init.scheme == "he":
        return math.sqrt(6.0 / fan_in)
    return init.range


def initial_parameters(shape: Sequence[int], init: Init) -> list[tuple[str, float]]:
    """Every parameter's initial value, in declaration order (layer, neuron, weights then bias)."""
    generator = random.Random(init.seed)

    def draw(bound: float) -> float:
        value = generator.uniform(-bound, bound)
        return round(value, init.decimals) if init.decimals is not None else value

    values: list[tuple[str, float]] = []
    for layer in range(1, len(shape)):
        fan_in, fan_out = shape[layer - 1], shape[layer]
        bound = weight_bound(init, fan_in, fan_out)
        for j in range(1, fan_out + 1):
            values += [(weight_name(layer, j, k), draw(bound)) for k in range(1, fan_in + 1)]
            bias = draw(init.range) if init.scheme == "uniform" else 0.0
            values.append((bias_name(layer, j), bias))
    return values


def generated_inputs(count: int, seed: int, low: float, high: float) -> list[float]:
    """`count` inputs drawn from U(low, high) by `random.Random(seed)`."""
    generator = random.Random(seed)
    return [generator.uniform(low, high) for _ in range(count)]


def parameter_count(shape: Sequence[int]) -> int:
    """Weights and biases of a fully connected network: Σ n_l·(n_(l−1) + 1)."""
    return sum(shape[layer] * (shape[layer - 1] + 1) for layer in range(1, len(shape)))


def layers_of(shape: Sequence[int], activations: Sequence[str], slope: float) -> tuple[Layer, ...]:
    """Fully connected layers with the generated names."""
    layers = []
    for layer in range(1, len(shape)):
        neurons = []
        for j in range(1, shape[layer] + 1):
            if layer == 1:
                sources = [input_name(k) for k in range(1, shape[0] + 1)]
            else:
                sources = [neuron_name(layer - 1, k) for k in range(1, shape[layer - 1] + 1)]
            weights = tuple((source, weight_name(layer, j, k)) for k, source in enumerate(sources, start=1))
            neurons.append(Neuron(neuron_name(layer, j), weights, bias_name(layer, j)))
        layers.append(Layer(layer_name(layer), activations[layer - 1], tuple(neurons), slope))
    return tuple(layers)


# ── reading the compact form (called by the loader when a file has `shape`) ──


def compact_scenario(top: LocatedMapping, ctx: Context) -> Scenario:
    """Validate a compact scenario's top-level mapping and expand it into a Scenario."""
    from bptutor.loading import samples as samples_reader

    samples_node = top.get("samples")
    with_samples = not is_absent(samples_node)
    check_keys(ctx, top, "", COMPACT_KEYS, WITH_SAMPLES_REQUIRED if with_samples else COMPACT_REQUIRED)
    name = read_name(ctx, top.get("name"), "name", SCENARIO_NAME_RE)
    title, titles = read_titles(ctx, top.get("title"))
    shape = _shape(ctx, top.get("shape"))
    activations = _activations(ctx, top.get("activation"), len(shape) - 1)
    sloped = next((name for name in activations if _takes_slope(name)), activations[0])
    slope = read_slope(ctx, top.get("slope"), "slope", sloped)
    layers = layers_of(shape, activations, slope)
    parameters = _parameters(ctx, top, shape)
    # a hand calculation keeps to the losses done by hand; training samples may use any loss
    loss = read_choice(ctx, top.get("loss"), "loss", ALL_LOSSES if with_samples else LOSSES, Message.of("what.loss"))
    _check_softmax(ctx, top, activations, shape)
    samples_reader.check_loss_and_outputs(ctx, top, layers, loss)
    samples = None
    if with_samples:
        assert samples_node is not None  # not absent
        for key in ("inputs", "targets"):
            if not is_absent(top.get(key)):
                raise ctx.error(Message.of("scenario.samples_and_inputs", key=key), top.key_node(key), key)
        samples = _samples(ctx, samples_node, shape)
        samples_reader.check_targets(ctx, samples_node, loss, samples.targets, "samples")
        inputs, targets = list(samples.inputs[0]), list(samples.targets[0])
    else:
        inputs = _inputs(ctx, top.get("inputs"), shape[0])
        targets = _targets(ctx, top.get("targets"), shape[-1])
        samples_reader.check_targets(ctx, top.get("targets"), loss, [targets], "targets")
    training = samples_reader.training(ctx, top.get("training"))
    optimizer = samples_reader.optimizer(ctx, top.get("optimizer"), top.get("weight_decay"))
    plain = not with_samples and training is None and optimizer.name == "sgd" and not optimizer.weight_decay
    samples_reader.check_rounding(ctx, top, loss, not is_absent(top.get("rounding")), plain)
    names = [parameter for parameter, _ in parameters]
    learning_rate = read_learning_rate(ctx, top.get("learning_rate"), [layer.name for layer in layers], names)
    frozen = read_frozen(ctx, top.get("frozen"), names)
    rounding = read_rounding(ctx, top.get("rounding"))
    conventions = read_conventions(ctx, top)
    notation = NOTATION if conventions.error_term == "gradient" else _textbook_notation()
    output_layer = len(shape) - 1
    return Scenario(
        name=name,
        inputs=tuple((input_name(k), value) for k, value in enumerate(inputs, start=1)),
        targets=tuple((neuron_name(output_layer, j), value) for j, value in enumerate(targets, start=1)),
        layers=layers,
        parameters=tuple(parameters),
        loss=loss,
        learning_rate=learning_rate,
        notation=notation,
        title=title,
        titles=titles,
        frozen=frozen,
        source=ctx.source,
        rounding=rounding,
        conventions=conventions,
        samples=samples,
        training=training,
        optimizer=optimizer,
    )


def _takes_slope(name: str) -> bool:
    row = ACTIVATION_ROWS.get(name)
    return row is not None and row.takes_slope


def _check_softmax(ctx: Context, top: LocatedMapping, activations: Sequence[str], shape: Sequence[int]) -> None:
    """softmax only for the output layer, and over at least 2 outputs (said at `activation`, not at `layers`)."""
    node = top.get("activation")
    if any(name in LAYER_ACTIVATIONS for name in activations[:-1]):
        raise ctx.error(Message.of("scenario.softmax_not_output"), node, "activation")
    if activations[-1] in LAYER_ACTIVATIONS and shape[-1] < 2:
        raise ctx.error(Message.of("scenario.softmax_one_neuron"), node, "activation")


def _samples(ctx: Context, node: LocatedValue, shape: Sequence[int]) -> Samples:
    """`samples`: a CSV file (its first shape[0] columns the inputs, the rest the targets) or a `.npz` archive."""
    from bptutor.loading import samples as samples_reader

    text = node.value if isinstance(node, LocatedScalar) and isinstance(node.value, str) else None
    if text is None or not text.lower().endswith(SAMPLE_FILE_SUFFIXES):
        message = Message.of("scenario.expected", what=Message.of("what.compact_samples"), found=describe(node))
        raise ctx.error(message, node, "samples")
    assert isinstance(node, LocatedScalar)
    if text.lower().endswith(".npz"):
        from bptutor.loading.arrays import read_npz

        shown, data, path = samples_reader.read_sample_file(
            ctx, node, text, samples_reader.MAX_CSV_BYTES, "npz.file_too_large", "npz.unreadable"
        )
        read = read_npz(ctx, node, shown, data, shape[0], shape[-1], samples_reader.MAX_SAMPLES)
        return Samples(read.inputs, read.targets, read.origin, (path,))
    pending = samples_reader.read_samples(ctx, node)
    expected = shape[0] + shape[-1]
    if len(pending.columns) != expected:
        message = Message.of(
            "compact.csv_columns", file=text, found=len(pending.columns), inputs=shape[0], outputs=shape[-1]
        )
        raise ctx.error(message, node, "samples")
    rows_in = tuple(row[: shape[0]] for row in pending.rows)
    rows_out = tuple(row[shape[0] :] for row in pending.rows)
    return Samples(rows_in, rows_out, pending.origin, pending.files)


def _textbook_notation() -> Notation:
    from dataclasses import replace

    return replace(NOTATION, delta="Err_{n}")


def _whole(ctx: Context, node: LocatedValue | None, path: str, low: int, high: int, what: Message) -> int:
    """A whole number from `low` to `high`."""
    text = word_of(node)
    if text is None or not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        raise ctx.error(Message.of("scenario.expected", what=what, found=describe(node)), node, path)
    return int(text)


def _shape(ctx: Context, node: LocatedValue | None) -> list[int]:
    """`shape`: neurons per layer from the inputs to the outputs, 2 to 17 numbers."""
    limit = MAX_LAYERS + 1
    what = Message.of("what.shape", most=limit)
    sequence = expect_sequence(ctx, node, "shape", what)
    if not MIN_LAYERS <= len(sequence.items) <= limit:
        raise ctx.error(Message.of("scenario.expected", what=what, found=describe(node)), node, "shape")
    width = Message.of("what.width", most=MAX_WIDTH)
    shape = [_whole(ctx, item, index_path("shape", i), 1, MAX_WIDTH, width) for i, item in enumerate(sequence.items)]
    count = parameter_count(shape)
    if count > MAX_TOTAL_PARAMETERS:
        message = Message.of("compact.too_many_parameters", count=count, limit=MAX_TOTAL_PARAMETERS)
        raise ctx.error(message, node, "shape")
    return shape


def _activations(ctx: Context, node: LocatedValue | None, count: int) -> list[str]:
    """One activation for every layer, or a list of one per layer after the inputs."""
    what = Message.of("what.activation")
    choices = (*ACTIVATIONS, *LAYER_ACTIVATIONS)
    if not isinstance(node, LocatedSequence):
        return [read_choice(ctx, node, "activation", choices, what)] * count
    if len(node.items) != count:
        message = Message.of("compact.activation_count", count=count, found=len(node.items))
        raise ctx.error(message, node, "activation")
    return [
        read_choice(ctx, item, index_path("activation", i), choices, what) for i, item in enumerate(node.items)
    ]


def _init(ctx: Context, node: LocatedValue | None) -> Init:
    """`init: {scheme: uniform|xavier|he, seed: S, range: r, decimals: D}`."""
    mapping = expect_mapping(ctx, node, "init", Message.of("what.init"))
    check_keys(ctx, mapping, "init", INIT_KEYS, ("scheme", "seed"))
    scheme = read_choice(ctx, mapping.get("scheme"), "init.scheme", INIT_SCHEMES, Message.of("what.init_scheme"))
    seed = _whole(ctx, mapping.get("seed"), "init.seed", 0, MAX_SEED, Message.of("what.seed"))
    bound = DEFAULT_RANGE
    range_node = mapping.get("range")
    if not is_absent(range_node):
        if scheme != "uniform":
            raise ctx.error(Message.of("compact.range_uniform_only", scheme=scheme), range_node, "init.range")
        bound = read_number(ctx, range_node, "init.range")
        if bound <= 0:
            what = Message.of("what.positive_number")
            expected = Message.of("scenario.expected", what=what, found=describe(range_node))
            raise ctx.error(expected, range_node, "init.range")
    decimals = None
    decimals_node = mapping.get("decimals")
    if not is_absent(decimals_node):
        what = Message.of("what.decimals", most=MAX_DECIMALS)
        decimals = _whole(ctx, decimals_node, "init.decimals", 0, MAX_DECIMALS, what)
    return Init(scheme, seed, bound, decimals)


def _parameters(ctx: Context, top: LocatedMapping, shape: list[int]) -> list[tuple[str, float]]:
    """The drawn values (when there is `init`), with the values `parameters:` gives by name on top."""
    init_node = top.get("init")
    placeholder = math.nan
    if is_absent(init_node):
        drawn = initial_parameters(shape, Init("uniform", 0))
        values = {name: placeholder for name, _ in drawn}
    else:
        values = dict(initial_parameters(shape, _init(ctx, init_node)))
    given = top.get("parameters")
    if not is_absent(given):
        mapping = expect_mapping(ctx, given, "parameters", Message.of("what.parameter_numbers"))
        for key_node, value in mapping.entries:
            path = key_path("parameters", str(key_node.value))
            parameter = read_name(ctx, key_node, path)
            if parameter not in values:
                example = ", ".join(list(values)[:2])
                message = Message.of("compact.not_a_parameter", name=quote(parameter), examples=example)
                raise ctx.error(message, key_node, path)
            values[parameter] = read_number(ctx, value, path)
    missing = [name for name, value in values.items() if math.isnan(value)]
    if missing:
        message = Message.of("compact.no_init", name=quote(missing[0]), count=len(missing))
        raise ctx.error(message, top, "init")
    return list(values.items())


def _numbers(ctx: Context, node: LocatedSequence, path: str, count: int, what: Message) -> list[float]:
    if len(node.items) != count:
        message = Message.of("compact.count", what=what, count=count, found=len(node.items))
        raise ctx.error(message, node, path)
    return [read_number(ctx, item, index_path(path, i)) for i, item in enumerate(node.items)]


def _inputs(ctx: Context, node: LocatedValue | None, count: int) -> list[float]:
    """`inputs`: a list of shape[0] numbers, or `{generate: uniform, seed: S, range: [low, high]}`."""
    what = Message.of("what.compact_inputs", count=count)
    if isinstance(node, LocatedSequence):
        return _numbers(ctx, node, "inputs", count, Message.of("count.inputs"))
    mapping = expect_mapping(ctx, node, "inputs", what)
    check_keys(ctx, mapping, "inputs", GENERATE_KEYS, ("generate", "seed"))
    read_choice(ctx, mapping.get("generate"), "inputs.generate", GENERATORS, Message.of("what.generator"))
    seed = _whole(ctx, mapping.get("seed"), "inputs.seed", 0, MAX_SEED, Message.of("what.seed"))
    low, high = 0.0, 1.0
    range_node = mapping.get("range")
    if not is_absent(range_node):
        pair = Message.of("what.range_pair")
        not_a_pair = Message.of("scenario.expected", what=pair, found=describe(range_node))
        if not isinstance(range_node, LocatedSequence) or len(range_node.items) != 2:
            raise ctx.error(not_a_pair, range_node, "inputs.range")
        low, high = (read_number(ctx, item, index_path("inputs.range", i)) for i, item in enumerate(range_node.items))
        if not low < high:
            raise ctx.error(not_a_pair, range_node, "inputs.range")
    return generated_inputs(count, seed, low, high)


def _targets(ctx: Context, node: LocatedValue | None, count: int) -> list[float]:
    """`targets`: a list of one number per output, or `{one_hot: k}` (1 for output k, 0 for the rest)."""
    if isinstance(node, LocatedSequence):
        return _numbers(ctx, node, "targets", count, Message.of("what.target_values"))
    mapping = expect_mapping(ctx, node, "targets", Message.of("what.compact_targets", count=count))
    check_keys(ctx, mapping, "targets", ("one_hot",), ("one_hot",))
    what = Message.of("what.one_hot", count=count)
    hot = _whole(ctx, mapping.get("one_hot"), "targets.one_hot", 1, count, what)
    return [1.0 if j == hot else 0.0 for j in range(1, count + 1)]


__all__ = [
    "Init",
    "bias_name",
    "compact_scenario",
    "generated_inputs",
    "initial_parameters",
    "input_name",
    "neuron_name",
    "parameter_count",
    "weight_bound",
    "weight_name",
]
