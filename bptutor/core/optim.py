"""The optimizers: how the gradient of a step becomes the change of a parameter.

Each rule works on one number (the traced path, float or Decimal) or on a whole
NumPy array (the vectorised path) alike, so the two paths update the same way.
With weight decay λ the gradient first gains λ·p (L2 regularisation of
½λ·Σp², as PyTorch's `weight_decay`); then

    sgd       p′ = p − η·g
    momentum  v′ = β·v + g,  p′ = p − η·v′                       (PyTorch's convention, v₀ = 0)
    adam      m′ = β1·m + (1 − β1)·g,  s′ = β2·s + (1 − β2)·g²,
              m̂ = m′/(1 − β1^t),  ŝ = s′/(1 − β2^t),  p′ = p − η·m̂/(√ŝ + ε)   (t = 1, 2, …)
"""

from __future__ import annotations

from typing import Any

from bptutor.core.scenario import Optimizer
from bptutor.records import dataclass

# the state each optimizer keeps per parameter, by name: velocity v, first and second moments m, s
STATE_NAMES: dict[str, tuple[str, ...]] = {"sgd": (), "momentum": ("v",), "adam": ("m", "s")}


@dataclass(frozen=True)
class Step:
    """One parameter's update: the decayed gradient it used, its new state and its new value."""

    gradient: Any  # g + λ·p
    state: tuple[Any, ...]  # new values of STATE_NAMES[optimizer]
    corrected: tuple[Any, ...]  # adam: (m̂, ŝ); otherwise ()
    new: Any


def initial_state(optimizer: Optimizer, zero: Any) -> tuple[Any, ...]:
    """Velocity and moments start at zero (`zero` may be 0.0, a Decimal or an array of zeros)."""
    return tuple(zero for _ in STATE_NAMES[optimizer.name])


def update(
    optimizer: Optimizer, value: Any, gradient: Any, state: tuple[Any, ...], rate: Any, t: int, number: Any = float
) -> Step:
    """One step of `optimizer` for a parameter (or an array of them); t counts steps from 1.

    `number` turns the optimizer's constants into the arithmetic in use (float, or
    Decimal under a rounding policy).
    """
    decay = number(optimizer.weight_decay)
    g = gradient + decay * value if optimizer.weight_decay else gradient
    if optimizer.name == "sgd":
        return Step(g, (), (), value - rate * g)
    if optimizer.name == "momentum":
        (velocity,) = state
        velocity = number(optimizer.beta) * velocity + g
        return Step(g, (velocity,), (), value - rate * velocity)
    assert optimizer.name == "adam", optimizer.name
    beta1, beta2, epsilon = number(optimizer.beta1), number(optimizer.beta2), number(optimizer.epsilon)
    one = number(1)
    first, second = state
    first = beta1 * first + (one - beta1) * g
    second = beta2 * second + (one - beta2) * g * g
    first_hat = first / (one - beta1**t)
    second_hat = second / (one - beta2**t)
    return Step(g, (first, second), (first_hat, second_hat), value - rate * first_hat / (_sqrt(second_hat) + epsilon))


def _sqrt(value: Any) -> Any:
    if hasattr(value, "sqrt"):  # Decimal
        return value.sqrt()
    return value**0.5


__all__ = ["STATE_NAMES", "Step", "initial_state", "update"]
