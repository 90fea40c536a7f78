"""A class's gradebook: a table for people, CSV for spreadsheets, JSON for tools. They format; they never compute.

CSV is UTF-8 with a byte-order mark (so that Excel reads Chinese names as such;
LibreOffice and Python's csv module read it too), one row per student, with
fixed English column names. Every cell that holds text a student controls (the
file's name, an error message quoting it) and starts with one of = + - @ or a
tab or carriage return is written with a leading apostrophe, so that no
spreadsheet takes it for a formula; a cell that is a plain number is left as it is.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from rich.console import Group, JustifyMethod, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from bptutor.errors import printable
from bptutor.i18n import DEFAULT_LANGUAGE, in_language, message
from bptutor.render.check import correct_text
from bptutor.render.fit import FittedTable, Phrases
from bptutor.render.style import Style, make_cell
from bptutor.teach.answers import parse_number
from bptutor.teach.gradebook import Gradebook, Submission
from bptutor.teach.grading import CONSISTENT, MISSING, RIGHT, WRONG

INDENT = "  "
MOST_SHOWN = 10  # mistakes and quantities listed in the terminal (JSON has them all)
CSV_COLUMNS = (
    "student",
    "file",
    "right",
    "carried_forward",
    "wrong",
    "not_given",
    "not_graded",
    "marks",
    "out_of",
    "first_wrong",
    "claimed",
    "correct",
    "diagnoses",
    "warnings",
    "error",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def points(value: Decimal) -> str:
    """Marks as a teacher writes them: 41, 40.5 (never 41.00 or an exponent)."""
    text = format(value.normalize(), "f") if value else "0"
    return text


def first_wrong(submission: Submission, style: Style) -> tuple[str, str, str]:
    """(quantity, claimed, correct at the claim's precision) of the first wrong value, or three blanks."""
    report = submission.report
    row = report.first_wrong if report is not None else None
    if report is None or row is None or row.claim is None:
        return "", "", ""
    return row.step.name, row.claim.text, correct_text(report, row, style)


def diagnoses_text(submission: Submission, lang: str) -> str:
    """Each wrong value's explanations, `quantity: explanation`, separated by semicolons."""
    return message("gradebook.diagnosis_separator", lang).join(
        message("gradebook.diagnosis", lang, name=name, diagnosis=diagnosis)
        for name, diagnosis in submission.mistakes()
    )


def error_text(submission: Submission, lang: str) -> str:
    return submission.error.render(lang) if submission.error is not None else ""


# ── the terminal ──────────────────────────────────────────────────────────────


def render_gradebook(book: Gradebook, style: Style) -> RenderableType:
    scenario = book.scenario
    parts: list[RenderableType] = [
        Text(style.say("check.title", scenario=scenario.name, title=scenario.title_in(style.lang))),
        Text(style.say("gradebook.heading", count=len(book.submissions), scheme=scheme_text(book, style.lang))),
        Text(""),
    ]
    table = FittedTable(box=style.box, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0))
    keys = ("student", "right", "carried", "wrong", "missing", "marks", "first_wrong")
    for key in keys:
        justify: JustifyMethod = "left" if key in ("student", "first_wrong") else "right"
        table.add_column(style.say(f"gradebook.header.{key}"), justify=justify, no_wrap=key != "first_wrong")
    for submission in book.submissions:
        report = submission.report
        student = printable(submission.student, None)  # a file's name: no terminal escapes
        if report is None:
            cells = [student, "", "", "", "", "", style.say("gradebook.unread")]
        else:
            name, claimed, _ = first_wrong(submission, style)
            cells = [
                student,
                str(report.count(RIGHT)),
                str(report.count(CONSISTENT)),
                str(report.count(WRONG)),
                str(report.count(MISSING)),
                f"{points(submission.earned)}/{points(submission.possible)}",
                f"{name} = {claimed}" if name else "—",
            ]
        table.add_row(*(make_cell(style.text(cell)) for cell in cells))
    parts.append(table)
    if book.mistakes:
        parts += [Text(""), Text(style.say("gradebook.mistakes"))]
        for mistake in book.mistakes[:MOST_SHOWN]:
            fields = {
                "count": len(mistake.students),
                "students": style.say("check.name_separator").join(printable(s, None) for s in mistake.students),
            }
            line = style.say("gradebook.mistake", diagnosis=in_language(mistake.message, style.lang), **fields)
            lead = style.say("gradebook.mistake", diagnosis=_MARK, **fields).split(_MARK)[0]
            parts.append(_hanging(style.text(line), style.text(lead)))
    if book.most_wrong:
        parts += [Text(""), Text(style.say("gradebook.most_wrong"))]
        shown = [
            style.say("gradebook.quantity_count", name=name, count=count)
            for name, count in book.most_wrong[:MOST_SHOWN]
        ]
        listed = Phrases(style.text(style.say("check.name_separator").join(shown)))
        parts.append(Padding(listed, (0, 0, 0, len(INDENT))))
    notes = [
        (submission.student, note)
        for submission in book.submissions
        if submission.report is not None
        for note in (*submission.report.unknown, *submission.report.warnings)
    ]
    if notes:
        parts += [Text(""), Text(style.say("gradebook.notes"))]
        for student, note in notes:
            diagnosis = in_language(note, style.lang)
            name = printable(student, None)
            line = style.say("gradebook.diagnosis", name=name, diagnosis=diagnosis)
            lead = style.say("gradebook.diagnosis", name=name, diagnosis=_MARK).split(_MARK)[0]
            parts.append(_hanging(style.text(line), style.text(lead)))
    if book.unread:
        parts += [Text(""), Text(style.say("gradebook.not_read"))]
        parts.extend(_indented(style.text(error_text(submission, style.lang))) for submission in book.unread)
    return Group(*parts)


_MARK = "\x00"  # where a message's main text starts, found by formatting it with this in its place


def _hanging(line: str, lead: str) -> RenderableType:
    """A line indented, its continuation lines under the text after `lead` (a count, a student's name)."""
    if not line.startswith(lead) or not lead.strip():
        return _indented(line)
    grid = Table.grid(padding=0)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(lead), Text(line[len(lead) :]))
    return Padding(grid, (0, 0, 0, len(INDENT)))


def _indented(line: str) -> RenderableType:
    """A line indented, its continuation lines too when the terminal is narrower."""
    return Padding(Text(line), (0, 0, 0, len(INDENT)))


def scheme_text(book: Gradebook, lang: str) -> str:
    """The marking scheme in one line: forward 1, loss 1, …; carried forward 100%."""
    separator = message("check.name_separator", lang)
    kinds = separator.join(
        message("gradebook.points", lang, kind=message(f"gradebook.kind.{kind}", lang), points=points(value))
        for kind, value in book.scheme.points
    )
    return message("gradebook.scheme", lang, points=kinds, carried=points(book.scheme.carried * 100))


# ── CSV ───────────────────────────────────────────────────────────────────────


def safe_cell(text: str) -> str:
    """A cell no spreadsheet runs as a formula: text starting with = + - @ (or a tab, a CR) gets a leading '."""
    if text.startswith(FORMULA_STARTS) and parse_number(text) is None:
        return "'" + text
    return text


def render_gradebook_csv(book: Gradebook, lang: str = DEFAULT_LANGUAGE) -> str:
    """One row per student (CSV_COLUMNS), in the order graded; UTF-8 with a BOM once encoded."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    style = Style(digits=17, lang=lang)
    for submission in book.submissions:
        report = submission.report
        if report is None:
            counts = ["", "", "", "", ""]
            marks = ["", ""]
            wrong = ("", "", "")
            notes = ("", "", error_text(submission, lang))
        else:
            counts = [str(report.count(verdict)) for verdict in (RIGHT, CONSISTENT, WRONG, MISSING)]
            counts.append(str(len(report.unknown)))
            marks = [points(submission.earned), points(submission.possible)]
            wrong = first_wrong(submission, style)
            warnings = message("gradebook.diagnosis_separator", lang).join(
                in_language(warning, lang) for warning in report.warnings
            )
            notes = (diagnoses_text(submission, lang), warnings, "")
        row = [submission.student, submission.source, *counts, *marks, *wrong, *notes]
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


# ── JSON ──────────────────────────────────────────────────────────────────────


def render_gradebook_json(book: Gradebook, lang: str = DEFAULT_LANGUAGE) -> str:
    """One object: the scheme, a record per student, the class's mistakes and the quantities most often wrong."""
    style = Style(digits=17, lang=lang)
    students = []
    for submission in book.submissions:
        entry: dict[str, object] = {"student": submission.student, "file": submission.source}
        report = submission.report
        if report is None:
            entry["error"] = error_text(submission, lang)
        else:
            name, claimed, correct = first_wrong(submission, style)
            entry.update(
                counts={verdict: report.count(verdict) for verdict in (RIGHT, CONSISTENT, WRONG, MISSING)},
                marks=float(submission.earned),
                out_of=float(submission.possible),
                first_wrong=None if not name else {"name": name, "claimed": claimed, "correct": correct},
                diagnoses=[
                    {"name": quantity, "explanation": in_language(diagnosis, lang)}
                    for quantity, diagnosis in submission.mistakes()
                ],
                warnings=[in_language(warning, lang) for warning in report.warnings],
                not_graded=[in_language(note, lang) for note in report.unknown],
            )
        students.append(entry)
    document = {
        "scenario": book.scenario.name,
        "scheme": {
            "points": {kind: float(value) for kind, value in book.scheme.points},
            "carried": float(book.scheme.carried),
        },
        "students": students,
        "mistakes": [
            {
                "explanation": in_language(mistake.message, lang),
                "count": len(mistake.students),
                "students": list(mistake.students),
            }
            for mistake in book.mistakes
        ],
        "most_often_wrong": [{"name": name, "students": count} for name, count in book.most_wrong],
        "not_read": len(book.unread),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


__all__ = [
    "CSV_COLUMNS",
    "render_gradebook",
    "render_gradebook_csv",
    "render_gradebook_json",
    "safe_cell",
    "scheme_text",
]
