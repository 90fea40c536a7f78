"""Output without style, laid out here rather than by rich's Console, for a stream rich would not style.

When the output goes to a file or a pipe, rich prints no colour, no bold and no
escape sequence: only the text of its layout. Importing rich's console module
and laying every piece out through it costs a command such as `check` about a
tenth of its start-up. This module writes the same text for the pieces bptutor
prints most — plain `Text`, `Padding` around it, and the renderables that know
their own plain lines (`plain_lines(width)`: `FittedTable`, `Wrapped`,
`Phrases`) — and answers None for anything else, which rich then prints as
before. `tests/test_plain.py` holds every piece to rich's own output.

`plain_width` says when the plain path applies, by rich's own rules: not on a
terminal (`TTY_COMPATIBLE`, `FORCE_COLOR` and `isatty`, in rich's order), not on
Windows (whose legacy console rich measures one column narrower), only to a
UTF-8 stream (elsewhere rich swaps box drawing for ASCII); and at which width
(`COLUMNS`, else the first of stdin, stdout, stderr that is a terminal, else 80).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

from rich.cells import cell_len
from rich.measure import Measurement, measure_renderables
from rich.padding import Padding
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

__all__ = ["NARROW", "Bounds", "Pieces", "cells", "lines_of", "plain_text", "plain_width", "text_lines"]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # control characters rich strips or renders its own way (not \t, \n)
# characters rich counts as one terminal cell each (ASCII, Latin, Greek, punctuation, super- and
# subscripts, arrows and mathematical operators, box drawing): a text of only these is as wide as it is long
NARROW = re.compile(
    "[\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u03ff\u2010-\u2027\u2030-\u205e\u2070-\u209f\u2190-\u22ff\u2500-\u257f]*"
)


class Pieces:
    """Renderables printed one under another: rich's `Group`, without importing rich's console module."""

    def __init__(self, *renderables: RenderableType) -> None:
        self._renderables = list(renderables)

    @property
    def renderables(self) -> list[RenderableType]:
        return self._renderables

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self._renderables

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return measure_renderables(console, options, self._renderables)


class Bounds:
    """The only part of rich's ConsoleOptions a table of plain `Text` cells reads to size its columns: the width."""

    def __init__(self, max_width: int) -> None:
        self.max_width = max_width

    def update_width(self, width: int) -> Bounds:
        return Bounds(width)

    def update(self, *, width: int) -> Bounds:
        return Bounds(width)


class _PlainLines(Protocol):
    def plain_lines(self, width: int) -> list[str] | None: ...


def plain_width(stream: Any = None, environ: Mapping[str, str] | None = None) -> int | None:
    """The width rich would print `stream` (stdout when None) at without any style; None when rich would
    style it or lay it out otherwise (see the module's docstring)."""
    if sys.platform == "win32":
        return None
    stream = sys.stdout if stream is None else stream
    environ = os.environ if environ is None else environ
    if _terminal(stream, environ):
        return None
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    if not encoding.startswith("utf"):
        return None
    columns = environ.get("COLUMNS")
    width: int | None = None
    if columns is not None and columns.isdigit():
        width = int(columns)
    else:
        for descriptor in (0, 1, 2):
            try:
                width = os.get_terminal_size(descriptor).columns
            except (AttributeError, ValueError, OSError):
                continue
            break
        width = width or 80
    return width if width >= 1 else None


def _terminal(stream: Any, environ: Mapping[str, str]) -> bool:
    """Whether rich takes `stream` for a terminal, which it styles (its Console.is_terminal, outside Jupyter)."""
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return False
    compatible = environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    forced = environ.get("FORCE_COLOR")
    if forced is not None:
        return forced != ""
    isatty = getattr(stream, "isatty", None)
    try:
        return False if isatty is None else bool(isatty())
    except ValueError:
        return False


def plain_text(pieces: Iterable[object], width: int) -> str | None:
    """The pieces printed one under another at `width`, each line ended by a newline, as rich prints them
    without style; None when a piece is not one laid out here, or a line would need rich's cropping."""
    lines = lines_of(pieces, width)
    if lines is None or any(cells(line) > width for line in lines):
        return None
    return "".join(f"{line}\n" for line in lines)


def _lines(piece: object, width: int) -> list[str] | None:
    if type(piece) is Text:
        return text_lines(piece, width)
    if type(piece) is Padding:
        return _padded(piece, width)
    own = getattr(type(piece), "plain_lines", None)
    if own is None:
        return None
    return cast(_PlainLines, piece).plain_lines(width)


def _padded(padding: Padding, width: int) -> list[str] | None:
    """A `Padding` that fills the width (rich's default), around text: its lines moved right by the left padding.

    The right padding and the blank lines above and below are spaces, which the printed lines lose anyway."""
    inner = width - padding.left - padding.right
    if not padding.expand or inner < 1:
        return None
    body = _lines(padding.renderable, inner)
    if body is None:
        return None
    blank = [""]
    return blank * padding.top + [" " * padding.left + line for line in body] + blank * padding.bottom


def text_lines(text: Text, width: int) -> list[str] | None:
    """A `Text`'s lines as rich prints it at `width` (wrapped, justified, folded as its own settings say);
    None for a text rich would print otherwise (another ending, control characters)."""
    if type(text) is not Text or text.end != "\n" or width < 1 or text.justify == "full":
        return None  # "full" spreads words with the styles of the spaces between them, which takes a console
    plain = text.plain
    if _CONTROL.search(plain):
        return None
    if text.justify in (None, "default", "left") and "\n" not in plain and "\t" not in plain and cells(plain) <= width:
        return [plain]  # one line that fits: what wrapping it gives, but for the spaces "left" pads it with
    tab_size = text.tab_size or 8
    no_wrap = bool(text.no_wrap)
    console = cast("Console", None)  # rich's wrapping reads no console to justify but "full"
    lines = text.wrap(console, width, justify=text.justify or "default", overflow=text.overflow or "fold",
                      tab_size=tab_size, no_wrap=no_wrap)
    return [line.plain for line in lines]


def lines_of(pieces: Iterable[object], width: int) -> list[str] | None:
    """The lines of pieces one under another (None when one is not laid out here)."""
    lines: list[str] = []
    for piece in pieces:
        found = _lines(piece, width)
        if found is None:
            return None
        lines += found
    return lines


def cells(text: str) -> int:
    """The width of `text` in terminal cells, as rich's cell_len counts it (without its per-character sum
    for the usual text of a formula)."""
    return len(text) if NARROW.fullmatch(text) else cell_len(text)
