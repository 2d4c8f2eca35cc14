"""make-report --new-workbook PLAN.xlsx --from REPORT.docx: a Word report back into a workbook.

The Word files are built here (tests/word_reports.py) in the original report's
layout from the reference text, in many layout variants, and by make-report
itself; the workbook written is read back by the project's own reader.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from factories import SAMPLE
from factories import action as workbook_action
from word_reports import (
    Layout,
    WordAction,
    WordRecommendation,
    build_word_report,
    coloured_reference_plan,
    reference_plan,
)

from wfs_reports.cli import main
from wfs_reports.config import load_templates
from wfs_reports.domain.model import Rag
from wfs_reports.word_import import colour_rag, read_word_report
from wfs_reports.workbook.reader import read_workbook


def fields(plan) -> list[tuple]:
    """Every field the import must carry, one tuple per recommendation and per action."""
    rows = []
    for rec in plan:
        rows.append(("recommendation", rec.ref, rec.text, "\n\n".join(rec.narrative)))
        for action in rec.actions:
            rows.append(("action", rec.ref, action.text, action.owners,
                         action.completion_date, action.comments, action.status))
    return rows


def imported_fields(plan) -> list[tuple]:
    rows = []
    for rec in plan.recommendations:
        rows.append(("recommendation", rec.ref, rec.text, rec.comments_from_service))
        for action in rec.actions:
            rows.append(("action", rec.ref, action.action, action.owners,
                         action.completion_date, action.comments,
                         action.status.value or action.status_text))
    return rows


# The bundled rules' RAG labels, as make-report passes them without --templates.
LABELS = load_templates(None).rules.labels()


def import_file(path: Path):
    return read_word_report(Path(path).read_bytes(), Path(path).name, LABELS)


# ---------------------------------------------------------------- the original layout


def test_reference_layout_comes_back_field_for_field(tmp_path):
    plan = coloured_reference_plan()
    result = import_file(build_word_report(tmp_path / "report.docx", plan))
    assert imported_fields(result.plan) == fields(plan)
    assert result.plan.settings.title == "WFS Action Plan Update"
    assert result.plan.settings.heading.startswith("Workforce Shortages Across")
    assert result.summary() == (
        "Read 9 recommendations and 14 actions (1 not applicable); 4 RAG colours "
        "(1 completed, 3 in progress, 1 red kept as a RAG Override); 1 warning above")
    # The red cell (Recommendation 7's first action) keeps the officer's judgement.
    assert [(a.ref, a.rag_override_text, a.override_reason) for a in result.plan.actions
            if a.rag_override_text] == [(7, LABELS[Rag.MISSED], "from the Word report")]


def test_reference_layout_keeps_the_parts_the_issue_names(tmp_path):
    result = import_file(build_word_report(tmp_path / "report.docx", coloured_reference_plan()))
    recs = {r.ref: r for r in result.plan.recommendations}
    # Recommendation 6's four narrative paragraphs, from a merged row of the long table.
    assert recs[6].comments_from_service.count("\n\n") == 3
    assert recs[6].comments_from_service.startswith("The council has carried out policies")
    # Paragraphs inside a cell are kept apart (a blank line, as the workbook writes them).
    assert recs[5].actions[0].action.count("\n\n") == 1
    # The full-width "Not applicable ..." row is an action of its own.
    not_applicable = recs[6].actions[-1]
    assert not_applicable.action.startswith("Not applicable for the ICB")
    assert not_applicable.status.value == "Not applicable"
    # The placeholders are gone; the comment cut by a page break is whole again.
    everything = json.dumps(imported_fields(result.plan))
    assert "Insert any relevant comments" not in everything
    assert "Add colour for RAG status" not in everything
    assert "They do not have to be on the Council's main housing register" in \
        recs[6].actions[0].comments
    # The joined row is reported, by where it is.
    assert [p.kind.value for p in result.problems] == ["word_guessed"]
    assert result.problems[0].where.startswith("table ")


@pytest.mark.parametrize("seed", range(60))
def test_layout_variants_come_back_field_for_field(tmp_path, seed):
    """Sixty mixtures of the original's layouts, merges, colours and shadings."""
    plan = coloured_reference_plan()
    layout = Layout.random(seed)
    result = import_file(build_word_report(tmp_path / "report.docx", plan, layout))
    assert imported_fields(result.plan) == fields(plan), layout
    assert len(result.plan.recommendations) == 9
    assert len(result.plan.actions) == 14
    assert result.coloured == {Rag.COMPLETED: 1, Rag.MINOR_ISSUES: 2, Rag.MISSED: 1}, layout
    assert all(p.kind.value == "word_guessed" for p in result.problems), result.problems


def test_uncoloured_reference_has_blank_statuses_but_the_not_applicable_row(tmp_path):
    result = import_file(build_word_report(tmp_path / "report.docx", reference_plan()))
    statuses = [a.status.value for a in result.plan.actions]
    assert statuses == [""] * 10 + ["Not applicable"] + [""] * 3
    assert "0 RAG colours (0 completed, 0 in progress)" in result.summary()


def test_every_paragraph_layout_without_a_long_table(tmp_path):
    """Each recommendation as paragraphs before a table of its own."""
    plan = coloured_reference_plan()
    layout = Layout(long_table_from=99, page_breaks=(), spacer_rows=(), split_comment=False)
    result = import_file(build_word_report(tmp_path / "report.docx", plan, layout))
    assert imported_fields(result.plan) == fields(plan)
    assert result.problems == ()


def test_one_long_table_for_everything(tmp_path):
    plan = coloured_reference_plan()
    layout = Layout(long_table_from=1, new_table_at=(), page_breaks=(), split_comment=False,
                    merge="hmerge")
    path = build_word_report(tmp_path / "report.docx", plan, layout)
    assert len(docx.Document(str(path)).tables) == 2  # the key and the long table
    result = import_file(path)
    assert imported_fields(result.plan) == fields(plan)


# ---------------------------------------------------------------- RAG colours


@pytest.mark.parametrize(("colour", "rag"), [
    ("00B050", Rag.COMPLETED), ("00B04F", Rag.COMPLETED), ("92D050", Rag.COMPLETED),
    ("00703C", Rag.COMPLETED), ("C6EFCE", Rag.COMPLETED), ("70AD47", Rag.COMPLETED),
    ("FFC000", Rag.MINOR_ISSUES), ("FFFF00", Rag.MINOR_ISSUES), ("FF9900", Rag.MINOR_ISSUES),
    ("FFDD00", Rag.MINOR_ISSUES), ("ED7D31", Rag.MINOR_ISSUES),
    ("FF0000", Rag.MISSED), ("C00000", Rag.MISSED), ("D4351C", Rag.MISSED),
    ("FF5050", Rag.MISSED),
    ("FFFFFF", None), ("D9D9D9", None), ("000000", None), ("0070C0", None),
])
def test_colours_close_to_green_amber_and_red(colour, rag):
    assert colour_rag(colour) is rag


def test_the_documents_own_key_for_its_own_colours():
    key = {Rag.COMPLETED: "0070C0", Rag.MINOR_ISSUES: "FF9900", Rag.MISSED: "FF5050"}
    assert colour_rag("0072C4", key) is Rag.COMPLETED  # blue is "completed" in this key
    assert colour_rag("2080D0", key) is Rag.COMPLETED  # near it, and no hue names blue
    assert colour_rag("00B050", key) is Rag.COMPLETED  # far from every key colour: by hue
    assert colour_rag("F79646", key) is Rag.MINOR_ISSUES  # orange, near the key's red: hue
    assert colour_rag("7030A0", key) is None  # purple: neither hue nor key


def _shade(cell, **attributes):
    shd = OxmlElement("w:shd")
    for name, value in attributes.items():
        shd.set(qn(f"w:{name}"), value)
    cell._tc.get_or_add_tcPr().append(shd)


def _small_report(path: Path, rows: list[list[str]], shades: dict[int, dict]) -> Path:
    document = docx.Document()
    document.add_paragraph("Recommendation 1")
    document.add_paragraph("Do the recommended thing.")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("Action", "Owner(s)", "Completion Date",
                                                "Comments", "RAG Status"), strict=True):
        cell.text = text
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = value
        if index in shades:
            _shade(cells[4], **shades[index])
    document.save(path)
    return path


def test_theme_colours_and_tints_are_resolved(tmp_path):
    path = _small_report(tmp_path / "theme.docx", [["One", "A", "Q4 2023-24"],
                                                   ["Two", "B", "Q4 2023-24"],
                                                   ["Three", "C", "Q4 2023-24"]], {
        # python-docx's default document has the Office 2007 theme: accent3 green,
        # accent2 red. The stale hex beside the theme colour must not win.
        0: {"val": "clear", "color": "auto", "fill": "FFFFFF", "themeFill": "accent3"},
        1: {"val": "clear", "color": "auto", "themeFill": "accent3", "themeFillTint": "99"},
        2: {"val": "clear", "color": "auto", "fill": "00B050", "themeFill": "accent2",
            "themeFillShade": "BF"},
    })
    result = import_file(path)
    assert [a.status.value for a in result.plan.actions] == ["Completed", "Completed",
                                                             "In progress"]


def test_an_unexpected_colour_is_in_progress_with_a_warning(tmp_path):
    path = _small_report(tmp_path / "blue.docx", [["One", "A", "Q4 2023-24"]],
                         {0: {"val": "clear", "color": "auto", "fill": "7030A0"}})
    result = import_file(path)
    assert result.plan.actions[0].status.value == "In progress"
    assert [(p.kind.value, p.where) for p in result.problems] == [("word_colour",
                                                                   "table 1, row 2")]
    assert "7030A0" in result.problems[0].message


# ---------------------------------------------------------------- header rows


def test_an_action_starting_with_action_is_an_action_not_a_header(tmp_path):
    """"Action plan to be drafted" with a "Progress: ..." comment looks like
    "Action | Progress" to a reader that takes any cell starting with a header word
    for a header: the first action was lost."""
    plan = coloured_reference_plan()
    first = plan[0].actions[0]
    first.paragraphs = ["Action plan to be drafted with the ICS partners."]
    first.comments = "Progress: the first draft went to the partners in October."
    result = import_file(build_word_report(tmp_path / "report.docx", plan))
    assert imported_fields(result.plan) == fields(plan)
    assert result.plan.recommendations[0].actions[0].action == \
        "Action plan to be drafted with the ICS partners."


def test_two_actions_starting_with_action_are_both_read(tmp_path):
    plan = [WordRecommendation(1, "Agree a workforce plan.", actions=[
        WordAction(["Action plan to be drafted."], owners="Lead officer for HR",
                   completion_date="Q4 2023-24",
                   comments="Progress: a first draft is with the partners."),
        WordAction(["Actions agreed at the Board to be published."], owners="Lead: Comms",
                   completion_date="TBC", comments="Update / none yet.", colour="amber"),
    ])]
    layout = Layout(page_breaks=(), spacer_rows=(), split_comment=False)
    result = import_file(build_word_report(tmp_path / "report.docx", plan, layout))
    assert imported_fields(result.plan) == fields(plan)
    assert result.problems == ()


def test_header_words_with_a_qualifier_are_still_a_header(tmp_path):
    path = _small_report(tmp_path / "qualified.docx", [["One", "A", "Q4 2023-24"]], {})
    document = docx.Document(str(path))
    for cell, text in zip(document.tables[0].rows[0].cells,
                          ("Action(s)", "Owner(s) / Lead", "Due date (quarter)",
                           "Comments / progress", "RAG [colour]"), strict=True):
        cell.text = text
    document.save(path)
    result = import_file(path)
    action = result.plan.actions[0]
    assert (action.action, action.owners, action.completion_date) == ("One", "A", "Q4 2023-24")
    assert result.problems == ()


# ---------------------------------------------------------------- what cannot be placed


def test_extra_cells_unknown_tables_and_stray_text_are_warnings_by_place(tmp_path):
    document = docx.Document()
    other = document.add_table(rows=2, cols=2)
    for row, values in zip(other.rows, (("Budget line", "Amount"), ("Staff", "£12,000")),
                           strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Recommendation 1")
    document.add_paragraph("Do the recommended thing.")
    table = document.add_table(rows=3, cols=5)
    for cell, text in zip(table.rows[0].cells, ("Action", "Owner(s)", "Completion Date",
                                                "Comments", ""), strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("Act", "Owner", "TBC", "", "Stray cell"),
                          strict=True):
        cell.text = text
    table.rows[2].cells[0].text = "Second action"
    document.add_paragraph("Appendix: glossary")
    path = tmp_path / "odd.docx"
    document.save(path)
    result = import_file(path)
    assert [a.action for a in result.plan.actions] == ["Act", "Second action"]
    places = [p.where for p in result.problems]
    assert places == ["table 2, row 2, cell 5", "paragraph 3", "table 1"]
    assert all(p.kind.value == "word_not_placed" for p in result.problems)
    assert "Stray cell" in result.problems[0].message
    assert "no column heading" in result.problems[0].message
    assert "not an action table" in result.problems[2].message
    assert "Appendix: glossary" in result.problems[1].message


def test_formula_like_text_stays_text_in_the_new_workbook(tmp_path):
    path = _small_report(tmp_path / "formula.docx",
                         [['=HYPERLINK("http://example.invalid","x")', "+44 20", "TBC",
                           "-5% on last year", "@mention"]], {})
    target = tmp_path / "plan.xlsx"
    assert main(["--new-workbook", str(target), "--from", str(path), "--quiet"]) == 0
    with zipfile.ZipFile(target) as archive:
        sheets = "".join(archive.read(n).decode() for n in archive.namelist()
                         if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets
    plan = read_workbook(target.read_bytes(), target.name, LABELS)
    action = plan.actions[0]
    assert action.action == '=HYPERLINK("http://example.invalid","x")'
    assert (action.owners, action.comments) == ("+44 20", "-5% on last year")


# ---------------------------------------------------------------- the command


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_command_writes_a_ready_made_workbook_and_leaves_the_word_file(tmp_path, capsys):
    report = build_word_report(tmp_path / "WFS Action Plan Update.docx",
                               coloured_reference_plan())
    before, mtime = sha(report), report.stat().st_mtime_ns
    target = tmp_path / "plan.xlsx"
    assert main(["--new-workbook", str(target), "--from", str(report)]) == 0
    out, err = capsys.readouterr()
    assert out.strip().splitlines()[-1] == (
        "Read 9 recommendations and 14 actions (1 not applicable); 4 RAG colours "
        f"(1 completed, 3 in progress, 1 red kept as a RAG Override); 1 warning above; "
        f"wrote {target}.")
    assert err.startswith("warning: WFS Action Plan Update.docx: table ")
    assert (sha(report), report.stat().st_mtime_ns) == (before, mtime)

    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["Instructions", "Report", "Recommendations", "Actions",
                                  "Owners"]
    actions = workbook["Actions"]
    assert actions.freeze_panes == "A2"
    dropdowns = {str(v.sqref) for v in actions.data_validations.dataValidation}
    assert dropdowns == {"E2:E500", "G2:G500"}  # Status and RAG Override
    assert actions.max_row == 15
    assert actions["D2"].value == "Stage 1: Q4 2023-24 Stage 2: TBC"
    assert actions["D2"].data_type == "s"

    # make-report renders it as it is.
    out_folder = tmp_path / "out"
    assert main([str(target), "--out", str(out_folder), "--format", "json", "--quiet",
                 "--as-at", "2023-11-22"]) == 0
    snapshot = json.loads(next(out_folder.glob("*.json")).read_text(encoding="utf-8"))
    assert snapshot["summary"]["completed"] == 1
    assert snapshot["summary"]["not_applicable"] == 1
    assert sum(len(r["actions"]) for r in snapshot["recommendations"]) == 14


def test_command_never_overwrites_a_workbook(tmp_path, capsys):
    report = build_word_report(tmp_path / "report.docx", reference_plan())
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the officers' own workbook")
    assert main(["--new-workbook", str(target), "--from", str(report)]) == 1
    assert target.read_bytes() == b"the officers' own workbook"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err


def test_the_new_workbook_must_be_an_xlsx(tmp_path, capsys):
    report = build_word_report(tmp_path / "report.docx", reference_plan())
    before = sha(report)
    assert main(["--new-workbook", str(report), "--from", str(report)]) == 1
    assert sha(report) == before
    assert "must end in .xlsx" in capsys.readouterr().err


def test_from_needs_new_workbook(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--from", str(tmp_path / "report.docx")])
    assert exit_.value.code == 2


def _zip_bomb() -> bytes:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (210 * 1024 * 1024))
    return raw.getvalue()


def _no_action_table(path: Path) -> bytes:
    document = docx.Document()
    document.add_paragraph("Minutes of the meeting")
    document.save(path)
    return path.read_bytes()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(("name", "content", "words"), [
    ("notes.docx", b"just some text", "not a Word .docx document"),
    ("old.doc", OLE2 + b"\0" * 600, "Word 97-2003 (.doc)"),
    ("locked.docx", OLE2 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600,
     "password"),
    ("bomb.docx", "bomb", "would unpack to"),
    ("empty.docx", b"", "empty"),
    ("minutes.docx", "no-table", "no action table"),
    ("plan.docx", "workbook", "Excel workbook, not a Word report"),
    ("report.rtf", b"{\\rtf1\\ansi hello}", "Rich Text"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3", "this is a PDF"),
    ("cut-short.docx", b"PK\x03\x04" + b"\0" * 100, "damaged or incomplete"),
])
def test_bad_files_get_one_clear_line(tmp_path, capsys, name, content, words):
    path = tmp_path / name
    if content == "bomb":
        content = _zip_bomb()
    elif content == "no-table":
        content = _no_action_table(tmp_path / "tmp.docx")
    elif content == "workbook":
        content = SAMPLE.read_bytes()
    path.write_bytes(content)
    target = tmp_path / "plan.xlsx"
    assert main(["--new-workbook", str(target), "--from", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith(f"error: {path}: ") or err.startswith(f"error: {name}: "), err
    assert words in err
    assert "Traceback" not in err
    assert not target.exists()
    assert path.read_bytes() == content


def test_missing_word_file(tmp_path, capsys):
    assert main(["--new-workbook", str(tmp_path / "plan.xlsx"), "--from",
                 str(tmp_path / "nowhere.docx")]) == 1
    assert "file not found" in capsys.readouterr().err


# ---------------------------------------------------------------- this project's own report


def test_own_report_round_trips_to_the_same_plan(sample_reports, tmp_path):
    report, first_json = sample_reports.first(".docx"), sample_reports.first(".json")
    target = tmp_path / "imported.xlsx"
    assert main(["--new-workbook", str(target), "--from", str(report), "--quiet"]) == 0
    assert main([str(target), "--out", str(tmp_path / "second"), "--format", "json", "--quiet",
                 "--no-previous"]) == 0
    first = json.loads(first_json.read_text(encoding="utf-8"))
    second = json.loads(next((tmp_path / "second").glob("*.json")).read_text(encoding="utf-8"))
    assert second["as_at"] == first["as_at"]
    assert second["summary"] == first["summary"]
    assert [(e["kind"], e["ref"], e["message"]) for e in second["exceptions"]] == \
        [(e["kind"], e["ref"], e["message"]) for e in first["exceptions"]]

    def plan(snapshot):
        return [(r["ref"], r["text"], r["comments_from_service"],
                 [(a["action"], a["owners"], a["completion_date"], a["comments"], a["rag"],
                   a["rag_source"], a["computed_comment"], a["status"])
                  for a in r["actions"]])
                for r in snapshot["recommendations"]]

    assert plan(second) == plan(first)


def test_every_computed_sentence_the_importer_reads_comes_back(make_workbook, tmp_path):
    """The sentences the rules write and the importer reads back are one set: an
    override with its reason, a refused override, at risk, not started and a stale
    update survive workbook -> Word report -> workbook -> report unchanged."""
    workbook = make_workbook([
        workbook_action(1, "Overridden with a reason", override="Missed target requires action",
               reason="The venue fell through"),
        workbook_action(1, "Overridden with no reason", override="Completed Action"),
        workbook_action(2, "Due within the month", due="30/11/2023", status="Not started"),
        workbook_action(2, "Due later", status="Not started"),
        workbook_action(2, "Quiet since June", updated=dt.datetime(2023, 6, 1)),
    ])
    first, second = tmp_path / "first", tmp_path / "second"
    assert main([str(workbook), "--out", str(first), "--format", "docx,json", "--quiet",
                 "--no-previous"]) == 0
    imported = tmp_path / "imported.xlsx"
    assert main(["--new-workbook", str(imported), "--from", str(next(first.glob("*.docx"))),
                 "--quiet"]) == 0
    assert main([str(imported), "--out", str(second), "--format", "json", "--quiet",
                 "--no-previous"]) == 0

    def actions(folder):
        snapshot = json.loads(next(folder.glob("*.json")).read_text(encoding="utf-8"))
        return [(a["action"], a["status"], a["rag"], a["rag_source"], a["computed_comment"])
                for r in snapshot["recommendations"] for a in r["actions"]], \
            [(e["kind"], e["message"]) for e in snapshot["exceptions"]]

    before, after = actions(first), actions(second)
    assert after == before
    comments = " ".join(comment for *_rest, comment in before[0])
    for words in ("Reason given: The venue fell through", "Officer override refused",
                  "At risk: not started", "Not started yet.", "No update since 1 June 2023"):
        assert words in comments


def test_own_report_system_comments_and_labels_are_not_comments(sample_reports):
    result = import_file(sample_reports.first(".docx"))
    comments = "\n".join(a.comments for a in result.plan.actions)
    assert "System:" not in comments
    for label in ("Completed Action", "On target but with minor issues",
                  "Missed target requires action", "●", "▲", "■"):
        assert label not in comments
    override = [a for a in result.plan.actions if a.rag_override_text]
    assert [(a.ref, a.rag_override_text) for a in override] == [
        (7, "Missed target requires action")]
    assert override[0].override_reason.startswith("The Barts Health and QMUL meeting")
    assert result.plan.settings.as_at.isoformat() == "2023-11-22"
    assert result.plan.settings.meeting == "Tower Hamlets Together Board"
    assert result.problems == ()


def test_own_report_with_trends_reads_the_same(sample_reports):
    report = sample_reports.second(".docx")  # compared with the first: trends in the RAG cells
    text = "\n".join(c.text for t in docx.Document(str(report)).tables for r in t.rows
                     for c in r.cells)
    assert "worse" in text  # the trend words are in the RAG cells
    result = import_file(report)
    assert len(result.plan.actions) == 14
    assert not any("worse" in a.comments or "better" in a.comments
                   for a in result.plan.actions)
    assert result.problems == ()


def test_a_table_with_no_header_row_is_read_in_the_usual_columns(tmp_path):
    document = docx.Document()
    document.add_paragraph("Recommendation 1")
    document.add_paragraph("Do the recommended thing.")
    document.add_paragraph("Comments from Service:")
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("Act", "Owner", "Q4 2023-24", "Going well", ""),
                          strict=True):
        cell.text = text
    path = tmp_path / "no-header.docx"
    document.save(path)
    result = import_file(path)
    action = result.plan.actions[0]
    assert (action.action, action.owners, action.completion_date, action.comments) == (
        "Act", "Owner", "Q4 2023-24", "Going well")
    assert [(p.kind.value, p.where) for p in result.problems] == [("word_guessed",
                                                                   "table 1, row 1")]


def test_own_report_gives_back_stages_marked_complete(make_workbook, tmp_path):
    workbook = make_workbook([
        ["1", "Two-stage action", "Owner", "Stage 1: Q2 2023-24 Stage 2: Q4 2023-24",
         "Stage 1 complete", "", None, None, None],
    ])
    out = tmp_path / "out"
    assert main([str(workbook), "--out", str(out), "--format", "docx", "--quiet"]) == 0
    result = import_file(next(out.glob("*.docx")))
    assert result.plan.actions[0].status_text == "Stage 1 complete"


def test_labels_in_their_own_cell_and_forgiving_headers(tmp_path):
    plan = coloured_reference_plan()
    layout = Layout(long_table_from=1, new_table_at=(), merge="label-cell",
                    comments_label="row", page_breaks=(), split_comment=False,
                    header_in_section=False)
    path = build_word_report(tmp_path / "report.docx", plan, layout)
    document = docx.Document(str(path))
    header = document.tables[1].rows[0].cells
    for cell, text in zip(header, ("Action(s)", "Action Owner(s)", "Completion date (quarter)",
                                   "Comments / update", "RAG Status (colour)"), strict=True):
        cell.text = text
    document.save(path)
    result = import_file(path)
    assert imported_fields(result.plan) == fields(plan)
    assert result.problems == ()
