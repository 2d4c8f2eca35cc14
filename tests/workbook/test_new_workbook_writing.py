"""make-report --new-workbook writes a whole file or none, with the umask's
mode, never over anything (issue 21 §4, §6)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys

import openpyxl
import pytest
from factories import MAKE_REPORT, action, write_workbook

from wfs_reports.cli import main


def _limit_file_size():  # in the child: a disk with 8 KB left, as it were
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE: POSIX only")
def test_a_full_disk_leaves_no_damaged_workbook_and_the_next_try_works(tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    full = subprocess.run([str(MAKE_REPORT), "--new-workbook", str(path)],
                          capture_output=True, text=True, preexec_fn=_limit_file_size)
    assert full.returncode == 1
    assert full.stderr.splitlines() == [
        f"error: {path}: cannot write the new workbook (File too large)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no temporary left either
    assert main(["--new-workbook", str(path)]) == 0
    assert "Actions" in openpyxl.load_workbook(path).sheetnames


@pytest.mark.parametrize("umask", [0o077, 0o002, 0o022])
def test_a_new_workbook_and_an_update_requests_folder_follow_the_umask(tmp_path, capsys,
                                                                       umask):
    path = tmp_path / "plan.xlsx"
    previous = os.umask(umask)
    try:
        assert main(["--new-workbook", str(path)]) == 0
    finally:
        os.umask(previous)
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~umask)

    workbook = write_workbook(tmp_path / "filled.xlsx", [action(owners="Ann Lee")])
    previous = os.umask(umask)
    try:
        assert main([str(workbook), "--out", str(tmp_path / "out"), "--requests"]) == 0
    finally:
        os.umask(previous)
    folder = tmp_path / "out" / "Update requests - 2023-11-22"
    assert oct(folder.stat().st_mode & 0o777) == oct(0o777 & ~umask)
    assert {oct(p.stat().st_mode & 0o777) for p in folder.iterdir()} == {oct(0o666 & ~umask)}


def test_a_link_planted_at_the_new_workbooks_name_is_left_alone(tmp_path, capsys):
    target = tmp_path / "elsewhere.xlsx"
    path = tmp_path / "plan.xlsx"
    path.symlink_to(target)  # dangling: "x" would have followed it and created the target
    assert main(["--new-workbook", str(path)]) == 1
    assert "already exists and was left as it is" in capsys.readouterr().err
    assert not target.exists() and path.is_symlink()
