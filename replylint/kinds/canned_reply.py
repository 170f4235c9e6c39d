"""``kind = "canned-reply"``: an agent turn that repeats an earlier agent turn of the same
dialogue nearly word for word, although the customer said something new in between
(FIELD-NOTES: in the angriest threads the agent pastes one template again and again). The
finding is on each repeat, not on the first send; the message may hold ``{value}``: the
turn where the template was first sent.

Replies are compared as text/likeness.py normalises them (emoji codes, 亲, @mentions,
links, masked names and an opening 您好 / 好的 taken out; numbers alike) by the Dice
coefficient of their character bigrams. Replies shorter than ``min_length`` once
normalised are never compared: acknowledgements (好的, 收到) and the stock lines an agent
may rightly say again and again (请问还有什么可以帮您: 10 characters; 请稍等，正在为您查询:
9). The pasted answers the field notes describe are whole sentences, an apology and a
promise, of 15 characters and more.

``similarity`` = 0.84 keeps, as measured on made-up pairs (tests/test_canned_reply.py): two
particles added (已经记录了…处理的: 0.85), the same line after an opening 好的 with 您 dropped
(0.90), a clause added (…，请您耐心等待: 0.89), a word added (再次反馈: 0.93), two clauses
swapped (0.96); and it leaves out a short request for another item (提供订单号 /
提供手机号: 0.79), different answers in one frame (系统正在升级 / 网络正在抢修: 0.63) or
with a stock opening and closing (0.40). Its known limit: a long request that changes one
word only (提供订单号码…查询处理进度 / 手机号码: 0.86) reads as a repeat.

A reply repeats only when the customer moved on: some customer turn between the two sends
differs (by the same measure) from what the customer had said before the first send. The
same answer to the same question asked twice is no canned reply.

Work is bounded: each agent turn is compared only with the ``lookback`` agent turns before
it, on at most `MAX_COMPARED` normalised characters (read from its first `_READ`), and
pairs whose sizes alone rule out the threshold are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from replylint.kinds.base import (
    NO_OPTIONS,
    DialogueScan,
    MatchOptions,
    PhraseSlots,
    Problem,
    RuleInfo,
    RuleKind,
)
from replylint.model import Finding, Role, Transcript
from replylint.text.likeness import bigrams, dice, normalise_reply

SIMILARITY = 0.84
MIN_LENGTH = 12  # normalised characters: shorter lines are acknowledgements or stock
LOOKBACK = 30  # earlier agent turns each reply is compared with
MAX_LOOKBACK = 200
MAX_COMPARED = 500  # normalised characters of a reply that are compared
_READ = 2 * MAX_COMPARED  # characters of a turn that are normalised: enough for those


@dataclass(frozen=True, slots=True, kw_only=True)
class CannedReplyRule:
    info: RuleInfo
    similarity: float = SIMILARITY
    min_length: int = MIN_LENGTH
    lookback: int = LOOKBACK

    kind: ClassVar[str] = "canned-reply"
    options: ClassVar[MatchOptions] = NO_OPTIONS


class CannedReply(NamedTuple):
    """An agent turn (``repeat``) that repeats the agent turn ``first`` (turn indexes)."""

    repeat: int
    first: int


class CannedReplyKind(RuleKind[CannedReplyRule]):
    record = CannedReplyRule

    def slots(self, rule: CannedReplyRule) -> PhraseSlots:
        return []  # no phrase: replies are compared with each other

    def validate(self, rule: CannedReplyRule, problem: Problem) -> None:
        if not 0 < rule.similarity <= 1:
            problem("'similarity' must be more than 0 and at most 1")
        if rule.min_length < 2:
            problem("'min_length' must be at least 2 (replies are compared by character pairs)")
        if not 1 <= rule.lookback <= MAX_LOOKBACK:
            problem(f"'lookback' must be from 1 to {MAX_LOOKBACK} agent turns")

    def every_call(self, rule: CannedReplyRule) -> bool:
        return True

    def may_apply(self, scan: DialogueScan) -> bool:
        return len(scan.spoken_turns(Role.AGENT)) > 1 and bool(scan.spoken_turns(Role.CUSTOMER))

    def check(
        self, rule: CannedReplyRule, index: int, scan: DialogueScan, trigger_turns: list[int]
    ) -> Iterator[Finding]:
        found = repeats(
            scan.roles(),
            scan.text,
            similarity=rule.similarity,
            min_length=rule.min_length,
            lookback=rule.lookback,
        )
        for repeat, first in found:
            yield scan.turn_finding(rule, repeat, (str(first), ""))

    def docs(self, rule: CannedReplyRule) -> Iterator[str]:
        yield (
            f"**Compares** each agent turn with the {rule.lookback} agent turns before it, "
            f"once normalised (emoji codes, 亲, @mentions, links, masked names and an opening "
            f"您好 or 好的 taken out, numbers alike), if it has at least {rule.min_length} "
            f"characters: a repeat has a similarity (Dice coefficient of character pairs) of "
            f"at least {rule.similarity}, with a new customer turn between the two sends."
        )

    def flagged_and_allowed(self, rule: CannedReplyRule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (), ()


def canned_replies(
    transcript: Transcript,
    *,
    similarity: float = SIMILARITY,
    min_length: int = MIN_LENGTH,
    lookback: int = LOOKBACK,
) -> list[CannedReply]:
    """The repeats in a transcript (see `repeats`), by the defaults of the kind's keys."""
    return repeats(
        [turn.role for turn in transcript.turns],
        lambda number: transcript.turns[number].text,
        similarity=similarity,
        min_length=min_length,
        lookback=lookback,
    )


@dataclass(frozen=True, slots=True)
class _Reply:
    """One turn, ready to compare: its normalised length, its distinct bigrams and how
    many there are."""

    turn: int
    length: int
    bigrams: frozenset[str]
    size: int


def _reply(turn: int, text: str) -> _Reply:
    normalised = normalise_reply(text[:_READ])
    pairs = bigrams(normalised[:MAX_COMPARED])
    return _Reply(turn, len(normalised), pairs, len(pairs))


def repeats(
    roles: Sequence[Role],
    text: Callable[[int], str],
    *,
    similarity: float,
    min_length: int,
    lookback: int,
) -> list[CannedReply]:
    """Every agent turn that nearly repeats an earlier one of the same dialogue with a new
    customer turn in between, paired with the first turn of its template; in turn order.
    ``text`` gives a turn's text by its index."""
    customer = _CustomerTurns(roles, text)
    earlier: list[_Reply] = []
    origin: dict[int, int] = {}  # a repeat's template: the turn it was first sent in
    found: list[CannedReply] = []
    for number, role in enumerate(roles):
        if role is not Role.AGENT:
            continue
        reply = _reply(number, text(number))
        if reply.length < min_length:
            continue
        for before in earlier[-lookback:]:
            if _near(before, reply, similarity) and customer.moved_on(
                before.turn, number, similarity
            ):
                origin[number] = origin.get(before.turn, before.turn)
                found.append(CannedReply(number, origin[number]))
                break
        earlier.append(reply)
    return found


def _near(first: _Reply, second: _Reply, threshold: float) -> bool:
    # Dice can be no higher than 2·min/(sum) of the sizes: a cheap test first.
    total = first.size + second.size
    if total == 0 or 2 * min(first.size, second.size) < threshold * total:
        return False
    return _dice(first, second) >= threshold


def _dice(first: _Reply, second: _Reply) -> float:
    return dice(first.bigrams, second.bigrams)


class _CustomerTurns:
    """The customer's turns, normalised like replies when first needed, and for each turn
    of the dialogue the last customer turn with any text before it."""

    def __init__(self, roles: Sequence[Role], text: Callable[[int], str]) -> None:
        self._roles = roles
        self._text = text
        self._said: dict[int, _Reply | None] = {}
        self._last_before: list[int | None] = []
        last: int | None = None
        for number, role in enumerate(roles):
            self._last_before.append(last)
            if role is Role.CUSTOMER and text(number).strip():
                last = number

    def moved_on(self, first: int, repeat: int, threshold: float) -> bool:
        """Whether the customer said something between two agent turns that differs from
        what they had said before the first: the reply was pasted to a new message."""
        previous = self._last_before[first]
        earlier = None if previous is None else self._normalised(previous)
        for number in range(first + 1, repeat):
            said = self._normalised(number)
            if said is not None and (earlier is None or _dice(earlier, said) < threshold):
                return True
        return False

    def _normalised(self, number: int) -> _Reply | None:
        """A customer turn ready to compare; None for another role or no words."""
        if number not in self._said:
            customer = self._roles[number] is Role.CUSTOMER
            reply = _reply(number, self._text(number)) if customer else None
            self._said[number] = reply if reply is not None and reply.length else None
        return self._said[number]


KIND = CannedReplyKind()
