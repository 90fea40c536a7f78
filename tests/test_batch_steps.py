"""One training step by hand: samples, batches, optimizers, weight decay and `--step K`.

The expected numbers come from computations written out here: a linear neuron in exact
fractions, a 2-2-1 sigmoid network in 50-digit decimals (both by the formulas of the
chain rule, written by hand), and the trace of `run` for how the batches are drawn.
PyTorch (float64) checks every batch step in tests/test_batch_torch.py.
"""

from __future__ import annotations

import re
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.core.resume import at_step
from bptutor.core.trace import run
from bptutor.loading.scenario import load_scenario
from bptutor.teach.answers import Claim, load_answers_text, template
from bptutor.teach.check import check
from bptutor.teach.grading import RIGHT, WRONG
from bptutor.teach.solution import WorkedSteps

DATA = Path(__file__).parent / "data"
MOMENTUM = DATA / "batch_2_2_1_momentum.yaml"
SUM = DATA / "batch_2_2_2_sum.yaml"
ADAM = DATA / "batch_adam_decay.yaml"
LINEAR = DATA / "batch_linear_momentum.yaml"
ALL = (MOMENTUM, SUM, ADAM, LINEAR)


def worked(path: Path, step: int = 1) -> dict[str, Decimal]:
    return WorkedSteps(at_step(load_scenario(path), step)).values()


# ── the linear neuron in fractions: two steps of momentum with weight decay ──


def linear_by_hand(steps: int) -> list[dict[str, Fraction]]:
    """o = w1·x1 + w2·x2 + b, E = ½(t − o)², so ∂E/∂w1 = (o − t)·x1, ∂E/∂w2 = (o − t)·x2, ∂E/∂b = o − t;
    the batch gradient is their mean; g = ∂E/∂p + λ·p; v′ = β·v + g; p′ = p − η·v′."""
    samples = [((Fraction(1), Fraction(2)), Fraction(1)), ((Fraction(3), Fraction(-1)), Fraction(2))]
    p = {"w1": Fraction(1, 2), "w2": Fraction(-1, 4), "b": Fraction(1, 8)}
    rate, beta, decay = Fraction(1, 8), Fraction(1, 2), Fraction(1, 4)
    v = {name: Fraction(0) for name in p}
    records = []
    for _ in range(steps):
        record: dict[str, Fraction] = {}
        per_sample = []
        for number, ((x1, x2), t) in enumerate(samples, start=1):
            o = p["w1"] * x1 + p["w2"] * x2 + p["b"]
            delta = o - t
            record[f"in_o[{number}]"] = o
            record[f"E_total[{number}]"] = (t - o) ** 2 / 2
            per_sample.append({"w1": delta * x1, "w2": delta * x2, "b": delta})
            for name, value in per_sample[-1].items():
                record[f"∂E_total/∂{name}[{number}]"] = value
        record["E_total"] = (record["E_total[1]"] + record["E_total[2]"]) / 2
        for name in p:
            gradient = (per_sample[0][name] + per_sample[1][name]) / 2
            g = gradient + decay * p[name]
            v[name] = beta * v[name] + g
            record[f"∂E_total/∂{name}"] = gradient
            record[f"g_{name}"] = g
            record[f"v_{name}′"] = v[name]
        p = {name: p[name] - rate * v[name] for name in p}
        record.update({f"{name}′": value for name, value in p.items()})
        records.append(record)
    return records


def test_the_linear_batch_by_hand_in_fractions():
    first, second = linear_by_hand(2)
    # step 1 worked on paper: o = 1/8 and 15/8, δ = −7/8 and −1/8; the mean of δ·x1 is (−7/8 − 3/8)/2 = −5/8,
    # g = −5/8 + ¼·½ = −1/2, v′ = g, w1′ = ½ − ⅛·(−½) = 9/16
    assert first["∂E_total/∂w1"] == Fraction(-5, 8) and first["g_w1"] == Fraction(-1, 2)
    assert first["w1′"] == Fraction(9, 16) and first["w2′"] == Fraction(-9, 64) and first["b′"] == Fraction(47, 256)
    for step, expected in ((1, first), (2, second)):
        values = worked(LINEAR, step)
        for name, value in expected.items():
            shown = name.replace("in_o", "out_o") if name.startswith("in_o") else name
            assert abs(values[shown] - Decimal(value.numerator) / Decimal(value.denominator)) < Decimal("1e-40"), name
    # step 2 starts from step 1's parameters and velocity: the givens of `--step 2`
    solution = WorkedSteps(at_step(load_scenario(LINEAR), 2))
    assert solution.givens["w1"] == Decimal(9) / 16 and solution.givens["v_w1"] == Decimal(-1) / 2


# ── the 2-2-1 sigmoid network in decimals: steps 1 and 2 with momentum ───────


def sigmoid_by_hand(steps: int) -> list[dict[str, Decimal]]:
    """out = σ(in) = 1/(1 + e^(−in)); δ_o1 = (out_o1 − t)·out_o1(1 − out_o1); δ_h = δ_o1·w·out_h(1 − out_h);
    ∂E/∂w = δ·input; the batch gradient is the mean of the two samples'; v′ = 0.9·v + g, p′ = p − 0.5·v′."""
    one = Decimal(1)
    with localcontext(prec=60):
        p = {name: Decimal(text) for name, text in (("w1", "0.15"), ("w2", "0.20"), ("w3", "0.25"), ("w4", "0.30"),
                                                    ("w5", "0.40"), ("w6", "0.45"), ("b1", "0.35"), ("b2", "0.60"))}
        samples = [((Decimal("0.05"), Decimal("0.10")), Decimal("0.01")),
                   ((Decimal("0.30"), Decimal("-0.20")), Decimal("0.90"))]
        v = {name: Decimal(0) for name in p}
        records = []
        for _ in range(steps):
            record: dict[str, Decimal] = {}
            grads = []
            for number, ((i1, i2), t) in enumerate(samples, start=1):
                h1 = one / (one + (-(p["w1"] * i1 + p["w2"] * i2 + p["b1"])).exp())
                h2 = one / (one + (-(p["w3"] * i1 + p["w4"] * i2 + p["b1"])).exp())
                o = one / (one + (-(p["w5"] * h1 + p["w6"] * h2 + p["b2"])).exp())
                d_o = (o - t) * o * (one - o)
                d_h1 = d_o * p["w5"] * h1 * (one - h1)
                d_h2 = d_o * p["w6"] * h2 * (one - h2)
                g = {"w1": d_h1 * i1, "w2": d_h1 * i2, "w3": d_h2 * i1, "w4": d_h2 * i2,
                     "w5": d_o * h1, "w6": d_o * h2, "b1": d_h1 + d_h2, "b2": d_o}
                grads.append(g)
                record[f"out_o1[{number}]"] = o
                record[f"δ_h2[{number}]"] = d_h2
                record.update({f"∂E_total/∂{name}[{number}]": value for name, value in g.items()})
            for name in p:
                gradient = (grads[0][name] + grads[1][name]) / 2
                v[name] = Decimal("0.9") * v[name] + gradient
                record[f"∂E_total/∂{name}"] = gradient
                record[f"v_{name}′"] = v[name]
            p = {name: p[name] - Decimal("0.5") * v[name] for name in p}
            record.update({f"{name}′": value for name, value in p.items()})
            records.append(record)
    return records


@pytest.mark.parametrize("step", [1, 2])
def test_the_sigmoid_batch_by_hand_in_decimals(step):
    expected = sigmoid_by_hand(step)[-1]
    values = worked(MOMENTUM, step)
    # the givens of step 2 are step 1's results as `run` computed them in float64: 1e-15 apart at most
    tolerance = Decimal("1e-40") if step == 1 else Decimal("1e-14")
    for name, value in expected.items():
        assert abs(values[name] - value) < tolerance, name


# ── the step K of `run`, taken up by `--step K` ──────────────────────────────


@pytest.mark.parametrize("path", ALL, ids=lambda path: path.stem)
@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_step_k_is_the_step_k_of_run(path, step):
    """Batches, shuffling and optimizer state as `run` has them: step K taken up is step K of the trace."""
    scenario = load_scenario(path)
    traced = run(scenario, step).steps[-1]
    again = run(at_step(scenario, step), 1).first
    assert [update.new for update in again.updates] == [update.new for update in traced.updates]
    assert [update.state for update in again.updates] == [update.state for update in traced.updates]
    values = WorkedSteps(at_step(scenario, step)).values()
    loss = scenario.notation.loss
    for update in traced.updates:
        assert float(values[f"∂{loss}/∂{update.parameter}"]) == pytest.approx(update.gradient, rel=1e-12, abs=1e-15)
        assert float(values[f"{update.parameter}′"]) == pytest.approx(update.new, rel=1e-12, abs=1e-15)
        for number, gradient in enumerate(update.per_sample, start=1):
            name = f"∂{loss}/∂{update.parameter}[{number}]"
            assert float(values[name]) == pytest.approx(gradient, rel=1e-12, abs=1e-15)
        for kind, value in update.state:
            assert float(values[f"{kind}_{update.parameter}′"]) == pytest.approx(value, rel=1e-12, abs=1e-15)


def test_the_batches_of_a_shuffled_schedule():
    """Batches of 2 of 3 samples, shuffled with seed 3 once an epoch: the order `random.Random(3)` gives."""
    import random

    rng = random.Random(3)
    order = [0, 1, 2]
    rng.shuffle(order)
    first_epoch = [tuple(order[:2]), tuple(order[2:])]
    rng.shuffle(order)
    expected = [*first_epoch, tuple(order[:2])]
    scenario = load_scenario(SUM)
    for step, indices in enumerate(expected, start=1):
        resumed = at_step(scenario, step).resumed
        assert resumed is not None and resumed.indices == indices


# ── names: per sample, per batch, the optimizer's state ──────────────────────


def test_the_names_people_write_for_a_sample_and_the_batch():
    solution = WorkedSteps(at_step(load_scenario(ADAM), 3))  # epoch 2's first batch: two samples
    text = "\n".join(
        [
            "out_o1[2]: 0.6",
            "out_o2(1): 0.6",
            "sample 2.in_h1: 0.1",
            "E_total^(1): 0.1",
            "dE/dw5[1]: 0.1",
            "dE/dw5: 0.1",
            "grad_w6: 0.1",
            "w5': 0.1",
            "m_w5': 0.1",
            "s_w5_new: 0.1",
            "mhat_w5: 0.1",
            "s_hat_w6: 0.1",
            "g_w5: 0.1",
        ]
    )
    names = [claim.name for claim in load_answers_text(text, "answers.yaml", solution).claims]
    assert names == [
        "out_o1[2]", "out_o2[1]", "in_h1[2]", "E_total[1]", "∂E_total/∂w5[1]", "∂E_total/∂w5", "∂E_total/∂w6",
        "w5′", "m_w5′", "s_w5′", "m̂_w5", "ŝ_w6", "g_w5",
    ]


def test_the_template_lists_each_sample_then_the_batch_then_the_update():
    solution = WorkedSteps(at_step(load_scenario(MOMENTUM), 2))
    text = template(solution, "bptutor check x.yaml --step 2 ANSWERS.yaml", "en")
    comments = [line for line in text.splitlines() if line.startswith("# ")]
    assert any("training step 2 (epoch 2)" in line for line in comments)
    assert any(line.startswith("# Sample 1 of 2 in the batch") for line in comments)
    assert any(line.startswith("# Sample 2 of 2 in the batch") for line in comments)
    assert any("mean over its 2 samples (1/2 times their sum)" in line for line in comments)
    keys = [line.rstrip(":") for line in text.splitlines() if line and not line.startswith("#")]
    assert keys.index("out_o1[1]") < keys.index("out_o1[2]") < keys.index("E_total") < keys.index("∂E_total/∂w5")
    assert keys.index("∂E_total/∂w5") < keys.index("v_w5′") < keys.index("w5′")
    assert "in_h1[1]" in keys  # written plain: YAML reads the brackets inside a key as part of it


# ── diagnoses, each recomputed here ──────────────────────────────────────────


def diagnosed(path: Path, name: str, value: float, given: dict[str, str] | None = None) -> list[str]:
    scenario = at_step(load_scenario(path), 1)
    claims = [Claim.of(key, text) for key, text in (given or {}).items()] + [Claim.of(name, f"{value:.10f}")]
    report = check(scenario, claims)
    (row,) = [row for row in report.rows if row.step.name == name]
    assert row.verdict == WRONG
    return [diagnosis.key for diagnosis in row.diagnoses]


def test_the_sum_written_where_the_mean_is_asked():
    per_sample = run(load_scenario(MOMENTUM)).first.updates[4].per_sample  # w5 of each sample
    assert run(load_scenario(MOMENTUM)).first.updates[4].parameter == "w5"
    assert "no_mean" in diagnosed(MOMENTUM, "∂E_total/∂w5", per_sample[0] + per_sample[1])


def test_the_mean_written_where_the_sum_is_asked():
    update = run(load_scenario(SUM)).first.updates[4]
    assert update.parameter == "w5"
    assert "mean_for_sum" in diagnosed(SUM, "∂E_total/∂w5", (update.per_sample[0] + update.per_sample[1]) / 2)


def test_one_samples_gradient_taken_for_the_batch():
    update = run(load_scenario(MOMENTUM)).first.updates[5]
    assert update.parameter == "w6"
    assert "one_sample" in diagnosed(MOMENTUM, "∂E_total/∂w6", update.per_sample[1])


def test_a_right_batch_gradient_is_right():
    update = run(load_scenario(MOMENTUM)).first.updates[5]
    report = check(at_step(load_scenario(MOMENTUM), 1), [Claim.of("∂E_total/∂w6", f"{update.gradient:.8f}")])
    (row,) = [row for row in report.rows if row.step.name == "∂E_total/∂w6"]
    assert row.verdict == RIGHT


# ── the commands ──────────────────────────────────────────────────────────────

runner = CliRunner()


def invoke(*arguments: str):
    return runner.invoke(app, list(arguments), env={"COLUMNS": "80"})


@pytest.mark.parametrize(
    "command",
    [
        ["solve", str(MOMENTUM), "--format", "md", "--step", "2"],
        ["solve", str(ADAM), "--format", "tex", "--step", "3"],
        ["solve", str(SUM), "--format", "html", "--answers-only"],
        ["explain", "w5", "-s", str(MOMENTUM), "--step", "2"],
        ["explain", "out_h1[2]", "-s", str(SUM)],
        ["graph", str(ADAM), "--step", "2"],
        ["check", str(ADAM), "--template", "--step", "3"],
    ],
)
def test_every_teaching_command_works_a_batch_step(command):
    result = invoke(*command)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_solve_shows_each_sample_the_mean_and_the_momentum_rule():
    result = invoke("solve", str(MOMENTUM), "--format", "md", "--step", "2")
    text = result.output
    assert text.index("Sample 1 of 2 in the batch") < text.index("Sample 2 of 2 in the batch")
    assert "Batch gradient: the mean of the 2 samples" in text and r"\frac{1}{2}" in text
    assert "v′ = β·v + g,  p′ = p − η·v′" in text
    values = worked(MOMENTUM, 2)
    assert f"{float(values['w5′']):.10g}" in text  # the new w5, as `run` computes it


def test_explain_ends_with_the_batch_gradient_and_the_update():
    result = invoke("explain", "w5", "-s", str(MOMENTUM), "--step", "2")
    values = worked(MOMENTUM, 2)
    text = re.sub(r"\s+", " ", result.output)
    assert "∂E_total/∂w5 = (∂E_total/∂w5[1] + ∂E_total/∂w5[2])/2" in text
    assert f"= {float(values['∂E_total/∂w5']):.10g}" in text
    assert f"v_w5′ = β·v_w5 + ∂E_total/∂w5 = 0.9 × {float(values['v_w5′'] - values['∂E_total/∂w5']) / 0.9:.10g}" in text


def test_check_grades_a_batch_step_and_names_the_forgotten_mean(tmp_path):
    values = worked(MOMENTUM)
    per_sample = [values["∂E_total/∂w5[1]"], values["∂E_total/∂w5[2]"]]
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"out_o1[1]: {values['out_o1[1]']:.6f}\ndE/dw5: {sum(per_sample):.6f}\n", encoding="utf-8")
    result = invoke("check", str(MOMENTUM), str(answers))
    assert result.exit_code == 1, result.output
    assert "the 1/2 forgotten" in result.output


def test_quiz_asks_sample_by_sample_then_the_batch():
    result = runner.invoke(app, ["quiz", str(MOMENTUM), "--section", "update"], input="q\n")
    assert result.exit_code == 0, result.output
    assert "Update" in result.output and "v_w1′ = " in result.output


def test_a_batch_too_large_to_work_by_hand_is_refused_with_what_to_use(tmp_path):
    rows = "\n".join(f"  - {{inputs: {{x: {i}}}, targets: {{o: 1}}}}" for i in range(9))
    text = (
        f"name: nine\nsamples:\n{rows}\nlayers:\n  - {{name: out, activation: linear, neurons: {{o: {{weights: "
        "{x: w}}}}\nparameters: {w: 0.1}\nloss: sse\nlearning_rate: 0.01\n"
    )
    path = tmp_path / "nine.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("solve", str(path))
    assert result.exit_code == 2
    said = re.sub(r"\s+", " ", result.output)
    assert "has 9 samples" in said and "at most 8" in said and "bptutor run" in said
    assert invoke("check", str(path), "--template").exit_code == 2
    path.write_text(text + "training: {batch_size: 4}\n", encoding="utf-8")
    assert invoke("check", str(path), "--template", "--step", "3").exit_code == 0


def test_a_samples_step_is_explained_as_in_one_example():
    from bptutor.cli.quiz import why_key

    solution = WorkedSteps(at_step(load_scenario(MOMENTUM), 1))
    key, fields = why_key(solution, solution.step("∂out_h1/∂in_h1[2]"))
    assert key == "quiz.why.slope.sigmoid" and fields["name"] == "∂out_h1/∂in_h1[2]"
    assert why_key(solution, solution.step("∂E_total/∂w5"))[0] == "quiz.why.batch_gradient"
    assert why_key(solution, solution.step("w5′"))[0] == "quiz.why.new_parameter_momentum"


def test_the_python_api_works_step_k():
    from bptutor.api import solve

    solution = solve(str(MOMENTUM), step=2)
    values = worked(MOMENTUM, 2)
    assert solution.new_value("w5") == pytest.approx(float(values["w5′"]), rel=1e-12)
    assert solution.explain("w5[2]").gradient == pytest.approx(float(values["∂E_total/∂w5[2]"]), rel=1e-12)
    assert "Sample 2 of 2 in the batch" in solution.to_markdown()
    with pytest.raises(Exception, match="name one"):
        solution.explain("w5")


def test_a_batch_step_in_chinese():
    result = invoke("explain", "w5", "-s", str(MOMENTUM), "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "批次中的第 1 个样本" in result.output and "批量梯度：2 个样本的 ∂E_total/∂p 的平均值：" in result.output
    template_zh = invoke("check", str(MOMENTUM), "--template", "--lang", "zh").output
    assert "整个批次：损失和梯度取 2 个样本的平均值（它们之和乘以 1/2）" in template_zh


def test_a_wrong_hidden_error_term_of_a_sample_is_diagnosed_without_failing():
    """The updated-weights hypothesis reads a sample's own w5′ (as the tracer does): it must be there to read."""
    values = worked(MOMENTUM)
    wrong = values["δ_h1[2]"] * 2
    keys = diagnosed(MOMENTUM, "δ_h1[2]", float(wrong), {"out_h1[2]": f"{values['out_h1[2]']:.10f}"})
    assert isinstance(keys, list)


def test_the_interactive_worksheet_takes_a_batch_step(tmp_path):
    """Its judge is held to check's in test_sheet.py and test_sheet_browser.py; here the command writes it."""
    target = tmp_path / "sheet.html"
    result = invoke("solve", str(MOMENTUM), "--format", "html", "--interactive", "--step", "2", "-o", str(target))
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert 'data-quantity="out_o1[2]"' in page and 'data-quantity="v_w5′"' in page
    assert f"bptutor check {load_scenario(MOMENTUM).name} --step 2 ANSWERS.yaml" in page


@pytest.mark.parametrize(("output", "minus"), [("md", "i2 = −0.2"), ("tex", "i2 = $-$0.2")])
def test_a_handout_writes_a_negative_given_of_a_sample_with_a_true_minus(output, minus):
    result = invoke("solve", "two_samples", "--format", output)
    assert result.exit_code == 0, result.output
    assert minus in result.output  # the terminal's and the formulas' minus, never a hyphen
    assert "i2 = -0.2" not in result.output
