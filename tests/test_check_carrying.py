"""Never wrong for right work: a student who computes correctly, rounding each value as they like.

A simulated student (tests/hand_calculation.py, apart from bptutor) works a network: every value is
computed from their own carried values, rounded at a precision of their own (2–10 decimals,
half up, half even or cut) and carried as rounded. Some values are written down (half up, the
way `check` reads them), the others are left out; a value left out is carried at a precision no
coarser than the coarsest the student writes. `check` must never call such a value wrong.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bptutor.core.scenario import Scenario
from bptutor.loading.scenario import load_scenario_text
from bptutor.teach.answers import Claim
from bptutor.teach.check import check
from bptutor.teach.grading import WRONG
from bptutor.teach.solution import WorkedSteps
from tests.hand_calculation import Student
from tests.hypothesis_profiles import examples

METHODS = (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN)


def network(inputs: int, hidden: int, outputs: int, numbers: list[int], rate: str) -> str:
    """A sigmoid network, in_out notation, half squared error, its numbers drawn as hundredths."""
    draw = iter(numbers)

    def number() -> str:
        return str(Decimal(next(draw)) / 100)

    lines = ["name: drawn", "notation: in_out"]
    lines.append("inputs: {" + ", ".join(f"i{k}: {number()}" for k in range(1, inputs + 1)) + "}")
    lines.append("targets: {" + ", ".join(f"o{k}: {abs(Decimal(number())) % 1}" for k in range(1, outputs + 1)) + "}")
    lines.append("layers:")
    parameters: list[str] = []
    for layer, count, sources in (("hidden", hidden, [f"i{k}" for k in range(1, inputs + 1)]),
                                  ("output", outputs, [f"h{k}" for k in range(1, hidden + 1)])):
        lines += [f"  - name: {layer}", "    activation: sigmoid", "    neurons:"]
        for k in range(1, count + 1):
            neuron = f"{layer[0]}{k}"
            weights = {source: f"w_{source}_{neuron}" for source in sources}
            parameters += [*weights.values(), f"b_{neuron}"]
            wiring = ", ".join(f"{source}: {weight}" for source, weight in weights.items())
            lines.append(f"      {neuron}: {{bias: b_{neuron}, weights: {{{wiring}}}}}")
    lines.append("parameters: {" + ", ".join(f"{name}: {number()}" for name in parameters) + "}")
    lines += ["loss: half_sse", f"learning_rate: {rate}"]
    return "\n".join(lines) + "\n"


@st.composite
def drawn_networks(draw: st.DrawFn) -> Scenario:
    inputs, hidden, outputs = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    numbers = draw(st.lists(st.integers(-150, 150), min_size=40, max_size=40))
    rate = draw(st.sampled_from(["0.1", "0.5", "1"]))
    return load_scenario_text(network(inputs, hidden, outputs, numbers, rate), "drawn.yaml")


def exactly_written(value: Decimal, decimals: int) -> bool:
    """Written with no more decimals than the value has: that says nothing of the student's rounding."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return value.quantize(Decimal(1).scaleb(-decimals)) == value and decimals <= max(0, -exponent)


def student_claims(scenario: Scenario, data: st.DataObject) -> tuple[list[Claim], Student]:
    steps = [(s.name, s.kind, s.neuron, s.parameter) for s in WorkedSteps(scenario).steps if not s.optional]
    names = [name for name, *_ in steps]
    written = data.draw(st.lists(st.booleans(), min_size=len(names), max_size=len(names)))
    if not any(written):
        written[-1] = True
    decimals = data.draw(st.lists(st.integers(2, 10), min_size=len(names), max_size=len(names)))
    methods = data.draw(st.lists(st.sampled_from(METHODS), min_size=len(names), max_size=len(names)))
    # written values are rounded half up; one left out is carried at any precision from the coarsest written
    rounding = {name: (d, ROUND_HALF_UP if w else m) for name, d, m, w in zip(names, decimals, methods, written, strict=True)}
    # a first pass finds which written values are rounded at all (exact ones do not set the coarsest)
    probe = Student(scenario, dict.fromkeys(names, (30, ROUND_HALF_UP)))
    probe.work(steps)
    shown = [d for name, d, w in zip(names, decimals, written, strict=True) if w and not exactly_written(probe.unrounded[name], d)]
    coarsest = min(shown, default=10)
    for name, w in zip(names, written, strict=True):
        if not w:
            d, m = rounding[name]
            rounding[name] = (max(d, coarsest), m)
    student = Student(scenario, rounding)
    student.work(steps)
    claims = [Claim.of(name, format(student.carried[name], "f")) for name, w in zip(names, written, strict=True) if w]
    return claims, student


def assert_never_wrong(scenario: Scenario, claims: list[Claim]) -> None:
    report = check(scenario, claims, diagnose=False)
    wrong = [(row.step.name, row.claim.text, str(row.correct)) for row in report.rows if row.verdict == WRONG]
    assert not wrong, wrong


@pytest.mark.slow
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_right_work_at_any_precision_is_never_wrong_on_the_shipped_networks(two_two_two, one_one_one, data):
    scenario = data.draw(st.sampled_from([two_two_two, one_one_one]))
    claims, _ = student_claims(scenario, data)
    assert_never_wrong(scenario, claims)


@pytest.mark.slow
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn_networks(), st.data())
def test_right_work_at_any_precision_is_never_wrong_on_drawn_networks(scenario, data):
    claims, _ = student_claims(scenario, data)
    assert_never_wrong(scenario, claims)


def test_the_issues_student_who_does_not_write_sigma_prime(two_two_two):
    # ∂E/∂out_o2 = −(0.99 − 0.83904803) = −0.150952 to 6 decimals; σ′ carried as 0.135046, not written
    assert Decimal("-0.150952") * Decimal("0.135046") == Decimal("-0.020385463792")  # → −0.020385
    claims = [Claim.of("∂E_total/∂out_o2", "-0.150952"), Claim.of("δ_o2", "-0.020385")]
    assert_never_wrong(two_two_two, claims)
    # at full precision σ′ = 0.13504643…, which gives −0.0203855…: the carried one is what the student used
    assert check(two_two_two, [Claim.of("δ_o2", "-0.020387")], diagnose=False).first_wrong is not None
