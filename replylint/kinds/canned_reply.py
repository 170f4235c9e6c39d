"""The canned reply: an agent turn that repeats an earlier agent turn of the same dialogue
nearly word for word, although the customer said something new in between (FIELD-NOTES:
in the angriest threads the agent pastes one template again and again).

Replies are compared after normalising away what a template changes from paste to paste:
the fold (script, width, case, 您 -> 你, spaces and punctuation), emoji codes ([微笑]),
the address 亲 / 亲亲, @mentions, links, masked names ([姓名x]); numbers and masked
numbers ([数字x], ***) become one mark, so 3个工作日 and 5个工作日 read alike. Replies
shorter than `MIN_LENGTH` once normalised are never compared: acknowledgements (好的, 收到)
and the stock lines an agent may rightly say again and again (请问还有什么可以帮您: 10
characters; 请稍等，正在为您查询: 9). The pasted answers the field notes describe are whole
sentences, an apology and a promise, of 15 characters and more.

Similarity is the Dice coefficient of the sets of character bigrams, 2·|A∩B| / (|A|+|B|).
Since normalising removes what varies between pastes, two pastes of one template score
about 1.0. `THRESHOLD` = 0.85 keeps, as measured on made-up pairs: a
particle added (已经记录了…处理的: 0.87), a clause added (…，请您耐心等待: 0.89), a word
added (再次反馈: 0.93), two clauses swapped (0.96); and it leaves out different answers in
one frame (系统正在升级 / 网络正在抢修: 0.63) or with a stock opening and closing (0.41),
and a short request for another item (提供订单号 / 提供手机号: 0.81). Its known limit: a
long request that changes one word only (提供订单号码…查询进度 / 手机号码: 0.86) reads as a
repeat. The tests hold both sides of the line.

Work is bounded: each agent turn is compared only with the `LOOKBACK` agent turns before
it, on at most `MAX_COMPARED` normalised characters (read from its first `_READ`), and
pairs whose sizes alone rule out the threshold are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from operator import add
from typing import NamedTuple

from replylint.kinds.channels import ADDRESS, EMOJI_CODE, MENTION
from replylint.model import Role, Transcript, Turn
from replylint.text.normalize import fold_view

THRESHOLD = 0.85
MIN_LENGTH = 12  # normalised characters: shorter lines are acknowledgements or stock
LOOKBACK = 30  # earlier agent turns each reply is compared with
MAX_COMPARED = 500  # normalised characters of a reply that are compared
_READ = 2 * MAX_COMPARED  # characters of a turn that are normalised: enough for those


class CannedReply(NamedTuple):
    """An agent turn (``repeat``) that repeats the agent turn ``first`` (turn indexes)."""

    repeat: int
    first: int


# What a template changes from one paste to the next, removed or marked in the text as
# written (both scripts, both widths), before the fold.
_MASKED_NAME = re.compile(r"[\[【<](?:姓名|人名|名字|name)[a-z0-9]*[\]】>]", re.IGNORECASE)
_MASKED = re.compile(
    r"[\[【<][^\]】>\s]{1,8}[\]】>]|\*{2,}|(?<![a-z])x{2,}(?![a-z])", re.IGNORECASE
)
_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_MARK = "0"  # what a number or a masked value becomes


def normalise_reply(text: str) -> str:
    """A reply as it is compared: what varies between pastes of one template removed."""
    if "[" in text or "【" in text or "<" in text:
        text = EMOJI_CODE.sub("", _MASKED_NAME.sub("", text))
    if "@" in text or "＠" in text:
        text = MENTION.sub("", text)
    if "://" in text or "www." in text.lower():
        text = _LINK.sub("", text)
    if "亲" in text or "親" in text:
        text = ADDRESS.sub("", text)
    return fold_view(_NUMBER.sub(_MARK, _MASKED.sub(_MARK, text)))


@dataclass(frozen=True, slots=True)
class _Reply:
    """One turn, ready to compare: its distinct bigrams (a set: intersecting two costs C
    time, and natural text seldom repeats a bigram) and how many there are."""

    turn: int
    bigrams: frozenset[str]
    size: int


def similarity(first: str, second: str) -> float:
    """The Dice coefficient of the character bigrams of two replies, once normalised
    (1.0 for two replies with no bigram at all)."""
    return _dice(_reply(0, normalise_reply(first)), _reply(0, normalise_reply(second)))


def canned_replies(
    transcript: Transcript,
    *,
    threshold: float = THRESHOLD,
    lookback: int = LOOKBACK,
    min_length: int = MIN_LENGTH,
) -> list[CannedReply]:
    """Every agent turn that nearly repeats an earlier one of the same dialogue with a new
    customer turn in between, paired with the first turn of its template; in turn order."""
    customer = _CustomerTurns(transcript.turns)
    earlier: list[_Reply] = []
    origin: dict[int, int] = {}  # a repeat's template: the turn it was first sent in
    found: list[CannedReply] = []
    for number, turn in enumerate(transcript.turns):
        if turn.role is not Role.AGENT:
            continue
        text = normalise_reply(turn.text[:_READ])
        if len(text) < min_length:
            continue
        reply = _reply(number, text)
        for before in earlier[-lookback:]:
            if _near(before, reply, threshold) and customer.moved_on(
                before.turn, number, threshold
            ):
                origin[number] = origin.get(before.turn, before.turn)
                found.append(CannedReply(number, origin[number]))
                break
        earlier.append(reply)
    return found


def _reply(turn: int, normalised: str) -> _Reply:
    text = normalised[:MAX_COMPARED]
    bigrams = frozenset(map(add, text, text[1:]))
    return _Reply(turn, bigrams, len(bigrams))


def _near(first: _Reply, second: _Reply, threshold: float) -> bool:
    # Dice can be no higher than 2·min/(sum) of the sizes: a cheap test first.
    total = first.size + second.size
    if total == 0 or 2 * min(first.size, second.size) < threshold * total:
        return False
    return _dice(first, second) >= threshold


def _dice(first: _Reply, second: _Reply) -> float:
    total = first.size + second.size
    if total == 0:
        return 1.0
    return 2 * len(first.bigrams & second.bigrams) / total


class _CustomerTurns:
    """The customer's turns, normalised like replies when first needed, and for each turn
    of the dialogue the last customer turn with any text before it."""

    def __init__(self, turns: Sequence[Turn]) -> None:
        self._turns = turns
        self._said: dict[int, _Reply | None] = {}
        self._last_before: list[int | None] = []
        last: int | None = None
        for number, turn in enumerate(turns):
            self._last_before.append(last)
            if turn.role is Role.CUSTOMER and turn.text.strip():
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
            turn = self._turns[number]
            text = normalise_reply(turn.text[:_READ]) if turn.role is Role.CUSTOMER else ""
            self._said[number] = _reply(number, text) if text else None
        return self._said[number]
