"""Right for any plan, every quarter (issue 20 §1 and §3): nothing borrowed from
the sample, and the dates an officer forgets are named with their cells.

Every workbook here is an officer's own plan (a Digital Inclusion plan, a carers
plan), never the sample, and runs through the command.
"""

from __future__ import annotations

import datetime as dt
import json

import docx
import openpyxl
import pypdf
import pytest
from factories import DIGITAL_INCLUSION_TITLE, carers_plan, digital_inclusion_plan
from word_reports import HEADING, build_word_report, reference_plan

from wfs_reports.cli import main
from wfs_reports.domain.dates import format_date

SAMPLE_HEADING = "Workforce Shortages Across the Health and Social Care Sector"
SAMPLE_STRAPLINE = "Delivering better health through partnership"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder, stem):
    return json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))


def docx_text(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


# -- §1 nothing borrowed from the sample -------------------------------------


def test_a_blank_heading_gives_no_borrowed_heading_in_any_format(tmp_path, capsys):
    plan = carers_plan(tmp_path / "carers.xlsx",
                       {"Title": "Carers Strategy Action Plan Update", "Heading": ""})
    out = tmp_path / "out"
    code, _, err = run(capsys, plan, "--out", out, "--format", "docx,pdf,html,json")
    assert code == 0, err
    stem = "Carers Strategy Action Plan Update - 2024-09-30"
    assert snapshot(out, stem)["heading"] == ""
    word = docx.Document(str(out / f"{stem}.docx"))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Carers Strategy Action Plan Update"]  # its own Title, not another's
    pdf = pypdf.PdfReader(str(out / f"{stem}.pdf"))
    page = pdf.pages[0].extract_text()
    html = (out / f"{stem}.html").read_text(encoding="utf-8")
    assert "<h1>Carers Strategy Action Plan Update</h1>" in html
    for text in (docx_text(out / f"{stem}.docx"), page, html):
        assert SAMPLE_HEADING not in text
        assert "WFS" not in text


def test_a_workbook_with_no_report_sheet_is_titled_from_its_file_with_a_warning(
        tmp_path, capsys):
    plan = carers_plan(tmp_path / "Carers_Plan_2024.xlsx", report_sheet=False)
    out = tmp_path / "out"
    code, _, err = run(capsys, plan, "--out", out, "--format", "json", "--as-at", "2024-09-30")
    assert code == 0, err
    assert ("warning: Carers_Plan_2024.xlsx: no Title, so the report is titled 'Carers Plan "
            "2024' (from the workbook's file name), and its files are named after it; give "
            "the plan its own Title in the Report sheet") in err
    data = snapshot(out, "Carers Plan 2024 - 2024-09-30")
    assert (data["title"], data["heading"]) == ("Carers Plan 2024", "")
    assert "WFS" not in err and "Workforce" not in err


def test_a_blank_title_is_named_by_its_cell(tmp_path, capsys):
    plan = carers_plan(tmp_path / "carers.xlsx", {"Title": "", "Organisation": "Carers Hub"})
    code, _, err = run(capsys, plan, "--out", tmp_path / "out", "--format", "json")
    assert code == 0, err
    assert ("warning: carers.xlsx: Report!B2: no Title, so the report is titled 'carers' "
            "(from the workbook's file name)") in err
    assert (tmp_path / "out" / "carers - 2024-09-30.json").is_file()


def test_a_word_report_with_no_heading_gives_a_workbook_with_no_heading(tmp_path, capsys):
    report = build_word_report(tmp_path / "digital.docx", reference_plan())
    document = docx.Document(str(report))
    header = document.sections[0].header.paragraphs
    for paragraph in [*header, *document.paragraphs]:
        if paragraph.text == HEADING:
            paragraph._p.getparent().remove(paragraph._p)
        elif paragraph.text == "WFS Action Plan Update":
            paragraph.text = DIGITAL_INCLUSION_TITLE
    document.save(str(report))
    workbook = tmp_path / "digital.xlsx"
    code, _, err = run(capsys, "--new-workbook", workbook, "--from", report)
    assert code == 0, err
    settings = {row[0]: row[1] for row in
                openpyxl.load_workbook(workbook)["Report"].iter_rows(min_row=2, values_only=True)}
    assert settings["Title"] == DIGITAL_INCLUSION_TITLE
    assert settings["Heading"] is None
    out = tmp_path / "out"
    code, _, err = run(capsys, workbook, "--out", out, "--format", "json", "--as-at",
                       "2023-11-22")
    assert code == 0, err
    assert snapshot(out, f"{DIGITAL_INCLUSION_TITLE} - 2023-11-22")["heading"] == ""


def test_the_pdf_keywords_come_from_the_plan(tmp_path, capsys):
    plan = digital_inclusion_plan(tmp_path / "digital.xlsx")
    out = tmp_path / "out"
    code, _, err = run(capsys, plan, "--out", out, "--format", "pdf")
    assert code == 0, err
    pdf = pypdf.PdfReader(str(next(out.glob("*.pdf"))))
    keywords = pdf.metadata["/Keywords"]
    assert DIGITAL_INCLUSION_TITLE in keywords
    assert "Digital Inclusion Strategy 2024-2027: Action Plan Update" in keywords
    assert "Borough Digital Partnership" in keywords
    assert "WFS" not in keywords


def test_the_brand_strapline_is_left_out_under_another_organisation(tmp_path, capsys):
    plan = digital_inclusion_plan(tmp_path / "digital.xlsx")
    out = tmp_path / "out"
    code, _, err = run(capsys, plan, "--out", out, "--format", "docx,html")
    assert code == 0, err
    word = docx_text(next(out.glob("*.docx")))
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    for text in (word, html):
        assert "Borough Digital Partnership" in text
        assert SAMPLE_STRAPLINE not in text


def test_a_strapline_setting_gives_the_plan_its_own(tmp_path, capsys):
    plan = digital_inclusion_plan(tmp_path / "digital.xlsx",
                                  {"Strapline": "Everyone online, no one left behind"})
    out = tmp_path / "out"
    code, _, err = run(capsys, plan, "--out", out, "--format", "pdf,html")
    assert code == 0, err
    assert "warning" not in err
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert '<p class="strapline">Everyone online, no one left behind</p>' in html
    page = pypdf.PdfReader(str(next(out.glob("*.pdf")))).pages[0].extract_text()
    assert "Everyone online, no one left behind" in page
    assert SAMPLE_STRAPLINE not in page


def test_the_brand_strapline_stays_under_the_brands_own_organisation(tmp_path, capsys):
    plan = carers_plan(tmp_path / "carers.xlsx", {"Title": "Carers Plan",
                                                  "Organisation": "tower hamlets  Together"})
    out = tmp_path / "out"
    code, _, err = run(capsys, plan, "--out", out, "--format", "html")
    assert code == 0, err
    assert SAMPLE_STRAPLINE in next(out.glob("*.html")).read_text(encoding="utf-8")


def test_a_missing_named_workbook_is_spoken_of_by_its_name(tmp_path, capsys):
    (tmp_path / "Plans").mkdir()
    named = tmp_path / "Plans" / "Digital Inclusion.xlsx"
    code, _, err = run(capsys, named, "--out", tmp_path / "out")
    assert code == 1
    assert err.strip() == (f"error: {named}: file not found: there is no 'Digital "
                           f"Inclusion.xlsx' in '{tmp_path / 'Plans'}'; check the file's name "
                           "and folder")
    assert "input/action_plan.xlsx" not in err
    code, _, err = run(capsys, tmp_path / "Boards" / "carers.xlsx")
    assert code == 1
    assert f"there is no folder '{tmp_path / 'Boards'}'" in err


def test_only_the_default_workbook_missing_mentions_the_default_path(
        tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--out", tmp_path / "out")
    assert code == 1
    assert err.strip() == ("error: input/action_plan.xlsx: file not found; name your workbook "
                           "(make-report \"plan.xlsx\"), or put it at input/action_plan.xlsx")


# -- §3 the dates an officer forgets -----------------------------------------


@pytest.mark.parametrize(("meeting", "said"), [
    (dt.datetime(2024, 4, 18), "Report!B7: the Meeting date, 18 April 2024, is before the "
     "as-at date (30 June 2024); correct the Meeting date to the meeting this report is for "
     "(or the As at date)"),
    (dt.datetime(2025, 7, 18), "Report!B7: the Meeting date, 18 July 2025, is more than 6 "
     "months after the as-at date (30 June 2024); check its year (or the As at date)"),
])
def test_a_meeting_date_out_of_place_is_named_by_its_cell(tmp_path, capsys, meeting, said):
    plan = digital_inclusion_plan(tmp_path / "digital.xlsx", {"Meeting date": meeting})
    code, out, err = run(capsys, "--check", plan)
    assert code == 0
    assert "Meeting date to check (1)" in out
    assert said.replace("Report!B7: ", "Report!B7  ") in out
    code, _, err = run(capsys, plan, "--out", tmp_path / "out", "--format", "json")
    assert code == 0
    assert f"warning: digital.xlsx: {said}" in err


def test_a_meeting_within_six_months_is_not_questioned(tmp_path, capsys):
    plan = digital_inclusion_plan(tmp_path / "digital.xlsx",
                                  {"Meeting date": dt.datetime(2024, 12, 30)})
    code, out, _ = run(capsys, "--check", plan)
    assert code == 0 and "Meeting date" not in out


def test_requests_refuse_a_reply_by_date_worked_out_before_the_as_at_date(tmp_path, capsys):
    plan = digital_inclusion_plan(tmp_path / "digital.xlsx",
                                  {"Meeting date": dt.datetime(2024, 3, 14)})
    out = tmp_path / "out"
    code, _, err = run(capsys, plan, "--requests", "--out", out)
    assert code == 1
    assert err.strip() == (
        "error: digital.xlsx: Report!B7: the Meeting date, 14 March 2024, puts the reply-by "
        "date at 29 February 2024 (14 days before it), before the as-at date (30 June 2024); "
        "correct the Meeting date, or give the reply-by date with --reply-by YYYY-MM-DD; "
        "nothing was written")
    assert not out.exists()
    # Given explicitly, it is the officer's choice: made, with a warning.
    code, _, err = run(capsys, plan, "--requests", "--out", out, "--reply-by", "2024-06-28")
    assert code == 0, err
    assert ("warning: digital.xlsx: the reply-by date given with --reply-by, 28 June 2024, is "
            "before the as-at date (30 June 2024)") in err
    assert (out / "Update requests - 2024-06-30").is_dir()


def _quarters(tmp_path, capsys, out, *dates):
    """Run the Digital Inclusion plan as at each date, in turn."""
    for when in dates:
        plan = digital_inclusion_plan(tmp_path / "digital.xlsx", as_at=when,
                                      report={"Meeting date": None})
        code, _, err = run(capsys, plan, "--out", out, "--format", "json")
        assert code == 0, err


def test_an_as_at_earlier_than_the_folders_reports_asks_to_be_confirmed(tmp_path, capsys):
    out = tmp_path / "out"
    _quarters(tmp_path, capsys, out, dt.date(2024, 3, 31), dt.date(2024, 6, 30))
    before = sorted(p.name for p in out.iterdir())
    # Q3 2024-25 typed with last year's date.
    plan = digital_inclusion_plan(tmp_path / "digital.xlsx", as_at=dt.date(2023, 12, 31),
                                  report={"Meeting date": None})
    code, _, err = run(capsys, plan, "--out", out, "--format", "json")
    assert code == 1
    assert err.strip() == (
        f"error: digital.xlsx: Report!B3: As at 31 December 2023 is earlier than the reports "
        f"of this plan already in '{out}' (as at 31 March 2024 and 30 June 2024); if the year "
        "is wrong, correct it; if this report really is as at 31 December 2023, confirm it "
        "with --as-at 2023-12-31; nothing was written")
    assert sorted(p.name for p in out.iterdir()) == before

    # Confirmed: made, said, and marked in its snapshot.
    code, _, err = run(capsys, plan, "--out", out, "--format", "json", "--as-at", "2023-12-31")
    assert code == 0, err
    assert (f"warning: digital.xlsx: As at 31 December 2023 is earlier than the reports of "
            f"this plan already in '{out}' (as at 31 March 2024 and 30 June 2024); made as "
            "confirmed with --as-at") in err
    made = snapshot(out, f"{DIGITAL_INCLUSION_TITLE} - 2023-12-31")
    assert made["made_after"] == ["2024-03-31", "2024-06-30"]

    # The next quarter's Progress over time shows it, with a note.
    plan = digital_inclusion_plan(tmp_path / "digital.xlsx", as_at=dt.date(2024, 9, 30),
                                  report={"Meeting date": None})
    code, _, err = run(capsys, plan, "--out", out, "--format", "json")
    assert code == 0, err
    assert (f"warning: digital.xlsx: Progress over time shows the report as at 31 December "
            f"2023 ('{DIGITAL_INCLUSION_TITLE} - 2023-12-31.json') at that date, but it was "
            "made after the reports as at 31 March 2024 and 30 June 2024; if its As at date "
            f"was wrong, move its files out of '{out}' and run again") in err
    progress = snapshot(out, f"{DIGITAL_INCLUSION_TITLE} - 2024-09-30")["progress"]
    assert [p["as_at"] for p in progress] == ["2023-12-31", "2024-03-31", "2024-06-30",
                                              "2024-09-30"]


def test_reports_made_in_order_say_nothing_of_order(tmp_path, capsys):
    out = tmp_path / "out"
    _quarters(tmp_path, capsys, out, dt.date(2024, 3, 31))
    plan = digital_inclusion_plan(tmp_path / "digital.xlsx", report={"Meeting date": None})
    code, _, err = run(capsys, plan, "--out", out, "--format", "json")
    assert code == 0
    assert "earlier than" not in err and "made after" not in err and "titled" not in err
    assert snapshot(out, f"{DIGITAL_INCLUSION_TITLE} - 2024-06-30")["made_after"] == []


def test_a_changed_title_says_it_starts_a_new_history(tmp_path, capsys):
    out = tmp_path / "out"
    _quarters(tmp_path, capsys, out, dt.date(2024, 3, 31))
    plan = digital_inclusion_plan(
        tmp_path / "digital.xlsx", {"Title": f"{DIGITAL_INCLUSION_TITLE} (Q1 2024-25)",
                                    "Meeting date": None})
    code, said, err = run(capsys, plan, "--out", out, "--format", "json")
    assert code == 0, err
    assert (f"warning: digital.xlsx: Report!B2: earlier reports in this folder ('{out}') are "
            f"titled '{DIGITAL_INCLUSION_TITLE}'; this starts a new history titled "
            f"'{DIGITAL_INCLUSION_TITLE} (Q1 2024-25)', with no Changes since the last report "
            "or Progress over time; to continue that plan's history, give it the same "
            "Title") in err
    assert "No earlier report of this plan" in said


def test_check_says_when_the_date_it_used_is_today(tmp_path, capsys):
    plan = carers_plan(tmp_path / "carers.xlsx", {"Title": "Carers Plan"}, as_at=None)
    code, out, _ = run(capsys, "--check", plan)
    assert code == 0
    first = out.splitlines()[0]
    assert first == (f"Checking carers.xlsx as at {format_date(dt.date.today())} "
                     "(today's date: the workbook gives no 'As at'; give one in the Report "
                     "sheet or with --as-at)")
    code, out, _ = run(capsys, "--check", plan, "--as-at", "2024-09-30")
    assert out.splitlines()[0] == "Checking carers.xlsx as at 30 September 2024"


@pytest.mark.parametrize(("given", "as_at"), [
    ("Q1 2024-25", "2024-06-30"),
    ("q3 2024/25", "2024-12-31"),
    ("Quarter 4 2024-25", "2025-03-31"),
])
def test_as_at_may_name_a_quarter(tmp_path, capsys, given, as_at):
    plan = carers_plan(tmp_path / "carers.xlsx", {"Title": "Carers Plan"})
    out = tmp_path / "out"
    code, said, err = run(capsys, plan, "--out", out, "--format", "json", "--as-at", given)
    assert code == 0, err
    assert snapshot(out, f"Carers Plan - {as_at}")["as_at"] == as_at
    assert said.startswith(f"As at {dt.date.fromisoformat(as_at).day} ")


def test_a_quarter_that_could_be_either_year_is_refused(tmp_path, capsys):
    plan = carers_plan(tmp_path / "carers.xlsx", {"Title": "Carers Plan"})
    with pytest.raises(SystemExit) as stopped:
        main([str(plan), "--as-at", "Q1 2024"])
    assert stopped.value.code == 2
    assert "'Q1 2024' could be a calendar or a financial year" in capsys.readouterr().err
