"""How the documents word an action's due stages, written once.

A completion date becomes one or more ``Stage`` values (dates.py). Three
places list them in words, each in its own register: the computed comment
("; Stage 2 due 31 March 2025 (Q4 2024-25)"), the update request ("Stage 1:
31 March 2024; Stage 2: to be confirmed") and the Excel export's Due date(s)
column ("Stage 1: 31/03/2024; Stage 2: TBC"). ``describe_stages`` is the one
function that lists them; the three ``DueWording`` values below are their
words, side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from wfs_reports.domain.dates import format_date
from wfs_reports.domain.model import DueKind, Stage


@dataclass(frozen=True)
class DueWording:
    """One document's words for a due stage.

    ``kinds`` words each kind of stage; its templates may use ``{date}`` (the
    stage's date as ``date`` writes it) and ``{text}`` (the officer's wording).
    ``named`` puts a stage's label before its words. ``unnamed`` is what a stage
    without a label is called (None: its words alone); ``unnamed_alone`` is
    False when a lone unlabelled stage is its words alone, whatever ``unnamed``.
    """

    kinds: Mapping[DueKind, str]
    date: Callable[[Stage], str]
    named: str = "{label}: {words}"
    unnamed: str | None = None
    unnamed_alone: bool = True
    # An ONGOING stage that recurs ("annually, March" as ``{recurrence}``); None:
    # worded as any ONGOING stage.
    recurring: str | None = None


def due_phrase(stage: Stage) -> str:
    """'31 March 2024 (Q4 2023-24)': the date, then the officer's own wording."""
    assert stage.date is not None
    written = format_date(stage.date)
    if stage.text and stage.text.strip() != written:
        return f"{written} ({stage.text.strip()})"
    return written


def describe_stage(stage: Stage, wording: DueWording) -> str:
    """One stage in ``wording``'s words, without its label."""
    kind = stage.kind
    if kind is DueKind.DATE and stage.date is None:
        kind = DueKind.UNRECOGNISED
    date = wording.date(stage) if kind is DueKind.DATE else ""
    if kind is DueKind.ONGOING and stage.recurrence and wording.recurring is not None:
        return wording.recurring.format(recurrence=stage.recurrence, text=stage.text)
    return wording.kinds[kind].format(date=date, text=stage.text)


def describe_stages(stages: Iterable[Stage], wording: DueWording) -> str:
    """The stages in ``wording``'s words, labelled, joined by '; '."""
    stages = tuple(stages)
    if len(stages) == 1 and stages[0].label is None and wording.unnamed_alone:
        return describe_stage(stages[0], wording)
    parts = []
    for stage in stages:
        words = describe_stage(stage, wording)
        label = stage.label or wording.unnamed
        parts.append(wording.named.format(label=label, words=words) if label else words)
    return "; ".join(parts)


# The computed comment: the stages after the one that decides the RAG.
IN_THE_COMMENT = DueWording(
    kinds={DueKind.DATE: "due {date}", DueKind.ONGOING: "ongoing", DueKind.TBC: "date TBC",
           DueKind.AMBIGUOUS: "date '{text}' not read",
           DueKind.UNRECOGNISED: "date '{text}' not read"},
    date=due_phrase, named="{label} {words}", unnamed="Next", unnamed_alone=False,
    recurring="recurring ({recurrence}): ongoing")
# The update request's "read as" line: what the completion date was read as.
IN_THE_REQUEST = DueWording(
    kinds={DueKind.DATE: "{date}", DueKind.ONGOING: "ongoing, no end date",
           DueKind.TBC: "to be confirmed",
           DueKind.AMBIGUOUS: "ambiguous (calendar or financial year?)",
           DueKind.UNRECOGNISED: "could not be read"},
    date=lambda stage: format_date(stage.date) if stage.date else stage.text, unnamed="Then")
# The Excel export's Due date(s) cell, when it is not one Excel date.
IN_THE_SPREADSHEET = DueWording(
    kinds={DueKind.DATE: "{date}", DueKind.ONGOING: "Ongoing", DueKind.TBC: "TBC",
           DueKind.AMBIGUOUS: "ambiguous: '{text}'",
           DueKind.UNRECOGNISED: "not read: '{text}'"},
    date=lambda stage: stage.date.strftime("%d/%m/%Y") if stage.date else stage.text)
