"""The one number formatter: significant digits, no float noise, no exponent for everyday sizes."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

DEFAULT_DIGITS = 10


def format_number(value: float | Decimal, digits: int = DEFAULT_DIGITS) -> str:
    """Round to `digits` significant digits and drop trailing zeros.

    0.6000000000000001 → "0.6", 0.08182331497 stays as written, 1.5e-09 → "1.5e-09".
    Rounding is done on the exact binary value, half to even, like Python's own formatting.
    A Decimal (a value from a hand-calculation policy) that fits in `digits` significant
    digits is shown exactly as it was written down, trailing zeros included (0.50).
    """
    if isinstance(value, Decimal) and value.is_finite() and _fits(value, digits):
        return _plain(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == 0:
        return "0"
    exact = value if isinstance(value, Decimal) else Decimal(value)
    exponent = exact.adjusted()  # position of the leading digit
    quantum = Decimal(1).scaleb(exponent - digits + 1)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_EVEN)
    if rounded.adjusted() != exponent:  # 9.99… rounded up to 10.0…
        exponent = rounded.adjusted()
        rounded = exact.quantize(Decimal(1).scaleb(exponent - digits + 1), rounding=ROUND_HALF_EVEN)
    if -6 <= exponent < 12:
        text = format(rounded, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    mantissa, _, power = format(rounded, "e").partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    sign = "-" if power.startswith("-") else "+"
    return f"{mantissa}e{sign}{abs(int(power)):02d}"


def _fits(value: Decimal, digits: int) -> bool:
    """Whether the decimal has at most `digits` significant digits and an everyday size."""
    if value == 0:
        return True
    significant = len(value.as_tuple().digits)
    return significant <= digits and -6 <= value.adjusted() < 12


def _plain(value: Decimal) -> str:
    """A decimal in positional notation, exactly as it stands (0.50, -0.02895543, 0)."""
    exponent = value.as_tuple().exponent
    if value == 0:
        return "0" if isinstance(exponent, int) and exponent >= 0 else format(abs(value), "f")
    return format(value, "f")


def true_minus(text: str) -> str:
    """A written number as people read it: its minus sign a true minus (U+2212), never a hyphen."""
    return text.replace("-", "\u2212")


__all__ = ["DEFAULT_DIGITS", "format_number", "true_minus"]
