"""Class-grading benchmark: `bptutor check` on a folder of 300 submissions of the 2-2-2 example.

Writes 300 answers files to a temporary folder, a mix of the ways a class works:
right at full precision, rounded at every step (2 to 8 decimals, used as
rounded), carried forward from an early slip (one value wrong, everything
after it computed from it), and wrong (a mistake with no consistent follow-up).
Then, in this one process, it times

- the baseline: reading the 300 files (the names resolved, nothing graded),
- the gradebook: `bptutor.teach.gradebook.grade_class` with diagnoses, and the CSV,

and prints each, the time per submission and their ratio. The target is the
whole class in under 30 s on two cores. Timings on a shared machine move with
its load: read the ratio beside the seconds.

Usage: python benchmarks/class_grading.py [--count N] [--seed S]
This is a measurement, not a test: it prints numbers and never fails on them.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bptutor.loading.builtin import builtin_path  # noqa: E402
from bptutor.loading.document import load_document  # noqa: E402
from bptutor.teach.answers import load_answers  # noqa: E402
from bptutor.teach.gradebook import answers_files, grade_class  # noqa: E402
from bptutor.teach.grading import WRONG, Judge  # noqa: E402
from bptutor.teach.solution import WorkedSteps  # noqa: E402

KINDS = ("right", "rounded", "carried", "wrong")


def submission(solution: WorkedSteps, kind: str, rng: random.Random) -> dict[str, Decimal]:
    """One student's values: every required step, worked in order as the kind says."""
    names = [step.name for step in solution.steps if not step.optional]
    decimals = rng.randint(2, 8) if kind != "right" else rng.randint(6, 10)
    slipped = rng.choice(names) if kind in ("carried", "wrong") else None
    values: dict[str, Decimal] = {}
    exact: dict[str, Decimal] = {}
    for name in names:
        value = solution.value(name, values if kind != "right" else {})
        if name == slipped:
            value += Decimal(rng.choice((1, -1))) * Decimal(rng.randint(2, 9)).scaleb(-min(decimals, 3))
        exact[name] = value
        values[name] = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if kind == "wrong":  # a wrong value that nothing after it builds on
        correct = solution.values()
        values = {name: value if name == slipped else correct[name].quantize(value) for name, value in values.items()}
    return values


def write_class(folder: Path, count: int, seed: int) -> None:
    solution = WorkedSteps(load_document(builtin_path("two_two_two")))
    rng = random.Random(seed)
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        values = submission(solution, kind, rng)
        lines = [f"# {kind}"] + [f"{name}: {value}" for name, value in values.items()]
        (folder / f"student-{index + 1:03d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    scenario = load_document(builtin_path("two_two_two"))
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        write_class(folder, arguments.count, arguments.seed)
        files = answers_files([folder])

        start = time.perf_counter()
        solution = WorkedSteps(scenario)
        for path in files:
            load_answers(path, solution)
        baseline = time.perf_counter() - start

        from bptutor.render.gradebook import render_gradebook_csv

        start = time.perf_counter()
        book = grade_class(scenario, files, Judge())
        render_gradebook_csv(book)
        graded = time.perf_counter() - start

    wrong = sum(1 for submission in book.submissions if submission.report and submission.report.count(WRONG))
    print(f"{len(files)} submissions of two_two_two ({', '.join(KINDS)} in turn); {wrong} with a wrong value")
    print(f"reading them only (baseline): {baseline:7.2f} s  ({1000 * baseline / len(files):6.1f} ms each)")
    print(f"grading, diagnosing, CSV:     {graded:7.2f} s  ({1000 * graded / len(files):6.1f} ms each)")
    print(f"ratio to the baseline: {graded / baseline:.1f}; target: the class in under 30 s")


if __name__ == "__main__":
    main()
