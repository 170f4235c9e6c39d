"""The plain-data records the JSON formats (and Spark) write: one finding, one tag, one read
error.

The jsonl record fields (transcript, turn, role, start, end, text, rule, pack, severity,
message, suggestion) are a public contract: extend, never rename.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from replylint.model import Finding, ReadError, Tag, Transcript


def finding_record(
    finding: Finding, source: str | None, transcript: Transcript | None = None
) -> dict[str, Any]:
    """The jsonl/json object of one finding; with its transcript, also that call's
    metadata (agent, team, date...), for tools that slice findings by them."""
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
    if transcript is not None:
        record["meta"] = dict(transcript.meta)
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
