"""JSON transcript objects ``{"id", "turns", "meta"}`` checked into transcripts, and the
wording of JSON errors that JSON and JSONL share."""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any, Final

from replylint.model import ReadError, ReadErrorKind, Role, Transcript, Turn
from replylint.readers.base import Item
from replylint.readers.clock import MAX_TIME_MS
from replylint.readers.limits import MAX_META_DEPTH
from replylint.readers.roles import parse_role


class _ShapeError(Exception):
    """A transcript object is not shaped as expected; the message says what and where."""

    def __init__(self, message: str, kind: ReadErrorKind = ReadErrorKind.SHAPE) -> None:
        super().__init__(message)
        self.kind = kind


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
    if raw > MAX_TIME_MS:  # compared before any float conversion: a 401-digit int overflows
        raise _ShapeError(f'"{key}" must be at most {MAX_TIME_MS:,} milliseconds')
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
            raise _ShapeError(f"turn {index}: {err}", err.kind) from None
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
        message = f'"meta" nests more than {MAX_META_DEPTH} levels, the limit'
        raise _ShapeError(message, ReadErrorKind.OVER_LIMIT)
    return MappingProxyType(raw)


# JSON can escape half of a surrogate pair ("\ud83d" of an emoji cut in two), which no
# UTF-8 output can hold. Each becomes U+FFFD: one character for one, so offsets stay put.
SURROGATE: Final = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89abcdefABCDEF]")


def may_hold_surrogates(json_text: str) -> bool:
    return ("\\ud" in json_text or "\\uD" in json_text) and bool(
        _SURROGATE_ESCAPE.search(json_text)
    )


def _without_surrogates(value: Any) -> Any:
    """``value`` (meta, at most `MAX_META_DEPTH` deep) with lone surrogates replaced."""
    if isinstance(value, str):
        return SURROGATE.sub("\ufffd", value)
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


def build_transcript(  # noqa: PLR0913 - where it came from, and what to check
    obj: object,
    source: str,
    line: int | None,
    fallback_id: str,
    index: int | None = None,
    *,
    repair: bool = True,
    json_text: str | None = None,
) -> Item:
    """``repair``: replace lone surrogates; callers skip it for JSON without ``\\ud``.
    ``json_text``: the JSON ``obj`` was decoded from, in which a repeated key is an error."""
    transcript_id: str | None = None
    try:
        if not isinstance(obj, dict):
            raise _ShapeError(f"must be a JSON object, got {_kind(obj)}")
        transcript_id = _transcript_id(obj, fallback_id)
        turns, meta = _turns(obj), _meta(obj)
    except _ShapeError as err:
        return ReadError(source, line, f"{_describe(transcript_id, index)}: {err}", err.kind)
    repeated = [] if json_text is None else repeated_keys(obj, json_text)
    if repeated:
        return _repeated_keys_error(repeated, source, line, _describe(transcript_id, index))
    transcript = Transcript(transcript_id, turns, meta, source=source, line=line)
    return _repaired(transcript) if repair else transcript


def parse_transcript_obj(
    obj: object, *, source: str, line: int | None, fallback_id: str
) -> Transcript | ReadError:
    """Validate one decoded JSON transcript ``{"id", "turns": [...], "meta"}``.

    Only ``id``, ``turns`` and ``meta`` are read; other top-level keys are ignored. Lone
    surrogates (half an emoji, escaped in JSON) become U+FFFD.
    """
    return build_transcript(obj, source, line, fallback_id)


JSON_DECODER: Final = json.JSONDecoder()
_JSON_SPACE: Final = re.compile(r"[ \t\n\r]*")


# Reads each JSON object as a tuple of its (key, value) pairs: a key given twice stays
# visible. Slower than plain decoding; used only when the key count leaves doubt.
_PAIRS_DECODER: Final = json.JSONDecoder(object_pairs_hook=tuple)
# In a text holding this, ": counts more or fewer keys than there are: an escaped quote
# and a colon in a string, or space between a key and its colon.
_KEY_COUNT_UNSURE: Final = re.compile(r'\\":|"\s+:')


def repeated_keys(obj: dict[str, Any], json_text: str) -> list[str]:
    """The keys that an object in ``json_text`` (decoded as ``obj``, a transcript whose
    turns are objects) gives twice: JSON allows it, Python keeps the last silently, other
    readers the first. Counted at C speed nearly always: every key is followed by a
    colon, so a text with as many colons as keys decoded repeats none (a repeated key
    leaves more colons than keys). Colons in strings (10:30) spoil that count; then the
    key tokens (``":``) are counted, when nothing in the text can spoil them. Only when
    both leave doubt is the text read again, as pairs."""
    keys = _keys(obj)
    if json_text.count(":") == keys:
        return []
    if json_text.count('":') == keys and not _KEY_COUNT_UNSURE.search(json_text):
        return []
    return _repeated_in(_PAIRS_DECODER.decode(json_text))


def _keys(obj: dict[str, Any]) -> int:
    """The keys of a transcript object, of its turns and of its meta, counted at C
    speed; anything nested deeper is not counted (a shortfall only sends the text to be
    read again)."""
    count = len(obj)
    for key, value in obj.items():
        if type(value) is list and key == "turns":
            count += sum(map(len, value))
        elif type(value) is dict:
            count += len(value)
    return count


def _repeated_in(value: object) -> list[str]:
    """The keys some object in ``value`` (read by `_PAIRS_DECODER`) gives twice."""
    repeated: dict[str, None] = {}
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):  # an object: its pairs
            counts = Counter(key for key, _ in item)
            repeated.update((key, None) for key, count in counts.items() if count > 1)
            stack.extend(child for _, child in item)
        elif isinstance(item, list):
            stack.extend(item)
    return list(repeated)


def _repeated_keys_error(
    keys: list[str], source: str, line: int | None, described: str
) -> ReadError:
    shown = ", ".join(f'"{key}"' for key in keys)
    message = (
        f"{described}: key {shown} given twice in one object; JSON readers differ on "
        "which one counts, so the transcript is not read"
    )
    return ReadError(source, line, message, ReadErrorKind.DUPLICATE)


def too_deep_message() -> str:
    return (
        "invalid JSON: nested too deeply to parse (the limit is Python's recursion limit, "
        f"{sys.getrecursionlimit():,} levels)"
    )


def _is_cut_short(error: json.JSONDecodeError) -> bool:
    """Whether JSON is invalid because it ends too early, as a truncated file does."""
    at_end = skip_json_space(error.doc, error.pos) >= len(error.doc)
    return at_end or error.msg.startswith("Unterminated string")


def syntax_message(error: json.JSONDecodeError, what: str) -> str:
    message = f"invalid JSON: {error.msg} (column {error.colno})"
    return message + (f"; the {what} ends here: is it cut short?" if _is_cut_short(error) else "")


def skip_json_space(text: str, pos: int) -> int:
    match = _JSON_SPACE.match(text, pos)
    return pos if match is None else match.end()
