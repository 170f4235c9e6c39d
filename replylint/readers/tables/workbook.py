"""XLSX workbooks: the first sheet's rows, cells as text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from replylint.model import ReadErrorKind
from replylint.readers.base import Context, FileFormat, Item
from replylint.readers.clock import clock_text
from replylint.readers.tables.base import Rows, TableError
from replylint.readers.tables.rows import read_rows


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


def _rows(path: Path) -> Rows:
    # openpyxl raises a wide variety of exceptions for damaged files (zip, XML, key and value
    # errors); any of them means "cannot read this workbook", never a crash of the batch.
    try:
        import openpyxl  # noqa: PLC0415 - 0.15 s to import: only when a workbook is read

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception as err:
        message = f"cannot read as an XLSX workbook: {err}"
        raise TableError(None, message, ReadErrorKind.WORKBOOK) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size; read every row there is
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, tuple(_cell_text(value) for value in values)
    except Exception as err:
        message = f"cannot read the XLSX workbook: {err}"
        raise TableError(None, message, ReadErrorKind.WORKBOOK) from None
    finally:
        workbook.close()


def read(path: Path, ctx: Context) -> Iterator[Item]:
    return read_rows(_rows(path), ctx)


XLSX = FileFormat(name="xlsx", suffixes=(".xlsx", ".xlsm"), read=read)
