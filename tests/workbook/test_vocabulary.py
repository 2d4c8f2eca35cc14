"""One vocabulary: the RAG labels and day limits come from the rules in use
(templates/rules.toml), for the reader, the new workbook and the documents."""

from __future__ import annotations

import json

import openpyxl
import pytest
from factories import action

from wfs_reports.cli import main


@pytest.fixture
def off_track_templates(templates_copy):
    """A templates copy whose rules call the red RAG 'Off track' and go stale at 30 days."""
    folder = templates_copy
    rules = folder / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace('label = "Missed target requires action"', 'label = "Off track"')
    text = text.replace("stale_days = 90", "stale_days = 30")
    assert "Off track" in text and "stale_days = 30" in text
    rules.write_text(text, encoding="utf-8")
    return folder


def test_an_override_in_the_renamed_label_is_accepted(make_workbook, off_track_templates,
                                                      tmp_path, capsys):
    workbook = make_workbook([action(due="Q4 2023-24", override="Off track",
                                     reason="Funding withdrawn")])
    out = tmp_path / "out"
    code = main([str(workbook), "--out", str(out), "--format", "json",
                 "--templates", str(off_track_templates)])
    assert code == 0, capsys.readouterr().err
    snapshot = json.loads(next(out.glob("*.json")).read_bytes())
    first = snapshot["recommendations"][0]["actions"][0]
    assert (first["rag"], first["rag_label"], first["rag_source"]) == (
        "missed", "Off track", "override")


def test_a_label_the_rules_do_not_have_is_refused_naming_the_ones_they_do(
        make_workbook, off_track_templates, tmp_path, capsys):
    workbook = make_workbook([action(override="Off the rails")])
    code = main([str(workbook), "--out", str(tmp_path), "--templates", str(off_track_templates)])
    err = capsys.readouterr().err
    assert code == 1
    assert ("Actions!G2: RAG Override 'Off the rails' is not a RAG status; use Completed "
            "Action, On target but with minor issues, Off track (or G, A, R)") in err


def test_the_new_workbook_speaks_the_rules_words(off_track_templates, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    assert main(["--new-workbook", str(path), "--templates", str(off_track_templates)]) == 0
    workbook = openpyxl.load_workbook(path)
    actions = workbook["Actions"]
    override = next(v for v in actions.data_validations.dataValidation
                    if "G" in str(v.sqref).split(":")[0])
    assert override.formula1.strip('"').split(",") == [
        "Completed Action", "On target but with minor issues", "Off track"]
    headers = {cell.value: cell for cell in actions[1]}
    assert "Rows not updated for 30 days are flagged." in headers["Last Updated"].comment.text
    instructions = " ".join(str(c.value) for c in workbook["Instructions"]["A"] if c.value)
    assert "Off track" in instructions and "Missed target requires action" not in instructions


def test_a_workbook_from_a_word_report_speaks_the_rules_words(
        make_workbook, off_track_templates, tmp_path, capsys):
    """--new-workbook --from --templates: the Word import and the new workbook
    both use the rules of the templates given, not the bundled ones."""
    templates = ["--templates", str(off_track_templates)]
    workbook = make_workbook([
        action(1, "Recruit", due="Q4 2023-24", override="Off track", reason="Funding withdrawn."),
        action(1, "Train", due="Q4 2023-24"),
    ])
    report_folder = tmp_path / "report"
    assert main([str(workbook), "--out", str(report_folder), "--format", "docx",
                 "--no-previous", "--quiet", *templates]) == 0
    report = next(report_folder.glob("*.docx"))
    capsys.readouterr()

    target = tmp_path / "back.xlsx"
    assert main(["--new-workbook", str(target), "--from", str(report), *templates]) == 0
    out, err = capsys.readouterr()
    assert err == ""  # every RAG word in the report was recognised
    assert out.startswith("Read 2 recommendations and 2 actions")

    actions = openpyxl.load_workbook(target)["Actions"]
    override = next(v for v in actions.data_validations.dataValidation
                    if str(v.sqref).startswith("G"))
    assert override.formula1.strip('"').split(",") == [
        "Completed Action", "On target but with minor issues", "Off track"]
    rows = [(row[1].value, row[6].value, row[7].value)
            for row in actions.iter_rows(min_row=2)]
    assert rows == [("Recruit", "Off track", "Funding withdrawn."), ("Train", None, None)]

    # The new workbook renders with the same override, in the same words.
    out_folder = tmp_path / "again"
    assert main([str(target), "--out", str(out_folder), "--format", "json", "--no-previous",
                 "--quiet", *templates]) == 0
    snapshot = json.loads(next(out_folder.glob("*.json")).read_bytes())
    first = snapshot["recommendations"][0]["actions"][0]
    assert (first["rag"], first["rag_label"], first["rag_source"]) == (
        "missed", "Off track", "override")
