"""Read a scenario (YAML, format version 1) into a validated, frozen `Scenario`.

Safety first. The YAML text is only *composed* into nodes by a `yaml.SafeLoader`
subclass and never constructed into Python objects: anchors, aliases and tags are
refused as soon as the parser meets them (before anything could be expanded), the
nesting depth is capped, and numbers are read from their source text, not through
YAML 1.1's implicit typing (so `no` is a name, `0x10` and `.inf` are not numbers).

The composed nodes are turned into a small located tree (`_Scalar`, `_Mapping`,
`_Sequence`) that remembers 1-based line and column; `scenario_from_data` builds the
same tree from a Python dict, without positions, so both paths share one validator.

Every problem is reported as one `ScenarioError`: where (file, line, column), which
field (`layers[1].neurons.o1.weights.h3`), and what was expected.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from numbers import Real
from types import MappingProxyType
from typing import TYPE_CHECKING, Union

import yaml

from bptutor.errors import Location, ScenarioError
from bptutor.i18n import LANGUAGES, Message
from bptutor.core.scenario import (
    ACTIVATIONS,
    ALL_LOSSES,
    BIAS_FORMS,
    DEFAULT_LEAKY_SLOPE,
    ERROR_TERMS,
    HIDDEN_ERROR_WEIGHTS,
    LAYER_ACTIVATIONS,
    NOTATION_PRESETS,
    ROUNDING_KINDS,
    ROUNDING_METHODS,
    Conventions,
    Layer,
    LearningRate,
    Neuron,
    Notation,
    Rounding,
    Scenario,
)

if TYPE_CHECKING:
    from bptutor.core.custom import CustomActivation, CustomLoss

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 20
MAX_INPUTS = 64
MAX_LAYERS = 16
MAX_NEURONS_PER_LAYER = 64
MAX_PARAMETERS = 4096
MAX_NAME_LENGTH = 32
MAX_TITLE_LENGTH = 200
MAX_NOTATION_NAME_LENGTH = 40
MAX_ABS_NUMBER = 1e6
MAX_LEARNING_RATE = 100.0
MAX_DECIMALS = 15
DEFAULT_PRESET = "in_out"

# the keys after the network itself, shared with the compact form (bptutor.loading.compact)
POLICY_KEYS = ("frozen", "rounding", "error_term", "hidden_error_weights", "bias", "update_biases")
TRAINING_KEYS = ("samples", "training", "optimizer", "weight_decay")
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

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_']*")
_SCENARIO_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NULL_TAG = "tag:yaml.org,2002:null"
_NEURON_PLACEHOLDER = "{n}"

ANCHOR_MESSAGE = Message.of("scenario.anchors")
TOO_DEEP_MESSAGE = Message.of("scenario.too_deep", depth=MAX_DEPTH)
_STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"


# --------------------------------------------------------------------------- located tree


@dataclass(frozen=True)
class _Scalar:
    """A single value. From YAML: its source text, or None for null. From Python: the value."""

    value: str | bool | int | float | Real | None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class _Mapping:
    """Key/value pairs in the order written; keys are `_Scalar`s holding text."""

    entries: tuple[tuple[_Scalar, _Value], ...]
    line: int | None = None
    column: int | None = None

    def get(self, key: str) -> _Value | None:
        """The value of `key`, or None when the key is not there."""
        for key_node, value in self.entries:
            if key_node.value == key:
                return value
        return None

    def key_node(self, key: str) -> _Scalar | None:
        """The node of the key itself (for messages about the key)."""
        for key_node, _ in self.entries:
            if key_node.value == key:
                return key_node
        return None


@dataclass(frozen=True)
class _Sequence:
    """A list of values in the order written."""

    items: tuple[_Value, ...]
    line: int | None = None
    column: int | None = None


_Value = Union[_Scalar, _Mapping, _Sequence]


@dataclass(frozen=True)
class _Context:
    """What every check needs to report a problem: the source's name (and its text, to place expressions in it)."""

    source: str
    text: str = ""

    def error(self, message: str | Message, at: _Value | None, field: str = "") -> ScenarioError:
        """A ScenarioError located at the node `at` (no position when `at` is None)."""
        line = at.line if at is not None else None
        column = at.column if at is not None else None
        return ScenarioError(message, Location(self.source, line, column), field)


@dataclass(frozen=True)
class _NamedNumber:
    """One `name: number` entry of `inputs` or `parameters`, with its key node."""

    name: str
    value: float
    key: _Scalar


@dataclass(frozen=True)
class _Network:
    """The parsed layers, plus each neuron's key node and field path (for later messages)."""

    layers: tuple[Layer, ...]
    neuron_keys: dict[str, tuple[_Scalar, str]]


@dataclass(frozen=True)
class _ParsedNotation:
    """The notation, and for each template field the node and field path that set it."""

    notation: Notation
    spots: dict[str, tuple[_Value | None, str]]


# --------------------------------------------------------------------------- public API


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate the scenario file at `path` (UTF-8 YAML, at most 1 MiB)."""
    source = str(path)
    text = _read_text(path, source)
    return load_scenario_text(text, source)


def load_scenario_text(text: str | bytes, source: str) -> Scenario:
    """Validate a scenario given as YAML text; `source` names it in messages.

    Bytes are accepted too and must be UTF-8.
    """
    if isinstance(text, (bytes, bytearray)):
        text = _decode_utf8(bytes(text), source)
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(Message.of("scenario.text_too_large"), Location(source))
    ctx = _Context(source, text)
    try:
        root = _parse_yaml(text, ctx)
        return _build_scenario(root, ctx)
    except RecursionError:
        raise ctx.error(TOO_DEEP_MESSAGE, None) from None


def scenario_from_data(data: dict, source: str = "<dict>") -> Scenario:
    """Validate a scenario given as plain Python data (as `yaml.safe_load` would give).

    The same rules apply as for files; messages carry field paths but no line numbers.
    """
    ctx = _Context(source)
    if not isinstance(data, Mapping):
        raise ctx.error(Message.of("scenario.top_not_dict", type=type(data).__name__), None)
    try:
        root = _from_python(data, ctx, "", 1)
        return _build_scenario(root, ctx)
    except RecursionError:
        raise ctx.error(TOO_DEEP_MESSAGE, None) from None


# --------------------------------------------------------------------------- reading files


def _read_text(path: str | os.PathLike[str], source: str) -> str:
    """The file's text; any problem reading it becomes a ScenarioError without a line."""
    where = Location(source)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError(Message.of("scenario.no_such_file"), where) from None
    except (OSError, ValueError) as problem:
        raise ScenarioError(Message.of("scenario.cannot_read", reason=_os_reason(problem)), where) from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(Message.of("scenario.is_directory"), where)
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(Message.of("scenario.not_regular_file"), where)
    if info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(Message.of("scenario.file_too_large_bytes", size=info.st_size), where)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as problem:
        raise ScenarioError(Message.of("scenario.cannot_read", reason=_os_reason(problem)), where) from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError(Message.of("scenario.file_too_large"), where)
    return _decode_utf8(data, source)


def _os_reason(problem: Exception) -> str:
    """The short reason of an OS error ("Permission denied"), without repeating the path."""
    reason = getattr(problem, "strerror", None) or str(problem)
    return _plain(reason, 200)


def _decode_utf8(data: bytes, source: str) -> str:
    """UTF-8 text (a leading byte-order mark is dropped); anything else is an error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise ScenarioError(
            Message.of("scenario.not_utf8", byte=f"{data[problem.start]:02x}", offset=problem.start),
            Location(source),
        ) from None


# --------------------------------------------------------------------------- YAML → located tree


class _ScenarioYamlLoader(yaml.SafeLoader):
    """A SafeLoader used only to compose nodes: refuses anchors, aliases, tags and deep nesting."""

    def __init__(self, text: str, ctx: _Context) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        """Check the next node's event before the base composer handles it."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise _error_at_mark(self._ctx, event.start_mark, ANCHOR_MESSAGE)
        if event.tag is not None:
            shown = _quote(_short_tag(event.tag), 80)
            message = Message.of("scenario.tags", tag=shown)
            raise _error_at_mark(self._ctx, event.start_mark, message)
        if self._depth >= MAX_DEPTH:
            raise _error_at_mark(self._ctx, event.start_mark, TOO_DEEP_MESSAGE)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _short_tag(tag: str) -> str:
    """A tag as written: `tag:yaml.org,2002:python/name` → `!!python/name`."""
    if tag.startswith(_STANDARD_TAG_PREFIX):
        return "!!" + tag[len(_STANDARD_TAG_PREFIX) :]
    return tag


def _error_at_mark(ctx: _Context, mark: yaml.Mark | None, message: str | Message) -> ScenarioError:
    """A ScenarioError at a yaml Mark (0-based line/column, reported 1-based)."""
    if mark is None:
        return ScenarioError(message, Location(ctx.source))
    return ScenarioError(message, Location(ctx.source, mark.line + 1, mark.column + 1))


def _parse_yaml(text: str, ctx: _Context) -> _Value | None:
    """Compose the YAML text and convert it to the located tree (None for an empty document)."""
    loader = None
    try:
        loader = _ScenarioYamlLoader(text, ctx)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as problem:
        raise _syntax_error(problem, ctx) from None
    except yaml.reader.ReaderError as problem:
        raise _reader_error(problem, text, ctx) from None
    except yaml.YAMLError as problem:
        raise ctx.error(Message.of("scenario.invalid_yaml", detail=_plain(str(problem), 200)), None) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None
    return _from_yaml_node(node, ctx, "")


def _syntax_error(problem: yaml.MarkedYAMLError, ctx: _Context) -> ScenarioError:
    """Turn a yaml parse error into a ScenarioError at the problem's position."""
    what: str | Message = problem.problem or problem.context or Message.of("scenario.unknown_yaml_problem")
    if problem.problem and problem.context:
        if problem.problem.startswith("but "):
            what = f"{problem.context}, {problem.problem}"
        else:
            what = f"{problem.problem} ({problem.context})"
    mark = problem.problem_mark or problem.context_mark
    detail = _plain(what, 200) if isinstance(what, str) else what
    return _error_at_mark(ctx, mark, Message.of("scenario.invalid_yaml", detail=detail))


def _reader_error(problem: yaml.reader.ReaderError, text: str, ctx: _Context) -> ScenarioError:
    """A character YAML does not allow (e.g. a control character), located in the text."""
    position = max(0, min(problem.position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = problem.character
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    message = Message.of("scenario.bad_character", code=f"{code:04X}", reason=problem.reason)
    return ScenarioError(message, Location(ctx.source, line, column))


def _from_yaml_node(node: yaml.Node, ctx: _Context, path: str) -> _Value:
    """Convert a composed node (depth already capped) to the located tree; refuse duplicate keys."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return _Scalar(None if node.tag == _NULL_TAG else node.value, line, column)
    if isinstance(node, yaml.SequenceNode):
        items = tuple(_from_yaml_node(item, ctx, _index(path, i)) for i, item in enumerate(node.value))
        return _Sequence(items, line, column)
    first_lines: dict[str, int] = {}
    entries: list[tuple[_Scalar, _Value]] = []
    for key_node, value_node in node.value:
        key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode):
            key_at = _Scalar(None, key_line, key_column)
            raise ctx.error(Message.of("scenario.key_not_plain"), key_at, path)
        key = key_node.value
        key_at = _Scalar(key, key_line, key_column)
        if key in first_lines:
            message = Message.of("scenario.duplicate_key", key=_quote(key), line=first_lines[key])
            raise ctx.error(message, key_at, _join(path, key))
        first_lines[key] = key_line
        entries.append((key_at, _from_yaml_node(value_node, ctx, _join(path, key))))
    return _Mapping(tuple(entries), line, column)


def _from_python(value: object, ctx: _Context, path: str, depth: int) -> _Value:
    """Convert plain Python data to the located tree (without positions)."""
    if depth > MAX_DEPTH:
        raise ctx.error(TOO_DEEP_MESSAGE, None, path)
    if isinstance(value, Mapping):
        entries: list[tuple[_Scalar, _Value]] = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise ctx.error(Message.of("scenario.key_not_text", key=repr(key)), None, path)
            entries.append((_Scalar(key), _from_python(item, ctx, _join(path, key), depth + 1)))
        return _Mapping(tuple(entries))
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        items = tuple(_from_python(item, ctx, _index(path, i), depth + 1) for i, item in enumerate(value))
        return _Sequence(items)
    if value is None or isinstance(value, (str, bool, Real)):
        return _Scalar(value)
    raise ctx.error(Message.of("scenario.unsupported_type", type=type(value).__name__), None, path)


# --------------------------------------------------------------------------- small helpers


def _join(path: str, key: str) -> str:
    """`path.key` (or just `key` at the top level), with unprintable characters escaped."""
    shown = _plain(key, MAX_NAME_LENGTH + 8)
    return f"{path}.{shown}" if path else shown


def _index(path: str, index: int) -> str:
    """`path[index]`."""
    return f"{path}[{index}]"


def _plain(text: str, limit: int | None = 40) -> str:
    """`text` made safe to print: shortened, control and invisible characters escaped."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return "".join(_visible(character) for character in text)


def _visible(character: str) -> str:
    """The character itself, or an escape such as `\\x1b` when it is a control character."""
    if unicodedata.category(character).startswith("C"):
        return character.encode("unicode_escape").decode("ascii")
    return character


def _quote(text: str, limit: int = 40) -> str:
    """`'text'`, safe to print."""
    return f"'{_plain(text, limit)}'"


def _describe(node: _Value | None) -> str | Message:
    """A short description of what was found, for 'expected …, got …' messages."""
    if node is None:
        return Message.of("found.nothing")
    if isinstance(node, _Mapping):
        return Message.of("found.mapping")
    if isinstance(node, _Sequence):
        return Message.of("found.list")
    if node.value is None:
        return Message.of("found.nothing")
    if isinstance(node.value, str):
        return _quote(node.value)
    return _plain(repr(node.value))


def _did_you_mean(word: str, options: Sequence[str]) -> str | Message:
    """' (did you mean 'x'?)' when one of `options` is close to `word`, else ''."""
    if len(word) > 2 * MAX_NAME_LENGTH:
        return ""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return Message.of("scenario.did_you_mean", suggestion=_quote(matches[0])) if matches else ""


def _listing(names: Sequence[str]) -> str | Message:
    """'a, b, c' (shortened after 20 names)."""
    shown = ", ".join(_plain(name) for name in names[:20])
    if len(names) > 20:
        return Message.of("scenario.listing_more", names=shown, count=len(names) - 20)
    return shown


def _is_absent(node: _Value | None) -> bool:
    """True for a key that is missing or given as null (`key:` with nothing after it)."""
    return node is None or (isinstance(node, _Scalar) and node.value is None)


def _has_control_characters(text: str) -> bool:
    """True when `text` holds control, format (invisible) or surrogate characters."""
    return any(unicodedata.category(character) in ("Cc", "Cf", "Cs") for character in text)


# --------------------------------------------------------------------------- value checks


def _expect_mapping(ctx: _Context, node: _Value | None, path: str, what: str | Message = "") -> _Mapping:
    """The node as a mapping, or an error saying what was found instead."""
    if isinstance(node, _Mapping):
        return node
    expected = what or Message.of("what.mapping")
    raise ctx.error(Message.of("scenario.expected", what=expected, found=_describe(node)), node, path)


def _expect_sequence(ctx: _Context, node: _Value | None, path: str, what: str | Message) -> _Sequence:
    """The node as a list, or an error saying what was found instead."""
    if isinstance(node, _Sequence):
        return node
    raise ctx.error(Message.of("scenario.expected", what=what, found=_describe(node)), node, path)


def _check_keys(
    ctx: _Context, mapping: _Mapping, path: str, allowed: Sequence[str], required: Sequence[str]
) -> None:
    """Refuse unknown keys (with a hint) and report the first missing required key."""
    for key_node, _ in mapping.entries:
        key = str(key_node.value)
        if key not in allowed:
            hint = _did_you_mean(key, allowed)
            message = Message.of("scenario.unknown_key", key=_quote(key), hint=hint, keys=", ".join(allowed))
            raise ctx.error(message, key_node, _join(path, key))
    for key in required:
        if mapping.get(key) is None:
            raise ctx.error(Message.of("scenario.missing_key", key=_quote(key)), mapping, _join(path, key))


def _check_count(
    ctx: _Context, node: _Value, path: str, count: int, limit: int, one: str | Message, many: str | Message
) -> None:
    """Refuse an empty collection, or one of more than `limit` entries (`one`/`many` name them)."""
    if count == 0:
        raise ctx.error(Message.of("scenario.none_given", one=one), node, path)
    if count > limit:
        raise ctx.error(Message.of("scenario.too_many", many=many, count=count, limit=limit), node, path)


def _text_of(node: _Value | None) -> str | None:
    """The node's text when it is a text scalar, else None."""
    if isinstance(node, _Scalar) and isinstance(node.value, str):
        return node.value
    return None


def _word_of(node: _Value | None) -> str | None:
    """The node's text, with a whole number or a true/false from Python data spelled as YAML writes it."""
    if isinstance(node, _Scalar) and isinstance(node.value, bool):
        return "true" if node.value else "false"
    if isinstance(node, _Scalar) and isinstance(node.value, int):
        return str(node.value)
    return _text_of(node)


def _name(ctx: _Context, node: _Value | None, path: str, pattern: re.Pattern[str] = _NAME_RE) -> str:
    """A name: letters, digits, _ and ' (starting with a letter), at most 32 characters."""
    text = _text_of(node)
    if text is None or not pattern.fullmatch(text):
        raise ctx.error(Message.of("scenario.bad_name", found=_describe(node)), node, path)
    if len(text) > MAX_NAME_LENGTH:
        raise ctx.error(Message.of("scenario.name_too_long", name=_quote(text), limit=MAX_NAME_LENGTH), node, path)
    return text


def _number(ctx: _Context, node: _Value | None, path: str) -> float:
    """A finite number of at most 1e6 in size, read from its text (`0.1`, `-2`, `1e-3`, `.5`)."""
    raw = node.value if isinstance(node, _Scalar) else None
    if isinstance(raw, str) and _NUMBER_RE.fullmatch(raw):
        number = float(raw)
    elif isinstance(raw, Real) and not isinstance(raw, bool):
        try:
            number = float(raw)
        except (OverflowError, ValueError, TypeError):
            number = math.inf
    else:
        raise ctx.error(Message.of("scenario.expected_number", found=_describe(node)), node, path)
    if math.isnan(number):
        raise ctx.error(Message.of("scenario.expected_number", found=_describe(node)), node, path)
    if not math.isfinite(number) or abs(number) > MAX_ABS_NUMBER:
        message = Message.of("scenario.number_too_large", found=_describe(node))
        raise ctx.error(message, node, path)
    return number


def _choice(ctx: _Context, node: _Value | None, path: str, options: Sequence[str], what: str | Message) -> str:
    """One of `options`, with a hint for near misses."""
    text = _text_of(node)
    if text is None or text not in options:
        hint = _did_you_mean(text, options) if text is not None else ""
        found = _describe(node)
        message = Message.of("scenario.expected_choice", what=what, options=", ".join(options), found=found, hint=hint)
        raise ctx.error(message, node, path)
    return text


def _free_text(ctx: _Context, node: _Value | None, path: str, max_length: int) -> str:
    """Free text on one line: no control characters, at most `max_length` characters."""
    text = _text_of(node)
    if text is None:
        raise ctx.error(Message.of("scenario.expected_text", found=_describe(node)), node, path)
    if len(text) > max_length:
        raise ctx.error(Message.of("scenario.text_too_long", length=len(text), limit=max_length), node, path)
    if _has_control_characters(text):
        raise ctx.error(Message.of("scenario.control_characters"), node, path)
    return text


# --------------------------------------------------------------------------- sections


def _build_scenario(root: _Value | None, ctx: _Context) -> Scenario:
    """Validate the whole located tree and build the Scenario."""
    if _is_absent(root):
        message = Message.of("scenario.empty", keys=", ".join(TOP_REQUIRED))
        raise ctx.error(message, _Scalar(None, 1, 1))
    top = _expect_mapping(ctx, root, "", Message.of("what.top_level"))
    if not _is_absent(top.get("expression")):  # an expression scenario: bptutor.load and the commands read it
        raise ctx.error(Message.of("custom.expression_scenario"), top.key_node("expression"), "expression")
    if top.get("shape") is not None:  # the compact form: shape, activation, init instead of layers
        from bptutor.loading.compact import compact_scenario

        return compact_scenario(top, ctx)
    samples_node = top.get("samples")
    required = TOP_REQUIRED if _is_absent(samples_node) else tuple(k for k in TOP_REQUIRED if k not in ("inputs", "targets"))
    _check_keys(ctx, top, "", TOP_KEYS, required)
    name = _name(ctx, top.get("name"), "name", _SCENARIO_NAME_RE)
    title, titles = _titles(ctx, top.get("title"))
    pending = None
    if _is_absent(samples_node):
        inputs = _named_numbers(ctx, top.get("inputs"), "inputs", MAX_INPUTS)
    else:
        pending, inputs = _sample_inputs(ctx, top, samples_node)  # type: ignore[arg-type]
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
    learning_rate = _learning_rate(ctx, top.get("learning_rate"), layer_names, parameter_names)
    frozen = _frozen(ctx, top.get("frozen"), parameter_names)
    notation = _notation(ctx, top.get("notation"))
    rounding = _rounding(ctx, top.get("rounding"))
    conventions = _conventions(ctx, top)
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


def _sample_inputs(ctx: _Context, top: _Mapping, samples_node: _Value) -> tuple[object, tuple[_NamedNumber, ...]]:
    """With `samples`, the inputs are named by the samples (`inputs`/`targets` may not be given too)."""
    from bptutor.loading import training as loader_training

    for key in ("inputs", "targets"):
        if not _is_absent(top.get(key)):
            raise ctx.error(Message.of("scenario.samples_and_inputs", key=key), top.key_node(key), key)
    pending = loader_training.read_samples(ctx, samples_node)
    outputs: list[str] = []
    layers_node = top.get("layers")
    if isinstance(layers_node, _Sequence) and layers_node.items and isinstance(layers_node.items[-1], _Mapping):
        neurons = layers_node.items[-1].get("neurons")
        if isinstance(neurons, _Mapping):
            outputs = [str(key.value) for key, _ in neurons.entries]
    names = loader_training.input_names(ctx, pending, outputs)
    if len(names) > MAX_INPUTS:
        message = Message.of("scenario.too_many", many=Message.of("count.inputs"), count=len(names), limit=MAX_INPUTS)
        raise ctx.error(message, samples_node, "samples")
    key = _Scalar("samples", getattr(samples_node, "line", None), getattr(samples_node, "column", None))
    first = pending.inputs[0] if pending.inputs else None
    values = first if first is not None else tuple(
        pending.rows[0][pending.columns.index(name)] for name in names
    )
    return pending, tuple(_NamedNumber(name, value, key) for name, value in zip(names, values))


def _sample_targets(ctx: _Context, pending: object, inputs: tuple[_NamedNumber, ...], output_layer: Layer, loss: str) -> tuple[object, tuple[tuple[str, float], ...]]:
    from bptutor.loading import training as loader_training

    samples = loader_training.finish(ctx, pending, [entry.name for entry in inputs], output_layer)  # type: ignore[arg-type]
    loader_training.check_targets(ctx, pending.node, loss, samples.targets, "samples")  # type: ignore[attr-defined]
    names = [neuron.name for neuron in output_layer.neurons]
    return samples, tuple(zip(names, samples.targets[0]))


def _training_parts(ctx: _Context, top: _Mapping, layers: Sequence[Layer], loss: str | CustomLoss, targets: tuple[tuple[str, float], ...]) -> tuple[object, object]:
    """The training section, the optimizer, and the checks that tie the loss to the output layer."""
    from bptutor.loading import training as loader_training

    custom = not isinstance(loss, str) or any(not isinstance(layer.activation, str) for layer in layers)
    for key in TRAINING_KEYS:
        if custom and not _is_absent(top.get(key)):  # the vectorised path knows the built-in functions only
            raise ctx.error(Message.of("custom.not_for_training"), top.key_node(key), key)
    loader_training.check_loss_and_outputs(ctx, top, layers, loss)
    if _is_absent(top.get("samples")):
        loader_training.check_targets(ctx, top.get("targets"), loss, [[value for _, value in targets]], "targets")
    training = loader_training.training(ctx, top.get("training"))
    optimizer = loader_training.optimizer(ctx, top.get("optimizer"), top.get("weight_decay"))
    plain = _is_absent(top.get("samples")) and training is None and optimizer.name == "sgd" and not optimizer.weight_decay
    loader_training.check_rounding(ctx, top, loss, not _is_absent(top.get("rounding")), plain)
    return training, optimizer


_NAMED_NUMBERS_WORDS = MappingProxyType({  # section → message keys: what it must be, one entry, several
    "inputs": ("what.input_numbers", "count.input", "count.inputs"),
    "parameters": ("what.parameter_numbers", "count.parameter", "count.parameters"),
})


def _named_numbers(ctx: _Context, node: _Value | None, path: str, limit: int) -> tuple[_NamedNumber, ...]:
    """`inputs` or `parameters`: a mapping name → number, 1..limit entries."""
    what, one, many = (Message.of(key) for key in _NAMED_NUMBERS_WORDS[path])
    mapping = _expect_mapping(ctx, node, path, what)
    _check_count(ctx, mapping, path, len(mapping.entries), limit, one, many)
    entries = []
    for key_node, value in mapping.entries:
        entry_path = _join(path, str(key_node.value))
        entry_name = _name(ctx, key_node, entry_path)
        entries.append(_NamedNumber(entry_name, _number(ctx, value, entry_path), key_node))
    return tuple(entries)


def _check_inputs_and_parameters_differ(
    ctx: _Context, inputs: tuple[_NamedNumber, ...], parameters: tuple[_NamedNumber, ...]
) -> None:
    """An input and a parameter may not share a name."""
    input_names = {entry.name for entry in inputs}
    for parameter in parameters:
        if parameter.name in input_names:
            message = Message.of("scenario.input_is_parameter", name=_quote(parameter.name))
            raise ctx.error(message, parameter.key, _join("parameters", parameter.name))


def _network(
    ctx: _Context, node: _Value | None, inputs: tuple[_NamedNumber, ...], parameters: tuple[_NamedNumber, ...]
) -> _Network:
    """`layers`: 1..16 layers; each neuron's weights come from the inputs or the previous layer."""
    sequence = _expect_sequence(ctx, node, "layers", Message.of("what.layers"))
    one, many = Message.of("count.layer"), Message.of("count.layers")
    _check_count(ctx, sequence, "layers", len(sequence.items), MAX_LAYERS, one, many)
    taken: dict[str, Message] = {entry.name: Message.of("owner.input") for entry in inputs}
    taken.update({entry.name: Message.of("owner.parameter") for entry in parameters})
    parameter_names = frozenset(entry.name for entry in parameters)
    layers: list[Layer] = []
    neuron_keys: dict[str, tuple[_Scalar, str]] = {}
    layer_paths: dict[str, str] = {}
    for index, layer_node in enumerate(sequence.items):
        path = _index("layers", index)
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
        hint = _did_you_mean(source, self.names)
        names = _listing(self.names)
        if self.first_layer:
            return Message.of(
                "scenario.not_an_input",
                neuron=neuron,
                source=_quote(source),
                hint=hint,
                layer=_quote(layer),
                names=names,
            )
        return Message.of(
            "scenario.not_previous_layer",
            neuron=neuron,
            source=_quote(source),
            previous=_quote(self.previous_layer),
            hint=hint,
            layer=_quote(layer),
            names=names,
        )


def _layer(
    ctx: _Context,
    node: _Value,
    path: str,
    layer_paths: dict[str, str],
    sources: _WeightSources,
    taken: dict[str, Message],
    parameter_names: frozenset[str],
    neuron_keys: dict[str, tuple[_Scalar, str]],
) -> Layer:
    """One layer: name (unique), activation, optional slope (leaky_relu only), neurons."""
    mapping = _expect_mapping(ctx, node, path, Message.of("what.layer"))
    _check_keys(ctx, mapping, path, LAYER_KEYS, LAYER_REQUIRED)
    name_node = mapping.get("name")
    layer_name = _name(ctx, name_node, f"{path}.name")
    if layer_name in layer_paths:
        message = Message.of("scenario.layer_name_used", name=_quote(layer_name), path=layer_paths[layer_name])
        raise ctx.error(message, name_node, f"{path}.name")
    layer_paths[layer_name] = path
    activation_what = Message.of("what.activation")
    activation_node = mapping.get("activation")
    activation: str | CustomActivation
    if isinstance(activation_node, _Mapping):  # {expression: "t / 10", variable: t}
        from bptutor.loading.custom import custom_activation

        activation = custom_activation(ctx, activation_node, f"{path}.activation")
    else:
        activation = _choice(ctx, activation_node, f"{path}.activation", ACTIVATIONS + LAYER_ACTIVATIONS, activation_what)
    slope = _slope(ctx, mapping.get("slope"), f"{path}.slope", activation)
    neurons_path = f"{path}.neurons"
    neurons_node = _expect_mapping(ctx, mapping.get("neurons"), neurons_path, Message.of("what.neurons"))
    count = len(neurons_node.entries)
    one, many = Message.of("count.neuron"), Message.of("count.neurons_in_layer")
    _check_count(ctx, neurons_node, neurons_path, count, MAX_NEURONS_PER_LAYER, one, many)
    neurons = []
    for key_node, neuron_node in neurons_node.entries:
        neuron_path = _join(neurons_path, str(key_node.value))
        neuron_name = _name(ctx, key_node, neuron_path)
        if neuron_name in taken:
            message = Message.of("scenario.name_taken", name=_quote(neuron_name), owner=taken[neuron_name])
            raise ctx.error(message, key_node, neuron_path)
        taken[neuron_name] = Message.of("owner.neuron", layer=_quote(layer_name))
        neuron_keys[neuron_name] = (key_node, neuron_path)
        neurons.append(_neuron(ctx, neuron_name, neuron_node, neuron_path, layer_name, sources, parameter_names))
    return Layer(name=layer_name, activation=activation, neurons=tuple(neurons), slope=slope)


def _loss(ctx: _Context, node: _Value | None) -> str | CustomLoss:
    """A built-in loss by name, or a custom loss term: {expression: "(t - o)**2 / 2", target: t, output: o}."""
    if isinstance(node, _Mapping):
        from bptutor.loading.custom import custom_loss

        return custom_loss(ctx, node, "loss")
    return _choice(ctx, node, "loss", ALL_LOSSES, Message.of("what.loss"))


def _slope(ctx: _Context, node: _Value | None, path: str, activation: str | CustomActivation) -> float:
    """The leaky_relu slope (default DEFAULT_LEAKY_SLOPE); refused for other activations."""
    if _is_absent(node):
        return DEFAULT_LEAKY_SLOPE
    if activation != "leaky_relu":
        message = Message.of("scenario.slope_not_leaky", activation=_quote(str(activation)))
        raise ctx.error(message, node, path)
    return _number(ctx, node, path)


def _neuron(
    ctx: _Context,
    neuron_name: str,
    node: _Value,
    path: str,
    layer_name: str,
    sources: _WeightSources,
    parameter_names: frozenset[str],
) -> Neuron:
    """One neuron: `weights` (source → parameter, at least one) and an optional `bias`."""
    mapping = _expect_mapping(ctx, node, path, Message.of("what.neuron"))
    _check_keys(ctx, mapping, path, NEURON_KEYS, NEURON_REQUIRED)
    uses: dict[str, Message] = {}  # parameter → how this neuron already uses it
    bias: str | None = None
    weights: list[tuple[str, str]] = []
    for key_node, value in mapping.entries:
        if key_node.value == "bias":
            if not _is_absent(value):
                role = Message.of("role.bias")
                bias = _parameter_use(ctx, value, f"{path}.bias", neuron_name, role, uses, parameter_names)
            continue
        weights_path = f"{path}.weights"
        weights_node = _expect_mapping(ctx, value, weights_path, Message.of("what.weights"))
        if not weights_node.entries:
            raise ctx.error(Message.of("scenario.needs_weight", neuron=neuron_name), weights_node, weights_path)
        for source_node, parameter_node in weights_node.entries:
            source = str(source_node.value)
            weight_path = _join(weights_path, source)
            if source not in sources.names:
                raise ctx.error(sources.refusal(neuron_name, source, layer_name), source_node, weight_path)
            role = Message.of("role.weight", source=source)
            parameter = _parameter_use(ctx, parameter_node, weight_path, neuron_name, role, uses, parameter_names)
            weights.append((source, parameter))
    return Neuron(name=neuron_name, weights=tuple(weights), bias=bias)


def _parameter_use(
    ctx: _Context,
    node: _Value,
    path: str,
    neuron_name: str,
    role: Message,
    uses: dict[str, Message],
    parameter_names: frozenset[str],
) -> str:
    """A parameter name used by a neuron: it must have a value and not be used twice by this neuron."""
    parameter = _name(ctx, node, path)
    if parameter not in parameter_names:
        hint = _did_you_mean(parameter, sorted(parameter_names))
        message = Message.of("scenario.parameter_without_value", name=_quote(parameter), neuron=neuron_name, hint=hint)
        raise ctx.error(message, node, path)
    if parameter in uses:
        first = uses[parameter]
        message = Message.of(
            "scenario.parameter_used_twice", name=_quote(parameter), neuron=neuron_name, first=first, second=role
        )
        raise ctx.error(message, node, path)
    uses[parameter] = role
    return parameter


def _check_all_parameters_used(ctx: _Context, layers: Sequence[Layer], parameters: tuple[_NamedNumber, ...]) -> None:
    """Every parameter given a value must be a weight or a bias somewhere."""
    used: set[str] = set()
    for layer in layers:
        for neuron in layer.neurons:
            used.update(parameter for _, parameter in neuron.weights)
            if neuron.bias is not None:
                used.add(neuron.bias)
    for parameter in parameters:
        if parameter.name not in used:
            message = Message.of("scenario.parameter_unused", name=_quote(parameter.name))
            raise ctx.error(message, parameter.key, _join("parameters", parameter.name))


def _targets(ctx: _Context, node: _Value | None, output_layer: Layer) -> tuple[tuple[str, float], ...]:
    """`targets`: exactly one number per neuron of the last layer, returned in that layer's order."""
    mapping = _expect_mapping(ctx, node, "targets", Message.of("what.targets"))
    outputs = [neuron.name for neuron in output_layer.neurons]
    given_names = [str(key_node.value) for key_node, _ in mapping.entries]
    missing = [name for name in outputs if name not in given_names]
    values: dict[str, float] = {}
    for key_node, value in mapping.entries:
        name = str(key_node.value)
        if name not in outputs:
            extra = [given for given in given_names if given not in outputs]
            also_missing = Message.of("scenario.targets_also_missing", names=_listing(missing)) if missing else ""
            message = Message.of(
                "scenario.targets_not_outputs",
                layer=_quote(output_layer.name),
                outputs=_listing(outputs),
                extra=_listing(extra),
                hint=_did_you_mean(name, outputs),
                missing=also_missing,
            )
            raise ctx.error(message, key_node, _join("targets", name))
        values[name] = _number(ctx, value, _join("targets", name))
    if missing:
        message = Message.of("scenario.missing_targets", names=_listing(missing), layer=_quote(output_layer.name))
        raise ctx.error(message, mapping, "targets")
    return tuple((name, values[name]) for name in outputs)


def _learning_rate(
    ctx: _Context, node: _Value | None, layer_names: Sequence[str], parameter_names: Sequence[str]
) -> LearningRate:
    """A number, or a mapping {default: η, <layer>: η, <parameter>: η}."""
    if not isinstance(node, _Mapping):
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
        path = _join("learning_rate", key)
        if key == "default":
            default = _rate(ctx, value, path)
        elif key in layers and key in parameters:
            message = Message.of("scenario.rate_key_ambiguous", key=_quote(key))
            raise ctx.error(message, key_node, path)
        elif key in layers:
            by_layer.append((key, _rate(ctx, value, path)))
        elif key in parameters:
            by_parameter.append((key, _rate(ctx, value, path)))
        else:
            hint = _did_you_mean(key, [*layer_names, *parameter_names, "default"])
            message = Message.of("scenario.rate_key_unknown", key=_quote(key), hint=hint, layers=_listing(layer_names))
            raise ctx.error(message, key_node, path)
    return LearningRate(default=default, by_layer=tuple(by_layer), by_parameter=tuple(by_parameter))


def _rate(ctx: _Context, node: _Value | None, path: str) -> float:
    """A learning rate: a number greater than 0 and at most 100."""
    if isinstance(node, (_Mapping, _Sequence)) or _is_absent(node):
        message = Message.of("scenario.expected_rate", found=_describe(node))
        raise ctx.error(message, node, path)
    rate = _number(ctx, node, path)
    if rate <= 0:
        raise ctx.error(Message.of("scenario.rate_not_positive", found=_describe(node)), node, path)
    if rate > MAX_LEARNING_RATE:
        raise ctx.error(Message.of("scenario.rate_too_large", found=_describe(node)), node, path)
    return rate


def _frozen(ctx: _Context, node: _Value | None, parameter_names: Sequence[str]) -> tuple[str, ...]:
    """`frozen`: a list of distinct parameter names (absent or null: none)."""
    if _is_absent(node):
        return ()
    sequence = _expect_sequence(ctx, node, "frozen", Message.of("what.frozen"))
    known = frozenset(parameter_names)
    frozen: list[str] = []
    for index, item in enumerate(sequence.items):
        path = _index("frozen", index)
        parameter = _name(ctx, item, path)
        if parameter not in known:
            hint = _did_you_mean(parameter, parameter_names)
            message = Message.of("scenario.not_a_parameter", name=_quote(parameter), hint=hint)
            raise ctx.error(message, item, path)
        if parameter in frozen:
            raise ctx.error(Message.of("scenario.frozen_twice", name=_quote(parameter)), item, path)
        frozen.append(parameter)
    return tuple(frozen)


def _titles(ctx: _Context, node: _Value | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """`title`: one line of text, or a mapping of languages to lines ({en: …, zh: …})."""
    if _is_absent(node):
        return "", ()
    if not isinstance(node, _Mapping):
        return _free_text(ctx, node, "title", MAX_TITLE_LENGTH), ()
    _check_keys(ctx, node, "title", LANGUAGES, ())
    titles = tuple(
        (lang, _free_text(ctx, node.get(lang), _join("title", lang), MAX_TITLE_LENGTH))
        for lang in LANGUAGES
        if not _is_absent(node.get(lang))
    )
    by_language = dict(titles)
    return by_language.get("en", titles[0][1] if titles else ""), titles


def _conventions(ctx: _Context, top: _Mapping) -> Conventions:
    """The convention keys: error_term, hidden_error_weights, bias, update_biases (each optional)."""
    defaults = Conventions()
    chosen: dict[str, object] = {}
    for key, options in (("error_term", ERROR_TERMS), ("hidden_error_weights", HIDDEN_ERROR_WEIGHTS), ("bias", BIAS_FORMS)):
        node = top.get(key)
        if not _is_absent(node):
            chosen[key] = _choice(ctx, node, key, options, Message.of("what.convention", key=key))
    update_node = top.get("update_biases")
    if not _is_absent(update_node):
        text = _word_of(update_node)
        if text not in ("true", "false"):
            expected = Message.of("scenario.expected", what=Message.of("what.true_or_false"), found=_describe(update_node))
            raise ctx.error(expected, update_node, "update_biases")
        chosen["update_biases"] = text == "true"
    return replace(defaults, **chosen)  # type: ignore[arg-type]


def _rounding(ctx: _Context, node: _Value | None) -> Rounding | None:
    """`rounding`: decimals kept for each kind of value, and the method (absent: full precision)."""
    if _is_absent(node):
        return None
    mapping = _expect_mapping(ctx, node, "rounding", Message.of("what.rounding"))
    _check_keys(ctx, mapping, "rounding", (*ROUNDING_KINDS, "method"), ())
    decimals: dict[str, int] = {}
    for kind in ROUNDING_KINDS:
        item = mapping.get(kind)
        if _is_absent(item):
            continue
        path = _join("rounding", kind)
        text = _word_of(item)
        if text is None or not text.isascii() or not text.isdigit() or not 0 <= int(text) <= MAX_DECIMALS:
            what = Message.of("what.decimals", most=MAX_DECIMALS)
            raise ctx.error(Message.of("scenario.expected", what=what, found=_describe(item)), item, path)
        decimals[kind] = int(text)
    method_node = mapping.get("method")
    method = "half_up"
    if not _is_absent(method_node):
        method = _choice(ctx, method_node, _join("rounding", "method"), ROUNDING_METHODS, Message.of("what.rounding_method"))
    return Rounding(**decimals, method=method)


# --------------------------------------------------------------------------- notation


def _notation(ctx: _Context, node: _Value | None) -> _ParsedNotation:
    """A preset name, or a mapping of templates over a preset (default in_out)."""
    if _is_absent(node):
        return _ParsedNotation(NOTATION_PRESETS[DEFAULT_PRESET], {})
    presets = tuple(NOTATION_PRESETS)
    if not isinstance(node, _Mapping):
        if _text_of(node) is None:
            message = Message.of("scenario.expected_notation", presets=", ".join(presets), found=_describe(node))
            raise ctx.error(message, node, "notation")
        preset = _choice(ctx, node, "notation", presets, Message.of("what.notation_preset"))
        return _ParsedNotation(NOTATION_PRESETS[preset], {field: (node, "notation") for field in NOTATION_TEMPLATES})
    _check_keys(ctx, node, "notation", NOTATION_KEYS, ())
    preset_node = node.get("preset")
    preset = DEFAULT_PRESET
    if not _is_absent(preset_node):
        preset = _choice(ctx, preset_node, "notation.preset", presets, Message.of("what.notation_preset"))
    base = NOTATION_PRESETS[preset]
    templates = {field: getattr(base, field) for field in NOTATION_TEMPLATES}
    spots: dict[str, tuple[_Value | None, str]] = {}
    for field in NOTATION_TEMPLATES:
        template_node = node.get(field)
        if _is_absent(template_node):
            spots[field] = (node, "notation")
            continue
        path = f"notation.{field}"
        templates[field] = _template(ctx, template_node, path, allow_neuron=field != "loss")
        spots[field] = (template_node, path)
    return _ParsedNotation(Notation(preset=preset, **templates), spots)


def _template(ctx: _Context, node: _Value, path: str, allow_neuron: bool) -> str:
    """A name template: no spaces or control characters; braces only as `{n}` (when allowed)."""
    text = _text_of(node)
    if text is None or not text:
        raise ctx.error(Message.of("scenario.expected_template", found=_describe(node)), node, path)
    if any(unicodedata.category(character)[0] in "CZ" for character in text):
        raise ctx.error(Message.of("scenario.name_has_spaces", text=_quote(text)), node, path)
    rest = text.replace(_NEURON_PLACEHOLDER, "") if allow_neuron else text
    if "{" in rest or "}" in rest:
        if allow_neuron:
            message = Message.of("scenario.template_braces", text=_quote(text))
        else:
            message = Message.of("scenario.loss_name_braces", text=_quote(text))
        raise ctx.error(message, node, path)
    if len(rest) > MAX_NOTATION_NAME_LENGTH:
        message = Message.of("scenario.name_too_long", name=_quote(text), limit=MAX_NOTATION_NAME_LENGTH)
        raise ctx.error(message, node, path)
    return text


def _check_shown_names(
    ctx: _Context,
    parsed: _ParsedNotation,
    inputs: tuple[_NamedNumber, ...],
    parameters: tuple[_NamedNumber, ...],
    network: _Network,
) -> None:
    """Every name shown to the student (inputs, parameters, and the quantities the notation
    names) must be at most 40 characters and stand for one thing only."""
    notation = parsed.notation
    seen: dict[str, tuple[Message, _Value | None, str]] = {}

    def claim(shown: str, meaning: Message, at: _Value | None, field: str) -> None:
        if len(shown) > MAX_NOTATION_NAME_LENGTH:
            limit = MAX_NOTATION_NAME_LENGTH
            message = Message.of("scenario.shown_name_too_long", name=_quote(shown, 60), meaning=meaning, limit=limit)
            raise ctx.error(message, at, field)
        if shown in seen:
            first_meaning, first_at, first_field = seen[shown]
            here_at, here_field = (at, field) if at is not None else (first_at, first_field)
            message = Message.of("scenario.name_clash", name=_quote(shown), first=first_meaning, second=meaning)
            raise ctx.error(message, here_at, here_field)
        seen[shown] = (meaning, at, field)

    def spot(template_field: str, neuron: str) -> tuple[_Value | None, str]:
        if template_field in parsed.spots:
            return parsed.spots[template_field]
        return network.neuron_keys[neuron]

    for entry in inputs:
        claim(entry.name, Message.of("meaning.input", name=entry.name), entry.key, _join("inputs", entry.name))
    for entry in parameters:
        claim(entry.name, Message.of("meaning.parameter", name=entry.name), entry.key, _join("parameters", entry.name))
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
