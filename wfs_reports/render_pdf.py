"""PDF output: a Jinja2 HTML/CSS template rendered by WeasyPrint.

The template only lays out a ``ReportContext``; every decision (RAG, wording,
order) was made before it gets here. Cell text is data: it is autoescaped by
Jinja2 and never compiled as a template, and WeasyPrint may fetch nothing but
files inside the template folder.

This is the only module that imports WeasyPrint, and it does so lazily inside
``render_pdf``: the import costs about a second that the Word and JSON outputs
should not pay.

Speed (bench/README.md): ``import_weasyprint`` skips the slow library search
WeasyPrint's import makes on Linux, and ``_speed_up_weasyprint`` mends two
costs in WeasyPrint 70 that grow with the report (a lookup that makes tagging
quadratic in the page count, and one-sided dotted borders drawn dot by dot).
Neither changes what is drawn; both are skipped for other WeasyPrint versions.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import math
import mimetypes
import pathlib
import re
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup, escape

from wfs_reports.errors import ReportError
from wfs_reports.rendered import Rendered

if TYPE_CHECKING:  # kept out of the PDF worker's imports: see PdfWorker
    import jinja2

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
    import jinja2

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
    import jinja2

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
    from urllib.request import url2pathname  # imports http.client: only when fetching

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
# Importing and speeding up WeasyPrint


@contextlib.contextmanager
def _quick_library_lookup() -> Iterator[None]:
    """While WeasyPrint imports, let cffi find shared libraries by soname only.

    WeasyPrint tries several spellings of each library ("libpango-1.0-0",
    "pango-1.0", ... "libpango-1.0.so.0"). For each spelling that is not a
    file name, cffi calls ctypes.util.find_library, which on Linux runs
    ldconfig, gcc and ld as subprocesses: about 50 of them, 0.2-0.3 s. The
    spellings ending in ".so.N" are opened directly by the dynamic loader
    (LD_LIBRARY_PATH included), so skipping the search only skips the misses.
    """
    import ctypes.util

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


_IMPORT_LOCK = threading.Lock()


def import_weasyprint() -> Any:
    """Import WeasyPrint (about 1 s), set up for speed; safe to call from a thread."""
    with _IMPORT_LOCK:
        module = sys.modules.get("weasyprint")
        if module is None:
            module = _import_fresh()
        _speed_up_weasyprint(module)
        _prefer_bundled_emoji()
        return module


def _import_fresh() -> Any:
    if sys.platform.startswith("linux"):
        try:
            with _quick_library_lookup():
                import weasyprint

            return weasyprint
        except (OSError, ImportError):
            # A library found only by the full search: drop the half-imported
            # modules and import again the ordinary way (which reports errors).
            for name in [n for n in sys.modules if n == "weasyprint" or
                         n.startswith("weasyprint.")]:
                del sys.modules[name]
    import weasyprint

    return weasyprint


# For emoji, Pango asks Fontconfig for the generic family "emoji" (not the
# stylesheet's fonts), through Fontconfig's process-wide configuration, where
# distributions' rules (Debian's 60-generic.conf) prefer colour fonts and
# Fontconfig ranks colour above family. On a computer with a colour emoji font
# that font would be used and embedded instead of the bundled one, and the PDF
# would differ from computer to computer. This rule puts the bundled font first
# and asks for no colour.
_EMOJI_RULE = b"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <match target="pattern">
    <test qual="any" name="family"><string>emoji</string></test>
    <edit name="family" mode="prepend_first" binding="strong"><string>WFS Noto Emoji</string></edit>
    <edit name="color" mode="assign_replace"><bool>false</bool></edit>
  </match>
</fontconfig>
"""
# Fontconfig's names, most likely first on this platform (a name that does not
# load directly sends cffi into a slow library search).
_FONTCONFIG_NAMES = {
    "linux": ("libfontconfig.so.1",),
    "darwin": ("libfontconfig.1.dylib",),
    "win32": ("libfontconfig-1.dll",),
}
_EMOJI_RULE_ADDED = False


def _prefer_bundled_emoji() -> None:
    """Add _EMOJI_RULE to Fontconfig's process-wide configuration; once per process.

    Only a preference: if Fontconfig cannot be reached this way, the report is
    made as before (emoji from a colour font where one is installed).
    """
    global _EMOJI_RULE_ADDED
    if _EMOJI_RULE_ADDED:
        return
    _EMOJI_RULE_ADDED = True
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef("typedef struct _FcConfig FcConfig;"
                 "FcConfig *FcConfigGetCurrent(void);"
                 "int FcConfigParseAndLoadFromMemory(FcConfig *, const char *, int);")
        platform = next((key for key in _FONTCONFIG_NAMES if sys.platform.startswith(key)), "")
        # Each name once: a name that fails costs a slow search.
        names = dict.fromkeys((*_FONTCONFIG_NAMES.get(platform, ()), "libfontconfig-1",
                               "fontconfig-1", "fontconfig", "libfontconfig.so.1",
                               "libfontconfig.1.dylib", "libfontconfig-1.dll"))
        for name in names:
            try:
                fontconfig = ffi.dlopen(name)
                break
            except OSError:
                continue
        else:
            return
        config = fontconfig.FcConfigGetCurrent()
        if config != ffi.NULL:
            fontconfig.FcConfigParseAndLoadFromMemory(config, _EMOJI_RULE, 0)
    except Exception:  # noqa: BLE001 - a preference, see the docstring
        return


_SPED_UP = False


def _speed_up_weasyprint(weasyprint: Any) -> None:
    """Mend two WeasyPrint 70 costs that grow with the report; once per process.

    Both are pure speed-ups, checked by tests: the same PDF structure, the same
    look. Other WeasyPrint versions are left alone.
    """
    global _SPED_UP
    if _SPED_UP or not str(getattr(weasyprint, "__version__", "")).startswith("70."):
        return
    _SPED_UP = True
    _cache_page_references()
    _fast_partial_dotted_borders()


def _cache_page_references() -> None:
    """pydyf's PDF.page_references builds a tuple of every page on each use.

    WeasyPrint's tagging (PDF/UA) reads it once per tagged element, so with
    tagging on, writing a 235-page report built 47,000 tuples of 235 entries
    (about 6 s) and the cost grew with the square of the page count. The
    cached tuple is rebuilt whenever a page is added.
    """
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or original.fget is None:
        return
    build = original.fget

    def page_references(self: Any) -> tuple[bytes, ...]:
        kids = self.pages["Kids"]
        cached = self.__dict__.get("_wfs_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), build(self))
            self.__dict__["_wfs_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references, doc=original.__doc__)


def _fast_partial_dotted_borders() -> None:
    """Draw a dotted or dashed border on some sides of a box as stroked lines.

    WeasyPrint 70 strokes uniform four-sided dotted/dashed borders as one
    dashed line per side, but a border on fewer sides (the dotted rule above
    each "System:" sentence) goes through its generic path, which draws every
    dot as a clipped four-curve circle: at 1,000 actions, 120,000 dots and a
    third of the PDF-writing time. This draws those sides the way the
    four-sided fast path does (round caps, dots on both ends, evenly spaced),
    which looks the same. Anything else goes to WeasyPrint's own code.
    """
    from weasyprint import draw
    from weasyprint.draw import border
    from weasyprint.formatting_structure import boxes

    original = border.draw_border
    if getattr(original, "_wfs_fast", False) or draw.draw_border is not original:
        return
    sides = border.SIDES

    def draw_border(stream: Any, box: Any) -> None:
        style = box.style
        widths = [getattr(box, f"border_{side}_width") for side in sides]
        if (
            0 not in widths or not any(widths)
            or style["visibility"] != "visible"
            or style["border_image_source"][0] != "none"
            or (isinstance(box, boxes.BlockContainerBox) and (
                style["column_width"] != "auto" or style["column_count"] != "auto"))
        ):
            original(stream, box)
            return
        drawn = [i for i, width in enumerate(widths) if width]
        colors = {border.get_color(style, f"border_{sides[i]}_color") for i in drawn}
        styles = {style[f"border_{sides[i]}_style"] for i in drawn}
        color = next(iter(colors))
        _, _, box_width, box_height, *radii = box.rounded_border_box()
        lengths = {"top": box_width, "bottom": box_width, "left": box_height,
                   "right": box_height}
        if (
            len(colors) != 1 or not color.alpha or len(styles) != 1
            or not styles <= {"dotted", "dashed"} or len({widths[i] for i in drawn}) != 1
            or any(rx or ry for rx, ry in radii)
            # Too short for two dots: no valid dash pattern; WeasyPrint copes.
            or any(lengths[sides[i]] < 2 * widths[i] for i in drawn)
        ):
            original(stream, box)
            return
        with stream.artifact(), stream.stacked():
            _stroke_dotted_sides(stream, box, [sides[i] for i in drawn], styles.pop(),
                                 widths[drawn[0]], color)

    draw_border._wfs_fast = True  # type: ignore[attr-defined]
    border.draw_border = draw_border
    draw.draw_border = draw_border


def _stroke_dotted_sides(stream: Any, box: Any, sides: list[str], style: str, width: float,
                         color: Any) -> None:
    """The geometry of WeasyPrint 70's draw_dotted_dashed_border, side by side."""
    bbx, bby, bbw, bbh = box.rounded_border_box()[:4]
    half = width / 2
    inset = half if style == "dotted" else 0

    def dash(outer_length: float) -> list[float]:
        if style == "dotted":
            count = max(2, int(outer_length // (2 * width)) + 1)
            return [0, (outer_length - width) / (count - 1)]
        count = int(outer_length // (6 * width)) + 1
        dash_length = outer_length / (2 * count - 1)
        return [dash_length, dash_length]

    lines = {
        "top": (bbx + inset, bby + half, bbx + bbw - inset, bby + half, bbw),
        "right": (bbx + bbw - half, bby + inset, bbx + bbw - half, bby + bbh - inset, bbh),
        "bottom": (bbx + inset, bby + bbh - half, bbx + bbw - inset, bby + bbh - half, bbw),
        "left": (bbx + half, bby + inset, bbx + half, bby + bbh - inset, bbh),
    }
    stream.set_color(color, stroke=True)
    stream.set_line_width(width)
    stream.set_line_cap(1 if style == "dotted" else 0)
    for side in sides:
        x1, y1, x2, y2, outer_length = lines[side]
        stream.set_dash(dash(outer_length), 0)
        stream.move_to(x1, y1)
        stream.line_to(x2, y2)
        stream.stroke()


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


def _finisher() -> Any:
    """The finisher for ``document.write_pdf``: bookmarks pane open, then, on
    WeasyPrint 70, the laid-out pages freed before the file is serialised.

    WeasyPrint 70 calls the finisher once every page is drawn into the PDF
    objects and reads the pages no more; freeing them there lowers the peak
    (about 15 MB per 100 actions). Other versions keep their pages.
    """
    if not _SPED_UP:
        return _open_with_bookmarks

    def open_and_release(document: Any, pdf: Any) -> None:
        _open_with_bookmarks(document, pdf)
        document.pages.clear()
        gc.collect()  # pages' boxes and styles sit in reference cycles

    return open_and_release


def render_pdf(context: ReportContext, template_dir: pathlib.Path) -> bytes:
    """The report as PDF/UA-1 bytes; the same context gives the same bytes.

    Raises RuntimeError if the template fails, WeasyPrint logs an error or a
    resource is refused.
    """
    template_dir = usable_template_dir(template_dir)
    return pdf_from_html(render_html(context, template_dir), template_dir)


def usable_template_dir(template_dir: pathlib.Path) -> pathlib.Path:
    """The template folder, resolved: the one root every fetch is checked against."""
    try:
        return pathlib.Path(template_dir).resolve(strict=True)
    except OSError as exc:
        raise RuntimeError(f"template folder {template_dir} cannot be used: {exc}") from exc


def pdf_from_html(html_text: str, template_dir: pathlib.Path) -> bytes:
    """PDF/UA-1 bytes of ``render_html``'s output; template_dir as usable_template_dir gives."""
    weasyprint = import_weasyprint()  # lazy: see the module docstring
    from weasyprint.urls import FatalURLFetchingError, path2url

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
        options: dict[str, Any] = dict(
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
        # HTML.write_pdf is render() then Document.write_pdf() (WeasyPrint's
        # docs); done in two steps so that memory can be given back between
        # them: layout leaves styles and discarded boxes in reference cycles
        # (at 1,000 actions about 100 MB until the collector happens to run).
        laid_out = document.render(**options)
        gc.collect()
        pdf = laid_out.write_pdf(finisher=_finisher(), **options)
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RuntimeError(f"PDF rendering failed: {exc} ({cause})") from exc
    finally:
        logger.removeHandler(collector)
        logger.setLevel(saved_level)
    if collector.messages:
        raise RuntimeError("PDF rendering failed: " + "; ".join(collector.messages))
    return pdf


def render(context: ReportContext, templates: Any) -> Rendered:
    """The PDF, for the format registry (wfs_reports.formats)."""
    try:
        return Rendered(render_pdf(context, templates.folder))
    except RuntimeError as error:
        raise ReportError(f"{templates.html}: the PDF could not be made: {error}") from None
