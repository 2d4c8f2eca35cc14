"""A ready-made workbook in the input contract: the reader's mirror image.

Used by ``make-report --new-workbook`` and by the sample-workbook builder, so
the headers, dropdowns and guidance an officer sees are the ones the reader
expects. Besides the reader, this is the only module that imports openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from wfs_reports.domain.errors import OutputError
from wfs_reports.domain.model import Plan, Status
from wfs_reports.domain.rules import RulesConfig
from wfs_reports.output.writer import write_new_file
from wfs_reports.workbook.cells import OVERRIDE_RAGS

# The statuses the reader knows, by their own names (the dropdown's choices).
STATUSES = tuple(status.value for status in Status if status is not Status.BLANK)
DATE_FORMAT = "dd/mm/yyyy"
VALIDATION_LAST_ROW = 500
CREATOR = "wfs-reports"

REPORT_HEADERS = (("Setting", 18), ("Value", 80))
REPORT_SETTINGS = ("Title", "Heading", "Organisation", "Meeting", "Meeting date", "As at",
                   "Prepared by", "Classification")
RECOMMENDATION_HEADERS = (("Ref", 6), ("Recommendation", 80), ("Comments from Service", 80))
ACTION_HEADERS = (
    ("Ref", 6),
    ("Action", 60),
    ("Owner(s)", 30),
    ("Completion Date", 22),
    ("Status", 15),
    ("Comments", 50),
    ("RAG Override", 30),
    ("Override Reason", 40),
    ("Last Updated", 14),
)
# Optional: who to send update requests to (make-report --requests).
OWNER_HEADERS = (("Owner", 45), ("Email", 45))

# Header notes: guidance where the officer is typing.
NOTES = {
    ("Actions", "Ref"): "The number of the recommendation this action belongs to: 1, R1 or "
    "Recommendation 1. Leave blank to use the Ref of the row above.",
    ("Actions", "Completion Date"): "How to write the completion date, for example: "
    "Q4 2023-24, March 2024, 31/03/2024, Ongoing, TBC; stages as 'Stage 1: Q4 2023-24 "
    "Stage 2: TBC'. Quarters are financial-year quarters (Q1 = Apr-Jun). Dates are day "
    "first.",
    ("Actions", "Status"): "Not started, In progress, Completed or Not applicable. Write "
    "'Stage 1 complete' when the first stage of a staged action is done.",
    ("Actions", "RAG Override"): "Leave blank to use the computed RAG. An override kinder "
    "than the computed RAG needs an Override Reason, or it is not applied.",
    ("Actions", "Last Updated"): "The date you last updated this row (day/month/year). "
    "Rows not updated for {stale_days} days are flagged.",
    ("Report", "Value"): "Dates are day first, e.g. 22/11/2023. 'As at' is the date the "
    "RAG is worked out for; leave blank for today.",
    ("Owners", "Owner"): "Optional. One row per person (or role) named in the Actions "
    "sheet's Owner(s) column, written as there (case does not matter; a role after the "
    "name may be left out).",
    ("Owners", "Email"): "One email address, e.g. name@example.org. make-report --requests "
    "puts it in the To: line of that owner's draft email; nothing is ever sent.",
}

INSTRUCTIONS = (
    "How to fill in this action plan",
    "",
    "1. Report sheet: the report's title, heading, meeting and 'As at' date.",
    "2. Recommendations sheet: one row per recommendation, numbered 1, 2, 3...; put the "
    "service's comments in 'Comments from Service' (a blank line starts a new paragraph: "
    "Alt+Enter twice).",
    "3. Actions sheet: one row per action, in the order they should appear. 'Ref' is the "
    "recommendation number. Use the dropdowns for Status and RAG Override.",
    "4. Completion dates: write them as you would in a Board paper: Q4 2023-24, March "
    "2024, 31/03/2024, Ongoing, TBC, or 'Stage 1: Q4 2023-24 Stage 2: TBC'.",
    "5. Owners sheet (optional): each owner's email address, for the draft emails "
    "make-report --requests writes to ask owners for their updates before a Board.",
    "6. Save the workbook, then run make-report (or make-report --check first to list "
    "anything to fix). The workbook is never changed by make-report.",
    "",
    "RAG status is worked out for you from the completion date and status: {rag_labels}.",
)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")


def blank_workbook(rules: RulesConfig | None = None) -> Workbook:
    """The contract sheets (and Instructions), headers, dropdowns and notes,
    in the words of ``rules`` (by default the bundled templates/rules.toml)."""
    if rules is None:
        from wfs_reports.config import load_templates

        rules = load_templates(None).rules
    labels = [rules.label(rag) for rag in OVERRIDE_RAGS]
    words = {"stale_days": rules.stale_days, "rag_labels": "; ".join(labels)}
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "Instructions"
    instructions.column_dimensions["A"].width = 110
    for row, line in enumerate(INSTRUCTIONS, start=1):
        cell = instructions.cell(row=row, column=1, value=line.format(**words) or None)
        cell.alignment = _WRAP
    instructions["A1"].font = Font(bold=True, size=14)

    sheets = (("Report", REPORT_HEADERS), ("Recommendations", RECOMMENDATION_HEADERS),
              ("Actions", ACTION_HEADERS), ("Owners", OWNER_HEADERS))
    for title, headers in sheets:
        sheet = workbook.create_sheet(title)
        for column, (header, width) in enumerate(headers, start=1):
            cell = sheet.cell(row=1, column=column, value=header)
            cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
            sheet.column_dimensions[cell.column_letter].width = width
            # Whole columns wrap, so rows the officer adds wrap too.
            sheet.column_dimensions[cell.column_letter].alignment = _WRAP
            note = NOTES.get((title, header))
            if note:
                comment = Comment(note.format(**words), CREATOR)
                comment.width, comment.height = 320, 120
                cell.comment = comment
        sheet.freeze_panes = "A2"

    append_rows(workbook["Report"], [(name, None) for name in REPORT_SETTINGS])
    actions = workbook["Actions"]
    # Warnings, not stops: officers may also type "Stage 1 complete" (Status)
    # or R, A or G (RAG Override), which the reader accepts.
    _dropdown(actions, "Status", STATUSES, typed_too="or 'Stage 1 complete' for a staged action")
    _dropdown(actions, "RAG Override", labels, typed_too="or R, A or G")
    workbook.properties.creator = CREATOR
    workbook.properties.lastModifiedBy = CREATOR
    return workbook


def _dropdown(sheet, header: str, choices: Iterable[str], *, typed_too: str) -> None:
    headers = [name for name, _width in ACTION_HEADERS]
    letter = sheet.cell(row=1, column=headers.index(header) + 1).column_letter
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



def plan_workbook(plan: Plan, rules: RulesConfig | None = None) -> Workbook:
    """A workbook in the contract that reads back as ``plan``: settings, one
    row per recommendation and one per action, in order."""
    workbook = blank_workbook(rules)
    settings = plan.settings
    values = {
        "Title": settings.title,
        "Heading": settings.heading,
        "Organisation": settings.organisation,
        "Meeting": settings.meeting,
        "Meeting date": settings.meeting_date,
        "As at": settings.as_at,
        "Prepared by": settings.prepared_by,
        "Classification": settings.classification,
    }
    for name_cell, value_cell in workbook["Report"].iter_rows(min_row=2, max_col=2):
        value = values.get(name_cell.value)
        if value not in (None, ""):
            value_cell.value = value
            value_cell.alignment = _WRAP
            if isinstance(value, dt.date):
                value_cell.number_format = DATE_FORMAT
            elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
                keep_as_text(value_cell)
    append_rows(workbook["Recommendations"],
                [(r.ref, r.text, r.comments_from_service) for r in plan.recommendations])
    append_rows(workbook["Owners"], [(c.owner, c.email) for c in plan.contacts])
    actions = workbook["Actions"]
    date_column = [name for name, _width in ACTION_HEADERS].index("Completion Date") + 1
    for action in plan.actions:
        status = action.status.value if action.status is not Status.BLANK else action.status_text
        append_rows(actions, [(
            action.ref, action.action, action.owners, action.completion_date, status,
            action.comments, action.rag_override_text, action.override_reason,
            action.last_updated,
        )])
        # Completion dates are kept as written: text, so Excel never turns
        # "01/04/2024" into a US date or "Q4 2023-24" into anything else.
        actions.cell(row=actions.max_row, column=date_column).number_format = "@"
    for title in ("Report", "Recommendations", "Actions"):
        fit_row_heights(workbook[title], first_row=2)
    return workbook


def workbook_bytes(workbook: Workbook, timestamp: dt.datetime) -> bytes:
    """The .xlsx as bytes with fixed document times, so the same data gives the same file."""
    workbook.properties.created = timestamp
    workbook.properties.modified = timestamp
    raw = io.BytesIO()
    with ZipFile(raw, "w", ZIP_DEFLATED) as archive:
        # ExcelWriter, unlike Workbook.save, keeps our "modified" time.
        ExcelWriter(workbook, archive).save()
    out = io.BytesIO()
    with ZipFile(raw) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = ZipInfo(info.filename, date_time=timestamp.timetuple()[:6])
            entry.compress_type = ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def create_new_workbook(path: Path, now: dt.datetime, workbook: Workbook | None = None,
                        rules: RulesConfig | None = None) -> Path:
    """Write a new action-plan workbook at ``path`` (blank unless ``workbook`` is
    given); never overwrite a file."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path}: a new workbook must end in .xlsx")
    data = workbook_bytes(workbook if workbook is not None else blank_workbook(rules), now)
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
