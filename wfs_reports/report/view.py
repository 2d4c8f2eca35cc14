"""The report's view model: everything the renderers print, already decided.

Renderers take a ``ReportContext`` and only lay it out; they make no decisions
about RAG, wording or order. That is what keeps the Word, PDF, JSON, xlsx and
web page documents from drifting apart. All text fields are plain ``str``
(officer text verbatim, line breaks as "\\n"); renderers escape it for their
own format. ``build`` makes these values, and ``compare`` adds the trends and
changes since the last report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.model import Brand, DueKind
from wfs_reports.domain.rules import FindingKind, RagSource
from wfs_reports.domain.sentences import COMMENT_LABEL
from wfs_reports.domain.text import plural, provenance_line
from wfs_reports.domain.trend import Trend


@dataclass(frozen=True)
class DueStage:
    stage: str | None
    kind: DueKind
    date: str | None  # ISO date
    text: str


@dataclass(frozen=True)
class ActionContext:
    row: int  # row in the Actions sheet
    ref: int
    number: str  # "3.2": the recommendation, then the action's place under it
    action: str
    owners: str
    completion_date: str  # as written; an Excel date as "31 March 2024"
    due: tuple[DueStage, ...]
    status: str
    comments: str  # the officer's words, verbatim
    computed_comment: str  # the rules' sentence, shown apart from them (COMMENT_LABEL)
    rag: RagStyle
    rag_source: RagSource
    # Against the last report; None when there is no earlier snapshot.
    rag_previous: RagStyle | None = None
    trend: Trend | None = None
    # Field name -> the cell it came from ("action" -> "Actions!B7"), for messages.
    cells: Mapping[str, str] = field(default_factory=dict)
    # The officer's RAG Override as read (a RAG key; applied or not) and its reason.
    override: str | None = None
    override_reason: str = ""
    last_updated: str | None = None  # ISO date: the officer's Last Updated cell
    stages_complete: tuple[int, ...] = ()  # stage numbers the status marks complete
    # Against every earlier report found: how many of them saw the due date
    # move later (this one included), and the date first due; None with no
    # earlier report.
    times_slipped: int | None = None
    first_due: str | None = None  # ISO date
    # The Status cell as the officer wrote it ("Stage 1 complete", "Complete"):
    # what the Word report records for the importer (domain/word_record.py).
    status_cell: str = ""

    @property
    def trend_text(self) -> str:
        """'↑ better': an arrow and the word, so it reads without colour."""
        return f"{self.trend.arrow} {self.trend}" if self.trend else ""


@dataclass(frozen=True)
class RecommendationContext:
    ref: int
    heading: str  # "Recommendation 1"
    anchor: str  # "recommendation-1", for bookmarks and links
    text: str
    comments_from_service: tuple[str, ...]  # paragraphs
    actions: tuple[ActionContext, ...]
    row: int = 0  # its row in the Recommendations sheet


@dataclass(frozen=True)
class ExceptionItem:
    kind: FindingKind  # the first issue's
    ref: int
    number: str  # the action's number, "3.2"
    row: int
    cell: str  # "Actions!D5": for the officer (JSON, Excel), not the Board's copies
    action: str  # the action's full text
    message: str  # every issue the action has, one sentence each
    kinds: tuple[FindingKind, ...] = ()  # every issue's kind, ``kind`` first


@dataclass(frozen=True)
class ChangeItem:
    ref: int
    row: int | None  # None for an action no longer in the workbook
    action: str  # the action's full text
    detail: str  # "31 March 2024 → 30 June 2024", "On target… → Missed…"
    # The action in the last report: its recommendation and wording (None: new).
    previous_ref: int | None = None
    previous_action: str | None = None
    # The action's number ("3.2"): in this report, or in the last one when it
    # is no longer in the workbook.
    number: str = ""
    previous_row: int | None = None  # its workbook row in the last report


@dataclass(frozen=True)
class Changes:
    """What changed since the last report: the Board's first question."""

    previous_as_at: str  # "22 November 2023"
    previous_file: str  # the snapshot's file name: for the officer, not the Board's copies
    new: tuple[ChangeItem, ...]
    completed: tuple[ChangeItem, ...]
    slipped: tuple[ChangeItem, ...]
    rag_changes: tuple[ChangeItem, ...]
    removed: tuple[ChangeItem, ...]
    stages_completed: tuple[ChangeItem, ...] = ()  # "Stage 1 complete"
    moved: tuple[ChangeItem, ...] = ()  # to another recommendation
    reworded: tuple[ChangeItem, ...] = ()  # the wording edited

    @property
    def groups(self) -> tuple[tuple[str, tuple[ChangeItem, ...]], ...]:
        """The non-empty lists, titled, in the order the Board reads them."""
        titled = (
            ("RAG changes", self.rag_changes),
            ("Completed since the last report", self.completed),
            ("Stages completed", self.stages_completed),
            ("Slipped: due date moved later", self.slipped),
            ("Moved to another recommendation", self.moved),
            ("Reworded", self.reworded),
            ("New actions", self.new),
            ("No longer in the workbook", self.removed),
        )
        return tuple((title, items) for title, items in titled if items)


@dataclass(frozen=True)
class RagCount:
    rag: RagStyle
    count: int


@dataclass(frozen=True)
class RecommendationSummary:
    ref: int
    heading: str
    total: int  # actions counted (not applicable excluded)
    counts: tuple[RagCount, ...]  # in key order: completed, minor, missed
    not_applicable: int


@dataclass(frozen=True)
class Summary:
    total: int  # counted actions
    counts: tuple[RagCount, ...]  # completed, minor, missed
    not_applicable: int
    per_recommendation: tuple[RecommendationSummary, ...]


@dataclass(frozen=True)
class ProgressPoint:
    """One report's column in "Progress over time"."""

    as_at: str  # "22 November 2023"
    as_at_iso: str
    label: str  # "22 Nov 2023", under its column
    counts: tuple[RagCount, ...]  # completed, minor, missed
    total: int  # counted actions
    current: bool  # this report (the last column)


@dataclass(frozen=True)
class Progress:
    """RAG counts at this and the earlier reports found, oldest first.

    Every format prints these numbers and sentences as they are here: the
    picture, its text alternative and the table are drawn from this one place.
    """

    points: tuple[ProgressPoint, ...]
    heading: str = "Progress over time"
    caption: str = "RAG counts at each report"
    current_label: str = "This report"

    @property
    def intro(self) -> str:
        first, last = self.points[0], self.points[-1]
        return (f"The counted actions by RAG status at the last {len(self.points)} reports, "
                f"from {first.as_at} to {last.as_at}, oldest first; the last column is "
                "this report.")

    def row_label(self, point: ProgressPoint) -> str:
        """'22 November 2023 (This report)': a row of the table beside the picture."""
        return f"{point.as_at} ({self.current_label})" if point.current else point.as_at

    @property
    def alt_text(self) -> str:
        """The picture in words: what changed from the first column to the last."""
        first, last = self.points[0], self.points[-1]
        moves = "; ".join(
            f"{before.rag.label} {before.count} to {after.count}"
            for before, after in zip(first.counts, last.counts, strict=True)
        )
        return (f"Stacked columns of RAG counts at {len(self.points)} reports, "
                f"{first.as_at} to {last.as_at}: {moves}. The table below gives every count.")


@dataclass(frozen=True)
class ReportContext:
    title: str
    heading: str
    meeting: str
    meeting_date: str  # "12 December 2023" or ""
    as_at: str  # "22 November 2023"
    as_at_iso: str  # "2023-11-22"
    prepared_by: str
    classification: str
    source_file: str
    source_sha256: str
    source_sha_short: str  # first 12 hex digits
    brand: Brand
    rag_key: tuple[RagStyle, ...]  # completed, minor_issues, missed
    not_applicable: RagStyle
    summary: Summary
    exceptions: tuple[ExceptionItem, ...]
    rag_note: tuple[str, ...]  # "How RAG is calculated", one sentence each
    recommendations: tuple[RecommendationContext, ...]
    changes: Changes | None = None  # None when there is no earlier report
    progress: Progress | None = None  # None when no earlier snapshot was found
    generator: str = field(default="wfs-reports")
    # The as-at dates (ISO) of the reports of this plan already in the output
    # folder, later than this one, when it was made: () when made in order.
    made_after: tuple[str, ...] = ()
    # The officer's own words for the Board (the Report sheet's "Summary for the
    # Board"), shown under the heading before the figures; "" when not given.
    summary_for_the_board: str = ""

    @property
    def board_summary_paragraphs(self) -> tuple[str, ...]:
        """The summary's paragraphs (a blank line starts a new one), each one line
        of text with its single line breaks kept."""
        text = self.summary_for_the_board.replace("\r\n", "\n").replace("\r", "\n")
        return tuple(part.strip() for part in re.split(r"\n\s*\n", text) if part.strip())

    @property
    def action_count(self) -> int:
        return sum(len(r.actions) for r in self.recommendations)

    # Sentences every format prints word for word, so they are written once.

    @property
    def summary_sentence(self) -> str:
        """'13 actions counted across 9 recommendations; 1 marked not applicable
        (not counted).'"""
        counted = plural(self.summary.total, "action")
        across = plural(len(self.recommendations), "recommendation")
        sentence = f"{counted} counted across {across}"
        if self.summary.not_applicable:
            sentence += (f"; {self.summary.not_applicable} marked "
                         f"{self.not_applicable.label.lower()} (not counted)")
        return sentence + "."

    @property
    def comment_label(self) -> str:
        """'Why this RAG:', before each action's computed comment."""
        return COMMENT_LABEL

    @property
    def provenance(self) -> str:
        """The footer line that traces a printed copy to its workbook."""
        return provenance_line(self.as_at, self.source_file, self.source_sha_short)

    def not_applicable_note(self, count: int) -> str:
        """'+ 1 not applicable', under a recommendation's row in the summary."""
        return f"+ {count} {self.not_applicable.label.lower()}" if count else ""



def bar_shares(counts: Sequence[int], minimums: Sequence[float]) -> list[float]:
    """The summary bar's parts as shares of the whole (summing to 1): proportional
    to ``counts``, but none below its ``minimums`` share, so every part can carry
    its mark and count as text. What the small parts gain is taken from the
    others, in proportion to what each has above its own minimum. Word and the
    PDF draw their bars from this one rule."""
    total = sum(counts)
    if total <= 0:
        return []
    shares = [max(count / total, least) for count, least in zip(counts, minimums, strict=True)]
    excess = sum(shares) - 1.0
    spare = sum(share - least for share, least in zip(shares, minimums, strict=True))
    if excess > 0 and spare > 0:
        taken = min(excess / spare, 1.0)
        shares = [share - (share - least) * taken
                  for share, least in zip(shares, minimums, strict=True)]
    return shares
