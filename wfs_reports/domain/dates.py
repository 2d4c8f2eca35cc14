"""Completion dates as officers write them, read the way a UK Board reads them.

Pure domain code: standard library only, no I/O, and never "today". A
completion-date cell becomes one or more ``Stage`` values whose ``date`` is the
LAST day of the period named (SPEC, "Completion dates").

The reader is a small grammar rather than one regex per example:

1. ``_tokenize`` splits the cell into runs of digits, runs of letters and
   single punctuation marks (so ``Q4`` is ``q`` ``4`` and ``FY23/24`` is ``fy``
   ``23`` ``/`` ``24``). The token pattern has no nested quantifiers, so it is
   linear on any input; every rule below looks a bounded distance ahead.
2. ``Stage n`` / ``Phase n`` labels split the cell into stages.
3. In each stage a scanner tries the period rules at every token and skips
   words it does not know, so leading and trailing words ("By end of",
   "to increase placements") do not matter:

   - numeric dates, day first or ISO (``01/04/2024``, ``2024-04-01``), and
     month/year (``03/2024``);
   - day + month name + year, either order (``31st March 2024``,
     ``March 31, 2024``);
   - heads + year (``Q4 2023-24``, ``Q2 and Q3 2023-24``, ``April - June
     2024``, ``Mar-24``, ``Winter 2023/24``) or year + heads (``2023-24 Q4``),
     where a head is a quarter, half, month or season and the heads of a list
     share the year;
   - a bare year: financial (``2024/25``) or calendar (``2024``).

4. The stage is due at the end of its latest part. A part that looks like a
   date but cannot be one (``31/02/2024``, ``Q5 2023-24``, ``2023-25``) makes
   the stage UNRECOGNISED rather than letting the scanner read something else
   out of it; a quarter with a calendar year is AMBIGUOUS.

Decisions on doubtful forms (conservative: flag rather than guess):

- AMBIGUOUS: a quarter or half with one calendar year (``Q2 2024``,
  ``Q1 24``, ``2024 Q1``); a one-year financial year (``FY24``: ending March
  2024 or 2025?); two four-digit years spaced or joined by "to" with nothing
  else (``2023 - 2024``, ``2023 to 2024``: FY or a span of calendar years?),
  though a quarter or half makes them an FY (``Q4 2023 to 2024``); spring with
  a financial year (spring straddles 31 March).
- UNRECOGNISED: a period with no year (``Q4``, ``March``: never "this year");
  ``early``/``mid`` a whole year (``early 2025``: which month?), while ``late
  2024`` and ``end of 2024`` are 31 December and ``mid March 2024`` is 31 March;
  a lone start (``from April 2024``, ``w/c 01/04/2024``, ``started ...``);
  ``before``/``prior to`` a period; academic years and school terms;
  ``03/24`` (month/year needs four digits: ``03/2024``); years outside
  1900-2099.
- Two-digit years are 20YY. ``2023/24`` style pairs must be consecutive
  (``2023-25`` is UNRECOGNISED). Space-separated numeric dates are read only
  in the shape ``01 04 2024``. ``March 31 2024`` (US order with a month name)
  is unambiguous and read; ``12/31/2024`` is never swapped.
- Seasons are meteorological; ``Winter 2023`` and ``Winter 2023/24`` both end
  in February 2024. A month with a financial year sits in that year
  (``March 2023/24`` is March 2024).
- A calendar-month range that wraps (``Nov - Jan 2024``) ends at the last month
  named; a financial-year list ends at its latest part.
- ``N/A``, ``not applicable``, ``unknown``, ``awaiting ...`` are TBC (no date
  given; the status column says whether the action applies). A cell of only
  punctuation (``-``, ``?``) is TBC like a blank one. ``TBC``/``Ongoing``
  opening a stage decide it even if a date follows ("TBC - likely Q3 2024-25");
  ``June 2024 onwards`` names a start and no end: ONGOING.
- Recurring dates (``Annually - March``, ``Quarterly``, ``Every month``,
  ``Bi-annually``) name no one due date, and "the next one" would depend on
  the report date, which this module never knows: they are ONGOING, with
  ``recurrence`` saying how often and any months or quarters named
  ("annually, March"), so the documents and ``--check`` say so rather than
  calling them plain Ongoing. Only when no date is read: ``Annual review
  March 2024`` is 31 March 2024. A cell that opens with ``Ongoing`` is plain
  ONGOING, whatever follows ("Ongoing - reviewed quarterly").
- ``text`` is the date wording used ("Q2 -2024-25" from "Q2 -2024-25 to
  increase placements"); for TBC, ONGOING and UNRECOGNISED it is the stage's
  whole wording, trimmed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final, Literal, NamedTuple

from wfs_reports.domain.model import DueKind, Stage

__all__ = ["financial_quarter", "format_date", "next_quarter_end", "parse_completion_date",
           "parse_day_first_date"]

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(d: dt.date) -> str:
    """'31 March 2024': British order, no leading zero, locale-independent."""
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def next_quarter_end(after: dt.date) -> dt.date:
    """The first quarter end (30 June, 30 September, 31 December, 31 March) after
    ``after``: 31 March 2024 -> 30 June 2024; 15 February 2024 -> 31 March 2024."""
    for month in (3, 6, 9, 12):
        end = dt.date(after.year, month, calendar.monthrange(after.year, month)[1])
        if end > after:
            return end
    return dt.date(after.year + 1, 3, 31)


def financial_quarter(day: dt.date) -> str:
    """The financial-year quarter a day falls in, as the workbook writes one:
    30 June 2024 -> 'Q1 2024-25', 31 March 2024 -> 'Q4 2023-24'."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"Q{(day.month - 4) % 12 // 3 + 1} {start}-{(start + 1) % 100:02d}"


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

_MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS.update({name[:3].lower(): n for n, name in enumerate(MONTH_NAMES, start=1)})
_MONTHS.update({"sept": 9})

# Meteorological seasons: the month each ends in (winter ends in February of
# the year after the December it starts in).
_SEASONS = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}

_QUARTER_WORDS = {"q", "qtr", "qtrs", "qu", "quarter", "quarters"}
_HALF_WORDS = {"h", "half"}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "first": 1, "second": 2, "third": 3, "fourth": 4,
}  # fmt: skip
_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
_DAY_FOLLOWERS = _ORDINAL_SUFFIXES | set(_MONTHS)
_STAGE_WORDS = {"stage", "phase"}

# Between the parts of a list or range: "Q2 and Q3", "Q1-Q2", "Jan to Mar".
_CONNECTORS = {"-", "/", ",", "&", "+", "and", "to", "or", "through", "thru", "until", "till"}
# Between a head and its year: "Q2 -2024-25", "Q4: 2023/24", "Q4 of 2023/24", "Mar-24".
_BEFORE_YEAR = {"-", ",", ":", ".", "/", "of", "in", "the"}

# Words just before a period that change what it means. "from April 2024"
# names a start, not a due date; "before"/"academic"/"term" name something
# other than the period's end; "early 2025" or "mid-2024" could be any of
# several months, so only a narrower period (a month, a quarter) is read.
_START_WORDS = {
    "from", "start", "starts", "started", "starting", "begin", "begins", "began",
    "beginning", "commence", "commences", "commenced", "commencing", "since", "c",
}  # fmt: skip
# "June 2024 onwards" names a start and no end: ongoing.
_START_AFTER_WORDS = {"onwards", "onward"}
_NOT_THE_END_WORDS = {"before", "prior", "academic", "school", "term"}
_VAGUE_YEAR_WORDS = {"early", "mid", "middle"}
_LOOKBACK_SKIP = {"the", "of", "-", ",", "by", "a", "year", "in", "to"}

# Phrases that name no date. Strong ones decide the stage when they open it
# ("TBC - likely Q3 2024-25" is TBC); weak ones only when no date was read.
_ONGOING_STRONG: list[tuple[str, ...]] = [
    ("ongoing",), ("on", "-", "going"), ("on", "going"), ("continuous",),
    ("continuously",), ("continual",), ("continuing",), ("bau",),
    ("business", "as", "usual"), ("rolling",),
]  # fmt: skip
# Phrases that say a date comes round again, and how often in the words the
# documents use. Read as ongoing, with a note, only when no date was read.
_RECURRING: dict[tuple[str, ...], str] = {
    **dict.fromkeys([
        ("annually",), ("annual",), ("yearly",), ("every", "year"), ("each", "year"),
        ("once", "a", "year"), ("per", "annum"), ("every", "12", "months"),
        ("every", "twelve", "months"),
    ], "annually"),
    **dict.fromkeys([
        ("bi", "-", "annually"), ("bi", "annually"), ("biannually",), ("bi", "-", "annual"),
        ("biannual",), ("semi", "-", "annually"), ("semi", "annually"), ("semiannually",),
        ("twice", "yearly"), ("twice", "a", "year"), ("half", "-", "yearly"),
        ("half", "yearly"), ("six", "monthly"), ("six", "-", "monthly"), ("6", "monthly"),
        ("6", "-", "monthly"), ("every", "six", "months"), ("every", "6", "months"),
    ], "twice a year"),
    **dict.fromkeys([
        ("quarterly",), ("every", "quarter"), ("each", "quarter"),
        ("every", "three", "months"), ("every", "3", "months"),
    ], "quarterly"),
    **dict.fromkeys([("bi", "-", "monthly"), ("bimonthly",), ("every", "two", "months"),
                     ("every", "2", "months")], "every two months"),
    **dict.fromkeys([("monthly",), ("every", "month"), ("each", "month")], "monthly"),
    **dict.fromkeys([("fortnightly",), ("every", "two", "weeks"), ("every", "2", "weeks")],
                    "fortnightly"),
    **dict.fromkeys([("weekly",), ("every", "week"), ("each", "week")], "weekly"),
    **dict.fromkeys([("termly",), ("every", "term"), ("each", "term")], "each term"),
    ("regularly",): "regularly",
}  # fmt: skip
_TBC_STRONG: list[tuple[str, ...]] = [
    ("tbc",), ("tbd",), ("tba",), ("n", "/", "a"), ("na",), ("not", "applicable"),
    ("unknown",), ("not", "known"),
] + [
    ("to", "be", word)
    for word in ("confirmed", "agreed", "decided", "determined", "arranged", "advised",
                 "set", "scheduled", "defined", "finalised", "finalized", "discussed")
] + [
    ("not", "yet", word)
    for word in ("agreed", "confirmed", "known", "set", "decided", "determined", "scheduled")
]  # fmt: skip
_TBC_WEAK: list[tuple[str, ...]] = [("awaiting",), ("pending",)]
# Words an officer may put before the keyword without changing it ("Date: TBC").
# Words just before a date that are part of what the officer promised.
_DATE_QUALIFIERS = {
    "end", "of", "by", "the", "early", "mid", "late", "start", "beginning", "before",
    "no", "later", "than", "around", "approx", "approximately", "circa", "c",
}  # fmt: skip

_LEADING_FILLER = {
    "date", "dates", "due", "target", "deadline", "completion", "timescale",
    "timescales", "timeframe", "expected", "currently", "is", "still", "end",
}  # fmt: skip

# Same-length character mapping, so token offsets index the officer's text.
_NORMALISE = str.maketrans(
    {
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
        "\u2018": "'", "\u2019": "'", "\u201b": "'", "`": "'", "\u00b4": "'",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": " ",
        "\uff0f": "/", "\u2044": "/",
    }
)  # fmt: skip

# Digits, letters, or one other visible character. No nested quantifiers:
# linear on any input, however hostile.
_TOKEN_RE = re.compile(r"[0-9]+|[^\W\d_]+|\S")
_TRIM = " \t\r\n\f\v:;,|.-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_MAX_LIST = 12  # heads in one list: bounds the look-ahead
# Years read at all. A completion date outside these is a typo ("0024"), not a plan.
_FIRST_YEAR, _LAST_YEAR = 1900, 2099


# --------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------


class _Num(NamedTuple):
    value: int
    digits: int  # "04" has two: day/month/year shapes depend on it


@dataclass(frozen=True)
class _Tok:
    text: str  # lower-cased
    start: int
    end: int
    gap: bool  # whitespace (or the start of the cell) before it
    number: _Num | None  # when all ASCII digits and at most 4 of them
    digits: int  # how many digits (0 for words and punctuation)
    word: bool


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    last_end = -1
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        is_digits = s[0] in "0123456789"
        toks.append(
            _Tok(
                text=s.lower(),
                start=m.start(),
                end=m.end(),
                gap=m.start() != last_end,
                # int() of a huge digit run is slow or refused; years need 4.
                number=_Num(int(s), len(s)) if is_digits and len(s) <= 4 else None,
                digits=len(s) if is_digits else 0,
                word=not is_digits and s[0].isalpha(),
            )
        )
        last_end = m.end()
    return toks


class _Toks:
    """Bounded look-ups into a token list (out of range reads as nothing)."""

    def __init__(self, toks: Sequence[_Tok], end: int) -> None:
        self.toks = toks
        self.end = end

    def text(self, i: int) -> str | None:
        return self.toks[i].text if i < self.end else None

    def word(self, i: int) -> str | None:
        return self.toks[i].text if i < self.end and self.toks[i].word else None

    def num(self, i: int) -> _Num | None:
        return self.toks[i].number if i < self.end else None

    def gap(self, i: int) -> bool:
        return i >= self.end or self.toks[i].gap

    def skip(self, i: int, allowed: set[str], limit: int) -> int:
        """Index after at most ``limit`` tokens from ``allowed``."""
        while limit and self.text(i) in allowed:
            i += 1
            limit -= 1
        return i


# --------------------------------------------------------------------------
# Years
# --------------------------------------------------------------------------


class _YearKind(Enum):
    FY = "fy"  # a financial year: 2023-24, FY23/24
    CAL = "cal"  # a calendar year: 2024
    FY_SINGLE = "fy_single"  # FY24: ends March 2024 or 2025?
    INVALID = "invalid"  # looks like a year but is none: 2023-25


@dataclass(frozen=True)
class _Year:
    kind: _YearKind
    year: int  # the calendar year, or the first year of a financial year
    certain: bool = True  # False for "2023 - 2024": a year range or an FY?
    end: int = 0


def _year(t: _Toks, i: int, two_digit: bool) -> _Year | None:
    """A financial or calendar year at ``i``: 2023-24, FY23/24, 2024, '24."""
    j = i
    prefixed = False
    if t.word(j) == "fy":
        prefixed, j = True, j + 1
    elif t.word(j) in ("financial", "fin") and t.word(j + 1) == "year":
        prefixed, j = True, j + 2
    j = t.skip(j, {".", ":", "-"}, 1) if prefixed else j
    if not prefixed and t.text(j) == "'" and (n := t.num(j + 1)) and n.digits == 2:
        # "'23/'24" or "'23-24": a financial year written with apostrophes.
        k = j + 3 + (t.text(j + 3) == "'")
        if t.text(j + 2) in ("/", "-") and (b := t.num(k)) and b.digits == 2:
            if b.value == (n.value + 1) % 100:
                return _Year(_YearKind.FY, 2000 + n.value, end=k + 1)
        return _Year(_YearKind.CAL, 2000 + n.value, end=j + 2) if two_digit else None
    a = t.num(j)
    if a is None or a.digits not in (2, 4):
        return None
    y1 = a.value if a.digits == 4 else 2000 + a.value
    sep = t.text(j + 1)
    b = t.num(j + 2)
    if sep in ("/", "-", "to") and b is not None and b.digits in (1, 2, 4):
        spaced = t.gap(j + 1) or t.gap(j + 2) or sep == "to"
        modulus = {1: 10, 2: 100, 4: 10_000}[b.digits]
        consecutive = b.value == (y1 + 1) % modulus and (a.digits == 4 or b.digits == 2)
        if consecutive and _FIRST_YEAR <= y1 < _LAST_YEAR:
            # "2023 - 2024" or "2023 to 2024" alone may be a span of calendar years.
            certain = prefixed or b.digits != 4 or not (sep == "to" or spaced and sep == "-")
            return _Year(_YearKind.FY, y1, certain, end=j + 3)
        if prefixed or not spaced:
            return _Year(_YearKind.INVALID, y1, end=j + 3)  # 2023-25, 23/2024: no such year
        # Spaced, as in "2023 - 2025" or "31 Mar 2024 - 30 Jun": read the first year alone.
    if prefixed:
        return _Year(_YearKind.FY_SINGLE, y1, end=j + 1)
    if a.digits == 2 and (not two_digit or (t.word(j + 1) or "") in _DAY_FOLLOWERS):
        return None  # "Feb, 31 March": 31 is a day, not 2031
    if not _FIRST_YEAR <= y1 <= _LAST_YEAR:
        return None
    return _Year(_YearKind.CAL, y1, end=j + 1)


# --------------------------------------------------------------------------
# Heads: quarter, half, month, season
# --------------------------------------------------------------------------


class _HeadKind(Enum):
    QUARTER = "q"  # financial family
    HALF = "h"  # financial family
    MONTH = "m"  # calendar family
    SEASON = "s"  # calendar family
    INVALID = "invalid"  # Q5: no such head

    @property
    def financial(self) -> bool:
        return self in (_HeadKind.QUARTER, _HeadKind.HALF)


@dataclass(frozen=True)
class _Head:
    kind: _HeadKind
    n: int  # quarter, half or month number; for a season its name's end month


_INVALID = _Head(_HeadKind.INVALID, 0)


def _small_number(t: _Toks, i: int) -> tuple[int | None, int, int]:
    """A number as digits or a word ('4', 'four'): (value, digits, next index)."""
    n = t.num(i)
    if n is not None:
        return n.value, n.digits, i + 1
    w = t.word(i)
    if w in _NUMBER_WORDS:
        return _NUMBER_WORDS[w], 1, i + 1
    return None, 0, i


def _head(t: _Toks, i: int) -> tuple[_Head, int] | None:
    w = t.word(i)
    if w in _QUARTER_WORDS or w in _HALF_WORDS:
        kind, top = (_HeadKind.QUARTER, 4) if w in _QUARTER_WORDS else (_HeadKind.HALF, 2)
        n, digits, j = _small_number(t, t.skip(i + 1, {"."}, 1))
        if n is None or digits > 2:
            return None  # "quarter 2024", "a half": not a head
        return (_Head(kind, n), j) if 1 <= n <= top else (_INVALID, j)  # Q5 is no quarter
    # Ordinals: "4th quarter", "first half of".
    n, _, j = _small_number(t, i)
    if n is not None and t.word(i) is None and t.word(j) in _ORDINAL_SUFFIXES:
        j += 1
    if n is not None and (t.word(i) is None or t.word(i) in ("first", "second", "third", "fourth")):
        after = t.word(j)
        if after in ("quarter", "qtr", "half"):
            kind, top = (_HeadKind.QUARTER, 4) if after != "half" else (_HeadKind.HALF, 2)
            return (_Head(kind, n), j + 1) if 1 <= n <= top else (_INVALID, j + 1)
        return None
    if w in _MONTHS:
        return _Head(_HeadKind.MONTH, _MONTHS[w]), t.skip(i + 1, {"."}, 1)
    if w in _SEASONS:
        return _Head(_HeadKind.SEASON, _SEASONS[w]), i + 1
    return None


def _head_list(t: _Toks, i: int) -> tuple[list[_Head], int] | None:
    """Heads joined by connectors: 'Q2 and Q3', 'Q1-Q2', 'Q2 & 3', 'Jan to Mar'."""
    found = _head(t, i)
    if found is None:
        return None
    heads, j = [found[0]], found[1]
    while len(heads) < _MAX_LIST and heads[-1] is not _INVALID:
        k = t.skip(j, _CONNECTORS, 2)
        if k == j:
            break
        nxt = _head(t, k)
        same_family = nxt is not None and nxt[0].kind.financial == heads[0].kind.financial
        if nxt is not None and (nxt[0] is _INVALID or same_family):
            heads.append(nxt[0])
            j = nxt[1]
            continue
        # "Q2 & 3": a bare small number continues a list of quarters or halves.
        n = t.num(k)
        last = heads[-1]
        if last.kind.financial and n is not None and n.digits == 1:
            top = 4 if last.kind is _HeadKind.QUARTER else 2
            heads.append(_Head(last.kind, n.value) if 1 <= n.value <= top else _INVALID)
            j = k + 1
            continue
        break
    return heads, j


# --------------------------------------------------------------------------
# Resolving a head against a year
# --------------------------------------------------------------------------


def _real_date(y: int, m: int, d: int) -> dt.date | None:
    if not _FIRST_YEAR <= y <= _LAST_YEAR:
        return None
    try:
        return dt.date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _month_end(y: int, m: int) -> dt.date | None:
    # Winter 2099 ends in February 2100: one year's grace past the last read.
    if not _FIRST_YEAR <= y <= _LAST_YEAR + 1 or not 1 <= m <= 12:
        return None
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _month_year(month: int, year: _Year) -> int:
    """The calendar year of a month named with a financial year (Apr-Dec: first)."""
    return year.year if year.kind is _YearKind.CAL or month >= 4 else year.year + 1


class _Unsure(Enum):
    """A period that could end on either of two dates."""

    AMBIGUOUS = "ambiguous"


_AMBIGUOUS: Final = _Unsure.AMBIGUOUS
_Resolved = dt.date | Literal[_Unsure.AMBIGUOUS] | None


def _resolve(head: _Head, year: _Year) -> _Resolved:
    """The last day of ``head`` in ``year``; _AMBIGUOUS; or None if impossible."""
    fy = year.kind is _YearKind.FY
    calendar_head = head.kind in (_HeadKind.MONTH, _HeadKind.SEASON)
    if year.kind is _YearKind.FY_SINGLE or (fy and not year.certain and calendar_head):
        return _AMBIGUOUS
    if head.kind.financial:
        if not fy:
            return _AMBIGUOUS  # "Q2 2024": calendar or financial quarter?
        end_month = {(_HeadKind.QUARTER, 1): 6, (_HeadKind.QUARTER, 2): 9,
                     (_HeadKind.QUARTER, 3): 12, (_HeadKind.QUARTER, 4): 3,
                     (_HeadKind.HALF, 1): 9, (_HeadKind.HALF, 2): 3}[(head.kind, head.n)]
        return _month_end(year.year + (end_month <= 3), end_month)
    if head.kind is _HeadKind.MONTH:
        return _month_end(_month_year(head.n, year), head.n)
    if head.kind is _HeadKind.SEASON:
        if head.n == 2:  # winter: Dec of the year (or FY start) to Feb after
            return _month_end(year.year + 1, 2)
        if fy and head.n == 5:
            return _AMBIGUOUS  # spring straddles 31 March: which spring?
        return _month_end(year.year, head.n)
    return None


# --------------------------------------------------------------------------
# Period rules
# --------------------------------------------------------------------------


class _FoundKind(Enum):
    """What a period rule read."""

    DATE = "date"
    AMBIGUOUS = "ambiguous"
    INVALID = "invalid"  # looks like a date but cannot be one
    VAGUE = "vague"  # "early 2025", "before March 2024"
    START = "start"  # "from April 2024": a start, not an end
    ONWARDS = "onwards"  # "April 2024 onwards"
    NONE = "none"  # read nothing ("Q4" with no year)


@dataclass(frozen=True)
class _Found:
    start: int  # token index
    end: int  # token index, exclusive
    kind: _FoundKind
    date: dt.date | None = None
    parts: int = 1  # periods in a list or range
    year_level: bool = False  # a whole year: "early 2025" is vague


def _verdict(start: int, end: int, dates: list[_Resolved], *, last: bool) -> _Found:
    """Combine the ends of a list's parts: the latest (or the last, for wrap-round)."""
    if any(d is None for d in dates):
        return _Found(start, end, _FoundKind.INVALID)
    if any(d is _AMBIGUOUS for d in dates):
        return _Found(start, end, _FoundKind.AMBIGUOUS)
    real = [d for d in dates if isinstance(d, dt.date)]
    return _Found(start, end, _FoundKind.DATE, real[-1] if last else max(real), parts=len(real))


def _numeric_date(t: _Toks, i: int, month_year: bool = True) -> _Found | None:
    """01/04/2024, 1.4.24, 1-4-2024, 01 04 2024, 2024-04-01; and 03/2024."""
    a, b, c = t.num(i), t.num(i + 2), t.num(i + 4)
    sep = t.text(i + 1)
    if a is None:
        return None
    tight = not (t.gap(i + 1) or t.gap(i + 2))
    if sep in ("/", "-", ".") and tight and b is not None:
        if t.text(i + 3) == sep and c is not None and not (t.gap(i + 3) or t.gap(i + 4)):
            # Every a/b/c is claimed, so a bad one is not read as something else.
            return _Found(i, i + 5, *_dmy_or_iso(a, b, c))
        if month_year and a.digits <= 2 and b.digits == 4 and t.text(i + 3) != sep:
            end = _month_end(b.value, a.value) if b.value <= _LAST_YEAR else None
            return _Found(i, i + 3, _FoundKind.DATE if end else _FoundKind.INVALID, end)
        return None
    # Spaces as separators: only the unmistakable shape "01 04 2024".
    b, c = t.num(i + 1), t.num(i + 2)
    if (
        b is not None and c is not None and t.gap(i + 1) and t.gap(i + 2)
        and a.digits <= 2 and b.digits <= 2 and c.digits == 4
    ):  # fmt: skip
        return _Found(i, i + 3, *_dmy_or_iso(a, b, c))
    return None


def _dmy_or_iso(a: _Num, b: _Num, c: _Num) -> tuple[_FoundKind, dt.date | None]:
    date = None
    if a.digits == 4 and b.digits <= 2 and c.digits <= 2:
        date = _real_date(a.value, b.value, c.value)
    elif a.digits <= 2 and b.digits <= 2 and c.digits in (2, 4):
        year = c.value if c.digits == 4 else 2000 + c.value
        date = _real_date(year, b.value, a.value)  # day first, always
    return (_FoundKind.DATE, date) if date else (_FoundKind.INVALID, None)


def _day_then_month(t: _Toks, i: int, fy_ok: bool = True) -> _Found | None:
    """31 March 2024, 31st March 2024, 1st of April 2024, 31 Mar 24."""
    d = t.num(i)
    if d is None or d.digits > 2:
        return None
    j = i + 1
    if t.word(j) in _ORDINAL_SUFFIXES:
        j += 1
    j = t.skip(j, {"of"}, 1)
    month = _MONTHS.get(t.word(j) or "")
    if month is None:
        return None
    j = t.skip(j + 1, {".", ",", "-", "/"}, 2)
    year = _year(t, j, two_digit=True)
    if year is None or (year.kind is not _YearKind.CAL and not fy_ok):
        return None
    return _Found(i, year.end, *_day_in(d.value, month, year))


def _month_then_day(t: _Toks, i: int) -> _Found | None:
    """March 31 2024, March 31st, 2024: unambiguous with a month name."""
    month = _MONTHS.get(t.word(i) or "")
    if month is None:
        return None
    j = t.skip(i + 1, {"."}, 1)
    d = t.num(j)
    if d is None or d.digits > 2:
        return None
    j += 1
    if t.word(j) in _ORDINAL_SUFFIXES:
        j += 1
    j = t.skip(j, {","}, 1)
    year = _year(t, j, two_digit=False)
    if year is None or (n := t.num(j)) is None or n.digits != 4:
        return None  # "Mar 24 2025"? only a four-digit year makes 24 a day
    return _Found(i, year.end, *_day_in(d.value, month, year))


def _day_in(day: int, month: int, year: _Year) -> tuple[_FoundKind, dt.date | None]:
    if year.kind is _YearKind.INVALID:
        return _FoundKind.INVALID, None
    if year.kind is _YearKind.FY_SINGLE or (year.kind is _YearKind.FY and not year.certain):
        return _FoundKind.AMBIGUOUS, None
    date = _real_date(_month_year(month, year), month, day)
    return (_FoundKind.DATE, date) if date else (_FoundKind.INVALID, None)


def _heads_then_year(t: _Toks, i: int) -> _Found | None:
    """Q4 2023-24, Q2 and Q3 2023-24, April - June 2024, Mar-24, Q2 2024/25 and Q3."""
    listed = _head_list(t, i)
    if listed is None:
        return None
    heads, j = listed
    if _INVALID in heads:
        return _Found(i, j, _FoundKind.INVALID)
    year = _year(t, t.skip(j, _BEFORE_YEAR, 3), two_digit=True)
    if year is None:
        # "Q4" alone names no year; never guess one. Its heads start nothing
        # else either, so the scanner may step over the whole list.
        return _Found(i, j, _FoundKind.NONE)
    if year.kind is _YearKind.INVALID:
        return _Found(i, year.end, _FoundKind.INVALID)
    end = year.end
    # "Q2 2024/25 and Q3": trailing quarters share the year, unless they have their own.
    if year.kind is _YearKind.FY and heads[-1].kind.financial:
        trailing = _head_list(t, t.skip(end, _CONNECTORS, 2))
        if trailing and trailing[0][0].kind.financial and not _year_follows(t, trailing[1]):
            heads, end = heads + trailing[0], trailing[1]
    # Financial-year parts are in order, so the latest is the max; calendar
    # months may wrap ("Nov - Jan 2024"), so the last one named is the end.
    last = year.kind is _YearKind.CAL
    return _verdict(i, end, [_resolve(h, year) for h in heads], last=last)


def _year_follows(t: _Toks, i: int) -> bool:
    return _year(t, t.skip(i, _BEFORE_YEAR, 3), two_digit=True) is not None


def _year_then_heads(t: _Toks, i: int) -> _Found | None:
    """2023-24 Q4, FY23/24 Q3 and Q4, 2024 Q1 (ambiguous)."""
    year = _year(t, i, two_digit=False)
    if year is None or year.kind is _YearKind.INVALID:
        return None
    listed = _head_list(t, t.skip(year.end, {"-", ",", ":", "/"}, 2))
    if listed is None or not listed[0][0].kind.financial:
        return None
    heads, j = listed
    if _year_follows(t, j):
        return None  # "2023-24 - Q1 2024-25": Q1 has its own year
    if _INVALID in heads:
        return _Found(i, j, _FoundKind.INVALID)
    return _verdict(i, j, [_resolve(h, year) for h in heads], last=False)


def _bare_year(t: _Toks, i: int) -> _Found | None:
    """2024/25 (ends 31 March 2025), 2024 (ends 31 December), FY24 (ambiguous)."""
    year = _year(t, i, two_digit=False)
    if year is None:
        return None
    if year.kind is _YearKind.INVALID:
        return _Found(i, year.end, _FoundKind.INVALID)
    if year.kind is _YearKind.FY_SINGLE or not year.certain:
        return _Found(i, year.end, _FoundKind.AMBIGUOUS, year_level=True)
    fy = year.kind is _YearKind.FY
    date = _month_end(year.year + 1, 3) if fy else _month_end(year.year, 12)
    return _Found(i, year.end, _FoundKind.DATE, date, year_level=True)


_RULES = (_numeric_date, _day_then_month, _month_then_day, _heads_then_year,
          _year_then_heads, _bare_year)  # fmt: skip


def _with_modifier(t: _Toks, found: _Found, lo: int) -> _Found:
    """Apply the word just before a period: 'from April 2024', 'early 2025'."""
    if found.kind is not _FoundKind.DATE:
        return found
    k, steps = found.start - 1, 0
    while k >= lo and steps < 4 and t.text(k) in _LOOKBACK_SKIP:
        k, steps = k - 1, steps + 1
    word = t.word(k) if k >= lo else None
    if word in _START_WORDS and found.parts == 1:
        return _Found(found.start, found.end, _FoundKind.START)
    after = t.word(found.end) if found.end < t.end else None
    if after in _START_AFTER_WORDS and found.parts == 1:
        return _Found(found.start, found.end, _FoundKind.ONWARDS)
    if word in _NOT_THE_END_WORDS or (word in _VAGUE_YEAR_WORDS and found.year_level):
        return _Found(found.start, found.end, _FoundKind.VAGUE)
    return found


def _scan(t: _Toks, lo: int) -> list[_Found]:
    found: list[_Found] = []
    i = lo
    while i < t.end:
        if not (t.toks[i].word or t.toks[i].digits):
            i += 1  # every rule starts at a word or a number
            continue
        for rule in _RULES:
            hit = rule(t, i)
            if hit is not None:
                if hit.kind is not _FoundKind.NONE:
                    found.append(_with_modifier(t, hit, lo))
                i = max(hit.end, i + 1)
                break
        else:
            i += 1
    return found


# --------------------------------------------------------------------------
# Stages
# --------------------------------------------------------------------------


def _by_first_word(phrases: list[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return index


_TBC_STRONG_AT = _by_first_word(_TBC_STRONG)
_ONGOING_STRONG_AT = _by_first_word(_ONGOING_STRONG)
_TBC_ANY_AT = _by_first_word(_TBC_STRONG + _TBC_WEAK)
_ONGOING_ANY_AT = _by_first_word(_ONGOING_STRONG)
# Longest first, so "bi-annually" is not read as its last word.
_RECURRING_AT = _by_first_word(sorted(_RECURRING, key=len, reverse=True))


def _phrase_at(t: _Toks, i: int, phrases: dict[str, list[tuple[str, ...]]]) -> bool:
    return _phrase(t, i, phrases) is not None


def _phrase(t: _Toks, i: int,
            phrases: dict[str, list[tuple[str, ...]]]) -> tuple[str, ...] | None:
    """The first of ``phrases`` (indexed by their first word) that starts at ``i``."""
    for phrase in phrases.get(t.text(i) or "", ()):
        if all(t.text(i + k) == word for k, word in enumerate(phrase)):
            return phrase
    return None


def _recurrence(t: _Toks, lo: int, every: tuple[str, ...]) -> str:
    """'annually, March': how often, then the months and quarters the stage
    names without a year ("Annually - March", "Quarterly (Q1 review)")."""
    when: list[str] = []
    for i in range(lo, t.end):
        found = _head(t, i) if t.toks[i].word else None
        if found is None or _year_follows(t, found[1]):
            continue
        head = found[0]
        if head.kind is _HeadKind.MONTH:
            name = MONTH_NAMES[head.n - 1]
        elif head.kind is _HeadKind.QUARTER:
            name = f"Q{head.n}"
        else:
            continue
        if name not in when:
            when.append(name)
    how = _RECURRING[every]
    if not when:
        return how
    named = when[0] if len(when) == 1 else ", ".join(when[:-1]) + " and " + when[-1]
    return f"{how}, {named}"


@dataclass(frozen=True)
class _Reading:
    kind: DueKind
    date: dt.date | None
    text: str
    substantive: bool  # read something (a date, a keyword, a bad date)
    recurrence: str = ""  # an ONGOING stage's "annually, March"


def _trim(text: str) -> str:
    return text.strip(_TRIM)


def _read_segment(cell: str, toks: Sequence[_Tok], lo: int, hi: int, chars: slice) -> _Reading:
    """One stage: tokens [lo, hi) of the cell, whose wording is ``cell[chars]``."""
    t = _Toks(toks, hi)
    wording = _trim(cell[chars])

    def span(items: list[_Found]) -> str:
        """The officer's wording from the first part read to the last, with the
        words that qualify it ("end of March 2024", "by mid June 2024")."""
        end = items[-1].end
        begin = items[0].start
        while begin > lo and toks[begin - 1].text in _DATE_QUALIFIERS:
            begin -= 1
        text = cell[toks[begin].start : toks[end - 1].end]
        if text.count("(") > text.count(")") and t.text(end) == ")":
            text += ")"  # "Q4 (31/03/2024)": keep the bracket closed
        return _trim(text)

    first = t.skip(lo, _LEADING_FILLER | {":", "-", "(", "*", "'", '"'}, 4)
    if _phrase_at(t, first, _TBC_STRONG_AT):
        return _Reading(DueKind.TBC, None, wording, True)
    if _phrase_at(t, first, _ONGOING_STRONG_AT):
        return _Reading(DueKind.ONGOING, None, wording, True)

    found = _scan(t, lo)
    if any(f.kind in (_FoundKind.INVALID, _FoundKind.VAGUE) for f in found):
        return _Reading(DueKind.UNRECOGNISED, None, wording, True)
    ambiguous = [f for f in found if f.kind is _FoundKind.AMBIGUOUS]
    if ambiguous:
        return _Reading(DueKind.AMBIGUOUS, None, span(ambiguous), True)
    dated = [f.date for f in found if f.kind is _FoundKind.DATE and f.date is not None]
    if dated:
        return _Reading(DueKind.DATE, max(dated), span(found), True)

    if any(f.kind is _FoundKind.ONWARDS for f in found):
        return _Reading(DueKind.ONGOING, None, wording, True)
    for i in range(lo, hi):
        if _phrase_at(t, i, _TBC_ANY_AT):
            return _Reading(DueKind.TBC, None, wording, True)
        every = _phrase(t, i, _RECURRING_AT)
        if every is not None:
            return _Reading(DueKind.ONGOING, None, wording, True, _recurrence(t, lo, every))
        if _phrase_at(t, i, _ONGOING_ANY_AT):
            return _Reading(DueKind.ONGOING, None, wording, True)
    if not _has_content(toks, lo, hi):
        return _Reading(DueKind.TBC, None, wording, False)  # "-", "?": nothing given
    return _Reading(DueKind.UNRECOGNISED, None, wording, bool(found))


def _stage_labels(toks: Sequence[_Tok]) -> list[tuple[int, int, str]]:
    """(first token, token after, "Stage 1") for each "Stage 1" / "phase two"."""
    t = _Toks(toks, len(toks))
    labels = []
    for i, tok in enumerate(toks):
        if tok.text in _STAGE_WORDS:
            n, digits, j = _small_number(t, i + 1)
            if n is not None and 1 <= digits <= 2 and n >= 1:
                labels.append((i, j, f"{tok.text.capitalize()} {n}"))
    return labels


def _has_content(toks: Sequence[_Tok], lo: int, hi: int | None = None) -> bool:
    return any(tok.word or tok.digits for tok in toks[lo:hi])


def _stage(label: str | None, reading: _Reading) -> Stage:
    return Stage(label, reading.kind, reading.date, reading.text, reading.recurrence)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def parse_completion_date(
    value: str | dt.date | dt.datetime | None,
) -> tuple[Stage, ...]:
    """Read a completion-date cell into its stages; at least one, never raises.

    An Excel date cell is one DATE stage; a blank one is TBC. Text is read by
    the grammar above: each stage is due on the last day of the latest period
    it names.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (Stage(None, DueKind.DATE, value, format_date(value)),)
    cell = "" if value is None else str(value)
    if not cell.strip():
        return (Stage(None, DueKind.TBC, None, ""),)

    toks = _tokenize(cell.translate(_NORMALISE))
    labels = _stage_labels(toks)
    if not labels:
        return (_stage(None, _read_segment(cell, toks, 0, len(toks), slice(0, len(cell)))),)

    stages = []
    # Words before the first label count only if they say something
    # ("Q4 2023-24 Stage 2: TBC"), not "Target dates:".
    first_tok = labels[0][0]
    prefix = _read_segment(cell, toks, 0, first_tok, slice(0, toks[first_tok].start))
    if len(labels) == 1 and prefix.substantive and not _has_content(toks, labels[0][1]):
        return (_stage(labels[0][2], prefix),)  # "Q4 2023-24 (Stage 1)": label after
    if prefix.substantive:
        stages.append(_stage(None, prefix))
    for n, (_, after, label) in enumerate(labels):
        hi = labels[n + 1][0] if n + 1 < len(labels) else len(toks)
        lo_char = toks[after - 1].end
        hi_char = toks[hi].start if hi < len(toks) else len(cell)
        stages.append(_stage(label, _read_segment(cell, toks, after, hi, slice(lo_char, hi_char))))
    return tuple(stages)


def parse_day_first_date(text: str) -> dt.date | None:
    """A single day-first or ISO date ('01/04/2024', '2024-04-01', '1 April 2024').

    None unless the whole text is exactly one real date: '31/02/2024' and
    '12/31/2024' are None (never swapped to month first), and so are periods
    like 'March 2024'.
    """
    toks = _tokenize(str(text).translate(_NORMALISE))
    t = _Toks(toks, len(toks))
    if not toks:
        return None
    for found in (_numeric_date(t, 0, month_year=False), _day_then_month(t, 0, fy_ok=False)):
        if found is not None and found.kind is _FoundKind.DATE and found.end == len(toks):
            return found.date
    return None
