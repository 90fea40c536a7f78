"""Training: the vectorised path against the traced one, textbook batch numbers, stability, the spiral."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from bptutor.core.graph import build
from bptutor.core.ops import LOSSES as OPS_LOSSES
from bptutor.core.trace import run
from bptutor.loading.scenario import load_scenario, scenario_from_data
from bptutor.train.loop import train
from bptutor.train.vectorised import Network, Trainer
from tests.training_helpers import load, random_network

LOSSES = tuple(OPS_LOSSES)  # every row of the table of operations


def _close(a: float, b: float, rel: float = 1e-12) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b)) or abs(a - b) <= 1e-15


def _numpy_gradient(scenario, indices, reduction="mean"):
    graph = build(scenario)
    network = Network.from_scenario(scenario, dict(graph.learning_rates), graph.frozen)
    inputs = np.array([scenario.samples.inputs[i] for i in indices])
    targets = np.array([scenario.samples.targets[i] for i in indices])
    loss, grads = network.gradients(inputs, targets, reduction)
    return loss, network.by_name(grads)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("seed", range(6))
def test_vectorised_gradients_agree_with_the_traced_ones(loss, seed):
    """Every gradient of a random network and batch, both paths, to 1e-12 relative."""
    reduction = "sum" if seed % 2 else "mean"
    data, _ = random_network(seed, loss, samples=1 + seed, training={"batch_size": "all", "reduction": reduction})
    scenario = load(data)
    traced = run(scenario, 1).first
    loss_value, gradients = _numpy_gradient(scenario, range(len(scenario.samples)), reduction)
    assert _close(traced.loss, loss_value)
    for update in traced.updates:
        assert _close(update.gradient, gradients[update.parameter]), (update.parameter, update.gradient, gradients[update.parameter])


def test_vectorised_path_keeps_a_sparse_shared_threshold_network_exact():
    """Missing connections, a missing bias, a parameter shared by two neurons, thresholds: same gradients as traced."""
    data = {
        "name": "odd",
        "samples": [{"inputs": {"a": 0.3, "b": -1.2}, "targets": {"y": 0.7}}, {"inputs": {"a": 1.1, "b": 0.4}, "targets": {"y": 0.1}}],
        "layers": [
            {"name": "h", "activation": "tanh", "neurons": {"h1": {"bias": "s", "weights": {"a": "w1"}}, "h2": {"weights": {"a": "w2", "b": "s"}}}},
            {"name": "out", "activation": "sigmoid", "neurons": {"y": {"bias": "c", "weights": {"h1": "w3", "h2": "w4"}}}},
        ],
        "parameters": {"w1": 0.4, "w2": -0.7, "s": 0.25, "w3": 0.9, "w4": -0.3, "c": 0.05},
        "loss": "half_sse",
        "learning_rate": 0.5,
        "bias": "threshold",
        "optimizer": "momentum",
        "weight_decay": 0.01,
    }
    scenario = scenario_from_data(data)
    traced = run(scenario, 4)
    graph = build(scenario)
    network = Network.from_scenario(scenario, dict(graph.learning_rates), graph.frozen)
    trainer = Trainer(network, scenario.optimizer)
    inputs, targets = np.array(scenario.samples.inputs), np.array(scenario.samples.targets)
    for _ in range(4):
        trainer.step(inputs, targets)
    for name, value in traced.steps[-1].new_parameters.items():
        assert _close(value, network.values()[name]), name


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


SINGLE_NEURON = {
    "name": "single_neuron",
    # four samples (x, t); with w = b = 0 every output is σ(0) = 1/2 and σ′(0) = 1/4
    "samples": [
        {"inputs": {"x": 1}, "targets": {"o": 1}},
        {"inputs": {"x": 2}, "targets": {"o": 0}},
        {"inputs": {"x": -1}, "targets": {"o": 1}},
        {"inputs": {"x": 3}, "targets": {"o": 0}},
    ],
    "layers": [{"name": "out", "activation": "sigmoid", "neurons": {"o": {"bias": "b", "weights": {"x": "w"}}}}],
    "parameters": {"w": 0, "b": 0},
    "loss": "mse",
    "learning_rate": 1,
}


def test_full_batch_single_sigmoid_neuron_gives_the_textbook_numbers():
    """By hand: δ_i = ∂E_i/∂z = −2(t_i − 1/2)·1/4 = −(t_i − 1/2)/2, so δ = −1/4, 1/4, −1/4, 1/4.

    dW = (1/m) Σ δ_i x_i = (1/4)(−1/4 + 2/4 + 1/4 + 3/4) = 5/16; db = (1/m) Σ δ_i = 0;
    E = (1/m) Σ (t_i − 1/2)² = 1/4; with η = 1: w′ = −5/16, b′ = 0.
    """
    samples = [(1, 1), (2, 0), (-1, 1), (3, 0)]
    half, slope = Fraction(1, 2), Fraction(1, 4)
    deltas = [-2 * (t - half) * slope for _, t in samples]
    assert deltas == [Fraction(-1, 4), Fraction(1, 4), Fraction(-1, 4), Fraction(1, 4)]
    grad_w = sum(d * x for d, (x, _) in zip(deltas, samples, strict=True)) / 4
    grad_b = sum(deltas) / 4
    assert (grad_w, grad_b) == (Fraction(5, 16), 0)
    scenario = scenario_from_data({**SINGLE_NEURON, "training": {"batch_size": "all"}})
    step = run(scenario, 1).first
    assert step.loss == 0.25
    deltas_traced = [next(b.value for b in sample.backward if b.quantity == "in_o") for sample in step.samples]
    assert deltas_traced == [float(d) for d in deltas]
    assert step.gradients == {"w": 0.3125, "b": 0.0}
    assert step.new_parameters == {"w": -0.3125, "b": 0.0}
    _, gradients = _numpy_gradient(scenario, range(4))
    assert gradients == {"w": 0.3125, "b": 0.0}


def test_mini_batch_single_sigmoid_neuron_gives_the_textbook_numbers():
    """Batches of 2 in order. Step 1 (samples 1, 2): dW = (1/2)(−1/4·1 + 1/4·2) = 1/8, db = 0: w = −1/8.

    Step 2 (samples 3, 4) with w = −1/8, b = 0: z3 = 1/8, z4 = −3/8; o = σ(z) computed here
    independently; δ = −2(t − o)·o(1 − o); dW = (δ3·(−1) + δ4·3)/2, db = (δ3 + δ4)/2.
    """
    scenario = scenario_from_data({**SINGLE_NEURON, "training": {"batch_size": 2, "shuffle": False}})
    result = run(scenario, 2)
    first, second = result.steps
    assert first.gradients == {"w": 0.125, "b": 0.0}
    assert first.new_parameters == {"w": -0.125, "b": 0.0}
    o3, o4 = _sigmoid(0.125), _sigmoid(-0.375)
    d3, d4 = -2 * (1 - o3) * o3 * (1 - o3), -2 * (0 - o4) * o4 * (1 - o4)
    expected_w, expected_b = (d3 * -1 + d4 * 3) / 2, (d3 + d4) / 2
    assert second.gradients["w"] == pytest.approx(expected_w, rel=1e-14)
    assert second.gradients["b"] == pytest.approx(expected_b, rel=1e-14)
    assert second.loss == pytest.approx(((1 - o3) ** 2 + o4**2) / 2, rel=1e-14)
    assert second.new_parameters["w"] == pytest.approx(-0.125 - expected_w, rel=1e-14)
    sgd = run(scenario_from_data({**SINGLE_NEURON, "training": {"batch_size": 1, "shuffle": False}}), 1)
    assert sgd.first.gradients == {"w": -0.25, "b": -0.25}  # sample 1 alone: δ = −1/4, x = 1


@pytest.mark.parametrize("logit", [800.0, -800.0])
def test_cross_entropy_and_bce_are_stable_at_huge_logits_on_both_paths(logit):
    data = {
        "name": "huge",
        "inputs": {"x": 1.0},
        "targets": {"a": 1.0, "b": 0.0},
        "layers": [{"name": "out", "activation": "softmax", "neurons": {"a": {"weights": {"x": "wa"}}, "b": {"weights": {"x": "wb"}}}}],
        "parameters": {"wa": logit, "wb": -logit},
        "loss": "cross_entropy",
        "learning_rate": 0.1,
    }
    traced = run(scenario_from_data(data), 1).first
    expected_loss = 0.0 if logit > 0 else 2 * abs(logit)
    assert traced.loss == expected_loss
    assert traced.gradients["wa"] == (0.0 if logit > 0 else -1.0)
    bce = {**data, "targets": {"a": 1.0}, "parameters": {"wa": logit}, "loss": "bce"}
    bce["layers"] = [{"name": "out", "activation": "sigmoid", "neurons": {"a": {"weights": {"x": "wa"}}}}]
    step = run(scenario_from_data(bce), 1).first
    assert step.loss == (0.0 if logit > 0 else abs(logit))
    assert step.gradients["wa"] == (0.0 if logit > 0 else -1.0)
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        network = Network.from_scenario(scenario_from_data(data))
        loss, grads = network.gradients(np.array([[1.0]]), np.array([[1.0, 0.0]]))
    assert loss == expected_loss and math.isfinite(grads[0][0].sum())


def test_the_spiral_is_learnt():
    """The shipped spiral scenario, fixed seeds: more than 95% of the points classified right."""
    result = train(load_scenario("scenarios/spiral.yaml"))
    assert result.accuracy > 0.95
    assert result.losses[-1] < result.losses[0] / 10


def test_training_is_deterministic_and_the_losses_per_epoch_are_the_loss_of_all_samples():
    scenario = load_scenario("scenarios/spiral.yaml")
    first, second = train(scenario, epochs=3), train(scenario, epochs=3)
    assert first.losses == second.losses and first.final == second.final
    assert len(first.losses) == 4
    network = Network.from_scenario(scenario)
    inputs, targets = np.array(scenario.samples.inputs), np.array(scenario.samples.targets)
    assert first.losses[0] == pytest.approx(float(network.sample_losses(inputs, targets).mean()), rel=1e-15)


def test_traced_and_vectorised_training_agree_over_shuffled_mini_batches():
    data, _ = random_network(3, "cross_entropy", samples=7, optimizer={"name": "adam"},
                             training={"batch_size": 3, "shuffle": True, "seed": 5}, weight_decay=0.01)
    scenario = load(data)
    traced = run(scenario, 6)
    trained = train(scenario, steps=6)
    for name, value in traced.steps[-1].new_parameters.items():
        assert _close(value, trained.final[name], 1e-11), name
