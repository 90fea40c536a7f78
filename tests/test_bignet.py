"""Larger networks: the compact form, layer-indexed names, the summary view of `run`, `sensitivity`.

Expected numbers are computed here: initial values by drawing again with
`random.Random` in the documented order, gradients by the oracles
(tests/oracles.py), norms and ratios from those.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from oracles import autograd_gradients, autograd_neuron_gradients, two_two_two
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.core.layered import canonical, printed
from bptutor.core.scenario import NOTATION_PRESETS, Layer, LearningRate, Neuron, Scenario
from bptutor.core.summary import layer_summaries, ranking
from bptutor.core.trace import run
from bptutor.derive.explain import explain
from bptutor.errors import ScenarioError
from bptutor.handout.maths import name_latex, name_mathml
from bptutor.loading.scenario import load_scenario, load_scenario_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DIGITS = ROOT / "examples" / "digits.yaml"
GOLDEN = ROOT / "tests" / "golden"
ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}

# the 2-2-2 network of the notes, written in the compact form with every parameter given by name
COMPACT_TWO_TWO_TWO = """
name: compact_two_two_two
shape: [2, 2, 2]
activation: sigmoid
inputs: [0.1, 0.2]
targets: [0.01, 0.99]
parameters:
  w_1_1_1: 0.1
  w_1_1_2: 0.2
  b_1_1: 0.55
  w_1_2_1: 0.3
  w_1_2_2: 0.4
  b_1_2: 0.56
  w_2_1_1: 0.5
  w_2_1_2: 0.6
  b_2_1: 0.66
  w_2_2_1: 0.7
  w_2_2_2: 0.8
  b_2_2: 0.67
loss: half_sse
learning_rate: {default: 0.5, layer1: 0.1}
"""
# the notes' names for the same parameters
NOTES_NAMES = {
    "w_1_1_1": "w1", "w_1_1_2": "w2", "w_1_2_1": "w3", "w_1_2_2": "w4", "b_1_1": "b1", "b_1_2": "b2",
    "w_2_1_1": "w5", "w_2_1_2": "w6", "w_2_2_1": "w7", "w_2_2_2": "w8", "b_2_1": "b3", "b_2_2": "b4",
}


def compact(text: str, source: str = "net.yaml") -> Scenario:
    return load_scenario_text(text, source)


def scenario_text(**changes: str) -> str:
    """A small compact scenario; each keyword replaces (or adds) one top-level line."""
    lines = {
        "name": "net",
        "shape": "[3, 4, 2]",
        "activation": "sigmoid",
        "init": "{scheme: xavier, seed: 1}",
        "inputs": "[0.1, 0.2, 0.3]",
        "targets": "[0, 1]",
        "loss": "half_sse",
        "learning_rate": "0.5",
    }
    lines.update(changes)
    return "".join(f"{key}: {value}\n" for key, value in lines.items() if value)


# ── the compact form expands into the scenario an explicit file gives ─────────


def test_compact_expands_to_the_explicit_network():
    scenario = compact(COMPACT_TWO_TWO_TWO)
    hidden = Layer("layer1", "sigmoid", (
        Neuron("1_1", (("a_0_1", "w_1_1_1"), ("a_0_2", "w_1_1_2")), "b_1_1"),
        Neuron("1_2", (("a_0_1", "w_1_2_1"), ("a_0_2", "w_1_2_2")), "b_1_2"),
    ))
    output = Layer("layer2", "sigmoid", (
        Neuron("2_1", (("1_1", "w_2_1_1"), ("1_2", "w_2_1_2")), "b_2_1"),
        Neuron("2_2", (("1_1", "w_2_2_1"), ("1_2", "w_2_2_2")), "b_2_2"),
    ))
    assert scenario.layers == (hidden, output)
    assert scenario.inputs == (("a_0_1", 0.1), ("a_0_2", 0.2))
    assert scenario.targets == (("2_1", 0.01), ("2_2", 0.99))
    assert scenario.notation == NOTATION_PRESETS["z_a"]
    assert scenario.learning_rate == LearningRate(0.5, (("layer1", 0.1),), ())


def test_compact_two_two_two_gives_the_notes_numbers_bit_for_bit():
    mine = run(compact(COMPACT_TWO_TWO_TWO)).first
    notes = run(two_two_two()).first
    assert mine.loss == notes.loss
    for name, theirs in NOTES_NAMES.items():
        assert mine.gradients[name] == notes.gradients[theirs]
        assert mine.new_parameters[name] == notes.new_parameters[theirs]


def test_layered_names_reach_explain():
    scenario = compact(COMPACT_TWO_TWO_TWO)
    for typed in ("w^(2)_{1,1}", "w(2)_1,1", "w2_1_1", "w_2_1_1"):
        explanation = explain(scenario, typed)
        assert explanation.target == explanation.asked == "w_2_1_1"
        assert float(explanation.gradient) == pytest.approx(0.08182331502, rel=1e-10)
    delta = explain(scenario, "delta^(1)_2")
    assert (delta.target, delta.asked) == ("z_1_2", "δ_1_2")


# ── initialisation ────────────────────────────────────────────────────────────


def drawn(shape, seed, bound_of, biases_drawn, low_high_range=0.5):
    """The documented order, drawn again: per layer, per neuron j: w_l_j_1 … w_l_j_n, then b_l_j."""
    generator = random.Random(seed)
    values = {}
    for layer in range(1, len(shape)):
        bound = bound_of(shape[layer - 1], shape[layer])
        for j in range(1, shape[layer] + 1):
            for k in range(1, shape[layer - 1] + 1):
                values[f"w_{layer}_{j}_{k}"] = generator.uniform(-bound, bound)
            values[f"b_{layer}_{j}"] = generator.uniform(-low_high_range, low_high_range) if biases_drawn else 0.0
    return values


@pytest.mark.parametrize(
    ("scheme", "bound_of", "biases_drawn"),
    [
        ("uniform", lambda n_in, n_out: 0.3, True),
        ("xavier", lambda n_in, n_out: math.sqrt(6 / (n_in + n_out)), False),
        ("he", lambda n_in, n_out: math.sqrt(6 / n_in), False),
    ],
)
def test_each_scheme_draws_in_the_documented_order_and_bounds(scheme, bound_of, biases_drawn):
    extra = ", range: 0.3" if scheme == "uniform" else ""
    text = scenario_text(shape="[40, 30, 5]", inputs="{generate: uniform, seed: 2}", targets="{one_hot: 2}",
                         init=f"{{scheme: {scheme}, seed: 9{extra}}}")
    scenario = compact(text)
    expected = drawn([40, 30, 5], 9, bound_of, biases_drawn, 0.3)
    assert dict(scenario.parameters) == expected
    assert [name for name, _ in scenario.parameters] == list(expected)
    for name, value in scenario.parameters:
        layer = int(name.split("_")[1])
        n_in, n_out = (40, 30) if layer == 1 else (30, 5)
        assert abs(value) <= (bound_of(n_in, n_out) if name.startswith("w") else 0.3)
    assert compact(text).parameters == scenario.parameters  # same seed, same values
    assert compact(text.replace("seed: 9", "seed: 10")).parameters != scenario.parameters


def test_xavier_weights_have_the_variance_of_their_distribution():
    scenario = load_scenario(DIGITS)
    weights = [value for name, value in scenario.parameters if name.startswith("w_1_")]
    assert len(weights) == 784 * 16
    bound = math.sqrt(6 / (784 + 16))
    mean = math.fsum(weights) / len(weights)
    variance = math.fsum((w - mean) ** 2 for w in weights) / len(weights)
    assert abs(mean) < 0.05 * bound  # U(−a, a): mean 0, variance a²/3; 12,544 draws
    assert variance == pytest.approx(bound**2 / 3, rel=0.05)
    assert all(value == 0 for name, value in scenario.parameters if name.startswith("b_"))


def test_decimals_inputs_and_one_hot_targets():
    text = scenario_text(init="{scheme: uniform, seed: 3, decimals: 2}", inputs="{generate: uniform, seed: 5, range: [-1, 1]}",
                         targets="{one_hot: 1}")
    scenario = compact(text)
    assert all(round(value, 2) == value for _, value in scenario.parameters)
    generator = random.Random(5)
    assert [value for _, value in scenario.inputs] == [generator.uniform(-1, 1) for _ in range(3)]
    assert scenario.targets == (("2_1", 1.0), ("2_2", 0.0))


def test_parameters_override_what_was_drawn():
    scenario = compact(scenario_text() + "parameters: {w_2_1_3: 0.25, b_1_4: -1}\n")
    values = dict(scenario.parameters)
    assert (values["w_2_1_3"], values["b_1_4"]) == (0.25, -1.0)
    assert values["w_1_1_1"] == dict(compact(scenario_text()).parameters)["w_1_1_1"]


@pytest.mark.parametrize(
    ("changes", "where", "words"),
    [
        ({"shape": "[3]"}, "net.yaml:2:8 [shape]", "2 to 17 layer sizes"),
        ({"shape": "[3, 0, 2]"}, "net.yaml:2:12 [shape[1]]", "from 1 to 4096"),
        ({"shape": "[4096, 4096, 2]"}, "net.yaml:2:8 [shape]", "16789506 parameters; at most 200000"),
        ({"activation": "[sigmoid]"}, "net.yaml:3:13 [activation]", "a list of 2"),
        ({"activation": "sigmod"}, "net.yaml:3:13 [activation]", "did you mean 'sigmoid'"),
        ({"init": "{scheme: xavier, seed: 1, range: 2}"}, "net.yaml:4:40 [init.range]", "uniform scheme only"),
        ({"init": "{scheme: normal, seed: 1}"}, "net.yaml:4:16 [init.scheme]", "uniform, xavier, he"),
        ({"init": "{scheme: he, seed: -1}"}, "net.yaml:4:26 [init.seed]", "whole number"),
        ({"init": "3"}, "net.yaml:4:7 [init]", "expected a mapping {scheme: uniform, xavier or he"),
        ({"init": ""}, "net.yaml:1:1 [init]", "no value for 'w_1_1_1' (26 parameters"),
        ({"inputs": "[1, 2]"}, "net.yaml:5:9 [inputs]", "expected 3 inputs, got 2"),
        ({"targets": "{one_hot: 3}"}, "net.yaml:6:20 [targets.one_hot]", "from 1 to 2"),
        ({"notation": "in_out"}, "net.yaml:9:1 [notation]", "unknown key 'notation'"),
    ],
)
def test_bad_compact_scenarios_say_where(changes, where, words):
    with pytest.raises(ScenarioError) as raised:
        compact(scenario_text(**changes))
    shown = str(raised.value)
    assert shown.startswith(where), shown
    assert words in shown, shown


def test_an_unknown_parameter_name_is_refused():
    with pytest.raises(ScenarioError, match=r"net.yaml:9:14 \[parameters.w_3_1_1\]: 'w_3_1_1' is not a parameter"):
        compact(scenario_text() + "parameters: {w_3_1_1: 1}\n")


def test_a_bad_compact_file_exits_3_in_both_languages(tmp_path):
    path = tmp_path / "net.yaml"
    path.write_text(scenario_text(inputs="[1, 2]"), encoding="utf-8")
    for lang, words in (("en", "expected 3 inputs, got 2"), ("zh", "应有 3 个输入，实际 2 个")):
        result = CliRunner().invoke(app, ["run", str(path), "--lang", lang], env=ENVIRONMENT)
        assert result.exit_code == 3
        assert words in result.output


# ── names ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("w^(2)_{3,5}", "w_2_3_5"), ("w^(2)_3,5", "w_2_3_5"), ("w(2)_3,5", "w_2_3_5"), ("w2_3_5", "w_2_3_5"),
        ("w_2_3_5", "w_2_3_5"), ("w^{(2)}_{3,5}", "w_2_3_5"), ("w^(12)_{13,15}", "w_12_13_15"),
        ("b^(1)_4", "b_1_4"), ("b1_4", "b_1_4"), ("delta^(2)_3", "δ_2_3"), ("d2_3", "δ_2_3"), ("δ(2)_3", "δ_2_3"),
        ("a^(0)_7", "a_0_7"), ("z(3)_1", "z_3_1"),
        ("w5", None), ("in_h1", None), ("w2_3", None), ("b_1_2_3", None), ("w^(2)_{3}", None),
    ],
)
def test_typed_spellings(typed, name):
    assert canonical(typed) == name
    if name is not None:
        assert canonical(printed(name)) == name


def test_layered_names_print_as_the_bp_equations():
    assert printed("w_2_3_5") == "w^(2)_{3,5}"
    assert printed("b_2_3") == "b^(2)_3"
    assert name_latex("w_2_3_5") == "w^{(2)}_{3,5}"
    assert name_latex("δ_1_4") == "\\delta^{(1)}_{4}"
    assert name_latex("w_2_3_5′") == "{w^{(2)}_{3,5}}^{\\prime}"
    assert name_mathml("a_0_7") == (
        "<msubsup><mi>a</mi><mrow><mn>7</mn></mrow><mrow><mo>(</mo><mn>0</mn><mo>)</mo></mrow></msubsup>"
    )
    # other names print as before
    assert name_latex("in_h1") == "\\mathrm{in}_{h1}"
    assert name_latex("w5") == "w_{5}"
    assert name_latex("w1_2") == "w1_{2}"


# ── a 784-16-16-10 network ────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def digits():
    scenario = load_scenario(DIGITS)
    return scenario, run(scenario)


@pytest.fixture(scope="module")
def digits_autograd(digits):
    """HIPS autograd's gradients of the digits network, computed once for the tests that read them."""
    return autograd_gradients(digits[0])


@pytest.mark.slow  # the 13,002-parameter digits network
def test_digits_gradients_agree_with_autodiff(digits, digits_autograd):
    _, traced = digits
    expected = digits_autograd
    gradients = traced.first.gradients
    assert len(gradients) == 13_002
    for name in ("w_1_3_300", "w_1_16_406", "b_1_7", "w_2_5_9", "b_2_16", "w_3_3_11", "b_3_10"):
        assert gradients[name] == pytest.approx(expected[name], rel=1e-12, abs=1e-15)
    worst = max(abs(gradients[name] - expected[name]) for name in expected)
    assert worst < 1e-14


@pytest.mark.slow  # the 13,002-parameter digits network
def test_digits_explain_of_a_first_layer_weight_agrees_with_the_trace(digits):
    scenario, traced = digits
    explanation = explain(scenario, "w^(1)_{3,300}")
    assert explanation.paths == ()  # 160 paths: the δ form only
    assert float(explanation.gradient) == pytest.approx(traced.first.gradients["w_1_3_300"], rel=1e-12)
    (term,) = explanation.delta_terms
    assert term.local_name == "a_0_300"


@pytest.mark.slow  # the 13,002-parameter digits network
def test_summary_norms_are_the_norms(digits, digits_autograd):
    scenario, traced = digits
    deltas = autograd_neuron_gradients(scenario).delta
    values = dict(scenario.parameters)
    gradients = digits_autograd
    for index, layer in enumerate(layer_summaries(traced), start=1):
        weights = [name for name in values if name.startswith(f"w_{index}_")]
        biases = [name for name in values if name.startswith(f"b_{index}_")]
        assert layer.weight_norm == pytest.approx(math.sqrt(sum(values[w] ** 2 for w in weights)), rel=1e-12)
        assert layer.bias_norm == 0
        neurons = [name for name in deltas if name.startswith(f"{index}_")]
        assert layer.delta_norm == pytest.approx(math.sqrt(sum(deltas[n] ** 2 for n in neurons)), rel=1e-10)
        assert layer.weight_gradient_norm == pytest.approx(math.sqrt(sum(gradients[w] ** 2 for w in weights)), rel=1e-10)
        assert layer.bias_gradient_norm == pytest.approx(math.sqrt(sum(gradients[b] ** 2 for b in biases)), rel=1e-10)


def test_run_on_a_large_network_is_a_summary_unless_full_is_asked_for(monkeypatch):
    monkeypatch.chdir(ROOT)
    summary = CliRunner().invoke(app, ["run", "tests/data/compact_3_5_4_2.yaml", "--summary", "--top", "0"], env=ENVIRONMENT)
    assert summary.exit_code == 0
    assert "The 54 parameters with the largest |∂C/∂p| (of 54)" in summary.output
    full = CliRunner().invoke(app, ["run", "tests/data/compact_3_5_4_2.yaml"], env=ENVIRONMENT)
    assert "Forward pass" in full.output and "Per layer" not in full.output
    both = CliRunner().invoke(app, ["run", "two_two_two", "--full", "--summary"], env=ENVIRONMENT)
    assert both.exit_code == 2
    assert "--full and --summary cannot be used together" in both.output


# ── sensitivity ───────────────────────────────────────────────────────────────


def test_sensitivity_ranks_by_the_oracles_gradients():
    result = CliRunner().invoke(app, ["sensitivity", "two_two_two", "--top", "0", "--format", "json"], env=ENVIRONMENT)
    assert result.exit_code == 0
    document = json.loads(result.output)
    expected = autograd_gradients(two_two_two())
    order = sorted(expected, key=lambda name: -abs(expected[name]))
    ranked = document["ranking"]
    assert [entry["parameter"] for entry in ranked] == order
    smallest = abs(expected[order[-1]])
    for index, entry in enumerate(ranked):
        assert entry["gradient"] == pytest.approx(expected[entry["parameter"]], rel=1e-12)
        if index + 1 < len(ranked):
            following = abs(expected[order[index + 1]])
            assert entry["ratio_to_next"] == pytest.approx(abs(expected[order[index]]) / following, rel=1e-12)
            assert entry["ratio_to_last"] == pytest.approx(abs(expected[order[index]]) / smallest, rel=1e-12)
        else:
            assert entry["ratio_to_next"] is None and entry["ratio_to_last"] is None


def test_sensitivity_says_how_many_times_more():
    expected = autograd_gradients(two_two_two())
    ratio = abs(expected["b3"]) / abs(expected["w8"])  # the first and the fifth by |gradient|
    result = CliRunner().invoke(app, ["sensitivity", "two_two_two", "--top", "5"], env=ENVIRONMENT)
    assert f"Here b3 matters {ratio:.2g}× more than w8" in result.output
    zh = CliRunner().invoke(app, ["sensitivity", "two_two_two", "--top", "5", "--lang", "zh"], env=ENVIRONMENT)
    assert f"在这里 b3 的影响是 w8 的 {ratio:.2g} 倍" in zh.output


def test_ranking_ties_keep_declaration_order_and_zero_gradients_have_no_ratio():
    scenario = compact(scenario_text(activation="relu", inputs="[0, 0, 0]", init="{scheme: he, seed: 1}"))
    ranked = ranking(run(scenario), None)
    zeros = [entry.parameter for entry in ranked if entry.gradient == 0]
    assert zeros == [name for name, _ in scenario.parameters if name in zeros]  # first-layer weights: inputs 0
    assert all(entry.ratio_to_next is None for entry in ranked if entry.gradient == 0)


# ── golden output ─────────────────────────────────────────────────────────────

CASES = {
    "summary_3_5_4_2": ["run", "tests/data/compact_3_5_4_2.yaml", "--summary", "--top", "5"],
    "summary_3_5_4_2_zh": ["run", "tests/data/compact_3_5_4_2.yaml", "--summary", "--lang", "zh"],
    "sensitivity_3_5_4_2": ["sensitivity", "tests/data/compact_3_5_4_2.yaml", "--top", "8"],
    "sensitivity_3_5_4_2_ascii": ["sensitivity", "tests/data/compact_3_5_4_2.yaml", "--top", "3", "--ascii"],
    "explain_compact_w_2_3_1": ["explain", "w^(2)_{3,1}", "-s", "tests/data/compact_3_5_4_2.yaml"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_large_network_views(case, request, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, CASES[case], env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    path = GOLDEN / f"{case}.txt"
    if request.config.getoption("--update-golden"):
        path.write_text(result.output, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest with --update-golden and review it"
    assert result.output == path.read_text(encoding="utf-8")
    if case.endswith("ascii"):
        assert result.output.isascii()


# ── explain on a large network: the traced step is skipped only when it surely stays finite ──


LARGE_TEXT = scenario_text(shape="[40, 30, 10]", inputs="{generate: uniform, seed: 3}", targets="{one_hot: 2}")


def test_the_check_on_arrays_bounds_every_number_of_the_step():
    from bptutor.train import vectorised

    scenario = compact(LARGE_TEXT)
    assert len(scenario.parameters) == 1540 and vectorised.surely_finite(scenario)
    traced = run(scenario).steps[0]
    largest = max(abs(step.value) for step in (*traced.forward, *traced.backward))
    assert largest > 0.5  # the outputs: sigmoid of something
    huge = compact(scenario_text(shape="[40, 30, 10]", inputs="{generate: uniform, seed: 3}", targets="{one_hot: 2}",
                                 activation="linear", init="{scheme: uniform, seed: 1, range: 1000000}"))
    traced = run(huge).steps[0]
    largest = max(abs(step.value) for step in (*traced.forward, *traced.backward))
    assert largest > 1e15  # products of weights of 1e6: past the bound once it is 1e15
    original = vectorised.SAFE_MAGNITUDE
    try:
        vectorised.SAFE_MAGNITUDE = 1e15
        assert not vectorised.surely_finite(huge) and vectorised.surely_finite(scenario)
    finally:
        vectorised.SAFE_MAGNITUDE = original


def test_explain_skips_the_traced_step_only_for_a_large_network_surely_finite(tmp_path, monkeypatch):
    import bptutor.core.trace as trace
    from bptutor.train import vectorised

    path = tmp_path / "large.yaml"
    path.write_text(LARGE_TEXT, encoding="utf-8")
    calls = []
    real_run = trace.run

    def spy(*arguments, **keywords):
        calls.append(1)
        return real_run(*arguments, **keywords)

    monkeypatch.setattr(trace, "run", spy)
    shown = CliRunner().invoke(app, ["explain", "w_1_3_7", "-s", str(path)], env=ENVIRONMENT)
    assert shown.exit_code == 0 and not calls
    monkeypatch.setattr(vectorised, "SAFE_MAGNITUDE", 1e-3)  # nothing is surely finite: the trace decides
    again = CliRunner().invoke(app, ["explain", "w_1_3_7", "-s", str(path)], env=ENVIRONMENT)
    assert again.exit_code == 0 and calls and again.output == shown.output
    calls.clear()
    CliRunner().invoke(app, ["explain", "w5"], env=ENVIRONMENT)
    assert calls  # a small network is always traced first


# ── large tables: measured from their text, stacked lines written as they are ──


@pytest.mark.slow  # a second or more: the quick loop leaves it out
def test_run_full_on_the_digits_network_fits_80_columns_without_cutting_a_number():
    scenario = load_scenario(DIGITS)
    z = next(step.value for step in run(scenario).steps[0].forward if step.quantity == "z_1_1")
    environment = {**ENVIRONMENT, "COLUMNS": "80"}
    result = CliRunner().invoke(app, ["run", str(DIGITS), "--full", "--digits", "6"], env=environment)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80 and "\ufffd" not in result.output
    assert any(line.startswith("z_1_1 = w_1_1_1·a_0_1 + w_1_1_2·a_0_2") for line in lines)
    assert any(line.endswith(f"= {z:.6g}".replace("-", "−")) for line in lines)


def test_show_writes_a_large_stacked_table_as_rich_would_print_it(capsys, monkeypatch):
    from rich.console import Group
    from rich.text import Text

    from bptutor.cli.support import show
    from bptutor.render import fit
    from bptutor.render.style import Style, make_table
    from bptutor.render.terminal import terminal_console

    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("NO_COLOR", "1")
    rows = [(f"z_{i}", " + ".join(f"w_{i}_{k}·a_{k}" for k in range(1, 9)), "0.25 × 1 + 0.5", f"{i / 7:.6f}")
            for i in range(1, 1201)]
    table = make_table(Style(), ["quantity", "formula", "with numbers", "value"], rows, "equation")
    assert table.large and table.large_and_stacked(terminal_console())
    show(Group(Text("Forward pass"), table))
    fast = capsys.readouterr().out
    monkeypatch.setattr(fit.FittedTable, "large", False)  # rich measures and prints it
    show(Group(Text("Forward pass"), table))
    assert fast == capsys.readouterr().out
    assert "z_1200 = w_1200_1·a_1 + w_1200_2·a_2" in fast


def test_a_large_table_that_fits_is_laid_out_as_rich_lays_it_out():
    import io

    from rich.console import Console

    from bptutor.render.style import Style, make_table

    rows = [(f"w_{i}′", f"w_{i} − η·∂C/∂w_{i}", f"0.{i} − 0.5 × {i / 3:.4f}", f"−{i / 7:.6f}") for i in range(1, 1300)]
    rows[5] = ("参数", "w − η·g", "x", "1")  # two terminal cells per character
    table = make_table(Style(), ["parameter", "rule", "with numbers", "new value"], rows, "equation")
    console = Console(file=io.StringIO(), width=120, color_system=None)
    assert table.large and not table.large_and_stacked(console)
    with console.capture() as captured:
        console.print(table)
    assert table.aligned_lines(console) == [line.rstrip() for line in captured.get().rstrip("\n").split("\n")]
    assert table.large_and_stacked(Console(file=io.StringIO(), width=60, color_system=None))
