"""A whole class at once: every submission graded against one scenario, marked by a scheme, summed up.

`grade_class(scenario, files, …)` grades each answers file as `bptutor check`
grades one (`bptutor.teach.check.check`), with the scenario's worked solution
computed once for the whole class, and marks it with a `Scheme`: points per kind
of quantity, and the share of those points a value consistent with the
student's own earlier wrong values earns. A file that cannot be read is a
`Submission` with its error, not the end of the class. The `Gradebook` adds the
class's most common mistakes (each diagnosis, counted once per student) and the
quantities most often wrong.

A marking-scheme file is YAML, read with the located-YAML toolkit, so every
problem is reported at FILE:LINE:COLUMN with its field:

    points:          # per value right; a kind left out keeps its default (1)
      forward: 1     # in and out of every neuron
      loss: 1        # each loss term and the total loss
      deltas: 1      # ∂E/∂out, f′ and δ of every neuron
      gradients: 1   # ∂E/∂p of every parameter
      updates: 1     # every updated parameter p′
    carried: 1       # share of the points for a value consistent with earlier wrong ones (0 to 1)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from bptutor.core.scenario import Scenario
from bptutor.errors import Location, ScenarioError
from bptutor.i18n import DEFAULT_LANGUAGE, Message
from bptutor.loading.yamltree import (
    MAX_FILE_BYTES,
    MISSING,
    NUMBER_RE,
    UNREADABLE,
    Context,
    FileProblem,
    LocatedMapping,
    LocatedScalar,
    LocatedValue,
    build_from_text,
    decode_utf8,
    describe,
    did_you_mean,
    key_path,
    quote,
    read_bytes,
)
from bptutor.records import dataclass
from bptutor.teach.answers import load_answers
from bptutor.teach.check import check
from bptutor.teach.grading import CONSISTENT, RIGHT, WRONG, Basis, Judge, Report
from bptutor.teach.solution import (
    ACTIVATION,
    DELTA,
    GRADIENT,
    LOCAL,
    LOSS,
    LOSS_TERM,
    NEW_PARAMETER,
    OUTPUT_GRADIENT,
    PRE_ACTIVATION,
    SLOPE,
)

MARK_KINDS = ("forward", "loss", "deltas", "gradients", "updates")
KIND_OF_STEP = {
    PRE_ACTIVATION: "forward",
    ACTIVATION: "forward",
    LOSS_TERM: "loss",
    LOSS: "loss",
    OUTPUT_GRADIENT: "deltas",
    SLOPE: "deltas",
    DELTA: "deltas",
    LOCAL: "deltas",
    GRADIENT: "gradients",
    NEW_PARAMETER: "updates",
}
ANSWER_SUFFIXES = (".yaml", ".yml")
MAX_POINTS = Decimal(1000)
MAX_SUBMISSIONS = 10_000


@dataclass(frozen=True)
class Scheme:
    """Points per kind of quantity (MARK_KINDS) and the share a value carried forward earns."""

    points: tuple[tuple[str, Decimal], ...] = tuple((kind, Decimal(1)) for kind in MARK_KINDS)
    carried: Decimal = Decimal(1)

    def of(self, kind: str) -> Decimal:
        return dict(self.points)[kind]

    def with_points(self, changes: dict[str, Decimal], carried: Decimal | None = None) -> Scheme:
        points = tuple((kind, changes.get(kind, value)) for kind, value in self.points)
        return Scheme(points, self.carried if carried is None else carried)


DEFAULT_SCHEME = Scheme()


def marks(report: Report, scheme: Scheme) -> tuple[Decimal, Decimal]:
    """(marks earned, marks possible): every step the worked solution asks for (∂in/∂w is optional: no marks).

    A step earns its points when every value written for it is right, the carried share when
    each is right or consistent with earlier wrong values, else nothing; a step not given earns nothing.
    """
    earned = possible = Decimal(0)
    verdicts: dict[str, list[str]] = {}
    steps = {}
    for row in report.rows:
        verdicts.setdefault(row.step.name, []).append(row.verdict)
        steps[row.step.name] = row.step
    for name, step in steps.items():
        if step.optional:
            continue
        points = scheme.of(KIND_OF_STEP[step.kind])
        possible += points
        found = verdicts[name]
        if all(verdict == RIGHT for verdict in found):
            earned += points
        elif all(verdict in (RIGHT, CONSISTENT) for verdict in found):
            earned += points * scheme.carried
    return earned, possible


@dataclass(frozen=True)
class Submission:
    """One student's file: graded (`report`, `marks`), or the error that kept it from being read."""

    student: str  # the file's name without .yaml
    source: str  # the path as given
    report: Report | None = None
    earned: Decimal = Decimal(0)
    possible: Decimal = Decimal(0)
    error: ScenarioError | None = None

    def mistakes(self) -> tuple[tuple[str, Message], ...]:
        """(quantity, diagnosis) for each wrong value's explanations, each explanation once."""
        if self.report is None:
            return ()
        found: dict[tuple[str, str], tuple[str, Message]] = {}
        for row in self.report.rows:
            for diagnosis in row.diagnoses:
                key = (diagnosis.key, diagnosis.message.render(DEFAULT_LANGUAGE))
                found.setdefault(key, (row.step.name, diagnosis.message))
        return tuple(found.values())


@dataclass(frozen=True)
class Mistake:
    """A diagnosis found in the class: how many students, and which."""

    message: Message
    students: tuple[str, ...]


@dataclass(frozen=True)
class Gradebook:
    scenario: Scenario
    scheme: Scheme
    submissions: tuple[Submission, ...]
    mistakes: tuple[Mistake, ...]  # most students first, then in the order first met
    most_wrong: tuple[tuple[str, int], ...]  # (quantity, students who got it wrong), most first

    @property
    def unread(self) -> tuple[Submission, ...]:
        return tuple(submission for submission in self.submissions if submission.error is not None)


def answers_files(paths: Sequence[Path]) -> list[Path]:
    """The answers files named: a folder stands for its *.yaml and *.yml files (not its subfolders), sorted.

    A folder without any is a usage problem (ValueError naming it); a missing path stays, to be reported as a row.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                (entry for entry in path.iterdir() if entry.suffix.lower() in ANSWER_SUFFIXES and not entry.is_dir()),
                key=lambda entry: entry.name,
            )
            if not found:
                raise ValueError(str(path))
            files.extend(found)
        else:
            files.append(path)
    return files


def student_name(path: Path) -> str:
    """What the gradebook calls the student of `path`: the file's name without its .yaml or .yml."""
    return path.stem if path.suffix.lower() in ANSWER_SUFFIXES else path.name


def grade_class(
    scenario: Scenario,
    files: Sequence[Path],
    judge: Judge | None = None,
    diagnose: bool = True,
    scheme: Scheme = DEFAULT_SCHEME,
    progress: Callable[[int, int], None] | None = None,
) -> Gradebook:
    """Every file graded against `scenario` and marked by `scheme`; the class's common mistakes counted."""
    basis = Basis.of(scenario)  # the worked solution and its values, computed once for the class
    solution = basis.solution
    submissions = []
    for index, path in enumerate(files):
        student = student_name(path)
        try:
            read = load_answers(path, solution)
        except ScenarioError as error:
            submissions.append(Submission(student, str(path), error=error))
        else:
            unknown = [item.note for item in read.unknown]
            report = check(scenario, read.claims, str(path), judge, diagnose, unknown, basis)
            earned, possible = marks(report, scheme)
            submissions.append(Submission(student, str(path), report, earned, possible))
        if progress is not None:
            progress(index + 1, len(files))
    return Gradebook(scenario, scheme, tuple(submissions), _mistakes(submissions), _most_wrong(submissions))


def _mistakes(submissions: Sequence[Submission]) -> tuple[Mistake, ...]:
    students: dict[tuple[str, str], list[str]] = {}
    messages: dict[tuple[str, str], Message] = {}
    for submission in submissions:  # each submission once per mistake (mistakes() lists each explanation once)
        for _, diagnosis in submission.mistakes():
            key = (diagnosis.key, diagnosis.render(DEFAULT_LANGUAGE))
            messages.setdefault(key, diagnosis)
            students.setdefault(key, []).append(submission.student)
    order = {key: index for index, key in enumerate(students)}
    ranked = sorted(students, key=lambda key: (-len(students[key]), order[key]))
    return tuple(Mistake(messages[key], tuple(students[key])) for key in ranked)


def _most_wrong(submissions: Sequence[Submission]) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for submission in submissions:
        if submission.report is None:
            continue
        for name in dict.fromkeys(row.step.name for row in submission.report.rows if row.verdict == WRONG):
            counts[name] = counts.get(name, 0) + 1
    order = {name: index for index, name in enumerate(counts)}
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], order[item[0]])))


# ── the marking scheme ────────────────────────────────────────────────────────


def read_points(text: str) -> Decimal | None:
    """A number of points (0 to 1000, as written: `0.5`, `2`), or None."""
    text = text.strip()
    if not NUMBER_RE.fullmatch(text) or "e" in text.lower():
        return None
    value = Decimal(text)
    return value if 0 <= value <= MAX_POINTS else None


def parse_points_option(text: str, scheme: Scheme) -> Scheme | None:
    """`--points forward=1,loss=2,carried=0.5` on top of `scheme`; None when a part is not KIND=NUMBER."""
    changes: dict[str, Decimal] = {}
    carried: Decimal | None = None
    for part in text.split(","):
        kind, equals, amount = part.partition("=")
        kind = kind.strip()
        value = read_points(amount) if equals else None
        if value is None:
            return None
        if kind == "carried":
            if value > 1:
                return None
            carried = value
        elif kind in MARK_KINDS:
            changes[kind] = value
        else:
            return None
    return scheme.with_points(changes, carried)


def load_scheme(path: str | os.PathLike[str]) -> Scheme:
    """A marking-scheme file (see the module's docstring); every problem a ScenarioError at FILE:LINE:COLUMN."""
    source = os.fspath(path)
    text = decode_utf8(read_bytes(path, MAX_FILE_BYTES, _refusal(source)), source)
    return build_from_text(text, source, _scheme)


def _refusal(source: str) -> Callable[[FileProblem], ScenarioError]:
    def refuse(problem: FileProblem) -> ScenarioError:
        if problem.kind == MISSING:
            return ScenarioError(Message.of("scheme.no_such_file"), Location(source))
        if problem.kind == UNREADABLE:
            return ScenarioError(Message.of("scheme.cannot_read", reason=problem.reason), Location(source))
        return ScenarioError(Message.of("scheme.not_a_file"), Location(source))

    return refuse


def _scheme(root: LocatedValue | None, ctx: Context) -> Scheme:
    if not isinstance(root, LocatedMapping):
        raise ctx.error(Message.of("scheme.not_mapping", found=describe(root)), root)
    changes: dict[str, Decimal] = {}
    carried: Decimal | None = None
    for key_node, value in root.entries:
        key = str(key_node.value)
        if key == "points":
            if not isinstance(value, LocatedMapping):
                raise ctx.error(Message.of("scheme.points_not_mapping", found=describe(value)), value, key)
            for kind_node, amount in value.entries:
                kind = str(kind_node.value)
                field = key_path(key, kind)
                if kind not in MARK_KINDS:
                    hint = did_you_mean(kind, MARK_KINDS)
                    kinds = ", ".join(MARK_KINDS)
                    message = Message.of("scheme.unknown_kind", kind=quote(kind), hint=hint, kinds=kinds)
                    raise ctx.error(message, kind_node, field)
                changes[kind] = _amount(ctx, amount, field, MAX_POINTS)
        elif key == "carried":
            carried = _amount(ctx, value, key, Decimal(1))
        else:
            hint = did_you_mean(key, ("points", "carried"))
            raise ctx.error(Message.of("scheme.unknown_key", key=quote(key), hint=hint), key_node, key_path("", key))
    return DEFAULT_SCHEME.with_points(changes, carried)


def _amount(ctx: Context, node: LocatedValue | None, field: str, most: Decimal) -> Decimal:
    text = node.value if isinstance(node, LocatedScalar) and isinstance(node.value, str) else None
    value = read_points(text) if text is not None else None
    if value is None or value > most:
        raise ctx.error(Message.of("scheme.bad_amount", found=describe(node), most=most), node, field)
    return value


__all__ = [
    "DEFAULT_SCHEME",
    "KIND_OF_STEP",
    "MARK_KINDS",
    "Gradebook",
    "Mistake",
    "Scheme",
    "Submission",
    "answers_files",
    "grade_class",
    "load_scheme",
    "marks",
    "parse_points_option",
    "read_points",
    "student_name",
]
