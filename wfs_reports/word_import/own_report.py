"""This project's own report: what its computed sentence ("Why this RAG: ...") says of the workbook.

make-report's Word report shows, under each action's comments, the sentence
the rules computed (domain/rules.py). It is not officer text, so it is kept
out of the Comments; but it tells what the workbook held and the report does
not otherwise show: an officer's RAG override and its reason (also a refused
one), that the action is not started, its Last Updated date, and which stages
are complete. The sentences are the rules' own (domain/sentences.py), so the
patterns here follow any rewording.
"""

from __future__ import annotations

import re

from wfs_reports.domain.dates import parse_completion_date, parse_day_first_date
from wfs_reports.domain.model import Rag, Status
from wfs_reports.domain.sentences import (
    AT_RISK,
    COMMENT_LABEL,
    COMMENT_LABEL_BEFORE_2026_12,
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
    OVERRIDE_REFUSED_BEFORE_2026_12,
    REASON_GIVEN,
    STALE,
)
from wfs_reports.domain.word_record import RecordedAction, read_record
from wfs_reports.word_import.colours import RagKey
from wfs_reports.word_import.result import ActionDraft
from wfs_reports.word_import.vocabulary import SYSTEM_COMMENT_STYLE, key
from wfs_reports.word_import.walk import Cell, Paragraph

# The label before the sentence ("Why this RAG:", "System:" before December
# 2026), when the paragraph has lost its style.
_SYSTEM_PREFIX = re.compile(r"^\s*(?:" + "|".join(
    re.escape(label.rstrip(":")).replace(r"\ ", r"\s+")
    for label in (COMMENT_LABEL, COMMENT_LABEL_BEFORE_2026_12)) + r")\s*:\s*", re.IGNORECASE)
_OVERRIDE = re.compile("^" + OVERRIDE.pattern(
    label=".+?", reason_given=f"(?:{REASON_GIVEN.pattern(reason='.*?')})?", computed=".+?",
    sentence=".*") + "$", re.DOTALL)
_REFUSED = tuple(re.compile(sentence.pattern(label=".+?", computed=".+?"), re.DOTALL)
                 for sentence in (OVERRIDE_REFUSED, OVERRIDE_REFUSED_BEFORE_2026_12))
_STALE = re.compile(STALE.pattern(date=r"\d{1,2} \w+ \d{4}", age=".+?"))
# The stage that decides the RAG, named first ("Stage 2 due ..." or "On target, Stage 2 ...").
_GOVERNING_STAGE = re.compile(
    f"^(?:{re.escape(AT_RISK.lead)}|{re.escape(ON_TARGET.lead)})?"
    r"((?:Stage|Phase|Part|Step)\s*\d+) ")


# The computed sentence known by its words, for a document make-report wrote
# whose sentence has lost both its style and its label: it starts with the
# sentence of one of the rules, or is an override's (domain/sentences.py).
_WHEN = r"(?:today|in \d+ days?)"
_DUE = ".*?due .+?"
_LABEL = ".{0,60}?"
_COMPUTED_STARTS = tuple(re.compile(pattern, re.IGNORECASE | re.DOTALL) for pattern in (
    *(re.escape(s.write()) for s in (NOT_APPLICABLE, MARKED_COMPLETED, EVERY_STAGE_COMPLETE)),
    COMPLETED_TARGET.pattern(target=".+?"),
    MISSED.pattern(target=_DUE, overdue=r"\d+ days?", as_at=r"\d{1,2} \w+ \d{4}",
                   others=".*?"),
    AT_RISK.pattern(target=_DUE, when=_WHEN),
    ON_TARGET.pattern(target=_DUE, when=_WHEN),
    *(s.pattern(label=_LABEL, text=".*?", others=".*?")
      for s in (ONGOING, DATE_TBC, DATE_AMBIGUOUS, DATE_UNREADABLE)),
))


def is_system(paragraph: Paragraph, cell: Cell, *, own: bool = False) -> bool:
    """The computed sentence: by its style, or its label ("Why this RAG:", or
    "System:" before December 2026) as the cell's last line; in a document
    make-report wrote (``own``), also by its words as the last."""
    if paragraph.style == SYSTEM_COMMENT_STYLE:
        return True
    if cell.texts[-1] != paragraph.text:
        return False
    if _SYSTEM_PREFIX.match(paragraph.text):
        return True
    return own and any(p.match(paragraph.text) for p in (*_COMPUTED_STARTS, _OVERRIDE))


def officer_comment(cell: Cell, *, own: bool = False) -> str:
    """The Comments cell without the computed sentence."""
    return "\n\n".join(p.text for p in cell.paragraphs
                       if p.text and not is_system(p, cell, own=own))


def system_sentence(cell: Cell, *, own: bool = False) -> str:
    """The computed sentence in a Comments cell, without its label; "" for none."""
    for paragraph in cell.paragraphs:
        if paragraph.text and is_system(paragraph, cell, own=own):
            return _SYSTEM_PREFIX.sub("", paragraph.text, count=1)
    return ""


def recover(action: ActionDraft, sentence: str, rag_key: RagKey) -> None:
    """Set on ``action`` what its computed sentence says of the workbook."""
    rest = sentence
    override = _OVERRIDE.match(sentence)
    if override:
        label = rag_key.label(override.group("label"))
        if label is not None:
            action.rag_override = rag_key.names[label]
            action.override_reason = (override.group("reason") or "").strip()
        computed = rag_key.label(override.group("computed"))
        if computed is Rag.COMPLETED:
            action.status = Status.COMPLETED
        elif computed is not None and action.status is not Status.NOT_APPLICABLE:
            action.status = Status.IN_PROGRESS
        rest = override.group("sentence")
    refused = next((m for m in (p.search(sentence) for p in _REFUSED) if m), None)
    if refused:
        label = rag_key.label(refused.group("label"))
        if label is not None:
            action.rag_override = rag_key.names[label]
    if rest.lower().startswith(AT_RISK.lead.lower()) or NOT_STARTED.write() in rest:
        action.status = Status.NOT_STARTED
    stale = _STALE.search(rest)
    if stale:
        action.last_updated = parse_day_first_date(stale.group("date"))
    governing = _GOVERNING_STAGE.match(rest)
    if governing and action.status is not Status.COMPLETED:
        done = []
        for stage in parse_completion_date(action.completion_date):
            if stage.label is None or key(stage.label) == key(governing.group(1)):
                break
            done.append(stage.label)
        if done:
            action.status = Status.BLANK
            action.status_text = ", ".join(f"{label} complete" for label in done)


def apply_record(action: ActionDraft, entry: RecordedAction) -> None:
    """The Status and Last Updated the report recorded (domain/word_record.py): they
    come back as the workbook held them, a blank Status blank."""
    try:
        action.status, action.status_text = Status(entry.status), ""
    except ValueError:  # a stage note ("Stage 1 complete") or other words
        action.status, action.status_text = Status.BLANK, entry.status
    action.last_updated = entry.last_updated


def recorded_actions(document) -> list[RecordedAction] | None:
    """make-report's record of the workbook in a document it wrote; None in any other."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml  # lxml, entities not resolved

    for relationship in document.part.rels.values():
        if relationship.reltype != RT.CUSTOM_XML or relationship.is_external:
            continue
        try:
            record = read_record(parse_xml(relationship.target_part.blob))
        except (ValueError, SyntaxError):  # lxml's XMLSyntaxError is a SyntaxError
            continue
        if record is not None:
            return record
    return None
