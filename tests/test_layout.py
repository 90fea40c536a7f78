"""The package's layout holds: each stage imports only its own or lower stages, no import
circle (function-level and TYPE_CHECKING imports counted), no module reaching into another's
underscore names, every subpackage saying in its docstring what it may import, and no two
modules whose names differ by a suffix only.

The checks read the source with `ast`; nothing is imported. Each check is also run on a
few lines of planted source, so a checker that sees nothing cannot pass unnoticed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bptutor"

# lowest first: a module may import its own stage and the stages before it
STAGES = (
    "bptutor.records",
    "bptutor.i18n",
    "bptutor.errors",
    "bptutor.core",
    "bptutor.loading",
    "bptutor.derive",
    "bptutor.teach",
    "bptutor.train",
    "bptutor.render",
    "bptutor.handout",
    "bptutor.api",
    "bptutor.cli",
)
# bptutor/__init__.py re-exports the API (lazily), __main__.py starts the command line
STAGE_OF_TOP = {"bptutor": "bptutor.api", "bptutor.__main__": "bptutor.cli"}


@dataclass(frozen=True)
class Import:
    """One import in `module` (line `line`): the module it loads and the names it takes from it."""

    module: str
    line: int
    target: str
    names: tuple[str, ...]


def module_name(path: Path, root: Path) -> str:
    """bptutor/loading/scenario.py → bptutor.loading.scenario; a package's __init__.py → the package."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_sources(root: Path = PACKAGE) -> dict[str, str]:
    """Every module of the package, by dotted name, with its source text."""
    return {module_name(path, root): path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.py"))}


def package_names(root: Path = PACKAGE) -> set[str]:
    """The package and its subpackages (the folders with an __init__.py), by dotted name."""
    return {module_name(path, root) for path in root.rglob("__init__.py")}


def _is_package(module: str, sources: Mapping[str, str]) -> bool:
    return any(other.startswith(module + ".") for other in sources)


def _absolute(module: str, node: ast.ImportFrom, sources: Mapping[str, str]) -> str:
    """The module an ImportFrom names, relative imports resolved against `module`."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module, sources):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str, sources: Mapping[str, str]) -> Iterator[Import]:
    """Every import of a bptutor module in `module`: top-level, in functions, under TYPE_CHECKING."""
    for node in ast.walk(ast.parse(sources[module])):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "bptutor":
                    yield Import(module, node.lineno, alias.name, ())
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node, sources)
            if source.split(".")[0] != "bptutor":
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in sources:
                    yield Import(module, node.lineno, submodule, ())
                else:
                    yield Import(module, node.lineno, source, (alias.name,))


def stage_of(module: str) -> int:
    """The index in STAGES of the stage `module` belongs to."""
    module = STAGE_OF_TOP.get(module, module)
    for index, stage in enumerate(STAGES):
        if module == stage or module.startswith(stage + "."):
            return index
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES")


def upward_imports(sources: Mapping[str, str]) -> list[str]:
    """Imports of a higher stage than the importing module's own."""
    found = []
    for module in sources:
        for item in imports_of(module, sources):
            if stage_of(item.target) > stage_of(module):
                found.append(f"{module}:{item.line} imports {item.target}")
    return found


def import_graph(sources: Mapping[str, str]) -> dict[str, list[str]]:
    """module → the bptutor modules it imports (each once, in the order written)."""
    graph: dict[str, list[str]] = {}
    for module in sources:
        targets = [item.target for item in imports_of(module, sources) if item.target != module]
        graph[module] = [target for target in dict.fromkeys(targets) if target in sources]
    return graph


def find_cycle(graph: Mapping[str, list[str]]) -> list[str] | None:
    """One import circle as [a, b, …, a], or None (depth-first search, white/grey/black)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in graph.get(node, []):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for start in graph:
        if start not in state:
            cycle = visit(start)
            if cycle:
                return cycle
    return None


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def underscore_uses(sources: Mapping[str, str]) -> list[str]:
    """`from x import _y` and `x._y` where x is another bptutor module."""
    found = []
    for module, text in sources.items():
        bound: dict[str, str] = {}  # local name → the bptutor module it holds
        for item in imports_of(module, sources):
            found += [f"{module}:{item.line} imports {item.target}.{name}" for name in item.names if _private(name)]
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "bptutor":
                        bound[alias.asname or "bptutor"] = alias.name if alias.asname else "bptutor"
            elif isinstance(node, ast.ImportFrom):
                source = _absolute(module, node, sources)
                for alias in node.names:
                    if f"{source}.{alias.name}" in sources:
                        bound[alias.asname or alias.name] = f"{source}.{alias.name}"
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.Attribute) or not _private(node.attr):
                continue
            chain = []
            value: ast.expr = node.value
            while isinstance(value, ast.Attribute):
                chain.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in bound:
                owner = ".".join([bound[value.id], *reversed(chain)])
                if owner in sources and owner != module:
                    found.append(f"{module}:{node.lineno} uses {owner}.{node.attr}")
    return found


def may_import(docstring: str) -> list[str]:
    """The subpackages a docstring's `May import:` sentence names (bptutor.core, bptutor.errors, …)."""
    match = re.search(r"May import:(.*?)(?:\.\s*$|\.\s+[A-Z(]|\n\n|$)", docstring, re.S)
    return re.findall(r"bptutor\.\w+", match.group(1)) if match else []


def subpackages(sources: Mapping[str, str], packages: set[str] | None = None) -> list[str]:
    """The subpackages (bptutor.core, …): the given `packages`, or the modules that have modules inside."""
    return [
        module
        for module in sources
        if module.count(".") == 1 and (module in packages if packages is not None else _is_package(module, sources))
    ]


def docstring_problems(sources: Mapping[str, str], packages: set[str] | None = None) -> list[str]:
    """Subpackages without a docstring saying what they may import, or importing what it does not name."""
    found = []
    for package in subpackages(sources, packages):
        docstring = ast.get_docstring(ast.parse(sources[package])) or ""
        allowed = may_import(docstring)
        if "May import:" not in docstring:
            found.append(f"{package}/__init__.py has no docstring with a 'May import:' sentence")
            continue
        for name in allowed:
            if stage_of(name) >= stage_of(package):
                found.append(f"{package} may import {name}, which is not a lower stage")
        for module in sources:
            if module != package and not module.startswith(package + "."):
                continue
            for item in imports_of(module, sources):
                stage = STAGES[stage_of(item.target)]
                if stage != package and stage not in allowed:
                    found.append(f"{module}:{item.line} imports {item.target}, not named in {package}'s 'May import:'")
    return found


# ── the package ───────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return package_sources()


def test_every_module_has_a_stage(sources: dict[str, str]) -> None:
    for module in sources:
        stage_of(module)
    assert set(subpackages(sources, package_names())) <= set(STAGES)


def test_imports_point_to_the_same_or_a_lower_stage(sources: dict[str, str]) -> None:
    assert upward_imports(sources) == []


def test_no_import_circle(sources: dict[str, str]) -> None:
    cycle = find_cycle(import_graph(sources))
    assert cycle is None, "import circle: " + " → ".join(cycle or [])


def test_no_module_uses_another_modules_underscore_names(sources: dict[str, str]) -> None:
    assert underscore_uses(sources) == []


def test_every_subpackage_docstring_says_what_it_may_import(sources: dict[str, str]) -> None:
    packages = package_names()
    assert len(subpackages(sources, packages)) >= 9
    assert docstring_problems(sources, packages) == []


def names_differing_by_a_suffix(sources: Mapping[str, str]) -> list[tuple[str, str]]:
    """Pairs of modules whose names differ by a suffix only (train / training, plot / plots)."""
    stems = sorted({module.rsplit(".", 1)[-1] for module in sources if "." in module})
    return [(short, long) for short in stems for long in stems if long != short and long.startswith(short)]


def test_no_two_modules_differ_by_a_suffix_only(sources: dict[str, str]) -> None:
    assert names_differing_by_a_suffix(sources) == []
    assert names_differing_by_a_suffix({"bptutor.render.train": "", "bptutor.loading.training": ""}) == [
        ("train", "training")
    ]


# ── the checks catch what they look for (planted source) ─────────────────────


PLANTED = {
    "bptutor": '"""The API."""\n',
    "bptutor.core": '"""The model.\n\nMay import: bptutor.errors.\n"""\n',
    "bptutor.core.ops": "def f():\n    from bptutor.core import custom\n    return custom\n",
    "bptutor.core.custom": (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "from bptutor.core.ops import _sigmoid\n"
        "if TYPE_CHECKING:\n"
        "    from bptutor.render.run import Style\n"
    ),
    "bptutor.errors": "",
    "bptutor.render": "",
    "bptutor.render.run": "from bptutor.core import ops as o\nimport bptutor.core.custom\n"
    "x = o._exp\ny = bptutor.core.custom._tanh\nfrom . import style\n",
    "bptutor.render.style": "from ..core.ops import _like\n",
}


def test_a_function_level_import_closes_a_planted_circle() -> None:
    cycle = find_cycle(import_graph(PLANTED))
    assert cycle in (
        ["bptutor.core.ops", "bptutor.core.custom", "bptutor.core.ops"],
        ["bptutor.core.custom", "bptutor.core.ops", "bptutor.core.custom"],
    )
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None


def test_a_type_checking_import_of_a_higher_stage_is_found() -> None:
    assert upward_imports(PLANTED) == ["bptutor.core.custom:5 imports bptutor.render.run"]


def test_underscore_names_are_found_imported_and_as_attributes() -> None:
    assert underscore_uses(PLANTED) == [
        "bptutor.core.custom:3 imports bptutor.core.ops._sigmoid",
        "bptutor.render.run:3 uses bptutor.core.ops._exp",
        "bptutor.render.run:4 uses bptutor.core.custom._tanh",
        "bptutor.render.style:1 imports bptutor.core.ops._like",
    ]


def test_a_missing_or_untrue_docstring_is_found() -> None:
    problems = docstring_problems(PLANTED)
    assert "bptutor.render/__init__.py has no docstring with a 'May import:' sentence" in problems
    assert (
        "bptutor.core.custom:5 imports bptutor.render.run, not named in bptutor.core's 'May import:'" in problems
    )
    assert may_import("Holds things.\n\nMay import: bptutor.core, bptutor.errors (and sympy).\n") == [
        "bptutor.core",
        "bptutor.errors",
    ]
