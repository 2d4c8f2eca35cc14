"""The run against the reports already in the output folder: an As at date out
of their order, a Title that starts a new history, and an out-of-order report
shown in Progress over time. Said with the cell; an unconfirmed As at stops the run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from wfs_reports.domain.dates import format_date
from wfs_reports.domain.errors import WorkbookError
from wfs_reports.domain.model import ReportSettings
from wfs_reports.domain.problems import Kind, Problem, Severity, split_where
from wfs_reports.domain.progress import ReportCounts
from wfs_reports.report.snapshot import EarlierReports


def _dates(dates: Sequence[dt.date]) -> str:
    """'31 March 2024', '31 March 2024 and 30 June 2024', 'a, b and c'."""
    said = [format_date(d) for d in dates]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"


def _at(where: str) -> tuple[str, str]:
    """The sheet and cell of ``where``, or neither when it names no cell."""
    sheet, cell = split_where(where)
    return (sheet, cell) if cell else ("", "")


def as_at_order(settings: ReportSettings, as_at: dt.date, *, confirmed: bool,
                earlier: EarlierReports, out: Path, file: str
                ) -> tuple[list[Problem], tuple[str, ...]]:
    """(warnings, the later reports' ISO dates for the snapshot's ``made_after``).

    An As at earlier than this plan's reports already in ``out`` is most often a
    mistyped year: unless it came from --as-at, nothing is written.
    """
    later = earlier.later_than(as_at)
    if not later:
        return [], ()
    reports = "report" if len(later) == 1 else "reports"
    found = (f"As at {format_date(as_at)} is earlier than the {reports} of this plan already "
             f"in '{out}' (as at {_dates(later)})")
    if not confirmed:
        where = _at(settings.as_at_cell) if settings.as_at is not None else ("", "")
        source = "" if settings.as_at is not None else " (today's date: the workbook gives none)"
        raise WorkbookError(file, [Problem(
            Kind.AS_AT_ORDER, Severity.ERROR,
            f"{found}{source}; if the year is wrong, correct it; if this report really is as "
            f"at {format_date(as_at)}, confirm it with --as-at {as_at.isoformat()}; nothing "
            "was written", *where)])
    return [Problem(
        Kind.AS_AT_ORDER, Severity.WARNING,
        f"{found}; made as confirmed with --as-at; the later {reports} are unchanged, and "
        f"later reports will show this one in Progress over time at {format_date(as_at)}, "
        "with a note")], tuple(d.isoformat() for d in later)


def title_changed(settings: ReportSettings, earlier: EarlierReports, out: Path
                  ) -> list[Problem]:
    """No report of this Title in ``out``, but reports of others: a changed Title
    (an added '(Q1 2024-25)') would silently start the history again."""
    if earlier.counts or not earlier.other_titles:
        return []
    titles = " or ".join(f"'{t}'" for t in earlier.other_titles[:2])
    more = len(earlier.other_titles) - 2
    titles += f" (and {more} more)" if more > 0 else ""
    return [Problem(
        Kind.TITLE_CHANGED, Severity.WARNING,
        f"earlier reports in this folder ('{out}') are titled {titles}; this starts a new "
        f"history titled '{settings.title}', with no Changes since the last report or "
        "Progress over time; to continue that plan's history, give it the same Title",
        *_at(settings.cells.get("title", "")))]


def shown_out_of_order(shown: Sequence[ReportCounts], out: Path) -> list[Problem]:
    """Each earlier report in Progress over time that was made after later ones."""
    return [Problem(
        Kind.AS_AT_ORDER, Severity.WARNING,
        f"Progress over time shows the report as at {format_date(point.as_at)} "
        f"('{point.source}') at that date, but it was made after the "
        f"report{'s' if len(point.made_after) > 1 else ''} as at {_dates(point.made_after)}; "
        f"if its As at date was wrong, move its files out of '{out}' and run again")
        for point in shown if point.source and point.made_after]
