"""Render findings: plain functions from results to text. Nothing here prints.

The jsonl record fields (transcript, turn, role, start, end, text, rule, pack, severity,
message, suggestion) are a public contract: extend, never rename.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from replylint.model import Finding, ReadError, Severity, Tag, Transcript
from replylint.run.result import Result, Summary, tags_by_category
from replylint.run.scoring import score_record

_ANSI = {"bold": "1", "red": "31", "yellow": "33", "cyan": "36", "dim": "2", "reverse": "7"}
_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


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


def jsonl_lines(result: Result) -> Iterator[str]:
    """One line a finding, each with its call's QA score and pass/fail."""
    call_score = score_record(result.score)
    for finding in result.findings:
        record = finding_record(finding, result.transcript.source, result.transcript)
        record["score"], record["passed"] = call_score["score"], call_score["passed"]
        record["tags"] = tag_labels(result.tags)
        yield _dumps(record)


def jsonl_block(result: Result) -> list[str]:
    return list(jsonl_lines(result))


def text_block(result: Result, *, color: bool = False) -> list[str]:
    return list(text_lines(result, color=color))


@dataclass(frozen=True, slots=True)
class JsonParts:
    """One transcript's share of the json document."""

    transcript: dict[str, Any]
    findings: list[dict[str, Any]]


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


def text_lines(result: Result, *, color: bool = False) -> Iterator[str]:
    """A block per finding: where, what, the turn with the match marked, the suggestion;
    then the call's QA score, when it has findings."""
    paint = _painter(color)
    transcript = result.transcript
    where = f"{transcript.source}: " if transcript.source else ""
    for finding in result.findings:
        turn_text = transcript.turns[finding.turn].text
        colour = _SEVERITY_COLOUR[finding.severity]
        yield (
            f"{paint(where, 'dim')}{paint(transcript.id, 'bold')} "
            f"turn {finding.turn} ({finding.role.value}) "
            f"{paint(finding.rule, colour)} {finding.name} [{finding.severity.value}]"
        )
        yield f"    {finding.message}"
        yield f"    | {_highlight(turn_text, finding, color=color)}"
        yield f"    建议: {finding.suggestion}"
    if result.findings:
        verdict = "通过 pass" if result.score.passed else paint("未通过 FAIL", "red")
        points = score_record(result.score)["score"]
        yield f"{paint(where, 'dim')}{paint(transcript.id, 'bold')} 得分 score {points}: {verdict}"
        if result.tags:
            labels = "; ".join(f"{c} {', '.join(t)}" for c, t in tag_labels(result.tags).items())
            yield f"    标签 tags: {labels}"


def summary_line(summary: Summary) -> str:
    """The closing summary: findings by pack (when there are any), then the totals."""
    severities = ", ".join(f"{n} {s}" for s, n in sorted(summary.by_severity.items()))
    findings = f"{summary.findings} findings" + (f" ({severities})" if severities else "")
    totals = (
        f"{findings} in {summary.flagged} of {summary.transcripts} transcripts "
        f"({summary.turns} turns); {summary.errors} input errors"
    )
    lines = []
    if summary.by_pack:
        lines.append(
            "by pack: " + ", ".join(f"{p} {n}" for p, n in sorted(summary.by_pack.items()))
        )
    for category, counts in tags_by_category(summary.by_tag).items():
        lines.append(f"by {category}: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    return "\n".join([*lines, totals])


def _highlight(text: str, finding: Finding, *, color: bool) -> str:
    """The turn on one line with the match marked: reverse video, or 【】 without colour."""
    match = finding.text
    marked = f"\x1b[{_ANSI['reverse']}m{match}\x1b[0m" if color else f"【{match}】"
    line = text[: finding.start] + marked + text[finding.end :]
    return line.replace("\r", "").replace("\n", " ⏎ ")


def _painter(color: bool) -> Callable[[str, str], str]:
    def paint(text: str, style: str) -> str:
        if not color or not text:
            return text
        return f"\x1b[{_ANSI[style]}m{text}\x1b[0m"

    return paint


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
