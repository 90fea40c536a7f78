"""bptutor graph: the picture model against the trace and against independent numbers, and its printers
(terminal text as goldens, DOT read back by Graphviz, Mermaid's shape, SVG and PNG, the missing-dot error)."""

from __future__ import annotations

import math
import re
import shutil
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from oracles import finite_difference_gradients, plain_activations, plain_pre_activations, sympy_neuron_gradients
from rich.cells import cell_len
from test_golden import ENVIRONMENT, GOLDEN
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.core.circuit import ExpressionScenario
from bptutor.core.circuit import run as run_circuit
from bptutor.core.columns import layer_parameters, neuron_columns
from bptutor.core.formula import Ref
from bptutor.core.scenario import Scenario
from bptutor.core.trace import run
from bptutor.i18n import Message
from bptutor.loading.builtin import builtin_names, builtin_path
from bptutor.loading.document import load_document, load_expression_text
from bptutor.loading.scenario import load_scenario
from bptutor.render.graph import node_label, render_with_dot, to_dot, to_mermaid
from bptutor.render.picture import (
    GraphPicture,
    PictureColumn,
    PictureEdge,
    PictureNode,
    picture_from_circuit,
    picture_from_run,
)

ROOT = Path(__file__).resolve().parent.parent
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz's dot is not installed (Debian package graphviz)")
SVG = "{http://www.w3.org/2000/svg}"


def _scenarios():
    """Every built-in scenario, the rounded exercise, and two_two_two under the other conventions."""
    documents = {name: load_document(builtin_path(name)) for name in builtin_names()}
    loaded = {name: document for name, document in documents.items() if isinstance(document, Scenario) and document.is_single_example}
    loaded["textbook_3_2_1"] = load_scenario(ROOT / "tests" / "data" / "textbook_3_2_1.yaml")
    base = loaded["two_two_two"]
    loaded["textbook_sign"] = replace(base, conventions=replace(base.conventions, error_term="textbook"))
    loaded["updated_weights"] = replace(base, conventions=replace(base.conventions, hidden_error_weights="updated"))
    loaded["threshold"] = replace(base, conventions=replace(base.conventions, bias="threshold"))
    loaded["mse"] = replace(base, loss="mse")
    return loaded


SCENARIOS = _scenarios()


# ── the model against the trace ───────────────────────────────────────────────


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_number_is_the_trace_s(name):
    traced = run(SCENARIOS[name])
    step = traced.first
    picture = picture_from_run(traced)
    forward = {record.quantity: record.value for record in step.forward}
    recorded = {record.quantity for record in step.backward}
    for node in picture.nodes:
        assert node.value == forward[node.name]
        if node.kind == "input" or (node.name not in recorded and node.kind != "loss"):
            # an input; or an output whose loss reads its logit (cross-entropy on softmax): δ = a − y skips it
            assert node.gradient is None
        elif node.kind == "loss":
            assert node.gradient == 1
        else:
            assert node.gradient == step.gradient(node.name)
    edges = {(edge.target, edge.source): edge for edge in picture.edges}
    sign = step.sign
    followed = 0
    for record in step.backward:
        for term in record.terms:
            edge = edges[(term.via, record.quantity)]
            if term.via == traced.graph.loss_name:  # the trace keeps sign·∂E/∂out here
                assert edge.local == sign * term.local.value
            else:
                assert edge.local == term.local.value
                assert edge.formula == term.local.formula
            assert edge.share == sign * term.value
            followed += 1
    assert followed == sum(1 for edge in picture.edges if edge.share is not None)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_gradient_is_the_sum_of_its_edges_shares(name):
    traced = run(SCENARIOS[name])
    picture = picture_from_run(traced)
    rounded = SCENARIOS[name].rounding is not None
    for node in picture.nodes:
        if node.kind in ("input", "loss") or node.gradient is None:  # no gradient: an output a fused loss skips
            assert all(edge.share is None for edge in picture.edges_from(node.name))
            continue
        without = {other.name for other in picture.nodes if other.gradient is None}  # outputs a fused loss skips
        edges = picture.edges_from(node.name)
        assert all((edge.share is None) == (edge.target in without) for edge in edges)
        shares = [edge.share for edge in edges if edge.target not in without]
        total = sum(shares[1:], shares[0])
        if rounded:  # δ and parameter gradients are written down rounded, as by hand
            assert abs(total - node.gradient) <= 0.5 * 10 ** -4 + 1e-30
        else:
            assert total == node.gradient


def test_the_graph_of_two_two_two_independently():
    """Nodes, columns and every local derivative of the 2-2-2 example, computed here from the scenario."""
    scenario = SCENARIOS["two_two_two"]
    picture = picture_from_run(run(scenario))
    assert [column.names for column in picture.columns] == [
        ("i1", "i2", "w1", "w2", "w3", "w4", "b1", "b2"),
        ("in_h1", "in_h2"),
        ("out_h1", "out_h2", "w5", "w6", "w7", "w8", "b3", "b4"),
        ("in_o1", "in_o2"),
        ("out_o1", "out_o2"),
        ("E_total",),
    ]
    assert [node.column for node in picture.nodes] == [0] * 8 + [1] * 2 + [2] * 8 + [3] * 2 + [4] * 2 + [5]
    weights = scenario.parameter_values
    z = plain_pre_activations(scenario)
    a = plain_activations(scenario)
    values = {**dict(scenario.inputs), **{f"out_{n}": v for n, v in a.items()}}
    expected = {}
    for layer in scenario.layers:
        for neuron in layer.neurons:
            pre = f"in_{neuron.name}"
            for source, weight in neuron.weights:
                shown = source if source in dict(scenario.inputs) else f"out_{source}"
                expected[(shown, pre)] = weights[weight]  # ∂z/∂a = w
                expected[(weight, pre)] = values[shown]  # ∂z/∂w = a
            expected[(neuron.bias, pre)] = 1.0
            sigma = 1 / (1 + math.exp(-z[neuron.name]))
            expected[(pre, f"out_{neuron.name}")] = sigma * (1 - sigma)
    for output, target in scenario.targets:
        expected[(f"out_{output}", "E_total")] = a[output] - target  # ∂½(t − o)²/∂o = o − t
    got = {(edge.source, edge.target): edge.local for edge in picture.edges}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-15), key


@pytest.mark.parametrize("name", ["two_two_two", "one_one_one", "textbook_sign", "mse"])
def test_gradients_agree_with_the_oracles(name):
    scenario = SCENARIOS[name]
    picture = picture_from_run(run(scenario))
    for parameter, gradient in finite_difference_gradients(scenario).items():
        assert float(picture.node(parameter).gradient) == pytest.approx(gradient, rel=1e-6, abs=1e-9), parameter
    exact = sympy_neuron_gradients(scenario)
    notation = scenario.notation
    for neuron, delta in exact.delta.items():
        assert float(picture.node(notation.pre(neuron)).gradient) == pytest.approx(float(delta), rel=1e-12, abs=1e-15)
    for neuron, gradient in exact.activation.items():
        drawn = float(picture.node(notation.act(neuron)).gradient)
        assert drawn == pytest.approx(float(gradient), rel=1e-12, abs=1e-15)


def test_the_figure_and_the_picture_share_their_columns():
    """The handout figure's columns and bias boxes, and the picture's, follow the one rule of bptutor.core.columns."""
    from bptutor.handout.figure import layout

    scenario = SCENARIOS["two_two_two"]
    drawing = layout(scenario)
    neurons = neuron_columns(scenario)
    for column, names in enumerate(neurons):
        kinds = ("input",) if column == 0 else ("neuron",)
        assert tuple(node.name for node in drawing.nodes if node.column == column and node.kind in kinds) == names
    for index, layer in enumerate(scenario.layers):
        boxes = tuple(node.name for node in drawing.nodes if node.kind == "bias" and node.column == index)
        assert boxes == layer_parameters(layer).biases
    picture = picture_from_run(run(scenario))
    for index, layer in enumerate(scenario.layers):
        assert picture.columns[2 * index].names[-len(layer_parameters(layer).all) :] == layer_parameters(layer).all


# ── the printers ──────────────────────────────────────────────────────────────

GRAPH_CASES = {
    "graph_two_two_two": ["graph", "two_two_two"],
    "graph_two_two_two_zh": ["graph", "two_two_two", "--lang", "zh"],
    "graph_max_fork": ["graph", "max_fork"],
    "graph_circuit_zh": ["graph", "circuit", "--lang", "zh"],
}


@pytest.mark.parametrize("case", sorted(GRAPH_CASES))
def test_text_golden(case, request, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, GRAPH_CASES[case], env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.output.splitlines()) <= 120
    path = GOLDEN / f"{case}.txt"
    if request.config.getoption("--update-golden"):
        path.write_text(result.output, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest with --update-golden and review it"
    assert result.output == path.read_text(encoding="utf-8")


def test_text_lists_every_node_and_edge():
    result = CliRunner().invoke(app, ["graph", "one_one_one", "--digits", "6"], env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    picture = picture_from_run(run(SCENARIOS["one_one_one"]))
    for node in picture.nodes:
        label = " | ".join(node_label(picture, node, 6)).replace("= -", "= \u2212")  # a true minus at the terminal
        assert f"  {label}\n" in result.output
    arrows = [line for line in result.output.splitlines() if line.startswith("    → ")]
    assert len(arrows) == len(picture.edges)


def _nasty_picture() -> GraphPicture:
    """Names with every character DOT, HTML-like labels, records and Mermaid treat specially."""
    names = ['a"q', "b<i>&", "c{|}\\", "d#1;[x]"]
    nodes = tuple(
        PictureNode(name, "gate", 0.5 * index, None if index == 0 else -0.25, index, "+")
        for index, name in enumerate(names)
    )
    edges = tuple(
        PictureEdge(names[index], names[index + 1], 2.0, (Ref(names[index], 1.0),), 1.0, 0.5) for index in range(3)
    )
    columns = tuple(PictureColumn((name,), (Message.of("graphpic.column.inputs"),)) for name in names)
    return GraphPicture('title "with" <marks> & \\', 'scen"ario', names[-1], nodes, edges, columns)


def _dot_structure(text: str, picture: GraphPicture) -> None:
    assert re.search(r'^digraph "[^\n]*" \{$', text, re.MULTILINE)
    assert "rankdir=LR" in text
    assert text.count("rank=same") == len(picture.columns)
    assert text.rstrip().endswith("}")
    for index in range(1, len(picture.nodes) + 1):
        assert re.search(rf"^  n{index} \[label=<<TABLE .*</TABLE>>\];$", text, re.MULTILINE)
    assert len(re.findall(r'^  n\d+ -> n\d+ \[label="[^"]*"\];$', text, re.MULTILINE)) == len(picture.edges)


def test_dot_structure_and_escaping():
    picture = picture_from_run(run(SCENARIOS["two_two_two"]))
    text = to_dot(picture)
    _dot_structure(text, picture)
    assert "<TD>out_h1 = 0.6457</TD></TR><TR><TD>∂E_total/∂out_h1 = 0.04909</TD>" in text
    assert '-> n19 [label="0.5"]' in text  # out_h1 → in_o1 carries w5
    nasty = to_dot(_nasty_picture())
    _dot_structure(nasty, _nasty_picture())
    assert "a&quot;q = 0" in nasty and "b&lt;i&gt;&amp; = 0.5" in nasty
    assert 'digraph "scen\\"ario"' in nasty


@pytest.mark.external
@needs_dot
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dot_is_read_by_graphviz_and_the_svg_has_every_label(lang):
    picture = picture_from_run(run(SCENARIOS["two_two_two"]))
    svg = render_with_dot(to_dot(picture, 4, lang), "svg")
    root = ElementTree.fromstring(svg)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    for node in picture.nodes:
        for part in node_label(picture, node, 4):
            assert part in texts
    assert texts.count("0.6457") == 2  # ∂in_o1/∂w5 and ∂in_o2/∂w7 are out_h1


@pytest.mark.external
@needs_dot
def test_nasty_names_survive_graphviz():
    picture = _nasty_picture()
    root = ElementTree.fromstring(render_with_dot(to_dot(picture), "svg"))
    texts = [element.text for element in root.iter(f"{SVG}text")]
    for node in picture.nodes:
        assert node_label(picture, node, 4)[0] in texts


def test_mermaid_structure():
    picture = picture_from_run(run(SCENARIOS["two_two_two"]))
    for candidate in (picture, _nasty_picture()):
        lines = to_mermaid(candidate).splitlines()
        assert lines[0] == "---" and lines[1].startswith("title: ") and lines[2] == "---"
        assert lines[3] == "flowchart LR"
        body = lines[4:]
        nodes = [line for line in body if re.fullmatch(r'    n\d+\["[^"]*"\]', line)]
        edges = [line for line in body if re.fullmatch(r'  n\d+ -->\|"[^"]*"\| n\d+', line)]
        subgraphs = [line for line in body if re.fullmatch(r'  subgraph c\d+\["[^"]*"\]', line)]
        assert len(nodes) == len(candidate.nodes)
        assert len(edges) == len(candidate.edges)
        assert len(subgraphs) == body.count("  end") == len(candidate.columns)
        classes = [line for line in body if line.startswith(("  classDef ", "  class "))]
        assert len(nodes) + len(edges) + len(subgraphs) * 2 + len(classes) == len(body)
    text = to_mermaid(_nasty_picture())
    assert "a#quot;q = 0" in text and "b#lt;i#gt;#amp; = 0.5" in text and "d#35;1;[x]" in text
    assert '    n11["out_h1 = 0.6457 | ∂E_total/∂out_h1 = 0.04909"]' in to_mermaid(picture)


@pytest.mark.external
@needs_dot
def test_svg_and_png_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["graph", "two_two_two", "--format", "svg"], env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    svg = ElementTree.parse(tmp_path / "two_two_two.svg").getroot()
    assert svg.tag == f"{SVG}svg"
    result = CliRunner().invoke(app, ["graph", "one_one_one", "--format", "png", "-o", "net.png"], env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    data = (tmp_path / "net.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert 200 < width < 4000 and 100 < height < 3000


@pytest.mark.parametrize(("output_format", "lang"), [("svg", "en"), ("png", "zh")])
def test_without_dot_exit_5_names_the_package(tmp_path, monkeypatch, output_format, lang):
    monkeypatch.chdir(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    environment = {**ENVIRONMENT, "PATH": str(empty)}
    arguments = ["graph", "two_two_two", "--format", output_format, "--lang", lang]
    result = CliRunner().invoke(app, arguments, env=environment)
    assert result.exit_code == 5
    assert "graphviz" in result.stderr and "apt-get install graphviz" in result.stderr
    assert ("Graphviz" in result.stderr) if lang == "en" else ("请安装 Debian 软件包 graphviz" in result.stderr)
    assert not list(tmp_path.glob("two_two_two.*"))


def test_text_dot_and_mermaid_to_files(tmp_path):
    for output_format, check in (("text", "Column 1: inputs"), ("dot", "digraph"), ("mermaid", "flowchart LR")):
        target = tmp_path / f"graph.{output_format}"
        arguments = ["graph", "two_two_two", "--format", output_format, "-o", str(target)]
        result = CliRunner().invoke(app, arguments, env=ENVIRONMENT)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert check in target.read_text(encoding="utf-8")


def test_bad_scenario_and_bad_format():
    result = CliRunner().invoke(app, ["graph", "no_such_scenario"], env=ENVIRONMENT)
    assert result.exit_code == 3 and "no_such_scenario" in result.stderr
    result = CliRunner().invoke(app, ["graph", "two_two_two", "--format", "jpeg"], env=ENVIRONMENT)
    assert result.exit_code == 2


def test_the_readme_shows_the_picture():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/graph-two_two_two.png)" in readme
    assert (ROOT / "docs" / "graph-two_two_two.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ── expression circuits ───────────────────────────────────────────────────────

CIRCUITS = {
    name: document
    for name in builtin_names()
    if isinstance(document := load_document(builtin_path(name)), ExpressionScenario)
}
CIRCUITS["square_and_constant"] = load_expression_text(
    "name: square_and_constant\nexpression: |\n  s = x * x\n  f = 3 * s + x / y\nvalues: {x: 1.5, y: -2}\n", "test.yaml"
)


@pytest.mark.parametrize("name", sorted(CIRCUITS))
def test_circuit_picture_is_the_circuit_run(name):
    circuit = run_circuit(CIRCUITS[name])
    picture = picture_from_circuit(circuit)
    gates = {gate.name: gate for gate in circuit.graph.gates}
    assert {node.name for node in picture.nodes} == set(circuit.graph.leaves) | set(gates)
    for node in picture.nodes:
        assert node.value == circuit.value(node.name)
        assert node.gradient == circuit.gradient(node.name)
        assert node.kind == ("gate" if node.name in gates else "input")
        if node.name in gates:  # one column after the deepest value it reads
            sources = [source for source in gates[node.name].inputs if source in gates or source in circuit.graph.leaves]
            reads = [picture.node(source).column for source in sources]
            assert node.column == 1 + max(reads, default=0)
        else:
            assert node.column == 0
    recorded = sorted(
        (edge.input, edge.gate, edge.local, edge.upstream, edge.downstream)
        for record in circuit.gradients
        for edge in record.edges
    )
    drawn = sorted((edge.source, edge.target, edge.local, edge.upstream, edge.share) for edge in picture.edges)
    assert drawn == recorded
    for node in picture.nodes:
        shares = [edge.share for edge in picture.edges_from(node.name)]
        if shares:
            assert math.fsum(shares) == pytest.approx(node.gradient, rel=1e-12, abs=1e-15)


def test_the_add_multiply_circuit_by_hand():
    """f = (x + y)·z at x = −2, y = 5, z = −4: q = x + y = 3, f = q·z = −12; ∂f/∂q = z, ∂f/∂z = q, ∂q/∂x = ∂q/∂y = 1."""
    picture = picture_from_circuit(run_circuit(CIRCUITS["circuit"]))
    q = -2 + 5
    assert {node.name: (node.value, node.gradient) for node in picture.nodes} == {
        "x": (-2, -4 * 1), "y": (5, -4 * 1), "z": (-4, q), "g1": (q, -4), "f": (q * -4, 1)
    }
    assert [(edge.source, edge.target, edge.local) for edge in picture.edges] == [
        ("x", "g1", 1), ("y", "g1", 1), ("z", "f", q), ("g1", "f", -4)
    ]
    assert [column.names for column in picture.columns] == [("x", "y", "z"), ("g1",), ("f",)]
    assert node_label(picture, picture.node("f"), 4) == ("f = g1·z = -12", "∂f/∂f = 1")


def test_a_value_read_twice_has_two_edges():
    """s = x·x: two edges x → s, each with local x = 1.5; ∂f/∂x = 3·2x + 1/y = 9 − 0.5 = 8.5."""
    picture = picture_from_circuit(run_circuit(CIRCUITS["square_and_constant"]))
    into_s = [edge for edge in picture.edges_from("x") if edge.target == "s"]
    assert [edge.local for edge in into_s] == [1.5, 1.5]
    assert picture.node("x").gradient == pytest.approx(3 * 2 * 1.5 + 1 / -2)
    assert "3" not in {node.name for node in picture.nodes}  # a constant is in its gate's formula, not a node
    text = to_dot(picture)
    _dot_structure(text, picture)


@pytest.mark.external
@needs_dot
@pytest.mark.parametrize("name", sorted(CIRCUITS))
def test_circuit_svg_has_every_label(name):
    picture = picture_from_circuit(run_circuit(CIRCUITS[name]))
    root = ElementTree.fromstring(render_with_dot(to_dot(picture), "svg"))
    texts = [element.text for element in root.iter(f"{SVG}text")]
    for node in picture.nodes:
        for part in node_label(picture, node, 4):
            assert part in texts


def test_graph_of_an_expression_scenario_from_the_command_line(tmp_path):
    result = CliRunner().invoke(app, ["graph", "sigmoid_neuron", "--format", "mermaid"], env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    assert 'n5["w2 = -3 | ∂f/∂w2 = 0.1966"]' in result.output
    assert '["f = 1/g7 = 0.7311 | ∂f/∂f = 1"]' in result.output


def test_a_batch_step_draws_its_first_sample_and_a_batch_too_large_is_refused():
    result = CliRunner().invoke(app, ["graph", "xor", "--format", "mermaid"], env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    assert "step 1: sample 1, the first of the 4 in its batch" in result.output
    refused = CliRunner().invoke(app, ["graph", "spiral"], env=ENVIRONMENT)
    assert refused.exit_code == 2
    assert "the batch of step 1 has 20 samples" in refused.output
    assert "bptutor run traces every sample" in refused.output
