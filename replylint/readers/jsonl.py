"""JSONL: one transcript object per line, read a line at a time."""

from __future__ import annotations

import json

from replylint.model import ReadError, ReadErrorKind
from replylint.readers.base import Context, Item, LineFormat
from replylint.readers.objects import (
    build_transcript,
    may_hold_surrogates,
    syntax_message,
    too_deep_message,
)


def sniff(line: str, cut: bool) -> bool:
    """A line that is a whole JSON object; a line too long to hold that opens one."""
    return line.startswith("{") and (cut or _is_json_object(line))


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def read_line(line: str, number: int, ctx: Context) -> Item:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return ReadError(ctx.source, number, syntax_message(err, "line"), ReadErrorKind.JSON_SYNTAX)
    except RecursionError:
        return ReadError(ctx.source, number, too_deep_message(), ReadErrorKind.OVER_LIMIT)
    except ValueError as err:  # past Python's limit on the digits of an integer
        return ReadError(ctx.source, number, f"invalid JSON: {err}", ReadErrorKind.OVER_LIMIT)
    repair = may_hold_surrogates(line)
    fallback = f"{ctx.stem}:{number}"
    return build_transcript(obj, ctx.source, number, fallback, repair=repair, json_text=line)


FORMAT = LineFormat(name="jsonl", suffixes=(".jsonl",), sniff=sniff, read_line=read_line)
