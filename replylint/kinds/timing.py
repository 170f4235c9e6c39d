"""``kind = "timing"``: flags agent turns whose ``measure`` (from ASR start/end times)
exceeds ``limit``; turns without times are skipped. ``phrases`` announce a wait (请您稍等):
a gap after an agent turn holding one is a hold the customer was told about. ``min_chars``
keeps short turns (嗯, 好的) out of speech-rate measurements. The message may hold
``{value}`` and ``{limit}``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from replylint.kinds.base import (
    AGENT,
    NO_OPTIONS,
    DialogueScan,
    MatchOptions,
    PhraseSlots,
    Problem,
    RuleInfo,
    RuleKind,
)
from replylint.model import Finding, Role
from replylint.text.matcher import Slot


class Measure(StrEnum):
    """What a timing rule measures on the agent's turns, from ASR start/end times."""

    REPLY_GAP = "reply-gap"  # seconds from the customer's end to the agent's reply
    HOLD = "hold"  # seconds of silence between two agent turns, unannounced
    SPEECH_RATE = "speech-rate"  # characters a minute within one agent turn
    OVERLAP = "overlap"  # seconds the agent starts before the customer has finished


_UNITS = {
    Measure.REPLY_GAP: "seconds",
    Measure.HOLD: "seconds",
    Measure.OVERLAP: "seconds",
    Measure.SPEECH_RATE: "characters a minute",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class TimingRule:
    info: RuleInfo
    measure: Measure
    limit: float
    phrases: tuple[str, ...] = ()
    min_chars: int = 15

    kind: ClassVar[str] = "timing"
    options: ClassVar[MatchOptions] = NO_OPTIONS


class TimingKind(RuleKind[TimingRule]):
    record = TimingRule
    takes_threshold = True

    def slots(self, rule: TimingRule) -> PhraseSlots:
        return [(AGENT, Slot.RESPONSE, rule.phrases)]  # announced waits

    def validate(self, rule: TimingRule, problem: Problem) -> None:
        if rule.limit <= 0:
            problem("'limit' must be more than 0")
        if rule.min_chars < 1:
            problem("'min_chars' must be at least 1")

    def every_call(self, rule: TimingRule) -> bool:
        return True  # times, not phrases

    def may_apply(self, scan: DialogueScan) -> bool:
        return scan.timed()

    def with_threshold(self, rule: TimingRule, limit: float) -> TimingRule:
        return dataclasses.replace(rule, limit=limit)

    def check(
        self, rule: TimingRule, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        roles = scan.roles()
        spoken = [t for t in range(len(roles)) if scan.spoken(t)]
        last_agent: int | None = None  # the agent's turn before ``before``
        for before, turn in zip([None, *spoken], spoken, strict=False):
            if roles[turn] is not Role.AGENT:
                continue
            value = _measured(rule, index, scan, (before, turn), last_agent)
            last_agent = turn
            if value is not None and value > rule.limit:
                # A hold is the previous agent turn's to announce; the rest is this turn's.
                at = before if rule.measure is Measure.HOLD and before is not None else turn
                yield scan.turn_finding(rule, at, (f"{value:.1f}", f"{rule.limit:g}"))

    def docs(self, rule: TimingRule) -> Iterator[str]:
        yield (
            f"**Measures** {rule.measure} on agent turns with ASR times; flags above "
            f"{rule.limit:g} {_UNITS[rule.measure]} (`thresholds.{rule.info.code}` in the "
            "settings)."
        )
        if rule.phrases:
            yield ""
            yield "**A wait is announced by** " + "、".join(rule.phrases)

    def flagged_and_allowed(self, rule: TimingRule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (), ()  # its phrases excuse a silence; they flag nothing


def _measured(
    rule: TimingRule,
    index: int,
    scan: DialogueScan,
    turns: tuple[int | None, int],
    last_agent: int | None,
) -> float | None:
    """The rule's measure on an agent turn (``turns``: the spoken turn before it and the
    turn), or None when it does not apply or the times are missing. ``last_agent`` is the
    agent's turn before the customer's: a wait it announced (请您稍等，我帮您查一下 / 嗯 /
    感谢您的耐心等待) is no delayed reply."""
    before, turn = turns
    start = scan.times(turn)[0]
    if rule.measure is Measure.SPEECH_RATE:
        return _speech_rate(rule, scan, turn)
    if before is None or start is None:
        return None
    previous_end = scan.times(before)[1]
    if previous_end is None:
        return None
    previous_role = scan.transcript_role(before)
    if rule.measure is Measure.OVERLAP:
        return (previous_end - start) / 1000 if previous_role is Role.CUSTOMER else None
    gap_after = Role.CUSTOMER if rule.measure is Measure.REPLY_GAP else Role.AGENT
    announcer = last_agent if rule.measure is Measure.REPLY_GAP else before
    if previous_role is not gap_after or (
        announcer is not None and scan.has_response(announcer, index, None)
    ):
        return None  # not this measure's gap, or a wait the customer was told about
    return (start - previous_end) / 1000


def _speech_rate(rule: TimingRule, scan: DialogueScan, turn: int) -> float | None:
    """Characters a minute (punctuation and spaces aside), for turns long enough to tell."""
    start, end = scan.times(turn)
    chars = len(scan.view(turn))
    if start is None or end is None or end <= start or chars < rule.min_chars:
        return None
    return chars * 60_000 / (end - start)


KIND = TimingKind()
