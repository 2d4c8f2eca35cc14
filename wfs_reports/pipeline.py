"""The whole run, one line per stage: read, judge, decide, render, write.

Everything is gathered and rendered in memory before anything is written, so a
failed run writes nothing and leaves the previous report intact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from wfs_reports.context import JudgedAction, ReportContext, build_context
from wfs_reports.dates import parse_completion_date
from wfs_reports.errors import ReportError, WorkbookError
from wfs_reports.model import Plan
from wfs_reports.reader import read_workbook
from wfs_reports.resources import Templates, load_templates
from wfs_reports.rules import RulesConfig, assess
from wfs_reports.writer import write_outputs

FORMATS = ("docx", "pdf", "json")


@dataclass(frozen=True)
class Source:
    path: Path
    data: bytes
    sha256: str

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
    warnings: list[str] = field(default_factory=list)
    context: ReportContext | None = None

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
    formats: Iterable[str] = FORMATS,
    templates_folder: Path | None = None,
    today: dt.date | None = None,
) -> Result:
    formats = tuple(formats)
    source = load_source(Path(workbook))
    templates = load_templates(templates_folder)
    plan = read_workbook(source.data, source.name)
    as_at = as_at or plan.settings.as_at or today or dt.date.today()
    context = build_context(
        plan, judge(plan, as_at, templates.rules), as_at=as_at, source_file=source.name,
        source_sha256=source.sha256, brand=templates.brand, rules=templates.rules,
    )
    documents = render(context, templates, formats)
    reconcile(plan, context)
    written = write_outputs(Path(out), documents)
    return Result(
        recommendations_read=len(plan.recommendations),
        actions_read=len(plan.actions),
        recommendations_rendered=len(context.recommendations),
        actions_rendered=context.action_count,
        written=written,
        warnings=plan.warnings,
        context=context,
    )


def load_source(path: Path) -> Source:
    """Read the workbook once; the bytes feed both the reader and the hash."""
    if path.name.startswith("~$"):
        raise WorkbookError(
            str(path), ["this is Excel's lock file, not the workbook; choose the file "
                        "without '~$' at the start of its name"]
        )
    if not path.exists():
        raise WorkbookError(
            str(path), ["file not found; check the path, or put the workbook at "
                        "input/action_plan.xlsx"]
        )
    if path.is_dir():
        raise WorkbookError(str(path), ["this is a folder; give the path of the .xlsx workbook"])
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WorkbookError(
            str(path), [f"cannot be read ({error.strerror}); close it in Excel and run again"]
        ) from None
    return Source(path, data, hashlib.sha256(data).hexdigest())


def judge(plan: Plan, as_at: dt.date, rules: RulesConfig) -> dict[int, list[JudgedAction]]:
    judged: dict[int, list[JudgedAction]] = {}
    for rec in plan.recommendations:
        for action in rec.actions:
            stages = parse_completion_date(action.completion_date_value or action.completion_date)
            judged.setdefault(rec.ref, []).append(
                JudgedAction(action, stages, assess(action, stages, as_at, rules))
            )
    return judged


def render(context: ReportContext, templates: Templates, formats: tuple[str, ...]) -> dict:
    """Render every requested format in memory: {file name: bytes}."""
    stem = output_stem(context)
    documents: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "docx":
            from wfs_reports.render_docx import render_docx

            documents[f"{stem}.docx"] = render_docx(context, templates.docx)
        elif fmt == "pdf":
            from wfs_reports.render_pdf import render_pdf

            try:
                documents[f"{stem}.pdf"] = render_pdf(context, templates.folder)
            except RuntimeError as error:
                raise ReportError(f"{templates.html}: the PDF could not be made: {error}") from None
        elif fmt == "json":
            from wfs_reports.render_json import render_json

            documents[f"{stem}.json"] = render_json(context)
        else:
            raise ReportError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    return documents


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
