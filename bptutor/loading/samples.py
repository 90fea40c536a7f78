"""The samples of a scenario file and the sections that train on them:
`samples`, `training`, `optimizer`, `weight_decay`.

Called by `bptutor.loading.scenario`; every problem is a ScenarioError at the node it is about,
like the rest of the loader. A CSV file named by `samples` is read as text,
never executed; its problems name its own line and column too.
"""

from __future__ import annotations

import errno
import io
import math
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bptutor.core.scenario import LAYER_ACTIVATIONS, LOSSES, OPTIMIZERS, REDUCTIONS, Layer, Optimizer, Samples, Training
from bptutor.errors import PATH_LIMIT, ScenarioError, printable
from bptutor.i18n import Message
from bptutor.records import dataclass

if TYPE_CHECKING:
    from bptutor.core.custom import CustomLoss
from bptutor.loading.fields import (
    MAX_ABS_NUMBER,
    MIN_ABS_NUMBER,
    check_keys,
    expect_mapping,
    read_choice,
    read_name,
    read_number,
)
from bptutor.loading.yamltree import (
    GREW,
    MISSING,
    NUMBER_RE,
    TOO_LARGE,
    Context,
    FileProblem,
    LocatedMapping,
    LocatedScalar,
    LocatedSequence,
    LocatedValue,
    describe,
    index_path,
    is_absent,
    key_path,
    line_and_column,
    quote,
    read_bytes,
    word_of,
)

MAX_SAMPLES = 1_000_000
MAX_CSV_BYTES = 256 * 1024 * 1024
MAX_STEPS = 10_000_000
GENERATOR_KEYS = ("generate", "count", "noise", "seed")
SAMPLE_KEYS = ("inputs", "targets")
TRAINING_KEYS = ("steps", "epochs", "batch_size", "shuffle", "seed", "reduction")
OPTIMIZER_KEYS = {"sgd": ("name",), "momentum": ("name", "beta"), "adam": ("name", "beta1", "beta2", "epsilon")}


@dataclass(frozen=True)
class Pending:
    """Samples read, their targets not yet matched to the output layer."""

    node: LocatedValue
    input_names: tuple[str, ...]
    inputs: tuple[tuple[float, ...], ...]
    # list form: each sample's targets node; CSV form: (column names, rows); generator: labels
    target_nodes: tuple[LocatedValue | None, ...] = ()  # one per listed sample; None where it gives none
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[float, ...], ...] = ()
    labels: tuple[int, ...] = ()
    origin: str = ""
    files: tuple[str, ...] = ()  # the CSV file read, as an absolute path


def read_samples(ctx: Context, node: LocatedValue) -> Pending:
    """`samples`: a list of {inputs, targets}, a CSV file name, or {generate: NAME, count, noise, seed}."""
    if isinstance(node, LocatedSequence):
        return _listed(ctx, node)
    if isinstance(node, LocatedMapping):
        return _generated(ctx, node)
    text = node.value if isinstance(node, LocatedScalar) and isinstance(node.value, str) else None
    if text is None or not text.lower().endswith(".csv"):
        message = Message.of("scenario.expected", what=Message.of("what.samples"), found=describe(node))
        raise ctx.error(message, node, "samples")
    return _from_csv(ctx, node, text)


def _listed(ctx: Context, node: LocatedSequence) -> Pending:
    if not node.items:
        raise ctx.error(Message.of("scenario.none_given", one=Message.of("count.sample")), node, "samples")
    if len(node.items) > MAX_SAMPLES:
        many = Message.of("count.samples")
        message = Message.of("scenario.too_many", many=many, count=len(node.items), limit=MAX_SAMPLES)
        raise ctx.error(message, node, "samples")
    names: tuple[str, ...] = ()
    rows, targets = [], []
    for index, item in enumerate(node.items):
        path = index_path("samples", index)
        mapping = expect_mapping(ctx, item, path, Message.of("what.sample"))
        check_keys(ctx, mapping, path, SAMPLE_KEYS, SAMPLE_KEYS)
        inputs = expect_mapping(ctx, mapping.get("inputs"), f"{path}.inputs", Message.of("what.input_numbers"))
        given = tuple(read_name(ctx, key, key_path(f"{path}.inputs", str(key.value))) for key, _ in inputs.entries)
        if index == 0:
            if not given:
                none_given = Message.of("scenario.none_given", one=Message.of("count.input"))
                raise ctx.error(none_given, inputs, f"{path}.inputs")
            names = given
        elif sorted(given) != sorted(names):
            message = Message.of("scenario.sample_inputs_differ", names=", ".join(names))
            raise ctx.error(message, inputs, f"{path}.inputs")
        values = {
            str(key.value): read_number(ctx, value, key_path(f"{path}.inputs", str(key.value)))
            for key, value in inputs.entries
        }
        rows.append(tuple(values[name] for name in names))
        targets.append(mapping.get("targets"))
    return Pending(node, names, tuple(rows), target_nodes=tuple(targets))


def _generated(ctx: Context, node: LocatedMapping) -> Pending:
    from bptutor.loading.datasets import GENERATORS, MAX_COUNT, generate  # only a scenario that draws its samples

    check_keys(ctx, node, "samples", GENERATOR_KEYS, ("generate", "count"))
    name = read_choice(ctx, node.get("generate"), "samples.generate", GENERATORS, Message.of("what.dataset"))
    count = _whole(ctx, node.get("count"), "samples.count", 1, MAX_COUNT)
    noise_node = node.get("noise")
    noise = 0.0 if is_absent(noise_node) else read_number(ctx, noise_node, "samples.noise")
    if not 0 <= noise <= 10:
        raise ctx.error(Message.of("scenario.noise_range", found=describe(noise_node)), noise_node, "samples.noise")
    seed_node = node.get("seed")
    seed = 0 if is_absent(seed_node) else _whole(ctx, seed_node, "samples.seed", 0, 2**32 - 1)
    points = generate(name, count, noise, seed)
    origin = f"{name}: {count}, noise {noise:g}, seed {seed}"
    return Pending(
        node,
        ("x1", "x2"),
        tuple((x1, x2) for x1, x2, _ in points),
        labels=tuple(label for _, _, label in points),
        origin=origin,
    )


def read_sample_file(
    ctx: Context, node: LocatedScalar, name: str, limit: int, too_large: str, unreadable: str
) -> tuple[str, bytes, str]:
    """A samples file named in a scenario, relative to the scenario: its printed name, its bytes, its absolute path.

    `too_large` and `unreadable` are the message keys of the two problems (with {file}, and {reason}).
    """
    beside_scenario = os.path.join(os.path.dirname(ctx.source), name)
    path = name if os.path.isabs(name) or not os.path.isfile(ctx.source) else beside_scenario

    shown = printable(name, PATH_LIMIT)

    def refuse(problem: FileProblem) -> ScenarioError:
        if problem.kind in (TOO_LARGE, GREW):
            return ctx.error(Message.of(too_large, file=shown), node, "samples")
        reason: str | Message = problem.reason or Message.of("scenario.not_regular_file")
        if problem.kind == MISSING:
            reason = os.strerror(errno.ENOENT)
        return ctx.error(Message.of(unreadable, file=shown, reason=reason), node, "samples")

    return shown, read_bytes(path, limit, refuse), os.path.abspath(path)


def _from_csv(ctx: Context, node: LocatedScalar, name: str) -> Pending:
    """A CSV file: a header row of names, then one row of numbers per sample."""
    import csv  # only a scenario with a CSV file

    shown, data, path = read_sample_file(
        ctx, node, name, MAX_CSV_BYTES, "scenario.csv_too_large", "scenario.csv_unreadable"
    )
    text = _csv_text(ctx, node, shown, data)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ctx.error(Message.of("scenario.csv_no_header", file=shown), node, "samples") from None
    columns = tuple(cell.strip() for cell in header)
    for column in columns:
        read_name(ctx, LocatedScalar(column, node.line, node.column), f"samples ({shown}: {printable(column, 40)})")
    rows = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) != len(columns):
                message = Message.of(
                    "scenario.csv_row_length", file=shown, line=line, count=len(row), expected=len(columns)
                )
                raise ctx.error(message, node, "samples")
            cells = zip(columns, row, strict=True)
            rows.append(tuple(_csv_number(ctx, node, shown, line, column, cell) for column, cell in cells))
            if len(rows) > MAX_SAMPLES:
                many = Message.of("count.samples")
                message = Message.of("scenario.too_many", many=many, count=len(rows), limit=MAX_SAMPLES)
                raise ctx.error(message, node, "samples")
    except csv.Error as problem:
        reason = printable(problem, 200)
        raise ctx.error(Message.of("scenario.csv_unreadable", file=shown, reason=reason), node, "samples") from None
    if not rows:
        raise ctx.error(Message.of("scenario.none_given", one=Message.of("count.sample")), node, "samples")
    origin = f"{shown}: {len(rows)}"
    return Pending(node, columns, (), columns=columns, rows=tuple(rows), origin=origin, files=(path,))


def _csv_text(ctx: Context, node: LocatedScalar, shown: str, data: bytes) -> str:
    """The CSV's UTF-8 text (a spreadsheet's byte-order mark dropped); other bytes are an error at their place."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line, column = line_and_column(data, problem.start)
        reason = Message.of("files.not_utf8_at", byte=f"{data[problem.start]:02x}", line=line, column=column)
        raise ctx.error(Message.of("scenario.csv_unreadable", file=shown, reason=reason), node, "samples") from None


def _csv_number(ctx: Context, node: LocatedScalar, name: str, line: int, column: str, cell: str) -> float:
    text = cell.strip()
    if not NUMBER_RE.fullmatch(text) or abs(float(text)) > MAX_ABS_NUMBER or 0 < abs(float(text)) < MIN_ABS_NUMBER:
        shown = printable(column, 40)
        message = Message.of("scenario.csv_not_number", file=name, line=line, column=shown, found=quote(text))
        raise ctx.error(message, node, "samples")
    return float(text)


def _whole(ctx: Context, node: LocatedValue | None, path: str, least: int, most: int) -> int:
    text = word_of(node)
    if text is None or not text.isascii() or not text.isdigit() or not least <= int(text) <= most:
        what = Message.of("what.whole_number", least=least, most=most)
        raise ctx.error(Message.of("scenario.expected", what=what, found=describe(node)), node, path)
    return int(text)


def input_names(pending: Pending, output_layer_names: Sequence[str]) -> tuple[str, ...]:
    """The network's inputs: a CSV's columns that are not output neurons; otherwise the samples' input names."""
    if pending.columns:
        return tuple(column for column in pending.columns if column not in output_layer_names)
    return pending.input_names


def finish(ctx: Context, pending: Pending, inputs: Sequence[str], output_layer: Layer) -> Samples:
    """Match the samples' targets to the output neurons (in that layer's order)."""
    outputs = [neuron.name for neuron in output_layer.neurons]
    if pending.labels:
        from bptutor.loading.datasets import targets_for

        if len(outputs) > 2:
            message = Message.of("scenario.generator_outputs", count=len(outputs))
            raise ctx.error(message, pending.node, "samples.generate")
        targets = tuple(targets_for(label, len(outputs)) for label in pending.labels)
        return Samples(pending.inputs, targets, pending.origin)
    if pending.columns:
        missing = [name for name in outputs if name not in pending.columns]
        if missing:
            message = Message.of("scenario.csv_missing_targets", names=", ".join(missing))
            raise ctx.error(message, pending.node, "samples")
        where = {column: index for index, column in enumerate(pending.columns)}
        rows_in = tuple(tuple(row[where[name]] for name in inputs) for row in pending.rows)
        rows_out = tuple(tuple(row[where[name]] for name in outputs) for row in pending.rows)
        return Samples(rows_in, rows_out, pending.origin, pending.files)
    target_rows: list[tuple[float, ...]] = []
    for index, node in enumerate(pending.target_nodes):
        path = f"{index_path('samples', index)}.targets"
        mapping = expect_mapping(ctx, node, path, Message.of("what.targets"))
        given = {str(key.value): (key, value) for key, value in mapping.entries}
        for name in given:
            if name not in outputs:
                message = Message.of("scenario.sample_targets", names=", ".join(outputs))
                raise ctx.error(message, given[name][0], key_path(path, name))
        missing = [name for name in outputs if name not in given]
        if missing:
            message = Message.of("scenario.missing_targets", names=", ".join(missing), layer=quote(output_layer.name))
            raise ctx.error(message, mapping, path)
        target_rows.append(tuple(read_number(ctx, given[name][1], key_path(path, name)) for name in outputs))
    return Samples(pending.inputs, tuple(target_rows), f"{len(target_rows)}")


def training(ctx: Context, node: LocatedValue | None) -> Training | None:
    """`training`: {steps | epochs, batch_size (a number or all), shuffle, seed, reduction}."""
    if is_absent(node):
        return None
    mapping = expect_mapping(ctx, node, "training", Message.of("what.training"))
    check_keys(ctx, mapping, "training", TRAINING_KEYS, ())
    steps_node, epochs_node = mapping.get("steps"), mapping.get("epochs")
    if not is_absent(steps_node) and not is_absent(epochs_node):
        raise ctx.error(Message.of("scenario.steps_and_epochs"), epochs_node, "training.epochs")
    steps = None if is_absent(steps_node) else _whole(ctx, steps_node, "training.steps", 1, MAX_STEPS)
    epochs = None if is_absent(epochs_node) else _whole(ctx, epochs_node, "training.epochs", 1, MAX_STEPS)
    size_node = mapping.get("batch_size")
    size = None
    if not is_absent(size_node) and word_of(size_node) != "all":
        size = _whole(ctx, size_node, "training.batch_size", 1, MAX_SAMPLES)
    shuffle_node = mapping.get("shuffle")
    shuffle = True
    if not is_absent(shuffle_node):
        word = word_of(shuffle_node)
        if word not in ("true", "false"):
            what = Message.of("what.true_or_false")
            expected = Message.of("scenario.expected", what=what, found=describe(shuffle_node))
            raise ctx.error(expected, shuffle_node, "training.shuffle")
        shuffle = word == "true"
    seed_node = mapping.get("seed")
    seed = 0 if is_absent(seed_node) else _whole(ctx, seed_node, "training.seed", 0, 2**32 - 1)
    reduction_node = mapping.get("reduction")
    reduction = "mean"
    if not is_absent(reduction_node):
        reduction = read_choice(ctx, reduction_node, "training.reduction", REDUCTIONS, Message.of("what.reduction"))
    return Training(steps, epochs, size, shuffle, seed, reduction)


def optimizer(ctx: Context, node: LocatedValue | None, decay_node: LocatedValue | None) -> Optimizer:
    """`optimizer`: sgd, momentum or adam, by name or as {name, its constants}; `weight_decay`: λ ≥ 0."""
    decay = 0.0
    if not is_absent(decay_node):
        decay = read_number(ctx, decay_node, "weight_decay")
        if decay < 0:
            raise ctx.error(Message.of("scenario.not_negative", found=describe(decay_node)), decay_node, "weight_decay")
    if is_absent(node):
        return Optimizer(weight_decay=decay)
    what = Message.of("what.optimizer")
    if not isinstance(node, LocatedMapping):
        return Optimizer(name=read_choice(ctx, node, "optimizer", OPTIMIZERS, what), weight_decay=decay)
    name = read_choice(ctx, node.get("name"), "optimizer.name", OPTIMIZERS, what)
    check_keys(ctx, node, "optimizer", OPTIMIZER_KEYS[name], ("name",))
    constants: dict[str, float] = {}
    for key in OPTIMIZER_KEYS[name][1:]:
        value_node = node.get(key)
        if is_absent(value_node):
            continue
        value = read_number(ctx, value_node, f"optimizer.{key}")
        upper_open = key != "epsilon"
        if value < 0 or (upper_open and value >= 1) or (key == "epsilon" and value <= 0):
            message = Message.of("scenario.optimizer_constant", key=key, found=describe(value_node))
            raise ctx.error(message, value_node, f"optimizer.{key}")
        constants[key] = value
    return Optimizer(name=name, weight_decay=decay, **constants)


def check_loss_and_outputs(ctx: Context, top: LocatedMapping, layers: Sequence[Layer], loss: str | CustomLoss) -> None:
    """bce needs a sigmoid output layer and cross_entropy a softmax one (≥ 2 neurons); softmax only there.

    A softmax output with any other loss (mse, mae, rmse, a custom one) is worked through its Jacobian.
    """
    from bptutor.core.ops import loss_of

    layers_node = top.get("layers")
    for index, layer in enumerate(layers[:-1]):
        if layer.activation in LAYER_ACTIVATIONS:
            node = layers_node.items[index] if isinstance(layers_node, LocatedSequence) else layers_node
            where = f"{index_path('layers', index)}.activation"
            raise ctx.error(Message.of("scenario.softmax_not_output"), node, where)
    output = layers[-1]
    needed = loss_of(loss).fused_with
    if output.activation in LAYER_ACTIVATIONS and needed is not None and needed != output.activation:
        raise ctx.error(Message.of("scenario.softmax_needs_cross_entropy"), top.get("loss"), "loss")
    if needed is not None and output.activation != needed:
        message = Message.of("scenario.loss_needs_output", loss=loss, activation=needed)
        raise ctx.error(message, top.get("loss"), "loss")
    if output.activation in LAYER_ACTIVATIONS and len(output.neurons) < 2:
        raise ctx.error(Message.of("scenario.softmax_one_neuron"), top.get("layers"), "layers")


def check_targets(
    ctx: Context, node: LocatedValue | None, loss: str | CustomLoss, rows: Sequence[Sequence[float]], field: str
) -> None:
    """Targets as the loss's row asks: probabilities in [0, 1] (bce), or a distribution summing to 1 (cross_entropy)."""
    from bptutor.core.ops import loss_of

    kind = loss_of(loss).targets
    for index, row in enumerate(rows):
        if kind != "any" and any(not 0.0 <= value <= 1.0 for value in row):
            message = Message.of("scenario.targets_probabilities", loss=loss, sample=index + 1)
            raise ctx.error(message, node, field)
        if kind == "distribution" and not math.isclose(math.fsum(row), 1.0, abs_tol=1e-9):
            message = Message.of("scenario.targets_sum", sample=index + 1, total=repr(math.fsum(row)))
            raise ctx.error(message, node, field)


def check_rounding(
    ctx: Context, top: LocatedMapping, loss: str | CustomLoss, rounding_given: bool, plain: bool
) -> None:
    """A rounding policy is for a hand calculation: one example, plain gradient descent, a classic loss.

    So is `hidden_error_weights: updated`, which is not a gradient that an optimizer could use.
    """
    if rounding_given and (not plain or loss not in LOSSES):
        raise ctx.error(Message.of("scenario.rounding_training"), top.get("rounding"), "rounding")
    updated = top.get("hidden_error_weights")
    if isinstance(updated, LocatedScalar) and updated.value == "updated" and (not plain or loss not in LOSSES):
        raise ctx.error(Message.of("scenario.updated_weights_training"), updated, "hidden_error_weights")


__all__ = [
    "MAX_CSV_BYTES",
    "MAX_SAMPLES",
    "Pending",
    "check_loss_and_outputs",
    "check_rounding",
    "check_targets",
    "finish",
    "input_names",
    "optimizer",
    "read_sample_file",
    "read_samples",
    "training",
]
