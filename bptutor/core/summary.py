"""What a large network's run comes to, layer by layer, and which parameters matter most.

For a network of thousands of parameters the full tables of `run` are too long
to read. This module condenses one traced step: per layer the Frobenius norms
‖W‖ = √(Σ w²), ‖b‖, ‖δ‖ and ‖∂E/∂W‖, and the parameters ranked by |∂E/∂p|,
each with how many times larger its gradient is than the next one's and than
the smallest listed one's (a parameter whose gradient is 32 times another's
changes the loss 32 times as much for the same small step). It computes; the
renderers (`bptutor.render.summary`) only format.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from bptutor.core.arithmetic import Number
from bptutor.core.trace import Run, StepTrace
from bptutor.records import dataclass

SUMMARY_ABOVE = 60  # `run` shows the summary when a network has more parameters than this
DEFAULT_TOP = 10


@dataclass(frozen=True)
class LayerSummary:
    """One layer: its size, its activation, and the norms of its parameters, error terms and gradients."""

    name: str
    neurons: int
    sources: int  # distinct inputs of the layer's neurons (the width of the layer below)
    activation: str
    weights: int  # distinct weight parameters
    weight_norm: float  # ‖W‖
    bias_norm: float  # ‖b‖ (0 for a layer without biases)
    delta_norm: float  # ‖δ‖, δ_j = ∂E/∂z_j
    weight_gradient_norm: float  # ‖∂E/∂W‖
    bias_gradient_norm: float  # ‖∂E/∂b‖


@dataclass(frozen=True)
class Ranked:
    """A parameter in the ranking by |∂E/∂p|."""

    rank: int
    parameter: str
    value: float
    gradient: float  # ∂E/∂p
    new: float  # its value after the update
    ratio_to_next: float | None  # |∂E/∂p| / |∂E/∂p of the next one|; None when that is 0 or there is none
    ratio_to_last: float | None  # the same against the last one listed


def norm(values: Iterable[Number]) -> float:
    """√(Σ v²), summed exactly (math.fsum) so the order of the terms does not matter."""
    return math.sqrt(math.fsum(float(value) ** 2 for value in values))


def layer_summaries(run: Run, step: StepTrace | None = None) -> tuple[LayerSummary, ...]:
    """The norms of every layer at one step (the first by default)."""
    step = step or run.first
    scenario = run.scenario
    notation = scenario.notation
    summaries = []
    for layer in scenario.layers:
        weights = list(dict.fromkeys(weight for neuron in layer.neurons for _, weight in neuron.weights))
        biases = list(dict.fromkeys(neuron.bias for neuron in layer.neurons if neuron.bias is not None))
        sources = len(dict.fromkeys(source for neuron in layer.neurons for source, _ in neuron.weights))
        deltas = [step.gradient(notation.pre(neuron.name)) for neuron in layer.neurons]
        summaries.append(
            LayerSummary(
                name=layer.name,
                neurons=len(layer.neurons),
                sources=sources,
                activation=str(layer.activation),  # a built-in's name, or a custom function's own text
                weights=len(weights),
                weight_norm=norm(step.value(name) for name in weights),
                bias_norm=norm(step.value(name) for name in biases),
                delta_norm=norm(deltas),
                weight_gradient_norm=norm(step.gradient(name) for name in weights),
                bias_gradient_norm=norm(step.gradient(name) for name in biases),
            )
        )
    return tuple(summaries)


def _ratio(larger: float, smaller: float) -> float | None:
    """|larger| / |smaller|; None when smaller is 0 or the quotient leaves float64 (against a denormal)."""
    if smaller == 0:
        return None
    quotient = abs(larger) / abs(smaller)
    return quotient if math.isfinite(quotient) else None


def ranking(run: Run, top: int | None = DEFAULT_TOP, step: StepTrace | None = None) -> tuple[Ranked, ...]:
    """The `top` parameters by |∂E/∂p| (all when top is None), largest first; ties in declaration order."""
    step = step or run.first
    updates = sorted(step.updates, key=lambda update: -abs(float(update.gradient)))  # sorted() is stable
    chosen = updates if top is None else updates[:top]
    last = float(chosen[-1].gradient) if chosen else 0.0
    ranked = []
    for index, update in enumerate(chosen):
        gradient = float(update.gradient)
        following = float(chosen[index + 1].gradient) if index + 1 < len(chosen) else None
        ranked.append(
            Ranked(
                rank=index + 1,
                parameter=update.parameter,
                value=float(update.old),
                gradient=gradient,
                new=float(update.new),
                ratio_to_next=_ratio(gradient, following) if following is not None else None,
                ratio_to_last=_ratio(gradient, last) if index + 1 < len(chosen) else None,
            )
        )
    return tuple(ranked)


def uses_summary(run: Run, full: bool, summary: bool) -> bool:
    """Whether `run` shows the summary: asked for, or the network is large and the full tables were not asked for."""
    if summary:
        return True
    return not full and len(run.scenario.parameters) > SUMMARY_ABOVE


__all__ = [
    "DEFAULT_TOP",
    "SUMMARY_ABOVE",
    "LayerSummary",
    "Ranked",
    "layer_summaries",
    "norm",
    "ranking",
    "uses_summary",
]
