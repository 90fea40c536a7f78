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

import copy
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Literal, cast

from rich.box import Box
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.table import Column, Table
from rich.text import Text

from bptutor.render.plain import NARROW, Bounds, lines_of
from bptutor.render.plain import cells as _cells

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

__all__ = ["FittedTable", "Phrases", "Stacking", "Wrapped", "given_table", "wrap_line"]

Stacking = Literal["equation", "labelled"]
INDENT = 4  # continuation lines that have no `=` to sit under
LARGE_TABLE_CELLS = 4000  # beyond this many cells, or this much text, a table is measured from its text, not by rich
LARGE_TABLE_TEXT = 100_000
EQUALS = " = "
_UNBOUNDED = 1 << 40  # a width no text reaches: a column measured at it is measured uncapped
_SEPARATOR = re.compile(r"(?<=[,;]) |(?<=[，；、])")
_CONTROL = re.compile("[\x00-\x1f\x7f]")  # characters rich strips from a text or counts as no cell
_WIDE_CHARACTERS = r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"


@functools.cache
def _wide() -> re.Pattern[str]:
    """Wide (Chinese, full-width) characters: compiled when text has characters outside `NARROW` (3 ms)."""
    return re.compile(_WIDE_CHARACTERS)


class FittedTable(Table):
    """A rich Table that prints its rows as stacked blocks below the width its cells need."""

    def __init__(self, *args: object, stacking: Stacking = "labelled", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Table's own arguments, passed through
        self.stacking: Stacking = stacking
        self.measured: dict[int, tuple[tuple[object, ...], tuple[object, ...], Measurement]] = {}

    def _measure_column(self, console: Console, options: ConsoleOptions, column: Column) -> Measurement:
        """A column's width range, measured once however often rich asks (three times a print).

        Every cell here (Text, Wrapped, Phrases) measures the same at any width, only capped
        by it: its range at width W is its unbounded range capped at W, as rich computes it.
        Anything else in a cell, or a column with its own width limits, rich measures itself.
        """
        width = options.max_width
        if width < 1 or column.width is not None or column.min_width is not None or column.max_width is not None:
            return super()._measure_column(console, options, column)
        objects = (column, column._cells, column.header, column.footer, self.padding)
        values = (
            len(column._cells),
            len(self.columns),
            self.show_header,
            self.show_footer,
            self.pad_edge,
            self.collapse_padding,
        )
        known = self.measured.get(column._index)
        if (
            known is None
            or known[1] != values
            or any(was is not now for was, now in zip(known[0], objects, strict=True))
        ):
            if not all(isinstance(cell, _WIDTH_FREE) for cell in [column.header, column.footer, *column._cells]):
                return super()._measure_column(console, options, column)
            measured = self.text_column_range(column)
            if measured is None:
                measured = super()._measure_column(console, options.update_width(_UNBOUNDED), column)
            known = (objects, values, measured)
            self.measured = {**self.measured, column._index: known}  # a new dict: copies of this table keep their own
        unbounded = known[2]
        return Measurement(min(unbounded.minimum, width), min(unbounded.maximum, width))

    def text_column_range(self, column: Column) -> Measurement | None:
        """The unbounded width range of a column of plain `Text` cells (header and footer too), as rich
        measures it, counted here without rich's per-cell measuring (a padded copy of each cell); None for
        any other column.

        rich measures a text from its longest word (the minimum) and its longest line (the maximum), then
        adds the cell's padding; the column's range is the largest of each.
        """
        cells = [*([column.header] if self.show_header else []), *column._cells]
        cells += [column.footer] if self.show_footer else []
        if not all(type(cell) is Text for cell in cells):
            return None
        _, right, _, left = self.padding
        index = column._index
        if self.collapse_padding and index > 0:
            left = max(0, left - right)
        if not self.pad_edge:
            left = 0 if index == 0 else left
            right = 0 if index == len(self.columns) - 1 else right
        extra = left + right
        lowest, highest = [], []
        for cell in cells:
            assert isinstance(cell, Text)
            plain = cell.plain
            lines = plain.splitlines()
            longest_line = max(_cells(line) for line in lines) if lines else 0
            words = plain.split()
            longest_word = max(_cells(word) for word in words) if words else longest_line
            low = max(0, min(longest_word, longest_line))
            high = max(low, longest_line)
            lowest.append(low + extra)
            highest.append(high + extra)
        return Measurement(max(lowest, default=1), max(highest, default=_UNBOUNDED))

    def needed_width(self, console: Console, options: ConsoleOptions) -> int:
        """The narrowest width at which no cell is broken inside a word."""
        need = sum(_column_width(column, whole=column.no_wrap) for column in self.columns)
        if self.large:
            return self._spacing(console, options) + need
        # Measurement.get(console, options.update(width=10_000), self).maximum, without the cast that imports
        # rich's console module: a Table measures itself
        measured = self.__rich_measure__(console, options.update(width=10_000)).normalize().with_maximum(10_000)
        natural = measured.normalize().maximum if measured.maximum >= 1 else 0
        widest = sum(_column_width(column, whole=True) for column in self.columns)
        return natural - widest + need

    @property
    def large(self) -> bool:
        """More than LARGE_TABLE_CELLS cells, or more than LARGE_TABLE_TEXT characters in them."""
        if self.row_count * len(self.columns) > LARGE_TABLE_CELLS:
            return True
        text = sum(len(_text(cell)) for column in self.columns for cell in column._cells)
        return text > LARGE_TABLE_TEXT

    def _spacing(self, console: Console, options: ConsoleOptions) -> int:
        """The width a large table adds to its cells (padding, rules), measured on its header row.

        rich measures every cell of a table to place it (seconds for the 28,000 rows of a
        784-16-16-10 network) and caps its width at 10,000 columns, which a 784-term sum
        exceeds: a large table is measured from its cells' text instead.
        """
        probe = copy.copy(self)
        probe.columns = []
        for column in self.columns:
            header = copy.copy(column)
            header._cells = []
            probe.columns.append(header)
        probe.rows = []
        natural = Measurement.get(console, options.update(width=10_000), probe).maximum
        return natural - sum(_column_width(column, whole=True) for column in probe.columns)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.columns or self.needed_width(console, options) <= options.max_width:
            yield from self.text_rows(console, options) or super().__rich_console__(console, options)
            return
        yield from self.legend(options.max_width)
        newline = Segment.line()
        for line in self.stacked_lines(options.max_width):  # lines that fit already: no need for rich to wrap them
            yield Segment(line)
            yield newline

    def text_rows(self, console: Console, options: ConsoleOptions) -> list[Segment] | None:
        """The fitting table as rich prints it, its rows of plain `Text` laid out here; None outside the
        subset below.

        rich renders every cell through a padded sub-render and reshapes its lines (about 50 µs a
        cell: milliseconds of `check`'s start-up for its 49 rows). A row whose cells are all `Text`
        without spans needs only each text justified in its column (wrapped first by `Text.wrap`
        when it does not fit on one line), padded, and blank lines under the shorter cells, which
        this does. rich still prints the header with the rule under it, and any other row, each
        from a copy of the table holding only that part, at the column widths rich computes for
        the whole table.

        The subset is what bptutor's tables use: a header, no title, caption, footer, edge, row
        lines, leading or section ends; no column or alternating row styles; padding on the left
        and right only, not collapsed; a box whose column dividers are the same on every row; cells
        justified left or right, top-aligned; a row style of its own (bold for a wrong answer). Any
        other table is printed by rich alone.
        """
        if not self.plain_layout():
            return None
        safe = console.safe_box if self.safe_box is None else self.safe_box
        box = self.box.substitute(options, safe=safe) if self.box else None
        divider = _divider(box)
        if divider is None:
            return None
        widths = self._calculate_column_widths(console, options.update_width(options.max_width - self._extra_width))
        render_options = options.update(width=sum(widths) + self._extra_width, highlight=self.highlight, height=None)
        pads = [self.side_padding(index) for index in range(len(self.columns))]
        inner = [width - left - right for width, (left, right) in zip(widths, pads, strict=True)]
        border = console.get_style(self.style or "") + console.get_style(self.border_style or "")
        segments = self.rich_rows(console, render_options, widths, None)
        for index in range(len(self.rows)):
            cells = self.row_lines(index, inner)
            if cells is None:
                segments += self.rich_rows(console, render_options, widths, index)
                continue
            height = max(len(lines) for lines in cells)
            row_style = console.get_style(self.get_row_style(console, index))
            between = Segment(divider, border if divider.strip() else row_style.background_style + border)
            for line in range(height):
                for column, (lines, width, (left, right)) in enumerate(zip(cells, widths, pads, strict=True)):
                    if column and divider:
                        segments.append(between)
                    if line >= len(lines):
                        segments.append(Segment(" " * width, row_style))  # under a shorter cell
                        continue
                    text, style = lines[line]
                    if left:
                        segments.append(Segment(" " * left, row_style))
                    segments.append(Segment(text, row_style + console.get_style(style, default=RichStyle.null())))
                    if right:
                        segments.append(Segment(" " * right, row_style))
                segments.append(Segment.line())
        return segments

    def row_lines(self, index: int | None, inner: Sequence[int]) -> list[list[tuple[str, str | RichStyle]]] | None:
        """The lines of each cell of row `index` (the header when None) in its column's inner width, laid out
        as `text_rows` does; None when rich must print the row (a cell not plain `Text`, or a shorter cell
        that is not aligned to the top of a body row)."""
        columns = self.columns
        cells = [column.header if index is None else column._cells[index] for column in columns]
        lines = [_text_lines(cell, column, width) for cell, column, width in zip(cells, columns, inner, strict=True)]
        height = max(len(found) for found in lines)
        for found, column in zip(lines, columns, strict=True):
            if not found or (index is not None and len(found) < height and column.vertical != "top"):
                return None
        return lines

    def plain_lines(self, width: int) -> list[str] | None:
        """The table as rich prints it without style at `width` (see `bptutor.render.plain`): the header, its
        rule and the rows when it fits, else its stacked blocks; None outside what `text_rows` lays out, for a
        large table, or when a column holds anything but plain `Text` (which rich would have to measure).

        The stream is UTF-8 and not a legacy Windows console, so the box is drawn as it is; the column widths
        are rich's own, from its Table's sizing with only the width (`Bounds`) in place of console options."""
        if not self.columns or self.large or self.expand or self.min_width is not None or not self.plain_layout():
            return None
        for column in self.columns:
            limited = column.width is not None or column.min_width is not None or column.max_width is not None
            if limited or not all(type(cell) is Text for cell in [column.header, *column._cells]):
                return None  # rich would measure the column itself (see `_measure_column`)
        console = cast("Console", None)  # read by nothing on this path: every column is measured from its text
        bounds = cast("ConsoleOptions", Bounds(width))
        if self.needed_width(console, bounds) > width:
            legend = lines_of(self.legend(width), width)
            return None if legend is None else legend + list(self.stacked_lines(width))
        divider = _divider(self.box)
        if divider is None:
            return None
        widths = self._calculate_column_widths(console, bounds.update_width(width - self._extra_width))
        pads = [self.side_padding(index) for index in range(len(self.columns))]
        inner = [width - left - right for width, (left, right) in zip(widths, pads, strict=True)]
        header = self.row_lines(None, inner)
        if header is None:
            return None
        lines = _grid(header, widths, pads, divider, bottom=True)  # rich aligns header cells to the bottom
        if self.box:
            lines.append(self.box.get_row(widths, "head", edge=self.show_edge))
        for index in range(len(self.rows)):
            cells = self.row_lines(index, inner)
            if cells is None:
                return None
            lines += _grid(cells, widths, pads, divider, bottom=False)
        return lines

    def plain_layout(self) -> bool:
        """Whether the table's own options are in the subset `text_rows` lays out (see there)."""
        top, _, bottom, _ = self.padding
        return (
            self.show_header
            and not (self.show_footer or self.show_edge or self.show_lines or self.leading or self.collapse_padding)
            and not (self.title or self.caption or self.row_styles)
            and self.width is None
            and top == bottom == 0
            and not any(row.end_section for row in self.rows)
            and not any(column.style for column in self.columns)
        )

    def side_padding(self, index: int) -> tuple[int, int]:
        """The left and right padding of column `index`, as rich pads its cells (none at the table's edges
        without `pad_edge`)."""
        _, right, _, left = self.padding
        if not self.pad_edge:
            left = 0 if index == 0 else left
            right = 0 if index == len(self.columns) - 1 else right
        return left, right

    def rich_rows(self, console: Console, options: ConsoleOptions, widths: list[int], row: int | None) -> list[Segment]:
        """What rich prints for the header and its rule (`row` None), or for one body row, at `widths`."""
        part = copy.copy(self)
        part.columns = [copy.copy(column) for column in self.columns]
        for column, whole in zip(part.columns, self.columns, strict=True):
            column._cells = [] if row is None else [whole._cells[row]]
        part.rows = [] if row is None else [self.rows[row]]
        part.show_header = row is None
        return [piece for piece in part._render(console, options, widths) if isinstance(piece, Segment)]

    def large_and_stacked(self, console: Console) -> bool:
        """Whether this is a large table that prints as stacked blocks on `console`: plain lines that
        `bptutor.cli.support.show` writes itself, rather than have rich measure each of them again.

        A large table whose cells do not all fit on their lines whole is stacked (rich would wrap
        its numbers column row by row)."""
        if not self.large or not self.columns:
            return False
        widest = sum(_column_width(column, whole=True) for column in self.columns)
        return self._spacing(console, console.options) + widest > console.options.max_width

    def aligned_lines(self, console: Console) -> list[str] | None:
        """A large table that fits, as rich lays it out: the header and rule as rich prints them,
        then each row's cells at their columns' places, justified as their columns say.
        None when the columns cannot be placed so (an empty column): rich then prints it."""
        widths = [max(_cells(_text(cell)) for cell in [column.header, *column._cells]) for column in self.columns]
        probe = copy.copy(self)
        probe.columns = []
        for column, width in zip(self.columns, widths, strict=True):
            marked = copy.copy(column)
            marked._cells = [Text("x" * width)]  # a row that marks where each column starts
            probe.columns.append(marked)
        probe.rows = self.rows[:1]
        with console.capture() as captured:
            console.print(probe)
        *head, marks = captured.get().rstrip("\n").split("\n")
        starts = [match.start() for match in re.finditer("x+", marks)]
        if len(starts) != len(self.columns) or any(_cells(line) > console.options.max_width for line in head):
            return None
        lines = list(head)
        for row in zip(*(column._cells for column in self.columns), strict=True):
            line, used = "", 0  # `used`: the line's width in terminal cells
            for cell, column, width, start in zip(row, self.columns, widths, starts, strict=True):
                text = _text(cell)
                pad = " " * (width - _cells(text))
                line += " " * (start - used) + (pad + text if column.justify == "right" else text + pad)
                used = start + width
            lines.append(line.rstrip())
        return lines

    def legend(self, width: int) -> list[Text]:
        """The columns' names, once, in the rows' shape (equation stacking)."""
        if self.stacking != "equation" or not self.show_header:
            return []
        legend = EQUALS.join(_plain(column.header) for column in self.columns if _plain(column.header))
        return [Text(line, style=self.header_style) for line in wrap_line(legend, width)]

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

    def plain_lines(self, width: int) -> list[str] | None:
        """The lines as printed without style (see `bptutor.render.plain`)."""
        return lines_of([Text(line) for line in wrap_line(self.text, width)], width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        words = self.text.split()
        return Measurement(max((_cells(word) for word in words), default=0), _cells(self.text))


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

    def lines(self, width: int) -> list[str]:
        """Whole phrases on a line while they fit."""
        lines: list[str] = []
        line = ""
        for phrase in self.phrases():
            glue = "" if not line or line.endswith(("，", "；", "、")) else " "
            if line and _cells(line + glue + phrase) > width:
                lines += _words(line, width, 0)
                line = phrase
            else:
                line = line + glue + phrase
        return lines + _words(line, width, 0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for text in self.lines(options.max_width):
            yield Text(text, style=self.style)

    def plain_lines(self, width: int) -> list[str] | None:
        """The lines as printed without style (see `bptutor.render.plain`)."""
        return lines_of([Text(line) for line in self.lines(width)], width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((_cells(phrase) for phrase in self.phrases()), default=0)
        return Measurement(min(widest, options.max_width), _cells(self.text))


_WIDTH_FREE = (str, Text, Wrapped, Phrases)  # cells whose measure does not depend on the width (but for its cap)


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
    if _cells(text) <= width:
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
        elif index == 1 or _cells(line + joiner + piece) <= width:
            line = line + joiner + piece
        else:
            lines += _words(line, width, under)
            line = " " * under + piece
    return lines + _words(line, width, under)


def _words(line: str, width: int, under: int) -> list[str]:
    """`line` broken between words; continuation lines indented to `under` (+2 after a leading `= `)."""
    if _cells(line) <= width:
        return [line]
    lead = len(line) - len(line.lstrip(" "))
    body = line[lead:]
    indent = " " * (max(under, lead) + (2 if body.startswith("= ") else 0))
    if _cells(indent) > width // 2:
        indent = " " * INDENT
    lines: list[str] = []
    current = " " * lead
    for word in body.split(" "):
        candidate = current + word if current.strip() == "" else f"{current} {word}"
        if current.strip() and _cells(candidate) > width:
            lines.append(current)
            current = indent + word
        else:
            current = candidate
    lines.append(current)
    return [piece for line in lines for piece in _fold(line, width)]


def _fold(line: str, width: int) -> list[str]:
    """A single word wider than the line: folded, the one case that breaks inside a word."""
    if _cells(line) <= width:
        return [line]
    console = cast("Console", None)  # rich's wrapping reads no console to fold a left-justified line
    folded = Text(line).wrap(console, width, overflow="fold")
    return [part.plain for part in folded]


def _text_lines(cell: object, column: Column, width: int) -> list[tuple[str, str | RichStyle]]:
    """A cell's lines as rich prints them in its column's inner `width`, each with the cell's style;
    none (an empty list) unless the cell is a `Text` without spans, newlines or control characters,
    justified left or right, whose wrapped lines fill the width exactly."""
    if type(cell) is not Text or cell.spans or _CONTROL.search(cell.plain):  # a subclass may render otherwise
        return []
    justify = cell.justify or column.justify
    if justify not in ("left", "right"):
        return []
    plain = cell.plain.rstrip() if justify == "right" else cell.plain  # as rich justifies a line right
    pad = width - _cells(plain)
    if pad >= 0:  # the usual cell: one line, as wide as the column or narrower
        return [(" " * pad + plain if justify == "right" else plain + " " * pad, cell.style)]
    overflow = cell.overflow or column.overflow or "fold"
    no_wrap = column.no_wrap if cell.no_wrap is None else cell.no_wrap
    console = cast("Console", None)  # rich's wrapping reads no console to justify left or right
    lines = cell.wrap(console, width, justify=justify, overflow=overflow, no_wrap=no_wrap)
    if any(line.spans or _cells(line.plain) != width for line in lines):
        return []
    return [(line.plain, cell.style) for line in lines]


def _divider(box: Box | None) -> str | None:
    """What separates two cells of a row: the box's column divider, the same on every row (None when it is not)."""
    if box is None:
        return ""
    plain_headed = box.get_plain_headed_box()  # the box of a row printed by rich without the header
    if len({box.head_vertical, box.mid_vertical, box.foot_vertical, plain_headed.head_vertical}) > 1:
        return None
    return box.mid_vertical


def _grid(
    cells: Sequence[Sequence[tuple[str, object]]],
    widths: Sequence[int],
    pads: Sequence[tuple[int, int]],
    divider: str,
    bottom: bool,
) -> list[str]:
    """A row's text lines: each cell's lines padded into its column, blank under (or, `bottom`, above) a
    shorter cell, the columns joined by `divider`."""
    height = max(len(lines) for lines in cells)
    rows: list[str] = []
    for line in range(height):
        parts = []
        for lines, width, (left, right) in zip(cells, widths, pads, strict=True):
            at = line - (height - len(lines) if bottom else 0)
            parts.append(" " * left + lines[at][0] + " " * right if 0 <= at < len(lines) else " " * width)
        rows.append(divider.join(parts))
    return rows


def _rows(columns: Sequence[Column]) -> Iterator[list[str]]:
    cells = [[_plain(cell) for cell in column.cells] for column in columns]
    yield from (list(row) for row in zip(*cells, strict=True))


def _text(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _plain(cell: object) -> str:
    return " ".join(_text(cell).split())


def _unbreakable(text: str) -> list[str]:
    """The pieces a wrapping cell cannot break: words, and within them the runs between wide characters.

    Chinese text folds between any two characters, so only its runs of narrow
    characters (numbers, names, symbols) must stay whole.
    """
    if NARROW.fullmatch(text):
        return text.split(" ")
    return [piece for word in text.split(" ") for piece in _wide().split(word)]


def _column_width(column: Column, whole: bool) -> int:
    """The widest cell of a column (header included), or its longest unbreakable piece when it may wrap."""
    widths = [0]
    for cell in [column.header, *column.cells]:
        text = _plain(cell)
        pieces = [text] if whole and (NARROW.fullmatch(text) or not _wide().search(text)) else _unbreakable(text)
        widths.append(max((_cells(piece) for piece in pieces), default=0))
    return max(widths)
