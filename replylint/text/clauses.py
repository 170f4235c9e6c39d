"""A turn split into clauses, each with the features rules can require or exclude.

`split_clauses(text)` cuts a turn's original text at sentence and clause punctuation (full
and half width, …, newlines), at ASR pauses (a space between two words; not the spaces of
ASR that spells out 我 不 知 道 character by character) and before connectives that open a
clause (但是, 不过, 然后, 所以…). The clauses cover the text exactly, without gaps or
overlaps, in code-point offsets, so a finding's span is placed in its clause by bisection
(`clause_at`).

Each clause carries cheap features, each one precompiled regex (cues.py) over its view,
computed when asked: question, invitation, condition, purpose, done, the person of its
subject; and its quoted spans and non-word spans (marks.py). Span queries (`negated`, `actor`,
`quoted`) answer for one position. No segmentation, no conversion: the views come from
one `str.translate` (surface.py). Simplified and traditional text give the same features.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise
from operator import attrgetter

from replylint.text import cues
from replylint.text.marks import Mark, inside_mark, marks_in_surface
from replylint.text.surface import INVISIBLE, NEWLINE, SPACE, surface_view

Span = tuple[int, int]


class Person(Enum):
    FIRST = "first"  # 我, 我们, 本店, 客服, 这边, 小U: the speaker's side
    SECOND = "second"  # 你, 您, 亲, 王先生: the one spoken to
    THIRD = "third"  # 他, 工作人员, 售后, 银行, 快递, 我邻居: someone else


class Opening(Enum):
    """What opens a clause: where the text starts, a sentence end, clause punctuation, an
    ASR pause or a connective."""

    START = "start"
    SENTENCE = "sentence"
    CLAUSE = "clause"
    PAUSE = "pause"
    CONNECTIVE = "connective"


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: ``text[start:end]`` of the turn, and what it says about itself.

    ``view`` is what cues and speech acts read: folded (simplified, half-width, lower case,
    您 -> 你), without spaces, non-word spans blanked. ``positions`` maps each view
    character to its original offset when spaces were dropped (None: view position i is
    offset start + i). The features are computed when asked, each by one precompiled
    regex over the view: a rule reads the clause around its hit, not every clause.
    """

    start: int
    end: int
    view: str
    opening: Opening
    sentence: int  # index of the sentence it belongs to, from 0
    quotes: tuple[Span, ...]  # quoted or reported speech inside it, original offsets
    marks: tuple[Mark, ...]  # its non-word spans, original offsets
    positions: tuple[int, ...] | None = None

    @property
    def question(self) -> bool:
        """?, 吗, sentence-final 么, A不A (是不是, 有没有), 是否, 什么, 怎么, 哪, 多少…;
        not a question word embedded in what the speaker does not know (我也不知道什么时候
        能修好), but one asked of the one spoken to (不知道您说的是哪一款)."""
        view = self.view
        return any(not _embedded(view, match) for match in cues.QUESTION.finditer(view))

    @property
    def invitation(self) -> bool:
        """Asks the customer to act: 请您…, 您可以…, 欢迎, 随时, 方便的话, 联系我们."""
        return cues.INVITATION.search(self.view) is not None

    @property
    def condition(self) -> bool:
        """如果, 如需, 若, 要是, 一旦, 到货后, 有结果: something waits on an event."""
        return cues.CONDITION.search(self.view) is not None

    @property
    def purpose(self) -> bool:
        """以便, 好让, 为了, 方便我们."""
        return cues.PURPOSE.search(self.view) is not None

    @property
    def done(self) -> bool:
        """已经, 已为您, 刚刚, 反馈过了."""
        return cues.DONE.search(self.view) is not None

    @property
    def person(self) -> Person | None:
        """The person of its subject; None when it has none (稍后给您回电)."""
        return person_of(next(subjects(self.view), None))

    def view_index(self, offset: int) -> int:
        """The view position of an original offset in this clause (of the first view
        character at or after it)."""
        if self.positions is None:
            return min(max(offset - self.start, 0), len(self.view))
        return bisect_left(self.positions, offset)

    def original_span(self, view_start: int, view_end: int) -> Span:
        """The original span of a non-empty view span."""
        if self.positions is None:
            return self.start + view_start, self.start + view_end
        return self.positions[view_start], self.positions[view_end - 1] + 1


# Characters that make a clause more than punctuation and space.
_WORDISH = re.compile(r"[^\s,.;:!?~…—。、“”‘’「」『』()\[\]<>\"'》《]")
_GAPS = SPACE + NEWLINE + INVISIBLE  # what a clause view drops
_GAP = re.compile(f"[{_GAPS}]")
_HANISH = re.compile(f"[{cues.HAN}{cues.BLANK}]")
_CLOSERS = " ”’」』)]\"'》"


def split_clauses(text: str) -> tuple[Clause, ...]:
    """The clauses of a turn's original text, in order; at least one (an empty text is one
    empty clause), the first starting at 0 and the last ending at ``len(text)``."""
    surface = surface_view(text)
    marks = marks_in_surface(surface)
    blanked = _blank(surface, marks) if marks else surface
    quotes = _quotes(blanked)
    starts = _clause_starts(blanked)
    ends = [start for start, _ in starts[1:]] + [len(text)]
    clauses: list[Clause] = []
    sentence = 0
    for (start, opening), end in zip(starts, ends, strict=True):
        sentence += opening is Opening.SENTENCE
        piece = blanked[start:end]
        positions = None
        if _GAP.search(piece):
            positions = tuple(start + i for i, char in enumerate(piece) if char not in _GAPS)
            piece = _GAP.sub("", piece)
        clause_quotes = _clipped(quotes, start, end) if quotes else ()
        clause_marks = tuple(_overlapping(marks, start, end)) if marks else ()
        clauses.append(
            Clause(start, end, piece, opening, sentence, clause_quotes, clause_marks, positions)
        )
    return tuple(clauses)


def _embedded(view: str, cue: re.Match[str]) -> bool:
    """Whether a question cue other than ? and 吗 stands in what the speaker does not know:
    after 不知道, 不清楚… with nobody addressed in between (不知道什么时候修好), before
    it as its topic (业务员怎么讲的我不知道), in the speaker's "how would I know"
    (我哪知道), or said twice with one verb (爱找谁找谁: whoever)."""
    if cue.group() in ("?", "吗"):
        return False
    if any(
        found.start() <= cue.start() < found.end()
        for pattern in (cues.RHETORICAL_NOT_KNOWING, cues.FREE_RELATIVE)
        for found in pattern.finditer(view, max(0, cue.start() - 6), cue.end() + 6)
    ):
        return True
    after = (view, cue.end(), cue.end() + cues.LOOKBACK)
    if cues.NOT_KNOWING.search(*after) or cues.RHETORICAL_NOT_KNOWING.search(*after):
        return True
    before = list(cues.NOT_KNOWING.finditer(view, max(0, cue.start() - cues.LOOKBACK), cue.start()))
    return bool(before) and cues.SECOND.search(view, before[-1].end(), cue.start()) is None


def _blank(surface: str, marks: Sequence[Mark]) -> str:
    """The surface with every non-word span blanked, character for character."""
    pieces: list[str] = []
    last = 0
    for mark in marks:
        pieces += (surface[last : mark.start], cues.BLANK * (mark.end - mark.start))
        last = mark.end
    pieces.append(surface[last:])
    return "".join(pieces)


def _clause_starts(blanked: str) -> list[tuple[int, Opening]]:
    """Where each clause starts, and what opens it."""
    found: dict[int, Opening] = {}
    for match in cues.DELIMITER_RUN.finditer(blanked):
        core = match.group().rstrip(_CLOSERS)
        sentence = core == "." or not cues.SENTENCE_END.isdisjoint(core)
        found[match.end()] = Opening.SENTENCE if sentence else Opening.CLAUSE
    for match in cues.CONNECTIVE.finditer(blanked):
        found.setdefault(match.start(), Opening.CONNECTIVE)  # punctuation there wins
    for position in _pauses(blanked):
        found.setdefault(position, Opening.PAUSE)
    starts = [(0, Opening.START)]
    for position in sorted(found):
        # A boundary needs words on both sides: a leading "，，" or a trailing space is
        # part of its neighbour, never a clause of its own.
        if 0 < position < len(blanked) and _WORDISH.search(blanked, starts[-1][0], position):
            starts.append((position, found[position]))
    return starts


def _pauses(blanked: str) -> list[int]:
    """Ends of the spaces that are ASR pauses: between two words of two characters or more
    (one of three or more), not where a clause cannot end or begin, and not in a turn
    spelt out a character at a time (我 不 知 道) or a word at a time (我们 已经 帮 您)."""
    if " " not in blanked:
        return []
    tokens = list(cues.TOKEN.finditer(blanked))
    if sum(len(token.group()) for token in tokens) < 2.5 * len(tokens):
        return []  # mostly single characters and short words
    return [
        right.start()
        for left, right in pairwise(tokens)
        if blanked[left.end() : right.start()].isspace() and _is_pause(left.group(), right.group())
    ]


def _is_pause(left: str, right: str) -> bool:
    return (
        min(len(left), len(right)) >= 2
        and max(len(left), len(right)) >= 3
        and bool(_HANISH.match(left[-1]) and _HANISH.match(right[0]))
        and not cues.DANGLING_END.search(left)
        and not cues.ENCLITIC_START.match(right)
    )


def _quotes(blanked: str) -> list[Span]:
    """Quoted and reported speech, as disjoint spans in order."""
    found = [(m.start() + 1, m.end() - 1) for m in cues.QUOTED.finditer(blanked)]
    for opener in cues.REPORTED.finditer(blanked):
        speech = cues.REPORTED_SPEECH.match(blanked, opener.end())
        if speech is not None:
            found.append(speech.span())
    found.sort()
    merged: list[Span] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _clipped(spans: Sequence[Span], start: int, end: int) -> tuple[Span, ...]:
    first = bisect_right(spans, start, key=lambda span: span[1])
    clipped = []
    for span_start, span_end in spans[first:]:
        if span_start >= end:
            break
        clipped.append((max(span_start, start), min(span_end, end)))
    return tuple(clipped)


def _overlapping(marks: Sequence[Mark], start: int, end: int) -> Iterator[Mark]:
    for mark in marks[bisect_right(marks, start, key=attrgetter("end")) :]:
        if mark.start >= end:
            return
        yield mark


def subjects(view: str, start: int = 0, stop: int | None = None) -> Iterator[re.Match[str]]:
    """Subject-like references in a view from ``start`` (searching up to ``stop``): not an
    object (给你, 联系我们), a possessor (你的), a greeting (你好), a clause-opening
    vocative (亲 这个情况小麦反馈一下) or an appositive 本人 (他本人)."""
    for match in cues.REFERENCE.finditer(view, start, len(view) if stop is None else stop):
        at, end = match.span()
        if (
            (at == 0 and match.group() in cues.VOCATIVES and cues.AFTER_VOCATIVE.match(view, end))
            or (match.group() == "本人" and view[at - 1 : at] in cues.BEFORE_APPOSITIVE)
            or view[at - 1 : at] in cues.OBJECT_MARKERS
            or view[at - 2 : at] in cues.OBJECT_VERBS
            or view[end : end + 1] in cues.NOT_SUBJECT_AFTER
            or _yours(view, at, match.group())
        ):
            continue
        yield match


def _yours(view: str, at: int, word: str) -> bool:
    """Whether a third party's name is owned by the one spoken to (你们银行, 你们领导): the
    addressee's side, whose 你们 already stands as the subject."""
    return view[at - 2 : at] == "你们" and cues.THIRD.fullmatch(word) is not None


def person_of(reference: re.Match[str] | None) -> Person | None:
    if reference is None:
        return None
    word = reference.group()
    if cues.THIRD.fullmatch(word):
        return Person.THIRD
    return Person.FIRST if cues.FIRST.fullmatch(word) else Person.SECOND


# -- queries ----------------------------------------------------------------------------


def clause_index(clauses: Sequence[Clause], offset: int) -> int:
    """The index of the clause that holds an original offset (the end of the text belongs
    to the last clause)."""
    return max(bisect_right(clauses, offset, key=attrgetter("start")) - 1, 0)


def clause_at(clauses: Sequence[Clause], offset: int) -> Clause:
    return clauses[clause_index(clauses, offset)]


def previous_in_sentence(clauses: Sequence[Clause], index: int) -> Clause | None:
    """The clause before ``clauses[index]`` when both belong to one sentence."""
    if index == 0 or clauses[index - 1].sentence != clauses[index].sentence:
        return None
    return clauses[index - 1]


def scope_start(view: str, position: int) -> int:
    """Where the predicate that reaches ``position`` starts: after the last word that opens
    a new one (但是, 否则, 然后…) before it; for an adverb that does (就, 才, 只好), at the
    subject just before it (你们再不处理[我就去投诉]). It looks back a bounded window, so
    that a query costs the same in a short clause and in a megabyte without punctuation."""
    window = max(0, position - cues.LOOKBACK)
    last = None
    for match in cues.SCOPE_CUT.finditer(view, window, position):
        if match.end() <= position:
            last = match
    if last is None:
        return window
    if last.group() in cues.ADVERB_CUTS:
        nearby = max(window, last.start() - cues.LONGEST_REFERENCE)
        for reference in subjects(view, nearby, last.start() + cues.LOOKAHEAD):
            if reference.end() == last.start():
                return reference.start()
            if reference.start() >= last.start():
                break
    return last.end()


def subject_before(view: str, position: int) -> re.Match[str] | None:
    """The last subject-like reference between the scope start and ``position``."""
    last = None
    # The search runs a little past the position, so that a reference's lookahead sees
    # what follows it (小姐 is not 小姐姐), and no further: a query stays bounded.
    for match in subjects(view, scope_start(view, position), position + cues.LOOKAHEAD):
        if match.end() > position:
            break
        last = match
    return last


def negated_in_view(view: str, position: int) -> bool:
    """Whether a negator governs the view position: one after the scope start and after
    the last subject before it (我不是要投诉; not 您不用担心我们会处理, not 再不解决就起诉)."""
    subject = subject_before(view, position)
    start = subject.end() if subject else scope_start(view, position)
    for match in cues.NEGATOR.finditer(view, start, position + cues.LOOKAHEAD):
        if match.start() >= position:
            return False
        at = match.start()
        if not (0 < at < len(view) - 1 and view[at - 1] == view[at + 1]):  # A不A asks
            return True
    return False


def negated(clause: Clause, span: Span) -> bool:
    """Whether a negator (不, 没, 没有, 别, 未, 无, 非) before the span (original offsets)
    governs it, within its clause."""
    return negated_in_view(clause.view, clause.view_index(span[0]))


def actor(clause: Clause, offset: int) -> Person | None:
    """The person of the subject that acts at an original offset: a subject that opens
    there (【我不知道】 after 业务员怎么讲的), else the last subject-like reference before it
    in its predicate; None when there is none (an agentless 稍后回电)."""
    view, position = clause.view, clause.view_index(offset)
    stop = position + cues.LONGEST_REFERENCE + cues.LOOKAHEAD
    own = next(subjects(view, position, min(stop, len(view))), None)
    if own is not None and own.start() == position:
        return person_of(own)
    return person_of(subject_before(view, position))


def quoted(clause: Clause, span: Span) -> bool:
    """Whether the span (original offsets) lies inside quoted or reported speech."""
    start, end = span
    index = bisect_right(clause.quotes, start, key=lambda quote: quote[0]) - 1
    return index >= 0 and end <= clause.quotes[index][1]


def in_mark(clause: Clause, span: Span) -> bool:
    """Whether the span (original offsets) touches a non-word span: a rule must not match
    there."""
    return inside_mark(clause.marks, *span)
