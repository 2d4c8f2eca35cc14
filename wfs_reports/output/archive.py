"""One deterministic zip writer for the Office files (.docx and .xlsx).

Office documents are zip archives. Python-docx and openpyxl stamp each entry
with the time it was written, so the same report made twice would differ in
its bytes. ``rezip`` writes the entries again with a fixed time, fixed file
attributes and a fixed order, so the same document gives the same bytes on
every machine. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any

# The zip format cannot hold a time before 1980.
_FIRST_YEAR = 1980


def rezip(data: bytes, when: dt.date, *, order: Callable[[str], Any] | None = None,
          unix_mode: int | None = None, compresslevel: int | None = None) -> bytes:
    """``data`` (a zip archive) written again with every entry stamped ``when``.

    - ``order``: a sort key for the entry names; None keeps the archive's order.
    - ``unix_mode``: None writes entries with no file attributes (as from DOS);
      a mode such as 0o644 writes them as Unix files with that mode.
    - ``compresslevel``: zlib's level (None for its default).
    """
    stamp = when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time())
    date_time = (max(stamp.year, _FIRST_YEAR), stamp.month, stamp.day,
                 stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = [info.filename for info in source.infolist()]
        if order is not None:
            names.sort(key=order)
        for name in names:
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            if unix_mode is None:
                entry.create_system = 0
                entry.external_attr = 0
            else:
                entry.create_system = 3
                entry.external_attr = unix_mode << 16
            target.writestr(entry, source.read(name), compresslevel=compresslevel)
    return out.getvalue()


def content_types_first(name: str) -> tuple[bool, str]:
    """Sort key: [Content_Types].xml first (some readers expect it), then by name."""
    return (name != "[Content_Types].xml", name)
