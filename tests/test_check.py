"""`check`: values judged at their written precision, errors carried forward, and every common
mistake injected into a correct worked solution and diagnosed by recomputation.

The worked solutions here are computed in the test itself with plain floats (`worked`), apart
from bptutor; a mistake is injected by computing that one value the mistaken way.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pytest

from bptutor.loading.scenario import load_scenario_text
from bptutor.teach.answers import Claim, load_answers
from bptutor.teach.check import check
from bptutor.teach.grading import CONSISTENT, MISSING, RIGHT, WRONG, Judge, Tolerance
from bptutor.teach.solution import WorkedSteps

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "scenarios" / "answers" / "two_two_two_published.yaml"


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def worked() -> dict[str, float]:
    """The 2-2-2 example of the BP notes, worked by hand in floats (i = 0.1, 0.2; W1…W8 = 0.1…0.8)."""
    i1, i2, t1, t2 = 0.1, 0.2, 0.01, 0.99
    w1, w2, w3, w4, w5, w6, w7, w8 = 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8
    b1, b2, b3, b4 = 0.55, 0.56, 0.66, 0.67
    v: dict[str, float] = {}
    v["in_h1"] = w1 * i1 + w2 * i2 + b1
    v["out_h1"] = sigmoid(v["in_h1"])
    v["in_h2"] = w3 * i1 + w4 * i2 + b2
    v["out_h2"] = sigmoid(v["in_h2"])
    v["in_o1"] = w5 * v["out_h1"] + w6 * v["out_h2"] + b3
    v["out_o1"] = sigmoid(v["in_o1"])
    v["in_o2"] = w7 * v["out_h1"] + w8 * v["out_h2"] + b4
    v["out_o2"] = sigmoid(v["in_o2"])
    v["E_o1"] = (t1 - v["out_o1"]) ** 2 / 2
    v["E_o2"] = (t2 - v["out_o2"]) ** 2 / 2
    v["E_total"] = v["E_o1"] + v["E_o2"]
    v["∂E_total/∂out_o1"] = -(t1 - v["out_o1"])
    v["∂out_o1/∂in_o1"] = v["out_o1"] * (1 - v["out_o1"])
    v["δ_o1"] = v["∂E_total/∂out_o1"] * v["∂out_o1/∂in_o1"]
    v["∂E_total/∂out_o2"] = -(t2 - v["out_o2"])
    v["∂out_o2/∂in_o2"] = v["out_o2"] * (1 - v["out_o2"])
    v["δ_o2"] = v["∂E_total/∂out_o2"] * v["∂out_o2/∂in_o2"]
    v["∂E_total/∂w5"] = v["δ_o1"] * v["out_h1"]
    v["∂E_total/∂out_h1"] = v["δ_o1"] * w5 + v["δ_o2"] * w7
    v["∂out_h1/∂in_h1"] = v["out_h1"] * (1 - v["out_h1"])
    v["δ_h1"] = v["∂E_total/∂out_h1"] * v["∂out_h1/∂in_h1"]
    v["∂E_total/∂w1"] = v["δ_h1"] * i1
    v["w5′"] = w5 - 0.5 * v["∂E_total/∂w5"]
    v["w1′"] = w1 - 0.1 * v["∂E_total/∂w1"]
    return v


W = worked()
FORWARD = ["in_h1", "out_h1", "in_h2", "out_h2", "in_o1", "out_o1", "in_o2", "out_o2", "E_o1", "E_o2", "E_total"]


def at10(value: float) -> str:
    return f"{value:.10f}"


def claims(names: list[str], **injected: float | str) -> list[Claim]:
    """The correct values of `names` to 10 decimals, and the injected (mistaken) ones."""
    result = [Claim.of(name, at10(W[name])) for name in names if name not in injected]
    for name, value in injected.items():
        result.append(Claim.of(name.replace("__", "′"), value if isinstance(value, str) else at10(value)))
    return result


def verdict(report, name: str) -> str:
    (row,) = [row for row in report.rows if row.step.name == name]
    return row.verdict


def diagnosed(report, name: str) -> list[str]:
    (row,) = [row for row in report.rows if row.step.name == name and row.verdict == WRONG]
    return [diagnosis.key for diagnosis in row.diagnoses]


def messages(report, name: str) -> list[str]:
    (row,) = [row for row in report.rows if row.step.name == name and row.verdict == WRONG]
    return [str(diagnosis.message) for diagnosis in row.diagnoses]


# ── judging at the precision written ──────────────────────────────────────────


@pytest.mark.parametrize(
    ("written", "expected"),
    [("0.57", RIGHT), ("0.574", RIGHT), ("0.5744", RIGHT), ("0.57444", RIGHT), ("0.6", RIGHT), ("1", RIGHT),
     ("0.58", WRONG), ("0.575", WRONG), ("0.5745", WRONG), ("0.50", WRONG)],
)
def test_a_value_is_judged_at_the_decimals_it_is_written_with(one_one_one, written, expected):
    # y_h = σ(0.3) = 0.574442516811659…
    assert abs(sigmoid(0.3) - 0.5744425168) < 1e-10
    report = check(one_one_one, [Claim.of("y_h", written)])
    assert verdict(report, "y_h") == expected


TIE = """\
name: tie
inputs: {x: 1}
targets: {o: 0.5}
layers:
  - name: out
    activation: linear
    neurons:
      o: {bias: b, weights: {x: w}}
parameters: {w: 0.1, b: 0.025}
loss: half_sse
learning_rate: 0.5
"""


@pytest.mark.parametrize(
    ("method", "right", "wrong"), [("half_up", "0.13", "0.12"), ("half_even", "0.12", "0.13")]
)
def test_an_exact_tie_is_rounded_by_the_scenarios_method(method, right, wrong):
    text = TIE + (f"rounding: {{method: {method}}}\n" if method != "half_up" else "")
    scenario = load_scenario_text(text, "tie.yaml")  # z_o = 0.1 × 1 + 0.025 = 0.125 exactly
    assert verdict(check(scenario, [Claim.of("in_o", right)]), "in_o") == RIGHT
    assert verdict(check(scenario, [Claim.of("in_o", wrong)]), "in_o") == WRONG


def test_written_zeros_count_as_decimals():
    scenario = load_scenario_text(TIE.replace("b: 0.025", "b: 0.4"), "half.yaml")  # in_o = 0.5
    assert verdict(check(scenario, [Claim.of("in_o", "0.50")]), "in_o") == RIGHT
    assert verdict(check(scenario, [Claim.of("in_o", "0.500000")]), "in_o") == RIGHT
    assert Claim.of("in_o", "0.50").decimals == 2


def test_tolerance_absolute_and_relative(one_one_one):
    claim = [Claim.of("y_h", "0.5750")]  # 0.0005574… from 0.5744425…
    assert verdict(check(one_one_one, claim), "y_h") == WRONG
    assert verdict(check(one_one_one, claim, judge=Judge(tolerance=Tolerance.parse("1e-3"))), "y_h") == RIGHT
    assert verdict(check(one_one_one, claim, judge=Judge(tolerance=Tolerance.parse("1e-4"))), "y_h") == WRONG
    assert verdict(check(one_one_one, claim, judge=Judge(tolerance=Tolerance.parse("0.1%"))), "y_h") == RIGHT
    assert verdict(check(one_one_one, claim, judge=Judge(tolerance=Tolerance.parse("0.05%"))), "y_h") == WRONG
    assert Tolerance.parse("abc") is None and Tolerance.parse("-1") is None


def test_a_hand_calculation_carrying_rounded_values_is_right(one_one_one):
    # the slides: y_h = 0.57, then z_o = 0.3 × 0.57 + 0.2 = 0.371 (the exact z_o is 0.37233…)
    report = check(one_one_one, [Claim.of("y_h", "0.57"), Claim.of("z_o", "0.371")])
    assert verdict(report, "z_o") == RIGHT
    assert verdict(check(one_one_one, [Claim.of("z_o", "0.371")]), "z_o") == WRONG


def test_an_exact_earlier_value_allows_no_slack(two_two_two):
    # in_h1 = 0.6 is exact, so out_h1 must be σ(0.6) = 0.6457 → 0.65, not 0.64
    report = check(two_two_two, [Claim.of("in_h1", "0.6"), Claim.of("out_h1", "0.64")])
    assert verdict(report, "out_h1") == WRONG


# ── error carried forward ────────────────────────────────────────────────────


def test_a_value_computed_from_an_earlier_wrong_value_is_consistent(one_one_one):
    # y_h written as 0.60 (wrong); z_o = 0.3 × 0.60 + 0.2 = 0.38, y_o = σ(0.38)
    y_o = sigmoid(0.38)
    report = check(one_one_one, [Claim.of("y_h", "0.60"), Claim.of("z_o", "0.38"), Claim.of("y_o", f"{y_o:.4f}")])
    assert verdict(report, "y_h") == WRONG
    assert verdict(report, "z_o") == CONSISTENT
    assert verdict(report, "y_o") == CONSISTENT
    (row,) = [row for row in report.rows if row.step.name == "y_o"]
    assert row.carried_from == ("y_h",)
    assert report.first_wrong.step.name == "y_h"


def test_every_value_is_listed_in_computation_order(two_two_two):
    report = check(two_two_two, [Claim.of("w5′", at10(W["w5′"])), Claim.of("out_h1", at10(W["out_h1"]))])
    names = [row.step.name for row in report.rows]
    assert names.index("out_h1") < names.index("E_total") < names.index("δ_h1") < names.index("w5′")
    assert verdict(report, "in_h1") == MISSING
    assert report.all_right and report.count(RIGHT) == 2


# ── every listed mistake, injected and diagnosed ─────────────────────────────

I1, I2, T1, T2 = 0.1, 0.2, 0.01, 0.99


def test_a_bias_of_another_neuron(two_two_two):
    wrong = sigmoid(0.3 * I1 + 0.4 * I2 + 0.55)  # h2 computed with b1
    report = check(two_two_two, claims(["in_h1", "out_h1"], out_h2=wrong))
    assert "wrong_bias" in diagnosed(report, "out_h2")
    assert "b1 used as the bias of h2, whose own bias is b2" in messages(report, "out_h2")


def test_one_shared_bias_instead_of_one_per_neuron(two_two_two):
    h1 = W["out_h1"]
    h2 = sigmoid(0.3 * I1 + 0.4 * I2 + 0.55)  # the hidden layer shares b1
    wrong = sigmoid(0.5 * h1 + 0.6 * h2 + 0.66)
    report = check(two_two_two, claims(["in_h1", "out_h1"], out_o1=wrong))
    assert "shared_bias" in diagnosed(report, "out_o1")


def test_the_half_of_the_loss_dropped(two_two_two):
    report = check(two_two_two, claims(FORWARD[:8], E_o1=(T1 - W["out_o1"]) ** 2))
    assert diagnosed(report, "E_o1")[0] == "half_dropped"
    gradient = claims(FORWARD, **{"∂E_total/∂out_o1": -2 * (T1 - W["out_o1"])})
    assert diagnosed(check(two_two_two, gradient), "∂E_total/∂out_o1")[0] == "half_dropped"


def test_the_half_kept_in_a_loss_without_it(two_two_two):
    from dataclasses import replace

    sse = replace(two_two_two, loss="sse")
    report = check(sse, claims(FORWARD[:8], E_o1=(T1 - W["out_o1"]) ** 2 / 2))
    assert diagnosed(report, "E_o1")[0] == "half_kept"


def test_sigma_prime_forgotten(two_two_two):
    upstream = W["∂E_total/∂out_o1"]
    report = check(two_two_two, claims([*FORWARD, "∂E_total/∂out_o1"], δ_o1=upstream))
    assert diagnosed(report, "δ_o1")[0] == "no_derivative"
    # and in a gradient, without writing δ down
    report = check(two_two_two, claims(FORWARD, **{"∂E_total/∂w5": upstream * W["out_h1"]}))
    assert diagnosed(report, "∂E_total/∂w5")[0] == "no_derivative"


def test_sigma_prime_written_as_sigma(two_two_two):
    wrong = W["∂E_total/∂out_o1"] * W["out_o1"]
    report = check(two_two_two, claims([*FORWARD, "∂E_total/∂out_o1"], δ_o1=wrong))
    assert diagnosed(report, "δ_o1")[0] == "derivative_as_activation"
    assert messages(report, "δ_o1")[0] == "σ′ written as σ: ∂out_o1/∂in_o1 taken as out_o1 itself"


def test_the_sign_of_t_minus_o_flipped(two_two_two):
    report = check(two_two_two, claims(FORWARD, **{"∂E_total/∂out_o2": T2 - W["out_o2"]}))
    assert diagnosed(report, "∂E_total/∂out_o2")[0] == "error_sign"
    delta = (T1 - W["out_o1"]) * W["out_o1"] * (1 - W["out_o1"])
    assert diagnosed(check(two_two_two, claims(FORWARD, δ_o1=delta)), "δ_o1")[0] == "error_sign"


def test_net_used_where_out_belongs(two_two_two):
    report = check(two_two_two, claims([*FORWARD, "δ_o1"], **{"∂E_total/∂w5": W["δ_o1"] * W["in_h1"]}))
    assert "in_for_out" in diagnosed(report, "∂E_total/∂w5")
    assert "in_h1 used where out_h1 belongs, in ∂E_total/∂w5" in messages(report, "∂E_total/∂w5")
    slope = W["in_o1"] * (1 - W["in_o1"])  # σ′ from in: in(1 − in)
    report = check(two_two_two, claims(FORWARD, **{"∂out_o1/∂in_o1": slope}))
    assert diagnosed(report, "∂out_o1/∂in_o1")[0] == "in_for_out"


def test_out_used_where_net_belongs(two_two_two):
    out = W["out_o1"]
    slope = sigmoid(out) * (1 - sigmoid(out))  # σ′ evaluated at out instead of in
    report = check(two_two_two, claims(FORWARD, **{"∂out_o1/∂in_o1": slope}))
    assert diagnosed(report, "∂out_o1/∂in_o1")[0] == "out_for_in"


def test_already_updated_weights_in_the_hidden_error_terms(two_two_two):
    w5_new = 0.5 - 0.5 * W["δ_o1"] * W["out_h1"]
    w7_new = 0.7 - 0.5 * W["δ_o2"] * W["out_h1"]
    wrong = (W["δ_o1"] * w5_new + W["δ_o2"] * w7_new) * W["out_h1"] * (1 - W["out_h1"])
    report = check(two_two_two, claims([*FORWARD, "δ_o1", "δ_o2"], δ_h1=wrong))
    assert diagnosed(report, "δ_h1")[0] == "updated_weights"


@pytest.mark.parametrize(("parameter", "old", "other_rate"), [("w5", 0.5, 0.1), ("w1", 0.1, 0.5)])
def test_the_learning_rate_of_another_layer(two_two_two, parameter, old, other_rate):
    gradient = W[f"∂E_total/∂{parameter}"]
    report = check(two_two_two, claims([f"∂E_total/∂{parameter}"], **{f"{parameter}__": old - other_rate * gradient}))
    assert diagnosed(report, f"{parameter}′")[0] == "learning_rate"


def test_the_update_made_the_wrong_way(two_two_two):
    report = check(two_two_two, claims(["∂E_total/∂w5"], w5__=0.5 + 0.5 * W["∂E_total/∂w5"]))
    assert diagnosed(report, "w5′")[0] == "update_sign"


def test_two_weights_swapped_in_the_forward_pass(two_two_two):
    wrong = 0.6 * W["out_h1"] + 0.5 * W["out_h2"] + 0.66  # w5 and w6 read the wrong way round
    report = check(two_two_two, claims(["out_h1", "out_h2"], in_o1=wrong))
    assert diagnosed(report, "in_o1") == ["swapped_weights"]
    assert messages(report, "in_o1") == ["w5 and w6 swapped (the wiring read the wrong way)"]


def test_two_weights_swapped_in_the_backward_pass(two_two_two):
    wrong = W["δ_o1"] * 0.6 + W["δ_o2"] * 0.7  # w6 read for w5 on the way back
    report = check(two_two_two, claims([*FORWARD, "δ_o1", "δ_o2"], **{"∂E_total/∂out_h1": wrong}))
    assert "swapped_weights" in diagnosed(report, "∂E_total/∂out_h1")


def test_a_rounding_slip(two_two_two):
    assert at10(W["out_h1"]) == "0.6456563062"
    report = check(two_two_two, [Claim.of("out_h1", "0.6456563063")])
    assert diagnosed(report, "out_h1") == ["rounding_slip"]
    # σ(0.6) = 0.64565630622…: 0.6457 to 4 decimals, 0.6456 cut; in_h1 = 0.6 is exact, so nothing else explains it
    assert f"{sigmoid(0.6):.6f}" == "0.645656"
    report = check(two_two_two, [Claim.of("in_h1", "0.6"), Claim.of("out_h1", "0.6456")])
    assert diagnosed(report, "out_h1") == ["rounding_truncated"]


def test_a_sum_of_terms_each_cut_is_right(two_two_two):
    # E_total to 10 decimals is …393, but E_o1 and E_o2 carried cut to 10 decimals (not written) sum to …392
    assert f"{W['E_total']:.12f}".startswith("0.32261243929")
    assert f"{W['E_o1']:.13f}".startswith("0.3112191904") and f"{W['E_o2']:.12f}".startswith("0.01139324887")
    assert Decimal("0.3112191904") + Decimal("0.0113932488") == Decimal("0.3226124392")
    report = check(two_two_two, [Claim.of("E_total", "0.3226124392")])
    assert verdict(report, "E_total") == RIGHT


@pytest.mark.parametrize(
    ("written", "mistake"),
    [("0.7989476441", "typo_transposed"), ("0.7989476914", "typo_digit"), ("0.799476414", "typo_dropped"),
     ("0.79894764114", "typo_extra"), ("-0.7989476414", "typo_sign"), ("7.989476414", "typo_point")],
)
def test_slips_of_the_pen(two_two_two, written, mistake):
    assert at10(W["out_o1"]) == "0.7989476414"
    report = check(two_two_two, claims(["out_h1", "out_h2"], out_o1=written))
    assert diagnosed(report, "out_o1") == [mistake]


def test_a_value_no_common_mistake_explains(two_two_two):
    report = check(two_two_two, claims(["out_h1", "out_h2"], out_o1="0.1234567891"))
    (row,) = [row for row in report.rows if row.step.name == "out_o1"]
    assert row.verdict == WRONG and row.diagnoses == ()
    assert [working.step for working in row.corrected] == ["in_o1", "out_o1"]


# ── the numbers printed in the BP notes, section 2.2.2 ───────────────────────


@pytest.fixture(scope="module")
def published(two_two_two):
    answers = load_answers(PUBLISHED, WorkedSteps(two_two_two))
    return check(two_two_two, answers.claims, str(PUBLISHED))


def test_the_notes_first_slip_is_out_h2(published):
    first = published.first_wrong
    assert first.step.name == "out_h2" and first.claim.text == "0.6592603884"
    # out_h2 is σ(0.66), cut (not rounded) to 10 decimals; the right in_h2 is 0.3 × 0.1 + 0.4 × 0.2 + 0.56 = 0.67
    assert math.floor(sigmoid(0.66) * 1e10) / 1e10 == pytest.approx(0.6592603884, abs=1e-13)
    assert at10(sigmoid(0.66)) == "0.6592603885"


def test_the_notes_out_h2_is_explained_by_the_bias_of_h1_or_swapped_weights(published):
    keys = diagnosed(published, "out_h2")
    assert keys[0] == "wrong_bias"
    assert messages(published, "out_h2")[0] == "b1 used as the bias of h2, whose own bias is b2"
    assert "shared_bias" in keys and "swapped_weights" in keys
    (row,) = [row for row in published.rows if row.step.name == "out_h2"]
    assert all(diagnosis.truncated for diagnosis in row.diagnoses)
    (working, _) = row.diagnoses[0].working
    assert working.step == "in_h2" and float(working.value) == pytest.approx(0.66)


def test_the_notes_second_in_o1_is_a_miscopied_digit(published):
    rows = [row for row in published.rows if row.step.name == "in_o1"]
    assert [row.verdict for row in rows] == [CONSISTENT, WRONG]
    # from the notes' own out_h1 and out_h2: 0.5 × 0.6456563062 + 0.6 × 0.6592603884 + 0.66
    assert f"{0.5 * 0.6456563062 + 0.6 * 0.6592603884 + 0.66:.10f}" == "1.3783843861"
    assert diagnosed(published, "in_o1") == ["typo_digit"]
    assert messages(published, "in_o1") == ["a slip of the pen: 9 written for 3; it is 1.3783843861"]


def test_the_notes_out_o2_used_the_bias_of_o1(published):
    assert f"{sigmoid(0.7 * 0.6456563062 + 0.8 * 0.6592603884 + 0.66):.10f}" == "0.8374488853"
    assert messages(published, "out_o2")[0] == "b3 used as the bias of o2, whose own bias is b4"


def test_the_notes_later_values_are_consistent_with_their_own_slips(published):
    for name in ("out_o1", "E_o1", "E_total", "∂E_total/∂out_o1", "∂out_o1/∂in_o1", "∂E_total/∂w5", "w5′", "b3′", "w1′"):
        assert verdict(published, name) == CONSISTENT, name
    assert verdict(published, "∂in_o1/∂w5") == RIGHT
    (row,) = [row for row in published.rows if row.step.name == "E_total"]
    assert row.carried_from == ("out_h2", "out_o2")


def test_the_notes_gradient_of_w1_is_wrong_and_unexplained(published):
    (row,) = [row for row in published.rows if row.step.name == "∂E_total/∂w1"]
    assert row.verdict == WRONG and row.diagnoses == ()
    assert [row.step.name for row in published.rows if row.verdict == WRONG] == ["out_h2", "in_o1", "out_o2", "∂E_total/∂w1"]
