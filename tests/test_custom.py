"""Custom activations and losses written in the expression grammar (bptutor.core.custom).

The expected numbers come from the built-in rows they must equal (a custom sigmoid
is the sigmoid), from the independent oracles of tests/oracles.py, and from sympy
differentiating the tree's sympy form; none is read from the code under test.
"""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import sympy
from typer.testing import CliRunner

import bptutor
from bptutor.cli.app import app
from bptutor.core.circuit import ExpressionScenario
from bptutor.core.custom import (
    CustomActivation,
    CustomLoss,
    differentiate,
    evaluate,
    text,
    to_sympy,
)
from bptutor.core.expression import parse_expression, to_text
from bptutor.core.scenario import Rounding
from bptutor.core.trace import run
from bptutor.errors import ScenarioError, UsageError
from bptutor.loading.scenario import load_scenario, load_scenario_text, scenario_from_data
from tests import oracles
from tests.oracles import (
    assert_all_close,
    autograd_gradients,
    finite_difference_gradients,
    plain_loss,
    sympy_gradients,
    sympy_loss,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "custom_functions.yaml"
EXACT_REL, EXACT_ABS = 1e-12, 1e-15
ENVIRONMENT = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def activation(text_: str, variable: str = "t") -> CustomActivation:
    return CustomActivation(parse_expression(text_, (variable,)), variable)


def loss(text_: str, mean: bool = False) -> CustomLoss:
    return CustomLoss(parse_expression(text_, ("t", "o")), "t", "o", mean)


def with_activations(scenario, *functions):
    layers = tuple(replace(layer, activation=function) for layer, function in zip(scenario.layers, functions, strict=True))
    return replace(scenario, layers=layers)


def gradients_of(scenario) -> dict[str, float]:
    step = run(scenario, 1).first
    return {name: float(step.gradient(name)) for name, _ in scenario.parameters}


# ── the same numbers as the built-ins ─────────────────────────────────────────


@pytest.mark.parametrize(
    ("written", "builtin"),
    [
        ("1 / (1 + exp(-t))", "sigmoid"),
        ("sigmoid(t)", "sigmoid"),
        ("(exp(t) - exp(-t)) / (exp(t) + exp(-t))", "tanh"),
        ("t", "linear"),
        ("max(t, 0)", "relu"),
    ],
)
def test_a_custom_activation_gives_the_gradients_of_the_builtin_it_writes(written, builtin):
    reference = with_activations(oracles.two_two_two(), builtin, builtin)
    custom = with_activations(reference, activation(written), activation(written))
    assert_all_close(gradients_of(custom), gradients_of(reference), EXACT_REL, EXACT_ABS, f"{written} vs {builtin}")
    assert math.isclose(float(run(custom, 1).first.loss), float(run(reference, 1).first.loss), rel_tol=1e-12)


@pytest.mark.parametrize(("written", "mean", "builtin"), [("(t - o)**2 / 2", False, "half_sse"), ("(t - o)**2", True, "mse"), ("(o - t)**2", False, "sse")])
def test_a_custom_loss_equals_the_builtin_it_writes(written, mean, builtin):
    base = replace(oracles.two_two_two(), loss=builtin)
    custom = replace(base, loss=loss(written, mean))
    expected, actual = run(base, 2), run(custom, 2)
    for before, after in zip(expected.steps, actual.steps, strict=True):
        assert math.isclose(float(after.loss), float(before.loss), rel_tol=1e-12)
        assert_all_close(
            {n: float(after.gradient(n)) for n, _ in base.parameters},
            {n: float(before.gradient(n)) for n, _ in base.parameters},
            EXACT_REL, EXACT_ABS, f"{written} vs {builtin}",
        )


def test_the_custom_half_sse_writes_its_derivative_as_the_textbook_does():
    derivative = differentiate(parse_expression("(t - o)**2 / 2", ("t", "o")), "o")
    assert text(derivative) == "−(t − o)"


# ── against the independent oracles ───────────────────────────────────────────


def test_custom_functions_agree_with_the_three_oracles():
    scenario = load_scenario(DATA)
    step = run(scenario, 1).first
    gradients = {name: float(step.gradient(name)) for name, _ in scenario.parameters}
    assert math.isclose(float(step.loss), plain_loss(scenario), rel_tol=1e-12)
    assert math.isclose(float(step.loss), float(sympy_loss(scenario)), rel_tol=1e-12)
    assert_all_close(gradients, sympy_gradients(scenario), EXACT_REL, EXACT_ABS, "vs sympy")
    assert_all_close(gradients, autograd_gradients(scenario), EXACT_REL, EXACT_ABS, "vs autograd")
    assert_all_close(gradients, finite_difference_gradients(scenario), 1e-6, 1e-8, "vs finite differences")


def test_a_scaled_activation_and_a_mean_loss_agree_with_sympy():
    base = oracles.two_two_two()
    scenario = replace(
        with_activations(base, activation("tanh(t) / 2 + t**3 / 10"), activation("t / 10")),
        loss=loss("abs(t - o)**3 + log(1 + (t - o)**2)", mean=True),
    )
    gradients = gradients_of(scenario)
    assert_all_close(gradients, sympy_gradients(scenario), EXACT_REL, EXACT_ABS, "vs sympy")
    assert_all_close(gradients, autograd_gradients(scenario), EXACT_REL, EXACT_ABS, "vs autograd")


# ── the derivative rules against sympy ────────────────────────────────────────

EXPRESSIONS = [
    "t / 10",
    "1 / (1 + exp(-t))",
    "log(1 + exp(t))",
    "t**3 - 2*t + 0.5",
    "sigmoid(2*t) * tanh(t - 1)",
    "exp(-t**2) / (1 + t**2)",
    "t**0.5 + t**-2",
    "relu(t - 0.3) + abs(t) - max(t, 0.1*t) + min(2*t, 1)",
    "(t - 1) / (t + 3)",
    "-(-t)",
]


@pytest.mark.parametrize("written", EXPRESSIONS)
def test_the_derivative_tree_is_sympys_derivative(written):
    tree = parse_expression(written, ("t",))
    t = sympy.Symbol("t", positive=True)
    expected = sympy.diff(to_sympy(tree, {"t": t}), t)
    derivative = differentiate(tree, "t")
    for point in (0.37, 1.25, 2.5):
        want = float(expected.subs(t, sympy.Rational(str(point))).evalf(30))
        assert math.isclose(evaluate(derivative, {"t": point}), want, rel_tol=1e-12, abs_tol=1e-15), (written, point)
        assert math.isclose(evaluate(tree, {"t": point}), float(to_sympy(tree, {"t": sympy.Rational(str(point))}).evalf(30)), rel_tol=1e-13)


@pytest.mark.parametrize(
    ("written", "derivative"),
    [
        ("t / 10", "0.1"),
        ("1 / (1 + exp(-t))", "exp(−t)/(1 + exp(−t))^2"),
        ("log(1 + exp(t))", "exp(t)/(1 + exp(t))"),
        ("t**3 - 2*t", "3·t^2 − 2"),
        ("tanh(t)", "1 − tanh(t)^2"),
        ("relu(t)", "step(t)"),
        ("max(t, 0.1*t)", "(1 if t ≥ 0.1·t, else 0.1)"),
    ],
)
def test_the_derivative_is_written_simply(written, derivative):
    assert text(differentiate(parse_expression(written, ("t",)), "t")) == derivative


@pytest.mark.parametrize("written", EXPRESSIONS)
def test_the_tree_is_written_as_the_reader_writes_it(written):
    tree = parse_expression(written, ("t",))
    assert text(tree) == to_text(tree)


def test_decimals_under_a_rounding_policy_stay_decimals():
    tree = parse_expression("log(1 + exp(t)) + t**2 / 4", ("t",))
    value = evaluate(tree, {"t": Decimal("0.5")})
    assert isinstance(value, Decimal)
    assert abs(float(value) - (math.log(1 + math.exp(0.5)) + 0.0625)) < 1e-15


def test_a_rounded_custom_identity_is_the_rounded_linear():
    rounding = Rounding(pre_activations=4, activations=4, losses=6, deltas=6, gradients=6, parameters=4)
    base = replace(with_activations(oracles.two_two_two(), "linear", "linear"), rounding=rounding)
    custom = with_activations(base, activation("t"), activation("t"))
    expected, actual = run(base, 1).first, run(custom, 1).first
    for name, _ in base.parameters:
        assert actual.gradient(name) == expected.gradient(name)
        assert isinstance(actual.gradient(name), Decimal)


# ── the file format and its errors ────────────────────────────────────────────

NETWORK = """\
name: demo
inputs: {{x: 1}}
targets: {{o: 0.5}}
layers:
  - name: out
    activation: {activation}
    neurons:
      o: {{bias: b, weights: {{x: w}}}}
parameters: {{w: 0.3, b: 0.1}}
loss: {loss}
learning_rate: 0.5
"""


def load_text(activation_: str = "sigmoid", loss_: str = "half_sse"):
    return load_scenario_text(NETWORK.format(activation=activation_, loss=loss_), "demo.yaml")


def error_of(activation_: str = "sigmoid", loss_: str = "half_sse") -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_text(activation_, loss_)
    return caught.value


def test_the_file_gives_the_custom_functions():
    scenario = load_text('{expression: "t / 10", variable: t}', '{expression: "(t - o)**2", target: t, output: o, mean: true}')
    assert scenario.layers[0].activation == activation("t / 10")
    assert scenario.loss == loss("(t - o)**2", mean=True)
    defaults = load_text('{expression: "z / 10"}', '{expression: "(t - o)**2 / 2"}')
    assert defaults.layers[0].activation.variable == "z"
    assert (defaults.loss.target, defaults.loss.output, defaults.loss.mean) == ("t", "o", False)


@pytest.mark.parametrize(
    ("activation_", "loss_", "where", "field", "words"),
    [
        ('{expression: "t / 10", variable: z}', "half_sse", "demo.yaml:6:31", "layers[0].activation.expression", "unknown name 't'"),
        ('{expression: "t ^ 2", variable: t}', "half_sse", "demo.yaml:6:33", "layers[0].activation.expression", "**"),
        ('{expression: "t / 10", variable: exp}', "half_sse", "demo.yaml:6:50", "layers[0].activation.variable", "variable"),
        ('{expression: "t", variable: t, slope: 2}', "half_sse", "demo.yaml:6:48", "layers[0].activation.slope", "slope"),
        ("sigmoid", '{expression: "(t - o)**2", target: o}', "demo.yaml:10:", "loss.output", "different"),
        ("sigmoid", '{expression: "(t - o)**2", mean: maybe}', "demo.yaml:10:", "loss.mean", "true or false"),
        ("sigmoid", '{expression: "(t - y)**2"}', "demo.yaml:10:26", "loss.expression", "unknown name 'y'"),
        ("sigmoid", '{expression: "__import__(1)"}', "demo.yaml:10:", "loss.expression", ""),
    ],
)
def test_a_bad_custom_function_is_located(activation_, loss_, where, field, words):
    problem = error_of(activation_, loss_)
    assert str(problem.location).startswith(where), str(problem)
    assert problem.field == field
    assert words in str(problem)


def test_a_custom_function_from_a_dict_is_checked_too():
    data = {
        "name": "demo", "inputs": {"x": 1}, "targets": {"o": 0.5},
        "layers": [{"name": "out", "activation": {"expression": "x / 10"}, "neurons": {"o": {"weights": {"x": "w"}}}}],
        "parameters": {"w": 0.3}, "loss": "half_sse", "learning_rate": 0.5,
    }
    with pytest.raises(ScenarioError) as caught:
        scenario_from_data(data)
    assert caught.value.field == "layers[0].activation.expression"


def test_a_value_outside_the_domain_is_a_located_error_with_exit_3(tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text(NETWORK.format(activation='{expression: "log(t)", variable: t}', loss="half_sse").replace("x: 1}", "x: -1}", 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path)], env=ENVIRONMENT)
    assert result.exit_code == 3, result.output
    assert "log.yaml:6:31 [layers[0].activation.expression]: f(t) = log(t) cannot be computed at t = " in result.output
    assert "Traceback" not in result.output


# ── the commands and the documents ────────────────────────────────────────────


@pytest.mark.parametrize(
    "arguments",
    [
        ["run", str(DATA), "--lang", "zh"],
        ["explain", "w1", "-s", str(DATA)],
        ["explain", "out_h", "-s", str(DATA)],
        ["solve", str(DATA), "--format", "md"],
        ["solve", str(DATA), "--format", "tex"],
    ],
)
def test_the_commands_work_on_custom_functions(arguments):
    result = CliRunner().invoke(app, arguments, env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_explain_derives_the_custom_activation():
    result = CliRunner().invoke(app, ["explain", "w1", "-s", str(DATA)], env=ENVIRONMENT)
    assert "out_h = ln(1 + e^(in_h))" in result.output  # the natural logarithm, written as a textbook writes it
    assert "∂out_h/∂in_h = e^(in_h)/(1 + e^(in_h))" in result.output


# ── the Python API on expression scenarios ────────────────────────────────────


def test_load_reads_an_expression_scenario():
    scenario = bptutor.load(ROOT / "scenarios" / "circuit.yaml")
    assert isinstance(scenario, ExpressionScenario)
    assert isinstance(bptutor.load("circuit"), ExpressionScenario)


def test_solve_on_an_expression_scenario_gives_values_and_gradients():
    # f = (x + y)·z at x = −2, y = 5, z = −4: f = −12, ∂f/∂x = ∂f/∂y = z = −4, ∂f/∂z = x + y = 3
    solution = bptutor.solve({"name": "c", "expression": "f = (x + y) * z", "values": {"x": -2, "y": 5, "z": -4}})
    assert solution.output == -12.0
    assert solution.gradients == {"x": -4.0, "y": -4.0, "z": 3.0}
    assert solution.value("f") == -12.0
    with pytest.raises(UsageError, match="layered network"):
        solution.to_html()
    with pytest.raises(UsageError):
        bptutor.solve("circuit", steps=2)


def test_the_layered_loader_names_an_expression_file_for_what_it_is():
    with pytest.raises(ScenarioError) as caught:
        load_scenario(ROOT / "scenarios" / "circuit.yaml")
    assert caught.value.field == "expression"
    assert "expression scenario" in str(caught.value)


def test_the_derivative_does_not_depend_on_earlier_decimal_arithmetic():
    Decimal(1) / Decimal(3)  # leaves the thread's Inexact flag set
    assert text(differentiate(parse_expression("t / 10", ("t",)), "t")) == "0.1"


def test_custom_functions_are_refused_in_training_scenarios(tmp_path):
    """The vectorised training path knows the built-in functions only: a clear error at the training key."""
    text = (ROOT / "tests" / "data" / "custom_functions.yaml").read_text(encoding="utf-8")
    path = tmp_path / "custom_training.yaml"
    path.write_text(text + "optimizer: {name: momentum, beta: 0.9}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)], env=ENVIRONMENT)
    assert result.exit_code == 3
    assert "[optimizer]: custom activations and losses work for one example" in result.output


def test_train_refuses_custom_functions_with_a_message_not_a_traceback():
    result = CliRunner().invoke(app, ["train", str(ROOT / "tests" / "data" / "custom_functions.yaml"), "--steps", "3"])
    assert result.exit_code == 2
    assert "custom activations and losses work for one example" in result.output
