"""The rule kinds: each turns a rule plus the dialogue's scan into findings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from replylint.matcher import Slot
from replylint.model import Finding, Role
from replylint.rules import Detector, PatternRule, PhraseRule, ResponseRule, Rule


class DialogueScan(Protocol):
    """What a kind may ask of the engine about one transcript (see ``engine.py``)."""

    def roles(self) -> list[Role]: ...

    def matches(self, turn: int, rule: int) -> list[tuple[int, int]]:
        """Non-overlapping trigger spans (for a pattern rule: whole matches) of the rule in
        the turn's view, exceptions removed."""
        ...

    def has_response(self, turn: int, rule: int, detector: Detector | None) -> bool: ...

    def finding(self, rule: Rule, turn: int, span: tuple[int, int]) -> Finding: ...


def check(
    rule: Rule, index: int, scan: DialogueScan, trigger_turns: list[int]
) -> Iterator[Finding]:
    """Findings of one rule; ``trigger_turns`` are the turns where its triggers occur."""
    match rule:
        case PhraseRule() | PatternRule():
            return _check_phrase(rule, index, scan, trigger_turns)
        case ResponseRule():
            return _check_response(rule, index, scan, trigger_turns)


def _check_phrase(
    rule: PhraseRule | PatternRule, index: int, scan: DialogueScan, trigger_turns: list[int]
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


def _response_turns(rule: ResponseRule, roles: list[Role], turn: int) -> list[int]:
    """The trigger turn (when it counts) and the next ``window`` turns of a response role."""
    reach = [turn] if rule.include_trigger_turn else []
    later = (t for t in range(turn + 1, len(roles)) if roles[t] in rule.response_roles)
    for _, t in zip(range(rule.window), later, strict=False):
        reach.append(t)
    return reach


__all__ = ["DialogueScan", "Slot", "check"]
