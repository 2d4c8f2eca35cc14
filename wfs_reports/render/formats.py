"""The output formats: one entry each, keyed by its --format name and extension.

Every renderer is a module of this package with one function,
``render(context, templates) -> Rendered``: the file's bytes and any problems
it met on the way. All take the same ``ReportContext``, so the documents cannot
drift apart. Adding a format is one module and one line here.

A renderer's module (and its library) is imported only when its format is
asked for, so a run pays only for the files it makes.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from wfs_reports.render.rendered import Rendered
    from wfs_reports.report.view import ReportContext


class Templates(Protocol):
    """What a renderer reads of the templates the command loaded
    (config.Templates): every path already resolved, so no renderer falls
    back to the bundled templates of its own."""

    @property
    def folder(self) -> Path: ...

    @property
    def docx(self) -> Path: ...

    @property
    def progress(self) -> Path: ...


@dataclass(frozen=True)
class Format:
    name: str  # the --format name, also the file extension
    description: str  # for --help
    module: str  # the renderer, a module of wfs_reports
    # Rendered in a process of its own, when the caller allows it (see
    # commands._render.SideProcesses).
    own_process: bool = False

    @property
    def extension(self) -> str:
        return f".{self.name}"

    def load(self):
        """The renderer's module (a test checks every entry has one)."""
        return importlib.import_module(f"wfs_reports.{self.module}")

    def render(self, context: ReportContext, templates: Templates) -> Rendered:
        return self.load().render(context, templates)


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("docx", "the Word report", "render.docx", own_process=True),
        Format("pdf", "the PDF to circulate", "render.pdf", own_process=True),
        Format("json", "the JSON snapshot", "render.json"),
        Format("xlsx", "the plan as an Excel workbook, RAG cells coloured", "render.xlsx"),
        Format("html", "one accessible web page to publish", "render.html"),
    )
}
# What make-report writes when --format is not given.
DEFAULT_FORMATS = ("docx", "pdf", "json")
