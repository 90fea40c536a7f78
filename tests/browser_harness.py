"""A headless Chromium for tests, driven by Selenium with the system's chromedriver.

Use the `chromium_page` fixture (made available to every test module by conftest.py):

    def test_something(chromium_page, tmp_path):
        page = chromium_page(tmp_path / "handout.html")
        assert all(width > 0 and height > 0 for width, height in page.math_boxes())

Selenium is given the chromedriver and the Chromium to use, and SE_OFFLINE is set, so
Selenium Manager never downloads anything. Every session has a fresh profile, and the
driver is quit (closing Chromium and chromedriver) when the test ends, passed or failed.
Tests skip, saying why, when Selenium, Chromium or chromedriver is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from bptutor.handout.browser import CHROMIUM_FLAGS, find_chromium

DEBIAN_CHROMEDRIVER = "/usr/bin/chromedriver"
WINDOW = (1024, 1400)  # about an A4 page at 96 px per inch, with room for a scroll


def find_chromedriver() -> str | None:
    if os.access(DEBIAN_CHROMEDRIVER, os.X_OK):
        return DEBIAN_CHROMEDRIVER
    return shutil.which("chromedriver")


def missing_reason() -> str | None:
    """Why a browser test cannot run here, or None when it can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "browser tests need selenium (pip install '.[test]')"
    if find_chromium() is None:
        return "browser tests need Chromium (Debian package chromium, or set BPTUTOR_CHROMIUM)"
    if find_chromedriver() is None:
        return "browser tests need chromedriver (Debian package chromium-driver)"
    return None


def _descendants(root: int) -> set[int]:
    """The process `root` and every process below it, from /proc (Linux only; empty elsewhere)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(entry.name)] = int(fields[1])
    found = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return found


def is_running(pid: int) -> bool:
    """True while the process exists and is not a zombie (exited, waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class ChromiumPage:
    """One open page: what the tests ask of it."""

    def __init__(self, driver: Any, service_pid: int | None) -> None:
        self.driver = driver
        self.service_pid = service_pid

    def open(self, path: Path) -> ChromiumPage:
        """Load the file and wait until its fonts are ready, so boxes are measured in the final font."""
        self.driver.get(Path(path).resolve().as_uri())
        self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => done(true));"
        )
        return self

    def screenshot(self, path: Path) -> Path:
        if not self.driver.save_screenshot(str(path)):
            raise RuntimeError(f"Chromium could not save a screenshot to {path}")
        return Path(path)

    def math_boxes(self) -> list[tuple[float, float]]:
        """(width, height) in CSS pixels of every <math> element, in document order."""
        boxes = self.run(
            "return Array.from(document.getElementsByTagName('math'))"
            ".map(element => { const box = element.getBoundingClientRect(); return [box.width, box.height]; });"
        )
        return [(float(width), float(height)) for width, height in boxes]

    def visible_text(self) -> str:
        text: str = self.run("return document.body.innerText;")
        return text

    def run(self, script: str, *arguments: Any) -> Any:
        """Run JavaScript in the page (`return` gives its value back)."""
        return self.driver.execute_script(script, *arguments)

    def process_ids(self) -> set[int]:
        """chromedriver and every process it started (Chromium's), for checking they end."""
        return set() if self.service_pid is None else _descendants(self.service_pid)


@contextmanager
def chromium_session(window: tuple[int, int] = WINDOW) -> Iterator[ChromiumPage]:
    """A headless Chromium under chromedriver, quit on the way out whatever happened."""
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = find_chromium(), find_chromedriver()
    assert chromium is not None and chromedriver is not None
    offline = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"  # belt and braces: Selenium Manager must not fetch a driver
    with tempfile.TemporaryDirectory(prefix="bptutor-browser-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={window[0]},{window[1]}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for tests that read it
        service = Service(executable_path=chromedriver, log_output=subprocess.DEVNULL)
        try:
            driver = webdriver.Chrome(service=service, options=options)
        except Exception:
            service.stop()
            raise
        finally:
            if offline is None:
                del os.environ["SE_OFFLINE"]
            else:
                os.environ["SE_OFFLINE"] = offline
        process = getattr(service, "process", None)
        page = ChromiumPage(driver, process.pid if process is not None else None)
        try:
            yield page
        finally:
            driver.quit()


@pytest.fixture
def chromium_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], ChromiumPage]]:
    """Open an HTML file in headless Chromium: `page = chromium_page(path)`. The browser quits
    after the test; it starts only when first asked for, and at most once per test."""
    monkeypatch.setenv("SE_OFFLINE", "true")
    with ExitStack() as sessions:
        opened: list[ChromiumPage] = []

        def open_page(path: Path) -> ChromiumPage:
            if not opened:
                opened.append(sessions.enter_context(chromium_session()))
            return opened[0].open(path)

        yield open_page
