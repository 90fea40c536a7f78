"""`bptutor quiz`, driven as a user drives it: through a pseudo-terminal, through a pipe, and in-process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}
TIMEOUT = 60  # seconds pexpect waits for a prompt before the test fails (never a timing assertion)


def invoke(*arguments: str, typed: str):
    return CliRunner().invoke(app, ["quiz", *arguments], input=typed, env=ENVIRONMENT)


def test_right_answers_at_any_precision():
    result = invoke("two_two_two", "--section", "forward", typed="0.6\n0.65\n0.6700\n0.6615031592\nq\n")
    assert result.exit_code == 0
    assert result.output.count("  right\n") == 4
    assert "Score: 4 of 4 right at the first try." in result.output
    assert "not asked: 7." in result.output


def test_a_wrong_answer_gets_the_diagnosis_and_hints_then_a_retry():
    result = invoke("two_two_two", "--section", "forward", typed="0.6\n0.65\n0.66\n?\n0.67\nq\n")
    output = result.output
    assert "in_h2 = 0.66\n  not right at 2 decimals\n  It looks like: b1 used as the bias of h2, whose own bias is b2\n" in output
    assert "  Hint: in_h2 = w3·i1 + w4·i2 + b2\n" in output
    assert "  Hint: in_h2 = w3·i1 + w4·i2 + b2 = 0.3 × 0.1 + 0.4 × 0.2 + 0.56\n" in output
    assert "in_h2 = 0.67\n  right\n" in output
    assert "To review:\n  in_h2: right at try 2 (hints: 2); b1 used as the bias of h2, whose own bias is b2\n" in output


def test_reveal_skip_and_the_end_of_input():
    result = invoke("two_two_two", "--section", "update", typed="r\ns\n")
    output = result.output
    assert "w1′ = r\n  w1′ = w1 − η·∂E_total/∂w1 = 0.1 − 0.1 × 0.001123206695 = 0.09988767933\n" in output
    assert "w2′ = s\n  skipped\n" in output
    assert "Right after a hint or another try: 0; revealed: 1; skipped: 1; not asked: 10." in output
    assert result.exit_code == 0


def test_rounded_answers_carry_forward_as_the_student_wrote_them():
    # y_h = 0.57 (right to 2 decimals), then z_o = 0.3 × 0.57 + 0.2 = 0.371, as on the slides
    result = invoke("one_one_one", "--section", "forward", typed="0.3\n0.57\n0.371\nq\n")
    assert "z_o = 0.371\n  right\n" in result.output


def test_unknown_input_is_explained_and_chinese_works():
    result = invoke("two_two_two", "--lang", "zh", "--section", "forward", typed="abc\n0.6\nq\n")
    assert "请输入一个数（0.6457），或 ? 看提示、r 看答案、s 跳过、g 看已知量、q 退出。" in result.output
    assert "正向传播" in result.output and "得分：1 个中第一次就答对 1 个。" in result.output


def test_piped_input_in_a_real_process():
    typed = "0.6\n0.64\nr\n"
    completed = subprocess.run(
        [sys.executable, "-m", "bptutor", "quiz", "two_two_two", "--section", "forward"],
        input=typed, capture_output=True, text=True, cwd=ROOT, env={**os.environ, **_plain_env()}, timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "out_h1 = 0.64\n  not right at 2 decimals\n" in completed.stdout
    assert "out_h1 = r\n  out_h1 = σ(in_h1) = σ(0.6) = 0.6456563062\n" in completed.stdout
    assert completed.stdout.endswith("  out_h1: revealed; cut off instead of rounded: to 2 decimals it is 0.65\n")


def _plain_env() -> dict[str, str]:
    return {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}


def test_typed_at_a_terminal():
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable, ["-m", "bptutor", "quiz", "two_two_two", "--section", "backward"],
        cwd=str(ROOT), env={**os.environ, **_plain_env()}, encoding="utf-8", timeout=TIMEOUT,
    )
    try:
        child.expect_exact("∂E_total/∂out_o1 = ")
        child.sendline("-0.78")  # the sign of (t − o) flipped
        child.expect_exact("It looks like: the sign of (t − o) flipped")
        child.expect_exact("Hint: ∂E_total/∂out_o1 = −(target_o1 − out_o1)")
        child.expect_exact("∂E_total/∂out_o1 = ")
        child.sendline("0.79")
        child.expect_exact("right")
        child.expect_exact("∂out_o1/∂in_o1 = ")
        child.sendline("?")
        child.expect_exact("Hint: ∂out_o1/∂in_o1 = out_o1·(1 − out_o1)")
        child.expect_exact("∂out_o1/∂in_o1 = ")
        child.sendline("0.1606")
        child.expect_exact("right")
        child.expect_exact("δ_o1 = ")
        child.sendline("q")
        child.expect_exact("Score: 0 of 2 right at the first try.")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


def readme_transcripts() -> list[str]:
    """The piped sessions of the README's quiz section (```text blocks that start with `$ printf`)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### `bptutor quiz SCENARIO`", 1)[1].split("\n### ", 1)[0]
    return [chunk.split("\n```", 1)[0] for chunk in section.split("```text\n$ printf ")[1:]]


def test_the_readme_has_a_transcript_in_each_language():
    transcripts = readme_transcripts()
    assert len(transcripts) == 2 and "--lang zh" in transcripts[1].partition("\n")[0]


@pytest.mark.parametrize("block", readme_transcripts())
def test_the_readme_transcript_is_real(block):
    import shlex

    command, _, expected = block.partition("\n")
    typed_part, _, arguments = command.partition(" | bptutor ")
    typed = shlex.split(typed_part)[0].replace("\\n", "\n")
    result = CliRunner().invoke(app, shlex.split(arguments), input=typed, env=ENVIRONMENT)
    assert result.output == expected + "\n"


# ── a quiz that teaches: the givens, why each formula holds, Chinese input, fresh exercises, order ──

GIVEN_EN = "parameters (hidden)  w1 = 0.1, w2 = 0.2, w3 = 0.3, w4 = 0.4, b1 = 0.55, b2 = 0.56\n"


def test_the_givens_come_first_and_on_request():
    output = invoke("two_two_two", "--section", "forward", typed="g\ngivens\nq\n").output
    first, _, rest = output.partition("Type each value")
    assert "\nGiven\ninputs               i1 = 0.1, i2 = 0.2\n" in first and GIVEN_EN in first
    assert "learning rate        η = 0.1 for w1, w2, w3, w4, b1, b2; η = 0.5 for w5, w6, w7, w8, b3, b4\n" in first
    assert rest.count(GIVEN_EN) == 2  # g, then givens
    chinese = invoke("two_two_two", "--lang", "zh", "--section", "forward", typed="已知\nq\n").output
    assert chinese.count("已知条件\n") == 2 and chinese.count("学习率") == 2


def test_why_each_formula_holds_after_each_answered_step():
    output = invoke("two_two_two", "--section", "forward", typed="0.6\nr\ns\nq\n").output
    assert "in_h1 = 0.6\n  right\n  Why: a neuron adds up what reaches it" in output
    assert "out_h1 = r\n  out_h1 = σ(in_h1) = σ(0.6) = 0.6456563062\n  Why: a neuron's output is its activation" in output
    assert "in_h2 = s\n  skipped\nout_h2 = " in output  # nothing to explain about a skipped value
    backward = invoke("two_two_two", "--section", "backward", typed="r\n" * 10 + "q\n").output
    assert "  Why: only o1's own loss term depends on its output" in backward
    assert "  Why: σ′(z) = σ(z)(1 − σ(z)), so the slope comes from the output alone: out·(1 − out).\n" in backward
    assert "  Why: chain rule: the loss reaches o1's input only through its output" in backward
    assert "  Why: w5 reaches the loss only through the sums it is in" in backward
    hidden = invoke("two_two_two", "--section", "backward", typed="s\n" * 12 + "r\nq\n").output
    assert "∂E_total/∂out_h1 = r\n" in hidden
    assert "  Why: h1 feeds o1, o2; each path carries δ × weight back and the paths add, with the old weights" in hidden
    update = invoke("two_two_two", "--lang", "zh", "--section", "update", typed="r\nq\n").output
    assert "  原因：梯度下降沿梯度的反方向走一步，p′ = p − η·∂E/∂p，使损失减小。\n" in update


def test_every_kind_of_step_has_its_line_in_every_language():
    from bptutor.cli.quiz import why_key
    from bptutor.i18n import LANGUAGES, message
    from bptutor.loading.builtin import builtin_names, builtin_path
    from bptutor.loading.document import load_document
    from bptutor.teach.solution import WorkedSteps

    for name in builtin_names():
        scenario = load_document(builtin_path(name))
        if not getattr(scenario, "is_single_example", False):
            continue
        solution = WorkedSteps(scenario)
        for step in solution.steps:
            if step.optional:
                continue
            key, fields = why_key(solution, step)
            for lang in LANGUAGES:
                assert message(key, lang, **fields)


def test_chinese_keyboards_are_understood():
    typed = "０．６\n0,65\n0。67\n1,234\n？\n提示\n答案\n跳过\n帮助\n退出\n"
    output = invoke("two_two_two", "--section", "forward", typed=typed).output
    assert "in_h1 = ０．６\n  right\n" in output  # full-width digits and point, echoed as typed
    assert "out_h1 = 0,65\n  right\n" in output  # a decimal comma
    assert "in_h2 = 0。67\n  right\n" in output  # the ideographic full stop between digits
    assert "out_h2 = 1,234\n  Is 1,234 a decimal comma or a thousands separator? Write it with a point.\n" in output
    assert "out_h2 = ？\n  Hint: out_h2 = σ(in_h2)\nout_h2 = 提示\n  Hint: out_h2 = σ(in_h2) = σ(0.67)\n" in output
    assert "out_h2 = 答案\n  out_h2 = σ(in_h2) = σ(0.67) = 0.6615031592\n" in output
    assert "in_o1 = 跳过\n  skipped\n" in output
    assert "out_o1 = 帮助\n  Type each value to the precision" in output
    assert "out_o1 = 退出\n\nSummary\n" in output
    chinese = invoke("two_two_two", "--lang", "zh", "--section", "forward", typed="０.６\nq\n").output
    assert "in_h1 = ０.６\n  对\n  原因：神经元把收到的每个输入乘以对应的权重后相加，再加上偏置。\n" in chinese


def test_number_text_reads_a_decimal_comma_only_when_unambiguous():
    from bptutor.cli.quiz import AMBIGUOUS, cleaned, number_text

    assert number_text(cleaned("０．８３９")) == "0.839"
    assert number_text(cleaned("0,839")) == "0.839"
    assert number_text(cleaned("－0，5")) == "-0.5"
    assert number_text(cleaned("−0.5")) == "-0.5"
    assert number_text("12,5") == "12.5" and number_text("1,2345") == "1.2345"
    assert number_text("1,234") == AMBIGUOUS and number_text("12,345") == AMBIGUOUS
    assert number_text("1,2,3") == "1,2,3"  # not a number: the quiz says so


def test_fresh_quizzes_on_a_generated_exercise_the_same_for_the_same_seed():
    from bptutor.teach.generate import Options, exercise

    first = invoke("--fresh", "7", typed="q\n")
    again = invoke("--fresh", "7", typed="q\n")
    other = invoke("--fresh", "8", typed="q\n")
    assert first.exit_code == 0 and first.output == again.output != other.output
    assert first.output.startswith("Quiz: Exercise 1: 2-2-2 sigmoid network (seed 7)  (exercise-01; ")
    scenario = exercise(Options(shape=(2, 2, 2), count=1, seed=7), 1).scenario
    w1 = dict(scenario.parameters)["w1"]
    assert f"w1 = {w1:g},".replace("-", "\u2212") in first.output  # shown with a true minus sign


def test_shuffle_keeps_the_passes_and_asks_each_value_after_what_it_reads():
    from bptutor.cli.quiz import shuffled
    from bptutor.loading.builtin import builtin_path
    from bptutor.loading.document import load_document
    from bptutor.teach.solution import SECTIONS, WorkedSteps

    solution = WorkedSteps(load_document(builtin_path("two_two_two")))
    steps = [step for step in solution.steps if not step.optional]
    orders = {tuple(step.name for step in shuffled(steps, seed)) for seed in range(5)}
    assert len(orders) > 1 and tuple(step.name for step in shuffled(steps, 3)) in orders
    for seed in range(5):
        order = shuffled(steps, seed)
        assert sorted(step.name for step in order) == sorted(step.name for step in steps)
        assert [SECTIONS.index(step.section) for step in order] == sorted(SECTIONS.index(s.section) for s in order)
        seen: set[str] = set()
        for step in order:
            same_pass = {s.name for s in steps if s.section == step.section}
            assert all(name in seen for name in step.inputs if name in same_pass), (seed, step.name)
            seen.add(step.name)


def test_order_shuffle_on_the_command_line_is_seeded():
    first = invoke("two_two_two", "--order", "shuffle", "--seed", "5", typed="s\n" * 47)
    again = invoke("two_two_two", "--order", "shuffle", "--seed", "5", typed="s\n" * 47)
    kept = invoke("two_two_two", "--order", "keep", typed="s\n" * 47)
    assert first.exit_code == 0 and first.output == again.output != kept.output
    assert first.output.startswith("Order shuffled within each pass (seed 5).\n")
    assert first.output.index("Forward pass") < first.output.index("Backward pass") < first.output.index("\nUpdate\n")
    assert "skipped: 47; not asked: 0." in first.output
    fresh = invoke("--fresh", "3", "--order", "shuffle", typed="q\n")
    assert fresh.output.startswith("Order shuffled within each pass (seed 3).\n")


# ── bad input never raises ─────────────────────────────────────────────────────


def _pipe(typed: bytes, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bptutor", "quiz", *arguments],
        input=typed, capture_output=True, cwd=ROOT, env={**os.environ, **_plain_env()}, timeout=120,
    )


def test_undecodable_bytes_control_characters_empty_and_long_lines_in_a_real_pipe():
    typed = b"\xff\xfe0.6\n\x1b[31m0.6\x07\n\n" + b"9" * 100_000 + b"\n\x00\r\n0.6\n0.65\n"
    completed = _pipe(typed, "two_two_two", "--section", "forward")
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == b""
    out = completed.stdout.decode("utf-8")
    assert "in_h1 = \ufffd\ufffd0.6\n  Type a number" in out
    assert "in_h1 = [31m0.6\n  Type a number" in out  # the escape character itself never reaches the terminal
    assert "\x1b" not in out and "\x07" not in out and "\x00" not in out
    assert "in_h1 = \n  Type a number" in out
    assert "in_h1 = " + "9" * 100 + "…\n  That is longer than 100 characters" in out
    assert "out_h1 = 0.65\n  right\n" in out  # the line after the long one is read as its own line
    assert out.endswith("not asked: 9.\nNothing to review: every value right at the first try.\n")


def test_end_of_input_anywhere_ends_with_the_summary():
    for typed in ("", "0.6", "0.6\n0.6"):
        result = invoke("two_two_two", "--lang", "zh", "--section", "update", typed=typed)
        assert result.exit_code == 0 and result.stderr == ""
        assert "小结" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (("--fresh", "abc"), "bptutor: --fresh wants a seed, a whole number from 0 to 999999999999999999, not 'abc'\n"),
        (("--fresh", "-1"), "bptutor: --fresh wants a seed, a whole number from 0 to 999999999999999999, not '-1'\n"),
        (("--fresh", "1" * 40), "not '" + "1" * 40 + "'\n"),
        (("--fresh", "７"), "not '７'\n"),
        (("two_two_two", "--order", "random"), "bptutor: --order wants keep or shuffle, not 'random'\n"),
        (("two_two_two", "--order", "shuffle", "--seed", "x"), "bptutor: --seed wants a whole number"),
        (("two_two_two", "--fresh", "1"), "bptutor: --fresh makes its own exercise"),
        ((), "bptutor: give a SCENARIO, or --fresh SEED for a newly generated exercise\n"),
    ],
)
def test_bad_fresh_seed_or_order_is_a_one_line_usage_error(arguments, expected):
    result = invoke(*arguments, typed="")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and expected in result.stderr


def test_usage_errors_in_chinese_and_in_a_real_process():
    completed = _pipe(b"", "--fresh", "x", "--lang", "zh")
    assert completed.returncode == 2 and completed.stdout == b""
    assert completed.stderr.decode("utf-8") == (
        "bptutor: --fresh 需要一个种子，即 0 到 999999999999999999 之间的整数，而不是 “x”\n"
    )


def test_ctrl_c_in_a_pipe_ends_with_the_summary_and_exit_130():
    import select
    import signal

    child = subprocess.Popen(
        [sys.executable, "-m", "bptutor", "quiz", "two_two_two", "--section", "forward"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=ROOT, env={**os.environ, **_plain_env()},
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(b"0.6\n")
    child.stdin.flush()
    seen = b""
    while b"out_h1 = " not in seen:  # wait for the second prompt (the test's timeout stops a hang)
        ready, _, _ = select.select([child.stdout], [], [], TIMEOUT)
        assert ready, seen
        chunk = os.read(child.stdout.fileno(), 4096)
        assert chunk, seen
        seen += chunk
    child.send_signal(signal.SIGINT)
    rest, error = child.communicate(timeout=TIMEOUT)
    assert child.returncode == 130
    assert (seen + rest).decode("utf-8").endswith(
        "out_h1 = \n\nSummary\nScore: 1 of 1 right at the first try.\n"
        "Right after a hint or another try: 0; revealed: 0; skipped: 0; not asked: 10.\n"
        "Nothing to review: every value right at the first try.\n"
    )
    assert error == b"bptutor: interrupted\n"


# ── at a terminal: line editing, history, Chinese, Ctrl-C ─────────────────────


def _terminal(*arguments: str, term: str = "xterm"):
    pexpect = pytest.importorskip("pexpect")
    environment = {**os.environ, **_plain_env(), "TERM": term}
    return pexpect, pexpect.spawn(
        sys.executable, ["-m", "bptutor", "quiz", "two_two_two", *arguments],
        cwd=str(ROOT), env=environment, encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120),
    )


def test_line_editing_and_history_at_a_terminal():
    pexpect, child = _terminal("--section", "forward")
    try:
        child.expect_exact("in_h1 = ")
        child.send(".6\x1b[D\x1b[D0\r")  # .6, ← ←, 0: 0.6 (no ^[[D in the answer)
        child.expect_exact("right")
        child.expect_exact("out_h1 = ")
        child.send("\x1b[A5\r")  # ↑ recalls 0.6; 0.65
        child.expect_exact("right")
        child.expect_exact("in_h2 = ")
        child.sendline("g")
        child.expect_exact("parameters (output)  w5 = 0.5")
        child.expect_exact("in_h2 = ")
        child.sendline("q")
        child.expect_exact("Score: 2 of 2 right at the first try.")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


def test_chinese_and_ctrl_c_at_a_terminal():
    pexpect, child = _terminal("--lang", "zh", "--section", "forward")
    try:
        child.expect_exact("in_h1 = ")
        child.sendline("０．６")
        child.expect_exact("原因：神经元把收到的每个输入")
        child.expect_exact("out_h1 = ")
        child.sendline("提示")
        child.expect_exact("提示：out_h1 = σ(in_h1)")
        child.expect_exact("out_h1 = ")
        child.sendintr()
        child.expect_exact("得分：2 个中第一次就答对 1 个。")  # out_h1 was asked: a hint was given
        child.expect_exact("bptutor: 已中断")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130


def test_end_of_input_at_a_terminal():
    pexpect, child = _terminal("--section", "update", term="dumb")
    try:
        child.expect_exact("w1′ = ")
        child.sendeof()
        child.expect_exact("Summary")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


def test_undecodable_bytes_and_control_keys_at_a_terminal():
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable, ["-m", "bptutor", "quiz", "two_two_two", "--section", "forward"],
        cwd=str(ROOT), env={**os.environ, **_plain_env(), "TERM": "xterm"}, timeout=TIMEOUT,
    )
    try:
        child.expect_exact(b"in_h1 = ")
        child.send(b"\xff\xfe0.6\r")
        child.expect_exact(b"Type a number")
        child.expect_exact(b"in_h1 = ")
        child.send(b"\x1b[31m\x01\x02\x0b0.6\r")  # readline takes the control keys as editing commands
        child.expect_exact([b"right", b"Type a number"])  # whatever the line editor made of them: no traceback
        child.expect_exact([b"out_h1 = ", b"in_h1 = "])
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
