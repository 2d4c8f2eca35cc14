"""The Board's copies speak the Board's language (issue 20 §6).

A carers plan, not the sample, run for two quarters into one folder with the
command, so that it has exceptions, changes and a removed action. The PDF,
the Word file and the web page name each action by its number and full text,
and carry none of the officer's plumbing (workbook cells and rows, snapshot
file names, "System:"), which stays in the JSON.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
from pathlib import Path

import docx
import pypdf
from docx.oxml.ns import qn
from factories import action

from wfs_reports.cli import main
from wfs_reports.config import bundled_templates

TITLE = "Carers Strategy Action Plan Update"
REPORT = {"Title": TITLE, "Heading": "Carers Strategy: action plan update",
          "Organisation": "Riverside Borough Council"}
RECOMMENDATIONS = [[1, "Find hidden carers", ""],
                   [2, "Give carers a break", "Respite beds are funded until March."]]

BREAKS = ("Commission a flexible short-breaks service for adult carers, including overnight "
          "respite, sitting services and emergency cover, with a single booking line")
REGISTER = "Set up a carers register in every GP practice in the borough"
ASSESS = "Offer every young carer an assessment within four weeks of referral by schools"
CAFES = "Run monthly carers' cafés in the four community hubs"

FIRST = [
    action(1, REGISTER, owners="Priya Shah", due="31/12/2023"),  # missed by March
    action(1, ASSESS, owners="Tom Reed", due="Q4 2024-25"),
    action(2, CAFES, owners="Ana Costa", due="Q4 2024-25"),
    action(2, BREAKS, owners="Ana Costa", due="Q1 2024-25"),
]
# By March the cafés are dropped from the plan.
SECOND = [row for row in FIRST if row[1] != CAFES]


def run(make_workbook, out: Path, as_at: str, rows: list, *extra: str) -> Path:
    workbook = make_workbook(rows, RECOMMENDATIONS, REPORT, as_at=None,
                             name=f"carers {as_at}.xlsx")
    assert main([str(workbook), "--out", str(out), "--as-at", as_at, "--format",
                 "json,pdf,docx,html", "--quiet", *extra]) == 0
    return out / f"{TITLE} - {as_at}"


def texts(stem: Path) -> dict[str, str]:
    """Each Board copy's text, whitespace as single spaces."""
    reader = pypdf.PdfReader(str(stem.with_suffix(".pdf")))
    # A line of a cell may end at a hyphen ("short-" / "breaks"): joined again.
    pdf = re.sub(r"-\n", "-", "\n".join(page.extract_text() for page in reader.pages))
    document = docx.Document(str(stem.with_suffix(".docx")))
    word = [p.text for p in document.paragraphs]
    word += [c.text for t in document.tables for r in t.rows for c in r.cells]
    word += [p.text for p in document.sections[0].footer.paragraphs]
    page = stem.with_suffix(".html").read_text(encoding="utf-8")
    page = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<body>", 1)[1]))
    return {name: " ".join(text.split()) for name, text in
            (("pdf", pdf), ("docx", " ".join(word)), ("html", page))}


def without_footer(text: str) -> str:
    """The text without the provenance footer, which names the workbook on purpose."""
    return re.sub(r"Position as at \d{1,2} \w+ \d{4} · Source: [^·]+ · SHA-256 [0-9a-f]{12}",
                  "", text)


def test_board_copies_name_actions_by_number_and_full_text_without_plumbing(
        make_workbook, tmp_path):
    out = tmp_path / "reports"
    run(make_workbook, out, "2023-11-30", FIRST)
    stem = run(make_workbook, out, "2024-03-31", SECOND)
    snapshot = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))

    # The JSON keeps the officer's plumbing, and numbers every action.
    numbers = [(a["number"], a["action"]) for r in snapshot["recommendations"]
               for a in r["actions"]]
    assert numbers == [("1.1", REGISTER), ("1.2", ASSESS), ("2.1", BREAKS)]
    (missed,) = snapshot["exceptions"]
    assert (missed["number"], missed["action"], missed["cell"]) == ("1.1", REGISTER, "Actions!D2")
    assert snapshot["changes"]["previous_file"] == f"{TITLE} - 2023-11-30.json"
    (removed,) = snapshot["changes"]["removed"]
    assert (removed["number"], removed["action"], removed["row"], removed["previous_row"]) == (
        "2.1", CAFES, None, 4)

    for name, text in texts(stem).items():
        body = without_footer(text)
        assert "Actions!" not in body and ".json" not in body, name
        assert not re.search(r"\brow \d", body), name
        assert "…" not in body and "System:" not in body, name
        assert "carers 2024-03-31.xlsx" in text, name  # the footer stays
        # The exception and the removed action: number and full text, never cut.
        assert f"1.1 {REGISTER} Due 31 December 2023" in body, name
        assert f"2.1 {CAFES} was On target but with minor issues" in body, name
        assert "Compared with the report as at 30 November 2023." in body, name
        # Each action's row starts with its number; the computed comment is labelled.
        for number, words in numbers:
            assert f"{number} {words}" in body, (name, number)
        assert "Why this RAG: Due 31 December 2023 (31/12/2023) passed" in body, name
        # The empty "Comments from Service:" label is kept, as the original has it.
        assert body.count("Comments from Service:") == 2, name


def test_a_template_setting_leaves_out_the_empty_comments_label(make_workbook, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(bundled_templates(), templates)
    settings = {
        "report.typ": ("#let comments-label-when-empty = true",
                       "#let comments-label-when-empty = false"),
        "report.html.j2": ("{% set comments_label_when_empty = true %}",
                           "{% set comments_label_when_empty = false %}"),
    }
    for name, (default, changed) in settings.items():
        text = (templates / name).read_text(encoding="utf-8")
        assert default in text
        (templates / name).write_text(text.replace(default, changed), encoding="utf-8")
    document = docx.Document(str(templates / "report.docx"))
    (tag,) = [p for p in document.paragraphs
              if p.text == "{%p set comments_label_when_empty = true %}"]
    tag.runs[0].text = "{%p set comments_label_when_empty = false %}"
    document.save(str(templates / "report.docx"))

    stem = run(make_workbook, tmp_path / "out", "2023-11-30", FIRST,
               "--templates", str(templates))
    for name, text in texts(stem).items():
        # Only recommendation 2 has comments: its label stays.
        assert text.count("Comments from Service:") == 1, name
        assert "Comments from Service: Respite beds are funded until March." in text, name


def test_word_keeps_end_of_report_with_the_last_row_and_hatches_the_missed_bar(
        make_workbook, tmp_path):
    stem = run(make_workbook, tmp_path / "out", "2024-03-31", SECOND)
    document = docx.Document(io.BytesIO(stem.with_suffix(".docx").read_bytes()))
    body = document.element.body
    blocks = [child for child in body if child.tag in (qn("w:p"), qn("w:tbl"))]
    assert "".join(t.text for t in blocks[-1].iter(qn("w:t"))) == "End of report."
    last_row = blocks[-2].findall(qn("w:tr"))[-1]
    assert "".join(t.text or "" for t in last_row.iter(qn("w:t"))).startswith("2.1")
    paragraphs = list(last_row.iter(qn("w:p")))
    assert paragraphs and all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
                              for p in paragraphs)

    # The bar's missed part is hatched (as in the PDF and the web page), the others solid.
    shadings = [(r.find(f"{qn('w:rPr')}/{qn('w:shd')}"), "".join(t.text or "" for t in r.iter(
        qn("w:t")))) for r in body.iter(qn("w:r"))]
    bar = [(shd.get(qn("w:val")), shd.get(qn("w:fill")), text.strip())
           for shd, text in shadings if shd is not None]
    assert ("thinDiagStripe", "d4351c", "■ 1") in bar
    assert all(val == "clear" for val, fill, _text in bar if fill != "d4351c")
