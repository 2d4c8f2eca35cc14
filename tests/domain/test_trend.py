"""Matching actions across reports, and their direction of travel."""

from __future__ import annotations

from wfs_reports.domain.trend import Record, Slips, match_actions, slip_history


def rec(ref, row, text, rag="minor_issues", due=None):
    return Record(ref, row, text, rag, due)


def test_same_text_matches_even_when_rows_move():
    before = [rec(1, 2, "Build the data set"), rec(1, 3, "Hire a lead")]
    now = [rec(1, 2, "Hire a lead", "missed"), rec(1, 3, "build the data-set", "completed"),
           rec(2, 4, "A brand new action")]
    matches, removed = match_actions(now, before)
    assert [m.previous.row if m.previous else None for m in matches] == [3, 2, None]
    assert [m.trend for m in matches] == ["worse", "better", "new"]
    assert removed == []


def test_edited_wording_keeps_its_history_and_dropped_actions_are_removed():
    before = [rec(1, 2, "Develop a core data set and reporting template for discussion"),
              rec(1, 3, "Something dropped entirely")]
    now = [rec(1, 2, "Develop a core data set and a reporting template for Board discussion")]
    matches, removed = match_actions(now, before)
    assert matches[0].previous is before[0]
    assert matches[0].trend == "same"
    assert removed == [before[1]]


def test_an_action_moved_to_another_recommendation_is_matched():
    matches, removed = match_actions([rec(2, 9, "Shared action")], [rec(1, 2, "Shared action")])
    assert matches[0].previous is not None and removed == []


def test_a_later_due_date_is_a_slip():
    before = [rec(1, 2, "x", due="2024-03-31")]
    slipped, _ = match_actions([rec(1, 2, "x", due="2024-06-30")], before)
    kept, _ = match_actions([rec(1, 2, "x", due="2024-03-31")], before)
    assert slipped[0].slipped and not kept[0].slipped


def test_unrelated_text_under_the_same_recommendation_is_not_matched():
    matches, removed = match_actions([rec(1, 2, "Recruit international nurses")],
                                     [rec(1, 2, "Freeze council tax for key workers")])
    assert matches[0].trend == "new" and len(removed) == 1


def test_duplicates_whose_rows_swap_keep_their_own_due_dates():
    before = [rec(1, 2, "Run a drop-in", due="2024-06-30"),
              rec(1, 3, "Run a drop-in", due="2024-09-30")]
    now = [rec(1, 2, "Run a drop-in", due="2024-09-30"),
           rec(1, 3, "Run a drop-in", due="2024-06-30")]
    matches, removed = match_actions(now, before)
    assert [m.previous.row for m in matches] == [3, 2]
    assert not any(m.slipped for m in matches) and removed == []
    # With no date to tell them apart, they are paired in order.
    alike = [rec(1, 2, "Run a drop-in"), rec(1, 3, "Run a drop-in")]
    matches, _ = match_actions(list(reversed(alike)), alike)
    assert [m.previous.row for m in matches] == [2, 3]


def test_how_an_action_was_found_moved_reworded_or_the_same():
    before = [rec(1, 2, "Lend tablets to residents"), rec(2, 3, "Train twenty champions"),
              rec(2, 4, "Open the hub")]
    now = [rec(3, 2, "Lend tablets to residents"), rec(2, 3, "Train twenty-five champions"),
           rec(2, 4, "Open the hub")]
    matches, _ = match_actions(now, before)
    assert [m.kind for m in matches] == ["moved", "reworded", "same"]


def test_slips_are_counted_back_through_every_report():
    reports = [[rec(1, 2, "Wifi", due="2023-12-31"), rec(1, 3, "Hub", due="2024-03-31")],
               [rec(1, 2, "Wifi", due="2024-03-31"), rec(1, 3, "Hub", due="2024-03-31")],
               [rec(2, 7, "Wifi", due="2024-06-30"), rec(1, 3, "Hub", due="2024-03-31")]]
    now = [rec(2, 7, "Wifi", due="2024-09-30"), rec(1, 3, "Hub", due="2024-06-30"),
           rec(1, 4, "New", due="2025-03-31")]
    assert slip_history(reports, now) == [Slips(3, "2023-12-31"), Slips(1, "2024-03-31"),
                                          Slips(0, "2025-03-31")]
    # A date moved earlier is no slip, and is not counted.
    back = [[rec(1, 2, "Wifi", due="2024-06-30")]]
    assert slip_history(back, [rec(1, 2, "Wifi", due="2024-03-31")]) == [
        Slips(0, "2024-06-30")]
