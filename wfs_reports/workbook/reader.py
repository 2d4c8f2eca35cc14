"""Read the officers' workbook into a Plan, sheet by sheet and cell by cell.

The reader is forgiving where officers are inconsistent (header spelling,
column order, refs written several ways, blank rows, the old template's
placeholder text) and strict where a guess could mislead the Board (a
status, RAG or date it cannot read is reported by cell, never guessed).
Every problem found is gathered, so one run lists them all.

The file's own checks come first (file.py); the sheets, headers and words
officers write are the contract's (contract.py), and reading one cell is
cells.py's. This module walks the sheets with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from wfs_reports.domain.dates import format_date, parse_day_first_date
from wfs_reports.domain.errors import WorkbookError
from wfs_reports.domain.model import (
    Action,
    Contact,
    Plan,
    Rag,
    Recommendation,
    ReportSettings,
    Status,
)
from wfs_reports.domain.problems import Kind, Problem, Severity, split_where
from wfs_reports.domain.text import plural_verb
from wfs_reports.workbook.cells import (
    clean_text,
    is_error_value,
    join_surrogates,
    key,
    lookup,
    read_status,
    ref_number,
    serial_date,
    setting_field,
    unescape,
    value_text,
)
from wfs_reports.workbook.contract import (
    ACTION_COLUMNS,
    COMPUTED_RAG_HEADERS,
    DATE_SETTINGS,
    MERGED_DOWN_FIELDS,
    OVERRIDE_RAGS,
    OWNER_COLUMNS,
    OWNERS_SHEETS,
    RAG_SYNONYMS,
    RECOMMENDATION_COLUMNS,
    REPORT_COLUMNS,
    REPORT_OUTPUT_SHEETS,
    REPORT_SHEET_NAMES,
    SHEETS,
    STATUS_CHOICES,
    Column,
    header_words,
    report_source,
    required,
)
from wfs_reports.workbook.file import check_container, require_defusedxml, uncached_formulas

__all__ = ["Reading", "inspect_workbook", "read_workbook"]

# One line per bad cell is useful; a million is not. Beyond this, summarise.
MAX_LINES_PER_KIND = 10
COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
               8: "eight", 9: "nine"}


@dataclass
class _Table:
    """One sheet's header mapping: field name -> column index (1-based)."""

    title: str
    columns: dict[str, int]
    letters: dict[str, str]


@dataclass(frozen=True)
class Reading:
    """All that could be read from a workbook, and every problem that stops the report.

    ``plan`` holds the rows that could be read (a row whose Ref or action text
    cannot be read is left out; a cell that cannot be read is blank), so
    ``make-report --check`` can list the problems of those rows in the same pass.
    """

    plan: Plan
    problems: tuple[Problem, ...]


def read_workbook(data: bytes, file_name: str, rag_labels: Mapping[Rag, str]) -> Plan:
    """Read the workbook's bytes. ``file_name`` is used in messages only.

    ``rag_labels`` are the labels of the rules in use (``RulesConfig.labels()``),
    which an officer's RAG Override may use. Raises WorkbookError listing every
    problem that stops the report.
    """
    reading = inspect_workbook(data, file_name, rag_labels)
    if reading.problems:
        raise WorkbookError(file_name, list(reading.problems))
    return reading.plan


def inspect_workbook(data: bytes, file_name: str, rag_labels: Mapping[Rag, str]) -> Reading:
    """Read the workbook as far as it can be read. Raises WorkbookError only when
    the file itself cannot be opened as a workbook."""
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
    _refuse_own_report(workbook, file_name)
    return _Reader(workbook, file_name, uncached_formulas(data), rag_labels).read()


def _refuse_own_report(workbook, file_name: str) -> None:
    """make-report's own Excel output is a report, not the plan: say so in one line
    rather than list every sheet and column a plan has and it has not."""
    titles = [key(ws.title) for ws in workbook.worksheets]
    if key(SHEETS["recommendations"]) in titles:
        return  # a plan, whatever else it holds
    source = report_source(workbook.properties.description)
    ours = titles[:len(REPORT_OUTPUT_SHEETS)] == [key(s) for s in REPORT_OUTPUT_SHEETS]
    if not ours:
        return
    if source is None:  # re-saved without its properties: know it by its own columns
        actions = workbook.worksheets[0]
        found = {key(value_text(cell.value)) for cell in next(actions.iter_rows(max_row=1), ())}
        if not {key("RAG Status"), key("Why")} <= found:
            return
    made_from = f" ({source})" if source else ""
    raise WorkbookError(file_name, [
        "this is a report make-report wrote, not the plan: run make-report on the plan "
        f"workbook it was made from{made_from}"])


_COMPUTED_RAG_KEYS = {key(header) for header in COMPUTED_RAG_HEADERS}


def _used_columns(sheet, columns: dict[str, Column]) -> dict[int, str]:
    """{column index: field} for the row-1 headers the report reads (the first of
    a repeated header), said nothing about: the header check says what is wrong."""
    by_key = lookup(header_words(columns))
    used: dict[int, str] = {}
    for cell in sheet[1] if sheet.max_row >= 1 else ():
        field = by_key.get(key(cell.value)) if cell.value is not None else None
        if field is not None and field not in used.values():
            used[cell.column] = field
    return used


def _choices(words: Iterable[str]) -> str:
    """'A, B or C'."""
    listed = list(words)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1]


def _column_name(sheet, column: int | None) -> str:
    """"column H, 'Lookup'" or "column H, which has no header"."""
    from openpyxl.utils import get_column_letter

    if column is None:
        return "a column it does not use"
    header = sheet.cell(1, column).value
    letter = get_column_letter(column)
    shown = " ".join(str(header).split()) if header is not None else ""
    return f"column {letter}, '{shown}'" if shown else f"column {letter}, which has no header"


FALLBACK_TITLE = "Action Plan Update"


def title_from_file_name(file_name: str) -> str:
    """'carers_action-plan 2024.xlsx' -> 'carers action plan 2024': the file's own
    words; 'Action Plan Update' when it has none."""
    stem = re.sub(r"\.xls[xm]?$", "", file_name.strip(), flags=re.IGNORECASE)
    words = " ".join(re.sub(r"[_\s]+|(?<=\w)-(?=\w)", " ", stem).split())
    return words if re.search(r"[^\W\d_]", words) else FALLBACK_TITLE


@dataclass(frozen=True)
class _MergedValue:
    """A cell inside merged cells that hold their value for every row (a Ref,
    owner or date merged down): the merge's value, at this cell's own place."""

    value: Any
    data_type: str
    parent: Any  # the openpyxl worksheet
    coordinate: str
    column_letter: str


class _Reader:
    def __init__(self, workbook, file_name: str, uncached: dict[str, list[tuple[str, str]]],
                 rag_labels: Mapping[Rag, str]):
        self.workbook = workbook
        self.rag_labels = {rag: rag_labels[rag] for rag in OVERRIDE_RAGS}
        # The labels last, so a label wins over a synonym spelt the same.
        self.rag_lookup = {**lookup(RAG_SYNONYMS),
                           **{key(label): rag for rag, label in self.rag_labels.items()}}
        self.file_name = file_name
        self.uncached = uncached
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        # Cells already reported as unusable (an error value, a formula with
        # no value), as (sheet, cell): further complaints would only mislead.
        self.bad_cells: set[tuple[str, str]] = set()
        # Date cells holding Excel day numbers, by (sheet, column letter): one note each.
        self.serials: dict[tuple[str, str], list[tuple[str, float, dt.date]]] = {}
        # Cells inside merged cells that hold their value for every row, by
        # (sheet, cell): the merge's top-left cell, whose value they are read as.
        self.merged_down: dict[tuple[str, str], Any] = {}
        # Cells inside other merged cells (read as blank), by (sheet, cell): the range.
        self.merged_into: dict[tuple[str, str], tuple[str, int]] = {}

    def read(self) -> Reading:
        sheets = self._find_sheets()
        contracts = {"report": REPORT_COLUMNS, "recommendations": RECOMMENDATION_COLUMNS,
                     "actions": ACTION_COLUMNS}
        checked: set[str] = set()
        for field, sheet in sheets.items():
            if sheet is not None and sheet.title not in checked:
                checked.add(sheet.title)
                self._check_cells(sheet, _used_columns(sheet, contracts[field]))
        for field, noun in (("recommendations", "recommendation"), ("actions", "action")):
            if sheets.get(field) is not None:
                self._check_merged(sheets[field], noun, _used_columns(sheets[field],
                                                                      contracts[field]))
        settings = ReportSettings()
        if sheets.get("report") is not None:
            settings = self._read_settings(sheets["report"])
        if not settings.title:
            self._title_from_file(settings, sheets.get("report"))
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
        plan = Plan(settings, recommendations, list(dict.fromkeys(self.warnings)), contacts)
        return Reading(plan, tuple(problems))

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

    def _check_cells(self, sheet, used: Mapping[int, str]) -> None:
        """Error values (#REF!, #N/A...) and formulas saved without a value.

        In a column the report reads (``used``: column index -> field) they stop
        the report; in any other column they are ignored, with a warning."""
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

        def column(coordinate: str) -> int | None:
            try:
                return column_index_from_string(coordinate_from_string(coordinate)[0])
            except ValueError:
                return None

        errors = []
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "e" or is_error_value(value):
                    errors.append((cell.coordinate, cell.column,
                                   f"the cell shows the error {str(value).strip()}"))
        fix = "correct the formula or value in Excel (or clear the cell) and run again"
        formulas = []
        for coordinate, formula in self.uncached.get(sheet.title, []):
            shown = f"={formula}" if formula else "(shared with the cells above)"
            if len(shown) > 60:
                shown = shown[:57] + "..."
            formulas.append((coordinate, column(coordinate), f"formula {shown} has no saved "
                             "value (the workbook was saved by a program that does not "
                             "calculate)"))
        resave = "open the workbook in Excel and save it, then run again"
        for found, kind, summary, to_do in (
                (errors, Kind.ERROR_VALUE, "cells show an error value", fix),
                (formulas, Kind.FORMULA_UNSAVED, "formulas have no saved value", resave)):
            self._report_cells(
                sheet, [(c, f"{m}; {to_do}") for c, n, m in found if n in used],
                summary, kind, Severity.ERROR)
            self._report_cells(
                sheet, [(c, f"{m}, in a column the report does not use "
                         f"({_column_name(sheet, n)}); it was ignored")
                        for c, n, m in found if n not in used],
                f"{summary} in columns the report does not use", kind, Severity.WARNING)

    def _report_cells(self, sheet, found: list[tuple[str, str]], summary: str,
                      kind: Kind, severity: Severity) -> None:
        say = self._error if severity is Severity.ERROR else self._warn
        for coordinate, message in found[:MAX_LINES_PER_KIND]:
            say(kind, sheet.title, coordinate, message)
        if len(found) > MAX_LINES_PER_KIND:
            to_do = ("fix the ones above the same way" if severity is Severity.ERROR
                     else "they were ignored too")
            say(kind, sheet.title, "",
                f"{len(found) - MAX_LINES_PER_KIND} more {summary} (the last is "
                f"{sheet.title}!{found[-1][0]}); {to_do}")
        if severity is Severity.ERROR:
            self.bad_cells.update((sheet.title, coordinate) for coordinate, _ in found)

    def _check_merged(self, sheet, noun: str, used: Mapping[int, str]) -> None:
        """Cells merged down across rows. A Ref, Owner(s) or Completion Date merged
        down an Actions sheet is that value for every row of the merge (said once);
        any other merge holds its value for its top row only, so the rows below
        read as blank: a warning naming the cells."""
        from openpyxl.utils import get_column_letter

        for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            if merged.max_row == merged.min_row or merged.max_row < 2:
                continue
            if not any(merged.min_col <= column <= merged.max_col for column in used):
                continue  # only in columns the report does not read: nothing is lost
            top = sheet.cell(merged.min_row, merged.min_col)
            covered = [(row, column) for row in range(merged.min_row, merged.max_row + 1)
                       for column in range(merged.min_col, merged.max_col + 1)
                       if (row, column) != (merged.min_row, merged.min_col)]
            field = used.get(merged.min_col)
            count = merged.max_row - merged.min_row + 1
            rows = (f"rows {merged.min_row} and {merged.max_row}" if count == 2
                    else f"rows {merged.min_row} to {merged.max_row}")
            if (noun == "action" and field in MERGED_DOWN_FIELDS and merged.min_row > 1
                    and merged.min_col == merged.max_col):
                bad = (sheet.title, top.coordinate) in self.bad_cells
                for row, column in covered:
                    coordinate = f"{get_column_letter(column)}{row}"
                    self.merged_down[(sheet.title, coordinate)] = top
                    if bad:  # the top cell's error is reported; its copies would repeat it
                        self.bad_cells.add((sheet.title, coordinate))
                shown = " ".join(unescape(value_text(top.value)).split())
                value = f"'{shown}'" if shown else "blank"
                self._warn(Kind.MERGED_CELLS, sheet.title, merged.coord,
                           f"the {ACTION_COLUMNS[field].header} cells of {rows} are merged: "
                           f"read as {value} for each of those "
                           f"{COUNT_WORDS.get(count, str(count))} rows")
                continue
            if merged.min_row == 1:
                what = (f"join the header row to row {merged.max_row}, so the rows below the "
                        "header read as blank there")
            else:
                what = (f"span {COUNT_WORDS.get(count, str(count))} {noun}s; only the top "
                        f"row ({merged.min_row}) has their value, the rows below read as blank "
                        "there")
            self._warn(Kind.MERGED_CELLS, sheet.title, merged.coord,
                       f"merged cells {what}; if each row should have it, unmerge them "
                       "(Home > Merge & Center) and type the value in each row")
            for row, column in covered:
                self.merged_into[(sheet.title, f"{get_column_letter(column)}{row}")] = (
                    merged.coord, merged.min_row)

    def _merged_note(self, sheet_title: str, coordinate: str) -> str:
        """' (the cell is inside merged cells B5:B6, whose value is row 5's only)', or ''."""
        merged = self.merged_into.get((sheet_title, coordinate))
        if merged is None:
            return ""
        return (f" (the cell is inside merged cells {merged[0]}, whose value is row "
                f"{merged[1]}'s only)")

    def _warn_empty_recommendations(self, recommendations: list[Recommendation],
                                    sheet) -> None:
        for rec in recommendations:
            if not rec.actions:
                self._warn(Kind.RECOMMENDATION_EMPTY, sheet.title, f"A{rec.row}",
                           f"recommendation {rec.ref} has no actions on the Actions sheet; it "
                           "is shown with none")

    # -- sheets and headers -------------------------------------------------

    def _find_sheets(self) -> dict:
        by_key = {key(ws.title): ws for ws in self.workbook.worksheets}
        found: dict[str, Any] = {}  # openpyxl's worksheets
        for field, name in SHEETS.items():
            sheet = by_key.get(key(name))
            if sheet is None and field == "report":
                sheet = next((by_key[key(other)] for other in REPORT_SHEET_NAMES
                              if key(other) in by_key
                              and by_key[key(other)] not in found.values()), None)
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
                           "no heading, meeting, organisation or classification, and is as "
                           "at today unless --as-at is given; add "
                           "a Report sheet (make-report --new-workbook makes one to copy) or "
                           "rename yours 'Report'")
            else:
                if sheet.sheet_state != "visible":
                    self._warn(Kind.HIDDEN, "", "",
                               f"sheet '{sheet.title}' is hidden; it was read all the same")
            found[field] = sheet
        return found

    def _header(self, sheet, columns: dict[str, Column]) -> _Table | None:
        by_key = lookup(header_words(columns))
        mapping: dict[str, int] = {}
        letters: dict[str, str] = {}
        unknown = []
        for cell in sheet[1] if sheet.max_row >= 1 else ():
            if cell.value is None or not str(cell.value).strip():
                continue
            field = by_key.get(key(cell.value))
            if field is None and key(cell.value) in _COMPUTED_RAG_KEYS and columns in (
                    ACTION_COLUMNS, RECOMMENDATION_COLUMNS):
                self._warn(Kind.COLUMN_UNKNOWN, sheet.title,
                           f"{cell.column_letter}:{cell.column_letter}",
                           f"the '{str(cell.value).strip()}' column is not read: make-report "
                           "works out each action's RAG from its completion date and status. "
                           "To set an action's RAG yourself, write it in the Actions sheet's "
                           f"'RAG Override' column ({_choices(self.rag_labels.values())}; or "
                           "G, A or R) and the reason in 'Override Reason' (needed when it is "
                           "kinder than the worked-out RAG)")
            elif field is None:
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
                               f"the {columns[field].header} column is hidden; it was read all "
                               "the same")
        if unknown:
            self._warn(Kind.COLUMN_UNKNOWN, sheet.title, "",
                       "ignored column(s) we do not use: " + ", ".join(unknown))
        ok = True
        for field in required(columns):
            if field not in mapping:
                names = columns[field].names
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
            for field, cell in cells.items():
                top = self.merged_down.get((sheet.title, cell.coordinate))
                if top is not None:
                    cells[field] = _MergedValue(top.value, top.data_type, sheet,
                                                cell.coordinate, top.column_letter)
            number = row[0].row
            if sheet.row_dimensions[number].hidden:
                self._warn(Kind.HIDDEN, sheet.title, f"{number}:{number}",
                           "the row is hidden; it was included in the report")
            yield number, cells

    # -- cell values ---------------------------------------------------------

    def _text(self, cell) -> str:
        """Cell text with line breaks kept and placeholders dropped; a cell already
        reported as unusable (an error value) reads as blank."""
        if cell is None or cell.value is None or self._where(cell) in self.bad_cells:
            return ""
        text = unescape(value_text(cell.value))
        joined = join_surrogates(text)
        if joined is None:
            self._error(Kind.VALUE_UNREADABLE, *self._where(cell),
                        "the text holds a broken character (a lone UTF-16 surrogate) that no "
                        "document can show; retype the cell's text in Excel")
            joined = re.sub("[\ud800-\udfff]", "", text)
        text, removed = clean_text(joined)
        if removed:
            self._warn(Kind.CHARACTER_DROPPED, *self._where(cell),
                       "removed control characters that documents cannot hold")
        return text

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
        date = serial_date(cell.value)
        if date is not None:
            column = (cell.parent.title, cell.column_letter)
            self.serials.setdefault(column, []).append((cell.coordinate, cell.value, date))
        return date

    def _serial_warnings(self) -> None:
        for column, found in self.serials.items():
            coordinate, value, date = found[0]
            count = plural_verb(len(found), "date")
            sheet, letter = column
            self._warn(Kind.SERIAL_DATE, sheet, f"{letter}:{letter}",
                       f"{count} stored as a number (e.g. {coordinate} holds {value:g}, read "
                       f"as {format_date(date)}); format column {letter} as Date in Excel "
                       "(Format Cells > Date) so officers see the dates")

    def _ref(self, cell) -> int | None:
        number = ref_number(cell.value if cell is not None else None)
        if number is None:
            self._error(Kind.VALUE_UNREADABLE, *self._where(cell),
                        f"Ref '{self._text(cell)}' is not a recommendation number"
                        f"{self._merged_note(*self._where(cell))}; write it "
                        "as 1, R1 or Recommendation 1")
        return number

    # -- sheets --------------------------------------------------------------

    def _title_from_file(self, settings: ReportSettings, sheet) -> None:
        """A plan with no Title is named after its own file, never another plan: said
        once, with the title used."""
        settings.title = title_from_file_name(self.file_name)
        sheet_name, cell = split_where(settings.cells.get("title", ""))
        if not cell:
            sheet_name = sheet.title if sheet is not None else ""
        self._warn(Kind.SETTING_MISSING, sheet_name, cell,
                   f"no Title, so the report is titled '{settings.title}' (from the "
                   "workbook's file name), and its files are named after it; give the "
                   "plan its own Title in the Report sheet")

    def _read_settings(self, sheet) -> ReportSettings:
        settings = ReportSettings()
        table = self._header(sheet, REPORT_COLUMNS)
        if table is None:
            return settings
        for _number, cells in self._rows(sheet, table):
            name_cell, value_cell = cells.get("setting"), cells.get("value")
            field = setting_field(self._text(name_cell))
            if field is None:
                self._warn(Kind.SETTING_UNKNOWN, *self._where(name_cell),
                           f"setting '{self._text(name_cell)}' is not one we use; ignored")
                continue
            if value_cell is not None:
                settings.cells[field] = "!".join(self._where(value_cell))
            if field in DATE_SETTINGS:
                setattr(settings, field, self._date(value_cell, field.replace("_", " ")))
                if field == "as_at" and settings.as_at is not None:
                    settings.as_at_cell = "!".join(self._where(value_cell))
                continue
            text = self._text(value_cell)
            if text:  # a blank value keeps the default
                setattr(settings, field, text)
        return settings

    def _read_recommendations(self, sheet) -> list[Recommendation]:
        table = self._header(sheet, RECOMMENDATION_COLUMNS)
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
                cell = f"{table.letters['text']}{number}"
                self._error(Kind.VALUE_MISSING, table.title, cell,
                            f"recommendation {ref} has no text"
                            f"{self._merged_note(table.title, cell)}; type the recommendation")
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
        keys = {key(name) for name in OWNERS_SHEETS}
        sheet = next((ws for ws in self.workbook.worksheets if key(ws.title) in keys), None)
        if sheet is None:
            return []
        before = len(self.problems)
        table = self._header(sheet, OWNER_COLUMNS)
        # A repeated header here is a warning, not a stop: the sheet is optional.
        self.warnings += [replace(p, severity=Severity.WARNING) for p in self.problems[before:]]
        del self.problems[before:]
        if table is None or not {"owner", "email"} <= set(table.columns):
            missing = [OWNER_COLUMNS[f].header for f in ("owner", "email")
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
                cc=self._text(cells.get("cc")),
                cc_column=table.letters.get("cc", ""),
            ))
        return contacts

    def _read_actions(self, sheet, recommendations: list[Recommendation]) -> bool:
        """Attach each action to its recommendation; False if the sheet has no usable header."""
        table = self._header(sheet, ACTION_COLUMNS)
        if table is None:
            return False
        for field, column in ACTION_COLUMNS.items():
            if column.if_missing and field not in table.columns:
                self._warn(Kind.COLUMN_MISSING, sheet.title, "1:1",
                           f"no '{column.header}' column, so {column.if_missing}; add the "
                           "column if that is not meant")
        by_ref = {r.ref: r for r in recommendations}
        previous_ref: int | None = None
        ref: int | None
        for number, cells in self._rows(sheet, table):
            ref_cell = cells.get("ref")
            if ref_cell is not None and self._where(ref_cell) in self.bad_cells:
                continue  # its error value is reported; the row cannot be placed
            if self._text(ref_cell) == "":
                if previous_ref is None:
                    self._error(Kind.VALUE_MISSING, *self._where(ref_cell),
                                f"this action has no Ref{self._merged_note(*self._where(ref_cell))}"
                                "; type the number of its recommendation")
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
            cell = f"{table.letters['action']}{number}"
            self._error(Kind.VALUE_MISSING, table.title, cell,
                        f"the action text is blank{self._merged_note(table.title, cell)}; type "
                        "the action or delete the row")
            return None
        status, stages_done = self._status(text["status"], cells.get("status"))
        override = None
        if text["rag_override"]:
            override = self.rag_lookup.get(key(text["rag_override"]))
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
        elif date_cell is not None:
            date_value = self._serial(date_cell)
        if date_value is not None:
            # A date, not words: how to show it is the documents' business.
            text["completion_date"] = ""
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
        status, stages = read_status(text)
        if status is None:
            self._error(Kind.VALUE_UNREADABLE, *self._where(cell),
                        f"Status '{text}' is not one we know; use {STATUS_CHOICES} (or leave "
                        "it blank)")
            return Status.BLANK, frozenset()
        return status, stages
