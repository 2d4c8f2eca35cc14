"""RAG rules 1-9 of the SPEC, each rule and each boundary."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from wfs_reports.domain.model import Action, DueKind, Rag, Stage, Status
from wfs_reports.domain.rules import RulesConfig, assess, rag_note

AS_AT = dt.date(2023, 11, 22)
# The rules file as parsed (the bundled rules.toml's values; no file is read here).
RULES = {
    "at_risk_days": 28,
    "stale_days": 90,
    "rag": {
        "completed": {"label": "Completed Action", "fill": "#00703c", "text": "#ffffff",
                      "mark": "●"},
        "minor_issues": {"label": "On target but with minor issues", "fill": "#ffdd00",
                         "text": "#0b0c0c", "mark": "▲"},
        "missed": {"label": "Missed target requires action", "fill": "#d4351c",
                   "text": "#ffffff", "mark": "■"},
        "not_applicable": {"label": "Not applicable", "fill": "", "text": "#0b0c0c",
                           "mark": "–"},
    },
}
CONFIG = RulesConfig.from_mapping(RULES)


def due(days_from_as_at: int, text: str = "", label: str | None = None) -> Stage:
    date = AS_AT + dt.timedelta(days=days_from_as_at)
    return Stage(label, DueKind.DATE, date, text)


def kind(kind: DueKind, text: str = "", label: str | None = None) -> Stage:
    return Stage(label, kind, None, text)


def make(status=Status.IN_PROGRESS, **fields) -> Action:
    return Action(row=5, ref=1, action="Do it", status=status, **fields)


def assess_with(stages, action=None):
    return assess(action or make(), tuple(stages), AS_AT, CONFIG)


@pytest.mark.parametrize(
    ("status", "stages", "expected"),
    [
        (Status.NOT_APPLICABLE, [due(-100)], Rag.NOT_APPLICABLE),
        (Status.COMPLETED, [due(-100)], Rag.COMPLETED),
        (Status.COMPLETED, [kind(DueKind.TBC)], Rag.COMPLETED),
        (Status.IN_PROGRESS, [due(0)], Rag.MINOR_ISSUES),  # due today: still on target
        (Status.IN_PROGRESS, [due(-1)], Rag.MISSED),  # the day after: missed
        (Status.BLANK, [due(-1)], Rag.MISSED),
        (Status.NOT_STARTED, [due(365)], Rag.MINOR_ISSUES),
        (Status.IN_PROGRESS, [kind(DueKind.TBC)], Rag.MINOR_ISSUES),
        (Status.IN_PROGRESS, [kind(DueKind.UNRECOGNISED, "soonish")], Rag.MINOR_ISSUES),
        (Status.IN_PROGRESS, [kind(DueKind.AMBIGUOUS, "Q2 2024")], Rag.MINOR_ISSUES),
        (Status.IN_PROGRESS, [kind(DueKind.ONGOING, "Ongoing")], Rag.MINOR_ISSUES),
    ],
)
def test_each_rule_gives_its_rag(status, stages, expected):
    assert assess_with(stages, make(status)).rag is expected


def test_missed_says_how_many_days_overdue_with_the_officers_wording():
    assessment = assess_with([due(-236, "Q4 2023-24")])
    assert assessment.rag is Rag.MISSED
    due_date = AS_AT - dt.timedelta(days=236)
    expected_due = f"{due_date.day} {due_date:%B %Y}"
    assert assessment.comment == (
        f"Due {expected_due} (Q4 2023-24) passed, 236 days overdue as at 22 November 2023."
    )
    assert [f.kind for f in assessment.findings] == ["missed"]


def test_the_first_stage_not_marked_complete_governs():
    stages = [due(-10, "Q3 2023-24", "Stage 1"), kind(DueKind.TBC, "TBC", "Stage 2")]
    open_stage_one = assess_with(stages)
    assert open_stage_one.rag is Rag.MISSED
    assert open_stage_one.comment.startswith("Stage 1 due ")
    assert open_stage_one.comment.endswith("10 days overdue as at 22 November 2023; "
                                           "Stage 2 date TBC.")
    done_stage_one = assess_with(stages, make(stages_complete=frozenset({1})))
    assert done_stage_one.rag is Rag.MINOR_ISSUES
    assert [f.kind for f in done_stage_one.findings] == ["date_tbc"]


@pytest.mark.parametrize(
    ("days", "status", "at_risk"),
    [
        (28, Status.NOT_STARTED, True),
        (29, Status.NOT_STARTED, False),
        (0, Status.NOT_STARTED, True),
        (28, Status.IN_PROGRESS, False),
    ],
)
def test_not_started_and_due_within_the_window_is_at_risk(days, status, at_risk):
    assessment = assess_with([due(days)], make(status))
    assert assessment.rag is Rag.MINOR_ISSUES
    assert assessment.comment.startswith("At risk") is at_risk
    if not at_risk:
        assert assessment.comment.startswith("On target, due ")


@pytest.mark.parametrize(("age", "stale"), [(90, False), (91, True)])
def test_stale_updates_are_noted_after_the_threshold(age, stale):
    updated = AS_AT - dt.timedelta(days=age)
    assessment = assess_with([due(50)], make(last_updated=updated))
    assert ("stale" in [f.kind for f in assessment.findings]) is stale
    assert ("No update since" in assessment.comment) is stale


@pytest.mark.parametrize(
    ("override", "reason", "stages", "rag", "source", "refused"),
    [
        # More severe than computed: always accepted.
        (Rag.MISSED, "", [due(30)], Rag.MISSED, "override", False),
        # More lenient with a reason: accepted.
        (Rag.COMPLETED, "Signed off at Board", [due(-5)], Rag.COMPLETED, "override", False),
        # More lenient without a reason: refused and listed.
        (Rag.COMPLETED, "", [due(-5)], Rag.MISSED, "computed", True),
        (Rag.MINOR_ISSUES, "", [due(-5)], Rag.MISSED, "computed", True),
        # Same as computed: stands.
        (Rag.MINOR_ISSUES, "", [due(30)], Rag.MINOR_ISSUES, "override", False),
    ],
)
def test_overrides(override, reason, stages, rag, source, refused):
    assessment = assess_with(stages, make(rag_override=override, override_reason=reason))
    assert (assessment.rag, assessment.rag_source) == (rag, source)
    assert ("override_refused" in [f.kind for f in assessment.findings]) is refused
    # Either way the comment says what the system computed.
    assert CONFIG.label(assessment.computed_rag) in assessment.comment


def test_an_override_to_missed_is_listed_as_an_exception():
    assessment = assess_with([due(30)], make(rag_override=Rag.MISSED, override_reason="Slipped"))
    assert "missed" in [f.kind for f in assessment.findings]


def test_a_reasoned_override_out_of_missed_is_not_listed_as_missed():
    assessment = assess_with([due(-5)],
                             make(rag_override=Rag.COMPLETED, override_reason="Signed off"))
    assert assessment.rag is Rag.COMPLETED
    assert "missed" not in [f.kind for f in assessment.findings]
    assert "The system computed 'Missed target requires action'" in assessment.comment


def test_every_kinder_override_with_a_reason_is_listed_with_both_rags_and_the_reason():
    # Computed amber (on target), shown green: kinder, so the Board sees it too.
    assessment = assess_with([due(30)], make(rag_override=Rag.COMPLETED,
                                             override_reason="Delivered early"))
    assert assessment.rag is Rag.COMPLETED
    (finding,) = assessment.findings
    assert finding.kind == "override_kinder" and finding.field == "rag_override"
    assert finding.message.startswith(
        "Officer RAG 'Completed Action', kinder than the computed 'On target but with minor "
        "issues': On target, due ")
    assert finding.message.endswith("Reason given: Delivered early.")
    # Not kinder: the same RAG, or a harsher one, is no such exception.
    for override in (Rag.MINOR_ISSUES, Rag.MISSED):
        found = assess_with([due(30)], make(rag_override=override, override_reason="x"))
        assert "override_kinder" not in [f.kind for f in found.findings]


@pytest.mark.parametrize(
    ("owners", "status", "listed"),
    [("", Status.IN_PROGRESS, True), ("TBC", Status.NOT_STARTED, True),
     ("Amina Shah", Status.IN_PROGRESS, False), ("", Status.COMPLETED, False),
     ("tbc", Status.NOT_APPLICABLE, False)],
)
def test_an_open_action_with_no_owner_is_an_exception(owners, status, listed):
    action = make(status, owners=owners, cells={"owners": "Actions!C5"})
    found = [(f.kind, f.field, f.message) for f in assess_with([due(30)], action).findings]
    assert found == ([("no_owner", "owners", "No owner: nobody is named to do it.")]
                     if listed else [])


def test_no_owner_column_is_not_an_exception_on_every_action():
    # The reader has said once that the sheet has no owner column.
    assert assess_with([due(30)], make(owners="")).findings == ()


def test_completed_says_what_the_target_was_in_the_officers_words():
    assessment = assess_with([due(-100, "Q2 2023-24")], make(Status.COMPLETED))
    due_date = AS_AT - dt.timedelta(days=100)
    expected_due = f"{due_date.day} {due_date:%B %Y}"
    assert assessment.comment == f"Marked completed; the target was {expected_due} (Q2 2023-24)."
    assert assess_with([kind(DueKind.TBC)], make(Status.COMPLETED)).comment == "Marked completed."


@pytest.mark.parametrize(
    ("stage", "finding", "words"),
    [
        (kind(DueKind.TBC), "date_tbc", "Completion date to be confirmed"),
        (kind(DueKind.UNRECOGNISED, "xyz"), "date_unreadable", "'xyz' could not be read"),
        (kind(DueKind.AMBIGUOUS, "Q2 2024"), "date_ambiguous", "'Q2 2024' is ambiguous"),
    ],
)
def test_unusable_dates_are_exceptions(stage, finding, words):
    assessment = assess_with([stage])
    assert [f.kind for f in assessment.findings] == [finding]
    assert words in assessment.comment


def test_ongoing_has_no_fixed_end_date_and_is_no_exception():
    assessment = assess_with([kind(DueKind.ONGOING, "Ongoing")])
    assert assessment.comment == "Ongoing, no fixed end date."
    assert assessment.findings == ()


def test_the_rag_note_is_generated_from_the_config():
    config = RulesConfig.from_mapping(
        {**RULES, "at_risk_days": 14, "stale_days": 60}
    )
    note = " ".join(rag_note(config))
    assert "within 14 days" in note and "more than 60 days" in note
    assert assessment_for_window(config, 14).comment.startswith("At risk")
    assert assessment_for_window(config, 15).comment.startswith("On target")


def assessment_for_window(config, days):
    return assess(make(Status.NOT_STARTED), (due(days),), AS_AT, config)


def test_bad_colours_in_the_rules_file_are_refused():
    data = copy.deepcopy(RULES)
    data["rag"]["missed"]["fill"] = "red"
    with pytest.raises(ValueError, match=r"\[rag.missed\] fill 'red' is not a #rrggbb colour"):
        RulesConfig.from_mapping(data)


def test_a_rag_setting_that_is_not_a_table_is_refused_in_one_line():
    message = r"^rules.toml: rag must be a table of \[rag.KEY\] tables$"
    with pytest.raises(ValueError, match=message):
        RulesConfig.from_mapping({"rag": "red"})
