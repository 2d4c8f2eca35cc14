"""Read a Word action-plan report back into a Plan: ``--new-workbook X --from Y.docx``.

Two layouts are read, and any mixture of them:

- the original WFS Action Plan Update, typed by hand: a RAG key table, then
  per recommendation "Recommendation N", its text and "Comments from
  Service:" with its narrative, written as paragraphs before a table of the
  recommendation's own or as full-width (merged) rows inside one long table
  that runs on across several recommendations, with the header row
  repeated, empty spacer rows, a full-width "Not applicable ..." row and RAG
  cells coloured by hand;
- this project's own Word report (render_docx.py), whose "System:" comments,
  RAG labels, marks and trend words are computed, not officer text.

The document is walked once, in order, as a stream of paragraphs and table
rows; a full-width row is read like the paragraphs it holds. What cannot be
placed becomes a ``Problem`` naming where it is ("table 2, row 7"), never
dropped quietly. The result is plain data (a ``model.Plan``); writing the
workbook is ``workbook_template``'s job. This module reads with python-docx
and never writes the Word file.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import io
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Literal, NoReturn, TypeVar

from wfs_reports.domain.colours import is_colour
from wfs_reports.domain.dates import parse_completion_date, parse_day_first_date
from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.model import Action, Plan, Rag, Recommendation, ReportSettings, Status
from wfs_reports.domain.problems import Kind, Problem, Severity
from wfs_reports.domain.rules import NOT_STARTED_NOTE, RulesConfig
from wfs_reports.domain.text import excerpt
from wfs_reports.workbook.contract import PLACEHOLDERS, STATUS_WORDS
from wfs_reports.workbook.file import (
    MAX_FILE_BYTES,
    is_encrypted_ole2,
    is_ole2,
    unpacked_megabytes,
    unpacks_too_large,
    zip_listing,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
# The most text one Excel cell can hold.
EXCEL_CELL_LIMIT = 32_767


# What else officers write in (or instead of colouring) a RAG cell.
RAG_CELL_WORDS = {
    Rag.COMPLETED: ("Completed", "Complete", "Green", "G", "Done", "Blue"),
    Rag.MINOR_ISSUES: ("Amber", "A", "On target", "Minor issues", "Yellow", "Orange"),
    Rag.MISSED: ("Red", "R", "Missed", "Missed target"),
    Rag.NOT_APPLICABLE: ("N/A", "NA", "Not relevant"),
}
TREND_WORDS = ("better", "same", "worse", "new")

# The action table's header cells, by field. Compared after _key().
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "action": ("Action", "Actions", "Action(s)", "Agreed action", "Agreed actions",
               "Action description"),
    "owners": ("Owner(s)", "Owner", "Owners", "Lead", "Leads", "Lead(s)", "Lead officer",
               "Action owner", "Responsible", "Responsible officer"),
    "completion_date": ("Completion Date", "Completion Date(s)", "Due", "Due date",
                        "Target date", "Deadline", "Timescale", "Timescales", "Completion",
                        "Target completion date", "Date due", "By when"),
    "comments": ("Comments", "Comment", "Comment(s)", "Progress update", "Update",
                 "Progress comments", "Latest update", "Commentary", "Progress"),
    "rag": ("RAG Status", "RAG", "RAG rating", "RAG status (colour)", "Rating"),
    "status": ("Status", "Progress status", "Action status"),
}
# The tables of this project's own report that are worked out from the plan
# (summary, exceptions, changes): recognised by their first row's cells (as
# _key gives them), skipped.
COMPUTED_TABLES = ({"recommendation", "total"}, {"recommendation", "ataglance"},
                   {"cell", "issue"}, {"recommendation", "action", "change"})
# The summary's count boxes: its last cell is the total, "13 Actions counted".
COUNT_BOXES_END = "actionscounted"
# Headings of this project's own report sections that come before the
# recommendations and are worked out from the plan.
COMPUTED_SECTIONS = ("Summary", "How RAG is calculated", "Exceptions",
                     "Changes since the last report")
# Styles of this project's Word template (templates/report.docx), by style id.
SYSTEM_COMMENT_STYLE = "SystemComment"
TREND_STYLE = "RAGTrend"
FURNITURE_STYLES = {"Provenance", "Strapline"}
# The original report's running header, repeated on each page of a text export;
# recognised so it is skipped, never written into a new workbook.
ORIGINAL_RUNNING_HEADER = "WFS Action Plan Update"
HEADING_STYLES = {"Heading1", "Title"}

_REC_HEADING = re.compile(
    r"^\s*(?:recommendation|rec\.?)\s*(?:no\.?\s*|number\s*)?(\d+)\s*(?:$|[:.\-–—)]\s*(.*)$)",
    re.IGNORECASE | re.DOTALL,
)
_COMMENTS_LABEL = re.compile(
    r"^\s*(?:comments?\s+from\s+(?:the\s+)?service|service\s+comments?)\s*[:.\-–]?\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_SETTING_LINES = (
    ("meeting_date", re.compile(r"^\s*meeting\s+date\s*:\s*(.+)$", re.IGNORECASE)),
    ("meeting", re.compile(r"^\s*meeting\s*:\s*(.+)$", re.IGNORECASE)),
    ("as_at", re.compile(r"^\s*(?:position\s+)?as\s+at\s*:?\s*(.+)$", re.IGNORECASE)),
    ("prepared_by", re.compile(r"^\s*prepared\s+by\s*:\s*(.+)$", re.IGNORECASE)),
    ("classification", re.compile(r"^\s*classification\s*:\s*(.+)$", re.IGNORECASE)),
)
_SYSTEM_PREFIX = re.compile(r"^\s*system\s*:\s*", re.IGNORECASE)
_OVERRIDE = re.compile(r"^Officer RAG '(?P<label>.+?)'\.(?: Reason given: (?P<reason>.*?))?"
                       r" The system computed '(?P<computed>.+?)': (?P<rest>.*)$", re.DOTALL)
# Both wordings: make-report's before and after December 2026.
_REFUSED = re.compile(r"Officer RAG '(?P<label>.+?)' not applied: it is more lenient"
                      r"|Officer override refused: no reason given for '(?P<given>.+?)'")
_STALE = re.compile(r"No update since (\d{1,2} \w+ \d{4}) \(")
_GOVERNING_STAGE = re.compile(
    r"^(?:At risk: not started and |On target, )?((?:Stage|Phase|Part|Step)\s*\d+) ")

# Word's highlight colours, by name (w:highlight).
HIGHLIGHTS = {
    "yellow": "FFFF00", "green": "00FF00", "red": "FF0000", "darkYellow": "808000",
    "darkGreen": "008000", "darkRed": "800000", "cyan": "00FFFF", "magenta": "FF00FF",
    "blue": "0000FF", "darkBlue": "000080", "darkCyan": "008080", "darkMagenta": "800080",
    "lightGray": "C0C0C0", "darkGray": "808080", "black": "000000", "white": "FFFFFF",
}
# Office's default theme, for w:themeFill when the document carries no theme.
DEFAULT_THEME = {
    "dk1": "000000", "lt1": "FFFFFF", "dk2": "44546A", "lt2": "E7E6E6",
    "accent1": "4472C4", "accent2": "ED7D31", "accent3": "A5A5A5", "accent4": "FFC000",
    "accent5": "5B9BD5", "accent6": "70AD47", "hlink": "0563C1", "folHlink": "954F72",
}
_THEME_NAMES = {
    "dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2", "text1": "dk1",
    "background1": "lt1", "text2": "dk2", "background2": "lt2", "hyperlink": "hlink",
    "followedHyperlink": "folHlink",
    **{f"accent{i}": f"accent{i}" for i in range(1, 7)},
}
# RGB distances (0-441) to a colour of the document's own RAG key: this close,
# a cell is that key's colour whatever its hue; this close, a colour no hue
# names takes the key's meaning.
SAME_AS_KEY_DISTANCE = 24
KEY_COLOUR_DISTANCE = 80

# Elements whose text is not the paragraph's text: deleted or moved-away
# revisions, field instructions, and drawings (text boxes are held twice,
# once per alternative).
_SKIPPED = {"delText", "instrText", "del", "moveFrom", "drawing", "pict", "AlternateContent",
            "object", "pPr", "rPr", "fldChar", "commentReference", "footnoteReference",
            "endnoteReference", "txbxContent"}


class WordImportError(ReportError):
    """The Word file cannot be imported; ``str(error)`` is the whole one-line message."""


def _key(text: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


_T = TypeVar("_T")


def _lookup(table: Mapping[_T, Iterable[str]]) -> dict[str, _T]:
    return {_key(word): target for target, words in table.items() for word in words}


_HEADER_LOOKUP = _lookup(HEADER_WORDS)
# Longest first, so "Action owner(s)" is an owner before it is an "Action".
_HEADER_PREFIXES = sorted(_HEADER_LOOKUP.items(), key=lambda item: -len(item[0]))


def header_field(text: str) -> str | None:
    """The field an action-table header cell names: exactly ("Owner(s)"), or by its
    start ("RAG Status (colour)", "Comments / update"); None for none."""
    key = _key(text)
    if key in _HEADER_LOOKUP:
        return _HEADER_LOOKUP[key]
    return next((name for word, name in _HEADER_PREFIXES
                 if len(word) >= 3 and key.startswith(word)), None)
_STATUS_LOOKUP = _lookup(STATUS_WORDS)
_PLACEHOLDER_KEYS = {_key(p) for p in PLACEHOLDERS}
_TREND_KEYS = {_key(w) for w in TREND_WORDS}


# ---------------------------------------------------------------- the file


def load_word_file(path: Path) -> bytes:
    """The Word file's bytes, read once; the file is only ever opened for reading."""
    path = Path(path)
    if path.name.startswith("~$"):
        raise WordImportError(
            f"{path}: this is Word's lock file, not the report; it only shows the document "
            "is open in Word. Choose the report itself (the same name without '~$')")
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise WordImportError(f"{path}: file not found; check the path of the Word report") \
            from None
    except OSError as error:
        raise WordImportError(f"{path}: cannot be read ({error.strerror}); check the path") \
            from None
    if stat.S_ISDIR(info.st_mode):
        raise WordImportError(f"{path}: this is a folder; give the path of the .docx report")
    if not stat.S_ISREG(info.st_mode):
        raise WordImportError(f"{path}: this is not an ordinary file; give the path of the "
                              ".docx report")
    if info.st_size > MAX_FILE_BYTES:
        raise WordImportError(f"{path}: the file is {info.st_size // (1024 * 1024)} MB, far "
                              "larger than an action-plan report; check the file chosen")
    try:
        return path.read_bytes()
    except OSError as error:
        raise WordImportError(f"{path}: cannot be read ({error.strerror}); close it in Word "
                              "and run again") from None


def check_word_container(data: bytes, file_name: str) -> None:
    """Refuse what is not a .docx before python-docx sees it (the reader's zip checks)."""
    suffix = PurePath(file_name).suffix.lower()

    def fail(message: str) -> NoReturn:
        raise WordImportError(f"{file_name}: {message}")

    if not data:
        fail("the file is empty; choose the saved .docx report")
    if len(data) > MAX_FILE_BYTES:
        fail(f"the file is {len(data) // (1024 * 1024)} MB, far larger than an action-plan "
             "report; check the file chosen")
    if is_encrypted_ole2(data):
        fail("the document is protected by a password to open, so it cannot be read; in "
             "Word use File > Info > Protect Document > Encrypt with Password, clear the "
             "password, save, and run again")
    if is_ole2(data):
        what = "an Excel 97-2003 (.xls) workbook" if suffix == ".xls" else \
            "an old-format Word 97-2003 (.doc) document"
        fail(f"this is {what}; open it in Word, use File > Save As > Word Document (.docx) "
             "and run again on the .docx file")
    if data[:2] != b"PK":
        start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if start.startswith(b"{\\rtf"):
            fail("this is a Rich Text (.rtf) file; open it in Word, save it as Word Document "
                 "(.docx) and run again")
        if start.startswith(b"%pdf"):
            fail("this is a PDF; import needs the Word (.docx) report")
        if start.startswith(b"<"):
            fail("this is a web page or XML file, not a Word .docx document; open it in "
                 "Word, save it as Word Document (.docx) and run again")
        fail("this is not a Word .docx document; save it from Word as .docx and run again")
    listing = zip_listing(data)
    if listing is None:
        fail("the document is damaged or incomplete (was it still being saved?); open it in "
             "Word, save it again and run again")
    infos, mimetype = listing
    if unpacks_too_large(infos):
        fail(f"the document would unpack to {unpacked_megabytes(infos)} MB in {len(infos)} "
             "parts, far more than a report needs; it may be damaged or malicious, so it was "
             "not opened")
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            fail("this is an Excel workbook, not a Word report; to make a report from it run "
                 "make-report on it")
        if mimetype.startswith(b"application/vnd.oasis.opendocument") or "content.xml" in names:
            fail("this is an OpenDocument (.odt) file; save it as Word Document (.docx) and "
                 "run again")
        fail("this zip file is not a Word document; choose the .docx report")


def _open_document(data: bytes, file_name: str):
    import docx  # python-docx; imported here so the CLI starts without it

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many types for a damaged file
        detail = str(error)
        if "macroEnabled" in detail or "template" in detail:
            fail = ("this is a macro-enabled document or a template; save it as Word "
                    "Document (.docx) and run again")
        else:
            fail = ("cannot be read as a Word document; open it "
                    "in Word, save it as Word Document (.docx) and run again")
        raise WordImportError(f"{file_name}: {fail}") from None


# ---------------------------------------------------------------- text and colour


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def _run_text(element, out: list[str]) -> None:
    for child in element:
        name = _local(child.tag)
        if name in _SKIPPED:
            continue
        if name == "t":
            out.append(child.text or "")
        elif name == "tab":
            out.append("\t")
        elif name in ("br", "cr"):
            out.append("\n")
        elif name == "noBreakHyphen":
            out.append("-")
        else:
            _run_text(child, out)


def paragraph_text(paragraph) -> str:
    """A w:p's text: line breaks as "\\n", deleted revisions and field codes left out."""
    out: list[str] = []
    _run_text(paragraph, out)
    text = "".join(out).replace("\r", "\n")
    return "\n".join(line.strip() for line in text.strip().split("\n")).strip()


def _style(paragraph) -> str:
    ppr = paragraph.find(_w("pPr"))
    style = ppr.find(_w("pStyle")) if ppr is not None else None
    return style.get(_w("val"), "") if style is not None else ""


def _hex(value: str | None) -> str | None:
    if value and is_colour(f"#{value}"):
        return value.upper()
    return None


class Colours:
    """Resolves Word's colour attributes (hex, theme colours, tints) to hex."""

    def __init__(self, theme: dict[str, str]):
        self.theme = theme

    @classmethod
    def of(cls, document) -> Colours:
        theme = dict(DEFAULT_THEME)
        try:
            from defusedxml.ElementTree import fromstring

            for rel in document.part.rels.values():
                if rel.reltype.endswith("/theme") and not rel.is_external:
                    root = fromstring(rel.target_part.blob)
                    for scheme in root.iter(f"{{{A_NS}}}clrScheme"):
                        for entry in scheme:
                            for colour in entry:
                                value = colour.get("val") if _local(colour.tag) == "srgbClr" \
                                    else colour.get("lastClr")
                                if _hex(value):
                                    theme[_local(entry.tag)] = value.upper()
                        break
        except Exception:  # noqa: BLE001 - a theme we cannot read leaves Office's defaults
            pass
        return cls(theme)

    def _theme(self, name: str | None, tint: str | None, shade: str | None) -> str | None:
        base = self.theme.get(_THEME_NAMES.get(name or "", ""))
        if base is None:
            return None
        red, green, blue = (int(base[i:i + 2], 16) for i in (0, 2, 4))
        if _hex("0000" + (tint or "")) and tint:
            t = int(tint, 16) / 255
            red, green, blue = (round(255 - (255 - c) * t) for c in (red, green, blue))
        if _hex("0000" + (shade or "")) and shade:
            s = int(shade, 16) / 255
            red, green, blue = (round(c * s) for c in (red, green, blue))
        return f"{red:02X}{green:02X}{blue:02X}"

    def shading(self, shd) -> str | None:
        """The colour a w:shd shows, or None for none."""
        if shd is None:
            return None
        pattern = shd.get(_w("val"), "clear")
        if pattern == "nil":
            return None
        fill = self._theme(shd.get(_w("themeFill")), shd.get(_w("themeFillTint")),
                           shd.get(_w("themeFillShade"))) or _hex(shd.get(_w("fill")))
        colour = self._theme(shd.get(_w("themeColor")), shd.get(_w("themeTint")),
                             shd.get(_w("themeShade"))) or _hex(shd.get(_w("color")))
        if pattern == "solid":
            return colour or ("000000" if shd.get(_w("color")) == "auto" else fill)
        percent = re.fullmatch(r"pct(\d+)", pattern)
        if percent and colour:
            share = int(percent.group(1)) / 100
            back = fill or "FFFFFF"
            mixed = (round(int(colour[i:i + 2], 16) * share + int(back[i:i + 2], 16)
                           * (1 - share)) for i in (0, 2, 4))
            return "".join(f"{c:02X}" for c in mixed)
        return fill


def is_neutral(colour: str) -> bool:
    """White, grey or black: no RAG colour at all."""
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    _hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    return saturation < 0.12 or value < 0.15


def colour_rag(colour: str, key: dict[Rag, str] | None = None) -> Rag | None:
    """The RAG a hand-coloured cell means: Rag.COMPLETED / MINOR_ISSUES / MISSED,
    or None for no colour (white, grey) or one that is none of the three.

    The hue decides, so Word's standard green 00B050, amber FFC000 and red
    FF0000, this project's own colours and anything near them (light green,
    orange, dark red, Excel's pale "good" green) all read as meant. The
    document's own RAG key comes first for a cell coloured (almost) exactly as
    one of its entries, and last for a colour no hue names (a key whose
    "completed" is blue).
    """
    if is_neutral(colour):
        return None
    rgb = [int(colour[i:i + 2], 16) for i in (0, 2, 4)]
    nearest: tuple[float, Rag] | None = None
    for rag, key_colour in (key or {}).items():
        other = [int(key_colour[i:i + 2], 16) for i in (0, 2, 4)]
        distance = sum((a - b) ** 2 for a, b in zip(rgb, other, strict=True)) ** 0.5
        if nearest is None or distance < nearest[0]:
            nearest = (distance, rag)
    if nearest is not None and nearest[0] <= SAME_AS_KEY_DISTANCE:
        return nearest[1]
    hue = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))[0] * 360
    if hue < 15 or hue >= 330:
        return Rag.MISSED
    if hue < 70:
        return Rag.MINOR_ISSUES
    if hue < 175:
        return Rag.COMPLETED
    if nearest is not None and nearest[0] <= KEY_COLOUR_DISTANCE:
        return nearest[1]
    return None


# ---------------------------------------------------------------- document walk


@dataclass
class _Paragraph:
    text: str
    style: str


@dataclass
class _Cell:
    grid: int  # first grid column, from 0
    span: int
    paragraphs: list[_Paragraph]
    colour: str | None  # the shading shown, hex, or None
    vmerge: str | None  # "restart", "continue" or None

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.paragraphs if p.text]

    @property
    def text(self) -> str:
        return "\n\n".join(self.texts)


@dataclass
class _Row:
    table: int  # 1-based, in document order
    number: int  # 1-based within its table
    cells: list[_Cell]

    @property
    def where(self) -> str:
        return f"table {self.table}, row {self.number}"

    @property
    def filled(self) -> list[_Cell]:
        return [c for c in self.cells if c.text]


@dataclass
class _BodyParagraph:
    number: int
    paragraph: _Paragraph

    @property
    def where(self) -> str:
        return f"paragraph {self.number}"


def _blocks(container) -> Iterator:
    """Block-level children in order, looking through content controls and custom XML."""
    for child in container:
        name = _local(child.tag)
        if name in ("p", "tbl"):
            yield child
        elif name in ("sdt", "customXml"):
            content = child.find(_w("sdtContent")) if name == "sdt" else child
            if content is not None:
                yield from _blocks(content)


def _children(element, wanted: str) -> Iterator:
    for child in element:
        name = _local(child.tag)
        if name == wanted:
            yield child
        elif name in ("sdt", "customXml"):
            content = child.find(_w("sdtContent")) if name == "sdt" else child
            if content is not None:
                yield from _children(content, wanted)


def _cell_paragraphs(tc) -> list[_Paragraph]:
    paragraphs = []
    for block in _blocks(tc):
        if _local(block.tag) == "p":
            text = paragraph_text(block)
            if _key(text) in _PLACEHOLDER_KEYS:
                text = ""
            paragraphs.append(_Paragraph(text, _style(block)))
        else:  # a table inside a cell: its cells' paragraphs, in order
            for tr in _children(block, "tr"):
                for inner in _children(tr, "tc"):
                    paragraphs.extend(_cell_paragraphs(inner))
    return paragraphs


def _cell_colour(tc, colours: Colours) -> str | None:
    """The cell's colour: its own shading, else a paragraph's or a run's shading or
    highlight (some authors colour the text background, not the cell)."""
    tc_pr = tc.find(_w("tcPr"))
    own = colours.shading(tc_pr.find(_w("shd")) if tc_pr is not None else None)
    if own and not is_neutral(own):
        return own
    for element in tc.iter(_w("shd"), _w("highlight")):
        if _local(element.tag) == "highlight":
            found = HIGHLIGHTS.get(element.get(_w("val"), ""))
        else:
            found = colours.shading(element)
        if found and not is_neutral(found):
            return found
    return own


def _number(text: str | None, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


def _rows(tbl, table_number: int, colours: Colours) -> Iterator[_Row]:
    for number, tr in enumerate(_children(tbl, "tr"), start=1):
        tr_pr = tr.find(_w("trPr"))
        before = tr_pr.find(_w("gridBefore")) if tr_pr is not None else None
        grid = _number(before.get(_w("val")), 0) if before is not None else 0
        cells: list[_Cell] = []
        for tc in _children(tr, "tc"):
            tc_pr = tc.find(_w("tcPr"))
            span_el = tc_pr.find(_w("gridSpan")) if tc_pr is not None else None
            span = max(_number(span_el.get(_w("val")), 1), 1) if span_el is not None else 1
            hmerge = tc_pr.find(_w("hMerge")) if tc_pr is not None else None
            vmerge_el = tc_pr.find(_w("vMerge")) if tc_pr is not None else None
            vmerge = None
            if vmerge_el is not None:
                vmerge = vmerge_el.get(_w("val"), "continue")
            paragraphs = _cell_paragraphs(tc)
            colour = _cell_colour(tc, colours)
            if (hmerge is not None and hmerge.get(_w("val"), "continue") == "continue"
                    and cells):
                # A legacy horizontal merge: this cell is part of the one before.
                cells[-1].span += span
                cells[-1].paragraphs.extend(p for p in paragraphs if p.text)
            else:
                cells.append(_Cell(grid, span, paragraphs, colour, vmerge))
            grid += span
        yield _Row(table_number, number, cells)


def walk(document, colours: Colours) -> Iterator[_BodyParagraph | _Row | int]:
    """The body in order: paragraphs, table rows, and the number of each table as it starts."""
    paragraph_number = table_number = 0
    for block in _blocks(document.element.body):
        if _local(block.tag) == "p":
            paragraph_number += 1
            yield _BodyParagraph(paragraph_number, _Paragraph(paragraph_text(block),
                                                              _style(block)))
        else:
            table_number += 1
            yield table_number
            yield from _rows(block, table_number, colours)


# ---------------------------------------------------------------- reading


@dataclass
class _Columns:
    """An action table's header: grid column ranges by field."""

    fields: list[tuple[int, int, str | None]]  # (first grid column, past-the-end, field)
    names: dict[int, str]  # header text by first grid column, for unknown columns
    width: int  # grid columns the header covers

    def field_of(self, cell: _Cell) -> str | None | Literal[False]:
        """The field under ``cell``; None for an unknown column; False beyond the header."""
        for start, end, name in self.fields:
            if start <= cell.grid < end:
                return name
        return False


@dataclass
class _Action:
    ref: int
    where: str
    action: str = ""
    owners: str = ""
    completion_date: str = ""
    comments: str = ""
    status: Status = Status.BLANK
    status_text: str = ""
    rag_override: str = ""
    override_reason: str = ""
    last_updated: dt.date | None = None
    coloured: Rag | None = None  # the RAG its cell's colour or words gave


@dataclass
class _Rec:
    ref: int
    text: list[str] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WordImport:
    """What was read: the plan, what could not be placed, and the RAG cells seen."""

    plan: Plan
    problems: tuple[Problem, ...]
    coloured: dict[Rag, int]  # actions whose Status came from their RAG cell, by RAG

    @property
    def not_applicable(self) -> int:
        return sum(1 for a in self.plan.actions if a.status is Status.NOT_APPLICABLE)

    def summary(self) -> str:
        """'Read 9 recommendations and 14 actions; 3 RAG colours (1 completed, 2 in progress)'."""
        plan = self.plan
        completed = self.coloured.get(Rag.COMPLETED, 0)
        in_progress = sum(n for rag, n in self.coloured.items() if rag is not Rag.COMPLETED)
        colours = completed + in_progress
        line = (f"Read {_count(len(plan.recommendations), 'recommendation')} and "
                f"{_count(len(plan.actions), 'action')}")
        if self.not_applicable:
            line += f" ({self.not_applicable} not applicable)"
        line += (f"; {_count(colours, 'RAG colour')} ({completed} completed, "
                 f"{in_progress} in progress)")
        if self.problems:
            line += f"; {_count(len(self.problems), 'warning')} above"
        return line


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def read_word_report(data: bytes, file_name: str, rag_labels: Mapping[Rag, str]) -> WordImport:
    """Read a Word action-plan report's bytes into a plan. ``file_name`` is for messages.

    ``rag_labels`` are the labels of the rules in use (``RulesConfig.labels()``):
    the words of make-report's own report, and of the original one with the
    bundled rules."""
    check_word_container(data, file_name)
    document = _open_document(data, file_name)
    colours = Colours.of(document)
    reader = _WordReader(file_name, rag_labels)
    try:
        reader.title_from_header(document)
        reader.read(walk(document, colours))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        # Word files can hold almost anything; one the walk cannot follow is
        # reported in one line, not as a traceback.
        raise WordImportError(
            f"{file_name}: the document's structure could not be followed; open it in "
            "Word, save it as Word Document (.docx) and run again") from None
    return reader.result()


class _WordReader:
    def __init__(self, file_name: str, rag_labels: Mapping[Rag, str]):
        self.file_name = file_name
        self.settings: dict[str, Any] = {}  # ReportSettings' fields
        self.recs: dict[int, _Rec] = {}
        self.current: _Rec | None = None
        # preamble | computed (an own-report section before the recommendations)
        # | text | comments | actions
        self.mode = "preamble"
        self.columns: _Columns | None = None
        self.column_table = 0  # the table the columns were read in
        self.actions: list[_Action] = []
        self.problems: list[Problem] = []
        self.key_colours: dict[Rag, str] = {}
        self.rag_labels = dict(rag_labels)
        self.labels: dict[str, Rag] = {_key(label): rag for rag, label in rag_labels.items()}
        self.action_tables = 0
        self.table_state: dict[int, dict] = {}
        self.above: dict[int, str] = {}  # last action row's text by grid column

    # -- problems ------------------------------------------------------------

    def warn(self, kind: Kind, where: str, message: str) -> None:
        self.problems.append(Problem(kind, Severity.WARNING, message, sheet=where))

    def not_placed(self, where: str, text: str, why: str) -> None:
        self.warn(Kind.WORD_NOT_PLACED, where, f"{why}: '{excerpt(text, 70)}' was not imported; "
                  "add it to the workbook by hand if it belongs in the plan")

    # -- the walk ------------------------------------------------------------

    def title_from_header(self, document) -> None:
        """The Title is the running header: the first short line of a page header."""
        for section in document.sections:
            try:
                texts = [paragraph_text(p._p) for p in section.header.paragraphs]
            except Exception:  # noqa: BLE001 - a header we cannot read gives no title
                continue
            title = next((t.split("\n")[0] for t in texts if t and len(t) <= 120), "")
            if title:
                self.settings["title"] = title
                return

    def read(self, blocks) -> None:
        for block in blocks:
            if isinstance(block, int):
                self.start_table(block)
            elif isinstance(block, _BodyParagraph):
                self.body_paragraph(block)
            else:
                self.row(block)

    def start_table(self, number: int) -> None:
        self.table_state[number] = {"placed": False, "unplaced": [], "computed": False,
                                    "first": True}

    def body_paragraph(self, block: _BodyParagraph) -> None:
        paragraph = block.paragraph
        if not paragraph.text:
            return
        if paragraph.style in FURNITURE_STYLES:
            return
        if not self.paragraph(paragraph.text, paragraph.style, block.where, in_table=False):
            self.not_placed(block.where, paragraph.text, "a paragraph that is not a "
                            "recommendation, its text or its Comments from Service")

    # -- paragraphs (body, or held in a full-width row) -----------------------

    def is_title(self, text: str) -> bool:
        """The running header (the Title), as a text export repeats it at each page."""
        titles = {_key(self.settings.get("title", "")), _key(ORIGINAL_RUNNING_HEADER)}
        return _key(text) in titles - {""}

    def paragraph(self, text: str, style: str, where: str, *, in_table: bool) -> bool:
        """Place one paragraph; False if it was not placed (the caller warns)."""
        first, _, rest = text.partition("\n")
        heading = _REC_HEADING.match(first)
        if heading:
            ref = int(heading.group(1))
            inline = "\n".join(part for part in ((heading.group(2) or "").strip(), rest.strip())
                               if part)
            self.start_recommendation(ref, where)
            if inline:
                self.paragraph(inline, style, where, in_table=in_table)
            return True
        if self.is_title(text):
            return True  # the running header, repeated in the body at a page break
        label = _COMMENTS_LABEL.match(text)
        if label and self.mode != "preamble" and self.mode != "computed":
            if self.current is None:
                return False
            self.mode = "comments"
            if label.group(1).strip():
                self.current.narrative.append(label.group(1).strip())
            return True
        if self.mode in ("preamble", "computed"):
            return self.preamble(text, style, where)
        assert self.current is not None
        if _key(text).startswith("notapplicable") and (self.mode == "actions" or in_table):
            self.not_applicable_action(text, where)
            return True
        if self.mode == "text":
            self.current.text.append(text)
            return True
        if self.mode == "comments":
            self.current.narrative.append(text)
            return True
        return False  # free text after a recommendation's actions

    def start_recommendation(self, ref: int, where: str) -> None:
        if self.current is not None and self.current.ref == ref:
            return  # the heading repeated (e.g. "Recommendation 6 continued")
        if ref in self.recs:
            self.warn(Kind.WORD_GUESSED, where, f"Recommendation {ref} appears a second time; "
                      "what follows is added to the first")
            self.current = self.recs[ref]
        else:
            self.current = self.recs.setdefault(ref, _Rec(ref))
        self.mode = "text"

    def preamble(self, text: str, style: str, where: str) -> bool:
        """Before the first recommendation: title, heading, title block, own-report sections."""
        if _key(text) in {_key(s) for s in COMPUTED_SECTIONS}:
            self.mode = "computed"
            return True
        if self.mode == "computed":
            return True  # worked out from the plan: nothing of the officers' to keep
        for name, pattern in _SETTING_LINES:
            match = pattern.match(text)
            if match and name not in self.settings:
                value = match.group(1).strip()
                if name in ("as_at", "meeting_date"):
                    date = parse_day_first_date(value)
                    if date is None:
                        return False
                    self.settings[name] = date
                else:
                    self.settings[name] = value
                return True
        if style == "Wordmark" and "organisation" not in self.settings:
            self.settings["organisation"] = text
            return True
        if _key(text) in self.labels or _key(text) == "ragstatus":
            return True  # a RAG key written as paragraphs
        looks_like_heading = style in HEADING_STYLES or "actionplan" in _key(text)
        if looks_like_heading and "heading" not in self.settings:
            if "title" not in self.settings and len(text) <= 60 and style not in HEADING_STYLES:
                self.settings["title"] = text
            else:
                self.settings["heading"] = text
            return True
        if looks_like_heading and "title" not in self.settings and len(text) <= 60:
            self.settings["title"] = text
            return True
        return False

    # -- table rows -----------------------------------------------------------

    def row(self, row: _Row) -> None:
        state = self.table_state[row.table]
        first = state["first"]
        state["first"] = False
        if first:
            texts = {_key(c.text) for c in row.cells if c.text}
            if (any(marks <= texts for marks in COMPUTED_TABLES)
                    or _key(row.cells[-1].text).endswith(COUNT_BOXES_END)):
                state["computed"] = True
        if state["computed"]:
            self.learn_key(row)
            return
        filled = row.filled
        if not filled:
            coloured = [c.colour for c in row.cells if c.colour and not is_neutral(c.colour)]
            if self.mode == "actions" and coloured and self.columns is not None:
                colour = coloured[0]
                self.warn(Kind.WORD_NOT_PLACED, row.where, f"a RAG colour (#{colour}) in a "
                          "row with no action was not imported")
            return  # a spacer row
        columns = self.header(row)
        if columns is not None:
            self.columns, self.column_table = columns, row.table
            if self.current is None:
                self.mode = "actions-orphan"
            else:
                self.mode = "actions"
            self.above = {}
            self.action_tables += 1
            state["placed"] = True
            return
        if self.learn_key(row):
            state["placed"] = True
            return
        if self.columns is not None and row.table != self.column_table \
                and len(row.cells) > 1:
            width = max(c.grid + c.span for c in row.cells)
            if width != self.columns.width:
                self.columns = None  # another kind of table: its columns are not ours
        full_width = len(row.cells) == 1 or (len(filled) == 1 and filled[0] is row.cells[0]
                                             and not self.is_action_start(row))
        if full_width:
            self.full_width_row(row, filled[0])
            state["placed"] = True
            return
        if filled[0] is row.cells[0] and self.is_label(row.cells[0].text):
            # "Recommendation 3 | its text" or "Comments from Service: | narrative":
            # a label in the first cell, the rest of the row what it labels.
            for cell in filled:
                self.full_width_row(row, cell)
            state["placed"] = True
            return
        if self.columns is None and self.current is not None and len(filled) >= 2 \
                and max(c.grid + c.span for c in row.cells) == len(USUAL_COLUMNS):
            # A five-column table under a recommendation, its header row left out.
            self.columns, self.column_table = _usual_columns(), row.table
            self.action_tables += 1
            self.warn(Kind.WORD_GUESSED, row.where, "this table has no header row; its "
                      "columns were read as " + " | ".join(USUAL_COLUMNS) + "; check them")
        if self.columns is None:
            state["unplaced"].append(row)
            return
        if self.mode not in ("actions", "actions-orphan"):
            self.mode = "actions" if self.current is not None else "actions-orphan"
        if self.mode == "actions-orphan":
            self.not_placed(row.where, filled[0].text, "an action before any "
                            "'Recommendation N' heading")
            state["placed"] = True
            return
        self.action_row(row)
        state["placed"] = True

    def finish_tables(self) -> None:
        for number, state in self.table_state.items():
            rows = state["unplaced"]
            if not rows:
                continue
            if not state["placed"]:
                first = " | ".join(c.text for c in rows[0].cells if c.text)
                self.warn(Kind.WORD_NOT_PLACED, f"table {number}",
                          f"not an action table (it begins '{excerpt(first, 60)}', not with "
                          "Action | Owner(s) | Completion Date | Comments | RAG Status); its "
                          f"{_count(len(rows), 'row')} were not imported")
                continue
            for row in rows:
                self.not_placed(row.where, " | ".join(c.text for c in row.filled),
                                "a row outside any action table's columns")

    @staticmethod
    def is_label(text: str) -> bool:
        return bool(_REC_HEADING.match(text.split("\n")[0]) or _COMMENTS_LABEL.match(text))

    def is_action_start(self, row: _Row) -> bool:
        """In an action table, a row with only its first cell filled is still an action
        unless that text is a heading, a label or the not-applicable note."""
        if self.mode != "actions":
            return False
        text = row.cells[0].text
        first = text.split("\n")[0]
        return not (_REC_HEADING.match(first) or _COMMENTS_LABEL.match(text)
                    or _key(text).startswith("notapplicable") or self.is_title(text))

    def header(self, row: _Row) -> _Columns | None:
        found = [(c, header_field(c.text)) for c in row.cells if c.text]
        fields = [name for _c, name in found if name]
        if "action" not in fields or len(set(fields)) < 2 or len(fields) * 2 < len(found):
            return None
        spans = []
        names = {}
        for cell in row.cells:
            name = header_field(cell.text) if cell.text else None
            spans.append((cell.grid, cell.grid + cell.span, name))
            names[cell.grid] = cell.text
        width = max(c.grid + c.span for c in row.cells)
        return _Columns(spans, names, width)

    def learn_key(self, row: _Row) -> bool:
        """A RAG key row ('RAG Status | Completed Action | ...'): learn its colours
        and labels. True if the row was one."""
        keys = [_key(_strip_mark(cell.text)) for cell in row.cells]
        labelled = [key in self.labels for key in keys]
        is_key = any(labelled) and all(
            is_label or key in ("", "ragstatus", "key", "ragkey")
            for key, is_label in zip(keys, labelled, strict=True))
        if not is_key:
            return False
        for cell, key in zip(row.cells, keys, strict=True):
            rag = self.labels.get(key)
            if rag is not None and rag is not Rag.NOT_APPLICABLE and cell.colour \
                    and not is_neutral(cell.colour):
                self.key_colours.setdefault(rag, cell.colour)
        if row.cells and keys[0] == "ragstatus":
            # A key with its own wording: the labels are its cells, in the key's order.
            for cell, rag in zip(row.cells[1:], (Rag.COMPLETED, Rag.MINOR_ISSUES, Rag.MISSED),
                                 strict=False):
                if cell.text:
                    self.labels.setdefault(_key(_strip_mark(cell.text)), rag)
        return True

    def full_width_row(self, row: _Row, cell: _Cell) -> None:
        texts = cell.texts
        if texts and _key(texts[0]).startswith("notapplicable") and self.current is not None:
            self.not_applicable_action("\n\n".join(texts), row.where)
            return
        for paragraph in cell.paragraphs:
            if not paragraph.text:
                continue
            if not self.paragraph(paragraph.text, paragraph.style, row.where, in_table=True):
                self.not_placed(row.where, paragraph.text, "a row that is not an action, a "
                                "recommendation, its Comments from Service or a "
                                "not-applicable note")

    def not_applicable_action(self, text: str, where: str) -> None:
        assert self.current is not None
        self.actions.append(_Action(self.current.ref, where, action=text,
                                    status=Status.NOT_APPLICABLE))
        self.mode = "actions"

    def action_row(self, row: _Row) -> None:
        assert self.columns is not None and self.current is not None
        values: dict[str, str] = {}
        continued: set[str] = set()
        rag_cell: _Cell | None = None
        for cell in row.cells:
            name = self.columns.field_of(cell)
            text = cell.text
            if cell.vmerge == "continue":
                text = self.above.get(cell.grid, "")
                if name:
                    continued.add(name)
            elif cell.vmerge == "restart" or cell.vmerge is None:
                self.above[cell.grid] = cell.text
            if name == "rag":
                rag_cell = cell
                continue
            if name is False:
                if cell.text:
                    self.not_placed(f"{row.where}, cell {row.cells.index(cell) + 1}", cell.text,
                                    "a cell beyond the table's header columns")
                continue
            if name is None:
                if cell.text:
                    header = self.columns.names.get(next(
                        start for start, end, _n in self.columns.fields
                        if start <= cell.grid < end), "")
                    why = (f"column '{excerpt(header, 40)}' is not one of the plan's"
                           if header else "a cell with no column heading")
                    self.not_placed(f"{row.where}, cell {row.cells.index(cell) + 1}", cell.text,
                                    why)
                continue
            if name == "comments" and cell.vmerge != "continue":
                text = self.officer_comment(cell)
            if name in values and text:
                values[name] = _join(values[name], text, name)
            elif text:
                values[name] = text
        system = self.system_comment(row)
        rag_words, rag_colour = self.rag_of(rag_cell, row) if rag_cell else (None, None)
        if rag_cell is None:
            rag_colour = next((colour_rag(c.colour, self.key_colours) for c in row.cells
                               if c.colour and colour_rag(c.colour, self.key_colours)), None)
        is_continuation = ("action" in continued or not values.get("action")) and self.actions \
            and self.actions[-1].ref == self.current.ref
        if is_continuation:
            previous = self.actions[-1]
            joined = [name for name, text in values.items() if text and name not in continued]
            for name in joined:
                if name == "status":
                    continue
                setattr(previous, name, _join(getattr(previous, name), values[name], name))
            if previous.coloured is None and (rag_words or rag_colour):
                self.apply_rag(previous, rag_words, rag_colour, row.where)
            if "action" not in continued and joined:
                self.warn(Kind.WORD_GUESSED, row.where, "this row has no action text, so its "
                          f"{', '.join(_FIELD_NAMES[n] for n in joined)} "
                          "were added to the action above; check them")
            return
        if not values.get("action"):
            self.not_placed(row.where, " | ".join(c.text for c in row.filled),
                            "a row with no action text and no action above it")
            return
        action = _Action(self.current.ref, row.where, action=values["action"],
                         owners=values.get("owners", ""),
                         completion_date=values.get("completion_date", ""),
                         comments=values.get("comments", ""))
        if values.get("status"):
            status = _STATUS_LOOKUP.get(_key(values["status"]))
            if isinstance(status, Status):
                action.status = status
            else:
                action.status_text = values["status"]
        self.actions.append(action)
        if action.status is Status.BLANK and not action.status_text:
            self.apply_rag(action, rag_words, rag_colour, row.where)
        if system:
            self.apply_system_comment(action, system, rag_words)

    # -- cells ------------------------------------------------------------------

    def officer_comment(self, cell: _Cell) -> str:
        """The Comments cell without this project's computed "System:" sentence."""
        kept = [p.text for p in cell.paragraphs if p.text and not self.is_system(p, cell)]
        return "\n\n".join(kept)

    @staticmethod
    def is_system(paragraph: _Paragraph, cell: _Cell) -> bool:
        if paragraph.style == SYSTEM_COMMENT_STYLE:
            return True
        texts = cell.texts
        return bool(_SYSTEM_PREFIX.match(paragraph.text)) and texts[-1] == paragraph.text

    def system_comment(self, row: _Row) -> str:
        assert self.columns is not None
        for cell in row.cells:
            if self.columns.field_of(cell) != "comments":
                continue
            for paragraph in cell.paragraphs:
                if paragraph.text and self.is_system(paragraph, cell):
                    return _SYSTEM_PREFIX.sub("", paragraph.text, count=1)
        return ""

    def rag_of(self, cell: _Cell, row: _Row) -> tuple[Rag | None, Rag | None]:
        """(what the RAG cell's words say, what its colour says)."""
        words = None
        for paragraph in cell.paragraphs:
            text = paragraph.text
            if not text or paragraph.style == TREND_STYLE:
                continue
            key = _key(_strip_mark(text))
            if key in _TREND_KEYS:
                continue
            rag = self.labels.get(key) or _RAG_WORD_LOOKUP.get(key)
            if rag is None:
                self.not_placed(row.where, text, "RAG cell text that is not a RAG status")
            elif words is None:
                words = rag
        colour = None
        if cell.colour and not is_neutral(cell.colour):
            colour = colour_rag(cell.colour, self.key_colours)
            if colour is None:
                self.warn(Kind.WORD_COLOUR, row.where, f"the RAG cell is coloured "
                          f"#{cell.colour}, which is not green, amber or red; read as In "
                          "progress")
                colour = Rag.MINOR_ISSUES
        if words and colour and words is not colour and words is not Rag.NOT_APPLICABLE:
            self.warn(Kind.WORD_COLOUR, row.where, f"the RAG cell says "
                      f"'{self.rag_labels[words]}' but is coloured #{cell.colour}; the words "
                      "were used")
        return words, colour

    def apply_rag(self, action: _Action, words: Rag | None, colour: Rag | None,
                  where: str) -> None:
        rag = words or colour
        if rag is None:
            return
        if rag is Rag.NOT_APPLICABLE:
            action.status = Status.NOT_APPLICABLE
            return
        action.coloured = rag
        action.status = Status.COMPLETED if rag is Rag.COMPLETED else Status.IN_PROGRESS

    def apply_system_comment(self, action: _Action, system: str, shown: Rag | None) -> None:
        """This project's own report: recover what its computed sentence says of the
        workbook (an officer override and its reason, not started, the last update)."""
        rest = system
        override = _OVERRIDE.match(system)
        if override:
            label = self.labels.get(_key(override.group("label")))
            if label is not None:
                action.rag_override = self.rag_labels[label]
                action.override_reason = (override.group("reason") or "").strip()
            computed = self.labels.get(_key(override.group("computed")))
            if computed is Rag.COMPLETED:
                action.status = Status.COMPLETED
            elif computed is not None and action.status is not Status.NOT_APPLICABLE:
                action.status = Status.IN_PROGRESS
            rest = override.group("rest")
        refused = _REFUSED.search(system)
        if refused:
            label = self.labels.get(_key(refused.group("label") or refused.group("given")))
            if label is not None:
                action.rag_override = self.rag_labels[label]
        if rest.lower().startswith("at risk: not started") or NOT_STARTED_NOTE in rest:
            action.status = Status.NOT_STARTED
        stale = _STALE.search(rest)
        if stale:
            action.last_updated = parse_day_first_date(stale.group(1))
        governing = _GOVERNING_STAGE.match(rest)
        if governing and action.status is not Status.COMPLETED:
            done = []
            for stage in parse_completion_date(action.completion_date):
                if stage.label is None or _key(stage.label) == _key(governing.group(1)):
                    break
                done.append(stage.label)
            if done:
                action.status = Status.BLANK
                action.status_text = ", ".join(f"{label} complete" for label in done)

    # -- the result ---------------------------------------------------------------

    def result(self) -> WordImport:
        self.finish_tables()
        if not self.action_tables and not self.actions:
            raise WordImportError(
                f"{self.file_name}: no action table found (a table whose first row is Action "
                "| Owner(s) | Completion Date | Comments | RAG Status); is this the action-plan "
                "report?")
        if not self.recs:
            raise WordImportError(
                f"{self.file_name}: no 'Recommendation 1', 'Recommendation 2' ... headings "
                "found, so the actions cannot be placed; add the headings in Word and run "
                "again")
        recommendations = []
        by_ref: dict[int, Recommendation] = {}
        for rec in self.recs.values():
            text = "\n\n".join(rec.text)
            if not text:
                self.warn(Kind.WORD_NOT_PLACED, f"Recommendation {rec.ref}",
                          "has no text in the Word file; type it on the Recommendations sheet")
            recommendation = Recommendation(rec.ref, self.fit(text, "Recommendation", rec.ref),
                                            self.fit("\n\n".join(rec.narrative),
                                                     "Comments from Service", rec.ref))
            recommendations.append(recommendation)
            by_ref[rec.ref] = recommendation
        coloured: dict[Rag, int] = {}
        for item in self.actions:
            if item.coloured is not None and item.status is not Status.NOT_APPLICABLE:
                coloured[item.coloured] = coloured.get(item.coloured, 0) + 1
            by_ref[item.ref].actions.append(Action(
                row=0, ref=item.ref,
                action=self.fit(item.action, "Action", item.where),
                owners=self.fit(item.owners, "Owner(s)", item.where),
                completion_date=self.fit(item.completion_date, "Completion Date", item.where),
                status=item.status, status_text=item.status_text,
                comments=self.fit(item.comments, "Comments", item.where),
                rag_override_text=item.rag_override, override_reason=item.override_reason,
                last_updated=item.last_updated,
            ))
        if not any(r.actions for r in recommendations):
            raise WordImportError(
                f"{self.file_name}: no actions could be read from the action tables; check "
                "that each table starts with Action | Owner(s) | Completion Date | Comments "
                "| RAG Status")
        # Rows as the workbook will hold them: grouped by recommendation, in order.
        for row, action in enumerate((a for r in recommendations for a in r.actions), start=2):
            action.row = row
        settings = ReportSettings(**{k: v for k, v in self.settings.items()
                                     if k in ReportSettings.__dataclass_fields__})
        plan = Plan(settings, recommendations)
        return WordImport(plan, tuple(self.problems), coloured)

    def fit(self, text: str, what: str, where: object) -> str:
        if len(text) <= EXCEL_CELL_LIMIT:
            return text
        place = where if isinstance(where, str) else f"Recommendation {where}"
        self.warn(Kind.CHARACTER_DROPPED, place, f"the {what} text is {len(text):,} characters, "
                  f"more than an Excel cell holds; only the first {EXCEL_CELL_LIMIT:,} were "
                  "kept")
        return text[:EXCEL_CELL_LIMIT]


USUAL_COLUMNS = ("Action", "Owner(s)", "Completion Date", "Comments", "RAG Status")


def _usual_columns() -> _Columns:
    names = [_HEADER_LOOKUP[_key(name)] for name in USUAL_COLUMNS]
    return _Columns([(i, i + 1, name) for i, name in enumerate(names)],
                    dict(enumerate(USUAL_COLUMNS)), len(USUAL_COLUMNS))


_FIELD_NAMES = {"action": "action text", "owners": "owners", "completion_date":
                "completion date", "comments": "comments", "status": "status"}
_RAG_WORD_LOOKUP = _lookup(RAG_CELL_WORDS)


def _strip_mark(text: str) -> str:
    """'● Completed Action' -> 'Completed Action'; '↓ worse' -> 'worse'."""
    return re.sub(r"^[^\w(]+", "", text.split("\n")[0]).strip()


def _join(before: str, after: str, name: str) -> str:
    """Text continued in a second row (a row split across a page by hand)."""
    if not before:
        return after
    if name in ("owners",):
        return f"{before}\n{after}"
    if name == "completion_date" or not before.rstrip().endswith((".", "!", "?", ":", ";")):
        return f"{before} {after}"  # a sentence cut mid-way runs on
    return f"{before}\n\n{after}"


# ---------------------------------------------------------------- the command


def import_word_report(source: Path, target: Path, now: dt.datetime,
                       rules: RulesConfig) -> tuple[Path, WordImport]:
    """Read ``source`` (.docx) and write a new workbook at ``target`` in the words of
    ``rules``; never overwrites."""
    from wfs_reports.workbook.new_workbook import create_new_workbook, plan_workbook

    source, target = Path(source), Path(target)
    if target.suffix.lower() != ".xlsx":
        raise ReportError(f"{target}: a new workbook must end in .xlsx")
    if target.exists() or target.is_symlink():
        # Checked before reading, so a long import is not wasted; create_new_workbook
        # refuses again at the moment of writing.
        raise ReportError(f"{target}: a file with this name already exists and was left as "
                          "it is; choose another name")
    data = load_word_file(source)
    imported = read_word_report(data, source.name, rules.labels())
    written = create_new_workbook(target, now, plan_workbook(imported.plan, rules))
    return written, imported
