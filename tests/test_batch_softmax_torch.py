"""A batch step with a softmax or binary cross-entropy output, against PyTorch (float64, CPU).

The same networks as tests/data/batch_softmax_*.yaml and batch_sigmoid_bce*.yaml, written again with torch
tensors: softmax with cross-entropy (the mean and the sum over the batch, Adam with weight decay), softmax with
mse (the Jacobian route, momentum) and two sigmoid outputs with binary cross-entropy (the mean over the outputs;
the mean and the sum over the batch, Adam). PyTorch trains them with its own optimizers on the same batches and
gives at step K each sample's δ = ∂L_i/∂z and parameter gradients (autograd of that sample's loss alone), the
batch gradient (autograd of the batch's mean or summed loss), Adam's moments and the new parameters. What
`check` holds as correct (the `WorkedSteps` of the step) and what `bptutor.solve(..., step=K)` gives must agree
with every one of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import bptutor
from bptutor.core.resume import at_step
from bptutor.core.schedule import batches
from bptutor.loading.scenario import load_scenario
from bptutor.teach.solution import WorkedSteps

pytestmark = pytest.mark.external
torch: Any = None

DATA = Path(__file__).parent / "data"
SCENARIOS = (
    "batch_softmax_ce_mean",
    "batch_softmax_ce_sum",
    "batch_softmax_mse",
    "batch_sigmoid_bce",
    "batch_sigmoid_bce_sum",
)


@pytest.fixture(scope="module", autouse=True)
def _pytorch() -> None:
    global torch
    torch = pytest.importorskip("torch", reason="PyTorch is the reference here: pip install torch==2.13.0 (CPU)")


def _forward(scenario, parameters: dict[str, Any], inputs, targets) -> tuple[Any, dict[str, Any]]:
    """The sample's loss and every neuron's pre-activation z (a tensor autograd can differentiate by)."""
    values = {name: torch.tensor(value, dtype=torch.float64) for (name, _), value in zip(scenario.inputs, inputs, strict=True)}
    zs: dict[str, Any] = {}
    for layer in scenario.layers:
        for neuron in layer.neurons:
            z = sum(parameters[weight] * values[source] for source, weight in neuron.weights)
            zs[neuron.name] = z + parameters[neuron.bias] if neuron.bias else z
        names = [neuron.name for neuron in layer.neurons]
        if layer.activation == "softmax":
            logits = torch.stack([zs[name] for name in names])
            for name, probability in zip(names, torch.softmax(logits, dim=0), strict=True):
                values[name] = probability
        else:
            activate = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[layer.activation]
            for name in names:
                values[name] = activate(zs[name])
    outputs = torch.stack([values[neuron.name] for neuron in scenario.layers[-1].neurons])
    t = torch.tensor(targets, dtype=torch.float64)
    if scenario.loss == "cross_entropy":
        loss = -(t * torch.log(outputs)).sum()
    elif scenario.loss == "bce":  # the mean over the outputs
        loss = -(t * torch.log(outputs) + (1 - t) * torch.log(1 - outputs)).mean()
    else:
        assert scenario.loss == "mse"
        loss = ((t - outputs) ** 2).mean()
    return loss, zs


def _torch_step(path: Path, step: int, loss_name: str) -> dict[str, float]:
    scenario = load_scenario(path)
    samples = scenario.samples
    spec = scenario.optimizer
    training = scenario.training
    parameters = {
        name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in scenario.parameters
    }
    rate = scenario.learning_rate.default
    if spec.name == "adam":
        optimizer = torch.optim.Adam(
            parameters.values(), lr=rate, betas=(spec.beta1, spec.beta2), eps=spec.epsilon, weight_decay=spec.weight_decay
        )
    else:
        optimizer = torch.optim.SGD(parameters.values(), lr=rate, momentum=spec.beta, weight_decay=spec.weight_decay)
    found: dict[str, float] = {}
    for batch in batches(training, len(samples), step):
        losses = []
        for number, index in enumerate(batch.indices, start=1):
            loss, zs = _forward(scenario, parameters, samples.inputs[index], samples.targets[index])
            losses.append(loss)
            if batch.step == step:  # sample `number`'s own δ and gradients: autograd of its loss alone
                grads = torch.autograd.grad(loss, [*zs.values(), *parameters.values()], retain_graph=True)
                for name, grad in zip([*zs, *parameters], grads, strict=True):
                    found[f"δ_{name}[{number}]" if name in zs else f"∂{loss_name}/∂{name}[{number}]"] = float(grad)
        total = sum(losses)
        batch_loss = total / len(losses) if training.reduction == "mean" else total
        optimizer.zero_grad()
        batch_loss.backward()
        if batch.step == step:
            found[loss_name] = float(batch_loss.detach())
            for name, tensor in parameters.items():
                found[f"∂{loss_name}/∂{name}"] = float(tensor.grad)
        optimizer.step()
        if batch.step == step:
            for name, tensor in parameters.items():
                found[f"{name}′"] = float(tensor.detach())
                state = optimizer.state[tensor]
                if spec.name == "adam":
                    found[f"m_{name}′"] = float(state["exp_avg"])
                    found[f"s_{name}′"] = float(state["exp_avg_sq"])
                else:
                    found[f"v_{name}′"] = float(state["momentum_buffer"])
    return found


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("step", [1, 2, 3])
def test_a_softmax_or_bce_batch_step_agrees_with_pytorch(name, step):
    path = DATA / f"{name}.yaml"
    solution = WorkedSteps(at_step(load_scenario(path), step))
    loss = solution.graph.loss_name
    expected = _torch_step(path, step, loss)
    values = solution.values()
    deltas = [quantity for quantity in expected if quantity.startswith("δ_")]
    assert deltas and len(expected) > 3 * len(solution.scenario.parameters)
    for quantity, value in expected.items():
        assert float(values[quantity]) == pytest.approx(value, rel=1e-11, abs=1e-14), quantity
    api = bptutor.solve(path, step=step)
    assert isinstance(api, bptutor.Solution)
    for parameter, _ in solution.scenario.parameters:
        assert api.gradient(parameter) == pytest.approx(expected[f"∂{loss}/∂{parameter}"], rel=1e-11, abs=1e-14)
        assert api.new_value(parameter) == pytest.approx(expected[f"{parameter}′"], rel=1e-11, abs=1e-14)
        for number in range(1, len(solution.samples) + 1):
            own = f"∂{loss}/∂{parameter}[{number}]"
            assert api.gradient(f"{parameter}[{number}]") == pytest.approx(expected[own], rel=1e-11, abs=1e-14)
