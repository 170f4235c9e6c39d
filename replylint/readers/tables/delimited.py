"""CSV and TSV files: decoded as every text input is, split by the likeliest delimiter."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from replylint.readers.decoding import DecodeError, check_encoding, decode_document
from replylint.readers.tables.base import TableError

_CSV_DELIMITERS: Final = (",", "\t", ";")


def _decode(data: bytes, encoding: str | None) -> str:
    problem = None if encoding is None else check_encoding(encoding)
    if problem is not None:
        raise TableError(None, problem)
    try:
        decoded = decode_document(data, encoding)
    except DecodeError as err:
        raise TableError(err.line, err.message) from None
    if decoded.bad_lines:  # a row may span lines: the table stops at its first bad line
        line = min(decoded.bad_lines)
        raise TableError(line, decoded.bad_lines[line])
    return decoded.text


def _delimiter(text: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    first_line = text.split("\n", 1)[0]
    return max(_CSV_DELIMITERS, key=first_line.count)  # ties: the comma, listed first


def csv_rows(path: Path, encoding: str | None) -> Iterator[tuple[int, tuple[str, ...]]]:
    text = _decode(path.read_bytes(), encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, path.suffix))
    line = 1
    try:
        for row in reader:
            yield line, tuple(cell.strip() for cell in row)
            line = reader.line_num + 1
    except csv.Error as err:
        raise TableError(line, f"malformed CSV: {err}") from None
