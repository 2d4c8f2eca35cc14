"""Editing a few cells of an officer's workbook leaves the rest of it as it was.

The workbook carries what openpyxl would drop on a re-save (a chart, an image,
a data-validation extension) and what an officer adds (validation lists,
conditional formatting, comments, a defined name, a formula column). After a
patch, every zip part but the edited sheets and styles is byte-identical;
the styles only gain entries; in the edited sheets only the target cells
differ; openpyxl reads the new values; a formula cell is refused.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

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
    style_entries,
    write_workbook,
    zip_parts,
)

from wfs_reports.config import load_templates
from wfs_reports.domain.errors import WorkbookError
from wfs_reports.workbook.patch import patch_cells
from wfs_reports.workbook.reader import read_workbook

LABELS = load_templates(None).rules.labels()


@pytest.fixture
def workbook(tmp_path) -> bytes:
    path = write_workbook(
        tmp_path / "plan.xlsx",
        [action(1, "Agree the plan", override="On target", reason="Agreed by the Board",
                updated=dt.date(2023, 10, 2)),
         action(1, "Recruit staff", comments="Adverts out", updated=dt.date(2023, 9, 1)),
         action(2, "Review rota", status="Not started")],
        report={"Meeting date": dt.date(2023, 12, 5)},
        customise=officer_extras,
    )
    return as_excel_saves(path.read_bytes())


EDITS = {
    ("Actions", "F2"): "Stage 1 done.\nThe second line, & <more>",  # text over text
    ("Actions", "G2"): None,  # clear the override (its comment note stays)
    ("Actions", "H2"): None,
    ("Actions", "I3"): dt.date(2024, 3, 31),  # a date cell: keeps its style
    ("Actions", "D4"): dt.date(2024, 6, 30),  # a text cell: gains a date style
    ("Actions", "F4"): "  spaced  ",  # a cell that did not exist
    ("Actions", "B9"): "A row that did not exist",
    ("Report", "B3"): dt.date(2024, 3, 31),
}


def test_only_the_target_cells_change(workbook):
    patched = patch_cells(workbook, EDITS)
    before, after = zip_parts(workbook), zip_parts(patched)
    assert list(after) == list(before)  # same parts, same order
    edited = {ACTIONS_PART, REPORT_PART, "xl/styles.xml"}
    for name in before:
        if name not in edited:
            assert after[name] == before[name], name
    for sheet, part in (("Report", REPORT_PART), ("Actions", ACTIONS_PART)):
        assert changed_cells(before[part], after[part]) == {
            ref for (name, ref) in EDITS if name == sheet}
        (old_rest, old_rows, _), (new_rest, new_rows, used) = (
            outside_cells(before[part]), outside_cells(after[part]))
        assert new_rest == old_rest
        assert {r: x for r, x in new_rows.items() if r in old_rows} == old_rows
        assert used == {"Report": "A1:B4", "Actions": "A1:K9"}[sheet]
    assert b'<row r="9"' in after[ACTIONS_PART]  # a row made for the new cell
    assert b"x14:dataValidations" in after[ACTIONS_PART]
    assert b'x14ac:dyDescent="0.25"' in after[ACTIONS_PART]
    # The styles only gain entries: every old one is still there, at its index.
    assert only_gained(before["xl/styles.xml"], after["xl/styles.xml"])
    old_styles, new_styles = (style_entries(before["xl/styles.xml"]),
                              style_entries(after["xl/styles.xml"]))
    assert len(new_styles["cellXfs"]) == len(old_styles["cellXfs"]) + 1  # D4's date style


def test_openpyxl_reads_the_new_values(workbook):
    book = openpyxl.load_workbook(io.BytesIO(patch_cells(workbook, EDITS)))
    actions = book["Actions"]
    assert actions["F2"].value == "Stage 1 done.\nThe second line, & <more>"
    assert actions["G2"].value is None and actions["H2"].value is None
    assert actions["G2"].comment.text.startswith("Agreed at the last Board")
    assert actions["I3"].value == dt.datetime(2024, 3, 31)
    assert actions["I3"].number_format == "dd/mm/yyyy"
    assert actions["D4"].value == dt.datetime(2024, 6, 30) and actions["D4"].is_date
    assert actions["F4"].value == "  spaced  "
    assert actions["B9"].value == "A row that did not exist"
    assert actions["C2"].font.b  # a cell not edited keeps its look
    assert actions["K2"].value == '=IF(I2="","",TODAY()-I2)'
    assert book["Report"]["B3"].value == dt.datetime(2024, 3, 31)
    assert "ActionList" in book.defined_names
    assert [str(v.sqref) for v in actions.data_validations.dataValidation] == ["E2:E20"]


def test_a_formula_cell_is_refused(workbook):
    with pytest.raises(WorkbookError) as raised:
        patch_cells(workbook, {("Actions", "F2"): "fine", ("Actions", "K3"): "overwritten"},
                    "plan.xlsx")
    assert str(raised.value).startswith("plan.xlsx: Actions!K3: the cell holds a formula")


def test_a_sheet_or_cell_that_is_not_there_is_named(workbook):
    with pytest.raises(WorkbookError, match="no sheet named 'Progress'"):
        patch_cells(workbook, {("Progress", "A1"): "x"})
    with pytest.raises(WorkbookError, match="'A0' is not a cell reference"):
        patch_cells(workbook, {("Actions", "A0"): "x"})


def test_text_reads_back_as_written(workbook):
    """Line breaks, a literal '_x0041_' and a control character come back as they were
    (the reader drops the control character, as it does in any cell)."""
    text = "Line one\nKeep _x0041_ literally\x07"
    plan = read_workbook(patch_cells(workbook, {("Actions", "F3"): text}), "plan.xlsx", LABELS)
    recruit = plan.recommendations[0].actions[1]
    assert recruit.comments == "Line one\nKeep _x0041_ literally"


def test_nothing_to_do_returns_the_same_bytes(workbook):
    assert patch_cells(workbook, {}) == workbook


# A workbook as Excel itself saves one: shared strings, a shared formula, the
# declaration with standalone="yes", a default namespace prefix on nothing.
EXCEL_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
        'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/'
        'styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http:'
        '//schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<workbook xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Actions" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="http:'
        '//schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/><Relationship Id="rId2" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<styleSheet xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"'
        '/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType='
        '"none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count='
        '"1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs '
        'count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs '
        'count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId='
        '"14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'),
    "xl/sharedStrings.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<sst xmlns="http://schemas.'
        'openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>Action'
        '</t></si><si><t>Last Updated</t></si><si><t>Agree the plan</t></si><si><t>Recruit'
        '</t></si></sst>'),
    REPORT_PART: (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:C3"/>'
        '<sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v>'
        '</c><c r="C1"/></row><row r="2" spans="1:3"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1">'
        '<v>45200</v></c><c r="C2"><f t="shared" ref="C2:C3" si="0">B2+1</f><v>45201</v></c>'
        '</row><row r="3" spans="1:3"><c r="A3" t="s"><v>3</v></c><c r="B3" s="1"><v>45100</v>'
        '</c><c r="C3"><f t="shared" si="0"/><v>45101</v></c></row></sheetData></worksheet>'),
}


def _excel_workbook() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in EXCEL_PARTS.items():
            archive.writestr(name, text.encode())
    return output.getvalue()


def test_an_excel_saved_workbook_keeps_its_shared_strings_and_declaration():
    data = _excel_workbook()
    patched = patch_cells(data, {("actions", "A3"): "Recruit two staff",
                                 ("Actions", "B2"): dt.date(2024, 3, 31)})
    before, after = zip_parts(data), zip_parts(patched)
    assert {name for name in before if after[name] != before[name]} == {
        REPORT_PART}  # B2 already shows dates; text needs no shared string
    assert after[REPORT_PART].startswith(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet')
    sheet = openpyxl.load_workbook(io.BytesIO(patched))["Actions"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Action", "Last Updated", None],
        ["Agree the plan", dt.datetime(2024, 3, 31), "=B2+1"],
        ["Recruit two staff", dt.datetime(2023, 6, 23), "=B3+1"],
    ]
    with pytest.raises(WorkbookError, match="Actions!C3: the cell holds a formula"):
        patch_cells(data, {("Actions", "C3"): None})


def test_a_1904_workbook_gets_its_own_day_numbers():
    """Old Mac workbooks count days from 1904: the same date is a different number."""
    parts = dict(EXCEL_PARTS)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        "<sheets>", '<workbookPr date1904="1"/><sheets>')
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    patched = patch_cells(output.getvalue(), {("Actions", "B3"): dt.date(2024, 3, 31)})
    sheet = openpyxl.load_workbook(io.BytesIO(patched))["Actions"]
    assert sheet["B3"].value == dt.datetime(2024, 3, 31)
