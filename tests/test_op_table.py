"""The table of operations is the one list of names: every row works everywhere, an unknown name nowhere.

For each activation and loss row: its numeric forward, its sympy form and its
textbook derivative agree at a few points (differentiated here by sympy and by
central differences, independently of the row's own derivative); it has a LaTeX
and a MathML name; the loader, the command line and `bptutor generate` accept
it. A name with no row is refused by each of them, never computed as linear.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sympy

from bptutor.cli.app import app
from bptutor.core import scenario as scenario_names
from bptutor.core.ops import ACTIVATIONS, LAYER_ACTIVATIONS, LOSSES, activation_of, loss_of
from bptutor.errors import ScenarioError, UsageError
from bptutor.handout import maths
from bptutor.loading.scenario import scenario_from_data
from bptutor.teach import generate as generating

POINTS = (-1.3, -0.2, 0.35, 1.7)  # away from the kink at 0, where relu's derivative is one-sided
SLOPE = 0.01


def one_neuron(activation: str, loss: str = "half_sse", target: float = 0.25) -> dict[str, object]:
    """The smallest scenario: z = w·x + b, a = f(z), one target."""
    return {
        "name": "row",
        "inputs": {"x": 0.5},
        "targets": {"o": target},
        "layers": [{"name": "out", "activation": activation, "neurons": {"o": {"bias": "b", "weights": {"x": "w"}}}}],
        "parameters": {"w": 0.4, "b": 0.1},
        "loss": loss,
        "learning_rate": 0.5,
    }


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_every_activation_row_agrees_with_itself(name):
    """f numerically = f by sympy; f′ by the row = d/dz of sympy's f = its textbook form in a = central difference."""
    op = ACTIVATIONS[name]
    z, a = sympy.Symbol("z", real=True), sympy.Symbol("a", real=True)
    forward = op.sympy_forward(z, sympy.Float(SLOPE))
    for point in POINTS:
        value = op.forward(point, SLOPE)
        assert value == pytest.approx(float(forward.subs(z, point)), rel=1e-13, abs=1e-15)
        by_sympy = float(sympy.diff(forward, z).subs(z, point))
        textbook = float(op.sympy_textbook_derivative(z, a, sympy.Float(SLOPE)).subs({z: point, a: value}))
        central = (op.forward(point + 1e-6, SLOPE) - op.forward(point - 1e-6, SLOPE)) / 2e-6
        assert op.derivative(point, value, SLOPE) == pytest.approx(by_sympy, rel=1e-12, abs=1e-15)
        assert textbook == pytest.approx(by_sympy, rel=1e-12, abs=1e-15)
        assert central == pytest.approx(by_sympy, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("name", [*ACTIVATIONS, *LAYER_ACTIVATIONS])
def test_every_activation_has_a_latex_and_a_mathml_name_that_the_handouts_use(name):
    op = ACTIVATIONS.get(name) or LAYER_ACTIVATIONS[name]
    assert op.latex and op.mathml
    called = maths.Call(op.symbol, (maths.Name("z"),))
    assert maths.to_latex(called).startswith(op.latex)
    assert maths.mathml_body(called).startswith("<mrow>" + op.mathml)
    ET.fromstring(maths.to_mathml(called))  # well formed


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_the_loader_and_the_command_line_offer_every_activation(name):
    assert name in scenario_names.ACTIVATIONS
    loaded = scenario_from_data(one_neuron(name))
    assert loaded.layers[0].activation == name
    options = {option.name: option for option in _generate_command().params}
    if ACTIVATIONS[name].exercise is not None:
        assert name in options["activation"].type.choices
        assert name in options["output_activation"].type.choices


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_generate_can_use_every_activation_with_an_exercise_rule(name):
    """Each row with a rule yields a nice exercise, hidden and output layers alike, whose file loads back."""
    op = ACTIVATIONS[name]
    assert op.exercise is not None, f"{name}: every built-in activation should be usable by generate"
    options = generating.Options((2, 2, 1), count=1, seed=3, activation=name, output_activation=name)
    (exercise,) = generating.generate(options)
    assert [layer.activation for layer in exercise.scenario.layers] == [name, name]
    low, high = op.exercise.targets
    for _, target in exercise.scenario.targets:
        assert low * 0.05 - 1e-12 <= target <= high * 0.05 + 1e-12


@pytest.mark.parametrize("name", list(LOSSES))
def test_every_loss_is_offered_where_it_belongs(name):
    loss = LOSSES[name]
    assert loss.description
    assert name in scenario_names.ALL_LOSSES
    assert (name in scenario_names.LOSSES) == loss.classic
    options = {option.name: option for option in _generate_command().params}
    generated = loss.classic or loss.fused_with is not None  # a fused loss with its own output activation
    assert (name in options["loss"].type.choices) == generated
    output = loss.fused_with or "sigmoid"
    if output in ACTIVATIONS:  # softmax needs two outputs; its loss is loaded in the training tests
        assert scenario_from_data(one_neuron(output, name)).loss == name
    if generated:
        shape = (2, 2) if output == "softmax" else (2, 1)
        options = generating.Options(shape, count=1, seed=2, output_activation=output, loss=name, exact=not loss.classic)
        (exercise,) = generating.generate(options)
        assert exercise.scenario.loss == name


def test_an_unknown_activation_is_refused_by_generate_never_computed_as_linear():
    with pytest.raises(UsageError, match="swish"):
        generating.generate(generating.Options((2, 2, 1), count=1, activation="swish"))
    with pytest.raises(UsageError, match="swish"):
        generating.generate(generating.Options((2, 2, 1), count=1, output_activation="swish"))
    with pytest.raises(UsageError, match="swish"):
        generating._activate("swish", 0.3)  # linear would have given 0.3
    with pytest.raises(UsageError, match="bce"):
        generating.generate(generating.Options((2, 1), count=1, output_activation="sigmoid", loss="bce"))


def test_an_unknown_name_is_refused_by_the_table_the_loader_and_the_command_line():
    with pytest.raises(UsageError, match="swish"):
        activation_of("swish")
    with pytest.raises(UsageError, match="huber"):
        loss_of("huber")
    with pytest.raises(ScenarioError, match="swish"):
        scenario_from_data(one_neuron("swish"))
    with pytest.raises(ScenarioError, match="huber"):
        scenario_from_data(one_neuron("sigmoid", "huber"))
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["generate", "-o", "unused", "--activation", "swish"])
    assert result.exit_code == 2
    assert "swish" in result.output


def _generate_command():
    import typer.main

    group = typer.main.get_command(app)
    return group.commands["generate"]
