"""Softmax and every loss in the teaching paths against PyTorch (float64): run, run --jacobian, explain
(with and without --jacobian), check's expected values and the handout's numbers, to 1e-12 relative.

PyTorch differentiates its own softmax, log_softmax, binary_cross_entropy_with_logits and
losses; the network is rebuilt here from the Scenario's records, not from bptutor's graph.
"""

from __future__ import annotations

from typing import Any

import pytest

from bptutor.core.trace import run
from bptutor.derive.explain import explain
from bptutor.loading.scenario import load_scenario_text
from bptutor.teach.solution import WorkedSteps
from tests.test_softmax import VARIANTS

pytestmark = pytest.mark.external
torch: Any = None
CLOSE = 1e-12


@pytest.fixture(scope="module", autouse=True)
def _pytorch() -> None:
    global torch
    torch = pytest.importorskip("torch", reason="PyTorch is the reference here: pip install torch==2.13.0 (CPU)")


def reference(scenario) -> tuple[dict[str, float], dict[str, float], dict[str, float], list[list[float]]]:
    """(∂E/∂p, δ = ∂E/∂z of each neuron, a of each neuron, the output layer's Jacobian ∂a_i/∂z_j) by PyTorch."""
    parameters = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in scenario.parameters}
    visible = {name: torch.tensor(value, dtype=torch.float64) for name, value in scenario.inputs}
    zs: dict[str, Any] = {}
    activations: dict[str, Any] = {}
    output_z = None
    for layer in scenario.layers:
        layer_z = []
        for neuron in layer.neurons:
            z = sum(parameters[w] * visible[s] for s, w in neuron.weights)
            if neuron.bias is not None:
                z = z + parameters[neuron.bias]
            z.retain_grad()
            zs[neuron.name] = z
            layer_z.append(z)
        stacked = torch.stack(layer_z)
        functions = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "linear": lambda v: v,
                     "softmax": lambda v: torch.softmax(v, dim=0)}
        out = functions[layer.activation](stacked)
        for index, neuron in enumerate(layer.neurons):
            visible[neuron.name] = activations[neuron.name] = out[index]
        output_z, output_a = stacked, out
    targets = torch.tensor([value for _, value in scenario.targets], dtype=torch.float64)
    loss = {
        "cross_entropy": lambda: -(targets * torch.log_softmax(output_z, dim=0)).sum(),
        "bce": lambda: torch.nn.functional.binary_cross_entropy_with_logits(output_z, targets),
        "mse": lambda: ((targets - output_a) ** 2).mean(),
        "sse": lambda: ((targets - output_a) ** 2).sum(),
        "mae": lambda: (targets - output_a).abs().mean(),
        "rmse": lambda: ((targets - output_a) ** 2).mean().sqrt(),
    }[scenario.loss]()
    loss.backward()
    gradients = {name: float(tensor.grad) for name, tensor in parameters.items()}
    deltas = {name: float(z.grad) for name, z in zs.items()}
    values = {name: float(a.detach()) for name, a in activations.items()}
    jacobian = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), output_z.detach())
    return gradients, deltas, values, jacobian.tolist()


def agree(value: Any, expected: float) -> bool:
    return abs(float(value) - expected) <= CLOSE * max(1.0, abs(expected))


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_teaching_path_matches_pytorch(name):
    scenario = load_scenario_text(VARIANTS[name], f"{name}.yaml")
    gradients, deltas, values, jacobian = reference(scenario)
    notation = scenario.notation
    loss = notation.loss
    worked = WorkedSteps(scenario).values()
    for fused in (True, False):
        step = run(scenario, fused=fused).first
        for parameter, expected in gradients.items():
            assert agree(step.gradients[parameter], expected), (fused, parameter)
            assert agree(worked[f"∂{loss}/∂{parameter}"], expected), parameter
        for neuron, expected in deltas.items():
            assert agree(step.gradient(notation.pre(neuron)), expected), (fused, neuron)
            assert agree(worked[notation.dlt(neuron)], expected), neuron
        for neuron, expected in values.items():
            assert agree(step.value(notation.act(neuron)), expected), neuron
    output = scenario.layers[-1]
    if output.activation == "softmax":
        step = run(scenario, fused=False).first
        factors = {(t.local.of, t.local.wrt): t.local.value for r in step.backward for t in r.terms}
        for i, first in enumerate(output.neurons):
            for j, second in enumerate(output.neurons):
                entry = (notation.act(first.name), notation.pre(second.name))
                assert agree(factors[entry], jacobian[i][j]), entry
    for parameter in [*(p for p, _ in scenario.parameters[:3]), scenario.parameters[-1][0]]:
        for route in (False, True):
            derivation = explain(scenario, parameter, route)
            assert agree(derivation.gradient, gradients[parameter]), (parameter, route)
            for term in derivation.delta_terms:
                assert agree(term.delta, deltas[term.neuron])
            for delta in derivation.output_deltas:
                assert agree(delta.value, deltas[delta.neuron])
