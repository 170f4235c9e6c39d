"""``kind = "response"``: a trigger phrase in a ``trigger_roles`` turn needs, within
``window`` turns of the ``response_roles`` that follow (and in the trigger turn itself when
``include_trigger_turn``), a response phrase or what a recogniser finds (a concrete time,
the customer's name). Triggers may be patterns too (``trigger_patterns``: 打了…{0,2}次). A
response phrase with one of the ``response_unless`` features is no response (领导不在). The
finding is anchored on the trigger. No response turn in reach means no opportunity, no
finding."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
from replylint.text.pattern import Part, Pattern
from replylint.text.reading import ClauseFeature
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
    triggers: tuple[str, ...] = ()
    trigger_patterns: tuple[Pattern, ...] = ()
    trigger_exceptions: tuple[str, ...] = ()
    response_roles: frozenset[Role]
    responses: tuple[str, ...] = ()
    response_unless: frozenset[ClauseFeature] = frozenset()
    response_detector: Detector | None = None
    window: int
    include_trigger_turn: bool = False
    options: MatchOptions = NO_OPTIONS

    kind: ClassVar[str] = "response"


class ResponseKind(RuleKind[ResponseRule]):
    record = ResponseRule

    def slots(self, rule: ResponseRule) -> PhraseSlots:
        anchors = [phrase for p in rule.trigger_patterns for phrase in p.parts[0].alternatives]
        return [
            (rule.trigger_roles, Slot.TRIGGER, [*rule.triggers, *anchors]),
            (rule.trigger_roles, Slot.EXCEPTION, rule.trigger_exceptions),
            (rule.response_roles, Slot.RESPONSE, rule.responses),
        ]

    def patterns(self, rule: ResponseRule) -> Sequence[Pattern] | None:
        """With trigger patterns, every trigger is one: a phrase is a pattern of one part."""
        if not rule.trigger_patterns:
            return None
        phrases = (Pattern(phrase, (Part((phrase,)),)) for phrase in rule.triggers)
        return (*rule.trigger_patterns, *phrases)

    def validate(self, rule: ResponseRule, problem: Problem) -> None:
        if not rule.triggers and not rule.trigger_patterns:
            problem("needs 'triggers' or 'trigger_patterns'")
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
        detector, unless = rule.response_detector, rule.response_unless
        for turn in trigger_turns:
            reach = _response_turns(rule, roles, turn)
            if not reach:
                continue  # nobody could respond: no opportunity, no finding
            # Cheap before dear: hits left by the exceptions, then the response, and only
            # then the sentence around the trigger.
            if not scan.may_match(turn, index) or any(
                scan.has_response(t, index, detector, unless) for t in reach
            ):
                continue
            span = scan.first_match(turn, index)  # one finding per trigger turn
            if span is not None:
                yield scan.finding(rule, turn, span)

    def docs(self, rule: ResponseRule) -> Iterator[str]:
        expected = ["、".join(rule.responses)] if rule.responses else []
        if rule.response_detector:
            expected.append(RECOGNISERS[rule.response_detector].description)
        same_turn = "the same turn and " if rule.include_trigger_turn else ""
        triggers = [*rule.triggers, *(f"`{p.source}`" for p in rule.trigger_patterns)]
        yield f"**Triggered** in {roles_text(rule.trigger_roles)} turns by " + "、".join(triggers)
        yield from exception_lines(rule.trigger_exceptions)
        yield ""
        yield (
            f"**Needs** within {same_turn}the next {rule.window} "
            f"{roles_text(rule.response_roles)} turn(s): {' or '.join(expected)}"
        )
        if rule.response_unless:
            features = ", ".join(sorted(rule.response_unless))
            yield ""
            yield f"**A response does not count** when it is: {features}"

    def flagged_and_allowed(self, rule: ResponseRule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        parts = (part for pattern in rule.trigger_patterns for part in pattern.parts)
        patterned = tuple(a for part in parts for a in part.alternatives)
        return (*rule.triggers, *patterned), rule.trigger_exceptions


def _response_turns(rule: ResponseRule, roles: list[Role], turn: int) -> list[int]:
    """The trigger turn (when it counts) and the next ``window`` turns of a response role."""
    reach = [turn] if rule.include_trigger_turn else []
    later = (t for t in range(turn + 1, len(roles)) if roles[t] in rule.response_roles)
    for _, t in zip(range(rule.window), later, strict=False):
        reach.append(t)
    return reach


KIND = ResponseKind()
