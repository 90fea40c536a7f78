"""The matrix form in a handout: each layer's W, b, z, a and δ typeset as real matrices (bmatrix, mtable),
and the four BP equations in matrix form with their numbers, as `solve --form matrix` writes them.

Every number is the `MatrixForm`'s (`bptutor.derive.matrix`), itself the trace's, so the
matrices and the scalar worked solution can never disagree.
"""

from __future__ import annotations

from typing import Any

from bptutor.core.trace import Run
from bptutor.derive.matrix import FUSED, JACOBIAN, LayerMatrices, MatrixForm, matrix_form, transpose
from bptutor.handout.document import Block, Display, Heading, Inline, Paragraph, catalog_inline, handout_number
from bptutor.handout.maths import (
    Call,
    Chain,
    Frac,
    Int,
    LayerSymbol,
    Matrix,
    Name,
    Neg,
    Node,
    Num,
    Product,
    Sequence_,
    Sum,
    Words,
)
from bptutor.i18n import message

Entries = tuple[tuple[Any, ...], ...]


class MatrixBlocks:
    """The blocks of the matrix form of one traced step, in a language, numbers to `digits` digits."""

    def __init__(
        self, form: MatrixForm, loss: str, lang: str, digits: int, rates: dict[str, Any], plain: bool = True,
        frozen: frozenset[str] = frozenset(), optimizer: str = "sgd",
    ) -> None:
        self.plain = plain  # gradient descent, p′ = p − η·∂E/∂p (not momentum, Adam or weight decay)
        self.optimizer = optimizer
        self.frozen = frozen
        self.form = form
        self.loss = loss
        self.lang = lang
        self.digits = digits
        self.rates = rates
        self.batch = form.batch

    def say(self, key: str, **fields: object) -> str:
        return message(key, self.lang, **fields)

    def inline(self, key: str, **fields: str | Node) -> Inline:
        return catalog_inline(self.lang, key, **fields)

    def num(self, value: Any, given: bool = False) -> Node:
        text = handout_number(value, self.digits)
        return Neg(Num(text[1:], given)) if text.startswith("-") else Num(text, given)

    def matrix(self, entries: Entries, given: bool = False) -> Matrix:
        return Matrix(tuple(tuple(self.num(value, given) for value in row) for row in entries))

    def column(self, values: tuple[Any, ...], given: bool = False) -> Matrix:
        return self.matrix(tuple((value,) for value in values), given)

    def a(self, number: int, transposed: bool = False) -> LayerSymbol:
        return LayerSymbol("A" if self.batch else "a", number, transposed)

    def z(self, number: int) -> LayerSymbol:
        return LayerSymbol("Z" if self.batch else "z", number)

    def d(self, number: int) -> LayerSymbol:
        return LayerSymbol("Δ" if self.batch else "δ", number)

    def below(self, layer: LayerMatrices) -> Entries:
        return self.form.x if layer.number == 1 else self.form.layers[layer.number - 2].a

    def scaled(self, node: Node) -> Node:
        """(1/m)·node for the mean over a batch; the node itself otherwise."""
        if self.batch and self.form.reduction == "mean":
            return Product((Frac(Int(1), Name("m")), node), "")
        return node

    def scaled_numbers(self, node: Node) -> Node:
        if self.batch and self.form.reduction == "mean":
            return Product((Frac(Int(1), Int(self.form.m)), node), "")
        return node

    def partial(self, base: str, number: int | str) -> Frac:
        """∂E/∂W^(l), as a fraction."""
        return Frac(
            Product((LayerSymbol("∂"), Name(self.loss)), ""), Product((LayerSymbol("∂"), LayerSymbol(base, number)), "")
        )

    # ── the blocks ──

    def blocks(self, updates: dict[str, Any]) -> list[Block]:
        form = self.form
        general = {"a": LayerSymbol("A" if self.batch else "a", "l"), "z": LayerSymbol("Z" if self.batch else "z", "l"),
                   "delta": LayerSymbol("Δ" if self.batch else "δ", "l"), "w": LayerSymbol("W", "l")}
        if self.batch:
            samples = ", ".join(str(i + 1) for i in form.samples)
            reduction = self.say(f"matrix.reduction.{form.reduction}")
            layout = self.inline("solve.matrix.layout.batch", m=str(form.m), samples=samples, reduction=reduction,
                                 **general)
        else:
            layout = self.inline("solve.matrix.layout.one", b=LayerSymbol("b", "l"), **general)
        out: list[Block] = [Heading(self.say("solve.matrix.heading")), Paragraph(layout)]
        if form.textbook_signs:
            out.append(Paragraph((self.say("matrix.note.textbook"),)))
        out.append(Heading(self.say("solve.matrix.forward"), 3))
        out.append(Display(self.general_forward()))
        out.append(Display(Chain((self.a(0), self.matrix(form.x, True)))))
        for layer in form.layers:
            out.append(Paragraph(self.layer_text(layer)))
            out += self.forward(layer)
        target = LayerSymbol("Y" if self.batch else "y")
        out.append(Display(Chain((target, self.matrix(form.targets, True)))))
        out.append(Heading(self.say("solve.matrix.backward"), 3))
        out.append(Paragraph(self.inline("solve.matrix.equations", loss=self.loss, **general)))
        out += self.general_backward()
        for layer in reversed(form.layers):
            out.append(Paragraph(self.layer_text(layer)))
            out += [self.delta(layer), self.weights(layer), self.biases(layer)]
        out.append(Heading(self.say("solve.matrix.update"), 3))
        for layer in form.layers:
            out += self.update(layer, updates)
        if not self.plain:
            out.append(Paragraph((self.say("solve.matrix.optimizer", optimizer=self.optimizer),)))
        return out

    def layer_text(self, layer: LayerMatrices) -> Inline:
        n = layer.number
        sizes = Product((Name(f"n_{n}"), Name(f"n_{n - 1}")), "×")
        shape = Chain((sizes, Product((Int(layer.size), Int(layer.fan_in)), "×")))
        return self.inline(
            "solve.matrix.layer", number=str(n), name=layer.name, activation=layer.activation,
            w=LayerSymbol("W", n), shape=shape, neurons=", ".join(layer.neurons), sources=", ".join(layer.sources),
        )

    def general_forward(self) -> Node:
        """z^(l) = W^(l) a^(l−1) + b^(l), a^(l) = g(z^(l)): the rule, before the numbers."""
        below = LayerSymbol("A" if self.batch else "a", "l−1")
        z = LayerSymbol("Z" if self.batch else "z", "l")
        right = Sum(((1, Product((LayerSymbol("W", "l"), below), "")), (1, LayerSymbol("b", "l"))))
        activation = Chain((LayerSymbol("A" if self.batch else "a", "l"), Call("g", (z,))))
        return Sequence_((Chain((z, right)), Words(",  "), activation))

    def general_backward(self) -> list[Block]:
        """The four BP equations in matrix form, in symbols, tagged (BP1)–(BP4)."""
        d = LayerSymbol("Δ" if self.batch else "δ", "L")
        a = "A" if self.batch else "a"
        z = "Z" if self.batch else "z"
        gradient = Product((LayerSymbol("∇", None, subscript="a"), Name(self.loss)), "")
        bp1 = Chain((d, Product((gradient, Call("g′", (LayerSymbol(z, "L"),))), "⊙")))
        above = Product((LayerSymbol("W", "l+1", True), LayerSymbol(d.base, "l+1")), "")
        bp2 = Chain((LayerSymbol(d.base, "l"), Product((above, Call("g′", (LayerSymbol(z, "l"),))), "⊙")))
        bias = LayerSymbol(d.base, "l")
        if self.batch:
            bias_rule: Node = self.scaled(Product((bias, LayerSymbol("1", subscript="m")), ""))
        else:
            bias_rule = bias
        bp3 = Chain((self.partial("b", "l"), bias_rule))
        weights = self.scaled(Product((LayerSymbol(d.base, "l"), LayerSymbol(a, "l−1", True)), ""))
        bp4 = Chain((self.partial("W", "l"), weights))
        return [Display(bp1, tag="(BP1)"), Display(bp2, tag="(BP2)"), Display(bp3, tag="(BP3)"),
                Display(bp4, tag="(BP4)")]

    def function(self, layer: LayerMatrices, prime: bool = False) -> str:
        return layer.symbol + ("′" if prime else "")

    def forward(self, layer: LayerMatrices) -> list[Block]:
        n = layer.number
        w = LayerSymbol("W", n)
        b = LayerSymbol("b", n)
        symbols = Sum(((1, Product((w, self.a(n - 1)), "")), (1, b)))
        numbers = Sum(
            ((1, Product((self.matrix(layer.weights, True), self.matrix(self.below(layer), n == 1)), "")),
             (1, self.column(layer.biases, True)))
        )
        z = Display(Chain((self.z(n), symbols, numbers, self.matrix(layer.z))))
        a = Display(Chain((self.a(n), Call(self.function(layer), (self.z(n),)), self.matrix(layer.a))))
        return [z, a]

    def delta(self, layer: LayerMatrices) -> Display:
        n = layer.number
        last = n == len(self.form.layers)
        d = self.d(n)
        if last and layer.rule == FUSED:
            difference: Node = Sum(((1, self.matrix(layer.a)), (-1, self.matrix(self.form.targets, True))))
            fused: Node = Sum(((1, self.a(n)), (-1, LayerSymbol("Y" if self.batch else "y"))))
            if layer.fused_over > 1:  # a loss that is the mean over the outputs: δ = (a − y)/n
                difference = Frac(difference, Int(layer.fused_over))
                fused = Frac(fused, Name(f"n_{n}"))
            return Display(Chain((d, fused, difference, self.matrix(layer.delta))), tag="(BP1)")
        assert layer.upstream is not None
        gradient = LayerSymbol("∇", None, subscript="a")
        if last and layer.rule == JACOBIAN:
            jacobian = LayerSymbol("J", n, transposed=True)
            parts: list[Node] = [d, Product((jacobian, Product((gradient, Name(self.loss)), "")), "")]
            if not self.batch:
                parts.append(Product((self.matrix(transpose(layer.jacobians[0])), self.matrix(layer.upstream)), ""))
            parts.append(self.matrix(layer.delta))
            return Display(Chain(tuple(parts)), tag="(BP1)")
        assert layer.slope is not None
        slope = Call(self.function(layer, True), (self.z(n),))
        if last:
            symbols = Product((Product((gradient, Name(self.loss)), ""), slope), "⊙")
            numbers = Product((self.matrix(layer.upstream), self.matrix(layer.slope)), "⊙")
            return Display(Chain((d, symbols, numbers, self.matrix(layer.delta))), tag="(BP1)")
        above = self.form.layers[n]
        used = LayerSymbol("W", n + 1, True, primed=self.form.updated_weights)  # W′: a classic text's convention
        symbols = Product((Product((used, self.d(n + 1)), ""), slope), "⊙")
        first = Product(
            (Product((self.matrix(transpose(above.error_weights), not self.form.updated_weights),
                      self.matrix(above.delta)), ""),
             self.matrix(layer.slope)), "⊙",
        )
        second = Product((self.matrix(layer.upstream), self.matrix(layer.slope)), "⊙")
        return Display(Chain((d, symbols, first, second, self.matrix(layer.delta))), tag="(BP2)")

    def weights(self, layer: LayerMatrices) -> Display:
        n = layer.number
        symbols = self.scaled(Product((self.d(n), self.a(n - 1, True)), ""))
        numbers = self.scaled_numbers(
            Product((self.matrix(layer.delta), self.matrix(transpose(self.below(layer)), n == 1)), "")
        )
        gradient = self.partial("W", n)
        return Display(Chain((gradient, symbols, numbers, self.matrix(layer.weight_gradient))), tag="(BP4)")

    def biases(self, layer: LayerMatrices) -> Display:
        n = layer.number
        gradient = self.partial("b", n)
        if not self.batch:
            return Display(Chain((gradient, self.d(n), self.column(layer.bias_gradient))), tag="(BP3)")
        ones = Matrix(tuple((Int(1),) for _ in range(self.form.m)))
        symbols = self.scaled(Product((self.d(n), LayerSymbol("1", subscript="m")), ""))
        numbers = self.scaled_numbers(Product((self.matrix(layer.delta), ones), ""))
        return Display(Chain((gradient, symbols, numbers, self.column(layer.bias_gradient))), tag="(BP3)")

    def update(self, layer: LayerMatrices, updates: dict[str, Any]) -> list[Block]:
        n = layer.number
        names = [name for row in layer.weight_names for name in row if name] + [b for b in layer.bias_names if b]
        rates = {self.rates[name] for name in names}
        zero = layer.weights[0][0] * 0
        new_w = tuple(tuple(updates[name] if name else zero for name in row) for row in layer.weight_names)
        new_b = tuple(updates[b] if b else zero for b in layer.bias_names)
        w_new = LayerSymbol("W", n, primed=True)
        b_new = LayerSymbol("b", n, primed=True)
        if len(rates) != 1 or not self.plain or self.frozen & set(names) or layer.threshold:
            return [Display(Chain((w_new, self.matrix(new_w)))), Display(Chain((b_new, self.column(new_b))))]
        rate = self.num(next(iter(rates)), True)
        w_rule = Sum(((1, LayerSymbol("W", n)), (-1, Product((Name("η"), self.partial("W", n)), "·"))))
        w_numbers = Sum(
            ((1, self.matrix(layer.weights, True)), (-1, Product((rate, self.matrix(layer.weight_gradient)), "×")))
        )
        b_rule = Sum(((1, LayerSymbol("b", n)), (-1, Product((Name("η"), self.partial("b", n)), "·"))))
        b_numbers = Sum(
            ((1, self.column(layer.biases, True)), (-1, Product((rate, self.column(layer.bias_gradient)), "×")))
        )
        return [
            Display(Chain((w_new, w_rule, w_numbers, self.matrix(new_w)))),
            Display(Chain((b_new, b_rule, b_numbers, self.column(new_b)))),
        ]


def matrix_body(run: Run, lang: str, digits: int) -> list[Block]:
    """What follows the problem in a matrix-form handout (`build_handout(..., body=matrix_body)`)."""
    rates = dict(run.graph.learning_rates)
    updates = {update.parameter: update.new for update in run.first.updates}
    optimizer = run.scenario.optimizer
    plain = optimizer.name == "sgd" and not optimizer.weight_decay
    frozen = frozenset(run.graph.frozen)
    shown = MatrixBlocks(
        matrix_form(run), run.scenario.notation.loss, lang, digits, rates, plain, frozen, optimizer.name
    )
    return shown.blocks(updates)


__all__ = ["MatrixBlocks", "matrix_body"]
