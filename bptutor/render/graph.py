"""Printers of a `GraphPicture`: terminal text, Graphviz DOT, Mermaid, and SVG or PNG made by Graphviz.

They format; they never compute. Each node is labelled as a hand drawing would
be, `out_h1 = 0.6457 | ∂E_total/∂out_h1 = 0.04909`, and each edge with its local
derivative ∂target/∂source. SVG and PNG come from the `dot` program (Debian
package graphviz); where it is missing the error says so (exit code 5).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from xml.sax.saxutils import escape

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from bptutor.core.formula import Formula, Ref, Times
from bptutor.core.numbers import format_number
from bptutor.errors import ExternalProgramError
from bptutor.i18n import DEFAULT_LANGUAGE, Message, in_language, message
from bptutor.render.picture import GraphPicture, PictureEdge, PictureNode
from bptutor.render.programs import run_in_group
from bptutor.render.style import Style

DOT_PROGRAM = "dot"
DOT_TIMEOUT = 60.0  # seconds; a picture of a small network takes well under one
FONT = "DejaVu Sans"
FILL = {  # node colours by kind
    "input": "#e8f0fb",
    "parameter": "#eeeeee",
    "pre_activation": "#ffffff",
    "activation": "#ffffff",
    "loss": "#fff4d6",
    "gate": "#ffffff",
}


def derivative(of: str, wrt: str) -> str:
    return f"∂{of}/∂{wrt}"


def symbols(formula: Formula) -> str:
    """A formula in the names it reads: x + y, g1·z."""
    pieces = (token.name if isinstance(token, Ref) else "·" if isinstance(token, Times) else token for token in formula)
    return "".join(pieces)


def node_label(picture: GraphPicture, node: PictureNode, digits: int) -> tuple[str, ...]:
    """The parts of a node's label: `out_h1 = 0.6457` (a gate's with its formula, `g1 = x + y = 3`) and,
    when it has one, `∂E_total/∂out_h1 = 0.04909`."""
    written = f"{node.name} = {symbols(node.formula)}" if node.formula else node.name
    parts = [f"{written} = {format_number(node.value, digits)}"]
    if node.gradient is not None:
        parts.append(f"{derivative(picture.output, node.name)} = {format_number(node.gradient, digits)}")
    return tuple(parts)


def edge_label(edge: PictureEdge, digits: int) -> str:
    """What an edge of a picture is labelled with: its local derivative ∂target/∂source."""
    return format_number(edge.local, digits)


# ── terminal text ─────────────────────────────────────────────────────────────


def _heading(picture: GraphPicture, index: int, lang: str) -> str:
    parts = [in_language(part, lang) for part in picture.columns[index].heading]
    contents = message("graphpic.separator", lang).join(parts)
    return message("graphpic.column", lang, number=index + 1, contents=contents)


_NEGATIVE = re.compile(r"(?<== )-(?=\d)")  # the sign of a value after `= `: a true minus in the terminal


def _signed(text: str) -> str:
    return f"({text})" if text.startswith(("-", "\u2212")) else text


def _edge_parts(edge: PictureEdge, style: Style) -> tuple[str, str, str]:
    """(→ target, ∂target/∂source = formula = local, upstream × local = share) for one edge line."""
    local = style.number(edge.local)
    formula = style.symbols(edge.formula)
    written = derivative(edge.target, edge.source)
    if formula and formula.replace("−", "-") != style.text(local):
        written += f" = {formula}"
    written += f" = {local}"
    share = ""
    if edge.share is not None and edge.upstream is not None:
        product = f"{_signed(style.number(edge.upstream))} × {_signed(local)} = {style.number(edge.share)}"
        share = style.say("graphpic.share", product=product)
    return style.text(f"→ {edge.target}"), style.text(written), style.text(share)


def render_picture_text(picture: GraphPicture, style: Style) -> RenderableType:
    """Column by column, each node as `name = value | ∂E/∂name = g` with its edges listed under it."""
    lines: list[Text] = [
        Text(style.text(style.say("graphpic.title", scenario=picture.scenario, title=picture.title)), style="bold"),
        Text(style.text(style.say("graphpic.legend", output=picture.output))),
    ]
    for index, column in enumerate(picture.columns):
        lines.append(Text(""))
        lines.append(Text(style.text(_heading(picture, index, style.lang)), style="bold underline"))
        rows: list[tuple[str, str, str]] = []
        nodes: list[tuple[int, str]] = []
        for name in column.names:
            node = picture.node(name)
            label = " | ".join(node_label(picture, node, style.digits))
            nodes.append((len(rows), style.text(_NEGATIVE.sub("\u2212", label))))
            rows += [_edge_parts(edge, style) for edge in picture.edges_from(name)]
        targets = max((cell_len(row[0]) for row in rows), default=0)
        locals_ = max((cell_len(row[1]) for row in rows), default=0)
        at = 0
        for position, label in [*nodes, (len(rows), "")]:
            for target, written, share in rows[at:position]:
                line = f"    {target}{' ' * (targets - cell_len(target))}   {written}"
                if share:
                    line += f"{' ' * (locals_ - cell_len(written))}   {share}"
                lines.append(Text(line))
            at = position
            if label:
                lines.append(Text(f"  {label}"))
    return Group(*lines)


# ── Graphviz DOT ──────────────────────────────────────────────────────────────


def _dot_string(text: str) -> str:
    """A DOT double-quoted string: only the quote and the backslash need escaping."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html_text(text: str) -> str:
    """Text inside a Graphviz HTML-like label: &, <, >, quotes as entities; one line."""
    return escape(" ".join(text.split()), {'"': "&quot;"})


def _ids(picture: GraphPicture) -> dict[str, str]:
    return {node.name: f"n{index}" for index, node in enumerate(picture.nodes, start=1)}


def _dot_label(picture: GraphPicture, node: PictureNode, digits: int) -> str:
    """A record-like box: the value above, ∂output/∂node below, as an HTML-like table (robust escaping)."""
    fill = FILL.get(node.kind, "#ffffff")
    rows = "".join(f"<TR><TD>{_html_text(part)}</TD></TR>" for part in node_label(picture, node, digits))
    return f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" BGCOLOR="{fill}">{rows}</TABLE>>'


def to_dot(picture: GraphPicture, digits: int = 4, lang: str = DEFAULT_LANGUAGE) -> str:
    """Graphviz DOT: left to right, one rank per column, boxes `value | gradient`, edges labelled with
    their local derivative. Within a column the quantities (not the parameters) keep their order top to
    bottom, by invisible edges. Same picture, same text."""
    ids = _ids(picture)
    title = message("graphpic.title", lang, scenario=picture.scenario, title=picture.title)
    lines = [
        f"// {_comment(title)}",
        f"// {_comment(message('graphpic.dot_legend', lang, output=picture.output))}",
        f"digraph {_dot_string(picture.scenario)} {{",
        (
            f"  graph [rankdir=LR, ranksep=1.1, nodesep=0.25, fontname={_dot_string(FONT)}, fontsize=14, "
            f"labelloc=t, label={_dot_string(_comment(title))}];"
        ),
        f"  node [shape=plain, fontname={_dot_string(FONT)}, fontsize=11];",
        f'  edge [fontname={_dot_string(FONT)}, fontsize=10, color="#555555", fontcolor="#1f3f77", arrowsize=0.6];',
    ]
    for index, column in enumerate(picture.columns, start=1):
        heading = _comment(_heading(picture, index - 1, lang))
        members = " ".join(f"{ids[name]};" for name in column.names)
        lines.append(f"  {{ rank=same; {members} }}  // {heading}")
        kept = [ids[name] for name in column.names if picture.node(name).kind != "parameter"]
        if len(kept) > 1:
            lines.append(f"  {' -> '.join(kept)} [style=invis];")
    for node in picture.nodes:
        lines.append(f"  {ids[node.name]} [label={_dot_label(picture, node, digits)}];")
    for edge in picture.edges:
        lines.append(f"  {ids[edge.source]} -> {ids[edge.target]} [label={_dot_string(edge_label(edge, digits))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    """Text on one comment line: no line breaks."""
    return " ".join(text.split())


# ── Mermaid ───────────────────────────────────────────────────────────────────

MERMAID_ENTITIES = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: quotes, #, <, > and & as Mermaid's entity codes; one line."""
    return "".join(MERMAID_ENTITIES.get(character, character) for character in " ".join(text.split()))


def _yaml_string(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_mermaid(picture: GraphPicture, digits: int = 4, lang: str = DEFAULT_LANGUAGE) -> str:
    """A Mermaid flowchart, left to right, one subgraph per column; node ids n1, n2, … and every label quoted."""
    ids = _ids(picture)
    title = message("graphpic.title", lang, scenario=picture.scenario, title=picture.title)
    lines = ["---", f"title: {_yaml_string(title)}", "---", "flowchart LR"]
    for index, column in enumerate(picture.columns, start=1):
        lines.append(f'  subgraph c{index}["{_mermaid_text(_heading(picture, index - 1, lang))}"]')
        for name in column.names:
            node = picture.node(name)
            label = " | ".join(node_label(picture, node, digits))
            lines.append(f'    {ids[name]}["{_mermaid_text(label)}"]')
        lines.append("  end")
    for edge in picture.edges:
        lines.append(f'  {ids[edge.source]} -->|"{_mermaid_text(edge_label(edge, digits))}"| {ids[edge.target]}')
    for kind, fill in FILL.items():
        members = [ids[node.name] for node in picture.nodes if node.kind == kind]
        if members and fill != "#ffffff":
            lines.append(f"  classDef {kind} fill:{fill},stroke:#333333")
            lines.append(f"  class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"


# ── SVG and PNG, by Graphviz ──────────────────────────────────────────────────


def find_dot(environ: Mapping[str, str] | None = None) -> str | None:
    """The `dot` program on PATH, or None."""
    environ = os.environ if environ is None else environ
    return shutil.which(DOT_PROGRAM, path=environ.get("PATH", os.defpath))


def render_with_dot(dot_text: str, output_format: str, environ: Mapping[str, str] | None = None) -> bytes:
    """The picture as `svg` or `png` bytes, drawn by Graphviz's `dot`.

    Raises ExternalProgramError when `dot` is missing (install the Debian package
    graphviz), fails or overruns DOT_TIMEOUT.
    """
    assert output_format in ("svg", "png")
    program = find_dot(environ)
    if program is None:
        raise ExternalProgramError(Message.of("graphpic.no_dot"))
    try:
        status, stdout, stderr_bytes = run_in_group(
            [program, f"-T{output_format}"], DOT_TIMEOUT, stdin=dot_text.encode("utf-8")
        )
    except subprocess.TimeoutExpired:
        raise ExternalProgramError(Message.of("graphpic.dot_timeout", seconds=f"{DOT_TIMEOUT:g}")) from None
    except OSError as error:
        raise ExternalProgramError(Message.of("graphpic.dot_failed", status="-", stderr=str(error))) from None
    if status != 0 or not stdout:
        lines = stderr_bytes.decode("utf-8", "replace").splitlines()
        stderr = " | ".join(line.strip() for line in lines if line.strip())
        raise ExternalProgramError(Message.of("graphpic.dot_failed", status=status, stderr=stderr or "-"))
    return stdout


__all__ = [
    "derivative",
    "edge_label",
    "find_dot",
    "node_label",
    "render_picture_text",
    "render_with_dot",
    "to_dot",
    "to_mermaid",
]
