"""make-report --next-quarter WORKBOOK: the workbook for the next report, as a new copy.

One line per stage: read the workbook (to find its cells: headers in any
order, with any of the contract's spellings), work out the new dates, list
the overrides to clear, change those cells in a copy of the workbook's bytes
(workbook.patch: every other part kept as it was), write the copy beside the
workbook under a new name. The workbook itself is only read.

- As at moves to the next quarter end after the current As at (or today,
  when it is blank), or to ``as_at``.
- Meeting date is ``meeting_date``, or blank, with a warning to fill it in.
- Every RAG Override and Override Reason is cleared, and each listed: an
  override is one report's judgement, never carried silently into the next.
- Last Updated, and everything else, stays as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from wfs_reports.config import load_templates
from wfs_reports.domain.checks import meeting_date_problems
from wfs_reports.domain.dates import financial_quarter, format_date, next_quarter_end
from wfs_reports.domain.errors import OutputError, WorkbookError
from wfs_reports.domain.model import Action, Plan
from wfs_reports.domain.problems import Kind, Problem, Severity, split_where
from wfs_reports.domain.text import plural
from wfs_reports.output.writer import write_new_file
from wfs_reports.workbook.contract import ACTION_COLUMNS, REPORT_SETTINGS
from wfs_reports.workbook.patch import CellValue, patch_cells
from wfs_reports.workbook.reader import read_workbook
from wfs_reports.workbook.source import load_source

# Beside '<name>.xlsx': '<name> (next quarter).xlsx', then '(next quarter 2)'...
SUFFIX = "next quarter"
MAX_COPIES = 20


@dataclass
class NextQuarter:
    """What --next-quarter did, for the console."""

    written: Path
    as_at: dt.date
    previous_as_at: dt.date | None
    meeting_date: dt.date | None
    cleared: list[str] = field(default_factory=list)  # one line per override cleared
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """The run's last line: what it wrote."""
        meeting = (f"meeting date {format_date(self.meeting_date)}" if self.meeting_date
                   else "meeting date blank")
        overrides = (f"{plural(len(self.cleared), 'override')} cleared" if self.cleared
                     else "no overrides to clear")
        was = f"; was {format_date(self.previous_as_at)}" if self.previous_as_at else ""
        return (f"Wrote {self.written}: as at {format_date(self.as_at)} "
                f"({financial_quarter(self.as_at)}{was}), {meeting}, {overrides}; the "
                "original workbook is unchanged.")


def next_quarter(
    workbook: Path,
    *,
    as_at: dt.date | None = None,
    meeting_date: dt.date | None = None,
    templates_folder: Path | None = None,
    today: dt.date | None = None,
) -> NextQuarter:
    source = load_source(Path(workbook))
    rules = load_templates(templates_folder).rules
    plan = read_workbook(source.data, source.name, rules.labels())
    previous = plan.settings.as_at
    new_as_at = as_at or next_quarter_end(previous or today or dt.date.today())
    edits: dict[tuple[str, str], CellValue] = {}
    warnings = [*source.warnings, *_move_as_at(plan, source.name, new_as_at, edits)]
    warnings += _set_meeting_date(plan, source.name, meeting_date, new_as_at, edits)
    cleared = _clear_overrides(plan, edits)
    written = _write_copy(_names(source.path), patch_cells(source.data, edits, source.name))
    return NextQuarter(written, new_as_at, previous, meeting_date, cleared, warnings)


def _move_as_at(plan: Plan, file_name: str, new_as_at: dt.date,
                edits: dict[tuple[str, str], CellValue]) -> list[Problem]:
    """Set As at to ``new_as_at``; a warning if that is not after the current one."""
    previous = plan.settings.as_at
    edits[_setting_cell(plan, "as_at", file_name)] = new_as_at
    if previous is not None and new_as_at <= previous:
        return [_setting_problem(
            plan, "as_at", f"the new As at, {format_date(new_as_at)}, is not after the "
            f"current one, {format_date(previous)}; check --as-at")]
    return []


def _set_meeting_date(plan: Plan, file_name: str, meeting_date: dt.date | None,
                      new_as_at: dt.date, edits: dict[tuple[str, str], CellValue]
                      ) -> list[Problem]:
    """Set the Meeting date to ``meeting_date`` (blank when None): the warnings to say."""
    settings = plan.settings
    if "meeting_date" in settings.cells:
        edits[_setting_cell(plan, "meeting_date", file_name)] = meeting_date
    elif meeting_date is not None:
        _setting_cell(plan, "meeting_date", file_name)  # refuses: nowhere to write it
    if meeting_date is None and "meeting_date" in settings.cells:
        return [_setting_problem(
            plan, "meeting_date", "the Meeting date is left blank; type the date of the "
            "meeting this report goes to (or give --meeting-date)")]
    if meeting_date is None:
        return [_setting_problem(
            plan, "meeting_date", "the Report sheet has no 'Meeting date' row; add one "
            "with the date of the meeting this report goes to")]
    return meeting_date_problems(replace(settings, meeting_date=meeting_date), new_as_at)


def _clear_overrides(plan: Plan, edits: dict[tuple[str, str], CellValue]) -> list[str]:
    """Clear every action's override (see _clear_override): a line each."""
    cleared: list[str] = []
    for recommendation in plan.recommendations:
        for action in recommendation.actions:
            cleared += _clear_override(action, edits)
    return cleared


def _write_copy(names: list[Path], data: bytes) -> Path:
    """The copy under the first free name; nothing is ever written over."""
    try:
        return write_new_file(names, data)
    except FileExistsError:
        raise OutputError(f"{names[-1]}: this file and {len(names) - 1} like it already exist; "
                          "move or delete the ones you no longer need and run again") from None
    except OSError as error:
        raise OutputError(f"{names[0].parent}: cannot write there ({error.strerror or error}); "
                          "nothing was written. Check you may write to the folder") from None


def _names(path: Path) -> list[Path]:
    stem = path.stem
    return [path.with_name(f"{stem} ({SUFFIX}{'' if n == 1 else f' {n}'}).xlsx")
            for n in range(1, MAX_COPIES + 1)]


def _setting_cell(plan: Plan, field_name: str, file_name: str) -> tuple[str, str]:
    """(sheet, cell) of a Report setting's value; WorkbookError if it has no row."""
    where = plan.settings.cells.get(field_name, "")
    sheet, cell = split_where(where)
    if not cell:
        name = REPORT_SETTINGS[field_name].name
        raise WorkbookError(file_name, [Problem(
            Kind.SETTING_MISSING, Severity.ERROR,
            f"the Report sheet has no '{name}' row, so the next quarter's {name} has "
            f"nowhere to go; add a row '{name}' under the Setting column and run again")])
    return sheet, cell


def _setting_problem(plan: Plan, field_name: str, message: str) -> Problem:
    """A warning at the setting's cell, else on the sheet the settings were read from."""
    where = plan.settings.cells.get(field_name) or next(
        (f"{c.partition('!')[0]}!" for c in plan.settings.cells.values()), "")
    sheet, cell = split_where(where)
    return Problem(Kind.SETTING_MISSING, Severity.WARNING, message, sheet, cell)


def _clear_override(action: Action, edits: dict[tuple[str, str], CellValue]) -> list[str]:
    """Clear the action's RAG Override and Override Reason cells: a line saying so."""
    override, reason = action.rag_override_text, action.override_reason
    if not override and not reason:
        return []
    for field_name in ("rag_override", "override_reason"):
        where = action.cells.get(field_name, "")
        if where:
            sheet, cell = split_where(where)
            edits[(sheet, cell)] = None
    reason_header = ACTION_COLUMNS["override_reason"].header
    if override:
        said = f"reason: {_quoted(reason)}" if reason else f"no {reason_header}"
        return [f"{action.cells['rag_override']}: override {_quoted(override)} cleared "
                f"({said})"]
    return [f"{action.cells['override_reason']}: {reason_header} {_quoted(reason)} cleared "
            "(no override)"]


def _quoted(text: str, limit: int = 80) -> str:
    """A cell's text on one console line."""
    flat = " ".join(text.split())
    return f"'{flat if len(flat) <= limit else flat[:limit - 3] + '...'}'"
