"""Every sentence bptutor prints, one file per language, and the choice of language.

A message is looked up by key and filled in with `{field}` placeholders:
`message("run.heading.forward", "zh")`. Errors and notes are made before the
language is known, so they carry a `Message` (a key and its fields) and are put
into words only at the command-line edge, with `Message.render(lang)`.
Fields may themselves be Messages; they are rendered in the same language.

A language is one module of this package, named by its code (en.py, zh.py): it
defines `MESSAGES` (key → template) and `LANGUAGE`, a `Language` holding those
messages and the properties of text in that language (the HTML tag, the LaTeX
document class, the thousands separator, how --lang's help names languages).
The languages are the modules whose names do not start with "_", found by
listing the package; a language's module is imported only when it is first
used. Every language has every key, with the same placeholders and the same
properties (tests/test_i18n.py and tests/test_languages.py check it); a missing
key is an error, never a fallback to English.
This module imports nothing heavy: the command line reads it at every start.

May import: bptutor.records only (the `dataclass` every stage makes its records with).
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterable, Mapping
from importlib import import_module

from bptutor.records import dataclass

DEFAULT_LANGUAGE = "en"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class Language:
    """What a language's file defines: its messages and how text in the language is typeset."""

    tag: str  # the BCP 47 tag of HTML's and SVG's lang attribute: en, zh-Hans
    latex_class: str  # the \documentclass line of a LaTeX handout (Chinese needs ctexart)
    latex_engine: str  # the programs that compile that LaTeX, ending the document's first comment
    thousands_separator: str  # between groups of three digits of a count: 12,345 or 12345
    language_names: Mapping[str, str]  # how --lang's help names a language (code → words); else its code
    messages: Mapping[str, str]  # key → template with {field} placeholders


def discover_languages(path: Iterable[str]) -> tuple[str, ...]:
    """The codes of the languages in the package directories `path`: each module not named _…, sorted."""
    import pkgutil

    return tuple(sorted({module.name for module in pkgutil.iter_modules(path) if not module.name.startswith("_")}))


LANGUAGES = discover_languages(__path__)


def language(lang: str) -> Language:
    """The language `lang`, its file imported the first time it is asked for (Python keeps it after)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    name = f"{__name__}.{lang}"
    defined = getattr(sys.modules.get(name) or import_module(name), "LANGUAGE", None)
    if not isinstance(defined, Language):
        raise TypeError(f"the language file {lang}.py defines no LANGUAGE = Language(...)")
    return defined


def catalog(lang: str) -> Mapping[str, str]:
    """Every message of `lang`: key → template."""
    return language(lang).messages


def languages_in_words(lang: str) -> str:
    """Every language, as `lang` lists them in a sentence: "en or zh", "en（英文）或 zh（中文）"."""
    names = language(lang).language_names
    return message("help.lang_or", lang).join(names.get(code, code) for code in LANGUAGES)


def detect_language(environ: Mapping[str, str]) -> str:
    """The language the environment asks for: the first non-empty of LC_ALL, LC_MESSAGES, LANG.

    A locale starting with a language's code means that language (zh_CN.UTF-8, zh_TW and zh mean
    zh; fr_FR means fr when there is an fr.py), the longest code first; anything else the default.
    """
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            matching = [code for code in LANGUAGES if value.lower().startswith(code)]
            return max(matching, key=len) if matching else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _in_language(value: object, lang: str) -> object:
    return value.render(lang) if isinstance(value, Message) else value


def message(key: str, lang: str, /, **fields: object) -> str:
    """The message `key` in language `lang`, with its `{field}` placeholders filled in."""
    templates = catalog(lang)
    if key not in templates:
        raise KeyError(f"no message {key!r} in language {lang!r}")
    template = templates[key]
    return template.format(**{name: _in_language(value, lang) for name, value in fields.items()})


@dataclass(frozen=True)
class Message:
    """A message not yet put into words: its catalog key and its fields (which may be Messages)."""

    key: str
    fields: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, /, **fields: object) -> Message:
        if key not in catalog(DEFAULT_LANGUAGE):
            raise KeyError(f"no message {key!r} in the catalog")
        return cls(key, tuple(fields.items()))

    def render(self, lang: str) -> str:
        return message(self.key, lang, **dict(self.fields))

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)


def in_language(text: str | Message, lang: str) -> str:
    """Plain text as it is; a Message rendered in `lang`."""
    return text.render(lang) if isinstance(text, Message) else text


def is_wide(character: str) -> bool:
    """True for a character that takes two columns on a terminal (Chinese, full-width punctuation)."""
    return unicodedata.east_asian_width(character) in ("W", "F")


def has_wide_characters(text: str) -> bool:
    return not text.isascii() and any(is_wide(character) for character in set(text))


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Language",
    "Message",
    "catalog",
    "detect_language",
    "discover_languages",
    "has_wide_characters",
    "in_language",
    "is_wide",
    "language",
    "languages_in_words",
    "message",
]
