"""templates/report.docx is what tools/build_docx_template.py builds (so a change
to the builder, such as the Progress over time section, is in the shipped file)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_shipped_word_template_is_the_builders_output(tmp_path):
    built = tmp_path / "report.docx"
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_docx_template.py"),
                    "--output", str(built)], check=True, capture_output=True, timeout=120)
    shipped = parts(ROOT / "templates" / "report.docx")
    assert parts(built) == shipped, (
        "templates/report.docx differs from tools/build_docx_template.py: re-run the script")
    assert b"{{ progress.picture }}" in shipped["word/document.xml"]
