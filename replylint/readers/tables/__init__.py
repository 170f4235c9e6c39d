"""Tables: CSV and XLSX exports of call-centre systems, read into transcripts; never raises.

Layouts, decided from the header row (the first non-empty row)
    one row per turn  columns id, role and text, plus optional turn order, start, end and
                      metadata. Rows are grouped into calls by id wherever they stand in the
                      file: calls come out in first-seen order, turns in row order, or by the
                      turn column (序号, 轮次) when there is one.
    one row per call  columns id and transcript, the transcript in the plain-text format of
                      `replylint.readers.parse_text`.
    A text column means one row per turn, even when there is a transcript column too.

Headers are recognised from `COLUMN_ALIASES`, ignoring case, width, spaces, punctuation and
traditional characters (通話ID = 通话id = Call ID). An explicit ``columns`` mapping (field ->
header) wins over recognition; mapping a field to "" ignores that column.

Values
    Metadata (agent, agent_name, team, region, date, channel, industry, direction) goes into
    ``Transcript.meta`` from the first row of a call that fills each; later rows that
    disagree are ignored. A missing role column gives every turn ``default_role``; an
    empty role cell is an error. ``start`` and ``end`` are milliseconds or
    ``[hh:]mm:ss[.fff]`` clock times.

CSV: encodings are detected as for every text input (see `replylint.readers.decoding`: UTF-8,
UTF-16 with a BOM, GB18030 or Big5); ``encoding=`` forces one codec. The delimiter
is whichever of comma, tab and semicolon the header line has most of. Row numbers in errors
are the lines where records start.

XLSX: the first sheet only. Whole numbers read as integers (Excel stores the id 1001 as
1001.0), dates as ``YYYY-MM-DD``.

Errors are yielded in-stream as `ReadError` with the file and row: a bad row fails its call
(one row per turn) or itself (one row per call); every other call is still read. A table
whose columns cannot be found is one error listing the headers found and the names expected.

Memory: one-row-per-call tables stream. One-row-per-turn tables hold every call until the
end of the table, since the rows of a call may stand anywhere in it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from replylint.model import ReadError, Role, Transcript
from replylint.readers.base import Item
from replylint.readers.registry import TABLE_SUFFIXES
from replylint.readers.tables.base import TableError
from replylint.readers.tables.columns import (
    COLUMN_ALIASES,
    FIELDS,
    META_FIELDS,
    header_columns,
    parse_column_mapping,
)
from replylint.readers.tables.delimited import csv_rows
from replylint.readers.tables.rows import Row, read_call_rows, read_turn_rows
from replylint.readers.tables.workbook import xlsx_rows

__all__ = [
    "COLUMN_ALIASES",
    "FIELDS",
    "META_FIELDS",
    "TABLE_SUFFIXES",
    "parse_column_mapping",
    "read_table",
]


def _table_rows(path: Path, encoding: str | None) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Numbered rows with at least one non-empty cell."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise TableError(None, "legacy .xls workbooks are not supported; save as .xlsx or .csv")
    if suffix not in TABLE_SUFFIXES:
        expected = ", ".join(sorted(TABLE_SUFFIXES))
        raise TableError(None, f"not a table file: expected one of {expected}")
    rows = xlsx_rows(path) if suffix in {".xlsx", ".xlsm"} else csv_rows(path, encoding)
    return ((line, cells) for line, cells in rows if any(cells))


def _read(
    path: Path, columns: Mapping[str, str], encoding: str | None, default_role: Role
) -> Iterator[Item]:
    rows = _table_rows(path, encoding)
    located = header_columns(rows, columns)
    records = (Row(line, cells, located) for line, cells in rows)
    read_rows = read_turn_rows if located.layout == "turns" else read_call_rows
    yield from read_rows(records, str(path), default_role)


def read_table(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    default_role: Role = Role.AGENT,
) -> Iterator[Transcript | ReadError]:
    """Read a ``.csv``/``.tsv``/``.xlsx``/``.xlsm`` table of calls. Never raises for bad input.

    ``columns`` maps fields (`FIELDS`) to headers, e.g. from `parse_column_mapping`;
    ``encoding`` forces a CSV codec; ``default_role`` is the role of every turn when the
    table has no role column, and of unlabelled text in a transcript column.
    """
    path = Path(path)
    try:
        yield from _read(path, columns or {}, encoding, default_role)
    except TableError as err:
        yield ReadError(str(path), err.line, err.message)
    except OSError as err:
        yield ReadError(str(path), None, f"cannot read: {err.strerror or err}")
