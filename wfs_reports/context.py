"""The report context: everything the three renderers print, already decided.

Renderers take a ``ReportContext`` and only lay it out; they make no decisions
about RAG, wording or order. That is what keeps the Word, PDF and JSON
documents from drifting apart. All text fields are plain ``str`` (officer text
verbatim, line breaks as "\\n"); renderers escape it for their own format.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from wfs_reports.dates import format_date
from wfs_reports.model import Action, Plan, Rag, Stage, Status
from wfs_reports.rules import Assessment, RulesConfig, rag_note


@dataclass(frozen=True)
class RagStyle:
    key: str  # "completed", "minor_issues", "missed", "not_applicable"
    label: str  # "Completed Action"
    fill: str  # "#00703c", or "" for no fill
    text_colour: str  # "#ffffff"
    mark: str  # a short non-colour cue shown beside the label


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
    completion_date: str  # as written (an Excel date shown as 31/03/2024)
    due: tuple[DueStage, ...]
    status: str
    comments: str  # the officer's words, verbatim
    computed_comment: str  # the system's sentence, shown apart from them
    rag: RagStyle
    rag_source: str  # "computed" | "override"


@dataclass(frozen=True)
class RecommendationContext:
    ref: int
    heading: str  # "Recommendation 1"
    anchor: str  # "recommendation-1", for bookmarks and links
    text: str
    comments_from_service: tuple[str, ...]  # paragraphs
    actions: tuple[ActionContext, ...]


@dataclass(frozen=True)
class ExceptionItem:
    kind: str  # missed | date_tbc | date_unreadable | date_ambiguous | override_refused | stale
    ref: int
    row: int
    cell: str  # "Actions!D5"
    action: str  # a short excerpt of the action text
    message: str


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
class Brand:
    organisation: str
    strapline: str
    primary: str  # headings, rules
    accent: str  # table header fill
    accent_text: str  # text on the accent fill
    logo: str | None = None  # path to an image inside the templates folder
    logo_alt: str = ""


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
    generator: str = field(default="wfs-reports")

    @property
    def action_count(self) -> int:
        return sum(len(r.actions) for r in self.recommendations)


# -- building the context ---------------------------------------------------

_COUNTED = (Rag.COMPLETED, Rag.MINOR_ISSUES, Rag.MISSED)


@dataclass(frozen=True)
class JudgedAction:
    """An action with its due stages and the rules' verdict."""

    action: Action
    stages: tuple[Stage, ...]
    assessment: Assessment


def build_context(
    plan: Plan,
    judged: dict[int, list[JudgedAction]],
    *,
    as_at: dt.date,
    source_file: str,
    source_sha256: str,
    brand: Brand,
    rules: RulesConfig,
) -> ReportContext:
    """Decide everything the documents show. ``judged`` maps a ref to its actions."""
    styles = {
        rag: RagStyle(rag.value, look.label, look.fill, look.text, look.mark)
        for rag, look in rules.looks.items()
    }
    settings = plan.settings
    if settings.organisation:
        brand = replace(brand, organisation=settings.organisation)

    recommendations = []
    exceptions = []
    for rec in plan.recommendations:
        actions = []
        for item in judged.get(rec.ref, []):
            action, assessment = item.action, item.assessment
            actions.append(
                ActionContext(
                    row=action.row,
                    ref=rec.ref,
                    action=action.action,
                    owners=action.owners,
                    completion_date=action.completion_date,
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
                )
            )
            for finding in assessment.findings:
                exceptions.append(
                    ExceptionItem(
                        kind=finding.kind,
                        ref=rec.ref,
                        row=action.row,
                        cell=action.cells.get(finding.field, f"Actions!A{action.row}"),
                        action=_excerpt(action.action),
                        message=finding.message,
                    )
                )
        recommendations.append(
            RecommendationContext(
                ref=rec.ref,
                heading=f"Recommendation {rec.ref}",
                anchor=f"recommendation-{rec.ref}",
                text=rec.text,
                comments_from_service=_paragraphs(rec.comments_from_service),
                actions=tuple(actions),
            )
        )

    def counts(actions) -> tuple[RagCount, ...]:
        return tuple(
            RagCount(styles[rag], sum(1 for a in actions if a.rag.key == rag.value))
            for rag in _COUNTED
        )

    def not_applicable(actions) -> int:
        return sum(1 for a in actions if a.rag.key == Rag.NOT_APPLICABLE.value)

    every_action = [a for r in recommendations for a in r.actions]
    summary = Summary(
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
    )


def _paragraphs(text: str) -> tuple[str, ...]:
    """Split on blank lines; single line breaks stay inside a paragraph."""
    return tuple(p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip())


def _excerpt(text: str, limit: int = 90) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
