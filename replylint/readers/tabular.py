"""Tables: CSV and XLSX exports of call-centre systems, read into transcripts; never raises.

Layouts, decided from the header row (the first non-empty row)
    one row per turn  columns id, role and text, plus optional turn order, start, end and
                      metadata. Rows are grouped into calls by id wherever they stand in the
                      file: calls come out in first-seen order, turns in row order, or by the
                      turn column (序号, 轮次) when there is one.
    one row per call  columns id and transcript, the transcript in the plain-text format of
                      `replylint.readers.parse_text`.
    A text column means one row per turn, even when there is a transcript column too.

Headers are recognised from `COLUMN_ALIASES`, ignoring case, width, spaces, punctuation and
traditional characters (通話ID = 通话id = Call ID). An explicit ``columns`` mapping (field ->
header) wins over recognition; mapping a field to "" ignores that column.

Values
    Metadata (agent, agent_name, team, region, date, channel, industry, direction) goes into
    ``Transcript.meta`` from the first row of a call that fills each; later rows that
    disagree are ignored. A missing role column gives every turn ``default_role``; an
    empty role cell is an error. ``start`` and ``end`` are milliseconds or
    ``[hh:]mm:ss[.fff]`` clock times.

CSV: encodings are detected as for every text input (see `replylint.readers.decoding`: UTF-8,
UTF-16 with a BOM, GB18030 or Big5); ``encoding=`` forces one codec. The delimiter
is whichever of comma, tab and semicolon the header line has most of. Row numbers in errors
are the lines where records start.

XLSX: the first sheet only. Whole numbers read as integers (Excel stores the id 1001 as
1001.0), dates as ``YYYY-MM-DD``.

Errors are yielded in-stream as `ReadError` with the file and row: a bad row fails its call
(one row per turn) or itself (one row per call); every other call is still read. A table
whose columns cannot be found is one error listing the headers found and the names expected.

Memory: one-row-per-call tables stream. One-row-per-turn tables hold every call until the
end of the table, since the rows of a call may stand anywhere in it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Final, Literal

from replylint.model import ReadError, Role, Transcript, Turn
from replylint.normalize import fold_phrase
from replylint.readers.decoding import DecodeError, check_encoding, decode_document
from replylint.readers.registry import TABLE_SUFFIXES
from replylint.readers.roles import parse_role
from replylint.readers.text import parse_text

__all__ = [
    "COLUMN_ALIASES",
    "FIELDS",
    "META_FIELDS",
    "TABLE_SUFFIXES",
    "parse_column_mapping",
    "read_table",
]

COLUMN_ALIASES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "id": ("通话ID", "会话ID", "通话编号", "会话编号", "工单号", "call_id", "id"),
        "role": ("角色", "说话人", "说话方", "role", "speaker"),
        "text": ("内容", "文本", "话术", "text", "content"),
        "turn": ("序号", "轮次", "turn", "seq", "order"),
        "start": ("开始时间", "start"),
        "end": ("结束时间", "end"),
        "agent": ("坐席工号", "工号", "agent_id", "agent"),
        "agent_name": ("坐席姓名", "agent_name"),
        "team": ("班组", "team"),
        "region": ("区域", "地区", "region"),
        "date": ("日期", "通话日期", "date"),
        "channel": ("渠道", "channel"),
        # What industry and area rules read (profiles.py): 行业 = 电力, 呼叫类型 = 外呼.
        "industry": ("行业", "业务类型", "industry"),
        "direction": ("呼叫类型", "呼叫方向", "通话类型", "direction"),
        "transcript": ("对话内容", "transcript"),
    }
)
FIELDS: Final = tuple(COLUMN_ALIASES)
META_FIELDS: Final = (
    "agent", "agent_name", "team", "region", "date", "channel", "industry", "direction"
)  # fmt: skip

_Item = Transcript | ReadError
_Layout = Literal["turns", "calls"]
_HEADER_SEARCH_ROWS: Final = 5  # Excel exports often put a title row or two above the header
_CSV_DELIMITERS: Final = (",", "\t", ";")
_MILLISECONDS: Final = re.compile(r"\d+(?:\.\d+)?")
_CLOCK: Final = re.compile(r"(?:(?P<h>\d+):)?(?P<m>\d{1,2}):(?P<s>\d{1,2})(?:[.,](?P<f>\d{1,3}))?")


class _TableError(Exception):
    """The whole table (or the rest of it) cannot be read."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _RowError(Exception):
    """One row cannot be read; the message says why."""


# --------------------------------------------------------------------------- column mapping


def parse_column_mapping(spec: str) -> dict[str, str]:
    """``"id=通话ID,role=角色,text=内容"`` -> ``{"id": "通话ID", ...}``.

    Items are separated by commas (either width); ``field=`` with nothing after it ignores
    that column. Raises ValueError for a malformed item, an unknown or a repeated field.
    """
    mapping: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in re.split("[,，]", spec))):
        name, equals, header = item.partition("=")
        name = name.strip().casefold()
        if not equals or not name:
            raise ValueError(f"bad column mapping {item!r}: expected FIELD=HEADER, e.g. id=通话ID")
        if name not in COLUMN_ALIASES:
            raise ValueError(f"unknown field {name!r} in column mapping; fields: {_field_list()}")
        if name in mapping:
            raise ValueError(f"field {name!r} is mapped twice in the column mapping")
        mapping[name] = header.strip()
    if not mapping:
        raise ValueError("empty column mapping: expected FIELD=HEADER items, e.g. id=通话ID")
    return mapping


def _field_list() -> str:
    return ", ".join(FIELDS)


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where each field stands in a row (0-based column index), and what a row is."""

    index: Mapping[str, int]
    layout: _Layout


def _explicit_columns(
    headers: tuple[str, ...], explicit: Mapping[str, str], line: int
) -> dict[str, int]:
    folded = [fold_phrase(header) for header in headers]
    index: dict[str, int] = {}
    for name, header in explicit.items():
        if name not in COLUMN_ALIASES:
            raise _TableError(
                None, f"unknown field {name!r} in column mapping; fields: {_field_list()}"
            )
        if not header:
            continue
        try:
            index[name] = folded.index(fold_phrase(header))
        except ValueError:
            found = ", ".join(headers)
            raise _TableError(
                line, f"no column {header!r} (for {name}); headers: {found}"
            ) from None
    return index


def _recognised_columns(
    headers: tuple[str, ...], taken: set[str], used: set[int]
) -> dict[str, int]:
    """The first header matching each field that the explicit mapping left open."""
    index: dict[str, int] = {}
    for name, aliases in COLUMN_ALIASES.items():
        if name in taken:
            continue
        wanted = {fold_phrase(alias) for alias in aliases}
        position = next(
            (i for i, h in enumerate(headers) if i not in used and fold_phrase(h) in wanted), None
        )
        if position is not None:
            index[name] = position
            used.add(position)
    return index


def _expected(name: str) -> str:
    return f"{name}: {', '.join(COLUMN_ALIASES[name])}"


def _missing_columns(headers: tuple[str, ...], index: Mapping[str, int]) -> str | None:
    """Why these columns are not a table of calls, or None when they are."""
    missing = [] if "id" in index else [_expected("id")]
    if "text" not in index and "transcript" not in index:
        missing.append(f"{_expected('text')} (one row per turn)")
        missing.append(f"or {_expected('transcript')} (one row per call)")
    if not missing:
        return None
    return (
        f"cannot find the call id and text columns; headers found: {', '.join(headers)}; "
        f"expected {'; '.join(missing)}; or give a column mapping such as id=编号,text=说明"
    )


def _locate_columns(headers: tuple[str, ...], explicit: Mapping[str, str], line: int) -> _Columns:
    index = _explicit_columns(headers, explicit, line)
    index.update(_recognised_columns(headers, set(explicit), set(index.values())))
    problem = _missing_columns(headers, index)
    if problem is not None:
        raise _TableError(line, problem)
    return _Columns(MappingProxyType(index), "turns" if "text" in index else "calls")


# --------------------------------------------------------------------------- raw rows


def _cell_text(value: object) -> str:
    """A cell as text: whole floats as integers, dates as ISO dates, times as clock times."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return _temporal_text(value)
    return str(value).strip()


def _temporal_text(value: dt.date | dt.time | dt.timedelta) -> str:
    if isinstance(value, dt.timedelta):
        return _clock(round(value.total_seconds() * 1000))
    if isinstance(value, dt.time):
        return value.isoformat(timespec="milliseconds")
    if isinstance(value, dt.datetime):
        # Excel has no date type: a date cell is a datetime at midnight.
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    return value.isoformat()


def _clock(milliseconds: int) -> str:
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _decode(data: bytes, encoding: str | None) -> str:
    problem = None if encoding is None else check_encoding(encoding)
    if problem is not None:
        raise _TableError(None, problem)
    try:
        decoded = decode_document(data, encoding)
    except DecodeError as err:
        raise _TableError(err.line, err.message) from None
    if decoded.bad_lines:  # a row may span lines: the table stops at its first bad line
        line = min(decoded.bad_lines)
        raise _TableError(line, decoded.bad_lines[line])
    return decoded.text


def _delimiter(text: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    first_line = text.split("\n", 1)[0]
    return max(_CSV_DELIMITERS, key=first_line.count)  # ties: the comma, listed first


def _csv_rows(path: Path, encoding: str | None) -> Iterator[tuple[int, tuple[str, ...]]]:
    text = _decode(path.read_bytes(), encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, path.suffix))
    line = 1
    try:
        for row in reader:
            yield line, tuple(cell.strip() for cell in row)
            line = reader.line_num + 1
    except csv.Error as err:
        raise _TableError(line, f"malformed CSV: {err}") from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, tuple[str, ...]]]:
    # openpyxl raises a wide variety of exceptions for damaged files (zip, XML, key and value
    # errors); any of them means "cannot read this workbook", never a crash of the batch.
    try:
        import openpyxl  # noqa: PLC0415 - 0.15 s to import: only when a workbook is read

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception as err:
        raise _TableError(None, f"cannot read as an XLSX workbook: {err}") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size; read every row there is
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, tuple(_cell_text(value) for value in values)
    except Exception as err:
        raise _TableError(None, f"cannot read the XLSX workbook: {err}") from None
    finally:
        workbook.close()


def _table_rows(path: Path, encoding: str | None) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Numbered rows with at least one non-empty cell."""
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise _TableError(None, "legacy .xls workbooks are not supported; save as .xlsx or .csv")
    if suffix not in TABLE_SUFFIXES:
        expected = ", ".join(sorted(TABLE_SUFFIXES))
        raise _TableError(None, f"not a table file: expected one of {expected}")
    rows = _xlsx_rows(path) if suffix in {".xlsx", ".xlsm"} else _csv_rows(path, encoding)
    return ((line, cells) for line, cells in rows if any(cells))


# --------------------------------------------------------------------------- cells to values


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: tuple[str, ...]
    columns: _Columns

    def get(self, name: str) -> str:
        position = self.columns.index.get(name)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position]

    def meta(self) -> dict[str, str]:
        return {name: value for name in META_FIELDS if (value := self.get(name))}


def _milliseconds(row: _Row, name: str) -> int | None:
    value = row.get(name)
    if not value:
        return None
    if _MILLISECONDS.fullmatch(value):
        return round(float(value))
    clock = _CLOCK.fullmatch(value)
    if clock is None:
        raise _RowError(f"bad {name} time {value!r}: expected milliseconds or [hh:]mm:ss")
    hours, minutes, seconds = (int(clock[part] or 0) for part in ("h", "m", "s"))
    fraction = int((clock["f"] or "0").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction


def _role(row: _Row, default_role: Role) -> Role:
    if "role" not in row.columns.index:
        return default_role
    label = row.get("role")
    if not label:
        raise _RowError("empty role")
    role = parse_role(label)
    if role is None:
        raise _RowError(f"unknown role {label!r}")
    return role


def _turn_number(row: _Row) -> float:
    if "turn" not in row.columns.index:
        return 0.0
    value = row.get("turn")
    try:
        return float(value)
    except ValueError:
        raise _RowError(f"bad turn number {value!r}") from None


def _turn(row: _Row, default_role: Role) -> Turn:
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
    problems: list[tuple[int, str]] = field(default_factory=list)

    def add(self, row: _Row, default_role: Role) -> None:
        for key, value in row.meta().items():  # a value the first row left empty
            self.meta.setdefault(key, value)
        try:
            order = (_turn_number(row), row.line)
            self.turns.append((order, _turn(row, default_role)))
        except _RowError as err:
            self.problems.append((row.line, str(err)))

    def finish(self, call_id: str, source: str) -> _Item:
        if self.problems:
            (line, first), *others = self.problems
            also = "".join(f"; also row {n}: {why}" for n, why in others)
            return ReadError(source, line, f"{first} (call {call_id!r} not read{also})")
        turns = tuple(turn for _, turn in sorted(self.turns, key=lambda item: item[0]))
        return Transcript(call_id, turns, MappingProxyType(self.meta), source, self.line)


def _read_turn_rows(rows: Iterator[_Row], source: str, default_role: Role) -> Iterator[_Item]:
    calls: dict[str, _Call] = {}
    for row in rows:
        call_id = row.get("id")
        if not call_id:
            yield ReadError(source, row.line, "empty call id")
            continue
        call = calls.setdefault(call_id, _Call(row.line, row.meta()))
        call.add(row, default_role)
    for call_id, call in calls.items():
        yield call.finish(call_id, source)


def _read_call_rows(rows: Iterator[_Row], source: str, default_role: Role) -> Iterator[_Item]:
    first_row: dict[str, int] = {}
    for row in rows:
        call_id, text = row.get("id"), row.get("transcript")
        if not call_id:
            yield ReadError(source, row.line, "empty call id")
        elif call_id in first_row:
            message = f"duplicate call id {call_id!r} (first in row {first_row[call_id]})"
            yield ReadError(source, row.line, message)
        elif not text:
            yield ReadError(source, row.line, f"empty transcript (call {call_id!r})")
        else:
            first_row[call_id] = row.line
            parsed = parse_text(text, transcript_id=call_id, default_role=default_role)
            meta = MappingProxyType(row.meta())
            yield replace(parsed, meta=meta, source=source, line=row.line)


# --------------------------------------------------------------------------- entry point


def _header_columns(
    rows: Iterator[tuple[int, tuple[str, ...]]], columns: Mapping[str, str]
) -> _Columns:
    """The columns of the first row that names them; title rows above the header are skipped."""
    first_error: _TableError | None = None
    for line, headers in itertools.islice(rows, _HEADER_SEARCH_ROWS):
        try:
            return _locate_columns(headers, columns, line)
        except _TableError as err:
            first_error = first_error or err
    raise first_error or _TableError(None, "empty table: no header row")


def _read(
    path: Path, columns: Mapping[str, str], encoding: str | None, default_role: Role
) -> Iterator[_Item]:
    rows = _table_rows(path, encoding)
    located = _header_columns(rows, columns)
    records = (_Row(line, cells, located) for line, cells in rows)
    read_rows = _read_turn_rows if located.layout == "turns" else _read_call_rows
    yield from read_rows(records, str(path), default_role)


def read_table(
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    default_role: Role = Role.AGENT,
) -> Iterator[Transcript | ReadError]:
    """Read a ``.csv``/``.tsv``/``.xlsx``/``.xlsm`` table of calls. Never raises for bad input.

    ``columns`` maps fields (`FIELDS`) to headers, e.g. from `parse_column_mapping`;
    ``encoding`` forces a CSV codec; ``default_role`` is the role of every turn when the
    table has no role column, and of unlabelled text in a transcript column.
    """
    path = Path(path)
    try:
        yield from _read(path, columns or {}, encoding, default_role)
    except _TableError as err:
        yield ReadError(str(path), err.line, err.message)
    except OSError as err:
        yield ReadError(str(path), None, f"cannot read: {err.strerror or err}")
