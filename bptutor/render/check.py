"""Terminal and JSON renderers for `bptutor check`. They format a `Report`; they never compute."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.text import Text

from bptutor.core.formula import Formula
from bptutor.core.scenario import Scenario
from bptutor.i18n import DEFAULT_LANGUAGE, Message, in_language
from bptutor.render.fit import FittedTable, Wrapped
from bptutor.render.plain import Pieces
from bptutor.render.style import Style, make_cell
from bptutor.teach.grading import CONSISTENT, MISSING, RIGHT, VERDICTS, WRONG, Judgement, Report
from bptutor.teach.solution import Working

if TYPE_CHECKING:
    from rich.console import JustifyMethod, RenderableType

INDENT = "  "


def shown(value: Decimal, scenario: Scenario, style: Style) -> str:
    """A computed value: as written down under a rounding policy, else without trailing zeros."""
    if scenario.rounding is None:
        value = value.normalize()
    return style.number(value)


def correct_text(report: Report, row: Judgement, style: Style) -> str:
    """The correct value, at the precision the claim was written with (or as `run` shows it)."""
    if row.claim is None:
        return shown(row.correct, report.scenario, style)
    return format(report.judge.rounded(row.correct, row.claim.decimals), "f")


def working_line(working: Working, scenario: Scenario, style: Style) -> str:
    """name = formula in symbols = formula in numbers = value (repeats left out)."""
    parts = [
        working.step,
        style.symbols(_normalized(working.formula, scenario)),
        style.numbers(_normalized(working.formula, scenario)),
    ]
    parts.append(shown(working.value, scenario, style))
    kept: list[str] = []
    for part in parts:
        if not kept or kept[-1] != part:
            kept.append(part)
    return style.text(" = ".join(kept))


def _normalized(formula: Formula, scenario: Scenario) -> Formula:
    """The formula with exact decimals shown without trailing zeros (when no rounding policy is in force)."""
    from bptutor.core.formula import Ref

    if scenario.rounding is not None:
        return formula
    return tuple(
        Ref(token.name, token.value.normalize())
        if isinstance(token, Ref) and isinstance(token.value, Decimal)
        else token
        for token in formula
    )


def names(items: tuple[str, ...], style: Style) -> str:
    return style.say("check.name_separator").join(items)


def verdict_text(report: Report, row: Judgement, style: Style) -> str:
    if row.verdict == CONSISTENT:
        return style.say("check.verdict.consistent", names=names(row.carried_from, style))
    return style.say(f"check.verdict.{row.verdict}")


def render_check(report: Report, style: Style) -> RenderableType:
    scenario = report.scenario
    title = Text(style.say("check.title", scenario=scenario.name, title=scenario.title_in(style.lang)))
    answers = Text(style.say("check.answers", answers=report.source))
    table = FittedTable(box=style.box, show_edge=False, pad_edge=False, padding=(0, 3, 0, 0))
    for key in ("quantity", "claimed", "correct", "verdict"):
        justify: JustifyMethod = "right" if key in ("claimed", "correct") else "left"
        header = Text(style.say(f"check.header.{key}"))  # Text, not str: rich would look for markup and emoji codes
        table.add_column(header, justify=justify, no_wrap=key != "verdict")
    for row in report.rows:
        claimed = row.claim.text if row.claim is not None else "—"
        verdict = verdict_text(report, row, style)
        cells = [style.text(row.step.name), claimed, correct_text(report, row, style), style.text(verdict)]
        table.add_row(*(make_cell(cell) for cell in cells), style="bold" if row.verdict == WRONG else None)
    parts: list[RenderableType] = [title, answers, Text(""), table, Text("")]
    counts = {verdict: report.count(verdict) for verdict in VERDICTS}
    parts.append(Text(style.say("check.summary", **counts)))
    first = report.first_wrong
    if first is None:
        parts.append(Text(style.say("check.all_right")))
    else:
        assert first.claim is not None
        line = style.say(
            "check.first_wrong",
            name=first.step.name,
            claimed=first.claim.text,
            correct=correct_text(report, first, style),
        )
        parts.append(Text(style.text(line)))
    parts.extend(_notes(style.say("check.unknown"), report.unknown, style))
    parts.extend(_notes(style.say("check.warnings"), report.warnings, style))
    for row in report.rows:
        if row.verdict == WRONG:
            parts.append(Text(""))
            for line in wrong_lines(report, row, style):  # a working line wraps as a derivation does, under its =
                if line.startswith(2 * INDENT):
                    parts.append(Wrapped(line))
                elif line.startswith(INDENT):  # a line of prose under its value: its continuation lines too
                    parts.append(Padding(Text(line[len(INDENT) :]), (0, 0, 0, len(INDENT))))
                else:
                    parts.append(Text(line))
    return Pieces(*parts)


def _notes(heading: str, notes: tuple[Message, ...], style: Style) -> list[Text]:
    """A block of notes under a heading (nothing when there are none)."""
    if not notes:
        return []
    lines = [Text(""), Text(heading)]
    lines.extend(Text(INDENT + style.text(in_language(note, style.lang))) for note in notes)
    return lines


def wrong_lines(report: Report, row: Judgement, style: Style) -> list[str]:
    """A wrong value: what it should be, what explains it (with that working), the corrected working."""
    scenario = report.scenario
    claim = row.claim
    assert claim is not None
    correct = correct_text(report, row, style)
    if (
        row.uses
        and row.recomputed is not None
        and report.judge.rounded(row.recomputed, claim.decimals) != report.judge.rounded(row.correct, claim.decimals)
    ):
        mine = format(report.judge.rounded(row.recomputed, claim.decimals), "f")
        head = style.say(
            "check.wrong_from_yours",
            name=row.step.name,
            claimed=claim.text,
            names=names(row.uses, style),
            value=mine,
            correct=correct,
        )
    else:
        head = style.say("check.wrong_value", name=row.step.name, claimed=claim.text, correct=correct)
    lines = [style.text(head)]
    for diagnosis in row.diagnoses:
        text = in_language(diagnosis.message, style.lang)
        key = "check.explained_by_truncated" if diagnosis.truncated else "check.explained_by"
        lines.append(INDENT + style.text(style.say(key, diagnosis=text)))
        lines.extend(2 * INDENT + working_line(working, scenario, style) for working in diagnosis.working)
    if not row.diagnoses:
        lines.append(INDENT + style.say("check.no_diagnosis"))
    lines.append(INDENT + style.say("check.corrected_from_yours" if row.uses else "check.corrected"))
    lines.extend(2 * INDENT + working_line(working, scenario, style) for working in row.corrected)
    return lines


# ── JSON ──────────────────────────────────────────────────────────────────────


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def render_check_json(report: Report) -> str:
    """One JSON object: every row in computation order, the first wrong value, the counts."""
    rows = []
    for row in report.rows:
        entry: dict[str, object] = {
            "name": row.step.name,
            "section": row.step.section,
            "verdict": row.verdict,
            "correct": _number(row.correct),
        }
        if row.claim is not None:
            entry.update(
                written_as=row.claim.written_as,
                claimed=row.claim.text,
                decimals=row.claim.decimals,
                line=row.claim.location.line,
            )
            if row.uses:
                entry.update(recomputed_from=list(row.uses), recomputed=_number(row.recomputed))
            if row.verdict == CONSISTENT:
                entry["consistent_with"] = list(row.carried_from)
        if row.verdict == WRONG:
            entry["diagnoses"] = [
                {
                    "mistake": diagnosis.key,
                    "explanation": in_language(diagnosis.message, DEFAULT_LANGUAGE),
                    "value": _number(diagnosis.value),
                    "last_digit_cut_off": diagnosis.truncated,
                    "working": [_working_json(w, report) for w in diagnosis.working],
                }
                for diagnosis in row.diagnoses
            ]
            entry["corrected_working"] = [_working_json(w, report) for w in row.corrected]
        rows.append(entry)
    first = report.first_wrong
    document = {
        "scenario": report.scenario.name,
        "answers": report.source,
        "all_right": report.all_right,
        "first_wrong": None if first is None else first.step.name,
        "counts": {verdict: report.count(verdict) for verdict in (RIGHT, CONSISTENT, WRONG, MISSING)},
        "warnings": [in_language(warning, DEFAULT_LANGUAGE) for warning in report.warnings],
        "not_graded": [in_language(note, DEFAULT_LANGUAGE) for note in report.unknown],
        "values": rows,
    }
    import json  # only for --format json: the terminal report does not pay for it

    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _working_json(working: Working, report: Report) -> dict[str, object]:
    style = Style(digits=12)
    return {
        "name": working.step,
        "formula": style.symbols(working.formula),
        "with_numbers": style.numbers(_normalized(working.formula, report.scenario)),
        "value": float(working.value),
    }


__all__ = ["render_check", "render_check_json", "working_line"]
