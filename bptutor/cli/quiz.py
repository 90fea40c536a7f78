"""`bptutor quiz`: ask for every value of the worked solution, one at a time.

The student types each value at the precision they like; it is judged as
`check` judges it (at the precision typed, and from the student's own earlier
answers, so a rounded out_h1 = 0.65 carries forward). A wrong answer gets a
hint — the formula in symbols, then with the numbers — and the diagnosis when
a common mistake explains it; the student tries again, asks for a hint (?),
reveals (r), skips (s) or quits (q). Reading lines from any callable, it works
the same at a terminal and with piped input.

It teaches as it asks: the givens come first (the run command's Given table,
again on `g`/`givens`/已知), and after each value answered or revealed one
line from the catalog says why its formula holds. Answers may be typed as a
Chinese keyboard types them: full-width digits and punctuation are NFKC-
normalised, a decimal comma (0,839) is read as a point when that is
unambiguous, and the command words of every language are understood
(提示, 答案, 跳过, 已知, 退出). `--order shuffle` asks each pass in a seeded
order in which every value's inputs come before it. Nothing typed can raise:
control characters are dropped, an absurdly long line is refused, undecodable
bytes become U+FFFD, and Ctrl-C ends with the summary (exit 130).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import field
from typing import TYPE_CHECKING, TextIO

from bptutor.core.graph import Activate
from bptutor.core.scenario import Scenario
from bptutor.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalog, in_language, message
from bptutor.records import dataclass
from bptutor.render.check import shown, working_line
from bptutor.render.style import Style
from bptutor.teach.answers import Claim, parse_number, sample_heading
from bptutor.teach.diagnose import diagnose_judgement
from bptutor.teach.grading import CONSISTENT, RIGHT, Grader, Judge
from bptutor.teach.solution import (
    DELTA,
    FIRST_MOMENT,
    NEW_PARAMETER,
    OUTPUT_GRADIENT,
    SECOND_MOMENT,
    SECTIONS,
    SLOPE,
    VELOCITY,
    Step,
    WorkedSteps,
)

if TYPE_CHECKING:
    from bptutor.core.trace import Run

COMMANDS = ("hint", "reveal", "skip", "quit", "givens", "help")  # each has quiz.words.NAME in every language
ORDERS = ("keep", "shuffle")
HINT_LEVELS = 2  # the formula in symbols, then with the numbers
INDENT = "  "
MAX_LINE = 4096  # characters kept of one line typed at a terminal
MAX_ANSWER = 100  # a longer answer is refused (and echoed cut short)
_COMMA = re.compile(r"([+-]?)([0-9]+),([0-9]+)")
_IDEOGRAPHIC_POINT = re.compile(r"(?<=[0-9])\u3002(?=[0-9])")  # 0。839, as a Chinese keyboard may type it
AMBIGUOUS = "ambiguous"  # number_text's answer for 1,234: a decimal comma or a thousands separator?


def command_words() -> dict[str, str]:
    """Every word that names a command, in any language (the catalog's quiz.words.*), casefolded → the command."""
    words: dict[str, str] = {}
    for lang in LANGUAGES:
        for command in COMMANDS:
            for word in message(f"quiz.words.{command}", lang).split():
                words.setdefault(cleaned(word).casefold(), command)
    return words


def visible(line: str) -> str:
    """The line without control or format characters (no escape sequence reaches the terminal), stripped."""
    return "".join(ch for ch in line if not unicodedata.category(ch).startswith("C")).strip()


def cleaned(line: str) -> str:
    """What was typed, as the quiz reads it: NFKC (full-width ０．８３９ and ？ become 0.839 and ?), visible."""
    return visible(unicodedata.normalize("NFKC", line).replace("\u2212", "-"))


def number_text(answer: str) -> str:
    """A cleaned answer with its decimal mark made a point: 0,839 and 0。839 → 0.839.

    A comma is read as a decimal comma only when it cannot be a thousands separator:
    1,234 returns AMBIGUOUS; 0,839, 12,5 and 1,2345 are read as 0.839, 12.5 and 1.2345.
    """
    text = _IDEOGRAPHIC_POINT.sub(".", answer)
    match = _COMMA.fullmatch(text)
    if match is None:
        return text
    sign, whole, fraction = match.groups()
    if len(fraction) == 3 and whole.lstrip("0") and len(whole) <= 3:
        return AMBIGUOUS
    return f"{sign}{whole}.{fraction}"


def shuffled(steps: Sequence[Step], seed: int) -> list[Step]:
    """The steps, each pass in turn, in a seeded random order in which every step comes after the steps it reads."""
    rng = random.Random(f"bptutor quiz {seed}")
    order: list[Step] = []
    for section in SECTIONS:
        pending = [step for step in steps if step.section == section]
        asked_here = {step.name for step in pending}
        known: set[str] = set()
        while pending:
            ready = [step for step in pending if all(n not in asked_here or n in known for n in step.inputs)]
            step = rng.choice(ready or pending[:1])
            pending.remove(step)
            known.add(step.name)
            order.append(step)
    return order


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
    def done(self) -> bool:
        return self.right or self.revealed or self.skipped

    @property
    def first_try(self) -> bool:
        return self.right and self.tries == 1 and self.hints == 0


@dataclass
class QuizResult:
    outcomes: list[Outcome]
    total: int  # values the quiz had to ask
    interrupted: bool = False  # ended by Ctrl-C

    @property
    def first_try(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.first_try)


class Quiz:
    def __init__(
        self,
        scenario: Scenario,
        style: Style,
        sections: Sequence[str] | None = None,
        run: Run | None = None,
        order: str = "keep",
        seed: int = 0,
    ) -> None:
        self.scenario = scenario
        self.style = style
        self.traced = run  # for the Given table
        self.solution = WorkedSteps(scenario)
        chosen = tuple(sections) if sections else SECTIONS
        steps = [step for step in self.solution.steps if not step.optional and step.section in chosen]
        self.steps = shuffled(steps, seed) if order == "shuffle" else steps
        method = scenario.rounding.method if scenario.rounding else "half_up"
        self.judge = Judge(method)
        self.accepted: dict[str, Claim] = {}  # the student's right answers, used as written from then on
        self.words = command_words()

    def say(self, key: str, **fields: object) -> str:
        return self.style.text(self.style.say(key, **fields))

    def run(self, read_line: Callable[[str], str], write: Callable[[str], None], echo: bool = False) -> QuizResult:
        """Ask every value. `read_line(prompt)` shows the prompt and returns the line, '' at the end of input."""
        style = self.style
        outcomes: list[Outcome] = []
        result = QuizResult(outcomes, len(self.steps))
        try:
            write(
                self.say(
                    "quiz.title",
                    title=self.scenario.title_in(style.lang),
                    scenario=self.scenario.name,
                    count=len(self.steps),
                )
                + "\n"
            )
            self._givens(write)
            write(self.say("quiz.instructions") + "\n")
            section = None
            sample: int | None = None
            for step in self.steps:
                if self.solution.batch and step.sample != sample:  # a batch: each sample, then the batch
                    sample, section = step.sample, None
                    write("\n" + self._sample_heading(sample) + "\n")
                if step.section != section:
                    section = step.section
                    write("\n" + self.say(f"quiz.section.{section}") + "\n")
                outcome = Outcome(step)
                outcomes.append(outcome)
                if not self._ask(outcome, read_line, write, echo):
                    break
        except KeyboardInterrupt:
            write("\n")
            result.interrupted = True
        if outcomes and outcomes[-1].tries == 0 and outcomes[-1].hints == 0 and not outcomes[-1].done:
            outcomes.pop()
        self._summary(result, write)
        return result

    def _sample_heading(self, sample: int | None) -> str:
        """"Sample 2 of 3 in the batch (…)", or the batch's heading after the samples."""
        if sample is not None:
            return self.style.text(sample_heading(self.solution, sample, self.style.lang))
        count = len(self.solution.samples)
        loss = self.scenario.notation.loss
        return self.say(f"train.heading.gradient_{self.solution.reduction}", count=count, loss=loss)

    def _givens(self, write: Callable[[str], None]) -> None:
        """The run command's Given table: inputs, targets, every parameter, activations, loss, η."""
        if self.traced is None:
            return
        from bptutor.render.tables import render_given

        if self.traced.first.samples:  # a training step: the samples, the batches and the optimizer too
            from bptutor.render.steps import render_training_given

            table = plain_text(render_training_given(self.traced, self.style))
            write("\n" + self.say("run.heading.given") + "\n" + table + "\n" + self._state() + "\n")
            return
        write("\n" + self.say("run.heading.given") + "\n" + plain_text(render_given(self.traced, self.style)) + "\n\n")

    def _state(self) -> str:
        """The optimizer's state before the step, when the step is a later one (at step 1 it is all zero)."""
        solution = self.solution
        names = [step.inputs[0] for step in solution.steps if step.kind in (VELOCITY, FIRST_MOMENT, SECOND_MOMENT)]
        if solution.step_number == 1 or not names:
            return ""
        import shutil
        import textwrap

        values = ", ".join(f"{name} = {self.style.number(solution.givens[name])}" for name in names)
        text = self.say("quiz.state_before", step=solution.step_number, values=values)
        width = shutil.get_terminal_size().columns
        return textwrap.fill(text, width=width, subsequent_indent=INDENT, break_on_hyphens=False) + "\n"

    def _ask(
        self, outcome: Outcome, read_line: Callable[[str], str], write: Callable[[str], None], echo: bool
    ) -> bool:
        """Ask for one value until it is right, revealed or skipped. False when the student quits."""
        name = outcome.step.name
        while True:
            line = read_line(self.style.text(f"{name} = "))
            if not line:
                write("\n")
                return False
            typed = visible(line)
            too_long = len(typed) > MAX_ANSWER
            if echo:
                write((typed[:MAX_ANSWER] + "…" if too_long else typed) + "\n")
            if too_long:
                write(INDENT + self.say("quiz.too_long", limit=MAX_ANSWER) + "\n")
                continue
            answer = cleaned(typed)
            command = self.words.get(answer.casefold())
            if command == "quit":
                return False
            if command == "skip":
                outcome.skipped = True
                write(INDENT + self.say("quiz.skipped") + "\n")
                return True
            if command == "reveal":
                outcome.revealed = True
                write(INDENT + self._working(name, full=True) + "\n")
                self._why(outcome.step, write)
                return True
            if command == "hint":
                self._hint(outcome, write)
                continue
            if command == "givens":
                self._givens(write)
                continue
            if command == "help":
                write(INDENT + self.say("quiz.instructions") + "\n")
                continue
            text = number_text(answer)
            if text == AMBIGUOUS:
                write(INDENT + self.say("quiz.ambiguous_comma", answer=answer) + "\n")
                continue
            if parse_number(text) is None:
                write(INDENT + self.say("quiz.not_understood") + "\n")
                continue
            outcome.tries += 1
            claim = Claim.of(name, text)
            if self._judge(outcome, claim, write):
                outcome.right = True
                self.accepted[name] = claim
                write(INDENT + self.say("quiz.right") + "\n")
                self._why(outcome.step, write)
                return True
            self._hint(outcome, write)

    def _why(self, step: Step, write: Callable[[str], None]) -> None:
        """One line of the catalog on why the step's formula holds, chosen by the kind of step."""
        key, fields = why_key(self.solution, step)
        write(INDENT + self.say(key, **fields) + "\n")

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


def why_key(solution: WorkedSteps, step: Step) -> tuple[str, dict[str, object]]:
    """The catalog key of the line that says why `step`'s formula holds, and the fields it is filled with.

    Keyed by the kind of step (quiz.why.KIND); a hidden neuron's ∂E/∂out, an activation's slope, a
    textbook-signed δ and a frozen parameter's update have their own lines.
    """
    found = solution.sample_of(step.name)
    if found is not None:  # a sample of a batch: why as for that sample alone
        number, own = found
        child = solution.samples[number - 1]
        key, own_fields = why_key(child, child.step(own))
        return key, {**own_fields, "name": step.name}
    scenario = solution.scenario
    fields: dict[str, object] = {"name": step.name, "neuron": step.neuron or "", "parameter": step.parameter or ""}
    kind = step.kind
    if kind == OUTPUT_GRADIENT and step.neuron not in solution.output_neurons:
        neurons = {scenario.notation.dlt(n.name): n.name for layer in scenario.layers for n in layer.neurons}
        fields["consumers"] = ", ".join(neurons.get(delta, delta) for delta in step.inputs[::2])
        updated = scenario.conventions.hidden_error_weights == "updated"
        return ("quiz.why.hidden_gradient_updated" if updated else "quiz.why.hidden_gradient"), fields
    if kind == SLOPE:
        equation = solution.graph.definition(step.inputs[1])
        activation = equation.activation if isinstance(equation, Activate) else ""
        key = f"quiz.why.slope.{activation}"
        known = key in catalog(DEFAULT_LANGUAGE)  # every language has the same keys
        return (key if known else "quiz.why.slope"), fields
    if kind == DELTA and step.rule:  # an output's δ: fused (out − target), or through softmax's Jacobian
        activation = scenario.layers[-1].activation
        return f"quiz.why.delta_{step.rule}.{activation if step.rule == 'fused' else 'softmax'}", fields
    if kind == DELTA and solution.sign < 0:
        return "quiz.why.delta_textbook", fields
    if kind == NEW_PARAMETER and len(step.inputs) == 1:
        return "quiz.why.frozen", fields
    if kind == NEW_PARAMETER and solution.batch and solution.scenario.optimizer.name != "sgd":
        return f"quiz.why.new_parameter_{solution.scenario.optimizer.name}", fields
    return f"quiz.why.{kind}", fields


def plain_text(renderable: object) -> str:
    """A rich renderable as plain text at the terminal's width (COLUMNS, else the terminal, else 80)."""
    import io
    import shutil

    from rich.console import Console

    console = Console(
        file=io.StringIO(), width=shutil.get_terminal_size().columns, highlight=False, soft_wrap=False, no_color=True
    )
    with console.capture() as captured:
        console.print(renderable)
    return "\n".join(line.rstrip() for line in captured.get().rstrip("\n").split("\n"))


# ── reading lines: a pipe as it is, a terminal with line editing and history ──


def decode_leniently(stream: TextIO) -> None:
    """Undecodable bytes typed at a terminal become U+FFFD rather than an exception (input() decodes them)."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")


def pipe_reader(read_line: Callable[[], str], write: Callable[[str], None]) -> Callable[[str], str]:
    """Lines from a pipe or a file (`read_line`, which never raises on bad bytes): the prompt written, then a line."""

    def read(prompt: str) -> str:
        write(prompt)
        return read_line()

    return read


def terminal_reader(words: Sequence[str]) -> Callable[[str], str]:
    """Lines from a terminal through `input`, with line editing, history and Tab completing the command words."""
    try:
        import readline  # the standard library's line editor, loaded only at a terminal
    except ImportError:  # pragma: no cover - Python built without readline: plain input
        pass
    else:
        choices = sorted(words)

        def complete(text: str, state: int) -> str | None:
            matches = [word for word in choices if word.startswith(text)]
            return matches[state] if state < len(matches) else None

        readline.set_completer(complete)
        readline.parse_and_bind("tab: complete")

    def read(prompt: str) -> str:
        try:
            return input(prompt)[:MAX_LINE] + "\n"
        except EOFError:
            return ""

    return read


__all__ = [
    "MAX_ANSWER",
    "ORDERS",
    "Outcome",
    "Quiz",
    "QuizResult",
    "cleaned",
    "command_words",
    "decode_leniently",
    "number_text",
    "pipe_reader",
    "shuffled",
    "terminal_reader",
    "why_key",
]
