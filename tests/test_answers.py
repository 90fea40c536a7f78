"""The answers file: the names people write, numbers kept as written, and bad files at FILE:LINE:COLUMN."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bptutor.errors import ScenarioError
from bptutor.loading.scenario import load_scenario_text
from bptutor.teach.answers import NameTable, load_answers, load_answers_text, parse_number
from bptutor.teach.solution import WorkedSteps


@pytest.fixture(scope="module")
def solution(two_two_two):
    return WorkedSteps(two_two_two)


def resolved(solution, text: str) -> list[tuple[str, str]]:
    return [(claim.name, claim.text) for claim in load_answers_text(text, "a.yaml", solution).claims]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("in_h1", "in_h1"),
        ("in_O1", "in_o1"),  # the notes write in_O1
        ("OUT_H2", "out_h2"),
        ("E_total", "E_total"),
        ("E_o1", "E_o1"),
        ("dE_total/dw5", "∂E_total/∂w5"),
        ("∂E_total/∂w5", "∂E_total/∂w5"),
        ("dE/dw5", "∂E_total/∂w5"),
        ("dE_total / dw5", "∂E_total/∂w5"),
        ("dL/dw5", "∂E_total/∂w5"),
        ("grad_w5", "∂E_total/∂w5"),
        ("grad_b3", "∂E_total/∂b3"),
        ("dE_total/dout_o1", "∂E_total/∂out_o1"),
        ("dout_o1/din_o1", "∂out_o1/∂in_o1"),
        ("din_o1/dw5", "∂in_o1/∂w5"),
        ("δ_o1", "δ_o1"),
        ("delta_o1", "δ_o1"),
        ("dE_total/din_o1", "δ_o1"),
        ("Delta_H1", "δ_h1"),
        ("w5'", "w5′"),
        ("w5′", "w5′"),
        ("w5_new", "w5′"),
        ("w5+", "w5′"),
        ("new_w5", "w5′"),
        ("W5'", "w5′"),
        ("b3_new", "b3′"),
        # the spellings: the loss as E, underscores left out, the derivative of E or Etotal
        ("E", "E_total"),
        ("Etotal", "E_total"),
        ("e_total", "E_total"),
        ("δo2", "δ_o2"),
        ("delta_o2", "δ_o2"),
        ("deltao2", "δ_o2"),
        ("∂E/∂w5", "∂E_total/∂w5"),
        ("dEtotal/dw5", "∂E_total/∂w5"),
        ("∂Etotal/∂w5", "∂E_total/∂w5"),
        ("w5new", "w5′"),
        ("w5^+", "w5′"),
        ("w5_next", "w5′"),
        ("outh1", "out_h1"),
    ],
)
def test_the_names_people_write(solution, written, name):
    assert resolved(solution, f'"{written}": 0.5\n') == [(name, "0.5")]


def test_the_other_spellings_are_made_only_when_a_name_is_not_written_exactly(solution):
    """A file of exact names (the published answers) needs only the exact table: the case-folded, loosened and
    matrix tables and the suggestions are made on the first name not found exactly, and then resolve as ever."""
    lazy = ("folded", "loose", "_entries", "suggestions")
    table = NameTable(solution)
    assert table.resolve("out_h1") == "out_h1" and table.resolve("∂E_total/∂w5") == "∂E_total/∂w5"
    assert not any(name in vars(table) for name in lazy)
    assert table.resolve("OUT_H2") == "out_h2" and table.resolve("Etotal") == "E_total"
    assert table.resolve("W^(2)_{1,2}") is None and table.resolve("W^(2)'_{1,2}") == "w6′"
    assert table.is_given("W^(2)_{1,2}") == "w6" and "out_h1" in table.suggestions
    assert all(name in vars(table) for name in lazy)


def test_numbers_are_kept_as_written(solution):
    claims = load_answers_text("out_h1: 0.50\nout_h2: '0.6600'\nin_h1: 6e-1\nw5': [0.459, 0.4591]\n", "a.yaml", solution).claims
    assert [(c.name, c.text, c.decimals) for c in claims] == [
        ("out_h1", "0.50", 2),
        ("out_h2", "0.6600", 4),
        ("in_h1", "6e-1", 1),
        ("w5′", "0.459", 3),
        ("w5′", "0.4591", 4),
    ]
    assert claims[0].value == Decimal("0.5") and claims[0].location.line == 1 and claims[0].location.column == 9
    assert parse_number("-0.02") == (Decimal("-0.02"), 2)
    assert parse_number("1e-3") == (Decimal("0.001"), 3)
    assert parse_number(".5") == (Decimal(".5"), 1)
    for bad in ("abc", "nan", ".inf", "0x10", "1_000", "", "1e400"):
        assert parse_number(bad) is None, bad


def test_other_notations_have_their_own_names(one_one_one):
    solution = WorkedSteps(one_one_one)  # z_h, y_h, Loss
    assert resolved(solution, "dE/dw_o: -0.03\n") == [("∂Loss/∂w_o", "-0.03")]
    names = [name for name, _ in resolved(solution, "y_h: 0.57\ndLoss/dw_o: -0.03\nLoss_o: 0.02\n")]
    assert names == ["y_h", "∂Loss/∂w_o", "Loss"]


def test_textbook_error_terms_are_named_err(two_two_two):
    scenario = load_scenario_text(
        two_two_two_text() + "error_term: textbook\n", "textbook.yaml"
    )
    solution = WorkedSteps(scenario)
    assert resolved(solution, "Err_o1: 0.1\nerr_h1: 0.2\n") == [("Err_o1", "0.1"), ("Err_h1", "0.2")]


def two_two_two_text() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parent.parent / "scenarios" / "two_two_two.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("out_hh2: 0.66\n", "a.yaml:1:1 [out_hh2]", "unknown quantity 'out_hh2' (did you mean 'out_h2'?)"),
        ("dE_total/dw9: 0.1\n", "a.yaml:1:1 [dE_total/dw9]", "unknown quantity 'dE_total/dw9' (did you mean"),
        ("w5: 0.45\n", "a.yaml:1:1 [w5]", "'w5' is given in the scenario, not computed; its new value after the update is written w5'"),
        ("out_h1: abc\n", "a.yaml:1:9 [out_h1]", "expected a number written in decimals"),
        ("out_h1: {a: 1}\n", "a.yaml:1:9 [out_h1]", "got a mapping"),
        ("out_h1: []\n", "a.yaml:1:9 [out_h1]", "a list of values needs 1 to 10 numbers"),
        ("out_h1: 0.6\n\nOUT_H1: 0.7\n", "a.yaml:3:1 [OUT_H1]", "out_h1 is given twice (first as 'out_h1' on line 1)"),
        ("w5': 0.4\nw5_new: 0.5\n", "a.yaml:2:1 [w5_new]", "w5′ is given twice"),
        ("out_h1: 0.6\nout_h1: 0.7\n", "a.yaml:2:1 [out_h1]", "duplicate key 'out_h1'"),
        ("- 0.6\n", "a.yaml:1:1", "expected a mapping of quantity names to values"),
        ("", "a.yaml:1:1", "the answers file is empty"),
        ("out_h1: &a 0.6\n", "a.yaml:1:9", "anchors"),
        ("out_h1: [0.6\n", "a.yaml:", "not valid YAML"),
        ("out_h1: !!float 0.6\n", "a.yaml:1:9", "tags"),
    ],
)
def test_bad_answers_files_say_where(solution, text, where, words):
    with pytest.raises(ScenarioError) as raised:
        load_answers_text(text, "a.yaml", solution)
    shown = str(raised.value)
    assert shown.startswith(where), shown
    assert words.lower() in shown.lower(), shown


def test_files_that_cannot_be_read(solution, tmp_path):
    with pytest.raises(ScenarioError, match="no such answers file"):
        load_answers(tmp_path / "missing.yaml", solution)
    with pytest.raises(ScenarioError, match="not a regular file"):
        load_answers(tmp_path, solution)
    (tmp_path / "latin1.yaml").write_bytes(b"out_h1: 0.6 \xe9\n")
    with pytest.raises(ScenarioError, match="UTF-8"):
        load_answers(tmp_path / "latin1.yaml", solution)


def test_every_unknown_name_is_reported_and_the_rest_read(solution):
    text = "out_h1: 0.6457\nout_hh2: 0.66\ndE/dw9: 0.1\nw5: 0.45\nout_o1: 0.7989\n"
    answers = load_answers_text(text, "a.yaml", solution)
    assert [(claim.name, claim.text) for claim in answers.claims] == [("out_h1", "0.6457"), ("out_o1", "0.7989")]
    assert [str(item.note) for item in answers.unknown] == [
        "line 2: unknown quantity 'out_hh2' (did you mean 'out_h2'?)",
        "line 3: unknown quantity 'dE/dw9' (did you mean 'dE/dw8'?)",
        "line 4: 'w5' is given in the scenario, not computed; its new value after the update is written w5'",
    ]


def test_a_file_of_unknown_names_only_is_refused_naming_each(solution):
    with pytest.raises(ScenarioError) as raised:
        load_answers_text("out_hh2: 0.66\ndE/dw9: 0.1\n", "a.yaml", solution)
    shown = str(raised.value)
    assert shown.startswith("a.yaml:1:1 [out_hh2]: no name in this file names a quantity of the scenario (2 tried)")
    assert "line 1: unknown quantity 'out_hh2' (did you mean 'out_h2'?); line 2: unknown quantity 'dE/dw9'" in shown


def test_a_blank_value_is_not_given(solution):
    assert resolved(solution, "out_h1:\nout_h2: 0.66\n") == [("out_h2", "0.66")]


@pytest.mark.parametrize(
    ("name", "lang", "words"),
    [
        ("softmax_two_layer", "en", "# Backward pass: for each neuron j ∂L/∂a_j, ∂a_j/∂z_j and δ_j, then the gradients"),
        ("two_two_two", "zh", "# 反向传播：每个神经元 j 的 ∂E_total/∂out_j、∂out_j/∂in_j 和 δ_j，然后是各梯度"),
    ],
)
def test_the_template_names_the_backward_factors_in_the_scenarios_own_notation(name, lang, words):
    from bptutor.api import load
    from bptutor.teach.answers import template
    from bptutor.teach.solution import WorkedSteps

    assert words in template(WorkedSteps(load(name)), f"bptutor check {name} ANSWERS.yaml", lang).splitlines()
