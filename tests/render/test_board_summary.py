"""The officer's own words for the Board (issue 22 §4): the Report sheet's optional
"Summary for the Board", shown under the heading before the figures in every format."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from factories import action, docx_text, pdf_text

from wfs_reports.cli import main

ROOT = Path(__file__).resolve().parents[2]
HEADING = "Workforce Strategy: Action Plan Update"
FIRST = "Recruitment has picked up since the summer & the first cohort starts in March."
SECOND = "Two actions <slipped>; the Board is asked to note the new dates."
SUMMARY = f"{FIRST}\n\n{SECOND}"
STEM = "WFS Action Plan Update - 2024-03-31"


@pytest.fixture
def plan(make_workbook):
    return make_workbook(
        [action(1, "Recruit the first cohort", "Jo Moss", due="Q4 2024-25"),
         action(2, "Agree the data set", "Sam Reed", due="Q1 2023-24")],
        report={"Heading": HEADING, "Summary for the Board": SUMMARY})


def flat(text: str) -> str:
    return " ".join(text.split())


def before_the_figures(text: str) -> None:
    text = flat(text)
    assert text.count(FIRST) == 1 and text.count(SECOND) == 1
    heading = text.index(HEADING)
    assert heading < text.index(FIRST) < text.index(SECOND) < text.index("RAG Status")


def test_the_pdf_and_web_page_show_it_under_the_heading_before_the_figures(plan, tmp_path):
    out = tmp_path / "out"
    assert main([str(plan), "--out", str(out), "--as-at", "2024-03-31",
                 "--format", "pdf,html"]) == 0
    before_the_figures(pdf_text(out / f"{STEM}.pdf"))
    page = (out / f"{STEM}.html").read_text(encoding="utf-8")
    assert f"<p>{FIRST.replace('&', '&amp;')}</p>" in page
    assert "&lt;slipped&gt;" in page and "<slipped>" not in page
    assert page.index("<h1>") < page.index(FIRST[:20]) < page.index('aria-label="RAG key"')


def test_the_json_and_excel_carry_it_as_written(plan, tmp_path):
    out = tmp_path / "out"
    assert main([str(plan), "--out", str(out), "--as-at", "2024-03-31",
                 "--format", "json,xlsx"]) == 0
    snapshot = json.loads((out / f"{STEM}.json").read_text(encoding="utf-8"))
    assert snapshot["summary_for_the_board"] == SUMMARY
    sheet = openpyxl.load_workbook(out / f"{STEM}.xlsx")["Summary"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert values["Summary for the Board"] == SUMMARY


def test_without_it_nothing_is_added(make_workbook, tmp_path):
    path = make_workbook([action(1, "Recruit the first cohort", "Jo Moss")])
    out = tmp_path / "out"
    assert main([str(path), "--out", str(out), "--as-at", "2024-03-31",
                 "--format", "json,html"]) == 0
    assert json.loads((out / f"{STEM}.json").read_text())["summary_for_the_board"] == ""
    assert "board-summary" not in (out / f"{STEM}.html").read_text(encoding="utf-8")


def word_report(plan: Path, tmp_path: Path) -> Path:
    """The Word report made with the shipped template, which places the summary's
    loop under the title block."""
    out = tmp_path / "out"
    assert main([str(plan), "--out", str(out), "--as-at", "2024-03-31", "--format", "docx"]) == 0
    return out


def test_a_word_template_with_the_summary_loop_shows_it_paragraph_by_paragraph(plan,
                                                                               tmp_path):
    """The Word report shows the summary under the title block, one paragraph
    each, before the figures (the template's "{%p for paragraph in board_summary %}")."""
    from docx import Document

    out = word_report(plan, tmp_path)
    report = Document(out / f"{STEM}.docx")
    texts = [p.text for p in report.paragraphs]
    at = texts.index(FIRST)
    assert texts[at:at + 2] == [FIRST, SECOND]
    assert texts.count(FIRST) == 1
    assert texts.index(HEADING) < at < texts.index("Summary")
    before_the_figures(docx_text(out / f"{STEM}.docx"))


def test_a_new_workbook_has_the_row_and_reads_it_back(tmp_path):
    path = tmp_path / "plan.xlsx"
    assert main(["--new-workbook", str(path)]) == 0
    workbook = openpyxl.load_workbook(path)
    report = workbook["Report"]
    names = [row[0].value for row in report.iter_rows(min_row=2)]
    assert "Summary for the Board" in names
    report.cell(row=names.index("Summary for the Board") + 2, column=2, value=SUMMARY)
    workbook["Recommendations"].append([1, "Grow the local workforce", ""])
    workbook["Actions"].append([1, "Run a jobs fair", "Alex Smith", "Q4 2024-25",
                                "Not started"])
    workbook.save(path)
    out = tmp_path / "out"
    assert main([str(path), "--out", str(out), "--as-at", "2024-03-31",
                 "--format", "json"]) == 0
    (snapshot,) = out.glob("*.json")
    assert json.loads(snapshot.read_text())["summary_for_the_board"] == SUMMARY


def test_a_new_workbook_from_our_own_word_report_reads_the_summary_back(plan, tmp_path):
    out = word_report(plan, tmp_path)
    path = tmp_path / "next.xlsx"
    assert main(["--new-workbook", str(path), "--from", str(out / f"{STEM}.docx")]) == 0
    settings = {row[0]: row[1] for row in openpyxl.load_workbook(path)["Report"].iter_rows(
        min_row=2, values_only=True)}
    assert settings["Summary for the Board"] == SUMMARY
    assert settings["Heading"] == HEADING
