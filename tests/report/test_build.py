"""The report context: whatever the actions, the summary adds up to them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from wfs_reports.config import load_templates
from wfs_reports.domain.assess import assess_plan
from wfs_reports.domain.model import Action, Plan, Rag, Recommendation, ReportSettings, Status
from wfs_reports.report.build import build_context

TEMPLATES = load_templates(None)
DUE_TEXTS = ["Q4 2023-24", "31/10/2023", "TBC", "", "Ongoing", "Q2 2024", "soon",
             "Stage 1: Q2 2023-24 Stage 2: TBC", "Not applicable for the ICB"]

actions = st.builds(
    lambda due, status, override, reason: (due, status, override, reason),
    st.sampled_from(DUE_TEXTS),
    st.sampled_from(list(Status)),
    st.one_of(st.none(), st.sampled_from(list(Rag))),
    st.sampled_from(["", "Agreed at Board"]),
)


@settings(max_examples=150, deadline=None)
@given(
    plan_rows=st.lists(st.lists(actions, max_size=6), min_size=1, max_size=5),
    as_at=st.dates(dt.date(2022, 1, 1), dt.date(2026, 12, 31)),
)
def test_summary_counts_always_equal_the_actions(plan_rows, as_at):
    recommendations = []
    row = 2
    for ref, rows in enumerate(plan_rows, start=1):
        rec = Recommendation(ref=ref, text=f"Recommendation text {ref}", row=ref + 1)
        for due, status, override, reason in rows:
            rec.actions.append(Action(row=row, ref=ref, action=f"Action {row}",
                                      completion_date=due, status=status,
                                      rag_override=override, override_reason=reason))
            row += 1
        recommendations.append(rec)
    plan = Plan(ReportSettings(), recommendations)
    context = build_context(
        plan, assess_plan(plan, as_at, TEMPLATES.rules), as_at=as_at, source_file="plan.xlsx",
        source_sha256="0" * 64, brand=TEMPLATES.brand, rules=TEMPLATES.rules,
    )
    shown = [a for rec in context.recommendations for a in rec.actions]
    assert len(shown) == len(plan.actions)
    summary = context.summary
    not_applicable = sum(1 for a in shown if a.rag.key == "not_applicable")
    assert summary.not_applicable == not_applicable
    assert summary.total == len(shown) - not_applicable
    assert sum(c.count for c in summary.counts) == summary.total
    for c in summary.counts:
        assert c.count == sum(1 for a in shown if a.rag.key == c.rag.key)
    for rec, rs in zip(context.recommendations, summary.per_recommendation, strict=True):
        assert sum(c.count for c in rs.counts) + rs.not_applicable == len(rec.actions)
