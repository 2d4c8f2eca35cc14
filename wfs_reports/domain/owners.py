"""Who owns an action: the Owner(s) cell read into people and roles. Pure: no I/O.

Officers write owners freely: "Francesca Okosi – Chief People and Culture
Officer", "FRANCESCA OKOSI", "Jo Moss / Chris Boylett", "Head of ICS Workforce
Planning and Systems", "TBC". The rules (also in docs/workbook.md):

1. Several owners are separated by a new line, ";" or " / ". "and" (or "&",
   or "/" without spaces) separates two owners only when both sides are
   people's names, so "Head of ICS Workforce Planning and Systems" is one.
2. A dash (-, – or —), a comma or a bracket separates a person's name from
   their role; the name is the owner ("Joanna Moss, Chief Strategy and
   Transformation Officer" is Joanna Moss).
3. A person's name is two to four capitalised words, none of them a word of
   a role or an organisation (Officer, Head, Director, Team, NHS, ICB...).
   Titles (Dr, Cllr...) are left out when comparing.
4. The same name written in any case, spacing or punctuation is one person.
5. Anything else is a role, and a role on its own is an owner too.
6. Blank, TBC and the like mean nobody owns the action.

What the rules cannot settle is returned as a note, never guessed silently:
"and" between a name and a role, a role followed by what may be a name,
a second name after a comma, a first name alone, two names that may be one
person (Jo Moss, Joanna Moss).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wfs_reports.domain.model import Contact
from wfs_reports.domain.problems import Kind, Problem, Severity

# The cell names nobody to ask (compared on letters only, lower case).
UNOWNED_WORDS = frozenset({
    "", "tbc", "tba", "tbd", "tbconfirmed", "tobeconfirmed", "tobeagreed", "tobedecided",
    "tobedetermined", "tobeassigned", "tobeappointed", "unassigned", "notassigned",
    "notyetassigned", "none", "na", "notapplicable", "unknown", "ownertbc", "leadtbc",
})

# Words of roles, teams and organisations: a text holding one is not a person's name.
NON_NAME_WORDS = frozenset("""
    officer officers head heads director directors directorate deputy assistant associate
    chief executive executives manager managers management lead leads leader leaders team
    teams board boards committee committees group groups partnership partnerships partner
    partners service services department departments programme programmes project projects
    office unit units chair chairs chairman chairwoman chairperson vice member members
    coordinator coordinators co-ordinator adviser advisers advisor advisors analyst
    analysts specialist specialists consultant consultants practitioner practitioners
    nurse nurses nursing medical clinical clinician clinicians people workforce culture
    strategy strategic transformation planning planner planners systems system finance
    financial operations operating operational hr od ict it icb ics ccg nhs pcn pcns gp
    gps trust trusts council councils borough health care social public primary secondary
    community communities hospital hospitals university college school schools education
    training learning development recruitment retention commissioning commissioner
    commissioners governance quality safety estates housing communications comms
    engagement equality diversity inclusion edi wellbeing well-being of for the and to with
    at in on all place provider providers network networks forum portfolio business data
    digital analytics performance secretary administrator admin support director's
    principal senior junior interim acting joint general national regional local
    integrated integration pharmacy pharmacist therapies therapy allied professional
    professionals professions employer employers employment apprenticeship
    apprenticeships skills careers career academy hub centre center alliance lbth tht
    nel nelft barts elft icp voluntary sector organisation organisations organization
    agency agencies london borough's city county
""".split())

TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "cllr",
                    "councillor", "sir", "dame", "rev", "revd", "lord", "lady"})
# Lower-case words that may sit inside a name ("Ludwig van Beethoven").
PARTICLES = frozenset({"van", "de", "der", "den", "von", "da", "di", "du", "le", "la", "del",
                       "della", "bin", "binti", "al", "el", "ter", "dos", "das"})

_LINE_BREAKS = re.compile("[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
_BULLET = re.compile(r"^\s*(?:[-–—•·*▪]+|\d+[.)])\s+")
_LIST_SEPARATOR = re.compile(r"\s+/\s+")
# Separate two owners only when both sides are people's names.
_MAYBE_SEPARATOR = re.compile(r"\s+(?:and|&)\s+|\s*/\s*", re.IGNORECASE)
# Between a name and its role.
_ROLE_SEPARATOR = re.compile(r"\s+[-‐‑]\s*|\s*[-‐‑]\s+|\s*[–—]\s*|\s*,\s*|\s*\(\s*|\s*\)\s*")
_NAME_CHARS = re.compile(r"^[^\W\d_][\w'’.\-]*$")


@dataclass(frozen=True)
class Owner:
    """One owner named in a cell, as written there.

    ``key`` says who it is: two owners with the same key are the same
    (``person:…`` or ``role:…``). ``name`` is the person's name or the role,
    with any role written beside a name left out (kept in ``role``).
    ``person_after_role`` is set for a role followed by what may be a name
    ("Chief People Officer – Francesca Okosi"): who it is is decided with
    the whole workbook in view (see ``resolve_owners``).
    """

    key: str
    name: str
    is_person: bool
    role: str = ""
    person_after_role: str = ""


@dataclass(frozen=True)
class CellOwners:
    """What one Owner(s) cell says."""

    owners: tuple[Owner, ...]
    notes: tuple[str, ...] = ()

    @property
    def unowned(self) -> bool:
        """Blank, TBC or the like: nobody to ask for an update."""
        return not self.owners


def clean(text: str) -> str:
    """One line of text with no control characters: safe for any header or file name."""
    text = _LINE_BREAKS.sub(" ", unicodedata.normalize("NFC", text or ""))
    text = _INVISIBLE.sub("", text.replace("\u00a0", " ").replace("\t", " "))
    return " ".join(text.split())


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


def is_unowned(text: str) -> bool:
    """Blank, 'TBC', 'To be confirmed', 'N/A'...: no one named."""
    return _letters(text) in UNOWNED_WORDS


def _name_words(text: str) -> list[str]:
    """The words of a name, titles left out."""
    return [w for w in text.split() if w.casefold().strip(".") not in TITLES]


def looks_like_person(text: str) -> bool:
    """Two to four capitalised words, none of a role or organisation (rule 3)."""
    text = clean(text)
    words = _name_words(text)
    core = [w for w in words if w not in PARTICLES]
    if not 2 <= len(core) <= 4:
        return False
    # Text all in capitals or all in lower case says nothing by its case (rule 4).
    uniform = text.upper() == text or text.lower() == text
    for word in words:
        if word in PARTICLES and not uniform:
            continue
        if not _NAME_CHARS.match(word) or not (uniform or word[0].isupper()):
            return False
        if word.casefold().strip(".'’") in NON_NAME_WORDS:
            return False
        letters = [ch for ch in word if ch.isalpha()]
        # An acronym (ICB, HR) inside mixed-case text is an organisation, not a name.
        if not uniform and len(letters) >= 2 and all(ch.isupper() for ch in letters):
            return False
    return True


def person_key(name: str) -> str:
    words = [re.sub(r"[.'’]", "", w).casefold() for w in _name_words(clean(name))]
    return "person:" + " ".join(w for w in words if w)


def role_key(role: str) -> str:
    text = clean(role).casefold().replace("&", " and ")
    return "role:" + " ".join(re.sub(r"[^\w]+", " ", text).split())


def _pieces(text: str) -> list[str]:
    return [p.strip() for p in _ROLE_SEPARATOR.split(text) if p and p.strip()]


def _lead(text: str) -> str:
    """The text before any name/role separator."""
    pieces = _pieces(text)
    return pieces[0] if pieces else ""


def _one_owner(text: str) -> tuple[Owner | None, list[str]]:
    """A name and role, or a role alone (rules 2, 3 and 5)."""
    pieces = _pieces(text)
    if not pieces or is_unowned(pieces[0]):
        return None, []
    notes: list[str] = []
    first = pieces[0]
    if looks_like_person(first):
        role = ", ".join(pieces[1:])
        others = [p for p in pieces[1:] if looks_like_person(p)]
        if others:
            notes.append(
                f"'{text}' was read as {first}, with '{role}' as the role; if "
                f"{others[0]} is another owner, separate the owners with ' / '"
            )
        return Owner(person_key(first), first, True, role=role), notes
    later = next((p for p in pieces[1:] if looks_like_person(p)), "")
    return Owner(role_key(text), text, False, person_after_role=later), notes


def read_owners(text: str) -> CellOwners:
    """The owners one cell names, in the order written, each once (rule 1)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text or "")).replace("\u00a0", " ")
    owners: list[Owner] = []
    notes: list[str] = []
    for line in re.split(r"[;\n\r\v\f\x85\u2028\u2029]|" + _LIST_SEPARATOR.pattern, text):
        line = clean(_BULLET.sub("", line)).strip(" ,.")
        if not line or is_unowned(line):
            continue
        for part in _split_names(line, notes):
            owner, said = _one_owner(part)
            notes += said
            if owner is not None and owner.key not in {o.key for o in owners}:
                owners.append(owner)
    return CellOwners(tuple(owners), tuple(dict.fromkeys(notes)))


def _split_names(line: str, notes: list[str]) -> list[str]:
    """Split on 'and', '&' and '/' where both sides are people's names."""
    segments = _MAYBE_SEPARATOR.split(line)
    joints = _MAYBE_SEPARATOR.findall(line)
    parts: list[tuple[str, list[str]]] = [(segments[0], [])]
    for joint, segment in zip(joints, segments[1:], strict=True):
        text, undecided = parts[-1]
        left, right = looks_like_person(_lead(text)), looks_like_person(_lead(segment))
        if left and right:
            parts.append((segment, []))
            continue
        if left or right:  # a name on one side only: kept together, but said
            undecided.append(joint.strip() or "/")
        parts[-1] = (text + joint + segment, undecided)
    for text, undecided in parts:
        owner, _said = _one_owner(text)
        if undecided and owner is not None and not owner.is_person:
            notes.append(
                f"'{text}' was read as one owner: '{undecided[0]}' joins a name and "
                "something that is not a name; if these are two owners, separate them "
                "with ' / '"
            )
    return [text for text, _undecided in parts]


# -- the workbook as a whole --------------------------------------------------


@dataclass(frozen=True)
class OwnerCell:
    """One Owner(s) cell: where it is and what it says."""

    sheet: str
    cell: str
    text: str


@dataclass(frozen=True)
class Resolution:
    """Every Owner(s) cell read, and who each owner is across the workbook."""

    keys: tuple[tuple[str, ...], ...]  # per cell, in the order given
    names: dict[str, str]  # key -> the name to address them by
    problems: tuple[Problem, ...]

    def key_for(self, text: str) -> str | None:
        """The key of the owner ``text`` names (e.g. from the Owners sheet), if any."""
        found = read_owners(text).owners
        if not found:
            return None
        owner = found[0]
        if owner.person_after_role and person_key(owner.person_after_role) in self.names:
            return person_key(owner.person_after_role)
        return owner.key if owner.key in self.names else None


def _best_written(forms: Sequence[str]) -> str:
    """The form to address an owner by: mixed case over capitals, then the most
    used, then the first written."""
    counts = Counter(forms)
    order = {form: i for i, form in reversed(list(enumerate(forms)))}

    def rank(form: str) -> tuple[int, int, int]:
        shouting = form.upper() == form or form.lower() == form
        return (1 if shouting else 0, -counts[form], order[form])

    return min(counts, key=rank)


def resolve_owners(cells: Iterable[OwnerCell]) -> Resolution:
    """Read every cell, then settle what only the whole workbook can: a role
    followed by a known person's name is that person; everything doubtful is a
    problem (a warning) on its cell."""
    cells = list(cells)
    readings = [read_owners(c.text) for c in cells]
    people = {o.key for r in readings for o in r.owners if o.is_person}
    problems: list[Problem] = []

    def note(cell: OwnerCell, message: str) -> None:
        problems.append(Problem(Kind.OWNER_UNCLEAR, Severity.WARNING, message,
                                cell.sheet, cell.cell))

    forms: dict[str, list[str]] = {}
    keys: list[tuple[str, ...]] = []
    for cell, reading in zip(cells, readings, strict=True):
        for message in reading.notes:
            note(cell, message)
        chosen: list[str] = []
        for owner in reading.owners:
            key, name = owner.key, owner.name
            if owner.person_after_role:
                named = person_key(owner.person_after_role)
                if named in people:
                    key, name = named, owner.person_after_role
                else:
                    note(cell, f"'{owner.name}' was read as a role; if "
                               f"{owner.person_after_role} is the owner, write the name "
                               "first: 'Name – Role'")
            if key not in chosen:
                chosen.append(key)
                forms.setdefault(key, []).append(name)
        keys.append(tuple(chosen))
    names = {key: _best_written(written) for key, written in forms.items()}
    problems += _look_alikes(cells, keys, names)
    return Resolution(tuple(keys), names, tuple(problems))


def _look_alikes(cells: Sequence[OwnerCell], keys: Sequence[tuple[str, ...]],
                 names: dict[str, str]) -> list[Problem]:
    """Owners that may be one person written two ways: a first name alone that
    is a known person's first name; two people with the same surname and initial."""
    first_cell: dict[str, OwnerCell] = {}
    for cell, found in zip(cells, keys, strict=True):
        for key in found:
            first_cell.setdefault(key, cell)
    people = [k for k in names if k.startswith("person:")]
    by_first: dict[str, list[str]] = {}
    by_initial: dict[tuple[str, str], list[str]] = {}
    for key in people:
        words = key.removeprefix("person:").split()
        by_first.setdefault(words[0], []).append(key)
        by_initial.setdefault((words[0][:1], words[-1]), []).append(key)
    problems = []
    for key in names:
        if key.startswith("role:") and " " not in key.removeprefix("role:"):
            word = key.removeprefix("role:")
            if word in by_first:
                cell = first_cell[key]
                who = " or ".join(names[k] for k in by_first[word])
                problems.append(Problem(
                    Kind.OWNER_UNCLEAR, Severity.WARNING,
                    f"'{names[key]}' may be {who}; write the full name so both are one owner",
                    cell.sheet, cell.cell))
    for group in by_initial.values():
        if len(group) > 1:
            cell = first_cell[group[1]]
            listed = " and ".join(names[k] for k in group)
            problems.append(Problem(
                Kind.OWNER_UNCLEAR, Severity.WARNING,
                f"{listed} are read as different people; if they are one person, write "
                "the name the same way", cell.sheet, cell.cell))
    return problems


# -- addresses (the Owners sheet) ---------------------------------------------

_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def email_address(text: str) -> str | None:
    """The address in an Owners sheet cell ('f.okosi@nhs.net', 'mailto:…' or
    'Name <f.okosi@nhs.net>'), or None when it is not one plain address.

    Anything that could carry another header or another recipient (a line
    break, a comma, a semicolon, a space inside the address) is refused.
    """
    text = (text or "").strip()
    if _LINE_BREAKS.search(text) or _INVISIBLE.search(text):
        return None
    match = re.fullmatch(r"[^<>]*<([^<>]+)>", text)
    address = match.group(1).strip() if match else text
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:"):]
    if len(address) > 254 or not _ADDRESS.fullmatch(address):
        return None
    return address


@dataclass(frozen=True)
class Addresses:
    """Each owner's To: and Cc: addresses from the Owners sheet, by owner key."""

    to: dict[str, tuple[str, ...]]
    cc: dict[str, tuple[str, ...]]


# Several addresses in one cell: 'a@x.org; b@y.org' (or a comma). A line break
# does not separate: a cell holding one is refused whole, as it could carry a header.
_SEVERAL = re.compile(r"[;,]+")


def _addresses(written: str) -> tuple[list[str], list[str]]:
    """(the addresses in a cell, the pieces that are not one)."""
    found: list[str] = []
    bad: list[str] = []
    for piece in _SEVERAL.split(written):
        if not piece.strip():
            continue
        address = email_address(piece)
        if address is None:
            bad.append(piece.strip())
        elif address.casefold() not in {a.casefold() for a in found}:
            found.append(address)
    return found, bad


def match_contacts(contacts: Iterable[Contact], resolution: Resolution
                   ) -> tuple[Addresses, tuple[Problem, ...]]:
    """Each owner's addresses from the Owners sheet, and what is wrong with it.

    An owner may have several addresses (several rows, or 'a@x.org; b@y.org' in
    one cell) and addresses to copy in (the CC column, e.g. a PA): each goes
    into the draft once, in the sheet's order. A piece that is not an address,
    or a row whose owner owns no action, is a warning.
    """
    to: dict[str, list[str]] = {}
    cc: dict[str, list[str]] = {}
    problems: list[Problem] = []

    def warn(contact: Contact, column: str, message: str) -> None:
        problems.append(Problem(Kind.OWNER_ADDRESS, Severity.WARNING, message,
                                contact.sheet, f"{column}{contact.row}"))

    def add(into: list[str], addresses: list[str]) -> None:
        seen = {a.casefold() for a in into}
        into.extend(a for a in addresses if a.casefold() not in seen)

    for contact in contacts:
        owner = clean(contact.owner)
        written, copied = contact.email.strip(), contact.cc.strip()
        if not owner and not written and not copied:
            continue
        if not owner:
            warn(contact, contact.owner_column,
                 f"the address '{clean(written or copied)}' has no owner; type the owner's name")
            continue
        addresses, bad = _addresses(written)
        for piece in bad:
            warn(contact, contact.email_column,
                 f"'{clean(piece)}' is not an email address, so {owner}'s request is not "
                 "addressed to it; type addresses such as name@example.org, separated by ';'")
        copies, bad_copies = _addresses(copied)
        for piece in bad_copies:
            warn(contact, contact.cc_column,
                 f"'{clean(piece)}' is not an email address, so {owner}'s request is not "
                 "copied to it; type addresses such as name@example.org, separated by ';'")
        key = resolution.key_for(owner)
        if key is None:
            warn(contact, contact.owner_column,
                 f"'{owner}' owns no action on the Actions sheet; check the spelling "
                 "against the Owner(s) column")
            continue
        add(to.setdefault(key, []), addresses)
        add(cc.setdefault(key, []), copies)

    def copied_only(key: str) -> tuple[str, ...]:  # an address in To: is not copied as well
        sent = {a.casefold() for a in to.get(key, ())}
        return tuple(a for a in cc[key] if a.casefold() not in sent)

    return (Addresses({k: tuple(v) for k, v in to.items() if v},
                      {k: copied_only(k) for k in cc if copied_only(k)}), tuple(problems))
