"""Problems as values: what is wrong, where, how bad, and what to do.

Every stage that notices something (the reader, the rules, a renderer) says so
with a ``Problem``. The console, ``--check`` and the report's Exceptions all
consume the same objects, so nothing ever parses a message back apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # the report cannot be trusted until it is fixed
    WARNING = "warning"  # worth fixing before circulating
    INFO = "info"  # worth knowing; nothing to fix


class Kind(StrEnum):
    """What sort of problem it is; tests and --check group by it."""

    # Rendering
    GLYPH_MISSING = "glyph_missing"  # a character no bundled font can show
    RENDERER_WARNING = "renderer_warning"  # a warning from a document engine
    CHARACTER_DROPPED = "character_dropped"  # text a format cannot hold, removed

    # Reading the workbook (workbook.reader, and the file checks before it)
    WORKBOOK_FILE = "workbook_file"  # the file itself: not found, not a workbook, damaged
    OPEN_ELSEWHERE = "open_elsewhere"  # Excel or LibreOffice has it open
    SHEET_MISSING = "sheet_missing"
    SHEET_RENAMED = "sheet_renamed"  # settings read from a sheet with another name
    HIDDEN = "hidden"  # a hidden sheet, column or row, read all the same
    COLUMN_MISSING = "column_missing"
    COLUMN_REPEATED = "column_repeated"
    COLUMN_UNKNOWN = "column_unknown"
    SETTING_UNKNOWN = "setting_unknown"
    SETTING_MISSING = "setting_missing"  # a setting the report needs, made up with a note
    ERROR_VALUE = "error_value"  # a cell showing #REF! and the like
    FORMULA_UNSAVED = "formula_unsaved"  # a formula saved with no value
    MERGED_CELLS = "merged_cells"
    VALUE_UNREADABLE = "value_unreadable"  # a status, RAG, date or ref we cannot read
    VALUE_MISSING = "value_missing"  # a required value left blank
    DUPLICATE_REF = "duplicate_ref"
    SERIAL_DATE = "serial_date"  # a date stored as Excel's day number

    # Checks on the plan (domain.checks): what --check lists and a run sums up
    DATE_UNREADABLE = "date_unreadable"
    DATE_AMBIGUOUS = "date_ambiguous"
    DATE_TBC = "date_tbc"
    DATE_RECURRING = "date_recurring"  # "Annually - March": read as ongoing, said so
    NO_OWNER = "no_owner"
    OVERDUE_NO_COMMENT = "overdue_no_comment"
    STALE = "stale"
    OVERRIDE_REFUSED = "override_refused"
    OVERRIDE_NO_REASON = "override_no_reason"
    RECOMMENDATION_EMPTY = "recommendation_empty"
    COMPLETED_EARLY = "completed_early"
    MEETING_DATE = "meeting_date"  # a meeting date before the as-at date, or far after
    AS_AT_ORDER = "as_at_order"  # as at earlier than reports already in the output folder
    TITLE_CHANGED = "title_changed"  # the output folder's reports have another title
    DUPLICATE_ACTION = "duplicate_action"  # the same action text twice under one recommendation
    OVERRIDE_CARRIED_OVER = "override_carried_over"  # its reason unchanged since the last report

    # Word import (make-report --new-workbook PLAN.xlsx --from REPORT.docx)
    WORD_NOT_PLACED = "word_not_placed"  # text in the Word file that became no field
    # read by a guess worth checking: a row joined to the action above, a table
    # with no header row read in the usual column order
    WORD_GUESSED = "word_guessed"
    WORD_COLOUR = "word_colour"  # a RAG cell whose colour or words were unclear

    # Update requests (make-report --requests)
    OWNER_UNCLEAR = "owner_unclear"  # an Owner(s) cell the owner rules cannot settle
    OWNER_ADDRESS = "owner_address"  # an Owners sheet row that cannot be used
    REQUEST_DATE = "request_date"  # a reply-by date that will not work


@dataclass(frozen=True)
class Problem:
    """One thing to tell the officer.

    ``sheet`` and ``cell`` locate it in the workbook ("Actions", "D7"; a
    column is "D:D", a row "7:7"); both are empty for the file as a whole.
    ``message`` says what is wrong and what to do, without the location.
    """

    kind: Kind
    severity: Severity
    message: str
    sheet: str = ""
    cell: str = ""

    @property
    def where(self) -> str:
        """'Actions!D7', 'Actions', or '' for the whole file."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def line(self, file: str = "") -> str:
        """The one-line form: 'plan.xlsx: Actions!D7: message'."""
        parts = [part for part in (file, self.where) if part]
        return ": ".join([*parts, self.message])

    def __str__(self) -> str:
        return self.line()


def split_where(where: str) -> tuple[str, str]:
    """'Actions!D7' -> ('Actions', 'D7'): the sheet and cell a Problem names, from
    where a value was read (a cell map's "Sheet!A1"); ('', '') when blank."""
    sheet, _, cell = where.partition("!")
    return sheet, cell
