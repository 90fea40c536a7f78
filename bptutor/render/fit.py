"""Output that fits any terminal from 60 columns up, never breaking a number or a symbol.

A table fits when every cell of a column that keeps its line (names, symbols,
values) gets its whole width and every cell of a column that may wrap gets at
least its longest word. Below that width rich would cut numbers in the middle
("0.79 / 8947 / 6414"), so each row is printed instead as a short block:

- `equation` rows read as a textbook writes them, `name = formula = numbers = value`,
  continued under the first `=`;
- `labelled` rows give the first cell, then `header value` for each other cell.

Lines of derivations (`Wrapped`) break the same way: before an `=` where they
can, else between words, and continue under their first `=`. Nothing here
computes: it only places the text it is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style as RichStyle
from rich.table import Column, Table
from rich.text import Text

__all__ = ["FittedTable", "Phrases", "Stacking", "Wrapped", "given_table", "wrap_line"]

Stacking = Literal["equation", "labelled"]
INDENT = 4  # continuation lines that have no `=` to sit under
EQUALS = " = "
_SEPARATOR = re.compile(r"(?<=[,;]) |(?<=[，；、])")
_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


class FittedTable(Table):
    """A rich Table that prints its rows as stacked blocks below the width its cells need."""

    def __init__(self, *args: object, stacking: Stacking = "labelled", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Table's own arguments, passed through
        self.stacking: Stacking = stacking

    def needed_width(self, console: Console, options: ConsoleOptions) -> int:
        """The narrowest width at which no cell is broken inside a word."""
        natural = Measurement.get(console, options.update(width=10_000), self).maximum
        widest = sum(_column_width(column, whole=True) for column in self.columns)
        need = sum(_column_width(column, whole=column.no_wrap) for column in self.columns)
        return natural - widest + need

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.columns or self.needed_width(console, options) <= options.max_width:
            yield from super().__rich_console__(console, options)
            return
        if self.stacking == "equation" and self.show_header:  # the columns' names, once, in the rows' shape
            legend = EQUALS.join(_plain(column.header) for column in self.columns if _plain(column.header))
            for line in wrap_line(legend, options.max_width):
                yield Text(line, style=self.header_style)
        for line in self.stacked_lines(options.max_width):
            yield Text(line)

    def stacked_lines(self, width: int) -> Iterator[str]:
        """Every row as a block of lines no wider than `width` (only a word wider than that is folded)."""
        headers = [_plain(column.header) for column in self.columns]
        for row in _rows(self.columns):
            if self.stacking == "equation":
                yield from wrap_line(EQUALS.join(cell for cell in row if cell), width)
            else:
                pairs = zip(headers[1:], row[1:], strict=True)
                labelled = [f"{header} {cell}" if header else cell for header, cell in pairs if cell]
                yield from _wrap_pieces([f"{row[0]}:", *labelled], " ", width, INDENT)


class Wrapped:
    """One line of text that wraps like a hand-written derivation when the terminal is narrower."""

    def __init__(self, text: str, style: str | RichStyle = "") -> None:
        self.text = text
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_line(self.text, options.max_width):
            yield Text(line, style=self.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        words = self.text.split()
        return Measurement(max((cell_len(word) for word in words), default=0), cell_len(self.text))


class Phrases:
    """Text that breaks only after a list separator (`, `, `; `, `，`, `；`, `、`) while its phrases fit.

    "w1 = 0.1, w2 = 0.2" never leaves "w2 =" at a line's end; a phrase wider
    than the whole line breaks between its words.
    """

    def __init__(self, text: str, style: str | RichStyle = "") -> None:
        self.text = text
        self.style = style

    def phrases(self) -> list[str]:
        return [phrase for phrase in _SEPARATOR.split(self.text) if phrase]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        lines: list[str] = []
        line = ""
        for phrase in self.phrases():
            glue = "" if not line or line.endswith(("，", "；", "、")) else " "
            if line and cell_len(line + glue + phrase) > width:
                lines += _words(line, width, 0)
                line = phrase
            else:
                line = line + glue + phrase
        lines += _words(line, width, 0)
        for text in lines:
            yield Text(text, style=self.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(phrase) for phrase in self.phrases()), default=0)
        return Measurement(min(widest, options.max_width), cell_len(self.text))


def given_table(rows: Iterable[tuple[str, str]]) -> Table:
    """Label and value, one pair a row; a value breaks only between the items it lists."""
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(overflow="fold")
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(Text(label), Phrases(value))
    return table


def wrap_line(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken before an ` = ` where it can, else between words.

    Continuation lines start under the first `=` of the line (or `INDENT` in);
    a line's own leading spaces are kept.
    """
    if cell_len(text) <= width:
        return [text]
    lead = len(text) - len(text.lstrip(" "))
    body = text[lead:]
    equals = body.find(EQUALS)
    if body.startswith("= "):
        under = lead
    elif equals >= 0 and lead + equals + 1 <= width // 2:
        under = lead + equals + 1
    else:
        under = lead + INDENT
    first, *rest = body.split(EQUALS)
    return _wrap_pieces([" " * lead + first] + [f"= {piece}" for piece in rest], " ", width, under)


def _wrap_pieces(pieces: Sequence[str], joiner: str, width: int, under: int) -> list[str]:
    """Whole pieces on a line while they fit; a piece too wide for a line of its own breaks between words."""
    lines: list[str] = []
    line = ""
    for index, piece in enumerate(pieces):
        if not line:
            line = piece
        elif index == 1 or cell_len(line + joiner + piece) <= width:
            line = line + joiner + piece
        else:
            lines += _words(line, width, under)
            line = " " * under + piece
    return lines + _words(line, width, under)


def _words(line: str, width: int, under: int) -> list[str]:
    """`line` broken between words; continuation lines indented to `under` (+2 after a leading `= `)."""
    if cell_len(line) <= width:
        return [line]
    lead = len(line) - len(line.lstrip(" "))
    body = line[lead:]
    indent = " " * (max(under, lead) + (2 if body.startswith("= ") else 0))
    if cell_len(indent) > width // 2:
        indent = " " * INDENT
    lines: list[str] = []
    current = " " * lead
    for word in body.split(" "):
        candidate = current + word if current.strip() == "" else f"{current} {word}"
        if current.strip() and cell_len(candidate) > width:
            lines.append(current)
            current = indent + word
        else:
            current = candidate
    lines.append(current)
    return [piece for line in lines for piece in _fold(line, width)]


def _fold(line: str, width: int) -> list[str]:
    """A single word wider than the line: folded, the one case that breaks inside a word."""
    if cell_len(line) <= width:
        return [line]
    folded = Text(line).wrap(Console(width=width, color_system=None), width, overflow="fold")
    return [part.plain for part in folded]


def _rows(columns: Sequence[Column]) -> Iterator[list[str]]:
    cells = [[_plain(cell) for cell in column.cells] for column in columns]
    yield from (list(row) for row in zip(*cells, strict=True))


def _plain(cell: object) -> str:
    text = cell.plain if isinstance(cell, Text) else str(cell)
    return " ".join(text.split())


def _unbreakable(text: str) -> list[str]:
    """The pieces a wrapping cell cannot break: words, and within them the runs between wide characters.

    Chinese text folds between any two characters, so only its runs of narrow
    characters (numbers, names, symbols) must stay whole.
    """
    return [piece for word in text.split(" ") for piece in _WIDE.split(word)]


def _column_width(column: Column, whole: bool) -> int:
    """The widest cell of a column (header included), or its longest unbreakable piece when it may wrap."""
    widths = [0]
    for cell in [column.header, *column.cells]:
        text = _plain(cell)
        pieces = [text] if whole and not _WIDE.search(text) else _unbreakable(text)
        widths.append(max((cell_len(piece) for piece in pieces), default=0))
    return max(widths)
