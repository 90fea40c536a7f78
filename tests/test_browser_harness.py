"""The headless-Chromium harness itself, on a tiny MathML page: the boxes it measures, the screenshot it
takes, the text it reads, and that Chromium and chromedriver are gone when it is done."""

from __future__ import annotations

import time

import pytest
from browser_harness import chromium_session, is_running, missing_reason

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body><p>The gradient</p>
<math display="block"><mfrac><mi>a</mi><mi>b</mi></mfrac></math>
<p>and inline <math><msub><mi>w</mi><mn>5</mn></msub></math> too, 正向传播.</p>
</body></html>
"""

pytestmark = pytest.mark.external
needs_browser = pytest.mark.skipif(missing_reason() is not None, reason=missing_reason() or "")


@needs_browser
def test_the_page_is_measured_photographed_and_read(chromium_page, tmp_path):
    source = tmp_path / "page.html"
    source.write_text(PAGE, encoding="utf-8")
    page = chromium_page(source)
    boxes = page.math_boxes()
    assert len(boxes) == 2
    assert all(width > 0 and height > 0 for width, height in boxes)
    fraction_height = boxes[0][1]
    assert fraction_height > boxes[1][1]  # a fraction stands taller than a subscripted letter
    shot = page.screenshot(tmp_path / "page.png")
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    text = page.visible_text()
    assert "The gradient" in text and "正向传播" in text
    assert "$" not in text and "\\frac" not in text
    assert page.run("return document.title;") == "harness"
    assert page.run("return arguments[0] * 2;", 21) == 42


@needs_browser
def test_chromium_and_chromedriver_are_gone_after_the_session_even_after_a_failure(tmp_path):
    source = tmp_path / "page.html"
    source.write_text(PAGE, encoding="utf-8")
    processes: set[int] = set()
    with pytest.raises(ZeroDivisionError), chromium_session() as page:  # noqa: PT012  (the failure happens mid-session)
        page.open(source)
        processes = page.process_ids()
        assert len(processes) > 1  # chromedriver and at least Chromium
        1 / 0  # noqa: B018  (a test failing while the browser is open)
    deadline = time.monotonic() + 20
    while any(is_running(pid) for pid in processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in processes if is_running(pid)]
