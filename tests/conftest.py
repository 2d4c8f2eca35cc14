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
    return stale


if INSTALLED.is_relative_to(REPO / "wfs_reports"):
    pytest.exit(f"the tests imported the checkout's wfs_reports ({INSTALLED}), not the "
                "installed package; run `make test`", returncode=4)
if _stale := _stale_modules():
    pytest.exit(f"the installed wfs_reports ({INSTALLED}) is older than the checkout "
                f"({_stale[0]}, ...); run `make test`, which reinstalls it", returncode=4)

from factories import canary_server, write_workbook  # noqa: E402

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
