"""make-report --requests, checked from the files an officer would open: one draft
email and one Word form per real owner, an index, and the list of actions to assign."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import socket
from email import policy
from email.parser import BytesParser
from pathlib import Path

import docx
import openpyxl
import pytest
from factories import action, docx_text

from wfs_reports.cli import main

AS_AT = dt.date(2023, 11, 22)
MEETING = dt.date(2023, 12, 7)
REPLY_BY = "23 November 2023"  # 14 days before the meeting
FOLDER = "Update requests - 2023-11-22"
FRANCESCA = "Francesca Okosi – Chief People and Culture Officer"
ICS_ROLE = "Head of ICS Workforce Planning and Systems"

# Each action's text names it, so a test can find it in any file.
ACTIONS = [
    action(1, "Alpha: recruit the first cohort", FRANCESCA, due="Q2 2023-24"),  # missed
    action(1, "Bravo: agree the data set", "Francesca Okosi - Chief People and Culture "
           "Officer", due="TBC"),
    action(1, "Charlie: review the rota", "FRANCESCA OKOSI", due="Q4 2023-24",
           updated=dt.date(2023, 6, 1)),  # stale
    action(1, "Delta: shared by two", "Joanna Moss / Chris Boylett", due="Q4 2024-25"),
    action(2, "Echo: shared with and", "Rupert Brandon and Joanna Moss, Chief Strategy and "
           "Transformation Officer", due="March 2025"),
    action(2, "Foxtrot: a role owns it", ICS_ROLE, due="15/12/2023"),  # due soon
    action(2, "Golf: owners on two lines", "Chris Boylett\nFrancesca Okosi", due="Q1 2024-25"),
    action(2, "Hotel: nobody named", "", due="Q4 2023-24"),
    action(2, "India: owner to be confirmed", "TBC", due="Q4 2023-24"),
    action(1, "Juliet: done already", "Michael Darby", due="Q2 2023-24", status="Completed"),
    action(2, "Kilo: does not apply", "Francesca Okosi", due="", status="Not applicable"),
    action(1, "Lima: done and nobody named", "", due="Q2 2023-24", status="Completed"),
    action(1, "Mike: date nobody can read", FRANCESCA, due="when pigs fly"),
]
OPEN = {
    "Francesca Okosi": ["Alpha", "Bravo", "Mike", "Charlie", "Golf"],  # in the form's order
    "Joanna Moss": ["Delta", "Echo"],
    "Chris Boylett": ["Delta", "Golf"],
    "Rupert Brandon": ["Echo"],
    ICS_ROLE: ["Foxtrot"],
}
UNOWNED = ["Hotel", "India"]
CLOSED = ["Juliet", "Kilo", "Lima"]
EVERY = [row[1].split(":")[0] for row in ACTIONS]
ADDRESSES = {"Francesca Okosi": "francesca.okosi@example.org", ICS_ROLE: "ics.wfp@example.org"}


def owners_sheet(rows):
    def customise(workbook):
        sheet = workbook.create_sheet("Owners")
        sheet.append(["Owner", "Email"])
        for row in rows:
            sheet.append(list(row))
    return customise


@pytest.fixture
def plan_workbook(make_workbook):
    return make_workbook(
        ACTIONS, report={"Meeting": "Tower Hamlets Together Board", "Meeting date": MEETING},
        customise=owners_sheet([("FRANCESCA OKOSI", ADDRESSES["Francesca Okosi"]),
                                (ICS_ROLE, ADDRESSES[ICS_ROLE])]),
    )



@pytest.fixture
def written(plan_workbook, tmp_path, cli):
    code, out, err = cli(["--requests", plan_workbook, "--out", tmp_path / "out"])
    assert code == 0, err
    return tmp_path / "out" / FOLDER, out, err


def read_email(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def email_texts(message) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content())


def form_rows(data: bytes) -> list[list[str]]:
    table = docx.Document(io.BytesIO(data)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def named(text: str, names: list[str]) -> list[str]:
    """The actions ``text`` mentions, in the order it mentions them."""
    found = [name for name in names if f"{name}:" in text]
    return sorted(found, key=lambda name: text.index(f"{name}:"))


def test_one_draft_per_real_owner_each_a_draft_asking_for_an_update_with_the_form(written):
    folder, out, _err = written
    drafts = sorted(p.stem for p in folder.glob("*.eml"))
    assert drafts == sorted(OPEN)  # Michael Darby has only a completed action: no draft
    assert sorted(p.stem for p in folder.glob("*.docx")) == sorted(OPEN)
    for path in folder.glob("*.eml"):
        message = read_email(path)
        assert message["X-Unsent"] == "1"
        assert message["Subject"] == f"Please send your update by {REPLY_BY}: WFS Action Plan " \
            "Update"
        attachments = list(message.iter_attachments())
        assert [a.get_filename() for a in attachments] == [f"{path.stem}.docx"]
        form = attachments[0].get_content()
        assert form == (folder / f"{path.stem}.docx").read_bytes()
        assert f"Update request: {path.stem}" in docx_text(form)
    assert "Wrote 5 draft emails and forms for 10 open actions" in out
    assert "nothing was sent" in out


def test_every_open_action_is_in_the_email_and_form_of_each_of_its_owners_and_no_other(written):
    folder, _out, _err = written
    for owner, expected in OPEN.items():
        plain, html = email_texts(read_email(folder / f"{owner}.eml"))
        form = (folder / f"{owner}.docx").read_bytes()
        for text in (plain, html, docx_text(form)):
            assert sorted(named(text, EVERY)) == sorted(expected), owner
        # The form lists them missed first, then dates to confirm, then stale, then the rest.
        rows = form_rows(form)[1:]
        assert [named(row[0], EVERY) for row in rows] == [[name] for name in expected]
        assert named(plain, EVERY) == expected


def test_completed_and_not_applicable_actions_are_nowhere(written):
    folder, _out, _err = written
    for path in folder.iterdir():
        data = path.read_bytes()
        if path.suffix == ".eml":
            text = "\n".join(email_texts(read_email(path)))
        elif path.suffix == ".docx":
            text = docx_text(data)
        else:
            book = openpyxl.load_workbook(path)
            text = "\n".join(str(v) for ws in book for row in ws.iter_rows(values_only=True)
                             for v in row if v is not None)
        assert named(text, CLOSED) == [], path.name


def test_unowned_open_actions_are_on_the_officers_list_with_the_index(written):
    folder, out, _err = written
    book = openpyxl.load_workbook(folder / f"{FOLDER}.xlsx")
    unowned = list(book["No owner"].iter_rows(values_only=True))
    assert unowned[0][:4] == ("Recommendation", "Cell", "Action", "Owner(s) as written")
    assert [named(row[2], EVERY) for row in unowned[1:]] == [[name] for name in UNOWNED]
    assert [row[1] for row in unowned[1:]] == ["Actions!C9", "Actions!C10"]
    assert [row[3] for row in unowned[1:]] == [None, "TBC"]
    assert "2 open actions have no owner" in out

    index = {row[0]: row for row in book["Requests"].iter_rows(min_row=2, values_only=True)}
    assert set(index) == set(OPEN)
    assert index["Francesca Okosi"] == ("Francesca Okosi", ADDRESSES["Francesca Okosi"], 5, 4,
                                        "Francesca Okosi.docx", "Francesca Okosi.eml")
    assert index["Joanna Moss"][1:4] == (None, 2, 0)
    assert index[ICS_ROLE][3] == 1  # due within the at-risk window: is it complete?


def test_to_carries_the_owners_sheet_address_or_is_blank(written):
    folder, _out, _err = written
    for owner in OPEN:
        message = read_email(folder / f"{owner}.eml")
        addresses = [a.addr_spec for a in message["To"].addresses]
        assert addresses == ([ADDRESSES[owner]] if owner in ADDRESSES else []), owner
    assert read_email(folder / "Francesca Okosi.eml")["To"].addresses[0].display_name == \
        "Francesca Okosi"


def test_the_workbook_is_unchanged_and_the_run_is_repeatable(plan_workbook, tmp_path, cli):
    before = (hashlib.sha256(plan_workbook.read_bytes()).hexdigest(),
              plan_workbook.stat().st_mtime_ns)
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        assert cli(["--requests", plan_workbook, "--out", out])[0] == 0
    after = (hashlib.sha256(plan_workbook.read_bytes()).hexdigest(),
             plan_workbook.stat().st_mtime_ns)
    assert after == before
    names = sorted(p.name for p in (first / FOLDER).iterdir())
    assert names == sorted(p.name for p in (second / FOLDER).iterdir())
    for name in names:
        assert (first / FOLDER / name).read_bytes() == (second / FOLDER / name).read_bytes()
    assert not (first / "WFS Action Plan Update - 2023-11-22.pdf").exists(), "no report"


def test_what_is_needed_says_what_to_do(written):
    folder, _out, _err = written
    needed = {named(row[0], EVERY)[0]: row[5]
              for row in form_rows((folder / "Francesca Okosi.docx").read_bytes())[1:]}
    assert needed["Alpha"] == "Missed (due 30 September 2023): agree a new date"
    assert needed["Bravo"] == "Confirm a completion date"
    assert needed["Mike"].startswith("'when pigs fly' could not be read as a date")
    assert needed["Charlie"] == "No update since 1 June 2023"
    assert needed["Golf"] == "Give a progress update"
    foxtrot = form_rows((folder / f"{ICS_ROLE}.docx").read_bytes())[1]
    assert foxtrot[5] == "Due 15 December 2023: is it complete?"
    assert foxtrot[1] == "15/12/2023\nRead as 15 December 2023"


def test_the_form_is_accessible_like_the_report(written):
    folder, _out, _err = written
    document = docx.Document(folder / "Francesca Okosi.docx")
    assert document.core_properties.title == ("WFS Action Plan Update: update request for "
                                              "Francesca Okosi")
    assert document.core_properties.language == "en-GB"
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Update request: Francesca Okosi"),
                        ("Heading 2", "What we need from you"),
                        ("Heading 2", "Your open actions (5, 4 needing attention)")]
    body = document.element.body.xml
    assert 'w:lang w:val="en-GB"' in document.styles.element.xml
    table = document.tables[0]
    assert table.rows[0]._tr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}trPr/"
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    assert 'w:tblCaption w:val="Your open actions"' in body
    text = docx_text((folder / "Francesca Okosi.docx").read_bytes())
    for words in ("Meeting: Tower Hamlets Together Board", "Meeting date: 7 December 2023",
                  f"Please reply by: {REPLY_BY}", "Report: WFS Action Plan Update"):
        assert words in text


def test_reply_by_defaults_without_a_meeting_and_can_be_given(make_workbook, tmp_path, cli):
    path = make_workbook([action(1, "Alpha: x", "Jo Moss")])
    code, _out, _err = cli(["--requests", path, "--out", tmp_path / "a"])
    assert code == 0
    subject = read_email(tmp_path / "a" / FOLDER / "Jo Moss.eml")["Subject"]
    assert "by 6 December 2023" in subject  # as at + 14 days
    code, _out, _err = cli(["--requests", path, "--out", tmp_path / "b", "--reply-by",
                            "2023-12-01", "--as-at", "2023-11-20"])
    assert code == 0
    folder = tmp_path / "b" / "Update requests - 2023-11-20"
    assert "by 1 December 2023" in read_email(folder / "Jo Moss.eml")["Subject"]
    assert "Please reply by: 1 December 2023" in docx_text((folder / "Jo Moss.docx")
                                                            .read_bytes())


def test_a_reply_by_date_before_the_as_at_date_is_a_warning(make_workbook, tmp_path, cli):
    path = make_workbook([action(1, "Alpha: x", "Jo Moss")])
    code, _out, err = cli(["--requests", path, "--out", tmp_path, "--reply-by", "2023-11-01"])
    assert code == 0
    assert "warning: plan.xlsx: the reply-by date given with --reply-by, 1 November 2023, is " \
        "before the as-at date" in err


def test_no_header_injection_from_owner_names_addresses_or_the_title(make_workbook, tmp_path,
                                                                     cli):
    path = make_workbook(
        [action(1, "Alpha: x", "Eve Mallory\r\nBcc: victim@example.org"),
         action(1, "Bravo: y", "Jo Moss")],
        report={"Title": "WFS Update\nBcc: title@example.org"},
        customise=owners_sheet([("Jo Moss", "jo@example.org\nBcc: victim@example.org"),
                                ("Eve Mallory", "eve@example.org>\r\nCc: x@example.org")]),
    )
    code, _out, err = cli(["--requests", path, "--out", tmp_path / "out"])
    assert code == 0
    folder = tmp_path / "out" / FOLDER
    allowed = {"X-Unsent", "To", "Subject", "MIME-Version", "Content-Type"}
    for draft in folder.glob("*.eml"):
        message = read_email(draft)
        assert set(message.keys()) <= allowed, draft.name
        assert message["To"].addresses == ()
        assert "\n" not in message["Subject"]
        raw_headers = draft.read_bytes().split(b"\r\n\r\n", 1)[0]
        assert b"victim" not in raw_headers and b"Cc:" not in raw_headers
    assert "Owners!B2: 'jo@example.org Bcc: victim@example.org' is not an email address" in err
    assert "Owners!B3:" in err


@pytest.mark.parametrize(("owner", "stem"), [
    ('Team A/B: "Q" <R>|S?*', "Team A B Q R S"),
    ("CON", "CON_"),
    ("lpt1", "lpt1_"),
    ("nul.txt", "nul_.txt"),
    ("Workforce Team...", "Workforce Team"),
])
def test_file_names_are_safe_on_windows_and_linux(make_workbook, tmp_path, cli, owner, stem):
    path = make_workbook([action(1, "Alpha: x", owner)])
    assert cli(["--requests", path, "--out", tmp_path / "out"])[0] == 0
    folder = tmp_path / "out" / FOLDER
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{stem}.docx", f"{stem}.eml", f"{FOLDER}.xlsx"])


def test_a_very_long_owner_gets_a_short_name_and_names_never_clash(make_workbook, tmp_path,
                                                                    cli):
    long_role = "Head of " + " ".join(["Workforce Planning Systems Integration"] * 8)
    path = make_workbook([action(1, "Alpha: x", f"{long_role} North"),
                          action(1, "Bravo: y", f"{long_role} South")])
    assert cli(["--requests", path, "--out", tmp_path / "out"])[0] == 0
    folder = tmp_path / "out" / FOLDER
    stems = sorted(p.stem for p in folder.glob("*.eml"))
    assert len(stems) == 2
    assert all(len(stem) <= 60 + len(" (2)") for stem in stems)
    assert stems[1] == f"{stems[0]} (2)"
    mentioned = [named(email_texts(read_email(folder / f"{stem}.eml"))[0], ["Alpha", "Bravo"])
                 for stem in stems]
    assert mentioned == [["Alpha"], ["Bravo"]]


def test_a_rerun_replaces_the_folder_and_leaves_no_stale_request(make_workbook, tmp_path,
                                                                  cli):
    out = tmp_path / "out"
    first = make_workbook([action(1, "Alpha: x", "Jo Moss"), action(1, "Bravo: y", "Ann Lee")],
                          name="one.xlsx")
    assert cli(["--requests", first, "--out", out])[0] == 0
    second = make_workbook([action(1, "Alpha: x", "Jo Moss"),
                            action(1, "Bravo: y", "Ann Lee", status="Completed")],
                           name="two.xlsx")
    assert cli(["--requests", second, "--out", out])[0] == 0
    assert sorted(p.name for p in (out / FOLDER).iterdir()) == [
        "Jo Moss.docx", "Jo Moss.eml", f"{FOLDER}.xlsx"]
    assert not [p for p in out.iterdir() if p.name.startswith(".~")], "no temporary left"


def test_a_folder_holding_other_files_is_not_replaced(make_workbook, tmp_path, cli):
    path = make_workbook([action(1, "Alpha: x", "Jo Moss")])
    folder = tmp_path / "out" / FOLDER
    folder.mkdir(parents=True)
    (folder / "my notes.txt").write_text("keep me")
    code, _out, err = cli(["--requests", path, "--out", tmp_path / "out"])
    assert code == 1
    assert err.strip().splitlines() == [
        f"error: {folder}: the folder also holds 'my notes.txt', which make-report did not "
        "write; a run replaces the whole folder, so move it, or choose another --out"]
    assert (folder / "my notes.txt").read_text() == "keep me"


@pytest.mark.parametrize(("argv", "code", "words"), [
    (["--requests", "missing.xlsx"], 1, "missing.xlsx: file not found"),
    (["--requests", "--reply-by", "31/02/2024", "x.xlsx"], 2, "'31/02/2024' is not a date"),
    (["--reply-by", "2024-03-01", "x.xlsx"], 2, "--reply-by goes with --requests"),
    (["--requests", "--check", "x.xlsx"], 2, "not allowed with argument"),
])
def test_command_line_errors_are_one_line(argv, code, words, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    try:
        result = main(argv)
    except SystemExit as stopped:
        result = stopped.code
    err = capsys.readouterr().err
    assert result == code
    assert words in err
    assert "Traceback" not in err
    if code == 1:
        assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "output").exists()


def test_a_workbook_problem_stops_the_requests_with_one_line_per_problem(make_workbook,
                                                                         tmp_path, cli):
    path = make_workbook([action(9, "Alpha: orphan", "Jo Moss")])
    code, _out, err = cli(["--requests", path, "--out", tmp_path / "out"])
    assert code == 1
    assert err.strip().splitlines()[0].startswith("error: plan.xlsx: Actions!A2: Ref 9")
    assert not (tmp_path / "out").exists()


def test_nothing_touches_the_network(plan_workbook, tmp_path, cli, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("make-report --requests tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert cli(["--requests", plan_workbook, "--out", tmp_path / "out"])[0] == 0


def test_owner_warnings_are_printed_by_cell(make_workbook, tmp_path, cli):
    path = make_workbook([action(1, "Alpha: x", "Chris Boylett and Head of Finance")])
    code, _out, err = cli(["--requests", path, "--out", tmp_path / "out"])
    assert code == 0
    assert "warning: plan.xlsx: Actions!C2: 'Chris Boylett and Head of Finance' was read as " \
        "one owner" in err


def test_the_index_lists_what_to_check_about_owners(make_workbook, tmp_path, cli):
    path = make_workbook([action(1, "Alpha: x", "Jo Moss"), action(1, "Bravo: y", "Joanna Moss")],
                         customise=owners_sheet([("Jo Moss", "not an address")]))
    assert cli(["--requests", path, "--out", tmp_path / "out"])[0] == 0
    book = openpyxl.load_workbook(tmp_path / "out" / FOLDER / f"{FOLDER}.xlsx")
    notes = list(book["Notes"].iter_rows(min_row=2, values_only=True))
    assert [where for where, _message in notes] == ["Actions!C3", "Owners!B2"]
    assert "Jo Moss and Joanna Moss are read as different people" in notes[0][1]


def test_check_warns_about_open_actions_with_no_owner_and_owners_to_check(make_workbook,
                                                                          capsys):
    path = make_workbook(
        [action(1, "blank owner", ""), action(1, "tbc owner", "TBC"),
         action(1, "done, no owner", "", status="Completed"),
         action(1, "not applicable, no owner", "", status="Not applicable"),
         action(1, "odd owner", "Chris Boylett and Head of Finance")],
        customise=owners_sheet([("Nobody Here", "nobody@example.org")]),
    )
    assert main(["--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Actions with no owner (2)" in out
    assert "Actions!C2  no owner" in out and "Actions!C3  owner 'TBC' names nobody" in out
    assert "Actions!C4" not in out and "Actions!C5" not in out
    assert "Owners to check (2)" in out
    assert "Actions!C6" in out and "Owners!A2" in out


def test_an_owners_sheet_without_an_email_column_is_a_warning_not_a_stop(make_workbook,
                                                                         tmp_path, cli):
    def customise(workbook):
        sheet = workbook.create_sheet("Owners")
        sheet.append(["Owner", "Phone"])
        sheet.append(["Jo Moss", "0207"])

    path = make_workbook([action(1, "Alpha: x", "Jo Moss")], customise=customise)
    code, _out, err = cli(["--requests", path, "--out", tmp_path / "out"])
    assert code == 0
    assert "Owners!1:1: no 'Email' column, so the Owners sheet was not used" in err
    assert read_email(tmp_path / "out" / FOLDER / "Jo Moss.eml")["To"].addresses == ()


def test_a_new_workbook_has_an_owners_sheet_the_requests_use(tmp_path, cli):
    path = tmp_path / "plan.xlsx"
    assert main(["--new-workbook", str(path)]) == 0
    workbook = openpyxl.load_workbook(path)
    owners = workbook["Owners"]
    assert [c.value for c in owners[1]] == ["Owner", "Email", "CC"]
    assert "--requests" in owners["B1"].comment.text
    assert "Cc:" in owners["C1"].comment.text
    workbook["Recommendations"].append([1, "Grow the local workforce", ""])
    workbook["Actions"].append([1, "Run a jobs fair", "Alex Smith – Head of Careers",
                                "Q4 2024-25", "Not started"])
    owners.append(["Alex Smith", "alex.smith@example.org", "careers.pa@example.org"])
    workbook.save(path)
    out = tmp_path / "out"
    assert main([str(path), "--requests", "--out", str(out), "--as-at", "2024-06-01"]) == 0
    message = read_email(out / "Update requests - 2024-06-01" / "Alex Smith.eml")
    assert [a.addr_spec for a in message["To"].addresses] == ["alex.smith@example.org"]
    assert [a.addr_spec for a in message["Cc"].addresses] == ["careers.pa@example.org"]


def test_cell_text_is_text_in_the_form_and_the_email(make_workbook, tmp_path, cli):
    from factories import HOSTILE_TEXT

    path = make_workbook([action(1, f"Alpha: {HOSTILE_TEXT}", "Jo Moss",
                                 comments="Line one\nLine two & more")])
    assert cli(["--requests", path, "--out", tmp_path / "out"])[0] == 0
    folder = tmp_path / "out" / FOLDER
    assert f"Alpha: {HOSTILE_TEXT}" in docx_text((folder / "Jo Moss.docx").read_bytes())
    plain, html = email_texts(read_email(folder / "Jo Moss.eml"))
    assert f"Alpha: {HOSTILE_TEXT}" in plain
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Line one<br>\r\nLine two &amp; more" in html


def test_planning_alone_orders_and_words_the_requests():
    # The planning stage, without files: pure data in, pure data out.
    from wfs_reports.config import load_templates
    from wfs_reports.domain.assess import assess_plan
    from wfs_reports.domain.model import Action, Plan, Recommendation, ReportSettings, Status
    from wfs_reports.requests.plan import default_reply_by, plan_requests

    def row(number, text, due, status=Status.IN_PROGRESS, **extra):
        return Action(row=number, ref=1, action=text, owners="Jo Moss", completion_date=due,
                      status=status, cells={"owners": f"Actions!C{number}"}, **extra)

    actions = [
        row(2, "rest", "Q4 2024-25"),
        row(3, "stale", "Q4 2024-25", last_updated=dt.date(2023, 1, 5)),
        row(4, "staged", "Stage 1: Q4 2023-24 Stage 2: TBC"),
        row(5, "ambiguous", "Q2 2024"),
        row(6, "missed", "Q1 2023-24"),
        row(7, "blank status", "Q4 2024-25", status=Status.BLANK),
    ]
    plan = Plan(ReportSettings(), [Recommendation(1, "One", actions=actions)])
    rules = load_templates().rules
    requests = plan_requests(plan, assess_plan(plan, AS_AT, rules), as_at=AS_AT, reply_by=None,
                             rules=rules)
    assert requests.reply_by == "6 December 2023" and requests.folder == FOLDER
    (jo,) = requests.requests
    assert [item.action for item in jo.items] == [
        "missed", "staged", "ambiguous", "stale", "rest", "blank status"]
    needed = {item.action: item.needed for item in jo.items}
    assert needed["staged"] == ("Confirm the Stage 2 completion date",)
    assert needed["ambiguous"][0].startswith("Say which year 'Q2 2024' means")
    assert needed["blank status"] == ("Give its status: not started, in progress or completed",)
    assert jo.attention == 4
    assert default_reply_by(MEETING, AS_AT) == dt.date(2023, 11, 23)
    assert default_reply_by(None, AS_AT) == dt.date(2023, 12, 6)


def test_a_workbook_kept_in_the_requests_folder_is_never_replaced(make_workbook, tmp_path,
                                                                   cli):
    folder = tmp_path / "out" / FOLDER
    folder.mkdir(parents=True)
    path = folder / "plan.xlsx"
    path.write_bytes(make_workbook([action(1, "Alpha: x", "Jo Moss")]).read_bytes())
    before = path.read_bytes()
    code, _out, err = cli(["--requests", path, "--out", tmp_path / "out"])
    assert code == 1
    assert err.strip().splitlines() == [
        f"error: {folder}: the workbook being read is in this folder, which a run replaces; "
        "move the workbook, or choose another --out"]
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["plan.xlsx"]
