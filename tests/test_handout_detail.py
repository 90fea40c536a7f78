"""How much a handout derives: --detail full|standard|brief and --derive NAMES, on the command and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import bptutor
from bptutor.cli.app import app
from bptutor.core.trace import run
from bptutor.errors import UsageError
from bptutor.handout.document import Display, Table, build_handout
from bptutor.loading.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
PARAMETERS = ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "b1", "b2", "b3", "b4"]


@pytest.fixture(scope="module")
def traced():
    return run(load_scenario(ROOT / "scenarios" / "two_two_two.yaml"))


def _derived(handout) -> list[str]:
    """The parameters whose gradient is a displayed derivation (∂E/∂p written out), in order."""
    return [block.about[1:] for block in handout.blocks if isinstance(block, Display) and block.about[1:] in PARAMETERS]


def _updated(handout) -> list[str]:
    return [block.about[:-1] for block in handout.blocks if isinstance(block, Display) and block.about.endswith("′")]


def test_standard_derives_one_parameter_of_each_layer_as_the_notes_do(traced):
    """The notes derive w5 (output layer) and w1 (hidden layer) in full and say the others are similar."""
    handout = build_handout(traced, "en")
    assert _derived(handout) == ["w5", "w1"]
    assert _updated(handout) == ["w1", "w5"]


def test_the_others_are_in_tables_with_the_same_formula(traced):
    handout = build_handout(traced, "en")
    tables = [block for block in handout.blocks if isinstance(block, Table)]
    backward = [table for table in tables if len(table.header) == 4 and table.header[2] == ("by",)]
    rows = {str(row[0][0]): row for table in backward for row in table.rows}
    named = [name for name in PARAMETERS if any(f"wrt='{name}'" in key for key in rows)]
    assert sorted(named) == sorted(set(PARAMETERS) - {"w5", "w1"})
    w6 = next(row for key, row in rows.items() if "wrt='w6'" in key)
    # ∂E/∂w6 = δ_o1 · out_h2 by (BP4), the formula w5's derivation shows for w5 with out_h1
    assert "δ_o1" in str(w6[1][0]) and "out_h2" in str(w6[1][0]) and w6[2] == ("(BP4)",)
    b3 = next(row for key, row in rows.items() if "wrt='b3'" in key)
    assert b3[2] == ("(BP3)",)


def test_full_derives_every_parameter_and_brief_none(traced):
    assert sorted(_derived(build_handout(traced, "en", detail="full"))) == sorted(PARAMETERS)
    brief = build_handout(traced, "en", detail="brief")
    assert _derived(brief) == [] and _updated(brief) == []
    assert any(isinstance(block, Display) and block.tag == "(BP4)" for block in brief.blocks)


def test_derive_names_the_derived_parameters(traced):
    handout = build_handout(traced, "en", derive=["w8", "b2"])
    assert _derived(handout) == ["w8", "b2"]
    assert _derived(build_handout(traced, "en", detail="brief", derive=["w3"])) == ["w3"]


def test_an_unknown_name_is_a_usage_error_that_suggests_one(traced):
    with pytest.raises(UsageError) as caught:
        build_handout(traced, "en", derive=["w9"])
    assert "w9" in str(caught.value)
    with pytest.raises(UsageError) as close:
        build_handout(traced, "en", derive=["W5"])
    assert "did you mean 'w5'" in str(close.value)
    with pytest.raises(UsageError):
        build_handout(traced, "en", detail="everything")


def test_the_command_takes_detail_and_derive():
    runner = CliRunner()
    full = runner.invoke(app, ["solve", "two_two_two", "--detail", "full"])
    standard = runner.invoke(app, ["solve", "two_two_two"])
    brief = runner.invoke(app, ["solve", "two_two_two", "--detail", "brief"])
    assert full.exit_code == standard.exit_code == brief.exit_code == 0
    assert len(brief.output) < len(standard.output) < len(full.output)
    chosen = runner.invoke(app, ["solve", "two_two_two", "--derive", "w6, w2"])
    assert chosen.exit_code == 0 and "\\partial w_{6}} &=" in chosen.output
    unknown = runner.invoke(app, ["solve", "two_two_two", "--derive", "w5,w55"])
    assert unknown.exit_code == 2 and "w55" in unknown.output and "did you mean 'w5'" in unknown.output
    bad = runner.invoke(app, ["solve", "two_two_two", "--detail", "all"])
    assert bad.exit_code == 2


def test_the_api_takes_detail_and_derive():
    solution = bptutor.solve("two_two_two")
    assert len(solution.to_html(detail="brief")) < len(solution.to_html()) < len(solution.to_html(detail="full"))
    assert "w_{6}" in solution.to_latex(derive=["w6"])
    assert solution.to_markdown(detail="full") == solution.to_markdown(derive=PARAMETERS)
    with pytest.raises(UsageError):
        solution.to_markdown(derive=["nope"])
