"""This report against the last one: each action's previous RAG and trend,
and the changes the Board reads first (RAG changes, completed, stages
completed, slipped, moved, reworded, new, removed). The matching itself is
the domain's (``domain.trend``); what comes out is view values
(``view.Changes``, the actions' ``trend``), which the renderers read like
the rest of the context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial

from wfs_reports.domain.colours import RagStyle
from wfs_reports.domain.dates import format_date
from wfs_reports.domain.model import Rag, action_number
from wfs_reports.domain.text import plural
from wfs_reports.domain.trend import MatchKind, Record, match_actions, slip_history
from wfs_reports.report.view import (
    ActionContext,
    ChangeItem,
    Changes,
    DueStage,
    RecommendationContext,
)


@dataclass(frozen=True)
class Previous:
    """The last report, as its JSON snapshot recorded it."""

    as_at: dt.date
    file: str
    records: tuple[Record, ...]
    # The plan's reports before it, oldest first, for how often a date slipped.
    earlier: tuple[tuple[Record, ...], ...] = ()


def _final_due(due: tuple[DueStage, ...]) -> str | None:
    dates = [d.date for d in due if d.date]
    return max(dates) if dates else None


def record(action: ActionContext) -> Record:
    """What matching needs of an action in this report."""
    return Record(action.ref, action.row, action.action, action.rag.key, _final_due(action.due),
                  override=action.override, reason=action.override_reason,
                  stages_complete=frozenset(action.stages_complete))


def with_trends(
    recommendations: Sequence[RecommendationContext], previous: Previous,
    styles: Mapping[Rag, RagStyle],
) -> tuple[list[RecommendationContext], Changes]:
    """Attach each action's previous RAG and trend; list what changed."""
    by_key = {style.key: style for style in styles.values()}
    current = [record(a) for r in recommendations for a in r.actions]
    matches, removed = match_actions(current, list(previous.records))
    slips = slip_history([*map(list, previous.earlier), list(previous.records)], current)
    found = {(m.current.ref, m.current.row): (m, n) for m, n in zip(matches, slips, strict=True)}
    new, completed, stages, slipped, moved, reworded, rag_changes = [], [], [], [], [], [], []
    updated = []
    for rec in recommendations:
        actions = []
        for a in rec.actions:
            match, slip = found[(a.ref, a.row)]
            then = match.previous
            before = by_key.get(then.rag) if then else None
            actions.append(replace(a, rag_previous=before, trend=match.trend,
                                   times_slipped=slip.times, first_due=slip.first_due))
            if then is None:
                new.append(ChangeItem(a.ref, a.row, a.action, a.rag.label, number=a.number))
                continue
            item = partial(ChangeItem, a.ref, a.row, a.action, previous_ref=then.ref,
                           previous_action=then.action, number=a.number,
                           previous_row=then.row)
            was = before.label if before else then.rag
            now_completed = a.rag.key == Rag.COMPLETED.value and then.rag != a.rag.key
            if now_completed:
                completed.append(item(f"was {was}"))
            done = sorted(set(a.stages_complete) - set(then.stages_complete or ()))
            if done and then.stages_complete is not None and not now_completed:
                stages.append(item(_stages_done(done)))
            if match.slipped:
                detail = (f"{_iso_to_text(then.final_due)} → "
                          f"{_iso_to_text(match.current.final_due)}")
                if slip.times >= 2:
                    detail += (f"; slipped {plural(slip.times, 'time')} since first due "
                               f"{_iso_to_text(slip.first_due)}")
                slipped.append(item(detail))
            if match.kind is MatchKind.MOVED:
                moved.append(item(f"moved from Recommendation {then.ref} to "
                                  f"Recommendation {a.ref}"))
            if match.kind is MatchKind.REWORDED:
                reworded.append(item(f"was “{_one_line(then.action)}”; now "
                                     f"“{_one_line(a.action)}”"))
            if then.rag != a.rag.key:
                rag_changes.append(item(f"{was} → {a.rag.label} ({match.trend})"))
        updated.append(replace(rec, actions=tuple(actions)))
    numbers = _numbers(previous.records)
    # The Board's copies name a removed action by its number in the last
    # report; its workbook row then stays in the JSON (previous_row).
    gone = tuple(
        ChangeItem(r.ref, None, r.action,
                   f"was {by_key[r.rag].label if r.rag in by_key else r.rag}",
                   previous_ref=r.ref, previous_action=r.action, number=numbers[id(r)],
                   previous_row=r.row)
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
        stages_completed=tuple(stages),
        moved=tuple(moved),
        reworded=tuple(reworded),
    )
    return updated, changes


def _numbers(records: Sequence[Record]) -> dict[int, str]:
    """Each record's number in its report ("3.2"), by ``id``: its place among
    its recommendation's actions, in the order the report listed them."""
    seen: dict[int, int] = {}
    numbers = {}
    for r in records:
        seen[r.ref] = seen.get(r.ref, 0) + 1
        numbers[id(r)] = action_number(r.ref, seen[r.ref])
    return numbers


def _stages_done(numbers: list[int]) -> str:
    """'Stage 1 complete', 'Stages 1 and 2 complete'."""
    if len(numbers) == 1:
        return f"Stage {numbers[0]} complete"
    listed = ", ".join(str(n) for n in numbers[:-1])
    return f"Stages {listed} and {numbers[-1]} complete"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _iso_to_text(iso: str | None) -> str:
    return format_date(dt.date.fromisoformat(iso)) if iso else "no date"

