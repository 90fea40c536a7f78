"""The command line: parse options, call the pipeline, hand the result to a renderer.

Heavy imports (sympy, the renderers) happen inside the commands that need them,
so `bptutor --help` and `bptutor run` never load sympy.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from bptutor import __version__
from bptutor.errors import EXIT_BAD_SCENARIO, EXIT_USAGE, DivergenceError, ScenarioError, UsageError

if TYPE_CHECKING:
    from bptutor.scenario import Scenario

EXIT_DIVERGED = 4

app = typer.Typer(
    name="bptutor",
    help=(
        "Backpropagation worked by hand: every quantity, every chain-rule factor, "
        "its symbolic form and its number.\n\n"
        "Examples:\n\n"
        "  bptutor run scenarios/two_two_two.yaml\n\n"
        "  bptutor explain w5\n\n"
        "Exit codes: 0 success, 2 bad command-line use or unknown name, "
        "3 bad scenario file, 4 the numbers overflowed."
    ),
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(str, Enum):
    rich = "rich"
    json = "json"


ScenarioArgument = Annotated[
    str,
    typer.Argument(
        metavar="SCENARIO",
        help="A scenario file (YAML), or the name of a built-in scenario (see `bptutor list`).",
        show_default=False,
    ),
]
DigitsOption = Annotated[
    int, typer.Option("--digits", min=1, max=17, help="Significant digits shown for every number.")
]
AsciiOption = Annotated[
    bool,
    typer.Option("--ascii", help="Print with ASCII only (d for ∂, * for ×, delta for δ) for consoles that cannot show them."),
]


def _print(renderable: object) -> None:
    """Print a rich renderable to stdout, without the trailing blanks tables pad lines with."""
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    with console.capture() as captured:
        console.print(renderable)
    text = "\n".join(line.rstrip() for line in captured.get().split("\n"))
    sys.stdout.write(text)


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"bptutor: {message}\n")
    raise typer.Exit(code)


def load(reference: str) -> Scenario:
    """A scenario from a file path, else from a built-in name; errors become messages and exit 3."""
    from bptutor.builtin import builtin_names, builtin_path
    from bptutor.loader import load_scenario

    path = Path(reference)
    if not path.exists():
        builtin = builtin_path(reference)
        if builtin is None:
            names = ", ".join(builtin_names()) or "none"
            _fail(
                f"{reference}: no such file, and no built-in scenario by that name (built-ins: {names})",
                EXIT_BAD_SCENARIO,
            )
        path = builtin
        reference = str(builtin.name) if builtin.parent.name == "scenarios" else str(builtin)
    try:
        return load_scenario(path)
    except ScenarioError as error:
        _fail(str(error), EXIT_BAD_SCENARIO)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"bptutor {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """Backpropagation worked by hand."""


@app.command()
def run(
    scenario: ScenarioArgument,
    steps: Annotated[int, typer.Option("--steps", min=1, max=100_000, help="Repeat forward, backward and update N times.")] = 1,
    output: Annotated[OutputFormat, typer.Option("--format", help="rich: tables for people; json: one object for tools.")] = OutputFormat.rich,
    digits: DigitsOption = 10,
    every: Annotated[int, typer.Option("--every", min=1, help="JSON only: keep every K-th step (the first and last are always kept).")] = 1,
    ascii_only: AsciiOption = False,
) -> None:
    """Run the forward pass, the backward pass and the update, and show every step.

    Example: bptutor run scenarios/two_two_two.yaml --steps 3
    """
    from bptutor.trace import run as trace_run

    loaded = load(scenario)
    try:
        result = trace_run(loaded, steps)
    except DivergenceError as error:
        _fail(f"{loaded.source}: {error}", EXIT_DIVERGED)
    except ScenarioError as error:
        _fail(str(error), EXIT_BAD_SCENARIO)
    if output is OutputFormat.json:
        from bptutor.render_json import render_json

        sys.stdout.write(render_json(result, every))
        return
    from bptutor.render_text import Style, render_run

    _print(render_run(result, Style(digits=digits, ascii=ascii_only)))


@app.command()
def explain(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A parameter (w5, b1), or a quantity (out_h1, in_o2, E_total, δ_h1).", show_default=False)],
    scenario: Annotated[str, typer.Option("--scenario", "-s", help="Scenario file or built-in name.")] = "two_two_two",
    digits: DigitsOption = 10,
    ascii_only: AsciiOption = False,
) -> None:
    """Derive one gradient the way a textbook does: chain rule, each factor, numbers, update.

    Example: bptutor explain w1 --scenario scenarios/two_two_two.yaml
    """
    from bptutor.explain import explain as derive
    from bptutor.render_explain import render_explanation
    from bptutor.render_text import Style

    loaded = load(scenario)
    try:
        explanation = derive(loaded, name)
    except UsageError as error:
        _fail(str(error), EXIT_USAGE)
    except ScenarioError as error:
        _fail(str(error), EXIT_BAD_SCENARIO)
    except DivergenceError as error:
        _fail(f"{loaded.source}: {error}", EXIT_DIVERGED)
    _print(render_explanation(explanation, Style(digits=digits, ascii=ascii_only)))


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Scenario files to check.", show_default=False)],
) -> None:
    """Check scenario files: print "ok" or the first problem of each; exit 3 if any file is bad.

    Example: bptutor validate scenarios/*.yaml
    """
    from bptutor.graph import build
    from bptutor.loader import load_scenario

    bad = 0
    for file in files:
        try:
            build(load_scenario(file))
        except ScenarioError as error:
            sys.stderr.write(f"bptutor: {error}\n")
            bad += 1
            continue
        sys.stdout.write(f"{file}: ok\n")
    if bad:
        raise typer.Exit(EXIT_BAD_SCENARIO)


@app.command(name="list")
def list_builtins() -> None:
    """List the built-in scenarios, usable by name anywhere a scenario is asked for.

    Example: bptutor list
    """
    from bptutor.builtin import builtin_names, builtin_path
    from bptutor.loader import load_scenario

    for name in builtin_names():
        path = builtin_path(name)
        assert path is not None
        title = load_scenario(path).title
        sys.stdout.write(f"{name:<16} {title}\n")


def main() -> None:
    """Console entry point."""
    try:
        app(prog_name="bptutor")
    except KeyboardInterrupt:
        sys.stderr.write("bptutor: interrupted\n")
        sys.exit(130)


__all__ = ["app", "main", "EXIT_USAGE"]
