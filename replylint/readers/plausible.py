"""Plausibility: how much a decoded text looks like Chinese, the measure by which the
readers choose between the readings of bytes that more than one codec decodes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Final


def decodable_pairs(leads: range, trails: Iterable[int], codec: str) -> set[str]:
    """The characters ``codec`` decodes from two bytes, a lead and a trail."""
    found = set()
    for lead in leads:
        for trail in trails:
            try:
                found.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue
    return found


def _is_plain_symbol(char: str) -> bool:
    """Punctuation, digits and spaces of any width: Chinese text is full of them."""
    return unicodedata.category(char)[0] in "PNZ"


# Written Cantonese (Hong Kong calls) uses these every few words; neither table has them.
_CANTONESE: Final = "冇咗嘅啲嚟佢嘢喺哋咁噉嗰啱揾搵啫喎㗎噃攞嚿冚嗮諗嘥靚瞓攰癐"


# Chat transcripts are full of emoji, and no wrong codec makes them of Chinese (in UTF-8
# they need a lead byte 0xF0 and then 0x9F, which no common GBK or Big5 character has).
_EMOJI: Final = (
    (0x200D, 0x200D),  # the joiner of emoji sequences
    (0x20E3, 0x20E3),  # keycap
    (0x2600, 0x27BF),  # symbols and dingbats: ☀ ✅ ❤
    (0x2B00, 0x2BFF),  # arrows and stars: ⭐
    (0xFE0F, 0xFE0F),  # emoji presentation
    (0x1F000, 0x1FAFF),  # emoji, skin tones, flags
)


def _common_hanzi() -> set[str]:
    """GB2312's hanzi (6,763 simplified), Big5's level 1 (5,401 traditional), and the
    characters of written Cantonese."""
    hanzi = decodable_pairs(range(0xB0, 0xF8), range(0xA1, 0xFF), "gb2312")
    big5_trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    hanzi |= {c for c in decodable_pairs(range(0xA4, 0xC7), big5_trails, "big5") if c.isalpha()}
    return hanzi | set(_CANTONESE)


@lru_cache(maxsize=1)
def _hanzi() -> re.Pattern[str]:
    return re.compile(f"[{''.join(_class_ranges(sorted(map(ord, _common_hanzi()))))}]")


def hanzi_count(text: str) -> int:
    """How many common hanzi ``text`` holds: two readings equally plausible are told
    apart by them (GBK bytes of a hanzi can read as ¶ in UTF-8, plausible but no word)."""
    return 0 if text.isascii() else len(_hanzi().findall(text))


@lru_cache(maxsize=1)
def _implausible() -> re.Pattern[str]:
    """A character that plain Chinese text is not made of. Plain text is ASCII,
    punctuation, digits, spaces, full-width forms, emoji, and the common hanzi: all of
    GB2312's (6,763 simplified), Big5's level 1 (5,401 traditional) and `_CANTONESE`. What else
    there is, is implausible: kana, Cyrillic, box drawing, private use, rare hanzi —
    what a wrong codec makes of Chinese. A regular expression, as it scans fastest."""
    hanzi = _common_hanzi()
    plain = {c for c in map(chr, range(0x80, 0x10000)) if _is_plain_symbol(c)}
    full_width = {chr(c) for c in range(0xFF00, 0xFFF0)}
    emoji = {chr(c) for first, last in _EMOJI for c in range(first, last + 1)}
    keep = sorted(map(ord, hanzi | plain | full_width | emoji))
    return re.compile(f"[^\\x00-\\x7f{''.join(_class_ranges(keep))}]")


def _class_ranges(code_points: list[int]) -> Iterator[str]:
    """Sorted code points as the ranges of a regular expression class."""
    first = previous = code_points[0]
    for point in [*code_points[1:], -1]:
        if point == previous + 1:
            previous = point
            continue
        yield re.escape(chr(first)) + ("" if first == previous else "-" + re.escape(chr(previous)))
        first = previous = point


def plausibility(text: str) -> tuple[float, int]:
    """The share of ``text``'s non-ASCII characters that plain Chinese text is made of,
    and how many non-ASCII characters there are (1.0 and 0 for ASCII text)."""
    if text.isascii():
        return 1.0, 0
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    odd = len(_implausible().findall(text))
    return 1 - odd / non_ascii, non_ascii
