"""Read a scenario file that gives an expression program instead of layers.

    name: circuit
    expression: f = (x + y) * z        # or a block of lines `q = x + y` / `f = q * z`
    values: {x: -2, y: 5, z: -4}
    gates: grouped                      # or fine: a sigmoid as its exp, +1 and 1/x gates

The YAML is read by the same safe reader as every scenario (`bptutor.loading.scenario`),
and the program by the safe expression reader (`bptutor.core.expression`). A problem in
the program is reported at its own line and column in the file: each program line
is found in the file's text where the YAML scalar holds it.

`load_document` reads either kind of scenario: an expression scenario when the
file has an `expression` key, a layered one otherwise.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from bptutor.loading import scenario as loader
from bptutor.errors import Location, ScenarioError
from bptutor.i18n import Message
from bptutor.core.scenario import Scenario

if TYPE_CHECKING:  # the circuit modules load only for an expression scenario, so layered commands start faster
    from bptutor.core.circuit import ExpressionScenario

TOP_KEYS = ("name", "title", "expression", "values", "gates")
TOP_REQUIRED = ("name", "expression", "values")


def load_document(path: str | os.PathLike[str]) -> "Scenario | ExpressionScenario":
    """The scenario at `path`: an ExpressionScenario when it has an `expression`, else a layered Scenario."""
    source = str(path)
    return load_document_text(loader._read_text(path, source), source)


def load_document_text(text: str | bytes, source: str) -> "Scenario | ExpressionScenario":
    if isinstance(text, (bytes, bytearray)):
        text = loader._decode_utf8(bytes(text), source)
    if len(text) > loader.MAX_FILE_BYTES:
        raise ScenarioError(Message.of("scenario.text_too_large"), Location(source))
    ctx = loader._Context(source, text)
    try:
        root = loader._parse_yaml(text, ctx)
        if isinstance(root, loader._Mapping) and root.get("expression") is not None:
            return _expression_scenario(root, ctx, text)
        return loader._build_scenario(root, ctx)
    except RecursionError:
        raise ctx.error(loader.TOO_DEEP_MESSAGE, None) from None


def load_expression_text(text: str, source: str) -> "ExpressionScenario":
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


def _expression_scenario(top: loader._Mapping, ctx: loader._Context, text: str) -> "ExpressionScenario":
    from bptutor.core.circuit import GATE_MODES, ExpressionScenario, locate
    from bptutor.core.expression import ExpressionError, parse_program

    loader._check_keys(ctx, top, "", TOP_KEYS, TOP_REQUIRED)
    name = loader._name(ctx, top.get("name"), "name", loader._SCENARIO_NAME_RE)
    title, titles = loader._titles(ctx, top.get("title"))
    lines, positions = _program_lines(ctx, top.get("expression"), text)
    try:
        program = parse_program(lines)
    except ExpressionError as problem:
        where = locate(ctx.source, positions, problem.line, problem.column)
        raise ScenarioError(problem.message, where, "expression") from None
    values = _values(ctx, top.get("values"), program.leaves)
    gates = "grouped"
    if not loader._is_absent(top.get("gates")):
        gates = loader._choice(ctx, top.get("gates"), "gates", GATE_MODES, Message.of("expression.what.gates"))
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


Position = tuple[int | None, int | None]


def _program_lines(
    ctx: loader._Context, node: loader._Value | None, text: str
) -> tuple[tuple[str, ...], tuple[Position, ...]]:
    """The program's lines, and where each starts in the file (1-based line and column)."""
    if isinstance(node, loader._Sequence):
        lines, positions = [], []
        for index, item in enumerate(node.items):
            value = loader._text_of(item)
            if value is None or "\n" in value:
                found = loader._describe(item)
                raise ctx.error(Message.of("expression.expected_line", found=found), item, f"expression[{index}]")
            lines.append(value)
            positions.append(_find(text, [value], item)[0])
        return tuple(lines), tuple(positions)
    value = loader._text_of(node)
    if value is None:
        raise ctx.error(Message.of("expression.expected_program", found=loader._describe(node)), node, "expression")
    lines = value.split("\n")
    return tuple(lines), tuple(_find(text, lines, node))


def _find(text: str, lines: list[str], node: loader._Value) -> list[Position]:
    """Where each line of a scalar stands in the file: searched for from the scalar's start.

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


def _values(ctx: loader._Context, node: loader._Value | None, leaves: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """`values`: a number for every name the program reads and does not define, and for nothing else."""
    mapping = loader._expect_mapping(ctx, node, "values", Message.of("expression.what.values"))
    given: dict[str, float] = {}
    for key_node, value in mapping.entries:
        path = loader._join("values", str(key_node.value))
        name = loader._name(ctx, key_node, path)
        if name not in leaves:
            message = Message.of("expression.value_not_read", name=name, leaves=", ".join(leaves) or "—")
            raise ctx.error(message, key_node, path)
        given[name] = loader._number(ctx, value, path)
    for leaf in leaves:
        if leaf not in given:
            raise ctx.error(Message.of("expression.value_missing", name=leaf), mapping, loader._join("values", leaf))
    return tuple((leaf, given[leaf]) for leaf in leaves)


__all__ = ["is_expression_file", "load_document", "load_document_text", "load_expression_text"]
