"""An action table's columns: which field each grid column holds.

A header row names them ("Action | Owner(s) | Completion Date | Comments | RAG
Status", or forgiving variants); a table under a recommendation with its
header left out is read in the original report's five usual columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wfs_reports.word_import.vocabulary import HEADER_LOOKUP, USUAL_COLUMNS, header_field, key
from wfs_reports.word_import.walk import Cell, Row


@dataclass
class Columns:
    """An action table's header: grid column ranges by field."""

    fields: list[tuple[int, int, str | None]]  # (first grid column, past-the-end, field)
    names: dict[int, str]  # header text by first grid column, for unknown columns
    width: int  # grid columns the header covers

    def field_of(self, cell: Cell) -> str | None | Literal[False]:
        """The field under ``cell``; None for an unknown column; False beyond the header."""
        for start, end, name in self.fields:
            if start <= cell.grid < end:
                return name
        return False

    def heading_of(self, cell: Cell) -> str:
        """The header text over ``cell`` (a cell within the header's columns)."""
        return self.names.get(next(start for start, end, _n in self.fields
                                   if start <= cell.grid < end), "")


def read_header(row: Row) -> Columns | None:
    """The columns, if ``row`` is an action table's header row: its cells are header
    words, among them the action's and one other field's; None if it is not."""
    found = [(c, header_field(c.text)) for c in row.cells if c.text]
    fields = [name for _c, name in found if name]
    if "action" not in fields or len(set(fields)) < 2 or len(fields) * 2 < len(found):
        return None
    spans = []
    names = {}
    for cell in row.cells:
        name = header_field(cell.text) if cell.text else None
        spans.append((cell.grid, cell.grid + cell.span, name))
        names[cell.grid] = cell.text
    width = max(c.grid + c.span for c in row.cells)
    return Columns(spans, names, width)


def usual_columns() -> Columns:
    """The original report's five columns, one grid column each."""
    names = [HEADER_LOOKUP[key(name)] for name in USUAL_COLUMNS]
    return Columns([(i, i + 1, name) for i, name in enumerate(names)],
                   dict(enumerate(USUAL_COLUMNS)), len(USUAL_COLUMNS))
