"""The Python API's `form`: the matrix form of a handout and of `explain`, as `--form matrix` gives them."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import bptutor
from bptutor.api import LayerExplanation, Solution
from bptutor.cli.app import app
from bptutor.errors import UsageError

ENVIRONMENT = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}


def solved(name: str, step: int = 1) -> Solution:
    solution = bptutor.solve(name, step=step)
    assert isinstance(solution, Solution)
    return solution


def cli(*arguments: str) -> str:
    result = CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("name", "step"), [("two_two_two", 1), ("softmax_two_layer", 1), ("xor", 3)])
def test_a_matrix_handout_is_the_one_solve_writes(name, step):
    solution = solved(name, step)
    for fmt, method in (("md", solution.to_markdown), ("tex", solution.to_latex), ("html", solution.to_html)):
        command = ["solve", name, "--format", fmt, "--form", "matrix", "--step", str(step), "--lang", "zh"]
        assert method(form="matrix", lang="zh") == cli(*command)
    assert solution.to_markdown(form="matrix") != solution.to_markdown()
    assert "\\begin{bmatrix}" in solution.to_latex(form="matrix")
    assert "<mtable" in solution.to_html(form="matrix")


@pytest.mark.parametrize(
    ("name", "step", "asked"),
    [("two_two_two", 1, "dW^(2)"), ("two_two_two", 1, "δ^(1)"), ("softmax_two_layer", 1, "delta^(2)"), ("xor", 3, "db^(1)")],
)
def test_a_layer_explanation_is_the_one_explain_prints(name, step, asked):
    explanation = solved(name, step).explain(asked)
    assert isinstance(explanation, LayerExplanation)
    assert explanation.text() == cli("explain", asked, "-s", name, "--step", str(step))


def test_form_matrix_explains_the_layer_of_a_weight():
    solution = solved("two_two_two")
    explanation = solution.explain("w6", form="matrix")
    assert isinstance(explanation, LayerExplanation)
    assert (explanation.symbol, explanation.layer) == ("dW", 2)
    assert explanation.text() == cli("explain", "w6", "--form", "matrix")


def test_the_matrix_entries_are_the_scalar_gradients():
    """∂E/∂W^(2) of the 2-2-2 network: row o1 holds w5 (from h1) and w6 (from h2), row o2 w7 and w8 (by hand)."""
    solution = solved("two_two_two")
    places = [["w5", "w6"], ["w7", "w8"]]
    matrix = solution.explain("dW^(2)").matrix
    assert matrix == tuple(tuple(solution.gradient(name) for name in row) for row in places)
    assert solution.explain("δ^(2)").matrix == ((solution.gradient("in_o1"),), (solution.gradient("in_o2"),))
    assert solution.explain("db^(1)").matrix == ((solution.gradient("b1"),), (solution.gradient("b2"),))
    assert repr(solution.explain("dW^(2)")) == "<LayerExplanation dW^(2) in two_two_two, 2×2>"
    assert solution.matrices().layer(2).weight_names == (("w5", "w6"), ("w7", "w8"))


def test_a_batch_layer_has_a_column_per_sample():
    """xor at step 3: Δ^(1) is 2×4, each column sample i's δ_h1, δ_h2 (derived by `explain δ_h1[i]`)."""
    solution = solved("xor", 3)
    matrix = solution.explain("δ^(1)").matrix
    assert len(matrix) == 2 and all(len(row) == 4 for row in matrix)
    for i in range(4):
        for j, neuron in enumerate(("h1", "h2")):
            explanation = solution.explain(f"δ_{neuron}[{i + 1}]")
            assert not isinstance(explanation, LayerExplanation)
            assert explanation.gradient == pytest.approx(matrix[j][i], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda s: s.to_markdown(form="matrx"), "form is 'scalar'"),
        (lambda s: s.explain("w5", form="Matrix"), "form is 'scalar'"),
        (lambda s: s.explain("dW^(3)"), "layers 1 to 2"),
        (lambda s: s.explain("nothing", form="matrix"), "names no layer matrix of two_two_two"),
    ],
)
def test_a_wrong_form_or_layer_is_a_usage_error(call, words):
    with pytest.raises(UsageError) as raised:
        call(solved("two_two_two"))
    assert words in raised.value.render("en")
