"""One Aho-Corasick scan per turn finds every phrase of every rule.

All hits come from ``Automaton.iter`` (never ``iter_long``, which has missed matches);
overlaps are resolved later, per rule. ``scan_reference`` is the brute-force twin the
tests compare against.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

import ahocorasick


class Slot(IntEnum):
    """What a phrase is to the rule that owns it."""

    TRIGGER = 0
    EXCEPTION = 1
    RESPONSE = 2


@dataclass(frozen=True, slots=True, order=True)
class Target:
    rule: int  # index of the rule in the linter's rule tuple
    slot: Slot


@dataclass(frozen=True, slots=True, order=True)
class Hit:
    """A phrase occurrence in a turn's view: ``view[start:end] == phrase``."""

    start: int
    end: int
    target: Target


class PhraseMatcher:
    """Immutable after construction; picklable (pyahocorasick automata pickle)."""

    __slots__ = ("_automaton", "_targets")

    def __init__(self, phrase_targets: Iterable[tuple[str, Target]]) -> None:
        grouped: dict[str, set[Target]] = {}
        for phrase, target in phrase_targets:
            if phrase:
                grouped.setdefault(phrase, set()).add(target)
        self._targets = {phrase: tuple(sorted(ts)) for phrase, ts in grouped.items()}
        self._automaton = ahocorasick.Automaton()
        for phrase, targets in self._targets.items():
            self._automaton.add_word(phrase, (len(phrase), targets))
        if self._targets:
            self._automaton.make_automaton()

    def __bool__(self) -> bool:
        return bool(self._targets)

    def scan(self, view: str) -> list[Hit]:
        if not self._targets:
            return []
        hits: list[Hit] = []
        for last, (length, targets) in self._automaton.iter(view):
            start = last + 1 - length
            hits.extend(Hit(start, last + 1, target) for target in targets)
        return hits

    def scan_reference(self, view: str) -> list[Hit]:
        """Every occurrence by ``str.find``: slow, obviously right."""
        hits: list[Hit] = []
        for phrase, targets in self._targets.items():
            start = view.find(phrase)
            while start != -1:
                hits.extend(Hit(start, start + len(phrase), t) for t in targets)
                start = view.find(phrase, start + 1)
        return hits
