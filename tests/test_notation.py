"""Every notation preset names every quantity, and the names carry through run and explain."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bptutor.core.scenario import NOTATION_PRESETS
from bptutor.core.trace import run
from bptutor.derive.explain import explain
from bptutor.render.explain import explanation_lines
from bptutor.render.style import Style

EXPECTED = {  # preset: (pre-activation, activation, loss, target, error term) of neuron o1
    "in_out": ("in_o1", "out_o1", "E_total", "target_o1", "δ_o1"),
    "net_out": ("net_o1", "out_o1", "E_total", "target_o1", "δ_o1"),
    "z_a": ("z_o1", "a_o1", "C", "y_o1", "δ_o1"),
    "z_y": ("z_o1", "y_o1", "Loss", "t_o1", "δ_o1"),
    "io": ("I_o1", "O_o1", "E", "T_o1", "Err_o1"),
}


def test_every_preset_is_listed():
    assert set(NOTATION_PRESETS) == set(EXPECTED)


@pytest.mark.parametrize("preset", sorted(EXPECTED))
def test_preset_names_carry_through(two_two_two, preset):
    notation = NOTATION_PRESETS[preset]
    pre, act, loss, target, error = EXPECTED[preset]
    assert (notation.pre("o1"), notation.act("o1"), notation.loss, notation.tgt("o1"), notation.dlt("o1")) == EXPECTED[preset]
    scenario = replace(two_two_two, notation=notation)
    step = run(scenario).first
    assert step.value(act) == run(two_two_two).first.value("out_o1")
    text = "\n".join(explanation_lines(explain(scenario, "w5"), Style()))
    assert f"∂{loss}/∂w5 = ∂{loss}/∂{act}·∂{act}/∂{pre}·∂{pre}/∂w5" in text
    assert f"{error} = ∂{loss}/∂{pre}" in text
    assert target in text
