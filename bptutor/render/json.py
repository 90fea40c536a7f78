"""JSON renderer for `bptutor run --format json`: full float precision, the scenario's own names.

Exact decimals (under a rounding policy) are written as the nearest float: 0.57 stays 0.57.
"""

from __future__ import annotations

import json
from typing import Any

from bptutor.core.trace import Run, StepTrace


def step_record(run: Run, number: int, step: StepTrace) -> dict[str, Any]:
    notation = run.scenario.notation
    neurons: dict[str, dict[str, float]] = {}
    deltas: dict[str, float] = {}
    for layer in run.scenario.layers:
        for neuron in layer.neurons:
            neurons[neuron.name] = {
                "z": float(step.value(notation.pre(neuron.name))),
                "a": float(step.value(notation.act(neuron.name))),
            }
            deltas[neuron.name] = float(step.gradient(notation.pre(neuron.name)))
    batch = {"epoch": step.epoch, "batch": [sample.index + 1 for sample in step.samples]} if step.samples else {}
    return {
        "step": number,
        **batch,
        "loss": float(step.loss),
        "neurons": neurons,
        "deltas": deltas,
        "gradients": {name: float(value) for name, value in step.gradients.items()},
        "parameters": {name: float(value) for name, value in step.new_parameters.items()},
    }


def kept_steps(count: int, every: int) -> list[int]:
    """Step numbers (1-based) kept when thinning: every K-th, always the first and the last."""
    kept = [number for number in range(1, count + 1) if number == 1 or number == count or number % every == 0]
    return kept


def render_json(run: Run, every: int = 1) -> str:
    numbers = kept_steps(len(run.steps), every)
    document = {
        "scenario": run.scenario.name,
        "steps": [step_record(run, number, run.steps[number - 1]) for number in numbers],
        "final_loss": float(run.final_loss),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


__all__ = ["kept_steps", "render_json"]
