"""The terminal writes a negative number with a true minus (U+2212), `-` under --ascii, and
brackets a substituted negative exactly once wherever a sign or product needs it."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app

ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
COMMANDS = [["run", "two_two_two"], ["run", "xor", "--digits", "6"], ["explain", "w1"], ["graph", "one_one_one"],
            ["explain", "w_2_3_1", "-s", "tests/data/compact_3_5_4_2.yaml"]]
HYPHEN_SIGN = re.compile(r"(?<![\w.)\]e])-\d")  # a hyphen used as the sign of a number (not in 1e-08)


def output(arguments: list[str]) -> str:
    result = CliRunner().invoke(app, arguments, env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("arguments", COMMANDS, ids=" ".join)
def test_negative_numbers_have_a_true_minus_and_brackets_once(arguments: list[str]) -> None:
    text = output(arguments)
    assert "\u2212" in text
    assert not HYPHEN_SIGN.search(text), HYPHEN_SIGN.search(text)
    assert not re.search(r"\(\(\u2212\d", text)  # σ((−5.9)): bracketed twice
    assert not re.search(r"[×+·] \u2212\d", text)  # × −0.6: a factor or term that needs brackets


@pytest.mark.parametrize("arguments", COMMANDS, ids=" ".join)
def test_ascii_keeps_the_hyphen(arguments: list[str]) -> None:
    text = output([*arguments, "--ascii"])
    assert "\u2212" not in text and re.search(r"\(-\d", text)


def test_the_example_reads_as_the_notes_write_it() -> None:
    """δ_o2 = (−0.1509519717) × 0.1350464345 = −0.02038552555 (BP notes, 2-2-2)."""
    assert "(\u22120.1509519717) × 0.1350464345" in output(["run", "two_two_two"])
    assert "\u22120.02038552555" in output(["run", "two_two_two"])
