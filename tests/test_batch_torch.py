"""Each batch step a teaching command works, against PyTorch (float64, CPU).

PyTorch trains the same network with its own autograd and its own optimizers
(`torch.optim.SGD` with momentum, `torch.optim.Adam`, both with `weight_decay`) on
the same batches, then gives, at step K, each sample's gradient (autograd of that
sample's loss alone), the batch gradient (autograd of the batch's mean or summed
loss), the optimizer's state after the step and the new parameters. bptutor's
worked steps (`WorkedSteps` of the scenario taken up at step K) must agree with
every one of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bptutor.core.resume import at_step
from bptutor.core.schedule import batches
from bptutor.loading.scenario import load_scenario
from bptutor.teach.solution import WorkedSteps

pytestmark = pytest.mark.external
torch: Any = None

DATA = Path(__file__).parent / "data"
SCENARIOS = ("batch_2_2_1_momentum", "batch_2_2_2_sum", "batch_adam_decay", "batch_linear_momentum")


@pytest.fixture(scope="module", autouse=True)
def _pytorch() -> None:
    global torch
    torch = pytest.importorskip("torch", reason="PyTorch is the reference here: pip install torch==2.13.0 (CPU)")


def _activate(name: str, z: Any) -> Any:
    return {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda v: v}[name](z)


def _sample_loss(scenario, parameters: dict[str, Any], inputs, targets) -> Any:
    values = {name: torch.tensor(value, dtype=torch.float64) for (name, _), value in zip(scenario.inputs, inputs, strict=True)}
    for layer in scenario.layers:
        for neuron in layer.neurons:
            z = sum(parameters[weight] * values[source] for source, weight in neuron.weights)
            z = z + parameters[neuron.bias] if neuron.bias else z
            values[neuron.name] = _activate(layer.activation, z)
    outputs = [values[neuron.name] for neuron in scenario.layers[-1].neurons]
    squares = [(torch.tensor(t, dtype=torch.float64) - o) ** 2 for o, t in zip(outputs, targets, strict=True)]
    total = sum(squares)
    return {"half_sse": total / 2, "sse": total, "mse": total / len(squares)}[scenario.loss]


def _torch_step(path: Path, step: int) -> dict[str, float]:
    scenario = load_scenario(path)
    samples = scenario.samples
    optimizer_spec = scenario.optimizer
    training = scenario.training
    reduction = training.reduction if training is not None else "mean"
    parameters = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True)
                  for name, value in scenario.parameters}
    rate = scenario.learning_rate.default
    if optimizer_spec.name == "adam":
        optimizer = torch.optim.Adam(parameters.values(), lr=rate, betas=(optimizer_spec.beta1, optimizer_spec.beta2),
                                     eps=optimizer_spec.epsilon, weight_decay=optimizer_spec.weight_decay)
    else:
        momentum = optimizer_spec.beta if optimizer_spec.name == "momentum" else 0.0
        optimizer = torch.optim.SGD(parameters.values(), lr=rate, momentum=momentum,
                                    weight_decay=optimizer_spec.weight_decay)
    found: dict[str, float] = {}
    for batch in batches(training, len(samples), step):
        losses = [_sample_loss(scenario, parameters, samples.inputs[i], samples.targets[i]) for i in batch.indices]
        if batch.step == step:  # each sample's own gradient, by autograd of its loss alone
            for number, loss in enumerate(losses, start=1):
                grads = torch.autograd.grad(loss, list(parameters.values()), retain_graph=True)
                for name, grad in zip(parameters, grads, strict=True):
                    found[f"∂E_total/∂{name}[{number}]"] = float(grad)
        total = sum(losses)
        batch_loss = total / len(losses) if reduction == "mean" else total
        optimizer.zero_grad()
        batch_loss.backward()
        if batch.step == step:
            for name, tensor in parameters.items():
                found[f"∂E_total/∂{name}"] = float(tensor.grad)
        optimizer.step()
        if batch.step == step:
            for name, tensor in parameters.items():
                found[f"{name}′"] = float(tensor.detach())
                state = optimizer.state[tensor]
                if optimizer_spec.name == "momentum":
                    found[f"v_{name}′"] = float(state["momentum_buffer"])
                if optimizer_spec.name == "adam":
                    found[f"m_{name}′"] = float(state["exp_avg"])
                    found[f"s_{name}′"] = float(state["exp_avg_sq"])
    return found


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("step", [1, 2, 3])
def test_a_batch_step_agrees_with_pytorch(name, step):
    path = DATA / f"{name}.yaml"
    expected = _torch_step(path, step)
    values = WorkedSteps(at_step(load_scenario(path), step)).values()
    assert expected
    for quantity, value in expected.items():
        assert float(values[quantity]) == pytest.approx(value, rel=1e-11, abs=1e-14), quantity
