"""Terminal renderer for `bptutor explain`: the derivation as a textbook writes it."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from bptutor.explain import Explanation, Factor, error_sign
from bptutor.graph import Kind
from bptutor.render_text import Style, derivative


def _number(style: Style, value: Any) -> str:
    return style.number(float(value))


def _factor_lines(factor: Factor, style: Style, show_definition: bool) -> list[str]:
    name = derivative(factor.of, factor.wrt)
    pad = " " * len(name)
    lines = [factor.definition] if show_definition else []
    lines.append(f"  {name} = {factor.derivative}")
    if factor.textbook is not None:
        lines.append(f"  {pad} = {factor.textbook}")
    value = _number(style, factor.value)
    shown = factor.textbook if factor.textbook is not None else factor.derivative
    substituted = style.numbers(factor.substituted)
    if substituted not in (value, shown):
        lines.append(f"  {pad} = {substituted} = {value}")
    elif shown != value:
        lines.append(f"  {pad} = {value}")
    return lines


def _chain(edges: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    return "·".join(derivative(of, wrt) for of, wrt in edges)


def _values(explanation: Explanation, edges: tuple[tuple[str, str], ...], style: Style) -> str:
    values = []
    for edge in edges:
        for factor in explanation.factors:
            if (factor.of, factor.wrt) == edge:
                shown = _number(style, factor.value)
                values.append(f"({shown})" if shown.startswith("-") else shown)
    return " × ".join(values)


def _signed(style: Style, value: Any) -> str:
    shown = _number(style, value)
    return f"({shown})" if shown.startswith("-") else shown


def render_explanation(explanation: Explanation, style: Style) -> RenderableType:
    lines = explanation_lines(explanation, style)
    parts: list[RenderableType] = []
    for line in lines:
        if line and not line.startswith(" ") and line.endswith(":"):
            parts.append(Text(style.text(line), style="bold"))
        else:
            parts.append(Text(style.text(line)))
    return Group(*parts)


def explanation_lines(explanation: Explanation, style: Style) -> list[str]:
    """The derivation as lines of text (headings end with a colon)."""
    loss = explanation.loss
    scenario = explanation.graph.scenario
    has_gradient = explanation.gradient is not None and explanation.target != loss
    about = derivative(loss, explanation.target) if has_gradient else explanation.asked
    if explanation.asked != explanation.target:
        about = f"{explanation.asked} = {about}"
    lines = [f"{about} in {scenario.name}" + (f": {scenario.title}" if scenario.title else ""), ""]
    definition = explanation.definition
    if definition is not None:
        lines += ["Definition:", f"  {definition.name} = {definition.symbols}"]
        value = _number(style, definition.value)
        lines += [f"  {' ' * len(definition.name)} = {style.numbers(definition.substituted)} = {value}", ""]
    if explanation.gradient is None:  # a loss term: its definition is all there is
        return lines[:-1]
    if explanation.target == loss:
        lines += [f"{loss} is the loss itself: ∂{loss}/∂{loss} = 1."]
        return lines
    target = explanation.target
    whole = derivative(loss, target)
    lines += _chain_lines(explanation, style)
    lines += _rounding_lines(explanation, style)
    lines += ["", "Result:", f"  {whole} = {_number(style, explanation.gradient)}"]
    if explanation.kind is Kind.PARAMETER:
        lines += ["", *_delta_lines(explanation, style), "", *_update_lines(explanation, style)]
    return lines + _convention_notes(explanation)


def _chain_lines(explanation: Explanation, style: Style) -> list[str]:
    loss = explanation.loss
    target = explanation.target
    whole = derivative(loss, target)
    count = explanation.path_count
    if not explanation.paths:
        return [f"Chain rule: {target} reaches {loss} along {count}+ paths; too many to write out, see the δ form below."]
    way = "1 path" if count == 1 else f"{count} paths"
    lines = [f"Chain rule ({target} reaches {loss} along {way}):"]
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
    lines += ["", "Each factor:"]
    previous = None
    for factor in explanation.factors:
        lines += [f"  {line}" for line in _factor_lines(factor, style, factor.of != previous)]
        previous = factor.of
    lines += ["", "Numbers:"]
    if count == 1:
        path = explanation.paths[0]
        lines.append(f"  {whole} = {_values(explanation, path.edges, style)} = {_number(style, path.value)}")
        return lines
    if tail:
        split = tail[0][0]
        for path in explanation.paths:
            head = path.edges[: len(path.edges) - len(tail)]
            lines.append(f"  path via {head[-1][0] if len(head) > 1 else head[0][0]}: "
                         f"{_chain(head)} = {_values(explanation, head, style)} = {_number(style, path.head_value)}")
        total = explanation.split_value
        lines.append(f"  {derivative(loss, split)} = " + " + ".join(_signed(style, p.head_value) for p in explanation.paths)
                     + f" = {_number(style, total)}")
        lines.append(f"  {whole} = {_signed(style, total)} × {_values(explanation, tail, style)}"
                     f" = {_number(style, explanation.gradient)}")
        return lines
    for path in explanation.paths:
        lines.append(f"  {_chain(path.edges)} = {_values(explanation, path.edges, style)} = {_number(style, path.value)}")
    lines.append(f"  {whole} = " + " + ".join(_signed(style, p.value) for p in explanation.paths)
                 + f" = {_number(style, explanation.gradient)}")
    return lines


def _delta_lines(explanation: Explanation, style: Style) -> list[str]:
    notation = explanation.graph.scenario.notation
    loss = explanation.loss
    whole = derivative(loss, explanation.target)
    textbook = error_sign(explanation.graph) < 0
    error = notation.dlt("j")
    if textbook:
        lines = [f"In error-term form ({error} = −∂{loss}/∂{notation.pre('j')}; ∂{loss}/∂w = −Err·input):"]
    else:
        lines = [f"In δ form ({error} = ∂{loss}/∂{notation.pre('j')}; ∂{loss}/∂w = δ·input, ∂{loss}/∂b = δ):"]
    for term in explanation.delta_terms:
        name = notation.dlt(term.neuron)
        defined = f"−{derivative(loss, notation.pre(term.neuron))}" if textbook else derivative(loss, notation.pre(term.neuron))
        lines.append(f"  {name} = {defined} = {style.symbols(term.delta_formula)}")
        lines.append(f"  {' ' * len(name)} = {style.numbers(term.delta_formula)} = {_number(style, term.delta)}")
    symbols = " + ".join(f"{notation.dlt(t.neuron)}·{t.local_name}" for t in explanation.delta_terms)
    numbers = " + ".join(f"{_signed(style, t.delta)} × {_signed(style, t.local)}" for t in explanation.delta_terms)
    if textbook:
        lines.append(f"  {whole} = −({symbols}) = −({numbers}) = {_number(style, explanation.gradient)}")
    else:
        lines.append(f"  {whole} = {symbols} = {numbers} = {_number(style, explanation.gradient)}")
    return lines


def _update_lines(explanation: Explanation, style: Style) -> list[str]:
    target = explanation.target
    loss = explanation.loss
    assert explanation.rate is not None and explanation.new_value is not None
    if explanation.frozen:
        return ["Update:", f"  {target} is frozen: its gradient is shown, but it keeps its value {_number(style, explanation.new_value)}."]
    old = explanation.network.values[target]
    rate = _number(style, explanation.rate)
    if error_sign(explanation.graph) < 0:
        notation = explanation.graph.scenario.notation
        errors = " + ".join(f"{notation.dlt(t.neuron)}·{t.local_name}" for t in explanation.delta_terms)
        errors = f"({errors})" if len(explanation.delta_terms) > 1 else errors
        change = explanation.update_change
        return [
            f"Update (η = {rate}):",
            f"  {target}′ = {target} + η·{errors} = {_number(style, old)} + {rate} × {_signed(style, change)}"
            f" = {_number(style, explanation.new_value)}",
        ]
    return [
        f"Update (η = {rate}):",
        f"  {target}′ = {target} − η·∂{loss}/∂{target} = {_number(style, old)} − {rate}"
        f" × {_signed(style, explanation.gradient)} = {_number(style, explanation.new_value)}",
    ]


def _convention_notes(explanation: Explanation) -> list[str]:
    conventions = explanation.graph.scenario.conventions
    if conventions.hidden_error_weights == "updated" and any("′" in f.textbook for f in explanation.factors if f.textbook):
        return [
            "",
            "Note: the hidden error terms use the already-updated weights of the layer above (marked ′), "
            "as some classic texts do: this is not the exact gradient of the loss.",
        ]
    return []


def _rounding_lines(explanation: Explanation, style: Style) -> list[str]:
    """Under a rounding policy the exact chain product and the written-down result can differ: say why."""
    if explanation.graph.scenario.rounding is None or not explanation.paths:
        return []
    exact = explanation.chain_value
    if _number(style, exact) == _number(style, explanation.gradient):
        return []
    return [
        f"  The rounding policy writes each value down as it goes (error terms included), so the hand calculation "
        f"gives {_number(style, explanation.gradient)}: see the δ form below."
    ]
