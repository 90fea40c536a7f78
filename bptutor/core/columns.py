"""Where the pieces of a layered network stand, left to right.

One rule, used by both pictures of a network: the handout's neuron-level figure
(`bptutor.handout.figure`) and the computational graph of `bptutor graph`
(`bptutor.render.picture`). The network is drawn in columns: the inputs first, then
each layer in declaration order, each column's names in declaration order. The
parameters a layer reads stand one column before it, beside the values they
multiply, in order of first use: a parameter is an input of the layer and is
drawn like one. A parameter read by several layers stands before the first.
"""

from __future__ import annotations

from bptutor.core.scenario import Layer, Scenario
from bptutor.records import dataclass


@dataclass(frozen=True)
class LayerParameters:
    """The distinct parameters one layer reads, each in order of first use."""

    weights: tuple[str, ...]
    biases: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        """Weights, then biases (a name that is both is listed once, as a weight)."""
        return self.weights + tuple(name for name in self.biases if name not in self.weights)


def neuron_columns(scenario: Scenario) -> tuple[tuple[str, ...], ...]:
    """Column 0 the inputs, column k the neurons of layer k, each in declaration order."""
    columns = [tuple(name for name, _ in scenario.inputs)]
    columns += [tuple(neuron.name for neuron in layer.neurons) for layer in scenario.layers]
    return tuple(columns)


def layer_parameters(layer: Layer) -> LayerParameters:
    """The weights and the biases of `layer`, each listed once, in the order its neurons use them.

    They stand in the column before the layer's own (column k − 1 for layer k).
    """
    weights: list[str] = []
    biases: list[str] = []
    for neuron in layer.neurons:
        for _, weight in neuron.weights:
            if weight not in weights:
                weights.append(weight)
        if neuron.bias is not None and neuron.bias not in biases:
            biases.append(neuron.bias)
    return LayerParameters(tuple(weights), tuple(biases))


def parameter_columns(scenario: Scenario) -> tuple[tuple[str, ...], ...]:
    """For layer k (0-based), the parameters that stand before it: those it is the first layer to read."""
    placed: set[str] = set()
    per_layer = []
    for layer in scenario.layers:
        names = tuple(name for name in layer_parameters(layer).all if name not in placed)
        placed.update(names)
        per_layer.append(names)
    return tuple(per_layer)


__all__ = ["LayerParameters", "layer_parameters", "neuron_columns", "parameter_columns"]
