"""Formulas as data: text pieces and references to named values.

A formula is a tuple of tokens. The renderer prints it twice: once with the
names (``w5·out_h1``) and once with the numbers substituted (``0.5 × 0.6456``).
Keeping both views in one object means the symbols and the numbers a student
sees can never disagree.
"""

from __future__ import annotations

from decimal import Decimal

from bptutor.records import dataclass


@dataclass(frozen=True)
class Ref:
    """A named value inside a formula."""

    name: str
    value: float | Decimal  # a Decimal under a hand-rounding policy (see core.arithmetic)


@dataclass(frozen=True)
class Times:
    """A product sign: ``·`` between symbols, ``×`` between numbers."""


TIMES = Times()

Token = str | Ref | Times
Formula = tuple[Token, ...]


def join(parts: list[Formula], separator: str) -> Formula:
    """Concatenate formulas with a text separator between them."""
    tokens: list[Token] = []
    for index, part in enumerate(parts):
        if index:
            tokens.append(separator)
        tokens.extend(part)
    return tuple(tokens)


def product(parts: list[Formula]) -> Formula:
    """Concatenate formulas with product signs between them."""
    tokens: list[Token] = []
    for index, part in enumerate(parts):
        if index:
            tokens.append(TIMES)
        tokens.extend(part)
    return tuple(tokens)


__all__ = ["TIMES", "Formula", "Ref", "Times", "Token", "join", "product"]
