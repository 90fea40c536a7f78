"""Chinese and English output: the catalog, the choice of language, no stray words of the other
language, help and errors, tables that never cut Chinese, and terminals that cannot show every symbol."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app, build_app, choose_language, language_in_arguments
from bptutor.cli.language import cell_width
from bptutor.core.graph import Kind, TotalLoss, build
from bptutor.core.scenario import Scenario
from bptutor.errors import ScenarioError
from bptutor.i18n import LANGUAGES, Message, catalog, detect_language, message
from bptutor.loading.scenario import load_scenario_text
from bptutor.render.style import Style
from bptutor.render.terminal import PRINTED_SYMBOLS, fallback_encoding

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ASCII_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_']*")
TWO_LETTERS = re.compile(r"[A-Za-z]{2,}")

# Math words that stay as they are in Chinese text: e (of e^x) and the names of functions.
MATH_WORDS = {"e", "σ", "tanh", "ReLU", "LeakyReLU", "max", "id", "Err"}  # Err: the textbook error term, a symbol like δ
MATH_WORDS |= {"BP", "BP1", "BP2", "BP3", "BP4"}  # the four BP equations' names and tags, as the Chinese notes write them


def invoke(*arguments: str, lang_app: str | None = None, columns: int = 120):
    """Run the English app (or the app built for `lang_app`) at `columns` columns, for tables and help alike."""
    chosen = app if lang_app is None else build_app(lang_app)
    environment = {**ENVIRONMENT, "COLUMNS": str(columns)}
    return CliRunner().invoke(chosen, list(arguments), env=environment, terminal_width=columns)


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _text(name: str) -> str:
    return (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")


# Scenarios that show the rarer texts: a frozen parameter, the ReLU family's words, a saturated neuron.
FROZEN = _text("two_two_two").replace("name: two_two_two", "name: frozen_w5") + "frozen: [w5]\n"
RELU = (
    _text("one_one_one")
    .replace("name: one_one_one", "name: relu_net")
    .replace("activation: sigmoid\n    neurons:\n      h:", "activation: relu\n    neurons:\n      h:")
    .replace("activation: sigmoid\n    neurons:\n      o:", "activation: leaky_relu\n    neurons:\n      o:")
)
SATURATED = (  # σ(200.1) is exactly 1.0 in float64
    _text("one_one_one").replace("name: one_one_one", "name: saturated").replace("inputs: {x: 1}", "inputs: {x: 1000}")
)


CLASSIC = _text("two_two_two").replace("name: two_two_two", "name: classic") + (
    "error_term: textbook\nhidden_error_weights: updated\nbias: threshold\n"
    "rounding: {activations: 3, deltas: 4, parameters: 3, method: half_even}\n"
)


@pytest.fixture
def scenario_files(tmp_path):
    files = {}
    named = {"frozen_w5": FROZEN, "relu_net": RELU, "saturated": SATURATED, "classic": CLASSIC}
    for name, text in named.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        files[name] = str(path)
    return files


# ── the catalog ───────────────────────────────────────────────────────────────


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


ENGLISH = catalog("en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_every_key_and_no_other(lang):
    keys = set(catalog(lang))
    assert not set(ENGLISH) - keys, f"missing in {lang}"
    assert not keys - set(ENGLISH), f"only in {lang}"


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_every_message_has_the_same_placeholders_in_every_language(key):
    fields = {name: f"<{name}>" for name in _placeholders(ENGLISH[key])}
    for lang in LANGUAGES:
        assert _placeholders(catalog(lang)[key]) == set(fields), (lang, key)
        message(key, lang, **fields)  # formats without error (braces escaped where meant literally)


def test_chinese_entries_are_chinese_and_english_entries_are_not():
    chinese = catalog("zh")
    for key, english in ENGLISH.items():
        assert not CHINESE.search(english), key
        if TWO_LETTERS.search(re.sub(r"\{\w+\}", "", english)) and key != "click.other":
            assert chinese[key] != english, f"{key} is not translated"


def test_every_loss_and_kind_has_its_words_and_the_english_matches_the_table_of_operations():
    from bptutor.core.ops import LOSSES

    for name, loss in LOSSES.items():
        assert message(f"loss.{name}", "en", loss="E") == loss.description, name
    assert all(f"kind.{kind.value}" in ENGLISH for kind in Kind)


def test_messages_nest_and_render_in_one_language():
    nested = Message.of("scenario.expected", what=Message.of("what.layers"), found=Message.of("found.nothing"))
    assert str(nested) == "expected a list of layers, got nothing"
    assert nested.render("zh") == "应为由各层组成的列表，实际是 空值"
    with pytest.raises(KeyError):
        Message.of("no.such.key")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        message("run.heading.given", "fr")


def test_the_terms_are_those_chinese_courses_use():
    words = {lang: " ".join(catalog(lang).values()) for lang in LANGUAGES}
    for term in ("正向传播", "反向传播", "链式法则", "损失函数", "误差项", "学习率", "梯度", "权重", "偏置", "参数更新", "输出层"):
        assert term in words["zh"], term
    assert "误差项 δ" in words["zh"] and "δ" in words["en"]


# ── choosing the language ─────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW.Big5"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_ALL": "", "LC_MESSAGES": "zh_CN.GBK", "LANG": "en_US"}, "zh"),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US"}, "zh"),
    ],
)
def test_detect_language_reads_the_first_non_empty_locale_variable(environ, expected):
    assert detect_language(environ) == expected


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["run", "x", "--lang", "zh"], "zh"),
        (["--lang=zh", "explain", "w5"], "zh"),
        (["run", "x", "--lang", "fr"], None),
        (["run", "x", "--lang"], None),
        (["run", "--", "--lang", "zh"], None),
        (["run", "x"], None),
    ],
)
def test_lang_on_the_command_line_is_found_before_the_app_is_built(arguments, expected):
    assert language_in_arguments(arguments) == expected


def test_the_command_line_wins_over_the_environment():
    assert choose_language(["explain", "w5", "--lang", "en"], {"LANG": "zh_CN.UTF-8"}) == "en"
    assert choose_language(["explain", "w5"], {"LANG": "zh_CN.UTF-8"}) == "zh"


def _run_bptutor(*arguments: str, **environment: str) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "COLUMNS": "120", **environment}
    return subprocess.run([sys.executable, "-m", "bptutor", *arguments], cwd=ROOT, capture_output=True, env=env)


@pytest.mark.slow  # three bptutor processes
def test_lang_zh_in_the_environment_selects_chinese_and_lang_en_overrides_it():
    chinese = _run_bptutor("explain", "w5", LANG="zh_CN.UTF-8")
    assert chinese.returncode == 0
    assert "链式法则" in chinese.stdout.decode("utf-8")
    english = _run_bptutor("explain", "w5", "--lang", "en", LANG="zh_CN.UTF-8")
    assert english.returncode == 0
    assert "Chain rule" in english.stdout.decode("utf-8")
    assert not CHINESE.search(english.stdout.decode("utf-8"))
    help_text = _run_bptutor("--help", LANG="zh_CN.UTF-8").stdout.decode("utf-8")
    assert "用法：bptutor" in help_text and "示例：" in help_text


def test_lang_before_the_command_applies_to_it():
    result = invoke("--lang", "zh", "explain", "w5")
    assert result.exit_code == 0
    assert "链式法则" in result.output


# ── no word of the other language ─────────────────────────────────────────────


def _scenario_words(scenario: Scenario) -> set[str]:
    """Everything the scenario file itself names: quantities, neurons, layers, keywords, and its title."""
    graph = build(scenario)
    notation = scenario.notation
    words = {quantity.name for quantity in graph.quantities}
    words |= {term.name for equation in graph.equations if isinstance(equation, TotalLoss) for term in equation.terms}
    words |= {notation.dlt(q.neuron) for q in graph.quantities if q.kind is Kind.PRE_ACTIVATION and q.neuron}
    words |= {notation.pre("j"), notation.dlt("j"), notation.act("j"), scenario.name, scenario.loss}
    for layer in scenario.layers:
        words |= {layer.name, layer.activation, *(neuron.name for neuron in layer.neurons)}
    return words


def _english_left(output: str, scenario: Scenario) -> list[str]:
    """ASCII words of two or more letters that are not the scenario's own names, numbers or math words."""
    text = output
    for title in {scenario.title, *(title for _, title in scenario.titles)} - {""}:
        text = text.replace(title, "")  # a title is the author's text, in whatever language it was written
    allowed = _scenario_words(scenario) | MATH_WORDS
    words = [word for word in ASCII_WORD.findall(text) if word not in allowed]
    return [word for word in words if TWO_LETTERS.search(word)]


def _scenario(reference: str) -> Scenario:
    path = Path(reference)
    path = path if path.exists() else SCENARIOS / f"{reference}.yaml"
    return load_scenario_text(path.read_text(encoding="utf-8"), str(path))


CHINESE_CASES = [
    ("explain", "w5"),
    ("explain", "w1"),
    ("explain", "out_h1"),
    ("explain", "δ_h1"),
    ("explain", "E_o1"),
    ("explain", "E_total"),
    ("explain", "b_h", "-s", "one_one_one"),
    ("explain", "w5", "-s", "{frozen_w5}"),
    ("explain", "w_h", "-s", "{relu_net}"),
    ("explain", "y_o", "-s", "{relu_net}"),
    ("run", "two_two_two"),
    ("run", "one_one_one", "--steps", "3"),
    ("run", "{frozen_w5}"),
    ("run", "{relu_net}"),
    ("run", "{saturated}"),
    ("run", "one_one_one_rounded"),
    ("run", "{classic}"),
    ("explain", "w1", "-s", "{classic}"),
    ("explain", "w14", "-s", "tests/data/textbook_3_2_1.yaml"),
    ("run", "two_two_two", "--form", "matrix"),
    ("run", "{classic}", "--form", "matrix"),
    ("run", "one_one_one_rounded", "--form", "matrix"),
    ("explain", "dW^(1)"),
    ("explain", "W2", "--form", "matrix"),
    ("explain", "db^(1)", "-s", "tests/data/textbook_3_2_1.yaml"),
]


def _arguments(case: tuple[str, ...], files: dict[str, str]) -> list[str]:
    return [argument.format(**files) for argument in case]


def _scenario_of(arguments: list[str]) -> Scenario:
    if arguments[0] == "run":
        return _scenario(arguments[1])
    return _scenario(arguments[arguments.index("-s") + 1] if "-s" in arguments else "two_two_two")


@pytest.mark.parametrize("case", CHINESE_CASES, ids=[" ".join(case) for case in CHINESE_CASES])
def test_chinese_output_has_no_english_words(case, scenario_files):
    arguments = _arguments(case, scenario_files)
    result = invoke(*arguments, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert CHINESE.search(result.output)
    assert _english_left(result.output, _scenario_of(arguments)) == []


@pytest.mark.parametrize("case", CHINESE_CASES, ids=[" ".join(case) for case in CHINESE_CASES])
def test_english_output_has_no_chinese(case, scenario_files):
    result = invoke(*_arguments(case, scenario_files), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert not CHINESE.search(result.output)


def test_the_rarer_texts_are_translated(scenario_files):
    saturated = invoke("run", scenario_files["saturated"], "--lang", "zh").output
    assert "注意：" in saturated and "已饱和" in saturated
    relu = invoke("run", scenario_files["relu_net"], "--lang", "zh").output
    assert "1 (因为 z_h > 0)" in relu and "当 z_o > 0, 否则 α·z_o" in relu
    frozen = invoke("explain", "w5", "-s", scenario_files["frozen_w5"], "--lang", "zh").output
    assert "w5 是冻结参数" in frozen
    assert "冻结：不更新" in invoke("run", scenario_files["frozen_w5"], "--lang", "zh").output


@pytest.mark.parametrize("command", ["run", "explain", "validate", "list"])
def test_english_help_has_no_chinese(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert not CHINESE.search(result.output)


# ── help and errors in Chinese ────────────────────────────────────────────────


@pytest.mark.parametrize("command", ["run", "explain", "validate", "list"])
def test_every_command_has_chinese_help_with_an_example(command):
    result = invoke(command, "--help", lang_app="zh")
    assert result.exit_code == 0
    assert CHINESE.search(result.output)
    assert "示例：bptutor " in result.output
    assert "用法：bptutor " in result.output and "选项：" in result.output
    assert "Show this message" not in result.output and "default:" not in result.output


def test_the_apps_chinese_help_has_examples_and_exit_codes():
    result = invoke("--help", lang_app="zh")
    assert result.exit_code == 0
    assert "示例：" in result.output and "bptutor explain w5" in result.output
    assert "退出码" in result.output and "命令：" in result.output


def test_chinese_help_lines_fit_the_terminal():
    for command in ("run", "explain", "validate"):
        result = invoke(command, "--help", lang_app="zh", columns=60)
        assert max(cell_width(line) for line in result.output.splitlines()) <= 60, result.output


def test_bad_scenario_file_in_chinese_keeps_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = _text("two_two_two").replace("learning_rate:", "lerning_rate:")
    bad.write_text(text, encoding="utf-8")
    line = text[: text.index("lerning_rate:")].count("\n") + 1
    result = invoke("run", str(bad), "--lang", "zh")
    assert result.exit_code == 3
    expected = f"bptutor: {bad}:{line}:1 [lerning_rate]: 未知的键 'lerning_rate'（是不是想写 'learning_rate'？）；可用的键："
    assert result.output.startswith(expected)


def test_unknown_name_in_chinese():
    result = invoke("explain", "w9", "--lang", "zh")
    assert result.exit_code == 2
    assert "'w9' 不是场景 'two_two_two' 中的量" in result.output


def test_unknown_scenario_and_validate_in_chinese(tmp_path):
    missing = invoke("run", "no_such_thing", "--lang", "zh")
    assert missing.exit_code == 3
    assert "没有这个文件" in missing.output and "two_two_two" in missing.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n", encoding="utf-8")
    result = invoke("validate", "scenarios/two_two_two.yaml", str(broken), "--lang", "zh")
    assert result.exit_code == 3
    assert "scenarios/two_two_two.yaml: 通过检查" in result.output
    assert f"{broken}:2:1: 这不是有效的 YAML" in result.output


def test_divergence_in_chinese(tmp_path):
    text = _text("one_one_one").replace("activation: sigmoid", "activation: linear")
    text = text.replace("learning_rate: 0.5", "learning_rate: 90")
    path = tmp_path / "diverges.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("run", str(path), "--steps", "2000", "--lang", "zh")
    assert result.exit_code == 4
    assert "步数值溢出" in result.output


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["run"], "错误：缺少位置参数 'SCENARIO'。"),
        (["run", "x", "--digits", "99"], "错误：'--digits' 的值无效：应为 1 到 17 之间的整数"),
        (["run", "x", "--format", "xml"], "错误：'--format' 的值无效：应为 rich, json 之一"),
        (["run", "x", "--bogus"], "错误：没有选项 --bogus"),
        (["frob"], "错误：没有命令 'frob'。"),
        (["run", "x", "y"], "错误：多余的参数（y）"),
    ],
)
def test_command_line_mistakes_in_chinese(arguments, expected):
    result = invoke(*arguments, lang_app="zh")
    assert result.exit_code == 2
    assert expected in result.output
    assert "用 'bptutor" in result.output  # where to find help, in Chinese too


@pytest.mark.parametrize(
    "text",
    [
        "",
        "name: [unclosed\n",
        "a: &x 1\n",
        "- 1\n",
        _text("two_two_two").replace("h3", "h3").replace("{h1: w7, h2: w8}", "{h1: w7, h3: w8}"),
        _text("two_two_two").replace("i1: 0.1", "i1: abc"),
        _text("two_two_two").replace("half_sse", "half_mse"),
        _text("two_two_two").replace("w8: 0.8,", ""),
        _text("two_two_two").replace("learning_rate: {default: 0.5, hidden: 0.1}", "learning_rate: {hiden: 0.1}"),
        _text("two_two_two").replace("learning_rate: {default: 0.5, hidden: 0.1}", "learning_rate: -1"),
        _text("two_two_two") + "frozen: [w9]\n",
        _text("one_one_one").replace('loss: Loss', 'loss: "x_{n}"'),
        _text("one_one_one").replace("target: y", "target: w_h"),
    ],
)
def test_scenario_errors_render_in_chinese_with_the_same_location(text):
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "s.yaml")
    error = caught.value
    english, chinese = error.render("en"), error.render("zh")
    assert english == str(error)
    prefix = english[: len(english) - len(error.message)]
    assert chinese.startswith(prefix)
    assert CHINESE.search(chinese[len(prefix) :])
    assert error.key is not None and error.key in ENGLISH


# ── tables never cut Chinese ──────────────────────────────────────────────────


def _chinese_characters(text: str) -> list[str]:
    return sorted(CHINESE.findall(text))


TABLE_CASES = [("run", "two_two_two"), ("run", "one_one_one", "--steps", "3"), ("run", "{frozen_w5}")]


@pytest.mark.parametrize("case", TABLE_CASES)
@pytest.mark.parametrize("columns", [80, 120])
def test_tables_never_cut_chinese(case, columns, scenario_files):
    arguments = [*_arguments(case, scenario_files), "--lang", "zh"]
    wide = invoke(*arguments, columns=400).output
    narrow = invoke(*arguments, columns=columns).output
    assert _chinese_characters(narrow) == _chinese_characters(wide)
    assert max(cell_width(line) for line in narrow.splitlines()) <= columns


# ── terminals that cannot show every symbol ───────────────────────────────────


class FakeTerminal:
    def __init__(self, encoding: str, terminal: bool = True) -> None:
        self.encoding = encoding
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        (FakeTerminal("gbk"), "gbk"),
        (FakeTerminal("cp936"), "gbk"),
        (FakeTerminal("ascii"), "ascii"),
        (FakeTerminal("ANSI_X3.4-1968"), "ascii"),
        (FakeTerminal("utf-8"), None),
        (FakeTerminal("gbk", terminal=False), None),
        (FakeTerminal("ascii", terminal=False), None),
    ],
)
def test_fallback_is_decided_by_what_the_terminal_can_encode(stream, expected):
    assert fallback_encoding(stream) == expected


def test_gbk_keeps_chinese_and_the_symbols_it_has():
    style = Style(lang="zh", encoding="gbk")
    assert style.text("∂E/∂w5 = δ·out − ½x² 输出 σ") == "dE/dw5 = δ·out - 1/2x^2 输出 σ"
    assert style.text("w₅") == "w5"
    assert all(style.text(symbol).encode("gbk") for symbol in PRINTED_SYMBOLS)


def test_ascii_terminal_gets_every_symbol_spelled():
    style = Style(encoding="ascii")
    assert style.text(PRINTED_SYMBOLS).isascii()
    assert style.text("∂σηδ") == "dsigmoidetadelta"
    assert style.box.ascii


@pytest.mark.slow  # two bptutor processes each
@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_redirected_output_is_utf8_whatever_the_locale(encoding, lang):
    completed = _run_bptutor("explain", "w5", "--lang", lang, PYTHONIOENCODING=encoding)
    assert completed.returncode == 0, completed.stderr
    text = completed.stdout.decode("utf-8")
    assert "∂E_total/∂w5" in text and "−" in text
    error = _run_bptutor("explain", "w9", "--lang", lang, PYTHONIOENCODING=encoding)
    assert error.returncode == 2
    error.stderr.decode("utf-8")
    assert (b"\xe4\xb8\x8d" in error.stderr) == (lang == "zh")  # 不, as UTF-8


def test_piped_run_is_utf8_with_gbk():
    completed = _run_bptutor("run", "one_one_one", "--lang", "zh", PYTHONIOENCODING="gbk")
    assert completed.returncode == 0
    assert "正向传播" in completed.stdout.decode("utf-8")


def test_a_title_given_per_language_is_shown_in_that_language():
    english = invoke("list", "--lang", "en").output
    chinese = invoke("list", "--lang", "zh").output
    assert "2-2-2 sigmoid network (BP notes, section 2.2.2)" in english
    assert "2-2-2 sigmoid 网络（BP 神经网络笔记 2.2.2 节）" in chinese
    assert "网络（BP 神经网络笔记" in invoke("run", "two_two_two", "--lang", "zh").output
