"""Shared fixtures. The data they build comes from tests/factories.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# One copy of wfs_reports under test, however pytest is started: the installed
# package (`make test` reinstalls it whenever the checkout changes). `python -m
# pytest` would put the checkout first on sys.path; take it off before anything
# imports wfs_reports, then refuse to run if the copy found is not the installed
# one or differs from the checkout (an edit not yet installed).
REPO = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO]

import wfs_reports  # noqa: E402

INSTALLED = Path(wfs_reports.__file__).resolve().parent


def _stale_modules() -> list[str]:
    checkout = REPO / "wfs_reports"
    stale = []
    for source in sorted(checkout.rglob("*.py")):
        installed = INSTALLED / source.relative_to(checkout)
        if not installed.is_file() or installed.read_bytes() != source.read_bytes():
            stale.append(str(source.relative_to(REPO)))
    # A module moved or deleted in the checkout must not linger in the install.
    for installed in sorted(INSTALLED.rglob("*.py")):
        if installed.relative_to(INSTALLED).parts[0] == "templates":
            continue
        if not (checkout / installed.relative_to(INSTALLED)).is_file():
            stale.append(f"{installed} (not in the checkout)")
    return stale


if INSTALLED.is_relative_to(REPO / "wfs_reports"):
    pytest.exit(f"the tests imported the checkout's wfs_reports ({INSTALLED}), not the "
                "installed package; run `make test`", returncode=4)
if _stale := _stale_modules():
    pytest.exit(f"the installed wfs_reports ({INSTALLED}) is older than the checkout "
                f"({_stale[0]}, ...); run `make test`, which reinstalls it", returncode=4)

import hashlib  # noqa: E402
import shutil  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from factories import SAMPLE, canary_server, write_workbook  # noqa: E402

from wfs_reports.cli import main  # noqa: E402
from wfs_reports.config import bundled_templates  # noqa: E402

# make-report renders Word and the PDF in processes of their own; the tests
# that call it in-process render everything in the test's process (the files
# are the same either way: tests/test_cli.py checks).
os.environ["WFS_REPORTS_PROCESSES"] = "0"


@pytest.fixture
def make_workbook(tmp_path):
    """Build a workbook in the SPEC's contract in tmp_path and return its path.

    Takes factories.write_workbook's arguments, with ``name`` (default
    "plan.xlsx") in place of the path.
    """

    def make(*args, name: str = "plan.xlsx", **kwargs):
        return write_workbook(tmp_path / name, *args, **kwargs)

    return make


@pytest.fixture
def canary():
    """A server on 127.0.0.1 that proves nothing is fetched: assert canary.requests == []."""
    with canary_server() as server:
        yield server


@pytest.fixture
def cli(capsys):
    """make-report run in-process: ``cli([arg, ...])`` returns (exit code, stdout,
    stderr). The arguments may be paths. Whatever happens, no traceback is printed."""

    def run(argv: list) -> tuple[int, str, str]:
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out, captured.err

    return run


@pytest.fixture
def templates_copy(tmp_path) -> Path:
    """A copy of the installed package's bundled templates, tmp_path/"templates",
    for the test to change."""
    folder = tmp_path / "templates"
    shutil.copytree(bundled_templates(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@dataclass(frozen=True)
class SampleReports:
    """The sample workbook's reports in every format: the first as at its own date
    (22 November 2023), the second as at 15 April 2024 and compared with the first
    (trends, "Changes since the last report"). Read them; never write beside them."""

    folder: Path

    FIRST = "WFS Action Plan Update - 2023-11-22"
    SECOND = "WFS Action Plan Update - 2024-04-15"

    def first(self, suffix: str) -> Path:
        """The first report's file with this suffix (".docx", ".pdf", ".json", ...)."""
        return self.folder / "first" / f"{self.FIRST}{suffix}"

    def second(self, suffix: str) -> Path:
        return self.folder / "second" / f"{self.SECOND}{suffix}"


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory) -> SampleReports:
    """input/action_plan.xlsx rendered once for the whole session (it takes seconds)."""
    folder = tmp_path_factory.mktemp("sample")
    before = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    formats = "docx,pdf,html,json,xlsx"
    assert main([str(SAMPLE), "--out", str(folder / "first"), "--format", formats,
                 "--quiet"]) == 0
    reports = SampleReports(folder)
    (folder / "second").mkdir()
    shutil.copy(reports.first(".json"), folder / "second")  # the earlier report to compare
    assert main([str(SAMPLE), "--out", str(folder / "second"), "--format", formats,
                 "--as-at", "2024-04-15", "--quiet"]) == 0
    assert hashlib.sha256(SAMPLE.read_bytes()).hexdigest() == before, "the workbook changed"
    return reports
