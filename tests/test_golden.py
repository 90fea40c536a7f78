"""Golden tests: the rendered terminal output, byte for byte, at 120 columns with colour off.

After an intended change of output, run `pytest tests/test_golden.py --update-golden`
and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app

GOLDEN = Path(__file__).resolve().parent / "golden"
ROOT = GOLDEN.parent.parent
ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}

CASES = {
    "run_two_two_two": ["run", "scenarios/two_two_two.yaml"],
    "run_one_one_one_steps": ["run", "one_one_one", "--steps", "5", "--digits", "6"],
    "run_two_two_two_ascii": ["run", "two_two_two", "--ascii", "--digits", "4"],
    "explain_w5": ["explain", "w5"],
    "explain_w1": ["explain", "w1"],
    "explain_b_h_one_one_one": ["explain", "b_h", "--scenario", "one_one_one"],
    "explain_out_h1": ["explain", "out_h1"],
    "explain_delta_h2": ["explain", "δ_h2"],
    "list": ["list"],
    "run_one_one_one_rounded": ["run", "one_one_one_rounded"],
    "run_exercise_rounded": ["run", "tests/data/textbook_3_2_1.yaml"],
    "explain_exercise_w14": ["explain", "w14", "-s", "tests/data/textbook_3_2_1.yaml"],
    "run_two_two_two_zh": ["run", "two_two_two", "--lang", "zh"],
    "run_one_one_one_steps_zh": ["run", "one_one_one", "--lang", "zh", "--steps", "3"],
    "explain_w5_zh": ["explain", "w5", "--lang", "zh"],
    "explain_w1_zh": ["explain", "w1", "--lang", "zh"],
    "run_circuit": ["run", "circuit"],
    "run_circuit_zh": ["run", "circuit", "--lang", "zh"],
    "run_max_fork": ["run", "max_fork"],
    "explain_x_max_fork": ["explain", "x", "-s", "max_fork"],
    "explain_w0_sigmoid_neuron_zh": ["explain", "w0", "-s", "sigmoid_neuron", "--lang", "zh", "--digits", "4"],
    "check_published_zh": ["check", "two_two_two", "scenarios/answers/two_two_two_published.yaml", "--lang", "zh"],
    # training: each sample of a batch traced, the batch gradient, Adam's state; the vectorised path's output
    "run_xor_batch": ["run", "xor", "--steps", "3", "--digits", "6"],
    "train_xor": ["train", "xor", "--digits", "6"],
    "train_xor_zh": ["train", "xor", "--digits", "6", "--lang", "zh", "--epochs", "100"],
    # softmax with cross-entropy: the fused δ = a − y derived, and the Jacobian route written out
    "run_softmax_two_layer": ["run", "softmax_two_layer"],
    "explain_w5_softmax": ["explain", "w5", "-s", "softmax_two_layer"],
    "explain_w1_softmax": ["explain", "w1", "-s", "softmax_two_layer"],
    "explain_w5_softmax_jacobian": ["explain", "w5", "-s", "softmax_two_layer", "--jacobian"],
    "explain_w5_softmax_zh": ["explain", "w5", "-s", "softmax_two_layer", "--lang", "zh"],
    # the matrix form: each layer's matrices and the four BP equations; a batch as the columns of A and Δ
    "run_matrix_two_two_two": ["run", "two_two_two", "--form", "matrix"],
    "run_matrix_two_two_two_zh": ["run", "two_two_two", "--form", "matrix", "--lang", "zh"],
    "run_matrix_xor": ["run", "xor", "--form", "matrix", "--digits", "6"],
    "explain_matrix_dW1": ["explain", "dW^(1)"],
    "explain_matrix_delta2_zh": ["explain", "delta^(2)", "--lang", "zh"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_output(case, request, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, CASES[case], env=ENVIRONMENT)
    assert result.exit_code == (1 if case.startswith("check") else 0), result.output
    path = GOLDEN / f"{case}.txt"
    if request.config.getoption("--update-golden"):
        path.write_text(result.output, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest with --update-golden and review it"
    assert result.output == path.read_text(encoding="utf-8")
