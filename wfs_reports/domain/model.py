"""The action plan as the domain sees it: plain data, no I/O, no libraries.

The reader fills these from the workbook; the rules assess them; the report's
builder (``report.build``) turns them into what the renderers print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from wfs_reports.domain.problems import Problem


class Rag(StrEnum):
    """RAG keys as they appear in the JSON snapshot and the rules config."""

    COMPLETED = "completed"
    MINOR_ISSUES = "minor_issues"
    MISSED = "missed"
    NOT_APPLICABLE = "not_applicable"


# How bad a RAG is for the Board, one order for everything: an officer's
# override that is lower than the computed RAG is "kinder" and needs a reason,
# and a trend is better or worse by it. Not applicable needs no action, like
# completed.
RAG_SEVERITY = {
    Rag.NOT_APPLICABLE: 0,
    Rag.COMPLETED: 0,
    Rag.MINOR_ISSUES: 1,
    Rag.MISSED: 2,
}


class DueKind(StrEnum):
    """What a completion date (or one stage of it) turned out to be."""

    DATE = "date"
    ONGOING = "ongoing"
    TBC = "tbc"
    UNRECOGNISED = "unrecognised"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Stage:
    """One due date read from a completion-date cell.

    ``label`` is the stage's own name as written ("Stage 1"), or None when the
    cell names no stages. ``text`` is the wording this stage was read from
    ("Q4 2023-24"), used in computed comments. ``date`` is the last day of the
    period named, and is set only when ``kind`` is DATE. ``recurrence`` is set
    on an ONGOING stage whose words recur rather than name a date ("Annually -
    March" recurs "annually, March"), so the documents can say so.
    """

    label: str | None
    kind: DueKind
    date: dt.date | None
    text: str
    recurrence: str = ""


class Status(StrEnum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    NOT_APPLICABLE = "Not applicable"
    BLANK = ""


@dataclass
class Action:
    """One row of the Actions sheet, as the officer wrote it."""

    row: int
    ref: int
    action: str
    owners: str = ""
    completion_date: str = ""  # the officer's words; "" when the cell holds a date
    # The completion-date cell's value when Excel stored a real date (or a day
    # number); the documents decide how to show it.
    completion_date_value: dt.date | None = None
    status: Status = Status.BLANK
    status_text: str = ""
    # Stage numbers the status says are done ("Stage 1 complete").
    stages_complete: frozenset[int] = frozenset()
    comments: str = ""
    rag_override: Rag | None = None
    rag_override_text: str = ""
    override_reason: str = ""
    last_updated: dt.date | None = None
    # Field name -> A1 reference of the cell it came from, for messages.
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Recommendation:
    ref: int
    text: str
    comments_from_service: str = ""
    row: int = 0
    actions: list[Action] = field(default_factory=list)


@dataclass
class ReportSettings:
    """The Report sheet. Blank strings mean "not given": nothing is borrowed
    from any other plan (the reader gives a plan with no Title one of its own)."""

    title: str = ""
    heading: str = ""
    organisation: str = ""
    strapline: str = ""  # under the organisation's name; "" is the brand's own, if any
    meeting: str = ""
    meeting_date: dt.date | None = None
    as_at: dt.date | None = None
    prepared_by: str = ""
    classification: str = ""
    # The officer's own words for the Board, shown under the heading before the
    # figures; paragraphs separated by a blank line. "" when not given.
    summary_for_the_board: str = ""
    as_at_cell: str = ""  # where "As at" was read, e.g. "Report!B7"
    # Where each setting was read, by field ("meeting_date": "Report!B6"), for messages.
    cells: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Contact:
    """One row of the optional Owners sheet (``Owner | Email | CC``), as written."""

    row: int
    owner: str
    email: str  # one address, or several separated by ';'
    sheet: str = "Owners"
    owner_column: str = "A"
    email_column: str = "B"
    cc: str = ""  # addresses to copy in (a PA, say), separated by ';'
    cc_column: str = "C"


@dataclass
class Plan:
    settings: ReportSettings
    recommendations: list[Recommendation]
    # Non-fatal things the reader noticed (unknown columns, hidden rows...).
    warnings: list[Problem] = field(default_factory=list)
    # The Owners sheet's rows; empty when the workbook has none.
    contacts: list[Contact] = field(default_factory=list)

    @property
    def actions(self) -> list[Action]:
        return [a for rec in self.recommendations for a in rec.actions]


@dataclass(frozen=True)
class Brand:
    organisation: str
    strapline: str
    primary: str  # headings, rules
    accent: str  # table header fill
    accent_text: str  # text on the accent fill
    logo: str | None = None  # path to an image inside the templates folder
    logo_alt: str = ""

    def for_plan(self, settings: ReportSettings) -> Brand:
        """The brand as one plan's report shows it: the workbook's Organisation wins,
        and the brand's strapline belongs to the brand's own organisation, so it is
        left out under another's name; the workbook's Strapline wins over both."""
        brand = self
        if settings.organisation:
            same = _words(settings.organisation) == _words(self.organisation)
            brand = replace(brand, organisation=settings.organisation,
                            strapline=brand.strapline if same else "")
        if settings.strapline:
            brand = replace(brand, strapline=settings.strapline)
        return brand


def _words(text: str) -> str:
    return " ".join(text.casefold().split())


def action_number(ref: int, position: int) -> str:
    """'3.2': the second action (``position`` counts from 1) of recommendation 3,
    as every document numbers it."""
    return f"{ref}.{position}"
