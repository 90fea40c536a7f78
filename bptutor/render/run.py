"""Terminal renderer for `bptutor run`: given values, forward, backward and update tables.

It formats a `Run`; it never computes. Every user-supplied string goes into a
`rich.text.Text`, so square brackets in names are printed, not read as markup.
Every word comes from the message catalog (`bptutor.i18n`) in the style's language.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bptutor.core.formula import Formula, Ref, Times
from bptutor.core.graph import Kind
from bptutor.i18n import DEFAULT_LANGUAGE, has_wide_characters, in_language, message
from bptutor.core.numbers import DEFAULT_DIGITS, format_number
from bptutor.core.scenario import ROUNDING_KINDS, Rounding, Scenario
from bptutor.render.terminal import can_encode
from bptutor.core.trace import BackwardStep, PathTerm, Run, StepTrace

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
    "±": "+/-",
    "‖": "||",
    "∞": "inf",
    **{superscript: f"^{digit}" for digit, superscript in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹") if superscript != "²"},
    **{subscript: str(digit) for digit, subscript in enumerate("₀₁₂₃₄₅₆₇₈₉")},
}
UNSHOWABLE = "?"  # for a character the terminal cannot show and ASCII_SPELLING does not spell

FORMULA_WORDS = ("if", "otherwise", "else", "since")  # words inside formulas, translated (catalog: formula.*)
_WORD = re.compile(r"[^\W\d][\w']*")


@dataclass(frozen=True)
class Style:
    """How to print: significant digits, ASCII or not, the language, and what the terminal can show.

    `ascii` spells every math symbol in ASCII (Chinese text stays). `encoding`
    is set when the output is a terminal that cannot show some symbols: then
    only the characters it cannot encode are spelled in ASCII.
    """

    digits: int = DEFAULT_DIGITS
    ascii: bool = False
    lang: str = DEFAULT_LANGUAGE
    encoding: str | None = None

    def text(self, value: str) -> str:
        if self.ascii:
            return "".join(ASCII_SPELLING.get(char, char) for char in value)
        if self.encoding is None:
            return value
        return "".join(self._showable(char) for char in value)

    def _showable(self, char: str) -> str:
        if can_encode(char, self.encoding or "utf-8"):
            return char
        spelled = ASCII_SPELLING.get(char, UNSHOWABLE)
        return spelled if can_encode(spelled, self.encoding or "utf-8") else UNSHOWABLE

    def say(self, key: str, **fields: object) -> str:
        """The catalog message `key` in this style's language."""
        return message(key, self.lang, **fields)

    def formula_words(self, text: str, names: Collection[str] = ()) -> str:
        """The words inside a formula (if, otherwise, else, since) in this style's language; names stay."""
        if self.lang == DEFAULT_LANGUAGE:
            return text

        def translated(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in names or word not in FORMULA_WORDS:
                return word
            return self.say(f"formula.{word}")

        return _WORD.sub(translated, text)

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
                pieces.append(self.formula_words(token))
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
                pieces.append(self.formula_words(token))
        return self.text("".join(pieces))

    @property
    def box(self) -> box.Box:
        lines_drawable = self.encoding is None or can_encode(str(box.SIMPLE_HEAD), self.encoding)
        return box.SIMPLE_HEAD if lines_drawable and not self.ascii else box.ASCII


def derivative(of: str, wrt: str) -> str:
    return f"∂{of}/∂{wrt}"


def _cell(text: str) -> Text:
    """A table cell. Text with Chinese in it may always wrap (folding), so it is never cut short."""
    if has_wide_characters(text):
        return Text(text, no_wrap=False, overflow="fold")
    return Text(text)


def _table(style: Style, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    """A table whose substituted-numbers column wraps; names and symbols keep their line on narrow terminals.

    Cells (and headers) holding Chinese wrap in any column, folding, so they are
    never cut short; the column keeps its width like the others.
    """
    table = Table(box=style.box, show_edge=False, pad_edge=False, header_style="bold")
    for index, header in enumerate(headers):
        last = index == len(headers) - 1
        numbers = index == len(headers) - 2
        table.add_column(
            _cell(style.text(header)),
            overflow="fold",
            justify="right" if last else "left",
            no_wrap=not numbers,
            ratio=1 if numbers else None,
        )
    for row in rows:
        table.add_row(*(_cell(style.text(cell)) for cell in row))
    return table


def _heading(style: Style, title: str) -> Text:
    return Text(style.text(title), style="bold underline")


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
    parts += [_heading(style, style.say("run.heading.given")), render_given(run, style), Text("")]
    parts += [_heading(style, style.say("run.heading.forward")), render_forward(run.first, style), Text("")]
    backward = style.say("run.heading.backward", delta=notation.dlt("j"), signal=signal(run, notation.pre("j")))
    parts.append(_heading(style, backward))
    parts += [render_backward(run, run.first, style), Text("")]
    for note in run.first.notes:
        parts.append(Text(style.text(style.say("run.note", note=in_language(note, style.lang))), style="yellow"))
        parts.append(Text(""))
    update = style.say("run.heading.update", rule=update_rule(run))
    parts += [_heading(style, update), render_updates(run, run.first, style)]
    if steps > 1:
        parts += [Text(""), _heading(style, style.say("run.heading.losses", steps=steps)), render_losses(run, style)]
    return Group(*parts)


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
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(overflow="fold")
    table.add_column(overflow="fold")
    n = style.number
    inputs = ", ".join(f"{name} = {n(value)}" for name, value in scenario.inputs)
    targets = ", ".join(f"{scenario.notation.tgt(name)} = {n(value)}" for name, value in scenario.targets)
    rate_text = rates_sentence(run, style)
    activations = activations_sentence(run, style)
    loss = _loss_description(scenario, style)
    rows = [
        (style.say("given.inputs"), inputs),
        (style.say("given.targets"), targets),
        *_parameter_rows(run, style),
        (style.say("given.activations"), activations),
        (style.say("given.loss"), style.say("given.loss_value", name=_loss_name(scenario, style), description=loss)),
        (style.say("given.learning_rate"), rate_text),
    ]
    frozen = run.graph.frozen
    if frozen:
        rows.append((style.say("given.frozen"), style.say("given.frozen_names", names=", ".join(frozen))))
    rows += _policy_rows(run, style)
    for label, value in rows:
        table.add_row(Text(style.text(label)), Text(style.text(value)))
    return table


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


def _policy_rows(run: Run, style: Style) -> list[tuple[str, str]]:
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


def _parameter_rows(run: Run, style: Style) -> list[tuple[str, str]]:
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
    return _table(style, headers, rows)


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
        total_numbers = " + ".join(_signed(style.number(term.value)) for term in record.terms)
        rows.append((style.text(name), total_symbols, total_numbers, style.number(record.value)))
    headers = [style.say(f"column.{key}") for key in ("derivative", "chain_rule", "with_numbers", "value")]
    return _table(style, headers, rows)


def _signed(number: str) -> str:
    return f"({number})" if number.startswith("-") else number


def _backward_delta(run: Run, record: BackwardStep, style: Style) -> list[tuple[str, ...]]:
    """A neuron's error term: first its activation's local derivative, then δ = ∂E/∂out · ∂out/∂in."""
    notation = run.scenario.notation
    (term,) = record.terms
    local = term.local
    assert record.neuron is not None
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
    numbers = f"{_signed(style.number(term.upstream))} × {_signed(style.number(local.value))}"
    return [slope, (style.text(delta), style.text(symbols), style.text(numbers), style.number(record.value))]


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
            change = _signed(style.number(recorded[update.parameter]))
            numbers = f"{style.number(update.old)} + {style.number(update.rate)} × {change}"
        else:
            symbols = f"{update.parameter} − η·{signal(run, update.parameter)}"
            numbers = f"{style.number(update.old)} − {style.number(update.rate)} × {_signed(style.number(update.gradient))}"
        rows.append((f"{update.parameter}′", style.text(symbols), style.text(numbers), style.number(update.new)))
    headers = [
        style.say("column.parameter"),
        update_rule(run),
        style.say("column.with_numbers"),
        style.say("column.new_value"),
    ]
    return _table(style, headers, rows)


def render_losses(run: Run, style: Style) -> Table:
    rows = [(str(index), style.number(step.loss)) for index, step in enumerate(run.steps, start=1)]
    rows.append((style.text(style.say("row.after_last_step")), style.number(run.final_loss)))
    headers = [style.say("column.step"), style.say("column.loss_before_update", loss=run.scenario.notation.loss)]
    return _table(style, headers, rows)
