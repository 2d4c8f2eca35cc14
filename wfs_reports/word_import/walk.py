"""The document walk: the body in order, as paragraphs and table rows.

Paragraphs and tables are read in body order, looking through content
controls and custom XML. A table row's cells carry their grid column and span
(horizontally merged cells, old-style and new, are one cell), whether they are
vertically merged, their paragraphs' text and styles, and the colour they show.
A table inside a cell gives its paragraphs to that cell. This module only
reads; what the rows mean is the reader's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from wfs_reports.word_import.colours import Colours, cell_colour
from wfs_reports.word_import.ooxml import local, w
from wfs_reports.word_import.vocabulary import PLACEHOLDER_KEYS, key

# Elements whose text is not the paragraph's text: deleted or moved-away
# revisions, field instructions, and drawings (text boxes are held twice,
# once per alternative).
_SKIPPED = {"delText", "instrText", "del", "moveFrom", "drawing", "pict", "AlternateContent",
            "object", "pPr", "rPr", "fldChar", "commentReference", "footnoteReference",
            "endnoteReference", "txbxContent"}


def _run_text(element, out: list[str]) -> None:
    for child in element:
        name = local(child.tag)
        if name in _SKIPPED:
            continue
        if name == "t":
            out.append(child.text or "")
        elif name == "tab":
            out.append("\t")
        elif name in ("br", "cr"):
            out.append("\n")
        elif name == "noBreakHyphen":
            out.append("-")
        else:
            _run_text(child, out)


def paragraph_text(paragraph) -> str:
    """A w:p's text: line breaks as "\\n", deleted revisions and field codes left out."""
    out: list[str] = []
    _run_text(paragraph, out)
    text = "".join(out).replace("\r", "\n")
    return "\n".join(line.strip() for line in text.strip().split("\n")).strip()


def style_of(paragraph) -> str:
    ppr = paragraph.find(w("pPr"))
    style = ppr.find(w("pStyle")) if ppr is not None else None
    return style.get(w("val"), "") if style is not None else ""


@dataclass
class Paragraph:
    text: str
    style: str


@dataclass
class Cell:
    grid: int  # first grid column, from 0
    span: int
    paragraphs: list[Paragraph]
    colour: str | None  # the shading shown, hex, or None
    vmerge: str | None  # "restart", "continue" or None

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.paragraphs if p.text]

    @property
    def text(self) -> str:
        return "\n\n".join(self.texts)


@dataclass
class Row:
    table: int  # 1-based, in document order
    number: int  # 1-based within its table
    cells: list[Cell]

    @property
    def where(self) -> str:
        return f"table {self.table}, row {self.number}"

    @property
    def filled(self) -> list[Cell]:
        return [c for c in self.cells if c.text]


@dataclass
class BodyParagraph:
    number: int
    paragraph: Paragraph

    @property
    def where(self) -> str:
        return f"paragraph {self.number}"


def _blocks(container) -> Iterator:
    """Block-level children in order, looking through content controls and custom XML."""
    for child in container:
        name = local(child.tag)
        if name in ("p", "tbl"):
            yield child
        elif name in ("sdt", "customXml"):
            content = child.find(w("sdtContent")) if name == "sdt" else child
            if content is not None:
                yield from _blocks(content)


def _children(element, wanted: str) -> Iterator:
    for child in element:
        name = local(child.tag)
        if name == wanted:
            yield child
        elif name in ("sdt", "customXml"):
            content = child.find(w("sdtContent")) if name == "sdt" else child
            if content is not None:
                yield from _children(content, wanted)


def _cell_paragraphs(tc) -> list[Paragraph]:
    paragraphs = []
    for block in _blocks(tc):
        if local(block.tag) == "p":
            text = paragraph_text(block)
            if key(text) in PLACEHOLDER_KEYS:
                text = ""
            paragraphs.append(Paragraph(text, style_of(block)))
        else:  # a table inside a cell: its cells' paragraphs, in order
            for tr in _children(block, "tr"):
                for inner in _children(tr, "tc"):
                    paragraphs.extend(_cell_paragraphs(inner))
    return paragraphs


def _number(text: str | None, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


def _rows(tbl, table_number: int, colours: Colours) -> Iterator[Row]:
    for number, tr in enumerate(_children(tbl, "tr"), start=1):
        tr_pr = tr.find(w("trPr"))
        before = tr_pr.find(w("gridBefore")) if tr_pr is not None else None
        grid = _number(before.get(w("val")), 0) if before is not None else 0
        cells: list[Cell] = []
        for tc in _children(tr, "tc"):
            tc_pr = tc.find(w("tcPr"))
            span_el = tc_pr.find(w("gridSpan")) if tc_pr is not None else None
            span = max(_number(span_el.get(w("val")), 1), 1) if span_el is not None else 1
            hmerge = tc_pr.find(w("hMerge")) if tc_pr is not None else None
            vmerge_el = tc_pr.find(w("vMerge")) if tc_pr is not None else None
            vmerge = None
            if vmerge_el is not None:
                vmerge = vmerge_el.get(w("val"), "continue")
            paragraphs = _cell_paragraphs(tc)
            colour = cell_colour(tc, colours)
            if (hmerge is not None and hmerge.get(w("val"), "continue") == "continue"
                    and cells):
                # A legacy horizontal merge: this cell is part of the one before.
                cells[-1].span += span
                cells[-1].paragraphs.extend(p for p in paragraphs if p.text)
            else:
                cells.append(Cell(grid, span, paragraphs, colour, vmerge))
            grid += span
        yield Row(table_number, number, cells)


@dataclass
class TableStart:
    """A table begins: the rows that follow are its own."""

    number: int  # 1-based, in document order


def walk(document, colours: Colours) -> Iterator[BodyParagraph | TableStart | Row]:
    """The body in order: paragraphs, and each table's start followed by its rows."""
    paragraph_number = table_number = 0
    for block in _blocks(document.element.body):
        if local(block.tag) == "p":
            paragraph_number += 1
            yield BodyParagraph(paragraph_number,
                                Paragraph(paragraph_text(block), style_of(block)))
        else:
            table_number += 1
            yield TableStart(table_number)
            yield from _rows(block, table_number, colours)
