"""A hand calculation apart from bptutor: a student working a network's first training step in decimals.

Each value is computed from the student's own carried values and rounded as the student chooses
(decimals and a `decimal` rounding mode per value); only the names and the wiring are read from the
scenario, never a value bptutor computed. Used by the tests of `check` as the student whose work is graded.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from bptutor.core.scenario import Scenario
from bptutor.teach.solution import (
    ACTIVATION,
    DELTA,
    GRADIENT,
    LOSS,
    LOSS_TERM,
    NEW_PARAMETER,
    OUTPUT_GRADIENT,
    PRE_ACTIVATION,
    SLOPE,
    WorkedSteps,
)


def sigmoid(z: Decimal) -> Decimal:
    return 1 / (1 + (-z).exp())


class Student:
    """Works the first training step of `scenario` by hand, rounding each value by `rounding`."""

    def __init__(self, scenario: Scenario, rounding: dict[str, tuple[int, str]]) -> None:
        self.scenario = scenario
        self.rounding = rounding
        self.notation = scenario.notation
        self.given: dict[str, Decimal] = {name: Decimal(str(value)) for name, value in scenario.inputs}
        self.given.update({self.notation.tgt(name): Decimal(str(value)) for name, value in scenario.targets})
        self.given.update({name: Decimal(str(value)) for name, value in scenario.parameters})
        self.rates = self._rates()
        self.loss = WorkedSteps(scenario).graph.loss_name
        self.carried: dict[str, Decimal] = {}
        self.unrounded: dict[str, Decimal] = {}

    def _rates(self) -> dict[str, Decimal]:
        rates = {}
        by_layer = dict(self.scenario.learning_rate.by_layer)
        for layer in self.scenario.layers:
            rate = Decimal(str(by_layer.get(layer.name, self.scenario.learning_rate.default)))
            for neuron in layer.neurons:
                for _, weight in neuron.weights:
                    rates[weight] = rate
                if neuron.bias:
                    rates[neuron.bias] = rate
        return rates

    def read(self, name: str) -> Decimal:
        return self.given[name] if name in self.given else self.carried[name]

    def work(self, steps: list[tuple[str, str, str | None, str | None]]) -> None:
        with localcontext(prec=40):
            for name, kind, neuron, parameter in steps:
                value = self.compute(name, kind, neuron, parameter)
                decimals, method = self.rounding[name]
                self.unrounded[name] = value
                self.carried[name] = value.quantize(Decimal(1).scaleb(-decimals), rounding=method)

    def consumers(self, neuron: str) -> list[tuple[str, str]]:
        return [(n.name, weight) for layer in self.scenario.layers for n in layer.neurons
                for source, weight in n.weights if source == neuron]

    def compute(self, name: str, kind: str, neuron: str | None, parameter: str | None) -> Decimal:
        n = self.notation
        by_name = {nn.name: nn for layer in self.scenario.layers for nn in layer.neurons}
        outputs = [nn.name for nn in self.scenario.layers[-1].neurons]
        if kind == PRE_ACTIVATION:
            assert neuron is not None
            spec = by_name[neuron]
            total = sum((self.read(w) * self.read(s if s in self.given else n.act(s)) for s, w in spec.weights),
                        Decimal(0))
            return total + (self.read(spec.bias) if spec.bias else 0)
        if kind == ACTIVATION:
            assert neuron is not None
            return sigmoid(self.read(n.pre(neuron)))
        if kind in (LOSS_TERM, LOSS) and (kind == LOSS_TERM or len(outputs) == 1):
            out = neuron or outputs[0]
            return (self.read(n.tgt(out)) - self.read(n.act(out))) ** 2 / 2
        if kind == LOSS:
            return sum((self.read(n.term(out)) for out in outputs), Decimal(0))
        assert neuron is not None
        if kind == OUTPUT_GRADIENT and neuron in outputs:
            return -(self.read(n.tgt(neuron)) - self.read(n.act(neuron)))
        if kind == OUTPUT_GRADIENT:
            return sum((self.read(n.dlt(k)) * self.read(w) for k, w in self.consumers(neuron)), Decimal(0))
        if kind == SLOPE:
            out = self.read(n.act(neuron))
            return out * (1 - out)
        if kind == DELTA:
            return self.read(f"∂{self.loss}/∂{n.act(neuron)}") * self.read(f"∂{n.act(neuron)}/∂{n.pre(neuron)}")
        assert parameter is not None
        if kind == GRADIENT:
            spec = by_name[neuron]
            if parameter == spec.bias:
                return self.read(n.dlt(neuron))
            (source,) = [s for s, w in spec.weights if w == parameter]
            return self.read(n.dlt(neuron)) * self.read(source if source in self.given else n.act(source))
        assert kind == NEW_PARAMETER
        return self.read(parameter) - self.rates[parameter] * self.read(f"∂{self.loss}/∂{parameter}")


__all__ = ["Student", "sigmoid"]
