"""Build templates/update_request.docx, the docxtpl template for each owner's form.

    python tools/build_request_template.py [--output templates/update_request.docx]

The form an owner fills in before the Board: the report's title, the meeting,
the reply-by date, then a table of their open actions. Each action's row starts
with its number and text (3.2 Recruit the first cohort) and ends with three
Word content controls for the owner to fill in: Status now (a drop-down of the
rules' statuses), New completion date (plain text) and Your update (rich text,
several paragraphs). Each control's tag names the field and the action
(wfs_reports.domain.reply_tags), so make-report --replies can read the form
back; its title (alias) is the field's heading. It shares the report template's styles (see
build_docx_template.py), is landscape so the eight columns have room, and is
accessible as the report is: a title, British English, real headings, a
table caption and a header row repeated on every page.

As with the report template, templates/update_request.docx is the source of
truth: comms staff may edit it in Word (each Jinja tag is one run, so keep
each tag in one piece), and this script makes it afresh, overwriting such
edits. tests/render/test_docx_template_builder.py checks the shipped .docx
has every tag this script writes and every style it uses.

Context fields used (built by wfs_reports.render.request_form):
    title, owner, organisation, meeting, meeting_date, reply_by, as_at,
    prepared_by, classification, provenance, intro, count_heading, accent_fill,
    items[] {identity, recommendation, completion_date, reading, status,
    comments, rag_fill, rag_label, why, needed, status_tag, date_tag,
    update_tag}
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import tomllib

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from build_docx_template import (  # noqa: E402 - the report template's own building blocks
    _add_row,
    _add_run,
    _cell_paragraph,
    _configure_styles,
    _drop_stale_parts,
    _el,
    _loop_row,
    _para,
    _row_flags,
    _shade,
    _tag,
    page_setup,
    save_template,
    title_lines,
)

from wfs_reports.domain.reply_tags import ReplyField  # noqa: E402
from wfs_reports.workbook.contract import STATUSES  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARGIN = Mm(15)
TEXT_WIDTH = Emu(Mm(297) - 2 * MARGIN)  # A4 landscape

# The recommendation heads the action's cell: a column of its own would be
# too narrow for the word "Recommendation".
# The last three are the owner's, one content control each.
COLUMNS = [
    ("Action", 0.20),
    ("Completion date", 0.09),
    ("Status", 0.075),
    ("Last comment", 0.12),
    ("RAG status and why", 0.11),
    ("What is needed", 0.10),
    (ReplyField.STATUS.heading, 0.085),
    (ReplyField.DATE.heading, 0.08),
    (ReplyField.UPDATE.heading, 0.14),
]
# Room to write in each row's "Your update" cell.
UPDATE_ROW_HEIGHT = Twips(1400)
PLACEHOLDER_STYLE = "Placeholder Text"  # Word's own name for it (style id PlaceholderText)


def _title_block(doc) -> None:
    _tag(doc, "{%p if organisation %}")
    _para(doc, "{{ organisation }}", style="Wordmark")
    _tag(doc, "{%p endif %}")
    _para(doc, "Update request: {{ owner }}", style="Heading 1")
    lines = [
        ("title", "Report: ", "{{ title }}"),
        ("meeting", "Meeting: ", "{{ meeting }}"),
        ("meeting_date", "Meeting date: ", "{{ meeting_date }}"),
        ("reply_by", "Please reply by: ", "{{ reply_by }}"),
        ("as_at", "Position as at ", "{{ as_at }}"),
        ("prepared_by", "From: ", "{{ prepared_by }}"),
    ]
    title_lines(doc, lines, bold_values=("reply_by",))


def _table(doc, brand: dict):
    """Full width, fixed layout, the header row repeated on every page."""
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Twips(int(TEXT_WIDTH.twips * share)) for _, share in COLUMNS]
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(w.twips for w in widths)))
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths,
                               strict=True):
        grid_col.set(qn("w:w"), str(width.twips))
    margins = _el("w:tblCellMar")
    for side, width in (("top", 45), ("left", 85), ("bottom", 45), ("right", 85)):
        margins.append(_el(f"w:{side}", w=str(width), type="dxa"))
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    tbl_pr.append(_el("w:tblCaption", val="Your open actions"))
    tbl_pr.append(_el("w:tblDescription", val="Each open action: its number and text and "
                      "its recommendation, the completion date as written and as read, status, "
                      "last comment, RAG status and why, what is needed, then three fields for "
                      "you to fill in: status now, new completion date and your update."))
    table._widths = widths
    header = table.rows[0]
    _row_flags(header, header=True)
    for cell, (label, _), width in zip(header.cells, COLUMNS, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.style = doc.styles["Table Heading"]
        paragraph.paragraph_format.keep_with_next = True
        _shade(cell, brand["accent"].lstrip("#"))
        _add_run(paragraph, "{% cellbg accent_fill %}")
        _add_run(paragraph, label)
    return table


def _actions(doc, brand: dict) -> None:
    _para(doc, "What we need from you", style="Heading 2")
    _para(doc, "{{ intro }}")
    _para(doc, "{{ count_heading }}", style="Heading 2")
    table = _table(doc, brand)
    _loop_row(table, "{%tr for item in items %}")
    row = _add_row(table)
    tr_pr = row._tr.get_or_add_trPr()
    # An owner's update may run long: a row that cannot break across pages would
    # be cut off at the foot of the page when printed (the header row repeats).
    tr_pr.remove(tr_pr.find(qn("w:cantSplit")))
    tr_pr.append(_el("w:trHeight", val=str(UPDATE_ROW_HEIGHT.twips), hRule="atLeast"))
    cells = row.cells
    # The row's visible identity comes first, so a form re-saved without its
    # tags (LibreOffice drops them) can still be matched to its action.
    _cell_paragraph(cells[0], "{{ item.identity }}")
    _cell_paragraph(cells[0], "{{ item.recommendation }}", style="System Comment")
    _cell_paragraph(cells[1], "{{ item.completion_date }}")
    _cell_paragraph(cells[1], "{{ item.reading }}", style="System Comment")
    _cell_paragraph(cells[2], "{{ item.status }}")
    _cell_paragraph(cells[3], "{{ item.comments }}")
    rag = _cell_paragraph(cells[4], style="RAG Label")
    _add_run(rag, "{% cellbg item.rag_fill %}")
    _add_run(rag, "{{r item.rag_label }}")
    _cell_paragraph(cells[4], "{{r item.why }}", style="RAG Trend")
    _cell_paragraph(cells[5], "{{ item.needed }}", bold=True)
    _inline_control(cells[6], ReplyField.STATUS, "{{ item.status_tag }}",
                    '<w:dropDownList>' + "".join(
                        f'<w:listItem w:displayText="{s}" w:value="{s}"/>' for s in STATUSES)
                    + "</w:dropDownList>")
    _inline_control(cells[7], ReplyField.DATE, "{{ item.date_tag }}", "<w:text/>")
    _block_control(cells[8], ReplyField.UPDATE, "{{ item.update_tag }}")
    _loop_row(table, "{%tr endfor %}")
    _para(doc, "Thank you. Return this form (or reply to the email it came with) by "
          "{{ reply_by }}.").paragraph_format.space_before = Pt(12)
    _para(doc, "End of form.", style="Provenance")


def _control_properties(field: ReplyField, tag: str, kind: str = "") -> str:
    """w:sdtPr in the schema's order: alias, tag, placeholder flag, then the kind
    (none for rich text, which allows several paragraphs). No w:id: it is
    optional, and Word numbers the controls itself when it saves."""
    return (f"<w:sdtPr><w:alias w:val=\"{field.heading}\"/><w:tag w:val=\"{tag}\"/>"
            f"<w:showingPlcHdr/>{kind}</w:sdtPr>")


def _placeholder_run(field: ReplyField) -> str:
    return (f'<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>'
            f"<w:t>{field.placeholder}</w:t></w:r>")


def _inline_control(cell, field: ReplyField, tag: str, kind: str) -> None:
    """A run-level content control filling the cell's paragraph."""
    paragraph = _cell_paragraph(cell)
    paragraph._p.append(parse_xml(
        f"<w:sdt {nsdecls('w')}>{_control_properties(field, tag, kind)}"
        f"<w:sdtContent>{_placeholder_run(field)}</w:sdtContent></w:sdt>"))


def _block_control(cell, field: ReplyField, tag: str) -> None:
    """A block-level rich-text content control holding the cell's paragraph, so
    the owner may write several paragraphs."""
    paragraph = _cell_paragraph(cell)
    sdt = parse_xml(f"<w:sdt {nsdecls('w')}>{_control_properties(field, tag)}"
                    "<w:sdtContent/></w:sdt>")
    paragraph._p.addprevious(sdt)
    content = sdt.find(qn("w:sdtContent"))
    content.append(paragraph._p)
    paragraph._p.append(parse_xml(_placeholder_run(field).replace("<w:r>",
                                                                   f"<w:r {nsdecls('w')}>", 1)))


def _placeholder_style(doc) -> None:
    """Word's 'Placeholder Text' character style (grey), for the controls' prompts."""
    style = doc.styles.add_style(PLACEHOLDER_STYLE, WD_STYLE_TYPE.CHARACTER)
    style.element.set(qn("w:styleId"), "PlaceholderText")
    style.font.color.rgb = RGBColor(0x59, 0x59, 0x59)  # 7:1 on white, still reads as a prompt


def build(output: pathlib.Path, brand_file: pathlib.Path) -> None:
    brand = tomllib.loads(brand_file.read_text(encoding="utf-8"))
    doc = Document()
    _drop_stale_parts(doc)
    _configure_styles(doc, brand)
    _placeholder_style(doc)
    page_setup(doc, landscape=True, margin=MARGIN, text_width=TEXT_WIDTH, distance=Mm(8),
               header="{{ title }}: update request for {{ owner }}")
    _title_block(doc)
    _actions(doc, brand)
    save_template(doc, output, brand, title="Update request (template)",
                  subject="docxtpl template for wfs-reports update requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=pathlib.Path,
                        default=ROOT / "templates" / "update_request.docx")
    parser.add_argument("--brand", type=pathlib.Path, default=ROOT / "templates" / "brand.toml")
    args = parser.parse_args()
    build(args.output, args.brand)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
