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
import re
import zipfile

import openpyxl
import pytest
from factories import action, write_workbook
from lxml import etree
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from PIL import Image as PILImage

from wfs_reports.config import load_templates
from wfs_reports.domain.errors import WorkbookError
from wfs_reports.workbook.patch import patch_cells
from wfs_reports.workbook.reader import read_workbook

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# A data-validation list kept in an x14 extension, as Excel writes one that points
# at another sheet: openpyxl drops it on a re-save.
EXTENSION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Lists!$A$1:$A$3'
    '</xm:f></x14:formula1><xm:sqref>J2:J20</xm:sqref></x14:dataValidation>'
    '</x14:dataValidations></ext></extLst>'
)
ACTIONS_PART = "xl/worksheets/sheet3.xml"
LABELS = load_templates(None).rules.labels()


def _customise(workbook: openpyxl.Workbook) -> None:
    actions = workbook["Actions"]
    actions["E1"].comment = Comment("Use the dropdown", "Officer")
    actions["G2"].comment = Comment("Agreed at the last Board", "Officer")
    validation = DataValidation(type="list", formula1='"Not started,In progress,Completed"')
    actions.add_data_validation(validation)
    validation.add("E2:E20")
    actions.conditional_formatting.add(
        "I2:I20", CellIsRule(operator="lessThan", formula=["DATE(2023,1,1)"],
                             fill=PatternFill("solid", fgColor="FFC7CE")))
    actions["K1"] = "Days since update"
    for row in range(2, 5):
        actions[f"K{row}"] = f'=IF(I{row}="","",TODAY()-I{row})'
        actions[f"I{row}"].number_format = "dd/mm/yyyy"
    actions["C2"].font = Font(bold=True)
    chart = BarChart()
    chart.add_data(Reference(actions, min_col=1, min_row=1, max_row=4), titles_from_data=True)
    actions.add_chart(chart, "M2")
    picture = io.BytesIO()
    PILImage.new("RGB", (8, 8), "navy").save(picture, format="PNG")
    actions.add_image(Image(picture), "M20")
    workbook.defined_names["ActionList"] = DefinedName(
        "ActionList", attr_text="Actions!$B$2:$B$4")
    lists = workbook.create_sheet("Lists")
    for value in ("Red", "Amber", "Green"):
        lists.append([value])


def _with_extension(data: bytes) -> bytes:
    """The workbook with an x14 extension and an x14ac attribute in the Actions sheet."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == ACTIONS_PART:
                text = part.decode()
                text = text.replace(
                    "<worksheet ",
                    '<worksheet xmlns:mc="http://schemas.openxmlformats.org/'
                    'markup-compatibility/2006" xmlns:x14ac="http://schemas.microsoft.com/'
                    'office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac" ', 1)
                # Excel saves each formula's result beside it; openpyxl does not.
                text = re.sub(r"(</f>)<v\s*/>|(</f>)<v></v>", r"\1\2<v>40</v>", text)
                text = text.replace('<row r="3"', '<row r="3" x14ac:dyDescent="0.25"', 1)
                part = text.replace("</worksheet>", EXTENSION + "</worksheet>").encode()
            target.writestr(info, part)
    return output.getvalue()


@pytest.fixture
def workbook(tmp_path) -> bytes:
    path = write_workbook(
        tmp_path / "plan.xlsx",
        [action(1, "Agree the plan", override="On target", reason="Agreed by the Board",
                updated=dt.date(2023, 10, 2)),
         action(1, "Recruit staff", comments="Adverts out", updated=dt.date(2023, 9, 1)),
         action(2, "Review rota", status="Not started")],
        report={"Meeting date": dt.date(2023, 12, 5)},
        customise=_customise,
    )
    return _with_extension(path.read_bytes())


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _cells(part: bytes) -> dict[str, bytes]:
    root = etree.fromstring(part)
    return {cell.get("r"): etree.tostring(cell, method="c14n")
            for cell in root.iter(f"{MAIN}c")}


def _outside_cells(part: bytes) -> tuple[list[bytes], dict[str, bytes], str]:
    """The sheet's XML with its cells taken out: everything a patch must keep, as
    (the sheet's other elements and attributes, {row number: the row's own XML}, the
    used range)."""
    root = etree.fromstring(part)
    for cell in list(root.iter(f"{MAIN}c")):
        cell.getparent().remove(cell)
    rows = {}
    for row in root.iter(f"{MAIN}row"):
        row.attrib.pop("spans", None)  # a hint to Excel: the columns the row uses
        rows[row.get("r")] = etree.tostring(row, method="c14n")
    dimension = root.find(f"{MAIN}dimension")
    used = dimension.get("ref")
    root.remove(dimension)
    root.remove(root.find(f"{MAIN}sheetData"))
    namespaces = sorted((prefix or "", uri) for prefix, uri in root.nsmap.items())
    return ([etree.tostring(child, method="c14n") for child in root]
            + [repr(namespaces).encode(), repr(sorted(root.attrib.items())).encode()],
            rows, used)


def _style_entries(part: bytes) -> dict[str, list[bytes]]:
    root = etree.fromstring(part)
    return {etree.QName(group).localname: [etree.tostring(e, method="c14n") for e in group]
            for group in root}


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
    before, after = _parts(workbook), _parts(patched)
    assert list(after) == list(before)  # same parts, same order
    edited = {ACTIONS_PART, "xl/worksheets/sheet1.xml", "xl/styles.xml"}
    for name in before:
        if name not in edited:
            assert after[name] == before[name], name
    for part in ("xl/worksheets/sheet1.xml", ACTIONS_PART):
        old, new = _cells(before[part]), _cells(after[part])
        changed = {ref for ref in old.keys() | new.keys() if old.get(ref) != new.get(ref)}
        sheet = "Report" if part.endswith("sheet1.xml") else "Actions"
        assert changed == {ref for (name, ref) in EDITS if name == sheet}
        (old_rest, old_rows, _), (new_rest, new_rows, used) = (
            _outside_cells(before[part]), _outside_cells(after[part]))
        assert new_rest == old_rest
        assert {r: x for r, x in new_rows.items() if r in old_rows} == old_rows
        assert used == {"Report": "A1:B4", "Actions": "A1:K9"}[sheet]
    assert b'<row r="9"' in after[ACTIONS_PART]  # a row made for the new cell
    assert b"x14:dataValidations" in after[ACTIONS_PART]
    assert b'x14ac:dyDescent="0.25"' in after[ACTIONS_PART]
    # The styles only gain entries: every old one is still there, at its index.
    old_styles, new_styles = _style_entries(before["xl/styles.xml"]), _style_entries(
        after["xl/styles.xml"])
    assert old_styles.keys() <= new_styles.keys()
    for group, entries in old_styles.items():
        assert new_styles[group][:len(entries)] == entries, group
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
    "xl/worksheets/sheet1.xml": (
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
    before, after = _parts(data), _parts(patched)
    assert {name for name in before if after[name] != before[name]} == {
        "xl/worksheets/sheet1.xml"}  # B2 already shows dates; text needs no shared string
    assert after["xl/worksheets/sheet1.xml"].startswith(
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
