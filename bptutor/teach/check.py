"""`bptutor check`'s judging: every claim graded at the precision written, each wrong value diagnosed.

Grading (`bptutor.teach.grading`) says right, wrong or consistent with an earlier slip;
diagnosing (`bptutor.teach.diagnose`) recomputes the common mistakes on top of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bptutor.core.scenario import Scenario
from bptutor.teach.answers import Claim
from bptutor.teach.diagnose import diagnose_judgement
from bptutor.teach.grading import WRONG, Grader, Judge, Judgement, Report


def check(
    scenario: Scenario,
    claims: Sequence[Claim],
    source: str = "<memory>",
    judge: Judge | None = None,
    diagnose: bool = True,
) -> Report:
    """Judge every claim; list every step in computation order; diagnose each wrong value."""
    grader = Grader(scenario, claims, judge)
    rows: list[Judgement] = []
    for step in grader.solution.steps:
        if step.optional and step.name not in grader.claims:
            continue
        for judgement in grader.judge_step(step.name):
            if judgement.verdict == WRONG and diagnose:
                judgement = diagnose_judgement(grader, judgement)
            rows.append(judgement)
    return Report(scenario, source, tuple(rows), grader.judge)


__all__ = ["check"]
