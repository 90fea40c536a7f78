"""`solve --form matrix`: every entry of every matrix is in the Markdown, the LaTeX and the HTML handout, the
matrices are real ones (bmatrix, mtable), the MathML is well-formed XML, and the LaTeX compiles."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from itertools import pairwise
from pathlib import Path

import pytest

from bptutor.api import load
from bptutor.core.trace import run
from bptutor.derive.matrix import matrix_form, transpose
from bptutor.handout.document import build_handout, handout_number
from bptutor.handout.formats import to_html, to_latex, to_markdown
from bptutor.handout.matrices import matrix_body


def _entries(name: str) -> set[str]:
    """Every number of the matrix form of `name`, as the handout writes it (without its sign)."""
    traced = run(load(name))
    form = matrix_form(traced)
    matrices = [form.x, form.targets]
    for layer in form.layers:
        matrices += [layer.weights, transpose(layer.weights), layer.z, layer.a, layer.delta, layer.weight_gradient]
        matrices += [tuple((b,) for b in layer.biases), tuple((g,) for g in layer.bias_gradient)]
        matrices += [m for m in (layer.slope, layer.upstream) if m is not None]
    numbers = {handout_number(value).lstrip("-") for matrix in matrices for row in matrix for value in row}
    numbers |= {handout_number(update.new).lstrip("-") for update in traced.first.updates}
    return numbers


@pytest.mark.parametrize("name", ["two_two_two", "one_one_one"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_entry_in_every_format(name: str, lang: str) -> None:
    handout = build_handout(run(load(name)), lang, body=matrix_body)
    markdown, latex, html = to_markdown(handout), to_latex(handout), to_html(handout)
    assert "\\begin{bmatrix}" in markdown and "\\begin{bmatrix}" in latex and "<mtable" in html
    layers = len(load(name).layers)
    # each equation once in symbols, then BP1 for the output layer, BP2 for each layer below, BP3 and BP4 for each
    counts = {"(BP1)": 2, "(BP2)": layers, "(BP3)": layers + 1, "(BP4)": layers + 1}
    for tag, count in counts.items():
        assert latex.count(f"\\tag*{{{tag}}}") == count, tag
        assert html.count(f'<span class="tag">{tag}</span>') == count, tag
    assert "\\odot" in latex
    for number in _entries(name):
        mantissa = number.split("e")[0]  # 5.7e-06 is typeset 5.7 × 10⁻⁶
        assert mantissa in markdown and mantissa in latex and mantissa in html, number


def test_the_mathml_is_well_formed() -> None:
    html = to_html(build_handout(run(load("two_two_two")), "en", body=matrix_body))
    for math in re.findall(r"<math\b.*?</math>", html, flags=re.S):
        ElementTree.fromstring(math)
    assert html.count("<mtable") >= 20


def test_scalar_handout_is_unchanged_without_a_body() -> None:
    traced = run(load("two_two_two"))
    assert to_markdown(build_handout(traced, "en")) == to_markdown(build_handout(traced, "en", body=None))
    assert "bmatrix" not in to_markdown(build_handout(traced, "en"))


@pytest.mark.external
@pytest.mark.slow
@pytest.mark.parametrize(("engine", "lang"), [("pdflatex", "en"), ("xelatex", "zh")])
def test_the_matrix_handout_compiles(tmp_path: Path, engine: str, lang: str) -> None:
    if shutil.which(engine) is None or shutil.which("pdftotext") is None:
        pytest.skip(f"{engine} or pdftotext is not installed (tools/system-packages installs them)")
    source = to_latex(build_handout(run(load("two_two_two")), lang, body=matrix_body))
    (tmp_path / "matrix.tex").write_text(source, encoding="utf-8")
    result = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "matrix.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    text = subprocess.run(["pdftotext", "matrix.pdf", "-"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert "0.08182331502" in text and "0.01337430465" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_html_matrices_are_laid_out_as_grids_in_chromium(tmp_path: Path, lang: str, chromium_page) -> None:
    """Every <math> has a size, and every mtable of two rows or more has its rows one above the other and, in
    each row, its entries side by side: a matrix, not a line of numbers."""
    page_file = tmp_path / f"matrix-{lang}.html"
    page_file.write_text(to_html(build_handout(run(load("two_two_two")), lang, body=matrix_body)), encoding="utf-8")
    page = chromium_page(page_file)
    boxes = page.math_boxes()
    assert all(width > 0 and height > 0 for width, height in boxes), boxes
    grids = page.run(
        "return [...document.querySelectorAll('mtable[columnalign=\"right\"]')].map(t => [...t.children].map("
        "r => [...r.children].map(c => { const b = c.getBoundingClientRect(); return [b.left, b.top, b.bottom]; })));"
    )
    assert len(grids) > 30
    for rows in grids:
        for upper, lower in pairwise(rows):
            assert upper[0][2] <= lower[0][1] + 1  # rows stacked
        for row in rows:
            for left, right in pairwise(row):
                assert left[0] < right[0]  # entries side by side
    assert "\\begin" not in page.visible_text()


def test_a_batch_handout_in_the_matrix_form() -> None:
    """xor's batch: the samples listed in the problem, A^(0) with the four samples as columns, the 1/m, and Adam's
    new values without a gradient-descent rule (the optimizer is named instead)."""
    traced = run(load("xor"))
    markdown = to_markdown(build_handout(traced, "en", digits=6, body=matrix_body))
    assert "A^{(0)} = \\begin{bmatrix} 0 & 0 & 1 & 1 \\\\ 0 & 1 & 0 & 1 \\end{bmatrix}" in markdown
    assert "\\frac{1}{4}" in markdown and "\\frac{1}{m}" in markdown
    assert "The optimizer is adam" in markdown and "\\eta \\cdot" not in markdown.split("### Updates")[1]
    form = matrix_form(traced)
    for value in (value for row in form.layers[0].weight_gradient for value in row):
        assert handout_number(value, 6).lstrip("-") in markdown
