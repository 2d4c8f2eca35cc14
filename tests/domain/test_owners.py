"""Owner rules (wfs_reports.domain.owners): who an Owner(s) cell names, and what is doubtful."""

from __future__ import annotations

import pytest

from wfs_reports.domain.model import Contact
from wfs_reports.domain.owners import (
    OwnerCell,
    email_address,
    looks_like_person,
    match_contacts,
    read_owners,
    resolve_owners,
)

FRANCESCA = "Francesca Okosi – Chief People and Culture Officer"


def names(text: str) -> list[str]:
    return [owner.name for owner in read_owners(text).owners]


def resolve(*texts: str):
    return resolve_owners(OwnerCell("Actions", f"C{row}", text)
                          for row, text in enumerate(texts, start=2))


@pytest.mark.parametrize("text", [
    FRANCESCA,
    "Francesca Okosi - Chief People and Culture Officer",
    "FRANCESCA OKOSI",
    "francesca  okosi",
    "Francesca Okosi, Chief People and Culture Officer",
    "Francesca Okosi (CPCO)",
    "Francesca Okosi — Chief People and Culture Officer",
])
def test_the_same_person_written_several_ways_is_one_owner(text):
    resolution = resolve(FRANCESCA, text)
    assert resolution.keys[0] == resolution.keys[1] == ("person:francesca okosi",)
    # Addressed by the mixed-case form, not the capitals.
    assert resolution.names["person:francesca okosi"] == "Francesca Okosi"


def test_a_name_and_a_role_separated_by_a_comma_is_the_name():
    assert names("Joanna Moss, Chief Strategy and Transformation Officer") == ["Joanna Moss"]
    owner = read_owners("Joanna Moss, Chief Strategy and Transformation Officer").owners[0]
    assert owner.is_person and owner.role == "Chief Strategy and Transformation Officer"


@pytest.mark.parametrize(("text", "expected"), [
    ("Joanna Moss / Chris Boylett", ["Joanna Moss", "Chris Boylett"]),
    ("Joanna Moss and Chris Boylett", ["Joanna Moss", "Chris Boylett"]),
    ("Joanna Moss & Chris Boylett", ["Joanna Moss", "Chris Boylett"]),
    ("Joanna Moss; Chris Boylett", ["Joanna Moss", "Chris Boylett"]),
    ("Joanna Moss\nChris Boylett", ["Joanna Moss", "Chris Boylett"]),
    ("Joanna Moss/Chris Boylett", ["Joanna Moss", "Chris Boylett"]),
    ("- Joanna Moss\n- Chris Boylett", ["Joanna Moss", "Chris Boylett"]),
    (FRANCESCA + " / Joanna Moss, Chief Strategy Officer", ["Francesca Okosi", "Joanna Moss"]),
    ("Rupert Brandon and Joanna Moss, Chief Strategy and Transformation Officer",
     ["Rupert Brandon", "Joanna Moss"]),
    (FRANCESCA + " and Joanna Moss", ["Francesca Okosi", "Joanna Moss"]),
    ("Joanna Moss / TBC", ["Joanna Moss"]),
    ("Joanna Moss / joanna moss", ["Joanna Moss"]),
])
def test_several_owners_are_each_an_owner(text, expected):
    assert names(text) == expected
    assert read_owners(text).notes == ()


@pytest.mark.parametrize("role", [
    "Head of ICS Workforce Planning and Systems",
    "Learning & Development Team",
    "HR/OD",
    "Director of Nursing and Quality",
])
def test_a_role_alone_is_one_owner_and_its_and_does_not_split_it(role):
    reading = read_owners(role)
    assert [o.name for o in reading.owners] == [role]
    assert not reading.owners[0].is_person
    assert reading.notes == ()


def test_a_role_written_with_and_or_ampersand_is_the_same_role():
    resolution = resolve("Head of Planning and Systems", "head of planning & systems")
    assert resolution.keys[0] == resolution.keys[1]


@pytest.mark.parametrize("text", ["", "TBC", "tbc", "T.B.C.", "To be confirmed", "TBA",
                                  "N/A", "  ", "Unassigned", "TBC - new post"])
def test_blank_and_tbc_name_nobody(text):
    assert read_owners(text).unowned


@pytest.mark.parametrize(("text", "note"), [
    ("Chris Boylett and Head of Finance",
     "'Chris Boylett and Head of Finance' was read as one owner: 'and' joins a name and "
     "something that is not a name; if these are two owners, separate them with ' / '"),
    ("Joanna Moss, Chris Boylett",
     "'Joanna Moss, Chris Boylett' was read as Joanna Moss, with 'Chris Boylett' as the role; "
     "if Chris Boylett is another owner, separate the owners with ' / '"),
])
def test_cases_the_rules_cannot_settle_are_notes_not_silent_guesses(text, note):
    # One owner, and one note saying how it was read and how to say otherwise.
    reading = read_owners(text)
    assert len(reading.owners) == 1
    assert reading.notes == (note,)
    (problem,) = resolve(text).problems
    assert (problem.sheet, problem.cell, problem.message) == ("Actions", "C2", note)


def test_a_role_followed_by_a_known_name_is_that_person_and_an_unknown_one_is_a_warning():
    known = resolve(FRANCESCA, "Chief People Officer – Francesca Okosi")
    assert known.keys[1] == ("person:francesca okosi",)
    assert known.problems == ()
    unknown = resolve("Chief People Officer – Francesca Okosi")
    assert unknown.keys[0][0].startswith("role:")
    assert "write the name first" in unknown.problems[0].message


def test_names_that_may_be_one_person_are_warnings():
    problems = resolve("Joanna Moss", "Jo Moss", "Chris").problems
    assert len(problems) == 1  # "Chris" is no known person's first name
    assert "Joanna Moss and Jo Moss are read as different people" in problems[0].message
    first_name = resolve("Chris Boylett", "Chris").problems
    assert [p.cell for p in first_name] == ["C3"]
    assert "'Chris' may be Chris Boylett" in first_name[0].message


@pytest.mark.parametrize(("text", "person"), [
    ("Francesca Okosi", True),
    ("Mary-Jane O'Brien", True),
    ("Dr Amina Begum", True),
    ("Ludwig van Beethoven", True),
    ("J. Smith", True),
    ("Chief People Officer", False),
    ("ICB Workforce", False),
    ("HR Team", False),
    ("Francesca", False),
    ("head of workforce", False),
    ("One Two Three Four Five", False),
])
def test_what_looks_like_a_persons_name(text, person):
    assert looks_like_person(text) is person


def test_no_owner_name_holds_a_line_break_or_control_character():
    for owner in read_owners("Evil Person\r\nBcc: victim@example.org\x00\u2028X Y").owners:
        assert not any(ch in owner.name for ch in "\r\n\x00\u2028")


@pytest.mark.parametrize(("text", "address"), [
    ("f.okosi@example.org", "f.okosi@example.org"),
    ("  f.okosi@example.org ", "f.okosi@example.org"),
    ("mailto:f.okosi@example.org", "f.okosi@example.org"),
    ("Francesca Okosi <f.okosi@example.org>", "f.okosi@example.org"),
    ("f.okosi@example.org\nBcc: victim@example.org", None),
    ("f.okosi@example.org\r\nBcc: victim@example.org", None),
    ("a@example.org, b@example.org", None),
    ("a@example.org; b@example.org", None),
    ("Francesca Okosi", None),
    ("f.okosi@localhost", None),
    ("f okosi@example.org", None),
    ("#N/A", None),
])
def test_email_addresses(text, address):
    assert email_address(text) == address


def test_the_owners_sheet_matches_owners_however_written_and_warns_about_bad_rows():
    resolution = resolve(FRANCESCA, "Head of ICS Workforce Planning and Systems", "Jo Moss")
    contacts = [
        Contact(2, "FRANCESCA OKOSI", "f.okosi@example.org"),
        Contact(3, "Head of ICS Workforce Planning and Systems", "ics@example.org"),
        Contact(4, "Jo Moss", "not an address"),
        Contact(5, "Fransesca Okosi", "typo@example.org"),
        Contact(6, "Francesca Okosi", "other@example.org; F.OKOSI@example.org"),
        Contact(7, "", ""),
    ]
    addresses, problems = match_contacts(contacts, resolution)
    # A second row (or a second address in a cell) adds an address; one already
    # there, whatever its case, is not added twice.
    assert addresses.to == {
        "person:francesca okosi": ("f.okosi@example.org", "other@example.org"),
        "role:head of ics workforce planning and systems": ("ics@example.org",)}
    assert addresses.cc == {}
    where = {problem.cell: problem.message for problem in problems}
    assert set(where) == {"B4", "A5"}
    assert "'not an address' is not an email address" in where["B4"]
    assert "'Fransesca Okosi' owns no action" in where["A5"]


def test_the_cc_column_copies_in_each_address_once_and_warns_about_a_bad_one():
    resolution = resolve(FRANCESCA, "Jo Moss")
    contacts = [
        Contact(2, "Francesca Okosi", "f.okosi@example.org", cc="pa@example.org; nonsense"),
        Contact(3, "Francesca Okosi", "", cc="PA@example.org, f.okosi@example.org"),
        Contact(4, "Jo Moss", "", cc="jo.pa@example.org"),
    ]
    addresses, problems = match_contacts(contacts, resolution)
    assert addresses.to == {"person:francesca okosi": ("f.okosi@example.org",)}
    assert addresses.cc == {"person:francesca okosi": ("pa@example.org",),
                            "person:jo moss": ("jo.pa@example.org",)}
    assert [(p.cell, p.message.split(",")[0]) for p in problems] == [
        ("C2", "'nonsense' is not an email address")]
