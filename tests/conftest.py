"""Shared fixtures. The data they build comes from tests/factories.py."""

from __future__ import annotations

import os

import pytest
from factories import canary_server, write_workbook

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
