"""The command line as a user meets it: exit codes, messages on stderr, JSON on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor import __version__
from bptutor.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def invoke(*arguments: str):
    return CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output == f"bptutor {__version__}\n"


@pytest.mark.parametrize("command", ["run", "explain", "validate", "list"])
def test_every_command_has_help_with_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example: bptutor " in result.output


def test_run_by_path_and_by_builtin_name_agree():
    by_path = invoke("run", "scenarios/two_two_two.yaml")
    by_name = invoke("run", "two_two_two")
    assert by_path.exit_code == by_name.exit_code == 0
    assert by_path.output == by_name.output


def test_json_output_is_one_object_with_the_documented_keys():
    result = invoke("run", "two_two_two", "--format", "json", "--steps", "2")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["scenario"] == "two_two_two"
    assert [step["step"] for step in document["steps"]] == [1, 2]
    first = document["steps"][0]
    assert set(first) == {"step", "loss", "neurons", "deltas", "gradients", "parameters"}
    assert first["loss"] == pytest.approx(0.3226124393, abs=5e-11)
    assert first["neurons"]["h1"]["a"] == pytest.approx(0.6456563062, abs=5e-11)
    assert first["neurons"]["h1"]["z"] == pytest.approx(0.6, abs=1e-15)
    assert first["deltas"]["o1"] == pytest.approx(0.1267289024, abs=5e-11)
    assert first["gradients"]["w5"] == pytest.approx(0.0818233150, abs=5e-11)
    assert first["parameters"]["w5"] == pytest.approx(0.4590883425, abs=5e-11)  # after the update
    assert document["steps"][1]["loss"] < first["loss"]
    assert document["final_loss"] < document["steps"][1]["loss"]


def test_json_keeps_full_precision_and_thins_with_every():
    result = invoke("run", "two_two_two", "--format", "json", "--steps", "10", "--every", "4")
    document = json.loads(result.output)
    assert [step["step"] for step in document["steps"]] == [1, 4, 8, 10]
    assert document["steps"][0]["gradients"]["w5"] == 0.08182331501899741  # repr round-trips the float


def test_json_is_valid_when_piped_through_a_real_process():
    completed = subprocess.run(
        [sys.executable, "-m", "bptutor", "run", "two_two_two", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=True,
        env={"PATH": "", "PYTHONPATH": str(ROOT), "COLUMNS": "20"},
    )
    assert json.loads(completed.stdout)["scenario"] == "two_two_two"


def test_unknown_scenario_exits_3_and_lists_the_builtins():
    result = invoke("run", "no_such_thing")
    assert result.exit_code == 3
    assert "no such file, and no built-in scenario" in result.output
    assert "two_two_two" in result.output


def test_bad_scenario_exits_3_with_file_line_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (ROOT / "scenarios" / "two_two_two.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("o2: {bias: b4, weights: {h1: w7, h2: w8}}", "o2: {bias: b4, weights: {h1: w7, h3: w8}}"), encoding="utf-8")
    result = invoke("run", str(bad))
    assert result.exit_code == 3
    assert f"{bad}:" in result.output
    assert "h3" in result.output
    assert "Traceback" not in result.output


def test_validate_reports_each_file(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    result = invoke("validate", "scenarios/two_two_two.yaml", str(bad))
    assert result.exit_code == 3
    assert "scenarios/two_two_two.yaml: ok" in result.output
    assert f"{bad}:2:1: this is not valid YAML" in result.output


def test_explain_unknown_name_exits_2():
    result = invoke("explain", "w9")
    assert result.exit_code == 2
    assert "'w9' is not a quantity of scenario 'two_two_two'" in result.output


def test_explain_defaults_to_two_two_two():
    result = invoke("explain", "w5")
    assert result.exit_code == 0
    assert "w5′ = w5 − η·∂E_total/∂w5 = 0.5 − 0.5 × 0.08182331502 = 0.4590883425" in result.output


def test_divergence_exits_4_without_traceback(tmp_path):
    text = (ROOT / "scenarios" / "one_one_one.yaml").read_text(encoding="utf-8")
    text = text.replace("activation: sigmoid", "activation: linear").replace("learning_rate: 0.5", "learning_rate: 90")
    path = tmp_path / "diverges.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("run", str(path), "--steps", "2000")
    assert result.exit_code == 4
    assert "overflowed at step" in result.output


def test_ascii_output_has_no_math_symbols():
    result = invoke("run", "two_two_two", "--ascii")
    assert result.exit_code == 0
    assert all(ord(char) < 128 for char in result.output)


def test_python_dash_m_works():
    completed = subprocess.run(
        [sys.executable, "-m", "bptutor", "list"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
        env={"PATH": "", "PYTHONPATH": str(ROOT)}, check=True,
    )
    assert "two_two_two" in completed.stdout and "one_one_one" in completed.stdout


def test_json_of_a_rounded_scenario_has_the_written_values():
    result = invoke("run", "one_one_one_rounded", "--format", "json")
    assert result.exit_code == 0
    first = json.loads(result.output)["steps"][0]
    assert first["neurons"]["h"]["a"] == 0.57
    assert first["gradients"]["w_o"] == -0.02895543
    assert first["parameters"]["w_o"] == 0.314477715
