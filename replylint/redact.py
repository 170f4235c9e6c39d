"""Mask personal data without moving any offset: in text, transcripts, findings and results.

What is masked is what `replylint.text.recognise.personal_data` finds (see
docs/reliability.md, "Personal data").

`redact` masks what is found one character for one, so the text keeps its length and every
offset into it stays valid: each masked character becomes ``*``. A number keeps its first
three and last four digits and its separators (138 **** 8000, so a reviewer can tell
numbers apart); an email keeps the first letter or digit of its local part, the
punctuation in it and the domain (z*******@qq.com). Masking twice changes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Final, TypeVar

from replylint.model import Annotations, Finding, Tag, Transcript, Turn
from replylint.text.recognise.personal_data import (
    ALNUM,
    MASK,
    NUMBER_CHARACTERS,
    Kind,
    PersonalData,
    find_personal_data,
)

__all__ = [
    "MASK",
    "Kind",
    "PersonalData",
    "find_personal_data",
    "redact",
    "redact_annotations",
    "redact_findings",
    "redact_transcript",
]

_Spanned = TypeVar("_Spanned", Finding, Tag)  # text == turn.text[start:end]


def redact(text: str, found: Sequence[PersonalData] | None = None) -> str:
    """``text`` with its personal data masked, one ``*`` for each masked character: the
    length and every offset stay the same. ``found``: what to mask (what
    `find_personal_data` found, or some of it); by default everything."""
    found = find_personal_data(text) if found is None else found
    if not found:
        return text
    parts: list[str] = []
    done = 0
    for item in sorted(found, key=lambda f: f.start):
        parts += [text[done : item.start], _masked(text[item.start : item.end], item.kind)]
        done = item.end
    parts.append(text[done:])
    return "".join(parts)


# --------------------------------------------------------------------------- masking

_KEEP_HEAD, _KEEP_TAIL = 3, 4
_COUNTRY_CODE: Final = {13: 2, 15: 4}  # a mobile number's digits after 86 or 0086, kept


def _masked(span: str, kind: Kind) -> str:
    if kind == "email":
        at = max(span.find("@"), span.find("＠"))
        return _masked_alnum(span[:at]) + span[at:]
    positions = [i for i, c in enumerate(span) if c in NUMBER_CHARACTERS]
    head = _KEEP_HEAD + _COUNTRY_CODE.get(len(positions), 0) if kind == "phone" else _KEEP_HEAD
    hidden = set(positions[head : len(positions) - _KEEP_TAIL])
    return "".join(MASK if i in hidden else c for i, c in enumerate(span))


def _masked_alnum(local: str) -> str:
    """Every letter and digit masked but the first."""
    first = next(i for i, c in enumerate(local) if c in ALNUM)
    return "".join(MASK if c in ALNUM and i != first else c for i, c in enumerate(local))


# --------------------------------------------------------------------------- results


def redact_transcript(transcript: Transcript) -> Transcript:
    """The transcript with personal data masked in every turn's text and in its metadata
    (strings, and whole numbers that are personal numbers, in lists and tables too); the
    same transcript when it holds none."""
    turns = tuple(_redacted_turn(turn) for turn in transcript.turns)
    meta = {key: _redacted_value(value) for key, value in transcript.meta.items()}
    unchanged = all(a is b for a, b in zip(turns, transcript.turns, strict=True))
    if unchanged and meta == transcript.meta:
        return transcript
    return dataclasses.replace(transcript, turns=turns, meta=MappingProxyType(meta))


def redact_findings(findings: Iterable[Finding], redacted: Transcript) -> list[Finding]:
    """Each finding with its text taken from the same span of the ``redacted`` turn: the
    offsets hold, and the text is masked where the turn is."""
    return [_respanned(f, redacted.turns[f.turn].text) for f in findings]


def redact_annotations(
    transcript: Transcript, annotations: Annotations
) -> tuple[Transcript, Annotations]:
    """The call as it may be shown: `redact_transcript`, and its findings' and tags' texts
    taken from the same spans of the masked turns."""
    redacted = redact_transcript(transcript)
    if redacted is transcript:
        return transcript, annotations
    tags = [_respanned(tag, redacted.turns[tag.turn].text) for tag in annotations.tags]
    return redacted, Annotations(redact_findings(annotations.findings, redacted), tags)


def _redacted_turn(turn: Turn) -> Turn:
    text = redact(turn.text)
    return turn if text is turn.text else dataclasses.replace(turn, text=text)


def _respanned(found: _Spanned, turn_text: str) -> _Spanned:
    text = turn_text[found.start : found.end]
    return found if text == found.text else dataclasses.replace(found, text=text)


def _redacted_value(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int) and not isinstance(value, bool):
        masked = redact(str(value))  # a phone number stored as a number, as spreadsheets do
        return value if masked == str(value) else masked
    if isinstance(value, float) and value.is_integer():  # 13812345678.0, as JSON exports do
        masked = redact(str(int(value)))
        return value if masked == str(int(value)) else masked
    if isinstance(value, list | tuple):
        return [_redacted_value(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _redacted_value(item) for key, item in value.items()}
    return value
