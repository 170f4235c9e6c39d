"""What every reader shares: the item a reader yields, where its bytes come from, and the
three shapes of input format (see `replylint.readers.registry`)."""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final

from replylint.model import ReadError, ReadErrorKind, Role, Transcript
from replylint.readers.decoding import (
    DEFAULT_PREFERENCE,
    Decoded,
    DecodeError,
    Preference,
    decode_line,
)
from replylint.readers.limits import DEFAULT_LIMITS, Limits, too_long_message

Item = Transcript | ReadError
_NO_BAD_LINES: Final[Mapping[int, str]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Context:
    """Where the bytes come from and how to read them."""

    source: str  # shown in errors and stored on transcripts
    stem: str  # basis for fallback transcript ids
    default_role: Role
    encoding: str | None
    columns: tuple[tuple[str, str], ...] = ()  # field -> column, for CSV/XLSX tables
    limits: Limits = DEFAULT_LIMITS
    # How the file's lines read when they could be read two ways (its encoding, judged
    # on its first megabyte), for formats decoded a line at a time (JSONL).
    preference: Preference = DEFAULT_PREFERENCE


# Whether a stream is in a format, from its first non-blank line (stripped, without BOM);
# ``cut``: the line was too long to hold, and this is only its start.
Sniff = Callable[[str, bool], bool]


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentFormat:
    """Text read whole: decoded (see `replylint.readers.decoding`), then ``read``."""

    name: str
    suffixes: tuple[str, ...]  # lower case, with the dot
    sniff: Sniff
    read: Callable[[Decoded, Context], Iterator[Item]]
    in_folders: bool = True  # read when found in a folder, not only when named


@dataclass(frozen=True, slots=True, kw_only=True)
class LineFormat:
    """One transcript a line: a file is read a range of lines at a time, so memory does
    not grow with the input; ``read_line`` reads one non-blank line (its number given)."""

    name: str
    suffixes: tuple[str, ...]
    sniff: Sniff
    read_line: Callable[[str, int, Context], Item]
    in_folders: bool = True

    def read(self, decoded: Decoded, ctx: Context) -> Iterator[Item]:
        numbered = enumerate(decoded.text.split("\n"), 1)
        return self.read_lines(numbered, ctx, decoded.bad_lines)

    def read_lines(
        self,
        numbered: Iterable[tuple[int, bytes | str]],
        ctx: Context,
        bad_lines: Mapping[int, str] = _NO_BAD_LINES,
    ) -> Iterator[Item]:
        """Lines as bytes (each decoded on its own) or decoded already, with the numbers
        of those that could not be decoded."""
        for number, raw in numbered:
            line = _line_text(raw, number, ctx, bad_lines)
            if isinstance(line, ReadError):
                yield line
            elif line.strip():
                yield self.read_line(line, number, ctx)


def _line_text(
    raw: bytes | str, number: int, ctx: Context, bad_lines: Mapping[int, str]
) -> ReadError | str:
    """The text of one line, or the error that it cannot be read."""
    if isinstance(raw, str):
        problem = bad_lines.get(number)
        if problem is None:
            return raw
        return ReadError(ctx.source, number, problem, ReadErrorKind.DECODE)
    size = len(raw) - raw.endswith(b"\n")
    if size > ctx.limits.line_bytes:
        message = too_long_message(size, ctx.limits.line_bytes)
        return ReadError(ctx.source, number, message, ReadErrorKind.OVER_LIMIT)
    try:
        return decode_line(raw, ctx.encoding, ctx.preference)
    except DecodeError as err:
        return ReadError(ctx.source, number, err.message, ReadErrorKind.DECODE)


def os_reason(err: OSError) -> str:
    """Why the system refused, in its words: "No such file or directory"."""
    return err.strerror or str(err)


def os_kind(err: OSError) -> ReadErrorKind:
    return ReadErrorKind.MISSING if err.errno == errno.ENOENT else ReadErrorKind.UNREADABLE


@dataclass(frozen=True, slots=True, kw_only=True)
class FileFormat:
    """Read from its file by path (a table). ``stream``: how it is read from a stream
    (stdin, a pipe, a file of another suffix), sniffed or named, when it can be (a CSV
    can, a workbook cannot)."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, Context], Iterator[Item]]
    in_folders: bool = True
    stream: DocumentFormat | None = None


TextFormat = DocumentFormat | LineFormat  # what a stream can be sniffed as
Format = DocumentFormat | LineFormat | FileFormat
