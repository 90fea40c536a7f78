"""Checks of one field of a user's file, each an error at the node it is about.

The shapes (`expect_mapping`, `expect_sequence`, `check_keys`, `check_count`) and the
values (`read_name`, `read_number`, `read_choice`, `read_free_text`) every section of a
scenario, a compact scenario, an expression document or a samples list is read with.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from numbers import Real

from bptutor.i18n import Message
from bptutor.loading.yamltree import (
    MAX_NAME_LENGTH,
    NUMBER_RE,
    Context,
    LocatedMapping,
    LocatedScalar,
    LocatedSequence,
    LocatedValue,
    describe,
    did_you_mean,
    has_control_characters,
    key_path,
    quote,
    text_of,
)

MAX_ABS_NUMBER = 1e6
MIN_ABS_NUMBER = 1e-100  # smallest non-zero size of a given number: far from float64's denormals (below 2.2e-308)
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_']*")
SCENARIO_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")


def expect_mapping(ctx: Context, node: LocatedValue | None, path: str, what: str | Message = "") -> LocatedMapping:
    """The node as a mapping, or an error saying what was found instead."""
    if isinstance(node, LocatedMapping):
        return node
    expected = what or Message.of("what.mapping")
    raise ctx.error(Message.of("scenario.expected", what=expected, found=describe(node)), node, path)


def expect_sequence(ctx: Context, node: LocatedValue | None, path: str, what: str | Message) -> LocatedSequence:
    """The node as a list, or an error saying what was found instead."""
    if isinstance(node, LocatedSequence):
        return node
    raise ctx.error(Message.of("scenario.expected", what=what, found=describe(node)), node, path)


def check_keys(
    ctx: Context, mapping: LocatedMapping, path: str, allowed: Sequence[str], required: Sequence[str]
) -> None:
    """Refuse unknown keys (with a hint) and report the first missing required key."""
    for key_node, _ in mapping.entries:
        key = str(key_node.value)
        if key not in allowed:
            hint = did_you_mean(key, allowed)
            message = Message.of("scenario.unknown_key", key=quote(key), hint=hint, keys=", ".join(allowed))
            raise ctx.error(message, key_node, key_path(path, key))
    for key in required:
        if mapping.get(key) is None:
            raise ctx.error(Message.of("scenario.missing_key", key=quote(key)), mapping, key_path(path, key))


def check_count(
    ctx: Context, node: LocatedValue, path: str, count: int, limit: int, one: str | Message, many: str | Message
) -> None:
    """Refuse an empty collection, or one of more than `limit` entries (`one`/`many` name them)."""
    if count == 0:
        raise ctx.error(Message.of("scenario.none_given", one=one), node, path)
    if count > limit:
        raise ctx.error(Message.of("scenario.too_many", many=many, count=count, limit=limit), node, path)


def read_name(ctx: Context, node: LocatedValue | None, path: str, pattern: re.Pattern[str] = NAME_RE) -> str:
    """A name: letters, digits, _ and ' (starting with a letter), at most 32 characters."""
    text = text_of(node)
    if text is None or not pattern.fullmatch(text):
        raise ctx.error(Message.of("scenario.bad_name", found=describe(node)), node, path)
    if len(text) > MAX_NAME_LENGTH:
        raise ctx.error(Message.of("scenario.name_too_long", name=quote(text), limit=MAX_NAME_LENGTH), node, path)
    return text


def read_number(ctx: Context, node: LocatedValue | None, path: str) -> float:
    """A finite number of at most 1e6 in size, read from its text (`0.1`, `-2`, `1e-3`, `.5`)."""
    raw = node.value if isinstance(node, LocatedScalar) else None
    if isinstance(raw, str) and NUMBER_RE.fullmatch(raw):
        number = float(raw)
    elif isinstance(raw, Real) and not isinstance(raw, bool):
        try:
            number = float(raw)
        except (OverflowError, ValueError, TypeError):
            number = math.inf
    else:
        raise ctx.error(Message.of("scenario.expected_number", found=describe(node)), node, path)
    if math.isnan(number):
        raise ctx.error(Message.of("scenario.expected_number", found=describe(node)), node, path)
    if not math.isfinite(number) or abs(number) > MAX_ABS_NUMBER:
        message = Message.of("scenario.number_too_large", found=describe(node))
        raise ctx.error(message, node, path)
    if number != 0 and abs(number) < MIN_ABS_NUMBER:  # a denormal (1e-320) loses its digits and overflows ratios
        raise ctx.error(Message.of("scenario.number_too_small", found=describe(node), least=MIN_ABS_NUMBER), node, path)
    return number


def read_choice(ctx: Context, node: LocatedValue | None, path: str, options: Sequence[str], what: str | Message) -> str:
    """One of `options`, with a hint for near misses."""
    text = text_of(node)
    if text is None or text not in options:
        hint = did_you_mean(text, options) if text is not None else ""
        found = describe(node)
        message = Message.of("scenario.expected_choice", what=what, options=", ".join(options), found=found, hint=hint)
        raise ctx.error(message, node, path)
    return text


def read_free_text(ctx: Context, node: LocatedValue | None, path: str, max_length: int) -> str:
    """Free text on one line: no control characters, at most `max_length` characters."""
    text = text_of(node)
    if text is None:
        raise ctx.error(Message.of("scenario.expected_text", found=describe(node)), node, path)
    if len(text) > max_length:
        raise ctx.error(Message.of("scenario.text_too_long", length=len(text), limit=max_length), node, path)
    if has_control_characters(text):
        raise ctx.error(Message.of("scenario.control_characters"), node, path)
    return text


__all__ = [
    "MAX_ABS_NUMBER",
    "MIN_ABS_NUMBER",
    "NAME_RE",
    "SCENARIO_NAME_RE",
    "check_count",
    "check_keys",
    "expect_mapping",
    "expect_sequence",
    "read_choice",
    "read_free_text",
    "read_name",
    "read_number",
]
