"""LaTeX handouts that always compile: any Unicode in titles, names and notation, every TeX special escaped,
Chinese anywhere switching the document to ctex (xelatex) whatever the handout's language."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bptutor.core.trace import run
from bptutor.handout import texchars
from bptutor.handout.document import build_handout
from bptutor.handout.formats import to_latex
from bptutor.loading.scenario import scenario_from_data

ROOT = Path(__file__).resolve().parent.parent
SPECIALS = "% $ & \\ # _ { } ^ ~"
NOTATION = {"pre_activation": "net%{n}", "activation": "o$&{n}", "loss": "E\\#", "target": "t^~{n}", "delta": "δ_{n}"}


def _hostile(title: str):
    data = yaml.safe_load((ROOT / "scenarios" / "two_two_two.yaml").read_text(encoding="utf-8"))
    return scenario_from_data({**data, "title": title, "notation": NOTATION})


@pytest.mark.parametrize(
    ("character", "spelled"),
    [("%", "\\%"), ("$", "\\$"), ("&", "\\&"), ("#", "\\#"), ("_", "\\_"), ("{", "\\{"), ("}", "\\}"),
     ("\\", "\\textbackslash{}"), ("^", "\\textasciicircum{}"), ("~", "\\textasciitilde{}"),
     ("≥", "$\\ge$"), ("✓", "\\checkmark{}"), ("é", "\\'e"), ("中", "中"), ("\n", " "), ("😀", "[U+1F600]")],
)
def test_text_spells_every_character_for_tex(character, spelled):
    assert texchars.text(character) == spelled


def test_a_word_in_math_is_upright_and_escaped():
    assert texchars.math_word("total") == "\\mathrm{total}"
    assert texchars.math_word("net%") == "\\textup{net\\%}"
    assert texchars.math_word("中") == "\\textup{中}"


def test_chinese_anywhere_makes_the_document_a_ctex_one():
    english = to_latex(build_handout(run(_hostile("A network")), "en"))
    assert "ctex" not in english and "pdflatex" in english.splitlines()[0]
    mixed = to_latex(build_handout(run(_hostile("网络 ≥ 1")), "en"))
    assert "\\usepackage[UTF8,scheme=plain]{ctex}" in mixed and "xelatex" in mixed.splitlines()[0]


def _compile(folder: Path, engine: str, source: str) -> str:
    if shutil.which(engine) is None or shutil.which("pdftotext") is None:
        pytest.skip(f"{engine} or pdftotext is not installed (tools/system-packages installs them)")
    (folder / "hostile.tex").write_text(source, encoding="utf-8")
    result = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "hostile.tex"],
        cwd=folder, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Missing character" not in (folder / "hostile.log").read_text(encoding="utf-8", errors="replace")
    return subprocess.run(["pdftotext", "hostile.pdf", "-"], cwd=folder, capture_output=True, text=True).stdout


@pytest.mark.external
@pytest.mark.slow
@pytest.mark.parametrize(
    ("engine", "lang", "title"),
    [
        ("pdflatex", "en", f"≥ ✓ {SPECIALS} é"),
        ("xelatex", "en", f"≥ ✓ {SPECIALS} é"),
        ("xelatex", "en", f"中文 ≥ ✓ {SPECIALS}"),
        ("xelatex", "zh", f"中文 ≥ ✓ {SPECIALS}"),
    ],
)
def test_hostile_titles_and_notation_compile(tmp_path, engine, lang, title):
    """Every special character of TeX in the title and in the notation's templates, and characters outside
    any fixed list: the document compiles, nothing is dropped ('Missing character'), the title reads back."""
    text = _compile(tmp_path, engine, to_latex(build_handout(run(_hostile(title)), lang)))
    first_line = text.splitlines()[0]
    for word in ["≥", "✓", "%", "$", "&", "\\", "#", "{", "}"]:
        assert word in first_line, (word, first_line)
    if "中文" in title:
        assert "中文" in first_line
    assert "net%" in text.replace(" ", "") and "E\\#" in text
