"""The matrix form (`--form matrix`): every entry of every layer's matrices held against the scalar trace and
against a NumPy forward and backward pass written here, from the scenario's numbers alone.

The NumPy pass is the textbook's: Z = W A + b, A = f(Z) with the samples as columns;
Δ^(L) from the loss's gradient (fused a − y for cross-entropy on softmax and binary
cross-entropy on sigmoid, the softmax Jacobian otherwise), Δ^(l) = (W^(l+1)ᵀ Δ^(l+1)) ⊙ f′(Z^(l)),
∂E/∂W = s·Δ A^(l−1)ᵀ and ∂E/∂b = s·Δ 1 with s = 1/m for a mean over the batch.
"""

from __future__ import annotations

import re
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from bptutor.api import load
from bptutor.cli.app import app
from bptutor.core.trace import run
from bptutor.derive.matrix import LayerName, layer_name, matrix_form
from bptutor.errors import UsageError
from bptutor.loading.scenario import scenario_from_data
from bptutor.render.matrix import grid
from bptutor.render.style import Style
from tests.training_helpers import random_network

ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}


def _activate(name: str, z: np.ndarray, slope: float) -> tuple[np.ndarray, np.ndarray | None]:
    """(a, f′(z)) of a layer; f′ is None for softmax (its Jacobian is taken per sample)."""
    if name == "sigmoid":
        a = 1 / (1 + np.exp(-z))
        return a, a * (1 - a)
    if name == "tanh":
        a = np.tanh(z)
        return a, 1 - a * a
    if name == "relu":
        return np.maximum(z, 0), (z > 0).astype(float)
    if name == "leaky_relu":
        return np.where(z > 0, z, slope * z), np.where(z > 0, 1.0, slope)
    if name == "linear":
        return z.copy(), np.ones_like(z)
    assert name == "softmax"
    shifted = np.exp(z - z.max(axis=0))
    return shifted / shifted.sum(axis=0), None


def _loss_gradient(loss: str, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂E/∂a of each sample (columns), for the losses that are not fused with their activation."""
    n = a.shape[0]
    gradients = {
        "half_sse": a - y,
        "sse": 2 * (a - y),
        "mse": 2 * (a - y) / n,
        "mae": np.sign(a - y) / n,
    }
    return gradients[loss]


def numpy_pass(scenario) -> dict[str, list[np.ndarray]]:
    """W, b, Z, A, Δ, ∂E/∂W, ∂E/∂b of every layer, computed from the scenario alone."""
    inputs = [name for name, _ in scenario.inputs]
    if scenario.samples is None:
        x = np.array([[value] for _, value in scenario.inputs])
        y = np.array([[value] for _, value in scenario.targets])
    else:
        x = np.array(scenario.samples.inputs, dtype=float).T
        y = np.array(scenario.samples.targets, dtype=float).T
    m = x.shape[1]
    reduction = scenario.training.reduction if scenario.training is not None else "mean"
    scale = 1 / m if reduction == "mean" else 1.0
    values = dict(scenario.parameters)
    out: dict[str, list[np.ndarray]] = {key: [] for key in ("W", "b", "Z", "A", "slope", "D", "dW", "db")}
    below, a = inputs, x
    activations = []
    for layer in scenario.layers:
        w = np.array([[values[dict(n.weights)[s]] for s in below] for n in layer.neurons])
        b = np.array([values[n.bias] for n in layer.neurons])
        z = w @ a + b[:, None]
        a, slope = _activate(layer.activation, z, layer.slope)
        out["W"].append(w)
        out["b"].append(b)
        out["Z"].append(z)
        out["A"].append(a)
        out["slope"].append(slope)
        activations.append(layer.activation)
        below = [n.name for n in layer.neurons]
    last = activations[-1]
    a_out = out["A"][-1]
    if scenario.loss == "cross_entropy" and last == "softmax":
        delta = a_out - y
    elif scenario.loss == "bce" and last == "sigmoid":
        delta = (a_out - y) / a_out.shape[0]
    elif last == "softmax":
        gradient = _loss_gradient(scenario.loss, a_out, y)
        columns = []
        for i in range(m):
            p = a_out[:, i]
            jacobian = np.diag(p) - np.outer(p, p)
            columns.append(jacobian.T @ gradient[:, i])
        delta = np.array(columns).T
    else:
        delta = _loss_gradient(scenario.loss, a_out, y) * out["slope"][-1]
    deltas = [delta]
    for index in range(len(scenario.layers) - 2, -1, -1):
        delta = (out["W"][index + 1].T @ delta) * out["slope"][index]
        deltas.insert(0, delta)
    out["D"] = deltas
    for index, delta in enumerate(deltas):
        previous = x if index == 0 else out["A"][index - 1]
        out["dW"].append(scale * delta @ previous.T)
        out["db"].append(scale * delta.sum(axis=1))
    return out


def _close(matrix, expected: np.ndarray) -> None:
    got = np.array(matrix, dtype=float)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-14)


SCENARIOS = {
    "two_two_two": lambda: load("two_two_two"),
    "one_one_one": lambda: load("one_one_one"),
    "xor_batch_bce": lambda: load("xor"),
    "batch_softmax_cross_entropy": lambda: scenario_from_data(random_network(3, "cross_entropy", samples=4)[0]),
    "batch_half_sse_sum": lambda: scenario_from_data(
        random_network(5, "half_sse", samples=3, training={"reduction": "sum", "batch_size": "all"})[0]
    ),
    "batch_mse": lambda: scenario_from_data(random_network(7, "mse", samples=5)[0]),
    "batch_bce": lambda: scenario_from_data(random_network(11, "bce", samples=2)[0]),
    "one_example_random": lambda: scenario_from_data(
        {key: value for key, value in random_network(13, "sse", samples=1)[0].items() if key != "samples"}
        | {"inputs": random_network(13, "sse", samples=1)[0]["samples"][0]["inputs"],
           "targets": random_network(13, "sse", samples=1)[0]["samples"][0]["targets"]}
    ),
}


@pytest.mark.parametrize("case", sorted(SCENARIOS))
def test_every_entry_against_numpy(case: str) -> None:
    scenario = SCENARIOS[case]()
    form = matrix_form(run(scenario))
    expected = numpy_pass(scenario)
    for index, layer in enumerate(form.layers):
        assert (layer.size, layer.fan_in) == expected["W"][index].shape  # W^(l) is n_l × n_(l−1)
        _close(layer.weights, expected["W"][index])
        _close([[b] for b in layer.biases], expected["b"][index][:, None])
        _close(layer.z, expected["Z"][index])
        _close(layer.a, expected["A"][index])
        _close(layer.delta, expected["D"][index])
        _close(layer.weight_gradient, expected["dW"][index])
        _close([[g] for g in layer.bias_gradient], expected["db"][index][:, None])
        if layer.slope is not None:
            _close(layer.slope, expected["slope"][index])
    assert form.m == (len(scenario.samples) if scenario.samples is not None else 1)


@pytest.mark.parametrize("case", sorted(SCENARIOS))
def test_every_entry_is_the_scalar_traces_number(case: str) -> None:
    """Each entry is the very number the scalar form prints: per sample, and the batch gradient of each parameter."""
    scenario = SCENARIOS[case]()
    traced = run(scenario)
    step = traced.first
    form = matrix_form(traced)
    passes = step.samples or ()
    notation = scenario.notation
    for layer in form.layers:
        for j, neuron in enumerate(layer.neurons):
            for column in range(form.m):
                forward = passes[column].forward if passes else step.forward
                backward = passes[column].backward if passes else step.backward
                values = {s.quantity: s.value for s in forward}
                grads = {s.quantity: s.value for s in backward}
                assert layer.z[j][column] == values[notation.pre(neuron)]
                assert layer.a[j][column] == values[notation.act(neuron)]
                assert layer.delta[j][column] == grads[notation.pre(neuron)]
            for k, parameter in enumerate(layer.weight_names[j]):
                assert layer.weights[j][k] == dict(scenario.parameters)[parameter]
                assert layer.weight_gradient[j][k] == step.gradients[parameter]
            assert layer.bias_gradient[j] == step.gradients[layer.bias_names[j]]


def test_two_two_two_matrices_by_hand() -> None:
    """The notes' 2-2-2 example: W^(2) = [[w5, w6], [w7, w8]], δ^(1) = (W^(2)ᵀ δ^(2)) ⊙ σ′(z^(1)) recomputed here."""
    form = matrix_form(run(load("two_two_two")))
    hidden, output = form.layers
    assert output.weights == ((0.5, 0.6), (0.7, 0.8))
    assert output.weight_names == (("w5", "w6"), ("w7", "w8"))
    d1, d2 = output.delta[0][0], output.delta[1][0]
    # W where Wᵀ belongs would give 0.5·δ_o1 + 0.6·δ_o2 for h1; the transpose gives 0.5·δ_o1 + 0.7·δ_o2
    assert hidden.upstream is not None
    assert hidden.upstream[0][0] == pytest.approx(0.5 * d1 + 0.7 * d2, rel=1e-15)
    assert hidden.upstream[0][0] != pytest.approx(0.5 * d1 + 0.6 * d2, rel=1e-6)
    assert output.weight_gradient[0][1] == pytest.approx(d1 * hidden.a[1][0], rel=1e-15)  # ∂E/∂w6 = δ_o1·out_h2


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("W2", LayerName("W", 2)), ("W^(2)", LayerName("W", 2)), ("W^{(2)}", LayerName("W", 2)),
        ("W(1)", LayerName("W", 1)), ("dW^(2)", LayerName("dW", 2)), ("dW2", LayerName("dW", 2)),
        ("∂E/∂W^(1)", LayerName("dW", 1)), ("delta^(2)", LayerName("δ", 2)), ("δ2", LayerName("δ", 2)),
        ("delta2", LayerName("δ", 2)), ("dz^(1)", LayerName("δ", 1)), ("Δ^(2)", LayerName("δ", 2)),
        ("db^(1)", LayerName("db", 1)), ("db1", LayerName("db", 1)), (" W^( 2 ) ", LayerName("W", 2)),
    ],
)
def test_layer_names_people_write(typed: str, meant: LayerName) -> None:
    assert layer_name(typed) == meant


@pytest.mark.parametrize("typed", ["w5", "b1", "δ_o1", "delta_h1", "W", "Wx", "out_h1", "E_total"])
def test_scalar_names_are_not_layer_names(typed: str) -> None:
    assert layer_name(typed) is None


def test_grid_aligns_on_the_decimal_point_with_true_minus() -> None:
    lines = grid(Style(), ((0.5, -12.25), (10.125, 3.5)))
    points = {line.index(".", 1) for line in lines}  # first column's point
    assert len(points) == 1
    assert "\u2212" in lines[0] and "-" not in "".join(lines)
    ascii_lines = grid(Style(ascii=True), ((0.5, -12.25), (10.125, 3.5)))
    assert ascii_lines[0].startswith("[") and "-12.25" in ascii_lines[0] and "\u2212" not in "".join(ascii_lines)
    second = [line.rindex(".") for line in lines]
    assert len(set(second)) == 1


def _invoke(arguments: list[str], columns: int = 120) -> tuple[int, str]:
    environment = dict(ENVIRONMENT, COLUMNS=str(columns))
    result = CliRunner().invoke(app, arguments, env=environment)
    return result.exit_code, result.output


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("arguments", [["run", "two_two_two"], ["run", "xor", "--digits", "6"],
                                       ["explain", "dW^(1)"], ["explain", "delta^(2)", "--lang", "zh"]])
def test_matrix_output_fits_and_shows_every_entry(arguments: list[str], columns: int) -> None:
    code, text = _invoke([*arguments, "--form", "matrix"], columns)
    assert code == 0, text
    assert all(len(line) <= columns or re.search(r"[\u4e00-\u9fff]", line) for line in text.splitlines())
    assert not re.search(r"(?<![\w.)\]e])-\d", text)  # a negative number's sign is U+2212
    scenario = load("xor" if "xor" in arguments else "two_two_two")
    form = matrix_form(run(scenario))
    style = Style(digits=6 if "xor" in arguments else 10)
    layers = form.layers[1:] if "delta^(2)" in arguments else form.layers  # explain δ^(2) needs no δ^(1)
    for layer in layers:
        for row in layer.delta:
            for value in row:
                assert style.number(value) in text


def test_scalar_form_is_unchanged_by_default() -> None:
    assert _invoke(["run", "two_two_two"]) == _invoke(["run", "two_two_two", "--form", "scalar"])


def test_explain_layer_name_errors() -> None:
    code, text = _invoke(["explain", "W3"])
    assert code == 2 and "W3" in text and "1 to 2" in text
    code, text = _invoke(["explain", "Wq", "--form", "matrix"])
    assert code == 2 and "W^(1)" in text and "Traceback" not in text
    code, text = _invoke(["explain", "w5", "--form", "matrix"])
    assert code == 0 and "∂E_total/∂W^(2)" in text


def test_ascii_spells_the_matrix_symbols() -> None:
    code, text = _invoke(["run", "two_two_two", "--form", "matrix", "--ascii"])
    assert code == 0
    assert text.isascii()
    assert "[-0.1509519717]" in text and ".*" in text and "^T" in text and "grad_a E_total" in text


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["run", "circuit", "--form", "matrix"], "no matrix form"),
        (["explain", "x", "-s", "max_fork", "--form", "matrix"], "no matrix form"),
        (["run", "examples/digits.yaml", "--form", "matrix"], "at most 400 parameters"),
    ],
)
def test_what_has_no_matrix_form_says_why(arguments: list[str], says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    code, text = _invoke(arguments)
    assert code == 2 and says in text and "Traceback" not in text


def test_a_batch_of_more_than_32_samples_is_refused() -> None:
    data, _ = random_network(17, "half_sse", samples=33)
    traced = run(scenario_from_data(data))
    with pytest.raises(UsageError):
        matrix_form(traced)


@pytest.mark.parametrize("loss", ["mse", "half_sse", "sse"])
def test_softmax_with_another_loss_goes_through_the_jacobian(loss: str) -> None:
    """δ^(L) = (J^(L))ᵀ ∇_a E for a softmax output whose loss is not cross-entropy, against NumPy's Jacobian."""
    from dataclasses import replace

    data, _ = random_network(3, "cross_entropy", samples=3)
    scenario = replace(scenario_from_data(data), loss=loss)
    try:
        traced = run(scenario)
    except UsageError:
        pytest.skip(f"the tracer does not trace a softmax output with {loss} yet")
    form = matrix_form(traced)
    expected = numpy_pass(scenario)
    assert form.layers[-1].rule == "jacobian"
    for index, layer in enumerate(form.layers):
        _close(layer.delta, expected["D"][index])
        _close(layer.weight_gradient, expected["dW"][index])


def test_a_fused_mean_loss_writes_its_division(tmp_path: Path) -> None:
    """Binary cross-entropy is the mean over the outputs: with 2 sigmoid outputs δ^(L) = (a − y)/2, said so."""
    source = tmp_path / "bce2.yaml"
    source.write_text(
        "name: bce2\ninputs: {x: 0.5}\ntargets: {o1: 1, o2: 0}\nlayers:\n  - name: out\n    activation: sigmoid\n"
        "    neurons:\n      o1: {bias: b1, weights: {x: w1}}\n      o2: {bias: b2, weights: {x: w2}}\n"
        "parameters: {w1: 0.1, w2: 0.2, b1: 0.0, b2: 0.1}\nloss: bce\nlearning_rate: 0.5\n",
        encoding="utf-8",
    )
    code, text = _invoke(["run", str(source), "--form", "matrix"])
    assert code == 0, text
    assert "(BP1) δ^(1) = (a^(1) − y)/n_1" in text and ")/2" in text
    form = matrix_form(run(load(str(source))))
    a, y = (0.1 * 0.5, 0.2 * 0.5 + 0.1), (1.0, 0.0)
    for j in range(2):
        expected = (1 / (1 + np.exp(-a[j])) - y[j]) / 2
        assert form.layers[0].delta[j][0] == pytest.approx(expected, rel=1e-13)


def test_bp2_with_the_updated_weights_shows_the_weights_it_used() -> None:
    """Under hidden_error_weights: updated, BP2 reads W^(2)′: the matrix shown times δ^(2) is the trace's ∂E/∂a^(1)."""
    from dataclasses import replace

    base = load("two_two_two")
    scenario = replace(base, conventions=replace(base.conventions, hidden_error_weights="updated"))
    traced = run(scenario)
    form = matrix_form(traced)
    hidden, output = form.layers
    new = traced.first.new_parameters
    assert output.error_weights == ((new["w5"], new["w6"]), (new["w7"], new["w8"]))
    shown = np.array(output.error_weights).T @ np.array(output.delta)
    _close(hidden.upstream, shown)
    code, text = _invoke(["run", "two_two_two", "--form", "matrix"])
    assert code == 0 and "(W^(2))ᵀ δ^(2)" in text and "W^(2)′)ᵀ" not in text


def test_a_shared_bias_sums_the_samples_under_reduction_sum() -> None:
    """A bias shared by two neurons has no single gradient entry: each entry of ∂E/∂b^(1) is Σ_s δ_j[s] under
    `reduction: sum` (not the mean). Linear layers and binary fractions, worked by hand here:
    h1 = ½x + b, h2 = ¼x + b (b = ¼), o = h1 + ½h2, E = ½(o − t)² per sample, δ_o = o − t, δ_hj = v_j·δ_o.
    """
    data = {
        "name": "shared_bias_sum",
        "samples": [{"inputs": {"x": 1}, "targets": {"o": 0}}, {"inputs": {"x": 2}, "targets": {"o": 1}}],
        "layers": [
            {"name": "hidden", "activation": "linear", "neurons": {
                "h1": {"bias": "b", "weights": {"x": "w1"}},
                "h2": {"bias": "b", "weights": {"x": "w2"}},
            }},
            {"name": "out", "activation": "linear", "neurons": {"o": {"bias": "c", "weights": {"h1": "v1", "h2": "v2"}}}},
        ],
        "parameters": {"w1": 0.5, "w2": 0.25, "b": 0.25, "v1": 1, "v2": 0.5, "c": 0},
        "loss": "half_sse",
        "learning_rate": 0.1,
        "training": {"reduction": "sum", "batch_size": "all"},
    }
    w1, w2, b, v1, v2 = F(1, 2), F(1, 4), F(1, 4), F(1), F(1, 2)
    entries = [F(0), F(0)]
    for x, t in ((F(1), F(0)), (F(2), F(1))):
        h1, h2 = w1 * x + b, w2 * x + b  # sample 1: 3/4, 1/2; sample 2: 5/4, 3/4
        delta_o = v1 * h1 + v2 * h2 - t  # sample 1: 1 − 0 = 1; sample 2: 13/8 − 1 = 5/8
        entries[0] += v1 * delta_o  # 1 + 5/8 = 13/8
        entries[1] += v2 * delta_o  # 1/2 + 5/16 = 13/16
    assert entries == [F(13, 8), F(13, 16)]
    traced = run(scenario_from_data(data))
    hidden, _ = matrix_form(traced).layers
    assert hidden.bias_names == ("b", "b")
    assert [F(value) for value in hidden.bias_gradient] == entries  # the mean would halve them: 13/16, 13/32
    assert F(traced.first.gradients["b"]) == sum(entries)  # ∂E/∂b = 39/16, the sum of the two entries
