"""How the terminal views print: the `Style` (digits, ASCII, language, what the terminal can show)
and the table, cell and heading every renderer builds with.

Every user-supplied string goes into a `rich.text.Text`, so square brackets in names
are printed, not read as markup; cells holding Chinese fold instead of being cut.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from decimal import Decimal

from rich import box
from rich.table import Table
from rich.text import Text

from bptutor.core.formula import Formula, Ref, Times
from bptutor.core.numbers import DEFAULT_DIGITS, format_number
from bptutor.i18n import DEFAULT_LANGUAGE, has_wide_characters, message
from bptutor.records import dataclass
from bptutor.render.fit import FittedTable, Stacking
from bptutor.render.terminal import can_encode

ASCII_SPELLING = {
    "∂": "d",
    "σ": "sigmoid",
    "·": "*",
    "×": "*",
    "−": "-",
    "½": "1/2",
    "²": "^2",
    "δ": "delta",
    "η": "eta",
    "Σ": "sum",
    "≤": "<=",
    "→": "->",
    "α": "alpha",
    "′": "'",
    "…": "...",
    "±": "+/-",
    "‖": "||",
    "∞": "inf",
    **{superscript: f"^{digit}" for digit, superscript in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹") if superscript != "²"},
    **{subscript: str(digit) for digit, subscript in enumerate("₀₁₂₃₄₅₆₇₈₉")},
}
UNSHOWABLE = "?"  # for a character the terminal cannot show and ASCII_SPELLING does not spell

FORMULA_WORDS = ("if", "otherwise", "else", "since")  # words inside formulas, translated (catalog: formula.*)
_WORD = re.compile(r"[^\W\d][\w']*")


@dataclass(frozen=True)
class Style:
    """How to print: significant digits, ASCII or not, the language, and what the terminal can show.

    `ascii` spells every math symbol in ASCII (Chinese text stays). `encoding`
    is set when the output is a terminal that cannot show some symbols: then
    only the characters it cannot encode are spelled in ASCII.
    """

    digits: int = DEFAULT_DIGITS
    ascii: bool = False
    lang: str = DEFAULT_LANGUAGE
    encoding: str | None = None

    def text(self, value: str) -> str:
        if self.ascii:
            return "".join(ASCII_SPELLING.get(char, char) for char in value)
        if self.encoding is None:
            return value
        return "".join(self._showable(char) for char in value)

    def _showable(self, char: str) -> str:
        if can_encode(char, self.encoding or "utf-8"):
            return char
        spelled = ASCII_SPELLING.get(char, UNSHOWABLE)
        return spelled if can_encode(spelled, self.encoding or "utf-8") else UNSHOWABLE

    def say(self, key: str, **fields: object) -> str:
        """The catalog message `key` in this style's language."""
        return message(key, self.lang, **fields)

    def formula_words(self, text: str, names: Collection[str] = ()) -> str:
        """The words inside a formula (if, otherwise, else, since) in this style's language; names stay."""
        words = {word: self.say(f"formula.{word}") for word in FORMULA_WORDS}
        if all(word == said for word, said in words.items()):
            return text  # the language writes these words as sympy prints them

        def translated(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in names or word not in words:
                return word
            return words[word]

        return _WORD.sub(translated, text)

    def number(self, value: float | Decimal) -> str:
        """The number as the terminal shows it: a true minus sign (U+2212), spelled `-` under --ascii."""
        shown = format_number(value, self.digits)
        return self.text(MINUS + shown[1:]) if shown.startswith("-") else shown

    def symbols(self, formula: Formula) -> str:
        """The formula in names: w5·out_h1 + b3."""
        pieces = []
        for token in formula:
            if isinstance(token, Ref):
                pieces.append(token.name)
            elif isinstance(token, Times):
                pieces.append("·")
            else:
                pieces.append(self.formula_words(token))
        return self.text("".join(pieces))

    def numbers(self, formula: Formula) -> str:
        """The formula with numbers substituted: 0.5 × 0.6456563062 + 0.66."""
        pieces: list[str] = []
        alone = len(formula) == 1
        for token in formula:
            if isinstance(token, Ref):
                shown = self.number(token.value)
                pieces.append(f"({shown})" if negative(shown) and not (alone or _enclosed(pieces)) else shown)
            elif isinstance(token, Times):
                pieces.append(" × ")
            else:
                pieces.append(self.formula_words(token))
        return self.text("".join(pieces))

    @property
    def box(self) -> box.Box:
        lines_drawable = self.encoding is None or can_encode(str(box.SIMPLE_HEAD), self.encoding)
        return box.SIMPLE_HEAD if lines_drawable and not self.ascii else box.ASCII


def derivative(of: str, wrt: str) -> str:
    return f"∂{of}/∂{wrt}"


def make_cell(text: str) -> Text:
    """A table cell. Text with Chinese in it may always wrap (folding), so it is never cut short."""
    if has_wide_characters(text):
        return Text(text, no_wrap=False, overflow="fold")
    return Text(text)


def make_table(
    style: Style, headers: Sequence[str], rows: Sequence[Sequence[str]], stacking: Stacking = "labelled"
) -> Table:
    """A table whose substituted-numbers column wraps; names and symbols keep their line on narrow terminals.

    Cells (and headers) holding Chinese wrap in any column, folding, so they are
    never cut short; the column keeps its width like the others.
    """
    table = FittedTable(box=style.box, show_edge=False, pad_edge=False, header_style="bold", stacking=stacking)
    for index, header in enumerate(headers):
        last = index == len(headers) - 1
        numbers = index == len(headers) - 2
        table.add_column(
            make_cell(style.text(header)),
            overflow="fold",
            justify="right" if last else "left",
            no_wrap=not numbers,
            ratio=1 if numbers else None,
        )
    for row in rows:
        table.add_row(*(make_cell(style.text(cell)) for cell in row))
    return table


def make_heading(style: Style, title: str) -> Text:
    return Text(style.text(title), style="bold underline")


MINUS = "\u2212"


def negative(number: str) -> bool:
    """Whether a shown number is negative: its sign is a true minus, or `-` under --ascii."""
    return number.startswith(("-", MINUS))


def _enclosed(pieces: list[str]) -> bool:
    """Whether the text so far ends with an opening bracket, so a substituted number is bracketed already."""
    return bool(pieces) and pieces[-1].endswith("(")


def signed(number: str) -> str:
    """A number as a term of a sum: negative ones in parentheses."""
    return f"({number})" if negative(number) else number


__all__ = [
    "ASCII_SPELLING",
    "FORMULA_WORDS",
    "UNSHOWABLE",
    "Style",
    "derivative",
    "make_cell",
    "make_heading",
    "make_table",
    "signed",
]
