"""What a rule may ask of the sentence around a hit: its clause's features, its speech act,
and whether it stands inside a non-word span (an @mention, a #tag#, a link, an emoji code).

A `TurnReading` reads one turn's original text, and only as far as it is asked: the marks
when a hit must be checked against them, the clauses (clauses.py) when a rule with clause
options has a hit there. Spans are offsets into the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter

from replylint.text import cues
from replylint.text.clauses import (
    Clause,
    Person,
    actor,
    clause_index,
    negated,
    previous_in_sentence,
    quoted,
    split_clauses,
)
from replylint.text.marks import Mark, MarkKind, inside_mark, is_placeholder, marks_in_surface
from replylint.text.normalize import FoldedText, fold
from replylint.text.speech import overlaps_any, promises_at, threatening_acts
from replylint.text.surface import surface_view

Span = tuple[int, int]


class ClauseFeature(StrEnum):
    """What a clause, or the words at a hit, can be: a rule's ``unless`` names them."""

    QUESTION = "question"  # 工作人员联系您了吗? 不知道您说的是哪一款?
    INVITATION = "invitation"  # 如有疑问请随时联系我们; 您可以私信我们
    CONDITION = "condition"  # 如需…, 到货后…: its own or its sentence's previous clause
    PURPOSE = "purpose"  # 以便我们核实后联系您
    DONE = "done"  # 已为您反馈; 已经帮您登记了
    NEGATED = "negated"  # 这不是您的问题; 领导不在: a negator governs the hit
    QUOTED = "quoted"  # 您说的"不是我们的事"是谁说的
    FIRST_PERSON = "first-person"  # who acts at the hit: 我们, 本店, 小U
    SECOND_PERSON = "second-person"  # 您, 你们, 亲
    THIRD_PERSON = "third-person"  # 售后, 银行, 他, 我邻居
    STORY = "story"  # passed on, not lived: 听说, 新闻里, 路上看见有个饭店着火了


class SpeechAct(StrEnum):
    """What the clause of a hit must do: a rule's ``speech_act``."""

    PROMISE = "promise"  # the service side commits to follow up later (speech.is_promise)
    THREAT = "threat"  # the speaker's own intent or act of going public (speech.threat)


# The marks whose insides are never words; placeholders ([数字x], xx) stand for words.
WORD_MARKS = frozenset({MarkKind.MENTION, MarkKind.TAG, MarkKind.URL, MarkKind.EMOJI})
# A turn without any of these holds no such mark: most turns are never read for them. A
# bracket is an emoji code unless it names a placeholder ([数字x], common in exports).
_MARK_CHARACTERS = frozenset("@#＠＃")
_LINK_OPENERS = ("http", "HTTP", "www", "WWW")
_BRACKETED = re.compile(r"[\[［]([^\]］\s]{1,8})[\]］]")
_PERSONS = {
    ClauseFeature.FIRST_PERSON: Person.FIRST,
    ClauseFeature.SECOND_PERSON: Person.SECOND,
    ClauseFeature.THIRD_PERSON: Person.THIRD,
}
# Features of the whole clause, by the Clause property that says it.
_CLAUSE_WIDE: dict[ClauseFeature, Callable[[Clause], bool]] = {
    feature: attrgetter(feature.value)
    for feature in (
        ClauseFeature.QUESTION,
        ClauseFeature.INVITATION,
        ClauseFeature.PURPOSE,
        ClauseFeature.DONE,
    )
}
# Someone named at the hit is not there, or not free: 领导不在, 主管今天唔喺度, 经理在开会.
_AWAY = re.compile(
    r"(?:今天|今日|现在|暂时|目前|这会儿?|刚好|正好|正|都|也)?"
    r"(?:不在|没在|唔喺|不喺|没空|不方便|下班|休息|出差|外出|在开会|开会|在忙)"
)


def reading_of(text: str) -> TurnReading:
    """The reading of a turn's text, shared by every call that holds the same text: agents
    repeat scripted lines (如有疑问请随时联系我们, 请问还有什么可以帮您), and their fold,
    clauses and acts are read once a process. A reading only ever caches what its text
    determines; a long turn is read afresh, so that the cache stays small."""
    return _shared_reading(text) if len(text) <= _SHARED_LENGTH else TurnReading(text)


_SHARED_LENGTH = 400  # characters: a scripted line is short


@lru_cache(maxsize=4096)
def _shared_reading(text: str) -> TurnReading:
    return TurnReading(text)


def may_hold_marks(text: str) -> bool:
    """Whether a turn can hold an @mention, a #tag#, a link or an emoji code (cheap)."""
    if not _MARK_CHARACTERS.isdisjoint(text) or any(link in text for link in _LINK_OPENERS):
        return True
    return ("[" in text or "［" in text) and any(
        not is_placeholder(code) for code in _BRACKETED.findall(text)
    )


class TurnReading:
    """One turn, read on demand: its non-word marks, its clauses and what they say."""

    __slots__ = ("_acts", "_clauses", "_folded", "_marks", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._marks: tuple[Mark, ...] | None = None
        self._clauses: tuple[Clause, ...] | None = None
        self._acts: dict[tuple[int, SpeechAct], tuple[Span, ...]] = {}
        self._folded: FoldedText | None = None

    @property
    def folded(self) -> FoldedText:
        """The text as rules see it (normalize.py), with its offsets."""
        if self._folded is None:
            self._folded = fold(self.text)
        return self._folded

    @property
    def marks(self) -> tuple[Mark, ...]:
        """The turn's @mentions, #tags#, links and emoji codes, in order."""
        if self._marks is None:
            found = marks_in_surface(surface_view(self.text)) if may_hold_marks(self.text) else ()
            self._marks = tuple(mark for mark in found if mark.kind in WORD_MARKS)
        return self._marks

    @property
    def clauses(self) -> tuple[Clause, ...]:
        if self._clauses is None:
            self._clauses = split_clauses(self.text)
        return self._clauses

    def in_mark(self, span: Span) -> bool:
        """Whether the span starts or ends inside an @mention, a #tag#, a link or an emoji
        code (a pattern's gap may pass over one: 太差了[怒]我要投诉)."""
        start, end = span
        return bool(self.marks) and (
            inside_mark(self.marks, start, start + 1) or inside_mark(self.marks, end - 1, end)
        )

    def names_account(self, span: Span) -> bool:
        """Whether the span ends an @mention: the account's name (@某某都市报 tags a paper),
        not a word inside a nickname (@数码曝光小能手)."""
        return any(
            mark.kind is MarkKind.MENTION and mark.start < span[0] and span[1] == mark.end
            for mark in self.marks
        )

    def has_any(self, span: Span, features: Iterable[ClauseFeature]) -> bool:
        """Whether any of the features holds for the words at the span."""
        index = clause_index(self.clauses, span[0])
        return any(self._holds(index, span, feature) for feature in features)

    def acts(self, index: int, act: SpeechAct) -> tuple[Span, ...]:
        """The spans of the words that perform the act in one clause, read once."""
        key = (index, act)
        found = self._acts.get(key)
        if found is None:
            if act is SpeechAct.PROMISE:
                found = tuple(promises_at(self.clauses, index))
            else:
                found = tuple(span for _, span in threatening_acts(self.clauses[index]))
            self._acts[key] = found
        return found

    def performs(self, span: Span, act: SpeechAct) -> bool:
        """Whether the words at the span perform the speech act in their clause: the verb
        of a promise (我们会尽快【联系】您), the act of a threat (我要【找记者】曝光)."""
        return overlaps_any(span, self.acts(clause_index(self.clauses, span[0]), act))

    def _holds(self, index: int, span: Span, feature: ClauseFeature) -> bool:
        clause = self.clauses[index]
        wide = _CLAUSE_WIDE.get(feature)
        if wide is not None:
            return wide(clause)
        if feature is ClauseFeature.CONDITION:
            previous = previous_in_sentence(self.clauses, index)
            return clause.condition or (
                previous is not None and previous.condition and not previous.question
            )
        if feature is ClauseFeature.NEGATED:
            return negated(clause, span) or _away(clause, span)
        if feature is ClauseFeature.QUOTED:
            return quoted(clause, span)
        if feature is ClauseFeature.STORY:
            return cues.STORY.search(clause.view, 0, clause.view_index(span[0])) is not None
        return actor(clause, span[0]) is _PERSONS[feature]


def _away(clause: Clause, span: Span) -> bool:
    """Whether what the span names is said to be away right after it (领导不在)."""
    end = clause.view_index(span[1])
    return _AWAY.match(clause.view, end) is not None
