"""The JSON snapshot format: its fields are report.snapshot's contract."""

from __future__ import annotations

from wfs_reports.render.rendered import Rendered
from wfs_reports.report.snapshot import render_json
from wfs_reports.report.view import ReportContext


def render(context: ReportContext, templates) -> Rendered:
    """The JSON snapshot, for the format registry (wfs_reports.render.formats)."""
    return Rendered(render_json(context))
