"""XLSX workbooks: the first sheet's rows, cells as text.

Read with calamine (python-calamine, Rust: 12-15 times faster than openpyxl), after
`sheetscan` has bounded what the sheet unpacks to. A merged range reads as filled with
its first cell's value (a call id merged over its rows names each of them). A formula
whose value was never saved is not read as empty text: the row is reported, when the
table reads that column. A sheet damaged part way (calamine then reads nothing) is cut
back to its last whole row (`sheetrepair`): the rows before the damage are kept, and
the call read last fails, as it may have lost rows.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from replylint.model import ReadErrorKind
from replylint.readers.base import Context, FileFormat, Item
from replylint.readers.clock import clock_text
from replylint.readers.tables.base import FormulaCells, Rows, TableError
from replylint.readers.tables.rows import read_rows
from replylint.readers.tables.sheetrepair import repaired_workbook
from replylint.readers.tables.sheetscan import SheetScan, scan_first_sheet

# A row of a sheet: its 0-based index, and its values from column A on.
_Values = Iterator[tuple[int, list[Any]]]


def _cell_text(value: object) -> str:
    """A cell as text: whole floats as integers, dates as ISO dates, times as clock times."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return _temporal_text(value)
    return str(value).strip()


def _temporal_text(value: dt.date | dt.time | dt.timedelta) -> str:
    if isinstance(value, dt.timedelta):
        return clock_text(round(value.total_seconds() * 1000))
    if isinstance(value, dt.time):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, dt.datetime):
        # Excel has no date type: a date cell is a datetime at midnight.
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    return value.isoformat()


# --------------------------------------------------------------------------- reading


def _scanned(path: Path, ctx: Context) -> SheetScan:
    try:
        with zipfile.ZipFile(path) as archive:
            return scan_first_sheet(archive, ctx.limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError) as err:
        message = f"cannot read as an XLSX workbook: {err}"
        raise TableError(None, message, ReadErrorKind.WORKBOOK) from None


def _calamine_sheet(source: Path | io.BytesIO) -> Any:
    """calamine's first sheet (read whole, in Rust), or the reason it cannot be read."""
    import python_calamine  # noqa: PLC0415 - only when a workbook is read

    try:
        if isinstance(source, Path):
            workbook = python_calamine.CalamineWorkbook.from_path(str(source))
        else:
            workbook = python_calamine.CalamineWorkbook.from_filelike(source)
        return workbook.get_sheet_by_index(0)
    except Exception as err:  # calamine's errors for a damaged part
        return str(err) or type(err).__name__


def _sheet_values(sheet: Any) -> _Values:
    start = sheet.start
    pad = [None] * (start[1] if start else 0)  # rows come from row 1, columns from start
    return ((index, [*pad, *values]) for index, values in enumerate(sheet.iter_rows()))


def _values(path: Path, scan: SheetScan) -> _Values:
    """The rows of the first sheet; a sheet damaged part way gives the rows before the
    damage, then raises `TableError` where it is cut."""
    sheet = scan.damage or _calamine_sheet(path)
    if not isinstance(sheet, str):
        yield from _sheet_values(sheet)
        return
    with zipfile.ZipFile(path) as archive:
        repaired = repaired_workbook(archive, scan.path)
    if repaired is None:
        raise TableError(None, f"cannot read the XLSX workbook: {sheet}", ReadErrorKind.WORKBOOK)
    sheet = _calamine_sheet(io.BytesIO(repaired.workbook))
    if isinstance(sheet, str):
        raise TableError(None, f"cannot read the XLSX workbook: {sheet}", ReadErrorKind.WORKBOOK)
    rows = 0
    for index, values in _sheet_values(sheet):
        rows = index + 1
        yield index, values
    message = f"the sheet is damaged after row {rows:,} ({repaired.why}): the rest is not read"
    raise TableError(rows + 1, message, ReadErrorKind.WORKBOOK)


def _filled(values: _Values, merged: list[tuple[int, int, int, int]]) -> _Values:
    """Each merged range filled with the value of its first cell."""
    pending = sorted(merged, reverse=True)  # popped in order of first row
    active: list[tuple[int, int, int, Any]] = []  # last row, first and last column, value
    for index, row in values:
        while pending and pending[-1][0] <= index:
            first_row, first_col, last_row, last_col = pending.pop()
            if first_row == index:
                value = row[first_col] if first_col < len(row) else None
                active.append((last_row, first_col, last_col, value))
        active = [span for span in active if span[0] >= index]
        for _, first_col, last_col, value in active:
            if len(row) <= last_col:
                row.extend([None] * (last_col + 1 - len(row)))
            row[first_col : last_col + 1] = [value] * (last_col + 1 - first_col)
        yield index, row


def _texts(values: _Values, scan: SheetScan) -> Rows:
    unsaved_rows = {row for row, _ in scan.unsaved}
    for index, row in values:
        cells = tuple(_cell_text(value) for value in row)
        if index in unsaved_rows:
            formulas = {col: f for (r, col), f in scan.unsaved.items() if r == index}
            yield index + 1, FormulaCells(cells, formulas)
        else:
            yield index + 1, cells


def _rows(path: Path, ctx: Context) -> Rows:
    scan = _scanned(path, ctx)
    values = _values(path, scan)
    if scan.merged:
        values = _filled(values, scan.merged)
    yield from _texts(values, scan)


def read(path: Path, ctx: Context) -> Iterator[Item]:
    return read_rows(_rows(path, ctx), ctx)


XLSX = FileFormat(name="xlsx", suffixes=(".xlsx", ".xlsm"), read=read)
