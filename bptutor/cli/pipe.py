"""A closed pipe: when the program reading bptutor's output stops reading, bptutor stops too, quietly.

`bptutor list | head -1`: head exits after one line, and the next write to the pipe fails. bptutor then
prints nothing more (no traceback, no "Exception ignored" at exit) and exits with EXIT_BROKEN_PIPE, 141:
the status a shell reports for a program that SIGPIPE ended (128 + 13), as `yes | head -1` does. When
bptutor has written everything before the reader leaves, nothing failed and the status is the command's.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from bptutor.errors import EXIT_BROKEN_PIPE


def _silence() -> None:
    """Point stdout and stderr at /dev/null, so what their buffers still hold is not written (and fails) at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # an in-memory stream (tests) has no descriptor
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


@contextmanager
def closed_pipe_ends_quietly() -> Iterator[None]:
    """Run the command line; written output is flushed before leaving, and a closed pipe exits 141 in silence."""
    try:
        try:
            yield
        finally:
            sys.stdout.flush()  # here, not at exit, where a failure would be printed as "Exception ignored"
    except BrokenPipeError:
        _silence()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None


__all__ = ["closed_pipe_ends_quietly"]
