"""Digit-like 28×28 images for training the 784-16-16-10 network, drawn from a seed.

Each image is a seven-segment digit 0 … 9 (the segments of a pocket calculator's
display) at a random place and size, with strokes 2 or 3 pixels wide, pixel values
0 (white), 0.5 (the stroke's edge) and 1 (black), and a few stray pixels. They are not
handwriting, but a network learns them the way it learns handwritten digits, and
they need no download. `random.Random(seed)` draws everything: the same seed gives
the same images everywhere.

    python benchmarks/digits_data.py OUT.npz [--count N] [--seed S]

writes `inputs` (N × 784, float32) and `targets` (N class labels 0 … 9, uint8):
the keys a compact scenario's `samples: OUT.npz` reads. `examples/digits_train.npz`
is `--count 500 --seed 1`.
"""

from __future__ import annotations

import argparse
import random
from typing import Any

SIDE = 28
# segments lit for each digit: a top, b top right, c bottom right, d bottom, e bottom left, f top left, g middle
SEGMENTS = ("abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg")


def image(rng: random.Random, digit: int) -> list[float]:
    """One 28×28 image of `digit`, row by row."""
    pixels = [0.0] * (SIDE * SIDE)
    width, height = rng.randint(10, 14), rng.randint(16, 20)
    left, top = rng.randint(3, SIDE - 3 - width), rng.randint(3, SIDE - 3 - height)
    stroke = rng.choice((2, 3))
    middle = top + height // 2
    right, bottom = left + width, top + height
    spans = {  # each segment: (x0, y0, x1, y1), a horizontal or vertical line
        "a": (left, top, right, top),
        "b": (right, top, right, middle),
        "c": (right, middle, right, bottom),
        "d": (left, bottom, right, bottom),
        "e": (left, middle, left, bottom),
        "f": (left, top, left, middle),
        "g": (left, middle, right, middle),
    }
    slant = rng.uniform(-0.25, 0.25)  # a little italic, as hands write

    def ink(x: int, y: int, value: float) -> None:
        shifted = x + round(slant * (middle - y))
        if 0 <= shifted < SIDE and 0 <= y < SIDE:
            index = y * SIDE + shifted
            pixels[index] = max(pixels[index], value)

    for segment in SEGMENTS[digit]:
        x0, y0, x1, y1 = spans[segment]
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                for dx in range(-1, stroke):
                    for dy in range(-1, stroke):
                        edge = dx in (-1, stroke - 1) or dy in (-1, stroke - 1)
                        ink(x + dx, y + dy, 0.5 if edge else 1.0)
    for _ in range(rng.randint(0, 6)):  # stray pixels
        ink(rng.randrange(SIDE), rng.randrange(SIDE), 0.5)
    return pixels


def digits(count: int, seed: int) -> tuple[Any, Any]:
    """`count` images (count × 784, float32) and their labels (uint8), the digits in turn 0, 1, …, 9, 0, …"""
    import numpy as np

    rng = random.Random(seed)
    labels = [index % 10 for index in range(count)]
    images = [image(rng, label) for label in labels]
    return np.array(images, dtype=np.float32), np.array(labels, dtype=np.uint8)


def main() -> None:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    inputs, targets = digits(arguments.count, arguments.seed)
    np.savez_compressed(arguments.output, inputs=inputs, targets=targets)


if __name__ == "__main__":
    main()
