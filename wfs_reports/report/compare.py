"""This report against the last one: each action's previous RAG and trend,
and the changes the Board reads first (RAG changes, completed, slipped, new,
removed). The matching itself is the domain's (``domain.trend``); what comes
out is view values (``view.Changes``, the actions' ``trend``), which the
renderers read like the rest of the context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial

from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.dates import format_date
from wfs_reports.domain.model import Rag
from wfs_reports.domain.text import excerpt
from wfs_reports.domain.trend import Record, match_actions
from wfs_reports.report.view import ChangeItem, Changes, DueStage, RecommendationContext


@dataclass(frozen=True)
class Previous:
    """The last report, as its JSON snapshot recorded it."""

    as_at: dt.date
    file: str
    records: tuple[Record, ...]


def _final_due(due: tuple[DueStage, ...]) -> str | None:
    dates = [d.date for d in due if d.date]
    return max(dates) if dates else None


def with_trends(
    recommendations: Sequence[RecommendationContext], previous: Previous,
    styles: Mapping[Rag, RagStyle],
) -> tuple[list[RecommendationContext], Changes]:
    """Attach each action's previous RAG and trend; list what changed."""
    by_key = {style.key: style for style in styles.values()}
    current = [
        Record(a.ref, a.row, a.action, a.rag.key, _final_due(a.due))
        for r in recommendations for a in r.actions
    ]
    matches, removed = match_actions(current, list(previous.records))
    found = {(m.current.ref, m.current.row): m for m in matches}
    new, completed, slipped, rag_changes = [], [], [], []
    updated = []
    for rec in recommendations:
        actions = []
        for a in rec.actions:
            match = found[(a.ref, a.row)]
            before = by_key.get(match.previous.rag) if match.previous else None
            actions.append(replace(a, rag_previous=before, trend=match.trend))
            item = partial(ChangeItem, a.ref, a.row, excerpt(a.action, 90))
            if match.previous is None:
                new.append(item(a.rag.label))
                continue
            if a.rag.key == Rag.COMPLETED.value and match.previous.rag != a.rag.key:
                completed.append(item(f"was {before.label if before else match.previous.rag}"))
            if match.slipped:
                slipped.append(item(
                    f"{_iso_to_text(match.previous.final_due)} → "
                    f"{_iso_to_text(match.current.final_due)}"))
            if match.previous.rag != a.rag.key:
                was = before.label if before else match.previous.rag
                rag_changes.append(item(f"{was} → {a.rag.label} ({match.trend})"))
        updated.append(replace(rec, actions=tuple(actions)))
    gone = tuple(
        ChangeItem(r.ref, None, excerpt(r.action, 90),
                   f"was row {r.row}, {by_key[r.rag].label if r.rag in by_key else r.rag}")
        for r in removed
    )
    changes = Changes(
        previous_as_at=format_date(previous.as_at),
        previous_file=previous.file,
        new=tuple(new),
        completed=tuple(completed),
        slipped=tuple(slipped),
        rag_changes=tuple(rag_changes),
        removed=gone,
    )
    return updated, changes


def _iso_to_text(iso: str | None) -> str:
    return format_date(dt.date.fromisoformat(iso)) if iso else "no date"

