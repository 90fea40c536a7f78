"""Writing output files safely: atomically, never over an input, never over a file the user did not name.

- `write_output(path, data, inputs)`: the bytes go to a temporary file in the same folder, which is then
  renamed into place, so a failed or interrupted write leaves the previous file whole and no partial file;
  a target that is one of the run's `inputs` (the scenario, the answers file), a directory, or in a missing
  or read-only folder is refused with an OutputError before anything is written.
- `write_companion(path, data, inputs)`: a file written beside a named output (the figure of a Markdown
  handout). It carries `COMPANION_MARK` so that a later run recognises it as bptutor's own and may replace
  it; an existing file of that name without the mark (the user's) is never replaced.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from bptutor.errors import PATH_LIMIT, OutputError, printable
from bptutor.i18n import Message

COMPANION_MARK = b"<!-- written by bptutor beside a handout; a later run may replace it -->\n"


def _shown(path: Path) -> str:
    return printable(path, PATH_LIMIT)


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except (OSError, ValueError):
        return os.path.abspath(path) == os.path.abspath(other)


def check_target(path: Path, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Refuse, before any work is lost, a target that is an input, a directory, or in a folder that cannot take it."""
    for source in inputs:
        if _same_file(path, Path(source)):
            raise OutputError(Message.of("output.is_input", file=_shown(path)))
    if path.is_dir():
        raise OutputError(Message.of("output.is_directory", file=_shown(path)))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(Message.of("output.no_folder", file=_shown(path)))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(Message.of("output.cannot_write", file=_shown(path), reason=Message.of("output.read_only")))


def write_output(path: Path, data: str | bytes, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write `data` (text as UTF-8) to `path` through a temporary file in the same folder, renamed into place."""
    check_target(path, inputs)
    content = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name[:64]}.", suffix=".part", dir=folder)
    except OSError as error:
        raise OutputError(Message.of("output.cannot_write", file=_shown(path), reason=_reason(error))) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(Message.of("output.cannot_write", file=_shown(path), reason=_reason(error))) from None
        raise


def write_companion(path: Path, data: str, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write a file the user did not name (it carries COMPANION_MARK); refuse to replace one without the mark."""
    if path.exists() and not _is_companion(path):
        raise OutputError(Message.of("output.not_ours", file=_shown(path)))
    write_output(path, COMPANION_MARK + data.encode("utf-8"), inputs)


def check_companion(path: Path, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """The checks of `write_companion`, before anything is written."""
    if path.exists() and not _is_companion(path):
        raise OutputError(Message.of("output.not_ours", file=_shown(path)))
    check_target(path, inputs)


def _is_companion(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(COMPANION_MARK)) == COMPANION_MARK
    except OSError:
        return False


def _mode_for(path: Path) -> int:
    """The mode the file has now, or what a new file gets under the current umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _reason(error: OSError) -> str:
    return printable(error.strerror or type(error).__name__, 200)


__all__ = ["COMPANION_MARK", "check_companion", "check_target", "write_companion", "write_output"]
