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
from collections.abc import Mapping
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
from wfs_reports.domain.problems import Kind, Problem, Severity
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
    DATE_SETTINGS,
    OVERRIDE_RAGS,
    OWNER_COLUMNS,
    OWNERS_SHEETS,
    RAG_SYNONYMS,
    RECOMMENDATION_COLUMNS,
    REPORT_COLUMNS,
    REPORT_SHEET_NAMES,
    SHEETS,
    STATUS_CHOICES,
    Column,
    header_words,
    required,
)
from wfs_reports.workbook.file import check_container, require_defusedxml, uncached_formulas

__all__ = ["read_workbook"]

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


def read_workbook(data: bytes, file_name: str, rag_labels: Mapping[Rag, str]) -> Plan:
    """Read the workbook's bytes. ``file_name`` is used in messages only.

    ``rag_labels`` are the labels of the rules in use (``RulesConfig.labels()``),
    which an officer's RAG Override may use.
    """
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


FALLBACK_TITLE = "Action Plan Update"


def title_from_file_name(file_name: str) -> str:
    """'carers_action-plan 2024.xlsx' -> 'carers action plan 2024': the file's own
    words; 'Action Plan Update' when it has none."""
    stem = re.sub(r"\.xls[xm]?$", "", file_name.strip(), flags=re.IGNORECASE)
    words = " ".join(re.sub(r"[_\s]+|(?<=\w)-(?=\w)", " ", stem).split())
    return words if re.search(r"[^\W\d_]", words) else FALLBACK_TITLE


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
                if cell.data_type == "e" or is_error_value(value):
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
                what = f"span {COUNT_WORDS.get(count, str(count))} {noun}s"
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
            count = "1 date is" if len(found) == 1 else f"{len(found)} dates are"
            sheet, letter = column
            self._warn(Kind.SERIAL_DATE, sheet, f"{letter}:{letter}",
                       f"{count} stored as a number (e.g. {coordinate} holds {value:g}, read "
                       f"as {format_date(date)}); format column {letter} as Date in Excel "
                       "(Format Cells > Date) so officers see the dates")

    def _ref(self, cell) -> int | None:
        number = ref_number(cell.value if cell is not None else None)
        if number is None:
            self._error(Kind.VALUE_UNREADABLE, *self._where(cell),
                        f"Ref '{self._text(cell)}' is not a recommendation number; write it "
                        "as 1, R1 or Recommendation 1")
        return number

    # -- sheets --------------------------------------------------------------

    def _title_from_file(self, settings: ReportSettings, sheet) -> None:
        """A plan with no Title is named after its own file, never another plan: said
        once, with the title used."""
        settings.title = title_from_file_name(self.file_name)
        where = settings.cells.get("title", "").partition("!")
        sheet_name, cell = (where[0], where[2]) if where[2] else (
            (sheet.title, "") if sheet is not None else ("", ""))
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
