"""Diagnosing shares work between a mistake's recomputation and the correct one's: it must change no value.

`check` recomputes each wrong value under every common mistake, and again with each of the student's
values it rests on nudged within its rounding (the spread). `WorkedSteps.evaluation(..., like=...)` lets
a mistaken solution keep every step of the correct solution's evaluation that the mistake does not reach
(`WorkedSteps.touched`), and `Evaluation.changed` recomputes only the steps a nudged value reaches.

Here every evaluation `check` makes with sharing is made again from nothing, and every nudged value
again by a fresh evaluation, over many networks, conventions and answer sets; each must be equal to
the last digit. The answer sets write every value to 4 decimals and get a few of them wrong, so
that wrong values rest on the student's own earlier values, as in a real hand calculation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest

from bptutor.core.scenario import Scenario
from bptutor.errors import ScenarioError
from bptutor.loading.scenario import load_scenario
from bptutor.teach.answers import Claim
from bptutor.teach.check import check
from bptutor.teach.diagnose import hypotheses
from bptutor.teach.grading import WRONG, Grader
from bptutor.teach.solution import CORRECT, Evaluation, Slip, WorkedSteps
from tests.conftest import SCENARIOS

NAMES = ["two_two_two", "one_one_one", "one_one_one_rounded", "softmax_two_layer", "two_samples"]


def variants() -> Iterator[tuple[str, Scenario]]:
    for name in NAMES:
        scenario = load_scenario(SCENARIOS / f"{name}.yaml")
        yield name, scenario
    two = load_scenario(SCENARIOS / "two_two_two.yaml")
    conventions = two.conventions
    yield "textbook error terms", replace(two, conventions=replace(conventions, error_term="textbook"))
    yield "threshold biases", replace(two, conventions=replace(conventions, bias="threshold"))
    yield "updated weights", replace(two, conventions=replace(conventions, hidden_error_weights="updated"))
    yield "sse", replace(two, loss="sse")
    tanh = tuple(replace(layer, activation="tanh") for layer in two.layers)
    yield "tanh", replace(two, layers=tanh)


def answer_sets(solution: WorkedSteps) -> Iterator[list[Claim]]:
    """Every value, or every second, third or fifth one, to 4 decimals; some of those given off by 3 in the last
    digit (every one, or one in two or three): wrong values rest on long stretches of values not written down."""
    values = solution.values()
    names = [step.name for step in solution.steps]
    for given, wrong in ((1, 3), (3, 1), (5, 1)):
        claims = []
        for index, name in enumerate(names[::given]):
            value = values[name].quantize(Decimal("0.0001"))
            if index % wrong == wrong - 1:
                value += Decimal("0.0003")
            claims.append(Claim.of(name, format(value, "f")))
        yield claims


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every shared evaluation and every nudged value checked against one made from nothing, as `check` runs."""
    counts: Counter[str] = Counter()
    evaluation = WorkedSteps.evaluation
    changed = Evaluation.changed

    def checked_evaluation(
        self: WorkedSteps, name: str, overrides: dict[str, Decimal] | None = None, like: Evaluation | None = None
    ) -> Evaluation:
        made = evaluation(self, name, overrides or {}, like)
        if like is not None:
            assert made.value == self.value(name, overrides or {}), (name, self.slip)  # computed without memory
            counts["evaluations compared"] += 1
            counts["shared"] += made._like is not None
        return made

    def checked_changed(self: Evaluation, name: str, value: Decimal) -> Decimal:
        result = changed(self, name, value)
        fresh = self.solution.value(self.name, {**self.overrides, name: value})  # computed without memory
        assert result == fresh, (self.name, name, value, self.solution.slip)
        counts["nudged values compared"] += 1
        return result

    monkeypatch.setattr(WorkedSteps, "evaluation", checked_evaluation)
    monkeypatch.setattr(Evaluation, "changed", checked_changed)
    return counts


SLOW = {"two_samples", "softmax_two_layer", "textbook error terms", "tanh, mse", "updated weights"}  # ½ s or more


def cases(made: Iterator[tuple[str, Scenario]], slow: frozenset[str] = frozenset()) -> list[object]:
    return [
        pytest.param(label, scenario, id=label, marks=[pytest.mark.slow] if label in SLOW | slow else [])
        for label, scenario in made
    ]


@pytest.mark.parametrize(("label", "scenario"), cases(variants()))
def test_a_shared_evaluation_gives_every_value_a_fresh_one_gives(
    label: str, scenario: Scenario, compared: Counter[str]
) -> None:
    solution = WorkedSteps(scenario)
    wrong = 0
    for claims in answer_sets(solution):
        report = check(scenario, claims)
        wrong += sum(row.verdict == WRONG for row in report.rows)
    assert wrong > 0
    assert compared["evaluations compared"] > 0
    # the sharing is taken, not silently skipped (a batch's mistakes apply inside its samples: none shared)
    assert compared["shared"] > 0 or not scenario.is_single_example
    assert compared["nudged values compared"] > 0


def test_the_steps_a_slip_touches() -> None:
    """Rules read the slip by kind of step; the step-naming fields name their steps; batches are not shared."""
    solution = WorkedSteps(load_scenario(SCENARIOS / "two_two_two.yaml"))
    assert solution.touched() == frozenset()
    slopes = solution.with_slip(Slip(derivative="one", derivative_neurons=frozenset({"h1"}))).touched()
    assert slopes == frozenset({"∂out_h1/∂in_h1"})  # δ_h1 reads it, and is recomputed for that
    everywhere = solution.with_slip(Slip(derivative="activation")).touched()
    assert everywhere == frozenset(f"∂out_{n}/∂in_{n}" for n in ("h1", "h2", "o1", "o2"))
    softmax = WorkedSteps(load_scenario(SCENARIOS / "softmax_two_layer.yaml"))
    fused = softmax.with_slip(Slip(derivative="one", derivative_neurons=frozenset({"h1"}))).touched()
    assert fused is not None and {"δ_o1", "δ_o2", "δ_o3"} <= fused  # a fused δ is then worked factor by factor
    rounded = solution.with_slip(Slip(early_rounding=("in_o1", 2))).touched()
    assert rounded == frozenset({"in_o1"})
    exchanged = solution.with_slip(Slip(exchanged=("∂E_total/∂w5", "∂E_total/∂w6"))).touched()
    assert exchanged == frozenset({"∂E_total/∂w5", "∂E_total/∂w6"})
    batch = WorkedSteps(load_scenario(SCENARIOS / "two_samples.yaml"))
    assert batch.with_slip(Slip(early_rounding=("in_o1[1]", 2))).touched() is None
    assert batch.with_slip(CORRECT).touched() == frozenset()


def test_a_slip_field_the_table_does_not_know_shares_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A field of `Slip` that `touched` cannot place makes every step count as touched: nothing is shared."""
    import bptutor.teach.solution as module

    table = {key: kinds for key, kinds in module._KINDS_A_SLIP_CHANGES.items() if key != "error_sign"}
    monkeypatch.setattr(module, "_KINDS_A_SLIP_CHANGES", table)
    solution = WorkedSteps(load_scenario(SCENARIOS / "two_two_two.yaml"))
    assert solution.with_slip(Slip(error_sign=-1)).touched() is None


def single_examples() -> Iterator[tuple[str, Scenario]]:
    two = load_scenario(SCENARIOS / "two_two_two.yaml")
    yield "two_two_two", two
    yield "softmax_two_layer", load_scenario(SCENARIOS / "softmax_two_layer.yaml")
    one = load_scenario(SCENARIOS / "one_one_one.yaml")
    yield "bce on one sigmoid output", replace(one, loss="bce")
    yield "textbook error terms", replace(two, conventions=replace(two.conventions, error_term="textbook"))
    yield "tanh, mse", replace(two, loss="mse", layers=tuple(replace(layer, activation="tanh") for layer in two.layers))


@pytest.mark.parametrize(("label", "scenario"), cases(single_examples(), frozenset({"two_two_two"})))
def test_every_mistake_at_every_step_shares_only_what_it_does_not_change(label: str, scenario: Scenario) -> None:
    """Nothing written down, so every step below is computed and may be shared: for each step and each mistake
    `check` would try on it, the shared evaluation equals the mistaken solution's value computed from nothing."""
    grader = Grader(scenario, [])
    solution = grader.solution
    compared = Counter[str]()
    for step in solution.steps:
        base = solution.evaluation(step.name)
        below = tuple(other.name for other in solution.steps[: solution.steps.index(step) + 1])
        for hypothesis in hypotheses(grader, step.name, below):
            try:
                if hypothesis.scenario is solution.scenario:
                    mistaken = solution.with_slip(hypothesis.slip)
                else:
                    mistaken = grader.worked(hypothesis.scenario).with_slip(hypothesis.slip)
                if not mistaken.has(step.name):  # a step the mistake does without
                    continue
                fresh = mistaken.value(step.name)
            except (ScenarioError, ArithmeticError):  # a mistake the graph refuses, or that leaves a domain
                continue
            shared = mistaken.evaluation(step.name, {}, like=base)
            assert shared.value == fresh, (step.name, hypothesis.key, hypothesis.slip)
            compared[hypothesis.key] += 1
            compared["shared"] += shared._like is not None
    assert compared["shared"] > 0


@pytest.mark.parametrize(("label", "scenario"), cases(variants()))
def test_the_values_a_step_is_recomputed_from_are_those_a_fresh_grader_finds(
    label: str, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Grader.uses` keeps its answer for each name, solution steps and exchanged pair: every answer `check` gets,
    kept or not, is the one a grader with nothing kept works out."""
    import copy

    counts: Counter[str] = Counter()
    uses = Grader.uses

    def checked(self: Grader, name: str, solution: WorkedSteps | None = None) -> tuple[str, ...]:
        kept = len(self._uses)
        answer = uses(self, name, solution)
        fresh = copy.copy(self)
        fresh._uses = {}
        assert answer == uses(fresh, name, solution), (name, (solution or self.solution).slip)
        counts["kept answers"] += len(self._uses) == kept
        counts["exchanged"] += solution is not None and solution.slip.exchanged is not None
        return answer

    monkeypatch.setattr(Grader, "uses", checked)
    for claims in answer_sets(WorkedSteps(scenario)):
        check(scenario, claims)
    assert counts["kept answers"] > 0


def test_the_values_a_step_is_recomputed_from_are_kept_apart_for_other_steps_and_exchanged_ones() -> None:
    """Two solutions whose steps read differently (∂E/∂out_h1 = δ_o1·w5 + δ_o2·w7, or from the new w5′ and w7′;
    ∂E/∂w5 = δ_o1·out_h1, or exchanged with ∂E/∂w6 = δ_o1·out_h2) get their own answers from one grader, each
    the one a fresh grader gives. Every value is written, so each answer stops at the values read directly
    (the weights before the update are givens, never the student's)."""
    scenario = load_scenario(SCENARIOS / "two_two_two.yaml")
    solution = WorkedSteps(scenario)
    values = solution.values()
    claims = [Claim.of(step.name, format(values[step.name].quantize(Decimal("0.0001")), "f")) for step in solution.steps]
    grader = Grader(scenario, claims)
    updated = WorkedSteps(replace(scenario, conventions=replace(scenario.conventions, hidden_error_weights="updated")))
    exchanged = grader.solution.with_slip(Slip(exchanged=("∂E_total/∂w5", "∂E_total/∂w6")))
    hidden = "∂E_total/∂out_h1"
    asked = [(hidden, grader.solution), (hidden, updated), ("∂E_total/∂w5", grader.solution), ("∂E_total/∂w5", exchanged)]
    answers = [grader.uses(name, worked) for name, worked in asked]
    assert answers == [
        ("δ_o1", "δ_o2"), ("δ_o1", "δ_o2", "w5′", "w7′"), ("out_h1", "δ_o1"), ("out_h2", "δ_o1")
    ]
    assert answers == [Grader(scenario, claims).uses(name, worked) for name, worked in asked]
