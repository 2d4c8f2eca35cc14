"""Errors the library raises for the CLI to print as one line each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wfs_reports.domain.problems import Problem


class ReportError(Exception):
    """Something the officer can fix. ``str(error)`` is the whole message."""


class WorkbookError(ReportError):
    """One or more problems in the workbook, each located by sheet and cell.

    Problems are gathered rather than raised one at a time, so an officer
    fixes everything in one pass instead of one problem per run.
    """

    def __init__(self, file: str, problems: Sequence[Problem | str]):
        from wfs_reports.domain.problems import Kind, Problem, Severity

        self.file = file
        # A plain sentence is about the file as a whole.
        self.problems: list[Problem] = [
            p if isinstance(p, Problem) else Problem(Kind.WORKBOOK_FILE, Severity.ERROR, p)
            for p in problems
        ]
        super().__init__("\n".join(p.line(file) for p in self.problems))


class ConfigError(ReportError):
    """The brand or rules file cannot be used."""


class OutputError(ReportError):
    """The report could not be written where asked."""


class SetupError(ReportError):
    """The installation itself cannot be used safely (a dependency is missing)."""


class Stopped(KeyboardInterrupt):
    """Ctrl-C came while a finished set of files was being put in place: the
    run put the whole set in place first, then stopped. ``written`` is what
    it wrote (a folder of update requests: the folder)."""

    def __init__(self, written: Sequence[object]) -> None:
        super().__init__()
        self.written = list(written)
