"""From a scenario to a graph: every named quantity and the one equation that defines it.

Quantities are listed in a deterministic forward order (inputs, targets,
parameters, then each layer's neurons as pre-activation, activation, then the
loss). `check` asserts the graph is well formed: each quantity defined once,
before it is used, and no two quantities share a name.
"""

from __future__ import annotations

from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING

from bptutor.core.ops import loss_of
from bptutor.core.scenario import LAYER_ACTIVATIONS, Scenario
from bptutor.errors import Location, ScenarioError
from bptutor.i18n import Message
from bptutor.records import dataclass

if TYPE_CHECKING:
    from bptutor.core.custom import CustomActivation, CustomLoss


class Kind(str, Enum):
    INPUT = "input"
    TARGET = "target"
    PARAMETER = "parameter"
    PRE_ACTIVATION = "pre_activation"
    ACTIVATION = "activation"
    LOSS = "loss"


@dataclass(frozen=True)
class Quantity:
    name: str  # as shown to the student, in the scenario's notation
    kind: Kind
    neuron: str | None = None  # the scenario's neuron name, for neuron quantities
    layer: int | None = None  # index of the neuron's layer


@dataclass(frozen=True)
class WeightedSum:
    """z = Σ w·a + b"""

    output: str
    terms: tuple[tuple[str, str], ...]  # (weight parameter, source quantity)
    bias: str | None
    threshold: bool = False  # the bias is a threshold θ, subtracted: z = Σ w·a − θ


@dataclass(frozen=True)
class Activate:
    """a = f(z)"""

    output: str
    argument: str
    activation: str | CustomActivation  # a built-in's name or a custom function: see ops.activation_of
    slope: float
    group: tuple[str, ...] = ()  # softmax: every pre-activation of the layer, in order (argument among them)
    siblings: tuple[str, ...] = ()  # softmax: every activation of the layer, in the same order (output among them)


@dataclass(frozen=True)
class LossTerm:
    name: str  # e.g. E_o1
    target: str  # target quantity
    output: str  # activation quantity of an output neuron
    logit: str | None = None  # its pre-activation, when the loss is computed from it (bce, cross_entropy)


@dataclass(frozen=True)
class TotalLoss:
    """E = Σ terms (or their mean)"""

    output: str
    terms: tuple[LossTerm, ...]
    loss: str | CustomLoss  # see ops.loss_of


Equation = WeightedSum | Activate | TotalLoss


def arguments(equation: Equation) -> tuple[str, ...]:
    """The quantities an equation reads, in the order they appear in it."""
    if isinstance(equation, WeightedSum):
        names: list[str] = []
        for weight, source in equation.terms:
            names += [weight, source]
        if equation.bias is not None:
            names.append(equation.bias)
        return tuple(names)
    if isinstance(equation, Activate):
        return (equation.argument, *(name for name in equation.group if name != equation.argument))
    return tuple(
        name for term in equation.terms for name in (term.target, term.output, term.logit) if name is not None
    )


@dataclass(frozen=True)
class Graph:
    scenario: Scenario
    quantities: tuple[Quantity, ...]  # forward order
    equations: tuple[Equation, ...]  # forward order, one per defined quantity
    learning_rates: tuple[tuple[str, float], ...]  # η for each parameter, in declaration order
    parameter_layers: tuple[tuple[str, tuple[int, ...]], ...]  # layers that use each parameter

    @property
    def loss_name(self) -> str:
        return self.scenario.notation.loss

    def quantity(self, name: str) -> Quantity:
        return self._quantity_index[name]

    def definition(self, name: str) -> Equation | None:
        return self._definition_index.get(name)

    def consumers(self, name: str) -> tuple[Equation, ...]:
        """The equations that read `name`, in forward order."""
        return self._consumer_index.get(name, ())

    # Indexes built on first use, so a network of thousands of parameters is not searched
    # quantity by quantity (the first of two same-named quantities wins, as a scan would find it).

    @cached_property
    def _quantity_index(self) -> dict[str, Quantity]:
        index: dict[str, Quantity] = {}
        for quantity in self.quantities:
            index.setdefault(quantity.name, quantity)
        return index

    @cached_property
    def _definition_index(self) -> dict[str, Equation]:
        index: dict[str, Equation] = {}
        for equation in self.equations:
            index.setdefault(equation.output, equation)
        return index

    @cached_property
    def _consumer_index(self) -> dict[str, tuple[Equation, ...]]:
        readers: dict[str, list[Equation]] = {}
        for equation in self.equations:
            for name in dict.fromkeys(arguments(equation)):
                readers.setdefault(name, []).append(equation)
        return {name: tuple(equations) for name, equations in readers.items()}

    @property
    def frozen(self) -> tuple[str, ...]:
        """Parameters not updated: the scenario's `frozen`, and the biases under update_biases: false."""
        scenario = self.scenario
        names = list(scenario.frozen)
        if not scenario.conventions.update_biases:
            weights = {w for layer in scenario.layers for n in layer.neurons for _, w in n.weights}
            biases = [n.bias for layer in scenario.layers for n in layer.neurons if n.bias]
            names += [b for b in dict.fromkeys(biases) if b not in weights and b not in names]
        return tuple(names)



def build(scenario: Scenario, fused: bool = True) -> Graph:
    """Lay out the scenario's network as quantities and equations.

    A loss fused with its output activation (cross-entropy on softmax, bce on sigmoid) reads the
    logits, and its δ is out − target; with `fused=False` it reads the outputs only, so the backward
    pass goes through the activation's derivative (softmax's Jacobian), as a hand derivation may.
    """
    notation = scenario.notation
    quantities: list[Quantity] = []
    equations: list[Equation] = []
    quantities += [Quantity(name, Kind.INPUT) for name, _ in scenario.inputs]
    quantities += [Quantity(notation.tgt(name), Kind.TARGET, neuron=name) for name, _ in scenario.targets]
    quantities += [Quantity(name, Kind.PARAMETER) for name, _ in scenario.parameters]

    shown: dict[str, str] = {name: name for name, _ in scenario.inputs}  # neuron/input → activation name
    for index, layer in enumerate(scenario.layers):
        whole_layer = layer.activation in LAYER_ACTIVATIONS  # softmax: every z of the layer before any a
        group = tuple(notation.pre(neuron.name) for neuron in layer.neurons) if whole_layer else ()
        siblings = tuple(notation.act(neuron.name) for neuron in layer.neurons) if whole_layer else ()
        activations: list[tuple[Quantity, Activate]] = []
        for neuron in layer.neurons:
            pre, act = notation.pre(neuron.name), notation.act(neuron.name)
            quantities.append(Quantity(pre, Kind.PRE_ACTIVATION, neuron.name, index))
            terms = tuple((weight, shown[source]) for source, weight in neuron.weights)
            threshold = scenario.conventions.bias == "threshold"
            equations.append(WeightedSum(pre, terms, neuron.bias, threshold))
            activate = Activate(act, pre, layer.activation, layer.slope, group, siblings)
            activation = (Quantity(act, Kind.ACTIVATION, neuron.name, index), activate)
            if whole_layer:
                activations.append(activation)
            else:
                quantities.append(activation[0])
                equations.append(activation[1])
        for quantity, equation in activations:
            quantities.append(quantity)
            equations.append(equation)
        for neuron in layer.neurons:
            shown[neuron.name] = notation.act(neuron.name)

    output_layer = scenario.layers[-1]
    fused = fused and loss_of(scenario.loss).fused_with == output_layer.activation
    loss_terms = tuple(
        LossTerm(
            notation.term(n.name), notation.tgt(n.name), notation.act(n.name), notation.pre(n.name) if fused else None
        )
        for n in output_layer.neurons
    )
    quantities.append(Quantity(notation.loss, Kind.LOSS))
    equations.append(TotalLoss(notation.loss, loss_terms, scenario.loss))

    parameter_layers = _parameter_layers(scenario)
    graph = Graph(
        scenario=scenario,
        quantities=tuple(quantities),
        equations=tuple(equations),
        learning_rates=_learning_rates(scenario, parameter_layers),
        parameter_layers=parameter_layers,
    )
    check(graph)
    return graph


def _parameter_layers(scenario: Scenario) -> tuple[tuple[str, tuple[int, ...]], ...]:
    uses: dict[str, list[int]] = {name: [] for name, _ in scenario.parameters}
    for index, layer in enumerate(scenario.layers):
        for neuron in layer.neurons:
            used = [weight for _, weight in neuron.weights] + ([neuron.bias] if neuron.bias else [])
            for name in used:
                if index not in uses[name]:
                    uses[name].append(index)
    return tuple((name, tuple(layers)) for name, layers in uses.items())


def _learning_rates(
    scenario: Scenario, parameter_layers: tuple[tuple[str, tuple[int, ...]], ...]
) -> tuple[tuple[str, float], ...]:
    """η per parameter: by parameter name, else by the layer using it, else the default."""
    rate = scenario.learning_rate
    by_parameter = dict(rate.by_parameter)
    by_layer = dict(rate.by_layer)
    rates: list[tuple[str, float]] = []
    for name, layers in parameter_layers:
        if name in by_parameter:
            rates.append((name, by_parameter[name]))
            continue
        candidates = {by_layer.get(scenario.layers[i].name, rate.default) for i in layers}
        if len(candidates) > 1:
            layer_names = ", ".join(scenario.layers[i].name for i in layers)
            raise ScenarioError(
                Message.of("scenario.shared_rates_differ", name=name, layers=layer_names),
                Location(scenario.source),
                "learning_rate",
            )
        rates.append((name, candidates.pop() if candidates else rate.default))
    return tuple(rates)


def check(graph: Graph) -> None:
    """Assert that every quantity is named once and defined once, before it is used."""
    scenario = graph.scenario
    seen: dict[str, Kind] = {}
    for quantity in graph.quantities:
        if quantity.name in seen:
            first, second = (Message.of(f"kind.{kind.value}") for kind in (seen[quantity.name], quantity.kind))
            raise ScenarioError(
                Message.of("scenario.name_two_kinds", name=quantity.name, first=first, second=second),
                Location(scenario.source),
                "notation",
            )
        seen[quantity.name] = quantity.kind
    extra_names = [term.name for eq in graph.equations if isinstance(eq, TotalLoss) for term in eq.terms]
    extra_names += [
        scenario.notation.dlt(q.neuron) for q in graph.quantities if q.kind is Kind.PRE_ACTIVATION if q.neuron
    ]
    for name in extra_names:
        if name in seen:
            raise ScenarioError(
                Message.of("scenario.name_used_twice", name=name),
                Location(scenario.source),
                "notation",
            )
    defined = {q.name for q in graph.quantities if q.kind in (Kind.INPUT, Kind.TARGET, Kind.PARAMETER)}
    for equation in graph.equations:
        for name in arguments(equation):
            assert name in defined, f"{equation.output} reads {name} before it is defined"
        assert equation.output not in defined, f"{equation.output} is defined twice"
        assert equation.output in seen, f"{equation.output} is not a listed quantity"
        defined.add(equation.output)
    assert len(defined) == len(graph.quantities), "some quantity has no definition"


__all__ = [
    "Activate",
    "Equation",
    "Graph",
    "Kind",
    "LossTerm",
    "Quantity",
    "TotalLoss",
    "WeightedSum",
    "arguments",
    "build",
    "check",
]
