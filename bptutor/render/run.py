"""Terminal renderer for `bptutor run`: given values, forward, backward and update tables.

It formats a `Run`; it never computes. A run over several samples, or with an
optimizer, is handed to `bptutor.render.steps`; the tables themselves are built
by `bptutor.render.tables`.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from bptutor.core.trace import Run
from bptutor.i18n import in_language
from bptutor.render.style import Style, make_heading
from bptutor.render.tables import (
    render_backward,
    render_forward,
    render_given,
    render_losses,
    render_updates,
    signal,
    update_rule,
)


def render_run(run: Run, style: Style) -> RenderableType:
    """The whole worked example of step 1, then the loss per step when there are several."""
    scenario = run.scenario
    notation = scenario.notation
    parts: list[RenderableType] = []
    title = scenario.title_in(style.lang) or scenario.name
    steps = len(run.steps)
    heading = style.say("run.title", title=title, scenario=scenario.name, steps=steps)
    parts.append(Text(style.text(heading), style="bold"))
    parts.append(Text(""))
    if run.first.samples:  # several samples, or an optimizer: each sample traced, then the batch and the update
        from bptutor.render.steps import render_training_run

        return render_training_run(run, style, parts)
    parts += [make_heading(style, style.say("run.heading.given")), render_given(run, style), Text("")]
    parts += [make_heading(style, style.say("run.heading.forward")), render_forward(run.first, style), Text("")]
    backward = style.say("run.heading.backward", delta=notation.dlt("j"), signal=signal(run, notation.pre("j")))
    parts.append(make_heading(style, backward))
    parts += [render_backward(run, run.first, style), Text("")]
    for note in run.first.notes:
        parts.append(Text(style.text(style.say("run.note", note=in_language(note, style.lang))), style="yellow"))
        parts.append(Text(""))
    update = style.say("run.heading.update", rule=update_rule(run))
    parts += [make_heading(style, update), render_updates(run, run.first, style)]
    if steps > 1:
        parts += [
            Text(""),
            make_heading(style, style.say("run.heading.losses", steps=steps)),
            render_losses(run, style),
        ]
    return Group(*parts)


__all__ = ["render_run"]
