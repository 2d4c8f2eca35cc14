"""Render the officer's index of update requests (.xlsx).

Sheets: **Requests** (owner, email, open actions, how many need attention,
the form and the draft), **No owner** (open actions with no owner, to assign)
and, when there are any, **Notes** (owners and addresses to check). Text is
always text (an owner written "=SUM(...)" is never a formula), and the same
plan gives the same bytes.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from wfs_reports.requests.plan import RequestPlan
from wfs_reports.workbook.new_workbook import CREATOR, append_rows, fit_row_heights, workbook_bytes

REQUEST_HEADERS = (("Owner", 36), ("Email", 34), ("Open actions", 13),
                   ("Needing attention", 13), ("Form", 40), ("Draft email", 40))
UNOWNED_HEADERS = (("Recommendation", 18), ("Cell", 12), ("Action", 60),
                   ("Owner(s) as written", 20), ("Completion date", 20), ("RAG status", 26),
                   ("What is needed", 40))
NOTE_HEADERS = (("Where", 16), ("What to check", 110))

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")


def _sheet(workbook, title: str, headers):
    sheet = workbook.create_sheet(title)
    sheet.append([name for name, _width in headers])
    for cell, (_name, width) in zip(sheet[1], headers, strict=True):
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def render_index(plan: RequestPlan) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = workbook.properties.lastModifiedBy = CREATOR
    requests = _sheet(workbook, "Requests", REQUEST_HEADERS)
    append_rows(requests, [
        (r.name, r.email, len(r.items), r.attention, f"{r.stem}.docx", f"{r.stem}.eml")
        for r in plan.requests
    ])
    requests.auto_filter.ref = requests.dimensions

    unowned = _sheet(workbook, "No owner", UNOWNED_HEADERS)
    append_rows(unowned, [
        (i.recommendation, i.owner_cell, i.action, i.owners, i.completion_date, i.rag_label,
         "Assign an owner\n" + "\n".join(i.needed))
        for i in plan.unowned
    ])
    if not plan.unowned:
        unowned.append(["Every open action has an owner."])

    if plan.problems:
        notes = _sheet(workbook, "Notes", NOTE_HEADERS)
        append_rows(notes, [(p.where, p.message) for p in plan.problems])
    for sheet in workbook.worksheets:
        fit_row_heights(sheet, first_row=2)
    workbook.properties.title = f"{plan.folder}: {plan.title}"
    return workbook_bytes(workbook, dt.datetime.fromisoformat(plan.as_at_iso))
