"""Units: pieces of input that can be read on their own, in order, in this process or a
worker. `read_paths` reads the units one after another; the batch linter hands them to
worker processes, so both give the same items in the same order."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Final

from replylint.model import ReadError, Transcript
from replylint.readers.base import Context, FormatName, Item
from replylint.readers.jsonl import read_jsonl
from replylint.readers.limits import within_limits
from replylint.readers.registry import read_whole
from replylint.readers.tables import read_table

UNIT_BYTES: Final = 1 << 20  # JSONL lines per unit: about a megabyte


@dataclass(frozen=True, slots=True)
class ReadUnit:
    """A piece of input that `read_unit` reads on its own; picklable.

    Exactly one of: ``span`` (a byte range of a JSONL file: path, start, end, number of
    its first line), ``lines`` (numbered JSONL lines, from stdin), ``data`` (a whole file
    or stdin, with its format or None to sniff), ``table`` (a CSV/XLSX file), ``error``.
    """

    ctx: Context
    span: tuple[str, int, int, int] | None = None
    lines: tuple[tuple[int, bytes], ...] = ()
    data: bytes | None = None
    fmt: FormatName | None = None
    table: str | None = None
    error: ReadError | None = None

    @property
    def size(self) -> int:
        """Bytes of input this unit stands for: what progress is counted in."""
        if self.span is not None:
            return self.span[2] - self.span[1]
        if self.data is not None:
            return len(self.data)
        if self.table is not None:
            with contextlib.suppress(OSError):
                return os.path.getsize(self.table)
        return sum(len(raw) for _, raw in self.lines)


def read_unit(unit: ReadUnit) -> Iterator[Transcript | ReadError]:
    """The transcripts of one unit, in order, each within the unit's `Limits`, or the
    errors that say why not."""
    limits = unit.ctx.limits
    for item in _unit_items(unit):
        yield item if isinstance(item, ReadError) else within_limits(item, limits)


def _unit_items(unit: ReadUnit) -> Iterator[Item]:
    if unit.error is not None:
        yield unit.error
    elif unit.table is not None:
        yield from _table_items(unit.table, unit.ctx)
    elif unit.data is not None:
        yield from read_whole(unit.data, unit.fmt, unit.ctx)
    elif unit.span is not None:
        yield from _read_span(unit.span, unit.ctx)
    else:
        yield from read_jsonl(unit.lines, unit.ctx)


def _table_items(path: str, ctx: Context) -> Iterator[Item]:
    items = read_table(
        path,
        columns=dict(ctx.columns) or None,
        encoding=ctx.encoding,
        default_role=ctx.default_role,
    )
    for item in items:  # named as the file is shown (see `_shown`), not as it is opened
        yield item if item.source == ctx.source else replace(item, source=ctx.source)


def _read_span(span: tuple[str, int, int, int], ctx: Context) -> Iterator[Item]:
    path, start, end, first_line = span
    try:
        with open(path, "rb") as file:
            file.seek(start)
            data = file.read(end - start)
    except OSError as err:
        yield ReadError(ctx.source, first_line, f"cannot read file: {os_reason(err)}")
        return
    # The same lines as iterating the file: each keeps its b"\n", the last may lack one.
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    yield from read_jsonl(enumerate(lines, first_line), ctx)


def os_reason(err: OSError) -> str:
    return err.strerror or str(err)
