"""The review workbook, ``Replies - <as-at>.xlsx``: written for the officer to
check, and read back (its Apply column, and any proposed value they edited)
by ``--apply``. A new file of our own, so openpyxl writes it."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from wfs_reports.domain.dates import format_date
from wfs_reports.domain.errors import WorkbookError
from wfs_reports.domain.problems import Kind, Problem, Severity
from wfs_reports.replies.review import Review
from wfs_reports.workbook.new_workbook import append_rows, workbook_bytes

ABOUT = "About"
CHANGES = "Changes"
CONFLICTS = "Conflicts"
NO_REPLY = "No reply yet"
NOT_UNDERSTOOD = "Not understood"

# Changes: (header, width). The last two identify the action for --apply.
CHANGE_COLUMNS = (
    ("Owner", 24), ("Recommendation", 16), ("Action no.", 9), ("Action", 40),
    ("Status now", 14), ("Proposed status", 16), ("Status cell", 11),
    ("Completion date now", 18), ("Proposed completion date", 20), ("Completion Date cell", 12),
    ("Comments now", 40), ("Proposed update", 50), ("Comments cell", 11),
    ("Reply date", 12), ("Last Updated cell", 12), ("From", 28), ("Check", 40),
    ("Notes", 40), ("Apply", 8), ("Workbook row", 9), ("Action key", 14),
)


def replies_name(as_at: dt.date) -> str:
    return f"Replies - {as_at.isoformat()}.xlsx"


def review_bytes(review: Review, written: dt.datetime) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    changes = book.active
    changes.title = CHANGES
    rows = []
    for change in review.changes:
        action, proposal = change.action, change.proposal
        date_now = (format_date(action.completion_date_value) if action.completion_date_value
                    else action.completion_date)
        rows.append([
            ", ".join(change.owners), f"Recommendation {action.ref}", change.number,
            action.action, action.status_text or action.status.value, proposal.status,
            action.cells.get("status", ""), date_now, proposal.completion,
            action.cells.get("completion_date", ""), action.comments, proposal.update,
            action.cells.get("comments", ""), proposal.date, action.cells.get("last_updated", ""),
            proposal.file, "\n".join(change.checks), "\n".join(change.notes),
            "Yes" if change.apply else "No", action.row, change.key,
        ])
    _table(changes, CHANGE_COLUMNS, rows)
    if rows:
        choice = DataValidation(type="list", formula1='"Yes,No"', allow_blank=False)
        changes.add_data_validation(choice)
        choice.add(f"S2:S{len(rows) + 1}")
    _table(book.create_sheet(CONFLICTS),
           (("Action no.", 9), ("Action", 50), ("Owners", 30), ("What", 80)),
           [[c.number, c.action, c.owners, c.what] for c in review.conflicts])
    _table(book.create_sheet(NO_REPLY),
           (("Owner", 30), ("Email", 36), ("Open actions", 80), ("Asked as at", 16)),
           [[c.owner, c.emails, "\n".join(c.actions), c.asked] for c in review.chase])
    _table(book.create_sheet(NOT_UNDERSTOOD), (("File", 40), ("Why", 100)),
           [[u.file, u.why] for u in review.unread])
    about = book.create_sheet(ABOUT)
    append_rows(about, (("Workbook", review.workbook), ("As at", review.as_at),
                        ("Written", written.replace(microsecond=0)),
                        ("How to use", "Check each row of Changes; set Apply to No for any "
                         "you do not want, or correct the proposed values; then run "
                         "make-report --apply on this file. Only rows with Apply = Yes are "
                         "written, to a new copy of the workbook.")))
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 100
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if sheet.title != ABOUT:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
    book.properties.creator = "make-report"
    return workbook_bytes(book, written)


def _table(sheet, columns, rows) -> None:
    from openpyxl.utils import get_column_letter

    sheet.append([name for name, _ in columns])
    for number, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    # The owners' words are text, never formulas; dates shown day first.
    append_rows(sheet, rows)


@dataclass(frozen=True)
class Reviewed:
    """One Changes row the officer left at Apply = Yes."""

    row: int  # the workbook row
    key: str
    owners: str
    status_now: str
    status: str
    completion_now: str
    completion: str
    comments_now: str
    update: str
    date: dt.date


@dataclass(frozen=True)
class ReviewedFile:
    workbook: str
    as_at: dt.date | None
    rows: list[Reviewed]


def read_reviewed(data: bytes, file_name: str) -> ReviewedFile:
    """The rows to apply from a reviewed Replies workbook."""
    import openpyxl

    def fail(message: str, sheet: str = "", cell: str = "") -> WorkbookError:
        return WorkbookError(file_name, [Problem(Kind.VALUE_UNREADABLE, Severity.ERROR,
                                                 message, sheet, cell)])

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any damage: one line
        raise fail("cannot be read as a Replies workbook; run make-report --replies again"
                   ) from None
    if CHANGES not in book.sheetnames or ABOUT not in book.sheetnames:
        raise fail(f"this is not a Replies workbook (no '{CHANGES}' and '{ABOUT}' sheets); "
                   "give the one make-report --replies wrote")
    about = {str(r[0]).strip(): r[1] for r in book[ABOUT].iter_rows(values_only=True)
             if r and r[0] is not None}
    as_at = about.get("As at")
    as_at = as_at.date() if isinstance(as_at, dt.datetime) else as_at
    rows = list(book[CHANGES].iter_rows(values_only=True))
    headers = [str(h or "").strip() for h in rows[0]] if rows else []
    wanted = [name for name, _ in CHANGE_COLUMNS]
    missing = [name for name in wanted if name not in headers]
    if missing:
        raise fail(f"the Changes sheet has no '{missing[0]}' column; run make-report "
                   "--replies again", CHANGES, "1")
    at = {name: headers.index(name) for name in wanted}
    found = []
    for number, values in enumerate(rows[1:], start=2):
        def get(name: str, values=values) -> object:
            index = at[name]
            return values[index] if index < len(values) else None

        if str(get("Apply") or "").strip().casefold() not in ("yes", "y"):
            continue
        row = get("Workbook row")
        when = get("Reply date")
        if not isinstance(row, int | float) or not isinstance(when, dt.date):
            raise fail("the workbook row or reply date of an Apply = Yes row is missing; run "
                       "make-report --replies again", CHANGES, f"A{number}")
        found.append(Reviewed(
            int(row), str(get("Action key") or ""), str(get("Owner") or ""),
            _text(get("Status now")), _text(get("Proposed status")),
            _text(get("Completion date now")), _text(get("Proposed completion date")),
            _text(get("Comments now")), _text(get("Proposed update")),
            when.date() if isinstance(when, dt.datetime) else when))
    return ReviewedFile(str(about.get("Workbook") or ""),
                        as_at if isinstance(as_at, dt.date) else None, found)


def _text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    return "" if value is None else str(value).strip()
