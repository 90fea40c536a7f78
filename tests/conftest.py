"""Shared fixtures: the shipped scenarios, loaded once per test session."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import warnings
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from browser_harness import chromium_page  # noqa: F401  (the headless-Chromium fixture, for every test module)
from hypothesis import settings

from bptutor.core.scenario import Scenario
from bptutor.loading.scenario import load_scenario
from tests.hypothesis_profiles import DEFAULT_PROFILE

# When a hypothesis example fails, hypothesis imports libcst (to suggest a patch) and that
# import warns (mypy_extensions.TypedDict is deprecated); under filterwarnings = "error" the
# failure would surface as a pytest INTERNALERROR instead of the falsifying example. Import
# it once here, quietly, for every test module.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import libcst  # noqa: F401

# Every run draws the same examples unless --hypothesis-profile=random or =long is given (Hypothesis's
# plugin loads that one later, at pytest_configure, before any test module is imported).
settings.load_profile(DEFAULT_PROFILE)

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def two_two_two() -> Scenario:
    return load_scenario(SCENARIOS / "two_two_two.yaml")


@pytest.fixture(scope="session")
def one_one_one() -> Scenario:
    return load_scenario(SCENARIOS / "one_one_one.yaml")


# A run started in the background of a non-interactive shell (`cmd &`, some CI runners) inherits
# SIGINT ignored, and so would every bptutor process a test starts: the tests that press Ctrl-C
# would see nothing happen. Python's own handler here makes the children start with the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.txt from the current output (review the diff before committing)",
    )


# ── the quick loop: tests marked `external` (and `slow`) stay out of it ───────
#
# A test that runs one of these programs, or imports one of these modules, must be marked `external`
# (a module's `pytestmark`, a decorator, or, for the `chromium_page` fixture, the hook below), so that
# `python -m pytest -m "not slow and not external"` never starts them. The guard below fails any
# other test that does, and the session if collecting the test modules imported one of the modules.

EXTERNAL_PROGRAMS = (
    "chromium", "chromium-browser", "google-chrome", "chromedriver",
    "pdflatex", "xelatex", "lualatex", "latexmk", "kpsewhich",
    "dot", "pdftotext", "pdfinfo", "pdftoppm", "tmux",
)  # fmt: skip
EXTERNAL_MODULES = ("torch", "matplotlib", "selenium.webdriver")
EXTERNAL_FIXTURES = ("chromium_page",)


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in EXTERNAL_FIXTURES):
            item.add_marker(pytest.mark.external)


def _loaded_external_modules() -> set[str]:
    return {name for name in EXTERNAL_MODULES if sys.modules.get(name) is not None}


class ExternalGuard:
    """Refuses to start an installed external program outside a test marked `external`, and notes
    every external module a test imports."""

    def __init__(self) -> None:
        self.allowed = False
        self.problems: list[str] = []
        self.modules_before: set[str] = set()
        self._programs: dict[str, str] | None = None
        self._original = subprocess.Popen.__init__

    def programs(self) -> dict[str, str]:
        """The real path of each installed external program → its name."""
        if self._programs is None:
            from bptutor.handout.browser import CHROMIUM_VARIABLE, find_chromium

            found = {name: shutil.which(name) for name in EXTERNAL_PROGRAMS}
            # the installed browser, not a stand-in that the test running now may have named in the variable
            installed = {key: value for key, value in os.environ.items() if key != CHROMIUM_VARIABLE}
            found["chromium"] = find_chromium(installed) or found["chromium"]
            self._programs = {os.path.realpath(path): name for name, path in found.items() if path}
        return self._programs

    def program_of(self, args: Any, executable: Any, env: Any) -> str | None:
        """The external program a Popen would start, or None."""
        if executable is None:
            if isinstance(args, (str, bytes, os.PathLike)):
                args = shlex.split(os.fsdecode(args)) if isinstance(args, (str, bytes)) else [args]
            if not args:
                return None
            executable = args[0]
        command = os.fsdecode(executable)
        if os.sep not in command:
            command = shutil.which(command, path=None if env is None else env.get("PATH", os.defpath)) or command
        return self.programs().get(os.path.realpath(command))

    def install(self) -> None:
        guard, original = self, self._original

        def popen_init(popen: subprocess.Popen[Any], args: Any, *rest: Any, **keywords: Any) -> None:
            if not guard.allowed:
                executable = keywords.get("executable", rest[1] if len(rest) > 1 else None)
                program = guard.program_of(args, executable, keywords.get("env"))
                if program is not None:
                    message = f"runs {program}, so it must be marked external"
                    guard.problems.append(message)
                    pytest.fail(message + " (see tests/conftest.py)", pytrace=False)
            original(popen, args, *rest, **keywords)

        subprocess.Popen.__init__ = popen_init  # type: ignore[method-assign]

    def uninstall(self) -> None:
        subprocess.Popen.__init__ = self._original  # type: ignore[method-assign]


GUARD = ExternalGuard()


def pytest_configure(config: pytest.Config) -> None:
    GUARD.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    GUARD.uninstall()


def pytest_collection_finish(session: pytest.Session) -> None:
    imported = _loaded_external_modules()
    if imported:
        pytest.exit(
            f"collecting the tests imported {', '.join(sorted(imported))}: import it inside the test or a fixture "
            "of a test marked external, so that the quick loop does not pay for it (see tests/conftest.py)",
            returncode=pytest.ExitCode.TESTS_FAILED,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
    GUARD.allowed = item.get_closest_marker("external") is not None
    GUARD.problems.clear()
    GUARD.modules_before = _loaded_external_modules()
    try:
        return (yield)
    finally:
        GUARD.allowed = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if not GUARD.allowed:
        new = _loaded_external_modules() - GUARD.modules_before
        problems = [*GUARD.problems, *(f"imports {name}, so it must be marked external" for name in sorted(new))]
        GUARD.problems.clear()
        GUARD.modules_before |= new
        if problems and not report.failed:
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid} " + "; ".join(problems) + " (see tests/conftest.py)"
    return report
