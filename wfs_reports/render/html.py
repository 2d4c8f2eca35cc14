"""HTML output: one self-contained, accessible web page of the report.

The page is ``templates/report.html.j2`` (Jinja2, autoescape on) with
``templates/report.css`` inlined. It is for publishing on the organisation's
website, where WCAG 2.2 AA applies:

- **One file.** The stylesheet, any logo (as a ``data:`` URI) and the
  "Progress over time" picture (inline SVG) are inside it; there are no
  scripts, and nothing is fetched: no web fonts, no images by URL.
- **Cell text is data.** Every value is escaped by Jinja's autoescape; officer
  text such as ``<script>`` or ``{{ 7*7 }}`` prints as typed (values are
  passed to the template, never compiled as template code).
- **The template cannot run code.** It may come from a shared drive, so it is
  rendered in Jinja's ``SandboxedEnvironment``: a tag that reaches for Python
  internals stops the page with one line naming the template.
- **The same content as the PDF**, laid out from the same ``ReportContext``.
- **The same bytes** for the same context and templates.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.text import PARAGRAPH_BREAK, safe
from wfs_reports.render._layout import bar_segments
from wfs_reports.render._progress import FONTS_FOLDER, draw
from wfs_reports.render._progress import TEMPLATE_NAME as PROGRESS_TEMPLATE
from wfs_reports.render.rendered import Rendered
from wfs_reports.report.view import RagCount, ReportContext

TEMPLATE_NAME = "report.html.j2"
STYLESHEET_NAME = "report.css"

_HEX = re.compile(r"#[0-9a-f]{6}")
_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}


def render(context: ReportContext, templates: Any) -> Rendered:
    """The web page, for the format registry (wfs_reports.render.formats)."""
    return Rendered(render_html(context, templates.folder, templates.progress))


def render_html(context: ReportContext, template_dir: Path,
                progress: Path | None = None) -> bytes:
    """The web page; ``progress`` is the progress.typ to draw with (default:
    the folder's own)."""
    folder = Path(template_dir)
    template_text = _read(folder / TEMPLATE_NAME, "the web page template")
    stylesheet = _read(folder / STYLESHEET_NAME, "the web page stylesheet")
    if "</" in stylesheet:
        raise ReportError(f"{folder / STYLESHEET_NAME}: contains '</', which would end the "
                          "page's style block; remove it")
    environment = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined,
                                       keep_trailing_newline=True, trim_blocks=True,
                                       lstrip_blocks=True)
    environment.filters.update(paragraphs=paragraphs, lines=lines)
    try:
        template = environment.from_string(template_text)
        page = template.render(_values(context, folder, stylesheet,
                                               progress or folder / PROGRESS_TEMPLATE))
    except SecurityError as error:
        reason = str(error).rstrip(".")
        raise ReportError(f"{folder / TEMPLATE_NAME}: the web page template asks for something "
                          f"a template may not do ({reason}); remove that tag, or restore the "
                          "bundled report.html.j2") from None
    except TemplateError as error:
        raise ReportError(f"{folder / TEMPLATE_NAME}: the web page could not be made "
                          f"({error.message or error}); fix the template or restore the "
                          "bundled report.html.j2") from None
    return page.encode("utf-8")


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ReportError(f"{path}: {what} is missing or unreadable; copy it from the "
                          "bundled templates") from None


# -- officer text -------------------------------------------------------------


def _clean(value: str) -> str:
    return safe(value.replace("\r\n", "\n").replace("\r", "\n"))


def lines(value: str | None) -> Markup:
    """Text with its line breaks kept (escaped, then <br>)."""
    text = _clean(value or "").strip("\n")
    return Markup("<br>\n").join(escape(line) for line in text.split("\n"))


def paragraphs(value: str | None) -> Markup:
    """A blank line starts a paragraph; a single line break is kept as <br>."""
    text = _clean(value or "").strip("\n")
    if not text.strip():
        return Markup("")
    return Markup("").join(Markup("<p>{}</p>").format(lines(chunk))
                           for chunk in PARAGRAPH_BREAK.split(text) if chunk.strip())


# -- values -------------------------------------------------------------------


def _colour(value: str) -> str:
    """A colour for the stylesheet: only #rrggbb gets through (or none)."""
    value = value.lower()
    if value and not _HEX.fullmatch(value):
        raise ReportError(f"colour {value!r} is not a #rrggbb colour; check rules.toml and "
                          "brand.toml")
    return value


def _logo(context: ReportContext, folder: Path) -> str | None:
    """The logo as a data: URI, so that the page fetches nothing."""
    logo = context.brand.logo
    if not logo:
        return None
    path = Path(logo) if Path(logo).is_absolute() else folder / logo
    kind = _IMAGE_TYPES.get(path.suffix.lower())
    if kind is None:
        raise ReportError(f"{path}: the logo must be a PNG, JPEG, GIF, WebP or SVG file")
    try:
        data = path.read_bytes()
    except OSError:
        raise ReportError(f"{path}: the logo cannot be read") from None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


_SVG_START = re.compile(r"<svg\b")


def _chart(context: ReportContext, folder: Path, progress: Path) -> Markup | None:
    """The Progress over time picture as inline SVG, named for screen readers."""
    svg = draw(context, progress, folder / FONTS_FOLDER, "svg")
    if svg is None or context.progress is None:
        return None
    text = svg.decode("utf-8")
    text = text[text.index("<svg"):]  # no XML declaration inside HTML
    label = Markup(' role="img" aria-label="{}" focusable="false"').format(
        context.progress.alt_text)
    return Markup(_SVG_START.sub(lambda m: "<svg" + str(label), text, count=1))


def _segments(counts: tuple[RagCount, ...]) -> list[dict]:
    """The summary bar's parts, as the PDF draws them (widths as percentages)."""
    return [{**segment, "percent": f"{segment['width'] * 100:.2f}%"}
            for segment in bar_segments(counts)]


def _values(context: ReportContext, folder: Path, stylesheet: str,
            progress: Path) -> dict[str, Any]:
    headings = {r.ref: r for r in context.recommendations}
    styles = (*context.rag_key, context.not_applicable)
    return {
        "c": context,
        "stylesheet": Markup(stylesheet),
        "brand_colours": {
            "primary": _colour(context.brand.primary),
            "accent": _colour(context.brand.accent),
            "accent_text": _colour(context.brand.accent_text),
        },
        "rag_colours": [(style.key, _colour(style.fill), _colour(style.text_colour))
                        for style in styles],
        "logo": _logo(context, folder),
        "chart": _chart(context, folder, progress),
        "recommendation_of": lambda ref: headings.get(ref),
        "segments": _segments,
    }
