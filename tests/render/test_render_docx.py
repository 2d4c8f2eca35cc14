"""The Word report: read the rendered .docx back with python-docx and check it."""

from __future__ import annotations

import dataclasses
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from factories import HOSTILE_TEXT, MINOR, MISSED, make_action, make_context, with_progress
from fontTools.ttLib import TTFont

from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.trend import Trend
from wfs_reports.render.docx import BAR_UNITS, render_docx
from wfs_reports.report.view import ChangeItem, Changes, RagCount

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "report.docx"
# Metric-compatible with Arial, the template's font: widths as Word lays them out.
LIBERATION_SANS = TEMPLATE.with_name("fonts") / "LiberationSans-Regular.ttf"
EXCEPTIONS_HEADER = ["No.", "Action", "Issue"]
ACTION_HEADER = ["No.", "Action", "Owner(s)", "Completion Date", "Comments", "RAG Status"]
KEY_ROW = [
    "RAG Status",
    "Completed Action",
    "On target but with minor issues",
    "Missed target requires action",
]


def render(context=None) -> bytes:
    return render_docx(context or make_context(), TEMPLATE)


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def document():
    return open_docx(render())


def header_texts(table) -> list[str]:
    return [cell.text for cell in table.rows[0].cells]


def action_tables(document) -> list:
    return [t for t in document.tables if header_texts(t) == ACTION_HEADER]


def shading(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def with_comments(comments: str, **overrides):
    context = make_context()
    rec = context.recommendations[0]
    first = dataclasses.replace(rec.actions[0], comments=comments, **overrides)
    rec = dataclasses.replace(rec, actions=(first, *rec.actions[1:]))
    return dataclasses.replace(context, recommendations=(rec, *context.recommendations[1:]))


# ---------------------------------------------------------------- tables


def test_one_action_table_per_recommendation_with_exact_header(document):
    context = make_context()
    tables = action_tables(document)
    assert len(tables) == len(context.recommendations)
    for table, rec in zip(tables, context.recommendations, strict=True):
        assert len(table.rows) == 1 + len(rec.actions)
        assert [row.cells[0].text for row in table.rows[1:]] == [a.number for a in rec.actions]
        assert [row.cells[1].text for row in table.rows[1:]] == [a.action for a in rec.actions]


def test_action_header_row_repeats_and_rows_do_not_split(document):
    for table in action_tables(document):
        header_pr = table.rows[0]._tr.trPr
        assert header_pr.find(qn("w:tblHeader")) is not None
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
        for row in table.rows[1:]:
            assert row._tr.trPr.find(qn("w:tblHeader")) is None


def test_action_header_row_uses_brand_accent(document):
    accent = make_context().brand.accent.lstrip("#").lower()
    for table in action_tables(document):
        assert all(shading(cell).lower() == accent for cell in table.rows[0].cells)
        assert all(run.text.strip() == "" or p.style.name == "Table Heading"
                   for cell in table.rows[0].cells for p in cell.paragraphs for run in p.runs)


def test_tables_have_caption_and_description(document):
    for number, table in enumerate(action_tables(document), start=1):
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("w:tblCaption")).get(qn("w:val")) == (
            f"Actions for Recommendation {number}"
        )
        assert f"Recommendation {number}" in tbl_pr.find(qn("w:tblDescription")).get(qn("w:val"))


def test_rag_cells_are_filled_and_labelled(document):
    context = make_context()
    actions = [a for rec in context.recommendations for a in rec.actions]
    rows = [row for table in action_tables(document) for row in table.rows[1:]]
    assert len(rows) == len(actions)
    for row, action in zip(rows, actions, strict=True):
        cell = row.cells[5]
        # The label, and under it "Officer override" when the RAG is the officer's.
        override = ["Officer override"] if action.rag_source == "override" else []
        assert [p.text for p in cell.paragraphs] == [f"{action.rag.mark} {action.rag.label}",
                                                     *override]
        assert cell.paragraphs[0].style.name == "RAG Label"  # bold, from the template
        expected_fill = action.rag.fill.lstrip("#").lower() or "auto"
        assert shading(cell).lower() == expected_fill
        colours = {r.font.color.rgb for p in cell.paragraphs for r in p.runs if r.text}
        assert {str(c).lower() for c in colours} == {action.rag.text_colour.lstrip("#").lower()}


def test_rag_key_table_matches_reference(document):
    context = make_context()
    key = next(t for t in document.tables if t.rows[0].cells[0].text == "RAG Status")
    assert len(key.rows) == 1
    cells = key.rows[0].cells
    labels = [cells[0].text] + [cell.text.split(" ", 1)[1] for cell in cells[1:]]
    assert labels == KEY_ROW
    for cell, style in zip(key.rows[0].cells[1:], context.rag_key, strict=True):
        assert shading(cell).lower() == style.fill.lstrip("#").lower()
        assert style.mark in cell.text


def summary_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "Recommendation")


def test_summary_counts_per_recommendation_and_overall(document):
    summary = summary_table(document)
    assert header_texts(summary)[4:] == ["Actions", "At a glance"]
    assert [c.split(" ", 1)[1] for c in header_texts(summary)[1:4]] == KEY_ROW[1:]
    body = [[cell.text for cell in row.cells[:5]] for row in summary.rows[1:]]
    assert body == [
        ["Recommendation 1", "1", "0", "1", "2"],
        ["Recommendation 2\n+ 1 not applicable", "0", "1", "0", "1"],
        ["All recommendations", "1", "1", "1", "3"],
    ]
    assert summary._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == "RAG summary"


def test_summary_sentence_and_count_boxes(document):
    text = [p.text for p in document.paragraphs]
    assert "3 actions counted across 2 recommendations; 1 marked not applicable (not " \
        "counted)." in text
    boxes = next(t for t in document.tables if t.rows[0].cells[-1].text.endswith("counted"))
    assert [c.text for c in boxes.rows[0].cells] == [
        "● 1\nCompleted Action", "▲ 1\nOn target but with minor issues",
        "■ 1\nMissed target requires action", "3\nActions counted"]
    assert [shading(c).lower() for c in boxes.rows[0].cells[:3]] == [
        "00703c", "ffdd00", "d4351c"]


def bar_runs(cell) -> list[tuple[str, str | None]]:
    """(text, fill) of each run in a summary bar cell, text without its padding."""
    runs = []
    for run in cell.paragraphs[0].runs:
        if run.text.strip():
            shd = run._r.rPr.find(qn("w:shd")) if run._r.rPr is not None else None
            runs.append((run.text.strip(), None if shd is None else shd.get(qn("w:fill"))))
    return runs


def test_summary_bar_shows_each_status_by_mark_and_count(document):
    bars = [bar_runs(row.cells[5]) for row in summary_table(document).rows[1:]]
    assert bars == [
        [("● 1", "00703c"), ("■ 1", "d4351c")],
        [("▲ 1", "ffdd00")],
        [("● 1", "00703c"), ("▲ 1", "ffdd00"), ("■ 1", "d4351c")],
    ]
    # Each part carries its status's text colour (white on green/red, black on yellow).
    cell = summary_table(document).rows[1].cells[5]
    colours = [str(r.font.color.rgb).lower() for r in cell.paragraphs[0].runs if r.text.strip()]
    assert colours == ["ffffff", "ffffff"]


def width_in_spaces(text: str) -> float:
    """How wide ``text`` is in Arial's metrics, in widths of a space."""
    with TTFont(LIBERATION_SANS, lazy=True) as font:
        glyphs, advances = font.getBestCmap(), font["hmtx"]
        return sum(advances[glyphs[ord(ch)]][0] for ch in text) / advances[glyphs[32]][0]


def test_summary_bar_is_proportional_and_every_bar_ends_level():
    context = make_context()
    summary = context.summary
    lopsided = dataclasses.replace(
        summary.per_recommendation[0],
        counts=(RagCount(summary.counts[0].rag, 1), RagCount(MINOR, 0), RagCount(MISSED, 9)),
        total=10,
    )
    empty = dataclasses.replace(
        summary.per_recommendation[1],
        counts=tuple(RagCount(c.rag, 0) for c in summary.counts), total=0,
    )
    context = dataclasses.replace(
        context, summary=dataclasses.replace(summary, per_recommendation=(lopsided, empty)))
    rows = summary_table(open_docx(render(context))).rows[1:]
    small, large = [r.text for r in rows[0].cells[5].paragraphs[0].runs if r.text.strip()]
    assert small.strip() == "● 1" and large.strip() == "■ 9"
    assert len(large) > 2 * len(small)
    assert rows[1].cells[5].text == "No counted actions"
    # Padding carries its rounding along, so every bar ends at the same place,
    # within half a space, measured in the font's own metrics.
    for row in (rows[0], rows[2]):
        assert abs(width_in_spaces(row.cells[5].text) - BAR_UNITS) <= 0.5, row.cells[5].text
    # A bar never ends with padding (LibreOffice would not draw it).
    assert not rows[0].cells[5].text.endswith(" ")


# ---------------------------------------------------------------- against the last report


def with_previous(changes: Changes | None = None):
    """make_context() as if compared with an earlier report: trends and changes."""
    context = make_context()
    trends = {2: (Trend.NEW, None), 3: (Trend.WORSE, MINOR), 4: (Trend.SAME, MINOR),
              5: (Trend.SAME, None)}
    recs = []
    for rec in context.recommendations:
        actions = tuple(
            dataclasses.replace(a, trend=trends[a.row][0], rag_previous=trends[a.row][1])
            for a in rec.actions
        )
        recs.append(dataclasses.replace(rec, actions=actions))
    if changes is None:
        changes = Changes(
            previous_as_at="1 September 2023",
            previous_file="WFS Action Plan Update - 2023-09-01.json",
            new=(ChangeItem(1, 2, "Stage 1: develop a core data set.", "Completed Action",
                            number="1.1"),),
            completed=(),
            slipped=(ChangeItem(2, 4, "x" * 20, "31 March 2024 → 30 June 2024", number="2.1"),),
            rag_changes=(ChangeItem(
                1, 3, "Action on row 3",
                "On target but with minor issues → Missed target requires action (worse)",
                number="1.2"),),
            removed=(ChangeItem(3, None, HOSTILE_TEXT, "was Completed Action", number="3.4",
                                previous_row=9),),
        )
    return dataclasses.replace(context, recommendations=tuple(recs), changes=changes)


@pytest.fixture(scope="module")
def compared():
    return open_docx(render(with_previous()))


def test_rag_cells_show_the_trend_under_the_label(compared):
    context = with_previous()
    actions = [a for rec in context.recommendations for a in rec.actions]
    rows = [row for table in action_tables(compared) for row in table.rows[1:]]
    cells = [row.cells[5] for row in rows]
    overrides = [["Officer override"] if a.rag_source == "override" else [] for a in actions]
    assert [[p.text for p in cell.paragraphs] for cell in cells] == [
        [f"{a.rag.mark} {a.rag.label}", *override, a.trend_text]
        for a, override in zip(actions, overrides, strict=True)
    ]
    assert [cell.paragraphs[-1].text for cell in cells] == [
        "+ new", "↓ worse", "→ same", "→ same"]
    for cell, action in zip(cells, actions, strict=True):
        trend = cell.paragraphs[-1]
        assert trend.style.name == "RAG Trend"
        assert trend.style.font.bold is not True  # the label is bold, the trend is not
        colours = {str(r.font.color.rgb).lower() for r in trend.runs if r.text}
        assert colours == {action.rag.text_colour.lstrip("#").lower()}


def test_no_trend_line_without_an_earlier_report(document):
    for table in action_tables(document):
        for row in table.rows[1:]:
            texts = [p.text for p in row.cells[5].paragraphs]
            assert not any(t.split(" ")[0] in ("+", "↑", "↓", "→") for t in texts[1:]), texts


def change_tables(document) -> list:
    return [t for t in document.tables
            if header_texts(t) == ["No.", "Action", "Change"]]


def test_changes_section_lists_each_group_in_the_html_order(compared):
    texts = [p.text for p in compared.paragraphs]
    heading = texts.index("Changes since the last report")
    assert compared.paragraphs[heading].style.name == "Heading 3"
    # Where the PDF has it: after the summary, before "How RAG is calculated".
    assert texts.index("Summary") < heading < texts.index("How RAG is calculated")
    # The snapshot's file name is the officer's (JSON), not the Board's.
    assert texts[heading + 1] == "Compared with the report as at 1 September 2023."
    titles = [t for t in texts[heading:texts.index("How RAG is calculated")] if "(" in t]
    assert titles == ["RAG changes (1)", "Slipped: due date moved later (1)",
                      "New actions (1)", "No longer in the workbook (1)"]
    tables = change_tables(compared)
    assert [[[c.text for c in row.cells] for row in t.rows[1:]] for t in tables] == [
        [["1.2", "Action on row 3",
          "On target but with minor issues → Missed target requires action (worse)"]],
        [["2.1", "x" * 20, "31 March 2024 → 30 June 2024"]],
        [["1.1", "Stage 1: develop a core data set.", "Completed Action"]],
        [["3.4", HOSTILE_TEXT, "was Completed Action"]],
    ]
    for table, title in zip(tables, ["RAG changes", "Slipped: due date moved later",
                                     "New actions", "No longer in the workbook"], strict=True):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == (
            f"Changes since the last report: {title}")
        assert table._tbl.tblPr.find(qn("w:tblDescription")) is not None


def test_changes_with_nothing_changed_says_so():
    nothing = Changes("1 September 2023", "last.json", (), (), (), (), ())
    document = open_docx(render(with_previous(nothing)))
    texts = [p.text for p in document.paragraphs]
    heading = texts.index("Changes since the last report")
    assert texts[heading + 2] == "No changes since the last report."
    assert not change_tables(document)


def test_no_changes_section_without_an_earlier_report(document):
    assert "Changes since the last report" not in all_text(document)
    assert not change_tables(document)


def test_compared_report_is_deterministic():
    assert render(with_previous()) == render(with_previous())


def test_exceptions_listed_and_none_says_so(document):
    # The action by its number and full text; its workbook cell is the officer's.
    exceptions = next(t for t in document.tables if header_texts(t) == EXCEPTIONS_HEADER)
    assert [c.text for c in exceptions.rows[1].cells] == [
        "1.2",
        "Action on row 3",
        "Due 31 March 2024 (Q4 2023-24); 10 days overdue.",
    ]
    assert "Actions!D3" not in all_text(document)
    empty = open_docx(render(dataclasses.replace(make_context(), exceptions=())))
    assert "No exceptions." in [p.text for p in empty.paragraphs]
    assert not [t for t in empty.tables if header_texts(t) == EXCEPTIONS_HEADER]


def test_rag_note_is_listed(document):
    texts = [p.text for p in document.paragraphs]
    for note in make_context().rag_note:
        assert note in texts


# ---------------------------------------------------------------- headings, title block


def test_recommendation_headings_use_heading_style(document):
    headings = [p for p in document.paragraphs if p.text.startswith("Recommendation ")]
    assert [p.text for p in headings] == ["Recommendation 1", "Recommendation 2"]
    assert all(p.style.name == "Heading 2" for p in headings)
    main = next(p for p in document.paragraphs if p.text == make_context().heading)
    assert main.style.name == "Heading 1"


def test_title_block_lines(document):
    texts = [p.text for p in document.paragraphs]
    for line in (
        "Tower Hamlets Together",
        "Meeting: Tower Hamlets Together Board",
        "Meeting date: 7 December 2023",
        "Position as at 22 November 2023",
        "Prepared by: Workforce Programme Team",
        "Classification: Open (Unrestricted)",
    ):
        assert line in texts


def test_blank_title_block_lines_are_omitted():
    context = dataclasses.replace(make_context(), meeting="", meeting_date="",
                                  prepared_by="", classification="")
    texts = [p.text for p in open_docx(render(context)).paragraphs]
    assert not [t for t in texts if t.startswith(("Meeting", "Prepared by", "Classification"))]
    assert "Position as at 22 November 2023" in texts
    assert "" not in texts[:4]  # no empty paragraphs left where the lines were


def test_comments_from_service_paragraphs(document):
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Recommendation 2")
    assert texts[start + 2 : start + 5] == [
        "Comments from Service:",
        "First paragraph <b>not bold</b>.",
        "Second paragraph.",
    ]


# ---------------------------------------------------------------- header / footer


def test_running_header_and_footer(document):
    section = document.sections[0]
    # As in the PDF: title and classification; provenance and page number.
    assert [p.text for p in section.header.paragraphs] == [
        "WFS Action Plan Update\tOpen (Unrestricted)"]
    footer_xml = section.footer._element.xml
    instructions = [i.text.split()[0] for i in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer_xml.count('w:fldCharType="begin"') == 2
    footer_text = "\n".join(p.text for p in section.footer.paragraphs)
    assert re.fullmatch(r"Position as at 22 November 2023 · Source: action_plan\.xlsx · "
                        r"SHA-256 000000000000\tPage \d+ of \d+", footer_text), footer_text


def test_page_is_a4_portrait(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


# ---------------------------------------------------------------- text is data


def test_hostile_text_appears_literally(document):
    text = all_text(document)
    assert HOSTILE_TEXT in text
    assert "49" not in text.replace("SHA-256", "")
    assert "&amp;" not in text and "&lt;" not in text


@pytest.mark.parametrize("field", ["action", "owners", "completion_date", "computed_comment"])
def test_hostile_text_in_any_field(field):
    context = with_comments("", **{field: HOSTILE_TEXT})
    assert HOSTILE_TEXT in all_text(open_docx(render(context)))


def test_hostile_text_in_title_and_source_file():
    context = dataclasses.replace(make_context(), title=HOSTILE_TEXT, source_file="a{_{b}_}&c.xlsx")
    document = open_docx(render(context))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == f"{HOSTILE_TEXT}\tOpen (Unrestricted)"
    assert "Source: a{_{b}_}&c.xlsx" in section.footer.paragraphs[0].text
    assert document.core_properties.title == HOSTILE_TEXT


def test_line_breaks_and_paragraphs_kept(document):
    first = action_tables(document)[0].rows[1]
    assert first.cells[1].text == "Stage 1: develop a core data set.\nSecond line & more"
    assert first.cells[1]._tc.xml.count("<w:br/>") == 1
    context = with_comments("Para one, line 1\nline 2\n\nPara two.")
    cell = action_tables(open_docx(render(context)))[0].rows[1].cells[4]
    assert [p.text for p in cell.paragraphs] == [
        "Para one, line 1\nline 2",
        "Para two.",
        "Why this RAG: Marked completed.",
    ]


def test_officer_comment_verbatim_and_system_comment_distinct(document):
    cell = action_tables(document)[0].rows[1].cells[4]
    officer, system = cell.paragraphs
    assert officer.text == "Data set agreed.\nShared with partners."
    assert officer.style.name == "Table Text"
    # Labelled in a Board member's words, not "System:".
    assert system.text == "Why this RAG: Marked completed."
    assert system.style.name == "System Comment"
    assert system.style.font.italic is True


def test_xml_invalid_control_characters_do_not_break_the_document():
    context = with_comments("bell\x07 form\x0c feed\x00 tab\tkept")
    cell = action_tables(open_docx(render(context)))[0].rows[1].cells[4]
    assert cell.paragraphs[0].text == "bell form feed tab\tkept"


# ---------------------------------------------------------------- metadata, determinism


def test_core_properties(document):
    props = document.core_properties
    context = make_context()
    assert props.title == "WFS Action Plan Update"
    assert props.subject == context.heading
    assert props.author == "Workforce Programme Team"
    assert props.language == "en-GB"
    assert props.revision == 1
    for value in (props.created, props.modified, props.last_printed):
        assert value.isoformat().startswith("2023-11-22T00:00:00")


def test_author_falls_back_to_organisation():
    context = dataclasses.replace(make_context(), prepared_by="")
    assert open_docx(render(context)).core_properties.author == "Tower Hamlets Together"


def test_language_is_en_gb_in_styles(document):
    styles = document.styles.element
    default_lang = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default_lang.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    for name in ("Normal", "Heading 1", "Heading 2", "Table Text"):
        rpr = document.styles[name].element.rPr
        assert rpr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    assert "en-US" not in styles.xml


def test_body_font_is_arial(document):
    assert document.styles["Normal"].font.name == "Arial"
    assert 10 <= document.styles["Normal"].font.size.pt <= 11


def test_two_renders_are_byte_identical():
    first, second = render(), render()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(2023, 11, 22, 0, 0, 0)}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}


def test_different_context_gives_different_bytes():
    assert render() != render(dataclasses.replace(make_context(), as_at="23 November 2023"))


# ---------------------------------------------------------------- logo


def _png(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + b"\x00\x5e\xb8" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_logo_with_alt_text_replaces_wordmark(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    context = make_context()
    brand = dataclasses.replace(context.brand, logo=str(logo), logo_alt="THT logo & <mark>")
    data = render(dataclasses.replace(context, brand=brand))
    document = open_docx(data)
    doc_prs = list(document.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"))
    assert [d.get("descr") for d in doc_prs] == ["THT logo & <mark>"]
    assert "Tower Hamlets Together" not in [p.text for p in document.paragraphs[:2]]
    assert data == render(dataclasses.replace(context, brand=brand))


def test_the_progress_picture_has_its_name_and_alt_text():
    context = with_progress(make_context())
    document = open_docx(render(context))
    doc_prs = list(document.element.body.iter(qn("wp:docPr")))
    assert [(d.get("name"), d.get("descr")) for d in doc_prs] == [
        ("Progress over time", context.progress.alt_text)]


def test_a_logo_the_template_puts_in_the_header_has_its_alt_text(tmp_path):
    (tmp_path / "logo.png").write_bytes(_png())
    template = tmp_path / "report.docx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(template, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/header1.xml":
                assert b"{{ title }}" in data
                data = data.replace(b"{{ title }}", b"{{ logo }}{{ title }}", 1)
            dst.writestr(info, data)
    context = make_context()
    brand = dataclasses.replace(context.brand, logo="logo.png", logo_alt="Council logo")
    data = render_docx(dataclasses.replace(context, brand=brand), template)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        header = archive.read("word/header1.xml").decode("utf-8")
    assert re.findall(r"<wp:docPr [^>]*>", header) == [
        '<wp:docPr id="1" name="Logo" descr="Council logo"/>']


def test_action_rows_render_in_order_for_many_actions():
    context = make_context()
    rec = dataclasses.replace(context.recommendations[0],
                              actions=tuple(make_action(r, 1) for r in range(2, 42)))
    context = dataclasses.replace(context, recommendations=(rec,))
    table = action_tables(open_docx(render(context)))[0]
    assert [row.cells[1].text for row in table.rows[1:]] == [
        f"Action on row {r}" for r in range(2, 42)
    ]


# ---------------------------------------------------------------- template mistakes


def _edited_template(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the template with document.xml text replaced (as if edited in Word)."""
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(TEMPLATE) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            dst.writestr(info, data)
    return path


@pytest.mark.parametrize("broken", ["{{ a.owners", "{{ a.ownerz }}"])
def test_broken_template_tag_is_a_clear_error(tmp_path, broken):
    template = _edited_template(tmp_path, "{{ a.owners }}", broken)
    with pytest.raises(ReportError, match="Word template could not be used"):
        render_docx(make_context(), template)


def test_an_edited_template_is_used_at_once_never_an_earlier_compilation(tmp_path):
    before = all_text(open_docx(render()))
    edited = _edited_template(tmp_path, "{{ summary_sentence }}",
                              "Edited here: {{ summary_sentence }}")
    after = all_text(open_docx(render_docx(make_context(), edited)))
    assert "Edited here:" not in before
    assert "Edited here: " + make_context().summary_sentence in after


def test_unreadable_logo_is_a_clear_error(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"not an image")
    template = tmp_path / "report.docx"
    template.write_bytes(TEMPLATE.read_bytes())
    context = make_context()
    brand = dataclasses.replace(context.brand, logo="logo.png", logo_alt="Logo")
    with pytest.raises(ReportError, match="logo"):
        render_docx(dataclasses.replace(context, brand=brand), template)


def test_template_may_be_a_traversable(tmp_path):
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(TEMPLATE, "templates/report.docx")
    assert render_docx(make_context(), zipfile.Path(bundle, "templates/report.docx")) == render()


def test_a_broken_template_is_reported(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    for item in TEMPLATE.parent.iterdir():
        if item.is_file():
            (folder / item.name).write_bytes(item.read_bytes())
    broken = _edited_template(tmp_path, "{{ a.owners }}", "{{ a.owners")
    (folder / "report.docx").write_bytes(broken.read_bytes())
    with pytest.raises(ReportError, match="Word template could not be used"):
        render_docx(make_context(), folder / "report.docx")


def test_a_template_edited_between_runs_renders_the_edit(tmp_path):
    # Compiled template code is kept between runs (Jinja's bytecode cache),
    # keyed by the template's text: an edit is never rendered from stale code.
    before = all_text(open_docx(render()))
    assert "Comments from Service" in before
    edited = _edited_template(tmp_path, "Comments from Service", "Service comments")
    text = all_text(open_docx(render_docx(make_context(), edited)))
    assert "Service comments" in text and "Comments from Service" not in text
    assert all_text(open_docx(render())) == before


def test_renders_where_the_compiled_code_cannot_be_kept(tmp_path, monkeypatch):
    # No safe private cache folder (something else holds its name): the same file.
    import os
    import tempfile

    expected = render()
    (tmp_path / f"_jinja2-cache-{os.getuid()}").write_text("not a folder")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert tempfile.gettempdir() == str(tmp_path)
    assert render() == expected
