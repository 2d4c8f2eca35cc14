"""What officers write in the workbook, and the pure functions that read it.

The vocabulary (column headers, settings, statuses and RAG words, by the field
they mean) and the cell-level reading that needs no openpyxl: keys for
forgiving comparison, recommendation refs, statuses, Excel day numbers,
cleaning text. The sheet reader (reader.py) applies them cell by cell, and
says what it found by cell.
"""

from __future__ import annotations

import datetime as dt
import re

from wfs_reports.domain.model import Rag, Status
from wfs_reports.domain.text import UNSAFE_CHARACTERS

# What officers have been seen to write, by the field it means. Headers are
# compared after key(): lower case, letters and digits only.
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
    "strapline": ("Strapline", "Tagline", "Organisation Strapline"),
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
    "status": "no action can be Completed or Not applicable: each is assessed by its date "
              "alone",
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

# Excel keeps a date as a day number (a serial: 45382 is 31 March 2024); a cell
# formatted General shows the number. Only these would be plausible plan dates.
SERIAL_FROM, SERIAL_TO = 36526, 73050  # 1 January 2000 .. 31 December 2099
_EXCEL_DAY_ZERO = dt.date(1899, 12, 30)

_STAGE_DONE = re.compile(
    r"\b(?:stage|phase)\s*(\d+)\s*(?:is\s+|has\s+been\s+|now\s+)?(?:complete|completed|done|finished)\b",
    re.IGNORECASE,
)
_REF = re.compile(
    r"^(?:rec(?:ommendation)?s?|r|no|number|ref)?[\s.:#-]*(\d+)(?:\.0+)?$", re.IGNORECASE
)
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# Lone UTF-16 surrogates: an `_xD800_` escape can make one, and no document
# format can hold it (the renderers would fail or cut the text short).
_SURROGATE = re.compile("[\ud800-\udfff]")
# Excel's error values; a cell showing one has no real value to report.
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
                          "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!",
                          "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def key(text: object) -> str:
    """What two spellings of a header or word share: lower case, letters and digits."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def lookup(table: dict) -> dict[str, object]:
    """{key(word): what it means} for a vocabulary table."""
    return {key(word): target for target, words in table.items() for word in words}


_STATUS_LOOKUP = lookup(STATUS_WORDS)
_SETTING_LOOKUP = lookup(REPORT_SETTINGS)
_PLACEHOLDER_KEYS = {key(p) for p in PLACEHOLDERS}
COUNT_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
               8: "eight", 9: "nine"}


def setting_field(name: str) -> str | None:
    """The Report sheet setting a name means ('As at date' -> 'as_at'), or None."""
    return _SETTING_LOOKUP.get(key(name))


def read_status(text: str) -> tuple[Status | None, frozenset[int]]:
    """(status, stages marked complete); None when the words mean no status we know.

    'Stage 1 complete, stage 2 in progress' is In progress with stage 1 done.
    """
    if not text:
        return Status.BLANK, frozenset()
    status = _STATUS_LOOKUP.get(key(text))
    if status is not None:
        return status, frozenset()
    stages = frozenset(int(n) for n in _STAGE_DONE.findall(text))
    if stages:
        return Status.IN_PROGRESS, stages
    return None, frozenset()


def ref_number(value: object) -> int | None:
    """A recommendation number from 1, 1.0, 'R1', 'Rec 1', 'Recommendation 1'."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and value > 0 else None
    match = _REF.match(str(value or "").strip())
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def serial_date(value: object) -> dt.date | None:
    """The date an Excel day number stands for, if it is a plausible plan date."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not SERIAL_FROM <= value <= SERIAL_TO:
        return None
    return _EXCEL_DAY_ZERO + dt.timedelta(days=int(value))


def is_error_value(value: object) -> bool:
    """Excel's #REF!, #N/A and the like, saved as text."""
    return isinstance(value, str) and value.strip() in ERROR_VALUES


def value_text(value: object) -> str:
    """A cell's value as the officer sees it: 12.0 is '12', a date '31/03/2024'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def unescape(text: str) -> str:
    """Excel's _x000D_-style escapes as the characters they stand for."""
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def join_surrogates(text: str) -> str | None:
    """Escaped surrogate pairs joined (an emoji as _xD83D__xDE00_); None if one is alone."""
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        return None


def clean_text(text: str) -> tuple[str, bool]:
    """Line breaks made plain, control characters removed, ends trimmed, and the
    old template's placeholder text dropped: (text, whether controls were removed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    removed = bool(UNSAFE_CHARACTERS.search(text))
    if removed:
        text = UNSAFE_CHARACTERS.sub("", text)
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    if key(text) in _PLACEHOLDER_KEYS:
        return "", removed
    return text, removed
