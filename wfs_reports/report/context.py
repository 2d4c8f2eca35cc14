"""The report context: everything the three renderers print, already decided.

Renderers take a ``ReportContext`` and only lay it out; they make no decisions
about RAG, wording or order. That is what keeps the Word, PDF and JSON
documents from drifting apart. All text fields are plain ``str`` (officer text
verbatim, line breaks as "\\n"); renderers escape it for their own format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from wfs_reports.domain.assess import AssessedAction
from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.dates import MONTH_NAMES, format_date
from wfs_reports.domain.model import Action, Brand, Plan, Rag, Status
from wfs_reports.domain.progress import ReportCounts
from wfs_reports.domain.rules import RulesConfig, rag_note
from wfs_reports.domain.text import excerpt, paragraphs
from wfs_reports.domain.trend import Record, match_actions


@dataclass(frozen=True)
class DueStage:
    stage: str | None
    kind: str  # date | ongoing | tbc | unrecognised | ambiguous
    date: str | None  # ISO date
    text: str


@dataclass(frozen=True)
class ActionContext:
    row: int  # row in the Actions sheet
    ref: int
    action: str
    owners: str
    completion_date: str  # as written; an Excel date as "31 March 2024"
    due: tuple[DueStage, ...]
    status: str
    comments: str  # the officer's words, verbatim
    computed_comment: str  # the system's sentence, shown apart from them
    rag: RagStyle
    rag_source: str  # "computed" | "override"
    # Against the last report; None when there is no earlier snapshot.
    rag_previous: RagStyle | None = None
    trend: str | None = None  # better | same | worse | new
    # Field name -> the cell it came from ("action" -> "Actions!B7"), for messages.
    cells: Mapping[str, str] = field(default_factory=dict)

    @property
    def trend_text(self) -> str:
        """'↑ better': an arrow and the word, so it reads without colour."""
        return f"{TREND_ARROWS[self.trend]} {self.trend}" if self.trend else ""


TREND_ARROWS = {"better": "↑", "same": "→", "worse": "↓", "new": "+"}


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
    kind: str  # missed | date_tbc | date_unreadable | date_ambiguous | override_refused | stale
    ref: int
    row: int
    cell: str  # "Actions!D5"
    action: str  # a short excerpt of the action text
    message: str  # every issue the action has, one sentence each
    kinds: tuple[str, ...] = ()  # every issue's kind, ``kind`` first


@dataclass(frozen=True)
class ChangeItem:
    ref: int
    row: int | None  # None for an action no longer in the workbook
    action: str  # a short excerpt
    detail: str  # "31 March 2024 → 30 June 2024", "On target… → Missed…"


@dataclass(frozen=True)
class Changes:
    """What changed since the last report: the Board's first question."""

    previous_as_at: str  # "22 November 2023"
    previous_file: str
    new: tuple[ChangeItem, ...]
    completed: tuple[ChangeItem, ...]
    slipped: tuple[ChangeItem, ...]
    rag_changes: tuple[ChangeItem, ...]
    removed: tuple[ChangeItem, ...]

    @property
    def groups(self) -> tuple[tuple[str, tuple[ChangeItem, ...]], ...]:
        """The non-empty lists, titled, in the order the Board reads them."""
        titled = (
            ("RAG changes", self.rag_changes),
            ("Completed since the last report", self.completed),
            ("Slipped: due date moved later", self.slipped),
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

    @property
    def action_count(self) -> int:
        return sum(len(r.actions) for r in self.recommendations)

    # Sentences every format prints word for word, so they are written once.

    @property
    def summary_sentence(self) -> str:
        """'13 actions counted across 9 recommendations; 1 marked not applicable
        (not counted).'"""
        counted = _plural(self.summary.total, "action")
        across = _plural(len(self.recommendations), "recommendation")
        sentence = f"{counted} counted across {across}"
        if self.summary.not_applicable:
            sentence += (f"; {self.summary.not_applicable} marked "
                         f"{self.not_applicable.label.lower()} (not counted)")
        return sentence + "."

    @property
    def provenance(self) -> str:
        """The footer line that traces a printed copy to its workbook."""
        return (f"Position as at {self.as_at} · Source: {self.source_file} · "
                f"SHA-256 {self.source_sha_short}")

    def not_applicable_note(self, count: int) -> str:
        """'+ 1 not applicable', under a recommendation's row in the summary."""
        return f"+ {count} {self.not_applicable.label.lower()}" if count else ""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# -- building the context ---------------------------------------------------

_COUNTED = (Rag.COMPLETED, Rag.MINOR_ISSUES, Rag.MISSED)


def build_context(
    plan: Plan,
    assessed: dict[int, list[AssessedAction]],
    *,
    as_at: dt.date,
    source_file: str,
    source_sha256: str,
    brand: Brand,
    rules: RulesConfig,
    previous: Previous | None = None,
    history: tuple[ReportCounts, ...] = (),
) -> ReportContext:
    """Decide everything the documents show. ``assessed`` maps a ref to its actions.

    ``history`` is what ``progress.history`` chose, this report last (or ()).
    """
    styles = rules.looks  # each RAG's style, as the rules file gives it
    settings = plan.settings
    brand = brand.for_plan(settings)

    recommendations = []
    exceptions = []
    for rec in plan.recommendations:
        actions = []
        for item in assessed.get(rec.ref, []):
            action, assessment = item.action, item.assessment
            actions.append(
                ActionContext(
                    row=action.row,
                    ref=rec.ref,
                    action=action.action,
                    owners=action.owners,
                    completion_date=completion_date_shown(action),
                    due=tuple(
                        DueStage(s.label, s.kind.value, s.date.isoformat() if s.date else None,
                                 s.text)
                        for s in item.stages
                    ),
                    status=action.status.value if action.status is not Status.BLANK
                    else action.status_text,
                    comments=action.comments,
                    computed_comment=assessment.comment,
                    rag=styles[assessment.rag],
                    rag_source=assessment.rag_source,
                    cells=dict(action.cells),
                )
            )
            if assessment.findings:
                # One row per action, however many issues it has (its date and a
                # stale update, say): the Board reads a list of actions.
                first = assessment.findings[0]
                exceptions.append(
                    ExceptionItem(
                        kind=first.kind,
                        ref=rec.ref,
                        row=action.row,
                        cell=action.cells.get(first.field, f"Actions!A{action.row}"),
                        action=excerpt(action.action, 90),
                        message=" ".join(dict.fromkeys(f.message for f in assessment.findings)),
                        kinds=tuple(dict.fromkeys(f.kind for f in assessment.findings)),
                    )
                )
        recommendations.append(
            RecommendationContext(
                ref=rec.ref,
                heading=f"Recommendation {rec.ref}",
                anchor=f"recommendation-{rec.ref}",
                text=rec.text,
                comments_from_service=paragraphs(rec.comments_from_service),
                actions=tuple(actions),
                row=rec.row,
            )
        )

    summary = summarise(recommendations, styles)
    changes = None
    if previous is not None:
        recommendations, changes = _with_trends(recommendations, previous, styles)
    return ReportContext(
        title=settings.title,
        heading=settings.heading,
        meeting=settings.meeting,
        meeting_date=format_date(settings.meeting_date) if settings.meeting_date else "",
        as_at=format_date(as_at),
        as_at_iso=as_at.isoformat(),
        prepared_by=settings.prepared_by,
        classification=settings.classification,
        source_file=source_file,
        source_sha256=source_sha256,
        source_sha_short=source_sha256[:12],
        brand=brand,
        rag_key=tuple(styles[rag] for rag in _COUNTED),
        not_applicable=styles[Rag.NOT_APPLICABLE],
        summary=summary,
        exceptions=tuple(exceptions),
        rag_note=rag_note(rules),
        recommendations=tuple(recommendations),
        changes=changes,
        progress=_progress(history, as_at, summary, styles),
    )


def _progress(history: tuple[ReportCounts, ...], as_at: dt.date, summary: Summary,
              styles: Mapping[Rag, RagStyle]) -> Progress | None:
    """The "Progress over time" numbers; this report's come from its own summary."""
    if not history:
        return None
    points = []
    for report in history:
        current = report is history[-1]
        counts = summary.counts if current else tuple(
            RagCount(styles[rag], report.count(rag.value)) for rag in _COUNTED)
        points.append(ProgressPoint(
            as_at=format_date(report.as_at),
            as_at_iso=report.as_at.isoformat(),
            label=f"{report.as_at.day} {MONTH_NAMES[report.as_at.month - 1][:3]} "
                  f"{report.as_at.year}",
            counts=counts,
            total=summary.total if current else sum(c.count for c in counts),
            current=current,
        ))
    if points[-1].as_at_iso != as_at.isoformat():
        raise ValueError("the history must end with this report")
    return Progress(tuple(points))


@dataclass(frozen=True)
class Previous:
    """The last report, as its JSON snapshot recorded it."""

    as_at: dt.date
    file: str
    records: tuple[Record, ...]


def _final_due(due: tuple[DueStage, ...]) -> str | None:
    dates = [d.date for d in due if d.date]
    return max(dates) if dates else None


def _with_trends(recommendations, previous: Previous, styles):
    """Attach each action's previous RAG and trend; list what changed."""
    by_key = {style.key: style for style in styles.values()}
    current = [
        Record(a.ref, a.row, a.action, a.rag.key, _final_due(a.due))
        for r in recommendations for a in r.actions
    ]
    matches, removed = match_actions(current, list(previous.records))
    found = {(m.current.ref, m.current.row): m for m in matches}
    new, completed, slipped, rag_changes = [], [], [], []
    updated = []
    for rec in recommendations:
        actions = []
        for a in rec.actions:
            match = found[(a.ref, a.row)]
            before = by_key.get(match.previous.rag) if match.previous else None
            actions.append(replace(a, rag_previous=before, trend=match.trend))
            item = partial(ChangeItem, a.ref, a.row, excerpt(a.action, 90))
            if match.previous is None:
                new.append(item(a.rag.label))
                continue
            if a.rag.key == Rag.COMPLETED.value and match.previous.rag != a.rag.key:
                completed.append(item(f"was {before.label if before else match.previous.rag}"))
            if match.slipped:
                slipped.append(item(
                    f"{_iso_to_text(match.previous.final_due)} → "
                    f"{_iso_to_text(match.current.final_due)}"))
            if match.previous.rag != a.rag.key:
                was = before.label if before else match.previous.rag
                rag_changes.append(item(f"{was} → {a.rag.label} ({match.trend})"))
        updated.append(replace(rec, actions=tuple(actions)))
    gone = tuple(
        ChangeItem(r.ref, None, excerpt(r.action, 90),
                   f"was row {r.row}, {by_key[r.rag].label if r.rag in by_key else r.rag}")
        for r in removed
    )
    changes = Changes(
        previous_as_at=format_date(previous.as_at),
        previous_file=previous.file,
        new=tuple(new),
        completed=tuple(completed),
        slipped=tuple(slipped),
        rag_changes=tuple(rag_changes),
        removed=gone,
    )
    return updated, changes


def _iso_to_text(iso: str | None) -> str:
    return format_date(dt.date.fromisoformat(iso)) if iso else "no date"


def summarise(recommendations: Sequence[RecommendationContext],
              styles: Mapping[Rag, RagStyle]) -> Summary:
    """The summary's counts, whole plan and per recommendation; not applicable
    actions counted apart and left out of the totals."""

    def counts(actions) -> tuple[RagCount, ...]:
        return tuple(
            RagCount(styles[rag], sum(1 for a in actions if a.rag.key == rag.value))
            for rag in _COUNTED
        )

    def not_applicable(actions) -> int:
        return sum(1 for a in actions if a.rag.key == Rag.NOT_APPLICABLE.value)

    every_action = [a for r in recommendations for a in r.actions]
    return Summary(
        total=len(every_action) - not_applicable(every_action),
        counts=counts(every_action),
        not_applicable=not_applicable(every_action),
        per_recommendation=tuple(
            RecommendationSummary(
                ref=r.ref,
                heading=r.heading,
                total=len(r.actions) - not_applicable(r.actions),
                counts=counts(r.actions),
                not_applicable=not_applicable(r.actions),
            )
            for r in recommendations
        ),
    )


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


def completion_date_shown(action: Action) -> str:
    """The completion date as the documents show it: the officer's words, or an
    Excel date cell's date written out ("31 March 2024")."""
    if action.completion_date or action.completion_date_value is None:
        return action.completion_date
    return format_date(action.completion_date_value)
