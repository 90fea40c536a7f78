"""Step K of a training scenario as a problem of its own: the state before it, and its batch.

The teaching commands work one training step by hand. `at_step(scenario, K)`
trains K − 1 steps exactly as `run` and `train` do (the same batches from
bptutor.core.schedule, the same optimizer from bptutor.core.optim, through
bptutor.core.trace) and returns the scenario as it stands before step K: its
parameters then, only step K's batch as its samples (in batch order), and a
`Resume` with the optimizer's state, the step and epoch, and which samples of
the file the batch holds. Tracing that scenario for one step is step K.
"""

from __future__ import annotations

from dataclasses import replace

from bptutor.core.scenario import Resume, Samples, Scenario, Training
from bptutor.core.schedule import batches

MAX_SAMPLES_BY_HAND = 8  # samples of one batch worked by hand; a larger batch is for `run` and `train`


def at_step(scenario: Scenario, step: int = 1) -> Scenario:
    """The scenario before training step `step` (from 1): a single example is only trained on; a batch is cut out."""
    from bptutor.core.trace import MAX_STEPS, run

    if not 1 <= step <= MAX_STEPS:
        raise ValueError(f"step must be between 1 and {MAX_STEPS}")
    if scenario.resumed is not None:
        return scenario
    parameters = dict(scenario.parameters)
    state: dict[str, tuple[float, ...]] = {}
    if step > 1:
        last = run(scenario, step - 1, lambda number: number == step - 1).steps[-1]
        parameters = {name: float(value) for name, value in last.new_parameters.items()}
        state = {update.parameter: tuple(float(value) for _, value in update.state) for update in last.updates}
    moved = scenario.with_parameters(parameters) if step > 1 else scenario
    if scenario.is_single_example:
        return moved
    samples = scenario.samples
    count = len(samples) if samples is not None else 1
    *_, batch = batches(scenario.training, count, step)
    reduction = scenario.training.reduction if scenario.training is not None else "mean"
    training = Training(steps=1, batch_size=None, shuffle=False, reduction=reduction)
    kept = tuple((name, state.get(name, ())) for name, _ in scenario.parameters if state.get(name))
    resumed = Resume(step, batch.epoch, batch.indices, count, kept)
    if samples is None:
        return replace(moved, training=training, resumed=resumed)
    chosen = Samples(
        tuple(samples.inputs[index] for index in batch.indices),
        tuple(samples.targets[index] for index in batch.indices),
        samples.origin,
        samples.files,
    )
    first = batch.indices[0]
    inputs = tuple((name, value) for (name, _), value in zip(scenario.inputs, samples.inputs[first], strict=True))
    targets = tuple((name, value) for (name, _), value in zip(scenario.targets, samples.targets[first], strict=True))
    return replace(moved, inputs=inputs, targets=targets, samples=chosen, training=training, resumed=resumed)


def batch_size_of(scenario: Scenario) -> int:
    """How many samples one step of a scenario taken up by `at_step` works: 1 for a single example."""
    return len(scenario.samples) if scenario.samples is not None else 1


__all__ = ["MAX_SAMPLES_BY_HAND", "at_step", "batch_size_of"]
