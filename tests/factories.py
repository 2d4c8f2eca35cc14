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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
import pypdf

from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.model import Brand, DueKind, Rag
from wfs_reports.domain.rules import FindingKind, RagSource
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

    do_POST = do_HEAD = do_GET  # noqa: N815

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
