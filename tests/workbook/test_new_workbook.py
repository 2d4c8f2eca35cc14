"""make-report --new-workbook: a ready-made workbook the reader accepts."""

from __future__ import annotations

import json

import openpyxl

from wfs_reports.cli import main


def test_new_workbook_has_the_contract_sheets_dropdowns_and_guidance(tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    assert main(["--new-workbook", str(path)]) == 0
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Instructions", "Report", "Recommendations", "Actions",
                                  "Owners"]
    actions = workbook["Actions"]
    assert [c.value for c in actions[1]] == [
        "Ref", "Action", "Owner(s)", "Completion Date", "Status", "Comments",
        "RAG Override", "Override Reason", "Last Updated"]
    assert actions.freeze_panes == "A2"
    lists = {str(v.sqref): v.formula1 for v in actions.data_validations.dataValidation}
    assert lists["E2:E500"] == '"Not started,In progress,Completed,Not applicable"'
    assert "Missed target requires action" in lists["G2:G500"]
    assert "Q4 2023-24" in actions["D1"].comment.text
    assert actions.column_dimensions["B"].width >= 50
    assert [r[0].value for r in workbook["Report"].iter_rows(min_row=2)][:2] == [
        "Title", "Heading"]


def test_new_workbook_never_overwrites(tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"precious")
    assert main(["--new-workbook", str(path)]) == 1
    assert "already exists and was left as it is" in capsys.readouterr().err
    assert path.read_bytes() == b"precious"


def test_make_report_accepts_it_once_rows_are_added(tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    assert main(["--new-workbook", str(path)]) == 0
    workbook = openpyxl.load_workbook(path)
    workbook["Recommendations"].append([1, "Grow the local workforce", ""])
    workbook["Actions"].append([1, "Run a jobs fair", "Alex", "Q3 2024-25", "Not started"])
    workbook.save(path)
    out = tmp_path / "out"
    assert main([str(path), "--out", str(out), "--as-at", "2024-06-01", "--quiet",
                 "--format", "json"]) == 0
    snapshot = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert snapshot["recommendations"][0]["actions"][0]["due"][0]["date"] == "2024-12-31"


def test_an_empty_new_workbook_is_refused_not_rendered_blank(tmp_path, capsys):
    workbook = tmp_path / "new.xlsx"
    assert main(["--new-workbook", str(workbook)]) == 0
    out = tmp_path / "out"
    assert main([str(workbook), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "new.xlsx: Recommendations!A2: there are no recommendations" in err
    assert not out.exists() or not any(out.iterdir())
    assert main(["--check", str(workbook)]) == 1
    # The error, and in the same pass the blank Title's note.
    assert "1 error, 1 warning" in capsys.readouterr().out


def test_dropdowns_warn_rather_than_refuse_what_the_reader_accepts(tmp_path):
    # Excel would refuse "Stage 1 complete" under a "stop" validation, though
    # the reader (and the header note) accept it.
    import openpyxl

    from wfs_reports.cli import main

    path = tmp_path / "new.xlsx"
    assert main(["--new-workbook", str(path)]) == 0
    sheet = openpyxl.load_workbook(path)["Actions"]
    validations = {v.errorTitle: v for v in sheet.data_validations.dataValidation}
    assert validations["Status"].errorStyle == "warning"
    assert "Stage 1 complete" in validations["Status"].error
    assert validations["RAG Override"].errorStyle == "warning"
    # Columns wrap, so rows the officer adds wrap too.
    assert sheet.column_dimensions["B"].alignment.wrap_text is True
