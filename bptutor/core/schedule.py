"""Which samples each training step uses: batches, epochs, shuffling, all from one seed.

Both the traced path and the vectorised path take their batches from here, so
they see the same samples in the same order. Shuffling uses Python's own
`random.Random(seed)`, one shuffle per epoch.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from bptutor.core.scenario import Training
from bptutor.records import dataclass


@dataclass(frozen=True)
class Batch:
    step: int  # from 1
    epoch: int  # from 1
    indices: tuple[int, ...]  # into the samples
    last_of_epoch: bool


def batch_size(training: Training | None, count: int) -> int:
    if training is None or training.batch_size is None:
        return count
    return min(training.batch_size, count)


def steps_per_epoch(training: Training | None, count: int) -> int:
    size = batch_size(training, count)
    return -(-count // size)


def total_steps(training: Training | None, count: int, steps: int | None = None) -> int:
    """`steps` when given, else the training section's steps, or its epochs in steps (default: 1 epoch)."""
    if steps is not None:
        return steps
    if training is not None and training.steps is not None:
        return training.steps
    epochs = training.epochs if training is not None and training.epochs is not None else 1
    return epochs * steps_per_epoch(training, count)


def batches(training: Training | None, count: int, steps: int) -> Iterator[Batch]:
    """`steps` batches over `count` samples: each epoch visits every sample once (the last batch may be smaller)."""
    per_epoch = steps_per_epoch(training, count)
    for step, (indices, last) in enumerate(index_batches(training, count, steps), 1):
        yield Batch(step, -(-step // per_epoch), indices, last)


def index_batches(training: Training | None, count: int, steps: int) -> Iterator[tuple[tuple[int, ...], bool]]:
    """The batches of `batches` as (indices, last of its epoch) pairs, for loops that run many steps."""
    size = batch_size(training, count)
    shuffle = training is not None and training.shuffle and size < count  # a full batch needs no order
    rng = random.Random(training.seed if training is not None else 0)
    order = list(range(count))
    if not shuffle and size >= count:  # the same batch at every step
        whole = (tuple(order), True)
        for _ in range(steps):
            yield whole
        return
    step = 0
    while step < steps:
        if shuffle:
            rng.shuffle(order)
        for start in range(0, count, size):
            step += 1
            yield tuple(order[start : start + size]), start + size >= count
            if step == steps:
                return


__all__ = ["Batch", "batch_size", "batches", "index_batches", "steps_per_epoch", "total_steps"]
