"""Which workbook cells --apply changes: for each reply to apply, its action's
Status, Completion Date, Comments and Last Updated cells, and only where the
workbook does not already hold the value (so a re-run applies nothing twice).
A reply for a row that no longer holds its action, or whose cells were
changed since the review, is left out with a note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from wfs_reports.domain.dates import format_date
from wfs_reports.domain.model import Action, Plan
from wfs_reports.domain.problems import split_where
from wfs_reports.domain.reply_tags import action_key
from wfs_reports.domain.trend import same_text
from wfs_reports.replies.review import Review, completion_value, status_value
from wfs_reports.replies.sheet import Reviewed


@dataclass
class Edits:
    cells: dict[tuple[str, str], str | dt.date] = field(default_factory=dict)  # (sheet, A1)
    applied: list[Reviewed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Which workbook row each edited cell is for, so a row can be left out whole.
    rows: dict[tuple[str, str], int] = field(default_factory=dict)

    def set(self, where: str, value: str | dt.date, row: int) -> None:
        sheet, cell = split_where(where)
        self.cells[(sheet, cell)] = value
        self.rows[(sheet, cell)] = row

    def leave_out(self, row: int, why: str) -> None:
        """Apply nothing to a row after all (a target cell holds a formula)."""
        for where in [w for w, r in self.rows.items() if r == row]:
            del self.cells[where]
            del self.rows[where]
        self.applied = [r for r in self.applied if r.row != row]
        self.notes.append(f"row {row}: {why}; its reply was not applied")


def reviewed_rows(review: Review) -> list[Reviewed]:
    """The Changes a fresh review would apply (Apply = Yes), as the Replies
    workbook would give them back."""
    rows = []
    for change in review.changes:
        if not change.apply:
            continue
        action, proposal = change.action, change.proposal
        rows.append(Reviewed(action.row, change.key, ", ".join(change.owners),
                             _status_now(action), proposal.status, _date_now(action),
                             proposal.completion, action.comments, proposal.update,
                             proposal.date))
    return rows


def _status_now(action: Action) -> str:
    return action.status_text or action.status.value


def _date_now(action: Action) -> str:
    if action.completion_date_value is not None:
        return format_date(action.completion_date_value)
    return action.completion_date


def plan_edits(plan: Plan, rows: Sequence[Reviewed]) -> Edits:
    by_row = {a.row: a for a in plan.actions}
    edits = Edits()
    newest: dict[int, Reviewed] = {}
    for row in sorted(rows, key=lambda r: r.date):
        if row.row in newest:
            edits.notes.append(f"row {row.row}: the reply of {format_date(newest[row.row].date)} "
                               f"lost to the newer one of {format_date(row.date)}")
        newest[row.row] = row
    for number in sorted(newest):
        row = newest[number]
        action = by_row.get(number)
        if action is None or (row.key and action_key(action.ref, action.action) != row.key):
            edits.notes.append(f"row {number} no longer holds the action replied to; its "
                               "reply was not applied (run make-report --replies again)")
            continue
        if (not _same(row.status_now, _status_now(action))
                or not _same(row.completion_now, _date_now(action))
                or not _same(row.comments_now, action.comments)):
            if _already(row, action):
                continue
            edits.notes.append(f"row {number}: changed in the workbook since the review; its "
                               "reply was not applied (run make-report --replies again)")
            continue
        changed = False
        cells = action.cells
        if row.status and not _same(status_value(row.status), _status_now(action)) \
                and "status" in cells:
            edits.set(cells["status"], status_value(row.status), number)
            changed = True
        if row.completion and "completion_date" in cells:
            value = completion_value(row.completion)
            now = action.completion_date_value or action.completion_date
            if (value != now if isinstance(value, dt.date) else not _same(str(value), str(now))):
                edits.set(cells["completion_date"], value, number)
                changed = True
        if row.update and not _same(row.update, action.comments) and "comments" in cells:
            edits.set(cells["comments"], row.update, number)
            changed = True
        if changed:
            if "last_updated" in cells:
                edits.set(cells["last_updated"], row.date, number)
            edits.applied.append(row)
    return edits


def _already(row: Reviewed, action: Action) -> bool:
    """The workbook already holds everything this reply proposes."""
    value = completion_value(row.completion) if row.completion else None
    now = action.completion_date_value or action.completion_date
    return ((not row.status or _same(status_value(row.status), _status_now(action)))
            and (value is None or (value == now if isinstance(value, dt.date)
                                   else _same(str(value), str(now))))
            and (not row.update or _same(row.update, action.comments)))


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold() \
        or (bool(a.strip()) and same_text(a) == same_text(b))
