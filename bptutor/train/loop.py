"""`bptutor train`: many steps on the vectorised path, the loss after each epoch, the accuracy.

The batches come from schedule.py and the updates from optim.py, as on the
traced path; only the arithmetic is done on whole arrays (`bptutor.train.vectorised`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from bptutor.core.scenario import Optimizer, Scenario, Training
from bptutor.core.schedule import batch_size, index_batches, steps_per_epoch, total_steps
from bptutor.errors import DivergenceError
from bptutor.i18n import Message
from bptutor.records import dataclass
from bptutor.train import scalar

MAX_TRAIN_STEPS = 10_000_000


@dataclass(frozen=True)
class TrainingResult:
    scenario: Scenario
    steps: int
    epochs: int
    losses: tuple[float, ...]  # the mean loss over all samples: before training, then after each epoch
    accuracy: float | None  # the share of samples classified right, for classification data
    initial: dict[str, float]
    final: dict[str, float]
    network: Any  # batch.Network with the trained parameters (for plots)


def sample_arrays(scenario: Scenario) -> tuple[Any, Any]:
    import numpy as np

    if scenario.samples is None:
        return np.array([[value for _, value in scenario.inputs]]), np.array([[value for _, value in scenario.targets]])
    return np.array(scenario.samples.inputs, dtype=np.float64), np.array(scenario.samples.targets, dtype=np.float64)


def is_classification(targets: Any) -> bool:
    """Every target 0 or 1, and with several outputs exactly one 1 per sample."""
    import numpy as np

    if not np.isin(targets, (0.0, 1.0)).all():
        return False
    return targets.shape[1] == 1 or bool((targets.sum(axis=1) == 1).all())


def accuracy(outputs: Any, targets: Any) -> float:
    import numpy as np

    if targets.shape[1] == 1:
        right = (outputs[:, 0] >= 0.5) == (targets[:, 0] == 1.0)
    else:
        right = outputs.argmax(axis=1) == targets.argmax(axis=1)
    return float(np.mean(right))


def train(
    scenario: Scenario,
    steps: int | None = None,
    epochs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    path: str = "auto",
) -> TrainingResult:
    """Train with the scenario's samples, batches and optimizer; `steps` or `epochs` override the file's.

    `path`: "scalar" (generated Python, for a tiny network: scalar.py), "vectorised"
    (NumPy), or "auto": the scalar path wherever it can take the network.
    """
    import numpy as np

    from bptutor.core.graph import build
    from bptutor.train.vectorised import Network, Trainer

    if scenario.conventions.hidden_error_weights == "updated":  # not a gradient: only the traced path does it
        from bptutor.errors import Location, ScenarioError

        raise ScenarioError(
            Message.of("scenario.updated_weights_training"), Location(scenario.source), "hidden_error_weights"
        )
    inputs, targets = sample_arrays(scenario)
    count = len(inputs)
    training = scenario.training or Training()
    if epochs is not None:
        training = replace(training, steps=None, epochs=epochs)
    if steps is not None:
        training = replace(training, steps=steps, epochs=None)
    total = total_steps(training, count)
    if not 1 <= total <= MAX_TRAIN_STEPS:
        raise ValueError(f"steps must be between 1 and {MAX_TRAIN_STEPS}")
    graph = build(scenario)
    network = Network.from_scenario(scenario, dict(graph.learning_rates), graph.frozen)
    initial = network.values()
    schedule = index_batches(training, count, total)
    use_scalar = path != "vectorised" and scalar.fits(network, scenario.optimizer)
    if path == "scalar" and not use_scalar:
        raise ValueError("the scalar path cannot train this network")
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        if use_scalar:
            whole = batch_size(training, count) >= count
            losses = _train_scalar(
                network, scenario.optimizer, training.reduction, (inputs, targets), schedule, whole, total, progress
            )
        else:
            trainer = Trainer(network, scenario.optimizer)
            losses = _train_vectorised(trainer, training.reduction, (inputs, targets), schedule, total, progress)
    final = network.values()
    score = accuracy(network.predict(inputs), targets) if is_classification(targets) else None
    per_epoch = steps_per_epoch(training, count)
    return TrainingResult(scenario, total, -(-total // per_epoch), tuple(losses), score, initial, final, network)


def _train_scalar(
    network: Any,
    optimizer: Optimizer,
    reduction: str,
    data: tuple[Any, Any],
    schedule: Iterator[tuple[tuple[int, ...], bool]],
    whole: bool,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> list[float]:
    """A tiny network: its own Python code, every parameter a float (scalar.py)."""
    program = scalar.compile_program(network, optimizer, reduction)
    values = scalar.read(network)
    state = [0.0] * (program.state_count * len(values))
    inputs, targets = data
    rows = ([tuple(row) for row in inputs.tolist()], [tuple(row) for row in targets.tolist()])
    try:
        losses = scalar.train_steps(program, values, state, rows, schedule, whole, total, progress)
    except scalar.Diverged as diverged:
        raise DivergenceError(Message.of("error.diverged", step=max(diverged.step, 1))) from None
    scalar.write(network, values)
    return losses


def _train_vectorised(
    trainer: Any,
    reduction: str,
    data: tuple[Any, Any],
    schedule: Iterator[tuple[tuple[int, ...], bool]],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> list[float]:
    """NumPy, one matrix product per layer for the whole batch (vectorised.py).

    When a step sees every sample, the loss after the epoch before it is that
    step's own batch loss (the same parameters, the same samples): no extra pass.
    """
    network = trainer.network
    inputs, targets = data
    count = len(inputs)
    every = max(1, total // 200)
    losses: list[float] = []
    pending = True  # the mean loss is owed for the parameters as they are now
    for step, (rows, last) in enumerate(schedule, 1):
        whole = len(rows) == count
        if pending and not whole:
            losses.append(_mean_loss(network, inputs, targets, step - 1))
            pending = False
        batch_inputs, batch_targets = (inputs, targets) if whole else (inputs[list(rows)], targets[list(rows)])
        loss, mean = trainer.step_with_mean(batch_inputs, batch_targets, reduction)
        if pending:
            if not math.isfinite(mean):
                raise DivergenceError(Message.of("error.diverged", step=max(step - 1, 1)))
            losses.append(mean)
            pending = False
        if not math.isfinite(loss):
            raise DivergenceError(Message.of("error.diverged", step=step))
        if last:
            if not network.finite():
                raise DivergenceError(Message.of("error.diverged", step=step))
            pending = True
        if progress is not None and (step % every == 0 or step == total):
            progress(step, total)
    if pending:
        losses.append(_mean_loss(network, inputs, targets, total))
    return losses


def _mean_loss(network: Any, inputs: Any, targets: Any, step: int) -> float:
    value = float(network.sample_losses(inputs, targets).mean())
    if not math.isfinite(value) or not network.finite():
        raise DivergenceError(Message.of("error.diverged", step=max(step, 1)))
    return value


__all__ = ["TrainingResult", "accuracy", "is_classification", "sample_arrays", "train"]
