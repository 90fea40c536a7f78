"""The interactive worksheet: one offline HTML page that checks a student's numbers as `check` does.

`solve --format html --interactive` writes it. The page holds, as JSON data, everything its
judge needs, and nothing of the scenario is ever written into code:

- every step of the worked solution (`WorkedSteps`, in its order), each with the expression that
  computes it from the steps and givens it reads — a small tree of numbers, names and operations,
  made from the same table of operations (`ops`: an activation's sympy form and textbook
  derivative, a loss's term and derivative) and the same hand-rounding policy — so that the page
  can recompute a value from the student's own earlier values;
- the correct and the unrounded value of each step (at 50 digits, as `check` computes them);
- the grading constants of `bptutor.teach.grading` (rounding methods, how carried values may be
  rounded, the corner limit), read from that module, so the page and `check` share one source;
- for each step, the values the common mistakes of `bptutor.teach.diagnose` give (worked from the
  correct earlier values) with their descriptions, and the step's formula for hints;
- the page's words, from the message catalog of the chosen language.

Every scenario `solve` works has such trees: softmax outputs (the table's form, shifted by the largest z),
the Jacobian entries, the fused δ = a − y, every loss (mae's sign, rmse's root), custom functions, and a
training step on a batch (each sample's steps as its single example's, renamed out_o1 → out_o1[2]; the
batch's mean or sum; the optimizer's state).

The page's judge (sheet.js, beside this module) is fixed code: it evaluates the trees with exact
decimal arithmetic on BigInt and applies `grading`'s rules (right at the precision written, carried
forward from the student's own values, carried intermediates as intervals). Scenario text reaches
the page only as escaped HTML or as JSON data (with `<`, `>` and `&` escaped).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext
from html import escape
from importlib import resources
from typing import Any

from bptutor.core.arithmetic import PRECISION
from bptutor.core.formula import Formula, Ref, Times
from bptutor.core.graph import Activate, TotalLoss, WeightedSum
from bptutor.core.numbers import true_minus
from bptutor.core.ops import LAYER_ACTIVATIONS, activation_of, loss_of
from bptutor.core.scenario import Scenario
from bptutor.errors import ScenarioError, UsageError
from bptutor.i18n import DEFAULT_LANGUAGE, Message, catalog, language, message
from bptutor.teach import grading
from bptutor.teach.answers import template
from bptutor.teach.diagnose import hypotheses
from bptutor.teach.grading import Grader
from bptutor.teach.solution import (
    ACTIVATION,
    BATCH_GRADIENT,
    BATCH_LOSS,
    CORRECTED,
    DECAYED,
    DELTA,
    FIRST_MOMENT,
    FUSED,
    GRADIENT,
    JACOBIAN,
    LOSS,
    LOSS_TERM,
    NEW_PARAMETER,
    OUTPUT_GRADIENT,
    PRE_ACTIVATION,
    SECOND_MOMENT,
    SLOPE,
    VELOCITY,
    Step,
    WorkedSteps,
    in_sample,
)

MAX_SHEET_PARAMETERS = 400  # as `solve` refuses a worked solution: beyond this nobody works it by hand
MAX_MISTAKES = 40  # distinct mistaken values kept per step (the most common mistakes come first)
MISTAKE_DECIMALS = 30  # a mistaken value is kept to this many decimals (a student never writes more)
PARTS = ("forward", "loss", "backward", "update")  # the groups of the sheet, in the order worked
ROUNDING_KIND = {  # which kind of value the scenario's hand-rounding policy rounds each step as
    PRE_ACTIVATION: "pre_activations",
    ACTIVATION: "activations",
    LOSS_TERM: "losses",
    LOSS: "losses",
    DELTA: "deltas",
    GRADIENT: "gradients",
    NEW_PARAMETER: "parameters",
    BATCH_LOSS: "losses",
    BATCH_GRADIENT: "gradients",
    DECAYED: "gradients",
}
TEXT_KEYS = (  # the page's words, sent to it as data
    "title", "intro", "givens", "figure", "part.forward", "part.loss", "part.backward", "part.update",
    "check", "hint", "check_all", "export", "export_text", "print", "reset", "reset_confirm", "score",
    "verdict.right", "verdict.carried", "verdict.wrong", "verdict.empty", "verdict.unreadable",
    "carried_from", "mistake", "correction", "hint.symbols", "hint.numbers", "hint.answer", "storage_off",
    "exported", "given.inputs", "given.targets", "given.parameters", "given.rate", "keyboard",
)  # fmt: skip

Tree = list[Any]


class Unsupported(Exception):
    """A formula the page's judge has no operation for."""


# ── the expression of each step ───────────────────────────────────────────────


def _number(value: Decimal | float | int) -> Tree:
    if isinstance(value, float):
        value = Decimal(repr(value))
    return ["n", format(Decimal(value), "f")]


def _from_sympy(expression: Any, names: dict[Any, Tree]) -> Tree:
    """A sympy expression as a tree of the page's operations; its symbols replaced by `names`."""
    import sympy

    if expression in names:
        return names[expression]
    if expression is sympy.true:
        return ["true"]
    if expression.is_Integer:
        return ["n", str(int(expression))]
    if expression.is_Rational:
        return ["/", ["n", str(expression.p)], ["n", str(expression.q)]]
    if expression.is_Float:
        return _number(Decimal(str(expression)))
    if isinstance(expression, sympy.Piecewise):
        pieces = [tuple(pair.args) for pair in expression.args]
        return ["pw", *[[_from_sympy(piece, names), _from_sympy(condition, names)] for piece, condition in pieces]]
    arguments = [_from_sympy(argument, names) for argument in expression.args]
    if isinstance(expression, sympy.Add):
        return ["+", *arguments]
    if isinstance(expression, sympy.Mul):
        return ["*", *arguments]
    if isinstance(expression, sympy.Pow):
        exponent = expression.args[1]
        if exponent.is_Integer:
            return ["^", arguments[0], int(exponent)]
        if exponent.is_Rational and exponent.q == 2:  # x^(p/2) = (√x)^p
            return ["^", ["sqrt", arguments[0]], int(exponent.p)]
        raise Unsupported(str(expression))
    functions = {
        sympy.exp: "exp",
        sympy.log: "log",
        sympy.tanh: "tanh",
        sympy.Abs: "abs",
        sympy.sign: "sign",
        sympy.Max: "max",
        sympy.Min: "min",
        sympy.StrictGreaterThan: "gt",
        sympy.GreaterThan: "ge",
        sympy.StrictLessThan: "lt",
        sympy.LessThan: "le",
        sympy.Eq: "eq",
    }
    for kind, operation in functions.items():
        if isinstance(expression, kind):
            return [operation, *arguments]
    raise Unsupported(str(expression))


def _ref(name: str) -> Tree:
    return ["r", name]


def _product(*factors: Tree) -> Tree:
    return ["*", *factors]


def _signed(sign: int, tree: Tree) -> Tree:
    return tree if sign > 0 else ["*", ["n", "-1"], tree]


def _renamed(tree: Tree, rename: Callable[[str], str]) -> Tree:
    """The tree with each name it reads renamed."""
    if tree[0] == "r":
        return ["r", rename(tree[1])]
    return [_renamed(part, rename) if isinstance(part, list) else part for part in tree]  # pw: pairs of trees


def _constant(solution: WorkedSteps, value: float | Decimal) -> Tree:
    """A constant of the optimizer (β, λ, ε, …) as the worked solution takes it."""
    return _number(solution.arithmetic.number(value))


def _batch_expression(solution: WorkedSteps, step: Step) -> Tree | None:
    """A step of a training step on a batch: a sample's (as that sample's single example, its names
    renamed out_o1 → out_o1[2]), the batch's loss and gradient, or the optimizer's; None for any other."""
    found = solution.sample_of(step.name)
    if found is not None:
        number, own = found
        child = solution.samples[number - 1]
        shared = {name for name, _ in solution.scenario.parameters}
        own_tree = step_expression(child, child.step(own))
        return _renamed(own_tree, lambda name: name if name in shared else in_sample(name, number))
    optimizer = solution.scenario.optimizer
    refs = [_ref(name) for name in step.inputs]
    kind = step.kind
    if kind in (BATCH_LOSS, BATCH_GRADIENT):
        tree: Tree = ["+", *refs]
        if solution.reduction == "mean" and len(refs) > 1:
            tree = ["/", tree, ["n", str(len(refs))]]
    elif kind == DECAYED:  # g = ∂E/∂p + λ·p
        tree = ["+", refs[0], ["*", _constant(solution, optimizer.weight_decay), refs[1]]]
    elif kind == VELOCITY:  # v′ = β·v + g
        tree = ["+", ["*", _constant(solution, optimizer.beta), refs[0]], refs[1]]
    elif kind in (FIRST_MOMENT, SECOND_MOMENT):  # m′ = β1·m + (1 − β1)·g, s′ = β2·s + (1 − β2)·g²
        first = kind == FIRST_MOMENT
        beta = solution.arithmetic.number(optimizer.beta1 if first else optimizer.beta2)
        with localcontext(prec=PRECISION):
            rest = 1 - Decimal(beta)
        gradient = refs[1] if first else ["^", refs[1], 2]
        tree = ["+", ["*", _number(beta), refs[0]], ["*", _number(rest), gradient]]
    elif kind == CORRECTED:  # m̂ = m′/(1 − β1^t), ŝ = s′/(1 − β2^t)
        beta = solution.arithmetic.number(optimizer.beta1 if step.name.startswith("m̂") else optimizer.beta2)
        with localcontext(prec=PRECISION):
            denominator = 1 - Decimal(beta) ** solution.step_number
        tree = ["/", refs[0], _number(denominator)]
    elif kind == NEW_PARAMETER and len(step.inputs) == 3:  # adam: p′ = p − η·m̂/(√ŝ + ε)
        rate = _number(solution.rates[step.inputs[0]])
        change = ["/", refs[1], ["+", ["sqrt", refs[2]], _constant(solution, optimizer.epsilon)]]
        tree = ["+", refs[0], ["*", ["n", "-1"], rate, change]]
    else:
        return None
    category = ROUNDING_KIND.get(kind)
    rounding = solution.scenario.rounding
    decimals = None if rounding is None or category is None else rounding.decimals(category)
    return tree if decimals is None else ["round", tree, decimals]


def step_expression(solution: WorkedSteps, step: Step) -> Tree:
    """How the page computes `step` from what it reads, as `WorkedSteps` computes it (without a slip)."""
    import sympy

    if solution.batch:
        batch = _batch_expression(solution, step)
        if batch is not None:
            return batch
    graph, scenario, arithmetic = solution.graph, solution.scenario, solution.arithmetic
    kind = step.kind
    if kind == PRE_ACTIVATION:
        equation = graph.definition(step.name)
        assert isinstance(equation, WeightedSum)
        tree: Tree = ["+", *[_product(_ref(weight), _ref(source)) for weight, source in equation.terms]]
        if equation.bias is not None:
            tree.append(_signed(-1 if equation.threshold else 1, _ref(equation.bias)))
    elif kind == ACTIVATION and _layer_wide(solution, step):
        tree = _layer_activation(solution, step)
    elif kind == ACTIVATION:
        equation = graph.definition(step.name)
        assert isinstance(equation, Activate)
        z, alpha = sympy.Symbol("z"), sympy.Symbol("alpha")
        slope = _number(arithmetic.number(equation.slope))
        op = activation_of(equation.activation)
        tree = _from_sympy(op.sympy_forward(z, alpha), {z: _ref(equation.argument), alpha: slope})
    elif kind == LOSS_TERM or (kind == LOSS and len(solution.output_neurons) == 1 and not loss_of(scenario.loss).root):
        t, o = sympy.Symbol("t"), sympy.Symbol("o")
        target, out = step.inputs
        tree = _from_sympy(loss_of(scenario.loss).sympy_term(t, o), {t: _ref(target), o: _ref(out)})
    elif kind == LOSS:
        tree = ["+", *[_ref(name) for name in step.inputs]]
        if loss_of(scenario.loss).mean:
            tree = ["/", tree, ["n", str(len(step.inputs))]]
        if loss_of(scenario.loss).root:
            tree = ["sqrt", tree]
    elif kind == OUTPUT_GRADIENT and step.neuron in solution.output_neurons:
        t, o = sympy.Symbol("t"), sympy.Symbol("o")
        loss = loss_of(scenario.loss)
        tree = _from_sympy(loss.sympy_derivative(t, o, 1), {t: _ref(step.inputs[0]), o: _ref(step.inputs[1])})
        equation = graph.definition(graph.loss_name)
        assert isinstance(equation, TotalLoss)
        if loss.mean:
            tree = ["/", tree, ["n", str(len(equation.terms))]]
        if loss.root:  # E = √(mean): ∂E/∂out = ∂mean/∂out/(2E), 0 where E = 0
            whole = _ref(step.inputs[2])
            tree = ["pw", [["n", "0"], ["eq", whole, ["n", "0"]]], [["/", tree, ["*", ["n", "2"], whole]], ["true"]]]
    elif kind == JACOBIAN:  # ∂a_i/∂z_j from the layer's table entry: a_i·(δ_ij − a_j)
        layer_op = LAYER_ACTIVATIONS[str(scenario.layers[-1].activation)]
        a_i, a_j = sympy.Symbol("a_i"), sympy.Symbol("a_j")
        if len(step.inputs) == 1:
            entry = layer_op.sympy_textbook_jacobian([a_i], 0, 0)
        else:
            entry = layer_op.sympy_textbook_jacobian([a_i, a_j], 0, 1)
        names = {a_i: _ref(step.inputs[0]), a_j: _ref(step.inputs[-1])}
        tree = _from_sympy(sympy.sympify(entry), names)
    elif kind == DELTA and step.rule == FUSED:  # the loss cancels f′: δ = out − target (over n for a mean)
        out, target = step.inputs
        tree = _signed(solution.sign, ["+", _ref(out), ["*", ["n", "-1"], _ref(target)]])
        count = len(solution.output_neurons)
        if loss_of(scenario.loss).mean and count > 1:
            tree = ["/", tree, ["n", str(count)]]
    elif kind == DELTA and step.rule:  # through the Jacobian: Σ_i ∂E/∂a_i·∂a_i/∂z_j
        pairs = zip(step.inputs[::2], step.inputs[1::2], strict=True)
        tree = _signed(solution.sign, ["+", *[_product(_ref(upstream), _ref(entry)) for upstream, entry in pairs]])
    elif kind == OUTPUT_GRADIENT:
        pairs = zip(step.inputs[::2], step.inputs[1::2], strict=True)
        tree = ["+", *[_signed(solution.sign, _product(_ref(delta), _ref(weight))) for delta, weight in pairs]]
    elif kind == SLOPE:
        pre, act = step.inputs
        equation = graph.definition(act)
        assert isinstance(equation, Activate)
        z, a, alpha = sympy.Symbol("z"), sympy.Symbol("a"), sympy.Symbol("alpha")
        op = activation_of(equation.activation)
        names = {z: _ref(pre), a: _ref(act), alpha: _number(arithmetic.number(equation.slope))}
        tree = _from_sympy(sympy.sympify(op.sympy_textbook_derivative(z, a, alpha)), names)
    elif kind == DELTA:
        tree = _signed(solution.sign, _product(*[_ref(name) for name in step.inputs]))
    elif kind == GRADIENT:
        threshold = scenario.conventions.bias == "threshold"
        terms: list[Tree] = []
        for delta, source in zip(step.inputs[::2], step.inputs[1::2], strict=True):
            signed = _signed(solution.sign, _ref(delta))
            terms.append(_product(signed, _ref(source)) if source else _signed(-1 if threshold else 1, signed))
        tree = ["+", *terms]
    elif kind == NEW_PARAMETER:
        if len(step.inputs) == 1:
            return _ref(step.inputs[0])
        rate = _number(solution.rates[step.inputs[0]])
        tree = ["+", _ref(step.inputs[0]), ["*", ["n", "-1"], rate, _ref(step.inputs[1])]]
    else:
        raise Unsupported(kind)
    category = ROUNDING_KIND.get(kind)
    decimals = None if scenario.rounding is None or category is None else scenario.rounding.decimals(category)
    return tree if decimals is None else ["round", tree, decimals]


def _layer_wide(solution: WorkedSteps, step: Step) -> bool:
    """Whether an activation step is one output of a layer-wide activation (softmax)."""
    equation = solution.graph.definition(step.name)
    return isinstance(equation, Activate) and bool(equation.group)


def _layer_activation(solution: WorkedSteps, step: Step) -> Tree:
    """a_i of a layer-wide activation (softmax) from the table's form, each z_j shifted by the largest z,
    as `ops.softmax` works it: the same value, and no e^z overflows."""
    import sympy

    equation = solution.graph.definition(step.name)
    assert isinstance(equation, Activate) and isinstance(equation.activation, str)
    layer_op = LAYER_ACTIVATIONS[equation.activation]
    zs = [sympy.Symbol(f"z{index}") for index in range(len(equation.group))]
    top: Tree = ["max", *[_ref(name) for name in equation.group]]
    names = {z: ["+", _ref(name), ["*", ["n", "-1"], top]] for z, name in zip(zs, equation.group, strict=True)}
    return _from_sympy(layer_op.sympy_forward(zs, equation.group.index(equation.argument)), names)


def step_part(step: Step) -> str:
    """The group of the sheet a step is in: forward, loss, backward or update."""
    return "loss" if step.kind in (LOSS_TERM, LOSS) else step.section


# ── what the page knows of each step ──────────────────────────────────────────


def _plain(value: Decimal) -> str:
    return format(value, "f")


def _formula(formula: Formula) -> list[Any]:
    """A formula as the page shows it: text, a product sign (null), or [name, value] of a reference."""
    tokens: list[Any] = []
    for token in formula:
        if isinstance(token, Ref):
            value = token.value if isinstance(token.value, Decimal) else Decimal(repr(token.value))
            tokens.append([token.name, _plain(value)])
        elif isinstance(token, Times):
            tokens.append(None)
        else:
            tokens.append(token)
    return tokens


def _ancestors(solution: WorkedSteps, name: str) -> tuple[str, ...]:
    """The step and every step it is computed from, in the solution's order."""
    found: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current in found or not solution.has(current):
            continue
        found.add(current)
        stack.extend(solution.step(current).inputs)
    return tuple(step.name for step in solution.steps if step.name in found)


def asked(solution: WorkedSteps, jacobian: bool = False) -> tuple[Step, ...]:
    """The steps the sheet asks, in order: every step `check` lists, and with `jacobian` (as `solve --jacobian`)
    the factors of a fused output δ too — each ∂E/∂a, and each softmax Jacobian entry or ∂a/∂z."""
    fused = {step.neuron for step in solution.steps if step.kind == DELTA and step.rule == FUSED}

    def wanted(step: Step) -> bool:
        if not step.optional:
            return True
        return jacobian and step.neuron in fused and step.kind in (OUTPUT_GRADIENT, JACOBIAN, SLOPE)

    return tuple(step for step in solution.steps if wanted(step))


def mistakes(
    solution: WorkedSteps, lang: str, steps: tuple[Step, ...] | None = None
) -> tuple[list[str], dict[str, list[list[Any]]]]:
    """The common mistakes' values of every step (or of `steps`), worked from the correct earlier values.

    (descriptions, step → [[value, index of its description], …]); each hypothesis of
    `bptutor.teach.diagnose` is worked once for all the steps it changes.
    """
    grader = Grader(solution.scenario, [])
    worked: dict[tuple[Scenario, Any], dict[str, Decimal] | None] = {}
    descriptions: dict[str, int] = {}
    found: dict[str, list[list[Any]]] = {}
    for step in asked(solution) if steps is None else steps:
        correct = grader.correct[step.name]
        seen: set[Decimal] = set()
        kept: list[list[Any]] = []
        for hypothesis in hypotheses(grader, step.name, _ancestors(solution, step.name)):
            if len(kept) >= MAX_MISTAKES:
                break
            values = _hypothesis_values(solution, hypothesis.scenario, hypothesis.slip, worked)
            if values is None or step.name not in values:
                continue
            with localcontext(prec=PRECISION):
                value = values[step.name].quantize(Decimal(1).scaleb(-MISTAKE_DECIMALS))
                same = value == correct.quantize(Decimal(1).scaleb(-MISTAKE_DECIMALS))
            if same or value in seen:
                continue
            seen.add(value)
            text = hypothesis.message.render(lang)
            index = descriptions.setdefault(text, len(descriptions))
            kept.append([_plain(value), index])
        found[step.name] = kept
    return list(descriptions), found


def _hypothesis_values(
    solution: WorkedSteps, scenario: Scenario, slip: Any, worked: dict[tuple[Scenario, Any], dict[str, Decimal] | None]
) -> dict[str, Decimal] | None:
    key = (scenario, slip)
    if key not in worked:
        try:
            mistaken = solution.with_slip(slip) if scenario is solution.scenario else WorkedSteps(scenario, slip)
            with localcontext(prec=PRECISION):
                worked[key] = mistaken.values()
        except (ScenarioError, ArithmeticError, KeyError):  # a mistake the graph refuses is no candidate
            worked[key] = None
    return worked[key]


def sheet_data(scenario: Scenario, lang: str = DEFAULT_LANGUAGE, jacobian: bool = False) -> dict[str, Any]:
    """Everything the page needs, as JSON-ready data. UsageError for a network too large to work by hand.

    `jacobian`: a fused output δ (cross-entropy on softmax, bce on sigmoid) is asked with its factors first."""
    count = len(scenario.parameters)
    if count > MAX_SHEET_PARAMETERS:
        raise UsageError(Message.of("solve.too_large", count=count, most=MAX_SHEET_PARAMETERS))
    solution = WorkedSteps(scenario)
    grader = Grader(scenario, [])
    chosen = asked(solution, jacobian)
    descriptions, mistaken = mistakes(solution, lang, chosen)
    steps = []
    for step in chosen:
        try:
            expression = step_expression(solution, step)
        except Unsupported as error:
            raise UsageError(Message.of("sheet.unsupported", step=step.name, what=str(error))) from None
        working = solution.working(step.name)
        steps.append(
            {
                "name": step.name,
                "part": step_part(step),
                "kind": step.kind,
                "neuron": step.neuron,
                "parameter": step.parameter,
                "inputs": [name for name in step.inputs if name],
                "expr": expression,
                "correct": _plain(grader.correct[step.name]),
                "exact": _plain(grader.exact[step.name]),
                "formula": _formula(working.formula),
                "mistakes": mistaken[step.name],
            }
        )
    notation = scenario.notation
    later = f" --step {solution.step_number}" if solution.step_number > 1 else ""
    command = f"bptutor check {scenario.name}{later} ANSWERS.yaml"
    templates = catalog(lang)
    text = {key: templates[f"sheet.{key}"] for key in TEXT_KEYS}  # with their {placeholders}: the page fills them
    return {
        "scenario": scenario.name,
        "key": scenario_key(scenario),
        "lang": language(lang).tag,
        "method": grading.Judge(scenario.rounding.method if scenario.rounding else "half_up").method,
        "carry": [_ROUNDING_NAMES[method] for method in grading.CARRY_METHODS],
        "maxCarry": grading.MAX_CARRY_DECIMALS,
        "maxCorners": grading.MAX_CORNERS,
        "verdicts": {
            grading.RIGHT: "right",
            grading.CONSISTENT: "carried",
            grading.WRONG: "wrong",
            grading.MISSING: "empty",
        },
        "givens": {name: _plain(value) for name, value in solution.givens.items()},
        "inputs": [name for name, _ in scenario.inputs],
        "targets": [notation.tgt(name) for name, _ in scenario.targets],
        "parameters": [name for name, _ in scenario.parameters],
        "rates": sorted({_plain(rate) for rate in solution.rates.values()}),
        "steps": steps,
        "mistakes": descriptions,
        "template": template(solution, command, lang, [step.name for step in chosen if step.optional]),
        "text": text,
    }


_ROUNDING_NAMES = {"ROUND_HALF_UP": "half_up", "ROUND_HALF_EVEN": "half_even", "ROUND_DOWN": "down"}


def scenario_key(scenario: Scenario) -> str:
    """A short hash of the scenario (its name, givens and structure): where the page keeps its progress."""
    parts: tuple[object, ...] = (
        scenario.name, scenario.inputs, scenario.targets, scenario.loss, scenario.layers, scenario.parameters
    )
    if not scenario.is_single_example:  # a training step: its samples, its optimizer, the step taken up
        parts += (scenario.samples, scenario.optimizer, scenario.training, scenario.resumed)
    described = repr(parts)
    return hashlib.sha256(described.encode("utf-8")).hexdigest()[:16]


# ── the page ──────────────────────────────────────────────────────────────────


def _asset(name: str) -> str:
    return resources.files("bptutor.handout").joinpath(name).read_text(encoding="utf-8")


_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def json_for_html(data: object) -> str:
    """JSON that may stand inside <script type="application/json">: no <, >, & or line separators as such."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _JSON_ESCAPES:
        text = text.replace(character, escaped)
    return text


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _shown(value: Decimal) -> str:
    """A given as the page shows it: a true minus sign (U+2212), as the handouts and the terminal write it."""
    return true_minus(_plain(value))


def _givens_table(scenario: Scenario, solution: WorkedSteps, lang: str) -> str:
    notation = scenario.notation
    inputs = [name for name, _ in scenario.inputs]
    targets = [notation.tgt(name) for name, _ in scenario.targets]
    rows: list[tuple[str, list[str]]] = []
    if solution.batch:  # each sample's inputs and targets, named as its steps read them (x1[2])
        for number in range(1, len(solution.samples) + 1):
            names = [in_sample(name, number) for name in (*inputs, *targets)]
            rows.append((message("sheet.given.sample", lang, number=number), names))
    else:
        rows += [(message("sheet.given.inputs", lang), inputs), (message("sheet.given.targets", lang), targets)]
    rows.append((message("sheet.given.parameters", lang), [name for name, _ in scenario.parameters]))
    shown = {name for _, names in rows for name in names}
    state = [name for name in solution.givens if name not in shown and name not in inputs and name not in targets]
    if state:  # the optimizer's state before the step: v_w5, m_w5, s_w5
        rows.append((message("sheet.given.state", lang, optimizer=scenario.optimizer.name), state))
    out = ['<table class="givens">']
    for heading, names in rows:
        pairs = [f"{escape(name)} = {escape(_shown(solution.givens[name]))}" for name in names]
        cells = ", ".join(f'<span class="pair">{pair}</span>' for pair in pairs)  # a pair never breaks
        out.append(f'<tr><th scope="row">{escape(heading)}</th><td>{cells}</td></tr>')
    by_rate: dict[str, list[str]] = {}
    for name, rate in solution.rates.items():
        by_rate.setdefault(_plain(rate), []).append(name)
    if len(by_rate) == 1:
        rates = escape(next(iter(by_rate)))
    else:  # one rate per layer (or parameter): each with the parameters it is for
        rates = "; ".join(f"{escape(rate)} ({escape(', '.join(names))})" for rate, names in by_rate.items())
    out.append(f'<tr><th scope="row">{escape(message("sheet.given.rate", lang))}</th><td>η = {rates}</td></tr>')
    out.append("</table>")
    return "\n".join(out)


def _groups(data: dict[str, Any], lang: str, batch: bool) -> list[tuple[list[str], str, list[int]]]:
    """The sheet's groups of questions: (titles above, legend, step indices). One example: forward, loss, backward,
    update. A training step on a batch: as the answers file has them — each sample's forward, loss and backward
    under the sample's heading, then the batch, then the update (headings from the file's comments)."""
    if not batch:
        found: list[tuple[list[str], str, list[int]]] = []
        for part in PARTS:
            members = [index for index, step in enumerate(data["steps"]) if step["part"] == part]
            if members:
                found.append(([], message(f"sheet.part.{part}", lang), members))
        return found
    groups: list[tuple[list[str], str, list[int]]] = []
    pending: list[str] = []
    index = 0
    for line in data["template"].splitlines()[3:]:  # after the title and the two lines on how to write and check
        if line.startswith("# "):
            pending.append(line[2:])
        elif line.endswith(":"):
            if pending or not groups:
                groups.append((pending[:-1], pending[-1] if pending else "", []))
                pending = []
            groups[-1][2].append(index)
            index += 1
    return groups


def _questions(data: dict[str, Any], lang: str, batch: bool = False) -> Iterator[str]:
    check, hint = escape(message("sheet.check", lang)), escape(message("sheet.hint", lang))
    for number, (titles, legend, indices) in enumerate(_groups(data, lang, batch)):
        for title in titles:
            yield f'<h2 class="group">{escape(title)}</h2>'
        part = data["steps"][indices[0]]["part"] if not batch else str(number)
        yield f'<fieldset class="part" id="part-{part}"><legend>{escape(legend)}</legend>'
        for index, step in ((index, data["steps"][index]) for index in indices):
            name = escape(step["name"])
            yield (
                f'<div class="q" id="q{index}" data-step="{index}">'
                f'<label for="a{index}">{name}</label>'
                f'<input id="a{index}" type="text" inputmode="decimal" autocomplete="off" spellcheck="false"'
                f' data-quantity="{name}" aria-describedby="v{index}">'
                f'<button type="button" class="judge" data-step="{index}">{check}</button>'
                f'<button type="button" class="hint" data-step="{index}">{hint}</button>'
                f'<p class="verdict" id="v{index}" aria-live="polite"></p>'
                f'<p class="hints" id="h{index}"></p>'
                "</div>"
            )
        yield "</fieldset>"


def sheet_html(scenario: Scenario, lang: str = DEFAULT_LANGUAGE, jacobian: bool = False) -> str:
    """The worksheet as one self-contained page (CSS, script, figure and data inline; nothing fetched).

    `jacobian`: as `solve --jacobian`, a fused output δ is asked with its factors (see `asked`)."""
    from bptutor.handout.figure import network_svg

    data = sheet_data(scenario, lang, jacobian)
    solution = WorkedSteps(scenario)
    css, script = _asset("sheet.css"), _asset("sheet.js")
    policy = (
        f"default-src 'none'; script-src '{_digest(script)}'; style-src '{_digest(css)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    title = scenario.title_in(lang)
    words: Callable[[str], str] = lambda key: escape(message(f"sheet.{key}", lang))  # noqa: E731
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{language(lang).tag}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="bptutor">',
        f"<title>{escape(message('sheet.title', lang))}: {escape(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="intro">{words("intro")}</p>',
        f'<p class="keyboard">{words("keyboard")}</p>',
        f'<figure class="net" aria-label="{words("figure")}">',
        network_svg(scenario, lang, tagged=True).rstrip("\n"),
        "</figure>",
        f'<section class="given" aria-labelledby="givens-h"><h2 id="givens-h">{words("givens")}</h2>',
        _givens_table(scenario, solution, lang),
        "</section>",
        '<div class="bar" role="toolbar">',
        '<p class="score" id="score" aria-live="polite"></p>',
        f'<button type="button" id="check-all">{words("check_all")}</button>',
        f'<button type="button" id="export">{words("export")}</button>',
        f'<button type="button" id="print">{words("print")}</button>',
        f'<button type="button" id="reset">{words("reset")}</button>',
        "</div>",
        f'<p class="note" id="storage" hidden>{words("storage_off")}</p>',
        *_questions(data, lang, solution.batch),
        f'<details class="handin" id="handin"><summary>{words("export_text")}</summary>'
        f'<label for="yaml" class="visually-hidden">{words("export_text")}</label>'
        '<textarea id="yaml" readonly rows="12"></textarea></details>',
        "</main>",
        f'<script type="application/json" id="sheet-data">{json_for_html(data)}</script>',
        f"<script>{script}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


__all__ = [
    "MAX_SHEET_PARAMETERS",
    "asked",
    "json_for_html",
    "mistakes",
    "scenario_key",
    "sheet_data",
    "sheet_html",
    "step_expression",
    "step_part",
]
