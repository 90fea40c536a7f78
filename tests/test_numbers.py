from __future__ import annotations

import pytest

from bptutor.core.numbers import format_number


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (0.6000000000000001, 10, "0.6"),  # float noise is not shown
        (0.6456563062257954, 10, "0.6456563062"),
        (0.08182331501899741, 10, "0.08182331502"),  # significant digits, not decimals
        (-0.020385525551585255, 10, "-0.02038552555"),
        (0.6456563062257954, 3, "0.646"),
        (9.99999999999, 10, "10"),  # rounding up across a power of ten
        (2.0, 10, "2"),
        (0.0, 10, "0"),
        (-0.0, 10, "0"),
        (1.5e-9, 10, "1.5e-09"),
        (123456789012345.0, 4, "1.235e+14"),
        (0.125, 2, "0.12"),  # the exact binary value, half to even, as Python prints it
    ],
)
def test_format_number(value, digits, shown):
    assert format_number(value, digits) == shown


def test_special_values():
    assert format_number(float("inf")) == "inf"
    assert format_number(float("-inf")) == "-inf"
    assert format_number(float("nan")) == "nan"
