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
it, on at most `MAX_COMPARED` characters (read from its first `_READ`); only the pairs that
pass a cheap first look are normalised (see `repeats`), and pairs whose sizes alone rule
out the threshold are not compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple, Protocol

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
from replylint.model import Finding, Role, Transcript
from replylint.text.likeness import bigrams, dice, normalise_reply
from replylint.text.normalize import TURN_SEPARATOR, fold_view

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
    view_roles = AGENT  # each agent turn's view is read by the first look

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
        limits = Thresholds(rule.similarity, rule.min_length, rule.lookback)
        for repeat, first in repeats(scan, limits):
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


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The kind's keys that say what a repeat is (see the module's docstring)."""

    similarity: float = SIMILARITY
    min_length: int = MIN_LENGTH
    lookback: int = LOOKBACK


class Turns(Protocol):
    """What `repeats` reads of a dialogue (a `DialogueScan` has it all)."""

    def spoken_turns(self, role: Role) -> list[int]: ...

    def roles(self) -> list[Role]: ...

    def text(self, turn: int) -> str: ...

    def view(self, turn: int) -> str: ...


class _TranscriptTurns:
    """A transcript's `Turns`, for a look at it outside the linter."""

    def __init__(self, transcript: Transcript) -> None:
        self._turns = transcript.turns

    def spoken_turns(self, role: Role) -> list[int]:
        return [n for n, turn in enumerate(self._turns) if turn.role is role and turn.text.strip()]

    def roles(self) -> list[Role]:
        return [turn.role for turn in self._turns]

    def text(self, turn: int) -> str:
        return self._turns[turn].text

    def view(self, turn: int) -> str:
        return fold_view(self._turns[turn].text)


def canned_replies(transcript: Transcript, limits: Thresholds | None = None) -> list[CannedReply]:
    """The repeats in a transcript (see `repeats`), by the kind's defaults unless told."""
    return repeats(_TranscriptTurns(transcript), limits or Thresholds())


@dataclass(frozen=True, slots=True)
class _Reply:
    """One turn normalised, ready to compare: its length, its distinct character pairs (a
    set: natural text seldom repeats a pair, and intersecting two sets costs C time) and
    how many."""

    turn: int
    length: int
    items: frozenset[str]
    size: int


def _normalised(turn: int, text: str) -> _Reply:
    """A turn normalised, by its character pairs."""
    normalised = normalise_reply(text[:_READ])
    pairs = bigrams(normalised[:MAX_COMPARED])
    return _Reply(turn, len(normalised), pairs, len(pairs))


def repeats(turns: Turns, limits: Thresholds) -> list[CannedReply]:
    """Every agent turn that nearly repeats an earlier one of the same dialogue with a new
    customer turn in between, paired with the first turn of its template; in turn order.

    A first look is cheap: four pieces of three characters of each reply's view are
    looked for in the views of the replies before it. Two pastes of one template
    differ there only by what normalising takes out (a name, a number, an emoji code, 亲,
    a link's tail), so most pieces of one are found in the other, in any order. Only a
    pair that passes is normalised and compared for real: most calls normalise nothing."""
    similarity, min_length, lookback = limits.similarity, limits.min_length, limits.lookback
    dialogue = _Dialogue(turns.roles, turns.text)
    window: list[tuple[int, str]] = []  # (turn, view) of the last replies, `lookback` of them
    history = ""  # their views, joined
    origin: dict[int, int] = {}  # a repeat's template: the turn it was first sent in
    found: list[CannedReply] = []
    for number in turns.spoken_turns(Role.AGENT):
        seen = turns.view(number)[:MAX_COMPARED]
        if len(seen) < min_length:
            continue  # normalising never lengthens a view: too short either way
        pieces = _pieces(seen)
        if history and _found(pieces, history):
            for before, earlier in window:
                if _found(pieces, earlier) and dialogue.repeats(
                    before, number, similarity, min_length
                ):
                    origin[number] = origin.get(before, before)
                    found.append(CannedReply(number, origin[number]))
                    break
        window.append((number, seen))
        if len(window) > lookback:
            del window[0]
            history = TURN_SEPARATOR.join([earlier for _, earlier in window])
        else:
            history = f"{history}{TURN_SEPARATOR}{seen}" if history else seen
    return found


def _pieces(view: str) -> tuple[str, str, str, str]:
    """Four pieces of three characters, spread evenly over a view."""
    step = len(view) // 5
    return (
        view[step : step + 3],
        view[2 * step : 2 * step + 3],
        view[3 * step : 3 * step + 3],
        view[4 * step : 4 * step + 3],
    )


def _found(pieces: tuple[str, str, str, str], text: str) -> bool:
    """Whether at least two of a reply's pieces are in a text (an earlier reply, or
    several)."""
    first, second, third, fourth = pieces
    return (first in text) + (second in text) + (third in text) + (fourth in text) >= 2


def _near(first: _Reply, second: _Reply, threshold: float) -> bool:
    total = first.size + second.size
    if total == 0 or 2 * min(first.size, second.size) < threshold * total:
        return False
    return _dice(first, second) >= threshold


def _dice(first: _Reply, second: _Reply) -> float:
    return dice(first.items, second.items)


class _Dialogue:
    """A dialogue's turns normalised when first needed, and for each turn the last customer
    turn with any words before it (worked out on the first question)."""

    def __init__(self, roles: Callable[[], Sequence[Role]], text: Callable[[int], str]) -> None:
        self._roles = roles
        self._text = text
        self._normalised: dict[int, _Reply] = {}
        self._last_before: list[int | None] | None = None

    def repeats(self, first: int, repeat: int, similarity: float, min_length: int) -> bool:
        """Whether an agent turn repeats an earlier one, normalised, to a new message."""
        sent, again = self.normalised(first), self.normalised(repeat)
        return (
            min(sent.length, again.length) >= min_length
            and _near(sent, again, similarity)
            and self.moved_on(first, repeat, similarity)
        )

    def normalised(self, number: int) -> _Reply:
        if number not in self._normalised:
            self._normalised[number] = _normalised(number, self._text(number))
        return self._normalised[number]

    def moved_on(self, first: int, repeat: int, threshold: float) -> bool:
        """Whether the customer said something between two agent turns that differs from
        what they had said before the first: the reply was pasted to a new message."""
        previous = self._customer_before()[first]
        earlier = None if previous is None else self._said(previous)
        for number in range(first + 1, repeat):
            said = self._said(number)
            if said is not None and (earlier is None or _dice(earlier, said) < threshold):
                return True
        return False

    def _said(self, number: int) -> _Reply | None:
        """A customer turn ready to compare; None for another role or no words."""
        if self._roles()[number] is not Role.CUSTOMER:
            return None
        said = self.normalised(number)
        return said if said.length else None

    def _customer_before(self) -> list[int | None]:
        if self._last_before is None:
            self._last_before = []
            last: int | None = None
            for number, role in enumerate(self._roles()):
                self._last_before.append(last)
                if role is Role.CUSTOMER and self._text(number).strip():
                    last = number
        return self._last_before


KIND = CannedReplyKind()
