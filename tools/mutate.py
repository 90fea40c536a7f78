#!/usr/bin/env python3
"""Mutation testing for the modules that decide correctness: does some test notice a wrong program?

Each mutant is one small deliberate fault (a flipped sign, an operator swapped, a comparison off by
one, another rounding mode, a term dropped, a convention reversed). For each, the tool writes the
faulty module into a private copy of the repository, runs the tests, and records whether they
failed (killed), ran past the time limit (timeout, counted as killed), or passed (survived).

Mutants come from two places:
  * tools/mutants.toml lists targeted ones by hand: file, a snippet of its text, the replacement;
    a mutant known to change no behaviour says why (`equivalent = "…"`) and is left out of the score;
  * `--generated` adds ones made by rules from the syntax tree of the modules (operator and
    comparison swaps, integer constants ±1, ROUND_* modes exchanged).

The tests run are the quick loop (`python -m pytest -m "not slow and not external"`), or what
`--tests` says. As a speed-up, each mutant first runs only the test files `mutants.toml` names
for its module (with the same marker filter, so a failure there is a failure of the quick loop);
only the mutants those leave alive go on to the whole selection. `--no-focus` skips that stage;
`--focus-only` stops after it (a quick triage whose score is a lower bound).

    python tools/mutate.py                 # every targeted mutant, score at the end
    python tools/mutate.py --list          # what would run
    python tools/mutate.py --only grading.slack-whole-unit -j 2
    python tools/mutate.py --generated --modules numbers grading
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import fnmatch
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = Path(__file__).resolve().parent / "mutants.toml"
QUICK = ("-m", "not slow and not external")
IGNORED = shutil.ignore_patterns(
    ".git", "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache", "*.egg-info"
)
KILLED, TIMEOUT, SURVIVED, ERROR = "killed", "timeout", "survived", "error"


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str  # relative to the repository root
    find: str  # the original text
    replace: str  # what it becomes
    kind: str
    note: str = ""  # the behaviour it breaks
    occurrence: int = 0  # which occurrence of `find` (1-based); 0: it must be unique
    equivalent: str = ""  # why it changes no behaviour, when it does not
    offset: int | None = None  # generated mutants: the exact character offset of `find`

    @property
    def module(self) -> str:
        return Path(self.file).stem

    def apply(self, source: str) -> str:
        """The mutated source; raises ValueError when the snippet is not where it should be."""
        if self.offset is not None:
            start = self.offset
            if source[start : start + len(self.find)] != self.find:
                raise ValueError(f"{self.id}: the generated position no longer holds {self.find!r}")
        else:
            starts = list(_occurrences(source, self.find))
            if not starts:
                raise ValueError(f"{self.id}: {self.find!r} not found in {self.file}")
            if self.occurrence == 0 and len(starts) > 1:
                raise ValueError(f"{self.id}: {self.find!r} occurs {len(starts)} times in {self.file}; give occurrence")
            if self.occurrence > len(starts):
                raise ValueError(f"{self.id}: occurrence {self.occurrence} of {self.find!r}, found {len(starts)}")
            start = starts[max(self.occurrence, 1) - 1]
        mutated = source[:start] + self.replace + source[start + len(self.find) :]
        try:
            changed = ast.dump(ast.parse(mutated)) != ast.dump(ast.parse(source))
        except SyntaxError as error:
            raise ValueError(f"{self.id}: the mutant does not parse ({error})") from error
        if not changed:
            raise ValueError(f"{self.id}: the mutant changes no code")
        return mutated


@dataclass
class Result:
    mutant: Mutant
    status: str
    stage: str = ""  # "focus" or "all": which selection decided it
    seconds: float = 0.0
    detail: str = ""  # the first failing test, or the error


@dataclass
class Plan:
    mutants: list[Mutant]
    focus: dict[str, list[str]] = field(default_factory=dict)  # module → test files


def _occurrences(text: str, snippet: str) -> Iterator[int]:
    start = text.find(snippet)
    while start != -1:
        yield start
        start = text.find(snippet, start + 1)


# ── the mutants ───────────────────────────────────────────────────────────────


def load_plan(path: Path) -> Plan:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    mutants = [
        Mutant(
            id=entry["id"],
            file=entry["file"],
            find=entry["find"],
            replace=entry["replace"],
            kind=entry["kind"],
            note=entry.get("note", ""),
            occurrence=entry.get("occurrence", 0),
            equivalent=entry.get("equivalent", ""),
        )
        for entry in data.get("mutant", [])
    ]
    ids = [mutant.id for mutant in mutants]
    duplicates = sorted({name for name in ids if ids.count(name) > 1})
    if duplicates:
        raise SystemExit(f"duplicate mutant ids in {path.name}: {', '.join(duplicates)}")
    focus = {module: list(files) for module, files in data.get("focus", {}).items()}
    return Plan(mutants, focus)


_COMPARISONS: dict[type[ast.cmpop], str] = {
    ast.Lt: "<=",
    ast.LtE: "<",
    ast.Gt: ">=",
    ast.GtE: ">",
    ast.Eq: "!=",
    ast.NotEq: "==",
}
_OPERATORS: dict[type[ast.operator], str] = {ast.Add: "-", ast.Sub: "+", ast.Mult: "/", ast.Div: "*"}
_SYMBOLS: dict[type[ast.AST], str] = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
}
_ROUNDING = {
    "ROUND_HALF_UP": "ROUND_HALF_EVEN",
    "ROUND_HALF_EVEN": "ROUND_HALF_UP",
    "ROUND_DOWN": "ROUND_FLOOR",
    "ROUND_FLOOR": "ROUND_DOWN",
    "ROUND_CEILING": "ROUND_UP",
}


def generate(relative: str) -> list[Mutant]:
    """Rule-made mutants of one module: each operator, comparison, small integer and rounding mode changed."""
    source = (ROOT / relative).read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line))
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    module = Path(relative).stem
    found: list[Mutant] = []

    def offset_of(line: int, column: int) -> int:
        # ast columns count UTF-8 bytes; convert to a character offset within the line
        text = lines[line - 1].encode("utf-8")[:column].decode("utf-8")
        return line_starts[line - 1] + len(text)

    def token(node: ast.AST, between: tuple[ast.expr, ast.expr], symbol: str, new: str, kind: str) -> None:
        """The operator `symbol` in the gap between two child nodes, replaced by `new`."""
        left, right = between
        start = offset_of(left.end_lineno or 0, left.end_col_offset or 0)
        end = offset_of(right.lineno, right.col_offset)
        gap = source[start:end]
        position = gap.find(symbol)
        if position == -1 or gap.count(symbol) != 1 or "#" in gap:
            return
        at = start + position
        line = getattr(node, "lineno", 0)
        found.append(Mutant(f"{module}:{line}:{kind}:{symbol}->{new}", relative, symbol, new, kind, offset=at))

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for index, op in enumerate(node.ops):
                if type(op) in _COMPARISONS:
                    pair = (operands[index], operands[index + 1])
                    token(node, pair, _SYMBOLS[type(op)], _COMPARISONS[type(op)], "comparison")
        elif isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            token(node, (node.left, node.right), _SYMBOLS[type(node.op)], _OPERATORS[type(node.op)], "operator")
        elif isinstance(node, ast.AugAssign) and type(node.op) in _OPERATORS:
            symbol = _SYMBOLS[type(node.op)] + "="
            token(node, (node.target, node.value), symbol, _OPERATORS[type(node.op)] + "=", "operator")
        elif isinstance(node, ast.Name) and node.id in _ROUNDING and isinstance(node.ctx, ast.Load):
            at = offset_of(node.lineno, node.col_offset)
            found.append(
                Mutant(
                    f"{module}:{node.lineno}:rounding:{node.id}",
                    relative,
                    node.id,
                    _ROUNDING[node.id],
                    "rounding mode",
                    offset=at,
                )
            )
        elif (
            isinstance(node, ast.Constant)
            and type(node.value) is int
            and id(node) not in docstrings
            and 0 <= node.value <= 12
            and node.end_col_offset is not None
        ):
            at = offset_of(node.lineno, node.col_offset)
            text = source[at : offset_of(node.end_lineno or node.lineno, node.end_col_offset)]
            if text != str(node.value):
                continue
            for new in (node.value - 1, node.value + 1):
                if new >= 0:
                    found.append(
                        Mutant(
                            f"{module}:{node.lineno}:constant:{text}->{new}",
                            relative,
                            text,
                            str(new),
                            "constant ±1",
                            offset=at,
                        )
                    )
    unique: dict[str, Mutant] = {}
    for mutant in sorted(found, key=lambda m: (m.offset or 0, m.id)):
        name = mutant.id
        suffix = 2
        while name in unique:
            name, suffix = f"{mutant.id}#{suffix}", suffix + 1
        unique[name] = Mutant(name, mutant.file, mutant.find, mutant.replace, mutant.kind, offset=mutant.offset)
    return list(unique.values())


# ── running ───────────────────────────────────────────────────────────────────


class Workspace:
    """A private copy of the repository in which one mutant at a time is written and tested."""

    def __init__(self, base: Path, index: int) -> None:
        self.path = base / f"copy{index}"
        shutil.copytree(ROOT, self.path, ignore=IGNORED)

    def run(self, mutant: Mutant | None, arguments: Sequence[str], timeout: float) -> tuple[str, float, str]:
        """Test the copy with `mutant` applied (or none): (status, seconds, detail)."""
        target = self.path / mutant.file if mutant else None
        original = target.read_text(encoding="utf-8") if target else ""
        if mutant and target:
            target.write_text(mutant.apply(original), encoding="utf-8")
        try:
            return _pytest(self.path, arguments, timeout)
        finally:
            if target:
                target.write_text(original, encoding="utf-8")


def _pytest(cwd: Path, arguments: Sequence[str], timeout: float) -> tuple[str, float, str]:
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *arguments]
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    start = time.monotonic()
    with _ACTIVE_LOCK:
        if _STOP.is_set():
            return ERROR, 0.0, "stopped"
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, so a timeout ends pytest and all it started
        )
        _ACTIVE.add(process)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        return TIMEOUT, time.monotonic() - start, f"over {timeout:.0f} s"
    finally:
        with _ACTIVE_LOCK:
            _ACTIVE.discard(process)
    seconds = time.monotonic() - start
    if process.returncode == 0:
        return SURVIVED, seconds, ""
    if process.returncode in (1, 2):  # a test failed, or collection failed (the module no longer imports)
        failed = [line for line in output.splitlines() if line.startswith(("FAILED", "ERROR"))]
        last = output.strip().splitlines()[-1:] or [""]
        return KILLED, seconds, (failed or last)[0][:160]
    return ERROR, seconds, f"pytest exit code {process.returncode}: " + " | ".join(output.strip().splitlines()[-3:])


_ACTIVE: set[subprocess.Popen[str]] = set()  # the pytest processes running now, ended if the tool is stopped
_ACTIVE_LOCK = threading.Lock()
_STOP = threading.Event()


def _kill(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has already ended
        os.killpg(process.pid, signal.SIGKILL)


def stop_everything() -> None:
    """End every running pytest process group and start no more (Ctrl-C, SIGTERM)."""
    with _ACTIVE_LOCK:
        _STOP.set()
        for process in _ACTIVE:
            _kill(process)


def focus_arguments(plan: Plan, module: str) -> list[str] | None:
    files = plan.focus.get(module)
    return [*QUICK, *(f"tests/{name}.py" for name in files)] if files else None


def run_all(
    plan: Plan,
    mutants: list[Mutant],
    selection: list[str],
    focus: bool,
    focus_only: bool,
    jobs: int,
    timeout: float | None,
    report: Callable[[Result], None],
) -> list[Result]:
    base = Path(tempfile.mkdtemp(prefix="bptutor-mutate-"))
    try:
        spaces = [Workspace(base, index) for index in range(jobs)]
        limits: dict[str, float] = {}
        lock = threading.Lock()
        limits_lock = threading.Lock()

        def limit(key: str, arguments: list[str], space: Workspace) -> float:
            """The time limit of a selection: measured once on the unmutated copy, which must pass."""
            with limits_lock:  # in the caller's own copy, which holds no mutant between runs
                if key not in limits:
                    status, seconds, detail = space.run(None, arguments, 3600)
                    if status != SURVIVED:
                        raise SystemExit(f"the unmutated tests do not pass ({key}): {status} {detail}")
                    limits[key] = timeout or max(60.0, 3 * seconds + 30)
                    print(f"  baseline {key}: {seconds:.0f} s, limit per mutant {limits[key]:.0f} s", flush=True)
                return limits[key]

        free = list(spaces)

        def one(mutant: Mutant) -> Result:
            with lock:
                space = free.pop()
            try:
                stages: list[tuple[str, list[str]]] = []
                narrowed = focus_arguments(plan, mutant.module) if focus else None
                if narrowed:
                    stages.append(("focus", narrowed))
                if not (focus_only and narrowed):
                    stages.append(("all", selection))
                result = Result(mutant, SURVIVED)
                for stage, arguments in stages:
                    key = f"{mutant.module} focus" if stage == "focus" else "selection"
                    try:
                        status, seconds, detail = space.run(mutant, arguments, limit(key, arguments, space))
                    except ValueError as error:
                        status, seconds, detail = ERROR, 0.0, str(error)
                    result = Result(mutant, status, stage, result.seconds + seconds, detail)
                    if status != SURVIVED:
                        break
                report(result)
                return result
            finally:
                with lock:
                    free.append(space)

        pool = ThreadPoolExecutor(max_workers=jobs)
        futures = [pool.submit(one, mutant) for mutant in mutants]
        try:
            return [future.result() for future in futures]
        except BaseException:
            stop_everything()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def summary(results: list[Result]) -> tuple[int, int, list[str]]:
    """(killed, non-equivalent total, remarks). Timeouts count as killed; errors are left out and listed."""
    lines: list[str] = []
    counted = [r for r in results if r.status != ERROR]
    equivalent_alive = [r for r in counted if r.mutant.equivalent and r.status == SURVIVED]
    wrongly_equivalent = [r for r in counted if r.mutant.equivalent and r.status != SURVIVED]
    scored = [r for r in counted if r not in equivalent_alive]
    killed = [r for r in scored if r.status in (KILLED, TIMEOUT)]
    survivors = [r for r in scored if r.status == SURVIVED]
    for r in survivors:
        lines.append(f"SURVIVED {r.mutant.id}: {r.mutant.note or r.mutant.kind}")
    for r in equivalent_alive:
        lines.append(f"equivalent {r.mutant.id}: {r.mutant.equivalent}")
    for r in wrongly_equivalent:
        lines.append(f"declared equivalent but {r.status}: {r.mutant.id} ({r.detail})")
    for r in results:
        if r.status == ERROR:
            lines.append(f"ERROR {r.mutant.id}: {r.detail}")
    return len(killed), len(scored), lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument(
        "--only", action="append", default=[], metavar="ID", help="only mutants whose id matches (glob; repeatable)"
    )
    parser.add_argument(
        "--modules", nargs="*", default=None, help="only mutants of these modules (numbers, grading, …)"
    )
    parser.add_argument("--generated", action="store_true", help="add the rule-made mutants of the modules")
    parser.add_argument("--no-targeted", action="store_true", help="leave out the targeted mutants of mutants.toml")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="mutants tested at once (each in its own copy)")
    parser.add_argument(
        "--tests",
        default=None,
        help='pytest arguments to run (default: the quick loop, -m "not slow and not external")',
    )
    parser.add_argument("--no-focus", action="store_true", help="run the whole selection for every mutant")
    parser.add_argument(
        "--focus-only",
        action="store_true",
        help="a quick triage: only the module's focus tests (its score is a lower bound)",
    )
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds per mutant and stage (default: 3 × the unmutated run + 30)"
    )
    parser.add_argument("--json", type=Path, default=None, help="write every result to this file")
    parser.add_argument("--spec", type=Path, default=SPEC, help="the targeted mutants (default: tools/mutants.toml)")
    options = parser.parse_args(argv)

    plan = load_plan(options.spec)
    files = sorted({mutant.file for mutant in plan.mutants})
    mutants = [] if options.no_targeted else list(plan.mutants)
    if options.generated:
        for relative in files:
            mutants += generate(relative)
    if options.modules:
        mutants = [m for m in mutants if m.module in options.modules]
    if options.only:
        mutants = [m for m in mutants if any(fnmatch.fnmatchcase(m.id, pattern) for pattern in options.only)]
    stale = []
    for mutant in mutants:
        try:
            mutant.apply((ROOT / mutant.file).read_text(encoding="utf-8"))
        except ValueError as error:
            stale.append(str(error))
    if options.list:
        for mutant in mutants:
            about = mutant.note or (f"(equivalent) {mutant.equivalent}" if mutant.equivalent else mutant.find.strip())
            print(f"{mutant.id:48} {mutant.kind:18} {about[:70]}")
        print(f"{len(mutants)} mutants")
    if stale:
        print("\n".join(["mutants that no longer apply (update tools/mutants.toml):", *stale]), file=sys.stderr)
        return 2
    if options.list or not mutants:
        return 0

    custom = options.tests is not None
    selection = shlex.split(options.tests) if options.tests is not None else list(QUICK)
    focus = not options.no_focus and not custom
    print(f"{len(mutants)} mutants, {options.jobs} at a time; tests: pytest -x -q {shlex.join(selection)}", flush=True)
    started = time.monotonic()

    def report(result: Result) -> None:
        stage = f" [{result.stage}]" if result.stage else ""
        print(f"{result.status:9} {result.mutant.id:48} {result.seconds:6.1f} s{stage}  {result.detail}", flush=True)

    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(143))
    results = run_all(
        plan, mutants, selection, focus, options.focus_only, max(1, options.jobs), options.timeout, report
    )
    killed, total, remarks = summary(results)
    print()
    print("\n".join(remarks))
    score = 100 * killed / total if total else 100.0
    minutes = (time.monotonic() - started) / 60
    print(f"\nmutation score: {killed}/{total} non-equivalent mutants killed ({score:.1f}%) in {minutes:.1f} min")
    if options.json:
        rows = [
            {
                "id": r.mutant.id,
                "file": r.mutant.file,
                "kind": r.mutant.kind,
                "status": r.status,
                "stage": r.stage,
                "seconds": round(r.seconds, 1),
                "detail": r.detail,
                "equivalent": r.mutant.equivalent,
            }
            for r in results
        ]
        options.json.write_text(
            json.dumps({"killed": killed, "total": total, "results": rows}, indent=1), encoding="utf-8"
        )
    return 0 if killed == total else 1


if __name__ == "__main__":
    raise SystemExit(main())
