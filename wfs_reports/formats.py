"""The output formats: one entry each, keyed by its --format name and extension.

Every renderer takes the same ``ReportContext`` and the run's ``Templates`` and
returns a ``Rendered``: the file's bytes and any problems it met on the way.
Adding a format is one module with a ``render`` function and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wfs_reports import render_docx, render_json, render_pdf, render_xlsx
from wfs_reports.context import ReportContext
from wfs_reports.rendered import Rendered
from wfs_reports.resources import Templates


@dataclass(frozen=True)
class Format:
    name: str  # the --format name, also the file extension
    description: str  # for --help
    render: Callable[[ReportContext, Templates], Rendered]

    @property
    def extension(self) -> str:
        return f".{self.name}"


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("docx", "the Word report", render_docx.render),
        Format("pdf", "the PDF to circulate", render_pdf.render),
        Format("json", "the JSON snapshot", render_json.render),
        Format("xlsx", "the plan as an Excel workbook, RAG cells coloured", render_xlsx.render),
    )
}
# What make-report writes when --format is not given.
DEFAULT_FORMATS = ("docx", "pdf", "json")
