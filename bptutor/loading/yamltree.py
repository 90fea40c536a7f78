"""The located-YAML toolkit every reader of a user's file shares (scenarios, answers, CSV samples).

Reading is safe before it is clever. A file is checked before it is read (it must be
a regular file of at most its reader's limit) and again after (it may have grown in
between). YAML text is only *composed* into nodes by `LocatedYamlLoader`, a
`yaml.SafeLoader` subclass, and never constructed into Python objects: anchors,
aliases and tags are refused as soon as the parser meets them, the nesting depth is
capped, and numbers stay the text they were written as (YAML 1.1's implicit typing
would read `no` as false and `1e-3` as a string).

That pure-Python loader is the reference, and slow (about 2 ms for a small scenario).
When PyYAML has libyaml, `parse_yaml` first composes from libyaml's events, ten times
quicker, and keeps the result only for texts on which the two are known to agree node
for node, line and column; every other text, and every problem, goes to the reference,
so every message is its message (`_compose_with_libyaml` lists where they differ).

The composed nodes become a small located tree (`LocatedScalar`, `LocatedMapping`,
`LocatedSequence`) that remembers 1-based line and column; `from_python` builds the
same tree from a Python dict, without positions, so both paths share one validator.
A `Context` turns a problem at a node into one `ScenarioError` carrying file, line,
column and the field path (`layers[1].neurons.o1`, built with `key_path` and `index_path`).
`build_from_text` and `build_from_data` run a reader's `build` on either kind of source.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from numbers import Real
from typing import Protocol, TypeVar

import yaml

try:  # PyYAML's binding of libyaml; absent when PyYAML was built without it
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML's wheels ship it
    _LibyamlParser: type[_CParser] | None = None
else:
    _LibyamlParser = _CParser

from bptutor.errors import Location, ScenarioError, printable
from bptutor.i18n import Message
from bptutor.records import dataclass

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 20
MAX_NAME_LENGTH = 32  # the longest name a file may give; field paths and hints show a little more
NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
ANCHOR_MESSAGE = Message.of("scenario.anchors")
TOO_DEEP_MESSAGE = Message.of("scenario.too_deep", depth=MAX_DEPTH)
_NULL_TAG = "tag:yaml.org,2002:null"
Built = TypeVar("Built")
_STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"


# --------------------------------------------------------------------------- located tree


@dataclass(frozen=True)
class LocatedScalar:
    """A single value. From YAML: its source text, or None for null. From Python: the value."""

    value: str | bool | int | float | Real | None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class LocatedMapping:
    """Key/value pairs in the order written; keys are `LocatedScalar`s holding text."""

    entries: tuple[tuple[LocatedScalar, LocatedValue], ...]
    line: int | None = None
    column: int | None = None

    def get(self, key: str) -> LocatedValue | None:
        """The value of `key`, or None when the key is not there."""
        for key_node, value in self.entries:
            if key_node.value == key:
                return value
        return None

    def key_node(self, key: str) -> LocatedScalar | None:
        """The node of the key itself (for messages about the key)."""
        for key_node, _ in self.entries:
            if key_node.value == key:
                return key_node
        return None


@dataclass(frozen=True)
class LocatedSequence:
    """A list of values in the order written."""

    items: tuple[LocatedValue, ...]
    line: int | None = None
    column: int | None = None


LocatedValue = LocatedScalar | LocatedMapping | LocatedSequence


@dataclass(frozen=True)
class Context:
    """What every check needs to report a problem: the source's name (and its text, to place expressions in it)."""

    source: str
    text: str = ""

    def error(self, message: str | Message, at: LocatedValue | None, field: str = "") -> ScenarioError:
        """A ScenarioError located at the node `at` (no position when `at` is None)."""
        line = at.line if at is not None else None
        column = at.column if at is not None else None
        return ScenarioError(message, Location(self.source, line, column), field)


# --------------------------------------------------------------------------- reading files


MISSING, UNREADABLE, DIRECTORY, NOT_REGULAR, TOO_LARGE, GREW = (
    "missing",
    "unreadable",
    "directory",
    "not_regular",
    "too_large",
    "grew",
)


@dataclass(frozen=True)
class FileProblem:
    """Why a file could not be read: `kind` is one of MISSING … GREW; `reason` (UNREADABLE), `size` (TOO_LARGE)."""

    kind: str
    reason: str = ""
    size: int = 0


def read_bytes(path: str | os.PathLike[str], limit: int, refuse: Callable[[FileProblem], ScenarioError]) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them, checked before and after reading.

    Every problem is handed to `refuse`, which words it for its reader; the error it returns is raised.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise refuse(FileProblem(MISSING)) from None
    except (OSError, ValueError) as problem:
        raise refuse(FileProblem(UNREADABLE, reason=os_reason(problem))) from None
    if stat.S_ISDIR(info.st_mode):
        raise refuse(FileProblem(DIRECTORY, reason=os.strerror(errno.EISDIR)))
    if not stat.S_ISREG(info.st_mode):
        raise refuse(FileProblem(NOT_REGULAR))
    if info.st_size > limit:
        raise refuse(FileProblem(TOO_LARGE, size=info.st_size))
    try:  # without blocking, and checked again on the open file: a FIFO swapped in after the stat is not read
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            opened = os.fstat(handle.fileno())
            if not stat.S_ISREG(opened.st_mode):
                raise refuse(FileProblem(NOT_REGULAR))
            data = handle.read(limit + 1)
    except (OSError, ValueError) as problem:
        raise refuse(FileProblem(UNREADABLE, reason=os_reason(problem))) from None
    if len(data) > limit:  # the file grew between the check and the read
        raise refuse(FileProblem(GREW))
    if data and opened.st_size == 0:  # a pseudo-file (/proc/self/environ) that reports no size: never a user's data
        raise refuse(FileProblem(NOT_REGULAR))
    return data


def read_text(path: str | os.PathLike[str], source: str) -> str:
    """The UTF-8 text of a scenario file (at most MAX_FILE_BYTES); `source` names it in messages."""
    return decode_utf8(read_bytes(path, MAX_FILE_BYTES, _scenario_file_refusal(source)), source)


def _scenario_file_refusal(source: str) -> Callable[[FileProblem], ScenarioError]:
    """How a scenario file's problems are worded: each a ScenarioError at the file, without a line."""
    keys = {
        MISSING: "scenario.no_such_file",
        UNREADABLE: "scenario.cannot_read",
        DIRECTORY: "scenario.is_directory",
        NOT_REGULAR: "scenario.not_regular_file",
        TOO_LARGE: "scenario.file_too_large_bytes",
        GREW: "scenario.file_too_large",
    }

    def refuse(problem: FileProblem) -> ScenarioError:
        if problem.kind == UNREADABLE:
            message = Message.of(keys[problem.kind], reason=problem.reason)
        elif problem.kind == TOO_LARGE:
            message = Message.of(keys[problem.kind], size=problem.size)
        else:
            message = Message.of(keys[problem.kind])
        return ScenarioError(message, Location(source))

    return refuse


def os_reason(problem: Exception) -> str:
    """The short reason of an OS error ("Permission denied"), without repeating the path."""
    reason = getattr(problem, "strerror", None) or str(problem)
    return plain(reason, 200)


def decode_utf8(data: bytes, source: str) -> str:
    """UTF-8 text (a leading byte-order mark is dropped); anything else is an error at its line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line, column = line_and_column(data, problem.start)
        raise ScenarioError(
            Message.of("scenario.not_utf8", byte=f"{data[problem.start]:02x}"), Location(source, line, column)
        ) from None


def line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of byte `offset` of UTF-8 `data`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


# --------------------------------------------------------------------------- YAML → located tree


class LocatedYamlLoader(yaml.SafeLoader):
    """A SafeLoader used only to compose nodes: refuses anchors, aliases, tags and deep nesting."""

    def __init__(self, text: str, ctx: Context) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Check the next node's event before the base composer handles it."""
        event: yaml.NodeEvent = self.peek_event()  # type: ignore[no-untyped-call]  # types-PyYAML leaves it untyped
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise _error_at_mark(self._ctx, event.start_mark, ANCHOR_MESSAGE)
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent) and event.tag is not None:
            shown = quote(_short_tag(event.tag), 80)
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


class _Mark(Protocol):
    """Where a YAML event starts: PyYAML's pure-Python Mark and its C extension's both have these."""

    line: int
    column: int


def _error_at_mark(ctx: Context, mark: _Mark | None, message: str | Message) -> ScenarioError:
    """A ScenarioError at a yaml Mark (0-based line/column, reported 1-based)."""
    if mark is None:
        return ScenarioError(message, Location(ctx.source))
    return ScenarioError(message, Location(ctx.source, mark.line + 1, mark.column + 1))


def parse_yaml(text: str, ctx: Context) -> LocatedValue | None:
    """Compose the YAML text and convert it to the located tree (None for an empty document).

    libyaml composes it when PyYAML has it and the text is one libyaml reads exactly as the
    pure-Python loader does; any other text, and every problem, goes to the pure-Python loader,
    whose tree, message and position are the reference (`_compose_with_libyaml` says which texts).
    """
    if yaml.__with_libyaml__:
        tree = _compose_with_libyaml(text)
        if not isinstance(tree, _Unsure):
            return tree
    return _parse_pure(text, ctx)


def _parse_pure(text: str, ctx: Context) -> LocatedValue | None:
    """Compose with `LocatedYamlLoader` (pure Python) and convert; its every answer and message is the reference."""
    loader = None
    try:
        loader = LocatedYamlLoader(text, ctx)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as problem:
        raise _syntax_error(problem, ctx) from None
    except yaml.reader.ReaderError as problem:
        raise _reader_error(problem, text, ctx) from None
    except yaml.YAMLError as problem:
        raise ctx.error(Message.of("scenario.invalid_yaml", detail=plain(str(problem), 200)), None) from None
    except (ValueError, OverflowError):  # the scanner's chr() of an escape past U+10FFFF ("\U7FFFFFFF")
        assert loader is not None
        mark = loader.get_mark()  # at the escape's digits: shown at its backslash
        if text[max(0, mark.index - 2) : mark.index - 1] == "\\":
            mark.column = max(0, mark.column - 2)
        raise _error_at_mark(ctx, mark, Message.of("scenario.bad_escape")) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None
    return _from_yaml_node(node, ctx, "")


class _Unsure:
    """What `_compose_with_libyaml` answers when the pure-Python loader must read the text instead."""


_UNSURE = _Unsure()

# libyaml (0.2.5) and PyYAML's pure-Python loader (6.0) part ways on a few texts; each is left to the
# pure loader. Found by composing many texts both ways (tests/test_yaml_libyaml.py keeps doing it):
# - a text holding a character the pure reader refuses (yaml.reader.Reader.NON_PRINTABLE, which it
#   searches the whole text for before reading anything), a tab (libyaml takes `key:<TAB>value` and
#   `a<TAB>b`, the pure scanner refuses a tab where a token may start), a byte-order mark (libyaml
#   counts one inside a line as a column, the pure reader does not) or the rarely used line breaks
#   U+0085, U+2028, U+2029 (left out to be safe: nothing would be gained by trusting them);
# - a block scalar whose indicator is followed straight by a comment, `>#` (libyaml takes it);
# - a `?` inside a plain scalar in a flow collection, `[a?b]` (libyaml takes it as one item);
# - an empty value inside a flow collection, `{a: }`, or at the very end of a text that has no final
#   line break, `a:` (libyaml places it at the next token, or on a line after the last).
_MORE_PURE_ONLY_CHARACTERS = ("\t", "\ufeff", "\x85", "\u2028", "\u2029")  # beside yaml.reader's NON_PRINTABLE
# A block scalar's header as the pure scanner takes it: indicators, then a space or the line's end.
# Compiled (and kept in re's cache) at the first block scalar met, not at import: start-up counts.
_BLOCK_HEADER = r"[|>](?:[+-][1-9]?|[1-9][+-]?)?(?:[ \r\n]|\Z)"
_BLOCK_STYLES = ("|", ">")
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))  # the plain scalars YAML 1.1 resolves to null


class _Open:
    """A collection libyaml has opened and not yet closed, with what it holds so far."""

    __slots__ = ("column", "entries", "flow", "items", "key", "keys", "line", "mapping")

    def __init__(self, mapping: bool, flow: bool, line: int, column: int) -> None:
        self.mapping = mapping
        self.flow = flow
        self.line = line
        self.column = column
        self.items: list[LocatedValue] = []  # a sequence's items
        self.entries: list[tuple[LocatedScalar, LocatedValue]] = []  # a mapping's entries
        self.key: LocatedScalar | None = None  # a mapping's key waiting for its value
        self.keys: set[str] = set()  # a mapping's keys so far


def _compose_with_libyaml(text: str) -> LocatedValue | _Unsure | None:
    """The located tree of `text` composed from libyaml's events, or _UNSURE to leave it to the pure loader.

    A tree comes back only when libyaml met nothing out of the ordinary: one document without
    directives; no anchor, alias or tag; no node deeper than MAX_DEPTH; every key a scalar, given
    once; none of the texts listed above. On such a text both loaders give the same nodes at the
    same lines and columns. Anything else is _UNSURE, and so is every error libyaml raises: the pure
    loader then reads the text and gives its tree or its message, so every message, and its place,
    is the pure loader's. Events are taken one at a time and the nesting is counted as they come,
    so a hostile text is given up at its first node below MAX_DEPTH, before anything deeper is read.
    Nothing is constructed: scalars stay the text they were written as.
    """
    if _LibyamlParser is None or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return _UNSURE
    if any(character in text for character in _MORE_PURE_ONLY_CHARACTERS):
        return _UNSURE
    parser = None
    try:
        parser = _LibyamlParser(text)
        return _tree_from_events(parser, text)
    except (yaml.YAMLError, ValueError):  # whatever libyaml objects to (ValueError: text it cannot encode)
        return _UNSURE  # the pure loader words it
    finally:
        if parser is not None:
            parser.dispose()


def _tree_from_events(parser: _CParser, text: str) -> LocatedValue | _Unsure | None:
    """Compose the located tree from `parser`'s events (see `_compose_with_libyaml`)."""
    get_event = parser.get_event
    if not isinstance(get_event(), yaml.StreamStartEvent):
        return _UNSURE
    event = get_event()
    if isinstance(event, yaml.StreamEndEvent):
        return None
    if not isinstance(event, yaml.DocumentStartEvent) or event.version is not None or event.tags:
        return _UNSURE
    stack: list[_Open] = []
    node: LocatedValue
    while True:
        event = get_event()
        into = stack[-1] if stack else None
        if isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                return _UNSURE
            text_value, mark = event.value, event.start_mark
            if mark is None:
                return _UNSURE
            value: str | None = text_value
            if event.implicit[0]:  # a plain scalar
                if into is not None and into.flow and (not text_value or "?" in text_value):
                    return _UNSURE
                if not text_value and mark.index >= len(text):
                    return _UNSURE
                if (into is None or not into.mapping or into.key is not None) and text_value in _NULL_WORDS:
                    value = None  # a null value (a key keeps its text)
            elif event.style in _BLOCK_STYLES and not re.compile(_BLOCK_HEADER).match(text, mark.index):
                return _UNSURE
            node = LocatedScalar(value, mark.line + 1, mark.column + 1)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                return _UNSURE
            if into is not None and into.mapping and into.key is None:  # a key that is not a scalar
                return _UNSURE
            mark = event.start_mark
            if mark is None:
                return _UNSURE
            mapping = isinstance(event, yaml.MappingStartEvent)
            stack.append(_Open(mapping, bool(event.flow_style), mark.line + 1, mark.column + 1))
            continue
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent) and into is not None:
            stack.pop()
            if into.mapping:
                node = LocatedMapping(tuple(into.entries), into.line, into.column)
            else:
                node = LocatedSequence(tuple(into.items), into.line, into.column)
            into = stack[-1] if stack else None
        else:
            return _UNSURE  # an alias, or an event out of place
        if into is None:
            break
        if not into.mapping:
            into.items.append(node)
        elif into.key is not None:
            into.entries.append((into.key, node))
            into.key = None
        else:  # a key: a scalar (checked above) holding text
            if not isinstance(node, LocatedScalar) or not isinstance(node.value, str) or node.value in into.keys:
                return _UNSURE  # a duplicate key: the pure loader words it
            into.keys.add(node.value)
            into.key = node
    if not isinstance(get_event(), yaml.DocumentEndEvent) or not isinstance(get_event(), yaml.StreamEndEvent):
        return _UNSURE  # a second document
    return node


def _syntax_error(problem: yaml.MarkedYAMLError, ctx: Context) -> ScenarioError:
    """Turn a yaml parse error into a ScenarioError at the problem's position."""
    what: str | Message = problem.problem or problem.context or Message.of("scenario.unknown_yaml_problem")
    if problem.problem and problem.context:
        if problem.problem.startswith("but "):
            what = f"{problem.context}, {problem.problem}"
        else:
            what = f"{problem.problem} ({problem.context})"
    mark = problem.problem_mark or problem.context_mark
    detail = plain(what, 200) if isinstance(what, str) else what
    return _error_at_mark(ctx, mark, Message.of("scenario.invalid_yaml", detail=detail))


def _reader_error(problem: yaml.reader.ReaderError, text: str, ctx: Context) -> ScenarioError:
    """A character YAML does not allow (e.g. a control character), located in the text."""
    position = max(0, min(problem.position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = problem.character
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    message = Message.of("scenario.bad_character", code=f"{code:04X}", reason=problem.reason)
    return ScenarioError(message, Location(ctx.source, line, column))


def _from_yaml_node(node: yaml.Node, ctx: Context, path: str) -> LocatedValue:
    """Convert a composed node (depth already capped) to the located tree; refuse duplicate keys."""
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        return LocatedScalar(None if node.tag == _NULL_TAG else node.value, line, column)
    if isinstance(node, yaml.SequenceNode):
        items = tuple(_from_yaml_node(item, ctx, index_path(path, i)) for i, item in enumerate(node.value))
        return LocatedSequence(items, line, column)
    first_lines: dict[str, int] = {}
    entries: list[tuple[LocatedScalar, LocatedValue]] = []
    for key_node, value_node in node.value:
        key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode):
            key_at = LocatedScalar(None, key_line, key_column)
            raise ctx.error(Message.of("scenario.key_not_plain"), key_at, path)
        key = key_node.value
        key_at = LocatedScalar(key, key_line, key_column)
        if key in first_lines:
            message = Message.of("scenario.duplicate_key", key=quote(key), line=first_lines[key])
            raise ctx.error(message, key_at, key_path(path, key))
        first_lines[key] = key_line
        entries.append((key_at, _from_yaml_node(value_node, ctx, key_path(path, key))))
    return LocatedMapping(tuple(entries), line, column)


def from_python(value: object, ctx: Context, path: str, depth: int) -> LocatedValue:
    """Convert plain Python data to the located tree (without positions)."""
    if depth > MAX_DEPTH:
        raise ctx.error(TOO_DEEP_MESSAGE, None, path)
    if isinstance(value, Mapping):
        entries: list[tuple[LocatedScalar, LocatedValue]] = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise ctx.error(Message.of("scenario.key_not_text", key=repr(key)), None, path)
            entries.append((LocatedScalar(key), from_python(item, ctx, key_path(path, key), depth + 1)))
        return LocatedMapping(tuple(entries))
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        items = tuple(from_python(item, ctx, index_path(path, i), depth + 1) for i, item in enumerate(value))
        return LocatedSequence(items)
    if value is None or isinstance(value, (str, bool, Real)):
        return LocatedScalar(value)
    raise ctx.error(Message.of("scenario.unsupported_type", type=type(value).__name__), None, path)


def build_from_text(
    text: str | bytes, source: str, build: Callable[[LocatedValue | None, Context], Built]
) -> Built:
    """Compose YAML `text` (bytes must be UTF-8; at most MAX_FILE_BYTES) and hand its located tree to `build`."""
    if isinstance(text, (bytes, bytearray)):
        text = decode_utf8(bytes(text), source)
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError(Message.of("scenario.text_too_large"), Location(source))
    ctx = Context(source, text)
    try:
        return build(parse_yaml(text, ctx), ctx)
    except RecursionError:
        raise ctx.error(TOO_DEEP_MESSAGE, None) from None


def build_from_data(data: object, source: str, build: Callable[[LocatedMapping, Context], Built]) -> Built:
    """Turn a plain Python mapping into the located tree (no positions) and hand it to `build`."""
    ctx = Context(source)
    if not isinstance(data, Mapping):
        raise ctx.error(Message.of("scenario.top_not_dict", type=type(data).__name__), None)
    try:
        root = from_python(data, ctx, "", 1)
        assert isinstance(root, LocatedMapping)  # a Mapping always becomes one
        return build(root, ctx)
    except RecursionError:
        raise ctx.error(TOO_DEEP_MESSAGE, None) from None


# --------------------------------------------------------------------------- field paths and words


def key_path(path: str, key: str) -> str:
    """`path.key` (or just `key` at the top level), with unprintable characters escaped."""
    shown = plain(key, MAX_NAME_LENGTH + 8)
    return f"{path}.{shown}" if path else shown


def index_path(path: str, index: int) -> str:
    """`path[index]`."""
    return f"{path}[{index}]"


def plain(text: str, limit: int | None = 40) -> str:
    """`text` made safe to print: shortened, control and invisible characters escaped (errors.printable)."""
    return printable(text, limit)


def quote(text: str, limit: int = 40) -> str:
    """`'text'`, safe to print."""
    return f"'{plain(text, limit)}'"


def describe(node: LocatedValue | None) -> str | Message:
    """A short description of what was found, for 'expected …, got …' messages."""
    if node is None:
        return Message.of("found.nothing")
    if isinstance(node, LocatedMapping):
        return Message.of("found.mapping")
    if isinstance(node, LocatedSequence):
        return Message.of("found.list")
    if node.value is None:
        return Message.of("found.nothing")
    if isinstance(node.value, str):
        return quote(node.value)
    return plain(repr(node.value))


def did_you_mean(word: str, options: Sequence[str]) -> str | Message:
    """' (did you mean 'x'?)' when one of `options` is close to `word`, else ''."""
    if len(word) > 2 * MAX_NAME_LENGTH:
        return ""
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return Message.of("scenario.did_you_mean", suggestion=quote(matches[0])) if matches else ""


def listing(names: Sequence[str]) -> str | Message:
    """'a, b, c' (shortened after 20 names)."""
    shown = ", ".join(plain(name) for name in names[:20])
    if len(names) > 20:
        return Message.of("scenario.listing_more", names=shown, count=len(names) - 20)
    return shown


def is_absent(node: LocatedValue | None) -> bool:
    """True for a key that is missing or given as null (`key:` with nothing after it)."""
    return node is None or (isinstance(node, LocatedScalar) and node.value is None)


def has_control_characters(text: str) -> bool:
    """True when `text` holds control, format (invisible) or surrogate characters."""
    return any(unicodedata.category(character) in ("Cc", "Cf", "Cs") for character in text)


def text_of(node: LocatedValue | None) -> str | None:
    """The node's text when it is a text scalar, else None."""
    if isinstance(node, LocatedScalar) and isinstance(node.value, str):
        return node.value
    return None


def word_of(node: LocatedValue | None) -> str | None:
    """The node's text, with a whole number or a true/false from Python data spelled as YAML writes it."""
    if isinstance(node, LocatedScalar) and isinstance(node.value, bool):
        return "true" if node.value else "false"
    if isinstance(node, LocatedScalar) and isinstance(node.value, int):
        return str(node.value)
    return text_of(node)


Position = tuple[int | None, int | None]


def find_lines(text: str, lines: Sequence[str], node: LocatedValue) -> list[Position]:
    """Where each line of a scalar stands in the file's `text`: searched for from the scalar's start.

    A plain, quoted or literal-block scalar holds its lines as written, so each is found;
    when one is not (an escape inside quotes, a folded block) only the scalar's line is given.
    """
    source = text.split("\n")
    row = (node.line or 1) - 1
    start = (node.column or 1) - 1
    positions: list[Position] = []
    for line in lines:
        found = None
        if line.strip():
            for candidate in range(row, min(row + 2 * len(lines) + 2, len(source))):
                column = source[candidate].find(line, start if candidate == row else 0)
                if column >= 0:
                    found = (candidate + 1, column + 1)
                    break
        positions.append(found if found is not None else (node.line, None))
        if found is not None:
            row, start = found[0], 0  # the next line is on a later row
    return positions


__all__ = [
    "ANCHOR_MESSAGE",
    "DIRECTORY",
    "GREW",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NAME_LENGTH",
    "MISSING",
    "NOT_REGULAR",
    "NUMBER_RE",
    "TOO_DEEP_MESSAGE",
    "TOO_LARGE",
    "UNREADABLE",
    "Built",
    "Context",
    "FileProblem",
    "LocatedMapping",
    "LocatedScalar",
    "LocatedSequence",
    "LocatedValue",
    "LocatedYamlLoader",
    "Position",
    "build_from_data",
    "build_from_text",
    "decode_utf8",
    "describe",
    "did_you_mean",
    "find_lines",
    "from_python",
    "has_control_characters",
    "index_path",
    "is_absent",
    "key_path",
    "line_and_column",
    "listing",
    "os_reason",
    "parse_yaml",
    "plain",
    "quote",
    "read_bytes",
    "read_text",
    "text_of",
    "word_of",
]
