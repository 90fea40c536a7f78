"""A language is one file in bptutor/i18n/: every file defines the same properties, the package
names no language outside that folder, and a new file is a new language, with no other edit."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from bptutor import i18n
from bptutor.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Language,
    discover_languages,
    language,
    languages_in_words,
    message,
)

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bptutor"
SCENARIO = ROOT / "scenarios" / "two_two_two.yaml"
IMPORTED = {"annotations", "MappingProxyType", "Language"}  # what a language file imports, as en.py does


def _module(lang: str):
    return importlib.import_module(f"bptutor.i18n.{lang}")


def test_the_shipped_languages_are_the_files_and_include_the_default():
    assert LANGUAGES == ("en", "zh")
    assert DEFAULT_LANGUAGE in LANGUAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_file_defines_the_same_names_and_every_property(lang):
    module = _module(lang)
    defined = {name for name in vars(module) if not name.startswith("__")}
    assert defined == {"MESSAGES", "LANGUAGE"} | IMPORTED
    assert language(lang) is module.LANGUAGE and module.LANGUAGE.messages is module.MESSAGES
    for field in dataclasses.fields(Language):
        assert field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING, field.name
        kind = Mapping if field.name in ("messages", "language_names") else str
        assert isinstance(getattr(module.LANGUAGE, field.name), kind), (lang, field.name)
    assert set(module.LANGUAGE.language_names) <= set(LANGUAGES)
    assert module.LANGUAGE.tag and module.LANGUAGE.latex_class.startswith("\\documentclass")


def test_the_properties_are_the_ones_the_handouts_wrote_before():
    english, chinese = language("en"), language("zh")
    assert (english.tag, chinese.tag) == ("en", "zh-Hans")
    assert english.latex_class == "\\documentclass[11pt]{article}"
    assert chinese.latex_class == "\\documentclass[11pt,UTF8]{ctexart}"
    assert f"{12345:,}".replace(",", english.thousands_separator) == "12,345"
    assert f"{12345:,}".replace(",", chinese.thousands_separator) == "12345"
    assert languages_in_words("en") == "en or zh"
    assert languages_in_words("zh") == "en（英文）或 zh（中文）"


def test_a_language_is_a_module_not_named_with_an_underscore(tmp_path):
    for name in ("en.py", "fr.py", "pt_br.py", "__init__.py", "_shared.py", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert discover_languages([str(tmp_path)]) == ("en", "fr", "pt_br")


def test_an_unknown_language_is_refused_with_the_list_of_files():
    with pytest.raises(ValueError, match="expected one of en, zh"):
        message("run.heading.given", "de")
    with pytest.raises(KeyError):
        message("no.such.key", "zh")


def test_detect_language_follows_the_files(monkeypatch):
    assert i18n.detect_language({"LANG": "fr_FR.UTF-8"}) == "en"
    monkeypatch.setattr(i18n, "LANGUAGES", ("en", "fr", "zh", "zh_hant"))
    assert i18n.detect_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert i18n.detect_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.detect_language({"LANG": "zh_Hant_TW"}) == "zh_hant"  # the longest code that starts the locale
    assert i18n.detect_language({"LANG": "de_DE"}) == "en"


def _literals(tree: ast.AST) -> list[ast.Constant]:
    """Every string literal of the module except docstrings (and other bare string statements)."""
    bare = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    strings = [node for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return [node for node in strings if id(node) not in bare]


def test_no_language_code_is_written_outside_the_catalog():
    codes = {*LANGUAGES, *(language(lang).tag for lang in LANGUAGES)}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "i18n":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = [node for node in _literals(tree) if node.value in codes]
        found += [f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}" for node in named]
    assert not found


# ── adding a language is adding one file ──────────────────────────────────────


FRENCH = {  # two messages and the tag changed in a copy of en.py; every other text stays English
    '"run.heading.forward": "Forward pass"': '"run.heading.forward": "Propagation avant"',
    '"run.heading.backward": "Backward pass (': '"run.heading.backward": "Rétropropagation (',
    'tag="en"': 'tag="fr"',
}


@pytest.fixture(scope="module")
def with_french(tmp_path_factory):
    """A copy of the package with one more file, bptutor/i18n/fr.py, and nothing else changed."""
    root = tmp_path_factory.mktemp("with_french")
    shutil.copytree(PACKAGE, root / "bptutor", ignore=shutil.ignore_patterns("__pycache__"))
    text = (PACKAGE / "i18n" / "en.py").read_text(encoding="utf-8")
    for old, new in FRENCH.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (root / "bptutor" / "i18n" / "fr.py").write_text(text, encoding="utf-8")
    return root


def _bptutor(root: Path, *arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    clean = {name: value for name, value in os.environ.items() if name not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env = {**clean, "PYTHONPATH": str(root), "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb", **environment}
    command = [sys.executable, "-m", "bptutor", *arguments]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, encoding="utf-8")


def test_a_new_file_is_a_new_choice_of_lang(with_french):
    help_page = _bptutor(with_french, "run", "--help")
    assert help_page.returncode == 0, help_page.stderr
    assert "<en|fr|zh>" in help_page.stdout and "Language of the output: en or fr or zh." in help_page.stdout
    chinese_help = _bptutor(with_french, "run", "--help", "--lang", "zh", COLUMNS="200")
    assert "输出语言：en（英文）或 fr或 zh（中文）。" in chinese_help.stdout  # zh.py does not name French: its code
    refused = _bptutor(with_french, "run", str(SCENARIO), "--lang", "de")
    assert refused.returncode == 2 and "'en', 'fr', 'zh'" in refused.stderr


def test_a_new_language_is_used_when_asked_for_or_when_the_locale_says_so(with_french):
    english = _bptutor(with_french, "run", str(SCENARIO))
    assert english.returncode == 0, english.stderr
    assert "Forward pass" in english.stdout and "Propagation avant" not in english.stdout
    asked = _bptutor(with_french, "run", str(SCENARIO), "--lang", "fr")
    from_locale = _bptutor(with_french, "run", str(SCENARIO), LANG="fr_FR.UTF-8")
    for run in (asked, from_locale):
        assert run.returncode == 0, run.stderr
        assert "Propagation avant" in run.stdout and "Rétropropagation (error term" in run.stdout
        assert "Forward pass" not in run.stdout


def test_a_new_language_gets_its_properties_in_handouts(with_french):
    script = (
        f"import bptutor; solution = bptutor.solve({str(SCENARIO)!r}); html = solution.to_html(lang='fr'); "
        "print(html.count('lang=\"fr\"'), 'Propagation avant' in html)"
    )
    env = {**os.environ, "PYTHONPATH": str(with_french)}
    completed = subprocess.run([sys.executable, "-c", script], cwd=with_french, env=env, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["2", "True"]  # the page and its figure
