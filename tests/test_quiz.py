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
    assert "请输入一个数（0.6457），或 ? 看提示、r 看答案、s 跳过、q 退出。" in result.output
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


def test_the_readme_transcript_is_real():
    import shlex

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```text\n$ printf ", 1)[1].split("\n```", 1)[0]
    command, _, expected = block.partition("\n")
    typed_part, _, arguments = command.partition(" | bptutor ")
    typed = shlex.split(typed_part)[0].encode().decode("unicode_escape")
    result = CliRunner().invoke(app, shlex.split(arguments), input=typed, env=ENVIRONMENT)
    assert result.output == expected + "\n"
