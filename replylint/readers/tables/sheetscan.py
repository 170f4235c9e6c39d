"""A look through an XLSX workbook's first sheet before it is read: its size, bounded.

A workbook is a zip of XML: 158 KB can unpack to 361 MB, and a sheet's reader (calamine)
holds every cell of the rectangle from A1 to the last cell, so two cells, at A1 and
XFD1048576, would ask for 17 billion. The sheet's XML (and its shared strings) is
unpacked here a megabyte at a time, its bytes counted, its rows and cells found by plain
searches of the bytes (C speed), and reading stops at the first limit passed:
`Limits.workbook_bytes` of XML, `Limits.cells` in the rectangle, `MAX_SHEET_ROWS` rows.

It also finds what the cells alone do not say: which cells hold a formula whose value
was never saved (a program wrote the formula and never computed it: its cell reads as
empty), and which ranges are merged (their value stands in the first cell only).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final
from xml.etree import ElementTree

from replylint.model import ReadErrorKind
from replylint.readers.limits import Limits
from replylint.readers.tables.base import TableError

MAX_SHEET_ROWS: Final = 1_048_576  # Excel's own: a sheet of more is no Excel export
_CHUNK: Final = 1 << 20
_SMALL_PART_BYTES: Final = 8 << 20  # workbook.xml and its relationships: a list of sheets
_MAIN_NS: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

_CELL_TAG: Final = re.compile(rb"<c[ >/]")
_REF_FIRST: Final = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')  # r first, as Excel writes it
_ROW_NUMBER: Final = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,9})"')
_ANY_TAG: Final = re.compile(rb"<(row|c)\b([^>]*)>")
_R_ATTRIBUTE: Final = re.compile(rb'\br="([A-Z]{0,3})([0-9]*)"')
_UNSAVED: Final = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*>\s*'
    rb"<f\b(?:[^>]*/>|[^>]*>([^<]*)</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>"
)
_MERGED: Final = re.compile(rb'<mergeCell ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')
_MAX_UNSAVED: Final = 10_000  # formula cells noted; past them, one more is as bad


def column_index(letters: bytes | str) -> int:
    """A -> 0, Z -> 25, AA -> 26."""
    index = 0
    for letter in letters if isinstance(letters, str) else letters.decode():
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(slots=True)
class SheetScan:
    """What the first sheet holds: ``rows`` and ``columns`` of its rectangle from A1;
    cells (0-based row, column) of formulas without a saved value, and their formulas;
    merged ranges (first row, first column, last row, last column, 0-based); and
    ``damage``, why unpacking stopped before the end, if it did."""

    path: str
    rows: int = 0
    columns: int = 0
    unsaved: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    damage: str | None = None
    merged_cells: int = 0
    cursor: tuple[int, int] = (0, -1)  # the row and column of the last cell, exact scan


def scan_first_sheet(archive: zipfile.ZipFile, limits: Limits) -> SheetScan:
    """Raises `TableError`: no sheet (``workbook``), or past a limit (``over-limit``)."""
    scan = SheetScan(_first_sheet_path(archive))
    budget = _Budget(limits.workbook_bytes, limits.workbook_bytes)
    if "xl/sharedStrings.xml" in archive.namelist():
        for _ in _chunks(archive, "xl/sharedStrings.xml", budget, scan):
            pass
    for body in _chunks(archive, scan.path, budget, scan):
        _scan_body(body, scan, limits)
    return scan


# --------------------------------------------------------------------------- the sheet


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part of the first sheet the workbook lists (what calamine reads as sheet 0)."""
    workbook = _small_xml(archive, "xl/workbook.xml")
    first = next((e for e in workbook.iter(f"{_MAIN_NS}sheet")), None)
    if first is None:
        message = "the workbook has no sheet (its list of sheets is empty): nothing to read"
        raise TableError(None, message, ReadErrorKind.WORKBOOK)
    relation = first.get(_REL_ID, "")
    relations = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    target = next((e.get("Target", "") for e in relations if e.get("Id") == relation), "")
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    if not target or path not in archive.namelist():
        message = f"the workbook's first sheet ({first.get('name')!r}) is missing from the file"
        raise TableError(None, message, ReadErrorKind.WORKBOOK)
    return posixpath.normpath(path)


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        with archive.open(name) as part:
            data = part.read(_SMALL_PART_BYTES + 1)
    except KeyError:
        raise TableError(None, f"not an XLSX workbook: no {name}", ReadErrorKind.WORKBOOK) from None
    if len(data) > _SMALL_PART_BYTES:
        message = f"{name} is over {_SMALL_PART_BYTES:,} bytes unpacked: not a real workbook"
        raise TableError(None, message, ReadErrorKind.OVER_LIMIT)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as err:
        raise TableError(None, f"{name} is damaged: {err}", ReadErrorKind.WORKBOOK) from None


# --------------------------------------------------------------------------- unpacking


@dataclass(slots=True)
class _Budget:
    """Bytes of XML still allowed, over every part unpacked."""

    limit: int
    left: int

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            message = (
                f"the workbook unpacks to more than {self.limit:,} bytes of XML, the limit "
                "(a decompression bomb, or a sheet too big to read whole)"
            )
            raise TableError(None, message, ReadErrorKind.OVER_LIMIT)


def _chunks(
    archive: zipfile.ZipFile, name: str, budget: _Budget, scan: SheetScan
) -> Iterator[bytes]:
    """A part unpacked a megabyte at a time, each piece ending after a ``>`` (no tag cut
    in two); a zip error ends it, noted as ``scan.damage``."""
    tail = b""
    try:
        with archive.open(name) as part:
            while chunk := part.read(_CHUNK):
                budget.spend(len(chunk))
                data = tail + chunk
                cut = data.rfind(b">") + 1
                yield data[:cut]
                tail = data[cut:]
                if len(tail) > _CHUNK:  # no ">" in a megabyte: no XML worth scanning
                    tail = tail[-64:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
        scan.damage = f"{name} is damaged: {err}"
    if tail:
        yield tail


# --------------------------------------------------------------------------- counting


def _scan_body(body: bytes, scan: SheetScan, limits: Limits) -> None:
    cells = len(_CELL_TAG.findall(body))
    firsts = _REF_FIRST.findall(body)
    if len(firsts) == cells:
        _fast_extent(body, firsts, scan)  # every cell has r first, as Excel writes it
    else:
        _exact_extent(body, scan)
    if scan.rows > MAX_SHEET_ROWS:
        message = f"more than {MAX_SHEET_ROWS:,} rows, more than Excel holds: not read"
        raise TableError(None, message, ReadErrorKind.OVER_LIMIT)
    _check_rectangle(scan, limits)
    if b"<f" in body and len(scan.unsaved) < _MAX_UNSAVED:
        for letters, row, formula in _UNSAVED.findall(body):
            key = (int(row) - 1, column_index(letters))
            scan.unsaved[key] = formula.decode("utf-8", errors="replace")
    if b"<mergeCell" in body:
        for first_col, first_row, last_col, last_row in _MERGED.findall(body):
            r0, c0 = int(first_row) - 1, column_index(first_col)
            r1, c1 = int(last_row) - 1, column_index(last_col)
            scan.merged.append((r0, c0, r1, c1))
            scan.merged_cells += max(r1 - r0 + 1, 0) * max(c1 - c0 + 1, 0)
        _check_rectangle(scan, limits)


def _fast_extent(body: bytes, firsts: list[bytes], scan: SheetScan) -> None:
    if firsts:
        scan.columns = max(scan.columns, max(map(column_index, set(firsts))) + 1)
        numbers = _ROW_NUMBER.findall(body)
        scan.rows = max(scan.rows, max(map(int, numbers), default=0))


def _exact_extent(body: bytes, scan: SheetScan) -> None:
    """Row by row and cell by cell: cells without ``r`` stand after the one before."""
    row, column = scan.cursor
    for tag, attributes in _ANY_TAG.findall(body):
        ref = _R_ATTRIBUTE.search(attributes)
        letters, number = (ref.group(1), ref.group(2)) if ref else (b"", b"")
        if tag == b"row":
            row, column = (int(number) if number else row + 1), -1
        else:
            column = column_index(letters) if letters else column + 1
            row = max(row, int(number)) if number else row
            scan.columns = max(scan.columns, column + 1)
        scan.rows = max(scan.rows, row)
    scan.cursor = (row, column)


def _check_rectangle(scan: SheetScan, limits: Limits) -> None:
    rectangle = scan.rows * scan.columns
    if max(rectangle, scan.merged_cells) > limits.cells:
        message = (
            f"the first sheet spans {scan.rows:,} rows by {scan.columns:,} columns, more "
            f"than the limit of {limits.cells:,} cells"
        )
        raise TableError(None, message, ReadErrorKind.OVER_LIMIT)
