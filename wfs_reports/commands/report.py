"""The whole run, one line per stage: read, assess, decide, render, write.

Everything is gathered and rendered in memory before anything is written, so a
failed run writes nothing and leaves the previous report intact.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from wfs_reports.commands._history import as_at_order, shown_out_of_order, title_changed
from wfs_reports.commands._render import output_stem, render, side_processes
from wfs_reports.config import Templates, load_templates
from wfs_reports.domain.assess import AssessedAction, assess_plan, choose_as_at
from wfs_reports.domain.checks import (
    carried_over,
    check_plan,
    duplicate_actions,
    meeting_date_problems,
)
from wfs_reports.domain.dates import format_date
from wfs_reports.domain.errors import OutputError, ReportError
from wfs_reports.domain.model import Plan
from wfs_reports.domain.problems import Problem, Severity
from wfs_reports.domain.progress import ReportCounts, history
from wfs_reports.output.lock import LOCK_WAIT, folder_lock
from wfs_reports.output.writer import write_outputs
from wfs_reports.render.formats import DEFAULT_FORMATS, FORMATS
from wfs_reports.report.build import build_context
from wfs_reports.report.compare import Previous
from wfs_reports.report.snapshot import EarlierReports, earlier_reports, load_previous
from wfs_reports.report.view import ReportContext
from wfs_reports.workbook.reader import read_workbook
from wfs_reports.workbook.source import Source, load_source


@dataclass
class Result:
    recommendations_read: int
    actions_read: int
    recommendations_rendered: int
    actions_rendered: int
    written: list[Path]
    # Everything worth saying that did not stop the run, workbook and renderers alike.
    warnings: list[Problem] = field(default_factory=list)
    context: ReportContext | None = None
    # What the officer should know that is not a problem (an earlier set kept).
    notes: list[str] = field(default_factory=list)
    as_at_line: str = ""  # "As at 22 November 2023, from Report!B7."
    compared_line: str = ""  # "Compared with the report as at 30 September 2023 (...)."
    # Problems --check calls errors: the report is written, and says them, but
    # the officer should fix them before circulating it.
    to_fix: list[Problem] = field(default_factory=list)

    def reconciliation(self) -> str:
        files = ", ".join(p.name for p in self.written)
        return (
            f"Read {self.recommendations_read} recommendations and {self.actions_read} "
            f"actions; rendered {self.recommendations_rendered} recommendations and "
            f"{self.actions_rendered} actions; wrote {files}."
        )


def make_report(
    workbook: Path,
    out: Path,
    *,
    as_at: dt.date | None = None,
    formats: Iterable[str] = DEFAULT_FORMATS,
    templates_folder: Path | None = None,
    today: dt.date | None = None,
    previous: Path | None = None,
    compare: bool = True,
    processes: bool = False,
    lock_wait: float = LOCK_WAIT,
    on_wait: Callable[[str], None] | None = None,
) -> Result:
    """Make the report. ``previous`` is the snapshot to compare with; by default
    the newest earlier snapshot of the same plan in ``out`` (``compare=False``: none).

    ``processes=True`` lets the slowest renderers work in processes of their
    own (see ``SideProcesses``); the files are the same either way.

    Deciding what to supersede and writing are done holding the output
    folder's lock (``folder_lock``): another run into the same folder waits
    (``on_wait`` is told), for ``lock_wait`` seconds at most.
    """
    started = time.time()
    formats = tuple(formats)
    out = Path(out)
    confirmed = as_at is not None
    with side_processes(formats, enabled=processes) as side:
        source = load_source(Path(workbook))
        templates = load_templates(templates_folder)
        plan = _read_plan(source, templates)
        as_at, as_at_from = choose_as_at(as_at, plan, today)
        before = _earlier(out, plan, as_at, source, confirmed=confirmed, previous=previous,
                          compare=compare)
        assessed = assess_plan(plan, as_at, templates.rules)
        to_fix = _to_fix(plan, assessed, as_at, templates)
        notices = _notices(plan, assessed, before.last)
        context, dated = _context(plan, assessed, as_at, source, templates, before, out)
        documents, problems = render(context, templates, formats, side=side)
    reconcile(plan, context)
    written, notes = _write(out, documents, source, context, started=started,
                            lock_wait=lock_wait, on_wait=on_wait)
    return Result(
        recommendations_read=len(plan.recommendations),
        actions_read=len(plan.actions),
        recommendations_rendered=len(context.recommendations),
        actions_rendered=context.action_count,
        written=written,
        warnings=[*plan.warnings, *dated, *notices, *problems],
        context=context,
        notes=notes,
        as_at_line=f"As at {context.as_at}, {as_at_from}.",
        compared_line=_compared_line(before.last, compare, previous),
        to_fix=to_fix,
    )


def _read_plan(source: Source, templates: Templates) -> Plan:
    """The workbook's plan, the source's own warnings (a file open elsewhere) first."""
    plan = read_workbook(source.data, source.name, templates.rules.labels())
    plan.warnings[:0] = source.warnings
    return plan


@dataclass(frozen=True)
class _Before:
    """What the output folder's earlier reports of this plan give this one."""

    reports: EarlierReports
    dated: list[Problem]  # this as-at date against theirs
    made_after: tuple[str, ...]  # for the snapshot's "made_after"
    last: Previous | None  # the report to compare with, if any


def _earlier(out: Path, plan: Plan, as_at: dt.date, source: Source, *, confirmed: bool,
             previous: Path | None, compare: bool) -> _Before:
    """The earlier reports, the as-at order against them, and the one to compare with:
    ``previous`` if given, else the newest (none with ``compare=False``)."""
    reports = earlier_reports(out, plan.settings.title, as_at)
    dated, made_after = as_at_order(plan.settings, as_at, confirmed=confirmed,
                                    earlier=reports, out=out, file=source.name)
    last = None if not compare else (
        reports.with_history(load_previous(previous)) if previous is not None
        else reports.newest)
    return _Before(reports, dated, made_after, last)


def _to_fix(plan: Plan, assessed: dict[int, list[AssessedAction]], as_at: dt.date,
            templates: Templates) -> list[Problem]:
    """What --check calls errors: the report says them, to fix before circulating it."""
    return [p for p in check_plan(plan, assessed, as_at, templates.rules.stale_days)
            if p.severity is Severity.ERROR]


def _notices(plan: Plan, assessed: dict[int, list[AssessedAction]],
             last: Previous | None) -> list[Problem]:
    """Worth saying on every run, not only under --check."""
    return [*duplicate_actions(plan),
            *(carried_over(assessed, last.records, last.as_at) if last is not None else ())]


def _context(plan: Plan, assessed: dict[int, list[AssessedAction]], as_at: dt.date,
             source: Source, templates: Templates, before: _Before, out: Path
             ) -> tuple[ReportContext, list[Problem]]:
    """The report's context, with its Progress over time, and the warnings about
    its dates (the as-at order, the meeting date, a changed title)."""
    shown = history(before.reports.counts, ReportCounts(as_at))
    context = replace(build_context(
        plan, assessed, as_at=as_at, source_file=source.name,
        source_sha256=source.sha256, brand=templates.brand, rules=templates.rules,
        previous=before.last, history=shown,
    ), made_after=before.made_after)
    dated = [*before.dated, *meeting_date_problems(plan.settings, as_at),
             *title_changed(plan.settings, before.reports, out),
             *shown_out_of_order(shown, out)]
    return context, dated


def _write(out: Path, documents: dict[str, bytes], source: Source, context: ReportContext,
           *, started: float, lock_wait: float, on_wait: Callable[[str], None] | None
           ) -> tuple[list[Path], list[str]]:
    """Under the output folder's lock: refuse to overwrite the workbook, keep an
    earlier report this one supersedes, write. (The files written, lines to say.)"""
    with folder_lock(out, wait=lock_wait, on_wait=on_wait, started=started,
                     spare=source.path):
        refuse_overwriting(source.path, out, documents)
        keep, superseding = superseded(out, output_stem(context), source.sha256)
        keep, spared = spare_workbook(source.path, keep)
        written = write_outputs(out, documents, keep=keep)
    return written, [*([superseding.format(date=context.as_at)] if superseding else []), *spared]


def _compared_line(last: Previous | None, compare: bool, previous: Path | None) -> str:
    if not compare:
        return "Not compared with an earlier report (--no-previous)."
    if last is None:
        return ("No earlier report of this plan in the output folder to compare with; "
                "'Changes since the last report' is left out.")
    named = f" (from {previous})" if previous is not None else f" ({last.file})"
    return f"Compared with the report as at {format_date(last.as_at)}{named}."


SUPERSEDED_FOLDER = "superseded"


def superseded(out: Path, stem: str, sha256: str) -> tuple[dict[Path, Path], str | None]:
    """The earlier report this run would replace, when it came from another workbook.

    Same title and as-at date, but its snapshot's ``source.sha256`` differs: an
    officer edited the workbook and forgot to move "As at". That set may be what
    the Board last saw, so it is kept in ``superseded/``, named with its short
    hash: ({file: where to keep it}, the line that says so).
    """
    snapshot = out / f"{stem}.json"
    try:
        earlier = json.loads(snapshot.read_bytes().decode("utf-8"))["source"]["sha256"]
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        return {}, None  # no earlier snapshot of that date, or not one of ours
    if not isinstance(earlier, str) or earlier == sha256:
        return {}, None
    short = re.sub(r"[^0-9a-f]", "", earlier.lower())[:12] or "earlier"
    folder = out / SUPERSEDED_FOLDER
    keep = {
        out / f"{stem}{fmt.extension}": folder / f"{stem} ({short}){fmt.extension}"
        for fmt in FORMATS.values() if (out / f"{stem}{fmt.extension}").is_file()
    }
    return keep, (f"Replaced the {{date}} report made from a different workbook; the earlier "
                  f"files are in {folder} as '{stem} ({short}).*'")


def _is_workbook(path: Path, workbook: Path) -> bool:
    try:  # samefile also sees through links and Windows' case-blind names
        return path.exists() and path.samefile(workbook)
    except OSError:
        return False


def spare_workbook(workbook: Path, keep: dict[Path, Path]) -> tuple[dict[Path, Path], list[str]]:
    """The workbook is only ever read: kept in the output folder under a report
    file's name, it is not moved into superseded/ with the earlier report, and
    no kept copy may take its name. ({file: where to keep it}, lines to say)."""
    clash = next((copy for copy in keep.values() if _is_workbook(copy, workbook)), None)
    if clash is not None:
        raise OutputError(f"{clash}: this is the workbook being read, and the earlier report "
                          "would be kept under its name; nothing was written. Move the "
                          "workbook, or choose another folder with --out")
    spared = [original for original in keep if _is_workbook(original, workbook)]
    lines = [f"{original}: this is the workbook being read, so it stays where it is although "
             f"it has a report file's name; it was not moved into {SUPERSEDED_FOLDER}"
             for original in spared]
    return {o: c for o, c in keep.items() if o not in spared}, lines


def refuse_overwriting(workbook: Path, out: Path, documents: dict[str, bytes]) -> None:
    """The input is never modified: not even when an output (e.g. the .xlsx) has its name."""
    clash = next((name for name in documents if _is_workbook(out / name, workbook)), None)
    if clash is not None:
        raise OutputError(f"{out / clash}: this is the workbook being read, so the report was "
                          "not written over it; choose another folder with --out")


def reconcile(plan: Plan, context: ReportContext) -> None:
    """Every action row read must be in the report, in order, or nothing is written."""
    read = [(a.ref, a.row) for a in plan.actions]
    rendered = [(a.ref, a.row) for r in context.recommendations for a in r.actions]
    if read != rendered:
        missing = sorted(set(read) - set(rendered))
        raise ReportError(
            f"internal check failed: {len(read)} actions read but {len(rendered)} rendered "
            f"(missing rows {', '.join(str(row) for _ref, row in missing) or 'none'}); "
            "nothing was written; please report this"
        )
