"""The Word import gives back the plan it was made from (issue 20 §2).

make-report's own Word report, imported with ``--new-workbook X --from Y.docx``,
gives a workbook whose next report has the same title, file names, statuses,
overrides and dates, and finds the earlier reports: Changes since the last
report and Progress over time are kept. A report typed by hand keeps the
officer's red judgement as a RAG Override.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from factories import DIGITAL_INCLUSION_TITLE, SAMPLE, action, digital_inclusion_plan

from wfs_reports.cli import main
from wfs_reports.config import load_templates
from wfs_reports.domain.model import Rag, Status
from wfs_reports.word_import import read_word_report

LABELS = load_templates(None).rules.labels()


def report(workbook: Path, out: Path, *args: str) -> dict:
    """Run make-report on ``workbook`` into ``out`` (Word and JSON); the new JSON."""
    before = set(out.glob("*.json")) if out.exists() else set()
    assert main([str(workbook), "--out", str(out), "--format", "docx,json", "--quiet",
                 *args]) == 0
    (written,) = set(out.glob("*.json")) - before
    return json.loads(written.read_text(encoding="utf-8"))


def word_report(out: Path, snapshot: dict) -> Path:
    """The Word report written with ``snapshot``."""
    return out / f"{snapshot['title']} - {snapshot['as_at']}.docx"


def import_into(source: Path, target: Path) -> Path:
    assert main(["--new-workbook", str(target), "--from", str(source), "--quiet"]) == 0
    return target


def import_file(path: Path, labels=LABELS):
    return read_word_report(path.read_bytes(), path.name, labels)


def same_plan(snapshot: dict) -> dict:
    """What the round trip must keep: the snapshot but for its source file."""
    return {k: v for k, v in snapshot.items() if k != "source"}


# ---------------------------------------------------------------- title


def test_the_title_and_classification_come_back_as_they_were(tmp_path):
    workbook = digital_inclusion_plan(tmp_path / "plan.xlsx", {"Classification": "Official"})
    out = tmp_path / "out"
    first = report(workbook, out)
    document = docx.Document(str(word_report(out, first)))
    assert document.sections[0].header.paragraphs[0].text == \
        f"{DIGITAL_INCLUSION_TITLE}\tOfficial"  # the running header the import reads

    settings = import_file(word_report(out, first)).plan.settings
    assert (settings.title, settings.classification) == (DIGITAL_INCLUSION_TITLE, "Official")


def test_a_blank_heading_stays_blank(tmp_path):
    workbook = digital_inclusion_plan(tmp_path / "plan.xlsx", {"Heading": None})
    out = tmp_path / "out"
    first = report(workbook, out, "--no-previous")
    settings = import_file(word_report(out, first)).plan.settings
    assert (settings.title, settings.heading) == (DIGITAL_INCLUSION_TITLE, "")


# ---------------------------------------------------------------- status and last updated


def test_status_and_last_updated_come_back_as_the_workbook_held_them(make_workbook, tmp_path):
    workbook = make_workbook([
        action(1, "Blank status, updated last month", status=None,
               updated=dt.datetime(2023, 10, 20)),
        action(1, "In progress, never updated", status="In progress"),
        action(1, "Staged", due="Stage 1: Q2 2023-24 Stage 2: Q4 2023-24",
               status="Stage 1 complete", updated=dt.datetime(2023, 11, 1)),
        action(2, "Quiet since June", status="Not started", updated=dt.datetime(2023, 6, 1)),
        action(2, "Done", due="Q1 2023-24", status="Completed", updated=dt.datetime(2023, 7, 3)),
    ])
    out = tmp_path / "out"
    first = report(workbook, out, "--no-previous")
    actions = import_file(word_report(out, first)).plan.actions
    assert [(a.action, a.status, a.status_text, a.last_updated) for a in actions] == [
        ("Blank status, updated last month", Status.BLANK, "", dt.date(2023, 10, 20)),
        ("In progress, never updated", Status.IN_PROGRESS, "", None),
        ("Staged", Status.BLANK, "Stage 1 complete", dt.date(2023, 11, 1)),
        ("Quiet since June", Status.NOT_STARTED, "", dt.date(2023, 6, 1)),
        ("Done", Status.COMPLETED, "", dt.date(2023, 7, 3)),
    ]
    # ... and the next report says the same of them.
    second = report(import_into(word_report(out, first), tmp_path / "imported.xlsx"),
                    tmp_path / "again", "--no-previous")
    assert same_plan(second) == same_plan(first)


def test_a_row_coloured_again_by_hand_is_read_from_what_it_shows(make_workbook, tmp_path):
    workbook = make_workbook([action(1, "Amber in the report", status=None,
                                     updated=dt.datetime(2023, 10, 20))])
    out = tmp_path / "out"
    first = report(workbook, out, "--no-previous")
    path = word_report(out, first)
    document = docx.Document(str(path))
    (row,) = [r for t in document.tables for r in t.rows
              if r.cells[1].text == "Amber in the report"]  # after the action's number
    rag_cell = row.cells[5]  # the officer colours it red in Word
    shading = rag_cell._tc.get_or_add_tcPr().find(qn("w:shd"))
    shading.set(qn("w:fill"), "FF0000")
    for paragraph in rag_cell.paragraphs:  # and types over the label
        for run in paragraph.runs:
            run.text = ""
    document.save(str(path))
    (imported,) = import_file(path).plan.actions
    assert (imported.status, imported.rag_override_text, imported.override_reason,
            imported.last_updated) == (Status.IN_PROGRESS, LABELS[Rag.MISSED],
                                       "from the Word report", dt.date(2023, 10, 20))


# ---------------------------------------------------------------- red RAG cells


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    for name, value in (("val", "clear"), ("color", "auto"), ("fill", colour)):
        shading.set(qn(f"w:{name}"), value)
    cell._tc.get_or_add_tcPr().append(shading)


def hand_typed_report(path: Path, colours: list[str]) -> Path:
    """A report typed by hand: one recommendation, one action per RAG colour."""
    document = docx.Document()
    document.add_paragraph("Recommendation 1")
    document.add_paragraph("Keep residents online.")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("Action", "Owner(s)", "Completion Date",
                                                "Comments", "RAG Status"), strict=True):
        cell.text = text
    for number, colour in enumerate(colours, start=1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (f"Action {number}", "Lead", "Q4 2024-25", "Going"),
                              strict=False):
            cell.text = text
        _shade(cells[4], colour)
    document.save(str(path))
    return path


def test_red_amber_and_green_cells_typed_by_hand(tmp_path):
    path = hand_typed_report(tmp_path / "typed.docx", ["FF0000", "FFC000", "00B050"])
    result = import_file(path)
    assert [(a.status, a.rag_override_text, a.override_reason) for a in result.plan.actions] == [
        (Status.IN_PROGRESS, "Missed target requires action", "from the Word report"),
        (Status.IN_PROGRESS, "", ""),
        (Status.COMPLETED, "", ""),
    ]
    assert "(1 completed, 2 in progress, 1 red kept as a RAG Override)" in result.summary()


def test_a_red_cell_is_an_override_of_the_rules_own_label(tmp_path):
    labels = {**LABELS, Rag.MISSED: "Behind plan"}
    (red,) = import_file(hand_typed_report(tmp_path / "typed.docx", ["C00000"]),
                         labels).plan.actions
    assert (red.rag_override_text, red.override_reason) == ("Behind plan",
                                                            "from the Word report")


def test_a_red_cell_keeps_the_action_red_in_the_next_report(tmp_path):
    """On target by its date, but red in the officer's report: red, and on the Board's
    list, with no reason asked for (a harsher override needs none)."""
    target = import_into(hand_typed_report(tmp_path / "typed.docx", ["FF0000"]),
                         tmp_path / "plan.xlsx")
    snapshot = report(target, tmp_path / "out", "--as-at", "2024-06-30")
    (red,) = snapshot["recommendations"][0]["actions"]
    assert (red["rag"], red["rag_source"], red["override_reason"]) == (
        "missed", "override", "from the Word report")
    assert [e["kind"] for e in snapshot["exceptions"]] == ["missed"]


# ---------------------------------------------------------------- the check


def test_the_sample_round_trips_and_keeps_its_history(tmp_path):
    """sample -> Word -> workbook -> report gives the same JSON, and the next
    quarter's report from the imported workbook finds the first in the folder."""
    out = tmp_path / "out"
    first = report(SAMPLE, out)
    imported = import_into(word_report(out, first), tmp_path / "imported.xlsx")

    again = report(imported, tmp_path / "again", "--no-previous")
    assert same_plan(again) == same_plan(first)

    later = report(imported, out, "--as-at", "2024-02-22")
    assert later["title"] == first["title"]
    assert later["changes"]["previous_as_at"] == "22 November 2023"  # the first's as-at
    assert [p["as_at"] for p in later["progress"]] == [first["as_at"], later["as_at"]]
    overridden = [(a["action"], a["override"], a["override_reason"])
                  for r in later["recommendations"] for a in r["actions"] if a["override"]]
    assert overridden == [(a["action"], a["override"], a["override_reason"])
                          for r in first["recommendations"] for a in r["actions"]
                          if a["override"]]
    assert overridden  # the sample has an override to keep


@pytest.mark.parametrize("classification", ["Official", None])
def test_a_digital_inclusion_plan_imported_and_run_for_three_quarters(tmp_path, classification):
    """Each quarter's workbook is imported from the last quarter's Word report."""
    workbook = digital_inclusion_plan(tmp_path / "q1.xlsx", {"Classification": classification})
    out = tmp_path / "out"
    snapshots = [report(workbook, out)]
    for quarter, as_at in enumerate(("2024-09-30", "2024-12-31"), start=2):
        workbook = import_into(word_report(out, snapshots[-1]), tmp_path / f"q{quarter}.xlsx")
        snapshots.append(report(workbook, out, "--as-at", as_at))
    last = snapshots[-1]
    assert {s["title"] for s in snapshots} == {DIGITAL_INCLUSION_TITLE}
    assert sorted(p.name for p in out.glob("*.docx")) == [
        f"{DIGITAL_INCLUSION_TITLE} - {d}.docx" for d in ("2024-06-30", "2024-09-30",
                                                         "2024-12-31")]
    assert [p["as_at"] for p in last["progress"]] == ["2024-06-30", "2024-09-30", "2024-12-31"]
    assert last["changes"]["previous_as_at"] == "30 September 2024"
    assert [(a["action"], a["status"]) for r in last["recommendations"]
            for a in r["actions"]] == [(a["action"], a["status"])
                                       for r in snapshots[0]["recommendations"]
                                       for a in r["actions"]]


# ---------------------------------------------------------------- a computed sentence unlabelled


def unlabel(path: Path) -> int:
    """The document as an editor may leave it: each computed sentence in the Normal
    style, its "System:" label gone. Returns how many were changed."""
    document = docx.Document(str(path))
    changed = 0
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if paragraph.style.style_id != "SystemComment" or not paragraph.text:
                        continue
                    paragraph.style = document.styles["Normal"]
                    first = paragraph._p.find(".//" + qn("w:t"))
                    first.text = first.text.removeprefix("System:").lstrip()  # if still there
                    changed += 1
    document.save(str(path))
    return changed


def test_computed_sentences_are_known_by_their_words_without_style_or_label(make_workbook,
                                                                            tmp_path):
    workbook = make_workbook([
        action(1, "Overridden with a reason", override="Missed target requires action",
               reason="The venue fell through", comments="Venue lost."),
        action(1, "Overridden with no reason", override="Completed Action"),
        action(1, "Missed", due="30/09/2023", comments="Chasing."),
        action(1, "Done", due="Q1 2023-24", status="Completed"),
        action(1, "Done, no date", due="", status="Completed"),
        action(2, "Due within the month", due="30/11/2023", status="Not started"),
        action(2, "Due later", status="Not started"),
        action(2, "Ongoing", due="Ongoing", comments="On target, all going well."),
        action(2, "To be confirmed", due="TBC"),
        action(2, "Unreadable", due="When funding allows"),
        action(2, "Staged", due="Stage 1: Q2 2023-24 Stage 2: Q4 2023-24",
               status="Stage 1 complete"),
        action(2, "Quiet since June", updated=dt.datetime(2023, 6, 1)),
        action(2, "Not needed", status="Not applicable"),
    ])
    out = tmp_path / "out"
    first = report(workbook, out, "--no-previous")
    path = word_report(out, first)
    expected = import_file(path).plan
    assert unlabel(path) >= 13  # each action's (and the summary's note)
    plan = import_file(path).plan
    assert [(a.comments, a.status, a.status_text, a.rag_override_text, a.override_reason)
            for a in plan.actions] == [
        (a.comments, a.status, a.status_text, a.rag_override_text, a.override_reason)
        for a in expected.actions]
    assert [a.comments for a in plan.actions if a.comments] == [
        "Venue lost.", "Chasing.", "On target, all going well."]
