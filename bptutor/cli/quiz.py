"""`bptutor quiz`: ask for every value of the worked solution, one at a time.

The student types each value at the precision they like; it is judged as
`check` judges it (at the precision typed, and from the student's own earlier
answers, so a rounded out_h1 = 0.65 carries forward). A wrong answer gets a
hint — the formula in symbols, then with the numbers — and the diagnosis when
a common mistake explains it; the student tries again, asks for a hint (?),
reveals (r), skips (s) or quits (q). Reading lines from any callable, it works
the same at a terminal and with piped input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field

from bptutor.core.records import dataclass
from bptutor.core.scenario import Scenario
from bptutor.i18n import in_language
from bptutor.render.check import shown, working_line
from bptutor.render.style import Style
from bptutor.teach.answers import Claim, parse_number
from bptutor.teach.diagnose import diagnose_judgement
from bptutor.teach.grading import CONSISTENT, RIGHT, Grader, Judge
from bptutor.teach.solution import SECTIONS, Step, WorkedSteps

HINT_WORDS = ("?", "h", "hint")
REVEAL_WORDS = ("r", "reveal")
SKIP_WORDS = ("s", "skip")
QUIT_WORDS = ("q", "quit", "exit")
HINT_LEVELS = 2  # the formula in symbols, then with the numbers
INDENT = "  "


@dataclass
class Outcome:
    """How one value went."""

    step: Step
    tries: int = 0  # answers typed
    hints: int = 0
    right: bool = False
    revealed: bool = False
    skipped: bool = False
    diagnoses: list[str] = field(default_factory=list)  # the mistakes found in wrong answers

    @property
    def first_try(self) -> bool:
        return self.right and self.tries == 1 and self.hints == 0


@dataclass
class QuizResult:
    outcomes: list[Outcome]
    total: int  # values the quiz had to ask

    @property
    def first_try(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.first_try)


class Quiz:
    def __init__(self, scenario: Scenario, style: Style, sections: Sequence[str] | None = None) -> None:
        self.scenario = scenario
        self.style = style
        self.solution = WorkedSteps(scenario)
        chosen = tuple(sections) if sections else SECTIONS
        self.steps = [step for step in self.solution.steps if not step.optional and step.section in chosen]
        method = scenario.rounding.method if scenario.rounding else "half_up"
        self.judge = Judge(method)
        self.accepted: dict[str, Claim] = {}  # the student's right answers, used as written from then on

    def say(self, key: str, **fields: object) -> str:
        return self.style.text(self.style.say(key, **fields))

    def run(self, read_line: Callable[[], str], write: Callable[[str], None], echo: bool = False) -> QuizResult:
        """Ask every value; `read_line` returns '' at the end of input (like `readline`)."""
        style = self.style
        write(
            self.say(
                "quiz.title",
                title=self.scenario.title_in(style.lang),
                scenario=self.scenario.name,
                count=len(self.steps),
            )
            + "\n"
        )
        write(self.say("quiz.instructions") + "\n")
        outcomes: list[Outcome] = []
        section = None
        for step in self.steps:
            if step.section != section:
                section = step.section
                write("\n" + self.say(f"quiz.section.{section}") + "\n")
            outcome = Outcome(step)
            outcomes.append(outcome)
            if not self._ask(outcome, read_line, write, echo):
                if outcome.tries == 0 and outcome.hints == 0:
                    outcomes.pop()
                break
        result = QuizResult(outcomes, len(self.steps))
        self._summary(result, write)
        return result

    def _ask(self, outcome: Outcome, read_line: Callable[[], str], write: Callable[[str], None], echo: bool) -> bool:
        """Ask for one value until it is right, revealed or skipped. False when the student quits."""
        name = outcome.step.name
        while True:
            write(self.style.text(f"{name} = "))
            line = read_line()
            if not line:
                write("\n")
                return False
            answer = line.strip()
            if echo:
                write(answer + "\n")
            word = answer.casefold()
            if word in QUIT_WORDS:
                return False
            if word in SKIP_WORDS:
                outcome.skipped = True
                write(INDENT + self.say("quiz.skipped") + "\n")
                return True
            if word in REVEAL_WORDS:
                outcome.revealed = True
                write(INDENT + self._working(name, full=True) + "\n")
                return True
            if word in HINT_WORDS:
                self._hint(outcome, write)
                continue
            parsed = parse_number(answer)
            if parsed is None:
                write(INDENT + self.say("quiz.not_understood") + "\n")
                continue
            outcome.tries += 1
            claim = Claim.of(name, answer)
            if self._judge(outcome, claim, write):
                outcome.right = True
                self.accepted[name] = claim
                write(INDENT + self.say("quiz.right") + "\n")
                return True
            self._hint(outcome, write)

    def _judge(self, outcome: Outcome, claim: Claim, write: Callable[[str], None]) -> bool:
        grader = Grader(self.scenario, [*self.accepted.values(), claim], self.judge)
        (judgement,) = grader.judge_step(claim.name)
        if judgement.verdict in (RIGHT, CONSISTENT):
            return True
        write(INDENT + self.say("quiz.wrong", decimals=claim.decimals) + "\n")
        diagnosed = diagnose_judgement(grader, judgement)
        if diagnosed.diagnoses:
            text = in_language(diagnosed.diagnoses[0].message, self.style.lang)
            if text not in outcome.diagnoses:
                outcome.diagnoses.append(text)
            write(INDENT + self.say("quiz.diagnosis", diagnosis=text) + "\n")
        return False

    def _hint(self, outcome: Outcome, write: Callable[[str], None]) -> None:
        if outcome.hints >= HINT_LEVELS:
            write(INDENT + self.say("quiz.no_more_hints") + "\n")
            return
        outcome.hints += 1
        working = self._working(outcome.step.name, full=False, numbers=outcome.hints > 1)
        write(INDENT + self.say("quiz.hint", working=working) + "\n")

    def _working(self, name: str, full: bool, numbers: bool = True) -> str:
        """The formula of `name` from the student's own answers: symbols, then numbers, then (full) the value."""
        overrides = {step: claim.value for step, claim in self.accepted.items()}
        working = self.solution.working(name, overrides)
        if full:
            return working_line(working, self.scenario, self.style)
        line = working_line(working, self.scenario, self.style)
        value = self.style.text(" = " + shown(working.value, self.scenario, self.style))
        line = line.removesuffix(value)
        if not numbers:
            symbols = self.style.symbols(working.formula)
            return self.style.text(f"{name} = ") + symbols
        return line

    def _summary(self, result: QuizResult, write: Callable[[str], None]) -> None:
        outcomes = result.outcomes
        write("\n" + self.say("quiz.summary") + "\n")
        write(self.say("quiz.score", first=result.first_try, asked=len(outcomes)) + "\n")
        later = sum(1 for outcome in outcomes if outcome.right and not outcome.first_try)
        revealed = sum(1 for outcome in outcomes if outcome.revealed)
        skipped = sum(1 for outcome in outcomes if outcome.skipped)
        left = result.total - sum(1 for o in outcomes if o.right or o.revealed or o.skipped)
        write(self.say("quiz.counts", later=later, revealed=revealed, skipped=skipped, left=left) + "\n")
        review = [
            outcome
            for outcome in outcomes
            if not outcome.first_try and (outcome.right or outcome.revealed or outcome.skipped or outcome.tries)
        ]
        if not review:
            if outcomes:
                write(self.say("quiz.nothing_to_review") + "\n")
            return
        write(self.say("quiz.review") + "\n")
        for outcome in review:
            if outcome.revealed:
                what = [self.style.say("quiz.review.revealed")]
            elif outcome.skipped:
                what = [self.style.say("quiz.review.skipped")]
            elif outcome.right:
                what = [self.style.say("quiz.review.retried", tries=outcome.tries, hints=outcome.hints)]
            else:
                what = [self.style.say("quiz.review.unanswered")]
            separator = self.style.say("given.rate_separator")
            write(
                INDENT + self.style.text(f"{outcome.step.name}: " + separator.join([*what, *outcome.diagnoses])) + "\n"
            )


__all__ = ["Outcome", "Quiz", "QuizResult"]
