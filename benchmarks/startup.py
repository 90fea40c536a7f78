"""Start-up benchmark: bptutor's commands against the bare import of their dependencies.

Runs every command several times, interleaved so that machine noise hits them
alike, and prints the median wall time of each and the ratios the project aims
for:

    run, check, validate  ≤ 2.0 × python -c "import typer, rich, yaml"
    --help                ≤ 1.1 × python -c "import typer, rich, yaml"
    explain, solve        ≤ 1.3 × python -c "import typer, rich, yaml, sympy"

Every process may write and read compiled bytecode (in a temporary
PYTHONPYCACHEPREFIX, so nothing is written next to the sources), as an
installed package would: without it each run would compile bptutor's sources
while the libraries it is compared with load theirs compiled.

Wall time is what a user waits; CPU time (user + system, from the kernel's
accounting of each child) is printed beside it because on a shared machine it
moves much less with the load.

Usage: python benchmarks/startup.py [--repeat N]
This is a measurement, not a test: it prints numbers and never fails on them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

BPTUTOR = [PYTHON, "-m", "bptutor"]
FLOOR = "import typer, rich, yaml"
FLOOR_SYMPY = "import typer, rich, yaml, sympy"
ANSWERS = "scenarios/answers/two_two_two_published.yaml"

COMMANDS = {
    FLOOR: [PYTHON, "-c", FLOOR],
    FLOOR_SYMPY: [PYTHON, "-c", FLOOR_SYMPY],
    "bptutor --help": [*BPTUTOR, "--help"],
    "bptutor run two_two_two": [*BPTUTOR, "run", "scenarios/two_two_two.yaml"],
    "bptutor check two_two_two": [*BPTUTOR, "check", "scenarios/two_two_two.yaml", ANSWERS],
    "bptutor validate two_two_two": [*BPTUTOR, "validate", "scenarios/two_two_two.yaml"],
    "bptutor solve --format md": [*BPTUTOR, "solve", "two_two_two", "--format", "md"],
    "bptutor explain w5": [*BPTUTOR, "explain", "w5"],
    "bptutor explain w1": [*BPTUTOR, "explain", "w1"],
}

TARGETS = [
    ("bptutor --help", FLOOR, 1.1),
    ("bptutor run two_two_two", FLOOR, 2.0),
    ("bptutor check two_two_two", FLOOR, 2.0),
    ("bptutor validate two_two_two", FLOOR, 2.0),
    ("bptutor solve --format md", FLOOR_SYMPY, 1.3),
    ("bptutor explain w5", FLOOR_SYMPY, 1.3),
    ("bptutor explain w1", FLOOR_SYMPY, 1.3),
]


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """(wall time, CPU time: user + system) of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # check exits 1: the published answers hold slips
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def load() -> str:
    """The load averages over 1, 5 and 15 minutes, as uptime shows them."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15, help="runs of each command (default 15)")
    options = parser.parse_args()
    cache = tempfile.TemporaryDirectory(prefix="bptutor-startup-")
    environment = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="100", NO_COLOR="1", PYTHONPYCACHEPREFIX=cache.name)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    for command in COMMANDS.values():  # warm the file cache and the bytecode
        timed(command, environment)
    walls: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(options.repeat):
        for name, command in COMMANDS.items():
            wall, cpu = timed(command, environment)
            walls[name].append(wall)
            cpus[name].append(cpu)
    wall_median = {name: statistics.median(times) for name, times in walls.items()}
    cpu_median = {name: statistics.median(times) for name, times in cpus.items()}
    print(f"median of {options.repeat} runs each (python {sys.version.split()[0]}, {os.cpu_count()} cores, {load()}):")
    print("     wall       CPU")
    for name in COMMANDS:
        print(f"  {wall_median[name] * 1000:7.1f} ms {cpu_median[name] * 1000:7.1f} ms  {name}")
    print("ratios, wall (CPU: user + system, steadier on a loaded machine):")
    for name, baseline, target in TARGETS:
        ratio = wall_median[name] / wall_median[baseline]
        cpu = cpu_median[name] / cpu_median[baseline]
        verdict = f"  (target ≤ {target}: {'met' if ratio <= target else 'NOT met'})"
        print(f"  {ratio:5.2f} × ({cpu:5.2f} ×) [{baseline}]  for  {name}{verdict}")
    print(f"after: {load()}")
    cache.cleanup()


if __name__ == "__main__":
    main()
