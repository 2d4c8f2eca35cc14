"""Inputs at the edges of what files and folders allow: one line each, never a
traceback (issue 21 §6)."""

from __future__ import annotations

import json
import os
import unicodedata
import zipfile

import pytest
from factories import action, listing

from wfs_reports.cli import main

STEM = "WFS Action Plan Update - 2023-11-22"
DEEP = b"[" * 100_000 + b"]" * 100_000  # valid JSON, nested past Python's recursion limit


def run(argv, capsys):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_deeply_nested_json_in_the_output_folder_is_ignored(make_workbook, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "deep.json").write_bytes(DEEP)
    (out / f"{STEM}.json").write_bytes(DEEP)  # where an earlier report of this date would be
    code, said, err = run([make_workbook([action()]), "--out", out], capsys)
    assert code == 0, err
    assert "Traceback" not in err
    assert f"wrote {out / STEM}.pdf" in said
    assert (out / "deep.json").read_bytes() == DEEP


def test_a_deeply_nested_json_given_to_previous_is_one_line(make_workbook, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_bytes(DEEP)
    code, _said, err = run([make_workbook([action()]), "--out", tmp_path / "out", "--previous",
                            deep, "--format", "json"], capsys)
    assert code == 1
    assert err.splitlines() == [
        f"error: {deep}: this is not a .json snapshot written by make-report; give the .json "
        "file of an earlier report to --previous"]


def test_a_workbook_name_at_the_systems_limit_is_read(make_workbook, tmp_path, capsys):
    name = "p" * (255 - len(".xlsx")) + ".xlsx"  # 255 bytes: no room for Excel's "~$" lock
    workbook = make_workbook([action()], name=name)
    code, said, err = run([workbook, "--out", tmp_path / "out", "--format", "json"], capsys)
    assert code == 0, err
    assert "Traceback" not in err


def _path_of_length(base, length: int):
    """A folder under ``base`` whose path is ``length`` characters long."""
    path = str(base)
    while len(path) < length:
        path += "/" + "d" * min(200, length - len(path) - 1)
    return type(base)(path)


def test_update_requests_near_the_path_limit_are_one_line(make_workbook, tmp_path, capsys):
    """The folder fits the system's limit, but not the requests folder in it."""
    limit = os.pathconf("/", "PC_PATH_MAX") if hasattr(os, "pathconf") else 4096
    out = _path_of_length(tmp_path, limit - len("/Update requests - 2023-11-22") + 5)
    out.mkdir(parents=True)
    code, _said, err = run([make_workbook([action(owners="Ann Lee")]), "--out", out,
                            "--requests"], capsys)
    assert code == 1
    (line,) = err.splitlines()
    assert line.endswith("choose a folder with a shorter path with --out"), line
    assert "File name too long" in line


@pytest.mark.parametrize("title", ["কর্মশক্তি পরিকল্পনা হালনাগাদ " * 4, "劳动力行动计划更新报告" * 8],
                         ids=["Bengali", "Chinese"])
def test_a_long_title_in_any_script_makes_a_file_name_that_fits(make_workbook, tmp_path, capsys,
                                                               title):
    """80 Bengali or 84 Chinese characters: the file name is cut by bytes (at a
    whole letter with its signs), the document keeps the whole Title."""
    out = tmp_path / "out"
    workbook = make_workbook([action()], report={"Title": title})
    code, _said, err = run([workbook, "--out", out, "--format", "json,docx"], capsys)
    assert code == 0, err
    (snapshot,) = out.glob("*.json")
    assert len(snapshot.name.encode("utf-8")) <= 255 - len(" (0123456789ab)")
    assert json.loads(snapshot.read_bytes())["title"] == " ".join(title.split())
    stem = snapshot.name.removesuffix(" - 2023-11-22.json")
    assert " ".join(title.split()).startswith(stem)
    after = " ".join(title.split())[len(stem):][:1]  # no sign or half a conjunct left behind
    assert not unicodedata.category(after).startswith("M") and not stem.endswith("\u09cd")
    assert len(stem) < 80  # cut by bytes, before the 80 characters
    assert sorted(p.suffix for p in listing(out)) == [".docx", ".json"]


def test_excel_output_warnings_name_the_workbooks_cell(make_workbook, tmp_path, capsys):
    """The Comments are column F of the workbook but G of the Excel report:
    the warning points where the officer can act, and names the report's cell
    in words."""
    saved = make_workbook([action(comments="PLACEHOLDER")], name="saved.xlsx")
    # LibreOffice saves a cell longer than Excel's limit (openpyxl would cut it).
    workbook = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(workbook, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"PLACEHOLDER", b"x" * 33_000)
            target.writestr(item, data)
    code, _said, err = run([workbook, "--out", tmp_path / "out", "--format", "xlsx"], capsys)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if "Excel cell holds" in line]
    assert warnings == [
        "warning: plan.xlsx: Actions!F2: the text is 33,000 characters, more than an Excel "
        "cell holds; the Excel report's Actions!I2 shows only the first 32,767"]
