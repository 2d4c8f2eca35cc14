"""Word files in the original WFS Action Plan Update's layout, built for the tests.

The text is the reference report's (shared/reference/wfs-action-plan-update.txt),
as transcribed in tools/build_sample_workbook.py; the layout is the original's:
a coloured RAG key, recommendations as paragraphs before their own table or as
full-width merged rows inside one long table, "Comments from Service:" in a
row or as paragraphs, the header row repeated, spacer rows, paragraphs in
cells, a full-width "Not applicable ..." row, the old template's placeholders
and RAG cells coloured by hand.

``Layout`` picks how each part is written, so the tests can build many
variants of the same report; ``expected(plan)`` is what an import must give.
"""

from __future__ import annotations

import importlib.util
import random
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parents[1]
TITLE = "WFS Action Plan Update"
HEADING = "Workforce Shortages Across the Health and Social Care Sector Action Plan Update"
HEADER = ("Action", "Owner(s)", "Completion Date", "Comments", "RAG Status")
COMMENTS_PLACEHOLDER = "Insert any relevant comments"
RAG_PLACEHOLDER = "Add colour for RAG status"

# Word's standard colours and hand-picked ones "close to them".
GREEN, AMBER, RED = "00B050", "FFC000", "FF0000"
NEAR = {
    "green": ("00B050", "00B04F", "92D050", "00A550", "00703C", "C6EFCE", "70AD47"),
    "amber": ("FFC000", "FFC001", "FFBF00", "FF9900", "FFD966", "FFFF00", "ED7D31"),
    "red": ("FF0000", "FE0000", "C00000", "E60000", "FF5050", "D4351C"),
}
STATUS_OF = {"green": "Completed", "amber": "In progress", "red": "In progress", None: ""}


def _sample_module():
    spec = importlib.util.spec_from_file_location(
        "build_sample_workbook", ROOT / "tools" / "build_sample_workbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class WordAction:
    paragraphs: list[str]  # the action text, one entry per paragraph in the cell
    owners: str = ""
    completion_date: str = ""
    comments: str = ""  # "" is the placeholder (or nothing) in the Word file
    colour: str | None = None  # "green" | "amber" | "red" | None
    not_applicable: bool = False  # a full-width "Not applicable ..." row

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def status(self) -> str:
        return "Not applicable" if self.not_applicable else STATUS_OF[self.colour]


@dataclass
class WordRecommendation:
    ref: int
    text: str
    narrative: list[str] = field(default_factory=list)
    actions: list[WordAction] = field(default_factory=list)


def reference_plan() -> list[WordRecommendation]:
    """The reference report's nine recommendations and fourteen actions."""
    sample = _sample_module()
    narratives = {6: sample.R6_COMMENTS_FROM_SERVICE.split("\n\n")}
    # The one progress comment the reference itself gives (recommendation 6, first action).
    comments = {(6, 0): sample.ACTIONS[7]["comments"]}
    plan = [WordRecommendation(ref, text, narratives.get(ref, []))
            for ref, text, _narrative in sample.RECOMMENDATIONS]
    by_ref = {rec.ref: rec for rec in plan}
    for item in sample.ACTIONS:
        rec = by_ref[item["ref"]]
        index = len(rec.actions)
        not_applicable = item["status"] == "Not applicable"
        rec.actions.append(WordAction(
            paragraphs=item["action"].split("\n\n"),
            owners=item["owners"],
            completion_date=item["due"],
            comments=comments.get((rec.ref, index), ""),
            not_applicable=not_applicable,
        ))
    return plan


def coloured_reference_plan() -> list[WordRecommendation]:
    """The reference with RAG cells coloured by hand: 1 green, 2 amber, 1 red."""
    plan = reference_plan()
    by_ref = {rec.ref: rec for rec in plan}
    by_ref[3].actions[0].colour = "green"
    by_ref[1].actions[0].colour = "amber"
    by_ref[6].actions[0].colour = "amber"
    by_ref[7].actions[0].colour = "red"
    return plan


# ---------------------------------------------------------------- layout


@dataclass
class Layout:
    """How each part of the report is written. ``choose`` picks per recommendation."""

    long_table_from: int = 3  # recommendations from this one run on in one long table
    new_table_at: tuple[int, ...] = (4,)  # ... except that a new table starts here
    # full-width rows: gridspan | hmerge | first-cell (no merge) | label-cell (the label
    # in the first cell, the rest merged)
    merge: str = "gridspan"
    comments_label: str = "row"  # in the long table: "row" | "with-heading" (same cell)
    repeat_header: bool = True
    spacer_rows: tuple[int, ...] = (4,)  # an empty row before these recommendations
    page_breaks: tuple[int, ...] = (2, 4, 7)  # a running header + new table before these
    split_comment: bool = True  # recommendation 6's long comment runs on into a second row
    header_in_section: bool = True  # the title in the page header (else as a body paragraph)
    placeholders: bool = True
    colours: dict[str, str] = field(default_factory=lambda: {"green": GREEN, "amber": AMBER,
                                                             "red": RED})
    shading: str = "cell"  # cell | theme | solid-pattern | paragraph | highlight
    paragraphs_in_cells: bool = True  # recommendation 8's row has every cell as <p>

    @classmethod
    def random(cls, seed: int) -> Layout:
        rng = random.Random(seed)
        return cls(
            long_table_from=rng.choice((1, 2, 3, 5, 10)),
            new_table_at=tuple(sorted(rng.sample(range(2, 10), rng.randint(0, 3)))),
            merge=rng.choice(("gridspan", "hmerge", "first-cell", "label-cell")),
            comments_label=rng.choice(("row", "with-heading")),
            repeat_header=rng.random() < 0.8,
            spacer_rows=tuple(sorted(rng.sample(range(2, 10), rng.randint(0, 3)))),
            page_breaks=tuple(sorted(rng.sample(range(2, 10), rng.randint(0, 3)))),
            split_comment=rng.random() < 0.5,
            header_in_section=rng.random() < 0.7,
            placeholders=rng.random() < 0.7,
            colours={name: rng.choice(NEAR[name]) for name in NEAR},
            shading=rng.choice(("cell", "cell", "theme", "solid-pattern", "paragraph",
                                "highlight")),
            paragraphs_in_cells=rng.random() < 0.5,
        )


def _shade(cell, name: str, colour: str, how: str) -> None:
    if how == "paragraph":
        ppr = cell.paragraphs[0]._p.get_or_add_pPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), colour)
        ppr.append(shd)
        return
    if how == "highlight":
        highlight = {"green": "green", "amber": "yellow", "red": "red"}[name]
        run = cell.paragraphs[0].add_run(" ")
        run._r.get_or_add_rPr().append(_element("w:highlight", {"w:val": highlight}))
        return
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    if how == "solid-pattern":
        shd.set(qn("w:val"), "solid")
        shd.set(qn("w:color"), colour)
        shd.set(qn("w:fill"), "auto")
    else:
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), colour)
        if how == "theme":
            # python-docx's default document carries the Office 2007 theme: accent3 is
            # green, accent6 orange, accent2 red. Word also writes a hex value beside the
            # theme colour; here it is deliberately stale, so only the theme can be right.
            theme = {"green": "accent3", "amber": "accent6", "red": "accent2"}[name]
            if theme:
                shd.set(qn("w:themeFill"), theme)
                shd.set(qn("w:fill"), "FFFFFF")
    tc_pr.append(shd)


def _element(tag: str, attributes: dict[str, str]):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(name), value)
    return element


def _set_paragraphs(cell, paragraphs: list[str]) -> None:
    cell.paragraphs[0].text = paragraphs[0] if paragraphs else ""
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


def _full_width(table, paragraphs: list[str], how: str) -> None:
    row = table.add_row()
    cells = row.cells
    if how == "gridspan":
        merged = cells[0].merge(cells[-1])
        _set_paragraphs(merged, paragraphs)
    elif how == "hmerge":
        _set_paragraphs(cells[0], paragraphs)
        for index, cell in enumerate(cells):
            value = {"w:val": "restart"} if index == 0 else {}
            cell._tc.get_or_add_tcPr().append(_element("w:hMerge", value))
    elif how == "label-cell" and len(paragraphs) > 1:
        # The label ("Recommendation 3", "Comments from Service:") in the first
        # cell, what it labels merged across the others.
        _set_paragraphs(cells[0], paragraphs[:1])
        _set_paragraphs(cells[1].merge(cells[-1]), paragraphs[1:])
    else:
        _set_paragraphs(cells[0], paragraphs)


def _header_row(table) -> None:
    row = table.add_row()
    for cell, text in zip(row.cells, HEADER, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def build_word_report(path: Path, plan: list[WordRecommendation],
                      layout: Layout | None = None) -> Path:
    """Write ``plan`` as a Word report in the original layout; return ``path``."""
    layout = layout or Layout()
    document = docx.Document()
    if layout.header_in_section:
        document.sections[0].header.paragraphs[0].text = TITLE
    else:
        document.add_paragraph(TITLE)

    key = document.add_table(rows=1, cols=4)
    key.style = "Table Grid"
    labels = ("RAG Status", "Completed Action", "On target but with minor issues",
              "Missed target requires action")
    for cell, label in zip(key.rows[0].cells, labels, strict=True):
        cell.text = label
    for cell, name in zip(key.rows[0].cells[1:], ("green", "amber", "red"), strict=True):
        _shade(cell, name, layout.colours[name], "cell")
    document.add_paragraph("")
    document.add_heading(HEADING, level=1)

    table = None
    for rec in plan:
        in_long_table = rec.ref >= layout.long_table_from and table is not None \
            and rec.ref not in layout.new_table_at
        if rec.ref in layout.page_breaks:
            document.add_paragraph(TITLE)  # the running header, as a text export shows it
            if in_long_table:
                table = document.add_table(rows=0, cols=5)
                table.style = "Table Grid"
        if rec.ref in layout.spacer_rows and in_long_table:
            table.add_row()
        if in_long_table:
            heading = [f"Recommendation {rec.ref}", rec.text]
            if layout.comments_label == "with-heading":
                _full_width(table, heading + ["Comments from Service:"], layout.merge)
            else:
                _full_width(table, heading, layout.merge)
                if not (rec.narrative and layout.merge == "label-cell"):
                    _full_width(table, ["Comments from Service:"], layout.merge)
            if rec.narrative and layout.merge == "label-cell":
                _full_width(table, ["Comments from Service:", *rec.narrative], layout.merge)
            elif rec.narrative:
                _full_width(table, rec.narrative, layout.merge)
        else:
            document.add_paragraph(f"Recommendation {rec.ref}")
            document.add_paragraph(rec.text)
            document.add_paragraph("Comments from Service:")
            for paragraph in rec.narrative:
                document.add_paragraph(paragraph)
            table = document.add_table(rows=0, cols=5)
            table.style = "Table Grid"
        if layout.repeat_header or not in_long_table:
            _header_row(table)
        for index, action in enumerate(rec.actions):
            if action.not_applicable:
                _full_width(table, action.paragraphs, layout.merge)
                continue
            row = table.add_row()
            cells = row.cells
            placeholder = layout.placeholders and index == 0
            _set_paragraphs(cells[0], action.paragraphs)
            comment = action.comments or (COMMENTS_PLACEHOLDER if placeholder else "")
            split = layout.split_comment and len(comment) > 200
            first, rest = _split(comment) if split else (comment, "")
            values = (action.owners, action.completion_date, first,
                      RAG_PLACEHOLDER if placeholder else "")
            for cell, value in zip(cells[1:], values, strict=True):
                if layout.paragraphs_in_cells and rec.ref == 8:
                    cell.paragraphs[0].text = value
                else:
                    cell.text = value
            if action.colour:
                _shade(cells[4], action.colour, layout.colours[action.colour], layout.shading)
            if rest:
                # The row runs over a page: the text export shows the running header
                # and the rest of the comment in a row of its own.
                document.add_paragraph(TITLE)
                table = document.add_table(rows=0, cols=5)
                table.style = "Table Grid"
                more = table.add_row().cells
                more[3].text = rest
    path = Path(path)
    document.core_properties.title = TITLE
    document.save(path)
    return path


def _split(text: str) -> tuple[str, str]:
    """Cut mid-sentence at a space, as a page break cuts a long cell."""
    middle = len(text) // 2
    cut = text.rfind(" ", 0, middle)
    while cut > 0 and text[cut - 1] in ".!?:;":
        cut = text.rfind(" ", 0, cut - 1)
    return text[:cut], text[cut + 1:]
