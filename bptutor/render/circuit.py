"""Terminal and JSON renderers for `bptutor run` on an expression scenario.

Three tables: every gate's forward value; every edge of the backward pass with
upstream × local = downstream; every value's gradient as the sum of the edges
into it (more than one where the value forks). They format a `CircuitRun`; they
never compute.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bptutor.core.circuit import CircuitRun, Edge, Gradient, forward_formula
from bptutor.core.formula import Formula, Ref, Times
from bptutor.i18n import in_language
from bptutor.render.fit import given_table
from bptutor.render.style import Style, derivative, make_heading, make_table, signed

if TYPE_CHECKING:
    from bptutor.derive.circuit import CircuitDerivation

_OPENING = ("(", ", ", "|")
_CLOSING = (")", ",", "|")


def numbers(formula: Formula, style: Style) -> str:
    """The formula with its numbers in: a negative number gets parentheses unless brackets already hold it."""
    pieces = []
    for index, token in enumerate(formula):
        if isinstance(token, Ref):
            shown = style.number(token.value)
            before = formula[index - 1] if index > 0 else ""
            after = formula[index + 1] if index + 1 < len(formula) else ""
            enclosed = isinstance(before, str) and before.endswith(_OPENING) and isinstance(after, str)
            enclosed = enclosed and isinstance(after, str) and after.startswith(_CLOSING)
            alone = len(formula) == 1
            pieces.append(f"({shown})" if shown.startswith(("-", "\u2212")) and not (alone or enclosed) else shown)
        elif isinstance(token, Times):
            pieces.append(" × ")
        else:
            pieces.append(style.formula_words(token))
    return style.text("".join(pieces))


def local_text(edge: Edge, style: Style) -> str:
    """∂gate/∂input = its textbook form = the numbers = the value, skipping repeats."""
    parts = [derivative(edge.gate, edge.input), style.symbols(edge.local_formula)]
    for shown in (numbers(edge.local_formula, style), style.number(edge.local)):
        if shown.replace("−", "-") not in [part.replace("−", "-") for part in parts]:
            parts.append(shown)
    return style.text(" = ".join(parts))


def render_circuit_run(run: CircuitRun, style: Style) -> RenderableType:
    scenario = run.scenario
    title = scenario.title_in(style.lang) or scenario.name
    heading = style.say("expr.run.title", title=title, scenario=scenario.name, count=len(run.graph.gates))
    output = run.graph.output
    parts: list[RenderableType] = [Text(style.text(heading), style="bold"), Text("")]
    parts += [make_heading(style, style.say("run.heading.given")), _given(run, style), Text("")]
    parts += [make_heading(style, style.say("expr.heading.forward")), _forward(run, style), Text("")]
    parts += [make_heading(style, style.say("expr.heading.backward", output=output)), _backward(run, style), Text("")]
    parts += [make_heading(style, style.say("expr.heading.gradients")), _gradients(run, style)]
    for note in run.notes:
        parts += [Text(""), Text(style.text(style.say("run.note", note=in_language(note, style.lang))), style="yellow")]
    return Group(*parts)


def _given(run: CircuitRun, style: Style) -> Table:
    scenario = run.scenario
    lines = [line.strip() for line in scenario.lines if line.strip()]
    rows = [(style.say("expr.given.expression") if index == 0 else "", line) for index, line in enumerate(lines)]
    values = ", ".join(f"{name} = {style.number(value)}" for name, value in scenario.values)
    rows.append((style.say("expr.given.values"), values))
    rows.append((style.say("expr.given.gates"), style.say(f"expr.gates.{scenario.gates}")))
    return given_table((style.text(label), style.text(value)) for label, value in rows)


def _forward(run: CircuitRun, style: Style) -> Table:
    rows = [
        (record.gate.name, style.symbols(record.formula), numbers(record.formula, style), style.number(record.value))
        for record in run.forward
    ]
    headers = [style.say("expr.column.gate"), style.say("column.formula"), style.say("column.with_numbers"),
               style.say("column.value")]
    return make_table(style, headers, rows, "equation")


def _backward(run: CircuitRun, style: Style) -> Table:
    output = run.graph.output
    rows = []
    for gradient in run.gradients:
        if gradient.is_leaf:
            continue
        for edge in _edges_out_of(run, gradient.name):
            upstream = f"{derivative(output, edge.gate)} = {style.number(edge.upstream)}"
            product = f"{signed(style.number(edge.upstream))} × {signed(style.number(edge.local))}"
            rows.append((f"{edge.gate} → {edge.input}", upstream, local_text(edge, style),
                         f"{product} = {style.number(edge.downstream)}"))
    headers = [style.say(f"expr.column.{key}") for key in ("edge", "upstream", "local", "downstream")]
    return make_table(style, headers, [tuple(style.text(cell) for cell in row) for row in rows])


def _edges_out_of(run: CircuitRun, gate: str) -> list[Edge]:
    """The edges from `gate` to its inputs, in argument order."""
    found = [edge for record in run.gradients for edge in record.edges if edge.gate == gate]
    return sorted(found, key=lambda edge: edge.position)


def _gradients(run: CircuitRun, style: Style) -> Table:
    output = run.graph.output
    rows = []
    for gradient in run.gradients:
        name = derivative(output, gradient.name)
        if gradient.name == output:
            rows.append((name, style.say("expr.row.output"), "", style.number(gradient.value)))
            continue
        label = style.say("expr.row.fork", name=name) if gradient.forks else name
        rows.append((label, *_sum(gradient, style), style.number(gradient.value)))
    headers = [style.say(f"expr.column.{key}") for key in ("gradient", "sum")] + [
        style.say("column.with_numbers"), style.say("column.value")]
    return make_table(style, headers, [tuple(style.text(cell) for cell in row) for row in rows])


def _sum(gradient: Gradient, style: Style) -> tuple[str, str]:
    if not gradient.edges:
        return style.say("expr.row.unreached"), ""
    edges = " + ".join(f"({edge.gate} → {edge.input})" if gradient.forks else f"{edge.gate} → {edge.input}"
                       for edge in gradient.edges)
    values = " + ".join(signed(style.number(edge.downstream)) for edge in gradient.edges)
    return edges, values if gradient.forks else ""


# ── JSON ──────────────────────────────────────────────────────────────────────


def render_circuit_json(run: CircuitRun) -> str:
    """Every gate, edge and gradient at full float precision."""
    scenario = run.scenario
    document: dict[str, Any] = {
        "scenario": scenario.name,
        "expression": [line.strip() for line in scenario.lines if line.strip()],
        "gates_shown": scenario.gates,
        "values": dict(scenario.values),
        "output": {"name": run.graph.output, "value": run.output},
        "gates": [
            {"name": record.gate.name, "op": record.gate.op, "inputs": list(record.gate.inputs), "value": record.value}
            for record in run.forward
        ],
        "edges": [
            {"gate": edge.gate, "input": edge.input, "upstream": edge.upstream, "local": edge.local,
             "downstream": edge.downstream}
            for record in run.gradients for edge in record.edges
        ],
        "gradients": {record.name: record.value for record in run.gradients},
        "notes": [str(note) for note in run.notes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"




# ── explain ───────────────────────────────────────────────────────────────────


def _factor(formula: Formula, text: str) -> str:
    """A factor in a product: in parentheses when it is more than one symbol or number."""
    return f"({text})" if len(formula) > 1 or text.startswith(("-", "−")) else text


def circuit_explanation_lines(explanation: CircuitDerivation, style: Style) -> list[str]:
    output, name = explanation.output, explanation.name
    n = style.number
    lines = [style.say("expr.explain.title", output=output, name=name), ""]
    values = ", ".join(f"{leaf} = {n(value)}" for leaf, value in explanation.scenario.values)
    lines.append(style.say("expr.explain.gates", values=values))
    for gate in explanation.graph.gates:
        refs = tuple(Ref(input, float(explanation.values[input])) for input in gate.inputs)
        formula = forward_formula(gate, refs)
        written = [gate.name, style.symbols(formula)]
        for text in (numbers(formula, style), n(float(explanation.values[gate.name]))):
            if text.replace("−", "-") not in [part.replace("−", "-") for part in written]:
                written.append(text)
        lines.append("  " + " = ".join(written))
    lines.append("")
    gradient = derivative(output, name)
    if name == output:
        lines.append(style.say("expr.explain.itself", name=name))
        return [style.text(line) for line in lines]
    if explanation.path_count == 0:
        lines.append(style.say("expr.explain.no_path", name=name, output=output))
        return [style.text(line) for line in lines]
    if explanation.path_count > len(explanation.paths):
        listed = len(explanation.paths)
        lines += [style.say("expr.explain.too_many_paths", count=explanation.path_count, shown=listed), ""]
    for number, path in enumerate(explanation.paths, start=1):
        route = " → ".join([output, *(edge.input for edge in path.edges)])
        lines.append(style.say("expr.explain.path", number=number, path=route))
        names = " · ".join(derivative(edge.gate, edge.input) for edge in path.edges)
        symbols = " · ".join(_factor(edge.formula, style.symbols(edge.formula)) for edge in path.edges)
        substituted = " × ".join(_factor(edge.formula, numbers(edge.formula, style)) for edge in path.edges)
        lines.append(f"  {names}")
        lines.append(f"    = {symbols}")
        lines.append(f"    = {substituted} = {n(float(path.value))}")
    lines.append("")
    if explanation.path_count == 1:
        lines.append(style.say("expr.explain.one_path"))
        lines.append(f"  {gradient} = {n(float(explanation.gradient))}")
    else:
        lines.append(style.say("expr.explain.sum", count=explanation.path_count))
        shown = " + ".join(signed(n(float(path.value))) for path in explanation.paths)
        more = " + …" if explanation.path_count > len(explanation.paths) else ""
        lines.append(f"  {gradient} = {shown}{more} = {n(float(explanation.gradient))}")
    if explanation.whole is None:
        lines += ["", style.say("expr.explain.reverse", output=output, size=explanation.whole_size)]
        lines.append(f"  {gradient} = {n(float(explanation.derivative_value))}")
        return [style.text(style.formula_words(line)) for line in lines]
    lines += ["", style.say("expr.explain.whole", output=output)]
    lines.append(f"  {output} = {explanation.whole}")
    lines.append(f"  {gradient} = {explanation.derivative} = {n(float(explanation.derivative_value))}")
    return [style.text(style.formula_words(line)) for line in lines]


def render_circuit_explanation(explanation: CircuitDerivation, style: Style) -> RenderableType:
    return Group(*(Text(line) for line in circuit_explanation_lines(explanation, style)))


__all__ = ["circuit_explanation_lines", "render_circuit_explanation", "render_circuit_json", "render_circuit_run"]
