"""``kind = "commitment"``: a duration the agent promises near a subject (到现场, 恢复供电,
校验结果) must not exceed ``limit_minutes``: the published commitment (State Grid's 十项承诺).
A duration counts when it lies within ``reach`` characters of the subject in the same
clause. The message may hold ``{value}`` (the promise, in minutes) and ``{limit}``.
``area_limits`` (area, minutes) replace the limit on calls whose metadata names the area
(city, rural, remote: ``kinds.metadata.transcript_area``)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from replylint.kinds.base import (
    AGENT,
    MAX_REACH,
    NO_OPTIONS,
    DialogueScan,
    MatchOptions,
    PhraseSlots,
    Problem,
    RuleInfo,
    RuleKind,
    exception_lines,
    reads,
    roles_text,
    trigger_slots,
)
from replylint.kinds.metadata import AREAS
from replylint.model import Finding, Role
from replylint.text.recognise.durations import (
    Duration,
    decimal_minutes,
    find_durations,
    human_duration,
)


def _area_limits(
    raw: dict[str, object], key: str, problem: Problem
) -> tuple[tuple[str, float], ...]:
    """A table of area = minutes (city = 45)."""
    limits: list[tuple[str, float]] = []
    for area, minutes in raw.items():
        if area not in AREAS:
            problem(f"'{key}': {area!r} unknown; expected some of {', '.join(AREAS)}")
        elif not isinstance(minutes, int | float) or isinstance(minutes, bool) or minutes <= 0:
            problem(f"'{key}': {area} must be a number of minutes more than 0")
        else:
            limits.append((area, float(minutes)))
    return tuple(limits)


@dataclass(frozen=True, slots=True, kw_only=True)
class CommitmentRule:
    info: RuleInfo
    roles: frozenset[Role] = AGENT
    subjects: tuple[str, ...]
    limit_minutes: float
    reach: int = 12
    exceptions: tuple[str, ...] = ()
    area_limits: tuple[tuple[str, float], ...] = dataclasses.field(
        default=(), metadata=reads(dict, _area_limits)
    )

    kind: ClassVar[str] = "commitment"
    options: ClassVar[MatchOptions] = NO_OPTIONS


class CommitmentKind(RuleKind[CommitmentRule]):
    record = CommitmentRule
    takes_threshold = True

    def slots(self, rule: CommitmentRule) -> PhraseSlots:
        return trigger_slots(rule.roles, rule.subjects, rule.exceptions)

    def validate(self, rule: CommitmentRule, problem: Problem) -> None:
        if rule.limit_minutes <= 0:
            problem("'limit_minutes' must be more than 0")
        if not 0 <= rule.reach <= MAX_REACH:
            problem(f"'reach' must be from 0 to {MAX_REACH} characters")

    def with_threshold(self, rule: CommitmentRule, limit: float) -> CommitmentRule:
        # A threshold is one limit for every call, whatever area it names.
        return dataclasses.replace(rule, limit_minutes=limit, area_limits=())

    def check(
        self, rule: CommitmentRule, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        """One finding per turn: the promise beyond the limit that stands nearest its
        subject."""
        limit = rule.limit_minutes
        if rule.area_limits:
            limit = dict(rule.area_limits).get(scan.area() or "", limit)
        for turn in trigger_turns:
            too_long = [d for d in _durations(scan, turn) if d.minutes > limit]
            pairs = [
                (max(d.start - end, start - d.end), (start, end), d)
                for start, end in scan.matches(turn, index)
                for d in too_long
                if max(d.start - end, start - d.end) <= rule.reach
                and _same_clause(scan, turn, (start, end), (d.start, d.end))
            ]
            if pairs:
                _, (start, end), promise = min(pairs, key=lambda pair: pair[0])
                span = (min(start, promise.start), max(end, promise.end))
                values = (human_duration(promise.minutes), human_duration(limit))
                yield scan.finding(rule, turn, span, values)

    def docs(self, rule: CommitmentRule) -> Iterator[str]:
        yield (
            f"**Promises** in {roles_text(rule.roles)} turns: a duration within "
            f"{rule.reach} characters of one of"
        )
        yield "、".join(rule.subjects)
        yield ""
        areas = "".join(
            f"; on calls whose metadata says area = {area}, above {human_duration(minutes)}"
            for area, minutes in rule.area_limits
        )
        yield (
            f"**Flags** a duration above {human_duration(rule.limit_minutes)}{areas} "
            f"(`thresholds.{rule.info.code}`, in minutes, sets one limit for every call)."
        )
        yield from exception_lines(rule.exceptions)

    def flagged_and_allowed(self, rule: CommitmentRule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return rule.subjects, rule.exceptions


def _durations(scan: DialogueScan, turn: int) -> list[Duration]:
    """The durations in the turn's view, with the minutes its original text gives a
    decimal (师傅0.5小时内到: the view reads 05小时)."""
    text = scan.text(turn)
    durations = []
    for found in find_durations(scan.view(turn)):
        start, end = scan.original_span(turn, (found.start, found.end))
        minutes = decimal_minutes(text[start:end])
        durations.append(found if minutes is None else dataclasses.replace(found, minutes=minutes))
    return durations


_CLAUSE_ENDS = re.compile(r"[，。；！？、：…,.;!?:\n]")


def _same_clause(scan: DialogueScan, turn: int, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether no punctuation that ends a clause stands between two view spans in the
    original text (到现场，三个半小时内恢复供电: the 3.5 hours are the restoration's)."""
    first, second = sorted((a, b))
    between = scan.text(turn)[
        scan.original_span(turn, first)[1] : scan.original_span(turn, second)[0]
    ]
    return _CLAUSE_ENDS.search(between) is None


KIND = CommitmentKind()
