"""Golden handouts: `bptutor solve` in Markdown and LaTeX, byte for byte, for both built-in networks.

After an intended change, run `pytest tests/test_handout_golden.py --update-golden`
and review the diff of tests/golden/handouts/ like any other change.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app

GOLDEN = Path(__file__).resolve().parent / "golden" / "handouts"

CASES = {
    "two_two_two.md": ["solve", "two_two_two", "--format", "md"],
    "two_two_two.tex": ["solve", "two_two_two", "--format", "tex"],
    "two_two_two.zh.md": ["solve", "two_two_two", "--format", "md", "--lang", "zh"],
    "two_two_two.zh.tex": ["solve", "two_two_two", "--format", "tex", "--lang", "zh"],
    "one_one_one.md": ["solve", "one_one_one", "--format", "md"],
    "one_one_one.tex": ["solve", "one_one_one", "--format", "tex"],
    "one_one_one_rounded.answers.md": ["solve", "one_one_one_rounded", "--answers-only"],
    "one_one_one.worksheet.tex": ["solve", "one_one_one", "--format", "tex", "--worksheet"],
    "one_one_one.steps.md": ["solve", "one_one_one", "--steps", "3", "--digits", "6"],
    "two_two_two.full.md": ["solve", "two_two_two", "--format", "md", "--detail", "full"],
    "two_two_two.brief.tex": ["solve", "two_two_two", "--format", "tex", "--detail", "brief"],
    "two_two_two.derive.md": ["solve", "two_two_two", "--format", "md", "--derive", "w8,b1"],
    "softmax_two_layer.md": ["solve", "softmax_two_layer", "--format", "md"],
    "softmax_two_layer.jacobian.tex": ["solve", "softmax_two_layer", "--format", "tex", "--jacobian"],
    "two_two_two.matrix.md": ["solve", "two_two_two", "--format", "md", "--form", "matrix"],
    "two_two_two.matrix.zh.tex": ["solve", "two_two_two", "--format", "tex", "--form", "matrix", "--lang", "zh"],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_handout(case, request):
    result = CliRunner().invoke(app, CASES[case])
    assert result.exit_code == 0, result.output
    path = GOLDEN / case
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.output, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest with --update-golden and review it"
    assert result.output == path.read_text(encoding="utf-8")
