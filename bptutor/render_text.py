"""Terminal renderer for `bptutor run`: given values, forward, backward and update tables.

It formats a `Run`; it never computes. Every user-supplied string goes into a
`rich.text.Text`, so square brackets in names are printed, not read as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bptutor.formula import Formula, Ref, Times
from bptutor.graph import Kind
from bptutor.numbers import DEFAULT_DIGITS, format_number
from bptutor.ops import LOSSES
from bptutor.scenario import ROUNDING_KINDS
from bptutor.trace import BackwardStep, PathTerm, Run, StepTrace

ASCII_SPELLING = {
    "∂": "d",
    "σ": "sigmoid",
    "·": "*",
    "×": "*",
    "−": "-",
    "½": "1/2",
    "²": "^2",
    "δ": "delta",
    "η": "eta",
    "Σ": "sum",
    "≤": "<=",
    "→": "->",
    "α": "alpha",
    "′": "'",
    "…": "...",
}


@dataclass(frozen=True)
class Style:
    """How to print: significant digits and whether to keep to ASCII."""

    digits: int = DEFAULT_DIGITS
    ascii: bool = False

    def text(self, value: str) -> str:
        if not self.ascii:
            return value
        return "".join(ASCII_SPELLING.get(char, char) for char in value)

    def number(self, value: float) -> str:
        return format_number(value, self.digits)

    def symbols(self, formula: Formula) -> str:
        """The formula in names: w5·out_h1 + b3."""
        pieces = []
        for token in formula:
            if isinstance(token, Ref):
                pieces.append(token.name)
            elif isinstance(token, Times):
                pieces.append("·")
            else:
                pieces.append(token)
        return self.text("".join(pieces))

    def numbers(self, formula: Formula) -> str:
        """The formula with numbers substituted: 0.5 × 0.6456563062 + 0.66."""
        pieces = []
        alone = len(formula) == 1
        for token in formula:
            if isinstance(token, Ref):
                shown = self.number(token.value)
                pieces.append(f"({shown})" if shown.startswith("-") and not alone else shown)
            elif isinstance(token, Times):
                pieces.append(" × ")
            else:
                pieces.append(token)
        return self.text("".join(pieces))

    @property
    def box(self) -> box.Box:
        return box.ASCII if self.ascii else box.SIMPLE_HEAD


def derivative(of: str, wrt: str) -> str:
    return f"∂{of}/∂{wrt}"


def _table(style: Style, *headers: str) -> Table:
    table = Table(box=style.box, show_edge=False, pad_edge=False, header_style="bold")
    for index, header in enumerate(headers):
        last = index == len(headers) - 1
        # only the substituted numbers wrap; names and symbols keep their line on narrow terminals
        wraps = index == len(headers) - 2
        table.add_column(
            style.text(header),
            overflow="fold",
            justify="right" if last else "left",
            no_wrap=not wraps,
            ratio=1 if wraps else None,
        )
    return table


def _row(table: Table, style: Style, *cells: str) -> None:
    table.add_row(*(Text(style.text(cell)) for cell in cells))


def _heading(style: Style, title: str) -> Text:
    return Text(style.text(title), style="bold underline")


def render_run(run: Run, style: Style) -> RenderableType:
    """The whole worked example of step 1, then the loss per step when there are several."""
    scenario = run.scenario
    parts: list[RenderableType] = []
    title = scenario.title or scenario.name
    steps = len(run.steps)
    parts.append(Text(style.text(f"{title}  ({scenario.name}, step 1 of {steps})"), style="bold"))
    parts.append(Text(""))
    parts += [_heading(style, "Given"), render_given(run, style), Text("")]
    parts += [_heading(style, "Forward pass"), render_forward(run.first, style), Text("")]
    delta_word = f"{scenario.notation.dlt('j')} = {signal(run, scenario.notation.pre('j'))}"
    parts.append(_heading(style, f"Backward pass (error term {delta_word}, from the output layer back)"))
    parts += [render_backward(run, run.first, style), Text("")]
    for note in run.first.notes:
        parts += [Text(style.text(f"Note: {note}"), style="yellow"), Text("")]
    parts += [_heading(style, f"Update (p′ = {update_rule(run)})"), render_updates(run, run.first, style)]
    if steps > 1:
        parts += [Text(""), _heading(style, f"Loss over {steps} steps"), render_losses(run, style)]
    return Group(*parts)


def render_given(run: Run, style: Style) -> Table:
    scenario = run.scenario
    graph = run.graph
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(overflow="fold")
    table.add_column(overflow="fold")
    n = style.number
    inputs = ", ".join(f"{name} = {n(value)}" for name, value in scenario.inputs)
    targets = ", ".join(f"{scenario.notation.tgt(name)} = {n(value)}" for name, value in scenario.targets)
    loss = LOSSES[scenario.loss]
    rates: dict[float, list[str]] = {}
    for name, rate in graph.learning_rates:
        rates.setdefault(rate, []).append(name)
    rate_text = "; ".join(f"η = {n(rate)} for {', '.join(names)}" for rate, names in rates.items())
    rows = [
        ("inputs", inputs),
        ("targets", targets),
        *_parameter_rows(run, style),
        ("activations", ", ".join(f"{layer.name}: {layer.activation}" for layer in scenario.layers)),
        ("loss", f"{scenario.loss}: {loss.description.replace('E', scenario.notation.loss, 1)}"),
        ("learning rate", rate_text),
    ]
    frozen = run.graph.frozen
    if frozen:
        rows.append(("frozen", ", ".join(frozen) + " (gradient shown, not updated)"))
    rows += _policy_rows(run)
    for label, value in rows:
        table.add_row(Text(style.text(label)), Text(style.text(value)))
    return table


def _policy_rows(run: Run) -> list[tuple[str, str]]:
    """The rounding policy and any convention that differs from exact gradient descent."""
    scenario = run.scenario
    rows = []
    rounding = scenario.rounding
    if rounding is not None:
        kinds = [f"{kind.replace('_', '-')} to {rounding.decimals(kind)}" for kind in ROUNDING_KINDS if rounding.decimals(kind) is not None]
        method = "half up" if rounding.method == "half_up" else "half to even"
        written = ", ".join(kinds) if kinds else "nothing"
        rows.append(("rounding", f"{written} decimals ({method}), each value used as written; the rest exact"))
    conventions = scenario.conventions
    if conventions.error_term == "textbook":
        rows.append(("error term", f"{scenario.notation.dlt('j')} = −∂{scenario.notation.loss}/∂{scenario.notation.pre('j')}, update p + η·Err·input"))
    if conventions.hidden_error_weights == "updated":
        rows.append(("hidden errors", "use the already-updated weights of the layer above (not the exact gradient)"))
    if conventions.bias == "threshold":
        rows.append(("biases", "thresholds, subtracted: net = Σ w·x − θ"))
    return rows


def _parameter_rows(run: Run, style: Style) -> list[tuple[str, str]]:
    """Parameters grouped by the layer that first uses them, so each line stays short."""
    scenario = run.scenario
    first_layer = {name: layers[0] for name, layers in run.graph.parameter_layers}
    rows = []
    for index, layer in enumerate(scenario.layers):
        shown = [f"{name} = {style.number(value)}" for name, value in scenario.parameters if first_layer[name] == index]
        if shown:
            rows.append((f"parameters ({layer.name})", ", ".join(shown)))
    return rows


def render_forward(step: StepTrace, style: Style) -> Table:
    table = _table(style, "quantity", "formula", "with numbers", "value")
    for record in step.forward:
        if record.kind in (Kind.INPUT, Kind.TARGET, Kind.PARAMETER):
            continue
        formula = style.symbols(record.formula)
        numbers = style.numbers(record.formula)
        if record.expansion is not None:
            formula += " = " + style.symbols(record.expansion)
            numbers = style.numbers(record.expansion)
        _row(table, style, style.text(record.quantity), formula, numbers, style.number(record.value))
    return table


def upstream_symbol(run: Run, via: str) -> str | None:
    """How the upstream factor ∂E/∂via is written: δ for a pre-activation, nothing for the loss itself."""
    notation = run.scenario.notation
    if via == notation.loss:
        return None
    quantity = run.graph.quantity(via)
    if quantity.kind is Kind.PRE_ACTIVATION and quantity.neuron is not None:
        return notation.dlt(quantity.neuron)
    return signal(run, via)


def signal(run: Run, quantity: str) -> str:
    """What the backward pass records for a quantity: ∂E/∂q, or −∂E/∂q under the textbook error convention."""
    name = derivative(run.scenario.notation.loss, quantity)
    return f"−{name}" if run.scenario.conventions.error_term == "textbook" else name


def _path(run: Run, term: PathTerm, style: Style) -> tuple[str, str]:
    """One path term as (symbols, numbers): upstream · local."""
    upstream = upstream_symbol(run, term.via)
    local_symbols = style.symbols(term.local.formula)
    local_numbers = style.numbers(term.local.formula)
    if upstream is None:
        return local_symbols, local_numbers
    up = style.number(term.upstream)
    up = f"({up})" if up.startswith("-") else up
    wrap = len(term.local.formula) > 1
    local_numbers = f"({local_numbers})" if wrap else local_numbers
    local_symbols = f"({local_symbols})" if wrap else local_symbols
    return style.text(f"{upstream}·{local_symbols}"), style.text(f"{up} × {local_numbers}")


def render_backward(run: Run, step: StepTrace, style: Style) -> Table:
    table = _table(style, "derivative", "chain rule", "with numbers", "value")
    for record in step.backward:
        name = signal(run, record.quantity)
        if record.kind is Kind.PRE_ACTIVATION and record.neuron is not None:
            _backward_delta(run, record, style, table)
            continue
        if len(record.terms) == 1:
            symbols, numbers = _path(run, record.terms[0], style)
            _row(table, style, style.text(name), symbols, numbers, style.number(record.value))
            continue
        if not record.terms:
            _row(table, style, style.text(name), style.text("0 (it feeds nothing)"), "", style.number(0.0))
            continue
        for term in record.terms:
            symbols, numbers = _path(run, term, style)
            _row(table, style, style.text(f"  path via {term.via}"), symbols, numbers, style.number(term.value))
        total_symbols = " + ".join(_path(run, term, style)[0] for term in record.terms)
        total_numbers = " + ".join(_signed(style.number(term.value)) for term in record.terms)
        _row(table, style, style.text(name), total_symbols, total_numbers, style.number(record.value))
    return table


def _signed(number: str) -> str:
    return f"({number})" if number.startswith("-") else number


def _backward_delta(run: Run, record: BackwardStep, style: Style, table: Table) -> None:
    """A neuron's error term: first its activation's local derivative, then δ = ∂E/∂out · ∂out/∂in."""
    notation = run.scenario.notation
    (term,) = record.terms
    local = term.local
    _row(
        table,
        style,
        style.text(derivative(local.of, local.wrt)),
        style.symbols(local.formula),
        style.numbers(local.formula),
        style.number(local.value),
    )
    assert record.neuron is not None
    delta = f"{notation.dlt(record.neuron)} = {signal(run, record.quantity)}"
    symbols = f"{signal(run, local.of)}·{derivative(local.of, local.wrt)}"
    numbers = f"{_signed(style.number(term.upstream))} × {_signed(style.number(local.value))}"
    _row(table, style, style.text(delta), style.text(symbols), style.text(numbers), style.number(record.value))


def update_rule(run: Run) -> str:
    """p′ = p − η·∂E/∂p, or p′ = p + η·(−∂E/∂p) under the textbook error convention."""
    loss = run.scenario.notation.loss
    if run.scenario.conventions.error_term == "textbook":
        return f"p + η·(−∂{loss}/∂p)"
    return f"p − η·∂{loss}/∂p"


def render_updates(run: Run, step: StepTrace, style: Style) -> Table:
    textbook = run.scenario.conventions.error_term == "textbook"
    table = _table(style, "parameter", update_rule(run), "with numbers", "new value")
    recorded = {record.quantity: record.value for record in step.backward}
    for update in step.updates:
        if update.frozen:
            _row(table, style, update.parameter, style.text("frozen: not updated"), "", style.number(update.old))
            continue
        if textbook:
            symbols = f"{update.parameter} + η·({signal(run, update.parameter)})"
            change = _signed(style.number(recorded[update.parameter]))
            numbers = f"{style.number(update.old)} + {style.number(update.rate)} × {change}"
        else:
            symbols = f"{update.parameter} − η·{signal(run, update.parameter)}"
            numbers = f"{style.number(update.old)} − {style.number(update.rate)} × {_signed(style.number(update.gradient))}"
        _row(table, style, f"{update.parameter}′", style.text(symbols), style.text(numbers), style.number(update.new))
    return table


def render_losses(run: Run, style: Style) -> Table:
    table = _table(style, "step", f"{run.scenario.notation.loss} before the update")
    for index, step in enumerate(run.steps, start=1):
        _row(table, style, str(index), style.number(step.loss))
    _row(table, style, style.text("after the last step"), style.number(run.final_loss))
    return table
