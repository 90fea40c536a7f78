"""Shell completion: `--show-completion [SHELL]` prints the script, `--install-completion [SHELL]` installs it.

The scripts and installers are typer's (bash, zsh, fish, PowerShell); the options are ours, so that their
help is in the app's language and a shell named on the command line is the one used (typer's own options
take no value where they can detect the shell). Without a SHELL, the shell bptutor runs in is detected.
Each tab press runs `bptutor` with _BPTUTOR_COMPLETE set; click answers it before any command runs, with
the completion classes `register_completion_classes()` puts in place (a few dictionary entries, no import).
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import typer

from bptutor.errors import EXIT_USAGE
from bptutor.i18n import DEFAULT_LANGUAGE, message

PROG_NAME = "bptutor"
COMPLETE_VAR = "_BPTUTOR_COMPLETE"  # what the scripts set when they ask bptutor for completions
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


COMPLETION_OPTIONS = ("--install-completion", "--show-completion")


def with_shell_named(args: list[str]) -> list[str]:
    """The arguments with "" (the shell bptutor runs in) after a completion option that names no SHELL.

    typer's options take a value always or never: this lets `--show-completion` stand alone as well as
    `--show-completion zsh`.
    """
    named: list[str] = []
    for index, argument in enumerate(args):
        if argument == "--":
            return named + args[index:]
        named.append(argument)
        following = args[index + 1] if index + 1 < len(args) else "-"
        if argument in COMPLETION_OPTIONS and following.startswith("-"):
            named.append("")
    return named


def register_completion_classes() -> None:
    """typer's completion classes in click's table, for the shells' requests (_BPTUTOR_COMPLETE=complete_bash)."""
    from typer._completion_classes import completion_init

    completion_init()


def _language(ctx: Any) -> str:
    """The app's language: that of the group the option belongs to (--lang is not read yet: these are eager)."""
    return str(getattr(ctx.find_root().command, "lang", DEFAULT_LANGUAGE))


def _fail(text: str) -> NoReturn:
    sys.stderr.write(f"bptutor: {text}\n")
    raise typer.Exit(EXIT_USAGE)


def detected_shell() -> str | None:
    """The shell bptutor runs in (bash, zsh, …), found by shellingham from the parent processes; None if unknown."""
    import shellingham  # type: ignore[import-untyped]  # no type information; typer depends on it

    try:
        name, _ = shellingham.detect_shell()
    except shellingham.ShellDetectionFailure:
        return None
    return str(name).lower()


def chosen_shell(value: str, lang: str) -> str:
    """The shell named after the option, else the detected one; an unknown one exits 2 with the list."""
    shell = value or detected_shell()
    shells = ", ".join(SHELLS)
    if shell is None:
        _fail(message("completion.no_shell", lang, shells=shells))
    if shell not in SHELLS:
        _fail(message("completion.unknown_shell", lang, shell=shell, shells=shells))
    return shell


def completion_script(shell: str) -> str:
    """The script that makes `shell` complete bptutor's commands and options."""
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=shell)


def show_completion(ctx: Any, param: Any, value: str | None) -> None:
    """--show-completion [SHELL]: print the script and exit."""
    if value is None or ctx.resilient_parsing:
        return
    shell = chosen_shell(value, _language(ctx))
    sys.stdout.write(completion_script(shell) + "\n")
    raise typer.Exit()


def install_completion(ctx: Any, param: Any, value: str | None) -> None:
    """--install-completion [SHELL]: write the script where the shell reads it (typer's places) and exit."""
    if value is None or ctx.resilient_parsing:
        return
    from typer._completion_shared import install

    lang = _language(ctx)
    shell = chosen_shell(value, lang)
    installed, path = install(shell=shell, prog_name=PROG_NAME, complete_var=COMPLETE_VAR)
    sys.stdout.write(message("completion.installed", lang, shell=installed, path=path) + "\n")
    raise typer.Exit()


__all__ = [
    "COMPLETE_VAR",
    "COMPLETION_OPTIONS",
    "PROG_NAME",
    "SHELLS",
    "chosen_shell",
    "completion_script",
    "detected_shell",
    "install_completion",
    "register_completion_classes",
    "show_completion",
    "with_shell_named",
]
