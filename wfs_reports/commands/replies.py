"""make-report --replies FOLDER [WORKBOOK] [--apply]: read the returned
update-request forms, write the review workbook beside the workbook, and with
--apply write a new copy of the workbook with the replies in it.

One line per stage: read the workbook, plan who was asked what (as
--requests does), read the folder, match the replies, write the review; with
--apply, work out the cells to change and write the copy. The workbook itself
is only read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from wfs_reports.config import Templates, load_templates
from wfs_reports.domain.assess import assess_plan
from wfs_reports.domain.errors import ReportError, WorkbookError
from wfs_reports.domain.model import Plan
from wfs_reports.domain.problems import Problem
from wfs_reports.domain.text import plural
from wfs_reports.output.writer import write_outputs
from wfs_reports.replies.edits import Edits, plan_edits, reviewed_rows
from wfs_reports.replies.received import read_folder
from wfs_reports.replies.review import Asked, Review, review_replies
from wfs_reports.replies.sheet import read_reviewed, replies_name, review_bytes
from wfs_reports.requests.plan import RequestPlan, plan_requests
from wfs_reports.workbook.patch import patch_cells
from wfs_reports.workbook.reader import read_workbook
from wfs_reports.workbook.source import Source, load_source


@dataclass
class RepliesResult:
    review: Review | None  # None when --apply was given a reviewed Replies workbook
    replies_file: Path
    written: list[Path]
    edits: Edits | None = None
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        applied = None if self.edits is None else len(self.edits.applied)
        if self.review is not None:
            return self.review.summary(applied, self.replies_file.name)
        assert self.edits is not None
        owners = {o.strip() for r in self.edits.applied for o in r.owners.split(",")}
        line = (f"Applied {plural(len(self.edits.applied), 'update')} from "
                f"{plural(len(owners - {''}), 'owner')} (see {self.replies_file.name})")
        if self.edits.notes:
            line += f"; {plural(len(self.edits.notes), 'reply', 'replies')} not applied"
        return line + "."


def _read(workbook: Path, templates_folder: Path | None) -> tuple[Source, Plan, Templates]:
    source = load_source(Path(workbook))
    templates = load_templates(templates_folder)
    plan = read_workbook(source.data, source.name, templates.rules.labels())
    plan.warnings[:0] = source.warnings
    return source, plan, templates


def asked_owners(requests: RequestPlan) -> list[Asked]:
    """Who the update requests asked about what."""
    return [Asked(r.name, tuple(a.strip().lower() for a in r.email.replace(",", ";").split(";")
                                if a.strip()),
                  r.stem, tuple((i.ref, i.row) for i in r.items),
                  frozenset(text for i in r.items for text in (
                      i.recommendation, i.action, i.completion_date, i.read_as, i.reading,
                      i.status, i.comments, i.rag_label, i.why, *i.needed)))
            for r in requests.requests]


def read_replies(
    folder: Path,
    workbook: Path,
    *,
    apply: bool = False,
    as_at: dt.date | None = None,
    templates_folder: Path | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> RepliesResult:
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(f"{folder}: no such folder; give the folder you saved the returned "
                          "forms in")
    source, plan, templates = _read(workbook, templates_folder)
    as_at = as_at or plan.settings.as_at or today or dt.date.today()
    rules = templates.rules
    requests = plan_requests(plan, assess_plan(plan, as_at, rules), as_at=as_at, reply_by=as_at,
                             rules=rules, source_file=source.name)
    returned, unread = read_folder(folder)
    review = review_replies(plan, as_at, asked_owners(requests), returned, unread, source.name)
    name = replies_name(as_at)
    files = {name: review_bytes(review, now or dt.datetime.now())}
    edits = None
    if apply:
        edits = plan_edits(plan, reviewed_rows(review))
        files.update(_copy(source, edits, today))
    target = source.path.parent / name
    # A Replies workbook you may have reviewed is kept, once, before it is replaced.
    keep = {target: target.with_name(f"{target.stem} (previous).xlsx")} if target.exists() \
        else {}
    written = write_outputs(source.path.parent, files, keep=keep)
    return RepliesResult(review, target, written, edits,
                         list(plan.warnings))


def apply_reviewed(
    replies_file: Path,
    workbook: Path | None = None,
    *,
    templates_folder: Path | None = None,
    today: dt.date | None = None,
) -> RepliesResult:
    """--apply given the reviewed Replies workbook: the rows left at Apply = Yes."""
    reviewed_source = load_source(Path(replies_file))
    reviewed = read_reviewed(reviewed_source.data, reviewed_source.name)
    if workbook is None:
        if not reviewed.workbook:
            raise WorkbookError(reviewed_source.name, [
                "it does not name its workbook (About sheet); give the workbook too"])
        workbook = reviewed_source.path.parent / reviewed.workbook
    source, plan, _ = _read(workbook, templates_folder)
    edits = plan_edits(plan, reviewed.rows)
    written = write_outputs(source.path.parent, _copy(source, edits, today))
    return RepliesResult(None, reviewed_source.path, written, edits, list(plan.warnings))


def copy_name(workbook: Path, day: dt.date) -> str:
    """'<workbook name> (replies <date>).xlsx'."""
    return f"{workbook.stem} (replies {day.isoformat()}){workbook.suffix or '.xlsx'}"


def _copy(source: Source, edits: Edits, today: dt.date | None) -> dict[str, bytes]:
    """The new copy of the workbook, only the target cells changed. A target
    cell holding a formula is never changed: that action's row is left out."""
    name = copy_name(source.path, today or dt.date.today())
    if name == source.path.name:  # cannot happen: the name gains '(replies ...)'
        raise ReportError(f"{source.path}: the copy would replace the workbook")
    while True:
        try:
            return {name: patch_cells(source.data, edits.cells, source.name)}
        except WorkbookError as error:
            where = [(p.sheet, p.cell) for p in error.problems if (p.sheet, p.cell) in edits.rows]
            if not where or "formula" not in str(error):
                raise
            edits.leave_out(edits.rows[where[0]],
                            f"{where[0][0]}!{where[0][1]} holds a formula, which is never changed")
