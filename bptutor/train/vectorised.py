"""The vectorised path: forward and backward over a whole batch at once, with NumPy.

The same network as the traced path (trace.py), laid out as one weight matrix
and one bias vector per layer, with the same operations (the NumPy forms of
the rows of ops.py). For a batch X (m × inputs) and targets T (m × outputs):

    Z_l = A_{l−1}·W_lᵀ + b_l,   A_l = f_l(Z_l)                       forward
    Δ_L = ∂E/∂A_L ⊙ f′(Z_L)      (or A_L − T when the loss cancels f′)   output error terms
    Δ_{l−1} = (Δ_l·W_l) ⊙ f′(Z_{l−1})                               backward
    ∂E/∂W_l = Δ_lᵀ·A_{l−1},  ∂E/∂b_l = Σ_rows Δ_l

with E the mean (or sum) over the m samples of each sample's loss, so Δ carries
the 1/m. The traced path is the reference: tests hold the two together to 1e-12.
A scenario's network need not be dense (a neuron may skip an input, have no bias,
or share a parameter with another neuron): masks and ties keep it exact.
"""

from __future__ import annotations

from dataclasses import field
from functools import cached_property
from typing import Any

import numpy as np

from bptutor.core.ops import ACTIVATIONS, LAYER_ACTIVATIONS, LOSSES
from bptutor.core.optim import initial_state, update
from bptutor.core.scenario import Optimizer, Scenario
from bptutor.records import dataclass

Position = tuple[int, str, tuple[int, ...]]  # (layer, "W" or "b", index in that array)


@dataclass
class DenseLayer:
    weights: np.ndarray  # (outputs, inputs)
    biases: np.ndarray  # (outputs,)
    activation: str
    slope: float = 0.01
    weight_mask: np.ndarray | None = None  # 1.0 where a connection exists; None: all do
    bias_mask: np.ndarray | None = None
    bias_sign: float = 1.0  # −1: the bias is a threshold θ, z = Σ w·x − θ


@dataclass
class Network:
    layers: list[DenseLayer]
    loss: str
    names: dict[str, list[Position]] = field(default_factory=dict)  # scenario parameter → where it sits
    rates: list[tuple[Any, Any]] = field(default_factory=list)  # η for (W, b) of each layer: float or array

    # ── building ──────────────────────────────────────────────────────────────

    @staticmethod
    def from_arrays(
        weights: list[np.ndarray], biases: list[np.ndarray], activations: list[str], loss: str, rate: float = 0.1
    ) -> Network:
        """A dense network from its matrices: weights[l] is (outputs × inputs) of layer l."""
        layers = [
            DenseLayer(np.array(w, dtype=np.float64), np.array(b, dtype=np.float64), a)
            for w, b, a in zip(weights, biases, activations, strict=True)
        ]
        return Network(layers, loss, {}, [(rate, rate) for _ in layers])

    @staticmethod
    def from_scenario(
        scenario: Scenario, rates: dict[str, float] | None = None, frozen: tuple[str, ...] = ()
    ) -> Network:
        """The scenario's network as matrices; `rates` gives η per parameter (frozen ones get 0)."""
        values = dict(scenario.parameters)
        rates = rates or dict.fromkeys(values, scenario.learning_rate.default)
        names: dict[str, list[Position]] = {name: [] for name in values}
        columns = {name: index for index, (name, _) in enumerate(scenario.inputs)}
        layers, layer_rates = [], []
        sign = -1.0 if scenario.conventions.bias == "threshold" else 1.0
        for index, layer in enumerate(scenario.layers):
            shape = (len(layer.neurons), len(columns))
            weights, weight_mask, weight_rate = np.zeros(shape), np.zeros(shape), np.zeros(shape)
            biases, bias_mask, bias_rate = (np.zeros(shape[0]) for _ in range(3))
            for row, neuron in enumerate(layer.neurons):
                for source, parameter in neuron.weights:
                    column = columns[source]
                    weights[row, column], weight_mask[row, column] = values[parameter], 1.0
                    weight_rate[row, column] = 0.0 if parameter in frozen else rates[parameter]
                    names[parameter].append((index, "W", (row, column)))
                if neuron.bias is not None:
                    biases[row], bias_mask[row] = values[neuron.bias], 1.0
                    bias_rate[row] = 0.0 if neuron.bias in frozen else rates[neuron.bias]
                    names[neuron.bias].append((index, "b", (row,)))
            assert isinstance(layer.activation, str)  # the loader lets only built-in functions train
            dense = DenseLayer(
                weights,
                biases,
                layer.activation,
                layer.slope,
                None if weight_mask.all() else weight_mask,
                None if bias_mask.all() else bias_mask,
                sign,
            )
            layers.append(dense)
            layer_rates.append((_uniform(weight_rate), _uniform(bias_rate)))
            columns = {neuron.name: row for row, neuron in enumerate(layer.neurons)}
        assert isinstance(scenario.loss, str)  # likewise: a custom loss does not train
        return Network(layers, scenario.loss, names, layer_rates)

    # ── the passes ────────────────────────────────────────────────────────────

    def forward(self, inputs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(Z, A) of every layer for a batch of inputs (m × inputs)."""
        return [(pre, activation) for pre, activation, _ in self._passes(inputs)]

    def _passes(self, inputs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
        """(Z, A, e^(−|Z|)) of every layer; the last is kept for sigmoid layers, whose σ′ it gives again."""
        passes = []
        activation = inputs
        for layer in self.layers:
            pre = activation @ layer.weights.T
            pre += layer.bias_sign * layer.biases if layer.bias_sign != 1.0 else layer.biases
            if layer.activation == "sigmoid":
                activation, small = _sigmoid(pre)
            else:
                activation, small = _activate(layer, pre), None
            passes.append((pre, activation, small))
        return passes

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        return self.forward(np.asarray(inputs, dtype=np.float64))[-1][1]

    def sample_losses(self, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Each sample's loss E (m values)."""
        return _output(self.loss, self.layers[-1], self._passes(inputs)[-1], targets)[0]

    def gradients(
        self, inputs: np.ndarray, targets: np.ndarray, reduction: str = "mean"
    ) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
        """The batch loss (mean or sum of the samples' losses) and its gradient (∂E/∂W, ∂E/∂b) per layer."""
        loss, _, grads = self.gradients_and_mean(inputs, targets, reduction)
        return loss, grads

    def gradients_and_mean(
        self, inputs: np.ndarray, targets: np.ndarray, reduction: str = "mean"
    ) -> tuple[float, float, list[tuple[np.ndarray, np.ndarray]]]:
        """As `gradients`, with the mean of the samples' losses as well (the loss curve's point)."""
        passes = self._passes(inputs)
        losses, delta = _output(self.loss, self.layers[-1], passes[-1], targets)
        mean = float(losses.mean())
        if reduction == "mean":
            delta /= len(inputs)
            loss = mean
        else:
            loss = float(losses.sum())
        grads: list[tuple[np.ndarray, np.ndarray]] = []
        for index in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[index]
            below = passes[index - 1][1] if index else inputs
            grad_w = delta.T @ below
            grad_b = delta.sum(axis=0)
            if layer.bias_sign != 1.0:
                grad_b *= layer.bias_sign
            if layer.weight_mask is not None:
                grad_w *= layer.weight_mask
            if layer.bias_mask is not None:
                grad_b *= layer.bias_mask
            grads.append((grad_w, grad_b))
            if index:
                delta = delta @ layer.weights
                delta *= _derivative(self.layers[index - 1], passes[index - 1])
        grads.reverse()
        self._tie(grads)
        return loss, mean, grads

    def finite(self) -> bool:
        """Whether every weight and bias is a finite number."""
        return all(np.isfinite(layer.weights).all() and np.isfinite(layer.biases).all() for layer in self.layers)

    @cached_property
    def _tied(self) -> list[list[Position]]:
        """The places of each parameter used in more than one."""
        return [positions for positions in self.names.values() if len(positions) > 1]

    def _tie(self, grads: list[tuple[np.ndarray, np.ndarray]]) -> None:
        """A parameter used in several places gets the sum of their gradients in each of them."""
        for positions in self._tied:
            total = sum(grads[layer][0 if kind == "W" else 1][where] for layer, kind, where in positions)
            for layer, kind, where in positions:
                grads[layer][0 if kind == "W" else 1][where] = total

    # ── names ─────────────────────────────────────────────────────────────────

    def values(self) -> dict[str, float]:
        """Each scenario parameter's value, by name."""
        arrays = [(layer.weights, layer.biases) for layer in self.layers]
        return {name: float(self._at(positions[0], arrays)) for name, positions in self.names.items()}

    def by_name(self, arrays: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
        """Per-layer (W, b) arrays (gradients, say) read out by parameter name."""
        return {name: float(self._at(positions[0], arrays)) for name, positions in self.names.items()}

    @staticmethod
    def _at(position: Position, arrays: list[tuple[np.ndarray, np.ndarray]]) -> float:
        layer, kind, where = position
        value: float = arrays[layer][0 if kind == "W" else 1][where]
        return value

    @property
    def parameter_count(self) -> int:
        if self.names:
            return len(self.names)
        return sum(layer.weights.size + layer.biases.size for layer in self.layers)


def _uniform(rates: np.ndarray) -> Any:
    """One η for the whole array when they are all equal (the common case, and faster), else the array."""
    if rates.size and (rates == rates.flat[0]).all():
        return float(rates.flat[0])
    return rates


def _activate(layer: DenseLayer, pre: np.ndarray) -> np.ndarray:
    if layer.activation in LAYER_ACTIVATIONS:
        activated: np.ndarray = LAYER_ACTIVATIONS[layer.activation].numpy_forward(pre)
        return activated
    forward = ACTIVATIONS[layer.activation].numpy_forward
    assert forward is not None  # every built-in activation has its NumPy form
    activated = forward(pre, layer.slope)
    return activated


def _sigmoid(pre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """σ(Z) in the two-branch form that cannot overflow (ops.py), and e^(−|Z|) for σ′."""
    small = np.abs(pre)
    np.negative(small, out=small)
    np.exp(small, out=small)
    activation = np.where(pre >= 0, 1.0, small)
    activation /= 1.0 + small
    return activation, small


def _derivative(layer: DenseLayer, passed: tuple[np.ndarray, np.ndarray, np.ndarray | None]) -> np.ndarray:
    """f′(Z) of a layer, elementwise; σ′ = e^(−|z|)/(1 + e^(−|z|))² from the forward pass's e^(−|z|)."""
    pre, out, small = passed
    if small is None:
        derivative = ACTIVATIONS[layer.activation].numpy_derivative
        assert derivative is not None  # every built-in activation has its NumPy form
        slope: np.ndarray = derivative(pre, out, layer.slope)
        return slope
    square: np.ndarray = 1.0 + small
    square *= square
    np.divide(small, square, out=square)
    return square


def _output(
    loss_name: str, layer: DenseLayer, passed: tuple[np.ndarray, np.ndarray, np.ndarray | None], targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each sample's loss, and the output error terms Δ = ∂E_sample/∂Z (m × outputs)."""
    pre, out, _ = passed
    loss = LOSSES[loss_name]
    count = targets.shape[1]
    if loss.fused_with is not None:  # the activation's derivative cancels: δ = out − target
        assert loss.numpy_logit_terms is not None  # a fused loss computes from the logits
        terms = loss.numpy_logit_terms(targets, pre)
        delta = out * targets.sum(axis=1, keepdims=True) - targets if loss.fused_with == "softmax" else out - targets
    else:
        assert loss.numpy_term is not None and loss.numpy_term_derivative is not None
        terms = loss.numpy_term(targets, out)
        upstream = loss.numpy_term_derivative(targets, out)
        if layer.activation in LAYER_ACTIVATIONS:  # softmax's Jacobian: δ_j = a_j·(g_j − Σ_i g_i·a_i)
            delta = out * (upstream - (upstream * out).sum(axis=1, keepdims=True))
        else:
            delta = upstream * _derivative(layer, passed)
    if loss.mean:
        losses = terms.sum(axis=1) / count
        delta = delta / count
    else:
        losses = terms.sum(axis=1)
    if loss.root:  # E = √(mean): ∂E/∂out = ∂mean/∂out / (2E), 0 where E = 0
        losses = np.sqrt(losses)
        scale = np.divide(0.5, losses, out=np.zeros_like(losses), where=losses > 0)
        delta = delta * scale[:, None]
    return losses, delta


class Trainer:
    """Gradient steps with an optimizer, its state (velocity, moments) kept per layer as arrays."""

    def __init__(self, network: Network, optimizer: Optimizer) -> None:
        self.network = network
        self.optimizer = optimizer
        self.state = [
            (
                initial_state(optimizer, np.zeros_like(layer.weights)),
                initial_state(optimizer, np.zeros_like(layer.biases)),
            )
            for layer in network.layers
        ]
        self.t = 0

    def step(self, inputs: np.ndarray, targets: np.ndarray, reduction: str = "mean") -> float:
        """One update from one batch; returns the batch loss before it."""
        loss, grads = self.network.gradients(inputs, targets, reduction)
        self.apply(grads)
        return loss

    def step_with_mean(self, inputs: np.ndarray, targets: np.ndarray, reduction: str = "mean") -> tuple[float, float]:
        """One update from one batch; returns the batch loss before it and the mean of its samples' losses."""
        loss, mean, grads = self.network.gradients_and_mean(inputs, targets, reduction)
        self.apply(grads)
        return loss, mean

    def apply(self, grads: list[tuple[np.ndarray, np.ndarray]]) -> None:
        self.t += 1
        optimizer = self.optimizer
        for index, (layer, (grad_w, grad_b)) in enumerate(zip(self.network.layers, grads, strict=True)):
            rate_w, rate_b = self.network.rates[index]
            if optimizer.name == "sgd" and not optimizer.weight_decay:  # the common case, in place
                layer.weights -= rate_w * grad_w
                layer.biases -= rate_b * grad_b
                continue
            state_w, state_b = self.state[index]
            new_w = update(optimizer, layer.weights, grad_w, state_w, rate_w, self.t)
            new_b = update(optimizer, layer.biases, grad_b, state_b, rate_b, self.t)
            layer.weights, layer.biases = new_w.new, new_b.new
            self.state[index] = (new_w.state, new_b.state)
            if layer.weight_mask is not None:  # absent connections stay exactly 0 under weight decay
                layer.weights *= layer.weight_mask
            if layer.bias_mask is not None:
                layer.biases *= layer.bias_mask


__all__ = ["SAFE_MAGNITUDE", "DenseLayer", "Network", "Trainer", "surely_finite"]


SAFE_MAGNITUDE = 1e150  # a product of two such numbers, summed 4,096 times in any order, is still finite


def surely_finite(scenario: Scenario) -> bool:
    """Whether one traced step of this scenario's one example surely stays finite.

    Every input, target, weight, bias, pre-activation, activation, error term and
    gradient of the step, computed here on whole arrays, is at most 1e150 in size, so
    no product or sum the tracer forms in its own order can overflow (the built-in
    functions never overflow on their own: they exponentiate −|z| only). False says
    nothing: the tracer itself then decides, and names the step that diverges.
    """
    if scenario.rounding is not None or scenario.samples is not None:
        return False
    if scenario.conventions.hidden_error_weights == "updated":
        return False
    if not isinstance(scenario.loss, str) or any(not isinstance(layer.activation, str) for layer in scenario.layers):
        return False
    network = Network.from_scenario(scenario)
    inputs = np.array([[value for _, value in scenario.inputs]], dtype=np.float64)
    targets = np.array([[value for _, value in scenario.targets]], dtype=np.float64)
    with np.errstate(all="ignore"):
        passes = network.forward(inputs)
        loss, grads = network.gradients(inputs, targets, "sum")
    arrays = [inputs, targets, np.array([loss])]
    arrays += [array for layer in network.layers for array in (layer.weights, layer.biases)]
    arrays += [array for passed in passes for array in passed]
    arrays += [array for pair in grads for array in pair]  # ∂E/∂b is the error term δ of each neuron
    rates = [abs(value) for _, value in scenario.learning_rate.by_layer] + [abs(scenario.learning_rate.default)]
    rates += [abs(value) for _, value in scenario.learning_rate.by_parameter]
    largest = max(float(np.abs(array).max(initial=0.0)) for array in arrays)
    return bool(np.isfinite(largest)) and largest <= SAFE_MAGNITUDE and max(rates) * largest <= SAFE_MAGNITUDE
