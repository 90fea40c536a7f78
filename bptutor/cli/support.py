"""What every command shares: loading a scenario, printing, and turning errors into a line and an exit code.

Every exit code comes from `bptutor.errors`. Heavy imports happen inside the
functions that need them.
"""

import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from bptutor.errors import (
    EXIT_BAD_SCENARIO,
    EXIT_DIVERGED,
    EXIT_USAGE,
    DivergenceError,
    ScenarioError,
    UsageError,
)
from bptutor.i18n import DEFAULT_LANGUAGE, message
from bptutor.render.terminal import fallback_encoding, terminal_console

if TYPE_CHECKING:
    from rich.console import RenderableType

    from bptutor.core.circuit import ExpressionScenario
    from bptutor.core.scenario import Scenario
    from bptutor.core.trace import Run
    from bptutor.render.style import Style

Result = TypeVar("Result")


def language_of(ctx: typer.Context, own: Enum | None) -> str:
    """The command's own --lang, else the one given before the command, else the language its app was built in."""
    for chosen in (own, ctx.find_root().params.get("lang")):
        if chosen is not None:
            return str(getattr(chosen, "value", chosen))  # an Enum member, or click's plain text
    return str(getattr(ctx.command, "lang", DEFAULT_LANGUAGE))


def show(renderable: "RenderableType") -> None:
    """Print a rich renderable to stdout, without the trailing blanks tables pad lines with.

    Styled on a terminal; plain with NO_COLOR or TERM=dumb (see `bptutor.render.terminal`). To a file or a
    pipe, which rich would print without style, the pieces it knows are laid out by `bptutor.render.plain`
    without loading rich's console (the same text, a tenth of `check`'s start-up sooner).
    """
    from bptutor.render.plain import Pieces, plain_text, plain_width

    loaded = sys.modules.get("rich.console")  # a rich Group is possible only once its module is loaded
    pieces: list[RenderableType] = [renderable]
    if isinstance(renderable, Pieces) or (loaded is not None and isinstance(renderable, loaded.Group)):
        pieces = list(renderable.renderables)
    width = plain_width()
    plain = None if width is None else plain_text(pieces, width)
    if plain is not None:
        _write(plain)
        return

    from rich.console import Group

    from bptutor.render.fit import FittedTable

    console = terminal_console(highlight=False, soft_wrap=False)
    printed: list[str] = []
    waiting: list[RenderableType] = []  # pieces rich prints, printed at once (a print costs a tenth of a ms)

    def print_waiting() -> None:
        if waiting:
            with console.capture() as captured:
                console.print(Group(*waiting))  # a Group: each piece laid out as itself, none joined to another
            printed.append(captured.get())
            waiting.clear()

    for piece in pieces:
        if isinstance(piece, FittedTable) and piece.large:  # thousands of rows: laid out here, not measured by rich
            print_waiting()
            width = console.options.max_width
            if piece.large_and_stacked(console):
                with console.capture() as captured:
                    if legend := piece.legend(width):
                        console.print(*legend, sep="\n")
                printed += [captured.get(), *(f"{line}\n" for line in piece.stacked_lines(width))]
                continue
            aligned = piece.aligned_lines(console)
            if aligned is not None:
                printed += [f"{line}\n" for line in aligned]
                continue
        waiting.append(piece)
    print_waiting()
    _write("".join(printed))


def _write(printed: str) -> None:
    """What was printed, without the trailing blanks of its lines."""
    sys.stdout.write("\n".join(line.rstrip() for line in printed.split("\n")))


def fail(text: str, code: int) -> NoReturn:
    """`bptutor: text` on stderr (escaped and cut, by the guard's `say`), and exit with `code`."""
    from bptutor.cli.guard import say

    say(text, code)


def style(digits: int, ascii_only: bool, lang: str) -> "Style":
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
            fail(message("cli.no_scenario", lang, reference=reference, names=names), EXIT_BAD_SCENARIO)
        path = builtin
    try:
        return load_document(path)
    except ScenarioError as error:
        fail(error.render(lang), EXIT_BAD_SCENARIO)


def load(reference: str, lang: str = DEFAULT_LANGUAGE) -> "Scenario":
    """A layered scenario from a file path, else from a built-in name; errors become messages and exit 3.

    An expression scenario is refused with exit 2: the command needs layers.
    """
    from bptutor.core.scenario import Scenario

    loaded = load_any(reference, lang)
    if not isinstance(loaded, Scenario):
        fail(message("expression.layered_only", lang, scenario=reference), EXIT_USAGE)
    return loaded


@contextmanager
def reported(source: str, lang: str, usage: bool = False) -> Iterator[None]:
    """Turn the pipeline's errors into one line and an exit code: 4 overflow, 3 bad scenario, 2 (when asked) usage."""
    try:
        yield
    except DivergenceError as error:
        fail(f"{source}: {error.render(lang)}", EXIT_DIVERGED)
    except ScenarioError as error:
        fail(error.render(lang), EXIT_BAD_SCENARIO)
    except UsageError as error:
        if not usage:
            raise
        fail(error.render(lang), EXIT_USAGE)


def by_hand(loaded: "Scenario", command: str, lang: str, step: int = 1) -> "Scenario":
    """The scenario as `command` works it by hand: step `step` of its training (one example, or one batch of at
    most MAX_SAMPLES_BY_HAND samples); else exit 2 (4 on overflow)."""
    from bptutor.core.resume import MAX_SAMPLES_BY_HAND, at_step, batch_size_of

    with reported(loaded.source, lang):
        taken_up = at_step(loaded, step)
    count = batch_size_of(taken_up)
    if count > MAX_SAMPLES_BY_HAND:
        text = message(
            "cli.batch_too_large", lang, source=loaded.source, step=step, count=count, command=command,
            most=MAX_SAMPLES_BY_HAND,
        )
        fail(text, EXIT_USAGE)
    return taken_up


MAX_TRACED_TRAINING_PARAMETERS = 4096  # with samples, the largest network `run` traces sample by sample


def traced(
    reference: "str | Scenario",
    steps: int,
    lang: str,
    command: str = "",
    kept: Collection[int] = (1,),
    fused: bool = True,
) -> "Run":
    """Load a scenario (unless given one) and trace `steps` steps; overflow exits 4, a graph refused exits 3.

    Only the steps in `kept` (default: the first, which is what is printed) keep
    their whole trace; the others keep their loss, so memory stays flat in the steps.
    `fused=False` (`--jacobian`): a fused output is traced through its activation's derivative.
    """
    from bptutor.core.trace import run as trace_run

    loaded = load(reference, lang) if isinstance(reference, str) else reference
    if command:
        loaded = by_hand(loaded, command, lang)
    if loaded.samples is not None and len(loaded.parameters) > MAX_TRACED_TRAINING_PARAMETERS:
        count = len(loaded.parameters)
        message_text = message(
            "cli.trace_too_large", lang, source=loaded.source, most=MAX_TRACED_TRAINING_PARAMETERS, count=count
        )
        fail(message_text, EXIT_USAGE)
    with reported(loaded.source, lang):
        result = trace_run(loaded, steps, kept.__contains__, fused)
    return result


def write_file(path: Path, text: str | bytes, lang: str, inputs: Sequence[str] = ()) -> None:
    """Write UTF-8 text (or bytes) atomically, never over one of `inputs`; a problem is an OutputError (exit 2)."""
    from bptutor.handout.writing import write_output

    write_output(path, text, inputs)


def input_files(scenario: str, loaded: object = None) -> list[str]:
    """The files a command reads, which its outputs never replace: the scenario, and its CSV samples once loaded."""
    files = [scenario] if Path(scenario).exists() else []
    samples = getattr(loaded, "samples", None)
    return files + list(getattr(samples, "files", ()))


def stdin_line() -> str:
    """One line typed or piped in, as text: bytes that are not UTF-8 become U+FFFD, never an error."""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is not None:
        return bytes(raw.readline()).decode("utf-8", errors="replace")
    line = sys.stdin.readline()
    return line.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")


def write(text: str) -> None:
    """Text to stdout at once (the quiz's prompts)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def with_progress(work: Callable[[Any], Result], lang: str, label: str = "train.progress") -> Result:
    """Run work(progress) with a progress bar on stderr when it is a terminal; the bar is gone when done."""
    if not sys.stderr.isatty():
        return work(None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn(message(label, lang)), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=terminal_console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return work(progress)


__all__ = [
    "MAX_TRACED_TRAINING_PARAMETERS",
    "by_hand",
    "fail",
    "input_files",
    "language_of",
    "load",
    "load_any",
    "reported",
    "show",
    "stdin_line",
    "style",
    "traced",
    "with_progress",
    "write",
    "write_file",
]
