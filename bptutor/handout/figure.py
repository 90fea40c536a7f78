"""The network drawn as a figure: one layout, printed as inline SVG or as a TikZ picture.

`layout(scenario)` places everything as data: a column per layer (the inputs
first), a circle per neuron, a grey box per bias parameter of a layer (in the
column before that layer, below its neurons, like a constant input; the column
rule is `bptutor.core.columns`, shared with the graph picture of `bptutor graph`), an arrow
per weight with a label "w5 = 0.5", and the targets beside the outputs.
Coordinates are in pixels, y pointing down. Each weight label is placed along
its arrow at the first fraction, from a preferred one staggered by source, where
its box meets no other label and no node and covers no point where two arrows
cross (bptutor.handout.placement looks only at what is near the box, so this is
linear in the arrows); when none is free the columns are moved apart, a few
times, and the labels placed again. Where even the widest columns leave some
arrow of a layer no free place, that layer's arrows go unlabelled and the legend
says the weights are in the givens. `network_svg` and `network_tikz` only print
that layout, so the two pictures agree and the tests can check the layout.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import replace
from xml.sax.saxutils import escape, quoteattr

from bptutor.core.columns import layer_parameters, neuron_columns
from bptutor.core.numbers import format_number, true_minus
from bptutor.core.scenario import Scenario
from bptutor.handout.maths import latex_text, name_latex, number_latex
from bptutor.handout.placement import Grid, Rect, meets
from bptutor.i18n import DEFAULT_LANGUAGE, language, message
from bptutor.records import dataclass

LABEL_SIZE = 12.0  # px, weight, bias, input and target labels, headings, legend
NAME_SIZE = 13.0  # px, names inside the neurons
LABEL_HEIGHT = 16.0
LABEL_PADDING = 3.0
MIN_RADIUS = 18.0
ROW = 64.0  # vertical distance between neurons (and bias boxes) of a column
FIRST_GAP = 190.0  # horizontal distance between columns, first try
GAP_GROWTH = 1.3  # each further try
MAX_GAP = 760.0
MARGIN = 14.0
NODE_CLEARANCE = 6.0  # the least distance from a weight label to a circle's bounding square or a bias box
SIDE_SPACE = 6.0  # between a circle and the input or target label beside it
ARROW_LENGTH = 7.0
ARROW_HALF_WIDTH = 3.5
CENTIMETRES_PER_PIXEL = 0.02  # TikZ: 12 px labels come out at about \scriptsize
TIKZ_MAX_WIDTH = 15.5  # cm, a little less than the text width of an A4 page
FRACTIONS = tuple(round(0.1 + 0.01 * step, 2) for step in range(81))  # 0.10 … 0.90 along an arrow

FONT_FAMILY = (
    "'DejaVu Sans', 'Liberation Sans', Arial, 'Noto Sans CJK SC', 'Source Han Sans SC', "
    "'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif"
)

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: left, top, width, height (px, y down)."""

    left: float
    top: float
    width: float
    height: float

    @classmethod
    def around(cls, x: float, y: float, width: float, height: float) -> Box:
        return cls(x - width / 2, y - height / 2, width, height)

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre(self) -> Point:
        return (self.left + self.width / 2, self.top + self.height / 2)

    def overlaps(self, other: Box) -> bool:
        """True when the two share some area (touching edges do not count)."""
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.width + 2 * by, self.height + 2 * by)

    def moved(self, dx: float, dy: float) -> Box:
        return Box(self.left + dx, self.top + dy, self.width, self.height)


@dataclass(frozen=True)
class Node:
    """A circle (an input or a neuron) or a box (a bias parameter feeding one layer)."""

    kind: str  # "input", "neuron" or "bias"
    name: str  # the input's or neuron's name, or the bias parameter's
    column: int  # 0 for the inputs, k for layer k (a bias of layer k stands in column k − 1)
    x: float
    y: float
    box: Box  # the circle's bounding square, or the bias box
    text: str  # written inside: the name, or "b1 = 0.55" for a bias
    value: float | None = None  # the input's or bias's value

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.kind, self.column, self.name)


@dataclass(frozen=True)
class Edge:
    """An arrow for one weight (or for a bias into a neuron), with its label for weights."""

    source: tuple[str, int, str]  # Node.key
    target: tuple[str, int, str]
    parameter: str
    start: Point  # on the source's outline
    end: Point  # on the target's outline (the arrow's tip)
    label: Box | None  # None for a bias arrow (the bias box is its own label) and in a layer left unlabelled
    text: str  # "w5 = 0.5", or "" for a bias arrow
    value: float
    fraction: float  # where along start → end the label's centre sits
    bias: bool = False  # drawn dashed


@dataclass(frozen=True)
class Label:
    """Free text: a column heading, an input's value, a target, the legend."""

    kind: str  # "heading", "input", "target" or "legend"
    text: str
    box: Box
    name: str = ""  # for "input" and "target": the quantity's name
    value: float | None = None


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    radius: float
    gap: float  # distance between columns
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    labels: tuple[Label, ...]
    title: str


# ── measuring text ─────────────────────────────────────────────────────────────


def text_width(text: str, size: float = LABEL_SIZE) -> float:
    """A generous estimate of the width of `text` in a sans-serif font: wide (CJK) characters
    count one em, others 0.62 em (more than most glyphs of common fonts need)."""
    ems = sum(1.0 if unicodedata.east_asian_width(character) in ("W", "F") else 0.62 for character in text)
    return ems * size


def _shown(value: float) -> str:
    """A number as the figure writes it: a true minus sign (U+2212), never a hyphen."""
    return true_minus(format_number(value))


def _label_box(x: float, y: float, text: str) -> Box:
    return Box.around(x, y, text_width(text) + 2 * LABEL_PADDING, LABEL_HEIGHT)


# ── the layout ─────────────────────────────────────────────────────────────────


def _outline_point(node: Node, towards: Point, radius: float) -> Point:
    """Where the straight line from the node's centre towards `towards` leaves its outline."""
    dx, dy = towards[0] - node.x, towards[1] - node.y
    length = math.hypot(dx, dy)
    if length == 0:
        return (node.x, node.y)
    if node.kind == "bias":
        half_width, half_height = node.box.width / 2, node.box.height / 2
        scale = min(half_width / abs(dx) if dx else math.inf, half_height / abs(dy) if dy else math.inf)
        return (node.x + dx * scale, node.y + dy * scale)
    return (node.x + dx / length * radius, node.y + dy / length * radius)


def _place(scenario: Scenario, lang: str, gap: float) -> tuple[Layout, tuple[bool, int, int]]:
    """The layout with columns `gap` apart, and how well it fits: (the headings clear of each other, the layers
    whose arrows are all labelled, minus the layers left unlabelled)."""
    values = scenario.parameter_values
    columns = neuron_columns(scenario)
    names = [name for column in columns for name in column]
    radius = max(MIN_RADIUS, max(text_width(name, NAME_SIZE) for name in names) / 2 + 4)
    tallest = max(len(column) for column in columns)
    biases = [layer_parameters(layer).biases for layer in scenario.layers]

    nodes: list[Node] = []
    position: dict[tuple[str, int, str], Node] = {}

    def add(node: Node) -> None:
        nodes.append(node)
        position[node.key] = node

    input_values = dict(scenario.inputs)
    for column_index, column in enumerate(columns):
        x = column_index * gap
        first = (tallest - len(column)) / 2 * ROW
        for row, name in enumerate(column):
            y = first + row * ROW
            kind = "input" if column_index == 0 else "neuron"
            value = input_values.get(name) if column_index == 0 else None
            add(Node(kind, name, column_index, x, y, Box.around(x, y, 2 * radius, 2 * radius), name, value))
        if column_index < len(scenario.layers):
            below = first + (len(column) - 1) * ROW
            for row, parameter in enumerate(biases[column_index], start=1):
                text = f"{parameter} = {_shown(values[parameter])}"
                y = below + row * ROW
                box = Box.around(x, y, text_width(text) + 2 * LABEL_PADDING + 4, LABEL_HEIGHT + 4)
                add(Node("bias", parameter, column_index, x, y, box, text, values[parameter]))

    labels: list[Label] = []
    for name, value in scenario.inputs:
        node = position[("input", 0, name)]
        text = f"{name} = {_shown(value)}"
        width = text_width(text) + 2 * LABEL_PADDING
        box = Box(node.x - radius - SIDE_SPACE - width, node.y - LABEL_HEIGHT / 2, width, LABEL_HEIGHT)
        labels.append(Label("input", text, box, name, value))
    last = len(scenario.layers)
    for neuron_name, value in scenario.targets:
        node = position[("neuron", last, neuron_name)]
        name = scenario.notation.tgt(neuron_name)
        text = f"{name} = {_shown(value)}"
        box = Box(
            node.x + radius + SIDE_SPACE, node.y - LABEL_HEIGHT / 2, text_width(text) + 2 * LABEL_PADDING, LABEL_HEIGHT
        )
        labels.append(Label("target", text, box, name, value))
    heading_y = -radius - 14
    headings = [message("figure.inputs", lang)]
    headings += [
        message("figure.layer", lang, layer=layer.name, activation=layer.activation) for layer in scenario.layers
    ]
    for column_index, heading in enumerate(headings):
        labels.append(Label("heading", heading, _label_box(column_index * gap, heading_y, heading)))

    fits = all(
        not first.box.overlaps(second.box)
        for index, first in enumerate(labels)
        for second in labels[index + 1 :]
        if first.kind == second.kind == "heading"
    )
    obstacles = [node.box.grown(NODE_CLEARANCE) for node in nodes] + [label.box.grown(1) for label in labels]
    edges, unlabelled = _edges(scenario, position, radius, obstacles)
    fits = fits and _biases_clear(edges, nodes)

    # Move everything so the picture starts at the margin, then add the legend below it.
    boxes = [node.box for node in nodes] + [label.box for label in labels]
    boxes += [edge.label for edge in edges if edge.label is not None]
    dx = MARGIN - min(box.left for box in boxes)
    dy = MARGIN - min(box.top for box in boxes)
    nodes = [replace(node, x=node.x + dx, y=node.y + dy, box=node.box.moved(dx, dy)) for node in nodes]
    labels = [replace(label, box=label.box.moved(dx, dy)) for label in labels]
    edges = [
        replace(
            edge,
            start=(edge.start[0] + dx, edge.start[1] + dy),
            end=(edge.end[0] + dx, edge.end[1] + dy),
            label=None if edge.label is None else edge.label.moved(dx, dy),
        )
        for edge in edges
    ]
    right = max(box.right for box in boxes) + dx
    bottom = max(box.bottom for box in boxes) + dy
    legend = message("figure.legend_unlabelled" if unlabelled else "figure.legend", lang)
    legend_box = Box(MARGIN, bottom + 10, text_width(legend) + 2 * LABEL_PADDING, LABEL_HEIGHT)
    labels.append(Label("legend", legend, legend_box))
    width = math.ceil(max(right, legend_box.right) + MARGIN)
    height = math.ceil(legend_box.bottom + MARGIN)
    title = message("figure.title", lang, scenario=scenario.name)
    result = Layout(width, height, radius, gap, tuple(nodes), tuple(edges), tuple(labels), title)
    return result, (fits, len(scenario.layers) - unlabelled, -unlabelled)


def _edges(
    scenario: Scenario, position: dict[tuple[str, int, str], Node], radius: float, obstacles: list[Box]
) -> tuple[list[Edge], int]:
    """Every weight and bias arrow, weight labels placed greedily source by source clear of `obstacles`, of
    each other and of crossings; and how many layers had to be left unlabelled."""
    arrows = _arrows(scenario, position, radius)
    grid = Grid()
    for box in obstacles:
        grid.add_box(_rect(box))
    for layer in arrows:
        for arrow in layer:
            grid.add_segment((arrow.start, arrow.end))
    edges: list[Edge] = []
    unlabelled = 0
    for layer in arrows:
        placed = _label_layer(layer, grid)
        unlabelled += placed is None
        edges += placed if placed is not None else layer
    return edges, unlabelled


def _arrows(scenario: Scenario, position: dict[tuple[str, int, str], Node], radius: float) -> list[list[Edge]]:
    """The arrows of each layer, unlabelled, in placing order (by source, then target); `fraction` holds the
    label's preferred place, staggered by source so neighbouring labels do not start level."""
    values = scenario.parameter_values
    layers: list[list[Edge]] = []
    for layer_index, layer in enumerate(scenario.layers, start=1):
        source_kind = "input" if layer_index == 1 else "neuron"
        pending: list[tuple[int, int, Node, Node, str]] = []  # (source rank, target rank, source, target, parameter)
        sources = [node for node in position.values() if node.column == layer_index - 1 and node.kind == source_kind]
        sources += [node for node in position.values() if node.column == layer_index - 1 and node.kind == "bias"]
        rank = {node.key: index for index, node in enumerate(sources)}
        for target_rank, neuron in enumerate(layer.neurons):
            target = position[("neuron", layer_index, neuron.name)]
            for source_name, parameter in neuron.weights:
                source = position[(source_kind, layer_index - 1, source_name)]
                pending.append((rank[source.key], target_rank, source, target, parameter))
            if neuron.bias is not None:
                source = position[("bias", layer_index - 1, neuron.bias)]
                pending.append((rank[source.key], target_rank, source, target, neuron.bias))
        count = len(sources)
        arrows = []
        for source_rank, _, source, target, parameter in sorted(pending, key=lambda item: (item[0], item[1])):
            start = _outline_point(source, (target.x, target.y), radius)
            end = _outline_point(target, (source.x, source.y), radius)
            bias = source.kind == "bias"
            value = values[parameter]
            text = "" if bias else f"{parameter} = {_shown(value)}"
            preferred = 0.0 if bias else 0.2 + 0.45 * source_rank / max(count - 1, 1)
            arrows.append(Edge(source.key, target.key, parameter, start, end, None, text, value, preferred, bias))
        layers.append(arrows)
    return layers


def _label_layer(arrows: list[Edge], grid: Grid) -> list[Edge] | None:
    """The layer's arrows with their labels placed and filed in `grid`; None as soon as one finds no place."""
    placed = []
    for arrow in arrows:
        if arrow.bias:
            placed.append(arrow)
            continue
        spot = _free_spot(arrow.start, arrow.end, arrow.text, arrow.fraction, grid)
        if spot is None:
            return None
        fraction, box = spot
        grid.add_box(_rect(box.grown(1)))
        placed.append(replace(arrow, label=box, fraction=fraction))
    return placed


def _biases_clear(edges: list[Edge], nodes: list[Node]) -> bool:
    """No bias arrow runs through another bias box of its column (steep arrows do, when columns are close)."""
    boxes: dict[int, list[Node]] = {}
    for node in nodes:
        if node.kind == "bias":
            boxes.setdefault(node.column, []).append(node)
    for edge in edges:
        if edge.bias:
            others = [node for node in boxes.get(edge.source[1], []) if node.key != edge.source]
            if any(meets((edge.start, edge.end), _rect(node.box)) for node in others):
                return False
    return True


def _rect(box: Box) -> Rect:
    return Rect(box.left, box.top, box.right, box.bottom)


def _along(start: Point, end: Point, fraction: float) -> Point:
    return (start[0] + (end[0] - start[0]) * fraction, start[1] + (end[1] - start[1]) * fraction)


def _free_spot(start: Point, end: Point, text: str, preferred: float, grid: Grid) -> tuple[float, Box] | None:
    for fraction in sorted(FRACTIONS, key=lambda candidate: (abs(candidate - preferred), candidate)):
        box = _label_box(*_along(start, end, fraction), text)
        if grid.free(_rect(box)):
            return fraction, box
    return None


def layout(scenario: Scenario, lang: str = DEFAULT_LANGUAGE) -> Layout:
    """Where everything of the figure goes (px, y down). Columns move apart, a few times, until every label is
    free; if none of those fits, the one that labels the most layers (the narrowest of equals)."""
    gap = FIRST_GAP
    best: tuple[tuple[bool, int, int], Layout] | None = None
    while True:
        result, score = _place(scenario, lang, gap)
        if score[0] and score[2] == 0:
            return result
        if best is None or score > best[0]:
            best = (score, result)
        if gap >= MAX_GAP:
            return best[1]
        gap = min(MAX_GAP, round(gap * GAP_GROWTH))


# ── SVG ────────────────────────────────────────────────────────────────────────


def _n(value: float) -> str:
    """A coordinate, to 0.1 px, without a trailing .0."""
    text = f"{value:.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def _text(x: float, y: float, text: str, size: float = LABEL_SIZE, anchor: str = "middle", extra: str = "") -> str:
    baseline = y + size * 0.35
    return f'<text x="{_n(x)}" y="{_n(baseline)}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _arrowhead(start: Point, end: Point) -> str:
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    base = (end[0] - ux * ARROW_LENGTH, end[1] - uy * ARROW_LENGTH)
    left = (base[0] - uy * ARROW_HALF_WIDTH, base[1] + ux * ARROW_HALF_WIDTH)
    right = (base[0] + uy * ARROW_HALF_WIDTH, base[1] - ux * ARROW_HALF_WIDTH)
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in (end, left, right))
    return f'<polygon points="{points}"/>'


def network_svg(scenario: Scenario, lang: str = DEFAULT_LANGUAGE, tagged: bool = False) -> str:
    """The network as a standalone inline SVG: no scripts, no ids, no external resources.

    Same scenario and language, same bytes. Only the headings, legend and title depend on `lang`.
    `tagged`: each arrow carries data-parameter (its weight or bias) and each node data-node (its
    name), so that a page can highlight them (the interactive worksheet); without it, no attributes.
    """

    def tag(attribute: str, value: str) -> str:
        return f" {attribute}={quoteattr(value)}" if tagged else ""

    drawing = layout(scenario, lang)
    width, height = _n(drawing.width), _n(drawing.height)
    lines = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" lang="{language(lang).tag}" '
            f'font-family={quoteattr(FONT_FAMILY)} font-size="{_n(LABEL_SIZE)}">'
        ),
        f"<title>{escape(drawing.title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        '<g fill="none" stroke="#555555" stroke-width="1.2">',
    ]
    for edge in drawing.edges:
        dash = ' stroke-dasharray="4 3"' if edge.bias else ""
        (x1, y1), (x2, y2) = edge.start, edge.end
        tagging = tag("data-parameter", edge.parameter)
        lines.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"{dash}{tagging}/>')
    lines.append("</g>")
    lines.append('<g fill="#555555" stroke="none">')
    lines.extend(_arrowhead(edge.start, edge.end) for edge in drawing.edges)
    lines.append("</g>")
    lines.append('<g stroke="#222222" stroke-width="1.4">')
    for node in drawing.nodes:
        if node.kind == "bias":
            box = node.box
            lines.append(
                f'<rect x="{_n(box.left)}" y="{_n(box.top)}" width="{_n(box.width)}" height="{_n(box.height)}" '
                f'rx="4" fill="#e6e6e6"{tag("data-parameter", node.name)}/>'
            )
        else:
            fill = "#e8f0fb" if node.kind == "input" else "#ffffff"
            lines.append(
                f'<circle cx="{_n(node.x)}" cy="{_n(node.y)}" r="{_n(drawing.radius)}" fill="{fill}"'
                f'{tag("data-node", node.name)}/>'
            )
    lines.append("</g>")
    lines.append('<g fill="#111111">')
    for node in drawing.nodes:
        size = LABEL_SIZE if node.kind == "bias" else NAME_SIZE
        lines.append(
            _text(node.x, node.y, node.text, size, extra=f' font-size="{_n(size)}"' if size != LABEL_SIZE else "")
        )
    lines.append("</g>")
    lines.append('<g fill="#ffffff" stroke="none">')
    for edge in drawing.edges:
        if edge.label is not None:
            box = edge.label
            lines.append(
                f'<rect x="{_n(box.left)}" y="{_n(box.top)}" width="{_n(box.width)}" height="{_n(box.height)}"/>'
            )
    lines.append("</g>")
    lines.append('<g fill="#1f3f77">')
    for edge in drawing.edges:
        if edge.label is not None:
            lines.append(_text(*edge.label.centre, edge.text))
    lines.append("</g>")
    lines.append('<g fill="#111111">')
    for label in drawing.labels:
        x, y = label.box.centre
        if label.kind == "input":
            lines.append(_text(label.box.right - LABEL_PADDING, y, label.text, anchor="end"))
        elif label.kind in ("target", "legend"):
            lines.append(_text(label.box.left + LABEL_PADDING, y, label.text, anchor="start"))
        else:
            lines.append(_text(x, y, label.text, extra=' font-weight="bold"'))
    lines.append("</g>")
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


# ── LaTeX and TikZ ─────────────────────────────────────────────────────────────

def _math_label(name: str, value: float) -> str:
    return f"${name_latex(name)} = {number_latex(format_number(value))}$"


def _cm(value: float) -> str:
    text = f"{value * CENTIMETRES_PER_PIXEL:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _at(x: float, y: float) -> str:
    return f"({_cm(x)},{_cm(-y)})"


def network_tikz(scenario: Scenario, lang: str = DEFAULT_LANGUAGE, max_width_cm: float = TIKZ_MAX_WIDTH) -> str:
    """The same picture as a TikZ `tikzpicture` (plain TikZ, no library), shrunk to at most
    `max_width_cm` wide (text included).

    The headings and legend are in `lang`; the language's `latex_class` says which engine compiles them.
    """
    drawing = layout(scenario, lang)
    width_cm = drawing.width * CENTIMETRES_PER_PIXEL
    scale = min(1.0, max_width_cm / width_cm)
    diameter = _cm(2 * drawing.radius)
    lines = [
        f"% {latex_text(drawing.title)}",
        r"\begin{tikzpicture}[",
        f"  scale={scale:.3f}, every node/.style={{transform shape}}, font=\\scriptsize,",
        f"  neuron/.style={{circle, draw, line width=0.6pt, fill=white, minimum size={diameter}cm, inner sep=0pt,",
        r"    font=\footnotesize},",
        r"  input/.style={neuron, fill=blue!6},",
        r"  bias/.style={rectangle, rounded corners=1.5pt, draw, fill=black!10, inner sep=2pt},",
        r"  weight/.style={fill=white, inner sep=1pt, text=blue!40!black},",
        r"  edge/.style={->, draw=black!65, line width=0.5pt},",
        r"  biasedge/.style={edge, dashed},",
        "]",
    ]
    ids = {node.key: f"n{index}" for index, node in enumerate(drawing.nodes, start=1)}
    for node in drawing.nodes:
        at = _at(node.x, node.y)
        if node.kind == "bias":
            assert node.value is not None
            lines.append(f"\\node[bias] ({ids[node.key]}) at {at} {{{_math_label(node.name, node.value)}}};")
        else:
            style = "input" if node.kind == "input" else "neuron"
            lines.append(f"\\node[{style}] ({ids[node.key]}) at {at} {{${name_latex(node.name)}$}};")
    for edge in drawing.edges:
        style = "biasedge" if edge.bias else "edge"
        lines.append(f"\\draw[{style}] ({ids[edge.source]}) -- ({ids[edge.target]});")
    for edge in drawing.edges:
        if edge.label is not None:
            lines.append(f"\\node[weight] at {_at(*edge.label.centre)} {{{_math_label(edge.parameter, edge.value)}}};")
    for label in drawing.labels:
        x, y = label.box.centre
        if label.kind == "heading":
            lines.append(f"\\node[font=\\scriptsize\\bfseries] at {_at(x, y)} {{{latex_text(label.text)}}};")
        elif label.kind == "legend":
            lines.append(f"\\node[anchor=west] at {_at(label.box.left, y)} {{{latex_text(label.text)}}};")
        elif label.kind == "input":
            assert label.value is not None
            lines.append(
                f"\\node[anchor=east] at {_at(label.box.right, y)} {{{_math_label(label.name, label.value)}}};"
            )
        else:
            assert label.value is not None
            lines.append(f"\\node[anchor=west] at {_at(label.box.left, y)} {{{_math_label(label.name, label.value)}}};")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines) + "\n"


__all__ = [
    "Box",
    "Edge",
    "Label",
    "Layout",
    "Node",
    "layout",
    "network_svg",
    "network_tikz",
    "text_width",
]
