"""`bptutor train`, `run` on training scenarios, and the loader's training sections: output, errors, exit codes."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.errors import ScenarioError
from bptutor.loading.scenario import load_scenario, load_scenario_text

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}

NETWORK = """\
layers:
  - name: out
    activation: {activation}
    neurons:
      a: {{bias: b1, weights: {{x1: w1, x2: w2}}}}
      b: {{bias: b2, weights: {{x1: w3, x2: w4}}}}
parameters: {{w1: 0.1, w2: 0.2, w3: 0.3, w4: 0.4, b1: 0, b2: 0}}
learning_rate: 0.1
"""


def invoke(*arguments: str):
    return CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)


def scenario(tmp_path: Path, body: str, activation: str = "softmax", loss: str = "cross_entropy") -> Path:
    path = tmp_path / "s.yaml"
    path.write_text("name: s\n" + textwrap.dedent(body) + f"loss: {loss}\n" + NETWORK.format(activation=activation), encoding="utf-8")
    return path


def test_train_json_reports_the_losses_accuracy_and_parameters(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke("train", "xor", "--format", "json", "--epochs", "50")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["epochs"] == 50 and document["steps"] == 50 and len(document["losses"]) == 51
    assert document["losses"][-1] < document["losses"][0]
    assert set(document["parameters"]) == {"w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"}
    assert 0 <= document["accuracy"] <= 1


@pytest.mark.external
def test_train_plot_writes_a_png(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib", reason="--plot needs matplotlib (pip install matplotlib)")
    monkeypatch.chdir(ROOT)
    target = tmp_path / "curve.png"
    result = invoke("train", "xor", "--epochs", "20", "--plot", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_train_plot_without_matplotlib_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = invoke("train", "xor", "--epochs", "2", "--plot", str(tmp_path / "x.png"))
    assert result.exit_code == 5
    assert "matplotlib" in result.output and "Traceback" not in result.output


def test_train_refuses_steps_and_epochs_together(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke("train", "xor", "--steps", "3", "--epochs", "2")
    assert result.exit_code == 2
    assert "--steps or --epochs" in result.output


def test_a_diverging_training_exits_4(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent("""\
        name: d
        samples:
          - {inputs: {x: 1000}, targets: {o: 1}}
        layers:
          - {name: out, activation: linear, neurons: {o: {weights: {x: w}}}}
        parameters: {w: 1}
        loss: sse
        learning_rate: 100
        """), encoding="utf-8")
    result = invoke("train", str(path), "--steps", "50")
    assert result.exit_code == 4, result.output
    assert "d.yaml" in result.output


@pytest.mark.parametrize("command", [["explain", "w1", "-s", "spiral"], ["solve", "spiral"], ["quiz", "spiral"]])
def test_commands_that_work_by_hand_refuse_a_batch_too_large_to_work_by_hand(command, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(*command)
    assert result.exit_code == 2
    assert "has 20 samples" in result.output and "bptutor run traces every sample" in result.output


@pytest.mark.parametrize("command", [["explain", "b3", "-s", "xor"], ["solve", "xor", "--answers-only"]])
def test_commands_that_work_by_hand_work_one_step_of_a_bce_adam_batch(command, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(*command)
    assert result.exit_code == 0, result.output
    assert "Sample 4 of 4" in result.output


def test_run_json_on_a_batch_scenario(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke("run", "xor", "--format", "json", "--steps", "3")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["steps"]) == 3


def test_the_chinese_training_output(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke("train", "xor", "--epochs", "5", "--lang", "zh")
    assert result.exit_code == 0
    assert "每轮的损失" in result.output and "准确率" in result.output


# ── the loader's training sections ────────────────────────────────────────────


def refusal(text: str) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "t.yaml")
    return str(caught.value)


def test_bce_needs_a_sigmoid_output_and_says_where():
    text = "name: s\ninputs: {x1: 1, x2: 2}\ntargets: {a: 1, b: 0}\nloss: bce\n" + NETWORK.format(activation="tanh")
    assert refusal(text) == "t.yaml:4:7 [loss]: the bce loss needs a sigmoid output layer"


def test_cross_entropy_targets_must_sum_to_one():
    text = "name: s\ninputs: {x1: 1, x2: 2}\ntargets: {a: 0.5, b: 0.6}\nloss: cross_entropy\n" + NETWORK.format(activation="softmax")
    assert "must sum to 1" in refusal(text)


def test_samples_and_inputs_together_are_refused():
    text = "name: s\nsamples: [{inputs: {x1: 1, x2: 2}, targets: {a: 1, b: 0}}]\ninputs: {x1: 1, x2: 2}\nloss: cross_entropy\n"
    assert "either samples or inputs" in refusal(text + NETWORK.format(activation="softmax"))


def test_softmax_refuses_bce_and_takes_a_loss_without_an_activation_of_its_own():
    text = "name: s\ninputs: {x1: 1, x2: 2}\ntargets: {a: 1, b: 0}\nloss: bce\n" + NETWORK.format(activation="softmax")
    assert "softmax output layer takes cross_entropy" in refusal(text)
    for loss in ("mse", "mae", "rmse"):
        text = f"name: s\ninputs: {{x1: 1, x2: 2}}\ntargets: {{a: 1, b: 0}}\nloss: {loss}\n" + NETWORK.format(activation="softmax")
        assert load_scenario_text(text, "t.yaml").loss == loss


def test_training_and_optimizer_sections_are_read():
    text = (
        "name: s\nsamples: {generate: gaussians, count: 10, noise: 0.1, seed: 3}\nloss: cross_entropy\n"
        "training: {epochs: 4, batch_size: 3, shuffle: false, seed: 2, reduction: sum}\n"
        "optimizer: {name: momentum, beta: 0.5}\nweight_decay: 0.001\n" + NETWORK.format(activation="softmax")
    )
    loaded = load_scenario_text(text, "t.yaml")
    assert len(loaded.samples) == 10 and loaded.samples.targets[0] in ((1.0, 0.0), (0.0, 1.0))
    assert (loaded.training.epochs, loaded.training.batch_size, loaded.training.shuffle, loaded.training.reduction) == (4, 3, False, "sum")
    assert (loaded.optimizer.name, loaded.optimizer.beta, loaded.optimizer.weight_decay) == ("momentum", 0.5, 0.001)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("training: {steps: 3, epochs: 2}", "give steps or epochs, not both"),
        ("training: {batch_size: 0}", "expected a whole number from 1"),
        ("optimizer: {name: adam, beta1: 1.5}", "beta1 must be at least 0 and below 1"),
        ("optimizer: rmsprop", "expected an optimizer: one of sgd, momentum, adam"),
        ("weight_decay: -1", "expected a number ≥ 0"),
    ],
)
def test_bad_training_sections_name_their_field(section, message):
    text = "name: s\ninputs: {x1: 1, x2: 2}\ntargets: {a: 1, b: 0}\nloss: cross_entropy\n" + section + "\n"
    assert message in refusal(text + NETWORK.format(activation="softmax"))


def test_csv_samples_are_read_relative_to_the_scenario(tmp_path):
    (tmp_path / "data.csv").write_text("x1,x2,a,b\n0.5,1,1,0\n-1,2,0,1\n", encoding="utf-8")
    loaded = load_scenario(scenario(tmp_path, "samples: data.csv\n"))
    assert [name for name, _ in loaded.inputs] == ["x1", "x2"]
    assert loaded.samples.inputs == ((0.5, 1.0), (-1.0, 2.0)) and loaded.samples.targets == ((1.0, 0.0), (0.0, 1.0))


def test_a_bad_csv_cell_names_the_file_line_and_column(tmp_path):
    (tmp_path / "data.csv").write_text("x1,x2,a,b\n0.5,1,1,0\n-1,oops,0,1\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(scenario(tmp_path, "samples: data.csv\n"))
    assert "data.csv line 3, column x2: expected a number" in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "s.yaml") + ":2:10 [samples]")


def test_a_generated_set_needs_one_or_two_outputs():
    text = "name: s\nsamples: {generate: xor, count: 4}\nloss: mse\n" + textwrap.dedent("""\
        layers:
          - {name: out, activation: sigmoid, neurons: {a: {weights: {x1: w1}}, b: {weights: {x1: w2}}, c: {weights: {x2: w3}}}}
        parameters: {w1: 1, w2: 1, w3: 1}
        learning_rate: 0.1
        """)
    assert "give the output layer 1 neuron (sigmoid) or 2 (softmax), not 3" in refusal(text)


def test_rounding_is_refused_with_training():
    text = "name: s\ninputs: {x1: 1, x2: 2}\ntargets: {a: 1, b: 0}\nloss: mse\noptimizer: adam\nrounding: {activations: 2}\n"
    assert "rounding is for a hand calculation" in refusal(text + NETWORK.format(activation="sigmoid"))


def test_updated_hidden_weights_are_refused_for_training(tmp_path):
    text = "name: s\ninputs: {x1: 1, x2: 2}\ntargets: {a: 1, b: 0}\nloss: mse\nhidden_error_weights: updated\n"
    assert "not a gradient" in refusal(text + "optimizer: adam\n" + NETWORK.format(activation="sigmoid"))
    path = tmp_path / "u.yaml"
    path.write_text(text + NETWORK.format(activation="sigmoid"), encoding="utf-8")
    result = invoke("train", str(path), "--steps", "2")
    assert result.exit_code == 3 and "not a gradient" in result.output
