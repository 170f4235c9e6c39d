"""The rule kinds: each turns a rule plus the dialogue's scan into findings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Protocol

from replylint.kinds.records import (
    CommitmentRule,
    Detector,
    Measure,
    OccurrenceRule,
    PatternRule,
    PersonalDataRule,
    PhraseRule,
    RepeatQuestionRule,
    ResponseRule,
    Rule,
    Scope,
    TagRule,
    TimingRule,
)
from replylint.model import Finding, Role
from replylint.text.matcher import Slot, overlaps
from replylint.text.recognise.answers import answer_start, has_answer
from replylint.text.recognise.durations import (
    Duration,
    decimal_minutes,
    find_durations,
    human_duration,
)
from replylint.text.recognise.personal_data import find_personal_data

Values = tuple[str, str]  # (measured, limit), shown in a message's {value} and {limit}


class DialogueScan(Protocol):
    """What a kind may ask of the engine about one transcript (see ``engine.py``)."""

    def roles(self) -> list[Role]: ...

    def spoken(self, turn: int) -> bool:
        """Whether the turn has any text besides white space."""
        ...

    def transcript_role(self, turn: int) -> Role:
        """The role of one turn (without building the list ``roles()`` gives)."""
        ...

    def spoken_turns(self, role: Role) -> list[int]:
        """The turns of ``role`` with any text besides white space, in order."""
        ...

    def dialogue(self) -> bool:
        """Whether more than one role speaks: a lone reply (a draft checked on its own) is
        not a call, and cannot be held to what a call must contain (a greeting, a goodbye).
        """
        ...

    def matches(self, turn: int, rule: int) -> list[tuple[int, int]]:
        """Non-overlapping trigger spans (for a pattern rule: whole matches) of the rule in
        the turn's view, exceptions removed."""
        ...

    def occurs(self, turn: int, rule: int) -> bool:
        """Whether ``matches`` is not empty (often known without computing it)."""
        ...

    def has_response(self, turn: int, rule: int, detector: Detector | None) -> bool: ...

    def hits(self, turn: int, rule: int, slot: Slot) -> list[tuple[int, int]]:
        """Every hit of the rule's phrases of ``slot`` in the turn's view, as found."""
        ...

    def view(self, turn: int) -> str:
        """The turn's folded view (what rules match against)."""
        ...

    def times(self, turn: int) -> tuple[int | None, int | None]:
        """The turn's ASR start and end, in milliseconds, when known."""
        ...

    def timed(self) -> bool:
        """Whether any turn has an ASR time: most calls have none, and no timing to check."""
        ...

    def area(self) -> str | None:
        """The area (city, rural, remote) the call's metadata names, if any."""
        ...

    def personal_data_turns(self) -> Iterable[int]:
        """The turns that may hold personal data (a long run of digits, an @), in order."""
        ...

    def finding(
        self,
        rule: Rule,
        turn: int,
        span: tuple[int, int],
        values: Values | None = None,
    ) -> Finding:
        """A finding on a view span; ``values`` (measured, limit) fill the message's
        ``{value}`` and ``{limit}``."""
        ...

    def text_finding(self, rule: Rule, turn: int, start: int, end: int) -> Finding:
        """A finding on a span of the turn's original text."""
        ...

    def text(self, turn: int) -> str:
        """The turn's original text."""
        ...

    def original_span(self, turn: int, span: tuple[int, int]) -> tuple[int, int]:
        """A non-empty view span of the turn, in its original text."""
        ...

    def turn_finding(self, rule: Rule, turn: int, values: Values | None = None) -> Finding:
        """A finding spanning the turn's text, without its surrounding white space."""
        ...


def check(
    rule: Rule, index: int, scan: DialogueScan, trigger_turns: list[int]
) -> Iterator[Finding]:
    """Findings of one rule; ``trigger_turns`` are the turns where its triggers occur."""
    match rule:
        case TimingRule():
            return _check_timing(rule, index, scan)
        case PersonalDataRule():
            return _check_personal_data(rule, scan)
        case _:
            return _check_triggered(rule, index, scan, trigger_turns)


def _check_triggered(
    rule: PhraseRule
    | PatternRule
    | TagRule
    | ResponseRule
    | OccurrenceRule
    | CommitmentRule
    | RepeatQuestionRule,
    index: int,
    scan: DialogueScan,
    trigger_turns: list[int],
) -> Iterator[Finding]:
    """The kinds that start from phrase hits (an occurrence rule may also need none)."""
    match rule:
        case PhraseRule() | PatternRule() | TagRule():
            return _check_phrase(rule, index, scan, trigger_turns)
        case ResponseRule():
            return _check_response(rule, index, scan, trigger_turns)
        case OccurrenceRule():
            return _check_occurrence(rule, index, scan, trigger_turns)
        case CommitmentRule():
            return _check_commitment(rule, index, scan, trigger_turns)
        case RepeatQuestionRule():
            return _check_repeat_question(rule, index, scan, trigger_turns)


def may_apply(rule: Rule, scan: DialogueScan) -> bool:
    """For a rule of ``needs_every_transcript``: whether this call can give it a finding
    at all (cheap checks, so that most calls are done at once). The answer depends on the
    rule's kind alone: the engine asks once a kind."""
    if isinstance(rule, TimingRule):
        return scan.timed()
    if isinstance(rule, PersonalDataRule):
        return any(True for _ in scan.personal_data_turns())
    return True


def needs_every_transcript(rule: Rule) -> bool:
    """Whether the rule can fire where none of its phrases occur (a required phrase)."""
    if isinstance(rule, TimingRule | PersonalDataRule):
        return True  # times or numbers, not phrases
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
    if rule.at_least == 1 and rule.at_most is None:  # a required phrase: one is enough
        if not _occurs_in(scope, index, scan, trigger_turns) and scan.dialogue():
            yield scan.turn_finding(rule, scope[0])
        return
    found = _found_in(scope, index, scan, trigger_turns) if trigger_turns else []
    if rule.at_least is not None and len(found) < rule.at_least and scan.dialogue():
        yield scan.turn_finding(rule, scope[0])
    elif rule.at_most is not None and len(found) > rule.at_most:
        yield scan.finding(rule, *found[rule.at_most])


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


def _check_timing(rule: TimingRule, index: int, scan: DialogueScan) -> Iterator[Finding]:
    roles = scan.roles()
    spoken = [t for t in range(len(roles)) if scan.spoken(t)]
    for before, turn in zip([None, *spoken], spoken, strict=False):
        if roles[turn] is not Role.AGENT:
            continue
        value = _measured(rule, index, scan, before, turn)
        if value is not None and value > rule.limit:
            # A hold is the previous agent turn's to announce; the rest is this turn's.
            at = before if rule.measure is Measure.HOLD and before is not None else turn
            yield scan.turn_finding(rule, at, (f"{value:.1f}", f"{rule.limit:g}"))


def _measured(
    rule: TimingRule, index: int, scan: DialogueScan, before: int | None, turn: int
) -> float | None:
    """The rule's measure on an agent turn (``before``: the spoken turn before it), or
    None when it does not apply or the times are missing."""
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
    if previous_role is not gap_after or scan.has_response(before, index, None):
        return None  # not this measure's gap, or a wait the customer was told about
    return (start - previous_end) / 1000


def _speech_rate(rule: TimingRule, scan: DialogueScan, turn: int) -> float | None:
    """Characters a minute (punctuation and spaces aside), for turns long enough to tell."""
    start, end = scan.times(turn)
    chars = len(scan.view(turn))
    if start is None or end is None or end <= start or chars < rule.min_chars:
        return None
    return chars * 60_000 / (end - start)


def _check_commitment(
    rule: CommitmentRule, index: int, scan: DialogueScan, trigger_turns: list[int]
) -> Iterator[Finding]:
    """One finding per turn: the promise beyond the limit that stands nearest its subject."""
    limit = rule.limit_minutes
    if rule.area_limits:
        limit = dict(rule.area_limits).get(scan.area() or "", limit)
    for turn in trigger_turns:
        too_long = [d for d in _durations(scan, turn) if d.minutes > limit]
        pairs = [
            (max(d.start - end, start - d.end), (start, end), d)
            for start, end in scan.matches(turn, index)
            for d in too_long
            if max(d.start - end, start - d.end) <= rule.reach
            and _same_clause(scan, turn, (start, end), (d.start, d.end))
        ]
        if pairs:
            _, (start, end), promise = min(pairs, key=lambda pair: pair[0])
            span = (min(start, promise.start), max(end, promise.end))
            values = (human_duration(promise.minutes), human_duration(limit))
            yield scan.finding(rule, turn, span, values)


def _durations(scan: DialogueScan, turn: int) -> list[Duration]:
    """The durations in the turn's view, with the minutes its original text gives a
    decimal (师傅0.5小时内到: the view reads 05小时)."""
    text = scan.text(turn)
    durations = []
    for found in find_durations(scan.view(turn)):
        start, end = scan.original_span(turn, (found.start, found.end))
        minutes = decimal_minutes(text[start:end])
        durations.append(found if minutes is None else replace(found, minutes=minutes))
    return durations


_CLAUSE_ENDS = re.compile(r"[，。；！？、：…,.;!?:\n]")


def _same_clause(scan: DialogueScan, turn: int, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether no punctuation that ends a clause stands between two view spans in the
    original text (到现场，三个半小时内恢复供电: the 3.5 hours are the restoration's)."""
    first, second = sorted((a, b))
    between = scan.text(turn)[
        scan.original_span(turn, first)[1] : scan.original_span(turn, second)[0]
    ]
    return _CLAUSE_ENDS.search(between) is None


def _check_personal_data(rule: PersonalDataRule, scan: DialogueScan) -> Iterator[Finding]:
    roles = scan.roles()
    for turn in scan.personal_data_turns():
        if roles[turn] in rule.roles:
            for found in find_personal_data(scan.text(turn)):
                if found.kind in rule.data:
                    yield scan.text_finding(rule, turn, found.start, found.end)


def _check_repeat_question(
    rule: RepeatQuestionRule, index: int, scan: DialogueScan, trigger_turns: list[int]
) -> Iterator[Finding]:
    """A finding on each ask (without an excuse) that comes after the item was given."""
    asks = [(turn, spans) for turn in trigger_turns if (spans := scan.matches(turn, index))]
    if not asks:
        return
    given = _given_turns(rule, index, scan, [turn for turn, _ in asks])
    for turn, spans in asks:
        if given and given[0] < turn and not scan.has_response(turn, index, None):
            yield scan.finding(rule, turn, spans[0], (str(given[0]), ""))


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


def scope_turns(scope: Scope, scan: DialogueScan) -> list[int]:
    """The turns of the scope, in order."""
    turns = scan.spoken_turns(scope.role)
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
