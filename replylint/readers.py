"""Readers: turn files into `Transcript` objects, streaming, never dropping anything silently.

Every problem (missing path, unreadable or undecodable file, malformed JSON, invalid
transcript) is yielded in-stream as a `ReadError`; reading then goes on with the next
transcript or file. Nothing here raises for bad input.

Formats
    ``.jsonl``  one transcript object per line, streamed line by line.
    ``.json``   one transcript object, or a list of them.
    ``.txt``    the plain-text format of `parse_text`; one transcript per file.
    Other suffixes (given explicitly) and stdin are sniffed from the first non-blank line:
    a complete JSON object -> JSONL; ``{`` opening a multi-line object, or ``[`` followed by
    ``{``/``]``/end of line -> JSON; anything else -> text (so ``[00:01] 客服：…`` is text).

Encodings (auto-detected unless ``encoding=`` forces one codec)
    1. UTF-8, with or without BOM;
    2. UTF-16, only when the data starts with a UTF-16 BOM;
    3. GB18030 (a superset of GBK and GB2312).
    JSONL is decided per line (UTF-8, then GB18030) so one bad line loses only itself;
    UTF-16 data (or a forced non-ASCII-compatible codec) is decoded whole, since its lines
    cannot be split on the byte ``\\n``. Undecodable data is reported with the line of its
    first bad byte (for the codec that got furthest, the likeliest intended one).

Indices in error messages are 0-based, as in the JSON arrays they point into:
``transcript #3`` is the fourth element of a JSON list, ``turn 0`` the first turn.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import json
import math
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO, Final, Literal

from replylint.model import ReadError, Role, Transcript, Turn

__all__ = [
    "TABLE_SUFFIXES",
    "ReadUnit",
    "input_size",
    "parse_role",
    "parse_text",
    "parse_transcript_obj",
    "read_path",
    "read_paths",
    "read_unit",
    "read_units",
]

_Item = Transcript | ReadError
_Format = Literal["jsonl", "json", "text"]

# --------------------------------------------------------------------------- roles

_ROLE_WORDS: Final[Mapping[Role, tuple[str, ...]]] = MappingProxyType(
    {
        Role.AGENT: (
            "agent", "坐席", "座席", "客服", "话务员", "話務員", "工作人员", "工作人員",
            "客服人员", "客服人員", "人工客服", "客服代表",
        ),
        Role.CUSTOMER: (
            "customer", "user", "client", "客户", "客戶", "用户", "用戶", "顾客", "顧客",
            "来电人", "來電人", "来电者", "來電者", "客人",
        ),
        Role.SYSTEM: ("system", "ivr", "系统", "系統"),
    }
)  # fmt: skip
_ROLE_BY_WORD: Final[Mapping[str, Role]] = MappingProxyType(
    {word: role for role, words in _ROLE_WORDS.items() for word in words}
)


def _fold(label: str) -> str:
    """NFKC folds full-width latin (ＡＧＥＮＴ) and brackets (（［) to ASCII; casefold the rest."""
    return unicodedata.normalize("NFKC", label).strip().casefold()


@lru_cache(maxsize=4096)  # exports repeat a handful of labels millions of times
def parse_role(label: str) -> Role | None:
    """The role a speaker label names (``坐席``, ``客戶``, ``Agent``…), or None if unknown."""
    return _ROLE_BY_WORD.get(_fold(label))


# --------------------------------------------------------------------------- plain text

# Longest words first, so 客服人员 wins over 客服 + suffix (same role, but a cleaner match).
_ROLE_ALTERNATION = "|".join(sorted(map(re.escape, _ROLE_BY_WORD), key=len, reverse=True))
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A suffix naming the speaker. An id may start with a letter only after a CJK role word,
# so "users:" or "user id:" are not labels while 客服A12, agent-7 and agent 7 are.
_ID_SUFFIX = r"(?<![a-z])[0-9a-z#_-]{1,12}|\s?[#_-]?[0-9][0-9a-z#_-]{0,11}|[#_-][0-9a-z#_-]{1,11}"
_NAME_SUFFIX = rf"[{_CJK}]{{1,3}}"  # 客服小王; longer runs are prose: 客户反映的问题
_BRACKETED = r"\([^()]{1,20}\)|\[[^\[\]]{1,20}\]|【[^【】]{1,20}】|〔[^〔〕]{1,20}〕"
_LABEL: Final = re.compile(
    rf"(?P<role>{_ROLE_ALTERNATION})(?:{_ID_SUFFIX}|{_NAME_SUFFIX})?(?:\s?(?:{_BRACKETED}))?"
)
_MAX_LABEL_CHARS: Final = 40
_SEPARATOR: Final = re.compile(r"[:：]")
_CLOCK = (
    r"(?:(?P<h{n}>\d{{1,2}}):)?(?P<m{n}>\d{{1,2}}):(?P<s{n}>\d{{2}})(?:[.,](?P<frac{n}>\d{{1,3}}))?"
)
# [00:01] or, from ASR, a range: [00:01.2-00:04.5], [00:00:01,200 --> 00:00:04,500].
_TIMESTAMP: Final = re.compile(
    r"(?P<open>[\[［])?\s*"
    + _CLOCK.format(n=0)
    + r"(?:\s*(?:-->|-|–|~|～)\s*"
    + _CLOCK.format(n=1)
    + r")?\s*(?(open)[\]］])\s*"
)
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class _Label:
    role: Role
    content: str
    start_ms: int | None
    end_ms: int | None = None


def _timestamp_ms(match: re.Match[str], clock: int = 0) -> int | None:
    """The start (``clock`` 0) or end (1) of a timestamp, in ms; None if it has none."""
    if match[f"s{clock}"] is None:
        return None
    hours, minutes, seconds = (int(match[f"{g}{clock}"] or 0) for g in ("h", "m", "s"))
    millis = int((match[f"frac{clock}"] or "").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _label_role(label: str) -> Role | None:
    match = _LABEL.fullmatch(_fold(label))
    return None if match is None else _ROLE_BY_WORD[match["role"]]


def _split_label(line: str) -> _Label | None:
    """``[00:01] 客服(1023)：内容`` -> role, content and start; None if the line has no label."""
    stamp = _TIMESTAMP.match(line)
    body = line[stamp.end() :] if stamp else line
    separator = _SEPARATOR.search(body, 0, _MAX_LABEL_CHARS + 1)
    if separator is None:
        return None
    role = _label_role(body[: separator.start()])
    if role is None:
        return None
    content = body[separator.end() :].strip()
    if stamp is None:
        return _Label(role, content, None)
    return _Label(role, content, _timestamp_ms(stamp), _timestamp_ms(stamp, 1))


@dataclass(slots=True)
class _OpenTurn:
    """A turn still collecting continuation lines."""

    role: Role
    lines: list[str]
    start_ms: int | None = None
    end_ms: int | None = None

    def close(self) -> Turn:
        return Turn(self.role, "\n".join(self.lines), self.start_ms, self.end_ms)


def parse_text(
    text: str,
    *,
    transcript_id: str,
    source: str | None = None,
    default_role: Role = Role.AGENT,
) -> Transcript:
    """Parse the plain-text format: one ``角色：内容`` turn per line.

    A line without a label continues the previous turn; unlabelled lines before the first
    label form one `default_role` turn. A text with no label at all (a reply draft, a script)
    becomes one `default_role` turn per non-blank line. Never raises.
    """
    lines = [line.strip() for line in _LINE_BREAK.split(text.removeprefix("\ufeff"))]
    preamble: list[str] = []
    turns: list[_OpenTurn] = []
    for line in filter(None, lines):
        label = _split_label(line)
        if label is not None:
            turns.append(
                _OpenTurn(
                    label.role,
                    [label.content] if label.content else [],
                    label.start_ms,
                    label.end_ms,
                )
            )
        elif turns:
            turns[-1].lines.append(line)
        else:
            preamble.append(line)
    if not turns:  # a draft: each line is a reply of its own
        turns = [_OpenTurn(default_role, [line]) for line in preamble]
    elif preamble:
        turns.insert(0, _OpenTurn(default_role, preamble))
    return Transcript(id=transcript_id, turns=tuple(t.close() for t in turns), source=source)


# --------------------------------------------------------------------------- JSON objects


class _ShapeError(Exception):
    """A transcript object is not shaped as expected; the message says what and where."""


def _kind(value: object) -> str:
    return {type(None): "null", dict: "object"}.get(type(value), type(value).__name__)


def _first_present(obj: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[str, Any] | None:
    return next(((key, obj[key]) for key in keys if key in obj), None)


def _transcript_id(obj: Mapping[str, Any], fallback_id: str) -> str:
    raw = obj.get("id")
    if raw is None:
        return fallback_id
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, str) and raw.strip():
        return raw
    raise _ShapeError(f'"id" must be a non-empty string or an integer, got {_kind(raw)} {raw!r}')


def _turn_role(turn: Mapping[str, Any]) -> Role:
    if "role" not in turn:
        raise _ShapeError('missing "role"')
    raw = turn["role"]
    if not isinstance(raw, str):
        raise _ShapeError(f'"role" must be a string, got {_kind(raw)}')
    role = parse_role(raw)
    if role is None:
        raise _ShapeError(f"unknown role {raw!r}")
    return role


def _turn_text(turn: Mapping[str, Any]) -> str:
    found = _first_present(turn, ("text", "content", "words"))
    if found is None:
        raise _ShapeError('missing "text"')
    key, raw = found
    if not isinstance(raw, str):
        raise _ShapeError(f'"{key}" must be a string, got {_kind(raw)}')
    return raw


def _turn_time(turn: Mapping[str, Any], keys: tuple[str, ...]) -> int | None:
    found = _first_present(turn, keys)
    if found is None or found[1] is None:
        return None
    key, raw = found
    # bool is an int subclass; true/false as a time is a bug upstream, not 1 ms.
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise _ShapeError(f'"{key}" must be a number of milliseconds, got {_kind(raw)}')
    if not math.isfinite(raw) or raw < 0:
        raise _ShapeError(f'"{key}" must be a finite, non-negative number, got {raw!r}')
    return round(raw)


_PLAIN_ROLES: Final[Mapping[str, Role]] = MappingProxyType({role.value: role for role in Role})
_TIME_KEYS: Final = frozenset({"start", "begin", "end"})


def _turn(raw: object) -> Turn:
    # Fast path for the usual shape, {"role": "agent", "text": "..."}; anything else
    # goes through the full checks below, which give the same turn or a clear error.
    if type(raw) is dict and _TIME_KEYS.isdisjoint(raw):
        role, text = raw.get("role"), raw.get("text")
        if type(role) is str and type(text) is str and role in _PLAIN_ROLES:
            return Turn(_PLAIN_ROLES[role], text)
    if not isinstance(raw, dict):
        raise _ShapeError(f"must be an object, got {_kind(raw)}")
    return Turn(
        role=_turn_role(raw),
        text=_turn_text(raw),
        start_ms=_turn_time(raw, ("start", "begin")),
        end_ms=_turn_time(raw, ("end",)),
    )


def _turns(obj: Mapping[str, Any]) -> tuple[Turn, ...]:
    if "turns" not in obj:
        raise _ShapeError('missing "turns"')
    raw = obj["turns"]
    if not isinstance(raw, list):
        raise _ShapeError(f'"turns" must be a list, got {_kind(raw)}')
    turns: list[Turn] = []
    for index, item in enumerate(raw):
        try:
            turns.append(_turn(item))
        except _ShapeError as err:
            raise _ShapeError(f"turn {index}: {err}") from None
    return tuple(turns)


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    raw = obj.get("meta")
    if raw is None:
        return MappingProxyType({})
    if not isinstance(raw, dict):
        raise _ShapeError(f'"meta" must be an object, got {_kind(raw)}')
    return MappingProxyType(raw)


def _describe(transcript_id: str | None, index: int | None) -> str:
    where = "transcript" if index is None else f"transcript #{index}"
    return where if transcript_id is None else f"{where} {transcript_id!r}"


def _build_transcript(
    obj: object, source: str, line: int | None, fallback_id: str, index: int | None = None
) -> _Item:
    transcript_id: str | None = None
    try:
        if not isinstance(obj, dict):
            raise _ShapeError(f"must be a JSON object, got {_kind(obj)}")
        transcript_id = _transcript_id(obj, fallback_id)
        turns, meta = _turns(obj), _meta(obj)
    except _ShapeError as err:
        return ReadError(source, line, f"{_describe(transcript_id, index)}: {err}")
    return Transcript(transcript_id, turns, meta, source=source, line=line)


def parse_transcript_obj(
    obj: object, *, source: str, line: int | None, fallback_id: str
) -> Transcript | ReadError:
    """Validate one decoded JSON transcript ``{"id", "turns": [...], "meta"}``.

    Only ``id``, ``turns`` and ``meta`` are read; other top-level keys are ignored.
    """
    return _build_transcript(obj, source, line, fallback_id)


# --------------------------------------------------------------------------- decoding

_UTF16_BOMS: Final = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_AUTO_LINE_CODECS: Final = ("utf-8", "gb18030")


class _UndecodableError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _is_ascii_compatible(encoding: str) -> bool:
    """Whether lines of this codec can be split on the byte ``\\n`` (false for UTF-16/32)."""
    try:
        return "\n{".encode(encoding) == b"\n{"
    except UnicodeError:  # exotic codecs (idna…) refuse even this
        return False


def _check_encoding(encoding: str) -> str | None:
    """Why `encoding` cannot be used, or None if it can."""
    try:
        b"".decode(encoding)  # also rejects bytes-to-bytes codecs such as base64
        "".encode(encoding)
    except LookupError as err:
        return f"unknown text encoding {encoding!r}: {err}"
    return None


def _whole_codecs(data: bytes, encoding: str | None) -> tuple[str, ...]:
    if encoding is not None:
        return (encoding,)
    if data.startswith(_UTF16_BOMS):
        return ("utf-8", "utf-16", "gb18030")
    return ("utf-8", "gb18030")


def _line_of_offset(data: bytes, offset: int, codec_name: str) -> int:
    try:
        prefix = data[:offset].decode(codec_name, errors="replace")
    except UnicodeError:  # a codec without "replace" support; bytes are close enough
        return data.count(b"\n", 0, offset) + 1
    return prefix.count("\n") + 1


def _undecodable(
    data: bytes, tried: str, failures: list[tuple[str, UnicodeError]]
) -> _UndecodableError:
    located = [(name, err) for name, err in failures if isinstance(err, UnicodeDecodeError)]
    if not located:  # some codecs raise a bare UnicodeError with no position
        return _UndecodableError(None, f"cannot decode as {tried}: {failures[0][1]}")
    # The codec that got furthest is the likeliest intended one: report its first bad byte.
    name, furthest = max(located, key=lambda failure: failure[1].start)
    bad = data[furthest.start : furthest.start + 1].hex()
    return _UndecodableError(
        _line_of_offset(data, furthest.start, name),
        f"cannot decode as {tried}: {furthest.reason} (byte 0x{bad})",
    )


def _decode(data: bytes, codec_names: tuple[str, ...]) -> str:
    """Decode with the first codec that fits; on failure name the line of the first bad byte.

    Plain "utf-8" (not "utf-8-sig") keeps error offsets absolute; the BOM is removed after.
    """
    failures: list[tuple[str, UnicodeError]] = []
    for name in codec_names:
        try:
            return data.decode(name).removeprefix("\ufeff")
        except UnicodeError as err:
            failures.append((name, err))
    raise _undecodable(data, " or ".join(codec_names), failures)


def _decode_line(raw: bytes, encoding: str | None) -> str:
    return _decode(raw, _AUTO_LINE_CODECS if encoding is None else (encoding,))


def _decode_leniently(raw: bytes, encoding: str | None) -> str:
    """Best-effort decoding for sniffing only; real decoding errors are reported later."""
    try:
        return _decode_line(raw, encoding)
    except _UndecodableError:
        pass
    try:
        return raw.decode(encoding or "utf-8", errors="replace").removeprefix("\ufeff")
    except UnicodeError:
        return raw.decode("latin-1")  # never fails; only the first character matters here


# --------------------------------------------------------------------------- formats

_SUFFIX_FORMATS: Final[Mapping[str, _Format]] = MappingProxyType(
    {".jsonl": "jsonl", ".json": "json", ".txt": "text"}
)
_JSON_DECODER: Final = json.JSONDecoder()
_JSON_SPACE: Final = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True, slots=True)
class _Context:
    """Where the bytes come from and how to read them."""

    source: str  # shown in errors and stored on transcripts
    stem: str  # basis for fallback transcript ids
    default_role: Role
    encoding: str | None
    columns: tuple[tuple[str, str], ...] = ()  # field -> column, for CSV/XLSX tables


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except (ValueError, RecursionError):
        return False


def _format_of_first_line(line: str) -> _Format:
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


def _sniff_text(text: str) -> _Format:
    first = next((line for line in text.split("\n") if line.strip()), "")
    return _format_of_first_line(first)


def _sniff_lines(lines: Iterator[bytes], encoding: str | None) -> tuple[_Format, Iterator[bytes]]:
    """Read up to the first non-blank line; give back the format and all lines, unconsumed."""
    consumed: list[bytes] = []
    fmt: _Format = "text"
    for raw in lines:
        consumed.append(raw)
        decoded = _decode_leniently(raw, encoding)
        if decoded.strip():
            fmt = _format_of_first_line(decoded)
            break
    return fmt, itertools.chain(consumed, lines)


def _jsonl_record(line: str, number: int, ctx: _Context) -> _Item:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return ReadError(ctx.source, number, f"invalid JSON: {err.msg} (column {err.colno})")
    except (ValueError, RecursionError) as err:  # e.g. huge integers, absurd nesting
        return ReadError(ctx.source, number, f"invalid JSON: {err}")
    return _build_transcript(obj, ctx.source, number, f"{ctx.stem}:{number}")


def _read_jsonl(numbered: Iterable[tuple[int, bytes | str]], ctx: _Context) -> Iterator[_Item]:
    for number, raw in numbered:
        try:
            line = raw if isinstance(raw, str) else _decode_line(raw, ctx.encoding)
        except _UndecodableError as err:
            yield ReadError(ctx.source, number, err.message)
            continue
        if line.strip():
            yield _jsonl_record(line, number, ctx)


def _skip_json_space(text: str, pos: int) -> int:
    match = _JSON_SPACE.match(text, pos)
    return pos if match is None else match.end()


def _array_elements(text: str, pos: int) -> Iterator[tuple[int, object]]:
    """Yield ``(offset, value)`` for each element of the JSON array opening at ``text[pos]``.

    Decoding element by element gives each transcript its start line, and keeps the
    elements before a syntax error.
    """
    pos = _skip_json_space(text, pos + 1)
    if text.startswith("]", pos):
        pos += 1
    else:
        while True:
            value, end = _JSON_DECODER.raw_decode(text, pos)
            yield pos, value
            pos = _skip_json_space(text, end)
            if text.startswith("]", pos):
                pos += 1
                break
            if not text.startswith(",", pos):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos = _skip_json_space(text, pos + 1)
    _expect_end(text, pos)


def _expect_end(text: str, pos: int) -> None:
    pos = _skip_json_space(text, pos)
    if pos != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)


def _json_transcripts(text: str, ctx: _Context) -> Iterator[_Item]:
    pos = _skip_json_space(text, 0)
    if not text.startswith("[", pos):
        value, end = _JSON_DECODER.raw_decode(text, pos)
        _expect_end(text, end)
        yield _build_transcript(value, ctx.source, text.count("\n", 0, pos) + 1, ctx.stem)
        return
    line, counted_to = 1, 0
    for index, (offset, value) in enumerate(_array_elements(text, pos)):
        line += text.count("\n", counted_to, offset)  # incremental: no quadratic recount
        counted_to = offset
        yield _build_transcript(value, ctx.source, line, f"{ctx.stem}#{index}", index)


def _read_json(text: str, ctx: _Context) -> Iterator[_Item]:
    try:
        yield from _json_transcripts(text, ctx)
    except json.JSONDecodeError as err:
        yield ReadError(ctx.source, err.lineno, f"invalid JSON: {err.msg} (column {err.colno})")
    except (ValueError, RecursionError) as err:
        yield ReadError(ctx.source, None, f"invalid JSON: {err}")


def _read_decoded(text: str, fmt: _Format, ctx: _Context) -> Iterator[_Item]:
    if fmt == "jsonl":
        yield from _read_jsonl(enumerate(text.split("\n"), 1), ctx)
    elif fmt == "json":
        yield from _read_json(text, ctx)
    else:
        transcript = parse_text(
            text, transcript_id=ctx.stem, source=ctx.source, default_role=ctx.default_role
        )
        yield replace(transcript, line=1)


def _read_whole(data: bytes, fmt: _Format | None, ctx: _Context) -> Iterator[_Item]:
    try:
        text = _decode(data, _whole_codecs(data, ctx.encoding))
    except _UndecodableError as err:
        yield ReadError(ctx.source, err.line, err.message)
        return
    yield from _read_decoded(text, fmt or _sniff_text(text), ctx)


# --------------------------------------------------------------------------- units
#
# Reading is split into units: pieces of input that can be read on their own, in order,
# in this process or a worker. `read_paths` reads the units one after another; the batch
# linter hands them to worker processes, so both give the same items in the same order.

TABLE_SUFFIXES: Final = (".csv", ".tsv", ".xlsx", ".xlsm")
# Inside a folder: the transcript formats and spreadsheet exports; .tsv only when named,
# so a folder's notes (like corpus/expected.tsv) are not taken for calls.
_FOLDER_SUFFIXES: Final = (*_SUFFIX_FORMATS, ".csv", ".xlsx", ".xlsm")
UNIT_BYTES: Final = 1 << 20  # JSONL lines per unit: about a megabyte


@dataclass(frozen=True, slots=True)
class ReadUnit:
    """A piece of input that `read_unit` reads on its own; picklable.

    Exactly one of: ``span`` (a byte range of a JSONL file: path, start, end, number of
    its first line), ``lines`` (numbered JSONL lines, from stdin), ``data`` (a whole file
    or stdin, with its format or None to sniff), ``table`` (a CSV/XLSX file), ``error``.
    """

    ctx: _Context
    span: tuple[str, int, int, int] | None = None
    lines: tuple[tuple[int, bytes], ...] = ()
    data: bytes | None = None
    fmt: _Format | None = None
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
    if unit.error is not None:
        yield unit.error
    elif unit.table is not None:
        # tabular builds on this module's text format, so it is imported here, not above
        from replylint.tabular import read_table  # noqa: PLC0415

        ctx = unit.ctx
        yield from read_table(
            unit.table,
            columns=dict(ctx.columns) or None,
            encoding=ctx.encoding,
            default_role=ctx.default_role,
        )
    elif unit.data is not None:
        yield from _read_whole(unit.data, unit.fmt, unit.ctx)
    elif unit.span is not None:
        yield from _read_span(unit.span, unit.ctx)
    else:
        yield from _read_jsonl(unit.lines, unit.ctx)


def _read_span(span: tuple[str, int, int, int], ctx: _Context) -> Iterator[_Item]:
    path, start, end, first_line = span
    try:
        with open(path, "rb") as file:
            file.seek(start)
            data = file.read(end - start)
    except OSError as err:
        yield ReadError(ctx.source, first_line, f"cannot read file: {_os_reason(err)}")
        return
    # The same lines as iterating the file: each keeps its b"\n", the last may lack one.
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    yield from _read_jsonl(enumerate(lines, first_line), ctx)


def _span_units(path: Path, ctx: _Context, unit_bytes: int) -> Iterator[ReadUnit]:
    """Byte ranges of whole lines, about ``unit_bytes`` each: the caller reads each block
    once at C speed to count its lines; the worker reads and parses the range itself."""
    with path.open("rb") as file:
        start, line = 0, 1
        while block := file.read(unit_bytes):
            if not block.endswith(b"\n"):
                block += file.readline()  # finish the last line, however long
            yield ReadUnit(ctx, span=(str(path), start, start + len(block), line))
            start += len(block)
            line += block.count(b"\n")


def _jsonl_units(lines: Iterator[bytes], ctx: _Context, unit_bytes: int) -> Iterator[ReadUnit]:
    chunk: list[tuple[int, bytes]] = []
    size = 0
    for number, raw in enumerate(lines, 1):
        chunk.append((number, raw))
        size += len(raw)
        if size >= unit_bytes:
            yield ReadUnit(ctx, lines=tuple(chunk))
            chunk, size = [], 0
    if chunk:
        yield ReadUnit(ctx, lines=tuple(chunk))


def _stream_units(
    stream: BinaryIO,
    fmt: _Format | None,
    ctx: _Context,
    unit_bytes: int,
    path: Path | None = None,
) -> Iterator[ReadUnit]:
    """Units of one file (``path``) or stdin; `fmt` None means sniff it. JSONL comes in
    pieces: byte ranges of a file, or runs of lines from stdin."""
    byte_lines = iter(stream)
    first = next(byte_lines, b"")
    lines: Iterator[bytes] = itertools.chain([first], byte_lines)
    wide = (
        first.startswith(_UTF16_BOMS)
        if ctx.encoding is None
        else not _is_ascii_compatible(ctx.encoding)
    )
    if wide:  # UTF-16 lines cannot be split on b"\n": decode the whole thing
        yield ReadUnit(ctx, data=b"".join(lines), fmt=fmt)
        return
    if fmt is None:
        fmt, lines = _sniff_lines(lines, ctx.encoding)
    if fmt == "jsonl" and path is not None:
        yield from _span_units(path, ctx, unit_bytes)
    elif fmt == "jsonl":
        yield from _jsonl_units(lines, ctx, unit_bytes)
    else:
        yield ReadUnit(ctx, data=b"".join(lines), fmt=fmt)


# --------------------------------------------------------------------------- paths


def _os_reason(err: OSError) -> str:
    return err.strerror or str(err)


def _file_units(path: Path, ctx: _Context, unit_bytes: int) -> Iterator[ReadUnit]:
    if path.suffix.lower() in TABLE_SUFFIXES:
        yield ReadUnit(ctx, table=str(path))
        return
    try:
        with path.open("rb") as stream:
            fmt = _SUFFIX_FORMATS.get(path.suffix.lower())
            yield from _stream_units(stream, fmt, ctx, unit_bytes, path)
    except OSError as err:  # also mid-file: what was read so far has been handed on
        yield ReadUnit(
            ctx, error=ReadError(ctx.source, None, f"cannot read file: {_os_reason(err)}")
        )


def _file_context(path: Path, options: _Options) -> _Context:
    return _Context(str(path), path.stem, options.default_role, options.encoding, options.columns)


def _error_unit(source: str, message: str, default_role: Role) -> ReadUnit:
    return ReadUnit(
        _Context(source, source, default_role, None), error=ReadError(source, None, message)
    )


def _is_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows symlinks; loops are caught by the visited set
    except OSError:
        return False


@dataclass(frozen=True, slots=True)
class _Options:
    default_role: Role
    encoding: str | None
    unit_bytes: int
    columns: tuple[tuple[str, str], ...] = ()


def _tree_units(directory: Path, visited: set[str], options: _Options) -> Iterator[ReadUnit]:
    """Depth-first, entries sorted by name: files come out sorted by relative path."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        message = f"cannot list directory: {_os_reason(err)}"
        yield _error_unit(str(directory), message, options.default_role)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        real = os.path.realpath(path)
        if real in visited:
            continue  # already read through another link: a loop, or a duplicate
        if _is_directory(entry):
            visited.add(real)
            yield from _tree_units(path, visited, options)
        elif path.suffix.lower() in _FOLDER_SUFFIXES:
            visited.add(real)
            yield from _file_units(path, _file_context(path, options), options.unit_bytes)


def _path_units(path: Path, options: _Options) -> Iterator[ReadUnit]:
    problem = None if options.encoding is None else _check_encoding(options.encoding)
    if problem is not None:
        yield _error_unit(str(path), problem, options.default_role)
        return
    try:
        is_directory, exists = path.is_dir(), path.exists()
    except OSError as err:
        yield _error_unit(str(path), f"cannot access: {_os_reason(err)}", options.default_role)
        return
    if is_directory:
        yield from _tree_units(path, {os.path.realpath(path)}, options)
    elif exists:
        yield from _file_units(path, _file_context(path, options), options.unit_bytes)
    else:
        yield _error_unit(str(path), "no such file or directory", options.default_role)


def _stdin_units(stream: BinaryIO, options: _Options) -> Iterator[ReadUnit]:
    problem = None if options.encoding is None else _check_encoding(options.encoding)
    if problem is not None:
        yield _error_unit("<stdin>", problem, options.default_role)
        return
    ctx = _Context("<stdin>", "stdin", options.default_role, options.encoding)
    try:
        yield from _stream_units(stream, None, ctx, options.unit_bytes)
    except (OSError, ValueError) as err:  # ValueError: stdin already closed
        yield ReadUnit(ctx, error=ReadError(ctx.source, None, f"cannot read: {err}"))


def read_units(  # noqa: PLR0913 - keyword-only options of the public reader
    paths: Iterable[str | Path],
    *,
    default_role: Role = Role.AGENT,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    unit_bytes: int = UNIT_BYTES,
    columns: Mapping[str, str] | None = None,
) -> Iterator[ReadUnit]:
    """The units of several paths in order; ``-`` is stdin. Streams: a JSONL file is read
    a unit at a time, so memory does not grow with the input. ``columns`` maps fields
    to the columns of CSV/XLSX tables (see `tabular.read_table`)."""
    options = _Options(default_role, encoding, unit_bytes, tuple(sorted((columns or {}).items())))
    for path in paths:
        if str(path) == "-":
            yield from _stdin_units(stdin if stdin is not None else sys.stdin.buffer, options)
        else:
            yield from _path_units(Path(path), options)


def input_size(paths: Iterable[str | Path]) -> int | None:
    """Bytes of every file the paths name or hold (as `read_units` walks them), or None
    when one is stdin: the total that progress runs towards."""
    total = 0
    for path in map(Path, paths):
        if str(path) == "-":
            return None
        if path.is_dir():
            total += sum(
                f.stat().st_size
                for f in path.rglob("*")
                if f.suffix.lower() in _FOLDER_SUFFIXES
                and f.is_file()
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
        elif path.is_file():
            total += path.stat().st_size
    return total


def read_path(
    path: str | Path, *, default_role: Role = Role.AGENT, encoding: str | None = None
) -> Iterator[Transcript | ReadError]:
    """Read one file, or every transcript file under a directory (.jsonl, .json, .txt,
    .csv, .xlsx, .xlsm).

    Hidden files and directories are skipped; symlinks are followed, each real path once.
    A file named explicitly with another suffix is sniffed. Never raises for bad input.
    """
    for unit in read_units([Path(path)], default_role=default_role, encoding=encoding):
        yield from read_unit(unit)


def read_paths(
    paths: Iterable[str | Path],
    *,
    default_role: Role = Role.AGENT,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Transcript | ReadError]:
    """`read_path` over several paths in order; ``-`` reads (and sniffs) stdin."""
    units = read_units(paths, default_role=default_role, encoding=encoding, stdin=stdin)
    for unit in units:
        yield from read_unit(unit)
