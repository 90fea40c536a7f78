"""Question banks for Moodle: Moodle XML and GIFT, one numerical question per asked quantity.

`exercise_questions(run, …)` turns a traced exercise into `Question`s. First a
description (Moodle's question type that asks nothing): the exercise's problem,
with the network figure once, as an SVG file of that question shown by an
<img> (GIFT carries no files, so its description has the givens without the
figure). Then one numerical question per asked quantity: the givens (as the
handout's table, without the figure), the network's weighted sums in symbols
(so that each question, drawn alone, says how the neurons are connected), what
to compute; as general feedback the worked solution's equations for that value
and for the values it is computed from. Math is TeX between \\( \\) and \\[ \\],
which Moodle's MathJax filter (on by default) typesets: a fifth the size of
MathML, so the default 20-exercise bank stays under 2 MB. `to_moodle_xml` and
`to_gift` only print the questions.

Tolerance: half a unit in the last decimal asked (0.00005 for 4 decimals). Under
a rounding policy the right answer is itself a number with that many decimals,
so exactly the responses that round to it are accepted: a student who writes
more digits is not penalised, and one a unit off (a rounding slip on the way) is
not accepted. Where the full-precision value, at the decimals asked, differs
from the step-rounded one, it is a second answer worth full marks with the same
tolerance, as `bptutor check` accepts both. Without a policy (`--exact`) the
tracer's full-precision value is the answer, and the same tolerance accepts its
correct rounding to D decimals.
"""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape as xml_escape

from bptutor.core.graph import TotalLoss
from bptutor.core.trace import Run
from bptutor.handout.document import Block, Display, Figure, Heading, Paragraph, Table, build_handout
from bptutor.handout.maths import Chain, Node
from bptutor.i18n import message
from bptutor.records import dataclass

KINDS = ("outputs", "loss", "gradients", "updates")


@dataclass(frozen=True)
class Question:
    category: str  # the Moodle category path
    name: str
    text: str  # HTML
    feedback: str  # HTML: the worked solution
    answer: str  # a decimal, never in exponent form ("" for a description)
    tolerance: str
    alternatives: tuple[str, ...] = ()  # more answers worth full marks (the full-precision value), same tolerance
    kind: str = "numerical"  # or "description": the exercise's problem and figure, asked nothing
    figure: tuple[str, str] = ("", "")  # (file name, SVG) shown above a description's text, in Moodle XML


def decimal_text(value: float | Decimal) -> str:
    """A number as plain decimal text (no exponent): Decimals as written, floats by their shortest repr."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    text = format(exact, "f")
    return "0" if text in ("-0", "0") else text


def tolerance_text(decimals: int) -> str:
    """Half a unit in the last decimal: 4 → 0.00005."""
    return format(Decimal(5).scaleb(-(decimals + 1)), "f")


def category_path(name: str, exercise: str) -> str:
    """Where Moodle files the questions: one category per exercise under one for the whole bank."""
    return f"$course$/top/{name}/{exercise}"


def full_precision_answer(policy: float | Decimal, exact: float | Decimal, decimals: int) -> str | None:
    """The full-precision value as a second answer, when at `decimals` (half up) it differs from the policy's."""
    unit = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(exact))).quantize(unit, rounding=ROUND_HALF_UP)
    if rounded == Decimal(decimal_text(policy)).quantize(unit, rounding=ROUND_HALF_UP):
        return None
    return decimal_text(exact)


def exercise_questions(
    run: Run, category: str, kinds: Sequence[str], decimals: int, rounded: bool, lang: str
) -> list[Question]:
    """The exercise's description (its problem and figure), then one question per asked quantity, in the order
    a hand calculation meets them. Under a rounding policy, where the full-precision value differs from the
    step-rounded one at the decimals asked, both are answers worth full marks (as `bptutor check` accepts both)."""
    from bptutor.core.trace import run as trace_run
    from bptutor.handout.figure import network_svg
    from bptutor.handout.formats import tex_html

    scenario = run.scenario
    notation = scenario.notation
    step = run.first
    exact_step = trace_run(replace(scenario, rounding=None)).first if rounded else step
    solution = build_handout(run, lang, "full", detail="full")  # each question's feedback is its own derivation
    problem_blocks: list[Block] = []
    for block in solution.blocks[1:]:  # after the heading "The problem": the figure and the givens
        if isinstance(block, Heading):
            break
        if isinstance(block, (Figure, Table)):
            problem_blocks.append(block)
    pre_activations = {notation.pre(neuron.name) for layer in scenario.layers for neuron in layer.neurons}
    wiring: list[str | Node] = [message("generate.wiring", lang)]
    for block in solution.blocks:
        if isinstance(block, Display) and block.about in pre_activations and isinstance(block.math, Chain):
            wiring += [message("check.name_separator", lang)] if len(wiring) > 1 else []
            wiring.append(Chain(block.math.parts[:2]))
    problem_blocks.append(Paragraph(tuple(wiring)))
    problem = replace(solution, subtitle="", blocks=tuple(problem_blocks))
    # each question: the givens without the figure, the title (its name says it) and the rounding row (its
    # sentence says it); the exercise's description has them all, the figure once
    rounding_row = (message("given.rounding", lang),)
    shared = tuple(
        replace(block, rows=tuple(row for row in block.rows if row[0] != rounding_row))
        if isinstance(block, Table)
        else block
        for block in problem.blocks
        if not isinstance(block, Figure)
    )
    givens = tex_html(replace(problem, blocks=shared), title=False)
    graph = run.graph

    def working(about: set[str]) -> str:
        """The feedback: the worked solution's equations for this value and the ones it reads directly."""
        return tex_html(solution.working(about), title=False)

    def gradient_steps(parameter: str) -> set[str]:
        about = {f"∂{parameter}"}
        for consumer in graph.consumers(parameter):
            neuron = graph.quantity(consumer.output).neuron
            if neuron is not None:
                pre, act = notation.pre(neuron), notation.act(neuron)
                about |= {f"∂{act}", f"∂{act}/∂{pre}", f"∂{pre}"}
        return about
    precision = message("generate.ask.rounded" if rounded else "generate.ask.exact", lang, decimals=decimals)
    tolerance = tolerance_text(decimals)

    # (quantity shown, sentence, value, the full-precision value, its steps)
    asked: list[tuple[str, str, float | Decimal, float | Decimal, set[str]]] = []
    if "outputs" in kinds:
        for neuron, _ in scenario.targets:
            name = notation.act(neuron)
            sentence = message("generate.ask.output", lang, name=name, neuron=neuron)
            asked.append((name, sentence, step.value(name), exact_step.value(name), {notation.pre(neuron), name}))
    if "loss" in kinds:
        name = notation.loss
        terms = {
            term.name for equation in graph.equations if isinstance(equation, TotalLoss) for term in equation.terms
        }
        sentence = message("generate.ask.loss", lang, name=name)
        asked.append((name, sentence, step.loss, exact_step.loss, terms | {name}))
    exact_updates = {update.parameter: update for update in exact_step.updates}
    if "gradients" in kinds:
        for update in step.updates:
            name = f"∂{notation.loss}/∂{update.parameter}"
            sentence = message("generate.ask.gradient", lang, name=name)
            exact = exact_updates[update.parameter].gradient
            asked.append((name, sentence, update.gradient, exact, gradient_steps(update.parameter)))
    if "updates" in kinds:
        for update in step.updates:
            name = f"{update.parameter}′"
            sentence = message("generate.ask.update", lang, name=name, parameter=update.parameter)
            exact = exact_updates[update.parameter].new
            asked.append((name, sentence, update.new, exact, {f"∂{update.parameter}", name}))

    figure = (f"{scenario.name}.network.svg", network_svg(scenario, lang))
    description = Question(
        category,
        message("generate.description_name", lang, exercise=scenario.name),
        tex_html(replace(problem, blocks=tuple(b for b in problem.blocks if not isinstance(b, Figure)))),
        "",
        "",
        "",
        kind="description",
        figure=figure,
    )
    questions = [description]
    for shown, sentence, value, exact, steps in asked:
        text = givens + f"<p><strong>{escape(sentence)}</strong></p>\n<p>{escape(precision)}</p>\n"
        name = f"{scenario.name} {shown}"
        also = full_precision_answer(value, exact, decimals) if rounded else None
        alternatives = (also,) if also else ()
        questions.append(Question(category, name, text, working(steps), decimal_text(value), tolerance, alternatives))
    return questions


# ── Moodle XML ────────────────────────────────────────────────────────────────


def _cdata(text: str) -> str:
    """Text in a CDATA section; a `]]>` inside is split across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_moodle_xml(questions: Sequence[Question], comment: str = "") -> str:
    """A Moodle XML question bank: a category question before each category's numerical questions.

    The elements are those Moodle's XML importer (qformat_xml) reads for a numerical
    question: name/text, questiontext and generalfeedback with their format and text,
    defaultgrade, penalty, hidden, one answer with fraction 100, its text and tolerance,
    and the unit settings (no units).
    """
    return moodle_xml_head(comment) + moodle_xml_questions(questions) + MOODLE_XML_TAIL


MOODLE_XML_TAIL = "</quiz>\n"


def moodle_xml_head(comment: str = "") -> str:
    """The bank's first lines: the XML declaration, the comment, `<quiz>`."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    if comment:
        out.append(f"<!-- {comment.replace('--', '- -')} -->")
    out.append("<quiz>")
    return "\n".join(out) + "\n"


def moodle_xml_questions(questions: Sequence[Question], category: str | None = None) -> str:
    """The questions' elements, a category element where the category changes from the one before (`category`).

    A bank can be written a part at a time: head, each part's questions, tail.
    """
    out: list[str] = []
    for question in questions:
        if question.category != category:
            category = question.category
            out += [
                '  <question type="category">',
                "    <category>",
                f"      <text>{xml_escape(category)}</text>",
                "    </category>",
                "  </question>",
            ]
        if question.kind == "description":
            out += _moodle_description(question)
            continue
        out += [
            '  <question type="numerical">',
            "    <name>",
            f"      <text>{xml_escape(question.name)}</text>",
            "    </name>",
            '    <questiontext format="html">',
            f"      <text>{_cdata(question.text)}</text>",
            "    </questiontext>",
            '    <generalfeedback format="html">',
            f"      <text>{_cdata(question.feedback)}</text>",
            "    </generalfeedback>",
            "    <defaultgrade>1</defaultgrade>",
            "    <penalty>0.3333333</penalty>",
            "    <hidden>0</hidden>",
        ]
        for answer in (question.answer, *question.alternatives):
            out += [
                '    <answer fraction="100" format="moodle_auto_format">',
                f"      <text>{answer}</text>",
                '      <feedback format="html">',
                "        <text></text>",
                "      </feedback>",
                f"      <tolerance>{question.tolerance}</tolerance>",
                "    </answer>",
            ]
        out += [
            "    <unitgradingtype>0</unitgradingtype>",
            "    <unitpenalty>0.1000000</unitpenalty>",
            "    <showunits>3</showunits>",
            "    <unitsleft>0</unitsleft>",
            "  </question>",
        ]
    return "".join(line + "\n" for line in out)


def _moodle_description(question: Question) -> list[str]:
    """A description question: the figure (a file of the question, shown by an <img>) above the text."""
    text = question.text
    files: list[str] = []
    name, svg = question.figure
    if name:
        text = f'<p><img src="@@PLUGINFILE@@/{escape(name)}" alt=""></p>\n' + text
        encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        files.append(f'      <file name="{xml_escape(name)}" path="/" encoding="base64">{encoded}</file>')
    return [
        '  <question type="description">',
        "    <name>",
        f"      <text>{xml_escape(question.name)}</text>",
        "    </name>",
        '    <questiontext format="html">',
        f"      <text>{_cdata(text)}</text>",
        *files,
        "    </questiontext>",
        '    <generalfeedback format="html">',
        "      <text></text>",
        "    </generalfeedback>",
        "    <defaultgrade>0</defaultgrade>",
        "    <penalty>0</penalty>",
        "    <hidden>0</hidden>",
        "  </question>",
    ]


# ── GIFT ──────────────────────────────────────────────────────────────────────

_GIFT_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_escape(text: str) -> str:
    """Text for GIFT: a backslash before each of \\ ~ = # { } : and every line break written as \\n,
    so that a whole question stays on one line (a blank line ends a question in GIFT)."""
    escaped = _GIFT_SPECIAL.sub(r"\\\1", text.replace("\r", ""))
    return escaped.replace("\n", "\\n")


def to_gift(questions: Sequence[Question], comment: str = "") -> str:
    """The same bank in GIFT: `$CATEGORY:` lines, then `::name::[html]text{#answer:tolerance####feedback}`."""
    text = gift_head(comment) + gift_questions(questions)
    return text[:-1]  # the lines joined: no newline after the last (blank) one


def gift_head(comment: str = "") -> str:
    """The comment lines of a GIFT bank and the blank line after them."""
    return "".join(f"// {line}\n" for line in comment.splitlines()) + ("\n" if comment else "")


def gift_questions(questions: Sequence[Question], category: str | None = None) -> str:
    """The questions in GIFT, a `$CATEGORY:` line where the category changes from the one before (`category`).

    Every question ends with a blank line. A whole bank leaves off its very last newline (`to_gift`).
    """
    out: list[str] = []
    for question in questions:
        if question.category != category:
            category = question.category
            out += [f"$CATEGORY: {category}", ""]
        head = f"::{gift_escape(question.name)}::[html]{gift_escape(question.text)}"
        if question.kind == "description":  # no answers: a description (GIFT carries no files: no figure)
            out.append(head)
        elif question.alternatives:
            every = (question.answer, *question.alternatives)
            answers = " ".join(f"={answer}:{question.tolerance}" for answer in every)
            out.append(f"{head}{{#{answers}####{gift_escape(question.feedback)}}}")
        else:
            out.append(f"{head}{{#{question.answer}:{question.tolerance}####{gift_escape(question.feedback)}}}")
        out.append("")
    return "".join(line + "\n" for line in out)


@dataclass(frozen=True)
class BankFormat:
    """A question bank `bptutor generate --format NAME` writes: its file and its printer."""

    name: str
    file: str
    write: Callable[[Sequence[Question], str], str]  # (questions, comment) → the file's text


BANKS = (BankFormat("moodle", "bank.moodle.xml", to_moodle_xml), BankFormat("gift", "bank.gift.txt", to_gift))


class BankWriter:
    """A bank written one exercise at a time, so memory does not grow with the number of exercises.

    The questions go to a temporary file beside the bank; `finish(comment)` writes
    the bank (its head, whose comment counts the questions, then the questions, then
    its tail) and removes the temporary file. The text is that of `to_moodle_xml` or
    `to_gift` of all the questions at once.
    """

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind  # "moodle" or "gift"
        self.part = path.with_name(f".{path.name}.part")
        self.category: str | None = None
        self.count = 0
        self.stream = self.part.open("w", encoding="utf-8")

    def add(self, questions: Sequence[Question]) -> None:
        printer = moodle_xml_questions if self.kind == "moodle" else gift_questions
        self.stream.write(printer(questions, self.category))
        if questions:
            self.category = questions[-1].category
        self.count += len(questions)

    def finish(self, comment: str) -> None:
        self.stream.close()
        head = moodle_xml_head(comment) if self.kind == "moodle" else gift_head(comment)
        with self.path.open("w", encoding="utf-8") as bank, self.part.open(encoding="utf-8") as body:
            if self.kind == "moodle":
                bank.write(head)
                shutil.copyfileobj(body, bank)
                bank.write(MOODLE_XML_TAIL)
            else:
                bank.write(head[:-1] if self.count == 0 else head)
                _copy_but_last_character(body, bank)
        self.part.unlink()


def _copy_but_last_character(source: TextIO, target: TextIO) -> None:
    """Copy all of `source` but its last character (GIFT's joined lines end without a newline)."""
    held = ""
    while chunk := source.read(1 << 20):
        target.write(held + chunk[:-1])
        held = chunk[-1]


__all__ = [
    "BANKS",
    "KINDS",
    "MOODLE_XML_TAIL",
    "BankFormat",
    "BankWriter",
    "Question",
    "category_path",
    "decimal_text",
    "exercise_questions",
    "gift_escape",
    "gift_head",
    "gift_questions",
    "moodle_xml_head",
    "moodle_xml_questions",
    "to_gift",
    "to_moodle_xml",
    "tolerance_text",
]
