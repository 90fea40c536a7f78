"""Fuzzing every command in-process with mutated files: each run ends in a documented exit code and one line.

Hypothesis mutates seed documents (a layered scenario, a custom-function scenario, a CSV-fed scenario, an
expression program, an answers file and the CSV itself) with slices taken out, doubled or replaced by hostile
tokens (control characters, huge exponents, YAML syntax, HTML, expression operators), then runs one command on
the result through typer's CliRunner. A run must end with 0 (its JSON valid and finite, when JSON was asked
for), 1 for `check`'s wrong values, or a documented code 2–5 with exactly one line on stderr, never a traceback
or the internal-error code 70, and within TIME_LIMIT seconds.

BPTUTOR_FUZZ_EXAMPLES sets how many cases run (default 40, derandomised: the same cases each time), e.g.
`BPTUTOR_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz_hostile.py -p no:randomly` for a long run.
"""

from __future__ import annotations

import json
import math
import os
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bptutor.cli.app import app

pytestmark = pytest.mark.slow

ENVIRONMENT = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
EXAMPLES = int(os.environ.get("BPTUTOR_FUZZ_EXAMPLES", "40"))
TIME_LIMIT = 20  # seconds for one command on one file
DOCUMENTED = {0, 1, 2, 3, 4, 5}

LAYERED = """\
name: fuzz
notation: {activation: "out_{n}", loss: E}
inputs: {x1: 0.5, x2: -0.25}
targets: {o1: 0.2}
layers:
  - name: hidden
    activation: tanh
    neurons:
      h1: {bias: b1, weights: {x1: w1, x2: w2}}
  - name: output
    activation: sigmoid
    neurons:
      o1: {bias: b2, weights: {h1: w3}}
parameters: {w1: 0.1, w2: -0.2, w3: 0.3, b1: 0.05, b2: -0.1}
loss: half_sse
learning_rate: {default: 0.5, hidden: 0.1}
rounding: {activations: 4}
"""
CUSTOM = """\
name: custom
inputs: {x1: 1, x2: -2}
targets: {o: 0.3}
layers:
  - name: hidden
    activation: {expression: "log(1 + exp(s))", variable: s}
    neurons:
      h: {weights: {x1: w1, x2: w2}, bias: b1}
  - name: out
    activation: {expression: "max(t, 0) + abs(t) / 10", variable: t}
    neurons:
      o: {weights: {h: w3}, bias: b2}
parameters: {w1: 0.5, w2: -0.25, w3: 2, b1: 0.1, b2: 1}
loss: {expression: "min((t - o)**2 / 2, 10)", target: t, output: o}
learning_rate: 0.5
"""
SAMPLED = """\
name: sampled
samples: data.csv
layers:
  - name: out
    activation: sigmoid
    neurons:
      o: {bias: b, weights: {x1: w1, x2: w2}}
parameters: {w1: 0.3, w2: -0.2, b: 0.1}
loss: bce
learning_rate: 0.5
optimizer: adam
training: {steps: 3, batch_size: 2}
"""
CSV = "x1,x2,o\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"
EXPRESSION = """\
name: program
expression: |
  q = x * y + exp(z)
  r = max(q, z) * log(q + 2)
  f = r / (1 + abs(q)) + q ** 2
values: {x: -2, y: 5, z: 0.5}
"""
ANSWERS = "out_h1: 0.4875\nE: 0.0181\ndE/dw3: -0.0152\nw3': [0.3076, 0.31]\n"

SEEDS = {"layered": LAYERED, "custom": CUSTOM, "sampled": SAMPLED, "expression": EXPRESSION}
TOKENS = [
    "\x1b[31m", "\x00", "\x07", "\u202e", "\r", "\t", "\n", "\n  ", "- ", ": ", "{", "}", "[", "]", "'", '"',
    "&a", "*a",
    "!!python/object:os.system", "1e999999999", "-0", "nan", ".inf", "1e-320", "0", "-1", "1e6", "9" * 40, "0x1F",
    "yes", "~", "<script>", "%", "$", "\\", "{n}", "**", "** 9 ** 9", "log(", "abs(", "max(", "min(", "/ 0", "(" * 30,
    ")" * 30, "exp(exp(exp(", "x", "z", "w1", "h1", "o1", "sigmoid", "relu", "softmax", "cross_entropy", "mse",
    "é", "网络", "∂", "σ", "a" * 200,
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` with a few slices removed, doubled or replaced by hostile tokens or random characters."""
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        kind = draw(st.sampled_from(["token", "delete", "double", "characters"]))
        if kind == "token":
            piece = draw(st.sampled_from(TOKENS))
        elif kind == "delete":
            piece = ""
        elif kind == "double":
            piece = text[start:end] * 2
        else:
            piece = draw(st.text(max_size=12))
        text = text[:start] + piece + text[end:]
    return text


COMMANDS = {
    "layered": [["run"], ["run", "--format", "json"], ["explain", "w1", "-s"], ["sensitivity", "--format", "json"],
                ["solve", "--format", "md"], ["solve", "--format", "tex"], ["solve", "--format", "html"], ["check"],
                ["graph", "--format", "dot"], ["validate"], ["quiz"], ["run", "--steps", "3", "--format", "json"]],
    "custom": [["run", "--format", "json"], ["explain", "w1", "-s"], ["solve", "--format", "md"], ["sensitivity"],
               ["graph"], ["check"]],
    "sampled": [["run", "--format", "json"], ["train", "--format", "json"], ["sensitivity", "--format", "json"]],
    "expression": [["run"], ["run", "--format", "json"], ["explain", "x", "-s"], ["explain", "q", "-s"],
                   ["graph", "--format", "mermaid"], ["validate"]],
}


class TooSlow(BaseException):
    """A command ran past TIME_LIMIT (a BaseException, so the command's own guard does not catch it)."""


def _too_slow(signum, frame):  # type: ignore[no-untyped-def]
    raise TooSlow()


def _finite(document: object) -> bool:
    if isinstance(document, float):
        return math.isfinite(document)
    if isinstance(document, dict):
        return all(_finite(value) for value in document.values())
    if isinstance(document, list):
        return all(_finite(value) for value in document)
    return True


def _refuse_constant(name: str) -> object:
    raise ValueError(f"JSON with {name}")


def _arguments(command: list[str], scenario: Path, answers: Path) -> list[str]:
    if command[0] == "explain":
        return [*command, str(scenario)]
    arguments = [command[0], str(scenario), *command[1:]]
    if command[0] == "check":
        arguments.append(str(answers))
    return arguments


def check_one_run(
    folder: Path, kind: str, document: str, csv: str, answers: str, command: list[str], stdin: str
) -> None:
    scenario = folder / "scenario.yaml"
    scenario.write_text(document, encoding="utf-8", errors="surrogatepass")
    (folder / "data.csv").write_text(csv, encoding="utf-8", errors="surrogatepass")
    answers_file = folder / "answers.yaml"
    answers_file.write_text(answers, encoding="utf-8", errors="surrogatepass")
    arguments = _arguments(command, scenario, answers_file)
    previous = signal.signal(signal.SIGALRM, _too_slow)
    signal.alarm(TIME_LIMIT)
    try:
        result = CliRunner().invoke(app, arguments, env=ENVIRONMENT, input=stdin)
    except TooSlow:
        pytest.fail(f"{arguments} ran past {TIME_LIMIT} s on:\n{document}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    context = f"{arguments} exit {result.exit_code}\n--- file:\n{document}\n--- output:\n{result.output}"
    assert result.exit_code in DOCUMENTED, context
    assert "Traceback" not in result.output, context
    if result.exit_code in (0, 1):
        if "--format" in command and "json" in command and result.exit_code == 0:
            parsed = json.loads(result.stdout, parse_constant=_refuse_constant)
            assert _finite(parsed), context
        return
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("bptutor: "), context
    assert not any(ord(character) < 32 for character in lines[0]), context


@settings(
    max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_every_command_on_a_mutated_file_ends_in_a_documented_way(tmp_path_factory, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(sorted(SEEDS)))
    document = data.draw(mutated(SEEDS[kind]))
    csv = data.draw(mutated(CSV)) if kind == "sampled" else CSV
    answers = data.draw(mutated(ANSWERS))
    command = data.draw(st.sampled_from(COMMANDS[kind]))
    stdin = data.draw(mutated("0.4875\n0.5\n?\nskip\n\n0.7\n"))
    check_one_run(tmp_path_factory.mktemp("fuzz"), kind, document, csv, answers, command, stdin)
