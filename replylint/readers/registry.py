"""Formats: which format a file is read as, by its suffix or sniffed from its first line."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final

from replylint.model import ReadError
from replylint.readers.base import Context, FormatName, Item
from replylint.readers.decoding import Decoded, DecodeError, decode_document, decode_line
from replylint.readers.jsondoc import read_json
from replylint.readers.jsonl import read_jsonl
from replylint.readers.text import read_text

SUFFIX_FORMATS: Final[Mapping[str, FormatName]] = MappingProxyType(
    {".jsonl": "jsonl", ".json": "json", ".txt": "text"}
)


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def format_of_first_line(line: str) -> FormatName:
    """Sniff the format from the first non-blank line (see the module docstring)."""
    stripped = line.strip().removeprefix("\ufeff")
    after_bracket = stripped[1:].lstrip()
    if stripped.startswith("["):
        return "json" if after_bracket[:1] in ("", "{", "]") else "text"
    if stripped.startswith("{"):
        if _is_json_object(stripped):
            return "jsonl"
        return "json" if after_bracket[:1] in ("", '"', "}") else "text"
    return "text"


def _sniff_text(text: str) -> FormatName:
    first = next((line for line in text.split("\n") if line.strip()), "")
    return format_of_first_line(first)


def decode_leniently(raw: bytes, encoding: str | None) -> str:
    """Best-effort decoding for sniffing only; real decoding errors are reported later."""
    try:
        return decode_line(raw, encoding)
    except DecodeError:
        pass
    try:
        return raw.decode(encoding or "utf-8", errors="replace").removeprefix("\ufeff")
    except UnicodeError:
        return raw.decode("latin-1")  # never fails; only the first character matters here


def _read_decoded(decoded: Decoded, fmt: FormatName, ctx: Context) -> Iterator[Item]:
    if fmt == "jsonl":
        numbered = enumerate(decoded.text.split("\n"), 1)
        yield from read_jsonl(numbered, ctx, decoded.bad_lines)
    elif fmt == "json":
        yield from read_json(decoded, ctx)
    else:
        yield read_text(decoded, ctx)


def read_whole(data: bytes, fmt: FormatName | None, ctx: Context) -> Iterator[Item]:
    try:
        decoded = decode_document(data, ctx.encoding)
    except DecodeError as err:
        yield ReadError(ctx.source, err.line, err.message)
        return
    yield from _read_decoded(decoded, fmt or _sniff_text(decoded.text), ctx)


TABLE_SUFFIXES: Final = (".csv", ".tsv", ".xlsx", ".xlsm")
# Inside a folder: the transcript formats and spreadsheet exports; .tsv only when named,
# so a folder's notes (like corpus/expected.tsv) are not taken for calls.
FOLDER_SUFFIXES: Final = (*SUFFIX_FORMATS, ".csv", ".xlsx", ".xlsm")


def format_of_head(head: bytes, encoding: str | None) -> FormatName:
    """The format of a line too long to keep, from its first bytes."""
    start = decode_leniently(head, encoding).lstrip().removeprefix("\ufeff")[:1]
    formats: Mapping[str, FormatName] = {"{": "jsonl", "[": "json"}
    return formats.get(start, "text")
