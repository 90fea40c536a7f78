"""Shared fixtures: the shipped scenarios, loaded once per test session."""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path

import pytest
from browser_harness import chromium_page  # noqa: F401  (the headless-Chromium fixture, for every test module)

from bptutor.core.scenario import Scenario
from bptutor.loading.scenario import load_scenario

# When a hypothesis example fails, hypothesis imports libcst (to suggest a patch) and that
# import warns (mypy_extensions.TypedDict is deprecated); under filterwarnings = "error" the
# failure would surface as a pytest INTERNALERROR instead of the falsifying example. Import
# it once here, quietly, for every test module.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import libcst  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def two_two_two() -> Scenario:
    return load_scenario(SCENARIOS / "two_two_two.yaml")


@pytest.fixture(scope="session")
def one_one_one() -> Scenario:
    return load_scenario(SCENARIOS / "one_one_one.yaml")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.txt from the current output (review the diff before committing)",
    )
