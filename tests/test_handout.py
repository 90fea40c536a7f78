"""Worked-solution handouts: the content is the tracer's, every format prints all of it.

The central test walks the trace (every forward value, every local factor and
path term of the backward pass, every gradient and updated parameter) and finds
each number, with its sign, in the Markdown, LaTeX and HTML of the handout.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bptutor
from bptutor.cli.app import app
from bptutor.core.numbers import format_number
from bptutor.core.trace import run
from bptutor.handout.document import build_handout
from bptutor.handout.formats import to_html, to_latex, to_markdown
from bptutor.handout.maths import BLANK_LATEX, number_latex, number_mathml
from bptutor.loading.scenario import load_scenario, scenario_from_data

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

VARIETY = {
    # one of each activation and loss, a threshold bias, the textbook error sign, a frozen weight
    "name": "variety",
    "inputs": {"x1": 0.5, "x2": -0.3},
    "targets": {"y1": 0.2, "y2": -0.1, "y3": 0.7},
    "layers": [
        {"name": "a", "activation": "tanh", "neurons": {"h1": {"bias": "c1", "weights": {"x1": "u1", "x2": "u2"}},
                                                        "h2": {"bias": "c2", "weights": {"x1": "u3", "x2": "u4"}}}},
        {"name": "b", "activation": "relu", "neurons": {"g1": {"bias": "c3", "weights": {"h1": "v1", "h2": "v2"}},
                                                        "g2": {"weights": {"h1": "v3", "h2": "v4"}}}},
        {"name": "c", "activation": "linear", "neurons": {
            "y1": {"bias": "c4", "weights": {"g1": "r1", "g2": "r2"}},
            "y2": {"bias": "c4", "weights": {"g1": "r3", "g2": "r4"}},
            "y3": {"weights": {"g1": "r5", "g2": "r6"}}}},
    ],
    "parameters": {"u1": 0.4, "u2": -0.6, "u3": 0.1, "u4": 0.9, "c1": 0.05, "c2": -0.2, "v1": 0.7, "v2": -0.5,
                   "v3": 0.3, "v4": 0.8, "c3": 0.1, "r1": 0.6, "r2": -0.4, "r3": 0.2, "r4": 0.5, "r5": -0.3,
                   "r6": 0.9, "c4": 0.15},
    "loss": "mse",
    "learning_rate": {"default": 0.1, "c": 0.05},
    "frozen": ["r6"],
}


def _scenarios():
    yield "two_two_two", load_scenario(SCENARIOS / "two_two_two.yaml")
    yield "one_one_one", load_scenario(SCENARIOS / "one_one_one.yaml")
    yield "one_one_one_rounded", load_scenario(SCENARIOS / "one_one_one_rounded.yaml")
    yield "textbook_3_2_1", load_scenario(ROOT / "tests" / "data" / "textbook_3_2_1.yaml")
    yield "variety", scenario_from_data(VARIETY)
    textbook = dict(VARIETY, error_term="textbook", bias="threshold", name="variety_textbook")
    yield "variety_textbook", scenario_from_data(textbook)
    updated = {"error_term": "textbook", "hidden_error_weights": "updated", "rounding": {"activations": 4, "deltas": 4}}
    yield "two_two_two_updated", scenario_from_data({**_two_two_two_data(), **updated})


def _two_two_two_data():
    import yaml

    return yaml.safe_load((SCENARIOS / "two_two_two.yaml").read_text(encoding="utf-8"))


SCENARIO_CASES = dict(_scenarios())


def traced_numbers(result):
    """Every number the worked solution must show, with where it comes from."""
    step = result.first
    numbers = []
    for record in step.forward:
        numbers.append((f"value of {record.quantity}", record.value))
    for record in step.backward:
        numbers.append((f"backward value of {record.quantity}", record.value))
        for term in record.terms:
            numbers.append((f"∂{term.local.of}/∂{term.local.wrt}", term.local.value))
            numbers.append((f"upstream of {record.quantity} via {term.via}", term.upstream))
    for update in step.updates:
        numbers.append((f"gradient of {update.parameter}", update.gradient))
        numbers.append((f"new {update.parameter}", update.new))
        numbers.append((f"rate of {update.parameter}", update.rate))
    return numbers


def expected_text(value, digits: int = 10) -> str:
    """How a handout writes a number: as format_number does, but a float below 1e-4 in size in powers of ten
    (Python's own exponent formatting, trailing zeros dropped)."""
    text = format_number(value, digits)
    if isinstance(value, Decimal) or value == 0 or "e" in text or abs(value) >= 1e-4:
        return text
    mantissa, _, power = f"{value:.{digits - 1}e}".partition("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e-{abs(int(power)):02d}"


def _shown(fmt: str, document: str, value) -> bool:
    """Whether the number, with its sign, is printed: 1.5e-09 as 1.5 × 10⁻⁹ in LaTeX and MathML."""
    text = expected_text(value)
    magnitude = text.lstrip("-")
    if fmt == "html":
        positive = number_mathml(magnitude)
        return (f"<mo>−</mo>{positive}" in document) if text.startswith("-") else (positive in document)
    sign = r"- " if text.startswith("-") else r"(?<![-\d.])(?<!- )"
    return re.search(sign + re.escape(number_latex(magnitude)) + r"(?![\d])", document) is not None


@pytest.mark.parametrize("case", sorted(SCENARIO_CASES))
@pytest.mark.parametrize("fmt", ["md", "tex", "html"])
def test_every_traced_number_is_in_the_full_document(case, fmt):
    result = run(SCENARIO_CASES[case])
    handout = build_handout(result, "en", detail="full")
    document = {"md": to_markdown, "tex": to_latex, "html": to_html}[fmt](handout)
    missing = [(what, format_number(value)) for what, value in traced_numbers(result) if not _shown(fmt, document, value)]
    assert not missing, missing


def answer_numbers(result):
    """The numbers every detail prints: each forward value, each ∂E/∂q and δ, each gradient and new value."""
    step = result.first
    numbers = [(f"value of {record.quantity}", record.value) for record in step.forward]
    numbers += [(f"backward value of {record.quantity}", record.value) for record in step.backward]
    for update in step.updates:
        numbers += [(f"gradient of {update.parameter}", update.gradient), (f"new {update.parameter}", update.new)]
    return numbers


@pytest.mark.parametrize("case", sorted(SCENARIO_CASES))
@pytest.mark.parametrize("fmt", ["md", "tex", "html"])
@pytest.mark.parametrize("detail", ["standard", "brief"])
def test_every_answer_is_in_the_shorter_documents(case, fmt, detail):
    result = run(SCENARIO_CASES[case])
    document = {"md": to_markdown, "tex": to_latex, "html": to_html}[fmt](build_handout(result, "en", detail=detail))
    numbers = answer_numbers(result)
    missing = [(what, format_number(value)) for what, value in numbers if not _shown(fmt, document, value)]
    assert not missing, missing


@pytest.mark.parametrize("case", sorted(SCENARIO_CASES))
def test_html_is_well_formed_mathml_with_no_tex_left(case):
    html = to_html(build_handout(run(SCENARIO_CASES[case]), "en"))
    maths = re.findall(r"<math.*?</math>", html, flags=re.S)
    assert len(maths) > 10
    for element in maths:
        ET.fromstring(element)
    visible = re.sub(r"<[^>]+>", "", html.split("<body>")[1])
    assert "$" not in visible and "\\frac" not in visible and "\\cdot" not in visible


def test_tiny_numbers_are_printed_as_powers_of_ten():
    """A saturated sigmoid's slope (about 2e-9 here) is written 2.06… × 10^{-9}, not 2.06e-09, in every format."""
    data = _two_two_two_data()
    data["parameters"] = {**data["parameters"], "b3": 20.0}
    result = run(scenario_from_data(data))
    slope = next(record for record in result.first.backward if record.quantity == "in_o1").terms[0].local.value
    text = expected_text(slope)
    assert "e-" in text
    tex = to_latex(build_handout(result, "en"))
    assert number_latex(text) in tex and text not in tex
    assert number_mathml(text) in to_html(build_handout(result, "en"))


def test_rounded_values_are_shown_as_written():
    """Under the slides' 2-decimal policy every printed value is the rounded one (0.55, not 0.549833997)."""
    result = run(SCENARIO_CASES["one_one_one_rounded"])
    document = to_markdown(build_handout(result, "en"))
    for record in result.first.forward:
        assert isinstance(record.value, Decimal)
        assert format_number(record.value) in document
    assert "0.549833997" not in document


def test_the_worksheet_keeps_the_givens_and_blanks_the_rest():
    result = run(SCENARIO_CASES["two_two_two"])
    worksheet = to_latex(build_handout(result, "en", "worksheet"))
    assert worksheet.count(BLANK_LATEX) > 50
    for given in ("0.55", "0.56", "0.66", "0.67", "0.01", "0.99"):
        assert given in worksheet
    for computed in ("0.6456563062", "0.3226124393", "0.4590883425", "0.08182331502", "0.1267289024"):
        assert computed not in worksheet
    # the symbols are all still there
    assert worksheet.count("\\mathrm{out}_{h1}") == to_latex(build_handout(result, "en")).count("\\mathrm{out}_{h1}")


def test_the_answer_key_is_the_final_numbers_only():
    result = run(SCENARIO_CASES["two_two_two"])
    key = to_markdown(build_handout(result, "en", "answers"))
    full = to_markdown(build_handout(result, "en"))
    assert len(key) < len(full) / 3
    assert "\\frac{e^" not in key and "$$" not in key
    for number in ("0.6456563062", "0.3226124393", "0.08182331502", "0.4590883425", "0.1267289024", "0.09988767933"):
        assert number in key


def test_several_steps_add_the_loss_per_step():
    result = run(SCENARIO_CASES["two_two_two"], 4)
    document = to_markdown(build_handout(result, "en"))
    assert "## Loss over 4 steps" in document
    for step in result.steps:
        assert format_number(step.loss) in document
    assert format_number(result.final_loss) in document


def test_chinese_handout_uses_the_chinese_words():
    result = run(SCENARIO_CASES["two_two_two"])
    document = to_html(build_handout(result, "zh"))
    for words in ("正向传播", "反向传播", "参数更新", "汇总", "学习率"):
        assert words in document
    assert 'lang="zh-Hans"' in document
    tex = to_latex(build_handout(result, "zh"))
    assert "\\documentclass[11pt,UTF8]{ctexart}" in tex


def test_the_four_bp_equations_follow_the_notation():
    result = run(SCENARIO_CASES["variety_textbook"])
    tex = to_latex(build_handout(result, "en"))
    # the textbook convention names the error term Err = −∂E/∂in; a threshold enters with −1
    # a signed factor is bracketed: Err_j = (−∂E/∂out_j) · f′(in_j)
    bp1 = "\\mathrm{Err}_{j} = \\left(- \\frac{\\partial E_{\\mathrm{total}}}{\\partial \\mathrm{out}_{j}}\\right)"
    assert bp1 in tex
    assert "- \\frac{\\partial E_{\\mathrm{total}}}{\\partial \\theta_{j}} = - \\mathrm{Err}_{j}" in tex
    one = to_latex(build_handout(run(SCENARIO_CASES["one_one_one"]), "en"))
    bp1 = "\\delta_{j} = \\frac{\\partial \\mathrm{Loss}}{\\partial y_{j}} \\cdot f^{\\prime} \\left(z_{j}\\right)"
    assert bp1 in one


# ── the command and the API ───────────────────────────────────────────────────


def test_solve_writes_each_format(tmp_path):
    runner = CliRunner()
    for fmt, marker in (("md", "$$"), ("tex", "\\begin{document}"), ("html", "<math")):
        target = tmp_path / f"solution.{fmt}"
        result = runner.invoke(app, ["solve", "two_two_two", "--format", fmt, "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert marker in target.read_text(encoding="utf-8")
    svg = tmp_path / "solution.network.svg"
    assert svg.exists() and "](solution.network.svg)" in (tmp_path / "solution.md").read_text(encoding="utf-8")


def test_solve_to_standard_output_and_its_usage_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["solve", "one_one_one", "--answers-only"])
    assert result.exit_code == 0 and "Answer key" in result.output
    both = runner.invoke(app, ["solve", "one_one_one", "--answers-only", "--worksheet"])
    assert both.exit_code == 2 and "exclude each other" in both.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ninputs: [1\n", encoding="utf-8")
    assert runner.invoke(app, ["solve", str(bad)]).exit_code == 3
    unwritable = runner.invoke(app, ["solve", "one_one_one", "-o", str(tmp_path / "no" / "such" / "dir.md")])
    assert unwritable.exit_code == 2 and "Traceback" not in unwritable.output


def test_the_python_api_matches_the_tracer():
    solution = bptutor.solve("two_two_two")
    traced = run(SCENARIO_CASES["two_two_two"])
    assert solution.gradient("w5") == traced.first.gradient("w5")
    assert solution.value("out_h1") == traced.first.value("out_h1")
    assert solution.new_value("w1") == traced.first.new_parameters["w1"]
    assert solution.gradients == {name: float(value) for name, value in traced.first.gradients.items()}
    from_dict = bptutor.solve(_two_two_two_data())
    assert from_dict.loss == solution.loss
    assert len(bptutor.solve("one_one_one", steps=3).losses) == 4


def test_the_python_api_displays_itself_in_a_notebook():
    solution = bptutor.solve("one_one_one")
    html = solution._repr_html_()
    assert html.startswith('<div class="bptutor"') and "<math" in html and "<html" not in html
    assert "$$" in solution._repr_markdown_()
    assert solution._repr_latex_().startswith("\\section*{1-1-1 sigmoid network")
    explanation = solution.explain("w_h")
    assert "Chain rule" in explanation.text() and "<pre>" in explanation._repr_html_()
    assert explanation.gradient == pytest.approx(solution.gradient("w_h"), rel=1e-12)


def test_the_python_api_reports_bad_input_as_scenario_errors():
    with pytest.raises(bptutor.ScenarioError, match=r"missing key 'inputs'"):
        bptutor.load({"name": "incomplete"})
    with pytest.raises(bptutor.ScenarioError, match="no_such_scenario"):
        bptutor.load("no_such_scenario")


def test_a_large_network_gets_its_answer_key_but_no_worked_solution(tmp_path):
    """Above 400 parameters a full solution would be hundreds of pages: exit 2 with what to use instead."""
    path = tmp_path / "wide.yaml"
    path.write_text(
        "name: wide\nshape: [20, 20, 2]\nactivation: sigmoid\ninit: {scheme: xavier, seed: 1, decimals: 2}\n"
        "inputs: {generate: uniform, seed: 2}\ntargets: {one_hot: 1}\nloss: half_sse\nlearning_rate: 0.5\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    refused = runner.invoke(app, ["solve", str(path)])
    assert refused.exit_code == 2
    assert "462 parameters" in refused.output and "solve --answers-only" in refused.output
    key = runner.invoke(app, ["solve", str(path), "--answers-only"])
    assert key.exit_code == 0 and "Answer key" in key.output
    with pytest.raises(bptutor.UsageError):
        bptutor.solve(str(path)).to_markdown()


def test_tanh_is_defined_by_exponentials_and_never_written_equal_to_itself():
    result = CliRunner().invoke(app, ["solve", "xor", "--format", "md"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert r"\tanh \left(z\right) = \frac{e^{z} - e^{- z}}{e^{z} + e^{- z}}" in text
    assert not re.search(r"(\\tanh \\left\(\\mathrm\{in\}_\{\w+\}\\right\)) = \1", text)
    assert r"\mathrm{out}_{h1} = \tanh \left(\mathrm{in}_{h1}\right) = \tanh \left(0.1\right)" in text
