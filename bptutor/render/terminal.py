"""What the output stream can show: UTF-8 when redirected, ASCII spellings on a narrow terminal.

bptutor prints ∂, σ, η, δ, ×, ·, −, ½, ², →, ′ (and subscripts in some notations).
A terminal whose encoding lacks some of them (GBK has no ∂ or ₅, ASCII has
none) gets those characters spelled in ASCII, and everything else as it is:
Chinese stays Chinese on a GBK console. Output that goes to a file or a pipe is
always UTF-8, whatever the locale, so it never fails on a symbol.
"""

from __future__ import annotations

import codecs
from typing import Any

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


__all__ = ["PRINTED_SYMBOLS", "can_encode", "fallback_encoding", "stream_encoding", "use_utf8_when_redirected"]
