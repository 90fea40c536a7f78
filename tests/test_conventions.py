"""The conventions textbooks differ in: error-term sign, updated weights, thresholds, frozen biases."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bptutor.core.graph import Kind, build
from bptutor.core.scenario import Conventions
from bptutor.core.trace import run
from bptutor.derive.explain import explain
from bptutor.loading.scenario import load_scenario
from bptutor.render.explain import explanation_lines
from bptutor.render.style import Style

ROOT = Path(__file__).resolve().parent.parent
CLOSE = {"rel": 1e-12, "abs": 1e-15}


def _with(scenario, **conventions):
    return replace(scenario, conventions=replace(scenario.conventions, **conventions))


def test_textbook_error_term_gives_the_same_weights_with_the_other_sign(two_two_two):
    exact = run(two_two_two).first
    textbook = run(_with(two_two_two, error_term="textbook")).first
    assert textbook.new_parameters == exact.new_parameters  # bit for bit
    assert textbook.gradients == exact.gradients
    shown = {record.quantity: record.value for record in textbook.backward}
    assert shown["in_o1"] == -exact.gradient("in_o1")  # Err_o1 = (t − o)·σ′ = −δ_o1
    assert shown["out_o1"] == pytest.approx(0.01 - exact.value("out_o1"), **CLOSE)  # (target − out)
    assert textbook.gradient("in_o1") == exact.gradient("in_o1")  # the API still answers ∂E/∂z


def test_textbook_error_term_in_explain(tmp_path):
    text = (ROOT / "scenarios" / "two_two_two.yaml").read_text(encoding="utf-8") + "error_term: textbook\n"
    path = tmp_path / "err.yaml"
    path.write_text(text, encoding="utf-8")
    explanation = explain(load_scenario(path), "w5")
    text = "\n".join(explanation_lines(explanation, Style()))
    assert "Err_o1 = −∂E_total/∂in_o1 = (target_o1 − out_o1)·(out_o1·(1 − out_o1))" in text
    assert "w5′ = w5 + η·Err_o1·out_h1 = 0.5 + 0.5 × (−0.08182331502) = 0.4590883425" in text


def test_loader_names_the_error_term_err(tmp_path):
    text = (ROOT / "scenarios" / "two_two_two.yaml").read_text(encoding="utf-8") + "error_term: textbook\n"
    path = tmp_path / "err.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.conventions.error_term == "textbook"
    assert scenario.notation.dlt("h1") == "Err_h1"


def test_updated_weights_for_hidden_errors(two_two_two):
    """δ_h1 = (w5′·δ_o1 + w7′·δ_o2)·σ′(in_h1), with w5′ and w7′ this step's updated weights."""
    exact = run(two_two_two).first
    classic = run(_with(two_two_two, hidden_error_weights="updated")).first
    new = exact.new_parameters
    out_h1 = exact.value("out_h1")
    expected = (new["w5"] * exact.gradient("in_o1") + new["w7"] * exact.gradient("in_o2")) * out_h1 * (1 - out_h1)
    assert classic.gradient("in_h1") == pytest.approx(expected, **CLOSE)
    assert classic.gradient("in_h1") != pytest.approx(exact.gradient("in_h1"), rel=1e-6)  # not the gradient
    assert classic.gradients["w5"] == exact.gradients["w5"]  # the output layer is unchanged
    assert any("not the exact gradient" in str(note) for note in classic.notes)
    explained = explain(_with(two_two_two, hidden_error_weights="updated"), "w1")
    assert float(explained.gradient) == pytest.approx(classic.gradients["w1"], **CLOSE)
    assert "not the exact gradient" in "\n".join(explanation_lines(explained, Style()))


def test_threshold_is_a_bias_subtracted(two_two_two):
    """z = Σ w·x − θ is z = Σ w·x + b with b = −θ, so ∂E/∂θ = −∂E/∂b."""
    with_threshold = _with(two_two_two, bias="threshold")
    values = dict(with_threshold.parameters)
    added = two_two_two.with_parameters({n: (-v if n.startswith("b") else v) for n, v in values.items()})
    step_threshold = run(with_threshold).first
    step_added = run(added).first
    assert step_threshold.loss == step_added.loss
    for name in values:
        sign = -1 if name.startswith("b") else 1
        assert step_threshold.gradients[name] == pytest.approx(sign * step_added.gradients[name], **CLOSE)
    assert float(explain(with_threshold, "b3").gradient) == pytest.approx(step_threshold.gradients["b3"], **CLOSE)


def test_update_biases_false_freezes_only_biases(two_two_two):
    step = run(_with(two_two_two, update_biases=False)).first
    exact = run(two_two_two).first
    for update in step.updates:
        if update.parameter.startswith("b"):
            assert update.frozen and update.new == update.old
            assert update.gradient == exact.gradients[update.parameter]  # still computed and shown
        else:
            assert update.new == exact.new_parameters[update.parameter]
    assert build(_with(two_two_two, update_biases=False)).frozen == ("b1", "b2", "b3", "b4")


def test_exercise_in_textbook_form_with_rounding():
    """The 3-2-1 exercise as the classic texts print it: Err = (T − O)·O(1 − O), rounded to 4 decimals."""
    exercise = load_scenario(ROOT / "tests" / "data" / "textbook_3_2_1.yaml")
    step = run(_with(exercise, error_term="textbook")).first
    shown = {record.quantity: record.value for record in step.backward}
    assert shown["in_o6"] == Decimal("0.0405")
    assert shown["in_h4"] == Decimal("0.0050")
    assert shown["in_h5"] == Decimal("-0.0010")
    assert step.new_parameters == run(exercise).first.new_parameters


@pytest.mark.parametrize("error_term", ["gradient", "textbook"])
@pytest.mark.parametrize("weights", ["original", "updated"])
@pytest.mark.parametrize("bias", ["added", "threshold"])
def test_explain_agrees_with_run_under_every_convention(two_two_two, error_term, weights, bias):
    scenario = replace(
        two_two_two,
        conventions=Conventions(error_term=error_term, hidden_error_weights=weights, bias=bias, update_biases=False),
    )
    step = run(scenario).first
    for name in ("w1", "w4", "b1", "w6", "b4", "out_h2", "in_h1"):
        explanation = explain(scenario, name)
        assert float(explanation.gradient) == pytest.approx(float(step.gradient(name)), **CLOSE), name
        if explanation.kind is Kind.PARAMETER:
            assert float(explanation.new_value) == pytest.approx(float(step.new_parameters[name]), **CLOSE)
