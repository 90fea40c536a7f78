"""Any text as LaTeX that compiles: TeX's special characters escaped, every other character spelled for TeX.

`text(s)` is for text mode (titles, headings, words), `math_word(s)` for a word inside math (the `in` of in_h1,
a notation's `net%`). The few symbols of our own sentences (σ, ∂, η, ·, −) are set as math; CJK characters stay
as they are and make the document a ctex one (`has_cjk`); anything else goes through pylatexenc's
unicode-to-LaTeX table (≥ → \\ensuremath{\\geq}, é → \\'e), and a character no table knows is written as its code
point, [U+2713], rather than left for TeX to drop or to stop on.
"""

from __future__ import annotations

import re
from typing import Any

GREEK_COMMANDS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "Δ": "Delta", "ε": "varepsilon",
    "η": "eta", "θ": "theta", "λ": "lambda", "μ": "mu", "σ": "sigma",
}

_TEXT = {
    "\\": "\\textbackslash{}",
    "{": "\\{",
    "}": "\\}",
    "_": "\\_",
    "#": "\\#",
    "%": "\\%",
    "&": "\\&",
    "$": "\\$",
    "^": "\\textasciicircum{}",
    "~": "\\textasciitilde{}",
    "<": "\\textless{}",
    ">": "\\textgreater{}",
    "|": "\\textbar{}",
    "\n": " ",
    "\r": " ",
    "\t": " ",
    "−": "$-$",
    "·": "$\\cdot$",
    "×": "$\\times$",
    "½": "$\\frac{1}{2}$",
    "²": "$^2$",
    "′": "$^{\\prime}$",
    "≤": "$\\le$",
    "≥": "$\\ge$",
    "→": "$\\to$",
    "Σ": "$\\Sigma$",
    "∂": "$\\partial$",
    "…": "\\dots{}",
    "✓": "\\checkmark{}",
    "✔": "\\checkmark{}",
    **{letter: f"$\\{command}$" for letter, command in GREEK_COMMANDS.items()},
}
_PLAIN_WORD = re.compile(r"[A-Za-z0-9 .,:;!?()=+*/@-]*")


_CJK = (
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0x3100, 0x31FF),  # bopomofo, CJK strokes
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xAC00, 0xD7AF),  # hangul
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms (，：（）)
    (0x20000, 0x3134F),  # extensions B–G
)


def is_cjk(character: str) -> bool:
    """A character the ctex fonts set as it is."""
    code = ord(character)
    return any(low <= code <= high for low, high in _CJK)


def has_cjk(value: str) -> bool:
    """Whether the text needs a CJK-capable engine (xelatex with ctex)."""
    return any(is_cjk(character) for character in value)


def text(value: str) -> str:
    """`value` for LaTeX's text mode."""
    encoder = _encoder() if any(_needs_table(character) for character in value) else None
    return "".join(_character(character, encoder) for character in value)


def math_word(value: str) -> str:
    """A word inside math: upright; plain letters as \\mathrm, anything else through text mode."""
    if _PLAIN_WORD.fullmatch(value) and value.strip():
        return "\\mathrm{" + value + "}"
    return "\\textup{" + text(value) + "}"


def _needs_table(character: str) -> bool:
    return character not in _TEXT and not character.isascii() and not is_cjk(character) and character.isprintable()


def _character(character: str, encoder: Any) -> str:
    if character in _TEXT:
        return _TEXT[character]
    if character.isascii() or not character.isprintable():
        return character if character.isprintable() else " "
    if is_cjk(character):
        return character  # CJK: the document switches to ctex
    spelled = str(encoder.unicode_to_latex(character))
    return spelled if spelled.isascii() else _code_point(character)


def _encoder() -> Any:
    from pylatexenc.latexencode import UnicodeToLatexEncoder  # type: ignore[import-untyped]  # no py.typed, no stubs

    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-after-macro",
        unknown_char_policy=_code_point,
        unknown_char_warning=False,
    )


def _code_point(character: str) -> str:
    return f"[U+{ord(character):04X}]"


__all__ = ["GREEK_COMMANDS", "has_cjk", "is_cjk", "math_word", "text"]
