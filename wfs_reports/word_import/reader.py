"""The reader: the walk's paragraphs and rows, in order, into recommendations and actions.

A state machine. Its ``Mode`` says what the text now being read belongs to:
the preamble before the first recommendation, an own-report section worked
out from the plan, a recommendation's text, its Comments from Service, or its
action table. A full-width table row is read like the paragraphs it holds.
Each table's ``TableState`` remembers whether it is an own-report table worked
out from the plan, and the rows that fitted no action table, reported by place
at the end. What cannot be placed becomes a warning naming where it is. An
action row, once placed, is read by ``actions.ActionRows``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wfs_reports.domain.dates import parse_day_first_date
from wfs_reports.domain.model import Rag, Status
from wfs_reports.domain.problems import Kind
from wfs_reports.domain.text import excerpt, plural
from wfs_reports.domain.word_record import RecordedAction
from wfs_reports.word_import.actions import ActionRows
from wfs_reports.word_import.colours import RagKey, is_neutral
from wfs_reports.word_import.columns import Columns, read_header, usual_columns
from wfs_reports.word_import.result import (
    ActionDraft,
    RecommendationDraft,
    Warnings,
    WordImport,
    build_plan,
)
from wfs_reports.word_import.vocabulary import (
    COMMENTS_LABEL,
    COMPUTED_SECTION_KEYS,
    COMPUTED_TABLES,
    COUNT_BOXES_END,
    FURNITURE_STYLES,
    HEADING_STYLES,
    KEY_TITLE,
    NOT_APPLICABLE,
    ORIGINAL_RUNNING_HEADER,
    REC_HEADING,
    SETTING_LINES,
    USUAL_COLUMNS,
    is_label,
    key,
)
from wfs_reports.word_import.walk import BodyParagraph, Cell, Row, TableStart, paragraph_text


class Mode(enum.Enum):
    """What the text now being read belongs to."""

    PREAMBLE = "preamble"  # before the first recommendation: title block, RAG key
    COMPUTED = "computed"  # an own-report section before the recommendations (Summary ...)
    TEXT = "text"  # the current recommendation's own text
    COMMENTS = "comments"  # its Comments from Service
    ACTIONS = "actions"  # its action table
    ORPHAN_ACTIONS = "orphan actions"  # an action table before any recommendation

    @property
    def before_recommendations(self) -> bool:
        return self in (Mode.PREAMBLE, Mode.COMPUTED)

    @property
    def in_actions(self) -> bool:
        return self in (Mode.ACTIONS, Mode.ORPHAN_ACTIONS)


@dataclass
class TableState:
    """What the reader knows of one table while its rows are read."""

    first_row: bool = True  # no row of it read yet
    computed: bool = False  # an own-report table worked out from the plan: skipped
    placed: bool = False  # some row of it was placed
    unplaced: list[Row] = field(default_factory=list)  # rows that fitted no action table


class WordReader:
    """Reads one document; ``read`` the walk, then ``result`` the plan."""

    def __init__(self, file_name: str, labels: dict[Rag, str],
                 record: list[RecordedAction] | None = None):
        self.file_name = file_name
        self.settings: dict[str, Any] = {}  # ReportSettings' fields
        self.recs: dict[int, RecommendationDraft] = {}
        self.current: RecommendationDraft | None = None
        self.mode = Mode.PREAMBLE
        self.columns: Columns | None = None
        self.column_table = 0  # the table the columns were read in
        self.warnings = Warnings()
        self.rag_key = RagKey(labels)
        self.action_rows = ActionRows(self.warnings, self.rag_key, record)
        self.action_tables = 0
        self.tables: dict[int, TableState] = {}

    # -- the walk ------------------------------------------------------------

    def title_from_header(self, document) -> None:
        """The Title is the running header: the first short line of a page header."""
        for section in document.sections:
            try:
                texts = [paragraph_text(p._p) for p in section.header.paragraphs]
            except Exception:  # noqa: BLE001 - a header we cannot read gives no title
                continue
            # make-report's header is "Title<tab>Classification": the title is the
            # text before a tab (the classification is the body's own line).
            title = next((t.split("\n")[0].split("\t")[0].strip() for t in texts
                          if t and t.split("\t")[0].strip() and len(t) <= 120), "")
            if title:
                self.settings["title"] = title
                return

    def read(self, blocks: Iterable[BodyParagraph | TableStart | Row]) -> None:
        for block in blocks:
            if isinstance(block, TableStart):
                self.tables[block.number] = TableState()
            elif isinstance(block, BodyParagraph):
                self.body_paragraph(block)
            else:
                self.row(block)

    def body_paragraph(self, block: BodyParagraph) -> None:
        paragraph = block.paragraph
        if not paragraph.text:
            return
        if paragraph.style in FURNITURE_STYLES:
            return
        if not self.paragraph(paragraph.text, paragraph.style, block.where, in_table=False):
            self.warnings.not_placed(block.where, paragraph.text, "a paragraph that is not a "
                                     "recommendation, its text or its Comments from Service")

    # -- paragraphs (body, or held in a full-width row) -----------------------

    def is_title(self, text: str) -> bool:
        """The running header (the Title), as a text export repeats it at each page."""
        titles = {key(self.settings.get("title", "")), key(ORIGINAL_RUNNING_HEADER)}
        return key(text) in titles - {""}

    def paragraph(self, text: str, style: str, where: str, *, in_table: bool) -> bool:
        """Place one paragraph; False if it was not placed (the caller warns)."""
        first, _, rest = text.partition("\n")
        heading = REC_HEADING.match(first)
        if heading:
            ref = int(heading.group(1))
            inline = "\n".join(part for part in ((heading.group(2) or "").strip(), rest.strip())
                               if part)
            self.start_recommendation(ref, where)
            if inline:
                self.paragraph(inline, style, where, in_table=in_table)
            return True
        if self.is_title(text):
            return True  # the running header, repeated in the body at a page break
        label = COMMENTS_LABEL.match(text)
        if label and not self.mode.before_recommendations:
            if self.current is None:
                return False
            self.mode = Mode.COMMENTS
            if label.group(1).strip():
                self.current.narrative.append(label.group(1).strip())
            return True
        if self.mode.before_recommendations:
            return self.preamble(text, style, in_table=in_table)
        assert self.current is not None
        if key(text).startswith(NOT_APPLICABLE) and (self.mode is Mode.ACTIONS or in_table):
            self.not_applicable_action(text, where)
            return True
        if self.mode is Mode.TEXT:
            self.current.text.append(text)
            return True
        if self.mode is Mode.COMMENTS:
            self.current.narrative.append(text)
            return True
        return False  # free text after a recommendation's actions

    def start_recommendation(self, ref: int, where: str) -> None:
        if self.current is not None and self.current.ref == ref:
            return  # the heading repeated (e.g. "Recommendation 6 continued")
        if ref in self.recs:
            self.warnings.warn(Kind.WORD_GUESSED, where, f"Recommendation {ref} appears a "
                               "second time; what follows is added to the first")
            self.current = self.recs[ref]
        else:
            self.current = self.recs.setdefault(ref, RecommendationDraft(ref))
        self.mode = Mode.TEXT

    def preamble(self, text: str, style: str, *, in_table: bool = False) -> bool:
        """Before the first recommendation: title, heading, title block, own-report sections,
        and the officer's own words under the heading (Summary for the Board)."""
        if key(text) in COMPUTED_SECTION_KEYS:
            self.mode = Mode.COMPUTED
            return True
        if self.mode is Mode.COMPUTED:
            return True  # worked out from the plan: nothing of the officers' to keep
        for name, pattern in SETTING_LINES:
            match = pattern.match(text)
            if match and name not in self.settings:
                value = match.group(1).strip()
                if name in ("as_at", "meeting_date"):
                    date = parse_day_first_date(value)
                    if date is None:
                        return False
                    self.settings[name] = date
                else:
                    self.settings[name] = value
                return True
        if style == "Wordmark" and "organisation" not in self.settings:
            self.settings["organisation"] = text
            return True
        if key(text) in self.rag_key.labels or key(text) == KEY_TITLE:
            return True  # a RAG key written as paragraphs
        looks_like_heading = style in HEADING_STYLES or "actionplan" in key(text)
        if looks_like_heading and "heading" not in self.settings:
            if "title" not in self.settings and len(text) <= 60 and style not in HEADING_STYLES:
                self.settings["title"] = text
            else:
                self.settings["heading"] = text
            return True
        if looks_like_heading and "title" not in self.settings and len(text) <= 60:
            self.settings["title"] = text
            return True
        if "heading" in self.settings and not in_table and not looks_like_heading:
            # Body text under the heading, before the figures: the officer's own
            # words for the Board, as our own report prints them there.
            summary = self.settings.get("summary_for_the_board", "")
            self.settings["summary_for_the_board"] = "\n\n".join(
                part for part in (summary, text.strip()) if part)
            return True
        return False

    # -- table rows -----------------------------------------------------------

    def row(self, row: Row) -> None:
        state = self.tables[row.table]
        if state.first_row:
            state.first_row = False
            texts = {key(c.text) for c in row.cells if c.text}
            if (any(marks <= texts for marks in COMPUTED_TABLES)
                    or key(row.cells[-1].text).endswith(COUNT_BOXES_END)):
                state.computed = True
        if state.computed:
            self.rag_key.learn(row)
            return
        filled = row.filled
        if not filled:
            coloured = [c.colour for c in row.cells if c.colour and not is_neutral(c.colour)]
            if self.mode is Mode.ACTIONS and coloured and self.columns is not None:
                self.warnings.warn(Kind.WORD_NOT_PLACED, row.where, f"a RAG colour "
                                   f"(#{coloured[0]}) in a row with no action was not imported")
            return  # a spacer row
        columns = read_header(row)
        if columns is not None:
            self.columns, self.column_table = columns, row.table
            self.mode = Mode.ORPHAN_ACTIONS if self.current is None else Mode.ACTIONS
            self.action_rows.new_table()
            self.action_tables += 1
            state.placed = True
            return
        if self.rag_key.learn(row):
            state.placed = True
            return
        if self.columns is not None and row.table != self.column_table \
                and len(row.cells) > 1:
            width = max(c.grid + c.span for c in row.cells)
            if width != self.columns.width:
                self.columns = None  # another kind of table: its columns are not ours
        full_width = len(row.cells) == 1 or (len(filled) == 1 and filled[0] is row.cells[0]
                                             and not self.is_action_start(row))
        if full_width:
            self.full_width_row(row, filled[0])
            state.placed = True
            return
        if filled[0] is row.cells[0] and is_label(row.cells[0].text):
            # "Recommendation 3 | its text" or "Comments from Service: | narrative":
            # a label in the first cell, the rest of the row what it labels.
            for cell in filled:
                self.full_width_row(row, cell)
            state.placed = True
            return
        if self.columns is None and self.current is not None and len(filled) >= 2 \
                and max(c.grid + c.span for c in row.cells) == len(USUAL_COLUMNS):
            # A five-column table under a recommendation, its header row left out.
            self.columns, self.column_table = usual_columns(), row.table
            self.action_tables += 1
            self.warnings.warn(Kind.WORD_GUESSED, row.where, "this table has no header row; "
                               "its columns were read as " + " | ".join(USUAL_COLUMNS)
                               + "; check them")
        if self.columns is None:
            state.unplaced.append(row)
            return
        if not self.mode.in_actions:
            self.mode = Mode.ACTIONS if self.current is not None else Mode.ORPHAN_ACTIONS
        if self.mode is Mode.ORPHAN_ACTIONS:
            self.warnings.not_placed(row.where, filled[0].text, "an action before any "
                                     "'Recommendation N' heading")
            state.placed = True
            return
        assert self.current is not None
        self.action_rows.read(row, self.columns, self.current.ref)
        state.placed = True

    def finish_tables(self) -> None:
        for number, state in self.tables.items():
            rows = state.unplaced
            if not rows:
                continue
            if not state.placed:
                first = " | ".join(c.text for c in rows[0].cells if c.text)
                self.warnings.warn(
                    Kind.WORD_NOT_PLACED, f"table {number}",
                    f"not an action table (it begins '{excerpt(first, 60)}', not with "
                    "Action | Owner(s) | Completion Date | Comments | RAG Status); its "
                    f"{plural(len(rows), 'row')} were not imported")
                continue
            for row in rows:
                self.warnings.not_placed(row.where, " | ".join(c.text for c in row.filled),
                                         "a row outside any action table's columns")

    def is_action_start(self, row: Row) -> bool:
        """In an action table, a row with only its first cell filled is still an action
        unless that text is a heading, a label or the not-applicable note."""
        if self.mode is not Mode.ACTIONS:
            return False
        text = row.cells[0].text
        return not (is_label(text) or key(text).startswith(NOT_APPLICABLE)
                    or self.is_title(text))

    def full_width_row(self, row: Row, cell: Cell) -> None:
        texts = cell.texts
        if texts and key(texts[0]).startswith(NOT_APPLICABLE) and self.current is not None:
            self.not_applicable_action("\n\n".join(texts), row.where)
            return
        for paragraph in cell.paragraphs:
            if not paragraph.text:
                continue
            if not self.paragraph(paragraph.text, paragraph.style, row.where, in_table=True):
                self.warnings.not_placed(row.where, paragraph.text, "a row that is not an "
                                         "action, a recommendation, its Comments from "
                                         "Service or a not-applicable note")

    def not_applicable_action(self, text: str, where: str) -> None:
        assert self.current is not None
        self.action_rows.actions.append(ActionDraft(self.current.ref, where, action=text,
                                                    status=Status.NOT_APPLICABLE))
        self.mode = Mode.ACTIONS

    # -- the result ---------------------------------------------------------------

    def result(self) -> WordImport:
        self.finish_tables()
        return build_plan(self.file_name, self.settings, self.recs, self.action_rows.actions,
                          self.action_tables, self.warnings)

