"""JSON: one document with the summary, every transcript (score, metadata, tags), every
finding and every read error.

The document is written at the end, as its summary comes first, but it is never held in
memory: each call's part of it is made where the call was linted and set aside, as text,
in a spooled temporary file (in memory up to `SPOOL_MEMORY`, then on disk), one for the
transcripts, one for the findings, one for the errors; `finish` writes the summary, then
copies them out a chunk at a time. Memory stays flat whatever the input's size; the disk
holds about what the output will.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Final

from replylint.model import ReadError
from replylint.output.base import Formatter, Streams
from replylint.output.records import error_record, finding_record, meta_fields, tag_record
from replylint.run.files import OutputError
from replylint.run.pipeline import Render
from replylint.run.result import Result, Summary
from replylint.run.scoring import score_record

SPOOL_MEMORY: Final = 8 * 1024 * 1024  # characters of each part kept in memory before disk
_CHUNK: Final = 1024 * 1024  # characters copied out at a time
_SECTIONS: Final = ("transcripts", "findings", "errors")


@dataclass(frozen=True, slots=True)
class JsonParts:
    """One transcript's share of the json document, as records."""

    transcript: dict[str, Any]
    findings: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class JsonTexts:
    """One transcript's share of the json document, as the document's text: its record and
    each finding's, indented as members of the document's lists."""

    transcript: str
    findings: list[str]


class JsonFormatter(Formatter[JsonTexts]):
    """One document, written at the end from its spooled parts; read errors go into it,
    not to ``err``."""

    def __init__(self, streams: Streams, *, color: bool = False, redacted: bool = False) -> None:
        super().__init__(streams, color=color, redacted=redacted)
        self.spools = {name: _Spool(name) for name in _SECTIONS}

    @property
    def render(self) -> Render[JsonTexts]:
        return json_texts

    def handle(self, rendered: JsonTexts) -> None:
        self.spools["transcripts"].add(rendered.transcript)
        for finding in rendered.findings:
            self.spools["findings"].add(finding)

    def error(self, error: ReadError) -> None:
        self.spools["errors"].add(_member(error_record(error)))

    def finish(self, summary: Summary) -> None:
        head = {"summary": summary.as_dict() | ({"redacted": True} if self.redacted else {})}
        opening = json.dumps(head, ensure_ascii=False, indent=2).removesuffix("\n}")
        try:
            for chunk in _document(opening, self.spools):
                self.streams.out(chunk)
        finally:
            for spool in self.spools.values():
                spool.close()


def json_parts(result: Result) -> JsonParts:
    """One call's records: its transcript record (its metadata whole, once) and its
    findings (each with the metadata bounded, see `records.meta_fields`)."""
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
    meta = meta_fields(transcript.meta) if result.findings else None
    findings = [finding_record(f, transcript.source, meta=meta) for f in result.findings]
    return JsonParts(record, findings)


def json_texts(result: Result) -> JsonTexts:
    parts = json_parts(result)
    return JsonTexts(_member(parts.transcript), [_member(f) for f in parts.findings])


def _member(record: dict[str, Any]) -> str:
    """A record as a member of one of the document's lists: indented two levels."""
    return "    " + json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n    ")


def json_document(
    parts: Iterable[JsonParts],
    errors: Iterable[ReadError],
    summary: Summary,
    *,
    redacted: bool = False,
) -> str:
    """The json document, made in memory (`JsonFormatter` writes the same text without
    holding it); ``redacted`` (personal data was masked) adds ``"redacted": true`` to its
    summary."""
    parts = list(parts)
    document = {
        "summary": summary.as_dict() | ({"redacted": True} if redacted else {}),
        "transcripts": [p.transcript for p in parts],
        "findings": [f for p in parts for f in p.findings],
        "errors": [error_record(e) for e in errors],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _document(opening: str, spools: dict[str, _Spool]) -> Iterator[str]:
    """The document in chunks of whole lines (each written as a line): the summary's part
    ``opening``, then each list from its spool."""
    yield opening + ","
    for index, name in enumerate(_SECTIONS):
        spool = spools[name]
        closing = "" if index == len(_SECTIONS) - 1 else ","
        if not spool.count:
            yield f'  "{name}": []{closing}'
            continue
        yield f'  "{name}": ['
        yield from spool.lines()
        yield f"  ]{closing}"
    yield "}"


class _Spool:
    """Members of one of the document's lists, set aside as text (see the module)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.file: IO[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed in finish
            max_size=SPOOL_MEMORY, mode="w+", encoding="utf-8"
        )

    def add(self, member: str) -> None:
        try:
            self.file.write((",\n" if self.count else "") + member)
        except OSError as error:
            raise OutputError(
                f"the json document's {self.name}, set aside in a temporary file: "
                f"{error.strerror or error}"
            ) from None
        self.count += 1

    def lines(self) -> Iterator[str]:
        """What was set aside, in chunks of whole lines."""
        self.file.seek(0)
        rest = ""
        while chunk := self.file.read(_CHUNK):
            text = rest + chunk
            cut = text.rfind("\n")
            if cut < 0:
                rest = text
                continue
            yield text[:cut]
            rest = text[cut + 1 :]
        if rest:
            yield rest

    def close(self) -> None:
        self.file.close()
