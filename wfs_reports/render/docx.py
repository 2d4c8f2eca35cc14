"""Render the Word report from the docxtpl template (templates/report.docx).

This is the only module that imports docxtpl / python-docx. It lays the shared
``ReportContext`` out; it decides nothing about RAG, wording or order.

Cell text is data, never template code: it is passed to docxtpl as values
(never compiled by Jinja), XML-escaped here, and rendered with autoescape on as
a second guard. The output is byte-for-byte deterministic for a given context
and template.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.resources.abc
import io
import pathlib
import zipfile
from typing import Any

from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from docxtpl import DocxTemplate, InlineImage, RichText
from jinja2 import Environment, FileSystemBytecodeCache, StrictUndefined, TemplateError
from markupsafe import Markup, escape

from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.rules import RagSource
from wfs_reports.domain.text import PARAGRAPH_BREAK, safe
from wfs_reports.render.rendered import Rendered
from wfs_reports.report.view import ActionContext, RagCount, ReportContext, bar_shares

Template = pathlib.Path | importlib.resources.abc.Traversable

LANG = "en-GB"
NO_FILL = "auto"  # w:fill="auto": no shading (an empty fill would be invalid OOXML)
LOGO_WIDTH_MM = 45
PROGRESS_WIDTH_MM = 150  # the Progress over time picture, nearly the text width
SYSTEM_GREY = "505a5f"  # as the template's System Comment style

# The summary bar is drawn with characters: one shaded run per RAG status,
# padded with spaces to a width proportional to its count. Widths are in units
# of a space (0.278 em in Arial / Liberation Sans). The template's "At a glance"
# column holds about 45 units of 9 pt text; the bar takes fewer so that it does
# not wrap. Plain spaces, not no-break spaces: LibreOffice shades each no-break
# space separately, which leaves hairline gaps in the bar.
BAR_UNITS = 40
# Advance widths in those units; other ASCII counts as 2 (a digit), anything else as 3.6.
_UNITS = {" ": 1.0, "●": 2.17, "■": 2.17, "▲": 3.56, "–": 2.0}

# Characters XML 1.0 cannot hold at all (and \a / \f, which docxtpl would also
# turn into paragraph/page breaks). Tab and newline are kept.


# ---------------------------------------------------------------- text


def _text(value: str | None) -> Markup:
    """Officer text as safe WordprocessingML run content.

    - XML-escaped here, then marked safe so autoescape does not escape it twice
      (a literal "&" must come out as "&", not "&amp;").
    - "{" and "}" become character references: after rendering, docxtpl turns
      "{_{" into "{{" (and "}_}", "{_%", "%_}") everywhere in the output, which
      would alter text such as "{_{ x }_}". The references are resolved when the
      XML is parsed, so the document holds the literal braces.
    - A blank line ("\\n\\n") becomes "\\a", docxtpl's documented new-paragraph
      marker (same paragraph and run style); a single "\\n" becomes a line break.
    """
    if not value:
        return Markup("")
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = safe(text)
    text = PARAGRAPH_BREAK.sub("\a", text.strip("\n"))
    escaped = str(escape(text))
    return Markup(escaped.replace("{", "&#123;").replace("}", "&#125;"))


def _attr(value: str) -> Markup:
    """Text for an attribute value (table captions): one line, escaped like _text()."""
    return _text(" ".join(value.split()))


def _rich(text: str, colour: str) -> RichText:
    """A run in its own colour (RAG labels). RichText escapes its text itself.

    Only the colour is set here (bold etc. come from the template's paragraph
    style), which also keeps the run properties in schema order.
    """
    rich = RichText(safe(text), color=colour.lstrip("#") or None)
    rich.xml = rich.xml.replace("{", "&#123;").replace("}", "&#125;")  # see _text()
    return rich


def _fill(colour: str) -> str:
    return colour.lstrip("#") or NO_FILL


def _rag_label(rag: RagStyle) -> RichText:
    label = f"{rag.mark} {rag.label}" if rag.mark else rag.label
    return _rich(label, rag.text_colour)


def _trend(action: ActionContext) -> RichText | None:
    """'↓ worse' under the RAG label, in the label's colour; None with no earlier report."""
    return _rich(action.trend_text, action.rag.text_colour) if action.trend else None


# ---------------------------------------------------------------- summary bar


def _units(text: str) -> float:
    return sum(_UNITS.get(ch, 2.0 if ch.isascii() else 3.6) for ch in text)


def _bar_widths(contents: list[str], counts: list[int]) -> list[float]:
    """Each segment's width in units: proportional to its count, but at least
    wide enough for its text plus a unit either side."""
    minimums = [(_units(text) + 2) / BAR_UNITS for text in contents]
    return [share * BAR_UNITS for share in bar_shares(counts, minimums)]


def _run(text: str, *, colour: str = "", fill: str = "", bold: bool = False,
         italic: bool = False) -> str:
    """One w:r, its properties in schema order (b, i, color, shd)."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if colour.lstrip("#"):
        props += f'<w:color w:val="{colour.lstrip("#")}"/>'
    if fill.lstrip("#"):
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill.lstrip("#")}"/>'
    text = str(escape(safe(text))).replace("{", "&#123;").replace("}", "&#125;")
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
        runs.append(_run(padded, colour=c.rag.text_colour, fill=c.rag.fill, bold=True))
    bar.xml = "".join(runs)
    return bar


# ---------------------------------------------------------------- context


def _action(action: ActionContext) -> dict[str, Any]:
    return {
        "action": _text(action.action),
        "owners": _text(action.owners),
        "completion_date": _text(action.completion_date),
        "comments": _text(action.comments),
        "computed_comment": _text(action.computed_comment),
        "rag_fill": _fill(action.rag.fill),
        "rag_label": _rag_label(action.rag),
        "trend": _trend(action),
        "override": _rich("Officer override", action.rag.text_colour)
        if action.rag_source is RagSource.OVERRIDE else None,
    }


def _counts(counts, key: tuple[RagStyle, ...]) -> list[int]:
    by_key = {c.rag.key: c.count for c in counts}
    return [by_key.get(style.key, 0) for style in key]


def _changes(context: ReportContext, headings: dict[int, str]) -> dict[str, Any] | None:
    """The "Changes since the last report" section; None when there is no earlier report."""
    changes = context.changes
    if changes is None:
        return None
    return {
        "previous_as_at": _text(changes.previous_as_at),
        "previous_file": _text(changes.previous_file),
        "groups": [
            {
                "title": _text(title),
                "caption": _attr(f"Changes since the last report: {title}"),
                "entries": [
                    {
                        "recommendation": _text(headings.get(item.ref,
                                                             f"Recommendation {item.ref}")),
                        "action": _text(item.action),
                        "detail": _text(item.detail),
                    }
                    for item in items
                ],
            }
            for title, items in changes.groups
        ],
    }


def _logo(tpl: DocxTemplate, context: ReportContext, template: Template) -> InlineImage | None:
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
    return _AltTextImage(tpl, io.BytesIO(data), alt=context.brand.logo_alt
                         or context.brand.organisation)


def _progress(tpl: DocxTemplate, context: ReportContext, template: Template,
              folder: pathlib.Path | None) -> dict[str, Any] | None:
    """"Progress over time": the picture (progress.typ drawn as PNG) and its table.

    ``folder`` holds progress.typ and fonts/: the templates folder, else the
    Word template's own folder, else the bundled templates.
    """
    progress = context.progress
    if progress is None:
        return None
    from wfs_reports.config import bundled_templates
    from wfs_reports.render._progress import draw

    if folder is None:
        parent = template.parent if isinstance(template, pathlib.Path) else None
        folder = parent if parent is not None and (parent / "fonts").is_dir() \
            else bundled_templates()
    picture = draw(context, folder, "png")
    assert picture is not None
    return {
        "heading": _text(progress.heading),
        "intro": _text(progress.intro),
        "caption": _text(progress.caption),
        "table_caption": _attr(progress.caption),
        "picture": _AltTextImage(tpl, io.BytesIO(picture), alt=progress.alt_text,
                                 width_mm=PROGRESS_WIDTH_MM, name="Progress over time"),
        "rows": [
            {"label": _text(progress.row_label(point)),
             "counts": _counts(point.counts, context.rag_key), "total": point.total}
            for point in progress.points
        ],
    }


class _AltTextImage(InlineImage):
    """InlineImage with alt text (wp:docPr/@descr) for screen readers."""

    def __init__(self, tpl: DocxTemplate, image: io.BytesIO, alt: str,
                 width_mm: float = LOGO_WIDTH_MM, name: str = "Logo") -> None:
        super().__init__(tpl, image, width=Mm(width_mm))
        self.alt = safe(alt)
        self.name = name

    def _insert_image(self) -> str:
        inline = self.tpl.current_rendering_part.new_pic_inline(
            self.image_descriptor, self.width, self.height
        )
        inline.docPr.set("descr", self.alt)
        inline.docPr.set("name", self.name)
        # Same splice as InlineImage._insert_image: close the run, add the drawing.
        return (
            f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r>"
            '<w:r><w:t xml:space="preserve">'
        )


def _values(tpl: DocxTemplate, context: ReportContext, template: Template,
            folder: pathlib.Path | None = None) -> dict[str, Any]:
    key = context.rag_key
    headings = {r.ref: r.heading for r in context.recommendations}
    summary = context.summary
    return {
        "title": _text(context.title),
        "heading": _text(context.heading),
        "meeting": _text(context.meeting),
        "meeting_date": _text(context.meeting_date),
        "as_at": _text(context.as_at),
        "prepared_by": _text(context.prepared_by),
        "classification": _text(context.classification),
        "provenance": _text(context.provenance),
        "summary_sentence": _text(context.summary_sentence),
        "boxes": [
            {
                "fill": _fill(c.rag.fill),
                "count": _rich(f"{c.rag.mark} {c.count}" if c.rag.mark else str(c.count),
                               c.rag.text_colour),
                "label": _rich(c.rag.label, c.rag.text_colour),
            }
            for c in summary.counts
        ],
        "organisation": _text(context.brand.organisation),
        "strapline": _text(context.brand.strapline),
        "logo": _logo(tpl, context, template),
        "accent_fill": _fill(context.brand.accent),
        "key": [{"fill": _fill(style.fill), "label": _rag_label(style)} for style in key],
        "rag_note": [_text(note) for note in context.rag_note],
        "exceptions": [
            {
                "recommendation": _text(headings.get(e.ref, f"Recommendation {e.ref}")),
                "cell": _text(e.cell),
                "action": _text(e.action),
                "message": _text(e.message),
            }
            for e in context.exceptions
        ],
        "summary_rows": [
            {
                "heading": _text(s.heading),
                "counts": _counts(s.counts, key),
                "not_applicable_note": _text(context.not_applicable_note(s.not_applicable)),
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
        "changes": _changes(context, headings),
        "progress": _progress(tpl, context, template, folder),
        "recommendations": [
            {
                "heading": _text(rec.heading),
                "caption": _attr(f"Actions for {rec.heading}"),
                "text": _text(rec.text),
                "comments_from_service": [_text(p) for p in rec.comments_from_service if p],
                "actions": [_action(a) for a in rec.actions],
            }
            for rec in context.recommendations
        ],
    }


# ---------------------------------------------------------------- document


def _apply_brand_colours(tpl: DocxTemplate, context: ReportContext) -> None:
    """Colours live in brand.toml; the template owns every other style property."""
    colours = {
        "Title": context.brand.primary,
        "Heading 1": context.brand.primary,
        "Heading 2": context.brand.primary,
        "Heading 3": context.brand.primary,
        "Wordmark": context.brand.primary,
        "Table Heading": context.brand.accent_text,
    }
    names = {style.name for style in tpl.docx.styles}
    for name, colour in colours.items():
        if name in names and colour:
            tpl.docx.styles[name].font.color.rgb = RGBColor.from_string(colour.lstrip("#"))


# Children of w:tcPr that the schema puts before w:shd.
_BEFORE_SHD = {qn(f"w:{t}") for t in ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge",
                                      "tcBorders")}


def _fix_shading_order(tpl: DocxTemplate) -> None:
    """docxtpl's cellbg puts w:shd first in w:tcPr; move it to its schema place
    (after tcW etc.) so strict consumers of the OOXML schema accept the file."""
    for tc_pr in tpl.docx.element.body.iter(qn("w:tcPr")):
        shd = tc_pr.find(qn("w:shd"))
        if shd is None:
            continue
        tc_pr.remove(shd)
        anchor = None
        for child in tc_pr:
            if child.tag in _BEFORE_SHD:
                anchor = child
        if anchor is None:
            tc_pr.insert(0, shd)
        else:
            anchor.addnext(shd)


def _set_core_properties(tpl: DocxTemplate, context: ReportContext) -> None:
    # Set after render(): docxtpl compiles core properties as Jinja templates,
    # and context text must never be compiled.
    midnight = dt.datetime.fromisoformat(context.as_at_iso).replace(tzinfo=None)
    props = tpl.docx.core_properties
    author = context.prepared_by or context.brand.organisation
    props.title = context.title
    props.subject = context.heading
    props.author = author
    props.last_modified_by = author
    props.language = LANG
    props.identifier = f"sha256:{context.source_sha256}"
    props.comments = f"Generated by {context.generator} from {context.source_file}"
    props.keywords = ""
    props.category = ""
    props.created = midnight
    props.modified = midnight
    props.last_printed = midnight
    props.revision = 1


def _repack(docx: bytes, as_at_iso: str) -> bytes:
    """Re-zip with fixed timestamps, attributes and entry order, for identical bytes."""
    stamp = dt.date.fromisoformat(as_at_iso)
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src:
        names = src.namelist()
        # [Content_Types].xml first (some readers expect it), then a fixed order.
        order = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
        with zipfile.ZipFile(out, "w") as dst:
            for name in order:
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()


class _Environment(Environment):
    """The Jinja environment docxtpl renders with.

    StrictUndefined: a tag mistyped while editing the template in Word fails
    loudly instead of leaving a silently empty cell.

    Compiling the template's parts is about half of a Word render, so the
    compiled code is kept between runs in Jinja's own bytecode cache (a
    private folder of this user's in the temporary directory), as Jinja's
    loaders do for file templates. It is keyed by the part's whole text: an
    edited template is compiled afresh, never rendered from stale code.
    """

    def __init__(self) -> None:
        try:
            cache = FileSystemBytecodeCache()
        except (OSError, RuntimeError):  # no safe private folder: compile each time
            cache = None
        super().__init__(autoescape=True, undefined=StrictUndefined, bytecode_cache=cache)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        cache = self.bytecode_cache
        if cache is None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        key = hashlib.sha256(source.encode("utf-8")).hexdigest()
        try:
            bucket = cache.get_bucket(self, key, None, source)
        except OSError:
            return super().from_string(source, globals, template_class)
        if bucket.code is None:
            bucket.code = self.compile(source)
            with contextlib.suppress(OSError):
                cache.set_bucket(bucket)
        cls = template_class or self.template_class
        return cls.from_code(self, bucket.code, self.make_globals(globals), None)


def render_docx(context: ReportContext, template: Template,
                templates_folder: pathlib.Path | None = None) -> bytes:
    """Render ``context`` into the docxtpl ``template``; return the .docx bytes.
    ``templates_folder`` is where progress.typ and fonts/ are (see _progress)."""
    tpl = DocxTemplate(io.BytesIO(template.read_bytes()))
    tpl.init_docx()  # load now, so styles can be adjusted before render()
    _apply_brand_colours(tpl, context)
    try:
        tpl.render(_values(tpl, context, template, templates_folder), jinja_env=_Environment(),
                   autoescape=True)
    except TemplateError as error:
        lines = getattr(error, "docx_context", [])  # docxtpl: text around the bad tag
        near = " / ".join(line.strip() for line in lines if line.strip())
        raise ReportError(
            f"{template}: the Word template could not be used ({error.message or error}"
            f"{'; near: ' + near[:200] if near else ''}); retype any tag edited in Word "
            "as one piece, or restore the bundled report.docx"
        ) from None
    except UnrecognizedImageError:
        raise ReportError(
            f"{template}: logo {context.brand.logo!r} is not an image Word can embed; "
            "use a PNG or JPEG"
        ) from None
    _fix_shading_order(tpl)
    _set_core_properties(tpl, context)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return _repack(buffer.getvalue(), context.as_at_iso)


def render(context: ReportContext, templates) -> Rendered:
    """The Word report, for the format registry (wfs_reports.render.formats)."""
    return Rendered(render_docx(context, templates.docx, templates.folder))
