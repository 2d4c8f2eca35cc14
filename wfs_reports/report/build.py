"""Building the report's view model: the plan, as assessed by the rules, in;
a ``ReportContext`` out, with every RAG, sentence and order decided."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from wfs_reports.domain.assess import AssessedAction
from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.dates import MONTH_NAMES, format_date
from wfs_reports.domain.model import Action, Brand, Plan, Rag, Status, action_number
from wfs_reports.domain.progress import COUNTED, ReportCounts
from wfs_reports.domain.rules import RulesConfig, rag_note
from wfs_reports.domain.text import paragraphs
from wfs_reports.report.compare import Previous, with_trends
from wfs_reports.report.view import (
    ActionContext,
    DueStage,
    ExceptionItem,
    Progress,
    ProgressPoint,
    RagCount,
    RecommendationContext,
    RecommendationSummary,
    ReportContext,
    Summary,
)


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

    ``history`` is what ``domain.progress.history`` chose, this report last (or ()).
    """
    styles = rules.looks  # each RAG's style, as the rules file gives it
    settings = plan.settings
    brand = brand.for_plan(settings)

    recommendations = []
    exceptions = []
    for rec in plan.recommendations:
        actions = []
        for position, item in enumerate(assessed.get(rec.ref, []), start=1):
            action, assessment = item.action, item.assessment
            number = action_number(rec.ref, position)
            actions.append(
                ActionContext(
                    row=action.row,
                    ref=rec.ref,
                    number=number,
                    action=action.action,
                    owners=action.owners,
                    completion_date=completion_date_shown(action),
                    due=tuple(
                        DueStage(s.label, s.kind, s.date.isoformat() if s.date else None,
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
                    override=action.rag_override.value if action.rag_override else None,
                    override_reason=action.override_reason,
                    last_updated=action.last_updated.isoformat() if action.last_updated
                    else None,
                    stages_complete=tuple(sorted(action.stages_complete)),
                    status_cell=action.status_text,
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
                        number=number,
                        row=action.row,
                        cell=action.cells.get(first.field, f"Actions!A{action.row}"),
                        action=action.action,
                        message=_each_once(f.message for f in assessment.findings),
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
        recommendations, changes = with_trends(recommendations, previous, styles)
    return ReportContext(
        title=settings.title,
        heading=settings.heading,
        meeting=settings.meeting,
        meeting_date=format_date(settings.meeting_date) if settings.meeting_date else "",
        as_at=format_date(as_at),
        as_at_iso=as_at.isoformat(),
        prepared_by=settings.prepared_by,
        classification=settings.classification,
        summary_for_the_board=settings.summary_for_the_board,
        source_file=source_file,
        source_sha256=source_sha256,
        source_sha_short=source_sha256[:12],
        brand=brand,
        rag_key=tuple(styles[rag] for rag in COUNTED),
        not_applicable=styles[Rag.NOT_APPLICABLE],
        summary=summary,
        exceptions=tuple(exceptions),
        rag_note=rag_note(rules),
        recommendations=tuple(recommendations),
        changes=changes,
        progress=_progress(history, as_at, summary, styles),
    )


def _each_once(messages: Iterable[str]) -> str:
    """The findings' sentences, each once: a message already said within
    another (a stale note inside an override's sentence) is left out."""
    unique = list(dict.fromkeys(m.strip() for m in messages if m.strip()))
    kept = [m for m in unique if not any(m != other and m in other for other in unique)]
    return " ".join(kept)


def _progress(history: tuple[ReportCounts, ...], as_at: dt.date, summary: Summary,
              styles: Mapping[Rag, RagStyle]) -> Progress | None:
    """The "Progress over time" numbers; this report's come from its own summary."""
    if not history:
        return None
    points = []
    for report in history:
        current = report is history[-1]
        counts = summary.counts if current else tuple(
            RagCount(styles[rag], report.count(rag.value)) for rag in COUNTED)
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


def summarise(recommendations: Sequence[RecommendationContext],
              styles: Mapping[Rag, RagStyle]) -> Summary:
    """The summary's counts, whole plan and per recommendation; not applicable
    actions counted apart and left out of the totals."""

    def counts(actions) -> tuple[RagCount, ...]:
        return tuple(
            RagCount(styles[rag], sum(1 for a in actions if a.rag.key == rag.value))
            for rag in COUNTED
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


def completion_date_shown(action: Action) -> str:
    """The completion date as the documents show it: the officer's words, or an
    Excel date cell's date written out ("31 March 2024")."""
    if action.completion_date or action.completion_date_value is None:
        return action.completion_date
    return format_date(action.completion_date_value)
