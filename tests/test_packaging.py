"""The package's metadata: one version source, the type marker, classifiers a build accepts."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import bptutor

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_has_one_source():
    project = PROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    source = PROJECT["tool"]["hatch"]["version"]["path"]
    assert source == "bptutor/__init__.py"
    assert re.search(r'^__version__ = "([^"]+)"$', (ROOT / source).read_text(encoding="utf-8"), re.MULTILINE)[1] == bptutor.__version__


def test_metadata_says_who_what_and_for_whom():
    project = PROJECT["project"]
    assert project["authors"] and project["keywords"] and project["license"] == "MIT"
    classifiers = project["classifiers"]
    assert "Typing :: Typed" in classifiers and (ROOT / "bptutor" / "py.typed").exists()
    assert not any(classifier.startswith("License ::") for classifier in classifiers)  # PEP 639: the expression says it
    assert f"Programming Language :: Python :: {project['requires-python'].removeprefix('>=')}" in classifiers
    assert classifiers == sorted(classifiers)


def test_the_wheel_ships_the_type_marker():
    assert PROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["bptutor"]
