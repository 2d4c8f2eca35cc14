"""Build templates/report.docx, the docxtpl template for the Word report.

    python tools/build_docx_template.py [--output templates/report.docx]

templates/report.docx is the source of truth: communications staff restyle
it in Word (styles, spacing, wording around the tags) and that file is what
make-report uses and ships. This script is how developers make the template
afresh and the record of what every tag means; running it overwrites comms
staff's edits. tests/render/test_docx_template_builder.py checks that the
shipped .docx still has every tag this script writes and every style it uses
(not that the bytes match), so a tag added here must also be typed into the
shipped template in Word, or the template rebuilt here and restyled
(docs/restyling.md).

Every Jinja tag is written as ONE run: docxtpl cannot read a tag that Word has
split across runs. Colours that come from templates/brand.toml (heading and
wordmark colour, table-header text colour) are applied to the named styles at
render time by wfs_reports.render.docx, so the brand file stays the one place
to change colours; fills use ``{% cellbg %}`` for the same reason.

Context fields used (built by wfs_reports.render.docx from ReportContext):
    title, heading, meeting, meeting_date, as_at, prepared_by, classification,
    provenance, organisation, strapline, logo, summary_sentence,
    accent_fill, key[] {fill, label}, boxes[] {fill, count, label}, rag_note[],
    comment_label ("Why this RAG:", before each computed comment),
    exceptions[] {number, action, message}, summary_rows[]
    {heading, not_applicable_note, counts[], total, bar}, summary_total {…same…},
    progress (None without earlier snapshots) {heading, intro, caption,
    table_caption, picture (an image with alt text), rows[] {label, counts[],
    total}},
    changes (None when there is no earlier report) {previous_as_at,
    groups[] {title, caption, entries[] {number, action, detail}}},
    recommendations[] {heading, caption, text,
    comments_from_service[], actions[] {number ("3.2"), action, owners, completion_date,
    comments, computed_comment, rag_fill, rag_label, override (None or
    "Officer override"), trend (None or "↓ worse")}}

``bar`` and ``trend`` are ready-made runs ({{r …}}): the bar is one shaded run
per RAG status holding its mark and count, so it reads without colour.
"""

from __future__ import annotations

import argparse
import pathlib
import tomllib

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph

ROOT = pathlib.Path(__file__).resolve().parent.parent
FONT = "Arial"  # the PDF uses Liberation Sans, metric-compatible with Arial
LANG = "en-GB"
SYSTEM_GREY = "505a5f"  # GOV.UK secondary text: 7:1 on white
MARGIN = Mm(20)
HEADER_DISTANCE = Mm(10)
TEXT_WIDTH = Emu(Mm(210) - 2 * MARGIN)  # A4 portrait

# Action table: Action widest, RAG narrow but wide enough for
# "On target but with minor issues" in two lines.
ACTION_COLUMNS = [
    ("No.", 0.07),
    ("Action", 0.27),
    ("Owner(s)", 0.14),
    ("Completion Date", 0.14),
    ("Comments", 0.24),
    ("RAG Status", 0.14),
]


# ---------------------------------------------------------------- low level


def _el(tag: str, **attrs: str) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _set_lang(rpr) -> None:
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = _el("w:lang", val=LANG, eastAsia=LANG, bidi="ar-SA")
    # CT_RPr order: lang comes after color/sz/... and before eastAsianLayout etc.
    successors = {qn(t) for t in ("w:eastAsianLayout", "w:specVanish", "w:oMath")}
    for i, child in enumerate(rpr):
        if child.tag in successors:
            rpr.insert(i, lang)
            return
    rpr.append(lang)


def _explicit_font(rfonts) -> None:
    """Replace theme-font references with Arial, so the look survives theme changes."""
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), FONT)


def _add_run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    return run


def _para(container, text: str = "", style: str | None = None, **run_format) -> Paragraph:
    paragraph = container.add_paragraph(style=style)
    if text:
        _add_run(paragraph, text, **run_format)
    return paragraph


def _tag(container, tag: str) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag (removed at render)."""
    return _para(container, tag)


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES); Word and LibreOffice compute its value."""
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", fldCharType="begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} \\* MERGEFORMAT "
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", fldCharType="end"))


# ---------------------------------------------------------------- package + styles


def _drop_stale_parts(doc) -> None:
    """python-docx's default package carries a thumbnail of a blank page and a
    stylesWithEffects copy that would shadow our styles in Word 2010."""
    stale = (
        "relationships/metadata/thumbnail",
        "relationships/stylesWithEffects",
    )
    for part in (doc.part.package, doc.part):
        for rid, rel in list(part.rels.items()):
            if rel.reltype.endswith(stale):
                del part.rels[rid]


def _configure_styles(doc, brand: dict) -> None:
    styles_el = doc.styles.element
    # Document defaults: Arial 10pt, en-GB, modest spacing.
    rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _explicit_font(rpr_default.find(qn("w:rFonts")))
    for size_tag in ("w:sz", "w:szCs"):
        rpr_default.find(qn(size_tag)).set(qn("w:val"), "20")
    _set_lang(rpr_default)
    ppr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "259")

    # No style may pull in the theme's Calibri/Cambria.
    for rfonts in styles_el.iter(qn("w:rFonts")):
        _explicit_font(rfonts)

    settings = doc.settings.element
    for theme_lang in settings.iter(qn("w:themeFontLang")):
        theme_lang.set(qn("w:val"), LANG)
        theme_lang.attrib.pop(qn("w:eastAsia"), None)

    primary = RGBColor.from_string(brand["primary"].lstrip("#"))
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)

    headings = {"Heading 1": 16, "Heading 2": 13, "Heading 3": 11, "Title": 18}
    for name, size in headings.items():
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        # Colour is re-applied from brand.toml at render time; this is the default.
        style.font.color.theme_color = None  # drops the theme link (and any colour) ...
        style.font.color.rgb = primary  # ... so set the brand colour after it
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(14 if name != "Heading 3" else 10)
        style.paragraph_format.space_after = Pt(6)
    title_ppr = doc.styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)

    def paragraph_style(name: str, size: float, **fmt) -> None:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = fmt.get("bold", False)
        style.font.italic = fmt.get("italic", False)
        if "colour" in fmt:
            style.font.color.rgb = RGBColor.from_string(fmt["colour"])
        pf = style.paragraph_format
        pf.space_before = Pt(fmt.get("before", 0))
        pf.space_after = Pt(fmt.get("after", 0))
        pf.line_spacing = 1.0

    paragraph_style("Wordmark", 18, bold=True, colour=brand["primary"].lstrip("#"))
    paragraph_style("Strapline", 10, colour=SYSTEM_GREY, after=12)
    paragraph_style("Title Block", 10, after=2)
    paragraph_style("Table Text", 9, after=3)
    # RAG labels: bold from the style; the colour comes per RAG from rules.toml.
    paragraph_style("RAG Label", 9, bold=True, after=0)
    # The trend under a RAG label ("↓ worse"): same colour as the label, not bold.
    paragraph_style("RAG Trend", 8, before=2, after=0)
    paragraph_style("Table Title", 9, bold=True, before=6, after=3)
    # The summary's count boxes: the mark and count large, the label under it.
    paragraph_style("Count", 16, bold=True, after=0)
    paragraph_style("Count Label", 8.5, bold=True, after=0)
    for name in ("Count", "Count Label"):
        doc.styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.styles["Table Title"].paragraph_format.keep_with_next = True
    paragraph_style("Table Heading", 9, bold=True, after=0,
                    colour=brand["accent_text"].lstrip("#"))
    paragraph_style("System Comment", 9, italic=True, colour=SYSTEM_GREY, after=3)
    paragraph_style("Provenance", 8, colour=SYSTEM_GREY)

    for name in ("Header", "Footer"):
        style = doc.styles[name] if name in [s.name for s in doc.styles] else None
        if style is None:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
        style.font.size = Pt(8.5)
        style.font.color.rgb = RGBColor.from_string(SYSTEM_GREY)
        style.paragraph_format.space_after = Pt(0)
        # Only the right-hand tab set in page_setup: Word's default centre tab
        # would catch the classification half-way along the line.
        for tabs in style.element.get_or_add_pPr().findall(qn("w:tabs")):
            tabs.getparent().remove(tabs)

    # en-GB on every paragraph/character style we use, not only the defaults,
    # so Word's proofing language is right even if someone edits the defaults.
    used = ["Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet",
            "Wordmark", "Strapline", "Title Block", "Table Text", "Table Heading", "RAG Label",
            "RAG Trend", "Table Title", "System Comment", "Provenance", "Header", "Footer",
            "Count", "Count Label"]
    for name in used:
        style = doc.styles[name]
        _set_lang(style.element.get_or_add_rPr())


# ---------------------------------------------------------------- tables


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = _el("w:shd", val="clear", color="auto", fill=fill)
    # CT_TcPr order: tcW, gridSpan, vMerge, tcBorders, shd, noWrap, tcMar, ...
    following = {qn(t) for t in ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                                 "w:vAlign", "w:hideMark")}
    for child in tc_pr:
        if child.tag in following:
            child.addprevious(shd)
            return
    tc_pr.append(shd)


def _table(
    doc, brand: dict, columns: list[tuple[str, float]], caption: str, description: str
) -> Table:
    """A full-width, fixed-layout table with a repeating, unsplittable header row."""
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout: column widths are the template's, not the text's
    widths = [Twips(int(TEXT_WIDTH.twips * share)) for _, share in columns]
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(w.twips for w in widths)))
    for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(width.twips))
    # A little air inside cells; tblCellMar sits just before tblLook in tblPr.
    margins = _el("w:tblCellMar")
    for side, width in (("top", 45), ("left", 85), ("bottom", 45), ("right", 85)):
        margins.append(_el(f"w:{side}", w=str(width), type="dxa"))
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    # Accessibility: Word's "Alt Text" for tables. Must be the last tblPr children.
    tbl_pr.append(_el("w:tblCaption", val=caption))
    tbl_pr.append(_el("w:tblDescription", val=description))
    table._widths = widths  # remembered for rows added later
    header = table.rows[0]
    _row_flags(header, header=True)
    for cell, (label, _), width in zip(header.cells, columns, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.style = doc.styles["Table Heading"]
        paragraph.paragraph_format.keep_with_next = True  # header stays with row 1
        # Also shade the template itself, so the white header text is readable
        # while editing; cellbg replaces this fill at render time.
        _shade(cell, brand["accent"].lstrip("#"))
        if label:
            _add_run(paragraph, "{% cellbg accent_fill %}")
            _add_run(paragraph, label)
    return table


def _row_flags(row, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(_el("w:cantSplit"))  # schema order: cantSplit before tblHeader
    if header:
        tr_pr.append(_el("w:tblHeader"))


def _add_row(table: Table, style: str = "Table Text"):
    row = table.add_row()
    _row_flags(row)
    for cell, width in zip(row.cells, table._widths, strict=True):
        cell.width = width
        cell.paragraphs[0].style = table.part.document.styles[style]
    return row


def _loop_row(table: Table, tag: str) -> None:
    """A row holding only a ``{%tr %}`` tag; docxtpl removes the whole row."""
    row = _add_row(table)
    _add_run(row.cells[0].paragraphs[0], tag)


def _cell_paragraph(cell, text: str = "", style: str = "Table Text", **fmt) -> Paragraph:
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].runs else cell.add_paragraph()
    paragraph.style = cell.part.document.styles[style]
    if text:
        _add_run(paragraph, text, **fmt)
    return paragraph


def _rag_cell(cell, fill: str, label: str, trend: str | None = None,
              override: str | None = None) -> None:
    """Cell filled with the RAG colour (cellbg) showing mark + label (RichText),
    and, when set at render time, "Officer override" and the trend, each on a
    line of its own."""
    paragraph = _cell_paragraph(cell, style="RAG Label")
    _add_run(paragraph, "{% cellbg " + fill + " %}")
    _add_run(paragraph, "{{r " + label + " }}")
    if override:
        _cell_paragraph(cell, "{%p if " + override + " %}", style="RAG Trend")
        _cell_paragraph(cell, "{{r " + override + " }}", style="RAG Trend")
        _cell_paragraph(cell, "{%p endif %}", style="RAG Trend")
    if trend:
        _cell_paragraph(cell, "{%p if " + trend + " %}", style="RAG Trend")
        _cell_paragraph(cell, "{{r " + trend + " }}", style="RAG Trend")
        _cell_paragraph(cell, "{%p endif %}", style="RAG Trend")


# ---------------------------------------------------------------- document parts


def page_setup(doc, *, landscape: bool = False, margin=MARGIN, text_width=TEXT_WIDTH,
               distance=HEADER_DISTANCE, header: str = "{{ title }}") -> None:
    """A4 page, margins, and the running header and footer both templates share."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = margin
    section.header_distance = section.footer_distance = distance

    # As in the PDF: the title on the left, the classification on the right;
    # the provenance on the left of the footer, the page number on the right.
    running = section.header
    running.is_linked_to_previous = False
    paragraph = running.paragraphs[0]
    paragraph.style = doc.styles["Header"]
    paragraph.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    _add_run(paragraph, header, bold=True)
    _add_run(paragraph, "\t{{ classification }}")

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles["Footer"]
    paragraph.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    _add_run(paragraph, "{{ provenance }}\tPage ")
    _add_field(paragraph, "PAGE")
    _add_run(paragraph, " of ")
    _add_field(paragraph, "NUMPAGES")


def title_lines(doc, lines: list[tuple[str, str, str]], *, bold_values: tuple[str, ...] = ()
                ) -> None:
    """'Label: value' lines of the title block, each only when its field is set."""
    for field, label, value in lines:
        _tag(doc, "{%p if " + field + " %}")
        paragraph = _para(doc, label, style="Title Block", bold=True)
        _add_run(paragraph, value, bold=field in bold_values)
        _tag(doc, "{%p endif %}")


def _title_block(doc) -> None:
    # The logo, or else the text wordmark and its strapline (as in the PDF).
    _tag(doc, "{%p if logo %}")
    _para(doc, "{{ logo }}", style="Wordmark")
    _tag(doc, "{%p else %}")
    _para(doc, "{{ organisation }}", style="Wordmark")
    _tag(doc, "{%p if strapline %}")
    _para(doc, "{{ strapline }}", style="Strapline")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endif %}")

    _para(doc, "{{ heading or title }}", style="Heading 1")

    lines = [
        ("meeting", "Meeting: ", "{{ meeting }}"),
        ("meeting_date", "Meeting date: ", "{{ meeting_date }}"),
        ("as_at", "Position as at ", "{{ as_at }}"),
        ("prepared_by", "Prepared by: ", "{{ prepared_by }}"),
        ("classification", "Classification: ", "{{ classification }}"),
    ]
    title_lines(doc, lines)
    # The officer's own words for the Board (Report setting "Summary for the
    # Board"), under the heading, before the figures; one paragraph each.
    _tag(doc, "{%p for paragraph in board_summary %}")
    _para(doc, "{{ paragraph }}")
    _tag(doc, "{%p endfor %}")
    _para(doc, "")  # air between the title block and the RAG key


def _rag_key(doc, brand: dict) -> None:
    table = _table(
        doc,
        brand,
        [("", 0.16), ("", 0.28), ("", 0.28), ("", 0.28)],
        caption="RAG key",
        description="The three RAG statuses used in this report, with their colours.",
    )
    cells = table.rows[0].cells
    for cell in cells:  # not a header row: no accent shading
        tc_pr = cell._tc.tcPr
        tc_pr.remove(tc_pr.find(qn("w:shd")))
    cells[0].paragraphs[0].style = doc.styles["Table Text"]
    _add_run(cells[0].paragraphs[0], "RAG Status", bold=True)
    for i in range(3):
        cells[i + 1].paragraphs[0].style = doc.styles["RAG Label"]
        _add_run(cells[i + 1].paragraphs[0], "{% cellbg key[" + str(i) + "].fill %}")
        _add_run(cells[i + 1].paragraphs[0], "{{r key[" + str(i) + "].label }}")
    # The key is one row, not a header row to repeat.
    tr_pr = table.rows[0]._tr.trPr
    tr_pr.remove(tr_pr.find(qn("w:tblHeader")))
    _para(doc, "")


def _summary(doc, brand: dict) -> None:
    _para(doc, "Summary", style="Heading 2")
    _para(doc, "{{ summary_sentence }}")

    # The count boxes: each RAG's mark and count, then its label; then the total.
    boxes = _table(
        doc,
        brand,
        [("", 0.25), ("", 0.25), ("", 0.25), ("", 0.25)],
        caption="RAG totals",
        description="How many actions are at each RAG status, and how many are counted.",
    )
    cells = boxes.rows[0].cells
    for cell in cells:  # not a header row: no accent shading
        tc_pr = cell._tc.tcPr
        tc_pr.remove(tc_pr.find(qn("w:shd")))
    for i in range(3):
        count = cells[i].paragraphs[0]
        count.style = doc.styles["Count"]
        _add_run(count, "{% cellbg boxes[" + str(i) + "].fill %}")
        _add_run(count, "{{r boxes[" + str(i) + "].count }}")
        label = _cell_paragraph(cells[i], style="Count Label")
        _add_run(label, "{{r boxes[" + str(i) + "].label }}")
    _shade(cells[3], "f3f2f1")
    cells[3].paragraphs[0].style = doc.styles["Count"]
    _add_run(cells[3].paragraphs[0], "{{ summary_total.total }}")
    _cell_paragraph(cells[3], "Actions counted", style="Count Label")
    tr_pr = boxes.rows[0]._tr.trPr
    tr_pr.remove(tr_pr.find(qn("w:tblHeader")))

    _para(doc, "By recommendation", style="Heading 3")
    columns = [("Recommendation", 0.22), ("", 0.13), ("", 0.13), ("", 0.13),
               ("Actions", 0.09), ("At a glance", 0.30)]
    table = _table(
        doc,
        brand,
        columns,
        caption="RAG summary",
        description="Number of actions by RAG status for each recommendation and overall, "
        "with a bar whose parts show each status's mark and count.",
    )
    header = table.rows[0].cells
    for i in range(3):
        _add_run(header[i + 1].paragraphs[0], "{% cellbg key[" + str(i) + "].fill %}")
        _add_run(header[i + 1].paragraphs[0], "{{r key[" + str(i) + "].label }}")
    _loop_row(table, "{%tr for s in summary_rows %}")
    row = _add_row(table).cells
    _cell_paragraph(row[0], "{{ s.heading }}", bold=True)
    _cell_paragraph(row[0], "{%p if s.not_applicable_note %}")
    _cell_paragraph(row[0], "{{ s.not_applicable_note }}", style="System Comment")
    _cell_paragraph(row[0], "{%p endif %}")
    for i in range(3):
        _cell_paragraph(row[i + 1], "{{ s.counts[" + str(i) + "] }}")
    _cell_paragraph(row[4], "{{ s.total }}")
    _cell_paragraph(row[5], "{{r s.bar }}")
    _loop_row(table, "{%tr endfor %}")
    row = _add_row(table).cells
    _cell_paragraph(row[0], "All recommendations", bold=True)
    for i in range(3):
        _cell_paragraph(row[i + 1], "{{ summary_total.counts[" + str(i) + "] }}", bold=True)
    _cell_paragraph(row[4], "{{ summary_total.total }}", bold=True)
    _cell_paragraph(row[5], "{{r summary_total.bar }}")
    for r in table.rows[2:]:
        for cell in r.cells[1:5]:
            for p in cell.paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _para(
        doc,
        "Each bar shows a recommendation’s counted actions by RAG status; the mark and "
        "number in each part name the status, so the bar reads in black and white.",
        style="Provenance",
    ).paragraph_format.space_before = Pt(3)

    _progress(doc, brand)
    _changes(doc, brand)

    _para(doc, "How RAG is calculated", style="Heading 3")
    _tag(doc, "{%p for note in rag_note %}")
    _para(doc, "{{ note }}")
    _tag(doc, "{%p endfor %}")

    _para(doc, "Exceptions", style="Heading 3")
    _tag(doc, "{%p if exceptions %}")
    table = _table(
        doc,
        brand,
        [("No.", 0.08), ("Action", 0.46), ("Issue", 0.46)],
        caption="Exceptions",
        description="Missed actions, unreadable or unconfirmed dates, overrides and "
        "stale updates: each action's number, its text and the issue.",
    )
    _loop_row(table, "{%tr for e in exceptions %}")
    row = _add_row(table).cells
    _cell_paragraph(row[0], "{{ e.number }}", bold=True)
    _cell_paragraph(row[1], "{{ e.action }}")
    _cell_paragraph(row[2], "{{ e.message }}")
    _loop_row(table, "{%tr endfor %}")
    _tag(doc, "{%p else %}")
    _para(doc, "No exceptions.")
    _tag(doc, "{%p endif %}")


def _progress(doc, brand: dict) -> None:
    """Progress over time: only when earlier reports were found (as in the PDF)."""
    _tag(doc, "{%p if progress %}")
    _para(doc, "{{ progress.heading }}", style="Heading 3")
    _para(doc, "{{ progress.intro }}").paragraph_format.keep_with_next = True
    picture = _para(doc, "{{ progress.picture }}")
    picture.paragraph_format.keep_with_next = True
    _para(doc, "{{ progress.caption }}", style="Table Title")
    table = _table(
        doc,
        brand,
        [("Report as at", 0.28), ("", 0.19), ("", 0.19), ("", 0.19), ("Actions counted", 0.15)],
        caption="{{ progress.table_caption }}",
        description="The number of counted actions at each RAG status at each report, "
        "oldest first: the numbers the picture above shows.",
    )
    header = table.rows[0].cells
    for i in range(3):
        _add_run(header[i + 1].paragraphs[0], "{% cellbg key[" + str(i) + "].fill %}")
        _add_run(header[i + 1].paragraphs[0], "{{r key[" + str(i) + "].label }}")
    _loop_row(table, "{%tr for p in progress.rows %}")
    row = _add_row(table).cells
    _cell_paragraph(row[0], "{{ p.label }}", bold=True)
    for i in range(3):
        _cell_paragraph(row[i + 1], "{{ p.counts[" + str(i) + "] }}").alignment = \
            WD_ALIGN_PARAGRAPH.CENTER
    _cell_paragraph(row[4], "{{ p.total }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    _loop_row(table, "{%tr endfor %}")
    _tag(doc, "{%p endif %}")


def _changes(doc, brand: dict) -> None:
    """What changed since the last report: only when there was one (as in the PDF)."""
    _tag(doc, "{%p if changes %}")
    _para(doc, "Changes since the last report", style="Heading 3")
    _para(doc, "Compared with the report as at {{ changes.previous_as_at }}.")
    _tag(doc, "{%p for g in changes.groups %}")
    _para(doc, "{{ g.title }} ({{ g.entries|length }})", style="Table Title")
    table = _table(
        doc,
        brand,
        [("No.", 0.08), ("Action", 0.57), ("Change", 0.35)],
        caption="{{ g.caption }}",
        description="The action's number and text and what changed, for each action in "
        "this group, compared with the last report.",
    )
    _loop_row(table, "{%tr for item in g.entries %}")
    row = _add_row(table).cells
    _cell_paragraph(row[0], "{{ item.number }}", bold=True)
    _cell_paragraph(row[1], "{{ item.action }}")
    _cell_paragraph(row[2], "{{ item.detail }}")
    _loop_row(table, "{%tr endfor %}")
    _tag(doc, "{%p else %}")
    _para(doc, "No changes since the last report.")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")


def _recommendations(doc, brand: dict) -> None:
    # A setting comms staff may change: a recommendation with no Comments from
    # Service still shows the label, as the original report does; false leaves
    # the label out when there are none.
    _tag(doc, "{%p set comments_label_when_empty = true %}")
    _tag(doc, "{%p for rec in recommendations %}")
    _para(doc, "{{ rec.heading }}", style="Heading 2")
    _para(doc, "{{ rec.text }}").paragraph_format.keep_with_next = True
    _tag(doc, "{%p if rec.comments_from_service or comments_label_when_empty %}")
    _para(doc, "Comments from Service:", bold=True).paragraph_format.keep_with_next = True
    _tag(doc, "{%p for para in rec.comments_from_service %}")
    _para(doc, "{{ para }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")

    table = _table(
        doc,
        brand,
        ACTION_COLUMNS,
        # Jinja in an attribute value: docxtpl renders it like any other text.
        caption="{{ rec.caption }}",
        description="Action, owners, completion date, comments and RAG status for "
        "each action under {{ rec.heading }}.",
    )
    _loop_row(table, "{%tr for a in rec.actions %}")
    cells = _add_row(table).cells
    _cell_paragraph(cells[0], "{{ a.number }}", bold=True)
    _cell_paragraph(cells[1], "{{ a.action }}")
    _cell_paragraph(cells[2], "{{ a.owners }}")
    _cell_paragraph(cells[3], "{{ a.completion_date }}")
    # Officer's words first, untouched; the computed sentence after, in its own
    # style, after its label ("Why this RAG:").
    _cell_paragraph(cells[4], "{%p if a.comments %}")
    _cell_paragraph(cells[4], "{{ a.comments }}")
    _cell_paragraph(cells[4], "{%p endif %}")
    # The label in bold upright type, as in the PDF; each tag in one run.
    label = _cell_paragraph(cells[4], style="System Comment")
    _add_run(label, "{% if a.computed_comment %}{{ comment_label }}", bold=True).italic = False
    _add_run(label, " {{ a.computed_comment }}{% endif %}")
    _rag_cell(cells[5], "a.rag_fill", "a.rag_label", "a.trend", "a.override")
    _loop_row(table, "{%tr endfor %}")
    _tag(doc, "{%p endfor %}")
    # Ends the body with a paragraph, not a table (Word would add one itself);
    # render_docx keeps the last table's last row with it, so it never stands
    # alone on the last page.
    _para(doc, "End of report.", style="Provenance").paragraph_format.space_before = Pt(12)


def build(output: pathlib.Path, brand_file: pathlib.Path) -> None:
    brand = tomllib.loads(brand_file.read_text(encoding="utf-8"))
    doc = Document()
    _drop_stale_parts(doc)
    _configure_styles(doc, brand)
    page_setup(doc)
    _title_block(doc)
    _rag_key(doc, brand)
    _summary(doc, brand)
    _recommendations(doc, brand)

    save_template(doc, output, brand, title="WFS Action Plan Update (template)",
                  subject="docxtpl template for wfs-reports")


def save_template(doc, output: pathlib.Path, brand: dict, *, title: str, subject: str) -> None:
    """The template's document properties, then the file."""
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.author = brand.get("organisation", "")
    props.last_modified_by = ""
    # No braces here: docxtpl renders core properties as Jinja templates.
    props.comments = ("Edit styles and wording freely; keep each template tag in one "
                      "piece (retype a tag rather than editing part of it).")
    props.language = LANG
    props.keywords = ""
    output.parent.mkdir(parents=True, exist_ok=True)
    doc.save(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=pathlib.Path, default=ROOT / "templates" / "report.docx")
    parser.add_argument("--brand", type=pathlib.Path, default=ROOT / "templates" / "brand.toml")
    args = parser.parse_args()
    build(args.output, args.brand)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
