"""Update requests, decided: who is asked about which actions, in what order,
and what each needs. Pure: the renderers only lay this out.

An open action (not completed, not marked not applicable) goes to each of its
owners (see ``domain.owners``); one with no owner (blank or TBC) goes on the
officer's list to assign. Within each request, the actions needing attention
first: missed actions, then dates that are TBC, cannot be read or are
ambiguous, then stale updates, then those due soon; then the rest; each group
in workbook order.

Each item carries what the owner's form needs to be read back: its action
number (3.2), its workbook row and its matching key (domain.reply_tags).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

from wfs_reports.domain.assess import AssessedAction
from wfs_reports.domain.dates import format_date
from wfs_reports.domain.due import IN_THE_REQUEST, describe_stages
from wfs_reports.domain.errors import WorkbookError
from wfs_reports.domain.filenames import safe_stem
from wfs_reports.domain.model import DueKind, Plan, Rag, ReportSettings, Stage, Status
from wfs_reports.domain.owners import OwnerCell, Resolution, clean, match_contacts, resolve_owners
from wfs_reports.domain.problems import Kind, Problem, Severity, split_where
from wfs_reports.domain.reply_tags import ReplyField, ReplyTag, action_key, visible_identity
from wfs_reports.domain.rules import FindingKind, RulesConfig, governing_stage, stage_done
from wfs_reports.domain.sentences import NO_UPDATE_SINCE
from wfs_reports.report.build import completion_date_shown

# Default reply-by: this many days before the meeting, or after the as-at date.
REPLY_DAYS = 14


class Attention(IntEnum):
    """The groups a request lists its actions in, first to last."""

    MISSED = 0  # a missed target, computed or the officer's
    DATE = 1  # a completion date to confirm, give or make unambiguous
    STALE = 2  # no update for too long
    DUE_SOON = 3  # due within the at-risk window: is it complete?
    REST = 4  # the rest: a progress update


@dataclass(frozen=True)
class RequestItem:
    """One open action as a request shows it."""

    ref: int
    row: int
    position: int  # its place among the recommendation's actions, from 1 (3.2 is the 2nd)
    recommendation: str  # "Recommendation 1"
    action: str
    owners: str  # the Owner(s) cell as written
    owner_cell: str  # "Actions!C5"
    completion_date: str  # as written
    read_as: str  # "31 March 2024", "to be confirmed", "Stage 1: ...; Stage 2: ..."
    status: str
    comments: str  # the officer's last comment, verbatim
    rag_key: str
    rag_label: str
    rag_fill: str
    rag_text_colour: str
    rag_mark: str
    why: str  # the computed comment
    needed: tuple[str, ...]  # what is needed, most pressing first
    group: Attention
    attention: bool  # missed, a date to confirm, stale, or due soon

    @property
    def identity(self) -> str:
        """'3.2 Recruit the first cohort': the form row's visible identity."""
        return visible_identity(self.ref, self.position, self.action)

    @property
    def key(self) -> str:
        """The action's matching key (recommendation and action text)."""
        return action_key(self.ref, self.action)

    def tag(self, field: ReplyField, as_at: dt.date) -> str:
        """The content control tag of one of the form's fields for this action."""
        return ReplyTag(field, as_at, self.row, self.ref, self.key).text()

    @property
    def reading(self) -> str:
        """'Read as 31 March 2024', or 'To be confirmed' where there is no date to name."""
        if any(ch.isdigit() for ch in self.read_as) or ":" in self.read_as:
            return f"Read as {self.read_as}"
        return self.read_as[:1].upper() + self.read_as[1:]


@dataclass(frozen=True)
class OwnerRequest:
    key: str
    name: str  # as the owner is addressed
    emails: tuple[str, ...]  # To: addresses; none when the Owners sheet gives none
    stem: str  # file name without extension, safe everywhere
    items: tuple[RequestItem, ...]
    cc: tuple[str, ...] = ()  # Cc: addresses (the Owners sheet's CC column)

    @property
    def email(self) -> str:
        """The To: addresses as one line ('a@x.org; b@y.org'), or ""."""
        return "; ".join(self.emails)

    @property
    def attention(self) -> int:
        return sum(1 for item in self.items if item.attention)


@dataclass(frozen=True)
class RequestPlan:
    title: str
    heading: str
    organisation: str
    meeting: str
    meeting_date: str  # "7 December 2023" or ""
    as_at: str
    as_at_iso: str
    reply_by: str  # "23 November 2023"
    as_at_date: dt.date  # the as-at date each form's tags carry
    prepared_by: str
    classification: str
    source_file: str
    source_sha_short: str
    requests: tuple[OwnerRequest, ...]  # by owner name
    unowned: tuple[RequestItem, ...]  # open actions with no owner, workbook order
    problems: tuple[Problem, ...]

    @property
    def folder(self) -> str:
        """'Update requests - 2023-11-22'."""
        return f"Update requests - {self.as_at_iso}"

    @property
    def index_name(self) -> str:
        return f"{self.folder}.xlsx"

    @property
    def open_actions(self) -> int:
        rows = {(i.ref, i.row) for r in self.requests for i in r.items}
        return len(rows) + len(self.unowned)


def default_reply_by(meeting_date: dt.date | None, as_at: dt.date) -> dt.date:
    """Two weeks before the meeting, or two weeks after the as-at date."""
    if meeting_date is not None:
        return meeting_date - dt.timedelta(days=REPLY_DAYS)
    return as_at + dt.timedelta(days=REPLY_DAYS)


def is_open(item: AssessedAction) -> bool:
    """Completed and not-applicable actions are never requested."""
    done = (Status.COMPLETED, Status.NOT_APPLICABLE)
    shown = (Rag.COMPLETED, Rag.NOT_APPLICABLE)
    return item.action.status not in done and item.assessment.rag not in shown


def resolve_plan_owners(plan: Plan) -> Resolution:
    """Every action's Owner(s) cell, read with the whole workbook in view."""
    return resolve_owners(
        OwnerCell(*split_where(action.cells.get("owners", f"Actions!C{action.row}")), action.owners)
        for action in plan.actions
    )


def plan_requests(
    plan: Plan,
    assessed: Mapping[int, list[AssessedAction]],
    *,
    as_at: dt.date,
    reply_by: dt.date | None,
    rules: RulesConfig,
    organisation: str = "",
    source_file: str = "",
    source_sha256: str = "",
) -> RequestPlan:
    settings = plan.settings
    resolution = resolve_plan_owners(plan)
    addresses, address_problems = match_contacts(plan.contacts, resolution)
    owners_of = {(a.ref, a.row): keys
                 for a, keys in zip(plan.actions, resolution.keys, strict=True)}
    reply = reply_by or default_reply_by(settings.meeting_date, as_at)
    if reply_by is None and reply < as_at:
        _refuse_reply_by(reply, as_at, settings, source_file)
    horizon = max(as_at + dt.timedelta(days=rules.at_risk_days),
                  settings.meeting_date or reply)

    # Only the owners of open actions matter here; the warnings about the rest
    # are still worth giving (a typo in a completed row's owner is harmless).
    positions = {(rec.ref, a.row): number for rec in plan.recommendations
                 for number, a in enumerate(rec.actions, start=1)}
    by_owner: dict[str, list[RequestItem]] = {}
    unowned: list[RequestItem] = []
    for ref, items in assessed.items():
        for item in items:
            if not is_open(item):
                continue
            request_item = _item(ref, positions[(ref, item.action.row)], item, as_at, horizon,
                                 rules)
            keys = owners_of[(ref, item.action.row)]
            if not keys:
                unowned.append(request_item)
            for key in keys:
                by_owner.setdefault(key, []).append(request_item)

    order = {(a.ref, a.row): i for i, a in enumerate(plan.actions)}

    def workbook_order(item: RequestItem) -> int:
        return order[(item.ref, item.row)]

    taken: set[str] = set()
    requests = []
    for key in sorted(by_owner, key=lambda k: (resolution.names[k].casefold(), k)):
        name = clean(resolution.names[key])
        owner_items = sorted(by_owner[key], key=lambda i: (i.group, workbook_order(i)))
        requests.append(OwnerRequest(key, name, addresses.to.get(key, ()),
                                     safe_stem(name, taken), tuple(owner_items),
                                     addresses.cc.get(key, ())))
    unowned.sort(key=workbook_order)
    problems = [*resolution.problems, *address_problems, *_date_problems(reply, as_at, settings)]
    return RequestPlan(
        title=settings.title,
        heading=settings.heading,
        organisation=settings.organisation or organisation,
        meeting=settings.meeting,
        meeting_date=format_date(settings.meeting_date) if settings.meeting_date else "",
        as_at=format_date(as_at),
        as_at_iso=as_at.isoformat(),
        reply_by=format_date(reply),
        as_at_date=as_at,
        prepared_by=settings.prepared_by,
        classification=settings.classification,
        source_file=source_file,
        source_sha_short=source_sha256[:12],
        requests=tuple(requests),
        unowned=tuple(unowned),
        problems=tuple(problems),
    )


def _refuse_reply_by(reply: dt.date, as_at: dt.date, settings: ReportSettings,
                     file: str) -> None:
    """A reply-by date worked out from a Meeting date before the as-at date (last
    quarter's, most often): owners would be asked to reply in the past."""
    meeting = settings.meeting_date or reply
    sheet, cell = split_where(settings.cells.get("meeting_date", ""))
    raise WorkbookError(file, [Problem(
        Kind.REQUEST_DATE, Severity.ERROR,
        f"the Meeting date, {format_date(meeting)}, puts the reply-by date at "
        f"{format_date(reply)} ({REPLY_DAYS} days before it), before the as-at date "
        f"({format_date(as_at)}); correct the Meeting date, or give the reply-by date with "
        "--reply-by YYYY-MM-DD; nothing was written", sheet, cell if sheet else "")])


def _date_problems(reply: dt.date, as_at: dt.date, settings: ReportSettings) -> list[Problem]:
    problems = []
    if reply < as_at:  # given with --reply-by: a worked-out one is refused
        problems.append(Problem(
            Kind.REQUEST_DATE, Severity.WARNING,
            f"the reply-by date given with --reply-by, {format_date(reply)}, is before the "
            f"as-at date ({format_date(as_at)}); the requests ask for replies by it all the "
            "same"))
    if settings.meeting_date is not None and reply > settings.meeting_date:
        problems.append(Problem(
            Kind.REQUEST_DATE, Severity.WARNING,
            f"the reply-by date, {format_date(reply)}, is after the meeting "
            f"({format_date(settings.meeting_date)}); give an earlier one with --reply-by"))
    return problems


def read_as(stages: tuple[Stage, ...]) -> str:
    """What the completion date was read as, stage by stage."""
    return describe_stages(stages, IN_THE_REQUEST)


def _item(ref: int, position: int, assessed: AssessedAction, as_at: dt.date, horizon: dt.date,
          rules: RulesConfig) -> RequestItem:
    action, stages, assessment = assessed.action, assessed.stages, assessed.assessment
    needed: list[str] = []
    groups: list[Attention] = []
    governing = governing_stage(action, stages)
    if assessment.computed_rag is Rag.MISSED:
        when = f" (due {format_date(governing.date)})" if governing and governing.date else ""
        needed.append(f"Missed{when}: agree a new date")
        groups.append(Attention.MISSED)
    elif assessment.rag is Rag.MISSED:  # the officer's override: the date will not be met
        needed.append("Marked as a missed target: agree a new date")
        groups.append(Attention.MISSED)
    remaining = [s for s in stages if not stage_done(action, s)]
    for stage in remaining:
        if stage.kind is DueKind.TBC:
            needed.append(f"Confirm the {stage.label} completion date" if stage.label
                          else "Confirm a completion date")
            groups.append(Attention.DATE)
        elif stage.kind is DueKind.UNRECOGNISED:
            needed.append(f"'{stage.text}' could not be read as a date: give a date, e.g. "
                          "31/03/2025 or Q4 2024-25")
            groups.append(Attention.DATE)
        elif stage.kind is DueKind.AMBIGUOUS:
            needed.append(f"Say which year '{stage.text}' means: e.g. Q2 2024-25 (a "
                          "financial year) or June 2024")
            groups.append(Attention.DATE)
    stale = any(f.kind is FindingKind.STALE for f in assessment.findings)
    if stale and action.last_updated is not None:
        needed.append(NO_UPDATE_SINCE.write(date=format_date(action.last_updated)))
        groups.append(Attention.STALE)
    if (governing is not None and governing.date is not None
            and as_at <= governing.date <= horizon and Attention.MISSED not in groups):
        needed.append(f"Due {format_date(governing.date)}: is it complete?")
        groups.append(Attention.DUE_SOON)
    if action.status is Status.BLANK and not action.status_text:
        needed.append("Give its status: not started, in progress or completed")
    if not needed:
        needed.append("Give a progress update")
    look = rules.looks[assessment.rag]
    status = action.status.value if action.status is not Status.BLANK else action.status_text
    return RequestItem(
        ref=ref,
        row=action.row,
        position=position,
        recommendation=f"Recommendation {ref}",
        action=action.action,
        owners=action.owners,
        owner_cell=action.cells.get("owners", f"Actions!C{action.row}"),
        completion_date=completion_date_shown(action),
        read_as=read_as(stages),
        status=status,
        comments=action.comments,
        rag_key=assessment.rag.value,
        rag_label=look.label,
        rag_fill=look.fill,
        rag_text_colour=look.text_colour,
        rag_mark=look.mark,
        why=assessment.comment,
        needed=tuple(needed),
        group=min(groups, default=Attention.REST),
        attention=bool(groups),
    )
