"""Larger networks: the 784-16-16-10 `digits` network (13,002 parameters) against the 2-2-2 one.

Times, in one process and interleaved so machine noise hits them alike, the
stages of `bptutor run` and `explain` on both networks, and prints the median
of each and the ratio large/small. Loading and tracing should grow about
linearly with the parameters (13,002 / 12 ≈ 1,084×), not with their square;
`explain` of one first-layer weight is dominated by sympy evaluating the
forward pass at 30 digits.

Usage: python benchmarks/bignet.py [--repeat N]
This is a measurement, not a test: it prints numbers and never fails on them.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bptutor.core.trace import run
from bptutor.derive.explain import explain
from bptutor.loading.builtin import builtin_path
from bptutor.loading.scenario import load_scenario
from bptutor.render.run import render_run
from bptutor.render.style import Style
from bptutor.render.summary import render_summary

SMALL, LARGE = "two_two_two", "digits"
EXPLAINED = {SMALL: "w1", LARGE: "w_1_3_300"}


def stages(name: str) -> dict[str, Callable[[], object]]:
    path = builtin_path(name) or Path(__file__).resolve().parent.parent / "examples" / f"{name}.yaml"
    scenario = load_scenario(path)
    traced = run(scenario)
    style = Style()
    view = render_run if name == SMALL else (lambda result, style: render_summary(result, style, 10))
    return {
        "load": lambda: load_scenario(path),
        "trace one step": lambda: run(scenario),
        "table or summary": lambda: view(traced, style),
        "explain one weight": lambda: explain(scenario, EXPLAINED[name]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    small, large = stages(SMALL), stages(LARGE)
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(repeat):
        for network, table in ((SMALL, small), (LARGE, large)):
            for stage, work in table.items():
                start = time.perf_counter()
                work()
                times.setdefault((network, stage), []).append(time.perf_counter() - start)
    print(f"{'stage':<20}{SMALL:>14}{LARGE:>14}{'ratio':>10}")
    for stage in small:
        a = statistics.median(times[(SMALL, stage)])
        b = statistics.median(times[(LARGE, stage)])
        print(f"{stage:<20}{a * 1000:>11.2f} ms{b * 1000:>11.1f} ms{b / a:>9.0f}×")
    print("parameters: 12 and 13,002 (1,084×)")
    trained = Path(__file__).resolve().parent.parent / "examples" / "digits_train.yaml"
    start = time.perf_counter()  # the first load of a file of samples: NumPy imported, the archive read
    load_scenario(trained)
    first = time.perf_counter() - start
    again = []
    for _ in range(repeat):
        start = time.perf_counter()
        load_scenario(trained)
        again.append(time.perf_counter() - start)
    print(
        f"load digits_train (13,002 parameters, 500 samples from .npz): first {first * 1000:.0f} ms "
        f"(with importing NumPy), then {statistics.median(again) * 1000:.0f} ms (target < 500 ms)"
    )


if __name__ == "__main__":
    main()
