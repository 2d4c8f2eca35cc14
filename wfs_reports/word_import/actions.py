"""An action table's rows: each row's cells, by column, into an action.

A row's cells are read by the column their grid position falls under. A cell
merged down from the row above (w:vMerge) repeats its text; a row with no
action text of its own (a row split across a page by hand) is added to the
action above, with a warning. The RAG cell's words come before its colour,
and either gives the Status when the row has none. In this project's own
report the Comments cell's computed sentence is kept out of the comments and
read for what it says of the workbook (own_report.py).
"""

from __future__ import annotations

from wfs_reports.domain.model import Rag, Status
from wfs_reports.domain.problems import Kind
from wfs_reports.domain.text import excerpt
from wfs_reports.domain.word_record import RecordedAction
from wfs_reports.word_import import own_report
from wfs_reports.word_import.colours import RagKey, is_neutral
from wfs_reports.word_import.columns import Columns
from wfs_reports.word_import.result import ActionDraft, Warnings
from wfs_reports.word_import.vocabulary import (
    FROM_THE_WORD_REPORT,
    STATUS_LOOKUP,
    TREND_KEYS,
    TREND_STYLE,
    key,
    strip_mark,
)
from wfs_reports.word_import.walk import Cell, Row

# The fields, as a warning names them.
FIELD_NAMES = {"action": "action text", "owners": "owners", "completion_date":
               "completion date", "comments": "comments", "status": "status"}


class ActionRows:
    """Reads action rows into ``actions``, in order."""

    def __init__(self, warnings: Warnings, rag_key: RagKey,
                 record: list[RecordedAction] | None = None):
        self.warnings = warnings
        self.rag_key = rag_key
        self.actions: list[ActionDraft] = []
        self.above: dict[int, str] = {}  # the last row's text by grid column
        # make-report's own record of each action (domain/word_record.py), unused yet.
        self.record = list(record or ())
        self.own = record is not None  # a document make-report wrote, with its record

    def recorded(self, ref: int, text: str) -> RecordedAction | None:
        """The first unused record entry of this recommendation and action text."""
        for index, entry in enumerate(self.record):
            if entry.matches(ref, text):
                return self.record.pop(index)
        return None

    def new_table(self) -> None:
        """A header row: nothing above the next row."""
        self.above = {}

    def read(self, row: Row, columns: Columns, ref: int) -> None:
        """An action row under ``columns``, of recommendation ``ref``: a new action,
        or the rest of the one above (a row split across a page by hand)."""
        values: dict[str, str] = {}
        continued: set[str] = set()
        rag_cell: Cell | None = None
        system = ""
        for cell in row.cells:
            name = columns.field_of(cell)
            text = cell.text
            if cell.vmerge == "continue":
                text = self.above.get(cell.grid, "")
                if name:
                    continued.add(name)
            elif cell.vmerge == "restart" or cell.vmerge is None:
                self.above[cell.grid] = cell.text
            if name == "rag":
                rag_cell = cell
                continue
            if name == "number":
                continue  # "3.2": the order gives it again
            if name is False or name is None:
                if cell.text:
                    header = columns.heading_of(cell) if name is None else ""
                    why = ("a cell beyond the table's header columns" if name is False
                           else f"column '{excerpt(header, 40)}' is not one of the plan's"
                           if header else "a cell with no column heading")
                    self.warnings.not_placed(f"{row.where}, cell {row.cells.index(cell) + 1}",
                                             cell.text, why)
                continue
            if name == "comments":
                system = system or own_report.system_sentence(cell, own=self.own)
                if cell.vmerge != "continue":
                    text = own_report.officer_comment(cell, own=self.own)
            if name in values and text:
                values[name] = join(values[name], text, name)
            elif text:
                values[name] = text
        rag_words, rag_colour = self.rag_of(rag_cell, row) if rag_cell else (None, None)
        if rag_cell is None:
            rag_colour = next((self.rag_key.colour(c.colour) for c in row.cells
                               if c.colour and self.rag_key.colour(c.colour)), None)
        is_continuation = ("action" in continued or not values.get("action")) and self.actions \
            and self.actions[-1].ref == ref
        if is_continuation:
            previous = self.actions[-1]
            joined = [name for name, text in values.items() if text and name not in continued]
            for name in joined:
                if name == "status":
                    continue
                setattr(previous, name, join(getattr(previous, name), values[name], name))
            if previous.coloured is None and (rag_words or rag_colour):
                self.apply_rag(previous, rag_words, rag_colour, red_override=True)
            if "action" not in continued and joined:
                self.warnings.warn(Kind.WORD_GUESSED, row.where, "this row has no action text, "
                                   f"so its {', '.join(FIELD_NAMES[n] for n in joined)} "
                                   "were added to the action above; check them")
            return
        if not values.get("action"):
            self.warnings.not_placed(row.where, " | ".join(c.text for c in row.filled),
                                     "a row with no action text and no action above it")
            return
        action = ActionDraft(ref, row.where, action=values["action"],
                             owners=values.get("owners", ""),
                             completion_date=values.get("completion_date", ""),
                             comments=values.get("comments", ""))
        if values.get("status"):
            status = STATUS_LOOKUP.get(key(values["status"]))
            if isinstance(status, Status):
                action.status = status
            else:
                action.status_text = values["status"]
        self.actions.append(action)
        entry = self.recorded(ref, action.action)
        if entry is None:
            if action.status is Status.BLANK and not action.status_text:
                # A red cell is the officer's judgement in a report typed by hand;
                # in make-report's own, the computed sentence says why it is red.
                self.apply_rag(action, rag_words, rag_colour, red_override=not system)
            if system:
                own_report.recover(action, system, self.rag_key)
            return
        # make-report's own report, with its record of the workbook.
        if system:
            own_report.recover(action, system, self.rag_key)
        shown = rag_words or rag_colour
        if shown is None or shown.value == entry.rag:
            own_report.apply_record(action, entry)
            action.coloured = shown
        else:  # the RAG cell re-coloured by hand: what it shows now
            action.last_updated = entry.last_updated
            action.status, action.status_text = Status.BLANK, ""
            self.apply_rag(action, rag_words, rag_colour, red_override=True)

    def rag_of(self, cell: Cell, row: Row) -> tuple[Rag | None, Rag | None]:
        """(what the RAG cell's words say, what its colour says)."""
        words = None
        for paragraph in cell.paragraphs:
            text = paragraph.text
            if not text or paragraph.style == TREND_STYLE:
                continue
            if key(strip_mark(text)) in TREND_KEYS:
                continue
            rag = self.rag_key.word(text)
            if rag is None:
                self.warnings.not_placed(row.where, text, "RAG cell text that is not a RAG "
                                         "status")
            elif words is None:
                words = rag
        colour = None
        if cell.colour and not is_neutral(cell.colour):
            colour = self.rag_key.colour(cell.colour)
            if colour is None:
                self.warnings.warn(Kind.WORD_COLOUR, row.where, f"the RAG cell is coloured "
                                   f"#{cell.colour}, which is not green, amber or red; read "
                                   "as In progress")
                colour = Rag.MINOR_ISSUES
        if words and colour and words is not colour and words is not Rag.NOT_APPLICABLE:
            self.warnings.warn(Kind.WORD_COLOUR, row.where, f"the RAG cell says "
                               f"'{self.rag_key.names[words]}' but is coloured "
                               f"#{cell.colour}; the words were used")
        return words, colour


    def apply_rag(self, action: ActionDraft, words: Rag | None, colour: Rag | None, *,
                  red_override: bool) -> None:
        """The Status the RAG cell gives: by its words, else by its colour. With
        ``red_override``, red is also a RAG Override of the rules' missed label,
        so the officer's judgement is not lost to the dates."""
        rag = words or colour
        if rag is None:
            return
        if rag is Rag.NOT_APPLICABLE:
            action.status = Status.NOT_APPLICABLE
            return
        action.coloured = rag
        action.status = Status.COMPLETED if rag is Rag.COMPLETED else Status.IN_PROGRESS
        if rag is Rag.MISSED and red_override:
            action.rag_override = self.rag_key.names[Rag.MISSED]
            action.override_reason = FROM_THE_WORD_REPORT


def join(before: str, after: str, name: str) -> str:
    """Text continued in a second row (a row split across a page by hand)."""
    if not before:
        return after
    if name in ("owners",):
        return f"{before}\n{after}"
    if name == "completion_date" or not before.rstrip().endswith((".", "!", "?", ":", ";")):
        return f"{before} {after}"  # a sentence cut mid-way runs on
    return f"{before}\n\n{after}"
