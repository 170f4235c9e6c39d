"""Pure aggregations over results (each scored once, by the run): the numbers every report
shows.

Metadata comes from ``transcript.meta`` (agent, agent_name, team, region, date, channel);
a call without a value is counted under `UNKNOWN` (未知). Every function returns tuples in a
documented, deterministic order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from replylint.model import Finding, Severity, Transcript
from replylint.run.result import Result
from replylint.text.numerals import chinese_number

__all__ = [
    "UNKNOWN",
    "GroupStats",
    "Headline",
    "HistogramBin",
    "RuleCount",
    "agent_label",
    "by_agent",
    "by_pack",
    "by_rule",
    "by_tag",
    "by_team",
    "call_day",
    "headline",
    "meta_value",
    "natural_key",
    "score_histogram",
    "trend",
    "trend_period",
    "worst_calls",
]

UNKNOWN: Final = "未知"
Period = Literal["day", "month"]

_DATE: Final = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|(\d{4})(\d{2})(\d{2})"
)
_TOP_RULES: Final = 3
_NUMBER_RUN: Final = re.compile(r"(\d+|[零〇一二两三四五六七八九十百]+)")


# --------------------------------------------------------------------------- metadata


def meta_value(transcript: Transcript, key: str) -> str:
    """A metadata value as text; "" when missing or empty."""
    value = transcript.meta.get(key)
    return "" if value is None else str(value).strip()


def agent_label(transcript: Transcript) -> str:
    """``张三 (1001)``, or whichever of name and id is known, or "" when neither is."""
    agent, name = meta_value(transcript, "agent"), meta_value(transcript, "agent_name")
    if agent and name:
        return f"{name} ({agent})"
    return name or agent


def call_day(transcript: Transcript) -> str | None:
    """The ISO day of the call's ``date`` (2024-05-01, 2024/5/1, 2024年5月1日, 20240501)."""
    match = _DATE.match(meta_value(transcript, "date"))
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups() if part is not None)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:  # 2024-02-30
        return None


def natural_key(name: str) -> tuple[tuple[int, float, str], ...]:
    """A name's sort key with its numbers read as numbers, Chinese ones too: 一组, 二组,
    三组, 十组 and 2组 before 10组 (code-point order puts 三组 before 二组)."""
    key = []
    for part in filter(None, _NUMBER_RUN.split(name)):
        value = _number_value(part) if _NUMBER_RUN.fullmatch(part) else None
        key.append((1, 0.0, part) if value is None else (0, value, part))
    return tuple(key)


def _number_value(run: str) -> float | None:
    return float(run) if run.isascii() else chinese_number(run)


# --------------------------------------------------------------------------- headline


@dataclass(frozen=True, slots=True)
class Headline:
    calls: int
    turns: int
    findings: int
    flagged_calls: int  # calls with at least one finding
    passed: int
    vetoed: int
    mean_score: float  # 0.0 when there are no calls

    @property
    def pass_rate(self) -> float:
        """Share of calls that passed, 0..1 (0.0 when there are no calls)."""
        return self.passed / self.calls if self.calls else 0.0


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 2) if values else 0.0


def headline(items: Sequence[Result]) -> Headline:
    return Headline(
        calls=len(items),
        turns=sum(len(item.transcript.turns) for item in items),
        findings=sum(len(item.findings) for item in items),
        flagged_calls=sum(1 for item in items if item.findings),
        passed=sum(item.score.passed for item in items),
        vetoed=sum(item.score.vetoed for item in items),
        mean_score=_mean([item.score.score for item in items]),
    )


# --------------------------------------------------------------------------- rules and packs


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    name: str
    pack: str
    severity: Severity
    findings: int
    calls: int  # calls with at least one finding of this rule
    marked: int = 0  # findings review verdicts confirmed as false positives (not in findings)

    @property
    def false_positive_rate(self) -> float:
        """marked / (marked + findings), 0..1; 0.0 when there are neither."""
        total = self.marked + self.findings
        return self.marked / total if total else 0.0


def by_rule(items: Iterable[Result]) -> tuple[RuleCount, ...]:
    """Every rule that fired (or whose findings were all marked as false positives), most
    findings first, then by code."""
    findings: Counter[str] = Counter()
    marked: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for item in items:
        for finding in item.findings:
            findings[finding.rule] += 1
            first.setdefault(finding.rule, finding)
        for finding in item.marked:
            marked[finding.rule] += 1
            first.setdefault(finding.rule, finding)
        calls.update({finding.rule for finding in item.findings})
    counts = (
        RuleCount(
            rule, f.name, f.pack, f.severity, findings[rule], calls[rule], marked=marked[rule]
        )
        for rule, f in first.items()
    )
    return tuple(sorted(counts, key=lambda count: (-count.findings, count.rule)))


def by_pack(items: Iterable[Result]) -> tuple[tuple[str, int], ...]:
    """(pack, findings), most findings first, then by name."""
    counts = Counter(f.pack for item in items for f in item.findings)
    return tuple(sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])))


# --------------------------------------------------------------------------- agents and teams


@dataclass(frozen=True, slots=True)
class GroupStats:
    """The calls of one agent, team, day or month. ``top_rules``: (rule, findings), most first."""

    key: str
    calls: int
    passed: int
    mean_score: float
    findings: int
    top_rules: tuple[tuple[str, int], ...]

    @property
    def pass_rate(self) -> float:
        return self.passed / self.calls if self.calls else 0.0


def _group_stats(key: str, members: Sequence[Result]) -> GroupStats:
    rules = Counter(f.rule for item in members for f in item.findings)
    return GroupStats(
        key=key,
        calls=len(members),
        passed=sum(item.score.passed for item in members),
        mean_score=_mean([item.score.score for item in members]),
        findings=rules.total(),
        top_rules=tuple(sorted(rules.items(), key=lambda p: (-p[1], p[0]))[:_TOP_RULES]),
    )


def _groups(items: Iterable[Result], key: Callable[[Result], str]) -> Iterator[GroupStats]:
    members: defaultdict[str, list[Result]] = defaultdict(list)
    for item in items:
        members[key(item) or UNKNOWN].append(item)
    return (_group_stats(name, group) for name, group in members.items())


def _worst_first(groups: Iterable[GroupStats]) -> tuple[GroupStats, ...]:
    """Lowest mean score first (who needs coaching most), then by name."""
    return tuple(sorted(groups, key=lambda group: (group.mean_score, natural_key(group.key))))


def by_agent(items: Iterable[Result]) -> tuple[GroupStats, ...]:
    """Per agent (`agent_label`), lowest mean score first."""
    return _worst_first(_groups(items, lambda item: agent_label(item.transcript)))


def by_team(items: Iterable[Result]) -> tuple[GroupStats, ...]:
    """Per team (meta ``team``), in their natural order (一组, 二组, 三组; `natural_key`),
    未知 last: a QA lead reads her teams in the order she numbers them."""
    groups = _groups(items, lambda item: meta_value(item.transcript, "team"))
    return tuple(sorted(groups, key=lambda group: (group.key == UNKNOWN, natural_key(group.key))))


def by_tag(items: Iterable[Result]) -> tuple[tuple[str, GroupStats], ...]:
    """(category, stats of the calls the tag labels) per tag (topic, customer type): by
    category, then most calls first, then by tag. A call counts once under each of its tags."""
    members: defaultdict[tuple[str, str], list[Result]] = defaultdict(list)
    for item in items:
        for category, tag in dict.fromkeys((t.category, t.tag) for t in item.tags):
            members[category, tag].append(item)
    stats = [(category, _group_stats(tag, group)) for (category, tag), group in members.items()]
    return tuple(sorted(stats, key=lambda pair: (pair[0], -pair[1].calls, pair[1].key)))


# --------------------------------------------------------------------------- distribution


@dataclass(frozen=True, slots=True)
class HistogramBin:
    low: int
    high: int  # inclusive: the last bin is 90–100
    calls: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}"


def score_histogram(items: Iterable[Result]) -> tuple[HistogramBin, ...]:
    """Ten bins of ten points, 0–9 … 90–100, all present even when empty."""
    counts = Counter(min(int(item.score.score // 10), 9) for item in items)
    return tuple(HistogramBin(10 * i, 10 * i + (10 if i == 9 else 9), counts[i]) for i in range(10))


# --------------------------------------------------------------------------- trend


def _period_of(item: Result, period: Period) -> str:
    day = call_day(item.transcript)
    if day is None:
        return UNKNOWN
    return day if period == "day" else day[:7]


def trend(items: Iterable[Result], period: Period) -> tuple[GroupStats, ...]:
    """Stats per day (2024-05-01) or month (2024-05) in date order; 未知 (no date) last."""
    groups = _groups(items, lambda item: _period_of(item, period))
    return tuple(sorted(groups, key=lambda group: (group.key == UNKNOWN, group.key)))


def trend_period(items: Iterable[Result]) -> Period:
    """The trend to draw: by month when the calls span more than one month, else by day."""
    months = {day[:7] for item in items if (day := call_day(item.transcript))}
    return "month" if len(months) > 1 else "day"


# --------------------------------------------------------------------------- worst calls


def worst_calls(items: Iterable[Result], limit: int = 10) -> tuple[Result, ...]:
    """The `limit` lowest-scoring calls: lowest score first, ties by id, then by file."""

    def order(item: Result) -> tuple[float, str, str]:
        transcript = item.transcript
        return (item.score.score, transcript.id, transcript.source or "")

    return tuple(sorted(items, key=order)[:limit])
