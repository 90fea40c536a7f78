"""Read a scenario file that gives an expression program instead of layers.

    name: circuit
    expression: f = (x + y) * z        # or a block of lines `q = x + y` / `f = q * z`
    values: {x: -2, y: 5, z: -4}
    gates: grouped                      # or fine: a sigmoid as its exp, +1 and 1/x gates

The YAML is read by the same safe reader as every scenario (`bptutor.loading.yamltree`),
and the program by the safe expression reader (`bptutor.core.expression`). A problem in
the program is reported at its own line and column in the file: each program line
is found in the file's text where the YAML scalar holds it.

`load_document` reads either kind of scenario: an expression scenario when the
file has an `expression` key, a layered one otherwise.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from bptutor.core.scenario import Scenario
from bptutor.errors import Location, ScenarioError
from bptutor.i18n import Message
from bptutor.loading.fields import (
    SCENARIO_NAME_RE,
    check_keys,
    expect_mapping,
    read_choice,
    read_name,
    read_number,
)
from bptutor.loading.scenario import build_scenario
from bptutor.loading.sections import read_titles
from bptutor.loading.yamltree import (
    Context,
    LocatedMapping,
    LocatedSequence,
    LocatedValue,
    Position,
    build_from_data,
    build_from_text,
    describe,
    find_lines,
    is_absent,
    key_path,
    read_text,
    text_of,
)

if TYPE_CHECKING:  # the circuit modules load only for an expression scenario, so layered commands start faster
    from bptutor.core.circuit import ExpressionScenario

TOP_KEYS = ("name", "title", "expression", "values", "gates")
TOP_REQUIRED = ("name", "expression", "values")


def load_document(path: str | os.PathLike[str]) -> Scenario | ExpressionScenario:
    """The scenario at `path`: an ExpressionScenario when it has an `expression`, else a layered Scenario."""
    source = str(path)
    return load_document_text(read_text(path, source), source)


def load_document_text(text: str | bytes, source: str) -> Scenario | ExpressionScenario:
    """The scenario in YAML `text`: an ExpressionScenario when it has an `expression`, else a layered Scenario."""
    return build_from_text(text, source, _either_kind)


def _either_kind(root: LocatedValue | None, ctx: Context) -> Scenario | ExpressionScenario:
    if isinstance(root, LocatedMapping) and root.get("expression") is not None:
        return expression_scenario(root, ctx, ctx.text)
    return build_scenario(root, ctx)


def load_expression_text(text: str, source: str) -> ExpressionScenario:
    """An expression scenario from YAML text (an error when the text gives layers instead)."""
    document = load_document_text(text, source)
    if isinstance(document, Scenario):
        raise ScenarioError(Message.of("expression.missing"), Location(source, 1, 1), "expression")
    return document


def is_expression_file(path: str | os.PathLike[str]) -> bool:
    """Whether the file at `path` is a valid expression scenario."""
    try:
        return not isinstance(load_document(path), Scenario)
    except ScenarioError:
        return False


# ── the sections ──────────────────────────────────────────────────────────────


def expression_scenario_from_data(data: dict[str, object], source: str = "<dict>") -> ExpressionScenario:
    """An expression scenario given as plain Python data; messages carry field paths but no line numbers."""
    return build_from_data(data, source, lambda top, ctx: expression_scenario(top, ctx, ""))


def expression_scenario(top: LocatedMapping, ctx: Context, text: str) -> ExpressionScenario:
    """The sections of an expression scenario (`text` is the file's, to place each program line in it)."""
    from bptutor.core.circuit import GATE_MODES, ExpressionScenario, locate
    from bptutor.core.expression import ExpressionError, parse_program

    check_keys(ctx, top, "", TOP_KEYS, TOP_REQUIRED)
    name = read_name(ctx, top.get("name"), "name", SCENARIO_NAME_RE)
    title, titles = read_titles(ctx, top.get("title"))
    lines, positions = _program_lines(ctx, top.get("expression"), text)
    try:
        program = parse_program(lines)
    except ExpressionError as problem:
        where = locate(ctx.source, positions, problem.line, problem.column)
        raise ScenarioError(problem.message, where, "expression") from None
    values = _values(ctx, top.get("values"), program.leaves)
    gates = "grouped"
    if not is_absent(top.get("gates")):
        gates = read_choice(ctx, top.get("gates"), "gates", GATE_MODES, Message.of("expression.what.gates"))
    return ExpressionScenario(
        name=name,
        program=program,
        values=values,
        gates=gates,
        title=title,
        titles=titles,
        source=ctx.source,
        lines=lines,
        positions=positions,
    )



def _program_lines(
    ctx: Context, node: LocatedValue | None, text: str
) -> tuple[tuple[str, ...], tuple[Position, ...]]:
    """The program's lines, and where each starts in the file (1-based line and column)."""
    if isinstance(node, LocatedSequence):
        lines, positions = [], []
        _check_size(ctx, node, [text_of(item) or "" for item in node.items])
        for index, item in enumerate(node.items):
            value = text_of(item)
            if value is None or "\n" in value:
                found = describe(item)
                raise ctx.error(Message.of("expression.expected_line", found=found), item, f"expression[{index}]")
            lines.append(value)
            positions.append(find_lines(text, [value], item)[0])
        return tuple(lines), tuple(positions)
    value = text_of(node)
    if value is None:
        raise ctx.error(Message.of("expression.expected_program", found=describe(node)), node, "expression")
    assert node is not None  # it has text: a scalar
    lines = value.removesuffix("\n").split("\n")  # a block scalar ends with a newline, not a 61st line
    _check_size(ctx, node, lines)  # before any search of the file: the search is quadratic in the lines
    return tuple(lines), tuple(find_lines(text, lines, node))


def _check_size(ctx: Context, node: LocatedValue | None, lines: list[str]) -> None:
    """The program's limits on lines and characters, checked at the scalar before its lines are located."""
    from bptutor.core.expression import MAX_LINES, MAX_TEXT_LENGTH

    if len(lines) > MAX_LINES:
        raise ctx.error(Message.of("expression.too_many_lines", limit=MAX_LINES), node, "expression")
    if sum(len(line) for line in lines) > MAX_TEXT_LENGTH:
        raise ctx.error(Message.of("expression.too_long", limit=MAX_TEXT_LENGTH), node, "expression")


def _values(ctx: Context, node: LocatedValue | None, leaves: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """`values`: a number for every name the program reads and does not define, and for nothing else."""
    mapping = expect_mapping(ctx, node, "values", Message.of("expression.what.values"))
    given: dict[str, float] = {}
    for key_node, value in mapping.entries:
        path = key_path("values", str(key_node.value))
        name = read_name(ctx, key_node, path)
        if name not in leaves:
            message = Message.of("expression.value_not_read", name=name, leaves=", ".join(leaves) or "—")
            raise ctx.error(message, key_node, path)
        given[name] = read_number(ctx, value, path)
    for leaf in leaves:
        if leaf not in given:
            raise ctx.error(Message.of("expression.value_missing", name=leaf), mapping, key_path("values", leaf))
    return tuple((leaf, given[leaf]) for leaf in leaves)


__all__ = [
    "expression_scenario",
    "expression_scenario_from_data",
    "is_expression_file",
    "load_document",
    "load_document_text",
    "load_expression_text",
]
