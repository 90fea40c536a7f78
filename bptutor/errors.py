"""The one domain error type, and the exit codes the command line documents."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_USAGE = 2  # bad command-line use, or a name that the scenario does not have
EXIT_BAD_SCENARIO = 3  # the scenario file cannot be read or is not valid


@dataclass(frozen=True)
class Location:
    """Where in a scenario file something stands (1-based line and column)."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class ScenarioError(Exception):
    """A scenario that cannot be used: says where, which field, and what was expected."""

    def __init__(self, message: str, location: Location, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.field = field

    def __str__(self) -> str:
        where = str(self.location)
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class UsageError(Exception):
    """A request the scenario cannot answer, e.g. `explain` of a name it does not define."""


class DivergenceError(Exception):
    """The numbers left the range of float64 (the loss overflowed): usually a learning rate too large."""
