"""The command line: the app, built in one language from the commands declared once in `bptutor.cli.commands`.

Help text is fixed when typer builds the commands, so the app is built for one
language: `build_app(lang)`. `main()` picks it from `--lang` on the command line,
else from the environment (LC_ALL, LC_MESSAGES, LANG). `app` is the English app.
Every exit code, and its meaning in --help, comes from `bptutor.errors`.
"""

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any

import typer

from bptutor import __version__
from bptutor.cli.commands import COMMANDS
from bptutor.cli.completion import COMPLETE_VAR, install_completion, register_completion_classes, show_completion
from bptutor.cli.language import command_classes
from bptutor.cli.options import LanguageOption, in_language, say
from bptutor.errors import EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USAGE
from bptutor.i18n import DEFAULT_LANGUAGE, LANGUAGES, detect_language, message
from bptutor.render.terminal import use_utf8_when_redirected


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"bptutor {__version__}\n")
        raise typer.Exit()


def _completion_option(name: str, callback: Callable[..., None], help_key: str) -> Any:
    """An option with an optional value: `NAME SHELL`, or `NAME` alone for the shell bptutor runs in ("", which
    `bptutor.cli.completion.with_shell_named` puts after it)."""
    return typer.Option(
        name, callback=callback, is_eager=True, expose_value=False, metavar="[SHELL]", show_default=False, help=help_key
    )


def main_options(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="help.version")
    ] = None,
    lang: LanguageOption = None,
    install_completion: Annotated[
        str | None, _completion_option("--install-completion", install_completion, "help.install_completion")
    ] = None,
    show_completion: Annotated[
        str | None, _completion_option("--show-completion", show_completion, "help.show_completion")
    ] = None,
) -> None:
    """The options before the command: --version, --lang for every command, and shell completion."""


def build_app(lang: str, only: str | None = None) -> typer.Typer:
    """The command line with every help text in `lang` (and output in `lang` unless --lang says otherwise).

    `only`: the one command to register (what `main` builds when the command line starts with its name)."""
    group_class, command_class = command_classes(lang)
    register_completion_classes()
    app = typer.Typer(
        name="bptutor",
        cls=group_class,
        help=say("help.app", lang),
        options_metavar=say("click.options_metavar", lang),
        subcommand_metavar=say("click.subcommand_metavar", lang),
        rich_markup_mode=None,
        no_args_is_help=True,
        add_completion=False,  # ours are in main_options: help in `lang`, and a SHELL named after the option
        pretty_exceptions_enable=False,
    )
    app.callback()(in_language(main_options, lang))
    for name, command in COMMANDS:
        if only is not None and name != only:
            continue
        app.command(
            name=name,
            help=say(f"help.{name}", lang),
            short_help=say(f"help.{name}.short", lang),
            cls=command_class,
            options_metavar=say("click.options_metavar", lang),
        )(in_language(command, lang))
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


COMMAND_NAMES = frozenset(name for name, _ in COMMANDS)
app: typer.Typer  # the English app, built when first asked for (`main` builds only what it runs)


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        built = globals()["app"] = build_app(DEFAULT_LANGUAGE)
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def command_named(arguments: Sequence[str], environ: Mapping[str, str]) -> str | None:
    """The command a command line starts with, when it starts with one (and is no request for completions).

    Then the app need hold only that command: typer builds every command it holds on each start
    (inspecting its signature and options, a few milliseconds), and the others would go unused.
    """
    if not arguments or COMPLETE_VAR in environ:
        return None
    return arguments[0] if arguments[0] in COMMAND_NAMES else None


GC_THRESHOLDS = (50_000, 20, 100)  # Python's default is (700, 10, 10)


def collect_garbage_less_often() -> None:
    """One command builds tens of thousands of records for a large network and keeps them all
    to print them: with the default thresholds the cycle collector walks them again and again
    (about 40% of tracing 784-64-64-10). bptutor's records form no cycles, so it runs rarely here."""
    import gc

    gc.freeze()  # what was imported stays: never examined again
    gc.set_threshold(*GC_THRESHOLDS)


def main() -> None:
    """Console entry point: the app in the chosen language, writing UTF-8 unless on a terminal."""
    from bptutor.cli.guard import Terminated, on_sigterm
    from bptutor.derive.lazy_sympy import defer_tensor_module

    on_sigterm()
    collect_garbage_less_often()
    defer_tensor_module()  # sympy's first addition would load its tensor module: 25 ms of `explain` and `solve`
    use_utf8_when_redirected(sys.stdout)
    use_utf8_when_redirected(sys.stderr)
    lang = choose_language(sys.argv[1:], os.environ)
    chosen = build_app(lang, command_named(sys.argv[1:], os.environ))
    try:
        chosen(prog_name="bptutor")
    except KeyboardInterrupt:  # before or after a command (inside one, the group's guard answers)
        sys.stderr.write(f"bptutor: {message('cli.interrupted', lang)}\n")
        sys.exit(EXIT_INTERRUPTED)
    except Terminated:
        sys.stderr.write(f"bptutor: {message('cli.terminated', lang)}\n")
        sys.exit(EXIT_TERMINATED)


__all__ = [
    "COMMAND_NAMES",
    "EXIT_USAGE",
    "GC_THRESHOLDS",
    "app",
    "build_app",
    "choose_language",
    "collect_garbage_less_often",
    "command_named",
    "language_in_arguments",
    "main",
]
