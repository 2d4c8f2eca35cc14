"""The Word file: read once, checked to be a .docx before python-docx opens it.

The file is only ever opened for reading. Everything refused here is one line
naming the file and what to do (save it from Word as .docx, close it, choose
the report itself).
"""

from __future__ import annotations

import io
import stat
from pathlib import Path, PurePath
from typing import NoReturn

from wfs_reports.domain.errors import ReportError
from wfs_reports.workbook.file import (
    MAX_FILE_BYTES,
    is_encrypted_ole2,
    is_ole2,
    unpacked_megabytes,
    unpacks_too_large,
    zip_listing,
)


class WordImportError(ReportError):
    """The Word file cannot be imported; ``str(error)`` is the whole one-line message."""


def load_word_file(path: Path) -> bytes:
    """The Word file's bytes, read once; the file is only ever opened for reading."""
    path = Path(path)
    if path.name.startswith("~$"):
        raise WordImportError(
            f"{path}: this is Word's lock file, not the report; it only shows the document "
            "is open in Word. Choose the report itself (the same name without '~$')")
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise WordImportError(f"{path}: file not found; check the path of the Word report") \
            from None
    except OSError as error:
        raise WordImportError(f"{path}: cannot be read ({error.strerror}); check the path") \
            from None
    if stat.S_ISDIR(info.st_mode):
        raise WordImportError(f"{path}: this is a folder; give the path of the .docx report")
    if not stat.S_ISREG(info.st_mode):
        raise WordImportError(f"{path}: this is not an ordinary file; give the path of the "
                              ".docx report")
    if info.st_size > MAX_FILE_BYTES:
        raise WordImportError(f"{path}: the file is {info.st_size // (1024 * 1024)} MB, far "
                              "larger than an action-plan report; check the file chosen")
    try:
        return path.read_bytes()
    except OSError as error:
        raise WordImportError(f"{path}: cannot be read ({error.strerror}); close it in Word "
                              "and run again") from None


def check_word_container(data: bytes, file_name: str) -> None:
    """Refuse what is not a .docx before python-docx sees it (the reader's zip checks)."""
    suffix = PurePath(file_name).suffix.lower()

    def fail(message: str) -> NoReturn:
        raise WordImportError(f"{file_name}: {message}")

    if not data:
        fail("the file is empty; choose the saved .docx report")
    if len(data) > MAX_FILE_BYTES:
        fail(f"the file is {len(data) // (1024 * 1024)} MB, far larger than an action-plan "
             "report; check the file chosen")
    if is_encrypted_ole2(data):
        fail("the document is protected by a password to open, so it cannot be read; in "
             "Word use File > Info > Protect Document > Encrypt with Password, clear the "
             "password, save, and run again")
    if is_ole2(data):
        what = "an Excel 97-2003 (.xls) workbook" if suffix == ".xls" else \
            "an old-format Word 97-2003 (.doc) document"
        fail(f"this is {what}; open it in Word, use File > Save As > Word Document (.docx) "
             "and run again on the .docx file")
    if data[:2] != b"PK":
        start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if start.startswith(b"{\\rtf"):
            fail("this is a Rich Text (.rtf) file; open it in Word, save it as Word Document "
                 "(.docx) and run again")
        if start.startswith(b"%pdf"):
            fail("this is a PDF; import needs the Word (.docx) report")
        if start.startswith(b"<"):
            fail("this is a web page or XML file, not a Word .docx document; open it in "
                 "Word, save it as Word Document (.docx) and run again")
        fail("this is not a Word .docx document; save it from Word as .docx and run again")
    listing = zip_listing(data)
    if listing is None:
        fail("the document is damaged or incomplete (was it still being saved?); open it in "
             "Word, save it again and run again")
    infos, mimetype = listing
    if unpacks_too_large(infos):
        fail(f"the document would unpack to {unpacked_megabytes(infos)} MB in {len(infos)} "
             "parts, far more than a report needs; it may be damaged or malicious, so it was "
             "not opened")
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            fail("this is an Excel workbook, not a Word report; to make a report from it run "
                 "make-report on it")
        if mimetype.startswith(b"application/vnd.oasis.opendocument") or "content.xml" in names:
            fail("this is an OpenDocument (.odt) file; save it as Word Document (.docx) and "
                 "run again")
        fail("this zip file is not a Word document; choose the .docx report")


def open_document(data: bytes, file_name: str):
    """The python-docx Document; one line, not a traceback, for a file it cannot open."""
    import docx  # python-docx; imported here so the CLI starts without it

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many types for a damaged file
        detail = str(error)
        if "macroEnabled" in detail or "template" in detail:
            fail = ("this is a macro-enabled document or a template; save it as Word "
                    "Document (.docx) and run again")
        else:
            fail = ("cannot be read as a Word document; open it "
                    "in Word, save it as Word Document (.docx) and run again")
        raise WordImportError(f"{file_name}: {fail}") from None
