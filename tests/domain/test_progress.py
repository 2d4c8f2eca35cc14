"""Progress over time: which earlier reports' numbers the history shows."""

from __future__ import annotations

import datetime as dt

from wfs_reports.domain.progress import LIMIT, ReportCounts, history


def counts(when: str, completed=0, minor=0, missed=0, source="") -> ReportCounts:
    return ReportCounts(dt.date.fromisoformat(when),
                        {"completed": completed, "minor_issues": minor, "missed": missed},
                        source)


def test_no_earlier_report_means_no_history():
    now = counts("2024-04-15")
    assert history([], now) == ()
    # A snapshot of this report's own date (a rerun) or a later one is not earlier.
    assert history([counts("2024-04-15", 1), counts("2024-06-30", 2)], now) == ()


def test_history_is_oldest_first_and_ends_with_this_report():
    now = counts("2024-04-15")
    earlier = [counts("2023-11-22", 1), counts("2023-06-30", 2), counts("2025-01-01", 3)]
    shown = history(earlier, now)
    assert [r.as_at.isoformat() for r in shown] == ["2023-06-30", "2023-11-22", "2024-04-15"]
    assert shown[-1] is now


def test_at_most_eight_reports_the_newest_earlier_ones():
    now = counts("2025-01-01")
    earlier = [counts(f"2023-{month:02d}-01", month) for month in range(1, 13)]
    shown = history(earlier, now)
    assert len(shown) == LIMIT == 8
    assert [r.as_at.month for r in shown[:-1]] == list(range(6, 13))


def test_one_report_per_date_the_first_by_file_name():
    now = counts("2024-04-15")
    shown = history([counts("2023-11-22", 5, source="b.json"),
                     counts("2023-11-22", 7, source="a.json")], now)
    assert [r.source for r in shown] == ["a.json", ""]
    assert shown[0].total == 7
