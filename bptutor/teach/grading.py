"""Judge claimed values: right, consistent with the student's own earlier values, wrong, or not given.

A value written with d decimals is right when the correct value rounded to d
decimals (half up, or the scenario's rounding method) is that value: 0.57 is
right for 0.5744. Under a hand-rounding policy both the policy's value and the
exact one count.

Error carried forward: a value that is not right is recomputed from the
student's own earlier values (every quantity it depends on that the student
gave, used as written). Those values were themselves rounded, so the
recomputation is allowed the spread that half a unit in their last decimal
makes (found by nudging each one). When the value agrees, it is right (all the
earlier values it used were right) or consistent with the earlier values that
were wrong — the way examiners give method marks.

Carried intermediates: a student who works to 6 decimals and does not write σ′
down still carried it at some precision. So a value that is neither is also
judged against every way the values not written down could have been carried:
each at any precision from the coarsest the student writes (a value written
exactly, like in_h1 = 0.6, says nothing of their rounding) up to full, rounded
half up, half even or cut. Those carried values form an interval per step
(propagated from the written values, each within half a unit of what was
written); the value is right (or consistent) when its written precision meets
that interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, replace
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from itertools import product

from bptutor.core.arithmetic import PRECISION
from bptutor.core.scenario import Scenario
from bptutor.i18n import Message
from bptutor.records import dataclass
from bptutor.teach.answers import Claim, parse_number
from bptutor.teach.solution import Evaluation, Step, WorkedSteps, Working

MAX_WORKED_KEPT = 256  # changed scenarios whose worked solution a grader keeps (each tested on every wrong value)

RIGHT, CONSISTENT, WRONG, MISSING = "right", "consistent", "wrong", "missing"
VERDICTS = (RIGHT, CONSISTENT, WRONG, MISSING)
_METHODS = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}
CARRY_METHODS = (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN)  # how a student may carry a value: rounded or cut
MAX_CARRY_DECIMALS = 30  # finer than this is full precision
MAX_CORNERS = 6  # inputs an interval is evaluated at every corner of; beyond, each input is varied alone
Interval = tuple[Decimal, Decimal]


@dataclass(frozen=True)
class Tolerance:
    """Also accept a value this close to the correct one: absolute, or relative to the correct value."""

    amount: Decimal
    relative: bool = False

    @classmethod
    def parse(cls, text: str) -> Tolerance | None:
        """'1e-4' (absolute) or '0.1%' (relative); None when it is not one."""
        relative = text.strip().endswith("%")
        parsed = parse_number(text.strip().removesuffix("%"))
        if parsed is None or parsed[0] < 0:
            return None
        return cls(parsed[0] / 100 if relative else parsed[0], relative)

    def allows(self, value: Decimal, reference: Decimal) -> bool:
        limit = self.amount * abs(reference) if self.relative else self.amount
        return abs(value - reference) <= limit


@dataclass(frozen=True)
class Judge:
    """How a claimed value is compared with a computed one."""

    method: str = "half_up"
    tolerance: Tolerance | None = None

    def rounded(self, value: Decimal, decimals: int) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=_METHODS[self.method])

    def matches(self, value: Decimal, claim: Claim, spread: Decimal = Decimal(0)) -> bool:
        """Whether `claim` is `value` written at its precision (allowing `spread` from rounded inputs)."""
        if self.rounded(value, claim.decimals) == claim.value:
            return True
        if spread > 0 and abs(claim.value - value) <= half_unit(claim.decimals) + spread:
            return True
        return self.tolerance is not None and self.tolerance.allows(claim.value, value)

    def meets(self, interval: Interval, claim: Claim) -> bool:
        """Whether some value in `interval` is `claim` at its written precision."""
        low, high = interval
        # rounding never decreases: some value in between rounds to the claim when the ends round around it
        if self.rounded(low, claim.decimals) <= claim.value <= self.rounded(high, claim.decimals):
            return True
        if self.tolerance is None:
            return False
        return any(self.tolerance.allows(claim.value, end) for end in interval)

    def cut_off(self, value: Decimal, claim: Claim) -> bool:
        """Whether `claim` is `value` with the digits after its precision cut off (not rounded)."""
        return value.quantize(Decimal(1).scaleb(-claim.decimals), rounding=ROUND_DOWN) == claim.value


def half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-decimals - 1)


@dataclass(frozen=True)
class Diagnosis:
    """A mistake that explains a wrong value, found by recomputing with it."""

    key: str  # which kind of mistake (wrong_bias, no_derivative, typo_transposed, …)
    message: Message  # saying what was done
    value: Decimal  # what the mistake gives
    working: tuple[Working, ...]  # the working with the mistake, from the student's numbers (empty for typos)
    truncated: bool = False  # the value matches only with its last digit cut off rather than rounded


@dataclass(frozen=True)
class Judgement:
    step: Step
    claim: Claim | None  # None: not given
    verdict: str
    correct: Decimal
    recomputed: Decimal | None = None  # from the student's own earlier values, when they feed this one
    uses: tuple[str, ...] = ()  # the student's earlier values it was recomputed from
    carried_from: tuple[str, ...] = ()  # the earlier wrong values a consistent one follows from
    diagnoses: tuple[Diagnosis, ...] = ()
    corrected: tuple[Working, ...] = ()  # the right working (from the student's numbers), for a wrong value


@dataclass(frozen=True)
class Report:
    scenario: Scenario
    source: str  # the answers file
    rows: tuple[Judgement, ...]  # computation order: every given value, and every step not given
    judge: Judge = field(default_factory=Judge)
    warnings: tuple[Message, ...] = ()  # where the precision written destroys the result (not marks)
    unknown: tuple[Message, ...] = ()  # names in the answers file that name nothing: not graded

    @property
    def given(self) -> tuple[Judgement, ...]:
        return tuple(row for row in self.rows if row.claim is not None)

    @property
    def first_wrong(self) -> Judgement | None:
        return next((row for row in self.rows if row.verdict == WRONG), None)

    @property
    def all_right(self) -> bool:
        return self.first_wrong is None

    def count(self, verdict: str) -> int:
        return sum(1 for row in self.rows if row.verdict == verdict)


@dataclass(frozen=True)
class Basis:
    """A scenario's worked solution and its values (under its rounding policy, and exact): what every
    student's values are judged against, computed once however many students are graded."""

    solution: WorkedSteps
    correct: dict[str, Decimal]
    exact: dict[str, Decimal]

    @classmethod
    def of(cls, scenario: Scenario, solution: WorkedSteps | None = None) -> Basis:
        solution = solution if solution is not None and solution.made_from is scenario else WorkedSteps(scenario)
        correct = solution.values()
        unrounded = replace(scenario, rounding=None)
        exact = correct if scenario.rounding is None else WorkedSteps(unrounded).values()
        return cls(solution, correct, exact)


class Grader:
    """Judges claims against one scenario, remembering what it has judged (claims are judged once)."""

    def __init__(
        self, scenario: Scenario, claims: Sequence[Claim], judge: Judge | None = None, basis: Basis | None = None
    ) -> None:
        self.scenario = scenario
        basis = basis if basis is not None and basis.solution.made_from is scenario else Basis.of(scenario)
        self.solution = basis.solution
        self.correct = basis.correct
        self.exact = basis.exact
        method = scenario.rounding.method if scenario.rounding else "half_up"
        self.judge = judge or Judge(method)
        self.claims: dict[str, list[Claim]] = {}
        for claim in claims:
            self.claims.setdefault(claim.name, []).append(claim)
        self._judged: dict[str, tuple[Judgement, ...]] = {}
        self._carried: dict[str, Interval] = {}
        self._enclosed: dict[str, Interval] = {}
        self._worked: dict[Scenario, WorkedSteps] = {}
        self._order = {step.name: index for index, step in enumerate(self.solution.steps)}
        # uses(name, solution) by (name, the solution's steps, its exchanged steps): what `reads` and `has` read
        self._uses: dict[tuple[str, int, tuple[str, str] | None], tuple[tuple[Step, ...], tuple[str, ...]]] = {}
        self.coarsest = self._coarsest()

    def _coarsest(self) -> int | None:
        """The fewest decimals the student rounds to: of every value written, but one written exactly as it is."""
        rounded = [
            claim.decimals
            for name, claims in self.claims.items()
            for claim in claims
            if not self._written_exactly(name, claim)
        ]
        return min(rounded, default=None)

    def _written_exactly(self, name: str, claim: Claim) -> bool:
        if not self.solution.has(name):
            return False
        value = self.correct[name]
        if claim.value != value and claim.value != self.exact[name]:
            return False
        exponent = claim.value.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        return claim.decimals <= max(0, -exponent)

    # ── the student's world: their values where they gave them ───────────────

    def chosen(self, name: str) -> Claim:
        """The student's value of `name` that later values are recomputed from: the first not wrong."""
        judged = self.judge_step(name)
        for judgement in judged:
            if judgement.verdict != WRONG:
                assert judgement.claim is not None
                return judgement.claim
        first = judged[0].claim
        assert first is not None
        return first

    def uses(self, name: str, solution: WorkedSteps | None = None) -> tuple[str, ...]:
        """The student's values that `name` is computed from: the nearest given ones on every path back.

        (In `solution`, a mistaken calculation, the paths back may differ: w5′ read for w5.) Worked out once
        for each name and each solution's steps and exchanged pair, which is all `reads` and `has` look at: the
        mistakes tested share the steps of the solution they are made from (`with_slip`, `with_parameters_of`).
        """
        solution = solution or self.solution
        key = (name, id(solution.steps), solution.slip.exchanged)
        known = self._uses.get(key)
        if known is not None:  # (the steps are kept with the answer: their id stays theirs)
            return known[1]
        found: list[str] = []
        seen: set[str] = set()
        stack = list(solution.reads(name))
        while stack:
            current = stack.pop()
            if current in seen or not solution.has(current):
                continue
            seen.add(current)
            if current in self.claims and self.solution.has(current):
                found.append(current)
            else:
                stack.extend(solution.reads(current))
        uses = tuple(sorted(found, key=self._order.__getitem__))
        self._uses[key] = (solution.steps, uses)
        return uses

    def overrides(self, names: Sequence[str]) -> dict[str, Decimal]:
        return {name: self.chosen(name).value for name in names}

    def recompute(self, solution: WorkedSteps, name: str, uses: Sequence[str]) -> tuple[Decimal, Decimal]:
        """`name` from the student's values `uses`, and the spread their rounding allows."""
        evaluation = solution.evaluation(name, self.overrides(uses))
        return evaluation.value, self.spread(evaluation, uses)

    def spread(self, evaluation: Evaluation, uses: Sequence[str]) -> Decimal:
        """How far a value recomputed from the student's values `uses` moves within their rounding."""
        spread = Decimal(0)
        for used in uses:
            if self.is_right(used, self.chosen(used)):
                # a right value: the student may have gone on with it as written or unrounded
                nudged = self.correct[used]
            else:
                # their own unrounded value lies within half a unit of what they wrote
                nudged = evaluation.overrides[used] + half_unit(self.chosen(used).decimals)
            spread += abs(evaluation.changed(used, nudged) - evaluation.value)
        return spread

    def worked(self, scenario: Scenario) -> WorkedSteps:
        """The worked solution of a changed scenario (a mistake tested), built once for every value it is tested on."""
        known = self._worked.get(scenario)
        if known is None:
            known = self.solution.with_parameters_of(scenario) or WorkedSteps(scenario)
            if len(self._worked) < MAX_WORKED_KEPT:
                self._worked[scenario] = known
        return known

    # ── the student's values not written down: every way they could have been carried ──

    def carried(self, name: str) -> Interval:
        """Where the student's value of `name`, as they went on with it, lies."""
        if name in self.solution.givens:
            value = self.solution.givens[name]
            return value, value
        if name in self._carried:
            return self._carried[name]
        if name in self.claims:
            claim = self.chosen(name)
            if self.is_right(name, claim):
                # a right value: the student may have gone on with it as written or unrounded
                ends = [claim.value, self.correct[name], self.exact[name]]
            else:
                # their own unrounded value lies within half a unit of what they wrote
                half = half_unit(claim.decimals)
                ends = [claim.value - half, claim.value + half]
            interval = (min(ends), max(ends))
        else:
            interval = self._rounded_any_way(self.enclosure(name))
        self._carried[name] = interval
        return interval

    def _rounded_any_way(self, interval: Interval) -> Interval:
        """The interval widened by every rounding from the student's coarsest precision to full."""
        low, high = interval
        if self.coarsest is None:
            return interval
        ends = [low, high]
        with localcontext(prec=PRECISION):
            for decimals in range(self.coarsest, max(self.coarsest, MAX_CARRY_DECIMALS) + 1):
                unit = Decimal(1).scaleb(-decimals)
                for method in CARRY_METHODS:
                    try:
                        ends += [low.quantize(unit, rounding=method), high.quantize(unit, rounding=method)]
                    except InvalidOperation:  # too many digits at this precision: as good as full
                        break
        return min(ends), max(ends)

    def enclosure(self, name: str) -> Interval:
        """Where `name` lies when computed from the student's carried values (before they round it)."""
        if name in self._enclosed:
            return self._enclosed[name]
        step = self.solution.step(name)
        inputs = [used for used in dict.fromkeys(step.inputs) if used and used not in self.solution.givens]
        ranges = {used: self.carried(used) for used in inputs}
        varying = [used for used in inputs if ranges[used][0] != ranges[used][1]]
        centre = {used: (low + high) / 2 for used, (low, high) in ranges.items()}
        points: list[dict[str, Decimal]] = [centre]
        if len(varying) <= MAX_CORNERS:
            # every corner, and (for one or two inputs) a grid inside, for a value that turns (σ′ at ½)
            steps = 4 if len(varying) <= 2 else 1
            for fractions in product(range(steps + 1), repeat=len(varying)):
                point = dict(centre)
                for used, fraction in zip(varying, fractions, strict=True):
                    low, high = ranges[used]
                    point[used] = low + (high - low) * fraction / steps
                points.append(point)
        else:
            for used in varying:
                points.extend({**centre, used: end} for end in ranges[used])
        values = []
        for point in points:
            try:
                values.append(self.solution.value(name, point))
            except ArithmeticError:  # outside an operation's domain: not a way the student could have gone
                continue
        interval = (min(values), max(values)) if values else (self.correct[name], self.correct[name])
        self._enclosed[name] = interval
        return interval

    # ── judging ───────────────────────────────────────────────────────────────

    def is_right(self, name: str, claim: Claim) -> bool:
        return self.judge.matches(self.correct[name], claim) or self.judge.matches(self.exact[name], claim)

    def judge_step(self, name: str) -> tuple[Judgement, ...]:
        """Every claim of the step `name`, judged (recursively judging the earlier values it uses)."""
        if name in self._judged:
            return self._judged[name]
        step = self.solution.step(name)
        correct = self.correct[name]
        claims = self.claims.get(name, [])
        if not claims:
            return (Judgement(step, None, MISSING, correct),)
        uses = self.uses(name)
        recomputed: Decimal | None = None
        spread = Decimal(0)
        if uses:
            try:
                recomputed, spread = self.recompute(self.solution, name, uses)
            except ArithmeticError:  # the student's values outside an operation's domain (ln of −0.5, √ of −0.01)
                recomputed, spread = None, Decimal(0)
        judged = []
        for claim in claims:
            if self.is_right(name, claim):
                judged.append(Judgement(step, claim, RIGHT, correct, recomputed, uses))
            elif (recomputed is not None and self.judge.matches(recomputed, claim, spread)) or self.judge.meets(
                self.enclosure(name), claim
            ):
                carried = self._carried_from(uses)
                verdict = CONSISTENT if carried else RIGHT
                judged.append(Judgement(step, claim, verdict, correct, recomputed, uses, carried))
            else:
                judged.append(Judgement(step, claim, WRONG, correct, recomputed, uses))
        result = tuple(judged)
        self._judged[name] = result
        return result

    def _carried_from(self, uses: Sequence[str]) -> tuple[str, ...]:
        """The earlier wrong values behind `uses` (a consistent value passes on its own)."""
        names: list[str] = []
        for used in uses:
            judgement = next(j for j in self.judge_step(used) if j.claim == self.chosen(used))
            if judgement.verdict == WRONG:
                names.append(used)
            elif judgement.verdict == CONSISTENT:
                names.extend(judgement.carried_from)
        return tuple(dict.fromkeys(names))


__all__ = [
    "CONSISTENT",
    "MISSING",
    "RIGHT",
    "WRONG",
    "Basis",
    "Diagnosis",
    "Grader",
    "Judge",
    "Judgement",
    "Report",
    "Tolerance",
]
