"""The sections a layered scenario and its compact form share: title, learning rate,
frozen parameters, rounding, conventions and the leaky ReLU slope, with their limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from bptutor.core.ops import ACTIVATIONS as ACTIVATION_ROWS
from bptutor.core.scenario import (
    BIAS_FORMS,
    DEFAULT_LEAKY_SLOPE,
    ERROR_TERMS,
    HIDDEN_ERROR_WEIGHTS,
    ROUNDING_KINDS,
    ROUNDING_METHODS,
    Conventions,
    LearningRate,
    Rounding,
)
from bptutor.i18n import DEFAULT_LANGUAGE, LANGUAGES, Message
from bptutor.loading.fields import (
    check_keys,
    expect_mapping,
    expect_sequence,
    read_choice,
    read_free_text,
    read_name,
    read_number,
)
from bptutor.loading.yamltree import (
    Context,
    LocatedMapping,
    LocatedSequence,
    LocatedValue,
    describe,
    did_you_mean,
    index_path,
    is_absent,
    key_path,
    listing,
    quote,
    word_of,
)

if TYPE_CHECKING:
    from bptutor.core.custom import CustomActivation

MAX_LAYERS = 16
MAX_TITLE_LENGTH = 200
MAX_LEARNING_RATE = 100.0
MAX_DECIMALS = 15
# the keys after the network itself, in a layered scenario and its compact form alike
POLICY_KEYS = ("frozen", "rounding", "error_term", "hidden_error_weights", "bias", "update_biases")
TRAINING_KEYS = ("samples", "training", "optimizer", "weight_decay")


def read_learning_rate(
    ctx: Context, node: LocatedValue | None, layer_names: Sequence[str], parameter_names: Sequence[str]
) -> LearningRate:
    """A number, or a mapping {default: η, <layer>: η, <parameter>: η}."""
    if not isinstance(node, LocatedMapping):
        return LearningRate(default=_rate(ctx, node, "learning_rate"))
    if node.get("default") is None:
        message = Message.of("scenario.missing_default_rate")
        raise ctx.error(message, node, "learning_rate.default")
    layers, parameters = frozenset(layer_names), frozenset(parameter_names)
    default = 0.0
    by_layer: list[tuple[str, float]] = []
    by_parameter: list[tuple[str, float]] = []
    for key_node, value in node.entries:
        key = str(key_node.value)
        path = key_path("learning_rate", key)
        if key == "default":
            default = _rate(ctx, value, path)
        elif key in layers and key in parameters:
            message = Message.of("scenario.rate_key_ambiguous", key=quote(key))
            raise ctx.error(message, key_node, path)
        elif key in layers:
            by_layer.append((key, _rate(ctx, value, path)))
        elif key in parameters:
            by_parameter.append((key, _rate(ctx, value, path)))
        else:
            hint = did_you_mean(key, [*layer_names, *parameter_names, "default"])
            message = Message.of("scenario.rate_key_unknown", key=quote(key), hint=hint, layers=listing(layer_names))
            raise ctx.error(message, key_node, path)
    return LearningRate(default=default, by_layer=tuple(by_layer), by_parameter=tuple(by_parameter))


def _rate(ctx: Context, node: LocatedValue | None, path: str) -> float:
    """A learning rate: a number greater than 0 and at most 100."""
    if isinstance(node, (LocatedMapping, LocatedSequence)) or is_absent(node):
        message = Message.of("scenario.expected_rate", found=describe(node))
        raise ctx.error(message, node, path)
    rate = read_number(ctx, node, path)
    if rate <= 0:
        raise ctx.error(Message.of("scenario.rate_not_positive", found=describe(node)), node, path)
    if rate > MAX_LEARNING_RATE:
        raise ctx.error(Message.of("scenario.rate_too_large", found=describe(node)), node, path)
    return rate


def read_frozen(ctx: Context, node: LocatedValue | None, parameter_names: Sequence[str]) -> tuple[str, ...]:
    """`frozen`: a list of distinct parameter names (absent or null: none)."""
    if is_absent(node):
        return ()
    sequence = expect_sequence(ctx, node, "frozen", Message.of("what.frozen"))
    known = frozenset(parameter_names)
    frozen: list[str] = []
    for index, item in enumerate(sequence.items):
        path = index_path("frozen", index)
        parameter = read_name(ctx, item, path)
        if parameter not in known:
            hint = did_you_mean(parameter, parameter_names)
            message = Message.of("scenario.not_a_parameter", name=quote(parameter), hint=hint)
            raise ctx.error(message, item, path)
        if parameter in frozen:
            raise ctx.error(Message.of("scenario.frozen_twice", name=quote(parameter)), item, path)
        frozen.append(parameter)
    return tuple(frozen)


def read_titles(ctx: Context, node: LocatedValue | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """`title`: one line of text, or a mapping of languages to lines ({en: …, zh: …})."""
    if is_absent(node):
        return "", ()
    if not isinstance(node, LocatedMapping):
        return read_free_text(ctx, node, "title", MAX_TITLE_LENGTH), ()
    check_keys(ctx, node, "title", LANGUAGES, ())
    titles = tuple(
        (lang, read_free_text(ctx, node.get(lang), key_path("title", lang), MAX_TITLE_LENGTH))
        for lang in LANGUAGES
        if not is_absent(node.get(lang))
    )
    by_language = dict(titles)
    return by_language.get(DEFAULT_LANGUAGE, titles[0][1] if titles else ""), titles


def read_conventions(ctx: Context, top: LocatedMapping) -> Conventions:
    """The convention keys: error_term, hidden_error_weights, bias, update_biases (each optional)."""
    defaults = Conventions()
    chosen: dict[str, object] = {}
    choices = (("error_term", ERROR_TERMS), ("hidden_error_weights", HIDDEN_ERROR_WEIGHTS), ("bias", BIAS_FORMS))
    for key, options in choices:
        node = top.get(key)
        if not is_absent(node):
            chosen[key] = read_choice(ctx, node, key, options, Message.of("what.convention", key=key))
    update_node = top.get("update_biases")
    if not is_absent(update_node):
        text = word_of(update_node)
        if text not in ("true", "false"):
            what = Message.of("what.true_or_false")
            expected = Message.of("scenario.expected", what=what, found=describe(update_node))
            raise ctx.error(expected, update_node, "update_biases")
        chosen["update_biases"] = text == "true"
    return replace(defaults, **chosen)  # type: ignore[arg-type]  # each key is a field, its value of its type


def read_rounding(ctx: Context, node: LocatedValue | None) -> Rounding | None:
    """`rounding`: decimals kept for each kind of value, and the method (absent: full precision)."""
    if is_absent(node):
        return None
    mapping = expect_mapping(ctx, node, "rounding", Message.of("what.rounding"))
    check_keys(ctx, mapping, "rounding", (*ROUNDING_KINDS, "method"), ())
    decimals: dict[str, int] = {}
    for kind in ROUNDING_KINDS:
        item = mapping.get(kind)
        if is_absent(item):
            continue
        path = key_path("rounding", kind)
        text = word_of(item)
        if text is None or not text.isascii() or not text.isdigit() or not 0 <= int(text) <= MAX_DECIMALS:
            what = Message.of("what.decimals", most=MAX_DECIMALS)
            raise ctx.error(Message.of("scenario.expected", what=what, found=describe(item)), item, path)
        decimals[kind] = int(text)
    method_node = mapping.get("method")
    method = "half_up"
    if not is_absent(method_node):
        what = Message.of("what.rounding_method")
        method = read_choice(ctx, method_node, key_path("rounding", "method"), ROUNDING_METHODS, what)
    return Rounding(**decimals, method=method)


def read_slope(ctx: Context, node: LocatedValue | None, path: str, activation: str | CustomActivation) -> float:
    """The slope α of an activation whose row takes one (leaky_relu), default DEFAULT_LEAKY_SLOPE; else refused."""
    if is_absent(node):
        return DEFAULT_LEAKY_SLOPE
    row = ACTIVATION_ROWS.get(activation) if isinstance(activation, str) else None
    if row is None or not row.takes_slope:
        message = Message.of("scenario.slope_not_leaky", activation=quote(str(activation)))
        raise ctx.error(message, node, path)
    return read_number(ctx, node, path)


__all__ = [
    "MAX_DECIMALS",
    "MAX_LAYERS",
    "MAX_LEARNING_RATE",
    "MAX_TITLE_LENGTH",
    "POLICY_KEYS",
    "TRAINING_KEYS",
    "read_conventions",
    "read_frozen",
    "read_learning_rate",
    "read_rounding",
    "read_slope",
    "read_titles",
]
