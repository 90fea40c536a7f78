"""Read a custom activation or loss of a layered scenario (see `bptutor.core.custom`).

    activation: {expression: "t / 10", variable: t}              # variable: z when not given
    loss: {expression: "(t - o)**2 / 2", target: t, output: o}   # target t, output o when not given; mean: false

The expression is read by the one safe expression reader (`bptutor.core.expression`)
in the named variables only; a problem is reported at its line and column in the
file, with the field path (`layers[0].activation.expression`).
"""

from __future__ import annotations

from bptutor.core.custom import CustomActivation, CustomLoss
from bptutor.core.expression import (
    FUNCTIONS,
    MAX_NAME_LENGTH,
    ExpressionError,
    Node,
    parse_expression,
)
from bptutor.errors import Location, ScenarioError
from bptutor.i18n import Message
from bptutor.loading.fields import check_keys
from bptutor.loading.yamltree import (
    Context,
    LocatedMapping,
    LocatedValue,
    describe,
    find_lines,
    is_absent,
    text_of,
    word_of,
)

ACTIVATION_KEYS = ("expression", "variable")
LOSS_KEYS = ("expression", "target", "output", "mean")
REQUIRED = ("expression",)


def custom_activation(ctx: Context, mapping: LocatedMapping, path: str) -> CustomActivation:
    """`{expression: TEXT, variable: NAME}`: a = f(NAME)."""
    check_keys(ctx, mapping, path, ACTIVATION_KEYS, REQUIRED)
    variable = _variable(ctx, mapping.get("variable"), f"{path}.variable", "z")
    expression, location = _expression(ctx, mapping.get("expression"), f"{path}.expression", (variable,))
    return CustomActivation(expression, variable, location, f"{path}.expression")


def custom_loss(ctx: Context, mapping: LocatedMapping, path: str) -> CustomLoss:
    """`{expression: TEXT, target: NAME, output: NAME, mean: BOOL}`: E = Σ TEXT over the outputs (or the mean)."""
    check_keys(ctx, mapping, path, LOSS_KEYS, REQUIRED)
    target = _variable(ctx, mapping.get("target"), f"{path}.target", "t")
    output = _variable(ctx, mapping.get("output"), f"{path}.output", "o")
    if target == output:
        node = mapping.get("output") or mapping.get("target") or mapping
        raise ctx.error(Message.of("custom.same_variable", name=target), node, f"{path}.output")
    mean = False
    mean_node = mapping.get("mean")
    if not is_absent(mean_node):
        word = word_of(mean_node)
        if word not in ("true", "false"):
            found = describe(mean_node)
            expected = Message.of("scenario.expected", what=Message.of("what.true_or_false"), found=found)
            raise ctx.error(expected, mean_node, f"{path}.mean")
        mean = word == "true"
    expression, location = _expression(ctx, mapping.get("expression"), f"{path}.expression", (target, output))
    return CustomLoss(expression, target, output, mean, location, f"{path}.expression")


def _variable(ctx: Context, node: LocatedValue | None, path: str, default: str) -> str:
    """A variable's name: a letter, then letters, digits or _; not a function's name."""
    if is_absent(node):
        return default
    name = text_of(node)
    if name is None or not name.isascii() or len(name) > MAX_NAME_LENGTH or not _is_name(name) or name in FUNCTIONS:
        raise ctx.error(Message.of("custom.bad_variable", found=describe(node)), node, path)
    return name


def _is_name(text: str) -> bool:
    return text[:1].isalpha() and all(character.isalnum() or character == "_" for character in text)


def _expression(
    ctx: Context, node: LocatedValue | None, path: str, variables: tuple[str, ...]
) -> tuple[Node, Location]:
    """The parsed expression, and where its text starts in the file."""
    text = text_of(node)
    if node is None or text is None or "\n" in text.strip():
        raise ctx.error(Message.of("custom.expected_expression", found=describe(node)), node, path)
    ((line, column),) = find_lines(ctx.text, [text], node) if ctx.text and node.line is not None else [(None, None)]
    start = Location(ctx.source, line, column)
    try:
        return parse_expression(text, variables), start
    except ExpressionError as problem:
        if line is not None and column is not None:
            where = Location(ctx.source, line, column + problem.column)
        else:
            where = Location(ctx.source, node.line, node.column)
        raise ScenarioError(problem.message, where, path) from None


__all__ = ["custom_activation", "custom_loss"]
