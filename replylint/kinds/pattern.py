"""``kind = "pattern"``: like a phrase rule, with patterns (``text.pattern``) instead of
fixed phrases: a finding spans a whole match, from its first part's start to its last
part's end. The automaton finds the first part; the engine grows whole matches from it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from replylint.kinds.base import (
    AGENT,
    NO_OPTIONS,
    DialogueScan,
    MatchOptions,
    PhraseSlots,
    RuleInfo,
    RuleKind,
    exception_lines,
    match_findings,
    roles_text,
    trigger_slots,
)
from replylint.model import Finding, Role
from replylint.text.pattern import Pattern


@dataclass(frozen=True, slots=True, kw_only=True)
class PatternRule:
    info: RuleInfo
    roles: frozenset[Role] = AGENT
    patterns: tuple[Pattern, ...]
    exceptions: tuple[str, ...] = ()
    options: MatchOptions = NO_OPTIONS

    kind: ClassVar[str] = "pattern"


class PatternKind(RuleKind[PatternRule]):
    record = PatternRule

    def slots(self, rule: PatternRule) -> PhraseSlots:
        # A pattern is anchored on its first part.
        anchors = [phrase for p in rule.patterns for phrase in p.parts[0].alternatives]
        return trigger_slots(rule.roles, anchors, rule.exceptions)

    def patterns(self, rule: PatternRule) -> Sequence[Pattern]:
        return rule.patterns

    def check(
        self, rule: PatternRule, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        return match_findings(rule, index, scan, trigger_turns)

    def docs(self, rule: PatternRule) -> Iterator[str]:
        roles, boundary = roles_text(rule.roles), rule.options.boundary
        yield f"**Matches** in {roles} turns (word boundary: {boundary}) the patterns:"
        yield "、".join(f"`{pattern.source}`" for pattern in rule.patterns)
        yield from exception_lines(rule.exceptions)

    def flagged_and_allowed(self, rule: PatternRule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Each of the parts' phrases is flagged."""
        parts = (part for pattern in rule.patterns for part in pattern.parts)
        return tuple(a for part in parts for a in part.alternatives), rule.exceptions


KIND = PatternKind()
