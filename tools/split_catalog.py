"""One-off: split the two-language CATALOG of bptutor/i18n/__init__.py into one file per language.

Reads the `_both(en, zh)` entries with ast and tokenize (nothing is executed),
keeps the section comments, the blank lines and the order, and writes
bptutor/i18n/en.py and bptutor/i18n/zh.py. A literal too wide for a
120-column line (ruff counts a wide character as two) is cut at a space or
between wide characters into implicitly concatenated pieces; the value stays
the same, which `check` verifies against the original table.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
import unicodedata
from pathlib import Path

WIDTH = 120
INDENT = "    "

HEADERS = {
    "en": '''"""English: every message bptutor prints, and the properties of English text.

`MESSAGES` maps each key to its template, with `{field}` placeholders;
`LANGUAGE`, at the end, adds what the renderers need to know about the language.
Every language file defines the same keys, placeholders and properties: a
language is this one file (see the package's docstring and tests/test_i18n.py).
"""
''',
    "zh": '''"""Chinese: every message bptutor prints, and the properties of Chinese text.

`MESSAGES` maps each key to its template, with `{field}` placeholders;
`LANGUAGE`, at the end, adds what the renderers need to know about the language.

The Chinese follows the words Chinese courses use: 正向传播, 反向传播, 链式法则,
损失函数, 误差项 δ, 学习率 η, 梯度, 权重, 偏置, 参数更新, 隐含层, 输出层.
Names (in_h1, w5, E_total), symbols and numbers are never translated.
"""
''',
}

PROPERTIES = {
    "en": """LANGUAGE = Language(
    tag="en",
    latex_class="\\\\documentclass[11pt]{article}",
    latex_engine="pdflatex or xelatex.",
    thousands_separator=",",
    messages=MESSAGES,
)
""",
    "zh": """LANGUAGE = Language(
    tag="zh-Hans",
    latex_class="\\\\documentclass[11pt,UTF8]{ctexart}",
    latex_engine="xelatex (the ctex package sets the Chinese fonts).",
    thousands_separator="",
    messages=MESSAGES,
)
""",
}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)


def literal(value: str) -> str:
    """A double-quoted Python literal of `value`."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    assert all(char.isprintable() for char in escaped), value
    return f'"{escaped}"'


def cut(value: str, room: int) -> list[str]:
    """`value` in pieces whose literals fit in `room` columns, cut after a space or before a wide character."""
    pieces: list[str] = []
    while width(literal(value)) > room:
        best = 0
        depth = 0
        for index, char in enumerate(value):
            depth += char == "{"
            depth -= char == "}"
            if width(literal(value[:index])) > room:
                break
            if index and depth == 0 and (value[index - 1] == " " or width(char) == 2 and value[index - 1] != "{"):
                best = index
        assert best > 0, value
        pieces.append(value[:best])
        value = value[best:]
    return [*pieces, value]


def argument_tokens(source: str, node: ast.expr) -> list[str]:
    """The string-literal tokens that make up one argument, as written."""
    segment = ast.get_source_segment(source, node)
    assert segment is not None
    tokens = tokenize.generate_tokens(io.StringIO("(" + segment + ")").readline)
    kept = [token for token in tokens if token.type not in (tokenize.OP, tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER)]
    assert all(token.type == tokenize.STRING for token in kept), segment
    return [token.string for token in kept]


def entry_lines(key: str, tokens: list[str]) -> list[str]:
    values = [ast.literal_eval(token) for token in tokens]
    one_line = f'{INDENT}"{key}": {tokens[0]},'
    if len(tokens) == 1 and width(one_line) <= WIDTH:
        return [one_line]
    inner = INDENT * 2
    lines = [f'{INDENT}"{key}": (']
    for token, value in zip(tokens, values):
        if width(inner + token) <= WIDTH:
            lines.append(inner + token)
        else:
            lines += [inner + literal(piece) for piece in cut(value, WIDTH - len(inner))]
    return [*lines, f"{INDENT}),"]


def split(source: str) -> dict[str, str]:
    tree = ast.parse(source)
    (assignment,) = [node for node in tree.body if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "CATALOG"]
    assert isinstance(assignment.value, ast.Call)
    table = assignment.value.args[0]
    assert isinstance(table, ast.Dict)
    lines = source.splitlines()
    bodies: dict[str, list[str]] = {"en": [], "zh": []}
    previous_end = table.lineno  # the line of `{`
    for key_node, value in zip(table.keys, table.values):
        assert isinstance(key_node, ast.Constant) and isinstance(value, ast.Call)
        assert ast.unparse(value.func) == "_both" and len(value.args) == 2
        gap = lines[previous_end : key_node.lineno - 1]  # comments and blank lines between two entries
        assert all(not line.strip() or line.strip().startswith("#") for line in gap), gap
        for lang, argument in zip(("en", "zh"), value.args):
            bodies[lang] += gap
            bodies[lang] += entry_lines(key_node.value, argument_tokens(source, argument))
        previous_end = value.end_lineno or value.lineno
        assert lines[previous_end - 1].rstrip().endswith("),"), lines[previous_end - 1]
    files = {}
    for lang, body in bodies.items():
        files[lang] = "\n".join(
            [
                HEADERS[lang],
                "from __future__ import annotations",
                "",
                "from types import MappingProxyType",
                "",
                "from bptutor.i18n import Language",
                "",
                "MESSAGES = MappingProxyType({",
                *body,
                "})",
                "",
                PROPERTIES[lang],
            ]
        )
    return files


def original_table(source: str) -> dict[str, dict[str, str]]:
    """The original table, read with ast.literal_eval: key → language → text."""
    tree = ast.parse(source)
    (assignment,) = [node for node in tree.body if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "CATALOG"]
    assert isinstance(assignment.value, ast.Call)
    table = assignment.value.args[0]
    assert isinstance(table, ast.Dict)
    result: dict[str, dict[str, str]] = {}
    for key_node, value in zip(table.keys, table.values):
        assert isinstance(key_node, ast.Constant) and isinstance(value, ast.Call)
        result[key_node.value] = {lang: ast.literal_eval(argument) for lang, argument in zip(("en", "zh"), value.args)}
    return result


def messages_of(text: str) -> dict[str, str]:
    tree = ast.parse(text)
    (assignment,) = [node for node in tree.body if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "MESSAGES"]
    assert isinstance(assignment.value, ast.Call)
    result = ast.literal_eval(assignment.value.args[0])
    assert isinstance(result, dict)
    return result


def check(source: str, files: dict[str, str]) -> None:
    table = original_table(source)
    for lang, text in files.items():
        written = messages_of(text)
        assert list(written) == list(table), lang
        for key, entry in table.items():
            assert written[key] == entry[lang], (lang, key)
        wide = [line for line in text.splitlines() if width(line) > WIDTH]
        assert not wide, wide
    print(f"{len(table)} keys × {len(files)} languages: every text is the same as before")


def main() -> None:
    package = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("bptutor/i18n")
    source = (package / "__init__.py").read_text(encoding="utf-8")
    files = split(source)
    check(source, files)
    for lang, text in files.items():
        (package / f"{lang}.py").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
