"""The tables and sentences of one traced step of `bptutor run`: given values, forward,
backward (every path term), updates and the loss per step.

They format a `Run`; they never compute. Every word comes from the message catalog
(`bptutor.i18n`) in the style's language.
"""

from __future__ import annotations

from rich.table import Table

from bptutor.core.graph import Kind
from bptutor.core.scenario import ROUNDING_KINDS, Rounding, Scenario
from bptutor.core.trace import BackwardStep, PathTerm, Run, StepTrace
from bptutor.i18n import message
from bptutor.render.fit import given_table
from bptutor.render.style import Style, derivative, make_table, signed


def rates_sentence(run: Run, style: Style) -> str:
    """The learning rates, each once with the parameters it applies to: "η = 0.1 for w1, w2; η = 0.5 for …"."""
    rates: dict[float, list[str]] = {}
    for name, rate in run.graph.learning_rates:
        rates.setdefault(rate, []).append(name)
    return style.say("given.rate_separator").join(
        style.say("given.rate", rate=style.number(rate), names=", ".join(names)) for rate, names in rates.items()
    )


def activations_sentence(run: Run, style: Style) -> str:
    """Each layer's activation: "hidden: sigmoid, output: sigmoid"."""
    return style.say("given.activation_separator").join(
        style.say("given.activation", layer=layer.name, activation=layer.activation) for layer in run.scenario.layers
    )


def render_given(run: Run, style: Style) -> Table:
    scenario = run.scenario
    n = style.number
    inputs = ", ".join(f"{name} = {n(value)}" for name, value in scenario.inputs)
    targets = ", ".join(f"{scenario.notation.tgt(name)} = {n(value)}" for name, value in scenario.targets)
    rate_text = rates_sentence(run, style)
    activations = activations_sentence(run, style)
    loss = _loss_description(scenario, style)
    rows = [
        (style.say("given.inputs"), inputs),
        (style.say("given.targets"), targets),
        *parameter_rows(run, style),
        (style.say("given.activations"), activations),
        (style.say("given.loss"), style.say("given.loss_value", name=_loss_name(scenario, style), description=loss)),
        (style.say("given.learning_rate"), rate_text),
    ]
    frozen = run.graph.frozen
    if frozen:
        rows.append((style.say("given.frozen"), style.say("given.frozen_names", names=", ".join(frozen))))
    rows += policy_rows(run, style)
    return given_table((style.text(label), style.text(value)) for label, value in rows)


def _loss_name(scenario: Scenario, style: Style) -> str:
    return scenario.loss if isinstance(scenario.loss, str) else style.say("custom.loss_name")


def _loss_description(scenario: Scenario, style: Style) -> str:
    """E = Σ ½(target − out)² for a built-in; for a custom loss its term as written, and which name is which."""
    loss = scenario.notation.loss
    if isinstance(scenario.loss, str):
        return style.say(f"loss.{scenario.loss}", loss=loss)
    from bptutor.core.expression import to_text

    custom = scenario.loss
    key = "custom.loss_mean" if custom.mean else "custom.loss_sum"
    return style.say(key, loss=loss, term=to_text(custom.expression), target=custom.target, output=custom.output)


def policy_rows(run: Run, style: Style) -> list[tuple[str, str]]:
    """The rounding policy and any convention that differs from exact gradient descent."""
    scenario = run.scenario
    notation = scenario.notation
    rows = []
    if scenario.rounding is not None:
        rows.append((style.say("given.rounding"), rounding_sentence(scenario.rounding, style.lang)))
    conventions = scenario.conventions
    if conventions.error_term == "textbook":
        error = f"{notation.dlt('j')} = −∂{notation.loss}/∂{notation.pre('j')}"
        rows.append((style.say("given.error_term"), style.say("given.error_term_value", error=error)))
    if conventions.hidden_error_weights == "updated":
        rows.append((style.say("given.hidden_errors"), style.say("given.hidden_errors_value")))
    if conventions.bias == "threshold":
        rows.append((style.say("given.biases"), style.say("given.biases_threshold", pre=notation.pre("j"))))
    return rows


def rounding_sentence(rounding: Rounding, lang: str) -> str:
    """What a rounding policy keeps, in words: "activations to 2, … decimals (half up), …"."""
    kinds = [
        message("given.rounding_kind", lang, kind=message(f"kind.{kind}", lang), decimals=rounding.decimals(kind))
        for kind in ROUNDING_KINDS
        if rounding.decimals(kind) is not None
    ]
    separator = message("given.activation_separator", lang)
    written = separator.join(kinds) if kinds else message("given.rounding_nothing", lang)
    method = message(f"given.rounding_{rounding.method}", lang)
    return message("given.rounding_value", lang, kinds=written, method=method)


def parameter_rows(run: Run, style: Style) -> list[tuple[str, str]]:
    """Parameters grouped by the layer that first uses them, so each line stays short."""
    scenario = run.scenario
    first_layer = {name: layers[0] for name, layers in run.graph.parameter_layers}
    rows = []
    for index, layer in enumerate(scenario.layers):
        shown = [f"{name} = {style.number(value)}" for name, value in scenario.parameters if first_layer[name] == index]
        if shown:
            rows.append((style.say("given.parameters", layer=layer.name), ", ".join(shown)))
    return rows


def render_forward(step: StepTrace, style: Style) -> Table:
    rows = []
    for record in step.forward:
        if record.kind in (Kind.INPUT, Kind.TARGET, Kind.PARAMETER):
            continue
        formula = style.symbols(record.formula)
        numbers = style.numbers(record.formula)
        if record.expansion is not None:
            formula += " = " + style.symbols(record.expansion)
            numbers = style.numbers(record.expansion)
        rows.append((style.text(record.quantity), formula, numbers, style.number(record.value)))
    headers = [style.say(f"column.{key}") for key in ("quantity", "formula", "with_numbers", "value")]
    return make_table(style, headers, rows, "equation")


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
    up = signed(style.number(term.upstream))
    wrap = len(term.local.formula) > 1
    local_numbers = f"({local_numbers})" if wrap else signed(local_numbers)  # a negative factor: (−0.6)
    local_symbols = f"({local_symbols})" if wrap else local_symbols
    return style.text(f"{upstream}·{local_symbols}"), style.text(f"{up} × {local_numbers}")


def render_backward(run: Run, step: StepTrace, style: Style) -> Table:
    rows: list[tuple[str, ...]] = []
    for record in step.backward:
        name = signal(run, record.quantity)
        if record.kind is Kind.PRE_ACTIVATION and record.neuron is not None:
            rows += _backward_delta(run, record, style)
            continue
        if len(record.terms) == 1:
            symbols, numbers = _path(run, record.terms[0], style)
            rows.append((style.text(name), symbols, numbers, style.number(record.value)))
            continue
        if not record.terms:
            rows.append((style.text(name), style.text(style.say("row.feeds_nothing")), "", style.number(0.0)))
            continue
        for term in record.terms:
            symbols, numbers = _path(run, term, style)
            label = style.text(style.say("row.path_via", via=term.via))
            rows.append((label, symbols, numbers, style.number(term.value)))
        total_symbols = " + ".join(_path(run, term, style)[0] for term in record.terms)
        total_numbers = " + ".join(signed(style.number(term.value)) for term in record.terms)
        rows.append((style.text(name), total_symbols, total_numbers, style.number(record.value)))
    headers = [style.say(f"column.{key}") for key in ("derivative", "chain_rule", "with_numbers", "value")]
    return make_table(style, headers, rows, "equation")


def _backward_delta(run: Run, record: BackwardStep, style: Style) -> list[tuple[str, ...]]:
    """A neuron's error term: first its activation's local derivative, then δ = ∂E/∂out · ∂out/∂in."""
    notation = run.scenario.notation
    assert record.neuron is not None
    if len(record.terms) > 1:  # a softmax neuron: each Jacobian entry ∂a_i/∂z_j, then δ_j = Σ_i ∂E/∂a_i·∂a_i/∂z_j
        return _jacobian_delta(run, record, style)
    (term,) = record.terms
    local = term.local
    if term.via == notation.loss:  # the loss read this pre-activation itself: δ = out − target, f′ cancelled
        delta = f"{notation.dlt(record.neuron)} = {signal(run, record.quantity)}"
        numbers = style.numbers(local.formula)
        return [(style.text(delta), style.symbols(local.formula), numbers, style.number(record.value))]
    slope = (
        style.text(derivative(local.of, local.wrt)),
        style.symbols(local.formula),
        style.numbers(local.formula),
        style.number(local.value),
    )
    assert record.neuron is not None
    delta = f"{notation.dlt(record.neuron)} = {signal(run, record.quantity)}"
    symbols = f"{signal(run, local.of)}·{derivative(local.of, local.wrt)}"
    numbers = f"{signed(style.number(term.upstream))} × {signed(style.number(local.value))}"
    return [slope, (style.text(delta), style.text(symbols), style.text(numbers), style.number(record.value))]


def _jacobian_delta(run: Run, record: BackwardStep, style: Style) -> list[tuple[str, ...]]:
    """δ_j of a softmax neuron: every entry ∂a_i/∂z_j of its Jacobian column, then their sum weighted by ∂E/∂a_i."""
    assert record.neuron is not None
    rows: list[tuple[str, ...]] = []
    for term in record.terms:
        local = term.local
        name = style.text(derivative(local.of, local.wrt))
        rows.append((name, style.symbols(local.formula), style.numbers(local.formula), style.number(local.value)))
    symbols = " + ".join(f"{signal(run, t.via)}·{derivative(t.local.of, t.local.wrt)}" for t in record.terms)
    numbers = " + ".join(
        f"{signed(style.number(term.upstream))} × {signed(style.number(term.local.value))}" for term in record.terms
    )
    delta = f"{run.scenario.notation.dlt(record.neuron)} = {signal(run, record.quantity)}"
    rows.append((style.text(delta), style.text(symbols), style.text(numbers), style.number(record.value)))
    return rows


def update_rule(run: Run) -> str:
    """p − η·∂E/∂p, or p + η·(−∂E/∂p) under the textbook error convention."""
    loss = run.scenario.notation.loss
    if run.scenario.conventions.error_term == "textbook":
        return f"p + η·(−∂{loss}/∂p)"
    return f"p − η·∂{loss}/∂p"


def render_updates(run: Run, step: StepTrace, style: Style) -> Table:
    textbook = run.scenario.conventions.error_term == "textbook"
    recorded = {record.quantity: record.value for record in step.backward}
    rows = []
    for update in step.updates:
        if update.frozen:
            rows.append((update.parameter, style.text(style.say("row.frozen")), "", style.number(update.old)))
            continue
        if textbook:  # p + η·Err_p, with Err_p = −∂E/∂p as the backward table shows it
            symbols = f"{update.parameter} + η·({signal(run, update.parameter)})"
            change = signed(style.number(recorded[update.parameter]))
            numbers = f"{style.number(update.old)} + {style.number(update.rate)} × {change}"
        else:
            symbols = f"{update.parameter} − η·{signal(run, update.parameter)}"
            change = signed(style.number(update.gradient))
            numbers = f"{style.number(update.old)} − {style.number(update.rate)} × {change}"
        rows.append((f"{update.parameter}′", style.text(symbols), style.text(numbers), style.number(update.new)))
    headers = [
        style.say("column.parameter"),
        update_rule(run),
        style.say("column.with_numbers"),
        style.say("column.new_value"),
    ]
    return make_table(style, headers, rows, "equation")


def render_losses(run: Run, style: Style) -> Table:
    rows = [(str(index), style.number(step.loss)) for index, step in enumerate(run.steps, start=1)]
    rows.append((style.text(style.say("row.after_last_step")), style.number(run.final_loss)))
    headers = [style.say("column.step"), style.say("column.loss_before_update", loss=run.scenario.notation.loss)]
    return make_table(style, headers, rows)


__all__ = [
    "activations_sentence",
    "parameter_rows",
    "policy_rows",
    "rates_sentence",
    "render_backward",
    "render_forward",
    "render_given",
    "render_losses",
    "render_updates",
    "rounding_sentence",
    "signal",
    "update_rule",
    "upstream_symbol",
]
