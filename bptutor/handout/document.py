"""A worked solution as a document: the content of a handout, before any format.

`build_handout(run, lang, variant)` walks a traced `Run` and lays out what a
teacher's worked solution says: the problem (figure and givens), the forward
pass, the loss, the backward pass with every chain-rule factor derived, the
updates and a summary table. Every number is the tracer's own, formatted once
here; the Markdown, LaTeX and HTML printers only decide how to print the blocks.

Variants: `full` (the worked solution), `answers` (the key: final numbers of
every step, compact) and `worksheet` (the full solution, printed with blanks
where the computed numbers go). The detail (bptutor.handout.selection) says how
much is derived in full: every parameter, one of each layer (the default), or
none; the rest is listed in tables that name the same formulas.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from bptutor.core.formula import Ref
from bptutor.core.graph import Activate, Kind, TotalLoss, WeightedSum
from bptutor.core.numbers import DEFAULT_DIGITS, format_number, true_minus
from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
from bptutor.core.scenario import Scenario
from bptutor.core.trace import BackwardStep, LocalFactor, PathTerm, Run
from bptutor.errors import UsageError
from bptutor.handout import maths
from bptutor.handout.maths import (
    Call,
    Chain,
    Exp,
    Frac,
    Int,
    Name,
    Neg,
    Node,
    Num,
    Partial,
    Power,
    Product,
    Sigma,
    Sum,
    Words,
)
from bptutor.handout.selection import Section, chosen_parameters, sections
from bptutor.i18n import DEFAULT_LANGUAGE, Message, in_language, message
from bptutor.records import dataclass

if TYPE_CHECKING:
    from bptutor.core.custom import CustomActivation

VARIANTS = ("full", "answers", "worksheet")

Inline = tuple[str | Node, ...]  # words and inline math, side by side


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    parts: Inline


@dataclass(frozen=True)
class Display:
    """A displayed equation, with an optional label in words before it and a tag on its line ((BP1))."""

    math: Node
    label: str = ""
    about: str = ""  # what it computes: in_h1, E_total, ∂w5 (∂E/∂w5), ∂out_o1/∂in_o1, w5′
    tag: str = ""


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Figure:
    scenario: Scenario
    caption: str


Block = Heading | Paragraph | Display | Table | Figure


@dataclass(frozen=True)
class Handout:
    title: str
    subtitle: str
    lang: str
    variant: str
    blocks: tuple[Block, ...]

    def working(self, about: set[str]) -> Handout:
        """Only the displayed equations that compute the given quantities (see Display.about), in order."""
        chosen = tuple(block for block in self.blocks if isinstance(block, Display) and block.about in about)
        return Handout(self.title, self.subtitle, self.lang, self.variant, chosen)

    @property
    def blanks(self) -> bool:
        """Whether computed numbers are printed as blanks (the worksheet)."""
        return self.variant == "worksheet"


MAX_WORKED_PARAMETERS = 400  # beyond this a worked solution is hundreds of pages: only the answer key is written
SCIENTIFIC_BELOW = 1e-4  # smaller numbers are printed as 5.709 × 10⁻⁶


def build_handout(
    run: Run,
    lang: str = DEFAULT_LANGUAGE,
    variant: str = "full",
    digits: int = DEFAULT_DIGITS,
    detail: str = "standard",
    derive: Sequence[str] | None = None,
    body: Callable[[Run, str, int], Sequence[Block]] | None = None,
) -> Handout:
    """The worked solution of step 1 as a document. UsageError for a full solution or worksheet of a large
    network, an unknown detail or a name in `derive` that is no parameter.

    `body(run, lang, digits)`, when given, writes what follows the problem instead of the neuron-by-neuron
    passes (the matrix form: bptutor.handout.matrices); the answer key is the same either way."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}")
    chosen = chosen_parameters(run, detail, derive)
    count = len(run.scenario.parameters)
    if variant != "answers" and count > MAX_WORKED_PARAMETERS:
        raise UsageError(Message.of("solve.too_large", count=count, most=MAX_WORKED_PARAMETERS))
    if run.first.samples:  # a training step: each sample worked as one example, then the batch and the update
        return _BatchBuilder(run, lang, variant, digits, detail, derive, body).handout()
    return _Builder(run, lang, variant, digits, chosen, body).handout()


def catalog_inline(lang: str, key: str, /, **fields: str | Node) -> Inline:
    """A catalog sentence whose math fields (nodes) stay math: words and formulas side by side."""
    marks = {name: f"\x00{index}\x00" for index, name in enumerate(fields) if not isinstance(fields[name], str)}
    text = message(key, lang, **{name: marks.get(name, value) for name, value in fields.items()})
    nodes = {mark: fields[name] for name, mark in marks.items()}
    return tuple(nodes.get(piece, piece) for piece in re.split("(\x00\\d+\x00)", text) if piece)


def handout_number(value: Any, digits: int = DEFAULT_DIGITS) -> str:
    """format_number, but a number below 10⁻⁴ in size in powers of ten (5.708535611e-06).

    A Decimal, a value under a rounding policy, is left as format_number writes it (as written by hand)."""
    from decimal import Decimal

    text = format_number(value, digits)
    if isinstance(value, Decimal) or "e" in text or value == 0 or not abs(float(value)) < SCIENTIFIC_BELOW:
        return text  # a hand-rounded value is printed as it was written down
    exact = Decimal(value)
    mantissa, _, power = format(exact, f".{max(digits - 1, 0)}e").partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e-{abs(int(power)):02d}"


def _through_jacobian(record: BackwardStep) -> bool:
    """A softmax neuron's δ, a sum over its Jacobian column: always written out, entry by entry."""
    return record.kind is Kind.PRE_ACTIVATION and len(record.terms) > 1


def _times(first: Node, second: Node) -> Node:
    """first · second, written as a textbook writes it: a factor 1 left out, a product not bracketed."""
    if second == Int(1):
        return first
    rest = second.factors if isinstance(second, Product) and second.sign == "·" else (second,)
    return Product((first, *rest))


class _Builder:
    def __init__(
        self,
        run: Run,
        lang: str,
        variant: str,
        digits: int,
        chosen: tuple[str, ...],
        body: Callable[[Run, str, int], Sequence[Block]] | None = None,
    ) -> None:
        self.run = run
        self.body = body
        self.graph = run.graph
        self.scenario = run.scenario
        self.notation = run.scenario.notation
        self.lang = lang
        self.variant = variant
        self.digits = digits
        self.step = run.first
        self.textbook = self.scenario.conventions.error_term == "textbook"
        given = {name for name, _ in self.scenario.inputs}
        given |= {self.notation.tgt(name) for name, _ in self.scenario.targets}
        given |= {name for name, _ in self.scenario.parameters}
        self.given = given
        self.values = {record.quantity: record.value for record in self.step.forward}
        self.chosen = chosen
        self.sections = sections(run, chosen)
        layers = self.scenario.layers
        self.layer_of_neuron = {n.name: index for index, layer in enumerate(layers) for n in layer.neurons}
        self.derived_neurons = {
            record.neuron for section in self.sections for record in section.records
            if record.quantity in section.derived and record.neuron is not None
        }

    # ── helpers ──

    def say(self, key: str, **fields: object) -> str:
        return message(key, self.lang, **fields)

    def inline(self, key: str, **fields: str | Node) -> Inline:
        return catalog_inline(self.lang, key, **fields)

    def num(self, value: Any, given: bool = False) -> Node:
        text = handout_number(value, self.digits)
        return Neg(Num(text[1:], given)) if text.startswith("-") else Num(text, given)

    def numbers(self, names: list[str]) -> dict[str, Node]:
        return {name: self.num(self.values[name], name in self.given) for name in names if name in self.values}

    def with_numbers(self, node: Node, extra: dict[str, Node] | None = None) -> Node:
        table: dict[str, Any] = self.numbers(maths.names_in(node))
        table.update(extra or {})
        return maths.substitute(node, table)

    def signal(self, quantity: str) -> Partial:
        """∂E/∂q, or −∂E/∂q under the textbook error convention."""
        return Partial(self.notation.loss, quantity, minus=self.textbook)

    # ── the document ──

    def handout(self) -> Handout:
        scenario = self.scenario
        title = scenario.title_in(self.lang) or scenario.name
        subtitle = self.say(f"solve.variant.{self.variant}", scenario=scenario.name)
        if self.variant == "answers":
            blocks = self.answer_key()
        elif self.body is not None:
            blocks = [*self.problem(), *self.body(self.run, self.lang, self.digits), *self.losses()]
        else:
            blocks = [*self.problem(), *self.forward(), *self.backward(), *self.updates(), *self.losses()]
        return Handout(title, subtitle, self.lang, self.variant, tuple(blocks))

    def problem(self) -> list[Block]:
        scenario = self.scenario
        blocks: list[Block] = [Heading(self.say("solve.heading.problem"))]
        shape = "-".join(str(n) for n in [len(scenario.inputs), *(len(layer.neurons) for layer in scenario.layers)])
        blocks.append(Paragraph(self.inline("solve.problem", shape=shape, loss=Name(self.notation.loss))))
        blocks.append(Figure(scenario, self.say("solve.figure")))
        blocks.append(Table((), tuple(self.given_rows())))
        for note in self.step.notes:
            blocks.append(Paragraph((self.say("run.note", note=in_language(note, self.lang)),)))
        return blocks

    def given_rows(self) -> list[tuple[Inline, ...]]:
        scenario = self.scenario
        notation = self.notation

        def values(pairs: list[tuple[str, Any]]) -> Inline:
            parts: list[str | Node] = []
            for index, (name, value) in enumerate(pairs):
                if index:
                    parts.append(", ")
                parts.append(Chain((Name(name), self.num(value, True))))
            return tuple(parts)

        rows: list[tuple[Inline, ...]] = [
            ((self.say("given.inputs"),), values(list(scenario.inputs))),
            ((self.say("given.targets"),), values([(notation.tgt(n), v) for n, v in scenario.targets])),
        ]
        first_layer = {name: layers[0] for name, layers in self.graph.parameter_layers}
        for index, layer in enumerate(scenario.layers):
            shown = [(name, value) for name, value in scenario.parameters if first_layer[name] == index]
            if shown:
                rows.append(((self.say("given.parameters", layer=layer.name),), values(shown)))
        for layer in scenario.layers:
            label = self.say("solve.given.activation", layer=layer.name)
            rows.append(((label,), self.activation_definition(layer.activation, layer.slope)))
        rows.append(((self.say("given.loss"),), (self.loss_definition(),)))
        rates: dict[float, list[str]] = {}
        for name, rate in self.graph.learning_rates:
            rates.setdefault(rate, []).append(name)
        rate_parts: list[str | Node] = []
        for index, (rate, names) in enumerate(rates.items()):
            if index:
                rate_parts.append(self.say("given.rate_separator"))
            rate_parts += [
                Chain((Name("η"), self.num(rate, True))),
                self.say("solve.given.rate_for", names=", ".join(names)),
            ]
        rows.append(((self.say("given.learning_rate"),), tuple(rate_parts)))
        if self.graph.frozen:
            rows.append(
                ((self.say("given.frozen"),), (self.say("given.frozen_names", names=", ".join(self.graph.frozen)),))
            )
        rows += self.policy_rows()
        return rows

    def activation_definition(self, activation: str | CustomActivation, slope: float) -> Inline:
        import sympy

        if isinstance(activation, str) and activation in LAYER_ACTIVATIONS:  # softmax(z_j) = e^(z_j)/Σ_k e^(z_k)
            called = Call(LAYER_ACTIVATIONS[activation].symbol, (Name("z_j"),))
            return (Chain((called, Frac(Exp(Name("z_j")), Sigma("k", Exp(Name("z_k")))))),)
        op = activation_of(activation)
        z = sympy.Symbol("z")
        forward = op.sympy_forward(z, sympy.Float(slope))
        called = Call(op.symbol, (Name("z"),))
        body = maths.from_sympy(forward, self.say("formula.otherwise"))
        if body == called:  # tanh(z) = tanh(z) says nothing: define it by exponentials
            body = maths.from_sympy(forward.rewrite(sympy.exp), self.say("formula.otherwise"))
        return (Chain((called, body)),)

    def loss_definition(self) -> Node:
        import sympy

        loss = loss_of(self.scenario.loss)
        target, output = sympy.Symbol(self.notation.tgt("j")), sympy.Symbol(self.notation.act("j"))
        body = maths.from_sympy(loss.sympy_term(target, output))
        total: Node = maths.Sigma("j", body)
        if loss.mean:
            total = Product((Frac(Int(1), Name("n")), total), "")
        return Chain((Name(self.notation.loss), total))

    def policy_rows(self) -> list[tuple[Inline, ...]]:
        scenario = self.scenario
        notation = self.notation
        rows: list[tuple[Inline, ...]] = []
        if scenario.rounding is not None:
            from bptutor.render.tables import rounding_sentence

            rows.append(((self.say("given.rounding"),), (rounding_sentence(scenario.rounding, self.lang),)))
        conventions = scenario.conventions
        if conventions.error_term == "textbook":
            error = Chain((Name(notation.dlt("j")), Partial(notation.loss, notation.pre("j"), minus=True)))
            rows.append(((self.say("given.error_term"),), (error, self.say("solve.given.textbook_update"))))
        if conventions.hidden_error_weights == "updated":
            rows.append(((self.say("given.hidden_errors"),), (self.say("given.hidden_errors_value"),)))
        if conventions.bias == "threshold":
            rows.append(((self.say("given.biases"),), (self.say("solve.given.threshold"),)))
        return rows

    # ── forward ──

    def forward(self) -> list[Block]:
        """Each neuron of a derived parameter written out; the others of its layer in a table, layer by layer."""
        blocks: list[Block] = [Heading(self.say("run.heading.forward"))]
        loss_blocks: list[Block] = [Heading(self.say("solve.heading.loss"))]
        rest: list[tuple[Inline, ...]] = []
        layer: int | None = None
        shown = False  # whether a neuron of this layer is written out
        for equation in self.graph.equations:
            if isinstance(equation, TotalLoss):
                loss_blocks += self.loss_lines(equation)
                continue
            neuron = self.graph.quantity(equation.output).neuron
            if self.layer_of_neuron.get(neuron or "") != layer:
                blocks += self.rest_table(rest, layer, "solve.forward_rest" if shown else "solve.forward_all")
                rest, layer, shown = [], self.layer_of_neuron.get(neuron or ""), False
            if neuron in self.derived_neurons or neuron is None:
                blocks.append(Display(self.forward_line(equation), about=equation.output))
                shown = True
            else:
                value = self.num(self.values[equation.output])
                rest.append(((Name(equation.output),), (self.forward_formula(equation),), (value,)))
        intro = "solve.forward_rest" if shown else "solve.forward_all"
        return blocks + self.rest_table(rest, layer, intro) + loss_blocks

    def rest_table(
        self, rows: list[tuple[Inline, ...]], layer: int | None, intro: str, rule: bool = False
    ) -> list[Block]:
        """Quantities not derived in full: name, the formula they follow, (the BP equation,) value."""
        if not rows or layer is None:
            return []
        header: tuple[Inline, ...] = ((self.say("column.quantity"),), (self.say("solve.column.formula"),))
        if rule:
            header += ((self.say("solve.column.rule"),),)
        header += ((self.say("column.value"),),)
        sentence = self.say(intro, layer=self.scenario.layers[layer].name)
        return [Paragraph((sentence,)), Table(header, tuple(rows), numeric=(len(header) - 1,))]

    def forward_formula(self, equation: WeightedSum | Activate) -> Node:
        if isinstance(equation, WeightedSum):
            terms: list[tuple[int, Node]] = [(1, Product((Name(w), Name(a)))) for w, a in equation.terms]
            if equation.bias is not None:
                terms.append((-1 if equation.threshold else 1, Name(equation.bias)))
            return Sum(tuple(terms))
        if equation.group:
            assert isinstance(equation.activation, str)
            return Call(LAYER_ACTIVATIONS[equation.activation].symbol, (Name(equation.argument),))
        return Call(activation_of(equation.activation).symbol, (Name(equation.argument),))

    def forward_line(self, equation: WeightedSum | Activate) -> Node:
        import sympy

        output = Name(equation.output)
        value = self.num(self.values[equation.output])
        if isinstance(equation, WeightedSum):
            symbols = self.forward_formula(equation)
            return Chain((output, symbols, self.with_numbers(symbols), value))
        if equation.group:  # softmax: e^(z_i) over the sum of every e^(z_k) of the layer
            assert isinstance(equation.activation, str)
            layer_op = LAYER_ACTIVATIONS[equation.activation]
            zs = [sympy.Symbol(name) for name in equation.group]
            body = maths.from_sympy(layer_op.sympy_forward(zs, equation.group.index(equation.argument)))
            called = Call(layer_op.symbol, (Name(equation.argument),))
            return Chain((output, called, body, self.with_numbers(body), value))
        op = activation_of(equation.activation)
        z = sympy.Symbol(equation.argument)
        called = Call(op.symbol, (Name(equation.argument),))
        body = maths.from_sympy(op.sympy_forward(z, sympy.Float(equation.slope)), self.say("formula.otherwise"))
        if body in (Name(equation.argument), called):  # the identity, or tanh written as itself: said once
            return Chain((output, called, self.with_numbers(body), value))
        return Chain((output, called, body, self.with_numbers(body), value))

    def loss_lines(self, equation: TotalLoss) -> list[Block]:
        import sympy

        loss = loss_of(equation.loss)
        blocks: list[Block] = []
        for term in equation.terms:
            body = maths.from_sympy(loss.sympy_term(sympy.Symbol(term.target), sympy.Symbol(term.output)))
            # one output: its term is the loss (but for the root of a mean)
            shown = term.name if len(equation.terms) > 1 or loss.root else equation.output
            line = (Name(shown), body, self.with_numbers(body), self.num(self.values[shown]))
            blocks.append(Display(Chain(line), about=shown))
        if len(equation.terms) > 1 or loss.root:
            total: Node = maths.add(*(Name(term.name) for term in equation.terms))
            if loss.mean:
                total = Frac(total, Int(len(equation.terms)))
            if loss.root:
                total = maths.Power(total, Frac(Int(1), Int(2)))
            value = self.num(self.values[equation.output])
            blocks.append(
                Display(Chain((Name(equation.output), total, self.with_numbers(total), value)), about=equation.output)
            )
        return blocks

    # ── backward ──

    def backward(self) -> list[Block]:
        blocks: list[Block] = [Heading(self.say("solve.heading.backward"))]
        indices = {index: Name(index) for index in ("j", "k", "i")}
        blocks.append(Paragraph(self.inline("solve.bp_intro", delta=Name(self.notation.dlt("j")), **indices)))
        for index, line in enumerate(self.bp_equations(), start=1):
            blocks.append(Display(line, tag=self.say("solve.bp_label", number=index)))
        blocks += self.output_rule()
        if self.chosen:
            blocks.append(Paragraph((self.say("solve.backward_intro"),)))
        for section in self.sections:
            blocks += self.backward_section(section)
        return blocks

    def backward_section(self, section: Section) -> list[Block]:
        blocks: list[Block] = []
        for record in section.records:
            if record.quantity in section.derived or _through_jacobian(record):
                blocks += self.backward_record(record)
        rows = [self.rest_row(record, section.layer) for record in section.rest if not _through_jacobian(record)]
        intro = "solve.backward_rest" if section.derived else "solve.backward_all"
        return blocks + self.rest_table(rows, section.layer, intro, rule=True)

    def rest_row(self, record: BackwardStep, layer: int) -> tuple[Inline, ...]:
        """A backward record as a table row: ∂E/∂q (or δ), its formula in symbols, the BP equation, its value."""
        output_layer = layer == len(self.scenario.layers) - 1
        if record.kind is Kind.PRE_ACTIVATION and record.neuron is not None and record.terms:
            label: Node = Name(self.notation.dlt(record.neuron))
            formula: Node = self.record_formula(record) if len(record.terms) > 1 else self.delta_formula(record)
            rule = 1 if output_layer else 2
        elif record.kind is Kind.PARAMETER:
            label, formula = self.signal(record.quantity), self.record_formula(record)
            equation = self.graph.definition(record.terms[0].local.of) if record.terms else None
            rule = 3 if isinstance(equation, WeightedSum) and equation.bias == record.quantity else 4
        else:
            label, formula = self.signal(record.quantity), self.record_formula(record)
            rule = 1 if output_layer else 2
        return ((label,), (formula,), (self.say("solve.bp_label", number=rule),), (self.num(record.value),))

    def delta_formula(self, record: BackwardStep) -> Node:
        """δ of a neuron with one way back: ∂E/∂out·f′, or out − target when the loss cancels f′."""
        (term,) = record.terms
        local = self.local(term.local)[0]
        return local if term.via == self.notation.loss else _times(self.signal(term.local.of), local)

    def record_formula(self, record: BackwardStep) -> Node:
        """∂E/∂q in symbols: the sum over its paths of upstream × local factor."""
        if not record.terms:
            return Int(0)
        symbols: list[tuple[int, Node]] = []
        for term in record.terms:
            upstream = self.upstream(term)[0]
            local = self.local(term.local)[0]
            symbols.append((1, local if upstream is None else _times(upstream, local)))
        return Sum(tuple(symbols))

    def output_rule(self) -> list[Block]:
        """(BP1) for a softmax output layer (through its Jacobian), or a loss that cancels f′ (δ = a − y, derived)."""
        n = self.notation
        output = self.scenario.layers[-1]
        loss = self.graph.definition(n.loss)
        assert isinstance(loss, TotalLoss)
        fused = any(term.logit is not None for term in loss.terms)
        softmax = output.activation in LAYER_ACTIVATIONS
        if not fused and not softmax:
            return []
        delta = Name(n.dlt("j"))
        a_i, a_j, y_i, y_j = (Name(name) for name in (n.act("i"), n.act("j"), n.tgt("i"), n.tgt("j")))
        entry = Product((a_i, Sum(((1, Name("δ_ij")), (-1, a_j)))))
        jacobian = Chain((Partial(n.act("i"), n.pre("j")), entry))
        through = Sigma("i", Product((self.signal(n.act("i")), Partial(n.act("i"), n.pre("j")))))
        if not fused:  # softmax with a loss of its own: the sum over the Jacobian's column
            intro = Paragraph(self.inline("solve.softmax_rule", jacobian=jacobian))
            return [intro, Display(Chain((delta, self.signal(n.pre("j")), through)))]
        if softmax:
            upstream: Node = Neg(Frac(y_i, a_i))
            steps: tuple[Node, ...] = (
                through,
                Sigma("i", Product((upstream, entry))),
                Sum(((1, Product((a_j, Sigma("i", y_i)))), (-1, y_j))),
            )
            key = "solve.fused_rule.softmax"
        else:
            slope = Product((a_j, Sum(((1, Int(1)), (-1, a_j)))))
            upstream = Frac(Sum(((1, a_j), (-1, y_j))), slope)
            steps = (Product((self.signal(n.act("j")), Call("σ′", (Name(n.pre("j")),)))), Product((upstream, slope)))
            key = "solve.fused_rule.sigmoid"
        result: Node = Sum(((1, a_j), (-1, y_j)))
        line = Chain((delta, self.signal(n.pre("j")), *steps, result))
        gradient = Chain((self.signal(n.act("i" if softmax else "j")), upstream))
        return [Paragraph(self.inline(key, jacobian=jacobian, gradient=gradient)), Display(line)]

    def bp_equations(self) -> list[Node]:
        """The four BP equations, written in the scenario's notation (j a neuron, k the layer above, i below)."""
        n = self.notation
        loss = n.loss

        def delta(neuron: str) -> Node:
            return Name(n.dlt(neuron))

        slope = Call("f′", (Name(n.pre("j")),))
        first = Chain((delta("j"), Product((self.signal(n.act("j")), slope))))
        above = maths.Sigma("k", Product((Name("w_kj"), delta("k"))))
        second = Chain((delta("j"), Product((above, slope))))
        bias: Node = Partial(loss, "b_j", minus=self.textbook)
        own: Node = delta("j")
        if self.scenario.conventions.bias == "threshold":
            bias, own = Partial(loss, "θ_j", minus=self.textbook), Neg(delta("j"))
        third = Chain((bias, own))
        fourth = Chain((Partial(loss, "w_ji", minus=self.textbook), Product((delta("j"), Name(n.act("i"))))))
        return [first, second, third, fourth]

    def upstream(self, term: PathTerm) -> tuple[Node | None, Node | None]:
        """How ∂E/∂via is written (δ for a neuron's pre-activation) and its number; None for the loss itself."""
        if term.via == self.notation.loss:
            return None, None
        quantity = self.graph.quantity(term.via)
        number = self.num(term.upstream)
        if quantity.kind is Kind.PRE_ACTIVATION and quantity.neuron is not None:
            return Name(self.notation.dlt(quantity.neuron)), number
        return self.signal(term.via), number

    def local(self, factor: LocalFactor) -> tuple[Node, Node]:
        """∂of/∂wrt in its textbook form, and the same with the numbers in."""
        import sympy

        equation = self.graph.definition(factor.of)
        if isinstance(equation, WeightedSum):
            if self.graph.quantity(factor.wrt).kind is Kind.PARAMETER and factor.wrt == equation.bias:
                node: Node = Neg(Int(1)) if equation.threshold else Int(1)
                return node, node
            (ref,) = [token for token in factor.formula if isinstance(token, Ref)]
            name = ref.name  # the source, the weight, or under `updated` the weight as updated (w5′)
            shown = self.num(factor.value, name in self.given)
            return Name(name), shown
        if isinstance(equation, Activate) and equation.group:  # softmax: ∂a_i/∂z_j = a_i·(δ_ij − a_j)
            assert isinstance(equation.activation, str)
            layer_op = LAYER_ACTIVATIONS[equation.activation]
            outputs = [sympy.Symbol(name) for name in equation.siblings]
            row, column = equation.siblings.index(factor.of), equation.group.index(factor.wrt)
            node = maths.from_sympy(layer_op.sympy_textbook_jacobian(outputs, row, column))
            return node, self.with_numbers(node)
        if isinstance(equation, Activate):
            op = activation_of(equation.activation)
            z, a = sympy.Symbol(equation.argument), sympy.Symbol(equation.output)
            node = maths.from_sympy(op.sympy_textbook_derivative(z, a, sympy.Float(equation.slope)))
            return node, self.with_numbers(node)
        assert isinstance(equation, TotalLoss)
        loss = loss_of(equation.loss)
        fused = [t for t in equation.terms if t.logit == factor.wrt]
        if fused:  # δ = out − target (over n outputs of a mean, /n); the textbook error is target − out
            (term,) = fused
            first, second = (term.target, term.output) if self.textbook else (term.output, term.target)
            node = Sum(((1, Name(first)), (-1, Name(second))))
            if loss.mean and len(equation.terms) > 1:
                node = Frac(node, Int(len(equation.terms)))
            return node, self.with_numbers(node)
        (term,) = [t for t in equation.terms if t.output == factor.wrt]
        form = loss.sympy_error if self.textbook else loss.sympy_derivative
        node = maths.from_sympy(form(sympy.Symbol(term.target), sympy.Symbol(term.output), len(equation.terms)))
        return node, self.with_numbers(node)

    def backward_record(self, record: BackwardStep) -> list[Block]:
        name = self.signal(record.quantity)
        value = self.num(record.value)
        if not record.terms:
            return [Display(Chain((name, Int(0))), self.say("row.feeds_nothing"), "∂" + record.quantity)]
        if record.kind is Kind.PRE_ACTIVATION and record.neuron is not None:
            return self.delta_lines(record)
        symbols: list[tuple[int, Node]] = []
        filled: list[tuple[int, Node]] = []
        for term in record.terms:
            upstream, upstream_number = self.upstream(term)
            local_symbols, local_numbers = self.local(term.local)
            if upstream is None:
                symbols.append((1, local_symbols))
                filled.append((1, local_numbers))
                continue
            symbols.append((1, Product((upstream, local_symbols))))
            assert upstream_number is not None
            filled.append((1, Product((upstream_number, local_numbers), "×")))
        chain: list[Node] = [name]
        if len(record.terms) > 1 or self.upstream(record.terms[0])[0] is not None:
            paths = [
                Product(
                    (self.signal(t.via) if t.via != self.notation.loss else Int(1), Partial(t.local.of, t.local.wrt))
                )
                for t in record.terms
            ]
            if all(t.via != self.notation.loss for t in record.terms):
                chain.append(Sum(tuple((1, path) for path in paths)))
        chain += [Sum(tuple(symbols)), Sum(tuple(filled)), value]
        label = self.say("solve.paths", count=len(record.terms)) if len(record.terms) > 1 else ""
        return [Display(Chain(tuple(chain)), label, "∂" + record.quantity)]

    def fused_delta_lines(self, record: BackwardStep) -> list[Block]:
        """δ = out − target of an output whose activation's derivative the loss cancels, with the numbers."""
        (term,) = record.terms
        assert record.neuron is not None
        symbols, numbers = self.local(term.local)
        delta = Name(self.notation.dlt(record.neuron))
        line = Chain((delta, self.signal(record.quantity), symbols, numbers, self.num(record.value)))
        return [Display(line, about="∂" + record.quantity)]

    def jacobian_delta_lines(self, record: BackwardStep) -> list[Block]:
        """δ_j of a softmax neuron: each entry ∂a_i/∂z_j of its Jacobian column, then δ_j = Σ_i ∂E/∂a_i·∂a_i/∂z_j."""
        blocks: list[Block] = []
        products: list[tuple[int, Node]] = []
        filled: list[tuple[int, Node]] = []
        for term in record.terms:
            factor = term.local
            textbook, with_numbers = self.local(factor)
            line = Chain((Partial(factor.of, factor.wrt), textbook, with_numbers, self.num(factor.value)))
            blocks.append(Display(line, about=f"∂{factor.of}/∂{factor.wrt}"))
            products.append((1, Product((self.signal(factor.of), Partial(factor.of, factor.wrt)))))
            filled.append((1, Product((self.num(term.upstream), self.num(factor.value)), "×")))
        assert record.neuron is not None
        delta = Name(self.notation.dlt(record.neuron))
        parts = (delta, self.signal(record.quantity), Sum(tuple(products)), Sum(tuple(filled)), self.num(record.value))
        blocks.append(Display(Chain(parts), self.say("solve.jacobian_delta"), "∂" + record.quantity))
        return blocks

    def delta_lines(self, record: BackwardStep) -> list[Block]:
        """A neuron's f′ derived, then its error term δ = ∂E/∂out · ∂out/∂in."""
        import sympy

        if len(record.terms) > 1:
            return self.jacobian_delta_lines(record)
        if record.terms[0].via == self.notation.loss:
            return self.fused_delta_lines(record)
        (term,) = record.terms
        factor = term.local
        equation = self.graph.definition(factor.of)
        assert isinstance(equation, Activate)
        op = activation_of(equation.activation)
        z = sympy.Symbol(equation.argument)
        definition = op.sympy_forward(z, sympy.Float(equation.slope))
        textbook, filled = self.local(factor)
        try:
            derived = maths.from_sympy(sympy.diff(definition, z), self.say("formula.otherwise"))
        except maths.NoTextbookForm:  # |z| differentiated by sympy over the complex numbers: the table's form stands
            derived = textbook
        slope_line: list[Node] = [Partial(factor.of, factor.wrt)]
        if derived != textbook:
            slope_line.append(derived)
        slope_line += [textbook]
        if filled != textbook:
            slope_line.append(filled)
        slope_line.append(self.num(factor.value))
        assert record.neuron is not None
        delta = Name(self.notation.dlt(record.neuron))
        upstream = self.signal(factor.of)
        product = Product((upstream, Partial(factor.of, factor.wrt)))
        numbers = Product((self.num(term.upstream), self.num(factor.value)), "×")
        delta_line = Chain((delta, self.signal(record.quantity), product, numbers, self.num(record.value)))
        slope_about = f"∂{factor.of}/∂{factor.wrt}"
        return [Display(Chain(tuple(slope_line)), about=slope_about), Display(delta_line, about="∂" + record.quantity)]

    # ── updates ──

    def updates(self) -> list[Block]:
        blocks: list[Block] = [Heading(self.say("solve.heading.update"))]
        recorded = {record.quantity: record.value for record in self.step.backward}
        shown = [update for update in self.step.updates if update.parameter in self.chosen]
        if len(shown) < len(self.step.updates):
            blocks += [Paragraph((self.say("solve.update_rule"),)), Display(self.update_rule())]
        for update in shown:
            parameter = Name(update.parameter)
            new = Name(f"{update.parameter}′")
            old = self.num(update.old, True)
            rate = self.num(update.rate, True)
            if update.frozen:
                blocks.append(Display(Chain((new, parameter, old)), self.say("row.frozen"), f"{update.parameter}′"))
                continue
            if self.textbook:
                symbols: Node = Sum(((1, parameter), (1, Product((Name("η"), self.signal(update.parameter))))))
                numbers: Node = Sum(((1, old), (1, Product((rate, self.num(recorded[update.parameter])), "×"))))
            else:
                symbols = Sum(((1, parameter), (-1, Product((Name("η"), self.signal(update.parameter))))))
                numbers = Sum(((1, old), (-1, Product((rate, self.num(update.gradient)), "×"))))
            blocks.append(Display(Chain((new, symbols, numbers, self.num(update.new))), about=f"{update.parameter}′"))
        blocks.append(Heading(self.say("solve.heading.summary"), 3))
        blocks.append(self.summary_table())
        return blocks

    def update_rule(self) -> Node:
        """p′ = p − η·∂E/∂p, or p + η·(−∂E/∂p) under the textbook error convention."""
        step: Node = Product((Name("η"), self.signal("p")))
        return Chain((Name("p′"), Sum(((1, Name("p")), (1 if self.textbook else -1, step)))))

    def summary_table(self) -> Table:
        return self.summary_table_of(self.step.updates)

    def summary_table_of(self, updates: Sequence[Any]) -> Table:
        header: tuple[Inline, ...] = (
            (self.say("column.parameter"),),
            (self.say("solve.column.old"),),
            (Partial(self.notation.loss, "p"),),
            (self.say("column.new_value"),),
        )
        rows = []
        for update in updates:
            rows.append(
                (
                    (Name(update.parameter),),
                    (self.num(update.old, True),),
                    (self.num(update.gradient),),
                    (self.num(update.new),),
                )
            )
        return Table(header, tuple(rows), numeric=(1, 2, 3))

    def losses(self) -> list[Block]:
        if len(self.run.steps) == 1:
            return []
        return [Heading(self.say("run.heading.losses", steps=len(self.run.steps))), self.loss_table()]

    def loss_table(self) -> Table:
        return self.loss_table_of(self.run)

    def loss_table_of(self, run: Run) -> Table:
        header: tuple[Inline, ...] = (
            (self.say("column.step"),),
            (self.say("column.loss_before_update", loss=self.notation.loss),),
        )
        rows: list[tuple[Inline, ...]] = [
            ((str(index),), (self.num(step.loss),)) for index, step in enumerate(run.steps, 1)
        ]
        rows.append(((self.say("row.after_last_step"),), (self.num(run.final_loss),)))
        return Table(header, tuple(rows), numeric=(1,))

    # ── the answer key ──

    def answer_key(self) -> list[Block]:
        blocks: list[Block] = [Paragraph((self.say("solve.answers_intro"),))]
        forward_rows: list[tuple[Inline, ...]] = []
        for record in self.step.forward:
            if record.kind in (Kind.INPUT, Kind.TARGET, Kind.PARAMETER):
                continue
            forward_rows.append(((Name(record.quantity),), (self.num(record.value),)))
        header: tuple[Inline, ...] = ((self.say("column.quantity"),), (self.say("column.value"),))
        blocks += [Heading(self.say("run.heading.forward")), Table(header, tuple(forward_rows), numeric=(1,))]
        backward_rows: list[tuple[Inline, ...]] = []
        for derivative in self.step.backward:
            label: Node = self.signal(derivative.quantity)
            if derivative.kind is Kind.PRE_ACTIVATION and derivative.neuron is not None:
                label = Chain((Name(self.notation.dlt(derivative.neuron)), label))
            backward_rows.append(((label,), (self.num(derivative.value),)))
        header = ((self.say("column.derivative"),), (self.say("column.value"),))
        blocks += [Heading(self.say("solve.heading.backward")), Table(header, tuple(backward_rows), numeric=(1,))]
        blocks += [Heading(self.say("solve.heading.update")), self.summary_table()]
        blocks += self.losses()
        return blocks


class _BatchBuilder:
    """One training step on a batch: the problem, each sample worked as a single example (by `_Builder`), the
    batch gradient with its 1/m and its sum, then the optimizer's update with its state, all with numbers."""

    def __init__(
        self,
        run: Run,
        lang: str,
        variant: str,
        digits: int,
        detail: str,
        derive: Sequence[str] | None,
        body: Callable[[Run, str, int], Sequence[Block]] | None = None,
    ):
        from dataclasses import replace

        from bptutor.core.scenario import Optimizer
        from bptutor.core.trace import run as trace_run

        self.body = body
        self.run = run
        self.scenario = run.scenario
        self.notation = run.scenario.notation
        self.lang = lang
        self.variant = variant
        self.digits = digits
        self.step = run.first
        scenario = self.scenario
        single = replace(scenario, samples=None, training=None, optimizer=Optimizer(), resumed=None)
        self.samples: list[_Builder] = []
        for sample in self.step.samples:
            row_inputs, row_targets = self._row(sample.index)
            inputs = tuple((name, value) for (name, _), value in zip(scenario.inputs, row_inputs, strict=True))
            targets = tuple((name, value) for (name, _), value in zip(scenario.targets, row_targets, strict=True))
            child = trace_run(replace(single, inputs=inputs, targets=targets))
            self.samples.append(_Builder(child, lang, variant, digits, chosen_parameters(child, detail, derive)))
        self.first = self.samples[0]

    def _row(self, index: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
        samples = self.scenario.samples
        if samples is None:
            return tuple(v for _, v in self.scenario.inputs), tuple(v for _, v in self.scenario.targets)
        return samples.inputs[index], samples.targets[index]

    def say(self, key: str, **fields: object) -> str:
        return message(key, self.lang, **fields)

    def num(self, value: Any, given: bool = False) -> Node:
        return self.first.num(value, given)

    @property
    def reduction(self) -> str:
        training = self.scenario.training
        return training.reduction if training is not None else "mean"

    def handout(self) -> Handout:
        scenario = self.scenario
        title = scenario.title_in(self.lang) or scenario.name
        subtitle = self.say(f"solve.variant.{self.variant}", scenario=scenario.name)
        blocks: list[Block] = self.problem()
        if self.body is not None and self.variant != "answers":  # the batch as matrices, samples as columns
            blocks += self.body(self.run, self.lang, self.digits)
            blocks += self.first.losses() if len(self.run.steps) == 1 else self.losses()
            return Handout(title, subtitle, self.lang, self.variant, tuple(blocks))
        for number, builder in enumerate(self.samples, start=1):
            blocks.append(Heading(self.sample_heading(number)))
            if self.variant == "answers":
                parts: list[Block] = [block for block in builder.answer_key() if not isinstance(block, Paragraph)]
                parts = parts[:4]  # each sample's forward and backward; the update is the batch's
            else:
                parts = [*builder.forward(), *builder.backward()]
                if number > 1:  # the four equations of backpropagation are stated once, in the first sample
                    parts = [block for block in parts if not _states_the_equations(block)]
            blocks += [replace_level(block) for block in parts]
        blocks += self.batch_gradient()
        blocks += self.updates()
        blocks += self.first.losses() if len(self.run.steps) == 1 else self.losses()
        return Handout(title, subtitle, self.lang, self.variant, tuple(blocks))

    def sample_heading(self, number: int) -> str:
        sample = self.step.samples[number - 1]
        inputs, targets = self._row(sample.index)
        names = [name for name, _ in self.scenario.inputs] + [self.notation.tgt(n) for n, _ in self.scenario.targets]
        numbers = [true_minus(handout_number(value, self.digits)) for value in (*inputs, *targets)]
        givens = ", ".join(f"{name} = {number}" for name, number in zip(names, numbers, strict=True))
        resumed = self.scenario.resumed
        index = resumed.indices[sample.index] + 1 if resumed is not None else sample.index + 1
        return self.say("train.sample_heading", number=number, count=len(self.samples), index=index, givens=givens)

    def problem(self) -> list[Block]:
        scenario = self.scenario
        resumed = scenario.resumed
        step = resumed.step if resumed is not None else 1
        count = len(self.samples)
        blocks: list[Block] = [Heading(self.say("solve.heading.problem"))]
        optimizer = scenario.optimizer
        key = f"solve.batch_problem_{self.reduction}" if count > 1 else "solve.batch_problem_one"
        text = self.say(key, count=count, step=step, optimizer=optimizer.name, loss=self.notation.loss)
        blocks.append(Paragraph((text,)))
        blocks.append(Figure(scenario, self.say("solve.figure")))
        names = [name for name, _ in scenario.inputs] + [self.notation.tgt(n) for n, _ in scenario.targets]
        header: tuple[Inline, ...] = ((self.say("solve.column.sample"),), *((Name(name),) for name in names))
        rows = []
        for number, sample in enumerate(self.step.samples, start=1):
            inputs, targets = self._row(sample.index)
            rows.append(((str(number),), *((self.num(value, True),) for value in (*inputs, *targets))))
        blocks.append(Table(header, tuple(rows), numeric=tuple(range(1, len(names) + 1))))
        given = self.first.given_rows()[2:]  # the parameters, activations, loss, η; the samples are above
        constants = self.constants()
        if constants:
            given.append(((self.say("train.given.optimizer"),), constants))
        blocks.append(Table((), tuple(given)))
        for note in self.step.notes:
            blocks.append(Paragraph((self.say("run.note", note=in_language(note, self.lang)),)))
        return blocks

    def constants(self) -> Inline:
        optimizer = self.scenario.optimizer
        pairs: list[tuple[str, float]] = {
            "sgd": [],
            "momentum": [("β", optimizer.beta)],
            "adam": [("β1", optimizer.beta1), ("β2", optimizer.beta2), ("ε", optimizer.epsilon)],
        }[optimizer.name]
        if optimizer.weight_decay:
            pairs.append(("λ", optimizer.weight_decay))
        parts: list[str | Node] = [optimizer.name] if pairs or optimizer.name != "sgd" else []
        for index, (name, value) in enumerate(pairs):
            parts += [": " if index == 0 else ", ", Chain((Name(name), self.num(value, True)))]
        state = dict(self.scenario.resumed.state) if self.scenario.resumed is not None else {}
        if state:
            kinds = {"momentum": ("v",), "adam": ("m", "s")}.get(optimizer.name, ())
            parts.append("; " + self.say("solve.state_before"))
            for index, (parameter, values) in enumerate(state.items()):
                for kind, value in zip(kinds, values, strict=True):
                    parts += [" " if index == 0 and kind == kinds[0] else ", "]
                    parts.append(Chain((Name(f"{kind}_{parameter}"), self.num(value, True))))
        return tuple(parts)

    def batch_gradient(self) -> list[Block]:
        loss = self.notation.loss
        count = len(self.samples)
        heading = self.say(f"train.heading.gradient_{self.reduction}", count=count, loss=loss)
        blocks: list[Block] = [Heading(heading)]
        for update in self.step.updates:
            p = update.parameter
            names = Sum(tuple((1, Partial(f"{loss}[{i}]", p)) for i in range(1, count + 1)))
            numbers = Sum(tuple((1, self.num(value)) for value in update.per_sample))
            if self.reduction == "mean" and count > 1:
                symbols: Node = Product((Frac(Int(1), Int(count)), names), "")
                with_numbers: Node = Product((Frac(Int(1), Int(count)), numbers), "")
            else:
                symbols, with_numbers = names, numbers
            chain = Chain((Partial(loss, p), symbols, with_numbers, self.num(update.gradient)))
            blocks.append(Display(chain, about="∂" + p))
        return blocks

    def updates(self) -> list[Block]:
        optimizer = self.scenario.optimizer
        rule = UPDATE_RULE_TEXT[optimizer.name]
        if optimizer.weight_decay:
            rule = f"g = ∂{self.notation.loss}/∂p + λ·p,  {rule}"
        blocks: list[Block] = [Heading(self.say("train.heading.update", optimizer=optimizer.name, rule=rule))]
        state = dict(self.scenario.resumed.state) if self.scenario.resumed is not None else {}
        loss = self.notation.loss
        for update in self.step.updates:
            p = update.parameter
            new = Name(f"{p}′")
            if update.frozen:
                kept = Chain((new, Name(p), self.num(update.old, True)))
                blocks.append(Display(kept, self.say("row.frozen"), f"{p}′"))
                continue
            g: Node = Partial(loss, p)
            g_value = update.gradient
            if optimizer.weight_decay and update.decayed is not None:
                symbols = Sum(((1, Partial(loss, p)), (1, Product((Name("λ"), Name(p))))))
                numbers = Sum(((1, self.num(update.gradient)), (1, Product((self.num(optimizer.weight_decay, True),
                                                                              self.num(update.old, True)), "×"))))
                blocks.append(Display(Chain((Name(f"g_{p}"), symbols, numbers, self.num(update.decayed))),
                                      about=f"g_{p}"))
                g, g_value = Name(f"g_{p}"), update.decayed
            before = state.get(p, (0.0, 0.0))
            after = dict(update.state)
            rate = self.num(update.rate, True)
            old = self.num(update.old, True)
            if optimizer.name == "momentum":
                beta = self.num(optimizer.beta, True)
                v, v_new = Name(f"v_{p}"), Name(f"v_{p}′")
                symbols = Sum(((1, Product((Name("β"), v))), (1, g)))
                numbers = Sum(((1, Product((beta, self.num(before[0], True)), "×")), (1, self.num(g_value))))
                blocks.append(Display(Chain((v_new, symbols, numbers, self.num(after["v"]))), about=f"v_{p}′"))
                step_symbols: Node = Product((Name("η"), v_new))
                step_numbers: Node = Product((rate, self.num(after["v"])), "×")
            elif optimizer.name == "adam":
                beta1, beta2 = self.num(optimizer.beta1, True), self.num(optimizer.beta2, True)
                m, s, m_new, s_new = Name(f"m_{p}"), Name(f"s_{p}"), Name(f"m_{p}′"), Name(f"s_{p}′")
                one_minus = Sum(((1, Int(1)), (-1, Name("β1"))))
                symbols = Sum(((1, Product((Name("β1"), m))), (1, Product((one_minus, g)))))
                numbers = Sum(((1, Product((beta1, self.num(before[0], True)), "×")),
                               (1, Product((Sum(((1, Int(1)), (-1, beta1))), self.num(g_value)), "×"))))
                blocks.append(Display(Chain((m_new, symbols, numbers, self.num(after["m"]))), about=f"m_{p}′"))
                one_minus = Sum(((1, Int(1)), (-1, Name("β2"))))
                symbols = Sum(((1, Product((Name("β2"), s))), (1, Product((one_minus, Power(g, Int(2)))))))
                numbers = Sum(((1, Product((beta2, self.num(before[1], True)), "×")),
                               (1, Product((Sum(((1, Int(1)), (-1, beta2))), Power(self.num(g_value), Int(2))),
                                           "×"))))
                blocks.append(Display(Chain((s_new, symbols, numbers, self.num(after["s"]))), about=f"s_{p}′"))
                t = self.scenario.resumed.step if self.scenario.resumed is not None else 1
                corrected = dict(update.corrected)
                for hat, name, beta_name, beta, value in (
                    ("m̂", m_new, "β1", beta1, after["m"]), ("ŝ", s_new, "β2", beta2, after["s"])
                ):
                    denominator = Sum(((1, Int(1)), (-1, Power(Name(beta_name), Name("t")))))
                    numbers_denominator = Sum(((1, Int(1)), (-1, Power(beta, Int(t)))))
                    chain = Chain((Name(f"{hat}_{p}"), Frac(name, denominator),
                                   Frac(self.num(value), numbers_denominator), self.num(corrected[hat])))
                    blocks.append(Display(chain, about=f"{hat}_{p}"))
                epsilon = self.num(optimizer.epsilon, True)
                step_symbols = Product((Name("η"), Frac(Name(f"m̂_{p}"), Sum(((1, Call("√", (Name(f"ŝ_{p}"),))),
                                                                             (1, Name("ε")))))))
                step_numbers = Product((rate, Frac(self.num(corrected["m̂"]), Sum(((1, Call("√", (
                    self.num(corrected["ŝ"]),))), (1, epsilon))))), "×")
            else:
                step_symbols = Product((Name("η"), g))
                step_numbers = Product((rate, self.num(g_value)), "×")
            chain = Chain((new, Sum(((1, Name(p)), (-1, step_symbols))), Sum(((1, old), (-1, step_numbers))),
                           self.num(update.new)))
            blocks.append(Display(chain, about=f"{p}′"))
        blocks.append(Heading(self.say("solve.heading.summary"), 3))
        blocks.append(self.first.summary_table_of(self.step.updates))
        return blocks

    def losses(self) -> list[Block]:
        return [Heading(self.say("run.heading.losses", steps=len(self.run.steps))), self.first.loss_table_of(self.run)]


UPDATE_RULE_TEXT = {
    "sgd": "p′ = p − η·g",
    "momentum": "v′ = β·v + g,  p′ = p − η·v′",
    "adam": "m′ = β1·m + (1 − β1)·g,  s′ = β2·s + (1 − β2)·g²,  m̂ = m′/(1 − β1^t),  ŝ = s′/(1 − β2^t),  "
    "p′ = p − η·m̂/(√ŝ + ε)",
}


def _states_the_equations(block: Block) -> bool:
    """The BP equations (tagged displays) and the paragraph that introduces them."""
    if isinstance(block, Display):
        return bool(block.tag)
    return isinstance(block, Paragraph) and any(isinstance(part, Name) and part.name == "j" for part in block.parts)


def replace_level(block: Block) -> Block:
    """A sample's heading one level down: under the sample's own heading."""
    if isinstance(block, Heading):
        return Heading(block.text, min(block.level + 1, 4))
    return block


__all__ = ["VARIANTS", "Display", "Figure", "Handout", "Heading", "Paragraph", "Table", "Words", "build_handout"]
