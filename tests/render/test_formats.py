"""The format registry and the processes the Word and PDF files are made in."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from factories import MAKE_REPORT, SAMPLE, listing

from wfs_reports.commands import report as pipeline
from wfs_reports.render.formats import DEFAULT_FORMATS, FORMATS
from wfs_reports.render.rendered import Rendered


def test_every_format_has_a_renderer_module_with_a_render_function():
    assert set(DEFAULT_FORMATS) <= set(FORMATS)
    for name, fmt in FORMATS.items():
        assert fmt.extension == f".{name}"
        assert callable(fmt.load().render), name


def test_each_format_renders_the_same_context_to_its_own_file(tmp_path):
    result = pipeline.make_report(SAMPLE, tmp_path, formats=tuple(FORMATS))
    assert sorted(p.suffix for p in result.written) == sorted(f".{n}" for n in FORMATS)
    assert all(isinstance(FORMATS[n].render(result.context, _templates()), Rendered)
               for n in FORMATS)


def _templates():
    from wfs_reports.config import load_templates

    return load_templates(None)


def test_a_library_caller_gets_no_process_it_did_not_ask_for(tmp_path, monkeypatch):
    monkeypatch.delenv("WFS_REPORTS_PROCESSES", raising=False)
    started = []
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start",
                        lambda process: started.append(process))
    pipeline.make_report(SAMPLE, tmp_path)
    assert started == []
    assert len(listing(tmp_path)) == 3


def test_the_check_above_sees_a_process_when_one_is_asked_for(tmp_path, monkeypatch):
    if sys.platform != "linux" or threading.active_count() > 1:
        pytest.skip("side processes need Linux and a process with one thread to fork")
    monkeypatch.delenv("WFS_REPORTS_PROCESSES", raising=False)
    started = []

    def refuse(process):
        started.append(process)
        raise RuntimeError("no process in this test")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    with contextlib.suppress(Exception):
        pipeline.make_report(SAMPLE, tmp_path, processes=True)
    assert started != []


def _command(out: Path, *, processes: bool) -> dict[str, bytes]:
    env = {k: v for k, v in os.environ.items() if k != "WFS_REPORTS_PROCESSES"}
    if not processes:
        env["WFS_REPORTS_PROCESSES"] = "0"
    completed = subprocess.run([str(MAKE_REPORT), str(SAMPLE), "--out", str(out)],
                               env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert completed.stdout.splitlines()[-1].startswith("Read 9 recommendations and 14")
    return {p.suffix: p.read_bytes() for p in listing(out)}


def test_the_command_makes_the_same_files_with_and_without_its_side_processes(tmp_path):
    with_processes = _command(tmp_path / "with", processes=True)
    without = _command(tmp_path / "without", processes=False)
    assert sorted(with_processes) == [".docx", ".json", ".pdf"]
    assert with_processes == without


def test_a_renderer_error_in_a_side_process_reaches_the_officer_as_one_line(tmp_path,
                                                                            templates_copy):
    folder = templates_copy
    (folder / "report.typ").write_text("#let broken = (\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "WFS_REPORTS_PROCESSES"}
    completed = subprocess.run(
        [str(MAKE_REPORT), str(SAMPLE), "--out", str(tmp_path / "out"), "--templates",
         str(folder)], env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 1
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and "report.typ:1:" in lines[0], completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_one_format_alone(tmp_path, name):
    result = pipeline.make_report(SAMPLE, tmp_path, formats=(name,))
    assert [p.suffix for p in result.written] == [f".{name}"]
