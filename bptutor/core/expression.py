"""Expressions a user writes, read safely into a small tree of operations.

Nothing a user writes is ever run as Python code, nor handed to `sympify`,
`parse_expr` or `lambdify` (which do run it). Each line `name = expression` is

1. checked character by character against an allow-list (letters, digits, `_`,
   spaces, `+ - * / ( ) . ,`, and the signs − × · ÷, which are read as - * * /);
2. parsed by `ast.parse(…, mode="eval")`, which only builds a syntax tree;
3. walked with an explicit allow-list of node types: numbers, names, the
   operators + − × ÷ and **, unary minus and plus, and calls of the functions in
   `FUNCTIONS` with the right number of plain arguments. Anything else (an
   attribute, a subscript, a keyword argument, a comparison, a string, …) is
   refused with the column where it starts.

Every cap is checked while reading, before any number is computed, so no input
can make the reader, or the circuit built from it, slow or large: the length of a
line and of the whole program, the number of lines, the nesting depth, the number
of operations and names, the size of a number, and the exponent of a power (a
number written out, at most `MAX_EXPONENT` in size: `2**1000000` and `9**9**9**9`
are refused, never computed). Constants are never folded: `2**3` is a gate.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Union

from bptutor.i18n import Message
from bptutor.records import dataclass

MAX_LINE_LENGTH = 300
MAX_TEXT_LENGTH = 4000
MAX_LINES = 60
MAX_NODES = 400  # operations, names and numbers in the whole program
MAX_DEPTH = 50  # nesting of operations in one line (a sum of 50 terms is 49 deep)
MAX_LITERAL = Decimal(10) ** 6
MIN_EXPONENT = -20  # a number other than 0 is at least 1e-20 in size …
MAX_DIGITS = 30  # … and has at most 30 significant digits
MAX_EXPONENT = 16
MAX_NAME_LENGTH = 32

FUNCTIONS: dict[str, int] = {  # name → number of arguments
    "exp": 1,
    "log": 1,
    "sigmoid": 1,
    "tanh": 1,
    "relu": 1,
    "abs": 1,
    "max": 2,
    "min": 2,
}
BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
SIGNS = {"−": "-", "×": "*", "·": "*", "÷": "/"}  # one character each: columns stay where they were
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ \t+-*/().,")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_STATEMENT = re.compile(r"\s*([^=]*?)\s*=(?!=)")

# what a refused piece of syntax is called in the message (catalog keys expression.syntax.*)
_REFUSED = {
    ast.Attribute: "attribute",
    ast.Subscript: "subscript",
    ast.Lambda: "lambda",
    ast.Compare: "comparison",
    ast.BoolOp: "logic",
    ast.IfExp: "condition",
    ast.Starred: "starred",
    ast.GeneratorExp: "comprehension",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.Tuple: "tuple",
    ast.List: "tuple",
    ast.Set: "tuple",
    ast.Dict: "tuple",
    ast.JoinedStr: "text",
    ast.NamedExpr: "assignment",
    ast.Await: "other",
    ast.Yield: "other",
    ast.YieldFrom: "other",
}


@dataclass(frozen=True)
class Number:
    """A number written out, kept exactly as its decimal text says."""

    text: str
    value: Decimal
    column: int  # 0-based, in the line


@dataclass(frozen=True)
class Name:
    name: str
    column: int


@dataclass(frozen=True)
class Apply:
    """An operation: add, sub, mul, div, pow, neg, or one of FUNCTIONS, applied to its arguments."""

    op: str
    args: tuple[Node, ...]
    column: int


Node = Union[Number, Name, Apply]  # noqa: UP007 (a runtime alias; the classes refer to it before 3.12's `type`)


@dataclass(frozen=True)
class Statement:
    """One line `name = expression`. `line` counts the program's lines from 0."""

    name: str
    expression: Node
    line: int
    name_column: int


@dataclass(frozen=True)
class Program:
    statements: tuple[Statement, ...]
    leaves: tuple[str, ...]  # names read but not defined, in the order they are first read

    @property
    def output(self) -> str:
        return self.statements[-1].name


class ExpressionError(Exception):
    """A line that cannot be read: the message, the line (from 0) and the column in it (from 0)."""

    def __init__(self, message: Message, line: int, column: int) -> None:
        super().__init__(str(message))
        self.message = message
        self.line = line
        self.column = column


def parse_program(lines: Sequence[str]) -> Program:
    """Read lines `name = expression` (blank lines are skipped); the last line defines the output."""
    if len(lines) > MAX_LINES:
        raise ExpressionError(Message.of("expression.too_many_lines", limit=MAX_LINES), MAX_LINES, 0)
    if sum(len(line) for line in lines) > MAX_TEXT_LENGTH:
        raise ExpressionError(Message.of("expression.too_long", limit=MAX_TEXT_LENGTH), 0, 0)
    reader = _Reader()
    statements = []
    for index, line in enumerate(lines):
        if line.strip():
            statements.append(reader.statement(line, index))
    if not statements:
        raise ExpressionError(Message.of("expression.empty"), 0, 0)
    return Program(tuple(statements), _check_names(statements))


def parse_expression(text: str, variables: Sequence[str]) -> Node:
    """One expression in the given variables only (for a custom activation or loss), e.g. `t / 10`."""
    reader = _Reader()
    node = reader.expression(text, 0, 0)
    for name, column in _names_in(node):
        if name not in variables:
            message = Message.of("expression.unknown_variable", name=name, variables=", ".join(variables))
            raise ExpressionError(message, 0, column)
    return node


# ── reading one line ──────────────────────────────────────────────────────────


class _Reader:
    """Reads lines, counting the nodes of the whole program against MAX_NODES."""

    def __init__(self) -> None:
        self.nodes = 0
        self._source = ""  # the expression being read, for the text of its numbers

    def statement(self, line: str, index: int) -> Statement:
        text = _checked_characters(line, index)
        match = _STATEMENT.match(text)
        if match is None:
            raise ExpressionError(Message.of("expression.no_assignment"), index, len(text) - len(text.lstrip()))
        name = match.group(1)
        name_column = match.start(1)
        if not _NAME.fullmatch(name):
            raise ExpressionError(Message.of("expression.bad_target", found=name), index, name_column)
        _check_name(name, index, name_column)
        if name in FUNCTIONS:
            raise ExpressionError(Message.of("expression.function_as_name", name=name), index, name_column)
        offset = match.end()
        return Statement(name, self.expression(text[offset:], index, offset), index, name_column)

    def expression(self, text: str, index: int, offset: int) -> Node:
        """The expression `text`, which starts at column `offset` of line `index`."""
        text = _checked_characters(text, index, offset)
        if not text.strip():
            raise ExpressionError(Message.of("expression.nothing"), index, offset + len(text))
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as problem:
            column = offset + len(text) - len(text.lstrip()) + max((problem.offset or 1) - 1, 0)
            raise ExpressionError(Message.of("expression.syntax"), index, min(column, offset + len(text))) from None
        except (RecursionError, MemoryError, ValueError):
            raise ExpressionError(Message.of("expression.too_deep", limit=MAX_DEPTH), index, offset) from None
        shift = offset + len(text) - len(text.lstrip())
        self._source = text.strip()
        return self._node(tree.body, index, shift, 0)

    def _node(self, node: ast.AST, index: int, shift: int, depth: int) -> Node:
        """The allow-listed tree; `shift` is where the parsed text starts in the line."""
        column = shift + getattr(node, "col_offset", 0)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(Message.of("expression.too_many_nodes", limit=MAX_NODES), index, column)
        if depth > MAX_DEPTH:
            raise ExpressionError(Message.of("expression.too_deep", limit=MAX_DEPTH), index, column)
        if isinstance(node, ast.Constant):
            written = self._source[node.col_offset : node.end_col_offset or node.col_offset]
            return _number(node.value, written, index, column)
        if isinstance(node, ast.Name):
            _check_name(node.id, index, column)
            if node.id in FUNCTIONS:
                raise ExpressionError(Message.of("expression.function_not_called", name=node.id), index, column)
            return Name(node.id, column)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self._node(node.operand, index, shift, depth + 1)
            if isinstance(node.op, ast.UAdd):
                return operand
            if isinstance(operand, Number):  # −2 is a number, not a gate
                return Number("-" + operand.text, operand.value.copy_negate(), column)
            return Apply("neg", (operand,), column)
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            op = BINARY[type(node.op)]
            left = self._node(node.left, index, shift, depth + 1)
            right = self._node(node.right, index, shift, depth + 1)
            if op == "pow":
                _check_exponent(right, index, shift + node.right.col_offset)
            return Apply(op, (left, right), column)
        if isinstance(node, ast.Call):
            return self._call(node, index, shift, depth, column)
        raise ExpressionError(_refusal(node), index, column)

    def _call(self, node: ast.Call, index: int, shift: int, depth: int, column: int) -> Apply:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(_refusal(node.func), index, shift + node.func.col_offset)
        name = node.func.id
        if name not in FUNCTIONS:
            functions = ", ".join(FUNCTIONS)
            message = Message.of("expression.unknown_function", name=name[:MAX_NAME_LENGTH], functions=functions)
            raise ExpressionError(message, index, column)
        if node.keywords:
            raise ExpressionError(Message.of("expression.keyword_argument"), index, shift + node.keywords[0].col_offset)
        arity = FUNCTIONS[name]
        if len(node.args) != arity:
            raise ExpressionError(
                Message.of("expression.arity", name=name, count=arity, given=len(node.args)), index, column
            )
        args = tuple(self._node(arg, index, shift, depth + 1) for arg in node.args)
        return Apply(name, args, column)


def _checked_characters(text: str, index: int, offset: int = 0) -> str:
    """The text with − × · ÷ read as - * * /, or an error at the first character not allowed."""
    if len(text) > MAX_LINE_LENGTH:
        raise ExpressionError(Message.of("expression.line_too_long", limit=MAX_LINE_LENGTH), index, offset)
    translated = "".join(SIGNS.get(character, character) for character in text)
    for column, character in enumerate(translated):
        if character in _ALLOWED or (character == "=" and offset == 0):
            continue
        if character == "^":
            raise ExpressionError(Message.of("expression.caret"), index, offset + column)
        if character == "=":
            raise ExpressionError(Message.of("expression.second_equals"), index, offset + column)
        shown = character if character.isprintable() else character.encode("unicode_escape").decode("ascii")
        raise ExpressionError(Message.of("expression.bad_character", character=shown), index, offset + column)
    return translated


def _check_name(name: str, index: int, column: int) -> None:
    if len(name) > MAX_NAME_LENGTH:
        raise ExpressionError(Message.of("expression.name_too_long", limit=MAX_NAME_LENGTH), index, column)
    if not _NAME.fullmatch(name):  # e.g. a leading underscore
        raise ExpressionError(Message.of("expression.bad_name", name=name), index, column)


def _number(value: object, written: str, index: int, column: int) -> Number:
    """A number written out in decimal (`2`, `0.5`, `1e-3`), exactly as written; at most MAX_LITERAL in size."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ExpressionError(Message.of("expression.not_a_number"), index, column)
    if not _NUMBER.fullmatch(written):  # 0x10, 1_000
        raise ExpressionError(Message.of("expression.bad_number", found=written[:40]), index, column)
    exact = Decimal(written)
    digits = len(exact.as_tuple().digits)
    if exact and (exact.copy_abs() > MAX_LITERAL or exact.adjusted() < MIN_EXPONENT or digits > MAX_DIGITS):
        raise ExpressionError(Message.of("expression.number_out_of_range", found=written[:40]), index, column)
    return Number(written, exact, column)


def _check_exponent(exponent: Node, index: int, column: int) -> None:
    """The exponent of a power: a number written out, at most MAX_EXPONENT in size."""
    if not isinstance(exponent, Number):
        raise ExpressionError(Message.of("expression.exponent_not_number", limit=MAX_EXPONENT), index, column)
    if exponent.value.copy_abs() > MAX_EXPONENT:
        raise ExpressionError(Message.of("expression.exponent_too_large", limit=MAX_EXPONENT), index, column)


def _refusal(node: ast.AST) -> Message:
    for kind, word in _REFUSED.items():
        if isinstance(node, kind):
            return Message.of(f"expression.syntax.{word}")
    if isinstance(node, ast.BinOp):
        return Message.of("expression.syntax.operator")
    if isinstance(node, ast.UnaryOp):
        return Message.of("expression.syntax.logic")
    return Message.of("expression.syntax.other")


# ── the program's names ───────────────────────────────────────────────────────


def _names_in(node: Node) -> list[tuple[str, int]]:
    """Every name the expression reads, with its column, left to right."""
    if isinstance(node, Name):
        return [(node.name, node.column)]
    if isinstance(node, Apply):
        return [found for arg in node.args for found in _names_in(arg)]
    return []


def _check_names(statements: Sequence[Statement]) -> tuple[str, ...]:
    """Each name defined once, before it is read; every line used on the way to the output. Returns the leaves."""
    defined_on: dict[str, int] = {}
    for statement in statements:
        if statement.name in defined_on:
            message = Message.of("expression.defined_twice", name=statement.name, line=defined_on[statement.name] + 1)
            raise ExpressionError(message, statement.line, statement.name_column)
        defined_on[statement.name] = statement.line
    leaves: list[str] = []
    defined: set[str] = set()
    read: set[str] = set()
    for statement in statements:
        for name, column in _names_in(statement.expression):
            if name in defined_on and name not in defined:
                message = Message.of("expression.used_before_defined", name=name)
                raise ExpressionError(message, statement.line, column)
            if name not in defined_on and name not in leaves:
                leaves.append(name)
            read.add(name)
        defined.add(statement.name)
    for statement in statements[:-1]:
        if statement.name not in read:
            message = Message.of("expression.unused_line", name=statement.name, output=statements[-1].name)
            raise ExpressionError(message, statement.line, statement.name_column)
    return tuple(leaves)


def to_text(node: Node) -> str:
    """The expression written back, with only the parentheses it needs: (x + y)·z."""
    return _text(node, 0)


_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}
_SIGN = {"add": " + ", "sub": " − ", "mul": "·", "div": "/", "pow": "^"}


def _text(node: Node, outer: int) -> str:
    if isinstance(node, Number):
        text = node.text.replace("-", "−")
        return f"({text})" if text.startswith("−") and outer > 0 else text
    if isinstance(node, Name):
        return node.name
    if node.op in FUNCTIONS:
        return f"{node.op}(" + ", ".join(_text(arg, 0) for arg in node.args) + ")"
    own = _PRECEDENCE[node.op]
    if node.op == "neg":
        text = "−" + _text(node.args[0], own)
    else:
        left, right = node.args
        # a − (b − c), a/(b·c): the right side needs parentheses at equal precedence; powers group to the right
        right_outer = own if node.op == "pow" else own + 1
        left_outer = own + 1 if node.op == "pow" else own
        text = _text(left, left_outer) + _SIGN[node.op] + _text(right, right_outer)
    return f"({text})" if own < outer else text


__all__ = [
    "FUNCTIONS",
    "MAX_EXPONENT",
    "Apply",
    "ExpressionError",
    "Name",
    "Node",
    "Number",
    "Program",
    "Statement",
    "parse_expression",
    "parse_program",
    "to_text",
]
