"""Typesetting in every handout format, under every convention: brackets where a sign needs them and only
there, a real prime and minus, growing fences, italic index letters, BP tags on their equation's line."""

from __future__ import annotations

import re

import pytest
from test_handout import SCENARIO_CASES, _two_two_two_data

from bptutor.core.trace import run
from bptutor.handout.document import build_handout
from bptutor.handout.formats import to_html, to_latex, to_markdown
from bptutor.loading.scenario import scenario_from_data


def _negative_sigmoid():
    """2-2-2 with a negative pre-activation: 1/(1 + e^{−in}) gets a negative number substituted."""
    data = _two_two_two_data()
    data["parameters"] = {**data["parameters"], "b1": -3.9, "w6": -0.6}
    return scenario_from_data({**data, "name": "negative"})


CASES = {**SCENARIO_CASES, "negative": _negative_sigmoid()}
PRINTERS = {"md": to_markdown, "tex": to_latex, "html": to_html}


def _document(case: str, fmt: str, detail: str = "full") -> str:
    return PRINTERS[fmt](build_handout(run(CASES[case]), "en", detail=detail))


def _latex_math(document: str) -> str:
    """The math of a Markdown or LaTeX handout, tags and words inside it left out."""
    pieces = re.findall(r"\$\$(.*?)\$\$|\\\[(.*?)\\\]|\$(.*?)\$", document, flags=re.S)
    text = "\n".join(part for piece in pieces for part in piece if part)
    return re.sub(r"\\(tag\*|text)\{[^{}]*\}", "", text)


def _mathml(document: str) -> str:
    """The MathML of the page with <mrow> grouping removed, so neighbours in reading order stand side by side."""
    math = "".join(re.findall(r"<math.*?</math>", document, flags=re.S))
    return re.sub(r"</?mrow>", "", re.sub(r'<mo stretchy="(true|false)">', "<mo>", math))


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("fmt", ["md", "tex"])
def test_latex_signs_and_brackets(case, fmt):
    math = _latex_math(_document(case, fmt))
    # never two signs in a row: a negative after + − × · is bracketed
    assert not re.search(r"(\+|(?<![&=]) -|\\times|\\cdot)\s*-", math)
    # brackets exactly once: never ((…)), never a function's own brackets around bracketed negatives
    assert "\\left(\\left(" not in math.replace(" ", "")
    # every bracket grows with what it holds
    assert not re.search(r"(?<!\\left)\((?!BP)", math.replace("\\left(", "")), "a bracket that does not grow"
    # a real prime, never an apostrophe
    assert "'" not in math and "^{\\prime}" in math


@pytest.mark.parametrize("case", sorted(CASES))
def test_mathml_signs_brackets_primes_and_minus(case):
    html = _document(case, "html")
    math = _mathml(html)
    operators = "|".join(["\\+", "−", "×", "·"])
    assert not re.search(f"<mo>({operators})</mo><mo>−</mo>", math)
    assert "<mo>(</mo><mo>(</mo>" not in math
    # brackets around something tall (a Σ, a fraction) grow with it; around a line of text they keep their size
    raw = re.sub(r"</?mrow>", "", html)
    assert re.search(r'<mo stretchy="true">\(</mo><munder>', raw)
    assert not re.search(r'<mo stretchy="true">\(</mo><mi>[^<]*</mi><mo stretchy="true">\)', raw)
    # a true minus everywhere: no hyphen in a number or an operator
    assert not re.search(r"<m[no][^>]*>[^<]*-", math)
    # the prime: U+2032 after its symbol, never a superscript of its own
    assert '<mo lspace="0" rspace="0">′</mo>' in math and not re.search(r"<mo>′</mo></msup>", math)
    assert 'mathvariant="italic"' not in math


@pytest.mark.parametrize("fmt", ["md", "tex", "html"])
@pytest.mark.parametrize("case", ["variety_textbook", "two_two_two_updated"])
def test_the_textbook_update_brackets_the_signal(case, fmt):
    """Under error_term: textbook, p′ = p + η · (−∂E/∂p): a product with a signed factor needs its brackets."""
    document = _document(case, fmt, "standard")
    if fmt == "html":
        assert re.search(r"<mi>η</mi><mo>·</mo><mo>\(</mo><mo>−</mo><mfrac>", _mathml(document))
    else:
        assert re.search(r"\\eta \\cdot \\left\(- \\frac\{\\partial", document)


@pytest.mark.parametrize("fmt", ["md", "tex", "html"])
def test_a_substituted_negative_is_bracketed_once(fmt):
    """e^{−in} with in = −3.85 is e^{−(−3.85)}; σ(in) with it is σ(−3.85), the function's own brackets only."""
    document = _document("negative", fmt)
    if fmt == "html":
        math = _mathml(document)
        assert "<msup><mi>e</mi><mo>−</mo><mo>(</mo><mo>−</mo><mn>3.85</mn><mo>)</mo></msup>" in math
        assert "<mo>(</mo><mo>(</mo>" not in math
    else:
        assert "e^{- \\left(- 3.85\\right)}" in document
        assert "\\left(\\left(" not in document.replace(" ", "")


@pytest.mark.parametrize("fmt", ["md", "tex", "html"])
def test_the_bp_labels_sit_on_their_equations_line(fmt):
    document = _document("two_two_two", fmt, "standard")
    for number in range(1, 5):
        if fmt == "html":
            tagged = rf'<div class="display tagged"><math[^>]*>.*?</math><span class="tag">\(BP{number}\)</span>'
            assert re.search(tagged, document)
        else:
            assert re.search(rf"\\delta_\{{j\}}.*\\tag\*\{{\(BP1\)\}}|\\tag\*\{{\(BP{number}\)\}}", document)
            assert f"(BP{number})\n" not in document


def test_index_letters_are_italic_like_single_letters():
    html = _document("two_two_two", "html", "standard")
    assert "<msub><mi>w</mi><mi>k</mi><mi>j</mi></msub>" in _mathml(html)
    assert "w_{kj}" in _document("two_two_two", "tex", "standard")


def test_worksheet_blanks_keep_the_equals_sign_in_line():
    """A blank is no space-like element: a row starting with = and a blank is no 'embellished operator'."""
    html = PRINTERS["html"](build_handout(run(CASES["two_two_two"]), "en", "worksheet"))
    assert "<mspace" not in html and '<mpadded class="blank"' in html
