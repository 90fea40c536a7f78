"""Terminal renderer for `bptutor explain`: the derivation as a textbook writes it.

Sentences come from the message catalog in the style's language; the formulas
sympy writes keep their names, and their few words (if, otherwise) are translated.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Group, RenderableType

from bptutor.core.graph import Kind
from bptutor.derive.explain import MAX_PATHS, Derivation, Factor, error_sign
from bptutor.errors import UsageError
from bptutor.i18n import Message
from bptutor.render.check import working_line
from bptutor.render.fit import Wrapped
from bptutor.render.steps import UPDATE_RULES
from bptutor.render.style import Style, derivative
from bptutor.teach.answers import sample_heading
from bptutor.teach.solution import BATCH_GRADIENT, UPDATE, WorkedSteps, derivative_name


def _number(style: Style, value: Any) -> str:
    return style.number(float(value))


def _formula(explanation: Derivation, style: Style, text: str) -> str:
    """A formula written by sympy, its words (if, otherwise) in the style's language."""
    return style.formula_words(text, explanation.network.values)


def _factor_lines(explanation: Derivation, factor: Factor, style: Style, show_definition: bool) -> list[str]:
    name = derivative(factor.of, factor.wrt)
    pad = " " * len(name)
    lines = [_formula(explanation, style, factor.definition)] if show_definition else []
    lines.append(f"  {name} = {_formula(explanation, style, factor.derivative)}")
    if factor.textbook is not None:
        lines.append(f"  {pad} = {_formula(explanation, style, factor.textbook)}")
    value = _number(style, factor.value)
    shown = _formula(explanation, style, factor.textbook if factor.textbook is not None else factor.derivative)
    substituted = style.numbers(factor.substituted)
    if substituted not in (value, shown):
        lines.append(f"  {pad} = {substituted} = {value}")
    elif shown != value:
        lines.append(f"  {pad} = {value}")
    return lines


def _chain(edges: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    return "·".join(derivative(of, wrt) for of, wrt in edges)


def _values(explanation: Derivation, edges: tuple[tuple[str, str], ...], style: Style) -> str:
    values = []
    for edge in edges:
        for factor in explanation.factors:
            if (factor.of, factor.wrt) == edge:
                shown = _number(style, factor.value)
                values.append(f"({shown})" if shown.startswith(("-", "\u2212")) else shown)
    return " × ".join(values)


def _signed(style: Style, value: Any) -> str:
    shown = _number(style, value)
    return f"({shown})" if shown.startswith(("-", "\u2212")) else shown


def render_explanation(explanation: Derivation, style: Style) -> RenderableType:
    lines = explanation_lines(explanation, style)
    parts: list[RenderableType] = []
    for line in lines:
        if line and not line.startswith(" ") and line.endswith((":", "：")):
            parts.append(Wrapped(style.text(line), style="bold"))
        else:
            parts.append(Wrapped(style.text(line)))
    return Group(*parts)


def explanation_lines(explanation: Derivation, style: Style, update: bool = True) -> list[str]:
    """The derivation as lines of text (headings end with a colon: `:` or, in Chinese, `：`).

    `update`: end with the parameter's update (a sample of a batch leaves it to the batch)."""
    loss = explanation.loss
    scenario = explanation.graph.scenario
    has_gradient = explanation.gradient is not None and explanation.target != loss
    about = derivative(loss, explanation.target) if has_gradient else explanation.asked
    if explanation.asked != explanation.target:
        about = f"{explanation.asked} = {about}"
    if scenario.title:
        title = scenario.title_in(style.lang)
        lines = [style.say("explain.about_titled", about=about, scenario=scenario.name, title=title), ""]
    else:
        lines = [style.say("explain.about", about=about, scenario=scenario.name), ""]
    definition = explanation.definition
    if definition is not None:
        symbols = _formula(explanation, style, definition.symbols)
        lines += [style.say("explain.definition"), f"  {definition.name} = {symbols}"]
        value = _number(style, definition.value)
        lines += [f"  {' ' * len(definition.name)} = {style.numbers(definition.substituted)} = {value}", ""]
    if explanation.gradient is None:  # a loss term: its definition is all there is
        return lines[:-1]
    if explanation.target == loss:
        lines += [style.say("explain.loss_itself", loss=loss)]
        return lines
    target = explanation.target
    whole = derivative(loss, target)
    lines += _chain_lines(explanation, style)
    lines += _rounding_lines(explanation, style)
    lines += ["", style.say("explain.result"), f"  {whole} = {_number(style, explanation.gradient)}"]
    if explanation.kind is Kind.PARAMETER:
        lines += ["", *_delta_lines(explanation, style)]
    lines += _output_delta_lines(explanation, style)
    if explanation.kind is Kind.PARAMETER and update:
        lines += ["", *_update_lines(explanation, style)]
    return lines + _convention_notes(explanation, style)


def _output_delta_lines(explanation: Derivation, style: Style) -> list[str]:
    """Why a fused δ is a − y, or (softmax without a fused loss, or --jacobian) each δ through the whole Jacobian."""
    deltas = explanation.output_deltas
    if not deltas:
        return []
    scenario = explanation.graph.scenario
    notation = scenario.notation
    loss = explanation.loss
    lines = [""]
    activation = scenario.layers[-1].activation
    if deltas[0].fused:
        first = deltas[0].neuron
        names = {"delta": notation.dlt(first), "out": notation.act(first), "target": notation.tgt(first)}
        lines.append(style.say(f"explain.why_fused.{activation}", **names))
        rule = style.say(f"explain.fused_rule.{activation}", loss=loss, **_indexed(notation, first))
        lines.append("  " + rule)
    else:
        lines.append(style.say("explain.jacobian", loss=loss, **_indexed(notation, deltas[0].neuron)))
        entries = {(e.of, e.wrt): e for delta in deltas for e in (*delta.upstream, *delta.local)}
        for entry in entries.values():
            name = derivative(entry.of, entry.wrt)
            symbols, numbers = style.symbols(entry.formula), style.numbers(entry.formula)
            lines.append(f"  {name} = {symbols} = {numbers} = {_number(style, entry.value)}")
    for delta in deltas:
        name = notation.dlt(delta.neuron)
        pad = " " * len(name)
        pairs = list(zip(delta.upstream, delta.local, strict=True))
        chain = " + ".join(f"{derivative(u.of, u.wrt)}·{derivative(f.of, f.wrt)}" for u, f in pairs)
        lines.append(f"  {name} = {chain}")
        if delta.fused:
            symbols = " + ".join(
                f"{_wrapped(style.symbols(u.formula))}·{_wrapped(style.symbols(f.formula))}" for u, f in pairs
            )
            numbers = " + ".join(
                f"{_wrapped(style.numbers(u.formula))} × {_wrapped(style.numbers(f.formula))}" for u, f in pairs
            )
            lines.append(f"  {pad} = {symbols}")
        else:
            numbers = " + ".join(f"{_signed(style, u.value)} × {_signed(style, f.value)}" for u, f in pairs)
        lines.append(f"  {pad} = {numbers} = {_number(style, delta.value)}")
    return lines


def _indexed(notation: Any, neuron: str) -> dict[str, str]:
    """The names of the rules in the scenario's notation: a_i, y_j, z_j (out_i, target_j, in_j), and of one output."""
    return {
        "a_i": notation.act("i"),
        "a_j": notation.act("j"),
        "y_i": notation.tgt("i"),
        "y_j": notation.tgt("j"),
        "z_j": notation.pre("j"),
        "a": notation.act(neuron),
        "y": notation.tgt(neuron),
    }


def _wrapped(text: str) -> str:
    """A factor in brackets when it is a sum, a quotient or starts with a sign: (−y_o1/a_o1)·(a_o1·(1 − a_o1))."""
    return f"({text})" if any(mark in text for mark in (" ", "/", "−", "×", "·")) else text


def _chain_lines(explanation: Derivation, style: Style) -> list[str]:
    loss = explanation.loss
    target = explanation.target
    whole = derivative(loss, target)
    count = explanation.path_count
    if not explanation.paths and count <= MAX_PATHS:  # a large network: the δ form says it shorter
        parameters = len(explanation.graph.scenario.parameters)
        return [style.say("explain.large_network", target=target, loss=loss, count=count, parameters=parameters)]
    if not explanation.paths:
        return [style.say("explain.too_many_paths", target=target, loss=loss, count=count)]
    chain = "explain.chain_one_path" if count == 1 else "explain.chain_paths"
    lines = [style.say(chain, target=target, loss=loss, count=count)]
    tail = explanation.common_tail
    if count == 1:
        lines.append(f"  {whole} = {_chain(explanation.paths[0].edges)}")
    elif tail:
        split = tail[0][0]
        lines.append(f"  {whole} = {derivative(loss, split)}·{_chain(tail)}")
        heads = [path.edges[: len(path.edges) - len(tail)] for path in explanation.paths]
        lines.append(f"  {derivative(loss, split)} = " + " + ".join(_chain(head) for head in heads))
    else:
        lines.append(f"  {whole} = " + " + ".join(_chain(path.edges) for path in explanation.paths))
    lines += ["", style.say("explain.each_factor")]
    previous = None
    for factor in explanation.factors:
        lines += [f"  {line}" for line in _factor_lines(explanation, factor, style, factor.of != previous)]
        previous = factor.of
    lines += ["", style.say("explain.numbers")]
    if count == 1:
        path = explanation.paths[0]
        lines.append(f"  {whole} = {_values(explanation, path.edges, style)} = {_number(style, path.value)}")
        return lines
    if tail:
        split = tail[0][0]
        for path in explanation.paths:
            head = path.edges[: len(path.edges) - len(tail)]
            via = head[-1][0] if len(head) > 1 else head[0][0]
            rest = f"{_chain(head)} = {_values(explanation, head, style)} = {_number(style, path.head_value)}"
            lines.append("  " + style.say("explain.path_via", via=via, rest=rest))
        total = explanation.split_value
        lines.append(
            f"  {derivative(loss, split)} = "
            + " + ".join(_signed(style, p.head_value) for p in explanation.paths)
            + f" = {_number(style, total)}"
        )
        lines.append(
            f"  {whole} = {_signed(style, total)} × {_values(explanation, tail, style)}"
            f" = {_number(style, explanation.gradient)}"
        )
        return lines
    for path in explanation.paths:
        lines.append(
            f"  {_chain(path.edges)} = {_values(explanation, path.edges, style)} = {_number(style, path.value)}"
        )
    lines.append(
        f"  {whole} = "
        + " + ".join(_signed(style, p.value) for p in explanation.paths)
        + f" = {_number(style, explanation.gradient)}"
    )
    return lines


def _delta_lines(explanation: Derivation, style: Style) -> list[str]:
    notation = explanation.graph.scenario.notation
    loss = explanation.loss
    target = explanation.target
    whole = derivative(loss, target)
    textbook = error_sign(explanation.graph) < 0
    form = "explain.error_form" if textbook else "explain.delta_form"
    lines = [style.say(form, delta=notation.dlt("j"), loss=loss, pre=notation.pre("j"))]
    for term in explanation.delta_terms:
        delta = notation.dlt(term.neuron)
        defined = derivative(loss, notation.pre(term.neuron))
        defined = f"−{defined}" if textbook else defined
        lines.append(f"  {delta} = {defined} = {style.symbols(term.delta_formula)}")
        lines.append(f"  {' ' * len(delta)} = {style.numbers(term.delta_formula)} = {_number(style, term.delta)}")
    symbols = " + ".join(f"{notation.dlt(t.neuron)}·{t.local_name}" for t in explanation.delta_terms)
    numbers = " + ".join(f"{_signed(style, t.delta)} × {_signed(style, t.local)}" for t in explanation.delta_terms)
    if textbook:
        lines.append(f"  {whole} = −({symbols}) = −({numbers}) = {_number(style, explanation.gradient)}")
    else:
        lines.append(f"  {whole} = {symbols} = {numbers} = {_number(style, explanation.gradient)}")
    return lines


def _update_lines(explanation: Derivation, style: Style) -> list[str]:
    target = explanation.target
    loss = explanation.loss
    assert explanation.rate is not None and explanation.new_value is not None
    if explanation.frozen:
        kept = _number(style, explanation.new_value)
        return [style.say("explain.update"), "  " + style.say("explain.frozen", target=target, value=kept)]
    old = explanation.network.values[target]
    rate = _number(style, explanation.rate)
    if error_sign(explanation.graph) < 0:  # p′ = p + η·Σ Err·input
        notation = explanation.graph.scenario.notation
        errors = " + ".join(f"{notation.dlt(t.neuron)}·{t.local_name}" for t in explanation.delta_terms)
        errors = f"({errors})" if len(explanation.delta_terms) > 1 else errors
        return [
            style.say("explain.update_rate", rate=rate),
            f"  {target}′ = {target} + η·{errors} = {_number(style, old)} + {rate} × "
            f"{_signed(style, explanation.update_change)} = {_number(style, explanation.new_value)}",
        ]
    return [
        style.say("explain.update_rate", rate=rate),
        f"  {target}′ = {target} − η·∂{loss}/∂{target} = {_number(style, old)} − {_number(style, explanation.rate)}"
        f" × {_signed(style, explanation.gradient)} = {_number(style, explanation.new_value)}",
    ]


def _rounding_lines(explanation: Derivation, style: Style) -> list[str]:
    """Under a rounding policy the exact chain product and the written-down result can differ: say why."""
    if explanation.graph.scenario.rounding is None or not explanation.paths:
        return []
    if _number(style, explanation.chain_value) == _number(style, explanation.gradient):
        return []
    return ["  " + style.say("explain.rounding_differs", value=_number(style, explanation.gradient))]


def _convention_notes(explanation: Derivation, style: Style) -> list[str]:
    """The note that the classic updated-weights variant is not the exact gradient, when it was used."""
    if explanation.graph.scenario.conventions.hidden_error_weights != "updated":
        return []
    if not any(factor.textbook and "′" in factor.textbook for factor in explanation.factors):
        return []
    return ["", style.say("run.note", note=style.say("note.updated_weights"))]


SAMPLE_SUFFIX = re.compile(r"^(.*)\[(\d+)\]$")  # w5[2]: sample 2 of the batch


def render_batch_explanation(
    solution: WorkedSteps, name: str, style: Style, jacobian: bool = False
) -> RenderableType:
    """`explain NAME` on a training step: NAME derived in each sample of the batch (or in the one NAME[i] names),
    then, for a parameter, the batch gradient and the optimizer's update with their numbers."""
    from bptutor.derive.explain import explain

    samples = solution.samples
    found = SAMPLE_SUFFIX.match(name.strip())
    chosen = range(1, len(samples) + 1)
    if found is not None:
        name, number = found.group(1), int(found.group(2))
        if not 1 <= number <= len(samples):
            raise UsageError(Message.of("explain.no_sample", number=number, count=len(samples)))
        chosen = range(number, number + 1)
    lines: list[str] = []
    target = ""
    for number in chosen:
        explanation = explain(samples[number - 1].scenario, name, jacobian)
        target = explanation.target
        heading = sample_heading(solution, number, style.lang)
        lines += [style.say("explain.heading", text=heading), *explanation_lines(explanation, style, False), ""]
    gradient = derivative_name(solution.graph.loss_name, target)
    if found is None and solution.has(gradient) and solution.step(gradient).kind == BATCH_GRADIENT:
        count = len(samples)
        loss = solution.graph.loss_name
        heading = style.say(f"train.heading.gradient_{solution.reduction}", count=count, loss=loss)
        lines += [style.say("explain.heading", text=heading)]
        lines += ["  " + working_line(solution.working(gradient), solution.scenario, style), ""]
        optimizer = solution.scenario.optimizer.name
        update = style.say("train.heading.update", optimizer=optimizer, rule=UPDATE_RULES[optimizer])
        lines += [style.say("explain.heading", text=update)]
        for step in solution.steps:
            if step.section == UPDATE and step.parameter == target:
                lines.append("  " + working_line(solution.working(step.name), solution.scenario, style))
    while lines and not lines[-1]:
        lines.pop()
    parts: list[RenderableType] = []
    for line in lines:
        if line and not line.startswith(" ") and line.endswith((":", "：")):
            parts.append(Wrapped(style.text(line), style="bold"))
        else:
            parts.append(Wrapped(style.text(line)))
    return Group(*parts)


__all__ = ["explanation_lines", "render_batch_explanation", "render_explanation"]
