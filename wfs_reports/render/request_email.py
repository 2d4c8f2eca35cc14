"""Render one owner's draft email (.eml): opened in Outlook or Thunderbird it is a
draft ready to send (``X-Unsent: 1``), with the owner's form attached.

Built with the standard library's ``email`` package (``EmailMessage``, SMTP
policy), never by pasting text together: every header value is one cleaned
line, and the policy refuses a line break in a header, so no owner name,
title or address can add a header (a Bcc, say). Nothing is sent.
"""

from __future__ import annotations

import hashlib
import html
from email import errors
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP

from wfs_reports.domain.owners import clean
from wfs_reports.render.request_form import GUIDANCE, asked, count_heading
from wfs_reports.requests.plan import OwnerRequest, RequestItem, RequestPlan

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def subject(plan: RequestPlan) -> str:
    """'Please send your update by 23 November 2023: WFS Action Plan Update'."""
    return clean(f"Please send your update by {plan.reply_by}: {plan.title}")


def _plain_item(number: int, item: RequestItem) -> list[str]:
    def indented(label: str, text: str) -> list[str]:
        lines = (text or "").splitlines() or [""]
        return [f"   {label}: {lines[0]}".rstrip()] + [f"      {line}".rstrip()
                                                       for line in lines[1:]]

    lines = [f"{number}. {item.recommendation}"]
    lines += indented("Action", item.action)
    reading = item.reading[:1].lower() + item.reading[1:]
    lines += indented("Completion date", f"{item.completion_date or '(blank)'} ({reading})")
    lines += indented("Status", item.status or "(blank)")
    if item.comments:
        lines += indented("Last comment", item.comments)
    lines += indented("RAG status", f"{item.rag_label}: {item.why}")
    lines += indented("What is needed", "\n".join(item.needed))
    return lines


def _sign_off(plan: RequestPlan) -> list[str]:
    return ["Thank you,"] + ([clean(plan.prepared_by)] if plan.prepared_by else [])


def how_to_reply(request: OwnerRequest) -> str:
    """What the email asks for, in what it holds: the attached form, or a reply."""
    return (f"Please fill in the attached form ({request.stem}.docx), which lists the same "
            "actions with a status, a new completion date and your update to fill in for "
            "each, and return it; or reply to this email with your update on each action. "
            + GUIDANCE)


def plain_body(plan: RequestPlan, request: OwnerRequest) -> str:
    lines = [f"Dear {request.name},", "", asked(plan), "", how_to_reply(request), "",
             count_heading(request) + ":", ""]
    for number, item in enumerate(request.items, start=1):
        lines += _plain_item(number, item) + [""]
    lines += _sign_off(plan)
    return "\n".join(lines) + "\n"


def _html_text(text: str) -> str:
    return html.escape(text or "").replace("\n", "<br>\n")


def html_body(plan: RequestPlan, request: OwnerRequest) -> str:
    rows = []
    for item in request.items:
        read = f"<br><small>{_html_text(item.reading)}</small>"
        fill = item.rag_fill or "#ffffff"
        rows.append(
            "<tr>"
            f"<td>{_html_text(item.recommendation)}</td>"
            f"<td>{_html_text(item.action)}</td>"
            f"<td>{_html_text(item.completion_date or '(blank)')}{read}</td>"
            f"<td>{_html_text(item.status or '(blank)')}</td>"
            f"<td>{_html_text(item.comments)}</td>"
            f'<td style="background:{fill};color:{item.rag_text_colour}">'
            f"<strong>{_html_text(item.rag_label)}</strong><br>{_html_text(item.why)}</td>"
            f"<td><strong>{_html_text(chr(10).join(item.needed))}</strong></td>"
            "</tr>"
        )
    headers = ("Recommendation", "Action", "Completion date", "Status", "Last comment",
               "RAG status and why", "What is needed")
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    sign_off = "<br>\n".join(html.escape(line) for line in _sign_off(plan))
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(subject(plan))}</title></head>\n"
        '<body style="font-family:Arial,sans-serif;font-size:10pt">\n'
        f"<p>Dear {html.escape(request.name)},</p>\n"
        f"<p>{html.escape(asked(plan))}</p>\n"
        f"<p>{html.escape(how_to_reply(request))}</p>\n"
        f"<h2 style=\"font-size:12pt\">{html.escape(count_heading(request))}</h2>\n"
        '<table border="1" cellpadding="4" cellspacing="0" '
        'style="border-collapse:collapse;font-size:9pt">\n'
        f"<caption>{html.escape(count_heading(request))}</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
        + "\n</tbody>\n</table>\n"
        f"<p>{sign_off}</p>\n</body>\n</html>\n"
    )


def render_email(plan: RequestPlan, request: OwnerRequest, form: bytes) -> bytes:
    """The draft as .eml bytes (CRLF line ends, as mail programs expect)."""
    message = EmailMessage(policy=SMTP)
    message["X-Unsent"] = "1"  # Outlook: open as a draft to send, not as a received mail
    message["To"] = _addresses(request.name, request.emails)
    if request.cc:
        message["Cc"] = _addresses("", request.cc)
    message["Subject"] = subject(plan)
    message.set_content(plain_body(plan, request))
    message.add_alternative(html_body(plan, request), subtype="html")
    message.add_attachment(form, *DOCX_TYPE, filename=f"{request.stem}.docx")
    _fix_boundaries(message, form)
    return message.as_bytes()


def _addresses(name: str, addresses: tuple[str, ...]) -> tuple[Address, ...] | str:
    """The owner's addresses (with their name, for To:), or blank. Each address
    was checked when the Owners sheet was read; one the email package still
    refuses is left out rather than the run failing."""
    kept = []
    for address in addresses:
        try:
            kept.append(Address(display_name=clean(name), addr_spec=address))
        except (ValueError, IndexError, errors.HeaderParseError):
            continue
    return tuple(kept) or ""


def _fix_boundaries(message: EmailMessage, salt: bytes) -> None:
    """MIME boundaries from the content, not from chance, so the same request
    gives the same bytes; a hash of the content cannot occur in it."""
    body = message.get_body(("plain",))
    assert body is not None, "every request has a plain-text part"
    digest = hashlib.sha256(salt + body.get_content().encode("utf-8"))
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_wfs-{digest.hexdigest()[:32]}-{number}")
