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
