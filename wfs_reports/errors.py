"""Errors the library raises for the CLI to print as one line each."""

from __future__ import annotations


class ReportError(Exception):
    """Something the officer can fix. ``str(error)`` is the whole message."""


class WorkbookError(ReportError):
    """One or more problems in the workbook, each located by sheet and cell.

    Problems are gathered rather than raised one at a time, so an officer
    fixes everything in one pass instead of one problem per run.
    """

    def __init__(self, file: str, problems: list[str]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}: {p}" for p in problems))


class ConfigError(ReportError):
    """The brand or rules file cannot be used."""


class OutputError(ReportError):
    """The report could not be written where asked."""


class SetupError(ReportError):
    """The installation itself cannot be used safely (a dependency is missing)."""
