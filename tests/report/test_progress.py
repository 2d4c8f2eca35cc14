"""Progress over time: which earlier snapshots count, and the numbers every format gets."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from factories import action

from wfs_reports.cli import main
from wfs_reports.commands.report import make_report
from wfs_reports.report.snapshot import earlier_reports

TITLE = "WFS Action Plan Update"


def snapshot(folder: Path, name: str, title: str, as_at: str, completed: int, minor: int,
             missed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps({
        "title": title, "as_at": as_at,
        "summary": {"completed": completed, "minor_issues": minor, "missed": missed}}),
        encoding="utf-8")


def test_the_output_folder_is_read_for_snapshots_of_the_same_plan_only(tmp_path):
    snapshot(tmp_path, "a.json", TITLE, "2023-06-30", 1, 2, 3)
    snapshot(tmp_path, "other plan.json", "Another plan", "2023-07-31", 9, 9, 9)
    snapshot(tmp_path / "archive", "old.json", TITLE, "2023-01-31", 4, 4, 4)  # moved away
    (tmp_path / "notes.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "broken.json").write_bytes(b"\xff{")
    found = earlier_reports(tmp_path, TITLE, dt.date(2024, 1, 1)).counts
    assert [(r.as_at.isoformat(), r.total, r.source) for r in found] == [
        ("2023-06-30", 6, "a.json")]


def rows() -> list[list]:
    # Due 31 March 2024: on target in November 2023, missed by April 2024.
    return [
        action(1, "Recruit nurses", due="Q4 2023-24"),
        action(1, "Publish the data set", due="Q3 2023-24", status="Completed"),
        action(2, "Agree the housing offer", due="31/03/2024"),
        action(2, "Open the second hub", due="Q4 2024-25"),
    ]


def test_every_format_gets_the_numbers_of_each_report(make_workbook, tmp_path):
    workbook = make_workbook(rows())
    out = tmp_path / "out"
    for when in ("2023-06-30", "2023-11-22"):
        assert main([str(workbook), "--out", str(out), "--as-at", when, "--quiet",
                     "--format", "json"]) == 0
    result = make_report(workbook, out, as_at=dt.date(2024, 4, 15), formats=("json",))
    progress = result.context.progress
    assert progress is not None and progress.heading == "Progress over time"
    assert [p.as_at for p in progress.points] == ["30 June 2023", "22 November 2023",
                                                   "15 April 2024"]
    assert [[c.count for c in p.counts] for p in progress.points] == [
        [1, 3, 0], [1, 3, 0], [1, 1, 2]]
    assert [p.current for p in progress.points] == [False, False, True]
    assert progress.row_label(progress.points[-1]) == "15 April 2024 (This report)"
    assert "Missed target requires action 0 to 2" in progress.alt_text
    saved = json.loads(next(out.glob("*2024-04-15.json")).read_text(encoding="utf-8"))
    assert saved["progress"] == [
        {"as_at": "2023-06-30", "completed": 1, "minor_issues": 3, "missed": 0, "total": 4},
        {"as_at": "2023-11-22", "completed": 1, "minor_issues": 3, "missed": 0, "total": 4},
        {"as_at": "2024-04-15", "completed": 1, "minor_issues": 1, "missed": 2, "total": 4},
    ]


def test_the_first_report_has_no_progress_section(make_workbook, tmp_path):
    result = make_report(make_workbook(rows()), tmp_path, formats=("json",))
    assert result.context.progress is None
    assert json.loads(next(tmp_path.glob("*.json")).read_text(encoding="utf-8"))[
        "progress"] is None


@pytest.mark.parametrize("flag", ["--no-previous", "--previous"])
def test_previous_flags_only_choose_the_comparison(make_workbook, tmp_path, flag):
    workbook = make_workbook(rows())
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    assert main([str(workbook), "--out", str(out), "--as-at", "2023-06-30", "--quiet",
                 "--format", "json"]) == 0
    assert main([str(workbook), "--out", str(elsewhere), "--as-at", "2023-09-30", "--quiet",
                 "--format", "json"]) == 0
    args = [flag] if flag == "--no-previous" else [flag, str(next(elsewhere.glob("*.json")))]
    assert main([str(workbook), "--out", str(out), "--as-at", "2024-04-15", "--quiet",
                 "--format", "json", *args]) == 0
    saved = json.loads(next(out.glob("*2024-04-15.json")).read_text(encoding="utf-8"))
    # The history is the output folder's; --previous names only what "Changes" compares.
    assert [p["as_at"] for p in saved["progress"]] == ["2023-06-30", "2024-04-15"]
    if flag == "--no-previous":
        assert saved["changes"] is None
    else:
        assert saved["changes"]["previous_as_at"] == "30 September 2023"


def test_excel_gets_a_progress_sheet_with_a_chart_of_the_same_numbers(make_workbook, tmp_path):
    import openpyxl

    workbook = make_workbook(rows())
    out = tmp_path / "out"
    assert main([str(workbook), "--out", str(out), "--as-at", "2023-11-22", "--quiet",
                 "--format", "json,xlsx"]) == 0
    first = openpyxl.load_workbook(next(out.glob("*2023-11-22.xlsx")))
    assert "Progress over time" not in first.sheetnames
    assert main([str(workbook), "--out", str(out), "--as-at", "2024-04-15", "--quiet",
                 "--format", "xlsx"]) == 0
    sheet = openpyxl.load_workbook(next(out.glob("*2024-04-15.xlsx")))["Progress over time"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["22 November 2023", 1, 3, 0, 4], ["15 April 2024 (This report)", 1, 1, 2, 4]]
    import zipfile

    with zipfile.ZipFile(next(out.glob("*2024-04-15.xlsx"))) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode("utf-8")
    assert 'grouping val="stacked"' in chart and "'Progress over time'!$B$2:$B$3" in chart


def test_a_templates_folder_from_before_the_picture_still_draws_it(make_workbook, tmp_path,
                                                                   templates_copy):
    folder = templates_copy
    (folder / "progress.typ").unlink()
    workbook = make_workbook(rows())
    out = tmp_path / "out"
    assert main([str(workbook), "--out", str(out), "--as-at", "2023-11-22", "--quiet",
                 "--format", "json"]) == 0
    assert main([str(workbook), "--out", str(out), "--as-at", "2024-04-15", "--quiet",
                 "--format", "html,pdf,docx", "--templates", str(folder)]) == 0
    assert "<svg" in next(out.glob("*.html")).read_text(encoding="utf-8")



def test_word_draws_the_picture_from_a_template_given_as_a_traversable(tmp_path):
    import io
    import zipfile

    import docx
    from factories import make_context, with_progress

    from wfs_reports.config import bundled_templates
    from wfs_reports.render.docx import render_docx

    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(bundled_templates() / "report.docx", "templates/report.docx")
    data = render_docx(with_progress(make_context()),
                       zipfile.Path(bundle, "templates/report.docx"), bundled_templates())
    document = docx.Document(io.BytesIO(data))
    assert "Progress over time" in [p.text for p in document.paragraphs]
