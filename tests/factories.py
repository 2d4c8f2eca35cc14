"""Test data built in code, not kept as binaries.

Workbook rows and headers in the workbook contract (``action``,
``ACTION_HEADERS``, ``write_workbook``, from wfs_reports/workbook/contract.py),
hand-built report contexts for renderer tests (``make_context``,
``make_action``), a local server that proves nothing is fetched
(``canary_server``), and the readers that turn a written document back into
text to compare (``docx_text``, ``pdf_text``, ``words``, ``squash``). The
fixtures that use them live in conftest.py.

Renderer tests should not depend on the reader or the rules: they take a
context and check what the document shows. The text here is deliberately
awkward (markup, template syntax, ampersands, line breaks, long words).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import io
import sys
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
import pypdf

from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.model import Brand, DueKind, Rag
from wfs_reports.domain.rules import FindingKind, RagSource
from wfs_reports.output.lock import LOCK_NAME
from wfs_reports.report.build import summarise
from wfs_reports.report.view import (
    ActionContext,
    DueStage,
    ExceptionItem,
    RecommendationContext,
    ReportContext,
)
from wfs_reports.workbook.contract import (
    ACTION_COLUMNS,
    RECOMMENDATION_COLUMNS,
    REPORT_COLUMNS,
    REPORT_SETTINGS,
    SHEETS,
    headers,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "input" / "action_plan.xlsx"
# The command as installed in the test's environment (make test installs the
# package): subprocess tests run it, never the checkout.
MAKE_REPORT = Path(sys.executable).with_name("make-report")

def listing(folder: Path) -> list[Path]:
    """What is in ``folder``, sorted, but for the lock every run takes there
    (``.make-report.lock``, which stays on Linux and macOS)."""
    return sorted(p for p in Path(folder).iterdir() if p.name != LOCK_NAME)


ACTION_HEADERS = headers(ACTION_COLUMNS)
RECOMMENDATION_HEADERS = headers(RECOMMENDATION_COLUMNS)


def default_recommendations(n: int = 2) -> list[list]:
    return [[i, f"Recommendation text {i}", ""] for i in range(1, n + 1)]


def action(ref=1, text="Do the thing", owners="Owner", due="Q4 2023-24", status="In progress",
           comments="", override=None, reason=None, updated=None) -> list:
    """One Actions row in ACTION_HEADERS order."""
    values = dict(ref=ref, action=text, owners=owners, completion_date=due, status=status,
                  comments=comments, rag_override=override, override_reason=reason,
                  last_updated=updated)
    return [values[field] for field in ACTION_COLUMNS]


def write_workbook(
    path: Path,
    actions: list | None = None,
    recommendations: list | None = None,
    report: dict | None = None,
    *,
    action_headers: list[str] = ACTION_HEADERS,
    recommendation_headers: list[str] = RECOMMENDATION_HEADERS,
    as_at: dt.date | None = dt.date(2023, 11, 22),
    customise: Callable[[openpyxl.Workbook], None] | None = None,
) -> Path:
    """Save a workbook in the contract at ``path`` and return it.

    ``actions`` rows are lists in ``action_headers`` order or dicts keyed by
    header. ``report`` is a {setting: value} dict (a None value leaves the
    setting out). ``customise(workbook)`` may change anything before saving.
    """
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEETS["report"]
    sheet.append(headers(REPORT_COLUMNS))
    settings = {REPORT_SETTINGS["title"].name: "WFS Action Plan Update",
                REPORT_SETTINGS["as_at"].name: as_at}
    settings.update(report or {})
    for key, value in settings.items():
        if value is not None:
            sheet.append([key, value])

    recs = workbook.create_sheet(SHEETS["recommendations"])
    recs.append(recommendation_headers)
    for row in recommendations if recommendations is not None else default_recommendations():
        recs.append(_row(row, recommendation_headers))

    acts = workbook.create_sheet(SHEETS["actions"])
    acts.append(action_headers)
    for row in actions or []:
        acts.append(_row(row, action_headers))
    if customise:
        customise(workbook)
    workbook.save(path)
    return path


def _row(row, headers):
    if isinstance(row, dict):
        return [row.get(h) for h in headers]
    return list(row)


class CanaryHandler(http.server.BaseHTTPRequestHandler):
    """Records every request a renderer makes, and answers it with a stylesheet."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.canary.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    # CONNECT: a download through the proxy the environment names.
    do_POST = do_HEAD = do_CONNECT = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


@dataclass
class Canary:
    port: int
    requests: list[str] = field(default_factory=list)


@contextlib.contextmanager
def canary_server() -> Iterator[Canary]:
    """A server on 127.0.0.1 that proves nothing is fetched: assert canary.requests == []."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CanaryHandler)
    server.canary = Canary(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server.canary
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

COMPLETED = RagStyle("completed", "Completed Action", "#00703c", "#ffffff", "●")
MINOR = RagStyle("minor_issues", "On target but with minor issues", "#ffdd00", "#0b0c0c", "▲")
MISSED = RagStyle("missed", "Missed target requires action", "#d4351c", "#ffffff", "■")
NOT_APPLICABLE = RagStyle("not_applicable", "Not applicable", "", "#0b0c0c", "–")

HOSTILE_TEXT = "{{ 7*7 }} {% if x %}y{% endif %} {_{ x }_} <script>alert(1)</script> & \"q\" 'a'"


def make_action(row: int, ref: int, rag: RagStyle = MINOR, position: int = 1,
                **overrides) -> ActionContext:
    fields = dict(
        row=row,
        ref=ref,
        number=f"{ref}.{position}",
        action=f"Action on row {row}",
        owners="Francesca Okosi – Chief People and Culture Officer",
        completion_date="Q4 2023-24",
        due=(DueStage(None, DueKind.DATE, "2024-03-31", "Q4 2023-24"),),
        status="In progress",
        comments="",
        computed_comment="On target, due 31 March 2024 (Q4 2023-24), 130 days away.",
        rag=rag,
        rag_source=RagSource.COMPUTED,
    )
    fields.update(overrides)
    return ActionContext(**fields)


def make_context(recommendations: list[RecommendationContext] | None = None) -> ReportContext:
    if recommendations is None:
        recommendations = [
            RecommendationContext(
                ref=1,
                heading="Recommendation 1",
                anchor="recommendation-1",
                text="The ICB is recommended to collaborate with the THT Board.",
                comments_from_service=(),
                actions=(
                    make_action(
                        2,
                        1,
                        COMPLETED,
                        action="Stage 1: develop a core data set.\nSecond line & more",
                        completion_date="Stage 1: Q4 2023-24 Stage 2: TBC",
                        due=(
                            DueStage("Stage 1", DueKind.DATE, "2024-03-31", "Q4 2023-24"),
                            DueStage("Stage 2", DueKind.TBC, None, "TBC"),
                        ),
                        status="Completed",
                        comments="Data set agreed.\nShared with partners.",
                        computed_comment="Marked completed.",
                    ),
                    make_action(3, 1, MISSED, 2, comments=HOSTILE_TEXT,
                                rag_source=RagSource.OVERRIDE),
                ),
            ),
            RecommendationContext(
                ref=2,
                heading="Recommendation 2",
                anchor="recommendation-2",
                text="LBTH is recommended to incentivise key worker accommodation.",
                comments_from_service=("First paragraph <b>not bold</b>.", "Second paragraph."),
                actions=(
                    make_action(4, 2, MINOR, action="x" * 300),
                    make_action(
                        5,
                        2,
                        NOT_APPLICABLE,
                        2,
                        action="Not applicable for the ICB",
                        owners="",
                        completion_date="",
                        due=(DueStage(None, DueKind.TBC, None, ""),),
                        status="Not applicable",
                        computed_comment="Not applicable; not counted.",
                    ),
                ),
            ),
        ]
    return ReportContext(
        title="WFS Action Plan Update",
        heading="Workforce Shortages Across the Health and Social Care Sector Action Plan Update",
        meeting="Tower Hamlets Together Board",
        meeting_date="7 December 2023",
        as_at="22 November 2023",
        as_at_iso="2023-11-22",
        prepared_by="Workforce Programme Team",
        classification="Open (Unrestricted)",
        source_file="action_plan.xlsx",
        source_sha256="0" * 64,
        source_sha_short="0" * 12,
        brand=Brand(
            organisation="Tower Hamlets Together",
            strapline="Delivering better health through partnership",
            primary="#005eb8",
            accent="#005eb8",
            accent_text="#ffffff",
        ),
        rag_key=(COMPLETED, MINOR, MISSED),
        not_applicable=NOT_APPLICABLE,
        summary=summarise(recommendations, {Rag(style.key): style for style in
                                            (COMPLETED, MINOR, MISSED, NOT_APPLICABLE)}),
        exceptions=(
            ExceptionItem(
                kind=FindingKind.MISSED,
                ref=1,
                number="1.2",
                row=3,
                cell="Actions!D3",
                action="Action on row 3",
                message="Due 31 March 2024 (Q4 2023-24); 10 days overdue.",
            ),
        ),
        rag_note=(
            "Completed Action: the status is Completed.",
            "Missed target requires action: the due date has passed.",
        ),
        recommendations=tuple(recommendations),
    )


def with_progress(context):
    """``context`` with a Progress over time of two reports (an earlier one and this)."""
    import dataclasses

    from wfs_reports.report.view import Progress, ProgressPoint, RagCount

    key = context.rag_key

    def point(iso, text, label, numbers, current=False):
        counts = tuple(RagCount(style, n) for style, n in zip(key, numbers, strict=True))
        return ProgressPoint(text, iso, label, counts, sum(numbers), current)

    return dataclasses.replace(context, progress=Progress((
        point("2023-06-30", "30 June 2023", "30 Jun 2023", (0, 3, 2)),
        point("2023-11-22", "22 November 2023", "22 Nov 2023", (1, 1, 1), current=True),
    )))


# ---------------------------------------------------------------- reading documents back


def docx_text(source: Path | bytes) -> str:
    """A Word file's body paragraphs, then its table cells, one a line."""
    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(source: Path | bytes) -> str:
    """A PDF's text as pypdf extracts it, page after page."""
    reader = pypdf.PdfReader(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    return "\n".join(page.extract_text() for page in reader.pages)


def words(text: str) -> str:
    """The words of ``text`` one space apart."""
    return " ".join(text.split())


def squash(text: str, drop: Iterable[str] = ()) -> str:
    """``text`` without whitespace (nor the characters in ``drop``): extraction breaks
    lines wherever the layout did, so compare squashed text."""
    dropped = set(drop)
    return "".join(c for c in text if not c.isspace() and c not in dropped)


# -- officers' plans that are not the sample ----------------------------------

DIGITAL_INCLUSION_TITLE = "Digital Inclusion Action Plan Update"
DIGITAL_INCLUSION_RECOMMENDATIONS = [
    [1, "Give residents without internet access a way online in every library", ""],
    [2, "Train front-line staff to help residents use online services", ""],
]


def digital_inclusion_actions() -> list[list]:
    return [
        action(1, "Install public Wi-Fi in the six branch libraries", "Libraries Manager",
               "Q2 2024-25", "In progress", "Four of six branches live"),
        action(1, "Lend 200 refurbished laptops", "Digital Inclusion Lead", "Q4 2024-25",
               "Not started"),
        action(2, "Run digital champion training for housing officers", "Housing Training Lead",
               "Q1 2024-25", "Completed", "42 officers trained"),
    ]


def digital_inclusion_plan(path: Path, report: dict | None = None, *,
                           as_at: dt.date | None = dt.date(2024, 6, 30), **kwargs) -> Path:
    """A Digital Inclusion plan as its officer keeps it: its own Title, Heading,
    Organisation and Meeting date; ``report`` changes or removes (None) settings."""
    settings = {
        "Title": DIGITAL_INCLUSION_TITLE,
        "Heading": "Digital Inclusion Strategy 2024-2027: Action Plan Update",
        "Organisation": "Borough Digital Partnership",
        "Meeting": "Digital Inclusion Board",
        "Meeting date": dt.datetime(2024, 7, 18),
    }
    settings.update(report or {})
    kwargs.setdefault("actions", digital_inclusion_actions())
    kwargs.setdefault("recommendations", DIGITAL_INCLUSION_RECOMMENDATIONS)
    return write_workbook(path, report=settings, as_at=as_at, **kwargs)


def carers_plan(path: Path, report: dict | None = None, *, report_sheet: bool = True,
                as_at: dt.date | None = dt.date(2024, 9, 30)) -> Path:
    """A carers plan started from --new-workbook: ``report`` gives its settings
    (by default none but As at); ``report_sheet=False`` removes the Report sheet."""
    def drop_report(workbook: openpyxl.Workbook) -> None:
        if not report_sheet:
            del workbook["Report"]

    return write_workbook(
        path,
        actions=[action(1, "Publish a carers' assessment leaflet", "Carers Lead",
                        "31/03/2025", "In progress"),
                 action(2, "Open a carers' hub in the Town Hall", "Adult Social Care",
                        "Q3 2024-25", "Not started")],
        recommendations=[[1, "Help carers know what support they can ask for", ""],
                         [2, "Give carers somewhere to go for help in person", ""]],
        report={"Title": None, **(report or {})},
        as_at=as_at,
        customise=drop_report,
    )


# -- workbooks as officers keep them, and what a cell edit must keep ------------

# A data-validation list kept in an x14 extension, as Excel writes one that points
# at another sheet: openpyxl drops it on a re-save.
EXCEL_EXTENSION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Lists!$A$1:$A$3'
    '</xm:f></x14:formula1><xm:sqref>J2:J20</xm:sqref></x14:dataValidation>'
    '</x14:dataValidations></ext></extLst>'
)
# write_workbook's sheets in order: Report, Recommendations, Actions.
ACTIONS_PART = "xl/worksheets/sheet3.xml"
REPORT_PART = "xl/worksheets/sheet1.xml"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def officer_extras(workbook: openpyxl.Workbook) -> None:
    """write_workbook's ``customise``: what an officer adds to the Actions sheet (in
    ACTION_HEADERS order): comments, a validation list, conditional formatting, a
    formula column K, a bold cell, a chart, an image, a defined name, a Lists sheet."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    from PIL import Image as PILImage

    actions = workbook["Actions"]
    actions["E1"].comment = Comment("Use the dropdown", "Officer")
    actions["G2"].comment = Comment("Agreed at the last Board", "Officer")
    validation = DataValidation(type="list", formula1='"Not started,In progress,Completed"')
    actions.add_data_validation(validation)
    validation.add("E2:E20")
    actions.conditional_formatting.add(
        "I2:I20", CellIsRule(operator="lessThan", formula=["DATE(2023,1,1)"],
                             fill=PatternFill("solid", fgColor="FFC7CE")))
    actions["K1"] = "Days since update"
    for row in range(2, 5):
        actions[f"K{row}"] = f'=IF(I{row}="","",TODAY()-I{row})'
        actions[f"I{row}"].number_format = "dd/mm/yyyy"
    actions["C2"].font = Font(bold=True)
    chart = BarChart()
    chart.add_data(Reference(actions, min_col=1, min_row=1, max_row=4), titles_from_data=True)
    actions.add_chart(chart, "M2")
    picture = io.BytesIO()
    PILImage.new("RGB", (8, 8), "navy").save(picture, format="PNG")
    actions.add_image(Image(picture), "M20")
    workbook.defined_names["ActionList"] = DefinedName(
        "ActionList", attr_text="Actions!$B$2:$B$4")
    lists = workbook.create_sheet("Lists")
    for value in ("Red", "Amber", "Green"):
        lists.append([value])


def as_excel_saves(data: bytes, part: str = ACTIONS_PART) -> bytes:
    """An openpyxl-saved workbook as Excel would save it: formulas with their
    results, and in ``part`` an x14 extension and an x14ac attribute (on row 3)
    under mc:Ignorable, which a careless edit would lose."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                # Excel saves each formula's result beside it; openpyxl does not.
                content = re.sub(rb"(</f>)<v\s*/>|(</f>)<v></v>", rb"\1\2<v>40</v>", content)
            if info.filename == part:
                text = content.decode()
                text = text.replace(
                    "<worksheet ",
                    '<worksheet xmlns:mc="http://schemas.openxmlformats.org/'
                    'markup-compatibility/2006" xmlns:x14ac="http://schemas.microsoft.com/'
                    'office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac" ', 1)
                text = text.replace('<row r="3"', '<row r="3" x14ac:dyDescent="0.25"', 1)
                content = text.replace("</worksheet>", EXCEL_EXTENSION + "</worksheet>").encode()
            target.writestr(info, content)
    return output.getvalue()


def zip_parts(data: bytes) -> dict[str, bytes]:
    """{part name: its bytes}, in the zip's order."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def sheet_cells(part: bytes) -> dict[str, bytes]:
    """{A1: the <c> element's canonical XML} of a worksheet part."""
    from lxml import etree

    root = etree.fromstring(part)
    return {cell.get("r"): etree.tostring(cell, method="c14n") for cell in root.iter(f"{_MAIN}c")}


def changed_cells(before: bytes, after: bytes) -> set[str]:
    """The cells of a worksheet part that differ in any way (value, type, style...)."""
    old, new = sheet_cells(before), sheet_cells(after)
    return {ref for ref in old.keys() | new.keys() if old.get(ref) != new.get(ref)}


def outside_cells(part: bytes) -> tuple[list[bytes], dict[str, bytes], str]:
    """A worksheet part with its cells taken out: everything a cell edit must keep, as
    (the sheet's other elements, namespaces and attributes; {row number: the row's own
    XML, without the 'spans' hint}; the used range, which may grow to a new cell)."""
    from lxml import etree

    root = etree.fromstring(part)
    for cell in list(root.iter(f"{_MAIN}c")):
        cell.getparent().remove(cell)
    rows = {}
    for row in root.iter(f"{_MAIN}row"):
        row.attrib.pop("spans", None)
        rows[row.get("r")] = etree.tostring(row, method="c14n")
    dimension = root.find(f"{_MAIN}dimension")
    used = dimension.get("ref")
    root.remove(dimension)
    root.remove(root.find(f"{_MAIN}sheetData"))
    namespaces = sorted((prefix or "", uri) for prefix, uri in root.nsmap.items())
    return ([etree.tostring(child, method="c14n") for child in root]
            + [repr(namespaces).encode(), repr(sorted(root.attrib.items())).encode()],
            rows, used)


def style_entries(part: bytes) -> dict[str, list[bytes]]:
    """{styles.xml group (numFmts, cellXfs...): its entries' canonical XML, in order}."""
    from lxml import etree

    root = etree.fromstring(part)
    return {etree.QName(group).localname: [etree.tostring(e, method="c14n") for e in group]
            for group in root}


def only_gained(before: bytes, after: bytes) -> bool:
    """Whether a styles or shared-strings part kept every entry at its index."""
    old, new = style_entries(before), style_entries(after)
    return old.keys() <= new.keys() and all(
        new[group][:len(entries)] == entries for group, entries in old.items())


# -- returned update-request forms (make-report --replies) -----------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _runs(text: str) -> str:
    lines = text.split("\n")
    return "<w:br/>".join(f'<w:t xml:space="preserve">{_esc(line)}</w:t>' for line in lines)


def _p(text: str = "", inner: str = "") -> str:
    return f"<w:p>{f'<w:r>{_runs(text)}</w:r>' if text else ''}{inner}</w:p>"


@dataclass
class FormRow:
    """One action's row of a returned form, as the owner left it."""

    ref: int
    position: int
    action: str
    row: int  # the workbook row the form was made for
    status: str = ""
    date: str = ""
    update: str = ""
    deleted: str = ""  # tracked changes: text the owner deleted from the update
    outside: str = ""  # typed in the update's cell, outside the field
    shown: str = ""  # the row's visible text, when not the action's own (a stale form)


def reply_form(rows: Iterable[FormRow], *, as_at: dt.date, owner: str = "Owner",
               tags: bool = True, modified: dt.datetime | None = None) -> bytes:
    """A returned update-request form: a table row per action with the three
    content controls domain.reply_tags describes (``tags=False``: as LibreOffice
    re-saves it, tags and titles dropped)."""
    from wfs_reports.domain.dates import format_date
    from wfs_reports.domain.reply_tags import ReplyField, ReplyTag, action_key, visible_identity

    def control(field: ReplyField, row: FormRow, value: str, deleted: str = "") -> str:
        tag = ReplyTag(field, as_at, row.row, row.ref, action_key(row.ref, row.action))
        props = ""
        if tags:
            props += f'<w:alias w:val="{field.heading}"/><w:tag w:val="{tag.text()}"/>'
        if not value and not deleted:
            props += "<w:showingPlcHdr/>"
            content = _p("Click or tap here to enter text.")
        else:
            inner = ""
            if deleted:
                inner += (f'<w:del w:id="1" w:author="Owner"><w:r><w:delText>{_esc(deleted)}'
                          "</w:delText></w:r></w:del>")
            if value and deleted:
                inner += f'<w:ins w:id="2" w:author="Owner"><w:r>{_runs(value)}</w:r></w:ins>'
                content = _p(inner=inner)
            elif deleted:
                content = _p(inner=inner)
            else:
                content = "".join(_p(line) for line in value.split("\n\n"))
        if field is ReplyField.STATUS and tags:
            props += ('<w:dropDownList><w:listItem w:displayText="In progress" '
                      'w:value="In progress"/><w:listItem w:displayText="Completed" '
                      'w:value="Completed"/></w:dropDownList>')
        return f"<w:sdt><w:sdtPr>{props}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"

    def cell(inner: str) -> str:
        return f"<w:tc>{inner}</w:tc>"

    body = [_p(f"Update request for {owner}"), _p(f"Progress as at {format_date(as_at)}")]
    table = ["<w:tbl>", "<w:tr>" + "".join(cell(_p(h)) for h in (
        "Action", "Status now", "New completion date", "Your update")) + "</w:tr>"]
    for row in rows:
        shown = row.shown or visible_identity(row.ref, row.position, row.action)
        table.append("<w:tr>" + cell(_p(shown) + _p("Due Q4 2023-24"))
                     + cell(control(ReplyField.STATUS, row, row.status))
                     + cell(control(ReplyField.DATE, row, row.date))
                     + cell(control(ReplyField.UPDATE, row, row.update, row.deleted)
                            + (_p(row.outside) if row.outside else ""))
                     + "</w:tr>")
    table.append("</w:tbl>")
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{_W}"><w:body>{"".join(body)}{"".join(table)}'
                "<w:sectPr/></w:body></w:document>")
    when = (modified or dt.datetime.combine(as_at, dt.time(9))).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>")
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://'
             'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
             'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/><Override '
             'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/'
             'core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"'
             "/></Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="'
            'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" '
            'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
        archive.writestr("docProps/core.xml", core)
    return out.getvalue()


def reply_email(sender: str, sent: dt.datetime, *, form: bytes | None = None,
                form_name: str = "Update request.docx",
                text: str = "Please see attached.") -> bytes:
    """An .eml reply, the form attached (or not)."""
    from email.message import EmailMessage
    from email.utils import format_datetime

    message = EmailMessage()
    message["From"] = sender
    message["To"] = "officer@example.org"
    message["Subject"] = "RE: Update request"
    message["Date"] = format_datetime(sent.replace(tzinfo=dt.UTC))
    message.set_content(text)
    if form is not None:
        message.add_attachment(form, maintype="application", subtype="vnd.openxmlformats-"
                               "officedocument.wordprocessingml.document", filename=form_name)
    return message.as_bytes()


def reply_msg(sender: str, sent: dt.datetime, *, form: bytes | None = None,
              form_name: str = "Update request.docx", text: str = "See attached.") -> bytes:
    """An Outlook .msg reply: an OLE compound file (written by ole_file) with the
    message's streams and, for the form, one attachment storage."""
    import struct

    def utf16(value: str) -> bytes:
        return value.encode("utf-16-le") + b"\x00\x00"

    filetime = int((sent - dt.datetime(1601, 1, 1)).total_seconds() * 10_000_000)
    properties = bytes(8) + struct.pack("<IIII", 0, 1, 0, 1 if form else 0) + bytes(8)
    properties += struct.pack("<HHIQ", 0x0040, 0x0039, 6, filetime)
    streams: dict[str, bytes] = {
        "__properties_version1.0": properties,
        "__substg1.0_0C1F001F": utf16(sender),
        "__substg1.0_0C1A001F": utf16(sender.split("@")[0]),
        "__substg1.0_0037001F": utf16("RE: Update request"),
        "__substg1.0_1000001F": utf16(text),
    }
    if form is not None:
        folder = "__attach_version1.0_#00000000"
        streams[f"{folder}/__properties_version1.0"] = bytes(8)
        streams[f"{folder}/__substg1.0_37010102"] = form
        streams[f"{folder}/__substg1.0_3707001F"] = utf16(form_name)
        streams[f"{folder}/__substg1.0_3704001F"] = utf16(form_name[:8])
    return ole_file(streams)


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding
    ``{"storage/stream": data}``: small streams in the mini stream as Office
    writes them, the rest in ordinary sectors."""
    import struct

    sector, mini, cutoff = 512, 64, 4096
    free, end, fat_mark = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD

    # The directory: the root, then each storage and stream, children sorted
    # as CFB compares names (length, then upper case) and chained right.
    entries = [{"name": "Root Entry", "type": 5, "children": []}]
    index: dict[str, int] = {"": 0}
    for path in streams:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key not in index:
                index[key] = len(entries)
                entries.append({"name": parts[depth - 1],
                                "type": 2 if depth == len(parts) else 1, "children": []})
                entries[index["/".join(parts[:depth - 1])]]["children"].append(index[key])

    # Lay out the data: small streams in mini sectors, large ones in sectors.
    mini_data, mini_fat = bytearray(), []
    big: list[tuple[int, bytes]] = []
    starts: dict[int, tuple[int, int]] = {}
    for path, data in streams.items():
        number = index[path]
        if len(data) < cutoff:
            first = len(mini_data) // mini
            count = max(1, -(-len(data) // mini)) if data else 0
            mini_data += data + bytes(count * mini - len(data))
            mini_fat += [first + i + 1 for i in range(count - 1)] + ([end] if count else [])
            starts[number] = (first if count else end, len(data))
        else:
            big.append((number, data))
    fat: list[int] = []
    body = bytearray()

    def place(data: bytes) -> int:
        count = -(-len(data) // sector)
        if not count:
            return end
        first = len(fat)
        fat.extend([first + i + 1 for i in range(count - 1)] + [end])
        body.extend(data + bytes(count * sector - len(data)))
        return first

    root_start = place(bytes(mini_data))
    starts[0] = (root_start, len(mini_data))
    for number, data in big:
        starts[number] = (place(data), len(data))
    mini_fat_bytes = b"".join(struct.pack("<I", v) for v in mini_fat)
    mini_fat_bytes += b"\xff" * (-len(mini_fat_bytes) % sector)
    mini_fat_start = place(mini_fat_bytes) if mini_fat else end
    mini_fat_sectors = len(mini_fat_bytes) // sector

    def compare_key(number: int) -> tuple[int, str]:
        name = entries[number]["name"]
        return len(name), name.upper()

    directory = bytearray()
    for entry in entries:
        children = sorted(entry["children"], key=compare_key)
        entry["child"] = children[0] if children else free
        for a, b in zip(children, children[1:], strict=False):
            entries[a]["right"] = b
    for number, entry in enumerate(entries):
        name = entry["name"].encode("utf-16-le") + b"\x00\x00"
        start, size = starts.get(number, (end if entry["type"] == 1 else end, 0))
        if entry["type"] == 1:
            start, size = 0, 0
        directory += (name.ljust(64, b"\x00") + struct.pack("<HBB", len(name), entry["type"], 1)
                      + struct.pack("<III", free, entry.get("right", free), entry["child"])
                      + bytes(16) + bytes(4) + bytes(16)
                      + struct.pack("<IQ", start, size))
    directory += bytes(-len(directory) % sector)
    directory_start = place(bytes(directory))

    # The FAT covers every sector, its own included.
    fat_sectors = 1
    while (len(fat) + fat_sectors) > fat_sectors * (sector // 4):
        fat_sectors += 1
    fat_start = len(fat)
    fat.extend([fat_mark] * fat_sectors)
    fat.extend([free] * (fat_sectors * (sector // 4) - len(fat)))
    body.extend(b"".join(struct.pack("<I", v) for v in fat))
    difat = [fat_start + i for i in range(fat_sectors)] + [free] * (109 - fat_sectors)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, fat_sectors, directory_start, 0, cutoff,
                            mini_fat_start, mini_fat_sectors, end, 0)
              + b"".join(struct.pack("<I", v) for v in difat))
    return header + bytes(body)
