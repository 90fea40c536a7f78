"""Pins for judging: the exact limits of the carried-forward slack and of a tolerance.

The network is one linear neuron, so every limit is a sum of decimals written out here:
in_o = w·x + b = 0.1 × 1 + 0.025 = 0.125 and out_o = in_o.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bptutor.loading.scenario import load_scenario_text
from bptutor.teach.answers import Claim
from bptutor.teach.check import check
from bptutor.teach.grading import CONSISTENT, RIGHT, WRONG, Judge, Tolerance

LINEAR = """\
name: linear
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


@pytest.fixture(scope="module")
def linear():
    return load_scenario_text(LINEAR, "linear.yaml")


def verdict(report, name: str) -> str:
    (row,) = [row for row in report.rows if row.step.name == name]
    return row.verdict


# A wrong in_o written as 0.300 (3 decimals) stands for anything in [0.2995, 0.3005]: out_o = in_o is then
# allowed a spread of 0.0005 around 0.300, plus half a unit of out_o's own last written digit.


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0.301", CONSISTENT),  # |0.301 − 0.300| = 0.001 = 0.0005 (half of 0.001) + 0.0005 (spread): the limit itself
        ("0.302", WRONG),  # 0.002 > 0.0005 + 0.0005
        ("0.3005", CONSISTENT),  # 0.0005 ≤ 0.00005 + 0.0005
        ("0.3006", WRONG),  # 0.0006 > 0.00005 + 0.0005 = 0.00055 (a whole unit, 0.0001 + 0.0005, would let it pass)
        ("0.2994", WRONG),  # the same on the other side
        ("0.2995", CONSISTENT),
    ],
)
def test_carried_forward_slack_is_half_a_unit_plus_the_spread(linear, written, expected):
    report = check(linear, [Claim.of("in_o", "0.300"), Claim.of("out_o", written)])
    assert verdict(report, "in_o") == WRONG
    assert verdict(report, "out_o") == expected


@pytest.mark.parametrize(
    ("tolerance", "written", "expected"),
    [
        ("0.01", "0.135", RIGHT),  # |0.135 − 0.125| = 0.01: exactly at the limit
        ("0.01", "0.115", RIGHT),
        ("0.01", "0.136", WRONG),
        ("0.01", "0.114", WRONG),
        ("10%", "0.1375", RIGHT),  # 10 % of 0.125 is 0.0125: exactly at the limit
        ("10%", "0.1125", RIGHT),
        ("10%", "0.1376", WRONG),
        ("10%", "0.1124", WRONG),
    ],
)
def test_a_claim_exactly_at_the_tolerance_is_accepted(linear, tolerance, written, expected):
    judge = Judge(tolerance=Tolerance.parse(tolerance))
    assert verdict(check(linear, [Claim.of("in_o", written)], judge=judge), "in_o") == expected
    assert verdict(check(linear, [Claim.of("in_o", written)]), "in_o") == WRONG  # none without the tolerance


def test_a_tolerance_of_zero_is_a_tolerance():
    """--tolerance 0 (or 0%) is allowed: it accepts only the exact value, which rounding accepts anyway."""
    assert Tolerance.parse("0") == Tolerance(Decimal(0))
    assert Tolerance.parse("0%") == Tolerance(Decimal(0), relative=True)
    assert Tolerance.parse("-0.001") is None


@pytest.mark.parametrize(("written", "verdict"), [("0.806", RIGHT), ("0.807", RIGHT), ("0.805", WRONG), ("0.808", WRONG)])
def test_an_update_cut_at_a_tie_from_a_right_rounded_gradient_is_right(two_two_two, written, verdict):
    """The carried-forward slack is more than the enclosure of the carried values: ∂E/∂w8 = −0.0134851…
    written −0.013 (right at 3 decimals) gives w8′ = 0.8 − 0.5 × (−0.013) = 0.8065, which a student who
    cuts, or rounds half even, writes 0.806 and one who rounds half up 0.807. The enclosure, [0.8065,
    0.80674] (from −0.013 to the correct −0.0134851), rounds half up to 0.807 only; the slack, half a unit
    (0.0005) plus the spread 0.5 × 0.0004851 = 0.00024, takes 0.806 in too (|0.806 − 0.8065| = 0.0005),
    not 0.805 (0.0015 off) or 0.808."""
    report = check(two_two_two, [Claim.of("∂E_total/∂w8", "-0.013"), Claim.of("w8′", written)], diagnose=False)
    assert [row.verdict for row in report.given] == [RIGHT, verdict]
