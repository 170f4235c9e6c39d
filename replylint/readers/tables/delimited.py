"""CSV and TSV files: decoded as every text input is, split by the likeliest delimiter."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from replylint.model import ReadErrorKind
from replylint.readers.base import Context, FileFormat, Item
from replylint.readers.decoding import DecodeError, check_encoding, decode_document
from replylint.readers.tables.base import Rows, TableError
from replylint.readers.tables.rows import read_rows

_CSV_DELIMITERS: Final = (",", "\t", ";")


def _decode(data: bytes, encoding: str | None) -> str:
    problem = None if encoding is None else check_encoding(encoding)
    if problem is not None:
        raise TableError(None, problem, ReadErrorKind.UNKNOWN_ENCODING)
    try:
        decoded = decode_document(data, encoding)
    except DecodeError as err:
        raise TableError(err.line, err.message, ReadErrorKind.DECODE) from None
    if decoded.bad_lines:  # a row may span lines: the table stops at its first bad line
        line = min(decoded.bad_lines)
        raise TableError(line, decoded.bad_lines[line], ReadErrorKind.DECODE)
    return decoded.text


def _sniffed_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return max(_CSV_DELIMITERS, key=first_line.count)  # ties: the comma, listed first


def _rows(path: Path, encoding: str | None, delimiter: str | None) -> Rows:
    """``delimiter`` None: whichever of comma, tab and semicolon the header line has most of."""
    text = _decode(path.read_bytes(), encoding)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or _sniffed_delimiter(text)
    )
    line = 1
    try:
        for row in reader:
            yield line, tuple(cell.strip() for cell in row)
            line = reader.line_num + 1
    except csv.Error as err:
        raise TableError(line, f"malformed CSV: {err}", ReadErrorKind.CSV_SYNTAX) from None


def read_csv(path: Path, ctx: Context) -> Iterator[Item]:
    return read_rows(_rows(path, ctx.encoding, None), ctx)


def read_tsv(path: Path, ctx: Context) -> Iterator[Item]:
    return read_rows(_rows(path, ctx.encoding, "\t"), ctx)


CSV = FileFormat(name="csv", suffixes=(".csv",), read=read_csv)
# Only when named: a folder's notes (like corpus/expected.tsv) are not taken for calls.
TSV = FileFormat(name="tsv", suffixes=(".tsv",), read=read_tsv, in_folders=False)
