"""One Aho-Corasick scan finds every phrase of every rule.

All hits come from ``Automaton.iter`` (never ``iter_long``, which has missed matches);
overlaps are resolved later, per rule. ``scan_reference`` is the brute-force twin the
tests compare against. Targets and hits are plain ints and tuples: they are hashed and
sorted on the hot path, where a dataclass or an enum would cost a Python call each time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import IntEnum

import ahocorasick


class Slot(IntEnum):
    """What a phrase is to the rule that owns it."""

    TRIGGER = 0
    EXCEPTION = 1
    RESPONSE = 2
    GIVEN = 3  # a repeat-question rule's naming of its item, in the customer's turns
    GIVEN_EXCEPTION = 4
    REFUSAL = 5  # 不知道, 忘了: a turn holding one gives nothing


Target = int  # rule index * SLOTS + slot
Hit = tuple[int, int, Target]  # (start, end, target): view[start:end] is the phrase
RawHit = tuple[int, int, tuple[Target, ...]]  # (end, length, the phrase's targets)
# Plain-int twins of Slot for the hot path: len() and .value of an Enum are Python calls.
SLOTS = len(Slot)
TRIGGER, EXCEPTION, RESPONSE = Slot.TRIGGER.value, Slot.EXCEPTION.value, Slot.RESPONSE.value


def target(rule: int, slot: int) -> Target:
    return rule * SLOTS + slot


def target_rule(target: Target) -> int:
    return target // SLOTS


def is_trigger(target: Target) -> bool:
    return target % SLOTS == TRIGGER


def overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    """Whether the span shares a character with any of the others (an exception's hit)."""
    start, end = span
    return any(o_start < end and start < o_end for o_start, o_end in others)


class PhraseMatcher:
    """Immutable after construction; picklable (pyahocorasick automata pickle)."""

    __slots__ = ("_automaton", "_targets")

    def __init__(self, phrase_targets: Iterable[tuple[str, Target]]) -> None:
        grouped: dict[str, set[Target]] = {}
        for phrase, phrase_target in phrase_targets:
            if phrase:
                grouped.setdefault(phrase, set()).add(phrase_target)
        self._targets = {phrase: tuple(sorted(ts)) for phrase, ts in grouped.items()}
        self._automaton = ahocorasick.Automaton()
        for phrase, targets in self._targets.items():
            self._automaton.add_word(phrase, (len(phrase), targets))
        if self._targets:
            self._automaton.make_automaton()

    def __bool__(self) -> bool:
        return bool(self._targets)

    def scan(self, view: str) -> list[Hit]:
        return [
            (end - length, end, t) for end, length, targets in self.raw_hits(view) for t in targets
        ]

    def raw_hits(self, view: str) -> Iterator[RawHit]:
        """(end, length, targets) of every phrase occurrence, by end: the hits of ``scan``
        before they are spread one a target (the engine's hot loop takes them so)."""
        if not self._targets:
            return iter(())
        found = self._automaton.iter(view)
        return ((last + 1, length, targets) for last, (length, targets) in found)

    def scan_reference(self, view: str) -> list[Hit]:
        """Every occurrence by ``str.find``: slow, obviously right."""
        hits: list[Hit] = []
        for phrase, targets in self._targets.items():
            start = view.find(phrase)
            while start != -1:
                hits.extend((start, start + len(phrase), t) for t in targets)
                start = view.find(phrase, start + 1)
        return hits
