"""The workbook contract: what the officers' workbook holds, written once.

The sheets and the names officers give them; each sheet's columns (the
header a new workbook writes, its width, the other spellings the reader
accepts, the note on the header, what the report loses without it); the
Report sheet's settings, in order; the statuses and the words officers use
for them; the RAG words accepted besides the rules' labels; the old
template's placeholder text; and the new workbook's instructions.

The reader (reader.py, with cells.py), the new-workbook writer
(new_workbook.py), the Word importer and the tests' factories all take the
contract from here. The RAG labels and the days after which an update is
stale are the rules' (templates/rules.toml), passed in by the command; the
notes and instructions that mention them hold ``{rag_labels}`` and
``{stale_days}`` for the writer to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass

from wfs_reports.domain.model import Rag, Status

# -- sheets ------------------------------------------------------------------

SHEETS = {"report": "Report", "recommendations": "Recommendations", "actions": "Actions"}
# Names officers give the Report sheet when they rename it; looked for in order.
REPORT_SHEET_NAMES = ("Report", "Report settings", "Settings", "Report details", "Details",
                      "Cover", "Cover sheet", "Front sheet", "Front page", "Info", "About")
# The optional Owners sheet: who to send update requests to (make-report --requests).
OWNERS_SHEET = "Owners"
OWNERS_SHEETS = (OWNERS_SHEET, "Owner Emails", "Owner Addresses", "Contacts")
# The new workbook's first sheet: how to fill it in (INSTRUCTIONS).
INSTRUCTIONS_SHEET = "Instructions"


# -- columns -----------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a sheet, by the field it means."""

    field: str
    header: str  # what a new workbook writes, and what messages call the column
    width: int  # in a new workbook, in Excel's character widths
    also: tuple[str, ...] = ()  # other headers officers have been seen to write
    note: str = ""  # the header's note in a new workbook: guidance where the officer types
    required: bool = False  # without it the sheet cannot be read
    if_missing: str = ""  # an optional column: what the report loses without it

    @property
    def names(self) -> tuple[str, ...]:
        """Every header the reader accepts for it, the new workbook's first."""
        return (self.header, *self.also)


def _columns(*columns: Column) -> dict[str, Column]:
    return {column.field: column for column in columns}


REPORT_COLUMNS = _columns(
    Column("setting", "Setting", 18, ("Settings", "Field", "Name", "Item"), required=True),
    Column("value", "Value", 80, ("Values",), required=True, note=(
        "Dates are day first, e.g. 22/11/2023. 'As at' is the date the RAG is worked out "
        "for; leave blank for today.")),
)

RECOMMENDATION_COLUMNS = _columns(
    Column("ref", "Ref", 6, ("Rec", "Rec No", "Number", "No", "Recommendation No",
                             "Recommendation Number", "Recommendation Ref"), required=True),
    Column("text", "Recommendation", 80, ("Recommendation Text", "Text", "Description"),
           required=True),
    Column("comments", "Comments from Service", 80,
           ("Service Comments", "Comments", "Comment", "Narrative",
            "Comments from the Service")),
)

# The statuses the reader knows, by their own names (the new workbook's dropdown).
STATUSES = tuple(status.value for status in Status if status is not Status.BLANK)
# "Not started, In progress, Completed or Not applicable"
STATUS_CHOICES = ", ".join(STATUSES[:-1]) + " or " + STATUSES[-1]

ACTION_COLUMNS = _columns(
    Column("ref", "Ref", 6, ("Rec", "Recommendation", "Rec No", "Rec Ref", "Recommendation No",
                             "Recommendation Number", "Recommendation Ref"), required=True,
           note="The number of the recommendation this action belongs to: 1, R1 or "
           "Recommendation 1. Leave blank to use the Ref of the row above."),
    Column("action", "Action", 60, ("Actions", "Action Description"), required=True),
    Column("owners", "Owner(s)", 30, ("Owner", "Owners", "Lead", "Leads", "Action Owner",
                                      "Responsible"),
           if_missing="every action is shown with no owner"),
    Column("completion_date", "Completion Date", 22,
           ("Due", "Due date", "Target date", "Deadline", "Completion",
            "Target Completion Date", "Date Due"), required=True,
           note="How to write the completion date, for example: Q4 2023-24, March 2024, "
           "31/03/2024, Ongoing, TBC; stages as 'Stage 1: Q4 2023-24 Stage 2: TBC'. Quarters "
           "are financial-year quarters (Q1 = Apr-Jun). Dates are day first."),
    Column("status", "Status", 15, ("Progress status", "Progress"),
           note=f"{STATUS_CHOICES}. Write 'Stage 1 complete' when the first stage of a "
           "staged action is done.",
           if_missing="no action can be Completed or Not applicable: each is assessed by its "
           "date alone"),
    Column("comments", "Comments", 50, ("Comment", "Progress update", "Update",
                                        "Progress Comments", "Latest Update"),
           if_missing="the report carries no officer updates"),
    Column("rag_override", "RAG Override", 30, ("Officer RAG", "Override", "RAG",
                                                "RAG Status"),
           note="Leave blank to use the computed RAG. An override kinder than the computed "
           "RAG needs an Override Reason, or it is not applied.",
           if_missing="no officer RAG override is applied"),
    Column("override_reason", "Override Reason", 40, ("Reason", "RAG Reason",
                                                      "Reason for Override"),
           if_missing="an override kinder than the computed RAG is refused, as it has no "
           "reason"),
    Column("last_updated", "Last Updated", 14, ("Updated", "Date Updated", "Last Update",
                                                "Updated On"),
           note="The date you last updated this row (day/month/year). Rows not updated for "
           "{stale_days} days are flagged.",
           if_missing="old updates cannot be spotted"),
)

OWNER_COLUMNS = _columns(
    Column("owner", "Owner", 45, ("Owners", "Owner(s)", "Name", "Lead", "Person"),
           note="Optional. One row per person (or role) named in the Actions sheet's Owner(s) "
           "column, written as there (case does not matter; a role after the name may be "
           "left out)."),
    Column("email", "Email", 45, ("E-mail", "Email address", "E-mail address", "Address",
                                  "Mail"),
           note="The owner's email address, e.g. name@example.org (several separated by "
           "';'). make-report --requests puts it in the To: line of that owner's draft email; "
           "nothing is ever sent."),
    Column("cc", "CC", 45, ("Cc", "Copy to", "Copy", "PA", "PA email"),
           note="Optional. Addresses to copy in (a PA, say), separated by ';': they go in the "
           "Cc: line of that owner's draft email."),
)

# Each sheet's columns, by the sheet's name, in the new workbook's order.
SHEET_COLUMNS: dict[str, dict[str, Column]] = {
    SHEETS["report"]: REPORT_COLUMNS,
    SHEETS["recommendations"]: RECOMMENDATION_COLUMNS,
    SHEETS["actions"]: ACTION_COLUMNS,
    OWNERS_SHEET: OWNER_COLUMNS,
}


def headers(columns: dict[str, Column]) -> list[str]:
    """The headers a new workbook writes, in order."""
    return [column.header for column in columns.values()]


def header_words(columns: dict[str, Column]) -> dict[str, tuple[str, ...]]:
    """{field: every header the reader accepts for it}."""
    return {field: column.names for field, column in columns.items()}


def required(columns: dict[str, Column]) -> tuple[str, ...]:
    """The fields without which the sheet cannot be read."""
    return tuple(field for field, column in columns.items() if column.required)


# -- the Report sheet's settings ---------------------------------------------

@dataclass(frozen=True)
class Setting:
    """One row of the Report sheet. A blank value keeps ReportSettings' default."""

    field: str  # the ReportSettings attribute
    name: str  # what a new workbook writes in the Setting column
    also: tuple[str, ...] = ()  # other names officers have been seen to write

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.also)


# In the new workbook's order.
REPORT_SETTINGS: dict[str, Setting] = {setting.field: setting for setting in (
    Setting("title", "Title", ("Report Title", "Running Header")),
    Setting("heading", "Heading", ("Report Heading",)),
    Setting("organisation", "Organisation", ("Organization", "Brand", "Organisation Name")),
    Setting("strapline", "Strapline", ("Tagline", "Organisation Strapline")),
    Setting("meeting", "Meeting", ("Meeting Name", "Board")),
    Setting("meeting_date", "Meeting date", ("Date of Meeting",)),
    Setting("as_at", "As at", ("As at date", "Position as at", "Report date", "Date")),
    Setting("prepared_by", "Prepared by", ("Author", "Report Author")),
    Setting("classification", "Classification", ("Security Classification",
                                                  "Status of Report")),
    Setting("summary_for_the_board", "Summary for the Board",
            ("Summary", "Summary for Board", "Officer's summary", "Officer summary",
             "Executive summary")),
)}
# The settings that are dates (read day first, written as dates).
DATE_SETTINGS = ("meeting_date", "as_at")


# -- what officers write in cells ---------------------------------------------

STATUS_WORDS: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: ("Not started", "Not yet started", "Not begun", "To start", "Planned"),
    Status.IN_PROGRESS: ("In progress", "Started", "Underway", "Under way", "On track",
                         "On target", "In hand", "Ongoing", "Progressing", "WIP"),
    Status.COMPLETED: ("Completed", "Complete", "Done", "Closed", "Achieved", "Finished"),
    Status.NOT_APPLICABLE: ("Not applicable", "N/A", "NA", "Not relevant"),
}

# The RAGs an officer may choose as an override (not "not applicable": that is a status).
OVERRIDE_RAGS = (Rag.COMPLETED, Rag.MINOR_ISSUES, Rag.MISSED)
# Besides the RAG labels of the rules in use (templates/rules.toml), which the
# reader is given: an officer may write a label or one of these.
RAG_SYNONYMS: dict[Rag, tuple[str, ...]] = {
    Rag.COMPLETED: ("G", "Green", "Completed", "Complete"),
    Rag.MINOR_ISSUES: ("A", "Amber", "On target", "Minor issues", "Yellow"),
    Rag.MISSED: ("R", "Red", "Missed", "Missed target"),
}

# Text the old Word template put in empty cells; it means "nothing here".
PLACEHOLDERS = ("Insert any relevant comments", "Add colour for RAG status")


# -- the new workbook's instructions ------------------------------------------

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
