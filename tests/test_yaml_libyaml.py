"""libyaml composes a user's YAML only where it gives the very tree the pure-Python loader gives.

`parse_yaml` asks libyaml (PyYAML's C binding) first and falls back to the pure-Python loader on any
text libyaml might read differently and on every problem. These tests read texts both ways and
compare, node by node, each scalar's text (or null), each key, each line and column: every YAML file
of the repository, the README's YAML examples, the test corpora, documents Hypothesis writes (names,
numbers and Chinese text; block and flow style; comments; quoting; CRLF) and hostile texts, whose
error must come out the same to the byte in English and in Chinese. Then they check which path is
taken: libyaml when PyYAML has it, the pure loader when it has not, and the hand-counted places of
nodes and errors hold on both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bptutor.errors import ScenarioError
from bptutor.loading import yamltree
from bptutor.loading.scenario import load_scenario
from bptutor.loading.yamltree import Context, LocatedMapping, LocatedScalar, LocatedSequence, LocatedValue
from bptutor.teach.answers import load_answers
from bptutor.teach.solution import WorkedSteps
from tests.hypothesis_profiles import examples
from tests.test_fuzz_hostile import ANSWERS, SEEDS, TOKENS, mutated
from tests.test_loader import VALID

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY_FILES = sorted(
    path for folder in ("scenarios", "examples", "tests") for pattern in ("*.yaml", "*.yml")
    for path in (ROOT / folder).rglob(pattern)
)
README_BLOCKS = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
CORPUS = {
    **{str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in REPOSITORY_FILES},
    **{f"README.md yaml block {number}": block for number, block in enumerate(README_BLOCKS, 1)},
    "tests/test_loader.py VALID": VALID,
    "tests/test_fuzz_hostile.py ANSWERS": ANSWERS,
    **{f"tests/test_fuzz_hostile.py {name}": seed for name, seed in SEEDS.items()},
}

Row = tuple[str, str, object, int | None, int | None]


def rows(tree: LocatedValue | None, path: str = "$") -> Iterator[Row]:
    """Every node of the located tree as (path, kind, text or None, line, column), keys included."""
    if tree is None:
        yield (path, "empty document", None, None, None)
    elif isinstance(tree, LocatedScalar):
        yield (path, "scalar", tree.value, tree.line, tree.column)
    elif isinstance(tree, LocatedSequence):
        yield (path, "sequence", len(tree.items), tree.line, tree.column)
        for index, item in enumerate(tree.items):
            yield from rows(item, f"{path}[{index}]")
    else:
        yield (path, "mapping", len(tree.entries), tree.line, tree.column)
        for index, (key, value) in enumerate(tree.entries):
            yield (f"{path}.<key {index}>", "key", key.value, key.line, key.column)
            yield from rows(value, f"{path}.{key.value}")


def outcome(read: Callable[[str, Context], LocatedValue | None], text: str) -> object:
    """What reading `text` gives: every row of its tree, or its error as printed in both languages."""
    try:
        return list(rows(read(text, Context("s.yaml", text))))
    except ScenarioError as error:
        return ("error", error.render("en"), error.render("zh"), error.location, error.field)


def pure(text: str, ctx: Context) -> LocatedValue | None:
    """The pure-Python loader alone: the reference."""
    return yamltree._parse_pure(text, ctx)


def libyaml_answers(text: str) -> bool:
    """Whether libyaml composed `text` itself (rather than leaving it to the pure loader)."""
    return not isinstance(yamltree._compose_with_libyaml(text), yamltree._Unsure)


def refused(text: str) -> bool:
    """Whether the pure loader refuses `text` (a README block may show two choices of one key)."""
    return isinstance(outcome(pure, text), tuple)


def assert_alike(text: str) -> None:
    """`parse_yaml` (libyaml where it can) and the pure loader give the same rows or the same error."""
    assert outcome(yamltree.parse_yaml, text) == outcome(pure, text)


needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="this PyYAML was built without libyaml")


# --------------------------------------------------------------------------- the comparison itself


def test_the_comparison_sees_a_column_off_by_one_and_a_null_read_as_text() -> None:
    text = "a: [b, 网络]\nc:\n"
    tree = pure(text, Context("s.yaml", text))
    assert isinstance(tree, LocatedMapping)
    (a, items), (c, nothing) = tree.entries
    assert isinstance(items, LocatedSequence)
    shifted = LocatedSequence((items.items[0], LocatedScalar("网络", 1, 9)), items.line, items.column)
    assert list(rows(LocatedMapping(((a, shifted), (c, nothing))))) != list(rows(tree))
    assert list(rows(LocatedMapping(((a, items), (c, LocatedScalar("", 2, 3)))))) != list(rows(tree))
    assert list(rows(tree))[-1] == ("$.c", "scalar", None, 2, 3)  # `c:` is null, right after its colon


# --------------------------------------------------------------------------- the repository's own YAML


@needs_libyaml
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_yaml_file_and_example_composes_alike_and_by_libyaml(name: str) -> None:
    text = CORPUS[name]
    assert_alike(text)
    assert libyaml_answers(text) or refused(text), f"{name}: libyaml should compose an ordinary file"


def test_the_corpus_holds_the_shipped_files() -> None:
    names = set(CORPUS)
    assert {"scenarios/two_two_two.yaml", "examples/digits.yaml", "scenarios/answers/class/王芳.yaml"} <= names
    assert len(README_BLOCKS) >= 10 and len(REPOSITORY_FILES) >= 30


@needs_libyaml
@pytest.mark.parametrize("name", ["scenarios/two_two_two.yaml", "examples/digits.yaml", "tests/test_loader.py VALID"])
@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_a_file_with_other_line_ends_composes_alike(name: str, line_end: str) -> None:
    text = CORPUS[name].replace("\n", line_end)
    assert_alike(text)
    assert libyaml_answers(text)


# --------------------------------------------------------------------------- generated documents

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
NUMBERS = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.decimals(-1000, 1000, places=4, allow_nan=False, allow_infinity=False).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
CHINESE = st.text(alphabet="网络激活函数权重偏置学习率输出层隐藏，。：（）σ′∂ηé ", min_size=1, max_size=12).map(str.strip).filter(bool)
WORDS = st.one_of(NAMES, NUMBERS, CHINESE, st.sampled_from(["null", "~", "yes", "no", "true", "1e-3", ".5", "-0"]))
TREES = st.recursive(
    WORDS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.one_of(NAMES, CHINESE), children, max_size=4)),
    max_leaves=25,
)


@st.composite
def scalars(draw: st.DrawFn, word: str, indent: int, flow: bool) -> str:
    """`word` written plain, quoted, or (outside flow) as a block scalar over one or two lines."""
    style = draw(st.sampled_from(["plain", "single", "double"] if flow else ["plain", "single", "double", "block"]))
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    if style == "double":
        escape = draw(st.sampled_from(["", "\\n", "\\u00e9", "\\x41", "\\t", "\\\\"]))
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + escape + '"'
    if style == "block":
        margin = " " * (indent + draw(st.sampled_from([1, 2, 4])))
        header = draw(st.sampled_from(["|", ">", "|-", ">+", "| # 注释"]))
        return f"{header}\n{margin}{word}\n{margin}{word}"
    return word


@st.composite
def written(draw: st.DrawFn, tree: object, indent: int = 0, flow: bool = False) -> str:
    """`tree` as YAML text, each collection in block or flow style, with comments here and there."""
    comment = draw(st.sampled_from(["", "", " # comment", "  # 注释：网络"]))
    if isinstance(tree, str):
        return draw(scalars(tree, indent, flow))
    if isinstance(tree, list):
        if flow or not tree or draw(st.booleans()):
            return "[" + ", ".join(draw(written(item, indent + 2, True)) for item in tree) + "]"
        lines = [" " * indent + "- " + draw(written(item, indent + 2)).lstrip(" ") + comment for item in tree]
        return "\n" + "\n".join(lines)
    assert isinstance(tree, dict)
    if flow or not tree or draw(st.booleans()):
        entries = [f"{key}: {draw(written(value, indent + 2, True))}" for key, value in tree.items()]
        return "{" + ", ".join(entries) + "}"
    lines = []
    for key, value in tree.items():
        child = draw(written(value, indent + draw(st.sampled_from([2, 4]))))
        separator = "" if child.startswith("\n") else " "
        lines.append(" " * indent + f"{key}:{separator}{child}{comment if not child.startswith(chr(10)) else ''}")
    return "\n" + "\n".join(lines)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A whole YAML document: a comment or not at the top, a line end each line, CRLF or LF."""
    body = draw(written(draw(TREES))).lstrip("\n")
    top = draw(st.sampled_from(["", "# 网络的参数\n", "---\n"]))
    text = top + body + "\n"
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@pytest.mark.slow  # a second or more: the full suite runs it
@needs_libyaml
@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents())
def test_generated_documents_compose_alike_and_by_libyaml(text: str) -> None:
    assert_alike(text)
    assert libyaml_answers(text) or refused(text), text


@pytest.mark.slow  # a second or more: the full suite runs it
@needs_libyaml
@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=documents(), cut=st.integers(0, 10**6), piece=st.sampled_from([*TOKENS, "", "?", ": ", "\t", "\ufeff"]))
def test_documents_cut_short_or_with_a_hostile_token_compose_alike(text: str, cut: int, piece: str) -> None:
    cut %= len(text) + 1
    assert_alike(text[:cut] + piece + text[cut:])
    assert_alike(text[:cut])


# --------------------------------------------------------------------------- hostile texts

HOSTILE = {
    "anchor": "inputs: &in {i1: 1}\n",
    "anchor on a scalar": "out_h1: &a 0.6\n",
    "anchor on a key": "&k a: 1\n",
    "alias": "name: x\nfrozen: *w\n",
    "python tag": 'name: !!python/object/apply:os.system ["echo hi"]\n',
    "local tag": "a: !foo bar\n",
    "non-specific tag": "a: ! 0.5\n",
    "verbatim tag": "a: !<tag:x> 1\n",
    "tag directive": "%TAG !e! tag:example.com,2000:\n---\na: 1\n",
    "YAML 1.1 directive": "%YAML 1.1\n---\na: 1\n",
    "YAML 1.3 directive": "%YAML 1.3\n---\na: 1\n",
    "YAML 2.0 directive": "%YAML 2.0\n---\na: 1\n",
    "billion laughs": "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
    "100,000 brackets": "[" * 100_000,
    "100,000 brackets closed": "[" * 100_000 + "]" * 100_000,
    "20 levels": "[" * 20 + "]" * 20,
    "21 levels": "[" * 21 + "]" * 21,
    "20 levels with a scalar": "[" * 20 + "x" + "]" * 20,
    "deep block": "".join("  " * depth + "a:\n" for depth in range(30)),
    "deep block sequence": "".join("  " * depth + "-\n" for depth in range(30)),
    "two documents": "a: 1\n---\nb: 2\n",
    "document end then text": "a: 1\n...\nb: 2\n",
    "document end": "a: 1\n...\n",
    "only a document start": "---",
    "only a document start and a line end": "---\n",
    "empty": "",
    "only a comment": "# 只有注释\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate key in flow": "{a: 1, a: 2}\n",
    "duplicate null keys": "~: 1\n~: 2\n",
    "mapping as a key": "? {a: 1}\n: 2\n",
    "sequence as a key": "[a, b]: 1\n",
    "complex scalar key": "? a\n: 1\n",
    "complex key without a value": "? a\n",
    "complex key at the end": "? a",
    "value without a key": ": a\n",
    "tab after a colon": "a:\tb\n",
    "tab inside a plain scalar": "a: b\tc\n",
    "tab in a comment": "a: b #\tc\n",
    "tab in a quoted scalar": "a: 'b\tc'\n",
    "tab as indentation": "a:\n\tb: 1\n",
    "question mark in a flow scalar": "[a?b]\n",
    "question mark in a flow key": "{a?b: 1}\n",
    "question mark in a block scalar": "a: b?c\n",
    "comment right after a block indicator": "a: >#\n  b\n",
    "comment after a block indicator": "a: > # 注释\n  b\n",
    "empty flow value": "{a: }\n",
    "empty flow value before a comma": "{a:, b: 1}\n",
    "empty value in a flow pair": "[a: ]\n",
    "empty value at the very end": "a:",
    "empty item at the very end": "- ",
    "empty value at the end of a line": "a:\n",
    "NUL": "a: b\x00\n",
    "bell": "a: \x07\n",
    "escape sequence": "a: \x1b[31m\n",
    "DEL": "a: \x7f\n",
    "C1 control": "a: \x9b\n",
    "lone surrogate": "a: \ud800\n",
    "U+FFFE": "a: \ufffe\n",
    "byte-order mark first": "\ufeffa: 1\nb: 2\n",
    "byte-order mark inside": "a: [x\ufeff, y]\n",
    "NEL": "a: b\x85c: d\n",
    "line separator": "a: b\u2028c: d\n",
    "paragraph separator": "a: b\u2029c: d\n",
    "escaped surrogate": 'a: "\\ud800"\n',
    "escaped NUL": 'a: "\\0"\n',
    "unterminated quote": "a: 'b\n",
    "unterminated flow": "a: [b, c\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "long simple key": "k" * 1030 + ": 1\n",
    "simple key of 1,024": "k" * 1022 + ": 1\n",
    "key on two lines": "a\nb: 1\n",
    "lone carriage returns": "a: 1\rb: [x,\r y]\r",
    "Chinese and emoji": "名字: 网络😀 # 注释😀\n值: [一, '二', \"三\"]\n",
    "multi-line plain": "a: one\n  two\n\n  three\nb: 1\n",
    "multi-line quoted": "a: 'one\n  two\n\n  three'\nb: \"x\\\n  y\"\n",
    "block scalars": "a: |\n  x\n   y\n\nb: >-\n  p\n  q\n\n  r\nc: |+\n  z\n\n",
    "block indentation indicator": "a: |2\n   x\n  y\n",
    "block indentation indicator 0": "a: |0\n  x\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_text_gives_what_the_pure_loader_gives(name: str) -> None:
    assert_alike(HOSTILE[name])


@pytest.mark.slow  # a second: the full suite runs it
@settings(
    max_examples=examples(300), deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_fuzzed_files_give_what_the_pure_loader_gives(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(sorted(CORPUS)))
    assert_alike(data.draw(mutated(CORPUS[seed])))


@needs_libyaml
@pytest.mark.parametrize(
    "name",
    ["tab after a colon", "question mark in a flow scalar", "comment right after a block indicator",
     "empty flow value", "empty value at the very end", "byte-order mark inside", "20 levels with a scalar"],
)
def test_libyaml_leaves_the_texts_it_reads_differently_to_the_pure_loader(name: str) -> None:
    assert not libyaml_answers(HOSTILE[name])


# --------------------------------------------------------------------------- which path is taken


@needs_libyaml
def test_libyaml_composes_when_pyyaml_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = load_scenario(ROOT / "scenarios" / "two_two_two.yaml")

    def no_pure_loader(text: str, ctx: Context) -> LocatedValue | None:
        raise AssertionError("the pure-Python loader was used")

    monkeypatch.setattr(yamltree, "_parse_pure", no_pure_loader)
    assert load_scenario(ROOT / "scenarios" / "two_two_two.yaml") == expected
    answers = load_answers(ROOT / "scenarios" / "answers" / "two_two_two_published.yaml", WorkedSteps(expected))
    assert answers


def test_the_pure_loader_reads_everything_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    with_libyaml = load_scenario(ROOT / "scenarios" / "two_two_two.yaml")

    def no_libyaml(text: str) -> object:
        raise AssertionError("libyaml was used")

    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    monkeypatch.setattr(yamltree, "_compose_with_libyaml", no_libyaml)
    assert load_scenario(ROOT / "scenarios" / "two_two_two.yaml") == with_libyaml
    for name in sorted(CORPUS):
        assert outcome(yamltree.parse_yaml, CORPUS[name]) == outcome(pure, CORPUS[name])


@pytest.fixture(params=["libyaml", "pure"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test with libyaml (when PyYAML has it) and again as if PyYAML had been built without it."""
    if request.param == "libyaml" and not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    if request.param == "pure":
        monkeypatch.setattr(yaml, "__with_libyaml__", False)
    return str(request.param)


# Places counted by hand, in characters from 1: (path, text or None or how many entries/items, line, column).
PLACES = {
    "网络: 中文 # 注释\r\nb: [x, 'y']\r\n": [
        ("$", 2, 1, 1), ("$.<key 0>", "网络", 1, 1), ("$.网络", "中文", 1, 5),
        ("$.<key 1>", "b", 2, 1), ("$.b", 2, 2, 4), ("$.b[0]", "x", 2, 5), ("$.b[1]", "y", 2, 8),
    ],
    "\ufeffa: 1\n": [("$", 1, 1, 1), ("$.<key 0>", "a", 1, 1), ("$.a", "1", 1, 4)],
    "x: |\n  第一行\n  line two\ny: >-\n  folded\n  text\n": [
        ("$", 2, 1, 1), ("$.<key 0>", "x", 1, 1), ("$.x", "第一行\nline two\n", 1, 4),
        ("$.<key 1>", "y", 4, 1), ("$.y", "folded text", 4, 4),
    ],
    "{a: }\n": [("$", 1, 1, 1), ("$.<key 0>", "a", 1, 2), ("$.a", None, 1, 4)],
    "a:": [("$", 1, 1, 1), ("$.<key 0>", "a", 1, 1), ("$.a", None, 1, 3)],
    "- 😀 # 😀\n- '很好'\n- ~\n": [("$", 3, 1, 1), ("$[0]", "😀", 1, 3), ("$[1]", "很好", 2, 3), ("$[2]", None, 3, 3)],
}
# Errors counted by hand: (line, column, words of the message).
ERRORS = {
    "name: x\nfrozen: *w\n": (2, 9, "anchors and aliases"),
    "a: !!str 0.5\n": (1, 4, "tags"),
    "out_h1: &a 0.6\n": (1, 9, "anchors and aliases"),
    "a:\tb\n": (1, 3, "found character '\\t' that cannot start any token"),
    "[a?b]\n": (1, 3, "expected ',' or ']'"),
    "a: >#\n  b\n": (1, 5, "expected chomping or indentation indicators"),
    "[" * 100_000: (1, 21, "nested too deeply"),
    "a: 1\nb: 2\na: 3\n": (3, 1, "duplicate key 'a' (first given on line 1)"),
    "a: 中文\x07\n": (1, 6, "0007"),
    "a: 1\n---\nb: 2\n": (2, 1, "expected a single document"),
}


@pytest.mark.parametrize("text", sorted(PLACES))
def test_nodes_stand_where_counted_by_hand(reader: str, text: str) -> None:
    found = rows(yamltree.parse_yaml(text, Context("s.yaml", text)))
    assert [(path, value, line, column) for path, _, value, line, column in found] == PLACES[text]


@pytest.mark.parametrize("text", sorted(ERRORS))
def test_errors_stand_where_counted_by_hand(reader: str, text: str) -> None:
    line, column, words = ERRORS[text]
    with pytest.raises(ScenarioError) as caught:
        yamltree.parse_yaml(text, Context("s.yaml", text))
    assert (caught.value.location.line, caught.value.location.column) == (line, column)
    assert words in caught.value.render("en")
