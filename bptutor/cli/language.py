"""The words click prints around our help and errors, in the app's language.

Typer builds the commands from classes we choose, so the app made for one
language uses classes that know it: their help pages say 用法/选项/位置参数,
wrap Chinese by its width on the terminal (two columns a character), and their
usage errors (a missing argument, an unknown option, a bad value) are told in
that language. The English classes print exactly what click prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, ClassVar

import typer
from typer import echo, get_text_stream
from typer.core import TyperCommand, TyperGroup

# The click that typer runs on: its own copy in recent typer, the click package before. typer exports
# neither the help formatter nor the usage-error classes, so they come from that private copy.
# mypy reads the first branch only, so it checks against typer's copy whether or not click is installed.
if TYPE_CHECKING:
    from typer._click import exceptions as click_errors
    from typer._click.core import Command, Context
    from typer._click.formatting import HelpFormatter
else:
    try:
        from typer._click import exceptions as click_errors
        from typer._click.core import Command, Context
        from typer._click.formatting import HelpFormatter
    except ImportError:  # pragma: no cover - older typer: the same classes, in the click package
        from click import Command, Context, HelpFormatter
        from click import exceptions as click_errors

from bptutor.cli.completion import with_shell_named
from bptutor.cli.pipe import closed_pipe_ends_quietly
from bptutor.i18n import (
    DEFAULT_LANGUAGE,
    catalog,
    has_wide_characters,
    is_wide,
    message,
)

# ── wrapping text that holds Chinese ──────────────────────────────────────────

_CLOSING = frozenset("，。；：？！）」』、,.;:?!)]")  # never starts a line
_OPENING = frozenset("（「『([")  # never ends a line
_TOKEN = re.compile(r"\s+|[^\s]")


def cell_width(text: str) -> int:
    """Columns `text` takes on a terminal: two for a Chinese character, one for the rest."""
    return sum(2 if is_wide(character) else 1 for character in text)


def _breakable_pieces(text: str) -> list[str]:
    """Pieces a line may break between: whitespace, a single Chinese character, an unbroken word."""
    pieces: list[str] = []
    for token in _TOKEN.findall(text):
        joins_previous = pieces and not pieces[-1].isspace() and not token.isspace()
        glued = joins_previous and (
            token in _CLOSING
            or pieces[-1][-1] in _OPENING
            or not (is_wide(token) or is_wide(pieces[-1][-1]))
        )
        if glued:
            pieces[-1] += token
        else:
            pieces.append(token)
    return pieces


def wrap_paragraph(text: str, width: int, first_indent: str = "", indent: str = "") -> list[str]:
    """Greedy wrapping by terminal width; Chinese may break between any two characters."""
    lines: list[str] = []
    line, used = first_indent, cell_width(first_indent)
    for piece in _breakable_pieces(" ".join(text.split("\n"))):
        if piece.isspace():
            if line.strip():
                line, used = line + " ", used + 1
            continue
        size = cell_width(piece)
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = indent, cell_width(indent)
        line, used = line + piece, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap_text(text: str, width: int, indent: str = "") -> str:
    """Paragraphs (separated by blank lines) wrapped one by one; an indented paragraph keeps its indent."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        stripped = paragraph.lstrip(" ")
        own_indent = indent + " " * (len(paragraph) - len(stripped))
        paragraphs.append("\n".join(wrap_paragraph(stripped, width, own_indent, own_indent)))
    return "\n\n".join(paragraphs)


# ── help pages ────────────────────────────────────────────────────────────────


def _localized_extras(help_text: str, lang: str) -> str:
    """Typer's trailing `[default: 1; required]` in `lang` (ranges such as 1<=x<=17 stay)."""
    match = re.search(r"  \[([^\[\]]*)\]$", help_text)
    if match is None:
        return help_text
    parts = []
    for part in match.group(1).split("; "):
        if part.startswith("default: "):
            part = message("click.default", lang, value=part[len("default: ") :])
        elif part == "required":
            part = message("click.required", lang)
        parts.append(part)
    return f"{help_text[: match.start()]}  [{'; '.join(parts)}]"


class LocalizedFormatter(HelpFormatter):
    """click's help formatter, with its own words and the wrapping of Chinese in `lang`."""

    def __init__(self, lang: str, **settings: Any) -> None:
        super().__init__(**settings)
        self.lang = lang

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = message("click.usage", self.lang)
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        key = f"click.heading.{heading}"
        shown = message(key, self.lang) if key in catalog(self.lang) else heading
        self.write(f"{'':>{self.current_indent}}{message('click.heading', self.lang, heading=shown)}\n")

    def write_text(self, text: str) -> None:
        if not has_wide_characters(text):
            super().write_text(text)
            return
        self.write(wrap_text(text, self.width, " " * self.current_indent))
        self.write("\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, _localized_extras(second, self.lang)) for first, second in rows]
        if not any(has_wide_characters(second) for _, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        first_width = min(max(cell_width(first) for first, _ in rows), col_max) + col_spacing
        text_width = max(self.width - first_width - 2, 10)
        for first, second in rows:
            lines = wrap_paragraph(second, text_width)
            lead = f"{'':>{self.current_indent}}{first}"
            if not lines:
                self.write(f"{lead}\n")
                continue
            if cell_width(first) <= first_width - col_spacing:
                self.write(f"{lead}{' ' * (first_width - cell_width(first))}{lines[0]}\n")
            else:
                self.write(f"{lead}\n{' ' * (first_width + self.current_indent)}{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_width + self.current_indent}}{line}\n")


class LocalizedContext(typer.Context):
    """A context whose help formatter speaks its command's language."""

    def make_formatter(self) -> HelpFormatter:
        return LocalizedFormatter(
            getattr(self.command, "lang", DEFAULT_LANGUAGE), width=self.terminal_width, max_width=self.max_content_width
        )


# ── usage errors ──────────────────────────────────────────────────────────────


class LocalizedUsageError(click_errors.UsageError):
    """A click usage error told in `lang`: usage line, where to find help, and what is wrong."""

    def __init__(self, text: str, ctx: Context | None, lang: str) -> None:
        super().__init__(text, ctx)
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        if file is None:
            file = get_text_stream("stderr")
        color = self.ctx.color if self.ctx is not None else None
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                option = max(self.ctx.command.get_help_option_names(self.ctx), key=len)
                hint = message("click.try_help", self.lang, command=self.ctx.command_path, option=option) + "\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
        echo(message("click.error", self.lang, message=self.format_message()), file=file, color=color)


def _param_name(error: click_errors.BadParameter) -> str:
    if error.param_hint is not None:
        hint = error.param_hint
        return hint if isinstance(hint, str) else " / ".join(f"'{name}'" for name in hint)
    if error.param is not None:
        return error.param.get_error_hint(error.ctx)  # type: ignore[arg-type]  # click reads only the parameter's names
    return "''"


def _expected_value(error: click_errors.BadParameter, lang: str) -> str:
    """What the parameter accepts, in `lang`; click's own words when we do not know its type."""
    kind = error.param.type if error.param is not None else None
    low, high, choices = (getattr(kind, attribute, None) for attribute in ("min", "max", "choices"))
    whole = getattr(kind, "name", "").startswith("int")  # "int range" (typer), "integer range" (click)
    if whole and low is not None and high is not None:
        return message("click.expected_range", lang, low=low, high=high)
    if whole and low is not None:
        return message("click.expected_at_least", lang, low=low)
    if choices:
        return message("click.expected_choice", lang, choices=", ".join(str(choice) for choice in choices))
    return error.message


_PLAIN_USAGE_ERRORS = (  # click's English for errors that carry no fields, and our key for each
    (re.compile(r"No such command (?P<name>'.*')\.$"), "click.no_such_command"),
    (re.compile(r"Missing command\.$"), "click.missing_command"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<arguments>.*)\)$"), "click.extra_arguments"),
)


def usage_error_text(error: click_errors.UsageError, lang: str) -> str:
    """The text of a click usage error in `lang`."""
    if isinstance(error, click_errors.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param is not None else "")
        key = "click.missing_option" if kind == "option" else "click.missing_argument"
        return message(key, lang, name=_param_name(error))
    if isinstance(error, click_errors.BadParameter):
        return message("click.invalid_value", lang, name=_param_name(error), detail=_expected_value(error, lang))
    if isinstance(error, click_errors.NoSuchOption):
        hint = message("click.did_you_mean", lang, names=", ".join(error.possibilities)) if error.possibilities else ""
        return message("click.no_such_option", lang, name=error.option_name) + hint
    if isinstance(error, click_errors.BadOptionUsage) and "requires" in error.message:
        return message("click.needs_value", lang, name=f"'{error.option_name}'")
    for pattern, key in _PLAIN_USAGE_ERRORS:
        match = pattern.match(error.message)
        if match is not None:
            return message(key, lang, **match.groupdict())
    return message("click.other", lang, message=error.message)


_SHOWN_AS_THEY_ARE = tuple(
    kind for kind in (getattr(click_errors, "NoArgsIsHelpError", None), LocalizedUsageError) if kind is not None
)


@contextmanager
def usage_errors_in(lang: str) -> Iterator[None]:
    """Turn click's usage errors raised inside into LocalizedUsageError (English ones pass as they are)."""
    try:
        yield
    except click_errors.UsageError as error:
        if lang == DEFAULT_LANGUAGE or isinstance(error, _SHOWN_AS_THEY_ARE):
            raise
        raise LocalizedUsageError(usage_error_text(error, lang), error.ctx, lang) from error


# ── the command classes ───────────────────────────────────────────────────────


if TYPE_CHECKING:  # the mixin's methods reach click's Command through super()
    _CommandBase = Command
else:
    _CommandBase = object


class _InLanguage(_CommandBase):
    """What a group and a command share: their language, their context, the help of --help."""

    lang: ClassVar[str] = DEFAULT_LANGUAGE
    context_class: type[Context] = LocalizedContext

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = message("click.help_option", self.lang)
        return option


class LocalizedCommand(_InLanguage, TyperCommand):
    pass


class LocalizedGroup(_InLanguage, TyperGroup):
    """Also turns the usage errors of the whole command line (its own and its commands') into `lang`, and ends it
    quietly when the reader of its output goes away (`bptutor.cli.pipe`): before click would say exit 1."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        with closed_pipe_ends_quietly(), usage_errors_in(self.lang):  # --help and --version write here
            return super().make_context(info_name, with_shell_named(args), parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        from bptutor.cli.guard import guarded

        with closed_pipe_ends_quietly(), usage_errors_in(self.lang), guarded(self.lang):
            return super().invoke(ctx)


def command_classes(lang: str) -> tuple[type[LocalizedGroup], type[LocalizedCommand]]:
    """The group and command classes of the app in `lang`."""
    group = type(f"LocalizedGroup_{lang}", (LocalizedGroup,), {"lang": lang})
    command = type(f"LocalizedCommand_{lang}", (LocalizedCommand,), {"lang": lang})
    return group, command


__all__ = ["LocalizedUsageError", "cell_width", "command_classes", "usage_error_text", "wrap_paragraph", "wrap_text"]
