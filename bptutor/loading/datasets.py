"""The classic two-dimensional toy data sets, in the spirit of TensorFlow Playground.

Each generator draws `count` points (x1, x2) in about [−1, 1]² with a class
label 0 or 1, from `random.Random(seed)`: the same seed gives the same points on
every machine. `noise` is the standard deviation of Gaussian noise added to each
coordinate after the label is decided (so some points land on the wrong side).

    xor        uniform in the square; label 1 where x1 and x2 have opposite signs
    circle     label 1 inside radius 0.5, label 0 in the ring from 0.7 to 1
    gaussians  two round clouds (σ = 0.3) centred at (−0.5, −0.5), label 0, and (0.5, 0.5), label 1
    spiral     two interleaved arms, each turning 1.75 times around the origin
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

Point = tuple[float, float, int]  # x1, x2, label

GENERATORS = ("xor", "circle", "gaussians", "spiral")
MAX_COUNT = 100_000


def _xor(rng: random.Random, index: int, count: int) -> tuple[float, float, int]:
    x1, x2 = rng.uniform(-1, 1), rng.uniform(-1, 1)
    return x1, x2, int((x1 < 0) != (x2 < 0))


def _circle(rng: random.Random, index: int, count: int) -> tuple[float, float, int]:
    label = index % 2
    radius = rng.uniform(0, 0.5) if label else rng.uniform(0.7, 1.0)
    angle = rng.uniform(0, 2 * math.pi)
    return radius * math.cos(angle), radius * math.sin(angle), label


def _gaussians(rng: random.Random, index: int, count: int) -> tuple[float, float, int]:
    label = index % 2
    centre = 0.5 if label else -0.5
    return rng.gauss(centre, 0.3), rng.gauss(centre, 0.3), label


def _spiral(rng: random.Random, index: int, count: int) -> tuple[float, float, int]:
    label = index % 2
    per_arm = (count + 1) // 2
    fraction = (index // 2) / per_arm
    radius = fraction
    angle = 1.75 * 2 * math.pi * fraction + label * math.pi
    return radius * math.sin(angle), radius * math.cos(angle), label


_DRAW: dict[str, Callable[[random.Random, int, int], tuple[float, float, int]]] = {
    "xor": _xor,
    "circle": _circle,
    "gaussians": _gaussians,
    "spiral": _spiral,
}


def generate(name: str, count: int, noise: float = 0.0, seed: int = 0) -> list[Point]:
    """`count` labelled points of the data set `name` (one of GENERATORS)."""
    rng = random.Random(seed)
    points = []
    for index in range(count):
        x1, x2, label = _DRAW[name](rng, index, count)
        if noise:
            x1, x2 = x1 + rng.gauss(0, noise), x2 + rng.gauss(0, noise)
        points.append((x1, x2, label))
    return points


def targets_for(label: int, outputs: int) -> tuple[float, ...]:
    """A label as targets: itself for one output neuron (sigmoid), one-hot for two (softmax)."""
    if outputs == 1:
        return (float(label),)
    return tuple(1.0 if index == label else 0.0 for index in range(outputs))


__all__ = ["GENERATORS", "MAX_COUNT", "generate", "targets_for"]
