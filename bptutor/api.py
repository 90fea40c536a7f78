"""The Python API: load a scenario, trace it, read its numbers, render its worked solution.

    >>> import bptutor
    >>> solution = bptutor.solve("two_two_two")
    >>> round(solution.gradient("w5"), 10)
    0.081823315
    >>> html = solution.to_html(lang="zh")

In Jupyter a `Solution` shows itself as its worked solution (HTML with MathML,
Markdown or LaTeX, whichever the front end asks for), and an `Explanation`
from `solution.explain("w5")` as the textbook derivation of one gradient.
Bad input raises `bptutor.ScenarioError`, whose message names the file, line,
column and field.

An expression scenario (a file with `expression:`) loads as an `ExpressionScenario`,
and `solve` on it gives a `CircuitSolution`: every gate's value and every gradient;
worked-solution documents need a layered network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bptutor.core.circuit import CircuitRun, ExpressionScenario
from bptutor.core.numbers import DEFAULT_DIGITS
from bptutor.core.scenario import Scenario
from bptutor.core.trace import Run, SampleTrace, StepTrace
from bptutor.errors import Location, ScenarioError, UsageError
from bptutor.i18n import DEFAULT_LANGUAGE, Message
from bptutor.records import dataclass

if TYPE_CHECKING:
    from bptutor.derive.explain import Derivation
    from bptutor.derive.matrix import MatrixForm
    from bptutor.handout.document import Handout


def load(source: str | Path | Mapping[str, Any] | Scenario | ExpressionScenario) -> Scenario | ExpressionScenario:
    """A scenario from a YAML file, a built-in name (see `bptutor list`) or a dict shaped like the YAML.

    The file and the dict go through the same checks as on the command line. A file
    or dict with `expression:` gives an ExpressionScenario, any other a layered Scenario.
    """
    from bptutor.loading.builtin import builtin_names, builtin_path
    from bptutor.loading.document import expression_scenario_from_data, load_document
    from bptutor.loading.scenario import scenario_from_data

    if isinstance(source, (Scenario, ExpressionScenario)):
        return source
    if isinstance(source, Mapping):
        if "expression" in source:
            return expression_scenario_from_data(dict(source))
        return scenario_from_data(dict(source))
    path = Path(source)
    if not path.exists():
        builtin = builtin_path(str(source))
        if builtin is None:
            names = ", ".join(builtin_names())
            raise ScenarioError(Message.of("api.no_scenario", names=names), Location(str(source)))
        path = builtin
    return load_document(path)


def solve(
    source: str | Path | Mapping[str, Any] | Scenario | ExpressionScenario,
    steps: int = 1,
    jacobian: bool = False,
    step: int = 1,
) -> Solution | CircuitSolution:
    """Trace `steps` rounds of forward pass, backward pass and update; an expression scenario once, with no update.

    `jacobian`: an output whose loss cancels its activation's derivative (cross-entropy on softmax, bce on
    sigmoid) is traced through that derivative, softmax's Jacobian entry by entry (as `solve --jacobian`).
    `step` (from 1) starts at that step of the training, from the parameters and optimizer state after the steps
    before it (as `bptutor solve --step K`): its handout works that step's batch."""
    from bptutor.core.resume import at_step
    from bptutor.core.trace import run

    scenario = load(source)
    if isinstance(scenario, ExpressionScenario):
        from bptutor.core.circuit import run as run_circuit

        if steps != 1 or step != 1:
            raise UsageError(Message.of("expression.no_steps"))
        return CircuitSolution(run_circuit(scenario))
    return Solution(run(at_step(scenario, step) if step > 1 else scenario, steps, fused=not jacobian))


def _title(title: str) -> list[str]:
    """A scenario's title for a one-line repr: nothing when it has none, its first line otherwise."""
    return [title.strip().splitlines()[0]] if title.strip() else []


@dataclass(frozen=True, repr=False)
class CircuitSolution:
    """An expression scenario run once: every gate's value and every gradient ∂f/∂name."""

    run: CircuitRun

    def __repr__(self) -> str:
        """One line: `<CircuitSolution circuit: (x + y)·z as a circuit of two gates, 3 leaves, f = -12>`."""
        scenario = self.scenario
        parts = [*_title(scenario.title), f"{len(scenario.values)} leaves", f"f = {self.output:.4g}"]
        return f"<CircuitSolution {scenario.name}: {', '.join(parts)}>"

    @property
    def scenario(self) -> ExpressionScenario:
        return self.run.scenario

    @property
    def output(self) -> float:
        """The value of the program's output f."""
        return self.run.output

    def value(self, name: str) -> float:
        """The value of a leaf, a line's name or an inner gate (g1, g2, …)."""
        return self.run.value(name)

    def gradient(self, name: str) -> float:
        """∂f/∂name for a leaf, a line's name or an inner gate."""
        return self.run.gradient(name)

    @property
    def values(self) -> dict[str, float]:
        return {**dict(self.scenario.values), **{record.gate.name: record.value for record in self.run.forward}}

    @property
    def gradients(self) -> dict[str, float]:
        """∂f/∂leaf for every leaf, in the order the program first reads them."""
        return self.run.leaf_gradients

    def handout(self, *arguments: object, **options: object) -> Handout:
        raise UsageError(Message.of("custom.no_handout", scenario=self.scenario.name))

    to_markdown = to_latex = to_html = to_pdf = save = handout


@dataclass(frozen=True, repr=False)
class Solution:
    """A traced scenario: every value, gradient and update of each step, and its handouts."""

    run: Run

    def __repr__(self) -> str:
        """One line: `<Solution two_two_two: 2-2-2 sigmoid network (…), 12 parameters, loss 0.3226>`."""
        scenario = self.scenario
        steps = len(self.run.steps)
        parts = [*_title(scenario.title), f"{len(scenario.parameters)} parameters"]
        parts += [f"{steps} steps"] if steps > 1 else []
        parts.append(f"loss {self.loss:.4g}")
        return f"<Solution {scenario.name}: {', '.join(parts)}>"

    @property
    def scenario(self) -> Scenario:
        return self.run.scenario

    @property
    def first(self) -> StepTrace:
        return self.run.first

    @property
    def loss(self) -> float:
        """The loss before the first update."""
        return float(self.first.loss)

    def value(self, name: str, step: int = 1) -> float:
        """A forward value (in_h1, out_o1, E_total, or a given number) at step `step`; in a batch, out_o1[2] is sample
        2's (a plain name is the first sample's) and the loss is the batch's."""
        trace = self.run.steps[step - 1]
        found = _in_sample(trace, name)
        if found is not None:
            sample, own = found
            return float(next(record.value for record in sample.forward if record.quantity == own))
        if trace.samples and name == self.scenario.notation.loss:
            return float(trace.loss)
        return float(trace.value(name))

    def gradient(self, name: str, step: int = 1) -> float:
        """∂E/∂name for any activation, pre-activation or parameter, at step `step`; in a batch, a parameter's is the
        batch gradient (the mean or sum over its samples), and w5[2] or out_h1[2] names sample 2's own."""
        trace = self.run.steps[step - 1]
        found = _in_sample(trace, name)
        if found is not None:
            sample, own = found
            return float(trace.sign) * float(next(record.value for record in sample.backward if record.quantity == own))
        gradients = trace.gradients
        return float(gradients[name]) if name in gradients else float(trace.gradient(name))

    def new_value(self, parameter: str, step: int = 1) -> float:
        """A parameter after the update of step `step`."""
        return float(self.run.steps[step - 1].new_parameters[parameter])

    @property
    def values(self) -> dict[str, float]:
        return {record.quantity: float(record.value) for record in self.first.forward}

    @property
    def gradients(self) -> dict[str, float]:
        return {name: float(value) for name, value in self.first.gradients.items()}

    @property
    def new_parameters(self) -> dict[str, float]:
        return {name: float(value) for name, value in self.first.new_parameters.items()}

    @property
    def losses(self) -> list[float]:
        """The loss before each step's update, then after the last one."""
        return [float(step.loss) for step in self.run.steps] + [float(self.run.final_loss)]

    def explain(self, name: str, jacobian: bool = False, form: str = "scalar") -> Explanation | LayerExplanation:
        """The textbook derivation of one gradient or quantity (as `bptutor explain NAME [--jacobian]`).

        In a training step, NAME[i] derives it in sample i of the step's batch. `form="matrix"`, or NAME a
        layer's matrix (W^(2), δ^(2), dW^(2), db^(2), as `bptutor explain NAME --form matrix`), derives the
        whole layer's matrix: its δ by BP1 or BP2, then what was asked (in a batch, the samples as columns);
        a weight, bias or neuron then names the matrix of its layer."""
        from bptutor.derive.explain import explain

        if _form(form) == "matrix" or self._is_layer_name(name):
            return self._explain_layer(name)

        if self.first.samples:
            from bptutor.render.explain import SAMPLE_SUFFIX
            from bptutor.teach.solution import WorkedSteps

            solution = WorkedSteps(self.scenario)
            found = SAMPLE_SUFFIX.match(name.strip())
            count = len(solution.samples)
            if found is None:
                raise UsageError(Message.of("explain.name_a_sample", name=name, count=count))
            number = int(found.group(2))
            if not 1 <= number <= count:
                raise UsageError(Message.of("explain.no_sample", number=number, count=count))
            return Explanation(explain(solution.samples[number - 1].scenario, found.group(1), jacobian))
        return Explanation(explain(self.scenario, name, jacobian))

    def _is_layer_name(self, name: str) -> bool:
        """Whether `name` reads as a layer's matrix and names no quantity of the scenario."""
        from bptutor.core.graph import build
        from bptutor.derive.matrix import layer_name

        if layer_name(name) is None:
            return False
        return name not in {quantity.name for quantity in build(self.scenario).quantities}

    def _explain_layer(self, name: str) -> LayerExplanation:
        from bptutor.derive.matrix import layer_of, matrix_form, scalar_names, suggestions

        form = matrix_form(self.run)
        names = scalar_names(self.run)
        asked = layer_of(form, name.strip(), names)
        if asked is None:
            import difflib

            close = difflib.get_close_matches(name, suggestions(form).split(", ") + sorted(names), n=3)
            hint: Message | str = Message.of("usage.did_you_mean", names=", ".join(close)) if close else ""
            names_text = suggestions(form)
            raise UsageError(
                Message.of("matrix.not_a_name", name=name, scenario=self.scenario.name, names=names_text, hint=hint)
            )
        return LayerExplanation(self.run, asked.symbol, asked.layer)

    def matrices(self, step: int = 1) -> MatrixForm:
        """Step `step`'s matrices (`bptutor.derive.matrix.MatrixForm`): each layer's W, b, z, a, δ, ∂E/∂W and ∂E/∂b,
        the samples of a batch as columns, as `bptutor run --form matrix` prints them."""
        from bptutor.derive.matrix import matrix_form

        return matrix_form(self.run, step)

    def handout(
        self,
        variant: str = "full",
        lang: str = DEFAULT_LANGUAGE,
        digits: int = DEFAULT_DIGITS,
        detail: str = "standard",
        derive: Sequence[str] | None = None,
        form: str = "scalar",
    ) -> Handout:
        """The worked solution as a document (`bptutor.handout.document.Handout`): variant full, answers, worksheet;
        detail standard (one parameter of each layer derived in full, the rest in tables), full or brief; `derive`
        names the parameters to derive in full instead. `form="matrix"` writes the four equations for whole layers
        instead, with real matrices (as `bptutor solve --form matrix`)."""
        from bptutor.handout.document import build_handout
        from bptutor.handout.matrices import matrix_body

        body = matrix_body if _form(form) == "matrix" else None
        return build_handout(self.run, lang, variant, digits, detail, derive, body)

    def to_markdown(
        self,
        variant: str = "full",
        lang: str = DEFAULT_LANGUAGE,
        digits: int = DEFAULT_DIGITS,
        detail: str = "standard",
        derive: Sequence[str] | None = None,
        form: str = "scalar",
    ) -> str:
        return self._text("md", self.handout(variant, lang, digits, detail, derive, form))

    def to_latex(
        self,
        variant: str = "full",
        lang: str = DEFAULT_LANGUAGE,
        digits: int = DEFAULT_DIGITS,
        detail: str = "standard",
        derive: Sequence[str] | None = None,
        form: str = "scalar",
    ) -> str:
        return self._text("tex", self.handout(variant, lang, digits, detail, derive, form))

    def to_html(
        self,
        variant: str = "full",
        lang: str = DEFAULT_LANGUAGE,
        digits: int = DEFAULT_DIGITS,
        detail: str = "standard",
        derive: Sequence[str] | None = None,
        form: str = "scalar",
    ) -> str:
        return self._text("html", self.handout(variant, lang, digits, detail, derive, form))

    def to_pdf(
        self,
        path: str | Path,
        variant: str = "full",
        lang: str = DEFAULT_LANGUAGE,
        digits: int = DEFAULT_DIGITS,
        detail: str = "standard",
        derive: Sequence[str] | None = None,
        form: str = "scalar",
    ) -> Path:
        """Print the HTML handout to a PDF with headless Chromium; returns the path written."""
        return self.save(path, "pdf", variant, lang, digits, detail, derive, form)[-1]

    def save(
        self,
        path: str | Path,
        format: str | None = None,
        variant: str = "full",
        lang: str = DEFAULT_LANGUAGE,
        digits: int = DEFAULT_DIGITS,
        detail: str = "standard",
        derive: Sequence[str] | None = None,
        form: str = "scalar",
    ) -> tuple[Path, ...]:
        """Write the handout to `path` in `format` (md, tex, html, pdf; by default the one of the file's suffix).

        Markdown writes the network figure beside the file (notes.md → notes.network.svg). Returns the files written.
        """
        from bptutor.handout.outputs import format_of_path, output_format

        target = Path(path)
        chosen = output_format(format) if format is not None else format_of_path(target)
        return chosen.write(self.handout(variant, lang, digits, detail, derive, form), target)

    def _text(self, format: str, handout: Handout) -> str:
        """The handout as the text of one output format (with its figure embedded, not beside it)."""
        from bptutor.handout.outputs import output_format

        text, _ = output_format(format).text(handout)
        return text

    # Jupyter's rich display: the worked solution itself
    def _repr_html_(self) -> str:
        return self._fragment

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_latex_(self) -> str:
        """The whole worked solution as LaTeX to place in a document (what `nbconvert --to latex` copies):
        `to_latex()`'s body with the title as a heading and, instead of the TikZ figure, a note."""
        from bptutor.handout.formats import latex_body

        return latex_body(self.handout())

    @cached_property
    def _fragment(self) -> str:
        from bptutor.handout.formats import html_fragment

        return html_fragment(self.handout())


@dataclass(frozen=True, repr=False)
class Explanation:
    """The derivation of one gradient: `text()` as the terminal shows it, rich display in Jupyter."""

    explanation: Derivation

    def __repr__(self) -> str:
        """One line: `<Explanation ∂E_total/∂w5 in two_two_two = 0.08182>`."""
        derivation = self.explanation
        scenario = derivation.graph.scenario.name
        return f"<Explanation ∂{derivation.loss}/∂{derivation.asked} in {scenario} = {self.gradient:.4g}>"

    def text(self, lang: str = DEFAULT_LANGUAGE, digits: int = DEFAULT_DIGITS) -> str:
        """The derivation as plain text, 100 columns wide; only returned, never displayed (also in Jupyter)."""
        from bptutor.render.explain import render_explanation
        from bptutor.render.style import Style
        from bptutor.render.terminal import string_console

        console, written = string_console(width=100)
        console.print(render_explanation(self.explanation, Style(digits=digits, lang=lang)))
        return "\n".join(line.rstrip() for line in written.getvalue().splitlines()) + "\n"

    @property
    def gradient(self) -> float:
        return float(self.explanation.gradient) if self.explanation.gradient is not None else float("nan")

    def __str__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        return "```text\n" + self.text() + "```\n"

    def _repr_html_(self) -> str:
        from html import escape

        return "<pre>" + escape(self.text()) + "</pre>"


@dataclass(frozen=True, repr=False)
class LayerExplanation:
    """The derivation of a whole layer's matrix (W^(l), δ^(l), ∂E/∂W^(l) or ∂E/∂b^(l)) by the four equations in
    matrix form: `text()` as `bptutor explain NAME --form matrix` prints it, `matrix` its entries."""

    run: Run
    symbol: str  # W, δ, dW or db
    layer: int  # l, from 1

    def __repr__(self) -> str:
        """One line: `<LayerExplanation dW^(2) in two_two_two, 2×2>`."""
        rows = self.matrix
        size = f"{len(rows)}×{len(rows[0])}"
        return f"<LayerExplanation {self.symbol}^({self.layer}) in {self.run.scenario.name}, {size}>"

    @property
    def matrix(self) -> tuple[tuple[float, ...], ...]:
        """The matrix asked for, rows the layer's neurons: W^(l) or ∂E/∂W^(l) (n_l × n_(l−1)), δ^(l) (n_l × m, a
        column a sample), ∂E/∂b^(l) (n_l × 1)."""
        from bptutor.derive.matrix import matrix_form

        layer = matrix_form(self.run).layer(self.layer)
        chosen = {"W": layer.weights, "dW": layer.weight_gradient, "δ": layer.delta}.get(self.symbol)
        rows = chosen if chosen is not None else tuple((value,) for value in layer.bias_gradient)
        return tuple(tuple(float(value) for value in row) for row in rows)

    def text(self, lang: str = DEFAULT_LANGUAGE, digits: int = DEFAULT_DIGITS) -> str:
        """The derivation as plain text, 100 columns wide; only returned, never displayed (also in Jupyter)."""
        from bptutor.derive.matrix import LayerName, matrix_form
        from bptutor.render.matrix import render_layer_explanation
        from bptutor.render.style import Style
        from bptutor.render.terminal import string_console

        console, written = string_console(width=100)
        asked = LayerName(self.symbol, self.layer)
        console.print(render_layer_explanation(self.run, matrix_form(self.run), asked, Style(digits=digits, lang=lang)))
        return "\n".join(line.rstrip() for line in written.getvalue().splitlines()) + "\n"

    def __str__(self) -> str:
        return self.text()

    def _repr_markdown_(self) -> str:
        return "```text\n" + self.text() + "```\n"

    def _repr_html_(self) -> str:
        from html import escape

        return "<pre>" + escape(self.text()) + "</pre>"


def _in_sample(trace: StepTrace, name: str) -> tuple[SampleTrace, str] | None:
    """For NAME[i] in a batch: sample i's trace and NAME; None for a name without [i] or outside a batch."""
    from bptutor.render.explain import SAMPLE_SUFFIX

    found = SAMPLE_SUFFIX.match(name.strip())
    if found is None or not trace.samples:
        return None
    number = int(found.group(2))
    if not 1 <= number <= len(trace.samples):
        raise UsageError(Message.of("explain.no_sample", number=number, count=len(trace.samples)))
    return trace.samples[number - 1], found.group(1)


def _form(form: str) -> str:
    """`form` checked: scalar or matrix (a UsageError otherwise)."""
    if form not in ("scalar", "matrix"):
        raise UsageError(Message.of("api.bad_form", form=repr(form)))
    return form


__all__ = ["CircuitSolution", "Explanation", "LayerExplanation", "Solution", "load", "solve"]
