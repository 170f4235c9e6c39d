"""Limits: how much one line, file or transcript may hold.

Far beyond any real call (a ten-hour call is about 150,000 characters), low enough that
memory and time stay bounded whatever the input. What goes past one is an error that
names the limit; it is never truncated, and reading goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from replylint.model import ReadError, ReadErrorKind, Transcript

MAX_LINE_BYTES: Final = 16 << 20  # one JSONL line, that is one transcript: 16 MiB
MAX_FILE_BYTES: Final = 64 << 20  # a file read whole (JSON, text, CSV, XLSX): 64 MiB
MAX_TURNS: Final = 100_000  # turns in one transcript
MAX_CHARS: Final = 1_000_000  # characters of turn text in one transcript
MAX_WORKBOOK_BYTES: Final = 256 << 20  # XML an XLSX unpacks to (its first sheet, its strings)
MAX_CELLS: Final = 5_000_000  # cells in the rectangle of an XLSX sheet: about 32 bytes each
MAX_META_DEPTH: Final = 32  # levels of lists and objects in "meta"; not configurable


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one piece of input may hold; see the constants above."""

    line_bytes: int = MAX_LINE_BYTES
    file_bytes: int = MAX_FILE_BYTES
    turns: int = MAX_TURNS
    chars: int = MAX_CHARS
    workbook_bytes: int = MAX_WORKBOOK_BYTES
    cells: int = MAX_CELLS


DEFAULT_LIMITS: Final = Limits()


def too_long_message(size: int, limit: int) -> str:
    return f"a line of {size:,} bytes, more than the limit of {limit:,} for one transcript"


def within_limits(transcript: Transcript, limits: Limits) -> Transcript | ReadError:
    where = f"transcript {transcript.id!r}"
    turns = len(transcript.turns)
    if turns > limits.turns:
        message = f"{where}: {turns:,} turns, more than the limit of {limits.turns:,}"
        return _over(transcript, message)
    chars = sum(len(turn.text) for turn in transcript.turns)
    if chars > limits.chars:
        message = f"{where}: {chars:,} characters of text, more than the limit of {limits.chars:,}"
        return _over(transcript, message)
    return transcript


def _over(transcript: Transcript, message: str) -> ReadError:
    source = transcript.source or "<input>"
    return ReadError(source, transcript.line, message, ReadErrorKind.OVER_LIMIT)
