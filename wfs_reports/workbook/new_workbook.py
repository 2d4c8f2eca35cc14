"""A ready-made workbook in the input contract: the reader's mirror image.

Used by ``make-report --new-workbook`` and by the sample-workbook builder.
The sheets, headers, notes, settings, dropdown choices and instructions are
the contract's (contract.py), so they are the ones the reader expects; the
RAG labels and stale days are the rules' the command passes in. The .xlsx
plumbing here (row heights, text kept as text, repeatable bytes) is shared
with the renderers that write Excel files.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from wfs_reports.domain.errors import OutputError
from wfs_reports.domain.model import Plan, Status
from wfs_reports.domain.rules import RulesConfig
from wfs_reports.output.archive import rezip
from wfs_reports.output.writer import write_new_file
from wfs_reports.workbook.contract import (
    ACTION_COLUMNS,
    INSTRUCTIONS,
    INSTRUCTIONS_SHEET,
    OVERRIDE_RAGS,
    OWNER_COLUMNS,
    OWNERS_SHEET,
    RECOMMENDATION_COLUMNS,
    REPORT_SETTINGS,
    SHEET_COLUMNS,
    SHEETS,
    STATUSES,
    Column,
)

DATE_FORMAT = "dd/mm/yyyy"
VALIDATION_LAST_ROW = 500
CREATOR = "wfs-reports"

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")


def blank_workbook(rules: RulesConfig) -> Workbook:
    """The contract sheets (and Instructions), headers, dropdowns and notes,
    in the words of ``rules`` (its RAG labels and stale days)."""
    labels = [rules.label(rag) for rag in OVERRIDE_RAGS]
    words = {"stale_days": rules.stale_days, "rag_labels": "; ".join(labels)}
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    instructions.column_dimensions["A"].width = 110
    for row, line in enumerate(INSTRUCTIONS, start=1):
        cell = instructions.cell(row=row, column=1, value=line.format(**words) or None)
        cell.alignment = _WRAP
    instructions["A1"].font = Font(bold=True, size=14)

    for title, columns in SHEET_COLUMNS.items():
        sheet = workbook.create_sheet(title)
        for number, column in enumerate(columns.values(), start=1):
            cell = sheet.cell(row=1, column=number, value=column.header)
            cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
            sheet.column_dimensions[cell.column_letter].width = column.width
            # Whole columns wrap, so rows the officer adds wrap too.
            sheet.column_dimensions[cell.column_letter].alignment = _WRAP
            if column.note:
                comment = Comment(column.note.format(**words), CREATOR)
                comment.width, comment.height = 320, 120
                cell.comment = comment
        sheet.freeze_panes = "A2"

    append_rows(workbook[SHEETS["report"]],
                [(setting.name, None) for setting in REPORT_SETTINGS.values()])
    actions = workbook[SHEETS["actions"]]
    # Warnings, not stops: officers may also type "Stage 1 complete" (Status)
    # or R, A or G (RAG Override), which the reader accepts.
    _dropdown(actions, ACTION_COLUMNS["status"], STATUSES,
              typed_too="or 'Stage 1 complete' for a staged action")
    _dropdown(actions, ACTION_COLUMNS["rag_override"], labels, typed_too="or R, A or G")
    workbook.properties.creator = CREATOR
    workbook.properties.lastModifiedBy = CREATOR
    return workbook


def _dropdown(sheet, column: Column, choices: Iterable[str], *, typed_too: str) -> None:
    letter = _letter(ACTION_COLUMNS, column.field)
    header = column.header
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=header,
        error=f"Choose from the list ({', '.join(choices)}), {typed_too}.",
    )
    validation.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
    sheet.add_data_validation(validation)


def _letter(columns: dict[str, Column], field: str) -> str:
    """The column letter a new workbook gives ``field``."""
    return get_column_letter(list(columns).index(field) + 1)


def append_rows(sheet, rows: Iterable[Iterable[object]]) -> None:
    """Add data rows: wrapped, top-aligned, dates shown day first, text kept as text."""
    for values in rows:
        sheet.append([None if value == "" else value for value in values])
        for cell in sheet[sheet.max_row]:
            cell.alignment = _WRAP
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                keep_as_text(cell)


# Text Excel would take as the start of a formula if it were typed.
FORMULA_STARTS = ("=", "+", "-", "@")


def keep_as_text(cell) -> None:
    """Store a string cell as text, never as a formula.

    openpyxl makes any string starting with "=" a formula; setting the type
    back to text writes it as a string. The quote prefix (Excel's leading
    apostrophe) keeps it text when an officer edits the cell in Excel.
    """
    cell.data_type = "s"
    cell.quotePrefix = True


# Neither Excel nor LibreOffice fits a row's height to wrapped text when it
# opens a file, so each row's height is worked out here: the wrapped lines of
# its fullest cell, at the default font's line height.
LINE_HEIGHT_POINTS = 15
MAX_ROW_POINTS = 409  # Excel's limit


def _lines(text: str, width: float) -> int:
    per_line = max(int(width * 1.1) - 1, 1)  # characters of an average width per line
    return sum(max(1, -(-len(line) // per_line)) for line in text.split("\n"))


def fit_row_heights(sheet, first_row: int = 1) -> None:
    """Set each row's height to show its wrapped text (an estimate from column widths)."""
    widths = {letter: d.width for letter, d in sheet.column_dimensions.items() if d.width}
    for row in sheet.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str) and cell.coordinate not in sheet.merged_cells:
                lines = max(lines, _lines(cell.value, widths.get(cell.column_letter, 10)))
        if lines > 1:
            height = min(lines * LINE_HEIGHT_POINTS, MAX_ROW_POINTS)
            sheet.row_dimensions[row[0].row].height = height



def plan_workbook(plan: Plan, rules: RulesConfig) -> Workbook:
    """A workbook in the contract that reads back as ``plan``: settings, one
    row per recommendation and one per action, in order."""
    workbook = blank_workbook(rules)
    values = {setting.name: getattr(plan.settings, field)
              for field, setting in REPORT_SETTINGS.items()}
    for name_cell, value_cell in workbook[SHEETS["report"]].iter_rows(min_row=2, max_col=2):
        value = values.get(name_cell.value)
        if value not in (None, ""):
            value_cell.value = value
            value_cell.alignment = _WRAP
            if isinstance(value, dt.date):
                value_cell.number_format = DATE_FORMAT
            elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
                keep_as_text(value_cell)
    append_rows(workbook[SHEETS["recommendations"]], [
        _in_order(RECOMMENDATION_COLUMNS, ref=r.ref, text=r.text,
                  comments=r.comments_from_service)
        for r in plan.recommendations])
    append_rows(workbook[OWNERS_SHEET], [_in_order(OWNER_COLUMNS, owner=c.owner, email=c.email,
                                                   cc=c.cc)
                                         for c in plan.contacts])
    actions = workbook[SHEETS["actions"]]
    date_letter = _letter(ACTION_COLUMNS, "completion_date")
    for action in plan.actions:
        status = action.status.value if action.status is not Status.BLANK else action.status_text
        append_rows(actions, [_in_order(
            ACTION_COLUMNS, ref=action.ref, action=action.action, owners=action.owners,
            completion_date=action.completion_date, status=status, comments=action.comments,
            rag_override=action.rag_override_text, override_reason=action.override_reason,
            last_updated=action.last_updated,
        )])
        # Completion dates are kept as written: text, so Excel never turns
        # "01/04/2024" into a US date or "Q4 2023-24" into anything else.
        actions[f"{date_letter}{actions.max_row}"].number_format = "@"
    for title in SHEETS.values():
        fit_row_heights(workbook[title], first_row=2)
    return workbook


def _in_order(columns: dict[str, Column], **values: object) -> list[object]:
    """One row's values, by field, in the columns' order."""
    return [values[field] for field in columns]


def workbook_bytes(workbook: Workbook, timestamp: dt.datetime) -> bytes:
    """The .xlsx as bytes with fixed document times, so the same data gives the same file."""
    workbook.properties.created = timestamp
    workbook.properties.modified = timestamp
    raw = io.BytesIO()
    with ZipFile(raw, "w", ZIP_DEFLATED) as archive:
        # ExcelWriter, unlike Workbook.save, keeps our "modified" time.
        ExcelWriter(workbook, archive).save()
    return rezip(raw.getvalue(), timestamp, unix_mode=0o644)


def create_new_workbook(path: Path, now: dt.datetime, workbook: Workbook) -> Path:
    """Write ``workbook`` as a new action-plan workbook at ``path``; never
    overwrite a file."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path}: a new workbook must end in .xlsx")
    data = workbook_bytes(workbook, now)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Whole or not at all, with the umask's mode, never over an existing file.
        write_new_file(path, data)
    except FileExistsError:
        raise OutputError(
            f"{path}: a file with this name already exists and was left as it is; "
            "choose another name"
        ) from None
    except OSError as error:
        raise OutputError(f"{path}: cannot write the new workbook ({error.strerror})") from None
    return path
