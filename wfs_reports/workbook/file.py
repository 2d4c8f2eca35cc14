"""Checks on the workbook file itself, before any sheet is read.

Its bytes must be an .xlsx (a zip of Office XML parts), not too large, not a
zip bomb, not encrypted, and openpyxl must parse it through defusedxml. The
Word import uses the same checks on .docx files. No openpyxl here.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, NoReturn

from wfs_reports.domain.errors import SetupError, WorkbookError
from wfs_reports.workbook.cells import key
from wfs_reports.workbook.contract import SHEETS

# The sheets whose formulas matter: a formula with no saved value there is an error.
_SHEET_KEYS = {key(name) for name in SHEETS.values()}

# A workbook this large is no action plan; refuse before unzipping. Real
# plans are well under a megabyte, even with a logo or two.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
# Ordinary workbooks compress 5-20 times; a zip bomb about 1000 times. Small
# archives are exempt: a few megabytes cannot hurt, however well they pack.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_FROM_BYTES = 5 * 1024 * 1024

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 file holding a stream of this name (UTF-16).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def too_large(size: int) -> str | None:
    """The officer's message for a file of ``size`` bytes, if it is too large to read."""
    if size <= MAX_FILE_BYTES:
        return None
    return (f"the file is {size // (1024 * 1024)} MB, far larger than an action plan; check "
            "that you chose the right workbook")


def require_defusedxml() -> None:
    """Refuse to read any workbook unless openpyxl parses it through defusedxml.

    Without defusedxml openpyxl falls back to the standard XML parsers, which
    expand entities: a few hundred bytes of crafted XML could then take all
    the memory there is. The package depends on defusedxml, so this only
    fails on a broken installation, or when OPENPYXL_DEFUSEDXML turns it off.
    """
    try:
        import defusedxml  # noqa: F401
        import openpyxl
    except ImportError as error:
        missing = error.name or "a dependency"
        raise SetupError(
            f"make-report cannot start: the {missing} package is missing; reinstall "
            "make-report (pip install --force-reinstall wfs-reports) and run again"
        ) from None
    if getattr(openpyxl, "DEFUSEDXML", False) is not True:
        raise SetupError(
            "make-report cannot start: openpyxl is not using defusedxml (is "
            "OPENPYXL_DEFUSEDXML set?), so workbooks cannot be read safely; unset "
            "OPENPYXL_DEFUSEDXML and run again"
        )


def check_container(data: bytes, file_name: str) -> None:
    """Refuse files that are not .xlsx workbooks before openpyxl sees them.

    The file's content decides, not its name (officers rename files); the
    name only sharpens the advice.
    """
    suffix = PurePath(file_name).suffix.lower()

    def fail(message: str) -> NoReturn:
        raise WorkbookError(file_name, [message])

    if not data:
        fail("the file is empty; choose the saved .xlsx workbook")
    if too_big := too_large(len(data)):
        fail(too_big)
    if is_ole2(data):
        fail(_ole2_message(data, suffix))
    if data[:2] != b"PK":
        fail(_not_zip_message(data, suffix))
    listing = zip_listing(data)
    if listing is None:
        fail(
            "the workbook is damaged or incomplete (was it still being saved?); open it in "
            "Excel, save it again and run again"
        )
    infos, mimetype = listing
    names = {info.filename for info in infos}
    if unpacks_too_large(infos):
        fail(
            f"the workbook would unpack to {unpacked_megabytes(infos)} MB in {len(infos)} "
            "parts, far more than an action plan needs; it may be damaged or malicious, so "
            "it was not opened"
        )
    if "xl/workbook.xml" not in names:
        fail(_other_zip_message(names, mimetype))


def is_ole2(data: bytes) -> bool:
    """An OLE2 compound file: an old Office format (.xls, .doc) or an encrypted one."""
    return data[:8] == _OLE2_MAGIC


def is_encrypted_ole2(data: bytes) -> bool:
    """An Office file (.xlsx, .docx...) protected by a password to open."""
    return is_ole2(data) and _ENCRYPTED_STREAM in data


def zip_listing(data: bytes) -> tuple[list[zipfile.ZipInfo], bytes] | None:
    """The zip's members and its 'mimetype' entry (b"" if none), or None when the
    bytes are not a readable zip. Nothing is unpacked but a tiny mimetype entry."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = (archive.read("mimetype")[:100] if "mimetype" in names
                        and archive.getinfo("mimetype").file_size < 200 else b"")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError,
            NotImplementedError, RuntimeError):
        return None
    return infos, mimetype


def unpacks_too_large(infos: list[zipfile.ZipInfo]) -> bool:
    """True for a zip bomb (or something far bigger than any Office document).

    Judged on the declared sizes, before anything is unpacked, whatever the
    archive claims to be. Python's zipfile never unpacks more than the
    declared size, so the declaration is a real bound.
    """
    declared = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    return (len(infos) > MAX_ZIP_MEMBERS or declared > MAX_UNCOMPRESSED_BYTES
            or (declared > RATIO_CHECK_FROM_BYTES
                and declared / compressed > MAX_COMPRESSION_RATIO))


def unpacked_megabytes(infos: list[zipfile.ZipInfo]) -> int:
    return sum(info.file_size for info in infos) // (1024 * 1024)


def _ole2_message(data: bytes, suffix: str) -> str:
    """An OLE2 compound file: an encrypted .xlsx, or an Excel 97-2003 .xls."""
    if is_encrypted_ole2(data):
        return ("this workbook is protected by a password to open, so it cannot be read; "
                "in Excel use File > Info > Protect Workbook > Encrypt with Password, clear "
                "the password, save, and run again")
    if suffix in (".xls", ".xlt"):
        return ("this is an old-format Excel 97-2003 (.xls) workbook; open it in Excel, use "
                "File > Save As > Excel Workbook (.xlsx) and run again on the .xlsx file")
    return ("this is an old-format (.xls) or password-protected workbook; remove the "
            "password or use File > Save As > Excel Workbook (.xlsx) and run again")


def _not_zip_message(data: bytes, suffix: str) -> str:
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"%pdf"):
        return "this is a PDF, not the action-plan workbook; choose the .xlsx workbook"
    if start.startswith(b"<"):
        # Some systems export web pages or Excel 2003 XML with an .xls name.
        return ("this is a web page or XML file, not an Excel .xlsx workbook; open it in "
                "Excel, save it as Excel Workbook (.xlsx) and run again")
    if suffix in (".csv", ".tsv", ".txt"):
        return (f"this is a {suffix[1:].upper()} text file, not an Excel .xlsx workbook, and "
                "it holds only one sheet; the report needs the .xlsx workbook with the "
                "Report, Recommendations and Actions sheets: save it from Excel as .xlsx")
    return "this is not an Excel .xlsx workbook; save it from Excel as .xlsx and run again"


def _other_zip_message(names: set[str], mimetype: bytes) -> str:
    """A zip that is not an .xlsx: say what it is, so the officer can find the right file."""
    if "xl/workbook.bin" in names:
        return ("this is a binary .xlsb workbook; open it in Excel, use File > Save As > "
                "Excel Workbook (.xlsx) and run again on the .xlsx file")
    if mimetype.startswith(b"application/vnd.oasis.opendocument") or "content.xml" in names:
        return ("this is an OpenDocument (.ods) spreadsheet; open it in Excel or LibreOffice, "
                "save it as Excel Workbook (.xlsx) and run again on the .xlsx file")
    if "word/document.xml" in names:
        return "this is a Word document, not the action-plan workbook; choose the .xlsx file"
    if any(name.startswith("ppt/") for name in names):
        return "this is a PowerPoint file, not the action-plan workbook; choose the .xlsx file"
    inner = sorted(n for n in names if n.lower().endswith((".xlsx", ".xlsm")))
    if inner:
        return (f"this zip file holds '{inner[0]}'; unzip it and run again on that workbook")
    return "this zip file is not an Excel workbook; choose the .xlsx action plan"


def uncached_formulas(data: bytes) -> dict[str, list[tuple[str, str]]]:
    """Formula cells saved without a value: {sheet title: [(A1, formula)]}.

    Excel saves each formula's last result beside it; programs that do not
    calculate (openpyxl, some exports) save the formula alone, and reading
    such a cell gives blank where the officer sees a value. openpyxl cannot
    tell "no saved value" from "saved empty text", so the sheet XML is read
    directly: a <c> with an <f> and no (or an untyped empty) <v>. Best effort: a workbook too odd to
    scan here has already been through openpyxl, so nothing is lost.
    """
    from defusedxml.ElementTree import fromstring, iterparse

    found: dict[str, list[tuple[str, str]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = sheet_parts(archive, fromstring)
            for title, part in parts.items():
                if key(title) not in _SHEET_KEYS or part not in archive.namelist():
                    continue
                with archive.open(part) as stream:
                    for _event, element in iterparse(stream):
                        if _local(element.tag) != "c":
                            continue
                        children = {_local(child.tag): child for child in element}
                        value = children.get("v")
                        # Excel saves a formula's empty-text result as t="str" with an
                        # empty <v>; an empty <v> of any other type is no result at all
                        # (openpyxl writes that).
                        if "f" in children and (value is None or (
                                not value.text and element.get("t") != "str")):
                            formula = (children["f"].text or "").strip()
                            found.setdefault(title, []).append((element.get("r", "?"), formula))
                        element.clear()
    except Exception:  # noqa: BLE001 - see docstring: this check must never block a read
        return found
    return found


def workbook_rels(archive: zipfile.ZipFile, fromstring: Callable[[bytes], Any]
                  ) -> list[tuple[str, str, str]]:
    """(Id, Type, part name) of the workbook part's relationships inside the zip;
    links to outside the file are left out. ``fromstring`` parses a part (bytes)
    into its root element, with the caller's safe parser."""
    found = []
    for rel in fromstring(archive.read("xl/_rels/workbook.xml.rels")):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        found.append((rel.get("Id", ""), rel.get("Type", ""), part))
    return found


def sheet_parts(archive: zipfile.ZipFile, fromstring: Callable[[bytes], Any]
                ) -> dict[str, str]:
    """{sheet title: its part in the zip}, from workbook.xml and its relationships
    (only parts the zip holds)."""
    targets = {rel_id: part for rel_id, _kind, part in workbook_rels(archive, fromstring)}
    names = set(archive.namelist())
    parts = {}
    for element in fromstring(archive.read("xl/workbook.xml")).iter():
        if _local(element.tag) == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            if rel_id in targets and targets[rel_id] in names:
                parts[element.get("name", "")] = targets[rel_id]
    return parts


def _local(tag: object) -> str:
    """An XML name without its namespace: '{...main}c' -> 'c'."""
    return str(tag).rsplit("}", 1)[-1]
