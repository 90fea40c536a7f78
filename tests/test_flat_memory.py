"""Memory that does not grow with the work: long runs keep what they print, banks are written a part at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from bptutor.handout.moodle import BankWriter, Question, to_gift, to_moodle_xml


def test_a_long_run_keeps_only_the_steps_it_prints() -> None:
    """run --steps N keeps the whole trace of the kept steps only, and every step's loss."""
    from bptutor.core.trace import is_thin, run
    from bptutor.loading.builtin import builtin_path
    from bptutor.loading.scenario import load_scenario

    scenario = load_scenario(builtin_path("two_two_two"))
    full = run(scenario, 7)
    lean = run(scenario, 7, {1, 7}.__contains__)
    assert [is_thin(step) for step in lean.steps] == [False, True, True, True, True, True, False]
    assert [step.loss for step in lean.steps] == [step.loss for step in full.steps]
    assert lean.steps[-1] == full.steps[-1] and lean.final_loss == full.final_loss


def _questions(category: str, count: int) -> list[Question]:
    return [
        Question(category, f"q{index}", f"<p>text {index} {{#}}</p>", "<p>work</p>", str(index), "0.5")
        for index in range(count)
    ]


@pytest.mark.parametrize("kind", ["moodle", "gift"])
@pytest.mark.parametrize("parts", [[], [0], [2], [1, 3], [2, 0, 1]])
def test_a_bank_written_in_parts_is_the_bank_written_at_once(tmp_path: Path, kind: str, parts: list[int]) -> None:
    groups = [_questions(f"$course$/top/bank/exercise-{index}", count) for index, count in enumerate(parts)]
    writer = BankWriter(tmp_path / "bank", kind)
    for group in groups:
        writer.add(group)
    writer.finish("a comment -- with dashes")
    everything = [question for group in groups for question in group]
    printer = to_moodle_xml if kind == "moodle" else to_gift
    assert (tmp_path / "bank").read_text(encoding="utf-8") == printer(everything, "a comment -- with dashes")
    assert [path.name for path in tmp_path.iterdir()] == ["bank"]
