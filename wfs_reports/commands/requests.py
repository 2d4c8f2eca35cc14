"""make-report --requests: ask each owner for their update before the Board.

One line per stage, as in the report command: read the workbook, assess its
actions, plan the requests, render every file in memory, then write the
folder ``<out>/Update requests - <as-at>/`` in one step. Nothing is sent and
nothing touches the network; the workbook is only read.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wfs_reports.config import Templates, load_templates
from wfs_reports.domain.assess import assess_plan
from wfs_reports.domain.problems import Problem
from wfs_reports.domain.text import plural
from wfs_reports.output.lock import LOCK_WAIT, folder_lock
from wfs_reports.output.writer import write_folder
from wfs_reports.render.request_email import render_email
from wfs_reports.render.request_form import render_form
from wfs_reports.render.request_index import render_index
from wfs_reports.requests.plan import RequestPlan, plan_requests
from wfs_reports.workbook.reader import read_workbook
from wfs_reports.workbook.source import load_source


@dataclass
class RequestsResult:
    folder: Path
    written: list[Path]
    plan: RequestPlan
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """One line: what was written and what is left for the officer."""
        requests = self.plan.requests
        unaddressed = sum(1 for r in requests if not r.email)
        drafts = f"{plural(len(requests), 'draft email')} and forms"
        line = (f"Wrote {drafts} for {self.plan.open_actions} open actions into "
                f"'{self.folder}'")
        if requests and unaddressed:
            line += f" ({unaddressed} with no address, To: left blank)"
        if self.plan.unowned:
            count = len(self.plan.unowned)
            verb = "has" if count == 1 else "have"
            line += (f"; {plural(count, 'open action')} {verb} no owner: "
                     f"see the 'No owner' sheet of {self.plan.index_name}")
        return line + "; nothing was sent."


def make_requests(
    workbook: Path,
    out: Path,
    *,
    as_at: dt.date | None = None,
    reply_by: dt.date | None = None,
    templates_folder: Path | None = None,
    today: dt.date | None = None,
    lock_wait: float = LOCK_WAIT,
    on_wait: Callable[[str], None] | None = None,
) -> RequestsResult:
    """The folder is written holding ``out``'s lock, as a report is (``make_report``)."""
    started = time.time()
    source = load_source(Path(workbook))
    templates = load_templates(templates_folder)
    plan = read_workbook(source.data, source.name, templates.rules.labels())
    plan.warnings[:0] = source.warnings
    as_at = as_at or plan.settings.as_at or today or dt.date.today()
    requests = plan_requests(
        plan, assess_plan(plan, as_at, templates.rules), as_at=as_at, reply_by=reply_by,
        rules=templates.rules, organisation=templates.brand.organisation,
        source_file=source.name, source_sha256=source.sha256,
    )
    files = _files(requests, templates)
    folder = Path(out) / requests.folder
    with folder_lock(Path(out), wait=lock_wait, on_wait=on_wait, started=started,
                     spare=source.path):
        written = write_folder(folder, files, keep=source.path)
    warnings = [*plan.warnings, *requests.problems]
    return RequestsResult(folder, written, requests, warnings)


def _files(requests: RequestPlan, templates: Templates) -> dict[str, bytes]:
    """Each owner's form and its email, then the index: {file name: bytes}."""
    files: dict[str, bytes] = {}
    for request in requests.requests:
        form = render_form(requests, request, templates.update_request, templates.brand)
        files[f"{request.stem}.docx"] = form
        files[f"{request.stem}.eml"] = render_email(requests, request, form)
    files[requests.index_name] = render_index(requests)
    return files
