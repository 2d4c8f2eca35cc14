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
import docx.table
import pytest
from factories import action, docx_text, pdf_text, words

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
    assert SECTION not in words(pdf_text(only(one, ".pdf")))
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
    for text in (words(pdf_text(only(two, ".pdf"))), words(docx_text(only(two, ".docx")))):
        check_documents(text)

    # The Word RAG cells carry the trend under the label, as the PDF's do.
    document = docx.Document(str(only(two, ".docx")))
    trends = {}
    for table in document.tables:
        if [c.text for c in table.rows[0].cells][-1] != "RAG Status":
            continue
        for row in table.rows[1:]:
            trends[row.cells[1].text] = [p.text for p in row.cells[5].paragraphs]
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



# -- which report is compared ---------------------------------------------------

ALPHA = "Appoint the workforce intelligence lead"  # due 31 March 2024


def run_at(make_workbook, out: Path, when: str, status: str, *extra: str,
           title: str = "WFS Action Plan Update") -> None:
    workbook = make_workbook([action(1, ALPHA, due="31/03/2024", status=status)],
                             report={"Title": title}, name=f"{title} {when}.xlsx")
    assert main([str(workbook), "--out", str(out), "--as-at", when, "--format", "json,docx",
                 "--quiet", *extra]) == 0


def snapshot_at(out: Path, when: str, title: str = "WFS Action Plan Update") -> dict:
    return json.loads((out / f"{title} - {when}.json").read_text(encoding="utf-8"))


def test_by_default_the_newest_earlier_report_of_the_plan_in_the_folder_is_compared(
        make_workbook, tmp_path, capsys):
    out = tmp_path / "out"
    run_at(make_workbook, out, "2023-09-30", "Completed")
    run_at(make_workbook, out, "2023-11-22", "In progress")  # the one to compare with
    run_at(make_workbook, out, "2024-06-30", "Not applicable")  # later: not "earlier"
    run_at(make_workbook, out, "2024-01-31", "Completed", title="Another plan")  # other title
    (out / "notes.json").write_text('{"as_at": "2024-04-01"}', encoding="utf-8")
    capsys.readouterr()
    run_at(make_workbook, out, "2024-04-15", "In progress")

    snapshot = snapshot_at(out, "2024-04-15")
    assert snapshot["changes"]["previous_file"] == "WFS Action Plan Update - 2023-11-22.json"
    assert snapshot["changes"]["previous_as_at"] == "22 November 2023"
    (alpha,) = snapshot["recommendations"][0]["actions"]
    assert (alpha["rag_previous"], alpha["rag"], alpha["trend"]) == (
        "minor_issues", "missed", "worse")
    assert [c["detail"] for c in snapshot["changes"]["rag_changes"]] == [
        "On target but with minor issues → Missed target requires action (worse)"]
    word = " ".join(docx_text(out / "WFS Action Plan Update - 2024-04-15.docx").split())
    assert "Compared with the report as at 22 November 2023" in word


def test_no_previous_compares_with_nothing_though_an_earlier_report_is_there(
        make_workbook, tmp_path):
    out = tmp_path / "out"
    run_at(make_workbook, out, "2023-11-22", "In progress")
    run_at(make_workbook, out, "2024-04-15", "In progress", "--no-previous")
    snapshot = snapshot_at(out, "2024-04-15")
    assert snapshot["changes"] is None
    (alpha,) = snapshot["recommendations"][0]["actions"]
    assert (alpha["rag"], alpha["rag_previous"], alpha["trend"]) == ("missed", None, None)
    word = docx_text(out / "WFS Action Plan Update - 2024-04-15.docx")
    assert SECTION not in word and "↓ worse" not in word
    # The history is the folder's, whatever --no-previous says.
    assert [point["as_at"] for point in snapshot["progress"]] == ["2023-11-22", "2024-04-15"]


# -- completed and slipped, from two workbooks ----------------------------------

FINISHED = "Publish the recruitment and retention strategy"
SLIPPED = "Launch the health and care careers portal"
STEADY = "Run the quarterly workforce summit"


def test_completed_and_slipped_actions_are_listed_from_the_edited_workbook(make_workbook,
                                                                          tmp_path):
    first = make_workbook([
        action(1, FINISHED, due="Q4 2023-24"),
        action(1, SLIPPED, due="31/03/2024"),
        action(2, STEADY, due="Q4 2024-25"),
    ], name="november.xlsx")
    # By January the strategy is published and the portal's date has moved.
    second = make_workbook([
        action(1, FINISHED, due="Q4 2023-24", status="Completed"),
        action(1, SLIPPED, due="30/06/2024", comments="Supplier delayed"),
        action(2, STEADY, due="Q4 2024-25"),
    ], name="january.xlsx")
    out = tmp_path / "out"
    assert main([str(first), "--out", str(out), "--as-at", "2023-11-22", "--quiet"]) == 0
    assert main([str(second), "--out", str(out), "--as-at", "2024-01-31", "--quiet"]) == 0

    changes = json.loads((out / "WFS Action Plan Update - 2024-01-31.json")
                         .read_text(encoding="utf-8"))["changes"]
    assert changes["completed"] == [{"ref": 1, "number": "1.1", "row": 2, "action": FINISHED,
                                     "detail": "was On target but with minor issues",
                                     "previous_ref": 1, "previous_row": 2,
                                     "previous_action": FINISHED}]
    assert changes["slipped"] == [{"ref": 1, "number": "1.2", "row": 3, "action": SLIPPED,
                                   "detail": "31 March 2024 → 30 June 2024",
                                   "previous_ref": 1, "previous_row": 3,
                                   "previous_action": SLIPPED}]
    assert [c["action"] for c in changes["rag_changes"]] == [FINISHED]
    assert changes["new"] == [] and changes["removed"] == []

    # The PDF's section, up to the next heading, lists both and not the unchanged action.
    pdf = words(pdf_text(out / "WFS Action Plan Update - 2024-01-31.pdf"))
    section = pdf.split(SECTION, 1)[1].split("How RAG is calculated", 1)[0]
    assert ("Completed since the last report (1) No. Action Change 1.1 "
            f"{FINISHED} was On target but with minor issues") in section
    assert ("Slipped: due date moved later (1) No. Action Change 1.2 "
            f"{SLIPPED} 31 March 2024 → 30 June 2024") in section
    assert STEADY not in section
    # Word: each list is a table under its own heading.
    assert word_change_tables(out / "WFS Action Plan Update - 2024-01-31.docx") == {
        "RAG changes (1)": [["1.1", FINISHED,
                             "On target but with minor issues → Completed Action (better)"]],
        "Completed since the last report (1)": [
            ["1.1", FINISHED, "was On target but with minor issues"]],
        "Slipped: due date moved later (1)": [
            ["1.2", SLIPPED, "31 March 2024 → 30 June 2024"]],
    }


def word_change_tables(path: Path) -> dict[str, list[list[str]]]:
    """{heading: the rows of the table under it} for the tables headed No., Action,
    Change."""
    found, heading = {}, None
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, docx.table.Table):
            rows = [[cell.text for cell in row.cells] for row in block.rows]
            if rows and rows[0] == ["No.", "Action", "Change"]:
                found[heading] = rows[1:]
        elif block.text.strip():
            heading = block.text.strip()
    return found
