"""`bptutor check`'s judging: every claim graded at the precision written, each wrong value diagnosed.

Grading (`bptutor.teach.grading`) says right, wrong or consistent with an earlier slip;
diagnosing (`bptutor.teach.diagnose`) recomputes the common mistakes on top of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bptutor.core.scenario import Scenario
from bptutor.i18n import Message
from bptutor.teach.answers import Claim
from bptutor.teach.diagnose import diagnose_judgement
from bptutor.teach.grading import CONSISTENT, RIGHT, WRONG, Basis, Grader, Judge, Judgement, Report
from bptutor.teach.solution import DELTA, GRADIENT, NEW_PARAMETER, OUTPUT_GRADIENT

LOST_KINDS = (OUTPUT_GRADIENT, DELTA, GRADIENT)  # backward values a too coarse precision can turn into 0


def check(
    scenario: Scenario,
    claims: Sequence[Claim],
    source: str = "<memory>",
    judge: Judge | None = None,
    diagnose: bool = True,
    unknown: Sequence[Message] = (),
    basis: Basis | None = None,
) -> Report:
    """Judge every claim; list every step in computation order; diagnose each wrong value.

    `unknown`: the file's names that name nothing (`Answers.unknown`, each as its note), reported, not graded.
    `basis`: the scenario's worked solution and values, when already computed (a class graded at once).
    """
    grader = Grader(scenario, claims, judge, basis)
    rows: list[Judgement] = []
    for step in grader.solution.steps:
        if step.optional and step.name not in grader.claims:
            continue
        for judgement in grader.judge_step(step.name):
            if judgement.verdict == WRONG and diagnose:
                judgement = diagnose_judgement(grader, judgement)
            rows.append(judgement)
    return Report(scenario, source, tuple(rows), grader.judge, precision_warnings(grader, rows), tuple(unknown))


def precision_warnings(grader: Grader, rows: Sequence[Judgement]) -> tuple[Message, ...]:
    """Warnings (not marks) where the precision chosen destroys the result, though each value follows from it.

    A gradient or error term written as 0 that is not 0 loses the gradient; an updated parameter
    written as its starting value means the update vanished below the last digit written.
    """
    zeroed: dict[int, list[str]] = {}
    unchanged: dict[int, list[str]] = {}
    for row in rows:
        claim, step = row.claim, row.step
        if claim is None or row.verdict not in (RIGHT, CONSISTENT):
            continue
        if step.kind in LOST_KINDS and claim.value == 0 and row.correct != 0:
            zeroed.setdefault(claim.decimals, []).append(step.name)
        elif step.kind == NEW_PARAMETER and step.parameter is not None:
            start = grader.solution.givens[step.parameter]
            if claim.value == start and row.correct != start:
                unchanged.setdefault(claim.decimals, []).append(step.name)
    warnings = [
        Message.of("check.warning.zeroed", decimals=decimals, names=", ".join(dict.fromkeys(names)))
        for decimals, names in sorted(zeroed.items())
    ]
    warnings += [
        Message.of("check.warning.unchanged", decimals=decimals, names=", ".join(dict.fromkeys(names)))
        for decimals, names in sorted(unchanged.items())
    ]
    return tuple(warnings)


__all__ = ["check", "precision_warnings"]
