"""Change a few cells of an .xlsx workbook and nothing else.

openpyxl cannot be used to write an officer's workbook: it drops what it does
not model (data-validation extensions, charts, images, slicers...). So the
cells are edited where they live, in the sheet's XML inside the zip:

- only the named cells of the named sheets change; every other element and
  attribute of the sheet is kept, namespaces and extensions included;
- every other zip part is copied with the same bytes, in the same order,
  with the same compression method and file details;
- a date written to a cell without a date format gets a date style, added
  to ``xl/styles.xml`` (styles only ever gain entries; existing indexes keep
  their meaning);
- text is written as an inline string, so ``xl/sharedStrings.xml`` is never
  changed (a string a cell no longer uses simply stays in the table);
- a cell holding a formula is never touched: asking to is an error naming
  the cell.

The one public function is :func:`patch_cells`.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from wfs_reports.domain.errors import WorkbookError
from wfs_reports.domain.problems import Kind, Problem, Severity
from wfs_reports.workbook.file import check_container, sheet_parts, workbook_rels

__all__ = ["CellValue", "patch_cells"]

# A cell's new value: text, a date, or None to empty the cell (its style stays).
CellValue = str | dt.date | None

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_STYLES_TYPE = _REL + "/styles"

_CELL_REF = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")
_EXCEL_DAY_ZERO = dt.date(1899, 12, 30)
_MAC_DAY_ZERO = dt.date(1904, 1, 1)
# The day-first format a new workbook uses for its dates (new_workbook.DATE_FORMAT).
_DATE_FORMAT_CODE = "dd/mm/yyyy"
# Excel's built-in number formats that show a date.
_BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)})
# Characters XML 1.0 cannot hold; Excel writes them as _xHHHH_.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LOOKALIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def patch_cells(data: bytes, edits: Mapping[tuple[str, str], CellValue],
                file_name: str = "workbook.xlsx") -> bytes:
    """The workbook ``data`` with the cells in ``edits`` set; everything else as it was.

    ``edits`` maps ``(sheet name, A1 reference)`` to the new value: a ``str``
    (written as the cell's text; "" empties the cell), a ``datetime.date``
    (written as Excel's day number, shown as a date: the cell keeps its style
    if that shows dates, else gets a copy of it that does), or ``None`` (the
    value cleared, the cell's formatting kept). A missing cell (or row) is
    created in its place. ``file_name`` is for messages only.

    Raises WorkbookError, naming the file and cell, for a sheet the workbook
    does not have, a reference that is not a cell, a cell holding a formula,
    or a workbook whose parts cannot be read; nothing is returned then.
    """
    check_container(data, file_name)
    by_sheet: dict[str, dict[tuple[int, int], CellValue]] = {}
    for (sheet, reference), value in edits.items():
        position = _position(reference)
        if position is None:
            raise WorkbookError(file_name, [Problem(
                Kind.WORKBOOK_FILE, Severity.ERROR,
                f"'{reference}' is not a cell reference (e.g. B7)", sheet)])
        by_sheet.setdefault(sheet, {})[position] = value
    if not by_sheet:
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _Patcher(archive, file_name).patch(by_sheet)
    except (zipfile.BadZipFile, KeyError, ValueError, _XMLError) as error:
        raise WorkbookError(file_name, [
            f"the workbook's parts cannot be read ({_describe(error)}), so it was not "
            "changed; open it in Excel, save it again and run again"]) from None


class _XMLError(Exception):
    """A part that is not well-formed, or not safe, XML."""


def _describe(error: Exception) -> str:
    text = str(error).strip().strip("'\"")
    return text[:120] or type(error).__name__


def _position(reference: str) -> tuple[int, int] | None:
    """'B7' -> (row 7, column 2); None if it is not a single cell."""
    match = _CELL_REF.match(reference.strip().upper().replace("$", ""))
    if match is None:
        return None
    try:
        return int(match.group(2)), column_index_from_string(match.group(1))
    except ValueError:  # beyond Excel's last column, XFD
        return None


def _a1(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


def _parse(raw: bytes) -> Any:
    """An XML part as an lxml tree, with no entity expansion, DTD or network."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_blank_text=False)
    try:
        tree = etree.parse(io.BytesIO(raw), parser)
    except etree.XMLSyntaxError as error:
        raise _XMLError(str(error)) from None
    if tree.docinfo.doctype:
        raise _XMLError("a part declares a DOCTYPE, which no workbook needs")
    return tree


def _root(raw: bytes) -> Any:
    """A part's root element, parsed as ``_parse`` parses."""
    return _parse(raw).getroot()


def _serialise(tree: Any, raw: bytes) -> bytes:
    """The tree as bytes, under the part's own XML declaration when it had a UTF-8 one
    (Excel's, double quotes and all), else lxml's."""
    from lxml import etree

    declaration = re.match(rb'<\?xml[^>]*\?>\s*', raw)
    if declaration and re.search(rb'encoding=["\']utf-8["\']', declaration.group(0), re.I):
        return declaration.group(0) + etree.tostring(tree.getroot(), encoding="UTF-8")
    info = tree.docinfo
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8",
                          standalone=info.standalone)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: Any, name: str) -> Any | None:
    found = _children(element, name)
    return found[0] if found else None


def _new(parent: Any, name: str) -> Any:
    """A new element in the parent's namespace (not yet placed)."""
    from lxml import etree

    namespace = etree.QName(parent).namespace
    tag = f"{{{namespace}}}{name}" if namespace else name
    return etree.Element(tag, nsmap=None)


class _Patcher:
    def __init__(self, archive: zipfile.ZipFile, file_name: str):
        self.archive = archive
        self.file_name = file_name
        self.changed: dict[str, bytes] = {}
        self._styles: _Styles | None = None
        self.day_zero = _EXCEL_DAY_ZERO

    def patch(self, by_sheet: dict[str, dict[tuple[int, int], CellValue]]) -> bytes:
        parts = sheet_parts(self.archive, _root)
        if self._date1904:
            self.day_zero = _MAC_DAY_ZERO
        # Sheet names are case-insensitive in Excel: 'actions' is the Actions sheet.
        by_part: dict[str, tuple[str, dict[tuple[int, int], CellValue]]] = {}
        for sheet, cells in by_sheet.items():
            title = sheet if sheet in parts else next(
                (name for name in parts if name.casefold() == sheet.casefold()), None)
            if title is None:
                listed = ", ".join(f"'{name}'" for name in parts)
                raise WorkbookError(self.file_name, [Problem(
                    Kind.SHEET_MISSING, Severity.ERROR,
                    f"no sheet named '{sheet}' (sheets found: {listed})")])
            by_part.setdefault(parts[title], (title, {}))[1].update(cells)
        for part, (title, cells) in by_part.items():
            raw = self.archive.read(part)
            tree = _parse(raw)
            _SheetEditor(tree, title, self).apply(cells)
            self.changed[part] = _serialise(tree, raw)
        if self._styles is not None and self._styles.grown:
            self.changed[self._styles.part] = _serialise(self._styles.tree, self._styles.raw)
        return self._rezip()

    def formula_refused(self, sheet: str, row: int, column: int) -> WorkbookError:
        return WorkbookError(self.file_name, [Problem(
            Kind.WORKBOOK_FILE, Severity.ERROR,
            "the cell holds a formula, so it was not changed and no copy was written; "
            "move the formula elsewhere or type the value into the cell yourself",
            sheet, _a1(row, column))])

    def styles(self) -> _Styles:
        if self._styles is None:
            part = self._workbook_rel_target(_STYLES_TYPE)
            if part is None or part not in self.archive.namelist():
                raise KeyError("the workbook has no styles part")
            raw = self.archive.read(part)
            self._styles = _Styles(part, _parse(raw), raw)
        return self._styles

    def _workbook_rels(self) -> list[tuple[str, str, str]]:
        """(Id, Type, part name) of the workbook part's relationships."""
        return workbook_rels(self.archive, _root)

    def _workbook_rel_target(self, rel_type: str) -> str | None:
        return next((part for _id, kind, part in self._workbook_rels() if kind == rel_type),
                    None)

    @property
    def _date1904(self) -> bool:
        """Whether the workbook counts days from 1904 (old Mac Excel's choice)."""
        root = _parse(self.archive.read("xl/workbook.xml")).getroot()
        properties = _child(root, "workbookPr")
        return properties is not None and properties.get("date1904") in ("1", "true")

    def _rezip(self) -> bytes:
        """Every part in its place: the changed ones new, the rest as they were."""
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w") as archive:
            archive.comment = self.archive.comment
            for info in self.archive.infolist():
                data = self.changed.get(info.filename)
                if data is None:
                    data = self.archive.read(info)
                copied = copy.copy(info)
                copied.extra = b""  # sizes and offsets are the new zip's own
                archive.writestr(copied, data, compress_type=info.compress_type)
        return output.getvalue()


class _Styles:
    """xl/styles.xml, gaining a date format and cell formats when they are needed."""

    def __init__(self, part: str, tree: Any, raw: bytes):
        self.part = part
        self.tree = tree
        self.raw = raw
        self.root = tree.getroot()
        self.grown = False
        self._date_style: dict[int, int] = {}  # cell's style -> its date twin

    def _xfs(self) -> Any:
        xfs = _child(self.root, "cellXfs")
        if xfs is None or not len(xfs):
            raise KeyError("the workbook's styles have no cell formats")
        return xfs

    def _format_code(self, number_format: int) -> str | None:
        formats = _child(self.root, "numFmts")
        for element in _children(formats, "numFmt") if formats is not None else []:
            if element.get("numFmtId") == str(number_format):
                return element.get("formatCode", "")
        return None

    def shows_date(self, style: int) -> bool:
        xfs = _children(self._xfs(), "xf")
        if not 0 <= style < len(xfs):
            return False
        number_format = int(xfs[style].get("numFmtId", "0") or 0)
        if number_format in _BUILTIN_DATE_FORMATS:
            return True
        code = self._format_code(number_format)
        return code is not None and _is_date_code(code)

    def date_style(self, style: int) -> int:
        """The index of a cell format like ``style`` that shows a day-first date."""
        if self.shows_date(style):
            return style
        if style in self._date_style:
            return self._date_style[style]
        xfs = self._xfs()
        existing = _children(xfs, "xf")
        base = existing[style] if 0 <= style < len(existing) else existing[0]
        twin = copy.deepcopy(base)
        twin.set("numFmtId", str(self._date_format()))
        twin.set("applyNumberFormat", "1")
        twin.tail = base.tail
        existing[-1].addnext(twin)
        xfs.set("count", str(len(existing) + 1))
        self.grown = True
        self._date_style[style] = index = len(existing)
        return index

    def _date_format(self) -> int:
        """The id of the day-first date format, added to numFmts if it is not there."""
        formats = _child(self.root, "numFmts")
        if formats is None:
            formats = _new(self.root, "numFmts")
            self.root.insert(0, formats)  # numFmts comes first in styleSheet
        known = _children(formats, "numFmt")
        for element in known:
            if element.get("formatCode") == _DATE_FORMAT_CODE:
                return int(element.get("numFmtId", "0"))
        number = max([163, *(int(e.get("numFmtId", "0") or 0) for e in known)]) + 1
        element = _new(formats, "numFmt")
        element.set("numFmtId", str(number))
        element.set("formatCode", _DATE_FORMAT_CODE)
        formats.append(element)
        formats.set("count", str(len(known) + 1))
        self.grown = True
        return number


def _is_date_code(code: str) -> bool:
    """A custom number format that shows a date (day or year; 'h:mm' alone is a time)."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code.split(";")[0]).lower()
    return "d" in plain or "y" in plain


class _SheetEditor:
    """One worksheet's XML, edited in place."""

    def __init__(self, tree: Any, title: str, patcher: _Patcher):
        self.root = tree.getroot()
        self.title = title
        self.patcher = patcher
        data = _child(self.root, "sheetData")
        if data is None:
            raise KeyError(f"sheet '{title}' has no cell data")
        self.data = data

    def apply(self, cells: dict[tuple[int, int], CellValue]) -> None:
        # Refuse before changing anything: a formula among the targets stops it all.
        for (row, column) in cells:
            cell = self._find(row, column)
            if cell is not None and _child(cell, "f") is not None:
                raise self.patcher.formula_refused(self.title, row, column)
        for (row, column), value in sorted(cells.items()):
            if value is None or value == "":
                cell = self._find(row, column)
                if cell is not None:
                    _clear(cell)
                continue
            cell = self._find(row, column)
            if cell is None:
                cell = self._create(row, column)
            if isinstance(value, str):
                _set_text(cell, value)
            else:
                self._set_date(cell, value)

    # -- finding and making cells ------------------------------------------

    def _rows(self) -> list[tuple[int, Any]]:
        """(row number, <row>), numbering rows without an r as Excel does: one on."""
        numbered, previous = [], 0
        for row in _children(self.data, "row"):
            previous = int(row.get("r") or previous + 1)
            numbered.append((previous, row))
        return numbered

    def _cells(self, row: Any) -> list[tuple[int, Any]]:
        numbered, previous = [], 0
        for cell in _children(row, "c"):
            reference = cell.get("r")
            position = _position(reference) if reference else None
            previous = position[1] if position else previous + 1
            numbered.append((previous, cell))
        return numbered

    def _find_row(self, number: int) -> Any | None:
        return next((row for r, row in self._rows() if r == number), None)

    def _find(self, row_number: int, column: int) -> Any | None:
        row = self._find_row(row_number)
        if row is None:
            return None
        return next((cell for c, cell in self._cells(row) if c == column), None)

    def _create(self, row_number: int, column: int) -> Any:
        row = self._find_row(row_number)
        if row is None:
            row = _new(self.data, "row")
            row.set("r", str(row_number))
            later = next((r for n, r in self._rows() if n > row_number), None)
            if later is not None:
                later.addprevious(row)
            else:
                self.data.append(row)
        cell = _new(row, "c")
        cell.set("r", _a1(row_number, column))
        style = self._default_style(row, column)
        if style:
            cell.set("s", style)
        later_cell = next((c for n, c in self._cells(row) if n > column), None)
        if later_cell is not None:
            later_cell.addprevious(cell)
        else:
            # After the last cell, before any extLst the row may carry.
            extension = _child(row, "extLst")
            if extension is not None:
                extension.addprevious(cell)
            else:
                row.append(cell)
        self._widen(row, row_number, column)
        return cell

    def _default_style(self, row: Any, column: int) -> str | None:
        """The style Excel gives a new cell: its row's, if formatted, else its column's."""
        if row.get("customFormat") in ("1", "true") and row.get("s"):
            return row.get("s")
        columns = _child(self.root, "cols")
        for col in _children(columns, "col") if columns is not None else []:
            if int(col.get("min", "0")) <= column <= int(col.get("max", "0")):
                return col.get("style")
        return None

    def _widen(self, row: Any, row_number: int, column: int) -> None:
        """Keep the row's spans and the sheet's dimension covering a new cell."""
        spans = row.get("spans")
        if spans and re.fullmatch(r"\d+:\d+", spans):
            low, high = (int(part) for part in spans.split(":"))
            row.set("spans", f"{min(low, column)}:{max(high, column)}")
        dimension = _child(self.root, "dimension")
        reference = dimension.get("ref", "") if dimension is not None else ""
        corners = [_position(part) for part in reference.split(":")] if reference else []
        if dimension is None or not corners or None in corners:
            return
        (top, left), (bottom, right) = corners[0], corners[-1]  # type: ignore[misc]
        top, bottom = min(top, row_number), max(bottom, row_number)
        left, right = min(left, column), max(right, column)
        dimension.set("ref", _a1(top, left) if (top, left) == (bottom, right)
                      else f"{_a1(top, left)}:{_a1(bottom, right)}")

    # -- values ------------------------------------------------------------

    def _set_date(self, cell: Any, value: dt.date) -> None:
        _clear(cell)
        if isinstance(value, dt.datetime):
            value = value.date()
        style = int(cell.get("s", "0") or 0)
        date_style = self.patcher.styles().date_style(style)
        if date_style != 0 or cell.get("s") is not None:
            cell.set("s", str(date_style))
        number = _new(cell, "v")
        number.text = str((value - self.patcher.day_zero).days)
        _place_value(cell, number)


def _clear(cell: Any) -> None:
    """Remove the value (and its type); keep the style and any extensions."""
    for name in ("v", "is"):
        for child in _children(cell, name):
            cell.remove(child)
    for attribute in ("t", "vm"):
        if attribute in cell.attrib:
            del cell.attrib[attribute]


def _set_text(cell: Any, text: str) -> None:
    _clear(cell)
    cell.set("t", "inlineStr")
    inline = _new(cell, "is")
    run = _new(inline, "t")
    run.text = _escape(text)
    if run.text != run.text.strip() or "\n" in run.text:
        run.set(_XML_SPACE, "preserve")
    inline.append(run)
    _place_value(cell, inline)


def _place_value(cell: Any, value: Any) -> None:
    """A cell's children go f, v, is, extLst: the value before any extLst."""
    extension = _child(cell, "extLst")
    if extension is not None:
        extension.addprevious(value)
    else:
        cell.append(value)


def _escape(text: str) -> str:
    """Text as Excel stores it: a literal '_x0041_' kept literal, characters XML
    cannot hold as _xHHHH_ escapes (what the reader turns back)."""
    text = _ESCAPE_LOOKALIKE.sub(r"_x005F_\1", text)
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
