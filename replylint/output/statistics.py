"""``check --statistics``: how many findings each rule has, instead of the findings (as
ruff's ``--statistics``), most first; as a table for people or a JSON list for tools."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from replylint.kinds import Rule
from replylint.output import FORMATS
from replylint.output.base import Formatter, Streams
from replylint.output.text import summary_line
from replylint.output.titles import NO_TITLES, Titles
from replylint.run.pipeline import Render
from replylint.run.result import Result, Summary

RuleKey = tuple[str, str, str, str]  # code, name, pack, severity


def rule_keys(result: Result) -> list[RuleKey]:
    """What a call adds to the counts: one key a finding."""
    return [(f.rule, f.name, f.pack, f.severity.value) for f in result.findings]


class StatisticsFormatter(Formatter[list[RuleKey]]):
    """Counts per rule: findings, and the calls with at least one; written at the end."""

    def __init__(
        self, streams: Streams, *, as_json: bool = False, titles: Titles = NO_TITLES
    ) -> None:
        super().__init__(streams)
        self.as_json = as_json
        self.titles = titles
        self.findings: Counter[RuleKey] = Counter()
        self.calls: Counter[RuleKey] = Counter()

    @property
    def render(self) -> Render[list[RuleKey]]:
        return rule_keys

    def handle(self, rendered: list[RuleKey]) -> None:
        self.findings.update(rendered)
        self.calls.update(set(rendered))

    def finish(self, summary: Summary) -> None:
        records = self.records()
        if self.as_json:
            self.streams.out(json.dumps(records, ensure_ascii=False, indent=2))
            return
        for line in _table(records):
            self.streams.out(line)
        self.streams.out(summary_line(summary))

    def records(self) -> list[dict[str, Any]]:
        """One record a rule that has findings: most findings first, then by code."""
        ranked = sorted(self.findings.items(), key=lambda item: (-item[1], item[0]))
        return [
            {
                "code": code,
                "name": name,
                "title": self.titles.rule(code),
                "pack": pack,
                "severity": severity,
                "count": count,
                "calls": self.calls[code, name, pack, severity],
            }
            for (code, name, pack, severity), count in ranked
        ]


def _table(records: list[dict[str, Any]]) -> list[str]:
    """count, code, name, [severity] and the title, in aligned columns."""
    if not records:
        return []
    width = max(len(str(r["count"])) for r in records)
    code_width = max(len(r["code"]) for r in records)
    name_width = max(len(r["name"]) for r in records)
    return [
        f"{r['count']:>{width}}  {r['code']:<{code_width}}  {r['name']:<{name_width}}  "
        f"{'[' + r['severity'] + ']':<9}  {r['title']}".rstrip()
        for r in records
    ]


def check_formatter(  # noqa: PLR0913 - check's output switches, by name
    streams: Streams,
    output_format: str,
    *,
    statistics: bool,
    color: bool,
    redacted: bool,
    rules: Iterable[Rule],
) -> Formatter[Any]:
    """``check``'s formatter: the format's, or with ``statistics`` the counts per rule of
    ``rules`` (text or json: ValueError for another format)."""
    if not statistics:
        return FORMATS[output_format](streams, color=color, redacted=redacted)
    if output_format not in ("text", "json"):
        raise ValueError(f"--statistics writes text or json, not {output_format}")
    return StatisticsFormatter(streams, as_json=output_format == "json", titles=Titles.of(rules))
