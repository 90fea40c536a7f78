"""bptutor in a real Jupyter kernel: what each cell shows, and what `nbconvert --to latex` would copy.

The notebook is executed by nbclient in an IPython kernel (ipykernel), where rich takes its consoles for
notebook cells: a derivation turned into text must come back as text, not be displayed on the way. A
solution's LaTeX output is the whole worked solution (nbconvert's LaTeX template copies text/latex
into its document), and its plain repr is one line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bptutor
from bptutor.handout.document import Heading
from bptutor.i18n import message

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.external  # starts a Jupyter kernel: a second Python process with ZeroMQ

SETUP = f"""\
import sys
sys.path.insert(0, {str(ROOT)!r})
import bptutor
solution = bptutor.solve("two_two_two")
"""
AS_TEXT = """\
derivation = str(solution.explain("w5"))
also = solution.explain("w5").text(lang="zh")
print(derivation.splitlines()[0])
"""
SHOWN = "solution"
EXPLANATION = 'solution.explain("w5")'


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    """The code cells SETUP, AS_TEXT, SHOWN and EXPLANATION, run in a fresh kernel; each cell's outputs."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core warns about its old folders without it
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        pytest.importorskip("ipykernel")
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(source) for source in (SETUP, AS_TEXT, SHOWN, EXPLANATION)]
        folder = tmp_path_factory.mktemp("notebook")
        client = nbclient.NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
        )
        client.execute()
    return [list(cell.outputs) for cell in notebook.cells]


def test_a_derivation_made_text_displays_nothing(executed):
    outputs = executed[1]
    assert [output["output_type"] for output in outputs] == ["stream"]  # the print, and no display_data
    first_line = str(bptutor.solve("two_two_two").explain("w5")).splitlines()[0]
    assert outputs[0]["text"] == first_line + "\n"
    assert executed[0] == []  # loading and solving show nothing either


def test_a_solution_is_shown_once_with_a_short_repr_and_the_whole_document_as_latex(executed):
    (result,) = executed[2]
    assert result["output_type"] == "execute_result"
    data = result["data"]
    assert set(data) >= {"text/plain", "text/html", "text/markdown", "text/latex"}
    assert data["text/plain"] == "<Solution two_two_two: 2-2-2 sigmoid network (BP notes, section 2.2.2), 12 parameters, loss 0.3226>"
    latex = data["text/latex"]
    headings = [block for block in bptutor.solve("two_two_two").handout().blocks if isinstance(block, Heading)]
    assert {heading.text for heading in headings} >= {message("run.heading.forward", "en"), message("solve.heading.problem", "en")}
    for heading in headings:  # every heading of the handout, as a LaTeX section
        command = "section*" if heading.level <= 2 else "subsection*"
        assert f"\\{command}{{{heading.text}}}" in latex, heading
    assert latex.startswith("\\section*{2-2-2 sigmoid network (BP notes, section 2.2.2)}")
    assert "\\begin{longtable}" in latex and "$w_{5} = 0.5$" in latex  # the givens
    assert message("solve.figure_left_out", "en").split(":")[0].replace("(", "") in latex.replace("(", "")
    assert "0.4590883425" in latex  # w5 after the update, as `bptutor run` prints it
    assert "\\documentclass" not in latex and "\\begin{document}" not in latex


def test_an_explanation_is_shown_as_its_derivation(executed):
    (result,) = executed[3]
    assert result["output_type"] == "execute_result"
    data = result["data"]
    assert data["text/plain"] == "<Explanation ∂E_total/∂w5 in two_two_two = 0.08182>"
    assert "∂E_total/∂w5 = 0.08182331502" in data["text/html"]
