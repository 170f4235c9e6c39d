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

Encodings: see `replylint.readers.decoding`. In short, UTF-8 (with or without BOM), UTF-16 with
    a BOM, then GB18030 or Big5, whichever reads as plausible Chinese; ``encoding=`` forces
    one codec. JSONL is decoded per line, so one bad line loses only itself; in a JSON
    list, a line that cannot be decoded loses only the transcript that holds it.

Faults
    A JSON list with a syntax error loses only the transcript the error is in: reading
    resumes at the next object holding "turns". Lone surrogates escaped in JSON (half an
    emoji) become U+FFFD. Past a `Limits` limit (a line, a file read whole, the turns or
    characters of a transcript) or `MAX_META_DEPTH`, the piece is an error naming the
    limit. In folders, pipes, sockets and devices are reported, not read; a pipe named
    explicitly is streamed. File names that are not valid in the file system's encoding
    are shown decoded as file contents are.

Indices in error messages are 0-based, as in the JSON arrays they point into:
``transcript #3`` is the fourth element of a JSON list, ``turn 0`` the first turn.
"""

from __future__ import annotations

import bisect
import contextlib
import io
import itertools
import json
import math
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO, Final, Literal

from replylint.model import ReadError, Role, Transcript, Turn
from replylint.readers.decoding import (
    Decoded,
    DecodeError,
    check_encoding,
    decode_document,
    decode_line,
    is_ascii_compatible,
)

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_CHARS",
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "MAX_META_DEPTH",
    "MAX_TURNS",
    "TABLE_SUFFIXES",
    "Limits",
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

# --------------------------------------------------------------------------- limits
#
# Far beyond any real call (a ten-hour call is about 150,000 characters), low enough that
# memory and time stay bounded whatever the input. What goes past one is an error that
# names the limit; it is never truncated, and reading goes on.

MAX_LINE_BYTES: Final = 16 << 20  # one JSONL line, that is one transcript: 16 MiB
MAX_FILE_BYTES: Final = 64 << 20  # a file read whole (JSON, text, CSV, XLSX): 64 MiB
MAX_TURNS: Final = 100_000  # turns in one transcript
MAX_CHARS: Final = 1_000_000  # characters of turn text in one transcript
MAX_META_DEPTH: Final = 32  # levels of lists and objects in "meta"; not configurable


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one piece of input may hold; see the constants above."""

    line_bytes: int = MAX_LINE_BYTES
    file_bytes: int = MAX_FILE_BYTES
    turns: int = MAX_TURNS
    chars: int = MAX_CHARS


DEFAULT_LIMITS: Final = Limits()

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


def _stripped_lines(text: str) -> Iterator[str]:
    """The lines of ``text``, stripped, one at a time: no list of them all."""
    start = 0
    for match in _LINE_BREAK.finditer(text):
        yield text[start : match.start()].strip()
        start = match.end()
    yield text[start:].strip()


def parse_text(
    text: str,
    *,
    transcript_id: str,
    source: str | None = None,
    default_role: Role = Role.AGENT,
    max_turns: int | None = None,
) -> Transcript:
    """Parse the plain-text format: one ``角色：内容`` turn per line.

    A line without a label continues the previous turn; unlabelled lines before the first
    label form one `default_role` turn. A text with no label at all (a reply draft, a script)
    becomes one `default_role` turn per non-blank line. Never raises.

    ``max_turns``: stop once there are more turns (or unlabelled lines before the first
    label) than this; the transcript then has more than ``max_turns`` turns, for the
    caller to report as over its limit without building every turn first.
    """
    preamble: list[str] = []
    turns: list[_OpenTurn] = []
    for line in filter(None, _stripped_lines(text.removeprefix("\ufeff"))):
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
        if max_turns is not None and max(len(turns), len(preamble)) > max_turns:
            break
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


def _nested_deeper_than(value: object, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` levels; iterative,
    so any depth the JSON parser allowed is measured without recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children)
    return False


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    raw = obj.get("meta")
    if raw is None:
        return MappingProxyType({})
    if not isinstance(raw, dict):
        raise _ShapeError(f'"meta" must be an object, got {_kind(raw)}')
    if _nested_deeper_than(raw, MAX_META_DEPTH):
        raise _ShapeError(f'"meta" nests more than {MAX_META_DEPTH} levels, the limit')
    return MappingProxyType(raw)


# JSON can escape half of a surrogate pair ("\ud83d" of an emoji cut in two), which no
# UTF-8 output can hold. Each becomes U+FFFD: one character for one, so offsets stay put.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _may_hold_surrogates(json_text: str) -> bool:
    return ("\\ud" in json_text or "\\uD" in json_text) and bool(
        _SURROGATE_ESCAPE.search(json_text)
    )


def _without_surrogates(value: Any) -> Any:
    """``value`` (meta, at most `MAX_META_DEPTH` deep) with lone surrogates replaced."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _repaired(transcript: Transcript) -> Transcript:
    turns = tuple(replace(turn, text=_without_surrogates(turn.text)) for turn in transcript.turns)
    meta = MappingProxyType(_without_surrogates(dict(transcript.meta)))
    return replace(transcript, id=_without_surrogates(transcript.id), turns=turns, meta=meta)


def _describe(transcript_id: str | None, index: int | None) -> str:
    where = "transcript" if index is None else f"transcript #{index}"
    return where if transcript_id is None else f"{where} {transcript_id!r}"


def _build_transcript(  # noqa: PLR0913 - where it came from, and what to check
    obj: object,
    source: str,
    line: int | None,
    fallback_id: str,
    index: int | None = None,
    *,
    repair: bool = True,
) -> _Item:
    """``repair``: replace lone surrogates; callers skip it for JSON without ``\\ud``."""
    transcript_id: str | None = None
    try:
        if not isinstance(obj, dict):
            raise _ShapeError(f"must be a JSON object, got {_kind(obj)}")
        transcript_id = _transcript_id(obj, fallback_id)
        turns, meta = _turns(obj), _meta(obj)
    except _ShapeError as err:
        return ReadError(source, line, f"{_describe(transcript_id, index)}: {err}")
    transcript = Transcript(transcript_id, turns, meta, source=source, line=line)
    return _repaired(transcript) if repair else transcript


def parse_transcript_obj(
    obj: object, *, source: str, line: int | None, fallback_id: str
) -> Transcript | ReadError:
    """Validate one decoded JSON transcript ``{"id", "turns": [...], "meta"}``.

    Only ``id``, ``turns`` and ``meta`` are read; other top-level keys are ignored. Lone
    surrogates (half an emoji, escaped in JSON) become U+FFFD.
    """
    return _build_transcript(obj, source, line, fallback_id)


_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_NO_BAD_LINES: Final[Mapping[int, str]] = MappingProxyType({})

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
    limits: Limits = DEFAULT_LIMITS


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


def _decode_leniently(raw: bytes, encoding: str | None) -> str:
    """Best-effort decoding for sniffing only; real decoding errors are reported later."""
    try:
        return decode_line(raw, encoding)
    except DecodeError:
        pass
    try:
        return raw.decode(encoding or "utf-8", errors="replace").removeprefix("\ufeff")
    except UnicodeError:
        return raw.decode("latin-1")  # never fails; only the first character matters here


def _too_deep_message() -> str:
    return (
        "invalid JSON: nested too deeply to parse (the limit is Python's recursion limit, "
        f"{sys.getrecursionlimit():,} levels)"
    )


def _too_long_message(size: int, limit: int) -> str:
    return f"a line of {size:,} bytes, more than the limit of {limit:,} for one transcript"


def _is_cut_short(error: json.JSONDecodeError) -> bool:
    """Whether JSON is invalid because it ends too early, as a truncated file does."""
    at_end = _skip_json_space(error.doc, error.pos) >= len(error.doc)
    return at_end or error.msg.startswith("Unterminated string")


def _syntax_message(error: json.JSONDecodeError, what: str) -> str:
    message = f"invalid JSON: {error.msg} (column {error.colno})"
    return message + (f"; the {what} ends here: is it cut short?" if _is_cut_short(error) else "")


def _jsonl_record(line: str, number: int, ctx: _Context) -> _Item:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return ReadError(ctx.source, number, _syntax_message(err, "line"))
    except RecursionError:
        return ReadError(ctx.source, number, _too_deep_message())
    except ValueError as err:  # e.g. huge integers
        return ReadError(ctx.source, number, f"invalid JSON: {err}")
    repair = _may_hold_surrogates(line)
    return _build_transcript(obj, ctx.source, number, f"{ctx.stem}:{number}", repair=repair)


def _jsonl_line(
    raw: bytes | str, number: int, ctx: _Context, bad_lines: Mapping[int, str]
) -> ReadError | str:
    """The text of one JSONL line, or the error that it cannot be read."""
    if isinstance(raw, str):
        problem = bad_lines.get(number)
        return raw if problem is None else ReadError(ctx.source, number, problem)
    size = len(raw) - raw.endswith(b"\n")
    if size > ctx.limits.line_bytes:
        return ReadError(ctx.source, number, _too_long_message(size, ctx.limits.line_bytes))
    try:
        return decode_line(raw, ctx.encoding)
    except DecodeError as err:
        return ReadError(ctx.source, number, err.message)


def _read_jsonl(
    numbered: Iterable[tuple[int, bytes | str]],
    ctx: _Context,
    bad_lines: Mapping[int, str] = _NO_BAD_LINES,
) -> Iterator[_Item]:
    for number, raw in numbered:
        line = _jsonl_line(raw, number, ctx, bad_lines)
        if isinstance(line, ReadError):
            yield line
        elif line.strip():
            yield _jsonl_record(line, number, ctx)


def _skip_json_space(text: str, pos: int) -> int:
    match = _JSON_SPACE.match(text, pos)
    return pos if match is None else match.end()


class _Lines:
    """Line numbers of offsets into a text, counted incrementally for rising offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        if offset < self.offset:  # never expected; correct, if slower
            return self.text.count("\n", 0, offset) + 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


@dataclass(frozen=True, slots=True)
class _Broken:
    """A stretch of a JSON list that is not valid JSON, from ``start``; ``error`` is None
    when it nests too deeply. Reading resumes at the next transcript, if one is found."""

    start: int
    error: json.JSONDecodeError | None
    resumes: int | None


_Element = tuple[int, int, object] | _Broken  # (start, end, value) or what could not be read
# A transcript in a list follows "[" or ",": where to look for one after a syntax error.
_ELEMENT_START: Final = re.compile(r"[\[,][ \t\n\r]*(\{)")
_RESYNC_FAILURES: Final = 100  # each failed try costs a count of lines up to it: bounded


# Strings whole (a bracket inside one counts for nothing) and the brackets between them.
_BRACKET_TOKENS: Final = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _list_elements_after(text: str, element: int, start: int) -> Iterator[int]:
    """Where objects of the list start after ``start``, by counting brackets from the
    broken element at ``element`` (one level into the list): objects nested inside the
    broken element (a history in its meta) are not elements of the list."""
    depth = 1
    for token in _BRACKET_TOKENS.finditer(text, element):
        bracket = token.group()
        if bracket in "[{":
            if depth == 1 and bracket == "{" and token.start() >= start:
                yield token.start()
            depth += 1
        elif bracket in "]}":
            depth -= 1
            if depth == 0:
                return  # the list has ended


def _next_transcript(text: str, element: int, start: int) -> int | None:
    """Where the next transcript of a list starts after ``start`` (the broken element at
    ``element``): an object holding "turns" that ends before a "," or "]"; None if there is
    none (or none in sight). Objects one level into the list come first; when the broken
    element's own brackets do not balance, any object after "[" or "," will do."""
    for candidates in (
        _list_elements_after(text, element, start),
        (match.start(1) for match in _ELEMENT_START.finditer(text, start)),
    ):
        found = _first_transcript(text, candidates)
        if found is not None:
            return found
    return None


def _first_transcript(text: str, candidates: Iterable[int]) -> int | None:
    failures = 0
    for candidate in candidates:
        try:
            value, end = _JSON_DECODER.raw_decode(text, candidate)
        except (ValueError, RecursionError):
            failures += 1
            if failures > _RESYNC_FAILURES:
                return None
            continue
        after = _skip_json_space(text, end)
        if isinstance(value, dict) and "turns" in value and text.startswith((",", "]"), after):
            return candidate
    return None


def _broken(text: str, start: int, error: json.JSONDecodeError | None) -> _Broken:
    resume_from = start + 1 if error is None else max(error.pos, start + 1)
    return _Broken(start, error, _next_transcript(text, start, resume_from))


def _array_elements(text: str, pos: int) -> Iterator[_Element]:
    """Each element of the JSON array opening at ``text[pos]``, or the stretch that is
    not valid JSON, after which reading resumes at the next transcript.

    Decoding element by element gives each transcript its lines, and one syntax error
    loses only the transcript it is in.
    """
    pos = _skip_json_space(text, pos + 1)
    if text.startswith("]", pos):
        _expect_end(text, pos + 1)
        return
    while True:
        try:
            value, end = _JSON_DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            broken = _broken(text, pos, err)
        except RecursionError:
            broken = _broken(text, pos, None)
        else:
            yield pos, end, value
            pos = _skip_json_space(text, end)
            if text.startswith("]", pos):
                break
            if text.startswith(",", pos):
                pos = _skip_json_space(text, pos + 1)
                continue
            broken = _broken(text, pos, json.JSONDecodeError("Expecting ',' delimiter", text, pos))
        yield broken
        if broken.resumes is None:
            return
        pos = broken.resumes
    _expect_end(text, pos + 1)


def _expect_end(text: str, pos: int) -> None:
    pos = _skip_json_space(text, pos)
    if pos != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)


@dataclass(frozen=True, slots=True)
class _JsonDocument:
    """A decoded JSON document being read: its text, line numbers and bad lines."""

    decoded: Decoded
    ctx: _Context
    lines: _Lines
    repair: bool
    bad_lines: tuple[int, ...]  # sorted

    def bad_line_in(self, first: int, last: int) -> int | None:
        index = bisect.bisect_left(self.bad_lines, first)
        found = self.bad_lines[index] if index < len(self.bad_lines) else None
        return found if found is not None and found <= last else None

    def element(self, start: int, end: int, value: object, index: int | None) -> _Item:
        first, last = self.lines.at(start), self.lines.at(end)
        bad = self.bad_line_in(first, last)
        if bad is not None:  # a transcript that holds an undecodable line is not read
            return ReadError(self.ctx.source, bad, self.decoded.bad_lines[bad])
        stem = self.ctx.stem if index is None else f"{self.ctx.stem}#{index}"
        source = self.ctx.source
        return _build_transcript(value, source, first, stem, index, repair=self.repair)

    def broken(self, broken: _Broken) -> ReadError:
        start = self.lines.at(broken.start)
        if broken.error is None:
            line, message = start, _too_deep_message()
        else:
            line = self.lines.at(broken.error.pos)
            message = self.decoded.bad_lines.get(line) or self.syntax_message(broken.error)
        if broken.resumes is not None:
            message += f"; skipped to the next transcript, on line {self.lines.at(broken.resumes)}"
        return ReadError(self.ctx.source, line, message)

    def syntax_message(self, error: json.JSONDecodeError) -> str:
        if not self.decoded.text.strip():
            return "invalid JSON: the file is empty"
        return _syntax_message(error, "file")


def _json_transcripts(document: _JsonDocument) -> Iterator[_Item]:
    text = document.decoded.text
    pos = _skip_json_space(text, 0)
    if not text.startswith("[", pos):
        value, end = _JSON_DECODER.raw_decode(text, pos)
        _expect_end(text, end)
        yield document.element(pos, end, value, None)
        return
    for index, element in enumerate(_array_elements(text, pos)):
        if isinstance(element, _Broken):
            yield document.broken(element)
        else:
            yield document.element(*element, index)


def _read_json(decoded: Decoded, ctx: _Context) -> Iterator[_Item]:
    document = _JsonDocument(
        decoded,
        ctx,
        _Lines(decoded.text),
        _may_hold_surrogates(decoded.text),
        tuple(sorted(decoded.bad_lines)),
    )
    try:
        yield from _json_transcripts(document)
    except json.JSONDecodeError as err:
        line = document.lines.at(err.pos)
        message = decoded.bad_lines.get(line) or document.syntax_message(err)
        yield ReadError(ctx.source, line, message)
    except RecursionError:
        yield ReadError(ctx.source, None, _too_deep_message())
    except ValueError as err:  # e.g. huge integers
        yield ReadError(ctx.source, None, f"invalid JSON: {err}")


def _read_text(decoded: Decoded, ctx: _Context) -> _Item:
    if decoded.bad_lines:  # one file, one transcript: a line that cannot be read fails it
        line = min(decoded.bad_lines)
        return ReadError(ctx.source, line, decoded.bad_lines[line])
    limit = ctx.limits.turns
    transcript = parse_text(
        decoded.text,
        transcript_id=ctx.stem,
        source=ctx.source,
        default_role=ctx.default_role,
        max_turns=limit,
    )
    if len(transcript.turns) > limit:  # parsing stopped there: the count is not known
        message = f"transcript {ctx.stem!r}: more than the limit of {limit:,} turns"
        return ReadError(ctx.source, 1, message)
    return replace(transcript, line=1)


def _read_decoded(decoded: Decoded, fmt: _Format, ctx: _Context) -> Iterator[_Item]:
    if fmt == "jsonl":
        numbered = enumerate(decoded.text.split("\n"), 1)
        yield from _read_jsonl(numbered, ctx, decoded.bad_lines)
    elif fmt == "json":
        yield from _read_json(decoded, ctx)
    else:
        yield _read_text(decoded, ctx)


def _read_whole(data: bytes, fmt: _Format | None, ctx: _Context) -> Iterator[_Item]:
    try:
        decoded = decode_document(data, ctx.encoding)
    except DecodeError as err:
        yield ReadError(ctx.source, err.line, err.message)
        return
    yield from _read_decoded(decoded, fmt or _sniff_text(decoded.text), ctx)


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
_HEAD_BYTES: Final = 1024  # of a line too long to keep: enough to sniff its format
_SKIP_BYTES: Final = 1 << 20  # a line too long to keep is skipped this much at a time


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
    """The transcripts of one unit, in order, each within the unit's `Limits`, or the
    errors that say why not."""
    limits = unit.ctx.limits
    for item in _unit_items(unit):
        yield item if isinstance(item, ReadError) else _within_limits(item, limits)


def _within_limits(transcript: Transcript, limits: Limits) -> _Item:
    where = f"transcript {transcript.id!r}"
    turns = len(transcript.turns)
    if turns > limits.turns:
        message = f"{where}: {turns:,} turns, more than the limit of {limits.turns:,}"
        return ReadError(transcript.source or "<input>", transcript.line, message)
    chars = sum(len(turn.text) for turn in transcript.turns)
    if chars > limits.chars:
        message = f"{where}: {chars:,} characters of text, more than the limit of {limits.chars:,}"
        return ReadError(transcript.source or "<input>", transcript.line, message)
    return transcript


def _unit_items(unit: ReadUnit) -> Iterator[_Item]:
    if unit.error is not None:
        yield unit.error
    elif unit.table is not None:
        yield from _table_items(unit.table, unit.ctx)
    elif unit.data is not None:
        yield from _read_whole(unit.data, unit.fmt, unit.ctx)
    elif unit.span is not None:
        yield from _read_span(unit.span, unit.ctx)
    else:
        yield from _read_jsonl(unit.lines, unit.ctx)


def _table_items(path: str, ctx: _Context) -> Iterator[_Item]:
    # tabular builds on this module's text format, so it is imported here, not above
    from replylint.readers.tabular import read_table  # noqa: PLC0415

    items = read_table(
        path,
        columns=dict(ctx.columns) or None,
        encoding=ctx.encoding,
        default_role=ctx.default_role,
    )
    for item in items:  # named as the file is shown (see `_shown`), not as it is opened
        yield item if item.source == ctx.source else replace(item, source=ctx.source)


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


@dataclass(frozen=True, slots=True)
class _LongLine:
    """A line longer than a limit, skipped without being held: its size (without the
    line break) and its first bytes, enough to sniff the format."""

    size: int
    head: bytes


def _skip_line(stream: BinaryIO) -> int:
    """Read past the rest of a line, a chunk at a time: the bytes skipped, without b"\\n"."""
    skipped = 0
    while chunk := stream.readline(_SKIP_BYTES):
        if chunk.endswith(b"\n"):
            return skipped + len(chunk) - 1
        skipped += len(chunk)
    return skipped


def _read_line(stream: BinaryIO, limit: int) -> bytes | _LongLine:
    """The next line with its b"\\n", at most ``limit`` bytes without it; b"" at the end."""
    raw = stream.readline(limit + 1)
    if len(raw) <= limit or raw.endswith(b"\n"):
        return raw
    return _LongLine(len(raw) + _skip_line(stream), raw[:_HEAD_BYTES])


def _lines_of(stream: BinaryIO, limit: int) -> Iterator[bytes | _LongLine]:
    while line := _read_line(stream, limit):
        yield line


def _span_units(path: Path, ctx: _Context, unit_bytes: int) -> Iterator[ReadUnit]:
    """Byte ranges of whole lines, about ``unit_bytes`` each: the caller reads each block
    once at C speed to count its lines; the worker reads and parses the range itself.
    A line longer than the limit is skipped here, never held, and becomes an error."""
    limit = ctx.limits.line_bytes
    with path.open("rb") as file:
        start, line = 0, 1
        while block := file.read(unit_bytes):
            long_line = None
            if not block.endswith(b"\n"):  # finish the last line, up to the limit
                tail = len(block) - block.rfind(b"\n") - 1
                rest = _read_line(file, max(limit - tail, 0))
                if isinstance(rest, _LongLine):
                    long_line = tail + rest.size
                    block = block[: len(block) - tail]
                else:
                    block += rest
            if block:
                yield ReadUnit(ctx, span=(str(path), start, start + len(block), line))
                line += block.count(b"\n")
            if long_line is not None:
                error = ReadError(ctx.source, line, _too_long_message(long_line, limit))
                yield ReadUnit(ctx, error=error)
                line += 1
            start = file.tell()


def _jsonl_units(
    lines: Iterator[bytes | _LongLine], ctx: _Context, unit_bytes: int
) -> Iterator[ReadUnit]:
    chunk: list[tuple[int, bytes]] = []
    size = 0
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, _LongLine):
            if chunk:
                yield ReadUnit(ctx, lines=tuple(chunk))
                chunk, size = [], 0
            message = _too_long_message(raw.size, ctx.limits.line_bytes)
            yield ReadUnit(ctx, error=ReadError(ctx.source, number, message))
            continue
        chunk.append((number, raw))
        size += len(raw)
        if size >= unit_bytes:
            yield ReadUnit(ctx, lines=tuple(chunk))
            chunk, size = [], 0
    if chunk:
        yield ReadUnit(ctx, lines=tuple(chunk))


def _format_of_head(head: bytes, encoding: str | None) -> _Format:
    """The format of a line too long to keep, from its first bytes."""
    start = _decode_leniently(head, encoding).lstrip().removeprefix("\ufeff")[:1]
    formats: Mapping[str, _Format] = {"{": "jsonl", "[": "json"}
    return formats.get(start, "text")


def _sniffed_line(stream: BinaryIO, ctx: _Context) -> bytes | _LongLine:
    """A line read while sniffing. Past the line limit, a line opening a JSON object is a
    JSONL record too long, skipped; any other may be a one-line JSON document, held up
    to the file limit."""
    limits = ctx.limits
    raw = stream.readline(limits.line_bytes + 1)
    if len(raw) <= limits.line_bytes or raw.endswith(b"\n"):
        return raw
    head = raw[:_HEAD_BYTES]
    if _format_of_head(head, ctx.encoding) == "jsonl":
        return _LongLine(len(raw) + _skip_line(stream), head)
    rest = _read_line(stream, max(limits.file_bytes - len(raw), 0))
    return raw + rest if isinstance(rest, bytes) else _LongLine(len(raw) + rest.size, head)


def _sniff_stream(stream: BinaryIO, ctx: _Context) -> tuple[_Format, list[bytes | _LongLine]]:
    """Read up to the first non-blank line: the format, and the lines read."""
    consumed: list[bytes | _LongLine] = []
    total = 0
    while line := _sniffed_line(stream, ctx):
        consumed.append(line)
        if isinstance(line, _LongLine):
            return _format_of_head(line.head, ctx.encoding), consumed
        total += len(line)
        decoded = _decode_leniently(line, ctx.encoding)
        if decoded.strip():
            return _format_of_first_line(decoded), consumed
        if total > ctx.limits.file_bytes:
            break
    return "text", consumed


def _regular_size(stream: BinaryIO) -> int | None:
    """The size of a regular file; None for a pipe, a device or an in-memory stream."""
    try:
        status = os.fstat(stream.fileno())
    except (OSError, ValueError):  # io.UnsupportedOperation is both
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _too_big(ctx: _Context, size: int | None) -> ReadUnit:
    limit = ctx.limits.file_bytes
    size_text = "" if size is None else f"{size:,} bytes, "
    message = (
        f"{size_text}more than the limit of {limit:,} bytes for a file read whole (JSON, "
        "text, CSV, XLSX); split it, or convert it to JSONL, which is read a line at a time"
    )
    return ReadUnit(ctx, error=ReadError(ctx.source, None, message))


def _whole_unit(
    consumed: list[bytes | _LongLine], stream: BinaryIO, fmt: _Format | None, ctx: _Context
) -> ReadUnit:
    """The rest of the stream as one unit, read whole, up to the file limit."""
    limit = ctx.limits.file_bytes
    size = _regular_size(stream)
    if (size or 0) > limit or any(isinstance(line, _LongLine) for line in consumed):
        return _too_big(ctx, size)
    data = b"".join(line for line in consumed if isinstance(line, bytes))
    data += stream.read(max(limit + 1 - len(data), 0))
    if len(data) > limit:  # a pipe: its size is known only now
        return _too_big(ctx, None)
    return ReadUnit(ctx, data=data, fmt=fmt)


def _peek(stream: BinaryIO, size: int) -> bytes:
    peek = getattr(stream, "peek", None)
    return b"" if peek is None else bytes(peek(size)[:size])


def _stream_units(
    stream: BinaryIO,
    fmt: _Format | None,
    ctx: _Context,
    unit_bytes: int,
    path: Path | None = None,
) -> Iterator[ReadUnit]:
    """Units of one file or stream; `fmt` None means sniff it. ``path`` is given for a
    regular file, whose JSONL workers read again by byte ranges; a pipe's JSONL comes
    in runs of lines. Other formats are read whole, up to the file limit."""
    wide = (
        _peek(stream, 2).startswith(_UTF16_BOMS)
        if ctx.encoding is None
        else not is_ascii_compatible(ctx.encoding)
    )
    if wide:  # UTF-16 lines cannot be split on b"\n": decode the whole thing
        yield _whole_unit([], stream, fmt, ctx)
        return
    consumed: list[bytes | _LongLine] = []
    if fmt is None:
        fmt, consumed = _sniff_stream(stream, ctx)
    if fmt != "jsonl":
        yield _whole_unit(consumed, stream, fmt, ctx)
    elif path is not None:
        yield from _span_units(path, ctx, unit_bytes)
    else:
        lines = itertools.chain(consumed, _lines_of(stream, ctx.limits.line_bytes))
        yield from _jsonl_units(lines, ctx, unit_bytes)


# --------------------------------------------------------------------------- paths


def _os_reason(err: OSError) -> str:
    return err.strerror or str(err)


def _shown(name: str) -> str:
    """A path fit to print. A name in another encoding than the file system's (GBK names
    from a Windows zip) comes with surrogate escapes, which no output can hold: it is
    decoded as file contents are (UTF-8, GB18030 or Big5), else with U+FFFD."""
    if not _SURROGATE.search(name):
        return name
    raw = os.fsencode(name)
    try:
        return decode_line(raw)
    except DecodeError:
        return raw.decode("utf-8", errors="replace")


def _file_units(path: Path, ctx: _Context, unit_bytes: int) -> Iterator[ReadUnit]:
    if path.suffix.lower() in TABLE_SUFFIXES:
        with contextlib.suppress(OSError):  # read_table reports what it cannot open
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):  # a table is read whole: not from a pipe
                message = "not a regular file (a pipe, socket or device): a table is read whole"
                yield ReadUnit(ctx, error=ReadError(ctx.source, None, message))
                return
            if status.st_size > ctx.limits.file_bytes:
                yield _too_big(ctx, status.st_size)
                return
        yield ReadUnit(ctx, table=str(path))
        return
    try:
        with path.open("rb") as stream:
            fmt = _SUFFIX_FORMATS.get(path.suffix.lower())
            regular = _regular_size(stream) is not None
            yield from _stream_units(stream, fmt, ctx, unit_bytes, path if regular else None)
    except OSError as err:  # also mid-file: what was read so far has been handed on
        yield ReadUnit(
            ctx, error=ReadError(ctx.source, None, f"cannot read file: {_os_reason(err)}")
        )


def _file_context(path: Path, options: _Options) -> _Context:
    return _Context(
        _shown(str(path)),
        _shown(path.stem),
        options.default_role,
        options.encoding,
        options.columns,
        options.limits,
    )


def _error_unit(source: str, message: str, options: _Options) -> ReadUnit:
    shown = _shown(source)
    ctx = _Context(shown, shown, options.default_role, None, limits=options.limits)
    return ReadUnit(ctx, error=ReadError(shown, None, message))


_Kind = Literal["directory", "file", "other"]


def _entry_kind(entry: os.DirEntry[str]) -> _Kind | None:
    """What a folder entry is, following symlinks; None when that cannot be found out
    (a dangling link, a link loop): opening it then says why."""
    try:
        mode = entry.stat().st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return "directory"
    return "file" if stat.S_ISREG(mode) else "other"


@dataclass(frozen=True, slots=True)
class _Options:
    default_role: Role
    encoding: str | None
    unit_bytes: int
    columns: tuple[tuple[str, str], ...] = ()
    limits: Limits = DEFAULT_LIMITS


def _tree_units(directory: Path, visited: set[str], options: _Options) -> Iterator[ReadUnit]:
    """Depth-first, entries sorted by name: files come out sorted by relative path."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        yield _error_unit(str(directory), f"cannot list directory: {_os_reason(err)}", options)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        real = os.path.realpath(path)
        if real in visited:
            continue  # already read through another link: a loop, or a duplicate
        kind = _entry_kind(entry)
        if kind == "directory":
            visited.add(real)
            yield from _tree_units(path, visited, options)
        elif path.suffix.lower() in _FOLDER_SUFFIXES:
            visited.add(real)
            if kind == "other":  # a pipe would block forever; a device, read forever
                message = "not a regular file (a pipe, socket or device): not read"
                yield _error_unit(str(path), message, options)
            else:
                yield from _file_units(path, _file_context(path, options), options.unit_bytes)


def _path_units(path: Path, options: _Options) -> Iterator[ReadUnit]:
    problem = None if options.encoding is None else check_encoding(options.encoding)
    if problem is not None:
        yield _error_unit(str(path), problem, options)
        return
    try:
        is_directory, exists = path.is_dir(), path.exists()
    except OSError as err:
        yield _error_unit(str(path), f"cannot access: {_os_reason(err)}", options)
        return
    if is_directory:
        yield from _tree_units(path, {os.path.realpath(path)}, options)
    elif exists:
        yield from _file_units(path, _file_context(path, options), options.unit_bytes)
    else:
        yield _error_unit(str(path), "no such file or directory", options)


def _stdin_units(stream: BinaryIO, options: _Options) -> Iterator[ReadUnit]:
    problem = None if options.encoding is None else check_encoding(options.encoding)
    if problem is not None:
        yield _error_unit("<stdin>", problem, options)
        return
    ctx = _Context("<stdin>", "stdin", options.default_role, options.encoding, (), options.limits)
    try:
        if not hasattr(stream, "peek"):  # an in-memory stream: buffered, to look ahead
            stream = io.BufferedReader(stream)  # type: ignore[type-var]
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
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[ReadUnit]:
    """The units of several paths in order; ``-`` is stdin. Streams: a JSONL file is read
    a unit at a time, so memory does not grow with the input. ``encoding`` forces one
    codec for every text, JSON, JSONL and CSV input (None: detected, see
    `replylint.readers.decoding`). ``columns`` maps fields to the columns of CSV/XLSX tables (see
    `tabular.read_table`). ``limits`` bound what one line, file or transcript may hold."""
    columns_items = tuple(sorted((columns or {}).items()))
    options = _Options(default_role, encoding, unit_bytes, columns_items, limits)
    for path in paths:
        if str(path) == "-":
            yield from _stdin_units(stdin if stdin is not None else sys.stdin.buffer, options)
        else:
            yield from _path_units(Path(path), options)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:  # vanished, or unreadable: reading it will say so
        return 0


def input_size(paths: Iterable[str | Path]) -> int | None:
    """Bytes of every file the paths name or hold (as `read_units` walks them), or None
    when one is stdin: the total that progress runs towards. Never raises."""
    total = 0
    for path in map(Path, paths):
        if str(path) == "-":
            return None
        if _is_directory(path):
            total += sum(
                _file_size(f)
                for f in path.rglob("*")
                if f.suffix.lower() in _FOLDER_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
        else:
            total += _file_size(path)
    return total


def _is_directory(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def read_path(
    path: str | Path,
    *,
    default_role: Role = Role.AGENT,
    encoding: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Transcript | ReadError]:
    """Read one file, or every transcript file under a directory (.jsonl, .json, .txt,
    .csv, .xlsx, .xlsm).

    Hidden files and directories are skipped; symlinks are followed, each real path once;
    pipes, sockets and devices inside a directory are reported, not read. A file named
    explicitly with another suffix is sniffed. Never raises for bad input.
    """
    units = read_units([Path(path)], default_role=default_role, encoding=encoding, limits=limits)
    for unit in units:
        yield from read_unit(unit)


def read_paths(
    paths: Iterable[str | Path],
    *,
    default_role: Role = Role.AGENT,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Transcript | ReadError]:
    """`read_path` over several paths in order; ``-`` reads (and sniffs) stdin."""
    units = read_units(
        paths, default_role=default_role, encoding=encoding, stdin=stdin, limits=limits
    )
    for unit in units:
        yield from read_unit(unit)
