"""`--form matrix` of run and explain: the layer matrices of a traced step, and the names of whole layers.

`explain` takes a layer's matrix (W^(2), dW^(2), δ^(2), db^(2) and the spellings
`bptutor.derive.matrix.layer_name` reads) whenever the scenario has no quantity
of that name; with --form matrix it also takes a scalar name and explains the
layer it belongs to (w5 → ∂E/∂W^(2)).
"""

from typing import TYPE_CHECKING

from bptutor.cli.support import by_hand, fail, reported, show
from bptutor.errors import EXIT_USAGE

if TYPE_CHECKING:
    from bptutor.core.scenario import Scenario
    from bptutor.core.trace import Run
    from bptutor.render.style import Style


def show_matrix_run(result: "Run", style: "Style") -> None:
    """`run --form matrix`: step 1's forward pass, four BP equations and update, a layer at a time."""
    from bptutor.derive.matrix import matrix_form
    from bptutor.render.matrix import render_matrix_run

    with reported(result.scenario.source, style.lang, usage=True):
        form = matrix_form(result)
    show(render_matrix_run(result, form, style))


def is_layer_name(scenario: "Scenario", name: str) -> bool:
    """Whether NAME means a whole layer's matrix here: it reads as one, and no quantity of the scenario has it."""
    from bptutor.core.graph import build
    from bptutor.derive.matrix import layer_name

    if layer_name(name) is None:
        return False
    return name not in {quantity.name for quantity in build(scenario).quantities}


def explain_matrix(document: "Scenario", name: str, style: "Style", lang: str, step: int = 1) -> None:
    """`explain` of a layer's matrix in step `step` of the training (a batch's samples as columns): its δ by BP1
    or BP2, then ∂E/∂W (BP4), ∂E/∂b (BP3) or the update."""
    import difflib

    from bptutor.core.trace import run as trace_run
    from bptutor.derive.matrix import layer_of, matrix_form, scalar_names, suggestions
    from bptutor.i18n import message
    from bptutor.render.matrix import render_layer_explanation

    loaded = by_hand(document, "explain", lang, step)
    with reported(loaded.source, lang, usage=True):
        result = trace_run(loaded)
        form = matrix_form(result)
        names = scalar_names(result)
        asked = layer_of(form, name, names)
    if asked is None:
        known = suggestions(form).split(", ") + sorted(names)
        close = difflib.get_close_matches(name, known, n=3)
        hint = message("usage.did_you_mean", lang, names=", ".join(close)) if close else ""
        text = message("matrix.not_a_name", lang, name=name, scenario=loaded.name, names=suggestions(form), hint=hint)
        fail(text, EXIT_USAGE)
    show(render_layer_explanation(result, form, asked, style))
