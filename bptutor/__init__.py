"""bptutor: backpropagation worked by hand, every chain-rule factor with its symbol and its number.

The Python API (`load`, `solve`, `Solution`, `CircuitSolution`, `Explanation`, `LayerExplanation`,
`ScenarioError`, `UsageError`) is imported on first use, so `bptutor --help` stays fast:

    import bptutor
    solution = bptutor.solve("two_two_two")
    solution.gradient("w5"), solution.to_html(lang="zh")
"""

from typing import Any

__version__ = "0.1.0"

_API = {"load", "solve", "Solution", "CircuitSolution", "Explanation", "LayerExplanation"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from bptutor import api

        return getattr(api, name)
    if name in ("ScenarioError", "UsageError"):
        from bptutor import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'bptutor' has no attribute {name!r}")


__all__ = [
    "CircuitSolution",
    "Explanation",
    "LayerExplanation",
    "ScenarioError",
    "Solution",
    "UsageError",
    "__version__",
    "load",
    "solve",
]
