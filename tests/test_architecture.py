"""The layers in the tree are enforced: import-linter's contracts in
pyproject.toml fail `make test` on an import that goes the wrong way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tmp_path: Path, edit: tuple[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the repository's contracts on a copy of the package, with one line added."""
    shutil.copytree(REPO / "wfs_reports", tmp_path / "wfs_reports")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    if edit is not None:
        module, line = edit
        path = tmp_path / "wfs_reports" / module
        path.write_text(path.read_text() + f"\n{line}\n")
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True,
                          text=True, env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})


def test_the_package_keeps_its_contracts(tmp_path):
    result = _lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("domain/rules.py", "import wfs_reports.report.view", "Layers"),
    ("workbook/reader.py", "from wfs_reports.commands import report", "Layers"),
    ("render/pdf.py", "import wfs_reports.cli", "Layers"),
    ("domain/dates.py", "import openpyxl", "standard library"),
    ("workbook/new_workbook.py", "from wfs_reports.config import load_templates",
     "passed down"),
    ("render/_progress.py", "from wfs_reports.config import bundled_templates",
     "passed down"),
])
def test_a_wrong_way_import_breaks_the_build(tmp_path, module, line, broken):
    result = _lint(tmp_path, (module, line))
    assert result.returncode != 0
    assert "1 broken" in result.stdout
    # the contract's name, then (perhaps wrapped) BROKEN
    assert broken in result.stdout.split("BROKEN")[0].rsplit("\n\n", 1)[-1]
