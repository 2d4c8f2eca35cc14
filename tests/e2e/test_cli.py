"""make-report as an officer meets it: exit codes, messages, nothing half-written."""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest
from factories import MAKE_REPORT, SAMPLE, action, listing

from wfs_reports.cli import main


def test_missing_workbook_is_one_line_and_exit_1(tmp_path, cli):
    code, out, err = cli([tmp_path / "nope.xlsx", "--out", tmp_path / "out"])
    assert code == 1
    assert err.strip().splitlines() == [
        f"error: {tmp_path / 'nope.xlsx'}: file not found: there is no 'nope.xlsx' in "
        f"'{tmp_path}'; check the file's name and folder"
    ]
    assert not (tmp_path / "out").exists()


def test_workbook_problems_are_listed_by_cell_and_nothing_is_written(make_workbook, tmp_path,
                                                                     cli):
    path = make_workbook([action(9, "orphan"), action(1, "x", status="Dunno")])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, out, err = cli([path, "--out", tmp_path / "out"])
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: plan.xlsx: Actions!A2: Ref 9 matches no recommendation")
    assert lines[1].startswith("error: plan.xlsx: Actions!E3: Status 'Dunno'")
    assert lines[2] == "2 problems; nothing was written."
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--as-at", "31/02/2024"], "is not a date; write it day first, e.g. 31/03/2024"),
        (["--as-at", "12/31/2024"], "is not a date; write it day first"),  # never swapped
        (["--format", "docx,rtf"], "choose from docx,pdf,json"),
    ],
)
def test_mistyped_options_exit_2_with_a_hint(argv, words, capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert words in capsys.readouterr().err


def test_help_speaks_to_officers(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for words in ("input/action_plan.xlsx", "--as-at", "docx,pdf,json", "never changed"):
        assert words in text


def test_default_paths_are_input_and_output_in_the_current_folder(tmp_path, monkeypatch,
                                                                   cli):
    (tmp_path / "input").mkdir()
    (tmp_path / "input" / "action_plan.xlsx").write_bytes(SAMPLE.read_bytes())
    monkeypatch.chdir(tmp_path)
    code, out, _err = cli(["--format", "json"])
    assert code == 0
    assert (tmp_path / "output" / "WFS Action Plan Update - 2023-11-22.json").is_file()


def test_unknown_columns_are_reported_once_as_a_warning(make_workbook, tmp_path, cli):
    headers = ["Ref", "Action", "Owner(s)", "Completion Date", "Status", "Notes"]
    path = make_workbook([[1, "a", "o", "TBC", "", "n1"], [1, "b", "o", "TBC", "", "n2"]],
                         action_headers=headers)
    code, _out, err = cli([path, "--out", tmp_path, "--format", "json"])
    assert code == 0
    assert err.count("'Notes'") == 1


def test_a_failed_run_leaves_the_previous_report_intact(make_workbook, tmp_path, cli):
    good = make_workbook([action(1, "first version")])
    assert cli([good, "--out", tmp_path, "--format", "json,docx"])[0] == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    broken = make_workbook([action(7, "no such recommendation")], name="broken.xlsx")
    assert cli([broken, "--out", tmp_path, "--format", "json,docx"])[0] == 1
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after == {**before, "broken.xlsx": after["broken.xlsx"]}


def test_read_only_output_folder_is_a_clear_error(make_workbook, tmp_path, cli):
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    path = make_workbook([action()])
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _out, err = cli([path, "--out", locked, "--format", "json"])
    finally:
        locked.chmod(0o700)
    assert code == 1
    assert "cannot write the report" in err


def test_the_installed_command_runs_from_any_folder(tmp_path):
    result = subprocess.run(
        [str(MAKE_REPORT), str(SAMPLE), "--out", str(tmp_path), "--format", "json,docx"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "rendered 9 recommendations and 14 actions" in result.stdout


def test_output_folder_that_is_a_file_is_a_clear_error(make_workbook, tmp_path, cli):
    path = make_workbook([action()])
    blocker = tmp_path / "output"
    blocker.write_text("not a folder")
    code, _out, err = cli([path, "--out", blocker, "--format", "json"])
    assert code == 1
    assert err.startswith(f"error: {blocker}: cannot create the output folder")
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("formats", ["json", "docx,json"])
def test_the_command_keeps_its_output_and_exit_status_through_a_pipe(tmp_path, formats):
    # What make-report prints must arrive through a pipe, with its exit status.
    env = {**os.environ}
    env.pop("PYTHONUNBUFFERED", None)  # output to a pipe is buffered, as for most callers
    good = subprocess.run(
        [str(MAKE_REPORT), str(SAMPLE), "--out", str(tmp_path / "out"), "--format", formats],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert good.returncode == 0, good.stderr
    lines = good.stdout.splitlines()
    assert len([line for line in lines if line.startswith("wrote ")]) == len(formats.split(","))
    assert lines[-1].startswith("Read 9 recommendations and 14 actions; rendered 9 "
                                "recommendations and 14 actions; wrote ")
    bad = subprocess.run(
        [str(MAKE_REPORT), str(tmp_path / "missing.xlsx"), "--out", str(tmp_path / "out2"),
         "--format", formats], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr.startswith(f"error: {tmp_path / 'missing.xlsx'}: file not found")
    assert "Traceback" not in bad.stderr
    assert not (tmp_path / "out2").exists()


@pytest.mark.parametrize("typed", ["31/03/2024", "2024-03-31", "31 March 2024"])
def test_as_at_is_read_day_first_or_iso_as_in_the_workbook(tmp_path, cli, typed):
    code, _out, _err = cli([SAMPLE, "--out", tmp_path, "--format", "json", "--as-at", typed,
                            "--quiet"])
    assert code == 0
    assert [p.name for p in listing(tmp_path)] == ["WFS Action Plan Update - 2024-03-31.json"]


@pytest.mark.parametrize(("name", "data"), [("report.docx", None), ("report.pdf", b"%PDF-1.7"),
                                            ("notes.json", b"\xff\xfe not json")])
def test_previous_that_is_not_a_snapshot_says_what_it_is(tmp_path, cli, name, data):
    previous = tmp_path / name
    previous.write_bytes(data if data is not None else SAMPLE.read_bytes())
    code, _out, err = cli([SAMPLE, "--out", tmp_path / "out", "--previous", previous])
    assert code == 1
    line = err.strip()
    assert line.startswith(f"error: {previous}: this is ")
    assert "Error" not in line and "Traceback" not in line  # no internal exception names
    assert "give the .json file of an earlier report to --previous" in line
    assert not (tmp_path / "out").exists()
