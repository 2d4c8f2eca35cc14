"""Assess a plan as at a date: each action's due stages and RAG, and which date
the report is for. Pure: the rules come in as an argument."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wfs_reports.domain.dates import parse_completion_date
from wfs_reports.domain.model import Action, Plan, Stage
from wfs_reports.domain.rules import Assessment, RulesConfig, assess


@dataclass(frozen=True)
class AssessedAction:
    """An action with its due stages and the rules' assessment."""

    action: Action
    stages: tuple[Stage, ...]
    assessment: Assessment


def choose_as_at(given: dt.date | None, plan: Plan, today: dt.date | None
                 ) -> tuple[dt.date, str]:
    """The report's date and where it came from, for the console."""
    if given is not None:
        return given, "from --as-at"
    if plan.settings.as_at is not None:
        return plan.settings.as_at, f"from {plan.settings.as_at_cell or 'the Report sheet'}"
    return today or dt.date.today(), "today's date: the workbook gives no 'As at'"


def assess_plan(plan: Plan, as_at: dt.date, rules: RulesConfig) -> dict[int, list[AssessedAction]]:
    assessed: dict[int, list[AssessedAction]] = {}
    for rec in plan.recommendations:
        for action in rec.actions:
            stages = parse_completion_date(action.completion_date_value or action.completion_date)
            assessed.setdefault(rec.ref, []).append(
                AssessedAction(action, stages, assess(action, stages, as_at, rules))
            )
    return assessed
