"""``kind = "occurrence"``: phrases must occur ``at_least`` and/or ``at_most`` times in a
scope's turns (counted like phrase findings: not overlapping, exceptions removed). Too few:
a finding on the first turn of the scope, spanning its text. Too many: a finding on the
first occurrence past ``at_most``. An empty scope is no opportunity, no finding. A
``final`` scope (the last turns of a role) is judged only where the dialogue ends with it:
when a later turn of another speaker (the platform's system lines aside) asks a question,
the conversation goes on past the transcript, and what is missing may still come."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from replylint.kinds.base import (
    NO_OPTIONS,
    DialogueScan,
    MatchOptions,
    PhraseSlots,
    Problem,
    RuleInfo,
    RuleKind,
    exception_lines,
    trigger_slots,
)
from replylint.model import Finding, Role
from replylint.text.clauses import split_clauses
from replylint.text.pattern import Pattern, parse_pattern


@dataclass(frozen=True, slots=True)
class Scope:
    """The turns of one role that have any text; only the ``first`` or ``last`` N of them
    when given (silent turns are not turns the speaker can be held to); ``final``: only
    where the dialogue ends with them."""

    role: Role
    first: int | None = None
    last: int | None = None
    final: bool = False

    def validate(self, problem: Problem) -> None:
        for key in ("first", "last"):
            value = getattr(self, key)
            if value is not None and value < 1:
                problem(f"'{key}' must be at least 1")
        if self.first is not None and self.last is not None:
            problem("takes 'first' or 'last', not both")
        if self.final and self.last is None:
            problem("'final' needs 'last': only the last turns can end a dialogue")

    def text(self) -> str:
        if self.first is not None:
            return f"the first {self.first} {self.role} turn(s)"
        if self.last is not None:
            final = ", where the dialogue ends with them" if self.final else ""
            return f"the last {self.last} {self.role} turn(s){final}"
        return f"all {self.role} turns"


@dataclass(frozen=True, slots=True, kw_only=True)
class OccurrenceRule:
    info: RuleInfo
    scope: Scope
    phrases: tuple[str, ...]
    patterns: tuple[Pattern, ...] = ()  # counted like phrases: [数字x]号 in a greeting
    at_least: int | None = None
    at_most: int | None = None
    exceptions: tuple[str, ...] = ()
    options: MatchOptions = NO_OPTIONS

    kind: ClassVar[str] = "occurrence"


class OccurrenceKind(RuleKind[OccurrenceRule]):
    record = OccurrenceRule

    def slots(self, rule: OccurrenceRule) -> PhraseSlots:
        # A pattern is anchored on its first part.
        anchors = [*rule.phrases, *(a for p in rule.patterns for a in p.parts[0].alternatives)]
        return trigger_slots(frozenset({rule.scope.role}), anchors, rule.exceptions)

    def patterns(self, rule: OccurrenceRule) -> Sequence[Pattern] | None:
        """With patterns, each phrase is a pattern of one part (the same matches), so that
        the engine grows every hit into a whole match."""
        if not rule.patterns:
            return None
        return (*(parse_pattern(phrase) for phrase in rule.phrases), *rule.patterns)

    def validate(self, rule: OccurrenceRule, problem: Problem) -> None:
        rule.scope.validate(lambda text: problem(f"'scope': {text}"))
        for key, least in (("at_least", 1), ("at_most", 0)):
            value = getattr(rule, key)
            if value is not None and value < least:
                problem(f"'{key}' must be at least {least}")
        if rule.at_least is None and rule.at_most is None:
            problem("needs 'at_least' or 'at_most'")
        elif (
            rule.at_least is not None and rule.at_most is not None and rule.at_least > rule.at_most
        ):
            problem("'at_least' is more than 'at_most': the rule could never be satisfied")

    def every_call(self, rule: OccurrenceRule) -> bool:
        return rule.at_least is not None  # a required phrase can be missing

    def may_apply(self, scan: DialogueScan) -> bool:
        # A missing phrase is a finding only in a dialogue (`_finding`); and without a
        # trigger hit, no phrase is found too often. A lone reply is done at once.
        return scan.dialogue()

    def check(
        self, rule: OccurrenceRule, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        scope = scope_turns(rule.scope, scan)
        if not scope:
            return  # nobody in the scope spoke: no opportunity, no finding
        finding = self._finding(rule, index, scan, trigger_turns, scope)
        # A final scope's dialogue that goes on past the transcript is not the end to judge.
        if finding is not None and not (rule.scope.final and goes_on(scan, scope[-1])):
            yield finding

    def _finding(
        self,
        rule: OccurrenceRule,
        index: int,
        scan: DialogueScan,
        trigger_turns: list[int],
        scope: list[int],
    ) -> Finding | None:
        if rule.at_least == 1 and rule.at_most is None:  # a required phrase: one is enough
            if not _occurs_in(scope, index, scan, trigger_turns) and scan.dialogue():
                return scan.turn_finding(rule, scope[0])
            return None
        found = _found_in(scope, index, scan, trigger_turns) if trigger_turns else []
        if rule.at_least is not None and len(found) < rule.at_least and scan.dialogue():
            return scan.turn_finding(rule, scope[0])
        if rule.at_most is not None and len(found) > rule.at_most:
            return scan.finding(rule, *found[rule.at_most])
        return None

    def docs(self, rule: OccurrenceRule) -> Iterator[str]:
        limits = [f"at least {rule.at_least}"] if rule.at_least is not None else []
        limits += [f"at most {rule.at_most}"] if rule.at_most is not None else []
        yield f"**Counts** in {rule.scope.text()}: {' and '.join(limits)} of"
        yield "、".join((*rule.phrases, *(f"`{pattern.source}`" for pattern in rule.patterns)))
        yield from exception_lines(rule.exceptions)

    def flagged_and_allowed(self, rule: OccurrenceRule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        parts = (part for pattern in rule.patterns for part in pattern.parts)
        return (*rule.phrases, *(a for part in parts for a in part.alternatives)), rule.exceptions


def _occurs_in(scope: list[int], index: int, scan: DialogueScan, trigger_turns: list[int]) -> bool:
    """Whether the rule matches in any of the scope's turns."""
    with_hits = set(trigger_turns)
    return any(scan.occurs(turn, index) for turn in scope if turn in with_hits)


def _found_in(
    scope: list[int], index: int, scan: DialogueScan, trigger_turns: list[int]
) -> list[tuple[int, tuple[int, int]]]:
    """(turn, span) of every match of the rule in the scope's turns, in order."""
    with_hits = set(trigger_turns)
    return [
        (turn, span) for turn in scope if turn in with_hits for span in scan.matches(turn, index)
    ]


def goes_on(scan: DialogueScan, turn: int) -> bool:
    """Whether a later turn of another speaker (not the platform) asks a question: the
    conversation is not over with ``turn``."""
    own = scan.transcript_role(turn)
    return any(
        clause.question
        for later, role in enumerate(scan.roles()[turn + 1 :], turn + 1)
        if role not in (own, Role.SYSTEM)
        for clause in split_clauses(scan.text(later))
    )


def scope_turns(scope: Scope, scan: DialogueScan) -> list[int]:
    """The turns of the scope, in order."""
    turns = scan.spoken_turns(scope.role)
    if scope.first is not None:
        return turns[: scope.first]
    if scope.last is not None:
        return turns[-scope.last :]
    return turns


KIND = OccurrenceKind()
