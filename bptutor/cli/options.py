"""The options commands share, and how a command declared once gets its help in the app's language.

A command's options carry a catalog key as their help (`help="help.digits"`);
`in_language(command, lang)` gives typer the same function with each key put
into words in `lang` (and `{exit_wrong}`-style fields filled from
`bptutor.errors`), so every command is declared once, whatever the language.
The choices come from the tables they belong to: activations and losses from
`bptutor.core.ops`, handout formats from `bptutor.handout.outputs`.
"""

import functools
import inspect
from collections.abc import Callable
from copy import copy
from enum import Enum, StrEnum
from typing import Annotated, Any, get_args, get_origin

import typer
from typer.models import ParameterInfo

from bptutor.core.ops import ACTIVATIONS as ACTIVATION_ROWS
from bptutor.core.ops import LAYER_ACTIVATIONS as LAYER_ROWS
from bptutor.core.scenario import EXERCISE_LOSSES
from bptutor.errors import exit_code_fields, exit_codes_text
from bptutor.handout.outputs import OUTPUT_FORMATS
from bptutor.i18n import LANGUAGES, languages_in_words, message


class Section(StrEnum):
    forward = "forward"
    backward = "backward"
    update = "update"


class OutputFormat(StrEnum):
    rich = "rich"
    json = "json"


class CheckFormat(StrEnum):
    """`check`'s formats: csv is a class's gradebook."""

    rich = "rich"
    json = "json"
    csv = "csv"


class Detail(StrEnum):
    """How much of a handout is derived in full (bptutor.handout.selection.DETAILS)."""

    standard = "standard"
    full = "full"
    brief = "brief"


class Form(StrEnum):
    """How run, explain and solve write the network: neuron by neuron, or a layer's matrices at once."""

    scalar = "scalar"
    matrix = "matrix"


class GraphFormat(StrEnum):
    text = "text"
    dot = "dot"
    mermaid = "mermaid"
    svg = "svg"
    png = "png"


Language = Enum("Language", [(code, code) for code in LANGUAGES], type=str)  # type: ignore[misc]  # an Enum built from a table: mypy needs literal members
# generate draws exercises with the activations whose row has an exercise rule (softmax as an output layer only),
# and the classic losses or a loss fused with its output activation
Activation = Enum(  # type: ignore[misc]  # an Enum built from a table: mypy needs literal members
    "Activation", [(name, name) for name, row in ACTIVATION_ROWS.items() if row.exercise is not None], type=str
)
OutputActivation = Enum(  # type: ignore[misc]  # an Enum built from a table: mypy needs literal members
    "OutputActivation",
    [(name, name) for name, row in [*ACTIVATION_ROWS.items(), *LAYER_ROWS.items()] if row.exercise is not None],
    type=str,
)
Loss = Enum("Loss", [(name, name) for name in EXERCISE_LOSSES], type=str)  # type: ignore[misc]  # an Enum built from a table: mypy needs literal members
HandoutFormat = Enum("HandoutFormat", [(name, name) for name in OUTPUT_FORMATS], type=str)  # type: ignore[misc]  # an Enum built from a table: mypy needs literal members
DEFAULT_ACTIVATION = Activation("sigmoid")
DEFAULT_OUTPUT_ACTIVATION = OutputActivation("sigmoid")
DEFAULT_LOSS = Loss("half_sse")
DEFAULT_HANDOUT_FORMAT = HandoutFormat("md")

ScenarioArgument = Annotated[str, typer.Argument(metavar="SCENARIO", help="help.scenario", show_default=False)]
DigitsOption = Annotated[int, typer.Option("--digits", min=1, max=17, metavar="N", help="help.digits")]
AsciiOption = Annotated[bool, typer.Option("--ascii", help="help.ascii")]
LanguageOption = Annotated[Language | None, typer.Option("--lang", help="help.lang", show_default=False)]
TopOption = Annotated[int, typer.Option("--top", min=0, max=200_000, metavar="K", help="help.top")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="help.format")]
FormOption = Annotated[Form, typer.Option("--form", help="help.form")]
StepOption = Annotated[int, typer.Option("--step", min=1, max=100_000, metavar="K", help="help.step")]


def say(key: str, lang: str) -> str:
    """A help text of the catalog in `lang`, with the exit codes it mentions filled in from bptutor.errors."""
    return message(key, lang, **_help_fields(lang))


@functools.cache
def _help_fields(lang: str) -> dict[str, str | int]:
    """What help texts may mention, put into words once per language (an app says it for about 130 texts)."""
    return {"exit_codes": exit_codes_text(lang), "languages": languages_in_words(lang), **exit_code_fields()}


def _in_language(annotation: Any, lang: str) -> Any:
    """Annotated[T, typer.Option(help=KEY)] with the help put into words; any other annotation as it is."""
    if get_origin(annotation) is not Annotated:
        return annotation
    base, *extras = get_args(annotation)
    translated = []
    for extra in extras:
        key = extra.help if isinstance(extra, ParameterInfo) else None
        if key:
            extra = copy(extra)
            extra.help = say(key, lang)
        translated.append(extra)
    return Annotated[(base, *translated)]


def in_language(command: Callable[..., None], lang: str) -> Callable[..., None]:
    """The command as typer should see it in `lang`: the same function, its options' help in words."""
    signature = inspect.signature(command)
    parameters = [
        parameter.replace(annotation=_in_language(parameter.annotation, lang))
        for parameter in signature.parameters.values()
    ]

    @functools.wraps(command)
    def translated(*arguments: Any, **options: Any) -> None:
        command(*arguments, **options)

    translated.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]  # typer reads the signature inspect reports
    return translated


__all__ = [
    "DEFAULT_ACTIVATION",
    "DEFAULT_HANDOUT_FORMAT",
    "DEFAULT_LOSS",
    "DEFAULT_OUTPUT_ACTIVATION",
    "Activation",
    "AsciiOption",
    "CheckFormat",
    "Detail",
    "DigitsOption",
    "FormatOption",
    "GraphFormat",
    "HandoutFormat",
    "Language",
    "LanguageOption",
    "Loss",
    "OutputActivation",
    "OutputFormat",
    "ScenarioArgument",
    "Section",
    "StepOption",
    "TopOption",
    "in_language",
    "say",
]
