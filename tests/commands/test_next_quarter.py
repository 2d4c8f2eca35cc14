"""make-report --next-quarter: a copy of the workbook for the next report (issue 22 §3).

The copy has the next quarter's As at, the meeting date given (or none, with a
warning), and no overrides, each cleared one listed; nothing else in it
changes, and the workbook itself is never changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import openpyxl
import pytest
from factories import (
    ACTIONS_PART,
    REPORT_PART,
    action,
    as_excel_saves,
    changed_cells,
    officer_extras,
    only_gained,
    outside_cells,
    write_workbook,
    zip_parts,
)

from wfs_reports.cli import main
from wfs_reports.config import load_templates
from wfs_reports.workbook.reader import read_workbook

LABELS = load_templates(None).rules.labels()
MINOR = LABELS[next(rag for rag in LABELS if rag.value == "minor_issues")]


@pytest.fixture
def officer_workbook(tmp_path):
    """An officer's workbook, as at the end of Q4 2023-24, with what openpyxl drops."""
    path = write_workbook(
        tmp_path / "WFS plan.xlsx",
        [action(1, "Agree the plan", override=MINOR, reason="Agreed by the Board in March",
                updated=dt.date(2024, 3, 2)),
         action(1, "Recruit staff", override="Red", updated=dt.date(2024, 2, 1)),
         action(2, "Review rota", status="Not started", reason="Left from an old override")],
        as_at=dt.date(2024, 3, 31),
        report={"Meeting date": dt.date(2024, 4, 16)},
        customise=officer_extras,
    )
    path.write_bytes(as_excel_saves(path.read_bytes()))
    return path


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_copy_moves_the_dates_and_clears_the_overrides_and_nothing_else(
        officer_workbook, capsys):
    original = officer_workbook.read_bytes()
    assert main(["--next-quarter", str(officer_workbook), "--meeting-date", "16/07/2024"]) == 0
    out, err = capsys.readouterr()
    copy = officer_workbook.with_name("WFS plan (next quarter).xlsx")
    assert out.splitlines() == [
        f"Actions!G2: override '{MINOR}' cleared (reason: 'Agreed by the Board in March')",
        "Actions!G3: override 'Red' cleared (no Override Reason)",
        "Actions!H4: Override Reason 'Left from an old override' cleared (no override)",
        f"Wrote {copy}: as at 30 June 2024 (Q1 2024-25; was 31 March 2024), meeting date "
        "16 July 2024, 3 overrides cleared; the original workbook is unchanged.",
    ]
    assert err == ""
    assert officer_workbook.read_bytes() == original

    before, after = zip_parts(original), zip_parts(copy.read_bytes())
    assert list(after) == list(before)
    assert {name for name in before if after[name] != before[name]} <= {
        REPORT_PART, ACTIONS_PART, "xl/styles.xml"}
    assert only_gained(before["xl/styles.xml"], after["xl/styles.xml"])
    assert changed_cells(before[REPORT_PART], after[REPORT_PART]) == {"B3", "B4"}
    assert changed_cells(before[ACTIONS_PART], after[ACTIONS_PART]) == {
        "G2", "H2", "G3", "H4"}
    for part in (REPORT_PART, ACTIONS_PART):
        assert outside_cells(after[part]) == outside_cells(before[part])

    book = openpyxl.load_workbook(io.BytesIO(copy.read_bytes()))
    assert book["Report"]["B3"].value == dt.datetime(2024, 6, 30)
    assert book["Report"]["B4"].value == dt.datetime(2024, 7, 16)
    actions = book["Actions"]
    assert [actions[f"I{row}"].value for row in (2, 3)] == [
        dt.datetime(2024, 3, 2), dt.datetime(2024, 2, 1)]  # Last Updated stays
    assert actions["K2"].value == '=IF(I2="","",TODAY()-I2)'
    plan = read_workbook(copy.read_bytes(), copy.name, LABELS)
    assert plan.settings.as_at == dt.date(2024, 6, 30)
    assert [(a.rag_override, a.override_reason) for r in plan.recommendations
            for a in r.actions] == [(None, "")] * 3


def test_headers_in_any_order_and_spelling_are_found(make_workbook, capsys):
    headers = ["Action", "Reason", "Rec", "Due", "Officer RAG", "Updated", "Owner", "Status"]
    workbook = make_workbook(
        [{"Rec": 1, "Action": "Agree the plan", "Owner": "Amy", "Due": "Q1 2024-25",
          "Status": "In progress", "Officer RAG": "A", "Reason": "Board agreed",
          "Updated": dt.date(2024, 3, 1)}],
        action_headers=headers, as_at=None,
        report={"Position as at": dt.date(2024, 9, 30), "Date of Meeting": dt.date(2024, 10, 8)})
    assert main(["--next-quarter", str(workbook)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "Actions!E2: override 'A' cleared (reason: 'Board agreed')"
    assert ("as at 31 December 2024 (Q3 2024-25; was 30 September 2024), meeting date blank"
            in out)
    assert err == ("warning: plan.xlsx: Report!B4: the Meeting date is left blank; type the "
                   "date of the meeting this report goes to (or give --meeting-date)\n")
    copy = openpyxl.load_workbook(workbook.with_name("plan (next quarter).xlsx"))
    assert copy["Report"]["B3"].value == dt.datetime(2024, 12, 31)
    assert copy["Report"]["B4"].value is None
    assert [copy["Actions"][cell].value for cell in ("B2", "E2", "F2")] == [
        None, None, dt.datetime(2024, 3, 1)]


def test_as_at_given_and_a_second_copy_numbered(make_workbook, capsys):
    workbook = make_workbook([action()], as_at=dt.date(2023, 11, 22))
    assert main(["--next-quarter", str(workbook), "--as-at", "Q4 2023-24"]) == 0
    assert main(["--next-quarter", str(workbook), "--as-at", "2023-10-31"]) == 0
    out, err = capsys.readouterr()
    first = workbook.with_name("plan (next quarter).xlsx")
    second = workbook.with_name("plan (next quarter 2).xlsx")
    assert f"Wrote {first}: as at 31 March 2024 (Q4 2023-24; was 22 November 2023)" in out
    assert f"Wrote {second}: as at 31 October 2023" in out
    # The workbook has no Meeting date row, and the second As at goes backwards.
    assert "warning: plan.xlsx: Report: the Report sheet has no 'Meeting date' row" in err
    assert ("warning: plan.xlsx: Report!B3: the new As at, 31 October 2023, is not after the "
            "current one, 22 November 2023; check --as-at") in err
    assert openpyxl.load_workbook(first)["Report"]["B3"].value == dt.datetime(2024, 3, 31)
    assert "no overrides to clear" in out


def test_a_meeting_date_with_nowhere_to_go_is_refused(make_workbook, capsys):
    workbook = make_workbook([action()])
    before = _sha(workbook)
    assert main(["--next-quarter", str(workbook), "--meeting-date", "16/07/2024"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: plan.xlsx: the Report sheet has no 'Meeting date' row")
    assert _sha(workbook) == before
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["plan.xlsx"]


def test_an_override_cell_holding_a_formula_stops_the_copy(make_workbook, capsys):
    def formula_reason(book):
        book["Actions"]["H2"] = '=IF(E2="Completed","Done","Late")'

    workbook = make_workbook([action(override="Red")],
                             customise=formula_reason)
    workbook.write_bytes(as_excel_saves(workbook.read_bytes()))
    assert main(["--next-quarter", str(workbook)]) == 1
    err = capsys.readouterr().err
    assert "error: plan.xlsx: Actions!H2: the cell holds a formula" in err
    assert sorted(p.name for p in workbook.parent.iterdir()) == ["plan.xlsx"]


def test_meeting_date_needs_next_quarter(make_workbook, capsys):
    with pytest.raises(SystemExit):
        main([str(make_workbook([action()])), "--meeting-date", "16/07/2024"])
    assert "--meeting-date goes with --next-quarter" in capsys.readouterr().err
