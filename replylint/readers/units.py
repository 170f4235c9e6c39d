"""Units: pieces of input that can be read on their own, in order, in this process or a
worker. `read_paths` reads the units one after another; the batch linter hands them to
worker processes, so both give the same items in the same order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from replylint.model import ReadError, ReadErrorKind, Transcript
from replylint.readers.base import (
    Context,
    FileFormat,
    Item,
    LineFormat,
    TextFormat,
    os_kind,
    os_reason,
)
from replylint.readers.decoding import DecodeError, decode_document
from replylint.readers.limits import within_limits
from replylint.readers.registry import sniff_text

UNIT_BYTES: Final = 1 << 20  # the lines of a line format (JSONL) in one unit: about a megabyte


@dataclass(frozen=True, slots=True)
class SpanUnit:
    """Whole lines of a regular file, by byte range: the worker reads them itself.
    ``first_line`` is the number of the range's first line."""

    ctx: Context
    fmt: LineFormat
    path: str
    start: int
    end: int
    first_line: int

    @property
    def size(self) -> int:
        return self.end - self.start

    def items(self) -> Iterator[Item]:
        try:
            with open(self.path, "rb") as file:
                file.seek(self.start)
                data = file.read(self.end - self.start)
        except OSError as err:
            message = f"cannot read file: {os_reason(err)}"
            yield ReadError(self.ctx.source, self.first_line, message, os_kind(err))
            return
        # The same lines as iterating the file: each keeps its b"\n", the last may lack one.
        parts = data.split(b"\n")
        lines = [part + b"\n" for part in parts[:-1]]
        if parts[-1]:
            lines.append(parts[-1])
        yield from self.fmt.read_lines(enumerate(lines, self.first_line), self.ctx)


@dataclass(frozen=True, slots=True)
class LinesUnit:
    """A run of numbered lines, each with its b"\\n", read from a pipe (stdin)."""

    ctx: Context
    fmt: LineFormat
    lines: tuple[tuple[int, bytes], ...]

    @property
    def size(self) -> int:
        return sum(len(raw) for _, raw in self.lines)

    def items(self) -> Iterator[Item]:
        return self.fmt.read_lines(self.lines, self.ctx)


@dataclass(frozen=True, slots=True)
class DocumentUnit:
    """A whole file or stream, read at once; ``fmt`` None: sniffed once decoded."""

    ctx: Context
    data: bytes
    fmt: TextFormat | None

    @property
    def size(self) -> int:
        return len(self.data)

    def items(self) -> Iterator[Item]:
        try:
            decoded = decode_document(self.data, self.ctx.encoding)
        except DecodeError as err:
            yield ReadError(self.ctx.source, err.line, err.message, ReadErrorKind.DECODE)
            return
        fmt = self.fmt or sniff_text(decoded.text)
        yield from fmt.read(decoded, self.ctx)


@dataclass(frozen=True, slots=True)
class FileUnit:
    """A file read by path, as a spreadsheet is."""

    ctx: Context
    fmt: FileFormat
    path: str

    @property
    def size(self) -> int:
        try:
            return os.path.getsize(self.path)
        except OSError:
            return 0

    def items(self) -> Iterator[Item]:
        return self.fmt.read(Path(self.path), self.ctx)


@dataclass(frozen=True, slots=True)
class ErrorUnit:
    """Input that could not be read at all: the error says why."""

    ctx: Context
    error: ReadError

    @property
    def size(self) -> int:
        return 0

    def items(self) -> Iterator[Item]:
        yield self.error


# A piece of input that `read_unit` reads on its own; picklable. Its ``size`` is the bytes
# of input it stands for: what progress is counted in.
ReadUnit = SpanUnit | LinesUnit | DocumentUnit | FileUnit | ErrorUnit


def read_unit(unit: ReadUnit) -> Iterator[Transcript | ReadError]:
    """The transcripts of one unit, in order, each within the unit's `Limits`, or the
    errors that say why not. Never raises: should a reader fail on input it did not
    foresee (a bug), the rest of the unit is one `INTERNAL` error naming the file and the
    last line read, and the batch goes on with the next unit."""
    limits = unit.ctx.limits
    line = None
    try:
        for item in unit.items():
            line = item.line if item.line is not None else line
            yield item if isinstance(item, ReadError) else within_limits(item, limits)
    except Exception as err:  # any failure: reported, see the docstring
        yield _internal(unit.ctx, line, err)


def _internal(ctx: Context, line: int | None, err: Exception) -> ReadError:
    where = "" if line is None else f" after line {line:,}"
    what = " ".join(str(err).split())[:200]  # one line, however long the exception's text
    message = (
        f"could not be read{where} ({type(err).__name__}: {what}); the rest of it is not "
        "read: this is a replylint bug, please report it"
    )
    return ReadError(ctx.source, line, message, ReadErrorKind.INTERNAL)
