"""Tests of bptutor.loading.scenario: the valid example, every kind of refusal (with its exact
position and field), hostile YAML, files, the Python-data entry point, and a fuzz test."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bptutor.core.scenario import (
    DEFAULT_LEAKY_SLOPE,
    NOTATION_PRESETS,
    Layer,
    LearningRate,
    Neuron,
    Notation,
)
from bptutor.errors import ScenarioError
from bptutor.loading.scenario import load_scenario, load_scenario_text, scenario_from_data
from tests.hypothesis_profiles import examples

# Line numbers used below refer to this text (line 1 is `name: ...`).
VALID = """\
name: two_two_two
title: 2-2-2 sigmoid network (BP notes, section 2.2.2)
notation: in_out              # names shown: in_h1 / out_h1 / E_total
inputs:  {i1: 0.1, i2: 0.2}
targets: {o1: 0.01, o2: 0.99}
layers:
  - name: hidden
    activation: sigmoid
    neurons:
      h1: {bias: b1, weights: {i1: w1, i2: w2}}
      h2: {bias: b2, weights: {i1: w3, i2: w4}}
  - name: output
    activation: sigmoid
    neurons:
      o1: {bias: b3, weights: {h1: w5, h2: w6}}
      o2: {bias: b4, weights: {h1: w7, h2: w8}}
parameters: {w1: 0.1, w2: 0.2, w3: 0.3, w4: 0.4, w5: 0.5, w6: 0.6, w7: 0.7, w8: 0.8,
             b1: 0.55, b2: 0.56, b3: 0.66, b4: 0.67}
loss: half_sse                # E_total = Σ ½ (target − out)²
learning_rate: {default: 0.5, hidden: 0.1}
"""

# A one-layer network, for tests that only need some valid context.
TINY = """\
name: tiny
inputs: {x: 1.0}
targets: {o: 0.5}
layers:
  - name: out
    activation: sigmoid
    neurons:
      o: {bias: b, weights: {x: w}}
parameters: {w: 0.3, b: 0.1}
loss: half_sse
learning_rate: 0.5
"""


def variant(old: str, new: str, text: str = VALID, count: int = 1) -> str:
    """`text` with `old` replaced by `new` (which must be there)."""
    assert old in text, old
    return text.replace(old, new, count)


def error_of(text: str, source: str = "s.yaml") -> ScenarioError:
    """The ScenarioError that loading `text` raises."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, source)
    return caught.value


def position(error: ScenarioError) -> tuple[int | None, int | None]:
    return error.location.line, error.location.column


# --------------------------------------------------------------------------- the valid example


def test_valid_example_loads_exactly_as_written() -> None:
    scenario = load_scenario_text(VALID, "two.yaml")
    assert scenario.name == "two_two_two"
    assert scenario.title == "2-2-2 sigmoid network (BP notes, section 2.2.2)"
    assert scenario.source == "two.yaml"
    assert scenario.notation == NOTATION_PRESETS["in_out"]
    assert scenario.inputs == (("i1", 0.1), ("i2", 0.2))
    assert scenario.targets == (("o1", 0.01), ("o2", 0.99))
    assert scenario.layers == (
        Layer(
            "hidden",
            "sigmoid",
            (Neuron("h1", (("i1", "w1"), ("i2", "w2")), "b1"), Neuron("h2", (("i1", "w3"), ("i2", "w4")), "b2")),
        ),
        Layer(
            "output",
            "sigmoid",
            (Neuron("o1", (("h1", "w5"), ("h2", "w6")), "b3"), Neuron("o2", (("h1", "w7"), ("h2", "w8")), "b4")),
        ),
    )
    assert scenario.parameters == (
        ("w1", 0.1), ("w2", 0.2), ("w3", 0.3), ("w4", 0.4), ("w5", 0.5), ("w6", 0.6), ("w7", 0.7), ("w8", 0.8),
        ("b1", 0.55), ("b2", 0.56), ("b3", 0.66), ("b4", 0.67),
    )  # fmt: skip
    assert scenario.loss == "half_sse"
    assert scenario.learning_rate == LearningRate(default=0.5, by_layer=(("hidden", 0.1),))
    assert scenario.frozen == ()
    assert all(layer.slope == DEFAULT_LEAKY_SLOPE for layer in scenario.layers)


def test_values_are_floats() -> None:
    scenario = load_scenario_text(variant("i1: 0.1", "i1: 1"), "s")
    assert scenario.inputs[0] == ("i1", 1.0)
    assert all(isinstance(value, float) for _, value in scenario.inputs + scenario.parameters + scenario.targets)


def test_targets_follow_the_output_layer_order() -> None:
    scenario = load_scenario_text(variant("{o1: 0.01, o2: 0.99}", "{o2: 0.99, o1: 0.01}"), "s")
    assert scenario.targets == (("o1", 0.01), ("o2", 0.99))


def test_optional_keys_absent_give_defaults() -> None:
    scenario = load_scenario_text(TINY, "t")
    assert scenario.title == ""
    assert scenario.notation == NOTATION_PRESETS["in_out"]
    assert scenario.frozen == ()
    assert scenario.learning_rate == LearningRate(default=0.5)


def test_yaml_boolean_words_are_just_names() -> None:
    text = VALID.replace("h1", "no").replace("h2", "off").replace("i1", "yes")
    scenario = load_scenario_text(text, "s")
    assert [neuron.name for neuron in scenario.layers[0].neurons] == ["no", "off"]
    assert scenario.inputs[0] == ("yes", 0.1)
    assert scenario.layers[1].neurons[0].weights == (("no", "w5"), ("off", "w6"))


def test_names_may_contain_primes() -> None:
    scenario = load_scenario_text(VALID.replace("h1", "h'"), "s")
    assert scenario.layers[0].neurons[0].name == "h'"


def test_bias_may_be_null_or_absent() -> None:
    text = variant("h1: {bias: b1, ", "h1: {bias: ~, ")
    text = variant("h2: {bias: b2, weights", "h2: {weights", text)
    text = variant("b1: 0.55, b2: 0.56, ", "", text)
    scenario = load_scenario_text(text, "s")
    assert [neuron.bias for neuron in scenario.layers[0].neurons] == [None, None]


def test_shared_parameter_is_allowed() -> None:
    text = variant("h2: w8}", "h2: w6}")
    text = variant(" w8: 0.8,", "", text)
    scenario = load_scenario_text(text, "s")
    assert scenario.layers[1].neurons[1].weights == (("h1", "w7"), ("h2", "w6"))
    assert "w8" not in scenario.parameter_values


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("written", "value"),
    [("1e-3", 0.001), (".5", 0.5), ("-2", -2.0), ("+3", 3.0), ("1.5E+2", 150.0), ('"0.5"', 0.5), ("1.", 1.0),
     ("1000000", 1e6), ("-1e6", -1e6)],
)  # fmt: skip
def test_numbers_are_read_from_their_text(written: str, value: float) -> None:
    scenario = load_scenario_text(variant("i1: 0.1", f"i1: {written}"), "s")
    assert scenario.inputs[0] == ("i1", value)
    assert isinstance(scenario.inputs[0][1], float)


@pytest.mark.parametrize(
    "written", ["nan", ".nan", ".NaN", ".inf", "-.inf", "inf", "1_000", "0x10", "0o7", "yes", "true", "abc", "1e",
                "'1,5'", "'1 '", "0b1", "1:30", "٣"],
)  # fmt: skip
def test_non_numbers_are_refused(written: str) -> None:
    error = error_of(variant("i1: 0.1", f"i1: {written}"))
    assert position(error) == (4, 15)
    assert error.field == "inputs.i1"
    assert "expected a number, got" in error.message


def test_null_number_is_refused() -> None:
    error = error_of(variant("i1: 0.1", "i1: ~"))
    assert position(error) == (4, 15)
    assert error.message == "expected a number, got nothing"


@pytest.mark.parametrize("written", ["1e7", "-2e6", "1000001", "1e999", "-1e400"])
def test_absurdly_large_numbers_are_refused(written: str) -> None:
    error = error_of(variant("i1: 0.1", f"i1: {written}"))
    assert position(error) == (4, 15)
    assert "absurdly large" in error.message


def test_number_given_as_a_list_is_refused() -> None:
    error = error_of(variant("o2: 0.99", "o2: [0.99]"))
    assert position(error) == (5, 25)
    assert error.field == "targets.o2"
    assert error.message == "expected a number, got a list"


# --------------------------------------------------------------------------- malformed YAML


def test_malformed_yaml_reports_yamls_position() -> None:
    error = error_of("name: x\na: b: c\n")
    assert position(error) == (2, 5)
    assert error.message == "this is not valid YAML: mapping values are not allowed here"


def test_tab_indentation_is_malformed_yaml() -> None:
    error = error_of("name: x\ninputs:\n\ti1: 1\n")
    assert position(error) == (3, 1)
    assert error.message.startswith("this is not valid YAML: found character '\\t'")


def test_unclosed_flow_mapping() -> None:
    error = error_of(variant("{i1: 0.1, i2: 0.2}", "{i1: 0.1, i2: 0.2"))
    assert error.message.startswith("this is not valid YAML")
    assert error.location.line == 5


def test_several_documents_are_refused() -> None:
    error = error_of(TINY + "---\nname: other\n")
    assert position(error) == (12, 1)
    assert "single document" in error.message


def test_control_character_in_the_text_is_refused() -> None:
    error = error_of("name: x\ntitle: a\x1b[31mred\n")
    assert position(error) == (2, 9)
    assert "U+001B" in error.message
    assert "\x1b" not in str(error)


def test_top_level_must_be_a_mapping() -> None:
    error = error_of("- name: x\n- loss: sse\n")
    assert position(error) == (1, 1)
    assert "top level" in error.message and "got a list" in error.message


def test_top_level_scalar_is_refused() -> None:
    error = error_of("just some words\n")
    assert "top level" in error.message


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_scenario_is_refused(text: str) -> None:
    error = error_of(text)
    assert "empty" in error.message


def test_non_scalar_key_is_refused() -> None:
    error = error_of("? [a, b]\n: 1\n")
    assert position(error) == (1, 3)
    assert "key" in error.message


# --------------------------------------------------------------------------- duplicate keys


def test_duplicate_key_in_a_flow_mapping() -> None:
    error = error_of(variant("w2: 0.2", "w1: 0.2"))
    assert position(error) == (17, 23)
    assert error.field == "parameters.w1"
    assert error.message == "duplicate key 'w1' (first given on line 17)"


def test_duplicate_top_level_key() -> None:
    error = error_of(VALID + "loss: sse\n")
    assert position(error) == (21, 1)
    assert error.field == "loss"
    assert error.message == "duplicate key 'loss' (first given on line 19)"


def test_duplicate_neuron_in_a_layer() -> None:
    error = error_of(variant("      o2: {bias: b4", "      o1: {bias: b4"))
    assert position(error) == (16, 7)
    assert error.field == "layers[1].neurons.o1"
    assert error.message == "duplicate key 'o1' (first given on line 15)"


def test_duplicate_key_inside_a_neuron() -> None:
    error = error_of(variant("h1: {bias: b1,", "h1: {bias: b1, bias: b2,"))
    assert position(error) == (10, 22)
    assert error.field == "layers[0].neurons.h1.bias"


# --------------------------------------------------------------------------- anchors, aliases, tags, nesting


def test_anchor_is_refused() -> None:
    error = error_of(variant("inputs:  {i1", "inputs:  &in {i1"))
    assert position(error) == (4, 10)
    assert error.message == "anchors and aliases (&name, *name) are not allowed: write each value out"


def test_alias_is_refused() -> None:
    error = error_of("name: x\nfrozen: *w\n")
    assert position(error) == (2, 9)
    assert "anchors and aliases" in error.message


def test_billion_laughs_fails_fast() -> None:
    lines = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"lol{level}: &a{level} [{refs}]")
    start = time.perf_counter()
    error = error_of("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1.0
    assert position(error) == (1, 7)
    assert "anchors and aliases" in error.message


def test_python_object_tag_is_refused_and_never_run(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args) or 0)
    error = error_of('name: !!python/object/apply:os.system ["echo hi"]\n')
    assert position(error) == (1, 7)
    assert "tags" in error.message
    error = error_of('!!python/object/apply:os.system ["echo hi"]\n')
    assert position(error) == (1, 1)
    assert calls == []


@pytest.mark.parametrize("tagged", ["!foo bar", "!!str 0.5", "!!float 0.5", "! 0.5", "!<tag:x> 1"])
def test_any_explicit_tag_is_refused(tagged: str) -> None:
    error = error_of(variant("i1: 0.1", f"i1: {tagged}"))
    assert position(error) == (4, 15)
    assert "tags" in error.message


def test_deep_nesting_is_a_scenario_error() -> None:
    error = error_of("[" * 10000 + "]" * 10000)
    assert position(error) == (1, 21)
    assert "nested too deeply" in error.message


def test_deep_block_nesting_is_a_scenario_error() -> None:
    text = "".join("  " * depth + "a:\n" for depth in range(30))
    error = error_of(text)
    assert position(error) == (20, 39)  # the key on line 20 is the 21st level
    assert "nested too deeply" in error.message


# --------------------------------------------------------------------------- keys


def test_unknown_top_level_key_with_hint() -> None:
    error = error_of(variant("learning_rate:", "lerning_rate:"))
    assert position(error) == (20, 1)
    assert error.field == "lerning_rate"
    assert "unknown key 'lerning_rate'" in error.message
    assert "did you mean 'learning_rate'?" in error.message
    assert "expected one of: name, title, notation" in error.message


def test_unknown_key_without_a_close_match_has_no_hint() -> None:
    error = error_of(VALID + "zzz: 1\n")
    assert position(error) == (21, 1)
    assert "did you mean" not in error.message


def test_unknown_layer_key() -> None:
    error = error_of(variant("    activation: sigmoid\n", "    activaton: sigmoid\n"))
    assert position(error) == (8, 5)
    assert error.field == "layers[0].activaton"
    assert "did you mean 'activation'?" in error.message


def test_unknown_neuron_key() -> None:
    error = error_of(variant("h1: {bias: b1,", "h1: {bais: b1,"))
    assert position(error) == (10, 12)
    assert error.field == "layers[0].neurons.h1.bais"
    assert "did you mean 'bias'?" in error.message
    assert "expected one of: bias, weights" in error.message


def test_missing_top_level_key_is_located_at_the_top_mapping() -> None:
    error = error_of(variant("loss: half_sse                # E_total = Σ ½ (target − out)²\n", ""))
    assert position(error) == (1, 1)
    assert error.field == "loss"
    assert error.message == "missing key 'loss'"


def test_missing_weights_is_located_at_the_neuron() -> None:
    error = error_of(variant("h1: {bias: b1, weights: {i1: w1, i2: w2}}", "h1: {bias: b1}"))
    assert position(error) == (10, 11)
    assert error.field == "layers[0].neurons.h1.weights"
    assert error.message == "missing key 'weights'"


def test_missing_layer_activation() -> None:
    error = error_of(variant("    activation: sigmoid\n", ""))
    assert position(error) == (7, 5)
    assert error.field == "layers[0].activation"


def test_empty_weights_are_refused() -> None:
    error = error_of(variant("weights: {i1: w1, i2: w2}", "weights: {}"))
    assert position(error) == (10, 31)
    assert "at least one weight" in error.message


# --------------------------------------------------------------------------- names and text


@pytest.mark.parametrize("bad", ["2x", "_x", "a-b", "'a b'", "h\u00e9", "[a]", "~"])
def test_bad_names_are_refused(bad: str) -> None:
    error = error_of(variant("name: hidden", f"name: {bad}"))
    assert position(error) == (7, 11)
    assert error.field == "layers[0].name"
    assert "expected a name made of letters, digits and _ (starting with a letter)" in error.message


def test_too_long_name_is_refused() -> None:
    error = error_of(variant("name: hidden", "name: " + "h" * 33))
    assert "too long" in error.message
    load_scenario_text(variant("name: hidden", "name: " + "h" * 32, variant("hidden: 0.1", "h" * 32 + ": 0.1")), "s")


def test_scenario_name_may_contain_dashes() -> None:
    assert load_scenario_text(variant("name: two_two_two", "name: two-two-two"), "s").name == "two-two-two"


def test_control_characters_in_title_are_refused() -> None:
    error = error_of(variant("title: 2-2-2 sigmoid network (BP notes, section 2.2.2)", 'title: "red \\e[31m"'))
    assert position(error) == (2, 8)
    assert error.field == "title"
    assert "control characters" in error.message


@pytest.mark.parametrize("escaped", ["\\n", "\\t", "\\x7f", "\\x9b", "\\u202e"])
def test_other_invisible_characters_in_title_are_refused(escaped: str) -> None:
    error = error_of(variant("title: 2-2-2 sigmoid network (BP notes, section 2.2.2)", f'title: "a{escaped}b"'))
    assert "control characters" in error.message


def test_too_long_title_is_refused() -> None:
    error = error_of(variant("title: 2-2-2", "title: " + "x" * 200))
    assert "too long" in error.message
    assert error.field == "title"


def test_messages_escape_control_characters() -> None:
    error = error_of(VALID + '"bad\\e[2Jkey": 1\n')
    assert "\x1b" not in str(error)
    assert "\\x1b" in error.message


# --------------------------------------------------------------------------- the network


def test_weight_from_outside_the_previous_layer() -> None:
    error = error_of(variant("h2: w6}", "h3: w6}"))
    assert position(error) == (15, 40)
    assert error.field == "layers[1].neurons.o1.weights.h3"
    assert "o1 takes a weight from 'h3'" in error.message
    assert "not a neuron of the previous layer 'hidden'" in error.message
    assert "h1, h2" in error.message


def test_weight_from_an_input_in_a_later_layer() -> None:
    error = error_of(variant("o1: {bias: b3, weights: {h1: w5", "o1: {bias: b3, weights: {i1: w5"))
    assert position(error) == (15, 32)
    assert "'i1'" in error.message and "previous layer 'hidden'" in error.message


def test_weight_from_a_non_input_in_the_first_layer() -> None:
    error = error_of(variant("i2: w2}", "i3: w2}"))
    assert position(error) == (10, 40)
    assert error.field == "layers[0].neurons.h1.weights.i3"
    assert "which is not an input" in error.message
    assert "i1, i2" in error.message


def test_neuron_names_are_unique_across_layers() -> None:
    text = variant("o1: {bias: b3", "h1: {bias: b3")
    error = error_of(text)
    assert position(error) == (15, 7)
    assert error.field == "layers[1].neurons.h1"
    assert "already the name of a neuron of layer 'hidden'" in error.message


def test_neuron_may_not_share_an_input_name() -> None:
    error = error_of(variant("h2: {bias: b2", "i1: {bias: b2"))
    assert position(error) == (11, 7)
    assert "already the name of an input" in error.message


def test_neuron_may_not_share_a_parameter_name() -> None:
    error = error_of(variant("h2: {bias: b2", "w1: {bias: b2"))
    assert position(error) == (11, 7)
    assert "already the name of a parameter" in error.message


def test_input_may_not_share_a_parameter_name() -> None:
    error = error_of(variant("inputs:  {i1: 0.1", "inputs:  {w1: 0.1"))
    assert position(error) == (17, 14)
    assert error.field == "parameters.w1"
    assert "both an input and a parameter" in error.message


def test_layer_names_are_unique() -> None:
    error = error_of(variant("name: output", "name: hidden"))
    assert position(error) == (12, 11)
    assert error.field == "layers[1].name"
    assert "already used by layers[0]" in error.message


def test_parameter_without_a_value() -> None:
    error = error_of(variant("h2: w8}", "h2: w9}"))
    assert position(error) == (16, 44)
    assert error.field == "layers[1].neurons.o2.weights.h2"
    assert error.message.startswith("parameter 'w9' used by neuron o2 has no value in `parameters`")


def test_unused_parameter() -> None:
    error = error_of(variant("b4: 0.67}", "b4: 0.67, w9: 0.9}"))
    assert position(error) == (18, 24 + 30)
    assert error.field == "parameters.w9"
    assert "parameter 'w9' is given a value but never used" in error.message


def test_same_parameter_twice_in_one_neuron_as_weights() -> None:
    error = error_of(variant("h2: w8}", "h2: w7}"))
    assert position(error) == (16, 44)
    assert "used twice by neuron o2" in error.message


def test_same_parameter_as_weight_and_bias_of_one_neuron() -> None:
    error = error_of(variant("o2: {bias: b4", "o2: {bias: w7"))
    assert position(error) == (16, 36)
    assert error.field == "layers[1].neurons.o2.weights.h1"
    assert "used twice by neuron o2 (its bias and the weight from h1)" in error.message


def test_unknown_activation_with_hint() -> None:
    error = error_of(variant("activation: sigmoid", "activation: sigmod"))
    assert position(error) == (8, 17)
    assert "one of sigmoid, tanh, relu, leaky_relu, linear" in error.message
    assert "did you mean 'sigmoid'?" in error.message


def test_unknown_loss() -> None:
    error = error_of(variant("loss: half_sse", "loss: half-sse"))
    assert position(error) == (19, 7)
    assert error.field == "loss"
    assert "one of half_sse, sse, mse" in error.message


def test_leaky_relu_slope() -> None:
    text = variant("    activation: sigmoid\n", "    activation: leaky_relu\n    slope: 0.2\n")
    assert load_scenario_text(text, "s").layers[0].slope == 0.2
    text = variant("activation: sigmoid", "activation: leaky_relu")
    assert load_scenario_text(text, "s").layers[0].slope == DEFAULT_LEAKY_SLOPE


def test_slope_is_refused_for_other_activations() -> None:
    error = error_of(variant("    activation: sigmoid\n", "    activation: sigmoid\n    slope: 0.2\n"))
    assert position(error) == (9, 12)
    assert error.field == "layers[0].slope"
    assert "only used by leaky_relu" in error.message


def test_targets_with_an_extra_neuron() -> None:
    error = error_of(variant("o2: 0.99", "o3: 0.99"))
    assert position(error) == (5, 21)
    assert error.field == "targets.o3"
    assert "not output neurons: o3" in error.message and "missing: o2" in error.message


def test_targets_with_a_missing_neuron() -> None:
    error = error_of(variant("{o1: 0.01, o2: 0.99}", "{o1: 0.01}"))
    assert position(error) == (5, 10)
    assert error.field == "targets"
    assert "missing target for output neuron(s) o2" in error.message


def test_targets_must_name_output_neurons_not_hidden_ones() -> None:
    error = error_of(variant("o2: 0.99", "h1: 0.99"))
    assert "not output neurons: h1" in error.message


# --------------------------------------------------------------------------- caps


def _flow(entries: list[str]) -> str:
    return "{" + ", ".join(entries) + "}"


def test_too_many_inputs() -> None:
    error = error_of(variant("inputs: {x: 1.0}", "inputs: " + _flow([f"x{i}: 1" for i in range(65)]), TINY))
    assert position(error) == (2, 9)
    assert error.message == "too many inputs: 65 (at most 64)"


def test_no_inputs() -> None:
    error = error_of(variant("inputs: {x: 1.0}", "inputs: {}", TINY))
    assert error.message == "expected at least one input, got none"


def test_too_many_parameters() -> None:
    many = "parameters: " + _flow([f"p{i}: 1" for i in range(4097)])
    error = error_of(variant("parameters: {w: 0.3, b: 0.1}", many, TINY))
    assert position(error) == (9, 13)
    assert error.message == "too many parameters: 4097 (at most 4096)"


def _with_flow_layers(layers: str) -> str:
    """A scenario whose `layers` (line 4) is the flow list `[<layers>]`."""
    head = "name: t\ninputs: {x: 1}\ntargets: {o: 0}\n"
    return head + f"layers: [{layers}]\nparameters: {{w: 1}}\nloss: sse\nlearning_rate: 1\n"


def test_too_many_layers() -> None:
    error = error_of(_with_flow_layers("{}, " * 17))
    assert position(error) == (4, 9)
    assert error.message == "too many layers: 17 (at most 16)"


def test_no_layers() -> None:
    error = error_of(_with_flow_layers(""))
    assert error.message == "expected at least one layer, got none"


def test_too_many_neurons_in_a_layer() -> None:
    neurons = _flow([f"n{i}: {{weights: {{x: w}}}}" for i in range(65)])
    error = error_of(variant("    neurons:\n      o: {bias: b, weights: {x: w}}\n", f"    neurons: {neurons}\n", TINY))
    assert position(error) == (7, 14)
    assert error.message == "too many neurons in a layer: 65 (at most 64)"


def test_sixteen_layers_and_sixty_four_neurons_are_fine() -> None:
    layers = []
    for index in range(16):
        source = "x" if index == 0 else f"n{index - 1}_0"
        neurons = {f"n{index}_{j}": {"weights": {source: "w"}} for j in range(64 if index < 15 else 1)}
        layers.append({"name": f"l{index}", "activation": "linear", "neurons": neurons})
    data = {"name": "big", "inputs": {"x": 1}, "targets": {"n15_0": 0}, "layers": layers,
            "parameters": {"w": 0.5}, "loss": "sse", "learning_rate": 0.1}  # fmt: skip
    scenario = scenario_from_data(data)
    assert len(scenario.layers) == 16
    assert len(scenario.layers[0].neurons) == 64


# --------------------------------------------------------------------------- learning rate


def test_learning_rate_number() -> None:
    scenario = load_scenario_text(variant("{default: 0.5, hidden: 0.1}", "0.25"), "s")
    assert scenario.learning_rate == LearningRate(default=0.25)


def test_learning_rate_mapping_by_layer_and_parameter() -> None:
    text = variant("{default: 0.5, hidden: 0.1}", "{w5: 0.3, default: 0.5, output: 0.2, hidden: 0.1, b1: 1e-2}")
    assert load_scenario_text(text, "s").learning_rate == LearningRate(
        default=0.5, by_layer=(("output", 0.2), ("hidden", 0.1)), by_parameter=(("w5", 0.3), ("b1", 0.01))
    )


def test_learning_rate_mapping_needs_a_default() -> None:
    error = error_of(variant("{default: 0.5, hidden: 0.1}", "{hidden: 0.1}"))
    assert position(error) == (20, 16)
    assert error.field == "learning_rate.default"
    assert "missing key 'default'" in error.message


def test_learning_rate_unknown_key_with_hint() -> None:
    error = error_of(variant("hidden: 0.1}", "hiddne: 0.1}"))
    assert position(error) == (20, 31)
    assert error.field == "learning_rate.hiddne"
    assert "neither a layer nor a parameter" in error.message
    assert "did you mean 'hidden'?" in error.message


def test_learning_rate_key_both_layer_and_parameter() -> None:
    text = variant("name: hidden", "name: w1")
    text = variant("hidden: 0.1}", "w1: 0.1}", text)
    error = error_of(text)
    assert position(error) == (20, 31)
    assert "both a layer name and a parameter name" in error.message
    assert "rename" in error.message


@pytest.mark.parametrize(
    ("written", "words"), [("0", "greater than 0"), ("-0.5", "greater than 0"), ("101", "at most 100"),
                           ("fast", "expected a number"), ("~", "expected a learning rate")],
)  # fmt: skip
def test_learning_rate_values_are_checked(written: str, words: str) -> None:
    error = error_of(variant("{default: 0.5, hidden: 0.1}", written))
    assert position(error) == (20, 16)
    assert error.field == "learning_rate"
    assert words in error.message


def test_learning_rate_value_inside_mapping_is_checked() -> None:
    error = error_of(variant("hidden: 0.1}", "hidden: 0}"))
    assert position(error) == (20, 39)
    assert error.field == "learning_rate.hidden"


# --------------------------------------------------------------------------- frozen


def test_frozen_list() -> None:
    assert load_scenario_text(VALID + "frozen: [w1, b1]\n", "s").frozen == ("w1", "b1")
    assert load_scenario_text(VALID + "frozen:\n", "s").frozen == ()
    assert load_scenario_text(VALID + "frozen: []\n", "s").frozen == ()


def test_frozen_unknown_parameter() -> None:
    error = error_of(VALID + "frozen: [w1, w11]\n")
    assert position(error) == (21, 14)
    assert error.field == "frozen[1]"
    assert "'w11' is not a parameter" in error.message


def test_frozen_duplicate() -> None:
    error = error_of(VALID + "frozen:\n  - w1\n  - w1\n")
    assert position(error) == (23, 5)
    assert "listed twice" in error.message


def test_frozen_must_be_a_list() -> None:
    error = error_of(VALID + "frozen: w1\n")
    assert position(error) == (21, 9)
    assert "expected a list of parameter names" in error.message


# --------------------------------------------------------------------------- notation


@pytest.mark.parametrize("preset", ["in_out", "net_out", "z_a"])
def test_notation_presets(preset: str) -> None:
    scenario = load_scenario_text(variant("notation: in_out", f"notation: {preset}"), "s")
    assert scenario.notation == NOTATION_PRESETS[preset]


def test_notation_custom_mapping_over_default_preset() -> None:
    text = variant("notation: in_out", 'notation: {pre_activation: "z_{n}", activation: "y_{n}", loss: Loss}')
    assert load_scenario_text(text, "s").notation == Notation(
        "in_out", "z_{n}", "y_{n}", "Loss", "E_{n}", "target_{n}", "δ_{n}"
    )


def test_notation_custom_mapping_over_chosen_preset() -> None:
    text = variant("notation: in_out", "notation:\n  preset: z_a\n  delta: d_{n}\n  target: t_{n}\n")
    assert load_scenario_text(text, "s").notation == Notation("z_a", "z_{n}", "a_{n}", "C", "C_{n}", "t_{n}", "d_{n}")


def test_notation_target_without_placeholder_for_a_single_output() -> None:
    text = variant("notation: in_out", "notation: {target: y}")
    text = variant("      o2: {bias: b4, weights: {h1: w7, h2: w8}}\n", "", text)
    text = variant(", o2: 0.99", "", text)
    text = variant(" w7: 0.7, w8: 0.8,", "", text)
    text = variant(" b4: 0.67}", "}", text)
    text = variant("b3: 0.66,", "b3: 0.66", text)
    assert load_scenario_text(text, "s").notation.tgt("o1") == "y"


def test_notation_names_must_not_collide() -> None:
    error = error_of(variant("notation: in_out", "notation: {target: y}"))
    assert position(error) == (3, 20)
    assert error.field == "notation.target"
    assert "'y' would stand for both the target of o1 and the target of o2" in error.message


def test_notation_name_colliding_with_a_parameter() -> None:
    text = variant("notation: in_out", "notation: {loss: w1}")
    error = error_of(text)
    assert position(error) == (3, 18)
    assert "both parameter w1 and the loss" in error.message


def test_unknown_notation_preset() -> None:
    error = error_of(variant("notation: in_out", "notation: in-out"))
    assert position(error) == (3, 11)
    assert "did you mean 'in_out'?" in error.message


def test_unknown_notation_key() -> None:
    error = error_of(variant("notation: in_out", "notation: {targte: y}"))
    assert position(error) == (3, 12)
    assert error.field == "notation.targte"
    assert "did you mean 'target'?" in error.message


@pytest.mark.parametrize(
    ("template", "words"), [("'z_{m}'", "no other braces"), ("'{'", "no other braces"), ("'z {n}'", "spaces"),
                            ("''", "expected a name template"), ("'" + "z" * 41 + "'", "too long")],
)  # fmt: skip
def test_bad_notation_templates(template: str, words: str) -> None:
    error = error_of(variant("notation: in_out", f"notation: {{pre_activation: {template}}}"))
    assert position(error) == (3, 28)
    assert error.field == "notation.pre_activation"
    assert words in error.message


def test_loss_name_is_not_a_template() -> None:
    error = error_of(variant("notation: in_out", "notation: {loss: 'E_{n}'}"))
    assert error.field == "notation.loss"
    assert "braces" in error.message


def test_notation_as_a_list_is_refused() -> None:
    error = error_of(variant("notation: in_out", "notation: [in_out]"))
    assert position(error) == (3, 11)
    assert "expected a notation preset" in error.message


# --------------------------------------------------------------------------- files


def test_load_from_file_keeps_the_given_path(tmp_path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(VALID, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.source == str(path)
    assert scenario == load_scenario_text(VALID, str(path))
    assert load_scenario(str(path)).source == str(path)


def test_utf8_byte_order_mark_is_accepted(tmp_path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert load_scenario(path).name == "two_two_two"


def test_error_in_file_is_located_in_that_file(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(variant("h2: w6}", "h3: w6}"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value).startswith(f"{path}:15:40 [layers[1].neurons.o1.weights.h3]: o1 takes a weight")


def test_missing_file(tmp_path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.location.file == str(path)
    assert caught.value.location.line is None
    assert "no such" in caught.value.message


def test_directory_is_refused(tmp_path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path)
    assert caught.value.location.line is None
    assert "directory" in caught.value.message


def test_non_utf8_file_is_refused(tmp_path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.replace("two_two_two", "tw\u00f6").encode("latin-1", errors="replace"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    text = VALID.replace("two_two_two", "tw\u00f6")
    line = text[: text.index("\u00f6")].count("\n") + 1
    column = text.index("\u00f6") - text.rfind("\n", 0, text.index("\u00f6"))
    assert caught.value.location == type(caught.value.location)(str(path), line, column)
    assert "not UTF-8" in caught.value.message


def test_too_large_file_is_refused(tmp_path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (1024 * 1024) + b"\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.location.line is None
    assert "too large" in caught.value.message


def test_unreadable_file_is_refused(tmp_path, monkeypatch) -> None:
    """A permission error is simulated: file modes cannot stop root, who runs CI."""
    import builtins

    path = tmp_path / "secret.yaml"
    path.write_text(VALID, encoding="utf-8")
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    real_os_open = os.open

    def refusing_os_open(file, *args, **kwargs):  # the reader opens without blocking, by os.open
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    monkeypatch.setattr(os, "open", refusing_os_open)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.message == "cannot read this file: Permission denied"


def test_path_with_a_nul_byte_is_refused() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario("bad\0name.yaml")
    assert "cannot read" in caught.value.message


def test_text_over_one_mebibyte_is_refused() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text("#" * (1024 * 1024 + 1), "s")
    assert "too large" in caught.value.message


def test_bytes_text_must_be_utf8() -> None:
    assert load_scenario_text(VALID.encode("utf-8"), "s").name == "two_two_two"
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(b"name: \xff\n", "s")
    assert "not UTF-8" in caught.value.message


def test_error_string_format() -> None:
    error = error_of(variant("learning_rate:", "lerning_rate:"), source="scen.yaml")
    assert str(error).startswith("scen.yaml:20:1 [lerning_rate]: unknown key 'lerning_rate'")


# --------------------------------------------------------------------------- Python data


def test_scenario_from_data_matches_the_yaml_loader() -> None:
    data = yaml.safe_load(VALID)
    scenario = scenario_from_data(data)
    assert scenario.source == "<dict>"
    assert scenario == load_scenario_text(VALID, "<dict>")


def test_scenario_from_data_errors_have_fields_but_no_lines() -> None:
    data = yaml.safe_load(variant("h2: w6}", "h3: w6}"))
    with pytest.raises(ScenarioError) as caught:
        scenario_from_data(data, "api")
    assert caught.value.location.file == "api"
    assert caught.value.location.line is None
    assert caught.value.field == "layers[1].neurons.o1.weights.h3"


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), 10**400, "abc", None, [1]])
def test_scenario_from_data_checks_numbers(bad: object) -> None:
    data = yaml.safe_load(VALID)
    data["inputs"]["i1"] = bad
    with pytest.raises(ScenarioError) as caught:
        scenario_from_data(data)
    assert caught.value.field == "inputs.i1"


def test_scenario_from_data_refuses_cycles_and_odd_types() -> None:
    data = yaml.safe_load(VALID)
    data["title"] = data
    with pytest.raises(ScenarioError, match="nested too deeply"):
        scenario_from_data(data)
    data = yaml.safe_load(VALID)
    data["title"] = object()
    with pytest.raises(ScenarioError, match="unsupported value"):
        scenario_from_data(data)
    with pytest.raises(ScenarioError, match="keys must be text"):
        scenario_from_data({1: 2})
    with pytest.raises(ScenarioError):
        scenario_from_data([1, 2])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- fuzzing


@st.composite
def mutated_example(draw: st.DrawFn) -> str:
    """The valid example with a few random edits (deletions, insertions of YAML-ish pieces)."""
    text = VALID
    pieces = st.sampled_from(
        ["", ":", ": ", "-", "- ", "{", "}", "[", "]", ",", "&a ", "*a", "!", "!!python/name:os.system ", "\n",
         "  ", "\t", "'", '"', "#", "~", "null", "1e9", "nan", "? ", "|", ">", "%", "@", "x", "<<: ", "\x00"]
    )  # fmt: skip
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = min(len(text), start + draw(st.integers(0, 6)))
        text = text[:start] + draw(pieces | st.text(max_size=3)) + text[end:]
    return text


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.binary(), mutated_example()))
def test_any_input_gives_a_scenario_or_a_scenario_error(text: str | bytes) -> None:
    try:
        load_scenario_text(text, "fuzz.yaml")
    except ScenarioError as error:  # a scenario is a right outcome too, so no pytest.raises
        assert error.location.file == "fuzz.yaml"  # noqa: PT017
        assert str(error)  # noqa: PT017


def test_title_per_language() -> None:
    text = VALID.replace(
        "title: 2-2-2 sigmoid network (BP notes, section 2.2.2)",
        "title: {en: 2-2-2 network, zh: 2-2-2 网络}",
    )
    scenario = load_scenario_text(text, "titles.yaml")
    assert scenario.title == "2-2-2 network"
    assert scenario.title_in("zh") == "2-2-2 网络"
    assert scenario.title_in("en") == "2-2-2 network"


def test_title_in_an_unknown_language_is_refused() -> None:
    text = VALID.replace("title: 2-2-2 sigmoid network (BP notes, section 2.2.2)", "title: {en: a, fr: b}")
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, "titles.yaml")
    assert "unknown key 'fr'" in caught.value.message
    assert caught.value.field == "title.fr"


def test_python_data_may_give_decimals_and_switches_as_numbers_and_booleans():
    """The API takes a dict: rounding decimals as ints and update_biases as a bool mean what the YAML means."""
    from bptutor.loading.scenario import scenario_from_data

    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "scenarios" / "one_one_one.yaml").read_text(encoding="utf-8"))
    scenario = scenario_from_data({**data, "rounding": {"activations": 2}, "update_biases": False})
    assert scenario.rounding is not None and scenario.rounding.activations == 2
    assert scenario.conventions.update_biases is False
    with pytest.raises(ScenarioError, match=r"rounding\.activations"):
        scenario_from_data({**data, "rounding": {"activations": True}})
