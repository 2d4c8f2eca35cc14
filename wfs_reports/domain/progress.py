"""Progress over time: the RAG counts at each of the plan's recent reports.

Pure domain code on plain values: the report command reads the earlier JSON
snapshots found in the output folder and hands their counts here; this module
chooses which of them the "Progress over time" section shows.

- Only reports of the same plan (the caller checks the title) dated before
  this one count; a snapshot of this report's own date is this report run
  again, and a later one belongs to another timeline.
- One report per date: where two snapshots share an as-at date (a copy kept
  under another name), the first by file name stands for it.
- At most ``LIMIT`` reports, this one included: the newest earlier ones.
- With no earlier report there is no history, and the section is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from wfs_reports.domain.model import Rag

LIMIT = 8  # reports shown, the current one included
# The RAG keys counted, in the order the report shows them (the columns' parts,
# bottom to top); not applicable is not counted.
COUNTED = (Rag.COMPLETED, Rag.MINOR_ISSUES, Rag.MISSED)


@dataclass(frozen=True)
class ReportCounts:
    """One report's counted actions by RAG key (not applicable is not counted)."""

    as_at: dt.date
    counts: Mapping[str, int] = field(default_factory=dict)
    source: str = ""  # the snapshot's file name, or "" for this report
    # The later reports' as-at dates that were already in the folder when this
    # one was made (its As at confirmed with --as-at): () when made in order.
    made_after: tuple[dt.date, ...] = ()

    def count(self, key: str) -> int:
        return int(self.counts.get(key, 0))

    @property
    def total(self) -> int:
        return sum(self.count(rag.value) for rag in COUNTED)


def history(earlier: Iterable[ReportCounts], current: ReportCounts,
            limit: int = LIMIT) -> tuple[ReportCounts, ...]:
    """The reports to show, oldest first, ending with ``current``; () when
    there is no earlier report to compare with."""
    by_date: dict[dt.date, ReportCounts] = {}
    for report in sorted(earlier, key=lambda r: (r.as_at, r.source)):
        if report.as_at < current.as_at:
            by_date.setdefault(report.as_at, report)
    if not by_date or limit < 2:
        return ()
    kept = [by_date[when] for when in sorted(by_date)][-(limit - 1):]
    return (*kept, current)
