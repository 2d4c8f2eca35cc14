"""Ctrl-C and kill -9 at any moment (issue 21 §2): the set is whole, old or new;
what the run says is what happened; no side process outlives the run; a later
run removes the temporaries a killed one left."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from factories import MAKE_REPORT, action, default_recommendations, listing

from wfs_reports.cli import main

STEM = "WFS Action Plan Update - 2023-11-22"


def _ctrl_c_on_rename(monkeypatch, when) -> None:
    """Press Ctrl-C (a real SIGINT to this process) just before the rename
    ``when(source, target)`` picks."""
    real_replace = os.replace

    def replace(source, target, *args, **kwargs):
        if when(Path(source), Path(target)):
            os.kill(os.getpid(), signal.SIGINT)
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def _made_from(folder: Path) -> str:
    return json.loads((folder / f"{STEM}.json").read_bytes())["source"]["sha256"]


def test_ctrl_c_between_the_renames_puts_the_whole_new_set_in_place_and_says_so(
        make_workbook, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert main([str(make_workbook([action(text="Before")], name="a.xlsx")), "--out", str(out),
                 "--quiet"]) == 0
    capsys.readouterr()
    _ctrl_c_on_rename(monkeypatch, lambda source, target: target.suffix == ".docx"
                      and source.name.startswith(".~wfs-"))
    code = main([str(make_workbook([action(text="After")], name="b.xlsx")), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 130
    written = ", ".join(str(out / f"{STEM}{ext}") for ext in (".docx", ".pdf", ".json"))
    assert err.splitlines()[-1] == f"stopped; the files were put in place first: {written}."
    assert "nothing was written" not in err
    snapshot = json.loads((out / f"{STEM}.json").read_bytes())
    assert snapshot["recommendations"][0]["actions"][0]["action"] == "After"
    identifier = docx.Document(str(out / f"{STEM}.docx")).core_properties.identifier
    assert identifier == f"sha256:{_made_from(out)}"  # Word and JSON from one workbook
    assert [p.name for p in listing(out)] == [f"{STEM}{ext}" for ext in (".docx", ".json",
                                                                          ".pdf")] + [
        "superseded"]


def test_ctrl_c_while_files_are_written_stops_before_anything_is_replaced(
        make_workbook, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert main([str(make_workbook([action(text="Before")])), "--out", str(out), "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in listing(out)}
    capsys.readouterr()
    real_fsync = os.fsync
    pressed = []

    def fsync(descriptor):
        if not pressed:
            pressed.append(os.kill(os.getpid(), signal.SIGINT))
        return real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    code = main([str(make_workbook([action(text="After")])), "--out", str(out)])
    assert code == 130
    assert capsys.readouterr().err.splitlines()[-1] == "stopped; nothing was written."
    assert {p.name: p.read_bytes() for p in listing(out)} == before


def test_ctrl_c_between_the_two_folder_renames_leaves_the_new_requests_folder(
        make_workbook, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    workbook = make_workbook([action(owners="Ann Lee")])
    argv = [str(workbook), "--out", str(out), "--requests", "--quiet"]
    assert main(argv) == 0
    folder = out / "Update requests - 2023-11-22"
    (folder / "Ann Lee.eml").write_bytes(b"an earlier run's request")
    capsys.readouterr()
    _ctrl_c_on_rename(monkeypatch, lambda source, target: source == folder)
    code = main(argv)
    assert code == 130
    assert capsys.readouterr().err.splitlines() == [
        f"stopped; the files were put in place first: {folder}."]
    assert b"an earlier run's request" not in (folder / "Ann Lee.eml").read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == [
        "Ann Lee.docx", "Ann Lee.eml", "Update requests - 2023-11-22.xlsx"]
    assert [p.name for p in listing(out)] == [folder.name]  # no temporary folder left


def test_ctrl_c_after_the_files_are_written_says_they_were(make_workbook, tmp_path, capsys,
                                                          monkeypatch):
    out = tmp_path / "out"
    real_print = print

    def print_until_wrote(*args, **kwargs):
        if args and str(args[0]).startswith("wrote "):
            raise KeyboardInterrupt
        real_print(*args, **kwargs)

    monkeypatch.setattr("builtins.print", print_until_wrote)
    code = main([str(make_workbook([action()])), "--out", str(out), "--format", "json"])
    assert code == 130
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"stopped; the report was written: {out / STEM}.json.")
    assert (out / f"{STEM}.json").is_file()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:  # a zombie has died; only its exit status waits for its new parent
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="side processes: Linux only")
def test_kill_9_takes_the_side_processes_with_it(make_workbook, tmp_path):
    rows = [action(i % 3 + 1, f"Action number {i} " * 8, comments="c " * 40)
            for i in range(1500)]
    workbook = make_workbook(rows, default_recommendations(3))
    env = {k: v for k, v in os.environ.items() if k != "WFS_REPORTS_PROCESSES"}
    run = subprocess.Popen([str(MAKE_REPORT), str(workbook), "--out", str(tmp_path / "out")],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(children := _children(run.pid)) < 2 and run.poll() is None:
            assert time.monotonic() < deadline, "the side processes never started"
            time.sleep(0.05)
        assert len(children) == 2
    finally:
        run.kill()
        run.wait()
    deadline = time.monotonic() + 60  # not a timing test: how long to wait for a leak
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [pid for pid in children if _alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)  # ours: leave nothing running
    assert survivors == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="side processes: Linux only")
def test_ctrl_c_in_a_terminal_stops_the_side_processes_too_and_says_one_line(make_workbook,
                                                                             tmp_path):
    """Ctrl-C reaches every process of the terminal's group: make-report says
    one line, its side processes print nothing and end with it."""
    rows = [action(i % 3 + 1, f"Action number {i} " * 8) for i in range(1500)]
    workbook = make_workbook(rows, default_recommendations(3))
    env = {k: v for k, v in os.environ.items() if k != "WFS_REPORTS_PROCESSES"}
    run = subprocess.Popen([str(MAKE_REPORT), str(workbook), "--out", str(tmp_path / "out")],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)
    deadline = time.monotonic() + 60
    while len(children := _children(run.pid)) < 2 and run.poll() is None:
        assert time.monotonic() < deadline, "the side processes never started"
        time.sleep(0.02)
    time.sleep(0.5)  # into their work (importing, rendering), long before any writing
    os.killpg(run.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the whole group
    _stdout, stderr = run.communicate()
    assert run.returncode == 130
    assert stderr.splitlines() == ["stopped; nothing was written."]
    assert not any(_alive(pid) for pid in children)
    assert not (tmp_path / "out" / f"{STEM}.pdf").exists()


def test_a_later_run_removes_temporaries_a_killed_run_left(make_workbook, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale_file = out / ".~wfs-k1ll3d.tmp"
    stale_file.write_bytes(b"half a PDF")
    stale_folder = out / ".~wfs-old-r3qu3st"
    (stale_folder / "nested").mkdir(parents=True)
    (stale_folder / "nested" / "Ann Lee.docx").write_bytes(b"docx")
    an_hour_ago = time.time() - 3600
    for path in (stale_folder / "nested" / "Ann Lee.docx", stale_folder / "nested",
                 stale_folder, stale_file):
        os.utime(path, (an_hour_ago, an_hour_ago))
    newer = out / ".~wfs-n3w.tmp"  # changed after the run began: maybe not dead, kept
    newer.write_bytes(b"")
    os.utime(newer, (time.time() + 3600, time.time() + 3600))
    somebody_elses = out / "notes.tmp"
    somebody_elses.write_bytes(b"mine")
    os.utime(somebody_elses, (an_hour_ago, an_hour_ago))
    assert main([str(make_workbook([action()])), "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in listing(out)) == [
        ".~wfs-n3w.tmp", f"{STEM}.docx", f"{STEM}.json", f"{STEM}.pdf", "notes.tmp"]


def test_update_requests_too_remove_temporaries_a_killed_run_left(make_workbook, tmp_path):
    out = tmp_path / "out"
    stale = out / ".~wfs-r3qu3st"
    stale.mkdir(parents=True)
    (stale / "Ann Lee.eml").write_bytes(b"eml")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    workbook = make_workbook([action(owners="Ann Lee")])
    assert main([str(workbook), "--out", str(out), "--requests", "--quiet"]) == 0
    assert [p.name for p in listing(out)] == ["Update requests - 2023-11-22"]


def test_a_requests_folder_that_is_a_link_is_replaced_and_its_target_kept(make_workbook,
                                                                          tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "Ann Lee.eml").write_bytes(b"someone else's")
    out = tmp_path / "out"
    out.mkdir()
    (out / "Update requests - 2023-11-22").symlink_to(elsewhere, target_is_directory=True)
    workbook = make_workbook([action(owners="Ann Lee")])
    assert main([str(workbook), "--out", str(out), "--requests", "--quiet"]) == 0
    assert not (out / "Update requests - 2023-11-22").is_symlink()
    assert (elsewhere / "Ann Lee.eml").read_bytes() == b"someone else's"
    assert [p.name for p in listing(out)] == ["Update requests - 2023-11-22"]
