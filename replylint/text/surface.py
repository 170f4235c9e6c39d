"""The surface view: a turn folded one character for one character, punctuation kept.

Clauses need what the rules' view (normalize.py) deletes: which punctuation ended a
clause, where the quotes are, where ASR paused. The surface view folds as the rules'
view does (traditional -> simplified, full-width -> half-width, lower case, 您 -> 你),
but keeps punctuation (full-width forms become half-width: ？ -> ?, ， -> ,) and spaces,
so it has exactly the length of the original and every offset is an original offset.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from replylint.text.normalize import BREAK, JOIN, TURN_SEPARATOR, fold_table

SPACE = " "
NEWLINE = "\n"
# Invisible characters (zero-width marks, controls) stay in the surface view as this
# character; clause views drop it like a space.
INVISIBLE = "\x00"

_NEWLINES = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Two spellings the rules' fold leaves apart, joined here so one cue covers both scripts:
# the fold turns 么 into 幺 (OpenCC's first candidate for 麼), and traditional text writes
# 回复/答复 as 回覆/答覆 (覆 is simplified too, so character folding keeps it).
_SPELLINGS = {"么": "么", "麼": "么", "麽": "么", "幺": "么", "覆": "复"}
# Hong Kong exports write Cantonese; these characters are Cantonese only, and read as the
# Mandarin word they stand for (搵律師 is 找律师, 佢哋 is 他们).
_SPELLINGS |= {"搵": "找", "嘅": "的", "咗": "了", "佢": "他", "哋": "们", "冇": "没", "唔": "不"}


def _kept_character(char: str) -> str:
    """What a character that the rules' fold deletes becomes on the surface."""
    if char in _NEWLINES:
        return NEWLINE
    category = unicodedata.category(char)
    if category.startswith("Z") or char == "\t":
        return SPACE
    if category[0] == "C":
        return INVISIBLE
    width_folded = unicodedata.normalize("NFKC", char) if ord(char) >= 0xFF00 else char
    return width_folded if len(width_folded) == 1 else char


@cache
def surface_table() -> tuple[str, ...]:
    """The translate table of the surface view, indexed by code point (a sequence, as in
    normalize.py: faster than a dict). It shares the rules' table's strings, so it costs
    one list of pointers; built once per process."""
    table = list(fold_table())
    for code, folded in enumerate(table):
        if folded in (JOIN, BREAK):
            table[code] = _kept_character(chr(code))
    for char, folded in _SPELLINGS.items():
        table[ord(char)] = folded
    table[ord(TURN_SEPARATOR)] = NEWLINE  # turns joined for one scan end a sentence
    return tuple(table)


def surface_view(text: str) -> str:
    """The surface view of a text: same length, every position the original's."""
    return text.translate(surface_table())
