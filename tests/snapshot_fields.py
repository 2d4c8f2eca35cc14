"""The JSON snapshot's fields, pinned: the JSON is an interface other systems read.

Each entry is a place in the snapshot ("" is the top; "[]" is every item of a
list) and its keys in order. tests/report/test_json_snapshot.py checks a real
snapshot has exactly these; tests/test_docs.py checks docs/json-snapshot.md
describes each. Adding a field means adding it here and to that page; renaming
or removing one also bumps SCHEMA_VERSION (wfs_reports/report/snapshot.py).
"""

from __future__ import annotations

SCHEMA_VERSION = 1

CHANGE_ITEM = ["ref", "number", "row", "action", "detail", "previous_ref", "previous_row",
               "previous_action"]

SNAPSHOT_FIELDS: dict[str, list[str]] = {
    "": ["schema_version", "title", "heading", "summary_for_the_board", "as_at", "source",
         "summary", "exceptions", "changes", "progress", "made_after", "recommendations"],
    "source": ["file", "sha256"],
    "summary": ["completed", "minor_issues", "missed", "not_applicable", "total",
                "by_recommendation"],
    "summary.by_recommendation[]": ["ref", "completed", "minor_issues", "missed",
                                    "not_applicable", "total"],
    "exceptions[]": ["kind", "kinds", "ref", "number", "row", "cell", "action", "message"],
    "changes": ["previous_as_at", "previous_file", "new", "completed", "slipped",
                "rag_changes", "removed", "stages_completed", "moved", "reworded"],
    "changes.new[]": CHANGE_ITEM,
    "changes.completed[]": CHANGE_ITEM,
    "changes.slipped[]": CHANGE_ITEM,
    "changes.rag_changes[]": CHANGE_ITEM,
    "changes.removed[]": CHANGE_ITEM,
    "changes.stages_completed[]": CHANGE_ITEM,
    "changes.moved[]": CHANGE_ITEM,
    "changes.reworded[]": CHANGE_ITEM,
    "progress[]": ["as_at", "completed", "minor_issues", "missed", "total"],
    "recommendations[]": ["ref", "text", "comments_from_service", "actions"],
    "recommendations[].actions[]": ["number", "row", "action", "owners", "completion_date", "due",
                                    "status", "comments", "rag", "rag_label", "rag_source",
                                    "computed_comment", "rag_previous", "trend", "override",
                                    "override_reason", "last_updated", "stages_complete",
                                    "times_slipped", "first_due"],
    "recommendations[].actions[].due[]": ["stage", "kind", "date", "text"],
}


def field_names() -> set[str]:
    """Every key, at any level."""
    return {key for keys in SNAPSHOT_FIELDS.values() for key in keys}
