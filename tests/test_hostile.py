"""Nothing a file can do: hostile inputs through the command line, each with its exit code and one-line message.

Each test reproduces one way a file, a name or an option used to hang, crash, print a traceback or write
somewhere unasked; the README's "Guarantees on hostile input" names them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bptutor.cli.app import app
from bptutor.errors import printable

ENVIRONMENT = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
ROOT = Path(__file__).resolve().parent.parent

ONE_NEURON = """\
name: t
{data}
layers:
  - name: out
    activation: {activation}
    neurons:
      o: {{bias: b, weights: {{x1: w}}}}
parameters: {{w: {w}, b: 0.1}}
loss: {loss}
learning_rate: 0.5
"""


def scenario(
    folder: Path,
    activation: str = "sigmoid",
    loss: str = "half_sse",
    data: str = "inputs: {x1: 0.5}\ntargets: {o: 0.2}",
    w: str = "0.3",
    name: str = "s.yaml",
) -> str:
    path = folder / name
    path.write_text(ONE_NEURON.format(data=data, activation=activation, loss=loss, w=w), encoding="utf-8")
    return str(path)


def invoke(*arguments: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(app, list(arguments), env=ENVIRONMENT, input=stdin)


def one_line(result, code: int) -> str:
    """The run's exit code is `code` and its stderr one line without a traceback; that line."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 1, result.stderr
    assert not any(ord(c) < 32 for c in lines[0])
    return lines[0]


# ── only regular files are read, each bounded ─────────────────────────────────


@pytest.mark.parametrize("kind", ["device", "fifo", "proc"])
def test_a_samples_file_that_is_not_a_regular_file_is_refused(tmp_path, kind) -> None:
    target = tmp_path / "data.csv"
    if kind == "device":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/proc/self/environ")
    line = one_line(invoke("run", scenario(tmp_path, data="samples: data.csv")), 3)
    assert "s.yaml:2:10 [samples]" in line and "not a regular file" in line
    assert "PATH=" not in line


def test_a_csv_with_a_byte_order_mark_is_read(tmp_path) -> None:
    (tmp_path / "data.csv").write_bytes(b"\xef\xbb\xbfx1,o\n0.5,0.2\n")
    with_mark = invoke("run", scenario(tmp_path, data="samples: data.csv"), "--format", "json")
    (tmp_path / "data.csv").write_bytes(b"x1,o\n0.5,0.2\n")
    without = invoke("run", scenario(tmp_path, data="samples: data.csv"), "--format", "json")
    assert with_mark.exit_code == without.exit_code == 0
    assert with_mark.stdout == without.stdout


def test_a_non_utf8_csv_is_located_by_line_and_column(tmp_path) -> None:
    (tmp_path / "data.csv").write_bytes(b"x1,o\n0.5,0.2\n0.\xe95,1\n")
    line = one_line(invoke("run", scenario(tmp_path, data="samples: data.csv")), 3)
    assert "byte 0xe9 at line 3, column 3" in line


def test_escape_sequences_in_a_csv_header_are_escaped_and_cut(tmp_path) -> None:
    header = "x\x1b]0;owned\x07" + "y" * 5000
    (tmp_path / "data.csv").write_text(f"{header},o\n1,0\n", encoding="utf-8")
    line = one_line(invoke("run", scenario(tmp_path, data="samples: data.csv")), 3)
    assert "\x1b" not in line and "\\x1b" in line
    assert len(line) < 400


def test_escape_sequences_in_a_samples_file_name_and_an_answers_key_are_escaped(tmp_path) -> None:
    line = one_line(invoke("run", scenario(tmp_path, data='samples: "\\e[2J' + "z" * 3000 + '.csv"')), 3)
    assert "\x1b" not in line and "\\x1b[2J" in line and len(line) < 600
    answers = tmp_path / "answers.yaml"
    answers.write_text('"w\\e[31m' + "q" * 900 + '": 0.5\n', encoding="utf-8")
    line = one_line(invoke("check", "two_two_two", str(answers)), 3)
    assert "\x1b" not in line and "\\x1b[31m" in line and len(line) < 2100


def test_printable_escapes_control_characters_and_cuts() -> None:
    assert printable("a\x1b[31mb\u2028c", 40) == "a\\x1b[31mb\\u2028c"
    assert printable("x" * 50, 10) == "x" * 10 + "…"
    assert printable("σ(z) 网络", 40) == "σ(z) 网络"


def test_a_huge_exponent_in_answers_is_refused_not_an_overflow(tmp_path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text('out_o1: "1e999999999"\n', encoding="utf-8")
    line = one_line(invoke("check", "two_two_two", str(answers)), 3)
    assert "answers.yaml:1:9 [out_o1]" in line


# ── no traceback: every path ends in a documented code and one line ───────────


@pytest.mark.parametrize(
    ("activation", "loss"),
    [('{expression: "abs(z)"}', "half_sse"), ('{expression: "max(z, 0)"}', "half_sse"),
     ("sigmoid", '{expression: "min(t - o, 1)"}'), ("sigmoid", '{expression: "abs(t - o)"}')],
)
@pytest.mark.parametrize("output_format", ["md", "tex", "html"])
def test_solve_writes_custom_abs_max_and_min(tmp_path, activation, loss, output_format) -> None:
    result = invoke("solve", scenario(tmp_path, activation, loss), "--format", output_format)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_explain_of_a_custom_abs_loss_agrees_with_run(tmp_path) -> None:
    """E = |t − o| with o = σ(0.3·0.5 + 0.1) > t = 0.2: ∂E/∂w = σ′·x, computed here by hand."""
    import math

    path = scenario(tmp_path, loss='{expression: "abs(t - o)"}')
    result = invoke("explain", "w", "-s", path)
    assert result.exit_code == 0, result.output
    out = 1 / (1 + math.exp(-(0.3 * 0.5 + 0.1)))
    gradient = out * (1 - out) * 0.5  # sign(o − t) = 1
    assert f"{gradient:.10f}"[:11] in result.stdout


@pytest.mark.parametrize("term", ["log(o - 2)", "(o - 2)**0.5", "0**-1", "1/(o - o)"])
def test_explain_exits_3_like_run_on_a_value_outside_a_domain(tmp_path, term) -> None:
    path = scenario(tmp_path, loss=f'{{expression: "{term}"}}')
    assert one_line(invoke("run", path), 3) == one_line(invoke("explain", "w", "-s", path), 3)


def test_non_finite_numbers_exit_4_in_every_command(tmp_path) -> None:
    path = scenario(tmp_path, activation='{expression: "exp(exp(exp(z)))"}', w="5")
    (tmp_path / "answers.yaml").write_text("out_o: 0.5\n", encoding="utf-8")
    for arguments in (["run", path], ["explain", "w", "-s", path], ["sensitivity", path, "--format", "json"],
                      ["solve", path], ["graph", path], ["check", path, str(tmp_path / "answers.yaml")]):
        line = one_line(invoke(*arguments), 4)
        assert "overflowed" in line


def test_a_denormal_number_is_refused_with_its_place(tmp_path) -> None:
    line = one_line(invoke("sensitivity", scenario(tmp_path, data="inputs: {x1: 1e-320}\ntargets: {o: 0.2}")), 3)
    assert "s.yaml:2:14 [inputs.x1]" in line and "1e-100" in line


def test_sensitivity_never_prints_an_infinite_ratio() -> None:
    from bptutor.core.summary import _ratio

    assert _ratio(1.0, 5e-324) is None and _ratio(6.0, 3.0) == 2.0 and _ratio(1.0, 0.0) is None


def test_quiz_reads_bytes_that_are_not_utf8() -> None:
    result = invoke("quiz", "two_two_two", stdin=b"\xff\xfe\n0.5\n")
    assert result.exit_code == 0 and "Traceback" not in result.output


def test_generate_refuses_a_rate_of_nan(tmp_path) -> None:
    line = one_line(invoke("generate", "--rate", "nan", "-o", str(tmp_path / "out")), 2)
    assert "--rate" in line and not (tmp_path / "out").exists()


def test_an_unforeseen_error_is_one_line_and_exit_70(monkeypatch) -> None:
    import bptutor.core.trace as trace

    def broken(*arguments, **options):
        raise RuntimeError("boom\x1b[2J")

    monkeypatch.setattr(trace, "run", broken)
    line = one_line(invoke("run", "two_two_two"), 70)
    assert "internal error (RuntimeError: boom\\x1b[2J)" in line


def test_a_full_disk_on_stdout_is_one_line_and_exit_2() -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        completed = subprocess.run(
            [sys.executable, "-m", "bptutor", "run", "two_two_two"], stdout=full, stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60, check=False,
        )
    assert completed.returncode == 2
    assert completed.stderr.decode().splitlines() == ["bptutor: cannot write the output: No space left on device"]


# ── bounded time ──────────────────────────────────────────────────────────────


def _program(lines: list[str]) -> str:
    return "name: fork\nexpression: |\n" + "".join(f"  {line}\n" for line in lines) + "values: {x: 0.5}\n"


def test_explain_of_a_60_line_forking_program_uses_the_reverse_pass(tmp_path) -> None:
    """v_i = tanh(v_{i-1})·v_{i-1} + v_{i-1}: 3⁵⁸ paths; ∂f/∂x by the chain rule line by line, here in floats."""
    import math

    lines = ["v0 = x + 1", *(f"v{i} = tanh(v{i - 1}) * v{i - 1} + v{i - 1}" for i in range(1, 59)), "f = v58"]
    assert len(lines) == 60
    path = tmp_path / "fork.yaml"
    path.write_text(_program(lines), encoding="utf-8")  # 60 lines, a trailing newline: not 61
    value, slope = 1.5, 1.0
    for _ in range(58):
        local = math.tanh(value) + value * (1 - math.tanh(value) ** 2) + 1
        value, slope = math.tanh(value) * value + value, slope * local
    from bptutor.derive.circuit import explain_circuit
    from bptutor.loading.document import load_document

    explained = explain_circuit(load_document(path), "x")
    assert explained.whole is None and float(explained.gradient) == pytest.approx(slope, rel=1e-12)
    result = invoke("explain", "x", "-s", str(path))
    assert result.exit_code == 0 and "reverse pass" in result.stdout


def test_a_huge_double_quoted_expression_is_refused_before_it_is_searched(tmp_path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text('name: big\nexpression: "' + "a = x + 1\\n" * 90_000 + 'f = a"\nvalues: {x: 1}\n', encoding="utf-8")
    line = one_line(invoke("validate", str(path)), 3)
    assert "big.yaml:2:13 [expression]" in line and "at most 60 lines" in line


# ── files: atomic, never over an input, never over a file not named ───────────


def test_an_output_never_replaces_the_scenario(tmp_path) -> None:
    path = scenario(tmp_path)
    before = Path(path).read_bytes()
    line = one_line(invoke("solve", path, "-o", path), 2)
    assert "is an input of this run" in line and Path(path).read_bytes() == before


def test_an_output_never_replaces_the_samples_file(tmp_path) -> None:
    """The CSV named by `samples:` is an input of the run: an output of that name is refused before any work."""
    from bptutor.cli.support import input_files
    from bptutor.errors import OutputError
    from bptutor.handout.writing import check_target
    from bptutor.loading.scenario import load_scenario

    samples = tmp_path / "data.csv"
    samples.write_bytes(b"x1,o\n0.5,0.2\n0.1,0.9\n")
    path = scenario(tmp_path, data="samples: data.csv")
    inputs = input_files(path, load_scenario(path))
    assert [Path(file).resolve() for file in inputs] == [Path(path).resolve(), samples.resolve()]
    with pytest.raises(OutputError):
        check_target(samples, inputs)


@pytest.mark.parametrize("kind", ["directory", "missing"])
def test_an_output_in_a_directory_or_a_missing_folder_is_one_line(tmp_path, kind) -> None:
    target = tmp_path if kind == "directory" else tmp_path / "no" / "such.pdf"
    for arguments in (["solve", "two_two_two", "--format", "pdf", "-o", str(target)],
                      ["graph", "two_two_two", "--format", "dot", "-o", str(target)]):
        line = one_line(invoke(*arguments), 2)
        assert ("is a directory" if kind == "directory" else "does not exist") in line


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch) -> None:
    from bptutor.errors import OutputError
    from bptutor.handout import writing as output

    target = tmp_path / "notes.html"
    target.write_text("the good one", encoding="utf-8")

    def fail(*arguments):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(OutputError, match="No space left on device"):
        output.write_output(target, "new text")
    assert target.read_text(encoding="utf-8") == "the good one"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.html"]


def test_the_figure_beside_markdown_is_listed_and_never_replaces_a_file_bptutor_did_not_write(tmp_path) -> None:
    notes = tmp_path / "notes.md"
    result = invoke("solve", "two_two_two", "-o", str(notes))
    assert result.exit_code == 0 and "notes.network.svg" in result.stderr
    again = invoke("solve", "two_two_two", "-o", str(notes))  # its own figure is replaced
    assert again.exit_code == 0
    mine = tmp_path / "mine.network.svg"
    mine.write_text("my drawing", encoding="utf-8")
    line = one_line(invoke("solve", "two_two_two", "-o", str(tmp_path / "mine.md")), 2)
    assert "not written by bptutor" in line
    assert mine.read_text(encoding="utf-8") == "my drawing" and not (tmp_path / "mine.md").exists()


@pytest.mark.parametrize("plot", ["x.txt", "folder"])
def test_train_plot_accepts_only_png_files(tmp_path, plot) -> None:
    (tmp_path / "folder").mkdir()
    line = one_line(invoke("train", "xor", "--steps", "1", "--plot", str(tmp_path / plot)), 2)
    assert ("is a directory" if plot == "folder" else "PNG only") in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]


# ── Markdown: no raw HTML from the scenario ───────────────────────────────────


def test_a_notation_template_cannot_put_raw_html_in_markdown(tmp_path) -> None:
    from markdown_it import MarkdownIt

    notation = 'notation: {activation: "<script>alert(1)</script>{n}", loss: "<img/src=x/onerror=alert(1)>"}'
    path = tmp_path / "s.yaml"
    path.write_text(ONE_NEURON.format(data="inputs: {x1: 0.5}\ntargets: {o: 0.2}", activation="sigmoid",
                                      loss="half_sse", w="0.3") + notation + "\n", encoding="utf-8")
    result = invoke("solve", str(path))
    assert result.exit_code == 0, result.output
    html = MarkdownIt("commonmark").render(result.stdout)
    assert "<script" not in html and "<img/src" not in html
    # the notation's < and > are spelled for TeX (\textless{}), so no raw < reaches the Markdown's math
    assert "\\textless{}script\\textgreater{}" in result.stdout


# ── interrupts: helpers stopped, temporary folders removed, 130 / 143 ─────────

FAKE_CHROMIUM = """\
#!/bin/sh
for argument in "$@"; do
  case "$argument" in --user-data-dir=*) echo "${argument#--user-data-dir=}" > "$RECORD.profile";; esac
done
sleep 300 &
echo "$$ $!" > "$RECORD.tmp" && mv "$RECORD.tmp" "$RECORD"
wait
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


SIGNALS = [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "terminated")]


@pytest.mark.slow  # two real processes and a fake browser: a few seconds each
@pytest.mark.parametrize(("signal_name", "code", "said"), SIGNALS)
def test_a_signal_during_pdf_printing_stops_chromium_and_cleans_up(tmp_path, signal_name, code, said) -> None:
    import signal
    import subprocess
    import sys
    import time

    chromium = tmp_path / "chromium"
    chromium.write_text(FAKE_CHROMIUM, encoding="ascii")
    chromium.chmod(0o755)
    record = tmp_path / "record"
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "BPTUTOR_CHROMIUM": str(chromium), "RECORD": str(record)}
    target = tmp_path / "out.pdf"
    process = subprocess.Popen(
        [sys.executable, "-m", "bptutor", "solve", "two_two_two", "--format", "pdf", "-o", str(target)],
        stderr=subprocess.PIPE, env=environment,
    )
    deadline = time.monotonic() + 60
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert record.exists(), "the fake Chromium never started"
    helpers = [int(pid) for pid in record.read_text(encoding="ascii").split()]
    process.send_signal(getattr(signal, signal_name))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.decode().splitlines() == [f"bptutor: {said}"]
    time.sleep(0.2)
    assert not any(_alive(pid) for pid in helpers)
    profile = Path((tmp_path / "record.profile").read_text(encoding="utf-8").strip())
    assert not profile.parent.exists() and not target.exists()


def test_every_guarantee_in_the_readme_names_a_test_that_exists() -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Guarantees on hostile input", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`(test_\w+\.py)::(test_\w+)`", section)
    assert len(named) >= 20
    for file, name in named:
        assert re.search(rf"^def {name}\(", (ROOT / "tests" / file).read_text(encoding="utf-8"), re.MULTILINE), name


def test_sensitivity_json_under_a_rounding_policy_is_valid_json(tmp_path) -> None:
    """Found by the fuzz target: exact decimals (a rounding policy) were handed to json.dumps."""
    import json

    data = "inputs: {x1: 0.5}\ntargets: {o: 0.2}"
    text = ONE_NEURON.format(data=data, activation="sigmoid", loss="half_sse", w="0.3")
    path = tmp_path / "r.yaml"
    path.write_text(text + "rounding: {activations: 4}\n", encoding="utf-8")
    result = invoke("sensitivity", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert [entry["parameter"] for entry in json.loads(result.stdout)["ranking"]] == ["b", "w"]


def test_a_shared_parameter_with_two_learning_rates_is_located(tmp_path) -> None:
    text = """\
name: shared
inputs: {x1: 0.5}
targets: {o: 0.2}
layers:
  - name: hidden
    activation: sigmoid
    neurons:
      h: {bias: b, weights: {x1: w}}
  - name: output
    activation: sigmoid
    neurons:
      o: {bias: b, weights: {h: v}}
parameters: {w: 0.3, v: 0.2, b: 0.1}
loss: half_sse
learning_rate: {default: 0.5, hidden: 0.1}
"""
    path = tmp_path / "shared.yaml"
    path.write_text(text, encoding="utf-8")
    line = one_line(invoke("run", str(path)), 3)
    assert "shared.yaml:15:16 [learning_rate]" in line and "'b'" in line


def test_escape_sequences_on_the_command_line_are_escaped_in_messages() -> None:
    for arguments in (["run", "two_two_two", "--format", "\x1b[2Jx"], ["explain", "\x1b[2Jx"]):
        result = invoke(*arguments)
        assert result.exit_code == 2 and "\x1b" not in result.output and "\\x1b[2Jx" in result.output


def test_graphviz_leaves_no_process_behind(tmp_path, monkeypatch) -> None:
    """dot runs in a process group of its own, killed when it is done: a helper it started does not outlive it."""
    import os
    import time

    from bptutor.render.graph import render_with_dot

    pid_file = tmp_path / "helper.pid"
    fake = tmp_path / "dot"
    fake.write_text(f"#!/bin/sh\nsleep 60 </dev/null >/dev/null 2>&1 &\necho $! > {pid_file}\ncat > /dev/null\nprintf picture\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert render_with_dot("digraph { a -> b }", "svg") == b"picture"
    helper = int(pid_file.read_text(encoding="utf-8"))
    for _ in range(50):  # killed at once; reaped by init a moment later
        try:
            os.kill(helper, 0)
        except ProcessLookupError:
            break
        with open(f"/proc/{helper}/stat", encoding="utf-8") as stat:
            if stat.read().split()[2] == "Z":
                break
        time.sleep(0.05)
    else:
        raise AssertionError(f"dot's helper {helper} is still running")


@pytest.mark.parametrize(
    ("escape", "column"),
    [("\\U7FFFFFFF", 8), ("\\U99999999", 8), ("\\U00110000", 8)],
)
def test_an_escape_past_the_last_unicode_character_is_a_located_error(tmp_path, monkeypatch, escape, column) -> None:
    """`"\\U7FFFFFFF"` made PyYAML's scanner call chr() out of range: an internal error (exit 70), and
    `"\\U99999999"` a misleading overflow (exit 4). Both are a bad file (exit 3) at the escape's backslash."""
    monkeypatch.chdir(tmp_path)  # a short name: the line is cut to its limit however deep the temporary folder is
    path = Path("escape.yaml")
    path.write_text(f'name: "{escape}"\n', encoding="utf-8")
    line = one_line(invoke("validate", str(path)), 3)
    assert line == (
        f"bptutor: {printable(str(path))}:1:{column}: "
        "an escape in a quoted text names no character: the highest is \\U0010FFFF"
    )
    assert "最大为 \\U0010FFFF" in one_line(invoke("validate", str(path), "--lang", "zh"), 3)
