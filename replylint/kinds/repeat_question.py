"""``kind = "repeat-question"``: an ``asked`` phrase in a turn of ``asking_roles`` asks for
an item the customer has already given: earlier, a turn of ``given_roles`` named the item
(a ``given`` phrase, exceptions removed) with its value (an ``answer``) starting at most
``reach`` characters after it, or replied with a value to an earlier ask (a reply holding
one of the ``refusals``, 不知道 or 忘了, gives nothing); an asking turn holding one of the
``excuses`` (没听清, 核对一下) asks for a reason. The finding is on the later ask; the
message may hold ``{value}``: the turn where the item was first given."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from replylint.kinds.base import (
    AGENT,
    CUSTOMER,
    MAX_REACH,
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
from replylint.text.matcher import Slot, overlaps
from replylint.text.recognise import RECOGNISERS
from replylint.text.recognise.answers import Answer, answer_start, has_answer


@dataclass(frozen=True, slots=True, kw_only=True)
class RepeatQuestionRule:
    info: RuleInfo
    asked: tuple[str, ...]
    given: tuple[str, ...]
    answer: Answer
    asking_roles: frozenset[Role] = AGENT
    given_roles: frozenset[Role] = CUSTOMER
    asked_exceptions: tuple[str, ...] = ()
    given_exceptions: tuple[str, ...] = ()
    refusals: tuple[str, ...] = ()
    excuses: tuple[str, ...] = ()
    reach: int = 8

    kind: ClassVar[str] = "repeat-question"
    options: ClassVar[MatchOptions] = NO_OPTIONS


class RepeatQuestionKind(RuleKind[RepeatQuestionRule]):
    record = RepeatQuestionRule

    def slots(self, rule: RepeatQuestionRule) -> PhraseSlots:
        return [
            (rule.asking_roles, Slot.TRIGGER, rule.asked),
            (rule.asking_roles, Slot.EXCEPTION, rule.asked_exceptions),
            (rule.asking_roles, Slot.RESPONSE, rule.excuses),
            (rule.given_roles, Slot.GIVEN, rule.given),
            (rule.given_roles, Slot.GIVEN_EXCEPTION, rule.given_exceptions),
            (rule.given_roles, Slot.REFUSAL, rule.refusals),
        ]

    def validate(self, rule: RepeatQuestionRule, problem: Problem) -> None:
        if rule.asking_roles & rule.given_roles:
            problem("'asking_roles' and 'given_roles' must not share a role")
        if not 0 <= rule.reach <= MAX_REACH:
            problem(f"'reach' must be from 0 to {MAX_REACH} characters")

    def check(
        self, rule: RepeatQuestionRule, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        """A finding on each ask (without an excuse) that comes after the item was given."""
        asks = [(turn, spans) for turn in trigger_turns if (spans := scan.matches(turn, index))]
        if not asks:
            return
        given = _given_turns(rule, index, scan, [turn for turn, _ in asks])
        for turn, spans in asks:
            if given and given[0] < turn and not scan.has_response(turn, index, None):
                yield scan.finding(rule, turn, spans[0], (str(given[0]), ""))

    def docs(self, rule: RepeatQuestionRule) -> Iterator[str]:
        givers = roles_text(rule.given_roles)
        value = RECOGNISERS[rule.answer].description
        yield f"**Asks** in {roles_text(rule.asking_roles)} turns: " + "、".join(rule.asked)
        yield from exception_lines(rule.asked_exceptions)
        yield ""
        yield (
            f"**Already given** when an earlier {givers} turn names the item ("
            + "、".join(rule.given)
            + f") with {value} within {rule.reach} characters after it, or "
            f"replies with {value} to an earlier ask (the next spoken turn)."
        )
        if rule.given_exceptions:
            yield ""
            yield (
                "**Not a naming of the item** inside "
                + "、".join(rule.given_exceptions)
                + "; a reply holding one gives nothing."
            )
        if rule.refusals:
            yield ""
            yield (
                "**Refusals:** a reply holding one gives nothing, nor does a name with one "
                "before its value: " + "、".join(rule.refusals)
            )
        if rule.excuses:
            yield ""
            yield "**Excused:** an asking turn holding " + "、".join(rule.excuses)

    def flagged_and_allowed(
        self, rule: RepeatQuestionRule
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return rule.asked, rule.asked_exceptions


def _given_turns(
    rule: RepeatQuestionRule, index: int, scan: DialogueScan, asks: list[int]
) -> list[int]:
    """The turns where the item was given, in order: named with its value right after it,
    or a value in the reply to an ask, unless that reply refuses (不知道: its number may
    then be another item's) or holds a given exception (你们的电话是95598吗)."""
    named = (
        turn
        for role in rule.given_roles
        for turn in scan.spoken_turns(role)
        if _names_with_value(rule, index, scan, turn)
    )
    replies = (_reply(rule, scan, ask) for ask in asks)
    answered = (
        turn
        for turn in replies
        if turn is not None
        and not scan.hits(turn, index, Slot.REFUSAL)
        and not scan.hits(turn, index, Slot.GIVEN_EXCEPTION)
        and has_answer(rule.answer, scan.view(turn))
    )
    return sorted({*named, *answered})


def _names_with_value(rule: RepeatQuestionRule, index: int, scan: DialogueScan, turn: int) -> bool:
    """Whether the turn names the item (outside its exceptions) with a value right after,
    no refusal between them (户号我不知道，电话是…: that number is not the 户号)."""
    names = scan.hits(turn, index, Slot.GIVEN)
    if not names:
        return False  # most turns: no view needed
    view = scan.view(turn)
    exceptions = scan.hits(turn, index, Slot.GIVEN_EXCEPTION)
    refusals = scan.hits(turn, index, Slot.REFUSAL)
    for start, end in names:
        if overlaps((start, end), exceptions):
            continue
        value = answer_start(rule.answer, view, end, end + rule.reach + 1)
        if value is not None and not any(end <= r_start < value for r_start, _ in refusals):
            return True
    return False


def _reply(rule: RepeatQuestionRule, scan: DialogueScan, ask: int) -> int | None:
    """The next spoken turn after the ask, when a giving role speaks it: after another
    agent turn (a second ask, for another item) the customer's number answers that one."""
    later = (t for t in range(ask + 1, len(scan.roles())) if scan.spoken(t))
    reply = next(later, None)
    return reply if reply is not None and scan.transcript_role(reply) in rule.given_roles else None


KIND = RepeatQuestionKind()
