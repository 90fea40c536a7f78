"""HTML to PDF through headless Chromium, and the page CSS that printing needs.

bptutor does not ship a browser: `find_chromium` looks for one (BPTUTOR_CHROMIUM,
then chromium, chromium-browser, google-chrome, google-chrome-stable on PATH) and
`html_to_pdf` has it print a page. Chromium runs with a fresh profile in a
temporary folder, without network services, extensions or sync, in its own
process group, which is killed if it overruns its time. A missing or failing
Chromium is an ExternalProgramError (exit code 5 at the command line).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from bptutor.errors import PATH_LIMIT, ExternalProgramError, printable
from bptutor.handout.writing import check_target, write_output
from bptutor.i18n import Message
from bptutor.render.programs import run_in_group

CHROMIUM_VARIABLE = "BPTUTOR_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# Flags for every headless run (the PDF printer here, and the test harness). All are accepted by
# Chromium 156; --disable-dev-shm-usage keeps it working where /dev/shm is small (containers).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
)
STDERR_LINES = 15  # how much of Chromium's complaint an error message quotes
_NOISE = re.compile(r"dbus|Fontconfig|unexpected operator")  # Chromium's usual chatter in a container

# Page CSS for printed handouts, for the HTML printer to include: A4 pages, Latin fonts first
# and then CJK fallbacks (so Chinese text renders and Latin letters keep their own font), a
# math font for MathML, and no page break inside a row, a figure or just after a heading.
PRINT_CSS = """\
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
html { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
body {
  font-family: "Noto Serif", "DejaVu Serif", "Liberation Serif", "Times New Roman",
    "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif;
  font-size: 10.5pt;
  line-height: 1.45;
}
h1, h2, h3, h4, th, caption, figcaption, .sans {
  font-family: "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial,
    "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
}
code, pre, kbd {
  font-family: "DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono",
    "Noto Sans Mono CJK SC", monospace;
}
math { font-family: "Latin Modern Math", "STIX Two Math", "DejaVu Math TeX Gyre", "Noto Sans Math", math; }
h1, h2, h3, h4 { break-after: avoid; }
tr, figure, math[display="block"] { break-inside: avoid; }
table { border-collapse: collapse; }
svg { max-width: 100%; height: auto; }
"""


def find_chromium(environ: Mapping[str, str] | None = None) -> str | None:
    """The Chromium to run: BPTUTOR_CHROMIUM when set (a path or a name on PATH), else the first
    of chromium, chromium-browser, google-chrome, google-chrome-stable on PATH; None when none.

    When BPTUTOR_CHROMIUM is set but names no program, the answer is None: the user asked for
    that browser, so another one is not used behind their back.
    """
    environ = os.environ if environ is None else environ
    search_path = environ.get("PATH", os.defpath)
    chosen = environ.get(CHROMIUM_VARIABLE, "").strip()
    if chosen:
        return shutil.which(chosen, path=search_path)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=search_path)
        if found:
            return found
    return None


def _missing(environ: Mapping[str, str]) -> ExternalProgramError:
    advice = Message.of("pdf.no_chromium")
    chosen = environ.get(CHROMIUM_VARIABLE, "").strip()
    if chosen:
        return ExternalProgramError(Message.of("pdf.bad_chromium_variable", path=chosen, advice=advice))
    return ExternalProgramError(advice)


def _tail(stderr: bytes) -> str:
    """The last lines of Chromium's stderr that say something (its D-Bus chatter left out)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    useful = [line for line in lines if line and not _NOISE.search(line)]
    return " | ".join(useful[-STDERR_LINES:]) or "-"


def _run(command: list[str], timeout: float) -> tuple[int, bytes]:
    """Run Chromium in a new process group, and kill that group (and only it) when it is done.

    On a timeout, Ctrl-C or SIGTERM the group is killed at once, before the caller removes the temporary
    profile (Chromium's helpers would otherwise write it again); after a normal exit any helper left
    behind goes too.
    """
    status, _, stderr = run_in_group(command, timeout, keep_stdout=False)
    return status, stderr


def html_to_pdf(html: str, output: Path, timeout: float = 120, inputs: Sequence[str | os.PathLike[str]] = ()) -> None:
    """Print the HTML page to a PDF file at `output` with headless Chromium (written atomically, never over `inputs`).

    The page is written (UTF-8, with a byte-order mark so no other encoding is guessed) to a
    temporary folder and opened from there, so relative links resolve in that folder: a page to
    print should be self-contained (inline CSS and SVG). `output` is written only when Chromium
    produced a PDF. Raises ExternalProgramError when Chromium is missing, fails, overruns
    `timeout` seconds or writes no PDF; OutputError when `output` cannot be written.
    """
    check_target(Path(output), inputs)
    write_output(Path(output), print_pdf(html, timeout, str(output)), inputs)


def print_pdf(html: str, timeout: float = 120, name: str = "page.pdf") -> bytes:
    """The PDF that headless Chromium prints of the HTML page (see html_to_pdf)."""
    chromium = find_chromium()
    if chromium is None:
        raise _missing(os.environ)
    with tempfile.TemporaryDirectory(prefix="bptutor-pdf-") as folder:
        work = Path(folder)
        page = work / "page.html"
        page.write_text(html, encoding="utf-8-sig")
        printed = work / "page.pdf"
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={work / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ]
        try:
            status, stderr = _run(command, timeout)
        except subprocess.TimeoutExpired:
            raise ExternalProgramError(Message.of("pdf.chromium_timeout", seconds=f"{timeout:g}")) from None
        except OSError as error:
            raise ExternalProgramError(Message.of("pdf.chromium_failed", status="-", stderr=str(error))) from None
        if status != 0:
            raise ExternalProgramError(Message.of("pdf.chromium_failed", status=status, stderr=_tail(stderr)))
        content = printed.read_bytes() if printed.is_file() else b""
        if not content.startswith(b"%PDF"):
            shown = printable(name, PATH_LIMIT)
            raise ExternalProgramError(Message.of("pdf.not_written", path=shown, stderr=_tail(stderr)))
    return content


__all__ = [
    "CHROMIUM_FLAGS", "CHROMIUM_NAMES", "CHROMIUM_VARIABLE", "PRINT_CSS", "find_chromium", "html_to_pdf", "print_pdf",
]
