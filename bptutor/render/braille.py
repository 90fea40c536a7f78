"""A line plot in the terminal, drawn with braille characters (2 × 4 dots per character cell).

Pure text: the same values give the same characters, so it can be tested
exactly. Used by `bptutor train` for the loss per epoch.
"""

from __future__ import annotations

from collections.abc import Sequence

from bptutor.core.numbers import format_number

_BRAILLE_BASE = 0x2800
# dot bits of a braille cell, by (column, row) within the cell
_DOTS = {(0, 0): 0x01, (0, 1): 0x02, (0, 2): 0x04, (0, 3): 0x40, (1, 0): 0x08, (1, 1): 0x10, (1, 2): 0x20, (1, 3): 0x80}


def line_plot(values: Sequence[float], width: int = 60, height: int = 10, digits: int = 4) -> list[str]:
    """The values as a line, `width` × `height` characters, with the y range at the left and x below.

    x is the index of the value (0 … len − 1), y runs from the smallest value
    (bottom) to the largest (top); consecutive points are joined.
    """
    dots_x, dots_y = width * 2, height * 4
    low, high = min(values), max(values)
    span = high - low or 1.0
    count = len(values)
    grid = [[0] * width for _ in range(height)]

    def point(index: int) -> tuple[int, int]:
        x = round(index * (dots_x - 1) / (count - 1)) if count > 1 else 0
        y = round((values[index] - low) / span * (dots_y - 1))
        return x, dots_y - 1 - y

    def dot(x: int, y: int) -> None:
        grid[y // 4][x // 2] |= _DOTS[(x % 2, y % 4)]

    previous = point(0)
    dot(*previous)
    for index in range(1, count):
        current = point(index)
        (x0, y0), (x1, y1) = previous, current
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for step in range(steps + 1):
            dot(round(x0 + (x1 - x0) * step / steps), round(y0 + (y1 - y0) * step / steps))
        previous = current
    top, bottom = format_number(high, digits), format_number(low, digits)
    margin = max(len(top), len(bottom))
    lines = []
    for row in range(height):
        label = top if row == 0 else bottom if row == height - 1 else ""
        cells = "".join(chr(_BRAILLE_BASE + bits) for bits in grid[row])
        lines.append(f"{label:>{margin}} ┤{cells}")
    last = str(count - 1)
    lines.append(" " * margin + " └" + "─" * width)
    lines.append(" " * margin + "  0" + last.rjust(width - 1))
    return lines


__all__ = ["line_plot"]
