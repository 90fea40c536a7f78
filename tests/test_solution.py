"""The worked solution that check and quiz recompute agrees with the tracer, step for step."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext
from pathlib import Path

import pytest

from bptutor.core.scenario import Rounding
from bptutor.core.trace import run
from bptutor.loading.scenario import load_scenario, load_scenario_text
from bptutor.teach.solution import WorkedSteps, derivative_name, updated_name

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def _two_two_two_with(extra: str) -> str:
    return (SCENARIOS / "two_two_two.yaml").read_text(encoding="utf-8") + extra


VARIANTS = {
    "two_two_two": _two_two_two_with(""),
    "textbook_sign": _two_two_two_with("error_term: textbook\n"),
    "updated_weights": _two_two_two_with("hidden_error_weights: updated\n"),
    "threshold": _two_two_two_with("bias: threshold\n"),
    "frozen_no_bias_update": _two_two_two_with("frozen: [w6]\nupdate_biases: false\n"),
    "classic_rounded": _two_two_two_with(
        "error_term: textbook\nhidden_error_weights: updated\nbias: threshold\n"
        "rounding: {pre_activations: 3, activations: 3, losses: 4, deltas: 4, gradients: 5, parameters: 3}\n"
    ),
    "mse_tanh": _two_two_two_with("").replace("loss: half_sse", "loss: mse").replace(
        "activation: sigmoid\n    neurons:\n      h1", "activation: tanh\n    neurons:\n      h1"
    ),
    "one_one_one": (SCENARIOS / "one_one_one.yaml").read_text(encoding="utf-8"),
    "one_one_one_rounded": (SCENARIOS / "one_one_one_rounded.yaml").read_text(encoding="utf-8"),
    "exercise": (ROOT / "tests" / "data" / "textbook_3_2_1.yaml").read_text(encoding="utf-8"),
}


def _close(mine: Decimal, theirs: object) -> bool:
    return abs(mine - Decimal(theirs)) <= Decimal("1e-40") * max(1, abs(mine))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _fifty_digits():
    with localcontext(prec=50):  # the precision both compute in
        yield


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_step_agrees_with_the_tracer(variant):
    scenario = load_scenario_text(VARIANTS[variant], f"{variant}.yaml")
    solution = WorkedSteps(scenario)
    values = solution.values()
    decimal_run = run(replace(scenario, rounding=scenario.rounding or Rounding())).first
    loss = solution.graph.loss_name
    for step in decimal_run.forward:
        if step.quantity in values:
            assert _close(values[step.quantity], step.value), step.quantity
    notation = scenario.notation
    for record in decimal_run.backward:
        if record.kind.value == "activation":
            assert _close(values[derivative_name(loss, record.quantity)], decimal_run.sign * record.value), record.quantity
        elif record.kind.value == "pre_activation":
            assert _close(values[notation.dlt(record.neuron)], record.value), record.quantity  # δ or Err, as shown
            act = notation.act(record.neuron)
            (slope,) = {term.local.value for term in record.terms}
            assert _close(values[derivative_name(act, record.quantity)], slope)
        else:
            assert _close(values[derivative_name(loss, record.quantity)], decimal_run.gradient(record.quantity))
    for update in decimal_run.updates:
        assert _close(values[updated_name(update.parameter)], update.new), update.parameter


def test_the_float_tracer_agrees_to_float_precision(two_two_two):
    values = WorkedSteps(two_two_two).values()
    traced = run(two_two_two).first
    for update in traced.updates:
        assert float(values[updated_name(update.parameter)]) == pytest.approx(update.new, rel=1e-14)


def test_overrides_recompute_from_given_values(two_two_two):
    solution = WorkedSteps(two_two_two)
    # in_o1 from out_h2 = σ(0.66), as the notes have it
    value = solution.value("in_o1", {"out_h1": Decimal("0.6456563062"), "out_h2": Decimal("0.6592603884")})
    assert value == Decimal("0.5") * Decimal("0.6456563062") + Decimal("0.6") * Decimal("0.6592603884") + Decimal("0.66")


def test_steps_are_in_the_order_run_shows_them(two_two_two):
    names = [step.name for step in WorkedSteps(two_two_two).steps if not step.optional]
    assert names[:4] == ["in_h1", "out_h1", "in_h2", "out_h2"]
    assert names.index("E_total") < names.index("∂E_total/∂out_o1") < names.index("δ_o1") < names.index("∂E_total/∂w5")
    assert names.index("δ_h2") < names.index("∂E_total/∂w1") < names.index("w1′")
    assert names[-1] == "b4′"


def test_one_output_has_no_separate_loss_term(one_one_one):
    names = [step.name for step in WorkedSteps(one_one_one).steps]
    assert "Loss" in names and "Loss_o" not in names


def test_builtin_loads(two_two_two):
    assert load_scenario(SCENARIOS / "two_two_two.yaml") == two_two_two
