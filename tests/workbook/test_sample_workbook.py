"""The committed sample workbook, input/action_plan.xlsx.

It is a transcription of the reference "WFS Action Plan Update" in the input
contract of SPEC.md, built by tools/build_sample_workbook.py. These tests read
it with openpyxl directly (not through the package's reader), so they pin the
sample itself, and check the committed file has not drifted from the script.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKBOOK = ROOT / "input" / "action_plan.xlsx"
BUILDER = ROOT / "tools" / "build_sample_workbook.py"

AS_AT = dt.date(2023, 11, 22)
FRANCESCA = "Francesca Okosi – Chief People and Culture Officer"  # en dash
FRANCESCA_HYPHEN = "Francesca Okosi - Chief People and Culture Officer"
PLACEHOLDER = "Insert any relevant comments"

ACTION_HEADERS = [
    "Ref",
    "Action",
    "Owner(s)",
    "Completion Date",
    "Status",
    "Comments",
    "RAG Override",
    "Override Reason",
    "Last Updated",
]

# (ref, owners, completion date) for every action, in report order, exactly
# as the reference writes them. None = blank cell.
EXPECTED_ACTIONS = [
    (1, FRANCESCA, "Stage 1: Q4 2023-24 Stage 2: TBC"),
    (1, "Head of ICS Workforce Planning and Systems", "TBC"),
    (2, FRANCESCA, "Ongoing"),
    (3, FRANCESCA_HYPHEN, "Q2 and Q3 2023-24"),
    (3, "Joanna Moss, Chief Strategy and Transformation Officer", "Q4 2023-24"),
    (4, "TBC", "Ongoing"),
    (5, FRANCESCA, "Ongoing"),
    (6, "Rupert Brandon", "March 2024"),
    (6, "Chris Boylett", "March 2024"),
    (6, "Michael Darby", "March 2024"),
    (6, None, None),
    (7, FRANCESCA, "Q3 2023-24"),
    (8, FRANCESCA, "Q2 -2024-25 to increase placements"),
    (9, FRANCESCA, "TBC"),
]

STATUSES = {"Not started", "In progress", "Completed", "Not applicable"}
RAG_LABELS = {
    "Completed Action",
    "On target but with minor issues",
    "Missed target requires action",
}


@pytest.fixture(scope="module")
def wb():
    assert WORKBOOK.is_file(), f"{WORKBOOK} missing: run python tools/build_sample_workbook.py"
    return openpyxl.load_workbook(WORKBOOK)


def header(ws) -> list[object]:
    return [c.value for c in ws[1]]


def data_rows(ws) -> list[tuple]:
    return [row for row in ws.iter_rows(min_row=2, values_only=True) if any(row)]


def action_dicts(wb) -> list[dict[str, object]]:
    return [dict(zip(ACTION_HEADERS, row, strict=True)) for row in data_rows(wb["Actions"])]


def test_sheets_and_headers(wb):
    # The Instructions sheet comes first for the officer; the reader ignores it.
    assert wb.sheetnames == ["Instructions", "Report", "Recommendations", "Actions", "Owners"]
    assert header(wb["Report"]) == ["Setting", "Value"]
    assert header(wb["Recommendations"]) == ["Ref", "Recommendation", "Comments from Service"]
    assert header(wb["Actions"]) == ACTION_HEADERS


def test_report_settings(wb):
    ws = wb["Report"]
    settings = {row[0]: row[1] for row in data_rows(ws)}
    assert settings == {
        "Title": "WFS Action Plan Update",
        "Heading": "Workforce Shortages Across the Health and Social Care Sector "
        "Action Plan Update",
        "Organisation": "Tower Hamlets Together",
        "Strapline": None,  # blank: the brand's own, under the brand's organisation
        "Meeting": "Tower Hamlets Together Board",
        "Meeting date": dt.datetime(2023, 12, 7),
        "As at": dt.datetime(2023, 11, 22),
        "Prepared by": "Workforce Programme Team, NHS North East London ICB",
        "Classification": "Open (Unrestricted)",
        "Summary for the Board": None,  # blank: the reference report has no summary
    }
    for row in ws.iter_rows(min_row=2):
        if row[0].value in ("Meeting date", "As at"):
            assert row[1].is_date
            assert row[1].number_format == "dd/mm/yyyy"


def test_recommendations(wb):
    rows = data_rows(wb["Recommendations"])
    assert [r[0] for r in rows] == list(range(1, 10))
    assert all(isinstance(r[0], int) for r in rows)
    texts = {r[0]: r[1] for r in rows}
    assert texts[1].startswith("The Integrated Care Board (ICB) is recommended to collaborate")
    assert texts[2].endswith("ongoing engagement with the borough's residents")
    assert texts[6] == (
        "London Borough of Tower Hamlets (LBTH) is recommended to incentivise key worker "
        "accommodation status, council tax reductions and parking provision for health and "
        "care professionals."
    )
    assert texts[9].endswith("growth model from local labour for future demand.")
    for text in texts.values():
        assert "<p>" not in text and "</p>" not in text

    comments = {r[0]: r[2] for r in rows}
    assert all(comments[ref] is None for ref in comments if ref != 6)
    paragraphs = comments[6].split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The council has carried out policies")
    assert "key workers – for example" in paragraphs[0]
    assert paragraphs[1].startswith("Housing - ")
    assert paragraphs[2].startswith("Council tax - ")
    assert paragraphs[3].startswith("Parking - ")
    assert paragraphs[3].endswith("poor air quality is a serious public health emergency.")


def test_actions_refs_owners_and_dates_as_written(wb):
    actions = action_dicts(wb)
    assert len(actions) == 14
    got = [(a["Ref"], a["Owner(s)"], a["Completion Date"]) for a in actions]
    assert got == EXPECTED_ACTIONS
    counts = {}
    for a in actions:
        counts[a["Ref"]] = counts.get(a["Ref"], 0) + 1
    assert counts == {1: 2, 2: 1, 3: 2, 4: 1, 5: 1, 6: 4, 7: 1, 8: 1, 9: 1}
    assert all(isinstance(a["Ref"], int) for a in actions)


def test_action_text(wb):
    actions = action_dicts(wb)
    texts = [a["Action"] for a in actions]
    assert texts[0].startswith("Stage 1: To develop a core data set")
    assert texts[1].endswith("following our ICB internal restructure")
    # Two-paragraph actions keep their paragraphs.
    assert len(texts[6].split("\n\n")) == 2
    assert texts[6].split("\n\n")[1].startswith("To feed in and make connections across NEL")
    assert len(texts[12].split("\n\n")) == 2
    assert texts[12].startswith("The ICB has won a bid with the Department of Education")
    assert texts[12].split("\n\n")[1].startswith("For degree apprentices")
    for i, text in enumerate(texts):
        if i not in (6, 12):
            assert "\n" not in text
        assert "<p>" not in text


def test_not_applicable_row(wb):
    row = action_dicts(wb)[10]
    assert row["Ref"] == 6
    assert row["Action"] == (
        "Not applicable for the ICB but would want to support and share the development "
        "of incentives to other places across the ICB"
    )
    assert row["Owner(s)"] is None
    assert row["Completion Date"] is None
    assert row["Status"] == "Not applicable"


def test_officer_comment_joined_across_page_break(wb):
    comment = action_dicts(wb)[7]["Comments"]
    assert comment.startswith("Developers and RPs are encouraged")
    assert "They do not have to be on the Council's main housing register" in comment
    assert comment.endswith("there is a category for key workers to be banded.")
    assert "WFS Action Plan Update" not in comment


def test_statuses_overrides_and_comments(wb):
    actions = action_dicts(wb)
    assert {a["Status"] for a in actions} <= STATUSES
    assert all(a["Status"] for a in actions)
    assert any(a["Status"] == "Completed" for a in actions)

    overrides = [a for a in actions if a["RAG Override"]]
    assert overrides, "the sample needs one officer override (red)"
    for a in overrides:
        assert a["RAG Override"] in RAG_LABELS
        assert a["Override Reason"]
    assert any(a["RAG Override"] == "Missed target requires action" for a in overrides)
    assert not any(a["Override Reason"] and not a["RAG Override"] for a in actions)

    placeholders = [a for a in actions if a["Comments"] == PLACEHOLDER]
    assert 2 <= len(placeholders) <= 3


def test_last_updated_dates(wb):
    ws = wb["Actions"]
    col = ACTION_HEADERS.index("Last Updated") + 1
    dates = []
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(row=r, column=col)
        if cell.value is None:
            continue
        assert cell.is_date, f"{cell.coordinate} is not a date cell"
        assert cell.number_format == "dd/mm/yyyy"
        dates.append(cell.value.date())
    assert dates
    assert all(d <= AS_AT for d in dates)
    stale = [d for d in dates if (AS_AT - d).days > 90]
    assert len(stale) == 1, "one stale update (older than 90 days) is part of the sample"
    assert all(d >= dt.date(2023, 10, 1) for d in dates if d not in stale)


def test_editable_in_excel(wb):
    for ws in (wb["Report"], wb["Recommendations"], wb["Actions"]):
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.value is not None:
                    assert cell.alignment.wrap_text
                    assert cell.alignment.vertical == "top"
    ws = wb["Actions"]
    assert ws.column_dimensions["B"].width >= 50  # Action
    assert ws.column_dimensions["F"].width >= 40  # Comments
    assert wb["Recommendations"].column_dimensions["B"].width >= 60

    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = validations["E2:E500"]
    assert status.type == "list"
    assert set(status.formula1.strip('"').split(",")) == STATUSES
    rag = validations["G2:G500"]
    assert rag.type == "list"
    assert set(rag.formula1.strip('"').split(",")) == RAG_LABELS

    note = ws["D1"].comment
    assert ws["D1"].value == "Completion Date"
    assert note is not None
    for example in ("Q4 2023-24", "March 2024", "31/03/2024", "Ongoing", "TBC", "Stage 1:"):
        assert example in note.text


def test_document_properties(wb):
    assert wb.properties.creator == "wfs-reports"
    assert wb.properties.created == dt.datetime(2023, 11, 22, 9, 0)
    assert wb.properties.modified == dt.datetime(2023, 11, 22, 9, 0)


def _values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


def test_committed_workbook_matches_builder(tmp_path):
    out = tmp_path / "action_plan.xlsx"
    subprocess.run([sys.executable, str(BUILDER), str(out)], check=True, capture_output=True)
    assert _values(out) == _values(WORKBOOK), (
        "input/action_plan.xlsx differs from tools/build_sample_workbook.py: re-run the script"
    )
    # Deterministic: a second run gives the same bytes.
    again = tmp_path / "again.xlsx"
    subprocess.run([sys.executable, str(BUILDER), str(again)], check=True, capture_output=True)
    assert again.read_bytes() == out.read_bytes()
