"""JSON: one document with the summary, every transcript (score, metadata, tags), every
finding and every read error."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from replylint.model import ReadError
from replylint.output.base import Formatter, Streams
from replylint.output.records import error_record, finding_record, tag_record
from replylint.run.pipeline import Render
from replylint.run.result import Result, Summary
from replylint.run.scoring import score_record


@dataclass(frozen=True, slots=True)
class JsonParts:
    """One transcript's share of the json document."""

    transcript: dict[str, Any]
    findings: list[dict[str, Any]]


class JsonFormatter(Formatter[JsonParts]):
    """One document, written at the end; read errors go into it, not to ``err``."""

    def __init__(self, streams: Streams, *, color: bool = False, redacted: bool = False) -> None:
        super().__init__(streams, color=color, redacted=redacted)
        self.parts: list[JsonParts] = []
        self.errors: list[ReadError] = []

    @property
    def render(self) -> Render[JsonParts]:
        return json_parts

    def handle(self, rendered: JsonParts) -> None:
        self.parts.append(rendered)

    def error(self, error: ReadError) -> None:
        self.errors.append(error)

    def finish(self, summary: Summary) -> None:
        self.streams.out(json_document(self.parts, self.errors, summary, redacted=self.redacted))


def json_parts(result: Result) -> JsonParts:
    transcript = result.transcript
    record = {
        "id": transcript.id,
        "file": transcript.source,
        "line": transcript.line,
        "turns": len(transcript.turns),
        "findings": len(result.findings),
        **score_record(result.score),
        "meta": dict(transcript.meta),
        "tags": [tag_record(tag) for tag in result.tags],
    }
    findings = [finding_record(f, transcript.source, transcript) for f in result.findings]
    return JsonParts(record, findings)


def json_document(
    parts: Iterable[JsonParts],
    errors: Iterable[ReadError],
    summary: Summary,
    *,
    redacted: bool = False,
) -> str:
    """The json document; ``redacted`` (personal data was masked) adds
    ``"redacted": true`` to its summary."""
    parts = list(parts)
    document = {
        "summary": summary.as_dict() | ({"redacted": True} if redacted else {}),
        "transcripts": [p.transcript for p in parts],
        "findings": [f for p in parts for f in p.findings],
        "errors": [error_record(e) for e in errors],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
