"""The replies, matched to the workbook's actions: what each owner proposes,
what the officer should check, who disagrees, who has not replied, and what
could not be understood. Decides; writes nothing.

Who was asked what comes from the command (the update requests as
``make-report --requests`` plans them), as ``Asked``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from wfs_reports.domain.dates import format_date, parse_completion_date, parse_day_first_date
from wfs_reports.domain.model import Action, DueKind, Plan, Status, action_number
from wfs_reports.domain.reply_tags import action_key, visible_identity
from wfs_reports.domain.text import plural, plural_verb
from wfs_reports.domain.trend import same_text
from wfs_reports.replies.form import RowReply
from wfs_reports.replies.received import Returned, Unread
from wfs_reports.workbook.cells import read_status

# Words the form writes beside its own values ('Due', 'Read as', 'Last comment').
_LABEL_WORDS = frozenset(
    "due read as status now last comment comments updated update rag and why what is needed "
    "completion date new your owner owners recommendation action none by on to be confirmed"
    .split())

# A Completed with fewer words than this in the update says nothing of how.
EVIDENCE_WORDS = 4


@dataclass(frozen=True)
class Asked:
    """One owner, as the update requests asked them."""

    name: str
    emails: tuple[str, ...]
    stem: str  # the form's file name, without .docx
    actions: tuple[tuple[int, int], ...]  # (ref, row) of each open action asked about
    # What the form itself wrote in the owner's rows (the action's date, status,
    # last comment, what is needed...): text in a row outside the fields that is
    # none of these was typed by the owner.
    known: frozenset[str] = frozenset()


@dataclass
class Proposal:
    """What one reply says about one action."""

    owner: str
    file: str
    date: dt.date
    status: str
    completion: str
    update: str
    typed_outside: tuple[str, ...] = ()


@dataclass
class Change:
    action: Action
    number: str  # "1.2"
    proposal: Proposal
    owners: list[str]
    checks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    apply: bool = True
    unreadable_date: bool = False

    @property
    def key(self) -> str:
        return action_key(self.action.ref, self.action.action)


@dataclass(frozen=True)
class Conflict:
    number: str
    action: str
    owners: str
    what: str


@dataclass(frozen=True)
class Chase:
    owner: str
    emails: str
    actions: tuple[str, ...]  # "1.2 Recruit the first cohort"
    asked: str  # the as-at date of the request


@dataclass
class Review:
    as_at: dt.date
    workbook: str
    changes: list[Change]
    conflicts: list[Conflict]
    chase: list[Chase]
    unread: list[Unread]
    owners_replied: int

    def summary(self, applied: int | None, replies_file: str) -> str:
        """The run's one line."""
        unreadable = sum(1 for c in self.changes if c.unreadable_date)
        left = [plural(len(self.conflicts), "conflict")] if self.conflicts else []
        if unreadable:
            left.append(plural(unreadable, "unreadable date"))
        to_check = sum(1 for c in self.changes if not c.apply and c.checks)
        if to_check and not left:
            left.append(plural(to_check, "change") + " to check")
        if self.unread:
            left.append(plural(len(self.unread), "file") + " not understood")
        if applied is None:
            ready = sum(1 for c in self.changes if c.apply)
            line = (f"Read {plural(ready + to_check, 'update')} from "
                    f"{plural(self.owners_replied, 'owner')}, {ready} ready to apply")
        else:
            owners = len({o for c in self.changes if c.apply for o in c.owners})
            line = f"Applied {plural(applied, 'update')} from {plural(owners, 'owner')}"
        if left:
            line += f"; {_join(left)} left for you (see {replies_file})"
        else:
            line += f" (see {replies_file})"
        waiting = len(self.chase)
        if waiting:
            line += f"; {plural_verb(waiting, 'owner', 'has', 'have')} not replied"
        return line + "."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def review_replies(plan: Plan, as_at: dt.date, asked: Sequence[Asked],
                   returned: Sequence[Returned], unread: Sequence[Unread],
                   workbook: str) -> Review:
    matcher = _Matcher(plan, as_at, asked)
    not_understood = list(unread)
    by_action: dict[int, list[Proposal]] = {}
    replied: set[str] = set()
    for reply in returned:
        why = matcher.take(reply, by_action, replied)
        if why:
            not_understood.append(Unread(reply.file, why))
    changes = []
    for row, proposals in sorted(by_action.items()):
        change = matcher.change(matcher.by_row[row], proposals)
        if change is not None:
            changes.append(change)
    chase = [Chase(o.name, "; ".join(o.emails),
                   tuple(matcher.identity(matcher.by_row[r])
                         for _, r in o.actions if r in matcher.by_row),
                   format_date(as_at))
             for o in asked if o.name not in replied and o.actions]
    return Review(as_at, workbook, changes, matcher.conflicts, chase, not_understood,
                  len(replied))


class _Matcher:
    def __init__(self, plan: Plan, as_at: dt.date, asked: Sequence[Asked]):
        self.as_at = as_at
        self.asked = list(asked)
        self.known = sorted({" ".join(k.split()).casefold() for a in asked for k in a.known
                             if k.strip()}, key=len, reverse=True)
        self.conflicts: list[Conflict] = []
        self.by_row: dict[int, Action] = {}
        self.by_key: dict[str, list[Action]] = {}
        self.positions: dict[int, int] = {}
        self.at_position: dict[tuple[int, int], Action] = {}
        for recommendation in plan.recommendations:
            for position, action in enumerate(recommendation.actions, start=1):
                self.by_row[action.row] = action
                self.by_key.setdefault(action_key(action.ref, action.action), []).append(action)
                self.positions[action.row] = position
                self.at_position[(action.ref, position)] = action

    def number(self, action: Action) -> str:
        return action_number(action.ref, self.positions[action.row])

    def identity(self, action: Action) -> str:
        """'2.1 Charlie: ...': the action's number and text, as the form shows them."""
        return visible_identity(action.ref, self.positions[action.row], action.action)

    # -- a reply ------------------------------------------------------------

    def owner(self, reply: Returned) -> str:
        """Whose reply: by address, by the form's file name, by the actions it
        holds, by the name it shows; else the sender as written."""
        if reply.sender:
            for asked in self.asked:
                if reply.sender in asked.emails:
                    return asked.name
        for asked in self.asked:
            if asked.stem.casefold() == reply.stem.casefold():
                return asked.name
        if reply.form is not None:
            rows = {(a.ref, a.row) for r in reply.form.rows if (a := self.find(r)[0])}
            holders = [a for a in self.asked if rows and rows <= set(a.actions)]
            if len(holders) == 1:
                return holders[0].name
            # Of the owners of its actions, the one it names, else the one with most.
            sharing = [a for a in self.asked if rows & set(a.actions)]
            text = " ".join(reply.form.text.split()).casefold()
            named = [a for a in sharing if a.name.casefold() in text]
            if named:
                return max(named, key=lambda a: len(a.name)).name
            counts = sorted((len(rows & set(a.actions)), a.name) for a in sharing)
            if counts and (len(counts) == 1 or counts[-1][0] > counts[-2][0]):
                return counts[-1][1]
        return reply.sender_name or reply.sender or reply.stem

    def take(self, reply: Returned, by_action: dict[int, list[Proposal]],
             replied: set[str]) -> str:
        """Add the reply's proposals; '' or why it is not understood."""
        owner = self.owner(reply)
        if reply.form is None:
            return self.take_text(reply, owner, by_action, replied)
        form = reply.form
        quarters = {r.tag.as_at for r in form.rows if r.tag is not None}
        if quarters and self.as_at not in quarters:
            asked = ", ".join(format_date(d) for d in sorted(quarters))
            return (f"a form from another quarter: it asks for updates as at {asked}, and "
                    f"this workbook is as at {format_date(self.as_at)}")
        if not form.rows:
            return ("a Word document with no action rows: not an update-request form, or "
                    "edited beyond recognition")
        if not form.tagged and not self._names_as_at(form.text):
            return (f"its fields have no tags (re-saved by another program) and it does not "
                    f"name the as-at date, {format_date(self.as_at)}: it may be another "
                    "quarter's form; copy its updates by hand")
        found = 0
        for row in form.rows:
            action, trouble = self.find(row)
            if action is None and trouble is None:
                continue
            found += 1
            if trouble is not None:
                self.conflicts.append(trouble)
            if action is None:
                continue
            typed = tuple(t for t in row.typed_outside if self.typed(t))
            if not (row.status or row.date or row.update or typed):
                continue
            if trouble is not None and trouble.what.startswith("its text"):
                typed = (*typed, "\x00text-changed")
            by_action.setdefault(action.row, []).append(Proposal(
                owner, reply.file, reply.date, row.status, row.date, row.update, typed))
        if not found:
            return (f"none of its {plural(len(form.rows), 'action')} is in this workbook: a "
                    "form from another plan, or edited beyond recognition")
        replied.add(owner)
        return ""

    def typed(self, paragraph: str) -> bool:
        """Whether a paragraph in a row, outside the fields, is the owner's: not
        the form's own words for the row, nor its labels."""
        text = " ".join(paragraph.split()).casefold()
        for known in self.known:
            text = text.replace(known, " ")
        words = re.findall(r"[^\W_]+", text)
        return any(word not in _LABEL_WORDS for word in words)

    def _names_as_at(self, text: str) -> bool:
        squashed = " ".join(text.split())
        return format_date(self.as_at) in squashed or self.as_at.isoformat() in squashed

    def find(self, row: RowReply) -> tuple[Action | None, Conflict | None]:
        """The row's action, and a conflict when its text or row has changed."""
        if row.tag is not None:
            tag = row.tag
            candidates = self.by_key.get(tag.key, [])
            action = next((a for a in candidates if a.row == tag.row),
                          candidates[0] if candidates else None)
            if action is not None and action.ref == tag.ref:
                if action.row != tag.row:
                    return action, Conflict(
                        self.number(action), action.action, "",
                        f"its row has moved since the request, from row {tag.row} to row "
                        f"{action.row}; matched by its text, the reply goes to row "
                        f"{action.row}")
                return action, None
            shown = row.visible[2] if row.visible else ""
            at_row = self.by_row.get(tag.row)
            if at_row is not None and at_row.ref == tag.ref:
                return at_row, self._changed(at_row, shown)
            label = f"{row.visible[0]}.{row.visible[1]}" if row.visible else f"row {tag.row}"
            if tag.ref not in {a.ref for a in self.by_row.values()}:
                return None, None
            return None, Conflict(label, shown, "", "this action is no longer in the workbook "
                                  "(deleted, or its text and row both changed); the reply "
                                  "was not used")
        if row.visible is None:
            return None, None
        ref, position, text = row.visible
        same = [a for a in self.by_key.get(action_key(ref, text), [])]
        if same:
            action = next((a for a in same if self.positions[a.row] == position), same[0])
            return action, None
        at = self.at_position.get((ref, position))
        if at is not None:
            return at, self._changed(at, text)
        return None, None

    def _changed(self, action: Action, shown: str) -> Conflict:
        was = f": the form shows '{shown}'" if shown else ""
        return Conflict(self.number(action), action.action, "",
                        f"its text has changed since the request{was}; check the reply is "
                        "about this action before applying it")

    def take_text(self, reply: Returned, owner: str, by_action: dict[int, list[Proposal]],
                  replied: set[str]) -> str:
        """An email reply with no form: its text is the update of the one action
        the owner was asked about, or of each action it names by number."""
        mine = next((a for a in self.asked if a.name == owner), None)
        pieces = _by_number(reply.body)
        targets: list[tuple[Action, str]] = []
        for (ref, position), text in pieces.items():
            action = self.at_position.get((ref, position))
            if action is not None:
                targets.append((action, text))
        if not targets and mine is not None and len(mine.actions) == 1:
            action = self.by_row.get(mine.actions[0][1])
            if action is not None:
                targets.append((action, reply.body))
        if not targets:
            return ("an email with no form attached, and its text names no action by number "
                    "(e.g. 1.2): read it and copy the update by hand")
        for action, text in targets:
            by_action.setdefault(action.row, []).append(Proposal(
                owner, reply.file, reply.date, "", "", text, ("\x00email",)))
        replied.add(owner)
        return ""

    # -- one action's change ------------------------------------------------------

    def change(self, action: Action, proposals: list[Proposal]) -> Change | None:
        newest: dict[str, Proposal] = {}
        notes: list[str] = []
        for proposal in sorted(proposals, key=lambda p: p.date):
            older = newest.get(proposal.owner)
            if older is not None and older.file != proposal.file:
                notes.append(f"{proposal.owner}'s older reply ({older.file}, "
                             f"{format_date(older.date)}) lost to the newer one "
                             f"({proposal.file}, {format_date(proposal.date)})")
            newest[proposal.owner] = proposal
        chosen = max(newest.values(), key=lambda p: p.date)
        owners = sorted(newest)
        change = Change(action, self.number(action), chosen, owners, notes=notes)
        flags = set(chosen.typed_outside)
        typed = [t for t in chosen.typed_outside if not t.startswith("\x00")]
        if "\x00text-changed" in flags:
            change.checks.append("the action's text has changed since the request: see "
                                 "Conflicts")
        if "\x00email" in flags:
            change.checks.append("an email reply, not the form: check it is about this action")
        if typed:
            change.notes.append("typed outside the fields (not used): "
                                + " / ".join(f"'{t}'" for t in typed))
            if not (chosen.status or chosen.completion or chosen.update):
                change.checks.append("the fields are empty but text was typed beside them: "
                                     "copy it into the proposed columns if it is the update")
        self._disagree(change, newest)
        self._check_values(change)
        if _already(action, chosen):
            change.notes.append("already in the workbook")
            change.apply = False
            return change
        if action.last_updated is not None and action.last_updated > chosen.date:
            change.checks.append(f"the workbook was updated on {format_date(action.last_updated)}"
                                 f", after this reply ({format_date(chosen.date)})")
        change.apply = not change.checks
        return change

    def _disagree(self, change: Change, newest: dict[str, Proposal]) -> None:
        if len(newest) < 2:
            return
        said = {owner: (_status_key(p.status), _date_key(p.completion))
                for owner, p in newest.items()}
        filled = {o: s for o, s in said.items() if any(s)}
        differ = False
        for field_index in (0, 1):
            values = {s[field_index] for s in filled.values() if s[field_index]}
            differ = differ or len(values) > 1
        if differ:
            what = "; ".join(
                f"{o} proposes status '{newest[o].status or '(none)'}', date "
                f"'{newest[o].completion or '(none)'}'" for o in sorted(filled))
            self.conflicts.append(Conflict(change.number, change.action.action,
                                           ", ".join(sorted(filled)),
                                           f"the owners disagree: {what}"))
            change.checks.append("the owners disagree: see Conflicts, and edit the proposed "
                                 "values")
        updates = [(o, p.update) for o, p in sorted(newest.items()) if p.update]
        if len({same_text(u) for _, u in updates}) > 1:
            change.proposal = Proposal(
                change.proposal.owner, change.proposal.file, change.proposal.date,
                change.proposal.status, change.proposal.completion,
                "\n".join(f"{o}: {u}" for o, u in updates), change.proposal.typed_outside)

    def _check_values(self, change: Change) -> None:
        proposal, action = change.proposal, change.action
        status = None
        if proposal.status:
            status, _ = read_status(proposal.status)
            if status is None:
                change.checks.append(f"status '{proposal.status}' is not one we know")
        if proposal.completion:
            stages = parse_completion_date(proposal.completion)
            if any(s.kind in (DueKind.UNRECOGNISED, DueKind.AMBIGUOUS) for s in stages):
                change.checks.append(f"'{proposal.completion}' cannot be read as a date")
                change.unreadable_date = True
            else:
                new, old = _last_date(proposal.completion), _current_date(action)
                if new is not None and old is not None and new < old:
                    change.checks.append(f"the new date, {format_date(new)}, is earlier than "
                                         f"the one in the workbook, {format_date(old)}")
        if status is Status.COMPLETED and len(re.findall(r"\w+", proposal.update)) \
                < EVIDENCE_WORDS:
            change.checks.append("Completed, but the update gives no evidence of completion")


def _by_number(text: str) -> dict[tuple[int, int], str]:
    """'1.2 Done, see the minutes' lines: the text after each action number."""
    found: dict[tuple[int, int], str] = {}
    current: tuple[int, int] | None = None
    for line in text.split("\n"):
        match = re.match(r"^\s*(?:action\s+)?(\d{1,4})\.(\d{1,4})\b[\s:.)-]*(.*)$", line,
                         re.IGNORECASE)
        if match:
            current = (int(match[1]), int(match[2]))
            found[current] = match[3].strip()
        elif current is not None and line.strip():
            found[current] = (found[current] + "\n" + line.strip()).strip()
    return {k: v for k, v in found.items() if v}


def _status_key(text: str) -> str:
    status, stages = read_status(text) if text else (None, frozenset())
    if status is None:
        return same_text(text)
    return f"{status.value}{sorted(stages)}"


def _date_key(text: str) -> str:
    if not text:
        return ""
    stages = parse_completion_date(text)
    if stages and all(s.kind is DueKind.DATE for s in stages):
        return "|".join(f"{s.label}:{s.date}" for s in stages)
    return same_text(text)


def _last_date(text: str) -> dt.date | None:
    dates = [s.date for s in parse_completion_date(text) if s.date is not None]
    return max(dates, default=None)


def _current_date(action: Action) -> dt.date | None:
    if action.completion_date_value is not None:
        return action.completion_date_value
    return _last_date(action.completion_date) if action.completion_date else None


def _already(action: Action, proposal: Proposal) -> bool:
    """Every field the reply fills already holds what it proposes."""
    if not (proposal.status or proposal.completion or proposal.update):
        return False
    if proposal.status and _status_key(proposal.status) != _status_key(
            action.status_text or action.status.value):
        return False
    if proposal.completion:
        now = (action.completion_date_value.isoformat() if action.completion_date_value
               else action.completion_date)
        day = parse_day_first_date(proposal.completion)
        if (day.isoformat() if day else _date_key(proposal.completion)) != (
                now if action.completion_date_value else _date_key(now)):
            return False
    return not proposal.update or same_text(proposal.update) == same_text(action.comments)


def completion_value(text: str) -> dt.date | str:
    """What goes in the Completion Date cell: a real date when the owner wrote
    one day, else their words (a quarter, 'TBC', stages)."""
    day = parse_day_first_date(text)
    return day if day is not None else text.strip()


def status_value(text: str) -> str:
    """What goes in the Status cell: the status's own name, or the owner's words
    when they name stages ('Stage 1 complete')."""
    status, stages = read_status(text)
    if status is None or stages:
        return text.strip()
    return status.value
