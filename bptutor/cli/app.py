"""The command line: parse options, call the pipeline, hand the result to a renderer.

Heavy imports (sympy, the renderers) happen inside the commands that need them,
so `bptutor --help` and `bptutor run` never load sympy.

Help text is fixed when typer builds the commands, so the app is built for one
language: `build_app(lang)`. `main()` picks it from `--lang` on the command line,
else from the environment (LC_ALL, LC_MESSAGES, LANG). `app` is the English app.
"""

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional, TypedDict, TypeVar

import typer

from bptutor import __version__
from bptutor.cli.language import LocalizedCommand, command_classes
from bptutor.core.scenario import ACTIVATIONS, LOSSES
from bptutor.errors import (
    EXIT_BAD_SCENARIO,
    EXIT_USAGE,
    DivergenceError,
    ScenarioError,
    UsageError,
)
from bptutor.i18n import DEFAULT_LANGUAGE, LANGUAGES, detect_language, message
from bptutor.render.terminal import fallback_encoding, use_utf8_when_redirected

if TYPE_CHECKING:
    from bptutor.core.circuit import ExpressionScenario
    from bptutor.core.scenario import Scenario
    from bptutor.core.trace import Run
    from bptutor.render.style import Style

EXIT_DIVERGED = 4
EXIT_WRONG = 1  # check: a given value is wrong


class Section(str, Enum):
    forward = "forward"
    backward = "backward"
    update = "update"


class OutputFormat(str, Enum):
    rich = "rich"
    json = "json"


# Choices for typer, built from the tables so that they cannot drift; mypy cannot see their members.
Language = Enum("Language", [(code, code) for code in LANGUAGES], type=str)  # type: ignore[misc]  # members read from a table at run time
Activation = Enum("Activation", [(name, name) for name in ACTIVATIONS], type=str)  # type: ignore[misc]  # members read from a table at run time
Loss = Enum("Loss", [(name, name) for name in LOSSES], type=str)  # type: ignore[misc]  # members read from a table at run time
_SIGMOID = Activation("sigmoid")  # the defaults of `generate`, looked up by value
_HALF_SSE = Loss("half_sse")


def _print(renderable: object) -> None:
    """Print a rich renderable to stdout, without the trailing blanks tables pad lines with."""
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    with console.capture() as captured:
        console.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().split("\n"))
    sys.stdout.write(text)


def _fail(text: str, code: int) -> NoReturn:
    sys.stderr.write(f"bptutor: {text}\n")
    raise typer.Exit(code)


def _style(digits: int, ascii_only: bool, lang: str) -> "Style":
    """How to print on this stdout: ASCII spellings for what a narrow terminal cannot show."""
    from bptutor.render.style import Style

    return Style(digits=digits, ascii=ascii_only, lang=lang, encoding=fallback_encoding(sys.stdout))


def load_any(reference: str, lang: str = DEFAULT_LANGUAGE) -> "Scenario | ExpressionScenario":
    """A layered or an expression scenario, from a file path or a built-in name; errors exit 3."""
    from bptutor.loading.builtin import builtin_names, builtin_path
    from bptutor.loading.document import load_document

    path = Path(reference)
    if not path.exists():
        builtin = builtin_path(reference)
        if builtin is None:
            names = ", ".join(builtin_names()) or message("cli.no_builtins", lang)
            _fail(message("cli.no_scenario", lang, reference=reference, names=names), EXIT_BAD_SCENARIO)
        path = builtin
    try:
        return load_document(path)
    except ScenarioError as error:
        _fail(error.render(lang), EXIT_BAD_SCENARIO)


def load(reference: str, lang: str = DEFAULT_LANGUAGE) -> "Scenario":
    """A layered scenario from a file path, else from a built-in name; errors become messages and exit 3.

    An expression scenario is refused with exit 2: the command needs layers.
    """
    from bptutor.core.scenario import Scenario

    loaded = load_any(reference, lang)
    if not isinstance(loaded, Scenario):
        _fail(message("expression.layered_only", lang, scenario=reference), EXIT_USAGE)
    return loaded


@contextmanager
def _reported(source: str, lang: str, usage: bool = False) -> Iterator[None]:
    """Turn the pipeline's errors into one line and an exit code: 4 overflow, 3 bad scenario, 2 (when asked) usage."""
    try:
        yield
    except DivergenceError as error:
        _fail(f"{source}: {error.render(lang)}", EXIT_DIVERGED)
    except ScenarioError as error:
        _fail(error.render(lang), EXIT_BAD_SCENARIO)
    except UsageError as error:
        if not usage:
            raise
        _fail(error.render(lang), EXIT_USAGE)


def by_hand(loaded: "Scenario", command: str, lang: str) -> "Scenario":
    """The scenario, when `command` can work it by hand (one example, gradient descent, a classic loss); else exit 2."""
    if not loaded.is_classic:
        _fail(message("cli.not_by_hand", lang, command=command, source=loaded.source), EXIT_USAGE)
    return loaded


def traced(reference: "str | Scenario", steps: int, lang: str, command: str = "") -> "Run":
    """Load a scenario (unless given one) and trace `steps` steps; overflow exits 4, one the graph refuses exits 3."""
    from bptutor.core.trace import run as trace_run

    loaded = load(reference, lang) if isinstance(reference, str) else reference
    if command:
        by_hand(loaded, command, lang)
    with _reported(loaded.source, lang):
        result = trace_run(loaded, steps)
    return result


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"bptutor {__version__}\n")
        raise typer.Exit()


# ── what the commands do, in any language ─────────────────────────────────────


def run_command(
    scenario: str,
    steps: int,
    output: OutputFormat,
    digits: int,
    every: int,
    ascii_only: bool,
    lang: str,
    view: tuple[bool, bool, int] = (False, False, 10),
) -> None:
    full, summary, top = view
    if full and summary:
        _fail(message("usage.full_and_summary", lang), EXIT_USAGE)
    from bptutor.core.scenario import Scenario

    loaded = load_any(scenario, lang)
    if not isinstance(loaded, Scenario):
        if steps != 1 or every != 1:
            _fail(message("expression.no_steps", lang), EXIT_USAGE)
        run_circuit_command(loaded, output, digits, ascii_only, lang)
        return
    result = traced(loaded, steps, lang)
    if output is OutputFormat.json:
        from bptutor.render.json import render_json

        sys.stdout.write(render_json(result, every))
        return
    from bptutor.core.summary import uses_summary

    if uses_summary(result, full, summary):
        from bptutor.render.summary import render_summary

        _print(render_summary(result, _style(digits, ascii_only, lang), top or len(result.scenario.parameters)))
        return
    from bptutor.render.run import render_run

    _print(render_run(result, _style(digits, ascii_only, lang)))


def run_circuit_command(
    loaded: "ExpressionScenario", output: OutputFormat, digits: int, ascii_only: bool, lang: str
) -> None:
    """`run` on an expression scenario: the gates forward, every edge backward, the sums at forks."""
    from bptutor.core.circuit import run as run_circuit

    with _reported(loaded.source, lang):
        result = run_circuit(loaded)
    if output is OutputFormat.json:
        from bptutor.render.circuit import render_circuit_json

        sys.stdout.write(render_circuit_json(result))
        return
    from bptutor.render.circuit import render_circuit_run

    _print(render_circuit_run(result, _style(digits, ascii_only, lang)))


def explain_circuit_command(name: str, loaded: "ExpressionScenario", digits: int, ascii_only: bool, lang: str) -> None:
    """`explain NAME` on an expression scenario: ∂f/∂NAME along every path, and sympy's check."""
    from bptutor.derive.circuit import explain_circuit
    from bptutor.render.circuit import render_circuit_explanation

    with _reported(loaded.source, lang, usage=True):
        explanation = explain_circuit(loaded, name)
    _print(render_circuit_explanation(explanation, _style(digits, ascii_only, lang)))


def sensitivity_command(
    scenario: str, top: int, output: OutputFormat, digits: int, ascii_only: bool, lang: str
) -> None:
    from bptutor.render.summary import render_sensitivity, sensitivity_json

    result = traced(scenario, 1, lang)
    count = top or None
    if output is OutputFormat.json:
        sys.stdout.write(sensitivity_json(result, count))
        return
    _print(render_sensitivity(result, _style(digits, ascii_only, lang), count))


def explain_command(name: str, scenario: str, digits: int, ascii_only: bool, lang: str) -> None:
    from bptutor.core.scenario import Scenario

    document = load_any(scenario, lang)
    if not isinstance(document, Scenario):
        explain_circuit_command(name, document, digits, ascii_only, lang)
        return
    from bptutor.derive.explain import explain as derive
    from bptutor.render.explain import render_explanation

    loaded = by_hand(document, "explain", lang)
    with _reported(loaded.source, lang, usage=True):
        explanation = derive(loaded, name)
    _print(render_explanation(explanation, _style(digits, ascii_only, lang)))


class HandoutFormat(str, Enum):
    md = "md"
    tex = "tex"
    html = "html"
    pdf = "pdf"


def solve_command(
    scenario: str,
    output_format: HandoutFormat,
    output: Path | None,
    answers_only: bool,
    worksheet: bool,
    steps: int,
    digits: int,
    lang: str,
) -> None:
    if answers_only and worksheet:
        _fail(message("usage.answers_and_worksheet", lang), EXIT_USAGE)
    from bptutor.handout.document import build_handout
    from bptutor.handout.formats import figure_svg, to_html, to_latex, to_markdown

    result = traced(scenario, steps, lang, "solve")
    variant = "answers" if answers_only else "worksheet" if worksheet else "full"
    try:
        handout = build_handout(result, lang, variant, digits)
    except UsageError as error:
        _fail(f"{result.scenario.source}: {error.render(lang)}", EXIT_USAGE)
    if output_format is HandoutFormat.pdf:
        from bptutor.errors import EXIT_EXTERNAL_PROGRAM, ExternalProgramError
        from bptutor.handout.browser import html_to_pdf

        target = output or Path(f"{result.scenario.name}.pdf")
        try:
            html_to_pdf(to_html(handout), target)
        except ExternalProgramError as error:
            _fail(error.render(lang), EXIT_EXTERNAL_PROGRAM)
        sys.stderr.write(f"bptutor: {message('solve.wrote', lang, file=target)}\n")
        return
    if output_format is HandoutFormat.md:
        link = None
        if output is not None:
            svg = figure_svg(handout)
            if svg is not None:
                picture = output.with_name(output.stem + ".network.svg")
                _write_file(picture, svg, lang)
                link = picture.name
        text = to_markdown(handout, link)
    elif output_format is HandoutFormat.tex:
        text = to_latex(handout)
    else:
        text = to_html(handout)
    if output is None:
        sys.stdout.write(text)
    else:
        _write_file(output, text, lang)


GENERATE_FORMATS = ("md", "tex", "html", "moodle", "gift")
HANDOUT_SUFFIXES = {"md": "md", "tex": "tex", "html": "html"}


def _choices(option: str, values: Sequence[str], allowed: Sequence[str], lang: str) -> list[str]:
    """Values given repeatedly or comma-separated, each checked, in the order of `allowed`, once each."""
    chosen = set()
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part not in allowed:
                choices = ", ".join(allowed)
                _fail(message("generate.bad_choice", lang, option=option, value=part, choices=choices), EXIT_USAGE)
            chosen.add(part)
    return [value for value in allowed if value in chosen]


def generate_command(
    shape: str,
    count: int,
    seed: int,
    activation: str,
    output_activation: str,
    loss: str,
    decimals: int,
    exact: bool,
    rate: float,
    formats: Sequence[str],
    ask: str,
    output: Path,
    lang: str,
) -> None:
    from decimal import Decimal

    from bptutor.handout.moodle import KINDS
    from bptutor.teach.generate import Options, generate, parse_shape

    chosen_formats = _choices("--format", formats, GENERATE_FORMATS, lang)
    kinds = _choices("--ask", [ask], KINDS, lang)
    try:
        widths = parse_shape(shape)
        exact_rate = Decimal(repr(rate))
        options = Options(widths, count, seed, activation, output_activation, loss, decimals, exact, exact_rate)
        exercises = generate(options, lang)
    except UsageError as error:
        _fail(error.render(lang), EXIT_USAGE)
    from bptutor.core.trace import run as trace_run
    from bptutor.handout.document import build_handout
    from bptutor.handout.formats import figure_svg, to_html, to_latex, to_markdown
    from bptutor.handout.moodle import category_path, exercise_questions, to_gift, to_moodle_xml

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"{output}: {error.strerror or error}", EXIT_USAGE)
    bank = message("generate.category", lang, shape=options.shape_text(), seed=seed)
    questions = []
    for exercise in exercises:
        written = [f"{exercise.name}.yaml"]
        _write_file(output / written[0], exercise.text, lang)
        result = trace_run(exercise.scenario)
        for handout_format in chosen_formats:
            if handout_format not in HANDOUT_SUFFIXES:
                continue
            suffix = HANDOUT_SUFFIXES[handout_format]
            for variant, label in (("full", "solution"), ("answers", "answers")):
                handout = build_handout(result, lang, variant)
                name = f"{exercise.name}.{label}.{suffix}"
                if handout_format == "md":
                    link = None
                    svg = figure_svg(handout)
                    if svg is not None:
                        link = f"{exercise.name}.network.svg"
                        _write_file(output / link, svg, lang)
                        written.append(link)
                    text = to_markdown(handout, link)
                elif handout_format == "tex":
                    text = to_latex(handout)
                else:
                    text = to_html(handout)
                _write_file(output / name, text, lang)
                written.append(name)
        if "moodle" in chosen_formats or "gift" in chosen_formats:
            category = category_path(bank, exercise.name)
            questions += exercise_questions(result, category, kinds, decimals, not exact, lang)
        sys.stdout.write(f"{exercise.name}: {', '.join(written)}\n")
    shown_shape = options.shape_text()
    comment = message(
        "generate.bank_comment", lang, questions=len(questions), count=len(exercises), shape=shown_shape, seed=seed
    )
    banks = (("moodle", "bank.moodle.xml", to_moodle_xml), ("gift", "bank.gift.txt", to_gift))
    for bank_format, file, printer in banks:
        if bank_format in chosen_formats:
            _write_file(output / file, printer(questions, comment), lang)
            sys.stdout.write(message("generate.wrote_bank", lang, file=file, questions=len(questions)) + "\n")
    sys.stdout.write(message("generate.wrote", lang, count=len(exercises), directory=output) + "\n")


def _write_file(path: Path, text: str, lang: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        _fail(f"{path}: {error.strerror or error}", EXIT_USAGE)


def validate_command(files: list[Path], lang: str) -> None:
    from bptutor.core.circuit import run as run_circuit
    from bptutor.core.graph import build
    from bptutor.core.scenario import Scenario
    from bptutor.loading.document import load_document

    bad = 0
    for file in files:
        try:
            document = load_document(file)
            if not isinstance(document, Scenario):
                run_circuit(document)  # a value outside an operation's domain is a bad scenario too
            else:
                build(document)
        except DivergenceError as error:
            sys.stderr.write(f"bptutor: {file}: {error.render(lang)}\n")
            bad += 1
            continue
        except ScenarioError as error:
            sys.stderr.write(f"bptutor: {error.render(lang)}\n")
            bad += 1
            continue
        sys.stdout.write(message("cli.valid", lang, file=file) + "\n")
    if bad:
        raise typer.Exit(EXIT_BAD_SCENARIO)


def list_command(lang: str) -> None:
    from bptutor.loading.builtin import builtin_names, builtin_path
    from bptutor.loading.document import load_document

    names = builtin_names()
    width = max((len(name) for name in names), default=0) + 2
    for name in names:
        path = builtin_path(name)
        assert path is not None
        title = load_document(path).title_in(lang)
        sys.stdout.write(f"{name:<{width}}{title}\n")


def check_command(
    scenario: str, answers: Path, output: OutputFormat, tolerance: str | None, diagnose: bool, lang: str
) -> None:
    from bptutor.teach.answers import load_answers
    from bptutor.teach.check import check
    from bptutor.teach.grading import Judge, Tolerance
    from bptutor.teach.solution import WorkedSteps

    allowed = None
    if tolerance is not None:
        allowed = Tolerance.parse(tolerance)
        if allowed is None:
            _fail(message("cli.bad_tolerance", lang, value=tolerance), EXIT_USAGE)
    loaded = by_hand(load(scenario, lang), "check", lang)
    try:
        claims = load_answers(answers, WorkedSteps(loaded)).claims
    except ScenarioError as error:
        _fail(error.render(lang), EXIT_BAD_SCENARIO)
    method = loaded.rounding.method if loaded.rounding else "half_up"
    report = check(loaded, claims, str(answers), Judge(method, allowed), diagnose)
    if output is OutputFormat.json:
        from bptutor.render.check import render_check_json

        sys.stdout.write(render_check_json(report))
    else:
        from bptutor.render.check import render_check

        digits = max([10, *(len(claim.value.as_tuple().digits) for claim in claims)])
        _print(render_check(report, _style(min(digits, 17), False, lang)))
    if not report.all_right:
        raise typer.Exit(EXIT_WRONG)


def quiz_command(scenario: str, section: Optional["Section"], lang: str) -> None:
    from bptutor.cli.quiz import Quiz

    loaded = by_hand(load(scenario, lang), "quiz", lang)
    sections = (section.value,) if section is not None else None
    quiz = Quiz(loaded, _style(10, False, lang), sections)
    quiz.run(sys.stdin.readline, _write, echo=not sys.stdin.isatty())


class GraphFormat(str, Enum):
    text = "text"
    dot = "dot"
    mermaid = "mermaid"
    svg = "svg"
    png = "png"


def graph_command(
    scenario: str, output_format: GraphFormat, output: Path | None, digits: int, ascii_only: bool, lang: str
) -> None:
    """The computational graph: text, DOT or Mermaid to stdout or FILE; SVG or PNG (by Graphviz) to a file."""
    from bptutor.core.circuit import run as run_circuit
    from bptutor.core.scenario import Scenario
    from bptutor.core.trace import run as trace_run
    from bptutor.errors import EXIT_EXTERNAL_PROGRAM, ExternalProgramError
    from bptutor.render.graph import (
        render_picture_text,
        render_with_dot,
        to_dot,
        to_mermaid,
    )
    from bptutor.render.picture import picture_from_circuit, picture_from_run

    document = load_any(scenario, lang)
    if isinstance(document, Scenario):
        by_hand(document, "graph", lang)  # a picture of one example's graph, not of a training run
    with _reported(document.source, lang):
        if not isinstance(document, Scenario):
            picture = picture_from_circuit(run_circuit(document), document.title_in(lang))
        else:
            picture = picture_from_run(trace_run(document), document.title_in(lang))
    if output_format is GraphFormat.text:
        if output is None:
            _print(render_picture_text(picture, _style(digits, ascii_only, lang)))
            return
        from rich.console import Console

        console = Console(width=120, highlight=False, soft_wrap=True, color_system=None)
        with console.capture() as captured:
            console.print(render_picture_text(picture, _style(digits, ascii_only, lang)))
        _write_file(output, "\n".join(line.rstrip() for line in captured.get().split("\n")), lang)
        return
    if output_format in (GraphFormat.dot, GraphFormat.mermaid):
        printer = to_dot if output_format is GraphFormat.dot else to_mermaid
        text = printer(picture, digits, lang)
        if output is None:
            sys.stdout.write(text)
        else:
            _write_file(output, text, lang)
        return
    target = output or Path(f"{picture.scenario}.{output_format.value}")
    try:
        picture_bytes = render_with_dot(to_dot(picture, digits, lang), output_format.value)
    except ExternalProgramError as error:
        _fail(error.render(lang), EXIT_EXTERNAL_PROGRAM)
    try:
        target.write_bytes(picture_bytes)
    except OSError as error:
        _fail(f"{target}: {error.strerror or error}", EXIT_USAGE)
    sys.stderr.write(f"bptutor: {message('solve.wrote', lang, file=target)}\n")


def train_command(
    scenario: str,
    steps: int | None,
    epochs: int | None,
    output: OutputFormat,
    plot: Path | None,
    digits: int,
    ascii_only: bool,
    lang: str,
) -> None:
    """Train on the vectorised path: a progress bar on stderr, then the loss curve, accuracy and parameters."""
    from bptutor.errors import EXIT_EXTERNAL_PROGRAM, ExternalProgramError
    from bptutor.train.loop import train

    if steps is not None and epochs is not None:
        _fail(message("usage.steps_and_epochs", lang), EXIT_USAGE)
    loaded = load(scenario, lang)
    if not isinstance(loaded.loss, str) or any(not isinstance(layer.activation, str) for layer in loaded.layers):
        # the vectorised path knows the built-ins only
        _fail(f"{loaded.source}: {message('custom.not_for_training', lang)}", EXIT_USAGE)
    with _reported(loaded.source, lang):
        result = _with_progress(lambda progress: train(loaded, steps, epochs, progress), lang)
    if plot is not None:
        from bptutor.render.plot_png import save_plot

        try:
            save_plot(result, plot, lang)
        except ExternalProgramError as error:
            _fail(error.render(lang), EXIT_EXTERNAL_PROGRAM)
        except OSError as error:
            _fail(f"{plot}: {error.strerror or error}", EXIT_USAGE)
    if output is OutputFormat.json:
        from bptutor.render.train import render_training_json

        sys.stdout.write(render_training_json(result))
        return
    from bptutor.render.train import render_training

    _print(render_training(result, _style(digits, ascii_only, lang)))


_Done = TypeVar("_Done")


def _with_progress(work: Callable[[Callable[[int, int], None] | None], _Done], lang: str) -> _Done:
    """Run work(progress) with a progress bar on stderr when it is a terminal; the bar is gone when done."""
    if not sys.stderr.isatty():
        return work(None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn(message("train.progress", lang)), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return work(progress)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _language(ctx: typer.Context, own: Enum | None, app_language: str) -> str:
    """The command's own --lang, else the one given before the command, else the app's language."""
    for chosen in (own, ctx.find_root().params.get("lang")):
        if chosen is not None:
            return str(getattr(chosen, "value", chosen))  # an Enum member, or click's plain text
    return app_language


# ── the app, in one language ──────────────────────────────────────────────────


class _CommandOptions(TypedDict):
    """What every command of one app is declared with."""

    cls: type[LocalizedCommand]
    options_metavar: str


def build_app(lang: str) -> typer.Typer:
    """The command line with every help text in `lang` (and output in `lang` unless --lang says otherwise)."""

    def say(key: str) -> str:
        return message(key, lang)

    group_class, command_class = command_classes(lang)
    app = typer.Typer(
        name="bptutor",
        cls=group_class,
        help=say("help.app"),
        options_metavar=say("click.options_metavar"),
        subcommand_metavar=say("click.subcommand_metavar"),
        rich_markup_mode=None,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    command = _CommandOptions(cls=command_class, options_metavar=say("click.options_metavar"))

    ScenarioArgument = Annotated[
        str, typer.Argument(metavar="SCENARIO", help=say("help.scenario"), show_default=False)
    ]
    DigitsOption = Annotated[int, typer.Option("--digits", min=1, max=17, metavar="N", help=say("help.digits"))]
    AsciiOption = Annotated[bool, typer.Option("--ascii", help=say("help.ascii"))]
    LanguageOption = Annotated[Language | None, typer.Option("--lang", help=say("help.lang"), show_default=False)]
    TopOption = Annotated[int, typer.Option("--top", min=0, max=200_000, metavar="K", help=say("help.top"))]

    @app.callback()
    def main_options(
        version: Annotated[
            bool | None,
            typer.Option("--version", callback=_version, is_eager=True, help=say("help.version")),
        ] = None,
        lang: LanguageOption = None,
    ) -> None:
        pass

    @app.command(help=say("help.run"), short_help=say("help.run.short"), **command)
    def run(
        ctx: typer.Context,
        scenario: ScenarioArgument,
        steps: Annotated[int, typer.Option("--steps", min=1, max=100_000, metavar="N", help=say("help.steps"))] = 1,
        output: Annotated[OutputFormat, typer.Option("--format", help=say("help.format"))] = OutputFormat.rich,
        digits: DigitsOption = 10,
        every: Annotated[int, typer.Option("--every", min=1, metavar="K", help=say("help.every"))] = 1,
        ascii_only: AsciiOption = False,
        language: LanguageOption = None,
        full: Annotated[bool, typer.Option("--full", help=say("help.full"))] = False,
        summary: Annotated[bool, typer.Option("--summary", help=say("help.summary"))] = False,
        top: TopOption = 10,
    ) -> None:
        chosen = _language(ctx, language, lang)
        run_command(scenario, steps, output, digits, every, ascii_only, chosen, (full, summary, top))

    @app.command(help=say("help.sensitivity"), short_help=say("help.sensitivity.short"), **command)
    def sensitivity(
        ctx: typer.Context,
        scenario: ScenarioArgument,
        top: TopOption = 10,
        output: Annotated[OutputFormat, typer.Option("--format", help=say("help.format"))] = OutputFormat.rich,
        digits: DigitsOption = 10,
        ascii_only: AsciiOption = False,
        language: LanguageOption = None,
    ) -> None:
        sensitivity_command(scenario, top, output, digits, ascii_only, _language(ctx, language, lang))

    @app.command(help=say("help.explain"), short_help=say("help.explain.short"), **command)
    def explain(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(metavar="NAME", help=say("help.name"), show_default=False)],
        scenario: Annotated[
            str, typer.Option("--scenario", "-s", metavar="SCENARIO", help=say("help.explain_scenario"))
        ] = "two_two_two",
        digits: DigitsOption = 10,
        ascii_only: AsciiOption = False,
        language: LanguageOption = None,
    ) -> None:
        explain_command(name, scenario, digits, ascii_only, _language(ctx, language, lang))

    @app.command(help=say("help.solve"), short_help=say("help.solve.short"), **command)
    def solve(
        ctx: typer.Context,
        scenario: ScenarioArgument,
        output_format: Annotated[
            HandoutFormat, typer.Option("--format", help=say("help.solve_format"))
        ] = HandoutFormat.md,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", metavar="FILE", help=say("help.output"), show_default=False)
        ] = None,
        answers_only: Annotated[bool, typer.Option("--answers-only", help=say("help.answers_only"))] = False,
        worksheet: Annotated[bool, typer.Option("--worksheet", help=say("help.worksheet"))] = False,
        steps: Annotated[
            int, typer.Option("--steps", min=1, max=100_000, metavar="N", help=say("help.solve_steps"))
        ] = 1,
        digits: DigitsOption = 10,
        language: LanguageOption = None,
    ) -> None:
        chosen = _language(ctx, language, lang)
        solve_command(scenario, output_format, output, answers_only, worksheet, steps, digits, chosen)

    @app.command(help=say("help.generate"), short_help=say("help.generate.short"), **command)
    def generate(
        ctx: typer.Context,
        output: Annotated[
            Path, typer.Option("--output", "-o", metavar="DIR", help=say("help.generate_output"), show_default=False)
        ],
        shape: Annotated[str, typer.Option("--shape", metavar="SHAPE", help=say("help.shape"))] = "2-2-2",
        count: Annotated[int, typer.Option("--count", min=1, max=200, metavar="N", help=say("help.count"))] = 20,
        seed: Annotated[int, typer.Option("--seed", min=0, metavar="S", help=say("help.seed"))] = 1,
        activation: Annotated[Activation, typer.Option("--activation", help=say("help.activation"))] = _SIGMOID,
        output_activation: Annotated[
            Activation, typer.Option("--output-activation", help=say("help.output_activation"))
        ] = _SIGMOID,
        loss: Annotated[Loss, typer.Option("--loss", help=say("help.loss"))] = _HALF_SSE,
        decimals: Annotated[int, typer.Option("--decimals", min=1, max=8, metavar="D", help=say("help.decimals"))] = 4,
        exact: Annotated[bool, typer.Option("--exact", help=say("help.exact"))] = False,
        rate: Annotated[float, typer.Option("--rate", min=0.001, max=10.0, metavar="ETA", help=say("help.rate"))] = 0.5,
        formats: Annotated[
            list[str], typer.Option("--format", metavar="FORMAT", help=say("help.generate_format"))
        ] = ["md"],  # noqa: B006 (typer reads the default, never mutates it)
        ask: Annotated[
            str, typer.Option("--ask", metavar="KINDS", help=say("help.ask"))
        ] = "outputs,loss,gradients,updates",
        language: LanguageOption = None,
    ) -> None:
        chosen = _language(ctx, language, lang)
        generate_command(
            shape, count, seed, activation.value, output_activation.value, loss.value,
            decimals, exact, rate, formats, ask, output, chosen,
        )

    @app.command(help=say("help.validate"), short_help=say("help.validate.short"), **command)
    def validate(
        ctx: typer.Context,
        files: Annotated[list[Path], typer.Argument(metavar="FILE...", help=say("help.files"), show_default=False)],
        language: LanguageOption = None,
    ) -> None:
        validate_command(files, _language(ctx, language, lang))

    @app.command(help=say("help.check"), short_help=say("help.check.short"), **command)
    def check(
        ctx: typer.Context,
        scenario: ScenarioArgument,
        answers: Annotated[
            Path, typer.Argument(metavar="ANSWERS.yaml", help=say("help.answers"), show_default=False)
        ],
        output: Annotated[OutputFormat, typer.Option("--format", help=say("help.format"))] = OutputFormat.rich,
        tolerance: Annotated[
            str | None, typer.Option("--tolerance", metavar="X", help=say("help.tolerance"), show_default=False)
        ] = None,
        no_diagnosis: Annotated[bool, typer.Option("--no-diagnosis", help=say("help.no_diagnosis"))] = False,
        language: LanguageOption = None,
    ) -> None:
        check_command(scenario, answers, output, tolerance, not no_diagnosis, _language(ctx, language, lang))

    @app.command(help=say("help.quiz"), short_help=say("help.quiz.short"), **command)
    def quiz(
        ctx: typer.Context,
        scenario: ScenarioArgument,
        section: Annotated[
            Section | None, typer.Option("--section", help=say("help.section"), show_default=False)
        ] = None,
        language: LanguageOption = None,
    ) -> None:
        quiz_command(scenario, section, _language(ctx, language, lang))

    @app.command(help=say("help.graph"), short_help=say("help.graph.short"), **command)
    def graph(
        ctx: typer.Context,
        scenario: ScenarioArgument,
        output_format: Annotated[
            GraphFormat, typer.Option("--format", help=say("help.graph_format"))
        ] = GraphFormat.text,
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", metavar="FILE", help=say("help.graph_output"), show_default=False),
        ] = None,
        digits: Annotated[int, typer.Option("--digits", min=1, max=17, metavar="N", help=say("help.graph_digits"))] = 4,
        ascii_only: AsciiOption = False,
        language: LanguageOption = None,
    ) -> None:
        graph_command(scenario, output_format, output, digits, ascii_only, _language(ctx, language, lang))

    @app.command(help=say("help.train"), short_help=say("help.train.short"), **command)
    def train(
        ctx: typer.Context,
        scenario: ScenarioArgument,
        steps: Annotated[
            int | None,
            typer.Option(
                "--steps", min=1, max=10_000_000, metavar="N", help=say("help.train_steps"), show_default=False
            ),
        ] = None,
        epochs: Annotated[
            int | None,
            typer.Option(
                "--epochs", min=1, max=10_000_000, metavar="N", help=say("help.train_epochs"), show_default=False
            ),
        ] = None,
        output: Annotated[OutputFormat, typer.Option("--format", help=say("help.train_format"))] = OutputFormat.rich,
        plot: Annotated[
            Path | None, typer.Option("--plot", metavar="FILE.png", help=say("help.train_plot"), show_default=False)
        ] = None,
        digits: DigitsOption = 10,
        ascii_only: AsciiOption = False,
        language: LanguageOption = None,
    ) -> None:
        train_command(scenario, steps, epochs, output, plot, digits, ascii_only, _language(ctx, language, lang))

    @app.command(name="list", help=say("help.list"), short_help=say("help.list.short"), **command)
    def list_builtins(ctx: typer.Context, language: LanguageOption = None) -> None:
        list_command(_language(ctx, language, lang))

    return app


def language_in_arguments(arguments: Sequence[str]) -> str | None:
    """The language asked for by `--lang X` or `--lang=X` (the last one wins), if it is one we have."""
    chosen = None
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument == "--lang" and index + 1 < len(arguments):
            chosen = arguments[index + 1]
        elif argument.startswith("--lang="):
            chosen = argument.partition("=")[2]
    return chosen if chosen in LANGUAGES else None


def choose_language(arguments: Sequence[str], environ: Mapping[str, str]) -> str:
    """--lang on the command line, else what the environment asks for."""
    return language_in_arguments(arguments) or detect_language(environ)


app = build_app(DEFAULT_LANGUAGE)


def main() -> None:
    """Console entry point: the app in the chosen language, writing UTF-8 unless on a terminal."""
    use_utf8_when_redirected(sys.stdout)
    use_utf8_when_redirected(sys.stderr)
    lang = choose_language(sys.argv[1:], os.environ)
    chosen = app if lang == DEFAULT_LANGUAGE else build_app(lang)
    try:
        chosen(prog_name="bptutor")
    except KeyboardInterrupt:
        sys.stderr.write(f"bptutor: {message('cli.interrupted', lang)}\n")
        sys.exit(130)


__all__ = ["EXIT_USAGE", "app", "build_app", "choose_language", "language_in_arguments", "main"]
