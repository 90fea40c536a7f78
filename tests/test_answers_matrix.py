"""Matrix entries in an answers file: dW^(2)_{1,2}, δ^(2)_1, W^(2)'_{1,2}, A^(1)_{2,3} name scalar quantities.

Row j counts the neurons of layer l and column k those of layer l − 1 (the inputs for l = 1), both from 1, as
the matrix form prints W^(l): rows o1, o2; columns h1, h2. The names below are read off the 2-2-2 network of the
notes by hand (w5 joins h1 to o1, w6 h2 to o1, w7 h1 to o2, w8 h2 to o2); the values are the matrix form's own
entries, each of which must be graded right under the scalar name its entry resolves to.
"""

from __future__ import annotations

import pytest

from bptutor.api import load
from bptutor.core.scenario import Scenario
from bptutor.core.trace import run
from bptutor.derive.matrix import MatrixForm, matrix_form
from bptutor.teach.answers import load_answers_text
from bptutor.teach.check import check
from bptutor.teach.grading import RIGHT
from bptutor.teach.solution import WorkedSteps


@pytest.fixture(scope="module")
def solution(two_two_two):
    return WorkedSteps(two_two_two)


def names(solution, *written: str) -> list[str]:
    text = "".join(f'"{name}": 0.5\n' for name in written)
    return [claim.name for claim in load_answers_text(text, "a.yaml", solution).claims]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("dW^(2)_{1,2}", "∂E_total/∂w6"),
        ("dW2[1,2]", "∂E_total/∂w6"),
        ("∂E/∂W^(2)_12", "∂E_total/∂w6"),
        ("dE_total/dW^(2)_{2,1}", "∂E_total/∂w7"),
        ("dw^{[2]}_{21}", "∂E_total/∂w7"),
        ("∂L/∂W^{(1)}_{1,2}", "∂E_total/∂w2"),
        ("δ^(2)_1", "δ_o1"),
        ("delta2_1", "δ_o1"),
        ("Δ^(1)_2", "δ_h2"),
        ("dz^(2)_2", "δ_o2"),
        ("∂E/∂z^(1)_1", "δ_h1"),
        ("W^(2)'_{1,2}", "w6′"),
        ("W^(2)_{1,2}'", "w6′"),
        ("W2′[2,2]", "w8′"),
        ("a^(1)_2", "out_h2"),
        ("a^(2)_1", "out_o1"),
        ("A^{(2)}_{2,1}", "out_o2"),  # one example: one column
        ("z^(2)_1", "in_o1"),
        ("z^[1]_2", "in_h2"),
        ("db^(2)_1", "∂E_total/∂b3"),
        ("∂E/∂b^(1)_2", "∂E_total/∂b2"),
        ("b^(1)'_2", "b2′"),
    ],
)
def test_matrix_entries_name_the_scalar_quantity(solution, written, name):
    assert names(solution, written) == [name]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("dW^(2)_{3,1}", "dW^(2)_{2,1}"),  # W^(2) is 2×2: no row 3
        ("δ^(3)_1", "δ^(2)_{1}"),  # two layers
        ("a^(1)_{2,2}", "a^(1)_{2,1}"),  # one example: no second column
        ("dW^(2)_{123}", None),  # row 1 and column 23, or row 12 and column 3: not clear, not guessed
    ],
)
def test_entries_outside_the_matrices_are_reported_with_a_did_you_mean(solution, written, hint):
    answers = load_answers_text(f'"{written}": 0.5\nout_h1: 0.6456563062\n', "a.yaml", solution)
    (unknown,) = answers.unknown
    assert unknown.written == written
    rendered = unknown.problem.render("en")
    assert "unknown quantity" in rendered
    if hint is not None:
        assert f"did you mean '{hint}'" in rendered


def test_a_weight_or_bias_entry_is_given_and_points_to_its_new_value(solution):
    answers = load_answers_text('"W^(2)_{1,2}": 0.6\n"b^(2)_1": 0.66\nout_h1: 0.6456563062\n', "a.yaml", solution)
    problems = [unknown.problem.render("en") for unknown in answers.unknown]
    assert ["given in the scenario" in problem for problem in problems] == [True, True]
    assert "w6'" in problems[0] and "b3'" in problems[1]


def _claims(form: MatrixForm, batch: bool, per_sample: bool = False) -> dict[str, float]:
    """Every entry of every matrix of the matrix form, named as an answers file names it, with its value.

    `per_sample`: the entries of A, Z and Δ named as sample i's values, a^(l)_j[i], rather than A^(l)_{j,i}."""
    claims: dict[str, float] = {}
    for layer in form.layers:
        lth = layer.number
        for j in range(layer.size):
            for k in range(layer.fan_in):
                claims[f"dW^({lth})_{{{j + 1},{k + 1}}}"] = float(layer.weight_gradient[j][k])
            if layer.bias_names.count(layer.bias_names[j]) == 1:  # a bias shared by the layer: no entry is its gradient
                claims[f"db^({lth})_{j + 1}"] = float(layer.bias_gradient[j])
            for i in range(form.m):
                if per_sample:
                    claims[f"a^({lth})_{j + 1}[{i + 1}]"] = float(layer.a[j][i])
                    claims[f"z{lth}_{j + 1}[{i + 1}]"] = float(layer.z[j][i])
                    claims[f"delta{lth}_{j + 1}[{i + 1}]"] = float(layer.delta[j][i])
                    continue
                column = f"_{{{j + 1},{i + 1}}}" if batch else f"_{j + 1}"
                claims[f"A^({lth}){column}"] = float(layer.a[j][i])
                claims[f"Z^({lth}){column}"] = float(layer.z[j][i])
                claims[f"Δ^({lth}){column}"] = float(layer.delta[j][i])
    return claims


@pytest.mark.parametrize(
    ("name", "per_sample"),
    [("two_two_two", False), ("softmax_two_layer", False), ("two_samples", False), ("two_samples", True), ("xor", False)],
)
def test_every_entry_of_the_matrix_form_is_right_under_its_name(name, per_sample):
    scenario = load(name)
    assert isinstance(scenario, Scenario)
    solution = WorkedSteps(scenario)
    form = matrix_form(run(solution.scenario, 1))
    claims = _claims(form, form.batch, per_sample)
    text = "".join(f'"{written}": "{value:.8f}"\n' for written, value in claims.items())
    answers = load_answers_text(text, "a.yaml", solution)
    assert answers.unknown == ()
    assert len(answers.claims) == len(claims)
    report = check(solution.scenario, answers.claims, diagnose=False)
    verdicts = {row.claim.written_as: row.verdict for row in report.rows if row.claim is not None}
    assert verdicts == dict.fromkeys(claims, RIGHT)


def test_a_shared_bias_has_no_gradient_entry():
    """two_samples shares b1 between h1 and h2: ∂E/∂b1 sums two entries of ∂E/∂b^(1), so neither is it."""
    solution = WorkedSteps(load("two_samples"))  # type: ignore[arg-type]
    answers = load_answers_text('"db^(1)_1": 0.1\n"db^(2)_1": 0.1\n', "a.yaml", solution)
    assert [claim.name for claim in answers.claims] == ["∂E_total/∂b2"]
    assert [unknown.written for unknown in answers.unknown] == ["db^(1)_1"]
