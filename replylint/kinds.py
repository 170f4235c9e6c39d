"""The rule kinds: each turns a rule plus the dialogue's scan into findings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from replylint.matcher import Slot
from replylint.model import Finding, Role
from replylint.rules import (
    Detector,
    OccurrenceRule,
    PatternRule,
    PhraseRule,
    ResponseRule,
    Rule,
    Scope,
    TagRule,
)


class DialogueScan(Protocol):
    """What a kind may ask of the engine about one transcript (see ``engine.py``)."""

    def roles(self) -> list[Role]: ...

    def spoken(self, turn: int) -> bool:
        """Whether the turn has any text besides white space."""
        ...

    def matches(self, turn: int, rule: int) -> list[tuple[int, int]]:
        """Non-overlapping trigger spans (for a pattern rule: whole matches) of the rule in
        the turn's view, exceptions removed."""
        ...

    def has_response(self, turn: int, rule: int, detector: Detector | None) -> bool: ...

    def finding(self, rule: Rule, turn: int, span: tuple[int, int]) -> Finding: ...

    def turn_finding(self, rule: Rule, turn: int) -> Finding:
        """A finding spanning the turn's text, without its surrounding white space."""
        ...


def check(
    rule: Rule, index: int, scan: DialogueScan, trigger_turns: list[int]
) -> Iterator[Finding]:
    """Findings of one rule; ``trigger_turns`` are the turns where its triggers occur."""
    match rule:
        case PhraseRule() | PatternRule() | TagRule():
            return _check_phrase(rule, index, scan, trigger_turns)
        case ResponseRule():
            return _check_response(rule, index, scan, trigger_turns)
        case OccurrenceRule():
            return _check_occurrence(rule, index, scan, trigger_turns)


def needs_every_transcript(rule: Rule) -> bool:
    """Whether the rule can fire where none of its phrases occur (a required phrase)."""
    return isinstance(rule, OccurrenceRule) and rule.at_least is not None


def _check_phrase(
    rule: PhraseRule | PatternRule | TagRule,
    index: int,
    scan: DialogueScan,
    trigger_turns: list[int],
) -> Iterator[Finding]:
    for turn in trigger_turns:
        for span in scan.matches(turn, index):
            yield scan.finding(rule, turn, span)


def _check_response(
    rule: ResponseRule, index: int, scan: DialogueScan, trigger_turns: list[int]
) -> Iterator[Finding]:
    roles = scan.roles()
    for turn in trigger_turns:
        spans = scan.matches(turn, index)
        if not spans:
            continue
        reach = _response_turns(rule, roles, turn)
        if not reach:
            continue  # nobody could respond: no opportunity, no finding
        if not any(scan.has_response(t, index, rule.response_detector) for t in reach):
            yield scan.finding(rule, turn, spans[0])  # one finding per trigger turn


def _check_occurrence(
    rule: OccurrenceRule, index: int, scan: DialogueScan, trigger_turns: list[int]
) -> Iterator[Finding]:
    scope = scope_turns(rule.scope, scan)
    if not scope:
        return  # nobody in the scope spoke: no opportunity, no finding
    with_hits = set(trigger_turns)
    found = [
        (turn, span) for turn in scope if turn in with_hits for span in scan.matches(turn, index)
    ]
    if rule.at_least is not None and len(found) < rule.at_least:
        yield scan.turn_finding(rule, scope[0])
    elif rule.at_most is not None and len(found) > rule.at_most:
        yield scan.finding(rule, *found[rule.at_most])


def scope_turns(scope: Scope, scan: DialogueScan) -> list[int]:
    """The turns of the scope, in order."""
    turns = [t for t, role in enumerate(scan.roles()) if role is scope.role and scan.spoken(t)]
    if scope.first is not None:
        return turns[: scope.first]
    if scope.last is not None:
        return turns[-scope.last :]
    return turns


def _response_turns(rule: ResponseRule, roles: list[Role], turn: int) -> list[int]:
    """The trigger turn (when it counts) and the next ``window`` turns of a response role."""
    reach = [turn] if rule.include_trigger_turn else []
    later = (t for t in range(turn + 1, len(roles)) if roles[t] in rule.response_roles)
    for _, t in zip(range(rule.window), later, strict=False):
        reach.append(t)
    return reach


__all__ = ["DialogueScan", "Slot", "check"]
