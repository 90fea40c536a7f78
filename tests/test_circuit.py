"""Expression scenarios: the classic circuits, checked against independent oracles.

Every expected number is computed here, independently of bptutor: by central
finite differences of a plain Python function written out by hand, and by sympy
differentiating an expression the test builds itself (never from bptutor's parser).
"""

from __future__ import annotations

import contextlib
import json
import math
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.core.circuit import ExpressionScenario, run
from bptutor.core.circuit import run as run_circuit
from bptutor.core.expression import ExpressionError, parse_program
from bptutor.core.trace import run as trace_run
from bptutor.derive.circuit import explain_circuit
from bptutor.errors import DivergenceError, ScenarioError
from bptutor.loading.document import (
    load_document,
    load_document_text,
    load_expression_text,
)
from tests.hypothesis_profiles import examples

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
ENVIRONMENT = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
CLOSE = {"rel": 1e-12, "abs": 1e-15}


def finite_differences(function, point: dict[str, float], step: float = 1e-6) -> dict[str, float]:
    """Central differences of a plain Python function of keyword arguments."""
    gradients = {}
    for name in point:
        up, down = dict(point), dict(point)
        up[name] += step
        down[name] -= step
        gradients[name] = (function(**up) - function(**down)) / (2 * step)
    return gradients


def sympy_gradients(expression, point: dict[str, float]) -> dict[str, float]:
    at = {sympy.Symbol(name, real=True): sympy.Rational(repr(value)) for name, value in point.items()}
    return {name: float(sympy.diff(expression, sympy.Symbol(name, real=True)).subs(at).evalf(30)) for name in point}


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def _scenario(text: str) -> ExpressionScenario:
    return load_expression_text(text, "test.yaml")


# ── the classic circuits ───────────────────────────────────────────────────────


def test_add_then_multiply_circuit():
    """(x + y)·z at x = −2, y = 5, z = −4: f = −12, ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = x + y = 3."""
    result = run(load_document(SCENARIOS / "circuit.yaml"))
    point = {"x": -2.0, "y": 5.0, "z": -4.0}
    assert result.output == -12.0
    assert result.leaf_gradients == {"x": -4.0, "y": -4.0, "z": 3.0}
    numeric = finite_differences(lambda x, y, z: (x + y) * z, point)
    x, y, z = sympy.symbols("x y z", real=True)
    symbolic = sympy_gradients((x + y) * z, point)
    for name in point:
        assert result.leaf_gradients[name] == pytest.approx(numeric[name], rel=1e-8)
        assert result.leaf_gradients[name] == pytest.approx(symbolic[name], **CLOSE)


@pytest.mark.parametrize("gates", ["fine", "grouped"])
def test_two_input_sigmoid_neuron(gates):
    """f = σ(w0·x0 + w1·x1 + w2) with w0 = 2, x0 = −1, w1 = −3, x1 = −2, w2 = −3 (z = 1)."""
    text = (SCENARIOS / "sigmoid_neuron.yaml").read_text(encoding="utf-8").replace("gates: fine", f"gates: {gates}")
    result = run(_scenario(text))
    point = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0}

    def neuron(w0, x0, w1, x1, w2):
        return _sigmoid(w0 * x0 + w1 * x1 + w2)

    numeric = finite_differences(neuron, point)
    w0, x0, w1, x1, w2 = sympy.symbols("w0 x0 w1 x1 w2", real=True)
    symbolic = sympy_gradients(1 / (1 + sympy.exp(-(w0 * x0 + w1 * x1 + w2))), point)
    assert result.output == pytest.approx(neuron(**point), **CLOSE)
    assert round(result.output, 4) == 0.7311
    slope = _sigmoid(1.0) * (1 - _sigmoid(1.0))  # σ′(1) = 0.1966…
    expected_by_hand = {"w0": -1 * slope, "x0": 2 * slope, "w1": -2 * slope, "x1": -3 * slope, "w2": slope}
    rounded = {name: round(value, 4) for name, value in result.leaf_gradients.items()}
    assert rounded == {"w0": -0.1966, "x0": 0.3932, "w1": -0.3932, "x1": -0.5898, "w2": 0.1966}
    for name in point:
        assert result.leaf_gradients[name] == pytest.approx(symbolic[name], **CLOSE)
        assert result.leaf_gradients[name] == pytest.approx(expected_by_hand[name], **CLOSE)
        assert result.leaf_gradients[name] == pytest.approx(numeric[name], rel=1e-7)
    assert len(result.graph.gates) == (8 if gates == "fine" else 5)


def test_max_gate_routes_and_a_fork_adds():
    """f = 2·x·y + max(x, z)² at x = 3, y = −1, z = 2: x forks into the product and the max."""
    result = run(load_document(SCENARIOS / "max_fork.yaml"))
    point = {"x": 3.0, "y": -1.0, "z": 2.0}
    numeric = finite_differences(lambda x, y, z: 2 * x * y + max(x, z) ** 2, point)
    x, y, z = sympy.symbols("x y z", real=True)
    symbolic = sympy_gradients(2 * x * y + sympy.Max(x, z) ** 2, point)
    assert result.output == 3.0
    for name in point:
        assert result.leaf_gradients[name] == pytest.approx(numeric[name], rel=1e-8, abs=1e-9)
        assert result.leaf_gradients[name] == pytest.approx(symbolic[name], **CLOSE)
    fork = next(record for record in result.gradients if record.name == "x")
    assert fork.forks and [edge.gate for edge in fork.edges] == ["q", "p"]
    assert sum(edge.downstream for edge in fork.edges) == fork.value == 2 * -1.0 + 2 * 3.0
    route = {(edge.gate, edge.input): edge.local for record in result.gradients for edge in record.edges}
    assert route[("q", "x")] == 1.0 and route[("q", "z")] == 0.0  # max routes to the larger input


def test_every_edge_is_upstream_times_local():
    result = run(load_document(SCENARIOS / "sigmoid_neuron.yaml"))
    for record in result.gradients:
        for edge in record.edges:
            assert edge.downstream == edge.upstream * edge.local
            assert edge.upstream == result.gradient(edge.gate)
        if record.name != result.graph.output:
            assert record.value == sum(edge.downstream for edge in record.edges)


OPERATIONS = """
name: every_operation
expression: |
  a = x - y / z
  b = a ** 3 + exp(x) * log(z) - abs(y)
  c = tanh(b / 10) + relu(x) - min(y, z) + sigmoid(-a)
  f = c ** -1 + max(c, 2) + 2 ** 2 * x
values: {x: 0.5, y: -1.5, z: 2.5}
"""


def test_every_operation_against_both_oracles():
    point = {"x": 0.5, "y": -1.5, "z": 2.5}

    def plain(x, y, z):
        a = x - y / z
        b = a**3 + math.exp(x) * math.log(z) - abs(y)
        c = math.tanh(b / 10) + max(x, 0) - min(y, z) + _sigmoid(-a)
        return c**-1 + max(c, 2) + 4 * x

    x, y, z = sympy.symbols("x y z", real=True)
    a = x - y / z
    b = a**3 + sympy.exp(x) * sympy.log(z) - sympy.Abs(y)
    c = sympy.tanh(b / 10) + sympy.Max(x, 0) - sympy.Min(y, z) + 1 / (1 + sympy.exp(a))
    whole = 1 / c + sympy.Max(c, 2) + 4 * x
    result = run(_scenario(OPERATIONS))
    assert result.output == pytest.approx(plain(**point), **CLOSE)
    numeric = finite_differences(plain, point)
    symbolic = sympy_gradients(whole, point)
    for name in point:
        assert result.leaf_gradients[name] == pytest.approx(symbolic[name], rel=1e-11)
        assert result.leaf_gradients[name] == pytest.approx(numeric[name], rel=1e-6)
        explained = explain_circuit(result.scenario, name)
        assert float(explained.gradient) == pytest.approx(symbolic[name], rel=1e-12)
        assert float(explained.derivative_value) == pytest.approx(symbolic[name], rel=1e-12)


def test_explain_sums_every_path_and_agrees_with_sympy_in_one_go():
    explained = explain_circuit(load_document(SCENARIOS / "max_fork.yaml"), "x")
    assert explained.path_count == 2
    assert [float(path.value) for path in explained.paths] == [-2.0, 6.0]
    assert float(explained.gradient) == 4.0 == float(explained.derivative_value)
    inner = explain_circuit(load_document(SCENARIOS / "max_fork.yaml"), "q")
    assert float(inner.gradient) == 6.0 and inner.whole == "q² + 2·x·y"


def test_a_layered_network_written_as_an_expression_has_the_same_gradients(two_two_two):
    """two_two_two, every neuron written out by hand, gives the gradients of the layered tracer."""
    program = """
name: two_two_two_as_expression
expression: |
  in_h1 = w1*i1 + w2*i2 + b1
  out_h1 = sigmoid(in_h1)
  in_h2 = w3*i1 + w4*i2 + b2
  out_h2 = sigmoid(in_h2)
  in_o1 = w5*out_h1 + w6*out_h2 + b3
  out_o1 = sigmoid(in_o1)
  in_o2 = w7*out_h1 + w8*out_h2 + b4
  out_o2 = sigmoid(in_o2)
  E_total = (t1 - out_o1)**2 / 2 + (t2 - out_o2)**2 / 2
values: {w1: 0.1, i1: 0.1, w2: 0.2, i2: 0.2, b1: 0.55, w3: 0.3, w4: 0.4, b2: 0.56,
         w5: 0.5, w6: 0.6, b3: 0.66, w7: 0.7, w8: 0.8, b4: 0.67, t1: 0.01, t2: 0.99}
gates: GATES
"""
    layered = trace_run(two_two_two).first
    for gates in ("grouped", "fine"):
        result = run(_scenario(program.replace("GATES", gates)))
        assert result.output == pytest.approx(layered.loss, **CLOSE)
        for parameter, gradient in layered.gradients.items():
            assert result.gradient(parameter) == pytest.approx(gradient, **CLOSE), (gates, parameter)
        for name in ("in_h1", "out_h2", "in_o1"):
            assert result.gradient(name) == pytest.approx(layered.gradient(name), **CLOSE)


# ── reading: positions, names and values ──────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("expression: f = x.y\nvalues: {x: 1}\n", "3:17", "attribute"),
        ("expression: |\n  q = x + y\n  f = q * [z]\nvalues: {x: 1}\n", "5:11", "'['"),
        ("expression: '  f = x ^ 2'\nvalues: {x: 1}\n", "3:22", "x**2"),
        ("expression:\n  - q = x + y\n  - f = foo(q)\nvalues: {x: 1, y: 2}\n", "5:9", "unknown function 'foo'"),
        ("expression: f = (x + y) * z\nvalues: {x: 1, y: 2}\n", "4:9", "give it a value"),
        ("expression: f = x * 2\nvalues: {x: 1, y: 2}\n", "4:16", "does not read it"),
        ("expression: |\n  q = x + 1\n  f = x * 2\nvalues: {x: 1}\n", "4:3", "never used"),
        ("expression: |\n  f = q * 2\n  q = x\nvalues: {x: 1}\n", "4:7", "before the line"),
        ("expression: f = log(x - 1)\nvalues: {x: 1}\n", "3:17", "logarithm"),
    ],
)
def test_problems_are_reported_at_their_line_and_column(text, where, words):
    text = "name: bad\ntitle: t\n" + text
    with pytest.raises(ScenarioError) as caught:
        run(_scenario(text))
    message = str(caught.value)
    assert message.startswith(f"test.yaml:{where} ") and words in message, message


def test_a_layered_file_is_still_a_layered_scenario():
    document = load_document_text((SCENARIOS / "two_two_two.yaml").read_text(encoding="utf-8"), "x.yaml")
    assert not isinstance(document, ExpressionScenario)


# ── hostile input: each is refused with a clear message, nothing is ever run ──

HOSTILE = {
    "attribute": ("f = x.__class__", "attribute access"),
    "dunder_call": ("f = __import__(x)", "unknown function '__import__'"),
    "dunder_name": ("f = __builtins__ + x", "not a name bptutor accepts"),
    "import": ("f = exp(x).__globals__", "attribute access"),
    "huge_power": ("f = 9**9**9**9", "exponent of ** must be a number written out"),
    "big_exponent": ("f = 2**1000000", "exponent of ** is at most 16"),
    "power_of_power": ("f = ((x**16)**16)**16", "overflowed"),  # 2**4096: float64 overflows, never a big integer
    "long_line": ("f = " + "(" * 150 + "x" + ")" * 150, "at most 300 characters"),
    "deep_unary": ("f = " + "-" * 250 + "x", "nested more than"),
    "deep_calls": ("f = " + "exp(" * 55 + "x" + ")" * 55, "nested more than"),
    "many_nodes": ("\\n".join(f"g{n} = " + "+".join(["x"] * 40) for n in range(6)), "more than 400 operations"),
    "unknown_function": ("f = eval(x)", "unknown function 'eval'"),
    "lambda": ("f = (lambda: x)()", "':' is not allowed"),
    "string": ("f = x + 'a'", "''' is not allowed"),
    "keyword": ("f = max(x, y=1)", "only one = per line"),
    "comprehension": ("f = (x for x in x)", "for … in"),
    "comparison": ("f = x is x", "comparisons"),
    "condition": ("f = x if x else x", "if … else"),
    "huge_literal": ("f = x * 1" + "0" * 200, "out of range"),
    "tiny_literal": ("f = x * 1e-99999999", "out of range"),
    "hex": ("f = x * 0x10", "not a decimal number"),
    "true": ("f = x * True", "no text, True, False or None"),
    "ellipsis": ("f = x * ...", "no text, True, False or None"),
    "starred": ("f = max(*x, x)", "* before an argument"),
    "floor_division": ("f = x // x", "this operator is not allowed"),
    "control_character": ("f = x\\x1b[31m", "not allowed"),
    "overflow": ("f = exp(exp(exp(x * 100)))", "overflowed"),
}


def test_hostile_inputs_are_refused_quickly_and_clearly(tmp_path):
    """Each file is refused with exit 3 and its own message; none hangs (the caps are checked before any number is computed).

    The run is bounded by a timeout, not timed: every cap (length, depth, node count,
    literal size, exponent) is checked while reading, so no input gets as far as a
    slow computation. One `bptutor validate` reads every file, in a process of its own.
    """
    import subprocess
    import sys

    files = []
    for name, (line, _) in HOSTILE.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(f'name: {name}\nexpression: "{line}"\nvalues: {{x: 2}}\n', encoding="utf-8")
        files.append(str(path))
    completed = subprocess.run(
        [sys.executable, "-m", "bptutor", "validate", *files],
        capture_output=True, text=True, timeout=60, check=False, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "COLUMNS": "120"},
    )
    assert completed.returncode == 3
    errors = completed.stderr.splitlines()
    assert "Traceback" not in completed.stderr
    by_file = {Path(line.split(":")[1].strip()).stem: line for line in errors}
    for name, (_, words) in HOSTILE.items():
        assert name in by_file, (name, completed.stderr)
        assert words in by_file[name], by_file[name]
    assert len(errors) == len(HOSTILE) and not completed.stdout


# ── the command line ──────────────────────────────────────────────────────────


def invoke(*arguments):
    return CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)


def test_run_json_has_every_gate_edge_and_gradient():
    result = invoke("run", "circuit", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["output"] == {"name": "f", "value": -12.0}
    assert document["gradients"] == {"f": 1.0, "g1": -4.0, "x": -4.0, "y": -4.0, "z": 3.0}
    assert [edge["gate"] + ">" + edge["input"] for edge in document["edges"]] == ["f>g1", "g1>x", "g1>y", "f>z"]


def test_commands_that_need_layers_say_so():
    for arguments in (["solve", "circuit"], ["quiz", "circuit"], ["run", "circuit", "--steps", "3"]):
        result = invoke(*arguments)
        assert result.exit_code == 2, result.output
    assert "expression scenario" in invoke("solve", "circuit").output


def test_run_and_explain_in_chinese():
    result = invoke("run", "max_fork", "--lang", "zh")
    assert result.exit_code == 0 and "反向传播：每条边上 上游 × 局部 = 下游" in result.output
    assert "∂f/∂x（分叉）" in result.output
    explained = invoke("explain", "x", "-s", "max_fork", "--lang", "zh")
    assert explained.exit_code == 0 and "对 2 条路径求和" in explained.output
    assert invoke("explain", "nope", "-s", "circuit").exit_code == 2


def test_validate_accepts_the_shipped_circuits():
    result = invoke("validate", *(str(SCENARIOS / f"{name}.yaml") for name in ("circuit", "sigmoid_neuron", "max_fork")))
    assert result.exit_code == 0, result.output


# ── fuzzing: any text is read, or refused with ExpressionError / ScenarioError ──

PIECES = ["x", "y", "f", "q", " = ", "+", "-", "*", "/", "**", "(", ")", ",", "2", "0.5", "1e3", "exp", "log",
          "sigmoid", "max", "min", "relu", "abs", "tanh", ".", "_", "9", "[", "'", ":", "lambda", " if ", " for ", "="]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=14).map("".join), min_size=1, max_size=3))
def test_any_program_is_read_or_refused_cleanly(lines):
    try:
        program = parse_program(lines)
    except ExpressionError as problem:  # refused: then with a message and a column
        assert str(problem.message) and problem.column >= 0  # noqa: PT017  (being read is right too)
        return
    values = ", ".join(f"{leaf}: 0.5" for leaf in program.leaves)
    text = "name: fuzz\nexpression: |\n" + "".join(f"  {line}\n" for line in lines) + f"values: {{{values}}}\n"
    try:
        result = run_circuit(load_expression_text(text, "fuzz.yaml"))
    except (ScenarioError, DivergenceError):
        return
    assert math.isfinite(result.output)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=60))
def test_any_text_in_a_file_is_read_or_refused_with_a_scenario_error(text):
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    with contextlib.suppress(ScenarioError):
        load_document_text(f'name: fuzz\nexpression: "{quoted}"\nvalues: {{x: 1}}\n', "fuzz.yaml")
