"""Offset-keeping normalisation: one ``str.translate`` per turn, no conversion, no segmentation.

Every character of a turn is folded to one character (traditional -> simplified,
full-width -> half-width, upper -> lower case, 您 -> 你) or deleted (spaces, punctuation,
invisible characters). The folded *view* is what rules match against; ``index`` maps
each view position back to the original text, so a finding always slices the original.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from heapq import heappop, heappush
from itertools import accumulate, compress
from pathlib import Path

import opencc

# Deleted characters become one of two markers in the folded text before removal:
# JOIN for characters that never separate words (spaces inside ASR output, zero-width
# marks), BREAK for punctuation, which ends a word for the segmenter.
JOIN = "\x00"
BREAK = "\x01"
# Kept by the fold and in no phrase: joins the turns of one role so that they are folded
# and scanned in one go (see engine/linter.py); a phrase can never match across it.
TURN_SEPARATOR = "\x1e"

# Kept although it is punctuation: '*' masks digits in anonymised exports (***个工作日).
_KEPT_PUNCTUATION = frozenset("*")

# Pronoun variants that change nothing for a rule: one pattern covers 你/您/妳.
_PRONOUN_FOLDS = {"您": "你", "妳": "你"}
# 瞭 is also a simplified character (瞭望), so OpenCC's character table keeps it, but
# traditional text writes 瞭解 and converters write 瞭 for 了 before 如: read it as 了.
_SHARED_CHARACTER_FOLDS = {"瞭": "了"}

_OPENCC_DICTIONARY = Path(opencc.__file__).parent / "dictionary"


def _read_opencc_table(name: str) -> dict[str, str]:
    """First candidate of each single-character entry: OpenCC lists the usual one first."""
    table: dict[str, str] = {}
    with (_OPENCC_DICTIONARY / name).open(encoding="utf-8") as lines:
        for line in lines:
            key, _, values = line.rstrip("\n").partition("\t")
            first = values.split(" ", 1)[0]
            if len(key) == 1 and len(first) == 1:
                table[key] = first
    return table


def _traditional_to_simplified() -> dict[str, str]:
    to_simplified = _read_opencc_table("TSCharacters.txt")
    table = dict(to_simplified)
    # Regional variants (台/臺, 裡/裏, 著/着) first go to OpenCC's standard form; only keep
    # that step when it lands on a simplified character, so 吃 never becomes 喫.
    for regional in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for variant, standard in _read_opencc_table(regional).items():
            simplified = to_simplified.get(standard, standard)
            if simplified not in to_simplified and variant not in table:
                table[variant] = simplified
    # Some entries land on a character that folds again (a rare form -> 販 -> 贩):
    # follow each chain to its end so folding is idempotent.
    for key, first in table.items():
        seen, last = {key}, first
        while last in table and last not in seen:
            seen.add(last)
            last = table[last]
        table[key] = last
    return {k: v for k, v in table.items() if k != v}


def _fold_char(char: str) -> str | None:
    """The character a single code point folds to, or None when it stays as it is."""
    major = unicodedata.category(char)[0]
    if major in "ZC":
        return JOIN
    if major in "PS" and char not in _KEPT_PUNCTUATION:
        return BREAK  # punctuation and symbols (<NUM>, emoji, ～) separate words
    if ord(char) >= 0xFF00:  # full-width forms; NFKC elsewhere would change too much
        width_folded = unicodedata.normalize("NFKC", char)
        if len(width_folded) == 1 and width_folded != char:
            return _fold_char(width_folded) or width_folded
    lowered = char.lower()
    if len(lowered) == 1 and lowered != char:
        return lowered
    return None


# Blocks of ordinary CJK letters: none folds (a test checks every one), so the table
# build skips them; it runs at every start, and this halves it.
UNFOLDED_BLOCKS = (range(0x3400, 0x4DC0), range(0x4E00, 0x9FF0), range(0xAC00, 0xD7A4))
_SKIPPED = (range(0xD800, 0xE000), *UNFOLDED_BLOCKS)  # surrogates are not characters


def _code_points_to_fold() -> Iterator[int]:
    start = 0
    for skipped in _SKIPPED:
        yield from range(start, skipped.start)
        start = skipped.stop
    yield from range(start, 0x20000)


@cache
def fold_mapping() -> dict[int, str]:
    """Every code point that folds to something else, and what it folds to."""
    table: dict[int, str] = {}
    for code in _code_points_to_fold():
        folded = _fold_char(chr(code))
        if folded is not None:
            table[code] = folded
    for source, target in _traditional_to_simplified().items():
        table[ord(source)] = target
    for source, target in (_PRONOUN_FOLDS | _SHARED_CHARACTER_FOLDS).items():
        table[ord(source)] = target
    # Control characters in the input must not pass as markers.
    table[ord(JOIN)] = JOIN
    table[ord(BREAK)] = JOIN
    table[ord(TURN_SEPARATOR)] = TURN_SEPARATOR
    return table


@cache
def fold_table() -> tuple[str, ...]:
    """The translate table, indexed by code point. Built once per process, immutable.

    A sequence, not a dict: ``str.translate`` then indexes instead of hashing, and an
    unchanged character is a hit rather than a caught KeyError (measured: 31 against
    16 M chars/s). Code points past the end are unchanged (an IndexError to translate).
    """
    mapping = fold_mapping()
    table = [chr(code) for code in range(max(mapping) + 1)]
    for code, folded in mapping.items():
        table[code] = folded
    return tuple(table)


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
    """(simplified, other spelling) pairs that character folding cannot reach.

    TSPhrases holds traditional words whose simplified form is not character by
    character (回覆 -> 回复); TWPhrasesRev holds Taiwan vocabulary (網路 -> 网络).
    Both are applied to pack phrases at compile time so the text is never converted.
    """
    pairs: set[tuple[str, str]] = set()
    for name in ("TSPhrases.txt", "TWPhrasesRev.txt"):
        with (_OPENCC_DICTIONARY / name).open(encoding="utf-8") as lines:
            for line in lines:
                other, _, standard = line.rstrip("\n").partition("\t")
                simplified = fold_phrase(standard.split(" ", 1)[0])
                spelling = fold_phrase(other)
                if simplified and spelling and simplified != spelling:
                    pairs.add((simplified, spelling))
    return tuple(sorted(pairs))


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
