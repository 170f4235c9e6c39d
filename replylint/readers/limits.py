"""Limits: how much one line, file or transcript may hold.

Far beyond any real call (a ten-hour call is about 150,000 characters), low enough that
memory and time stay bounded whatever the input. What goes past one is an error that
names the limit; it is never truncated, and reading goes on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
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
class LimitSwitch:
    """A limit as a command-line switch would set it: the `Limits` field, the switch's
    name, what it bounds, and the most it may be raised to (beyond that, reading would
    ask the system for more memory than a machine has, and fail)."""

    field: str
    switch: str
    bounds: str
    maximum: int


LIMIT_SWITCHES: Final = (
    LimitSwitch("line_bytes", "--max-line-bytes", "bytes of one JSONL line", 1 << 30),
    LimitSwitch("file_bytes", "--max-file-bytes", "bytes of a file read whole", 1 << 30),
    LimitSwitch("turns", "--max-turns", "turns of one transcript", 10_000_000),
    LimitSwitch("chars", "--max-chars", "characters of one transcript", 100_000_000),
    LimitSwitch(
        "workbook_bytes", "--max-workbook-bytes", "bytes of XML a workbook unpacks to", 4 << 30
    ),
    LimitSwitch("cells", "--max-cells", "cells of a spreadsheet's rectangle", 100_000_000),
)
_SWITCH_OF: Final = {switch.field: switch for switch in LIMIT_SWITCHES}


def limit_problem(field: str, value: object) -> str | None:
    """Why ``value`` cannot be the limit ``field`` (a `Limits` field), or None if it can:
    a whole number from 1 to the limit's maximum. What a switch or setting checks."""
    switch = _SWITCH_OF.get(field)
    if switch is None:
        return f"unknown limit {field!r}; limits: {', '.join(_SWITCH_OF)}"
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= switch.maximum:
        return (
            f"{switch.switch} ({field}) must be a whole number from 1 to "
            f"{switch.maximum:,}, got {value!r}"
        )
    return None


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one piece of input may hold; see the constants above. Raises
    `ValueError` for a value that is not a whole number from 1 to its maximum
    (`LIMIT_SWITCHES`)."""

    line_bytes: int = MAX_LINE_BYTES
    file_bytes: int = MAX_FILE_BYTES
    turns: int = MAX_TURNS
    chars: int = MAX_CHARS
    workbook_bytes: int = MAX_WORKBOOK_BYTES
    cells: int = MAX_CELLS

    def __post_init__(self) -> None:
        problems = [limit_problem(f.name, getattr(self, f.name)) for f in fields(self)]
        if any(problems):
            raise ValueError("; ".join(filter(None, problems)))


def limits_from(values: Mapping[str, object]) -> Limits:
    """`Limits` from field -> value (what switches or a settings table give), every
    problem (an unknown limit, a wrong value) raised at once in one `ValueError`."""
    problems = [p for field, value in values.items() if (p := limit_problem(field, value))]
    if problems:
        raise ValueError("; ".join(problems))
    return Limits(**values)  # type: ignore[arg-type]


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
