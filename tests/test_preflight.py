"""make-report --check: doubtful rows listed by cell, nothing written."""

from __future__ import annotations

import datetime as dt

from conftest import SAMPLE, action

from wfs_reports.cli import main


def check(path, capsys, *extra):
    code = main(["--check", str(path), *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out


def test_doubtful_rows_are_listed_by_cell_and_errors_exit_1(make_workbook, capsys, tmp_path):
    path = make_workbook(
        [
            action(1, "unreadable", due="when pigs fly"),
            action(1, "ambiguous", due="Q2 2024"),
            action(1, "tbc", due="TBC"),
            action(2, "no owner", owners=""),
            action(2, "done early", due="Q4 2024-25", status="Completed"),
            action(2, "overdue", due="31/10/2023", comments=""),
            action(2, "stale", due="Q4 2023-24", updated=dt.date(2023, 1, 1)),
            action(2, "kind override", due="31/10/2023", override="G", comments="x"),
        ],
        recommendations=[[1, "One", ""], [2, "Two", ""], [3, "Three has no actions", ""]],
    )
    code, out = check(path, capsys)
    assert code == 1
    expected = [
        ("Completion dates that cannot be read (1)", "Actions!D2"),
        ("Ambiguous completion dates (1)", "Actions!D3"),
        ("Completion dates to be confirmed (1)", "Actions!D4"),
        ("Actions with no owner (1)", "Actions!C5"),
        ("Completed, but the completion date is still ahead (1)", "Actions!E6"),
        ("Overdue, in progress and no comment (1)", "Actions!F7"),
        ("Updates older than 90 days (1)", "Actions!I8"),
        ("Overrides not applied (no reason) (1)", "Actions!G9"),
        ("Recommendations with no action (1)", "Recommendations!A4"),
    ]
    for heading, cell in expected:
        assert heading in out
        assert cell in out
    assert out.index("Errors (3)") < out.index("Warnings (6)")
    assert out.rstrip().endswith("3 errors, 6 warnings: fix the errors before circulating "
                                 "the report.")
    assert list(tmp_path.iterdir()) == [path], "--check writes nothing"


def test_warnings_alone_exit_0(make_workbook, capsys):
    path = make_workbook([action(1, "tbc", due="TBC")])
    code, out = check(path, capsys)
    assert code == 0
    assert "No errors, 2 warnings to look at." in out  # the TBC and recommendation 2


def test_problems_that_stop_the_report_are_errors(make_workbook, capsys):
    path = make_workbook([action(7, "orphan")])
    code, out = check(path, capsys)
    assert code == 1
    assert "Problems that stop the report (1)" in out
    assert "Actions!A2" in out and "matches no recommendation" in out


def test_the_sample_checks_clean_of_errors(capsys):
    code, out = check(SAMPLE, capsys)
    assert code == 0
    assert "Completion dates to be confirmed (3)" in out
    assert "Actions!D3" in out and "Actions!D15" in out
