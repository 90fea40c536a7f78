"""The network figure's layout and the whole `solve` on 2-2-2, 6-6-6 and 12-12-12 networks.

Builds each fully connected network in memory (weights and biases named and valued), then times, in one
process and interleaved so machine noise hits them alike, `layout` alone and `solve --format md` in full
(trace, handout, Markdown with the figure). Prints the median of each and the exponent k of a power law
time ≈ c · arrowsᵏ fitted to the three sizes (least squares on the logarithms): about 1 means the label
placement grows linearly with the number of arrows, 2 quadratically.

Usage: python benchmarks/figure.py [--repeat N]
This is a measurement, not a test: it prints numbers and never fails on them.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import time
from collections.abc import Callable
from typing import Any

from bptutor.core.trace import run
from bptutor.handout.document import build_handout
from bptutor.handout.figure import layout
from bptutor.handout.formats import to_markdown
from bptutor.loading.scenario import scenario_from_data

SHAPES = ((2, 2, 2), (6, 6, 6), (12, 12, 12))


def network(shape: tuple[int, ...]) -> Any:
    """A fully connected sigmoid network of the given widths (inputs first), every parameter different."""
    inputs = {f"i{index}": round(0.05 * index, 2) for index in range(1, shape[0] + 1)}
    layers, parameters, sources = [], {}, list(inputs)
    for layer_index, width in enumerate(shape[1:], start=1):
        last = layer_index == len(shape) - 1
        names = [f"o{index}" if last else f"h{layer_index}_{index}" for index in range(1, width + 1)]
        neurons = {}
        for position, name in enumerate(names, start=1):
            weights = {}
            for source in sources:
                weights[source] = f"w{len(parameters) + 1}"
                parameters[weights[source]] = round(((len(parameters) * 37) % 100) / 100 - 0.5, 2)
            bias = f"b{layer_index}_{position}"
            parameters[bias] = 0.1
            neurons[name] = {"bias": bias, "weights": weights}
        name = "output" if last else f"hidden{layer_index}"
        layers.append({"name": name, "activation": "sigmoid", "neurons": neurons})
        sources = names
    return scenario_from_data({
        "name": "net_" + "_".join(map(str, shape)),
        "inputs": inputs,
        "targets": dict.fromkeys(sources, 0.5),
        "layers": layers,
        "parameters": parameters,
        "loss": "half_sse",
        "learning_rate": 0.5,
    })


def arrows(shape: tuple[int, ...]) -> int:
    """Weights and bias arrows: one per connection and one per neuron."""
    return sum(a * b + b for a, b in itertools.pairwise(shape))


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """The slope of log(time) against log(size), least squares."""
    xs, ys = [math.log(size) for size in sizes], [math.log(second) for second in seconds]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    scenarios = {shape: network(shape) for shape in SHAPES}
    work: dict[str, Callable[[Any], object]] = {
        "layout": lambda scenario: layout(scenario),
        "solve --format md": lambda scenario: to_markdown(build_handout(run(scenario), "en")),
    }
    times: dict[tuple[str, tuple[int, ...]], list[float]] = {}
    for _ in range(repeat):
        for shape, scenario in scenarios.items():
            for stage, function in work.items():
                start = time.perf_counter()
                function(scenario)
                times.setdefault((stage, shape), []).append(time.perf_counter() - start)
    sizes = [arrows(shape) for shape in SHAPES]
    print(f"{'stage':<20}" + "".join(f"{'-'.join(map(str, s)):>12}" for s in SHAPES) + f"{'exponent':>10}")
    print(f"{'arrows':<20}" + "".join(f"{size:>12}" for size in sizes))
    for stage in work:
        medians = [statistics.median(times[(stage, shape)]) for shape in SHAPES]
        cells = "".join(f"{median * 1000:>9.0f} ms" for median in medians)
        print(f"{stage:<20}{cells}{exponent(sizes, medians):>10.2f}")


if __name__ == "__main__":
    main()
