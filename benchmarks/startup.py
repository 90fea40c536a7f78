"""Start-up benchmark: bptutor's commands against the bare import of their dependencies.

Runs every command several times, interleaved so that machine noise hits them
alike, and prints the median wall time of each and the ratios the project aims
for:

    run      ≤ 2.5 × python -c "import typer, rich, yaml"
    explain  ≤ 1.4 × python -c "import typer, rich, yaml, sympy"

Usage: python benchmarks/startup.py [--repeat N]
This is a measurement, not a test: it prints numbers and never fails on them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

COMMANDS = {
    "import typer, rich, yaml": [PYTHON, "-c", "import typer, rich, yaml"],
    "import typer, rich, yaml, sympy": [PYTHON, "-c", "import typer, rich, yaml, sympy"],
    "bptutor --help": [PYTHON, "-m", "bptutor", "--help"],
    "bptutor run scenarios/two_two_two.yaml": [PYTHON, "-m", "bptutor", "run", "scenarios/two_two_two.yaml"],
    "bptutor explain w5": [PYTHON, "-m", "bptutor", "explain", "w5"],
}

TARGETS = [
    ("bptutor run scenarios/two_two_two.yaml", "import typer, rich, yaml", 2.5),
    ("bptutor explain w5", "import typer, rich, yaml, sympy", 1.4),
    ("bptutor --help", "import typer, rich, yaml", None),
]


def wall_time(command: list[str], environment: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15, help="runs of each command (default 15)")
    options = parser.parse_args()
    environment = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="100", NO_COLOR="1")
    for command in COMMANDS.values():  # warm the file cache and the bytecode
        wall_time(command, environment)
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(options.repeat):
        for name, command in COMMANDS.items():
            samples[name].append(wall_time(command, environment))
    medians = {name: statistics.median(times) for name, times in samples.items()}
    print(f"median of {options.repeat} runs each (python {sys.version.split()[0]}):")
    for name, median in medians.items():
        print(f"  {median * 1000:7.1f} ms  {name}")
    print("ratios:")
    for name, baseline, target in TARGETS:
        ratio = medians[name] / medians[baseline]
        verdict = "" if target is None else (f"  (target ≤ {target}: {'met' if ratio <= target else 'NOT met'})")
        print(f"  {ratio:5.2f} × [{baseline}]  for  {name}{verdict}")


if __name__ == "__main__":
    main()
