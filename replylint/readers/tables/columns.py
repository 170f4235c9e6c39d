"""Table headers: which column holds which field, recognised or mapped explicitly."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from replylint.model import ReadErrorKind
from replylint.readers.fields import COLUMN_ALIASES, FIELDS
from replylint.readers.tables.base import BadRow, Rows, TableError
from replylint.text.normalize import fold_phrase

_Layout = Literal["turns", "calls"]
_HEADER_SEARCH_ROWS: Final = 5  # Excel exports often put a title row or two above the header


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
class Columns:
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
            message = f"unknown field {name!r} in column mapping; fields: {_field_list()}"
            raise TableError(None, message, ReadErrorKind.COLUMNS)
        if not header:
            continue
        try:
            index[name] = folded.index(fold_phrase(header))
        except ValueError:
            found = ", ".join(headers)
            message = f"no column {header!r} (for {name}); headers: {found}"
            raise TableError(line, message, ReadErrorKind.COLUMNS) from None
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


def _check_unambiguous(headers: tuple[str, ...], index: Mapping[str, int], line: int) -> None:
    """A column read as a field must be the only one of its header: of two 内容 columns,
    reading either would silently drop the other."""
    folded = [fold_phrase(header) for header in headers]
    for name, position in index.items():
        twins = [i + 1 for i, header in enumerate(folded) if header == folded[position]]
        if len(twins) > 1:
            message = (
                f"{len(twins)} columns are headed {headers[position]!r} (columns "
                f"{', '.join(map(str, twins))}), read as {name}: which one is meant? "
                "Rename all but one"
            )
            raise TableError(line, message, ReadErrorKind.DUPLICATE)


def _locate_columns(headers: tuple[str, ...], explicit: Mapping[str, str], line: int) -> Columns:
    index = _explicit_columns(headers, explicit, line)
    index.update(_recognised_columns(headers, set(explicit), set(index.values())))
    problem = _missing_columns(headers, index)
    if problem is not None:
        raise TableError(line, problem, ReadErrorKind.COLUMNS)
    _check_unambiguous(headers, index, line)
    return Columns(MappingProxyType(index), "turns" if "text" in index else "calls")


def names_calls(headers: tuple[str, ...]) -> bool:
    """Whether a row of headers names a table of calls: its id and text (or transcript)."""
    index = _recognised_columns(headers, set(), set())
    return _missing_columns(headers, index) is None


def header_columns(rows: Rows, columns: Mapping[str, str]) -> Columns:
    """The columns of the first row that names them; title rows above the header are
    skipped. A row that cannot be read before the header is found stops the table."""
    first_error: TableError | None = None
    for row in itertools.islice(rows, _HEADER_SEARCH_ROWS):
        if isinstance(row, BadRow):
            raise TableError(row.line, row.message, row.kind)
        line, headers = row
        try:
            return _locate_columns(headers, columns, line)
        except TableError as err:
            first_error = first_error or err
    raise first_error or TableError(None, "empty table: no header row", ReadErrorKind.COLUMNS)
