"""Terminal rendering of a traced training step: each sample of the batch, the batch gradient, the optimizer.

Like `bptutor.render.run`, it formats a `Run` and never computes: the per-sample
gradients, their mean (or sum), the optimizer's state and the new values all
come from the trace.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bptutor.core.schedule import batch_size
from bptutor.core.trace import Run, StepTrace
from bptutor.i18n import in_language
from bptutor.render.fit import given_table
from bptutor.render.style import Style, make_heading, make_table, signed
from bptutor.render.tables import (
    activations_sentence,
    parameter_rows,
    rates_sentence,
    render_backward,
    render_forward,
    render_losses,
    signal,
)

MAX_TRACED_SHOWN = 8  # samples of a batch traced in full; the rest enter the gradient table's mean
MAX_SAMPLE_COLUMNS = 6  # per-sample columns of the gradient table

UPDATE_RULES = {
    "sgd": "p′ = p − η·g",
    "momentum": "v′ = β·v + g,  p′ = p − η·v′",
    "adam": (
        "m′ = β1·m + (1 − β1)·g,  s′ = β2·s + (1 − β2)·g²,  m̂ = m′/(1 − β1^t),  ŝ = s′/(1 − β2^t),  "
        "p′ = p − η·m̂/(√ŝ + ε)"
    ),
}


def render_training_run(run: Run, style: Style, parts: list[RenderableType]) -> RenderableType:
    """Given, then each sample of step 1's batch (forward, backward), the batch gradient, the update, the losses."""
    step = run.first
    parts = [*parts, make_heading(style, style.say("run.heading.given")), render_training_given(run, style), Text("")]
    shown = step.samples[:MAX_TRACED_SHOWN]
    for number, sample in enumerate(shown, start=1):
        givens = _sample_givens(run, sample.index, style)
        title = style.say(
            "train.sample_heading", number=number, count=len(step.samples), index=sample.index + 1, givens=givens
        )
        one = StepTrace(sample.forward, sample.backward, (), sample.notes, step.sign)
        parts += [Text(style.text(title), style="bold"), Text("")]
        parts += [make_heading(style, style.say("run.heading.forward")), render_forward(one, style), Text("")]
        notation = run.scenario.notation
        backward = style.say("run.heading.backward", delta=notation.dlt("j"), signal=signal(run, notation.pre("j")))
        parts += [make_heading(style, backward), render_backward(run, one, style), Text("")]
    if len(step.samples) > len(shown):
        parts += [
            Text(style.text(style.say("train.more_samples", shown=len(shown), count=len(step.samples)))),
            Text(""),
        ]
    for note in step.notes:
        parts.append(Text(style.text(style.say("run.note", note=in_language(note, style.lang))), style="yellow"))
        parts.append(Text(""))
    reduction = run.scenario.training.reduction if run.scenario.training is not None else "mean"
    gradient_heading = style.say(
        f"train.heading.gradient_{reduction}", count=len(step.samples), loss=run.scenario.notation.loss
    )
    parts += [make_heading(style, gradient_heading), render_batch_gradient(run, step, style), Text("")]
    optimizer = run.scenario.optimizer
    rule = UPDATE_RULES[optimizer.name]
    if optimizer.weight_decay:
        rule = f"g = ∂{run.scenario.notation.loss}/∂p + λ·p,  {rule}"
    parts += [
        make_heading(style, style.say("train.heading.update", optimizer=optimizer.name, rule=rule)),
        render_optimizer_updates(run, step, style),
    ]
    if len(run.steps) > 1:
        parts += [
            Text(""),
            make_heading(style, style.say("train.heading.losses", steps=len(run.steps))),
            render_losses(run, style),
        ]
    return Group(*parts)


def _sample_givens(run: Run, index: int, style: Style) -> str:
    scenario = run.scenario
    samples = scenario.samples
    if samples is None:
        values = [*scenario.inputs, *((scenario.notation.tgt(name), value) for name, value in scenario.targets)]
    else:
        names = [name for name, _ in scenario.inputs] + [scenario.notation.tgt(name) for name, _ in scenario.targets]
        values = list(zip(names, (*samples.inputs[index], *samples.targets[index]), strict=True))
    return ", ".join(f"{name} = {style.number(value)}" for name, value in values)


def render_training_given(run: Run, style: Style) -> Table:
    scenario = run.scenario
    graph = run.graph
    n = style.number
    count = len(scenario.samples) if scenario.samples is not None else 1
    inputs = ", ".join(name for name, _ in scenario.inputs)
    targets = ", ".join(scenario.notation.tgt(name) for name, _ in scenario.targets)
    rate_text = rates_sentence(run, style)
    activations = activations_sentence(run, style)
    loss = style.say(f"loss.{scenario.loss}", loss=scenario.notation.loss)
    training = scenario.training
    size = batch_size(training, count)
    reduction = training.reduction if training is not None else "mean"
    batch = style.say("train.batch_all" if size == count else "train.batch_size", size=size, count=count)
    shuffle = style.say(
        "train.shuffle" if training is not None and training.shuffle and size < count else "train.no_shuffle",
        seed=training.seed if training is not None else 0,
    )
    optimizer = scenario.optimizer
    constants = {
        "sgd": "",
        "momentum": f"β = {n(optimizer.beta)}",
        "adam": f"β1 = {n(optimizer.beta1)}, β2 = {n(optimizer.beta2)}, ε = {n(optimizer.epsilon)}",
    }[optimizer.name]
    if optimizer.weight_decay:
        constants = ", ".join(part for part in (constants, f"λ = {n(optimizer.weight_decay)}") if part)
    rows = [
        (
            style.say("train.given.samples"),
            style.say("train.samples_value", count=count, inputs=inputs, targets=targets),
        ),
        *parameter_rows(run, style),
        (style.say("given.activations"), activations),
        (style.say("given.loss"), style.say("given.loss_value", name=scenario.loss, description=loss)),
        (style.say("given.learning_rate"), rate_text),
        (style.say("train.given.batch"), f"{batch}; {style.say(f'train.reduction_{reduction}')}; {shuffle}"),
        (style.say("train.given.optimizer"), f"{optimizer.name}" + (f" ({constants})" if constants else "")),
    ]
    if graph.frozen:
        rows.append((style.say("given.frozen"), style.say("given.frozen_names", names=", ".join(graph.frozen))))
    return given_table((style.text(label), style.text(value)) for label, value in rows)


def render_batch_gradient(run: Run, step: StepTrace, style: Style) -> Table:
    """∂E/∂p of each sample and their mean (or sum): the batch gradient."""
    loss = run.scenario.notation.loss
    columns = len(step.samples) <= MAX_SAMPLE_COLUMNS
    reduction = run.scenario.training.reduction if run.scenario.training is not None else "mean"
    headers = [style.say("column.parameter")]
    if columns:
        headers += [style.say("train.column.sample", index=sample.index + 1) for sample in step.samples]
    headers.append(style.say(f"train.column.{reduction}", loss=loss))
    rows = []
    for update in step.updates:
        row = [f"∂{loss}/∂{update.parameter}"]
        if columns:
            row += [style.number(value) for value in update.per_sample]
        row.append(style.number(update.gradient))
        rows.append(tuple(style.text(cell) for cell in row))
    return make_table(style, headers, rows)


def render_optimizer_updates(run: Run, step: StepTrace, style: Style) -> Table:
    optimizer = run.scenario.optimizer.name
    n = style.number
    decay = bool(run.scenario.optimizer.weight_decay)
    headers = [style.say("column.parameter"), "g"]
    if optimizer == "momentum":
        headers += ["v′"]
    if optimizer == "adam":
        headers += ["m′", "s′"]
    headers += [style.say("column.with_numbers"), style.say("column.new_value")]
    rows = []
    for update in step.updates:
        g = update.decayed if decay and update.decayed is not None else update.gradient
        row = [f"{update.parameter}′", n(g)]
        state = dict(update.state)
        corrected = dict(update.corrected)
        if update.frozen:
            blanks = {"sgd": 0, "momentum": 1, "adam": 2}[optimizer]
            rows.append((row[0], row[1], *([""] * blanks), style.text(style.say("row.frozen")), n(update.old)))
            continue
        if optimizer == "momentum":
            row.append(n(state["v"]))
            numbers = f"{n(update.old)} − {n(update.rate)} × {signed(n(state['v']))}"
        elif optimizer == "adam":
            row += [n(state["m"]), n(state["s"])]
            numbers = f"{n(update.old)} − {n(update.rate)} × {signed(n(corrected['m̂']))}/(√{n(corrected['ŝ'])} + ε)"
        else:
            numbers = f"{n(update.old)} − {n(update.rate)} × {signed(n(g))}"
        rows.append((*(style.text(cell) for cell in row), style.text(numbers), n(update.new)))
    return make_table(style, headers, rows)


__all__ = ["render_batch_gradient", "render_optimizer_updates", "render_training_given", "render_training_run"]
