"""How much of the backward pass a handout derives in full, and what goes into tables.

A textbook derives one weight of each layer in full (w5, then w1) and says the
others are similar. `detail` sets the default: `full` derives every parameter,
`standard` the first parameter of each layer, `brief` none; `derive` names the
parameters to derive instead. The backward pass is cut into one section per
layer (output layer first); inside a section the records a chosen parameter
needs (its δ and ∂E/∂out of the same layer) are derived, the others are listed
in a table with the same formula.
"""

from __future__ import annotations

from collections.abc import Sequence

from bptutor.core.graph import Kind
from bptutor.core.trace import BackwardStep, Run
from bptutor.errors import UsageError
from bptutor.i18n import Message
from bptutor.loading.yamltree import did_you_mean
from bptutor.records import dataclass

DETAILS = ("full", "standard", "brief")


@dataclass(frozen=True)
class Section:
    """The backward records of one layer, in the tracer's order, and which of them are derived."""

    layer: int
    records: tuple[BackwardStep, ...]
    derived: frozenset[str]  # record quantities shown as full derivations

    @property
    def rest(self) -> tuple[BackwardStep, ...]:
        return tuple(record for record in self.records if record.quantity not in self.derived)


def chosen_parameters(run: Run, detail: str, derive: Sequence[str] | None) -> tuple[str, ...]:
    """The parameters derived in full. UsageError for an unknown detail or parameter name."""
    if detail not in DETAILS:
        raise UsageError(Message.of("solve.bad_detail", detail=detail, choices=", ".join(DETAILS)))
    names = [name for name, _ in run.scenario.parameters]
    if derive is not None:
        for name in derive:
            if name not in names:
                raise UsageError(Message.of("solve.unknown_parameter", name=name, hint=_hint(name, names)))
        return tuple(name for name in names if name in derive)
    if detail == "full":
        return tuple(names)
    if detail == "brief":
        return ()
    first: dict[int, str] = {}
    for name, layers in run.graph.parameter_layers:
        first.setdefault(min(layers), name)
    return tuple(first[layer] for layer in sorted(first))


def _hint(name: str, names: list[str]) -> str | Message:
    """' (did you mean 'w5'?)' for a close name, W5 for w5 included."""
    same_letters = [candidate for candidate in names if candidate.lower() == name.lower()]
    return did_you_mean(same_letters[0], names) if same_letters else did_you_mean(name, names)


def sections(run: Run, chosen: Sequence[str]) -> tuple[Section, ...]:
    """The backward pass by layer, output layer first, with the records each chosen parameter needs marked."""
    layers = run.scenario.layers
    layer_of_neuron = {neuron.name: index for index, layer in enumerate(layers) for neuron in layer.neurons}
    by_quantity = {record.quantity: record for record in run.first.backward}
    grouped: dict[int, list[BackwardStep]] = {}
    current = len(run.scenario.layers) - 1
    for record in run.first.backward:
        current = _layer(record, by_quantity, layer_of_neuron, current)
        grouped.setdefault(current, []).append(record)
    result = []
    for layer, records in grouped.items():
        derived: set[str] = set()
        for record in records:
            if record.quantity in chosen:
                derived |= _needs(record, by_quantity, layer_of_neuron, layer)
        result.append(Section(layer, tuple(records), frozenset(derived)))
    return tuple(result)


def _layer(
    record: BackwardStep, by_quantity: dict[str, BackwardStep], layer_of_neuron: dict[str, int], last: int
) -> int:
    if record.neuron is not None and record.neuron in layer_of_neuron:
        return layer_of_neuron[record.neuron]
    if record.kind is Kind.PARAMETER:
        for term in record.terms:
            upstream = by_quantity.get(term.via)
            if upstream is not None and upstream.neuron in layer_of_neuron:
                return layer_of_neuron[upstream.neuron]
    return last


def _needs(
    record: BackwardStep, by_quantity: dict[str, BackwardStep], layer_of_neuron: dict[str, int], layer: int
) -> set[str]:
    """The record and, following each path upstream, every record of the same layer it is computed from."""
    needed = {record.quantity}
    waiting = [record]
    while waiting:
        for term in waiting.pop().terms:
            upstream = by_quantity.get(term.via)
            if upstream is None or upstream.quantity in needed:
                continue
            if upstream.neuron is None or layer_of_neuron.get(upstream.neuron) != layer:
                continue
            needed.add(upstream.quantity)
            waiting.append(upstream)
    return needed


__all__ = ["DETAILS", "Section", "chosen_parameters", "sections"]
