"""Shell conventions: a closed pipe, NO_COLOR and TERM=dumb, and shell completion.

The processes are real (`python -m bptutor`), with stdout a pipe whose reader has gone, a pseudo-terminal,
or bash itself; the rest runs in-process.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.text import Text
from typer.testing import CliRunner

from bptutor.cli import completion
from bptutor.cli.app import app, build_app
from bptutor.errors import EXIT_BROKEN_PIPE, EXIT_USAGE
from bptutor.i18n import LANGUAGES, message
from bptutor.render.terminal import plain_requested, terminal_console

ROOT = Path(__file__).resolve().parent.parent
PLAIN = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
TIMEOUT = 120  # seconds a process may take before the test fails (never a timing assertion)


def _environment(**changes: str | None) -> dict[str, str]:
    """This process's environment with bptutor importable, colour variables removed, then `changes` applied."""
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    environment.update(PYTHONPATH=str(ROOT), COLUMNS="120", LINES="50", LC_ALL="C.UTF-8")  # rich takes a dumb
    # terminal for 80 columns unless both COLUMNS and LINES say otherwise
    for key, value in changes.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


# ── a closed pipe ─────────────────────────────────────────────────────────────


@pytest.mark.slow
@pytest.mark.parametrize(
    "arguments", [["list"], ["run", "two_two_two"], ["--help"], ["--version"], ["run", "--help"], ["--lang", "zh", "list"]]
)
def test_a_closed_pipe_ends_quietly_with_141(arguments):
    """stdout is a pipe whose reading end is closed before bptutor starts: every write fails."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "bptutor", *arguments], stdout=writing, stderr=subprocess.PIPE, text=True,
            cwd=ROOT, env=_environment(), timeout=TIMEOUT,
        )  # fmt: skip
    finally:
        os.close(writing)
    assert finished.returncode == EXIT_BROKEN_PIPE == 128 + 13  # the shell's status for a program SIGPIPE ended
    assert finished.stderr == ""  # no traceback, no "Exception ignored", no message


@pytest.mark.slow
def test_head_takes_the_first_line_and_bptutor_stops_without_a_word():
    listed = subprocess.run(
        [sys.executable, "-m", "bptutor", "list"], capture_output=True, text=True, cwd=ROOT, env=_environment(),
        timeout=TIMEOUT, check=True,
    )  # fmt: skip
    for command in ("list", "run two_two_two"):
        script = f'"{sys.executable}" -m bptutor {command} | head -1; echo "status ${{PIPESTATUS[0]}}"'
        piped = subprocess.run(
            ["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, env=_environment(), timeout=TIMEOUT
        )
        first, status = piped.stdout.splitlines()
        assert status in ("status 0", f"status {EXIT_BROKEN_PIPE}")  # 0 when it wrote all before head left
        assert piped.stderr == ""
        if command == "list":
            assert first == listed.stdout.splitlines()[0]
        else:
            assert first.startswith("2-2-2 sigmoid network")


def test_a_failing_command_keeps_its_own_status_when_nothing_was_piped():
    result = CliRunner().invoke(app, ["run", "no_such_scenario"], env=PLAIN)
    assert result.exit_code == 3


# ── NO_COLOR and TERM=dumb ───────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("environ", "plain"),
    [({}, False), ({"NO_COLOR": "1"}, True), ({"NO_COLOR": "yes"}, True), ({"NO_COLOR": ""}, False),
     ({"TERM": "dumb"}, True), ({"TERM": "xterm-256color"}, False), ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True)],
)  # fmt: skip
def test_a_forced_terminal_writes_no_escape_when_asked_for_plain_text(monkeypatch, environ, plain):
    """rich believes it writes to a colour terminal; only NO_COLOR (not empty) or TERM=dumb turn styles off."""
    for key in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")  # rich reads TERM itself: ours alone decides
    assert plain_requested(environ) is plain
    written = io.StringIO()
    console = terminal_console(file=written, environ=environ, force_terminal=True, color_system="truecolor")
    console.print(Text("heading", style="bold underline"), Text("note", style="yellow"))
    assert ("\x1b" not in written.getvalue()) is plain
    assert "heading" in written.getvalue()


def _through_a_terminal(arguments: list[str], **changes: str | None) -> tuple[str, int | None]:
    """What `python -m bptutor ARGUMENTS` writes to a pseudo-terminal, and its exit status."""
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable, ["-m", "bptutor", *arguments], cwd=str(ROOT), env=_environment(**changes),
        encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120),
    )  # fmt: skip
    try:
        text = child.read()
    finally:
        child.close()
    return text, child.exitstatus


@pytest.mark.slow
@pytest.mark.parametrize(
    "arguments",
    [["run", "two_two_two"], ["graph", "two_two_two"], ["check", "two_two_two", "scenarios/answers/two_two_two_published.yaml"]],
)
def test_no_color_and_a_dumb_terminal_get_no_escape_sequence(arguments):
    styled, styled_status = _through_a_terminal(arguments, TERM="xterm-256color")
    assert "\x1b[1m" in styled  # a terminal that wants styles gets bold: the test sees escapes when there are some
    for changes in ({"TERM": "xterm-256color", "NO_COLOR": "1"}, {"TERM": "dumb"}):
        text, status = _through_a_terminal(arguments, **changes)
        assert "\x1b" not in text, changes
        assert status == styled_status  # check: 1, a value of the notes is wrong; the others 0
        unstyled = re.sub(r"\x1b\[[0-9;]*m", "", styled)  # (a styled line may end in blanks inside its styles)
        assert [line.rstrip() for line in text.splitlines()] == [line.rstrip() for line in unstyled.splitlines()]


# ── shell completion ──────────────────────────────────────────────────────────


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script_of_the_shell_named(shell, lang):
    result = CliRunner().invoke(build_app(lang), ["--show-completion", shell], env=PLAIN, prog_name="bptutor")
    assert result.exit_code == 0, result.output
    assert f"{completion.COMPLETE_VAR}=complete_{shell}" in result.stdout
    assert result.stdout == completion.completion_script(shell) + "\n"


def test_show_completion_alone_takes_the_shell_bptutor_runs_in(monkeypatch):
    monkeypatch.setattr(completion, "detected_shell", lambda: "zsh")
    result = CliRunner().invoke(app, ["--show-completion"], env=PLAIN, prog_name="bptutor")
    assert result.exit_code == 0 and "#compdef bptutor" in result.stdout
    result = CliRunner().invoke(app, ["--show-completion", "--lang", "zh"], env=PLAIN, prog_name="bptutor")
    assert result.exit_code == 0 and "#compdef bptutor" in result.stdout
    monkeypatch.setattr(completion, "detected_shell", lambda: None)
    result = CliRunner().invoke(app, ["--show-completion"], env=PLAIN, prog_name="bptutor")
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == f"bptutor: {message('completion.no_shell', 'en', shells=', '.join(completion.SHELLS))}\n"


def test_an_unknown_shell_exits_2_naming_the_shells():
    result = CliRunner().invoke(build_app("zh"), ["--show-completion", "tcsh"], env=PLAIN, prog_name="bptutor")
    assert result.exit_code == EXIT_USAGE
    assert result.stderr == f"bptutor: {message('completion.unknown_shell', 'zh', shell='tcsh', shells=', '.join(completion.SHELLS))}\n"


def test_the_shell_is_filled_in_only_where_none_follows():
    named = completion.with_shell_named
    assert named(["--show-completion"]) == ["--show-completion", ""]
    assert named(["--show-completion", "--lang", "zh"]) == ["--show-completion", "", "--lang", "zh"]
    assert named(["--install-completion", "fish"]) == ["--install-completion", "fish"]
    assert named(["run", "x", "--", "--show-completion"]) == ["run", "x", "--", "--show-completion"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help_lists_the_completion_options_in_the_apps_language(lang):
    result = CliRunner().invoke(build_app(lang), ["--help"], env=PLAIN, prog_name="bptutor")
    text = "".join(result.stdout.split())
    for option in ("--install-completion", "--show-completion"):
        assert option in result.stdout
    assert "".join(message("help.show_completion", lang).split()) in text


def test_install_completion_writes_the_script_where_bash_reads_it(tmp_path):
    result = CliRunner().invoke(
        app, ["--install-completion", "bash"], env={**PLAIN, "HOME": str(tmp_path)}, prog_name="bptutor"
    )
    assert result.exit_code == 0, result.output
    script = tmp_path / ".bash_completions" / "bptutor.sh"
    assert script.read_text() == completion.completion_script("bash")
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
    assert result.stdout == message("completion.installed", "en", shell="bash", path=script) + "\n"


@pytest.fixture
def on_path(tmp_path: Path) -> Path:
    """A folder holding a `bptutor` program (this checkout, this Python), to put first on PATH."""
    program = tmp_path / "bin" / "bptutor"
    program.parent.mkdir()
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m bptutor "$@"\n', encoding="utf-8")
    program.chmod(0o755)
    return program.parent


def _completions(arguments: list[str], environment: dict[str, str]) -> str:
    finished = subprocess.run(
        [sys.executable, "-m", "bptutor", *arguments], capture_output=True, text=True, cwd=ROOT, env=environment,
        timeout=TIMEOUT, check=True,
    )  # fmt: skip
    return finished.stdout


@pytest.mark.slow
def test_bash_completes_commands_options_and_choices_with_the_script(on_path):
    script = completion.completion_script("bash")
    typed = [("bptutor r", 1), ("bptutor run --d", 2), ("bptutor run two_two_two --format ", 4)]
    lines = [script]
    for words, current in typed:
        array = " ".join(f'"{word}"' for word in words.split(" "))
        lines.append(f'COMP_WORDS=({array}); COMP_CWORD={current}; _bptutor_completion bptutor; echo "${{COMPREPLY[*]}}"')
    environment = _environment(PATH=f"{on_path}{os.pathsep}{os.environ['PATH']}")
    finished = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", "\n".join(lines)], capture_output=True, text=True, env=environment,
        timeout=TIMEOUT, check=True,
    )  # fmt: skip
    assert finished.stdout.splitlines() == ["run", "--digits", "rich json"]


@pytest.mark.slow
def test_zsh_and_fish_get_completions_through_the_variables_their_scripts_set():
    """zsh and fish need not be installed: their scripts run bptutor with these variables, as here."""
    zsh_script, fish_script = completion.completion_script("zsh"), completion.completion_script("fish")
    assert '_TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _BPTUTOR_COMPLETE=complete_zsh bptutor' in zsh_script
    assert "_BPTUTOR_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args" in fish_script
    zsh = _completions([], _environment(_BPTUTOR_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="bptutor ex"))
    assert zsh.startswith("_arguments '*: :((\"explain\":") and message("help.explain.short", "en") in zsh
    fish = _completions(
        [], _environment(_BPTUTOR_COMPLETE="complete_fish", _TYPER_COMPLETE_FISH_ACTION="get-args", _TYPER_COMPLETE_ARGS="bptutor run --a")
    )
    assert fish.split("\t")[0] == "--ascii"
    chinese = _completions([], _environment(_BPTUTOR_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="bptutor ex", LANG="zh_CN.UTF-8", LC_ALL=None))
    assert message("help.explain.short", "zh") in chinese
