"""What the import gives: the drafts the reader fills, its warnings, and the plan.

The reader collects recommendations and actions as drafts (plain text, as
read); ``build_plan`` turns them into a ``model.Plan`` with rows as the new
workbook will hold them, cutting any text longer than an Excel cell holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from wfs_reports.domain.model import Action, Plan, Rag, Recommendation, ReportSettings, Status
from wfs_reports.domain.problems import Kind, Problem, Severity
from wfs_reports.domain.text import excerpt, plural
from wfs_reports.word_import.file import WordImportError
from wfs_reports.word_import.vocabulary import FROM_THE_WORD_REPORT

# The most text one Excel cell can hold.
EXCEL_CELL_LIMIT = 32_767


@dataclass
class ActionDraft:
    """One action as read, before it becomes a ``model.Action``."""

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
class RecommendationDraft:
    ref: int
    text: list[str] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)


class Warnings(list[Problem]):
    """The import's warnings, each naming where it is ("table 2, row 7")."""

    def warn(self, kind: Kind, where: str, message: str) -> None:
        self.append(Problem(kind, Severity.WARNING, message, sheet=where))

    def not_placed(self, where: str, text: str, why: str) -> None:
        self.warn(Kind.WORD_NOT_PLACED, where, f"{why}: '{excerpt(text, 70)}' was not imported; "
                  "add it to the workbook by hand if it belongs in the plan")


@dataclass(frozen=True)
class WordImport:
    """What was read: the plan, what could not be placed, and the RAG cells seen."""

    plan: Plan
    problems: tuple[Problem, ...]
    coloured: dict[Rag, int]  # actions whose Status came from their RAG cell, by RAG
    red_overrides: int = 0  # red RAG cells kept as a RAG Override

    @property
    def not_applicable(self) -> int:
        return sum(1 for a in self.plan.actions if a.status is Status.NOT_APPLICABLE)

    def summary(self) -> str:
        """'Read 9 recommendations and 14 actions; 3 RAG colours (1 completed, 2 in progress)'."""
        plan = self.plan
        completed = self.coloured.get(Rag.COMPLETED, 0)
        in_progress = sum(n for rag, n in self.coloured.items() if rag is not Rag.COMPLETED)
        colours = completed + in_progress
        line = (f"Read {plural(len(plan.recommendations), 'recommendation')} and "
                f"{plural(len(plan.actions), 'action')}")
        if self.not_applicable:
            line += f" ({self.not_applicable} not applicable)"
        line += (f"; {plural(colours, 'RAG colour')} ({completed} completed, "
                 f"{in_progress} in progress")
        if self.red_overrides:
            line += f", {self.red_overrides} red kept as a RAG Override"
        line += ")"
        if self.problems:
            line += f"; {plural(len(self.problems), 'warning')} above"
        return line


def build_plan(file_name: str, settings: dict[str, Any],
               recs: dict[int, RecommendationDraft], actions: list[ActionDraft],
               action_tables: int, warnings: Warnings) -> WordImport:
    """The plan the drafts make; one line naming what is missing if they make none."""
    if not action_tables and not actions:
        raise WordImportError(
            f"{file_name}: no action table found (a table whose first row is Action "
            "| Owner(s) | Completion Date | Comments | RAG Status); is this the action-plan "
            "report?")
    if not recs:
        raise WordImportError(
            f"{file_name}: no 'Recommendation 1', 'Recommendation 2' ... headings "
            "found, so the actions cannot be placed; add the headings in Word and run "
            "again")

    def fit(text: str, what: str, where: object) -> str:
        if len(text) <= EXCEL_CELL_LIMIT:
            return text
        place = where if isinstance(where, str) else f"Recommendation {where}"
        warnings.warn(Kind.CHARACTER_DROPPED, place, f"the {what} text is {len(text):,} "
                      f"characters, more than an Excel cell holds; only the first "
                      f"{EXCEL_CELL_LIMIT:,} were kept")
        return text[:EXCEL_CELL_LIMIT]

    recommendations = []
    by_ref: dict[int, Recommendation] = {}
    for rec in recs.values():
        text = "\n\n".join(rec.text)
        if not text:
            warnings.warn(Kind.WORD_NOT_PLACED, f"Recommendation {rec.ref}",
                          "has no text in the Word file; type it on the Recommendations sheet")
        recommendation = Recommendation(rec.ref, fit(text, "Recommendation", rec.ref),
                                        fit("\n\n".join(rec.narrative),
                                            "Comments from Service", rec.ref))
        recommendations.append(recommendation)
        by_ref[rec.ref] = recommendation
    coloured: dict[Rag, int] = {}
    for item in actions:
        if item.coloured is not None and item.status is not Status.NOT_APPLICABLE:
            coloured[item.coloured] = coloured.get(item.coloured, 0) + 1
        by_ref[item.ref].actions.append(Action(
            row=0, ref=item.ref,
            action=fit(item.action, "Action", item.where),
            owners=fit(item.owners, "Owner(s)", item.where),
            completion_date=fit(item.completion_date, "Completion Date", item.where),
            status=item.status, status_text=item.status_text,
            comments=fit(item.comments, "Comments", item.where),
            rag_override_text=item.rag_override, override_reason=item.override_reason,
            last_updated=item.last_updated,
        ))
    if not any(r.actions for r in recommendations):
        raise WordImportError(
            f"{file_name}: no actions could be read from the action tables; check "
            "that each table starts with Action | Owner(s) | Completion Date | Comments "
            "| RAG Status")
    # Rows as the workbook will hold them: grouped by recommendation, in order.
    for row, action in enumerate((a for r in recommendations for a in r.actions), start=2):
        action.row = row
    report_settings = ReportSettings(**{k: v for k, v in settings.items()
                                        if k in ReportSettings.__dataclass_fields__})
    plan = Plan(report_settings, recommendations)
    red_overrides = sum(1 for item in actions if item.coloured is Rag.MISSED
                        and item.override_reason == FROM_THE_WORD_REPORT)
    return WordImport(plan, tuple(warnings), coloured, red_overrides)
