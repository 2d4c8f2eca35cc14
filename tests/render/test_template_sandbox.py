"""Templates from a shared drive cannot run code: the web page and both Word
templates are rendered in Jinja's sandbox. A tag that reaches for Python's
internals runs nothing, and make-report stops with one line naming the template."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from factories import SAMPLE, listing

from wfs_reports.cli import main
from wfs_reports.config import bundled_templates


def _payload(marker: Path) -> str:
    """The attack from issue 21: a command through cycler's globals (here `touch`)."""
    return f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"


def _templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(bundled_templates(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _plant_in_docx(path: Path, tag: str, payload: str) -> None:
    """Put ``payload`` beside ``tag`` in the same run of word/document.xml, as an
    editor with write access to the shared folder could in Word."""
    original = path.read_bytes()
    path.unlink()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                assert tag.encode() in data
                data = data.replace(tag.encode(), (tag + payload).encode(), 1)
            dst.writestr(info, data)


def _plant(folder: Path, name: str, payload: str) -> None:
    path = folder / name
    if name == "report.html.j2":
        text = path.read_text(encoding="utf-8")
        assert "{{ c.provenance }}" in text
        path.write_text(text.replace("{{ c.provenance }}", "{{ c.provenance }}" + payload, 1),
                        encoding="utf-8")
    elif name == "report.docx":
        _plant_in_docx(path, "{{ summary_sentence }}", payload)
    else:
        _plant_in_docx(path, "{{ owner }}", payload)


@pytest.mark.parametrize(("name", "args"), [
    ("report.html.j2", ["--format", "html"]),
    ("report.docx", ["--format", "docx"]),
    ("update_request.docx", ["--requests", "--reply-by", "2024-04-14"]),
])
def test_a_template_that_reaches_for_python_runs_nothing(tmp_path, capsys, name, args):
    folder = _templates(tmp_path)
    marker = tmp_path / "ran"
    _plant(folder, name, _payload(marker))
    out = tmp_path / "out"

    code = main([str(SAMPLE), "--out", str(out), "--templates", str(folder),
                 "--as-at", "2024-03-31", *args])

    err = capsys.readouterr().err
    assert not marker.exists()
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {folder / name}: ")
    assert "may not do" in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_the_untouched_templates_still_render_in_the_sandbox(tmp_path, capsys):
    folder = _templates(tmp_path)
    out = tmp_path / "out"
    assert main([str(SAMPLE), "--out", str(out), "--templates", str(folder), "--quiet",
                 "--as-at", "2024-03-31", "--format", "html,docx"]) == 0
    assert main([str(SAMPLE), "--out", str(out), "--templates", str(folder), "--quiet",
                 "--as-at", "2024-03-31", "--requests", "--reply-by", "2024-04-14"]) == 0
    assert sorted(p.suffix for p in listing(out) if p.is_file()) == [".docx", ".html"]
    assert list(out.glob("Update requests - 2024-03-31/*.docx"))
