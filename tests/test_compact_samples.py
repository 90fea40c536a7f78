"""Compact scenarios with training samples: `samples: data.npz` or `data.csv`, trained by `bptutor train`.

The expected parameters after training come from gradient descent written out
here in NumPy float64 on the arrays the test itself saved (not from bptutor's
trainer), so a sample read into the wrong row, column or class fails them.
"""

from __future__ import annotations

import io
import json
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.errors import EXIT_BAD_SCENARIO, ScenarioError
from bptutor.loading.scenario import load_scenario
from bptutor.train.loop import train

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}


def invoke(*arguments: str):
    return CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)


def write(tmp_path: Path, samples: str, shape: str = "[5, 3, 4]", activation: str = "[tanh, softmax]",
          loss: str = "cross_entropy", extra: str = "") -> Path:
    path = tmp_path / "net.yaml"
    path.write_text(textwrap.dedent(f"""\
        name: net
        shape: {shape}
        activation: {activation}
        init: {{scheme: uniform, seed: 4, range: 0.8}}
        samples: {samples}
        loss: {loss}
        learning_rate: 0.3
        training: {{epochs: 3, batch_size: all}}
        """) + extra, encoding="utf-8")
    return path


def data(count: int = 7, inputs: int = 5, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, size=(count, inputs)), rng.integers(0, 4, size=count)


def hand_descent(scenario, x: np.ndarray, t: np.ndarray, hidden: str, output: str, steps: int) -> dict[str, float]:
    """Full-batch gradient descent, mean reduction, written out: W_l (n_l × n_(l−1)), b_l, from the names."""
    shape = [x.shape[1]] + [len(layer.neurons) for layer in scenario.layers]
    values = dict(scenario.parameters)
    layers = range(1, len(shape))
    weights = [np.array([[values[f"w_{n}_{j}_{k}"] for k in range(1, shape[n - 1] + 1)] for j in range(1, shape[n] + 1)])
               for n in layers]
    biases = [np.array([values[f"b_{n}_{j}"] for j in range(1, shape[n] + 1)]) for n in layers]
    rate, m = 0.3, len(x)
    for _ in range(steps):
        activations = [x]
        for index, (w, b) in enumerate(zip(weights, biases, strict=True)):
            z = activations[-1] @ w.T + b
            if index < len(weights) - 1:
                a = np.tanh(z) if hidden == "tanh" else 1 / (1 + np.exp(-z))
            elif output == "softmax":
                e = np.exp(z - z.max(axis=1, keepdims=True))
                a = e / e.sum(axis=1, keepdims=True)
            else:
                a = 1 / (1 + np.exp(-z))
            activations.append(a)
        out = activations[-1]
        delta = (out - t) if output == "softmax" else (out - t) * out * (1 - out)  # cross-entropy | half_sse
        for index in range(len(weights) - 1, -1, -1):
            grad_w, grad_b = delta.T @ activations[index] / m, delta.mean(axis=0)
            if index:
                a = activations[index]
                derivative = 1 - a**2 if hidden == "tanh" else a * (1 - a)
                delta = (delta @ weights[index]) * derivative
            weights[index] = weights[index] - rate * grad_w
            biases[index] = biases[index] - rate * grad_b
    result = {}
    for n, (w, b) in enumerate(zip(weights, biases, strict=True), start=1):
        for j in range(w.shape[0]):
            result.update({f"w_{n}_{j + 1}_{k + 1}": float(w[j, k]) for k in range(w.shape[1])})
            result[f"b_{n}_{j + 1}"] = float(b[j])
    return result


def assert_close(actual: dict[str, float], expected: dict[str, float]) -> None:
    assert set(actual) == set(expected)
    for name, value in expected.items():
        assert actual[name] == pytest.approx(value, rel=1e-12, abs=1e-14), name


def test_npz_class_labels_train_as_one_hot_targets(tmp_path):
    x, labels = data()
    np.savez(tmp_path / "d.npz", inputs=x, targets=labels)
    scenario = load_scenario(write(tmp_path, "d.npz"))
    assert scenario.samples is not None and len(scenario.samples) == 7
    # label c is output c + 1: one-hot rows written out
    assert scenario.samples.targets[0] == tuple(1.0 if j == labels[0] else 0.0 for j in range(4))
    assert scenario.inputs == tuple((f"a_0_{k + 1}", float(x[0, k])) for k in range(5))
    result = train(scenario, path="vectorised")
    one_hot = np.eye(4)[labels]
    assert_close(result.final, hand_descent(scenario, x, one_hot, "tanh", "softmax", 3))


def test_npz_target_rows_and_images_read_row_by_row(tmp_path):
    rng = np.random.default_rng(5)
    images = rng.uniform(0, 1, size=(6, 2, 3)).astype(np.float32)  # 6 "images" of 2 × 3 pixels: 6 inputs
    targets = rng.uniform(0.1, 0.9, size=(6, 2))
    np.savez_compressed(tmp_path / "d.npz", inputs=images, targets=targets)
    path = write(tmp_path, "d.npz", shape="[6, 4, 2]", activation="sigmoid", loss="half_sse")
    scenario = load_scenario(path)
    flat = images.astype(np.float64).reshape(6, 6)
    assert scenario.samples.inputs[3] == tuple(flat[3].tolist())
    result = train(scenario, path="vectorised")
    assert_close(result.final, hand_descent(scenario, flat, targets, "sigmoid", "sigmoid", 3))


def test_a_csv_gives_the_inputs_then_the_targets_by_position(tmp_path):
    x, labels = data(count=5, inputs=2)
    one_hot = np.eye(4)[labels][:, :2] * 0.5 + 0.2  # two targets in [0, 1]
    lines = ["p,q,first,second"] + [",".join(repr(float(v)) for v in [*row, *target]) for row, target in zip(x, one_hot, strict=True)]
    (tmp_path / "d.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    scenario = load_scenario(write(tmp_path, "d.csv", shape="[2, 3, 2]", activation="sigmoid", loss="half_sse"))
    result = train(scenario, path="vectorised")
    assert_close(result.final, hand_descent(scenario, x, one_hot, "sigmoid", "sigmoid", 3))
    (tmp_path / "d.csv").write_text("p,q,first\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, "d.csv", shape="[2, 3, 2]", activation="sigmoid", loss="half_sse"))
    assert "3 columns" in caught.value.render("en") and "2 input columns, then 2 target columns" in caught.value.render("en")


def test_the_shipped_digits_are_the_ones_the_generator_draws():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from digits_data import digits
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    inputs, labels = digits(500, 1)
    with np.load(ROOT / "examples" / "digits_train.npz", allow_pickle=False) as shipped:
        assert np.array_equal(shipped["inputs"], inputs) and np.array_equal(shipped["targets"], labels)
    assert (ROOT / "examples" / "digits_train.npz").stat().st_size < 64 * 1024


def test_train_takes_the_784_input_network(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke("train", "examples/digits_train.yaml", "--steps", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["steps"] == 2 and len(document["parameters"]) == 13_002


def hostile(tmp_path: Path, **arrays) -> Path:
    np.savez(tmp_path / "d.npz", **arrays)
    return write(tmp_path, "d.npz")


def refused(path: Path) -> str:
    result = invoke("train", str(path))
    assert result.exit_code == EXIT_BAD_SCENARIO, result.output
    assert "Traceback" not in result.output and "d.npz" in result.output and "samples" in result.output
    return result.output


def test_hostile_archives_get_a_clear_error(tmp_path):
    x, labels = data()
    objects = np.empty(7, dtype=object)
    objects[:] = [{"a": 1}] * 7
    said = refused(hostile(tmp_path, inputs=x, targets=objects))  # pickled: never unpickled
    assert "array targets: expected whole or floating-point numbers, got the type object" in said
    assert "got the shape 7 × 4" in refused(hostile(tmp_path, inputs=x[:, :4], targets=labels))
    poisoned = x.copy()
    poisoned[2, 3] = np.nan
    assert "sample 3, number 4" in refused(hostile(tmp_path, inputs=poisoned, targets=labels))
    assert "whole number from 0 to 3" in refused(hostile(tmp_path, inputs=x, targets=labels + 1))
    assert "the type <U1" in refused(hostile(tmp_path, inputs=x, targets=np.array(list("abcdefg"))))
    assert "inputs and targets" in refused(hostile(tmp_path, inputs=x, labels=labels))
    (tmp_path / "d.npz").write_bytes(b"\x80\x04K\x01.")  # a pickle, not an archive
    assert "not a NumPy .npz archive" in refused(write(tmp_path, "d.npz"))


def test_a_huge_header_is_refused(tmp_path):
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (7, 5), " + " " * 200_000 + "}\n"
    member = b"\x93NUMPY\x02\x00" + len(header).to_bytes(4, "little") + header.encode("latin1") + bytes(7 * 5 * 8)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inputs.npy", member)
        with io.BytesIO() as targets:
            np.save(targets, data()[1])
            archive.writestr("targets.npy", targets.getvalue())
    (tmp_path / "d.npz").write_bytes(buffer.getvalue())
    assert "array inputs" in refused(write(tmp_path, "d.npz"))


def test_a_header_promising_more_numbers_than_the_file_holds_is_refused_before_any_array_is_made(tmp_path):
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000, 5), }".ljust(117) + "\n"
    member = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode("latin1") + bytes(7 * 5 * 8)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inputs.npy", member)  # 4 GB promised, 280 bytes held: numpy would try to allocate it
        with io.BytesIO() as targets:
            np.save(targets, data()[1])
            archive.writestr("targets.npy", targets.getvalue())
    (tmp_path / "d.npz").write_bytes(buffer.getvalue())
    assert "declares the shape 100000000 × 5, more numbers than the file holds" in refused(write(tmp_path, "d.npz"))


def test_an_archive_that_unpacks_too_large_is_refused_before_unpacking(tmp_path, monkeypatch):
    from bptutor.loading import arrays

    monkeypatch.setattr(arrays, "MAX_NPZ_MEMBER_BYTES", 100)
    x, labels = data()
    assert "too large when unpacked" in refused(hostile(tmp_path, inputs=x, targets=labels))


def test_samples_in_the_compact_form_exclude_inputs_and_take_files_only(tmp_path):
    x, labels = data()
    np.savez(tmp_path / "d.npz", inputs=x, targets=labels)
    with pytest.raises(ScenarioError, match="either samples or inputs"):
        load_scenario(write(tmp_path, "d.npz", extra="inputs: [1, 2, 3, 4, 5]\n"))
    with pytest.raises(ScenarioError, match=r"\.csv or \.npz file"):
        load_scenario(write(tmp_path, "{generate: xor, count: 4}"))
    with pytest.raises(ScenarioError, match="softmax is an output layer"):
        load_scenario(write(tmp_path, "d.npz", activation="[softmax, softmax]"))


def test_the_chinese_message_for_a_bad_archive(tmp_path):
    x, labels = data()
    path = hostile(tmp_path, inputs=x, targets=labels + 1)
    result = invoke("train", str(path), "--lang", "zh")
    assert result.exit_code == EXIT_BAD_SCENARIO
    assert "NumPy 文件" in result.output and "类别标签应为 0 到 3 之间的整数" in result.output


def test_tracing_commands_refuse_a_large_network_with_samples(monkeypatch):
    monkeypatch.chdir(ROOT)
    for command in ("run", "sensitivity"):
        result = invoke(command, "examples/digits_train.yaml")
        assert result.exit_code == 2, result.output
        assert "more than 4096 parameters (this one has 13002) is trained by bptutor train" in result.output
    result = invoke("run", "examples/digits_train.yaml", "--lang", "zh")
    assert "请用 bptutor train 训练" in result.output
