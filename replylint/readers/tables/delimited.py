"""CSV and TSV files: decoded as every text input is, split by the likeliest delimiter.

A fault loses only the rows it touches (issue 16): a line that cannot be decoded (a
damaged byte, a NUL) makes its row a `BadRow`, and so does a quoted cell that is never
closed. Such a cell runs to the end of the file, or past the csv module's cell limit,
raised to `Limits.chars` characters (no turn or call may hold more), over several lines:
its row is reported from the line where it starts, and reading resumes on the next line,
so the rows it swallowed are read. A cell past the limit on one line fails its row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from replylint.model import ReadErrorKind
from replylint.readers.base import Context, DocumentFormat, FileFormat, Item
from replylint.readers.decoding import Decoded, DecodeError, check_encoding, decode_document
from replylint.readers.tables.base import BadRow, Rows, TableError
from replylint.readers.tables.columns import names_calls
from replylint.readers.tables.rows import read_rows

_CSV_DELIMITERS: Final = (",", "\t", ";")
_LINE: Final = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")  # as csv reads lines: \r\n, \r or \n
# Fed after the last line: met inside a cell, that cell's quote was never closed.
_END_MARKS: Final = ("\ufdd0end of file\ufdd1", "\ufdd2end of file\ufdd3")
_RESYNC_LIMIT: Final = 100  # unclosed quotes, each re-read from the next line: bounded


@dataclass(slots=True)
class _Records:
    """A decoded table read a record at a time by the csv module (at C speed, from a
    buffer that holds the text and then an end mark), and where each record stands: its
    offsets, and its first line counting every line break, as csv does."""

    decoded: Decoded
    delimiter: str
    end_mark: str
    limit: int  # characters a record over several lines may hold: `Limits.chars`
    buffer: io.StringIO = field(init=False)
    newlines: _NewlineCounter = field(init=False)

    def __post_init__(self) -> None:
        text = self.decoded.text
        self.buffer = io.StringIO(text, newline="")
        self.buffer.seek(0, io.SEEK_END)
        self.buffer.write(("" if text.endswith(("\n", "\r")) or not text else "\n") + self.end_mark)
        self.newlines = _NewlineCounter(text)

    def read(self, start: int, first_line: int) -> Iterator[BadRow | _Row | _Stop]:
        """The records from offset ``start`` (line ``first_line``) to the end mark, or to
        the first that breaks the table's quoting (a `_Stop` saying where to resume)."""
        self.buffer.seek(start)
        reader = csv.reader(self.buffer, delimiter=self.delimiter)
        tell, mark, lines_before = self.buffer.tell, self.end_mark, 0
        checked = bool(self.decoded.bad_lines)  # else every record is a row: the fast path
        try:
            for cells in reader:
                end, line = tell(), first_line + lines_before
                if cells and cells[-1].endswith(mark):
                    if cells != [mark]:
                        yield self.stop(start, line, None, spans_lines=True, at_end=True)
                    return
                if end - start > self.limit and reader.line_num - lines_before > 1:
                    yield self.stop(start, line, None, spans_lines=True, at_end=False)
                    return
                if checked:
                    yield self.record(start, end, line, cells)
                else:
                    yield line, tuple([cell.strip() for cell in cells])
                start, lines_before = end, reader.line_num
        except csv.Error as err:
            spans_lines = reader.line_num - lines_before > 1
            yield self.stop(
                start, first_line + lines_before, err, spans_lines=spans_lines, at_end=False
            )

    def record(self, start: int, end: int, line: int, cells: list[str]) -> BadRow | _Row:
        row = tuple(cell.strip() for cell in cells)
        bad = self.bad_line_between(start, end)
        if bad is not None:
            return BadRow(line, self.decoded.bad_lines[bad], ReadErrorKind.DECODE, row)
        return line, row

    def bad_line_between(self, start: int, end: int) -> int | None:
        """The first line (as the decoder numbers them, by b"\n") of the text between the
        offsets that could not be decoded."""
        bad_lines = self.decoded.bad_lines
        if not bad_lines:
            return None
        first, last = self.newlines.line_at(start), self.newlines.line_at(max(end - 1, start))
        return next((n for n in range(first, last + 1) if n in bad_lines), None)

    def stop(
        self, start: int, line: int, error: csv.Error | None, *, spans_lines: bool, at_end: bool
    ) -> _Stop:
        """A record that breaks the quoting, from offset ``start`` (line ``line``): a
        quote never closed, or a cell past the csv module's limit."""
        text = self.decoded.text
        start_line = _LINE.match(text, start)
        resume = start if start_line is None else start_line.end()
        cells = _cells_of_line(text[start:resume], self.delimiter)
        if error is None or spans_lines:
            where = "to the end of the file" if at_end else f"past {self.limit:,} characters"
            message = (
                f"a quoted cell from here runs {where}: is a closing quote missing? The rows "
                "after this line are read on their own"
            )
            bad = BadRow(line, message, ReadErrorKind.CSV_SYNTAX, cells)
        elif "field larger" in str(error):
            limit = csv.field_size_limit()
            message = f"a cell of more than {limit:,} characters, the limit for one call"
            bad = BadRow(line, message, ReadErrorKind.OVER_LIMIT, cells)
        else:
            bad = BadRow(line, f"malformed CSV: {error}", ReadErrorKind.CSV_SYNTAX, cells)
        return _Stop(bad, resume, line + 1)


@dataclass(frozen=True, slots=True)
class _Stop:
    """A record that broke the table's quoting, and where reading resumes: the next line."""

    bad: BadRow
    resume: int
    resume_line: int


class _NewlineCounter:
    """Line numbers (by "\n", as the decoder counts) of rising offsets into a text."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def line_at(self, offset: int) -> int:
        if offset < self.offset:  # after a resync: counted again from the start
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _cells_of_line(line: str, delimiter: str) -> tuple[str, ...]:
    """The cells of one line read alone: enough to tell a broken row's call."""
    cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    return tuple(cell.strip() for cell in cells)


_Row = tuple[int, tuple[str, ...]]


def _records(decoded: Decoded, delimiter: str, limit: int) -> Rows:
    """Every record of the table; a record that breaks the quoting is a bad row, and
    reading resumes on the line after its start, at most `_RESYNC_LIMIT` times."""
    end_mark = next((mark for mark in _END_MARKS if mark not in decoded.text), None)
    if end_mark is None:  # a text holding both marks is made to defeat this: refuse it
        raise TableError(None, "holds replylint's end-of-file marks", ReadErrorKind.CSV_SYNTAX)
    records = _Records(decoded, delimiter, end_mark, limit)
    start, line = 0, 1
    for _ in range(_RESYNC_LIMIT + 1):
        for item in records.read(start, line):
            if not isinstance(item, _Stop):
                yield item
                continue
            yield item.bad
            start, line = item.resume, item.resume_line
            break
        else:
            return
    message = f"more than {_RESYNC_LIMIT} unclosed quotes: the rest is not read"
    raise TableError(line, message, ReadErrorKind.CSV_SYNTAX)


def _decoded(data: bytes, encoding: str | None) -> Decoded:
    problem = None if encoding is None else check_encoding(encoding)
    if problem is not None:
        raise TableError(None, problem, ReadErrorKind.UNKNOWN_ENCODING)
    try:
        return decode_document(data, encoding)
    except DecodeError as err:
        raise TableError(err.line, err.message, ReadErrorKind.DECODE) from None


def _sniffed_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return max(_CSV_DELIMITERS, key=first_line.count)  # ties: the comma, listed first


def _allow_cells_of(size: int) -> None:
    """The csv module refuses a cell over 131,072 characters, and that lost the whole
    table; a call may hold a million (`Limits.chars`). Its limit is one for the process:
    raised to ours, never lowered. A cell past it is its row's error, and bounds what a
    quote never closed makes csv read before it is found."""
    if csv.field_size_limit() < size:
        csv.field_size_limit(size)


def _rows(path: Path, ctx: Context, delimiter: str | None) -> Rows:
    """``delimiter`` None: whichever of comma, tab and semicolon the header line has most of."""
    yield from _decoded_rows(_decoded(path.read_bytes(), ctx.encoding), ctx, delimiter)


def _decoded_rows(decoded: Decoded, ctx: Context, delimiter: str | None) -> Rows:
    _allow_cells_of(ctx.limits.chars)
    delimiter = delimiter or _sniffed_delimiter(decoded.text)
    yield from _records(decoded, delimiter, ctx.limits.chars)


def read_csv(path: Path, ctx: Context) -> Iterator[Item]:
    return read_rows(_rows(path, ctx, None), ctx)


def read_tsv(path: Path, ctx: Context) -> Iterator[Item]:
    return read_rows(_rows(path, ctx, "\t"), ctx)


def sniff(line: str, cut: bool) -> bool:
    """A header line, split by comma, tab or semicolon, that names the call id and text
    (or transcript) columns: a table piped on stdin, read as text before (issue 16)."""
    line = re.split("[\r\n]", line, maxsplit=1)[0]
    delimiter = _sniffed_delimiter(line)
    if cut or delimiter not in line:
        return False
    headers = next(csv.reader([line], delimiter=delimiter), [])
    return names_calls(tuple(header.strip() for header in headers))


def _never(line: str, cut: bool) -> bool:
    return False


def read_csv_stream(decoded: Decoded, ctx: Context) -> Iterator[Item]:
    return read_rows(_decoded_rows(decoded, ctx, None), ctx)


def read_tsv_stream(decoded: Decoded, ctx: Context) -> Iterator[Item]:
    return read_rows(_decoded_rows(decoded, ctx, "\t"), ctx)


CSV = FileFormat(
    name="csv",
    suffixes=(".csv",),
    read=read_csv,
    stream=DocumentFormat(name="csv", suffixes=(), sniff=sniff, read=read_csv_stream),
)
# Only when named: a folder's notes (like corpus/expected.tsv) are not taken for calls;
# on stdin, only when named too.
TSV = FileFormat(
    name="tsv",
    suffixes=(".tsv",),
    read=read_tsv,
    in_folders=False,
    stream=DocumentFormat(name="tsv", suffixes=(), sniff=_never, read=read_tsv_stream),
)
