"""Printers for handouts: Markdown, LaTeX and HTML (and PDF, printed from the HTML).

A `Handout` (bptutor.handout.document) says what the worked solution contains; these
functions only decide how it looks. Formulas go through `bptutor.handout.maths`:
LaTeX math for Markdown and LaTeX, MathML for HTML, so the page renders in any
current browser with no JavaScript and no network.

A displayed chain a = b = c = d is set as aligned rows (a = b, then = c, = d)
so long lines of numbers never run off a printed page.
"""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from html import escape
from urllib.parse import quote

from bptutor.handout import maths
from bptutor.handout.document import Display, Figure, Handout, Heading, Inline, Paragraph, Table
from bptutor.handout.maths import Chain, Node, latex_text
from bptutor.handout.texchars import has_cjk
from bptutor.i18n import language, message

# ── shared ────────────────────────────────────────────────────────────────────


def _rows(node: Node) -> list[tuple[Node | None, list[Node]]] | None:
    """A chain of three or more parts too wide for one line as aligned rows: (lhs, [first, …]), (None, […]), …,
    as many parts to a row as fit; None for anything that stays on one line."""
    if not isinstance(node, Chain) or len(node.parts) < 3 or node.relation != "=":
        return None
    if maths.width(node) <= maths.ONE_LINE_WIDTH:
        return None
    first, *rest = node.parts
    rows: list[tuple[Node | None, list[Node]]] = [(first, [rest[0]])]
    used = maths.width(first) + maths.width(rest[0]) + 1.4
    for part in rest[1:]:
        size = maths.width(part) + 1.4
        if used + size <= maths.ONE_LINE_WIDTH:
            rows[-1][1].append(part)
            used += size
        else:
            rows.append((None, [part]))
            used = maths.width(first) + 1.4 + size
    return rows


# ── LaTeX math inside Markdown and LaTeX ──────────────────────────────────────


def _latex_display(node: Node, blanks: bool, tag: str = "") -> str:
    """A displayed equation's LaTeX: one line, or aligned rows; a tag, (BP1), at the right of its (last) line."""
    tagged = f" \\tag*{{{latex_text(tag)}}}" if tag else ""
    rows = _rows(node)
    if rows is None:
        return maths.to_latex(node, blanks) + tagged
    lines = []
    for left, right in rows:
        lhs = maths.to_latex(left, blanks) if left is not None else ""
        lines.append(f"{lhs} &= " + " = ".join(maths.to_latex(part, blanks) for part in right))
    return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}" + tagged


# ── Markdown ──────────────────────────────────────────────────────────────────


def _md_text(text: str) -> str:
    """Words in Markdown: characters that would start emphasis, code or a table cell are escaped."""
    return re.sub(r"([\\`*_|<>\[\]])", r"\\\1", text)


def _md_math(latex: str) -> str:
    """LaTeX for $…$ in Markdown: `<` and `>` as \\lt and \\gt, since a CommonMark renderer reads `<tag` inside
    math as raw HTML (a notation template `<script>…` would come out live)."""
    return latex.replace("<", "\\lt ").replace(">", "\\gt ")


def _md_inline(parts: Inline, blanks: bool) -> str:
    pieces = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(_md_text(part))
        else:
            pieces.append("$" + _md_math(maths.to_latex(part, blanks)) + "$")
    return "".join(pieces)


def to_markdown(handout: Handout, figure_link: str | None = None) -> str:
    """The handout as Markdown: $…$ and $$…$$ math, as GitHub and Jupyter render it.

    The figure is an SVG: linked as `figure_link` when the caller writes it beside
    the document, else embedded as a data URI.
    """
    blanks = handout.blanks
    out = [f"# {_md_text(handout.title)}", "", f"*{_md_text(handout.subtitle)}*", ""]
    for block in handout.blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + _md_text(block.text), ""]
        elif isinstance(block, Paragraph):
            out += [_md_inline(block.parts, blanks), ""]
        elif isinstance(block, Display):
            if block.label:
                out += [_md_text(block.label), ""]
            out += ["$$", _md_math(_latex_display(block.math, blanks, block.tag)), "$$", ""]
        elif isinstance(block, Table):
            out += [*_md_table(block, blanks), ""]
        elif isinstance(block, Figure):
            link = quote(figure_link) if figure_link else _svg_data_uri(block, handout.lang)
            out += [f"![{_md_text(block.caption)}]({link})", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_table(table: Table, blanks: bool) -> list[str]:
    header = table.header or tuple(("",) for _ in table.rows[0])
    lines = ["| " + " | ".join(_md_inline(cell, blanks) for cell in header) + " |"]
    lines.append("|" + "|".join("---:" if index in table.numeric else "---" for index in range(len(header))) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_md_inline(cell, blanks) for cell in row) + " |")
    return lines


def _svg_data_uri(figure: Figure, lang: str) -> str:
    from bptutor.handout.figure import network_svg

    encoded = base64.b64encode(network_svg(figure.scenario, lang).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def figure_svg(handout: Handout) -> str | None:
    """The SVG of the handout's figure, for writing beside a Markdown file."""
    from bptutor.handout.figure import network_svg

    for block in handout.blocks:
        if isinstance(block, Figure):
            return network_svg(block.scenario, handout.lang)
    return None


# ── LaTeX ─────────────────────────────────────────────────────────────────────

def _tex_inline(parts: Inline, blanks: bool) -> str:
    return "".join(
        latex_text(part) if isinstance(part, str) else "$" + maths.to_latex(part, blanks) + "$" for part in parts
    )


def to_latex(handout: Handout) -> str:
    """A complete LaTeX document, in the document class its language asks for (ctexart for Chinese)."""
    from bptutor.handout.figure import network_tikz

    blanks = handout.blanks
    out = [
        f"\\title{{{latex_text(handout.title)}}}",
        f"\\author{{{latex_text(handout.subtitle)}}}",
        "\\date{}",
        "\\begin{document}",
        "\\maketitle",
        "",
    ]
    for index, block in enumerate(handout.blocks):
        following = handout.blocks[index + 1] if index + 1 < len(handout.blocks) else None
        if isinstance(block, Heading):
            command = "section*" if block.level <= 2 else "subsection*"
            lines = 10 if isinstance(following, (Table, Paragraph)) else 6  # with the first lines of what follows
            out += [f"\\keepspace{{{lines}\\baselineskip}}", f"\\{command}{{{latex_text(block.text)}}}", ""]
        elif isinstance(block, Paragraph):  # an introduction stays with the first lines of what it introduces
            room = {Table: ["\\keepspace{9\\baselineskip}"], Display: ["\\keepspace{5\\baselineskip}"]}
            keep = room.get(type(following), [])
            out += [*keep, _tex_inline(block.parts, blanks) + ("\\nopagebreak" if keep else ""), ""]
        elif isinstance(block, Display):
            if block.label:
                out += [latex_text(block.label) + "\\nopagebreak"]
            out += ["\\[", _latex_display(block.math, blanks, block.tag), "\\]", ""]
        elif isinstance(block, Table):
            led = isinstance(handout.blocks[index - 1], (Paragraph, Heading))
            out += [*_tex_table(block, blanks, room=not led), ""]
        elif isinstance(block, Figure):
            out += [
                "\\begin{center}",
                network_tikz(block.scenario, handout.lang).rstrip("\n"),
                "",
                f"\\small {latex_text(block.caption)}",
                "\\end{center}",
                "",
            ]
    out.append("\\end{document}")
    body = "\n".join(out) + "\n"
    return "\n".join(_latex_preamble(handout.lang, has_cjk(body))) + "\n" + body


def _latex_preamble(lang: str, cjk: bool) -> list[str]:
    """The document class its language asks for (ctexart for Chinese), and packages; ctex (and so xelatex) for
    CJK characters in a handout of another language (a Chinese title in an English handout)."""
    typeset = language(lang)
    engine, lines = typeset.latex_engine, [typeset.latex_class]
    if cjk and "ctex" not in typeset.latex_class:
        engine = "xelatex (it holds Chinese text, which the ctex package sets)."
        lines.append("\\usepackage[UTF8,scheme=plain]{ctex}")
    lines.insert(0, f"% A worked solution written by bptutor. Compile with {engine}")
    return [
        *lines,
        "\\usepackage[a4paper,margin=2cm]{geometry}",
        "\\usepackage{amsmath,amssymb}",
        "\\usepackage{tikz}",
        "\\usepackage{longtable}",
        # \keepspace{h}: break the page here unless h of it is left (the needspace idea, without that package)
        "\\makeatletter",
        "\\newcommand{\\keepspace}[1]{\\par\\penalty-100\\begingroup\\setlength{\\dimen@}{#1}%",
        "  \\dimen@ii\\pagegoal\\advance\\dimen@ii-\\pagetotal",
        "  \\ifdim\\dimen@>\\dimen@ii\\ifdim\\dimen@ii>\\z@\\vfil\\fi\\penalty-\\@M\\fi\\endgroup}",
        "\\makeatother",
        "\\setlength{\\parindent}{0pt}",
        "\\setlength{\\parskip}{0.5em}",
        "\\allowdisplaybreaks",
    ]


def latex_body(handout: Handout) -> str:
    """The whole handout as LaTeX to place inside another document (a notebook's LaTeX output, which
    `nbconvert --to latex` copies into its own): `to_latex`'s body line for line, the title and subtitle
    as a heading, and the figure, whose TikZ needs a package that such a document may not load, left
    out with a note that says where it is."""
    note = Paragraph((message("solve.figure_left_out", handout.lang),))
    blocks = tuple(note if isinstance(block, Figure) else block for block in handout.blocks)
    document = to_latex(replace(handout, blocks=blocks))
    body = document.split("\\maketitle\n", 1)[1].rsplit("\\end{document}", 1)[0]
    heading = [f"\\section*{{{latex_text(handout.title)}}}", "", f"\\textit{{{latex_text(handout.subtitle)}}}"]
    # the page-break hint of to_latex's preamble: a no-op where the document around it does not define it
    spacing = "\\providecommand{\\keepspace}[1]{}"
    return "\n".join([*heading, spacing]) + "\n" + body


def _tex_table(table: Table, blanks: bool, room: bool = True) -> list[str]:
    """A longtable: it may break across pages, its header row repeated on each and never left alone
    (`room`: ask for the space of a few rows first, unless an introduction before it already did)."""
    columns = len(table.header or table.rows[0])
    spec = "".join("r" if index in table.numeric else "l" for index in range(columns))
    if not table.header:  # the givens: words, then a wide column that may wrap
        spec = "lp{0.72\\textwidth}"
    lines = (["\\keepspace{5\\baselineskip}"] if room else []) + [f"\\begin{{longtable}}{{{spec}}}", "\\hline"]
    if table.header:
        lines.append(" & ".join(_tex_inline(cell, blanks) for cell in table.header) + " \\\\")
        lines.append("\\hline")
    lines.append("\\endhead")
    for row in table.rows:
        lines.append(" & ".join(_tex_inline(cell, blanks) for cell in row) + " \\\\")
    lines += ["\\hline", "\\end{longtable}"]
    return lines


# ── HTML ──────────────────────────────────────────────────────────────────────

PAGE_CSS = """
body { font-family: "Latin Modern Roman", "Noto Serif", "Noto Serif CJK SC", "Source Han Serif SC",
       "Songti SC", "SimSun", serif; max-width: 52em; margin: 2em auto; padding: 0 1em;
       line-height: 1.5; color: #111; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; }
p.subtitle { font-style: italic; margin-top: 0; color: #444; }
h2 { font-size: 1.3em; border-bottom: 1px solid #ccc; margin-top: 1.6em; }
h3 { font-size: 1.1em; }
math { font-family: "Latin Modern Math", "STIX Two Math", "Noto Sans Math", "Cambria Math", math; }
div.display { overflow-x: auto; overflow-y: hidden; margin: 0.7em 0 0.7em 2em; }
p.label { margin: 0 0 0.2em; color: #444; }
div.tagged { display: flex; align-items: center; }
div.tagged math { flex: 1 1 auto; }
span.tag { margin-left: 1.5em; white-space: nowrap; }
mtd { text-align: left; }
mtd.lhs { text-align: right; }
table.data { border-collapse: collapse; margin: 0.8em 0; }
table.data th, table.data td { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; text-align: center; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #444; }
mpadded.blank { border-bottom: 1px solid #111; }
@page { size: A4; margin: 15mm 16mm; }
thead { display: table-header-group; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; line-height: 1.3; }
  figure svg { max-width: 80%; }
  div.display { margin: 0.3em 0 0.3em 2em; }
  h2 { margin: 0.9em 0 0.4em; }
  p { margin: 0.4em 0; }
  table.data { margin: 0.4em 0; }
  table.data th, table.data td { padding: 0.05em 0.8em; }
  h1, h2, h3, p.label, thead { break-after: avoid; }
  div.display, div.keep, figure, tr, thead { break-inside: avoid; }
  div.lead { break-inside: avoid; break-after: avoid; }
  table.data { break-before: avoid; }
  div.keep { break-before: auto; }
}
"""


# Display style is asked for by MathML attributes, which the HTML checker knows (CSS's math-style it does not):
# a displayed equation is inline math in display style, so that it starts at its box's left edge, and its
# aligned rows keep display style (an mtable's cells are compact otherwise); a fraction in a sentence or a
# table's cell (not its header) is set in display style too, full size, while the rest of its line stays compact.
_DISPLAYED = '<math displaystyle="true">'
_FRACTION = re.compile(r"<mfrac\b[^>]*>|</mfrac>")


def _full_size_fractions(mathml: str) -> str:
    return _FRACTION.sub(
        lambda tag: tag[0] + "</mstyle>" if tag[0] == "</mfrac>" else '<mstyle displaystyle="true">' + tag[0], mathml
    )


def _html_inline(parts: Inline, blanks: bool, full_size: bool = True) -> str:
    """Words and inline math; fractions full size unless `full_size` is False (a table's header row)."""
    shown = _full_size_fractions if full_size else str
    return "".join(
        escape(part) if isinstance(part, str) else shown(maths.to_mathml(part, blanks=blanks)) for part in parts
    )


def _html_display(node: Node, blanks: bool) -> str:
    rows = _rows(node)
    if rows is None:
        return f"{_DISPLAYED}{maths.mathml_body(node, blanks)}</math>"
    cells = []
    for left, right in rows:
        lhs = maths.mathml_body(left, blanks) if left is not None else ""
        shown = "<mo>=</mo>".join(maths.mathml_body(part, blanks) for part in right)
        cells.append(f'<mtr><mtd class="lhs">{lhs}</mtd><mtd><mo>=</mo>{shown}</mtd></mtr>')
    return f'{_DISPLAYED}<mtable displaystyle="true">{"".join(cells)}</mtable></math>'


def to_html(handout: Handout) -> str:
    """One self-contained HTML page: MathML math, the figure as inline SVG, no scripts, nothing fetched."""
    lang = language(handout.lang).tag
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="bptutor">',
        f"<title>{escape(handout.title)}</title>",
        f"<style>{PAGE_CSS}</style>",
        "</head>",
        "<body>",
        *_html_blocks(handout),
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def html_fragment(handout: Handout) -> str:
    """The handout as a piece of HTML to place inside another page (a Jupyter cell's output)."""
    lang = language(handout.lang).tag
    css = PAGE_CSS.replace("body {", ".bptutor {").split("@page")[0]
    return (
        f'<div class="bptutor" lang="{lang}"><style>{css}</style>\n' + "\n".join(_html_blocks(handout)) + "\n</div>\n"
    )


def _html_blocks(handout: Handout) -> list[str]:
    from bptutor.handout.figure import network_svg

    blanks = handout.blanks
    out = [f"<h1>{escape(handout.title)}</h1>", f'<p class="subtitle">{escape(handout.subtitle)}</p>']
    group: list[str] = []  # a heading or an introduction, kept on one page with the block after it
    for block in handout.blocks:
        if isinstance(block, Heading):
            level = min(block.level, 6)
            group.append(f"<h{level}>{escape(block.text)}</h{level}>")
            continue
        if isinstance(block, Paragraph):
            group.append(f"<p>{_html_inline(block.parts, blanks)}</p>")
            continue
        if isinstance(block, Display):
            label = f'<p class="label">{escape(block.label)}</p>' if block.label else ""
            tag = f'<span class="tag">{escape(block.tag)}</span>' if block.tag else ""
            kind = "display tagged" if tag else "display"
            shown = f'<div class="{kind}">{label}{_html_display(block.math, blanks)}{tag}</div>'
        elif isinstance(block, Table):  # may break across pages: its lead-in is kept with its first rows
            lead = f'<div class="lead">{"".join(group)}</div>' if group else ""
            out.append(lead + _html_table(block, blanks))
            group = []
            continue
        else:
            svg = network_svg(block.scenario, handout.lang)
            shown = f"<figure>{svg}<figcaption>{escape(block.caption)}</figcaption></figure>"
        out.append(_kept(group, shown))
        group = []
    out.extend(group)
    return out


def _kept(group: list[str], shown: str) -> str:
    """Headings and introductions with the block they lead to, in one box that a page break does not cut."""
    if not group:
        return shown
    return '<div class="keep">' + "".join(group) + shown + "</div>"


def _html_table(table: Table, blanks: bool) -> str:
    def cell(tag: str, index: int, parts: Inline) -> str:
        numeric = ' class="num"' if index in table.numeric else ""
        return f"<{tag}{numeric}>{_html_inline(parts, blanks, full_size=tag == 'td')}</{tag}>"

    head = ""
    if table.header:
        head = "<thead><tr>" + "".join(cell("th", i, parts) for i, parts in enumerate(table.header)) + "</tr></thead>"
    rows = ["<tr>" + "".join(cell("td", i, parts) for i, parts in enumerate(row)) + "</tr>" for row in table.rows]
    return f'<table class="data">{head}<tbody>{"".join(rows)}</tbody></table>'


# ── HTML with TeX, for Moodle ─────────────────────────────────────────────────


def _tex(latex: str, display: bool = False) -> str:
    """LaTeX between MathJax's delimiters, \\( \\) or \\[ \\], escaped as HTML text (MathJax reads the text)."""
    opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
    return opening + escape(latex, quote=False) + closing


def _tex_html_inline(parts: Inline, blanks: bool) -> str:
    return "".join(
        escape(part) if isinstance(part, str) else _tex(maths.to_latex(part, blanks)) for part in parts
    )


def tex_html(handout: Handout, image: str | None = None, title: bool = True) -> str:
    """The handout as HTML for a Moodle question: TeX math for Moodle's MathJax filter (on by default),
    several times smaller than MathML, and the figure as an <img> of `image` (left out when None).

    Moodle's own theme styles it: no style sheet, no SVG inline.
    """
    blanks = handout.blanks
    out = [f'<div lang="{language(handout.lang).tag}">']
    if title:
        out.append(f"<p><strong>{escape(handout.title)}</strong></p>")
    if handout.subtitle:
        out.append(f"<p><strong>{escape(handout.subtitle)}</strong></p>")
    for block in handout.blocks:
        if isinstance(block, Heading):
            out.append(f"<p><strong>{escape(block.text)}</strong></p>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{_tex_html_inline(block.parts, blanks)}</p>")
        elif isinstance(block, Display):
            label = f"{escape(block.label)} " if block.label else ""
            tag = f" {escape(block.tag)}" if block.tag else ""
            out.append(f"<p>{label}{_tex(_latex_display(block.math, blanks), display=True)}{tag}</p>")
        elif isinstance(block, Table):
            rows = [block.header] if block.header else []
            rows += list(block.rows)
            cells = "".join(
                "<tr>" + "".join(f"<td>{_tex_html_inline(cell, blanks)}</td>" for cell in row) + "</tr>" for row in rows
            )
            out.append(f"<table>{cells}</table>")
        elif image is not None:
            out.append(f'<p><img src="{escape(image)}" alt="{escape(block.caption)}"></p>')
    out.append("</div>")
    return "\n".join(out) + "\n"


__all__ = [
    "PAGE_CSS",
    "figure_svg",
    "html_fragment",
    "latex_body",
    "latex_text",
    "tex_html",
    "to_html",
    "to_latex",
    "to_markdown",
]
