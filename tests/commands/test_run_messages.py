"""What a normal run tells the officer, and what it keeps (issue 13)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from factories import ACTION_HEADERS, action, listing

from wfs_reports.cli import main


def _run(workbook, out, *extra):
    return main([str(workbook), "--out", str(out), *extra])


def test_editing_the_workbook_without_moving_as_at_keeps_the_earlier_report(
        make_workbook, tmp_path, capsys):
    out = tmp_path / "out"
    first = make_workbook([action(text="First wording")], name="plan.xlsx")
    assert _run(first, out) == 0
    earlier = {p.name: p.read_bytes() for p in listing(out)}
    old_sha = json.loads(earlier["WFS Action Plan Update - 2023-11-22.json"])["source"]["sha256"]
    capsys.readouterr()

    edited = make_workbook([action(text="Second wording")], name="plan.xlsx")
    assert _run(edited, out) == 0
    said = capsys.readouterr().out
    assert ("Replaced the 22 November 2023 report made from a different workbook; the earlier "
            f"files are in {out / 'superseded'} as 'WFS Action Plan Update - 2023-11-22 "
            f"({old_sha[:12]}).*'") in said
    kept = {p.name: p.read_bytes() for p in (out / "superseded").iterdir()}
    assert kept == {name.replace(" - 2023-11-22.", f" - 2023-11-22 ({old_sha[:12]}).", 1): data
                    for name, data in earlier.items()}
    snapshot = json.loads((out / "WFS Action Plan Update - 2023-11-22.json").read_bytes())
    assert snapshot["recommendations"][0]["actions"][0]["action"] == "Second wording"


def test_a_rerun_of_the_same_workbook_just_replaces_the_report(make_workbook, tmp_path, capsys):
    out = tmp_path / "out"
    workbook = make_workbook([action()])
    assert _run(workbook, out, "--format", "json") == 0
    assert _run(workbook, out, "--format", "json") == 0
    assert "Replaced the" not in capsys.readouterr().out
    assert not (out / "superseded").exists()


def test_a_superseded_report_is_not_what_the_next_run_compares_with(
        make_workbook, tmp_path, capsys):
    """The comparison is still with the newest report before this as-at date."""
    out = tmp_path / "out"
    september = make_workbook([action(status="In progress")], as_at=dt.date(2023, 9, 30))
    assert _run(september, out, "--format", "json") == 0
    for text in ("One", "Two"):
        assert _run(make_workbook([action(text=text)]), out, "--format", "json") == 0
    snapshot = json.loads((out / "WFS Action Plan Update - 2023-11-22.json").read_bytes())
    assert snapshot["changes"]["previous_as_at"] == "30 September 2023"


def _messages(capsys):
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.out, captured.err


def test_a_normal_run_ends_with_what_to_fix_by_cell(make_workbook, tmp_path, capsys):
    workbook = make_workbook([
        action(text="Unreadable date", due="when pigs fly"),
        action(text="Kind override", due="31/10/2023", override="G", comments="x"),
        action(text="Fine"),
    ])
    assert _run(workbook, tmp_path / "out", "--format", "json") == 0  # still written
    out, err = _messages(capsys)
    last = err.strip().splitlines()[-4:]
    assert last[0] == "2 problems to fix before circulating the report:"
    assert last[1].startswith("  Actions!D2: 'when pigs fly' is not a date we can read")
    assert last[2].startswith("  Actions!G3: Officer override refused: no reason given")
    assert "Add an Override Reason or remove the override" in last[2]
    assert last[3] == f'  run make-report --check "{workbook.name}" to see every problem and ' \
                      "warning"
    assert "wrote" in out


def test_a_clean_run_lists_nothing_to_fix(make_workbook, tmp_path, capsys):
    assert _run(make_workbook([action()]), tmp_path, "--format", "json") == 0
    _out, err = _messages(capsys)
    assert "to fix before circulating" not in err


def test_the_console_says_which_as_at_date_and_where_it_came_from(
        make_workbook, tmp_path, capsys):
    workbook = make_workbook([action()])
    _run(workbook, tmp_path / "a", "--format", "json")
    assert "As at 22 November 2023, from Report!B3." in _messages(capsys)[0]
    _run(workbook, tmp_path / "b", "--format", "json", "--as-at", "31/03/2024")
    assert "As at 31 March 2024, from --as-at." in _messages(capsys)[0]
    undated = make_workbook([action()], as_at=None, name="undated.xlsx")
    _run(undated, tmp_path / "c", "--format", "json")
    today = dt.date.today()
    assert (f"As at {today.day} {today:%B %Y}, today's date: the workbook gives no 'As at'."
            in _messages(capsys)[0])


def test_the_console_says_what_was_compared(make_workbook, tmp_path, capsys):
    out = tmp_path / "out"
    _run(make_workbook([action()], as_at=dt.date(2023, 9, 30)), out, "--format", "json")
    assert ("No earlier report of this plan in the output folder to compare with"
            in _messages(capsys)[0])
    _run(make_workbook([action()]), out, "--format", "json")
    said = _messages(capsys)[0]
    assert ("Compared with the report as at 30 September 2023 (WFS Action Plan Update - "
            "2023-09-30.json).") in said
    _run(make_workbook([action()]), out, "--format", "json", "--no-previous")
    assert "Not compared with an earlier report (--no-previous)." in _messages(capsys)[0]


def _without(column):
    headers = [h for h in ACTION_HEADERS if h != column]

    def row(**fields):
        full = dict(zip(ACTION_HEADERS, action(**fields), strict=True))
        return {h: full[h] for h in headers}
    return headers, row


def test_a_missing_status_column_is_said_once_with_what_it_means(make_workbook, tmp_path,
                                                                 capsys):
    headers, row = _without("Status")
    workbook = make_workbook([row(text="A"), row(text="B")], action_headers=headers)
    assert _run(workbook, tmp_path, "--format", "json") == 0
    warnings = [line for line in _messages(capsys)[1].splitlines() if "Status" in line]
    assert warnings == [
        "warning: plan.xlsx: Actions!1:1: no 'Status' column, so no action can be Completed "
        "or Not applicable: each is assessed by its date alone; add the column if that is not "
        "meant"]


def test_a_missing_owner_column_is_one_warning_not_one_per_row(make_workbook, tmp_path, capsys):
    headers, row = _without("Owner(s)")
    workbook = make_workbook([row(text="A"), row(text="B")], action_headers=headers)
    main(["--check", str(workbook)])
    out, _err = _messages(capsys)
    assert "no 'Owner(s)' column, so every action is shown with no owner" in out
    assert "Actions with no owner" not in out and "Actions!A2" not in out


def test_a_renamed_report_sheet_is_found_and_said(make_workbook, tmp_path, capsys):
    def rename(workbook):
        workbook["Report"].title = "Settings"

    workbook = make_workbook([action()], customise=rename)
    _run(workbook, tmp_path, "--format", "json")
    out, err = _messages(capsys)
    assert "no sheet named 'Report'; read the settings (title, as-at date, meeting) from " \
           "sheet 'Settings' instead" in err
    assert "As at 22 November 2023, from Settings!B3." in out


def test_a_missing_report_sheet_says_which_defaults_were_used(make_workbook, tmp_path, capsys):
    def remove(workbook):
        del workbook["Report"]

    workbook = make_workbook([action()], customise=remove)
    _run(workbook, tmp_path, "--format", "json")
    _out, err = _messages(capsys)
    assert ("no 'Report' sheet (sheets found: 'Recommendations', 'Actions'), so the report "
            "has no heading, meeting, organisation or classification, and is as at today "
            "unless --as-at is given") in err
    assert "warning: plan.xlsx: no Title, so the report is titled 'plan'" in err


def test_dates_stored_as_numbers_are_read_as_dates_with_one_line_per_column(
        make_workbook, tmp_path, capsys):
    workbook = make_workbook([action(text=f"A{n}", due=45382, updated=45300)
                              for n in range(14)])
    assert _run(workbook, tmp_path, "--format", "json") == 0
    _out, err = _messages(capsys)
    lines = [line for line in err.splitlines() if "stored as a number" in line]
    assert lines == [
        "warning: plan.xlsx: Actions!D:D: 14 dates are stored as a number (e.g. D2 holds "
        "45382, read as 31 March 2024); format column D as Date in Excel (Format Cells > "
        "Date) so officers see the dates",
        "warning: plan.xlsx: Actions!I:I: 14 dates are stored as a number (e.g. I2 holds "
        "45300, read as 9 January 2024); format column I as Date in Excel (Format Cells > "
        "Date) so officers see the dates",
    ]
    snapshot = json.loads(next(tmp_path.glob("*.json")).read_bytes())
    first = snapshot["recommendations"][0]["actions"][0]
    assert first["completion_date"] == "31 March 2024"
    assert first["due"][0]["date"] == "2024-03-31"
    assert "45382" not in json.dumps(snapshot)


# What the Board sees -------------------------------------------------------


def _board_texts(folder):
    import docx
    from pypdf import PdfReader

    pdf = next(folder.glob("*.pdf"))
    pdf_text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    document = docx.Document(next(folder.glob("*.docx")))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    word_text = " ".join([p.text for p in document.paragraphs] + cells)
    return " ".join(pdf_text.split()), " ".join(word_text.split())


def test_the_board_reads_what_is_wrong_and_the_officer_what_to_do(make_workbook, tmp_path,
                                                                   capsys):
    workbook = make_workbook([action(text="Kind override", due="31/10/2023", override="G",
                                     comments="x")])
    _run(workbook, tmp_path, "--format", "pdf,docx")
    _out, err = _messages(capsys)
    assert "Add an Override Reason or remove the override" in err
    for text in _board_texts(tmp_path):
        assert "Officer override refused: no reason given" in text
        assert "Add an Override Reason" not in text


def test_an_action_with_two_problems_is_one_exceptions_row(make_workbook, tmp_path):
    from wfs_reports.commands.report import make_report

    workbook = make_workbook([action(text="Late and stale", due="31/10/2023",
                                     updated=dt.date(2023, 1, 1))])
    context = make_report(workbook, tmp_path, formats=("json",)).context
    assert len(context.exceptions) == 1
    item = context.exceptions[0]
    assert item.kinds == ("missed", "stale")
    assert "overdue" in item.message and "No update since 1 January 2023" in item.message


def test_a_long_action_is_named_by_its_number_and_full_text_never_cut(
        make_workbook, tmp_path):
    from wfs_reports.commands.report import make_report

    text = ("Improve access to existing training budgets for staff across the partnership and "
            "report the take-up each quarter")
    workbook = make_workbook([action(text="Earlier action", due="Q4 2024-25"),
                              action(text=text, due="31/10/2023")])
    (item,) = make_report(workbook, tmp_path, formats=("json",)).context.exceptions
    assert (item.number, item.action) == ("1.2", text)


def test_the_computed_comment_quotes_the_date_as_written(make_workbook, tmp_path):
    from wfs_reports.commands.report import make_report

    workbook = make_workbook([action(due="end of March 2024")])
    comment = make_report(workbook, tmp_path, formats=("json",)).context \
        .recommendations[0].actions[0].computed_comment
    assert "31 March 2024 (end of March 2024)" in comment


def test_a_pdf_that_cannot_be_replaced_leaves_the_whole_earlier_report(make_workbook, tmp_path,
                                                                        capsys):
    """The PDF open in Acrobat (chattr +i is how Linux shows it): the run stops
    with one line, and the Word, PDF and JSON files are exactly as they were,
    even though this run's workbook differs (nothing is moved aside either)."""
    import shutil
    import subprocess

    out = tmp_path / "out"
    assert _run(make_workbook([action(text="Before")]), out) == 0
    earlier = {p.name: p.read_bytes() for p in listing(out)}
    pdf = next(out.glob("*.pdf"))
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(pdf)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not allowed here")
    capsys.readouterr()
    try:
        code = _run(make_workbook([action(text="After")]), out)
    finally:
        subprocess.run(["chattr", "-i", str(pdf)], check=True)
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        f"error: {pdf}: the file is open in another program (Word or a PDF reader?), or "
        "read-only; close the file and run again. Nothing was written"]
    assert {p.name: p.read_bytes() for p in listing(out)} == earlier


def test_an_excel_date_is_written_out_in_every_document(make_workbook, tmp_path):
    """The reader keeps the date; the documents show it as the Board reads dates."""
    from wfs_reports.commands.report import make_report

    workbook = make_workbook([action(due=dt.datetime(2024, 3, 31))])
    context = make_report(workbook, tmp_path, formats=("json",)).context
    shown = context.recommendations[0].actions[0]
    assert shown.completion_date == "31 March 2024"
    assert shown.due[0].date == "2024-03-31"
