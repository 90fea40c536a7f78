"""`bptutor check` on the command line: exit codes 0/1/3, messages, JSON, Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = "scenarios/answers/two_two_two_published.yaml"
ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*arguments: str):
    return CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)


def test_all_right_exits_0(tmp_path):
    answers = tmp_path / "good.yaml"
    answers.write_text("out_h1: 0.6457\nE_total: 0.32261\n\"w5'\": 0.459088\n", encoding="utf-8")
    result = invoke("check", "two_two_two", str(answers))
    assert result.exit_code == 0, result.output
    assert "Every value given is right." in result.output


def test_a_wrong_value_exits_1_and_is_named():
    result = invoke("check", "two_two_two", PUBLISHED)
    assert result.exit_code == 1
    assert "First wrong value: out_h2 = 0.6592603884 (correct: 0.6615031592)." in result.output
    assert "b1 used as the bias of h2, whose own bias is b2" in result.output


def test_a_bad_answers_file_exits_3_with_its_place(tmp_path):
    answers = tmp_path / "bad.yaml"
    answers.write_text("out_hh2: 0.7\n", encoding="utf-8")
    result = invoke("check", "two_two_two", str(answers))
    assert result.exit_code == 3
    assert f"{answers}:1:1 [out_hh2]: no name in this file names a quantity" in result.output
    assert "unknown quantity 'out_hh2' (did you mean 'out_h2'?)" in result.output
    assert invoke("check", "two_two_two", str(tmp_path / "none.yaml")).exit_code == 3
    assert invoke("check", "no_such_scenario", PUBLISHED).exit_code == 3


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("out_h1: " + "[" * 50 + "\n", "nested too deeply (at most 20 levels)"),
        ("out_h1: !!python/object:os.system x\n", "tags (such as !!str or !name) are not allowed"),
        ("a: &x 0.6\nout_h1: *x\n", "anchors and aliases (&name, *name) are not allowed"),
    ],
    ids=["deep", "tag", "alias"],
)
def test_what_yaml_bptutor_refuses_is_named_in_an_answers_file_without_calling_it_a_scenario(tmp_path, text, said):
    answers = tmp_path / "answers.yaml"
    answers.write_text(text, encoding="utf-8")
    for lang in ("en", "zh"):
        result = invoke("check", "two_two_two", str(answers), "--lang", lang)
        assert result.exit_code == 3
        assert f"{answers}:" in result.output
        assert "scenario" not in result.output and "场景" not in result.output
    assert said in invoke("check", "two_two_two", str(answers)).output


def test_a_bad_tolerance_is_a_usage_error():
    result = invoke("check", "two_two_two", PUBLISHED, "--tolerance", "lots")
    assert result.exit_code == 2
    assert "--tolerance: expected a number (1e-4) or a percentage (0.1%), got 'lots'" in result.output


def test_tolerance_accepts_near_values(tmp_path):
    answers = tmp_path / "near.yaml"
    answers.write_text("out_h1: 0.6450\n", encoding="utf-8")
    assert invoke("check", "two_two_two", str(answers)).exit_code == 1
    assert invoke("check", "two_two_two", str(answers), "--tolerance", "1e-3").exit_code == 0
    assert invoke("check", "two_two_two", str(answers), "--tolerance", "0.2%").exit_code == 0


def test_json_for_tools():
    result = invoke("check", "two_two_two", PUBLISHED, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["first_wrong"] == "out_h2" and document["all_right"] is False
    assert document["counts"] == {"right": 3, "consistent": 12, "wrong": 4, "missing": 30}
    rows = {(row["name"], row.get("claimed")): row for row in document["values"]}
    out_h2 = rows[("out_h2", "0.6592603884")]
    assert out_h2["verdict"] == "wrong" and out_h2["decimals"] == 10 and out_h2["line"] == 11
    assert out_h2["diagnoses"][0]["mistake"] == "wrong_bias"
    assert out_h2["diagnoses"][0]["working"][0] == {
        "name": "in_h2", "formula": "w3·i1 + w4·i2 + b1", "with_numbers": "0.3 × 0.1 + 0.4 × 0.2 + 0.55", "value": 0.66
    }
    e_total = rows[("E_total", "0.3226845322")]
    assert e_total["verdict"] == "consistent" and e_total["consistent_with"] == ["out_h2", "out_o2"]
    assert rows[("in_h2", None)]["verdict"] == "missing"


def test_no_diagnosis_only_judges():
    result = invoke("check", "two_two_two", PUBLISHED, "--no-diagnosis")
    assert result.exit_code == 1
    assert "Explained by" not in result.output


def test_chinese():
    result = invoke("check", "two_two_two", PUBLISHED, "--lang", "zh")
    assert result.exit_code == 1
    assert "第一个错误：out_h2 = 0.6592603884（正确值：0.6615031592）。" in result.output
    assert "原因：把 b1 当成了 h2 的偏置（h2 自己的偏置是 b2）" in result.output
    assert "与你的 out_h2 一致" in result.output


def test_check_appears_in_help_and_does_not_load_sympy_nor_the_sample_readers_a_scenario_without_samples_needs_not():
    import subprocess
    import sys

    result = invoke("--help")
    assert "check" in result.output and "quiz" in result.output
    code = (
        "import sys; from bptutor.cli.app import main; sys.argv = ['bptutor', 'check', 'two_two_two', "
        f"'{PUBLISHED}', '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'sympy' not in sys.modules, 'check imported sympy'\n"
        "assert 'csv' not in sys.modules and 'bptutor.loading.datasets' not in sys.modules, 'check imported csv'\n"
        "from bptutor.teach import answers\n"
        "assert answers._compiled.cache_info().currsize == 0, 'exact names need no matrix pattern'"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr


def test_unknown_names_are_listed_and_the_rest_graded(tmp_path):
    answers = tmp_path / "some.yaml"
    answers.write_text("out_h1: 0.6457\nout_hh2: 0.7\nw5: 0.5\n", encoding="utf-8")
    result = invoke("check", "two_two_two", str(answers))
    assert result.exit_code == 0  # the graded value is right
    assert "line 2: unknown quantity 'out_hh2' (did you mean 'out_h2'?)" in result.output
    assert "line 3: 'w5' is given in the scenario" in result.output
    answers.write_text("out_h1: 0.6456\nout_hh2: 0.7\n", encoding="utf-8")
    assert invoke("check", "two_two_two", str(answers)).exit_code == 1


@pytest.mark.parametrize("scenario", ["two_two_two", "one_one_one"])
def test_the_template_filled_with_the_right_values_is_all_right(tmp_path, scenario):
    from decimal import ROUND_HALF_UP

    from bptutor.loading.builtin import builtin_path
    from bptutor.loading.scenario import load_scenario
    from bptutor.teach.solution import WorkedSteps
    from tests.hand_calculation import Student

    result = invoke("check", scenario, "--template")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[3:5] == ["", "# Forward pass"] and "# Loss" in lines and "# Backward pass" in " ".join(lines)
    assert any(line.startswith("# Update") for line in lines)
    # the values, worked apart from bptutor, to 8 decimals
    loaded = load_scenario(builtin_path(scenario))
    steps = [(s.name, s.kind, s.neuron, s.parameter) for s in WorkedSteps(loaded).steps if not s.optional]
    student = Student(loaded, {name: (30, ROUND_HALF_UP) for name, *_ in steps})
    student.work(steps)
    names = [line.removesuffix(":").strip('"') for line in lines if line.endswith(":")]
    assert names == [name for name, *_ in steps]
    filled = [f"{line} {student.carried[line.removesuffix(':').strip(chr(34))]:.8f}" if line.endswith(":") else line
              for line in lines]
    answers = tmp_path / "filled.yaml"
    answers.write_text("\n".join(filled) + "\n", encoding="utf-8")
    checked = invoke("check", scenario, str(answers))
    assert checked.exit_code == 0, checked.output
    assert f"{len(steps)} right, 0 consistent" in checked.output
    # left blank, the template is a file of nothing given
    (tmp_path / "blank.yaml").write_text(result.output, encoding="utf-8")
    assert invoke("check", scenario, str(tmp_path / "blank.yaml")).exit_code == 0


def test_the_template_is_in_the_language_chosen():
    lines = invoke("check", "two_two_two", "--template", "--lang", "zh").output.splitlines()
    assert "# 前向传播" in lines and "# 损失" in lines and "# 参数更新：一步之后的各参数" in lines


def test_check_without_answers_or_template_is_a_usage_error():
    result = invoke("check", "two_two_two")
    assert result.exit_code == 2
    assert "check needs ANSWERS.yaml, or --template to print a blank one" in result.output
