"""``kind = "response"``: a trigger phrase in a ``trigger_roles`` turn needs, within
``window`` turns of the ``response_roles`` that follow (and in the trigger turn itself when
``include_trigger_turn``), a response phrase or what a recogniser finds (a concrete time,
the customer's name). Triggers may be patterns too (``trigger_patterns``: 打了…{0,2}次). A
response phrase with one of the ``response_unless`` features is no response (领导不在). The
finding is anchored on the trigger. No response turn in reach means no opportunity, no
finding.

Upset goes on over several turns: ``trigger_follow_ups`` (问谁, 你看了吗, 还不认) are
weak triggers, which count only with a second sign: an earlier trigger turn of the call
still unanswered (no response in a response turn since), or a turn that exclaims (！, ？？);
and a trigger turn holding one of ``trigger_turn_exceptions``
anywhere (哈哈: the customer is joking) is no trigger at all. With ``episodes``, trigger
turns that follow one another before any response turn (a burst of chat messages) are one
episode: one finding, on the first."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache, partial
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
from replylint.text.normalize import fold_phrase
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
    # Weak triggers: only while an earlier trigger turn is unanswered, or with ！ or ？？.
    trigger_follow_ups: tuple[str, ...] = ()
    # Anywhere in a trigger's turn, they make it no trigger (哈哈: a joke).
    trigger_turn_exceptions: tuple[str, ...] = ()
    # Trigger turns with no response turn between them (a burst) are one finding.
    episodes: bool = False
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
        triggers = [*rule.triggers, *rule.trigger_follow_ups, *anchors]
        exceptions = [*rule.trigger_exceptions, *rule.trigger_turn_exceptions]
        return [
            (rule.trigger_roles, Slot.TRIGGER, triggers),
            (rule.trigger_roles, Slot.EXCEPTION, exceptions),
            (rule.response_roles, Slot.RESPONSE, rule.responses),
        ]

    def patterns(self, rule: ResponseRule) -> Sequence[Pattern] | None:
        """With trigger patterns, every trigger is one: a phrase is a pattern of one part."""
        if not rule.trigger_patterns:
            return None
        plain = (*rule.triggers, *rule.trigger_follow_ups)
        phrases = (Pattern(phrase, (Part((phrase,)),)) for phrase in plain)
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

        def answered(turns: Iterable[int]) -> bool:
            return any(scan.has_response(t, index, detector, unless) for t in turns)

        upset: int | None = None  # the last trigger turn found unanswered
        for turn in trigger_turns:
            reach = _response_turns(rule, roles, turn)
            if not reach:
                continue  # nobody could respond: no opportunity, no finding
            # Cheap before dear: hits left by the exceptions, then the response, and only
            # then the sentence around the trigger.
            if not scan.may_match(turn, index) or answered(reach) or _calm(rule, scan, turn, index):
                continue
            since = _since(rule, roles, upset, turn)
            if rule.episodes and upset is not None and not since:
                continue  # a burst before anyone could answer: one episode, one finding
            going_on = partial(_unanswered, answered, upset, since)
            span = _trigger_span(rule, scan, turn, index, going_on)
            if span is not None:
                upset = turn
                yield scan.finding(rule, turn, span)

    def docs(self, rule: ResponseRule) -> Iterator[str]:
        expected = ["、".join(rule.responses)] if rule.responses else []
        if rule.response_detector:
            expected.append(RECOGNISERS[rule.response_detector].description)
        same_turn = "the same turn and " if rule.include_trigger_turn else ""
        triggers = [*rule.triggers, *(f"`{p.source}`" for p in rule.trigger_patterns)]
        yield f"**Triggered** in {roles_text(rule.trigger_roles)} turns by " + "、".join(triggers)
        yield from exception_lines(rule.trigger_exceptions)
        if rule.trigger_follow_ups:
            yield ""
            yield "**While an earlier trigger is unanswered, also** " + "、".join(
                rule.trigger_follow_ups
            )
        if rule.trigger_turn_exceptions:
            yield ""
            yield "**No trigger in a turn holding** " + "、".join(rule.trigger_turn_exceptions)
        if rule.episodes:
            yield ""
            yield "**One finding** for trigger turns with no response turn between them"
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
        return (*rule.triggers, *rule.trigger_follow_ups, *patterned), rule.trigger_exceptions


def _trigger_span(
    rule: ResponseRule, scan: DialogueScan, turn: int, index: int, going_on: Callable[[], bool]
) -> tuple[int, int] | None:
    """The first match of the turn that is a trigger on its own, else the first follow-up
    when a second sign backs it: the upset goes on (``going_on``), or the turn exclaims."""
    first = scan.first_match(turn, index)
    if first is None or not rule.trigger_follow_ups:
        return first
    view, follow_ups = scan.view(turn), _folded(rule.trigger_follow_ups)
    if view[first[0] : first[1]] not in follow_ups:
        return first
    alone = (s for s in scan.matches(turn, index) if view[s[0] : s[1]] not in follow_ups)
    strong = next(alone, None)
    if strong is not None:
        return strong
    return first if _EMPHATIC.search(scan.text(turn)) or going_on() else None


# An exclamation, or a question asked twice over: 我确认没有点过！ 问谁？？
_EMPHATIC = re.compile(r"[!！]|[?？]{2,}")


def _calm(rule: ResponseRule, scan: DialogueScan, turn: int, index: int) -> bool:
    """Whether the turn holds one of the rule's turn exceptions (哈哈) anywhere."""
    if not rule.trigger_turn_exceptions:
        return False
    view, calm = scan.view(turn), _folded(rule.trigger_turn_exceptions)
    return any(view[start:end] in calm for start, end in scan.hits(turn, index, Slot.EXCEPTION))


@lru_cache(maxsize=64)
def _folded(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(map(fold_phrase, phrases))


def _unanswered(
    answered: Callable[[Iterable[int]], bool], earlier: int | None, since: list[int]
) -> bool:
    """Whether an earlier trigger turn got no response in the response turns since."""
    return earlier is not None and not answered(since)


def _since(rule: ResponseRule, roles: list[Role], earlier: int | None, turn: int) -> list[int]:
    """The response turns between an earlier trigger turn and this one."""
    if earlier is None:
        return []
    return [t for t in range(earlier + 1, turn) if roles[t] in rule.response_roles]


def _response_turns(rule: ResponseRule, roles: list[Role], turn: int) -> list[int]:
    """The trigger turn (when it counts) and the next ``window`` turns of a response role."""
    reach = [turn] if rule.include_trigger_turn else []
    later = (t for t in range(turn + 1, len(roles)) if roles[t] in rule.response_roles)
    for _, t in zip(range(rule.window), later, strict=False):
        reach.append(t)
    return reach


KIND = ResponseKind()
