"""Direction of travel: this report's actions against the last report's.

Pure domain code working on plain records, so it can compare against any
earlier JSON snapshot. Actions are matched by their recommendation and their
text, so an action keeps its history when rows are inserted or reordered and,
where the wording is still mostly the same, when its text is edited:

1. same recommendation, same text (ignoring case, spacing and punctuation);
2. same text under another recommendation (the action was moved);
3. same recommendation, text at least 60% similar (the wording was edited);

best matches first. Whatever is left is new (now) or removed (then).
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


@dataclass(frozen=True)
class Match:
    current: Record
    previous: Record | None  # None: a new action

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


def _key(record: Record, text: str, by_ref: bool) -> object:
    return (record.ref, text) if by_ref else text


def match_actions(
    current: list[Record], previous: list[Record]
) -> tuple[list[Match], list[Record]]:
    """Pair each current action with its earlier self; return (matches, removed)."""
    paired: dict[int, Record] = {}  # index in current -> previous record
    used: set[int] = set()  # indexes in previous
    current_text = [_normal(r.action) for r in current]
    previous_text = [_normal(r.action) for r in previous]

    # Exact matches by lookup, in row order, so large plans stay fast:
    # first under the same recommendation, then anywhere (a moved action).
    for by_ref in (True, False):
        waiting: dict[object, list[int]] = {}
        for j, then in enumerate(previous):
            if j not in used:
                waiting.setdefault(_key(then, previous_text[j], by_ref), []).append(j)
        for i, now in enumerate(current):
            queue = None if i in paired else waiting.get(_key(now, current_text[i], by_ref))
            if queue:
                j = queue.pop(0)
                paired[i] = previous[j]
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
            used.add(j)

    matches = [Match(now, paired.get(i)) for i, now in enumerate(current)]
    removed = [then for j, then in enumerate(previous) if j not in used]
    return matches, removed
