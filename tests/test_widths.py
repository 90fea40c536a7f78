"""Any terminal from 60 columns up: golden files at 60, 80 and 100 columns, and no number ever broken.

Below the width a table needs, its rows are stacked (`bptutor.render.fit`);
derivation lines break before an `=` or between words. The 120-column goldens
are in test_golden.py. After an intended change of output, run
`pytest tests/test_widths.py --update-golden` and review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from bptutor.cli.app import app

GOLDEN = Path(__file__).resolve().parent / "golden" / "widths"
ROOT = GOLDEN.parent.parent.parent
PUBLISHED = "scenarios/answers/two_two_two_published.yaml"

CASES = {
    "run_two_two_two": ["run", "two_two_two"],
    "run_two_two_two_zh": ["run", "two_two_two", "--lang", "zh"],
    "explain_w1": ["explain", "w1"],
    "explain_w1_zh": ["explain", "w1", "--lang", "zh"],
    "check_published": ["check", "two_two_two", PUBLISHED],
    "check_published_zh": ["check", "two_two_two", PUBLISHED, "--lang", "zh"],
    "run_xor_batch": ["run", "xor", "--digits", "6"],
    "train_xor": ["train", "xor", "--digits", "6", "--epochs", "50"],
    "run_softmax_two_layer": ["run", "softmax_two_layer"],
    "explain_w5_softmax": ["explain", "w5", "-s", "softmax_two_layer"],
    "explain_w5_softmax_jacobian": ["explain", "w5", "-s", "softmax_two_layer", "--jacobian"],
    "run_matrix_two_two_two": ["run", "two_two_two", "--form", "matrix"],
    "run_matrix_two_two_two_zh": ["run", "two_two_two", "--form", "matrix", "--lang", "zh"],
    "run_matrix_xor": ["run", "xor", "--form", "matrix", "--digits", "6"],
    "explain_matrix_dW1": ["explain", "dW^(1)"],
    "explain_matrix_delta2_zh": ["explain", "delta^(2)", "--lang", "zh"],
}
WIDTHS = (60, 80, 100)
# A number as printed: sign, digits, decimals, exponent. A number cut by a line break
# would show up as two other numbers, so the set of numbers printed must not change
# (stacked rows repeat their column headers, so counts may).
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def render(arguments: list[str], width: int) -> tuple[int, str]:
    environment = {"COLUMNS": str(width), "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
    result = CliRunner().invoke(app, arguments, env=environment)
    return result.exit_code, result.output


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_at_width(
    case: str, width: int, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, output = render(CASES[case], width)
    assert code == (1 if case.startswith("check") else 0), output
    path = GOLDEN / f"{case}_{width}.txt"
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest with --update-golden and review it"
    assert output == path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_no_line_too_wide_and_no_number_broken(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """At every width from 60 to 120 each line fits, and the numbers printed are exactly those at 120."""
    monkeypatch.chdir(ROOT)
    _, wide = render(CASES[case], 120)
    for width in range(60, 121, 4):
        _, output = render(CASES[case], width)
        too_wide = [line for line in output.splitlines() if cell_len(line) > width]
        assert not too_wide, f"{width} columns: {too_wide[:3]}"
        assert numbers(output) == numbers(wide), f"{width} columns: a number was broken or lost"


def test_main_table_is_short_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 2-2-2 worked example at 80 columns: stacked rows, not cells wrapped over many lines."""
    monkeypatch.chdir(ROOT)
    _, wide = render(["run", "two_two_two"], 120)
    _, narrow = render(["run", "two_two_two"], 80)
    assert len(narrow.splitlines()) <= 1.4 * len(wide.splitlines())
    assert "δ_o1 = ∂E_total/∂in_o1 = ∂E_total/∂out_o1·∂out_o1/∂in_o1" in narrow
    assert "     = 0.7889476414 × 0.1606303077 = 0.1267289024" in narrow


def test_the_readme_shows_the_80_column_view_as_it_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### At 80 columns", 1)[1]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0]
    assert shown.startswith("Backward pass") and shown in (GOLDEN / "run_two_two_two_80.txt").read_text(encoding="utf-8")
