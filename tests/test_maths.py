"""The handouts' math: trees built by hand and from sympy, printed as LaTeX and as MathML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sympy

from bptutor.core.ops import ACTIVATIONS, LOSSES
from bptutor.handout import maths
from bptutor.handout.maths import Call, Chain, Frac, Int, Name, Neg, Num, Partial, Product, Sigma, Sum


@pytest.mark.parametrize(
    ("name", "latex"),
    [
        ("w5", "w_{5}"),
        ("in_h1", "\\mathrm{in}_{h1}"),
        ("out_o2", "\\mathrm{out}_{o2}"),
        ("E_total", "E_{\\mathrm{total}}"),
        ("δ_o1", "\\delta_{o1}"),
        ("w5′", "w_{5}^{\\prime}"),
        ("b_h", "b_{h}"),
        ("w_kj", "w_{kj}"),
        ("Loss", "\\mathrm{Loss}"),
        ("target_o1", "\\mathrm{target}_{o1}"),
        ("z", "z"),
        ("η", "\\eta"),
    ],
)
def test_names_in_latex(name, latex):
    assert maths.name_latex(name) == latex


def test_names_in_mathml():
    assert maths.name_mathml("in_h1") == '<msub><mi mathvariant="normal">in</mi><mrow><mi>h</mi><mn>1</mn></mrow></msub>'
    assert maths.name_mathml("w5") == "<msub><mi>w</mi><mn>5</mn></msub>"
    # the prime U+2032 is drawn raised already: after the symbol, not in a superscript, where it floats away
    assert maths.name_mathml("w5′") == '<mrow><msub><mi>w</mi><mn>5</mn></msub><mo lspace="0" rspace="0">′</mo></mrow>'
    # index letters are italic like every one-letter name: one <mi> each (Chromium sets a multi-letter <mi> upright)
    assert maths.name_mathml("w_kj") == "<msub><mi>w</mi><mrow><mi>k</mi><mi>j</mi></mrow></msub>"
    assert maths.name_mathml("Err_j") == '<msub><mi mathvariant="normal">Err</mi><mi>j</mi></msub>'


def test_weighted_sum_with_numbers_keeps_its_order_and_switches_to_times():
    symbols = Sum(((1, Product((Name("w1"), Name("i1")))), (1, Product((Name("w2"), Name("i2")))), (1, Name("b1"))))
    assert maths.to_latex(symbols) == "w_{1} \\cdot i_{1} + w_{2} \\cdot i_{2} + b_{1}"
    numbers = {"w1": Num("0.1", True), "i1": Num("0.1", True), "w2": Num("0.2", True), "i2": Num("0.2", True)}
    filled = maths.substitute(symbols, {**numbers, "b1": Num("0.55", True)})
    assert maths.to_latex(filled) == "0.1 \\times 0.1 + 0.2 \\times 0.2 + 0.55"


def test_negative_terms_and_factors_get_brackets():
    node = Product((Neg(Num("0.15")), Num("0.13")), "×")
    assert maths.to_latex(node) == "\\left(- 0.15\\right) \\times 0.13"
    difference = Sum(((1, Num("0.01", True)), (-1, Num("0.79"))))
    assert maths.to_latex(Neg(difference)) == "- \\left(0.01 - 0.79\\right)"
    assert maths.to_latex(Sum(((1, Name("a")), (-1, Neg(Num("2")))))) == "a - \\left(- 2\\right)"


def test_bp2_brackets_the_sum_over_the_layer_above():
    node = Chain((Name("δ_j"), Product((Sigma("k", Product((Name("w_kj"), Name("δ_k")))), Call("f′", (Name("in_j"),))))))
    assert maths.to_latex(node) == (
        "\\delta_{j} = \\left(\\sum_{k} w_{kj} \\cdot \\delta_{k}\\right) \\cdot "
        "f^{\\prime} \\left(\\mathrm{in}_{j}\\right)"
    )


def test_worksheet_blanks_computed_numbers_only():
    node = Chain((Name("y"), Product((Num("0.5", True), Num("0.6456563062")), "×"), Num("0.3228281531")))
    printed = maths.to_latex(node, blanks=True)
    assert printed == f"y = 0.5 \\times {maths.BLANK_LATEX} = {maths.BLANK_LATEX}"
    assert "0.6456563062" not in maths.to_mathml(node, blanks=True)
    assert "<mn>0.5</mn>" in maths.to_mathml(node, blanks=True)


def test_sympy_forms_read_as_a_textbook_writes_them():
    z, a = sympy.symbols("in_h1 out_h1")
    t, o = sympy.symbols("target_o1 out_o1")
    sigmoid = ACTIVATIONS["sigmoid"].sympy_forward(z, 0)
    assert maths.to_latex(maths.from_sympy(sigmoid)) == "\\frac{1}{1 + e^{- \\mathrm{in}_{h1}}}"
    assert maths.to_latex(maths.from_sympy(sympy.diff(sigmoid, z))) == (
        "\\frac{e^{- \\mathrm{in}_{h1}}}{\\left(1 + e^{- \\mathrm{in}_{h1}}\\right)^{2}}"
    )
    textbook = ACTIVATIONS["sigmoid"].sympy_textbook_derivative(z, a, 0)
    assert maths.to_latex(maths.from_sympy(textbook)) == "\\mathrm{out}_{h1} \\cdot \\left(1 - \\mathrm{out}_{h1}\\right)"
    half = LOSSES["half_sse"]
    assert maths.to_latex(maths.from_sympy(half.sympy_term(t, o))) == (
        "\\frac{1}{2} \\left(\\mathrm{target}_{o1} - \\mathrm{out}_{o1}\\right)^{2}"
    )
    assert maths.to_latex(maths.from_sympy(half.sympy_derivative(t, o, 2))) == (
        "- \\left(\\mathrm{target}_{o1} - \\mathrm{out}_{o1}\\right)"
    )
    mse = LOSSES["mse"]
    assert maths.to_latex(maths.from_sympy(mse.sympy_derivative(t, o, 3))) == (
        "- \\frac{2}{3} \\left(\\mathrm{target}_{o1} - \\mathrm{out}_{o1}\\right)"
    )
    assert maths.to_latex(maths.from_sympy(LOSSES["sse"].sympy_error(t, o, 2))) == (
        "2 \\left(\\mathrm{target}_{o1} - \\mathrm{out}_{o1}\\right)"
    )


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_every_activation_prints_as_well_formed_mathml(activation):
    z, a = sympy.symbols("z a")
    op = ACTIVATIONS[activation]
    for expression in (op.sympy_forward(z, sympy.Float(0.01)), op.sympy_textbook_derivative(z, a, sympy.Float(0.01))):
        node = maths.from_sympy(expression)
        ET.fromstring(maths.to_mathml(node, display=True))  # parses: every element closed
        assert "\\" not in maths.to_mathml(node)


def test_the_sympy_tree_evaluates_to_sympys_value():
    """The printed tree is the same function: rebuild it in Python and compare at a point."""
    z = sympy.Symbol("z")
    for name in ("sigmoid", "tanh"):
        expression = sympy.diff(ACTIVATIONS[name].sympy_forward(z, 0), z)
        node = maths.from_sympy(expression)
        assert abs(_evaluate(node, {"z": 0.3}) - float(expression.subs(z, 0.3))) < 1e-12


def _evaluate(node, values):
    import math

    if isinstance(node, Name):
        return values[node.name]
    if isinstance(node, Int):
        return node.value
    if isinstance(node, Num):
        return float(node.text)
    if isinstance(node, Neg):
        return -_evaluate(node.operand, values)
    if isinstance(node, Sum):
        return sum(sign * _evaluate(term, values) for sign, term in node.terms)
    if isinstance(node, Product):
        return math.prod(_evaluate(factor, values) for factor in node.factors)
    if isinstance(node, Frac):
        return _evaluate(node.numerator, values) / _evaluate(node.denominator, values)
    if isinstance(node, maths.Power):
        return _evaluate(node.base, values) ** _evaluate(node.exponent, values)
    if isinstance(node, maths.Exp):
        return math.exp(_evaluate(node.argument, values))
    if isinstance(node, Call) and node.function == "tanh":
        return math.tanh(_evaluate(node.arguments[0], values))
    raise TypeError(node)


def test_partial_and_minus_partial():
    assert maths.to_latex(Partial("E_total", "w5")) == "\\frac{\\partial E_{\\mathrm{total}}}{\\partial w_{5}}"
    assert maths.to_latex(Partial("E", "I_j", minus=True)) == "- \\frac{\\partial E}{\\partial I_{j}}"
    assert maths.to_latex(Frac(Int(1), Int(2))) == "\\frac{1}{2}"
