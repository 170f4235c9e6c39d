"""The data model: transcripts in, findings out. All types are immutable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

_EMPTY_META: Mapping[str, Any] = MappingProxyType({})


class Role(StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"
    SYSTEM = "system"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Turn:
    """One utterance. ``start_ms``/``end_ms`` are audio times from ASR, when known."""

    role: Role
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Transcript:
    """A call or chat: ordered turns plus free metadata (agent, team, channel...)."""

    id: str
    turns: tuple[Turn, ...]
    meta: Mapping[str, Any] = field(default_factory=lambda: _EMPTY_META)
    source: str | None = None  # file the transcript was read from, if any
    line: int | None = None  # 1-based line in that file where it starts

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # A read-only mapping proxy does not pickle; worker processes need transcripts.
        return (_transcript, (self.id, self.turns, dict(self.meta), self.source, self.line))


def _transcript(
    id: str,
    turns: tuple[Turn, ...],
    meta: dict[str, Any],
    source: str | None,
    line: int | None,
) -> Transcript:
    return Transcript(id, turns, MappingProxyType(meta), source, line)


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule violation, pointing into the original text of one turn.

    ``start``/``end`` are code-point offsets: ``turn.text[start:end] == text``.
    """

    transcript: str
    turn: int
    role: Role
    start: int
    end: int
    text: str
    rule: str
    name: str
    pack: str
    severity: Severity
    message: str
    suggestion: str

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.transcript, self.turn, self.start, self.end, self.rule)


@dataclass(frozen=True, slots=True)
class Tag:
    """A label on a call (a topic, a customer type), not a violation: never scored.

    The evidence is the label's first occurrence: ``turn.text[start:end] == text``.
    """

    transcript: str
    category: str  # topic, customer-type
    tag: str  # the label: 停电, 重复来电
    rule: str
    turn: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Annotations:
    """What linting one transcript gives: its findings and its tags, both in text order."""

    findings: list[Finding]
    tags: list[Tag]


class ReadErrorKind(StrEnum):
    """Why input could not be read: a stable code for programs, as the message is for people.
    The set is closed; a new kind is a new member, never a renamed one."""

    MISSING = "missing"  # no such file or directory
    UNREADABLE = "unreadable"  # the system refused: permissions, an I/O error, a link loop
    NOT_REGULAR_FILE = "not-regular-file"  # a pipe, socket or device where a file is needed
    UNSUPPORTED = "unsupported"  # a kind of file replylint does not read (.xls)
    UNKNOWN_ENCODING = "unknown-encoding"  # a forced encoding Python does not know
    DECODE = "decode"  # bytes that do not decode (or hold a NUL): see replylint.readers.decoding
    OVER_LIMIT = "over-limit"  # past a limit: a line, a file read whole, turns, characters, depth
    JSON_SYNTAX = "json-syntax"  # not valid JSON
    CSV_SYNTAX = "csv-syntax"  # not valid CSV
    WORKBOOK = "workbook"  # an XLSX workbook that cannot be opened or read
    FORMULA = "formula"  # a spreadsheet cell holding a formula whose value was never saved
    COLUMNS = "columns"  # a table whose header does not say where the id and text are
    SHAPE = "shape"  # a transcript (JSON object, table rows) not shaped as one
    DUPLICATE = "duplicate"  # a JSON key or a table column given twice: which one is meant?
    INTERNAL = "internal"  # a replylint bug: a transcript that could not be linted


@dataclass(frozen=True, slots=True)
class ReadError:
    """A transcript or file that could not be read; reported, never dropped."""

    source: str
    line: int | None
    message: str
    kind: ReadErrorKind

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.message}"
