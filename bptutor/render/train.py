"""Rendering of `bptutor train`: the loss per epoch as a terminal plot, accuracy, final parameters; or JSON."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from bptutor.render.braille import line_plot
from bptutor.render.style import Style, make_heading, make_table
from bptutor.train.loop import TrainingResult

MAX_PARAMETER_ROWS = 64  # beyond this, one summary row per layer


def render_training(result: TrainingResult, style: Style) -> RenderableType:
    scenario = result.scenario
    count = len(scenario.samples) if scenario.samples is not None else 1
    title = scenario.title_in(style.lang) or scenario.name
    parts: list[RenderableType] = [
        Text(style.text(style.say("train.title", title=title, scenario=scenario.name)), style="bold"),
        Text(
            style.text(
                style.say(
                    "train.summary",
                    count=count,
                    steps=result.steps,
                    epochs=result.epochs,
                    optimizer=scenario.optimizer.name,
                    loss=scenario.loss,
                )
            )
        ),
        Text(""),
        make_heading(style, style.say("train.heading.curve", loss=scenario.notation.loss)),
    ]
    parts += [Text(line) for line in line_plot(result.losses, digits=min(style.digits, 4))]
    parts.append(Text(style.text(style.say("train.epoch_axis"))))
    parts.append(Text(""))
    first, last = style.number(result.losses[0]), style.number(result.losses[-1])
    parts.append(
        Text(
            style.text(
                style.say(
                    "train.loss_change", loss=scenario.notation.loss, first=first, last=last, epochs=result.epochs
                )
            )
        )
    )
    if result.accuracy is not None:
        right = round(result.accuracy * count)
        percent = f"{100 * result.accuracy:.1f}"
        parts.append(Text(style.text(style.say("train.accuracy", percent=percent, right=right, count=count))))
    parts.append(Text(""))
    if len(result.final) <= MAX_PARAMETER_ROWS:
        parts += [make_heading(style, style.say("train.heading.parameters")), _parameter_table(result, style)]
    else:
        parts += [make_heading(style, style.say("train.heading.layers")), _layer_table(result, style)]
    return Group(*parts)


def _parameter_table(result: TrainingResult, style: Style) -> Any:
    rows = [
        (style.text(name), style.number(result.initial[name]), style.number(value))
        for name, value in result.final.items()
    ]
    headers = [style.say("column.parameter"), style.say("train.column.initial"), style.say("train.column.final")]
    return make_table(style, headers, rows)


def _layer_table(result: TrainingResult, style: Style) -> Any:
    import numpy as np

    rows = []
    for layer, dense in zip(result.scenario.layers, result.network.layers, strict=True):
        values = np.concatenate([dense.weights.ravel(), dense.biases.ravel()])
        rows.append(
            (
                style.text(layer.name),
                f"{dense.weights.shape[1]}→{dense.weights.shape[0]}",
                str(values.size),
                style.number(float(values.mean())),
                style.number(float(values.std())),
                style.number(float(values.min())),
                style.number(float(values.max())),
            )
        )
    keys = ("layer", "shape", "count", "mean", "std", "min", "max")
    return make_table(style, [style.say(f"train.column.{key}") for key in keys], rows)


def render_training_json(result: TrainingResult) -> str:
    document = {
        "scenario": result.scenario.name,
        "samples": len(result.scenario.samples) if result.scenario.samples is not None else 1,
        "steps": result.steps,
        "epochs": result.epochs,
        "losses": list(result.losses),
        "accuracy": result.accuracy,
        "parameters": result.final,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


__all__ = ["render_training", "render_training_json"]
