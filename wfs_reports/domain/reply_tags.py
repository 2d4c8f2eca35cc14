"""The identity an update-request form carries for each action, so a returned
form can be matched to its action even when the owner sorts, deletes or copies
rows (the contract between the form writer and the replies reader).

Each row of the form holds three Word content controls (Status now, New
completion date, Your update); each control's tag says which field it is and
which action, for which report:

    wfs-reply/1/<field>/<as-at ISO date>/<workbook row>/<recommendation ref>/<action key>

``<action key>`` is 12 hex digits of the SHA-256 of the action's matching key
(recommendation ref and action text, compared as the comparison with the last
report compares them: case, spacing and punctuation ignored). A tag longer
than Word's 64-character limit is never made: the fields above fit in it.

LibreOffice drops tags when it re-saves a form, so a row also shows the
action's number (``3.2``) and text: ``visible_identity`` writes that line and
``read_visible_identity`` reads it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

from wfs_reports.domain.model import action_number
from wfs_reports.domain.trend import same_text

PREFIX = "wfs-reply"
VERSION = 1
WORD_TAG_LIMIT = 64  # characters, Word's limit for a content control's tag


class ReplyField(StrEnum):
    """A field the owner fills in; the value is the tag's, ``heading`` the title Word shows."""

    STATUS = "status"
    DATE = "date"
    UPDATE = "update"

    @property
    def heading(self) -> str:
        return {ReplyField.STATUS: "Status now", ReplyField.DATE: "New completion date",
                ReplyField.UPDATE: "Your update"}[self]

    @property
    def placeholder(self) -> str:
        """The prompt the empty field shows. Word marks it as a placeholder
        (w:showingPlcHdr); LibreOffice drops that mark when it re-saves a form,
        so a reader takes a field showing exactly this text as left empty."""
        return {ReplyField.STATUS: "Choose a status", ReplyField.DATE: "e.g. Q4 2024-25",
                ReplyField.UPDATE: "Type your update"}[self]


def action_key(ref: int, action: str) -> str:
    """12 hex digits naming an action by its recommendation and text."""
    return hashlib.sha256(f"{ref}\n{same_text(action)}".encode()).hexdigest()[:12]


@dataclass(frozen=True)
class ReplyTag:
    field: ReplyField
    as_at: dt.date
    row: int
    ref: int
    key: str  # action_key(ref, action text)

    def text(self) -> str:
        tag = "/".join((PREFIX, str(VERSION), self.field.value, self.as_at.isoformat(),
                        str(self.row), str(self.ref), self.key))
        if len(tag) > WORD_TAG_LIMIT:  # cannot happen for a real workbook row
            raise ValueError(f"content control tag longer than Word allows: {tag}")
        return tag


_TAG = re.compile(
    rf"^{PREFIX}/(?P<version>\d+)/(?P<field>[a-z]+)/(?P<as_at>\d{{4}}-\d{{2}}-\d{{2}})/"
    r"(?P<row>\d{1,7})/(?P<ref>\d{1,4})/(?P<key>[0-9a-f]{12})$"
)


def parse_tag(text: str) -> ReplyTag | None:
    """The tag's identity, or None if it is not one of ours (another control,
    another version, or damaged)."""
    match = _TAG.match(text.strip())
    if match is None or int(match["version"]) != VERSION:
        return None
    try:
        return ReplyTag(ReplyField(match["field"]), dt.date.fromisoformat(match["as_at"]),
                        int(match["row"]), int(match["ref"]), match["key"])
    except ValueError:
        return None


def visible_identity(ref: int, position: int, action: str) -> str:
    """The line a form row shows so a re-saved form (tags lost) can still be matched."""
    return f"{action_number(ref, position)} {action}"


_VISIBLE = re.compile(r"^\s*(?P<ref>\d{1,4})\.(?P<position>\d{1,4})\s+(?P<action>\S.*)$", re.S)


def read_visible_identity(text: str) -> tuple[int, int, str] | None:
    """(ref, position, action text) from a row's visible identity, or None."""
    match = _VISIBLE.match(text)
    if match is None:
        return None
    return int(match["ref"]), int(match["position"]), match["action"].strip()
