"""What make-report's Word report records of each action for the Word importer,
beyond what the Board reads: the contract between render/docx.py and word_import.

The Board copy shows an action's RAG, not the Status or Last Updated the
officer typed: a blank Status and "In progress" look the same, and a Last
Updated date is shown only when it is stale. So the report carries them in a
custom XML part (``customXml/itemN.xml``, Word's place for a document's own
data; it is not shown and Word keeps it when the file is saved again):

    <plan xmlns="urn:wfs-reports:word-report:1">
      <action ref="3" rag="minor_issues" status="" last-updated="2023-08-10">text</action>
      ...
    </plan>

one ``action`` per action, in the report's order, with its recommendation,
the RAG the report showed (the rules' key), the Status cell as the workbook
held it (a stage note such as "Stage 1 complete" included) and Last Updated
as an ISO date (the attribute left out when blank). The importer pairs a row
with the first unused entry of the same recommendation and action text (as
``trend.same_text`` compares them), and uses the entry only while the row's RAG
cell still shows the recorded RAG: a row re-typed or re-coloured by hand is
read from what it shows.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wfs_reports.domain.trend import same_text

NAMESPACE = "urn:wfs-reports:word-report:1"
ROOT = f"{{{NAMESPACE}}}plan"
ACTION = f"{{{NAMESPACE}}}action"


@dataclass(frozen=True)
class RecordedAction:
    """One action as the workbook held it when the report was made."""

    ref: int
    action: str
    rag: str  # the RAG key the report showed ("missed", ...)
    status: str  # the Status cell: a Status value, a stage note, or ""
    last_updated: dt.date | None = None

    def matches(self, ref: int, action: str) -> bool:
        return self.ref == ref and same_text(self.action) == same_text(action)


def write_record(actions: Iterable[RecordedAction]) -> bytes:
    """The custom XML part's bytes, the same for the same actions."""
    root = ET.Element(ROOT)
    for item in actions:
        attributes = {"ref": str(item.ref), "rag": item.rag, "status": item.status}
        if item.last_updated is not None:
            attributes["last-updated"] = item.last_updated.isoformat()
        element = ET.SubElement(root, ACTION, attributes)
        element.text = item.action
    ET.register_namespace("", NAMESPACE)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


def read_record(root: Any) -> list[RecordedAction] | None:
    """The actions of a parsed part (an ElementTree-like element, parsed without
    entities by the caller); None when the part is not this record. An entry that
    cannot be read is left out, and its row is read from what it shows."""
    if getattr(root, "tag", None) != ROOT:
        return None
    actions = []
    for element in root.iter(ACTION):
        ref = element.get("ref", "")
        if not ref.isdigit():
            continue
        try:
            updated = element.get("last-updated")
            last_updated = dt.date.fromisoformat(updated) if updated else None
        except ValueError:
            last_updated = None
        actions.append(RecordedAction(int(ref), element.text or "", element.get("rag", ""),
                                      element.get("status", ""), last_updated))
    return actions
