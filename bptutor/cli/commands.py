"""Every command of the command line, each declared once: its options (help as catalog keys) and what it does.

`COMMANDS` lists them in the order of `bptutor --help`; `bptutor.cli.app` registers
each in the app's language. A new command is one function here and its entry in
`COMMANDS` (with `help.NAME` and `help.NAME.short` in the catalog).

Heavy imports (sympy, the renderers) happen inside the commands that need them,
so `bptutor --help` and `bptutor run` never load sympy.
"""

import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bptutor.cli.options import (
    DEFAULT_ACTIVATION,
    DEFAULT_HANDOUT_FORMAT,
    DEFAULT_LOSS,
    DEFAULT_OUTPUT_ACTIVATION,
    Activation,
    AsciiOption,
    CheckFormat,
    Detail,
    DigitsOption,
    Form,
    FormatOption,
    FormOption,
    GraphFormat,
    HandoutFormat,
    LanguageOption,
    Loss,
    OutputActivation,
    OutputFormat,
    ScenarioArgument,
    Section,
    StepOption,
    TopOption,
)
from bptutor.cli.support import (
    by_hand,
    fail,
    input_files,
    language_of,
    load,
    load_any,
    reported,
    show,
    stdin_line,
    style,
    traced,
    with_progress,
    write,
    write_file,
)
from bptutor.errors import (
    EXIT_BAD_SCENARIO,
    EXIT_EXTERNAL_PROGRAM,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    EXIT_WRONG,
    DivergenceError,
    ExternalProgramError,
    ScenarioError,
    UsageError,
)
from bptutor.i18n import message

if TYPE_CHECKING:
    from bptutor.core.circuit import ExpressionScenario
    from bptutor.core.scenario import Scenario
    from bptutor.teach.grading import Judge

# ── run, sensitivity, explain ─────────────────────────────────────────────────


def run(
    ctx: typer.Context,
    scenario: ScenarioArgument,
    steps: Annotated[int, typer.Option("--steps", min=1, max=100_000, metavar="N", help="help.steps")] = 1,
    output: FormatOption = OutputFormat.rich,
    digits: DigitsOption = 10,
    every: Annotated[int, typer.Option("--every", min=1, metavar="K", help="help.every")] = 1,
    ascii_only: AsciiOption = False,
    language: LanguageOption = None,
    full: Annotated[bool, typer.Option("--full", help="help.full")] = False,
    summary: Annotated[bool, typer.Option("--summary", help="help.summary")] = False,
    top: TopOption = 10,
    form: FormOption = Form.scalar,
) -> None:
    """Every step of the forward pass, the backward pass and the update (a summary for a big network)."""
    lang = language_of(ctx, language)
    if full and summary:
        fail(message("usage.full_and_summary", lang), EXIT_USAGE)
    from bptutor.core.scenario import Scenario

    loaded = load_any(scenario, lang)
    if not isinstance(loaded, Scenario):
        if form is Form.matrix:
            fail(message("matrix.expression", lang), EXIT_USAGE)
        if steps != 1 or every != 1:
            fail(message("expression.no_steps", lang), EXIT_USAGE)
        _run_circuit(loaded, output, digits, ascii_only, lang)
        return
    if output is OutputFormat.json:
        from bptutor.render.json import kept_steps, render_json

        result = traced(loaded, steps, lang, kept=frozenset(kept_steps(steps, every)))
        sys.stdout.write(render_json(result, every))
        return
    result = traced(loaded, steps, lang)
    if form is Form.matrix:
        from bptutor.cli.matrix import show_matrix_run

        show_matrix_run(result, style(digits, ascii_only, lang))
        return
    from bptutor.core.summary import uses_summary

    if uses_summary(result, full, summary):
        from bptutor.render.summary import render_summary

        show(render_summary(result, style(digits, ascii_only, lang), top or len(result.scenario.parameters)))
        return
    from bptutor.render.run import render_run

    show(render_run(result, style(digits, ascii_only, lang)))


def _run_circuit(loaded: "ExpressionScenario", output: OutputFormat, digits: int, ascii_only: bool, lang: str) -> None:
    """`run` on an expression scenario: the gates forward, every edge backward, the sums at forks."""
    from bptutor.core.circuit import run as run_circuit

    with reported(loaded.source, lang):
        result = run_circuit(loaded)
    if output is OutputFormat.json:
        from bptutor.render.circuit import render_circuit_json

        sys.stdout.write(render_circuit_json(result))
        return
    from bptutor.render.circuit import render_circuit_run

    show(render_circuit_run(result, style(digits, ascii_only, lang)))


def sensitivity(
    ctx: typer.Context,
    scenario: ScenarioArgument,
    top: TopOption = 10,
    output: FormatOption = OutputFormat.rich,
    digits: DigitsOption = 10,
    ascii_only: AsciiOption = False,
    language: LanguageOption = None,
) -> None:
    """The parameters ranked by |∂E/∂p|."""
    from bptutor.render.summary import render_sensitivity, sensitivity_json

    lang = language_of(ctx, language)
    result = traced(scenario, 1, lang)
    count = top or None
    if output is OutputFormat.json:
        sys.stdout.write(sensitivity_json(result, count))
        return
    show(render_sensitivity(result, style(digits, ascii_only, lang), count))


def explain(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="help.name", show_default=False)],
    scenario: Annotated[
        str, typer.Option("--scenario", "-s", metavar="SCENARIO", help="help.explain_scenario")
    ] = "two_two_two",
    jacobian: Annotated[bool, typer.Option("--jacobian", help="help.jacobian")] = False,
    step: StepOption = 1,
    digits: DigitsOption = 10,
    ascii_only: AsciiOption = False,
    language: LanguageOption = None,
    form: FormOption = Form.scalar,
) -> None:
    """The textbook derivation of ∂E/∂NAME (or ∂f/∂NAME along every path of an expression)."""
    from bptutor.core.scenario import Scenario

    lang = language_of(ctx, language)
    document = load_any(scenario, lang)
    if not isinstance(document, Scenario):
        if form is Form.matrix:
            fail(message("matrix.expression", lang), EXIT_USAGE)
        _explain_circuit(name, document, digits, ascii_only, lang)
        return
    from bptutor.cli.matrix import explain_matrix, is_layer_name

    if form is Form.matrix or is_layer_name(document, name):
        explain_matrix(document, name, style(digits, ascii_only, lang), lang, step)
        return
    from bptutor.core.trace import run as trace_run
    from bptutor.derive.explain import explain as derive
    from bptutor.render.explain import render_explanation

    loaded = by_hand(document, "explain", lang, step)
    with reported(loaded.source, lang, usage=True):
        if not _surely_finite(loaded):
            trace_run(loaded)  # the numbers first: a value outside a domain exits 3 and an overflow 4, as in `run`
        if not loaded.is_single_example:  # a training step: each sample's derivation, then the batch's
            from bptutor.render.explain import render_batch_explanation
            from bptutor.teach.solution import WorkedSteps

            show(render_batch_explanation(WorkedSteps(loaded), name, style(digits, ascii_only, lang), jacobian))
            return
        explanation = derive(loaded, name, jacobian)
    show(render_explanation(explanation, style(digits, ascii_only, lang)))


EXPLAIN_CHECKED_ON_ARRAYS = 1000  # parameters: a larger network's numbers are checked on whole arrays first


def _surely_finite(loaded: "Scenario") -> bool:
    """A large network needs no traced step before `explain` when its step surely stays finite
    (a built-in network checked on whole arrays, in a fraction of the trace's time)."""
    if len(loaded.parameters) <= EXPLAIN_CHECKED_ON_ARRAYS:
        return False
    from bptutor.train.vectorised import surely_finite

    return surely_finite(loaded)


def _explain_circuit(name: str, loaded: "ExpressionScenario", digits: int, ascii_only: bool, lang: str) -> None:
    """`explain NAME` on an expression scenario: ∂f/∂NAME along every path, and sympy's check."""
    from bptutor.core.circuit import run as run_circuit
    from bptutor.derive.circuit import explain_circuit
    from bptutor.render.circuit import render_circuit_explanation

    with reported(loaded.source, lang, usage=True):
        run_circuit(loaded)  # the numbers first, as in `run`
        explanation = explain_circuit(loaded, name)
    show(render_circuit_explanation(explanation, style(digits, ascii_only, lang)))


# ── solve, generate ───────────────────────────────────────────────────────────


def solve(
    ctx: typer.Context,
    scenario: ScenarioArgument,
    output_format: Annotated[
        HandoutFormat, typer.Option("--format", help="help.solve_format")
    ] = DEFAULT_HANDOUT_FORMAT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="help.output", show_default=False)
    ] = None,
    answers_only: Annotated[bool, typer.Option("--answers-only", help="help.answers_only")] = False,
    worksheet: Annotated[bool, typer.Option("--worksheet", help="help.worksheet")] = False,
    interactive: Annotated[bool, typer.Option("--interactive", help="help.interactive")] = False,
    detail: Annotated[Detail, typer.Option("--detail", help="help.detail")] = Detail.standard,
    derive: Annotated[
        str | None, typer.Option("--derive", metavar="NAMES", help="help.derive", show_default=False)
    ] = None,
    steps: Annotated[int, typer.Option("--steps", min=1, max=100_000, metavar="N", help="help.solve_steps")] = 1,
    jacobian: Annotated[bool, typer.Option("--jacobian", help="help.jacobian")] = False,
    step: StepOption = 1,
    digits: DigitsOption = 10,
    language: LanguageOption = None,
    form: FormOption = Form.scalar,
) -> None:
    """The worked solution as a handout, in any format of `bptutor.handout.outputs`."""
    from bptutor.handout.document import build_handout
    from bptutor.handout.outputs import output_format as format_named
    from bptutor.handout.writing import check_target

    lang = language_of(ctx, language)
    if answers_only and worksheet:
        fail(message("usage.answers_and_worksheet", lang), EXIT_USAGE)
    if interactive and output_format.value != "html":
        fail(message("usage.interactive_html", lang, format=output_format.value), EXIT_USAGE)
    if interactive and (answers_only or worksheet or derive is not None or steps != 1 or form is Form.matrix):
        fail(message("usage.interactive_variant", lang), EXIT_USAGE)
    inputs = input_files(scenario)
    if output is not None:
        check_target(output, inputs)  # before the work, not after it
    if interactive:
        _interactive_sheet(scenario, output, inputs, lang, step, jacobian)
        return
    result = traced(by_hand(load(scenario, lang), "solve", lang, step), steps, lang, fused=not jacobian)
    inputs = input_files(scenario, result.scenario)
    variant = "answers" if answers_only else "worksheet" if worksheet else "full"
    try:
        names = None if derive is None else [name.strip() for name in derive.split(",") if name.strip()]
        from bptutor.handout.matrices import matrix_body

        body = matrix_body if form is Form.matrix else None
        handout = build_handout(result, lang, variant, digits, detail.value, names, body)
    except UsageError as error:
        fail(f"{result.scenario.source}: {error.render(lang)}", EXIT_USAGE)
    chosen = format_named(output_format.value)
    if chosen.binary:  # made by a program from the text: always a file
        target = output or Path(f"{result.scenario.name}.{chosen.suffix}")
        try:
            chosen.write(handout, target, inputs)
        except ExternalProgramError as error:
            fail(error.render(lang), EXIT_EXTERNAL_PROGRAM)
        sys.stderr.write(f"bptutor: {message('solve.wrote', lang, file=target)}\n")
        return
    if output is None:
        sys.stdout.write(chosen.text(handout, None)[0])
        return
    for written in chosen.write(handout, output, inputs):
        if written != output:  # a file the user did not name: said, so it is never a surprise
            sys.stderr.write(f"bptutor: {message('output.companion', lang, file=written)}\n")


def _interactive_sheet(
    scenario: str, output: Path | None, inputs: list[str], lang: str, step: int = 1, jacobian: bool = False
) -> None:
    """`solve --format html --interactive`: the worksheet that checks itself, to `output` or stdout.

    With `--jacobian` a fused output δ is asked with its factors (∂E/∂a, each Jacobian entry) first."""
    from bptutor.handout.sheet import sheet_html

    loaded = by_hand(load(scenario, lang), "solve", lang, step)
    try:
        page = sheet_html(loaded, lang, jacobian)
    except UsageError as error:
        fail(f"{loaded.source}: {error.render(lang)}", EXIT_USAGE)
    if output is None:
        sys.stdout.write(page)
        return
    write_file(output, page, lang, input_files(scenario, loaded))
    sys.stderr.write(f"bptutor: {message('solve.wrote', lang, file=output)}\n")


def _choices(option: str, values: Sequence[str], allowed: Sequence[str], lang: str) -> list[str]:
    """Values given repeatedly or comma-separated, each checked, in the order of `allowed`, once each."""
    chosen = set()
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part not in allowed:
                text = message("generate.bad_choice", lang, option=option, value=part, choices=", ".join(allowed))
                fail(text, EXIT_USAGE)
            chosen.add(part)
    return [value for value in allowed if value in chosen]


def generate(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="help.generate_output", show_default=False)
    ],
    shape: Annotated[str, typer.Option("--shape", metavar="SHAPE", help="help.shape")] = "2-2-2",
    count: Annotated[int, typer.Option("--count", min=1, max=200, metavar="N", help="help.count")] = 20,
    seed: Annotated[int, typer.Option("--seed", min=0, metavar="S", help="help.seed")] = 1,
    activation: Annotated[Activation, typer.Option("--activation", help="help.activation")] = DEFAULT_ACTIVATION,
    output_activation: Annotated[
        OutputActivation, typer.Option("--output-activation", help="help.output_activation")
    ] = DEFAULT_OUTPUT_ACTIVATION,
    loss: Annotated[Loss, typer.Option("--loss", help="help.loss")] = DEFAULT_LOSS,
    decimals: Annotated[int, typer.Option("--decimals", min=1, max=8, metavar="D", help="help.decimals")] = 4,
    exact: Annotated[bool, typer.Option("--exact", help="help.exact")] = False,
    rate: Annotated[float, typer.Option("--rate", min=0.001, max=10.0, metavar="ETA", help="help.rate")] = 0.5,
    formats: Annotated[
        list[str], typer.Option("--format", metavar="FORMAT", help="help.generate_format")
    ] = ["md"],  # noqa: B006 (typer reads the default, never mutates it)
    ask: Annotated[str, typer.Option("--ask", metavar="KINDS", help="help.ask")] = "outputs,loss,gradients,updates",
    language: LanguageOption = None,
) -> None:
    """Exercises with nice numbers, their handouts (every text format of the handout table) and question banks."""
    import math
    from decimal import Decimal

    from bptutor.handout.moodle import BANKS, KINDS
    from bptutor.handout.outputs import OUTPUT_FORMATS
    from bptutor.teach.generate import Options, parse_shape
    from bptutor.teach.generate import generate as draw

    lang = language_of(ctx, language)
    if not math.isfinite(rate):  # typer's range check lets nan through
        fail(message("usage.not_finite", lang, option="--rate", value=rate), EXIT_USAGE)
    handout_formats = [row for row in OUTPUT_FORMATS.values() if not row.binary]
    allowed = [row.name for row in handout_formats] + [bank.name for bank in BANKS]
    chosen_formats = _choices("--format", formats, allowed, lang)
    kinds = _choices("--ask", [ask], KINDS, lang)
    try:
        widths = parse_shape(shape)
        options = Options(
            widths, count, seed, activation.value, output_activation.value, loss.value,
            decimals, exact, Decimal(repr(rate)),
        )
        exercises = draw(options, lang)
    except UsageError as error:
        fail(error.render(lang), EXIT_USAGE)
    from bptutor.core.trace import run as trace_run
    from bptutor.handout.document import build_handout
    from bptutor.handout.moodle import BankWriter, category_path, exercise_questions

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"{output}: {error.strerror or error}", EXIT_USAGE)
    bank = message("generate.category", lang, shape=options.shape_text(), seed=seed)
    try:  # each bank is written an exercise at a time: memory does not grow with --count
        banks = [BankWriter(output / row.file, row.name) for row in BANKS if row.name in chosen_formats]
    except OSError as error:
        fail(f"{output}: {error.strerror or error}", EXIT_USAGE)
    questions = 0
    for exercise in exercises:
        written = [f"{exercise.name}.yaml"]
        write_file(output / written[0], exercise.text, lang)
        result = trace_run(exercise.scenario)
        for handout_format in handout_formats:
            if handout_format.name not in chosen_formats:
                continue
            for variant, label in (("full", "solution"), ("answers", "answers")):
                handout = build_handout(result, lang, variant)
                name = f"{exercise.name}.{label}.{handout_format.suffix}"
                link = f"{exercise.name}.network.svg"
                text, svg = handout_format.text(handout, link)
                if svg is not None:
                    write_file(output / link, svg, lang)
                    written.append(link)
                write_file(output / name, text, lang)
                written.append(name)
        if banks:
            category = category_path(bank, exercise.name)
            asked = exercise_questions(result, category, kinds, decimals, not exact, lang)
            questions += sum(1 for question in asked if question.kind == "numerical")
            for writer in banks:
                writer.add(asked)
        sys.stdout.write(f"{exercise.name}: {', '.join(written)}\n")
    comment = message(
        "generate.bank_comment", lang,
        questions=questions, count=len(exercises), shape=options.shape_text(), seed=seed,
    )
    for writer in banks:
        try:
            writer.finish(comment)
        except OSError as error:
            fail(f"{writer.path}: {error.strerror or error}", EXIT_USAGE)
        sys.stdout.write(message("generate.wrote_bank", lang, file=writer.path.name, questions=questions) + "\n")
    sys.stdout.write(message("generate.wrote", lang, count=len(exercises), directory=output) + "\n")


# ── validate, check, quiz ─────────────────────────────────────────────────────


def validate(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="help.files", show_default=False)],
    language: LanguageOption = None,
) -> None:
    """"ok" or the first problem of each file; exit 3 when any is bad."""
    from bptutor.core.circuit import run as run_circuit
    from bptutor.core.graph import build
    from bptutor.core.scenario import Scenario
    from bptutor.loading.document import load_document

    lang = language_of(ctx, language)
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


def check(
    ctx: typer.Context,
    scenario: ScenarioArgument,
    answers: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[ANSWERS.yaml|FOLDER]...", help="help.answers_many", show_default=False),
    ] = None,
    output: Annotated[CheckFormat, typer.Option("--format", help="help.check_format")] = CheckFormat.rich,
    tolerance: Annotated[
        str | None, typer.Option("--tolerance", metavar="X", help="help.tolerance", show_default=False)
    ] = None,
    no_diagnosis: Annotated[bool, typer.Option("--no-diagnosis", help="help.no_diagnosis")] = False,
    template: Annotated[bool, typer.Option("--template", help="help.template")] = False,
    scheme: Annotated[
        Path | None, typer.Option("--scheme", metavar="FILE", help="help.scheme", show_default=False)
    ] = None,
    points: Annotated[
        str | None, typer.Option("--points", metavar="KIND=N,...", help="help.points", show_default=False)
    ] = None,
    step: StepOption = 1,
    language: LanguageOption = None,
) -> None:
    """Each claimed value judged at its own precision; exit 1 when one is wrong (or, --template, a blank to fill in).

    Several answers files, a folder of them, --format csv or a marking scheme make a gradebook of the class instead.
    """
    from bptutor.teach.answers import load_answers
    from bptutor.teach.answers import template as blank
    from bptutor.teach.check import check as grade
    from bptutor.teach.grading import Basis, Judge, Tolerance
    from bptutor.teach.solution import WorkedSteps

    lang = language_of(ctx, language)
    allowed = None
    if tolerance is not None:
        allowed = Tolerance.parse(tolerance)
        if allowed is None:
            fail(message("cli.bad_tolerance", lang, value=tolerance), EXIT_USAGE)
    loaded = by_hand(load(scenario, lang), "check", lang, step)
    if template:
        if answers:
            fail(message("gradebook.one_file_only", lang), EXIT_USAGE)
        typed = "".join(character for character in scenario if character.isprintable())  # no terminal escapes
        typed += f" --step {step}" if step > 1 else ""
        sys.stdout.write(blank(WorkedSteps(loaded), f"bptutor check {typed} ANSWERS.yaml", lang))
        return
    if not answers:
        fail(message("cli.check_needs_answers", lang), EXIT_USAGE)
    method = loaded.rounding.method if loaded.rounding else "half_up"
    judge = Judge(method, allowed)
    many = len(answers) > 1 or answers[0].is_dir()
    if many or output is CheckFormat.csv or scheme is not None or points is not None:
        _check_class(loaded, answers, judge, not no_diagnosis, output, scheme, points, lang)
        return
    answers_file = answers[0]
    traced(loaded, 1, lang)  # the numbers first: an overflow exits 4 and a domain error 3, as in `run`
    solution = WorkedSteps(loaded)
    try:
        read = load_answers(answers_file, solution)
    except ScenarioError as error:
        fail(error.render(lang), EXIT_BAD_SCENARIO)
    claims = read.claims
    unknown = [item.note for item in read.unknown]
    basis = Basis.of(loaded, solution)  # the solution the names were read against, worked once
    report = grade(loaded, claims, str(answers_file), judge, not no_diagnosis, unknown, basis)
    if output is CheckFormat.json:
        from bptutor.render.check import render_check_json

        sys.stdout.write(render_check_json(report))
    else:
        from bptutor.render.check import render_check

        digits = max([10, *(len(claim.value.as_tuple().digits) for claim in claims)])
        show(render_check(report, style(min(digits, 17), False, lang)))
    if not report.all_right:
        raise typer.Exit(EXIT_WRONG)


def _check_class(
    loaded: "Scenario",
    paths: Sequence[Path],
    judge: "Judge",
    diagnose: bool,
    output: CheckFormat,
    scheme_file: Path | None,
    points: str | None,
    lang: str,
) -> None:
    """The gradebook of a class: a row per answers file; exit 3 when some file could not be read, else 0."""
    from bptutor.teach.gradebook import (
        DEFAULT_SCHEME,
        MARK_KINDS,
        MAX_SUBMISSIONS,
        answers_files,
        grade_class,
        load_scheme,
        parse_points_option,
    )

    scheme = DEFAULT_SCHEME
    if scheme_file is not None:
        try:
            scheme = load_scheme(scheme_file)
        except ScenarioError as error:
            fail(error.render(lang), EXIT_BAD_SCENARIO)
    if points is not None:
        changed = parse_points_option(points, scheme)
        if changed is None:
            fail(message("gradebook.bad_points", lang, value=points, kinds=", ".join(MARK_KINDS)), EXIT_USAGE)
        scheme = changed
    try:
        files = answers_files(paths)
    except ValueError as empty:
        fail(message("gradebook.no_answers_files", lang, folder=str(empty)), EXIT_USAGE)
    if len(files) > MAX_SUBMISSIONS:
        fail(message("gradebook.too_many", lang, count=len(files), limit=MAX_SUBMISSIONS), EXIT_USAGE)
    traced(loaded, 1, lang)  # the numbers first: an overflow exits 4 and a domain error 3, as in `run`
    book = with_progress(
        lambda progress: grade_class(loaded, files, judge, diagnose, scheme, progress), lang, "gradebook.progress"
    )
    if output is CheckFormat.csv:
        from bptutor.render.gradebook import render_gradebook_csv

        data = ("\ufeff" + render_gradebook_csv(book, lang)).encode("utf-8")
        sys.stdout.flush()
        raw = getattr(sys.stdout, "buffer", None)
        if raw is not None:
            raw.write(data)
            raw.flush()
        else:
            sys.stdout.write(data.decode("utf-8"))
    elif output is CheckFormat.json:
        from bptutor.render.gradebook import render_gradebook_json

        sys.stdout.write(render_gradebook_json(book))  # in English, as check's own JSON
    else:
        from bptutor.render.gradebook import render_gradebook

        show(render_gradebook(book, style(10, False, lang)))
    if book.unread:
        raise typer.Exit(EXIT_BAD_SCENARIO)


def quiz(
    ctx: typer.Context,
    scenario: Annotated[
        str | None, typer.Argument(metavar="SCENARIO", help="help.quiz_scenario", show_default=False)
    ] = None,
    section: Annotated[Section | None, typer.Option("--section", help="help.section", show_default=False)] = None,
    fresh: Annotated[str | None, typer.Option("--fresh", metavar="SEED", help="help.fresh", show_default=False)] = None,
    order: Annotated[str, typer.Option("--order", metavar="keep|shuffle", help="help.order")] = "keep",
    seed: Annotated[str | None, typer.Option("--seed", metavar="S", help="help.quiz_seed", show_default=False)] = None,
    step: StepOption = 1,
    language: LanguageOption = None,
) -> None:
    """Ask every value of the worked solution, one at a time, from stdin."""
    from bptutor.cli.quiz import ORDERS, Quiz, decode_leniently, pipe_reader, terminal_reader

    lang = language_of(ctx, language)
    fresh_seed = _seed(fresh, "quiz.bad_fresh", lang)
    shuffle_seed = _seed(seed, "quiz.bad_seed", lang)
    if order not in ORDERS:
        fail(message("quiz.bad_order", lang, value=order), EXIT_USAGE)
    if fresh_seed is not None and scenario is not None:
        fail(message("quiz.fresh_and_scenario", lang), EXIT_USAGE)
    if fresh_seed is not None:
        from bptutor.teach.generate import Options, exercise

        with reported("--fresh", lang, usage=True):
            loaded = exercise(Options(shape=(2, 2, 2), count=1, seed=fresh_seed), 1, lang).scenario
    elif scenario is not None:
        loaded = by_hand(load(scenario, lang), "quiz", lang, step)
    else:
        fail(message("quiz.no_scenario", lang), EXIT_USAGE)
    if shuffle_seed is None:
        shuffle_seed = fresh_seed if fresh_seed is not None else random.SystemRandom().randrange(1_000_000)
    sections = (section.value,) if section is not None else None
    session = Quiz(loaded, style(10, False, lang), sections, traced(loaded, 1, lang), order, shuffle_seed)
    if order == "shuffle":
        write(message("quiz.shuffled", lang, seed=shuffle_seed) + "\n")
    interactive = sys.stdin.isatty()
    if interactive:
        decode_leniently(sys.stdin)  # input() decodes with the stream's error handler
        read = terminal_reader(list(session.words))
    else:
        read = pipe_reader(stdin_line, write)
    result = session.run(read, write, echo=not interactive)
    if result.interrupted:
        fail(message("cli.interrupted", lang), EXIT_INTERRUPTED)


MAX_SEED_DIGITS = 18


def _seed(text: str | None, key: str, lang: str) -> int | None:
    """A seed typed on the command line: a whole number of at most 18 digits; anything else exits 2 with one line."""
    if text is None:
        return None
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) > MAX_SEED_DIGITS:
        fail(message(key, lang, value=text), EXIT_USAGE)
    return int(digits)


# ── graph, train, list ────────────────────────────────────────────────────────


def graph(
    ctx: typer.Context,
    scenario: ScenarioArgument,
    output_format: Annotated[GraphFormat, typer.Option("--format", help="help.graph_format")] = GraphFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="help.graph_output", show_default=False)
    ] = None,
    digits: Annotated[int, typer.Option("--digits", min=1, max=17, metavar="N", help="help.graph_digits")] = 4,
    step: StepOption = 1,
    ascii_only: AsciiOption = False,
    language: LanguageOption = None,
) -> None:
    """The computational graph: text, DOT or Mermaid to stdout or FILE; SVG or PNG (by Graphviz) to a file."""
    from bptutor.core.circuit import run as run_circuit
    from bptutor.core.scenario import Scenario
    from bptutor.core.trace import run as trace_run
    from bptutor.render.graph import (
        render_picture_text,
        render_with_dot,
        to_dot,
        to_mermaid,
    )
    from bptutor.render.picture import picture_from_circuit, picture_from_run

    lang = language_of(ctx, language)
    document = load_any(scenario, lang)
    if isinstance(document, Scenario):
        document = by_hand(document, "graph", lang, step)  # one example's graph: a batch's first sample
    with reported(document.source, lang):
        if not isinstance(document, Scenario):
            picture = picture_from_circuit(run_circuit(document), document.title_in(lang))
        else:
            title = document.title_in(lang)
            if document.resumed is not None:  # a training step: the graph of its batch's first sample
                resumed = document.resumed
                title = message(
                    "graph.batch_title", lang, title=title or document.name, step=resumed.step,
                    count=len(resumed.indices), index=resumed.indices[0] + 1,
                )
            picture = picture_from_run(trace_run(document), title)
    if output_format is GraphFormat.text:
        if output is None:
            show(render_picture_text(picture, style(digits, ascii_only, lang)))
            return
        from rich.console import Console

        console = Console(width=120, highlight=False, soft_wrap=True, color_system=None)
        with console.capture() as captured:
            console.print(render_picture_text(picture, style(digits, ascii_only, lang)))
        text = "\n".join(line.rstrip() for line in captured.get().split("\n"))
        write_file(output, text, lang, input_files(scenario, document))
        return
    if output_format in (GraphFormat.dot, GraphFormat.mermaid):
        printer = to_dot if output_format is GraphFormat.dot else to_mermaid
        text = printer(picture, digits, lang)
        if output is None:
            sys.stdout.write(text)
        else:
            write_file(output, text, lang, input_files(scenario, document))
        return
    target = output or Path(f"{picture.scenario}.{output_format.value}")
    try:
        picture_bytes = render_with_dot(to_dot(picture, digits, lang), output_format.value)
    except ExternalProgramError as error:
        fail(error.render(lang), EXIT_EXTERNAL_PROGRAM)
    write_file(target, picture_bytes, lang, input_files(scenario, document))
    sys.stderr.write(f"bptutor: {message('solve.wrote', lang, file=target)}\n")


def train(
    ctx: typer.Context,
    scenario: ScenarioArgument,
    steps: Annotated[
        int | None,
        typer.Option("--steps", min=1, max=10_000_000, metavar="N", help="help.train_steps", show_default=False),
    ] = None,
    epochs: Annotated[
        int | None,
        typer.Option("--epochs", min=1, max=10_000_000, metavar="N", help="help.train_epochs", show_default=False),
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="help.train_format")] = OutputFormat.rich,
    plot: Annotated[
        Path | None, typer.Option("--plot", metavar="FILE.png", help="help.train_plot", show_default=False)
    ] = None,
    digits: DigitsOption = 10,
    ascii_only: AsciiOption = False,
    language: LanguageOption = None,
) -> None:
    """Train on the vectorised path: a progress bar on stderr, then the loss curve, accuracy and parameters."""
    from bptutor.train.loop import train as fit

    lang = language_of(ctx, language)
    if steps is not None and epochs is not None:
        fail(message("usage.steps_and_epochs", lang), EXIT_USAGE)
    if plot is not None:
        from bptutor.handout.writing import check_target

        check_target(plot, input_files(scenario))
        if plot.suffix.lower() != ".png":
            fail(message("plot.format", lang, file=plot), EXIT_USAGE)
    loaded = load(scenario, lang)
    if not isinstance(loaded.loss, str) or any(not isinstance(layer.activation, str) for layer in loaded.layers):
        # the vectorised path knows the built-in functions only
        fail(f"{loaded.source}: {message('custom.not_for_training', lang)}", EXIT_USAGE)
    with reported(loaded.source, lang):
        result = with_progress(lambda progress: fit(loaded, steps, epochs, progress), lang)
    if plot is not None:
        from bptutor.render.plot_png import save_plot

        try:
            picture = save_plot(result, lang)
        except ExternalProgramError as error:
            fail(error.render(lang), EXIT_EXTERNAL_PROGRAM)
        write_file(plot, picture, lang, input_files(scenario, loaded))
    if output is OutputFormat.json:
        from bptutor.render.train import render_training_json

        sys.stdout.write(render_training_json(result))
        return
    from bptutor.render.train import render_training

    show(render_training(result, style(digits, ascii_only, lang)))


def list_builtins(ctx: typer.Context, language: LanguageOption = None) -> None:
    """The built-in scenarios, each with its title."""
    from bptutor.loading.builtin import builtin_names, builtin_path
    from bptutor.loading.document import load_document

    lang = language_of(ctx, language)
    names = builtin_names()
    width = max((len(name) for name in names), default=0) + 2
    for name in names:
        path = builtin_path(name)
        assert path is not None
        title = load_document(path).title_in(lang)
        sys.stdout.write(f"{name:<{width}}{title}\n")


# (name on the command line, the function), in the order `bptutor --help` lists them
COMMANDS: tuple[tuple[str, Callable[..., None]], ...] = (
    ("run", run),
    ("sensitivity", sensitivity),
    ("explain", explain),
    ("solve", solve),
    ("generate", generate),
    ("validate", validate),
    ("check", check),
    ("quiz", quiz),
    ("graph", graph),
    ("train", train),
    ("list", list_builtins),
)

__all__ = ["COMMANDS"]
