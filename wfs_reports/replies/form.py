"""A returned update-request form (.docx), read back: what the owner wrote in
each action's three fields, and which action each row is.

A row is found by its content controls' tags (``domain.reply_tags``), which
survive the owner sorting, deleting or copying rows. LibreOffice drops the
tags when it re-saves a form, so a row with none is found by its visible
identity ('3.2 Recruit ...') and its fields by their titles, else by their
order (Status now, New completion date, Your update). Tracked changes are
read as if accepted: inserted text counts, deleted text does not. Text typed
in a row outside the fields is not used, but kept so it can be noted.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from wfs_reports.domain.reply_tags import (
    ReplyField,
    ReplyTag,
    parse_tag,
    read_visible_identity,
)
from wfs_reports.word_import.ooxml import W_NS, local, w
from wfs_reports.workbook.file import too_large

# Deleted text (a tracked deletion, or the old place of a tracked move) and
# field codes are not what the document says once changes are accepted.
_SKIPPED = {w("del"), w("moveFrom"), w("delText"), w("instrText"), w("sdtPr"),
            w("rPr"), w("pPr"), w("tblPr"), w("trPr"), w("tcPr")}
_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CORE_NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            "dcterms": "http://purl.org/dc/terms/"}


class NotAForm(Exception):
    """The file is not an update-request form; the message says why."""


@dataclass(frozen=True)
class RowReply:
    """One action's row, as returned."""

    tag: ReplyTag | None  # from the fields' tags; None when the tags were dropped
    visible: tuple[int, int, str] | None  # (ref, position, action text) the row shows
    status: str
    date: str
    update: str
    typed_outside: tuple[str, ...] = ()  # paragraphs of the row outside the fields
    copies: int = 1  # the same action's row found this many times (copied rows)


@dataclass
class FormReading:
    rows: list[RowReply]
    text: str  # the whole document's text, as accepted
    modified: dt.date | None  # when it was last saved (document properties)
    notes: list[str] = field(default_factory=list)

    @property
    def tagged(self) -> bool:
        return any(row.tag is not None for row in self.rows)


def read_form(data: bytes, name: str) -> FormReading:
    """The form's rows; NotAForm when the file is not a Word form of ours."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise NotAForm("not a Word document (.docx)") from None
    if too_large(sum(i.file_size for i in infos)) is not None:
        raise NotAForm("too large to be an update-request form")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise NotAForm("an Excel workbook, not a returned form")
        raise NotAForm("not a Word document (.docx)")
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(archive.read("word/document.xml"))
        core = fromstring(archive.read("docProps/core.xml")) if "docProps/core.xml" in names \
            else None
    except Exception:  # noqa: BLE001 - any damage: one line, not a traceback
        raise NotAForm("a damaged Word document: open it in Word and save it again") from None
    body = root.find(w("body"))
    if body is None:
        raise NotAForm("a Word document with no body")
    rows, notes = _rows(body)
    return FormReading(rows, "\n".join(_paragraphs(body)), _modified(core), notes)


def _modified(core) -> dt.date | None:
    if core is None:
        return None
    found = core.find("dcterms:modified", _CORE_NS)
    if found is None or not (found.text or "").strip():
        return None
    try:
        return dt.datetime.fromisoformat(found.text.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


# -- text, as accepted ---------------------------------------------------------

def _text(element, skip_sdt: bool = False) -> str:
    """The element's text with tracked changes accepted; paragraphs on lines."""
    parts: list[str] = []
    _collect(element, parts, skip_sdt)
    return re.sub(r"[ \t]+\n", "\n", "".join(parts)).strip()


def _collect(element, parts: list[str], skip_sdt: bool) -> None:
    tag = element.tag
    if tag in _SKIPPED or tag == _ALTERNATE or (skip_sdt and tag == w("sdt")):
        return
    name = local(tag)
    if name == "t" and str(tag).startswith(f"{{{W_NS}}}"):
        parts.append(element.text or "")
    elif tag in (w("tab"), w("ptab")):
        parts.append("\t")
    elif tag in (w("br"), w("cr")):
        parts.append("\n")
    for child in element:
        _collect(child, parts, skip_sdt)
    if tag in (w("p"), w("tc")) and parts and not parts[-1].endswith("\n"):
        parts.append("\n")


def _paragraphs(element, skip_sdt: bool = False) -> list[str]:
    """Each non-blank paragraph's text, in order (a paragraph's line breaks kept);
    deleted paragraphs (tracked) left out, and with skip_sdt those in a field."""
    found: list[str] = []

    def walk(node) -> None:
        for child in node:
            if child.tag in (w("del"), w("moveFrom")) or (skip_sdt and child.tag == w("sdt")):
                continue
            if child.tag == w("p"):
                text = _text(child, skip_sdt)
                if text:
                    found.append(text)
            elif child.tag == w("tr") and _deleted_row(child):
                continue
            else:
                walk(child)
    walk(element)
    return found


def _deleted_row(tr) -> bool:
    """A table row deleted with tracked changes on."""
    props = tr.find(w("trPr"))
    return props is not None and props.find(w("del")) is not None


# -- the fields ----------------------------------------------------------------

@dataclass(frozen=True)
class _Control:
    tag: ReplyTag | None
    alias: str
    value: str
    element: object  # the w:sdt


def _control(sdt) -> _Control:
    props = sdt.find(w("sdtPr"))
    tag_text = alias = ""
    placeholder = False
    if props is not None:
        tag_el, alias_el = props.find(w("tag")), props.find(w("alias"))
        tag_text = tag_el.get(w("val"), "") if tag_el is not None else ""
        alias = alias_el.get(w("val"), "") if alias_el is not None else ""
        placeholder = props.find(w("showingPlcHdr")) is not None
    content = sdt.find(w("sdtContent"))
    value = "" if placeholder or content is None else _field_text(content)
    return _Control(parse_tag(tag_text), alias.strip(), value, sdt)


def _field_text(content) -> str:
    return _one_line(_text(content))


def _one_line(text: str) -> str:
    """Each line's spacing squashed, blank lines dropped."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _controls(element) -> list[_Control]:
    """The outermost content controls inside element, in order."""
    found = []

    def walk(node) -> None:
        for child in node:
            if child.tag == w("sdt"):
                found.append(_control(child))
            elif child.tag not in (w("del"), w("moveFrom")):
                walk(child)
    walk(element)
    return found


_BY_HEADING = {f.heading.casefold(): f for f in ReplyField}
_ORDER = (ReplyField.STATUS, ReplyField.DATE, ReplyField.UPDATE)


def _fields(controls: list[_Control]) -> dict[ReplyField, _Control] | None:
    """Each field's control: by tag, else by title, else by order (the fields
    not told by tag or title take the other controls in the form's order, when
    there are as many; LibreOffice drops the drop-down's title but keeps the
    others'); None if unclear."""
    fields: dict[ReplyField, _Control] = {}
    untagged = []
    for control in controls:
        if control.tag is not None:
            fields[control.tag.field] = control
        elif control.alias.casefold() in _BY_HEADING:
            fields[_BY_HEADING[control.alias.casefold()]] = control
        else:
            untagged.append(control)
    missing = [f for f in _ORDER if f not in fields]
    if untagged and len(untagged) == len(missing):
        fields.update(zip(missing, untagged, strict=True))
    elif untagged and not fields:
        return None
    return fields


def _value(field: ReplyField, control: _Control) -> str:
    """The control's value; a field still showing its prompt (LibreOffice drops
    Word's placeholder mark when it re-saves a form) is empty."""
    if " ".join(control.value.split()).casefold() == field.placeholder.casefold():
        return ""
    return control.value


def _after_field(tr, sdt) -> list[str]:
    """The paragraphs after the field in its table cell. LibreOffice keeps only
    the first paragraph of a several-paragraph field inside it when it re-saves
    a form; the others follow it in the cell."""
    for cell in tr.iter(w("tc")):
        if not any(found is sdt for found in cell.iter(w("sdt"))):
            continue
        paragraphs = [child for child in cell if child.tag in (w("p"), w("sdt"))]
        after = next((i for i, p in enumerate(paragraphs)
                      if any(found is sdt for found in p.iter(w("sdt")))), None)
        if after is None:
            return []
        return [text for p in paragraphs[after + 1:] if p.tag == w("p")
                and (text := _text(p, skip_sdt=True))]
    return []


def _rows(body) -> tuple[list[RowReply], list[str]]:
    rows: list[RowReply] = []
    notes: list[str] = []
    for tr in body.iter(w("tr")):
        if any(True for _ in tr.iter(w("tr")) if _ is not tr) or _deleted_row(tr):
            continue  # a row holding a table: its inner rows are read instead
        controls = _controls(tr)
        paragraphs = _paragraphs(tr, skip_sdt=True)
        visible = next((v for v in map(read_visible_identity, paragraphs[:1]) if v), None)
        tags = Counter((c.tag.as_at, c.tag.row, c.tag.ref, c.tag.key)
                       for c in controls if c.tag is not None)
        if not controls and visible is None:
            continue
        tag = None
        if tags:
            (as_at, row, ref, key), _ = tags.most_common(1)[0]
            tag = next(c.tag for c in controls if c.tag is not None
                       and (c.tag.as_at, c.tag.row, c.tag.ref, c.tag.key) == (as_at, row, ref, key))
        elif visible is None:
            continue  # a row of some other table the owner added
        fields = _fields(controls)
        if fields is None:
            label = f"action {visible[0]}.{visible[1]}" if visible else "a row"
            notes.append(f"{label}: its fields could not be told apart, so it was not read")
            continue
        values = {field: _value(field, control) for field, control in fields.items()}
        outside = list(paragraphs[1:] if visible is not None else paragraphs)
        if tag is None and ReplyField.UPDATE in fields:  # re-saved by LibreOffice
            rest = _after_field(tr, fields[ReplyField.UPDATE].element)
            for text in rest:
                if text in outside:
                    outside.remove(text)
            values[ReplyField.UPDATE] = "\n".join(
                line for line in (values[ReplyField.UPDATE], *map(_one_line, rest)) if line)
        rows.append(RowReply(tag, visible, values.get(ReplyField.STATUS, ""),
                             values.get(ReplyField.DATE, ""),
                             values.get(ReplyField.UPDATE, ""), tuple(outside)))
    return _merge_copies(rows), notes


def _merge_copies(rows: list[RowReply]) -> list[RowReply]:
    """A row copied by the owner: keep the first one with anything filled in."""
    kept: dict[object, RowReply] = {}
    order: list[object] = []
    for row in rows:
        identity: object = ((row.tag.as_at, row.tag.row, row.tag.ref, row.tag.key) if row.tag
                            else (row.visible[0], row.visible[1]) if row.visible else id(row))
        if identity not in kept:
            kept[identity] = row
            order.append(identity)
            continue
        first = kept[identity]
        filled = bool(row.status or row.date or row.update)
        chosen = row if filled and not (first.status or first.date or first.update) else first
        kept[identity] = RowReply(chosen.tag, chosen.visible, chosen.status, chosen.date,
                                  chosen.update, chosen.typed_outside, first.copies + 1)
    return [kept[i] for i in order]
