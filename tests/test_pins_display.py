"""Pins for the number formatter at its edges: where scientific notation starts, rounding across
that edge, and decimals shown exactly as written.

The rule (bptutor.core.numbers): 10 significant digits; positional for 10⁻⁶ ≤ |x| < 10¹², else
mantissa and exponent; a Decimal that fits in the digits is shown as written, trailing zeros kept.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bptutor.core.numbers import format_number

D = Decimal


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (999_999_999_000.0, "999999999000"),  # 12 digits before the point, below 10¹²: still positional
        (123_456_789_012.0, "123456789000"),  # rounded to 10 significant digits, positional
        (1e12, "1e+12"),  # 10¹² itself: scientific
        (1.5e12, "1.5e+12"),
        (-1e12, "-1e+12"),
        (1e-6, "0.000001"),  # 10⁻⁶ itself: positional
        (1e-7, "1e-07"),
        (-2.5e-7, "-2.5e-07"),
    ],
)
def test_the_switch_to_scientific_notation(value, shown):
    assert format_number(value) == shown


def test_ten_significant_digits_by_default():
    assert format_number(0.6456563062257954) == "0.6456563062"  # σ(0.6), 10 digits
    assert format_number(D("0.64565630622")) == "0.6456563062"  # a decimal of 11 digits is rounded to 10


def test_twelve_digits_below_the_edge_stay_positional():
    assert format_number(999_999_999_999.0, 12) == "999999999999"
    assert format_number(999_999_999_999.0, 11) == "1e+12"  # 11 significant digits round it up to 10¹²


def test_a_value_rounding_up_across_the_edge_is_rounded_again():
    """999999999999.9 to 10 significant digits is 1.000000000 × 10¹², which is at the edge: 1e+12."""
    assert format_number(999_999_999_999.9) == "1e+12"
    assert format_number(D("999999999999.9")) == "1e+12"  # 13 digits: more than 10, so rounded too
    assert format_number(9_999_999_999_999.9) == "1e+13"
    assert format_number(0.00000099999999999) == "0.000001"  # and up across 10⁻⁶, into positional


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (D("0.5000000000"), 10, "0.5000000000"),  # exactly 10 significant digits (5 and nine zeros)
        (D("0.50000000000"), 10, "0.5"),  # 11: rounded to 10, then trailing zeros dropped
        (D("0.5000"), 4, "0.5000"),
        (D("0.50000"), 4, "0.5"),
        (D("-0.02895543"), 7, "-0.02895543"),  # 7 significant digits: 2895543
        (D("-0.02895543"), 6, "-0.0289554"),  # one too many: rounded (half to even: …543 → …54)
        (D("999999999999"), 12, "999999999999"),  # as written, positional below 10¹²
        (D("1000000000000"), 13, "1e+12"),  # at 10¹² even a fitting decimal goes scientific
        (D("0.000001"), 10, "0.000001"),
        (D("0.0000010"), 10, "0.0000010"),  # 10⁻⁶ is still an everyday size: its trailing zero kept
        (D("999999999999.0"), 13, "999999999999.0"),  # and so is anything below 10¹²
        (D("0.00000010"), 10, "1e-07"),
        (D("0.00"), 10, "0.00"),
        (D("0E-8"), 10, "0.00000000"),  # a zero written to 8 decimals (round_decimal(0, 8)), below 10⁻⁶
        (D("-0.00"), 10, "0.00"),  # no minus sign on a zero
        (D("0"), 10, "0"),
    ],
)
def test_a_decimal_is_shown_as_written_when_it_fits(value, digits, shown):
    assert format_number(value, digits) == shown
