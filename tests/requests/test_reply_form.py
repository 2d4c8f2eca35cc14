"""The update-request form as a form that can be read back (issue 22 §1): three Word
content controls per action, tagged with the action's identity, a visible identity
that survives LibreOffice, the email's wording, and the addresses of the draft."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from email import policy
from email.parser import BytesParser

import openpyxl
import pytest
from factories import action
from lxml import etree

from wfs_reports.domain.reply_tags import ReplyField, action_key, parse_tag, read_visible_identity

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AS_AT = dt.date(2023, 11, 22)
FOLDER = "Update requests - 2023-11-22"
STATUSES = ["Not started", "In progress", "Completed", "Not applicable"]

ACTIONS = [
    action(1, "Alpha: give a progress update", "Jo Moss", due="Q4 2024-25"),
    action(1, "Bravo: done already", "Jo Moss", due="Q2 2023-24", status="Completed"),
    action(1, "Charlie: due next month", "Jo Moss", due="15/12/2023"),  # due soon
    action(2, "Delta: missed its date", "Jo Moss\nSam Reed", due="Q1 2023-24"),
    action(2, "Echo: nobody else's", "Sam Reed", due="TBC"),
]


def owners(rows):
    def customise(workbook):
        sheet = workbook.create_sheet("Owners")
        for row in rows:
            sheet.append(list(row))
    return customise


@pytest.fixture
def folder(make_workbook, tmp_path, cli):
    path = make_workbook(ACTIONS, customise=owners([
        ("Owner", "Email", "CC"),
        ("Jo Moss", "jo.moss@example.org; j.moss@example.net", "jo.pa@example.org"),
        ("JO MOSS", "jo.moss@example.org", ""),  # the same address again: once in To:
        ("Sam Reed", "sam.reed@example.org", ""),
        ("Sam Reed", "s.reed@example.org", "office@example.org; jo.pa@example.org"),
    ]))
    code, _out, err = cli(["--requests", path, "--out", tmp_path / "out", "--as-at",
                           AS_AT.isoformat()])
    assert code == 0, err
    rows = {}
    for number, row in enumerate(openpyxl.load_workbook(path)["Actions"].iter_rows(
            min_row=2, values_only=True), start=2):
        rows[row[1].split(":")[0]] = number
    return tmp_path / "out" / FOLDER, rows


def text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def controls(docx: bytes) -> list[tuple[str, list[dict]]]:
    """Each action row of the form: its visible text, and its content controls."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    table = body.find(f"{W}body/{W}tbl")
    found = []
    for row in table.findall(f"{W}tr")[1:]:
        cells = row.findall(f"{W}tc")
        visible = "\n".join(text_of(p) for p in cells[0].iter(f"{W}p"))
        sdts = []
        for sdt in row.iter(f"{W}sdt"):
            pr = sdt.find(f"{W}sdtPr")
            sdts.append({
                "tag": pr.find(f"{W}tag").get(f"{W}val"),
                "alias": pr.find(f"{W}alias").get(f"{W}val"),
                "kind": [etree.QName(child).localname for child in pr
                         if etree.QName(child).localname in ("dropDownList", "text",
                                                               "comboBox", "date")],
                "items": [item.get(f"{W}value") for item in pr.iter(f"{W}listItem")],
                "placeholder": pr.find(f"{W}showingPlcHdr") is not None,
                "shows": text_of(sdt.find(f"{W}sdtContent")),
                "paragraphs": len(sdt.find(f"{W}sdtContent").findall(f"{W}p")),
                "column": [c for c in cells if sdt in c.iter(f"{W}sdt")] and
                          [i for i, c in enumerate(cells) if sdt in c.iter(f"{W}sdt")][0],
            })
        found.append((visible, sdts))
    return found


def test_each_action_row_has_three_tagged_controls_that_name_its_action(folder):
    out, rows = folder
    form = controls((out / "Jo Moss.docx").read_bytes())
    numbers = {"Alpha": (1, 1), "Charlie": (1, 3), "Delta": (2, 1)}
    assert len(form) == 3
    for visible, sdts in form:
        name = visible.split(":")[0].split(" ", 1)[1]
        ref, position = numbers[name]
        # The row's visible text starts with its number and text: LibreOffice keeps it.
        identity = read_visible_identity(visible.splitlines()[0])
        assert identity is not None and identity[:2] == (ref, position), visible
        assert identity[2] == next(a[1] for a in ACTIONS if a[1].startswith(name))
        assert f"Recommendation {ref}" in visible
        assert [s["alias"] for s in sdts] == ["Status now", "New completion date",
                                              "Your update"]
        tags = [parse_tag(s["tag"]) for s in sdts]
        assert [t.field for t in tags] == [ReplyField.STATUS, ReplyField.DATE,
                                           ReplyField.UPDATE]
        for tag in tags:
            assert (tag.as_at, tag.row, tag.ref) == (AS_AT, rows[name], ref)
            assert tag.key == action_key(ref, identity[2])
        status, date, update = sdts
        assert status["kind"] == ["dropDownList"] and status["items"] == STATUSES
        assert date["kind"] == ["text"]
        assert update["kind"] == [], "rich text: several paragraphs allowed"
        assert update["paragraphs"] >= 1
        assert [s["shows"] for s in sdts] == ["Choose a status", "e.g. Q4 2024-25",
                                              "Type your update"]
        assert all(s["placeholder"] for s in sdts)
        assert [s["column"] for s in sdts] == [6, 7, 8]


def test_the_controls_columns_are_headed_by_the_fields(folder):
    import docx

    out, _rows = folder
    header = docx.Document(out / "Jo Moss.docx").tables[0].rows[0]
    assert [cell.text for cell in header.cells][-3:] == [
        ReplyField.STATUS.heading, ReplyField.DATE.heading, ReplyField.UPDATE.heading]


def test_needing_attention_comes_first_as_the_heading_promises(folder):
    out, _rows = folder
    form = controls((out / "Jo Moss.docx").read_bytes())
    # Missed first, then due soon (needs attention), then the plain update, though
    # Alpha comes first in the workbook.
    assert [visible.split(":")[0] for visible, _ in form] == [
        "2.1 Delta", "1.3 Charlie", "1.1 Alpha"]
    import docx

    headings = [p.text for p in docx.Document(out / "Jo Moss.docx").paragraphs
                if p.style.name == "Heading 2"]
    assert "Your open actions (3, 2 needing attention)" in headings


def read_email(path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def test_the_email_asks_for_the_form_or_a_reply_and_names_no_column_it_lacks(folder):
    out, _rows = folder
    message = read_email(out / "Jo Moss.eml")
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (plain, html):
        flat = " ".join(body.split())
        assert "fill in the attached form (Jo Moss.docx)" in flat
        assert "and return it; or reply to this email with your update on each action" in flat
        assert "column" not in flat.casefold()
    # The form itself names the fields it has.
    import docx

    intro = " ".join(p.text for p in docx.Document(out / "Jo Moss.docx").paragraphs)
    for field in ReplyField:
        assert f"‘{field.heading}’" in intro


def test_several_addresses_and_cc_go_into_the_draft(folder):
    out, _rows = folder
    jo = read_email(out / "Jo Moss.eml")
    assert [a.addr_spec for a in jo["To"].addresses] == ["jo.moss@example.org",
                                                         "j.moss@example.net"]
    assert {a.display_name for a in jo["To"].addresses} == {"Jo Moss"}
    assert [a.addr_spec for a in jo["Cc"].addresses] == ["jo.pa@example.org"]
    sam = read_email(out / "Sam Reed.eml")
    assert [a.addr_spec for a in sam["To"].addresses] == ["sam.reed@example.org",
                                                          "s.reed@example.org"]
    assert [a.addr_spec for a in sam["Cc"].addresses] == ["office@example.org",
                                                          "jo.pa@example.org"]
    index = openpyxl.load_workbook(out.parent / FOLDER / f"{FOLDER}.xlsx")["Requests"]
    emails = {row[0]: row[1] for row in index.iter_rows(min_row=2, values_only=True)}
    assert emails["Jo Moss"] == "jo.moss@example.org; j.moss@example.net"
