"""``kind = "phrase"``: a phrase must not occur in a turn of the given roles; one finding a
match."""

from __future__ import annotations

from collections.abc import Iterator
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
    match_findings,
    matches_lines,
    trigger_slots,
)
from replylint.model import Finding, Role


@dataclass(frozen=True, slots=True, kw_only=True)
class PhraseRule:
    info: RuleInfo
    roles: frozenset[Role] = AGENT
    phrases: tuple[str, ...]
    exceptions: tuple[str, ...] = ()
    options: MatchOptions = NO_OPTIONS

    kind: ClassVar[str] = "phrase"


class PhraseKind(RuleKind[PhraseRule]):
    record = PhraseRule

    def slots(self, rule: PhraseRule) -> PhraseSlots:
        return trigger_slots(rule.roles, rule.phrases, rule.exceptions)

    def check(
        self, rule: PhraseRule, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        return match_findings(rule, index, scan, trigger_turns)

    def docs(self, rule: PhraseRule) -> Iterator[str]:
        return matches_lines(rule.roles, rule.phrases, rule.exceptions, rule)

    def flagged_and_allowed(self, rule: PhraseRule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return rule.phrases, rule.exceptions


KIND = PhraseKind()
