"""Every loss and optimizer against PyTorch (float64, CPU) on random networks and batches.

PyTorch is an independent reference: its autograd differentiates its own
loss functions and its optimizers update with their own code. Conventions,
which bptutor documents and matches: momentum is v′ = β·v + g, p′ = p − η·v′
(PyTorch's SGD with momentum, dampening 0); Adam is bias-corrected, with ε added
to √ŝ; weight decay λ adds λ·p to the gradient (L2, PyTorch's `weight_decay`,
not AdamW). A batch's loss is the mean (or sum) over its samples of each
sample's loss; each sample's loss sums (half_sse, sse, cross_entropy) or
averages (mse, mae, bce) over the outputs, and rmse is the root of that
sample's mean squared error.
"""

from __future__ import annotations

from typing import Any

import pytest

from bptutor.core.ops import LOSSES as OPS_LOSSES
from bptutor.core.schedule import batches, total_steps
from bptutor.core.trace import run
from bptutor.train.loop import train
from tests.training_helpers import load, random_network

pytestmark = pytest.mark.external
# PyTorch takes seconds to import: the fixture below imports it when the first test here runs, not when
# the module is collected (as it is by the quick loop, which runs none of these tests).
torch: Any = None
F: Any = None


@pytest.fixture(scope="module", autouse=True)
def _pytorch() -> None:
    global torch, F
    torch = pytest.importorskip("torch", reason="PyTorch is the reference here: pip install torch==2.13.0 (CPU)")
    F = torch.nn.functional


LOSSES = tuple(OPS_LOSSES)  # every row of the table of operations
OPTIMIZERS = (
    ("sgd", {}),
    ("momentum", {"beta": 0.8}),
    ("adam", {"beta1": 0.85, "beta2": 0.99, "epsilon": 1e-7}),
)


def _activation(name: str, z, slope: float = 0.01):
    return {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda v: F.leaky_relu(v, slope),
        "linear": lambda v: v,
        "softmax": lambda v: torch.softmax(v, dim=1),
    }[name](z)


def _sample_losses(loss: str, z, a, t):
    if loss == "half_sse":
        return 0.5 * ((t - a) ** 2).sum(dim=1)
    if loss == "sse":
        return ((t - a) ** 2).sum(dim=1)
    if loss == "mse":
        return ((t - a) ** 2).mean(dim=1)
    if loss == "mae":
        return (t - a).abs().mean(dim=1)
    if loss == "rmse":
        return torch.sqrt(((t - a) ** 2).mean(dim=1))
    if loss == "bce":
        return F.binary_cross_entropy_with_logits(z, t, reduction="none").mean(dim=1)
    return F.cross_entropy(z, t, reduction="none")


class TorchNetwork:
    """The scenario's dense network as PyTorch tensors, in the scenario's own parameter names."""

    def __init__(self, data: dict):
        self.data = data
        self.parameters = {name: torch.tensor(float(value), dtype=torch.float64, requires_grad=True)
                           for name, value in data["parameters"].items()}

    def losses(self, inputs: list[dict], targets: list[dict]):
        layers = self.data["layers"]
        values = {name: torch.tensor([row[name] for row in inputs], dtype=torch.float64) for name in inputs[0]}
        for layer in layers:
            pre = []
            for spec in layer["neurons"].values():
                z = sum(self.parameters[w] * values[source] for source, w in spec["weights"].items())
                pre.append(z + self.parameters[spec["bias"]])
            z = torch.stack(pre, dim=1)
            a = _activation(layer["activation"], z)
            for index, neuron in enumerate(layer["neurons"]):
                values[neuron] = a[:, index]
        outputs = list(layers[-1]["neurons"])
        t = torch.tensor([[row[name] for name in outputs] for row in targets], dtype=torch.float64)
        return _sample_losses(self.data["loss"], z, a, t)


def _torch_optimizer(name: str, constants: dict, parameters, rate: float, decay: float):
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=rate, weight_decay=decay)
    if name == "momentum":
        return torch.optim.SGD(parameters, lr=rate, momentum=constants["beta"], weight_decay=decay)
    return torch.optim.Adam(parameters, lr=rate, betas=(constants["beta1"], constants["beta2"]),
                            eps=constants["epsilon"], weight_decay=decay)


def _close(a: float, b: float, rel: float = 1e-12) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b)) or abs(a - b) <= 1e-14


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("seed", range(4))
def test_every_loss_and_gradient_matches_pytorch(loss, seed):
    reduction = "sum" if seed == 3 else "mean"
    data, _ = random_network(100 + seed, loss, samples=2 + seed, training={"batch_size": "all", "reduction": reduction})
    scenario = load(data)
    traced = run(scenario, 1).first
    reference = TorchNetwork(data)
    losses = reference.losses([row["inputs"] for row in data["samples"]], [row["targets"] for row in data["samples"]])
    total = losses.mean() if reduction == "mean" else losses.sum()
    total.backward()
    assert _close(traced.loss, float(total.detach()))
    for name, parameter in reference.parameters.items():
        assert _close(traced.gradients[name], float(parameter.grad)), (name, traced.gradients[name], float(parameter.grad))


@pytest.mark.parametrize(("optimizer", "constants"), OPTIMIZERS)
@pytest.mark.parametrize("decay", [0.0, 0.05])
@pytest.mark.parametrize("loss", ["mse", "cross_entropy", "bce"])
@pytest.mark.parametrize("path", ["vectorised", "scalar"])
def test_every_optimizer_matches_pytorch_over_shuffled_mini_batches(optimizer, constants, decay, loss, path):
    """Six steps over shuffled batches of 2 of 5 samples: traced, vectorised and scalar parameters as PyTorch's."""
    if path == "scalar" and loss == "cross_entropy":
        pytest.skip("softmax layers train on the vectorised path")
    training = {"batch_size": 2, "shuffle": True, "seed": 4}
    data, _ = random_network(7, loss, samples=5, optimizer={"name": optimizer, **constants}, training=training,
                             weight_decay=decay, rate=0.05)
    scenario = load(data)
    steps = 6
    traced = run(scenario, steps).steps[-1].new_parameters
    vectorised = train(scenario, steps=steps, path=path).final
    reference = TorchNetwork(data)
    torch_optimizer = _torch_optimizer(optimizer, constants, list(reference.parameters.values()), 0.05, decay)
    count = len(data["samples"])
    assert total_steps(scenario.training, count, steps) == steps
    for batch in batches(scenario.training, count, steps):
        rows = [data["samples"][i] for i in batch.indices]
        torch_optimizer.zero_grad()
        reference.losses([r["inputs"] for r in rows], [r["targets"] for r in rows]).mean().backward()
        torch_optimizer.step()
    for name, parameter in reference.parameters.items():
        expected = float(parameter.detach())
        assert _close(traced[name], expected), (name, traced[name], expected)
        assert _close(vectorised[name], expected), (name, vectorised[name], expected)


@pytest.mark.parametrize("name", ["xor", "spiral"])
def test_the_shipped_training_scenarios_first_step_matches_pytorch(name):
    """The batch of step 1 (shuffled, for the spiral) through PyTorch: the same loss and every gradient."""
    import yaml

    from bptutor.loading.builtin import builtin_path
    from bptutor.loading.scenario import load_scenario

    path = builtin_path(name)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    scenario = load_scenario(path)
    step = run(scenario, 1).first
    indices = [sample.index for sample in step.samples]
    inputs = [dict(zip([n for n, _ in scenario.inputs], scenario.samples.inputs[i], strict=True)) for i in indices]
    targets = [dict(zip([n for n, _ in scenario.targets], scenario.samples.targets[i], strict=True)) for i in indices]
    reference = TorchNetwork(data)
    losses = reference.losses(inputs, targets)
    losses.mean().backward()
    assert _close(step.loss, float(losses.mean().detach()))
    for parameter_name, parameter in reference.parameters.items():
        assert _close(step.gradients[parameter_name], float(parameter.grad)), parameter_name


@pytest.mark.parametrize("loss", ["half_sse", "sse", "mse", "bce"])
@pytest.mark.parametrize("seed", range(6))
def test_the_scalar_path_trains_as_pytorch(loss, seed):
    """Random networks (every elementwise activation), full and mini-batches, mean and sum: 8 steps as PyTorch's.

    The loss per epoch (the scalar path takes it from the next step's forward pass) is PyTorch's too.
    """
    batch = "all" if seed % 2 == 0 else 2
    reduction = "sum" if seed == 5 else "mean"
    optimizer, constants = OPTIMIZERS[seed % 3]
    training = {"batch_size": batch, "shuffle": True, "seed": seed, "reduction": reduction}
    data, _ = random_network(40 + seed, loss, samples=4, optimizer={"name": optimizer, **constants},
                             training=training, rate=0.05)
    scenario = load(data)
    steps = 8
    result = train(scenario, steps=steps, path="scalar")
    assert result.final == pytest.approx(train(scenario, steps=steps, path="vectorised").final, rel=1e-12, abs=1e-14)
    reference = TorchNetwork(data)
    torch_optimizer = _torch_optimizer(optimizer, constants, list(reference.parameters.values()), 0.05, 0.0)
    count = len(data["samples"])
    inputs = [r["inputs"] for r in data["samples"]]
    targets = [r["targets"] for r in data["samples"]]
    with torch.no_grad():
        curve = [float(reference.losses(inputs, targets).mean())]
    for step in batches(scenario.training, count, steps):
        rows = [data["samples"][i] for i in step.indices]
        torch_optimizer.zero_grad()
        batch_losses = reference.losses([r["inputs"] for r in rows], [r["targets"] for r in rows])
        (batch_losses.mean() if reduction == "mean" else batch_losses.sum()).backward()
        torch_optimizer.step()
        if step.last_of_epoch or step.step == steps:
            with torch.no_grad():
                curve.append(float(reference.losses(inputs, targets).mean()))
    for name, parameter in reference.parameters.items():
        assert _close(result.final[name], float(parameter.detach())), (name, result.final[name])
    assert len(result.losses) == len(curve)
    assert all(_close(ours, theirs) for ours, theirs in zip(result.losses, curve, strict=True)), (result.losses, curve)
