"""PDF through headless Chromium: finding the browser, printing a page with MathML and Chinese,
and a clear error (exit code 5) when Chromium is missing, fails, hangs or writes no PDF."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bptutor.errors import EXIT_EXTERNAL_PROGRAM, ExternalProgramError
from bptutor.handout.browser import CHROMIUM_VARIABLE, PRINT_CSS, find_chromium, html_to_pdf

PAGE = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>test</title><style>{css}</style></head>
<body><h1>正向传播</h1><p>forward pass</p>
<math display="block"><mfrac><mi>a</mi><mi>b</mi></mfrac></math>
</body></html>
"""


def _program(folder: Path, name: str, script: str) -> Path:
    """A stand-in for Chromium: a shell script that does what the test needs."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)
    return path


# ── finding Chromium ──────────────────────────────────────────────────────────


def test_the_variable_comes_first_then_the_names_in_order(tmp_path):
    folder = tmp_path / "bin"
    for name in ("google-chrome", "chromium-browser"):
        _program(folder, name, "exit 0\n")
    assert find_chromium({"PATH": str(folder)}) == str(folder / "chromium-browser")
    _program(folder, "chromium", "exit 0\n")
    assert find_chromium({"PATH": str(folder)}) == str(folder / "chromium")
    own = _program(tmp_path / "elsewhere", "my-browser", "exit 0\n")
    assert find_chromium({"PATH": str(folder), CHROMIUM_VARIABLE: str(own)}) == str(own)
    assert find_chromium({"PATH": f"{folder}:{own.parent}", CHROMIUM_VARIABLE: "my-browser"}) == str(own)


def test_a_variable_naming_no_program_finds_nothing_rather_than_another_browser(tmp_path):
    folder = tmp_path / "bin"
    _program(folder, "chromium", "exit 0\n")
    assert find_chromium({"PATH": str(folder), CHROMIUM_VARIABLE: str(tmp_path / "nothing")}) is None
    assert find_chromium({"PATH": ""}) is None


# ── errors ────────────────────────────────────────────────────────────────────


def test_missing_chromium_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(tmp_path / "no-such-chromium"))
    output = tmp_path / "out.pdf"
    with pytest.raises(ExternalProgramError) as caught:
        html_to_pdf("<p>x</p>", output)
    error = caught.value
    assert error.key == "pdf.bad_chromium_variable"
    assert str(tmp_path / "no-such-chromium") in str(error)
    assert "PDF output needs Chromium: install the Debian package chromium" in str(error)
    assert "apt-get install chromium fonts-noto-cjk" in error.render("zh") and "需要 Chromium" in error.render("zh")
    assert not output.exists()

    monkeypatch.delenv(CHROMIUM_VARIABLE)
    with pytest.raises(ExternalProgramError) as caught:
        html_to_pdf("<p>x</p>", output)
    assert str(caught.value) == (
        "PDF output needs Chromium: install the Debian package chromium "
        "(apt-get install chromium fonts-noto-cjk), or set BPTUTOR_CHROMIUM"
    )
    assert EXIT_EXTERNAL_PROGRAM == 5


def test_a_failing_chromium_is_reported_with_the_end_of_its_stderr(tmp_path, monkeypatch):
    script = (
        "echo '[1:2:ERROR:dbus/bus.cc:405] Failed to connect to the bus' >&2\n"
        "echo 'first complaint' >&2\necho 'the real reason' >&2\nexit 21\n"
    )
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(_program(tmp_path / "bin", "chromium", script)))
    output = tmp_path / "out.pdf"
    with pytest.raises(ExternalProgramError) as caught:
        html_to_pdf("<p>x</p>", output)
    assert caught.value.key == "pdf.chromium_failed"
    assert str(caught.value) == (
        "Chromium could not print the page to PDF (exit status 21): first complaint | the real reason"
    )
    assert not output.exists()


@pytest.mark.parametrize(
    "script", ["exit 0\n", 'for a; do case "$a" in --print-to-pdf=*) echo hi > "${a#*=}";; esac; done\n']
)
def test_a_chromium_that_writes_no_pdf_is_reported(tmp_path, monkeypatch, script):
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(_program(tmp_path / "bin", "chromium", script)))
    output = tmp_path / "out.pdf"
    with pytest.raises(ExternalProgramError) as caught:
        html_to_pdf("<p>x</p>", output)
    assert caught.value.key == "pdf.not_written"
    assert not output.exists()


@pytest.mark.slow  # a second or more: the quick loop leaves it out
def test_a_chromium_that_hangs_is_stopped_with_its_children(tmp_path, monkeypatch):
    marker = tmp_path / "child.pid"
    sleep = shutil.which("sleep")
    if sleep is None:
        pytest.skip("this test needs the sleep program")
    script = f"{sleep} 300 &\necho $! > {marker}\nwait\n"
    monkeypatch.setenv(CHROMIUM_VARIABLE, str(_program(tmp_path / "bin", "chromium", script)))
    started = time.monotonic()
    with pytest.raises(ExternalProgramError) as caught:
        html_to_pdf("<p>x</p>", tmp_path / "out.pdf", timeout=1)
    assert time.monotonic() - started < 30
    assert caught.value.key == "pdf.chromium_timeout"
    assert str(caught.value) == "Chromium did not finish printing the page to PDF within 1 seconds"
    child = int(marker.read_text())
    stat = Path(f"/proc/{child}/stat")
    deadline = time.monotonic() + 10
    while stat.exists() and stat.read_text().split(")")[-1].split()[0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not stat.exists() or stat.read_text().split(")")[-1].split()[0] == "Z", "the child of Chromium still runs"


# ── printing for real ─────────────────────────────────────────────────────────


@pytest.mark.external
@pytest.mark.skipif(find_chromium() is None, reason="printing to PDF needs Chromium (Debian package chromium)")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="reading the PDF back needs pdftotext (poppler-utils)")
def test_a_page_with_mathml_and_chinese_prints_to_a_pdf_with_that_text(tmp_path):
    output = tmp_path / "page.pdf"
    html_to_pdf(PAGE.format(css=PRINT_CSS), output)
    assert output.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(output), "-"], capture_output=True, check=True).stdout
    text = text.decode("utf-8")
    assert "正向传播" in text and "forward pass" in text
    # MathML letters come out as mathematical italic (U+1D44E, U+1D44F) or plain, depending on the font
    fraction = text.split("forward pass", 1)[1].replace("\U0001d44e", "a").replace("\U0001d44f", "b").split()
    assert fraction == ["a", "b"]
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(output)], capture_output=True, check=True, text=True).stdout
        assert "pts (A4)" in info
    assert "file:" not in text  # no header or footer with the page's address


def test_the_print_css_asks_for_a4_and_fonts_with_chinese_and_math():
    assert "size: A4" in PRINT_CSS
    assert '"Noto Serif CJK SC"' in PRINT_CSS and '"Noto Sans CJK SC"' in PRINT_CSS
    assert "math {" in PRINT_CSS and "Latin Modern Math" in PRINT_CSS
    assert PRINT_CSS.count("{") == PRINT_CSS.count("}")


@pytest.mark.external
@pytest.mark.skipif(find_chromium() is None, reason="printing to PDF needs Chromium (Debian package chromium)")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="reading the PDF back needs pdftotext (poppler-utils)")
def test_a_matrix_wider_than_the_page_is_printed_whole(tmp_path):
    """xor's step 3 in the matrix form: Z^(2) = W^(2) A^(1) + b^(2) with A^(1) 2×4 at 10 digits is wider than A4's
    text; on paper it cannot scroll, so it is scaled to fit, and every entry of A^(1) is in the PDF (clipped, the
    last column's were not)."""
    import bptutor

    solution = bptutor.solve("xor", step=3)
    assert isinstance(solution, bptutor.Solution)
    output = tmp_path / "xor.pdf"
    solution.to_pdf(output, form="matrix")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(output), "-"], capture_output=True, check=True).stdout
    text = text.decode("utf-8").replace("−", "-")
    hidden = solution.matrices().layer(1).a
    for row in hidden:
        for value in row:
            assert text.count(f"{float(value):.10g}") >= 2, value  # in A^(1) = tanh(Z^(1)) and in W^(2) A^(1) + b^(2)
