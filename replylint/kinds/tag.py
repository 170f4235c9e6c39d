"""``kind = "tag"``: labels a call with ``tag`` (in ``category``: topic, customer-type) when
one of the phrases occurs in a turn of ``roles``, or on an outbound call (the agent calls,
and raises the topic: ``kinds.metadata.transcript_outbound``) of ``outbound_roles``. A tag
is not a violation: never scored, never an exit code; the first occurrence is kept as the
evidence."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from replylint.kinds.base import (
    CUSTOMER,
    NAME,
    NO_OPTIONS,
    NONE_OF_THEM,
    DialogueScan,
    MatchOptions,
    PhraseSlots,
    Problem,
    RuleInfo,
    RuleKind,
    match_findings,
    matches_lines,
    reads,
    roles_text,
    trigger_slots,
)
from replylint.model import Finding, Role, Severity


@dataclass(frozen=True, slots=True, kw_only=True)
class TagRule:
    info: RuleInfo
    category: str
    tag: str = dataclasses.field(metadata=reads(str, lambda value, key, problem: value.strip()))
    roles: frozenset[Role] = CUSTOMER
    phrases: tuple[str, ...]
    exceptions: tuple[str, ...] = ()
    options: MatchOptions = NO_OPTIONS
    outbound_roles: frozenset[Role] = NONE_OF_THEM

    kind: ClassVar[str] = "tag"


class TagKind(RuleKind[TagRule]):
    record = TagRule
    # Never shown nor scored: a tag is not a finding, and has nothing to suggest.
    fixed: ClassVar[dict[str, object]] = {"severity": Severity.INFO, "suggestion": ""}

    def slots(self, rule: TagRule) -> PhraseSlots:
        return trigger_slots(rule.roles, rule.phrases, rule.exceptions)

    def outbound_slots(self, rule: TagRule) -> PhraseSlots:
        return trigger_slots(rule.outbound_roles - rule.roles, rule.phrases, rule.exceptions)

    def validate(self, rule: TagRule, problem: Problem) -> None:
        if rule.category and not NAME.fullmatch(rule.category):
            problem(f"category '{rule.category}' must be lower-case words joined by '-' (topic)")

    def check(
        self, rule: TagRule, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        return match_findings(rule, index, scan, trigger_turns)

    def label(self, rule: TagRule) -> tuple[str, str]:
        return rule.category, rule.tag

    def summary(self, rule: TagRule) -> Iterator[str]:
        yield f"**Tag** ({rule.category}): {rule.tag}. {rule.info.message}"

    def docs(self, rule: TagRule) -> Iterator[str]:
        yield f"**Tags** the call `{rule.category}: {rule.tag}` (never a finding) when"
        yield from matches_lines(rule.roles, rule.phrases, rule.exceptions, rule)
        if rule.outbound_roles:
            yield ""
            yield (
                "**On outbound calls** (metadata `channel` = outbound, `呼叫类型` = 外呼) also in "
                f"{roles_text(rule.outbound_roles)} turns."
            )

    def flagged_and_allowed(self, rule: TagRule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return rule.phrases, rule.exceptions


KIND = TagKind()
