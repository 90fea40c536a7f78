"""Hand-calculation fidelity: decimals as written, exact arithmetic, rounding when written down."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bptutor.core.arithmetic import as_decimal, round_decimal
from bptutor.core.numbers import format_number
from bptutor.core.scenario import Rounding
from bptutor.core.trace import run
from bptutor.derive.explain import explain
from bptutor.loading.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent

D = Decimal


@pytest.mark.parametrize(
    ("value", "decimals", "method", "written"),
    [
        ("2.675", 2, "half_up", "2.68"),  # Python's round(2.675, 2) gives 2.67
        ("0.125", 2, "half_up", "0.13"),  # and round(0.125, 2) gives 0.12
        ("0.125", 2, "half_even", "0.12"),
        ("-0.125", 2, "half_up", "-0.13"),  # half up is away from zero, as by hand
        ("0.5744425168", 2, "half_up", "0.57"),
        ("0.3045", 3, "half_up", "0.305"),
        ("0.3045", 3, "half_even", "0.304"),
    ],
)
def test_round_like_a_person(value, decimals, method, written):
    assert str(round_decimal(D(value), decimals, method)) == written


def test_numbers_are_the_decimals_as_written():
    assert as_decimal(0.1) == D("0.1")  # one tenth, not 0.1000000000000000055511151231257827…
    assert as_decimal(1.0) == D("1")
    assert as_decimal(0.67) == D("0.67")
    assert as_decimal(-2.5e-05) == D("-0.000025")


def test_rounded_values_show_with_their_decimals():
    assert format_number(D("0.57")) == "0.57"
    assert format_number(D("0.50")) == "0.50"
    assert format_number(D("-0.02895543")) == "-0.02895543"


@pytest.fixture(scope="module")
def slides():
    return load_scenario(ROOT / "scenarios" / "one_one_one_rounded.yaml")


def test_one_one_one_rounded_reproduces_the_slide_to_its_printed_digits(slides):
    """The printed numbers of the 1-1-1 lecture slides (values rounded to 2 decimals)."""
    step = run(slides).first
    assert step.value("y_h") == D("0.57")
    assert step.value("y_o") == D("0.59")
    assert step.loss == D("0.02205")
    assert step.gradient("y_o") == D("-0.21")  # ∂Loss/∂y_o = −(0.8 − 0.59)
    (sigma_prime,) = [t.local.value for s in step.backward if s.quantity == "z_o" for t in s.terms]
    assert sigma_prime == D("0.2419")  # y_o(1 − y_o) = 0.59 × 0.41
    assert step.gradients["w_o"] == D("-0.02895543")  # −0.21 × 0.2419 × 0.57
    assert step.new_parameters["w_o"] == D("0.314477715")
    assert step.gradients["b_o"] == D("-0.050799")
    assert step.new_parameters["b_o"] == D("0.2253995")
    # −0.21 × 0.2419 × 0.3 × 0.2451 × 1, printed on the slide as −0.00373525…
    assert step.gradients["w_h"] == D("-0.00373525047")
    assert step.new_parameters["w_h"] == D("0.201867625235")  # printed 0.201867625…
    assert step.new_parameters["b_h"] == D("0.101867625235")  # printed 0.101867625…


def test_explain_follows_the_same_policy(slides):
    step = run(slides).first
    for name in ("w_o", "b_o", "w_h", "b_h", "y_h", "z_o"):
        explanation = explain(slides, name)
        assert D(str(explanation.gradient)).normalize() == D(step.gradient(name)).normalize(), name
    w_h = explain(slides, "w_h")
    assert float(w_h.new_value) == float(D("0.201867625235"))


def _sigma(z: Decimal) -> Decimal:
    return 1 / (1 + (-z).exp())


def _by_hand(method: str) -> dict[str, Decimal]:
    """tests/data/textbook_3_2_1.yaml worked as a student does: outputs to 3 decimals, δ to 4, weights to 3."""

    def written(value: Decimal, decimals: int) -> Decimal:
        return round_decimal(value, decimals, method)

    x1, x2, x3, target, eta = D(1), D(1), D(0), D("0.8"), D("0.9")
    w14, w24, w34, w15, w25, w35 = D("0.3"), D("0.1"), D("-0.4"), D("-0.2"), D("0.4"), D("0.3")
    w46, w56, b4, b5, b6 = D("0.5"), D("-0.1"), D("-0.2"), D("0.1"), D("0.3")
    o4 = written(_sigma(w14 * x1 + w24 * x2 + w34 * x3 + b4), 3)  # σ(0.2) = 0.5498… → 0.550
    o5 = written(_sigma(w15 * x1 + w25 * x2 + w35 * x3 + b5), 3)  # σ(0.3) = 0.5744… → 0.574
    o6 = written(_sigma(w46 * o4 + w56 * o5 + b6), 3)  # σ(0.5176) = 0.6266… → 0.627
    d6 = written(-(target - o6) * o6 * (1 - o6), 4)  # −0.173 × 0.627 × 0.373 → −0.0405
    d4 = written(w46 * d6 * o4 * (1 - o4), 4)  # 0.5 × −0.0405 × 0.55 × 0.45 → −0.0050
    d5 = written(w56 * d6 * o5 * (1 - o5), 4)  # −0.1 × −0.0405 × 0.574 × 0.426 → 0.0010
    return {
        "out_h4": o4, "out_h5": o5, "out_o6": o6, "in_o6": w46 * o4 + w56 * o5 + b6,
        "in_o6_delta": d6, "in_h4_delta": d4, "in_h5_delta": d5,
        "w46": written(w46 - eta * d6 * o4, 3), "w56": written(w56 - eta * d6 * o5, 3),
        "b6": written(b6 - eta * d6, 3),
        "w14": written(w14 - eta * d4 * x1, 3), "w24": written(w24 - eta * d4 * x2, 3),
        "w34": written(w34 - eta * d4 * x3, 3), "b4": written(b4 - eta * d4, 3),
        "w15": written(w15 - eta * d5 * x1, 3), "w25": written(w25 - eta * d5 * x2, 3),
        "w35": written(w35 - eta * d5 * x3, 3), "b5": written(b5 - eta * d5, 3),
    }


EXERCISE = {  # the same, as literals written out on paper (half up)
    "out_h4": "0.550", "out_h5": "0.574", "out_o6": "0.627", "in_o6": "0.5176",
    "in_o6_delta": "-0.0405", "in_h4_delta": "-0.0050", "in_h5_delta": "0.0010",
    "w46": "0.520", "w56": "-0.079", "b6": "0.336",
    "w14": "0.305", "w24": "0.105", "w34": "-0.400", "b4": "-0.196",
    "w15": "-0.201", "w25": "0.399", "w35": "0.300", "b5": "0.099",
}


@pytest.fixture(scope="module")
def exercise():
    return load_scenario(ROOT / "tests" / "data" / "textbook_3_2_1.yaml")


def _traced(scenario) -> dict[str, Decimal]:
    step = run(scenario).first
    values = {name: step.value(name) for name in ("out_h4", "out_h5", "out_o6", "in_o6")}
    values.update({f"{z}_delta": step.gradient(z) for z in ("in_o6", "in_h4", "in_h5")})
    values.update(step.new_parameters)
    return values


def test_textbook_exercise_matches_the_hand_calculation(exercise):
    by_hand = _by_hand("half_up")
    assert {name: str(value) for name, value in by_hand.items()} == EXERCISE
    traced = _traced(exercise)
    for name, expected in EXERCISE.items():
        assert str(traced[name]) == expected, name


def test_half_even_rounds_ties_to_even(exercise):
    policy = replace(exercise.rounding, method="half_even")
    traced = _traced(replace(exercise, rounding=policy))
    by_hand = _by_hand("half_even")
    assert by_hand["w14"] == D("0.304") and by_hand["w24"] == D("0.104")  # 0.3045 and 0.1045 are ties
    for name, expected in by_hand.items():
        assert traced[name] == expected, name


def test_rounding_every_kind(exercise):
    """pre-activations, losses and gradients can be rounded too; each rounded value is carried forward."""
    policy = Rounding(pre_activations=2, activations=3, losses=4, deltas=4, gradients=5, parameters=3)
    step = run(replace(exercise, rounding=policy)).first
    assert step.value("in_o6") == D("0.52")  # 0.5176 written with 2 decimals
    assert step.value("out_o6") == round_decimal(_sigma(D("0.52")), 3, "half_up")
    assert step.loss == round_decimal((D("0.8") - step.value("out_o6")) ** 2 / 2, 4, "half_up")
    for gradient in step.gradients.values():
        assert -gradient.as_tuple().exponent <= 5


def test_without_a_policy_numbers_stay_float(exercise):
    step = run(replace(exercise, rounding=None)).first
    assert isinstance(step.loss, float)
    assert step.value("out_h4") == pytest.approx(float(_sigma(D("0.2"))), rel=1e-15)


def test_loader_reads_the_policy(tmp_path):
    text = (ROOT / "tests" / "data" / "textbook_3_2_1.yaml").read_text(encoding="utf-8")
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace("rounding: {activations: 3, deltas: 4, parameters: 3}",
                                 "rounding: {gradients: 8, method: half_even}"), encoding="utf-8")
    assert load_scenario(path).rounding == Rounding(gradients=8, method="half_even")


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        ("{activations: 2.5}", "expected a whole number of decimals from 0 to 15"),
        ("{activations: 16}", "expected a whole number of decimals from 0 to 15"),
        ("{activation: 2}", "unknown key 'activation' (did you mean 'activations'?)"),
        ("{method: up}", "expected a rounding method"),
        ("2", "expected a mapping"),
    ],
)
def test_loader_refuses_bad_policies(tmp_path, policy, message):
    from bptutor.errors import ScenarioError

    text = (ROOT / "tests" / "data" / "textbook_3_2_1.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("{activations: 3, deltas: 4, parameters: 3}", policy), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert message in caught.value.message
    assert caught.value.location.line == 22
    assert caught.value.field.startswith("rounding")

