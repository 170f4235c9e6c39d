"""Clock times, ``[h:]mm:ss[.fff]``: one grammar and one conversion to milliseconds for every
time notation the readers meet, and the way back.

- A timestamp opening a line of a plain-text transcript: ``[00:01]``, or from ASR a range,
  ``[00:01.2-00:04.5]``, ``[00:00:01,200 --> 00:00:04,500]``; brackets are optional.
- A time cell of a table: milliseconds (``62000``) or a clock time (``1:02.5``).
- A duration cell of a spreadsheet, written back as a clock time (`clock_text`).

Hours have at most 9 digits, and a time in milliseconds is at most `MAX_TIME_MS`: anything
longer is no time.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple


def _clock(tag: str) -> str:
    """The clock grammar, its groups named with ``tag`` (two clocks can share a pattern)."""
    return (
        rf"(?:(?P<h{tag}>\d{{1,9}}):)?(?P<m{tag}>\d{{1,2}}):(?P<s{tag}>\d{{1,2}})"
        rf"(?:[.,](?P<f{tag}>\d{{1,3}}))?"
    )


_TIMESTAMP: Final = re.compile(
    r"(?P<open>[\[［])?\s*"
    + _clock("0")
    + r"(?:\s*(?:-->|-|–|~|～)\s*"
    + _clock("1")
    + r")?\s*(?(open)[\]］])\s*"
)
_CLOCK: Final = re.compile(_clock(""))
_MILLISECONDS: Final = re.compile(r"\d+(?:\.\d+)?")
# The latest time a call may give, in ms: exact as a float, and in every JSON reader. A
# 400-digit time cell (a spreadsheet's overflow) is no time: it used to crash the batch.
MAX_TIME_MS: Final = 2**53 - 1


class Timestamp(NamedTuple):
    """A timestamp opening a line: its start and end (None for a single time), in ms, and
    where the rest of the line begins."""

    start_ms: int
    end_ms: int | None
    end: int


def _ms(match: re.Match[str], tag: str) -> int:
    """The clock time of the groups named with ``tag``, in ms."""
    hours, minutes, seconds = (int(match[f"{part}{tag}"] or 0) for part in ("h", "m", "s"))
    millis = int((match[f"f{tag}"] or "").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def leading_timestamp(line: str) -> Timestamp | None:
    """The timestamp at the start of ``line``, if there is one."""
    match = _TIMESTAMP.match(line)
    if match is None:
        return None
    end_ms = None if match["s1"] is None else _ms(match, "1")
    return Timestamp(_ms(match, "0"), end_ms, match.end())


def time_ms(value: str) -> int | None:
    """A time cell in ms: milliseconds (rounded) or a clock time; None if it is neither."""
    if _MILLISECONDS.fullmatch(value):
        milliseconds = float(value)  # inf for hundreds of digits, never an error
        return round(milliseconds) if milliseconds <= MAX_TIME_MS else None
    match = _CLOCK.fullmatch(value)
    return None if match is None else _ms(match, "")


def clock_text(milliseconds: int) -> str:
    """``62500`` -> ``0:01:02.500``: what `time_ms` reads back."""
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"
