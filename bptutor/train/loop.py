"""`bptutor train`: many steps on the vectorised path, the loss after each epoch, the accuracy.

The batches come from schedule.py and the updates from optim.py, as on the
traced path; only the arithmetic is done on whole arrays (`bptutor.train.vectorised`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bptutor.core.records import dataclass
from bptutor.core.scenario import Scenario, Training
from bptutor.core.schedule import batches, steps_per_epoch, total_steps
from bptutor.errors import DivergenceError
from bptutor.i18n import Message

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
) -> TrainingResult:
    """Train with the scenario's samples, batches and optimizer; `steps` or `epochs` override the file's."""
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
    trainer = Trainer(network, scenario.optimizer)
    initial = network.values()
    losses = [_mean_loss(network, inputs, targets, 0)]
    per_epoch = steps_per_epoch(training, count)
    every = max(1, total // 200)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for batch in batches(training, count, total):
            rows = list(batch.indices)
            if len(rows) == count and batch.indices == tuple(range(count)):
                loss = trainer.step(inputs, targets, training.reduction)
            else:
                loss = trainer.step(inputs[rows], targets[rows], training.reduction)
            if not math.isfinite(loss):
                raise DivergenceError(Message.of("error.diverged", step=batch.step))
            if batch.last_of_epoch or batch.step == total:
                losses.append(_mean_loss(network, inputs, targets, batch.step))
            if progress is not None and (batch.step % every == 0 or batch.step == total):
                progress(batch.step, total)
    final = network.values()
    score = accuracy(network.predict(inputs), targets) if is_classification(targets) else None
    return TrainingResult(scenario, total, -(-total // per_epoch), tuple(losses), score, initial, final, network)


def _mean_loss(network: Any, inputs: Any, targets: Any, step: int) -> float:
    value = float(network.sample_losses(inputs, targets).mean())
    if not math.isfinite(value) or not all(math.isfinite(v) for v in network.values().values()):
        raise DivergenceError(Message.of("error.diverged", step=max(step, 1)))
    return value


__all__ = ["TrainingResult", "accuracy", "is_classification", "sample_arrays", "train"]
