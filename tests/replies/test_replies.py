"""make-report --replies: returned forms, filled in the ways owners fill them,
each landing on its action in the review workbook, every problem listed, and
the workbook itself never changed."""

from __future__ import annotations

import datetime as dt
import hashlib

import openpyxl
import pytest
from factories import FormRow, action, reply_email, reply_form, reply_msg

AS_AT = dt.date(2023, 11, 22)
REPLIES = "Replies - 2023-11-22.xlsx"
JO, SAM, PAT = "Jo Bloggs", "Sam Smith", "Pat Lee"
ACTIONS = [
    action(1, "Alpha: recruit the cohort", JO, due="Q4 2023-24"),  # row 2, 1.1
    action(1, "Bravo: agree the data set", JO, due="31/03/2024"),  # row 3, 1.2
    action(2, "Charlie: shared by two", f"{JO} / {SAM}", due="Q4 2023-24"),  # row 4, 2.1
    action(2, "Delta: Sam's own", SAM, due="Q1 2024-25"),  # row 5, 2.2
    action(2, "Echo: Pat's own", PAT, due="Q1 2024-25"),  # row 6, 2.3
    action(1, "Foxtrot: done already", JO, status="Completed"),  # row 7, 1.3
]
# name -> (ref, position, text, workbook row)
WHERE = {"Alpha": (1, 1, 2), "Bravo": (1, 2, 3), "Charlie": (2, 1, 4), "Delta": (2, 2, 5),
         "Echo": (2, 3, 6)}
EMAILS = {JO: "jo@example.org", SAM: "sam@example.org", PAT: "pat@example.org"}


def row(name: str, **values) -> FormRow:
    ref, position, workbook_row = WHERE[name]
    text = next(a[1] for a in ACTIONS if a[1].startswith(f"{name}:"))
    return FormRow(ref, position, text, workbook_row, **values)


@pytest.fixture
def workbook(make_workbook):
    def owners(book):
        sheet = book.create_sheet("Owners")
        sheet.append(["Owner", "Email"])
        for name, address in EMAILS.items():
            sheet.append([name, address])
    return make_workbook(ACTIONS, customise=owners)


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "returned"
    path.mkdir()
    return path


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def review(cli, folder, workbook, *extra):
    before = sha(workbook)
    code, out, err = cli(["--replies", folder, workbook, *extra])
    assert code == 0, err
    assert sha(workbook) == before  # the workbook is only read
    book = openpyxl.load_workbook(workbook.parent / REPLIES)

    def rows(sheet: str) -> list[dict]:
        values = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(values[0], r, strict=True)) for r in values[1:]]
    return {name: rows(name) for name in ("Changes", "Conflicts", "No reply yet",
                                          "Not understood")}, out


def by_action(changes: list[dict]) -> dict[str, dict]:
    return {c["Action"].split(":")[0]: c for c in changes}


JO_ROWS = [
    row("Alpha", status="In progress", date="Q1 2024-25",
        update="Interviews held in October.\n\nOffers made to six."),
    row("Bravo", status="Completed", update="Agreed at the Board on 1 November 2023; see the "
        "minutes"),
    row("Charlie", status="In progress", update="Drafting the rota"),
]


def check_jo(changes: dict[str, dict]) -> None:
    alpha, bravo = changes["Alpha"], changes["Bravo"]
    assert alpha["Owner"] == JO
    assert alpha["Action no."] == "1.1"
    assert (alpha["Status cell"], alpha["Completion Date cell"], alpha["Comments cell"],
            alpha["Last Updated cell"]) == ("Actions!E2", "Actions!D2", "Actions!F2",
                                            "Actions!I2")
    assert alpha["Status now"] == "In progress" and alpha["Completion date now"] == "Q4 2023-24"
    assert alpha["Proposed completion date"] == "Q1 2024-25"
    assert alpha["Proposed update"] == "Interviews held in October.\nOffers made to six."
    assert bravo["Proposed status"] == "Completed" and bravo["Status cell"] == "Actions!E3"
    assert alpha["Apply"] == bravo["Apply"] == "Yes", (alpha["Check"], bravo["Check"])


def test_a_filled_word_form_lands_on_its_actions_and_the_workbook_is_unchanged(
        cli, folder, workbook):
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(JO_ROWS, as_at=AS_AT, owner=JO))
    sheets, out = review(cli, folder, workbook)
    changes = by_action(sheets["Changes"])
    check_jo(changes)
    assert sorted(changes) == ["Alpha", "Bravo", "Charlie"]
    chase = {c["Owner"]: c for c in sheets["No reply yet"]}
    assert sorted(chase) == [PAT, SAM]
    assert chase[SAM]["Email"] == EMAILS[SAM] and chase[SAM]["Asked as at"] == "22 November 2023"
    assert chase[SAM]["Open actions"] == "2.1 Charlie: shared by two\n2.2 Delta: Sam's own"
    assert sheets["Conflicts"] == [] and sheets["Not understood"] == []
    assert "2 owners have not replied" in out.splitlines()[-1]


def test_a_form_resaved_by_libreoffice_with_its_rows_sorted_still_lands(cli, folder, workbook):
    # LibreOffice drops the tags and the fields' titles; the owner sorted the rows.
    form = reply_form(list(reversed(JO_ROWS)), as_at=AS_AT, owner=JO, tags=False)
    (folder / "returned form.docx").write_bytes(form)
    sheets, _ = review(cli, folder, workbook)
    check_jo(by_action(sheets["Changes"]))


def test_text_typed_outside_the_fields_is_noted_not_used(cli, folder, workbook):
    rows = [row("Alpha", update="On track", outside="Call me about this one")]
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(rows, as_at=AS_AT, owner=JO))
    sheets, _ = review(cli, folder, workbook)
    alpha = by_action(sheets["Changes"])["Alpha"]
    assert alpha["Proposed update"] == "On track"
    assert "Call me about this one" in alpha["Notes"]
    assert "Due Q4" not in alpha["Notes"]  # the form's own words are not the owner's


def test_tracked_changes_are_read_as_accepted(cli, folder, workbook):
    rows = [row("Alpha", update="Six offers accepted", deleted="Interviews next week")]
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(rows, as_at=AS_AT, owner=JO))
    sheets, _ = review(cli, folder, workbook)
    assert by_action(sheets["Changes"])["Alpha"]["Proposed update"] == "Six offers accepted"


def test_forms_returned_inside_an_eml_and_a_msg_land_on_their_owners_actions(
        cli, folder, workbook):
    jo = reply_form(JO_ROWS, as_at=AS_AT, owner=JO)
    sam = reply_form([row("Delta", status="In progress", update="Started in November")],
                     as_at=AS_AT, owner=SAM)
    # Forms renamed by the owners: the address says whose they are.
    (folder / "RE Update request.eml").write_bytes(
        reply_email(f"Jo <{EMAILS[JO]}>", dt.datetime(2023, 12, 1, 9), form=jo,
                    form_name="my update.docx"))
    (folder / "RE Update request.msg").write_bytes(
        reply_msg(EMAILS[SAM], dt.datetime(2023, 12, 2, 9), form=sam, form_name="form.docx"))
    sheets, _ = review(cli, folder, workbook)
    changes = by_action(sheets["Changes"])
    check_jo(changes)
    assert changes["Delta"]["Owner"] == SAM
    assert changes["Delta"]["Proposed update"] == "Started in November"
    assert changes["Delta"]["Reply date"].date() == dt.date(2023, 12, 2)
    assert changes["Alpha"]["From"] == "RE Update request.eml: my update.docx"
    assert [c["Owner"] for c in sheets["No reply yet"]] == [PAT]


def test_a_form_from_another_quarter_is_not_understood_and_says_why(cli, folder, workbook):
    old = reply_form(JO_ROWS, as_at=dt.date(2023, 8, 31), owner=JO)
    (folder / "Jo Bloggs.docx").write_bytes(old)
    sheets, _ = review(cli, folder, workbook)
    assert sheets["Changes"] == []
    [why] = sheets["Not understood"]
    assert why["File"] == "Jo Bloggs.docx"
    assert "another quarter" in why["Why"] and "31 August 2023" in why["Why"]


def test_two_owners_of_a_shared_action_who_disagree_are_a_conflict(cli, folder, workbook):
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(
        [row("Charlie", status="Completed", update="Finished and signed off by the Board")],
        as_at=AS_AT, owner=JO))
    (folder / "Sam Smith.docx").write_bytes(reply_form(
        [row("Charlie", status="In progress", date="Q2 2024-25", update="Not yet")],
        as_at=AS_AT, owner=SAM))
    sheets, out = review(cli, folder, workbook)
    [conflict] = sheets["Conflicts"]
    assert conflict["Action no."] == "2.1"
    assert JO in conflict["What"] and SAM in conflict["What"]
    charlie = by_action(sheets["Changes"])["Charlie"]
    assert charlie["Apply"] == "No" and "disagree" in charlie["Check"]
    assert "1 conflict" in out.splitlines()[-1]


def test_an_unreadable_date_is_left_for_the_officer(cli, folder, workbook):
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(
        [row("Alpha", date="when pigs fly", update="Waiting on funding")], as_at=AS_AT, owner=JO))
    sheets, out = review(cli, folder, workbook)
    alpha = by_action(sheets["Changes"])["Alpha"]
    assert alpha["Apply"] == "No"
    assert "'when pigs fly' cannot be read as a date" in alpha["Check"]
    assert "1 unreadable date" in out.splitlines()[-1]


def test_what_to_check_a_completed_without_evidence_and_an_earlier_date(cli, folder, workbook):
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(
        [row("Alpha", status="Completed"), row("Bravo", date="31/01/2024", update="Sooner")],
        as_at=AS_AT, owner=JO))
    sheets, _ = review(cli, folder, workbook)
    changes = by_action(sheets["Changes"])
    assert "no evidence of completion" in changes["Alpha"]["Check"]
    assert "earlier than the one in the workbook" in changes["Bravo"]["Check"]
    assert changes["Alpha"]["Apply"] == changes["Bravo"]["Apply"] == "No"


def test_a_reply_to_an_action_whose_text_changed_is_a_conflict(cli, folder, workbook):
    stale = FormRow(2, 3, "Echo: Pat's old wording", 6, status="In progress", update="Going")
    (folder / "Pat Lee.docx").write_bytes(reply_form([stale], as_at=AS_AT, owner=PAT))
    sheets, _ = review(cli, folder, workbook)
    [conflict] = sheets["Conflicts"]
    assert "text has changed" in conflict["What"] and "Echo: Pat's old wording" in conflict["What"]
    assert by_action(sheets["Changes"])["Echo"]["Apply"] == "No"


def test_files_that_are_not_forms_each_say_why(cli, folder, workbook):
    (folder / "notes.txt").write_text("hello")
    (folder / "broken.docx").write_bytes(b"not a zip")
    (folder / "other.docx").write_bytes(reply_form([], as_at=AS_AT))
    sheets, _ = review(cli, folder, workbook)
    why = {u["File"]: u["Why"] for u in sheets["Not understood"]}
    assert sorted(why) == ["broken.docx", "notes.txt", "other.docx"]
    assert "not a Word document" in why["broken.docx"]
    assert "no action rows" in why["other.docx"]


def test_a_reply_in_the_email_text_goes_to_the_action_it_names(cli, folder, workbook):
    (folder / "RE Update.eml").write_bytes(reply_email(
        f"Pat <{EMAILS[PAT]}>", dt.datetime(2023, 12, 1, 9),
        text="Hi,\n\n2.3 Recruitment has started.\n\nPat\n\nOn 22 Nov 2023 you wrote:\n> 2.2 x"))
    sheets, _ = review(cli, folder, workbook)
    echo = by_action(sheets["Changes"])["Echo"]
    assert echo["Owner"] == PAT
    assert echo["Proposed update"].startswith("Recruitment has started.")
    assert "email" in echo["Check"]


def test_no_folder_is_one_line(cli, tmp_path, workbook):
    code, _out, err = cli(["--replies", tmp_path / "missing", workbook])
    assert code == 1
    assert err.count("\n") == 1 and "no such folder" in err


# -- --apply -----------------------------------------------------------------------

def copies(workbook) -> list:
    return sorted(workbook.parent.glob(f"{workbook.stem} (replies *).xlsx"))


def cells(path, sheet="Actions") -> dict[str, object]:
    book = openpyxl.load_workbook(path)
    return {c.coordinate: c.value for row in book[sheet].iter_rows() for c in row
            if c.value is not None}


def parts(path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_apply_writes_a_copy_with_only_the_target_cells_changed(cli, folder, workbook):
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(JO_ROWS, as_at=AS_AT, owner=JO,
                                                       modified=dt.datetime(2023, 12, 1, 9)))
    before, original = cells(workbook), parts(workbook)
    _sheets, out = review(cli, folder, workbook, "--apply")
    [copy] = copies(workbook)
    assert out.splitlines()[-1].startswith("Applied 3 updates from 1 owner (see ")
    after = cells(copy)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {"D2", "F2", "I2", "E3", "F3", "I3", "F4", "I4"}
    assert after["D2"] == "Q1 2024-25"
    assert after["F2"] == "Interviews held in October.\nOffers made to six."
    assert after["E3"] == "Completed"
    assert after["I2"].date() == dt.date(2023, 12, 1)  # the reply's date
    written = parts(copy)
    assert written.keys() == original.keys()
    differ = {name for name in original if original[name] != written[name]}
    assert differ <= {"xl/worksheets/sheet3.xml", "xl/styles.xml"}
    # make-report reads the copy, updates and all.
    code, _out, err = cli([copy, "--out", copy.parent / "out", "--format", "json",
                           "--no-previous"])
    assert code == 0, err
    [snapshot] = (copy.parent / "out").glob("*.json")
    assert "Offers made to six." in snapshot.read_text()


def test_a_reply_already_applied_is_not_applied_twice(cli, folder, workbook):
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(JO_ROWS, as_at=AS_AT, owner=JO))
    review(cli, folder, workbook, "--apply")
    [copy] = copies(workbook)
    copy = copy.rename(workbook.with_name("applied.xlsx"))
    before = sha(copy)
    code, out, err = cli(["--replies", folder, copy, "--apply"])
    assert code == 0, err
    assert sha(copy) == before
    assert out.splitlines()[-1].startswith("Applied 0 updates")
    [again] = copies(copy)
    assert cells(again) == cells(copy)
    book = openpyxl.load_workbook(copy.parent / REPLIES)
    notes = [r[17] for r in book["Changes"].iter_rows(min_row=2, values_only=True)]
    assert notes == ["already in the workbook"] * 3


def test_an_older_reply_loses_to_a_newer_one_with_a_note(cli, folder, workbook):
    (folder / "first.docx").write_bytes(reply_form(
        [row("Alpha", update="Old news")], as_at=AS_AT, owner=JO,
        modified=dt.datetime(2023, 11, 25)))
    (folder / "second.docx").write_bytes(reply_form(
        [row("Alpha", update="New news")], as_at=AS_AT, owner=JO,
        modified=dt.datetime(2023, 11, 28)))
    sheets, _ = review(cli, folder, workbook, "--apply")
    alpha = by_action(sheets["Changes"])["Alpha"]
    assert alpha["Proposed update"] == "New news"
    assert "older reply (first.docx" in alpha["Notes"]
    [copy] = copies(workbook)
    assert cells(copy)["F2"] == "New news"


def test_apply_takes_the_reviewed_replies_workbook(cli, folder, workbook):
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(JO_ROWS, as_at=AS_AT, owner=JO))
    review(cli, folder, workbook)
    assert copies(workbook) == []  # no --apply: nothing but the review
    replies = workbook.parent / REPLIES
    book = openpyxl.load_workbook(replies)
    sheet = book["Changes"]
    for number in range(2, sheet.max_row + 1):
        name = sheet.cell(number, 4).value.split(":")[0]
        if name == "Bravo":
            sheet.cell(number, 19).value = "No"  # the officer says no
        if name == "Alpha":
            sheet.cell(number, 12).value = "Corrected by the officer"
    book.save(replies)
    before = sha(workbook)
    code, out, err = cli(["--apply", replies])
    assert code == 0, err
    assert sha(workbook) == before
    [copy] = copies(workbook)
    after = cells(copy)
    assert after["F2"] == "Corrected by the officer"
    assert after["E3"] == "In progress"  # Bravo left alone
    assert out.splitlines()[-1].startswith("Applied 2 updates from 1 owner")


def with_cached_value(path, sheet_part: str, cell: str, value: str) -> None:
    """Give a formula openpyxl wrote the saved value Excel would have written."""
    import zipfile

    items = parts(path)
    xml = items[sheet_part].decode()
    start = xml.index(f'<c r="{cell}"')
    end = xml.index("</c>", start)
    items[sheet_part] = (xml[:start] + xml[start:end].replace("<v></v>", f"<v>{value}</v>")
                         .replace(f'<c r="{cell}"', f'<c r="{cell}" t="str"', 1)
                         + xml[end:]).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items.items():
            archive.writestr(name, data)


def test_a_formula_in_a_target_cell_is_never_changed(cli, folder, make_workbook):
    def formula(book):
        book["Actions"]["F3"] = '="See "&B3'
    workbook = make_workbook(ACTIONS, customise=formula)
    with_cached_value(workbook, "xl/worksheets/sheet3.xml", "F3", "See Bravo")
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(JO_ROWS, as_at=AS_AT, owner=JO))
    code, out, err = cli(["--replies", folder, workbook, "--apply"])
    assert code == 0, err
    assert "Actions!F3 holds a formula" in err
    [copy] = copies(workbook)
    after = cells(copy)
    assert after["F3"] == '="See "&B3' and after["E3"] == "In progress"  # row 3 left out
    assert after["F2"].startswith("Interviews held")


def test_apply_keeps_validation_formatting_charts_images_comments_and_formulas(
        cli, folder, make_workbook, tmp_path):
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET

    from openpyxl.chart import BarChart, Reference
    from openpyxl.comments import Comment
    from openpyxl.drawing.image import Image
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from PIL import Image as Picture

    logo = tmp_path / "logo.png"
    Picture.new("RGB", (20, 10), "teal").save(logo)

    def rich(book):
        sheet = book["Actions"]
        choice = DataValidation(type="list", formula1='"Not started,In progress,Completed"')
        sheet.add_data_validation(choice)
        choice.add("E2:E50")
        sheet.conditional_formatting.add("E2:E50", CellIsRule(
            operator="equal", formula=['"Completed"'], fill=PatternFill("solid", "C6EFCE")))
        sheet["B2"].comment = Comment("Agreed with the Board", "Officer")
        sheet["J1"] = "Length"
        for number in range(2, 8):
            sheet[f"J{number}"] = f"=LEN(B{number})"
        chart = BarChart()
        chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=7), titles_from_data=True)
        sheet.add_chart(chart, "L2")
        sheet.add_image(Image(logo), "L20")
    workbook = make_workbook(ACTIONS, customise=rich)
    for number in range(2, 8):
        with_cached_value(workbook, "xl/worksheets/sheet3.xml", f"J{number}", "20")
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(JO_ROWS, as_at=AS_AT, owner=JO))
    original = parts(workbook)
    review(cli, folder, workbook, "--apply")
    [copy] = copies(workbook)
    written = parts(copy)
    assert written.keys() == original.keys()
    assert {"xl/charts/chart1.xml", "xl/media/image1.png", "xl/comments/comment1.xml"} \
        <= original.keys()
    differ = {name for name in original if original[name] != written[name]}
    assert differ <= {"xl/worksheets/sheet3.xml", "xl/styles.xml"}
    targets = {"D2", "F2", "I2", "E3", "F3", "I3", "F4", "I4"}

    def without_targets(data: bytes) -> bytes:
        root = ET.fromstring(data)
        for row in root.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"):
            for cell in list(row):
                if cell.get("r") in targets:
                    row.remove(cell)
        return ET.tostring(root)
    name = "xl/worksheets/sheet3.xml"
    assert without_targets(written[name]) == without_targets(original[name])
    if shutil.which("soffice") and not __import__("os").environ.get("WFS_SKIP_LIBREOFFICE"):
        out = tmp_path / "lo"
        done = subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv "
                               "(StarCalc):44,34,76,1,,0,false,true,false,false,false,3",
                               "--outdir", out, copy], capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
        actions = next(out.glob("*Actions*.csv")).read_text()
        assert "Interviews held in October." in actions and "Q1 2024-25" in actions


def test_running_again_keeps_the_review_it_replaces(cli, folder, workbook):
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(JO_ROWS, as_at=AS_AT, owner=JO))
    review(cli, folder, workbook)
    replies = workbook.parent / REPLIES
    book = openpyxl.load_workbook(replies)
    book["Changes"]["S2"] = "No"
    book.save(replies)
    reviewed = sha(replies)
    review(cli, folder, workbook)
    assert sha(workbook.parent / "Replies - 2023-11-22 (previous).xlsx") == reviewed


def test_a_reply_to_an_action_whose_row_moved_goes_to_its_new_row(cli, folder, workbook):
    # The form was made when Alpha was on row 9; a row has since been deleted above it.
    moved = FormRow(1, 1, "Alpha: recruit the cohort", 9, update="Offers made")
    (folder / "Jo Bloggs.docx").write_bytes(reply_form([moved], as_at=AS_AT, owner=JO))
    sheets, _ = review(cli, folder, workbook)
    [conflict] = sheets["Conflicts"]
    assert "from row 9 to row 2" in conflict["What"]
    alpha = by_action(sheets["Changes"])["Alpha"]
    assert alpha["Comments cell"] == "Actions!F2" and alpha["Apply"] == "Yes"


def test_a_form_without_tags_that_names_no_as_at_date_is_not_guessed(cli, folder, workbook):
    form = reply_form(JO_ROWS, as_at=dt.date(2023, 8, 31), owner=JO, tags=False)
    (folder / "Jo Bloggs.docx").write_bytes(form)
    sheets, _ = review(cli, folder, workbook)
    assert sheets["Changes"] == []
    [why] = sheets["Not understood"]
    assert "does not name the as-at date, 22 November 2023" in why["Why"]


def test_an_update_that_looks_like_a_formula_stays_text_and_is_applied_as_written(
        cli, folder, workbook):
    """An owner may start an update with '=' or '-'; the review workbook keeps it
    text (never a formula Excel would run), and --apply writes it as typed."""
    update = '=HYPERLINK("http://example.invalid","minutes") - see the minutes'
    (folder / "Jo Bloggs.docx").write_bytes(reply_form(
        [row("Alpha", update=update)], as_at=AS_AT, owner=JO))
    sheets, _ = review(cli, folder, workbook)
    assert by_action(sheets["Changes"])["Alpha"]["Proposed update"] == update
    changes = openpyxl.load_workbook(workbook.parent / REPLIES)["Changes"]
    column = [c.value for c in changes[1]].index("Proposed update")
    assert changes.cell(row=2, column=column + 1).data_type == "s"
    code, _out, err = cli(["--apply", workbook.parent / REPLIES])
    assert code == 0, err
    [copy] = copies(workbook)
    assert cells(copy)["F2"] == update
