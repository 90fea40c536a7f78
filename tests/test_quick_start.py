"""What makes a start quick changes no output: the one-command app, and fitted tables measured once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from bptutor.cli.app import build_app, command_named
from bptutor.render.fit import FittedTable, Phrases, Wrapped

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.mark.parametrize(
    ("arguments", "environ", "expected"),
    [
        (["run", "two_two_two"], {}, "run"),
        (["check", "a.yaml", "b.yaml"], {"LANG": "zh_CN.UTF-8"}, "check"),
        (["--lang", "zh", "run", "two_two_two"], {}, None),  # an option before the command: the whole app
        (["--help"], {}, None),
        ([], {}, None),
        (["rn", "two_two_two"], {}, None),  # a misspelt command: the whole app suggests the right one
        (["two_two_two"], {}, None),
        (["run", "two_two_two"], {"_BPTUTOR_COMPLETE": "complete_bash"}, None),  # completions need every command
    ],
)
def test_the_command_a_command_line_starts_with(arguments, environ, expected):
    assert command_named(arguments, environ) == expected


@pytest.mark.parametrize(
    "arguments",
    [
        ["run", "scenarios/two_two_two.yaml"],
        ["run", "--help"],
        ["run"],
        ["run", "scenarios/two_two_two.yaml", "--bogus"],
        ["check", "scenarios/two_two_two.yaml", "scenarios/answers/two_two_two_published.yaml", "--lang", "zh"],
        ["validate", "scenarios/missing.yaml"],
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_app_of_one_command_says_what_the_whole_app_says(arguments, lang, monkeypatch):
    monkeypatch.chdir(ROOT)
    whole = CliRunner().invoke(build_app(lang), arguments, env=ENVIRONMENT)
    alone = CliRunner().invoke(build_app(lang, arguments[0]), arguments, env=ENVIRONMENT)
    assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)


def test_an_app_of_one_command_holds_that_command_alone():
    result = CliRunner().invoke(build_app("en", "validate"), ["run", "scenarios/two_two_two.yaml"], env=ENVIRONMENT)
    assert result.exit_code == 2 and "No such command 'run'" in result.output


def _cells() -> list[list[object]]:
    return [
        [Text("in_h1"), "w1·i1 + w2·i2 + b1", Wrapped("0.1 × 0.1 + 0.2 × 0.2 + 0.55 = 0.6"), Text("0.6")],
        [Text("∂E_total/∂w5"), "δ_o1·out_h1", Phrases("δ_o1 = 0.1267289024, out_h1 = 0.6456563062"), Text("8.2")],
        [Text("中文说明"), "", Wrapped(""), Text("−0.01316204313")],
    ]


def _tables() -> tuple[Table, FittedTable]:
    plain, fitted = Table(), FittedTable(stacking="equation")
    for table in (plain, fitted):
        for header in ("quantity", "formula", "with numbers", "value"):
            table.add_column(header, justify="right" if header == "value" else "left")
        for row in _cells():
            table.add_row(*row)  # type: ignore[arg-type]
    return plain, fitted


@pytest.mark.parametrize("width", [1, 3, 9, 20, 40, 61, 80, 100, 10_000])
def test_a_fitted_column_measures_as_rich_measures_it(width):
    """rich's own measurement of each column (a plain Table, no cache) at every width asked for."""
    plain, fitted = _tables()
    console = Console(width=100, no_color=True)
    options = console.options.update_width(width)
    for column, same in zip(plain.columns, fitted.columns, strict=True):
        expected = plain._measure_column(console, options, column)
        assert fitted._measure_column(console, options, same) == expected
        assert fitted._measure_column(console, options, same) == expected  # asked again: from what was kept


def test_a_fitted_table_measured_again_after_a_row_is_added():
    plain, fitted = _tables()
    console = Console(width=100, no_color=True)
    fitted._measure_column(console, console.options, fitted.columns[2])
    for table in (plain, fitted):
        table.add_row(Text("x"), "", Text("a much longer line of numbers than any before it, 0.123456789"), Text("1"))
    expected = plain._measure_column(console, console.options, plain.columns[2])
    assert fitted._measure_column(console, console.options, fitted.columns[2]) == expected
    assert expected.maximum == len("a much longer line of numbers than any before it, 0.123456789") + 2


@pytest.mark.parametrize("width", [40, 60, 80, 100, 140])
def test_a_fitted_table_prints_as_before(width):
    """Printed twice (each print asks for every measurement three times), and as a plain Table prints it."""
    plain, fitted = _tables()
    outputs = []
    for table in (plain, fitted, fitted):
        console = Console(width=width, no_color=True, file=io.StringIO())
        console.print(table)
        outputs.append(console.file.getvalue())  # type: ignore[attr-defined]
    if fitted.needed_width(Console(width=width), Console(width=width).options) <= width:
        assert outputs[1] == outputs[0]
    assert outputs[2] == outputs[1]


TEXT_CELLS = [
    ["in_h1", "", "0.6", "w1·i1 + w2·i2 + b1"],
    ["∂E_total/∂w5", "   ", "−0.01316204313", "two\nlines, the second longer than the first"],
    ["中文说明", " leading and trailing ", "8.2", "一个 很长的 中文 说明"],
]


def _text_tables(**options: object) -> tuple[Table, FittedTable]:
    """The same columns of `Text` cells only (headers and footers too), as a plain Table and a FittedTable."""
    plain, fitted = Table(**options), FittedTable(**options)  # type: ignore[arg-type]
    for table in (plain, fitted):
        for header in ("quantity", "", "值", "formula"):
            footer = Text(f"{header}: a footer wider than every cell of its column")
            table.add_column(Text(header), footer=footer, justify="right" if header == "值" else "left")
        for row in TEXT_CELLS:
            table.add_row(*(Text(cell) for cell in row))
    return plain, fitted


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"pad_edge": False},
        {"padding": (0, 3, 0, 0), "pad_edge": False, "show_edge": False},
        {"padding": (0, 1, 0, 4), "collapse_padding": True},
        {"padding": (0, 0, 0, 0)},
        {"show_header": False},
        {"show_footer": True},
    ],
)
def test_a_column_of_text_is_measured_as_rich_measures_it(options):
    """Counted without rich's per-cell measuring (`text_column_range`), at every width: the same as rich."""
    plain, fitted = _text_tables(**options)
    console = Console(width=100, no_color=True)
    for column in fitted.columns:
        assert fitted.text_column_range(column) is not None  # the quick count is what is compared
    for width in (1, 2, 5, 9, 14, 40, 100, 10_000):
        measuring = console.options.update_width(width)
        for column, same in zip(plain.columns, fitted.columns, strict=True):
            assert fitted._measure_column(console, measuring, same) == plain._measure_column(console, measuring, column)


def test_a_column_with_anything_but_text_is_left_to_rich():
    _, fitted = _tables()  # str headers, and Wrapped and Phrases cells
    assert all(fitted.text_column_range(column) is None for column in fitted.columns)
