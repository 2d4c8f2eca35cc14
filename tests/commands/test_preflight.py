"""make-report --check: doubtful rows listed by cell, nothing written."""

from __future__ import annotations

import datetime as dt

from factories import SAMPLE, action

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
        ("Completion dates that cannot be read (1)", "Actions!D2", "when pigs fly"),
        ("Ambiguous completion dates (1)", "Actions!D3", "Q2 2024"),
        ("Completion dates to be confirmed (1)", "Actions!D4", "tbc"),
        ("Actions with no owner (1)", "Actions!C5", "no owner"),
        ("Overdue with no comment (1)", "Actions!F7", "overdue, in progress"),
        ("Updates older than 90 days (1)", "Actions!I8", "stale"),
        ("Overrides not applied (no reason) (1)", "Actions!G9",
         "Add an Override Reason or remove the override"),
        ("Recommendations with no action (1)", "Recommendations!A4", "Recommendation 3"),
        ("Completed ahead of the completion date (1)", "Actions!E6", "done early"),
    ]
    lines = out.splitlines()
    for heading, cell, words in expected:
        at = lines.index(f"  {heading}")
        assert lines[at + 1].strip().startswith(cell) and words in lines[at + 1], lines[at + 1]
    # Good news is not a warning: it comes last, as information.
    assert out.index("Errors (3)") < out.index("Warnings (5)") < out.index("Good to know (1)")
    assert out.rstrip().endswith("3 errors, 5 warnings: fix the errors before circulating "
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
    lines = out.splitlines()
    at = lines.index("  Problems that stop the report (1)")
    assert lines[at + 1] == ("    Actions!A2  Ref 7 matches no recommendation on the "
                             "Recommendations sheet (found: 1, 2); correct the Ref or add the "
                             "recommendation")
    assert lines[-1] == "1 error, 0 warnings: fix the errors before circulating the report."


def test_the_sample_checks_clean_of_errors(capsys):
    code, out = check(SAMPLE, capsys)
    assert code == 0
    lines = out.splitlines()
    at = lines.index("  Completion dates to be confirmed (3)")
    # One line per cell, in the workbook's order, each saying which recommendation.
    assert [line.split()[0] for line in lines[at + 1:at + 4]] == [
        "Actions!D2", "Actions!D3", "Actions!D15"]
    assert lines[at + 2].startswith("    Actions!D3   date TBC (Recommendation 1: Stage 2: ")
    assert lines[at + 4] == "  Actions with no owner (1)"


def test_overdue_not_started_and_tbc_owners_are_flagged(make_workbook, capsys):
    path = make_workbook([
        action(1, "never begun", due="31/10/2023", status="Not started", comments=""),
        action(1, "nobody yet", owners="TBC"),
        action(1, "owner to be confirmed", owners="To be confirmed"),
        action(1, "done, no owner needed", owners="TBC", status="Completed"),
    ])
    code, out = check(path, capsys)
    lines = out.splitlines()
    at = lines.index("  Overdue with no comment (1)")
    assert lines[at + 1].split() [:4] == ["Actions!F2", "overdue,", "not", "started"]
    at = lines.index("  Actions with no owner (2)")
    assert "Actions!C3" in lines[at + 1] and "'TBC' names nobody yet" in lines[at + 1]
    assert "Actions!C4" in lines[at + 2] and "'To be confirmed'" in lines[at + 2]
    assert "Actions!C5" not in out


def test_the_open_in_excel_note_is_listed(make_workbook, capsys):
    path = make_workbook([action()])
    (path.parent / f"~${path.name}").write_bytes(b"lock")
    _code, out = check(path, capsys)
    assert "is open in Excel" in out


def test_overrides_are_grouped_by_whether_they_were_applied(make_workbook, capsys):
    # Kinder with no reason: refused (an error). Harsher with no reason:
    # applied, but say why (a warning). Any override with a reason: fine.
    path = make_workbook([
        action(1, "refused", override="Completed Action"),
        action(1, "harsher", override="Missed target requires action"),
        action(2, "with reason", override="Completed Action",
               reason="Signed off at the October board"),
    ])
    code, out = check(path, capsys)
    assert code == 1
    assert out.splitlines()[2:] == [
        "Errors (1)",
        "  Overrides not applied (no reason) (1)",
        "    Actions!G2  Officer override refused: no reason given for 'Completed Action', "
        "kinder than the computed 'On target but with minor issues'. Add an Override Reason "
        "or remove the override. (Recommendation 1: refused)",
        "",
        "Warnings (1)",
        "  Overrides without a reason (1)",
        "    Actions!H3  'Missed target requires action' applied; say why in Override Reason "
        "(Recommendation 1: harsher)",
        "",
        "1 error, 1 warning: fix the errors before circulating the report.",
    ]
