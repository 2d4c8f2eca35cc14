"""What an officer should fix before circulating: one list, by cell.

The same problems feed ``make-report --check`` (all of them, grouped) and the
end of a normal run (the errors, briefly), so the two can never disagree. Pure:
it takes the plan as assessed by the rules and opens nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from wfs_reports.domain.assess import AssessedAction
from wfs_reports.domain.dates import format_date
from wfs_reports.domain.model import Action, DueKind, Plan, Rag, ReportSettings, Stage, Status
from wfs_reports.domain.owners import is_unowned
from wfs_reports.domain.problems import Kind, Problem, Severity, split_where
from wfs_reports.domain.rules import FindingKind, RagSource
from wfs_reports.domain.text import excerpt
from wfs_reports.domain.trend import Record, match_actions, same_text

# The heading each kind is listed under in --check, in the order shown.
HEADINGS: dict[Kind, str] = {
    Kind.MEETING_DATE: "Meeting date to check",
    Kind.DATE_UNREADABLE: "Completion dates that cannot be read",
    Kind.DATE_AMBIGUOUS: "Ambiguous completion dates",
    Kind.OVERRIDE_REFUSED: "Overrides not applied (no reason)",
    Kind.DATE_TBC: "Completion dates to be confirmed",
    Kind.DATE_RECURRING: "Recurring completion dates, read as ongoing",
    Kind.NO_OWNER: "Actions with no owner",
    Kind.OVERDUE_NO_COMMENT: "Overdue with no comment",
    Kind.STALE: "Updates older than {stale_days} days",
    Kind.OVERRIDE_NO_REASON: "Overrides without a reason",
    Kind.OVERRIDE_CARRIED_OVER: "Overrides carried over from the last report",
    Kind.DUPLICATE_ACTION: "Actions with the same text",
    Kind.RECOMMENDATION_EMPTY: "Recommendations with no action",
    Kind.COMPLETED_EARLY: "Completed ahead of the completion date",
}


def check_plan(
    plan: Plan, assessed: Mapping[int, Sequence[AssessedAction]], as_at: dt.date, stale_days: int
) -> list[Problem]:
    """Every problem in the assessed plan, in workbook order.

    ``assessed`` is ``domain.assess.assess_plan``'s result: for each recommendation ref, its
    actions with their date stages and the rules' assessment.
    """
    problems: list[Problem] = meeting_date_problems(plan.settings, as_at)
    for ref, items in assessed.items():
        for item in items:
            problems += _action_problems(ref, item, as_at, stale_days)
    for rec in plan.recommendations:
        if not rec.actions:
            problems.append(Problem(Kind.RECOMMENDATION_EMPTY, Severity.WARNING,
                                    f"Recommendation {rec.ref}", "Recommendations",
                                    f"A{rec.row}"))
    return problems + duplicate_actions(plan)


def duplicate_actions(plan: Plan) -> list[Problem]:
    """Actions worded the same (case, spacing and punctuation aside) under one
    recommendation: the comparison with the last report can tell them apart
    only by their due dates and order."""
    found = []
    for rec in plan.recommendations:
        first: dict[str, Action] = {}
        for action in rec.actions:
            text = same_text(action.action)
            if not text:
                continue
            earlier = first.setdefault(text, action)
            if earlier is action or "action" not in action.cells:
                continue
            sheet, cell = split_where(action.cells["action"])
            found.append(Problem(
                Kind.DUPLICATE_ACTION, Severity.WARNING,
                f"the same action text as row {earlier.row} under Recommendation {rec.ref}; "
                "reports match the two by due date and order, so word each differently "
                f"(Recommendation {rec.ref}: {excerpt(action.action)})", sheet, cell))
    return found


def carried_over(assessed: Mapping[int, Sequence[AssessedAction]], previous: Sequence[Record],
                 previous_as_at: dt.date) -> list[Problem]:
    """Overrides whose reason is word for word the last report's (``previous``,
    its actions as its snapshot recorded them): left in by habit, perhaps."""
    items = [(ref, item) for ref, group in assessed.items() for item in group]
    current = [
        Record(ref, item.action.row, item.action.action, item.assessment.rag.value,
               _final_due(item.stages))
        for ref, item in items
    ]
    matches, _removed = match_actions(current, list(previous))
    found = []
    for (ref, item), match in zip(items, matches, strict=True):
        action, then = item.action, match.previous
        reason = " ".join(action.override_reason.split())
        if (action.rag_override is None or not reason or then is None or then.reason is None
                or then.override is None or " ".join(then.reason.split()) != reason):
            continue
        where = action.cells.get("override_reason") or action.cells.get("rag_override")
        if not where:
            continue
        sheet, cell = split_where(where)
        found.append(Problem(
            Kind.OVERRIDE_CARRIED_OVER, Severity.WARNING,
            f"override '{action.rag_override_text}' carried over from the last report: is it "
            f"still right? Its reason is word for word the one in the report as at "
            f"{format_date(previous_as_at)}; bring the reason up to date, or remove the "
            f"override (Recommendation {ref}: {excerpt(action.action)})",
            sheet, cell))
    return found


def _final_due(stages: Sequence[Stage]) -> str | None:
    """The ISO date of the latest dated stage, as a snapshot records it."""
    dates = [stage.date for stage in stages if stage.date is not None]
    return max(dates).isoformat() if dates else None


# A meeting further than this after the as-at date is most likely a wrong year.
MEETING_MONTHS_AFTER = 6


def meeting_date_problems(settings: ReportSettings, as_at: dt.date) -> list[Problem]:
    """A Meeting date the Board could not meet on for a report as at ``as_at``:
    before it, or more than six months after it (a year mistyped, or last time's)."""
    meeting = settings.meeting_date
    if meeting is None:
        return []
    sheet, cell = split_where(settings.cells.get("meeting_date", ""))
    said = f"the Meeting date, {format_date(meeting)},"
    if meeting < as_at:
        message = (f"{said} is before the as-at date ({format_date(as_at)}); correct the "
                   "Meeting date to the meeting this report is for (or the As at date)")
    elif meeting > _months_after(as_at, MEETING_MONTHS_AFTER):
        message = (f"{said} is more than {MEETING_MONTHS_AFTER} months after the as-at date "
                   f"({format_date(as_at)}); check its year (or the As at date)")
    else:
        return []
    return [Problem(Kind.MEETING_DATE, Severity.WARNING, message, sheet, cell)]


def _months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or that month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return min(day.replace(year=year, month=month, day=1) + dt.timedelta(days=day.day - 1),
               following - dt.timedelta(days=1))


def _action_problems(
    ref: int, item: AssessedAction, as_at: dt.date, stale_days: int
) -> list[Problem]:
    action, stages, assessment = item.action, item.stages, item.assessment
    where = action.cells
    name = f"Recommendation {ref}: {excerpt(action.action)}"
    open_action = action.status not in (Status.COMPLETED, Status.NOT_APPLICABLE)
    found: list[Problem] = []

    def add(kind: Kind, severity: Severity, field: str, message: str) -> None:
        if field not in where:
            return  # the sheet has no such column: the reader said so, once
        sheet, cell = split_where(where[field])
        found.append(Problem(kind, severity, f"{message} ({name})", sheet, cell))

    for stage in stages:
        label = f"{stage.label} " if stage.label else ""
        if stage.kind is DueKind.UNRECOGNISED:
            add(Kind.DATE_UNREADABLE, Severity.ERROR, "completion_date",
                f"{label}'{stage.text}' is not a date we can read; write it day first, "
                "e.g. 31/03/2024, or as 'Q4 2023-24'")
        elif stage.kind is DueKind.AMBIGUOUS:
            add(Kind.DATE_AMBIGUOUS, Severity.ERROR, "completion_date",
                f"{label}'{stage.text}' could be a calendar or a financial year; write "
                "e.g. 'Q2 2024-25'")
        elif stage.kind is DueKind.TBC and open_action:
            add(Kind.DATE_TBC, Severity.WARNING, "completion_date", f"{label}date TBC")
        elif stage.kind is DueKind.ONGOING and stage.recurrence and open_action:
            add(Kind.DATE_RECURRING, Severity.WARNING, "completion_date",
                f"{label}'{stage.text}' recurs ({stage.recurrence}), so it is read as "
                "ongoing: it has no due date and is never shown as missed; write the next "
                "due date (e.g. 31/03/2025) if there is one, or start the cell with "
                "'Ongoing' if there is none")
    if is_unowned(action.owners) and open_action:  # blank, TBC and the like
        written = " ".join(action.owners.split())
        add(Kind.NO_OWNER, Severity.WARNING, "owners",
            f"owner '{written}' names nobody yet; name who will do it" if written
            else "no owner; name who will do it")
    future = [s.date for s in stages if s.date and s.date > as_at]
    if action.status is Status.COMPLETED and future:
        add(Kind.COMPLETED_EARLY, Severity.INFO, "status",
            f"completed ahead of {format_date(max(future))}")
    if (assessment.computed_rag is Rag.MISSED and open_action and not action.comments):
        status = "not started" if action.status is Status.NOT_STARTED else "in progress"
        add(Kind.OVERDUE_NO_COMMENT, Severity.WARNING, "comments",
            f"overdue, {status} and no comment; say what is happening")
    for finding in assessment.findings:
        if finding.kind is FindingKind.STALE:
            add(Kind.STALE, Severity.WARNING, "last_updated", finding.message)
        elif finding.kind is FindingKind.OVERRIDE_REFUSED:
            add(Kind.OVERRIDE_REFUSED, Severity.ERROR, "rag_override",
                f"{finding.message} {finding.to_do}".strip())
    if (action.rag_override is not None and not action.override_reason
            and assessment.rag_source is RagSource.OVERRIDE):
        add(Kind.OVERRIDE_NO_REASON, Severity.WARNING, "override_reason",
            f"'{action.rag_override_text}' applied; say why in Override Reason")
    return found
