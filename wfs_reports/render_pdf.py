"""PDF output: a Jinja2 HTML/CSS template rendered by WeasyPrint.

The template only lays out a ``ReportContext``; every decision (RAG, wording,
order) was made before it gets here. Cell text is data: it is autoescaped by
Jinja2 and never compiled as a template, and WeasyPrint may fetch nothing but
files inside the template folder.

This is the only module that imports WeasyPrint, and it does so lazily inside
``render_pdf``: the import costs about a second that the Word and JSON outputs
should not pay.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import mimetypes
import pathlib
import re
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
from markupsafe import Markup, escape

from wfs_reports.context import ActionContext, RagCount, ReportContext

TEMPLATE_NAME = "report.html.j2"

# Smallest share of the summary bar a non-zero segment gets, so that its
# mark and count ("■ 12") stay legible however lopsided the counts are.
_MIN_SEGMENT_PERCENT = 14.0

# Rough characters per line of each action-table column at 9pt (see the
# column widths in report.css), and the estimated line count above which a
# row may break across pages: about half an A4 page.
_COLUMN_CHARS = {"action": 31, "owners": 14, "completion_date": 11, "comments": 31}
_SPLIT_ROW_LINES = 30

_COLOUR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_CSS_IDENT_RE = re.compile(r"[a-z][a-z0-9_-]*")


# --------------------------------------------------------------------------
# HTML


def _paragraphs(value: str) -> Markup:
    """Officer text as escaped HTML: "\\n\\n" starts a paragraph, "\\n" is a line break."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return Markup("")
    paras = [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in p.split("\n")))
        for p in paras
    )


def _lines(value: str) -> Markup:
    """Short text (an owner, a date) with its line breaks kept, no paragraphs."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return Markup("<br>").join(escape(line) for line in text.split("\n"))


def _colour(value: str) -> str:
    """A colour safe to write into CSS: brand and rules colours are config, not code."""
    if value == "":
        return "transparent"
    if not _COLOUR_RE.fullmatch(value):
        raise RuntimeError(f"PDF template: {value!r} is not a #rrggbb colour")
    return value


def _css_ident(value: str) -> str:
    if not _CSS_IDENT_RE.fullmatch(value):
        raise RuntimeError(f"PDF template: {value!r} is not a usable RAG key")
    return value


def _bar_segments(counts: tuple[RagCount, ...]) -> list[dict[str, Any]]:
    """Widths (percent) for the summary bar's non-zero segments.

    Proportional to the counts, but never narrower than _MIN_SEGMENT_PERCENT so
    that every segment can carry its mark and count as text.
    """
    shown = [c for c in counts if c.count > 0]
    if not shown:
        return []
    total = sum(c.count for c in shown)
    minimum = min(_MIN_SEGMENT_PERCENT, 100.0 / len(shown))
    widths = [100.0 * c.count / total for c in shown]
    # Raise small segments to the minimum and take the difference from the
    # others in proportion to what they have above the minimum.
    deficit = sum(minimum - w for w in widths if w < minimum)
    spare = sum(w - minimum for w in widths if w >= minimum)
    final = [
        minimum if w < minimum else w - (deficit * (w - minimum) / spare if spare else 0.0)
        for w in widths
    ]
    # Rounded for stable, readable CSS; the last segment absorbs rounding.
    rounded = [round(w, 2) for w in final]
    rounded[-1] = round(100.0 - sum(rounded[:-1]), 2)
    return [
        {"rag": c.rag, "count": c.count, "width": f"{w:.2f}%"}
        for c, w in zip(shown, rounded, strict=True)
    ]


def _estimated_lines(text: str, chars_per_line: int) -> int:
    lines = str(text).split("\n")
    return sum(max(1, math.ceil(len(line) / chars_per_line)) for line in lines)


def _row_may_split(action: ActionContext) -> bool:
    """Whether an action row is too tall to keep whole on one page.

    Rows are kept whole (break-inside: avoid) so a Board member never reads
    half an action. But WeasyPrint 70 drops the repeated table header when a
    kept-whole row is taller than a page, so very long rows may break.
    """
    comments = f"{action.comments}\n{action.computed_comment}"
    estimates = [
        _estimated_lines(action.action, _COLUMN_CHARS["action"]),
        _estimated_lines(action.owners, _COLUMN_CHARS["owners"]),
        _estimated_lines(action.completion_date, _COLUMN_CHARS["completion_date"]),
        _estimated_lines(comments, _COLUMN_CHARS["comments"]),
    ]
    return max(estimates) > _SPLIT_ROW_LINES


def _environment(template_dir: pathlib.Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        # Explicit: select_autoescape() does not recognise ".html.j2".
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = _paragraphs
    env.filters["lines"] = _lines
    env.filters["colour"] = _colour
    env.filters["css_ident"] = _css_ident
    env.globals["bar_segments"] = _bar_segments
    env.globals["row_may_split"] = _row_may_split
    return env


def render_html(context: ReportContext, template_dir: pathlib.Path) -> str:
    """The report as an HTML string, ready for WeasyPrint (base URL = template_dir)."""
    template_dir = pathlib.Path(template_dir)
    variables: dict[str, Any] = {
        f.name: getattr(context, f.name) for f in dataclasses.fields(context)
    }
    variables["action_count"] = context.action_count
    variables["recommendations_by_ref"] = {r.ref: r for r in context.recommendations}
    try:
        template = _environment(template_dir).get_template(TEMPLATE_NAME)
        return template.render(**variables)
    except jinja2.TemplateError as exc:
        # Comms staff may edit the template: say where it broke, not a traceback.
        where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise RuntimeError(f"{TEMPLATE_NAME}{where}: {exc.message or exc}") from exc


# --------------------------------------------------------------------------
# Fetching: only files inside the template folder


def _template_file(template_dir: pathlib.Path, url: str) -> tuple[bytes, str]:
    """Bytes and MIME type of a file:// URL inside template_dir; anything else raises.

    Symlinks and ".." are resolved before the check, so neither can lead out
    of the folder. http(s), ftp, data: and every other scheme are refused.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise PermissionError(f"refused to fetch {url!r}: only template files may be used")
    if parts.netloc not in ("", "localhost"):
        raise PermissionError(f"refused to fetch {url!r}: not a local file")
    root = template_dir.resolve(strict=True)
    try:
        path = pathlib.Path(url2pathname(unquote(parts.path))).resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise FileNotFoundError(f"cannot read {url!r}: {exc}") from exc
    if not path.is_relative_to(root) or not path.is_file():
        raise PermissionError(f"refused to fetch {url!r}: outside the template folder")
    mime, _ = mimetypes.guess_type(path.name)
    return path.read_bytes(), mime or "application/octet-stream"


def _make_url_fetcher(template_dir: pathlib.Path) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class TemplateFolderFetcher(URLFetcher):
        """Serves template files only; never opens a network connection."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            body, mime = _template_file(template_dir, url)
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    # fail_on_errors: a refused or missing resource stops the render instead of
    # being skipped (WeasyPrint logs some of those, fonts included, at DEBUG).
    return TemplateFolderFetcher(fail_on_errors=True)


# --------------------------------------------------------------------------
# PDF


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed log call must not hide the error itself
            self.messages.append(str(record.msg))


def _open_with_bookmarks(document: Any, pdf: Any) -> None:
    """Open the bookmarks pane: the outline is how a reader jumps to a recommendation."""
    pdf.catalog["PageMode"] = "/UseOutlines"


def render_pdf(context: ReportContext, template_dir: pathlib.Path) -> bytes:
    """The report as PDF/UA-1 bytes; the same context gives the same bytes.

    Raises RuntimeError if WeasyPrint logs an error or a resource is refused.
    """
    import weasyprint  # lazy: see the module docstring
    from weasyprint.urls import FatalURLFetchingError, path2url

    try:
        template_dir = pathlib.Path(template_dir).resolve(strict=True)
    except OSError as exc:
        raise RuntimeError(f"template folder {template_dir} cannot be used: {exc}") from exc
    html_text = render_html(context, template_dir)
    fetcher = _make_url_fetcher(template_dir)

    collector = _ErrorCollector()
    logger = logging.getLogger("weasyprint")
    saved_level = logger.level
    if not logger.isEnabledFor(logging.ERROR):
        logger.setLevel(logging.ERROR)  # errors must reach the collector
    logger.addHandler(collector)
    try:
        document = weasyprint.HTML(
            string=html_text,
            base_url=path2url(str(template_dir) + "/"),
            url_fetcher=fetcher,
        )
        pdf = document.write_pdf(
            finisher=_open_with_bookmarks,
            # PDF/UA-1: PDF 1.7, a tagged structure tree, /MarkInfo, /Lang and
            # /ViewerPreferences /DisplayDocTitle, plus the PDF/UA XMP id.
            # pdf_tags is spelled out so tagging does not hinge on how the
            # variant fills defaults (it only fills options left at None).
            pdf_variant="pdf/ua-1",
            pdf_tags=True,
            # /ID from a hash of the file's own bytes: stable, not random.
            pdf_identifier=True,
            attachments=None,
            # Embed only the glyphs used (the default), from the bundled fonts.
            full_fonts=False,
        )
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RuntimeError(f"PDF rendering failed: {exc} ({cause})") from exc
    finally:
        logger.removeHandler(collector)
        logger.setLevel(saved_level)
    if collector.messages:
        raise RuntimeError("PDF rendering failed: " + "; ".join(collector.messages))
    return pdf
