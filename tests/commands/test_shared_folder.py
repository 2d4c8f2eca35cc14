"""Officers running make-report at the same moment into one shared folder (issue 21 §1).

Each run decides what to supersede, moves it and renames its files into
place holding the folder's lock, so no run loses another's report and the
live set is always one workbook's docx, PDF and JSON.
"""

from __future__ import annotations

import hashlib
import json
import subprocess

import docx
import pypdf
import pytest
from factories import MAKE_REPORT, action

from wfs_reports.commands.report import make_report
from wfs_reports.commands.requests import make_requests
from wfs_reports.domain.errors import OutputError
from wfs_reports.output.lock import folder_lock

STEM = "WFS Action Plan Update - 2023-11-22"
RUNS = 4


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _made_from(docx_path, pdf_path, json_path) -> set[str]:
    """The workbook hashes the three files say they were made from: one, if whole."""
    found = {json.loads(json_path.read_bytes())["source"]["sha256"]}
    found.add(docx.Document(str(docx_path)).core_properties.identifier.removeprefix("sha256:"))
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(str(pdf_path)).pages)
    found.add(next((marker for marker in MARKERS if MARKERS[marker] in " ".join(text.split())),
                   "no marker"))
    return found


MARKERS: dict[str, str] = {}  # workbook sha256 -> the action text only it has


def _workbook(make_workbook, name: str):
    text = f"Made from workbook {name}"
    path = make_workbook([action(text=text)], name=f"{name}.xlsx")
    MARKERS[_sha(path)] = text
    return path


@pytest.mark.parametrize("trial", range(2))
def test_runs_at_once_lose_no_report_and_leave_a_whole_set(make_workbook, tmp_path, trial):
    out = tmp_path / "shared"
    MARKERS.clear()
    earlier = _workbook(make_workbook, "earlier")
    subprocess.run([str(MAKE_REPORT), str(earlier), "--out", str(out), "--quiet"], check=True)
    workbooks = [_workbook(make_workbook, f"officer{i}") for i in range(RUNS)]
    runs = [subprocess.Popen([str(MAKE_REPORT), str(path), "--out", str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for path in workbooks]
    said = [run.communicate() for run in runs]
    assert [run.returncode for run in runs] == [0] * RUNS, said

    live = [out / f"{STEM}{ext}" for ext in (".docx", ".pdf", ".json")]
    (live_sha,) = _made_from(*live)  # the live set is one workbook's
    for path, (stdout, _stderr) in zip(workbooks, said, strict=True):
        wrote = sorted(line.removeprefix("wrote ") for line in stdout.splitlines()
                       if line.startswith("wrote "))
        assert wrote == sorted(str(p) for p in live)
        sha = _sha(path)
        if sha == live_sha:
            continue
        kept = [out / "superseded" / f"{STEM} ({sha[:12]}){ext}"
                for ext in (".docx", ".pdf", ".json")]
        assert all(p.is_file() for p in kept), f"{path.name}'s report is lost: {stdout}"
        assert _made_from(*kept) == {sha}
    # The earlier report, too, is kept under its own hash, and nothing else is there.
    earlier_sha = _sha(earlier)
    assert _made_from(*[out / "superseded" / f"{STEM} ({earlier_sha[:12]}){ext}"
                        for ext in (".docx", ".pdf", ".json")]) == {earlier_sha}
    assert len(list((out / "superseded").iterdir())) == 3 * RUNS


def test_a_run_waits_for_the_folder_and_says_so(make_workbook, tmp_path):
    out = tmp_path / "shared"
    workbook = make_workbook([action()])
    with folder_lock(out):
        run = subprocess.Popen([str(MAKE_REPORT), str(workbook), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = run.stderr.readline()  # blocks until the run reaches the lock
        assert first == "another make-report is writing to this folder; waiting…\n"
        assert not (out / f"{STEM}.pdf").exists()
    stdout, stderr = run.communicate()
    assert run.returncode == 0, stderr
    assert f"wrote {out / STEM}.pdf" in stdout
    assert (out / f"{STEM}.pdf").is_file()


def test_a_run_that_waits_too_long_stops_and_writes_nothing(make_workbook, tmp_path):
    out = tmp_path / "shared"
    workbook = make_workbook([action()])
    waiting = []
    with folder_lock(out):
        before = sorted(out.iterdir())
        with pytest.raises(OutputError) as caught:
            make_report(workbook, out, lock_wait=0.2, on_wait=waiting.append)
        assert sorted(out.iterdir()) == before
    assert waiting == ["another make-report is writing to this folder; waiting…"]
    assert str(caught.value) == (
        f"{out}: another make-report has been writing to this folder for over 0.2 seconds; "
        "nothing was written. Run again when it has finished")
    assert "\n" not in str(caught.value)


def test_update_requests_wait_for_the_same_lock(make_workbook, tmp_path):
    out = tmp_path / "shared"
    workbook = make_workbook([action(owners="Ann Lee")])
    with folder_lock(out):
        with pytest.raises(OutputError, match="another make-report has been writing"):
            make_requests(workbook, out, lock_wait=0.2)
        assert not any(p.name.startswith("Update requests") for p in out.iterdir())
    assert make_requests(workbook, out).written
