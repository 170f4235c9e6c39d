"""What the table readers share: the rows a table file gives, and the errors that stop a
table or fail a row."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from replylint.model import ReadErrorKind


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that cannot be read (bytes that do not decode, a quote never closed, a
    formula without its value): it fails its call, or itself. ``cells`` holds what could
    be read of it, enough to tell its call; ``line`` is its 1-based line or row number."""

    line: int
    message: str
    kind: ReadErrorKind
    cells: tuple[str, ...] = ()


class FormulaCells(tuple[str, ...]):
    """The cells of a spreadsheet row where some hold a formula whose value was never
    saved (they read as ""): ``formulas`` maps their 0-based columns to the formulas."""

    formulas: dict[int, str]

    def __new__(cls, cells: tuple[str, ...], formulas: dict[int, str]) -> FormulaCells:
        row = super().__new__(cls, cells)
        row.formulas = formulas
        return row


# Numbered rows of cells as text, as a table file holds them (1-based line or row number),
# and the rows that cannot be read.
Rows = Iterator[tuple[int, tuple[str, ...]] | BadRow]


class TableError(Exception):
    """The whole table (or the rest of it) cannot be read."""

    def __init__(self, line: int | None, message: str, kind: ReadErrorKind) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.kind = kind


class RowError(Exception):
    """One row cannot be read; the message says why."""

    def __init__(self, message: str, kind: ReadErrorKind = ReadErrorKind.SHAPE) -> None:
        super().__init__(message)
        self.kind = kind
