"""`explain` computes with sympy from the graph; the tracer computes in float64. They must agree."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bptutor.core.graph import Kind, build
from bptutor.core.scenario import ACTIVATIONS, LOSSES, Layer, LearningRate, Neuron, Scenario
from bptutor.core.trace import run
from bptutor.derive.explain import explain
from bptutor.errors import UsageError
from bptutor.render.explain import explanation_lines
from bptutor.render.style import Style

CLOSE = {"rel": 1e-12, "abs": 1e-15}


def _every_quantity(scenario: Scenario) -> list[str]:
    graph = build(scenario)
    kinds = (Kind.PARAMETER, Kind.PRE_ACTIVATION, Kind.ACTIVATION)
    return [q.name for q in graph.quantities if q.kind in kinds]


@pytest.mark.parametrize("fixture", ["two_two_two", "one_one_one"])
def test_explain_agrees_with_tracer_on_every_quantity(fixture, request):
    scenario = request.getfixturevalue(fixture)
    step = run(scenario).first
    for name in _every_quantity(scenario):
        explanation = explain(scenario, name)
        assert float(explanation.gradient) == pytest.approx(step.gradient(name), **CLOSE), name
        if explanation.kind is Kind.PARAMETER:
            assert float(explanation.new_value) == pytest.approx(step.new_parameters[name], **CLOSE)
            assert sum(float(t.value) for t in explanation.delta_terms) == pytest.approx(step.gradient(name), **CLOSE)
        if explanation.definition is not None:
            assert float(explanation.definition.value) == pytest.approx(step.value(name), **CLOSE)
        for path in explanation.paths:  # each path is a product of the listed factors
            assert len(path.edges) >= 1


def _mixed_network(activation: str, loss: str) -> Scenario:
    """A 2-3-2 network with a bias shared by the hidden layer, for each activation and loss."""
    return Scenario(
        name=f"{activation}_{loss}",
        inputs=(("x1", 0.7), ("x2", -1.3)),
        targets=(("y1", 0.25), ("y2", -0.4)),
        layers=(
            Layer("hidden", activation, tuple(
                Neuron(f"h{k}", (("x1", f"u{k}1"), ("x2", f"u{k}2")), "c") for k in (1, 2, 3)
            ), slope=0.05),
            Layer("out", "tanh", (
                Neuron("y1", (("h1", "v11"), ("h2", "v12"), ("h3", "v13")), "d1"),
                Neuron("y2", (("h1", "v21"), ("h2", "v22"), ("h3", "v23")), None),
            )),
        ),
        parameters=(
            ("u11", 0.3), ("u12", -0.2), ("u21", 0.45), ("u22", 0.1), ("u31", -0.6), ("u32", -0.35),
            ("c", 0.15), ("v11", 0.5), ("v12", -0.7), ("v13", 0.2), ("v21", 0.9), ("v22", 0.05),
            ("v23", -0.4), ("d1", -0.1),
        ),
        loss=loss,
        learning_rate=LearningRate(0.3, by_layer=(("out", 0.7),), by_parameter=(("c", 0.01),)),
    )


@pytest.mark.parametrize("activation", ACTIVATIONS)  # every activation row of the table of operations
@pytest.mark.parametrize("loss", LOSSES)  # every loss a worked solution may use
def test_explain_agrees_with_tracer_on_mixed_networks(activation, loss):
    scenario = _mixed_network(activation, loss)
    step = run(scenario).first
    for name in ("c", "u11", "u32", "v13", "d1", "out_h2"):
        explanation = explain(scenario, name)
        assert float(explanation.gradient) == pytest.approx(step.gradient(name), **CLOSE), name


def test_shared_bias_sums_over_its_uses():
    scenario = _mixed_network("sigmoid", "half_sse")
    explanation = explain(scenario, "c")
    assert [t.neuron for t in explanation.delta_terms] == ["h1", "h2", "h3"]
    assert explanation.common_tail == ()  # three uses: no single chain to factor out
    assert float(explanation.rate) == 0.01  # the parameter's own rate beats the layer's and the default


def test_hidden_weight_shows_the_sum_over_both_paths(two_two_two):
    explanation = explain(two_two_two, "w1")
    assert explanation.path_count == 2
    assert explanation.common_tail == (("out_h1", "in_h1"), ("in_h1", "w1"))
    text = "\n".join(explanation_lines(explanation, Style()))
    assert "∂E_total/∂out_h1 = ∂E_total/∂out_o1·∂out_o1/∂in_o1·∂in_o1/∂out_h1 + " in text
    assert "out_h1·(1 − out_h1)" in text  # the textbook form of σ′
    assert "w1′ = w1 − η·∂E_total/∂w1 = 0.1 − 0.1 × 0.001123206695 = 0.09988767933" in text


def test_delta_names_resolve(two_two_two):
    for spelling in ("δ_h1", "delta_h1"):
        explanation = explain(two_two_two, spelling)
        assert explanation.target == "in_h1"


def test_unknown_names_suggest_close_ones(two_two_two):
    with pytest.raises(UsageError, match="Did you mean w5"):
        explain(two_two_two, "w55")
    with pytest.raises(UsageError, match="given in the scenario"):
        explain(two_two_two, "i1")


def test_frozen_parameter_keeps_its_value(two_two_two):
    explanation = explain(replace(two_two_two, frozen=("w5",)), "w5")
    assert explanation.frozen and float(explanation.new_value) == 0.5
    assert "w5 is frozen" in "\n".join(explanation_lines(explanation, Style()))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_sample_suffix_on_one_example_says_to_drop_it(two_two_two, lang):
    """w5[2] names sample 2 of a batch; on a scenario of one example the refusal says to write w5."""
    with pytest.raises(UsageError) as raised:
        explain(two_two_two, "w5[2]")
    text = raised.value.render(lang)
    assert ("write w5." if lang == "en" else "请写 w5。") in text
    with pytest.raises(UsageError) as raised:
        explain(two_two_two, "w55")
    assert "w5." not in raised.value.render("en").split("Parameters")[0]
