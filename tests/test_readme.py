"""The README shows real output: every `$ bptutor …` console block is run and compared.

A block whose command ends in `# excerpt` must appear as a contiguous part of the
real output; any other block must equal it.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "FORCE_COLOR": None}

# The misspelt file the README's error example reads.
TYPO_YAML = """\
name: demo
inputs: {x: 1}
targets: {o: 0.5}
layers:
  - name: out
    activation: sigmoid
    neurons:
      o: {bias: b, weights: {x: w}}
parameters: {w: 0.3, b: 0.1}
loss: half_sse
lerning_rate: 0.5
"""


def console_blocks() -> list[tuple[str, str]]:
    """(command line, expected output) for every ```console block of the README."""
    blocks = []
    lines = (ROOT / "README.md").read_text(encoding="utf-8").split("\n")
    inside = False
    current: list[str] = []
    for line in lines:
        if line == "```console":
            inside, current = True, []
        elif inside and line == "```":
            inside = False
            assert current[0].startswith("$ bptutor "), current[0]
            blocks.append((current[0][2:], "\n".join(current[1:]) + "\n"))
        elif inside:
            current.append(line)
    return blocks


BLOCKS = console_blocks()


def test_the_readme_has_the_promised_examples():
    commands = [command for command, _ in BLOCKS]
    assert "bptutor run scenarios/two_two_two.yaml" in commands
    assert "bptutor explain w5" in commands
    assert "bptutor explain w5 --lang zh" in commands


def _block_params() -> list:
    """Each block as a test; a block that draws a plot (with matplotlib) is marked external, one that
    reads the 13,002-parameter digits network slow."""
    params = []
    for command, expected in BLOCKS:
        marks = [pytest.mark.external] if "--plot" in command.split() else []
        marks += [pytest.mark.slow] if "examples/digits.yaml" in command else []
        params.append(pytest.param(command, expected, id=command, marks=marks))
    return params


@pytest.mark.parametrize(("command", "expected"), _block_params())
def test_readme_block_is_real_output(command, expected, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "tests" / "data", tmp_path / "tests" / "data")
    (tmp_path / "typo.yaml").write_text(TYPO_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    excerpt = command.endswith("# excerpt")
    arguments = shlex.split(command.split("#")[0])[1:]
    result = CliRunner().invoke(app, arguments, env=ENVIRONMENT)
    if excerpt:
        assert expected in result.output
    else:
        assert result.output == expected


def python_blocks() -> list[str]:
    """The README's ```python blocks: each is run, and every `print(…)  # expected` is checked."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for chunk in text.split("```python\n")[1:]:
        blocks.append(chunk.split("\n```", 1)[0])
    return blocks


@pytest.mark.parametrize("block", python_blocks())
def test_readme_python_examples_run_and_print_what_they_say(block, capsys):
    expected = [line.split("#", 1)[1].strip() for line in block.splitlines() if line.startswith("print(") and "#" in line]
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed == expected


def test_the_readme_has_a_python_example():
    assert python_blocks()


def test_ci_runs_the_readme_test_command_with_its_type_and_lint_gates():
    """`.ci/run` runs the README's test command, word for word, and that command type-checks and lints first."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    readme_command = quick_start.split("```sh\n")[2].split("\n```", 1)[0].strip()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci_lines[-1] == readme_command
    steps = [step.strip() for step in readme_command.split("&&")]
    (pytest,) = [index for index, step in enumerate(steps) if step.startswith("python -m pytest")]
    assert steps.index("python -m mypy") < pytest
    assert steps.index("python -m ruff check") < pytest
