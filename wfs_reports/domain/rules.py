"""RAG rules: one action, its due stages and the as-at date in; a assessment out.

Pure domain code. The rules are the SPEC's, first match wins, and every
assessment carries the plain-English sentence that explains it, so the Board can
see why an action is the colour it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from wfs_reports.domain.colours import RagStyle, rag_style
from wfs_reports.domain.dates import format_date
from wfs_reports.domain.due import IN_THE_COMMENT, describe_stages, due_phrase
from wfs_reports.domain.model import RAG_SEVERITY, Action, DueKind, Rag, Stage, Status
from wfs_reports.domain.owners import is_unowned
from wfs_reports.domain.sentences import (
    AT_RISK,
    COMPLETED_TARGET,
    DATE_AMBIGUOUS,
    DATE_TBC,
    DATE_UNREADABLE,
    EVERY_STAGE_COMPLETE,
    MARKED_COMPLETED,
    MISSED,
    NOT_APPLICABLE,
    NOT_STARTED,
    ON_TARGET,
    ONGOING,
    OVERRIDE,
    OVERRIDE_REFUSED,
    REASON_GIVEN,
    STALE,
)
from wfs_reports.domain.text import plural


@dataclass(frozen=True)
class RulesConfig:
    looks: Mapping[Rag, RagStyle]
    at_risk_days: int = 28
    stale_days: int = 90

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], source: str = "rules.toml") -> RulesConfig:
        """Validate the parsed rules file; raise ValueError naming what is wrong."""
        rag_table = data.get("rag", {})
        if not isinstance(rag_table, Mapping):
            raise ValueError(f"{source}: rag must be a table of [rag.KEY] tables")
        looks = {}
        for rag in Rag:
            entry = rag_table.get(rag.value)
            if not isinstance(entry, Mapping):
                raise ValueError(f"{source}: [rag.{rag.value}] needs a label")
            looks[rag] = rag_style(rag.value, entry, source)
        days = {}
        for key, default in (("at_risk_days", 28), ("stale_days", 90)):
            value = data.get(key, default)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{source}: {key} must be a whole number of days, not {value!r}")
            days[key] = value
        return cls(looks=looks, **days)

    def label(self, rag: Rag) -> str:
        return self.looks[rag].label

    def labels(self) -> dict[Rag, str]:
        """Every RAG's label: the one vocabulary the reader, the new workbook's
        dropdown and the documents share."""
        return {rag: look.label for rag, look in self.looks.items()}


# The exception for an open action whose owner is blank or TBC.
NO_OWNER = "No owner: nobody is named to do it."


class FindingKind(StrEnum):
    """Why an action is in the exceptions list; the value is the JSON snapshot's."""

    MISSED = "missed"
    DATE_TBC = "date_tbc"
    DATE_UNREADABLE = "date_unreadable"
    DATE_AMBIGUOUS = "date_ambiguous"
    OVERRIDE_REFUSED = "override_refused"
    OVERRIDE_KINDER = "override_kinder"  # applied, kinder than the computed RAG
    NO_OWNER = "no_owner"  # an open action with no one named
    STALE = "stale"


class RagSource(StrEnum):
    """Where an action's RAG came from; the value is the JSON snapshot's."""

    COMPUTED = "computed"  # the rules
    OVERRIDE = "override"  # the officer's RAG Override, applied


@dataclass(frozen=True)
class Finding:
    """Something the Board should see in the exceptions list."""

    kind: FindingKind
    field: str  # which column of the action it is about, for its cell reference
    message: str  # what the Board reads
    to_do: str = ""  # what the officer should do: --check and the console only


@dataclass(frozen=True)
class Assessment:
    rag: Rag
    rag_source: RagSource
    computed_rag: Rag
    comment: str
    findings: tuple[Finding, ...]


def assess(
    action: Action, stages: tuple[Stage, ...], as_at: dt.date, config: RulesConfig
) -> Assessment:
    """Apply the RAG rules, in order, to one action as at ``as_at``."""
    computed, sentence, findings = _computed_rag(action, stages, as_at, config)
    findings = list(findings)
    if action.status is Status.NOT_STARTED and not sentence.startswith(AT_RISK.lead):
        # The documents have no Status column: the Board learns it here.
        sentence = f"{sentence} {NOT_STARTED.write()}"
    if (computed not in (Rag.COMPLETED, Rag.NOT_APPLICABLE) and "owners" in action.cells
            and is_unowned(action.owners)):
        # Blank or TBC: nobody will do it. Only where the sheet has an owner
        # column (without one, the reader has said so once).
        findings.append(Finding(FindingKind.NO_OWNER, "owners", NO_OWNER))

    stale = _stale_note(action, as_at, config, computed)
    if stale:
        sentence = f"{sentence} {stale}"
        findings.append(Finding(FindingKind.STALE, "last_updated", stale))

    rag, source = computed, RagSource.COMPUTED
    override = action.rag_override
    if override is not None:
        more_lenient = RAG_SEVERITY[override] < RAG_SEVERITY[computed]
        if more_lenient and not action.override_reason:
            refused = OVERRIDE_REFUSED.write(label=config.label(override),
                                             computed=config.label(computed))
            findings.append(Finding(FindingKind.OVERRIDE_REFUSED, "rag_override", refused,
                                    "Add an Override Reason or remove the override."))
            sentence = f"{sentence} {refused}"
        else:
            rag, source = override, RagSource.OVERRIDE
            reason = REASON_GIVEN.write(reason=action.override_reason) \
                if action.override_reason else ""
            if not reason.endswith((".", "!", "?")) and reason:
                reason += "."
            if more_lenient:
                # The Board sees every kinder override, each quarter it stays:
                # both RAGs, why the rules said otherwise, and the reason. It
                # stands in for the missed finding it hides.
                kinder = (
                    f"Officer RAG '{config.label(override)}', kinder than the computed "
                    f"'{config.label(computed)}': {sentence}{reason}"
                )
                findings = [f for f in findings if f.kind is not FindingKind.MISSED]
                findings.insert(0, Finding(FindingKind.OVERRIDE_KINDER, "rag_override", kinder))
            sentence = OVERRIDE.write(label=config.label(override), reason_given=reason,
                                      computed=config.label(computed), sentence=sentence)
            if override is Rag.MISSED and computed is not Rag.MISSED:
                # The Board must see every red action in the exceptions list.
                findings.append(Finding(FindingKind.MISSED, "rag_override", sentence))
    return Assessment(rag, source, computed, sentence, tuple(findings))


def _computed_rag(
    action: Action, stages: tuple[Stage, ...], as_at: dt.date, config: RulesConfig
) -> tuple[Rag, str, list[Finding]]:
    if action.status is Status.NOT_APPLICABLE:
        return Rag.NOT_APPLICABLE, NOT_APPLICABLE.write(), []
    if action.status is Status.COMPLETED:
        dated = [stage for stage in stages if stage.date is not None]
        if not dated:
            return Rag.COMPLETED, MARKED_COMPLETED.write(), []
        last = max(dated, key=lambda stage: stage.date or dt.date.min)  # (all dated)
        return Rag.COMPLETED, COMPLETED_TARGET.write(target=due_phrase(last)), []

    governing_index = _governing_stage(action, stages)
    if governing_index is None:
        return Rag.COMPLETED, EVERY_STAGE_COMPLETE.write(), []
    governing = stages[governing_index]
    others = _describe_other_stages(stages, governing_index)
    name = f"{governing.label} " if governing.label else ""
    target = f"{name}due {due_phrase(governing)}" if governing.date else ""

    if governing.kind is DueKind.DATE:
        assert governing.date is not None
        days = (governing.date - as_at).days
        if days < 0:
            sentence = _capitalise(MISSED.write(target=target, overdue=_days(-days),
                                                as_at=format_date(as_at), others=others))
            return Rag.MISSED, sentence, [Finding(FindingKind.MISSED, "completion_date", sentence)]
        when = "today" if days == 0 else f"in {_days(days)}"
        if action.status is Status.NOT_STARTED and days <= config.at_risk_days:
            sentence = AT_RISK.write(target=target, when=when, others=others)
            return Rag.MINOR_ISSUES, sentence, []
        return Rag.MINOR_ISSUES, ON_TARGET.write(target=target, when=when, others=others), []

    label = f"{governing.label} " if governing.label else ""
    if governing.kind is DueKind.ONGOING:
        # "Annually - March" is no date: read as ongoing, and said to recur.
        recurring = f"recurring ({governing.recurrence}): " if governing.recurrence else ""
        return (Rag.MINOR_ISSUES,
                _capitalise(ONGOING.write(label=f"{label}{recurring}", others=others)), [])
    if governing.kind is DueKind.TBC:
        sentence = _capitalise(DATE_TBC.write(label=label, others=others))
        return Rag.MINOR_ISSUES, sentence, [_date_finding(FindingKind.DATE_TBC, sentence)]
    if governing.kind is DueKind.AMBIGUOUS:
        sentence = _capitalise(DATE_AMBIGUOUS.write(label=label, text=governing.text,
                                                    others=others))
        return Rag.MINOR_ISSUES, sentence, [_date_finding(FindingKind.DATE_AMBIGUOUS, sentence)]
    sentence = _capitalise(DATE_UNREADABLE.write(label=label, text=governing.text,
                                                 others=others))
    return Rag.MINOR_ISSUES, sentence, [_date_finding(FindingKind.DATE_UNREADABLE, sentence)]


def _date_finding(kind: FindingKind, sentence: str) -> Finding:
    return Finding(kind, "completion_date", sentence)


def governing_stage(action: Action, stages: tuple[Stage, ...]) -> Stage | None:
    """The stage whose date decides the RAG: the first not marked complete (None: all are)."""
    index = _governing_stage(action, stages)
    return None if index is None else stages[index]


def stage_done(action: Action, stage: Stage) -> bool:
    """True when the status marks this stage complete ("Stage 1 complete")."""
    number = _stage_number(stage)
    return number is not None and number in action.stages_complete


def _governing_stage(action: Action, stages: tuple[Stage, ...]) -> int | None:
    """Index of the first stage not marked complete, or None if all are."""
    for index, stage in enumerate(stages):
        number = _stage_number(stage)
        if number is None or number not in action.stages_complete:
            return index
    return None


def _stage_number(stage: Stage) -> int | None:
    if stage.label is None:
        return None
    match = re.search(r"\d+", stage.label)
    return int(match.group()) if match else None


def _describe_other_stages(stages: tuple[Stage, ...], governing: int) -> str:
    """'; Stage 2 date TBC' for the stages after the governing one."""
    later = stages[governing + 1 :]
    return f"; {describe_stages(later, IN_THE_COMMENT)}" if later else ""


def _stale_note(action: Action, as_at: dt.date, config: RulesConfig, computed: Rag) -> str:
    if action.last_updated is None or computed in (Rag.COMPLETED, Rag.NOT_APPLICABLE):
        return ""
    age = (as_at - action.last_updated).days
    if age <= config.stale_days:
        return ""
    return STALE.write(date=format_date(action.last_updated), age=_days(age))


def _days(n: int) -> str:
    return plural(n, "day")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def rag_note(config: RulesConfig) -> tuple[str, ...]:
    """The report's "How RAG is calculated" note, generated from the config."""
    label = config.label
    return (
        "Each action's RAG status is worked out as at the report date from its completion "
        "date and status. The rules below are applied in order; the first that applies "
        "decides.",
        "1. An officer's RAG override is used, unless it is more lenient than the computed "
        "status and gives no reason: then the computed status stands and the override is "
        "listed as an exception. A more lenient override with a reason is used, and listed "
        "as an exception with both statuses and the reason. The comment always says what "
        "the system computed.",
        f"2. {label(Rag.NOT_APPLICABLE)}: the status is Not applicable. "
        "These rows are not counted in the summary.",
        f"3. {label(Rag.COMPLETED)}: the status is Completed.",
        f"4. {label(Rag.MISSED)}: the due date has passed. A due date is the last day of "
        "the period named (Q4 2023-24 is 31 March 2024; March 2024 is 31 March 2024), and "
        "the due date itself is still on target. For staged actions, the first stage not "
        "marked complete decides.",
        f"5. {label(Rag.MINOR_ISSUES)}: the completion date is to be confirmed, cannot be "
        "read or is ambiguous (each listed as an exception); or the action is ongoing; or "
        f"it is not started and due within {config.at_risk_days} days (at risk); or it "
        "is on target.",
        f"6. A Last Updated date more than {config.stale_days} days before the report date "
        "is noted in the comment and listed as an exception, as is an open action with no "
        "owner (blank or TBC).",
    )
