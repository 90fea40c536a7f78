"""One registry per extension point: output formats, commands and exit codes are each listed once.

The command line and the Python API read the same table of handout formats; each
command is declared once and registered from `COMMANDS`; every exit code lives in
`bptutor.errors`, and --help lists them from there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import bptutor
from bptutor import errors
from bptutor.cli.app import app, build_app
from bptutor.cli.commands import COMMANDS
from bptutor.errors import UsageError
from bptutor.handout.outputs import OUTPUT_FORMATS, format_of_path, output_format
from bptutor.i18n import LANGUAGES, catalog, languages_in_words

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def invoke(*arguments: str, lang: str = "en"):
    return CliRunner().invoke(app if lang == "en" else build_app(lang), list(arguments), env=ENVIRONMENT)


# ── output formats ────────────────────────────────────────────────────────────


def test_solve_offers_exactly_the_formats_of_the_table():
    solve = typer.main.get_command(app).commands["solve"]
    (option,) = [param for param in solve.params if param.name == "output_format"]
    assert list(option.type.choices) == list(OUTPUT_FORMATS)


@pytest.mark.parametrize("name", [name for name, row in OUTPUT_FORMATS.items() if not row.binary])
def test_the_command_line_and_the_api_write_the_same_text_for_every_format(name, tmp_path):
    """`solve --format NAME` on stdout, `Solution.save(…)` and the to_* method all give one text."""
    printed = invoke("solve", "two_two_two", "--format", name)
    assert printed.exit_code == 0
    solution = bptutor.solve("two_two_two")
    method = {"md": solution.to_markdown, "tex": solution.to_latex, "html": solution.to_html}[name]
    assert method() == printed.stdout
    row = OUTPUT_FORMATS[name]
    target = tmp_path / f"notes.{row.suffix}"
    written = solution.save(target)  # the format read from the suffix
    assert written[-1] == target
    on_disk = invoke("solve", "two_two_two", "--format", name, "-o", str(tmp_path / f"cli.{row.suffix}"))
    assert on_disk.exit_code == 0
    from_cli = (tmp_path / f"cli.{row.suffix}").read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == from_cli.replace("cli.network.svg", "notes.network.svg")
    if row.figure_beside:  # Markdown links the figure written beside it, by both routes
        assert [path.name for path in written] == ["notes.network.svg", "notes.md"]
        assert "](notes.network.svg)" in target.read_text(encoding="utf-8")


def test_formats_are_found_by_name_and_by_suffix_and_unknown_ones_refused():
    assert format_of_path(Path("a/notes.TEX")) is OUTPUT_FORMATS["tex"]
    assert output_format("pdf").binary and output_format("pdf").program
    with pytest.raises(UsageError, match="docx"):
        output_format("docx")
    with pytest.raises(UsageError, match=r"\.docx"):
        format_of_path(Path("notes.docx"))


def test_the_cli_has_no_chain_of_format_names():
    """The CLI reads the table: no comparison with a handout format's name is left in it."""
    source = (ROOT / "bptutor" / "cli" / "commands.py").read_text(encoding="utf-8")
    for name in OUTPUT_FORMATS:
        assert not re.search(rf"==\s*[\"']{name}[\"']|HandoutFormat\.{name}\b", source), name


# ── commands ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_command_is_registered_once_with_its_help_in_each_language(lang):
    group = typer.main.get_command(build_app(lang))
    assert list(group.commands) == [name for name, _ in COMMANDS]
    for name, _ in COMMANDS:
        assert f"help.{name}" in catalog(lang) and f"help.{name}.short" in catalog(lang)
        command = group.commands[name]
        assert command.help == catalog(lang)[f"help.{name}"].format(
            exit_codes=errors.exit_codes_text(lang), languages=languages_in_words(lang), **errors.exit_code_fields()
        )
        for param in command.params:
            assert not (param.help or "").startswith("help."), (name, param.name)  # every key put into words


# ── exit codes ────────────────────────────────────────────────────────────────


def test_every_exit_code_is_in_the_one_list():
    constants = {name: value for name, value in vars(errors).items() if re.fullmatch(r"EXIT_[A-Z_]+", name)}
    del constants["EXIT_CODES"]
    assert {code.name: code.code for code in errors.EXIT_CODES} == constants
    assert len({code.code for code in errors.EXIT_CODES}) == len(errors.EXIT_CODES)


def test_no_module_but_errors_defines_an_exit_code():
    for path in (ROOT / "bptutor").rglob("*.py"):
        if path.name == "errors.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*EXIT_\w+\s*=", source, re.MULTILINE), path
        assert not re.search(r"(typer\.Exit|sys\.exit)\(\s*[1-9]", source), path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_help_lists_every_documented_exit_code_with_its_meaning(lang):
    """Compared without whitespace: help wraps Chinese between any two characters."""
    text = "".join(invoke("--help", lang=lang).stdout.split())
    for code in errors.EXIT_CODES:
        if code.meaning is not None:
            assert f"{code.code}{''.join(catalog(lang)[code.meaning].split())}" in text
