"""Read a layered scenario (YAML, format version 1) into a validated, frozen `Scenario`.

The file is read and composed by the located-YAML toolkit (`bptutor.loading.yamltree`):
safe, never constructed, every node with its line and column. This module checks the
sections of a layered scenario against each other: inputs, parameters, layers and
their neurons, targets, loss, notation and the names shown to the student. A file
with `shape` instead of `layers` is handed to the compact form (`bptutor.loading.compact`).

Every problem is reported as one `ScenarioError`: where (file, line, column), which
field (`layers[1].neurons.o1.weights.h3`), and what was expected.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from bptutor.core.scenario import (
    ACTIVATIONS,
    ALL_LOSSES,
    LAYER_ACTIVATIONS,
    NOTATION_PRESETS,
    Layer,
    LearningRate,
    Neuron,
    Notation,
    Optimizer,
    Samples,
    Scenario,
    Training,
)
from bptutor.i18n import Message
from bptutor.loading.fields import (
    SCENARIO_NAME_RE,
    check_count,
    check_keys,
    expect_mapping,
    expect_sequence,
    read_choice,
    read_name,
    read_number,
)
from bptutor.loading.sections import (
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
    build_from_data,
    build_from_text,
    describe,
    did_you_mean,
    index_path,
    is_absent,
    key_path,
    listing,
    quote,
    read_text,
    text_of,
)
from bptutor.records import dataclass

if TYPE_CHECKING:
    from bptutor.core.custom import CustomActivation, CustomLoss
    from bptutor.loading.samples import Pending

MAX_INPUTS = 64
MAX_NEURONS_PER_LAYER = 64
MAX_PARAMETERS = 4096
MAX_NOTATION_NAME_LENGTH = 40
DEFAULT_PRESET = "in_out"

TOP_KEYS = (
    "name",
    "title",
    "notation",
    "inputs",
    "targets",
    "layers",
    "parameters",
    "loss",
    "learning_rate",
    *POLICY_KEYS,
    *TRAINING_KEYS,
)
TOP_REQUIRED = ("name", "inputs", "targets", "layers", "parameters", "loss", "learning_rate")
LAYER_KEYS = ("name", "activation", "slope", "neurons")
LAYER_REQUIRED = ("name", "activation", "neurons")
NEURON_KEYS = ("bias", "weights")
NEURON_REQUIRED = ("weights",)
NOTATION_TEMPLATES = ("pre_activation", "activation", "loss", "loss_term", "target", "delta")
NOTATION_KEYS = ("preset", *NOTATION_TEMPLATES)
_NEURON_PLACEHOLDER = "{n}"


@dataclass(frozen=True)
class _NamedNumber:
    """One `name: number` entry of `inputs` or `parameters`, with its key node."""

    name: str
    value: float
    key: LocatedScalar


@dataclass(frozen=True)
class _Network:
    """The parsed layers, plus each neuron's key node and field path (for later messages)."""

    layers: tuple[Layer, ...]
    neuron_keys: dict[str, tuple[LocatedScalar, str]]


@dataclass(frozen=True)
class _ParsedNotation:
    """The notation, and for each template field the node and field path that set it."""

    notation: Notation
    spots: dict[str, tuple[LocatedValue | None, str]]


# --------------------------------------------------------------------------- public API


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate the scenario file at `path` (UTF-8 YAML, at most 1 MiB)."""
    source = str(path)
    return load_scenario_text(read_text(path, source), source)


def load_scenario_text(text: str | bytes, source: str) -> Scenario:
    """Validate a scenario given as YAML text; `source` names it in messages.

    Bytes are accepted too and must be UTF-8.
    """
    return build_from_text(text, source, build_scenario)


def scenario_from_data(data: dict[str, object], source: str = "<dict>") -> Scenario:
    """Validate a scenario given as plain Python data (as `yaml.safe_load` would give).

    The same rules apply as for files; messages carry field paths but no line numbers.
    """
    return build_from_data(data, source, build_scenario)


# --------------------------------------------------------------------------- sections


def build_scenario(root: LocatedValue | None, ctx: Context) -> Scenario:
    """Validate the whole located tree and build the Scenario."""
    if is_absent(root):
        message = Message.of("scenario.empty", keys=", ".join(TOP_REQUIRED))
        raise ctx.error(message, LocatedScalar(None, 1, 1))
    top = expect_mapping(ctx, root, "", Message.of("what.top_level"))
    if not is_absent(top.get("expression")):  # an expression scenario: bptutor.load and the commands read it
        raise ctx.error(Message.of("custom.expression_scenario"), top.key_node("expression"), "expression")
    if top.get("shape") is not None:  # the compact form: shape, activation, init instead of layers
        from bptutor.loading.compact import compact_scenario

        return compact_scenario(top, ctx)
    samples_node = top.get("samples")
    without_samples = tuple(k for k in TOP_REQUIRED if k not in ("inputs", "targets"))
    required = TOP_REQUIRED if is_absent(samples_node) else without_samples
    check_keys(ctx, top, "", TOP_KEYS, required)
    name = read_name(ctx, top.get("name"), "name", SCENARIO_NAME_RE)
    title, titles = read_titles(ctx, top.get("title"))
    pending = None
    if is_absent(samples_node):
        inputs = _named_numbers(ctx, top.get("inputs"), "inputs", MAX_INPUTS)
    else:
        assert samples_node is not None  # not absent
        pending, inputs = _sample_inputs(ctx, top, samples_node)
    parameters = _named_numbers(ctx, top.get("parameters"), "parameters", MAX_PARAMETERS)
    _check_inputs_and_parameters_differ(ctx, inputs, parameters)
    network = _network(ctx, top.get("layers"), inputs, parameters)
    _check_all_parameters_used(ctx, network.layers, parameters)
    loss = _loss(ctx, top.get("loss"))
    samples = None
    if pending is None:
        targets = _targets(ctx, top.get("targets"), network.layers[-1])
    else:
        samples, targets = _sample_targets(ctx, pending, inputs, network.layers[-1], loss)
    training_parts = _training_parts(ctx, top, network.layers, loss, targets)
    layer_names = [layer.name for layer in network.layers]
    parameter_names = [parameter.name for parameter in parameters]
    learning_rate = read_learning_rate(ctx, top.get("learning_rate"), layer_names, parameter_names)
    _check_shared_rates(ctx, top.get("learning_rate"), network.layers, learning_rate)
    frozen = read_frozen(ctx, top.get("frozen"), parameter_names)
    notation = _notation(ctx, top.get("notation"))
    rounding = read_rounding(ctx, top.get("rounding"))
    conventions = read_conventions(ctx, top)
    if conventions.error_term == "textbook" and notation.spots.get("delta", (None, "notation"))[1] == "notation":
        # the textbook error term Err = −∂E/∂z is named Err_j unless the scenario names it
        notation = replace(notation, notation=replace(notation.notation, delta="Err_{n}"))
    _check_shown_names(ctx, notation, inputs, parameters, network)
    return Scenario(
        name=name,
        inputs=tuple((entry.name, entry.value) for entry in inputs),
        targets=targets,
        layers=network.layers,
        parameters=tuple((entry.name, entry.value) for entry in parameters),
        loss=loss,
        learning_rate=learning_rate,
        notation=notation.notation,
        title=title,
        titles=titles,
        frozen=frozen,
        source=ctx.source,
        rounding=rounding,
        conventions=conventions,
        samples=samples,
        training=training_parts[0],
        optimizer=training_parts[1],
    )


def _check_shared_rates(ctx: Context, node: LocatedValue | None, layers: Sequence[Layer], rate: LearningRate) -> None:
    """A parameter shared by layers must learn at one rate: refused here, at `learning_rate`, with its line."""
    by_parameter, by_layer = dict(rate.by_parameter), dict(rate.by_layer)
    users: dict[str, list[Layer]] = {}
    for layer in layers:
        for neuron in layer.neurons:
            for name in [weight for _, weight in neuron.weights] + ([neuron.bias] if neuron.bias else []):
                if layer not in users.setdefault(name, []):
                    users[name].append(layer)
    for name, sharing in users.items():
        if name not in by_parameter and len({by_layer.get(layer.name, rate.default) for layer in sharing}) > 1:
            names = ", ".join(layer.name for layer in sharing)
            raise ctx.error(Message.of("scenario.shared_rates_differ", name=name, layers=names), node, "learning_rate")


def _sample_inputs(
    ctx: Context, top: LocatedMapping, samples_node: LocatedValue
) -> tuple[Pending, tuple[_NamedNumber, ...]]:
    """With `samples`, the inputs are named by the samples (`inputs`/`targets` may not be given too)."""
    from bptutor.loading import samples as samples_reader

    for key in ("inputs", "targets"):
        if not is_absent(top.get(key)):
            raise ctx.error(Message.of("scenario.samples_and_inputs", key=key), top.key_node(key), key)
    pending = samples_reader.read_samples(ctx, samples_node)
    outputs: list[str] = []
    layers_node = top.get("layers")
    if (
        isinstance(layers_node, LocatedSequence)
        and layers_node.items
        and isinstance(layers_node.items[-1], LocatedMapping)
    ):
        neurons = layers_node.items[-1].get("neurons")
        if isinstance(neurons, LocatedMapping):
            outputs = [str(key.value) for key, _ in neurons.entries]
    names = samples_reader.input_names(pending, outputs)
    if len(names) > MAX_INPUTS:
        message = Message.of("scenario.too_many", many=Message.of("count.inputs"), count=len(names), limit=MAX_INPUTS)
        raise ctx.error(message, samples_node, "samples")
    samples_key = LocatedScalar("samples", getattr(samples_node, "line", None), getattr(samples_node, "column", None))
    first = pending.inputs[0] if pending.inputs else None
    values = first if first is not None else tuple(
        pending.rows[0][pending.columns.index(name)] for name in names
    )
    return pending, tuple(_NamedNumber(name, value, samples_key) for name, value in zip(names, values, strict=True))


def _sample_targets(
    ctx: Context, pending: Pending, inputs: tuple[_NamedNumber, ...], output_layer: Layer, loss: str | CustomLoss
) -> tuple[Samples, tuple[tuple[str, float], ...]]:
    from bptutor.loading import samples as samples_reader

    samples = samples_reader.finish(ctx, pending, [entry.name for entry in inputs], output_layer)
    samples_reader.check_targets(ctx, pending.node, loss, samples.targets, "samples")
    names = [neuron.name for neuron in output_layer.neurons]
    return samples, tuple(zip(names, samples.targets[0], strict=True))


def _training_parts(
    ctx: Context,
    top: LocatedMapping,
    layers: Sequence[Layer],
    loss: str | CustomLoss,
    targets: tuple[tuple[str, float], ...],
) -> tuple[Training | None, Optimizer]:
    """The training section, the optimizer, and the checks that tie the loss to the output layer."""
    from bptutor.loading import samples as samples_reader

    custom = not isinstance(loss, str) or any(not isinstance(layer.activation, str) for layer in layers)
    for key in TRAINING_KEYS:
        if custom and not is_absent(top.get(key)):  # the vectorised path knows the built-in functions only
            raise ctx.error(Message.of("custom.not_for_training"), top.key_node(key), key)
    samples_reader.check_loss_and_outputs(ctx, top, layers, loss)
    if is_absent(top.get("samples")):
        samples_reader.check_targets(ctx, top.get("targets"), loss, [[value for _, value in targets]], "targets")
    training = samples_reader.training(ctx, top.get("training"))
    optimizer = samples_reader.optimizer(ctx, top.get("optimizer"), top.get("weight_decay"))
    plain = (
        is_absent(top.get("samples")) and training is None and optimizer.name == "sgd" and not optimizer.weight_decay
    )
    samples_reader.check_rounding(ctx, top, loss, not is_absent(top.get("rounding")), plain)
    return training, optimizer


_NAMED_NUMBERS_WORDS = MappingProxyType({  # section → message keys: what it must be, one entry, several
    "inputs": ("what.input_numbers", "count.input", "count.inputs"),
    "parameters": ("what.parameter_numbers", "count.parameter", "count.parameters"),
})


def _named_numbers(ctx: Context, node: LocatedValue | None, path: str, limit: int) -> tuple[_NamedNumber, ...]:
    """`inputs` or `parameters`: a mapping name → number, 1..limit entries."""
    what, one, many = (Message.of(key) for key in _NAMED_NUMBERS_WORDS[path])
    mapping = expect_mapping(ctx, node, path, what)
    check_count(ctx, mapping, path, len(mapping.entries), limit, one, many)
    entries = []
    for key_node, value in mapping.entries:
        entry_path = key_path(path, str(key_node.value))
        entry_name = read_name(ctx, key_node, entry_path)
        entries.append(_NamedNumber(entry_name, read_number(ctx, value, entry_path), key_node))
    return tuple(entries)


def _check_inputs_and_parameters_differ(
    ctx: Context, inputs: tuple[_NamedNumber, ...], parameters: tuple[_NamedNumber, ...]
) -> None:
    """An input and a parameter may not share a name."""
    input_names = {entry.name for entry in inputs}
    for parameter in parameters:
        if parameter.name in input_names:
            message = Message.of("scenario.input_is_parameter", name=quote(parameter.name))
            raise ctx.error(message, parameter.key, key_path("parameters", parameter.name))


def _network(
    ctx: Context, node: LocatedValue | None, inputs: tuple[_NamedNumber, ...], parameters: tuple[_NamedNumber, ...]
) -> _Network:
    """`layers`: 1..16 layers; each neuron's weights come from the inputs or the previous layer."""
    sequence = expect_sequence(ctx, node, "layers", Message.of("what.layers"))
    one, many = Message.of("count.layer"), Message.of("count.layers")
    check_count(ctx, sequence, "layers", len(sequence.items), MAX_LAYERS, one, many)
    taken: dict[str, Message] = {entry.name: Message.of("owner.input") for entry in inputs}
    taken.update({entry.name: Message.of("owner.parameter") for entry in parameters})
    parameter_names = frozenset(entry.name for entry in parameters)
    layers: list[Layer] = []
    neuron_keys: dict[str, tuple[LocatedScalar, str]] = {}
    layer_paths: dict[str, str] = {}
    for index, layer_node in enumerate(sequence.items):
        path = index_path("layers", index)
        sources = _WeightSources.for_layer(index, layers, [entry.name for entry in inputs])
        layer = _layer(ctx, layer_node, path, layer_paths, sources, taken, parameter_names, neuron_keys)
        layers.append(layer)
    return _Network(tuple(layers), neuron_keys)


@dataclass(frozen=True)
class _WeightSources:
    """Where the neurons of one layer may take weights from, and how to say so."""

    names: tuple[str, ...]
    first_layer: bool
    previous_layer: str

    @staticmethod
    def for_layer(index: int, earlier_layers: Sequence[Layer], input_names: Sequence[str]) -> _WeightSources:
        """The inputs for the first layer, else the neurons of the layer just before."""
        if index == 0:
            return _WeightSources(tuple(input_names), True, "")
        previous = earlier_layers[-1]
        return _WeightSources(tuple(neuron.name for neuron in previous.neurons), False, previous.name)

    def refusal(self, neuron: str, source: str, layer: str) -> Message:
        """The message for a weight from `source`, which is not allowed."""
        hint = did_you_mean(source, self.names)
        names = listing(self.names)
        if self.first_layer:
            return Message.of(
                "scenario.not_an_input",
                neuron=neuron,
                source=quote(source),
                hint=hint,
                layer=quote(layer),
                names=names,
            )
        return Message.of(
            "scenario.not_previous_layer",
            neuron=neuron,
            source=quote(source),
            previous=quote(self.previous_layer),
            hint=hint,
            layer=quote(layer),
            names=names,
        )


def _layer(
    ctx: Context,
    node: LocatedValue,
    path: str,
    layer_paths: dict[str, str],
    sources: _WeightSources,
    taken: dict[str, Message],
    parameter_names: frozenset[str],
    neuron_keys: dict[str, tuple[LocatedScalar, str]],
) -> Layer:
    """One layer: name (unique), activation, optional slope (leaky_relu only), neurons."""
    mapping = expect_mapping(ctx, node, path, Message.of("what.layer"))
    check_keys(ctx, mapping, path, LAYER_KEYS, LAYER_REQUIRED)
    name_node = mapping.get("name")
    layer_name = read_name(ctx, name_node, f"{path}.name")
    if layer_name in layer_paths:
        message = Message.of("scenario.layer_name_used", name=quote(layer_name), path=layer_paths[layer_name])
        raise ctx.error(message, name_node, f"{path}.name")
    layer_paths[layer_name] = path
    activation_what = Message.of("what.activation")
    activation_node = mapping.get("activation")
    activation: str | CustomActivation
    if isinstance(activation_node, LocatedMapping):  # {expression: "t / 10", variable: t}
        from bptutor.loading.custom import custom_activation

        activation = custom_activation(ctx, activation_node, f"{path}.activation")
    else:
        activation = read_choice(
            ctx, activation_node, f"{path}.activation", ACTIVATIONS + LAYER_ACTIVATIONS, activation_what
        )
    slope = read_slope(ctx, mapping.get("slope"), f"{path}.slope", activation)
    neurons_path = f"{path}.neurons"
    neurons_node = expect_mapping(ctx, mapping.get("neurons"), neurons_path, Message.of("what.neurons"))
    count = len(neurons_node.entries)
    one, many = Message.of("count.neuron"), Message.of("count.neurons_in_layer")
    check_count(ctx, neurons_node, neurons_path, count, MAX_NEURONS_PER_LAYER, one, many)
    neurons = []
    for key_node, neuron_node in neurons_node.entries:
        neuron_path = key_path(neurons_path, str(key_node.value))
        neuron_name = read_name(ctx, key_node, neuron_path)
        if neuron_name in taken:
            message = Message.of("scenario.name_taken", name=quote(neuron_name), owner=taken[neuron_name])
            raise ctx.error(message, key_node, neuron_path)
        taken[neuron_name] = Message.of("owner.neuron", layer=quote(layer_name))
        neuron_keys[neuron_name] = (key_node, neuron_path)
        neurons.append(_neuron(ctx, neuron_name, neuron_node, neuron_path, layer_name, sources, parameter_names))
    return Layer(name=layer_name, activation=activation, neurons=tuple(neurons), slope=slope)


def _loss(ctx: Context, node: LocatedValue | None) -> str | CustomLoss:
    """A built-in loss by name, or a custom loss term: {expression: "(t - o)**2 / 2", target: t, output: o}."""
    if isinstance(node, LocatedMapping):
        from bptutor.loading.custom import custom_loss

        return custom_loss(ctx, node, "loss")
    return read_choice(ctx, node, "loss", ALL_LOSSES, Message.of("what.loss"))


def _neuron(
    ctx: Context,
    neuron_name: str,
    node: LocatedValue,
    path: str,
    layer_name: str,
    sources: _WeightSources,
    parameter_names: frozenset[str],
) -> Neuron:
    """One neuron: `weights` (source → parameter, at least one) and an optional `bias`."""
    mapping = expect_mapping(ctx, node, path, Message.of("what.neuron"))
    check_keys(ctx, mapping, path, NEURON_KEYS, NEURON_REQUIRED)
    uses: dict[str, Message] = {}  # parameter → how this neuron already uses it
    bias: str | None = None
    weights: list[tuple[str, str]] = []
    for key_node, value in mapping.entries:
        if key_node.value == "bias":
            if not is_absent(value):
                role = Message.of("role.bias")
                bias = _parameter_use(ctx, value, f"{path}.bias", neuron_name, role, uses, parameter_names)
            continue
        weights_path = f"{path}.weights"
        weights_node = expect_mapping(ctx, value, weights_path, Message.of("what.weights"))
        if not weights_node.entries:
            raise ctx.error(Message.of("scenario.needs_weight", neuron=neuron_name), weights_node, weights_path)
        for source_node, parameter_node in weights_node.entries:
            source = str(source_node.value)
            weight_path = key_path(weights_path, source)
            if source not in sources.names:
                raise ctx.error(sources.refusal(neuron_name, source, layer_name), source_node, weight_path)
            role = Message.of("role.weight", source=source)
            parameter = _parameter_use(ctx, parameter_node, weight_path, neuron_name, role, uses, parameter_names)
            weights.append((source, parameter))
    return Neuron(name=neuron_name, weights=tuple(weights), bias=bias)


def _parameter_use(
    ctx: Context,
    node: LocatedValue,
    path: str,
    neuron_name: str,
    role: Message,
    uses: dict[str, Message],
    parameter_names: frozenset[str],
) -> str:
    """A parameter name used by a neuron: it must have a value and not be used twice by this neuron."""
    parameter = read_name(ctx, node, path)
    if parameter not in parameter_names:
        hint = did_you_mean(parameter, sorted(parameter_names))
        message = Message.of("scenario.parameter_without_value", name=quote(parameter), neuron=neuron_name, hint=hint)
        raise ctx.error(message, node, path)
    if parameter in uses:
        first = uses[parameter]
        message = Message.of(
            "scenario.parameter_used_twice", name=quote(parameter), neuron=neuron_name, first=first, second=role
        )
        raise ctx.error(message, node, path)
    uses[parameter] = role
    return parameter


def _check_all_parameters_used(ctx: Context, layers: Sequence[Layer], parameters: tuple[_NamedNumber, ...]) -> None:
    """Every parameter given a value must be a weight or a bias somewhere."""
    used: set[str] = set()
    for layer in layers:
        for neuron in layer.neurons:
            used.update(parameter for _, parameter in neuron.weights)
            if neuron.bias is not None:
                used.add(neuron.bias)
    for parameter in parameters:
        if parameter.name not in used:
            message = Message.of("scenario.parameter_unused", name=quote(parameter.name))
            raise ctx.error(message, parameter.key, key_path("parameters", parameter.name))


def _targets(ctx: Context, node: LocatedValue | None, output_layer: Layer) -> tuple[tuple[str, float], ...]:
    """`targets`: exactly one number per neuron of the last layer, returned in that layer's order."""
    mapping = expect_mapping(ctx, node, "targets", Message.of("what.targets"))
    outputs = [neuron.name for neuron in output_layer.neurons]
    given_names = [str(key_node.value) for key_node, _ in mapping.entries]
    missing = [name for name in outputs if name not in given_names]
    values: dict[str, float] = {}
    for key_node, value in mapping.entries:
        name = str(key_node.value)
        if name not in outputs:
            extra = [given for given in given_names if given not in outputs]
            also_missing = Message.of("scenario.targets_also_missing", names=listing(missing)) if missing else ""
            message = Message.of(
                "scenario.targets_not_outputs",
                layer=quote(output_layer.name),
                outputs=listing(outputs),
                extra=listing(extra),
                hint=did_you_mean(name, outputs),
                missing=also_missing,
            )
            raise ctx.error(message, key_node, key_path("targets", name))
        values[name] = read_number(ctx, value, key_path("targets", name))
    if missing:
        message = Message.of("scenario.missing_targets", names=listing(missing), layer=quote(output_layer.name))
        raise ctx.error(message, mapping, "targets")
    return tuple((name, values[name]) for name in outputs)


# --------------------------------------------------------------------------- notation


def _notation(ctx: Context, node: LocatedValue | None) -> _ParsedNotation:
    """A preset name, or a mapping of templates over a preset (default in_out)."""
    if is_absent(node):
        return _ParsedNotation(NOTATION_PRESETS[DEFAULT_PRESET], {})
    presets = tuple(NOTATION_PRESETS)
    if not isinstance(node, LocatedMapping):
        if text_of(node) is None:
            message = Message.of("scenario.expected_notation", presets=", ".join(presets), found=describe(node))
            raise ctx.error(message, node, "notation")
        preset = read_choice(ctx, node, "notation", presets, Message.of("what.notation_preset"))
        return _ParsedNotation(NOTATION_PRESETS[preset], dict.fromkeys(NOTATION_TEMPLATES, (node, "notation")))
    check_keys(ctx, node, "notation", NOTATION_KEYS, ())
    preset_node = node.get("preset")
    preset = DEFAULT_PRESET
    if not is_absent(preset_node):
        preset = read_choice(ctx, preset_node, "notation.preset", presets, Message.of("what.notation_preset"))
    base = NOTATION_PRESETS[preset]
    templates = {field: getattr(base, field) for field in NOTATION_TEMPLATES}
    spots: dict[str, tuple[LocatedValue | None, str]] = {}
    for field in NOTATION_TEMPLATES:
        template_node = node.get(field)
        if is_absent(template_node):
            spots[field] = (node, "notation")
            continue
        path = f"notation.{field}"
        templates[field] = _template(ctx, template_node, path, allow_neuron=field != "loss")
        spots[field] = (template_node, path)
    return _ParsedNotation(Notation(preset=preset, **templates), spots)


def _template(ctx: Context, node: LocatedValue | None, path: str, allow_neuron: bool) -> str:
    """A name template: no spaces or control characters; braces only as `{n}` (when allowed)."""
    text = text_of(node)
    if text is None or not text:
        raise ctx.error(Message.of("scenario.expected_template", found=describe(node)), node, path)
    if any(unicodedata.category(character)[0] in "CZ" for character in text):
        raise ctx.error(Message.of("scenario.name_has_spaces", text=quote(text)), node, path)
    rest = text.replace(_NEURON_PLACEHOLDER, "") if allow_neuron else text
    if "{" in rest or "}" in rest:
        if allow_neuron:
            message = Message.of("scenario.template_braces", text=quote(text))
        else:
            message = Message.of("scenario.loss_name_braces", text=quote(text))
        raise ctx.error(message, node, path)
    if len(rest) > MAX_NOTATION_NAME_LENGTH:
        message = Message.of("scenario.name_too_long", name=quote(text), limit=MAX_NOTATION_NAME_LENGTH)
        raise ctx.error(message, node, path)
    return text


def _check_shown_names(
    ctx: Context,
    parsed: _ParsedNotation,
    inputs: tuple[_NamedNumber, ...],
    parameters: tuple[_NamedNumber, ...],
    network: _Network,
) -> None:
    """Every name shown to the student (inputs, parameters, and the quantities the notation
    names) must be at most 40 characters and stand for one thing only."""
    notation = parsed.notation
    seen: dict[str, tuple[Message, LocatedValue | None, str]] = {}

    def claim(shown: str, meaning: Message, at: LocatedValue | None, field: str) -> None:
        if len(shown) > MAX_NOTATION_NAME_LENGTH:
            limit = MAX_NOTATION_NAME_LENGTH
            message = Message.of("scenario.shown_name_too_long", name=quote(shown, 60), meaning=meaning, limit=limit)
            raise ctx.error(message, at, field)
        if shown in seen:
            first_meaning, first_at, first_field = seen[shown]
            here_at, here_field = (at, field) if at is not None else (first_at, first_field)
            message = Message.of("scenario.name_clash", name=quote(shown), first=first_meaning, second=meaning)
            raise ctx.error(message, here_at, here_field)
        seen[shown] = (meaning, at, field)

    def spot(template_field: str, neuron: str) -> tuple[LocatedValue | None, str]:
        if template_field in parsed.spots:
            return parsed.spots[template_field]
        return network.neuron_keys[neuron]

    for entry in inputs:
        claim(entry.name, Message.of("meaning.input", name=entry.name), entry.key, key_path("inputs", entry.name))
    for entry in parameters:
        claim(
            entry.name, Message.of("meaning.parameter", name=entry.name), entry.key, key_path("parameters", entry.name)
        )
    loss_at, loss_field = parsed.spots.get("loss", (None, "notation"))
    claim(notation.loss, Message.of("meaning.loss"), loss_at, loss_field)
    output_names = {neuron.name for neuron in network.layers[-1].neurons}
    for layer in network.layers:
        for neuron in layer.neurons:
            n = neuron.name
            claim(notation.pre(n), Message.of("meaning.pre_activation", neuron=n), *spot("pre_activation", n))
            claim(notation.act(n), Message.of("meaning.activation", neuron=n), *spot("activation", n))
            claim(notation.dlt(n), Message.of("meaning.delta", neuron=n), *spot("delta", n))
            if n in output_names:
                claim(notation.term(n), Message.of("meaning.loss_term", neuron=n), *spot("loss_term", n))
                claim(notation.tgt(n), Message.of("meaning.target", neuron=n), *spot("target", n))


__all__ = [
    "MAX_INPUTS",
    "MAX_PARAMETERS",
    "build_scenario",
    "load_scenario",
    "load_scenario_text",
    "scenario_from_data",
]
