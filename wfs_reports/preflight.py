"""make-report --check: what an officer should fix before circulating.

Reads and judges the workbook exactly as a report run would, then lists the
doubtful rows by cell. Writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from wfs_reports.dates import format_date
from wfs_reports.errors import WorkbookError
from wfs_reports.model import DueKind, Rag, Status
from wfs_reports.owners import match_contacts
from wfs_reports.pipeline import judge, load_source
from wfs_reports.reader import NO_ACTIONS_WARNING, read_workbook
from wfs_reports.request_plan import is_open, resolve_plan_owners
from wfs_reports.resources import load_templates

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Item:
    severity: str  # error | warning
    group: str  # the heading it is listed under
    cell: str  # "Actions!D7", or "" for the whole file
    message: str


@dataclass(frozen=True)
class CheckResult:
    file: str
    as_at: dt.date | None
    items: tuple[Item, ...]

    @property
    def errors(self) -> int:
        return sum(1 for item in self.items if item.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for item in self.items if item.severity == WARNING)


def check_workbook(
    workbook: Path, *, as_at: dt.date | None = None, templates_folder: Path | None = None
) -> CheckResult:
    source = load_source(Path(workbook))
    rules = load_templates(templates_folder).rules
    try:
        plan = read_workbook(source.data, source.name)
    except WorkbookError as error:
        # Problems that stop the report: list them all, as errors.
        items = tuple(Item(ERROR, "Problems that stop the report", *_split_cell(p))
                      for p in error.problems)
        return CheckResult(source.name, as_at, items)

    as_at = as_at or plan.settings.as_at or dt.date.today()
    items: list[Item] = [
        Item(WARNING, "Notes from reading the workbook", *_split_cell(w.split(": ", 1)[-1]))
        for w in plan.warnings
        # Listed below in a group of their own.
        if NO_ACTIONS_WARNING not in w
    ]
    owners = resolve_plan_owners(plan)
    owned = {(a.ref, a.row): bool(keys) for a, keys in zip(plan.actions, owners.keys,
                                                           strict=True)}
    for ref, judged in judge(plan, as_at, rules).items():
        for item in judged:
            action, stages, verdict = item.action, item.stages, item.assessment
            where = action.cells
            name = f"Recommendation {ref}: {_excerpt(action.action)}"
            for stage in stages:
                label = f"{stage.label} " if stage.label else ""
                if stage.kind is DueKind.UNRECOGNISED:
                    items.append(Item(ERROR, "Completion dates that cannot be read",
                                      where["completion_date"],
                                      f"{label}'{stage.text}' is not a date we can read "
                                      f"({name})"))
                elif stage.kind is DueKind.AMBIGUOUS:
                    items.append(Item(ERROR, "Ambiguous completion dates",
                                      where["completion_date"],
                                      f"{label}'{stage.text}' could be a calendar or a "
                                      f"financial year; write e.g. 'Q2 2024-25' ({name})"))
                elif stage.kind is DueKind.TBC and action.status not in (
                        Status.COMPLETED, Status.NOT_APPLICABLE):
                    items.append(Item(WARNING, "Completion dates to be confirmed",
                                      where["completion_date"], f"{label}date TBC ({name})"))
            if not owned[(action.ref, action.row)] and is_open(item):
                # Blank or TBC: nobody will be asked for an update (make-report --requests).
                written = f"'{action.owners}': " if action.owners else ""
                items.append(Item(WARNING, "Actions with no owner", where["owners"],
                                  f"{written}{name}"))
            future = [s.date for s in stages if s.date and s.date > as_at]
            if action.status is Status.COMPLETED and future:
                items.append(Item(WARNING, "Completed, but the completion date is still ahead",
                                  where["status"],
                                  f"due {format_date(max(future))}; check the status or the "
                                  f"date ({name})"))
            if (verdict.computed_rag is Rag.MISSED and action.status is Status.IN_PROGRESS
                    and not action.comments):
                items.append(Item(WARNING, "Overdue, in progress and no comment",
                                  where["comments"],
                                  f"say what is happening ({name})"))
            for finding in verdict.findings:
                if finding.kind == "stale":
                    items.append(Item(WARNING, "Updates older than "
                                      f"{rules.stale_days} days",
                                      where["last_updated"], f"{finding.message} ({name})"))
                elif finding.kind == "override_refused":
                    items.append(Item(ERROR, "Overrides not applied (no reason)",
                                      where["rag_override"], f"{finding.message} ({name})"))
            if (action.rag_override is not None and not action.override_reason
                    and verdict.rag_source == "override"):
                items.append(Item(WARNING, "Overrides without a reason",
                                  where["override_reason"],
                                  f"'{action.rag_override_text}' applied; say why ({name})"))
    _addresses, address_problems = match_contacts(plan.contacts, owners)
    for problem in (*owners.problems, *address_problems):
        items.append(Item(WARNING, "Owners to check", problem.where, problem.message))
    for rec in plan.recommendations:
        if not rec.actions:
            items.append(Item(WARNING, "Recommendations with no action",
                              f"Recommendations!A{rec.row}", f"Recommendation {rec.ref}"))
    return CheckResult(source.name, as_at, tuple(items))


def _split_cell(problem: str) -> tuple[str, str]:
    """'Actions!D7: message' -> ('Actions!D7', 'message')."""
    head, _, rest = problem.partition(": ")
    if "!" in head and rest:
        return head, rest
    return "", problem


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _excerpt(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def format_check(result: CheckResult, colour: bool = False) -> str:
    """The terminal report: grouped by severity then heading, counted."""

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    when = f" as at {format_date(result.as_at)}" if result.as_at else ""
    lines = [f"Checking {result.file}{when}"]
    for severity, title, code in ((ERROR, "Errors", "1;31"), (WARNING, "Warnings", "1;33")):
        chosen = [item for item in result.items if item.severity == severity]
        if not chosen:
            continue
        lines += ["", paint(f"{title} ({len(chosen)})", code)]
        groups: dict[str, list[Item]] = {}
        for item in chosen:
            groups.setdefault(item.group, []).append(item)
        for group, members in groups.items():
            lines.append(f"  {group} ({len(members)})")
            width = max(len(m.cell) for m in members)
            for member in members:
                lines.append(f"    {member.cell:<{width}}  {member.message}".rstrip())
    lines.append("")
    errors, warnings = _count(result.errors, "error"), _count(result.warnings, "warning")
    if result.errors:
        lines.append(paint(f"{errors}, {warnings}: fix the errors before circulating the "
                           "report.", "1;31"))
    elif result.warnings:
        lines.append(f"No errors, {warnings} to look at.")
    else:
        lines.append(paint("No problems found.", "32"))
    return "\n".join(lines)
