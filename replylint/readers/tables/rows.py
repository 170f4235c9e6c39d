"""Rows into transcripts: one row per turn (grouped into calls by id) or one per call."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from replylint.model import ReadError, ReadErrorKind, Role, Transcript, Turn
from replylint.readers.base import Context, Item, os_kind, os_reason
from replylint.readers.clock import MAX_TIME_MS, time_ms
from replylint.readers.fields import META_FIELDS
from replylint.readers.roles import parse_role
from replylint.readers.tables.base import BadRow, FormulaCells, RowError, Rows, TableError
from replylint.readers.tables.columns import Columns, header_columns
from replylint.readers.tables.sheetscan import column_letters
from replylint.readers.text import parse_text


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    cells: tuple[str, ...]
    columns: Columns

    def get(self, name: str) -> str:
        position = self.columns.index.get(name)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position]

    def meta(self) -> dict[str, str]:
        return {name: value for name in META_FIELDS if (value := self.get(name))}


def _milliseconds(row: Row, name: str) -> int | None:
    value = row.get(name)
    if not value:
        return None
    milliseconds = time_ms(value)
    if milliseconds is None:
        raise RowError(
            f"bad {name} time {value!r}: expected milliseconds (at most {MAX_TIME_MS:,}) "
            "or [hh:]mm:ss"
        )
    return milliseconds


def _role(row: Row, default_role: Role) -> Role:
    if "role" not in row.columns.index:
        return default_role
    label = row.get("role")
    if not label:
        raise RowError("empty role")
    role = parse_role(label)
    if role is None:
        raise RowError(f"unknown role {label!r}")
    return role


def _turn_number(row: Row) -> float:
    if "turn" not in row.columns.index:
        return 0.0
    value = row.get("turn")
    try:
        return float(value)
    except ValueError:
        raise RowError(f"bad turn number {value!r}") from None


def _turn(row: Row, default_role: Role) -> Turn:
    return Turn(
        _role(row, default_role),
        row.get("text"),
        _milliseconds(row, "start"),
        _milliseconds(row, "end"),
    )


# --------------------------------------------------------------------------- layouts


@dataclass(slots=True)
class _Call:
    """The rows of one call seen so far (one row per turn)."""

    line: int
    meta: dict[str, str]
    turns: list[tuple[tuple[float, int], Turn]] = field(default_factory=list)
    problems: list[tuple[int, str, ReadErrorKind]] = field(default_factory=list)

    def add(self, row: Row, default_role: Role) -> None:
        for key, value in row.meta().items():  # a value the first row left empty
            self.meta.setdefault(key, value)
        try:
            order = (_turn_number(row), row.line)
            self.turns.append((order, _turn(row, default_role)))
        except RowError as err:
            self.problems.append((row.line, str(err), err.kind))

    def fail(self, line: int, message: str, kind: ReadErrorKind) -> None:
        self.problems.append((line, message, kind))

    def finish(self, call_id: str, source: str) -> Item:
        if self.problems:
            (line, first, kind), *others = sorted(self.problems)
            also = "".join(f"; also row {n}: {why}" for n, why, _ in others)
            message = f"{first} (call {call_id!r} not read{also})"
            return ReadError(source, line, message, kind)
        turns = tuple(turn for _, turn in sorted(self.turns, key=lambda item: item[0]))
        return Transcript(call_id, turns, MappingProxyType(self.meta), source, self.line)


@dataclass(frozen=True, slots=True)
class _Broken:
    """A row that cannot be read, and the call id read from what could be ("" if none)."""

    bad: BadRow
    call_id: str

    @property
    def line(self) -> int:
        return self.bad.line

    def error(self, source: str) -> ReadError:
        return ReadError(source, self.bad.line, self.bad.message, self.bad.kind)


_Record = Row | _Broken  # what the layouts take


def read_turn_rows(rows: Iterator[_Record], source: str, default_role: Role) -> Iterator[Item]:
    """Rows grouped into calls by id. A bad row fails the call its id names; a table cut
    short (`TableError` mid-way: a damaged workbook) keeps the calls read, but fails the
    last one read, which may have lost rows, and then says where it was cut."""
    calls: dict[str, _Call] = {}
    last: _Call | None = None
    cut: TableError | None = None
    try:
        for row in rows:
            joined = _add_row(calls, row, source, default_role)
            if isinstance(joined, ReadError):
                yield joined
            last = joined if isinstance(joined, _Call) else None
    except TableError as err:
        cut = err
    if cut is not None and last is not None:
        last.fail(cut.line or last.line, f"cut short: {cut.message}", cut.kind)
    for call_id, call in calls.items():
        yield call.finish(call_id, source)
    if cut is not None and last is None:
        yield ReadError(source, cut.line, cut.message, cut.kind)


def _add_row(
    calls: dict[str, _Call], row: _Record, source: str, default_role: Role
) -> _Call | ReadError:
    """The call a row joins, or the error of a row that names no call."""
    call_id = row.get("id") if isinstance(row, Row) else row.call_id
    if not call_id:
        if isinstance(row, _Broken):
            return row.error(source)
        return ReadError(source, row.line, "empty call id", ReadErrorKind.SHAPE)
    call = calls.get(call_id)
    if call is None:  # its metadata from its first row (a later row fills what is empty)
        meta = row.meta() if isinstance(row, Row) else {}
        call = calls[call_id] = _Call(row.line, meta)
    if isinstance(row, _Broken):
        call.fail(row.line, row.bad.message, row.bad.kind)
    else:
        call.add(row, default_role)
    return call


def read_call_rows(rows: Iterator[_Record], source: str, default_role: Role) -> Iterator[Item]:
    first_row: dict[str, int] = {}
    for row in rows:
        if isinstance(row, _Broken):
            yield row.error(source)
            continue
        call_id, text = row.get("id"), row.get("transcript")
        if not call_id:
            yield ReadError(source, row.line, "empty call id", ReadErrorKind.SHAPE)
        elif call_id in first_row:
            message = f"duplicate call id {call_id!r} (first in row {first_row[call_id]})"
            yield ReadError(source, row.line, message, ReadErrorKind.SHAPE)
        elif not text:
            message = f"empty transcript (call {call_id!r})"
            yield ReadError(source, row.line, message, ReadErrorKind.SHAPE)
        else:
            first_row[call_id] = row.line
            parsed = parse_text(text, transcript_id=call_id, default_role=default_role)
            meta = MappingProxyType(row.meta())
            yield replace(parsed, meta=meta, source=source, line=row.line)


def read_rows(rows: Rows, ctx: Context) -> Iterator[Item]:
    """The calls of a table's rows; never raises for bad input. ``ctx.columns`` maps fields
    to headers (see `parse_column_mapping`); ``ctx.default_role`` is the role of every turn
    when the table has no role column, and of unlabelled text in a transcript column."""
    try:
        yield from _read(rows, ctx)
    except TableError as err:
        yield ReadError(ctx.source, err.line, err.message, err.kind)
    except OSError as err:
        yield ReadError(ctx.source, None, f"cannot read: {os_reason(err)}", os_kind(err))


def _unsaved_formula(line: int, cells: FormulaCells, columns: Columns) -> BadRow | None:
    """A row whose formula without a saved value stands in a column the table reads."""
    found = sorted(
        (column, cells.formulas[column])
        for column in columns.index.values()
        if column in cells.formulas
    )
    if not found:
        return None
    column, formula = found[0]
    shown = f"={formula}" if formula else "a shared formula"
    message = (
        f"cell {column_letters(column)}{line} holds a formula whose value was never saved "
        f"({shown}): open and save the file in Excel or LibreOffice, or paste the values"
    )
    return BadRow(line, message, ReadErrorKind.FORMULA, cells)


def _record(row: tuple[int, tuple[str, ...]] | BadRow, columns: Columns) -> _Record:
    if isinstance(row, BadRow):
        return _Broken(row, Row(row.line, row.cells, columns).get("id"))
    line, cells = row
    if type(cells) is FormulaCells:
        bad = _unsaved_formula(line, cells, columns)
        if bad is not None:
            return _Broken(bad, Row(line, cells, columns).get("id"))
    return Row(line, cells, columns)


def _read(rows: Rows, ctx: Context) -> Iterator[Item]:
    filled = (row for row in rows if isinstance(row, BadRow) or any(row[1]))
    located = header_columns(filled, dict(ctx.columns))
    records = (
        Row(row[0], row[1], located)  # the usual row, built here: a call less a row
        if type(row) is tuple and type(row[1]) is tuple
        else _record(row, located)
        for row in filled
    )
    read_layout = read_turn_rows if located.layout == "turns" else read_call_rows
    yield from read_layout(records, ctx.source, ctx.default_role)
