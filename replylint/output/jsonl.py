"""JSON Lines: one line a finding, with its call's score and tags."""

from __future__ import annotations

from collections.abc import Iterator

from replylint.output.base import LineFormatter
from replylint.output.records import dumps, finding_record, meta_fields, tag_labels
from replylint.output.text import summary_line
from replylint.run.pipeline import Render
from replylint.run.result import Result, Summary
from replylint.run.scoring import score_record


class JsonlFormatter(LineFormatter):
    """For tools: standard output holds only findings; the summary goes to ``err``."""

    @property
    def render(self) -> Render[list[str]]:
        return jsonl_block

    def finish(self, summary: Summary) -> None:
        self.streams.err(summary_line(summary))


def jsonl_lines(result: Result) -> Iterator[str]:
    """One line a finding, each with its call's QA score and pass/fail."""
    if not result.findings:
        return
    call_score = score_record(result.score)
    meta = meta_fields(result.transcript.meta)  # once a call: it may be large
    for finding in result.findings:
        record = finding_record(finding, result.transcript.source, meta=meta)
        record["score"], record["passed"] = call_score["score"], call_score["passed"]
        record["tags"] = tag_labels(result.tags)
        yield dumps(record)


def jsonl_block(result: Result) -> list[str]:
    return list(jsonl_lines(result))
