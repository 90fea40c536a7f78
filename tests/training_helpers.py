"""Random dense networks and batches as scenarios, for the training tests."""

from __future__ import annotations

import random

from bptutor.core.ops import ACTIVATIONS, LOSSES
from bptutor.loading.scenario import scenario_from_data

HIDDEN_ACTIVATIONS = tuple(ACTIVATIONS)  # every row of the table of operations
OUTPUT_FOR_LOSS = {name: loss.fused_with for name, loss in LOSSES.items() if loss.fused_with}


def random_network(seed: int, loss: str, samples: int = 5, optimizer: object = "sgd", training: dict | None = None,
                   weight_decay: float = 0.0, rate: float = 0.1) -> tuple[dict, dict]:
    """(scenario data, layout) of a random dense network: 1–3 layers of 1–4 neurons, random activations."""
    rng = random.Random(seed)
    sizes = [rng.randint(1, 3)] + [rng.randint(1, 4) for _ in range(rng.randint(0, 2))]
    outputs = rng.randint(2, 3) if loss == "cross_entropy" else rng.randint(1, 3)
    sizes.append(outputs)
    names = [[f"x{i + 1}" for i in range(sizes[0])]]
    layers, parameters = [], {}
    for index, size in enumerate(sizes[1:], start=1):
        last = index == len(sizes) - 1
        neuron_names = [f"o{j + 1}" if last else f"h{index}_{j + 1}" for j in range(size)]
        activation = OUTPUT_FOR_LOSS.get(loss, rng.choice(HIDDEN_ACTIVATIONS)) if last else rng.choice(HIDDEN_ACTIVATIONS)
        neurons = {}
        for j, neuron in enumerate(neuron_names):
            weights = {}
            for i, source in enumerate(names[-1]):
                parameter = f"w{index}_{j + 1}{i + 1}"
                parameters[parameter] = round(rng.uniform(-1.5, 1.5), 6)
                weights[source] = parameter
            bias = f"b{index}_{j + 1}"
            parameters[bias] = round(rng.uniform(-0.5, 0.5), 6)
            neurons[neuron] = {"bias": bias, "weights": weights}
        layers.append({"name": f"layer{index}", "activation": activation, "neurons": neurons})
        names.append(neuron_names)
    rows = []
    for _ in range(samples):
        inputs = {name: round(rng.uniform(-2, 2), 6) for name in names[0]}
        if loss == "cross_entropy":
            raw = [rng.random() + 0.05 for _ in names[-1]]
            targets = {name: value / sum(raw) for name, value in zip(names[-1], raw, strict=True)}
        elif loss == "bce":
            targets = {name: round(rng.random(), 6) for name in names[-1]}
        else:
            targets = {name: round(rng.uniform(-1, 1), 6) for name in names[-1]}
        rows.append({"inputs": inputs, "targets": targets})
    data = {
        "name": f"random{seed}",
        "samples": rows,
        "layers": layers,
        "parameters": parameters,
        "loss": loss,
        "learning_rate": rate,
        "optimizer": optimizer,
    }
    if training is not None:
        data["training"] = training
    if weight_decay:
        data["weight_decay"] = weight_decay
    return data, {"sizes": sizes, "activations": [layer["activation"] for layer in layers], "layers": layers}


def load(data: dict):
    return scenario_from_data(data, f"<{data['name']}>")
