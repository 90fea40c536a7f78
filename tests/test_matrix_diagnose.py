"""The matrix-form mistakes `check` diagnoses, each by recomputation: W where Wᵀ belongs, and ∂E/∂W transposed.

A student (`tests.hand_calculation`, apart from bptutor) works the 2-2-2 example with the
matrices written out here: W^(2) = [[w5, w6], [w7, w8]] (row j: the weights into output j).
The hidden error terms are then taken as W^(2) δ^(2) instead of (W^(2))ᵀ δ^(2), or the
weight gradients δ (a^(l−1))ᵀ are reported transposed. Every value `check` calls wrong must
be explained by that mistake, at each level of detail written.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest

from bptutor.core.scenario import Scenario
from bptutor.teach.answers import Claim
from bptutor.teach.check import check
from bptutor.teach.grading import WRONG
from bptutor.teach.solution import DELTA, GRADIENT, NEW_PARAMETER, WorkedSteps
from tests.hand_calculation import Student

W2 = [["w5", "w6"], ["w7", "w8"]]  # rows: o1, o2; columns: h1, h2
W1 = [["w1", "w2"], ["w3", "w4"]]  # rows: h1, h2; columns: i1, i2
HIDDEN, OUTPUT, INPUTS = ["h1", "h2"], ["o1", "o2"], ["i1", "i2"]


class MatrixStudent(Student):
    def __init__(self, scenario: Scenario, rounding: dict[str, tuple[int, str]], mistake: str) -> None:
        super().__init__(scenario, rounding)
        self.mistake = mistake

    def compute(self, name: str, kind: str, neuron: str | None, parameter: str | None) -> Decimal:
        if self.mistake == "untransposed_weights" and name in ("∂E_total/∂out_h1", "∂E_total/∂out_h2"):
            k = HIDDEN.index(neuron or "")
            return sum((self.read(W2[k][j]) * self.read(f"δ_{OUTPUT[j]}") for j in range(2)), Decimal(0))
        if self.mistake == "transposed_gradient" and kind == GRADIENT and parameter not in ("b1", "b2", "b3", "b4"):
            for weights, rows, columns in ((W2, OUTPUT, HIDDEN), (W1, HIDDEN, INPUTS)):
                for j, row in enumerate(weights):
                    if parameter in row:
                        k = row.index(parameter)
                        # G = δ aᵀ, then Gᵀ reported: the (j, k) entry is G[k][j] = δ_(row k)·a_(column j)
                        source = columns[j] if columns is INPUTS else f"out_{columns[j]}"
                        return self.read(f"δ_{rows[k]}") * self.read(source)
        return super().compute(name, kind, neuron, parameter)


LEVELS = {
    "every value": lambda kind: True,
    "deltas and gradients": lambda kind: kind in (DELTA, GRADIENT, NEW_PARAMETER),
    "final answers only": lambda kind: kind == NEW_PARAMETER,
}


def worked(scenario: Scenario, mistake: str, level: str) -> list[Claim]:
    steps = [(s.name, s.kind, s.neuron, s.parameter) for s in WorkedSteps(scenario).steps if not s.optional]
    written = {name for name, kind, *_ in steps if LEVELS[level](kind)}
    rounding = {name: (10, ROUND_HALF_UP) if name in written else (30, ROUND_DOWN) for name, *_ in steps}
    student = MatrixStudent(scenario, rounding, mistake)
    student.work(steps)
    return [Claim.of(name, format(student.carried[name], "f")) for name, *_ in steps if name in written]


@pytest.mark.parametrize("level", list(LEVELS))
@pytest.mark.parametrize("mistake", ["untransposed_weights", "transposed_gradient"])
def test_each_matrix_mistake_is_diagnosed(two_two_two: Scenario, mistake: str, level: str) -> None:
    report = check(two_two_two, worked(two_two_two, mistake, level))
    wrong = [row for row in report.rows if row.verdict == WRONG]
    assert wrong, "the mistake shows in the values written"
    for row in wrong:
        keys = {diagnosis.key for diagnosis in row.diagnoses}
        assert mistake in keys, (row.step.name, sorted(keys))


def test_untransposed_weights_differ_only_off_the_diagonal(two_two_two: Scenario) -> None:
    """h1's sum with W: w5·δ_o1 + w6·δ_o2 (the correct one reads w7 for δ_o2); the message names w6 for w7."""
    claims = worked(two_two_two, "untransposed_weights", "every value")
    report = check(two_two_two, claims)
    (row,) = [row for row in report.rows if row.step.name == "∂E_total/∂out_h1"]
    (diagnosis,) = [d for d in row.diagnoses if d.key == "untransposed_weights"]
    text = diagnosis.message.render("en")
    assert "w6/w7" in text and "W^(2)" in text
    assert "W^(2)" in diagnosis.message.render("zh") and "转置" in diagnosis.message.render("zh")
    student = {claim.name: claim.value for claim in claims}
    expected = Decimal("0.5") * student["δ_o1"] + Decimal("0.6") * student["δ_o2"]
    assert abs(student["∂E_total/∂out_h1"] - expected) < Decimal("1e-9")


def test_transposed_gradient_is_named_once(two_two_two: Scenario) -> None:
    """∂E/∂w6 reported as ∂E/∂w7's value is a transposed ∂E/∂W^(2), not also listed as two exchanged gradients."""
    report = check(two_two_two, worked(two_two_two, "transposed_gradient", "every value"))
    (row,) = [row for row in report.rows if row.step.name == "∂E_total/∂w6"]
    keys = [diagnosis.key for diagnosis in row.diagnoses]
    assert "transposed_gradient" in keys and "exchanged" not in keys
    (row,) = [row for row in report.rows if row.step.name == "∂E_total/∂w2"]
    assert "transposed_gradient" in {diagnosis.key for diagnosis in row.diagnoses}
