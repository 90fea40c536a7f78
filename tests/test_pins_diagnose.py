"""Pins for diagnoses: that each fires where it should, and that it does not fire where it should not.

All on the 2-2-2 network of the BP notes (i = 0.1, 0.2; w1…w8 = 0.1…0.8; b1…b4 = 0.55, 0.56, 0.66,
0.67); the values a diagnosis rests on are worked out in each test with plain floats.
"""

from __future__ import annotations

import math

from bptutor.teach.answers import Claim
from bptutor.teach.check import check
from bptutor.teach.grading import WRONG


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


OUT_H1 = sigmoid(0.1 * 0.1 + 0.2 * 0.2 + 0.55)  # σ(0.6) = 0.645656…
OUT_H2 = sigmoid(0.3 * 0.1 + 0.4 * 0.2 + 0.56)  # σ(0.67) = 0.661503…
IN_O1 = 0.5 * OUT_H1 + 0.6 * OUT_H2 + 0.66  # 1.379730…
IN_O2 = 0.7 * OUT_H1 + 0.8 * OUT_H2 + 0.67  # 1.651161…
OUT_O1 = sigmoid(IN_O1)  # 0.798947…


def wrong_row(scenario, claims: dict[str, str], name: str):
    report = check(scenario, [Claim.of(key, value) for key, value in claims.items()])
    (row,) = [row for row in report.rows if row.step.name == name and row.verdict == WRONG]
    return row


def keys(row) -> list[str]:
    return [diagnosis.key for diagnosis in row.diagnoses]


def test_a_cut_off_mistake_is_no_diagnosis_when_the_right_value_cuts_off_the_same(two_two_two):
    """out_h1 = 0.6457 written 0.64 is the right value cut off, whatever else also cuts off to 0.64.

    b2 for b1 gives σ(0.01 + 0.04 + 0.56) = σ(0.61) = 0.6479…: it too cuts off to 0.64, but so does the right
    value, so the cut-off is no evidence for b2. Swapping w1 and w2 gives σ(0.02 + 0.02 + 0.55) = σ(0.59) =
    0.6434…, which rounds to 0.64: that one stays.
    """
    assert f"{OUT_H1:.2f}" == "0.65" and math.floor(OUT_H1 * 100) == 64
    with_b2 = sigmoid(0.1 * 0.1 + 0.2 * 0.2 + 0.56)
    assert f"{with_b2:.2f}" == "0.65" and math.floor(with_b2 * 100) == 64
    assert f"{sigmoid(0.2 * 0.1 + 0.1 * 0.2 + 0.55):.2f}" == "0.64"
    row = wrong_row(two_two_two, {"out_h1": "0.64"}, "out_h1")
    assert keys(row) == ["swapped_weights"]
    assert not any(diagnosis.truncated for diagnosis in row.diagnoses)


def test_values_rounded_too_early(two_two_two):
    """in_o2 from out_h1, out_h2 rounded first: to 2 decimals 0.7 × 0.65 + 0.8 × 0.66 + 0.67 = 1.653,
    to 1 decimal 0.7 × 0.6 + 0.8 × 0.7 + 0.67 = 1.65 (the given weights and bias are not rounded)."""
    assert (f"{OUT_H1:.2f}", f"{OUT_H2:.2f}", f"{OUT_H1:.1f}", f"{OUT_H2:.1f}") == ("0.65", "0.66", "0.6", "0.7")
    assert f"{IN_O2:.4f}" == "1.6512"  # the right value
    row = wrong_row(two_two_two, {"in_o2": "1.6530"}, "in_o2")
    assert keys(row) == ["early_rounding"]
    assert "rounded to 2 decimals" in str(row.diagnoses[0].message)
    # Written with 4 decimals: carried at 4 or more (half up 1.6512, cut 1.6511) it is wrong, and only the
    # inputs rounded to 1 decimal give it. (Written as 1.650 it would be right: out_h1, out_h2 cut to 3
    # decimals, 0.645 and 0.661, give 0.7 × 0.645 + 0.8 × 0.661 + 0.67 = 1.6503.)
    row = wrong_row(two_two_two, {"in_o2": "1.6500"}, "in_o2")
    early = [str(diagnosis.message) for diagnosis in row.diagnoses if diagnosis.key == "early_rounding"]
    assert len(early) == 1 and "rounded to 1 decimals" in early[0]


def test_early_rounding_is_tried_up_to_one_decimal_short_of_the_claim(two_two_two):
    """in_o2 written with 4 decimals from inputs rounded to 3: 0.7 × 0.646 + 0.8 × 0.662 + 0.67 = 1.6518."""
    assert (f"{OUT_H1:.3f}", f"{OUT_H2:.3f}") == ("0.646", "0.662")
    row = wrong_row(two_two_two, {"in_o2": "1.6518"}, "in_o2")
    assert "rounded to 3 decimals" in str(row.diagnoses[0].message)


GIVEN = {"out_h1": f"{OUT_H1:.10f}", "out_h2": f"{OUT_H2:.10f}"}


def test_two_digits_swapped_far_apart_are_no_transposition(two_two_two):
    """0.7989476414 with its 1st and 3rd decimals exchanged (0.8979476414) is no slip of two neighbours."""
    assert f"{OUT_O1:.10f}" == "0.7989476414"
    row = wrong_row(two_two_two, {**GIVEN, "out_o1": "0.8979476414"}, "out_o1")
    assert keys(row) == []
    neighbours = wrong_row(two_two_two, {**GIVEN, "out_o1": "0.7989476441"}, "out_o1")  # the last two exchanged
    assert keys(neighbours) == ["typo_transposed"]


def test_a_decimal_point_moved_left(two_two_two):
    """in_o1 = 1.3797… written 0.1380: the point moved one place left (÷ 10, rounded to 4 decimals)."""
    assert f"{IN_O1:.4f}" == "1.3797" and f"{IN_O1 / 10:.4f}" == "0.1380"
    row = wrong_row(two_two_two, {**GIVEN, "in_o1": "0.1380"}, "in_o1")
    assert keys(row) == ["typo_point"]
    right = wrong_row(two_two_two, {**GIVEN, "in_o1": "13.7973"}, "in_o1")  # and right (× 10)
    assert keys(right) == ["typo_point"]


def test_a_mistake_explains_a_value_within_half_a_unit_plus_the_spread_of_the_students_values(two_two_two):
    """E_o1 with the ½ dropped, from the student's out_o1 = 0.7989 (right, so also carried unrounded):
    (0.7989 − 0.01)² = 0.62236321, and from the unrounded 0.798948 it is 0.622438, a spread of 0.0000752.
    0.6224 lies within half a unit (0.00005) plus that spread of 0.62236321: explained. 0.6225 lies
    0.0001368 away, more than 0.0001252, and is not; a whole unit of slack (0.0001752) would take it in."""
    written = (0.7989 - 0.01) ** 2
    spread = (OUT_O1 - 0.01) ** 2 - written
    assert abs(0.6224 - written) <= 0.00005 + spread < abs(0.6225 - written) <= 0.0001 + spread
    assert "half_dropped" in keys(wrong_row(two_two_two, {"out_o1": "0.7989", "E_o1": "0.6224"}, "E_o1"))
    assert "half_dropped" not in keys(wrong_row(two_two_two, {"out_o1": "0.7989", "E_o1": "0.6225"}, "E_o1"))
