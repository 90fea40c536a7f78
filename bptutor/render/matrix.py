"""The matrix form in the terminal: each layer's matrices as aligned grids, the four BP equations with numbers.

A grid's columns are aligned on the decimal point and bracketed as a textbook
brackets a matrix (⎡ ⎤ … ⎣ ⎦; [ ] under --ascii). An equation is printed with
its operands side by side when they fit the terminal; otherwise each `= …` goes
on its own row, and a row still too wide puts each operand on its own lines.
Renderers format; every number here is the `MatrixForm`'s (`bptutor.derive.matrix`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from bptutor.core.arithmetic import Number
from bptutor.core.trace import Run, StepTrace
from bptutor.derive.matrix import (
    ELEMENTWISE,
    FUSED,
    JACOBIAN,
    LayerMatrices,
    LayerName,
    Matrix,
    MatrixForm,
    transpose,
)
from bptutor.render.style import Style, make_heading
from bptutor.render.terminal import can_encode

# spellings of the matrix symbols under --ascii (or on a terminal that cannot show them)
MATRIX_ASCII = {"ᵀ": "^T", "⊙": ".*", "∇": "grad", "⎡": "[", "⎢": "[", "⎣": "[", "⎤": "]", "⎥": "]", "⎦": "]"}

Piece = str | list[str]  # an operator or symbol (one line), or a grid (its lines)


def spell(style: Style, text: str) -> str:
    """Text as the terminal can show it: the matrix symbols in ASCII when needed, then the style's spelling."""
    plain = style.ascii or (style.encoding is not None and not can_encode("⎡⊙ᵀ∇", style.encoding))
    if plain:
        text = "".join(MATRIX_ASCII.get(char, char) for char in text)
    return style.text(text)


def grid(style: Style, matrix: Matrix) -> list[str]:
    """The matrix as bracketed lines, each column aligned on the decimal point."""
    cells = [[style.number(value) for value in row] for row in matrix]
    columns = len(cells[0]) if cells else 0
    widths_left = [0] * columns
    widths_right = [0] * columns
    split: list[list[tuple[str, str]]] = []
    for row in cells:
        parts = []
        for index, cell in enumerate(row):
            point = cell.find(".")
            left, right = (cell, "") if point < 0 else (cell[:point], cell[point:])
            if point < 0 and "e" in cell:  # 1e−05: the exponent goes right of the point's column
                left, right = cell[: cell.index("e")], cell[cell.index("e") :]
            widths_left[index] = max(widths_left[index], cell_len(left))
            widths_right[index] = max(widths_right[index], cell_len(right))
            parts.append((left, right))
        split.append(parts)
    lines = []
    height = len(split)
    for number, parts in enumerate(split):
        body = "  ".join(
            left.rjust(widths_left[index]) + right.ljust(widths_right[index])
            for index, (left, right) in enumerate(parts)
        )
        if height == 1:
            opening, closing = "[", "]"
        elif number == 0:
            opening, closing = "⎡", "⎤"
        elif number == height - 1:
            opening, closing = "⎣", "⎦"
        else:
            opening, closing = "⎢", "⎥"
        lines.append(spell(style, f"{opening}{body}{closing}"))
    return lines


def _width(piece: Piece) -> int:
    return cell_len(piece) if isinstance(piece, str) else max(cell_len(line) for line in piece)


def _height(piece: Piece) -> int:
    return 1 if isinstance(piece, str) else len(piece)


def side_by_side(pieces: Sequence[Piece]) -> list[str]:
    """Pieces placed on shared lines: each grid's rows, each operator on the grids' middle row."""
    height = max((_height(piece) for piece in pieces), default=1)
    middle = height // 2
    lines = [""] * height
    for piece in pieces:
        width = _width(piece)
        rows = [piece] if isinstance(piece, str) else piece
        top = middle - _height(piece) // 2
        for index in range(height):
            inside = 0 <= index - top < len(rows)
            text = rows[index - top] if inside else ""
            lines[index] += text + " " * (width - cell_len(text))
    return [line.rstrip() for line in lines]


class MatrixEquation:
    """`left = right` in symbols, then its steps with numbers (`= piece piece …`), fitted to the terminal."""

    def __init__(self, style: Style, left: str, steps: Sequence[Sequence[Piece]], tag: str = "") -> None:
        self.style = style
        self.left = spell(style, (f"{tag} " if tag else "") + left)
        self.steps = [[spell(style, p) if isinstance(p, str) else p for p in step] for step in steps]

    def _row(self, step: Sequence[Piece]) -> list[Piece]:
        pieces: list[Piece] = []
        for piece in step:
            if pieces:
                pieces.append(" ")
            pieces.append(piece)
        return pieces

    def lines(self, width: int) -> list[str]:
        """All on one row when it fits; else each `= …` on a row of its own, its operands packed into rows."""
        whole: list[Piece] = [self.left, " = "]
        for index, step in enumerate(self.steps):
            if index:
                whole.append(" = ")
            whole += self._row(step)
        placed = side_by_side(whole)
        if max(cell_len(line) for line in placed) <= width:
            return placed
        indent = " " * min(cell_len(self.left) + 1, 8)
        first, *rest = self.steps
        if _single_line(first) and cell_len(f"{self.left} = {' '.join(map(str, first))}") <= width:
            lines = [f"{self.left} = " + " ".join(str(piece) for piece in first)]
        else:
            lines = [self.left]
            rest = list(self.steps)
        for step in rest:
            lines += _packed(indent, step, width)
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            yield Text(line, no_wrap=True, overflow="ignore")


def _single_line(step: Sequence[Piece]) -> bool:
    return all(isinstance(piece, str) for piece in step)


def _packed(indent: str, step: Sequence[Piece], width: int) -> list[str]:
    """One `= …` step: its operands (each with the operators before it) packed into as few rows as fit.

    An operand whose operators make it too wide for a row of its own is split from them."""
    units: list[list[Piece]] = []
    pending: list[Piece] = []
    for piece in step:
        pending.append(piece)
        if not isinstance(piece, str):
            units.append(pending)
            pending = []
    if pending:
        units.append(pending)
    fitted: list[list[Piece]] = []
    for unit in units:
        alone = side_by_side([indent, "= ", *_spaced(unit)])
        if len(unit) > 1 and max(cell_len(line) for line in alone) > width:
            fitted += [[piece] for piece in unit]
        else:
            fitted.append(unit)
    lines: list[str] = []
    row: list[Piece] = [indent, "= "]
    filled = False
    for unit in fitted:
        trial = side_by_side([*row, *_spaced(unit)])
        if filled and max(cell_len(line) for line in trial) > width:
            lines += side_by_side(row)
            row = [indent, "  ", *_spaced(unit)]
        else:
            row += _spaced(unit)
        filled = True
    return lines + side_by_side(row)


def _spaced(unit: Sequence[Piece]) -> list[Piece]:
    return [part for piece in unit for part in (piece, " ")]


# ── the whole matrix form of a run ───────────────────────────────────────────


def derivative_symbol(layer: LayerMatrices) -> str:
    """g′ as the layer's activation writes it: σ′, tanh′, ReLU′ (f′ for a custom activation)."""
    return f"{layer.symbol}′"


def function_symbol(layer: LayerMatrices) -> str:
    return layer.symbol


def render_matrix_run(run: Run, form: MatrixForm, style: Style) -> RenderableType:
    """`run --form matrix`: the forward pass, the four BP equations and the update, a layer at a time."""
    scenario = run.scenario
    title = scenario.title_in(style.lang) or scenario.name
    parts: list[RenderableType] = [
        Text(style.text(style.say("run.title", title=title, scenario=scenario.name, steps=len(run.steps))), "bold"),
        Text(""),
    ]
    parts += _layout(form, style)
    parts.append(Text(""))
    parts += forward_part(form, style, scenario.notation.loss, run.first)
    parts.append(Text(""))
    parts += backward_part(form, style, scenario.notation.loss, range(len(form.layers), 0, -1))
    parts.append(Text(""))
    parts += update_part(run, form, style, range(1, len(form.layers) + 1))
    if len(run.steps) > 1:  # the loss before each update and after the last, as the scalar form ends
        from bptutor.render.tables import render_losses

        parts += [Text(""), make_heading(style, style.say("run.heading.losses", steps=len(run.steps)))]
        parts.append(render_losses(run, style))
    return Group(*parts)


def _layout(form: MatrixForm, style: Style) -> list[RenderableType]:
    lines = []
    if form.batch:
        reduction = style.say(f"matrix.reduction.{form.reduction}")
        samples = ", ".join(str(index + 1) for index in form.samples)
        lines.append(style.say("matrix.layout.batch", m=form.m, samples=samples, reduction=reduction))
    else:
        lines.append(style.say("matrix.layout.one"))
    if form.textbook_signs:
        lines.append(style.say("matrix.note.textbook"))
    if any(None in row for layer in form.layers for row in layer.weight_names):
        lines.append(style.say("matrix.note.missing"))
    if any(layer.threshold for layer in form.layers):
        lines.append(style.say("matrix.note.threshold"))
    return [Text(spell(style, line)) for line in lines]


def _a(number: int, batch: bool) -> str:
    return f"A^({number})" if batch else f"a^({number})"


def _z(number: int, batch: bool) -> str:
    return f"Z^({number})" if batch else f"z^({number})"


def _d(number: int, batch: bool) -> str:
    return f"Δ^({number})" if batch else f"δ^({number})"


def _shape(matrix: Matrix) -> str:
    return f"{len(matrix)}×{len(matrix[0]) if matrix else 0}"


def forward_part(form: MatrixForm, style: Style, loss: str, trace: StepTrace) -> list[RenderableType]:
    batch = form.batch
    parts: list[RenderableType] = [make_heading(style, spell(style, style.say("matrix.heading.forward")))]
    x = form.x
    parts.append(MatrixEquation(style, f"{_a(0, batch)} ({_shape(x)})", [[grid(style, x)]]))
    for layer in form.layers:
        parts += [Text(""), Text(spell(style, _layer_heading(layer, style)))]
        below = form.x if layer.number == 1 else form.layers[layer.number - 2].a
        bias: Matrix = tuple((b,) for b in layer.biases)
        steps: list[list[Piece]] = [
            [grid(style, layer.weights), grid(style, below), "+", grid(style, bias)],
            [grid(style, layer.z)],
        ]
        right = f"W^({layer.number}) {_a(layer.number - 1, batch)} + b^({layer.number})"
        parts.append(MatrixEquation(style, f"{_z(layer.number, batch)} = {right}", steps))
        g = function_symbol(layer)
        activated = f"{_a(layer.number, batch)} = {g}({_z(layer.number, batch)})"
        parts.append(MatrixEquation(style, activated, [[grid(style, layer.a)]]))
    y = form.targets
    parts += [Text(""), MatrixEquation(style, f"{'Y' if batch else 'y'} ({_shape(y)})", [[grid(style, y)]])]
    value = style.number(trace.loss)
    key = "matrix.loss.batch" if batch else "matrix.loss.one"
    parts.append(Text(spell(style, style.say(key, loss=loss, value=value, name=form.loss))))
    return parts


def _layer_heading(layer: LayerMatrices, style: Style) -> str:
    rows, columns = layer.size, layer.fan_in
    return style.say(
        "matrix.layer",
        number=layer.number,
        below=layer.number - 1,
        name=layer.name,
        activation=layer.activation,
        rows=rows,
        columns=columns,
        neurons=", ".join(layer.neurons),
        sources=", ".join(layer.sources),
    )


def delta_equation(form: MatrixForm, layer: LayerMatrices, style: Style, loss: str) -> MatrixEquation:
    """BP1 (the output layer) or BP2 (a layer below it), with the numbers."""
    batch = form.batch
    n = layer.number
    slope = derivative_symbol(layer)
    if layer.number == len(form.layers):
        if layer.rule == FUSED:
            difference: list[Piece] = [grid(style, layer.a), "−", grid(style, form.targets)]
            a_minus_y = f"{_a(n, batch)} − {'Y' if batch else 'y'}"
            if layer.fused_over > 1:  # a loss that is the mean over the outputs: δ = (a − y)/n
                difference = ["(", *difference, f")/{layer.fused_over}"]
                a_minus_y = f"({a_minus_y})/n_{n}"
            fused_steps: list[list[Piece]] = [difference, [grid(style, layer.delta)]]
            return MatrixEquation(style, f"{_d(n, batch)} = {a_minus_y}", fused_steps, "(BP1)")
        assert layer.upstream is not None
        if layer.rule == JACOBIAN:
            steps: list[list[Piece]] = []
            if not batch:
                steps.append([grid(style, transpose(layer.jacobians[0])), grid(style, layer.upstream)])
            steps.append([grid(style, layer.delta)])
            left = f"{_d(n, batch)} = (J^({n}))ᵀ ∇_a {loss}, J_ij = ∂a_i/∂z_j"
            return MatrixEquation(style, left, steps, "(BP1)")
        assert layer.slope is not None
        steps = [[grid(style, layer.upstream), "⊙", grid(style, layer.slope)], [grid(style, layer.delta)]]
        return MatrixEquation(style, f"{_d(n, batch)} = ∇_a {loss} ⊙ {slope}({_z(n, batch)})", steps, "(BP1)")
    above = form.layers[n]
    assert layer.upstream is not None and layer.slope is not None
    steps = [
        ["(", grid(style, transpose(above.error_weights)), grid(style, above.delta), ")", "⊙",
         grid(style, layer.slope)],
        [grid(style, layer.upstream), "⊙", grid(style, layer.slope)],
        [grid(style, layer.delta)],
    ]
    used = f"W^({n + 1})′" if form.updated_weights else f"W^({n + 1})"  # the convention of some classic texts
    left = f"{_d(n, batch)} = (({used})ᵀ {_d(n + 1, batch)}) ⊙ {slope}({_z(n, batch)})"
    return MatrixEquation(style, left, steps, "(BP2)")


def weight_equation(form: MatrixForm, layer: LayerMatrices, style: Style, loss: str) -> MatrixEquation:
    """BP4: ∂E/∂W^(l) = δ^(l) (a^(l−1))ᵀ, or (1/m) Δ^(l) (A^(l−1))ᵀ for a batch."""
    batch = form.batch
    n = layer.number
    below = form.x if n == 1 else form.layers[n - 2].a
    scale = _scale(form)
    product: list[Piece] = [grid(style, layer.delta), grid(style, transpose(below))]
    left = f"∂{loss}/∂W^({n}) = {scale}{_d(n, batch)} ({_a(n - 1, batch)})ᵀ"
    return MatrixEquation(style, left, [[*_scale_piece(form), *product], [grid(style, layer.weight_gradient)]], "(BP4)")


def bias_equation(form: MatrixForm, layer: LayerMatrices, style: Style, loss: str) -> MatrixEquation:
    """BP3: ∂E/∂b^(l) = δ^(l), or (1/m) Σ_i of Δ^(l)'s columns for a batch."""
    n = layer.number
    gradient: Matrix = tuple((value,) for value in layer.bias_gradient)
    if not form.batch:
        return MatrixEquation(style, f"∂{loss}/∂b^({n}) = δ^({n})", [[grid(style, gradient)]], "(BP3)")
    left = f"∂{loss}/∂b^({n}) = {_scale(form)}Σ_i Δ^({n})_:,i"
    steps: list[list[Piece]] = [[*_scale_piece(form), "Σ_i", grid(style, layer.delta)], [grid(style, gradient)]]
    return MatrixEquation(style, left, steps, "(BP3)")


def _scale(form: MatrixForm) -> str:
    return "(1/m) " if form.batch and form.reduction == "mean" else ""


def _scale_piece(form: MatrixForm) -> list[Piece]:
    return [f"(1/{form.m})"] if form.batch and form.reduction == "mean" else []


def backward_part(form: MatrixForm, style: Style, loss: str, numbers: Iterable[int]) -> list[RenderableType]:
    heading = style.say("matrix.heading.backward", loss=loss)
    parts: list[RenderableType] = [make_heading(style, spell(style, heading))]
    for number in numbers:
        layer = form.layer(number)
        parts += [Text(""), Text(spell(style, _layer_heading(layer, style)))]
        parts.append(delta_equation(form, layer, style, loss))
        parts.append(weight_equation(form, layer, style, loss))
        parts.append(bias_equation(form, layer, style, loss))
    if form.updated_weights:
        parts += [Text(""), Text(spell(style, style.say("matrix.note.updated")))]
    return parts


def update_part(
    run: Run, form: MatrixForm, style: Style, numbers: Iterable[int], step: int = 1
) -> list[RenderableType]:
    trace = run.steps[step - 1]
    loss = run.scenario.notation.loss
    updates = {update.parameter: update for update in trace.updates}
    plain = run.scenario.optimizer.name == "sgd" and not run.scenario.optimizer.weight_decay
    heading = (
        style.say("matrix.heading.update", loss=loss)
        if plain
        else style.say("matrix.heading.update_optimizer", optimizer=run.scenario.optimizer.name)
    )
    parts: list[RenderableType] = [make_heading(style, spell(style, heading))]
    for number in numbers:
        layer = form.layer(number)
        names = [name for row in layer.weight_names for name in row if name] + [b for b in layer.bias_names if b]
        rates = {updates[name].rate for name in names}
        frozen = any(updates[name].frozen for name in names)
        uniform = plain and len(rates) == 1 and not frozen and not layer.threshold
        zero = layer.weights[0][0] * 0
        new_w = tuple(
            tuple(updates[name].new if name else zero for name in row) for row in layer.weight_names
        )
        new_b: Matrix = tuple((updates[b].new if b else zero,) for b in layer.bias_names)
        bias: Matrix = tuple((b,) for b in layer.biases)
        gradient: Matrix = tuple((g,) for g in layer.bias_gradient)
        if uniform:
            rate = style.number(next(iter(rates)))
            parts.append(
                MatrixEquation(
                    style,
                    f"W^({number})′ = W^({number}) − η·∂{loss}/∂W^({number})",
                    [[grid(style, layer.weights), "−", rate, "×", grid(style, layer.weight_gradient)],
                     [grid(style, new_w)]],
                )
            )
            parts.append(
                MatrixEquation(
                    style,
                    f"b^({number})′ = b^({number}) − η·∂{loss}/∂b^({number})",
                    [[grid(style, bias), "−", rate, "×", grid(style, gradient)], [grid(style, new_b)]],
                )
            )
            continue
        parts.append(MatrixEquation(style, f"W^({number})′", [[grid(style, new_w)]]))
        if any(layer.bias_names):
            parts.append(MatrixEquation(style, f"b^({number})′", [[grid(style, new_b)]]))
    if not plain:
        parts.append(Text(spell(style, style.say("matrix.update.optimizer", optimizer=run.scenario.optimizer.name))))
    elif any(update.frozen for update in trace.updates):
        parts.append(Text(spell(style, style.say("matrix.update.frozen"))))
    return parts


def render_layer_explanation(run: Run, form: MatrixForm, asked: LayerName, style: Style) -> RenderableType:
    """`explain W^(l)`, `dW^(l)`, `δ^(l)` or `db^(l)`: the layer's δ derived by BP1 or BP2, then what was asked."""
    scenario = run.scenario
    loss = scenario.notation.loss
    layer = form.layer(asked.layer)
    title = scenario.title_in(style.lang) or scenario.name
    about = {"W": f"W^({layer.number})", "dW": f"∂{loss}/∂W^({layer.number})", "δ": _d(layer.number, form.batch),
             "db": f"∂{loss}/∂b^({layer.number})"}[asked.symbol]
    heading = style.say("explain.about_titled", about=about, scenario=scenario.name, title=title)
    parts: list[RenderableType] = [Text(spell(style, heading), style="bold"), Text("")]
    parts += _layout(form, style)
    parts += [Text(""), Text(spell(style, _layer_heading(layer, style)))]
    below = form.x if layer.number == 1 else form.layers[layer.number - 2].a
    parts.append(MatrixEquation(style, f"W^({layer.number}) ({_shape(layer.weights)})", [[grid(style, layer.weights)]]))
    parts.append(MatrixEquation(style, f"{_a(layer.number - 1, form.batch)} ({_shape(below)})", [[grid(style, below)]]))
    parts.append(MatrixEquation(style, f"{_z(layer.number, form.batch)} ({_shape(layer.z)})", [[grid(style, layer.z)]]))
    parts.append(MatrixEquation(style, f"{_a(layer.number, form.batch)} ({_shape(layer.a)})", [[grid(style, layer.a)]]))
    parts += [Text(""), Text(spell(style, style.say("matrix.explain.delta")))]
    if layer.number < len(form.layers):
        above = form.layers[layer.number]
        parts.append(
            MatrixEquation(
                style,
                f"{_d(above.number, form.batch)} ({_shape(above.delta)})",
                [[grid(style, above.delta)]],
            )
        )
    if layer.rule == ELEMENTWISE and layer.slope is not None:
        slope = derivative_symbol(layer)
        parts.append(
            MatrixEquation(
                style, f"{slope}({_z(layer.number, form.batch)}) ({_shape(layer.slope)})", [[grid(style, layer.slope)]]
            )
        )
    parts.append(delta_equation(form, layer, style, loss))
    if asked.symbol in ("W", "dW"):
        parts += [Text(""), Text(spell(style, style.say("matrix.explain.weights")))]
        parts.append(weight_equation(form, layer, style, loss))
        parts.append(Text(spell(style, style.say("matrix.explain.entry", loss=loss, n=layer.number,
                                                 below=layer.number - 1))))
    if asked.symbol == "db":
        parts += [Text(""), Text(spell(style, style.say("matrix.explain.biases")))]
        parts.append(bias_equation(form, layer, style, loss))
    if asked.symbol == "W":
        parts.append(Text(""))
        parts += update_part(run, form, style, [layer.number])
    return Group(*parts)


def numbers_of(matrix: Matrix) -> list[Number]:
    return [value for row in matrix for value in row]


__all__ = [
    "MATRIX_ASCII",
    "MatrixEquation",
    "grid",
    "render_layer_explanation",
    "render_matrix_run",
    "side_by_side",
    "spell",
]
