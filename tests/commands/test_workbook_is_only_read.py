"""The workbook is only ever read, wherever it is kept (issue 21 §3)."""

from __future__ import annotations

import hashlib
import os
import time

from factories import action, listing

from wfs_reports.cli import main

STEM = "WFS Action Plan Update - 2023-11-22"


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_workbook_kept_under_a_reports_name_is_not_moved_with_the_earlier_report(
        make_workbook, tmp_path, capsys):
    out = tmp_path / "Board"
    earlier = make_workbook([action(text="Earlier wording")], name="earlier.xlsx")
    assert main([str(earlier), "--out", str(out), "--quiet"]) == 0
    workbook = make_workbook([action(text="Edited wording")], name=f"Board/{STEM}.xlsx")
    before = _sha(workbook)
    capsys.readouterr()
    assert main([str(workbook), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert workbook.is_file() and _sha(workbook) == before
    assert (f"{workbook}: this is the workbook being read, so it stays where it is although it "
            "has a report file's name; it was not moved into superseded") in said.splitlines()
    kept = sorted(p.suffix for p in (out / "superseded").iterdir())
    assert kept == [".docx", ".json", ".pdf"]  # the earlier report, not the workbook
    assert sorted(p.name for p in listing(out)) == [
        f"{STEM}.docx", f"{STEM}.json", f"{STEM}.pdf", f"{STEM}.xlsx", "superseded"]


def test_a_workbook_with_a_temporary_files_name_is_not_cleared_away(make_workbook, tmp_path):
    out = tmp_path / "Board"
    out.mkdir()
    workbook = make_workbook([action()], name="Board/.~wfs-plan.tmp")
    an_hour_ago = time.time() - 3600
    os.utime(workbook, (an_hour_ago, an_hour_ago))
    before = _sha(workbook)
    assert main([str(workbook), "--out", str(out), "--quiet"]) == 0
    assert _sha(workbook) == before


def _earlier_from_another_workbook(make_workbook, out):
    earlier = make_workbook([action(text="Earlier wording")], name="earlier.xlsx")
    assert main([str(earlier), "--out", str(out), "--quiet"]) == 0
    return {p.name: p.read_bytes() for p in listing(out)}


def test_superseded_that_is_a_file_is_named_and_nothing_is_written(make_workbook, tmp_path,
                                                                   capsys):
    out = tmp_path / "Board"
    before = _earlier_from_another_workbook(make_workbook, out)
    (out / "superseded").write_bytes(b"notes")
    before["superseded"] = b"notes"
    capsys.readouterr()
    code = main([str(make_workbook([action(text="Edited")])), "--out", str(out)])
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {out / 'superseded'}: this is a file, not a folder, so the earlier report "
        "cannot be kept in it; nothing was written. Move or rename the file, or choose "
        "another --out"]
    assert {p.name: p.read_bytes() for p in listing(out)} == before


def test_superseded_that_is_a_broken_link_is_named(make_workbook, tmp_path, capsys):
    out = tmp_path / "Board"
    before = _earlier_from_another_workbook(make_workbook, out)
    (out / "superseded").symlink_to(tmp_path / "gone")
    capsys.readouterr()
    code = main([str(make_workbook([action(text="Edited")])), "--out", str(out)])
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        f"error: {out / 'superseded'}: this is a link to '{tmp_path / 'gone'}', which is not a "
        "folder, so the earlier report cannot be kept in it; nothing was written. Remove the "
        "link, or choose another --out"]
    assert {p.name: p.read_bytes() for p in listing(out) if p.name != "superseded"} == before
    assert not (tmp_path / "gone").exists()
