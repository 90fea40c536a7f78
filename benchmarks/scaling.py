"""How each command's time grows with the size of the network: the exponent of a log-log fit.

Runs the commands in one process (imports paid once, before timing) on the
784-H-H-10 family of `examples/digits.yaml` (H = 8, 16, 32, 64 by default: 6,442 to
55,050 parameters), interleaved, and prints for each command its median time per
size and the slope b of the least-squares line log t = a + b·log(parameters):
b ≈ 1 is linear, b ≈ 2 quadratic. The target is b ≤ about 1 for every command.
Times are CPU times of this process (user + system), which a machine shared with
other work disturbs far less than wall time; the wall-time slope is printed too.

Usage: python benchmarks/scaling.py [--repeat N] [--widths 8,16,32,64] [--only run,explain]
This is a measurement, not a test: it prints numbers and never fails on them.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from bptutor.cli.app import app, collect_garbage_less_often  # noqa: E402

ENVIRONMENT = {"COLUMNS": "80", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb"}


def scenarios(directory: Path, width: int) -> tuple[Path, Path]:
    """The digits network and the trained digits network with hidden layers of `width` neurons."""
    shape = f"shape: [784, {width}, {width}, 10]"
    traced = re.sub(r"shape: \[784, 16, 16, 10\]", shape, (ROOT / "examples" / "digits.yaml").read_text("utf-8"))
    trained = re.sub(r"shape: \[784, 16, 16, 10\]", shape, (ROOT / "examples" / "digits_train.yaml").read_text("utf-8"))
    trained = trained.replace("samples: digits_train.npz", f"samples: {ROOT / 'examples' / 'digits_train.npz'}")
    paths = directory / f"digits{width}.yaml", directory / f"train{width}.yaml"
    for path, text in zip(paths, (traced, trained), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def commands(traced: Path, trained: Path) -> dict[str, list[str]]:
    return {
        "validate": ["validate", str(traced)],
        "run (summary)": ["run", str(traced)],
        "run --full": ["run", str(traced), "--full"],
        "explain w_1_3_300": ["explain", "w_1_3_300", "-s", str(traced)],
        "sensitivity": ["sensitivity", str(traced)],
        "train, 20 steps": ["train", str(trained), "--steps", "20", "--format", "json"],
    }


def parameters(width: int) -> int:
    return 784 * width + width + width * width + width + width * 10 + 10


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log y on log x."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.fmean(lx), statistics.fmean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--widths", default="8,16,32,64")
    parser.add_argument("--only", help="comma-separated command names (default: all)")
    arguments = parser.parse_args()
    widths = [int(width) for width in arguments.widths.split(",")]
    collect_garbage_less_often()  # as `bptutor` itself does
    runner = CliRunner()
    times: dict[tuple[str, int], list[float]] = {}
    walls: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory() as directory:
        files = {width: scenarios(Path(directory), width) for width in widths}
        chosen = list(commands(*files[widths[0]]))
        if arguments.only:
            chosen = [name for name in chosen if any(part in name for part in arguments.only.split(","))]
        for name in chosen:  # once before timing: every module imported
            result = runner.invoke(app, commands(*files[widths[0]])[name], env=ENVIRONMENT)
            assert result.exit_code == 0, (name, result.output[-500:])
        for _ in range(arguments.repeat):
            for width in widths:
                for name in chosen:
                    start, cpu = time.perf_counter(), time.process_time()
                    result = runner.invoke(app, commands(*files[width])[name], env=ENVIRONMENT)
                    times.setdefault((name, width), []).append(time.process_time() - cpu)
                    walls.setdefault((name, width), []).append(time.perf_counter() - start)
                    assert result.exit_code == 0, (name, result.output[-500:])
    load = os.getloadavg()
    averages = ", ".join(f"{value:.2f}" for value in load)
    print(f"median of {arguments.repeat} runs, in one process (load average {averages})")
    counts = [parameters(width) for width in widths]
    print(f"{'CPU time':<20}" + "".join(f"{count:>10,}" for count in counts) + "   exponent (wall)")
    for name in chosen:
        medians = [statistics.median(times[(name, width)]) for width in widths]
        wall = [statistics.median(walls[(name, width)]) for width in widths]
        cells = "".join(f"{value:>9.2f}s" for value in medians)
        exponent = slope([float(count) for count in counts], medians)
        wall_exponent = slope([float(count) for count in counts], wall)
        verdict = "linear or better" if exponent <= 1.1 else "SUPERLINEAR"
        print(f"{name:<20}{cells}   {exponent:5.2f} ({wall_exponent:.2f})  {verdict}")
    print("(columns: parameters of 784-H-H-10, H = " + ", ".join(str(width) for width in widths) + ")")


if __name__ == "__main__":
    main()
