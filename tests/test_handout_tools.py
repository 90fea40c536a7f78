"""The handouts in the real tools: LaTeX compiled by TeX, HTML laid out by Chromium, PDF read by pdftotext.

Each test needs a program from the system (installed by tools/system-packages);
where one is missing the test is skipped and says which.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.core.trace import run
from bptutor.handout.document import build_handout
from bptutor.handout.formats import to_html, to_latex
from bptutor.loading.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.external


def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.skip(f"{program} is not installed (tools/system-packages installs it)")
    return found


def _pdf_text(pdf: Path) -> str:
    _need("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout


def _handout(name: str, lang: str, variant: str = "full"):
    return build_handout(run(load_scenario(ROOT / "scenarios" / f"{name}.yaml")), lang, variant)


@pytest.mark.parametrize(
    ("lang", "engine", "words"),
    [("en", "pdflatex", ["Forward pass", "Backward pass", "0.6456563062"]), ("zh", "xelatex", ["正向传播", "反向传播"])],
)
def test_latex_handout_compiles(tmp_path, lang, engine, words):
    """pdflatex compiles the English handout and xelatex (ctex) the Chinese one, with no error."""
    program = _need(engine)
    source = tmp_path / "solution.tex"
    source.write_text(to_latex(_handout("two_two_two", lang)), encoding="utf-8")
    result = subprocess.run(
        [program, "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    text = _pdf_text(tmp_path / "solution.pdf")
    for word in words:
        assert word in text


def test_worksheet_compiles(tmp_path):
    program = _need("pdflatex")
    source = tmp_path / "worksheet.tex"
    source.write_text(to_latex(_handout("two_two_two", "en", "worksheet")), encoding="utf-8")
    result = subprocess.run([program, "-interaction=nonstopmode", "-halt-on-error", source.name],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0.6456563062" not in _pdf_text(tmp_path / "worksheet.pdf")


@pytest.mark.parametrize(("lang", "words"), [("en", ["Forward pass", "Summary"]), ("zh", ["正向传播", "汇总"])])
def test_pdf_handout_has_the_page_text(tmp_path, lang, words):
    """`bptutor solve --format pdf` prints the HTML handout through Chromium into a real PDF."""
    _need("pdftotext")
    from bptutor.handout.browser import find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium is not installed (tools/system-packages installs it)")
    target = tmp_path / "solution.pdf"
    result = CliRunner().invoke(app, ["solve", "two_two_two", "--format", "pdf", "-o", str(target), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")
    text = _pdf_text(target)
    for word in [*words, "0.4590883425", "0.3226124393"]:
        assert word in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_handout_renders_its_math_in_chromium(tmp_path, lang, chromium_page):
    """Every <math> element is laid out with a size, and no TeX source shows on the page."""
    page_file = tmp_path / f"solution-{lang}.html"
    page_file.write_text(to_html(_handout("two_two_two", lang)), encoding="utf-8")
    page = chromium_page(page_file)
    boxes = page.math_boxes()
    assert len(boxes) > 40
    assert all(width > 0 and height > 0 for width, height in boxes), boxes
    text = page.visible_text()
    assert "$" not in text and "\\frac" not in text and "\\cdot" not in text
    # a fraction is stacked: its numerator sits above its denominator
    stacked = page.run(
        "const f = document.querySelector('mfrac'); const [a, b] = f.children;"
        "return a.getBoundingClientRect().bottom <= b.getBoundingClientRect().top + 1;"
    )
    assert stacked is True
    shot = tmp_path / f"solution-{lang}.png"
    page.screenshot(shot)
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_pdf_without_output_goes_to_the_scenarios_name(tmp_path, monkeypatch):
    """`solve --format pdf` with no -o writes SCENARIO.pdf in the current folder and says so."""
    from bptutor.handout.browser import find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium is not installed (tools/system-packages installs it)")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["solve", "one_one_one", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "one_one_one.pdf").read_bytes().startswith(b"%PDF-")
    assert "one_one_one.pdf" in result.output
