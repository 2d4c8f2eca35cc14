"""The JSON snapshot's contract, both ways: the fields a report writes and
the earlier reports read back from the output folder (for the comparison and
Progress over time). A stable, documented interface (docs: the JSON snapshot).

Built from the same context as the Word and PDF documents. Add fields freely;
renaming or removing one is a breaking change and bumps SCHEMA_VERSION.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.model import Rag
from wfs_reports.domain.progress import COUNTED, ReportCounts
from wfs_reports.domain.trend import Record
from wfs_reports.report.compare import Previous
from wfs_reports.report.view import ChangeItem, ReportContext

SCHEMA_VERSION = 1


def snapshot(context: ReportContext) -> dict:
    summary = context.summary
    return {
        "schema_version": SCHEMA_VERSION,
        "title": context.title,
        "heading": context.heading,
        "summary_for_the_board": context.summary_for_the_board,
        "as_at": context.as_at_iso,
        "source": {"file": context.source_file, "sha256": context.source_sha256},
        "summary": {
            **{c.rag.key: c.count for c in summary.counts},
            "not_applicable": summary.not_applicable,
            "total": summary.total,
            "by_recommendation": [
                {
                    "ref": r.ref,
                    **{c.rag.key: c.count for c in r.counts},
                    "not_applicable": r.not_applicable,
                    "total": r.total,
                }
                for r in summary.per_recommendation
            ],
        },
        "exceptions": [
            {
                "kind": e.kind,
                "kinds": list(e.kinds),
                "ref": e.ref,
                "number": e.number,
                "row": e.row,
                "cell": e.cell,
                "action": e.action,
                "message": e.message,
            }
            for e in context.exceptions
        ],
        "changes": _changes(context),
        "progress": _progress(context),
        # The later reports already in the folder when this one was made: [] in order.
        "made_after": list(context.made_after),
        "recommendations": [
            {
                "ref": rec.ref,
                "text": rec.text,
                "comments_from_service": list(rec.comments_from_service),
                "actions": [
                    {
                        "number": a.number,
                        "row": a.row,
                        "action": a.action,
                        "owners": a.owners,
                        "completion_date": a.completion_date,
                        "due": [
                            {"stage": d.stage, "kind": d.kind, "date": d.date, "text": d.text}
                            for d in a.due
                        ],
                        "status": a.status,
                        "comments": a.comments,
                        "rag": a.rag.key,
                        "rag_label": a.rag.label,
                        "rag_source": a.rag_source,
                        "computed_comment": a.computed_comment,
                        "rag_previous": a.rag_previous.key if a.rag_previous else None,
                        "trend": a.trend,
                        "override": a.override,
                        "override_reason": a.override_reason,
                        "last_updated": a.last_updated,
                        "stages_complete": list(a.stages_complete),
                        "times_slipped": a.times_slipped,
                        "first_due": a.first_due,
                    }
                    for a in rec.actions
                ],
            }
            for rec in context.recommendations
        ],
    }


def _changes(context: ReportContext) -> dict | None:
    changes = context.changes
    if changes is None:
        return None

    def items(entries: tuple[ChangeItem, ...]) -> list[dict]:
        return [{"ref": e.ref, "number": e.number, "row": e.row, "action": e.action,
                 "detail": e.detail, "previous_ref": e.previous_ref,
                 "previous_row": e.previous_row, "previous_action": e.previous_action}
                for e in entries]

    return {
        "previous_as_at": changes.previous_as_at,
        "previous_file": changes.previous_file,
        "new": items(changes.new),
        "completed": items(changes.completed),
        "slipped": items(changes.slipped),
        "rag_changes": items(changes.rag_changes),
        "removed": items(changes.removed),
        "stages_completed": items(changes.stages_completed),
        "moved": items(changes.moved),
        "reworded": items(changes.reworded),
    }


def _progress(context: ReportContext) -> list[dict] | None:
    """"Progress over time": the counts at each report shown, oldest first."""
    if context.progress is None:
        return None
    return [
        {"as_at": point.as_at_iso, **{c.rag.key: c.count for c in point.counts},
         "total": point.total}
        for point in context.progress.points
    ]


# What a snapshot that parses as JSON but is not one of ours fails with: the
# functions below take parsed JSON of any shape (Any) and catch these.
_SHAPE_ERRORS = (ValueError, KeyError, TypeError, AttributeError)


def counts_from(snapshot: Any, file_name: str) -> tuple[str, ReportCounts]:
    """(title, RAG counts) of a parsed earlier snapshot, for "Progress over time".
    Raises ValueError if it is not one of ours."""
    try:
        summary = snapshot["summary"]
        counts = {rag.value: int(summary[rag.value]) for rag in COUNTED}
        if any(count < 0 for count in counts.values()):
            raise ValueError("negative count")
        made_after = tuple(dt.date.fromisoformat(d) for d in snapshot.get("made_after") or ())
        return str(snapshot["title"]), ReportCounts(
            dt.date.fromisoformat(snapshot["as_at"]), counts, file_name, made_after)
    except _SHAPE_ERRORS:
        raise ValueError("this is not a .json snapshot written by make-report") from None


def previous_from(snapshot: Any, file_name: str) -> Previous:
    """A parsed earlier snapshot, for comparison. Raises ValueError if it is not one of ours."""
    try:
        records = tuple(
            Record(
                ref=int(rec["ref"]),
                row=int(action["row"]),
                action=str(action["action"]),
                rag=Rag(action["rag"]).value,  # a RAG key we know, or not a snapshot
                final_due=max((d["date"] for d in action["due"] if d.get("date")),
                              default=None),
                # Written since the snapshot gained them; None (not known) before.
                override=_override(action.get("override")),
                reason=_text_or_none(action.get("override_reason")),
                stages_complete=_numbers_or_none(action.get("stages_complete")),
            )
            for rec in snapshot["recommendations"]
            for action in rec["actions"]
        )
        return Previous(dt.date.fromisoformat(snapshot["as_at"]), file_name, records)
    except _SHAPE_ERRORS:
        raise ValueError("this is not a .json snapshot written by make-report") from None


def _override(value: object) -> str | None:
    return None if value is None else Rag(str(value)).value


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _numbers_or_none(value: Any) -> frozenset[int] | None:
    if value is None:
        return None
    return frozenset(int(n) for n in value)


def read_snapshot(data: bytes, file_name: str) -> Previous:
    """An earlier snapshot's file, for comparison. Raises ValueError saying what
    the file is if it is not one of ours."""
    try:
        return previous_from(json.loads(data.decode("utf-8")), file_name)
    except (ValueError, UnicodeDecodeError, RecursionError):  # nested too deep: not ours
        raise ValueError(_not_a_snapshot(data, file_name)) from None


def _not_a_snapshot(data: bytes, file_name: str) -> str:
    """What the file is instead, in words an officer knows."""
    if data[:4] == b"%PDF":
        return "this is a PDF, not the .json snapshot a report run writes beside it"
    if data[:2] == b"PK":
        return ("this is a Word or Excel file, not the .json snapshot a report run writes "
                "beside it")
    return "this is not a .json snapshot written by make-report"


def render_json(context: ReportContext) -> bytes:
    text = json.dumps(snapshot(context), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def load_previous(path: Path) -> Previous:
    """The snapshot named with --previous."""
    try:
        return read_snapshot(Path(path).read_bytes(), Path(path).name)
    except OSError as error:
        raise ReportError(f"{path}: cannot read the previous snapshot ({error.strerror}); "
                          "check the path given to --previous") from None
    except ValueError as error:
        raise ReportError(f"{path}: {error}; give the .json file of an earlier "
                          "report to --previous") from None


@dataclass(frozen=True)
class EarlierReports:
    """What the output folder's snapshots of this plan give the report."""

    newest: Previous | None  # the newest before this as-at date, to compare with
    counts: list[ReportCounts]  # every one's RAG counts, for "Progress over time"
    # The titles of the folder's snapshots of other plans, newest report first.
    other_titles: tuple[str, ...] = ()
    # Every one before this as-at date, oldest first, one per date.
    reports: tuple[Previous, ...] = ()

    def later_than(self, as_at: dt.date) -> list[dt.date]:
        """The as-at dates of this plan's reports already made after ``as_at``."""
        return sorted({report.as_at for report in self.counts if report.as_at > as_at})

    def with_history(self, previous: Previous) -> Previous:
        """``previous`` with the plan's reports before it, for repeated slips."""
        return replace(previous, earlier=tuple(
            report.records for report in self.reports if report.as_at < previous.as_at))


def earlier_reports(out: Path, title: str, as_at: dt.date) -> EarlierReports:
    """Read each snapshot directly in ``out`` (not its subfolders) once, and keep
    those of the plan titled ``title``; other files are ignored. The newest
    comes with the reports before it (``Previous.earlier``)."""
    counts: list[ReportCounts] = []
    others: list[tuple[dt.date, str]] = []
    by_date: dict[dt.date, Previous | None] = {}  # None: not readable for comparison
    for candidate in sorted(out.glob("*.json")) if out.is_dir() else ():
        try:
            snapshot = json.loads(candidate.read_bytes().decode("utf-8"))
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            continue  # not one of our snapshots: ignore it
        try:
            snapshot_title, report = counts_from(snapshot, candidate.name)
        except ValueError:
            pass
        else:
            if snapshot_title == title:
                counts.append(report)
            else:
                others.append((report.as_at, snapshot_title))
        try:
            when = dt.date.fromisoformat(snapshot["as_at"])
            same_plan = snapshot.get("title") == title
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
        if same_plan and when < as_at and when not in by_date:
            try:  # the first by file name stands for its date
                by_date[when] = previous_from(snapshot, candidate.name)
            except ValueError:
                by_date[when] = None
    reports = tuple(r for when in sorted(by_date) if (r := by_date[when]) is not None)
    other_titles = tuple(dict.fromkeys(t for _when, t in sorted(others, reverse=True)))
    found = EarlierReports(None, counts, other_titles, reports)
    last = by_date[max(by_date)] if by_date else None
    return replace(found, newest=found.with_history(last) if last is not None else None)
