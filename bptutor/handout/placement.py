"""Where a label may go: a grid of cells over the picture, so a label is checked against what is near it only.

`Grid` files boxes (nodes, labels already placed) and segments (arrows) by the cells of `CELL` pixels they
touch. `Grid.free(box)` says whether a candidate label box overlaps no filed box and holds no point where two
arrows cross. Each question looks at the few cells under the box, so placing every label of a picture costs
time in proportion to the number of arrows, not to its square.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import field

from bptutor.records import dataclass

CELL = 48.0  # px

Point = tuple[float, float]
Segment = tuple[Point, Point]


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Rect) -> bool:
        across = self.left < other.right and other.left < self.right
        return across and self.top < other.bottom and other.top < self.bottom

    def holds(self, point: Point) -> bool:
        return self.left <= point[0] <= self.right and self.top <= point[1] <= self.bottom


@dataclass
class Grid:
    """Boxes and segments filed by cell. Built and used inside one layout; never shared."""

    boxes: dict[tuple[int, int], list[Rect]] = field(default_factory=dict)
    segments: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    lines: list[Segment] = field(default_factory=list)

    def add_box(self, box: Rect) -> None:
        for cell in _cells(box):
            self.boxes.setdefault(cell, []).append(box)

    def add_segment(self, segment: Segment) -> None:
        index = len(self.lines)
        self.lines.append(segment)
        for cell in _segment_cells(segment):
            self.segments.setdefault(cell, []).append(index)

    def free(self, box: Rect) -> bool:
        """No filed box overlaps `box`, and no two filed segments cross inside it."""
        cells = list(_cells(box))
        if any(box.overlaps(other) for cell in cells for other in self.boxes.get(cell, ())):
            return False
        near = sorted({index for cell in cells for index in self.segments.get(cell, ())})
        through = [self.lines[index] for index in near if meets(self.lines[index], box)]
        for first in range(len(through)):
            for second in range(first + 1, len(through)):
                point = crossing(through[first], through[second])
                if point is not None and box.holds(point):
                    return False
        return True


def crossing(first: Segment, second: Segment) -> Point | None:
    """The point where two segments cross, or None (parallel, or they miss each other)."""
    (x1, y1), (x2, y2) = first
    (x3, y3), (x4, y4) = second
    denominator = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3)
    if abs(denominator) < 1e-12:
        return None
    t = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / denominator
    u = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / denominator
    if 0.0 <= t <= 1.0 and 0.0 <= u <= 1.0:
        return (x1 + t * (x2 - x1), y1 + t * (y2 - y1))
    return None


def meets(segment: Segment, box: Rect) -> bool:
    """Whether the segment passes through the box (Liang–Barsky clipping)."""
    (x1, y1), (x2, y2) = segment
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - box.left), (dx, box.right - x1), (-dy, y1 - box.top), (dy, box.bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        ratio = q / p
        if p < 0:
            low = max(low, ratio)
        else:
            high = min(high, ratio)
        if low > high:
            return False
    return True


def _cells(box: Rect) -> Iterator[tuple[int, int]]:
    for column in range(math.floor(box.left / CELL), math.floor(box.right / CELL) + 1):
        for row in range(math.floor(box.top / CELL), math.floor(box.bottom / CELL) + 1):
            yield (column, row)


def _segment_cells(segment: Segment) -> Iterator[tuple[int, int]]:
    """Every cell the segment passes through: column by column, the rows its y spans in that column."""
    (x1, y1), (x2, y2) = segment
    if x1 > x2:
        (x1, y1), (x2, y2) = (x2, y2), (x1, y1)
    first, last = math.floor(x1 / CELL), math.floor(x2 / CELL)
    slope = (y2 - y1) / (x2 - x1) if x2 != x1 else 0.0
    for column in range(first, last + 1):
        left = max(x1, column * CELL)
        right = min(x2, (column + 1) * CELL)
        ys = (y1, y2) if x1 == x2 else (y1 + slope * (left - x1), y1 + slope * (right - x1))
        for row in range(math.floor(min(ys) / CELL), math.floor(max(ys) / CELL) + 1):
            yield (column, row)


__all__ = ["CELL", "Grid", "Rect", "crossing", "meets"]
