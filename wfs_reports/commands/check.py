"""make-report --check: what an officer should fix before circulating.

Reads and assesses the workbook exactly as a report run would, then lists the
doubtful rows by cell. Writes nothing. Problems that stop the report do not
stop the check: it goes on with the rows it could read, so one pass lists
everything there is to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from wfs_reports.config import load_templates
from wfs_reports.domain.assess import AssessedAction, assess_plan, choose_as_at
from wfs_reports.domain.checks import HEADINGS, carried_over, check_plan
from wfs_reports.domain.dates import format_date
from wfs_reports.domain.errors import WorkbookError
from wfs_reports.domain.model import Plan
from wfs_reports.domain.owners import match_contacts
from wfs_reports.domain.problems import Kind, Problem, Severity
from wfs_reports.domain.rules import RulesConfig
from wfs_reports.domain.text import plural
from wfs_reports.report.snapshot import earlier_reports, load_previous
from wfs_reports.requests.plan import resolve_plan_owners
from wfs_reports.workbook.reader import inspect_workbook
from wfs_reports.workbook.source import load_source

# The heading of the problems that stop the report (the reader's errors).
STOPPING = "Problems that stop the report"


@dataclass(frozen=True)
class Item:
    severity: Severity
    group: str  # the heading it is listed under
    cell: str  # "Actions!D7", or "" for the whole file
    message: str


@dataclass(frozen=True)
class CheckResult:
    file: str
    as_at: dt.date | None
    items: tuple[Item, ...]
    today: bool = False  # as_at is today's date: neither --as-at nor the workbook gave one

    @property
    def errors(self) -> int:
        return sum(1 for item in self.items if item.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for item in self.items if item.severity is Severity.WARNING)


def check_workbook(
    workbook: Path, *, as_at: dt.date | None = None, templates_folder: Path | None = None,
    out: Path | None = None, previous: Path | None = None,
) -> CheckResult:
    """``out`` is the output folder whose newest earlier report (or the
    ``previous`` snapshot) the overrides are checked against; None: neither."""
    source = load_source(Path(workbook))
    rules = load_templates(templates_folder).rules
    try:
        reading = inspect_workbook(source.data, source.name, rules.labels())
    except WorkbookError as error:
        # The file cannot be opened as a workbook at all: that is all there is to say.
        return CheckResult(source.name, as_at, tuple(_stopping(error.problems)))
    # Problems that stop the report, then everything else about the rows that
    # could still be read: one pass lists all there is to fix.
    plan = reading.plan
    items = _stopping(reading.problems)
    today = as_at is None and plan.settings.as_at is None
    as_at, _from = choose_as_at(as_at, plan, None)
    items += _reading_notes([*source.warnings, *plan.warnings])
    assessed = assess_plan(plan, as_at, rules)
    items += _findings(plan, assessed, as_at, rules, rows_unread=bool(reading.problems),
                       out=out, previous=previous)
    items += _owners_to_check(plan)
    return CheckResult(source.name, as_at, tuple(items), today)


def _stopping(problems: Iterable[Problem]) -> list[Item]:
    return [Item(Severity.ERROR, STOPPING, p.where, p.message) for p in problems]


def _reading_notes(warnings: Iterable[Problem]) -> list[Item]:
    return [
        Item(Severity.WARNING, "Notes from reading the workbook", w.where, w.message)
        for w in warnings
        # Listed below in a group of their own.
        if w.kind is not Kind.RECOMMENDATION_EMPTY
    ]


def _findings(plan: Plan, assessed: dict[int, list[AssessedAction]], as_at: dt.date,
              rules: RulesConfig, *, rows_unread: bool, out: Path | None,
              previous: Path | None) -> list[Item]:
    """The rules' findings, grouped under their headings; overrides carried over
    from the ``previous`` snapshot, else the newest earlier report in ``out``."""
    problems = check_plan(plan, assessed, as_at, rules.stale_days)
    if rows_unread:
        # Rows that could not be read are not in the plan, so a recommendation
        # may only look empty: say nothing of it until the problems are fixed.
        problems = [p for p in problems if p.kind is not Kind.RECOMMENDATION_EMPTY]
    last = (load_previous(previous) if previous is not None
            else earlier_reports(Path(out), plan.settings.title, as_at).newest
            if out is not None else None)
    if last is not None:
        problems += carried_over(assessed, last.records, last.as_at)
    order = list(HEADINGS)
    return [Item(problem.severity, HEADINGS[problem.kind].format(stale_days=rules.stale_days),
                 problem.where, problem.message)
            for problem in sorted(problems, key=lambda p: order.index(p.kind))]


def _owners_to_check(plan: Plan) -> list[Item]:
    owners = resolve_plan_owners(plan)
    _addresses, address_problems = match_contacts(plan.contacts, owners)
    return [Item(Severity.WARNING, "Owners to check", problem.where, problem.message)
            for problem in (*owners.problems, *address_problems)]


def format_check(result: CheckResult, colour: bool = False) -> str:
    """The terminal report: grouped by severity then heading, counted."""

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    when = f" as at {format_date(result.as_at)}" if result.as_at else ""
    if result.today:
        when += (" (today's date: the workbook gives no 'As at'; give one in the Report "
                 "sheet or with --as-at)")
    lines = [f"Checking {result.file}{when}"]
    for severity, title, code in ((Severity.ERROR, "Errors", "1;31"),
                                  (Severity.WARNING, "Warnings", "1;33"),
                                  (Severity.INFO, "Good to know", "1;32")):
        chosen = [item for item in result.items if item.severity is severity]
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
    errors, warnings = plural(result.errors, "error"), plural(result.warnings, "warning")
    if result.errors:
        lines.append(paint(f"{errors}, {warnings}: fix the errors before circulating the "
                           "report.", "1;31"))
    elif result.warnings:
        lines.append(f"No errors, {warnings} to look at.")
    else:
        lines.append(paint("No problems found.", "32"))
    return "\n".join(lines)
