"""The whole run, one line per stage: read, assess, decide, render, write.

Everything is gathered and rendered in memory before anything is written, so a
failed run writes nothing and leaves the previous report intact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import re
import stat
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from wfs_reports.config import Templates, load_templates
from wfs_reports.domain.checks import check_plan
from wfs_reports.domain.dates import format_date, parse_completion_date
from wfs_reports.domain.errors import OutputError, ReportError, WorkbookError
from wfs_reports.domain.model import Plan
from wfs_reports.domain.problems import Kind, Problem, Severity
from wfs_reports.domain.progress import ReportCounts, history
from wfs_reports.domain.rules import RulesConfig, assess
from wfs_reports.output.writer import write_outputs
from wfs_reports.render.formats import DEFAULT_FORMATS, FORMATS
from wfs_reports.render.rendered import Rendered
from wfs_reports.report.context import AssessedAction, Previous, ReportContext, build_context
from wfs_reports.workbook.file import too_large
from wfs_reports.workbook.reader import read_workbook


@dataclass(frozen=True)
class Source:
    path: Path
    data: bytes
    sha256: str
    # Notes about the file itself (e.g. it is open in Excel), for Result.warnings.
    warnings: tuple[Problem, ...] = ()

    @property
    def name(self) -> str:
        return self.path.name


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
) -> Result:
    """Make the report. ``previous`` is the snapshot to compare with; by default
    the newest earlier snapshot of the same plan in ``out`` (``compare=False``: none).

    ``processes=True`` lets the slowest renderers work in processes of their
    own (see ``SideProcesses``); the files are the same either way.
    """
    formats = tuple(formats)
    with side_processes(formats, enabled=processes) as side:
        source = load_source(Path(workbook))
        templates = load_templates(templates_folder)
        plan = read_workbook(source.data, source.name, templates.rules.labels())
        plan.warnings[:0] = source.warnings
        as_at, as_at_from = choose_as_at(as_at, plan, today)
        earlier = earlier_reports(Path(out), plan.settings.title, as_at)
        last = None if not compare else (
            load_previous(previous) if previous is not None else earlier.newest)
        assessed = assess_plan(plan, as_at, templates.rules)
        to_fix = [p for p in check_plan(plan, assessed, as_at, templates.rules.stale_days)
                  if p.severity is Severity.ERROR]
        context = build_context(
            plan, assessed, as_at=as_at, source_file=source.name,
            source_sha256=source.sha256, brand=templates.brand, rules=templates.rules,
            previous=last,
            history=history(earlier.counts, ReportCounts(as_at)),
        )
        documents, problems = render(context, templates, formats, side=side)
    reconcile(plan, context)
    refuse_overwriting(source.path, Path(out), documents)
    keep, superseding = superseded(Path(out), output_stem(context), source.sha256)
    written = write_outputs(Path(out), documents, keep=keep)
    return Result(
        recommendations_read=len(plan.recommendations),
        actions_read=len(plan.actions),
        recommendations_rendered=len(context.recommendations),
        actions_rendered=context.action_count,
        written=written,
        warnings=[*plan.warnings, *problems],
        context=context,
        notes=[superseding.format(date=context.as_at)] if superseding else [],
        as_at_line=f"As at {context.as_at}, {as_at_from}.",
        compared_line=_compared_line(last, compare, previous),
        to_fix=to_fix,
    )


def choose_as_at(given: dt.date | None, plan: Plan, today: dt.date | None
                 ) -> tuple[dt.date, str]:
    """The report's date and where it came from, for the console."""
    if given is not None:
        return given, "from --as-at"
    if plan.settings.as_at is not None:
        return plan.settings.as_at, f"from {plan.settings.as_at_cell or 'the Report sheet'}"
    return today or dt.date.today(), "today's date: the workbook gives no 'As at'"


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
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
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


def load_source(path: Path) -> Source:
    """Read the workbook once; the bytes feed both the reader and the hash.

    The file is only ever opened for reading, so the workbook is never changed.
    """
    if path.name.startswith("~$"):
        real = path.with_name(path.name[2:])
        target = f"'{real}'" if real.is_file() else "the workbook itself (the same name " \
            "without '~$')"
        raise WorkbookError(
            str(path), [f"this is Excel's lock file, not the workbook; it only shows the "
                        f"workbook is open in Excel. Save the workbook in Excel, then choose "
                        f"{target}"]
        )
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as error:
        raise WorkbookError(
            str(path), [f"cannot be read ({error.strerror}); check the path and run again"]
        ) from None
    if info is None:
        raise WorkbookError(
            str(path), ["file not found; check the path, or put the workbook at "
                        "input/action_plan.xlsx"]
        )
    if stat.S_ISDIR(info.st_mode):
        raise WorkbookError(str(path), ["this is a folder; give the path of the .xlsx workbook"])
    if not stat.S_ISREG(info.st_mode):
        # A pipe or device could block or never end; only a real file will do.
        raise WorkbookError(
            str(path), ["this is not an ordinary file; give the path of the .xlsx workbook"]
        )
    if too_large(info.st_size):  # before reading it into memory
        raise WorkbookError(str(path), [too_large(info.st_size)])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WorkbookError(
            str(path), [f"cannot be read ({error.strerror}); close it in Excel and run again"]
        ) from None
    return Source(path, data, hashlib.sha256(data).hexdigest(), _open_elsewhere(path))


def _open_elsewhere(path: Path) -> tuple[Problem, ...]:
    """Warn when Excel (or LibreOffice) has the workbook open: what is on disk is
    the last save, so changes made since will not be in the report."""
    locks = {
        f"~${path.name}": "Excel",
        f".~lock.{path.name}#": "LibreOffice",
    }
    for lock, program in locks.items():
        if lock != path.name and path.with_name(lock).exists():
            return (Problem(
                Kind.OPEN_ELSEWHERE, Severity.WARNING,
                f"the workbook is open in {program} (found '{lock}' beside it); changes not "
                "yet saved will not be in the report, so save it and run again if needed"),)
    return ()


def load_previous(path: Path) -> Previous:
    """The snapshot named with --previous."""
    from wfs_reports.render.json import read_snapshot

    try:
        return read_snapshot(Path(path).read_bytes(), Path(path).name)
    except OSError as error:
        raise ReportError(f"{path}: cannot read the previous snapshot ({error.strerror}); "
                          "check the path given to --previous") from None
    except ValueError as error:
        raise ReportError(f"{path}: {error}; give the .json file of an earlier "
                          "report to --previous") from None


@dataclass(frozen=True)
class EarlierReports:
    """What the output folder's snapshots of this plan give the report."""

    newest: Previous | None  # the newest before this as-at date, to compare with
    counts: list[ReportCounts]  # every one's RAG counts, for "Progress over time"


def earlier_reports(out: Path, title: str, as_at: dt.date) -> EarlierReports:
    """Read each snapshot directly in ``out`` (not its subfolders) once, and keep
    those of the plan titled ``title``; other files are ignored."""
    from wfs_reports.render.json import counts_from, previous_from

    counts: list[ReportCounts] = []
    newest: tuple[dt.date, str, object] | None = None
    for candidate in sorted(out.glob("*.json")) if out.is_dir() else ():
        try:
            snapshot = json.loads(candidate.read_bytes().decode("utf-8"))
        except (OSError, ValueError, UnicodeDecodeError):
            continue  # not one of our snapshots: ignore it
        try:
            snapshot_title, report = counts_from(snapshot, candidate.name)
        except ValueError:
            pass
        else:
            if snapshot_title == title:
                counts.append(report)
        try:
            when = dt.date.fromisoformat(snapshot["as_at"])
            same_plan = snapshot.get("title") == title
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        if same_plan and when < as_at and (newest is None or when > newest[0]):
            newest = (when, candidate.name, snapshot)
    previous = None
    if newest is not None:
        try:
            previous = previous_from(newest[2], newest[1])
        except ValueError:
            previous = None
    return EarlierReports(previous, counts)


def assess_plan(plan: Plan, as_at: dt.date, rules: RulesConfig) -> dict[int, list[AssessedAction]]:
    assessed: dict[int, list[AssessedAction]] = {}
    for rec in plan.recommendations:
        for action in rec.actions:
            stages = parse_completion_date(action.completion_date_value or action.completion_date)
            assessed.setdefault(rec.ref, []).append(
                AssessedAction(action, stages, assess(action, stages, as_at, rules))
            )
    return assessed


class SideProcesses:
    """One more process for each format marked ``own_process`` (Word, PDF).

    Started before the workbook is read, the Word process imports its
    renderer (docxtpl, python-docx, lxml, Jinja2) on the other core while this
    process imports openpyxl and reads the workbook: that is Python work, which
    threads could not run side by side. Then each renders its file while this
    one makes the JSON. The PDF gets a process of its own so that no process
    holds both the workbook and Typst's layout of a long plan (memory).
    """

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        context = multiprocessing.get_context("fork")
        self._pools: dict[str, ProcessPoolExecutor] = {}
        try:
            for name in names:
                pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
                self._pools[name] = pool
                # A pool starts its process on the first task: start it now.
                pool.submit(_import_renderer, name)
        except BaseException:
            self.close()
            raise

    def submit(self, name: str, context: ReportContext, templates: Templates
               ) -> Future[Rendered]:
        return self._pools[name].submit(_render_one, name, context, templates)

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)


def _import_renderer(name: str) -> None:
    FORMATS[name].load()


def _render_one(name: str, context: ReportContext, templates: Templates) -> Rendered:
    return FORMATS[name].render(context, templates)


@contextlib.contextmanager
def side_processes(formats: tuple[str, ...], *, enabled: bool
                   ) -> Iterator[SideProcesses | None]:
    """SideProcesses for the formats that gain from them, or None: when not
    ``enabled`` (library callers get no process they did not ask for), when
    WFS_REPORTS_PROCESSES=0 is set, when this process cannot fork (see
    ``_can_fork``) or when no such format is asked for."""
    names = tuple(n for n in formats if n in FORMATS and FORMATS[n].own_process)
    if (not enabled or not names or not _can_fork()
            or os.environ.get("WFS_REPORTS_PROCESSES", "").strip() == "0"):
        yield None
        return
    try:
        side = SideProcesses(names)
    except OSError:  # no more processes here: render everything in this one
        yield None
        return
    try:
        yield side
    finally:
        side.close()


def _can_fork() -> bool:
    """Forking copies this process, imports and all, in a moment, so the side
    processes start at once. Only Linux forks by default, and only a process
    with no other thread can be forked safely. Elsewhere a new process would
    have to import everything again: not worth it, so all is done here."""
    return sys.platform == "linux" and threading.active_count() == 1


def render(
    context: ReportContext, templates: Templates, formats: tuple[str, ...],
    *, side: SideProcesses | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """Render every requested format in memory: ({file name: bytes}, problems),
    files in ``formats`` order. The ``side`` processes' formats are handed to
    them first and collected last."""
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise ReportError(f"unknown format '{unknown[0]}'; choose from {', '.join(FORMATS)}")
    away = {name: side.submit(name, context, templates)
            for name in formats if side is not None and name in side.names}
    rendered = {name: FORMATS[name].render(context, templates)
                for name in formats if name not in away}
    for name, future in away.items():
        try:
            rendered[name] = future.result()
        except BrokenProcessPool:  # the second process died: make the file here
            rendered[name] = FORMATS[name].render(context, templates)
    stem = output_stem(context)
    documents = {f"{stem}{FORMATS[name].extension}": rendered[name].data for name in formats}
    problems = [problem for name in formats for problem in rendered[name].problems]
    return documents, problems


def refuse_overwriting(workbook: Path, out: Path, documents: dict[str, bytes]) -> None:
    """The input is never modified: not even when an output (e.g. the .xlsx) has its name."""
    def same(target: Path) -> bool:
        try:  # samefile also sees through links and Windows' case-blind names
            return target.exists() and target.samefile(workbook)
        except OSError:
            return False

    clash = next((name for name in documents if same(out / name)), None)
    if clash is not None:
        raise OutputError(f"{out / clash}: this is the workbook being read, so the report was "
                          "not written over it; choose another folder with --out")


def output_stem(context: ReportContext) -> str:
    """'WFS Action Plan Update - 2023-11-22': the Title, safe as a file name anywhere."""
    title = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', " ", context.title)
    title = " ".join(title.split()).strip(" .") or "Report"
    return f"{title[:80]} - {context.as_at_iso}"


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
