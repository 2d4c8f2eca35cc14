"""The report context: everything the three renderers print, already decided.

Renderers take a ``ReportContext`` and only lay it out; they make no decisions
about RAG, wording or order. That is what keeps the Word, PDF and JSON
documents from drifting apart. All text fields are plain ``str`` (officer text
verbatim, line breaks as "\\n"); renderers escape it for their own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RagStyle:
    key: str  # "completed", "minor_issues", "missed", "not_applicable"
    label: str  # "Completed Action"
    fill: str  # "#00703c", or "" for no fill
    text_colour: str  # "#ffffff"
    mark: str  # a short non-colour cue shown beside the label


@dataclass(frozen=True)
class DueStage:
    stage: str | None
    kind: str  # date | ongoing | tbc | unrecognised | ambiguous
    date: str | None  # ISO date
    text: str


@dataclass(frozen=True)
class ActionContext:
    row: int  # row in the Actions sheet
    ref: int
    action: str
    owners: str
    completion_date: str  # as written (an Excel date shown as 31/03/2024)
    due: tuple[DueStage, ...]
    status: str
    comments: str  # the officer's words, verbatim
    computed_comment: str  # the system's sentence, shown apart from them
    rag: RagStyle
    rag_source: str  # "computed" | "override"


@dataclass(frozen=True)
class RecommendationContext:
    ref: int
    heading: str  # "Recommendation 1"
    anchor: str  # "recommendation-1", for bookmarks and links
    text: str
    comments_from_service: tuple[str, ...]  # paragraphs
    actions: tuple[ActionContext, ...]


@dataclass(frozen=True)
class ExceptionItem:
    kind: str  # missed | date_tbc | date_unreadable | date_ambiguous | override_refused | stale
    ref: int
    row: int
    cell: str  # "Actions!D5"
    action: str  # a short excerpt of the action text
    message: str


@dataclass(frozen=True)
class RagCount:
    rag: RagStyle
    count: int


@dataclass(frozen=True)
class RecommendationSummary:
    ref: int
    heading: str
    total: int  # actions counted (not applicable excluded)
    counts: tuple[RagCount, ...]  # in key order: completed, minor, missed
    not_applicable: int


@dataclass(frozen=True)
class Summary:
    total: int  # counted actions
    counts: tuple[RagCount, ...]  # completed, minor, missed
    not_applicable: int
    per_recommendation: tuple[RecommendationSummary, ...]


@dataclass(frozen=True)
class Brand:
    organisation: str
    strapline: str
    primary: str  # headings, rules
    accent: str  # table header fill
    accent_text: str  # text on the accent fill
    logo: str | None = None  # path to an image inside the templates folder
    logo_alt: str = ""


@dataclass(frozen=True)
class ReportContext:
    title: str
    heading: str
    meeting: str
    meeting_date: str  # "12 December 2023" or ""
    as_at: str  # "22 November 2023"
    as_at_iso: str  # "2023-11-22"
    prepared_by: str
    classification: str
    source_file: str
    source_sha256: str
    source_sha_short: str  # first 12 hex digits
    brand: Brand
    rag_key: tuple[RagStyle, ...]  # completed, minor_issues, missed
    not_applicable: RagStyle
    summary: Summary
    exceptions: tuple[ExceptionItem, ...]
    rag_note: tuple[str, ...]  # "How RAG is calculated", one sentence each
    recommendations: tuple[RecommendationContext, ...]
    generator: str = field(default="wfs-reports")

    @property
    def action_count(self) -> int:
        return sum(len(r.actions) for r in self.recommendations)
