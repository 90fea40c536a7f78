"""The last line of defence of the command line: every failure is one line on stderr and a documented exit code.

`guarded(lang)` wraps each command. The pipeline's own errors map to their codes (2 usage and unwritable
outputs, 3 bad scenario, 4 numbers out of range, 5 a missing program); Ctrl-C exits 130 and SIGTERM 143
(after helper programs are killed and temporary folders removed, which the `finally` blocks on the way out
do); anything unforeseen is reported in one line as an internal error (exit 70), never as a traceback.
`on_sigterm()` makes SIGTERM unwind the stack like Ctrl-C does, instead of killing the process mid-write.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, NoReturn

from bptutor.errors import (
    EXIT_BAD_SCENARIO,
    EXIT_DIVERGED,
    EXIT_EXTERNAL_PROGRAM,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    EXIT_USAGE,
    LINE_LIMIT,
    DivergenceError,
    ExternalProgramError,
    LocalizedError,
    OutputError,
    ScenarioError,
    UsageError,
    printable,
)
from bptutor.i18n import message


class Terminated(BaseException):
    """SIGTERM arrived: unwind like KeyboardInterrupt (helpers killed, temporary folders removed), then exit 143."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


def on_sigterm() -> None:
    """Turn SIGTERM into the Terminated exception (only in the main thread; a no-op elsewhere)."""
    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(signal.SIGTERM, _terminate)


def say(text: str, code: int) -> NoReturn:
    """One line on stderr (control characters escaped, cut to LINE_LIMIT), then exit with `code`."""
    import typer

    sys.stderr.write(f"bptutor: {printable(text, LINE_LIMIT)}\n")
    raise typer.Exit(code)


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so what it still holds is not written (and fails) again at exit."""
    import os

    try:
        target = os.open(os.devnull, os.O_WRONLY)
        os.dup2(target, sys.stdout.fileno())
        os.close(target)
    except (OSError, ValueError, AttributeError):  # an in-memory stdout (tests) has no descriptor
        pass


_CODES: tuple[tuple[type[LocalizedError], int], ...] = (
    (ScenarioError, EXIT_BAD_SCENARIO),
    (DivergenceError, EXIT_DIVERGED),
    (ExternalProgramError, EXIT_EXTERNAL_PROGRAM),
    (OutputError, EXIT_USAGE),
    (UsageError, EXIT_USAGE),
)


def _click_errors() -> Any:
    """The click exceptions typer raises: its vendored copy (typer ≥ 0.25), else click's own."""
    import importlib

    try:
        return importlib.import_module("typer._click.exceptions")
    except ImportError:  # older typer: the same classes, in the click package
        return importlib.import_module("click.exceptions")


@contextmanager
def guarded(lang: str) -> Iterator[None]:
    """Run a command; whatever escapes it becomes one line and an exit code (click's own exits pass through)."""
    import typer

    click_errors = _click_errors()
    try:
        yield
        sys.stdout.flush()
    except click_errors.ClickException as error:  # click words it; what it echoes from the command line is escaped
        error.message = printable(error.message, LINE_LIMIT)
        raise
    except (typer.Exit, typer.Abort):
        raise
    except KeyboardInterrupt:
        say(message("cli.interrupted", lang), EXIT_INTERRUPTED)
    except Terminated:
        say(message("cli.terminated", lang), EXIT_TERMINATED)
    except LocalizedError as error:
        code = next((code for kind, code in _CODES if isinstance(error, kind)), EXIT_INTERNAL)
        say(error.render(lang), code)
    except BrokenPipeError:  # the reader went away: bptutor.cli.pipe ends the command line quietly with 141
        raise
    except OSError as error:  # stdout on a full disk
        reason = printable(error.strerror or type(error).__name__, 200)
        _drop_stdout()
        say(message("cli.cannot_write_output", lang, reason=reason), EXIT_USAGE)
    except (OverflowError, ZeroDivisionError, ArithmeticError) as error:
        say(message("cli.numbers_out_of_range", lang, reason=printable(error, 200)), EXIT_DIVERGED)
    except (RecursionError, MemoryError):
        say(message("cli.too_large", lang), EXIT_BAD_SCENARIO)
    except Exception as error:  # a bug: still one line, and a code the tests treat as a failure
        say(message("cli.internal_error", lang, kind=type(error).__name__, reason=printable(error, 300)), EXIT_INTERNAL)


__all__ = ["Terminated", "guarded", "on_sigterm", "say"]
