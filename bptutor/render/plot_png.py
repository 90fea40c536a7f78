"""`bptutor train --plot FILE.png`: the loss curve and, for two inputs, the decision boundary, with matplotlib.

matplotlib is an optional extra (`pip install "bptutor[plot]"`), imported only here.
"""

from __future__ import annotations

import io

from bptutor.errors import ExternalProgramError
from bptutor.i18n import Message
from bptutor.train.loop import TrainingResult, sample_arrays

GRID = 200  # points per side of the decision-boundary picture


def save_plot(result: TrainingResult, lang: str) -> bytes:
    """The PNG of the loss curve (and, for two inputs, the decision boundary); the caller writes it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ExternalProgramError(Message.of("train.no_matplotlib")) from None
    import numpy as np

    inputs, targets = sample_arrays(result.scenario)
    accuracy = result.accuracy
    two_d = inputs.shape[1] == 2 and accuracy is not None
    figure, axes = plt.subplots(1, 2 if two_d else 1, figsize=(10 if two_d else 5.5, 4.2), squeeze=False)
    loss_axes = axes[0][0]
    loss_axes.plot(range(len(result.losses)), result.losses, color="#1f5fa8")
    loss_axes.set_xlabel("epoch")
    loss_axes.set_ylabel(f"{result.scenario.notation.loss} ({result.scenario.loss})")
    loss_axes.set_yscale("log" if min(result.losses) > 0 else "linear")
    loss_axes.set_title(f"{result.scenario.name}: loss per epoch")
    loss_axes.grid(True, alpha=0.3)
    if two_d and accuracy is not None:
        area = axes[0][1]
        low, high = inputs.min(axis=0) - 0.2, inputs.max(axis=0) + 0.2
        xs, ys = np.linspace(low[0], high[0], GRID), np.linspace(low[1], high[1], GRID)
        grid_x, grid_y = np.meshgrid(xs, ys)
        outputs = result.network.predict(np.column_stack([grid_x.ravel(), grid_y.ravel()]))
        score = outputs[:, 0] if outputs.shape[1] == 1 else outputs[:, 1]
        area.contourf(grid_x, grid_y, score.reshape(grid_x.shape), levels=20, cmap="RdBu_r", alpha=0.6)
        area.contour(grid_x, grid_y, score.reshape(grid_x.shape), levels=[0.5], colors="black", linewidths=1)
        labels = targets[:, 0] if targets.shape[1] == 1 else targets.argmax(axis=1)
        area.scatter(inputs[:, 0], inputs[:, 1], c=labels, cmap="RdBu_r", edgecolors="black", linewidths=0.4, s=14)
        names = [name for name, _ in result.scenario.inputs]
        area.set_xlabel(names[0])
        area.set_ylabel(names[1])
        area.set_title(f"decision boundary, accuracy {100 * accuracy:.1f}%")
    figure.tight_layout()
    picture = io.BytesIO()
    figure.savefig(picture, format="png", dpi=100, metadata={"Software": None})
    plt.close(figure)
    return picture.getvalue()


__all__ = ["save_plot"]
