"""The one domain error type, and every exit code of the command line with its meaning.

Errors carry their text as a `Message` (a catalog key and fields), so the
command line can show them in the user's language with `error.render(lang)`;
`str(error)` is the English text.
"""

from __future__ import annotations

import unicodedata

from bptutor.i18n import DEFAULT_LANGUAGE, Message, in_language, message
from bptutor.records import dataclass

# ── exit codes: the one list, which --help and the README describe ───────────

EXIT_OK = 0
EXIT_WRONG = 1  # check: a given value is wrong
EXIT_USAGE = 2  # bad command-line use, or a name that the scenario does not have
EXIT_BAD_SCENARIO = 3  # the scenario file cannot be read or is not valid
EXIT_DIVERGED = 4  # the numbers overflowed float64 (a learning rate too large)
EXIT_EXTERNAL_PROGRAM = 5  # a program bptutor needs (Chromium, Graphviz, matplotlib) is missing or failed
EXIT_INTERNAL = 70  # a bug in bptutor itself: reported in one line, never as a traceback
EXIT_INTERRUPTED = 130  # Ctrl-C: the shell's convention (128 + SIGINT)
EXIT_BROKEN_PIPE = 141  # the reader of stdout went away (`bptutor list | head -1`): the shell's 128 + SIGPIPE
EXIT_TERMINATED = 143  # SIGTERM: the shell's convention (128 + SIGTERM)

NAME_LIMIT = 80  # characters of a name, key, cell or path echoed from a user's file
PATH_LIMIT = 300  # characters of a file's path in a message
LINE_LIMIT = 2000  # characters of one message line on stderr


def printable(text: object, limit: int | None = NAME_LIMIT) -> str:
    """`text` safe for a terminal: cut to `limit` characters (then `…`), control and invisible characters escaped.

    Every piece of a user's file that reaches a message (a name, a CSV cell, a key, a path) goes through here.
    """
    shown = str(text)
    if limit is not None and len(shown) > limit:
        shown = shown[:limit] + "…"
    return "".join(_visible(character) for character in shown)


def _visible(character: str) -> str:
    """The character itself, or an escape such as `\\x1b` when it is a control or invisible character."""
    if character.isprintable() or character == " ":
        return character
    if unicodedata.category(character).startswith("C") or character in "\u2028\u2029":
        return character.encode("unicode_escape").decode("ascii")
    return character


@dataclass(frozen=True)
class ExitCode:
    """An exit code, its name here, and the catalog key of its meaning in --help (None: not listed)."""

    code: int
    name: str
    meaning: str | None


EXIT_CODES = (
    ExitCode(EXIT_OK, "EXIT_OK", "exit.ok"),
    ExitCode(EXIT_WRONG, "EXIT_WRONG", "exit.wrong"),
    ExitCode(EXIT_USAGE, "EXIT_USAGE", "exit.usage"),
    ExitCode(EXIT_BAD_SCENARIO, "EXIT_BAD_SCENARIO", "exit.bad_scenario"),
    ExitCode(EXIT_DIVERGED, "EXIT_DIVERGED", "exit.diverged"),
    ExitCode(EXIT_EXTERNAL_PROGRAM, "EXIT_EXTERNAL_PROGRAM", "exit.external_program"),
    ExitCode(EXIT_INTERNAL, "EXIT_INTERNAL", "exit.internal"),
    ExitCode(EXIT_INTERRUPTED, "EXIT_INTERRUPTED", "exit.interrupted"),
    ExitCode(EXIT_BROKEN_PIPE, "EXIT_BROKEN_PIPE", "exit.broken_pipe"),
    ExitCode(EXIT_TERMINATED, "EXIT_TERMINATED", "exit.terminated"),
)


def exit_codes_text(lang: str) -> str:
    """The sentence of --help that lists every exit code with its meaning, in `lang`."""
    listed = [f"{code.code} {message(code.meaning, lang)}" for code in EXIT_CODES if code.meaning is not None]
    return message("exit.list", lang, codes=message("exit.separator", lang).join(listed))


def exit_code_fields() -> dict[str, int]:
    """Every exit code by its name in lower case (exit_wrong=1, …), for help texts that mention one."""
    return {code.name.lower(): code.code for code in EXIT_CODES}


@dataclass(frozen=True)
class Location:
    """Where in a scenario file something stands (1-based line and column)."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        file = printable(self.file, PATH_LIMIT)
        if self.line is None:
            return file
        if self.column is None:
            return f"{file}:{self.line}"
        return f"{file}:{self.line}:{self.column}"


class LocalizedError(Exception):
    """An error whose text is a Message: English by `str`, any language by `render`."""

    def __init__(self, text: str | Message) -> None:
        super().__init__(str(text))
        self.text = text

    @property
    def key(self) -> str | None:
        """The catalog key of the message (None for plain text)."""
        return self.text.key if isinstance(self.text, Message) else None

    @property
    def fields(self) -> dict[str, object]:
        return dict(self.text.fields) if isinstance(self.text, Message) else {}

    def render(self, lang: str) -> str:
        return in_language(self.text, lang)


class ScenarioError(LocalizedError):
    """A scenario that cannot be used: says where, which field, and what was expected.

    Shown as `FILE:LINE:COLUMN [field.path]: what was expected` in every language.
    """

    def __init__(self, message: str | Message, location: Location, field: str = "") -> None:
        super().__init__(message)
        self.message = str(message)  # the English text
        self.location = location
        self.field = field

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def render(self, lang: str) -> str:
        where = str(self.location)
        field = f" [{printable(self.field, PATH_LIMIT)}]" if self.field else ""
        return f"{where}{field}: {in_language(self.text, lang)}"


class UsageError(LocalizedError):
    """A request the scenario cannot answer, e.g. `explain` of a name it does not define."""


class DivergenceError(LocalizedError):
    """The numbers left the range of float64 (the loss overflowed): usually a learning rate too large."""


class ExternalProgramError(LocalizedError):
    """A program bptutor runs (Chromium, to print a handout to PDF) is missing or failed.

    The command line reports it with exit code EXIT_EXTERNAL_PROGRAM.
    """


class OutputError(LocalizedError):
    """An output file that cannot or must not be written: a directory, a missing folder, read-only, an input.

    The command line reports it with exit code EXIT_USAGE; nothing has been written (outputs are atomic).
    """
