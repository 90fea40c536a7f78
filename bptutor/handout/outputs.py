"""The output formats of a handout: one row each, read by the command line and the Python API.

A row says what `--format` and `Solution.save` call the format, the suffix of its
file, how to turn a `Handout` into its text, whether that text links to the
network figure written beside it, and, for a format whose file is bytes that a
program makes from the text (PDF, printed from the HTML by Chromium), how to print
it. Adding a format is adding a row here (and its printer in `formats`).

This module is light: the printers (and everything they import) load only when a
handout is rendered, so the command line can list the formats at start-up.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bptutor.errors import UsageError
from bptutor.i18n import Message
from bptutor.records import dataclass

if TYPE_CHECKING:
    from bptutor.handout.document import Handout


@dataclass(frozen=True)
class OutputFormat:
    """One way to write a handout: text = render(handout, figure link); printed to a file by `printer` when given."""

    name: str  # md, tex, html, pdf
    suffix: str  # of the file written
    render: Callable[[Handout, str | None], str]  # (handout, link to the figure beside it, or None) → text
    figure_beside: bool = False  # written to FILE, the figure goes beside it and the text links to it
    printer: Callable[[str, Path, Sequence[str | os.PathLike[str]]], None] | None = None  # (text, file, inputs) → file
    program: str = ""  # the external program the printer runs, for people

    @property
    def binary(self) -> bool:
        """The file is bytes made by a program: it is always written to a file, never to stdout."""
        return self.printer is not None

    def text(self, handout: Handout, figure_link: str | None = None) -> tuple[str, str | None]:
        """(the text, the figure's SVG when the text links to it as `figure_link`; else None and no link)."""
        svg = None
        if self.figure_beside and figure_link is not None:
            from bptutor.handout.formats import figure_svg

            svg = figure_svg(handout)
        return self.render(handout, figure_link if svg is not None else None), svg

    def write(self, handout: Handout, path: Path, inputs: Sequence[str | os.PathLike[str]] = ()) -> tuple[Path, ...]:
        """Write the handout to `path` (and its figure beside it when the format links one); the files written.

        Each file is written atomically and never over one of `inputs`; the figure, a file the caller did not
        name, never replaces a file bptutor did not write (`bptutor.handout.writing`). OutputError otherwise.
        """
        from bptutor.handout.writing import check_companion, check_target, write_companion, write_output

        check_target(path, inputs)
        if self.printer is not None:
            self.printer(self.render(handout, None), path, inputs)
            return (path,)
        picture = figure_path(path)
        text, svg = self.text(handout, picture.name)
        if svg is None:
            write_output(path, text, inputs)
            return (path,)
        check_companion(picture, [*inputs, path])
        write_output(path, text, inputs)
        write_companion(picture, svg, [*inputs, path])
        return (picture, path)


def figure_path(path: Path) -> Path:
    """Where the figure of a handout written to `path` goes: notes.md → notes.network.svg."""
    return path.with_name(path.stem + ".network.svg")


def _markdown(handout: Handout, figure_link: str | None) -> str:
    from bptutor.handout.formats import to_markdown

    return to_markdown(handout, figure_link)


def _latex(handout: Handout, figure_link: str | None) -> str:
    from bptutor.handout.formats import to_latex

    return to_latex(handout)


def _html(handout: Handout, figure_link: str | None) -> str:
    from bptutor.handout.formats import to_html

    return to_html(handout)


# On paper a displayed equation cannot scroll sideways: one wider than the printed text (a batch's matrices
# of many columns) is scaled down to fit, measured in the print layout (print media applied).
FIT_DISPLAYS = """<script>
function bptutorFit() {
  for (const box of document.querySelectorAll("div.display")) {
    box.style.zoom = "";
    const wide = box.scrollWidth, room = box.clientWidth;
    if (wide > room + 1) box.style.zoom = (Math.floor(1000 * room / wide) / 1000).toString();
  }
}
window.addEventListener("beforeprint", bptutorFit);
matchMedia("print").addEventListener("change", (query) => { if (query.matches) bptutorFit(); });
</script>"""


def _print_pdf(html: str, path: Path, inputs: Sequence[str | os.PathLike[str]] = ()) -> None:
    from bptutor.handout.browser import html_to_pdf

    if "</body>" in html:
        head, tail = html.rsplit("</body>", 1)
        html = head + FIT_DISPLAYS + "</body>" + tail
    html_to_pdf(html, path, inputs=inputs)


OUTPUT_FORMATS: dict[str, OutputFormat] = {
    row.name: row
    for row in (
        OutputFormat("md", "md", _markdown, figure_beside=True),
        OutputFormat("tex", "tex", _latex),
        OutputFormat("html", "html", _html),
        OutputFormat("pdf", "pdf", _html, printer=_print_pdf, program="Chromium"),
    )
}


def output_format(name: str) -> OutputFormat:
    """The format called `name`; UsageError naming the choices when there is none."""
    if name not in OUTPUT_FORMATS:
        choices = ", ".join(OUTPUT_FORMATS)
        raise UsageError(Message.of("generate.bad_choice", option="format", value=name, choices=choices))
    return OUTPUT_FORMATS[name]


def format_of_path(path: Path) -> OutputFormat:
    """The format whose suffix the file has: notes.tex → tex; UsageError for a suffix no format has."""
    suffix = path.suffix.lstrip(".").lower()
    for row in OUTPUT_FORMATS.values():
        if row.suffix == suffix:
            return row
    choices = ", ".join(f".{row.suffix}" for row in OUTPUT_FORMATS.values())
    raise UsageError(Message.of("generate.bad_choice", option="suffix", value=path.suffix, choices=choices))


__all__ = ["OUTPUT_FORMATS", "OutputFormat", "figure_path", "format_of_path", "output_format"]
