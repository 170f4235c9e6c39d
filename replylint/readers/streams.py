"""Streams into units: a line format (JSONL) by byte ranges or runs of lines, any other
read whole, up to the limits; a stream of unknown format is sniffed from its first line."""

from __future__ import annotations

import itertools
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Final

from replylint.model import ReadError, ReadErrorKind
from replylint.readers.base import Context, LineFormat, TextFormat
from replylint.readers.decoding import (
    DecodeError,
    decode_line,
    file_preference,
    is_ascii_compatible,
)
from replylint.readers.limits import too_long_message
from replylint.readers.registry import sniff
from replylint.readers.units import DocumentUnit, ErrorUnit, LinesUnit, ReadUnit, SpanUnit

_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_HEAD_BYTES: Final = 1024  # of a line too long to keep: enough to sniff its format
_SKIP_BYTES: Final = 1 << 20  # a line too long to keep is skipped this much at a time


@dataclass(frozen=True, slots=True)
class _LongLine:
    """A line longer than a limit, skipped without being held: its size (without the
    line break) and its first bytes, enough to sniff the format."""

    size: int
    head: bytes


def _skip_line(stream: BinaryIO) -> int:
    """Read past the rest of a line, a chunk at a time: the bytes skipped, without b"\\n"."""
    skipped = 0
    while chunk := stream.readline(_SKIP_BYTES):
        if chunk.endswith(b"\n"):
            return skipped + len(chunk) - 1
        skipped += len(chunk)
    return skipped


def _read_line(stream: BinaryIO, limit: int) -> bytes | _LongLine:
    """The next line with its b"\\n", at most ``limit`` bytes without it; b"" at the end."""
    raw = stream.readline(limit + 1)
    if len(raw) <= limit or raw.endswith(b"\n"):
        return raw
    return _LongLine(len(raw) + _skip_line(stream), raw[:_HEAD_BYTES])


def _lines_of(stream: BinaryIO, limit: int) -> Iterator[bytes | _LongLine]:
    while line := _read_line(stream, limit):
        yield line


def _span_units(path: Path, fmt: LineFormat, ctx: Context, unit_bytes: int) -> Iterator[ReadUnit]:
    """Byte ranges of whole lines, about ``unit_bytes`` each: the caller reads each block
    once at C speed to count its lines; the worker reads and parses the range itself.
    A line longer than the limit is skipped here, never held, and becomes an error."""
    limit = ctx.limits.line_bytes
    with path.open("rb") as file:
        start, line = 0, 1
        while block := file.read(unit_bytes):
            if start == 0 and ctx.encoding is None:  # the file's encoding, from its start
                ctx = replace(ctx, preference=file_preference(block.split(b"\n")))
            long_line = None
            if not block.endswith(b"\n"):  # finish the last line, up to the limit
                tail = len(block) - block.rfind(b"\n") - 1
                rest = _read_line(file, max(limit - tail, 0))
                if isinstance(rest, _LongLine):
                    long_line = tail + rest.size
                    block = block[: len(block) - tail]
                else:
                    block += rest
            if block:
                yield SpanUnit(ctx, fmt, str(path), start, start + len(block), line)
                line += block.count(b"\n")
            if long_line is not None:
                message = too_long_message(long_line, limit)
                error = ReadError(ctx.source, line, message, ReadErrorKind.OVER_LIMIT)
                yield ErrorUnit(ctx, error)
                line += 1
            start = file.tell()


def _line_units(
    lines: Iterator[bytes | _LongLine], fmt: LineFormat, ctx: Context, unit_bytes: int
) -> Iterator[ReadUnit]:
    chunk: list[tuple[int, bytes]] = []
    size = 0
    judged = ctx.encoding is not None
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, _LongLine):
            if chunk:
                yield LinesUnit(ctx, fmt, tuple(chunk))
                chunk, size = [], 0
            message = too_long_message(raw.size, ctx.limits.line_bytes)
            yield ErrorUnit(ctx, ReadError(ctx.source, number, message, ReadErrorKind.OVER_LIMIT))
            continue
        chunk.append((number, raw))
        size += len(raw)
        if size >= unit_bytes:
            if not judged:  # the stream's encoding, from its first unit
                ctx, judged = replace(ctx, preference=file_preference(r for _, r in chunk)), True
            yield LinesUnit(ctx, fmt, tuple(chunk))
            chunk, size = [], 0
    if chunk:
        if not judged:
            ctx = replace(ctx, preference=file_preference(r for _, r in chunk))
        yield LinesUnit(ctx, fmt, tuple(chunk))


def _decode_leniently(raw: bytes, encoding: str | None) -> str:
    """Best-effort decoding for sniffing only; real decoding errors are reported later."""
    try:
        return decode_line(raw, encoding)
    except DecodeError:
        pass
    try:
        return raw.decode(encoding or "utf-8", errors="replace").removeprefix("\ufeff")
    except UnicodeError:
        return raw.decode("latin-1")  # never fails; only the first character matters here


def _sniff_head(head: bytes, encoding: str | None) -> TextFormat:
    """The format of a line too long to keep, from its first bytes."""
    return sniff(_decode_leniently(head, encoding), cut=True)


def _sniffed_line(stream: BinaryIO, ctx: Context) -> bytes | _LongLine:
    """A line read while sniffing. Past the line limit, a line whose start is sniffed as a
    line format (JSONL) is a record too long, skipped; any other may be a one-line
    document (JSON), held up to the file limit."""
    limits = ctx.limits
    raw = stream.readline(limits.line_bytes + 1)
    if len(raw) <= limits.line_bytes or raw.endswith(b"\n"):
        return raw
    head = raw[:_HEAD_BYTES]
    if isinstance(_sniff_head(head, ctx.encoding), LineFormat):
        return _LongLine(len(raw) + _skip_line(stream), head)
    rest = _read_line(stream, max(limits.file_bytes - len(raw), 0))
    return raw + rest if isinstance(rest, bytes) else _LongLine(len(raw) + rest.size, head)


def _sniff_stream(stream: BinaryIO, ctx: Context) -> tuple[TextFormat, list[bytes | _LongLine]]:
    """Read up to the first non-blank line: the format, and the lines read."""
    consumed: list[bytes | _LongLine] = []
    total = 0
    while line := _sniffed_line(stream, ctx):
        consumed.append(line)
        if isinstance(line, _LongLine):
            return _sniff_head(line.head, ctx.encoding), consumed
        total += len(line)
        decoded = _decode_leniently(line, ctx.encoding)
        if decoded.strip():
            return sniff(decoded), consumed
        if total > ctx.limits.file_bytes:
            break
    return sniff(""), consumed


def regular_size(stream: BinaryIO) -> int | None:
    """The size of a regular file; None for a pipe, a device or an in-memory stream."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def too_big(ctx: Context, size: int | None) -> ErrorUnit:
    limit = ctx.limits.file_bytes
    size_text = "" if size is None else f"{size:,} bytes, "
    message = (
        f"{size_text}more than the limit of {limit:,} bytes for a file read whole (JSON, "
        "text, CSV, XLSX); split it, or convert it to JSONL, which is read a line at a time"
    )
    return ErrorUnit(ctx, ReadError(ctx.source, None, message, ReadErrorKind.OVER_LIMIT))


def _whole_unit(
    consumed: list[bytes | _LongLine], stream: BinaryIO, fmt: TextFormat | None, ctx: Context
) -> ReadUnit:
    """The rest of the stream as one unit, read whole, up to the file limit."""
    limit = ctx.limits.file_bytes
    size = regular_size(stream)
    if (size or 0) > limit or any(isinstance(line, _LongLine) for line in consumed):
        return too_big(ctx, size)
    data = b"".join(line for line in consumed if isinstance(line, bytes))
    data += stream.read(max(limit + 1 - len(data), 0))
    if len(data) > limit:  # a pipe: its size is known only now
        return too_big(ctx, None)
    return DocumentUnit(ctx, data, fmt)


def _peek(stream: BinaryIO, size: int) -> bytes:
    peek = getattr(stream, "peek", None)
    return b"" if peek is None else bytes(peek(size)[:size])


def stream_units(
    stream: BinaryIO,
    fmt: TextFormat | None,
    ctx: Context,
    unit_bytes: int,
    path: Path | None = None,
) -> Iterator[ReadUnit]:
    """Units of one file or stream; `fmt` None means sniff it. ``path`` is given for a
    regular file, whose lines (of a line format) workers read again by byte ranges; a
    pipe's come in runs of lines. Other formats are read whole, up to the file limit."""
    wide = (
        _peek(stream, 2).startswith(_UTF16_BOMS)
        if ctx.encoding is None
        else not is_ascii_compatible(ctx.encoding)
    )
    if wide:  # UTF-16 lines cannot be split on b"\n": decode the whole thing
        yield _whole_unit([], stream, fmt, ctx)
        return
    consumed: list[bytes | _LongLine] = []
    if fmt is None:
        fmt, consumed = _sniff_stream(stream, ctx)
    if not isinstance(fmt, LineFormat):
        yield _whole_unit(consumed, stream, fmt, ctx)
    elif path is not None:
        yield from _span_units(path, fmt, ctx, unit_bytes)
    else:
        lines = itertools.chain(consumed, _lines_of(stream, ctx.limits.line_bytes))
        yield from _line_units(lines, fmt, ctx, unit_bytes)
