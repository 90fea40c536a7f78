"""Layer-indexed names, as the four BP equations write them: w^(l)_{j,k}, b^(l)_j, z^(l)_j, a^(l)_j, δ^(l)_j.

A compact scenario (`bptutor.loading.compact`) names its quantities `w_2_3_5`, `b_2_3`,
`z_2_3`, `a_2_3`, `δ_2_3`: what a console can show and a shell can pass on
unquoted. This module reads such a name into its parts, prints it in the
layer-indexed form (w^(2)_{3,5}), and turns the other spellings people type
into it:

    w^(2)_{3,5}   w^(2)_3,5   w(2)_3,5   w2_3_5   w_2_3_5   →  w_2_3_5
    delta^(2)_3   d2_3        δ(2)_3                        →  δ_2_3
"""

from __future__ import annotations

import re

from bptutor.records import dataclass

_ALIASES = {"delta": "δ", "d": "δ"}

_NAME = re.compile(r"(?P<symbol>w|b|z|a|δ|Err|y|C)_(?P<layer>\d+)_(?P<j>\d+)(?:_(?P<k>\d+))?(?P<prime>['′]?)")
_TYPED = re.compile(
    r"(?P<symbol>w|b|z|a|δ|delta|d|Err|y|C)"
    r"(?:\^\{\((?P<l1>\d+)\)\}|\^\((?P<l2>\d+)\)|\^(?P<l3>\d+)|\((?P<l4>\d+)\)|_?(?P<l5>\d+))"
    r"_(?:\{(?P<j1>\d+)(?:,(?P<k1>\d+))?\}|(?P<j2>\d+)(?:[,_](?P<k2>\d+))?)"
)


@dataclass(frozen=True)
class LayeredName:
    """The parts of a layer-indexed name: w_2_3_5 is (w, 2, (3, 5))."""

    symbol: str
    layer: int
    indices: tuple[int, ...]
    primed: bool = False

    @property
    def name(self) -> str:
        """The name as the scenario holds it: w_2_3_5."""
        parts = "_".join(str(index) for index in (self.layer, *self.indices))
        return f"{self.symbol}_{parts}" + ("′" if self.primed else "")

    @property
    def printed(self) -> str:
        """The layer-indexed form in plain text: w^(2)_{3,5}, b^(2)_3."""
        indices = ",".join(str(index) for index in self.indices)
        subscript = f"{{{indices}}}" if len(self.indices) > 1 else indices
        return f"{self.symbol}^({self.layer})_{subscript}" + ("′" if self.primed else "")


def parts(name: str) -> LayeredName | None:
    """The parts of a name written as a compact scenario writes it (w_2_3_5, δ_1_4, w_2_3_5′), else None."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    if match.group("symbol") not in ("w",) and match.group("k") is not None:
        return None  # only weights have two indices
    if match.group("symbol") == "w" and match.group("k") is None:
        return None
    indices = (int(match.group("j")),) + ((int(match.group("k")),) if match.group("k") else ())
    return LayeredName(match.group("symbol"), int(match.group("layer")), indices, bool(match.group("prime")))


def printed(name: str) -> str:
    """w_2_3_5 → w^(2)_{3,5}; any other name as it is."""
    layered = parts(name)
    return layered.printed if layered is not None else name


def canonical(typed: str) -> str | None:
    """The compact scenario's own name for what someone typed (w^(2)_{3,5} → w_2_3_5), or None."""
    text = typed.strip().replace(" ", "")
    match = _TYPED.fullmatch(text)
    if match is None:
        return None
    symbol = _ALIASES.get(match.group("symbol"), match.group("symbol"))
    layer = next(group for group in (match.group(f"l{i}") for i in range(1, 6)) if group is not None)
    j = match.group("j1") or match.group("j2")
    k = match.group("k1") or match.group("k2")
    name = f"{symbol}_{int(layer)}_{int(j)}" + (f"_{int(k)}" if k is not None else "")
    return name if parts(name) is not None else None


__all__ = ["LayeredName", "canonical", "parts", "printed"]
