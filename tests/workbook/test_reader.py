"""The reader: the workbook contract and its forgiveness."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import ACTION_HEADERS, action

from wfs_reports.config import load_templates
from wfs_reports.domain.errors import WorkbookError
from wfs_reports.domain.model import Rag, Status
from wfs_reports.domain.problems import Kind, Severity
from wfs_reports.workbook.reader import read_workbook

# The bundled rules' RAG labels, as make-report passes them without --templates.
LABELS = load_templates(None).rules.labels()


def read(path):
    return read_workbook(path.read_bytes(), path.name, LABELS)


def test_reads_the_contract_as_written(make_workbook):
    path = make_workbook(
        [action(1, "First", "Alice", "Q4 2023-24", "In progress", "Going well")],
        report={"Meeting": "Tower Hamlets Together Board", "Meeting date": dt.date(2023, 12, 7)},
    )
    plan = read(path)
    assert plan.settings.as_at == dt.date(2023, 11, 22)
    assert plan.settings.meeting_date == dt.date(2023, 12, 7)
    assert plan.settings.meeting == "Tower Hamlets Together Board"
    [first] = plan.actions
    assert (first.row, first.ref, first.action, first.owners) == (2, 1, "First", "Alice")
    assert first.completion_date == "Q4 2023-24"
    assert first.status is Status.IN_PROGRESS
    assert first.comments == "Going well"
    assert first.cells["completion_date"] == "Actions!D2"


def test_headers_forgive_case_spacing_punctuation_synonyms_and_order(make_workbook):
    headers = ["  progress UPDATE ", "Due date", "rec no", "ACTION", "Lead", "Progress status",
               "Notes", "officer rag", "Reason", "updated"]
    row = ["All on track", "March 2024", "R2", "Reordered action", "Bob", "not started",
           "ignore me", "A", "because", dt.date(2023, 11, 1)]
    path = make_workbook([row, row], action_headers=headers)
    plan = read(path)
    first = plan.actions[0]
    assert first.ref == 2
    assert first.action == "Reordered action"
    assert first.owners == "Bob"
    assert first.completion_date == "March 2024"
    assert first.status is Status.NOT_STARTED
    assert first.comments == "All on track"
    assert first.rag_override is Rag.MINOR_ISSUES
    assert first.override_reason == "because"
    assert first.last_updated == dt.date(2023, 11, 1)
    unknown = [w for w in plan.warnings if "Notes" in w.message]
    assert len(unknown) == 1, "an unknown column is reported once, not once per row"
    assert "ignore me" not in repr(plan)


@pytest.mark.parametrize(
    "written", [1, 1.0, "1", "1.0", "R1", "r 1", "Rec 1", "Rec. 1", "Recommendation 1", " REC1 "]
)
def test_refs_written_every_way_mean_the_same_recommendation(make_workbook, written):
    path = make_workbook([action(ref=written)])
    assert read(path).actions[0].ref == 1


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers(make_workbook):
    path = make_workbook([action(1, "a"), [None] * 9, ["", " ", None, "", "", "", "", "", ""],
                          action(2, "b")])
    plan = read(path)
    assert [(a.row, a.action) for a in plan.actions] == [(2, "a"), (5, "b")]


def test_old_template_placeholders_count_as_empty(make_workbook):
    path = make_workbook(
        [action(comments="Insert any relevant comments", override="Add colour for RAG status"),
         action(comments="  insert any relevant comments. ")]
    )
    for item in read(path).actions:
        assert item.comments == ""
        assert item.rag_override is None


def test_line_breaks_inside_cells_are_kept(make_workbook):
    path = make_workbook([action(text="Line one\nLine two\r\n\r\nNew paragraph",
                                 comments="a_x000B_b")])
    [item] = read(path).actions
    assert item.action == "Line one\nLine two\n\nNew paragraph"
    assert item.comments == "a\nb"


def test_excel_date_cells_are_dates(make_workbook):
    path = make_workbook([action(due=dt.datetime(2024, 3, 31))])
    [item] = read(path).actions
    assert item.completion_date_value == dt.date(2024, 3, 31)
    assert item.completion_date == ""  # a date, not words: the documents show it


def test_the_1904_date_system_is_honoured(make_workbook):
    def use_1904(workbook):
        workbook.epoch = __import__("openpyxl").utils.datetime.CALENDAR_MAC_1904

    path = make_workbook([action(due=dt.date(2024, 3, 31), updated=dt.date(2023, 11, 1))],
                         customise=use_1904)
    [item] = read(path).actions
    assert item.completion_date_value == dt.date(2024, 3, 31)
    assert item.last_updated == dt.date(2023, 11, 1)


def test_blank_ref_under_an_action_takes_the_ref_above(make_workbook):
    path = make_workbook([action(2, "first"), action(None, "second")])
    assert [a.ref for a in read(path).actions] == [2, 2]


def test_recommendations_forgive_refs_and_keep_paragraphs(make_workbook):
    path = make_workbook(
        [action(1)],
        recommendations=[["Rec 1", "Text one", "Para one\n\nPara two"], ["R2", "Text two", None]],
    )
    plan = read(path)
    assert [r.ref for r in plan.recommendations] == [1, 2]
    assert plan.recommendations[0].comments_from_service == "Para one\n\nPara two"


def test_missing_column_names_the_column_and_its_synonyms(make_workbook):
    headers = ["Ref", "Action", "Owner(s)"]
    path = make_workbook([[1, "x", "y"]], action_headers=headers)
    with pytest.raises(WorkbookError) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith("plan.xlsx: Actions!1:1: no 'Completion Date' column")
    assert "'Due date'" in message and "'Target date'" in message


def test_missing_sheet_lists_the_sheets_found(make_workbook):
    def drop(workbook):
        workbook["Actions"].title = "Actions 2023"

    path = make_workbook([action()], customise=drop)
    with pytest.raises(WorkbookError) as caught:
        read(path)
    assert "no sheet named 'Actions'" in str(caught.value)
    assert "'Actions 2023'" in str(caught.value)


def test_every_problem_is_reported_in_one_run_by_cell(make_workbook):
    path = make_workbook([
        action(9, "orphan"),
        action(1, "bad status", status="Dunno"),
        action(1, "bad rag", override="Purple"),
        action("one", "bad ref"),
        action(1, "bad update", updated="last Tuesday"),
    ])
    with pytest.raises(WorkbookError) as caught:
        read(path)
    problems = caught.value.problems
    assert len(problems) == 5
    found = {(p.where, p.kind): p.message for p in problems}
    assert found[("Actions!A2", Kind.VALUE_UNREADABLE)].startswith("Ref 9 matches no")
    assert found[("Actions!E3", Kind.VALUE_UNREADABLE)].startswith("Status 'Dunno'")
    assert found[("Actions!G4", Kind.VALUE_UNREADABLE)].startswith("RAG Override 'Purple'")
    assert found[("Actions!A5", Kind.VALUE_UNREADABLE)].startswith("Ref 'one'")
    assert found[("Actions!I6", Kind.VALUE_UNREADABLE)].startswith("Last Updated 'last Tuesday'")
    assert {p.severity for p in problems} == {Severity.ERROR}


def test_a_missing_optional_column_is_a_problem_about_the_header_row(make_workbook):
    headers = [h for h in ACTION_HEADERS if h != "Comments"]
    path = make_workbook([dict(zip(headers, ["1", "Act", "Owner", "Q4 2023-24", "In progress",
                                             None, None, None], strict=True))],
                         action_headers=headers)
    plan = read(path)
    missing = [w for w in plan.warnings if w.kind is Kind.COLUMN_MISSING]
    assert [(w.sheet, w.cell, w.severity) for w in missing] == [
        ("Actions", "1:1", Severity.WARNING)]
    assert missing[0].message.startswith("no 'Comments' column, so the report carries no "
                                         "officer updates")


def test_duplicate_headers_are_an_error(make_workbook):
    headers = ["Ref", "Action", "Owner", "Owners", "Completion Date"]
    path = make_workbook([[1, "x", "a", "b", "TBC"]], action_headers=headers)
    with pytest.raises(WorkbookError, match=r"Actions!D1: column 'Owners' repeats Actions!C1"):
        read(path)


def test_stage_status_marks_stages_complete(make_workbook):
    path = make_workbook([action(status="Stage 1 complete; stage 2 in progress")])
    [item] = read(path).actions
    assert item.status is Status.IN_PROGRESS
    assert item.stages_complete == {1}


def test_dates_typed_as_text_in_the_report_sheet(make_workbook):
    path = make_workbook([action()], report={"As at": "22/11/2023", "Meeting date": "7 Dec 2023"},
                         as_at=None)
    settings = read(path).settings
    assert settings.as_at == dt.date(2023, 11, 22)
    assert settings.meeting_date == dt.date(2023, 12, 7)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"Ref,Action\n1,x\n", "not an Excel .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old-format (.xls) or password"),
        (b"PK\x03\x04truncated", "damaged or incomplete"),
    ],
)
def test_files_that_are_not_workbooks_get_one_clear_line(data, expected):
    with pytest.raises(WorkbookError) as caught:
        read_workbook(data, "plan.xlsx", LABELS)
    assert expected in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1
