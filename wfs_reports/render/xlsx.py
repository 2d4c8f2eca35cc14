"""Render the plan as an Excel workbook (``--format xlsx``): the RAG back in Excel.

Three sheets, and a fourth with earlier reports, laid out from the shared
``ReportContext`` (this module decides nothing about RAG, wording or order):

- **Actions**: one row per action, in report order, with the RAG Status cell
  filled in its colour and labelled in the contrasting colour from
  rules.toml, the computed comment ("Why") and, with an earlier report, the
  trend; header frozen, autofilter on, text wrapped.
- **Summary**: counts per recommendation and overall, and where the report
  came from.
- **Exceptions**: each exception with its cell in the action-plan workbook.
- **Progress over time** (only with earlier snapshots): the RAG counts at each
  report, oldest first, and an Excel stacked column chart drawn from them.

Cell text is data: every string is stored as text, so one starting with
``=``, ``+``, ``-`` or ``@`` (``=HYPERLINK(...)``) is never a formula.
Characters Excel cannot hold are dropped, each drop reported as a Problem
naming its cell. Fixed document and zip times make the bytes repeatable.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.due import IN_THE_SPREADSHEET, describe_stages
from wfs_reports.domain.model import DueKind, Rag, Stage
from wfs_reports.domain.problems import Kind, Problem, Severity, split_where
from wfs_reports.domain.text import UNSAFE_CHARACTERS
from wfs_reports.render.rendered import Rendered
from wfs_reports.report.view import ActionContext, ReportContext
from wfs_reports.workbook.contract import ACTION_COLUMNS as PLAN_COLUMNS
from wfs_reports.workbook.contract import REPORT_OUTPUT_SHEETS, report_description
from wfs_reports.workbook.new_workbook import (
    DATE_FORMAT,
    FORMULA_STARTS,
    fit_row_heights,
    keep_as_text,
    workbook_bytes,
)

# XML 1.0 and so Excel cannot hold these (tab, line feed and carriage return it can).
EXCEL_INVALID = UNSAFE_CHARACTERS  # the characters no document can hold
# The most text one Excel cell can hold.
EXCEL_CELL_LIMIT = 32_767

_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
FONT = "Calibri"  # openpyxl's default body font; a bold or coloured cell must name it too
_THIN = Side(style="thin", color="B1B4B6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# (header, width in characters); the officer's own columns keep the plan's headers.
ACTION_COLUMNS = (
    ("Recommendation", 17),
    ("Recommendation text", 40),
    ("No.", 6),
    ("Action", 50),
    ("Owner(s)", 24),
    ("Completion Date", 18),
    ("Due date(s)", 16),
    ("Status", 14),
    ("Comments", 45),
    (PLAN_COLUMNS["rag_override"].header, 16),
    (PLAN_COLUMNS["override_reason"].header, 30),
    (PLAN_COLUMNS["last_updated"].header, 13),
    ("RAG Status", 22),
    ("Why", 45),
)
# The workbook's field each of ACTION_COLUMNS shows (None: worked out, not read).
ACTION_FIELDS = ("ref", None, None, "action", "owners", "completion_date", "completion_date",
                 "status", "comments", "rag_override", "override_reason", "last_updated", None,
                 None)
TREND_COLUMN = ("Trend", 12)
ROW_COLUMN = ("Workbook row", 10)
EXCEPTION_COLUMNS = (("Recommendation", 18), ("Cell", 14), ("Action", 50), ("Issue", 60),
                     ("Kind", 16))
CHANGE_COLUMNS = (("Change", 24), ("Recommendation", 17), ("Action", 50),
                  ("What changed", 50), ("Workbook row", 10))
CHANGES_SHEET = "Changes since the last report"
# A chart label's number format: the count, and nothing for nought.
ZERO_HIDDEN = "0;-0;;"


class _Writer:
    """Puts values into cells: text kept as text, unholdable characters dropped and reported."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def put(self, sheet, row: int, column: int, value: object, *, source: str = "",
            origin: str = ""):
        """``origin``: the workbook's cell the value was read from ("Actions!F7"),
        which a warning names; ``source`` says what the value is otherwise."""
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            value = self._text(value, f"{sheet.title}!{cell.coordinate}", source, origin)
            cell.value = value or None
            if value.startswith(FORMULA_STARTS):
                keep_as_text(cell)  # openpyxl would make "=..." a formula
            elif value:
                cell.data_type = "s"
        else:
            cell.value = value
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
        cell.alignment = _WRAP
        return cell

    def _text(self, text: str, output: str, source: str, origin: str) -> str:
        # A warning is located at the workbook's cell, where the officer can act;
        # the Excel report's own cell (another sheet layout) is named in words.
        sheet, cell = split_where(origin)
        at = f"the Excel report's {output}" + (f" ({source})" if source and not origin else "")
        found = EXCEL_INVALID.findall(text)
        if found:
            text = EXCEL_INVALID.sub("", text)
            codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
            self.problems.append(Problem(
                Kind.CHARACTER_DROPPED, Severity.WARNING,
                f"{len(found)} character(s) Excel cannot hold ({codes}) were left out of "
                f"{at}", sheet=sheet, cell=cell))
        if len(text) > EXCEL_CELL_LIMIT:
            self.problems.append(Problem(
                Kind.CHARACTER_DROPPED, Severity.WARNING,
                f"the text is {len(text):,} characters, more than an Excel cell holds; "
                f"{at} shows only the first {EXCEL_CELL_LIMIT:,}", sheet=sheet, cell=cell))
            text = text[:EXCEL_CELL_LIMIT]
        return text


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _header(sheet, columns, context: ReportContext, writer: _Writer) -> None:
    fill = PatternFill("solid", fgColor=_hex(context.brand.accent)) if context.brand.accent \
        else None
    font = Font(name=FONT, bold=True, color=_hex(context.brand.accent_text) or None)
    for column, (name, width) in enumerate(columns, start=1):
        cell = writer.put(sheet, 1, column, name)
        cell.font = font
        cell.border = _BORDER
        if fill:
            cell.fill = fill
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"


def _rag_cell(cell, rag: RagStyle) -> None:
    if rag.fill:
        cell.fill = PatternFill("solid", fgColor=_hex(rag.fill))
    cell.font = Font(name=FONT, bold=True, color=_hex(rag.text_colour) or None)


def _due(action: ActionContext) -> object:
    """One date as an Excel date (it sorts and filters); stages and the rest as text.
    A not-applicable action with no date is due never, not "TBC"."""
    if len(action.due) == 1 and action.due[0].date:
        return dt.date.fromisoformat(action.due[0].date)
    if action.rag.key == Rag.NOT_APPLICABLE and not any(s.date for s in action.due):
        return action.rag.label
    stages = (Stage(s.stage, DueKind(s.kind), dt.date.fromisoformat(s.date) if s.date else None,
                    s.text) for s in action.due)
    return describe_stages(stages, IN_THE_SPREADSHEET)


def _page_setup(sheet, context: ReportContext) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # "&" starts a code in Excel's header and footer text; "&&" is a literal ampersand.
    title = EXCEL_INVALID.sub("", context.title).replace("&", "&&")
    sheet.oddHeader.center.text = f"{title} - {sheet.title}"
    sheet.oddFooter.left.text = f"Position as at {context.as_at}"
    sheet.oddFooter.right.text = "Page &P of &N"


def _override_label(action: ActionContext, context: ReportContext) -> str:
    """The officer's RAG Override as the rules label it ("Missed"), as the plan's dropdown."""
    if not action.override:
        return ""
    styles = {style.key: style for style in (*context.rag_key, context.not_applicable)}
    style = styles.get(action.override)  # a Rag is its key string
    return style.label if style else action.override


def _actions_sheet(workbook: Workbook, context: ReportContext, writer: _Writer) -> None:
    sheet = workbook.active
    sheet.title = REPORT_OUTPUT_SHEETS[0]
    compared = context.changes is not None
    columns = ACTION_COLUMNS + ((TREND_COLUMN,) if compared else ()) + (ROW_COLUMN,)
    _header(sheet, columns, context, writer)
    rag_column = [name for name, _w in columns].index("RAG Status") + 1
    row = 1
    for rec in context.recommendations:
        for action in rec.actions:
            row += 1
            source = f"the action on row {action.row} of the workbook"
            updated = dt.date.fromisoformat(action.last_updated) if action.last_updated \
                else ""
            values: list[object] = [
                rec.ref, rec.text, action.number, action.action, action.owners,
                action.completion_date,
                _due(action), action.status, action.comments, _override_label(action, context),
                action.override_reason, updated, action.rag.label, action.computed_comment,
            ]
            if compared:
                values.append(action.trend_text)
            values.append(action.row)
            fields = [*ACTION_FIELDS, *([None] if compared else []), None]
            for column, (value, field) in enumerate(zip(values, fields, strict=True), start=1):
                cell = writer.put(sheet, row, column, value, source=source,
                                  origin=action.cells.get(field, "") if field else "")
                cell.border = _BORDER
                if isinstance(value, int):
                    cell.alignment = _CENTRE
            _rag_cell(sheet.cell(row=row, column=rag_column), action.rag)
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{max(row, 2)}"
    fit_row_heights(sheet)
    _page_setup(sheet, context)


def _summary_sheet(workbook: Workbook, context: ReportContext, writer: _Writer) -> None:
    sheet = workbook.create_sheet(REPORT_OUTPUT_SHEETS[1])
    key = context.rag_key
    columns = (("Recommendation", 22), *((style.label, 18) for style in key),
               ("Not applicable", 14), ("Total counted", 14))
    _header(sheet, columns, context, writer)
    for column, style in enumerate(key, start=2):
        _rag_cell(sheet.cell(row=1, column=column), style)

    def counts(items) -> list[int]:
        by_key = {c.rag.key: c.count for c in items}
        return [by_key.get(style.key, 0) for style in key]

    row = 1
    for summary in context.summary.per_recommendation:
        row += 1
        values = [summary.heading, *counts(summary.counts), summary.not_applicable,
                  summary.total]
        for column, value in enumerate(values, start=1):
            writer.put(sheet, row, column, value).border = _BORDER
    row += 1
    total = context.summary
    values = ["All recommendations", *counts(total.counts), total.not_applicable, total.total]
    for column, value in enumerate(values, start=1):
        cell = writer.put(sheet, row, column, value)
        cell.border = _BORDER
        cell.font = Font(name=FONT, bold=True)
    row += 1
    about = (
        ("Report", context.title),
        ("Heading", context.heading),
        ("Summary for the Board", context.summary_for_the_board),
        ("Position as at", context.as_at),
        ("Meeting", context.meeting),
        ("Meeting date", context.meeting_date),
        ("Source workbook", context.source_file),
        ("Source SHA-256", context.source_sha256),
        ("Counted", "Actions marked not applicable are not counted."),
    )
    for label, value in about:
        if not value:
            continue
        row += 1
        writer.put(sheet, row, 1, label).font = Font(name=FONT, bold=True)
        writer.put(sheet, row, 2, value)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row,
                          end_column=len(columns))
    fit_row_heights(sheet)
    _page_setup(sheet, context)


def _exceptions_sheet(workbook: Workbook, context: ReportContext, writer: _Writer) -> None:
    sheet = workbook.create_sheet(REPORT_OUTPUT_SHEETS[2])
    _header(sheet, EXCEPTION_COLUMNS, context, writer)
    headings = {r.ref: r.heading for r in context.recommendations}
    row = 1
    for item in context.exceptions:
        row += 1
        values = (headings.get(item.ref, f"Recommendation {item.ref}"), item.cell, item.action,
                  item.message, item.kind)
        for column, value in enumerate(values, start=1):
            writer.put(sheet, row, column, value,
                       source=f"the exception for {item.cell}").border = _BORDER
    if row == 1:
        writer.put(sheet, 2, 1, "No exceptions.")
    else:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(EXCEPTION_COLUMNS))}{row}"
    fit_row_heights(sheet)
    _page_setup(sheet, context)


def _changes_sheet(workbook: Workbook, context: ReportContext, writer: _Writer) -> None:
    """What changed since the last report, one row per change, titled as the Board
    reads them, after a line naming the report it was compared with."""
    changes = context.changes
    if changes is None:
        return
    sheet = workbook.create_sheet(CHANGES_SHEET)
    _header(sheet, CHANGE_COLUMNS, context, writer)
    headings = {r.ref: r.heading for r in context.recommendations}
    # The action's whole text, not the excerpt the Board's tables show.
    texts = {a.row: a.action for r in context.recommendations for a in r.actions}
    row = 1
    for title, items in changes.groups:
        for item in items:
            row += 1
            text = texts.get(item.row) if item.row is not None else item.previous_action
            values = (title, headings.get(item.ref, f"Recommendation {item.ref}"),
                      text or item.action,
                      item.detail, item.row if item.row is not None else "")
            for column, value in enumerate(values, start=1):
                cell = writer.put(sheet, row, column, value,
                                  source=f"the change to '{item.action}'")
                cell.border = _BORDER
                if isinstance(value, int):
                    cell.alignment = _CENTRE
    if row == 1:
        row += 1
        writer.put(sheet, row, 1, "No changes.")
    else:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(CHANGE_COLUMNS))}{row}"
    row += 2
    compared = f"Compared with the report as at {changes.previous_as_at}"
    if changes.previous_file:
        compared += f" ({changes.previous_file})"
    writer.put(sheet, row, 1, compared + ".")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row,
                      end_column=len(CHANGE_COLUMNS))
    fit_row_heights(sheet)
    _page_setup(sheet, context)


def _progress_sheet(workbook: Workbook, context: ReportContext, writer: _Writer) -> None:
    """The counts at each report, and a stacked column chart of them (Excel's own,
    so it needs no picture library and stays editable)."""
    progress = context.progress
    if progress is None:
        return
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList
    from openpyxl.chart.shapes import GraphicalProperties
    from openpyxl.drawing.colors import ColorChoice
    from openpyxl.drawing.fill import PatternFillProperties
    from openpyxl.drawing.line import LineProperties

    sheet = workbook.create_sheet(progress.heading)
    key = context.rag_key
    columns = (("Report as at", 30), *((f"{style.mark} {style.label}", 18) for style in key),
               ("Actions counted", 14))
    _header(sheet, columns, context, writer)
    for column, style in enumerate(key, start=2):
        _rag_cell(sheet.cell(row=1, column=column), style)
    for row, point in enumerate(progress.points, start=2):
        values = [progress.row_label(point), *(c.count for c in point.counts), point.total]
        for column, value in enumerate(values, start=1):
            cell = writer.put(sheet, row, column, value)
            cell.border = _BORDER
            if isinstance(value, int):
                cell.alignment = _CENTRE
    last = len(progress.points) + 1

    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = progress.heading
    chart.y_axis.title = "Actions counted"
    chart.y_axis.majorGridlines = None
    chart.add_data(Reference(sheet, min_col=2, max_col=1 + len(key), min_row=1, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    for series, style in zip(chart.series, key, strict=True):
        fill = _hex(style.fill) or "FFFFFF"
        properties = GraphicalProperties(solidFill=fill, ln=LineProperties(solidFill="0B0C0C"))
        if style.key == Rag.MISSED:  # hatched, as in the other formats: reads without colour
            properties = GraphicalProperties(
                pattFill=PatternFillProperties(prst="wdUpDiag", fgClr=ColorChoice(srgbClr="FFFFFF"),
                                       bgClr=ColorChoice(srgbClr=fill)),
                ln=LineProperties(solidFill="0B0C0C"))
        series.graphicalProperties = properties
        # Only the count, and none for a part of nought: a spreadsheet that finds a
        # label's parts unset (LibreOffice) would add the report, the RAG and its
        # legend key to every label, and they overlap.
        series.dLbls = DataLabelList(showVal=True, showCatName=False, showSerName=False,
                                     showLegendKey=False, showPercent=False,
                                     showBubbleSize=False, showLeaderLines=False,
                                     numFmt=ZERO_HIDDEN)
    chart.width, chart.height = 18, 9
    sheet.add_chart(chart, f"A{last + 2}")
    fit_row_heights(sheet)
    _page_setup(sheet, context)


def render_xlsx(context: ReportContext) -> Rendered:
    """The workbook's bytes and any characters it had to drop."""
    writer = _Writer()
    workbook = Workbook()
    _actions_sheet(workbook, context, writer)
    _summary_sheet(workbook, context, writer)
    _exceptions_sheet(workbook, context, writer)
    _changes_sheet(workbook, context, writer)
    _progress_sheet(workbook, context, writer)
    properties = workbook.properties
    properties.title = EXCEL_INVALID.sub("", context.title)
    properties.subject = EXCEL_INVALID.sub("", context.heading)
    properties.creator = properties.lastModifiedBy = context.generator
    properties.identifier = f"sha256:{context.source_sha256}"
    # The workbook reader knows its own report by this (a report is not a plan).
    properties.description = EXCEL_INVALID.sub(
        "", report_description(context.generator, context.source_file))
    properties.language = "en-GB"
    midnight = dt.datetime.fromisoformat(context.as_at_iso)
    return Rendered(workbook_bytes(workbook, midnight), tuple(writer.problems))


def render(context: ReportContext, templates) -> Rendered:
    """The Excel workbook, for the format registry (wfs_reports.render.formats)."""
    return render_xlsx(context)
