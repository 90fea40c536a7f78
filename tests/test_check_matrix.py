"""Every mistake found whatever the student wrote down: each mistake × each level of detail.

A student (`tests.hand_calculation`, apart from bptutor) works the 2-2-2
example with one mistake, writes down the values of one level of detail to 10 decimals, and
carries what they do not write at full precision. Every value `check` calls wrong must be
explained by that mistake (recomputed by `check` with it), whichever values were written.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest

from bptutor.core.scenario import Scenario
from bptutor.teach.answers import Claim
from bptutor.teach.check import check
from bptutor.teach.grading import WRONG
from bptutor.teach.solution import DELTA, NEW_PARAMETER, OUTPUT_GRADIENT, SLOPE, WorkedSteps
from tests.hand_calculation import Student


class MistakenStudent(Student):
    """The hand calculation with one mistake."""

    def __init__(self, scenario: Scenario, rounding: dict[str, tuple[int, str]], mistake: str) -> None:
        super().__init__(scenario, rounding)
        self.mistake = mistake

    def compute(self, name: str, kind: str, neuron: str | None, parameter: str | None) -> Decimal:
        if self.mistake == "updated_weights" and name in ("∂E_total/∂out_h1", "∂E_total/∂out_h2"):
            # δ_o·w′, with w′ = w − η·∂E/∂w worked (and rounded) as it will be written in the update
            total = Decimal(0)
            for consumer, weight in self.consumers(neuron or ""):
                decimals, method = self.rounding[f"{weight}′"]
                new = self.read(weight) - self.rates[weight] * self.read(f"∂E_total/∂{weight}")
                total += self.read(f"δ_{consumer}") * new.quantize(Decimal(1).scaleb(-decimals), rounding=method)
            return total
        if self.mistake == "slope_not_multiplied" and name == "δ_o1":
            return self.read("∂E_total/∂out_o1")  # σ′ worked out (∂out_o1/∂in_o1) but not multiplied in
        if self.mistake == "one_path" and name == "∂E_total/∂out_h1":
            return self.read("δ_o1") * self.read("w5")  # the path through o2, δ_o2·w7, left out
        exchanged = {"∂E_total/∂w6": ("w7", "o2"), "∂E_total/∂w7": ("w6", "o1")}  # w7 feeds o2, w6 feeds o1
        if self.mistake == "exchanged" and name in exchanged:
            other, owner = exchanged[name]
            return super().compute(f"∂E_total/∂{other}", kind, owner, other)
        return super().compute(name, kind, neuron, parameter)


LEVELS = {
    "every value": lambda kind: True,
    "no intermediate factors": lambda kind: kind not in (OUTPUT_GRADIENT, SLOPE),
    "deltas only": lambda kind: kind in (DELTA, NEW_PARAMETER),
    "final answers only": lambda kind: kind == NEW_PARAMETER,
}
# the same numbers: σ′ not multiplied in is σ′ forgotten when σ′ is not written down
FOUND_AS = {
    "updated_weights": {"updated_weights"},
    "slope_not_multiplied": {"slope_not_multiplied", "no_derivative"},
    "one_path": {"one_path"},
    # w6 and w7 sit at mirror places of the square W^(2): exchanging them is ∂E/∂W^(2) transposed, named so
    "exchanged": {"exchanged", "transposed_gradient"},
}


def worked(scenario: Scenario, mistake: str, level: str) -> list[Claim]:
    steps = [(s.name, s.kind, s.neuron, s.parameter) for s in WorkedSteps(scenario).steps if not s.optional]
    written = {name for name, kind, *_ in steps if LEVELS[level](kind)}
    rounding = {name: (10, ROUND_HALF_UP) if name in written else (30, ROUND_DOWN) for name, *_ in steps}
    student = MistakenStudent(scenario, rounding, mistake)
    student.work(steps)
    return [Claim.of(name, format(student.carried[name], "f")) for name, *_ in steps if name in written]


@pytest.mark.slow
@pytest.mark.parametrize("level", list(LEVELS))
@pytest.mark.parametrize("mistake", list(FOUND_AS))
def test_each_mistake_is_found_at_each_level_of_detail(two_two_two, mistake, level):
    report = check(two_two_two, worked(two_two_two, mistake, level))
    wrong = [row for row in report.rows if row.verdict == WRONG]
    assert wrong, "the mistake shows in the values written"
    for row in wrong:
        keys = {diagnosis.key for diagnosis in row.diagnoses}
        assert keys & FOUND_AS[mistake], (row.step.name, sorted(keys))


@pytest.mark.parametrize("level", list(LEVELS))
def test_right_work_at_each_level_is_all_right(two_two_two, level):
    assert check(two_two_two, worked(two_two_two, "none", level), diagnose=False).all_right


def test_one_path_is_named_not_a_digit_too_many(two_two_two):
    report = check(two_two_two, worked(two_two_two, "one_path", "every value"))
    (row,) = [row for row in report.rows if row.verdict == WRONG]
    assert row.step.name == "∂E_total/∂out_h1"
    assert [str(d.message) for d in row.diagnoses] == [
        "only part of the error reaching h1 summed: the path through o2 (δ_o2·w7) left out of ∂E_total/∂out_h1"
    ]


def test_sigma_prime_written_but_not_multiplied_is_named(two_two_two):
    report = check(two_two_two, worked(two_two_two, "slope_not_multiplied", "every value"))
    (row,) = [row for row in report.rows if row.verdict == WRONG]
    assert row.step.name == "δ_o1"
    assert str(row.diagnoses[0].message) == (
        "∂out_o1/∂in_o1 written down but not multiplied in: δ_o1 taken as ∂E_total/∂out_o1 alone"
    )


def test_two_decimals_everywhere_is_right_but_warned(two_two_two):
    # δ_h1 ≈ 0.0112 → 0.01 at 2 decimals, so ∂E/∂w1 = 0.01 × 0.1 = 0.001 → 0.00, and w1′ = 0.1 − 0.1 × 0 = 0.10
    steps = [(s.name, s.kind, s.neuron, s.parameter) for s in WorkedSteps(two_two_two).steps if not s.optional]
    student = Student(two_two_two, {name: (2, ROUND_HALF_UP) for name, *_ in steps})
    student.work(steps)
    assert student.carried["∂E_total/∂w1"] == 0 and student.carried["w1′"] == Decimal("0.10")
    report = check(two_two_two, [Claim.of(name, format(student.carried[name], "f")) for name, *_ in steps])
    assert report.all_right and report.count("right") == len(steps) == 47
    assert [str(warning) for warning in report.warnings] == [
        "at 2 decimals ∂E_total/∂w1, ∂E_total/∂w2, ∂E_total/∂w3, ∂E_total/∂w4 come out as 0, though none of them "
        "is: the gradient is lost and the update does nothing; carry more decimals",
        "at 2 decimals w1′, w2′, w3′, w4′, b1′, b2′ are the starting values: the update is smaller than the last "
        "digit written; carry more decimals",
    ]
    # written to 10 decimals, nothing is lost
    assert check(two_two_two, worked(two_two_two, "none", "every value")).warnings == ()
