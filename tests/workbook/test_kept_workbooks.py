"""The workbook officers really keep (issue 20 §4): lookup columns showing
#N/A, Refs, owners and dates merged down a group of rows, a "RAG Status"
column copied from the Word report, recurring dates, and --check listing all
of it in one pass.

Every workbook here is a Digital Inclusion plan (tests/factories.py), not the
sample, run through the command as an officer would.
"""

from __future__ import annotations

import json
from pathlib import Path

from factories import action, digital_inclusion_plan

RED = "Missed target requires action"


def run(cli, path: Path, tmp_path: Path) -> tuple[str, dict]:
    """make-report to JSON: (what it printed on stderr, the snapshot)."""
    out = tmp_path / "out"
    code, _out, err = cli([path, "--out", out, "--format", "json"])
    assert code == 0, err
    [snapshot] = out.glob("*.json")
    return err, json.loads(snapshot.read_text(encoding="utf-8"))


def actions(snapshot: dict) -> list[dict]:
    return [a for rec in snapshot["recommendations"] for a in rec["actions"]]


def warning_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("warning: ")]


def check_lines(cli, path: Path) -> tuple[int, list[str]]:
    code, out, _err = cli(["--check", path])
    return code, out.splitlines()


# -- formula errors in columns the report does not use -------------------------------

def lookups(workbook) -> None:
    """A VLOOKUP column the officer keeps beside the plan, two rows not found,
    and a stray #VALUE! in a column with no header."""
    sheet = workbook["Actions"]
    sheet["J1"] = "Directorate (lookup)"
    sheet["J2"] = "Libraries"
    sheet["J3"] = "#N/A"
    sheet["J4"] = "#N/A"
    sheet["L3"] = "#VALUE!"


def test_a_formula_error_in_an_unused_column_is_a_warning_naming_the_cell(tmp_path, cli):
    path = digital_inclusion_plan(tmp_path / "digital.xlsx", customise=lookups)
    err, snapshot = run(cli, path, tmp_path)
    warnings = warning_lines(err)
    for line in (
        "warning: digital.xlsx: Actions!J3: the cell shows the error #N/A, in a column the "
        "report does not use (column J, 'Directorate (lookup)'); it was ignored",
        "warning: digital.xlsx: Actions!J4: the cell shows the error #N/A, in a column the "
        "report does not use (column J, 'Directorate (lookup)'); it was ignored",
        "warning: digital.xlsx: Actions!L3: the cell shows the error #VALUE!, in a column the "
        "report does not use (column L, which has no header); it was ignored",
    ):
        assert line in warnings, err
    assert [a["owners"] for a in actions(snapshot)] == [
        "Libraries Manager", "Digital Inclusion Lead", "Housing Training Lead"]


def test_a_formula_error_in_a_column_the_report_uses_still_stops_it(tmp_path, cli):
    def broken_owner(workbook):
        lookups(workbook)
        workbook["Actions"]["C3"] = "#N/A"  # Owner(s), looked up and not found

    path = digital_inclusion_plan(tmp_path / "digital.xlsx", customise=broken_owner)
    out = tmp_path / "out"
    code, _out, err = cli([path, "--out", out])
    assert code == 1
    assert [line for line in err.splitlines() if line.startswith("error: ")] == [
        "error: digital.xlsx: Actions!C3: the cell shows the error #N/A; correct the formula "
        "or value in Excel (or clear the cell) and run again"]
    assert not out.exists()


def test_a_formula_with_no_saved_value_in_an_unused_column_is_a_warning(tmp_path, cli):
    def formula(workbook):
        workbook["Actions"]["J1"] = "Days left"
        workbook["Actions"]["J2"] = "=D2-TODAY()"  # openpyxl saves it with no value

    path = digital_inclusion_plan(tmp_path / "digital.xlsx", customise=formula)
    err, _snapshot = run(cli, path, tmp_path)
    assert ("warning: digital.xlsx: Actions!J2: formula =D2-TODAY() has no saved value (the "
            "workbook was saved by a program that does not calculate), in a column the report "
            "does not use (column J, 'Days left'); it was ignored") in warning_lines(err)


# -- merged cells --------------------------------------------------------------------

MERGED_ROWS = [
    action(1, "Install public Wi-Fi in the six branch libraries", "Libraries Manager",
           "Q4 2024-25", "In progress", "Four of six branches live"),
    action(1, "Lend 200 refurbished laptops", "Libraries Manager", "Q4 2024-25",
           "Not started"),
    action(2, "Run digital champion training for housing officers", "Housing Training Lead",
           "Q1 2024-25", "Completed", "42 officers trained"),
    action(2, "Train library staff as digital champions", "Housing Training Lead",
           "Q3 2024-25", "In progress", "First cohort booked"),
    action(2, "Publish a directory of free help online", "Housing Training Lead",
           "Q3 2024-25", "Not started"),
]


def merge(*ranges: str):
    def customise(workbook) -> None:
        for cells in ranges:
            workbook["Actions"].merge_cells(cells)  # Excel keeps the top-left value only
    return customise


def test_a_merged_ref_owner_and_date_hold_for_every_row_of_the_merge(tmp_path, cli):
    def merged(workbook):
        workbook["Actions"]["J1"] = "Theme"  # a column of the officer's own, merged too
        workbook["Actions"]["J2"] = "Access"
        merge("A2:A3", "C2:C3", "D2:D3", "A4:A6", "C4:C6", "D5:D6", "J2:J6")(workbook)

    path = digital_inclusion_plan(tmp_path / "digital.xlsx", actions=MERGED_ROWS,
                                  customise=merged)
    err, snapshot = run(cli, path, tmp_path)
    read = [(rec["ref"], a["owners"], a["completion_date"])
            for rec in snapshot["recommendations"] for a in rec["actions"]]
    assert read == [
        (1, "Libraries Manager", "Q4 2024-25"),
        (1, "Libraries Manager", "Q4 2024-25"),
        (2, "Housing Training Lead", "Q1 2024-25"),
        (2, "Housing Training Lead", "Q3 2024-25"),
        (2, "Housing Training Lead", "Q3 2024-25"),
    ]
    warnings = warning_lines(err)
    for line in (
        "warning: digital.xlsx: Actions!A2:A3: the Ref cells of rows 2 and 3 are merged: read "
        "as '1' for each of those two rows",
        "warning: digital.xlsx: Actions!C4:C6: the Owner(s) cells of rows 4 to 6 are merged: "
        "read as 'Housing Training Lead' for each of those three rows",
        "warning: digital.xlsx: Actions!D5:D6: the Completion Date cells of rows 5 and 6 are "
        "merged: read as 'Q3 2024-25' for each of those two rows",
    ):
        assert line in warnings, err
    # One note per merge in the columns the report reads, nothing else about them.
    assert sum("merged" in line for line in warnings) == 6, err
    assert "J2:J6" not in err


def test_a_merge_in_another_column_is_a_warning_with_the_cells(tmp_path, cli):
    path = digital_inclusion_plan(tmp_path / "digital.xlsx", actions=MERGED_ROWS,
                                  customise=merge("F5:F6"))
    err, snapshot = run(cli, path, tmp_path)
    assert ("warning: digital.xlsx: Actions!F5:F6: merged cells span two actions; only the "
            "top row (5) has their value, the rows below read as blank there; if each row "
            "should have it, unmerge them (Home > Merge & Center) and type the value in each "
            "row") in warning_lines(err)
    assert [a["comments"] for a in actions(snapshot)][3:] == ["First cohort booked", ""]


# -- "RAG Status": the Word table's heading is not an override -----------------------

def test_a_rag_status_column_is_not_read_as_overrides(tmp_path, cli):
    def rag_status(workbook):
        sheet = workbook["Actions"]
        sheet["G1"] = "RAG Status"  # the Word report's own heading, where RAG Override was
        sheet["G2"] = "Red"
        sheet["G3"] = RED

    path = digital_inclusion_plan(tmp_path / "digital.xlsx", customise=rag_status)
    err, snapshot = run(cli, path, tmp_path)
    assert [(a["rag"], a["rag_source"], a["override"]) for a in actions(snapshot)] == [
        ("minor_issues", "computed", None), ("minor_issues", "computed", None),
        ("completed", "computed", None)]
    assert ("warning: digital.xlsx: Actions!G:G: the 'RAG Status' column is not read: "
            "make-report works out each action's RAG from its completion date and status. To "
            "set an action's RAG yourself, write it in the Actions sheet's 'RAG Override' "
            "column (Completed Action, On target but with minor issues or Missed target "
            "requires action; or G, A or R) and the reason in 'Override Reason' (needed when "
            "it is kinder than the worked-out RAG)") in warning_lines(err)


def test_a_bare_rag_column_is_not_an_override_either(tmp_path, cli):
    def rag(workbook):
        workbook["Actions"]["G1"] = "RAG"
        workbook["Actions"]["G2"] = "R"

    path = digital_inclusion_plan(tmp_path / "digital.xlsx", customise=rag)
    err, snapshot = run(cli, path, tmp_path)
    assert actions(snapshot)[0]["rag_source"] == "computed"
    assert "warning: digital.xlsx: Actions!G:G: the 'RAG' column is not read" in err


# -- recurring dates -----------------------------------------------------------------

def test_a_recurring_date_is_read_as_ongoing_and_says_so(tmp_path, cli):
    rows = [
        action(1, "Review the library Wi-Fi contract", "Libraries Manager", "Annually - March",
               "In progress", "Reviewed last March"),
        action(1, "Report take-up to the Board", "Digital Inclusion Lead", "Quarterly",
               "In progress"),
        action(2, "Refresh the champion training", "Housing Training Lead", "Bi-annually",
               "Not started"),
        action(2, "Keep the directory up to date", "Housing Training Lead",
               "Ongoing - reviewed monthly", "In progress"),
    ]
    path = digital_inclusion_plan(tmp_path / "digital.xlsx", actions=rows)
    _err, snapshot = run(cli, path, tmp_path)
    assert [(a["due"][0]["kind"], a["computed_comment"]) for a in actions(snapshot)] == [
        ("ongoing", "Recurring (annually, March): ongoing, no fixed end date."),
        ("ongoing", "Recurring (quarterly): ongoing, no fixed end date."),
        ("ongoing", "Recurring (twice a year): ongoing, no fixed end date. Not started yet."),
        ("ongoing", "Ongoing, no fixed end date."),  # the officer said Ongoing
    ]

    code, lines = check_lines(cli, path)
    assert code == 0
    at = lines.index("  Recurring completion dates, read as ongoing (3)")
    assert lines[at + 1] == (
        "    Actions!D2  'Annually - March' recurs (annually, March), so it is read as "
        "ongoing: it has no due date and is never shown as missed; write the next due date "
        "(e.g. 31/03/2025) if there is one, or start the cell with 'Ongoing' if there is none "
        "(Recommendation 1: Review the library Wi-Fi contract)")
    assert lines[at + 2].startswith("    Actions!D3  'Quarterly' recurs (quarterly)")
    assert lines[at + 3].startswith("    Actions!D4  'Bi-annually' recurs (twice a year)")


def test_a_later_recurring_stage_is_named_in_the_comment(tmp_path, cli):
    rows = [action(1, "Audit public Wi-Fi", "Libraries Manager",
                   "Stage 1: Q2 2024-25 Stage 2: annually in May", "In progress")]
    path = digital_inclusion_plan(tmp_path / "digital.xlsx", actions=rows)
    _err, snapshot = run(cli, path, tmp_path)
    assert actions(snapshot)[0]["computed_comment"] == (
        "On target, Stage 1 due 30 September 2024 (Q2 2024-25), in 92 days; Stage 2 recurring "
        "(annually, May): ongoing.")


# -- --check in one pass -------------------------------------------------------------

def test_check_lists_the_stopping_problems_and_everything_else_in_one_pass(tmp_path, cli):
    rows = [
        action(1, "Install public Wi-Fi in the six branch libraries", "Libraries Manager",
               "Q2 2024-25", "Started-ish", "Four of six branches live"),  # stops the report
        action(1, "Lend 200 refurbished laptops", "TBC", "TBC", "Not started"),
        action(2, "Run digital champion training for housing officers", "",
               "31/05/2024", "In progress"),
        action(7, "Orphan action", "Someone", "Q3 2024-25", "In progress"),  # stops it too
    ]

    def kept(workbook):
        lookups(workbook)
        workbook["Actions"]["G1"] = "RAG Status"

    path = digital_inclusion_plan(tmp_path / "digital.xlsx", actions=rows, customise=kept)
    code, lines = check_lines(cli, path)
    assert code == 1
    expected = [
        ("Problems that stop the report (2)", [
            "    Actions!E2  Status 'Started-ish' is not one we know; use Not started, In "
            "progress, Completed or Not applicable (or leave it blank)",
            "    Actions!A5  Ref 7 matches no recommendation on the Recommendations sheet "
            "(found: 1, 2); correct the Ref or add the recommendation",
        ]),
        ("Completion dates to be confirmed (1)", [
            "    Actions!D3  date TBC (Recommendation 1: Lend 200 refurbished laptops)"]),
        ("Actions with no owner (2)", [
            "    Actions!C3  owner 'TBC' names nobody yet; name who will do it "
            "(Recommendation 1: Lend 200 refurbished laptops)",
            "    Actions!C4  no owner; name who will do it (Recommendation 2: Run digital "
            "champion training for housing officers)",
        ]),
        ("Overdue with no comment (1)", [
            "    Actions!F4  overdue, in progress and no comment; say what is happening "
            "(Recommendation 2: Run digital champion training for housing officers)"]),
    ]
    for heading, members in expected:
        at = lines.index(f"  {heading}")
        assert lines[at + 1: at + 1 + len(members)] == members, lines[at:at + 4]
    notes = lines[lines.index("  Notes from reading the workbook (6)"):]
    for cell, words in (("Actions!J3", "the cell shows the error #N/A, in a column the "
                                       "report does not use"),
                        ("Actions!L3", "the cell shows the error #VALUE!"),
                        ("Actions!G:G", "the 'RAG Status' column is not read")):
        assert any(line.split()[:1] == [cell] and words in line for line in notes), notes
    assert lines[-1] == "2 errors, 10 warnings: fix the errors before circulating the report."
