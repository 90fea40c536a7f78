"""`bptutor check` on a class: the gradebook, its marks, the class's mistakes, CSV, JSON, and bad input.

Every expected mark is worked out by hand below from the 2-2-2 example's
structure (4 neurons; 12 parameters) and values its tracer does not compute
here: σ(0.6) = 0.645656…, σ(0.66) = 0.659260…, σ(0.67) = 0.661503….
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.loading.builtin import builtin_path
from bptutor.loading.document import load_document
from bptutor.render.gradebook import CSV_COLUMNS, render_gradebook_csv, safe_cell
from bptutor.teach.gradebook import (
    DEFAULT_SCHEME,
    answers_files,
    grade_class,
    load_scheme,
    parse_points_option,
)

ROOT = Path(__file__).resolve().parent.parent
CLASS = ROOT / "scenarios" / "answers" / "class"
ENVIRONMENT = {"COLUMNS": "80", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
# the 2-2-2 example's required steps, counted by hand: in and out of 4 neurons (8), E_o1, E_o2 and
# E_total (3), ∂E/∂out, σ′ and δ of 4 neurons (12), 12 gradients, 12 updated parameters; ∂in/∂w is optional
FORWARD, LOSS, DELTAS, GRADIENTS, UPDATES = 8, 3, 12, 12, 12
# out_h1 = σ(0.6) = 0.6457 right; out_h2 = σ(0.66) = 0.6593 wrong (b1 for b2; correct σ(0.67) = 0.6615);
# in_o1 = 0.5 × 0.6457 + 0.6 × 0.6593 + 0.66 = 1.37843, so 1.3784 is consistent (correct 1.3797)
ONE_SLIP = "out_h1: 0.6457\nout_h2: 0.6593\nin_o1: 1.3784\n"


@pytest.fixture(scope="module")
def scenario():
    return load_document(builtin_path("two_two_two"))


def invoke(*arguments: str):
    return CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ── marks ─────────────────────────────────────────────────────────────────────


def test_marks_follow_the_scheme_kind_by_kind(scenario, tmp_path):
    slip = write(tmp_path, "slip.yaml", ONE_SLIP)
    scheme = parse_points_option("forward=2,loss=3,deltas=0.5,gradients=1,updates=0,carried=0.5", DEFAULT_SCHEME)
    assert scheme is not None
    (only,) = grade_class(scenario, [slip], scheme=scheme).submissions
    # out_h1 right: 2; out_h2 wrong: 0; in_o1 consistent: 2 × 0.5 = 1
    assert only.earned == Decimal(3)
    assert only.possible == 2 * FORWARD + 3 * LOSS + Decimal("0.5") * DELTAS + 1 * GRADIENTS + 0 * UPDATES


def test_the_default_scheme_gives_a_point_a_value_and_full_credit_carried(scenario, tmp_path):
    slip = write(tmp_path, "slip.yaml", ONE_SLIP)
    (only,) = grade_class(scenario, [slip]).submissions
    assert (only.earned, only.possible) == (2, FORWARD + LOSS + DELTAS + GRADIENTS + UPDATES)


def test_a_value_written_twice_earns_its_points_only_when_both_are_right(scenario, tmp_path):
    both = write(tmp_path, "both.yaml", "out_h1: [0.6457, 0.646]\n")
    one_wrong = write(tmp_path, "one_wrong.yaml", "out_h1: [0.6457, 0.6466]\n")
    book = grade_class(scenario, [both, one_wrong])
    assert [submission.earned for submission in book.submissions] == [1, 0]


def test_a_whole_right_solution_earns_every_mark(scenario):
    (alice,) = grade_class(scenario, [CLASS / "alice.yaml"]).submissions
    assert alice.earned == alice.possible == FORWARD + LOSS + DELTAS + GRADIENTS + UPDATES


# ── the class's mistakes ──────────────────────────────────────────────────────


def test_the_common_mistakes_are_counted_once_per_student(scenario, tmp_path):
    for name in ("bob.yaml", "alice.yaml"):
        shutil.copy(CLASS / name, tmp_path / name)
    shutil.copy(CLASS / "bob.yaml", tmp_path / "bob2.yaml")
    book = grade_class(scenario, answers_files([tmp_path]))
    assert [submission.student for submission in book.submissions] == ["alice", "bob", "bob2"]
    # bob's file leaves σ′ out of both output error terms: two mistakes, each made by bob and bob2
    top = book.mistakes[:2]
    assert [mistake.students for mistake in top] == [("bob", "bob2"), ("bob", "bob2")]
    texts = [mistake.message.render("en") for mistake in top]
    assert texts[0].startswith("∂out_o1/∂in_o1 written down but not multiplied in")
    assert texts[1].startswith("∂out_o2/∂in_o2 written down but not multiplied in")
    assert book.most_wrong[:2] == (("δ_o1", 2), ("δ_o2", 2))


def test_rounded_and_carried_work_is_never_marked_wrong(scenario):
    # 王芳 works to 6 decimals and never writes σ′ down: δ_o2 = −0.150952 × 0.135046 = −0.020385 (not −0.020386)
    (wang,) = grade_class(scenario, [CLASS / "王芳.yaml"]).submissions
    assert wang.report is not None and wang.report.count("wrong") == 0
    assert wang.earned == FORWARD + LOSS + GRADIENTS + UPDATES + DELTAS - 4  # the four σ′ not written


# ── bad files are rows, not the end of the class ─────────────────────────────


def test_a_bad_file_is_a_row_with_its_error_and_exit_3(tmp_path):
    write(tmp_path, "good.yaml", ONE_SLIP)
    write(tmp_path, "broken.yaml", "out_h1: [0.6457\n")
    result = invoke("check", "two_two_two", str(tmp_path), str(tmp_path / "missing.yaml"), "--format", "json")
    assert result.exit_code == 3, result.output
    document = json.loads(result.stdout)
    rows = {row["student"]: row for row in document["students"]}
    assert list(rows) == ["broken", "good", "missing"]
    assert rows["good"]["marks"] == 2
    assert rows["broken"]["error"].startswith(f"{tmp_path / 'broken.yaml'}:2:1")
    assert "missing.yaml" in rows["missing"]["error"]
    assert document["not_read"] == 2


def test_a_class_all_read_exits_0_even_with_wrong_values(tmp_path):
    write(tmp_path, "slip.yaml", ONE_SLIP)
    result = invoke("check", "two_two_two", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "slip" in result.stdout and "2/47" in result.stdout


def test_one_file_keeps_the_single_student_report_and_its_exit_code(tmp_path):
    slip = write(tmp_path, "slip.yaml", ONE_SLIP)
    result = invoke("check", "two_two_two", str(slip))
    assert result.exit_code == 1
    assert "First wrong value: out_h2 = 0.6593 (correct: 0.6615)." in result.stdout


def test_an_empty_folder_and_bad_points_are_usage_errors(tmp_path):
    result = invoke("check", "two_two_two", str(tmp_path))
    assert result.exit_code == 2
    assert "no answers files" in result.output
    result = invoke("check", "two_two_two", str(CLASS), "--points", "forwards=2")
    assert result.exit_code == 2
    assert "--points forwards=2: expected KIND=POINTS" in result.output
    for bad in ("carried=2", "loss=-1", "loss=1e3", "loss"):
        assert parse_points_option(bad, DEFAULT_SCHEME) is None, bad


# ── the marking-scheme file ───────────────────────────────────────────────────


def test_a_scheme_file_is_read(tmp_path):
    path = write(tmp_path, "scheme.yaml", "points:\n  gradients: 2\n  updates: 0.5\ncarried: 0.25\n")
    scheme = load_scheme(path)
    assert dict(scheme.points) == {"forward": 1, "loss": 1, "deltas": 1, "gradients": 2, "updates": Decimal("0.5")}
    assert scheme.carried == Decimal("0.25")


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("points:\n  gradient: 2\n", ":2:3 [points.gradient]", "did you mean 'gradients'"),
        ("points:\n  loss: lots\n", ":2:9 [points.loss]", "expected a number from 0 to 1000"),
        ("carried: 1.5\n", ":1:10 [carried]", "expected a number from 0 to 1"),
        ("point: {loss: 1}\n", ":1:1 [point]", "did you mean 'points'"),
        ("- 1\n", ":1:1", "a marking scheme is a mapping"),
    ],
)
def test_a_bad_scheme_is_located_and_exits_3(tmp_path, text, where, words):
    path = write(tmp_path, "scheme.yaml", text)
    result = invoke("check", "two_two_two", str(CLASS), "--scheme", str(path))
    assert result.exit_code == 3
    assert f"{path}{where}" in result.output
    assert words in result.output
    assert "Traceback" not in result.output


# ── CSV ───────────────────────────────────────────────────────────────────────


def test_csv_is_utf8_with_a_bom_and_keeps_chinese_names():
    result = invoke("check", "two_two_two", str(CLASS), "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    students = [row[0] for row in rows[1:]]
    assert students == ["alice", "bob", "chen", "dana", "王芳"]
    alice = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert (alice["right"], alice["wrong"], alice["marks"], alice["out_of"]) == ("47", "0", "47", "47")


def test_csv_neutralises_formulas_in_student_controlled_cells(scenario, tmp_path):
    hostile = write(tmp_path, "=cmd|' calc'!A0.yaml", ONE_SLIP)
    plus = write(tmp_path, "+SUM(A1).yaml", "out_h1: [\n")
    book = grade_class(scenario, [hostile, plus])
    rows = list(csv.reader(io.StringIO(render_gradebook_csv(book))))
    assert rows[1][0] == "'=cmd|' calc'!A0"
    assert rows[2][0] == "'+SUM(A1)"
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "@")) for cell in row), row
    assert safe_cell("-0.0204") == "-0.0204"  # a number is left as it is
    assert safe_cell("-x") == "'-x"
    assert safe_cell("@A1") == "'@A1"
    assert safe_cell("\t=1") == "'\t=1"


def test_the_terminal_gradebook_reads_at_80_columns_in_both_languages():
    for lang in ("en", "zh"):
        result = invoke("check", "two_two_two", str(CLASS), "--lang", lang)
        assert result.exit_code == 0
        assert all(cell_len(line) <= 80 for line in result.stdout.splitlines())
        assert "王芳" in result.stdout
        lines = result.stdout.splitlines()
        # a wrapped note hangs under its text ("  dana: " is 8 columns), never under the student's name
        notes = [index for index, line in enumerate(lines) if line.startswith("  dana") and "2" in line]
        assert notes
        assert any(lines[index + 1].startswith(" " * 8) and lines[index + 1][8] != " " for index in notes)
        # a list of quantities breaks between its items, never inside a name
        assert not any(line.rstrip().endswith(("∂E_total/∂w", "∂E_total/∂")) for line in lines)


def test_a_file_name_with_terminal_escapes_is_shown_escaped(tmp_path):
    write(tmp_path, "x\x1b[31my.yaml", ONE_SLIP)
    result = invoke("check", "two_two_two", str(tmp_path))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "x\\x1b[31my" in result.stdout
