"""File names made from officers' text that work on Windows, macOS and Linux. Pure.

Owner text may hold anything: ``/ \\ : * ? " < > |``, control characters,
trailing dots, a Windows device name such as ``CON`` or ``LPT1``, or a whole
paragraph. ``safe_stem`` makes a name every system accepts, short enough to
leave room for the folder on Windows' 260-character paths, and never the
same as another name in the folder (Windows compares names ignoring case).
"""

from __future__ import annotations

import re
import unicodedata

# Windows refuses these characters; "/" and NUL are refused everywhere.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Other characters that make a name hard to type, read or pass around.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\ufeff\u2028\u2029\x85]")
# Windows device names. Windows reads a name up to its first dot (and
# before any spaces there) as the device: "CON", "con.txt" and "Con .x" all are.
_RESERVED = re.compile(r"^(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])$",
                       re.IGNORECASE)
# Characters in a stem; with the folder "Update requests - 2024-03-31" and an
# extension this keeps a whole path well inside Windows' limit.
MAX_STEM = 60


def safe_stem(text: str, taken: set[str] | None = None, fallback: str = "Owner") -> str:
    """``text`` as a file name without extension; added to ``taken`` (lower case).

    Forbidden characters become spaces, runs of spaces one space, leading and
    trailing dots and spaces go (Windows drops trailing ones, and a leading dot
    hides a file on Linux and macOS), a device name gains "_", a long name is
    cut at a word, and a name already taken gains " (2)", " (3)"...
    """
    name = unicodedata.normalize("NFC", text or "")
    name = _INVISIBLE.sub("", name)
    name = _FORBIDDEN.sub(" ", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_STEM:
        cut = name[:MAX_STEM]
        if " " in cut[MAX_STEM // 2:]:
            cut = cut[: cut.rindex(" ")]
        name = cut.rstrip(" .,;-–")
    if not name:
        name = fallback
    head, dot, rest = name.partition(".")
    if _RESERVED.match(head.rstrip()):
        name = f"{head.rstrip()}_{dot}{rest}"
    if taken is None:
        return name
    candidate, number = name, 2
    while candidate.casefold() in taken:
        candidate = f"{name} ({number})"
        number += 1
    taken.add(candidate.casefold())
    return candidate
