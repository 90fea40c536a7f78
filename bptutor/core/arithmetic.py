"""Which numbers the tracer computes with: float64, or exact decimals rounded as by hand.

Without a rounding policy every value is a float. With one, every value is a
`Decimal`: the scenario's numbers are taken as the decimals the user wrote
(0.1 is one tenth), sums and products are exact, and each kind of value is
rounded (half up, as by hand, or half to even) when it is written down.
"""

from __future__ import annotations

import math
from contextlib import AbstractContextManager
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext

from bptutor.core.scenario import Rounding
from bptutor.records import dataclass

Number = float | Decimal
PRECISION = 50  # significant digits of decimal arithmetic: exact for any hand calculation
_METHODS = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


def as_decimal(value: float) -> Decimal:
    """The decimal a person wrote: the shortest text that reads back as this float.

    0.1 → 0.1 (one tenth, not the float nearest it) and 1.0 → 1. Exact for any
    number written with at most 15 significant digits.
    """
    text = repr(value)
    return Decimal(text[:-2] if text.endswith(".0") else text)


def exp(value: Number) -> Number:
    """e^x for floats or decimals."""
    if isinstance(value, Decimal):
        return value.exp()
    return math.exp(value)


def round_decimal(value: Decimal, decimals: int, method: str) -> Decimal:
    """Round to `decimals` places: 2.675 → 2.68 and 0.125 → 0.13 with half_up."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=_METHODS[method])


@dataclass(frozen=True)
class Arithmetic:
    rounding: Rounding | None

    def number(self, value: Number) -> Number:
        """A given number in this arithmetic (a decimal as written, or the float itself)."""
        if self.rounding is None or isinstance(value, Decimal):
            return value
        return as_decimal(value)

    @property
    def zero(self) -> Number:
        return Decimal(0) if self.rounding is not None else 0.0

    @property
    def one(self) -> Number:
        return Decimal(1) if self.rounding is not None else 1.0

    def written(self, value: Number, kind: str) -> Number:
        """The value as it is written down: rounded when the policy rounds this kind."""
        if self.rounding is None:
            return value
        decimals = self.rounding.decimals(kind)
        if decimals is None:
            return value
        assert isinstance(value, Decimal)
        return round_decimal(value, decimals, self.rounding.method)

    def context(self) -> AbstractContextManager[Context]:
        """The decimal context to compute in (precision enough for exact hand arithmetic)."""
        return localcontext(prec=PRECISION)


@dataclass(frozen=True)
class DecimalArithmetic(Arithmetic):
    """Exact decimals always (a hand calculation), rounded where the policy rounds: x ↦ Decimal(x)."""

    def number(self, value: Number) -> Decimal:
        return value if isinstance(value, Decimal) else as_decimal(value)

    @property
    def zero(self) -> Decimal:
        return Decimal(0)

    @property
    def one(self) -> Decimal:
        return Decimal(1)

    def written(self, value: Number, kind: str) -> Decimal:
        """The value as written down: rounded to the policy's places for this kind, if it has any."""
        exact = self.number(value)
        decimals = None if self.rounding is None else self.rounding.decimals(kind)
        if self.rounding is None or decimals is None:
            return exact
        return round_decimal(exact, decimals, self.rounding.method)


__all__ = ["PRECISION", "Arithmetic", "DecimalArithmetic", "Number", "as_decimal", "exp", "round_decimal"]
