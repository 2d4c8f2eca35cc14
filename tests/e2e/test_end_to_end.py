"""The sample workbook, end to end, checked from the files themselves."""

from __future__ import annotations

import hashlib
import io
import json
import re

import docx
import docx.enum.section
import pypdf
import pytest
from factories import SAMPLE, listing, words

from wfs_reports.cli import main

# The reference report's columns, after the action's number ("3.2").
REFERENCE_HEADER = ["No.", "Action", "Owner(s)", "Completion Date", "Comments", "RAG Status"]
STEM = "WFS Action Plan Update - 2023-11-22"


@pytest.fixture(scope="module")
def sample_report(sample_reports):
    """The session's first report of the sample (its fixture checks the workbook is
    left unchanged): (folder, JSON snapshot, Word document, PDF)."""
    out = sample_reports.first(".json").parent
    snapshot = json.loads((out / f"{STEM}.json").read_text(encoding="utf-8"))
    document = docx.Document(str(out / f"{STEM}.docx"))
    pdf = pypdf.PdfReader(str(out / f"{STEM}.pdf"))
    return out, snapshot, document, pdf


def actions(snapshot):
    return [a for rec in snapshot["recommendations"] for a in rec["actions"]]


def test_json_carries_every_recommendation_and_action(sample_report):
    _out, snapshot, _doc, _pdf = sample_report
    assert [r["ref"] for r in snapshot["recommendations"]] == list(range(1, 10))
    assert len(actions(snapshot)) == 14
    assert [len(r["actions"]) for r in snapshot["recommendations"]] == [2, 1, 2, 1, 1, 4, 1, 1, 1]
    assert snapshot["as_at"] == "2023-11-22"
    assert snapshot["source"]["file"] == "action_plan.xlsx"
    assert snapshot["source"]["sha256"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    summary = snapshot["summary"]
    counted = [a for a in actions(snapshot) if a["rag"] != "not_applicable"]
    assert summary["total"] == len(counted)
    for key in ("completed", "minor_issues", "missed"):
        assert summary[key] == sum(1 for a in counted if a["rag"] == key)
        assert summary[key] >= 1, f"the sample should show {key}"


def test_json_reads_the_reference_dates(sample_report):
    _out, snapshot, _doc, _pdf = sample_report
    by_text = {a["completion_date"]: a["due"] for a in actions(snapshot)}
    assert by_text["Stage 1: Q4 2023-24 Stage 2: TBC"] == [
        {"stage": "Stage 1", "kind": "date", "date": "2024-03-31", "text": "Q4 2023-24"},
        {"stage": "Stage 2", "kind": "tbc", "date": None, "text": "TBC"},
    ]
    assert by_text["Q2 and Q3 2023-24"][0]["date"] == "2023-12-31"
    assert by_text["Q2 -2024-25 to increase placements"][0]["date"] == "2024-09-30"
    assert by_text["March 2024"][0]["date"] == "2024-03-31"
    assert by_text["Ongoing"][0]["kind"] == "ongoing"


SYMBOLS = {"completed": "●", "minor_issues": "▲", "missed": "■", "not_applicable": "–"}


def as_in_word(text: str) -> str:
    """A cell's text as python-docx reads it back: a blank line starts a paragraph."""
    return re.sub(r"\n\s*\n", "\n", text)


def test_docx_has_one_reference_table_per_recommendation(sample_report):
    _out, snapshot, document, _pdf = sample_report
    action_tables = [t for t in document.tables
                     if [c.text.strip() for c in t.rows[0].cells] == REFERENCE_HEADER]
    assert len(action_tables) == 9
    # Each row reads as the officer's workbook row, in the workbook's order:
    # its number, the comments, then why the RAG is what it is, then the RAG
    # with its symbol.
    for table, rec in zip(action_tables, snapshot["recommendations"], strict=True):
        shown = [[cell.text for cell in row.cells] for row in table.rows[1:]]
        assert shown == [
            [item["number"], as_in_word(item["action"]), item["owners"],
             item["completion_date"],
             as_in_word("\n".join(filter(None, [item["comments"],
                                                f"Why this RAG: {item['computed_comment']}"]))),
             f"{SYMBOLS[item['rag']]} {item['rag_label']}"
             + ("\nOfficer override" if item["rag_source"] == "override" else "")]
            for item in rec["actions"]
        ], f"Recommendation {rec['ref']}"
    assert [len(t.rows) - 1 for t in action_tables] == [2, 1, 2, 1, 1, 4, 1, 1, 1]
    headers = {p.text for s in document.sections for p in s.header.paragraphs}
    assert "WFS Action Plan Update\tOpen (Unrestricted)" in headers
    headings = [p.text for p in document.paragraphs if p.text.startswith("Recommendation ")]
    assert headings == [f"Recommendation {ref}" for ref in range(1, 10)]


def test_docx_rag_cells_are_filled_in_three_colours(sample_report):
    _out, _snapshot, document, _pdf = sample_report
    fills = set()
    for table in document.tables:
        if [c.text.strip() for c in table.rows[0].cells] != REFERENCE_HEADER:
            continue
        for row in table.rows[1:]:
            shading = row.cells[5]._tc.xpath(".//w:shd/@w:fill")
            fills.update(f.lower() for f in shading)
    assert {"00703c", "ffdd00", "d4351c"} <= fills


def test_pdf_names_every_recommendation_and_action(sample_report):
    _out, snapshot, _doc, pdf = sample_report
    pages = [page.extract_text() for page in pdf.pages]
    total = len(pages)
    assert "Page 1 of" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert "WFS Action Plan Update" in page
        assert f"Page {number} of {total}" in page
    # A line may end at a hyphen ("high-" / "level"): joined again here.
    text = words("\n".join(pages)).replace("- ", "-")
    # Every action, its number before it and its owners and RAG after it, in
    # the workbook's order. Long cells wrap across lines; compare the start of
    # the text.
    at = 0
    for item in actions(snapshot):
        for piece in (f"{item['number']} ", words(item["action"])[:40].replace("- ", "-"),
                      words(item["owners"]).replace("- ", "-"), item["rag_label"]):
            found = text.find(piece, at)
            assert found >= 0, f"row {item['row']}: {piece!r} missing or out of order"
            at = found + (len(piece) if piece == item["rag_label"] else 0)


def test_reconciliation_line_and_files_written(tmp_path, capsys):
    assert main([str(SAMPLE), "--out", str(tmp_path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert re.search(
        r"Read 9 recommendations and 14 actions; rendered 9 recommendations and 14 "
        r"actions; wrote .*\.json\.", out
    )
    assert sorted(p.name for p in listing(tmp_path)) == [f"{STEM}.json"]


def test_as_at_option_moves_the_report_date(tmp_path):
    assert main([str(SAMPLE), "--out", str(tmp_path), "--format", "json", "--as-at",
                 "2024-11-22", "--quiet"]) == 0
    snapshot = json.loads((tmp_path / "WFS Action Plan Update - 2024-11-22.json").read_text())
    stage_one = next(a for a in actions(snapshot)
                     if a["completion_date"].startswith("Stage 1"))
    assert stage_one["rag"] == "missed"
    assert "236 days overdue as at 22 November 2024" in stage_one["computed_comment"]


def test_docx_converts_in_libreoffice_when_available(sample_report, tmp_path):
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out, *_ = sample_report
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out / f"{STEM}.docx")],
        check=True, capture_output=True, timeout=120,
    )
    converted = pypdf.PdfReader(io.BytesIO((tmp_path / f"{STEM}.pdf").read_bytes()))
    assert "Recommendation 9" in "".join(p.extract_text() for p in converted.pages)


def test_both_documents_are_a4_portrait(sample_report):
    # A4 is 595 x 842 points (210 x 297 mm): what the Board's printers expect.
    _out, _snapshot, document, pdf = sample_report
    assert {(round(float(page.mediabox.width)), round(float(page.mediabox.height)))
            for page in pdf.pages} == {(595, 842)}
    assert {(round(section.page_width.mm), round(section.page_height.mm))
            for section in document.sections} == {(210, 297)}
    assert {section.orientation for section in document.sections} == {
        docx.enum.section.WD_ORIENT.PORTRAIT}
