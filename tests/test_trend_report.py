"""Direction of travel end to end: two runs of the CLI, the second compared with the first.

The first report (22 November 2023) has nothing to compare with; the second
(15 April 2024), given the first's JSON snapshot with --previous, carries a
trend on every action and a "Changes since the last report" section in the
JSON, the PDF and the Word document alike.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pypdf
import pytest
from factories import action

from wfs_reports.cli import main

SECTION = "Changes since the last report"

# Due 31 March 2024: on target in November, missed by mid-April.
SLIPPING = "Recruit twenty international nurses for the district teams"
SLIPPING_TOO = "Agree the key worker housing offer with the registered providers"
DONE = "Publish the workforce data set"
LATER = "Open the second training hub"  # due 31 March 2025: on target both times
DROPPED = "Pilot a rotational post across the three providers"  # only in the first workbook
ADDED = "Run a careers fair with the local colleges"  # only in the second workbook


def rows(*, first: bool) -> list[list]:
    kept = [
        action(1, SLIPPING, due="Q4 2023-24"),
        action(1, DONE, due="Q3 2023-24", status="Completed"),
        action(2, SLIPPING_TOO, due="31/03/2024"),
        action(2, LATER, due="Q4 2024-25"),
    ]
    return kept + [action(2, DROPPED, due="Q4 2024-25") if first else
                   action(2, ADDED, due="Q4 2024-25")]


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    """Words of the PDF, one space apart (extraction breaks lines where the layout did)."""
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    return " ".join(text.split())


def actions(snapshot: dict) -> dict[str, dict]:
    return {a["action"]: a for rec in snapshot["recommendations"] for a in rec["actions"]}


def only(folder: Path, suffix: str) -> Path:
    (path,) = folder.glob(f"*{suffix}")
    return path


def first_run(make_workbook, tmp_path) -> Path:
    workbook = make_workbook(rows(first=True), name="first.xlsx")
    out = tmp_path / "one"
    assert main([str(workbook), "--out", str(out), "--as-at", "2023-11-22", "--quiet"]) == 0
    return out


@pytest.fixture
def runs(make_workbook, tmp_path) -> tuple[Path, Path]:
    """The first report, then the second compared with it: (first folder, second folder)."""
    one = first_run(make_workbook, tmp_path)
    workbook = make_workbook(rows(first=False), name="second.xlsx")
    two = tmp_path / "two"
    assert main([str(workbook), "--out", str(two), "--as-at", "2024-04-15", "--quiet",
                 "--previous", str(only(one, ".json"))]) == 0
    return one, two


def test_first_report_has_no_trend_and_no_changes_section(make_workbook, tmp_path):
    one = first_run(make_workbook, tmp_path)
    snapshot = json.loads(only(one, ".json").read_text(encoding="utf-8"))
    assert snapshot["changes"] is None
    assert all(a["trend"] is None and a["rag_previous"] is None
               for a in actions(snapshot).values())
    assert {a["rag"] for a in actions(snapshot).values()} == {"minor_issues", "completed"}
    # As the HTML does: no section at all when there is no earlier report.
    assert SECTION not in pdf_text(only(one, ".pdf"))
    word = docx_text(only(one, ".docx"))
    assert SECTION not in word
    assert not any(mark in word for mark in ("↑ better", "→ same", "↓ worse", "+ new"))


def test_second_report_has_a_trend_on_every_action_and_lists_the_changes(runs):
    one, two = runs
    before = actions(json.loads(only(one, ".json").read_text(encoding="utf-8")))
    snapshot = json.loads(only(two, ".json").read_text(encoding="utf-8"))
    now = actions(snapshot)
    assert all(a["trend"] in {"better", "same", "worse", "new"} for a in now.values())
    became_missed = [name for name, a in now.items()
                     if a["rag"] == "missed" and before.get(name, {}).get("rag") != "missed"]
    assert sorted(became_missed) == sorted([SLIPPING, SLIPPING_TOO])
    assert all(now[name]["trend"] == "worse" for name in became_missed)
    assert now[SLIPPING]["rag_previous"] == "minor_issues"
    assert now[DONE]["trend"] == "same" and now[LATER]["trend"] == "same"
    assert now[ADDED]["trend"] == "new" and now[ADDED]["rag_previous"] is None

    changes = snapshot["changes"]
    assert changes["previous_as_at"] == "22 November 2023"
    assert {c["action"] for c in changes["rag_changes"]} == {SLIPPING, SLIPPING_TOO}
    assert [c["action"] for c in changes["new"]] == [ADDED]
    assert [c["action"] for c in changes["removed"]] == [DROPPED]

    # Both documents say so too.
    for text in (pdf_text(only(two, ".pdf")), " ".join(docx_text(only(two, ".docx")).split())):
        check_documents(text)

    # The Word RAG cells carry the trend under the label, as the PDF's do.
    document = docx.Document(str(only(two, ".docx")))
    trends = {}
    for table in document.tables:
        if [c.text for c in table.rows[0].cells][-1] != "RAG Status":
            continue
        for row in table.rows[1:]:
            trends[row.cells[0].text] = [p.text for p in row.cells[4].paragraphs]
    assert trends[SLIPPING] == ["■ Missed target requires action", "↓ worse"]
    assert trends[ADDED] == ["▲ On target but with minor issues", "+ new"]
    assert trends[DONE] == ["● Completed Action", "→ same"]


def check_documents(text: str) -> None:
    assert SECTION in text
    assert "Compared with the report as at 22 November 2023" in text
    for title in ("RAG changes (2)", "New actions (1)", "No longer in the workbook (1)"):
        assert title in text, title
    assert "On target but with minor issues → Missed target requires action (worse)" in text
    assert DROPPED in text  # listed as removed, though it is no longer in the workbook
    assert text.count("↓ worse") >= 2 and "+ new" in text and "→ same" in text

