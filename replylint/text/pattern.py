"""The pattern language of ``kind = "pattern"`` rules: phrases in order, with alternatives,
optional parts and bounded gaps. No backtracking, no user regex.

    是您…{1,8}的问题            是您, then 1 to 8 characters, then 的问题
    不可能…{0,8}(这种|这样的)话   a group of alternatives
    您(这边)?…就不会             an optional group; a bare … is …{0,10}

A pattern is a sequence of parts; a part is a literal or a group ``(a|b|c)``, optionally
followed by ``?``; parts written next to each other are adjacent, ``…{m,n}`` between two
parts lets m to n characters of the folded view (spaces and punctuation do not count) lie
between them. ``...`` and ``……`` are the same as ``…``; full-width brackets work too.

Matching is anchored: the engine's automaton finds the first part (which must not be
optional), then each further part is looked for in a bounded window after it, keeping the
set of positions reached (no backtracking). The work per anchor is bounded by the pattern
(at most ``MAX_PARTS`` parts, gaps of at most ``MAX_GAP``), so matching is linear in the text.
One backward pass per turn first marks where each part can still lead to a match, so an
anchor that cannot match costs nothing, however many parts almost match around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from replylint.text.normalize import MAX_PHRASE_LENGTH, fold_phrase, phrase_variants

MAX_GAP = 20  # characters of the folded view: about one clause
MAX_PARTS = 8

Span = tuple[int, int]


class PatternError(ValueError):
    """A pattern that cannot be parsed, or could never match; the message says why."""


@dataclass(frozen=True, slots=True)
class Gap:
    """How many view characters may lie between two parts: ``least`` to ``most``."""

    least: int
    most: int


ADJACENT = Gap(0, 0)
BARE_GAP = Gap(0, 10)  # a … without bounds


@dataclass(frozen=True, slots=True)
class Part:
    """Alternative phrases (as written); ``gap_before`` separates it from the previous part."""

    alternatives: tuple[str, ...]
    optional: bool = False
    gap_before: Gap = ADJACENT


@dataclass(frozen=True, slots=True)
class Pattern:
    source: str
    parts: tuple[Part, ...]


# Full-width spellings of the syntax, as a Chinese input method types them.
_SYNTAX_WIDTH = str.maketrans({"（": "(", "）": ")", "｜": "|", "？": "?", "｛": "{", "｝": "}"})
_TOKEN = re.compile(
    r"(?P<gap>…+(?:\{(?P<least>[0-9]+),(?P<most>[0-9]+)\})?)"
    r"|\((?P<group>[^()]*)\)(?P<optional>\?)?"
    r"|(?P<literal>[^()|?{}…]+)"
)


def parse_pattern(source: str) -> Pattern:
    """Parse and check a pattern; raises ``PatternError`` naming the problem."""
    text = "".join(source.translate(_SYNTAX_WIDTH).split()).replace("...", "…")
    parts: list[Part] = []
    gap: Gap | None = None
    for token in _tokens(text):
        if token.lastgroup == "gap":
            if gap is not None or not parts:
                raise PatternError("a gap must stand between two parts")
            gap = _gap(token)
        else:
            parts.append(_part(token, gap or ADJACENT))
            gap = None
    if gap is not None:
        raise PatternError("a gap must stand between two parts")
    _check_parts(parts)
    return Pattern(source, tuple(parts))


_HINTS = {
    "(": "brackets must close and cannot nest",
    ")": "brackets must close and cannot nest",
    "|": "'|' separates alternatives inside (…)",
    "?": "'?' follows a group: write (…)?",
    "{": "bounds follow a gap: write …{m,n}",
    "}": "bounds follow a gap: write …{m,n}",
}


def _tokens(text: str) -> Iterator[re.Match[str]]:
    position = 0
    while position < len(text):
        token = _TOKEN.match(text, position)
        if token is None:
            hint = _HINTS.get(text[position], "")
            raise PatternError(f"unexpected {text[position]!r} at {text[position:][:8]!r}: {hint}")
        yield token
        position = token.end()


def _gap(token: re.Match[str]) -> Gap:
    if token["least"] is None:
        return BARE_GAP
    if any(len(token[bound].lstrip("0")) > len(str(MAX_GAP)) for bound in ("least", "most")):
        # Far too many; and int() refuses more than 4,300 digits with a ValueError.
        raise PatternError(f"gap {token[0][:16]!r}: at most {MAX_GAP} characters")
    gap = Gap(int(token["least"]), int(token["most"]))
    if gap.least > gap.most:
        raise PatternError(f"gap {{{gap.least},{gap.most}}}: the least is more than the most")
    if gap.most > MAX_GAP:
        raise PatternError(f"gap {{{gap.least},{gap.most}}}: at most {MAX_GAP} characters")
    return gap


def _part(token: re.Match[str], gap: Gap) -> Part:
    if token.lastgroup == "literal":
        alternatives = (token["literal"],)
    else:
        alternatives = tuple(token["group"].split("|"))
    if "" in alternatives:
        raise PatternError(f"{token[0]!r}: empty alternative (write (a)? for an optional part)")
    folded: dict[str, str] = {}
    for alternative in alternatives:
        key = fold_phrase(alternative)
        if not key:
            raise PatternError(f"{alternative!r} can never match (nothing left after folding)")
        if len(key) > MAX_PHRASE_LENGTH:
            raise PatternError(f"{alternative[:12]!r}…: at most {MAX_PHRASE_LENGTH} characters")
        if key in folded:
            raise PatternError(
                f"{alternative!r} is the same as {folded[key]!r} after normalisation"
            )
        folded[key] = alternative
    return Part(alternatives, optional=token["optional"] is not None, gap_before=gap)


def _check_parts(parts: Sequence[Part]) -> None:
    if not parts:
        raise PatternError("empty pattern")
    if len(parts) > MAX_PARTS:
        raise PatternError(f"{len(parts)} parts: at most {MAX_PARTS}")
    # The first part is the anchor the automaton finds; the last one ends the finding.
    if parts[0].optional or parts[-1].optional:
        raise PatternError("the first and the last part must not be optional")


@dataclass(frozen=True, slots=True)
class _Step:
    """A part after the anchor, compiled: its folded spellings and the gap before it."""

    spellings: tuple[str, ...]
    optional: bool
    least: int
    most: int

    def occurs(self, view: str) -> bool:
        return any(spelling in view for spelling in self.spellings)

    def advance(self, view: str, reached: set[int], alive: set[int] | None) -> set[int]:
        """Where this part can end, from every position where the previous one ended;
        only positions in ``alive`` (from where the rest can still match) are kept."""
        after: set[int] = set()
        for first, last in _merged_ranges(sorted(reached), self.least, self.most, len(view)):
            if self.optional:
                after.update(range(first, last + 1))
            for spelling in self.spellings:  # str.find: the usual sparse case costs C time
                stop = last + len(spelling)
                found = view.find(spelling, first, stop)
                while found != -1:
                    after.add(found + len(spelling))
                    found = view.find(spelling, found + 1, stop)
        return after if alive is None else after & alive

    def alive_before(self, view: str, alive_after: set[int] | None) -> set[int] | None:
        """Where the previous part may end so that this part, and the rest after it, can
        still match: one pass over the whole view, whatever the number of anchors."""
        if alive_after is None and self.optional:
            return None  # anywhere after, and this part may be skipped: still anywhere
        starts = set(alive_after or ()) if self.optional else set()
        for spelling in self.spellings:
            found = view.find(spelling)
            while found != -1:
                if alive_after is None or found + len(spelling) in alive_after:
                    starts.add(found)
                found = view.find(spelling, found + 1)
        alive: set[int] = set()
        for first, last in _merged_ranges(sorted(starts), -self.most, -self.least, len(view)):
            alive.update(range(max(first, 0), last + 1))
        return alive


def _merged_ranges(
    positions: Sequence[int], least: int, most: int, limit: int
) -> list[tuple[int, int]]:
    """The union of the ranges ``[p + least, p + most]`` (cut at ``limit``) of sorted
    positions, as disjoint ranges: positions that ranges share are looked at once."""
    ranges: list[tuple[int, int]] = []
    for position in positions:
        first, last = position + least, min(position + most, limit)
        if ranges and first <= ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], last)  # equal widths: `last` only grows
        elif first <= last:
            ranges.append((first, last))
    return ranges


@dataclass(frozen=True, slots=True, eq=False)
class _Rest:
    """The parts of one pattern after its anchor. Compared and hashed by identity: a turn's
    view keeps what it learnt per pattern in dicts, and hashing the spellings of every part
    at each anchor cost more than growing it."""

    steps: tuple[_Step, ...]

    def possible(self, view: str) -> bool:
        """Whether every required part occurs somewhere in the view (C-speed ``in``)."""
        return all(step.optional or step.occurs(view) for step in self.steps)

    def alive(self, view: str) -> tuple[set[int] | None, ...]:
        """For each part, where the part before it may end with a match still possible;
        the last entry is every position (nothing is left to match)."""
        if not self.possible(view):
            # A required part occurs nowhere in the turn (the usual case for a common
            # anchor such as 是您): no match, found with C-speed `in` instead of sets.
            return (set(),) * (len(self.steps) + 1)
        # After the last part, any position will do: None, not a set of every position
        # (a 50 MB turn would need gigabytes); earlier sets hold only real candidates.
        alive: list[set[int] | None] = [None]
        for step in reversed(self.steps):
            alive.append(step.alive_before(view, alive[-1]))
        return tuple(reversed(alive))

    def ends(
        self, view: str, position: int, alive: tuple[set[int] | None, ...] | None = None
    ) -> set[int]:
        """Where matches end when the anchor ends at ``position``: a set of reachable
        positions carried part by part, never a backtracking search. ``alive`` (from
        `alive`) prunes positions that cannot complete; None grows without pruning."""
        if alive is not None and alive[0] is not None and position not in alive[0]:
            return set()
        reached = {position}
        for number, step in enumerate(self.steps, 1):
            reached = step.advance(view, reached, None if alive is None else alive[number])
        return reached


def _rest(pattern: Pattern) -> _Rest:
    return _Rest(tuple(_step(part) for part in pattern.parts[1:]))


def _step(part: Part) -> _Step:
    spellings = tuple(sorted({v for a in part.alternatives for v in phrase_variants(a)}))
    return _Step(spellings, part.optional, part.gap_before.least, part.gap_before.most)


class PatternMatcher:
    """The patterns of one rule, compiled; immutable and picklable."""

    __slots__ = ("_patterns", "_rests")

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self._patterns = tuple(patterns)
        rests: dict[str, list[_Rest]] = {}
        for pattern in self._patterns:
            rest = _rest(pattern)
            for anchor in anchor_spellings(pattern):
                rests.setdefault(anchor, []).append(rest)
        self._rests = {anchor: tuple(rest) for anchor, rest in rests.items()}

    def in_view(self, view: str) -> PatternView:
        """The matcher bound to one turn's view, to grow matches from anchors there."""
        return PatternView(self._rests, view)

    def spans(self, view: str, anchors: Iterable[Span]) -> list[Span]:
        """Every match that grows from one of the anchor hits, leftmost then longest."""
        by_start: dict[int, list[int]] = {}
        for start, end in anchors:
            by_start.setdefault(start, []).append(end)
        bound = self.in_view(view)
        return [
            (start, end)
            for start, anchor_ends in sorted(by_start.items())
            for end in bound.ends(start, anchor_ends)
        ]

    def reference_spans(self, view: str) -> list[Span]:
        """Every match by brute force: each slice of the view against an equivalent
        regular expression. Slow (quadratic), obviously right; for tests only."""
        regexes = [re.compile(_regex(pattern), re.DOTALL) for pattern in self._patterns]
        return [
            (start, stop)
            for start in range(len(view))
            for stop in range(len(view), start, -1)
            if any(regex.fullmatch(view, start, stop) for regex in regexes)
        ]


_UNPRUNED_ANCHORS = 8  # per pattern and turn; then the backward pass takes over


class PatternView:
    """A pattern matcher and one turn's view. What it learns about the view (where each
    pattern can still complete) is computed once, on the first anchor that needs it."""

    __slots__ = ("_alive", "_grown", "_possible", "_rests", "_view")

    def __init__(self, rests: Mapping[str, tuple[_Rest, ...]], view: str) -> None:
        self._rests = rests
        self._view = view
        self._alive: dict[_Rest, tuple[set[int] | None, ...]] = {}
        self._grown: dict[_Rest, int] = {}
        self._possible: dict[_Rest, bool] = {}

    def ends(self, start: int, anchor_ends: Iterable[int]) -> list[int]:
        """Where the matches that grow from anchor hits at ``start`` end, longest first."""
        found: set[int] = set()
        for anchor_end in anchor_ends:
            for rest in self._rests.get(self._view[start:anchor_end], ()):
                if self._may_match(rest):
                    found |= rest.ends(self._view, anchor_end, self._pruning(rest))
        return sorted(found, reverse=True)

    def _may_match(self, rest: _Rest) -> bool:
        """A pattern whose required parts are not all in the turn never grows (the usual
        case for a common anchor such as 您 or 这): asked once a turn."""
        possible = self._possible.get(rest)
        if possible is None:
            possible = self._possible[rest] = rest.possible(self._view)
        return possible

    def _pruning(self, rest: _Rest) -> tuple[set[int] | None, ...] | None:
        """Growing an anchor costs a bounded amount (parts and gaps are capped), so a few
        anchors grow unpruned; past that, one backward pass over the view keeps a turn
        full of anchors linear. Pruning never changes the matches, only the work."""
        grown = self._grown[rest] = self._grown.get(rest, 0) + 1
        if grown <= _UNPRUNED_ANCHORS:
            return None
        alive = self._alive.get(rest)
        if alive is None:
            alive = self._alive[rest] = rest.alive(self._view)
        return alive


def anchor_spellings(pattern: Pattern) -> frozenset[str]:
    """The folded spellings of the first part: what the automaton is given."""
    return frozenset(v for a in pattern.parts[0].alternatives for v in phrase_variants(a))


def _regex(pattern: Pattern) -> str:
    pieces: list[str] = []
    for number, part in enumerate(pattern.parts):
        if number:
            pieces.append(f".{{{part.gap_before.least},{part.gap_before.most}}}")
        spellings = sorted({v for a in part.alternatives for v in phrase_variants(a)})
        pieces.append(f"(?:{'|'.join(map(re.escape, spellings))}){'?' if part.optional else ''}")
    return "".join(pieces)
