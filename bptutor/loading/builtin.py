"""The scenarios that ship with bptutor, found by name.

In an installed package they sit in `bptutor/scenarios/`; in a source checkout
they are the repository's own `scenarios/` folder (the one copy of each file).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_dir() -> Path:
    installed = _PACKAGE / "scenarios"
    return installed if installed.is_dir() else _PACKAGE.parent / "scenarios"


def builtin_names() -> list[str]:
    folder = builtin_dir()
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.yaml"))


def builtin_path(name: str) -> Path | None:
    if name not in builtin_names():
        return None
    return builtin_dir() / f"{name}.yaml"


__all__ = ["builtin_dir", "builtin_names", "builtin_path"]
