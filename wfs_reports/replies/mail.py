"""A reply by email: the form attached to it, or the text of the reply.

``.eml`` files are read with the standard library's email parser. Outlook's
``.msg`` files are OLE compound documents: olefile (BSD) reads their streams;
the message's attachments are the ``__attach_version1.0_#NNNNNNNN`` storages,
whose ``__substg1.0_37010102`` stream is the attachment's bytes and
``3707001F`` its long file name. Nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr


@dataclass
class Message:
    sender: str  # the address, lower case; "" when not given
    sender_name: str
    sent: dt.date | None
    body: str  # the reply's own text (the quoted request left out)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)  # (name, data)

    def forms(self) -> list[tuple[str, bytes]]:
        """The Word attachments: the returned form is one of them."""
        return [(name, data) for name, data in self.attachments
                if name.lower().endswith(".docx")]


class NotAMessage(Exception):
    """The file cannot be read as an email; the message says why."""


def read_eml(data: bytes) -> Message:
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except Exception:  # noqa: BLE001 - the parser is lenient; anything else is damage
        raise NotAMessage("cannot be read as an email (.eml)") from None
    if not message.keys():
        raise NotAMessage("not an email: it has no headers")
    name, address = parseaddr(str(message.get("From", "")))
    sent = None
    try:
        when = message["Date"].datetime if message["Date"] is not None else None
        sent = when.date() if when is not None else None
    except (AttributeError, ValueError, TypeError):
        sent = None
    attachments = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            attachments.append((part.get_filename() or "", payload))
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text = body.get_content()
        if body.get_content_type() == "text/html":
            text = _html_text(text)
    return Message(address.lower(), name, sent, own_text(text), attachments)


def _html_text(html: str) -> str:
    text = re.sub(r"(?is)<(script|style).*?</\1>", "", html)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    import html as html_module

    return html_module.unescape(text)


_QUOTE_START = re.compile(
    r"^\s*(?:-+\s*original message\s*-+|from:\s|on .+ wrote:\s*$|sent:\s|_{10,})",
    re.IGNORECASE)


def own_text(text: str) -> str:
    """The reply above the quoted message: quoted lines ('>') and everything
    from 'On ... wrote:' / 'From:' / '-----Original Message-----' on left out."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if _QUOTE_START.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        lines.append(line.rstrip())
    return "\n".join(lines).strip()


# -- Outlook .msg ----------------------------------------------------------------

_ATTACH = "__attach_version1.0_#"
_PT_SYSTIME = 0x0040
# PR_CLIENT_SUBMIT_TIME, then PR_MESSAGE_DELIVERY_TIME: when it was sent.
_SENT_TAGS = (0x0039, 0x0E06)


def read_msg(data: bytes) -> Message:
    try:
        import olefile
    except ImportError:  # pragma: no cover - a dependency of the package
        raise NotAMessage("olefile is not installed; reinstall wfs-reports") from None
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - olefile raises several types for damage
        raise NotAMessage("cannot be read as an Outlook message (.msg)") from None
    with ole:
        def text(path: str) -> str:
            for suffix, encoding in (("001F", "utf-16-le"), ("001E", "cp1252")):
                if ole.exists(path + suffix):
                    raw = ole.openstream(path + suffix).read()
                    return raw.decode(encoding, errors="replace").rstrip("\x00")
            return ""

        if not ole.exists("__properties_version1.0"):
            raise NotAMessage("an OLE file, but not an Outlook message (.msg)")
        sender = text("__substg1.0_5D01") or text("__substg1.0_0C1F")
        if "@" not in sender:
            sender = ""
        sent = _msg_sent(ole.openstream("__properties_version1.0").read())
        attachments = []
        storages = sorted({entry[0] for entry in ole.listdir(streams=True, storages=False)
                           if entry and entry[0].startswith(_ATTACH)})
        for storage in storages:
            path = f"{storage}/__substg1.0_3701"
            if not ole.exists(path + "0102"):
                continue  # an embedded message or an OLE object, not a file
            name = text(f"{storage}/__substg1.0_3707") or text(f"{storage}/__substg1.0_3704")
            attachments.append((name, ole.openstream(path + "0102").read()))
        body = text("__substg1.0_1000")
        return Message(sender.lower(), text("__substg1.0_0C1A"), sent, own_text(body),
                       attachments)


def _msg_sent(properties: bytes) -> dt.date | None:
    """The sent date from the message's fixed-length property stream (a 32-byte
    header, then 16-byte entries: type, id, flags, value)."""
    found: dict[int, int] = {}
    for offset in range(32, len(properties) - 15, 16):
        kind, prop, _, value = struct.unpack_from("<HHIQ", properties, offset)
        if kind == _PT_SYSTIME and prop in _SENT_TAGS:
            found[prop] = value
    for prop in _SENT_TAGS:
        if found.get(prop):
            try:
                return (dt.datetime(1601, 1, 1)
                        + dt.timedelta(microseconds=found[prop] // 10)).date()
            except OverflowError:
                return None
    return None
