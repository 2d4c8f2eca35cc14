"""Read the officers' workbook into a Plan. The only module that imports openpyxl.

The reader is forgiving where officers are inconsistent (header spelling,
column order, refs written several ways, blank rows, the old template's
placeholder text) and strict where a guess could mislead the Board (a
status, RAG or date it cannot read is reported by cell, never guessed).
Every problem found is gathered, so one run lists them all.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from wfs_reports.dates import parse_day_first_date
from wfs_reports.errors import WorkbookError
from wfs_reports.model import (
    Action,
    Plan,
    Rag,
    Recommendation,
    ReportSettings,
    Status,
)

# What officers have been seen to write, by the field it means. Headers are
# compared after _key(): lower case, letters and digits only.
ACTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("Ref", "Rec", "Recommendation", "Rec No", "Rec Ref", "Recommendation No",
            "Recommendation Number", "Recommendation Ref"),
    "action": ("Action", "Actions", "Action Description"),
    "owners": ("Owner(s)", "Owner", "Owners", "Lead", "Leads", "Action Owner", "Responsible"),
    "completion_date": ("Completion Date", "Due", "Due date", "Target date", "Deadline",
                        "Completion", "Target Completion Date", "Date Due"),
    "status": ("Status", "Progress status", "Progress"),
    "comments": ("Comments", "Comment", "Progress update", "Update", "Progress Comments",
                 "Latest Update"),
    "rag_override": ("RAG Override", "Officer RAG", "Override", "RAG", "RAG Status"),
    "override_reason": ("Override Reason", "Reason", "RAG Reason", "Reason for Override"),
    "last_updated": ("Last Updated", "Updated", "Date Updated", "Last Update", "Updated On"),
}
ACTION_REQUIRED = ("ref", "action", "completion_date")

RECOMMENDATION_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("Ref", "Rec", "Rec No", "Number", "No", "Recommendation No",
            "Recommendation Number", "Recommendation Ref"),
    "text": ("Recommendation", "Recommendation Text", "Text", "Description"),
    "comments": ("Comments from Service", "Service Comments", "Comments", "Comment",
                 "Narrative", "Comments from the Service"),
}
RECOMMENDATION_REQUIRED = ("ref", "text")

REPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "setting": ("Setting", "Settings", "Field", "Name", "Item"),
    "value": ("Value", "Values"),
}

REPORT_SETTINGS: dict[str, tuple[str, ...]] = {
    "title": ("Title", "Report Title", "Running Header"),
    "heading": ("Heading", "Report Heading"),
    "organisation": ("Organisation", "Organization", "Brand", "Organisation Name"),
    "meeting": ("Meeting", "Meeting Name", "Board"),
    "meeting_date": ("Meeting date", "Date of Meeting"),
    "as_at": ("As at", "As at date", "Position as at", "Report date", "Date"),
    "prepared_by": ("Prepared by", "Author", "Report Author"),
    "classification": ("Classification", "Security Classification", "Status of Report"),
}

SHEETS = {"report": "Report", "recommendations": "Recommendations", "actions": "Actions"}

# Text the old Word template put in empty cells; it means "nothing here".
PLACEHOLDERS = ("Insert any relevant comments", "Add colour for RAG status")

STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: ("Not started", "Not yet started", "Not begun", "To start", "Planned"),
    Status.IN_PROGRESS: ("In progress", "Started", "Underway", "Under way", "On track",
                         "On target", "In hand", "Ongoing", "Progressing", "WIP"),
    Status.COMPLETED: ("Completed", "Complete", "Done", "Closed", "Achieved", "Finished"),
    Status.NOT_APPLICABLE: ("Not applicable", "N/A", "NA", "Not relevant"),
}

RAG_WORDS: dict[Rag, tuple[str, ...]] = {
    Rag.COMPLETED: ("Completed Action", "G", "Green", "Completed", "Complete"),
    Rag.MINOR_ISSUES: ("On target but with minor issues", "A", "Amber", "On target",
                       "Minor issues", "Yellow"),
    Rag.MISSED: ("Missed target requires action", "R", "Red", "Missed", "Missed target"),
}

_STAGE_DONE = re.compile(
    r"\b(?:stage|phase)\s*(\d+)\s*(?:is\s+|has\s+been\s+|now\s+)?(?:complete|completed|done|finished)\b",
    re.IGNORECASE,
)
_REF = re.compile(
    r"^(?:rec(?:ommendation)?s?|r|no|number|ref)?[\s.:#-]*(\d+)(?:\.0+)?$", re.IGNORECASE
)
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Characters XML 1.0 cannot carry; Word and WeasyPrint would choke on them.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")

# A workbook this large on disk is no action plan; refuse before unzipping.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


def _key(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def _lookup(table: dict) -> dict[str, object]:
    return {_key(word): target for target, words in table.items() for word in words}


_STATUS_LOOKUP = _lookup(STATUS_WORDS)
_RAG_LOOKUP = _lookup(RAG_WORDS)
_SETTING_LOOKUP = _lookup(REPORT_SETTINGS)
_PLACEHOLDER_KEYS = {_key(p) for p in PLACEHOLDERS}


@dataclass
class _Table:
    """One sheet's header mapping: field name -> column index (1-based)."""

    title: str
    columns: dict[str, int]
    letters: dict[str, str]


def read_workbook(data: bytes, file_name: str) -> Plan:
    """Read the workbook's bytes. ``file_name`` is used in messages only."""
    check_container(data, file_name)
    import openpyxl  # imported here so the domain and CLI start without it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise WorkbookError(
            file_name,
            [f"cannot be read as an Excel workbook ({type(error).__name__}); open it in "
             "Excel, save it as .xlsx and run again"],
        ) from None
    return _Reader(workbook, file_name).read()


def check_container(data: bytes, file_name: str) -> None:
    """Refuse files that are not .xlsx workbooks before openpyxl sees them."""

    def fail(message: str) -> None:
        raise WorkbookError(file_name, [message])

    if not data:
        fail("the file is empty; choose the saved .xlsx workbook")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        fail(
            "this is an old-format (.xls) or password-protected workbook; remove the "
            "password or use File > Save As > Excel Workbook (.xlsx) and run again"
        )
    if data[:2] != b"PK":
        fail("this is not an Excel .xlsx workbook; save it from Excel as .xlsx and run again")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            declared = sum(info.file_size for info in archive.infolist())
            compressed = sum(info.compress_size for info in archive.infolist()) or 1
    except zipfile.BadZipFile:
        fail(
            "the workbook is damaged or incomplete (was it still being saved?); open it in "
            "Excel, save it again and run again"
        )
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            fail("this is a binary .xlsb workbook; save it as Excel Workbook (.xlsx)")
        if "content.xml" in names:
            fail("this is an OpenDocument (.ods) spreadsheet; save it as Excel Workbook (.xlsx)")
        fail("this zip file is not an Excel workbook; choose the .xlsx action plan")
    if declared > MAX_UNCOMPRESSED_BYTES or declared / compressed > MAX_COMPRESSION_RATIO:
        fail(
            f"the workbook would unpack to {declared // (1024 * 1024)} MB, far more than an "
            "action plan needs; it may be damaged or malicious, so it was not opened"
        )


class _Reader:
    def __init__(self, workbook, file_name: str):
        self.workbook = workbook
        self.file_name = file_name
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def read(self) -> Plan:
        sheets = self._find_sheets()
        settings = ReportSettings()
        if sheets.get("report") is not None:
            settings = self._read_settings(sheets["report"])
        recommendations: list[Recommendation] = []
        if sheets.get("recommendations") is not None:
            recommendations = self._read_recommendations(sheets["recommendations"])
        if sheets.get("actions") is not None:
            self._read_actions(sheets["actions"], recommendations)
        if self.problems:
            raise WorkbookError(self.file_name, self.problems)
        return Plan(settings, recommendations, self.warnings)

    # -- sheets and headers -------------------------------------------------

    def _find_sheets(self) -> dict:
        by_key = {_key(ws.title): ws for ws in self.workbook.worksheets}
        found = {}
        for field, name in SHEETS.items():
            sheet = by_key.get(_key(name))
            if sheet is None and field != "report":
                listed = ", ".join(repr(ws.title) for ws in self.workbook.worksheets)
                self.problems.append(
                    f"no sheet named '{name}' (sheets found: {listed}); add it or rename "
                    "the right sheet"
                )
            elif sheet is None:
                self.warnings.append(
                    f"{self.file_name}: no 'Report' sheet; using the default title and "
                    "today's date"
                )
            else:
                if sheet.sheet_state != "visible":
                    self.warnings.append(
                        f"{self.file_name}: sheet '{sheet.title}' is hidden; it was read "
                        "all the same"
                    )
            found[field] = sheet
        return found

    def _header(
        self, sheet, columns: dict[str, tuple[str, ...]], required: Iterable[str]
    ) -> _Table | None:
        lookup = _lookup(columns)
        mapping: dict[str, int] = {}
        letters: dict[str, str] = {}
        unknown = []
        for cell in sheet[1] if sheet.max_row >= 1 else ():
            if cell.value is None or not str(cell.value).strip():
                continue
            field = lookup.get(_key(cell.value))
            if field is None:
                unknown.append(f"'{str(cell.value).strip()}' ({cell.coordinate})")
            elif field in mapping:
                self.problems.append(
                    f"{sheet.title}!{cell.coordinate}: column '{str(cell.value).strip()}' "
                    f"repeats {sheet.title}!{letters[field]}1; delete or rename one of them"
                )
            else:
                mapping[field] = cell.column
                letters[field] = cell.column_letter
        if unknown:
            self.warnings.append(
                f"{self.file_name}: {sheet.title}: ignored column(s) we do not use: "
                + ", ".join(unknown)
            )
        ok = True
        for field in required:
            if field not in mapping:
                names = columns[field]
                self.problems.append(
                    f"{sheet.title}!1:1: no '{names[0]}' column; add a header named "
                    f"'{names[0]}' (also accepted: "
                    + ", ".join(f"'{n}'" for n in names[1:])
                    + ")"
                )
                ok = False
        return _Table(sheet.title, mapping, letters) if ok else None

    def _rows(self, sheet, table: _Table):
        """Yield (row number, {field: cell}) for rows that are not blank."""
        for row in sheet.iter_rows(min_row=2):
            cells = {}
            for field, column in table.columns.items():
                if column - 1 < len(row):
                    cells[field] = row[column - 1]
            if all(self._text(c) == "" and not isinstance(c.value, dt.date)
                   for c in cells.values()):
                continue
            number = row[0].row
            if sheet.row_dimensions[number].hidden:
                self.warnings.append(
                    f"{self.file_name}: {sheet.title}!{number}:{number} is hidden; it was "
                    "included in the report"
                )
            yield number, cells

    # -- cell values ---------------------------------------------------------

    def _text(self, cell) -> str:
        """Cell text with line breaks kept and placeholders dropped."""
        if cell is None or cell.value is None:
            return ""
        value = cell.value
        if isinstance(value, bool):
            text = "Yes" if value else "No"
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, dt.datetime):
            text = value.date().strftime("%d/%m/%Y")
        elif isinstance(value, dt.date):
            text = value.strftime("%d/%m/%Y")
        else:
            text = str(value)
        text = _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
        if _XML_FORBIDDEN.search(text):
            text = _XML_FORBIDDEN.sub("", text)
            self.warnings.append(
                f"{self.file_name}: {cell.parent.title}!{cell.coordinate}: removed control "
                "characters that documents cannot hold"
            )
        text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
        if _key(text) in _PLACEHOLDER_KEYS:
            return ""
        return text

    def _where(self, cell) -> str:
        return f"{cell.parent.title}!{cell.coordinate}"

    def _date(self, cell, what: str) -> dt.date | None:
        if cell is None or cell.value is None:
            return None
        if isinstance(cell.value, dt.datetime):
            return cell.value.date()
        if isinstance(cell.value, dt.date):
            return cell.value
        text = self._text(cell)
        if not text:
            return None
        parsed = parse_day_first_date(text)
        if parsed is None:
            self.problems.append(
                f"{self._where(cell)}: {what} '{text}' is not a date; type it as "
                "day/month/year, e.g. 22/11/2023"
            )
        return parsed

    def _ref(self, cell) -> int | None:
        value = cell.value if cell is not None else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer() and value > 0:
                return int(value)
        else:
            match = _REF.match(self._text(cell).strip())
            if match and int(match.group(1)) > 0:
                return int(match.group(1))
        self.problems.append(
            f"{self._where(cell)}: Ref '{self._text(cell)}' is not a recommendation number; "
            "write it as 1, R1 or Recommendation 1"
        )
        return None

    # -- sheets --------------------------------------------------------------

    def _read_settings(self, sheet) -> ReportSettings:
        settings = ReportSettings()
        table = self._header(sheet, REPORT_COLUMNS, ("setting", "value"))
        if table is None:
            return settings
        for _number, cells in self._rows(sheet, table):
            name_cell, value_cell = cells.get("setting"), cells.get("value")
            field = _SETTING_LOOKUP.get(_key(self._text(name_cell)))
            if field is None:
                self.warnings.append(
                    f"{self.file_name}: {self._where(name_cell)}: setting "
                    f"'{self._text(name_cell)}' is not one we use; ignored"
                )
                continue
            if field in ("meeting_date", "as_at"):
                setattr(settings, field, self._date(value_cell, field.replace("_", " ")))
                continue
            text = self._text(value_cell)
            if text:  # a blank value keeps the default
                setattr(settings, field, text)
        return settings

    def _read_recommendations(self, sheet) -> list[Recommendation]:
        table = self._header(sheet, RECOMMENDATION_COLUMNS, RECOMMENDATION_REQUIRED)
        if table is None:
            return []
        recommendations: dict[int, Recommendation] = {}
        for number, cells in self._rows(sheet, table):
            ref = self._ref(cells.get("ref"))
            if ref is None:
                continue
            if ref in recommendations:
                self.problems.append(
                    f"{self._where(cells['ref'])}: recommendation {ref} is listed twice "
                    f"(also row {recommendations[ref].row}); keep one row per recommendation"
                )
                continue
            text = self._text(cells.get("text"))
            if not text:
                self.problems.append(
                    f"{table.title}!{table.letters['text']}{number}: recommendation {ref} "
                    "has no text; type the recommendation"
                )
            recommendations[ref] = Recommendation(
                ref=ref,
                text=text,
                comments_from_service=self._text(cells.get("comments")),
                row=number,
            )
        return list(recommendations.values())

    def _read_actions(self, sheet, recommendations: list[Recommendation]) -> None:
        table = self._header(sheet, ACTION_COLUMNS, ACTION_REQUIRED)
        if table is None:
            return
        by_ref = {r.ref: r for r in recommendations}
        previous_ref: int | None = None
        for number, cells in self._rows(sheet, table):
            ref_cell = cells.get("ref")
            if self._text(ref_cell) == "":
                if previous_ref is None:
                    self.problems.append(
                        f"{self._where(ref_cell)}: this action has no Ref; type the "
                        "number of its recommendation"
                    )
                    continue
                ref = previous_ref  # officers leave the Ref blank under the first row
            else:
                ref = self._ref(ref_cell)
                if ref is None:
                    continue
            previous_ref = ref
            action = self._action(number, ref, cells, table)
            if action is None:
                continue
            if ref not in by_ref:
                known = ", ".join(str(r) for r in by_ref) or "none"
                self.problems.append(
                    f"{self._where(ref_cell)}: Ref {ref} matches no recommendation on the "
                    f"Recommendations sheet (found: {known}); correct the Ref or add "
                    "the recommendation"
                )
                continue
            by_ref[ref].actions.append(action)

    def _action(self, number: int, ref: int, cells: dict, table: _Table) -> Action | None:
        text = {field: self._text(cells.get(field)) for field in ACTION_COLUMNS}
        where = {field: f"{table.title}!{table.letters.get(field, 'A')}{number}"
                 for field in ACTION_COLUMNS}
        if not text["action"]:
            self.problems.append(
                f"{where['action']}: the action text is blank; type the action or delete "
                "the row"
            )
            return None
        status, stages_done = self._status(text["status"], where["status"])
        override = None
        if text["rag_override"]:
            override = _RAG_LOOKUP.get(_key(text["rag_override"]))
            if override is None:
                self.problems.append(
                    f"{where['rag_override']}: RAG Override '{text['rag_override']}' is "
                    "not a RAG status; use Completed Action, On target but with minor "
                    "issues, Missed target requires action (or G, A, R), or leave it blank"
                )
        date_cell = cells.get("completion_date")
        date_value = None
        if date_cell is not None and isinstance(date_cell.value, dt.date):
            date_value = (date_cell.value.date() if isinstance(date_cell.value, dt.datetime)
                          else date_cell.value)
        return Action(
            row=number,
            ref=ref,
            action=text["action"],
            owners=text["owners"],
            completion_date=text["completion_date"],
            completion_date_value=date_value,
            status=status,
            status_text=text["status"],
            stages_complete=stages_done,
            comments=text["comments"],
            rag_override=override,
            rag_override_text=text["rag_override"],
            override_reason=text["override_reason"],
            last_updated=self._date(cells.get("last_updated"), "Last Updated"),
            cells=where,
        )

    def _status(self, text: str, where: str) -> tuple[Status, frozenset[int]]:
        if not text:
            return Status.BLANK, frozenset()
        status = _STATUS_LOOKUP.get(_key(text))
        if status is not None:
            return status, frozenset()
        stages = frozenset(int(n) for n in _STAGE_DONE.findall(text))
        if stages:  # "Stage 1 complete, stage 2 in progress"
            return Status.IN_PROGRESS, stages
        self.problems.append(
            f"{where}: Status '{text}' is not one we know; use Not started, In progress, "
            "Completed or Not applicable (or leave it blank)"
        )
        return Status.BLANK, frozenset()
