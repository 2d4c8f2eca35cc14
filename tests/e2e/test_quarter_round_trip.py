"""The quarter's round trip on a plan that is not the sample (issue 22, "How it
will be checked"): `--requests` writes each owner's REAL form; the owner fills
its content controls (here by editing the form's XML as Word would save it);
`--replies` puts every reply on its action in the review workbook; `--apply`
writes a copy with only the target cells changed; `make-report` on the copy
shows the updates; `--next-quarter` on the copy moves the dates on and clears
the overrides. The original workbook is never changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from factories import (
    ACTIONS_PART,
    REPORT_PART,
    action,
    as_excel_saves,
    changed_cells,
    digital_inclusion_plan,
    officer_extras,
    only_gained,
    outside_cells,
    reply_email,
    reply_msg,
    zip_parts,
)
from lxml import etree

from wfs_reports.domain.reply_tags import ReplyField

LIBRARIES, DIGITAL = "Libraries Manager", "Digital Inclusion Lead"
EMAILS = {LIBRARIES: "libraries@example.org", DIGITAL: "digital@example.org"}
WIFI = "Install public Wi-Fi in the six branch libraries"  # 1.1, row 2, Libraries
LAPTOPS = "Lend 200 refurbished laptops"  # 1.2, row 3, shared by both owners
TRAINING = "Run digital champion training for housing officers"  # 2.1, row 4, Digital
DIRECTORY = "Publish a digital skills directory"  # 2.2, row 5, Completed: not asked
AS_AT = dt.date(2024, 6, 30)
REQUESTS = "Update requests - 2024-06-30"
REVIEW = "Replies - 2024-06-30.xlsx"
REPLIED = dt.datetime(2024, 7, 3, 10)  # when the owners saved their forms
# openpyxl, reading the copies here to check them, cannot keep Excel's x14 validation.
pytestmark = pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture
def plan(tmp_path) -> Path:
    """A Digital Inclusion plan with an Owners sheet (two owners, one action shared),
    as Excel saves it with what an officer adds: comments, data validation,
    conditional formatting, a formula column, a chart, an image, a defined name."""
    def owners(book):
        sheet = book.create_sheet("Owners")
        sheet.append(["Owner", "Email"])
        for name, address in EMAILS.items():
            sheet.append([name, address])

    def officers_own(book):
        owners(book)
        officer_extras(book)

    path = digital_inclusion_plan(tmp_path / "Digital plan.xlsx", actions=[
        action(1, WIFI, LIBRARIES, "Q2 2024-25", "In progress", "Four of six branches live",
               override="Red", reason="Supplier delay agreed by the Board"),
        action(1, LAPTOPS, f"{LIBRARIES} / {DIGITAL}", "Q4 2024-25", "Not started"),
        action(2, TRAINING, DIGITAL, "Q3 2024-25", "In progress", "Two sessions held"),
        action(2, DIRECTORY, DIGITAL, "Q1 2024-25", "Completed", "Published in May"),
    ], customise=officers_own)
    path.write_bytes(as_excel_saves(path.read_bytes()))
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(cli, *argv) -> str:
    code, out, err = cli(list(argv))
    assert code == 0, err
    return out


def real_forms(cli, plan: Path, *extra) -> dict[str, bytes]:
    """{owner: the form --requests wrote for them}."""
    out = plan.parent / "requests"
    run(cli, "--requests", plan, "--out", out, *extra)
    [folder] = out.glob("Update requests - *")
    return {path.stem: path.read_bytes() for path in folder.glob("*.docx")}


# -- filling a real form as an owner does -------------------------------------------

def _run_xml(text: str) -> etree._Element:
    run_ = etree.Element(w("r"))
    etree.SubElement(run_, w("t")).text = text
    return run_


def _paragraph(*runs: etree._Element) -> etree._Element:
    paragraph = etree.Element(w("p"))
    paragraph.extend(runs)
    return paragraph


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _field(sdt: etree._Element) -> ReplyField | None:
    tag = sdt.find("w:sdtPr/w:tag", NS)
    if tag is None:
        return None
    return next((f for f in ReplyField if f"/{f.value}/" in tag.get(w("val"))), None)


def fill(form: bytes, answers: dict[str, dict], *, sort: bool = False, tracked: bool = False,
         outside: dict[str, str] | None = None, saved: dt.datetime = REPLIED) -> bytes:
    """The form with each row whose action text is a key of ``answers`` filled in:
    {"status": ..., "date": ..., "update": "para\\n\\npara"} (a field not given is
    left showing its prompt). ``sort`` reverses the action rows; ``tracked`` types
    with tracked changes on (the update inside w:ins); ``outside`` {action: text}
    types text in the update's cell beside the field; ``saved`` is when Word saved."""
    parts = zip_parts(form)
    root = etree.fromstring(parts["word/document.xml"])
    table = next(t for t in root.iter(w("tbl")) if t.find(".//w:sdt", NS) is not None)
    rows = [tr for tr in table.findall("w:tr", NS) if tr.find(".//w:sdt", NS) is not None]
    seen = set()
    for tr in rows:
        shown = _text(tr.find("w:tc", NS))
        name = next((a for a in answers if a in shown), None)
        if name is None:
            continue
        seen.add(name)
        for sdt in tr.iter(w("sdt")):
            field = _field(sdt)
            value = answers[name].get(field.value) if field else None
            if not value:
                continue
            properties = sdt.find("w:sdtPr", NS)
            properties.remove(properties.find("w:showingPlcHdr", NS))
            content = sdt.find("w:sdtContent", NS)
            for child in list(content):
                content.remove(child)
            if field is ReplyField.UPDATE:
                for line in value.split("\n\n"):
                    runs = [_run_xml(line)]
                    if tracked:
                        inserted = etree.Element(w("ins"), {w("id"): "9", w("author"): "Owner",
                                                            w("date"): "2024-07-03T10:00:00Z"})
                        inserted.extend(runs)
                        runs = [inserted]
                    content.append(_paragraph(*runs))
            else:
                content.append(_run_xml(value))
        if outside and name in outside:
            cell = next(sdt for sdt in tr.iter(w("sdt"))
                        if _field(sdt) is ReplyField.UPDATE).getparent()
            cell.append(_paragraph(_run_xml(outside[name])))
    assert seen == set(answers), f"rows not in the form: {set(answers) - seen}"
    if sort:
        for tr in rows:
            table.remove(tr)
        table.extend(reversed(rows))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    core = parts["docProps/core.xml"].decode()
    parts["docProps/core.xml"] = re.sub(
        r"(<dcterms:modified[^>]*>)[^<]*", rf"\g<1>{saved:%Y-%m-%dT%H:%M:%SZ}", core).encode()
    return pack(parts)


def pack(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


# -- reading the review workbook ----------------------------------------------------

def review(cli, folder: Path, plan: Path, *extra) -> tuple[dict[str, list[dict]], str]:
    before = sha(plan)
    out = run(cli, "--replies", folder, plan, *extra)
    assert sha(plan) == before  # the workbook is only read
    book = openpyxl.load_workbook(plan.parent / REVIEW)

    def rows(sheet: str) -> list[dict]:
        values = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(values[0], r, strict=True)) for r in values[1:]]
    return {name: rows(name) for name in ("Changes", "Conflicts", "No reply yet",
                                          "Not understood")}, out


def by_number(changes: list[dict]) -> dict[str, dict]:
    return {c["Action no."]: c for c in changes}


LIBRARIES_ANSWERS = {
    WIFI: {"status": "Completed", "date": "Q4 2024-25",
           "update": "All six branches are live.\n\nUsage reports go to the Board in October."},
    LAPTOPS: {"status": "In progress", "update": "Donor found; first 50 laptops in August."},
}
DIGITAL_ANSWERS = {
    TRAINING: {"status": "In progress", "date": "Q4 2024-25",
               "update": "Four sessions held.\n\nThe last two are booked for January."},
}


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "Returned forms"
    path.mkdir()
    return path


LIBRARIES_UPDATE = "All six branches are live.\nUsage reports go to the Board in October."


def check_libraries(changes: dict[str, dict]) -> None:
    wifi, laptops = changes["1.1"], changes["1.2"]
    assert wifi["Action"] == WIFI and laptops["Action"] == LAPTOPS
    assert wifi["Owner"] == LIBRARIES
    assert (wifi["Status cell"], wifi["Completion Date cell"], wifi["Comments cell"],
            wifi["Last Updated cell"]) == ("Actions!E2", "Actions!D2", "Actions!F2",
                                           "Actions!I2")
    assert wifi["Status now"] == "In progress" and wifi["Completion date now"] == "Q2 2024-25"
    assert wifi["Proposed status"] == "Completed"
    assert wifi["Proposed completion date"] == "Q4 2024-25"
    assert wifi["Proposed update"] == LIBRARIES_UPDATE
    assert laptops["Status cell"] == "Actions!E3"
    assert laptops["Proposed status"] == "In progress"
    assert laptops["Proposed update"] == "Donor found; first 50 laptops in August."
    assert not laptops["Proposed completion date"]  # left showing its prompt


# -- 1. the real form, filled, reviewed and applied -----------------------------------

def test_real_forms_filled_in_land_on_their_actions_and_apply_changes_only_those_cells(
        cli, plan, folder):
    original = plan.read_bytes()
    forms = real_forms(cli, plan)
    assert sorted(forms) == [DIGITAL, LIBRARIES]
    (folder / f"{LIBRARIES}.docx").write_bytes(fill(forms[LIBRARIES], LIBRARIES_ANSWERS))
    (folder / f"{DIGITAL}.docx").write_bytes(fill(forms[DIGITAL], DIGITAL_ANSWERS))

    sheets, _out = review(cli, folder, plan)
    changes = by_number(sheets["Changes"])
    assert sorted(changes) == ["1.1", "1.2", "2.1"]
    check_libraries(changes)
    training = changes["2.1"]
    assert training["Action"] == TRAINING and training["Owner"] == DIGITAL
    assert training["Status cell"] == "Actions!E4"
    assert training["Proposed completion date"] == "Q4 2024-25"
    assert training["Proposed update"] == ("Four sessions held.\n"
                                           "The last two are booked for January.")
    assert sheets["Not understood"] == [] and sheets["Conflicts"] == []
    assert sheets["No reply yet"] == []
    assert [c["Apply"] for c in sheets["Changes"]] == ["Yes"] * 3, [
        c["Check"] for c in sheets["Changes"]]

    out = run(cli, "--replies", folder, plan, "--apply")
    assert plan.read_bytes() == original
    [applied] = plan.parent.glob("Digital plan (replies *).xlsx")
    assert out.splitlines()[-1].startswith("Applied 3 updates from 2 owners")

    before, after = zip_parts(original), zip_parts(applied.read_bytes())
    assert list(after) == list(before)
    assert {name for name in before if after[name] != before[name]} <= {
        ACTIONS_PART, "xl/styles.xml", "xl/sharedStrings.xml"}
    assert only_gained(before["xl/styles.xml"], after["xl/styles.xml"])
    assert changed_cells(before[ACTIONS_PART], after[ACTIONS_PART]) == {
        "D2", "E2", "F2", "I2",  # 1.1: status, date, update, when
        "E3", "F3", "I3",  # 1.2: no new date
        "D4", "F4", "I4",  # 2.1: still In progress
    }
    assert outside_cells(after[ACTIONS_PART]) == outside_cells(before[ACTIONS_PART])
    sheet = openpyxl.load_workbook(applied)["Actions"]
    assert sheet["E2"].value == "Completed" and sheet["D2"].value == "Q4 2024-25"
    assert sheet["I2"].value.date() == REPLIED.date()
    assert sheet["K2"].value == '=IF(I2="","",TODAY()-I2)'  # the formula column kept

    # make-report on the copy shows the updates.
    report = plan.parent / "report"
    run(cli, applied, "--out", report, "--format", "json", "--no-previous")
    [snapshot] = report.glob("*.json")
    text = snapshot.read_text()
    for update in ("All six branches are live.", "Donor found; first 50 laptops in August.",
                   "The last two are booked for January."):
        assert update in text


# -- 2. forms filled in the ways owners fill them --------------------------------------

def test_sorted_rows_typed_text_and_tracked_changes_still_land(cli, plan, folder):
    forms = real_forms(cli, plan)
    (folder / f"{LIBRARIES}.docx").write_bytes(fill(
        forms[LIBRARIES], LIBRARIES_ANSWERS, sort=True, tracked=True,
        outside={LAPTOPS: "Ring me about the donor"}))
    sheets, _ = review(cli, folder, plan)
    changes = by_number(sheets["Changes"])
    check_libraries(changes)
    assert "Ring me about the donor" in changes["1.2"]["Notes"]
    assert "Ring me" not in changes["1.2"]["Proposed update"]
    assert [c["Owner"] for c in sheets["No reply yet"]] == [DIGITAL]


def test_forms_inside_an_eml_and_a_msg_land_on_their_owners_actions(cli, plan, folder):
    forms = real_forms(cli, plan)
    (folder / "RE Please send your update.eml").write_bytes(reply_email(
        f"Libraries <{EMAILS[LIBRARIES]}>", dt.datetime(2024, 7, 4, 9),
        form=fill(forms[LIBRARIES], LIBRARIES_ANSWERS), form_name="my update.docx"))
    (folder / "RE Please send your update.msg").write_bytes(reply_msg(
        EMAILS[DIGITAL], dt.datetime(2024, 7, 5, 9),
        form=fill(forms[DIGITAL], DIGITAL_ANSWERS), form_name="form.docx"))
    sheets, _ = review(cli, folder, plan)
    changes = by_number(sheets["Changes"])
    check_libraries(changes)
    assert changes["1.1"]["From"] == "RE Please send your update.eml: my update.docx"
    assert changes["1.1"]["Reply date"].date() == dt.date(2024, 7, 4)
    assert changes["2.1"]["Owner"] == DIGITAL
    assert changes["2.1"]["Reply date"].date() == dt.date(2024, 7, 5)
    assert changes["2.1"]["Proposed update"].startswith("Four sessions held.")
    assert sheets["No reply yet"] == [] and sheets["Not understood"] == []


def test_a_real_form_from_another_quarter_is_not_understood(cli, plan, folder, tmp_path):
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    old = real_forms(cli, shutil.copy(plan, earlier / plan.name), "--as-at", "2024-03-31")
    (folder / f"{LIBRARIES}.docx").write_bytes(fill(old[LIBRARIES], LIBRARIES_ANSWERS))
    sheets, _ = review(cli, folder, plan)
    assert sheets["Changes"] == []
    [why] = sheets["Not understood"]
    assert why["File"] == f"{LIBRARIES}.docx"
    assert "another quarter" in why["Why"] and "31 March 2024" in why["Why"]


def test_owners_of_the_shared_action_who_disagree_are_a_conflict(cli, plan, folder):
    forms = real_forms(cli, plan)
    (folder / f"{LIBRARIES}.docx").write_bytes(fill(forms[LIBRARIES], LIBRARIES_ANSWERS))
    (folder / f"{DIGITAL}.docx").write_bytes(fill(forms[DIGITAL], {
        LAPTOPS: {"status": "Completed", "update": "All 200 laptops lent to residents by July."},
    }))
    sheets, out = review(cli, folder, plan)
    [conflict] = sheets["Conflicts"]
    assert conflict["Action no."] == "1.2"
    assert LIBRARIES in conflict["What"] and DIGITAL in conflict["What"]
    laptops = by_number(sheets["Changes"])["1.2"]
    assert laptops["Apply"] == "No" and "disagree" in laptops["Check"]
    assert by_number(sheets["Changes"])["1.1"]["Apply"] == "Yes"
    assert "1 conflict" in out.splitlines()[-1]


def test_an_unreadable_date_in_a_real_form_is_flagged_to_check(cli, plan, folder):
    forms = real_forms(cli, plan)
    (folder / f"{DIGITAL}.docx").write_bytes(fill(forms[DIGITAL], {
        TRAINING: {"date": "after the summer", "update": "Waiting for the new trainer."}}))
    sheets, out = review(cli, folder, plan)
    training = by_number(sheets["Changes"])["2.1"]
    assert training["Apply"] == "No"
    assert "'after the summer' cannot be read as a date" in training["Check"]
    assert "1 unreadable date" in out.splitlines()[-1]


# -- 3. a form re-saved by LibreOffice --------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                    "the LibreOffice re-save is checked only where it is")
def test_a_form_resaved_by_libreoffice_is_matched_by_its_visible_identity(
        cli, plan, folder, tmp_path):
    forms = real_forms(cli, plan)
    # The owner answers 1.1 in full and 1.2's update only: 1.2's status and
    # date, left empty, still show their prompts after LibreOffice's re-save.
    answers = {WIFI: LIBRARIES_ANSWERS[WIFI], LAPTOPS: {"update": "Donor found."}}
    filled = tmp_path / "filled" / f"{LIBRARIES}.docx"
    filled.parent.mkdir()
    filled.write_bytes(fill(forms[LIBRARIES], answers, sort=True))
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "docx", "--outdir", folder, filled],
                   check=True, capture_output=True, timeout=180)
    resaved = (folder / filled.name).read_bytes()
    document = zip_parts(resaved)["word/document.xml"].decode()
    assert "wfs-reply/" not in document  # LibreOffice dropped the tags
    assert ReplyField.STATUS.placeholder in document  # and kept the prompt as text

    sheets, _ = review(cli, folder, plan)
    changes = by_number(sheets["Changes"])
    assert sorted(changes) == ["1.1", "1.2"]
    wifi, laptops = changes["1.1"], changes["1.2"]
    assert wifi["Action"] == WIFI and wifi["Status cell"] == "Actions!E2"
    assert wifi["Proposed status"] == "Completed"
    assert wifi["Proposed completion date"] == "Q4 2024-25"
    assert wifi["Proposed update"] == LIBRARIES_UPDATE  # both paragraphs
    assert "Usage reports" not in (wifi["Notes"] or "")
    assert laptops["Action"] == LAPTOPS and laptops["Comments cell"] == "Actions!F3"
    assert laptops["Proposed update"] == "Donor found."
    # A field still showing its prompt is empty, not a reply.
    assert laptops["Proposed status"] in (None, "")
    assert laptops["Proposed completion date"] in (None, "")
    for value in laptops.values():
        for field in ReplyField:
            assert field.placeholder not in str(value or ""), laptops
    assert sheets["Not understood"] == []


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                    "opening the applied copy in LibreOffice is checked only where it is")
def test_libreoffice_opens_the_applied_copy(cli, plan, folder, tmp_path):
    forms = real_forms(cli, plan)
    (folder / f"{LIBRARIES}.docx").write_bytes(fill(forms[LIBRARIES], LIBRARIES_ANSWERS))
    run(cli, "--replies", folder, plan, "--apply")
    [applied] = plan.parent.glob("Digital plan (replies *).xlsx")
    opened = tmp_path / "opened"
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--headless", "--convert-to", "xlsx", "--outdir", opened, applied],
                   check=True, capture_output=True, timeout=180)
    sheet = openpyxl.load_workbook(opened / applied.name)["Actions"]
    assert sheet["E2"].value == "Completed" and sheet["D2"].value == "Q4 2024-25"
    assert sheet["F2"].value == LIBRARIES_UPDATE
    assert sheet["F3"].value == "Donor found; first 50 laptops in August."


def as_libreoffice_saves(form: bytes) -> bytes:
    """The form as LibreOffice 7.4 re-saves it (seen with soffice --convert-to docx):
    tags and the drop-down's title dropped, Word's placeholder mark dropped from
    the text fields (their prompt kept as text), and a several-paragraph field
    keeping only its first paragraph inside, the others after it in the cell."""
    parts = zip_parts(form)
    root = etree.fromstring(parts["word/document.xml"])
    for sdt in list(root.iter(w("sdt"))):
        field = _field(sdt)
        properties = sdt.find("w:sdtPr", NS)
        properties.remove(properties.find("w:tag", NS))
        if field is ReplyField.STATUS:
            properties.remove(properties.find("w:alias", NS))
        elif properties.find("w:showingPlcHdr", NS) is not None:
            properties.remove(properties.find("w:showingPlcHdr", NS))
        content = sdt.find("w:sdtContent", NS)
        paragraphs = content.findall("w:p", NS)
        if field is ReplyField.UPDATE and paragraphs:
            cell, first = sdt.getparent(), etree.Element(w("p"))
            cell.replace(sdt, first)
            runs = [r for r in paragraphs[0] if r.tag != w("pPr")]
            for paragraph in paragraphs:
                content.remove(paragraph)
            content.extend(runs)
            first.append(sdt)
            cell.extend(paragraphs[1:])
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    return pack(parts)


def test_a_form_as_libreoffice_saves_it_without_libreoffice(cli, plan, folder):
    # The same check as above where LibreOffice is not installed.
    forms = real_forms(cli, plan)
    answers = {WIFI: LIBRARIES_ANSWERS[WIFI], LAPTOPS: {"update": "Donor found."}}
    (folder / f"{LIBRARIES}.docx").write_bytes(as_libreoffice_saves(
        fill(forms[LIBRARIES], answers, sort=True)))
    sheets, _ = review(cli, folder, plan)
    changes = by_number(sheets["Changes"])
    assert sorted(changes) == ["1.1", "1.2"]
    wifi, laptops = changes["1.1"], changes["1.2"]
    assert (wifi["Proposed status"], wifi["Proposed completion date"],
            wifi["Proposed update"]) == ("Completed", "Q4 2024-25", LIBRARIES_UPDATE)
    assert not wifi["Notes"]
    assert laptops["Proposed update"] == "Donor found."
    assert laptops["Proposed status"] in (None, "")
    assert laptops["Proposed completion date"] in (None, "")


# -- 4. next quarter from the applied copy ---------------------------------------------

def test_next_quarter_from_the_applied_copy(cli, plan, folder):
    forms = real_forms(cli, plan)
    (folder / f"{LIBRARIES}.docx").write_bytes(fill(forms[LIBRARIES], LIBRARIES_ANSWERS))
    run(cli, "--replies", folder, plan, "--apply")
    [applied] = plan.parent.glob("Digital plan (replies *).xlsx")
    before_bytes = applied.read_bytes()

    out = run(cli, "--next-quarter", applied, "--meeting-date", "17/10/2024")
    assert applied.read_bytes() == before_bytes
    [following] = plan.parent.glob("Digital plan (replies *) (next quarter).xlsx")
    assert "Actions!G2: override 'Red' cleared" in out
    assert "as at 30 September 2024" in out.splitlines()[-1]

    before, after = zip_parts(before_bytes), zip_parts(following.read_bytes())
    assert list(after) == list(before)
    assert {name for name in before if after[name] != before[name]} <= {
        REPORT_PART, ACTIONS_PART, "xl/styles.xml"}
    settings = openpyxl.load_workbook(applied)["Report"]
    rows = {row[0].value: row[0].row for row in settings.iter_rows()}
    assert changed_cells(before[REPORT_PART], after[REPORT_PART]) == {
        f"B{rows['As at']}", f"B{rows['Meeting date']}"}
    assert changed_cells(before[ACTIONS_PART], after[ACTIONS_PART]) == {"G2", "H2"}
    for part in (REPORT_PART, ACTIONS_PART):
        assert outside_cells(after[part]) == outside_cells(before[part])

    book = openpyxl.load_workbook(following)
    assert book["Report"][f"B{rows['As at']}"].value == dt.datetime(2024, 9, 30)
    assert book["Report"][f"B{rows['Meeting date']}"].value == dt.datetime(2024, 10, 17)
    actions = book["Actions"]
    assert actions["G2"].value is None and actions["H2"].value is None
    # The applied replies stay, Last Updated too.
    assert actions["E2"].value == "Completed"
    assert actions["I2"].value.date() == REPLIED.date()
