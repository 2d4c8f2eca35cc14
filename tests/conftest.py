"""Shared fixtures. Test workbooks are built here, not kept as binaries."""

from __future__ import annotations

import datetime as dt
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

# make-report renders Word and the PDF in processes of their own; the tests
# that call it in-process render everything in the test's process (the files
# are the same either way: tests/test_cli.py checks).
os.environ["WFS_REPORTS_PROCESSES"] = "0"

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "input" / "action_plan.xlsx"

ACTION_HEADERS = ["Ref", "Action", "Owner(s)", "Completion Date", "Status", "Comments",
                  "RAG Override", "Override Reason", "Last Updated"]
RECOMMENDATION_HEADERS = ["Ref", "Recommendation", "Comments from Service"]


def default_recommendations(n: int = 2) -> list[list]:
    return [[i, f"Recommendation text {i}", ""] for i in range(1, n + 1)]


@pytest.fixture
def make_workbook(tmp_path):
    """Build a workbook in the SPEC's contract and return its path.

    ``actions`` rows are lists in ``action_headers`` order or dicts keyed by
    header. ``report`` is a {setting: value} dict (None for no Report sheet).
    ``customise(workbook)`` may change anything before saving.
    """

    def make(
        actions: list | None = None,
        recommendations: list | None = None,
        report: dict | None = None,
        *,
        action_headers: list[str] = ACTION_HEADERS,
        recommendation_headers: list[str] = RECOMMENDATION_HEADERS,
        as_at: dt.date | None = dt.date(2023, 11, 22),
        name: str = "plan.xlsx",
        customise=None,
    ) -> Path:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Report"
        sheet.append(["Setting", "Value"])
        settings = {"Title": "WFS Action Plan Update", "As at": as_at}
        settings.update(report or {})
        for key, value in settings.items():
            if value is not None:
                sheet.append([key, value])

        recs = workbook.create_sheet("Recommendations")
        recs.append(recommendation_headers)
        for row in recommendations if recommendations is not None else default_recommendations():
            recs.append(_row(row, recommendation_headers))

        acts = workbook.create_sheet("Actions")
        acts.append(action_headers)
        for row in actions or []:
            acts.append(_row(row, action_headers))
        if customise:
            customise(workbook)
        path = tmp_path / name
        workbook.save(path)
        return path

    return make


def _row(row, headers):
    if isinstance(row, dict):
        return [row.get(h) for h in headers]
    return list(row)


def action(ref=1, text="Do the thing", owners="Owner", due="Q4 2023-24", status="In progress",
           comments="", override=None, reason=None, updated=None) -> list:
    return [ref, text, owners, due, status, comments, override, reason, updated]


class _CanaryHandler(http.server.BaseHTTPRequestHandler):
    """Records every request a renderer makes, and answers it with a stylesheet."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.canary.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    do_POST = do_HEAD = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


@dataclass
class Canary:
    port: int
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def canary():
    """A server on 127.0.0.1 that proves nothing is fetched: assert canary.requests == []."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CanaryHandler)
    server.canary = Canary(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server.canary
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
