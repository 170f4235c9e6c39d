"""The plain-data records the JSON formats (and Spark) write: one finding, one tag, one read
error.

The jsonl record fields (transcript, turn, role, start, end, text, rule, pack, severity,
message, suggestion) are a public contract: extend, never rename.

A finding carries its call's metadata (``meta``) bounded (see `meta_fields`): a call's
metadata may hold megabytes, and copied whole into each of its findings it made one line
of input need gigabytes of output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

from replylint.model import Finding, ReadError, Tag, Transcript

# The metadata a finding carries: at most this many characters of JSON, each value at most
# `MAX_META_VALUE` (agent, team, date… fit many times over).
MAX_META_CHARS: Final = 4096
MAX_META_VALUE: Final = 256


def meta_fields(meta: Mapping[str, Any]) -> dict[str, Any]:
    """``{"meta": …}`` as each finding of a call with this metadata carries it: whole when
    its JSON takes at most `MAX_META_CHARS` characters. Otherwise its entries in order
    while they fit in that: a value whose JSON is longer than `MAX_META_VALUE` becomes
    that JSON's start and …, as a string, an entry with a longer key is left out, and so
    is every entry past the limit; then ``"meta_truncated": true`` says so. Made once a
    call, not once a finding."""
    whole = dict(meta)
    if len(_json(whole)) <= MAX_META_CHARS:
        return {"meta": whole}
    kept: dict[str, Any] = {}
    size = 2  # {}
    for key, value in whole.items():
        shown = value if len(_json(value)) <= MAX_META_VALUE else _cut(value)
        entry = len(_json(key)) + len(_json(shown)) + 2  # "key": value,
        if len(key) > MAX_META_VALUE or size + entry > MAX_META_CHARS:
            continue
        kept[key] = shown
        size += entry
    return {"meta": kept, "meta_truncated": True}


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _cut(value: object) -> str:
    text = value if isinstance(value, str) else _json(value)
    return text[:MAX_META_VALUE] + "…"


def finding_record(
    finding: Finding,
    source: str | None,
    transcript: Transcript | None = None,
    *,
    meta: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The jsonl/json object of one finding; with its transcript, also that call's
    metadata (agent, team, date...), for tools that slice findings by them, bounded (see
    `meta_fields`; a caller writing many findings of a call passes them as ``meta``)."""
    record = {
        "transcript": finding.transcript,
        "turn": finding.turn,
        "role": finding.role.value,
        "start": finding.start,
        "end": finding.end,
        "text": finding.text,
        "rule": finding.rule,
        "pack": finding.pack,
        "severity": finding.severity.value,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "name": finding.name,
        "file": source,
    }
    if meta is None and transcript is not None:
        meta = meta_fields(transcript.meta)
    if meta is not None:
        record.update(meta)
    return record


def tag_labels(tags: Iterable[Tag]) -> dict[str, list[str]]:
    """{category: [tag, ...]} of one call, in the order the tags first occur."""
    labels: dict[str, list[str]] = {}
    for tag in tags:
        labels.setdefault(tag.category, []).append(tag.tag)
    return labels


def tag_record(tag: Tag) -> dict[str, Any]:
    return {
        "category": tag.category,
        "tag": tag.tag,
        "rule": tag.rule,
        "turn": tag.turn,
        "start": tag.start,
        "end": tag.end,
        "text": tag.text,
    }


def error_record(error: ReadError) -> dict[str, Any]:
    return {"file": error.source, "line": error.line, "message": error.message}


def dumps(record: dict[str, Any]) -> str:
    """Compact JSON that keeps Chinese as it is."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
