"""JSONL: one transcript object per line, read a line at a time."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from replylint.model import ReadError
from replylint.readers.base import Context, Item
from replylint.readers.decoding import DecodeError, decode_line
from replylint.readers.limits import too_long_message
from replylint.readers.objects import (
    build_transcript,
    may_hold_surrogates,
    syntax_message,
    too_deep_message,
)

_NO_BAD_LINES: Final[Mapping[int, str]] = MappingProxyType({})


def _jsonl_record(line: str, number: int, ctx: Context) -> Item:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return ReadError(ctx.source, number, syntax_message(err, "line"))
    except RecursionError:
        return ReadError(ctx.source, number, too_deep_message())
    except ValueError as err:  # e.g. huge integers
        return ReadError(ctx.source, number, f"invalid JSON: {err}")
    repair = may_hold_surrogates(line)
    return build_transcript(obj, ctx.source, number, f"{ctx.stem}:{number}", repair=repair)


def _jsonl_line(
    raw: bytes | str, number: int, ctx: Context, bad_lines: Mapping[int, str]
) -> ReadError | str:
    """The text of one JSONL line, or the error that it cannot be read."""
    if isinstance(raw, str):
        problem = bad_lines.get(number)
        return raw if problem is None else ReadError(ctx.source, number, problem)
    size = len(raw) - raw.endswith(b"\n")
    if size > ctx.limits.line_bytes:
        return ReadError(ctx.source, number, too_long_message(size, ctx.limits.line_bytes))
    try:
        return decode_line(raw, ctx.encoding)
    except DecodeError as err:
        return ReadError(ctx.source, number, err.message)


def read_jsonl(
    numbered: Iterable[tuple[int, bytes | str]],
    ctx: Context,
    bad_lines: Mapping[int, str] = _NO_BAD_LINES,
) -> Iterator[Item]:
    for number, raw in numbered:
        line = _jsonl_line(raw, number, ctx, bad_lines)
        if isinstance(line, ReadError):
            yield line
        elif line.strip():
            yield _jsonl_record(line, number, ctx)
