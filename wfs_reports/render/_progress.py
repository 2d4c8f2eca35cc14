"""The "Progress over time" picture: templates/progress.typ, compiled by Typst.

One drawing serves every format: SVG for the web page and the PDF, PNG for
Word. Its numbers are the context's ``progress``, the same ones each format
prints in its table, so the picture and the table cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.errors import ReportError
from wfs_reports.render._layout import rag_data
from wfs_reports.render._typst import Output, TypesetError, compile_template, timestamp
from wfs_reports.report.view import Progress, ReportContext

TEMPLATE_NAME = "progress.typ"
FONTS_FOLDER = "fonts"
# Word shows the PNG 150 mm wide (render/docx.py): 200 pixels an inch keeps it sharp in print.
PNG_PPI = 200.0


def picture_data(progress: Progress, rag_key: tuple[RagStyle, ...]) -> dict:
    """What progress.typ reads (as data.json's "progress")."""
    return {
        "heading": progress.heading,
        "current_label": progress.current_label,
        "rag_key": [rag_data(style) for style in rag_key],
        "points": [
            {
                "label": point.label,
                "current": point.current,
                "total": point.total,
                "counts": [{"rag": rag_data(c.rag), "count": c.count} for c in point.counts],
            }
            for point in progress.points
        ],
    }


def draw(context: ReportContext, template: Path, fonts: Path, output: Output) -> bytes | None:
    """The picture as "svg" or "png" bytes; None when the report has no history.

    ``template`` is the progress.typ to compile and ``fonts`` the folder of
    fonts it may use: the command resolves both (config.Templates.progress).
    """
    if context.progress is None:
        return None
    path = Path(template)
    try:
        template_bytes = path.read_bytes()
    except OSError:
        raise ReportError(f"{path}: the Progress over time template cannot be read; copy "
                          "it from the bundled templates") from None
    data = {"progress": picture_data(context.progress, context.rag_key)}
    files = {
        TEMPLATE_NAME: template_bytes,
        "data.json": json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"),
    }
    try:
        compiled = compile_template(
            TEMPLATE_NAME, files, font_folder=Path(fonts),
            when=timestamp(dt.date.fromisoformat(context.as_at_iso)), output=output,
            ppi=PNG_PPI if output == "png" else None,
        )
    except TypesetError as error:
        raise ReportError(f"{path}: the Progress over time picture could "
                          f"not be drawn: {error}; fix the template or restore the bundled "
                          "progress.typ") from None
    pages = compiled.output if isinstance(compiled.output, list) else [compiled.output]
    return pages[0]
