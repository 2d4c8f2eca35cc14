"""Render the Word report from the docxtpl template (templates/report.docx).

It lays the shared ``ReportContext`` out; it decides nothing about RAG, wording
or order. The Word plumbing it shares with the update-request form (escaping,
the sandboxed Jinja environment, pictures, properties, the deterministic zip)
is in render/_docx.py.

Cell text is data, never template code: it is passed to docxtpl as values
(never compiled by Jinja), XML-escaped, and rendered with autoescape on as
a second guard. The output is byte-for-byte deterministic for a given context
and template.
"""

from __future__ import annotations

import datetime as dt
import pathlib
from typing import Any

from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docxtpl import InlineImage, RichText

from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.model import Rag
from wfs_reports.domain.rules import RagSource
from wfs_reports.domain.text import safe
from wfs_reports.domain.word_record import RecordedAction, write_record
from wfs_reports.render import _docx as word
from wfs_reports.render.rendered import Rendered
from wfs_reports.report.view import ActionContext, RagCount, ReportContext, bar_shares

LOGO_WIDTH_MM = 45
PROGRESS_WIDTH_MM = 150  # the Progress over time picture, nearly the text width
SYSTEM_GREY = "505a5f"  # as the template's System Comment style
# The missed part of the summary bar is hatched, as in the PDF and the web page
# (a cue that survives black-and-white printing): Word's light up-diagonal
# stripes, white at this strength over the RAG colour.
HATCH_PATTERN = "thinDiagStripe"
HATCH_WHITE = 0.3

# The summary bar is drawn with characters: one shaded run per RAG status,
# padded with spaces to a width proportional to its count. Widths are in units
# of a space (0.278 em in Arial / Liberation Sans). The template's "At a glance"
# column holds about 45 units of 9 pt text; the bar takes fewer so that it does
# not wrap. Plain spaces, not no-break spaces: LibreOffice shades each no-break
# space separately, which leaves hairline gaps in the bar.
BAR_UNITS = 40
_P, _TBL, _TR = qn("w:p"), qn("w:tbl"), qn("w:tr")
# Advance widths in those units; other ASCII counts as 2 (a digit), anything else as 3.6.
_UNITS = {" ": 1.0, "●": 2.17, "■": 2.17, "▲": 3.56, "–": 2.0}


# ---------------------------------------------------------------- text


def _rag_label(rag: RagStyle) -> RichText:
    label = f"{rag.mark} {rag.label}" if rag.mark else rag.label
    return word.rich(label, rag.text_colour)


def _trend(action: ActionContext) -> RichText | None:
    """'↓ worse' under the RAG label, in the label's colour; None with no earlier report."""
    return word.rich(action.trend_text, action.rag.text_colour) if action.trend else None


# ---------------------------------------------------------------- summary bar


def _units(text: str) -> float:
    return sum(_UNITS.get(ch, 2.0 if ch.isascii() else 3.6) for ch in text)


def _bar_widths(contents: list[str], counts: list[int]) -> list[float]:
    """Each segment's width in units: proportional to its count, but at least
    wide enough for its text plus a unit either side."""
    minimums = [(_units(text) + 2) / BAR_UNITS for text in contents]
    return [share * BAR_UNITS for share in bar_shares(counts, minimums)]


def _stripe(fill: str) -> str:
    """The hatching's colour on ``fill``: white at 30% over it, as the PDF draws it."""
    rgb = [int(fill.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c * (1 - HATCH_WHITE) + 255 * HATCH_WHITE):02x}" for c in rgb)


def _run(text: str, *, colour: str = "", fill: str = "", bold: bool = False,
         italic: bool = False, hatched: bool = False) -> str:
    """One w:r, its properties in schema order (b, i, color, shd). ``hatched``
    shades it with light diagonal stripes over ``fill`` (the missed part of
    the bar, hatched as in the PDF and the web page)."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if colour.lstrip("#"):
        props += f'<w:color w:val="{colour.lstrip("#")}"/>'
    if fill.lstrip("#") and hatched:
        props += (f'<w:shd w:val="{HATCH_PATTERN}" w:color="{_stripe(fill)}" '
                  f'w:fill="{fill.lstrip("#")}"/>')
    elif fill.lstrip("#"):
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill.lstrip("#")}"/>'
    text = word.escape_text(safe(text))
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _bar(counts: tuple[RagCount, ...]) -> RichText:
    """The summary bar: one shaded run per non-zero RAG count, showing its mark
    and count (so it reads in black and white), width proportional to the count.

    The mark and count sit at the right end of each part, padded on the left:
    LibreOffice does not draw spaces that end a paragraph in a table cell, so
    the bar must not end with padding.
    """
    shown = [c for c in counts if c.count > 0]
    bar = RichText()
    if not shown:
        bar.xml = _run("No counted actions", colour=SYSTEM_GREY, italic=True)
        return bar
    contents = [f"{c.rag.mark} {c.count}" if c.rag.mark else str(c.count) for c in shown]
    widths = _bar_widths(contents, [c.count for c in shown])
    runs = []
    drawn = end = 0.0  # rounding carried along, so every full bar ends at the same place
    for i, (c, text, width) in enumerate(zip(shown, contents, widths, strict=True)):
        end += width
        right = 1 if i < len(shown) - 1 else 0
        left = max(round(end - drawn - _units(text)) - right, 1)
        drawn += left + _units(text) + right
        padded = " " * left + text + " " * right
        runs.append(_run(padded, colour=c.rag.text_colour, fill=c.rag.fill, bold=True,
                         hatched=c.rag.key == Rag.MISSED.value))
    bar.xml = "".join(runs)
    return bar


# ---------------------------------------------------------------- context


def _action(action: ActionContext) -> dict[str, Any]:
    return {
        "number": word.text(action.number),
        "action": word.text(action.action),
        "owners": word.text(action.owners),
        "completion_date": word.text(action.completion_date),
        "comments": word.text(action.comments),
        "computed_comment": word.text(action.computed_comment),
        "rag_fill": word.fill(action.rag.fill),
        "rag_label": _rag_label(action.rag),
        "trend": _trend(action),
        "override": word.rich("Officer override", action.rag.text_colour)
        if action.rag_source is RagSource.OVERRIDE else None,
    }


def _counts(counts, key: tuple[RagStyle, ...]) -> list[int]:
    by_key = {c.rag.key: c.count for c in counts}
    return [by_key.get(style.key, 0) for style in key]


def _changes(context: ReportContext) -> dict[str, Any] | None:
    """The "Changes since the last report" section; None when there is no earlier report.
    Actions by number and full text: the snapshot's file name and workbook rows
    are the officer's (in the JSON), not the Board's."""
    changes = context.changes
    if changes is None:
        return None
    return {
        "previous_as_at": word.text(changes.previous_as_at),
        "groups": [
            {
                "title": word.text(title),
                "caption": word.attr(f"Changes since the last report: {title}"),
                "entries": [
                    {
                        "number": word.text(item.number),
                        "action": word.text(item.action),
                        "detail": word.text(item.detail),
                    }
                    for item in items
                ],
            }
            for title, items in changes.groups
        ],
    }


def _logo(pictures: word.Pictures, context: ReportContext,
          template: word.Template) -> InlineImage | None:
    """The brand logo, if set and of a type Word can embed (PNG/JPEG/GIF/BMP).

    SVG (allowed for the PDF) cannot be embedded by python-docx; the Word
    report then shows the text wordmark instead.
    """
    logo = context.brand.logo
    if not logo or logo.lower().endswith(".svg"):
        return None
    path = pathlib.Path(logo)
    if path.is_absolute():
        data = path.read_bytes()
    else:
        folder = getattr(template, "parent", None)
        if folder is None:  # a Traversable without a parent: try the working directory
            data = path.read_bytes()
        else:
            data = (folder / logo).read_bytes()
    return pictures.add(data, width_mm=LOGO_WIDTH_MM, name="Logo",
                        alt=context.brand.logo_alt or context.brand.organisation)


def _progress(pictures: word.Pictures, context: ReportContext, template: word.Template,
              folder: pathlib.Path | None,
              progress_template: pathlib.Path | None) -> dict[str, Any] | None:
    """"Progress over time": the picture (progress.typ drawn as PNG) and its table.

    ``folder`` holds fonts/ and, unless ``progress_template`` names another,
    progress.typ: the templates folder, else the Word template's own folder.
    """
    progress = context.progress
    if progress is None:
        return None
    from wfs_reports.render._progress import FONTS_FOLDER, TEMPLATE_NAME, draw

    if folder is None:
        if not isinstance(template, pathlib.Path):
            raise ReportError(f"{template}: the Progress over time picture needs the "
                              "templates folder (progress.typ and fonts/); pass it too")
        folder = template.parent
    picture = draw(context, progress_template or folder / TEMPLATE_NAME,
                   folder / FONTS_FOLDER, "png")
    assert picture is not None
    return {
        "heading": word.text(progress.heading),
        "intro": word.text(progress.intro),
        "caption": word.text(progress.caption),
        "table_caption": word.attr(progress.caption),
        "picture": pictures.add(picture, width_mm=PROGRESS_WIDTH_MM,
                                name="Progress over time", alt=progress.alt_text),
        "rows": [
            {"label": word.text(progress.row_label(point)),
             "counts": _counts(point.counts, context.rag_key), "total": point.total}
            for point in progress.points
        ],
    }


def _values(pictures: word.Pictures, context: ReportContext, template: word.Template,
            folder: pathlib.Path | None,
            progress_template: pathlib.Path | None) -> dict[str, Any]:
    key = context.rag_key
    summary = context.summary
    return {
        "title": word.text(context.title),
        "heading": word.text(context.heading),
        # The officer's own words, a paragraph each (the template's
        # "{%p for paragraph in board_summary %}" under the title block).
        "board_summary": [word.text(p) for p in context.board_summary_paragraphs],
        "meeting": word.text(context.meeting),
        "meeting_date": word.text(context.meeting_date),
        "as_at": word.text(context.as_at),
        "prepared_by": word.text(context.prepared_by),
        "classification": word.text(context.classification),
        "provenance": word.text(context.provenance),
        "summary_sentence": word.text(context.summary_sentence),
        "boxes": [
            {
                "fill": word.fill(c.rag.fill),
                "count": word.rich(f"{c.rag.mark} {c.count}" if c.rag.mark else str(c.count),
                               c.rag.text_colour),
                "label": word.rich(c.rag.label, c.rag.text_colour),
            }
            for c in summary.counts
        ],
        "organisation": word.text(context.brand.organisation),
        "strapline": word.text(context.brand.strapline),
        "logo": _logo(pictures, context, template),
        "accent_fill": word.fill(context.brand.accent),
        "key": [{"fill": word.fill(style.fill), "label": _rag_label(style)} for style in key],
        "rag_note": [word.text(note) for note in context.rag_note],
        "comment_label": word.text(context.comment_label),
        "exceptions": [
            {
                "number": word.text(e.number),
                "action": word.text(e.action),
                "message": word.text(e.message),
            }
            for e in context.exceptions
        ],
        "summary_rows": [
            {
                "heading": word.text(s.heading),
                "counts": _counts(s.counts, key),
                "not_applicable_note": word.text(context.not_applicable_note(s.not_applicable)),
                "total": s.total,
                "bar": _bar(s.counts),
            }
            for s in summary.per_recommendation
        ],
        "summary_total": {
            "counts": _counts(summary.counts, key),
            "not_applicable": summary.not_applicable,
            "total": summary.total,
            "bar": _bar(summary.counts),
        },
        "changes": _changes(context),
        "progress": _progress(pictures, context, template, folder, progress_template),
        "recommendations": [
            {
                "heading": word.text(rec.heading),
                "caption": word.attr(f"Actions for {rec.heading}"),
                "text": word.text(rec.text),
                "comments_from_service": [word.text(p) for p in rec.comments_from_service if p],
                "actions": [_action(a) for a in rec.actions],
            }
            for rec in context.recommendations
        ],
    }


# ---------------------------------------------------------------- document


def _record(context: ReportContext) -> bytes:
    """What the Word importer reads back that the Board copy does not show: each
    action's Status and Last Updated (domain/word_record.py)."""
    return write_record(
        RecordedAction(a.ref, a.action, a.rag.key, a.status_cell,
                       dt.date.fromisoformat(a.last_updated) if a.last_updated else None)
        for rec in context.recommendations for a in rec.actions)


def render_docx(context: ReportContext, template: word.Template,
                templates_folder: pathlib.Path | None = None,
                progress: pathlib.Path | None = None) -> bytes:
    """Render ``context`` into the docxtpl ``template``; return the .docx bytes.
    ``templates_folder`` is where fonts/ and progress.typ are, ``progress`` the
    progress.typ to draw with if not the folder's own (see _progress)."""
    tpl = word.open_template(template)
    primary = context.brand.primary
    word.apply_style_colours(tpl, {
        "Title": primary, "Heading 1": primary, "Heading 2": primary, "Heading 3": primary,
        "Wordmark": primary, "Table Heading": context.brand.accent_text,
    })
    pictures = word.Pictures(tpl)
    try:
        word.render(tpl, _values(pictures, context, template, templates_folder, progress), template,
                    "the Word template", "report.docx")
    except UnrecognizedImageError:
        raise ReportError(
            f"{template}: logo {context.brand.logo!r} is not an image Word can embed; "
            "use a PNG or JPEG"
        ) from None
    pictures.describe()
    word.add_custom_xml(tpl, _record(context))
    keep_end_with_last_block(tpl.docx.element.body)
    author = context.prepared_by or context.brand.organisation
    word.set_core_properties(
        tpl, as_at_iso=context.as_at_iso, title=context.title, subject=context.heading,
        author=author, identifier=f"sha256:{context.source_sha256}",
        comments=f"Generated by {context.generator} from {context.source_file}",
    )
    return word.save(tpl, context.as_at_iso)


def keep_end_with_last_block(body) -> None:
    """The body's last paragraph ("End of report.") never stands alone on a page:
    the paragraph before it, or every paragraph of the last row of the table
    before it, is kept with it (Word's "Keep with next")."""
    blocks = [child for child in body if child.tag in (_P, _TBL)]
    if len(blocks) < 2 or blocks[-1].tag != _P:
        return
    before = blocks[-2]
    if before.tag == _TBL:
        rows = before.findall(_TR)
        paragraphs = list(rows[-1].iter(_P)) if rows else []
    else:
        paragraphs = [before]
    for paragraph in paragraphs:
        paragraph.get_or_add_pPr().keepNext_val = True


def render(context: ReportContext, templates) -> Rendered:
    """The Word report, for the format registry (wfs_reports.render.formats)."""
    return Rendered(render_docx(context, templates.docx, templates.folder, templates.progress))
