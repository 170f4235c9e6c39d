"""The input formats, and which one a file is read as: by its suffix, or sniffed.

A file is read as the format that claims its suffix. Any other file named explicitly, and
stdin, is sniffed from its first non-blank line: the first format whose ``sniff`` accepts
the line reads it, in the order of `FORMATS`, a table's stream reading (a CSV whose
header names the call id and text) before plain text, which accepts any line. What a
stream can be named as (``stdin_format``) is `STREAM_FORMATS`; a workbook cannot be.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from replylint.readers import jsondoc, jsonl, text
from replylint.readers.base import FileFormat, Format, TextFormat
from replylint.readers.tables import delimited, workbook

FORMATS: Final[tuple[Format, ...]] = (
    jsonl.FORMAT,
    jsondoc.FORMAT,
    text.FORMAT,
    delimited.CSV,
    delimited.TSV,
    workbook.XLSX,
)

_BY_SUFFIX: Final = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}


def _stream(fmt: Format) -> TextFormat | None:
    """How a format is read from a stream, if it can be."""
    return fmt.stream if isinstance(fmt, FileFormat) else fmt


_STREAMS: Final = tuple(stream for fmt in FORMATS if (stream := _stream(fmt)) is not None)
# Plain text claims every line: it is tried last.
_SNIFFED: Final = (*(f for f in _STREAMS if f is not text.FORMAT), text.FORMAT)
STREAM_FORMATS: Final[Mapping[str, TextFormat]] = MappingProxyType({f.name: f for f in _STREAMS})
TABLE_SUFFIXES: Final = tuple(s for f in FORMATS if isinstance(f, FileFormat) for s in f.suffixes)
# What a folder's walk reads: the suffixes of every format found in folders.
FOLDER_SUFFIXES: Final = tuple(s for f in FORMATS if f.in_folders for s in f.suffixes)


def by_suffix(path: Path) -> Format | None:
    """The format that claims the path's suffix (in any case), if one does."""
    return _BY_SUFFIX.get(path.suffix.lower())


def sniff(line: str, *, cut: bool = False) -> TextFormat:
    """The format of a stream whose first non-blank line is ``line``; ``cut``: the line was
    too long to hold, and this is only its start."""
    stripped = line.strip().removeprefix("\ufeff")
    return next(fmt for fmt in _SNIFFED if fmt.sniff(stripped, cut))


def sniff_text(decoded: str) -> TextFormat:
    """The format of a decoded document, from its first non-blank line."""
    return sniff(next((line for line in decoded.split("\n") if line.strip()), ""))
