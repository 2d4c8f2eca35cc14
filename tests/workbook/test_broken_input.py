"""Hostile and broken input: one clear line per problem, exit 1, nothing written.

Every broken file is built here (no binaries are committed) and run through
the command as an officer would, so the whole path from file to message is
checked: exit status, the file (and sheet and cell) named, no traceback, no
output folder, and a quick finish.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from factories import action

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"



def assert_refused(path: Path, tmp_path: Path, cli, *words: str, lines: int = 1) -> str:
    """Run make-report on ``path``: it must fail cleanly and write nothing."""
    out = tmp_path / "out"
    code, stdout, err = cli([path, "--out", out])
    assert code == 1, err
    assert "Traceback" not in err
    assert stdout == ""
    assert not out.exists(), "a failed run must not create the output folder"
    error_lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == lines, err
    for line in error_lines:
        assert path.name in line, f"every line names the file: {line}"
    for word in words:
        assert word in err, err
    return err


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """Edit a saved workbook's parts in place (for things openpyxl cannot write)."""
    parts = members(path)
    change(parts)
    path.write_bytes(zip_bytes(parts))
    return path


# -- files that are not workbooks -----------------------------------------------

def _write(name: str, data: bytes) -> Callable[[Path, Callable], Path]:
    def build(tmp_path: Path, _make_workbook: Callable) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return build


def _truncated(tmp_path: Path, make_workbook: Callable) -> Path:
    good = make_workbook([action()], name="good.xlsx").read_bytes()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(good[: len(good) // 2])
    return path


def _corrupt_member(tmp_path: Path, make_workbook: Callable) -> Path:
    """A whole zip whose sheet data fails its checksum (a bad disk or download)."""
    path = make_workbook([action()], name="plan.xlsx")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet3.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _zip_bomb(tmp_path: Path, make_workbook: Callable) -> Path:
    """A real workbook plus 50 MB of zeros that pack to about 50 KB (ratio ~1000)."""
    path = make_workbook([action()], name="plan.xlsx")
    return rewrite(path, lambda parts: parts.update({"xl/media/image1.png": bytes(50 << 20)}))


def _declared_bomb(tmp_path: Path, make_workbook: Callable) -> Path:
    """A workbook whose zip directory declares a 300 MB part: refused on the
    declaration alone (its data is a few bytes; a ratio test would not see it)."""
    path = make_workbook([action()], name="plan.xlsx")
    parts = members(path)
    parts["xl/media/image1.png"] = bytes(1000)
    data = bytearray(zip_bytes(parts))
    name = b"xl/media/image1.png"
    record = data.rindex(b"PK\x01\x02", 0, data.rindex(name))  # its central-directory entry
    struct.pack_into("<I", data, record + 24, 300 << 20)  # uncompressed size
    path.write_bytes(bytes(data))
    return path


def _many_parts(tmp_path: Path, make_workbook: Callable) -> Path:
    """Small on disk and in total, but 12,000 parts: no action plan has that many."""
    path = make_workbook([action()], name="plan.xlsx")
    return rewrite(path, lambda parts: parts.update(
        {f"xl/media/part{i}.bin": b"" for i in range(12_000)}))


def _xml_entity_bomb(tmp_path: Path, make_workbook: Callable) -> Path:
    """'Billion laughs': a few hundred bytes of XML that expand without end."""
    path = make_workbook([action()], name="plan.xlsx")
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1
                                                      else b"&lol;") * 10)
                       for i in range(1, 10))
            + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            b'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'
            b"</row></sheetData></worksheet>")
    return rewrite(path, lambda parts: parts.update({"xl/worksheets/sheet3.xml": bomb}))


def _garbage_workbook_xml(tmp_path: Path, make_workbook: Callable) -> Path:
    path = make_workbook([action()], name="plan.xlsx")
    return rewrite(path, lambda parts: parts.update({"xl/workbook.xml": b"<not really"}))


def _zipped_workbook(tmp_path: Path, make_workbook: Callable) -> Path:
    inner = make_workbook([action()], name="inner.xlsx").read_bytes()
    path = tmp_path / "plan.zip"
    path.write_bytes(zip_bytes({"action_plan.xlsx": inner}, zipfile.ZIP_STORED))
    return path


def _folder(tmp_path: Path, _make_workbook: Callable) -> Path:
    path = tmp_path / "plan.xlsx"
    path.mkdir()
    return path


def _lock_file(tmp_path: Path, make_workbook: Callable) -> Path:
    make_workbook([action()], name="plan.xlsx")
    path = tmp_path / "~$plan.xlsx"
    path.write_bytes(b"\x05Alice" + b" " * 50)  # what Excel writes: the user's name
    return path


def _fifo(tmp_path: Path, _make_workbook: Callable) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "plan.xlsx"
    os.mkfifo(path)
    return path


BROKEN_FILES = {
    "missing": (lambda tmp_path, _m: tmp_path / "nope.xlsx", ["file not found"]),
    "empty": (_write("plan.xlsx", b""), ["the file is empty"]),
    "not a zip": (_write("plan.xlsx", os.urandom(2000).replace(b"PK", b"pk")),
                  ["not an Excel .xlsx workbook", "save it from Excel as .xlsx"]),
    "old xls": (_write("plan.xls", OLE2 + bytes(4000)),
                ["old-format Excel 97-2003 (.xls)", "Save As > Excel Workbook (.xlsx)"]),
    "password protected": (
        _write("plan.xlsx", OLE2 + bytes(1000) + "EncryptedPackage".encode("utf-16-le")
               + bytes(1000)),
        ["protected by a password", "clear the password"]),
    "csv": (_write("plan.csv", b"Ref,Action,Completion Date\n1,Do it,Q4 2023-24\n"),
            ["CSV text file", "save it from Excel as .xlsx"]),
    "ods": (_write("plan.ods", zip_bytes({
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": b"<office:document-content/>",
        "META-INF/manifest.xml": b"<manifest/>"}, zipfile.ZIP_STORED)),
        ["OpenDocument (.ods)", "save it as Excel Workbook (.xlsx)"]),
    "xlsb": (_write("plan.xlsb", zip_bytes({
        "[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00",
        "xl/worksheets/sheet1.bin": b"\x81\x01\x00"})),
        ["binary .xlsb workbook", "Excel Workbook (.xlsx)"]),
    "truncated": (_truncated, ["damaged or incomplete", "save it again"]),
    "corrupt member": (_corrupt_member, ["cannot be read as an Excel workbook"]),
    "zip not office": (_write("plan.xlsx", zip_bytes({"notes.txt": b"hello"})),
                       ["this zip file is not an Excel workbook"]),
    "word document": (_write("plan.xlsx", zip_bytes({"word/document.xml": b"<w/>"})),
                      ["this is a Word document"]),
    "zipped workbook": (_zipped_workbook, ["holds 'action_plan.xlsx'; unzip it"]),
    "pdf": (_write("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), ["this is a PDF"]),
    "html saved as xls": (_write("plan.xls", b"\xef\xbb\xbf<html><table><tr><td>1</td>"),
                          ["web page or XML file"]),
    "zip bomb": (_zip_bomb, ["may be damaged or malicious", "not opened"]),
    "zip bomb by declared size": (_declared_bomb, ["would unpack to 300 MB", "not opened"]),
    "zip with too many parts": (_many_parts, ["in 12", "parts", "not opened"]),
    "xml entity bomb": (_xml_entity_bomb, ["cannot be read as an Excel workbook"]),
    "garbage workbook part": (_garbage_workbook_xml, ["cannot be read as an Excel workbook"]),
    "folder": (_folder, ["this is a folder"]),
    "lock file": (_lock_file, ["Excel's lock file, not the workbook", "plan.xlsx'"]),
    "named pipe": (_fifo, ["not an ordinary file"]),
}


@pytest.mark.parametrize("case", BROKEN_FILES, ids=list(BROKEN_FILES))
def test_broken_files_get_one_clear_line_and_nothing_is_written(case, tmp_path, make_workbook,
                                                                cli):
    build, words = BROKEN_FILES[case]
    path = build(tmp_path, make_workbook)
    before = path.read_bytes() if path.is_file() else None
    assert_refused(path, tmp_path, cli, *words)
    if before is not None:
        assert path.read_bytes() == before


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(tmp_path, make_workbook, cli,
                                                        monkeypatch):
    path = _zip_bomb(tmp_path, make_workbook)
    assert path.stat().st_size < 1 << 20, "the bomb is small on disk"

    def must_not_open(*_args, **_kwargs):
        raise AssertionError("openpyxl was asked to open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_open)
    err = assert_refused(path, tmp_path, cli, "would unpack to 50 MB")
    assert "AssertionError" not in err


def test_a_password_protected_workbook_says_password_whatever_its_name(tmp_path, cli):
    path = tmp_path / "Action Plan FINAL.xlsx"
    path.write_bytes(OLE2 + bytes(600))
    assert_refused(path, tmp_path, cli, "password")


# -- workbooks that open but break the contract -----------------------------------

def test_merged_action_cells_leave_the_rows_below_blank_and_say_why(make_workbook, tmp_path,
                                                                     cli):
    """A merge outside Ref, Owner(s) and Completion Date is a warning naming the
    cells; the row it leaves without an action is the error, and says why."""
    def merge(workbook):
        workbook["Actions"].merge_cells("B5:B6")

    path = make_workbook([action(1, f"a{i}") for i in range(6)], customise=merge)
    assert_refused(path, tmp_path, cli,
                   "error: plan.xlsx: Actions!B6: the action text is blank (the cell is inside "
                   "merged cells B5:B6, whose value is row 5's only); type the action or "
                   "delete the row")
    code, out, _err = cli(["--check", path])
    assert code == 1
    assert ("    Actions!B5:B6  merged cells span two actions; only the top row (5) has their "
            "value, the rows below read as blank there; if each row should have it, unmerge "
            "them (Home > Merge & Center) and type the value in each row") in out.splitlines()


def test_merged_cells_within_one_row_are_fine(make_workbook, tmp_path, cli):
    def merge(workbook):
        workbook["Actions"].merge_cells("F2:H2")

    path = make_workbook([action(1, "a", comments="wide comment")], customise=merge)
    code, _out, err = cli([path, "--out", tmp_path / "out", "--format", "json"])
    assert code == 0, err


def test_a_formula_without_a_saved_value_names_the_cell(make_workbook, tmp_path, cli):
    # openpyxl saves formulas without calculating them, as some exports do.
    path = make_workbook([action(1, "a"), action(1, "b"), action(1, "c"), action(1, "d"),
                          action(1, "e"), action(1, "f", due='=CONCAT("Q4 ", "2023-24")')])
    assert_refused(path, tmp_path, cli,
                   'plan.xlsx: Actions!D7: formula =CONCAT("Q4 ", "2023-24") has no saved '
                   "value", "open the workbook in Excel and save it")


def test_formulas_with_saved_values_are_read(make_workbook, tmp_path, cli):
    """What Excel saves: each formula with its result, and t="str" for empty text."""
    path = make_workbook([action(1, "a", due="Q4 2023-24", comments="x")])

    def cache(parts):
        sheet = parts["xl/worksheets/sheet3.xml"].decode()
        sheet = sheet.replace('<c r="D2" t="inlineStr"><is><t>Q4 2023-24</t></is></c>',
                              '<c r="D2" t="str"><f>"Q4 "&amp;"2023-24"</f><v>Q4 2023-24</v></c>')
        sheet = sheet.replace('<c r="F2" t="inlineStr"><is><t>x</t></is></c>',
                              '<c r="F2" t="str"><f>IF(1=1,"","x")</f><v></v></c>')
        assert sheet.count("<f>") == 2, sheet
        parts["xl/worksheets/sheet3.xml"] = sheet.encode()

    rewrite(path, cache)
    out = tmp_path / "out"
    code, _out, err = cli([path, "--out", out, "--format", "json"])
    assert code == 0, err
    [snapshot] = out.glob("*.json")
    [item] = json.loads(snapshot.read_text())["recommendations"][0]["actions"]
    assert (item["completion_date"], item["comments"]) == ("Q4 2023-24", "")


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#VALUE!", "#DIV/0!"])
def test_error_values_name_the_cell(error, make_workbook, tmp_path, cli):
    path = make_workbook([action(1, "a"), action(1, "b", comments=error)])
    err = assert_refused(path, tmp_path, cli,
                         f"plan.xlsx: Actions!F3: the cell shows the error {error}")
    assert "Status" not in err


def test_an_error_in_a_required_cell_is_reported_once(make_workbook, tmp_path, cli):
    """Not also as 'the action text is blank': one cause, one line."""
    path = make_workbook([action(1, "#REF!")])
    assert_refused(path, tmp_path, cli, "Actions!B2: the cell shows the error #REF!")


def test_many_error_cells_are_summarised(make_workbook, tmp_path, cli):
    path = make_workbook([action(1, f"a{i}", comments="#N/A") for i in range(40)])
    err = assert_refused(path, tmp_path, cli, "30 more cells show an error value",
                         "Actions!F41", lines=11)
    assert err.count("the cell shows the error #N/A") == 10


def test_a_lone_surrogate_is_an_error_naming_the_cell(make_workbook, tmp_path, cli):
    path = make_workbook([action(1, "a", comments="Half an emoji: _xD83D_ and more text")])
    assert_refused(path, tmp_path, cli, "plan.xlsx: Actions!F2: the text holds a broken "
                   "character")


def test_a_lone_surrogate_straight_from_openpyxl_is_an_error(make_workbook, tmp_path, cli,
                                                              monkeypatch):
    """A crafted file can make openpyxl itself return one; same answer."""
    path = make_workbook([action(1, "a", comments="placeholder")])
    real_load = openpyxl.load_workbook

    def load(*args, **kwargs):
        workbook = real_load(*args, **kwargs)
        workbook["Actions"]["F2"].value = "broken \ud800 text"
        return workbook

    monkeypatch.setattr(openpyxl, "load_workbook", load)
    assert_refused(path, tmp_path, cli, "Actions!F2: the text holds a broken character")


def test_missing_sheet_lists_the_sheets_found(make_workbook, tmp_path, cli):
    def rename(workbook):
        workbook["Actions"].title = "Actions 2023"

    path = make_workbook([action()], customise=rename)
    assert_refused(path, tmp_path, cli, "no sheet named 'Actions'", "'Actions 2023'")


def test_missing_column_and_duplicate_header_and_orphan_ref(make_workbook, tmp_path, cli):
    path = make_workbook([[9, "x", "a", "b"]],
                         action_headers=["Ref", "Action", "Owner", "Owners"])
    assert_refused(path, tmp_path, cli, "Actions!D1: column 'Owners' repeats Actions!C1",
                   "Actions!1:1: no 'Completion Date' column", lines=2)
    orphan = make_workbook([action(9)], name="orphan.xlsx")
    assert_refused(orphan, tmp_path, cli, "Actions!A2: Ref 9 matches no recommendation")


def test_every_problem_in_one_workbook_is_reported_in_one_run(make_workbook, tmp_path,
                                                              cli):
    def break_it(workbook):
        workbook["Actions"].merge_cells("B3:B4")

    path = make_workbook(
        [action(1, "a"),
         action(1, "b"),
         action(1, "c", comments="#REF!"),
         action(1, "d", due="=TODAY()+30"),
         action(9, "orphan"),
         action(1, "bad char _xDC00_"),
         action(1, "e", status="Dunno")],
        customise=break_it,
    )
    err = assert_refused(path, tmp_path, cli, lines=6)
    for words in ("Actions!B4: the action text is blank (the cell is inside merged cells "
                  "B3:B4",
                  "Actions!F4: the cell shows the error #REF!",
                  "Actions!D5: formula =TODAY()+30 has no saved value",
                  "Actions!A6: Ref 9 matches no recommendation",
                  "Actions!B7: the text holds a broken character",
                  "Actions!E8: Status 'Dunno'",
                  "6 problems; nothing was written."):
        assert words in err, err


# -- accepted, with a warning where something needs the officer's eye -------------

def ok_run(path: Path, tmp_path: Path, cli) -> tuple[str, dict]:
    out = tmp_path / "out"
    code, _out, err = cli([path, "--out", out, "--format", "json"])
    assert code == 0, err
    assert "Traceback" not in err
    [snapshot] = out.glob("*.json")
    return err, json.loads(snapshot.read_text())


def test_hidden_rows_sheets_and_columns_are_read_with_a_warning(make_workbook, tmp_path,
                                                                cli):
    def hide(workbook):
        workbook["Actions"].row_dimensions[3].hidden = True
        workbook["Actions"].column_dimensions["F"].hidden = True
        workbook["Recommendations"].sheet_state = "hidden"

    path = make_workbook([action(1, "a"), action(1, "hidden row", comments="secret")],
                         customise=hide)
    err, snapshot = ok_run(path, tmp_path, cli)
    assert "warning: plan.xlsx: Actions!3:3: the row is hidden; it was included" in err
    assert "warning: plan.xlsx: Actions!F:F: the Comments column is hidden; it was read" in err
    assert "warning: plan.xlsx: sheet 'Recommendations' is hidden" in err
    actions = snapshot["recommendations"][0]["actions"]
    assert [a["comments"] for a in actions] == ["", "secret"]


def test_a_recommendation_with_no_actions_is_a_warning(make_workbook, tmp_path, cli):
    path = make_workbook([action(1)], recommendations=[[1, "one", ""], [2, "two", ""]])
    err, snapshot = ok_run(path, tmp_path, cli)
    assert ("warning: plan.xlsx: Recommendations!A3: recommendation 2 has no actions" in err)
    assert [r["ref"] for r in snapshot["recommendations"]] == [1, 2]


def test_control_characters_are_removed_with_a_warning_naming_the_cell(make_workbook,
                                                                       tmp_path, cli):
    path = make_workbook([action(1, "a", comments="bell_x0007_ and null_x0001_ gone")])
    err, snapshot = ok_run(path, tmp_path, cli)
    assert err.count("Actions!F2: removed control characters") == 1, err
    assert snapshot["recommendations"][0]["actions"][0]["comments"] == "bell and null gone"


def test_an_escaped_surrogate_pair_becomes_its_character(make_workbook, tmp_path, cli):
    path = make_workbook([action(1, "a", comments="Thumbs _xD83D__xDC4D_")])
    _err, snapshot = ok_run(path, tmp_path, cli)
    assert snapshot["recommendations"][0]["actions"][0]["comments"] == "Thumbs \U0001f44d"


def test_a_full_32767_character_cell_is_read_in_full(make_workbook, tmp_path, cli):
    text = ("Paragraph of progress. " * 2000)[:32_766] + "!"
    assert len(text) == 32_767  # Excel's limit for one cell
    path = make_workbook([action(1, "a", comments=text)])
    _err, snapshot = ok_run(path, tmp_path, cli)
    assert snapshot["recommendations"][0]["actions"][0]["comments"] == text.strip()


def test_a_macro_workbook_is_read(make_workbook, tmp_path, cli):
    path = make_workbook([action(1, "from the xlsm")], name="plan.xlsm")

    def macro_enabled(parts):
        types = parts["[Content_Types].xml"].decode()
        main_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        assert main_type in types
        parts["[Content_Types].xml"] = types.replace(
            main_type, "application/vnd.ms-excel.sheet.macroEnabled.main+xml").encode()
        parts["xl/vbaProject.bin"] = OLE2 + bytes(512)

    rewrite(path, macro_enabled)
    _err, snapshot = ok_run(path, tmp_path, cli)
    assert snapshot["recommendations"][0]["actions"][0]["action"] == "from the xlsm"


def test_a_workbook_open_in_excel_is_read_with_a_warning(make_workbook, tmp_path, cli):
    path = make_workbook([action()], name="plan.xlsx")
    (tmp_path / "~$plan.xlsx").write_bytes(b"\x05Alice" + b" " * 50)
    err, _snapshot = ok_run(path, tmp_path, cli)
    assert ("warning: plan.xlsx: the workbook is open in Excel (found '~$plan.xlsx' beside "
            "it)") in err
    assert "will not be in the report" in err


def test_no_warning_about_excel_when_no_lock_file(make_workbook, tmp_path, cli):
    path = make_workbook([action()], name="plan.xlsx")
    err, _snapshot = ok_run(path, tmp_path, cli)
    assert "open in Excel" not in err


# -- the workbook is never changed -----------------------------------------------

@pytest.mark.parametrize("broken", [False, True])
def test_the_workbook_bytes_are_unchanged_by_a_run(broken, make_workbook, tmp_path, cli):
    rows = [action(1, "a"), action(9 if broken else 1, "b", comments="#N/A" if broken else "")]
    path = make_workbook(rows)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    code, _out, _err = cli([path, "--out", tmp_path / "out", "--format", "json"])
    assert code == (1 if broken else 0)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert path.stat().st_mtime_ns == mtime


# -- the installation and the file system --------------------------------------

@pytest.mark.parametrize("broken", ["defusedxml missing", "defusedxml switched off"])
def test_reading_stops_at_once_without_defusedxml(broken, make_workbook, tmp_path, cli,
                                                  monkeypatch):
    """openpyxl would fall back to parsers that expand entities: refuse to read at all."""
    path = make_workbook([action()])
    if broken == "defusedxml missing":
        monkeypatch.setitem(sys.modules, "defusedxml", None)  # import fails
    else:
        monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)  # OPENPYXL_DEFUSEDXML=False
    out = tmp_path / "out"
    code, stdout, err = cli([path, "--out", out])
    assert code == 1
    assert "Traceback" not in err and stdout == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: make-report cannot start") and "defusedxml" in err, err
    assert not out.exists()


def test_defusedxml_is_in_use_here():
    from wfs_reports.workbook.reader import require_defusedxml

    require_defusedxml()
    assert openpyxl.DEFUSEDXML is True


def test_a_workbook_locked_by_another_program_asks_to_close_it(make_workbook, tmp_path,
                                                               cli, monkeypatch):
    """On Windows, Excel can hold a workbook so that it cannot even be read."""
    path = make_workbook([action()])
    real_read = Path.read_bytes

    def locked(self):
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", locked)
    assert_refused(path, tmp_path, cli, "cannot be read (Permission denied)",
                   "close it in Excel and run again")


def test_a_failed_reconciliation_writes_nothing(make_workbook, tmp_path, cli, monkeypatch):
    """If an action read were ever missing from the report, nothing is written."""
    import dataclasses

    from wfs_reports.commands import report as pipeline

    real_build = pipeline.build_context

    def lose_an_action(*args, **kwargs):
        context = real_build(*args, **kwargs)
        first = context.recommendations[0]
        shorter = dataclasses.replace(first, actions=first.actions[:-1])
        return dataclasses.replace(context, recommendations=(shorter,
                                                             *context.recommendations[1:]))

    monkeypatch.setattr(pipeline, "build_context", lose_an_action)
    path = make_workbook([action(1, "kept"), action(1, "lost")])
    out = tmp_path / "out"
    code, stdout, err = cli([path, "--out", out])
    assert code == 1 and stdout == "" and "Traceback" not in err
    assert "internal check failed: 2 actions read but 1 rendered (missing rows 3)" in err
    assert "nothing was written" in err
    assert not out.exists()


def test_a_recommendation_listed_twice_names_both_rows(make_workbook, tmp_path, cli):
    path = make_workbook([action(1), action(2)],
                         recommendations=[[1, "First", ""], [2, "Second", ""], [1, "Again", ""]])
    err = assert_refused(path, tmp_path, cli)
    assert err.splitlines() == [
        "error: plan.xlsx: Recommendations!A4: recommendation 1 is listed twice (also row 2); "
        "keep one row per recommendation"]


def test_a_first_action_with_no_ref_is_an_error_at_its_cell(make_workbook, tmp_path, cli):
    # A blank Ref under a filled one continues that recommendation; the first
    # action has nothing above it to continue.
    path = make_workbook([action(None, "first"), action(1, "second"), action(None, "third")])
    err = assert_refused(path, tmp_path, cli)
    assert err.splitlines() == [
        "error: plan.xlsx: Actions!A2: this action has no Ref; type the number of its "
        "recommendation"]


def test_a_blank_ref_under_a_filled_one_continues_that_recommendation(make_workbook, tmp_path,
                                                                      cli):
    path = make_workbook([action(2, "first"), action(None, "second"), action(1, "third")])
    code, _stdout, err = cli([path, "--out", tmp_path / "out", "--format", "json",
                                        "--quiet"])
    assert code == 0, err
    (written,) = (tmp_path / "out").glob("*.json")
    snapshot = json.loads(written.read_text(encoding="utf-8"))
    assert {rec["ref"]: [a["action"] for a in rec["actions"]]
            for rec in snapshot["recommendations"]} == {1: ["third"], 2: ["first", "second"]}
