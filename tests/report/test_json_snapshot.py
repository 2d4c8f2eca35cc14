"""The JSON snapshot's shape, pinned (tests/snapshot_fields.py): every field at every level."""

from __future__ import annotations

import json

import pytest
from factories import action, write_workbook
from snapshot_fields import SCHEMA_VERSION, SNAPSHOT_FIELDS

from wfs_reports.cli import main

KEPT = "Publish the recruitment and retention strategy"
MOVED = "Launch the health and care careers portal"
UNDATED = "Agree the rotational posts with the providers"
STAGED = "Stage 1: map the vacancies; Stage 2: fill them"
STAGES = "Stage 1: Q4 2023-24 Stage 2: Q4 2024-25"
ELSEWHERE = "Share the retention toolkit with the care homes"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> dict:
    """A second report with every part filled in: an exception, a history and a
    change of every kind (new, completed, slipped, RAG change, removed, stage
    completed, moved, reworded)."""
    folder = tmp_path_factory.mktemp("snapshot")
    first = write_workbook(folder / "november.xlsx", [
        action(1, KEPT, due="Q4 2023-24"),
        action(1, MOVED, due="31/03/2024"),
        action(2, UNDATED, due="TBC"),
        action(2, "Pilot a shared bank of staff", due="Q4 2024-25"),
        action(1, STAGED, due=STAGES),
        action(1, ELSEWHERE, due="Q4 2024-25"),
        action(2, "Set up the staff wellbeing hub for the district nurses", due="Q4 2024-25"),
    ])
    second = write_workbook(folder / "january.xlsx", [
        action(1, KEPT, due="Q4 2023-24", status="Completed"),
        action(1, MOVED, due="30/06/2024"),
        action(2, UNDATED, due="TBC"),
        action(2, "Run a careers fair with the colleges", due="Q4 2024-25"),
        action(1, STAGED, due=STAGES, status="Stage 1 complete"),
        action(2, ELSEWHERE, due="Q4 2024-25"),
        action(2, "Set up the staff wellbeing hub for all the district nurses",
               due="Q4 2024-25"),
    ])
    out = folder / "out"
    assert main([str(first), "--out", str(out), "--as-at", "2023-11-22", "--format", "json",
                 "--quiet"]) == 0
    assert main([str(second), "--out", str(out), "--as-at", "2024-01-31", "--format", "json",
                 "--quiet"]) == 0
    return json.loads((out / "WFS Action Plan Update - 2024-01-31.json")
                      .read_text(encoding="utf-8"))


def shape(value, place: str = "", found: dict | None = None) -> dict[str, list[str]]:
    """{place: its keys} for every object in ``value``; the items of a list must agree."""
    found = {} if found is None else found
    if isinstance(value, dict):
        keys = list(value)
        assert found.setdefault(place, keys) == keys, f"{place}: items with other keys"
        for key, item in value.items():
            shape(item, f"{place}.{key}" if place else key, found)
    elif isinstance(value, list):
        for item in value:
            shape(item, f"{place}[]", found)
    return found


def test_every_part_of_the_snapshot_is_filled_in(snapshot):
    # Otherwise the shape below would miss the fields of an empty list or a null.
    assert snapshot["exceptions"] and snapshot["progress"]
    assert all(snapshot["changes"][name] for name in
               ("new", "completed", "slipped", "rag_changes", "removed", "stages_completed",
                "moved", "reworded"))


def test_the_snapshot_has_exactly_the_pinned_fields_at_every_level(snapshot):
    assert shape(snapshot) == SNAPSHOT_FIELDS


def test_schema_version_is_pinned(snapshot):
    assert snapshot["schema_version"] == SCHEMA_VERSION == 1


def test_the_field_values_have_the_documented_types(snapshot):
    assert snapshot["as_at"] == "2024-01-31"
    assert len(snapshot["source"]["sha256"]) == 64
    assert snapshot["source"]["file"] == "january.xlsx"
    (exception,) = snapshot["exceptions"]
    assert (exception["kind"], exception["kinds"], exception["cell"]) == (
        "date_tbc", ["date_tbc"], "Actions!D4")
    assert [p["as_at"] for p in snapshot["progress"]] == ["2023-11-22", "2024-01-31"]
    kept = snapshot["recommendations"][0]["actions"][0]
    assert (kept["rag"], kept["rag_previous"], kept["trend"], kept["rag_source"]) == (
        "completed", "minor_issues", "better", "computed")
    assert kept["due"] == [{"stage": None, "kind": "date", "date": "2024-03-31",
                            "text": "Q4 2023-24"}]
    assert snapshot["changes"]["removed"][0]["row"] is None  # no longer in the workbook
