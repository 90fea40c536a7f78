"""What the output stream can show: UTF-8 when redirected, ASCII spellings on a narrow terminal.

bptutor prints ∂, σ, η, δ, ×, ·, −, ½, ², →, ′ (and subscripts in some notations).
A terminal whose encoding lacks some of them (GBK has no ∂ or ₅, ASCII has
none) gets those characters spelled in ASCII, and everything else as it is:
Chinese stays Chinese on a GBK console. Output that goes to a file or a pipe is
always UTF-8, whatever the locale, so it never fails on a symbol.

Styles (bold headings, underlined titles, coloured notes) are for a terminal that
wants them: `NO_COLOR` set to anything but the empty text, or `TERM=dumb`, turns
every one of them off, bold and underline included (`terminal_console`).
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

PRINTED_SYMBOLS = "∂σηδ₅×·−½²→′"


def can_encode(text: str, encoding: str) -> bool:
    """True when `encoding` can write every character of `text` (an unknown encoding cannot)."""
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def stream_encoding(stream: Any) -> str:
    """The stream's encoding, normalised (`cp936`, `gbk`, `utf-8`); UTF-8 when it does not say."""
    name = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def fallback_encoding(stream: Any) -> str | None:
    """The encoding to keep to when `stream` is a terminal that cannot show bptutor's symbols; else None.

    None means every character may be written as it is: the stream is not a
    terminal (it is written as UTF-8, see `use_utf8_when_redirected`), or its
    encoding has all the symbols.
    """
    if not _is_terminal(stream):
        return None
    encoding = stream_encoding(stream)
    return None if can_encode(PRINTED_SYMBOLS, encoding) else encoding


def use_utf8_when_redirected(stream: Any) -> None:
    """Write UTF-8 to a file or a pipe; on a terminal, replace what it cannot show instead of failing."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    if _is_terminal(stream):
        reconfigure(errors="replace")
    else:
        reconfigure(encoding="utf-8")


def plain_requested(environ: Mapping[str, str] | None = None) -> bool:
    """True when the environment asks for text without any style: NO_COLOR not empty, or TERM=dumb.

    no-color.org asks for no colour; a dumb terminal shows escape sequences as garbage. Either way
    bold and underline go too, not only colour (rich alone keeps them under NO_COLOR).
    """
    environ = os.environ if environ is None else environ
    return environ.get("NO_COLOR", "") != "" or environ.get("TERM", "") == "dumb"


def terminal_console(
    file: IO[str] | None = None, stderr: bool = False, environ: Mapping[str, str] | None = None, **options: Any
) -> Console:
    """A rich Console for the command line's output: styles only when the environment allows them.

    It never takes itself for a Jupyter cell (a CLI function called from a notebook prints text, it does
    not display), and with NO_COLOR or TERM=dumb it has no colour system, so it writes no escape sequence.
    """
    from rich.console import Console

    if plain_requested(environ):
        options.update(color_system=None, no_color=True)
    return Console(file=file, stderr=stderr, force_jupyter=False, **options)


def string_console(width: int) -> tuple[Console, io.StringIO]:
    """A Console that writes plain text of `width` columns into a string, whatever the environment, and the string's
    file: never a terminal, never a Jupyter display (rich would otherwise show what it prints in a notebook)."""
    from rich.console import Console

    text = io.StringIO()
    console = Console(
        file=text, width=width, color_system=None, force_terminal=False, force_jupyter=False, highlight=False
    )
    return console, text


__all__ = [
    "PRINTED_SYMBOLS",
    "can_encode",
    "fallback_encoding",
    "plain_requested",
    "stream_encoding",
    "string_console",
    "terminal_console",
    "use_utf8_when_redirected",
]
