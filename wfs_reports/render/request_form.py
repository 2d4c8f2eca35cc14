"""Render one owner's update-request form from templates/update_request.docx.

Lays out a ``RequestPlan``'s ``OwnerRequest``; decides nothing. Officer text
is escaped exactly as in the Word report (render_docx's helpers), so cell text
is never template code, and the same request gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import pathlib
from typing import Any

from docx.shared import RGBColor
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from wfs_reports.domain.errors import ReportError
from wfs_reports.domain.model import Brand
from wfs_reports.render.docx import (
    LANG,
    _Environment,
    _fill,
    _fix_shading_order,
    _repack,
    _rich,
    _text,
)
from wfs_reports.requests.plan import OwnerRequest, RequestItem, RequestPlan


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def intro(plan: RequestPlan, request: OwnerRequest) -> str:
    """What the owner is asked to do: the same words in the form and the email."""
    for_what = f"the {plan.title}"
    if plan.meeting:
        for_what += f" for the {plan.meeting}"
    if plan.meeting_date:
        for_what += f" on {plan.meeting_date}"
    return (
        f"Please give an update on each action below by {plan.reply_by}, so that {for_what} "
        "is up to date. Write it in the ‘Your update’ column. Where an action is complete, "
        "say when it was completed; where a date has been missed or is to be confirmed, "
        "give the date you now expect."
    )


def count_heading(request: OwnerRequest) -> str:
    """'Your open actions (3, 2 needing attention)'."""
    count = len(request.items)
    attention = f", {request.attention} needing attention" if request.attention else ""
    return f"Your open actions ({count}{attention})"


def _item(item: RequestItem) -> dict[str, Any]:
    label = f"{item.rag_mark} {item.rag_label}" if item.rag_mark else item.rag_label
    return {
        "recommendation": _text(item.recommendation),
        "action": _text(item.action),
        "completion_date": _text(item.completion_date or "(blank)"),
        "reading": _text(item.reading),
        "status": _text(item.status or "(blank)"),
        "comments": _text(item.comments),
        "rag_fill": _fill(item.rag_fill),
        "rag_label": _rich(label, item.rag_text_colour),
        "why": _rich(item.why, item.rag_text_colour),
        "needed": _text("\n".join(item.needed)),
    }


def _values(plan: RequestPlan, request: OwnerRequest, brand: Brand) -> dict[str, Any]:
    provenance = (f"Position as at {plan.as_at} · Source: {plan.source_file} · "
                  f"SHA-256 {plan.source_sha_short}")
    return {
        "title": _text(plan.title),
        "owner": _text(request.name),
        "organisation": _text(plan.organisation),
        "meeting": _text(plan.meeting),
        "meeting_date": _text(plan.meeting_date),
        "reply_by": _text(plan.reply_by),
        "as_at": _text(plan.as_at),
        "prepared_by": _text(plan.prepared_by),
        "classification": _text(plan.classification),
        "provenance": _text(provenance),
        "intro": _text(intro(plan, request)),
        "count_heading": _text(count_heading(request)),
        "accent_fill": _fill(brand.accent),
        "items": [_item(item) for item in request.items],
    }


def _brand_colours(tpl: DocxTemplate, brand: Brand) -> None:
    colours = {"Heading 1": brand.primary, "Heading 2": brand.primary,
               "Wordmark": brand.primary, "Table Heading": brand.accent_text}
    names = {style.name for style in tpl.docx.styles}
    for name, colour in colours.items():
        if name in names and colour:
            tpl.docx.styles[name].font.color.rgb = RGBColor.from_string(colour.lstrip("#"))


def render_form(plan: RequestPlan, request: OwnerRequest, template: pathlib.Path,
                brand: Brand) -> bytes:
    """The owner's form as .docx bytes."""
    tpl = DocxTemplate(io.BytesIO(template.read_bytes()))
    tpl.init_docx()
    _brand_colours(tpl, brand)
    try:
        tpl.render(_values(plan, request, brand), jinja_env=_Environment(), autoescape=True)
    except TemplateError as error:
        raise ReportError(
            f"{template}: the update-request template could not be used "
            f"({error.message or error}); retype any tag edited in Word as one piece, or "
            "restore the bundled update_request.docx"
        ) from None
    _fix_shading_order(tpl)
    # After render(): docxtpl would compile core properties as templates.
    midnight = dt.datetime.fromisoformat(plan.as_at_iso)
    props = tpl.docx.core_properties
    author = plan.prepared_by or plan.organisation
    props.title = f"{plan.title}: update request for {request.name}"[:255]  # Word's limit
    props.subject = f"Update needed by {plan.reply_by}"
    props.author = author[:255]
    props.last_modified_by = author[:255]
    props.language = LANG
    props.comments = f"Generated by wfs-reports from {plan.source_file}"
    props.keywords = ""
    props.category = ""
    props.created = props.modified = props.last_printed = midnight
    props.revision = 1
    buffer = io.BytesIO()
    tpl.save(buffer)
    return _repack(buffer.getvalue(), plan.as_at_iso)
