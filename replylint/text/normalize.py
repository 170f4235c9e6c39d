"""Offset-keeping normalisation: one ``str.translate`` per turn, no conversion, no segmentation.

Every character of a turn is folded to one character (traditional -> simplified,
full-width -> half-width, upper -> lower case, 您 -> 你) or deleted (spaces, punctuation,
invisible characters). The folded *view* is what rules match against; ``index`` maps
each view position back to the original text, so a finding always slices the original.
"""

from __future__ import annotations

import lzma
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from heapq import heappop, heappush
from importlib.resources import files
from itertools import accumulate, compress

# Deleted characters become one of two markers in the folded text before removal:
# JOIN for characters that never separate words (spaces inside ASR output, zero-width
# marks), BREAK for punctuation, which ends a word for the segmenter.
JOIN = "\x00"
BREAK = "\x01"
# Kept by the fold and in no phrase: joins the turns of one role so that they are folded
# and scanned in one go (see engine/linter.py); a phrase can never match across it.
TURN_SEPARATOR = "\x1e"

# The table and the phrase spellings, generated from Unicode's character data and OpenCC's
# dictionaries by tools/make_fold_table.py and shipped as package data (read through
# importlib.resources, so from inside a zip too).
_DATA = files("replylint.text")


@cache
def fold_table() -> tuple[str, ...]:
    """The translate table, indexed by code point: what each folds to. Read once per
    process, immutable.

    A sequence, not a dict: ``str.translate`` then indexes instead of hashing, and an
    unchanged character is a hit rather than a caught KeyError (measured: 31 against
    16 M chars/s). Code points past the end are unchanged (an IndexError to translate).
    """
    packed = (_DATA / "fold_table.xz").read_bytes()
    return tuple(lzma.decompress(packed).decode("utf-8", "surrogatepass"))


@cache
def fold_mapping() -> dict[int, str]:
    """Every code point that folds to something else, and what it folds to."""
    return {code: char for code, char in enumerate(fold_table()) if char != chr(code)}


@dataclass(frozen=True, slots=True)
class FoldedText:
    """A turn as rules see it.

    ``folded`` has the same length as the original (deleted characters are markers);
    ``view`` is ``folded`` without markers. When characters were deleted, a turn of up
    to ``_BLOCK`` characters has ``index`` (the original position of each view
    character); a longer one has ``blocks`` (``blocks[k]`` view characters come before
    block ``k``): a few integers, so that a 50 MB turn with one finding does not cost
    gigabytes. With neither, nothing was deleted and positions are equal.
    """

    folded: str
    view: str
    index: tuple[int, ...] | None = None
    blocks: tuple[int, ...] | None = None

    def original_span(self, view_start: int, view_end: int) -> tuple[int, int]:
        """Map a non-empty view span back to the original text."""
        if self.index is not None:
            return self.index[view_start], self.index[view_end - 1] + 1
        if self.blocks is None:
            return view_start, view_end
        first = _original(self.folded, self.blocks, view_start)
        return first, _original(self.folded, self.blocks, view_end - 1) + 1


def _original(folded: str, blocks: tuple[int, ...], kept: int) -> int:
    """The original position of ``view[kept]``: the block by bisection, then within the
    block the first position with ``kept + 1`` view characters up to it (by bisection
    too, each step a C-speed count)."""
    block = bisect_right(blocks, kept) - 1
    low = block * _BLOCK
    wanted = kept - blocks[block] + 1
    lo, hi = low + 1, min(low + _BLOCK, len(folded))
    while lo < hi:
        mid = (lo + hi) // 2
        if _kept_between(folded, low, mid) >= wanted:
            hi = mid
        else:
            lo = mid + 1
    return lo - 1


_BLOCK = 4096


def _kept_between(folded: str, start: int, end: int) -> int:
    """View characters among ``folded[start:end]``: all but the deletion markers."""
    return end - start - folded.count(JOIN, start, end) - folded.count(BREAK, start, end)


def fold_view(text: str) -> str:
    """The view alone: what a scan needs when no offsets are wanted (yet)."""
    return text.translate(fold_table()).replace(JOIN, "").replace(BREAK, "")


def fold(text: str) -> FoldedText:
    folded = text.translate(fold_table())
    view = folded.replace(JOIN, "").replace(BREAK, "")
    if len(view) == len(folded):
        return FoldedText(folded, view)
    if len(folded) <= _BLOCK:
        keep = [char != JOIN and char != BREAK for char in folded]  # noqa: PLR1714 - faster than `in`
        return FoldedText(folded, view, index=tuple(compress(range(len(folded)), keep)))
    starts = range(0, len(folded), _BLOCK)
    counts = (_kept_between(folded, start, start + _BLOCK) for start in starts)
    return FoldedText(folded, view, blocks=tuple(accumulate(counts, initial=0)))


# Folded characters in one pack phrase (packs/schema.py and pattern.py refuse longer ones): a few
# words, or a sentence. The automaton's scan of a long repetitive phrase (不行不行…) costs
# up to its length at every character of a turn.
MAX_PHRASE_LENGTH = 200


def fold_phrase(phrase: str) -> str:
    """A pack phrase in the form it is matched in (the view of the phrase)."""
    return fold(phrase).view


@cache
def _phrase_spellings() -> tuple[tuple[str, str], ...]:
    """(simplified, other spelling) pairs that character folding cannot reach, both folded.

    OpenCC's TSPhrases holds traditional words whose simplified form is not character by
    character (回覆 -> 回复); its TWPhrasesRev holds Taiwan vocabulary (網路 -> 网络). Both
    are applied to pack phrases at compile time so the text is never converted.
    """
    text = (_DATA / "fold_spellings.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if not line.startswith("#"))
    return tuple((simplified, spelling) for simplified, spelling in rows)


@cache
def _spellings_by_first_character() -> dict[str, tuple[int, ...]]:
    """Positions in `_phrase_spellings` of the pairs, by the first character of their
    simplified side (in order)."""
    positions: dict[str, list[int]] = {}
    for position, (simplified, _) in enumerate(_phrase_spellings()):
        positions.setdefault(simplified[0], []).append(position)
    return {char: tuple(found) for char, found in positions.items()}


def phrase_variants(phrase: str) -> frozenset[str]:
    """Every folded spelling of a pack phrase: itself plus its traditional wordings.

    Pairs are applied in order, each to every variant so far. Only a pair whose first
    character occurs in the phrase, or in a spelling applied before it, can apply: just
    those are visited (in order, from a heap), so the work per phrase does not grow with
    the number of pairs and a pack of 200,000 phrases compiles in seconds.
    """
    pairs, by_first = _phrase_spellings(), _spellings_by_first_character()
    variants = {fold_phrase(phrase)}
    chars = set(next(iter(variants)))
    waiting = sorted(position for char in chars for position in by_first.get(char, ()))
    while waiting:
        position = heappop(waiting)
        simplified, spelling = pairs[position]
        if any(simplified in v for v in variants):
            variants |= {v.replace(simplified, spelling) for v in variants if simplified in v}
            for char in set(spelling) - chars:
                chars.add(char)
                later = by_first.get(char, ())
                for after in later[bisect_right(later, position) :]:
                    heappush(waiting, after)
    return frozenset(v for v in variants if v)
