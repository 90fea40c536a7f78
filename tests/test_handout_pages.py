"""The printed handout page by page: how many pages, and no heading or table header left alone at a page's foot.

Chromium prints the HTML (the PDF format), pdflatex the LaTeX; pdftotext reads each page back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.core.trace import run
from bptutor.handout.document import Heading, Table, build_handout
from bptutor.handout.formats import to_latex
from bptutor.loading.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\d\.\d")


def _need(program: str) -> None:
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed (tools/system-packages installs it)")


def _chromium() -> None:
    from bptutor.handout.browser import find_chromium

    _need("pdftotext")
    if find_chromium() is None:
        pytest.skip("Chromium is not installed (tools/system-packages installs it)")


def pages(pdf: Path) -> list[list[str]]:
    """Each page's non-empty lines, spaces collapsed, without a page number at the foot."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    result = []
    for page in range(1, count + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        if lines and lines[-1].isdigit():  # LaTeX's page number
            lines.pop()
        result.append(lines)
    return result


def _words(handout) -> tuple[set[str], list[list[str]]]:
    """The headings' texts, and each table header's cells that are plain words."""
    headings = {block.text for block in handout.blocks if isinstance(block, Heading)}
    headers = []
    for block in handout.blocks:
        if isinstance(block, Table) and block.header:
            headers.append([cell[0] for cell in block.header if len(cell) == 1 and isinstance(cell[0], str)])
    return headings, headers


def lonely(page_lines: list[list[str]], handout) -> list[str]:
    """Every page foot that is a heading, an introduction (a line ending with a colon), or a table header with
    no row of numbers after it on that page."""
    headings, headers = _words(handout)
    found = []
    for number, lines in enumerate(page_lines[:-1], start=1):
        if lines and lines[-1] in headings:
            found.append(f"page {number} ends with the heading {lines[-1]!r}")
        if lines and lines[-1].endswith((":", "：")):
            found.append(f"page {number} ends with the introduction {lines[-1]!r}")
        for index, line in enumerate(lines):
            for header in headers:
                rows_after = any(NUMBER.search(rest) for rest in lines[index + 1 :])
                if header and all(cell in line for cell in header) and not rows_after:
                    found.append(f"page {number} ends with the table header {line!r}")
    return found


CASES = {
    "two_two_two standard en": ("two_two_two", "en", "standard", 3),
    "two_two_two standard zh": ("two_two_two", "zh", "standard", 3),
    "two_two_two full en": ("two_two_two", "en", "full", None),
    "textbook_3_2_1 full en": ("tests/data/textbook_3_2_1", "en", "full", None),
    "textbook_3_2_1 standard zh": ("tests/data/textbook_3_2_1", "zh", "standard", None),
}


def _scenario_path(name: str) -> Path:
    return ROOT / (f"{name}.yaml" if "/" in name else f"scenarios/{name}.yaml")


@pytest.mark.external
@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_pdf_leaves_no_heading_or_table_header_alone(tmp_path, case):
    _chromium()
    name, lang, detail, most = CASES[case]
    path = _scenario_path(name)
    target = tmp_path / "solution.pdf"
    result = CliRunner().invoke(
        app, ["solve", str(path), "--format", "pdf", "-o", str(target), "--lang", lang, "--detail", detail]
    )
    assert result.exit_code == 0, result.output
    printed = pages(target)
    if most is not None:
        assert len(printed) <= most, f"{len(printed)} pages"
    handout = build_handout(run(load_scenario(path)), lang, detail=detail)
    assert lonely(printed, handout) == []


@pytest.mark.external
@pytest.mark.slow
@pytest.mark.parametrize("detail", ["standard", "full"])
@pytest.mark.parametrize("name", ["two_two_two", "tests/data/textbook_3_2_1"])
def test_the_latex_leaves_no_heading_or_table_header_alone(tmp_path, detail, name):
    _need("pdflatex")
    _need("pdftotext")
    path = _scenario_path(name)
    handout = build_handout(run(load_scenario(path)), "en", detail=detail)
    (tmp_path / "solution.tex").write_text(to_latex(handout), encoding="utf-8")
    for _ in range(2):  # longtable settles its column widths on the second run
        compiled = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "solution.tex"],
            cwd=tmp_path, capture_output=True, text=True, timeout=600,
        )
        assert compiled.returncode == 0, compiled.stdout[-3000:]
    assert lonely(pages(tmp_path / "solution.pdf"), handout) == []


def test_the_check_finds_a_heading_or_a_header_row_at_a_page_foot(two_two_two):
    """The check itself, on pages made up to fail it: a heading last on a page, a header row with no rows after it."""
    handout = build_handout(run(two_two_two), "en")
    assert lonely([["0.1 0.2", "Backward pass"], ["δ"]], handout) == ["page 1 ends with the heading 'Backward pass'"]
    header = "parameter old value ∂E new value"
    assert lonely([["Summary", header, "∂p"], ["w1 0.1 0.0011 0.0998"]], handout) == [
        f"page 1 ends with the table header {header!r}"
    ]
    assert lonely([["Summary", header, "w1 0.1 0.0011 0.0998"], ["w2 0.2"]], handout) == []
