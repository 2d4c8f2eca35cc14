"""Completion dates: the UK public-sector readings in SPEC "Completion dates"."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wfs_reports.domain.dates import (
    financial_quarter,
    format_date,
    next_quarter_end,
    parse_completion_date,
    parse_day_first_date,
)
from wfs_reports.domain.model import DueKind, Stage

DATE, TBC, ONGOING = DueKind.DATE, DueKind.TBC, DueKind.ONGOING
UNREAD, AMBIGUOUS = DueKind.UNRECOGNISED, DueKind.AMBIGUOUS
D = dt.date


def read(value) -> list[tuple[str | None, DueKind, dt.date | None]]:
    return [(s.label, s.kind, s.date) for s in parse_completion_date(value)]


def one(kind: DueKind, date: dt.date | None = None) -> list:
    return [(None, kind, date)]


# (cell text, expected due date) for cells that are one unlabelled DATE stage.
SINGLE_DATES = [
    # Financial-year quarters, every year spelling.
    ("Q4 2023-24", D(2024, 3, 31)),
    ("Q3 2023-24", D(2023, 12, 31)),
    ("Q1 2024/25", D(2024, 6, 30)),
    ("Q2 2024/25", D(2024, 9, 30)),
    ("Q4 2023/24", D(2024, 3, 31)),
    ("Q4 23/24", D(2024, 3, 31)),
    ("Q4 23-24", D(2024, 3, 31)),
    ("Q4 2023/2024", D(2024, 3, 31)),
    ("Q4 2023-2024", D(2024, 3, 31)),
    ("Q4 FY23/24", D(2024, 3, 31)),
    ("Q4 FY 2023-24", D(2024, 3, 31)),
    ("Q4 FY2023/24", D(2024, 3, 31)),
    ("Q4 2023\u201324", D(2024, 3, 31)),  # en dash
    ("Q4 2023\u201424", D(2024, 3, 31)),  # em dash
    ("Q4 2023 / 24", D(2024, 3, 31)),
    ("Q4 2023 - 24", D(2024, 3, 31)),
    ("Q4 2023 - 2024", D(2024, 3, 31)),
    ("Q4 2023 to 2024", D(2024, 3, 31)),
    ("Q4 2023/4", D(2024, 3, 31)),
    ("q4 2023/24", D(2024, 3, 31)),
    ("Q 4 2023/24", D(2024, 3, 31)),
    ("Quarter 4 2023-24", D(2024, 3, 31)),
    ("quarter four 2023-24", D(2024, 3, 31)),
    ("Quarter Two 2024/25", D(2024, 9, 30)),
    ("qtr 4 2023/24", D(2024, 3, 31)),
    ("Qtr4 23/24", D(2024, 3, 31)),
    ("Qtr. 3 2023/24", D(2023, 12, 31)),
    ("Q4: 2023-24", D(2024, 3, 31)),
    ("Q4: FY 2023-24", D(2024, 3, 31)),
    ("Q4 of 2023/24", D(2024, 3, 31)),
    ("Q4 in 2023/24", D(2024, 3, 31)),
    ("Q4 of the 2023/24 financial year", D(2024, 3, 31)),
    ("Q4/2023-24", D(2024, 3, 31)),
    ("4th quarter 2023/24", D(2024, 3, 31)),
    ("fourth quarter of 2023-24", D(2024, 3, 31)),
    ("2023-24 Q4", D(2024, 3, 31)),
    ("2023/24 - Q3", D(2023, 12, 31)),
    ("FY23/24 Q4", D(2024, 3, 31)),
    ("FY 24/25 Q2", D(2024, 9, 30)),
    ("Q2 -2024-25", D(2024, 9, 30)),
    ("Q2-2024/25", D(2024, 9, 30)),
    ("Q1 2000/01", D(2000, 6, 30)),
    ("Q4 2099/00", None),  # FY 2099/00: beyond the years read (see below)
    # Halves.
    ("H1 2024/25", D(2024, 9, 30)),
    ("H2 2024/25", D(2025, 3, 31)),
    ("H2 23/24", D(2024, 3, 31)),
    ("Half 1 2024-25", D(2024, 9, 30)),
    ("first half of 2024/25", D(2024, 9, 30)),
    ("second half 2023-24", D(2024, 3, 31)),
    ("1st half 2024/25", D(2024, 9, 30)),
    ("first half of financial year 2024/25", D(2024, 9, 30)),
    # Bare financial years.
    ("2024/25", D(2025, 3, 31)),
    ("2024-25", D(2025, 3, 31)),
    ("2024/2025", D(2025, 3, 31)),
    ("2024-2025", D(2025, 3, 31)),
    ("FY24/25", D(2025, 3, 31)),
    ("FY 2024-25", D(2025, 3, 31)),
    ("FY 2024 - 2025", D(2025, 3, 31)),
    ("FY-2024/25", D(2025, 3, 31)),
    ("end of 2024-25", D(2025, 3, 31)),
    ("end of financial year 2023/24", D(2024, 3, 31)),
    ("Financial year 2023/24", D(2024, 3, 31)),
    ("By year end 2023/24", D(2024, 3, 31)),
    # Numeric dates: day first, always.
    ("01/04/2024", D(2024, 4, 1)),
    ("1/4/24", D(2024, 4, 1)),
    ("1.4.2024", D(2024, 4, 1)),
    ("31.03.24", D(2024, 3, 31)),
    ("1-4-2024", D(2024, 4, 1)),
    ("01 04 2024", D(2024, 4, 1)),
    ("2024-04-01", D(2024, 4, 1)),
    ("2024/04/01", D(2024, 4, 1)),
    ("31/3/2024", D(2024, 3, 31)),
    ("By 31/03/2024", D(2024, 3, 31)),
    ("w/e 31/03/2024", D(2024, 3, 31)),
    ("03/2024", D(2024, 3, 31)),
    ("3-2024", D(2024, 3, 31)),
    # Day and month name.
    ("31 March 2024", D(2024, 3, 31)),
    ("31st March 2024", D(2024, 3, 31)),
    ("31st Mar 24", D(2024, 3, 31)),
    ("1st of April 2024", D(2024, 4, 1)),
    ("1st April '24", D(2024, 4, 1)),
    ("23rd December 2023", D(2023, 12, 23)),
    ("Friday 31 May 2024", D(2024, 5, 31)),
    ("31-Mar-2024", D(2024, 3, 31)),
    ("March 31 2024", D(2024, 3, 31)),
    ("March 31st, 2024", D(2024, 3, 31)),
    ("Dec. 1, 2023", D(2023, 12, 1)),
    # Month and year: the month's last day.
    ("March 2024", D(2024, 3, 31)),
    ("Mar 2024", D(2024, 3, 31)),
    ("Mar-24", D(2024, 3, 31)),
    ("Mar 24", D(2024, 3, 31)),
    ("MARCH 2024", D(2024, 3, 31)),
    ("Sept 2024", D(2024, 9, 30)),
    ("Sept. 2024", D(2024, 9, 30)),
    ("Sep-2024", D(2024, 9, 30)),
    ("SEPT 24", D(2024, 9, 30)),
    ("march '24", D(2024, 3, 31)),
    ("Oct \u201823", D(2023, 10, 31)),  # typographic apostrophe
    ("Dec-23", D(2023, 12, 31)),
    ("December 23", D(2023, 12, 31)),
    ("end of March 2024", D(2024, 3, 31)),
    ("by end March 2024", D(2024, 3, 31)),
    ("by March 2024", D(2024, 3, 31)),
    ("By the end of March 2024", D(2024, 3, 31)),
    ("no later than March 2024", D(2024, 3, 31)),
    ("mid March 2024", D(2024, 3, 31)),
    ("late June 2024", D(2024, 6, 30)),
    ("Target: March 2024", D(2024, 3, 31)),
    ("Deadline - April 2024", D(2024, 4, 30)),
    ("may 2024 subject to funding", D(2024, 5, 31)),
    ("Feb 2024", D(2024, 2, 29)),
    ("Feb 2023", D(2023, 2, 28)),
    ("February 2100", None),  # beyond the calendar years read (1900-2099)
    ("March 2023/24", D(2024, 3, 31)),  # Jan-Mar fall in the FY's second year
    ("October 2023/24", D(2023, 10, 31)),
    # Seasons (meteorological).
    ("Spring 2024", D(2024, 5, 31)),
    ("Summer 2024", D(2024, 8, 31)),
    ("Autumn 2023", D(2023, 11, 30)),
    ("fall 2024", D(2024, 11, 30)),
    ("Winter 2023", D(2024, 2, 29)),
    ("Winter 2024", D(2025, 2, 28)),
    ("Winter 2023/24", D(2024, 2, 29)),
    ("Winter 24/25", D(2025, 2, 28)),
    ("Spring 24", D(2024, 5, 31)),
    ("Autumn 2023/24", D(2023, 11, 30)),
    # Calendar years.
    ("2024", D(2024, 12, 31)),
    ("end of 2024", D(2024, 12, 31)),
    ("by 2025", D(2025, 12, 31)),
    ("late 2024", D(2024, 12, 31)),
    ("2023 - 2025", D(2025, 12, 31)),  # years that cannot be one FY: a range
    # Ranges and lists: the end of the latest part.
    ("Q2 and Q3 2023-24", D(2023, 12, 31)),
    ("Q1-Q2 2024/25", D(2024, 9, 30)),
    ("Q1 - Q4 2024/25", D(2025, 3, 31)),
    ("Q4 2023-24 - Q1 2024-25", D(2024, 6, 30)),
    ("Q4 2023/24 to Q1 2024/25", D(2024, 6, 30)),
    ("April 2024 - June 2024", D(2024, 6, 30)),
    ("April - June 2024", D(2024, 6, 30)),
    ("Q3/Q4 2023-24", D(2024, 3, 31)),
    ("Jan to Mar 2024", D(2024, 3, 31)),
    ("Q3 & 4 2023/24", D(2024, 3, 31)),
    ("Q2, Q3 and Q4 2023/24", D(2024, 3, 31)),
    ("Q3 or Q4 2023-24", D(2024, 3, 31)),
    ("between Q2 and Q3 2023-24", D(2023, 12, 31)),
    ("H1 & H2 2024/25", D(2025, 3, 31)),
    ("2024/25 Q1 and Q2", D(2024, 9, 30)),
    ("Q2 2024/25 and Q3", D(2024, 12, 31)),
    ("Q1 2024/25 & Q2 2024/25", D(2024, 9, 30)),
    ("Q2 2023-24, Q3 2023-24", D(2023, 12, 31)),
    ("2023-24 - Q1 2024-25", D(2024, 6, 30)),
    ("2023-24 - 2024-25", D(2025, 3, 31)),
    ("2023/24-2024/25", D(2025, 3, 31)),
    ("Jun 2024 - Sep 2024", D(2024, 9, 30)),
    ("June - August 2024", D(2024, 8, 31)),
    ("Mar 2024, Jun 2024", D(2024, 6, 30)),
    ("March and June 2024", D(2024, 6, 30)),
    ("Dec 2023/Jan 2024", D(2024, 1, 31)),
    ("Nov - Jan 2024", D(2024, 1, 31)),  # wraps round the year: the last one named
    ("Apr 24 - Mar 25", D(2025, 3, 31)),
    ("Summer/Autumn 2024", D(2024, 11, 30)),
    ("Spring/Summer 2024", D(2024, 8, 31)),
    ("31 Mar 2024 - 30 Jun 2024", D(2024, 6, 30)),
    ("31/03/2024 - 30/06/2024", D(2024, 6, 30)),
    ("01/04/2024-31/03/2025", D(2025, 3, 31)),
    ("from April to June 2024", D(2024, 6, 30)),
    ("from April 2024 to June 2024", D(2024, 6, 30)),
    ("Start: April 2024 End: March 2025", D(2025, 3, 31)),
    ("Jan to Feb, 31 March 2024", D(2024, 3, 31)),
    # Leading and trailing words.
    ("Q2 -2024-25 to increase placements", D(2024, 9, 30)),
    ("By end of Q3 2023-24", D(2023, 12, 31)),
    ("End of Q2 2024/25 then ongoing", D(2024, 9, 30)),
    ("by the end of Q4 (March 2024)", D(2024, 3, 31)),
    ("Q4 2023-24 (31/03/2024)", D(2024, 3, 31)),
    ("March 2024 (TBC)", D(2024, 3, 31)),
    ("Annual review March 2024", D(2024, 3, 31)),
    ("Q4 March 2024", D(2024, 3, 31)),
    ("Q2 2024/25.", D(2024, 9, 30)),
    ("  Q4 2023-24  \n", D(2024, 3, 31)),
    ("Q4\u00a02023-24", D(2024, 3, 31)),  # no-break space
    ("Stages 1 and 2: March 2024", D(2024, 3, 31)),  # "Stages" is no single stage's label
    ("before end of March 2024", D(2024, 3, 31)),
    ("Spring 2024 / Summer 2024", D(2024, 8, 31)),
    ("Q1 2025-26 - Q4 2025-26", D(2026, 3, 31)),
    ("By the end of the 2024/25 financial year", D(2025, 3, 31)),
    ("Sept 23 – Mar 24", D(2024, 3, 31)),
    ("31/03/24 (Q4)", D(2024, 3, 31)),
    ("up to March 2024", D(2024, 3, 31)),
    ("Q1 '24/'25", D(2024, 6, 30)),  # apostrophe years as a financial year
    ("Q4 '23-24", D(2024, 3, 31)),
    ("Mar '24 - Jun '24", D(2024, 6, 30)),
]


@pytest.mark.parametrize(("text", "due"), SINGLE_DATES)
def test_single_due_dates(text: str, due: dt.date | None) -> None:
    if due is None:
        assert read(text) == one(UNREAD)
    else:
        assert read(text) == one(DATE, due)


OTHER_KINDS = [
    # Blank: TBC with no text.
    (None, TBC),
    ("", TBC),
    ("   ", TBC),
    ("\n\t", TBC),
    ("-", TBC),
    ("?", TBC),
    # TBC and its spellings; N/A reads as "no date given", i.e. TBC.
    ("TBC", TBC),
    ("tbc.", TBC),
    ("TBD", TBC),
    ("TBA", TBC),
    ("to be confirmed", TBC),
    ("To be agreed", TBC),
    ("Date TBC", TBC),
    ("Date to be agreed with partners", TBC),
    ("TBC - likely Q3 2024-25", TBC),
    ("N/A", TBC),
    ("n/a", TBC),
    ("Not applicable", TBC),
    ("Not yet agreed", TBC),
    ("Awaiting confirmation", TBC),
    ("Unknown", TBC),
    # Ongoing.
    ("Ongoing", ONGOING),
    ("April 2024 onwards", ONGOING),  # a start and no end
    ("Q2 2024/25 onwards", ONGOING),
    ("ongoing", ONGOING),
    ("on-going", ONGOING),
    ("On going", ONGOING),
    ("ongoing - reviewed quarterly", ONGOING),
    ("Ongoing (review Q4 2023-24)", ONGOING),
    ("continuous", ONGOING),
    ("BAU", ONGOING),
    ("business as usual", ONGOING),
    ("Rolling programme", ONGOING),
    ("Annually", ONGOING),
    ("Reviewed quarterly", ONGOING),
    ("Started April 2023, ongoing", ONGOING),
    # Ambiguous: a quarter or half with one year, calendar or financial?
    ("Q2 2024", AMBIGUOUS),
    ("Q1 24", AMBIGUOUS),
    ("Q1 '24", AMBIGUOUS),
    ("Q3 2023", AMBIGUOUS),
    ("2024 Q1", AMBIGUOUS),
    ("H1 2024", AMBIGUOUS),
    ("first half 2024", AMBIGUOUS),
    ("Q1 2024 - Q2 2024", AMBIGUOUS),
    ("Q4 2023-24 or Q1 2024", AMBIGUOUS),
    # ... and other forms with two readings.
    ("FY24", AMBIGUOUS),  # ends March 2024 or March 2025?
    ("FY2024", AMBIGUOUS),
    ("FY 24 Q2", AMBIGUOUS),
    ("2023 - 2024", AMBIGUOUS),  # FY 2023-24, or the calendar years 2023 to 2024?
    ("2023 to 2024", AMBIGUOUS),
    ("March 2024 - 2025", AMBIGUOUS),
    ("Spring 2023/24", AMBIGUOUS),  # spring straddles 31 March
    # Unreadable.
    ("Q4", UNREAD),  # no year: never guessed
    ("Quarter 3", UNREAD),
    ("March", UNREAD),
    ("31 March", UNREAD),
    ("end of the year", UNREAD),
    ("end of financial year", UNREAD),
    ("Within 12 months", UNREAD),
    ("complete", UNREAD),
    ("See comments", UNREAD),
    ("Q5 2023-24", UNREAD),
    ("Q0 2023-24", UNREAD),
    ("H3 2023/24", UNREAD),
    ("Q4 2023-25", UNREAD),  # the second year must follow the first
    ("2023/25", UNREAD),
    ("23/25", UNREAD),
    ("2023-2025", UNREAD),
    ("03/24", UNREAD),  # neither a financial year nor, unambiguously, March 2024
    ("13/2024", UNREAD),
    ("early 2025", UNREAD),  # vague: which month?
    ("mid-2024", UNREAD),
    ("Mid 2024/25", UNREAD),
    ("from April 2024", UNREAD),  # a start, not a due date
    ("w/c 01/04/2024", UNREAD),
    ("before April 2024", UNREAD),
    ("prior to Q4 2023/24", UNREAD),
    ("Started April 2023", UNREAD),
    ("academic year 2024/25", UNREAD),  # ends in summer, not 31 March
    ("Summer term 2024", UNREAD),
    ("Summer 2024 - early 2025", UNREAD),
]


@pytest.mark.parametrize(("text", "kind"), OTHER_KINDS)
def test_kinds_without_a_date(text: str | None, kind: DueKind) -> None:
    assert read(text) == one(kind)


IMPOSSIBLE = [
    "31/02/2024",
    "30/02/2024",
    "29/02/2023",
    "13/13/2024",
    "12/31/2024",  # US order: rejected, never swapped
    "02/30/2024",
    "00/01/2024",
    "32/01/2024",
    "31/04/2024",
    "31.06.24",
    "2024-02-30",
    "2024-13-01",
    "31 April 2024",
    "29 Feb 2023",
    "February 30 2024",
    "32 March 2024",
    "1/4/202",
    "2023-24-25",
    "Q4 2023-24 or 31/02/2024",  # one bad part spoils the stage
]


@pytest.mark.parametrize("text", IMPOSSIBLE)
def test_impossible_dates_are_unrecognised_never_swapped(text: str) -> None:
    assert read(text) == one(UNREAD)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("29/02/2024", D(2024, 2, 29)),
        ("29 February 2024", D(2024, 2, 29)),
        ("29/02/2000", D(2000, 2, 29)),  # divisible by 400: a leap year
        ("Feb 2000", D(2000, 2, 29)),
        ("Feb 1900", D(1900, 2, 28)),  # divisible by 100: not a leap year
        ("Feb 2100", None),
        ("Winter 2027", D(2028, 2, 29)),
        ("Winter 2028", D(2029, 2, 28)),
        ("Winter 2099", D(2100, 2, 28)),
        ("Q4 2027/28", D(2028, 3, 31)),
        ("01/12/2024", D(2024, 12, 1)),  # day first: 1 December, not 12 January
        ("12/01/2024", D(2024, 1, 12)),
        ("5/6/24", D(2024, 6, 5)),
        ("31/12/2024", D(2024, 12, 31)),
        ("01/01/99", D(2099, 1, 1)),  # two-digit years are 20YY
        ("1 Jan 00", D(2000, 1, 1)),
    ],
)
def test_boundaries(text: str, due: dt.date | None) -> None:
    assert read(text) == (one(DATE, due) if due else one(UNREAD))


STAGED = [
    (
        "Stage 1: Q4 2023-24 Stage 2: TBC",
        [("Stage 1", DATE, D(2024, 3, 31)), ("Stage 2", TBC, None)],
    ),
    (
        "Stage 1 - March 2024; Stage 2 - Q2 2024-25",
        [("Stage 1", DATE, D(2024, 3, 31)), ("Stage 2", DATE, D(2024, 9, 30))],
    ),
    (
        "Phase 1 March 2024\nphase two: Q2 2024/25",
        [("Phase 1", DATE, D(2024, 3, 31)), ("Phase 2", DATE, D(2024, 9, 30))],
    ),
    (
        "STAGE 1: 31/03/2024\nSTAGE 2: 30/09/2024\nStage 3: ongoing",
        [
            ("Stage 1", DATE, D(2024, 3, 31)),
            ("Stage 2", DATE, D(2024, 9, 30)),
            ("Stage 3", ONGOING, None),
        ],
    ),
    (
        "Stage 1 (Q3 2023/24), Stage 2 (Q2 2024 - ambiguous)",
        [("Stage 1", DATE, D(2023, 12, 31)), ("Stage 2", AMBIGUOUS, None)],
    ),
    (
        "Stage 1: Q2 and Q3 2023-24 Stage 2: Q1-Q2 2024/25",
        [("Stage 1", DATE, D(2023, 12, 31)), ("Stage 2", DATE, D(2024, 9, 30))],
    ),
    (
        "Stage 1 complete, Stage 2 Q3 2024/25",
        [("Stage 1", UNREAD, None), ("Stage 2", DATE, D(2024, 12, 31))],
    ),
    ("Stage 1: 31/02/2024 Stage 2: TBC", [("Stage 1", UNREAD, None), ("Stage 2", TBC, None)]),
    ("Stage 1: Stage 2: March 2024", [("Stage 1", TBC, None), ("Stage 2", DATE, D(2024, 3, 31))]),
    # Words before the first label count only if they name a date.
    ("Target dates: Stage 1: March 2024", [("Stage 1", DATE, D(2024, 3, 31))]),
    (
        "Q4 2023-24 Stage 2: TBC",
        [(None, DATE, D(2024, 3, 31)), ("Stage 2", TBC, None)],
    ),
    # A lone label after the date names that date.
    ("Q4 2023/24 (Stage 1)", [("Stage 1", DATE, D(2024, 3, 31))]),
    ("Stage 1: Q4 2023-24", [("Stage 1", DATE, D(2024, 3, 31))]),
    (
        "Phase 1: Ongoing Phase 2: Dec 2024",
        [("Phase 1", ONGOING, None), ("Phase 2", DATE, D(2024, 12, 31))],
    ),
    (
        "Stage 1: Q4 2023-24 (complete) Stage 2: Q1 2024/25",
        [("Stage 1", DATE, D(2024, 3, 31)), ("Stage 2", DATE, D(2024, 6, 30))],
    ),
    # "at this stage" has no number: not a label.
    ("TBC at this stage", one(TBC)),
    ("Not known at this stage - March 2024 at the earliest", [(None, TBC, None)]),
]


@pytest.mark.parametrize(("text", "stages"), STAGED)
def test_stages(text: str, stages: list) -> None:
    assert read(text) == stages


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("Q4 2023-24", ["Q4 2023-24"]),
        ("Q2 -2024-25 to increase placements", ["Q2 -2024-25"]),
        ("By end of Q3 2023-24", ["By end of Q3 2023-24"]),
        ("end of March 2024", ["end of March 2024"]),
        ("Stage 1: end of June 2024; Stage 2: no later than March 2025",
         ["end of June 2024", "no later than March 2025"]),
        ("Target: March 2024", ["March 2024"]),
        ("Q4 2023-24 - Q1 2024-25", ["Q4 2023-24 - Q1 2024-25"]),
        ("Q4 2023-24 (31/03/2024)", ["Q4 2023-24 (31/03/2024)"]),
        ("Q4 2023\u201324", ["Q4 2023\u201324"]),  # the officer's own dash
        ("Stage 1: Q4 2023-24 Stage 2: TBC", ["Q4 2023-24", "TBC"]),
        ("Stage 1 - March 2024; Stage 2 - Q2 2024-25", ["March 2024", "Q2 2024-25"]),
        ("Ongoing - reviewed quarterly", ["Ongoing - reviewed quarterly"]),
        ("Q2 2024 (calendar)", ["Q2 2024"]),
        ("See comments.", ["See comments"]),
        ("", [""]),
    ],
)
def test_stage_text_is_the_officers_wording(text: str, wording: list[str]) -> None:
    assert [s.text for s in parse_completion_date(text)] == wording


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("Annually - March", "annually, March"),
        ("Annually", "annually"),
        ("Annual", "annually"),
        ("Every year", "annually"),
        ("Yearly (April)", "annually, April"),
        ("Annual report Q4", "annually, Q4"),
        ("Quarterly", "quarterly"),
        ("Every quarter", "quarterly"),
        ("Reviewed quarterly", "quarterly"),
        ("Monthly", "monthly"),
        ("Every month", "monthly"),
        ("Bi-annually", "twice a year"),
        ("Biannually", "twice a year"),
        ("Six monthly - March and September", "twice a year, March and September"),
        ("Every 6 months", "twice a year"),
        ("Fortnightly", "fortnightly"),
        ("Termly", "each term"),
        ("Quarterly from April 2024", "quarterly"),  # a start, no end: still recurring
    ],
)
def test_recurring_dates_are_ongoing_and_say_how_often(text: str, recurrence: str) -> None:
    [stage] = parse_completion_date(text)
    assert (stage.kind, stage.date, stage.recurrence, stage.text) == (
        ONGOING, None, recurrence, text)


@pytest.mark.parametrize(
    "text", ["Ongoing", "Ongoing - reviewed quarterly", "April 2024 onwards", "BAU"])
def test_plain_ongoing_does_not_recur(text: str) -> None:
    assert [s.recurrence for s in parse_completion_date(text)] == [""]


def test_a_recurring_word_with_a_date_is_that_date() -> None:
    assert read("Annually - March 2025") == one(DATE, D(2025, 3, 31))
    assert [s.recurrence for s in parse_completion_date("Annually - March 2025")] == [""]


def test_a_recurring_stage_after_a_dated_one() -> None:
    first, second = parse_completion_date("Stage 1: Q2 2024-25 Stage 2: annually in May")
    assert (first.kind, first.date, first.recurrence) == (DATE, D(2024, 9, 30), "")
    assert (second.label, second.kind, second.recurrence) == ("Stage 2", ONGOING,
                                                              "annually, May")


def test_excel_date_cells_are_dates() -> None:
    assert parse_completion_date(D(2024, 3, 31)) == (
        Stage(None, DATE, D(2024, 3, 31), "31 March 2024"),
    )
    assert parse_completion_date(dt.datetime(2024, 3, 31, 0, 0)) == (
        Stage(None, DATE, D(2024, 3, 31), "31 March 2024"),
    )


def test_blank_is_tbc_with_no_text() -> None:
    assert parse_completion_date(None) == (Stage(None, TBC, None, ""),)
    assert parse_completion_date("  ") == (Stage(None, TBC, None, ""),)


def test_sample_workbook_cells() -> None:
    """The completion dates in tools/build_sample_workbook.py, as the Board reads them."""
    assert read("Q2 -2024-25 to increase placements") == one(DATE, D(2024, 9, 30))
    assert read("Q2 and Q3 2023-24") == one(DATE, D(2023, 12, 31))
    assert read("March 2024") == one(DATE, D(2024, 3, 31))
    assert read("31/03/2024") == one(DATE, D(2024, 3, 31))


# --------------------------------------------------------------------------
# format_date and parse_day_first_date
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (D(2024, 3, 31), "31 March 2024"),
        (D(2024, 4, 1), "1 April 2024"),
        (D(2023, 11, 22), "22 November 2023"),
        (D(2000, 2, 29), "29 February 2000"),
    ],
)
def test_format_date(date: dt.date, text: str) -> None:
    assert format_date(date) == text


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("01/04/2024", D(2024, 4, 1)),
        ("1/4/24", D(2024, 4, 1)),
        ("22/11/2023", D(2023, 11, 22)),
        ("22.11.2023", D(2023, 11, 22)),
        ("22-11-2023", D(2023, 11, 22)),
        ("2024-04-01", D(2024, 4, 1)),
        ("1 April 2024", D(2024, 4, 1)),
        ("1st April 2024", D(2024, 4, 1)),
        ("22 Nov 2023", D(2023, 11, 22)),
        (" 22/11/2023 ", D(2023, 11, 22)),
        ("31/02/2024", None),
        ("12/31/2024", None),  # never swapped to month first
        ("13/13/2024", None),
        ("April 2024", None),  # a period, not a date
        ("Q4 2023-24", None),
        ("2024", None),
        ("03/2024", None),
        ("1 April 2024/25", None),
        ("22/11/2023 and 23/11/2023", None),
        ("22/11/2023 (approx)", None),
        ("today", None),
        ("", None),
        ("1", None),
    ],
)
def test_parse_day_first_date(text: str, date: dt.date | None) -> None:
    assert parse_day_first_date(text) == date


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

QUARTER_ENDS = {1: (0, 6, 30), 2: (0, 9, 30), 3: (0, 12, 31), 4: (1, 3, 31)}
HALF_ENDS = {1: (0, 9, 30), 2: (1, 3, 31)}


def fy_spellings(y: int) -> list[str]:
    """Every spelling of financial year y/y+1 the SPEC lists."""
    a, b = y % 100, (y + 1) % 100
    return [
        f"{y}-{b:02d}",
        f"{y}/{b:02d}",
        f"{a:02d}/{b:02d}",
        f"{y}/{y + 1}",
        f"{y}-{y + 1}",
        f"FY{a:02d}/{b:02d}",
        f"FY {y}-{b:02d}",
        f"FY{y}/{b:02d}",
        f"{y}\u2013{b:02d}",
        f"{y} / {b:02d}",
        f"fy {a:02d}-{b:02d}",
    ]


QUARTER_SPELLINGS = ["Q{n}", "Quarter {n}", "qtr {n}", "Q{n}:", "q {n}", "Qtr{n}"]
HALF_SPELLINGS = ["H{n}", "Half {n}", "h{n}"]


@settings(max_examples=400)
@given(
    y=st.integers(2000, 2098),
    n=st.integers(1, 4),
    spelling=st.sampled_from(QUARTER_SPELLINGS),
    fy=st.integers(0, 10),
    year_first=st.booleans(),
)
def test_every_fy_quarter_lands_on_its_last_day(y, n, spelling, fy, year_first) -> None:
    head, year = spelling.format(n=n), fy_spellings(y)[fy]
    text = f"{year} {head}" if year_first else f"{head} {year}"
    extra, month, day = QUARTER_ENDS[n]
    assert read(text) == one(DATE, D(y + extra, month, day)), text


@settings(max_examples=200)
@given(
    y=st.integers(2000, 2098),
    n=st.integers(1, 2),
    spelling=st.sampled_from(HALF_SPELLINGS),
    fy=st.integers(0, 10),
    year_first=st.booleans(),
)
def test_every_fy_half_lands_on_its_last_day(y, n, spelling, fy, year_first) -> None:
    head, year = spelling.format(n=n), fy_spellings(y)[fy]
    text = f"{year} {head}" if year_first else f"{head} {year}"
    extra, month, day = HALF_ENDS[n]
    assert read(text) == one(DATE, D(y + extra, month, day)), text


@pytest.mark.parametrize("y", range(2000, 2099))
def test_every_fy_every_spelling_exhaustively(y: int) -> None:
    for year in fy_spellings(y):
        assert read(year) == one(DATE, D(y + 1, 3, 31)), year
        for n, (extra, month, day) in QUARTER_ENDS.items():
            assert read(f"Q{n} {year}") == one(DATE, D(y + extra, month, day)), year
        for n, (extra, month, day) in HALF_ENDS.items():
            assert read(f"H{n} {year}") == one(DATE, D(y + extra, month, day)), year


def day_first_spellings(d: dt.date) -> list[str]:
    month = format_date(d).split()[1]
    return [
        f"{d.day:02d}/{d.month:02d}/{d.year}",  # %d/%m/%Y
        f"{d.day}/{d.month}/{d.year % 100:02d}",  # %-d/%-m/%y
        d.isoformat(),
        f"{d.day:02d} {month} {d.year}",  # %d %B %Y
        f"{d.day}.{d.month}.{d.year}",
        f"{d.day} {month[:3]} {d.year}",
    ]


@settings(max_examples=400)
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_any_date_written_day_first_round_trips(d: dt.date) -> None:
    for text in day_first_spellings(d):
        assert read(text) == one(DATE, d), text
        assert parse_day_first_date(text) == d, text


@settings(max_examples=200)
@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
def test_month_year_is_the_months_last_day(d: dt.date) -> None:
    month = format_date(d).split()[1]
    expected = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    spellings = (f"{month} {d.year}", f"{month[:3]}-{d.year % 100:02d}", f"by end {month} {d.year}")
    for text in spellings:
        assert read(text) == one(DATE, expected), text


def check_invariants(stages: tuple[Stage, ...]) -> None:
    assert len(stages) >= 1
    for stage in stages:
        assert isinstance(stage.kind, DueKind)
        assert (stage.date is not None) == (stage.kind is DueKind.DATE)
        assert isinstance(stage.text, str)
        assert stage.label is None or stage.label.split()[0] in ("Stage", "Phase")


@settings(max_examples=1000)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    check_invariants(parse_completion_date(text))
    result = parse_day_first_date(text)
    assert result is None or isinstance(result, dt.date)


OFFICER_ALPHABET = st.sampled_from(
    ["Q", "q", "H", "FY", "Stage", "Phase", "March", "Mar", "Sept", "Winter", "of", "and",
     "to", "end", "early", "from", "TBC", "ongoing", "N/A", "1", "2", "4", "5", "12", "24",
     "31", "2023", "2024", "23", "/", "-", "\u2013", ".", ",", ":", "'", " ", "\n", "(", ")"]
)  # fmt: skip


@settings(max_examples=500)
@given(st.lists(OFFICER_ALPHABET, max_size=25).map("".join))
def test_date_like_noise_never_raises(text: str) -> None:
    """Text built from date-ish pieces reaches far more of the grammar than st.text()."""
    check_invariants(parse_completion_date(text))
    for stage in parse_completion_date(text):
        if stage.date is not None:
            assert D(1900, 1, 1) <= stage.date <= D(2100, 12, 31)


LONG = 32_767  # the most characters an Excel cell holds


@pytest.mark.parametrize(
    "piece",
    [
        "a",
        "1",
        " ",
        "/",
        "Q1-",
        "Q1 and ",
        "1/",
        "1-",
        "1 ",
        "01/04/2024 ",
        "2023-24 ",
        "Jan to ",
        "Stage 1 ",
        "Stage 1: Q4 2023-24 Stage 2: TBC ",
        "\u00e91\u2013",
        "on-going n/a ",
        "'",
    ],
)
@pytest.mark.slow
def test_a_full_excel_cell_parses_quickly(piece: str) -> None:
    text = (piece * (LONG // len(piece) + 1))[:LONG]
    started = time.perf_counter()
    check_invariants(parse_completion_date(text))
    parse_day_first_date(text)
    assert time.perf_counter() - started < 3.0


def test_never_today() -> None:
    """Nothing relative to today is read: these name no date."""
    for text in ("today", "this quarter", "next month", "end of this year", "Q4", "next FY"):
        assert read(text)[0][1] is not DATE, text


@pytest.mark.parametrize(("after", "end", "quarter"), [
    (dt.date(2024, 3, 31), dt.date(2024, 6, 30), "Q1 2024-25"),
    (dt.date(2024, 6, 30), dt.date(2024, 9, 30), "Q2 2024-25"),
    (dt.date(2024, 9, 30), dt.date(2024, 12, 31), "Q3 2024-25"),
    (dt.date(2024, 12, 31), dt.date(2025, 3, 31), "Q4 2024-25"),
    (dt.date(2024, 2, 15), dt.date(2024, 3, 31), "Q4 2023-24"),  # mid-quarter: its own end
    (dt.date(2023, 11, 22), dt.date(2023, 12, 31), "Q3 2023-24"),
    (dt.date(2099, 12, 31), dt.date(2100, 3, 31), "Q4 2099-00"),
])
def test_the_next_quarter_end_and_its_financial_quarter(after, end, quarter):
    assert next_quarter_end(after) == end
    assert financial_quarter(end) == quarter
    # The quarter name reads back as the same day.
    assert parse_completion_date(quarter)[0].date == end or after.year == 2099


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2098, 12, 31)))
def test_the_next_quarter_end_is_the_first_after(day):
    end = next_quarter_end(day)
    assert day < end <= day + dt.timedelta(days=92)
    assert (end + dt.timedelta(days=1)).day == 1 and end.month in (3, 6, 9, 12)
