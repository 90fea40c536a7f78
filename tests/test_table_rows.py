"""The rows of a fitting table, laid out by `FittedTable.text_rows` instead of by rich cell by cell.

What each character looks like must be what rich itself prints, in colour too: every
table the commands print is rendered both ways on a true-colour terminal and compared
character by character (character, style), at 60 to 120 columns, in English and Chinese.
The goldens (test_golden.py, test_widths.py) hold the same for colour off.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.render.fit import FittedTable

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = "scenarios/answers/two_two_two_published.yaml"
WIDTHS = (60, 80, 100, 120)
COMMANDS = {
    "run": ["run", "two_two_two"],
    "run_circuit": ["run", "circuit"],
    "run_softmax": ["run", "softmax_two_layer"],
    "run_xor_steps": ["run", "xor", "--steps", "2", "--digits", "6"],
    "run_ascii": ["run", "two_two_two", "--ascii", "--digits", "4"],
    "check": ["check", "two_two_two", PUBLISHED],
    "check_class": ["check", "two_two_two", "scenarios/answers/class"],
    "train": ["train", "xor", "--digits", "6", "--epochs", "20"],
}


def printed_tables(arguments: list[str], monkeypatch: pytest.MonkeyPatch) -> list[FittedTable]:
    """Every FittedTable the command prints (each asks for the width it needs first)."""
    tables: dict[int, FittedTable] = {}
    needed_width = FittedTable.needed_width

    def recorded(self: FittedTable, console: Console, options: object) -> int:
        tables[id(self)] = self
        return needed_width(self, console, options)  # type: ignore[arg-type]

    monkeypatch.chdir(ROOT)
    with monkeypatch.context() as patch:
        patch.setattr(FittedTable, "needed_width", recorded)
        result = CliRunner().invoke(app, arguments, env={"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code in (0, 1), result.output
    return list(tables.values())


def looks(table: FittedTable, width: int) -> list[tuple[str, Style]]:
    """Each character printed on a true-colour terminal `width` columns wide, with its style."""
    console = Console(force_terminal=True, color_system="truecolor", width=width, record=False)
    return [
        (character, segment.style or Style.null())
        for segment in console.render(table)
        if not segment.control
        for character in segment.text
    ]


def as_rich_prints(table: FittedTable, width: int, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Style]]:
    with monkeypatch.context() as patch:
        patch.setattr(FittedTable, "text_rows", lambda self, console, options: None)
        return looks(table, width)


def laid_out_here(table: FittedTable, width: int) -> bool:
    console = Console(force_terminal=True, color_system="truecolor", width=width)
    fits = table.needed_width(console, console.options) <= width
    return fits and table.text_rows(console, console.options) is not None


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_printed_table_looks_as_rich_prints_it(name, lang, monkeypatch):
    tables = printed_tables([*COMMANDS[name], "--lang", lang], monkeypatch)
    assert tables
    fast = 0
    for table in tables:
        for width in WIDTHS:
            assert looks(table, width) == as_rich_prints(table, width, monkeypatch), (name, lang, width)
            fast += laid_out_here(table, width)
    assert fast >= len(tables)  # not a comparison of rich with itself


def test_wrong_rows_are_bold_and_numbers_right_justified_in_the_check_table(monkeypatch):
    """What the comparison above covers in the check table: bold rows, right-justified numbers,
    and cells exactly as wide as their column."""
    (table,) = printed_tables(COMMANDS["check"], monkeypatch)
    assert {row.style for row in table.rows} == {None, "bold"}
    assert [column.justify for column in table.columns] == ["left", "right", "right", "left"]
    console = Console(force_terminal=True, color_system="truecolor", width=120)
    widths = table._calculate_column_widths(console, console.options.update_width(120 - table._extra_width))
    for column, width in zip(table.columns, widths, strict=True):
        padding = table.side_padding(column._index)
        assert max(len(cell.plain) for cell in column._cells) == width - sum(padding) or column.header
    bold = Style(bold=True)
    wrong = [character for character, style in looks(table, 120) if style == bold]
    assert "".join(wrong).count("WRONG") == sum(row.style == "bold" for row in table.rows)


def sample_table(**options: object) -> FittedTable:
    """Left and right columns, Chinese cells, a cell that wraps (on a row with a background), one
    that is no Text, a cell exactly as wide as its column, one with trailing blanks."""
    table = FittedTable(box=box.ASCII, show_edge=False, header_style="bold", padding=(0, 2, 0, 1), **options)
    table.add_column("名称", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("note", no_wrap=False)
    table.add_row(Text("w1"), Text("0.1"), Text("right justified, wrapping at forty columns", justify="right"))
    table.add_row(Text("权重 w2"), Text("−0.25  "), Text("说明 ok", style="italic"), style="bold")
    table.add_row(Text("w3"), Text("12.5"), Text("a note that wraps at forty columns"), style="white on blue")
    table.add_row("w4", Text("3"), Text("x"))
    table.add_row(Text("w5"), Text("1234567.125"), Text(""), style="bold")
    return table


@pytest.mark.parametrize("lines", [box.ASCII, box.SIMPLE_HEAD], ids=["ascii", "simple_head"])
@pytest.mark.parametrize("pad_edge", [True, False])
@pytest.mark.parametrize("width", [30, 40, 50, 60, 80, 120])
def test_a_table_of_every_kind_of_row_looks_as_rich_prints_it(width, pad_edge, lines, monkeypatch):
    table = sample_table(pad_edge=pad_edge)
    table.box = lines
    assert looks(table, width) == as_rich_prints(table, width, monkeypatch)
    assert laid_out_here(table, width) == (width >= 40)


def count_render_lines(table: FittedTable, width: int, monkeypatch: pytest.MonkeyPatch) -> int:
    calls = 0
    render_lines = Console.render_lines

    def counted(self: Console, *args: object, **kwargs: object) -> list[list[Segment]]:
        nonlocal calls
        calls += 1
        return render_lines(self, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(Console, "render_lines", counted)
        looks(table, width)
    return calls


def test_the_check_table_rows_are_not_rendered_cell_by_cell(monkeypatch):
    (table,) = printed_tables(COMMANDS["check"], monkeypatch)
    columns = len(table.columns)
    # the header: one padded cell a column, each two renders (the padding and its text)
    assert count_render_lines(table, 120, monkeypatch) == 2 * columns
    # at 80 columns some verdicts wrap over two lines: they are wrapped here too
    console = Console(width=80)
    widths = table._calculate_column_widths(console, console.options.update_width(80 - table._extra_width))
    assert any(cell_len(verdict.plain) > widths[-1] for verdict in table.columns[-1]._cells)
    assert count_render_lines(table, 80, monkeypatch) == 2 * columns


def test_a_row_holding_other_than_text_is_rich_s(monkeypatch):
    table = sample_table()
    # the header, and the row whose first cell is a str
    assert count_render_lines(table, 80, monkeypatch) == 2 * len(table.columns) * 2
    middle = sample_table()
    middle.columns[1].vertical = "middle"  # beside a note that wraps, its one line is centred
    # the header, the two rows whose notes wrap, and the row with a str
    assert count_render_lines(middle, 60, monkeypatch) == 2 * len(table.columns) * 4
    assert looks(middle, 60) == as_rich_prints(middle, 60, monkeypatch)


def test_a_table_outside_the_subset_is_rich_s_alone(monkeypatch):
    table = sample_table(show_lines=True)
    console = Console(force_terminal=True, color_system="truecolor", width=120)
    assert table.text_rows(console, console.options) is None
    assert count_render_lines(table, 120, monkeypatch) >= 2 * len(table.columns) * (table.row_count + 1)
    heavy = sample_table()
    heavy.box = box.HEAVY_HEAD  # its header row's divider differs from the body's
    assert heavy.text_rows(console, console.options) is None
