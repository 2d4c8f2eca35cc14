"""The folder of returned forms, read: each file a reply (a form, or an email's
own text) or a line saying why it is not understood."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from wfs_reports.replies.form import FormReading, NotAForm, read_form
from wfs_reports.replies.mail import Message, NotAMessage, read_eml, read_msg

# Larger files are not update-request forms (a form is tens of kilobytes).
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Returned:
    file: str  # as the officer sees it: "Jo Bloggs.eml" or "Jo Bloggs.eml: form.docx"
    stem: str  # the form's file name without extension: a hint to its owner
    sender: str  # the email address it came from, "" for a bare .docx
    sender_name: str
    date: dt.date  # the reply's date: sent, else last saved
    form: FormReading | None
    body: str  # an email's own text when no form is attached


@dataclass(frozen=True)
class Unread:
    file: str
    why: str


def read_folder(folder: Path) -> tuple[list[Returned], list[Unread]]:
    returned: list[Returned] = []
    unread: list[Unread] = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name.casefold()):
        if path.is_dir() or path.name.startswith(("~$", ".")):
            continue  # Word's lock files, hidden files, folders
        name = path.name
        try:
            if path.stat().st_size > MAX_BYTES:
                unread.append(Unread(name, "too large to be a returned form"))
                continue
            data = path.read_bytes()
        except OSError as error:
            unread.append(Unread(name, f"cannot be read ({error.strerror or error})"))
            continue
        saved = dt.datetime.fromtimestamp(path.stat().st_mtime).date()
        suffix = path.suffix.lower()
        try:
            if suffix == ".docx":
                form = read_form(data, name)
                returned.append(Returned(name, path.stem, "", "", form.modified or saved, form,
                                         ""))
            elif suffix in (".eml", ".msg"):
                message = read_eml(data) if suffix == ".eml" else read_msg(data)
                returned.extend(_from_message(name, message, saved, unread))
            else:
                unread.append(Unread(name, "not a returned form: only .docx forms, and .eml or "
                                     ".msg emails are read"))
        except (NotAForm, NotAMessage) as error:
            unread.append(Unread(name, str(error)))
    return returned, unread


def _from_message(name: str, message: Message, saved: dt.date,
                  unread: list[Unread]) -> list[Returned]:
    date = message.sent or saved
    found = []
    for attachment, data in message.forms():
        label = f"{name}: {attachment}"
        try:
            form = read_form(data, label)
        except NotAForm as error:
            unread.append(Unread(label, str(error)))
            continue
        found.append(Returned(label, Path(attachment).stem, message.sender,
                              message.sender_name, date, form, ""))
    if not found and not message.forms():
        if message.body:
            found.append(Returned(name, Path(name).stem, message.sender, message.sender_name,
                                  date, None, message.body))
        else:
            unread.append(Unread(name, "an email with no form attached and no reply text"))
    return found
