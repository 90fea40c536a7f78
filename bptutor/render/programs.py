"""Running a program bptutor needs (Graphviz's dot, headless Chromium) so that nothing of it outlives the run.

The program starts in a session and process group of its own. Whatever ends the wait (the program's
exit, a timeout, Ctrl-C, or SIGTERM turned into an exception by the command line) the whole group is
killed before control returns, so no helper process is left behind to write into folders that the
caller then removes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Sequence

__all__ = ["kill_group", "run_in_group"]


def run_in_group(
    command: Sequence[str], timeout: float, stdin: bytes | None = None, keep_stdout: bool = True
) -> tuple[int, bytes, bytes]:
    """(exit status, stdout, stderr) of `command`, our own argument list (no shell), run in its own group.

    subprocess.TimeoutExpired is raised, as by subprocess.run, after the group is killed.
    """
    process = subprocess.Popen(
        list(command),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE if keep_stdout else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(stdin, timeout=timeout)
    except BaseException:
        kill_group(process.pid)
        process.communicate()
        raise
    kill_group(process.pid)
    return process.returncode, stdout or b"", stderr or b""


def kill_group(group: int) -> None:
    """SIGKILL every process of the group; nothing when it has gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
