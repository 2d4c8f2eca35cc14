"""Direction of travel: this report's actions against the last report's.

Pure domain code working on plain records, so it can compare against any
earlier JSON snapshot. Actions are matched by their recommendation and their
text, so an action keeps its history when rows are inserted or reordered and,
where the wording is still mostly the same, when its text is edited:

1. same recommendation, same text (ignoring case, spacing and punctuation);
2. same text under another recommendation (the action was moved);
3. same recommendation, text at least 60% similar (the wording was edited);

best matches first. Whatever is left is new (now) or removed (then). Actions
with the same text (duplicates) are told apart by their final due date first,
then by their order: two duplicates whose rows swap keep their own dates, so
neither seems to have slipped.

``slip_history`` follows each action back through every earlier report, so a
due date that keeps moving is seen for what it is.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from wfs_reports.domain.model import RAG_SEVERITY, Rag

SIMILAR_ENOUGH = 0.6


class Trend(StrEnum):
    """An action's RAG against the last report's; the value is the JSON snapshot's."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"
    NEW = "new"  # not in the last report

    @property
    def arrow(self) -> str:
        """'↑': so a trend reads without colour."""
        return _ARROWS[self]


_ARROWS = {Trend.BETTER: "↑", Trend.SAME: "→", Trend.WORSE: "↓", Trend.NEW: "+"}


@dataclass(frozen=True)
class Record:
    """What matching and trends need of one action, now or in a snapshot."""

    ref: int
    row: int
    action: str
    rag: str
    final_due: str | None  # ISO date of the latest dated stage, if any
    # The officer's RAG Override (a RAG key) and its reason, as written; None
    # when not known (a snapshot written before these were recorded).
    override: str | None = None
    reason: str | None = None
    # Stage numbers the status marks complete; None when not known.
    stages_complete: frozenset[int] | None = None


class MatchKind(StrEnum):
    """How an action was found in the last report."""

    SAME = "same"  # same recommendation, same text
    MOVED = "moved"  # same text, another recommendation
    REWORDED = "reworded"  # same recommendation, the wording edited


@dataclass(frozen=True)
class Match:
    current: Record
    previous: Record | None  # None: a new action
    kind: MatchKind | None = None  # None: a new action

    @property
    def trend(self) -> Trend:
        if self.previous is None:
            return Trend.NEW
        before, now = RAG_SEVERITY[Rag(self.previous.rag)], RAG_SEVERITY[Rag(self.current.rag)]
        return Trend.BETTER if now < before else Trend.WORSE if now > before else Trend.SAME

    @property
    def slipped(self) -> bool:
        """The due date moved later since the last report."""
        return bool(
            self.previous is not None
            and self.previous.final_due
            and self.current.final_due
            and self.current.final_due > self.previous.final_due
        )


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def same_text(text: str) -> str:
    """The text as matching compares it: case, spacing and punctuation ignored."""
    return _normal(text)


def _key(record: Record, text: str, by_ref: bool, by_due: bool) -> object:
    return (record.ref if by_ref else None, text, record.final_due if by_due else None)


def match_actions(
    current: list[Record], previous: list[Record]
) -> tuple[list[Match], list[Record]]:
    """Pair each current action with its earlier self; return (matches, removed)."""
    paired: dict[int, Record] = {}  # index in current -> previous record
    kinds: dict[int, MatchKind] = {}
    used: set[int] = set()  # indexes in previous
    current_text = [_normal(r.action) for r in current]
    previous_text = [_normal(r.action) for r in previous]

    # Exact matches by lookup, in row order, so large plans stay fast:
    # first under the same recommendation, then anywhere (a moved action).
    # Within each, the same final due date first: duplicates (the same text
    # twice) keep their own dates when their rows swap; then by their order.
    for by_ref, by_due in ((True, True), (True, False), (False, True), (False, False)):
        waiting: dict[object, list[int]] = {}
        for j, then in enumerate(previous):
            if j not in used:
                waiting.setdefault(_key(then, previous_text[j], by_ref, by_due), []).append(j)
        for i, now in enumerate(current):
            queue = (None if i in paired
                     else waiting.get(_key(now, current_text[i], by_ref, by_due)))
            if queue:
                j = queue.pop(0)
                paired[i] = previous[j]
                kinds[i] = MatchKind.SAME if now.ref == previous[j].ref else MatchKind.MOVED
                used.add(j)

    # Edited wording: the most similar leftovers under the same recommendation.
    candidates = []
    for i, now in enumerate(current):
        if i in paired:
            continue
        for j, then in enumerate(previous):
            if j in used or then.ref != now.ref:
                continue
            ratio = difflib.SequenceMatcher(None, current_text[i], previous_text[j],
                                            autojunk=False).ratio()
            if ratio >= SIMILAR_ENOUGH:
                candidates.append((-ratio, i, j))
    for _ratio, i, j in sorted(candidates):
        if i not in paired and j not in used:
            paired[i] = previous[j]
            kinds[i] = MatchKind.REWORDED
            used.add(j)

    matches = [Match(now, paired.get(i), kinds.get(i)) for i, now in enumerate(current)]
    removed = [then for j, then in enumerate(previous) if j not in used]
    return matches, removed


@dataclass(frozen=True)
class Slips:
    """How often an action's due date has moved later, over every report found."""

    times: int  # reports in which it slipped, this one included
    first_due: str | None  # ISO date it was first due, in the oldest report that has one


def slip_history(earlier: list[list[Record]], current: list[Record]) -> list[Slips]:
    """Each current action's slips, following it back through ``earlier``
    (the earlier reports' records, oldest first, the last report last), each
    report matched with the one before it as ``match_actions`` does."""
    state: list[Slips] = []
    before: list[Record] = []
    for records in [*earlier, current]:
        known = {id(then): slips for then, slips in zip(before, state, strict=True)}
        matches, _removed = match_actions(list(records), before)
        state = []
        for match in matches:
            then = known.get(id(match.previous)) if match.previous is not None else None
            if then is None:
                state.append(Slips(0, match.current.final_due))
                continue
            state.append(Slips(then.times + (1 if match.slipped else 0),
                               then.first_due or match.current.final_due))
        before = list(records)
    return state
