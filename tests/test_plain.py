"""Output to a file or a pipe, laid out by `bptutor.render.plain` without rich's Console.

Everything laid out there must be what rich prints: every piece kind (Text in every
justify, overflow and wrap setting, Padding, FittedTable fitting and stacked, Wrapped,
Phrases) is compared with rich's own output at many widths, and the commands that print
this way are run both ways at 40 to 140 columns, in English and Chinese. The goldens
(test_golden.py, test_widths.py) run the plain path; here they are run through rich too.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text
from typer.testing import CliRunner

import bptutor.render.plain as plain
from bptutor.cli.app import app
from bptutor.render.fit import FittedTable, Phrases, Wrapped
from bptutor.render.plain import Pieces, plain_text, plain_width, text_lines
from tests.hypothesis_profiles import examples

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = "scenarios/answers/two_two_two_published.yaml"
CLASS = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "scenarios/answers/class").glob("*.yaml"))


def stripped(printed: str) -> str:
    """What `show` writes: each line without its trailing blanks."""
    return "\n".join(line.rstrip() for line in printed.split("\n"))


def rich_prints(pieces: list[object], width: int) -> str:
    """The pieces as rich prints them, one under another, to a stream it does not style."""
    out = io.StringIO()
    console = Console(
        file=out, width=width, color_system=None, force_terminal=False, force_jupyter=False, highlight=False
    )
    console.print(Group(*pieces), soft_wrap=False)  # type: ignore[arg-type]
    return stripped(out.getvalue())


def plain_prints(pieces: list[object], width: int) -> str | None:
    printed = plain_text(pieces, width)
    return None if printed is None else stripped(printed)


# ── the width and when the path applies: rich's own rules ─────────────────────


class Stream(io.StringIO):
    def __init__(self, terminal: bool | None = False, encoding: str | None = None) -> None:
        super().__init__()
        self.terminal = terminal
        self._encoding = encoding

    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        return self._encoding

    def isatty(self) -> bool:
        if self.terminal is None:
            raise ValueError("I/O operation on closed file")
        return self.terminal


ENVIRONMENTS = [
    {},
    {"COLUMNS": "100"},
    {"COLUMNS": "37", "LINES": "10"},
    {"COLUMNS": "wide"},
    {"COLUMNS": "0"},
    {"LINES": "12"},
    {"TERM": "dumb"},
    {"TERM": "dumb", "COLUMNS": "90"},
    {"NO_COLOR": "1", "COLUMNS": "70"},
    {"FORCE_COLOR": "1"},
    {"FORCE_COLOR": ""},
    {"FORCE_COLOR": "0", "COLUMNS": "66"},
    {"TTY_COMPATIBLE": "1"},
    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    {"TTY_COMPATIBLE": "2", "FORCE_COLOR": "1"},
]


@pytest.mark.parametrize("terminal", [False, True, None], ids=["file", "terminal", "closed"])
@pytest.mark.parametrize("environ", ENVIRONMENTS, ids=[str(environ) for environ in ENVIRONMENTS])
def test_the_plain_width_is_richs_and_only_where_rich_prints_no_style(environ, terminal):
    stream = Stream(terminal)
    console = Console(file=stream, force_jupyter=False, _environ=environ)
    width = plain_width(stream, environ)
    if console.is_terminal or console.width < 1:
        assert width is None
    else:
        assert console.color_system is None  # nothing styled: the text is all rich writes
        assert width == console.width
    assert (width is None) == (console.is_terminal or console.width < 1)


def test_a_stream_that_is_not_utf8_is_left_to_rich():
    """rich draws a table's lines in ASCII there (and bptutor's own symbols are spelled out)."""
    assert plain_width(Stream(encoding="cp1252"), {"COLUMNS": "80"}) is None
    assert plain_width(Stream(encoding="UTF-8"), {"COLUMNS": "80"}) == 80
    assert plain_width(Stream(encoding=None), {"COLUMNS": "80"}) == 80


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_without_columns_the_width_is_the_terminal_on_stdin_as_rich_finds_it():
    """Output piped on, input from a terminal: rich takes that terminal's width, and so does the plain path."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 97, 0, 0))
    code = (
        "from rich.console import Console; from bptutor.render.plain import plain_width; "
        "print(plain_width(), Console().width)"
    )
    environ = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE")}
    environ["PYTHONPATH"] = str(ROOT)
    try:
        result = subprocess.run(
            [sys.executable, "-c", code], stdin=follower, capture_output=True, text=True, env=environ, check=True
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.stdout.split() == ["97", "97"]


# ── each kind of piece, laid out as rich lays it out ──────────────────────────

WORDS = [
    "w5",
    "0.6456563062",
    "∂E_total/∂w5",
    "权重",
    "输出层的误差项",
    "σ′(in_o1)",
    "x" * 30,
    "a",
    "−0.25",
    "(t − o)",
    "很长的中文句子没有空格可以断开",
]
TEXTS = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join)
WIDTHS = st.integers(min_value=1, max_value=130)


@settings(max_examples=examples(300), deadline=None)
@given(
    text=TEXTS,
    width=WIDTHS,
    justify=st.sampled_from([None, "default", "left", "right", "center", "full"]),
    overflow=st.sampled_from([None, "fold", "crop", "ellipsis"]),
    no_wrap=st.sampled_from([None, False, True]),
    extra=st.sampled_from(["", "\n", "\tafter a tab", "\n\nthird line", "   "]),
)
def test_text_is_laid_out_as_rich_lays_it_out(text, width, justify, overflow, no_wrap, extra):
    piece = Text(text + extra, justify=justify, overflow=overflow, no_wrap=no_wrap)
    printed = plain_prints([piece], width)
    if printed is None:  # left to rich: full justification (rich spreads the words with their spaces' styles)
        assert justify == "full"
    else:
        assert printed == rich_prints([piece], width)


@pytest.mark.parametrize(
    "piece",
    [Text("a\x1b[31m red"), Text("no newline", end=""), Text("x\x1f")],
    ids=["escape", "no_end", "unit_separator"],
)
def test_text_rich_prints_its_own_way_is_left_to_rich(piece):
    assert text_lines(piece, 80) is None
    assert plain_text([Text("before"), piece], 80) is None


def test_control_characters_a_text_drops_are_dropped_alike():
    piece = Text("bell\x07 and\r return")
    assert plain_prints([piece], 80) == rich_prints([piece], 80) == "bell and return\n"


@settings(max_examples=examples(150), deadline=None)
@given(
    text=TEXTS,
    width=st.integers(min_value=1, max_value=100),
    sides=st.tuples(*[st.integers(min_value=0, max_value=6)] * 4),
)
def test_padding_is_laid_out_as_rich_lays_it_out(text, width, sides):
    piece = Padding(Text(text), sides)
    printed = plain_prints([piece], width)
    if printed is None:
        assert width - sides[1] - sides[3] < 1
    else:
        assert printed == rich_prints([piece], width)


@settings(max_examples=examples(150), deadline=None)
@given(text=st.lists(st.sampled_from([*WORDS, "=", "= 0.1 × 0.2", "w1 = 0.1,", "；", "、"]), max_size=25).map(" ".join),
       width=st.integers(min_value=8, max_value=120))
def test_wrapped_lines_and_phrases_are_laid_out_as_rich_lays_them_out(text, width):
    for piece in (Wrapped(text), Phrases(text), Wrapped("    " + text)):
        printed = plain_prints([piece], width)
        assert printed is not None
        assert printed == rich_prints([piece], width)


CELLS = st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map(" ".join)


@st.composite
def tables(draw: st.DrawFn) -> FittedTable:
    columns = draw(st.integers(min_value=1, max_value=5))
    table = FittedTable(
        box=draw(st.sampled_from([box.SIMPLE_HEAD, box.ASCII, None, box.HEAVY_HEAD, box.SIMPLE])),
        show_edge=False,
        pad_edge=draw(st.booleans()),
        padding=(0, draw(st.integers(0, 3)), 0, draw(st.integers(0, 3))),
        header_style="bold",
        stacking=draw(st.sampled_from(["equation", "labelled"])),
    )
    for _ in range(columns):
        table.add_column(
            Text(draw(CELLS)),
            justify=draw(st.sampled_from(["left", "right"])),
            no_wrap=draw(st.booleans()),
            vertical=draw(st.sampled_from(["top", "top", "middle"])),
        )
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        table.add_row(*(Text(draw(CELLS)) for _ in range(columns)), style=draw(st.sampled_from([None, "bold"])))
    return table


@settings(max_examples=examples(300), deadline=None)
@given(table=tables(), width=st.integers(min_value=10, max_value=140))
def test_a_table_is_laid_out_as_rich_lays_it_out(table, width):
    printed = plain_prints([table], width)
    if printed is not None:
        assert printed == rich_prints([table], width)
    elif table.box in (box.SIMPLE_HEAD, box.ASCII, None):
        # left to rich only for a row it must align other than to the top (a wrapped cell in a middle column)
        assert any(column.vertical == "middle" for column in table.columns)


def check_table(width: int) -> FittedTable:
    table = FittedTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 3, 0, 0))
    for header, justify in (("quantity", "left"), ("claimed", "right"), ("correct", "right"), ("verdict", "left")):
        table.add_column(Text(header), justify=justify, no_wrap=header != "verdict")  # type: ignore[arg-type]
    table.add_row(Text("out_h2"), Text("0.6592603884"), Text("0.6615031592"), Text("WRONG"), style="bold")
    table.add_row(Text("in_o1"), Text("1.3783843861"), Text("1.3797300486"), Text("consistent with your out_h2"))
    table.add_row(Text("∂E_total/∂w5"), Text("—"), Text("0.083831569303"), Text("not given"))
    return table


@pytest.mark.parametrize("width", [20, 30, 45, 50, 60, 80, 120])
def test_the_check_table_fitting_wrapping_and_stacked(width):
    table = check_table(width)
    printed = plain_prints([table], width)
    assert printed is not None
    assert printed == rich_prints([table], width)
    if width == 80:
        assert printed.splitlines()[1].startswith("─" * 20)  # the header's rule, drawn here
    if width == 30:
        assert "out_h2:" in printed  # stacked: each row a block


def test_a_table_cell_that_is_not_text_is_left_to_rich():
    table = check_table(80)
    table.add_row("w6", Text("—"), Text("0.1"), Text("not given"))
    assert table.plain_lines(80) is None
    assert plain_text([Text("title"), table], 80) is None


class TooWide:
    def plain_lines(self, width: int) -> list[str]:
        return ["x" * (width + 1)]


def test_a_line_rich_would_crop_is_left_to_rich():
    assert plain_text([Text("fits"), TooWide()], 20) is None


def test_anything_else_is_left_to_rich():
    assert plain_text([Text("a"), "a string rich reads for markup"], 80) is None
    assert plain_text([Group(Text("a"))], 80) is None


def test_pieces_print_as_richs_group():
    pieces = [Text("title"), check_table(60), Padding(Text("indented " * 12), (0, 0, 0, 4)), Wrapped("a = b = c")]
    out = io.StringIO()
    Console(file=out, width=60, color_system=None, force_terminal=False).print(Pieces(*pieces))
    assert stripped(out.getvalue()) == rich_prints(pieces, 60)


# ── the commands: the same text both ways, and the plain way taken ────────────

COMMANDS = {
    "check": ["check", "two_two_two", PUBLISHED],
    "check_batch": ["check", "two_samples", "scenarios/answers/two_samples_step1.yaml"],
    "explain_w1": ["explain", "w1"],
    "explain_softmax": ["explain", "w5", "-s", "softmax_two_layer", "--jacobian"],
    "train": ["train", "xor", "--digits", "6", "--epochs", "20"],
}
CLASS_COMMANDS = {f"check_{Path(path).stem}": ["check", "two_two_two", path] for path in CLASS}
CASES = [
    *sorted(COMMANDS),
    *(pytest.param(name, marks=pytest.mark.slow) for name in sorted(CLASS_COMMANDS)),  # the full suite only
]


def printed(arguments: list[str], width: int, allowed: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[str, bool]:
    """The command's output at `width` with the plain path allowed or not, and whether it was taken."""
    taken: list[bool] = []
    original = plain.plain_text

    def spied(pieces: list[object], width: int) -> str | None:
        text = original(pieces, width)
        taken.append(text is not None)
        return text

    environment = {"COLUMNS": str(width), "NO_COLOR": None, "TERM": None, "FORCE_COLOR": None, "TTY_COMPATIBLE": None}
    with monkeypatch.context() as patch:
        patch.setattr(plain, "plain_text", spied)
        if not allowed:
            patch.setattr(plain, "plain_width", lambda *_args, **_kwargs: None)
        result = CliRunner().invoke(app, arguments, env=environment)
    assert result.exit_code in (0, 1), result.output
    return result.output, any(taken)


@pytest.mark.parametrize("width", [40, 80, *(pytest.param(width, marks=pytest.mark.slow) for width in (60, 100, 140))])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", CASES)
def test_commands_print_the_same_text_as_through_rich(name, lang, width, monkeypatch):
    monkeypatch.chdir(ROOT)
    arguments = [*{**COMMANDS, **CLASS_COMMANDS}[name], "--lang", lang]
    mine, taken = printed(arguments, width, True, monkeypatch)
    theirs, _ = printed(arguments, width, False, monkeypatch)
    assert mine == theirs
    assert taken  # not rich compared with itself


def test_goldens_hold_through_rich_too(monkeypatch):
    """The goldens are written by the plain path wherever it applies; rich alone writes the same."""
    from tests.test_golden import CASES, ENVIRONMENT, GOLDEN

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(plain, "plain_width", lambda *_args, **_kwargs: None)
    for case in ("check_published_zh", "explain_w1", "explain_w5_softmax_zh", "train_xor_zh"):
        result = CliRunner().invoke(app, CASES[case], env=ENVIRONMENT)
        assert result.output == (GOLDEN / f"{case}.txt").read_text(encoding="utf-8"), case


def test_piped_check_never_loads_richs_console():
    """The start-up saving itself: check's report written to a pipe does not import rich.console."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('console loaded: %s' % ('rich.console' in sys.modules)))\n"
        "from bptutor.cli.app import main\n"
        f"sys.argv = ['bptutor', 'check', 'two_two_two', {PUBLISHED!r}]\n"
        "main()\n"
    )
    environ = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    environ.update(PYTHONPATH=str(ROOT), COLUMNS="80")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environ, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert "First wrong value: out_h2" in result.stdout
    assert result.stderr.endswith("console loaded: False")
