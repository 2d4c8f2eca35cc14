"""What a normal run tells the officer, and what it keeps (issue 13)."""

from __future__ import annotations

import datetime as dt
import json

from conftest import action

from wfs_reports.cli import main


def _run(workbook, out, *extra):
    return main([str(workbook), "--out", str(out), *extra])


def test_editing_the_workbook_without_moving_as_at_keeps_the_earlier_report(
        make_workbook, tmp_path, capsys):
    out = tmp_path / "out"
    first = make_workbook([action(text="First wording")], name="plan.xlsx")
    assert _run(first, out) == 0
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    old_sha = json.loads(earlier["WFS Action Plan Update - 2023-11-22.json"])["source"]["sha256"]
    capsys.readouterr()

    edited = make_workbook([action(text="Second wording")], name="plan.xlsx")
    assert _run(edited, out) == 0
    said = capsys.readouterr().out
    assert ("Replaced the 22 November 2023 report made from a different workbook; the earlier "
            f"files are in {out / 'superseded'} as 'WFS Action Plan Update - 2023-11-22 "
            f"({old_sha[:12]}).*'") in said
    kept = {p.name: p.read_bytes() for p in (out / "superseded").iterdir()}
    assert kept == {name.replace(" - 2023-11-22.", f" - 2023-11-22 ({old_sha[:12]}).", 1): data
                    for name, data in earlier.items()}
    snapshot = json.loads((out / "WFS Action Plan Update - 2023-11-22.json").read_bytes())
    assert snapshot["recommendations"][0]["actions"][0]["action"] == "Second wording"


def test_a_rerun_of_the_same_workbook_just_replaces_the_report(make_workbook, tmp_path, capsys):
    out = tmp_path / "out"
    workbook = make_workbook([action()])
    assert _run(workbook, out, "--format", "json") == 0
    assert _run(workbook, out, "--format", "json") == 0
    assert "Replaced the" not in capsys.readouterr().out
    assert not (out / "superseded").exists()


def test_a_superseded_report_is_not_what_the_next_run_compares_with(
        make_workbook, tmp_path, capsys):
    """The comparison is still with the newest report before this as-at date."""
    out = tmp_path / "out"
    september = make_workbook([action(status="In progress")], as_at=dt.date(2023, 9, 30))
    assert _run(september, out, "--format", "json") == 0
    for text in ("One", "Two"):
        assert _run(make_workbook([action(text=text)]), out, "--format", "json") == 0
    snapshot = json.loads((out / "WFS Action Plan Update - 2023-11-22.json").read_bytes())
    assert snapshot["changes"]["previous_as_at"] == "30 September 2023"
