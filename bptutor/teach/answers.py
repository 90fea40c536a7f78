"""Read an answers file: a student's (or a textbook's) claimed values, by quantity name.

An answers file is one YAML mapping, `name: value`, in the scenario's notation:

    out_h1: 0.6456563062
    dE_total/dw5: 0.0818667051
    w5': 0.45906664745
    in_o1: [1.3783843861, 1.3789843861]   # a value written twice, differently

Each value is kept as the text it was written with, because its decimals are
the precision it is judged at (`0.50` has two). Names are resolved by
`NameTable`, which accepts the forms people write (`∂E_total/∂w5`,
`dE/dw5`, `grad_w5`, `delta_o1`, `w5'`, `w5_new`, …), case-insensitively where
that is unambiguous. The file is read with the located-YAML toolkit every reader
shares (`bptutor.loading.yamltree`): size-checked before and after reading, composed,
never constructed, and every problem is a `ScenarioError` at FILE:LINE:COLUMN.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterable
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property

from bptutor.core.numbers import format_number, true_minus
from bptutor.core.ops import LAYER_ACTIVATIONS
from bptutor.errors import Location, ScenarioError
from bptutor.i18n import Message, message
from bptutor.loading.yamltree import (
    GREW,
    MAX_FILE_BYTES,
    MISSING,
    NUMBER_RE,
    TOO_LARGE,
    UNREADABLE,
    Context,
    FileProblem,
    LocatedMapping,
    LocatedScalar,
    LocatedSequence,
    LocatedValue,
    decode_utf8,
    describe,
    did_you_mean,
    is_absent,
    listing,
    parse_yaml,
    quote,
    read_bytes,
)
from bptutor.records import dataclass
from bptutor.teach.solution import (
    BATCH_GRADIENT,
    DELTA,
    GRADIENT,
    LOSS,
    LOSS_TERM,
    NEW_PARAMETER,
    STATE_KINDS,
    UPDATE,
    WorkedSteps,
    derivative_name,
)

MAX_CLAIMS = 10_000
MAX_VALUES_PER_NAME = 10
MAX_DECIMALS = 30
MAX_SIGNIFICANT = 40
LOSS_ALIASES = ("E", "E_total", "L", "Loss", "C", "J")  # what people call the loss in ∂E/∂w
# a quantity of sample 2 of a batch: out_o1[2], out_o1(2), out_o1^(2), out_o1_(2), sample2.out_o1
SAMPLE_FORMS = ("{name}[{i}]", "{name}({i})", "{name}^({i})", "{name}_({i})", "sample{i}.{name}", "sample{i}:{name}")
UPDATED_FORMS = ("{p}'", "{p}′", "{p}’", "{p}_new", "{p}+", "{p}^+", "{p}_next", "new_{p}")
OUTPUT_STEMS = ("ŷ", "y_hat", "yhat")  # an output activation as the prediction: ŷ_o1, ŷ1, y_hat_o1, y_hat1
SOFTMAX_STEMS = ("p", "softmax")  # a softmax output as a probability: p_o1, p1, softmax_o1, softmax_1
_SPACES = re.compile(r"\s+")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A pattern compiled the first time it is used: the matrix entries' (about 0.5 ms to compile) and the
    template's plain keys are not needed to read an answers file that names every value exactly."""
    return re.compile(pattern)


@dataclass(frozen=True)
class Claim:
    """One claimed value: which quantity, the number as written, and where it was written."""

    name: str  # the quantity, as bptutor names it (∂E_total/∂w5, w5′)
    written_as: str  # the name as written in the file (dE_total/dw5, w5')
    text: str  # the number as written (0.50)
    value: Decimal
    decimals: int  # decimals written: the precision the value is judged at
    location: Location

    @classmethod
    def of(cls, name: str, text: str, written_as: str | None = None, location: Location | None = None) -> Claim:
        """A claim from Python (tests, the quiz): `Claim.of("out_h1", "0.65")`."""
        parsed = parse_number(text)
        if parsed is None:
            raise ValueError(f"not a number: {text!r}")
        value, decimals = parsed
        return cls(name, written_as or name, text, value, decimals, location or Location("<memory>"))


@dataclass(frozen=True)
class Unknown:
    """A name in the answers file that names no computed quantity: reported, not graded."""

    written: str
    location: Location
    problem: Message  # what is wrong with it, with a "did you mean"

    @property
    def note(self) -> Message:
        """The problem with where it is: `line 3: unknown quantity 'dE/dw9' (did you mean …)`."""
        return Message.of("answers.at_line", line=self.location.line, problem=self.problem)


@dataclass(frozen=True)
class Answers:
    source: str
    claims: tuple[Claim, ...]  # in the order written
    unknown: tuple[Unknown, ...] = ()  # names that name nothing, each reported (the rest is still graded)


def parse_number(text: str) -> tuple[Decimal, int] | None:
    """The number as written and its decimals ('0.50' → (0.50, 2), '1e-3' → (0.001, 3)), or None."""
    text = text.strip()
    if not NUMBER_RE.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal numbers
        return None
    if not value.is_finite():  # pragma: no cover - the pattern admits only decimal numbers
        return None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    decimals = max(0, -exponent)
    if decimals > MAX_DECIMALS or len(value.as_tuple().digits) > MAX_SIGNIFICANT:
        return None
    if value.adjusted() > 12 or abs(value) > Decimal(10) ** 12:  # the exponent first: 1e999999999 overflows
        return None
    return value, decimals


# ── names ─────────────────────────────────────────────────────────────────────


def normalize(name: str) -> str:
    """A name with spaces dropped and the look-alike quote marks and ∂ signs made one."""
    name = _SPACES.sub("", name)
    return name.replace("𝜕", "∂").replace("’", "'").replace("′", "'")


class NameTable:
    """Every name a claimed value may be given under, for one scenario.

    The quantity names of the scenario's notation; derivatives as ∂A/∂B or dA/dB,
    with the loss also called E, E_total, L, Loss, C or J when that names nothing
    else; grad_w5 for a parameter's gradient; the error term as δ_o1 or delta_o1;
    an updated parameter as w5′, w5', w5_new, w5+, w5^+, w5_next or new_w5; an output activation,
    alone or in a derivative, as ŷ_o1, ŷ1, y_hat_o1, y_hat1, and on a softmax layer p_o1, p1,
    softmax_o1 or softmax_1 (∂E/∂p1, dp2/dz_o1); an entry of a layer's matrix, dW^(2)_{1,2}, δ^(2)_1,
    A^(1)_{2,3} (see `matrix_entry`). Exact spelling first; then the same ignoring case, when only one quantity
    fits; then as a matrix entry. Only the exact spellings are made up front: the others, and the list of
    suggestions, are made the first time a name is not found exactly.
    """

    exact: dict[str, str]

    def __init__(self, solution: WorkedSteps) -> None:
        self.solution = solution
        self.given = set(solution.givens)
        exact: dict[str, str] = {}
        taken = {step.name for step in solution.steps} | self.given
        # a batch: each sample's own names, as for one example
        tables = [NameTable(child) for child in solution.samples]
        self.tables = tables
        children: list[dict[str, str]] = [table.exact for table in tables]
        for step in solution.steps:
            found = solution.sample_of(step.name)
            if found is not None:
                number, own = found
                for alias in [alias for alias, name in children[number - 1].items() if name == own]:
                    for form in SAMPLE_FORMS:
                        exact.setdefault(normalize(form.format(name=alias, i=number)), step.name)
                continue
            for alias in self._aliases(step.name, step.kind, step.parameter, taken):
                exact.setdefault(normalize(alias), step.name)
        outputs = self.outputs(taken)
        for alias, name in list(exact.items()):
            for spelled in _output_spellings(alias, outputs):
                exact.setdefault(normalize(spelled), name)
        self.exact = exact

    @cached_property
    def folded(self) -> dict[str, str]:
        """Each spelling case-folded → the quantity, where only one quantity has it."""
        folded: dict[str, set[str]] = {}
        for alias, name in self.exact.items():
            folded.setdefault(alias.casefold(), set()).add(name)
        return {alias: names.pop() for alias, names in folded.items() if len(names) == 1}

    @cached_property
    def loose(self) -> dict[str, str]:
        """Each spelling without underscores, case-folded (`_loosened`) → the quantity, where only one has it."""
        loose: dict[str, set[str]] = {}
        for alias, name in self.exact.items():
            loose.setdefault(_loosened(alias), set()).add(name)
        return {alias: names.pop() for alias, names in loose.items() if len(names) == 1}

    @cached_property
    def _entries(self) -> tuple[dict[str, str], dict[str, str]]:
        return _matrix_entries(self.solution, self.exact, self.tables)

    @property
    def matrix(self) -> dict[str, str]:
        """Each matrix entry (as `matrix_entry` spells it) → the quantity it is."""
        return self._entries[0]

    @property
    def matrix_given(self) -> dict[str, str]:
        """Each matrix entry → the given (input, target, parameter) it is."""
        return self._entries[1]

    @cached_property
    def suggestions(self) -> list[str]:
        """Every spelling a "did you mean" may suggest."""
        return list(
            dict.fromkeys([*self.exact, *(normalize(name) for name in self.given), *self.matrix, *self.matrix_given])
        )

    def outputs(self, taken: set[str]) -> dict[str, list[str]]:
        """Other names of each output activation: ŷ_o1, ŷ1, y_hat_o1, y_hat1 (the prediction), and for a
        softmax layer p_o1, p1, softmax_o1, softmax_1 (the probability); k counts the outputs from 1."""
        layer = self.solution.scenario.layers[-1]
        stems = OUTPUT_STEMS + (SOFTMAX_STEMS if layer.activation in LAYER_ACTIVATIONS else ())
        notation = self.solution.scenario.notation
        spellings: dict[str, list[str]] = {}
        for k, neuron in enumerate(layer.neurons, start=1):
            forms = [form for stem in stems for form in (f"{stem}_{neuron.name}", f"{stem}{k}", f"{stem}_{k}")]
            spellings[notation.act(neuron.name)] = [form for form in dict.fromkeys(forms) if form not in taken]
        return spellings

    def _aliases(self, name: str, kind: str, parameter: str | None, taken: set[str]) -> Iterable[str]:
        solution = self.solution
        notation = solution.scenario.notation
        loss = solution.graph.loss_name
        yield name
        if kind in STATE_KINDS:  # v_w5′ (as w5′), m̂_w5 as mhat_w5 or m_hat_w5
            state = name.removesuffix("′")
            if name.endswith("′"):
                yield from (form.format(p=state) for form in UPDATED_FORMS)
            for hat, word in (("m̂", "m"), ("ŝ", "s")):
                if name.startswith(hat):
                    rest = name[len(hat) :]
                    yield from (f"{word}hat{rest}", f"{word}_hat{rest}", f"{word}^{rest}")
            return
        if kind == NEW_PARAMETER and parameter:
            for form in UPDATED_FORMS:
                yield form.format(p=parameter)
            return
        if kind == DELTA:
            step = solution.step(name)
            neuron = step.neuron or ""
            if "δ" in notation.delta:
                yield notation.delta.replace("δ", "delta").format(n=neuron)
            if solution.sign > 0:  # δ is ∂E/∂in: accept it written as a derivative too
                yield from self._derivatives(loss, notation.pre(neuron), taken)
            return
        if name.startswith("∂") and "/∂" in name:
            of, wrt = name[1:].split("/∂", 1)
            if of == loss:
                yield from self._derivatives(loss, wrt, taken)
                if kind in (GRADIENT, BATCH_GRADIENT):
                    yield f"grad_{wrt}"
            else:
                yield f"d{of}/d{wrt}"
            return
        if name == loss:
            yield from (alias for alias in LOSS_ALIASES if alias not in taken)
            if len(solution.output_neurons) == 1:
                (neuron,) = solution.output_neurons
                yield notation.term(neuron)

    def _derivatives(self, loss: str, wrt: str, taken: set[str]) -> Iterable[str]:
        losses = [loss] + [alias for alias in LOSS_ALIASES if alias != loss and alias not in taken]
        for of in losses:
            yield derivative_name(of, wrt)
            yield f"d{of}/d{wrt}"

    def resolve(self, written: str) -> str | None:
        key = normalize(written)
        if key in self.exact:
            return self.exact[key]
        if key.casefold() in self.folded:
            return self.folded[key.casefold()]
        found = self.loose.get(_loosened(key))
        if found is None:
            entry = matrix_entry(key, self._losses())
            found = self.matrix.get(entry) if entry is not None else None
        return found

    def _losses(self) -> set[str]:
        """What the loss may be called in ∂E/∂W^(2)_{1,2}, case-folded."""
        return {name.casefold() for name in (self.solution.graph.loss_name, *LOSS_ALIASES)}

    def is_given(self, written: str) -> str | None:
        """The given (input, target, parameter) that `written` names, if it names one."""
        key = normalize(written)
        for name in self.given:
            if key == normalize(name) or key.casefold() == normalize(name).casefold():
                return name
        entry = matrix_entry(key, self._losses())
        return self.matrix_given.get(entry) if entry is not None else None


# ── matrix entries: dW^(2)_{1,2}, δ^(2)_1, a^(1)_{2,3} ─────────────────────────

_MATRIX_SYMBOL = r"(?P<of>∂[A-Za-z_]+/∂|d[A-Za-z_]+/d|d)?(?P<symbol>W|w|b|B|δ|Δ|delta|Delta|a|A|z|Z)"
_MATRIX_LAYER = (
    r"(?:\^\{\((?P<l1>\d+)\)\}|\^\((?P<l2>\d+)\)|\^\{\[(?P<l3>\d+)\]\}|\^\[(?P<l4>\d+)\]|\^\{(?P<l5>\d+)\}"
    r"|\^(?P<l6>\d+)|\((?P<l7>\d+)\)|(?P<l8>\d+))"
)
_MATRIX_INDEX = (
    r"(?:_\{(?P<j1>\d+)(?:,(?P<k1>\d+))?\}|_\((?P<j2>\d+)(?:,(?P<k2>\d+))?\)|_(?P<j3>\d+)(?:,(?P<k3>\d+))?"
    r"|\[(?P<j4>\d+),(?P<k4>\d+)\]|\[(?P<j5>\d+)\])"
)
_MATRIX_ENTRY = (
    _MATRIX_SYMBOL + _MATRIX_LAYER + r"(?P<p1>')?" + _MATRIX_INDEX + r"(?P<p2>')?(?:\[(?P<sample>\d+)\])?"
)
_SYMBOLS = {"w": "W", "b": "b", "δ": "δ", "delta": "δ", "a": "a", "z": "z"}  # by the symbol case-folded (Δ: δ)


def matrix_entry(written: str, losses: set[str]) -> str | None:
    """The entry of a layer's matrix that `written` names, spelled one way, or None when it names none.

    W^(2)_{1,2}, W2[1,2], w^{[2]}_{12} → "W^(2)_{1,2}"; ∂E/∂W^(2)_12, dW2[1,2] → "dW^(2)_{1,2}";
    W^(2)'_{1,2} → "W^(2)'_{1,2}"; δ^(2)_1, delta2_1, dz^(2)_1 → "δ^(2)_{1}"; a^(1)_{2,3} → "a^(1)_{2,3}" (neuron 2,
    sample 3: samples are columns); a^(1)_2[3] → "a^(1)_{2}[3]". Rows j count the neurons of layer l, columns k
    those of layer l − 1 (the inputs for l = 1), both from 1, as the matrix form prints them.
    """
    found = _compiled(_MATRIX_ENTRY).fullmatch(written)
    if found is None:
        return None
    symbol = _SYMBOLS[found.group("symbol").casefold()]
    of = found.group("of")
    if of is not None:
        loss = of[1:-2]  # ∂E/∂ → E; d alone (dW) → nothing
        if loss and loss.casefold() not in losses:
            return None
        if symbol == "z":
            symbol = "δ"  # ∂E/∂z^(l) is δ^(l)
        elif symbol in ("W", "b"):
            symbol = "d" + symbol
        else:
            return None
    layer = int(next(group for group in (found.group(f"l{i}") for i in range(1, 9)) if group is not None))
    row = next(group for group in (found.group(f"j{i}") for i in range(1, 6)) if group is not None)
    column = next((found.group(f"k{i}") for i in range(1, 5) if found.group(f"k{i}") is not None), None)
    prime = found.group("p1") is not None or found.group("p2") is not None
    if prime and symbol not in ("W", "b"):
        return None
    if symbol in ("W", "dW") and column is None:
        if len(row) != 2:  # W_{12}: row 1, column 2 (one digit each); W_{123} is not clear
            return None
        row, column = row[0], row[1]
    sample = found.group("sample")
    if column is not None and (symbol in ("b", "db") or (sample is not None and symbol not in ("W", "dW"))):
        return None
    head = f"{symbol}^({layer})" + ("'" if prime else "")
    indices = f"{int(row)},{int(column)}" if column is not None else f"{int(row)}"
    return head + "_{" + indices + "}" + (f"[{int(sample)}]" if sample is not None else "")


def _matrix_entries(
    solution: WorkedSteps, exact: dict[str, str], children: list[NameTable]
) -> tuple[dict[str, str], dict[str, str]]:
    """Each matrix entry's name (as `matrix_entry` spells it) → the quantity it is, and → the given it is.

    W^(l)_{j,k} is the weight into neuron j of layer l from neuron k of the layer below (given), W^(l)'_{j,k} its new
    value, dW^(l)_{j,k} its gradient (the batch's, in a batch); b^(l)_j, b^(l)'_j, db^(l)_j likewise; a^(l)_j,
    z^(l)_j and δ^(l)_j = ∂E/∂z (only where δ is ∂E/∂z, not the textbook's −∂E/∂z) of neuron j. In a batch these
    are sample i's with [i] after them, and a^(l)_{j,i}, z^(l)_{j,i}, δ^(l)_{j,i} are the entries of A, Z and Δ.
    """
    scenario = solution.scenario
    notation = scenario.notation
    computed: dict[str, str] = {}
    given: dict[str, str] = {}

    def add(entry: str, alias: str) -> None:
        name = exact.get(normalize(alias))
        if name is not None:
            computed.setdefault(entry, name)

    uses: dict[str, int] = {}  # a parameter at two places: its gradient sums two entries, so no entry is it
    for neuron in (neuron for layer in scenario.layers for neuron in layer.neurons):
        for used in [*(weight for _, weight in neuron.weights), *([neuron.bias] if neuron.bias else [])]:
            uses[used] = uses.get(used, 0) + 1
    sources = [name for name, _ in scenario.inputs]
    for k, source in enumerate(sources, start=1):
        given.setdefault(f"a^(0)_{{{k}}}", source)
    added = scenario.conventions.bias == "added"  # a threshold θ is the b = −θ of the matrix form: not named so
    for number, layer in enumerate(scenario.layers, start=1):
        for j, neuron in enumerate(layer.neurons, start=1):
            weights = dict(neuron.weights)
            for k, parameter in enumerate((weights.get(source) for source in sources), start=1):
                if parameter is None:
                    continue
                given.setdefault(f"W^({number})_{{{j},{k}}}", parameter)
                add(f"W^({number})'_{{{j},{k}}}", f"{parameter}'")
                if uses[parameter] == 1:
                    add(f"dW^({number})_{{{j},{k}}}", f"grad_{parameter}")
            if neuron.bias is not None and added:
                given.setdefault(f"b^({number})_{{{j}}}", neuron.bias)
                add(f"b^({number})'_{{{j}}}", f"{neuron.bias}'")
                if uses[neuron.bias] == 1:
                    add(f"db^({number})_{{{j}}}", f"grad_{neuron.bias}")
            add(f"a^({number})_{{{j}}}", notation.act(neuron.name))
            add(f"z^({number})_{{{j}}}", notation.pre(neuron.name))
            if solution.sign > 0:
                add(f"δ^({number})_{{{j}}}", notation.dlt(neuron.name))
        sources = [neuron.name for neuron in layer.neurons]
    if not children:  # one example: A^(l) has one column
        for entry, name in list(computed.items()):
            if entry[0] in "azδ":
                computed.setdefault(entry[:-1] + ",1}", name)
    for i, child in enumerate(children, start=1):
        for entry, own in child.matrix.items():
            add(f"{entry}[{i}]", f"{own}[{i}]")
            if entry[0] in "azδ" and "," not in entry:
                add(entry[:-1] + f",{i}}}", f"{own}[{i}]")
    return computed, given


# ── a blank to fill in ────────────────────────────────────────────────────────

_PLAIN_KEY = r"(?:[^\W\d]|∂)[\w∂′/+^.\-]*(?:\[\d+\])?"  # written plain in YAML; anything else is quoted


def template(solution: WorkedSteps, command: str, lang: str, optional: Collection[str] = ()) -> str:
    """An answers file with every name in computation order and no values, a comment per section.

    `check` reads it back (a blank is not given); `command` is how the comments say to check it.
    The optional steps named in `optional` are listed too, in their place.
    """
    scenario = solution.scenario
    lines = [
        "# " + message("template.title", lang, title=scenario.title_in(lang), scenario=scenario.name),
        "# " + message("template.how", lang),
        "# " + message("template.check", lang, command=command),
    ]
    section = ""
    sample: int | None = None
    resumed = scenario.resumed
    if resumed is not None and resumed.step > 1:
        lines.append("# " + message("template.step", lang, step=resumed.step, epoch=resumed.epoch))
    for step in solution.steps:
        if step.optional and step.name not in optional:
            continue
        part = "loss" if step.kind in (LOSS_TERM, LOSS) else step.section
        if solution.batch and step.sample != sample:
            sample, section = step.sample, ""
            if sample is not None:
                lines += ["", "# " + sample_heading(solution, sample, lang, "template.sample")]
            else:
                count = len(solution.samples)
                key = f"template.batch_{solution.reduction}" if count > 1 else "template.batch_one"
                lines += ["", "# " + message(key, lang, count=count)]
                section = "batch"
        if step.section == UPDATE and solution.batch and solution.scenario.optimizer.name != "sgd":
            part = "update_state"
        if part != section and not (section == "batch" and step.section != UPDATE):
            section = part
            optimizer = solution.scenario.optimizer.name
            notation = solution.scenario.notation
            names = {"loss": notation.loss, "act": notation.act("j"), "pre": notation.pre("j")}
            lines += ["", "# " + message(f"template.{part}", lang, optimizer=optimizer, **names)]
        key = step.name if _compiled(_PLAIN_KEY).fullmatch(step.name) else _quoted(step.name)
        lines.append(f"{key}:")
    return "\n".join(lines) + "\n"


def sample_heading(solution: WorkedSteps, number: int, lang: str, key: str = "train.sample_heading") -> str:
    """Sample `number` of a batch, which sample of the file it is, and its inputs and targets."""
    scenario = solution.scenario
    notation = scenario.notation
    child = solution.samples[number - 1].scenario
    values = [*child.inputs, *((notation.tgt(name), value) for name, value in child.targets)]
    givens = ", ".join(f"{name} = {true_minus(format_number(value))}" for name, value in values)
    resumed = scenario.resumed
    index = resumed.indices[number - 1] + 1 if resumed is not None else number
    return message(key, lang, number=number, count=len(solution.samples), index=index, givens=givens)


def _quoted(name: str) -> str:
    """A YAML double-quoted key."""
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


_DERIVATIVE_MARKS = ("∂", "d")


def _output_spellings(alias: str, outputs: dict[str, list[str]]) -> Iterable[str]:
    """`alias` with an output activation in it written another way: p_o1, ∂E/∂p1, dp2/dz_o1."""
    for act, forms in outputs.items():
        if act not in alias:
            continue  # the usual case: the alias does not name this output (each test below needs it inside)
        same = alias == act
        marks = [
            (mark, alias.endswith(f"/{mark}{act}"), alias.startswith(f"{mark}{act}/")) for mark in _DERIVATIVE_MARKS
        ]
        if not same and not any(below or above for _, below, above in marks):
            continue  # it holds the output's name, but not as the output (tested once, not for each form)
        for form in forms:
            if same:
                yield form
            for mark, below, above in marks:
                if below:
                    yield alias[: -len(act)] + form
                if above:
                    yield mark + form + alias[len(mark) + len(act) :]


def _loosened(alias: str) -> str:
    """A name without its underscores, in one case: Etotal for E_total, δo2 for δ_o2 (used when unambiguous)."""
    return alias.replace("_", "").casefold()


# ── the file ──────────────────────────────────────────────────────────────────


def load_answers(path: str | os.PathLike[str], solution: WorkedSteps) -> Answers:
    """Read and check the answers file at `path` against the scenario of `solution`."""
    source = str(path)
    return load_answers_text(_read(path, source), source, solution)


def load_answers_text(text: str, source: str, solution: WorkedSteps) -> Answers:
    """Check answers given as YAML text; `source` names it in messages."""
    ctx = Context(source)
    try:
        root = parse_yaml(text, ctx)
    except RecursionError:  # pragma: no cover - the depth is capped before Python's own limit
        raise ctx.error(Message.of("answers.not_mapping", found=Message.of("found.mapping")), None) from None
    if root is None or (isinstance(root, LocatedScalar) and root.value is None):
        raise ctx.error(Message.of("answers.empty"), LocatedScalar(None, 1, 1))
    if not isinstance(root, LocatedMapping):
        raise ctx.error(Message.of("answers.not_mapping", found=describe(root)), root)
    table = NameTable(solution)
    claims: list[Claim] = []
    unknown: list[Unknown] = []
    first_seen: dict[str, LocatedScalar] = {}
    if len(root.entries) > MAX_CLAIMS:
        raise ctx.error(Message.of("answers.too_many", limit=MAX_CLAIMS), root)
    for key_node, value_node in root.entries:
        written = str(key_node.value)
        name = table.resolve(written)
        if name is None:
            unknown.append(Unknown(written, Location(source, key_node.line, key_node.column), _problem(table, written)))
            continue
        if is_absent(value_node):  # a blank left in a template: not given
            continue
        if name in first_seen:
            earlier = first_seen[name]
            message = Message.of("answers.given_twice", name=name, first=quote(str(earlier.value)), line=earlier.line)
            raise ctx.error(message, key_node, written)
        first_seen[name] = key_node
        for value_text, at in _values(ctx, value_node, written):
            parsed = parse_number(value_text)
            if parsed is None:
                raise ctx.error(Message.of("answers.not_a_number", found=describe(at)), at, written)
            value, decimals = parsed
            location = Location(source, at.line, at.column)
            claims.append(Claim(name, written, value_text.strip(), value, decimals, location))
    if unknown and not claims:  # nothing here names a quantity of the scenario: not an answers file for it
        names = [step.name for step in table.solution.steps if not step.optional]
        problems = unknown[-1].note
        for item in reversed(unknown[:-1]):
            problems = Message.of("answers.joined", first=item.note, rest=problems)
        message = Message.of("answers.only_unknown", count=len(unknown), problems=problems, names=listing(names))
        raise ScenarioError(message, unknown[0].location, unknown[0].written)
    return Answers(source, tuple(claims), tuple(unknown))


def _problem(table: NameTable, written: str) -> Message:
    """Why `written` names nothing: a given (with its updated name), or unknown (with a did-you-mean)."""
    given = table.is_given(written)
    if given is not None:
        return Message.of("answers.given_quantity", name=quote(written), updated=f"{given}'")
    hint = did_you_mean(normalize(written), table.suggestions)
    return Message.of("answers.unknown_quantity", name=quote(written), hint=hint)


def _values(ctx: Context, node: LocatedValue, written: str) -> list[tuple[str, LocatedScalar]]:
    """The value texts of one entry: one number, or a list of them."""
    items: tuple[LocatedValue, ...] = node.items if isinstance(node, LocatedSequence) else (node,)
    if isinstance(node, LocatedSequence) and not 1 <= len(items) <= MAX_VALUES_PER_NAME:
        raise ctx.error(Message.of("answers.list_size", limit=MAX_VALUES_PER_NAME), node, written)
    values = []
    for item in items:
        if not isinstance(item, LocatedScalar) or not isinstance(item.value, str):
            raise ctx.error(Message.of("answers.not_a_number", found=describe(item)), item, written)
        values.append((item.value, item))
    return values


def _read(path: str | os.PathLike[str], source: str) -> str:
    """The UTF-8 text of the answers file (at most MAX_FILE_BYTES, checked before and after reading)."""
    return decode_utf8(read_bytes(path, MAX_FILE_BYTES, _refusal(source)), source)


def _refusal(source: str) -> Callable[[FileProblem], ScenarioError]:
    """How an answers file's problems are worded: each a ScenarioError at the file, without a line."""

    def refuse(problem: FileProblem) -> ScenarioError:
        where = Location(source)
        if problem.kind == MISSING:
            return ScenarioError(Message.of("answers.no_such_file"), where)
        if problem.kind == UNREADABLE:
            return ScenarioError(Message.of("answers.cannot_read", reason=problem.reason), where)
        if problem.kind in (TOO_LARGE, GREW):
            return ScenarioError(Message.of("answers.too_large", limit=MAX_FILE_BYTES), where)
        return ScenarioError(Message.of("answers.not_a_file"), where)  # a directory, a device, a pipe

    return refuse


__all__ = [
    "Answers",
    "Claim",
    "NameTable",
    "Unknown",
    "load_answers",
    "load_answers_text",
    "matrix_entry",
    "normalize",
    "parse_number",
    "template",
]
