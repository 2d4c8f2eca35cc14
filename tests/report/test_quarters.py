"""The Board sees the truth across quarters (issue 20 §5).

An officer's Digital Inclusion plan, not the sample, run quarter after
quarter into one output folder with the command: each quarter's workbook is
the last one edited. What the JSON, the PDF and the Word document say about
overrides, owners, duplicates, moves, rewording, stages and repeated slips.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import docx
import pypdf
from factories import action

from wfs_reports.cli import main

TITLE = "Digital Inclusion Action Plan Update"
REPORT = {"Title": TITLE, "Heading": "Digital Inclusion Strategy: action plan update",
          "Organisation": "Riverside Borough Council"}
RECOMMENDATIONS = [[1, "Get residents online", ""], [2, "Build digital skills", ""],
                   [3, "Support the digitally excluded", ""]]

AMBER = "On target but with minor issues"
RED = "Missed target requires action"
GREEN = "Completed Action"


def run(make_workbook, out: Path, as_at: str, rows: list, *, formats="json,pdf,docx,html",
        name: str = "") -> dict:
    """Write this quarter's workbook, make its report into ``out``, return its JSON."""
    workbook = make_workbook(rows, RECOMMENDATIONS, REPORT, as_at=None,
                             name=name or f"digital {as_at}.xlsx")
    assert main([str(workbook), "--out", str(out), "--as-at", as_at, "--format", formats,
                 "--quiet"]) == 0
    return json.loads((out / f"{TITLE} - {as_at}.json").read_text(encoding="utf-8"))


def check(make_workbook, out: Path, as_at: str, rows: list, capsys) -> str:
    """--check on this quarter's workbook, against the reports in ``out``: what it prints."""
    workbook = make_workbook(rows, RECOMMENDATIONS, REPORT, as_at=None,
                             name=f"digital {as_at} check.xlsx")
    capsys.readouterr()
    main(["--check", str(workbook), "--out", str(out), "--as-at", as_at])
    return capsys.readouterr().out


def pdf_text(out: Path, as_at: str) -> str:
    reader = pypdf.PdfReader(str(out / f"{TITLE} - {as_at}.pdf"))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def word_text(out: Path, as_at: str) -> str:
    document = docx.Document(str(out / f"{TITLE} - {as_at}.docx"))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return " ".join(" ".join(parts).split())


def page_text(out: Path, as_at: str) -> str:
    page = (out / f"{TITLE} - {as_at}.html").read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def board_texts(out: Path, as_at: str) -> list[str]:
    """The PDF's, the Word document's and, when written, the web page's text."""
    texts = [pdf_text(out, as_at), word_text(out, as_at)]
    if (out / f"{TITLE} - {as_at}.html").is_file():
        texts.append(page_text(out, as_at))
    return texts


def exception_for(snapshot: dict, text: str) -> dict:
    (found,) = [e for e in snapshot["exceptions"] if e["action"] == text]
    return found


# -- overrides --------------------------------------------------------------------

WIFI = "Install public wifi in the three libraries"
HUB = "Open the digital help hub at the town hall"
KIND_REASON = "The supplier has confirmed the kit arrives in April."


def override_rows(reason_for_hub: str) -> list:
    return [
        # Due at the end of 2023: missed since, but the officer keeps it amber.
        action(1, WIFI, owners="Priya Shah", due=dt.date(2023, 12, 31), override=AMBER,
               reason=KIND_REASON),
        action(1, HUB, owners="Tom Reed", due="Q3 2023-24", override=GREEN,
               reason=reason_for_hub),
        action(2, "Run weekly digital skills drop-ins", owners="Ana Costa", due="Q4 2024-25"),
    ]


def test_every_kinder_override_is_an_exception_and_a_carried_over_reason_is_questioned(
        make_workbook, tmp_path, capsys):
    out = tmp_path / "reports"
    first = run(make_workbook, out, "2024-03-31",
                override_rows("Opened in January; the launch event is still to come."))
    wifi = exception_for(first, WIFI)
    assert wifi["kind"] == "override_kinder" and wifi["cell"] == "Actions!G2"
    assert wifi["message"] == (
        f"Officer RAG '{AMBER}', kinder than the computed '{RED}': Due 31 December 2023 "
        f"passed, 91 days overdue as at 31 March 2024. Reason given: {KIND_REASON}")
    assert exception_for(first, HUB)["kind"] == "override_kinder"
    # The JSON keeps the override and its reason for the next report.
    actions = {a["action"]: a for r in first["recommendations"] for a in r["actions"]}
    assert (actions[WIFI]["override"], actions[WIFI]["override_reason"],
            actions[WIFI]["rag"]) == ("minor_issues", KIND_REASON, "minor_issues")
    capsys.readouterr()

    # Next quarter: the wifi override and its reason are left as they were;
    # the hub's reason is brought up to date.
    rows = override_rows("The launch event was held on 12 April.")
    second = run(make_workbook, out, "2024-06-30", rows)
    err = capsys.readouterr().err
    wifi = exception_for(second, WIFI)
    assert "182 days overdue as at 30 June 2024" in wifi["message"]
    assert wifi["kind"] == "override_kinder" and KIND_REASON in wifi["message"]
    assert [line for line in err.splitlines() if "carried over" in line] == [
        f"warning: digital 2024-06-30.xlsx: Actions!H2: override '{AMBER}' carried over from "
        "the last report: is it still right? Its reason is word for word the one in the "
        "report as at 31 March 2024; bring the reason up to date, or remove the override "
        f"(Recommendation 1: {WIFI})"]
    for text in board_texts(out, "2024-06-30"):
        assert (f"Officer RAG '{AMBER}', kinder than the computed '{RED}': Due 31 December "
                "2023 passed, 182 days overdue as at 30 June 2024.") in text
        assert "The launch event was held on 12 April." in text

    said = check(make_workbook, out, "2024-06-30", rows, capsys)
    assert "Overrides carried over from the last report (1)" in said
    assert "Actions!H2" in said and "is it still right?" in said
    assert "Actions!H3" not in said  # the hub's reason was updated
    # Without an earlier report there is nothing to carry over.
    assert "carried over" not in check(make_workbook, tmp_path / "empty", "2024-06-30", rows,
                                       capsys)


def test_an_exception_says_each_sentence_once(make_workbook, tmp_path):
    # Stale, and overridden to red with no reason: a harsher override needs none.
    rows = [action(1, WIFI, owners="Priya Shah", due="Q4 2024-25", override=RED,
                   updated=dt.date(2023, 10, 2))]
    snapshot = run(make_workbook, tmp_path / "out", "2024-03-31", rows)
    message = exception_for(snapshot, WIFI)["message"]
    assert message.count("No update since 2 October 2023") == 1
    assert message.count(f"Officer RAG '{RED}'") == 1
    for text in board_texts(tmp_path / "out", "2024-03-31"):
        assert text.count("No update since 2 October 2023 (181 days ago).") == 2  # + comment


# -- owners -----------------------------------------------------------------------

def test_an_open_action_with_no_owner_is_an_exception_the_board_sees(make_workbook, tmp_path):
    rows = [
        action(1, WIFI, owners="TBC", due="Q4 2024-25"),
        action(1, HUB, owners="", due="Q4 2024-25", status="Not started"),
        action(2, "Publish the digital inclusion map", owners="", due="Q3 2023-24",
               status="Completed"),
        action(2, "Run weekly digital skills drop-ins", owners="Ana Costa", due="Q4 2024-25"),
    ]
    snapshot = run(make_workbook, tmp_path / "out", "2024-03-31", rows)
    unowned = [(e["action"], e["kind"], e["cell"]) for e in snapshot["exceptions"]]
    assert unowned == [(WIFI, "no_owner", "Actions!C2"), (HUB, "no_owner", "Actions!C3")]
    assert exception_for(snapshot, HUB)["message"].startswith("No owner")
    for text in board_texts(tmp_path / "out", "2024-03-31"):
        exceptions = text.split("Exceptions", 1)[1]
        assert exceptions.count("No owner: nobody is named to do it.") == 2


# -- duplicates -------------------------------------------------------------------

DROP_IN = "Run a digital skills drop-in session"


def test_duplicate_actions_whose_rows_swap_do_not_slip(make_workbook, tmp_path, capsys):
    out = tmp_path / "reports"
    spring = action(2, DROP_IN, owners="Ana Costa", due="30/06/2024")
    autumn = action(2, DROP_IN, owners="Ana Costa", due="30/09/2024")
    run(make_workbook, out, "2024-03-31", [spring, autumn], formats="json")
    capsys.readouterr()
    second = run(make_workbook, out, "2024-04-30", [autumn, spring])  # sorted the other way
    err = capsys.readouterr().err
    changes = second["changes"]
    assert changes["slipped"] == [] and changes["rag_changes"] == []
    assert changes["new"] == [] and changes["removed"] == []
    assert "Slipped" not in pdf_text(out, "2024-04-30")
    assert ("warning: digital 2024-04-30.xlsx: Actions!B3: the same action text as row 2 "
            "under Recommendation 2") in err
    said = check(make_workbook, out, "2024-04-30", [autumn, spring], capsys)
    assert "Actions with the same text (1)" in said and "Actions!B3" in said

    # One of them really slips: that one, and only that one, is listed.
    later = action(2, DROP_IN, owners="Ana Costa", due="31/12/2024")
    third = run(make_workbook, out, "2024-05-31", [spring, later])
    assert [c["detail"] for c in third["changes"]["slipped"]] == [
        "30 September 2024 → 31 December 2024"]


# -- moved, reworded, stage completed, repeated slips -----------------------------

TABLETS = "Lend tablets to residents who are digitally excluded"
CHAMPIONS = "Train twenty digital champions in the community centres"
CHAMPIONS_NOW = "Train twenty-five digital champions in the community centres"
SURVEY = "Survey residents' digital needs and publish the findings"
STAGES = "Stage 1: Q4 2023-24 Stage 2: Q2 2024-25"


def quarter(wifi_due: str, *, edited: bool) -> list:
    return [
        action(1, WIFI, owners="Priya Shah", due=wifi_due),
        action(3 if edited else 1, TABLETS, owners="Tom Reed", due="Q4 2024-25"),
        action(2, CHAMPIONS_NOW if edited else CHAMPIONS, owners="Ana Costa",
               due="Q4 2024-25"),
        action(2, SURVEY, owners="Ana Costa", due=STAGES,
               status="Stage 1 complete" if edited else "In progress"),
    ]


def test_moved_reworded_and_completed_stages_are_listed(make_workbook, tmp_path):
    out = tmp_path / "reports"
    run(make_workbook, out, "2023-11-30", quarter("31/12/2023", edited=False), formats="json")
    second = run(make_workbook, out, "2024-02-29", quarter("31/12/2023", edited=True))
    changes = second["changes"]
    assert [(c["action"], c["detail"], c["ref"], c["previous_ref"])
            for c in changes["moved"]] == [
        (TABLETS, "moved from Recommendation 1 to Recommendation 3", 3, 1)]
    assert [(c["action"], c["detail"], c["previous_action"])
            for c in changes["reworded"]] == [
        (CHAMPIONS_NOW, f"was “{CHAMPIONS}”; now “{CHAMPIONS_NOW}”", CHAMPIONS)]
    assert [(c["action"], c["detail"]) for c in changes["stages_completed"]] == [
        (SURVEY, "Stage 1 complete")]
    assert changes["new"] == [] and changes["removed"] == []
    for text in board_texts(out, "2024-02-29"):
        for title in ("Moved to another recommendation (1)", "Reworded (1)",
                      "Stages completed (1)"):
            assert title in text
        # Each action by its number in this report, then its full text.
        assert f"3.1 {TABLETS} moved from Recommendation 1 to Recommendation 3" in text
        assert f"2.1 {CHAMPIONS_NOW} was “{CHAMPIONS}”; now “{CHAMPIONS_NOW}”" in text
        assert f"2.2 {SURVEY} Stage 1 complete" in text


def test_a_date_that_keeps_slipping_says_how_often_since_it_was_first_due(
        make_workbook, tmp_path):
    out = tmp_path / "reports"
    run(make_workbook, out, "2023-11-30", quarter("31/12/2023", edited=False), formats="json")
    once = run(make_workbook, out, "2024-02-29", quarter("31/03/2024", edited=True),
               formats="json")
    (slip,) = once["changes"]["slipped"]
    assert slip["detail"] == "31 December 2023 → 31 March 2024"  # once is not yet a pattern
    run(make_workbook, out, "2024-05-31", quarter("30/06/2024", edited=True), formats="json")
    # A quarter with no report of this plan's own title in between is not counted,
    # nor is another plan's report in the folder.
    other = make_workbook([action(1, WIFI, due="31/01/2025")], RECOMMENDATIONS,
                          {"Title": "Carers Action Plan Update"}, as_at=None, name="carers.xlsx")
    assert main([str(other), "--out", str(out), "--as-at", "2024-07-31", "--format", "json",
                 "--quiet"]) == 0
    fourth = run(make_workbook, out, "2024-08-31", quarter("30/09/2024", edited=True))
    (slip,) = fourth["changes"]["slipped"]
    assert slip["action"] == WIFI
    assert slip["detail"] == ("30 June 2024 → 30 September 2024; slipped 3 times since first "
                              "due 31 December 2023")
    actions = {a["action"]: a for r in fourth["recommendations"] for a in r["actions"]}
    assert (actions[WIFI]["times_slipped"], actions[WIFI]["first_due"]) == (3, "2023-12-31")
    assert (actions[TABLETS]["times_slipped"], actions[TABLETS]["first_due"]) == (
        0, "2025-03-31")
    for text in board_texts(out, "2024-08-31"):
        assert "slipped 3 times since first due 31 December 2023" in text


def test_a_snapshot_from_before_these_fields_is_still_compared(make_workbook, tmp_path, capsys):
    out = tmp_path / "reports"
    rows = override_rows("Opened in January.")
    rows.append(action(2, SURVEY, owners="Ana Costa", due=STAGES))
    run(make_workbook, out, "2024-03-31", rows, formats="json")
    # As an earlier version wrote it: no override, reason or stages recorded.
    path = out / f"{TITLE} - 2024-03-31.json"
    old = json.loads(path.read_text(encoding="utf-8"))
    for rec in old["recommendations"]:
        for item in rec["actions"]:
            for name in ("override", "override_reason", "stages_complete", "times_slipped",
                         "first_due"):
                del item[name]
    path.write_text(json.dumps(old), encoding="utf-8")
    capsys.readouterr()
    rows[-1] = action(2, SURVEY, owners="Ana Costa", due=STAGES, status="Stage 1 complete")
    second = run(make_workbook, out, "2024-06-30", rows, formats="json")
    assert "carried over" not in capsys.readouterr().err  # not known, so not said
    assert second["changes"]["stages_completed"] == []
    assert second["changes"]["previous_as_at"] == "31 March 2024"
    assert {a["trend"] for r in second["recommendations"] for a in r["actions"]} == {"same"}
