"""The located-YAML toolkit's file reader, shared by scenario, answers and CSV files:
every file is checked before it is read and again after, and each reader words the problem."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bptutor.errors import ScenarioError
from bptutor.loading import yamltree
from bptutor.loading.scenario import load_scenario
from bptutor.loading.yamltree import (
    DIRECTORY,
    GREW,
    MISSING,
    NOT_REGULAR,
    TOO_LARGE,
    FileProblem,
    LocatedMapping,
    LocatedScalar,
    find_lines,
    index_path,
    key_path,
    read_bytes,
)
from bptutor.teach.answers import load_answers
from bptutor.teach.solution import WorkedSteps


class Refused(Exception):
    """What the test's own `refuse` raises, carrying the problem the reader met."""


def refuse(problem: FileProblem) -> ScenarioError:
    raise Refused(problem)


def problem_of(path: Path, limit: int) -> FileProblem:
    with pytest.raises(Refused) as caught:
        read_bytes(path, limit, refuse)
    problem = caught.value.args[0]
    assert isinstance(problem, FileProblem)
    return problem


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "five.txt"
    path.write_bytes(b"12345")
    assert read_bytes(path, 5, refuse) == b"12345"


def test_each_problem_is_handed_to_the_reader(tmp_path: Path) -> None:
    assert problem_of(tmp_path / "missing.txt", 10).kind == MISSING
    assert problem_of(tmp_path, 10).kind == DIRECTORY
    path = tmp_path / "six.txt"
    path.write_bytes(b"123456")
    assert problem_of(path, 5) == FileProblem(TOO_LARGE, size=6)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # reading it would wait for a writer forever
    assert problem_of(pipe, 10).kind == NOT_REGULAR


def grown_under_the_check(monkeypatch: pytest.MonkeyPatch, path: Path, size_at_check: int) -> None:
    """Make the size check see `size_at_check` bytes, as if the file grew between the check and the read."""
    real_stat = os.stat

    def stat(target: int | str | os.PathLike[str], **options: bool) -> os.stat_result:
        info = real_stat(target, **options)
        if Path(str(target)) != path:
            return info
        fields = list(info)
        fields[6] = size_at_check  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", stat)


def test_a_file_that_grows_after_the_size_check_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.txt"
    path.write_bytes(b"x" * 11)
    grown_under_the_check(monkeypatch, path, 3)
    assert problem_of(path, 10).kind == GREW


def test_an_answers_file_that_grows_is_refused_after_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two_two_two: object
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(b"# " + b"x" * yamltree.MAX_FILE_BYTES + b"\nout_h1: 0.6\n")
    grown_under_the_check(monkeypatch, path, 100)
    with pytest.raises(ScenarioError) as caught:
        load_answers(path, WorkedSteps(two_two_two))  # type: ignore[arg-type]
    assert caught.value.location.line is None
    assert f"larger than {1024 * 1024} bytes" in caught.value.message


def test_a_scenario_file_that_grows_is_refused_after_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"# " + b"x" * yamltree.MAX_FILE_BYTES + b"\n")
    grown_under_the_check(monkeypatch, path, 100)
    with pytest.raises(ScenarioError, match=r"too large \(at most 1 MiB\)"):
        load_scenario(path)


def scenario_with_samples(folder: Path, samples: str) -> Path:
    path = folder / "s.yaml"
    path.write_text(
        f"name: s\nsamples: {samples}\nloss: half_sse\nlearning_rate: 0.5\nparameters: {{w: 0.1}}\n"
        "layers:\n  - {name: out, activation: sigmoid, neurons: {y: {weights: {x: w}}}}\n",
        encoding="utf-8",
    )
    return path


def test_csv_samples_are_read_with_the_same_checks(tmp_path: Path) -> None:
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ScenarioError, match=re.escape("cannot read the CSV file folder.csv: Is a directory")):
        load_scenario(scenario_with_samples(tmp_path, "folder.csv"))
    with pytest.raises(ScenarioError, match=re.escape("cannot read the CSV file gone.csv: No such file or directory")):
        load_scenario(scenario_with_samples(tmp_path, "gone.csv"))
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.csv")
        with pytest.raises(ScenarioError, match=re.escape("cannot read the CSV file pipe.csv: this is not a regular file")):
            load_scenario(scenario_with_samples(tmp_path, "pipe.csv"))


def test_field_paths_and_line_positions() -> None:
    assert key_path("", "layers") == "layers"
    assert index_path(key_path("layers", "neurons"), 2) == "layers.neurons[2]"
    assert key_path("title", "\x1b[31m") == "title.\\x1b[31m"  # escape sequences are shown, never sent
    text = "a: 1\nprogram: |\n  q = x + y\n  f = q * z\n"
    node = LocatedMapping((), line=2, column=10)
    assert find_lines(text, ["q = x + y", "f = q * z"], node) == [(3, 3), (4, 3)]
    assert find_lines(text, ["not there"], LocatedScalar("x", 1, 1)) == [(1, None)]
