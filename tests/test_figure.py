"""The network figure: its layout as data (nothing overlaps), the SVG it prints, the TikZ it prints
(compiled with pdflatex, and with xelatex for Chinese, where installed), and the names it writes."""

from __future__ import annotations

import functools
import itertools
import math
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bptutor.core.numbers import format_number
from bptutor.core.scenario import Scenario
from bptutor.handout.figure import Layout, layout, network_svg, network_tikz
from bptutor.handout.maths import latex_text, name_latex, number_latex
from bptutor.loading.builtin import builtin_names, builtin_path
from bptutor.loading.document import is_expression_file
from bptutor.loading.scenario import load_scenario, scenario_from_data

SVG = "{http://www.w3.org/2000/svg}"
DATA = Path(__file__).resolve().parent / "data"


def _network(shape: tuple[int, ...], shared_bias: bool = False, value_digits: int = 1) -> Scenario:
    """A fully connected network of the given shape (inputs first), every parameter named and valued."""
    inputs = {f"i{index}": round(0.1 * index, 2) for index in range(1, shape[0] + 1)}
    layers, parameters = [], {}
    sources = list(inputs)
    for layer_index, size in enumerate(shape[1:], start=1):
        last = layer_index == len(shape) - 1
        names = [f"o{index}" if last else f"h{layer_index}{index}" for index in range(1, size + 1)]
        neurons = {}
        for position, name in enumerate(names):
            weights = {}
            for source in sources:
                parameter = f"w{len(parameters) + 1}"
                weights[source] = parameter
                parameters[parameter] = round(0.1 + 0.37 * len(parameters), value_digits) - (len(parameters) % 3) * 0.3
            bias = f"b{layer_index}" if shared_bias else f"b{layer_index}{position + 1}"
            parameters.setdefault(bias, 0.35)
            neurons[name] = {"bias": bias, "weights": weights}
        layers.append(
            {"name": "output" if last else f"hidden{layer_index}", "activation": "sigmoid", "neurons": neurons}
        )
        sources = names
    data = {
        "name": "shape_" + "_".join(map(str, shape)),
        "inputs": inputs,
        "targets": dict.fromkeys(sources, 0.5),
        "layers": layers,
        "parameters": parameters,
        "loss": "half_sse",
        "learning_rate": 0.5,
    }
    return scenario_from_data(data)


LAYERED = [name for name in builtin_names() if not is_expression_file(builtin_path(name))]  # expression circuits have no layers
SHIPPED = [load_scenario(builtin_path(name)) for name in LAYERED] + [
    load_scenario(DATA / "textbook_3_2_1.yaml")
]
SHAPES = [(1, 1, 1), (2, 2, 2), (3, 4, 2), (2, 3, 3, 1), (2, 6, 6, 6, 2), (6, 6, 6), (4, 1, 5)]
GENERATED = [_network(shape) for shape in SHAPES]
GENERATED += [_network((2, 2, 2), shared_bias=True), _network((3, 4, 2), shared_bias=True)]
GENERATED += [_network((2, 3, 2), value_digits=9)]  # long values: the columns must move apart
ALL = SHIPPED + GENERATED


@functools.cache
def _drawn(draw: Callable[[Scenario, str], object], scenario: Scenario, lang: str) -> object:
    return draw(scenario, lang)


def _layout(scenario: Scenario, lang: str = "en") -> Layout:
    """The layout, computed once per scenario and language for all the tests that only read it
    (the spiral's takes about a second)."""
    drawing = _drawn(layout, scenario, lang)
    assert isinstance(drawing, Layout)
    return drawing


def _svg(scenario: Scenario, lang: str = "en") -> str:
    """The SVG, likewise; test_the_svg_is_the_same_every_time draws it once more to compare."""
    return str(_drawn(network_svg, scenario, lang))


def _minus(value: float) -> str:
    """A number as the figure prints it: a true minus sign (U+2212) where format_number writes a hyphen."""
    return format_number(value).replace("-", "\N{MINUS SIGN}")


def _id(scenario: Scenario) -> str:
    return scenario.name + ("_long" if any(len(format_number(v)) > 8 for _, v in scenario.parameters) else "")


def _biases(scenario: Scenario) -> set[tuple[int, str]]:
    return {(index, n.bias) for index, layer in enumerate(scenario.layers) for n in layer.neurons if n.bias}


# ── the layout ────────────────────────────────────────────────────────────────


def _boxes(drawing: Layout):
    """Every box of the figure with what it belongs to."""
    for node in drawing.nodes:
        yield ("node", node.key), node.box
    for edge in drawing.edges:
        if edge.label is not None:
            yield ("edge", edge.source, edge.target), edge.label
    for label in drawing.labels:
        yield ("label", label.kind, label.text), label.box


@pytest.mark.parametrize("scenario", ALL, ids=_id)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_two_labels_or_nodes_overlap_and_all_lie_inside_the_picture(scenario, lang):
    drawing = _layout(scenario, lang)
    boxes = list(_boxes(drawing))
    for (first, first_box), (second, second_box) in itertools.combinations(boxes, 2):
        assert not first_box.overlaps(second_box), f"{first} overlaps {second}"
    for owner, box in boxes:
        assert box.left >= 0 and box.right <= drawing.width and box.top >= 0 and box.bottom <= drawing.height, owner


@pytest.mark.parametrize("scenario", ALL, ids=_id)
def test_each_label_sits_on_its_own_arrow(scenario):
    for edge in _layout(scenario).edges:
        if edge.label is None:
            continue
        (x1, y1), (x2, y2) = edge.start, edge.end
        x, y = edge.label.centre
        assert 0.1 <= edge.fraction <= 0.9
        assert math.isclose(x, x1 + (x2 - x1) * edge.fraction, abs_tol=1e-6)
        assert math.isclose(y, y1 + (y2 - y1) * edge.fraction, abs_tol=1e-6)


def _crossings(drawing: Layout) -> list[tuple[float, float]]:
    """Every point where two arrows cross, by checking every pair (independent of the layout's own grid)."""
    points = []
    for first, second in itertools.combinations(drawing.edges, 2):
        (x1, y1), (x2, y2) = first.start, first.end
        (x3, y3), (x4, y4) = second.start, second.end
        denominator = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3)
        if denominator == 0:
            continue
        t = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / denominator
        u = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / denominator
        if 0 <= t <= 1 and 0 <= u <= 1:
            points.append((x1 + t * (x2 - x1), y1 + t * (y2 - y1)))
    return points


@pytest.mark.parametrize("scenario", ALL, ids=_id)
def test_no_label_sits_on_a_crossing_of_arrows(scenario):
    """A label box hides what is under it: a crossing there would leave it unclear which arrow it names."""
    drawing = _layout(scenario)
    crossings = _crossings(drawing)
    for edge in drawing.edges:
        if edge.label is None:
            continue
        box = edge.label
        inside = [(x, y) for x, y in crossings if box.left <= x <= box.right and box.top <= y <= box.bottom]
        assert not inside, (edge.parameter, inside)


@pytest.mark.parametrize("shape", [(1, 1, 1), (2, 2, 2), (3, 4, 2), (2, 3, 3, 1), (4, 1, 5)])
def test_small_networks_have_every_weight_labelled(shape):
    drawing = layout(_network(shape))
    assert all(edge.label is not None for edge in drawing.edges if not edge.bias)


def _distance_to_segment(point, start, end) -> float:
    (px, py), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    t = max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (x1 + t * dx), py - (y1 + t * dy))


@pytest.mark.parametrize("scenario", ALL, ids=_id)
def test_no_arrow_runs_through_a_node_it_does_not_join(scenario):
    drawing = _layout(scenario)
    for edge in drawing.edges:
        for node in drawing.nodes:
            if node.key in (edge.source, edge.target):
                continue
            if node.kind == "bias":
                box = node.box
                samples = [
                    (
                        edge.start[0] + (edge.end[0] - edge.start[0]) * k / 200,
                        edge.start[1] + (edge.end[1] - edge.start[1]) * k / 200,
                    )
                    for k in range(201)
                ]
                assert not any(box.left < x < box.right and box.top < y < box.bottom for x, y in samples), (
                    edge,
                    node.name,
                )
            else:
                assert _distance_to_segment((node.x, node.y), edge.start, edge.end) > drawing.radius, (
                    edge.parameter,
                    node.name,
                )


@pytest.mark.parametrize("scenario", ALL, ids=_id)
def test_one_node_per_input_neuron_and_bias_and_one_arrow_per_weight_and_bias_use(scenario):
    drawing = _layout(scenario)
    kinds = [node.kind for node in drawing.nodes]
    neurons = [n for layer in scenario.layers for n in layer.neurons]
    assert kinds.count("input") == len(scenario.inputs)
    assert kinds.count("neuron") == len(neurons)
    assert kinds.count("bias") == len(_biases(scenario))
    assert len(drawing.edges) == sum(len(n.weights) + (n.bias is not None) for n in neurons)


def test_a_bias_shared_by_a_layer_is_drawn_once_with_an_arrow_to_each_neuron():
    drawing = layout(_network((2, 2, 2), shared_bias=True))
    biases = [node for node in drawing.nodes if node.kind == "bias"]
    assert [node.name for node in biases] == ["b1", "b2"]
    assert {edge.target[2] for edge in drawing.edges if edge.source == ("bias", 0, "b1")} == {"h11", "h12"}


def test_columns_move_apart_only_when_the_labels_need_room():
    assert layout(_network((2, 2, 2))).gap < layout(_network((2, 3, 2), value_digits=9)).gap


# ── the SVG ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("scenario", ALL, ids=_id)
def test_the_svg_is_xml_with_a_circle_per_input_and_neuron_and_every_label(scenario):
    text = _svg(scenario)
    root = ElementTree.fromstring(text)
    assert root.tag == f"{SVG}svg"
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width > 0 and height > 0
    neurons = [n for layer in scenario.layers for n in layer.neurons]
    assert len(root.findall(f".//{SVG}circle")) == len(scenario.inputs) + len(neurons)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    values = scenario.parameter_values
    labelled = {edge.parameter for edge in _layout(scenario).edges if edge.label is not None}
    for neuron in neurons:
        assert neuron.name in texts
        for _, parameter in neuron.weights:  # a weight is labelled, or its layer is too dense and the legend says so
            assert (f"{parameter} = {_minus(values[parameter])}" in texts) == (parameter in labelled)
        if neuron.bias:
            assert texts.count(f"{neuron.bias} = {_minus(values[neuron.bias])}") == 1
    for name, value in scenario.inputs:
        assert name in texts and f"{name} = {_minus(value)}" in texts
    for name, value in scenario.targets:
        assert f"{scenario.notation.tgt(name)} = {_minus(value)}" in texts
    assert not any("-" in text for text in texts if any(c.isdigit() for c in text)), "a hyphen for a minus"
    weights = {parameter for neuron in neurons for _, parameter in neuron.weights}
    legend = "too many to label here" in text
    assert legend == (not weights <= labelled)


def test_the_two_two_two_svg_shows_the_example_s_weights_and_biases(two_two_two):
    texts = [element.text for element in ElementTree.fromstring(network_svg(two_two_two)).iter(f"{SVG}text")]
    for label in ["w1 = 0.1", "w5 = 0.5", "w8 = 0.8", "b1 = 0.55", "b4 = 0.67", "target_o1 = 0.01", "i2 = 0.2"]:
        assert label in texts


@pytest.mark.parametrize("scenario", SHIPPED, ids=_id)
def test_the_svg_is_the_same_every_time_and_only_the_words_change_with_the_language(scenario):
    english = _svg(scenario, "en")
    assert network_svg(scenario, "en") == english
    chinese = _svg(scenario, "zh")
    assert "输入" in chinese and "偏置" in chinese and "输入" not in english
    numbers = re.compile(r"\b\w+ = -?[0-9.e+-]+")
    assert numbers.findall(english) == numbers.findall(chinese)


def test_the_svg_stands_alone(two_two_two):
    text = network_svg(two_two_two, "zh")
    root = ElementTree.fromstring(text)
    assert not root.findall(f".//{SVG}script") and not root.findall(f".//{SVG}image")
    assert not re.search(r"\b(?:href|src|id)=|url\(|@import|<style", text)
    assert root.get("font-family").endswith("sans-serif")
    assert "Noto Sans CJK SC" in root.get("font-family")
    assert root.find(f"{SVG}title").text == "two_two_two 的网络结构"


def test_user_text_is_escaped_in_the_svg():
    odd = replace(_network((1, 1, 1)), name="a<b&c")
    root = ElementTree.fromstring(network_svg(odd))
    assert root.find(f"{SVG}title").text == "The network of a<b&c"


# ── LaTeX ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "latex"),
    [
        ("w5", "w_{5}"),
        ("h1", "h_{1}"),
        ("b1", "b_{1}"),
        ("i12", "i_{12}"),
        ("x", "x"),
        ("w_h", "w_{h}"),
        ("in_h1", r"\mathrm{in}_{h1}"),
        ("out_o2", r"\mathrm{out}_{o2}"),
        ("target_o1", r"\mathrm{target}_{o1}"),
        ("E_total", r"E_{\mathrm{total}}"),
        ("E_o1", "E_{o1}"),
        ("Loss", r"\mathrm{Loss}"),
        ("δ_h1", r"\delta_{h1}"),
        ("Err_o6", r"\mathrm{Err}_{o6}"),
        ("w5'", "w_{5}^{\\prime}"),
        ("z_out_2", r"z_{\textup{out\_2}}"),
    ],
)
def test_math_name(name, latex):
    assert name_latex(name) == latex


def test_math_number_and_tex_text():
    assert number_latex("0.5") == "0.5"
    assert number_latex("-0.02038552555") == "-0.02038552555"
    assert number_latex("1.5e-09") == r"1.5 \times 10^{-9}"
    assert number_latex("2e+12") == r"2 \times 10^{12}"
    assert latex_text("two_two_two & 50% #1 {x} ~ ^ \\") == (
        r"two\_two\_two \& 50\% \#1 \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )


def test_the_tikz_names_every_node_and_label(two_two_two):
    text = network_tikz(two_two_two)
    assert text.startswith("% The network of two\\_two\\_two\n\\begin{tikzpicture}")
    assert text.rstrip().endswith(r"\end{tikzpicture}")
    for label in [r"$w_{5} = 0.5$", r"$b_{1} = 0.55$", r"$h_{1}$", r"$\mathrm{target}_{o1} = 0.01$", r"$i_{2} = 0.2$"]:
        assert label in text
    assert text.count(r"\draw[edge]") == 8 and text.count(r"\draw[biasedge]") == 4
    assert network_tikz(two_two_two) == text
    assert "scale=1.000" in text and "scale=0.500" in network_tikz(
        two_two_two, max_width_cm=layout(two_two_two).width * 0.01
    )


def _compile(tmp_path: Path, engine: str, body: str, preamble: str = "") -> str:
    source = tmp_path / "figure.tex"
    source.write_text(
        "\\documentclass{article}\n\\usepackage[a4paper,margin=2cm]{geometry}\n" + preamble + "\\usepackage{tikz}\n"
        "\\begin{document}\n" + body + "\\end{document}\n",
        encoding="utf-8",
    )
    command = [engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", source.name]
    result = subprocess.run(
        command, cwd=tmp_path, check=False, capture_output=True, text=True, errors="replace", timeout=300
    )
    assert result.returncode == 0, result.stdout[-3000:]
    pdf = tmp_path / "figure.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Overfull" not in (tmp_path / "figure.log").read_text(errors="replace")
    extracted = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", extracted.stdout.decode("utf-8")).replace("\u2212", "-")  # math minus


needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None or shutil.which("pdftotext") is None,
    reason="compiling the TikZ figure needs pdflatex (texlive-latex-base) and pdftotext (poppler-utils)",
)


@pytest.mark.external
@needs_pdflatex
@pytest.mark.parametrize("scenario", [SHIPPED[-1], *GENERATED[:5]], ids=_id)
def test_the_tikz_compiles_with_pdflatex_and_shows_its_labels(tmp_path, scenario):
    text = _compile(tmp_path, "pdflatex", network_tikz(scenario))
    if max(len(layer.neurons) for layer in scenario.layers) > 4:
        return  # it compiled; in a picture this dense pdftotext reads crossing labels out of order
    values = scenario.parameter_values
    for neuron in (n for layer in scenario.layers for n in layer.neurons):
        for _, parameter in neuron.weights:
            assert f"{parameter}={format_number(values[parameter])}" in text
    assert "inputs" in text and "Eacharrowcarriesitsweight" in text


@pytest.mark.external
@needs_pdflatex
def test_the_two_two_two_tikz_compiles_with_pdflatex(tmp_path, two_two_two):
    text = _compile(tmp_path, "pdflatex", network_tikz(two_two_two))
    for label in ["w1=0.1", "w8=0.8", "b1=0.55", "b4=0.67", "h1", "o2", "targeto1=0.01", "i2=0.2", "hidden(sigmoid)"]:
        assert label in text


def _has_ctex() -> bool:
    if shutil.which("xelatex") is None or shutil.which("kpsewhich") is None or shutil.which("pdftotext") is None:
        return False
    found = subprocess.run(["kpsewhich", "ctex.sty"], check=False, capture_output=True, text=True)
    return bool(found.stdout.strip())


@pytest.mark.external
def test_the_chinese_tikz_compiles_with_xelatex_and_ctex(tmp_path, two_two_two):
    if not _has_ctex():  # asked here, not at collection, so that the quick loop runs no TeX program
        pytest.skip("the Chinese figure needs xelatex with ctex (texlive-xetex, texlive-lang-chinese)")
    text = _compile(tmp_path, "xelatex", network_tikz(two_two_two, "zh"), preamble="\\usepackage{ctex}\n")
    assert "输入" in text and "hidden层" in text and "灰色方框是偏置" in text
    assert "w5=0.5" in text


# ── in a real browser ─────────────────────────────────────────────────────────


def _page(svg: str) -> str:
    from bptutor.handout.browser import PRINT_CSS

    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{PRINT_CSS}</style></head><body>{svg}</body></html>'
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_in_chromium_every_text_fits_the_box_the_layout_gave_it(chromium_page, tmp_path, lang):
    """The layout estimates text widths; the browser's real widths must be smaller."""
    for index, scenario in enumerate([*SHIPPED, GENERATED[-1]]):
        drawing = _layout(scenario, lang)
        widths = {edge.text: edge.label.width for edge in drawing.edges if edge.label is not None}
        widths.update({label.text: label.box.width for label in drawing.labels})
        widths.update({node.text: node.box.width for node in drawing.nodes})
        source = tmp_path / f"figure{index}.html"
        source.write_text(_page(_svg(scenario, lang)), encoding="utf-8")
        page = chromium_page(source)
        measured = page.run(
            "return Array.from(document.querySelectorAll('svg text'))"
            ".map(text => [text.textContent, text.getComputedTextLength()]);"
        )
        texts = len(drawing.nodes) + len(drawing.labels) + sum(edge.label is not None for edge in drawing.edges)
        assert len(measured) == texts
        for text, length in measured:
            assert 0 < length <= widths[text] - 4, f"{text!r} is {length:.1f} px wide, its box {widths[text]:.1f}"


@pytest.mark.external
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="reading the PDF back needs pdftotext (poppler-utils)")
def test_the_chinese_figure_prints_to_pdf_through_chromium(tmp_path, two_two_two):
    from bptutor.handout.browser import find_chromium, html_to_pdf

    if find_chromium() is None:
        pytest.skip("printing to PDF needs Chromium (Debian package chromium)")
    output = tmp_path / "figure.pdf"
    html_to_pdf(_page(network_svg(two_two_two, "zh")), output)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(output), "-"], capture_output=True, check=True).stdout
    text = text.decode("utf-8")
    for label in ["输入", "层（sigmoid）", "灰色方框是偏置", "w5 = 0.5", "b1 = 0.55", "target_o2 = 0.99"]:
        assert label in text
