"""Terminal views of a large network: the summary of `run`, and `sensitivity`.

They format what `bptutor.core.summary` computed; every word comes from the catalog.
Names are printed as the scenario holds them (w_2_3_5), so what is shown can be
typed back into `explain`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bptutor.core.numbers import format_number
from bptutor.core.summary import Ranked, layer_summaries, ranking
from bptutor.core.trace import Run
from bptutor.i18n import in_language, language
from bptutor.render.fit import given_table
from bptutor.render.style import Style, make_heading, make_table
from bptutor.render.tables import policy_rows, render_losses, signal

LIST_AT_MOST = 8  # inputs, targets or names beyond this many are counted, not listed
OUTPUTS_AT_MOST = 32  # an output layer up to this size gets a table of its own


def _count(style: Style, count: int) -> str:
    """The count with its language's thousands separator: 12,345 in English, 12345 in Chinese."""
    return f"{count:,}".replace(",", language(style.lang).thousands_separator)


def shape_text(run: Run) -> str:
    """784-16-16-10: the inputs the first layer reads, then each layer's neurons."""
    layers = layer_summaries(run)
    return "-".join(str(size) for size in (layers[0].sources, *(layer.neurons for layer in layers)))


def _named_values(style: Style, pairs: Sequence[tuple[str, float]], what: str) -> str:
    if len(pairs) <= LIST_AT_MOST:
        return ", ".join(f"{name} = {style.number(value)}" for name, value in pairs)
    values = [value for _, value in pairs]
    return style.say(
        "summary.many_values",
        count=_count(style, len(pairs)),
        what=style.say(what),
        first=pairs[0][0],
        last=pairs[-1][0],
        low=style.number(min(values)),
        high=style.number(max(values)),
    )


def _given(run: Run, style: Style) -> Table:
    scenario = run.scenario
    notation = scenario.notation
    count = len(scenario.parameters)
    rates: dict[float, list[str]] = {}
    for name, rate in run.graph.learning_rates:
        rates.setdefault(rate, []).append(name)

    def rate_names(names: list[str]) -> str:
        if len(names) <= LIST_AT_MOST:
            return ", ".join(names)
        return style.say("summary.parameter_count", count=_count(style, len(names)))

    rate_text = style.say("given.rate_separator").join(
        style.say("given.rate", rate=style.number(rate), names=rate_names(names)) for rate, names in rates.items()
    )
    activations = style.say("given.activation_separator").join(
        style.say("given.activation", layer=layer.name, activation=layer.activation) for layer in scenario.layers
    )
    targets = [(notation.tgt(name), value) for name, value in scenario.targets]
    rows = [
        (
            style.say("summary.network"),
            style.say("summary.network_value", shape=shape_text(run), count=_count(style, count)),
        ),
        (style.say("given.inputs"), _named_values(style, scenario.inputs, "summary.inputs")),
        (style.say("given.targets"), _named_values(style, targets, "summary.targets")),
        (style.say("given.activations"), activations),
        (
            style.say("given.loss"),
            style.say(
                "given.loss_value",
                name=scenario.loss,
                description=style.say(f"loss.{scenario.loss}", loss=notation.loss),
            ),
        ),
        (style.say("given.learning_rate"), rate_text),
    ]
    frozen = run.graph.frozen
    if frozen:
        rows.append((style.say("given.frozen"), style.say("given.frozen_names", names=rate_names(list(frozen)))))
    rows += policy_rows(run, style)
    return given_table((style.text(label), style.text(value)) for label, value in rows)


def _outputs(run: Run, style: Style) -> Table:
    """Each output neuron: z, a, its target, its error term."""
    scenario = run.scenario
    notation = scenario.notation
    step = run.first
    targets = dict(scenario.targets)
    rows = []
    for neuron in scenario.layers[-1].neurons:
        name = neuron.name
        rows.append((
            notation.act(name),
            style.number(step.value(notation.pre(name))),
            style.number(step.value(notation.act(name))),
            f"{notation.tgt(name)} = {style.number(targets[name])}",
            style.number(step.gradient(notation.pre(name))),
        ))
    headers = [
        style.say("column.output"),
        notation.pre("j"),
        notation.act("j"),
        style.say("column.target"),
        f"{notation.dlt('j')} = ∂{notation.loss}/∂{notation.pre('j')}",
    ]
    table = make_table(style, headers, rows)
    for index in (1, 2):
        table.columns[index].justify = "right"
    return table


def _layers(run: Run, style: Style) -> Table:
    loss = run.scenario.notation.loss
    delta = run.scenario.notation.dlt("")
    rows = []
    for layer in layer_summaries(run):
        rows.append((
            layer.name,
            f"{layer.neurons} × {layer.sources}",
            layer.activation,
            style.number(layer.weight_norm),
            style.number(layer.bias_norm),
            style.number(layer.delta_norm),
            style.number(layer.weight_gradient_norm),
            style.number(layer.bias_gradient_norm),
        ))
    headers = [
        style.say("column.layer"),
        style.say("column.weights"),
        style.say("column.activation"),
        "‖W‖",
        "‖b‖",
        f"‖{delta.rstrip('_')}‖",
        f"‖∂{loss}/∂W‖",
        f"‖∂{loss}/∂b‖",
    ]
    table = make_table(style, headers, rows)
    for column in table.columns[3:]:
        column.justify = "right"
    return table


def _ranked_rows(style: Style, ranked: Sequence[Ranked], with_ratios: bool) -> list[tuple[str, ...]]:
    rows = []
    for entry in ranked:
        row = [str(entry.rank), entry.parameter, style.number(entry.value), style.number(entry.gradient)]
        if with_ratios:
            last = entry is ranked[-1]
            row += [
                _ratio(entry.ratio_to_next, entry.gradient, last),
                _ratio(entry.ratio_to_last, entry.gradient, last),
            ]
        else:
            row.append(style.number(entry.new))
        rows.append(tuple(row))
    return rows


def _ratio(ratio: float | None, gradient: float, last: bool) -> str:
    """A ratio to 3 significant digits; ∞ against a gradient of 0; nothing on the last row or between zeros."""
    if ratio is not None:
        return format_number(ratio, 3)
    return "∞" if gradient != 0 and not last else ""


def _top(run: Run, style: Style, top: int) -> Table:
    headers = [
        style.say("column.rank"),
        style.say("column.parameter"),
        style.say("column.value"),
        signal(run, "p"),
        style.say("column.new_value"),
    ]
    table = make_table(style, headers, _ranked_rows(style, ranking(run, top), with_ratios=False))
    for column in table.columns[2:]:
        column.justify = "right"
    return table


def render_summary(run: Run, style: Style, top: int) -> RenderableType:
    """`run` for a large network: givens, outputs, per-layer norms, the top parameters by |∂E/∂p|."""
    scenario = run.scenario
    loss = scenario.notation.loss
    count = len(scenario.parameters)
    title = scenario.title_in(style.lang) or scenario.name
    steps = len(run.steps)
    parts: list[RenderableType] = [
        Text(style.text(style.say("run.title", title=title, scenario=scenario.name, steps=steps)), style="bold"),
        Text(style.text(style.say("summary.note", count=_count(style, count)))),
        Text(""),
        make_heading(style, style.say("run.heading.given")),
        _given(run, style),
        Text(""),
    ]
    if len(scenario.layers[-1].neurons) <= OUTPUTS_AT_MOST:
        parts += [make_heading(style, style.say("summary.heading.outputs")), _outputs(run, style), Text("")]
    parts += [Text(style.text(f"{loss} = {style.number(run.first.loss)}"), style="bold"), Text("")]
    parts += [make_heading(style, style.say("summary.heading.layers")), _layers(run, style), Text("")]
    shown = min(top, count)
    heading = style.say("summary.heading.top", top=shown, count=_count(style, count), loss=loss)
    parts += [make_heading(style, heading), _top(run, style, top)]
    for note in run.first.notes[:1]:
        more = len(run.first.notes) - 1
        text = style.say("run.note", note=in_language(note, style.lang))
        if more:
            text += " " + style.say("summary.more_notes", count=more)
        parts += [Text(""), Text(style.text(text), style="yellow")]
    if steps > 1:
        losses = make_heading(style, style.say("run.heading.losses", steps=steps))
        parts += [Text(""), losses, render_losses(run, style)]
    return Group(*parts)


def render_sensitivity(run: Run, style: Style, top: int | None) -> RenderableType:
    """The parameters ranked by |∂E/∂p|, each against the next and the last listed, and one sentence."""
    scenario = run.scenario
    loss = scenario.notation.loss
    count = len(scenario.parameters)
    ranked = ranking(run, top)
    shown = len(ranked)
    heading = style.say(
        "sensitivity.heading", loss=loss, scenario=scenario.name, shown=shown, count=_count(style, count)
    )
    headers = [
        style.say("column.rank"),
        style.say("column.parameter"),
        style.say("column.value"),
        signal(run, "p"),
        style.say("sensitivity.column.next"),
        style.say("sensitivity.column.last"),
    ]
    table = make_table(style, headers, _ranked_rows(style, ranked, with_ratios=True))
    for column in table.columns[2:]:
        column.justify = "right"
    parts: list[RenderableType] = [Text(style.text(heading), style="bold"), Text(""), table]
    sentence = _sentence(run, style, ranked)
    if sentence:
        parts += [Text(""), Text(style.text(sentence))]
    return Group(*parts)


def _sentence(run: Run, style: Style, ranked: Sequence[Ranked]) -> str:
    """w1 matters 32× more than w2 here: the first listed against the last."""
    if len(ranked) < 2:
        return ""
    first, last = ranked[0], ranked[-1]
    loss = run.scenario.notation.loss
    if first.gradient == 0:
        return style.say("sensitivity.all_zero", loss=loss)
    if first.ratio_to_last is None and last.gradient != 0:
        return style.say("sensitivity.beyond_range", first=first.parameter, last=last.parameter, loss=loss)
    if first.ratio_to_last is None:
        return style.say("sensitivity.last_zero", first=first.parameter, last=last.parameter, loss=loss)
    return style.say(
        "sensitivity.sentence",
        first=first.parameter,
        last=last.parameter,
        ratio=format_number(first.ratio_to_last, 3),
        loss=loss,
    )


def sensitivity_json(run: Run, top: int | None) -> str:
    """The ranking as one JSON object; numbers at full float64 precision, null for an undefined ratio."""
    ranked = ranking(run, top)
    document = {
        "scenario": run.scenario.name,
        "loss": float(run.first.loss),
        "parameters": len(run.scenario.parameters),
        "ranking": [
            {
                "rank": entry.rank,
                "parameter": entry.parameter,
                "value": float(entry.value),
                "gradient": float(entry.gradient),
                "ratio_to_next": entry.ratio_to_next,
                "ratio_to_last": entry.ratio_to_last,
            }
            for entry in ranked
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


__all__ = ["render_sensitivity", "render_summary", "sensitivity_json", "shape_text"]
