"""How the Python API's objects show themselves: a one-line repr, text that is only returned, and LaTeX
for a notebook that is the whole worked solution (tests/test_notebook.py runs the same in a real kernel)."""

from __future__ import annotations

import math

import pytest

import bptutor
from bptutor.handout.document import Figure
from bptutor.handout.formats import latex_body, to_latex
from bptutor.i18n import message

TINY = {
    "name": "tiny", "inputs": {"x": 1}, "targets": {"o": 0.5},
    "layers": [{"name": "out", "activation": "sigmoid", "neurons": {"o": {"bias": "b", "weights": {"x": "w"}}}}],
    "parameters": {"w": 0.3, "b": 0.1}, "loss": "half_sse", "learning_rate": 0.5,
}  # fmt: skip


def test_reprs_are_one_short_line():
    solution = bptutor.solve("two_two_two")
    assert repr(solution) == "<Solution two_two_two: 2-2-2 sigmoid network (BP notes, section 2.2.2), 12 parameters, loss 0.3226>"
    assert repr(solution.explain("w5")) == "<Explanation ∂E_total/∂w5 in two_two_two = 0.08182>"
    assert repr(bptutor.solve("circuit")) == "<CircuitSolution circuit: (x + y)·z as a circuit of two gates, 3 leaves, f = -12>"
    # no title: name, parameters, the loss ½(0.5 − σ(0.3·1 + 0.1))², and the number of steps when more than one
    loss = 0.5 * (0.5 - 1 / (1 + math.exp(-0.4))) ** 2
    assert f"{loss:.4g}" == "0.00487"
    assert repr(bptutor.solve(TINY, steps=3)) == "<Solution tiny: 2 parameters, 3 steps, loss 0.00487>"


def test_text_is_returned_and_never_displayed_even_where_rich_sees_a_notebook(monkeypatch):
    import rich.console
    import rich.jupyter

    expected = bptutor.solve("two_two_two").explain("w5").text()
    shown: list[object] = []
    monkeypatch.setattr(rich.console, "_is_jupyter", lambda: True)  # what rich finds inside an IPython kernel
    monkeypatch.setattr(rich.jupyter, "display", lambda *arguments, **options: shown.append(arguments))
    explanation = bptutor.solve("two_two_two").explain("w5")
    assert str(explanation) == explanation.text() == expected
    assert explanation.text(lang="zh").startswith("∂E_total/∂w5")
    assert shown == []
    assert "∂E_total/∂w5 = 0.08182331502" in expected


def _without_page_hints(lines: list[str]) -> list[str]:
    """The lines without to_latex's page-break hints (\\keepspace lines, a closing \\nopagebreak)."""
    return [line.removesuffix("\\nopagebreak") for line in lines if not line.startswith("\\keepspace{")]


def _figure_replaced(lines: list[str], note: str) -> list[str]:
    """The lines of a LaTeX body with the figure (a centred TikZ picture and its caption) replaced by `note`."""
    picture = next(index for index, line in enumerate(lines) if line.startswith("\\begin{tikzpicture}"))
    start = max(index for index in range(picture) if lines[index] == "\\begin{center}")
    end = next(index for index in range(picture, len(lines)) if lines[index] == "\\end{center}")
    return [*lines[:start], note, *lines[end + 1 :]]


@pytest.mark.parametrize(("lang", "variant"), [("en", "full"), ("zh", "full"), ("en", "worksheet"), ("en", "answers")])
def test_the_notebook_latex_is_to_latex_body_with_a_heading_and_a_note_for_the_figure(lang, variant):
    solution = bptutor.solve("two_two_two")
    handout = solution.handout(variant, lang)
    document = to_latex(handout).splitlines()
    body = document[document.index("\\maketitle") + 1 : document.index("\\end{document}")]
    shown = latex_body(handout).splitlines()
    # page-break hints go where the blocks around them ask, which the figure's note changes
    body, shown = _without_page_hints(body), shown[:4] + _without_page_hints(shown[4:])
    assert shown[:3] == [f"\\section*{{{handout.title}}}", "", f"\\textit{{{handout.subtitle}}}"]
    assert shown[3] == "\\providecommand{\\keepspace}[1]{}"  # to_latex's page-break hint, a no-op elsewhere
    if any(isinstance(block, Figure) for block in handout.blocks):
        note = message("solve.figure_left_out", lang).replace("_", "\\_")
        assert shown[4:] == _figure_replaced(body, note)
    else:
        assert shown[4:] == body
    assert "tikzpicture" not in latex_body(handout)
    if variant == "full" and lang == "en":
        assert solution._repr_latex_() == latex_body(handout)
