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
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import NoReturn

from wfs_reports.dates import parse_day_first_date
from wfs_reports.errors import SetupError, WorkbookError
from wfs_reports.model import (
    Action,
    Contact,
    Plan,
    Rag,
    Recommendation,
    ReportSettings,
    Status,
)
from wfs_reports.problems import Kind, Problem, Severity

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
# Names officers give the Report sheet when they rename it; looked for in order.
REPORT_SHEET_NAMES = ("Report", "Report settings", "Settings", "Report details", "Details",
                      "Cover", "Cover sheet", "Front sheet", "Front page", "Info", "About")

# What the report loses when an optional Actions column is missing: said once.
MISSING_COLUMN_EFFECTS: dict[str, str] = {
    "owners": "every action is shown with no owner",
    "status": "no action can be Completed or Not applicable, so every action is judged by "
              "its date alone",
    "comments": "the report carries no officer updates",
    "rag_override": "no officer RAG override is applied",
    "override_reason": "an override kinder than the computed RAG is refused, as it has no "
                       "reason",
    "last_updated": "old updates cannot be spotted",
}
# Excel keeps a date as a day number (a serial: 45382 is 31 March 2024); a cell
# formatted General shows the number. Only these would be plausible plan dates.
_SERIAL_FROM, _SERIAL_TO = 36526, 73050  # 1 January 2000 .. 31 December 2099

# The optional Owners sheet: who to send update requests to (make-report --requests).
OWNERS_SHEETS = ("Owners", "Owner Emails", "Owner Addresses", "Contacts")
OWNER_COLUMNS: dict[str, tuple[str, ...]] = {
    "owner": ("Owner", "Owners", "Owner(s)", "Name", "Lead", "Person"),
    "email": ("Email", "E-mail", "Email address", "E-mail address", "Address", "Mail"),
}

# Text the old Word template put in empty cells; it means "nothing here".
PLACEHOLDERS = ("Insert any relevant comments", "Add colour for RAG status")

STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: ("Not started", "Not yet started", "Not begun", "To start", "Planned"),
    Status.IN_PROGRESS: ("In progress", "Started", "Underway", "Under way", "On track",
                         "On target", "In hand", "Ongoing", "Progressing", "WIP"),
    Status.COMPLETED: ("Completed", "Complete", "Done", "Closed", "Achieved", "Finished"),
    Status.NOT_APPLICABLE: ("Not applicable", "N/A", "NA", "Not relevant"),
}

# Besides the RAG labels of the rules in use (templates/rules.toml), which the
# reader is given: an officer may write a label or one of these.
RAG_SYNONYMS: dict[Rag, tuple[str, ...]] = {
    Rag.COMPLETED: ("G", "Green", "Completed", "Complete"),
    Rag.MINOR_ISSUES: ("A", "Amber", "On target", "Minor issues", "Yellow"),
    Rag.MISSED: ("R", "Red", "Missed", "Missed target"),
}
# The RAGs an officer may choose as an override (not "not applicable": that is a status).
OVERRIDE_RAGS = (Rag.COMPLETED, Rag.MINOR_ISSUES, Rag.MISSED)

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

# Lone UTF-16 surrogates: an `_xD800_` escape can make one, and no document
# format can hold it (the renderers would fail or cut the text short).
_SURROGATE = re.compile("[\ud800-\udfff]")
# Excel's error values; a cell showing one has no real value to report.
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
                          "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!",
                          "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})

# A workbook this large is no action plan; refuse before unzipping. Real
# plans are well under a megabyte, even with a logo or two.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
# Ordinary workbooks compress 5-20 times; a zip bomb about 1000 times. Small
# archives are exempt: a few megabytes cannot hurt, however well they pack.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_FROM_BYTES = 5 * 1024 * 1024
# One line per bad cell is useful; a million is not. Beyond this, summarise.
MAX_LINES_PER_KIND = 10

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 file holding a stream of this name (UTF-16).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _key(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def _lookup(table: dict) -> dict[str, object]:
    return {_key(word): target for target, words in table.items() for word in words}


_STATUS_LOOKUP = _lookup(STATUS_WORDS)
_SETTING_LOOKUP = _lookup(REPORT_SETTINGS)
_PLACEHOLDER_KEYS = {_key(p) for p in PLACEHOLDERS}
_SHEET_KEYS = {_key(name) for name in SHEETS.values()}
_COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
                8: "eight", 9: "nine"}


@dataclass
class _Table:
    """One sheet's header mapping: field name -> column index (1-based)."""

    title: str
    columns: dict[str, int]
    letters: dict[str, str]


def read_workbook(data: bytes, file_name: str, rag_labels: Mapping[Rag, str] | None = None
                  ) -> Plan:
    """Read the workbook's bytes. ``file_name`` is used in messages only.

    ``rag_labels`` are the rules' labels (``RulesConfig.labels()``), which an
    officer's RAG Override may use; by default the bundled rules' labels.
    """
    if rag_labels is None:
        from wfs_reports.resources import load_templates

        rag_labels = load_templates(None).rules.labels()
    require_defusedxml()
    check_container(data, file_name)
    import openpyxl  # imported here so the domain and CLI start without it

    try:
        # openpyxl warns about features it drops (data validation, slicers...);
        # we only read, never save, so those warnings would only alarm officers.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        raise WorkbookError(
            file_name,
            ["cannot be read as an Excel workbook; open it in "
             "Excel, save it as .xlsx and run again"],
        ) from None
    return _Reader(workbook, file_name, uncached_formulas(data), rag_labels).read()


def require_defusedxml() -> None:
    """Refuse to read any workbook unless openpyxl parses it through defusedxml.

    Without defusedxml openpyxl falls back to the standard XML parsers, which
    expand entities: a few hundred bytes of crafted XML could then take all
    the memory there is. The package depends on defusedxml, so this only
    fails on a broken installation, or when OPENPYXL_DEFUSEDXML turns it off.
    """
    try:
        import defusedxml  # noqa: F401
        import openpyxl
    except ImportError as error:
        missing = error.name or "a dependency"
        raise SetupError(
            f"make-report cannot start: the {missing} package is missing; reinstall "
            "make-report (pip install --force-reinstall wfs-reports) and run again"
        ) from None
    if getattr(openpyxl, "DEFUSEDXML", False) is not True:
        raise SetupError(
            "make-report cannot start: openpyxl is not using defusedxml (is "
            "OPENPYXL_DEFUSEDXML set?), so workbooks cannot be read safely; unset "
            "OPENPYXL_DEFUSEDXML and run again"
        )


def check_container(data: bytes, file_name: str) -> None:
    """Refuse files that are not .xlsx workbooks before openpyxl sees them.

    The file's content decides, not its name (officers rename files); the
    name only sharpens the advice.
    """
    suffix = PurePath(file_name).suffix.lower()

    def fail(message: str) -> NoReturn:
        raise WorkbookError(file_name, [message])

    if not data:
        fail("the file is empty; choose the saved .xlsx workbook")
    if len(data) > MAX_FILE_BYTES:
        fail(f"the file is {len(data) // (1024 * 1024)} MB, far larger than an action plan; "
             "check that you chose the right workbook")
    if is_ole2(data):
        fail(_ole2_message(data, suffix))
    if data[:2] != b"PK":
        fail(_not_zip_message(data, suffix))
    listing = zip_listing(data)
    if listing is None:
        fail(
            "the workbook is damaged or incomplete (was it still being saved?); open it in "
            "Excel, save it again and run again"
        )
    infos, mimetype = listing
    names = {info.filename for info in infos}
    if unpacks_too_large(infos):
        fail(
            f"the workbook would unpack to {unpacked_megabytes(infos)} MB in {len(infos)} "
            "parts, far more than an action plan needs; it may be damaged or malicious, so "
            "it was not opened"
        )
    if "xl/workbook.xml" not in names:
        fail(_other_zip_message(names, mimetype))


def is_ole2(data: bytes) -> bool:
    """An OLE2 compound file: an old Office format (.xls, .doc) or an encrypted one."""
    return data[:8] == _OLE2_MAGIC


def is_encrypted_ole2(data: bytes) -> bool:
    """An Office file (.xlsx, .docx...) protected by a password to open."""
    return is_ole2(data) and _ENCRYPTED_STREAM in data


def zip_listing(data: bytes) -> tuple[list[zipfile.ZipInfo], bytes] | None:
    """The zip's members and its 'mimetype' entry (b"" if none), or None when the
    bytes are not a readable zip. Nothing is unpacked but a tiny mimetype entry."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = (archive.read("mimetype")[:100] if "mimetype" in names
                        and archive.getinfo("mimetype").file_size < 200 else b"")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError,
            NotImplementedError, RuntimeError):
        return None
    return infos, mimetype


def unpacks_too_large(infos: list[zipfile.ZipInfo]) -> bool:
    """True for a zip bomb (or something far bigger than any Office document).

    Judged on the declared sizes, before anything is unpacked, whatever the
    archive claims to be. Python's zipfile never unpacks more than the
    declared size, so the declaration is a real bound.
    """
    declared = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    return (len(infos) > MAX_ZIP_MEMBERS or declared > MAX_UNCOMPRESSED_BYTES
            or (declared > RATIO_CHECK_FROM_BYTES
                and declared / compressed > MAX_COMPRESSION_RATIO))


def unpacked_megabytes(infos: list[zipfile.ZipInfo]) -> int:
    return sum(info.file_size for info in infos) // (1024 * 1024)


def _ole2_message(data: bytes, suffix: str) -> str:
    """An OLE2 compound file: an encrypted .xlsx, or an Excel 97-2003 .xls."""
    if is_encrypted_ole2(data):
        return ("this workbook is protected by a password to open, so it cannot be read; "
                "in Excel use File > Info > Protect Workbook > Encrypt with Password, clear "
                "the password, save, and run again")
    if suffix in (".xls", ".xlt"):
        return ("this is an old-format Excel 97-2003 (.xls) workbook; open it in Excel, use "
                "File > Save As > Excel Workbook (.xlsx) and run again on the .xlsx file")
    return ("this is an old-format (.xls) or password-protected workbook; remove the "
            "password or use File > Save As > Excel Workbook (.xlsx) and run again")


def _not_zip_message(data: bytes, suffix: str) -> str:
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"%pdf"):
        return "this is a PDF, not the action-plan workbook; choose the .xlsx workbook"
    if start.startswith(b"<"):
        # Some systems export web pages or Excel 2003 XML with an .xls name.
        return ("this is a web page or XML file, not an Excel .xlsx workbook; open it in "
                "Excel, save it as Excel Workbook (.xlsx) and run again")
    if suffix in (".csv", ".tsv", ".txt"):
        return (f"this is a {suffix[1:].upper()} text file, not an Excel .xlsx workbook, and "
                "it holds only one sheet; the report needs the .xlsx workbook with the "
                "Report, Recommendations and Actions sheets: save it from Excel as .xlsx")
    return "this is not an Excel .xlsx workbook; save it from Excel as .xlsx and run again"


def _other_zip_message(names: set[str], mimetype: bytes) -> str:
    """A zip that is not an .xlsx: say what it is, so the officer can find the right file."""
    if "xl/workbook.bin" in names:
        return ("this is a binary .xlsb workbook; open it in Excel, use File > Save As > "
                "Excel Workbook (.xlsx) and run again on the .xlsx file")
    if mimetype.startswith(b"application/vnd.oasis.opendocument") or "content.xml" in names:
        return ("this is an OpenDocument (.ods) spreadsheet; open it in Excel or LibreOffice, "
                "save it as Excel Workbook (.xlsx) and run again on the .xlsx file")
    if "word/document.xml" in names:
        return "this is a Word document, not the action-plan workbook; choose the .xlsx file"
    if any(name.startswith("ppt/") for name in names):
        return "this is a PowerPoint file, not the action-plan workbook; choose the .xlsx file"
    inner = sorted(n for n in names if n.lower().endswith((".xlsx", ".xlsm")))
    if inner:
        return (f"this zip file holds '{inner[0]}'; unzip it and run again on that workbook")
    return "this zip file is not an Excel workbook; choose the .xlsx action plan"


def uncached_formulas(data: bytes) -> dict[str, list[tuple[str, str]]]:
    """Formula cells saved without a value: {sheet title: [(A1, formula)]}.

    Excel saves each formula's last result beside it; programs that do not
    calculate (openpyxl, some exports) save the formula alone, and reading
    such a cell gives blank where the officer sees a value. openpyxl cannot
    tell "no saved value" from "saved empty text", so the sheet XML is read
    directly: a <c> with an <f> and no (or an untyped empty) <v>. Best effort: a workbook too odd to
    scan here has already been through openpyxl, so nothing is lost.
    """
    from defusedxml.ElementTree import fromstring, iterparse

    found: dict[str, list[tuple[str, str]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _sheet_parts(archive, fromstring)
            for title, part in parts.items():
                if _key(title) not in _SHEET_KEYS or part not in archive.namelist():
                    continue
                with archive.open(part) as stream:
                    for _event, element in iterparse(stream):
                        if _local(element.tag) != "c":
                            continue
                        children = {_local(child.tag): child for child in element}
                        value = children.get("v")
                        # Excel saves a formula's empty-text result as t="str" with an
                        # empty <v>; an empty <v> of any other type is no result at all
                        # (openpyxl writes that).
                        if "f" in children and (value is None or (
                                not value.text and element.get("t") != "str")):
                            formula = (children["f"].text or "").strip()
                            found.setdefault(title, []).append((element.get("r", "?"), formula))
                        element.clear()
    except Exception:  # noqa: BLE001 - see docstring: this check must never block a read
        return found
    return found


def _sheet_parts(archive: zipfile.ZipFile, fromstring) -> dict[str, str]:
    """{sheet title: part name in the zip}, from workbook.xml and its relationships."""
    targets = {}
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    parts = {}
    for element in fromstring(archive.read("xl/workbook.xml")).iter():
        if _local(element.tag) == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            if rel_id in targets:
                parts[element.get("name", "")] = targets[rel_id]
    return parts


def _local(tag: str) -> str:
    """An XML name without its namespace: '{...main}c' -> 'c'."""
    return tag.rsplit("}", 1)[-1]


class _Reader:
    def __init__(self, workbook, file_name: str,
                 uncached: dict[str, list[tuple[str, str]]] | None = None,
                 rag_labels: Mapping[Rag, str] | None = None):
        self.workbook = workbook
        self.rag_labels = {rag: rag_labels[rag] for rag in OVERRIDE_RAGS} if rag_labels \
            else {}
        # The labels last, so a label wins over a synonym spelt the same.
        self.rag_lookup = {**_lookup(RAG_SYNONYMS),
                           **{_key(label): rag for rag, label in self.rag_labels.items()}}
        self.file_name = file_name
        self.uncached = uncached or {}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        # Cells already reported as unusable (an error value, a formula with
        # no value), as (sheet, cell): further complaints would only mislead.
        self.bad_cells: set[tuple[str, str]] = set()
        # Date cells holding Excel day numbers, by column: one note per column.
        self.serials: dict[tuple[str, str], list[tuple[str, float, dt.date]]] = {}

    def read(self) -> Plan:
        sheets = self._find_sheets()
        for sheet in dict.fromkeys(s for s in sheets.values() if s is not None):
            self._check_cells(sheet)
        for field, noun in (("recommendations", "recommendation"), ("actions", "action")):
            if sheets.get(field) is not None:
                self._check_merged(sheets[field], noun)
        settings = ReportSettings()
        if sheets.get("report") is not None:
            settings = self._read_settings(sheets["report"])
        recommendations: list[Recommendation] = []
        if sheets.get("recommendations") is not None:
            recommendations = self._read_recommendations(sheets["recommendations"])
        if sheets.get("actions") is not None:
            if self._read_actions(sheets["actions"], recommendations):
                self._warn_empty_recommendations(recommendations, sheets["recommendations"])
        self._serial_warnings()
        contacts = self._read_contacts()
        # A cell is read more than once (blank-row test, then its field), so
        # the same note can arise twice; report each once, in order found.
        problems = [p for p in dict.fromkeys(self.problems) if not self._follows_on(p)]
        if problems:
            raise WorkbookError(self.file_name, problems)
        return Plan(settings, recommendations, list(dict.fromkeys(self.warnings)), contacts)

    def _follows_on(self, problem: Problem) -> bool:
        """A complaint about a cell already reported as unusable, e.g. a blank action
        whose cell is really a #REF! error."""
        return ((problem.sheet, problem.cell) in self.bad_cells
                and problem.kind not in (Kind.ERROR_VALUE, Kind.FORMULA_UNSAVED))

    def _error(self, kind: Kind, sheet: str, cell: str, message: str) -> None:
        """A problem that stops the report: listed with all the others."""
        self.problems.append(Problem(kind, Severity.ERROR, message, sheet, cell))

    def _warn(self, kind: Kind, sheet: str, cell: str, message: str) -> None:
        """Worth saying; the report is still made."""
        self.warnings.append(Problem(kind, Severity.WARNING, message, sheet, cell))

    # -- whole-sheet checks ---------------------------------------------------

    def _check_cells(self, sheet) -> None:
        """Error values (#REF!, #N/A...) and formulas saved without a value."""
        errors = []
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "e" or (isinstance(value, str)
                                             and value.strip() in ERROR_VALUES):
                    errors.append(cell)
        self._report_cells(
            sheet, [(c.coordinate, f"the cell shows the error {str(c.value).strip()}; "
                     "correct the formula or value in Excel (or clear the cell) and run again")
                    for c in errors],
            "cells show an error value", Kind.ERROR_VALUE,
        )
        formulas = []
        for coordinate, formula in self.uncached.get(sheet.title, []):
            shown = f"={formula}" if formula else "(shared with the cells above)"
            if len(shown) > 60:
                shown = shown[:57] + "..."
            formulas.append((coordinate, f"formula {shown} has no saved value (the workbook "
                             "was saved by a program that does not calculate); open the "
                             "workbook in Excel and save it, then run again"))
        self._report_cells(sheet, formulas, "formulas have no saved value", Kind.FORMULA_UNSAVED)

    def _report_cells(self, sheet, found: list[tuple[str, str]], summary: str,
                      kind: Kind) -> None:
        for coordinate, message in found[:MAX_LINES_PER_KIND]:
            self._error(kind, sheet.title, coordinate, message)
        if len(found) > MAX_LINES_PER_KIND:
            self._error(kind, sheet.title, "",
                        f"{len(found) - MAX_LINES_PER_KIND} more {summary} (the last is "
                        f"{sheet.title}!{found[-1][0]}); fix the ones above the same way")
        self.bad_cells.update((sheet.title, coordinate) for coordinate, _ in found)

    def _check_merged(self, sheet, noun: str) -> None:
        """Cells merged down across rows: only the top row would get the value,
        so the rows below would silently lose it."""
        from openpyxl.utils import get_column_letter

        for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            if merged.max_row == merged.min_row or merged.max_row < 2:
                continue
            if merged.min_row == 1:
                what = f"join the header row to row {merged.max_row}"
            else:
                count = merged.max_row - merged.min_row + 1
                what = f"span {_COUNT_WORDS.get(count, str(count))} {noun}s"
            self._error(Kind.MERGED_CELLS, sheet.title, merged.coord,
                        f"merged cells {what}; unmerge them (Home > Merge & Center) and type "
                        "the value in each row")
            # The covered cells read as blank; that is this problem, not another.
            self.bad_cells.update(
                (sheet.title, f"{get_column_letter(column)}{row}")
                for row in range(merged.min_row, merged.max_row + 1)
                for column in range(merged.min_col, merged.max_col + 1)
                if (row, column) != (merged.min_row, merged.min_col)
            )

    def _warn_empty_recommendations(self, recommendations: list[Recommendation],
                                    sheet) -> None:
        for rec in recommendations:
            if not rec.actions:
                self._warn(Kind.RECOMMENDATION_EMPTY, sheet.title, f"A{rec.row}",
                           f"recommendation {rec.ref} has no actions on the Actions sheet; it "
                           "is shown with none")

    # -- sheets and headers -------------------------------------------------

    def _find_sheets(self) -> dict:
        by_key = {_key(ws.title): ws for ws in self.workbook.worksheets}
        found = {}
        for field, name in SHEETS.items():
            sheet = by_key.get(_key(name))
            if sheet is None and field == "report":
                sheet = next((by_key[_key(other)] for other in REPORT_SHEET_NAMES
                              if _key(other) in by_key
                              and by_key[_key(other)] not in found.values()), None)
                if sheet is not None:
                    self._warn(Kind.SHEET_RENAMED, "", "",
                               "no sheet named 'Report'; read the settings (title, as-at "
                               f"date, meeting) from sheet '{sheet.title}' instead; rename it "
                               "'Report' to make this note go")
            if sheet is None and field != "report":
                listed = ", ".join(repr(ws.title) for ws in self.workbook.worksheets)
                self._error(Kind.SHEET_MISSING, "", "",
                            f"no sheet named '{name}' (sheets found: {listed}); add it or "
                            "rename the right sheet")
            elif sheet is None:
                listed = ", ".join(repr(ws.title) for ws in self.workbook.worksheets)
                self._warn(Kind.SHEET_MISSING, "", "",
                           f"no 'Report' sheet (sheets found: {listed}), so the report has "
                           "the default title and heading, no meeting, organisation or "
                           "classification, and is as at today unless --as-at is given; add "
                           "a Report sheet (make-report --new-workbook makes one to copy) or "
                           "rename yours 'Report'")
            else:
                if sheet.sheet_state != "visible":
                    self._warn(Kind.HIDDEN, "", "",
                               f"sheet '{sheet.title}' is hidden; it was read all the same")
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
                self._error(Kind.COLUMN_REPEATED, sheet.title, cell.coordinate,
                            f"column '{str(cell.value).strip()}' repeats {sheet.title}!"
                            f"{letters[field]}1; delete or rename one of them")
            else:
                mapping[field] = cell.column
                letters[field] = cell.column_letter
        for dimension in sheet.column_dimensions.values():
            if not dimension.hidden:
                continue
            for field, column in mapping.items():
                if (dimension.min or 0) <= column <= (dimension.max or 0):
                    self._warn(Kind.HIDDEN, sheet.title, f"{letters[field]}:{letters[field]}",
                               f"the {columns[field][0]} column is hidden; it was read all "
                               "the same")
        if unknown:
            self._warn(Kind.COLUMN_UNKNOWN, sheet.title, "",
                       "ignored column(s) we do not use: " + ", ".join(unknown))
        ok = True
        for field in required:
            if field not in mapping:
                names = columns[field]
                self._error(Kind.COLUMN_MISSING, sheet.title, "1:1",
                            f"no '{names[0]}' column; add a header named '{names[0]}' (also "
                            "accepted: " + ", ".join(f"'{n}'" for n in names[1:]) + ")")
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
                self._warn(Kind.HIDDEN, sheet.title, f"{number}:{number}",
                           "the row is hidden; it was included in the report")
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
        if _SURROGATE.search(text):
            text = self._surrogates(text, cell)
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
        if _XML_FORBIDDEN.search(text):
            text = _XML_FORBIDDEN.sub("", text)
            self._warn(Kind.CHARACTER_DROPPED, cell.parent.title, cell.coordinate,
                       "removed control characters that documents cannot hold")
        text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
        if _key(text) in _PLACEHOLDER_KEYS:
            return ""
        return text

    def _surrogates(self, text: str, cell) -> str:
        """Join escaped surrogate pairs (an emoji as _xD83D__xDE00_); a lone one is an
        error, never dropped quietly, so no text is silently cut short."""
        try:
            return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError:
            self._error(Kind.VALUE_UNREADABLE, *self._where(cell),
                        "the text holds a broken character (a lone UTF-16 surrogate) that no "
                        "document can show; retype the cell's text in Excel")
            return _SURROGATE.sub("", text)

    def _where(self, cell) -> tuple[str, str]:
        """(sheet, cell reference) of an openpyxl cell."""
        return cell.parent.title, cell.coordinate

    def _date(self, cell, what: str) -> dt.date | None:
        if cell is None or cell.value is None:
            return None
        if isinstance(cell.value, dt.datetime):
            return cell.value.date()
        if isinstance(cell.value, dt.date):
            return cell.value
        serial = self._serial(cell)
        if serial is not None:
            return serial
        text = self._text(cell)
        if not text:
            return None
        parsed = parse_day_first_date(text)
        if parsed is None:
            self._error(Kind.VALUE_UNREADABLE, *self._where(cell),
                        f"{what} '{text}' is not a date; type it as day/month/year, e.g. "
                        "22/11/2023")
        return parsed

    def _serial(self, cell) -> dt.date | None:
        """A day number in a date cell formatted General (45382): the date it is,
        noted once per column with the fix."""
        value = cell.value
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or not _SERIAL_FROM <= value <= _SERIAL_TO):
            return None
        date = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))  # Excel's day 0
        column = (cell.parent.title, f"{cell.column_letter}:{cell.column_letter}")
        self.serials.setdefault(column, []).append((cell.coordinate, value, date))
        return date

    def _serial_warnings(self) -> None:
        for column, found in self.serials.items():
            coordinate, value, date = found[0]
            count = "1 date is" if len(found) == 1 else f"{len(found)} dates are"
            sheet, columns = column
            self._warn(Kind.SERIAL_DATE, sheet, columns,
                       f"{count} stored as a number (e.g. {coordinate} holds {value:g}, read "
                       f"as {date.day} {date:%B %Y}); format column {columns.split(':')[0]} "
                       "as Date in Excel (Format Cells > Date) so officers see the dates")

    def _ref(self, cell) -> int | None:
        value = cell.value if cell is not None else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if float(value).is_integer() and value > 0:
                return int(value)
        else:
            match = _REF.match(self._text(cell).strip())
            if match and int(match.group(1)) > 0:
                return int(match.group(1))
        self._error(Kind.VALUE_UNREADABLE, *self._where(cell),
                    f"Ref '{self._text(cell)}' is not a recommendation number; write it as 1, "
                    "R1 or Recommendation 1")
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
                self._warn(Kind.SETTING_UNKNOWN, *self._where(name_cell),
                           f"setting '{self._text(name_cell)}' is not one we use; ignored")
                continue
            if field in ("meeting_date", "as_at"):
                setattr(settings, field, self._date(value_cell, field.replace("_", " ")))
                if field == "as_at" and settings.as_at is not None:
                    settings.as_at_cell = "!".join(self._where(value_cell))
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
                self._error(Kind.DUPLICATE_REF, *self._where(cells["ref"]),
                            f"recommendation {ref} is listed twice (also row "
                            f"{recommendations[ref].row}); keep one row per recommendation")
                continue
            text = self._text(cells.get("text"))
            if not text:
                self._error(Kind.VALUE_MISSING, table.title, f"{table.letters['text']}{number}",
                            f"recommendation {ref} has no text; type the recommendation")
            recommendations[ref] = Recommendation(
                ref=ref,
                text=text,
                comments_from_service=self._text(cells.get("comments")),
                row=number,
            )
        if not recommendations:
            # An empty report would go to the Board looking complete.
            self._error(Kind.VALUE_MISSING, table.title, "A2",
                        "there are no recommendations; type one row per recommendation (Ref "
                        "and Recommendation) from row 2")
        return list(recommendations.values())

    def _read_contacts(self) -> list[Contact]:
        """The optional Owners sheet. It never stops a report: what is wrong with
        it is a warning, and a sheet without both columns is not used."""
        keys = {_key(name) for name in OWNERS_SHEETS}
        sheet = next((ws for ws in self.workbook.worksheets if _key(ws.title) in keys), None)
        if sheet is None:
            return []
        before = len(self.problems)
        table = self._header(sheet, OWNER_COLUMNS, ())
        # A repeated header here is a warning, not a stop: the sheet is optional.
        self.warnings += [replace(p, severity=Severity.WARNING) for p in self.problems[before:]]
        del self.problems[before:]
        if table is None or len(table.columns) < 2:
            missing = [OWNER_COLUMNS[f][0] for f in OWNER_COLUMNS
                       if table is None or f not in table.columns]
            if sheet.max_row > 1 or table is not None and table.columns:
                self._warn(Kind.COLUMN_MISSING, sheet.title, "1:1",
                           f"no '{missing[0]}' column, so the {sheet.title} sheet was not "
                           "used; head its columns 'Owner' and 'Email'")
            return []
        contacts = []
        for number, cells in self._rows(sheet, table):
            contacts.append(Contact(
                row=number,
                owner=self._text(cells.get("owner")),
                email=self._text(cells.get("email")),
                sheet=sheet.title,
                owner_column=table.letters["owner"],
                email_column=table.letters["email"],
            ))
        return contacts

    def _read_actions(self, sheet, recommendations: list[Recommendation]) -> bool:
        """Attach each action to its recommendation; False if the sheet has no usable header."""
        table = self._header(sheet, ACTION_COLUMNS, ACTION_REQUIRED)
        if table is None:
            return False
        for field, effect in MISSING_COLUMN_EFFECTS.items():
            if field not in table.columns:
                self._warn(Kind.COLUMN_MISSING, sheet.title, "1:1",
                           f"no '{ACTION_COLUMNS[field][0]}' column, so {effect}; add the "
                           "column if that is not meant")
        by_ref = {r.ref: r for r in recommendations}
        previous_ref: int | None = None
        for number, cells in self._rows(sheet, table):
            ref_cell = cells.get("ref")
            if self._text(ref_cell) == "":
                if previous_ref is None:
                    self._error(Kind.VALUE_MISSING, *self._where(ref_cell),
                                "this action has no Ref; type the number of its "
                                "recommendation")
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
                self._error(
                    Kind.VALUE_UNREADABLE, *self._where(ref_cell),
                    f"Ref {ref} matches no recommendation on the "
                    f"Recommendations sheet (found: {known}); correct the Ref or add "
                    "the recommendation"
                )
                continue
            by_ref[ref].actions.append(action)
        return True

    def _action(self, number: int, ref: int, cells: dict, table: _Table) -> Action | None:
        text = {field: self._text(cells.get(field)) for field in ACTION_COLUMNS}
        # Only the columns the sheet has: a missing one is said once, by column.
        where = {field: f"{table.title}!{letter}{number}"
                 for field, letter in table.letters.items()}
        if not text["action"]:
            self._error(Kind.VALUE_MISSING, table.title, f"{table.letters['action']}{number}",
                        "the action text is blank; type the action or delete the row")
            return None
        status, stages_done = self._status(text["status"], cells.get("status"))
        override = None
        if text["rag_override"]:
            override = self.rag_lookup.get(_key(text["rag_override"]))
            if override is None:
                self._error(Kind.VALUE_UNREADABLE, *self._where(cells["rag_override"]),
                            f"RAG Override '{text['rag_override']}' is not a RAG status; use "
                            + ", ".join(self.rag_labels.values())
                            + " (or G, A, R), or leave it blank")
        date_cell = cells.get("completion_date")
        date_value = None
        if date_cell is not None and isinstance(date_cell.value, dt.date):
            date_value = (date_cell.value.date() if isinstance(date_cell.value, dt.datetime)
                          else date_cell.value)
        elif date_cell is not None and (date_value := self._serial(date_cell)) is not None:
            text["completion_date"] = date_value.strftime("%d/%m/%Y")
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

    def _status(self, text: str, cell) -> tuple[Status, frozenset[int]]:
        if not text:
            return Status.BLANK, frozenset()
        status = _STATUS_LOOKUP.get(_key(text))
        if status is not None:
            return status, frozenset()
        stages = frozenset(int(n) for n in _STAGE_DONE.findall(text))
        if stages:  # "Stage 1 complete, stage 2 in progress"
            return Status.IN_PROGRESS, stages
        self._error(Kind.VALUE_UNREADABLE, *self._where(cell),
                    f"Status '{text}' is not one we know; use Not started, In progress, "
                    "Completed or Not applicable (or leave it blank)")
        return Status.BLANK, frozenset()
