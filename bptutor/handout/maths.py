"""Math as data, printed as LaTeX or as MathML: the handouts' one notation.

A handout holds its equations as small trees of the nodes below. The Markdown
and LaTeX handouts print them with `to_latex`, the HTML handout with
`to_mathml`; nothing else decides how a formula looks. Symbolic forms come from
sympy (`from_sympy`) or are built from the graph; `substitute` swaps each name
for its number, so the symbols and the numbers of a line can never disagree.

A `Num` is either given (a number of the problem) or computed. A worksheet
prints computed numbers as blanks, and nothing else changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

from bptutor.core.layered import parts as layered_parts
from bptutor.core.ops import ACTIVATIONS, LAYER_ACTIVATIONS, Activation, LayerActivation
from bptutor.handout import texchars
from bptutor.records import dataclass

# ── the nodes ─────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Name:
    """A named quantity: in_h1, w5, E_total, δ_o1, w5′."""

    name: str


@dataclass(frozen=True)
class Num:
    """A number as written in the handout. `given`: part of the problem, never blanked."""

    text: str
    given: bool = False


@dataclass(frozen=True)
class Int:
    """A literal integer of a formula (the 1 of 1 − a, the 2 of a square)."""

    value: int


@dataclass(frozen=True)
class Sum:
    """Terms with their signs: ((+1, a), (−1, b)) is a − b."""

    terms: tuple[tuple[int, Node], ...]


@dataclass(frozen=True)
class Product:
    """Factors joined by · (symbols) or × (numbers)."""

    factors: tuple[Node, ...]
    sign: str = "·"  # "·", "×" or "" (written side by side: ½(t − o)²)


@dataclass(frozen=True)
class Frac:
    numerator: Node
    denominator: Node


@dataclass(frozen=True)
class Power:
    base: Node
    exponent: Node


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Exp:
    """e to the power of its argument."""

    argument: Node


@dataclass(frozen=True)
class Call:
    """A named function applied: σ(in_h1), tanh(z), max(0, z)."""

    function: str
    arguments: tuple[Node, ...]


@dataclass(frozen=True)
class Partial:
    """∂of/∂wrt, written as a fraction; `of`, `wrt` are names."""

    of: str
    wrt: str
    minus: bool = False  # −∂E/∂z, the textbook error signal


@dataclass(frozen=True)
class Cases:
    """A piecewise definition: (value, condition) rows."""

    rows: tuple[tuple[Node, Node], ...]


@dataclass(frozen=True)
class Compare:
    left: Node
    relation: str  # ">", "≥", "<", "≤"
    right: Node


@dataclass(frozen=True)
class Words:
    """Ordinary words inside a formula ("otherwise"), in the handout's language."""

    text: str


@dataclass(frozen=True)
class Sigma:
    """Σ over an index: Σ_j ½(target_j − out_j)²."""

    index: str
    body: Node


@dataclass(frozen=True)
class Chain:
    """A displayed chain: parts joined by a relation (lhs = symbols = numbers = value)."""

    parts: tuple[Node, ...]
    relation: str = "="


@dataclass(frozen=True)
class Sequence_:
    """Nodes side by side with a word between them (a note after an equation)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Matrix:
    """A matrix of entries in square brackets (a column vector has one entry a row)."""

    rows: tuple[tuple[Node, ...], ...]


@dataclass(frozen=True)
class LayerSymbol:
    """A layer's matrix or vector by name: W^(2), δ^(1), (a^(0))ᵀ, ∇_a E; `base` may be δ, Δ or ∇."""

    base: str
    layer: int | str | None = None  # a number, or an index in letters: l, l+1, L
    transposed: bool = False
    subscript: str = ""
    primed: bool = False  # W^(2)′, the value after the update


Node = (
    Name | Num | Int | Sum | Product | Frac | Power | Neg | Exp | Call | Partial | Cases | Compare | Words | Sigma
    | Chain | Sequence_ | Matrix | LayerSymbol
)


# ── building ──────────────────────────────────────────────────────────────────


def add(*terms: Node) -> Sum:
    return Sum(tuple((1, term) for term in terms))


def equation(*parts: Node) -> Chain:
    return Chain(tuple(parts))


def substitute(node: Node, numbers: Mapping[str, Num]) -> Node:
    """The same tree with every name that has a number replaced by that number."""
    if isinstance(node, Name):
        return numbers.get(node.name, node)
    if isinstance(node, Sum):
        return Sum(tuple((sign, substitute(term, numbers)) for sign, term in node.terms))
    if isinstance(node, Product):
        factors = tuple(substitute(factor, numbers) for factor in node.factors)
        all_numbers = all(isinstance(f, (Num, Int)) for f in factors)
        sign = "×" if node.sign == "·" and all_numbers else node.sign
        if sign == "·" and any(isinstance(f, (Num, Int)) for f in factors):
            sign = "×"
        return Product(factors, sign)
    if isinstance(node, Frac):
        return Frac(substitute(node.numerator, numbers), substitute(node.denominator, numbers))
    if isinstance(node, Power):
        return Power(substitute(node.base, numbers), substitute(node.exponent, numbers))
    if isinstance(node, Neg):
        return Neg(substitute(node.operand, numbers))
    if isinstance(node, Exp):
        return Exp(substitute(node.argument, numbers))
    if isinstance(node, Call):
        return Call(node.function, tuple(substitute(argument, numbers) for argument in node.arguments))
    if isinstance(node, Cases):
        return Cases(tuple((substitute(v, numbers), substitute(c, numbers)) for v, c in node.rows))
    if isinstance(node, Compare):
        return Compare(substitute(node.left, numbers), node.relation, substitute(node.right, numbers))
    if isinstance(node, Sigma):
        return Sigma(node.index, substitute(node.body, numbers))
    if isinstance(node, Chain):
        return Chain(tuple(substitute(part, numbers) for part in node.parts), node.relation)
    if isinstance(node, Sequence_):
        return Sequence_(tuple(substitute(part, numbers) for part in node.parts))
    return node


def names_in(node: Node) -> list[str]:
    """Every name in the tree, in reading order."""
    found: list[str] = []

    def walk(current: Node) -> None:
        if isinstance(current, Name):
            found.append(current.name)
        for child in _children(current):
            walk(child)

    walk(node)
    return found


def _children(node: Node) -> list[Node]:
    if isinstance(node, Sum):
        return [term for _, term in node.terms]
    if isinstance(node, Product):
        return list(node.factors)
    if isinstance(node, Frac):
        return [node.numerator, node.denominator]
    if isinstance(node, Power):
        return [node.base, node.exponent]
    if isinstance(node, (Neg,)):
        return [node.operand]
    if isinstance(node, Exp):
        return [node.argument]
    if isinstance(node, Call):
        return list(node.arguments)
    if isinstance(node, Cases):
        return [part for row in node.rows for part in row]
    if isinstance(node, Compare):
        return [node.left, node.right]
    if isinstance(node, (Chain, Sequence_)):
        return list(node.parts)
    if isinstance(node, Sigma):
        return [node.body]
    if isinstance(node, Matrix):
        return [entry for row in node.rows for entry in row]
    return []


# ── from sympy ────────────────────────────────────────────────────────────────


class NoTextbookForm(TypeError):
    """sympy gave a form a textbook does not write (an unevaluated Derivative, say)."""


def from_sympy(expression: Any, otherwise: str = "otherwise") -> Node:
    """A sympy expression as a tree, written as a textbook writes it.

    Terms keep the order of an unevaluated sum (w5·out_h1 + w6·out_h2 + b3);
    in an evaluated sum the positive terms come first ((t − o), not (−o + t)).
    A product with a negative power is a fraction; ½ before a product is ½(…).
    """
    import sympy

    if isinstance(expression, sympy.Symbol):
        return Name(expression.name)
    if isinstance(expression, sympy.Integer):
        value = int(expression)
        return Neg(Int(-value)) if value < 0 else Int(value)
    if isinstance(expression, sympy.Rational):
        numerator, denominator = int(expression.p), int(expression.q)
        fraction = Frac(Int(abs(numerator)), Int(denominator))
        return Neg(fraction) if numerator < 0 else fraction
    if isinstance(expression, sympy.Float):
        from bptutor.core.numbers import format_number

        text = format_number(float(expression))
        return Neg(Num(text[1:], True)) if text.startswith("-") else Num(text, True)
    if isinstance(expression, sympy.Add):
        terms = [_signed_term(term, otherwise) for term in expression.args]
        if not expression.is_commutative or not _unevaluated(expression):
            terms.sort(key=lambda pair: pair[0] < 0)  # stable: positive terms first
        return Sum(tuple(terms))
    if isinstance(expression, sympy.Mul):
        return _product(expression, otherwise)
    if isinstance(expression, sympy.Pow):
        base, exponent = expression.args
        if exponent == -1:
            return Frac(Int(1), from_sympy(base, otherwise))
        if exponent.is_Rational and exponent < 0:
            return Frac(Int(1), from_sympy(sympy.Pow(base, -exponent, evaluate=False), otherwise))
        return Power(from_sympy(base, otherwise), from_sympy(exponent, otherwise))
    if isinstance(expression, sympy.exp):
        return Exp(from_sympy(expression.args[0], otherwise))
    if isinstance(expression, sympy.Piecewise):
        rows = []
        for value, condition in expression.args:
            shown = Words(otherwise) if condition is sympy.true else from_sympy(condition, otherwise)
            rows.append((from_sympy(value, otherwise), shown))
        return Cases(tuple(rows))
    if isinstance(expression, sympy.StrictGreaterThan):
        return Compare(from_sympy(expression.lhs, otherwise), ">", from_sympy(expression.rhs, otherwise))
    relations = ((sympy.LessThan, "≤"), (sympy.GreaterThan, "≥"), (sympy.StrictLessThan, "<"))
    for kind, relation in relations:
        if isinstance(expression, kind):
            return Compare(from_sympy(expression.lhs, otherwise), relation, from_sympy(expression.rhs, otherwise))
    if isinstance(expression, sympy.Function):
        name = type(expression).__name__
        name = "ln" if name == "log" else name  # the natural logarithm, as a textbook writes it
        return Call(name, tuple(from_sympy(argument, otherwise) for argument in expression.args))
    raise NoTextbookForm(f"no textbook form for {type(expression).__name__}")


def _unevaluated(expression: Any) -> bool:
    """Whether a sum was built with evaluate=False (its terms are in the author's order)."""
    import sympy

    return bool(expression.args != sympy.Add(*expression.args).args)


def _signed_term(term: Any, otherwise: str) -> tuple[int, Node]:
    node = from_sympy(term, otherwise)
    if isinstance(node, Neg):
        return -1, node.operand
    return 1, node


def _product(expression: Any, otherwise: str) -> Node:
    import sympy

    numerators: list[Any] = []
    denominators: list[Any] = []
    for factor in expression.args:
        if isinstance(factor, sympy.Pow) and factor.args[1].is_Rational and factor.args[1] < 0:
            power = -factor.args[1]
            denominators.append(factor.args[0] if power == 1 else sympy.Pow(factor.args[0], power, evaluate=False))
        elif isinstance(factor, sympy.Rational) and not isinstance(factor, sympy.Integer) and factor.p in (1, -1):
            if factor.p == -1:
                numerators.insert(0, sympy.Integer(-1))
            denominators.append(sympy.Integer(factor.q))
        else:
            numerators.append(factor)
    negative = False
    if len(numerators) > 1 and numerators[0].is_Rational and numerators[0] < 0:
        negative = True
        numerators[0] = -numerators[0]
        if numerators[0] == 1:
            numerators = numerators[1:]
    if len(denominators) == 1 and denominators[0] == 2 and numerators and all(n != 1 for n in numerators):
        # ½(t − o)²: the half in front, as the notes write it
        half = Product((Frac(Int(1), Int(2)), *(_factor(n, otherwise) for n in numerators)), "")
        return Neg(half) if negative else half
    top = _join_factors([n for n in numerators if n != 1] or [sympy.Integer(1)], otherwise)
    node: Node = top
    if denominators:
        bottom = _join_factors(denominators, otherwise)
        node = Frac(top, bottom)
    return Neg(node) if negative else node


def _factor(expression: Any, otherwise: str) -> Node:
    return from_sympy(expression, otherwise)


def _join_factors(factors: list[Any], otherwise: str) -> Node:
    nodes = [from_sympy(factor, otherwise) for factor in factors]
    if len(nodes) == 1:
        return nodes[0]
    if factors[0].is_Rational and not any(factor.is_Number for factor in factors[1:]):
        return Product(tuple(nodes), "")  # a coefficient in front: 2(t − o)
    return Product(tuple(nodes))


# ── names ─────────────────────────────────────────────────────────────────────

GREEK = {
    letter: ("\\" + command, letter)
    for letter, command in {
        "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "Δ": "Delta", "ε": "varepsilon",
        "η": "eta", "θ": "theta", "λ": "lambda", "μ": "mu", "σ": "sigma",
    }.items()
}
_TRAILING_DIGITS = re.compile(r"^(.*?[^\d])(\d+)$")


def split_name(name: str) -> tuple[str, str, bool]:
    """(base, subscript, primed): in_h1 → (in, h1), w5 → (w, 5), w5′ → (w, 5, primed), E_total → (E, total)."""
    primed = name.endswith(("′", "'"))
    if primed:
        name = name[:-1]
    if "_" in name:
        base, _, subscript = name.partition("_")
        if base:
            return base, subscript, primed
    match = _TRAILING_DIGITS.match(name)
    if match:
        return match.group(1), match.group(2), primed
    return name, "", primed


def _italic(text: str, subscript: bool) -> bool:
    """One letter, a neuron's name (h1) or, in a subscript, two index letters (kj) are set in italics."""
    neuron = bool(re.fullmatch(r"[A-Za-z]\d+", text))
    return len(text) == 1 or neuron or (subscript and bool(re.fullmatch(r"[a-z]{2}", text)))


def _latex_word(text: str, subscript: bool = False) -> str:
    """A base or subscript in LaTeX: one letter in italics, a word upright, Greek as commands."""
    if text in GREEK:
        return GREEK[text][0]
    if text.isdigit() or (text.isascii() and text.isalnum() and _italic(text, subscript)):
        return text
    return texchars.math_word(text)


def number_latex(text: str) -> str:
    """A number as format_number writes it, in LaTeX math: 1.5e-09 → 1.5 \\times 10^{-9}."""
    mantissa, mark, exponent = text.partition("e")
    if text in ("inf", "-inf", "nan"):
        return {"inf": "\\infty", "-inf": "-\\infty", "nan": "\\mathrm{NaN}"}[text]
    return f"{mantissa} \\times 10^{{{int(exponent)}}}" if mark else text


def number_mathml(text: str) -> str:
    """The same in MathML: 1.5e-09 → 1.5 × 10 with a superscript −9."""
    negative = text.startswith("-")
    mantissa, mark, exponent = text.lstrip("-").partition("e")
    if text.lstrip("-") in ("inf", "nan"):
        shown = "<mi>∞</mi>" if "inf" in text else '<mi mathvariant="normal">NaN</mi>'
    elif mark:
        power = int(exponent)
        sign = "<mo>−</mo>" if power < 0 else ""
        shown = f"<mn>{mantissa}</mn><mo>×</mo><msup><mn>10</mn><mrow>{sign}<mn>{abs(power)}</mn></mrow></msup>"
    else:
        shown = f"<mn>{escape(mantissa)}</mn>"
    return f"<mrow><mo>−</mo>{shown}</mrow>" if negative else shown


def latex_text(text: str) -> str:
    """Words for LaTeX's text mode: every special character escaped, any other character spelled for TeX."""
    return texchars.text(text)


def name_latex(name: str) -> str:
    layered = layered_parts(name)
    if layered is not None:  # w_2_3_5 → w^{(2)}_{3,5}, as the BP equations write it
        indices = ",".join(str(index) for index in layered.indices)
        text = f"{_latex_word(layered.symbol)}^{{({layered.layer})}}_{{{indices}}}"
        return "{" + text + "}^{\\prime}" if layered.primed else text
    base, subscript, primed = split_name(name)
    text = _latex_word(base)
    if subscript:
        text += "_{" + _latex_word(subscript, True) + "}"
    if primed:
        text += "^{\\prime}"
    return text


def _mathml_word(text: str, subscript: bool = False) -> str:
    if text in GREEK:
        return f"<mi>{GREEK[text][1]}</mi>"
    if text.isdigit():
        return f"<mn>{text}</mn>"
    if re.fullmatch(r"[A-Za-z]\d+", text):
        return f"<mrow><mi>{text[0]}</mi><mn>{text[1:]}</mn></mrow>"
    if _italic(text, subscript) and len(text) > 1:  # index letters (kj): each letter its own italic <mi>
        return "<mrow>" + "".join(f"<mi>{letter}</mi>" for letter in text) + "</mrow>"
    if len(text) == 1:
        return f"<mi>{escape(text)}</mi>"
    return f'<mi mathvariant="normal">{escape(text)}</mi>'


def name_mathml(name: str) -> str:
    layered = layered_parts(name)
    if layered is not None:
        indices = "<mo>,</mo>".join(f"<mn>{index}</mn>" for index in layered.indices)
        layer = f"<mrow><mo>(</mo><mn>{layered.layer}</mn><mo>)</mo></mrow>"
        text = f"<msubsup>{_mathml_word(layered.symbol)}<mrow>{indices}</mrow>{layer}</msubsup>"
        return _primed_mathml(text) if layered.primed else text
    base, subscript, primed = split_name(name)
    text = _mathml_word(base)
    if subscript:
        text = f"<msub>{text}{_mathml_word(subscript, True)}</msub>"
    if primed:
        text = _primed_mathml(text)
    return text


def _primed_mathml(text: str) -> str:
    """A prime after the symbol: U+2032 is drawn raised already, so it is not set as a superscript again."""
    return f'<mrow>{text}<mo lspace="0" rspace="0">′</mo></mrow>'


# ── printing ──────────────────────────────────────────────────────────────────

# binding strength: how tightly a node holds together when it sits inside another
_ATOM, _POWER, _PRODUCT, _SUM, _CHAIN = 5, 4, 3, 2, 0


def _strength(node: Node) -> int:
    if isinstance(node, Num):
        return _SUM if node.text.startswith("-") else _ATOM
    if isinstance(node, (Sum,)):
        return _SUM if len(node.terms) > 1 or node.terms[0][0] < 0 else _strength(node.terms[0][1])
    if isinstance(node, Neg) or (isinstance(node, Partial) and node.minus):
        return _SUM  # a leading minus: bracketed after an operator, η · (−∂E/∂p)
    if isinstance(node, Product):
        return _PRODUCT
    if isinstance(node, Frac):
        return _PRODUCT
    if isinstance(node, Power):
        return _POWER
    if isinstance(node, (Chain, Compare, Sequence_)):
        return _CHAIN
    if isinstance(node, Sigma):
        return _SUM
    return _ATOM


BLANK_LATEX = "\\underline{\\hspace{5em}}"
# Not an <mspace>: a row of one operator and space-like elements is an "embellished operator" in MathML,
# which moves the = of a row that starts with a blank and drops the spacing of ×.
BLANK_MATHML = '<mpadded class="blank" width="5em" height="1em" depth="0.25em"><mi></mi></mpadded>'


@dataclass(frozen=True)
class _Syntax:
    """The few spellings in which LaTeX and MathML differ; the traversal is shared."""

    name: Callable[[str], str]
    number: Callable[[str], str]
    blank: str
    operator: Callable[[str], str]
    row: Callable[[list[str]], str]
    parenthesized: Callable[[str], str]
    grown: Callable[[str], str]  # brackets around something tall (a fraction, a Σ), which grow with it
    fraction: Callable[[str, str], str]
    power: Callable[[str, str], str]
    exponential: Callable[[str], str]
    function: Callable[[str], str]
    cases: Callable[[list[tuple[str, str]]], str]
    words: Callable[[str], str]
    partial: Callable[[str, str], str]
    sigma: Callable[[str], str]
    matrix: Callable[[list[list[str]]], str]
    layer_symbol: Callable[[LayerSymbol], str]


def _latex_operator(symbol: str) -> str:
    return {
        "·": "\\cdot",
        "×": "\\times",
        "−": "-",
        "≤": "\\le",
        "≥": "\\ge",
        "≈": "\\approx",
        "→": "\\to",
        "⊙": "\\odot",
        "": "",
    }.get(symbol, symbol)


def _function_names() -> dict[str, tuple[str, str]]:
    """Each function a formula calls, by its symbol: (LaTeX, MathML). Activations come from the table of operations."""
    rows: list[Activation | LayerActivation] = [*ACTIVATIONS.values(), *LAYER_ACTIVATIONS.values()]
    names = {row.symbol: (row.latex, row.mathml) for row in rows if row.latex and row.mathml}
    names["max"] = ("\\max", '<mi mathvariant="normal">max</mi>')  # max(0, z), ReLU written out
    names["ln"] = ("\\ln", '<mi mathvariant="normal">ln</mi>')  # cross-entropy's natural logarithm
    return names


def _latex_function(name: str) -> str:
    if name.endswith("′"):
        return _latex_function(name[:-1]) + "^{\\prime}"
    known = _function_names().get(name)
    if known:
        return known[0]
    if len(name) == 1 and name.isascii() and name.isalpha():
        return name
    if name.isascii() and name.isalnum():
        return "\\operatorname{" + name + "}"
    return "\\operatorname{" + texchars.math_word(name) + "}"


def _latex_cases(rows: list[tuple[str, str]]) -> str:
    body = " \\\\ ".join(f"{value} & {condition}" for value, condition in rows)
    return "\\begin{cases} " + body + " \\end{cases}"


def _latex_words(text: str) -> str:
    return "\\text{" + texchars.text(text) + "}"


LATEX = _Syntax(
    name=name_latex,
    number=number_latex,
    blank=BLANK_LATEX,
    operator=_latex_operator,
    row=lambda parts: " ".join(part for part in parts if part),
    parenthesized=lambda inner: "\\left(" + inner + "\\right)",
    grown=lambda inner: "\\left(" + inner + "\\right)",
    fraction=lambda top, bottom: "\\frac{" + top + "}{" + bottom + "}",
    power=lambda base, exponent: base + "^{" + exponent + "}",
    exponential=lambda argument: "e^{" + argument + "}",
    function=_latex_function,
    cases=_latex_cases,
    words=_latex_words,
    partial=lambda of, wrt: "\\frac{\\partial " + name_latex(of) + "}{\\partial " + name_latex(wrt) + "}",
    sigma=lambda index: "\\sum_{" + index + "}",
    matrix=lambda rows: "\\begin{bmatrix} " + " \\\\ ".join(" & ".join(row) for row in rows) + " \\end{bmatrix}",
    layer_symbol=lambda symbol: _latex_layer_symbol(symbol),
)


_LAYER_BASES = {"δ": ("\\delta", "δ"), "Δ": ("\\Delta", "Δ"), "∇": ("\\nabla", "∇"), "∂": ("\\partial", "∂")}


def _latex_layer_symbol(symbol: LayerSymbol) -> str:
    text = _LAYER_BASES.get(symbol.base, (texchars.math_word(symbol.base) if len(symbol.base) > 1 else symbol.base,))[0]
    if symbol.subscript:
        text += "_{" + _latex_word(symbol.subscript, True) + "}"
    if symbol.layer is not None:
        text += f"^{{({_latex_index(symbol.layer)})" + ("\\prime" if symbol.primed else "") + "}"
    elif symbol.primed:
        text += "^{\\prime}"
    return f"\\left({text}\\right)^{{\\mathsf{{T}}}}" if symbol.transposed else text


def _latex_index(layer: int | str) -> str:
    return str(layer).replace("−", "-")


def _mathml_index(layer: int | str) -> str:
    """A layer index in MathML: 2, l, l+1, l−1, L."""
    pieces = re.findall(r"\d+|[A-Za-z]|[+−-]", str(layer))
    return "".join(
        f"<mn>{piece}</mn>" if piece.isdigit() else f"<mi>{piece}</mi>" if piece.isalpha() else
        f"<mo>{'−' if piece == '-' else piece}</mo>"
        for piece in pieces
    )


def _mathml_layer_symbol(symbol: LayerSymbol) -> str:
    base = _LAYER_BASES.get(symbol.base, ("", symbol.base))[1]
    text = f"<mi>{escape(base)}</mi>" if base not in ("∇", "∂") else f"<mo>{base}</mo>"
    if symbol.subscript and symbol.layer is not None:
        layer = f"<mrow><mo>(</mo>{_mathml_index(symbol.layer)}<mo>)</mo></mrow>"
        text = f"<msubsup>{text}{_mathml_word(symbol.subscript, True)}{layer}</msubsup>"
    elif symbol.subscript:
        text = f"<msub>{text}{_mathml_word(symbol.subscript, True)}</msub>"
    elif symbol.layer is not None:
        text = f"<msup>{text}<mrow><mo>(</mo>{_mathml_index(symbol.layer)}<mo>)</mo></mrow></msup>"
    if symbol.primed:
        text = _primed_mathml(text)
    if symbol.transposed:
        text = f'<msup><mrow><mo>(</mo>{text}<mo>)</mo></mrow><mi mathvariant="sans-serif">T</mi></msup>'
    return text


def _mathml_operator(symbol: str) -> str:
    if symbol == "":
        return ""
    shown = {"-": "−", "<=": "≤"}.get(symbol, symbol)
    return f"<mo>{escape(shown)}</mo>"


def _mathml_function(name: str) -> str:
    if name.endswith("′"):
        return _primed_mathml(_mathml_function(name[:-1]))
    known = _function_names().get(name)
    if known:
        return known[1]
    return f"<mi>{escape(name)}</mi>" if len(name) == 1 else f'<mi mathvariant="normal">{escape(name)}</mi>'


def _mathml_cases(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<mtr><mtd>{value}</mtd><mtd>{condition}</mtd></mtr>" for value, condition in rows)
    return f'<mrow><mo>{{</mo><mtable columnalign="left left">{body}</mtable></mrow>'


MATHML = _Syntax(
    name=name_mathml,
    number=number_mathml,
    blank=BLANK_MATHML,
    operator=_mathml_operator,
    row=lambda parts: "<mrow>" + "".join(parts) + "</mrow>",
    # Chromium sets a stretchy bracket around short content with gaps: only tall content gets growing brackets
    parenthesized=lambda inner: '<mrow><mo stretchy="false">(</mo>' + inner + '<mo stretchy="false">)</mo></mrow>',
    grown=lambda inner: '<mrow><mo stretchy="true">(</mo>' + inner + '<mo stretchy="true">)</mo></mrow>',
    fraction=lambda top, bottom: f"<mfrac>{top}{bottom}</mfrac>",
    power=lambda base, exponent: f"<msup>{base}{exponent}</msup>",
    exponential=lambda argument: f"<msup><mi>e</mi>{argument}</msup>",
    function=_mathml_function,
    cases=_mathml_cases,
    words=lambda text: f"<mtext>{escape(text)}</mtext>",
    partial=lambda of, wrt: (
        f"<mfrac><mrow><mo>∂</mo>{name_mathml(of)}</mrow><mrow><mo>∂</mo>{name_mathml(wrt)}</mrow></mfrac>"
    ),
    sigma=lambda index: f"<munder><mo>∑</mo>{index}</munder>",
    matrix=lambda rows: (
        '<mrow><mo>[</mo><mtable columnalign="right">'
        + "".join("<mtr>" + "".join(f"<mtd>{entry}</mtd>" for entry in row) + "</mtr>" for row in rows)
        + "</mtable><mo>]</mo></mrow>"
    ),
    layer_symbol=lambda symbol: _mathml_layer_symbol(symbol),
)


def _print(node: Node, syntax: _Syntax, blanks: bool) -> str:
    def inner(child: Node, weakest: int) -> str:
        text = _print(child, syntax, blanks)
        return _bracketed(text, [child], syntax) if _strength(child) < weakest else text

    op = syntax.operator
    if isinstance(node, Name):
        return syntax.name(node.name)
    if isinstance(node, Num):
        return syntax.blank if blanks and not node.given else syntax.number(node.text)
    if isinstance(node, Int):
        return syntax.number(str(node.value))
    if isinstance(node, Sum):
        parts: list[str] = []
        for index, (sign, term) in enumerate(node.terms):
            if index or sign < 0:
                parts.append(op("−" if sign < 0 else "+"))
            parts.append(inner(term, _PRODUCT if sign < 0 or index else _SUM))
        return syntax.row(parts)
    if isinstance(node, Product):
        parts = []
        for index, factor in enumerate(node.factors):
            if index and node.sign:
                parts.append(op(node.sign))
            weakest = _POWER if not node.sign and index == 0 else _PRODUCT + 1
            if not node.sign and isinstance(factor, (Frac,)) and index == 0:
                weakest = _PRODUCT  # ½(t − o)²: the half needs no brackets
            if isinstance(factor, Frac) and node.sign:
                weakest = _PRODUCT
            parts.append(inner(factor, weakest))
        return syntax.row(parts)
    if isinstance(node, Frac):
        return syntax.fraction(_print(node.numerator, syntax, blanks), _print(node.denominator, syntax, blanks))
    if isinstance(node, Power):
        return syntax.power(inner(node.base, _ATOM), _print(node.exponent, syntax, blanks))
    if isinstance(node, Neg):
        return syntax.row([op("−"), inner(node.operand, _PRODUCT)])
    if isinstance(node, Exp):
        return syntax.exponential(_print(node.argument, syntax, blanks))
    if isinstance(node, Call):
        arguments = [_print(argument, syntax, blanks) for argument in node.arguments]
        joined = syntax.row(_interleave(arguments, op(",")))
        return syntax.row([syntax.function(node.function), _bracketed(joined, list(node.arguments), syntax)])
    if isinstance(node, Cases):
        return syntax.cases([(_print(v, syntax, blanks), _print(c, syntax, blanks)) for v, c in node.rows])
    if isinstance(node, Compare):
        return syntax.row([_print(node.left, syntax, blanks), op(node.relation), _print(node.right, syntax, blanks)])
    if isinstance(node, Words):
        return syntax.words(node.text)
    if isinstance(node, Partial):
        fraction = syntax.partial(node.of, node.wrt)
        return syntax.row([op("−"), fraction]) if node.minus else fraction
    if isinstance(node, Sigma):
        return syntax.row([syntax.sigma(syntax.name(node.index)), inner(node.body, _PRODUCT)])
    if isinstance(node, Chain):
        return syntax.row(_interleave([_print(part, syntax, blanks) for part in node.parts], op(node.relation)))
    if isinstance(node, Sequence_):
        return syntax.row([_print(part, syntax, blanks) for part in node.parts])
    if isinstance(node, Matrix):
        return syntax.matrix([[_print(entry, syntax, blanks) for entry in row] for row in node.rows])
    if isinstance(node, LayerSymbol):
        return syntax.layer_symbol(node)
    raise TypeError(f"not a math node: {node!r}")


def _bracketed(text: str, inside: list[Node], syntax: _Syntax) -> str:
    return syntax.grown(text) if any(_tall(node) for node in inside) else syntax.parenthesized(text)


def _tall(node: Node) -> bool:
    """Whether the formula holds something taller than a line: a fraction, a ∂-fraction, a Σ, cases."""
    if isinstance(node, (Frac, Partial, Sigma, Cases, Matrix)):
        return True
    return any(_tall(child) for child in _children(node))


def _interleave(parts: list[str], separator: str) -> list[str]:
    result: list[str] = []
    for index, part in enumerate(parts):
        if index:
            result.append(separator)
        result.append(part)
    return result


def to_latex(node: Node, blanks: bool = False) -> str:
    """The tree as LaTeX math (no delimiters). `blanks`: computed numbers as blanks to fill in."""
    return _print(node, LATEX, blanks)


def mathml_body(node: Node, blanks: bool = False) -> str:
    """The tree as MathML elements, to place inside a <math> element of the caller's."""
    return _print(node, MATHML, blanks)


def to_mathml(node: Node, display: bool = False, blanks: bool = False) -> str:
    """The tree as a MathML <math> element, which browsers lay out natively."""
    mode = ' display="block"' if display else ""
    return f"<math{mode}>{_print(node, MATHML, blanks)}</math>"


__all__ = [
    "ONE_LINE_WIDTH",
    "Call",
    "Cases",
    "Chain",
    "Compare",
    "Exp",
    "Frac",
    "Int",
    "LayerSymbol",
    "Matrix",
    "Name",
    "Neg",
    "NoTextbookForm",
    "Node",
    "Num",
    "Partial",
    "Power",
    "Product",
    "Sigma",
    "Sum",
    "Words",
    "add",
    "equation",
    "from_sympy",
    "latex_text",
    "mathml_body",
    "name_latex",
    "name_mathml",
    "names_in",
    "number_latex",
    "number_mathml",
    "substitute",
    "to_latex",
    "to_mathml",
    "width",
]


# ── size ──────────────────────────────────────────────────────────────────────

ONE_LINE_WIDTH = 38.0  # ems: a displayed row up to this wide (estimated) stays on one line


def width(node: Node) -> float:
    """A rough width of the printed formula, in ems, to choose how many parts of a chain share a row."""
    if isinstance(node, Name):
        base, subscript, primed = split_name(node.name)
        return 0.55 * len(base) + 0.4 * len(subscript) + (0.3 if primed else 0.0)
    if isinstance(node, Num):
        mantissa, mark, _ = node.text.partition("e")
        return 0.5 * len(mantissa) + (2.8 if mark else 0.0)
    if isinstance(node, Int):
        return 0.5 * len(str(node.value))
    if isinstance(node, Sum):
        return sum(width(term) + 1.2 for _, term in node.terms) - 1.2 + (1.2 if node.terms[0][0] < 0 else 0.0)
    if isinstance(node, Product):
        sign = 1.0 if node.sign else 0.0
        return sum(width(factor) + sign + _bracket_width(factor) for factor in node.factors) - sign
    if isinstance(node, Frac):
        return max(width(node.numerator), width(node.denominator)) + 0.4
    if isinstance(node, Power):
        return width(node.base) + _bracket_width(node.base) + 0.7 * width(node.exponent)
    if isinstance(node, Neg):
        return width(node.operand) + 1.0 + _bracket_width(node.operand)
    if isinstance(node, Exp):
        return 0.6 + 0.7 * width(node.argument)
    if isinstance(node, Call):
        return 0.6 * len(node.function) + sum(width(argument) + 0.5 for argument in node.arguments) + 0.8
    if isinstance(node, Partial):
        return 0.5 * max(len(node.of), len(node.wrt)) + 1.2 + (1.0 if node.minus else 0.0)
    if isinstance(node, Cases):
        return 2.0 + max(width(value) + width(condition) + 2.0 for value, condition in node.rows)
    if isinstance(node, Compare):
        return width(node.left) + width(node.right) + 1.4
    if isinstance(node, Words):
        return 0.5 * len(node.text)
    if isinstance(node, Sigma):
        return 1.6 + width(node.body)
    if isinstance(node, (Chain, Sequence_)):
        return sum(width(part) + 1.4 for part in node.parts) - 1.4
    if isinstance(node, Matrix):
        columns = zip(*node.rows, strict=True)
        return 1.2 + sum(max(width(entry) for entry in column) + 1.0 for column in columns)
    if isinstance(node, LayerSymbol):
        return 1.6 + (1.4 if node.transposed else 0.0) + 0.4 * len(node.subscript)
    return 1.0


def _bracket_width(node: Node) -> float:
    return 0.8 if isinstance(node, (Sum, Neg)) else 0.0
