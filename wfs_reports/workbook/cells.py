"""The pure functions that read what officers write in a cell.

The cell-level reading that needs no openpyxl: keys for forgiving
comparison, recommendation refs, statuses, Excel day numbers and error
values, cleaning text. The words they know are the contract's (contract.py).
The sheet reader (reader.py) applies them cell by cell, and says what it
found by cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from wfs_reports.domain.model import Status
from wfs_reports.domain.text import UNSAFE_CHARACTERS
from wfs_reports.workbook.contract import PLACEHOLDERS, REPORT_SETTINGS, STATUS_WORDS

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


_T = TypeVar("_T")


def lookup(table: Mapping[_T, Iterable[str]]) -> dict[str, _T]:
    """{key(word): what it means} for a vocabulary table."""
    return {key(word): target for target, words in table.items() for word in words}


_STATUS_LOOKUP = lookup(STATUS_WORDS)
_SETTING_LOOKUP = lookup({field: setting.names for field, setting in REPORT_SETTINGS.items()})
_PLACEHOLDER_KEYS = {key(p) for p in PLACEHOLDERS}


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
