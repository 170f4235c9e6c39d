"""``kind = "response"``: a trigger phrase in a ``trigger_roles`` turn needs, within
``window`` turns of the ``response_roles`` that follow (and in the trigger turn itself when
``include_trigger_turn``), a response phrase or what a recogniser finds (a concrete time,
the customer's name). The finding is anchored on the trigger. No response turn in reach
means no opportunity, no finding."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
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
    roles_text,
)
from replylint.model import Finding, Role
from replylint.text.matcher import Slot
from replylint.text.recognise import RECOGNISERS

# Each trigger looks this many turns ahead: a bound keeps a response rule linear in a call.
MAX_WINDOW = 50


class Detector(StrEnum):
    """The recognisers (``text.recognise``) a response rule can require instead of, or
    beside, phrases."""

    TIME = "time"  # a concrete time: 24小时内, 两个工作日内, 明天上午十点前
    ADDRESS = "address"  # the customer addressed by surname and title: 王先生, 李女士, 陈生


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponseRule:
    info: RuleInfo
    trigger_roles: frozenset[Role]
    triggers: tuple[str, ...]
    trigger_exceptions: tuple[str, ...] = ()
    response_roles: frozenset[Role]
    responses: tuple[str, ...] = ()
    response_detector: Detector | None = None
    window: int
    include_trigger_turn: bool = False
    options: MatchOptions = NO_OPTIONS

    kind: ClassVar[str] = "response"


class ResponseKind(RuleKind[ResponseRule]):
    record = ResponseRule

    def slots(self, rule: ResponseRule) -> PhraseSlots:
        return [
            (rule.trigger_roles, Slot.TRIGGER, rule.triggers),
            (rule.trigger_roles, Slot.EXCEPTION, rule.trigger_exceptions),
            (rule.response_roles, Slot.RESPONSE, rule.responses),
        ]

    def validate(self, rule: ResponseRule, problem: Problem) -> None:
        if rule.window < 1:
            problem("'window' must be at least 1")
        elif rule.window > MAX_WINDOW:
            problem(f"'window' must be at most {MAX_WINDOW} turns")
        if not rule.responses and rule.response_detector is None:
            problem("needs 'responses' or 'response_detector': otherwise it can never be satisfied")

    def check(
        self, rule: ResponseRule, index: int, scan: DialogueScan, trigger_turns: list[int]
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

    def docs(self, rule: ResponseRule) -> Iterator[str]:
        expected = ["、".join(rule.responses)] if rule.responses else []
        if rule.response_detector:
            expected.append(RECOGNISERS[rule.response_detector].description)
        same_turn = "the same turn and " if rule.include_trigger_turn else ""
        yield f"**Triggered** in {roles_text(rule.trigger_roles)} turns by " + "、".join(
            rule.triggers
        )
        yield from exception_lines(rule.trigger_exceptions)
        yield ""
        yield (
            f"**Needs** within {same_turn}the next {rule.window} "
            f"{roles_text(rule.response_roles)} turn(s): {' or '.join(expected)}"
        )

    def flagged_and_allowed(self, rule: ResponseRule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return rule.triggers, rule.trigger_exceptions


def _response_turns(rule: ResponseRule, roles: list[Role], turn: int) -> list[int]:
    """The trigger turn (when it counts) and the next ``window`` turns of a response role."""
    reach = [turn] if rule.include_trigger_turn else []
    later = (t for t in range(turn + 1, len(roles)) if roles[t] in rule.response_roles)
    for _, t in zip(range(rule.window), later, strict=False):
        reach.append(t)
    return reach


KIND = ResponseKind()
