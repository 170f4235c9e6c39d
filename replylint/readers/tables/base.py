"""What the table readers share: the errors that stop a table or fail a row."""

from __future__ import annotations

from collections.abc import Iterator

from replylint.model import ReadErrorKind

# Numbered rows of cells as text, as a table file holds them (1-based line or row number).
Rows = Iterator[tuple[int, tuple[str, ...]]]


class TableError(Exception):
    """The whole table (or the rest of it) cannot be read."""

    def __init__(self, line: int | None, message: str, kind: ReadErrorKind) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.kind = kind


class RowError(Exception):
    """One row cannot be read; the message says why."""
