"""Softmax, cross-entropy, bce, mae and rmse in the teaching commands, against hand calculation and oracles.

The CS231n-style two-layer network of `scenarios/softmax_two_layer.yaml` (2 inputs, 2 ReLU
neurons, a softmax over 3 classes, cross-entropy, one example of class 2) is worked here by hand,
in 50-digit decimals with the formulas of the textbook written out in this file: p = e^z/Σe^z,
L = −ln p_y, δ_k = p_k − y_k, ∂L/∂w_kj = δ_k·a_j, δ_j = Σ_k w_kj·δ_k·ReLU′(z_j), the softmax
Jacobian p_i·(δ_ij − p_j). Every value `run`, `explain`, `solve` and `check` print is held against it.
The other losses on a softmax output, and bce on a sigmoid output, are held against the sympy and
autograd oracles (tests/oracles.py), which know nothing of bptutor's graph.
"""

from __future__ import annotations

from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.core.numbers import format_number
from bptutor.core.trace import run
from bptutor.derive.explain import explain
from bptutor.loading.scenario import load_scenario, load_scenario_text
from bptutor.teach.answers import Claim, NameTable, load_answers_text, template
from bptutor.teach.check import check
from bptutor.teach.grading import RIGHT, WRONG
from bptutor.teach.solution import WorkedSteps
from tests import oracles

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "softmax_two_layer.yaml"
D = Decimal
ENVIRONMENT = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def hand() -> dict[str, Decimal]:
    """The worked example, every value by the textbook's formulas, at 50 digits."""
    with localcontext(prec=50):
        x = [D("0.5"), D("1.0")]
        w1 = [[D("0.2"), D("0.4")], [D("-0.3"), D("0.5")]]
        b1 = [D("0.1"), D("0.0")]
        w2 = [[D("0.3"), D("-0.2")], [D("0.5"), D("0.4")], [D("-0.4"), D("0.6")]]
        b2 = [D("0.1"), D("-0.1"), D("0.2")]
        y = [D(0), D(1), D(0)]
        rate = D("0.1")
        v: dict[str, Decimal] = {}
        zh = [w1[j][0] * x[0] + w1[j][1] * x[1] + b1[j] for j in range(2)]
        ah = [max(z, D(0)) for z in zh]
        zo = [w2[k][0] * ah[0] + w2[k][1] * ah[1] + b2[k] for k in range(3)]
        total = sum(z.exp() for z in zo)
        p = [z.exp() / total for z in zo]
        for j in range(2):
            v[f"z_h{j + 1}"], v[f"a_h{j + 1}"] = zh[j], ah[j]
        for k in range(3):
            v[f"z_o{k + 1}"], v[f"a_o{k + 1}"] = zo[k], p[k]
            v[f"L_o{k + 1}"] = -y[k] * p[k].ln()
        v["L"] = -p[1].ln()  # the example is of class 2
        delta_o = [p[k] - y[k] for k in range(3)]
        for k in range(3):
            v[f"δ_o{k + 1}"] = delta_o[k]
            v[f"∂L/∂a_o{k + 1}"] = -y[k] / p[k]
            for i in range(3):  # the Jacobian ∂p_i/∂z_k = p_i·(δ_ik − p_k)
                v[f"∂a_o{i + 1}/∂z_o{k + 1}"] = p[i] * ((1 if i == k else 0) - p[k])
        grads: dict[str, Decimal] = {}
        for k in range(3):
            for j in range(2):
                grads[f"w{5 + 2 * k + j}"] = delta_o[k] * ah[j]
            grads[f"b{3 + k}"] = delta_o[k]
        for j in range(2):
            v[f"∂L/∂a_h{j + 1}"] = sum(w2[k][j] * delta_o[k] for k in range(3))
            v[f"δ_h{j + 1}"] = v[f"∂L/∂a_h{j + 1}"] * (1 if zh[j] > 0 else 0)
            for i in range(2):
                grads[f"w{1 + 2 * j + i}"] = v[f"δ_h{j + 1}"] * x[i]
            grads[f"b{1 + j}"] = v[f"δ_h{j + 1}"]
        old = {"w1": w1[0][0], "w2": w1[0][1], "w3": w1[1][0], "w4": w1[1][1], "b1": b1[0], "b2": b1[1]}
        old |= {f"w{5 + 2 * k + j}": w2[k][j] for k in range(3) for j in range(2)}
        old |= {f"b{3 + k}": b2[k] for k in range(3)}
        for name, gradient in grads.items():
            v[f"∂L/∂{name}"] = gradient
            v[f"{name}′"] = old[name] - rate * gradient
        return v


HAND = hand()
CLOSE = 1e-12


def close(value: float, expected: Decimal) -> bool:
    return abs(float(value) - float(expected)) <= CLOSE * max(1.0, abs(float(expected)))


def test_the_hand_calculation_holds_together():
    """The hand calculation itself: probabilities sum to 1, the δ_o to 0, and the fused δ is the Jacobian route."""
    with localcontext(prec=50):
        assert abs(sum(HAND[f"a_o{k}"] for k in (1, 2, 3)) - 1) < D("1e-45")
        assert abs(sum(HAND[f"δ_o{k}"] for k in (1, 2, 3))) < D("1e-45")
        for k in (1, 2, 3):  # δ_k = Σ_i ∂L/∂p_i·∂p_i/∂z_k
            through = sum(HAND[f"∂L/∂a_o{i}"] * HAND[f"∂a_o{i}/∂z_o{k}"] for i in (1, 2, 3))
            assert abs(through - HAND[f"δ_o{k}"]) < D("1e-45")


def test_run_traces_every_value_of_the_hand_calculation():
    scenario = load_scenario(SCENARIO)
    step = run(scenario).first
    names = [name for name in HAND if not name.startswith("∂") and not name.endswith("′") and "δ" not in name]
    for name in names:
        assert close(step.value(name), HAND[name]), name
    for k in (1, 2, 3):
        assert close(step.gradient(f"z_o{k}"), HAND[f"δ_o{k}"])
    for j in (1, 2):
        assert close(step.gradient(f"z_h{j}"), HAND[f"δ_h{j}"])
        assert close(step.gradient(f"a_h{j}"), HAND[f"∂L/∂a_h{j}"])
    for update in step.updates:
        assert close(update.gradient, HAND[f"∂L/∂{update.parameter}"]), update.parameter
        assert close(update.new, HAND[f"{update.parameter}′"]), update.parameter


def invoke(*arguments: str) -> str:
    result = CliRunner().invoke(app, list(arguments), env=ENVIRONMENT)
    assert result.exit_code == 0, result.output
    return result.output


def test_run_prints_the_hand_values():
    """The terminal tables show each value to 10 significant digits, as the hand calculation rounds it."""
    printed = invoke("run", str(SCENARIO))
    for name, value in HAND.items():
        if "/∂a_o" in name or "∂a_o" in name.split("/")[0]:  # ∂L/∂a_o and the Jacobian: only with --jacobian
            continue
        assert format_number(float(value)).replace("-", "−") in printed, name


def test_the_jacobian_route_traces_every_entry_and_the_same_deltas():
    step = run(load_scenario(SCENARIO), fused=False).first
    factors = {(t.local.of, t.local.wrt): t.local.value for r in step.backward for t in r.terms}
    for i in (1, 2, 3):
        assert close(step.gradient(f"a_o{i}"), HAND[f"∂L/∂a_o{i}"])
        for k in (1, 2, 3):
            assert close(factors[(f"a_o{i}", f"z_o{k}")], HAND[f"∂a_o{i}/∂z_o{k}"])
    for k in (1, 2, 3):
        assert close(step.gradient(f"z_o{k}"), HAND[f"δ_o{k}"])
    for update in step.updates:
        assert close(update.new, HAND[f"{update.parameter}′"])


@pytest.mark.parametrize("jacobian", [False, True])
@pytest.mark.parametrize("name", ["w5", "w8", "b4", "w1", "w4", "b2"])
def test_explain_derives_the_hand_values(name, jacobian):
    """sympy's own numbers: the gradient, every δ of the δ form, the update, and each output δ taken apart."""
    derivation = explain(load_scenario(SCENARIO), name, jacobian)
    assert close(derivation.gradient, HAND[f"∂L/∂{name}"])
    assert close(derivation.new_value, HAND[f"{name}′"])
    for term in derivation.delta_terms:
        assert close(term.delta, HAND[f"δ_{term.neuron}"])
    for path in derivation.paths:
        assert all(edge[0] != "L" or edge[1].startswith("a_o") == jacobian for edge in path.edges)
    assert derivation.output_deltas, "the fused δ is derived (default) or the Jacobian written out (--jacobian)"
    for delta in derivation.output_deltas:
        assert close(delta.value, HAND[f"δ_{delta.neuron}"])
        for upstream, entry in zip(delta.upstream, delta.local, strict=True):
            assert close(upstream.value, HAND[f"∂L/∂{upstream.wrt}"])
            assert close(entry.value, HAND[f"∂{entry.of}/∂{entry.wrt}"])
    if jacobian:  # the whole Jacobian, every entry
        entries = {(e.of, e.wrt) for delta in derivation.output_deltas for e in delta.local}
        assert len(entries) == 9


def test_explain_jacobian_prints_every_entry_with_its_number():
    printed = invoke("explain", "w5", "-s", str(SCENARIO), "--jacobian")
    for i in (1, 2, 3):
        for k in (1, 2, 3):
            line = [row for row in printed.splitlines() if row.strip().startswith(f"∂a_o{i}/∂z_o{k} = ")]
            assert line, (i, k)
            number = format_number(float(HAND[f"∂a_o{i}/∂z_o{k}"])).replace("-", "−")
            assert line[-1].endswith(f" = {number}"), line  # the Jacobian written out: entry = formula = numbers


def test_check_expects_the_hand_values():
    solution = WorkedSteps(load_scenario(SCENARIO))
    values = solution.values()
    for name, expected in HAND.items():
        if name in values:
            assert abs(values[name] - expected) < D("1e-30"), name
    assert {step.name for step in solution.steps} >= {name for name in HAND if "∂a_o" not in name}


@pytest.mark.parametrize("variant", ["full", "answers"])
def test_the_handout_prints_the_hand_values(variant):
    from bptutor.api import solve
    from bptutor.handout.document import handout_number

    for jacobian in (False, True):
        solution = solve(SCENARIO, jacobian=jacobian)
        text = solution.to_markdown(variant)
        for name, value in HAND.items():
            if "∂a_o" in name and not jacobian:
                continue
            if variant == "answers" and "∂a_o" in name.split("/")[0]:
                continue  # the answer key lists derivatives of the loss only
            shown = handout_number(float(value)).replace("-", "- ")
            assert shown in text, (name, shown, jacobian)


# ── names in answers files ───────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("written", "name"),
    [("p1", "a_o1"), ("p_o2", "a_o2"), ("softmax_3", "a_o3"), ("softmax_o1", "a_o1"), ("y_hat2", "a_o2"),
     ("ŷ3", "a_o3"), ("ŷ_o1", "a_o1"), ("yhat1", "a_o1"), ("∂L/∂p2", "∂L/∂a_o2"), ("dL/dp2", "∂L/∂a_o2"),
     ("∂E/∂z_o1", "δ_o1"), ("dL/dz_o3", "δ_o3"), ("delta_o2", "δ_o2"), ("dp2/dz_o1", "∂a_o2/∂z_o1"),
     ("∂softmax_1/∂z_o1", "∂a_o1/∂z_o1")],
)
def test_the_spellings_people_write_for_softmax_quantities(written, name):
    table = NameTable(WorkedSteps(load_scenario(SCENARIO)))
    assert table.resolve(written) == name


def test_the_template_lists_the_fused_deltas_and_with_another_loss_every_jacobian_entry():
    fused = template(WorkedSteps(load_scenario(SCENARIO)), "bptutor check", "en")
    assert "δ_o1:" in fused and "∂a_o1/∂z_o2" not in fused  # optional with cross-entropy: δ = a − y
    mse = load_scenario_text(SCENARIO.read_text(encoding="utf-8").replace("loss: cross_entropy", "loss: mse"), "m")
    jacobian = template(WorkedSteps(mse), "bptutor check", "en")
    for i in (1, 2, 3):
        for k in (1, 2, 3):
            assert f'"∂a_o{i}/∂z_o{k}":' in jacobian or f"∂a_o{i}/∂z_o{k}:" in jacobian


def test_answers_written_with_those_spellings_are_right():
    solution = WorkedSteps(load_scenario(SCENARIO))
    lines = [f"p{k}: {HAND[f'a_o{k}']:.6f}" for k in (1, 2, 3)]
    lines += [f"dL/dz_o{k}: {HAND[f'δ_o{k}']:.6f}" for k in (1, 2, 3)]
    lines += [f'"dp{i}/dz_o1": {HAND[f"∂a_o{i}/∂z_o1"]:.6f}' for i in (1, 2, 3)]
    answers = load_answers_text("\n".join(lines), "a.yaml", solution)
    report = check(solution.scenario, answers.claims)
    judged = [row for row in report.rows if row.claim is not None]
    assert len(judged) == 9 and all(row.verdict == RIGHT for row in judged)


# ── the mistakes of this material, each recomputed here ──────────────────────


def diagnosed(scenario, claims, name):
    report = check(scenario, claims)
    (row,) = [row for row in report.rows if row.step.name == name and row.claim is not None]
    assert row.verdict == WRONG
    return [diagnosis.key for diagnosis in row.diagnoses]


def test_only_the_diagonal_of_the_jacobian():
    """δ_1 = ∂L/∂p_1·p_1·(1 − p_1) = (−y_1/p_1)·p_1·(1 − p_1) = −y_1·(1 − p_1): 0 for a class that is not the target."""
    scenario = load_scenario(SCENARIO)
    p1, y1 = HAND["a_o1"], D(0)
    mistaken = (-y1 / p1) * p1 * (1 - p1)
    claims = [Claim.of(f"a_o{k}", f"{HAND[f'a_o{k}']:.6f}") for k in (1, 2, 3)]
    claims.append(Claim.of("δ_o1", f"{mistaken:.6f}"))
    assert "softmax_diagonal" in diagnosed(scenario, claims, "δ_o1")


def test_only_the_diagonal_with_a_loss_of_its_own():
    """With mse the Jacobian route is the only one; its diagonal alone gives ∂E/∂p_1·p_1·(1 − p_1)."""
    text = SCENARIO.read_text(encoding="utf-8").replace("loss: cross_entropy", "loss: mse")
    scenario = load_scenario_text(text, "mse.yaml")
    p = [HAND[f"a_o{k}"] for k in (1, 2, 3)]
    y = [D(0), D(1), D(0)]
    with localcontext(prec=50):
        upstream = -2 * (y[0] - p[0]) / 3
        mistaken = upstream * p[0] * (1 - p[0])
    claims = [Claim.of(f"a_o{k}", f"{p[k - 1]:.8f}") for k in (1, 2, 3)]
    claims.append(Claim.of("δ_o1", f"{mistaken:.8f}"))
    assert "softmax_diagonal" in diagnosed(scenario, claims, "δ_o1")


def test_softmax_skipped():
    """The raw scores as probabilities: a_o1 = z_o1, and then δ_o2 = z_o2 − y_o2."""
    scenario = load_scenario(SCENARIO)
    claims = [Claim.of("a_o1", f"{HAND['z_o1']:.4f}")]
    assert "softmax_skipped" in diagnosed(scenario, claims, "a_o1")
    claims = [Claim.of("δ_o2", f"{HAND['z_o2'] - 1:.4f}")]
    assert "softmax_skipped" in diagnosed(scenario, claims, "δ_o2")


def test_log10_for_ln():
    with localcontext(prec=50):
        mistaken = -HAND["a_o2"].log10()
    scenario = load_scenario(SCENARIO)
    claims = [Claim.of(f"a_o{k}", f"{HAND[f'a_o{k}']:.6f}") for k in (1, 2, 3)] + [Claim.of("L", f"{mistaken:.6f}")]
    assert "log10" in diagnosed(scenario, claims, "L")


def test_bce_log10_and_the_fused_delta_on_a_sigmoid():
    scenario = load_scenario_text(BCE, "bce.yaml")
    step = run(scenario).first
    out, target = D(repr(step.value("a_o"))), D("1")
    with localcontext(prec=50):
        mistaken = -(target * out.log10() + (1 - target) * (1 - out).log10())
    claims = [Claim.of("a_o", f"{out:.8f}"), Claim.of("L", f"{mistaken:.8f}")]
    assert "log10" in diagnosed(scenario, claims, "L")
    assert close(step.gradient("z_o"), out - target)  # δ = a − y: σ′ cancelled


BCE = """
name: logistic
inputs: {x1: 1.5, x2: -0.5}
targets: {o: 1}
notation: {preset: z_a, loss: L}
layers:
  - name: output
    activation: sigmoid
    neurons:
      o: {bias: b, weights: {x1: w1, x2: w2}}
parameters: {w1: 0.4, w2: 0.3, b: -0.2}
loss: bce
learning_rate: 0.5
"""


# ── every other loss: the oracles ─────────────────────────────────────────────


def variants() -> dict[str, str]:
    base = SCENARIO.read_text(encoding="utf-8")
    found = {loss: base.replace("loss: cross_entropy", f"loss: {loss}") for loss in ("mse", "mae", "rmse", "sse")}
    found["cross_entropy"] = base
    found["bce"] = BCE
    found["rmse_sigmoid"] = base.replace("loss: cross_entropy", "loss: rmse").replace("softmax", "sigmoid")
    return found


VARIANTS = variants()


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_loss_on_softmax_and_sigmoid_against_sympy_and_autograd(name):
    scenario = load_scenario_text(VARIANTS[name], f"{name}.yaml")
    step = run(scenario).first
    for oracle in (oracles.sympy_gradients, oracles.autograd_gradients):
        expected = oracle(scenario)
        for parameter, value in expected.items():
            assert abs(step.gradients[parameter] - value) <= CLOSE * max(1.0, abs(value)), (oracle, parameter)
    neurons = oracles.sympy_neuron_gradients(scenario)
    for neuron, delta in neurons.delta.items():
        assert abs(step.gradient(scenario.notation.pre(neuron)) - delta) <= CLOSE * max(1.0, abs(delta)), neuron
    unfused = run(scenario, fused=False).first  # the Jacobian route (or σ′) gives the same gradients
    for parameter, value in step.gradients.items():
        assert abs(unfused.gradients[parameter] - value) <= CLOSE * max(1.0, abs(value)), parameter


@pytest.mark.parametrize("name", list(VARIANTS))
def test_explain_and_check_agree_with_the_oracles_on_every_loss(name):
    scenario = load_scenario_text(VARIANTS[name], f"{name}.yaml")
    expected = oracles.sympy_gradients(scenario)
    values = WorkedSteps(scenario).values()
    loss = scenario.notation.loss
    for parameter, value in expected.items():
        assert abs(float(values[f"∂{loss}/∂{parameter}"]) - value) <= CLOSE * max(1.0, abs(value)), parameter
    for parameter in ("w1", "b"):
        if parameter in expected:
            for jacobian in (False, True):
                derivation = explain(scenario, parameter, jacobian)
                assert abs(float(derivation.gradient) - expected[parameter]) <= CLOSE * max(1.0, abs(expected[parameter]))


def test_a_handout_of_every_loss_compiles_to_every_text_format():
    from bptutor.api import solve

    for name, text in VARIANTS.items():
        for jacobian in (False, True):
            solution = solve(load_scenario_text(text, f"{name}.yaml"), jacobian=jacobian)
            for produce in (solution.to_markdown, solution.to_latex, solution.to_html):
                assert produce()


@pytest.mark.parametrize("loss", ["mse", "mae", "rmse"])
def test_training_a_softmax_with_a_loss_of_its_own_takes_the_jacobian_on_the_vectorised_path(loss):
    """Three steps over two samples: NumPy's δ = a ⊙ (g − Σ g·a) against the traced path (held to the oracles above)."""
    from bptutor.train.loop import train

    text = VARIANTS[loss].replace("inputs:  {x1: 0.5, x2: 1.0}\ntargets: {o1: 0, o2: 1, o3: 0}\n", "")
    samples = (
        "samples:\n  - {inputs: {x1: 0.5, x2: 1.0}, targets: {o1: 0, o2: 1, o3: 0}}\n"
        "  - {inputs: {x1: -0.4, x2: 0.8}, targets: {o1: 1, o2: 0, o3: 0}}\n"
        "training: {steps: 3, shuffle: false}\n"
    )
    scenario = load_scenario_text(text + samples, f"{loss}.yaml")
    traced = run(scenario, 3).steps[-1].new_parameters
    vectorised = train(scenario, steps=3, path="vectorised").final
    for name, value in traced.items():
        assert abs(vectorised[name] - value) <= CLOSE * max(1.0, abs(value)), name


# ── generate: softmax with cross-entropy, sigmoid with bce ───────────────────


@pytest.mark.slow  # a second or more: the quick loop leaves it out
def test_generate_draws_softmax_cross_entropy_exercises_the_oracles_agree_with():
    from bptutor.teach import generate as generating

    options = generating.Options((2, 2, 3), count=4, seed=5, activation="relu", output_activation="softmax",
                                 loss="cross_entropy", exact=True)
    for exercise in generating.generate(options):
        scenario = exercise.scenario
        assert scenario.layers[-1].activation == "softmax" and scenario.loss == "cross_entropy"
        targets = sorted(value for _, value in scenario.targets)
        assert targets == [0, 0, 1]  # one class
        step = run(scenario).first
        for neuron in scenario.layers[-1].neurons:
            assert abs(step.value(scenario.notation.pre(neuron.name))) <= 3
        expected = oracles.sympy_gradients(scenario)
        for name, value in expected.items():
            assert abs(step.gradients[name] - value) <= CLOSE * max(1.0, abs(value)), name


def test_generate_draws_bce_exercises_and_softmax_with_a_rounded_squared_error():
    from bptutor.teach import generate as generating

    (logistic,) = generating.generate(generating.Options((3, 1), count=1, seed=2, loss="bce", exact=True))
    expected = oracles.sympy_gradients(logistic.scenario)
    for name, value in expected.items():
        assert abs(run(logistic.scenario).first.gradients[name] - value) <= CLOSE * max(1.0, abs(value))
    options = generating.Options((2, 2, 2), count=2, seed=3, output_activation="softmax", loss="half_sse")
    for exercise in generating.generate(options):  # rounded to 4 decimals as by hand, through the Jacobian
        step = run(exercise.scenario).first
        worked = WorkedSteps(exercise.scenario).values()
        for update in step.updates:
            assert worked[f"{update.parameter}′"] == update.new


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--loss", "cross_entropy", "--output-activation", "softmax", "--shape", "2-3"], "add --exact"),
        (["--loss", "bce", "--exact", "--output-activation", "softmax", "--shape", "2-3"], "--output-activation sigmoid"),
        (["--loss", "cross_entropy", "--exact", "--shape", "2-3"], "--output-activation softmax"),
        (["--output-activation", "softmax", "--shape", "2-1"], "at least 2 neurons"),
        (["--activation", "softmax"], "'softmax' is not one of"),
    ],
)
def test_generate_says_why_it_cannot_draw_an_exercise(arguments, says, tmp_path):
    result = CliRunner().invoke(app, ["generate", "-o", str(tmp_path / "out"), "--count", "1", *arguments],
                                env=ENVIRONMENT)
    assert result.exit_code == 2, result.output
    assert says in result.output


def test_check_works_a_softmax_output_from_every_score_of_its_layer(tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("a_o2: 0.3\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["check", "softmax_two_layer", str(answers)], env={"COLUMNS": "120", "NO_COLOR": "1"}
    )
    assert result.exit_code == 1, result.output
    # z = (0.21, 0.34, 0.17), worked in this file's hand calculation: every score appears, not softmax(z_o2) alone
    assert "a_o2 = e^(z_o2)/(e^(z_o1) + e^(z_o2) + e^(z_o3)) = e^(0.34)/(e^(0.21) + e^(0.34) + e^(0.17))" in result.output
