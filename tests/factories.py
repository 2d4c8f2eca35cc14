"""Hand-built report contexts for renderer tests.

Renderer tests should not depend on the reader or the rules: they take a
context and check what the document shows. The text here is deliberately
awkward (markup, template syntax, ampersands, line breaks, long words).
"""

from __future__ import annotations

from wfs_reports.context import (
    ActionContext,
    Brand,
    DueStage,
    ExceptionItem,
    RagStyle,
    RecommendationContext,
    ReportContext,
    summarise,
)
from wfs_reports.model import Rag

COMPLETED = RagStyle("completed", "Completed Action", "#00703c", "#ffffff", "●")
MINOR = RagStyle("minor_issues", "On target but with minor issues", "#ffdd00", "#0b0c0c", "▲")
MISSED = RagStyle("missed", "Missed target requires action", "#d4351c", "#ffffff", "■")
NOT_APPLICABLE = RagStyle("not_applicable", "Not applicable", "", "#0b0c0c", "–")

HOSTILE_TEXT = "{{ 7*7 }} {% if x %}y{% endif %} {_{ x }_} <script>alert(1)</script> & \"q\" 'a'"


def make_action(row: int, ref: int, rag: RagStyle = MINOR, **overrides) -> ActionContext:
    fields = dict(
        row=row,
        ref=ref,
        action=f"Action on row {row}",
        owners="Francesca Okosi – Chief People and Culture Officer",
        completion_date="Q4 2023-24",
        due=(DueStage(None, "date", "2024-03-31", "Q4 2023-24"),),
        status="In progress",
        comments="",
        computed_comment="On target, due 31 March 2024 (Q4 2023-24), 130 days away.",
        rag=rag,
        rag_source="computed",
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
                            DueStage("Stage 1", "date", "2024-03-31", "Q4 2023-24"),
                            DueStage("Stage 2", "tbc", None, "TBC"),
                        ),
                        status="Completed",
                        comments="Data set agreed.\nShared with partners.",
                        computed_comment="Marked completed.",
                    ),
                    make_action(3, 1, MISSED, comments=HOSTILE_TEXT, rag_source="override"),
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
                        action="Not applicable for the ICB",
                        owners="",
                        completion_date="",
                        due=(DueStage(None, "tbc", None, ""),),
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
                kind="missed",
                ref=1,
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
