"""The words the importer recognises in a Word report.

The action table's header words, what officers write in a RAG cell, the
headings and labels of the original report, and the parts of this project's
own report that are worked out from the plan (and so skipped). Texts are
compared after ``key()``: lower case, letters and digits only.

The workbook's own vocabulary (its placeholders and status words) comes in
here, and only here; the RAG labels are those of the rules in use, passed down
from the command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from wfs_reports.domain.model import Rag
from wfs_reports.domain.trend import Trend
from wfs_reports.workbook.contract import PLACEHOLDERS, STATUS_WORDS

_T = TypeVar("_T")

# The original report's running header, repeated on each page of a text export;
# recognised so it is skipped, never written into a new workbook.
ORIGINAL_RUNNING_HEADER = "WFS Action Plan Update"


def key(text: object) -> str:
    """The text as compared: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def lookup(table: Mapping[_T, Iterable[str]]) -> dict[str, _T]:
    """{key(word): target} for a table of {target: words}."""
    return {key(word): target for target, words in table.items() for word in words}


# What else officers write in (or instead of colouring) a RAG cell.
RAG_CELL_WORDS = {
    Rag.COMPLETED: ("Completed", "Complete", "Green", "G", "Done", "Blue"),
    Rag.MINOR_ISSUES: ("Amber", "A", "On target", "Minor issues", "Yellow", "Orange"),
    Rag.MISSED: ("Red", "R", "Missed", "Missed target"),
    Rag.NOT_APPLICABLE: ("N/A", "NA", "Not relevant"),
}
RAG_WORD_LOOKUP = lookup(RAG_CELL_WORDS)
TREND_WORDS = tuple(trend.value for trend in Trend)
TREND_KEYS = {key(w) for w in TREND_WORDS}
# The first cell of a RAG key row that has its own wording ("RAG Status | Completed
# Action | ..."), and what else a key's empty-label cells may say.
KEY_TITLE = "ragstatus"
KEY_CELLS = ("", KEY_TITLE, "key", "ragkey")

# The workbook's placeholders and status words (workbook/contract.py).
PLACEHOLDER_KEYS = {key(p) for p in PLACEHOLDERS}
STATUS_LOOKUP = lookup(STATUS_WORDS)

# The action table's header cells, by field.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "action": ("Action", "Actions", "Action(s)", "Agreed action", "Agreed actions",
               "Action description"),
    "owners": ("Owner(s)", "Owner", "Owners", "Lead", "Leads", "Lead(s)", "Lead officer",
               "Action owner", "Responsible", "Responsible officer"),
    "completion_date": ("Completion Date", "Completion Date(s)", "Due", "Due date",
                        "Target date", "Deadline", "Timescale", "Timescales", "Completion",
                        "Target completion date", "Date due", "By when"),
    "comments": ("Comments", "Comment", "Comment(s)", "Progress update", "Update",
                 "Progress comments", "Latest update", "Commentary", "Progress"),
    "rag": ("RAG Status", "RAG", "RAG rating", "RAG status (colour)", "Rating"),
    "status": ("Status", "Progress status", "Action status"),
    # make-report's own report numbers its actions ("3.2"): worked out again
    # from their order, so the column is read and left aside.
    "number": ("No.", "Action no.", "Action number"),
}
HEADER_LOOKUP = lookup(HEADER_WORDS)
# Longest first, so "Action owner(s)" is an owner before it is an "Action".
_HEADER_PREFIXES = sorted(HEADER_LOOKUP.items(), key=lambda item: -len(item[0]))
# What may follow a header word in its cell: a qualifier in brackets or after a
# slash ("RAG Status (colour)", "Comments / update", "Owner(s)").
_QUALIFIER = re.compile(r"^\s*(?:[(\[].*|/.*)$", re.DOTALL)
# The columns of the original report, for a table whose header row is left out.
USUAL_COLUMNS = ("Action", "Owner(s)", "Completion Date", "Comments", "RAG Status")


def header_field(text: str) -> str | None:
    """The field an action-table header cell names, or None for none.

    The cell is a header word ("Owner(s)"), or one followed by a qualifier in
    brackets or after a slash ("RAG Status (colour)", "Comments / update").
    Text that merely starts with one ("Action plan to be drafted", "Progress
    is slow") is an action's, not a header's.
    """
    text_key = key(text)
    if text_key in HEADER_LOOKUP:
        return HEADER_LOOKUP[text_key]
    for word, name in _HEADER_PREFIXES:
        if len(word) >= 3 and text_key.startswith(word) \
                and _QUALIFIER.match(_after_key(text, len(word))):
            return name
    return None


def _after_key(text: str, length: int) -> str:
    """``text`` after the characters that make up the first ``length`` of its key."""
    seen = 0
    for index, character in enumerate(text):
        if seen == length:
            return text[index:]
        if key(character):
            seen += 1
    return ""


# Headings and labels of the original report.
REC_HEADING = re.compile(
    r"^\s*(?:recommendation|rec\.?)\s*(?:no\.?\s*|number\s*)?(\d+)\s*(?:$|[:.\-–—)]\s*(.*)$)",
    re.IGNORECASE | re.DOTALL,
)
COMMENTS_LABEL = re.compile(
    r"^\s*(?:comments?\s+from\s+(?:the\s+)?service|service\s+comments?)\s*[:.\-–]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
SETTING_LINES = (
    ("meeting_date", re.compile(r"^\s*meeting\s+date\s*:\s*(.+)$", re.IGNORECASE)),
    ("meeting", re.compile(r"^\s*meeting\s*:\s*(.+)$", re.IGNORECASE)),
    ("as_at", re.compile(r"^\s*(?:position\s+)?as\s+at\s*:?\s*(.+)$", re.IGNORECASE)),
    ("prepared_by", re.compile(r"^\s*prepared\s+by\s*:\s*(.+)$", re.IGNORECASE)),
    ("classification", re.compile(r"^\s*classification\s*:\s*(.+)$", re.IGNORECASE)),
)
NOT_APPLICABLE = "notapplicable"  # a full-width "Not applicable ..." row starts so


def is_label(text: str) -> bool:
    """'Recommendation 3' or 'Comments from Service:' (its first line)."""
    return bool(REC_HEADING.match(text.split("\n")[0]) or COMMENTS_LABEL.match(text))


def strip_mark(text: str) -> str:
    """'● Completed Action' -> 'Completed Action'; '↓ worse' -> 'worse'."""
    return re.sub(r"^[^\w(]+", "", text.split("\n")[0]).strip()


# The Override Reason of a red RAG cell read as a RAG Override: a harsher override
# needs no reason, but the workbook says where it came from.
FROM_THE_WORD_REPORT = "from the Word report"

# This project's own report. Its tables worked out from the plan (summary,
# exceptions, changes), recognised by their first row's cells (as key() gives
# them), are skipped.
COMPUTED_TABLES = ({"recommendation", "total"}, {"recommendation", "ataglance"},
                   {"cell", "issue"}, {"recommendation", "action", "change"},
                   {"no", "action", "issue"}, {"no", "action", "change"})
# The summary's count boxes: its last cell is the total, "13 Actions counted".
COUNT_BOXES_END = "actionscounted"
# Headings of its sections before the recommendations, worked out from the plan.
COMPUTED_SECTIONS = ("Summary", "How RAG is calculated", "Exceptions",
                     "Changes since the last report")
COMPUTED_SECTION_KEYS = {key(s) for s in COMPUTED_SECTIONS}
# Styles of its Word template (templates/report.docx), by style id.
SYSTEM_COMMENT_STYLE = "SystemComment"
TREND_STYLE = "RAGTrend"
FURNITURE_STYLES = {"Provenance", "Strapline"}
HEADING_STYLES = {"Heading1", "Title"}
